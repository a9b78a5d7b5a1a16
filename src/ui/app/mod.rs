//! The root component: one [`Msg`] enum, an `update` that maps messages to [`Playground`] verbs
//! (and through them to AWS actions and `sim` commands on the recorded run), and a view of the model.

use super::chart::Chart;
use super::console_panel;
use super::dense;
use super::embed::{self, EmbedSettings, EmbedState, EmbedView};
use super::events::EventLog;
use super::follow::{self, Following};
use super::grid::{GridTile, MenuRequest};
use super::inspector::{self, Timeline};
use super::legend::{revisions_on_fleet, Legend};
use super::lessons::{self, LessonsPanel};
use super::model::{
    format_clock, slider_to_speed, speed_to_slider, Playground, RunScenario, Scenario, MAX_SPEED, MIN_SPEED,
    SPEED_KEYS,
};
use super::motion;
use super::narration::{self, Story, EXPLAIN_SPEED, EXPLAIN_WALL_MS};
use super::pace;
use super::persist;
use super::presets::{preset, PRESETS};
use super::share::{self, Notice};
use super::sidecar;
use crate::cli::{tutorial, TUTORIAL_SCRIPT};
use crate::engine::{DEFAULT_DRAIN_PERCENT, MAX_BAKE_TIME_MINUTES};
use crate::pattern::EventPattern;
use crate::session::scenario::limits::MAX_FILE_BYTES;
use crate::support::decimal::parse_f64;
use gloo::events::{EventListener, EventListenerOptions};
use gloo::render::{request_animation_frame, AnimationFrame};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::html::Scope;
use yew::prelude::*;

mod msg;
mod panels;
mod transfer;

pub use msg::{AppProps, Driver, Msg, Tab, TileFault};
pub(crate) use panels::{clock_and_speed, input_value};
use transfer::page_run;

/// Rows the event log shows at most, and how many of the newest events a filter looks through.
const EVENT_ROWS: usize = 200;
const EVENT_SCAN_LIMIT: usize = 20_000;

/// While playing, the autosave writes at most this often (wall ms); every input saves at once.
const AUTOSAVE_EVERY_MS: f64 = 2_000.0;

pub struct App {
    model: Playground,
    menu: Option<MenuRequest>,
    tab: Tab,
    help: bool,
    last_frame: Option<f64>,
    next_frame: Option<AnimationFrame>,
    /// The next piece of event-log hashing while paused.
    hash_frame: Option<AnimationFrame>,
    /// The model generation the story was told for.
    story_generation: Option<u64>,
    tiles: Rc<Vec<GridTile>>,
    pattern: String,
    parsed_pattern: Option<EventPattern>,
    pattern_error: Option<String>,
    event_view: Rc<Vec<Rc<serde_json::Value>>>,
    event_view_count: usize,
    script: String,
    on_menu: Callback<MenuRequest>,
    _keys: Option<[EventListener; 2]>,
    transfer: Transfer,
    embed: Option<EmbedState>,
    lessons: LessonsPanel,
    story: Explain,
    /// The selected instance's timeline, extended as events arrive.
    timeline: Option<Timeline>,
    /// App tasks seen on replacement tiles (instance → task ids): a new one travels in.
    app_seen: std::collections::HashMap<String, Vec<String>>,
    /// Moves to draw after the next render: (from instance, to instance).
    moves: Vec<(String, String)>,
    /// What a preset skipped to reach its story (said on screen).
    boot_note: Option<String>,
    drawer_open: bool,
    help_ref: NodeRef,
    /// The sidecar fleet beside the page's while the sidecar preset is loaded.
    sidecar: Option<sidecar::Comparison>,
    /// Follow mode (`?follow=URL`): the server whose run this page shows.
    follow: Option<Following>,
}

/// The story line and explain mode's state.
struct Explain {
    story: Story,
    on: bool,
    pause_on_key: bool,
    /// Until when (wall ms, `performance.now`) playback stays slow for the current key moment.
    slow_until: Option<f64>,
}

