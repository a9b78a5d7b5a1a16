//! The playground's run as a scenario, in a real DOM in headless Chromium: import (good and the
//! four kinds of bad file), the page configured from its URL, the share link, the localStorage
//! autosave. Simulated time is driven by hand through the app's messages, never by waiting on wall
//! time; each check yields to Yew's scheduler and then reads the DOM.
#![cfg(target_arch = "wasm32")]

use ecs_daemon_sim::engine::time::MINUTE;
use ecs_daemon_sim::session::scenario::{url, Scenario as RunScenario};
use ecs_daemon_sim::ui::share::{AUTOSAVE_KEY, REJECTED_KEY};
use ecs_daemon_sim::ui::{AppProps, Driver, Msg, Playground, Scenario};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::support::dom::*;

/// Mounts a paused playground; `from_page` reads the URL and the autosave like the page does.
async fn mount(scenario: Scenario, from_page: bool) -> (web_sys::Element, Driver) {
    let driver = Driver::default();
    let props = AppProps { scenario, autoplay: false, driver: Some(driver.clone()), from_page };
    (mount_app(props).await, driver)
}

/// (event-log hash, simulated ms, inputs) as the run-info line shows them.
fn run_info(root: &web_sys::Element) -> (String, u64, usize) {
    (
        attr(root, "#run-info", "data-event-log-hash").expect("run info shows the hash"),
        attr(root, "#run-info", "data-elapsed-ms").unwrap().parse().unwrap(),
        attr(root, "#run-info", "data-inputs").unwrap().parse().unwrap(),
    )
}

fn notices(root: &web_sys::Element) -> Vec<(String, String)> {
    let nodes = root.query_selector_all("#notices .notice").unwrap();
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .map(|e| (e.get_attribute("data-subject").unwrap_or_default(), e.text_content().unwrap_or_default()))
        .collect()
}

fn storage() -> web_sys::Storage {
    gloo::utils::window().local_storage().unwrap().unwrap()
}

/// A run with a deployment, a live drainPercent change and an alarm flip, built by the model.
fn recorded_run(instances: u32) -> Playground {
    let mut run = Playground::new(Scenario { instances, ..Scenario::default() });
    run.playing = false;
    run.advance_by(6 * MINUTE);
    run.deploy_new_revision();
    run.advance_by(MINUTE);
    run.set_drain_percent(50.0);
    run.set_alarm(true);
    run.advance_by(3 * MINUTE + 1_234);
    run
}

#[wasm_bindgen_test]
async fn the_four_kinds_of_bad_file_are_refused_and_the_run_is_unchanged() {
    let (root, driver) = mount(Scenario { instances: 2, ..Scenario::default() }, false).await;
    send(&driver, Msg::AdvanceBy(4 * MINUTE)).await;
    send(&driver, Msg::DeployRevision).await;
    send(&driver, Msg::AdvanceBy(MINUTE)).await;
    let before = run_info(&root);
    let clock = text(&root, "#clock");
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    // Within the file format, but its replay goes past the 30 simulated days a run may last.
    let flood = r#"{"schemaVersion": 1, "log": [
        {"atMs": 0, "call": {"service": "ecs", "action": "CreateCluster", "input": {"clusterName": "c"}}},
        {"atMs": 0, "advance": 2592000000},
        {"atMs": 2592000000, "advance": 60000}]}"#;
    let oversized = format!(r#"{{"schemaVersion": 1, "script": "{}"}}"#, "#".repeat(5 * 1024 * 1024 + 1));
    let cases: [(&str, String, &str); 5] = [
        (
            "corrupted",
            r#"{"schemaVersion": 1, "seed": 7, "log": [{"atMs": 0, "#.to_string(),
            "SerializationException",
        ),
        ("hostile: nesting", deep, "InvalidParameterException"),
        ("hostile: replay", flood.to_string(), "ReplayFailedException"),
        ("oversized", oversized, "ScenarioTooLargeException"),
        (
            "future version",
            r#"{"schemaVersion": 2, "seed": 1}"#.to_string(),
            "UnsupportedSchemaVersionException",
        ),
    ];
    for (kind, file, error_type) in cases {
        send(&driver, Msg::ImportText(file)).await;
        let shown = text(&root, "#import-error");
        assert!(shown.starts_with(error_type), "{kind}: {shown}");
        assert!(shown.len() < 1_000, "{kind}: the message does not echo the file ({} bytes)", shown.len());
        assert!(shown.contains("The current run is unchanged"), "{kind}: {shown}");
        assert_eq!(run_info(&root), before, "{kind}: the run changed");
        assert_eq!(text(&root, "#clock"), clock, "{kind}");
    }
}

