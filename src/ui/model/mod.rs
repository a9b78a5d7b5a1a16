//! The playground's state, free of Yew: it owns the run as a recorded scenario (an
//! [`session::Session`](crate::session::Session): seed + every input with its
//! simulated time, so that what is shared and saved replays event for event), the clock controls,
//! the knobs and the tiles patched from the engine's change sets. Components only read it and send
//! it verbs.
//!
//! The UI never decides what the fleet does: every button becomes an AWS action, a `sim` command
//! or a console script applied through the recorder, and what is drawn comes from the engine's
//! snapshots, change sets, queries and events.

use super::pace::{self, Pace};
use super::presets::{holds, Action, Preset};
use crate::cli::CommandRecord;
use crate::engine::event::hash_event_json;
use crate::engine::time::MINUTE;
use crate::engine::{batch_size, circuit_breaker_threshold, Event, InstanceView, Simulation};
use crate::session::scenario::{
    self as run, Input, LogEntry, ScenarioError, KNOB_BAKE_TIME, KNOB_DRAIN_PERCENT, KNOB_INSTANCES,
};
use crate::session::Session;
use crate::support::hash::FNV_OFFSET;
use crate::support::json::json;
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

/// The run as the API's scenario format (what Share, Export and the autosave carry).
pub type RunScenario = run::Scenario;

mod follow;
mod inputs;
mod reading;
mod time;

pub const CLUSTER: &str = "playground";
pub const CAPACITY_PROVIDER: &str = "playground-mi";
pub const DAEMON: &str = "monitoring-agent";
pub const SERVICE: &str = "web";
pub const ALARM: &str = "daemon-errors";
const APP_FAMILY: &str = "web-app";
const AGENT_IMAGE: &str = "public.ecr.aws/cloudwatch-agent/cloudwatch-agent";
const APP_IMAGE: &str = "public.ecr.aws/docker/library/nginx:alpine";
const INFRASTRUCTURE_ROLE: &str = "playgroundInfrastructureRole";
const INSTANCE_ROLE: &str = "playgroundInstanceRole";

/// Knobs of the scenario file beyond the well-known ones (the daemon size of the next revision).
pub const KNOB_DAEMON_CPU: &str = "daemonCpu";
pub const KNOB_DAEMON_MEMORY: &str = "daemonMemory";

/// The speed range of the log-scale slider and the default speed: the scenario format's, so a
/// run file and the page agree.
pub use crate::session::scenario::limits::{DEFAULT_SPEED, MAX_SPEED, MIN_SPEED};
/// One wall frame never moves the clock by more than this much wall time (a background tab that
/// resumes must not jump hours ahead).
const MAX_FRAME_WALL_MS: f64 = 250.0;
/// Timeline sampling period, simulated milliseconds.
pub const SAMPLE_EVERY_MS: u64 = 5_000;
/// The longest backlog of unhashed events a view hashes on the spot (tens of milliseconds at
/// most): a short run's hash shows with the render that pauses it, a long one's a few frames later.
pub const HASH_IN_VIEW_EVENTS: usize = 2_048;
/// How long a terminated instance stays visible as a ghost, simulated milliseconds.
const GHOST_MS: u64 = MINUTE;

/// What shapes the default scenario (and every later preset).
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub seed: u64,
    /// Service desired count; each app task fills one instance, so this is also the fleet size.
    pub instances: u32,
    pub drain_percent: f64,
    pub bake_minutes: u32,
    pub daemon_cpu: u32,
    pub daemon_memory: u32,
    /// Start the daemon after the fleet exists (so its creation is a rolling deployment) instead of
    /// before the service (daemon-first on every new instance).
    pub daemon_after_fleet: bool,
    /// App tasks that share one instance (the app task is sized so this many fit beside the daemon).
    pub tasks_per_instance: u32,
    /// The sidecar pattern instead of a managed daemon: no daemon, the agent is a second container
    /// of every app task.
    pub sidecar: bool,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            seed: 2,
            instances: 8,
            drain_percent: crate::engine::DEFAULT_DRAIN_PERCENT,
            bake_minutes: 0,
            daemon_cpu: 256,
            daemon_memory: 512,
            daemon_after_fleet: false,
            tasks_per_instance: 1,
            sidecar: false,
        }
    }
}

