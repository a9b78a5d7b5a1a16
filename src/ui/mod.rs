//! The Yew playground. Only compiled for wasm32.
//!
//! - [`model`]: the playground state without Yew (simulation, command log, clock, knobs, tiles);
//! - [`app`]: the root component and its messages;
//! - [`grid`], [`events`], [`chart`]: the instance grid, the event log, the timeline;
//! - [`presets`]: scenario presets with their expectations.

pub mod app;
pub mod chart;
pub mod events;
pub mod grid;
pub mod model;
pub mod presets;

pub use app::{App, AppProps, Driver, Msg, TileFault};
pub use model::{Playground, Scenario};

/// Mounts the playground into `#app` (or `<body>` when the page has no such element).
pub fn start() {
    let document = gloo::utils::document();
    match document.get_element_by_id("app") {
        Some(root) => {
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}
