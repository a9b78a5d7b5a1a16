//! Nothing here: the check is `tests/browser.rs`, run with
//! `cargo test --target wasm32-unknown-unknown` (wasm-bindgen-test-runner and ChromeDriver, as the
//! README's "Use it in your tests" shows).
