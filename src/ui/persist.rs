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

/// Offers `text` to the clipboard. Headless, sandboxed or unfocused pages may refuse, so the
/// answer comes later, to `answer` (true: taken), and the caller keeps the text in a field for
/// copying by hand. False when the browser has no clipboard to offer it to (`answer` is not called).
pub fn offer_to_clipboard(text: &str, answer: impl Fn(bool) + 'static) -> bool {
    let answer = std::rc::Rc::new(answer);
    let refused_answer = answer.clone();
    let on_taken = Closure::once_into_js(move |_: JsValue| answer(true));
    let on_refused = Closure::once_into_js(move |_: JsValue| refused_answer(false));
    let offered = (|| -> Option<()> {
        let get = |target: &JsValue, key: &str| js_sys::Reflect::get(target, &key.into()).ok();
        let navigator = get(&gloo::utils::window().into(), "navigator")?;
        let clipboard = get(&navigator, "clipboard")?;
        let write: js_sys::Function = get(&clipboard, "writeText")?.dyn_into().ok()?;
        let promise = write.call1(&clipboard, &JsValue::from_str(text)).ok()?;
        let then: js_sys::Function = get(&promise, "then")?.dyn_into().ok()?;
        // Both outcomes are handled, so a refusal is not an unhandled rejection in the console.
        then.call2(&promise, &on_taken, &on_refused).ok().map(|_| ())
    })();
    offered.is_some()
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
