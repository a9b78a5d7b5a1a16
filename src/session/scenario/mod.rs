//! Scenarios: everything that shapes a run, as a versioned document that can be saved, shared and
//! replayed event for event.
//!
//! A [`Scenario`] holds the seed, the account options, what the viewer shows (preset, knobs,
//! speed, autoplay, embed) and the [`LogEntry`] list of every input applied so far with its
//! simulated time: AWS actions, AWS-CLI scripts (whole, or stepped one command at a time as the
//! console does), `sim` fault commands and time advances. The engine is deterministic, so
//! [`Scenario::replay`] rebuilds the very same run: same event log, same hash.
//!
//! - [`Session`](super::Session): wraps an [`Api`] and appends to the log as
//!   inputs are applied (what the playground and the JS API drive);
//! - [`Scenario::to_json`] / [`Scenario::from_json`]: the file format, strictly validated on the
//!   way in (size, nesting, numbers, strings, names, versions), see [`limits`];
//! - [`import`](super::import): text → a replayed session, or an AWS-style [`ScenarioError`]. It builds a
//!   new run and hands it back only on success, so a refused file never touches the caller's run;
//! - [`url`]: the scenario as URL query parameters, decoded leniently with a warning per problem.
//!
//! What replay uses: `seed`, `options`, `script` (run first, at time zero) and `log`. The `preset`
//! and `knobs` say what the viewer built the run from; a viewer that records through a
//! session logs the commands its preset and knobs caused, so a scenario with a log is the
//! whole run and replays without the viewer's preset code. A scenario with an empty log and a
//! preset name asks the viewer to build that preset with those knobs.
//!
//! ```
//! use ecs_daemon_sim::session::scenario::Scenario;
//! use ecs_daemon_sim::session::{import, Session};
//! use serde_json::json;
//!
//! let mut recorder = Session::new(Scenario::with_seed(7)).unwrap();
//! recorder.call("ecs", "CreateCluster", &json!({"clusterName": "demo"})).unwrap();
//! recorder.advance_by(60_000);
//! let text = recorder.scenario().to_json();
//! let copy = import(&text).unwrap();
//! assert_eq!(copy.api().simulation().event_log_hash(), recorder.api().simulation().event_log_hash());
//! assert!(import("{\"schemaVersion\": 99}").is_err());
//! ```

mod base64url;
pub(super) mod format;
pub mod limits;
pub mod url;

pub use base64url::{decode as base64url_decode, encode as base64url_encode};

use crate::api::{Api, AwsError};
use crate::engine::SimConfig;
use crate::support::json::json;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = 1;
/// The schema versions this build reads.
pub const SUPPORTED_SCHEMA_VERSIONS: &[u32] = &[1];

// Well-known knob names (the playground's sliders); any other `[A-Za-z0-9_-]` name is allowed.
/// Knob: the number of instances in the preset's fleet.
pub const KNOB_INSTANCES: &str = "instances";
/// Knob: the daemon's `drainPercent`, the share of the fleet replaced per batch.
pub const KNOB_DRAIN_PERCENT: &str = "drainPercent";
/// Knob: the daemon's bake time in minutes.
pub const KNOB_BAKE_TIME: &str = "bakeTime";

/// Everything that shapes a run. See the module documentation for what replay uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// `schemaVersion`: the file format's version, one of [`SUPPORTED_SCHEMA_VERSIONS`].
    pub schema_version: u32,
    /// `seed`: the engine's RNG seed; the same seed and log give the same event log.
    pub seed: u64,
    /// `options`: the account, Region and clock the run starts with.
    pub options: RunOptions,
    /// The viewer's preset this run started from, if any (a name the viewer knows).
    pub preset: Option<String>,
    /// An AWS-CLI script run at time zero, before the log (lessons start this way).
    pub script: Option<String>,
    /// Knob values by name (`instances`, `drainPercent`, `bakeTime`, …).
    pub knobs: BTreeMap<String, f64>,
    /// `view`: how the viewer shows the run.
    pub view: ViewSettings,
    /// `log`: every input applied after the script, in order, with its time.
    pub log: Vec<LogEntry>,
}

/// The account and clock a run starts with (the [`SimConfig`] fields a scenario may set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// `accountId`: the 12-digit account every ARN names.
    pub account_id: String,
    /// `region`: the Region every ARN names, such as `us-east-1`.
    pub region: String,
    /// Simulated time zero, Unix epoch milliseconds.
    pub epoch_ms: u64,
}

impl RunOptions {
    /// `{"accountId", "region", "epochMs"}`, as the export file carries them.
    pub fn to_value(&self) -> Value {
        json!({"accountId": self.account_id, "region": self.region, "epochMs": self.epoch_ms})
    }
}

/// How the run is shown; no effect on the simulation.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewSettings {
    /// Simulated seconds per wall second, [`limits::MIN_SPEED`]..=[`limits::MAX_SPEED`].
    pub speed: f64,
    /// Whether the clock starts running as soon as the run is loaded.
    pub autoplay: bool,
    /// Embed mode: minimal chrome.
    pub embed: bool,
    /// The one knob an embed shows.
    pub knob: Option<String>,
}

