//! Embed mode and the lessons side panel, mounted into a real DOM in headless Chromium. Simulated
//! time is driven by hand through the app's messages, never by waiting on wall time; each check
//! yields to Yew's scheduler and then reads the DOM.
#![cfg(target_arch = "wasm32")]

use ecs_daemon_sim::engine::time::{MINUTE, SECOND};
use ecs_daemon_sim::session::lessons::LESSONS;
use ecs_daemon_sim::ui::embed::{tile_layout, without_parameter, EmbedSettings};
use ecs_daemon_sim::ui::lessons::lesson_parameter;
use ecs_daemon_sim::ui::{AppProps, Driver, Msg, Scenario};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::support::dom::*;

const PAGE: &str = "http://127.0.0.1:8080/index.html";

/// A paused playground on the default scenario, and its driver.
async fn mount() -> (web_sys::Element, Driver) {
    let driver = Driver::default();
    let props = AppProps {
        scenario: Scenario::default(),
        autoplay: false,
        driver: Some(driver.clone()),
        from_page: false,
    };
    (mount_app(props).await, driver)
}

/// The app as the page mounts it, with `query` as the page's query (the URL and the autosave
/// configure it); the page's own query is put back afterwards.
async fn mount_page(query: &str) -> (web_sys::Element, Driver) {
    let location = gloo::utils::window().location();
    let original = location.search().unwrap();
    set_query(query);
    let driver = Driver::default();
    let props = AppProps { autoplay: false, driver: Some(driver.clone()), ..AppProps::default() };
    let root = mount_app(props).await;
    set_query(&original);
    (root, driver)
}

/// A playground switched to embed mode by `query`, as `ui::start` does for `?embed=1`.
async fn mount_embed(query: &str) -> (web_sys::Element, Driver, EmbedSettings) {
    let (root, driver) = mount().await;
    let settings = EmbedSettings::from_url(&format!("{PAGE}?{query}"));
    driver.send(Msg::Embed(settings.clone()));
    settle().await;
    (root, driver, settings)
}

fn ids(root: &web_sys::Element, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).unwrap();
    let mut ids: Vec<String> = (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .map(|e| e.id())
        .collect();
    ids.sort();
    ids
}

fn input(root: &web_sys::Element, selector: &str) -> web_sys::HtmlInputElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .dyn_into()
        .unwrap()
}

// ----- embed mode ---------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn embed_shows_only_the_grid_play_speed_one_knob_and_the_links() {
    let (root, _driver, _) =
        mount_embed("embed=1&preset=rolling-update&drainPercent=50&knob=drainPercent").await;
    assert!(exists(&root, "#embed"), "embed layout");
    assert_eq!(ids(&root, "button"), ["copy-embed", "play"], "the only buttons");
    assert_eq!(ids(&root, "input, textarea, select"), ["drain-percent", "speed"], "the only fields");
    for chrome in [
        "h1",
        ".presets",
        "#tab-events",
        "#deploy",
        ".knobs",
        ".faults",
        "#scrubber",
        "#lessons-toggle",
        "#lessons",
    ] {
        assert!(!exists(&root, chrome), "{chrome} is not part of an embed");
    }
    assert_eq!(count(&root, "#grid .tile"), 8, "the preset's fleet is on the grid");
    assert_eq!(input(&root, "#drain-percent").value(), "50", "the knob the URL set");
    let caption = text(&root, "#embed-caption");
    assert!(caption.contains("Rolling update") && caption.contains("drainPercent 50"), "{caption}");
    // Not asked to autoplay: paused, and the play button offers Play.
    assert_eq!(text(&root, "#play"), "Play");

    assert_eq!(
        attr(&root, "#open-playground", "href").as_deref(),
        Some(format!("{PAGE}?preset=rolling-update&drainPercent=50&knob=drainPercent").as_str()),
        "the same run, without embed=1"
    );
    assert_eq!(attr(&root, "#open-playground", "target").as_deref(), Some("_blank"));
}

