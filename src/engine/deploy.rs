//! Daemon deployments: rolling instance replacement in drainPercent batches (sliding window), bake time,
//! alarms, circuit breaker, rollback and supersession (AWS: Amazon ECS managed daemons — daemon deployments).
//! Batch sizing, pacing and rollback mechanics are our choices where AWS is silent; each says so.

use super::lifecycle::Stage;
use super::model::*;
use super::sim::{Simulation, Timer};
use super::time::MINUTE;
use std::collections::BTreeSet;
use std::sync::Arc;

/// The rolling-update batch size: `max(1, floor(N × drainPercent / 100))` for N > 0 instances in
/// scope, 0 when there is nothing to replace. AWS documents drainPercent only as the share of
/// instances drained simultaneously (default 25); the formula is our choice (a drainPercent below the
/// share of one instance, including 0, drains one instance at a time). At most this many
/// instances drain for a deployment at once; the next starts as soon as one finishes.
pub fn batch_size(instances: u32, drain_percent: f64) -> u32 {
    if instances == 0 {
        return 0;
    }
    let p = if drain_percent.is_finite() { drain_percent.clamp(0.0, 100.0) } else { DEFAULT_DRAIN_PERCENT };
    (((instances as f64) * p / 100.0).floor() as u32).max(1)
}

/// Circuit-breaker threshold: `clamp(ceil(0.5 × N), 3, 200)`. AWS publishes no formula: ours is
/// the service deployment circuit breaker's, and gives the 3 measured on a one-instance provider.
pub fn circuit_breaker_threshold(instances: u32) -> u32 {
    instances.div_ceil(2).clamp(3, 200)
}

pub(crate) const REASON_SUPERSEDED: &str = "Deployment replaced by a newer deployment.";
pub(crate) const REASON_SUCCESS: &str = "Deployment completed successfully.";
pub(crate) const REASON_CIRCUIT_BREAKER: &str = "circuit breaker initiated the rollback";