/// One input of the run and the simulated time (milliseconds since the epoch of the run,
/// `Simulation::elapsed`) at which it was applied.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// `atMs`: when the input was applied, in milliseconds since the run's epoch.
    pub at_ms: u64,
    /// What was applied.
    pub input: Input,
}

/// What a log entry applies.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// An AWS action (`Api::call`) that succeeded when recorded.
    Call {
        /// The service's CLI name: `ecs`, `iam`, `logs`, `cloudwatch`, `ec2` or `sts`.
        service: String,
        /// The action's AWS name, such as `CreateDaemon`.
        action: String,
        /// The request body, as AWS JSON 1.1.
        input: Value,
    },
    /// An AWS-CLI script run whole by the run's interpreter (variables carry over between scripts).
    /// Commands that failed in it fail again on replay, as they did when recorded: only a script
    /// that does not parse is refused.
    Script(String),
    /// A script parsed and made the current stepped script; nothing runs yet.
    ScriptBegin(String),
    /// The next N commands of the current stepped script.
    ScriptStep(u32),
    /// A `sim` command (the words after `sim`), e.g. `["fault", "image-pull", "--image", "x"]`.
    Sim(Vec<String>),
    /// Simulated time moves forward by this many milliseconds.
    Advance(u64),
}

/// The log as the JSON array the export file and share links carry.
pub fn log_value(log: &[LogEntry]) -> Value {
    Value::Array(log.iter().map(LogEntry::to_value).collect())
}

impl LogEntry {
    /// Reads one entry as [`LogEntry::to_value`] writes it (a follower reading another run's
    /// inputs); `path` names it in the error.
    pub fn from_value(value: &Value, path: &str) -> Result<LogEntry, ScenarioError> {
        format::log_entry(value, path)
    }

    /// `{"atMs": …, "<input kind>": …}`: the input's kind and content sit beside `atMs`.
    pub fn to_value(&self) -> Value {
        let (kind, content) = match &self.input {
            Input::Call { service, action, input } => {
                ("call", json!({"service": service, "action": action, "input": input}))
            }
            Input::Script(text) => ("script", Value::from(text.as_str())),
            Input::ScriptBegin(text) => ("scriptBegin", Value::from(text.as_str())),
            Input::ScriptStep(count) => ("scriptStep", Value::from(*count)),
            Input::Sim(words) => ("sim", Value::from(words.clone())),
            Input::Advance(ms) => ("advance", Value::from(*ms)),
        };
        let mut entry = Map::new();
        entry.insert("atMs".into(), self.at_ms.into());
        entry.insert(kind.into(), content);
        Value::Object(entry)
    }
}

impl Input {
    /// A short label for messages: `ecs CreateDaemon`, `script`, `sim fault clear`, `advance`.
    pub fn label(&self) -> String {
        match self {
            Input::Call { service, action, .. } => format!("{service} {action}"),
            Input::Script(_) => "script".into(),
            Input::ScriptBegin(_) => "scriptBegin".into(),
            Input::ScriptStep(_) => "scriptStep".into(),
            Input::Sim(words) => format!("sim {}", words.join(" ")),
            Input::Advance(_) => "advance".into(),
        }
    }
}

impl Default for RunOptions {
    fn default() -> Self {
        let config = SimConfig::default();
        RunOptions { account_id: config.account_id, region: config.region, epoch_ms: config.epoch_ms }
    }
}

impl Default for ViewSettings {
    fn default() -> Self {
        ViewSettings { speed: limits::DEFAULT_SPEED, autoplay: false, embed: false, knob: None }
    }
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario::with_seed(0)
    }
}

impl Scenario {
    /// An empty run: default account, region and epoch, no preset, no log.
    pub fn with_seed(seed: u64) -> Self {
        Scenario {
            schema_version: SCHEMA_VERSION,
            seed,
            options: RunOptions::default(),
            preset: None,
            script: None,
            knobs: BTreeMap::new(),
            view: ViewSettings::default(),
            log: Vec::new(),
        }
    }

    /// The engine configuration the run starts from.
    pub fn sim_config(&self) -> SimConfig {
        SimConfig {
            seed: self.seed,
            epoch_ms: self.options.epoch_ms,
            account_id: self.options.account_id.clone(),
            region: self.options.region.clone(),
            ..SimConfig::default()
        }
    }

    /// A knob's value.
    pub fn knob(&self, name: &str) -> Option<f64> {
        self.knobs.get(name).copied()
    }

