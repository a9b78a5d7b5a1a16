#![deny(missing_docs)]
//! The session: one simulated account ([`Api`]) with a shell ([`Interpreter`]) on it and the
//! record of every input applied ([`Scenario`]'s log), so that the run can be exported, shared and
//! replayed to the same event log. The playground, the JS API and the native tests drive this one
//! type; nothing below it knows about it.
//!
//! - [`Session`]: AWS actions, `sim` commands, time advances and AWS-CLI scripts (whole, or one
//!   command at a time so that a viewer can redraw between commands), each logged when it did
//!   something;
//! - [`import`]: a scenario file → a replayed session, or an AWS-style [`ScenarioError`];
//! - [`scenario`]: the versioned document (file format, limits, URL codec);
//! - [`lessons`]: guided lessons, each a goal checked on the simulation's own events;
//! - [`follow`]: following a served account (`ecs-daemon-sim serve`): its recorded inputs, as
//!   answered by `/_sim/scenario?since=K`, turned into what to apply with [`Session::follow`];
//! - `js` (wasm32 only): the JavaScript API, a `Simulator` class over a session.
//!
//! The session keeps its interpreter between scripts, as a terminal keeps its shell:
//! `REGION=us-east-1` typed once still holds for the next script. Pure Rust with no I/O, so the
//! browser (wasm32) and the native tests run the very same code and, for one seed and one script,
//! produce the byte-identical event log.
//!
//! ```
//! use ecs_daemon_sim::session::Session;
//!
//! let mut session = Session::with_seed(7);
//! let report = session.script("aws ecs create-cluster --cluster-name demo --query cluster.status --output text\n");
//! assert_eq!(report.records[0].stdout, "ACTIVE\n");
//! session.advance_by(60_000);
//! let copy = ecs_daemon_sim::session::import(&session.scenario().to_json()).unwrap();
//! assert_eq!(copy.event_log_hash(), session.event_log_hash());
//! ```

pub mod follow;
#[cfg(target_arch = "wasm32")]
pub mod js;
pub mod lessons;
pub mod scenario;

use crate::api::{Api, AwsError};
use crate::cli::fs::MemFs;
use crate::cli::{Backend, CommandRecord, Interpreter, ScriptError, ScriptReport, ScriptRun};
use crate::engine::{ChangeSet, Simulation, Snapshot};
use crate::pattern::EventPattern;
use scenario::limits::{MAX_REPLAY_TIMERS, MAX_SIMULATED_MS};
use scenario::{format, Input, LogEntry, RunOptions, Scenario, ScenarioError, ViewSettings};
use serde_json::Value;

/// A simulated account with a shell session on it, recording every input applied into its
/// [`Scenario`]'s log, so that the scenario can be exported, shared and replayed to the same event log.
///
/// Only inputs that did something are logged: a refused AWS call or `sim` command changes
/// nothing (the API guarantees it) and is left out, and so is a script that did not parse.
/// Consecutive time advances are merged (advancing by a then b is advancing by a + b).
#[derive(Debug, Clone)]
pub struct Session {
    api: Api,
    interpreter: Interpreter,
    stepped: Option<ScriptRun>,
    scenario: Scenario,
}

/// Parses, validates and replays a scenario file: the new run on success. The caller's current
/// run is not involved, so a refusal leaves it as it was.
///
/// ```
/// use ecs_daemon_sim::session::import;
/// let refused = import(r#"{"schemaVersion": 99, "seed": 1}"#).unwrap_err();
/// assert_eq!(refused.to_aws_error().error_type, "UnsupportedSchemaVersionException");
/// ```
pub fn import(text: &str) -> Result<Session, ScenarioError> {
    Session::new(Scenario::from_json(text)?)
}

fn replay_failed(index: usize, entry: &LogEntry, why: impl std::fmt::Display) -> ScenarioError {
    let label = clip(&entry.input.label());
    let why = clip(&why.to_string());
    ScenarioError::new(
        "ReplayFailedException",
        format!("log[{index}] ({label} at {} ms) failed on replay: {why}", entry.at_ms),
    )
    .at_entry(index)
}

/// What a refusal quotes of the file, at most: a hostile file must not come back as a message the
/// size of the file (found by the scenario_import fuzz target: a `sim` entry holding a whole script).
const MAX_QUOTED_CHARS: usize = 300;

fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_QUOTED_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