impl Scenario {
    /// This setup with the knobs a scenario file sets (values out of the sliders' ranges were
    /// refused when the file was read).
    pub fn with_knobs(mut self, run: &RunScenario) -> Scenario {
        let whole = |name| run.knob(name).map(|v: f64| v.round().clamp(0.0, u32::MAX as f64) as u32);
        if let Some(n) = whole(KNOB_INSTANCES) {
            self.instances = n;
        }
        if let Some(p) = run.knob(KNOB_DRAIN_PERCENT) {
            self.drain_percent = p;
        }
        if let Some(m) = whole(KNOB_BAKE_TIME) {
            self.bake_minutes = m;
        }
        if let Some(c) = whole(KNOB_DAEMON_CPU) {
            self.daemon_cpu = c;
        }
        if let Some(m) = whole(KNOB_DAEMON_MEMORY) {
            self.daemon_memory = m;
        }
        self.seed = run.seed;
        self
    }
}

/// One input of the run as the command list and the chart's fault markers show it.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedCommand {
    pub at_ms: u64,
    /// Short human label.
    pub label: String,
    pub is_fault: bool,
    /// The input as the scenario file records it.
    pub input: Input,
}

impl LoggedCommand {
    fn of(entry: &LogEntry) -> LoggedCommand {
        let (label, is_fault) = describe(&entry.input);
        LoggedCommand { at_ms: entry.at_ms, label, is_fault, input: entry.input.clone() }
    }
}

/// A label for an input, and whether it is a fault (a marker on the chart).
fn describe(input: &Input) -> (String, bool) {
    let text = |call_input: &Value, key: &str| call_input[key].as_str().unwrap_or("").to_string();
    match input {
        Input::Call { service, action, input } => match (service.as_str(), action.as_str()) {
            ("ecs", "UpdateDaemon") => {
                let revision = text(input, "daemonTaskDefinitionArn");
                (format!("deploy {}", revision.rsplit('/').next().unwrap_or(&revision)), false)
            }
            ("ecs", "UpdateService") => (format!("desired count {}", input["desiredCount"]), false),
            ("ecs", "StopTask") => (format!("stop task {}", short_id(&text(input, "task"))), true),
            ("ec2", "TerminateInstances") => {
                (format!("terminate {}", input["InstanceIds"][0].as_str().unwrap_or("")), true)
            }
            ("cloudwatch", "SetAlarmState") => (format!("alarm {}", text(input, "StateValue")), true),
            _ => (format!("{service} {action}"), false),
        },
        Input::Sim(words) => {
            let fault = words.first().map(String::as_str) == Some("fault");
            (format!("sim {}", words.join(" ")), fault)
        }
        Input::ScriptBegin(_) => ("console script".into(), false),
        // A script sent whole (a served account's setup): named by its first command.
        Input::Script(text) => {
            let mut commands = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
            let first = commands.next().unwrap_or("");
            let clipped: String = first.chars().take(60).collect();
            let ellipsis = if clipped.len() < first.len() { "…" } else { "" };
            let more = commands.count();
            let more = if more > 0 { format!(" (+{more} more)") } else { String::new() };
            (format!("script: {clipped}{ellipsis}{more}"), false)
        }
        Input::ScriptStep(n) => (format!("console: {n} command(s)"), false),
        other => (other.label(), false),
    }
}

fn short_id(id: &str) -> &str {
    let last = id.rsplit('/').next().unwrap_or(id);
    last.get(..8).unwrap_or(last)
}

/// The console: the current script's progress and what it printed. The script itself runs in the
/// recorder's interpreter, so that it is part of the run's log.
#[derive(Default)]
pub struct Console {
    live: bool,
    remaining: usize,
    /// The text of the current (or last) script, for showing its running line.
    pub text: String,
    /// A script to offer once this one is done (the tutorial's cleanup section).
    pub after: Option<&'static str>,
    /// Records of the current (or last) script, in order.
    pub output: Vec<CommandRecord>,
    pub syntax_error: Option<String>,
}

impl Console {
    pub fn running(&self) -> bool {
        self.live
    }
    pub fn remaining(&self) -> usize {
        self.remaining
    }
}