#[wasm_bindgen_test]
async fn a_good_file_replaces_the_run_with_the_same_event_log() {
    let source = recorded_run(2);
    let file = source.run_scenario().to_json();
    let (root, driver) = mount(Scenario { instances: 3, ..Scenario::default() }, false).await;
    send(&driver, Msg::AdvanceBy(2 * MINUTE)).await;
    let before = run_info(&root);
    send(&driver, Msg::ImportText(file)).await;
    assert!(root.query_selector("#import-error").unwrap().is_none(), "{}", text(&root, ".share"));
    let after = run_info(&root);
    assert_ne!(after, before);
    assert_eq!(after.0, format!("{:016x}", source.event_log_hash()), "same event log");
    assert_eq!(after.1, source.elapsed(), "same simulated time");
    assert_eq!(after.2, source.input_count());
    let live = source.tiles().into_iter().filter(|t| t.ghost_until.is_none()).count() as u32;
    assert_eq!(root.query_selector_all("#grid .tile:not(.ghost)").unwrap().length(), live);
    // The imported run goes on: the rollout it contained finishes.
    send(&driver, Msg::AdvanceBy(30 * MINUTE)).await;
    assert_ne!(attr(&root, "#deployment-status", "data-status").as_deref(), Some("IN_PROGRESS"));
}

#[wasm_bindgen_test]
async fn bad_url_parameters_are_named_in_notices_and_fall_back_to_defaults() {
    let original = gloo::utils::window().location().search().unwrap();
    storage().remove_item(AUTOSAVE_KEY).unwrap();
    set_query("?v=1&seed=banana&preset=rolling-update&speed=5000&drainPercent=150&instances=3&wat=1&log=%%%");
    let (root, _driver) = mount(Scenario::default(), true).await;
    set_query(&original);
    let shown = notices(&root);
    let about = |subject: &str| {
        shown
            .iter()
            .find(|(s, _)| s == subject)
            .map(|(_, text)| text.clone())
            .unwrap_or_else(|| panic!("no notice about {subject}: {shown:?}"))
    };
    assert!(about("seed").contains("\"banana\" is not a whole number"), "{}", about("seed"));
    assert!(about("speed").contains("5000 is out of range"), "{}", about("speed"));
    assert!(about("drainPercent").contains("150 is out of range"), "{}", about("drainPercent"));
    assert!(about("wat").contains("unknown parameter"), "{}", about("wat"));
    assert!(about("log").contains("URL parameter log"), "{}", about("log"));
    assert_eq!(shown.len(), 5, "{shown:?}");
    // What was valid is used, what was not fell back: the preset with 3 instances at drainPercent 25.
    assert_eq!(attr(&root, "#preset-caption", "data-preset").as_deref(), Some("rolling-update"));
    assert_eq!(root.query_selector_all("#grid .tile").unwrap().length(), 3);
    assert_eq!(text(&root, "#speed-value"), "20×");
    let drain = root.query_selector("#drain-percent").unwrap().unwrap();
    assert_eq!(js_sys::Reflect::get(&drain, &"value".into()).unwrap().as_string().as_deref(), Some("25"));
    // Each notice can be dismissed.
    click(&root, "#notices .notice[data-subject=wat] button.dismiss");
    settle().await;
    assert_eq!(notices(&root).len(), 4);
    assert!(notices(&root).iter().all(|(s, _)| s != "wat"));
    storage().remove_item(AUTOSAVE_KEY).unwrap();
}

