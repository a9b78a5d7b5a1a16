//! The Yew playground. Only compiled for wasm32.

mod placeholder;

pub use placeholder::{App, AppMsg};

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
