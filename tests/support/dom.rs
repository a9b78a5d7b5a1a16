//! Shared helpers for the browser suites (`tests/browser/`): a fresh mount point, letting Yew's
//! scheduler run, sending messages, and reading or clicking the DOM by selector.
#![allow(dead_code)]

use ecs_daemon_sim::ui::{App, AppProps, Driver, Msg, Scenario};
use wasm_bindgen::JsCast;

/// A new empty element at the end of `<body>` to mount an app into.
pub fn fresh_root() -> web_sys::Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

/// Renders the playground with `props` into a fresh root and lets it settle: the one mount the
/// browser suites share (what a suite varies is the props: its scenario, its driver, whether the
/// page's URL and autosave configure it).
pub async fn mount_app(props: AppProps) -> web_sys::Element {
    let root = fresh_root();
    yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    settle().await;
    root
}

/// Lets Yew's scheduler run the renders queued so far. The scheduler yields to the browser after
/// 16 ms of work (a long replay): `flush` waits for all of it.
pub async fn settle() {
    gloo::timers::future::TimeoutFuture::new(0).await;
    yew::scheduler::flush().await;
}

pub async fn send(driver: &Driver, msg: Msg) {
    driver.send(msg);
    settle().await;
}

pub fn count(root: &web_sys::Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

pub fn exists(root: &web_sys::Element, selector: &str) -> bool {
    root.query_selector(selector).unwrap().is_some()
}

pub fn text(root: &web_sys::Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .text_content()
        .unwrap_or_default()
}

pub fn attr(root: &web_sys::Element, selector: &str, name: &str) -> Option<String> {
    root.query_selector(selector).unwrap().and_then(|e| e.get_attribute(name))
}

pub fn click(root: &web_sys::Element, selector: &str) {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap()
        .click();
}

/// Replaces the page's query string (what the app reads as its URL) without reloading.
pub fn set_query(query: &str) {
    let path = gloo::utils::window().location().pathname().unwrap();
    gloo::utils::window()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{path}{query}")))
        .unwrap();
}

/// Mounts a paused playground with the given scenario; returns its root and a driver.
pub async fn mount(scenario: Scenario) -> (web_sys::Element, Driver) {
    let root = fresh_root();
    let driver = Driver::default();
    let props = AppProps { scenario, autoplay: false, driver: Some(driver.clone()), from_page: false };
    yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    settle().await;
    (root, driver)
}

pub async fn advance(driver: &Driver, ms: u64) {
    driver.send(Msg::AdvanceBy(ms));
    settle().await;
}

/// The tiles of live instances (terminated ones, shown as fading ghosts, left out).
pub fn live_tiles(root: &web_sys::Element) -> Vec<web_sys::Element> {
    let nodes = root.query_selector_all("#grid .tile:not(.ghost)").unwrap();
    (0..nodes.length()).filter_map(|i| nodes.item(i)).filter_map(|n| n.dyn_into().ok()).collect()
}

/// Runs the scenario until the whole fleet is ACTIVE with every app task running (seed 002's
/// cold first launch takes a few minutes).
pub async fn fleet_ready(root: &web_sys::Element, driver: &Driver, instances: u32) {
    for _ in 0..30 {
        if count(root, "#grid .tile[data-status=ACTIVE]") == instances
            && text(root, "#app-running") == format!("{instances} / {instances}")
        {
            return;
        }
        advance(driver, 60_000).await;
    }
    panic!("fleet never became ready: {}", text(root, ".summary"));
}

/// Waits for two animation frames: size changes reach the grids through a ResizeObserver, whose
/// callbacks run in the browser's rendering step.
pub async fn next_frames() {
    for _ in 0..2 {
        let seen = std::rc::Rc::new(std::cell::Cell::new(false));
        let flag = seen.clone();
        let _frame = gloo::render::request_animation_frame(move |_| flag.set(true));
        while !seen.get() {
            gloo::timers::future::TimeoutFuture::new(0).await;
        }
        settle().await;
    }
}
