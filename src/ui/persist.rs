//! The browser half of sharing and saving: the page's query and address, the localStorage
//! autosave, the clipboard and file downloads. Every call is best effort: a browser that refuses
//! (no storage in a private window, no clipboard in a headless one) leaves the page working, and
//! the caller shows what did not happen.

use super::share::{AUTOSAVE_KEY, REJECTED_KEY};
use gloo::storage::{LocalStorage, Storage};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// The page's query string, with its `?` (empty when none).
pub fn query() -> String {
    gloo::utils::window().location().search().unwrap_or_default()
}

/// The page's whole address (an embed's snippet and "Open in playground" link start from it).
pub fn href() -> String {
    gloo::utils::window().location().href().unwrap_or_default()
}

/// The page's origin and path: a share link is this plus the scenario's query.
pub fn origin_and_path() -> String {
    let location = gloo::utils::window().location();
    format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default())
}

/// The autosaved scenario text, if any.
pub fn saved() -> Option<String> {
    LocalStorage::raw().get_item(AUTOSAVE_KEY).ok().flatten()
}

/// Saves the scenario text under [`AUTOSAVE_KEY`]; Err says why the browser refused (quota,
/// storage disabled).
pub fn save(text: &str) -> Result<(), String> {
    LocalStorage::raw()
        .set_item(AUTOSAVE_KEY, text)
        .map_err(|error| error.as_string().unwrap_or_else(|| format!("{error:?}")))
}

/// Moves a saved value that could not be restored to [`REJECTED_KEY`], so that it is neither
/// restored again nor lost.
pub fn reject_saved(text: &str) {
    let storage = LocalStorage::raw();
    if storage.set_item(REJECTED_KEY, text).is_ok() {
        let _ = storage.remove_item(AUTOSAVE_KEY);
    }
}

/// Asks the browser to put `text` on the clipboard. Headless or unfocused pages may refuse: the
/// refusal is swallowed, the share field stays the reliable source.
pub fn copy_to_clipboard(text: &str) {
    let Ok(navigator) = js_sys::Reflect::get(&gloo::utils::window(), &JsValue::from_str("navigator")) else {
        return;
    };
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")) else { return };
    let Ok(write) = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText")) else { return };
    let Some(write) = write.dyn_ref::<js_sys::Function>() else { return };
    if let Ok(promise) = write.call1(&clipboard, &JsValue::from_str(text)) {
        if let Ok(promise) = promise.dyn_into::<js_sys::Promise>() {
            let ignore = Closure::once(|_: JsValue| {});
            let _ = promise.catch(&ignore);
            // The closure must outlive the promise; it is a few bytes once per click.
            ignore.forget();
        }
    }
}

/// Starts the download of `text` as a JSON file named `name`. The returned URL must stay alive
/// until the browser has read it (dropping it revokes it).
pub fn download(name: &str, text: &str) -> Option<gloo::file::ObjectUrl> {
    let blob = gloo::file::Blob::new_with_options(text, Some("application/json"));
    let url = gloo::file::ObjectUrl::from(blob);
    let anchor = gloo::utils::document().create_element("a").ok()?;
    anchor.set_attribute("href", &url).ok()?;
    anchor.set_attribute("download", name).ok()?;
    anchor.dyn_into::<web_sys::HtmlElement>().ok()?.click();
    Some(url)
}

/// Wall milliseconds since the page loaded (the autosave's debounce clock).
pub fn now_ms() -> f64 {
    gloo::utils::window().performance().map(|p| p.now()).unwrap_or(0.0)
}