fn over_budget(what: &str) -> String {
    format!(
        "{what} goes past the replay limits ({} simulated days, {MAX_REPLAY_TIMERS} engine timers)",
        MAX_SIMULATED_MS / crate::engine::time::DAY
    )
}

/// Engine work so far: timers processed plus timers waiting (what a replay's cost grows with).
fn work(sim: &Simulation) -> u64 {
    sim.processed_timers().saturating_add(sim.queue_len() as u64)
}

/// Advances like `Api::advance_by`, one timer at a time, stopping at the replay limits.
fn bounded_advance(api: &mut Api, ms: u64) -> Result<(), String> {
    let sim = api.simulation_mut();
    if sim.elapsed().saturating_add(ms) > MAX_SIMULATED_MS {
        return Err(over_budget(&format!("advancing {ms} ms")));
    }
    let target = sim.now() + ms;
    while sim.next_event_time().is_some_and(|t| t <= target) {
        sim.step();
        if work(sim) > MAX_REPLAY_TIMERS {
            return Err(over_budget("the run"));
        }
    }
    sim.advance(target);
    Ok(())
}

/// The interpreter's backend during a replay: the API, with time moved by [`bounded_advance`].
/// Past the limits it answers every call with an error, so that a script stops doing work; the
/// replay is then refused as a whole.
struct Bounded<'a> {
    api: &'a mut Api,
    exceeded: Option<String>,
}

impl Bounded<'_> {
    fn stopped() -> AwsError {
        AwsError::new("LimitExceededException", "the replay limits were reached")
    }

    fn check_work(&mut self) {
        if self.exceeded.is_none() && work(self.api.simulation()) > MAX_REPLAY_TIMERS {
            self.exceeded = Some(over_budget("the run"));
        }
    }
}

impl Backend for Bounded<'_> {
    fn call(&mut self, service: &str, action: &str, input: Value) -> Result<Value, AwsError> {
        if self.exceeded.is_some() {
            return Err(Self::stopped());
        }
        let answer = self.api.call(service, action, &input);
        self.check_work();
        answer
    }

    fn sleep_ms(&mut self, ms: u64) {
        if self.exceeded.is_none() {
            if let Err(why) = bounded_advance(self.api, ms) {
                self.exceeded = Some(why);
            }
        }
    }

    fn now_ms(&self) -> u64 {
        self.api.now_ms()
    }

    fn sim(&mut self, args: &[String]) -> Result<String, AwsError> {
        if self.exceeded.is_some() {
            return Err(Self::stopped());
        }
        let answer = self.api.sim(args);
        self.check_work();
        answer
    }
}

impl Session {
    /// Starts recording from `scenario`: validates it, builds a fresh run from its seed and
    /// options, runs its script and replays its log within the [`scenario::limits`]; later inputs
    /// append to the log. [`Session::with_seed`] starts an empty run.
    pub fn new(scenario: Scenario) -> Result<Session, ScenarioError> {
        scenario.validate()?;
        let mut session = Session {
            api: Api::new(scenario.sim_config()),
            interpreter: Interpreter::new(),
            stepped: None,
            scenario: Scenario { log: Vec::new(), ..scenario.clone() },
        };
        if let Some(script) = &scenario.script {
            let mut backend = Bounded { api: &mut session.api, exceeded: None };
            let report = session.interpreter.run(&mut backend, script);
            if let Some(why) = backend.exceeded {
                return Err(ScenarioError::new("ReplayFailedException", format!("script: {why}")));
            }
            if let Some(error) = report.syntax_error {
                return Err(ScenarioError::new(
                    "ReplayFailedException",
                    format!("script does not parse: {error}"),
                ));
            }
        }
        for (index, entry) in scenario.log.iter().enumerate() {
            session.replay_entry(index, entry)?;
        }
        session.scenario.log = scenario.log;
        Ok(session)
    }

    /// A fresh account (default account and region, nothing logged yet) whose randomness comes
    /// from `seed`.
    ///
    /// ```
    /// use ecs_daemon_sim::Session;
    /// // The same seed and the same inputs: the same event log.
    /// let (mut a, mut b) = (Session::with_seed(7), Session::with_seed(7));
    /// for session in [&mut a, &mut b] {
    ///     session.script("aws ecs create-cluster --cluster-name demo");
    /// }
    /// assert_eq!(a.event_log_hash(), b.event_log_hash());
    /// ```
    pub fn with_seed(seed: u64) -> Session {
        Self::with_options(seed, RunOptions::default())
    }

