//! The dense view of a large fleet: one canvas with one cell per instance, for fleets where tiles
//! stop being readable (more than [`DENSE_ABOVE`] instances). A cell's ring is its instance status
//! (the tile colours of www/style.css), its centre the revision of its daemon task (a hue per
//! revision), a drain-batch instance is outlined, the selected one framed. Hover names the
//! instance; a click selects it and opens the same menu a tile opens.
//!
//! Hand-drawn into one RGBA buffer and put on the canvas in one call: at 10,000 instances the tile
//! grid's DOM (and its style, layout and paint) was what kept the page from 30 fps, and 10,000
//! `fillRect` calls across the wasm boundary cost more than filling the pixels here. No plotting
//! crate draws a cell grid with per-cell outlines cheaper than this loop, and web-sys's canvas
//! bindings would add features to the build for the one call the inline JS below makes.

use super::grid::{GridTile, MenuRequest};
use crate::engine::InstanceView;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

/// Above this many tiles the grid is drawn as the dense view. The tile grid stays below it (the
/// browser tests measure its chunking at 150).
pub const DENSE_ABOVE: usize = 200;

#[wasm_bindgen(inline_js = r#"
export function put_cells(canvas, rgba, width, height) {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  if (width === 0 || height === 0) return;
  const ctx = canvas.getContext('2d');
  ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
}
export function watch_width(element, report) {
  const observer = new ResizeObserver(() => report(Math.floor(element.getBoundingClientRect().width)));
  observer.observe(element);
  report(Math.floor(element.getBoundingClientRect().width));
  return observer;
}
export function unwatch_width(observer) {
  observer.disconnect();
}
"#)]
extern "C" {
    fn put_cells(canvas: &web_sys::Element, rgba: &[u8], width: u32, height: u32);
    fn watch_width(element: &web_sys::Element, report: &js_sys::Function) -> JsValue;
    fn unwatch_width(observer: &JsValue);
}

/// The grid for the current fleet: tiles up to [`DENSE_ABOVE`] instances, the dense view above.
pub fn grid_or_dense(
    tiles: Rc<Vec<GridTile>>,
    selected: Option<String>,
    on_menu: Callback<MenuRequest>,
) -> Html {
    if tiles.len() > DENSE_ABOVE {
        html! { <DenseGrid {tiles} {selected} {on_menu} /> }
    } else {
        html! { <super::grid::Grid {tiles} {selected} {on_menu} /> }
    }
}

type Rgb = [u8; 3];

/// Instance status colours: the light theme's tile colours (www/style.css `--provisioning` …).
fn status_rgb(status: &str) -> Rgb {
    match status {
        "PROVISIONING" => [0xc9, 0xd1, 0xd9],
        "REGISTERING" => [0xf2, 0xc9, 0x4c],
        "ACTIVE" => [0x3b, 0xa5, 0x5c],
        "DRAINING" => [0xf2, 0x99, 0x4a],
        "DEREGISTERING" => [0x9b, 0x51, 0xe0],
        "REGISTRATION_FAILED" => [0xd0, 0x31, 0x2d],
        _ => [0xe4, 0xe8, 0xec],
    }
}

/// Revision hues, stable by revision number (1 → the first, …, wrapping after eight): a rollout
/// from :1 to :2 reads as one colour replacing another, a rollback as the first coming back.
const REVISION_RGB: [Rgb; 8] = [
    [0x1f, 0x5f, 0xbf],
    [0xd9, 0x46, 0x8f],
    [0x0f, 0x8b, 0x8d],
    [0x7b, 0x3f, 0xbf],
    [0xa0, 0x6a, 0x00],
    [0x2e, 0x7d, 0x32],
    [0x5d, 0x40, 0x37],
    [0x37, 0x47, 0x4f],
];
const BATCH_RGB: Rgb = [0x09, 0x72, 0xd3];
const SELECTED_RGB: Rgb = [0x16, 0x19, 0x1f];
const BACKGROUND: Rgb = [0xff, 0xff, 0xff];

/// The revision number of the instance's first daemon task (`family:N`), if it has one.
pub fn daemon_revision(view: &InstanceView) -> Option<u32> {
    view.daemon_tasks.first()?.task_definition.rsplit(':').next()?.parse().ok()
}

fn revision_rgb(revision: u32) -> Rgb {
    REVISION_RGB[(revision.max(1) as usize - 1) % REVISION_RGB.len()]
}

/// Where the cells go: `columns` per row, `pitch` pixels apart (a cell is `pitch - 1` wide, one
/// pixel of gap that the drain-batch outline paints).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub pitch: u32,
    pub columns: u32,
    pub rows: u32,
}

/// Cells as large as fit `count` of them in about `width × 360` pixels, 5 to 16 pixels apart.
/// No columns before the width is known (0).
pub fn layout(count: usize, width: u32) -> Layout {
    if width == 0 {
        return Layout { pitch: 5, columns: 0, rows: 0 };
    }
    let area = width as f64 * 360.0;
    let pitch = ((area / count.max(1) as f64).sqrt().floor() as u32).clamp(5, 16);
    let columns = (width / pitch).max(1);
    let rows = (count as u32).div_ceil(columns);
    Layout { pitch, columns, rows }
}

