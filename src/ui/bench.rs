//! The benchmark page (`?bench`): during a rolling update at 100, 1,000, 5,000 and 10,000 instances,
//! the median frame work of the playground's grid next to a plain-JavaScript baseline that patches the
//! same number of tiles per frame in the same page, and the frame rate the page achieves. Not a test:
//! it prints what it measures.
//!
//! - Frame work = advancing the simulation by one frame at the benchmark speed, patching the tiles
//!   from the engine's change set, Yew's diff and the DOM writes: from the start of the frame's update
//!   to the end of the microtask in which Yew's scheduler ran. Yew 0.23's scheduler yields to the
//!   browser (`setTimeout(0)`) once a run passes 16 ms, between the DOM writes and the `rendered`
//!   callbacks; timing up to `rendered` then also counts a whole style, layout and paint pass, which
//!   is what made this figure jump from about 13 to 220–280 ms at 10,000 instances on a busy machine.
//! - Frame interval = the time between consecutive `requestAnimationFrame` callbacks during the same
//!   frames, with the next frame requested at the start of each frame as the playground does: what a
//!   user sees, style, layout, paint and the compositor's commit included.

use super::grid::{Grid, GridTile, MenuRequest};
use super::model::{Playground, Scenario};
use gloo::render::{request_animation_frame, AnimationFrame};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[wasm_bindgen(inline_js = r#"
let tiles = [];
let flip = 0;
export function baseline_setup(container, n) {
  container.textContent = '';
  tiles = [];
  for (let i = 0; i < n; i++) {
    const tile = document.createElement('div');
    tile.className = 'tile active';
    const head = document.createElement('div');
    head.className = 'tile-head';
    head.textContent = 'i-' + i.toString(16).padStart(8, '0');
    const chip = document.createElement('li');
    chip.className = 'chip daemon running';
    chip.textContent = 'RUN monitoring-agent:1';
    tile.append(head, chip);
    container.append(tile);
    tiles.push({ tile, chip });
  }
}
// Patches `k` tiles (class and chip text), as a hand-written renderer would for k changed tiles.
// Repeated `reps` times and averaged: one patch of a few tiles is below the timer's resolution.
export function baseline_frame(k, reps) {
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) patch(k);
  return (performance.now() - t0) / reps;
}
function patch(k) {
  flip++;
  const n = tiles.length;
  for (let j = 0; j < k && n > 0; j++) {
    const { tile, chip } = tiles[(flip * 7919 + j * 104729) % n];
    const draining = (flip + j) % 2 === 0;
    tile.className = draining ? 'tile draining batch' : 'tile active';
    chip.className = draining ? 'chip daemon stopping' : 'chip daemon running';
    chip.textContent = draining ? 'STOP monitoring-agent:1' : 'RUN monitoring-agent:2';
  }
}
// Yew runs its scheduler in one microtask, which ends once the DOM writes are done (or when it
// yields): a microtask queued during the frame's update runs right after it.
let workEnd = 0;
export function mark_work_end() {
  queueMicrotask(() => { workEnd = performance.now(); });
}
export function work_end() {
  return workEnd;
}
"#)]
extern "C" {
    fn baseline_setup(container: &web_sys::Element, n: u32);
    fn baseline_frame(k: u32, reps: u32) -> f64;
    fn mark_work_end();
    fn work_end() -> f64;
}

/// Fleet sizes measured by default (`?bench&sizes=10000` measures only the ones listed), and frames per size.
const SIZES: [u32; 4] = [100, 1_000, 5_000, 10_000];
const FRAMES: usize = 90;
/// Simulated milliseconds per frame: 100× at 60 fps.
const FRAME_SIM_MS: u64 = 1_667;
/// Repetitions averaged per baseline frame (a few tiles' patch is below the timer resolution).
const BASELINE_REPS: u32 = 200;

/// Whether the page's query asks for the benchmark page: a `bench` parameter of its own (`?bench`,
/// `?bench=1`), not any query that merely contains the word (`?preset=bench-like` is a playground run).
pub fn requested(search: &str) -> bool {
    crate::support::query::has_param(search, "bench")
}

/// The sizes of `sizes=A,B` (the comma as is or percent-encoded) in the page's query, or [`SIZES`]: profiling one size should not
/// wait for the others. Values that are not whole numbers from 1 to 100,000 are skipped.
fn sizes_from_query(search: &str) -> Vec<u32> {
    let listed: Vec<u32> = search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.strip_prefix("sizes="))
        .flat_map(|list| list.split([',', '+']).flat_map(|v| v.split("%2C")).flat_map(|v| v.split("%2c")))
        .filter_map(|v| v.parse::<u32>().ok())
        .filter(|n| (1..=100_000).contains(n))
        .collect();
    if listed.is_empty() {
        SIZES.to_vec()
    } else {
        listed
    }
}

