//! The Yew playground. Only compiled for wasm32.
//!
//! - [`model`]: the playground state without Yew (simulation, command log, clock, knobs, tiles);
//! - [`app`]: the root component and its messages;
//! - [`grid`], [`events`], [`chart`]: the instance grid, the event log, the timeline;
//! - [`presets`]: scenario presets with their expectations;
//! - [`share`], [`persist`]: where a page's run comes from (URL, autosave), share links, files;
//! - [`bench`]: the frame-work benchmark page (`?bench`).

pub mod app;
pub mod bench;
pub mod chart;
pub mod events;
pub mod grid;
pub mod model;
pub mod persist;
pub mod presets;
pub mod share;

pub use app::{App, AppProps, Driver, Msg, TileFault};
pub use model::{Playground, Scenario};

/// Mounts the playground into `#app` (or `<body>` when the page has no such element); with
/// `?bench` in the URL, the frame-work benchmark page instead.
pub fn start() {
    let document = gloo::utils::document();
    let bench = gloo::utils::window().location().search().map(|s| s.contains("bench")).unwrap_or(false);
    let root = document.get_element_by_id("app").or_else(|| document.body().map(Into::into));
    match (root, bench) {
        (Some(root), true) => {
            yew::Renderer::<bench::Bench>::with_root(root).render();
        }
        (Some(root), false) => {
            yew::Renderer::<App>::with_root(root).render();
        }
        (None, _) => {
            yew::Renderer::<App>::new().render();
        }
    }
}