impl Layout {
    pub fn size(&self) -> (u32, u32) {
        (self.columns * self.pitch, self.rows * self.pitch)
    }

    /// The cell under canvas pixel (x, y), if any.
    pub fn cell_at(&self, x: i32, y: i32, count: usize) -> Option<usize> {
        if x < 0 || y < 0 {
            return None;
        }
        let (col, row) = (x as u32 / self.pitch, y as u32 / self.pitch);
        let index = (row * self.columns + col) as usize;
        (col < self.columns && index < count).then_some(index)
    }
}

/// The RGBA pixels of the cells.
pub fn paint(tiles: &[GridTile], selected: Option<&str>, l: Layout) -> Vec<u8> {
    let (w, h) = l.size();
    let mut px = vec![0u8; (w * h * 4) as usize];
    if l.columns == 0 {
        return px;
    }
    for chunk in px.chunks_exact_mut(4) {
        chunk.copy_from_slice(&[BACKGROUND[0], BACKGROUND[1], BACKGROUND[2], 255]);
    }
    let mut fill = |x0: u32, y0: u32, size: u32, rgb: Rgb, alpha: u8| {
        for y in y0..(y0 + size).min(h) {
            let row = (y * w) as usize * 4;
            for x in x0..(x0 + size).min(w) {
                let i = row + x as usize * 4;
                px[i..i + 4].copy_from_slice(&[rgb[0], rgb[1], rgb[2], alpha]);
            }
        }
    };
    let cell = l.pitch - 1;
    for (n, t) in tiles.iter().enumerate() {
        let (x, y) = ((n as u32 % l.columns) * l.pitch, (n as u32 / l.columns) * l.pitch);
        let view = &t.view;
        let alpha = if t.ghost { 70 } else { 255 };
        if view.drain_cause == Some("DEPLOYMENT") {
            // The gap around the cell: the outline of the drain batch.
            fill(x.saturating_sub(1), y.saturating_sub(1), cell + 2, BATCH_RGB, 255);
        }
        if selected == Some(view.container_instance_id.as_str()) {
            fill(x.saturating_sub(1), y.saturating_sub(1), cell + 2, SELECTED_RGB, 255);
            fill(x + 1, y + 1, cell.saturating_sub(2), BACKGROUND, 255);
        } else {
            fill(x, y, cell, status_rgb(view.status), alpha);
        }
        if let Some(revision) = daemon_revision(view).filter(|_| !t.ghost) {
            let inset = if cell >= 8 { 2 } else { 1 };
            fill(x + inset, y + inset, cell.saturating_sub(2 * inset), revision_rgb(revision), 255);
        }
    }
    px
}

#[derive(Properties, PartialEq)]
pub struct DenseGridProps {
    pub tiles: Rc<Vec<GridTile>>,
    pub selected: Option<String>,
    pub on_menu: Callback<MenuRequest>,
}

/// The dense view's own rules, kept with it.
const STYLE: &str = "
.dense-note { margin: 0 0 .3rem; color: var(--muted); font-size: .85rem; }
.dense-wrap { position: relative; max-width: 100%; }
.dense-wrap canvas { display: block; cursor: pointer; image-rendering: pixelated; }
.dense-tip { position: absolute; z-index: 5; pointer-events: none; white-space: nowrap; background: var(--bg);
  color: var(--fg); border: 1px solid var(--border); border-radius: 6px; padding: .2rem .45rem;
  font: 12px ui-monospace, monospace; box-shadow: 0 3px 12px rgba(0,0,0,.2); }
.dense-key { list-style: none; display: flex; flex-wrap: wrap; gap: .3rem .9rem; margin: .4rem 0 0; padding: 0;
  font-size: .8rem; color: var(--muted); }
.dense-key li { display: flex; align-items: center; gap: .3rem; }
.dense-key .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; }
.dense-key .swatch.dot { width: 8px; height: 8px; border-radius: 50%; }
.dense-key .swatch.outline { background: transparent; border: 2px solid; }
";

/// A revision's hue as CSS (the sidecar comparison colours agent versions with it).
pub fn revision_css(revision: u32) -> String {
    css(revision_rgb(revision))
}

fn css(rgb: Rgb) -> String {
    format!("rgb({},{},{})", rgb[0], rgb[1], rgb[2])
}

