//! The playground's state, free of Yew: it owns the [`Simulation`], the command log that makes a run
//! replayable (seed + commands with their simulated times), the clock controls, the knobs and the
//! tiles patched from the engine's change sets. Components only read it and send it verbs.
//!
//! The UI never decides what the fleet does: every button becomes an engine [`Command`], and what is
//! drawn comes from the engine's snapshots, change sets, queries and events.

use super::presets::{holds, Action, Preset};
use crate::api::Api;
use crate::cli::{CommandRecord, Interpreter, ScriptRun};
use crate::engine::command::{
    CreateCapacityProvider, CreateDaemon, CreateService, RegisterDaemonTaskDefinition,
    RegisterTaskDefinition, UpdateDaemon,
};
use crate::engine::{
    batch_size, circuit_breaker_threshold, Command, ContainerSpec, DeploymentConfig, Event, InstanceView,
    SimConfig, Simulation,
};
use serde_json::Value;
use std::collections::BTreeMap;
use std::rc::Rc;

pub const CLUSTER: &str = "playground";
pub const CAPACITY_PROVIDER: &str = "playground-mi";
pub const DAEMON: &str = "monitoring-agent";
pub const SERVICE: &str = "web";
pub const ALARM: &str = "daemon-errors";
const APP_FAMILY: &str = "web-app";
const AGENT_IMAGE: &str = "public.ecr.aws/cloudwatch-agent/cloudwatch-agent";
const APP_IMAGE: &str = "public.ecr.aws/docker/library/nginx:alpine";

/// Speeds on the log-scale slider.
pub const MIN_SPEED: f64 = 1.0;
pub const MAX_SPEED: f64 = 1000.0;
/// A drainPercent-25 rolling update of the default 8-instance fleet takes about 20 simulated
/// minutes (4 windows of ≈ 5 min, seed 002's 4:50 per instance): 20× shows it in about a minute.
pub const DEFAULT_SPEED: f64 = 20.0;
/// One wall frame never moves the clock by more than this much wall time (a background tab that
/// resumes must not jump hours ahead).
const MAX_FRAME_WALL_MS: f64 = 250.0;
/// Timeline sampling period, simulated milliseconds.
pub const SAMPLE_EVERY_MS: u64 = 5_000;
/// How long a terminated instance stays visible as a ghost, simulated milliseconds.
const GHOST_MS: u64 = 60_000;

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
            drain_percent: 25.0,
            bake_minutes: 0,
            daemon_cpu: 256,
            daemon_memory: 512,
            daemon_after_fleet: false,
            tasks_per_instance: 1,
            sidecar: false,
        }
    }
}

/// A command as the run log keeps it: when (simulated ms since the epoch) and what.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedCommand {
    pub at_ms: u64,
    pub action: Logged,
    /// Short human label (fault markers on the chart, the command list).
    pub label: String,
    pub is_fault: bool,
}

/// What a log entry replays.
#[derive(Debug, Clone, PartialEq)]
pub enum Logged {
    /// An engine command from a knob, a fault or a preset.
    Engine(Command),
    /// The next command of console script `run` (the scripts are kept in [`Console`]); replay
    /// steps a fresh interpreter through the same script at the same simulated times.
    Console { run: usize },
}

/// The console: the scripts run so far, the one running now, and what it printed.
#[derive(Default)]
pub struct Console {
    scripts: Vec<String>,
    live: Option<(usize, Interpreter, ScriptRun)>,
    /// Records of the current (or last) script, in order.
    pub output: Vec<CommandRecord>,
    pub syntax_error: Option<String>,
    /// Interpreters re-running logged scripts after a seek.
    replay: BTreeMap<usize, (Interpreter, ScriptRun)>,
}