impl Simulation {
    /// Creates a deployment of `target` for the daemon (PENDING), superseding its active one.
    pub(crate) fn create_deployment(
        &mut self,
        daemon: DaemonKey,
        target: RevisionKey,
        config: DeploymentConfig,
        removes_daemon: bool,
        previous: Option<RevisionKey>,
        previous_cps: &[String],
    ) -> DeploymentKey {
        let key = self.key();
        let id = self.rng.base62(21);
        let d = &self.daemons[&daemon];
        let (cluster, name) = (d.cluster.clone(), d.name.clone());
        let previous_revision = if removes_daemon { Some(target) } else { previous };
        let mut cps: Vec<String> = previous_cps.to_vec();
        for cp in &d.capacity_providers {
            if !cps.contains(cp) {
                cps.push(cp.clone());
            }
        }
        // Providers the daemon has left whose instances still carry it (a provider change whose
        // rollback failed, or that a newer deployment superseded) are in scope too, or nothing
        // would ever take the daemon off them (found by the seed sweep: a DeleteDaemon left a
        // critical daemon's slot on a REGISTERING instance, which then never became ACTIVE).
        for (name, p) in &self.capacity_providers {
            let carries = p
                .instances
                .iter()
                .any(|ik| self.fleet.get(ik).map(|i| i.daemons.contains_key(&daemon)).unwrap_or(false));
            if carries && !cps.contains(name) {
                cps.push(name.clone());
            }
        }
        // Source revisions: the previous revision first (the rollback target), then whatever else
        // instances in scope run now.
        let mut sources: Vec<RevisionKey> =
            previous_revision.filter(|p| *p != target || removes_daemon).into_iter().collect();
        for cp in &cps {
            if let Some(p) = self.capacity_providers.get(cp) {
                for ik in &p.instances {
                    if let Some(slot) = self.fleet.get(ik).and_then(|i| i.daemons.get(&daemon)) {
                        if (slot.revision != target || removes_daemon) && !sources.contains(&slot.revision) {
                            sources.push(slot.revision);
                        }
                    }
                }
            }
        }
        // Supersession: the active deployment stops; its in-flight drains carry over.
        let mut inherited = BTreeSet::new();
        if let Some(&old) = self.daemons[&daemon].deployments.last() {
            if self.deployments.get(&old).map(|d| d.is_active()).unwrap_or(false) {
                let at = self.at();
                let dep = self
                    .deployments
                    .end(old, DeploymentStatus::Stopped, REASON_SUPERSEDED.into(), at)
                    .expect("exists");
                inherited = std::mem::take(&mut dep.draining);
                dep.todo.clear();
                self.emit_deployment(old);
            }
        }
        for ik in &inherited {
            if let Some(i) = self.fleet.get_mut(ik) {
                i.drain_cause = Some(DrainCause::Deployment(key));
            }
        }
        let arn: Arc<str> = Arc::from(self.scope.daemon_deployment(&cluster, &name, &id));
        let window_limit = inherited.len() as u32;
        let alarm_names = config.alarm_names.clone();
        let dep = Deployment {
            key,
            id,
            arn,
            daemon,
            cluster,
            status: DeploymentStatus::Pending,
            status_reason: None,
            target_revision: target,
            source_revisions: sources,
            removes_daemon,
            capacity_providers: cps,
            config,
            circuit_breaker: CircuitBreaker {
                failure_count: 0,
                status: MonitorStatus::Monitoring,
                threshold: 3,
            },
            alarms: AlarmMonitor {
                status: MonitorStatus::Disabled,
                alarm_names,
                triggered_alarm_names: Vec::new(),
                ignored: BTreeSet::new(),
            },
            rollback: None,
            created_at: self.at(),
            started_at: None,
            stopped_at: None,
            finished_at: None,
            instances_in_scope: 0,
            batch_size: 0,
            todo: BTreeSet::new(),
            draining: inherited,
            replaced: 0,
            bake_until: None,
            rollback_failures: 0,
            window_limit,
        };
        self.deployments.start(dep);
        if let Some(d) = self.daemons.get_mut(&daemon) {
            d.deployments.push(key);
            if !removes_daemon {
                d.current_revision = target;
            }
        }
        self.emit_deployment(key);
        self.schedule_stage(Stage::DeploymentStart, Timer::DeploymentStart { key });
        key
    }

    /// Does this instance still need replacing for the deployment's current phase?
    pub(crate) fn needs_replacement(&self, instance: &ContainerInstance, dep: &Deployment) -> bool {
        if !matches!(
            instance.status,
            InstanceStatus::Launching
                | InstanceStatus::Booted
                | InstanceStatus::Registering
                | InstanceStatus::Active
        ) {
            return false;
        }
        self.runs_outdated_daemon(instance, dep)
    }

    /// Our choice where AWS is silent: an instance a user set to DRAINING (UpdateContainerInstancesState)
    /// while it runs a revision the deployment replaces is not drained by the deployment, but the deployment
    /// waits for it: it either leaves (terminated) or is set ACTIVE again and then replaced. Dropping it
    /// would end the deployment (or its rollback) with that instance free to come back on the old (or the
    /// failed) revision.
    pub(crate) fn awaits_user_drain(&self, instance: &ContainerInstance, dep: &Deployment) -> bool {
        instance.status == InstanceStatus::Draining
            && instance.drain_cause == Some(DrainCause::User)
            && self.runs_outdated_daemon(instance, dep)
    }

    fn runs_outdated_daemon(&self, instance: &ContainerInstance, dep: &Deployment) -> bool {
        if !dep.capacity_providers.contains(&instance.capacity_provider) {
            return false;
        }
        let Some(daemon) = self.daemons.get(&dep.daemon) else { return false };
        let should_have =
            !dep.removes_daemon && daemon.capacity_providers.contains(&instance.capacity_provider);
        match instance.daemons.get(&dep.daemon) {
            Some(slot) => !should_have || slot.revision != dep.phase_target(),
            None => should_have,
        }
    }