/// One tile of the grid: the engine's view of the instance, shared with the tile component so an
/// unchanged tile costs Yew one pointer comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    pub order: u64,
    pub view: Rc<InstanceView>,
    /// Set once the instance is terminated: the simulated time the ghost disappears.
    pub ghost_until: Option<u64>,
}

/// One point of the timeline chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sample {
    pub at_ms: u64,
    pub app_running: u32,
    pub app_desired: u32,
    pub registering: u32,
    pub active: u32,
    pub draining: u32,
    pub deregistering: u32,
    /// Index into [`DEPLOYMENT_PHASES`] of the daemon's latest deployment, if one is active.
    pub deployment_phase: Option<u8>,
}

pub const DEPLOYMENT_PHASES: [&str; 8] = [
    "PENDING",
    "IN_PROGRESS",
    "SUCCESSFUL",
    "STOPPED",
    "STOP_REQUESTED",
    "ROLLBACK_IN_PROGRESS",
    "ROLLBACK_SUCCESSFUL",
    "ROLLBACK_FAILED",
];

/// The latest deployment of the playground daemon, as the deployment panel shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentSummary {
    pub id: String,
    pub status: &'static str,
    pub status_reason: Option<String>,
    pub target_revision: String,
    pub batch_size: u32,
    pub batch_number: u32,
    pub batch_count: u32,
    pub instances_in_scope: u32,
    pub replaced: u32,
    pub draining: u32,
    pub failure_count: u32,
    pub threshold: u32,
    pub breaker_status: &'static str,
    pub alarm_status: &'static str,
    pub bake_remaining_ms: Option<u64>,
    pub drain_percent: f64,
    /// (revision, running, draining) per revision present on the fleet, newest first.
    pub revisions: Vec<(String, u32, u32)>,
}

/// Per-status tile counts (live tiles only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatusCounts {
    pub provisioning: u32,
    pub registering: u32,
    pub active: u32,
    pub draining: u32,
    pub deregistering: u32,
    pub other: u32,
}

/// The playground state.
/// What [`Playground`] caches between changes of the run (`None`: not computed yet).
#[derive(Default)]
struct Derived {
    status_counts: Option<StatusCounts>,
    app_counts: Option<(u32, u32)>,
    instances_in_scope: Option<u32>,
    deployment: Option<Option<Rc<DeploymentSummary>>>,
}

pub struct Playground {
    scenario: Scenario,
    /// The run: the simulated account (engine + AWS API + console interpreter) and the log of
    /// every input applied to it up to now.
    recorder: Session,
    /// Inputs recorded past the present (after a seek back), applied again as time reaches them.
    /// Time advances are not kept here: moving the clock records them anew.
    future: VecDeque<LogEntry>,
    pub speed: f64,
    pub playing: bool,
    pub selected: Option<String>,
    /// Boxed: one B-tree layout with the other maps of records (see `api::Boxed`).
    tiles: BTreeMap<String, Box<Tile>>,
    /// The earliest `ghost_until` among the tiles (`u64::MAX`: no ghost): the tiles are swept
    /// only when a ghost is due, not on every slice of every frame (10,000 tiles at 10,000
    /// instances).
    ghosts_due_at: u64,
    next_order: u64,
    samples: Vec<Sample>,
    /// Knobs for the next deployment (and, for drainPercent, the running one).
    pub drain_percent: f64,
    pub bake_minutes: u32,
    pub daemon_cpu: u32,
    pub daemon_memory: u32,
    /// "next revision's image fails to pull" armed.
    pub bad_image_armed: bool,
    pub launch_blocked: bool,
    pub alarm_in_alarm: bool,
    /// The last input the API refused, as its error message.
    pub last_error: Option<String>,
    /// EventBridge JSON of the events the log panel has asked for, by index into the engine's
    /// events: converted on first read, never all of them per frame (at 10,000 instances turning
    /// every new event into JSON took most of a frame's model refresh).
    event_json: RefCell<Vec<Option<Rc<Value>>>>,
    /// Counts and the deployment summary, computed once per state of the run: the preset checks,
    /// the panels and the knobs all read them each frame, and at 10,000 instances each reading
    /// walked the fleet. Cleared by every mutable use of the recorder and by `refresh`.
    derived: RefCell<Derived>,
    /// See [`Playground::generation`].
    generation: u64,
    /// The event-log hash over the first `.1` events (extended when read).
    event_hash: Cell<(u64, usize)>,
    /// The furthest simulated time this run has reached (the scrubber's right end).
    recorded_until: u64,
    preset: Option<&'static Preset>,
    /// Preset steps performed so far (their inputs are in the log).
    preset_steps_done: usize,
    /// Set when the preset's run ended: its expectation checked against the simulation.
    pub preset_result: Option<Result<String, String>>,
    pub console: Console,
    /// How the clock keeps up with the speed under the per-frame budget.
    pub pace: Pace,
    /// The run follows a served account: its inputs and time come from the server's log.
    following: bool,
}