#[wasm_bindgen_test]
async fn the_share_link_decodes_to_a_run_with_the_same_hash() {
    let (root, driver) = mount(Scenario { instances: 2, ..Scenario::default() }, false).await;
    send(&driver, Msg::AdvanceBy(6 * MINUTE)).await;
    send(&driver, Msg::DeployRevision).await;
    send(&driver, Msg::AdvanceBy(MINUTE)).await;
    send(&driver, Msg::SetDrainPercent(50.0)).await;
    send(&driver, Msg::ToggleAlarm).await;
    send(&driver, Msg::AdvanceBy(2 * MINUTE + 500)).await;
    let (hash, elapsed, inputs) = run_info(&root);
    click(&root, "#share");
    settle().await;
    let field = root.query_selector("#share-link").unwrap().expect("the link is shown");
    assert!(field.has_attribute("readonly"), "the share field is read-only");
    let link = js_sys::Reflect::get(&field, &"value".into()).unwrap().as_string().unwrap();
    let page = gloo::utils::window().location();
    assert!(link.starts_with(&format!("{}{}?", page.origin().unwrap(), page.pathname().unwrap())), "{link}");

    let decoded = url::decode(&link);
    assert_eq!(decoded.warnings, vec![], "the link decodes cleanly");
    let replayed = decoded.scenario.replay().expect("the link's run replays");
    assert_eq!(format!("{:016x}", replayed.simulation().event_log_hash()), hash);
    assert_eq!(replayed.simulation().elapsed(), elapsed);
    let mut warnings = Vec::new();
    let rebuilt = Playground::from_run(&decoded.scenario, &mut warnings).unwrap();
    assert_eq!(format!("{:016x}", rebuilt.event_log_hash()), hash, "the playground's replay too");
    assert_eq!((rebuilt.elapsed(), rebuilt.input_count()), (elapsed, inputs));
    assert!(!rebuilt.playing, "a link without autoplay opens paused");
    assert!(rebuilt.alarm_in_alarm, "fault toggles are restored from the run");
}

#[wasm_bindgen_test]
async fn the_autosave_restores_the_run_and_a_bad_save_is_kept_aside() {
    let original = gloo::utils::window().location().search().unwrap();
    set_query("");
    storage().remove_item(AUTOSAVE_KEY).unwrap();
    storage().remove_item(REJECTED_KEY).unwrap();
    let (root, driver) = mount(Scenario { instances: 2, ..Scenario::default() }, true).await;
    send(&driver, Msg::AdvanceBy(5 * MINUTE)).await;
    send(&driver, Msg::DeployRevision).await;
    send(&driver, Msg::AdvanceBy(90_000)).await;
    send(&driver, Msg::SetBakeMinutes(7)).await;
    let saved_run = run_info(&root);
    let saved = storage().get_item(AUTOSAVE_KEY).unwrap().expect("the run was autosaved");
    let saved = RunScenario::from_json(&saved).unwrap();
    assert!(saved.log.len() > 10, "the log is in the save");
    assert_eq!(saved.knob("bakeTime"), Some(7.0), "a knob change alone is saved too");

    let (restored, _) = mount(Scenario::default(), true).await;
    assert_eq!(run_info(&restored), saved_run, "same hash, time and inputs after a reload");
    assert_eq!(text(&restored, "#play"), "Play", "restored paused");
    let bake = restored.query_selector("#bake").unwrap().unwrap();
    assert_eq!(js_sys::Reflect::get(&bake, &"value".into()).unwrap().as_string().as_deref(), Some("7"));
    assert!(notices(&restored).iter().any(|(s, t)| s == "autosave" && t.contains("Restored")));

    // A corrupted save: a visible message, the defaults, and the value kept under .rejected.
    storage().set_item(AUTOSAVE_KEY, "{\"schemaVersion\": 1, \"seed\": -3}").unwrap();
    let (fresh, _) = mount(Scenario::default(), true).await;
    let message = notices(&fresh).into_iter().find(|(s, _)| s == "autosave").expect("a notice").1;
    assert!(message.contains("InvalidParameterException") && message.contains(REJECTED_KEY), "{message}");
    assert_eq!(
        storage().get_item(REJECTED_KEY).unwrap().as_deref(),
        Some("{\"schemaVersion\": 1, \"seed\": -3}")
    );
    assert_eq!(fresh.query_selector_all("#grid .tile").unwrap().length(), 8, "the default fleet");

    // An embed (several may share a documentation page's origin) never writes the autosave.
    storage().set_item(AUTOSAVE_KEY, &saved.to_json()).unwrap();
    set_query("?embed=1&preset=scale-in");
    let (_, embed) = mount(Scenario::default(), true).await;
    send(&embed, Msg::AdvanceBy(MINUTE)).await;
    send(&embed, Msg::SetDesiredCount(4)).await;
    assert_eq!(
        storage().get_item(AUTOSAVE_KEY).unwrap(),
        Some(saved.to_json()),
        "the user's run stays saved"
    );
    storage().remove_item(AUTOSAVE_KEY).unwrap();
    storage().remove_item(REJECTED_KEY).unwrap();
    set_query(&original);
}

