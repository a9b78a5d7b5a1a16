//! The root component: one [`Msg`] enum, an `update` that maps messages to [`Playground`] verbs
//! (and through them to AWS actions and `sim` commands on the recorded run), and a view of the model.

use super::chart::Chart;
use super::console_panel;
use super::dense;
use super::embed::{self, EmbedSettings, EmbedState, EmbedView};
use super::events::EventLog;
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

/// Rows the event log shows at most, and how many of the newest events a filter looks through.
const EVENT_ROWS: usize = 200;
const EVENT_SCAN_LIMIT: usize = 20_000;

/// A fault aimed at one instance from its tile menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TileFault {
    StopDaemon,
    MakeUnhealthy,
    /// UpdateContainerInstancesState DRAINING: a drain the user asked for.
    Drain,
    Terminate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Events,
    Timeline,
    Console,
}

pub enum Msg {
    /// requestAnimationFrame timestamp (ms).
    Frame(f64),
    /// A paused page hashes the event log a frame's budget at a time.
    HashEvents,
    TogglePlay,
    StepEvent,
    Reset,
    SetSpeed(f64),
    /// Drive the simulation by hand (tests, the `→` key uses StepEvent).
    AdvanceBy(u64),
    Seek(u64),
    ForkHere,
    SetDrainPercent(f64),
    SetDesiredCount(u32),
    SetBakeMinutes(u32),
    SetDaemonCpu(u32),
    SetDaemonMemory(u32),
    DeployRevision,
    ArmBadImage(bool),
    ToggleLaunchBlocked,
    ToggleAlarm,
    SetAutoRepair(bool),
    OpenMenu(MenuRequest),
    CloseMenu,
    Fault(TileFault, String),
    Select(Option<String>),
    SelectTab(Tab),
    /// EventBridge pattern typed into the event log's filter box.
    SetPattern(String),
    ToggleHelp,
    /// A key pressed outside a text field.
    Key(String),
    /// Starts a scenario preset (by id) from its beginning, playing.
    LoadPreset(&'static str),
    /// The console's script text changed.
    SetScript(String),
    /// Runs the console's script, one command per animation frame (and plays).
    RunScript,
    StopScript,
    /// Runs the next console command now (tests, and stepping by hand while paused).
    ScriptStep,
    /// The running script's `sleep` ends now.
    SkipSleep,
    /// Runs the script offered after the last one (the tutorial's cleanup).
    RunAfter,
    /// Puts the run's share link in the Share field (and tries the clipboard).
    Share,
    /// Downloads the run as a scenario file.
    Export,
    /// A file was chosen in the Import field.
    ImportFile(web_sys::File),
    /// A scenario file's text to import (what the Import field reads; tests send it directly).
    ImportText(String),
    /// Closes the notice banner at this index.
    DismissNotice(usize),
    /// The chosen file could not be read.
    ImportUnreadable(String),
    /// Shows the run of the settings' URL in embed chrome, built from that URL as the page builds
    /// it (the page itself detects `embed=1` when it is created; tests and hosts send this).
    Embed(EmbedSettings),
    CopyEmbedSnippet,
    /// The clipboard's answer to the embed snippet: taken or refused.
    EmbedSnippetCopied(bool),
    ToggleLessons,
    /// Starts a lesson (by id) from its own scenario.
    OpenLesson(String),
    /// Explain mode: slow playback for a few wall seconds at each new key moment.
    ToggleExplain,
    /// Pause when a new key moment begins.
    TogglePauseOnKey,
    /// Shows or hides the bottom panel (event log, timeline, console).
    ToggleDrawer,
}

/// Lets a test (or an embedding page) send messages to a mounted app.
#[derive(Clone, Default)]
pub struct Driver(Rc<RefCell<Option<Scope<App>>>>);

impl PartialEq for Driver {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Driver {
    pub fn send(&self, msg: Msg) {
        if let Some(scope) = self.0.borrow().as_ref() {
            scope.send_message(msg);
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct AppProps {
    #[prop_or_default]
    pub scenario: Scenario,
    /// Start playing on mount (the page); tests mount paused and drive time themselves.
    #[prop_or(true)]
    pub autoplay: bool,
    #[prop_or_default]
    pub driver: Option<Driver>,
    /// Configure the run from the page (the URL's scenario, else the autosave; `scenario` and
    /// `autoplay` then only apply when neither is there) and autosave to localStorage. The page
    /// mounts with it (`AppProps::default()`); tests and embeds without.
    #[prop_or(false)]
    pub from_page: bool,
}

impl Default for AppProps {
    fn default() -> Self {
        AppProps { scenario: Scenario::default(), autoplay: true, driver: None, from_page: true }
    }
}

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
        if self.hash_frame.is_none() && !self.model.playing && self.model.event_log_hash_ready().is_none() {
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
        let model = if props.from_page {
            page_run(&persist::query(), persist::saved(), props.autoplay, &mut transfer.notices)
        } else {
            let mut model = Playground::new(props.scenario.clone());
            model.playing = props.autoplay;
            model
        };
        let embed = (props.from_page && model.run_scenario().view.embed)
            .then(|| EmbedState::new(EmbedSettings::from_url(&persist::href())));
        transfer.autosave = props.from_page && embed.is_none();
        let story = narration::narrate(&model);
        let mut app = App {
            model,
            menu: None,
            tab: Tab::Events,
            help: false,
            last_frame: None,
            next_frame: None,
            hash_frame: None,
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
        };
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
                { self.view_presets(ctx) }
                { self.view_time(ctx) }
                { self.view_actions(ctx) }
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
                        { self.view_knobs(ctx) }
                        { self.view_share(ctx) }
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

impl App {
    /// The speed playback runs at now (explain mode slows a new key moment).
    fn effective_speed(&self) -> f64 {
        if self.story.slow_until.is_some() {
            self.model.speed.min(EXPLAIN_SPEED)
        } else {
            self.model.speed
        }
    }

    /// The fleet: tiles or the dense view, beside the sidecar fleet in the sidecar comparison.
    fn view_grid(&self) -> Html {
        let grid =
            dense::grid_or_dense(self.tiles.clone(), self.model.selected.clone(), self.on_menu.clone());
        match &self.sidecar {
            Some(comparison) => sidecar::view(comparison, &self.model, grid),
            None => grid,
        }
    }

    fn view_presets(&self, ctx: &Context<Self>) -> Html {
        let current = self.model.preset();
        html! {
            <section class="presets" aria-label="Scenario presets">
                <div class="preset-buttons">
                    { for PRESETS.iter().map(|p| {
                        let id = p.id;
                        html! {
                            <button class="preset" data-preset={id}
                                aria-pressed={(current.map(|c| c.id) == Some(id)).to_string()}
                                onclick={ctx.link().callback(move |_| Msg::LoadPreset(id))}>{ p.title }</button>
                        }
                    }) }
                </div>
                if let Some(p) = current {
                    <p class="caption" id="preset-caption" data-preset={p.id}>
                        { (p.caption)(&self.model) }
                        if let Some(note) = &self.boot_note {
                            <span class="boot-note" id="boot-note">{ format!(" {note}") }</span>
                        }
                        { match &self.model.preset_result {
                            None if self.model.playing => html! { <span id="preset-result" class="result running" data-met="pending">{ " · playing…" }</span> },
                            None => html! { <span id="preset-result" class="result paused" data-met="pending">{ " · paused: press Play to go on" }</span> },
                            Some(Ok(text)) => html! { <span id="preset-result" class="result met" data-met="true">{ format!(" ✓ {text} (the run is paused; any action resumes it)") }</span> },
                            Some(Err(text)) => html! { <span id="preset-result" class="result unmet" data-met="false">{ format!(" ✗ {text}") }</span> },
                        } }
                    </p>
                }
            </section>
        }
    }

    fn view_time(&self, ctx: &Context<Self>) -> Html {
        let m = &self.model;
        let link = ctx.link();
        let horizon = m.horizon().max(1);
        let on_seek = link.callback(|e: InputEvent| Msg::Seek(input_value(&e).parse::<u64>().unwrap_or(0)));
        html! {
            <section class="time-controls" aria-label="Time controls">
                <button id="play" onclick={link.callback(|_| Msg::TogglePlay)} aria-pressed={(!m.playing).to_string()}
                    title="Play / pause (space)">
                    { if m.playing { "Pause" } else { "Play" } }
                </button>
                <button id="step" onclick={link.callback(|_| Msg::StepEvent)} title="Step to the next event (→)">{ "Step ▸" }</button>
                <button id="reset" onclick={link.callback(|_| Msg::Reset)} title="Replay the scenario from its seed">{ "Reset" }</button>
                { clock_and_speed(m, link) }
                <label class="scrubber">
                    <span class="visually-hidden">{ "Seek" }</span>
                    <input id="scrubber" type="range" min="0" max={horizon.to_string()} step="1000"
                        value={m.elapsed().to_string()} oninput={on_seek}
                        aria-label="Seek to a simulated time (replays the run from its seed)"
                        aria-valuetext={format_clock(m.elapsed())} />
                </label>
                <button id="fork" onclick={link.callback(|_| Msg::ForkHere)} disabled={!m.has_future()}
                    title="Drop everything recorded after this point">{ "Fork here" }</button>
            </section>
        }
    }

    fn view_summary(&self) -> Html {
        let c = self.model.status_counts();
        let (running, desired) = self.model.app_counts();
        let item = |id: &'static str, label: &'static str, n: u32| {
            html! { <li class={classes!("count", id)}><span class="swatch"></span>{ label }<b id={format!("count-{id}")}>{ n }</b></li> }
        };
        html! {
            <ul class="summary" aria-label="Instances per status">
                { item("provisioning", "provisioning", c.provisioning) }
                { item("registering", "registering", c.registering) }
                { item("active", "active", c.active) }
                { item("draining", "draining", c.draining) }
                { item("deregistering", "deregistering", c.deregistering) }
                <li class="count app-tasks"><span class="swatch"></span>{ "app tasks running" }
                    <b id="app-running">{ format!("{running} / {desired}") }</b></li>
            </ul>
        }
    }

    fn view_deployment(&self) -> Html {
        let Some(d) = self.model.deployment() else {
            return html! {
                <section class="panel deployment" aria-label="Deployment">
                    <h2>{ "Deployment" }</h2>
                    <p id="deployment-status" data-status="NONE">{ "No daemon deployment yet." }</p>
                </section>
            };
        };
        let running =
            matches!(d.status, "PENDING" | "IN_PROGRESS" | "ROLLBACK_IN_PROGRESS" | "STOP_REQUESTED");
        // Batch numbers and replacement counts only while something is (or was) replaced: a daemon
        // created before its fleet replaces nothing, and its instances get the daemon as they register.
        let replacing = d.draining > 0 || d.replaced > 0;
        let nothing_replaced = (!replacing).then(|| {
            if d.instances_in_scope == 0 {
                "The provider had no instances when it started: nothing to replace. Each instance gets the daemon as it registers.".to_string()
            } else if running {
                format!("Nothing is being replaced yet ({} instances in scope).", d.instances_in_scope)
            } else {
                format!(
                    "No instance needed replacing: the {} instances were launching when it started, and each gets the daemon as it registers.",
                    d.instances_in_scope
                )
            }
        });
        let progress = if d.instances_in_scope == 0 {
            100.0
        } else {
            (d.replaced as f64 / d.instances_in_scope as f64 * 100.0).min(100.0)
        };
        html! {
            <section class="panel deployment" aria-label="Deployment">
                <h2>{ "Deployment" }</h2>
                <p>
                    <span id="deployment-status" class={classes!("badge", d.status.to_ascii_lowercase())} data-status={d.status}>{ d.status }</span>
                    { format!(" → {}", d.target_revision) }
                </p>
                <p class="visually-hidden" aria-live="polite" id="deployment-announce">
                    { format!("Deployment {} to {}", d.status.replace('_', " ").to_lowercase(), d.target_revision) }
                </p>
                if let Some(note) = &nothing_replaced {
                    <p class="reason" id="deployment-empty">{ note }</p>
                } else if let Some(reason) = &d.status_reason {
                    <p class="reason">{ reason }</p>
                }
                if replacing {
                    <progress id="deployment-progress" max="100" value={format!("{progress:.0}")}
                        aria-label="Instances replaced">{ format!("{progress:.0}%") }</progress>
                }
                <dl class="facts">
                    if running && replacing {
                        <dt>{ "batch" }</dt><dd id="deployment-batch">{ format!("{} of {} (size {})", d.batch_number, d.batch_count, d.batch_size) }</dd>
                    }
                    if replacing {
                        <dt>{ "replaced" }</dt><dd>{ format!("{} of {}{}", d.replaced, d.instances_in_scope,
                            if running { format!(" ({} draining)", d.draining) } else { String::new() }) }</dd>
                    }
                    <dt>{ "drainPercent" }</dt><dd>{ format!("{}", d.drain_percent) }</dd>
                    <dt>{ "circuit breaker" }</dt><dd id="breaker">{ format!("{} / {} · {}", d.failure_count, d.threshold, d.breaker_status) }</dd>
                    <dt>{ "alarms" }</dt><dd>{ d.alarm_status }</dd>
                    if let Some(bake) = d.bake_remaining_ms {
                        <dt>{ "bake" }</dt><dd id="bake">{ format!("{} left", format_clock(bake)) }</dd>
                    }
                </dl>
                <table class="revisions">
                    <caption>{ "Instances per revision" }</caption>
                    <thead><tr><th>{ "revision" }</th><th>{ "running" }</th><th>{ "draining" }</th></tr></thead>
                    <tbody>
                        { for d.revisions.iter().map(|(r, run, drain)| html! {
                            <tr><td>{ r }</td><td>{ run }</td><td>{ drain }</td></tr>
                        }) }
                    </tbody>
                </table>
            </section>
        }
    }

    /// The controls a story needs next to it at every size: drainPercent (with the batch it gives),
    /// Deploy, and the fleet-wide faults. Instance faults are in the inspector.
    fn view_actions(&self, ctx: &Context<Self>) -> Html {
        let m = &self.model;
        let link = ctx.link();
        let batch = m.batch_size_for(m.drain_percent);
        html! {
            <section class="actions" aria-label="drainPercent, deploy and faults">
                <div class="knob drain" title="batch size = max(1, floor(N × drainPercent / 100))">
                    <label for="drain-percent">{ "drainPercent" }</label>
                    <input id="drain-percent" type="range" min="0" max="100" step="5" value={m.drain_percent.to_string()}
                        oninput={link.callback(|e: InputEvent| Msg::SetDrainPercent(parse_f64(&input_value(&e)).unwrap_or(DEFAULT_DRAIN_PERCENT)))} />
                    <output>{ format!("{}%", m.drain_percent) }</output>
                    <span class="hint">{ "batches of " }<b id="batch-size">{ batch }</b>{ format!(" of {}", m.instances_in_scope()) }</span>
                </div>
                <button id="deploy" class="primary" onclick={link.callback(|_| Msg::DeployRevision)}>
                    { format!("Deploy {}:{}", super::model::DAEMON, m.daemon_revision() + 1) }
                </button>
                <div class="faults" role="group" aria-label="Faults">
                    <span class="faults-label">{ "Faults:" }</span>
                    <button id="fault-capacity" aria-pressed={m.launch_blocked.to_string()} onclick={link.callback(|_| Msg::ToggleLaunchBlocked)}>
                        { if m.launch_blocked { "Launches again" } else { "Block launches" } }
                    </button>
                    <button id="fault-alarm" aria-pressed={m.alarm_in_alarm.to_string()} onclick={link.callback(|_| Msg::ToggleAlarm)}>
                        { if m.alarm_in_alarm { "Alarm → OK" } else { "Alarm → ALARM" } }
                    </button>
                    <label class="check" title="The next revision's image fails to pull">
                        <input id="fault-bad-image" type="checkbox" checked={m.bad_image_armed}
                            onchange={link.callback(|e: Event| Msg::ArmBadImage(event_checked(&e)))} />
                        { "bad image next" }
                    </label>
                    <super::auto_repair::AutoRepairSwitch enabled={m.auto_repair()} held={m.repair_held()} on_change={link.callback(Msg::SetAutoRepair)} />
                </div>
            </section>
        }
    }

    fn view_knobs(&self, ctx: &Context<Self>) -> Html {
        let m = &self.model;
        let link = ctx.link();
        let (_, desired) = m.app_counts();
        html! {
            <section class="panel knobs" aria-label="More knobs">
                <h2>{ "More knobs" }</h2>
                <p class="hint">{ "Click a tile to inspect it and aim a fault at it (right-click: quick menu)." }</p>
                <label for="desired-count">{ "app tasks (service desiredCount; the fleet follows)" }</label>
                <div class="knob">
                    <input id="desired-count" type="number" min="0" max="200" value={desired.to_string()}
                        onchange={link.callback(|e: Event| Msg::SetDesiredCount(event_value(&e).parse().unwrap_or(0)))} />
                </div>
                <label for="bake">{ "bake time (minutes)" }</label>
                <div class="knob">
                    <input id="bake" type="number" min="0" max={MAX_BAKE_TIME_MINUTES.to_string()} value={m.bake_minutes.to_string()}
                        onchange={link.callback(|e: Event| Msg::SetBakeMinutes(event_value(&e).parse().unwrap_or(0)))} />
                </div>
                <label for="daemon-cpu">{ "daemon cpu units / memory MiB (next revision)" }</label>
                <div class="knob pair">
                    <input id="daemon-cpu" type="number" min="128" max="4096" step="128" value={m.daemon_cpu.to_string()}
                        aria-label="daemon cpu units"
                        onchange={link.callback(|e: Event| Msg::SetDaemonCpu(event_value(&e).parse().unwrap_or(256)))} />
                    <input id="daemon-memory" type="number" min="128" max="16384" step="128" value={m.daemon_memory.to_string()}
                        aria-label="daemon memory MiB"
                        onchange={link.callback(|e: Event| Msg::SetDaemonMemory(event_value(&e).parse().unwrap_or(512)))} />
                </div>
            </section>
        }
    }

    fn view_tabs(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let tab = |t: Tab, id: &'static str, label: &'static str| {
            html! {
                <button role="tab" id={id} aria-selected={(self.tab == t).to_string()}
                    onclick={link.callback(move |_| Msg::SelectTab(t))}>{ label }</button>
            }
        };
        html! {
            <section class={classes!("tabs", "drawer", self.drawer_open.then_some("open"))} aria-label="Event log, timeline and console">
                <div role="tablist" aria-label="Views">
                    { tab(Tab::Events, "tab-events", "Event log") }
                    { tab(Tab::Timeline, "tab-timeline", "Timeline") }
                    { tab(Tab::Console, "tab-console", "Console (AWS CLI)") }
                    <button class="drawer-toggle" id="drawer-toggle" aria-expanded={self.drawer_open.to_string()}
                        onclick={link.callback(|_| Msg::ToggleDrawer)}>
                        { if self.drawer_open { "▾ hide" } else { "▴ show" } }
                    </button>
                </div>
                <div role="tabpanel" hidden={!self.drawer_open}>
                    { match self.tab {
                        Tab::Events => html! {
                            <EventLog events={self.event_view.clone()} total={self.model.event_count()}
                                pattern={self.pattern.clone()} error={self.pattern_error.clone()}
                                on_pattern={link.callback(Msg::SetPattern)}
                                on_highlight={link.callback(|id| Msg::Select(Some(id)))} />
                        },
                        Tab::Console => self.view_console(ctx),
                        Tab::Timeline => html! {
                            <Chart samples={Rc::new(self.model.samples().to_vec())} faults={Rc::new(self.fault_marks())} />
                        },
                    } }
                </div>
            </section>
        }
    }

    /// Recomputes the event log's rows (newest first, pattern-filtered) when events arrived or the
    /// pattern changed.
    fn sync_events(&mut self, force: bool) {
        let shown = self.drawer_open && self.tab == Tab::Events;
        if !(force || shown) {
            // Not on screen: rebuilt when shown (the count kept here no longer matches then). At
            // 10,000 instances the 200 newest rows were all new on every frame, a hidden list
            // rebuilt sixty times a second.
            self.event_view_count = usize::MAX;
            return;
        }
        let count = self.model.event_count();
        if !force && count == self.event_view_count {
            return;
        }
        self.event_view_count = count;
        // Newest first and lazily: only the events scanned are turned into JSON (once each, cached
        // by the model), so without a pattern a frame converts at most EVENT_ROWS new events.
        let rows: Vec<Rc<serde_json::Value>> = (0..count)
            .rev()
            .take(EVENT_SCAN_LIMIT)
            .filter_map(|index| self.model.event_json(index))
            .filter(|e| self.parsed_pattern.as_ref().map(|p| p.matches(e)).unwrap_or(true))
            .take(EVENT_ROWS)
            .collect();
        self.event_view = Rc::new(rows);
    }

    fn fault_marks(&self) -> Vec<(u64, String)> {
        self.model.log().iter().filter(|c| c.is_fault).map(|c| (c.at_ms, c.label.clone())).collect()
    }

    fn view_console(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let state = console_panel::ConsoleView {
            console: &self.model.console,
            script: if self.model.console.running() { &self.model.console.text } else { &self.script },
            line: self.model.script_line(),
            sleep_remaining_ms: self.model.script_sleep_remaining_ms(),
        };
        let callbacks = console_panel::ConsoleCallbacks {
            input: link.callback(Msg::SetScript),
            run: link.callback(|_| Msg::RunScript),
            stop: link.callback(|_| Msg::StopScript),
            step: link.callback(|_| Msg::ScriptStep),
            skip: link.callback(|_| Msg::SkipSleep),
            after: link.callback(|_| Msg::RunAfter),
        };
        console_panel::view(&state, &callbacks)
    }

    fn view_menu(&self, ctx: &Context<Self>) -> Html {
        let Some(menu) = &self.menu else { return html! {} };
        let link = ctx.link();
        let item = |fault: TileFault, action: &'static str, label: &'static str| {
            let id = menu.instance_id.clone();
            html! {
                <button role="menuitem" data-action={action}
                    onclick={link.callback(move |e: MouseEvent| { e.stop_propagation(); Msg::Fault(fault, id.clone()) })}>
                    { label }
                </button>
            }
        };
        let style = format!("left: {}px; top: {}px", menu.x.max(0), menu.y.max(0));
        html! {
            <div id="tile-menu" class="menu" role="menu" style={style}
                aria-label={format!("Faults for instance {}", menu.instance_id)}
                data-instance={menu.instance_id.clone()}
                onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                { item(TileFault::StopDaemon, "stop-daemon", "Stop daemon task") }
                { item(TileFault::MakeUnhealthy, "unhealthy", "Make daemon unhealthy") }
                { item(TileFault::Terminate, "terminate", "Terminate instance") }
                <button role="menuitem" data-action="close" onclick={link.callback(|e: MouseEvent| { e.stop_propagation(); Msg::CloseMenu })}>{ "Cancel" }</button>
            </div>
        }
    }

    fn view_help(&self, ctx: &Context<Self>) -> Html {
        html! {
            <div class="help" role="dialog" aria-modal="true" aria-label="Shortcuts and legend" tabindex="-1" ref={self.help_ref.clone()}>
                <h2>{ "Keyboard" }</h2>
                <dl>
                    <dt>{ "space" }</dt><dd>{ "play / pause" }</dd>
                    <dt>{ "→" }</dt><dd>{ "step to the next event" }</dd>
                    <dt>{ "1 – 9" }</dt><dd>{ SPEED_KEYS.iter().map(|s| format!("{s}×")).collect::<Vec<_>>().join(", ") }</dd>
                    <dt>{ "?" }</dt><dd>{ "this help" }</dd>
                    <dt>{ "click or Enter on a tile" }</dt><dd>{ "inspect it: its timeline, why it is in its state, its faults" }</dd>
                    <dt>{ "right-click or menu key on a tile" }</dt><dd>{ "its fault menu" }</dd>
                </dl>
                <h2>{ "Legend" }</h2>
                <Legend revisions={revisions_on_fleet(&self.model)} />
                <button onclick={ctx.link().callback(|_| Msg::ToggleHelp)}>{ "Close" }</button>
            </div>
        }
    }
}

/// The simulated clock and the speed slider: the same controls on the full page and in an embed.
pub(super) fn clock_and_speed(model: &Playground, link: &Scope<App>) -> Html {
    let on_speed = link.callback(|e: InputEvent| {
        Msg::SetSpeed(slider_to_speed(input_value(&e).parse::<u32>().unwrap_or(0)))
    });
    html! {
        <>
            <span class="clock" id="clock" aria-live="off" title="Simulated time since the scenario began">
                { format_clock(model.elapsed()) }
            </span>
            <label class="speed">
                <span>{ "Speed" }</span>
                <input id="speed" type="range" min="0" max="1000" step="1"
                    value={speed_to_slider(model.speed).to_string()} oninput={on_speed}
                    aria-valuetext={format!("{}×", model.speed)} />
                <output id="speed-value">{ format!("{}×", model.speed) }</output>
            </label>
            { pace_note(model) }
        </>
    }
}

/// Said beside the speed while the simulation cannot keep up with it (see [`super::pace`]).
fn pace_note(model: &Playground) -> Html {
    match model.pace.behind(model.speed).filter(|_| model.playing) {
        Some(reached) => html! {
            <span id="pace" class="pace behind" role="status" data-reached={format!("{reached:.0}")}
                style="color: var(--fault); font-size: .85rem; font-weight: 600"
                title="The engine's work per frame is limited so that the page stays responsive: the clock runs slower than the chosen speed until there is less to simulate per second.">
                { format!("⚠ simulation behind: {reached:.0}× of {}×", model.speed) }
            </span>
        },
        None => html! { <span id="pace" class="pace" role="status" /> },
    }
}

pub(super) fn input_value(e: &InputEvent) -> String {
    e.target_dyn_into::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
}

fn event_value(e: &Event) -> String {
    e.target_dyn_into::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
}

fn event_checked(e: &Event) -> bool {
    e.target_dyn_into::<web_sys::HtmlInputElement>().map(|i| i.checked()).unwrap_or(false)
}

/// The run of a page with this query: the URL's scenario, else the `saved` one (the autosave),
/// else the defaults (playing when `autoplay`). The full page and an embed both start here, so an
/// embed of a shared link replays the same run.
fn page_run(query: &str, saved: Option<String>, autoplay: bool, notices: &mut Vec<Notice>) -> Playground {
    let (source, mut found, rejected) = share::choose(query, saved.as_deref());
    if rejected {
        if let Some(text) = &saved {
            persist::reject_saved(text);
        }
    }
    let mut model = share::start(&source, &mut found);
    if source == share::Source::Defaults {
        model.playing = autoplay;
    }
    if let share::Source::Autosave(_) = source {
        // A saved run that was refused while being rebuilt is kept too.
        if found.iter().any(|n| n.subject == "autosave" && n.warning) {
            if let Some(text) = &saved {
                persist::reject_saved(text);
            }
        }
    }
    notices.extend(found);
    model
}

impl App {
    /// Replaces the run with an imported scenario file, or leaves it as it was and says why the
    /// file was refused (AWS-style: the error type, then what is wrong).
    fn import(&mut self, ctx: &Context<Self>, text: &str) {
        let built = RunScenario::from_json(text).and_then(|run| {
            let mut warnings = Vec::new();
            Playground::from_run(&run, &mut warnings).map(|model| (model, warnings))
        });
        match built {
            Ok((model, warnings)) => {
                let speed = self.model.speed;
                self.model = model;
                // The imported run is not the lesson's.
                self.lessons.active = None;
                if self.model.run_scenario().view.speed == crate::session::scenario::limits::DEFAULT_SPEED {
                    self.model.set_speed(speed);
                }
                self.menu = None;
                self.set_playing(ctx, self.model.playing);
                self.transfer.import_error = None;
                self.transfer.import_status = Some(format!(
                    "Imported: {} inputs, simulated time {}.{}",
                    self.model.input_count(),
                    format_clock(self.model.elapsed()),
                    warnings.iter().map(|w| format!(" {w}.")).collect::<String>()
                ));
                self.sync_tiles();
                self.sync_events(true);
            }
            Err(error) => {
                self.transfer.import_status = None;
                self.transfer.import_error = Some(format!("{error} The current run is unchanged."));
            }
        }
    }

    /// Writes the run to localStorage when an input was applied, or when time moved (at most every
    /// [`AUTOSAVE_EVERY_MS`] while playing), so that a reload lands on the same run and time.
    fn autosave(&mut self) {
        if !self.transfer.autosave {
            return;
        }
        let scenario = self.model.run_scenario();
        let settings = scenario.knobs.values().chain([&scenario.view.speed]).map(|v| v.to_bits()).collect();
        let state = (self.model.input_count(), self.model.elapsed(), settings);
        if state == self.transfer.saved {
            return;
        }
        let now = persist::now_ms();
        if (state.0, &state.2) == (self.transfer.saved.0, &self.transfer.saved.2)
            && self.model.playing
            && now - self.transfer.saved_at < AUTOSAVE_EVERY_MS
        {
            return;
        }
        self.transfer.save_error = persist::save(&self.model.run_scenario().to_value().to_string()).err();
        self.transfer.saved = state;
        self.transfer.saved_at = now;
    }

    fn view_notices(&self, ctx: &Context<Self>) -> Html {
        if self.transfer.notices.is_empty() {
            return html! {};
        }
        html! {
            <section id="notices" class="notices" aria-label="Notices">
                { for self.transfer.notices.iter().enumerate().map(|(index, notice)| html! {
                    <p class={classes!("notice", notice.warning.then_some("warning"))} role={if notice.warning { "alert" } else { "status" }}
                        data-subject={notice.subject.clone()}>
                        <span class="text">{ &notice.message }</span>
                        <button class="dismiss" aria-label="Dismiss"
                            onclick={ctx.link().callback(move |_| Msg::DismissNotice(index))}>{ "×" }</button>
                    </p>
                }) }
            </section>
        }
    }

    fn view_share(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let m = &self.model;
        // Hashing costs a serialization per event (≈ 8 µs, a quarter of what simulating and
        // drawing the event costs): done when paused, where runs are compared, not every frame,
        // and a frame's budget at a time (`schedule_hashing`).
        let hash = (!m.playing).then(|| m.event_log_hash_ready()).flatten().map(|h| format!("{h:016x}"));
        let on_file = link.batch_callback(|e: Event| {
            let input = e.target_dyn_into::<web_sys::HtmlInputElement>()?;
            let file = input.files()?.get(0);
            // The same file chosen again must fire `change` again.
            input.set_value("");
            file.map(Msg::ImportFile)
        });
        html! {
            <section class="share" aria-label="Share and save">
                <button id="share" onclick={link.callback(|_| Msg::Share)}
                    title="A link that replays this run, event for event">{ "Share" }</button>
                <button id="copy-embed" onclick={link.callback(|_| Msg::CopyEmbedSnippet)}
                    title="The iframe line that shows this run in a documentation page">{ "Copy embed snippet" }</button>
                <button id="export" onclick={link.callback(|_| Msg::Export)}
                    title="Download this run as a scenario file">{ "Export" }</button>
                <label class="import" title="Replace this run with a scenario file">
                    { "Import" }
                    <input id="import-file" type="file" accept=".json,application/json" onchange={on_file} />
                </label>
                if let Some(share_link) = &self.transfer.share_link {
                    <input id="share-link" type="text" readonly=true value={share_link.clone()}
                        aria-label="Share link (also copied to the clipboard when the browser allows it)"
                        onfocus={Callback::from(|e: FocusEvent| {
                            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() { input.select(); }
                        })} />
                }
                if let Some(snippet) = &self.transfer.embed_snippet {
                    <input id="embed-snippet" type="text" readonly=true value={snippet.clone()}
                        aria-label="Embed snippet: paste it into a page"
                        onfocus={Callback::from(|e: FocusEvent| {
                            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() { input.select(); }
                        })} />
                    <span class="hint" id="copy-status"
                        data-copied={self.transfer.snippet_copied.map(|c| c.to_string()).unwrap_or_default()}>
                        { embed::copy_status(self.transfer.snippet_copied) }
                    </span>
                }
                <p id="run-info" class="run-info" data-event-log-hash={hash.clone()}
                    data-elapsed-ms={m.elapsed().to_string()} data-inputs={m.input_count().to_string()}>
                    { format!("run: seed {} · {} inputs · {} events · event-log hash {}", m.run_scenario().seed,
                        m.input_count(), m.event_count(), match (&hash, m.playing) {
                        (Some(hash), _) => hash.as_str(),
                        (None, true) => "(shown when paused)",
                        (None, false) => "(computing…)",
                    }) }
                    if let Some(error) = &self.transfer.save_error {
                        <span class="save-error">{ format!(" · not autosaved: {error}") }</span>
                    }
                </p>
                if let Some(error) = &self.transfer.import_error {
                    <p id="import-error" class="error" role="alert">{ error }</p>
                }
                if let Some(status) = &self.transfer.import_status {
                    <p id="import-status" class="hint" role="status">{ status }</p>
                }
            </section>
        }
    }
}

// ----- embed mode and lessons ---------------------------------------------------------------------

impl App {
    /// Shows the run of `settings.url` in embed chrome, built from that URL the way the page
    /// builds it (an embed never restores or writes the autosave). An embed has no lesson.
    fn enter_embed(&mut self, ctx: &Context<Self>, settings: EmbedSettings) {
        let mut notices = Vec::new();
        self.model = page_run(settings.query(), None, false, &mut notices);
        self.transfer.notices = notices;
        self.transfer.autosave = false;
        self.lessons = LessonsPanel::default();
        let playing = self.model.playing;
        self.set_playing(ctx, playing);
        self.menu = None;
        self.help = false;
        self.embed = Some(EmbedState::new(settings));
        self.sync_tiles();
        self.sync_events(true);
    }

    /// The iframe line that shows the current run as an embed: its share link with `embed=1`.
    fn embed_snippet(&self) -> String {
        let mut run = self.model.run_scenario().clone();
        run.view.embed = true;
        let src = share::link(&persist::origin_and_path(), &run);
        embed::snippet(&src, &embed::title(run.preset.as_deref()))
    }

    /// Loads a lesson's starting scenario and makes it the active lesson; an unknown id or a
    /// scenario the playground refuses leaves the run as it was and says why in the panel.
    fn open_lesson(&mut self, id: &str) -> bool {
        self.lessons.open = true;
        let Some(lesson) = crate::session::lessons::lesson(id) else {
            let ids: Vec<&str> = crate::session::lessons::LESSONS.iter().map(|l| l.id).collect();
            self.lessons.error =
                Some(format!("There is no lesson {id:?}; the lessons are {}.", ids.join(", ")));
            return true;
        };
        if let Err(e) = self.model.load_scenario(lesson.scenario()) {
            self.lessons.error = Some(format!("Lesson {id} cannot start: {e}"));
            return true;
        }
        self.lessons.start(lesson, &self.model);
        self.menu = None;
        self.script = lessons::console_prompt(lesson);
        self.tab = Tab::Console;
        self.sync_events(true);
        true
    }
}