impl Playground {
    pub fn new(scenario: Scenario) -> Self {
        // An empty run with the default account always validates.
        let recorder =
            Session::new(RunScenario::with_seed(scenario.seed)).expect("an empty scenario is valid");
        let mut playground = Playground::around(scenario, recorder);
        playground.build_scenario();
        playground
    }

    fn around(scenario: Scenario, recorder: Session) -> Self {
        let mut playground = Playground {
            recorder,
            future: VecDeque::new(),
            speed: DEFAULT_SPEED,
            playing: true,
            selected: None,
            tiles: BTreeMap::new(),
            ghosts_due_at: u64::MAX,
            next_order: 0,
            samples: Vec::new(),
            drain_percent: scenario.drain_percent,
            bake_minutes: scenario.bake_minutes,
            daemon_cpu: scenario.daemon_cpu,
            daemon_memory: scenario.daemon_memory,
            bad_image_armed: false,
            launch_blocked: false,
            alarm_in_alarm: false,
            last_error: None,
            event_json: RefCell::new(Vec::new()),
            derived: RefCell::default(),
            generation: next_generation(),
            event_hash: Cell::new((FNV_OFFSET, 0)),
            recorded_until: 0,
            preset: None,
            preset_steps_done: 0,
            preset_result: None,
            console: Console::default(),
            pace: Pace::default(),
            following: false,
            scenario,
        };
        playground.record_knobs();
        playground
    }

    /// An account of its own for the console's tutorial: nothing in it but what the tutorial
    /// creates (its daemon-test cluster and monitoring-agent family), never the playground's fleet.
    pub fn for_tutorial(seed: u64) -> Self {
        let recorder = Session::new(RunScenario::with_seed(seed)).expect("an empty scenario is valid");
        Playground::around(Scenario { seed, ..Scenario::default() }, recorder)
    }

    /// A playground running a preset: its fleet, then its steps as their conditions come true.
    pub fn with_preset(preset: &'static Preset) -> Self {
        Playground::with_preset_setup(preset, (preset.scenario)())
    }

    /// A preset on a setup of the caller's (a shared link's knobs and seed).
    pub fn with_preset_setup(preset: &'static Preset, setup: Scenario) -> Self {
        let mut playground = Playground::new(setup);
        playground.set_preset(Some(preset));
        playground
    }

    fn set_preset(&mut self, preset: Option<&'static Preset>) {
        self.preset = preset;
        // Preset ids are names ([a-z-]): always accepted.
        let _ = self.recorder_mut().set_preset(preset.map(|p| p.id));
    }

