//! The browser entry point that Trunk builds (`data-bin="playground"` in index.html).

fn main() {
    #[cfg(target_arch = "wasm32")]
    ecs_daemon_sim::ui::start();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("the playground runs in the browser: `cargo xtask serve` builds and serves it");
}
