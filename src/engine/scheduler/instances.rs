//! Instances: launch with daemon-first reservation, boot, registration and the status changes
//! every other part goes through.

use crate::engine::lifecycle::Stage;
use crate::engine::model::*;
use crate::engine::sim::{Simulation, Timer};
use crate::engine::slab::SmallKeys;
use std::collections::BTreeMap;
use std::sync::Arc;

impl Simulation {
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

    pub(super) fn set_instance_status(
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
    pub(super) fn on_booted(&mut self, key: InstanceKey) {
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
    pub(super) fn on_registering(&mut self, key: InstanceKey) {
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

    /// Whether every critical daemon of the instance has a task that counts as started: RUNNING,
    /// and HEALTHY too when its definition has a container health check. An instance registers
    /// (leaves REGISTERING) only then: the daemon-first guarantee.
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
}
