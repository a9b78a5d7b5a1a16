//! Tasks: creation, the lifecycle timers from PROVISIONING to STOPPED, start failures, stop.

use super::{reason_head, REASON_PULL, REASON_ROLE};
use crate::engine::lifecycle::Stage;
use crate::engine::model::*;
use crate::engine::sim::{Simulation, Timer};

impl Simulation {
    pub(crate) fn create_app_task(&mut self, service: ServiceKey, instance: InstanceKey) -> Option<TaskKey> {
        if !self.services.contains_key(&service) || !self.fleet.contains_key(&instance) {
            return None;
        }
        let key = self.tasks.next_key();
        let (id_digits, id_value) = self.rng.hex32();
        let id = std::str::from_utf8(&id_digits).unwrap_or_default();
        let s = &self.services[&service];
        let i = &self.fleet[&instance];
        let origin = TaskOrigin {
            owner: TaskOwner::Service(service),
            group: s.group.clone(),
            started_by: s.task_started_by.clone(),
            task_definition: s.task_definition.clone(),
            cpu: s.cpu,
            memory: s.memory,
            images: s.task_images.clone(),
            first_status: TaskStatus::Provisioning,
        };
        let task =
            Task::created(key, id, self.scope.task_shared(&i.cluster, id), instance, i, origin, self.at());
        let active = i.status == InstanceStatus::Active;
        self.tasks.insert(id_value, task);
        if let Some(i) = self.fleet.get_mut(&instance) {
            i.tasks.insert(key);
            i.idle_since = None;
        }
        if let Some(s) = self.services.get_mut(&service) {
            s.live.insert(key);
        }
        self.emit_task(key);
        if active {
            self.schedule_stage(Stage::AppProvisioning, Timer::Task { key, from: TaskStatus::Provisioning });
        }
        Some(key)
    }

    pub(super) fn set_task_status(&mut self, key: TaskKey, status: TaskStatus) {
        let at = self.at();
        let Some(t) = self.tasks.get_mut(&key) else { return };
        let was_running = t.last_status == TaskStatus::Running;
        t.last_status = status;
        t.version += 1;
        match status {
            TaskStatus::Activating => t.pull_started_at = Some(at),
            TaskStatus::Running => {
                t.pull_stopped_at = Some(at);
                t.started_at = Some(at);
            }
            TaskStatus::Stopped => t.stopped_at = Some(at),
            _ => {}
        }
        let live = t.is_live();
        if let TaskOwner::Service(s) = t.owner {
            if live {
                if let Some(s) = self.services.get_mut(&s) {
                    if status == TaskStatus::Running && !was_running {
                        s.running_count += 1;
                    }
                }
            }
        }
        self.emit_task(key);
    }

    pub(crate) fn on_task_timer(&mut self, key: TaskKey, from: TaskStatus) {
        let Some(t) = self.tasks.get(&key) else { return };
        if t.last_status != from {
            return;
        }
        let daemon = t.is_daemon();
        let live = t.is_live();
        match from {
            TaskStatus::Provisioning if live => {
                self.set_task_status(key, TaskStatus::Pending);
                self.schedule_stage(Stage::AppPending, Timer::Task { key, from: TaskStatus::Pending });
            }
            TaskStatus::Pending if live => {
                if daemon && !self.role_ready(key) {
                    self.fail_task_start(key, REASON_ROLE.to_string());
                    return;
                }
                self.set_task_status(key, TaskStatus::Activating);
                let stage = if self.image_unpullable(key) {
                    Stage::ImagePullFailure
                } else if daemon {
                    Stage::DaemonActivating
                } else {
                    Stage::AppActivating
                };
                self.schedule_stage(stage, Timer::Task { key, from: TaskStatus::Activating });
            }
            TaskStatus::Activating if live => {
                if self.image_unpullable(key) {
                    self.fail_task_start(key, REASON_PULL.to_string());
                    return;
                }
                self.set_task_status(key, TaskStatus::Running);
                self.on_task_running(key);
            }
            TaskStatus::Deactivating => {
                self.set_task_status(key, TaskStatus::Stopping);
                let stage = if daemon { Stage::DaemonStopping } else { Stage::TaskStopping };
                self.schedule_stage(stage, Timer::Task { key, from: TaskStatus::Stopping });
            }
            TaskStatus::Stopping => {
                self.set_task_status(key, TaskStatus::Deprovisioning);
                self.schedule_stage(
                    Stage::TaskDeprovisioning,
                    Timer::Task { key, from: TaskStatus::Deprovisioning },
                );
            }
            TaskStatus::Deprovisioning => self.finish_task(key),
            _ => {}
        }
    }

