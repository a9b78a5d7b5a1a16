//! The playground explains what it shows (headless Chromium, simulated time driven by hand, never
//! by waiting on wall time): revisions on every tile, the story line's key moments, the inspector's
//! causes, and text that does not contradict the run.
#![cfg(target_arch = "wasm32")]

use ecs_daemon_sim::ui::{Driver, Msg, Scenario, TileFault};
use wasm_bindgen_test::*;

use crate::support::dom::*;

const MINUTE: u64 = 60_000;
const STEP: u64 = 5_000;

/// Advances in 5-second steps until `done` holds (at most `minutes` simulated minutes).
async fn advance_until(
    root: &web_sys::Element,
    driver: &Driver,
    minutes: u64,
    what: &str,
    done: impl Fn(&web_sys::Element) -> bool,
) {
    for _ in 0..minutes * MINUTE / STEP {
        if done(root) {
            return;
        }
        advance(driver, STEP).await;
    }
    assert!(done(root), "{what} never happened; story: {}", text(root, "#narration"));
}

fn revisions_on_tiles(root: &web_sys::Element) -> Vec<String> {
    let mut revisions: Vec<String> =
        live_tiles(root).iter().filter_map(|t| t.get_attribute("data-revision")).collect();
    revisions.sort();
    revisions.dedup();
    revisions
}

fn story(root: &web_sys::Element) -> String {
    text(root, "#narration")
}

#[wasm_bindgen_test]
async fn tiles_show_both_revisions_in_a_rollout_and_a_rollback_returns_them_to_1() {
    let (root, driver) = mount(Scenario { instances: 4, bake_minutes: 10, ..Scenario::default() }).await;
    fleet_ready(&root, &driver, 4).await;
    assert_eq!(revisions_on_tiles(&root), vec!["1"]);
    for tile in live_tiles(&root) {
        assert!(tile.text_content().unwrap().contains("agent :1"), "the revision is written on the tile");
    }
    send(&driver, Msg::DeployRevision).await;
    advance_until(&root, &driver, 30, "both revisions on the grid", |r| revisions_on_tiles(r) == ["1", "2"])
        .await;
    let hue = |rev: &str| {
        attr(&root, &format!("#grid .tile[data-revision=\"{rev}\"]"), "style").unwrap_or_default()
    };
    assert!(hue("1").contains("--rev") && hue("2").contains("--rev"), "{} / {}", hue("1"), hue("2"));
    assert_ne!(hue("1"), hue("2"), "each revision has its own hue");
    assert!(
        count(&root, "#grid .chip.daemon[data-revision=\"2\"]") > 0
            && text(&root, "#grid").contains("agent :2")
            && text(&root, "#grid").contains("agent :1"),
        "both revisions are written on the tiles"
    );
    // Every instance on :2, baking: an alarm now rolls the deployment back to :1.
    advance_until(&root, &driver, 60, "the bake window with every live tile on :2", |r| {
        exists(r, "#bake") && revisions_on_tiles(r) == ["2"]
    })
    .await;
    send(&driver, Msg::ToggleAlarm).await;
    advance_until(&root, &driver, 60, "the rollback", |r| {
        attr(r, "#deployment-status", "data-status").as_deref() == Some("ROLLBACK_SUCCESSFUL")
    })
    .await;
    advance(&driver, 2 * MINUTE).await;
    assert_eq!(revisions_on_tiles(&root), vec!["1"], "the rollback returns every tile to :1");
}

#[wasm_bindgen_test]
async fn the_story_names_the_held_instance_and_its_daemon() {
    let (root, driver) = mount(Scenario { instances: 2, ..Scenario::default() }).await;
    advance_until(&root, &driver, 10, "an instance REGISTERING", |r| {
        exists(r, "#grid .tile[data-status=REGISTERING]")
    })
    .await;
    let held = attr(&root, "#grid .tile[data-status=REGISTERING]", "data-instance").unwrap();
    let story = story(&root);
    assert!(story.contains(&format!("Instance {} is held in REGISTERING", &held[..8])), "{story}");
    assert!(story.contains("until its daemon monitoring-agent:1 is RUNNING"), "{story}");
    assert!(story.contains("so far"), "how long it has been held: {story}");
    assert!(attr(&root, "#narration", "data-moments").unwrap().contains("hold"));
    // The app task waits in a held slot on that tile.
    let tile = format!("#grid .tile[data-instance=\"{held}\"]");
    if exists(&root, &format!("{tile} .chip.app")) {
        assert!(exists(&root, &format!("{tile} .chip.app.held")), "{}", text(&root, &tile));
    }
}

#[wasm_bindgen_test]
async fn the_story_names_the_batch_and_its_size_during_a_deployment() {
    let (root, driver) = mount(Scenario::default()).await;
    fleet_ready(&root, &driver, 8).await;
    send(&driver, Msg::DeployRevision).await;
    advance_until(&root, &driver, 10, "a drain batch", |r| {
        attr(r, "#narration", "data-moments").unwrap_or_default().contains("batch")
    })
    .await;
    let story = story(&root);
    assert!(story.contains("batch 1 of 4, size 2 (drainPercent 25 of 8 instances)"), "{story}");
    let draining = attr(&root, "#grid .tile[data-status=DRAINING]", "data-instance").unwrap();
    assert!(story.contains(&draining[..8]), "the story names a draining instance: {story}");
    assert!(exists(&root, "#grid .tile.batch[data-status=DRAINING]"), "the batch is outlined");
}

