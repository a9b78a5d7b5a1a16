//! The instance grid: one tile per container instance, grouped by capacity provider. Tiles are keyed
//! by instance id and their props compare by value of a shared `Rc`, so only tiles the engine's
//! change set touched re-render.
//!
//! Each provider's tiles are cut into chunks of whole rows, and each chunk is a CSS grid of its own
//! with `content-visibility: auto` (www/style.css): the browser then lays out and paints only the
//! chunks that changed and are on screen. As one grid of 10,000 tiles, every frame of a rolling
//! update re-laid out and repainted all of them (80–130 ms of layout per frame on 2 busy cores).

use super::legend::{chip_words, instance_words, revision_hue, revision_number};
use crate::engine::InstanceView;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[wasm_bindgen(inline_js = r#"
// The column count of the tile grids (`repeat(auto-fill, minmax(var(--tile-min), 1fr))` with
// `gap: var(--tile-gap)`, www/style.css) at the section's width, reported now and whenever it changes;
// 0 while it cannot be measured (no stylesheet, or not laid out).
export function watch_columns(section, report) {
  let last = -1;
  const measure = () => {
    const style = getComputedStyle(section);
    const min = parseFloat(style.getPropertyValue('--tile-min'));
    const gap = parseFloat(style.getPropertyValue('--tile-gap')) || 0;
    const width = section.getBoundingClientRect().width;
    // The auto-fill rule: as many tracks as fit with the gaps between them, at least one.
    const columns = min > 0 && width > 0 ? Math.max(1, Math.floor((width + gap) / (min + gap) + 1e-6)) : 0;
    if (columns !== last) {
      last = columns;
      report(columns);
    }
  };
  const observer = new ResizeObserver(measure);
  observer.observe(section);
  measure();
  return observer;
}
export function unwatch_columns(observer) {
  observer.disconnect();
}
"#)]
extern "C" {
    fn watch_columns(section: &web_sys::Element, report: &js_sys::Function) -> JsValue;
    fn unwatch_columns(observer: &JsValue);
}

/// A tile's menu request: instance id and the page position to open the menu at.
#[derive(Debug, Clone, PartialEq)]
pub struct MenuRequest {
    pub instance_id: String,
    pub x: i32,
    pub y: i32,
    /// The fault menu (right click, menu key) rather than the inspector (click, Enter).
    pub menu: bool,
}

#[derive(Properties, PartialEq)]
pub struct TileProps {
    pub view: Rc<InstanceView>,
    pub ghost: bool,
    pub selected: bool,
    /// The selected tile's replacement or the instance it replaced.
    pub linked: bool,
    /// Created once by the app, so an unchanged tile compares equal.
    pub on_menu: Callback<MenuRequest>,
}

fn status_class(status: &str) -> String {
    status.to_ascii_lowercase().replace('_', "-")
}

/// One container instance.
#[function_component(Tile)]
pub fn tile(props: &TileProps) -> Html {
    let view = &props.view;
    let id = view.container_instance_id.clone();
    let open_at = {
        let on_menu = props.on_menu.clone();
        let id = id.clone();
        move |x: i32, y: i32, menu: bool| on_menu.emit(MenuRequest { instance_id: id.clone(), x, y, menu })
    };
    let oncontextmenu = {
        let open_at = open_at.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            open_at(e.client_x(), e.client_y(), true);
        })
    };
    let onclick = {
        let open_at = open_at.clone();
        Callback::from(move |e: MouseEvent| open_at(e.client_x(), e.client_y(), false))
    };
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == "ContextMenu" {
            e.prevent_default();
            let rect = e
                .target_dyn_into::<web_sys::Element>()
                .map(|el| el.get_bounding_client_rect())
                .map(|r| (r.left() as i32 + 8, r.bottom() as i32))
                .unwrap_or((0, 0));
            open_at(rect.0, rect.1, e.key() == "ContextMenu");
        }
    });
    let in_batch = view.drain_cause == Some("DEPLOYMENT");
    let revision = view.daemon_tasks.first().and_then(|d| revision_number(&d.task_definition));
    let class = classes!(
        "tile",
        status_class(view.status),
        props.ghost.then_some("ghost"),
        props.selected.then_some("selected"),
        props.linked.then_some("linked"),
        in_batch.then_some("batch"),
        (view.health == "IMPAIRED").then_some("impaired"),
    );
    let (symbol, word) = instance_words(view.status);
    let label = format!(
        "Instance {} ({}), {}{}, {}; {}",
        short(&view.container_instance_id),
        view.ec2_instance_id,
        view.status,
        if in_batch { " in the deployment's batch" } else { "" },
        view.daemon_tasks
            .iter()
            .map(|d| format!("daemon {} {}", d.task_definition, chip_words(d.status, false).1))
            .collect::<Vec<_>>()
            .join(", "),
        if view.app_tasks.is_empty() {
            "no app task".to_string()
        } else {
            view.app_tasks
                .iter()
                .map(|a| {
                    format!(
                        "app {} {}",
                        a.group.trim_start_matches("service:"),
                        chip_words(a.status, false).1
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    let link_note = match (&view.replacement_of, &view.replaced_by) {
        (Some(old), _) => Some(format!("replaces {}", short(old))),
        (_, Some(new)) => Some(format!("→ {}", short(new))),
        _ => None,
    };
    // The app task waits for the daemon on a registering instance: daemon first.
    let held = view.status == "REGISTERING" || view.status == "PROVISIONING";
    let style = revision.map(|r| format!("--rev: {}", revision_hue(r)));
    html! {
        <div
            class={class}
            role="button"
            tabindex={if props.ghost { "-1" } else { "0" }}
            aria-label={label.clone()}
            title={label}
            aria-haspopup="menu"
            data-instance={id.clone()}
            data-status={view.status}
            data-revision={revision.map(|r| r.to_string())}
            data-drain-cause={view.drain_cause.unwrap_or("")}
            {style}
            {oncontextmenu}
            {onclick}
            {onkeydown}
        >
            <div class="tile-head">
                <span class="tile-id" title={view.ec2_instance_id.clone()}>{ short(&id) }</span>
                <span class="tile-status">{ format!("{symbol} {word}") }</span>
            </div>
            <ul class="chips daemon-chips">
                { for view.daemon_tasks.iter().map(|d| {
                    // Before its instance registers, a daemon task is not created yet: it waits.
                    let waiting = d.status == "NOT_CREATED" && view.status == "PROVISIONING";
                    let (symbol, word) = chip_words(if waiting { "PROMISED" } else { d.status }, false);
                    let rev = revision_number(&d.task_definition);
                    html! {
                        <li class={classes!("chip", "daemon", "revision", status_class(d.status), (d.health == "UNHEALTHY").then_some("unhealthy"))}
                            data-status={d.status}
                            data-task-definition={d.task_definition.clone()}
                            data-revision={rev.map(|r| r.to_string())}
                            style={rev.map(|r| format!("--rev: {}", revision_hue(r)))}
                            title={format!("daemon task of {} ({}): {} {}", d.daemon, d.task_definition, d.status, d.health)}>
                            <span class="rev">{ format!("agent :{}", rev.map(|r| r.to_string()).unwrap_or_default()) }</span>
                            { format!(" {symbol} {word}") }
                        </li>
                    }
                }) }
            </ul>
            <ul class="chips app-chips">
                { for view.app_tasks.iter().enumerate().map(|(n, a)| {
                    let held = held && a.status != "RUNNING";
                    let (symbol, word) = chip_words(a.status, held);
                    html! {
                        <li key={a.task_id.clone().unwrap_or_else(|| format!("promised-{n}"))}
                            class={classes!("chip", "app", status_class(a.status), held.then_some("held"))}
                            data-status={a.status}
                            data-task={a.task_id.clone()}
                            title={format!("app task of {}: {}{}", a.group, a.status,
                                if held { ", held until the daemon is RUNNING" } else { "" })}>
                            { format!("{} {symbol} {word}", a.group.trim_start_matches("service:")) }
                        </li>
                    }
                }) }
            </ul>
            if let Some(note) = link_note {
                <div class="tile-link">{ note }</div>
            }
        </div>
    }
}

/// Container instance ids are 32 hex digits: the first 8 identify a tile well enough on screen.
pub(super) fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// One tile as the grid receives it.
#[derive(Clone, PartialEq)]
pub struct GridTile {
    pub view: Rc<InstanceView>,
    pub ghost: bool,
}

#[derive(Properties, PartialEq)]
pub struct GridProps {
    pub tiles: Rc<Vec<GridTile>>,
    pub selected: Option<String>,
    pub on_menu: Callback<MenuRequest>,
}

/// Tiles grouped by capacity provider, in launch order.
#[function_component(Grid)]
pub fn grid(props: &GridProps) -> Html {
    let section = use_node_ref();
    // None until the first measurement, which runs right after the first render: the tiles wait
    // for it, since chunks cut before it would all be cut again (at 10,000 tiles, every tile
    // created twice).
    let columns = use_state_eq(|| None::<usize>);
    {
        let section = section.clone();
        let columns = columns.setter();
        use_effect_with((), move |_| {
            let report = Closure::<dyn Fn(u32)>::new(move |n: u32| columns.set(Some(n as usize)));
            let observer = section
                .cast::<web_sys::Element>()
                .map(|el| watch_columns(&el, report.as_ref().unchecked_ref()));
            move || {
                if let Some(observer) = observer {
                    unwatch_columns(&observer);
                }
                drop(report);
            }
        });
    }
    let per_chunk = columns.map(chunk_len).unwrap_or(0);
    let chunk_rows = per_chunk.div_ceil(columns.unwrap_or(0).max(1));
    let selected = props.selected.as_deref();
    let selected_view = selected.and_then(|s| props.tiles.iter().find(|t| t.view.container_instance_id == s));
    let linked_ids: Vec<&str> = selected_view
        .map(|t| t.view.replacement_of.iter().chain(t.view.replaced_by.iter()).map(|s| s.as_str()).collect())
        .unwrap_or_default();
    let mut providers: Vec<&str> = Vec::new();
    for t in props.tiles.iter() {
        if !providers.contains(&t.view.capacity_provider.as_str()) {
            providers.push(&t.view.capacity_provider);
        }
    }
    html! {
        <section id="grid" class="grid" aria-label="Container instances by capacity provider" ref={section}>
            if props.tiles.is_empty() {
                <p class="empty">{ "No instances yet: the capacity provider launches them when tasks need a place." }</p>
            }
            { for providers.iter().map(|cp| html! {
                <div class="provider" key={cp.to_string()}>
                    <h3 class="provider-name">{ format!("capacity provider {cp}") }</h3>
                    <div class="tiles" role="list">
                        { for chunks_of(props.tiles.iter().filter(|t| t.view.capacity_provider == *cp), per_chunk).into_iter().enumerate().map(|(n, chunk)| {
                            let selected = selected.filter(|s| chunk.iter().any(|t| t.view.container_instance_id == *s)).map(str::to_string);
                            let linked: Vec<String> = linked_ids
                                .iter()
                                .filter(|l| chunk.iter().any(|t| t.view.container_instance_id == **l))
                                .map(|l| l.to_string())
                                .collect();
                            html! {
                                <TileChunk key={n} tiles={chunk} rows={chunk_rows} {selected} {linked} on_menu={props.on_menu.clone()} />
                            }
                        }) }
                    </div>
                </div>
            }) }
        </section>
    }
}

/// About this many tiles per chunk: a chunk re-renders only when one of its tiles changed, so a
/// frame's cost follows the number of changed tiles rather than the fleet size.
const CHUNK: usize = 64;

/// Whole rows of `columns` tiles, about [`CHUNK`] of them: a chunk is a grid of its own, so a chunk
/// ending mid-row would leave a gap in the middle of the provider's tiles. Before the grid's width
/// cannot be measured (`columns` 0), [`CHUNK`].
fn chunk_len(columns: usize) -> usize {
    if columns == 0 {
        CHUNK
    } else {
        columns * (CHUNK / columns).max(1)
    }
}

/// No chunks for `per_chunk` 0 (the grid's width not measured yet).
fn chunks_of<'a>(tiles: impl Iterator<Item = &'a GridTile>, per_chunk: usize) -> Vec<Vec<GridTile>> {
    let mut chunks: Vec<Vec<GridTile>> = Vec::new();
    if per_chunk == 0 {
        return chunks;
    }
    for tile in tiles {
        match chunks.last_mut() {
            Some(chunk) if chunk.len() < per_chunk => chunk.push(tile.clone()),
            _ => chunks.push(vec![tile.clone()]),
        }
    }
    chunks
}

#[derive(Properties, PartialEq)]
pub struct TileChunkProps {
    pub tiles: Vec<GridTile>,
    /// Rows when full: the chunk's height estimate while it has never been on screen.
    pub rows: usize,
    pub selected: Option<String>,
    pub linked: Vec<String>,
    pub on_menu: Callback<MenuRequest>,
}

/// A run of consecutive tiles, whole rows of the provider's tiles.
#[function_component(TileChunk)]
fn tile_chunk(props: &TileChunkProps) -> Html {
    html! {
        <div class="tile-chunk" style={format!("--chunk-rows: {}", props.rows)}>
            { for props.tiles.iter().map(|t| {
                let id = t.view.container_instance_id.as_str();
                html! {
                    <Tile
                        key={id.to_string()}
                        view={t.view.clone()}
                        ghost={t.ghost}
                        selected={props.selected.as_deref() == Some(id)}
                        linked={props.linked.iter().any(|l| l == id)}
                        on_menu={props.on_menu.clone()}
                    />
                }
            }) }
        </div>
    }
}