    pub(super) fn role_ready(&self, key: TaskKey) -> bool {
        self.tasks
            .get(&key)
            .and_then(|t| self.capacity_providers.get(&t.capacity_provider))
            .map(|c| c.instance_profile_ready)
            .unwrap_or(true)
    }

    pub(super) fn image_unpullable(&self, key: TaskKey) -> bool {
        if self.unpullable_images.is_empty() {
            return false;
        }
        self.tasks
            .get(&key)
            .map(|t| t.images.iter().any(|(_, img)| self.unpullable_images.contains(img)))
            .unwrap_or(false)
    }

    pub(super) fn on_task_running(&mut self, key: TaskKey) {
        let t = &self.tasks[&key];
        let instance = t.instance;
        match t.owner {
            TaskOwner::Daemon { revision, .. } => {
                let health_checked =
                    self.revisions.get(&revision).map(|r| r.has_health_check).unwrap_or(false);
                if health_checked {
                    self.schedule_stage(Stage::DaemonHealthCheck, Timer::TaskHealthy { key });
                } else {
                    self.check_registration(instance);
                    self.daemon_became_healthy(instance);
                }
            }
            TaskOwner::Service(s) => {
                self.hungry.insert(s);
                self.schedule_stage(Stage::AppHealthyGrace, Timer::AppHealthy { key });
            }
        }
    }

    pub(crate) fn on_app_healthy(&mut self, key: TaskKey) {
        let Some(t) = self.tasks.get_mut(&key) else { return };
        if t.last_status != TaskStatus::Running || !t.is_live() || t.service_healthy {
            return;
        }
        t.service_healthy = true;
        if let TaskOwner::Service(s) = t.owner {
            if let Some(svc) = self.services.get_mut(&s) {
                svc.healthy_count += 1;
                self.hungry.insert(s);
            }
        }
    }

    pub(crate) fn on_task_healthy(&mut self, key: TaskKey) {
        let Some(t) = self.tasks.get_mut(&key) else { return };
        if t.last_status != TaskStatus::Running || t.health_status != TaskHealth::Unknown || !t.is_live() {
            return;
        }
        t.health_status = TaskHealth::Healthy;
        t.version += 1;
        let instance = t.instance;
        self.emit_task(key);
        self.check_registration(instance);
        self.daemon_became_healthy(instance);
    }

    /// A daemon task running (and healthy) on an ACTIVE instance clears an IMPAIRED health.
    pub(super) fn daemon_became_healthy(&mut self, instance: InstanceKey) {
        let Some(i) = self.fleet.get(&instance) else { return };
        if i.status == InstanceStatus::Active
            && i.health.status == HealthState::Impaired
            && self.critical_daemons_ready(i)
        {
            self.set_daemon_health(instance, HealthState::Ok, None);
        }
    }

    /// The task never reached RUNNING.
    pub(super) fn fail_task_start(&mut self, key: TaskKey, reason: String) {
        let t = &self.tasks[&key];
        let (instance, owner) = (t.instance, t.owner);
        self.begin_stop(key, StopCause::FailedToStart, Some("TaskFailedToStart"), &reason);
        match owner {
            TaskOwner::Daemon { daemon, revision } => {
                let full = format!("Task failed to reach RUNNING status: {}", reason_head(&reason));
                self.daemon_start_failed(instance, daemon, revision, Some(key), "TASK_FAILED_TO_RUN", full);
            }
            TaskOwner::Service(s) => {
                let at = self.schedule_stage(Stage::ServiceRetryBackoff, Timer::ServiceRetry { service: s });
                if let Some(svc) = self.services.get_mut(&s) {
                    svc.retry_at = at;
                }
            }
        }
    }