    /// A fresh account with these options and nothing logged yet. The options are taken as given
    /// (the caller checked them: the JS API's constructor does); only [`Session::new`] holds a
    /// scenario to the file format's limits.
    pub fn with_options(seed: u64, options: RunOptions) -> Session {
        let scenario = Scenario { options, ..Scenario::with_seed(seed) };
        Session {
            api: Api::new(scenario.sim_config()),
            interpreter: Interpreter::new(),
            stepped: None,
            scenario,
        }
    }

    fn replay_entry(&mut self, index: usize, entry: &LogEntry) -> Result<(), ScenarioError> {
        let elapsed = self.api.simulation().elapsed();
        if entry.at_ms < elapsed {
            return Err(replay_failed(
                index,
                entry,
                format!("the inputs before it already brought the run to {elapsed} ms"),
            ));
        }
        bounded_advance(&mut self.api, entry.at_ms - elapsed)
            .map_err(|why| replay_failed(index, entry, why))?;
        let mut backend = Bounded { api: &mut self.api, exceeded: None };
        let outcome = match &entry.input {
            Input::Call { service, action, input } => {
                backend.call(service, action, input.clone()).map(|_| ())
            }
            Input::Sim(words) => backend.sim(words).map(|_| ()),
            Input::Advance(ms) => {
                backend.sleep_ms(*ms);
                Ok(())
            }
            Input::Script(text) => match self.interpreter.run(&mut backend, text).syntax_error {
                Some(error) => Err(AwsError::new("SyntaxError", error.to_string())),
                None => Ok(()),
            },
            Input::ScriptBegin(text) => match ScriptRun::parse(&self.interpreter, text) {
                Ok(run) => {
                    self.stepped = Some(run);
                    Ok(())
                }
                Err(error) => Err(AwsError::new("SyntaxError", error.to_string())),
            },
            Input::ScriptStep(count) => {
                let mut outcome = Ok(());
                for _ in 0..*count {
                    let Some(run) = self.stepped.as_mut() else {
                        outcome = Err(AwsError::client("no script was begun before this step"));
                        break;
                    };
                    if run.step(&mut self.interpreter, &mut backend).is_none() {
                        outcome = Err(AwsError::client("the current script has no commands left"));
                        break;
                    }
                }
                outcome
            }
        };
        if let Some(why) = backend.exceeded {
            return Err(replay_failed(index, entry, why));
        }
        outcome.map_err(|error| replay_failed(index, entry, error))
    }

    /// The simulated account, for calls the session does not log (e.g. a viewer's describes).
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// The simulation of the run.
    pub fn simulation(&self) -> &Simulation {
        self.api.simulation()
    }

    /// What changed since the last call, for a viewer that patches tiles (not part of the run).
    pub fn take_changes(&mut self) -> ChangeSet {
        self.api.simulation_mut().take_changes()
    }

    /// The scenario so far: settings and the log of every input applied.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The shell variables of the run's interpreter.
    pub fn interpreter(&self) -> &Interpreter {
        &self.interpreter
    }

    /// A shell variable's value (`$ACCOUNT_ID` after the tutorial's first lines, …).
    pub fn variable(&self, name: &str) -> Option<&str> {
        self.interpreter.variable(name)
    }

    /// The session's files (`> file`, `cat > f <<EOF`).
    pub fn fs(&self) -> &MemFs {
        self.interpreter.fs()
    }

    /// The event log's hash ([`Simulation::event_log_hash`]): equal on every platform for the
    /// same seed and inputs.
    ///
    /// ```
    /// let mut session = ecs_daemon_sim::Session::with_seed(7);
    /// let empty = session.event_log_hash();
    /// session.script("aws ecs create-cluster --cluster-name demo");
    /// assert_eq!(session.event_log_hash(), empty, "creating a cluster emits no EventBridge event");
    /// ```
    pub fn event_log_hash(&self) -> u64 {
        self.api.simulation().event_log_hash()
    }

    /// The simulated clock, in Unix epoch milliseconds (the scenario's epoch plus the time run).
    ///
    /// ```
    /// let mut session = ecs_daemon_sim::Session::with_seed(7);
    /// let start = session.now_ms();
    /// session.advance_by(90_000);
    /// assert_eq!(session.now_ms(), start + 90_000);
    /// ```
    pub fn now_ms(&self) -> u64 {
        self.api.now_ms()
    }

