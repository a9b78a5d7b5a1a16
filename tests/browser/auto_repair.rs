//! The playground's auto-repair switch in headless Chromium: off, a stopped daemon leaves its
//! instance ACTIVE and listed as IMPAIRED with nothing replaced; on again, the instance is
//! repaired; a shared run replays the switch. Simulated time is driven by messages, never waited on.
#![cfg(target_arch = "wasm32")]

use ecs_daemon_sim::ui::{App, AppProps, Driver, Msg, Playground, Scenario, TileFault};
use wasm_bindgen_test::*;

use crate::support::dom::*;

const MINUTE: u64 = 60_000;

async fn mount() -> (web_sys::Element, Driver) {
    let root = fresh_root();
    let driver = Driver::default();
    let scenario = Scenario { instances: 2, ..Scenario::default() };
    let props = AppProps { scenario, autoplay: false, driver: Some(driver.clone()), from_page: false };
    yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    settle().await;
    (root, driver)
}

async fn ready(root: &web_sys::Element, driver: &Driver) {
    for _ in 0..30 {
        if count(root, "#grid .tile[data-status=ACTIVE]") == 2 {
            return;
        }
        send(driver, Msg::AdvanceBy(MINUTE)).await;
    }
    panic!("the fleet never became ACTIVE");
}

#[wasm_bindgen_test]
async fn turning_auto_repair_off_holds_an_impaired_instance_and_on_repairs_it() {
    let (root, driver) = mount().await;
    ready(&root, &driver).await;
    assert_eq!(text(&root, "#auto-repair"), "Auto repair: on");
    assert_eq!(attr(&root, "#auto-repair", "aria-checked").as_deref(), Some("true"));

    click(&root, "#auto-repair");
    settle().await;
    assert_eq!(text(&root, "#auto-repair"), "Auto repair: off");
    assert_eq!(attr(&root, "#auto-repair", "aria-checked").as_deref(), Some("false"));
    assert!(
        text(&root, "#auto-repair-hint").contains("not restarted"),
        "{}",
        text(&root, "#auto-repair-hint")
    );

    let id = attr(&root, "#grid .tile[data-status=ACTIVE]", "data-instance").unwrap();
    send(&driver, Msg::Fault(TileFault::StopDaemon, id.clone())).await;
    for _ in 0..15 {
        send(&driver, Msg::AdvanceBy(MINUTE)).await;
    }
    let tile = format!("#grid .tile[data-instance='{id}']");
    assert_eq!(attr(&root, &tile, "data-status").as_deref(), Some("ACTIVE"), "not drained");
    assert!(exists(&root, &format!("{tile}.impaired")));
    assert_eq!(count(&root, "#grid .tile:not(.ghost)"), 2, "nothing launched for it");
    assert_eq!(count(&root, "#auto-repair-held li"), 1);
    let held = text(&root, "#auto-repair-held li");
    assert!(held.starts_with(&id[..8]) && held.contains("IMPAIRED") && held.contains("is stopped"), "{held}");

    click(&root, "#auto-repair");
    settle().await;
    assert_eq!(text(&root, "#auto-repair"), "Auto repair: on");
    assert!(!exists(&root, "#auto-repair-held"));
    assert_eq!(attr(&root, &tile, "data-drain-cause").as_deref(), Some("AUTO_REPAIR"));
}

#[wasm_bindgen_test]
fn the_switch_is_recorded_so_a_shared_run_replays_it() {
    let mut playground = Playground::new(Scenario { instances: 1, ..Scenario::default() });
    playground.advance_to(playground.elapsed() + 10 * MINUTE);
    assert!(playground.auto_repair());
    assert!(playground.set_auto_repair(false));
    assert!(!playground.auto_repair());
    let run = playground.run_scenario().clone();
    let mut warnings = Vec::new();
    let replayed = Playground::from_run(&run, &mut warnings).expect("the run replays");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(!replayed.auto_repair(), "the replay switched it off too");
    assert_eq!(replayed.event_log_hash(), playground.event_log_hash());
}
