//! The benchmark page (`?bench`): median frame work of the playground's grid during a rolling
//! update at 100, 1,000, 5,000 and 10,000 instances, next to a plain-JavaScript baseline that patches the
//! same number of tiles per frame in the same page. Not a test: it prints what it measures.
//!
//! Frame work = advancing the simulation by one frame at the benchmark speed, patching the tiles
//! from the engine's change set, Yew's diff and the DOM writes — measured from the start of the
//! frame's update to the component's `rendered` callback (layout and paint are the browser's and
//! the same for both sides).

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
"#)]
extern "C" {
    fn baseline_setup(container: &web_sys::Element, n: u32);
    fn baseline_frame(k: u32, reps: u32) -> f64;
}

/// Fleet sizes measured, and frames per size.
const SIZES: [u32; 4] = [100, 1_000, 5_000, 10_000];
const FRAMES: usize = 90;
/// Simulated milliseconds per frame: 100× at 60 fps.
const FRAME_SIM_MS: u64 = 1_667;
/// Repetitions averaged per baseline frame (a few tiles' patch is below the timer resolution).
const BASELINE_REPS: u32 = 200;

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
}

pub enum BenchMsg {
    /// Build the next fleet and bring it to a rolling update.
    Prepare,
    Frame,
}

pub struct Bench {
    size_index: usize,
    model: Option<Playground>,
    tiles: Rc<Vec<GridTile>>,
    frame_started: Option<f64>,
    changed_this_frame: u32,
    frame_ms: Vec<f64>,
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
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

impl Bench {
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
        let instances = SIZES[self.size_index];
        let changed: Vec<u32> = self.changed.clone();
        // The baseline patches, per frame, as many tiles as the playground patched.
        if let Some(root) = self.baseline_root.cast::<web_sys::Element>() {
            baseline_setup(&root, instances);
        }
        let mut baseline: Vec<f64> = changed.iter().map(|k| baseline_frame(*k, BASELINE_REPS)).collect();
        let mut sorted_changed: Vec<f64> = changed.iter().map(|c| *c as f64).collect();
        let result = BenchResult {
            instances,
            median_frame_ms: median(&mut self.frame_ms),
            median_sim_ms: median(&mut self.sim_ms),
            median_tiles_changed: median(&mut sorted_changed) as u32,
            median_baseline_ms: median(&mut baseline),
        };
        gloo::console::log!(format_result(&result));
        self.results.push(result);
        self.frame_ms.clear();
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
        "bench: {} instances: median frame work {:.2} ms (simulation {:.2} ms; median {} tiles patched) vs plain JS {:.3} ms: ratio {:.1}×",
        r.instances, r.median_frame_ms, r.median_sim_ms, r.median_tiles_changed, r.median_baseline_ms, ratio
    )
}

impl Component for Bench {
    type Message = BenchMsg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        ctx.link().send_message(BenchMsg::Prepare);
        Bench {
            size_index: 0,
            model: None,
            tiles: Rc::new(Vec::new()),
            frame_started: None,
            changed_this_frame: 0,
            frame_ms: Vec::new(),
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
                let Some(&instances) = SIZES.get(self.size_index) else {
                    self.status = "done".into();
                    return true;
                };
                let mut model = Playground::new(Scenario { instances, ..Scenario::default() });
                model.playing = false;
                // Cold launch, daemon, app: the fleet is up well within 15 simulated minutes.
                model.advance_by(15 * 60_000);
                model.deploy_new_revision();
                // Into the deployment: the first batches are draining and replacing.
                model.advance_by(2 * 60_000);
                self.model = Some(model);
                self.sync_tiles();
                self.status = format!("measuring {instances} instances");
                let link = ctx.link().clone();
                self._frame = Some(request_animation_frame(move |_| link.send_message(BenchMsg::Frame)));
                true
            }
            BenchMsg::Frame => {
                if self.frame_ms.len() >= FRAMES {
                    self.finish_size();
                    ctx.link().send_message(BenchMsg::Prepare);
                    return true;
                }
                let start = now();
                self.frame_started = Some(start);
                if let Some(model) = self.model.as_mut() {
                    model.advance_by(FRAME_SIM_MS);
                }
                self.sim_ms.push(now() - start);
                self.changed_this_frame = self.sync_tiles();
                true
            }
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first_render: bool) {
        if let Some(start) = self.frame_started.take() {
            self.frame_ms.push(now() - start);
            self.changed.push(self.changed_this_frame);
            let link = ctx.link().clone();
            self._frame = Some(request_animation_frame(move |_| link.send_message(BenchMsg::Frame)));
        }
    }

    fn view(&self, _ctx: &Context<Self>) -> Html {
        let done = self.status == "done";
        html! {
            <main class="app bench">
                <h1>{ "ecs-daemon-sim: frame-work benchmark" }</h1>
                <p class="hint">{ "Median work per frame of the playground's grid during a rolling update (simulation advance + tile patching + Yew diff + DOM writes), next to plain JavaScript patching the same number of tiles." }</p>
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
