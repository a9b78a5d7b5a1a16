//! The Yew playground. Only compiled for wasm32.
//!
//! - [`model`]: the playground state without Yew (simulation, command log, clock, knobs, tiles);
//! - [`app`]: the root component and its messages;
//! - [`grid`], [`events`], [`chart`]: the instance grid, the event log, the timeline;
//! - [`auto_repair`]: the capacity provider's auto-repair switch;
//! - [`console_panel`]: the console tab (script, running line, Skip/Stop, output);
//! - [`narration`], [`inspector`], [`legend`], [`motion`]: the story line beside the grid, the
//!   selected instance's timeline and cause, the visual vocabulary and its legend, the app chips'
//!   moves from a draining instance to its replacement;
//! - [`dense`]: the grid of a large fleet, one canvas cell per instance;
//! - [`pace`]: the engine's work per animation frame, budgeted, and whether the clock keeps up;
//! - [`presets`]: scenario presets with their expectations; [`sidecar`]: the sidecar fleet the
//!   sidecar preset compares with the page's;
//! - [`share`], [`persist`]: where a page's run comes from (URL, autosave), share links, files;
//! - [`follow`]: follow mode (`?follow=URL`), the run real AWS clients drive on `ecs-daemon-sim serve`;
//! - [`embed`]: embed mode (`?embed=1`), the minimal chrome of an iframe in a documentation page;
//! - [`lessons`]: the guided lessons side panel (`?lesson=ID` opens one);
//! - [`bench`]: the frame-work benchmark page (`?bench`).

pub mod app;
pub mod auto_repair;
pub mod bench;
pub mod chart;
pub mod console_panel;
pub mod dense;
pub mod embed;
pub mod events;
pub mod follow;
pub mod grid;
pub mod inspector;
pub mod legend;
pub mod lessons;
pub mod model;
pub mod motion;
pub mod narration;
pub mod pace;
pub mod persist;
pub mod presets;
pub mod share;
pub mod sidecar;

pub use app::{App, AppProps, Driver, Msg, TileFault};
pub use model::{Playground, Scenario};

/// Mounts the playground into `#app`; with `?bench` in the URL, the frame-work benchmark page
/// instead. The app reads the rest of the URL itself (the run, `embed=1`, `lesson=ID`). A page
/// without `#app` (or no page at all: Node) mounts nothing: it imports the bundle for the JS API
/// ([`crate::session::js::Simulator`]), and the bundle's start function must leave that page alone.
pub fn start() {
    // Node and workers load the bundle for the JS API alone: no window, nothing to mount.
    let Some(window) = web_sys::window() else { return };
    let Some(document) = window.document() else { return };
    let search = window.location().search().unwrap_or_default();
    let Some(root) = document.get_element_by_id("app") else { return };
    if bench::requested(&search) {
        yew::Renderer::<bench::Bench>::with_root(root).render();
        return;
    }
    yew::Renderer::<App>::with_root(root).render();
}
