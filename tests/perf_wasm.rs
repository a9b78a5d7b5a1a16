//! Benchmark entry (not a test; `#[ignore]`d so the test command skips it): the same engine workload
//! — sweep worlds without the invariant checker — timed natively (`std::time::Instant`) and in
//! headless Chromium (`performance.now()` in the page), so `cargo xtask bench` can print wasm vs
//! native per event. Both print one `perf:` line; the event-log hashes must match, or the two
//! builds simulated different worlds.
//!
//! native: `cargo test --profile perf --test perf_wasm -- --ignored --nocapture`
//! wasm:   `cargo test --profile perf --target wasm32-unknown-unknown --test perf_wasm -- --include-ignored --nocapture`

use ecs_daemon_sim::testkit::{run_world, WorldConfig};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Worlds per measurement and repetitions (the best repetition counts: the machine is shared).
const WORLDS: u64 = 40;
const REPEATS: usize = 5;

#[cfg(not(target_arch = "wasm32"))]
fn now_ms() -> f64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}

#[cfg(target_arch = "wasm32")]
fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

#[cfg(not(target_arch = "wasm32"))]
fn report(line: &str) {
    println!("{line}");
}

#[cfg(target_arch = "wasm32")]
fn report(line: &str) {
    wasm_bindgen_test::console_log!("{line}");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[ignore]
fn perf_engine_per_event() {
    let config = WorldConfig { check: false, ..WorldConfig::hours(1) };
    let mut best = f64::MAX;
    let (mut events, mut timers, mut hash) = (0u64, 0u64, 0u64);
    for _ in 0..REPEATS {
        let start = now_ms();
        let (mut e, mut t, mut h) = (0, 0, 0u64);
        for seed in 0..WORLDS {
            let run = run_world(seed, config, None);
            e += run.events;
            t += run.timers;
            h = h.rotate_left(7) ^ run.event_log_hash;
        }
        best = best.min(now_ms() - start);
        (events, timers, hash) = (e, t, h);
    }
    let target = if cfg!(target_arch = "wasm32") { "wasm" } else { "native" };
    report(&format!(
        "perf: {target} worlds {WORLDS} events {events} timers {timers} ms {best:.1} ns/event {:.0} hash {hash:016x}",
        best * 1e6 / events as f64
    ));
    assert!(events > 0);
}