/// Sharing and saving: the notices of the page load, the share link, import and autosave state.
#[derive(Default)]
struct Transfer {
    /// Whether this app writes the localStorage autosave: the page's playground does; an embed
    /// (`embed=1`, possibly several on one documentation page) must not overwrite the user's run.
    autosave: bool,
    notices: Vec<Notice>,
    share_link: Option<String>,
    /// The iframe line for the current run (Copy embed snippet), and whether the clipboard took it.
    embed_snippet: Option<String>,
    snippet_copied: Option<bool>,
    import_error: Option<String>,
    import_status: Option<String>,
    /// (inputs, simulated time, knob and speed values) of the last autosave, and when it was
    /// written (wall ms).
    saved: (usize, u64, Vec<u64>),
    saved_at: f64,
    save_error: Option<String>,
    export_url: Option<gloo::file::ObjectUrl>,
    reading: Option<gloo::file::callbacks::FileReader>,
}

impl App {
    fn schedule_frame(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.next_frame = Some(request_animation_frame(move |ts| link.send_message(Msg::Frame(ts))));
    }

    /// Hashes the rest of the event log in frame-sized pieces once the page is paused: the paused
    /// clock shows at once, the hash a moment later.
    fn schedule_hashing(&mut self, ctx: &Context<Self>) {
        if self.hash_frame.is_none() && !self.model.playing && self.model.events_to_hash() > 0 {
            let link = ctx.link().clone();
            self.hash_frame = Some(request_animation_frame(move |_| link.send_message(Msg::HashEvents)));
        }
    }

    fn set_playing(&mut self, ctx: &Context<Self>, playing: bool) {
        self.model.playing = playing;
        self.model.pace.reset();
        self.last_frame = None;
        if playing {
            self.schedule_frame(ctx);
        } else {
            self.next_frame = None;
        }
    }

    /// Rebuilds the grid's tile list only when a tile changed, so the grid's props stay equal
    /// otherwise.
    fn sync_tiles(&mut self) {
        let tiles: Vec<GridTile> = self
            .model
            .tiles()
            .into_iter()
            .map(|t| GridTile { view: t.view.clone(), ghost: t.ghost_until.is_some() })
            .collect();
        let same = tiles.len() == self.tiles.len()
            && tiles
                .iter()
                .zip(self.tiles.iter())
                .all(|(a, b)| Rc::ptr_eq(&a.view, &b.view) && a.ghost == b.ghost);
        if !same {
            // The dense view draws cells, not chips: nothing travels there.
            if tiles.len() <= dense::DENSE_ABOVE {
                self.find_moves(&tiles);
            } else {
                self.app_seen.clear();
            }
            self.tiles = Rc::new(tiles);
        }
        sidecar::sync(&mut self.sidecar, &self.model);
    }

    /// App tasks that appeared on a replacement tile since the last look: each travels in from the
    /// instance the tile replaces (drawn after the render).
    fn find_moves(&mut self, tiles: &[GridTile]) {
        for t in tiles.iter().filter(|t| t.view.replacement_of.is_some() && !t.ghost) {
            let id = &t.view.container_instance_id;
            let tasks: Vec<String> = t.view.app_tasks.iter().filter_map(|a| a.task_id.clone()).collect();
            let seen = self.app_seen.entry(id.clone()).or_default();
            if tasks.iter().any(|task| !seen.contains(task)) {
                if let Some(old) = &t.view.replacement_of {
                    self.moves.push((old.clone(), id.clone()));
                }
            }
            *seen = tasks;
        }
        // A set, not a scan of the tiles per entry: at 10,000 instances the scan was 10⁸ string
        // comparisons per changed frame and held the page for seconds.
        let shown: std::collections::HashSet<&str> =
            tiles.iter().map(|t| t.view.container_instance_id.as_str()).collect();
        self.app_seen.retain(|id, _| shown.contains(id.as_str()));
    }

