//! The playground mounted into a real DOM in headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use ecs_daemon_sim::ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_root() -> web_sys::Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

/// Lets Yew's scheduler run the renders queued so far.
async fn settle() {
    gloo::timers::future::TimeoutFuture::new(0).await;
}

#[wasm_bindgen_test]
async fn app_mounts_with_name_grid_and_pause_button() {
    let root = fresh_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;

    let heading = root.query_selector("h1").unwrap().expect("a heading");
    assert_eq!(heading.text_content().unwrap(), "ecs-daemon-sim");
    let tiles = root.query_selector_all("#grid .tile").unwrap();
    assert!(tiles.length() >= 12, "expected a grid of tiles, found {}", tiles.length());

    let pause: web_sys::HtmlElement = root.query_selector("#pause").unwrap().unwrap().dyn_into().unwrap();
    assert_eq!(pause.text_content().unwrap(), "Pause");
    pause.click();
    settle().await;
    assert_eq!(pause.text_content().unwrap(), "Play");
    assert_eq!(pause.get_attribute("aria-pressed").as_deref(), Some("true"));
}