    /// The scenario as pretty JSON text (the export file).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.to_value()).unwrap_or_default()
    }

    /// The scenario as a JSON value: members in declaration order, camelCase, absent options
    /// left out. Written out rather than derived: serde's derive, with the log entries' flattened
    /// input, cost the wasm bundle far more than these lines (release wasm size).
    pub fn to_value(&self) -> Value {
        let mut scenario = Map::new();
        scenario.insert("schemaVersion".into(), self.schema_version.into());
        scenario.insert("seed".into(), self.seed.into());
        scenario.insert("options".into(), self.options.to_value());
        if let Some(preset) = &self.preset {
            scenario.insert("preset".into(), preset.as_str().into());
        }
        if let Some(script) = &self.script {
            scenario.insert("script".into(), script.as_str().into());
        }
        let knobs = self.knobs.iter().map(|(name, value)| (name.clone(), Value::from(*value))).collect();
        scenario.insert("knobs".into(), Value::Object(knobs));
        let mut view = Map::new();
        view.insert("speed".into(), self.view.speed.into());
        view.insert("autoplay".into(), self.view.autoplay.into());
        view.insert("embed".into(), self.view.embed.into());
        if let Some(knob) = &self.view.knob {
            view.insert("knob".into(), knob.as_str().into());
        }
        scenario.insert("view".into(), Value::Object(view));
        scenario.insert("log".into(), log_value(&self.log));
        Value::Object(scenario)
    }

    /// Parses and validates an exported file; refuses before parsing when it is over
    /// [`limits::MAX_FILE_BYTES`]. Does not replay: see [`import`](super::import) and [`Scenario::replay`].
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        format::parse(text)
    }

    /// Validates a JSON value as a scenario (shape, names, ranges, [`limits`]).
    pub fn from_value(value: &Value) -> Result<Scenario, ScenarioError> {
        format::from_value(value)
    }

    /// Checks the scenario as [`Scenario::from_json`] would (for values built in code).
    pub fn validate(&self) -> Result<(), ScenarioError> {
        format::from_value(&self.to_value()).map(|_| ())
    }

    /// The scenario cut at simulated time `until_ms` (since the epoch), for a scrubber's "fork
    /// here": the entries applied before or at it, a time advance that spans it shortened to end
    /// there, and a final advance up to it. A script that sleeps past `until_ms` is kept whole, so
    /// the forked run may end a little later; with no entry before the cut the log is empty and
    /// the run ends where the setup script ends. The replayed event log is a prefix of this one's.
    pub fn until(&self, until_ms: u64) -> Scenario {
        let mut log = Vec::new();
        let mut reached = 0;
        for entry in self.log.iter().take_while(|entry| entry.at_ms <= until_ms) {
            let mut entry = entry.clone();
            if let Input::Advance(ms) = &mut entry.input {
                *ms = (*ms).min(until_ms - entry.at_ms);
                if *ms == 0 {
                    continue;
                }
                reached = entry.at_ms + *ms;
            } else {
                reached = entry.at_ms;
            }
            log.push(entry);
        }
        // With no entry kept, where the setup script ends is only known by running it: the
        // forked run then ends there, and the viewer advances to the cut itself.
        match log.last_mut() {
            Some(LogEntry { input: Input::Script(_) | Input::ScriptStep(_), .. }) | None => {}
            Some(_) if reached >= until_ms => {}
            Some(LogEntry { at_ms, input: Input::Advance(ms) }) => *ms = until_ms - *at_ms,
            Some(_) => log.push(LogEntry { at_ms: reached, input: Input::Advance(until_ms - reached) }),
        }
        Scenario { log, ..self.clone() }
    }

    /// Rebuilds the run: a fresh [`Api`] with the seed and options, the script, then
    /// every log entry at its time. Refused, with the entry named, when an input fails or the
    /// replay would exceed the [`limits`].
    pub fn replay(&self) -> Result<Api, ScenarioError> {
        super::Session::new(self.clone()).map(super::Session::into_api)
    }
}

/// Why a scenario was refused: an AWS-style error type and a message naming what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// `ScenarioTooLargeException`, `SerializationException`, `InvalidParameterException`,
    /// `UnsupportedSchemaVersionException`, `LimitExceededException` or `ReplayFailedException`.
    pub error_type: &'static str,
    /// What is wrong, naming the member or entry.
    pub message: String,
    /// The log entry (0-based) the problem is in, when it is in one.
    pub entry: Option<usize>,
}

impl ScenarioError {
    pub(crate) fn new(error_type: &'static str, message: impl Into<String>) -> Self {
        ScenarioError { error_type, message: message.into(), entry: None }
    }

    pub(crate) fn invalid(path: &str, problem: impl fmt::Display) -> Self {
        Self::new("InvalidParameterException", format!("{path}: {problem}"))
    }

    pub(crate) fn at_entry(mut self, entry: usize) -> Self {
        self.entry = Some(entry);
        self
    }

    /// The error as the API's error type (what the JS API throws).
    pub fn to_aws_error(&self) -> AwsError {
        AwsError::new(self.error_type, self.message.clone())
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error_type, self.message)
    }
}

impl std::error::Error for ScenarioError {}

impl From<ScenarioError> for AwsError {
    fn from(error: ScenarioError) -> Self {
        error.to_aws_error()
    }
}