#[wasm_bindgen_test]
async fn the_story_gives_the_breaker_count_in_a_bad_image_rollout() {
    let (root, driver) = mount(Scenario { instances: 4, ..Scenario::default() }).await;
    fleet_ready(&root, &driver, 4).await;
    send(&driver, Msg::ArmBadImage(true)).await;
    send(&driver, Msg::DeployRevision).await;
    advance_until(&root, &driver, 30, "a failed daemon start", |r| {
        attr(r, "#narration", "data-moments").unwrap_or_default().contains("breaker")
    })
    .await;
    let story = story(&root);
    assert!(story.contains("monitoring-agent:2 could not start"), "{story}");
    assert!(story.contains("Circuit breaker: 1 of 3 failed starts"), "{story}");
    advance_until(&root, &driver, 60, "the rollback", |r| {
        attr(r, "#narration", "data-moments").unwrap_or_default().contains("rollback")
    })
    .await;
    assert!(story_contains(&root, "Rolling back to monitoring-agent:1: the circuit breaker tripped"));
}

fn story_contains(root: &web_sys::Element, needle: &str) -> bool {
    let story = story(root);
    assert!(story.contains(needle), "{needle:?} not in {story}");
    true
}

#[wasm_bindgen_test]
async fn the_inspector_gives_the_cause_of_a_deployment_drain() {
    let (root, driver) = mount(Scenario::default()).await;
    fleet_ready(&root, &driver, 8).await;
    send(&driver, Msg::DeployRevision).await;
    advance_until(&root, &driver, 10, "a deployment drain", |r| {
        exists(r, "#grid .tile[data-status=DRAINING][data-drain-cause=DEPLOYMENT]")
    })
    .await;
    click(&root, "#grid .tile[data-status=DRAINING][data-drain-cause=DEPLOYMENT]");
    settle().await;
    assert!(!exists(&root, "#tile-menu"), "a click inspects; the menu is the context menu's");
    let cause = text(&root, "#inspector-cause");
    assert!(cause.starts_with("DRAINING: deployment batch 1 of 4 (to monitoring-agent:2)"), "{cause}");
    let timeline = text(&root, "#inspector .instance-timeline");
    assert!(
        timeline.contains("EC2 instance launched") && timeline.contains("daemon monitoring-agent:1 RUNNING"),
        "{timeline}"
    );
    assert!(timeline.contains("app task web started") && timeline.contains("draining"), "{timeline}");
}

#[wasm_bindgen_test]
async fn the_inspector_gives_the_cause_of_an_auto_repair_and_of_a_user_drain() {
    let (root, driver) = mount(Scenario { instances: 4, ..Scenario::default() }).await;
    fleet_ready(&root, &driver, 4).await;
    let tiles = live_tiles(&root);
    let repaired = tiles[0].get_attribute("data-instance").unwrap();
    let drained = tiles[1].get_attribute("data-instance").unwrap();
    send(&driver, Msg::Select(Some(repaired.clone()))).await;
    click(&root, "#inspector button[data-action=stop-daemon]");
    settle().await;
    advance(&driver, STEP).await;
    let cause = text(&root, "#inspector-cause");
    assert!(cause.starts_with("DRAINING: auto-repair"), "{cause}");
    assert!(story(&root).contains(&format!("Auto-repair of {}", &repaired[..8])), "{}", story(&root));

    send(&driver, Msg::Fault(TileFault::Drain, drained.clone())).await;
    send(&driver, Msg::Select(Some(drained.clone()))).await;
    advance(&driver, STEP).await;
    let cause = text(&root, "#inspector-cause");
    assert!(cause.starts_with("DRAINING: drained by you"), "{cause}");
}

#[wasm_bindgen_test]
async fn an_initial_deployment_on_an_empty_provider_shows_no_batches() {
    let (root, driver) = mount(Scenario::default()).await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let status = attr(&root, "#deployment-status", "data-status").unwrap_or_default();
        assert!(matches!(status.as_str(), "PENDING" | "SUCCESSFUL"), "{status}");
        statuses.push(status);
        let panel = text(&root, ".deployment");
        assert!(!exists(&root, "#deployment-batch"), "{panel}");
        assert!(!panel.contains("batch") && !panel.contains("replaced 0 of"), "{panel}");
        assert!(exists(&root, "#deployment-empty"), "it says the provider had no instances: {panel}");
        advance(&driver, MINUTE).await;
    }
    assert_eq!(statuses.last().map(String::as_str), Some("SUCCESSFUL"), "{statuses:?}");
}

#[wasm_bindgen_test]
async fn the_rolling_update_caption_follows_drain_percent() {
    let (root, driver) = mount(Scenario::default()).await;
    click(&root, "button.preset[data-preset=rolling-update]");
    driver.send(Msg::TogglePlay);
    settle().await;
    assert_eq!(text(&root, "#play"), "Play");
    let caption = text(&root, "#preset-caption");
    assert!(caption.contains("replaces 2 of the 8 instances at a time (batches of 2)"), "{caption}");
    assert!(caption.contains("fast-forwarded"), "the skipped boot is said: {caption}");
    send(&driver, Msg::SetDrainPercent(50.0)).await;
    let caption = text(&root, "#preset-caption");
    assert!(
        caption.contains("at drainPercent 50 replaces 4 of the 8 instances at a time (batches of 4)"),
        "{caption}"
    );
}