    fn collect_todo(&self, dep: &Deployment) -> (BTreeSet<InstanceKey>, u32) {
        let mut todo = BTreeSet::new();
        let mut in_scope = 0;
        for cp in &dep.capacity_providers {
            let Some(p) = self.capacity_providers.get(cp) else { continue };
            for ik in &p.instances {
                let Some(i) = self.fleet.get(ik) else { continue };
                if i.status.accepts_placement() {
                    in_scope += 1;
                }
                if (self.needs_replacement(i, dep) || self.awaits_user_drain(i, dep))
                    && !dep.draining.contains(ik)
                {
                    todo.insert(*ik);
                }
            }
        }
        (todo, in_scope)
    }

    pub(crate) fn on_deployment_start(&mut self, key: DeploymentKey) {
        let Some(dep) = self.deployments.get(&key) else { return };
        if dep.status != DeploymentStatus::Pending {
            return;
        }
        let (todo, in_scope) = self.collect_todo(dep);
        // Inserted one by one, not collected: BTreeSet's FromIterator sorts through a std stable
        // sort instantiated for this element type alone (release wasm size).
        let mut in_alarm: BTreeSet<String> = BTreeSet::new();
        for name in &dep.alarms.alarm_names {
            if self.alarms.get(name).is_some_and(|a| a.state == AlarmState::Alarm) {
                in_alarm.insert(name.clone());
            }
        }
        let at = self.at();
        let dep = self.deployments.get_mut(&key).expect("exists");
        dep.status = DeploymentStatus::InProgress;
        dep.started_at = Some(at);
        dep.instances_in_scope = in_scope;
        dep.batch_size = batch_size(in_scope.max(todo.len() as u32), dep.config.drain_percent);
        dep.window_limit = dep.window_limit.max(dep.batch_size);
        dep.circuit_breaker.threshold = circuit_breaker_threshold(in_scope);
        if dep.removes_daemon {
            dep.circuit_breaker.status = MonitorStatus::Disabled;
        }
        if dep.config.alarms_enabled {
            dep.alarms.status = MonitorStatus::Monitoring;
            dep.alarms.ignored = in_alarm;
        }
        dep.todo = todo;
        let nothing_to_do = dep.todo.is_empty() && dep.draining.is_empty();
        self.emit_deployment(key);
        if nothing_to_do {
            self.complete_phase(key);
        } else {
            self.schedule_stage(Stage::FirstBatchDelay, Timer::DeploymentPump { key });
        }
    }

    /// Fills the sliding window: drain instances still on a source revision until `batch_size`
    /// of them are in flight; completes the phase when nothing is left.
    pub(crate) fn pump_deployment(&mut self, key: DeploymentKey) {
        let Some(dep) = self.deployments.get(&key) else { return };
        if !matches!(dep.status, DeploymentStatus::InProgress | DeploymentStatus::RollbackInProgress)
            || dep.bake_until.is_some()
        {
            return;
        }
        loop {
            let dep = &self.deployments[&key];
            if dep.draining.len() as u32 >= dep.batch_size {
                break;
            }
            let mut next = None;
            let mut dropped = Vec::new();
            for &ik in &dep.todo {
                match self.fleet.get(&ik) {
                    Some(i) if self.needs_replacement(i, dep) => {
                        if matches!(i.status, InstanceStatus::Registering | InstanceStatus::Active) {
                            next = Some(ik);
                            break;
                        }
                    }
                    Some(i) if self.awaits_user_drain(i, dep) => {}
                    _ => dropped.push(ik),
                }
            }
            let dep = self.deployments.get_mut(&key).expect("exists");
            for ik in dropped {
                dep.todo.remove(&ik);
            }
            let Some(ik) = next else { break };
            dep.todo.remove(&ik);
            dep.draining.insert(ik);
            self.begin_drain(ik, DrainCause::Deployment(key), true);
        }
        let dep = self.deployments.get_mut(&key).expect("exists");
        if dep.draining.len() as u32 <= dep.batch_size {
            dep.window_limit = dep.batch_size;
        }
        if dep.todo.is_empty() && dep.draining.is_empty() {
            self.complete_phase(key);
        }
    }