#[wasm_bindgen_test]
async fn copy_embed_snippet_shows_the_iframe_line_in_a_read_only_field() {
    let (root, _driver, settings) = mount_embed("embed=1&preset=rolling-update&autoplay=1").await;
    assert!(!exists(&root, "#embed-snippet"), "the field appears on request");
    click(&root, "#copy-embed");
    settle().await;
    let field = input(&root, "#embed-snippet");
    assert!(field.read_only());
    let snippet = field.value();
    let src = format!("{PAGE}?embed=1&amp;preset=rolling-update&amp;autoplay=1");
    assert!(snippet.starts_with(&format!("<iframe src=\"{src}\" ")), "{snippet}");
    for attribute in [r#"width="800""#, r#"height="500""#, r#"style="border:0""#, r#"loading="lazy""#] {
        assert!(snippet.contains(attribute), "{attribute} in {snippet}");
    }
    assert!(snippet.contains(&format!("title=\"{}\"", settings.title())), "{snippet}");
    assert!(settings.title().contains("Rolling update"));
    assert!(snippet.ends_with("></iframe>"), "{snippet}");
}

#[wasm_bindgen_test]
async fn the_url_chooses_the_knob_and_a_bad_knob_is_named_in_a_warning() {
    let (root, _driver, _) = mount_embed("embed=1&knob=instances&instances=5").await;
    assert_eq!(ids(&root, "input"), ["desired-count", "speed"]);
    assert_eq!(input(&root, "#desired-count").value(), "5");
    assert!(!exists(&root, "#embed-warnings"));

    let (root, _driver, _) = mount_embed("embed=1&knob=cpuUnits&drainPercent=abc").await;
    assert_eq!(ids(&root, "input"), ["drain-percent", "speed"], "drainPercent is the fallback knob");
    let warnings = text(&root, "#embed-warnings");
    assert!(warnings.contains("knob") && warnings.contains("cpuUnits"), "{warnings}");
    assert!(warnings.contains("drainPercent") && warnings.contains("abc"), "{warnings}");
    assert_eq!(input(&root, "#drain-percent").value(), "25", "the malformed value keeps the default");
}

/// The largest number of instances the deployment drained at once, watched every 30 simulated
/// seconds until the preset's run ended.
async fn largest_drain_batch(root: &web_sys::Element, driver: &Driver) -> u32 {
    let mut largest = 0;
    for _ in 0..240 {
        send(driver, Msg::AdvanceBy(30 * SECOND)).await;
        largest = largest.max(count(root, "#grid .tile[data-drain-cause=DEPLOYMENT]:not(.ghost)"));
        if text(root, "#embed-caption").contains('✓') {
            return largest;
        }
    }
    panic!("the rolling update did not finish: {}", text(root, "#embed-caption"));
}

#[wasm_bindgen_test]
async fn an_embed_runs_the_preset_at_the_drain_percent_its_url_gives() {
    let (root, driver, _) = mount_embed("embed=1&preset=rolling-update&drainPercent=50").await;
    assert_eq!(largest_drain_batch(&root, &driver).await, 4, "8 instances at drainPercent 50");
    let (root, driver, _) = mount_embed("embed=1&preset=rolling-update&drainPercent=25").await;
    assert_eq!(largest_drain_batch(&root, &driver).await, 2, "8 instances at drainPercent 25");
}

#[wasm_bindgen_test]
fn tile_layout_fits_every_fleet_size_into_the_frame() {
    let (width, height) = (784.0, 370.0);
    let mut previous_row = u32::MAX;
    for tiles in 1..=64 {
        let layout = tile_layout(tiles, width, height);
        assert!(layout.columns * layout.rows >= tiles, "{tiles}: {layout:?}");
        assert!(layout.rows.saturating_sub(1) * layout.columns < tiles, "{tiles}: no empty row: {layout:?}");
        let used = f64::from(layout.rows * layout.row_height) + 6.0 * f64::from(layout.rows - 1);
        assert!(used <= height, "{tiles} tiles take {used} px of {height}: {layout:?}");
        assert!(layout.row_height <= previous_row, "{tiles}: more tiles never get taller rows");
        previous_row = layout.row_height;
    }
    let eight = tile_layout(8, width, height);
    assert_eq!((eight.columns, eight.rows), (4, 2), "the default fleet in two rows: {eight:?}");
}