/// One canvas for the whole fleet, with its key and the instance under the pointer.
#[function_component(DenseGrid)]
pub fn dense_grid(props: &DenseGridProps) -> Html {
    let section = use_node_ref();
    let canvas = use_node_ref();
    let width = use_state_eq(|| 0u32);
    let hovered = use_state_eq(|| None::<(usize, i32, i32)>);
    {
        let section = section.clone();
        let width = width.setter();
        use_effect_with((), move |_| {
            let report = Closure::<dyn Fn(u32)>::new(move |w: u32| width.set(w));
            let observer = section
                .cast::<web_sys::Element>()
                .map(|el| watch_width(&el, report.as_ref().unchecked_ref()));
            move || {
                if let Some(observer) = observer {
                    unwatch_width(&observer);
                }
                drop(report);
            }
        });
    }
    let l = layout(props.tiles.len(), *width);
    {
        let canvas = canvas.clone();
        let deps = (props.tiles.clone(), props.selected.clone(), l);
        use_effect_with(deps, move |(tiles, selected, l)| {
            if let Some(el) = canvas.cast::<web_sys::Element>() {
                let (w, h) = l.size();
                put_cells(&el, &paint(tiles, selected.as_deref(), *l), w, h);
            }
        });
    }
    let count = props.tiles.len();
    let onmousemove = {
        let hovered = hovered.clone();
        Callback::from(move |e: MouseEvent| {
            hovered.set(l.cell_at(e.offset_x(), e.offset_y(), count).map(|n| (n, e.offset_x(), e.offset_y())))
        })
    };
    let onmouseleave = {
        let hovered = hovered.clone();
        Callback::from(move |_: MouseEvent| hovered.set(None))
    };
    let onclick = {
        let tiles = props.tiles.clone();
        let on_menu = props.on_menu.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(t) = l.cell_at(e.offset_x(), e.offset_y(), tiles.len()).and_then(|n| tiles.get(n)) {
                on_menu.emit(MenuRequest {
                    instance_id: t.view.container_instance_id.clone(),
                    x: e.client_x(),
                    y: e.client_y(),
                    menu: false,
                });
            }
        })
    };
    let mut revisions: Vec<u32> = Vec::new();
    let (mut live, mut batch) = (0, 0);
    for t in props.tiles.iter().filter(|t| !t.ghost) {
        live += 1;
        if t.view.drain_cause == Some("DEPLOYMENT") {
            batch += 1;
        }
        if let Some(r) = daemon_revision(&t.view) {
            if !revisions.contains(&r) {
                revisions.push(r);
            }
        }
    }
    revisions.sort_unstable();
    let (w, h) = l.size();
    let tip = hovered.and_then(|(n, x, y)| props.tiles.get(n).map(|t| (t.clone(), x, y)));
    let label = format!(
        "{live} container instances, one cell each; {batch} in the deployment's drain batch. Hover a cell \
         to name it, click to select it."
    );
    html! {
        <section id="grid" class="grid dense" aria-label="Container instances (dense view)" ref={section}
            data-instances={live.to_string()}>
            <style>{ STYLE }</style>
            <p class="dense-note">{ format!(
                "{live} instances: too many for tiles, so each is one cell. Ring = instance status, centre = \
                 daemon revision, blue outline = in the drain batch ({batch} now).") }</p>
            <div class="dense-wrap" style={format!("width: {w}px; height: {h}px")}>
                <canvas id="dense-canvas" ref={canvas} role="img" aria-label={label}
                    data-columns={l.columns.to_string()} data-pitch={l.pitch.to_string()}
                    {onmousemove} {onmouseleave} {onclick} />
                if let Some((t, x, y)) = tip {
                    <div class="dense-tip" role="tooltip" style={format!("left: {}px; top: {}px", x + 12, y + 12)}
                        data-instance={t.view.container_instance_id.clone()}>
                        { describe(&t.view, t.ghost) }
                    </div>
                }
            </div>
            <ul class="dense-key" aria-label="Dense view key">
                { for ["PROVISIONING", "REGISTERING", "ACTIVE", "DRAINING", "DEREGISTERING"].iter().map(|s| html! {
                    <li><span class="swatch" style={format!("background: {}", css(status_rgb(s)))} />{ s.to_ascii_lowercase() }</li>
                }) }
                { for revisions.iter().map(|r| html! {
                    <li><span class="swatch dot" style={format!("background: {}", css(revision_rgb(*r)))} />{ format!("agent :{r}") }</li>
                }) }
                <li><span class="swatch outline" style={format!("border-color: {}", css(BATCH_RGB))} />{ "drain batch" }</li>
            </ul>
        </section>
    }
}

/// The hover text of a cell.
fn describe(view: &InstanceView, ghost: bool) -> String {
    let id = view.container_instance_id.get(..8).unwrap_or(&view.container_instance_id);
    let status = if ghost { "TERMINATED" } else { view.status };
    let daemon = view
        .daemon_tasks
        .first()
        .map(|d| format!("daemon {} {}", d.task_definition, d.status))
        .unwrap_or_else(|| "no daemon task".into());
    let cause =
        view.drain_cause.map(|c| format!(" · drained: {}", c.to_ascii_lowercase())).unwrap_or_default();
    format!("{id} · {status} · {daemon} · {} app task(s){cause}", view.app_tasks.len())
}