    /// A registering instance may be one a deployment waits for.
    pub(crate) fn pump_deployments_watching(&mut self, instance: InstanceKey) {
        let watching = self.deployments.active_where(|d| d.todo.contains(&instance));
        for d in watching {
            self.pump_deployment(d);
        }
    }

    /// A terminated instance leaves every deployment's window and to-do list.
    pub(crate) fn instance_gone_from_deployments(&mut self, instance: InstanceKey) {
        let active = self.deployments.active();
        for key in active {
            let Some(dep) = self.deployments.get_mut(&key) else { continue };
            let was_draining = dep.draining.remove(&instance);
            let was_todo = dep.todo.remove(&instance);
            if was_draining {
                dep.replaced += 1;
            }
            if was_draining || was_todo {
                self.pump_deployment(key);
            }
        }
    }

    fn complete_phase(&mut self, key: DeploymentKey) {
        let dep = &self.deployments[&key];
        if dep.rollback.is_some() {
            self.finish_deployment(
                key,
                DeploymentStatus::RollbackSuccessful,
                "Rollback completed successfully.".into(),
            );
            return;
        }
        let bake_ms = dep.config.bake_time_in_minutes as u64 * MINUTE;
        if bake_ms > 0 && dep.bake_until.is_none() {
            let until = self.now + bake_ms;
            self.deployments.get_mut(&key).expect("exists").bake_until = Some(until);
            self.schedule_in(bake_ms, Timer::BakeEnd { key, until });
            return;
        }
        self.finish_deployment(key, DeploymentStatus::Successful, REASON_SUCCESS.into());
    }

    pub(crate) fn on_bake_end(&mut self, key: DeploymentKey, until: u64) {
        let Some(dep) = self.deployments.get(&key) else { return };
        if dep.status == DeploymentStatus::InProgress && dep.bake_until == Some(until) {
            self.finish_deployment(key, DeploymentStatus::Successful, REASON_SUCCESS.into());
        }
    }

    fn finish_deployment(&mut self, key: DeploymentKey, status: DeploymentStatus, reason: String) {
        let at = self.at();
        let dep = self.deployments.end(key, status, reason, at).expect("exists");
        if dep.alarms.status == MonitorStatus::Monitoring {
            dep.alarms.status = MonitorStatus::MonitoringComplete;
        }
        let (daemon, removes) = (dep.daemon, dep.removes_daemon);
        self.emit_deployment(key);
        self.settle_dtd_deletions();
        if removes && status == DeploymentStatus::Successful {
            if let Some(d) = self.daemons.get_mut(&daemon) {
                d.deleted = true;
                let name = (d.cluster.clone(), d.name.clone());
                self.daemon_by_name.remove(&name);
            }
        }
    }

    /// Our choice where AWS is silent: a daemon task definition being deleted becomes DELETED once no daemon
    /// (being deployed or deployed) still uses it, by analogy with task definitions.
    pub(crate) fn settle_dtd_deletions(&mut self) {
        if !self.daemon_task_definitions.values().any(|d| d.status == DefinitionStatus::DeleteInProgress) {
            return;
        }
        let mut in_use: BTreeSet<Arc<str>> = BTreeSet::new();
        for d in self.daemons.values().filter(|d| !d.deleted) {
            if let Some(r) = self.revisions.get(&d.current_revision) {
                in_use.insert(r.daemon_task_definition.clone());
            }
            for dep in
                d.deployments.iter().filter_map(|k| self.deployments.get(k)).filter(|dep| dep.is_active())
            {
                for r in std::iter::once(&dep.target_revision).chain(dep.source_revisions.iter()) {
                    if let Some(r) = self.revisions.get(r) {
                        in_use.insert(r.daemon_task_definition.clone());
                    }
                }
            }
        }
        for d in self.daemon_task_definitions.values_mut() {
            if d.status == DefinitionStatus::DeleteInProgress && !in_use.contains(&d.arn) {
                d.status = DefinitionStatus::Deleted;
            }
        }
    }

