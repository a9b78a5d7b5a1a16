//! The browser suites, one binary: `cargo test --target wasm32-unknown-unknown --test browser` runs
//! them in one headless Chromium page (wasm-bindgen-test), one test after another. Each test mounts
//! its playground into a fresh element, and the suites that touch the page's URL or its localStorage
//! put them back, so no test depends on the ones before it. `cross_platform` also runs natively.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "../support/mod.rs"]
mod support;

mod app;
mod auto_repair;
mod console;
mod cross_platform;
mod embed_lessons;
mod explain;
mod fleets;
mod follow;
mod grid;
mod js_api;
mod scenario;
