//! The playground's state, free of Yew: it owns the run as a recorded scenario (an
//! [`api::scenario::Recorder`](crate::api::scenario::Recorder): seed + every input with its
//! simulated time, so that what is shared and saved replays event for event), the clock controls,
//! the knobs and the tiles patched from the engine's change sets. Components only read it and send
//! it verbs.
//!
//! The UI never decides what the fleet does: every button becomes an AWS action, a `sim` command
//! or a console script applied through the recorder, and what is drawn comes from the engine's
//! snapshots, change sets, queries and events.

use super::pace::{self, Pace};
use super::presets::{holds, Action, Preset};
use crate::api::json::json;
use crate::api::scenario::{
    self as run, Input, LogEntry, Recorder, ScenarioError, KNOB_BAKE_TIME, KNOB_DRAIN_PERCENT, KNOB_INSTANCES,
};
use crate::cli::CommandRecord;
use crate::engine::event::{hash_event_json, FNV_OFFSET};
use crate::engine::time::MINUTE;
use crate::engine::{
    batch_size, circuit_breaker_threshold, AlarmState, Event, InstanceView, ServiceStatus, Simulation,
};
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

/// The run as the API's scenario format (what Share, Export and the autosave carry).
pub type RunScenario = run::Scenario;

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
pub use crate::api::scenario::limits::{DEFAULT_SPEED, MAX_SPEED, MIN_SPEED};
/// One wall frame never moves the clock by more than this much wall time (a background tab that
/// resumes must not jump hours ahead).
const MAX_FRAME_WALL_MS: f64 = 250.0;
/// Timeline sampling period, simulated milliseconds.
pub const SAMPLE_EVERY_MS: u64 = 5_000;
/// Events a view may hash before showing the event-log hash: a short run's hash shows with the
/// render that pauses it; a long one's follows a few frames later.
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
    recorder: Recorder,
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
}

impl Playground {
    pub fn new(scenario: Scenario) -> Self {
        // An empty run with the default account always validates.
        let recorder =
            Recorder::new(RunScenario::with_seed(scenario.seed)).expect("an empty scenario is valid");
        let mut playground = Playground::around(scenario, recorder);
        playground.build_scenario();
        playground
    }

