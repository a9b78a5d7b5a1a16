//! Arbitrary bytes as one AWS JSON 1.1 request: the first line names the action (`ecs CreateDaemon`,
//! or just `CreateDaemon` for ecs), the rest is the body. It goes through `Api::call_text` twice: on a
//! fresh account and on a small world (seed 002's cluster, capacity provider, daemon and service,
//! five minutes in). Nothing may panic, every answer must be JSON, an error answer must be the AWS
//! error body (`__type` and `message`, both strings, with a 4xx/5xx status), and a refused request
//! must leave `Api::state_fingerprint()` unchanged.

#![no_main]

use ecs_daemon_sim::api::Api;
use ecs_daemon_sim::cli::{run_script, TUTORIAL_SCRIPT};
use ecs_daemon_sim::engine::SimConfig;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::sync::OnceLock;

fn world() -> &'static Api {
    static WORLD_API: OnceLock<Api> = OnceLock::new();
    WORLD_API.get_or_init(|| {
        let mut api = Api::new(SimConfig::with_seed(7));
        // Seed 002's tutorial up to the service, then the five minutes it waits.
        let setup_end = TUTORIAL_SCRIPT.find("# Wait about 5 minutes").expect("the tutorial's wait");
        let report = run_script(&mut api, &format!("{}sleep 300\n", &TUTORIAL_SCRIPT[..setup_end]));
        assert_eq!(report.exit_status, 0, "the fuzz world's setup failed: {:?}", report.records);
        api
    })
}

fn check(api: &mut Api, service: &str, action: &str, body: &str) {
    let before = api.state_fingerprint();
    let (status, answer) = api.call_text(service, action, body);
    let value: Value = serde_json::from_str(&answer)
        .unwrap_or_else(|e| panic!("{service} {action}: answer is not JSON ({e}): {answer}"));
    if status == 200 {
        assert!(value.is_object() || value.is_string(), "{service} {action}: {answer}");
        return;
    }
    assert!((400..600).contains(&status), "{service} {action}: status {status}");
    let error_type = value.get("__type").and_then(Value::as_str);
    let message = value.get("message").and_then(Value::as_str);
    assert!(
        error_type.is_some_and(|t| !t.is_empty()) && message.is_some(),
        "{service} {action}: error body without __type/message: {answer}"
    );
    assert_eq!(
        api.state_fingerprint(),
        before,
        "{service} {action}: refused ({answer}) but the state changed; body {body:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (header, body) = text.split_once('\n').unwrap_or((text, ""));
    let (service, action) = match header.trim().split_once(' ') {
        Some((service, action)) => (service, action.trim()),
        None => ("ecs", header.trim()),
    };
    check(&mut Api::new(SimConfig::with_seed(1)), service, action, body);
    check(&mut world().clone(), service, action, body);
});