fn now() -> f64 {
    gloo::utils::window().performance().map(|p| p.now()).unwrap_or(0.0)
}

#[derive(Debug, Clone, PartialEq)]
pub struct BenchResult {
    pub instances: u32,
    pub median_frame_ms: f64,
    pub median_sim_ms: f64,
    pub median_tiles_changed: u32,
    pub median_baseline_ms: f64,
    /// Between consecutive animation-frame callbacks: median and 90th percentile.
    pub median_interval_ms: f64,
    pub p90_interval_ms: f64,
}

pub enum BenchMsg {
    /// Build the next fleet and bring it to a rolling update.
    Prepare,
    /// An animation frame, with its `requestAnimationFrame` timestamp.
    Frame(f64),
}

pub struct Bench {
    sizes: Vec<u32>,
    size_index: usize,
    model: Option<Playground>,
    tiles: Rc<Vec<GridTile>>,
    /// The frame in flight: its start and tiles patched; its work ends in a later microtask, so it is
    /// read at the next frame.
    in_flight: Option<(f64, u32)>,
    frame_ms: Vec<f64>,
    /// `requestAnimationFrame` timestamps of this size's frames.
    frame_times: Vec<f64>,
    /// The simulation's share of each frame (advance + change set).
    sim_ms: Vec<f64>,
    changed: Vec<u32>,
    results: Vec<BenchResult>,
    status: String,
    on_menu: Callback<MenuRequest>,
    baseline_root: NodeRef,
    _frame: Option<AnimationFrame>,
}

fn median(values: &mut [f64]) -> f64 {
    percentile(values, 50)
}

/// The nearest-rank percentile (0 for no values).
fn percentile(values: &mut [f64], pct: usize) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    crate::support::order::sort_by(values, |a, b| a.total_cmp(b));
    let rank = (values.len() * pct).div_ceil(100).max(1);
    values[rank - 1]
}

impl Bench {
    fn request_frame(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self._frame = Some(request_animation_frame(move |ts| link.send_message(BenchMsg::Frame(ts))));
    }

    fn sync_tiles(&mut self) -> u32 {
        let Some(model) = &self.model else { return 0 };
        let tiles: Vec<GridTile> = model
            .tiles()
            .into_iter()
            .map(|t| GridTile { view: t.view.clone(), ghost: t.ghost_until.is_some() })
            .collect();
        let changed = tiles
            .iter()
            .enumerate()
            .filter(|(i, t)| self.tiles.get(*i).map(|old| !Rc::ptr_eq(&old.view, &t.view)).unwrap_or(true))
            .count() as u32;
        self.tiles = Rc::new(tiles);
        changed
    }

    fn finish_size(&mut self) {
        let instances = self.sizes[self.size_index];
        let changed: Vec<u32> = self.changed.clone();
        // The baseline patches, per frame, as many tiles as the playground patched.
        if let Some(root) = self.baseline_root.cast::<web_sys::Element>() {
            baseline_setup(&root, instances);
        }
        let mut baseline: Vec<f64> = changed.iter().map(|k| baseline_frame(*k, BASELINE_REPS)).collect();
        let mut sorted_changed: Vec<f64> = changed.iter().map(|c| *c as f64).collect();
        let mut intervals: Vec<f64> = self.frame_times.windows(2).map(|w| w[1] - w[0]).collect();
        let result = BenchResult {
            instances,
            median_frame_ms: median(&mut self.frame_ms),
            median_sim_ms: median(&mut self.sim_ms),
            median_tiles_changed: median(&mut sorted_changed) as u32,
            median_baseline_ms: median(&mut baseline),
            median_interval_ms: median(&mut intervals),
            p90_interval_ms: percentile(&mut intervals, 90),
        };
        gloo::console::log!(format_result(&result));
        self.results.push(result);
        self.frame_ms.clear();
        self.frame_times.clear();
        self.sim_ms.clear();
        self.changed.clear();
        self.model = None;
        self.tiles = Rc::new(Vec::new());
        self.size_index += 1;
    }
}