    /// The whole fleet now: every container instance with its status, health, daemon task and app
    /// tasks, as the playground draws it.
    ///
    /// ```
    /// let session = ecs_daemon_sim::Session::with_seed(7);
    /// assert!(session.snapshot().instances.is_empty()); // a new account has no instance
    /// ```
    pub fn snapshot(&self) -> Snapshot {
        self.api.simulation().snapshot()
    }

    /// The EventBridge events so far, oldest first, each as EventBridge delivers it (JSON with
    /// `detail-type`, `source`, `detail`, …); with `pattern` (an EventBridge event pattern as JSON
    /// text), only those it matches, as a rule with that pattern would. A pattern EventBridge
    /// would refuse is an `InvalidEventPatternException`.
    ///
    /// ```
    /// let mut session = ecs_daemon_sim::Session::with_seed(7);
    /// session.script("aws ecs create-cluster --cluster-name demo");
    /// let deployments = r#"{"detail-type": ["ECS Daemon Deployment State Change"]}"#;
    /// assert!(session.events(Some(deployments)).unwrap().is_empty());
    /// assert_eq!(session.events(Some("{\"source\": \"aws.ecs\"}")).unwrap_err().error_type,
    ///     "InvalidEventPatternException"); // a value must be an array
    /// ```
    pub fn events(&self, pattern: Option<&str>) -> Result<Vec<Value>, AwsError> {
        let pattern = pattern.map(EventPattern::parse).transpose().map_err(AwsError::from)?;
        Ok(self
            .api
            .simulation()
            .events()
            .iter()
            .map(|event| event.to_json())
            .filter(|json| pattern.as_ref().is_none_or(|p| p.matches(json)))
            .collect())
    }

    /// The run as a scenario file (versioned JSON: seed, settings and every input applied), which
    /// [`import`] replays to the byte-identical event log, here, in the browser or in Node.
    ///
    /// ```
    /// let mut session = ecs_daemon_sim::Session::with_seed(7);
    /// session.script("aws ecs create-cluster --cluster-name demo");
    /// session.advance_by(60_000);
    /// let replayed = ecs_daemon_sim::session::import(&session.export()).unwrap();
    /// assert_eq!(replayed.event_log_hash(), session.event_log_hash());
    /// ```
    pub fn export(&self) -> String {
        self.scenario.to_json()
    }

    /// Ends recording; the run goes on without a log.
    pub fn into_api(self) -> Api {
        self.api
    }

    /// Replaces this run with the one a scenario file describes, or leaves it untouched and says
    /// why the file was refused.
    pub fn replace_with_import(&mut self, text: &str) -> Result<(), ScenarioError> {
        *self = import(text)?;
        Ok(())
    }

    /// Appends an input applied at `at_ms`. Consecutive advances merge (a then b is a + b), and
    /// so do consecutive script steps that took no simulated time (the second starts when the
    /// first ended). Steps that moved the clock (`sleep`, waiters) stay apart, so that a cut with
    /// [`Scenario::until`] or a viewer's seek can stop between them.
    fn log(&mut self, at_ms: u64, input: Input) {
        if let Some(last) = self.scenario.log.last_mut() {
            match (&mut last.input, &input) {
                (Input::Advance(total), Input::Advance(ms)) => {
                    *total = total.saturating_add(*ms);
                    return;
                }
                (Input::ScriptStep(total), Input::ScriptStep(n)) if last.at_ms == at_ms => {
                    *total = total.saturating_add(*n);
                    return;
                }
                _ => {}
            }
        }
        self.scenario.log.push(LogEntry { at_ms, input });
    }

    /// Runs an AWS action; logged when it succeeds.
    ///
    /// ```
    /// use serde_json::json;
    /// let mut session = ecs_daemon_sim::Session::with_seed(7);
    /// let created = session.call("ecs", "CreateCluster", &json!({"clusterName": "demo"})).unwrap();
    /// assert_eq!(created["cluster"]["status"], "ACTIVE");
    /// let refused = session.call("ecs", "DeleteCluster", &json!({"cluster": "nope"})).unwrap_err();
    /// assert_eq!(refused.error_type, "ClusterNotFoundException");
    /// assert_eq!(session.scenario().log.len(), 1, "only the call that did something is logged");
    /// ```
    pub fn call(&mut self, service: &str, action: &str, input: &Value) -> Result<Value, AwsError> {
        let at_ms = self.api.simulation().elapsed();
        let answer = self.api.call(service, action, input)?;
        self.log(at_ms, Input::Call { service: service.into(), action: action.into(), input: input.clone() });
        Ok(answer)
    }