#[wasm_bindgen_test]
fn urls_lose_only_the_named_parameter() {
    assert_eq!(without_parameter("http://h/p?embed=1&a=2&embedded=3", "embed"), "http://h/p?a=2&embedded=3");
    assert_eq!(without_parameter("http://h/p?a=1&embed", "embed"), "http://h/p?a=1");
    assert_eq!(without_parameter("http://h/p?embed=1", "embed"), "http://h/p");
    assert_eq!(without_parameter("http://h/p", "embed"), "http://h/p");
    assert_eq!(lesson_parameter("?x=1&lesson=auto-repair"), Some("auto-repair".to_string()));
    assert_eq!(lesson_parameter("?lessons=2"), None);
}

/// A run with inputs after time zero: a deployment at drainPercent 50 and a terminated instance.
async fn page_with_a_recorded_run() -> (web_sys::Element, Driver) {
    let (root, driver) = mount().await;
    send(&driver, Msg::AdvanceBy(3 * MINUTE)).await;
    send(&driver, Msg::SetDrainPercent(50.0)).await;
    send(&driver, Msg::DeployRevision).await;
    send(&driver, Msg::AdvanceBy(2 * MINUTE)).await;
    let victim = attr(&root, "#grid .tile", "data-instance").expect("a tile names its instance");
    send(&driver, Msg::Fault(ecs_daemon_sim::ui::TileFault::Terminate, victim)).await;
    send(&driver, Msg::AdvanceBy(MINUTE)).await;
    (root, driver)
}

