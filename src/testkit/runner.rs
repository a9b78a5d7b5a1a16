//! The checked runner: a simulation driven command by command and timer by timer with the invariant
//! checker after each, refusals optionally compared, a trace of what happened, and the end-of-world
//! recovery with its liveness check. The random worlds drive one; a pinned world (a regression
//! test's fixed list of commands, faults and waits) drives one by hand, so that it is held to every
//! check a sweep world is.

use super::{clock, InvariantFailure, WorldConfig, WorldRun, RECOVERY_MS};
use crate::engine::command::Command;
use crate::engine::event::{Event, EventKind};
use crate::engine::invariants::{check_invariants, is_liveness, Violation};
use crate::engine::model::{AlarmState, Deployment, InstanceKey};
use crate::engine::sim::{SimConfig, Simulation};
use crate::engine::{EngineError, Outcome};
use std::collections::BTreeSet;

/// A simulation under the sweep's checks. Commands go in through [`Runner::command`] and
/// [`Runner::fault`], time moves through [`Runner::run_until`], [`Runner::run_for`] and
/// [`Runner::step`]; after the first broken invariant the runner stops moving time and
/// [`Runner::failure`] says what broke.
pub struct Runner<'t> {
    config: WorldConfig,
    sim: Simulation,
    start: u64,
    /// Events already handed to the trace.
    emitted: usize,
    pub(super) run: WorldRun,
    /// Where trace lines go; none means no trace (formatting lines costs more than simulating).
    sink: Option<&'t mut dyn FnMut(String)>,
    /// Command lines waiting for the next flush, which writes them before the events they caused.
    pending_trace: Vec<String>,
}

impl<'t> Runner<'t> {
    /// A fresh simulation of `seed` (at its default epoch), checked as `config` says, its trace
    /// lines handed to `trace` if given.
    pub fn new(seed: u64, config: WorldConfig, trace: Option<&'t mut dyn FnMut(String)>) -> Self {
        let sim = Simulation::new(SimConfig::with_seed(seed));
        let start = sim.now();
        Runner {
            config,
            sim,
            start,
            emitted: 0,
            run: WorldRun {
                seed,
                event_log_hash: 0,
                events: 0,
                timers: 0,
                commands: 0,
                refused: 0,
                faults: 0,
                bursts: 0,
                simulated_ms: 0,
                failure: None,
            },
            sink: trace,
            pending_trace: Vec::new(),
        }
    }

    /// The simulation, to read.
    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    /// How the runner checks.
    pub fn config(&self) -> WorldConfig {
        self.config
    }

    /// Simulated ms since the world's start.
    pub fn elapsed(&self) -> u64 {
        self.sim.now() - self.start
    }

    /// The first broken invariant, if any.
    pub fn failure(&self) -> Option<&InvariantFailure> {
        self.run.failure.as_ref()
    }

    /// Applies a command (a user's or the world's own), then checks.
    pub fn command(&mut self, command: Command) -> Result<Outcome, EngineError> {
        self.apply_as(command, "command")
    }

    /// Applies a fault (a command that breaks something: a task stopped, an instance terminated,
    /// an image made unpullable), counted as one, then checks.
    pub fn fault(&mut self, command: Command) -> Result<Outcome, EngineError> {
        self.run.faults += 1;
        self.apply_as(command, "fault")
    }

    /// Applies `command`, traced as `kind`; with `check_refusals`, a refusal that changed the
    /// simulation is a failure.
    pub(super) fn apply_as(&mut self, command: Command, kind: &str) -> Result<Outcome, EngineError> {
        self.run.commands += 1;
        let line = if self.sink.is_some() {
            serde_json::to_string(&command).unwrap_or_default()
        } else {
            String::new()
        };
        let before = (self.config.check && self.config.check_refusals && self.run.failure.is_none())
            .then(|| (format!("{:?}", self.sim), format!("{command:?}")));
        let result = self.sim.apply(command);
        if result.is_err() {
            self.run.refused += 1;
            if let Some((before, shown)) = before {
                if before != format!("{:?}", self.sim) {
                    let detail = format!("refused {kind} {shown} changed the simulation");
                    self.run.failure = Some(InvariantFailure {
                        at_ms: self.elapsed(),
                        after: format!("{kind} #{}", self.run.commands),
                        violations: vec![Violation { invariant: "refusal_changes_nothing", detail }],
                    });
                }
            }
        }
        if self.sink.is_some() {
            let outcome = result.as_ref().err().map(|e| format!(" -> refused: {e}")).unwrap_or_default();
            self.pending_trace.push(format!("{} > {kind} {line}{outcome}", clock(self.elapsed())));
        }
        let after = format!("{kind} #{}", self.run.commands);
        self.check(&after);
        result
    }