impl Console {
    pub fn running(&self) -> bool {
        self.live.is_some()
    }
    pub fn remaining(&self) -> usize {
        self.live.as_ref().map(|(_, _, run)| run.remaining()).unwrap_or(0)
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
pub struct Playground {
    scenario: Scenario,
    /// The simulated account: the engine's simulation behind the AWS API the console talks to.
    api: Api,
    log: Vec<LoggedCommand>,
    /// Commands of `log` already applied to `sim`; the rest is the future a seek-back replays.
    applied: usize,
    pub speed: f64,
    pub playing: bool,
    pub selected: Option<String>,
    tiles: BTreeMap<String, Tile>,
    next_order: u64,
    samples: Vec<Sample>,
    /// Latest registered daemon task definition revision.
    daemon_revision: u32,
    /// Knobs for the next deployment (and, for drainPercent, the running one).
    pub drain_percent: f64,
    pub bake_minutes: u32,
    pub daemon_cpu: u32,
    pub daemon_memory: u32,
    /// "next revision's image fails to pull" armed.
    pub bad_image_armed: bool,
    pub launch_blocked: bool,
    pub alarm_in_alarm: bool,
    /// The last command the engine refused, as its error message.
    pub last_error: Option<String>,
    /// EventBridge JSON of every event so far, converted once.
    event_json: Vec<Rc<Value>>,
    /// The furthest simulated time this run has reached (the scrubber's right end).
    recorded_until: u64,
    preset: Option<&'static Preset>,
    /// Preset steps performed so far (their commands are in the log).
    preset_steps_done: usize,
    /// Set when the preset's run ended: its expectation checked against the simulation.
    pub preset_result: Option<Result<String, String>>,
    pub console: Console,
}

impl Playground {
    pub fn new(scenario: Scenario) -> Self {
        let mut playground = Playground {
            api: Api::new(SimConfig::with_seed(scenario.seed)),
            log: Vec::new(),
            applied: 0,
            speed: DEFAULT_SPEED,
            playing: true,
            selected: None,
            tiles: BTreeMap::new(),
            next_order: 0,
            samples: Vec::new(),
            daemon_revision: 0,
            drain_percent: scenario.drain_percent,
            bake_minutes: scenario.bake_minutes,
            daemon_cpu: scenario.daemon_cpu,
            daemon_memory: scenario.daemon_memory,
            bad_image_armed: false,
            launch_blocked: false,
            alarm_in_alarm: false,
            last_error: None,
            event_json: Vec::new(),
            recorded_until: 0,
            preset: None,
            preset_steps_done: 0,
            preset_result: None,
            console: Console::default(),
            scenario,
        };
        playground.build_scenario();
        playground
    }

    /// A playground running a preset: its fleet, then its steps as their conditions come true.
    pub fn with_preset(preset: &'static Preset) -> Self {
        let mut playground = Playground::new((preset.scenario)());
        playground.preset = Some(preset);
        playground
    }

    pub fn preset(&self) -> Option<&'static Preset> {
        self.preset
    }

    /// Whether the preset (if any) has played to its end.
    pub fn preset_finished(&self) -> bool {
        self.preset_result.is_some()
    }

    /// Performs the preset's due steps and ends the run when its end condition holds. Only on the
    /// live edge of the run: while a seek-back replays the log, the steps' commands come from it.
    fn run_preset(&mut self) {
        let Some(preset) = self.preset else { return };
        if self.preset_result.is_some() || self.has_future() {
            return;
        }
        self.refresh();
        while let Some(step) = preset.steps.get(self.preset_steps_done) {
            if !holds(self, step.when) {
                break;
            }
            self.preset_steps_done += 1;
            self.perform(step.action);
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

    fn build_scenario(&mut self) {
        let s = self.scenario.clone();
        self.command("create cluster", Command::CreateCluster { name: CLUSTER.into() });
        self.command(
            "create capacity provider",
            Command::CreateCapacityProvider(CreateCapacityProvider {
                name: CAPACITY_PROVIDER.into(),
                cluster: CLUSTER.into(),
                vcpu_min: 2,
                vcpu_max: 4,
                memory_min_mib: 4096,
                memory_max_mib: 8192,
                min_instances: None,
                max_instances: None,
                instance_profile_ready: true,
                scale_in_after_s: None,
            }),
        );
        self.command(
            "attach capacity provider",
            Command::PutClusterCapacityProviders {
                cluster: CLUSTER.into(),
                capacity_providers: vec![CAPACITY_PROVIDER.into()],
                default_strategy: vec![CAPACITY_PROVIDER.into()],
            },
        );
        self.command("create alarm", Command::PutMetricAlarm { name: ALARM.into() });
        self.register_daemon_revision();
        // 2 vCPU / 4 GiB instances: the daemon's 256/512 reserved first, the rest split between
        // `tasks_per_instance` app tasks.
        let per_instance = s.tasks_per_instance.max(1);
        let (app_cpu, app_memory) = (1536 / per_instance, 3072 / per_instance);
        self.command(
            "register app task definition",
            Command::RegisterTaskDefinition(RegisterTaskDefinition {
                family: APP_FAMILY.into(),
                cpu: Some(app_cpu + if s.sidecar { s.daemon_cpu } else { 0 }),
                memory: Some(app_memory + if s.sidecar { s.daemon_memory } else { 0 }),
                containers: if s.sidecar {
                    vec![container("web", APP_IMAGE), container("agent", &self.next_image())]
                } else {
                    vec![container("web", APP_IMAGE)]
                },
                document: Value::Null,
            }),
        );
        if !s.daemon_after_fleet && !s.sidecar {
            self.create_daemon();
        }
        self.command(
            "create service",
            Command::CreateService(CreateService {
                cluster: CLUSTER.into(),
                service_name: SERVICE.into(),
                task_definition: APP_FAMILY.into(),
                desired_count: s.instances * per_instance,
                capacity_provider: Some(CAPACITY_PROVIDER.into()),
                minimum_healthy_percent: None,
                maximum_percent: None,
            }),
        );
        self.refresh();
    }

    fn deployment_config(&self) -> DeploymentConfig {
        DeploymentConfig {
            drain_percent: self.drain_percent,
            bake_time_in_minutes: self.bake_minutes,
            alarm_names: vec![ALARM.into()],
            alarms_enabled: true,
        }
    }

    fn create_daemon(&mut self) -> bool {
        let config = self.deployment_config();
        self.command(
            "create daemon",
            Command::CreateDaemon(CreateDaemon {
                cluster: CLUSTER.into(),
                daemon_name: DAEMON.into(),
                daemon_task_definition: format!("{DAEMON}:{}", self.daemon_revision),
                capacity_providers: vec![CAPACITY_PROVIDER.into()],
                deployment_configuration: Some(config),
                tags: vec![],
                propagate_tags: None,
                enable_ecs_managed_tags: false,
                enable_execute_command: false,
                critical: None,
                client_token: None,
            }),
        )
    }

    fn next_image(&self) -> String {
        format!("{AGENT_IMAGE}:v{}", self.daemon_revision + 1)
    }

    fn register_daemon_revision(&mut self) -> bool {
        let image = self.next_image();
        let ok = self.command(
            "register daemon task definition",
            Command::RegisterDaemonTaskDefinition(RegisterDaemonTaskDefinition {
                family: DAEMON.into(),
                cpu: Some(self.daemon_cpu),
                memory: Some(self.daemon_memory),
                containers: vec![container("agent", &image)],
                document: Value::Null,
            }),
        );
        if ok {
            self.daemon_revision += 1;
        }
        ok
    }

    // ----- reading ----------------------------------------------------------------------------

    pub fn sim(&self) -> &Simulation {
        self.api.simulation()
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Simulated milliseconds since the epoch.
    pub fn elapsed(&self) -> u64 {
        self.api.simulation().elapsed()
    }

    /// The end of the recorded run: the latest logged command or the current time.
    pub fn horizon(&self) -> u64 {
        self.recorded_until.max(self.elapsed())
    }

    pub fn log(&self) -> &[LoggedCommand] {
        &self.log
    }

    pub fn has_future(&self) -> bool {
        self.recorded_until > self.elapsed()
    }

    pub fn daemon_revision(&self) -> u32 {
        self.daemon_revision
    }

    /// Tiles in launch order, ghosts included.
    pub fn tiles(&self) -> Vec<&Tile> {
        let mut tiles: Vec<&Tile> = self.tiles.values().collect();
        tiles.sort_by_key(|t| t.order);
        tiles
    }

    pub fn tile(&self, id: &str) -> Option<&Tile> {
        self.tiles.get(id)
    }

    pub fn status_counts(&self) -> StatusCounts {
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
        // The engine's rule: instances of the daemon's providers that can still take tasks.
        self.api
            .simulation()
            .capacity_provider(CAPACITY_PROVIDER)
            .map(|cp| {
                cp.instances
                    .iter()
                    .filter_map(|k| self.api.simulation().instance(*k))
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

    /// (running, desired) of the playground service.
    pub fn app_counts(&self) -> (u32, u32) {
        self.api
            .simulation()
            .service(CLUSTER, SERVICE)
            .map(|s| (s.running_count, s.desired_count))
            .unwrap_or((0, 0))
    }

    pub fn deployment(&self) -> Option<DeploymentSummary> {
        let daemon = self.api.simulation().daemons().find(|d| d.name == DAEMON && d.cluster == CLUSTER)?;
        let dep = self.api.simulation().daemon_deployments(daemon).into_iter().next()?;
        let revision_name = |key| {
            self.api
                .simulation()
                .revision(key)
                .map(|r| r.daemon_task_definition.rsplit('/').next().unwrap_or("").to_string())
                .unwrap_or_default()
        };
        let batch = dep.batch_size.max(1);
        let batch_count = dep.instances_in_scope.div_ceil(batch);
        let batch_number =
            if dep.instances_in_scope == 0 { 0 } else { (dep.replaced / batch + 1).min(batch_count) };
        let revisions = self
            .api
            .simulation()
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
            breaker_status: dep.circuit_breaker.status,
            alarm_status: dep.alarms.status,
            bake_remaining_ms: dep.bake_until.map(|u| u.saturating_sub(self.api.simulation().now())),
            drain_percent: dep.config.drain_percent,
            revisions,
        })
    }

    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    pub fn events(&self) -> &[Event] {
        self.api.simulation().events()
    }

    /// EventBridge JSON of every event, oldest first (for the log and its pattern filter).
    pub fn event_json(&self) -> &[Rc<Value>] {
        &self.event_json
    }

    // ----- commands ---------------------------------------------------------------------------

    /// Applies a command now and records it; a refused command is reported and changes nothing.
    /// A new command drops any replayable future (the run forks here).
    fn command(&mut self, label: &str, command: Command) -> bool {
        self.record(label, command, false)
    }

    fn fault(&mut self, label: &str, command: Command) -> bool {
        self.record(label, command, true)
    }

    fn record(&mut self, label: &str, command: Command, is_fault: bool) -> bool {
        self.fork_here();
        match self.api.simulation_mut().apply(command.clone()) {
            Ok(_) => {
                self.log.push(LoggedCommand {
                    at_ms: self.api.simulation().elapsed(),
                    action: Logged::Engine(command),
                    label: label.to_string(),
                    is_fault,
                });
                self.applied = self.log.len();
                self.last_error = None;
                true
            }
            Err(e) => {
                self.last_error = Some(format!("{label}: {e}"));
                false
            }
        }
    }

    /// Changes the service's desired count (the fleet follows through scale-out / scale-in).
    pub fn set_desired_count(&mut self, desired: u32) -> bool {
        let ok = self.command(
            &format!("desired count {desired}"),
            Command::UpdateService {
                cluster: CLUSTER.into(),
                service: SERVICE.into(),
                desired_count: Some(desired),
            },
        );
        self.refresh();
        ok
    }

    /// Sets drainPercent for the next deployment and, if one is running, for its next batch.
    pub fn set_drain_percent(&mut self, drain_percent: f64) {
        self.drain_percent = drain_percent.clamp(0.0, 100.0);
        if self.deployment().map(|d| !is_terminal(d.status)).unwrap_or(false) {
            self.command(
                &format!("drainPercent {}", self.drain_percent),
                Command::SetDeploymentDrainPercent {
                    daemon: format!("{CLUSTER}/{DAEMON}"),
                    drain_percent: self.drain_percent,
                },
            );
        }
    }

    /// Registers a new daemon task definition revision (with the cpu/memory knobs) and rolls it out
    /// with UpdateDaemon; the first call creates the daemon when the scenario has none yet.
    pub fn deploy_new_revision(&mut self) -> bool {
        if self.bad_image_armed {
            let image = self.next_image();
            self.fault("image fails to pull", Command::SetImageUnpullable { image, unpullable: true });
            self.bad_image_armed = false;
        }
        if !self.register_daemon_revision() {
            return false;
        }
        let exists =
            self.api.simulation().daemons().any(|d| d.name == DAEMON && d.cluster == CLUSTER && !d.deleted);
        let ok = if exists {
            let config = self.deployment_config();
            self.command(
                &format!("deploy {DAEMON}:{}", self.daemon_revision),
                Command::UpdateDaemon(UpdateDaemon {
                    daemon: format!("{CLUSTER}/{DAEMON}"),
                    daemon_task_definition: format!("{DAEMON}:{}", self.daemon_revision),
                    capacity_providers: vec![CAPACITY_PROVIDER.into()],
                    deployment_configuration: Some(config),
                    propagate_tags: None,
                    enable_ecs_managed_tags: false,
                    enable_execute_command: false,
                    critical: None,
                }),
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
        let ok = self.fault(
            &format!("stop daemon on {instance_id}"),
            Command::StopTask {
                cluster: CLUSTER.into(),
                task,
                reason: Some("Stopped from the playground".into()),
            },
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
        let ok =
            self.fault(&format!("unhealthy daemon on {instance_id}"), Command::MakeTaskUnhealthy { task });
        self.refresh();
        ok
    }

    /// Fault: `ec2 terminate-instances` on the tile's EC2 instance.
    pub fn terminate_instance(&mut self, instance_id: &str) -> bool {
        let Some(ec2) = self.tiles.get(instance_id).map(|t| t.view.ec2_instance_id.clone()) else {
            return false;
        };
        let ok =
            self.fault(&format!("terminate {ec2}"), Command::TerminateInstances { instance_ids: vec![ec2] });
        self.refresh();
        ok
    }

    pub fn set_launch_blocked(&mut self, blocked: bool) -> bool {
        let ok = self.fault(
            if blocked { "capacity provider cannot launch" } else { "capacity provider launches again" },
            Command::SetLaunchBlocked { capacity_provider: CAPACITY_PROVIDER.into(), blocked },
        );
        if ok {
            self.launch_blocked = blocked;
        }
        self.refresh();
        ok
    }

    pub fn set_alarm(&mut self, in_alarm: bool) -> bool {
        let state = if in_alarm { "ALARM" } else { "OK" };
        let ok = self.fault(
            &format!("alarm {state}"),
            Command::SetAlarmState {
                name: ALARM.into(),
                state: state.into(),
                reason: "Set from the playground".into(),
            },
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
        match ScriptRun::new(text) {
            Ok(run) => {
                let id = self.console.scripts.len();
                self.console.scripts.push(text.to_string());
                self.console.live = Some((id, Interpreter::new(), run));
                self.console.syntax_error = None;
                true
            }
            Err(e) => {
                self.console.live = None;
                self.console.syntax_error = Some(e.to_string());
                false
            }
        }
    }

    pub fn stop_script(&mut self) {
        self.console.live = None;
    }

    /// Runs the next command of the live script (its `sleep` and waiters move simulated time).
    /// Returns false when no script is running.
    pub fn script_step(&mut self) -> bool {
        if self.console.live.is_none() {
            return false;
        }
        self.fork_here();
        let at_ms = self.elapsed();
        let Some((id, interpreter, run)) = self.console.live.as_mut() else { return false };
        let id = *id;
        let record = run.step(interpreter, &mut self.api).cloned();
        let done = run.remaining() == 0;
        match record {
            Some(record) => {
                let label = record.command.lines().next().unwrap_or("").chars().take(60).collect::<String>();
                self.console.output.push(record);
                self.log.push(LoggedCommand {
                    at_ms,
                    action: Logged::Console { run: id },
                    label,
                    is_fault: false,
                });
                self.applied = self.log.len();
                self.recorded_until = self.recorded_until.max(self.elapsed());
            }
            None => self.console.live = None,
        }
        if done {
            self.console.live = None;
        }
        self.refresh();
        true
    }

    // ----- time -------------------------------------------------------------------------------

    /// One animation frame: `wall_ms` of wall time at the current speed. Returns whether anything
    /// visible changed.
    pub fn frame(&mut self, wall_ms: f64) -> bool {
        if !self.playing {
            return false;
        }
        // A running script advances by one command per frame, then time moves as usual.
        let stepped = self.script_step();
        let wall = wall_ms.clamp(0.0, MAX_FRAME_WALL_MS);
        let sim_ms = (wall * self.speed).round() as u64;
        if sim_ms == 0 {
            return stepped;
        }
        self.advance_to(self.elapsed() + sim_ms) || stepped
    }

    /// Moves simulated time to `target` (ms since the epoch), replaying logged future commands on
    /// the way. Returns whether anything visible changed.
    pub fn advance_to(&mut self, target: u64) -> bool {
        let before = (self.api.simulation().events().len(), self.elapsed() / 1000);
        while let Some(next) = self.log.get(self.applied) {
            if next.at_ms > target {
                break;
            }
            let (at, action) = (next.at_ms, next.action.clone());
            self.advance_sampled(at);
            match action {
                // A logged command succeeded when recorded; the same state accepts it again.
                Logged::Engine(command) => {
                    let _ = self.api.simulation_mut().apply(command);
                }
                Logged::Console { run } => {
                    let console = &mut self.console;
                    if !console.replay.contains_key(&run) {
                        let Some(parsed) =
                            console.scripts.get(run).and_then(|text| ScriptRun::new(text).ok())
                        else {
                            self.applied += 1;
                            continue;
                        };
                        console.replay.insert(run, (Interpreter::new(), parsed));
                    }
                    if let Some((interpreter, script)) = console.replay.get_mut(&run) {
                        script.step(interpreter, &mut self.api);
                    }
                }
            }
            self.applied += 1;
        }
        self.advance_sampled(target);
        self.recorded_until = self.recorded_until.max(self.elapsed());
        self.refresh();
        before != (self.api.simulation().events().len(), self.elapsed() / 1000)
    }

    /// Advances in sampling periods so the timeline has a point every [`SAMPLE_EVERY_MS`].
    fn advance_sampled(&mut self, target: u64) {
        let epoch = self.api.simulation().config().epoch_ms;
        loop {
            let last = self.samples.last().map(|s| s.at_ms);
            let next_sample = last.map(|l| l + SAMPLE_EVERY_MS).unwrap_or(0);
            if next_sample > target {
                break;
            }
            self.api.simulation_mut().advance(epoch + next_sample);
            self.sample();
            if !self.preset_finished() {
                self.run_preset();
                if self.preset_finished() {
                    // The run ended here: the clock stops on the sample that ended it.
                    return;
                }
            }
        }
        self.api.simulation_mut().advance(epoch + target);
    }

    pub fn advance_by(&mut self, ms: u64) -> bool {
        self.advance_to(self.elapsed() + ms)
    }

    /// Processes the next due engine event (and any others due at the same instant).
    pub fn step_event(&mut self) -> bool {
        let epoch = self.api.simulation().config().epoch_ms;
        let next_timer = self.api.simulation().next_event_time().map(|t| t - epoch);
        let next_command = self.log.get(self.applied).map(|c| c.at_ms);
        let target = match (next_timer, next_command) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => return false,
        };
        self.advance_to(target.max(self.elapsed()))
    }

    /// Seeks to `target` by deterministic replay: a fresh simulation from the seed, the logged
    /// commands re-applied at their times. Later commands stay in the log as the future.
    pub fn seek(&mut self, target: u64) {
        if target >= self.elapsed() {
            self.advance_to(target);
            return;
        }
        self.api = Api::new(SimConfig::with_seed(self.scenario.seed));
        self.applied = 0;
        // A script cannot continue from a rewound world: the replay re-runs what it ran.
        self.console.live = None;
        self.console.replay.clear();
        self.tiles.clear();
        self.next_order = 0;
        self.samples.clear();
        self.event_json.clear();
        // Setup commands sit at time 0: apply them before anything else.
        self.advance_to(target);
        self.restore_fault_flags();
    }

    /// Drops the recorded future: from here on the run diverges.
    pub fn fork_here(&mut self) {
        self.log.truncate(self.applied);
        self.recorded_until = self.elapsed();
    }

    fn restore_fault_flags(&mut self) {
        self.launch_blocked = self
            .api
            .simulation()
            .capacity_provider(CAPACITY_PROVIDER)
            .map(|c| c.launch_blocked)
            .unwrap_or(false);
        self.alarm_in_alarm = self.api.simulation().alarm(ALARM).map(|a| a.state == "ALARM").unwrap_or(false);
        self.daemon_revision = self
            .api
            .simulation()
            .daemon_task_definitions()
            .filter(|d| d.family == DAEMON)
            .map(|d| d.revision)
            .max()
            .unwrap_or(0);
    }

    /// Replays the run from the seed to time zero of the scenario (the log's setup commands kept).
    pub fn reset(&mut self) {
        let speed = self.speed;
        *self = match self.preset {
            Some(preset) => Playground::with_preset(preset),
            None => Playground::new(self.scenario.clone()),
        };
        self.speed = speed;
    }

    // ----- tiles and samples ------------------------------------------------------------------

    /// Patches the tiles from the engine's change set and drops expired ghosts.
    fn refresh(&mut self) {
        let changes = self.api.simulation_mut().take_changes();
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
                    self.tiles.insert(id, Tile { order, view: Rc::new(view), ghost_until: None });
                }
            }
        }
        for id in changes.removed {
            if let Some(tile) = self.tiles.get_mut(&id) {
                if tile.ghost_until.is_none() {
                    // A ghost shows what is gone, not its last chips: the same however the run
                    // got here (played, or replayed in one jump by a seek).
                    let mut view = match self.api.simulation().container_instance(&id) {
                        Some(instance) => self.api.simulation().instance_view(instance),
                        None => (*tile.view).clone(),
                    };
                    view.status = "TERMINATED";
                    view.daemon_tasks.clear();
                    view.app_tasks.clear();
                    view.drain_cause = None;
                    tile.view = Rc::new(view);
                    tile.ghost_until = Some(now + GHOST_MS);
                }
            }
        }
        self.tiles.retain(|_, t| t.ghost_until.map(|u| u > now).unwrap_or(true));
        if self.selected.as_ref().map(|s| !self.tiles.contains_key(s)).unwrap_or(false) {
            self.selected = None;
        }
        let known = self.event_json.len();
        let events = self.api.simulation().events();
        if events.len() > known {
            let fresh: Vec<Rc<Value>> = events[known..].iter().map(|e| Rc::new(e.to_json())).collect();
            self.event_json.extend(fresh);
        }
    }

    fn sample(&mut self) {
        let at_ms = self.elapsed();
        if self.samples.last().map(|s| s.at_ms >= at_ms).unwrap_or(false) {
            return;
        }
        let mut sample = Sample { at_ms, ..Sample::default() };
        for i in self.api.simulation().container_instances(CLUSTER) {
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
            .api
            .simulation()
            .daemons()
            .find(|d| d.name == DAEMON)
            .and_then(|d| self.api.simulation().daemon_deployments(d).into_iter().next())
            .filter(|d| d.is_active())
            .and_then(|d| DEPLOYMENT_PHASES.iter().position(|p| *p == d.status.as_str()))
            .map(|p| p as u8);
        self.samples.push(sample);
    }
}

fn is_terminal(status: &str) -> bool {
    matches!(status, "SUCCESSFUL" | "STOPPED" | "ROLLBACK_SUCCESSFUL" | "ROLLBACK_FAILED")
}

fn container(name: &str, image: &str) -> ContainerSpec {
    ContainerSpec {
        name: name.into(),
        image: image.into(),
        essential: true,
        cpu: None,
        memory: None,
        memory_reservation: None,
        health_check: None,
    }
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

use crate::api::scenario::{Scenario as ApiScenario, ScenarioError};

impl Playground {
    /// Replaces the run with `scenario`'s, the one entry point the lessons panel uses to start a
    /// lesson: a fresh simulation from its seed with its setup script run through the console, so
    /// that seeking back replays it. On a refusal the current run is left as it was.
    ///
    /// This model has no [`crate::api::scenario::Recorder`] yet, so it loads what a lesson needs
    /// (seed and setup script) and refuses a scenario that also carries a log, a preset, knobs or
    /// non-default account options rather than load it partly.
    pub fn load_scenario(&mut self, scenario: ApiScenario) -> Result<(), ScenarioError> {
        let refuse = |what: &str| {
            Err(ScenarioError::new(
                "InvalidParameterException",
                format!(
                    "the playground cannot load a scenario with {what} yet: only a seed and a setup script"
                ),
            ))
        };
        if !scenario.log.is_empty() {
            return refuse("a log");
        }
        if scenario.preset.is_some() || !scenario.knobs.is_empty() {
            return refuse("a preset or knobs");
        }
        if scenario.sim_config() != SimConfig::with_seed(scenario.seed) {
            return refuse("account options other than the defaults");
        }
        let view = Scenario { seed: scenario.seed, instances: 0, ..Scenario::default() };
        let mut run = Playground {
            api: Api::new(SimConfig::with_seed(scenario.seed)),
            log: Vec::new(),
            applied: 0,
            speed: self.speed,
            playing: self.playing,
            selected: None,
            tiles: BTreeMap::new(),
            next_order: 0,
            samples: Vec::new(),
            daemon_revision: 0,
            drain_percent: view.drain_percent,
            bake_minutes: view.bake_minutes,
            daemon_cpu: view.daemon_cpu,
            daemon_memory: view.daemon_memory,
            bad_image_armed: false,
            launch_blocked: false,
            alarm_in_alarm: false,
            last_error: None,
            event_json: Vec::new(),
            recorded_until: 0,
            preset: None,
            preset_steps_done: 0,
            preset_result: None,
            console: Console::default(),
            scenario: view,
        };
        if let Some(script) = &scenario.script {
            if !run.start_script(script) {
                let why = run.console.syntax_error.take().unwrap_or_default();
                return Err(ScenarioError::new("InvalidParameterException", format!("script: {why}")));
            }
            while run.script_step() {}
        }
        run.refresh();
        *self = run;
        Ok(())
    }
}