    /// Rebuilds a run from a scenario (a shared link, an imported file, the autosave): the setup
    /// from its preset and knobs when its log is empty, otherwise its seed, script and log
    /// replayed on the timeline's sampling grid to where it ended. Refused (nothing built) when the
    /// scenario is invalid or does not replay within the limits; `warnings` get what was ignored.
    pub fn from_run(run: &RunScenario, warnings: &mut Vec<String>) -> Result<Self, ScenarioError> {
        run.validate()?;
        let preset = match run.preset.as_deref() {
            Some(id) => {
                let found = super::presets::preset(id);
                if found.is_none() {
                    let known: Vec<&str> = super::presets::PRESETS.iter().map(|p| p.id).collect();
                    warnings.push(format!(
                        "preset {id:?} is not one of this playground's presets ({}); none is used",
                        known.join(", ")
                    ));
                }
                found
            }
            None => None,
        };
        let setup = preset.map(|p| (p.scenario)()).unwrap_or_default().with_knobs(run);
        let mut playground = if run.log.is_empty() && run.script.is_none() {
            match preset {
                Some(preset) => Playground::with_preset_setup(preset, setup),
                None => Playground::new(setup),
            }
        } else {
            // Checked whole first: the replay below applies entries without the limits.
            Session::new(run.clone())?;
            let base = RunScenario { log: Vec::new(), ..run.clone() };
            let mut playground = Playground::around(setup, Session::new(base)?);
            playground.set_preset(preset);
            playground.future =
                run.log.iter().filter(|e| !matches!(e.input, Input::Advance(_))).cloned().collect();
            playground.recorded_until = end_of(&run.log);
            playground.refresh();
            playground.advance_to(playground.recorded_until);
            playground.restore_fault_flags();
            playground
        };
        playground.speed = run.view.speed.clamp(MIN_SPEED, MAX_SPEED);
        playground.playing = run.view.autoplay;
        let _ = playground.recorder.set_view(run.view.clone());
        Ok(playground)
    }