    /// Applies an input another run recorded (a page following a served account): at its time,
    /// as a replay would, so that the same seed, options and inputs give the same event log.
    /// Refused, changing nothing recorded, when its time has passed or it fails here.
    ///
    /// ```
    /// use serde_json::json;
    /// let mut leader = ecs_daemon_sim::Session::with_seed(7);
    /// leader.advance_by(5_000);
    /// leader.call("ecs", "CreateCluster", &json!({"clusterName": "demo"})).unwrap();
    /// let mut follower = ecs_daemon_sim::Session::with_seed(7);
    /// for entry in &leader.scenario().log {
    ///     follower.follow(entry).unwrap();
    /// }
    /// assert_eq!(follower.event_log_hash(), leader.event_log_hash());
    /// ```
    pub fn follow(&mut self, entry: &LogEntry) -> Result<(), ScenarioError> {
        let at_ms = entry.at_ms;
        self.replay_entry(self.scenario.log.len(), entry)?;
        self.log(at_ms, entry.input.clone());
        Ok(())
    }

    /// Runs a `sim` command (the words after `sim`); logged when it succeeds, except `sim clock`.
    pub fn sim(&mut self, words: &[String]) -> Result<String, AwsError> {
        let at_ms = self.api.simulation().elapsed();
        let answer = self.api.sim(words)?;
        if words.first().map(String::as_str) != Some("clock") {
            self.log(at_ms, Input::Sim(words.to_vec()));
        }
        Ok(answer)
    }

    /// Moves simulated time forward, processing every timer due meanwhile. Advancing by 0 still
    /// processes what is due now but is not logged (the file format has no empty advance): a
    /// replay processes what is due before every entry anyway.
    ///
    /// ```
    /// let mut session = ecs_daemon_sim::Session::with_seed(7);
    /// session.advance_by(30_000);
    /// session.advance_by(30_000);
    /// assert_eq!(session.scenario().log.len(), 1, "consecutive advances are one entry");
    /// ```
    pub fn advance_by(&mut self, ms: u64) {
        let at_ms = self.api.simulation().elapsed();
        self.api.advance_by(ms);
        if ms > 0 {
            self.log(at_ms, Input::Advance(ms));
        }
    }

    /// Runs a whole AWS-CLI script with the run's interpreter; logged unless it did not parse
    /// (then nothing ran).
    ///
    /// ```
    /// let mut session = ecs_daemon_sim::Session::with_seed(7);
    /// let report = session.script(
    ///     "aws ecs create-cluster --cluster-name demo >/dev/null\n\
    ///      aws ecs describe-clusters --clusters demo --query 'clusters[0].status' --output text",
    /// );
    /// assert_eq!(report.records.last().unwrap().stdout, "ACTIVE\n");
    /// assert!(report.records.iter().all(|r| r.success));
    /// ```
    pub fn script(&mut self, text: &str) -> ScriptReport {
        let at_ms = self.api.simulation().elapsed();
        let report = self.interpreter.run(&mut self.api, text);
        if report.syntax_error.is_none() {
            self.log(at_ms, Input::Script(text.to_string()));
        }
        report
    }

    /// Parses a script to run one command at a time with [`Session::step_script`] (the console
    /// lets the simulation move between commands); a syntax error runs nothing and logs nothing.
    /// Replaces a script still running.
    pub fn begin_script(&mut self, text: &str) -> Result<(), ScriptError> {
        self.stepped = Some(ScriptRun::parse(&self.interpreter, text)?);
        let at_ms = self.api.simulation().elapsed();
        self.log(at_ms, Input::ScriptBegin(text.to_string()));
        Ok(())
    }

    /// Runs the next command of the begun script; `None` when there is none left.
    pub fn step_script(&mut self) -> Option<CommandRecord> {
        let at_ms = self.api.simulation().elapsed();
        let run = self.stepped.as_mut()?;
        let record = run.step(&mut self.interpreter, &mut self.api)?.clone();
        self.log(at_ms, Input::ScriptStep(1));
        Some(record)
    }

    /// Commands left in the begun script.
    pub fn script_remaining(&self) -> usize {
        self.stepped.as_ref().map_or(0, ScriptRun::remaining)
    }

