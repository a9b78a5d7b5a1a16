//! Follow mode's model in the browser: a playground that follows a served account (the endpoint
//! itself, answering the very requests `ecs-daemon-sim serve` would get) replays its recorded
//! inputs to the same event log, fleet and clock, and turns its drainPercent knob into the
//! UpdateDaemon the server applies. No wall time: each poll is one call here.
#![cfg(target_arch = "wasm32")]

use ecs_daemon_sim::endpoint::{Endpoint, Request};
use ecs_daemon_sim::session::follow::{Follower, Update};
use ecs_daemon_sim::session::scenario::Input;
use ecs_daemon_sim::ui::Playground;
use serde_json::{json, Value};
use wasm_bindgen_test::*;

fn send(
    endpoint: &mut Endpoint,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &str,
) -> (u16, Value) {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let response = endpoint.handle(&Request { method, path, query, headers, body: body.as_bytes() });
    (response.status, serde_json::from_slice(&response.body).unwrap_or(Value::Null))
}

/// One poll: the server's answer, absorbed and applied to the page's run as the page does.
fn poll(endpoint: &mut Endpoint, follower: &mut Follower, page: &mut Option<Playground>) -> (u64, String) {
    let (status, answer) = send(endpoint, "GET", &follower.poll_path(), &[], "");
    assert_eq!(status, 200);
    let Update::Apply { rebuild, entries, clock } = follower.absorb(&answer).unwrap() else {
        panic!("entries expected")
    };
    if let Some(account) = rebuild {
        *page = Some(Playground::following(*account).unwrap());
    }
    let page = page.as_mut().unwrap();
    page.follow(&entries, clock.elapsed_ms).unwrap();
    (clock.elapsed_ms, clock.event_log_hash)
}

#[wasm_bindgen_test]
fn a_following_playground_shows_the_servers_run_and_sends_its_knob_as_update_daemon() {
    let mut server = Endpoint::new(5, 0.0, None).unwrap();
    let setup = include_str!("../../examples/shared/setup.sh");
    let (status, ran) = send(&mut server, "POST", "/_sim/script", &[], &json!({"script": setup}).to_string());
    assert_eq!((status, ran["exitStatus"].as_i64()), (200, Some(0)), "{ran}");
    send(&mut server, "POST", "/_sim/advance", &[], r#"{"seconds": 600}"#);

    let mut follower = Follower::new();
    let mut page = None;
    let (elapsed, hash) = poll(&mut server, &mut follower, &mut page);
    let shown = page.as_ref().unwrap();
    assert_eq!((shown.elapsed(), elapsed), (600_000, 600_000));
    assert_eq!(format!("{:016x}", shown.event_log_hash()), hash, "the server's event log");
    let live = shown.tiles().iter().filter(|t| t.ghost_until.is_none()).count();
    assert_eq!(live, server.session().snapshot().instances.len());
    assert!(live > 0);
    assert_eq!(shown.deployment().map(|d| d.status), Some("SUCCESSFUL"), "the followed daemon's deployment");

    // The knob: an UpdateDaemon, sent as AWS JSON 1.1, applied by the server, followed back.
    let Some(Input::Call { service, action, input }) = shown.drain_percent_update(50.0) else {
        panic!("a call")
    };
    assert_eq!((service.as_str(), action.as_str()), ("ecs", "UpdateDaemon"));
    let target = vec![("X-Amz-Target".to_string(), format!("AmazonEC2ContainerServiceV20141113.{action}"))];
    let (status, updated) = send(&mut server, "POST", "/", &target, &input.to_string());
    assert_eq!(status, 200, "{updated}");
    send(&mut server, "POST", "/_sim/advance", &[], r#"{"seconds": 120}"#);
    let (elapsed, hash) = poll(&mut server, &mut follower, &mut page);
    let shown = page.as_mut().unwrap();
    assert_eq!(shown.elapsed(), elapsed);
    assert_eq!(format!("{:016x}", shown.event_log_hash()), hash);
    assert_eq!(shown.deployment().map(|d| d.drain_percent), Some(50.0));

    // An input whose time has passed here is refused: the runs would diverge.
    let late = ecs_daemon_sim::session::scenario::LogEntry {
        at_ms: 0,
        input: Input::Sim(vec!["fault".into(), "clear".into()]),
    };
    assert!(shown.follow(&[late], elapsed).is_err());
}
