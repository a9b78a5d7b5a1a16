//! The simulation: the clock, the RNG, the records and the small owners that keep their own
//! invariants — the fleet and its placement index (`Fleet`), the tasks (`Tasks`), the
//! deployments and their active set (`Deployments`), the event log (`EventLog`) and the timer
//! queue (`TimerQueue`). Commands are applied in `commands/`, lifecycles run in `scheduler/`,
//! deployments in `deploy.rs`; every stage delay goes through `Simulation::schedule_stage`.

use super::arn::ArnScope;
use super::command::{Command, Outcome};
use super::deployments::Deployments;
use super::error::EngineError;
use super::event::{
    DeploymentDetail, Event, EventKind, HealthDetail, InstanceDetail, ServiceActionDetail, TaskDetail,
};
use super::event_log::EventLog;
use super::fleet::Fleet;
use super::lifecycle::{LifecycleTable, Stage};
use super::model::*;
use super::rng::Rng;
use super::slab::KeyQueue;
use super::tasks::Tasks;
use super::time::DEFAULT_EPOCH_MS;
pub(crate) use super::timers::Timer;
use super::timers::{Entry, TimerQueue};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// How a simulation starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimConfig {
    /// The seed of the one RNG: the same seed and the same inputs give the same event log.
    pub seed: u64,
    /// Simulated time zero, in Unix epoch milliseconds.
    pub epoch_ms: u64,
    /// The 12-digit AWS account id that ARNs and events carry.
    pub account_id: String,
    /// The AWS region that ARNs and events carry, e.g. `us-east-1`.
    pub region: String,
    /// The delay and jitter of every timed stage (the calibrated defaults, or a scenario's).
    pub lifecycle: LifecycleTable,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 0,
            epoch_ms: DEFAULT_EPOCH_MS,
            account_id: "123456789012".into(),
            region: "us-east-1".into(),
            lifecycle: LifecycleTable::default(),
        }
    }
}

impl SimConfig {
    /// The default account, region, epoch and lifecycle table with `seed`.
    pub fn with_seed(seed: u64) -> Self {
        SimConfig { seed, ..Self::default() }
    }
}

/// The deterministic simulation of one AWS account/region.
#[derive(Debug, Clone)]
pub struct Simulation {
    pub(crate) config: SimConfig,
    pub(crate) scope: ArnScope,
    /// Simulated milliseconds since `config.epoch_ms`.
    pub(crate) now: u64,
    pub(crate) rng: Rng,
    pub(crate) timers: TimerQueue,
    pub(crate) log: EventLog,
    pub(crate) processed: u64,
    pub(crate) next_key: u64,

    // The record maps hold boxed values: every `BTreeMap<K, Box<_>>` with the same key type has one
    // node layout, so the wasm bundle carries one copy of the B-tree code per key type instead of one
    // per record type (release wasm size). These maps are looked up a few times per timer at most, not walked
    // per instance: the extra pointer costs the engine bench +0.6% instructions.
    pub(crate) clusters: BTreeMap<String, Box<Cluster>>,
    pub(crate) capacity_providers: BTreeMap<String, Box<CapacityProvider>>,
    pub(crate) fleet: Fleet,
    pub(crate) daemon_task_definitions: BTreeMap<(String, u32), Box<DaemonTaskDefinition>>,
    pub(crate) task_definitions: BTreeMap<(String, u32), Box<TaskDefinition>>,
    pub(crate) daemons: BTreeMap<DaemonKey, Box<Daemon>>,
    pub(crate) daemon_by_name: BTreeMap<(String, String), DaemonKey>,
    pub(crate) revisions: BTreeMap<RevisionKey, Box<DaemonRevision>>,
    pub(crate) deployments: Deployments,
    pub(crate) services: BTreeMap<ServiceKey, Box<Service>>,
    pub(crate) service_by_name: BTreeMap<(String, String), ServiceKey>,
    pub(crate) tasks: Tasks,
    pub(crate) alarms: BTreeMap<String, Box<Alarm>>,
    pub(crate) unpullable_images: BTreeSet<String>,
    pub(crate) client_tokens: BTreeMap<String, Box<(super::command::CreateDaemon, Outcome)>>,

    /// Per capacity provider: services that could not be placed (no capacity, no launch).
    pub(crate) starving: BTreeMap<String, BTreeSet<ServiceKey>>,
    /// Services to reconcile before the current step ends.
    pub(crate) hungry: KeyQueue,
}

