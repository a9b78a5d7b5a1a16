//! The Yew playground. Only compiled for wasm32.
//!
//! - [`model`]: the playground state without Yew (simulation, command log, clock, knobs, tiles);
//! - [`app`]: the root component and its messages;
//! - [`grid`], [`events`], [`chart`]: the instance grid, the event log, the timeline;
//! - [`presets`]: scenario presets with their expectations;
//! - [`embed`]: embed mode (`?embed=1`), the minimal chrome of an iframe in a documentation page;
//! - [`lessons`]: the guided lessons side panel (`?lesson=ID` opens one);
//! - [`bench`]: the frame-work benchmark page (`?bench`).

pub mod app;
pub mod bench;
pub mod chart;
pub mod embed;
pub mod events;
pub mod grid;
pub mod lessons;
pub mod model;
pub mod presets;

pub use app::{App, AppProps, Driver, Msg, TileFault};
pub use model::{Playground, Scenario};

/// Mounts the playground into `#app`; with `?bench` in the URL, the frame-work benchmark page
/// instead. A page without `#app` mounts nothing: it imports the bundle for the JS API
/// ([`crate::api::js::Simulator`]), and the bundle's start function must leave that page alone.
pub fn start() {
    let document = gloo::utils::document();
    let location = gloo::utils::window().location();
    let search = location.search().unwrap_or_default();
    let Some(root) = document.get_element_by_id("app") else { return };
    if search.contains("bench") {
        yew::Renderer::<bench::Bench>::with_root(root).render();
        return;
    }
    let driver = Driver::default();
    let props = AppProps { driver: Some(driver.clone()), ..AppProps::default() };
    yew::Renderer::<App>::with_root_and_props(root, props).render();
    let href = location.href().unwrap_or_default();
    let mut messages = Vec::new();
    if embed::is_embed(&href) {
        messages.push(Msg::Embed(embed::EmbedSettings::from_url(&href)));
    } else if let Some(id) = lessons::lesson_parameter(&search) {
        messages.push(Msg::OpenLesson(id));
    }
    if !messages.is_empty() {
        // The app is created by the scheduler task that render() just queued; a task spawned
        // after it runs once the app exists, so the driver reaches it.
        yew::platform::spawn_local(async move {
            for message in messages {
                driver.send(message);
            }
        });
    }
}
