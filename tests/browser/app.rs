//! The playground mounted into a real DOM in headless Chromium (wasm-bindgen-test). Simulated time
//! is driven by hand through the app's messages (never by waiting on wall time); each check yields
//! to Yew's scheduler and then reads the DOM.
#![cfg(target_arch = "wasm32")]

use ecs_daemon_sim::ui::{Driver, Msg, Scenario};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::support::dom::*;

use ecs_daemon_sim::engine::time::MINUTE;

fn html_element(root: &web_sys::Element, selector: &str) -> web_sys::HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .dyn_into()
        .unwrap()
}

/// Sets an input's value and fires the event Yew listens to.
fn set_input(root: &web_sys::Element, selector: &str, value: &str, event: &str) {
    let input =
        root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no element matches {selector}"));
    js_sys::Reflect::set(&input, &"value".into(), &value.into()).unwrap();
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input.dispatch_event(&web_sys::Event::new_with_event_init_dict(event, &init).unwrap()).unwrap();
}

#[wasm_bindgen_test]
async fn app_mounts_with_name_grid_and_play_button() {
    let (root, _driver) = mount(Scenario::default()).await;
    assert_eq!(text(&root, "h1"), "ecs-daemon-sim");
    assert!(root.query_selector("#grid").unwrap().is_some());
    // Mounted paused for the test: the button offers Play and toggles to Pause.
    let play = html_element(&root, "#play");
    assert_eq!(play.text_content().unwrap(), "Play");
    play.click();
    settle().await;
    assert_eq!(play.text_content().unwrap(), "Pause");
    assert_eq!(play.get_attribute("aria-pressed").as_deref(), Some("false"));
    play.click();
    settle().await;
    assert_eq!(play.text_content().unwrap(), "Play");
}

#[wasm_bindgen_test]
async fn scale_out_shows_the_tile_count_per_status() {
    let (root, driver) = mount(Scenario::default()).await;
    // The service asks for 8 tasks: the provider launches 8 instances, none registered yet.
    assert_eq!(count(&root, "#grid .tile[data-status=PROVISIONING]"), 8);
    assert_eq!(text(&root, "#count-provisioning"), "8");
    assert_eq!(text(&root, "#count-active"), "0");
    fleet_ready(&root, &driver, 8).await;
    assert_eq!(text(&root, "#count-active"), "8");

    set_input(&root, "#desired-count", "12", "change");
    settle().await;
    advance(&driver, 20_000).await;
    // Four new instances are on their way; none of them is ACTIVE before its daemon runs.
    let launching = count(&root, "#grid .tile:not([data-status=ACTIVE])");
    assert_eq!(launching, 4, "four new tiles appear for the scale-out");
    assert_eq!(count(&root, "#grid .tile[data-status=ACTIVE]"), 8);

    fleet_ready(&root, &driver, 12).await;
    assert_eq!(count(&root, "#grid .tile"), 12);
    assert_eq!(text(&root, "#count-active"), "12");
    assert_eq!(text(&root, "#count-registering"), "0");
    assert_eq!(text(&root, "#count-draining"), "0");
    assert_eq!(count(&root, "#grid .tile .chip.daemon[data-status=RUNNING]"), 12);
    assert_eq!(count(&root, "#grid .tile .chip.app[data-status=RUNNING]"), 12);
}