impl Simulation {
    /// An empty account (no cluster, no instance) at simulated time zero.
    pub fn new(config: SimConfig) -> Self {
        let scope = ArnScope { region: config.region.clone(), account: config.account_id.clone() };
        Simulation {
            log: EventLog::new(config.seed, &config.account_id, &config.region),
            rng: Rng::new(config.seed),
            scope,
            config,
            now: 0,
            timers: TimerQueue::default(),
            processed: 0,
            next_key: 1,
            clusters: BTreeMap::new(),
            capacity_providers: BTreeMap::new(),
            fleet: Fleet::new(),
            daemon_task_definitions: BTreeMap::new(),
            task_definitions: BTreeMap::new(),
            daemons: BTreeMap::new(),
            daemon_by_name: BTreeMap::new(),
            revisions: BTreeMap::new(),
            deployments: Deployments::default(),
            services: BTreeMap::new(),
            service_by_name: BTreeMap::new(),
            tasks: Tasks::new(),
            alarms: BTreeMap::new(),
            unpullable_images: BTreeSet::new(),
            client_tokens: BTreeMap::new(),
            starving: BTreeMap::new(),
            hungry: KeyQueue::new(),
        }
    }

    // ----- clock -------------------------------------------------------------------------------

    /// Simulated milliseconds since the configured epoch.
    pub fn elapsed(&self) -> u64 {
        self.now
    }

    /// The simulated wall-clock instant, in Unix epoch milliseconds (what timestamps carry).
    pub fn now(&self) -> u64 {
        self.config.epoch_ms + self.now
    }

    /// How this simulation was started.
    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// The lifecycle table in force: what each timed stage waits, for viewers to show.
    pub fn lifecycle(&self) -> &LifecycleTable {
        &self.config.lifecycle
    }

    /// Unix-epoch time of the next due timer, if any.
    pub fn next_event_time(&self) -> Option<u64> {
        self.timers.peek_time().map(|time| self.config.epoch_ms + time)
    }

    /// Number of timers processed so far (stale ones included).
    pub fn processed_timers(&self) -> u64 {
        self.processed
    }

    /// Number of timers waiting.
    pub fn queue_len(&self) -> usize {
        self.timers.len()
    }

    /// Processes the next due timer; false when the queue is empty.
    pub fn step(&mut self) -> bool {
        let Some((time, timer)) = self.timers.pop() else {
            return false;
        };
        if time > self.now {
            self.now = time;
        }
        self.processed += 1;
        self.fire(timer);
        self.settle();
        true
    }

    /// Processes every timer due up to `until_ms` (Unix epoch ms, like `now()`), then sets the clock
    /// to `until_ms`. A time in the past does nothing.
    pub fn advance(&mut self, until_ms: u64) {
        let until = until_ms.saturating_sub(self.config.epoch_ms);
        while let Some(time) = self.timers.peek_time() {
            if time > until {
                break;
            }
            self.step();
        }
        if until > self.now {
            self.now = until;
        }
    }

    /// `advance(now() + ms)`.
    pub fn advance_by(&mut self, ms: u64) {
        self.advance(self.now() + ms);
    }

    /// Applies one command atomically: on error nothing changed (not even the RNG).
    pub fn apply(&mut self, command: Command) -> Result<Outcome, EngineError> {
        let outcome = self.apply_command(command)?;
        self.settle();
        Ok(outcome)
    }

    // ----- events ------------------------------------------------------------------------------

    /// Every EventBridge event so far, oldest first.
    pub fn events(&self) -> &[Event] {
        self.log.retained()
    }

    /// Events from index `from` on (a viewer remembers how many it has read).
    pub fn events_since(&self, from: usize) -> &[Event] {
        let events = self.log.retained();
        &events[from.min(events.len())..]
    }

    /// Moves the retained log out, for long runs that stream events elsewhere (benchmarks, the
    /// CLI's `--events` file). Later `events()` / `event_log_hash()` cover only what is retained.
    pub fn drain_events(&mut self) -> Vec<Event> {
        self.log.drain()
    }

    /// Number of events emitted since the start (drained ones included).
    pub fn event_count(&self) -> u64 {
        self.log.count()
    }

    /// Size in bytes of one timer-queue record (for benchmarks comparing against a raw heap).
    pub fn queue_entry_size() -> usize {
        std::mem::size_of::<Entry>()
    }

