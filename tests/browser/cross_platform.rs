//! The same seed and commands give the byte-identical event log on every platform: this test
//! pins the hash of one full scenario (seed 002's setup, service, rolling update, a fault and an
//! auto-repair). It runs natively under `cargo test` and, unchanged, in the browser under
//! wasm-bindgen-test in headless Chromium (`cargo xtask test` runs the browser binary `tests/browser/main.rs` there),
//! where it must match too.

use crate::support::engine::*;
use ecs_daemon_sim::engine::*;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
/// Recorded natively; a change here is a change of behaviour (regenerate the goldens too).
const EXPECTED: u64 = 0xab3c_7cb4_4d93_a578;

fn scenario() -> (u64, usize) {
    let mut sim = seed002_base(2026);
    ok(&mut sim, create_service("app-svc", "test-app:1", 2, CP));
    let t = sim.now() + 600_000;
    sim.advance(t);
    ok(&mut sim, dtd("monitoring-agent", "public.ecr.aws/docker/library/httpd:alpine", 256, 512));
    ok(&mut sim, update_daemon("monitoring-agent", "monitoring-agent:2", &[CP], None));
    let t = sim.now() + 900_000;
    sim.advance(t);
    let victim = sim.tasks(CLUSTER).find(|t| t.is_daemon() && t.is_live()).unwrap().arn.to_string();
    ok(&mut sim, Command::StopTask { cluster: CLUSTER.into(), task: victim, reason: None });
    let t = sim.now() + 900_000;
    sim.advance(t);
    (sim.event_log_hash(), sim.events().len())
}

#[test]
fn event_log_hash_is_the_same_on_every_platform() {
    let (hash, n) = scenario();
    assert!(n > 50);
    assert_eq!(hash, EXPECTED, "event log hash {hash:#018x} ({n} events)");
}

/// `api::decimal::parse_f64` asks JavaScript's `parseFloat` for the value in the browser and std
/// natively: both must be exactly std's `str::parse::<f64>`, including the texts std refuses and
/// the ones that need more than a fast path to round correctly.
#[test]
fn decimal_parsing_is_std_parsing_on_every_platform() {
    use ecs_daemon_sim::support::decimal::disagreement_with_std;
    let texts = [
        "0",
        "-0",
        "25",
        "+50",
        "0.25",
        ".5",
        "7.",
        "1e3",
        "2.5E-3",
        "1e+2",
        "0.1",
        "0.3",
        "2.675",
        "9007199254740993",
        "123456789012345678901234567890",
        "0.30000000000000004",
        "2.2250738585072011e-308",
        "4.9406564584124654e-324",
        "1.7976931348623157e308",
        "1e400",
        "1e-400",
        "inf",
        "-Infinity",
        "NaN",
        "",
        "-",
        ".",
        "e3",
        "1e",
        "1e+",
        "1.2.3",
        " 1",
        "1 ",
        "0x10",
        "1_0",
        "Infinity1",
    ];
    let disagreements: Vec<String> = texts.iter().filter_map(|text| disagreement_with_std(text)).collect();
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}