#[wasm_bindgen_test]
async fn daemon_chip_runs_before_any_app_chip_on_a_new_tile() {
    let (root, driver) = mount(Scenario { instances: 3, ..Scenario::default() }).await;
    // instance id → (step the daemon chip was first RUNNING, step an app chip was first RUNNING)
    let mut firsts: std::collections::BTreeMap<String, (Option<u32>, Option<u32>)> = Default::default();
    let mut registering_seen = false;
    for step in 0..400 {
        driver.send(Msg::StepEvent);
        settle().await;
        for tile in live_tiles(&root) {
            let id = tile.get_attribute("data-instance").unwrap();
            let daemon_running = tile.query_selector(".chip.daemon[data-status=RUNNING]").unwrap().is_some();
            let app_running = tile.query_selector(".chip.app[data-status=RUNNING]").unwrap().is_some();
            let status = tile.get_attribute("data-status").unwrap();
            if status == "REGISTERING" {
                registering_seen = true;
                assert!(!app_running, "an app chip ran on REGISTERING tile {id}");
            }
            let entry = firsts.entry(id.clone()).or_default();
            if daemon_running && entry.0.is_none() {
                entry.0 = Some(step);
            }
            if app_running && entry.1.is_none() {
                entry.1 = Some(step);
                assert!(entry.0.is_some(), "app chip RUNNING on {id} before its daemon chip");
            }
        }
        if firsts.len() == 3 && firsts.values().all(|(_, app)| app.is_some()) {
            break;
        }
    }
    assert!(registering_seen, "tiles should show REGISTERING while the daemon starts");
    assert_eq!(firsts.len(), 3, "three tiles expected: {firsts:?}");
    for (id, (daemon, app)) in &firsts {
        let (daemon, app) =
            (daemon.expect("daemon ran"), app.unwrap_or_else(|| panic!("app never ran on {id}")));
        assert!(daemon < app, "on {id} the daemon chip ran at step {daemon}, the app chip at {app}");
    }
}

#[wasm_bindgen_test]
async fn drain_percent_slider_changes_the_shown_batch_size() {
    let (root, driver) = mount(Scenario::default()).await;
    fleet_ready(&root, &driver, 8).await;
    assert!(!exists(&root, "#batch-hint"));
    assert_eq!(text(&root, "#batch-size"), "2", "25% of 8 instances");
    for (percent, batch) in [("50", "4"), ("100", "8"), ("10", "1"), ("0", "1"), ("75", "6")] {
        set_input(&root, "#drain-percent", percent, "input");
        settle().await;
        assert_eq!(text(&root, "#batch-size"), batch, "drainPercent {percent}");
    }
}

#[wasm_bindgen_test]
async fn rolling_update_drains_at_most_the_batch_size() {
    let (root, driver) = mount(Scenario::default()).await;
    fleet_ready(&root, &driver, 8).await;
    let batch: u32 = text(&root, "#batch-size").parse().unwrap();
    assert_eq!(batch, 2);
    html_element(&root, "#deploy").click();
    settle().await;

    let mut most_draining = 0;
    let mut finished = false;
    for _ in 0..3000 {
        driver.send(Msg::StepEvent);
        settle().await;
        let draining = count(&root, "#grid .tile[data-status=DRAINING]");
        assert!(draining <= batch, "{draining} tiles DRAINING with a batch size of {batch}");
        most_draining = most_draining.max(draining);
        if attr(&root, "#deployment-status", "data-status").as_deref() == Some("SUCCESSFUL") {
            finished = true;
            break;
        }
    }
    assert!(finished, "deployment did not finish: {}", text(&root, ".deployment"));
    assert_eq!(most_draining, batch, "the window should fill up to the batch size");
    // Every live tile ends on the new revision, and the app never lost a task.
    advance(&driver, 2 * MINUTE).await;
    let tiles = live_tiles(&root);
    assert_eq!(tiles.len(), 8);
    for tile in tiles {
        let chip = tile.query_selector(".chip.daemon").unwrap().unwrap();
        let revision = chip.get_attribute("data-task-definition").unwrap_or_default();
        assert_eq!(revision, "monitoring-agent:2", "a tile still runs {revision}");
        assert_eq!(chip.get_attribute("data-status").as_deref(), Some("RUNNING"));
    }
}