    fn check(&mut self, after: &str) {
        if !self.config.check || self.run.failure.is_some() {
            return;
        }
        let mut violations = check_invariants(&self.sim);
        if self.config.safety_only {
            violations.retain(|v| !is_liveness(v.invariant));
        }
        if !violations.is_empty() {
            self.run.failure =
                Some(InvariantFailure { at_ms: self.elapsed(), after: after.into(), violations });
        }
    }

    /// Processes the next timer and checks; false when there was none.
    pub fn step(&mut self) -> bool {
        if !self.sim.step() {
            return false;
        }
        self.run.timers += 1;
        let after = format!("timer #{}", self.run.timers);
        self.check(&after);
        self.flush();
        true
    }

    /// Processes every timer up to `until` (epoch ms), checking after each, and moves the clock
    /// there; stops at the first broken invariant.
    pub fn run_until(&mut self, until: u64) {
        while let Some(t) = self.sim.next_event_time() {
            if t > until || self.run.failure.is_some() {
                break;
            }
            self.step();
        }
        if self.run.failure.is_none() {
            self.sim.advance(until);
        }
        self.flush();
    }

    /// [`Runner::run_until`] `ms` of simulated time from now.
    pub fn run_for(&mut self, ms: u64) {
        let until = self.sim.now() + ms;
        self.run_until(until);
    }

    /// Processes timers one by one (checked) until `found` sees what it looks for, and returns
    /// it; none if `limit` ms of simulated time pass first, the queue empties or an invariant
    /// breaks.
    pub fn run_until_found<T>(&mut self, limit: u64, found: impl Fn(&Simulation) -> Option<T>) -> Option<T> {
        let until = self.sim.now() + limit;
        loop {
            if let Some(x) = found(&self.sim) {
                return Some(x);
            }
            if self.run.failure.is_some() || self.sim.next_event_time().is_none_or(|t| t > until) {
                return None;
            }
            self.step();
        }
    }

    /// Hands the pending command lines and the new events to the trace.
    pub(super) fn flush(&mut self) {
        let Some(sink) = self.sink.as_mut() else { return };
        for line in self.pending_trace.drain(..) {
            sink(line);
        }
        for e in &self.sim.events()[self.emitted..] {
            sink(event_line(e, self.start));
        }
        self.emitted = self.sim.events().len();
    }

    /// The end of a normal-mode world: every fault cleared (injected faults, unready instance
    /// profiles, alarms in ALARM), [`RECOVERY_MS`] of quiet, and then the liveness check: every
    /// deployment must have reached a terminal status unless it is bound by capacity as AWS's
    /// would be. Does nothing after a failure.
    pub fn recover(&mut self) {
        if self.run.failure.is_some() {
            return;
        }
        let until = self.sim.now() + RECOVERY_MS;
        self.apply_as(Command::ClearFaults, "recovery").ok();
        let providers: Vec<String> = self.sim.capacity_providers().map(|p| p.name.clone()).collect();
        for p in providers {
            // Not a command of the world: untraced and unchecked (a provider may be gone).
            let _ = self.sim.apply(Command::SetInstanceProfileReady { capacity_provider: p, ready: true });
        }
        let alarms: Vec<String> = self.sim.alarms().map(|a| a.name.clone()).collect();
        for name in alarms {
            self.apply_as(alarm(&name, AlarmState::Ok), "recovery").ok();
        }
        self.run_until(until);
        if self.run.failure.is_some() || !self.config.check {
            return;
        }
        let stuck: Vec<Violation> = self
            .sim
            .all_deployments()
            .filter(|d| d.is_active() && !self.capacity_bound(d))
            .map(|d| Violation {
                invariant: "deployment_terminates",
                detail: format!(
                    "deployment {} of {} still {} {} after every fault was cleared (to do: [{}], draining: [{}])",
                    d.id,
                    self.sim.daemon_by_key(d.daemon).map(|dm| dm.name.as_str()).unwrap_or("?"),
                    d.status.as_str(),
                    clock(RECOVERY_MS),
                    self.describe_instances(&d.todo),
                    self.describe_instances(&d.draining),
                ),
            })
            .collect();
        if !stuck.is_empty() {
            self.run.failure =
                Some(InvariantFailure { at_ms: self.elapsed(), after: "recovery".into(), violations: stuck });
        }
        self.flush();
    }