    /// Retells the story after a change; a key moment that was not on screen before slows playback
    /// (explain mode) or pauses it (pause at each).
    fn sync_story(&mut self, ctx: &Context<Self>) {
        // The story is a function of the run: a pause, a tab or a selection leaves it as it was
        // (at 10,000 instances retelling it costs milliseconds a Pause click would wait for).
        if self.story_generation == Some(self.model.generation()) {
            return;
        }
        self.story_generation = Some(self.model.generation());
        let story = narration::narrate(&self.model);
        let new_key = story.key.iter().any(|k| k.0.is_key() && !self.story.story.key.contains(k));
        self.story.story = story;
        if new_key && self.model.playing {
            if self.story.on {
                self.story.slow_until = Some(persist::now_ms() + EXPLAIN_WALL_MS);
            }
            if self.story.pause_on_key {
                self.set_playing(ctx, false);
            }
        }
    }

    /// Keeps the selected instance's timeline up to date.
    fn sync_timeline(&mut self) {
        let Some(selected) = self.model.selected.clone() else {
            self.timeline = None;
            return;
        };
        if self.timeline.as_ref().map(|t| t.instance != selected).unwrap_or(true) {
            self.timeline = Some(Timeline::new(&selected));
        }
        let epoch = self.model.sim().config().epoch_ms;
        if let Some(t) = self.timeline.as_mut() {
            t.extend(self.model.events(), epoch);
        }
    }

    /// Resumes a run that a preset's end paused when the user acts on it, so the action shows.
    fn resume_after_preset(&mut self, ctx: &Context<Self>) {
        if self.model.preset_finished() && !self.model.playing {
            self.set_playing(ctx, true);
        }
    }

    fn key(&mut self, ctx: &Context<Self>, key: &str) -> bool {
        match key {
            " " => {
                let playing = !self.model.playing;
                self.set_playing(ctx, playing);
            }
            "ArrowRight" => {
                self.model.step_event();
            }
            "?" => self.help = !self.help,
            "Escape" => {
                self.menu = None;
                self.help = false;
            }
            k => match k.parse::<usize>() {
                Ok(n) if (1..=9).contains(&n) => self.model.set_speed(SPEED_KEYS[n - 1]),
                _ => return false,
            },
        }
        true
    }
}

impl App {
    /// What every update ends with: the derived views brought up to date when the page changed.
    fn after_update(&mut self, ctx: &Context<Self>, changed: bool) -> bool {
        if changed {
            self.sync_tiles();
            self.sync_events(false);
            self.lessons.sync(&self.model);
            self.sync_story(ctx);
            self.sync_timeline();
        }
        self.autosave();
        changed
    }

