//! Embed mode (`?embed=1`): the playground reduced to what a documentation page shows in an
//! 800×500 iframe — the grid, play/pause, speed, one knob chosen by the URL (`knob=drainPercent` by
//! default), a caption line, an "Open in playground" link and a "Copy embed snippet" button.
//!
//! An embed's run is built from its URL exactly as the full page builds a shared link's run
//! ([`super::share`]); this module only decides the chrome. A parameter it cannot use is shown as a
//! warning line rather than breaking the frame.

use super::app::{clock_and_speed, input_value, App, Msg};
use super::grid::GridTile;
use super::legend::{revisions_on_fleet, Legend};
use super::model::Playground;
use super::persist;
use super::presets::preset;
use crate::session::scenario::{url, KNOB_BAKE_TIME, KNOB_DRAIN_PERCENT, KNOB_INSTANCES};
use crate::support::decimal::parse_f64;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use yew::html::Scope;
use yew::prelude::*;

/// The one knob an embed shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmbedKnob {
    DrainPercent,
    Instances,
    BakeTime,
}

impl EmbedKnob {
    pub const ALL: [EmbedKnob; 3] = [EmbedKnob::DrainPercent, EmbedKnob::Instances, EmbedKnob::BakeTime];

    /// The knob's name in URLs and scenario files.
    pub fn name(self) -> &'static str {
        match self {
            EmbedKnob::DrainPercent => KNOB_DRAIN_PERCENT,
            EmbedKnob::Instances => KNOB_INSTANCES,
            EmbedKnob::BakeTime => KNOB_BAKE_TIME,
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// What an embed's URL asks for beyond its run: the chrome. The run itself (preset, seed, knobs,
/// speed, autoplay, script and log) is built from the same URL by the page's own path
/// ([`super::share::choose`] and [`super::share::start`]), so an embed replays a shared run event
/// for event and "Open in playground" (the URL without `embed=1`) opens that same run.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbedSettings {
    pub knob: EmbedKnob,
    /// The embed's own URL: the snippet's `src`.
    pub url: String,
    /// The same URL without `embed=1`: the full playground with the same run.
    pub playground_url: String,
    /// The URL's preset when it is one of the playground's (the iframe's title names it).
    pub preset: Option<&'static str>,
    /// A `knob` the embed cannot show, as one sentence (the run's own warnings are the page's
    /// notices).
    pub warnings: Vec<String>,
}

impl EmbedSettings {
    /// Reads an embed URL (a whole `href`). Never fails: a knob it cannot show becomes a warning
    /// and drainPercent is shown.
    pub fn from_url(href: &str) -> Self {
        let scenario = url::decode(href).scenario;
        let mut warnings = Vec::new();
        let knob = match scenario.view.knob.as_deref() {
            None => EmbedKnob::DrainPercent,
            Some(name) => EmbedKnob::from_name(name).unwrap_or_else(|| {
                let names: Vec<&str> = EmbedKnob::ALL.iter().map(|k| k.name()).collect();
                warnings.push(format!(
                    "URL parameter knob: {name:?} is not a knob an embed can show ({}); drainPercent is shown",
                    names.join(", ")
                ));
                EmbedKnob::DrainPercent
            }),
        };
        let without_fragment = href.split('#').next().unwrap_or(href);
        EmbedSettings {
            knob,
            url: without_fragment.to_string(),
            playground_url: without_parameter(without_fragment, "embed"),
            preset: scenario.preset.as_deref().and_then(preset).map(|p| p.id),
            warnings,
        }
    }

    /// The query of the embed's URL (what the page's run is built from).
    pub fn query(&self) -> &str {
        self.url.split_once('?').map_or("", |(_, query)| query)
    }

    /// The iframe's accessible title.
    pub fn title(&self) -> String {
        title(self.preset)
    }