    /// FNV-1a over the serialized event log: equal hashes mean byte-identical logs.
    pub fn event_log_hash(&self) -> u64 {
        self.log.hash()
    }

    // ----- internals shared by the other modules ------------------------------------------------

    pub(crate) fn key(&mut self) -> u64 {
        let k = self.next_key;
        self.next_key += 1;
        k
    }

    pub(crate) fn at(&self) -> u64 {
        self.config.epoch_ms + self.now
    }

    pub(crate) fn schedule_in(&mut self, delay: u64, timer: Timer) {
        self.timers.schedule_at(self.now + delay, timer);
    }

    /// The one stage handler: every lifecycle delay is the stage's row in the table, jittered.
    /// Returns when the timer fires (simulated ms).
    #[inline]
    pub(crate) fn schedule_stage(&mut self, stage: Stage, timer: Timer) -> u64 {
        self.schedule_stage_after(stage, None, timer)
    }

    /// [`Self::schedule_stage`] with the row's delay replaced by `delay` when given (a capacity
    /// provider's own idle time before scale-in); the row's jitter still applies.
    #[inline]
    pub(crate) fn schedule_stage_after(&mut self, stage: Stage, delay: Option<u64>, timer: Timer) -> u64 {
        let t = self.config.lifecycle.timing(stage);
        let delay = self.rng.jittered(delay.unwrap_or(t.delay_ms), t.jitter_ms);
        self.schedule_in(delay, timer);
        self.now + delay
    }

    #[inline(always)]
    fn push_event(&mut self, kind: EventKind) {
        let at = self.at();
        self.log.push(at, kind);
    }

    /// The shared copy of a capacity provider's name as events carry it.
    pub(crate) fn event_name(&mut self, name: &str) -> Arc<str> {
        self.log.name(name)
    }

    pub(crate) fn cluster_arn(&self, cluster: &str) -> Arc<str> {
        self.clusters
            .get(cluster)
            .map(|c| c.arn.clone())
            .unwrap_or_else(|| Arc::from(self.scope.cluster(cluster)))
    }

    pub(crate) fn emit_task(&mut self, key: TaskKey) {
        let Some(t) = self.tasks.get(&key) else { return };
        let detail = TaskDetail {
            cluster_arn: t.cluster_arn.clone(),
            task_arn: t.arn.clone(),
            container_instance_arn: t.container_instance_arn.clone(),
            capacity_provider_name: t.capacity_provider_name.clone(),
            group: t.group.clone(),
            started_by: t.started_by.clone(),
            task_definition_arn: t.task_definition.clone(),
            last_status: t.last_status.as_str(),
            desired_status: t.desired_status.as_str(),
            health_status: t.health_status.as_str(),
            cpu: t.cpu,
            memory: t.memory,
            created_at: t.created_at,
            started_at: t.started_at,
            stopping_at: t.stopping_at,
            stopped_at: t.stopped_at,
            stop_code: t.stop_code,
            stopped_reason: t.stopped_reason.clone(),
            version: t.version,
            updated_at: self.at(),
        };
        let instance = t.instance;
        self.fleet.mark_dirty(instance);
        self.push_event(EventKind::TaskStateChange(detail));
    }

    /// Tasks on the instance the agent knows about (past PROVISIONING) and wants running, and
    /// those of them not yet RUNNING. Our reading of the measured run, where AWS is silent: its
    /// "REGISTERING (1 task)" counts the daemon task
    /// before it runs, so runningTasksCount counts desired-RUNNING tasks the agent holds.
    pub fn instance_task_counts(&self, instance: &ContainerInstance) -> (u32, u32) {
        let mut running = 0;
        let mut pending = 0;
        for key in &instance.tasks {
            if let Some(t) = self.tasks.get(key) {
                if t.is_live() && t.last_status != TaskStatus::Provisioning {
                    running += 1;
                    if t.last_status < TaskStatus::Running {
                        pending += 1;
                    }
                }
            }
        }
        (running, pending)
    }

