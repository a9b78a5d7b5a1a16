//! What the page is told: the messages `update` applies, the handle tests and the page use to
//! send them, and the component's properties.

use super::*;

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
    /// Follow mode: time for the next poll of the server.
    FollowPoll,
    /// Follow mode: the server's answer to a poll (its text), or why there was none.
    FollowAnswer(Result<String, String>),
    /// Follow mode: what was sent to the server and its answer.
    FollowSent(String, Result<String, String>),
    /// Follow mode: drainPercent released on the slider (an UpdateDaemon for the server).
    FollowDrainPercent(f64),
}

/// Lets a test (or an embedding page) send messages to a mounted app.
#[derive(Clone, Default)]
pub struct Driver(pub(super) Rc<RefCell<Option<Scope<App>>>>);

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