#[wasm_bindgen_test]
fn the_url_beats_the_autosave_which_beats_the_defaults() {
    use ecs_daemon_sim::ui::share::{choose, Source};
    let saved = RunScenario::with_seed(9).to_json();
    let (source, notices, rejected) = choose("?seed=5&instances=3", Some(&saved));
    assert!(matches!(&source, Source::Url(run) if run.seed == 5 && run.knob("instances") == Some(3.0)));
    assert!(notices.is_empty() && !rejected);
    assert!(matches!(choose("", Some(&saved)).0, Source::Autosave(run) if run.seed == 9));
    assert!(matches!(choose("?bench", Some(&saved)).0, Source::Autosave(_)), "?bench is no scenario");
    assert_eq!(
        choose("?lesson=daemon-first", Some(&saved)).0,
        Source::Defaults,
        "a lesson brings its own run"
    );
    assert!(
        matches!(choose("?preset=scale-in", None).0, Source::Url(run) if run.seed == Scenario::default().seed),
        "a link without a seed gets the playground's own"
    );
    let (source, notices, rejected) = choose("", Some(r#"{"schemaVersion": 3}"#));
    assert_eq!(source, Source::Defaults);
    assert!(rejected, "the caller moves the value aside");
    assert!(notices[0].message.contains("UnsupportedSchemaVersionException"), "{:?}", notices);
    assert_eq!(choose("", None).0, Source::Defaults);
}

#[wasm_bindgen_test]
async fn reset_goes_back_to_the_setup_of_the_run() {
    let setup = Scenario { instances: 2, ..Scenario::default() };
    let fresh = Playground::new(setup.clone());
    let (root, driver) = mount(setup, false).await;
    send(&driver, Msg::AdvanceBy(5 * MINUTE)).await;
    send(&driver, Msg::DeployRevision).await;
    send(&driver, Msg::AdvanceBy(MINUTE)).await;
    assert_ne!(run_info(&root).0, format!("{:016x}", fresh.event_log_hash()));
    send(&driver, Msg::Reset).await;
    assert_eq!(text(&root, "#clock"), "0:00");
    assert_eq!(
        run_info(&root),
        (format!("{:016x}", fresh.event_log_hash()), 0, fresh.input_count()),
        "the setup inputs only, replayed to the same events"
    );
    assert!(text(&root, "#deploy").contains("monitoring-agent:2"), "revision 2 is not registered yet");
    assert_eq!(
        root.query_selector_all("#grid .chip.daemon[data-task-definition=\"monitoring-agent:2\"]")
            .unwrap()
            .length(),
        0
    );
}

#[wasm_bindgen_test]
fn a_lesson_scenario_loads_with_its_script_and_seeks_by_replay() {
    use ecs_daemon_sim::session::Session;
    let lesson = ecs_daemon_sim::session::lessons::lesson("daemon-first").unwrap();
    let reference = Session::new(lesson.scenario()).unwrap();
    let mut playground = Playground::new(Scenario::default());
    playground.playing = false;
    playground.load_scenario(lesson.scenario()).unwrap();
    assert_eq!(playground.event_log_hash(), reference.simulation().event_log_hash());
    assert_eq!(playground.elapsed(), reference.simulation().elapsed(), "the setup script's sleep included");
    // The learner's step: the service whose instance waits for its daemon.
    assert!(playground.start_script(
        "aws ecs create-service --cluster lesson --service-name web --task-definition web:1 --desired-count 1 \
         --capacity-provider-strategy capacityProvider=lesson-mi,weight=1"
    ));
    assert!(playground.script_step());
    assert_eq!(playground.console.output[0].exit_code, 0, "{:?}", playground.console.output);
    playground.advance_by(10 * MINUTE);
    let (at, hash) = (playground.elapsed(), playground.event_log_hash());
    assert_ne!(hash, reference.simulation().event_log_hash(), "the service's instance came up");
    playground.seek(0);
    assert!(playground.event_log_hash() != hash);
    playground.seek(at);
    assert_eq!(playground.event_log_hash(), hash, "seeking back and forth replays the same run");
    playground.reset();
    assert_eq!(
        playground.event_log_hash(),
        reference.simulation().event_log_hash(),
        "reset: the lesson's start"
    );
    // A scenario that does not replay is refused and the run stays.
    let bad = RunScenario {
        script: Some("aws ecs create-cluster --cluster-name 'open".into()),
        ..RunScenario::with_seed(3)
    };
    let error = playground.load_scenario(bad).unwrap_err();
    assert_eq!(error.error_type, "ReplayFailedException", "{error}");
    assert_eq!(playground.event_log_hash(), reference.simulation().event_log_hash());
}

#[wasm_bindgen_test]
fn a_preset_records_the_same_log_at_any_frame_size() {
    let preset = ecs_daemon_sim::ui::presets::preset("alarm-in-bake").unwrap();
    let play = |step_ms: u64| {
        let mut run = Playground::with_preset(preset);
        run.playing = false;
        while !run.preset_finished() {
            run.advance_by(step_ms);
        }
        run
    };
    // ≈ 1× (a frame of 16 simulated ms would take too long here: 997 ms is off the 5 s grid too)
    // and ≈ 1000× (16 simulated seconds per frame), and a coarse minute.
    let fine = play(997);
    for other in [play(16_000), play(61_000)] {
        assert_eq!(other.log(), fine.log(), "the same inputs at the same simulated times");
        assert_eq!((other.elapsed(), other.event_log_hash()), (fine.elapsed(), fine.event_log_hash()));
        assert_eq!(other.run_scenario(), fine.run_scenario());
    }
    assert!(fine.log().iter().any(|c| c.label == "alarm ALARM"), "the preset's alarm step is in the log");
    assert_eq!(fine.preset_result.as_ref().map(Result::is_ok), Some(true), "{:?}", fine.preset_result);
}

#[wasm_bindgen_test]
fn a_url_log_that_does_not_replay_is_dropped_and_the_rest_kept() {
    use ecs_daemon_sim::ui::share::{choose, start};
    // Well-formed, but its one call fails on replay (no such cluster).
    let log = r#"[{"atMs": 0, "call": {"service": "ecs", "action": "UpdateService", "input": {"cluster": "nope", "service": "web", "desiredCount": 3}}}]"#;
    let query = format!(
        "?v=1&seed=4&preset=scale-in&instances=3&autoplay=1&log={}",
        ecs_daemon_sim::session::scenario::base64url_encode(log.as_bytes())
    );
    let (source, mut notices, _) = choose(&query, None);
    assert!(notices.is_empty(), "{notices:?}");
    let run = start(&source, &mut notices);
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].subject, "log");
    assert!(
        notices[0].message.contains("ReplayFailedException") && notices[0].message.contains("log[0]"),
        "{:?}",
        notices[0]
    );
    assert_eq!(run.preset().map(|p| p.id), Some("scale-in"), "the preset is kept");
    assert_eq!(run.scenario().instances, 3, "and the knobs");
    assert_eq!(run.run_scenario().seed, 4, "and the seed");
    assert!(run.playing, "autoplay=1 plays");
    assert_eq!(run.elapsed(), 0);
}