    /// A deployment stalled for want of capacity, as it would in AWS: one of the instances it waits on
    /// belongs to a provider at its instance maximum that has a service it cannot place tasks for. A draining
    /// instance keeps a RUNNING service task until the service has a healthy replacement elsewhere (AWS:
    /// container instance draining — RUNNING service tasks are replaced per minimumHealthyPercent, default
    /// 100), and there is no room for one, so that instance never empties. Only replacement instances may
    /// exceed the maximum, and starving services take their room too. Not a liveness failure.
    fn capacity_bound(&self, d: &Deployment) -> bool {
        d.todo.iter().chain(&d.draining).filter_map(|k| self.sim.instance(*k)).any(|i| {
            let cp = &i.capacity_provider;
            let full =
                self.sim.capacity_provider(cp).is_some_and(|p| p.instances.len() as u32 >= p.max_instances);
            full && self.sim.has_starving_services(cp)
        })
    }

    /// `instance-id STATUS (n app tasks)` for each key: what a stuck deployment is waiting on.
    fn describe_instances(&self, keys: &BTreeSet<InstanceKey>) -> String {
        keys.iter()
            .map(|k| match self.sim.instance(*k) {
                Some(i) => {
                    let apps = i
                        .tasks
                        .iter()
                        .filter_map(|t| self.sim.task_by_key(*t))
                        .filter(|t| !t.is_daemon())
                        .count();
                    format!("{} {} {} ({apps} app tasks)", i.id, i.capacity_provider, i.status.as_str())
                }
                None => format!("#{k} gone"),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The run's record: its counts and the simulation's event-log hash.
    pub fn finish(mut self) -> WorldRun {
        self.run.event_log_hash = self.sim.event_log_hash();
        self.run.events = self.sim.event_count();
        self.run.simulated_ms = self.elapsed();
        self.run
    }
}

/// SetAlarmState to `state`, the reason naming the sweep.
pub(super) fn alarm(name: &str, state: AlarmState) -> Command {
    Command::SetAlarmState { name: name.into(), state: state.as_str().into(), reason: "sweep".into() }
}

/// The last path segment of an ARN: short enough for a trace line, unique within a world.
fn short(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// One event as one line: simulated time since `start` (epoch ms), type, the object and its new
/// state.
pub fn event_line(e: &Event, start: u64) -> String {
    let at = clock(e.time_ms.saturating_sub(start));
    match &e.kind {
        EventKind::TaskStateChange(d) => format!(
            "{at} task {} {} {}/{} on {}{}",
            short(&d.task_arn),
            d.group,
            d.last_status,
            d.desired_status,
            short(&d.container_instance_arn),
            d.stopped_reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default()
        ),
        EventKind::ContainerInstanceStateChange(d) => format!(
            "{at} instance {} {} {} {}{}",
            short(&d.container_instance_arn),
            d.ec2_instance_id,
            d.capacity_provider_name,
            d.status,
            d.status_reason.map(|r| format!(" ({r})")).unwrap_or_default()
        ),
        EventKind::ContainerInstanceHealthChange(d) => format!(
            "{at} health {} {} {}{}",
            short(&d.container_instance_arn),
            d.health.overall_status().as_str(),
            d.health.status.as_str(),
            d.health.status_reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default()
        ),
        EventKind::DaemonServiceAction(d) => format!(
            "{at} daemon-action {} {} on {}: {}",
            short(&d.daemon_arn),
            d.failure_type,
            short(&d.container_instance_arn),
            d.reason
        ),
        EventKind::DaemonDeploymentStateChange(d) => format!(
            "{at} deployment {} {} {}{}",
            short(&d.daemon_deployment_arn),
            short(&d.daemon_arn),
            d.event_name,
            d.reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default()
        ),
    }
}