    fn around(scenario: Scenario, recorder: Recorder) -> Self {
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
            event_hash: Cell::new((FNV_OFFSET, 0)),
            recorded_until: 0,
            preset: None,
            preset_steps_done: 0,
            preset_result: None,
            console: Console::default(),
            pace: Pace::default(),
            scenario,
        };
        playground.record_knobs();
        playground
    }

    /// An account of its own for the console's tutorial: nothing in it but what the tutorial
    /// creates (its daemon-test cluster and monitoring-agent family), never the playground's fleet.
    pub fn for_tutorial(seed: u64) -> Self {
        let recorder = Recorder::new(RunScenario::with_seed(seed)).expect("an empty scenario is valid");
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
            Recorder::new(run.clone())?;
            let base = RunScenario { log: Vec::new(), ..run.clone() };
            let mut playground = Playground::around(setup, Recorder::new(base)?);
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

    // ----- reading ----------------------------------------------------------------------------

    pub fn sim(&self) -> &Simulation {
        self.recorder.simulation()
    }

    /// The only way to change the run: whatever reads the derived values afterwards recomputes them.
    fn recorder_mut(&mut self) -> &mut Recorder {
        self.derived.take();
        &mut self.recorder
    }

    fn derived<T: Clone>(&self, slot: fn(&mut Derived) -> &mut Option<T>, compute: impl FnOnce() -> T) -> T {
        if let Some(value) = slot(&mut self.derived.borrow_mut()) {
            return value.clone();
        }
        let value = compute();
        *slot(&mut self.derived.borrow_mut()) = Some(value.clone());
        value
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The run up to now as a scenario file (the recorded future after a seek back is not in it).
    pub fn run_scenario(&self) -> &RunScenario {
        self.recorder.scenario()
    }

    /// Inputs applied so far, time advances not counted (what the autosave watches).
    pub fn input_count(&self) -> usize {
        self.recorder.scenario().log.iter().filter(|e| !matches!(e.input, Input::Advance(_))).count()
    }

    /// The hash of the event log so far: equal hashes, equal runs (`Simulation::event_log_hash`).
    pub fn event_log_hash(&self) -> u64 {
        self.hash_events_within(&|| false).unwrap_or(FNV_OFFSET)
    }

    /// The event-log hash, hashing at most about [`HASH_IN_VIEW_EVENTS`] more events (≈ 16 ms):
    /// what a view shows. `None` while more remain; the page hashes the rest a frame at a time.
    pub fn event_log_hash_ready(&self) -> Option<u64> {
        let checks = Cell::new(0usize);
        self.hash_events_within(&|| {
            checks.set(checks.get() + 1);
            checks.get() > HASH_IN_VIEW_EVENTS / 64
        })
    }

    /// Hashes the events not hashed yet until `out_of_time` says stop; the hash once all are in.
    /// Hashing costs a JSON serialization per event (≈ 8 µs): after a long run at 10,000 instances
    /// that is seconds of work, so a paused page hashes in frame-sized pieces and stays responsive.
    pub fn hash_events_within(&self, out_of_time: &dyn Fn() -> bool) -> Option<u64> {
        let (mut hash, mut done) = self.event_hash.get();
        let cached = self.event_json.borrow();
        let events = self.sim().events();
        for (index, event) in events.iter().enumerate().skip(done.min(events.len())) {
            // Asked every 64 events: the clock read costs more than one event's hashing.
            if index % 64 == 0 && out_of_time() {
                break;
            }
            // Not cached on the way: the hash is read once per pause, the JSON kept is the panel's.
            let text = match cached.get(index).and_then(Option::as_ref) {
                Some(json) => serde_json::to_string(&**json),
                None => serde_json::to_string(&event.to_json()),
            };
            hash = hash_event_json(hash, &text.unwrap_or_default());
            done += 1;
        }
        self.event_hash.set((hash, done));
        (done == events.len()).then_some(hash)
    }

    /// Simulated milliseconds since the epoch.
    pub fn elapsed(&self) -> u64 {
        self.sim().elapsed()
    }

    /// The end of the recorded run: the latest logged input or the current time.
    pub fn horizon(&self) -> u64 {
        self.recorded_until.max(self.elapsed())
    }

    /// Every input of the run, the recorded future included, time advances left out.
    pub fn log(&self) -> Vec<LoggedCommand> {
        self.recorder
            .scenario()
            .log
            .iter()
            .chain(self.future.iter())
            .filter(|e| !matches!(e.input, Input::Advance(_)))
            .map(LoggedCommand::of)
            .collect()
    }

    pub fn has_future(&self) -> bool {
        self.recorded_until > self.elapsed()
    }

    /// Latest registered revision of the playground's daemon task definition family.
    pub fn daemon_revision(&self) -> u32 {
        self.sim()
            .daemon_task_definitions()
            .filter(|d| d.family == DAEMON)
            .map(|d| d.revision)
            .max()
            .unwrap_or(0)
    }

    /// Tiles in launch order, ghosts included.
    pub fn tiles(&self) -> Vec<&Tile> {
        // Sorted as plain u64s, launch order in the high half and the tile's position in the low
        // half (a run launches far fewer than 2^32 tiles): orders are unique, so this is the order
        // sort_by_key gives, and it reuses the unstable u64 sort the engine compiles anyway instead
        // of a std sort of its own (smaller wasm) while staying as fast on 10,000 tiles.
        let unsorted: Vec<&Tile> = self.tiles.values().map(|t| &**t).collect();
        let mut keys: Vec<u64> =
            unsorted.iter().enumerate().map(|(i, t)| (t.order << 32) | i as u64).collect();
        keys.sort_unstable();
        keys.into_iter().map(|k| unsorted[(k & u64::from(u32::MAX)) as usize]).collect()
    }

    /// Tiles in no particular order (ghosts included): for readers that look at every tile once
    /// and need no launch order, without the sort [`Playground::tiles`] pays.
    pub fn tile_iter(&self) -> impl Iterator<Item = &Tile> {
        self.tiles.values().map(|t| &**t)
    }

    /// Plays a preset's fleet boot in one jump, up to where its story starts (its first step),
    /// when that step waits for the fleet: returns the simulated time skipped, if any.
    pub fn fast_forward_boot(&mut self) -> Option<u64> {
        let preset = self.preset?;
        let first = preset.steps.first()?;
        if first.when != super::presets::When::FleetReady {
            return None;
        }
        let start = self.elapsed();
        while self.preset_steps_done == 0 && !self.preset_finished() && self.elapsed() < start + 30 * MINUTE {
            self.advance_by(SAMPLE_EVERY_MS);
        }
        Some(self.elapsed() - start)
    }

    pub fn tile(&self, id: &str) -> Option<&Tile> {
        self.tiles.get(id).map(|t| &**t)
    }

    pub fn status_counts(&self) -> StatusCounts {
        self.derived(|d| &mut d.status_counts, || self.count_statuses())
    }

    fn count_statuses(&self) -> StatusCounts {
        let mut c = StatusCounts::default();
        for t in self.tiles.values().filter(|t| t.ghost_until.is_none()) {
            match t.view.status {
                "PROVISIONING" => c.provisioning += 1,
                "REGISTERING" => c.registering += 1,
                "ACTIVE" => c.active += 1,
                "DRAINING" => c.draining += 1,
                "DEREGISTERING" => c.deregistering += 1,
                _ => c.other += 1,
            }
        }
        c
    }

    /// Instances in scope of a deployment started now: N of the batch-size rule.
    pub fn instances_in_scope(&self) -> u32 {
        self.derived(|d| &mut d.instances_in_scope, || self.count_instances_in_scope())
    }

    fn count_instances_in_scope(&self) -> u32 {
        // The engine's rule: instances of the daemon's providers that can still take tasks.
        self.sim()
            .capacity_provider(CAPACITY_PROVIDER)
            .map(|cp| {
                cp.instances
                    .iter()
                    .filter_map(|k| self.sim().instance(*k))
                    .filter(|i| i.status.accepts_placement())
                    .count() as u32
            })
            .unwrap_or(0)
    }

    /// The batch size the engine would use at `drain_percent` for the current fleet.
    pub fn batch_size_for(&self, drain_percent: f64) -> u32 {
        batch_size(self.instances_in_scope(), drain_percent)
    }

    pub fn breaker_threshold(&self) -> u32 {
        circuit_breaker_threshold(self.instances_in_scope())
    }

    /// (running, desired) of the playground service; without it (a lesson's account), of every
    /// active service.
    pub fn app_counts(&self) -> (u32, u32) {
        self.derived(
            |d| &mut d.app_counts,
            || {
                let sim = self.sim();
                match sim.service(CLUSTER, SERVICE) {
                    Some(s) => (s.running_count, s.desired_count),
                    // A lesson's own account has its own services: count theirs.
                    None => sim
                        .clusters()
                        .flat_map(|c| sim.services(&c.name))
                        .filter(|s| s.status == ServiceStatus::Active)
                        .fold((0, 0), |(r, d), s| (r + s.running_count, d + s.desired_count)),
                }
            },
        )
    }

    /// The playground daemon's latest deployment (shared: read each frame by several panels).
    pub fn deployment(&self) -> Option<Rc<DeploymentSummary>> {
        self.derived(|d| &mut d.deployment, || self.summarize_deployment().map(Rc::new))
    }

    fn summarize_deployment(&self) -> Option<DeploymentSummary> {
        let daemon = self.sim().daemons().find(|d| d.name == DAEMON && d.cluster == CLUSTER)?;
        let dep = self.sim().daemon_deployments(daemon).into_iter().next()?;
        let revision_name = |key| {
            self.sim()
                .revision(key)
                .map(|r| r.daemon_task_definition.rsplit('/').next().unwrap_or("").to_string())
                .unwrap_or_default()
        };
        let batch = dep.batch_size.max(1);
        let batch_count = dep.instances_in_scope.div_ceil(batch);
        let batch_number =
            if dep.instances_in_scope == 0 { 0 } else { (dep.replaced / batch + 1).min(batch_count) };
        let revisions = self
            .sim()
            .current_revisions(daemon)
            .into_iter()
            .map(|r| (revision_name(r.revision), r.total_running, r.total_draining))
            .collect();
        Some(DeploymentSummary {
            id: dep.id.clone(),
            status: dep.status.as_str(),
            status_reason: dep.status_reason.clone(),
            target_revision: revision_name(dep.phase_target()),
            batch_size: dep.batch_size,
            batch_number,
            batch_count,
            instances_in_scope: dep.instances_in_scope,
            replaced: dep.replaced,
            draining: dep.draining.len() as u32,
            failure_count: dep.circuit_breaker.failure_count,
            threshold: dep.circuit_breaker.threshold,
            breaker_status: dep.circuit_breaker.status.as_str(),
            alarm_status: dep.alarms.status.as_str(),
            bake_remaining_ms: dep.bake_until.map(|u| u.saturating_sub(self.sim().now())),
            drain_percent: dep.config.drain_percent,
            revisions,
        })
    }

    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    pub fn events(&self) -> &[Event] {
        self.sim().events()
    }

    /// Events so far (what the log panel counts).
    pub fn event_count(&self) -> usize {
        self.sim().events().len()
    }

    /// EventBridge JSON of event `index` (oldest first), converted once and then shared: the same
    /// `Rc` on every read, so a row that shows it can tell by pointer that it has not changed.
    pub fn event_json(&self, index: usize) -> Option<Rc<Value>> {
        let event = self.sim().events().get(index)?;
        let mut cache = self.event_json.borrow_mut();
        if cache.len() <= index {
            cache.resize(index + 1, None);
        }
        Some(cache[index].get_or_insert_with(|| Rc::new(event.to_json())).clone())
    }

    // ----- inputs -----------------------------------------------------------------------------

    /// Runs an AWS action now through the recorder (so it is in the log); a refused action is
    /// reported and changes nothing. A new input drops any recorded future (the run forks here).
    fn call(&mut self, service: &str, action: &str, input: Value) -> bool {
        self.fork_here();
        match self.recorder_mut().call(service, action, &input) {
            Ok(_) => {
                self.last_error = None;
                true
            }
            Err(e) => {
                self.last_error = Some(format!("{service} {action}: {e}"));
                false
            }
        }
    }

    /// Runs a `sim` command (what AWS has no action for) through the recorder.
    fn sim_command(&mut self, words: &[&str]) -> bool {
        self.fork_here();
        let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        match self.recorder_mut().sim(&words) {
            Ok(_) => {
                self.last_error = None;
                true
            }
            Err(e) => {
                self.last_error = Some(format!("sim {}: {e}", words.join(" ")));
                false
            }
        }
    }

    /// Keeps the scenario file's knobs equal to the playground's, so that a shared or saved run
    /// restores them (they shape the next deployment, not the recorded past).
    fn record_knobs(&mut self) {
        let knobs = [
            (KNOB_INSTANCES, f64::from(self.scenario.instances)),
            (KNOB_DRAIN_PERCENT, self.drain_percent),
            (KNOB_BAKE_TIME, f64::from(self.bake_minutes)),
            (KNOB_DAEMON_CPU, f64::from(self.daemon_cpu)),
            (KNOB_DAEMON_MEMORY, f64::from(self.daemon_memory)),
        ];
        for (name, value) in knobs {
            // Out-of-range values were clamped by the setters; a refusal keeps the last value.
            let _ = self.recorder_mut().set_knob(name, value);
        }
    }

    /// Sets the speed (clamped to the slider's range) and records it as the run's view setting.
    pub fn set_speed(&mut self, speed: f64) {
        self.speed = speed.clamp(MIN_SPEED, MAX_SPEED);
        let view = run::ViewSettings { speed: self.speed, ..self.recorder.scenario().view.clone() };
        let _ = self.recorder_mut().set_view(view);
    }

    pub fn set_bake_minutes(&mut self, minutes: u32) {
        self.bake_minutes = minutes.min(crate::engine::MAX_BAKE_TIME_MINUTES);
        self.record_knobs();
    }

    pub fn set_daemon_size(&mut self, cpu: Option<u32>, memory: Option<u32>) {
        if let Some(cpu) = cpu {
            self.daemon_cpu = cpu;
        }
        if let Some(memory) = memory {
            self.daemon_memory = memory;
        }
        self.record_knobs();
    }

    /// Changes the service's desired count (the fleet follows through scale-out / scale-in).
    pub fn set_desired_count(&mut self, desired: u32) -> bool {
        let ok = self.call(
            "ecs",
            "UpdateService",
            json!({"cluster": CLUSTER, "service": SERVICE, "desiredCount": desired}),
        );
        self.refresh();
        ok
    }

    /// Sets drainPercent for the next deployment and, if one is running, for its next batch.
    pub fn set_drain_percent(&mut self, drain_percent: f64) {
        self.drain_percent = drain_percent.clamp(0.0, 100.0);
        self.record_knobs();
        if self.deployment().map(|d| !is_terminal(d.status)).unwrap_or(false) {
            let (daemon, percent) = (self.daemon_arn(), self.drain_percent.to_string());
            self.sim_command(&["deployment", "drain-percent", "--daemon", &daemon, "--percent", &percent]);
        }
    }

    /// Registers a new daemon task definition revision (with the cpu/memory knobs) and rolls it out
    /// with UpdateDaemon; the first call creates the daemon when the scenario has none yet.
    pub fn deploy_new_revision(&mut self) -> bool {
        if self.bad_image_armed {
            let image = self.next_image();
            self.sim_command(&["fault", "image-pull", "--image", &image]);
            self.bad_image_armed = false;
        }
        if !self.register_daemon_revision() {
            return false;
        }
        let exists = self.sim().daemons().any(|d| d.name == DAEMON && d.cluster == CLUSTER && !d.deleted);
        let ok = if exists {
            let config = self.deployment_configuration();
            self.call(
                "ecs",
                "UpdateDaemon",
                json!({"daemonArn": self.daemon_arn(),
                    "daemonTaskDefinitionArn": format!("{DAEMON}:{}", self.daemon_revision()),
                    "capacityProviderArns": [CAPACITY_PROVIDER], "deploymentConfiguration": config}),
            )
        } else {
            self.create_daemon()
        };
        self.refresh();
        ok
    }

    /// Fault: stops the instance's daemon task (a critical daemon ⇒ auto-repair).
    pub fn stop_daemon_task(&mut self, instance_id: &str) -> bool {
        let Some(task) = self.daemon_task_of(instance_id) else {
            self.last_error = Some(format!("{instance_id} has no daemon task to stop"));
            return false;
        };
        let ok = self.call(
            "ecs",
            "StopTask",
            json!({"cluster": CLUSTER, "task": task, "reason": "Stopped from the playground"}),
        );
        self.refresh();
        ok
    }

    /// Fault: the instance's daemon task turns unhealthy.
    pub fn make_daemon_unhealthy(&mut self, instance_id: &str) -> bool {
        let Some(task) = self.daemon_task_of(instance_id) else {
            self.last_error = Some(format!("{instance_id} has no daemon task"));
            return false;
        };
        let task = format!("{CLUSTER}/{task}");
        let ok = self.sim_command(&["fault", "unhealthy", "--task", &task]);
        self.refresh();
        ok
    }

    /// Fault: `ec2 terminate-instances` on the tile's EC2 instance.
    pub fn terminate_instance(&mut self, instance_id: &str) -> bool {
        let Some(ec2) = self.tiles.get(instance_id).map(|t| t.view.ec2_instance_id.clone()) else {
            return false;
        };
        let ok = self.call("ec2", "TerminateInstances", json!({"InstanceIds": [ec2]}));
        self.refresh();
        ok
    }

    /// Fault: the user sets the instance to DRAINING (UpdateContainerInstancesState).
    pub fn drain_instance(&mut self, instance_id: &str) -> bool {
        let ok = self.call(
            "ecs",
            "UpdateContainerInstancesState",
            json!({"cluster": CLUSTER, "containerInstances": [instance_id], "status": "DRAINING"}),
        );
        self.refresh();
        ok
    }

    pub fn set_launch_blocked(&mut self, blocked: bool) -> bool {
        let fault = if blocked { "capacity" } else { "capacity-clear" };
        let ok = self.sim_command(&["fault", fault, "--capacity-provider", CAPACITY_PROVIDER]);
        if ok {
            self.launch_blocked = blocked;
        }
        self.refresh();
        ok
    }

    /// The playground provider's `autoRepairConfiguration.actionsStatus == ENABLED`.
    pub fn auto_repair(&self) -> bool {
        self.sim().capacity_provider(CAPACITY_PROVIDER).map(|cp| cp.auto_repair).unwrap_or(true)
    }

    /// Instances the provider's auto repair leaves as they failed: (container instance id, the
    /// health record's reason). Empty while auto repair is ENABLED.
    pub fn repair_held(&self) -> Vec<(String, String)> {
        let sim = self.sim();
        // Walks the fleet only while auto repair is off (while on, no instance is held).
        let Some(cp) = sim.capacity_provider(CAPACITY_PROVIDER).filter(|cp| !cp.auto_repair) else {
            return Vec::new();
        };
        cp.instances
            .iter()
            .filter_map(|k| sim.instance(*k))
            .filter(|i| sim.repair_held(i))
            .map(|i| (i.id.clone(), i.health.status_reason.clone().unwrap_or_default()))
            .collect()
    }

    /// UpdateCapacityProvider with `autoRepairConfiguration.actionsStatus`, recorded like any
    /// action so that a shared or replayed run switches it at the same moment.
    pub fn set_auto_repair(&mut self, enabled: bool) -> bool {
        let account = self.recorder.api().arns().account.clone();
        let status = if enabled { "ENABLED" } else { "DISABLED" };
        let ok = self.call(
            "ecs",
            "UpdateCapacityProvider",
            json!({"name": CAPACITY_PROVIDER, "cluster": CLUSTER, "managedInstancesProvider": {
                "infrastructureRoleArn": format!("arn:aws:iam::{account}:role/{INFRASTRUCTURE_ROLE}"),
                "instanceLaunchTemplate": {},
                "autoRepairConfiguration": {"actionsStatus": status}
            }}),
        );
        self.refresh();
        ok
    }

    pub fn set_alarm(&mut self, in_alarm: bool) -> bool {
        let state = if in_alarm { "ALARM" } else { "OK" };
        let ok = self.call(
            "cloudwatch",
            "SetAlarmState",
            json!({"AlarmName": ALARM, "StateValue": state, "StateReason": "Set from the playground"}),
        );
        if ok {
            self.alarm_in_alarm = in_alarm;
        }
        self.refresh();
        ok
    }

    fn daemon_task_of(&self, instance_id: &str) -> Option<String> {
        let tile = self.tiles.get(instance_id)?;
        tile.view.daemon_tasks.iter().find_map(|d| d.task_id.clone())
    }

    // ----- console ----------------------------------------------------------------------------

    /// Starts running an AWS-CLI script against the simulated account, one command per step.
    /// A syntax error runs nothing and is reported with its line and column.
    pub fn start_script(&mut self, text: &str) -> bool {
        self.console.output.clear();
        self.console.text = text.to_string();
        self.console.after = None;
        self.fork_here();
        match self.recorder_mut().begin_script(text) {
            Ok(()) => {
                self.console.live = true;
                self.console.remaining = self.recorder.script_remaining();
                self.console.syntax_error = None;
                true
            }
            Err(e) => {
                self.console.live = false;
                self.console.syntax_error = Some(e.to_string());
                false
            }
        }
    }

    pub fn stop_script(&mut self) {
        self.console.live = false;
    }

    /// Simulated ms left of the `sleep` the live script is in: the frames play it out at the
    /// playground's speed, so the grid moves while the script waits.
    pub fn script_sleep_remaining_ms(&self) -> Option<u64> {
        if !self.console.live {
            return None;
        }
        self.recorder.script_sleep_remaining_ms()
    }

    /// The script line of the command running (or sleeping) now.
    pub fn script_line(&self) -> Option<usize> {
        self.console.live.then(|| self.recorder.script_line()).flatten()
    }

    /// Skip: the live script's `sleep` ends now (time jumps to its end). Returns whether it was
    /// sleeping.
    pub fn skip_sleep(&mut self) -> bool {
        match self.script_sleep_remaining_ms() {
            Some(ms) => {
                self.advance_to(self.elapsed() + ms);
                true
            }
            None => false,
        }
    }

    /// Runs the next command of the live script (a `sleep` still playing ends first; waiters
    /// move simulated time at once). Returns false when no script is running.
    pub fn script_step(&mut self) -> bool {
        if !self.console.live {
            return false;
        }
        self.skip_sleep();
        self.fork_here();
        match self.recorder_mut().step_script() {
            Some(record) => {
                self.console.output.push(record);
                self.recorded_until = self.recorded_until.max(self.elapsed());
            }
            None => self.console.live = false,
        }
        self.console.remaining = self.recorder.script_remaining();
        if self.console.remaining == 0 {
            self.console.live = false;
        }
        self.refresh();
        true
    }

    // ----- time -------------------------------------------------------------------------------

    /// One animation frame: `wall_ms` of wall time at the current speed. Returns whether anything
    /// visible changed.
    pub fn frame(&mut self, wall_ms: f64) -> bool {
        self.frame_within(wall_ms, &|| false)
    }

    /// [`Playground::frame`] that stops advancing when `out_of_time` says so (checked between
    /// slices of [`pace::SLICE_MS`]): the clock then falls behind the speed, and `pace` says by
    /// how much.
    pub fn frame_within(&mut self, wall_ms: f64, out_of_time: &dyn Fn() -> bool) -> bool {
        if !self.playing {
            return false;
        }
        // A running script advances by one command per frame unless it is in a `sleep`, which
        // plays out as time moves as usual.
        let stepped = self.script_sleep_remaining_ms().is_none() && self.script_step();
        let wall = wall_ms.clamp(0.0, MAX_FRAME_WALL_MS);
        let sim_ms = (wall * self.speed).round() as u64;
        if sim_ms == 0 {
            return stepped;
        }
        let start = self.elapsed();
        let target = start + sim_ms;
        let mut changed = stepped;
        loop {
            let before = self.elapsed();
            changed |= self.advance_to((before + pace::SLICE_MS).min(target));
            let now = self.elapsed();
            if now >= target || now == before || !self.playing || out_of_time() {
                break;
            }
        }
        self.pace.record(sim_ms, self.elapsed() - start);
        changed
    }

    /// Moves simulated time to `target` (ms since the epoch), applying recorded future inputs on
    /// the way. Returns whether anything visible changed.
    pub fn advance_to(&mut self, target: u64) -> bool {
        let before = (self.sim().events().len(), self.elapsed() / 1000);
        // Entries stay queued while the clock moves to them: a preset step counted on the way
        // applies its own recorded inputs first (see `run_preset`).
        while let Some(at) = self.future.front().map(|next| next.at_ms).filter(|&at| at <= target) {
            self.advance_sampled(at);
            self.move_clock_to(at);
            self.apply_due_inputs();
        }
        self.advance_sampled(target);
        self.recorded_until = self.recorded_until.max(self.elapsed());
        self.refresh();
        before != (self.sim().events().len(), self.elapsed() / 1000)
    }

    /// Applies the recorded inputs due by now.
    fn apply_due_inputs(&mut self) {
        let now = self.elapsed();
        while self.future.front().is_some_and(|next| next.at_ms <= now) {
            let Some(next) = self.future.pop_front() else { break };
            self.reapply(&next.input);
        }
    }

    /// Applies a recorded input again. It succeeded when recorded, and the run replayed to the
    /// same instant is the same, so it succeeds again.
    fn reapply(&mut self, input: &Input) {
        let recorder = self.recorder_mut();
        match input {
            Input::Call { service, action, input } => {
                let _ = recorder.call(service, action, input);
            }
            Input::Sim(words) => {
                let _ = recorder.sim(words);
            }
            Input::Script(text) => {
                recorder.script(text);
            }
            Input::ScriptBegin(text) => {
                let _ = recorder.begin_script(text);
            }
            Input::ScriptStep(count) => {
                for _ in 0..*count {
                    recorder.step_script();
                }
            }
            Input::Advance(_) => {}
        }
    }

    /// Moves the clock through the recorder, so that the log ends at the time reached.
    fn move_clock_to(&mut self, target: u64) {
        let now = self.elapsed();
        if target > now {
            self.recorder_mut().advance_by(target - now);
        }
    }

    /// Advances in sampling periods so the timeline has a point every [`SAMPLE_EVERY_MS`].
    fn advance_sampled(&mut self, target: u64) {
        loop {
            let last = self.samples.last().map(|s| s.at_ms);
            let next_sample = last.map(|l| l + SAMPLE_EVERY_MS).unwrap_or(0);
            if next_sample > target {
                break;
            }
            self.move_clock_to(next_sample);
            self.sample();
            if !self.preset_finished() {
                self.run_preset();
                if self.preset_finished() && !self.has_future() {
                    // The run ended here: the clock stops on the sample that ended it (a replay
                    // goes on to the inputs recorded after it).
                    return;
                }
            }
        }
        self.move_clock_to(target);
    }

    pub fn advance_by(&mut self, ms: u64) -> bool {
        self.advance_to(self.elapsed() + ms)
    }

    /// Processes the next due engine event (and any others due at the same instant).
    pub fn step_event(&mut self) -> bool {
        let epoch = self.sim().config().epoch_ms;
        let next_timer = self.sim().next_event_time().map(|t| t - epoch);
        let next_input = self.future.front().map(|c| c.at_ms);
        let target = match (next_timer, next_input) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => return false,
        };
        self.advance_to(target.max(self.elapsed()))
    }

    /// Seeks to `target` by deterministic replay: a fresh run from the seed (and setup script),
    /// the logged inputs applied again at their times. Later inputs stay as the future.
    pub fn seek(&mut self, target: u64) {
        if target >= self.elapsed() {
            self.advance_to(target);
            return;
        }
        let recorded = self.recorder.scenario();
        let base = RunScenario { log: Vec::new(), ..recorded.clone() };
        let Ok(fresh) = Recorder::new(base) else { return };
        let mut future: VecDeque<LogEntry> =
            recorded.log.iter().filter(|e| !matches!(e.input, Input::Advance(_))).cloned().collect();
        future.extend(self.future.drain(..));
        *self.recorder_mut() = fresh;
        self.future = future;
        // A script cannot continue from a rewound world: the replay re-runs what it ran.
        self.console.live = false;
        self.tiles.clear();
        self.ghosts_due_at = u64::MAX;
        self.next_order = 0;
        self.samples.clear();
        self.event_json.borrow_mut().clear();
        self.event_hash.set((FNV_OFFSET, 0));
        self.preset_steps_done = 0;
        self.preset_result = None;
        // Setup inputs sit at time 0: apply them before anything else.
        self.advance_to(target);
        self.restore_fault_flags();
    }

    /// Drops the recorded future: from here on the run diverges.
    pub fn fork_here(&mut self) {
        self.future.clear();
        self.recorded_until = self.elapsed();
    }

    fn restore_fault_flags(&mut self) {
        self.launch_blocked =
            self.sim().capacity_provider(CAPACITY_PROVIDER).map(|c| c.launch_blocked).unwrap_or(false);
        self.alarm_in_alarm = self.sim().alarm(ALARM).map(|a| a.state == AlarmState::Alarm).unwrap_or(false);
    }

    /// Replays the run from the seed to time zero of the scenario (the setup inputs kept, and a
    /// loaded run's setup script), drops everything after it and puts the knobs back.
    pub fn reset(&mut self) {
        self.seek(0);
        self.fork_here();
        let setup = self.scenario.clone();
        self.drain_percent = setup.drain_percent;
        self.bake_minutes = setup.bake_minutes;
        self.daemon_cpu = setup.daemon_cpu;
        self.daemon_memory = setup.daemon_memory;
        self.record_knobs();
        self.bad_image_armed = false;
        self.last_error = None;
        self.selected = None;
        self.console = Console::default();
        self.restore_fault_flags();
    }

    // ----- tiles and samples ------------------------------------------------------------------

    /// Patches the tiles from the engine's change set and drops expired ghosts.
    fn refresh(&mut self) {
        let changes = self.recorder_mut().take_changes();
        let now = self.elapsed();
        for view in changes.changed {
            match self.tiles.get_mut(&view.container_instance_id) {
                Some(tile) => {
                    if *tile.view != view {
                        tile.view = Rc::new(view);
                    }
                }
                None => {
                    let order = self.next_order;
                    self.next_order += 1;
                    let id = view.container_instance_id.clone();
                    self.tiles.insert(id, Box::new(Tile { order, view: Rc::new(view), ghost_until: None }));
                }
            }
        }
        for id in changes.removed {
            if let Some(tile) = self.tiles.get_mut(&id) {
                if tile.ghost_until.is_none() {
                    // A ghost shows what is gone, not its last chips: the same however the run
                    // got here (played, or replayed in one jump by a seek).
                    let sim = self.recorder.simulation();
                    let mut view = match sim.container_instance(&id) {
                        Some(instance) => sim.instance_view(instance),
                        None => (*tile.view).clone(),
                    };
                    view.status = "TERMINATED";
                    view.daemon_tasks.clear();
                    view.app_tasks.clear();
                    view.drain_cause = None;
                    tile.view = Rc::new(view);
                    tile.ghost_until = Some(now + GHOST_MS);
                    self.ghosts_due_at = self.ghosts_due_at.min(now + GHOST_MS);
                }
            }
        }
        if now >= self.ghosts_due_at {
            let mut next_due = u64::MAX;
            self.tiles.retain(|_, t| match t.ghost_until {
                Some(until) if until <= now => false,
                Some(until) => {
                    next_due = next_due.min(until);
                    true
                }
                None => true,
            });
            self.ghosts_due_at = next_due;
        }
        if self.selected.as_ref().map(|s| !self.tiles.contains_key(s)).unwrap_or(false) {
            self.selected = None;
        }
        // The status counts come from the tiles just patched.
        self.derived.take();
    }

    fn sample(&mut self) {
        let at_ms = self.elapsed();
        if self.samples.last().map(|s| s.at_ms >= at_ms).unwrap_or(false) {
            return;
        }
        let mut sample = Sample { at_ms, ..Sample::default() };
        for i in self.sim().container_instances(CLUSTER) {
            match i.status.as_str() {
                "REGISTERING" => sample.registering += 1,
                "ACTIVE" => sample.active += 1,
                "DRAINING" => sample.draining += 1,
                "DEREGISTERING" => sample.deregistering += 1,
                _ => {}
            }
        }
        let (running, desired) = self.app_counts();
        sample.app_running = running;
        sample.app_desired = desired;
        sample.deployment_phase = self
            .sim()
            .daemons()
            .find(|d| d.name == DAEMON)
            .and_then(|d| self.sim().daemon_deployments(d).into_iter().next())
            .filter(|d| d.is_active())
            .and_then(|d| DEPLOYMENT_PHASES.iter().position(|p| *p == d.status.as_str()))
            .map(|p| p as u8);
        self.samples.push(sample);
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