#[wasm_bindgen_test]
fn a_preset_run_rebuilt_mid_deployment_is_still_running_and_then_meets_its_caption() {
    let preset = ecs_daemon_sim::ui::presets::preset("rolling-update").unwrap();
    let mut live = Playground::with_preset(preset);
    live.playing = false;
    while live.deployment().map(|d| d.target_revision.clone()).as_deref() != Some("monitoring-agent:2") {
        live.advance_by(10_000);
        assert!(live.elapsed() < 30 * MINUTE, "the preset never deployed");
    }
    live.advance_by(3 * MINUTE);
    assert_eq!(live.deployment().unwrap().status, "IN_PROGRESS");
    assert_eq!(live.preset_result, None);

    let mut rebuilt = Playground::from_run(live.run_scenario(), &mut Vec::new()).unwrap();
    assert_eq!(
        rebuilt.preset_result, None,
        "the rebuilt preset is still running: {:?}",
        rebuilt.preset_result
    );
    assert_eq!(rebuilt.event_log_hash(), live.event_log_hash());
    // A seek back and forth recounts the steps the same way.
    let at = live.elapsed();
    live.seek(MINUTE);
    live.seek(at);
    assert_eq!(live.preset_result, None);
    assert_eq!(live.event_log_hash(), rebuilt.event_log_hash());
    for run in [&mut live, &mut rebuilt] {
        while !run.preset_finished() {
            run.advance_by(MINUTE);
        }
    }
    assert_eq!(rebuilt.log(), live.log(), "no step performed twice");
    assert_eq!(rebuilt.event_log_hash(), live.event_log_hash());
    assert_eq!(rebuilt.preset_result.as_ref().map(Result::is_ok), Some(true), "{:?}", rebuilt.preset_result);
}