    pub fn preset(&self) -> Option<&'static Preset> {
        self.preset
    }

    /// Whether the preset (if any) has played to its end.
    pub fn preset_finished(&self) -> bool {
        self.preset_result.is_some()
    }

    /// Performs the preset's due steps and ends the run when its end condition holds. While a seek
    /// replays the recorded future, a due step is only counted: its inputs come from the log.
    fn run_preset(&mut self) {
        let Some(preset) = self.preset else { return };
        if self.preset_result.is_some() {
            return;
        }
        let replaying = self.has_future();
        self.refresh();
        while let Some(step) = preset.steps.get(self.preset_steps_done) {
            if !holds(self, step.when) {
                break;
            }
            self.preset_steps_done += 1;
            if replaying {
                // The step's inputs were recorded at this instant: apply them now, so that the
                // next step and the end condition see what they saw when the step was played.
                self.apply_due_inputs();
                self.refresh();
            } else {
                self.perform(step.action);
            }
        }
        let ended = self.preset_steps_done == preset.steps.len() && holds(self, preset.until);
        if ended || self.elapsed() >= preset.max_ms {
            let result = if ended {
                (preset.expect)(self)
            } else {
                Err(format!("did not finish within {}", format_clock(preset.max_ms)))
            };
            self.preset_result = Some(result);
            self.playing = false;
        }
    }

    fn perform(&mut self, action: Action) {
        match action {
            Action::DeployNewRevision => {
                self.deploy_new_revision();
            }
            Action::ArmBadImage => self.bad_image_armed = true,
            Action::StopDaemonOnFirstInstance => {
                let first = self
                    .tiles()
                    .into_iter()
                    .find(|t| t.ghost_until.is_none() && t.view.status == "ACTIVE")
                    .map(|t| t.view.container_instance_id.clone());
                if let Some(id) = first {
                    self.selected = Some(id.clone());
                    self.stop_daemon_task(&id);
                }
            }
            Action::SetAlarm(on) => {
                self.set_alarm(on);
            }
            Action::SetDesiredCount(n) => {
                self.set_desired_count(n);
            }
        }
    }

    /// The account the playground shows, as AWS actions (what a user would type in the console):
    /// roles, cluster, a Managed Instances capacity provider of 2–4 vCPU / 4–8 GiB instances, the
    /// alarm, the daemon and app task definitions, the daemon and the service.
    fn build_scenario(&mut self) {
        let s = self.scenario.clone();
        let account = self.recorder.api().arns().account.clone();
        for (role, principal, policy) in [
            (
                INFRASTRUCTURE_ROLE,
                "ecs.amazonaws.com",
                "AmazonECSInfrastructureRolePolicyForManagedInstances",
            ),
            (INSTANCE_ROLE, "ec2.amazonaws.com", "AmazonECSInstanceRolePolicyForManagedInstances"),
        ] {
            let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"Service": principal}, "Action": "sts:AssumeRole"}]});
            self.call(
                "iam",
                "CreateRole",
                json!({"RoleName": role, "AssumeRolePolicyDocument": trust.to_string()}),
            );
            self.call(
                "iam",
                "AttachRolePolicy",
                json!({"RoleName": role, "PolicyArn": format!("arn:aws:iam::aws:policy/{policy}")}),
            );
        }
        self.call("iam", "CreateInstanceProfile", json!({"InstanceProfileName": INSTANCE_ROLE}));
        self.call(
            "iam",
            "AddRoleToInstanceProfile",
            json!({"InstanceProfileName": INSTANCE_ROLE, "RoleName": INSTANCE_ROLE}),
        );
        self.call("ecs", "CreateCluster", json!({"clusterName": CLUSTER}));
        self.call(
            "ecs",
            "CreateCapacityProvider",
            json!({"name": CAPACITY_PROVIDER, "cluster": CLUSTER, "managedInstancesProvider": {
                "infrastructureRoleArn": format!("arn:aws:iam::{account}:role/{INFRASTRUCTURE_ROLE}"),
                "instanceLaunchTemplate": {
                    "ec2InstanceProfileArn": format!("arn:aws:iam::{account}:instance-profile/{INSTANCE_ROLE}"),
                    "networkConfiguration": {"subnets": ["subnet-0123"], "securityGroups": ["sg-0123"]},
                    "instanceRequirements": {"vCpuCount": {"min": 2, "max": 4}, "memoryMiB": {"min": 4096, "max": 8192}}
                }
            }}),
        );
        self.call(
            "ecs",
            "PutClusterCapacityProviders",
            json!({"cluster": CLUSTER, "capacityProviders": [CAPACITY_PROVIDER],
                "defaultCapacityProviderStrategy": [{"capacityProvider": CAPACITY_PROVIDER, "weight": 1}]}),
        );
        self.call(
            "cloudwatch",
            "PutMetricAlarm",
            json!({"AlarmName": ALARM, "MetricName": "DaemonErrors", "Namespace": "Playground",
                "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 1, "Threshold": 1.0,
                "ComparisonOperator": "GreaterThanOrEqualToThreshold"}),
        );
        self.register_daemon_revision();
        let per_instance = s.tasks_per_instance.max(1);
        let agent = self.next_image();
        self.register_app_revision(&agent);
        if !s.daemon_after_fleet && !s.sidecar {
            self.create_daemon();
        }
        self.call(
            "ecs",
            "CreateService",
            json!({"cluster": CLUSTER, "serviceName": SERVICE, "taskDefinition": APP_FAMILY,
                "desiredCount": s.instances * per_instance,
                "capacityProviderStrategy": [{"capacityProvider": CAPACITY_PROVIDER, "weight": 1}]}),
        );
        self.refresh();
    }

    /// The app's task definition; in the sidecar pattern with an `agent` container of this image.
    /// 2 vCPU / 4 GiB instances: the daemon's 256/512 reserved first, the rest split between
    /// `tasks_per_instance` app tasks (a sidecar adds the agent's share to each task instead).
    fn register_app_revision(&mut self, agent_image: &str) -> bool {
        let s = &self.scenario;
        let per_instance = s.tasks_per_instance.max(1);
        let (app_cpu, app_memory) = (1536 / per_instance, 3072 / per_instance);
        let mut containers = vec![container("web", APP_IMAGE)];
        if s.sidecar {
            containers.push(container("agent", agent_image));
        }
        let input = json!({"family": APP_FAMILY,
            "cpu": (app_cpu + if s.sidecar { s.daemon_cpu } else { 0 }).to_string(),
            "memory": (app_memory + if s.sidecar { s.daemon_memory } else { 0 }).to_string(),
            "containerDefinitions": containers});
        self.call("ecs", "RegisterTaskDefinition", input)
    }

    /// The sidecar pattern's agent update: a new app task definition revision with the next agent
    /// image, and the service deployed to it (UpdateService), which replaces every app task.
    pub fn redeploy_sidecar_agent(&mut self) -> bool {
        if !self.scenario.sidecar {
            return false;
        }
        let revisions = self.sim().task_definitions().filter(|t| t.family == APP_FAMILY).count();
        let image = format!("{AGENT_IMAGE}:v{}", revisions + 1);
        if !self.register_app_revision(&image) {
            return false;
        }
        let latest = format!("{APP_FAMILY}:{}", revisions + 1);
        self.call(
            "ecs",
            "UpdateService",
            json!({"cluster": CLUSTER, "service": SERVICE, "taskDefinition": latest}),
        )
    }

    fn deployment_configuration(&self) -> Value {
        json!({"drainPercent": self.drain_percent, "bakeTimeInMinutes": self.bake_minutes,
            "alarms": {"alarmNames": [ALARM], "enable": true}})
    }

    fn daemon_arn(&self) -> String {
        self.recorder.api().arns().daemon(CLUSTER, DAEMON)
    }

    fn create_daemon(&mut self) -> bool {
        let config = self.deployment_configuration();
        self.call(
            "ecs",
            "CreateDaemon",
            json!({"clusterArn": CLUSTER, "daemonName": DAEMON,
                "daemonTaskDefinitionArn": format!("{DAEMON}:{}", self.daemon_revision()),
                "capacityProviderArns": [CAPACITY_PROVIDER], "deploymentConfiguration": config}),
        )
    }

    fn next_image(&self) -> String {
        format!("{AGENT_IMAGE}:v{}", self.daemon_revision() + 1)
    }

    fn register_daemon_revision(&mut self) -> bool {
        let image = self.next_image();
        self.call(
            "ecs",
            "RegisterDaemonTaskDefinition",
            json!({"family": DAEMON, "cpu": self.daemon_cpu.to_string(), "memory": self.daemon_memory.to_string(),
                "containerDefinitions": [container("agent", &image)]}),
        )
    }
}