    /// A target-revision daemon task failed to start: the circuit breaker counts it.
    pub(crate) fn count_daemon_failure(&mut self, daemon: DaemonKey, revision: RevisionKey) {
        let Some(&key) = self.daemons.get(&daemon).and_then(|d| d.deployments.last()) else { return };
        let Some(dep) = self.deployments.get_mut(&key) else { return };
        if !dep.is_active() || dep.removes_daemon {
            return;
        }
        match &dep.rollback {
            None if revision == dep.target_revision => {
                dep.circuit_breaker.failure_count += 1;
                if dep.circuit_breaker.failure_count >= dep.circuit_breaker.threshold
                    && dep.circuit_breaker.status == MonitorStatus::Monitoring
                    && matches!(dep.status, DeploymentStatus::Pending | DeploymentStatus::InProgress)
                {
                    dep.circuit_breaker.status = MonitorStatus::Triggered;
                    self.trigger_rollback(key, REASON_CIRCUIT_BREAKER.into());
                }
            }
            Some(rb)
                if revision == rb.target_revision && dep.status == DeploymentStatus::RollbackInProgress =>
            {
                dep.rollback_failures += 1;
                if dep.rollback_failures >= dep.circuit_breaker.threshold {
                    self.finish_deployment(
                        key,
                        DeploymentStatus::RollbackFailed,
                        "Rollback failed: daemon tasks of the rollback revision failed to start.".into(),
                    );
                }
            }
            _ => {}
        }
    }

    /// Circuit breaker or alarm: STOP_REQUESTED then rollback, or STOPPED with no source revision.
    pub(crate) fn trigger_rollback(&mut self, key: DeploymentKey, reason: String) {
        let Some(dep) = self.deployments.get_mut(&key) else { return };
        if !matches!(dep.status, DeploymentStatus::Pending | DeploymentStatus::InProgress) {
            return;
        }
        if dep.source_revisions.is_empty() {
            let reason = format!("{reason}; no previous daemon revision to roll back to.");
            self.finish_deployment(key, DeploymentStatus::Stopped, reason);
            return;
        }
        dep.status = DeploymentStatus::StopRequested;
        dep.status_reason = Some(reason);
        dep.bake_until = None;
        self.emit_deployment(key);
        self.schedule_stage(Stage::RollbackStart, Timer::RollbackStart { key });
    }

    pub(crate) fn on_rollback_start(&mut self, key: DeploymentKey) {
        let at = self.at();
        let Some(dep) = self.deployments.get_mut(&key) else { return };
        if dep.status != DeploymentStatus::StopRequested {
            return;
        }
        let target = dep.source_revisions[0];
        // Our choice where AWS is silent: the rollback restores the source revision's provider set
        // as well as its task definition (AWS API reference: DescribeDaemonDeployments,
        // `rollback.rollbackCapacityProviders`): a revision is the
        // daemon's whole configuration, so rolling back to it brings back where it runs. Instances
        // on providers the failed deployment added are replaced without the daemon, those on
        // providers it removed are replaced with it, as any provider change does; the deployment's
        // scope already holds both sets.
        let source_cps = match self.revisions.get(&target) {
            Some(r) => r.capacity_providers.clone(),
            None => dep.capacity_providers.clone(),
        };
        dep.status = DeploymentStatus::RollbackInProgress;
        dep.rollback = Some(Rollback {
            reason: dep.status_reason.clone().unwrap_or_default(),
            started_at: at,
            target_revision: target,
            capacity_providers: source_cps.clone(),
        });
        let daemon = dep.daemon;
        if let Some(d) = self.daemons.get_mut(&daemon) {
            d.current_revision = target;
            d.capacity_providers = source_cps;
        }
        // Replacements launched with the failing revision that never became ACTIVE are abandoned;
        // the instances they were replacing get fresh replacements on the rollback target.
        let draining: Vec<InstanceKey> = self.deployments[&key].draining.iter().copied().collect();
        for old in draining {
            let Some(new) = self.fleet.get(&old).and_then(|i| i.replaced_by) else { continue };
            let Some(n) = self.fleet.get(&new) else { continue };
            let stuck = n.activated_at.is_none()
                && n.status != InstanceStatus::Terminated
                && n.daemons.get(&daemon).map(|s| s.revision != target).unwrap_or(false);
            if !stuck {
                continue;
            }
            let cp = n.capacity_provider_name.clone();
            let unregistered = matches!(n.status, InstanceStatus::Launching | InstanceStatus::Booted);
            // The successor of the abandoned replacement is launched here, not as a lost one's.
            if let Some(o) = self.fleet.get_mut(&old) {
                o.replaced_by = None;
            }
            if unregistered {
                self.abort_unregistered(new, "Replacement abandoned by rollback");
            } else {
                self.begin_drain(new, DrainCause::Deployment(key), false);
            }
            if self.launch_instance(&cp, Some(old)).is_none() {
                self.fleet.owe_replacement(&cp, old);
            }
        }
        let dep = &self.deployments[&key];
        let (todo, in_scope) = self.collect_todo(dep);
        let dep = self.deployments.get_mut(&key).expect("exists");
        // Our choice where AWS is silent: the rollback drains with the deployment's batch size
        // (the same drainPercent). A deployment that started with nothing in scope has batch size 0 and
        // may still meet instances launched on the failing revision during its bake; its rollback
        // then sizes the batch from the instances in scope now, or it could never drain them.
        if dep.batch_size == 0 {
            dep.instances_in_scope = in_scope;
            dep.batch_size = batch_size(in_scope.max(todo.len() as u32), dep.config.drain_percent);
            dep.window_limit = dep.window_limit.max(dep.batch_size);
        }
        dep.todo = todo;
        self.emit_deployment(key);
        self.pump_deployment(key);
    }

