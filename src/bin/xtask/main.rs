//! `cargo xtask serve [--port N]` and `cargo xtask test`: the README's two commands; and
//! `cargo xtask bench`, the performance record (see [`bench`]).
//!
//! Both install what is missing first (see [`tools`]): the wasm32 target, Trunk and wasm-bindgen-cli
//! (compiled once into a per-version folder outside the clone, so fresh clones and CI reuse them),
//! wasm-opt and playwright-core from npm, and Debian's chromium and chromium-driver.

#[cfg(not(target_arch = "wasm32"))]
mod bench;
#[cfg(not(target_arch = "wasm32"))]
mod server;
#[cfg(not(target_arch = "wasm32"))]
mod steps;
#[cfg(not(target_arch = "wasm32"))]
mod tools;

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => steps::test(),
        Some("bench") => bench::bench(),
        Some("serve") => parse_port(&args[1..]).and_then(steps::serve),
        _ => Err(USAGE.to_string()),
    };
    if let Err(message) = result {
        eprintln!("xtask: {message}");
        std::process::exit(1);
    }
}

#[cfg(not(target_arch = "wasm32"))]
const USAGE: &str =
    "usage: cargo xtask test | cargo xtask serve [--port N]   (PORT=N works too) | cargo xtask bench";

/// The port from `--port N`, else `$PORT`, else 8080.
#[cfg(not(target_arch = "wasm32"))]
fn parse_port(args: &[String]) -> Result<u16, String> {
    let text = match args {
        [] => std::env::var("PORT").unwrap_or_else(|_| "8080".to_string()),
        [flag, value] if flag == "--port" => value.clone(),
        [flag] if flag.starts_with("--port=") => flag["--port=".len()..].to_string(),
        _ => return Err(USAGE.to_string()),
    };
    text.parse().map_err(|_| format!("invalid port {text:?}: expected a number from 1 to 65535"))
}