#[wasm_bindgen_test]
async fn stopping_a_daemon_from_the_tile_menu_auto_repairs_the_instance() {
    let (root, driver) = mount(Scenario { instances: 4, ..Scenario::default() }).await;
    fleet_ready(&root, &driver, 4).await;
    let victim = live_tiles(&root).into_iter().next().unwrap();
    let id = victim.get_attribute("data-instance").unwrap();

    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    let menu_event = web_sys::MouseEvent::new_with_mouse_event_init_dict("contextmenu", &init).unwrap();
    victim.dispatch_event(&menu_event).unwrap();
    settle().await;
    assert_eq!(attr(&root, "#tile-menu", "data-instance").as_deref(), Some(id.as_str()));
    html_element(&root, "#tile-menu button[data-action=stop-daemon]").click();
    settle().await;
    assert!(root.query_selector("#tile-menu").unwrap().is_none(), "the menu closes");

    advance(&driver, 5_000).await;
    let tile = format!("#grid .tile[data-instance=\"{id}\"]");
    assert_eq!(attr(&root, &tile, "data-status").as_deref(), Some("DRAINING"));
    assert_eq!(attr(&root, &tile, "data-drain-cause").as_deref(), Some("AUTO_REPAIR"));

    // The replacement comes up, takes the app task, and the old instance goes away.
    for _ in 0..20 {
        advance(&driver, MINUTE).await;
        if attr(&root, &tile, "data-status").as_deref().is_none_or(|s| s == "TERMINATED") {
            break;
        }
    }
    let status = attr(&root, &tile, "data-status");
    assert!(status.is_none() || status.as_deref() == Some("TERMINATED"), "old instance is {status:?}");
    fleet_ready(&root, &driver, 4).await;
    let short = &id[..8];
    let linked = live_tiles(&root)
        .into_iter()
        .any(|t| t.text_content().unwrap_or_default().contains(&format!("replaces {short}")));
    assert!(linked, "the replacement tile names the instance it replaced");
}