fn format_result(r: &BenchResult) -> String {
    let ratio =
        if r.median_baseline_ms > 0.0 { r.median_frame_ms / r.median_baseline_ms } else { f64::INFINITY };
    format!(
        "bench: {} instances: median frame work {:.2} ms (simulation {:.2} ms; median {} tiles patched) vs plain JS {:.3} ms: ratio {:.1}×; frame interval median {:.1} ms ({:.1} fps), 90th percentile {:.1} ms",
        r.instances,
        r.median_frame_ms,
        r.median_sim_ms,
        r.median_tiles_changed,
        r.median_baseline_ms,
        ratio,
        r.median_interval_ms,
        fps(r.median_interval_ms),
        r.p90_interval_ms
    )
}

fn fps(interval_ms: f64) -> f64 {
    if interval_ms > 0.0 {
        1000.0 / interval_ms
    } else {
        0.0
    }
}

impl Component for Bench {
    type Message = BenchMsg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        ctx.link().send_message(BenchMsg::Prepare);
        let search = gloo::utils::window().location().search().unwrap_or_default();
        Bench {
            sizes: sizes_from_query(&search),
            size_index: 0,
            model: None,
            tiles: Rc::new(Vec::new()),
            in_flight: None,
            frame_ms: Vec::new(),
            frame_times: Vec::new(),
            sim_ms: Vec::new(),
            changed: Vec::new(),
            results: Vec::new(),
            status: "preparing".into(),
            on_menu: Callback::noop(),
            baseline_root: NodeRef::default(),
            _frame: None,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Self::Message) -> bool {
        match msg {
            BenchMsg::Prepare => {
                let Some(&instances) = self.sizes.get(self.size_index) else {
                    self.status = "done".into();
                    return true;
                };
                let mut model = Playground::new(Scenario { instances, ..Scenario::default() });
                model.playing = false;
                // Cold launch, daemon, app: the fleet is up well within 15 simulated minutes.
                model.advance_by(15 * crate::engine::time::MINUTE);
                model.deploy_new_revision();
                // Into the deployment: the first batches are draining and replacing.
                model.advance_by(2 * crate::engine::time::MINUTE);
                self.model = Some(model);
                self.sync_tiles();
                self.status = format!("measuring {instances} instances");
                self.request_frame(ctx);
                true
            }
            BenchMsg::Frame(timestamp) => {
                if let Some((start, changed)) = self.in_flight.take() {
                    self.frame_ms.push(work_end() - start);
                    self.changed.push(changed);
                }
                // Also when this callback only ends the size: the interval up to it is the last
                // measured frame's.
                self.frame_times.push(timestamp);
                if self.frame_ms.len() >= FRAMES {
                    self.finish_size();
                    ctx.link().send_message(BenchMsg::Prepare);
                    return true;
                }
                // Requested before this frame's work, as the playground's loop does: the interval
                // between callbacks is then the page's frame rate, not this loop's.
                self.request_frame(ctx);
                let start = now();
                mark_work_end();
                if let Some(model) = self.model.as_mut() {
                    model.advance_by(FRAME_SIM_MS);
                }
                self.sim_ms.push(now() - start);
                let changed = self.sync_tiles();
                self.in_flight = Some((start, changed));
                true
            }
        }
    }

    fn view(&self, _ctx: &Context<Self>) -> Html {
        let done = self.status == "done";
        html! {
            <main class="app bench">
                <h1>{ "ecs-daemon-sim: frame-work benchmark" }</h1>
                <p class="hint">{ "Median work per frame of the playground's grid during a rolling update (simulation advance + tile patching + Yew diff + DOM writes), next to plain JavaScript patching the same number of tiles, and the interval between animation frames (style, layout and paint included)." }</p>
                <p id="bench-status" data-done={done.to_string()}>{ &self.status }</p>
                <pre id="bench-results">{ for self.results.iter().map(|r| format!("{}\n", format_result(r))) }</pre>
                <div class="bench-grid">
                    <Grid tiles={self.tiles.clone()} selected={None::<String>} on_menu={self.on_menu.clone()} />
                </div>
                <div class="tiles bench-baseline" ref={self.baseline_root.clone()} aria-hidden="true"></div>
            </main>
        }
    }
}