/// The model converts an event to JSON only when asked, once (the same `Rc` after), and its hash
/// covers every event whether or not the log panel ever asked for it; a seek back forgets the
/// converted events with the run they came from.
#[wasm_bindgen_test]
fn event_json_is_converted_on_demand_and_the_hash_still_covers_every_event() {
    let mut run = Playground::new(Scenario { instances: 3, ..Scenario::default() });
    run.playing = false;
    run.advance_by(5 * MINUTE);
    let count = run.event_count();
    assert!(count > 10, "events expected, found {count}");
    let newest = run.event_json(count - 1).unwrap();
    assert_eq!(*newest, run.sim().events()[count - 1].to_json());
    assert!(std::rc::Rc::ptr_eq(&newest, &run.event_json(count - 1).unwrap()), "converted once");
    assert_eq!(run.event_json(count), None);
    assert_eq!(run.event_log_hash(), run.sim().event_log_hash(), "all events hashed, one converted");

    let early = run.event_json(1).unwrap();
    run.seek(0);
    assert_eq!(run.event_log_hash(), run.sim().event_log_hash());
    run.advance_by(5 * MINUTE);
    assert_eq!(run.event_count(), count, "the replay is the same run");
    let again = run.event_json(1).unwrap();
    assert_eq!(*again, *early);
    assert!(!std::rc::Rc::ptr_eq(&again, &early), "converted anew after the seek");
    assert_eq!(run.event_log_hash(), run.sim().event_log_hash());
}

/// Counts and the deployment summary are cached per state of the run: every input and every
/// advance shows up in them at once.
#[wasm_bindgen_test]
fn cached_counts_and_deployment_follow_inputs_and_time() {
    let mut run = Playground::new(Scenario { instances: 2, ..Scenario::default() });
    run.playing = false;
    run.advance_by(10 * MINUTE);
    let (running, desired) = run.app_counts();
    assert_eq!(running, desired);
    assert_eq!(run.status_counts().active, 2);
    assert!(run.set_desired_count(desired + 2), "{:?}", run.last_error);
    assert_eq!(run.app_counts().1, desired + 2, "the input is seen without an advance");
    assert!(run.deployment().is_some());
    let before = run.deployment().unwrap();
    assert!(run.deploy_new_revision(), "{:?}", run.last_error);
    assert_ne!(run.deployment().unwrap().id, before.id, "the new deployment is seen at once");
    let bake_seen = run.deployment().unwrap();
    run.advance_by(MINUTE);
    assert!(!std::rc::Rc::ptr_eq(&bake_seen, &run.deployment().unwrap()), "recomputed after time moved");
    assert_eq!(*run.deployment().unwrap(), *run.deployment().unwrap());
}