    /// The line a documentation page pastes to show this embed.
    pub fn snippet(&self) -> String {
        snippet(&self.url, &self.title())
    }
}

/// The accessible title of an embed of `preset` (or of the plain playground).
pub fn title(preset_id: Option<&str>) -> String {
    let what = preset_id.and_then(preset).map(|p| p.title).unwrap_or("playground");
    format!("ecs-daemon-sim: {what}")
}

/// The iframe line that shows the embed at `src` in an 800×500 frame.
pub fn snippet(src: &str, title: &str) -> String {
    format!(
        r#"<iframe src="{}" width="800" height="500" style="border:0" loading="lazy" title="{}"></iframe>"#,
        escape_attribute(src),
        escape_attribute(title)
    )
}

/// Whether a page URL asks for embed mode.
pub fn is_embed(href: &str) -> bool {
    url::decode(href).scenario.view.embed
}

/// `href` with every `name=…` (or bare `name`) query parameter removed, the rest kept as written.
pub fn without_parameter(href: &str, name: &str) -> String {
    let Some((base, query)) = href.split_once('?') else { return href.to_string() };
    let kept: Vec<&str> =
        query.split('&').filter(|pair| !pair.is_empty() && pair.split('=').next() != Some(name)).collect();
    if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Columns and rows of tiles, and the height of one row, for `count` tiles in a `width` × `height`
/// pixel area: the arrangement that gives tiles the largest width while keeping them at least half
/// as tall as wide, capped so that a handful of instances does not turn into posters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TileLayout {
    pub columns: u32,
    pub rows: u32,
    pub row_height: u32,
}

const TILE_GAP: f64 = 6.0;
const MAX_TILE_WIDTH: f64 = 180.0;
/// Below this row height the tiles drop their task chips and show the status colour and id only.
pub const COMPACT_ROW_HEIGHT: u32 = 56;

pub fn tile_layout(count: u32, width: f64, height: f64) -> TileLayout {
    let count = count.max(1);
    let mut best = TileLayout { columns: 1, rows: count, row_height: 0 };
    let mut best_score = f64::MIN;
    for columns in 1..=count {
        let rows = count.div_ceil(columns);
        let tile_width = (width - TILE_GAP * f64::from(columns - 1)) / f64::from(columns);
        let row_height = (height - TILE_GAP * f64::from(rows - 1)) / f64::from(rows);
        let score = tile_width.min(2.0 * row_height).min(MAX_TILE_WIDTH);
        // Ties go to more columns: fewer rows leave more of the frame for the caption.
        if score >= best_score {
            best_score = score;
            let row_height = row_height.min(tile_width * 0.55).max(0.0);
            best = TileLayout { columns, rows, row_height: row_height as u32 };
        }
    }
    best
}

/// Pixels the embed's controls, caption and footer take, so that the grid gets the rest.
const CHROME_HEIGHT: f64 = 130.0;
const SIDE_PADDING: f64 = 16.0;

/// An embed's state in the app: its settings and the snippet field.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbedState {
    pub settings: EmbedSettings,
    pub snippet_shown: bool,
    /// Whether the clipboard took the snippet (None until it answered).
    pub copied: Option<bool>,
}

impl EmbedState {
    pub fn new(settings: EmbedSettings) -> Self {
        EmbedState { settings, snippet_shown: false, copied: None }
    }

    /// Shows the snippet field and offers the snippet to the clipboard.
    pub fn copy_snippet(&mut self, link: &Scope<App>) {
        self.snippet_shown = true;
        self.copied = if offer_to_clipboard(&self.settings.snippet(), link) { None } else { Some(false) };
    }
}

/// Offers `text` to the clipboard; the answer comes back as [`Msg::EmbedSnippetCopied`], and the
/// snippet field stays for copying by hand. False when the browser has no clipboard.
pub fn offer_to_clipboard(text: &str, link: &Scope<App>) -> bool {
    let link = link.clone();
    persist::offer_to_clipboard(text, move |taken| link.send_message(Msg::EmbedSnippetCopied(taken)))
}

/// What the copy status next to a snippet field says.
pub fn copy_status(copied: Option<bool>) -> &'static str {
    match copied {
        Some(true) => "copied",
        Some(false) => "select and copy it",
        None => "",
    }
}

/// What the embed view reads from the app.
pub struct EmbedView<'a> {
    pub state: &'a EmbedState,
    pub model: &'a Playground,
    pub tiles: Rc<Vec<GridTile>>,
    pub link: &'a Scope<App>,
    /// Everything in the URL the embed could not use: its own knob warning and the run's notices.
    pub warnings: Vec<String>,
}

