//! Instances, tasks and services: launch, daemon-first registration, placement, drain-last and
//! the one replacement mechanism shared by deployments, auto-repair, scale-in and termination.

use super::lifecycle::Stage;
use super::model::*;
use super::sim::{Simulation, Timer};
use super::slab::SmallKeys;
use std::collections::BTreeMap;
use std::sync::Arc;

pub(crate) const REASON_PULL: &str =
    "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref";
pub(crate) const REASON_ROLE: &str =
    "Instance role is missing AmazonECSInstanceRolePolicyForManagedInstances: \
the ECS agent cannot start daemon tasks (the legacy AmazonEC2ContainerServiceforEC2Role does not allow them)";

impl Simulation {
    // ----- instances -----------------------------------------------------------------------------

    /// Requests an EC2 instance for the provider. None when the provider cannot launch (fault,
    /// not ACTIVE) or, for scale-out (`replacement_of` None), when it is at its maximum.
    pub(crate) fn launch_instance(
        &mut self,
        cp_name: &str,
        replacement_of: Option<InstanceKey>,
    ) -> Option<InstanceKey> {
        let cp = self.capacity_providers.get(cp_name)?;
        if cp.status != CapacityProviderStatus::Active || cp.launch_blocked {
            return None;
        }
        if replacement_of.is_none() && cp.instances.len() as u32 >= cp.max_instances {
            return None;
        }
        let (size, cluster, cold) = (cp.size, cp.cluster.clone(), !cp.warmed);
        let key = self.fleet.next_key();
        let (id_digits, id_value) = self.rng.hex32();
        let id = std::str::from_utf8(&id_digits).unwrap_or_default();
        let mut ec2_digits = *b"i-0________________";
        let (ec2_hex, ec2_value) = self.rng.hex16();
        ec2_digits[3..].copy_from_slice(&ec2_hex);
        let ec2 = std::str::from_utf8(&ec2_digits).unwrap_or_default();
        let arn = self.scope.container_instance_shared(&cluster, id);
        let cluster_arn = self.cluster_arn(&cluster);
        let capacity_provider_name = self.event_name(cp_name);
        let mut instance = ContainerInstance {
            key,
            id: id.to_string(),
            arn,
            ec2_instance_id: Arc::from(ec2),
            cluster,
            capacity_provider: cp_name.to_string(),
            instance_type: size.instance_type,
            status: InstanceStatus::Launching,
            registered_cpu: size.vcpu * 1024,
            registered_memory: size.memory_mib,
            remaining_cpu: size.vcpu * 1024,
            remaining_memory: size.memory_mib,
            launched_at: self.at(),
            registered_at: None,
            activated_at: None,
            status_changed_at: self.at(),
            health: DaemonHealth {
                status: HealthState::Initializing,
                status_reason: None,
                last_status_change: self.at(),
                last_updated: self.at(),
            },
            tasks: Default::default(),
            daemons: BTreeMap::new(),
            drain_cause: None,
            replacement_of,
            replaced_by: None,
            promised: BTreeMap::new(),
            idle_since: None,
            version: 1,
            cluster_arn,
            capacity_provider_name,
        };
        // Daemon-first reservation: every daemon of the provider reserves its cpu/memory before any
        // app task can be promised this instance.
        let daemons = self
            .daemons
            .values()
            .filter(|d| d.status == DaemonStatus::Active && d.capacity_providers.iter().any(|c| c == cp_name))
            .map(|d| (d.key, d.current_revision));
        for (daemon, revision) in daemons {
            let (cpu, memory) = self.revisions.get(&revision).map(|r| (r.cpu, r.memory)).unwrap_or((0, 0));
            let reserved = instance.remaining_cpu >= cpu && instance.remaining_memory >= memory;
            if reserved {
                instance.remaining_cpu -= cpu;
                instance.remaining_memory -= memory;
            }
            instance.daemons.insert(daemon, DaemonSlot { revision, reserved, task: None, failures: 0 });
        }
        self.fleet.insert(id_value, ec2_value, instance);
        if let Some(cp) = self.capacity_providers.get_mut(cp_name) {
            cp.instances.insert(key);
        }
        if let Some(old) = replacement_of {
            if let Some(o) = self.fleet.get_mut(&old) {
                o.replaced_by = Some(key);
            }
            self.fleet.mark_dirty(old);
        }
        let stage = if cold { Stage::ColdLaunch } else { Stage::WarmLaunch };
        self.schedule_stage(stage, Timer::Instance { key, from: InstanceStatus::Launching });
        Some(key)
    }

