//! Where a page's run comes from (a shared link, the autosave or the defaults), free of the browser: the URL query
//! beats the autosave, the autosave beats the defaults, and everything that was ignored on the way
//! becomes a [`Notice`] naming what and why. [`start`] turns that choice into a [`Playground`],
//! falling back parameter by parameter (a log that does not replay is dropped, the rest kept).
//!
//! The browser half (reading `location`, `localStorage`, downloads) is in [`super::persist`].

use super::model::{Playground, RunScenario, Scenario};
use crate::session::scenario::{url, ScenarioError};

/// The localStorage key of the autosaved scenario. The version in it is the scenario schema's: a
/// later schema gets a new key, so that an older page never misreads a newer save.
pub const AUTOSAVE_KEY: &str = "ecs-daemon-sim.scenario.v1";
/// Where a saved value that could not be restored is moved (kept for the user, not deleted).
pub const REJECTED_KEY: &str = "ecs-daemon-sim.scenario.v1.rejected";

/// Something the page ignored or restored, shown in a dismissible banner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// What it is about: a URL parameter's name, `autosave` or `import`.
    pub subject: String,
    pub message: String,
    /// A problem (a setting fell back to its default) rather than information.
    pub warning: bool,
}

impl Notice {
    pub fn warning(subject: impl Into<String>, message: impl Into<String>) -> Notice {
        Notice { subject: subject.into(), message: message.into(), warning: true }
    }

    pub fn info(subject: impl Into<String>, message: impl Into<String>) -> Notice {
        Notice { subject: subject.into(), message: message.into(), warning: false }
    }
}

/// Where the run of a page load comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// No scenario in the URL and none saved.
    Defaults,
    /// The URL's query described the run.
    Url(RunScenario),
    /// The autosaved scenario.
    Autosave(RunScenario),
}

/// Parameters that configure the page but not the run: the benchmark page, a lesson to open
/// (the lesson brings its own scenario), a server to follow (its run comes from the server) and
/// `local` (a page served by `ecs-daemon-sim serve` that does not follow it).
const PAGE_ONLY_PARAMETERS: &[&str] = &["bench", "lesson", "follow", "local"];

/// Whether a query string (with or without its `?`) carries any scenario parameter.
pub fn has_scenario(query: &str) -> bool {
    let query = query.trim_start_matches('?');
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .any(|pair| !PAGE_ONLY_PARAMETERS.contains(&pair.split_once('=').map_or(pair, |(k, _)| k)))
}

/// Chooses the run of a page load: the URL when it has scenario parameters, else the autosaved
/// text, else the defaults. Returns the source, the notices so far, and whether the saved text
/// was refused (the caller moves it to [`REJECTED_KEY`]).
pub fn choose(query: &str, saved: Option<&str>) -> (Source, Vec<Notice>, bool) {
    let mut notices = Vec::new();
    if has_scenario(query) {
        let decoded = url::decode(query);
        for warning in
            decoded.warnings.iter().filter(|w| !PAGE_ONLY_PARAMETERS.contains(&w.parameter.as_str()))
        {
            notices.push(Notice::warning(
                &warning.parameter,
                format!("URL parameter {}: {}", warning.parameter, warning.message),
            ));
        }
        let mut scenario = decoded.scenario;
        if !crate::support::query::has_param(query, "seed") {
            // A hand-written link (`?preset=rolling-update`) gets the playground's own seed.
            scenario.seed = Scenario::default().seed;
        }
        return (Source::Url(scenario), notices, false);
    }
    if crate::support::query::has_param(query, "lesson") {
        // The lesson replaces whatever would be restored.
        return (Source::Defaults, notices, false);
    }
    match saved {
        None => (Source::Defaults, notices, false),
        Some(text) => match RunScenario::from_json(text) {
            Ok(scenario) => (Source::Autosave(scenario), notices, false),
            Err(error) => {
                notices.push(rejected_autosave(&error));
                (Source::Defaults, notices, true)
            }
        },
    }
}

fn rejected_autosave(error: &ScenarioError) -> Notice {
    Notice::warning(
        "autosave",
        format!(
            "The run saved in this browser could not be restored ({error}). It was moved to the \
             localStorage key {REJECTED_KEY}; the playground starts from its defaults."
        ),
    )
}

/// Builds the run a [`Source`] describes. What cannot be used falls back and adds a notice: a log
/// or script that does not replay is dropped (the preset, knobs and seed kept); a saved run that
/// does not replay gives the defaults.
pub fn start(source: &Source, notices: &mut Vec<Notice>) -> Playground {
    let mut warnings = Vec::new();
    let built = match source {
        Source::Defaults => return Playground::new(Scenario::default()),
        Source::Url(run) => match Playground::from_run(run, &mut warnings) {
            Ok(playground) => Ok(playground),
            Err(error) => {
                let parameter = if error.message.starts_with("script") { "script" } else { "log" };
                notices.push(Notice::warning(
                    parameter,
                    format!(
                        "URL parameter {parameter}: the run it describes was refused ({error}); \
                         the run starts without the script and the log"
                    ),
                ));
                let bare = RunScenario { log: Vec::new(), script: None, ..run.clone() };
                Playground::from_run(&bare, &mut warnings)
            }
        },
        Source::Autosave(run) => {
            let built = Playground::from_run(run, &mut warnings);
            if let Err(error) = &built {
                notices.push(rejected_autosave(error));
            }
            built
        }
    };
    for warning in warnings {
        notices.push(Notice::warning("preset", format!("URL parameter preset: {warning}")));
    }
    match built {
        Ok(playground) => {
            if let Source::Autosave(_) = source {
                notices.push(Notice::info(
                    "autosave",
                    format!(
                        "Restored the run saved in this browser ({} inputs, simulated time {}).",
                        playground.input_count(),
                        super::model::format_clock(playground.elapsed())
                    ),
                ));
            }
            playground
        }
        Err(_) => Playground::new(Scenario::default()),
    }
}

/// The share link of a run: the page's origin and path, then the scenario as query parameters.
pub fn link(origin_and_path: &str, scenario: &RunScenario) -> String {
    format!("{origin_and_path}?{}", url::encode(scenario))
}