pub fn view(v: EmbedView<'_>) -> Html {
    let EmbedView { state, model, tiles, link, warnings } = v;
    let settings = &state.settings;
    let window = gloo::utils::window();
    let size = |value: Result<JsValue, JsValue>, fallback: f64| {
        value.ok().and_then(|v| v.as_f64()).filter(|v| *v > 0.0).unwrap_or(fallback)
    };
    let width = size(window.inner_width(), 800.0) - SIDE_PADDING;
    let height = size(window.inner_height(), 500.0) - CHROME_HEIGHT;
    let layout = tile_layout(tiles.len() as u32, width, height);
    let compact = layout.row_height < COMPACT_ROW_HEIGHT;
    let grid_style = format!(
        "--embed-columns: {}; --embed-rows: {}; --embed-row-height: {}px",
        layout.columns, layout.rows, layout.row_height
    );
    // As on the full page's run-info line: compared when paused, not hashed every frame.
    let hash = (!model.playing).then(|| model.event_log_hash_ready()).flatten().map(|h| format!("{h:016x}"));
    html! {
        <main class="embed" id="embed" data-knob={settings.knob.name()} data-event-log-hash={hash}>
            <section class="embed-bar time-controls" aria-label="Time controls">
                <button id="play" onclick={link.callback(|_| Msg::TogglePlay)} aria-pressed={(!model.playing).to_string()}
                    title="Play / pause (space)">
                    { if model.playing { "Pause" } else { "Play" } }
                </button>
                { clock_and_speed(model, link) }
                { knob(settings.knob, model, link) }
            </section>
            <p class="caption" id="embed-caption">{ caption(settings, model) }</p>
            if !warnings.is_empty() {
                <ul class="error embed-warnings" id="embed-warnings" role="alert" aria-label="What the embed could not use">
                    { for warnings.iter().map(|w| html! { <li>{ w }</li> }) }
                </ul>
            }
            <div class={classes!("embed-grid", compact.then_some("compact"))} style={grid_style}>
                { super::dense::grid_or_dense(tiles, None, Callback::noop()) }
            </div>
            <footer class="embed-foot">
                <Legend revisions={revisions_on_fleet(model)} compact=true />
                <a id="open-playground" href={settings.playground_url.clone()} target="_blank" rel="noopener">
                    { "Open in playground ↗" }
                </a>
                <button id="copy-embed" onclick={link.callback(|_| Msg::CopyEmbedSnippet)}>{ "Copy embed snippet" }</button>
                if state.snippet_shown {
                    <input id="embed-snippet" type="text" readonly=true value={settings.snippet()}
                        aria-label="Embed snippet: paste it into a page"
                        onfocus={Callback::from(select_all)} onclick={Callback::from(|e: MouseEvent| select_target(e.target()))} />
                    <span class="hint" id="copy-status" data-copied={state.copied.map(|c| c.to_string()).unwrap_or_default()}>
                        { copy_status(state.copied) }
                    </span>
                }
            </footer>
        </main>
    }
}

fn caption(settings: &EmbedSettings, model: &Playground) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(p) = model.preset() {
        parts.push(p.title.to_string());
    }
    let instances = model.instances_in_scope();
    parts.push(match settings.knob {
        EmbedKnob::DrainPercent => format!(
            "drainPercent {}: batches of {} of {instances} instances",
            model.drain_percent,
            model.batch_size_for(model.drain_percent)
        ),
        EmbedKnob::Instances => format!("{} app tasks, {instances} instances", model.app_counts().1),
        EmbedKnob::BakeTime => format!("bake time {} min", model.bake_minutes),
    });
    match (&model.preset_result, model.deployment()) {
        (Some(Ok(text)), _) => parts.push(format!("✓ {text}")),
        (Some(Err(text)), _) => parts.push(format!("✗ {text}")),
        // Batch progress only while a deployment runs: a finished one's counters describe the
        // fleet it started with (none, for a daemon created before the fleet).
        (None, Some(d))
            if matches!(d.status, "PENDING" | "IN_PROGRESS" | "ROLLBACK_IN_PROGRESS" | "STOP_REQUESTED") =>
        {
            parts.push(format!(
                "{}, batch {} of {}, {}/{} replaced",
                d.status, d.batch_number, d.batch_count, d.replaced, d.instances_in_scope
            ))
        }
        (None, Some(d)) => parts.push(format!("deployment {}", d.status)),
        (None, None) => {}
    }
    parts.join(" · ")
}

fn knob(knob: EmbedKnob, model: &Playground, link: &Scope<App>) -> Html {
    match knob {
        EmbedKnob::DrainPercent => html! {
            <label class="embed-knob">
                <span>{ "drainPercent" }</span>
                <input id="drain-percent" type="range" min="0" max="100" step="5" value={model.drain_percent.to_string()}
                    oninput={link.callback(|e: InputEvent| Msg::SetDrainPercent(parse_f64(&input_value(&e)).unwrap_or(crate::engine::DEFAULT_DRAIN_PERCENT)))} />
                <output id="knob-value">{ format!("{}%", model.drain_percent) }</output>
            </label>
        },
        EmbedKnob::Instances => {
            let desired = model.app_counts().1;
            html! {
                <label class="embed-knob">
                    <span>{ "app tasks" }</span>
                    <input id="desired-count" type="number" min="0" max="200" value={desired.to_string()}
                        onchange={link.callback(|e: Event| Msg::SetDesiredCount(event_value(&e).parse().unwrap_or(0)))} />
                    <output id="knob-value">{ desired }</output>
                </label>
            }
        }
        EmbedKnob::BakeTime => html! {
            <label class="embed-knob">
                <span>{ "bake (min)" }</span>
                <input id="bake" type="number" min="0" max={crate::engine::MAX_BAKE_TIME_MINUTES.to_string()} value={model.bake_minutes.to_string()}
                    onchange={link.callback(|e: Event| Msg::SetBakeMinutes(event_value(&e).parse().unwrap_or(0)))} />
                <output id="knob-value">{ model.bake_minutes }</output>
            </label>
        },
    }
}

fn event_value(e: &Event) -> String {
    e.target_dyn_into::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
}

fn select_all(e: FocusEvent) {
    select_target(e.target());
}

fn select_target(target: Option<web_sys::EventTarget>) {
    if let Some(input) = target.and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
        input.select();
    }
}
