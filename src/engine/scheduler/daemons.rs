//! Daemon tasks on an instance: start, failure and retry, health; an instance registers once its
//! critical daemon tasks run healthy.

use crate::engine::lifecycle::Stage;
use crate::engine::model::*;
use crate::engine::sim::{Simulation, Timer};

impl Simulation {
    /// Creates the daemon task for one slot, or reports TASK_CREATION_FAILED when it does not fit.
    pub(crate) fn start_daemon_task(&mut self, instance: InstanceKey, daemon: DaemonKey) {
        let Some(i) = self.fleet.get_mut(&instance) else { return };
        let Some(slot) = i.daemons.get(&daemon).cloned() else { return };
        if slot.task.is_some() {
            return;
        }
        let Some(rev) = self.revisions.get(&slot.revision) else { return };
        let (cpu, memory) = (rev.cpu, rev.memory);
        if !slot.reserved {
            if i.remaining_cpu >= cpu && i.remaining_memory >= memory {
                i.remaining_cpu -= cpu;
                i.remaining_memory -= memory;
                if let Some(s) = i.daemons.get_mut(&daemon) {
                    s.reserved = true;
                }
                self.fleet.reindex(instance);
            } else {
                let reason = if i.remaining_cpu < cpu {
                    "RESOURCE:CPU - Unable to place daemon task on container instance: insufficient CPU"
                } else {
                    "RESOURCE:MEMORY - Unable to place daemon task on container instance: insufficient memory"
                };
                self.daemon_start_failed(
                    instance,
                    daemon,
                    slot.revision,
                    None,
                    "TASK_CREATION_FAILED",
                    reason.into(),
                );
                return;
            }
        }
        let task = self.create_daemon_task(instance, daemon, slot.revision);
        if let Some(s) = self.fleet.get_mut(&instance).and_then(|i| i.daemons.get_mut(&daemon)) {
            s.task = Some(task);
        }
    }

    pub(super) fn create_daemon_task(
        &mut self,
        instance: InstanceKey,
        daemon: DaemonKey,
        revision: RevisionKey,
    ) -> TaskKey {
        let key = self.tasks.next_key();
        let (id_digits, id_value) = self.rng.hex32();
        let id = std::str::from_utf8(&id_digits).unwrap_or_default();
        let i = &self.fleet[&instance];
        let d = &self.daemons[&daemon];
        let r = &self.revisions[&revision];
        let origin = TaskOrigin {
            owner: TaskOwner::Daemon { daemon, revision },
            group: d.task_group.clone(),
            started_by: d.task_started_by.clone(),
            task_definition: r.daemon_task_definition.clone(),
            cpu: r.cpu,
            memory: r.memory,
            images: r.task_images.clone(),
            first_status: TaskStatus::Pending,
        };
        let task =
            Task::created(key, id, self.scope.task_shared(&i.cluster, id), instance, i, origin, self.at());
        let role_ready = self
            .capacity_providers
            .get(&i.capacity_provider)
            .map(|c| c.instance_profile_ready)
            .unwrap_or(true);
        self.tasks.insert(id_value, task);
        if let Some(i) = self.fleet.get_mut(&instance) {
            i.tasks.insert(key);
        }
        self.emit_task(key);
        let stage = if role_ready { Stage::DaemonPending } else { Stage::AgentRoleFailure };
        self.schedule_stage(stage, Timer::Task { key, from: TaskStatus::Pending });
        key
    }

    /// One failed attempt to start a daemon task: event, health, circuit breaker, retry.
    pub(crate) fn daemon_start_failed(
        &mut self,
        instance: InstanceKey,
        daemon: DaemonKey,
        revision: RevisionKey,
        task: Option<TaskKey>,
        failure_type: &'static str,
        reason: String,
    ) {
        self.emit_service_action(instance, daemon, revision, task, failure_type, reason);
        if let Some(slot) = self.fleet.get_mut(&instance).and_then(|i| i.daemons.get_mut(&daemon)) {
            slot.failures += 1;
        }
        let critical = self.revisions.get(&revision).map(|r| r.critical).unwrap_or(true);
        let short = match task.and_then(|t| self.tasks.get(&t)) {
            Some(t) => format!("Daemon task: {} failed to start", t.id),
            None => "Daemon task could not be created".to_string(),
        };
        if critical {
            self.set_daemon_health(instance, HealthState::Impaired, Some(short));
        }
        self.count_daemon_failure(daemon, revision);
        self.schedule_stage(Stage::DaemonRetryBackoff, Timer::DaemonRetry { instance, daemon });
    }

    pub(crate) fn set_daemon_health(
        &mut self,
        instance: InstanceKey,
        status: HealthState,
        reason: Option<String>,
    ) {
        let at = self.at();
        let Some(i) = self.fleet.get_mut(&instance) else { return };
        if !i.status.is_registered() {
            return;
        }
        i.health.last_updated = at;
        if i.health.status == status {
            return;
        }
        i.health.status = status;
        i.health.status_reason = reason;
        i.health.last_status_change = at;
        self.emit_health(instance);
    }

    pub(crate) fn on_daemon_retry(&mut self, instance: InstanceKey, daemon: DaemonKey) {
        let Some(i) = self.fleet.get(&instance) else { return };
        if !matches!(i.status, InstanceStatus::Registering | InstanceStatus::Active) {
            return;
        }
        // A critical daemon task lost on an ACTIVE instance whose repair is held stays lost (see
        // `auto_repair`).
        let critical = |slot: &DaemonSlot| self.revisions.get(&slot.revision).map(|r| r.critical);
        if i.status == InstanceStatus::Active
            && i.daemons.get(&daemon).and_then(critical).unwrap_or(false)
            && !self.repairs(i)
        {
            return;
        }
        let still_wanted = self.daemons.get(&daemon).map(|d| !d.deleted).unwrap_or(false);
        if still_wanted {
            self.start_daemon_task(instance, daemon);
        }
    }
}