    pub(crate) fn on_instance_timer(&mut self, key: InstanceKey, from: InstanceStatus) {
        let Some(instance) = self.fleet.get(&key) else { return };
        if instance.status != from {
            return;
        }
        match from {
            InstanceStatus::Launching => self.on_booted(key),
            InstanceStatus::Booted => self.on_registering(key),
            InstanceStatus::Deregistering => self.on_terminated(key),
            _ => {}
        }
    }

    fn set_instance_status(
        &mut self,
        key: InstanceKey,
        status: InstanceStatus,
        reason: Option<&'static str>,
    ) {
        let at = self.at();
        let Some(i) = self.fleet.get_mut(&key) else { return };
        i.status = status;
        i.status_changed_at = at;
        i.version += 1;
        self.fleet.reindex(key);
        if status.is_registered() || status == InstanceStatus::Terminated {
            self.emit_instance(key, reason);
        } else {
            self.fleet.mark_dirty(key);
        }
    }

    /// EC2 running: the promised app tasks are created (PROVISIONING) — before the container
    /// instance registers, which is why the seed saw the app task's createdAt precede the daemon's.
    fn on_booted(&mut self, key: InstanceKey) {
        self.set_instance_status(key, InstanceStatus::Booted, None);
        // Every launch requested before the provider's first instance booted was a cold one.
        let cp = self.fleet[&key].capacity_provider_name.clone();
        if let Some(p) = self.capacity_providers.get_mut(&*cp) {
            p.warmed = true;
        }
        let promised = self.fleet.get_mut(&key).map(|i| std::mem::take(&mut i.promised)).unwrap_or_default();
        for (service, count) in promised {
            if let Some(s) = self.services.get_mut(&service) {
                s.promised.remove(&key);
                s.promised_count -= count;
            }
            for _ in 0..count {
                self.create_app_task(service, key);
            }
        }
        self.schedule_stage(Stage::AgentRegister, Timer::Instance { key, from: InstanceStatus::Booted });
    }

    /// The container instance registers; daemon tasks are created first thing.
    fn on_registering(&mut self, key: InstanceKey) {
        let at = self.at();
        if let Some(i) = self.fleet.get_mut(&key) {
            i.registered_at = Some(at);
        }
        self.set_instance_status(key, InstanceStatus::Registering, None);
        let daemons: SmallKeys<DaemonKey> = self.fleet[&key].daemons.keys().copied().collect();
        for daemon in daemons {
            self.start_daemon_task(key, daemon);
        }
        self.check_registration(key);
        self.pump_deployments_watching(key);
    }

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