    /// Follow mode's messages, and the local ones it turns into requests to the server or
    /// declines (the run is the server's: a local change would make it diverge). `Err(msg)` hands a
    /// message on to the page's own handling.
    fn follow_update(&mut self, ctx: &Context<Self>, msg: Msg) -> Result<bool, Msg> {
        let link = ctx.link();
        let Some(following) = self.follow.as_mut() else { return Err(msg) };
        let server = following.server.clone();
        let declined = |what: &str| {
            format!("{what} is not available while following {server}: the run is the server's (open the page without ?follow= for a playground of your own)")
        };
        match msg {
            Msg::FollowPoll => following.poll(link),
            Msg::FollowAnswer(answer) => return Ok(following.absorb(&mut self.model, answer, link)),
            Msg::FollowSent(what, answer) => {
                following.sent = Some((what, answer));
                // The effect comes back through the log: ask now rather than at the next tick.
                following.poll(link);
            }
            Msg::FollowDrainPercent(percent) => match self.model.drain_percent_update(percent) {
                Some(input) => following.send(input, link),
                None => self.model.last_error = Some("there is no daemon on the server to update".into()),
            },
            Msg::Fault(fault, id) => {
                self.menu = None;
                match follow::fault_input(&self.model, fault, &id) {
                    Ok(input) => following.send(input, link),
                    Err(why) => self.model.last_error = Some(why),
                }
            }
            Msg::TogglePlay => following.toggle_paused(link),
            Msg::Key(ref key) if key == " " => following.toggle_paused(link),
            // → steps the local clock: the server's is the only one here.
            Msg::Key(ref key) if key == "ArrowRight" => return Ok(false),
            Msg::Frame(_)
            | Msg::StepEvent
            | Msg::Reset
            | Msg::SetSpeed(_)
            | Msg::AdvanceBy(_)
            | Msg::Seek(_)
            | Msg::ForkHere => {}
            Msg::SetDrainPercent(_)
            | Msg::SetDesiredCount(_)
            | Msg::SetBakeMinutes(_)
            | Msg::SetDaemonCpu(_)
            | Msg::SetDaemonMemory(_)
            | Msg::DeployRevision
            | Msg::ArmBadImage(_)
            | Msg::ToggleLaunchBlocked
            | Msg::ToggleAlarm
            | Msg::SetAutoRepair(_) => {
                self.model.last_error = Some(declined("this knob"));
            }
            // The console's script runs on the server (POST /_sim/script), as a client's would.
            Msg::RunScript => {
                following.send(crate::session::scenario::Input::Script(self.script.clone()), link)
            }
            Msg::LoadPreset(_)
            | Msg::OpenLesson(_)
            | Msg::ImportText(_)
            | Msg::RunAfter
            | Msg::ScriptStep
            | Msg::SkipSleep
            | Msg::Embed(_) => {
                self.model.last_error =
                    Some(declined("a run of the page's own (preset, lesson, import, console script)"));
            }
            other => return Err(other),
        }
        Ok(true)
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = AppProps;

    fn create(ctx: &Context<Self>) -> Self {
        let props = ctx.props();
        if let Some(driver) = &props.driver {
            *driver.0.borrow_mut() = Some(ctx.link().clone());
        }
        let link = ctx.link().clone();
        let active = EventListenerOptions::enable_prevent_default();
        let keys = EventListener::new_with_options(&gloo::utils::document(), "keydown", active, move |e| {
            let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let typing = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .map(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
                .unwrap_or(false);
            let key = e.key();
            if typing && key != "Escape" {
                return;
            }
            if matches!(
                key.as_str(),
                " " | "ArrowRight" | "?" | "Escape" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9"
            ) {
                // Space on a focused button would also click it: the shortcut wins.
                e.prevent_default();
                link.send_message(Msg::Key(key));
            }
        });
        // A focused button would also take space's keyup as a click: the shortcut owns space.
        let space_up = EventListener::new_with_options(&gloo::utils::document(), "keyup", active, move |e| {
            let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
            let on_button = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .map(|el| el.tag_name() == "BUTTON")
                .unwrap_or(false);
            if e.key() == " " && on_button {
                e.prevent_default();
            }
        });
        let mut transfer = Transfer::default();
        let origin = gloo::utils::window().location().origin().unwrap_or_default();
        let follow_request =
            props.from_page.then(|| crate::session::follow::requested(&persist::query(), &origin)).flatten();
        let follow = match follow_request {
            Some(Ok(server)) => Some(Following::start(server, ctx.link())),
            Some(Err(message)) => {
                transfer.notices.push(share::Notice::warning(
                    "follow",
                    format!("{message}. This page runs a playground of its own."),
                ));
                None
            }
            None => None,
        };
        let model = if follow.is_some() {
            // Filled from the server's first answer.
            Playground::following(RunScenario::with_seed(0)).expect("an empty scenario is valid")
        } else if props.from_page {
            page_run(&persist::query(), persist::saved(), props.autoplay, &mut transfer.notices)
        } else {
            let mut model = Playground::new(props.scenario.clone());
            model.playing = props.autoplay;
            model
        };
        let embed = (props.from_page && model.run_scenario().view.embed)
            .then(|| EmbedState::new(EmbedSettings::from_url(&persist::href())));
        // A followed run is the server's: it must not replace the run saved in this browser.
        transfer.autosave = props.from_page && embed.is_none() && follow.is_none();
        let story = narration::narrate(&model);
        let mut app = App {
            model,
            menu: None,
            tab: Tab::Events,
            help: false,
            last_frame: None,
            next_frame: None,
            hash_frame: None,
            story_generation: None,
            tiles: Rc::new(Vec::new()),
            pattern: String::new(),
            parsed_pattern: None,
            pattern_error: None,
            event_view: Rc::new(Vec::new()),
            event_view_count: 0,
            script: TUTORIAL_SCRIPT.to_string(),
            on_menu: ctx.link().callback(Msg::OpenMenu),
            _keys: Some([keys, space_up]),
            transfer,
            embed,
            lessons: LessonsPanel::default(),
            story: Explain { story, on: true, pause_on_key: false, slow_until: None },
            timeline: None,
            app_seen: Default::default(),
            moves: Vec::new(),
            boot_note: None,
            drawer_open: false,
            help_ref: NodeRef::default(),
            sidecar: None,
            follow,
        };
        if props.from_page && app.embed.is_none() {
            if let Some(id) = lessons::lesson_parameter(&persist::query()) {
                app.open_lesson(&id);
                app.story.story = narration::narrate(&app.model);
            }
        }
        app.sync_tiles();
        app.moves.clear();
        app.sync_events(true);
        if app.model.playing {
            app.schedule_frame(ctx);
        }
        app.autosave();
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Self::Message) -> bool {
        let msg = match self.follow_update(ctx, msg) {
            Ok(changed) => return self.after_update(ctx, changed),
            Err(msg) => msg,
        };
        let changed = match msg {
            Msg::Frame(ts) => {
                if !self.model.playing {
                    return false;
                }
                let mut wall = self.last_frame.map(|last| ts - last).unwrap_or(0.0);
                self.last_frame = Some(ts);
                // Explain mode: a new key moment plays at most at EXPLAIN_SPEED for a few seconds.
                if let Some(until) = self.story.slow_until {
                    if !self.story.on || persist::now_ms() >= until {
                        self.story.slow_until = None;
                    } else {
                        wall *= (EXPLAIN_SPEED / self.model.speed).min(1.0);
                    }
                }
                let changed = self.model.frame_within(wall, &pace::deadline(pace::FRAME_BUDGET_MS));
                if self.model.playing {
                    self.schedule_frame(ctx);
                } else {
                    // A preset reached its end: the loop stops with it.
                    self.next_frame = None;
                    self.last_frame = None;
                }
                changed || !self.model.playing
            }
            Msg::HashEvents => {
                self.hash_frame = None;
                if self.model.playing {
                    return false;
                }
                let done = self.model.hash_events_within(&pace::deadline(pace::FRAME_BUDGET_MS)).is_some();
                if !done {
                    self.schedule_hashing(ctx);
                }
                done
            }
            Msg::TogglePlay => {
                let playing = !self.model.playing;
                self.set_playing(ctx, playing);
                true
            }
            Msg::StepEvent => {
                self.model.step_event();
                true
            }
            Msg::Reset => {
                self.model.reset();
                self.model.playing = false;
                self.boot_note = self.model.fast_forward_boot().filter(|ms| *ms > 0).map(|ms| {
                    format!("Fleet boot fast-forwarded ({}): the story starts here.", format_clock(ms))
                });
                self.set_playing(ctx, false);
                self.menu = None;
                // The run is back at the lesson's start (its setup script is part of the run):
                // the goal is checked afresh.
                if let Some(active) = &self.lessons.active {
                    let lesson = active.lesson;
                    self.lessons.start(lesson, &self.model);
                }
                true
            }
            Msg::SetSpeed(speed) => {
                self.model.set_speed(speed.clamp(MIN_SPEED, MAX_SPEED));
                true
            }
            Msg::AdvanceBy(ms) => {
                self.model.advance_by(ms);
                true
            }
            Msg::Seek(to) => {
                self.model.seek(to);
                true
            }
            Msg::ForkHere => {
                self.model.fork_here();
                true
            }
            Msg::SetDrainPercent(p) => {
                self.model.set_drain_percent(p);
                self.resume_after_preset(ctx);
                true
            }
            Msg::SetDesiredCount(n) => {
                let changed = self.model.set_desired_count(n) || self.model.last_error.is_some();
                self.resume_after_preset(ctx);
                changed
            }
            Msg::SetBakeMinutes(m) => {
                self.model.set_bake_minutes(m);
                true
            }
            Msg::SetDaemonCpu(c) => {
                self.model.set_daemon_size(Some(c), None);
                true
            }
            Msg::SetDaemonMemory(m) => {
                self.model.set_daemon_size(None, Some(m));
                true
            }
            Msg::DeployRevision => {
                self.model.deploy_new_revision();
                self.resume_after_preset(ctx);
                true
            }
            Msg::ArmBadImage(armed) => {
                self.model.bad_image_armed = armed;
                true
            }
            Msg::ToggleLaunchBlocked => {
                let blocked = !self.model.launch_blocked;
                self.model.set_launch_blocked(blocked);
                self.resume_after_preset(ctx);
                true
            }
            Msg::ToggleAlarm => {
                let alarm = !self.model.alarm_in_alarm;
                self.model.set_alarm(alarm);
                self.resume_after_preset(ctx);
                true
            }
            Msg::SetAutoRepair(on) => self.model.set_auto_repair(on) || self.model.last_error.is_some(),
            Msg::OpenMenu(request) => {
                self.model.selected = Some(request.instance_id.clone());
                // A click opens the inspector; the context menu (right click, menu key) the menu.
                self.menu = request.menu.then_some(request);
                true
            }
            Msg::CloseMenu => {
                self.menu = None;
                true
            }
            Msg::Fault(fault, id) => {
                self.menu = None;
                match fault {
                    TileFault::StopDaemon => self.model.stop_daemon_task(&id),
                    TileFault::MakeUnhealthy => self.model.make_daemon_unhealthy(&id),
                    TileFault::Drain => self.model.drain_instance(&id),
                    TileFault::Terminate => self.model.terminate_instance(&id),
                };
                self.resume_after_preset(ctx);
                true
            }
            Msg::Select(id) => {
                self.model.selected = id;
                true
            }
            Msg::SelectTab(tab) => {
                // The selected tab's button closes the panel; another tab opens it on that tab.
                self.drawer_open = !(self.drawer_open && self.tab == tab);
                self.tab = tab;
                true
            }
            Msg::ToggleDrawer => {
                self.drawer_open = !self.drawer_open;
                true
            }
            Msg::ToggleExplain => {
                self.story.on = !self.story.on;
                self.story.slow_until = None;
                true
            }
            Msg::TogglePauseOnKey => {
                self.story.pause_on_key = !self.story.pause_on_key;
                true
            }
            Msg::SetPattern(text) => {
                if text.trim().is_empty() {
                    self.parsed_pattern = None;
                    self.pattern_error = None;
                } else {
                    match EventPattern::parse(&text) {
                        Ok(p) => {
                            self.parsed_pattern = Some(p);
                            self.pattern_error = None;
                        }
                        Err(e) => self.pattern_error = Some(e.to_string()),
                    }
                }
                self.pattern = text;
                self.sync_events(true);
                true
            }
            Msg::ToggleHelp => {
                self.help = !self.help;
                true
            }
            Msg::Key(key) => self.key(ctx, &key),
            Msg::SetScript(text) => {
                self.script = text;
                false
            }
            Msg::RunScript => {
                if self.script == TUTORIAL_SCRIPT {
                    // The tutorial runs in a world of its own and stops before its cleanup.
                    self.lessons.active = None;
                    let speed = self.model.speed;
                    self.model = Playground::for_tutorial(Scenario::default().seed);
                    self.model.set_speed(speed);
                    self.menu = None;
                    let (lesson, cleanup) = tutorial::sections();
                    if self.model.start_script(lesson) {
                        self.model.console.after = Some(cleanup);
                        self.set_playing(ctx, true);
                    }
                    return true;
                }
                if self.model.start_script(&self.script) {
                    self.set_playing(ctx, true);
                }
                true
            }
            Msg::RunAfter => {
                if let Some(text) = self.model.console.after.take() {
                    if self.model.start_script(text) {
                        self.set_playing(ctx, true);
                    }
                }
                true
            }
            Msg::StopScript => {
                self.model.stop_script();
                true
            }
            Msg::ScriptStep => self.model.script_step(),
            Msg::SkipSleep => self.model.skip_sleep(),
            Msg::Share => {
                let link = share::link(&persist::origin_and_path(), self.model.run_scenario());
                // The share field holds the link whatever the clipboard answers.
                persist::offer_to_clipboard(&link, |_| {});
                self.transfer.share_link = Some(link);
                true
            }
            Msg::Export => {
                let scenario = self.model.run_scenario();
                let name = format!("ecs-daemon-sim-seed{}-{}ms.json", scenario.seed, self.model.elapsed());
                self.transfer.export_url = persist::download(&name, &scenario.to_json());
                true
            }
            Msg::ImportFile(file) => {
                self.transfer.import_status = None;
                let size = file.size();
                if size > MAX_FILE_BYTES as f64 {
                    self.transfer.import_error = Some(format!(
                        "ScenarioTooLargeException: {} is {size} bytes; the largest accepted is {MAX_FILE_BYTES} bytes (5 MB). The current run is unchanged.",
                        file.name()
                    ));
                    return true;
                }
                let link = ctx.link().clone();
                let name = file.name();
                let file = gloo::file::File::from(file);
                self.transfer.reading = Some(gloo::file::callbacks::read_as_text(&file, move |text| {
                    link.send_message(match text {
                        Ok(text) => Msg::ImportText(text),
                        Err(error) => Msg::ImportUnreadable(format!("{name}: {error}")),
                    })
                }));
                true
            }
            Msg::ImportText(text) => {
                self.transfer.reading = None;
                self.import(ctx, &text);
                true
            }
            Msg::ImportUnreadable(why) => {
                self.transfer.reading = None;
                self.transfer.import_error =
                    Some(format!("SerializationException: the file could not be read ({why}). The current run is unchanged."));
                true
            }
            Msg::DismissNotice(index) => {
                if index < self.transfer.notices.len() {
                    self.transfer.notices.remove(index);
                }
                true
            }
            Msg::LoadPreset(id) => {
                let Some(preset) = preset(id) else { return false };
                // A preset's run is not the lesson's.
                self.lessons.active = None;
                let speed = self.model.speed;
                self.model = Playground::with_preset(preset);
                self.model.set_speed(speed);
                self.boot_note = self.model.fast_forward_boot().filter(|ms| *ms > 0).map(|ms| {
                    format!("Fleet boot fast-forwarded ({}): the story starts here.", format_clock(ms))
                });
                self.menu = None;
                self.story.on = true;
                self.set_playing(ctx, true);
                true
            }
            Msg::Embed(settings) => {
                self.enter_embed(ctx, settings);
                true
            }
            Msg::CopyEmbedSnippet => {
                match self.embed.as_mut() {
                    Some(embed) => embed.copy_snippet(ctx.link()),
                    None => {
                        let snippet = self.embed_snippet();
                        self.transfer.snippet_copied =
                            if embed::offer_to_clipboard(&snippet, ctx.link()) { None } else { Some(false) };
                        self.transfer.embed_snippet = Some(snippet);
                    }
                }
                true
            }
            Msg::EmbedSnippetCopied(copied) => {
                match self.embed.as_mut() {
                    Some(embed) => embed.copied = Some(copied),
                    None => self.transfer.snippet_copied = Some(copied),
                }
                true
            }
            Msg::ToggleLessons => {
                self.lessons.open = !self.lessons.open;
                true
            }
            Msg::OpenLesson(id) => self.open_lesson(&id),
            Msg::FollowPoll | Msg::FollowAnswer(_) | Msg::FollowSent(..) | Msg::FollowDrainPercent(_) => {
                false
            }
        };
        self.after_update(ctx, changed)
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        if let Some(embed) = &self.embed {
            let notices = self.transfer.notices.iter().filter(|n| n.warning).map(|n| n.message.clone());
            return embed::view(EmbedView {
                state: embed,
                model: &self.model,
                tiles: self.tiles.clone(),
                link: ctx.link(),
                warnings: embed.settings.warnings.iter().cloned().chain(notices).collect(),
            });
        }
        let selected = self.model.selected.as_deref().and_then(|id| self.model.tile(id));
        let following = self.follow.as_ref();
        html! {
            <main class="app" onclick={self.menu.is_some().then(|| ctx.link().callback(|_| Msg::CloseMenu))}>
                <header class="top">
                    <h1>{ "ecs-daemon-sim" }</h1>
                    <p class="tagline">{ "Amazon ECS Managed Daemons, simulated: daemon-first, drain-last, rolling instance replacement." }</p>
                    <button class="help-button" onclick={ctx.link().callback(|_| Msg::ToggleHelp)}
                        aria-label="Keyboard shortcuts and legend" aria-expanded={self.help.to_string()}>{ "?" }</button>
                    { lessons::toggle(&self.lessons, ctx.link()) }
                </header>
                { self.view_notices(ctx) }
                if let Some(following) = following {
                    { follow::banner(following, &self.model, ctx.link()) }
                    { follow::actions(&self.model, ctx.link()) }
                } else {
                    { self.view_presets(ctx) }
                    { self.view_time(ctx) }
                    { self.view_actions(ctx) }
                }
                if let Some(error) = &self.model.last_error {
                    <p class="error" role="alert" id="last-error">{ error }</p>
                }
                <div class="layout">
                    <div class="main-column">
                        { self.view_summary() }
                        { self.view_grid() }
                        <details class="legend-box">
                            <summary>{ "Legend: what the colours, patterns and chips mean" }</summary>
                            <Legend revisions={revisions_on_fleet(&self.model)} />
                        </details>
                    </div>
                    <aside class="side-column" aria-label="Story and controls">
                        { narration::view(&self.story.story, self.story.on, self.story.pause_on_key, ctx.link()) }
                        if let Some(tile) = selected {
                            { inspector::view(&self.model, &tile.view, self.timeline.as_ref(), ctx.link()) }
                        }
                        { lessons::view(&self.lessons, ctx.link()) }
                        { self.view_deployment() }
                        if following.is_none() {
                            { self.view_knobs(ctx) }
                            { self.view_share(ctx) }
                        }
                    </aside>
                </div>
                { self.view_tabs(ctx) }
                { self.view_menu(ctx) }
                if self.help {
                    { self.view_help(ctx) }
                }
            </main>
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first_render: bool) {
        if !self.moves.is_empty() {
            if self.embed.is_none() && self.model.playing {
                motion::play(&self.moves, self.effective_speed());
            }
            self.moves.clear();
        }
        self.schedule_hashing(ctx);
        // The help dialog takes focus when it opens (and keeps it while focus is inside it).
        if let Some(help) = self.help_ref.cast::<web_sys::HtmlElement>() {
            let inside =
                gloo::utils::document().active_element().map(|a| help.contains(Some(&a))).unwrap_or(false);
            if !inside {
                let _ = help.focus();
            }
        }
    }
}