    /// Simulated ms left of the `sleep` the begun script is in (the console plays it out at the
    /// playground's speed; the next step finishes it at once).
    pub fn script_sleep_remaining_ms(&self) -> Option<u64> {
        let until = self.stepped.as_ref()?.sleeping_until()?;
        Some(until.saturating_sub(self.api.now_ms())).filter(|ms| *ms > 0)
    }

    /// The line of the begun script's current command (the last one run).
    pub fn script_line(&self) -> Option<usize> {
        self.stepped.as_ref()?.position().map(|p| p.line)
    }

    /// Sets the preset name shown with the run.
    pub fn set_preset(&mut self, preset: Option<&str>) -> Result<(), ScenarioError> {
        if let Some(name) = preset {
            if !format::is_name(name) {
                return Err(ScenarioError::invalid(
                    "preset",
                    "a preset name is 1 to 256 characters [A-Za-z0-9._-]",
                ));
            }
        }
        self.scenario.preset = preset.map(str::to_string);
        Ok(())
    }

    /// Sets a knob value (refused when out of its range).
    pub fn set_knob(&mut self, name: &str, value: f64) -> Result<(), ScenarioError> {
        if !format::is_name(name) {
            return Err(ScenarioError::invalid("knobs", "a knob name is 1 to 256 characters [A-Za-z0-9._-]"));
        }
        format::check_knob(name, value).map_err(|e| ScenarioError::invalid(&format!("knobs.{name}"), e))?;
        self.scenario.knobs.insert(name.to_string(), value);
        Ok(())
    }

    /// Sets how the run is shown (refused when the speed is out of range).
    pub fn set_view(&mut self, view: ViewSettings) -> Result<(), ScenarioError> {
        format::check_speed(view.speed).map_err(|e| ScenarioError::invalid("view.speed", e))?;
        if let Some(knob) = &view.knob {
            if !format::is_name(knob) {
                return Err(ScenarioError::invalid("view.knob", "a knob name is 1 to 256 characters"));
            }
        }
        self.scenario.view = view;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRIPT: &str = "REGION=us-east-1\naws ecs create-cluster --cluster-name c --region $REGION \
                          --query cluster.status --output text\nsleep 60\nsim clock\n";

    #[test]
    fn stepping_gives_the_same_records_and_state_as_running_whole() {
        let mut whole = Session::with_seed(3);
        let report = whole.script(SCRIPT);
        let mut stepped = Session::with_seed(3);
        stepped.begin_script(SCRIPT).unwrap();
        assert_eq!(stepped.script_remaining(), 4);
        let mut records = Vec::new();
        while let Some(record) = stepped.step_script() {
            records.push(record);
        }
        assert_eq!(stepped.script_remaining(), 0);
        assert_eq!(records, report.records);
        assert_eq!(records[1].stdout, "ACTIVE\n");
        assert_eq!(stepped.api().state_fingerprint(), whole.api().state_fingerprint());
        assert_eq!(stepped.event_log_hash(), whole.event_log_hash());
    }

    #[test]
    fn variables_survive_between_scripts_and_a_syntax_error_runs_nothing() {
        let mut session = Session::with_seed(1);
        session.script("NAME=kept\n");
        let before = session.api().state_fingerprint();
        let logged = session.scenario().log.len();
        let report =
            session.script("aws ecs create-cluster --cluster-name $NAME\naws ecs list-clusters 'oops\n");
        assert!(report.syntax_error.is_some());
        assert_eq!(session.api().state_fingerprint(), before);
        assert!(session.begin_script("echo 'oops\n").is_err());
        assert_eq!(session.step_script(), None);
        assert_eq!(session.scenario().log.len(), logged);
        let report = session.script(
            "aws ecs create-cluster --cluster-name $NAME --query cluster.clusterName --output text\n",
        );
        assert_eq!(report.records[0].stdout, "kept\n");
        assert_eq!(session.variable("NAME"), Some("kept"));
    }

    #[test]
    fn advancing_moves_the_simulated_clock_and_logs_only_real_advances() {
        let mut session = Session::with_seed(1);
        let start = session.api().now_ms();
        session.advance_by(0);
        assert!(session.scenario().log.is_empty());
        session.advance_by(90_000);
        assert_eq!(session.api().now_ms(), start + 90_000);
        assert_eq!(session.simulation().now(), session.api().now_ms());
        assert_eq!(session.scenario().log.len(), 1);
    }
}