    /// An alarm changed state: ALARM during a deployment or its bake window triggers rollback,
    /// unless it was already in ALARM when the deployment started and has not left it since.
    pub(crate) fn on_alarm_change(&mut self, name: &str, old: AlarmState, new: AlarmState) {
        let active = self.deployments.active();
        for key in active {
            let Some(dep) = self.deployments.get_mut(&key) else { continue };
            if old == AlarmState::Alarm && new != AlarmState::Alarm {
                dep.alarms.ignored.remove(name);
            }
            let watched = dep.config.alarms_enabled
                && dep.alarms.status == MonitorStatus::Monitoring
                && dep.alarms.alarm_names.iter().any(|n| n == name)
                && !dep.alarms.ignored.contains(name);
            if new == AlarmState::Alarm
                && old != AlarmState::Alarm
                && watched
                && dep.status == DeploymentStatus::InProgress
            {
                dep.alarms.status = MonitorStatus::Triggered;
                dep.alarms.triggered_alarm_names.push(name.to_string());
                self.trigger_rollback(key, format!("alarm {name} in ALARM state initiated the rollback"));
            }
        }
    }

    /// drainPercent changed mid-deployment: the new batch size applies from the next admission.
    pub(crate) fn set_drain_percent(&mut self, key: DeploymentKey, drain_percent: f64) {
        let Some(dep) = self.deployments.get_mut(&key) else { return };
        dep.config.drain_percent = drain_percent;
        if dep.started_at.is_some() {
            let n = dep.instances_in_scope.max(1);
            dep.batch_size = batch_size(n, drain_percent);
            dep.window_limit = dep.window_limit.max(dep.draining.len() as u32);
            self.pump_deployment(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_rule_matches_the_spec_examples() {
        assert_eq!(batch_size(1, 25.0), 1);
        assert_eq!(batch_size(10, 25.0), 2);
        assert_eq!(batch_size(3, 10.0), 1);
        assert_eq!(batch_size(100, 0.0), 1);
        assert_eq!(batch_size(8, 50.0), 4);
        assert_eq!(batch_size(8, 100.0), 8);
        assert_eq!(batch_size(0, 25.0), 0);
        assert_eq!(circuit_breaker_threshold(1), 3);
        assert_eq!(circuit_breaker_threshold(11), 6);
        assert_eq!(circuit_breaker_threshold(1000), 200);
    }
}