    fn create_daemon_task(
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
        let task = Task {
            key,
            arn: self.scope.task_shared(&i.cluster, id),
            id: id.to_string(),
            cluster: i.cluster.clone(),
            owner: TaskOwner::Daemon { daemon, revision },
            group: d.task_group.clone(),
            started_by: d.task_started_by.clone(),
            task_definition: r.daemon_task_definition.clone(),
            instance,
            container_instance_arn: i.arn.clone(),
            capacity_provider: i.capacity_provider.clone(),
            last_status: TaskStatus::Pending,
            desired_status: DesiredStatus::Running,
            health_status: TaskHealth::Unknown,
            cpu: r.cpu,
            memory: r.memory,
            created_at: self.at(),
            pull_started_at: None,
            pull_stopped_at: None,
            started_at: None,
            stopping_at: None,
            stopped_at: None,
            stop_code: None,
            stopped_reason: None,
            stop_cause: None,
            version: 1,
            service_healthy: false,
            images: r.task_images.clone(),
            cluster_arn: i.cluster_arn.clone(),
            capacity_provider_name: i.capacity_provider_name.clone(),
        };
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

    /// Daemon-first: REGISTERING → ACTIVE once every critical daemon task runs (and is HEALTHY
    /// when its definition has a health check). Non-critical daemons never block registration.
    pub(crate) fn check_registration(&mut self, key: InstanceKey) {
        let Some(i) = self.fleet.get(&key) else { return };
        if i.status != InstanceStatus::Registering {
            return;
        }
        if !self.critical_daemons_ready(i) {
            return;
        }
        let at = self.at();
        if let Some(i) = self.fleet.get_mut(&key) {
            i.activated_at = Some(at);
        }
        self.set_instance_status(key, InstanceStatus::Active, None);
        self.set_daemon_health(key, HealthState::Ok, None);
        // App tasks created while the instance registered may now proceed.
        let waiting: SmallKeys<TaskKey> = self.fleet[&key]
            .tasks
            .iter()
            .copied()
            .filter(|t| {
                self.tasks
                    .get(t)
                    .map(|t| !t.is_daemon() && t.last_status == TaskStatus::Provisioning && t.is_live())
                    .unwrap_or(false)
            })
            .collect();
        for t in waiting {
            self.schedule_stage(
                Stage::AppProvisioning,
                Timer::Task { key: t, from: TaskStatus::Provisioning },
            );
        }
        let cp = self.fleet[&key].capacity_provider_name.clone();
        self.feed_starving(&cp);
        self.check_idle(key);
    }

    pub fn critical_daemons_ready(&self, i: &ContainerInstance) -> bool {
        i.daemons.iter().all(|(_, slot)| {
            let Some(rev) = self.revisions.get(&slot.revision) else { return true };
            if !rev.critical {
                return true;
            }
            match slot.task.and_then(|t| self.tasks.get(&t)) {
                Some(t) => {
                    t.last_status == TaskStatus::Running
                        && t.is_live()
                        && (!rev.has_health_check || t.health_status == TaskHealth::Healthy)
                }
                None => false,
            }
        })
    }

    // ----- tasks ---------------------------------------------------------------------------------

    pub(crate) fn create_app_task(&mut self, service: ServiceKey, instance: InstanceKey) -> Option<TaskKey> {
        if !self.services.contains_key(&service) || !self.fleet.contains_key(&instance) {
            return None;
        }
        let key = self.tasks.next_key();
        let (id_digits, id_value) = self.rng.hex32();
        let id = std::str::from_utf8(&id_digits).unwrap_or_default();
        let s = &self.services[&service];
        let i = &self.fleet[&instance];
        let task = Task {
            key,
            arn: self.scope.task_shared(&i.cluster, id),
            id: id.to_string(),
            cluster: i.cluster.clone(),
            owner: TaskOwner::Service(service),
            group: s.group.clone(),
            started_by: s.task_started_by.clone(),
            task_definition: s.task_definition.clone(),
            instance,
            container_instance_arn: i.arn.clone(),
            capacity_provider: i.capacity_provider.clone(),
            last_status: TaskStatus::Provisioning,
            desired_status: DesiredStatus::Running,
            health_status: TaskHealth::Unknown,
            cpu: s.cpu,
            memory: s.memory,
            created_at: self.at(),
            pull_started_at: None,
            pull_stopped_at: None,
            started_at: None,
            stopping_at: None,
            stopped_at: None,
            stop_code: None,
            stopped_reason: None,
            stop_cause: None,
            version: 1,
            service_healthy: false,
            images: s.task_images.clone(),
            cluster_arn: i.cluster_arn.clone(),
            capacity_provider_name: i.capacity_provider_name.clone(),
        };
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

    fn set_task_status(&mut self, key: TaskKey, status: TaskStatus) {
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

    fn role_ready(&self, key: TaskKey) -> bool {
        self.tasks
            .get(&key)
            .and_then(|t| self.capacity_providers.get(&t.capacity_provider))
            .map(|c| c.instance_profile_ready)
            .unwrap_or(true)
    }

    fn image_unpullable(&self, key: TaskKey) -> bool {
        if self.unpullable_images.is_empty() {
            return false;
        }
        self.tasks
            .get(&key)
            .map(|t| t.images.iter().any(|(_, img)| self.unpullable_images.contains(img)))
            .unwrap_or(false)
    }

    fn on_task_running(&mut self, key: TaskKey) {
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
    fn daemon_became_healthy(&mut self, instance: InstanceKey) {
        let Some(i) = self.fleet.get(&instance) else { return };
        if i.status == InstanceStatus::Active
            && i.health.status == HealthState::Impaired
            && self.critical_daemons_ready(i)
        {
            self.set_daemon_health(instance, HealthState::Ok, None);
        }
    }

    /// The task never reached RUNNING.
    fn fail_task_start(&mut self, key: TaskKey, reason: String) {
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
    fn finish_task(&mut self, key: TaskKey) {
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

    // ----- services and placement -----------------------------------------------------------------

    /// Brings one service towards its desired count: cancel surplus, place missing tasks (within
    /// maximumPercent), and stop tasks on draining instances once their replacements run
    /// (minimumHealthyPercent): start new before stopping old.
    pub(crate) fn reconcile_service(&mut self, key: ServiceKey) {
        let Some(s) = self.services.get(&key) else { return };
        if s.status == ServiceStatus::Inactive {
            return;
        }
        let desired = if s.status == ServiceStatus::Active { s.desired_count } else { 0 };
        let live = s.live.len() as u32;
        let effective = live - s.on_draining.len() as u32 + s.promised_count;
        if effective > desired {
            self.remove_surplus(key, effective - desired);
        } else if effective < desired && self.now >= s.retry_at {
            let max_total = (desired as u64 * s.maximum_percent as u64 / 100).max(desired as u64) as u32;
            let total = live + s.promised_count;
            let n = (desired - effective).min(max_total.saturating_sub(total));
            for _ in 0..n {
                if !self.place_app_task(key) {
                    break;
                }
            }
        }
        self.stop_replaced_tasks(key, desired);
        if let Some(s) = self.services.get_mut(&key) {
            if s.status == ServiceStatus::Draining && s.live.is_empty() && s.promised_count == 0 {
                s.status = ServiceStatus::Inactive;
            }
        }
    }

    fn remove_surplus(&mut self, key: ServiceKey, mut surplus: u32) {
        // Promises first: nothing has started for them.
        let promised: Vec<(InstanceKey, u32)> =
            self.services[&key].promised.iter().rev().map(|(k, v)| (*k, *v)).collect();
        for (instance, count) in promised {
            if surplus == 0 {
                return;
            }
            let take = count.min(surplus);
            surplus -= take;
            self.cancel_promises(key, instance, take);
        }
        let s = &self.services[&key];
        // Tasks not yet running go first, newest first. A stable partition, not a stable sort on
        // the bool: the same order without one more std sort instantiation in the wasm (release wasm size).
        let (mut victims, running): (Vec<TaskKey>, Vec<TaskKey>) = s
            .live
            .iter()
            .rev()
            .copied()
            .filter(|t| !s.on_draining.contains(t))
            .partition(|t| self.tasks.get(t).is_some_and(|t| t.last_status != TaskStatus::Running));
        victims.extend(running);
        for t in victims.into_iter().take(surplus as usize) {
            self.begin_stop(
                t,
                StopCause::Scheduler,
                Some("ServiceSchedulerInitiated"),
                "Scaling activity initiated by (deployment ecs-svc)",
            );
        }
    }

    pub(crate) fn cancel_promises(&mut self, service: ServiceKey, instance: InstanceKey, count: u32) {
        let (cpu, memory) = self.services.get(&service).map(|s| (s.cpu, s.memory)).unwrap_or((0, 0));
        if let Some(s) = self.services.get_mut(&service) {
            let left = s.promised.get(&instance).copied().unwrap_or(0).saturating_sub(count);
            if left == 0 {
                s.promised.remove(&instance);
            } else {
                s.promised.insert(instance, left);
            }
            s.promised_count = s.promised_count.saturating_sub(count);
        }
        if let Some(i) = self.fleet.get_mut(&instance) {
            let left = i.promised.get(&service).copied().unwrap_or(0).saturating_sub(count);
            if left == 0 {
                i.promised.remove(&service);
            } else {
                i.promised.insert(service, left);
            }
            i.remaining_cpu = (i.remaining_cpu + cpu * count).min(i.registered_cpu);
            i.remaining_memory = (i.remaining_memory + memory * count).min(i.registered_memory);
        }
        self.fleet.reindex(instance);
        self.fleet.mark_dirty(instance);
    }

    /// Stops old tasks on draining instances while the service keeps minimumHealthyPercent
    /// healthy tasks without them. Tasks reach `on_draining` only while RUNNING (the others were
    /// stopped when the drain began), so the work is bounded by the number of stops.
    fn stop_replaced_tasks(&mut self, key: ServiceKey, desired: u32) {
        let s = &self.services[&key];
        if s.on_draining.is_empty() {
            return;
        }
        let min_required = (desired as u64 * s.minimum_healthy_percent as u64).div_ceil(100) as u32;
        let mut budget = s.healthy_count.saturating_sub(min_required);
        while budget > 0 {
            let s = &self.services[&key];
            let Some(&t) = s.on_draining.iter().next() else { break };
            let healthy = self.tasks.get(&t).map(|t| t.service_healthy).unwrap_or(false);
            let reason = if s.outdated.contains(&t) {
                format!("Scaling activity initiated by (deployment {})", s.task_started_by)
            } else {
                "Task stopped because the container instance is draining".to_string()
            };
            self.begin_stop(t, StopCause::Scheduler, Some("ServiceSchedulerInitiated"), &reason);
            if healthy {
                budget -= 1;
            }
        }
    }

    /// Places one task of the service: first fit on an instance with room (launching instances
    /// take promises), else scale-out. False when there is no capacity and none can be launched.
    fn place_app_task(&mut self, key: ServiceKey) -> bool {
        let s = &self.services[&key];
        let (cpu, memory, cp) = (s.cpu, s.memory, s.capacity_provider.clone());
        let instance = match self.fleet.best_fit(&cp, cpu, memory) {
            Some(ik) => ik,
            None => {
                if !self.fits_empty_instance(&cp, cpu, memory) {
                    self.starving.entry(cp).or_default().insert(key);
                    return false;
                }
                match self.launch_instance(&cp, None) {
                    Some(ik) => ik,
                    None => {
                        self.starving.entry(cp).or_default().insert(key);
                        return false;
                    }
                }
            }
        };
        let i = self.fleet.get_mut(&instance).expect("chosen instance exists");
        i.remaining_cpu -= cpu;
        i.remaining_memory -= memory;
        i.idle_since = None;
        self.fleet.reindex(instance);
        // A service's task is created when its EC2 instance is running (seed 002: createdAt 27 s
        // before the daemon's); RunTask must answer with task ARNs, so its tasks exist at once.
        let standalone = self.services[&key].kind == ServiceKind::Standalone;
        if self.fleet[&instance].status == InstanceStatus::Launching && !standalone {
            let i = self.fleet.get_mut(&instance).expect("exists");
            *i.promised.entry(key).or_insert(0) += 1;
            let s = self.services.get_mut(&key).expect("exists");
            *s.promised.entry(instance).or_insert(0) += 1;
            s.promised_count += 1;
            self.fleet.mark_dirty(instance);
        } else {
            self.create_app_task(key, instance);
        }
        true
    }

    /// Would a task of this size fit a fresh instance of the provider after its daemons reserve?
    fn fits_empty_instance(&self, cp: &str, cpu: u32, memory: u32) -> bool {
        let Some(p) = self.capacity_providers.get(cp) else { return false };
        let (mut c, mut m) = (p.size.vcpu * 1024, p.size.memory_mib);
        for d in self
            .daemons
            .values()
            .filter(|d| d.status == DaemonStatus::Active && d.capacity_providers.iter().any(|x| x == cp))
        {
            if let Some(r) = self.revisions.get(&d.current_revision) {
                if c >= r.cpu && m >= r.memory {
                    c -= r.cpu;
                    m -= r.memory;
                }
            }
        }
        c >= cpu && m >= memory
    }

    /// Capacity appeared on the provider: services that could not be placed try again.
    pub(crate) fn feed_starving(&mut self, cp: &str) {
        if let Some(set) = self.starving.get_mut(cp) {
            let services = std::mem::take(set);
            self.hungry.extend(services);
        }
    }

    // ----- drain, replacement, idle ----------------------------------------------------------------

    /// The one replacement mechanism: the instance goes DRAINING (no new placements, its app tasks
    /// keep running), a replacement is launched when asked, services start replacements of its app
    /// tasks elsewhere before stopping them, its daemon tasks stop last, then it deregisters and
    /// terminates.
    pub(crate) fn begin_drain(&mut self, key: InstanceKey, cause: DrainCause, replace: bool) {
        let Some(i) = self.fleet.get_mut(&key) else { return };
        if !matches!(
            i.status,
            InstanceStatus::Registering | InstanceStatus::Active | InstanceStatus::RegistrationFailed
        ) {
            return;
        }
        i.drain_cause = Some(cause);
        i.idle_since = None;
        let cp = i.capacity_provider_name.clone();
        self.set_instance_status(key, InstanceStatus::Draining, None);
        if replace && self.launch_instance(&cp, Some(key)).is_none() {
            let blocked = self
                .capacity_providers
                .get(&*cp)
                .map(|c| c.status == CapacityProviderStatus::Active)
                .unwrap_or(false);
            if blocked {
                self.fleet.owe_replacement(&cp, key);
            }
        }
        let forced = matches!(cause, DrainCause::Terminated | DrainCause::ProviderDeleted);
        let app_tasks: SmallKeys<TaskKey> = self.fleet[&key]
            .tasks
            .iter()
            .copied()
            .filter(|t| self.tasks.get(t).map(|t| !t.is_daemon() && t.is_live()).unwrap_or(false))
            .collect();
        for t in app_tasks {
            let task = &self.tasks[&t];
            let TaskOwner::Service(s) = task.owner else { continue };
            let standalone = self.services.get(&s).map(|s| s.kind == ServiceKind::Standalone).unwrap_or(true);
            if forced || standalone || task.last_status != TaskStatus::Running {
                let reason = if forced {
                    "Container instance is terminating"
                } else {
                    "Container instance is draining"
                };
                self.begin_stop(t, StopCause::Scheduler, Some("ServiceSchedulerInitiated"), reason);
            } else if let Some(svc) = self.services.get_mut(&s) {
                svc.on_draining.insert(t);
                self.hungry.insert(s);
            }
        }
        self.check_drain_progress(key);
    }

    /// Drain-last: daemon tasks stop only once no app task remains on the instance; with no task
    /// left the instance deregisters.
    pub(crate) fn check_drain_progress(&mut self, key: InstanceKey) {
        let Some(i) = self.fleet.get(&key) else { return };
        if i.status != InstanceStatus::Draining {
            return;
        }
        let any_app = i.tasks.iter().any(|t| self.tasks.get(t).map(|t| !t.is_daemon()).unwrap_or(false));
        if any_app {
            return;
        }
        let daemon_tasks: SmallKeys<TaskKey> = i.tasks.iter().copied().collect();
        if daemon_tasks.as_slice().is_empty() {
            // Reservations of daemon tasks that never got created go back with the instance.
            let i = self.fleet.get_mut(&key).expect("exists");
            let mut freed = (0, 0);
            for slot in i.daemons.values_mut().filter(|s| s.reserved && s.task.is_none()) {
                slot.reserved = false;
                if let Some(r) = self.revisions.get(&slot.revision) {
                    freed.0 += r.cpu;
                    freed.1 += r.memory;
                }
            }
            i.remaining_cpu = (i.remaining_cpu + freed.0).min(i.registered_cpu);
            i.remaining_memory = (i.remaining_memory + freed.1).min(i.registered_memory);
            self.set_instance_status(key, InstanceStatus::Deregistering, None);
            self.schedule_stage(
                Stage::Deregistration,
                Timer::Instance { key, from: InstanceStatus::Deregistering },
            );
            return;
        }
        for t in daemon_tasks {
            self.begin_stop(
                t,
                StopCause::DrainDaemon,
                Some("ServiceSchedulerInitiated"),
                "Container instance is draining: daemon task stopped last",
            );
        }
    }

    fn on_terminated(&mut self, key: InstanceKey) {
        // Anything still on the instance goes down with it.
        let left: SmallKeys<TaskKey> = self.fleet[&key].tasks.iter().copied().collect();
        for t in left {
            self.begin_stop(
                t,
                StopCause::InstanceGone,
                Some("TerminationNotice"),
                "Host EC2 instance terminated",
            );
            if self.tasks.get(&t).map(|t| t.last_status != TaskStatus::Stopped).unwrap_or(false) {
                self.finish_task(t);
            }
        }
        let promised: Vec<(ServiceKey, u32)> =
            self.fleet[&key].promised.iter().map(|(k, v)| (*k, *v)).collect();
        for (s, n) in promised {
            self.cancel_promises(s, key, n);
            self.hungry.insert(s);
        }
        let cp = self.fleet[&key].capacity_provider_name.clone();
        self.set_instance_status(key, InstanceStatus::Terminated, None);
        if let Some(p) = self.capacity_providers.get_mut(&*cp) {
            p.instances.remove(&key);
        }
        self.fleet.forgive(&cp, key);
        self.replace_lost_replacement(key);
        // A provider at its instance maximum can launch again: services that could not be
        // placed retry (found by the seed sweep with capped providers: they starved for good).
        self.feed_starving(&cp);
        self.instance_gone_from_deployments(key);
        self.maybe_finish_provider_deletion(&cp);
    }

    /// An ACTIVE instance without app tasks starts its idle timer (daemon tasks do not count).
    pub(crate) fn check_idle(&mut self, key: InstanceKey) {
        let Some(i) = self.fleet.get(&key) else { return };
        if i.status != InstanceStatus::Active || i.idle_since.is_some() || !i.promised.is_empty() {
            return;
        }
        let any_app = i.tasks.iter().any(|t| self.tasks.get(t).map(|t| !t.is_daemon()).unwrap_or(false));
        if any_app {
            return;
        }
        let Some(cp) = self.capacity_providers.get(&i.capacity_provider) else { return };
        let delay = match cp.scale_in_after_s {
            Some(s) if s < 0 => return,
            Some(s) => Some(s as u64 * super::time::SECOND),
            None => None,
        };
        let since = self.now;
        if let Some(i) = self.fleet.get_mut(&key) {
            i.idle_since = Some(since);
        }
        self.schedule_stage_after(Stage::IdleScaleIn, delay, Timer::Idle { instance: key, since });
    }

    /// Scale-in of an idle instance. AWS (Managed Instances infrastructure optimization) marks an idle
    /// instance DEREGISTERING directly; our choice: we pass through DRAINING (with no app task it lasts only
    /// while the daemon tasks stop) so that scale-in uses the same drain-last path as every other removal and
    /// viewers see it.
    pub(crate) fn on_idle(&mut self, key: InstanceKey, since: u64) {
        let Some(i) = self.fleet.get(&key) else { return };
        if i.status != InstanceStatus::Active || i.idle_since != Some(since) {
            return;
        }
        let Some(cp) = self.capacity_providers.get(&i.capacity_provider) else { return };
        // Counting is only needed when a floor is set (and such fleets are small).
        if cp.min_instances > 0 {
            let live = cp
                .instances
                .iter()
                .filter(|k| self.fleet.get(k).map(|i| i.drain_cause.is_none()).unwrap_or(false))
                .count();
            if live as u32 <= cp.min_instances {
                return;
            }
        }
        self.begin_drain(key, DrainCause::ScaleIn, false);
    }

    /// Cancels an instance that never registered (EC2 launch aborted): its promises go back to
    /// their services and it disappears without a drain (it never ran anything).
    pub(crate) fn abort_unregistered(&mut self, key: InstanceKey, reason: &str) {
        let Some(i) = self.fleet.get(&key) else { return };
        if !matches!(i.status, InstanceStatus::Launching | InstanceStatus::Booted) {
            return;
        }
        let cp = i.capacity_provider_name.clone();
        let promised: Vec<(ServiceKey, u32)> = i.promised.iter().map(|(k, v)| (*k, *v)).collect();
        for (s, n) in promised {
            self.cancel_promises(s, key, n);
            self.hungry.insert(s);
        }
        let tasks: Vec<TaskKey> = self.fleet[&key].tasks.iter().copied().collect();
        for t in tasks {
            self.begin_stop(t, StopCause::InstanceGone, Some("TerminationNotice"), reason);
        }
        let i = self.fleet.get_mut(&key).expect("exists");
        i.status = InstanceStatus::Terminated;
        self.fleet.mark_dirty(key);
        self.fleet.reindex(key);
        if let Some(p) = self.capacity_providers.get_mut(&*cp) {
            p.instances.remove(&key);
        }
        self.fleet.reindex(key);
        self.replace_lost_replacement(key);
        self.feed_starving(&cp);
        self.instance_gone_from_deployments(key);
    }

    /// A replacement instance is gone before the instance it replaces finished draining (a fault: instance
    /// loss, or its launch aborted): the draining instance gets a new replacement, as a batch of a deployment
    /// and auto-repair launch one per drained (AWS: managed daemons deployments and auto-repair) instance.
    /// Without it only service scale-out covered the capacity, and on a provider at its instance maximum the
    /// drained instance kept its app tasks and the deployment stalled. Our choice where AWS is silent: it is
    /// launched once the lost one is gone, so a drain never holds more than one surge instance over the
    /// provider's maximum; while launches fail it is owed like any replacement. A lost replacement that was
    /// itself being replaced, or whose drained instance is leaving by force (terminated, provider deleted),
    /// needs none. Instance losses are not daemon task launch failures: the circuit breaker does not count
    /// them (it counts daemon task launch failures only); the daemon tasks of the new replacement count as
    /// any other's.
    fn replace_lost_replacement(&mut self, lost: InstanceKey) {
        let Some(l) = self.fleet.get(&lost) else { return };
        let Some(old) = l.replacement_of.filter(|_| l.replaced_by.is_none()) else { return };
        let Some(o) = self.fleet.get(&old) else { return };
        if o.status != InstanceStatus::Draining
            || o.replaced_by != Some(lost)
            || matches!(o.drain_cause, Some(DrainCause::Terminated | DrainCause::ProviderDeleted))
        {
            return;
        }
        let cp = o.capacity_provider_name.clone();
        if self.launch_instance(&cp, Some(old)).is_none() {
            let active = self
                .capacity_providers
                .get(&*cp)
                .map(|c| c.status == CapacityProviderStatus::Active)
                .unwrap_or(false);
            if active {
                self.fleet.owe_replacement(&cp, old);
            }
        }
    }

    /// A critical daemon task stopped or turned unhealthy: the instance is marked IMPAIRED and,
    /// when ACTIVE and its provider's auto repair is ENABLED, repaired — drained with a
    /// replacement launched for it (daemon first, app tasks moved, old instance terminated).
    ///
    /// With auto repair DISABLED the instance stays ACTIVE and IMPAIRED and nothing is drained or
    /// launched for it. AWS does not say whether the daemon scheduler restarts the stopped critical
    /// daemon task there; here it does not (`on_daemon_retry`), and an unhealthy one keeps running
    /// unhealthy. Replacing the instance is how ECS answers a failed critical daemon, and a team
    /// turns repair off to look at the failure on a live instance: a restart would hide it and
    /// clear the IMPAIRED status on its own, so DISABLED would look no different from a daemon
    /// that happened to recover. The instance keeps running its app tasks and, being ACTIVE,
    /// takes new ones (placement goes by status, not health). Non-critical daemon tasks on it are
    /// restarted as anywhere else. Switching auto repair back on repairs it then
    /// ([`Self::set_auto_repair`]).
    pub(crate) fn auto_repair(&mut self, instance: InstanceKey, reason: String) {
        self.set_daemon_health(instance, HealthState::Impaired, Some(reason));
        let Some(i) = self.fleet.get(&instance) else { return };
        if i.status == InstanceStatus::Active && self.repairs(i) {
            self.begin_drain(instance, DrainCause::AutoRepair, true);
        }
    }

    /// Whether the instance's provider has auto repair ENABLED.
    pub fn repairs(&self, i: &ContainerInstance) -> bool {
        self.capacity_providers.get(&i.capacity_provider).map(|cp| cp.auto_repair).unwrap_or(true)
    }

    /// An ACTIVE instance that lost a critical daemon task (stopped, or running unhealthy) and was
    /// not repaired: only possible while its provider's auto repair is DISABLED.
    pub fn repair_held(&self, i: &ContainerInstance) -> bool {
        i.status == InstanceStatus::Active && !self.critical_daemons_ready(i)
    }

    /// `autoRepairConfiguration.actionsStatus` changed. Switched on, it repairs every ACTIVE
    /// instance of the provider that lost a critical daemon task while it was off, in key order,
    /// each as if its daemon task had just failed (its IMPAIRED record is kept). Switched off, it
    /// lets repairs already under way finish: their instances are draining and their
    /// replacements launched. Auto repair is an action ECS takes on the provider's instances,
    /// not an instance setting, so unlike other UpdateCapacityProvider changes it concerns the
    /// instances that already run.
    pub(crate) fn set_auto_repair(&mut self, cp: &str, enabled: bool) {
        let Some(p) = self.capacity_providers.get_mut(cp) else { return };
        let was = std::mem::replace(&mut p.auto_repair, enabled);
        if was || !enabled {
            return;
        }
        let p = &self.capacity_providers[cp];
        let held: SmallKeys<InstanceKey> = p
            .instances
            .iter()
            .copied()
            .filter(|k| self.fleet.get(k).map(|i| self.repair_held(i)).unwrap_or(false))
            .collect();
        for key in held {
            self.begin_drain(key, DrainCause::AutoRepair, true);
        }
    }

    /// Deleting a provider drains its instances without replacement; it disappears when empty.
    pub(crate) fn maybe_finish_provider_deletion(&mut self, cp: &str) {
        let Some(p) = self.capacity_providers.get(cp) else { return };
        if p.status == CapacityProviderStatus::Deprovisioning && p.instances.is_empty() {
            let cluster = p.cluster.clone();
            self.capacity_providers.remove(cp);
            self.fleet.forget_provider(cp);
            self.starving.remove(cp);
            if let Some(c) = self.clusters.get_mut(&cluster) {
                c.capacity_providers.retain(|x| x != cp);
                c.default_strategy.retain(|x| x != cp);
            }
        }
    }

    pub(crate) fn task_definition_by_arn(&self, arn: &str) -> Option<&TaskDefinition> {
        let tail = arn.rsplit('/').next()?;
        let (family, rev) = tail.rsplit_once(':')?;
        self.task_definitions.get(&(family.to_string(), rev.parse().ok()?)).map(|d| &**d)
    }
}

/// The short cause of a failure for the `reason` field: up to the first colon-separated detail.
fn reason_head(reason: &str) -> &str {
    match reason.find(": failed") {
        Some(i) => &reason[..i],
        None => reason,
    }
}