    /// Moves a task towards STOPPED: desiredStatus STOPPED at once; a task that never ran stops
    /// immediately, a running one goes through DEACTIVATING → STOPPING → DEPROVISIONING.
    pub(crate) fn begin_stop(
        &mut self,
        key: TaskKey,
        cause: StopCause,
        code: Option<&'static str>,
        reason: &str,
    ) {
        let at = self.at();
        let Some(t) = self.tasks.get_mut(&key) else { return };
        if !t.is_live() {
            return;
        }
        let was_running = t.last_status == TaskStatus::Running;
        let was_healthy = std::mem::take(&mut t.service_healthy);
        t.desired_status = DesiredStatus::Stopped;
        t.stopping_at = Some(at);
        t.stop_cause = Some(cause);
        t.stop_code = code;
        t.stopped_reason = Some(reason.into());
        t.version += 1;
        let (owner, instance, status) = (t.owner, t.instance, t.last_status);
        if let TaskOwner::Service(s) = owner {
            if let Some(s) = self.services.get_mut(&s) {
                s.live.remove(&key);
                s.on_draining.remove(&key);
                s.outdated.remove(&key);
                if was_running {
                    s.running_count -= 1;
                }
                if was_healthy {
                    s.healthy_count -= 1;
                }
                if s.kind == ServiceKind::Standalone {
                    s.desired_count = s.desired_count.saturating_sub(1);
                }
                self.hungry.insert(s.key);
            }
        }
        if status == TaskStatus::Running {
            self.set_task_status(key, TaskStatus::Deactivating);
            self.schedule_stage(Stage::TaskDeactivating, Timer::Task { key, from: TaskStatus::Deactivating });
        } else {
            self.finish_task(key);
        }
        self.fleet.mark_dirty(instance);
    }

    /// STOPPED: resources return to the instance; drain-last and idle bookkeeping follow.
    pub(super) fn finish_task(&mut self, key: TaskKey) {
        self.set_task_status(key, TaskStatus::Stopped);
        let t = &self.tasks[&key];
        let (instance, owner, cpu, memory, cause) = (t.instance, t.owner, t.cpu, t.memory, t.stop_cause);
        let Some(i) = self.fleet.get_mut(&instance) else { return };
        i.tasks.remove(&key);
        i.remaining_cpu = (i.remaining_cpu + cpu).min(i.registered_cpu);
        i.remaining_memory = (i.remaining_memory + memory).min(i.registered_memory);
        let status = i.status;
        let cp = i.capacity_provider_name.clone();
        if let TaskOwner::Daemon { daemon, .. } = owner {
            if let Some(slot) = i.daemons.get_mut(&daemon) {
                if slot.task == Some(key) {
                    slot.task = None;
                    // The reservation stays with the slot while the daemon should run here.
                    let keep = matches!(status, InstanceStatus::Registering | InstanceStatus::Active);
                    if keep {
                        i.remaining_cpu -= cpu.min(i.remaining_cpu);
                        i.remaining_memory -= memory.min(i.remaining_memory);
                    } else {
                        slot.reserved = false;
                    }
                }
            }
            // The daemon scheduler restarts a daemon task that stopped on a healthy instance
            // (failed starts already scheduled their retry).
            if matches!(status, InstanceStatus::Registering | InstanceStatus::Active)
                && !matches!(cause, Some(StopCause::FailedToStart))
            {
                self.schedule_stage(Stage::DaemonRetryBackoff, Timer::DaemonRetry { instance, daemon });
            }
        } else if status.accepts_placement() {
            self.fleet.reindex(instance);
            self.feed_starving(&cp);
        }
        self.check_drain_progress(instance);
        self.check_idle(instance);
    }
}