/// The `src` of an iframe line.
fn iframe_src(snippet: &str) -> String {
    let src = snippet.split("src=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("a src");
    src.replace("&amp;", "&")
}

#[wasm_bindgen_test]
async fn the_full_page_copies_an_embed_snippet_that_replays_its_run_and_opens_it_again() {
    let (root, _driver) = page_with_a_recorded_run().await;
    let hash = attr(&root, "#run-info", "data-event-log-hash").expect("paused: the hash is shown");
    assert!(!exists(&root, "#embed-snippet"));
    click(&root, "#copy-embed");
    settle().await;
    let field = input(&root, "#embed-snippet");
    assert!(field.read_only());
    let snippet = field.value();
    assert!(snippet.starts_with("<iframe src=\"") && snippet.ends_with("></iframe>"), "{snippet}");
    assert!(snippet.contains(r#"width="800" height="500""#), "{snippet}");
    let src = iframe_src(&snippet);
    assert!(src.contains("embed=1") && src.contains("log="), "{src}");

    // The embed replays the run event for event, in embed chrome, without notices.
    let (embed, _driver, settings) = mount_embed(src.split_once('?').unwrap().1).await;
    assert!(exists(&embed, "#embed"));
    assert!(!exists(&embed, "#embed-warnings"), "{}", text(&embed, "#embed-warnings"));
    assert_eq!(attr(&embed, "#embed", "data-event-log-hash"), Some(hash.clone()), "the embed's run");
    assert_eq!(input(&embed, "#drain-percent").value(), "50");

    // "Open in playground" is that URL without embed=1: the page builds the same run from it.
    let open = attr(&embed, "#open-playground", "href").unwrap();
    assert_eq!(open, settings.playground_url);
    assert!(!open.contains("embed"), "{open}");
    let (page, _driver) = mount_page(&format!("?{}", open.split_once('?').unwrap().1)).await;
    assert!(!exists(&page, "#embed"), "the full playground");
    assert_eq!(attr(&page, "#run-info", "data-event-log-hash"), Some(hash), "the playground's run");
}

#[wasm_bindgen_test]
async fn an_embed_url_builds_its_run_like_the_page_and_never_autosaves() {
    let storage = gloo::utils::window().local_storage().unwrap().unwrap();
    let key = ecs_daemon_sim::ui::share::AUTOSAVE_KEY;
    storage.set_item(key, "kept").unwrap();
    let (root, driver) = mount_page("?embed=1&preset=rolling-update&drainPercent=50&seed=7").await;
    assert!(exists(&root, "#embed"), "embed chrome straight from the page's URL");
    assert!(!exists(&root, "#lessons-toggle"));
    assert_eq!(input(&root, "#drain-percent").value(), "50");
    // The same URL mounted as the tests mount an embed, and the same with another seed, each
    // two simulated minutes in.
    let (other, other_driver, _) = mount_embed("embed=1&preset=rolling-update&drainPercent=50&seed=7").await;
    let (seed_8, seed_8_driver, _) =
        mount_embed("embed=1&preset=rolling-update&drainPercent=50&seed=8").await;
    for d in [&driver, &other_driver, &seed_8_driver] {
        send(d, Msg::AdvanceBy(2 * MINUTE)).await;
    }
    let hash = |root: &web_sys::Element| attr(root, "#embed", "data-event-log-hash").expect("paused");
    assert_eq!(hash(&root), hash(&other));
    assert_ne!(hash(&root), hash(&seed_8), "the seed is part of the run");
    send(&driver, Msg::SetDrainPercent(25.0)).await;
    assert_eq!(storage.get_item(key).unwrap().as_deref(), Some("kept"));
    storage.remove_item(key).unwrap();
}

// ----- lessons ------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn the_lessons_button_shows_the_panel_with_every_lesson() {
    let (root, _driver) = mount().await;
    assert!(!exists(&root, "#lessons"), "closed at first");
    click(&root, "#lessons-toggle");
    settle().await;
    assert_eq!(count(&root, "#lessons button.lesson") as usize, LESSONS.len());
    assert!(!exists(&root, "#lesson-active"), "no lesson chosen yet");
    click(&root, "#lessons-toggle");
    settle().await;
    assert!(!exists(&root, "#lessons"));
}

const CREATE_SERVICE: &str =
    "aws ecs create-service --cluster lesson --service-name web --task-definition web:1 \
--desired-count 1 --capacity-provider-strategy capacityProvider=lesson-mi,weight=1";

#[wasm_bindgen_test]
async fn daemon_first_lesson_is_met_only_after_the_learner_creates_the_service() {
    let (root, driver) = mount().await;
    click(&root, "#lessons-toggle");
    settle().await;
    click(&root, "#lessons button.lesson[data-lesson=daemon-first]");
    settle().await;
    assert_eq!(attr(&root, "#lesson-active", "data-lesson").as_deref(), Some("daemon-first"));
    assert_eq!(count(&root, "#grid .tile"), 0, "the lesson's own scenario, not the default fleet");
    assert_eq!(text(&root, "#app-running"), "0 / 0", "the header counts the lesson's services, none yet");
    assert_eq!(attr(&root, "#lesson-progress", "data-met").as_deref(), Some("false"));
    assert!(text(&root, "#lesson-progress").contains("not met"));

    // Time alone does not meet the goal.
    send(&driver, Msg::AdvanceBy(5 * MINUTE)).await;
    assert_eq!(attr(&root, "#lesson-progress", "data-met").as_deref(), Some("false"));

    // The intended action, through the console: one command, run by hand while paused.
    send(&driver, Msg::SetScript(CREATE_SERVICE.into())).await;
    driver.send(Msg::RunScript);
    driver.send(Msg::TogglePlay);
    settle().await;
    assert_eq!(text(&root, "#play"), "Play", "paused again before any frame");
    send(&driver, Msg::ScriptStep).await;
    assert_eq!(count(&root, "#console-output .record.failed"), 0, "{}", text(&root, "#console-output"));
    assert_eq!(attr(&root, "#lesson-progress", "data-met").as_deref(), Some("false"));

    let mut seen_registering_unmet = false;
    for _ in 0..180 {
        send(&driver, Msg::AdvanceBy(5 * SECOND)).await;
        let met = attr(&root, "#lesson-progress", "data-met").as_deref() == Some("true");
        if !met && count(&root, "#grid .tile[data-status=REGISTERING]") > 0 {
            seen_registering_unmet = true;
        }
        if met {
            break;
        }
    }
    assert_eq!(
        attr(&root, "#lesson-progress", "data-met").as_deref(),
        Some("true"),
        "{}",
        text(&root, "#lesson-progress")
    );
    assert!(text(&root, "#lesson-progress").contains("Goal met"));
    assert!(seen_registering_unmet, "the goal was not met while the instance waited for its daemon");
    assert_eq!(count(&root, "#grid .tile[data-status=ACTIVE]"), 1);
    assert!(text(&root, "#app-running").ends_with(" / 1"), "the lesson's service: one task desired");
    // A minute on, its task runs on the ACTIVE instance: the header counts what the lesson runs.
    send(&driver, Msg::AdvanceBy(MINUTE)).await;
    assert_eq!(text(&root, "#app-running"), "1 / 1", "the lesson's service: one task, running");
    assert_eq!(text(&root, "#count-active"), "1");

    // Reset restarts the lesson from its scenario: not met again, no instance, and the run is the
    // scenario's own, event for event.
    click(&root, "#reset");
    settle().await;
    assert_eq!(attr(&root, "#lesson-active", "data-lesson").as_deref(), Some("daemon-first"));
    assert_eq!(attr(&root, "#lesson-progress", "data-met").as_deref(), Some("false"));
    assert_eq!(count(&root, "#grid .tile"), 0);
    let lesson = ecs_daemon_sim::session::lessons::lesson("daemon-first").unwrap();
    let reference = ecs_daemon_sim::session::Session::new(lesson.scenario()).unwrap();
    assert_eq!(
        attr(&root, "#run-info", "data-event-log-hash"),
        Some(format!("{:016x}", reference.simulation().event_log_hash())),
        "after Reset"
    );

    // The goal can be met again after the reset.
    send(&driver, Msg::SetScript(CREATE_SERVICE.into())).await;
    driver.send(Msg::RunScript);
    driver.send(Msg::TogglePlay);
    settle().await;
    send(&driver, Msg::ScriptStep).await;
    for _ in 0..180 {
        send(&driver, Msg::AdvanceBy(5 * SECOND)).await;
        if attr(&root, "#lesson-progress", "data-met").as_deref() == Some("true") {
            break;
        }
    }
    assert_eq!(attr(&root, "#lesson-progress", "data-met").as_deref(), Some("true"), "met again after Reset");
}

#[wasm_bindgen_test]
async fn a_lesson_parameter_opens_that_lesson_on_the_page() {
    let (root, _driver) = mount_page("?lesson=drain-last").await;
    assert_eq!(attr(&root, "#lesson-active", "data-lesson").as_deref(), Some("drain-last"));
    assert_eq!(
        attr(&root, "#tab-console", "aria-selected").as_deref(),
        Some("true"),
        "the console is where learners act"
    );
    let lesson = ecs_daemon_sim::session::lessons::lesson("drain-last").unwrap();
    let reference = ecs_daemon_sim::session::Session::new(lesson.scenario()).unwrap();
    assert_eq!(
        attr(&root, "#run-info", "data-event-log-hash"),
        Some(format!("{:016x}", reference.simulation().event_log_hash())),
        "the lesson's own run"
    );

    let (root, _driver) = mount_page("?lesson=nope").await;
    assert!(text(&root, "#lesson-error").contains("nope"));
    assert_eq!(count(&root, "#grid .tile"), 8, "the default fleet");
}

#[wasm_bindgen_test]
async fn an_unknown_lesson_is_named_and_the_run_is_left_alone() {
    let (root, driver) = mount().await;
    send(&driver, Msg::AdvanceBy(MINUTE)).await;
    let clock = text(&root, "#clock");
    send(&driver, Msg::OpenLesson("no-such-lesson".into())).await;
    assert!(text(&root, "#lesson-error").contains("no-such-lesson"));
    assert!(!exists(&root, "#lesson-active"));
    assert_eq!(count(&root, "#grid .tile"), 8, "the default fleet is still there");
    assert_eq!(text(&root, "#clock"), clock);
}

#[wasm_bindgen_test]
async fn a_preset_ends_the_lesson_and_an_embed_has_no_lessons() {
    let (root, driver) = mount().await;
    send(&driver, Msg::OpenLesson("auto-repair".into())).await;
    assert!(exists(&root, "#lesson-active"));
    click(&root, "button.preset[data-preset=rolling-update]");
    settle().await;
    assert!(!exists(&root, "#lesson-active"), "the preset's run is not the lesson's");

    send(&driver, Msg::OpenLesson("drain-last".into())).await;
    assert!(exists(&root, "#lesson-active"));
    send(&driver, Msg::Embed(EmbedSettings::from_url(&format!("{PAGE}?embed=1")))).await;
    assert!(!exists(&root, "#lessons") && !exists(&root, "#lessons-toggle"));
}

#[wasm_bindgen_test]
fn load_scenario_loads_a_lesson_or_a_recorded_run_and_refuses_bad_ones_leaving_the_run_alone() {
    use ecs_daemon_sim::session::scenario::Scenario as RunScenario;
    use ecs_daemon_sim::session::Session;
    use ecs_daemon_sim::ui::Playground;

    let mut playground = Playground::new(Scenario::default());
    playground.advance_by(MINUTE);
    let before = (playground.elapsed(), playground.sim().event_log_hash(), playground.tiles().len());
    let unchanged = |p: &Playground| (p.elapsed(), p.sim().event_log_hash(), p.tiles().len());

    let bad_script = RunScenario {
        script: Some("aws ecs create-cluster --cluster-name 'open".into()),
        ..RunScenario::with_seed(3)
    };
    let mut out_of_range = RunScenario::with_seed(3);
    out_of_range.knobs.insert("drainPercent".into(), 500.0);
    for (scenario, why) in [(bad_script, "script"), (out_of_range, "drainPercent")] {
        let error = playground.load_scenario(scenario).unwrap_err();
        assert!(error.to_string().contains(why), "{error}");
        assert_eq!(unchanged(&playground), before, "a refused scenario changes nothing");
    }

    let lesson = ecs_daemon_sim::session::lessons::lesson("daemon-first").unwrap();
    playground.load_scenario(lesson.scenario()).unwrap();
    let reference = Session::new(lesson.scenario()).unwrap();
    assert_eq!(
        playground.sim().event_log_hash(),
        reference.simulation().event_log_hash(),
        "the lesson's run is the scenario's own, event for event"
    );
    // Seeking back replays the setup script from the log.
    let at = playground.elapsed();
    playground.seek(0);
    playground.seek(at);
    assert_eq!(playground.sim().event_log_hash(), reference.simulation().event_log_hash());

    // A scenario with a log (the session's own format) loads to where it ended.
    let mut recorded = Session::new(lesson.scenario()).unwrap();
    recorded.advance_by(3 * MINUTE);
    playground.load_scenario(recorded.scenario().clone()).unwrap();
    assert_eq!(playground.elapsed(), recorded.simulation().elapsed());
    assert_eq!(playground.sim().event_log_hash(), recorded.simulation().event_log_hash());
}