#[wasm_bindgen_test]
async fn event_log_filters_by_an_eventbridge_pattern() {
    let (root, driver) = mount(Scenario { instances: 2, ..Scenario::default() }).await;
    fleet_ready(&root, &driver, 2).await;
    // The log is built when its panel is open, as a user opens it.
    html_element(&root, "#tab-events").click();
    settle().await;
    let all = count(&root, ".events .event");
    assert!(all > 10, "events expected, found {all}");
    set_input(
        &root,
        "#event-pattern",
        r#"{"detail-type": ["ECS Container Instance State Change"], "detail": {"status": ["ACTIVE"]}}"#,
        "input",
    );
    settle().await;
    assert_eq!(count(&root, ".events .event"), 2, "one ACTIVE change per instance");
    assert_eq!(count(&root, ".events .event[data-detail-type=\"ECS Container Instance State Change\"]"), 2);
    // Clicking an event selects (highlights) its instance and expands its JSON.
    assert_eq!(count(&root, "#grid .tile.selected"), 0);
    html_element(&root, ".events .event summary").click();
    settle().await;
    assert_eq!(count(&root, "#grid .tile.selected"), 1, "the event's instance is highlighted");
    assert!(text(&root, ".events .event details[open] pre").contains("\"detail-type\""));

    set_input(&root, "#event-pattern", r#"{"detail": {"status": [{"prefix": 1}]}}"#, "input");
    settle().await;
    assert!(root.query_selector("#pattern-error").unwrap().is_some(), "a bad pattern is reported");
}

#[wasm_bindgen_test]
async fn every_preset_plays_to_its_end_and_meets_its_caption() {
    let (root, driver) = mount(Scenario::default()).await;
    for preset in ecs_daemon_sim::ui::presets::PRESETS {
        html_element(&root, &format!("button.preset[data-preset={}]", preset.id)).click();
        // Loading starts playing on wall time: pause at once and drive by hand.
        driver.send(Msg::TogglePlay);
        settle().await;
        assert_eq!(attr(&root, "#preset-caption", "data-preset").as_deref(), Some(preset.id));
        assert_eq!(text(&root, "#play"), "Play");
        let mut minutes = 0;
        while attr(&root, "#preset-result", "data-met").as_deref() == Some("pending") {
            advance(&driver, MINUTE).await;
            minutes += 1;
            assert!(minutes <= 130, "{} never ended", preset.id);
        }
        assert_eq!(
            attr(&root, "#preset-result", "data-met").as_deref(),
            Some("true"),
            "{}: {}",
            preset.id,
            text(&root, "#preset-result")
        );
        if preset.id == "sidecar-vs-daemon" {
            // Seed 002's comparison, as measured: 12 app tasks on 2 vCPU / 4 GiB instances.
            let result = text(&root, "#preset-result");
            assert!(result.contains("agents 12 (one per task) vs 4 (one per instance)"), "{result}");
            assert!(result.contains("agent cpu 3072 vs 1024 units"), "{result}");
            assert!(result.contains("instances 6 vs 4"), "{result}");
        }
        // The run stops where it ended: the loop is paused.
        assert_eq!(text(&root, "#play"), "Play");
    }
}

#[wasm_bindgen_test]
async fn scrubbing_back_replays_the_run_and_fork_drops_the_future() {
    let (root, driver) = mount(Scenario { instances: 4, ..Scenario::default() }).await;
    fleet_ready(&root, &driver, 4).await;
    html_element(&root, "#deploy").click();
    settle().await;
    advance(&driver, 8 * MINUTE).await;
    let clock_then = text(&root, "#clock");
    let grid_then = text(&root, "#grid");
    let events_then = text(&root, "#event-count");
    let end: u64 = attr(&root, "#scrubber", "max").unwrap().parse().unwrap();

    // Back to one minute: a fresh simulation from the seed, the logged commands replayed.
    driver.send(Msg::Seek(MINUTE));
    settle().await;
    assert_eq!(text(&root, "#clock"), "1:00");
    assert_eq!(count(&root, "#grid .tile[data-status=ACTIVE]"), 0, "the fleet was still starting at 1:00");
    assert_eq!(attr(&root, "#scrubber", "max").unwrap().parse::<u64>().unwrap(), end, "the future is kept");
    assert!(
        root.query_selector("#fork:disabled").unwrap().is_none(),
        "fork is offered while a future exists"
    );

    // Forward again to the same instant: the same grid and the same event log, deployment included.
    driver.send(Msg::Seek(end));
    settle().await;
    assert_eq!(text(&root, "#clock"), clock_then);
    assert_eq!(text(&root, "#grid"), grid_then);
    assert_eq!(text(&root, "#event-count"), events_then);

    // Back, then fork: the recorded future (the deployment) is gone.
    driver.send(Msg::Seek(2 * MINUTE));
    driver.send(Msg::ForkHere);
    settle().await;
    assert_eq!(attr(&root, "#scrubber", "max").as_deref(), Some((2 * MINUTE).to_string().as_str()));
    assert!(root.query_selector("#fork:disabled").unwrap().is_some());
    advance(&driver, 10 * MINUTE).await;
    assert_eq!(attr(&root, "#deployment-status", "data-status").as_deref(), Some("SUCCESSFUL"));
    assert_eq!(count(&root, "#grid .chip.daemon[data-task-definition=\"monitoring-agent:2\"]"), 0);
}

#[wasm_bindgen_test]
async fn keyboard_shortcuts_set_speed_step_and_toggle_help() {
    let (root, _driver) = mount(Scenario { instances: 2, ..Scenario::default() }).await;
    let press = |key: &str| {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let e = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        gloo::utils::document().body().unwrap().dispatch_event(&e).unwrap();
    };
    press("9");
    settle().await;
    assert_eq!(text(&root, "#speed-value"), "1000×");
    press("1");
    settle().await;
    assert_eq!(text(&root, "#speed-value"), "1×");
    let before = text(&root, "#clock");
    press("ArrowRight");
    settle().await;
    assert_ne!(text(&root, "#clock"), before, "→ steps to the next event");
    press("?");
    settle().await;
    assert!(root.query_selector(".help").unwrap().is_some());
    press("Escape");
    settle().await;
    assert!(root.query_selector(".help").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn the_console_runs_the_seed_002_tutorial_and_the_grid_follows() {
    let (root, driver) = mount(Scenario { instances: 1, ..Scenario::default() }).await;
    html_element(&root, "#tab-console").click();
    settle().await;
    let script = root.query_selector("#console-script").unwrap().unwrap();
    let preloaded = js_sys::Reflect::get(&script, &"value".into()).unwrap().as_string().unwrap();
    assert!(preloaded.contains("aws ecs create-daemon"), "the tutorial is preloaded");

    html_element(&root, "#console-run").click();
    // Run starts playing on wall time: pause, then step the script by hand.
    driver.send(Msg::TogglePlay);
    settle().await;
    let mut saw_daemon_first_grid = false;
    for _ in 0..200 {
        if attr(&root, "#console-status", "data-running").as_deref() != Some("true") {
            break;
        }
        driver.send(Msg::ScriptStep);
        settle().await;
        // While the tutorial's cluster lives, its instance is drawn in its own provider group.
        let tutorial_tiles: Vec<_> = live_tiles(&root)
            .into_iter()
            .filter(|t| t.get_attribute("aria-label").unwrap_or_default().contains("ACTIVE"))
            .filter(|t| {
                t.closest(".provider")
                    .unwrap()
                    .unwrap()
                    .text_content()
                    .unwrap_or_default()
                    .contains("daemon-test-mi")
            })
            .collect();
        if tutorial_tiles.iter().any(|t| {
            t.query_selector(".chip.daemon[data-status=RUNNING]").unwrap().is_some()
                && t.query_selector(".chip.app[data-status=RUNNING]").unwrap().is_some()
        }) {
            saw_daemon_first_grid = true;
        }
    }
    assert_eq!(
        attr(&root, "#console-status", "data-running").as_deref(),
        Some("false"),
        "the script ran to its cleanup section"
    );
    assert!(saw_daemon_first_grid, "the tutorial's instance should show its daemon and app running");
    // Its world is its own: only daemon-test's capacity provider is drawn, not the playground's fleet.
    let groups = root.query_selector_all("#grid .provider").unwrap();
    assert!(groups.length() >= 1);
    for i in 0..groups.length() {
        let group = groups.item(i).unwrap().text_content().unwrap_or_default();
        assert!(group.contains("daemon-test-mi"), "a group of another world: {group}");
    }
    let output = text(&root, "#console-output");
    assert!(output.contains("$ aws ecs create-daemon"), "commands are echoed");
    assert!(output.contains("daemon:monitoring-agent"), "describe-tasks prints the daemon task's group");
    assert_eq!(count(&root, "#console-output .record.failed"), 0, "{}", text(&root, "#console-status"));
    // It paused before tearing down what it built.
    assert!(!text(&root, "#console-output").contains("aws ecs delete-daemon"));
    html_element(&root, "#console-after").click();
    // It plays on wall time as Run does: pause again, and step by hand.
    driver.send(Msg::TogglePlay);
    settle().await;
    for _ in 0..100 {
        if attr(&root, "#console-status", "data-running").as_deref() != Some("true") {
            break;
        }
        driver.send(Msg::ScriptStep);
        settle().await;
    }
    assert!(text(&root, "#console-output").contains("$ aws ecs delete-daemon"), "the cleanup ran");
    assert!(root.query_selector("#console-after").unwrap().is_none());
    assert_eq!(count(&root, "#console-output .record.failed"), 0, "{}", text(&root, "#console-output"));
    // The tutorial's world has no playground fleet for drainPercent to divide: no "batches of 0 of 0".
    assert!(exists(&root, "#batch-hint") && !exists(&root, "#batch-size"), "{}", text(&root, ".actions"));

    // The script is part of the run's log: seeking back and forward replays it to the same world.
    html_element(&root, "#tab-events").click();
    settle().await;
    let (clock, grid, events) = (text(&root, "#clock"), text(&root, "#grid"), text(&root, "#event-count"));
    let end: u64 = attr(&root, "#scrubber", "max").unwrap().parse().unwrap();
    driver.send(Msg::Seek(30_000));
    settle().await;
    assert_ne!(text(&root, "#event-count"), events);
    driver.send(Msg::Seek(end));
    settle().await;
    assert_eq!(text(&root, "#clock"), clock);
    assert_eq!(text(&root, "#grid"), grid);
    assert_eq!(text(&root, "#event-count"), events);
}

/// Sends one animation frame `wall_ms` after the previous hand-made one. The timestamps are far
/// beyond any real one, so a real frame in between moves nothing (its wall time is negative) and
/// each hand-made frame moves the clock by at most the model's per-frame cap at the current speed.
async fn frame(driver: &Driver, ts: &mut f64, wall_ms: f64) {
    *ts += wall_ms;
    driver.send(Msg::Frame(*ts));
    settle().await;
}

#[wasm_bindgen_test]
async fn a_console_sleep_plays_out_at_the_playground_speed_and_skip_ends_it() {
    let (root, driver) = mount(Scenario { instances: 1, ..Scenario::default() }).await;
    html_element(&root, "#tab-console").click();
    settle().await;
    set_input(&root, "#console-script", "sim clock\nsleep 60\nsim clock\nsleep 600\necho done\n", "input");
    settle().await;
    html_element(&root, "#console-run").click();
    settle().await;
    let mut ts = 1.0e12;
    // Frames until the script is in its first sleep.
    for _ in 0..5 {
        if attr(&root, "#console-status", "data-sleeping").as_deref() == Some("true") {
            break;
        }
        frame(&driver, &mut ts, 100.0).await;
    }
    assert_eq!(attr(&root, "#console-status", "data-sleeping").as_deref(), Some("true"));
    assert!(text(&root, "#console-lines li.running").contains("sleep 60"), "the running line is marked");
    let mut clocks = std::collections::BTreeSet::new();
    for _ in 0..40 {
        if attr(&root, "#console-status", "data-sleeping").as_deref() != Some("true") {
            break;
        }
        clocks.insert(text(&root, "#clock"));
        assert!(exists(&root, "#console-skip"));
        frame(&driver, &mut ts, 100.0).await;
    }
    assert!(clocks.len() >= 3, "the clock moved gradually while the script slept: {clocks:?}");
    // Into the 600 s sleep: Skip ends it at once, and the script goes on.
    for _ in 0..5 {
        if attr(&root, "#console-status", "data-sleeping").as_deref() == Some("true") {
            break;
        }
        frame(&driver, &mut ts, 100.0).await;
    }
    assert!(text(&root, "#console-lines li.running").contains("sleep 600"));
    let before = text(&root, "#clock");
    html_element(&root, "#console-skip").click();
    settle().await;
    assert_eq!(attr(&root, "#console-status", "data-sleeping").as_deref(), Some("false"));
    assert_ne!(text(&root, "#clock"), before, "Skip moved the clock to the sleep's end");
    frame(&driver, &mut ts, 100.0).await;
    assert!(text(&root, "#console-output").contains("done"));
}

#[wasm_bindgen_test]
async fn stop_ends_a_running_loop_between_commands() {
    let (root, driver) = mount(Scenario { instances: 1, ..Scenario::default() }).await;
    html_element(&root, "#tab-console").click();
    settle().await;
    set_input(&root, "#console-script", "while true; do echo tick; sleep 5; done\n", "input");
    settle().await;
    html_element(&root, "#console-run").click();
    driver.send(Msg::TogglePlay);
    settle().await;
    for _ in 0..6 {
        driver.send(Msg::ScriptStep);
        settle().await;
    }
    assert_eq!(attr(&root, "#console-status", "data-running").as_deref(), Some("true"));
    let ticks = text(&root, "#console-output").matches("tick").count();
    assert!(ticks >= 2, "the loop ran: {ticks}");
    // Ctrl-C in the panel stops it, as the Stop button does.
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("c");
    init.set_ctrl_key(true);
    init.set_bubbles(true);
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    root.query_selector("#console-lines").unwrap().unwrap().dispatch_event(&event).unwrap();
    settle().await;
    assert_eq!(attr(&root, "#console-status", "data-running").as_deref(), Some("false"));
    driver.send(Msg::ScriptStep);
    settle().await;
    assert_eq!(text(&root, "#console-output").matches("tick").count(), ticks, "nothing ran after the stop");
}