/// Where a log ends: its last entry's time, or the end of its last time advance.
fn end_of(log: &[LogEntry]) -> u64 {
    match log.last() {
        Some(LogEntry { at_ms, input: Input::Advance(ms) }) => at_ms.saturating_add(*ms),
        Some(entry) => entry.at_ms,
        None => 0,
    }
}

fn is_terminal(status: &str) -> bool {
    matches!(status, "SUCCESSFUL" | "STOPPED" | "ROLLBACK_SUCCESSFUL" | "ROLLBACK_FAILED")
}

fn container(name: &str, image: &str) -> Value {
    json!({"name": name, "image": image, "essential": true})
}

/// Position on the log-scale speed slider (0..=1000) for a speed.
pub fn speed_to_slider(speed: f64) -> u32 {
    let span = (MAX_SPEED / MIN_SPEED).log10();
    ((speed.clamp(MIN_SPEED, MAX_SPEED) / MIN_SPEED).log10() / span * 1000.0).round() as u32
}

/// Speed for a slider position (0..=1000), log scale from [`MIN_SPEED`] to [`MAX_SPEED`].
pub fn slider_to_speed(position: u32) -> f64 {
    let span = (MAX_SPEED / MIN_SPEED).log10();
    let speed = MIN_SPEED * 10f64.powf(position.min(1000) as f64 / 1000.0 * span);
    // Round to two significant digits so the label reads 20×, not 19.95×.
    let magnitude = 10f64.powf(speed.log10().floor() - 1.0);
    ((speed / magnitude).round() * magnitude).clamp(MIN_SPEED, MAX_SPEED)
}

/// Speeds of the 1–9 keyboard shortcuts.
pub const SPEED_KEYS: [f64; 9] = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 300.0, 1000.0];

/// `m:ss` or `h:mm:ss` of simulated milliseconds.
pub fn format_clock(ms: u64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

// ----- loading a scenario -----------------------------------------------------------------------

impl Playground {
    /// Replaces the run with `scenario`'s (a lesson's seed and setup script, an imported run),
    /// keeping the current speed and play state. On a refusal the current run is left as it was.
    pub fn load_scenario(&mut self, scenario: RunScenario) -> Result<(), ScenarioError> {
        let mut warnings = Vec::new();
        let mut run = Playground::from_run(&scenario, &mut warnings)?;
        run.set_speed(self.speed);
        run.playing = self.playing;
        *self = run;
        Ok(())
    }
}

/// A fresh [`Playground::generation`]: unique across every model of the page.
fn next_generation() -> u64 {
    thread_local!(static LAST: Cell<u64> = const { Cell::new(0) });
    LAST.with(|last| {
        last.set(last.get() + 1);
        last.get()
    })
}