    pub(crate) fn emit_instance(&mut self, key: InstanceKey, status_reason: Option<&'static str>) {
        let Some(i) = self.fleet.get(&key) else { return };
        let (running, pending) = self.instance_task_counts(i);
        let detail = InstanceDetail {
            cluster_arn: i.cluster_arn.clone(),
            container_instance_arn: i.arn.clone(),
            ec2_instance_id: i.ec2_instance_id.clone(),
            capacity_provider_name: i.capacity_provider_name.clone(),
            status: i.status.as_str(),
            status_reason,
            registered_cpu: i.registered_cpu,
            registered_memory: i.registered_memory,
            remaining_cpu: i.remaining_cpu,
            remaining_memory: i.remaining_memory,
            running_tasks_count: running,
            pending_tasks_count: pending,
            version: i.version,
            registered_at: i.registered_at,
            updated_at: self.at(),
        };
        self.fleet.mark_dirty(key);
        self.push_event(EventKind::ContainerInstanceStateChange(detail));
    }

    pub(crate) fn emit_health(&mut self, key: InstanceKey) {
        let Some(i) = self.fleet.get(&key) else { return };
        let detail = HealthDetail {
            cluster_arn: i.cluster_arn.clone(),
            container_instance_arn: i.arn.clone(),
            capacity_provider_name: i.capacity_provider_name.clone(),
            ec2_instance_id: i.ec2_instance_id.clone(),
            health: i.health.clone(),
        };
        self.fleet.mark_dirty(key);
        self.push_event(EventKind::ContainerInstanceHealthChange(detail));
    }

    pub(crate) fn emit_service_action(
        &mut self,
        instance: InstanceKey,
        daemon: DaemonKey,
        revision: RevisionKey,
        task: Option<TaskKey>,
        failure_type: &'static str,
        reason: String,
    ) {
        let (Some(i), Some(d), Some(r)) =
            (self.fleet.get(&instance), self.daemons.get(&daemon), self.revisions.get(&revision))
        else {
            return;
        };
        let task_arn = task.and_then(|t| self.tasks.get(&t)).map(|t| t.arn.clone());
        let created_at = task.and_then(|t| self.tasks.get(&t)).map(|t| t.created_at).unwrap_or(self.at());
        let detail = ServiceActionDetail {
            cluster_arn: i.cluster_arn.clone(),
            container_instance_arn: i.arn.clone(),
            task_arn,
            daemon_revision_arn: r.arn.clone(),
            capacity_provider_name: i.capacity_provider_name.clone(),
            daemon_arn: d.arn.clone(),
            daemon_task_definition_arn: r.daemon_task_definition.clone(),
            failure_type,
            created_at,
            reason,
        };
        self.fleet.mark_dirty(instance);
        self.push_event(EventKind::DaemonServiceAction(detail));
    }

    pub(crate) fn emit_deployment(&mut self, key: DeploymentKey) {
        let Some(dep) = self.deployments.get(&key) else { return };
        let Some(daemon) = self.daemons.get(&dep.daemon) else { return };
        let target =
            self.revisions.get(&dep.target_revision).map(|r| r.arn.clone()).unwrap_or_else(|| Arc::from(""));
        let reason = match dep.status {
            DeploymentStatus::Pending | DeploymentStatus::InProgress | DeploymentStatus::Successful => None,
            _ => dep.status_reason.clone(),
        };
        let detail = DeploymentDetail {
            event_name: dep.status.event_name(),
            cluster_arn: self.cluster_arn(&dep.cluster),
            daemon_arn: daemon.arn.clone(),
            daemon_deployment_arn: dep.arn.clone(),
            target_daemon_revision_arn: target,
            updated_at: self.at(),
            reason,
        };
        self.push_event(EventKind::DaemonDeploymentStateChange(detail));
    }

    /// Drains the reconcile work queued by the last command or timer.
    pub(crate) fn settle(&mut self) {
        while let Some(service) = self.hungry.pop_first() {
            self.reconcile_service(service);
        }
    }

    fn fire(&mut self, timer: Timer) {
        match timer {
            Timer::Instance { key, from } => self.on_instance_timer(key, from),
            Timer::Task { key, from } => self.on_task_timer(key, from),
            Timer::TaskHealthy { key } => self.on_task_healthy(key),
            Timer::AppHealthy { key } => self.on_app_healthy(key),
            Timer::DaemonRetry { instance, daemon } => self.on_daemon_retry(instance, daemon),
            Timer::Idle { instance, since } => self.on_idle(instance, since),
            Timer::ServiceRetry { service } => {
                self.hungry.insert(service);
            }
            Timer::DeploymentStart { key } => self.on_deployment_start(key),
            Timer::DeploymentPump { key } => self.pump_deployment(key),
            Timer::BakeEnd { key, until } => self.on_bake_end(key, until),
            Timer::RollbackStart { key } => self.on_rollback_start(key),
        }
    }
}
