//! Capacity providers and their instances: Create/Update/DeleteCapacityProvider,
//! UpdateContainerInstancesState and EC2 TerminateInstances.

use super::{capacity_provider_name, err, R};
use crate::engine::arn::last_segment;
use crate::engine::command::*;
use crate::engine::error::{EngineError, ErrorKind};
use crate::engine::model::*;
use crate::engine::sim::Simulation;
use std::sync::Arc;

/// `infrastructureOptimization.scaleInAfter`: -1 (never) or 0–3600 seconds.
fn check_scale_in_after(seconds: Option<i64>) -> Result<(), EngineError> {
    match seconds {
        Some(s) if !(s == -1 || (0..=MAX_SCALE_IN_AFTER_SECONDS).contains(&s)) => Err(EngineError::invalid(
            format!("scaleInAfter: must be -1 or between 0 and {MAX_SCALE_IN_AFTER_SECONDS}"),
        )),
        _ => Ok(()),
    }
}

impl Simulation {
    pub(super) fn cmd_create_cp(&mut self, c: CreateCapacityProvider) -> R<Outcome> {
        let lower = c.name.to_ascii_lowercase();
        if c.name.is_empty() || c.name.len() > 255 {
            return Err(EngineError::invalid("name: must be 1-255 characters"));
        }
        if lower.starts_with("aws") || lower.starts_with("ecs") || lower.starts_with("fargate") {
            return Err(EngineError::invalid(
                "name: a capacity provider name cannot begin with aws, ecs or fargate",
            ));
        }
        let cluster = self.active_cluster(&c.cluster)?.name.clone();
        if self.capacity_providers.contains_key(&c.name) {
            return Err(EngineError::client(format!(
                "name: a capacity provider named {} already exists",
                c.name
            )));
        }
        if c.vcpu_min > c.vcpu_max || c.memory_min_mib > c.memory_max_mib {
            return Err(EngineError::invalid("instanceRequirements: min must not exceed max"));
        }
        let size = pick_instance_size((c.vcpu_min, c.vcpu_max), (c.memory_min_mib, c.memory_max_mib))
            .ok_or_else(|| {
                EngineError::invalid("instanceRequirements: no instance type matches vCpuCount and memoryMiB")
            })?;
        let min = c.min_instances.unwrap_or(0);
        let max = c.max_instances.unwrap_or(10_000);
        if min > max || max == 0 {
            return Err(EngineError::invalid(
                "instance counts: minimum must not exceed maximum, maximum at least 1",
            ));
        }
        check_scale_in_after(c.scale_in_after_s)?;
        let arn: Arc<str> = Arc::from(self.scope.capacity_provider(&c.name));
        let at = self.at();
        self.capacity_providers.insert(
            c.name.clone(),
            Box::new(CapacityProvider {
                name: c.name.clone(),
                arn: arn.clone(),
                cluster,
                status: CapacityProviderStatus::Active,
                size,
                vcpu_range: (c.vcpu_min, c.vcpu_max),
                memory_range: (c.memory_min_mib, c.memory_max_mib),
                min_instances: min,
                max_instances: max,
                instance_profile_ready: c.instance_profile_ready,
                launch_blocked: false,
                scale_in_after_s: c.scale_in_after_s,
                auto_repair: c.auto_repair,
                created_at: at,
                warmed: false,
                instances: Default::default(),
            }),
        );
        Ok(Outcome::CapacityProvider { arn: arn.to_string() })
    }

    pub(super) fn cmd_update_cp(&mut self, c: UpdateCapacityProvider) -> R<Outcome> {
        let name = capacity_provider_name(&c.name).to_string();
        let cp = self.capacity_providers.get(&name).ok_or_else(|| {
            EngineError::client(format!("capacityProvider: the capacity provider {name} does not exist"))
        })?;
        if cp.status != CapacityProviderStatus::Active {
            return Err(EngineError::invalid(format!(
                "capacityProvider: {name} is being deleted and cannot be updated"
            )));
        }
        check_scale_in_after(c.scale_in_after_s.flatten())?;
        if let Some(s) = c.scale_in_after_s {
            self.cp_mut(&name)?.scale_in_after_s = s;
        }
        if let Some(enabled) = c.auto_repair {
            self.set_auto_repair(&name, enabled);
        }
        Ok(Outcome::CapacityProvider { arn: self.capacity_providers[&name].arn.to_string() })
    }

    pub(super) fn cmd_delete_cp(&mut self, name: &str) -> R<Outcome> {
        let name = capacity_provider_name(name).to_string();
        let cp = self.capacity_providers.get(&name).ok_or_else(|| {
            EngineError::client(format!("capacityProvider: the capacity provider {name} does not exist"))
        })?;
        if cp.status != CapacityProviderStatus::Active {
            return Err(EngineError::invalid(format!("capacityProvider: {name} is already being deleted")));
        }
        if self
            .services
            .values()
            .any(|s| s.capacity_provider == name && s.status == ServiceStatus::Active && s.desired_count > 0)
        {
            return Err(err(
                ErrorKind::ResourceInUseException,
                format!("capacityProvider: {name} is in use by a service"),
            ));
        }
        if self
            .daemons
            .values()
            .any(|d| d.status == DaemonStatus::Active && d.capacity_providers.contains(&name))
        {
            return Err(err(
                ErrorKind::ResourceInUseException,
                format!("capacityProvider: {name} is in use by a daemon"),
            ));
        }
        let arn = cp.arn.to_string();
        let instances: Vec<InstanceKey> = cp.instances.iter().copied().collect();
        self.capacity_providers.get_mut(&name).expect("exists").status =
            CapacityProviderStatus::Deprovisioning;
        for ik in instances {
            let status = self.fleet[&ik].status;
            match status {
                InstanceStatus::Launching | InstanceStatus::Booted => {
                    // Never registered: the EC2 request is simply cancelled.
                    self.abort_unregistered(ik, "Capacity provider deleted");
                }
                _ => self.begin_drain(ik, DrainCause::ProviderDeleted, false),
            }
        }
        self.maybe_finish_provider_deletion(&name);
        Ok(Outcome::CapacityProvider { arn })
    }

    pub(super) fn unblock_launches(&mut self, cp: &str) {
        if let Some(p) = self.capacity_providers.get_mut(cp) {
            p.launch_blocked = false;
        }
        let owed = self.fleet.take_owed(cp);
        for old in owed {
            let draining =
                self.fleet.get(&old).map(|i| i.status == InstanceStatus::Draining).unwrap_or(false);
            if draining && self.launch_instance(cp, Some(old)).is_none() {
                self.fleet.owe_replacement(cp, old);
            }
        }
        self.feed_starving(cp);
    }

    // ----- instances -----------------------------------------------------------------------------------

    pub(super) fn cmd_update_ci_state(
        &mut self,
        cluster: &str,
        values: &[String],
        status: &str,
    ) -> R<Outcome> {
        let cluster = self.active_cluster(cluster)?.name.clone();
        let Some(target) = InstanceStatus::parse_settable(status) else {
            return Err(EngineError::invalid("status: must be ACTIVE or DRAINING"));
        };
        let mut keys = Vec::new();
        for v in values {
            let id = last_segment(v);
            let key = self
                .fleet
                .key_by_id(id)
                .filter(|k| {
                    self.fleet
                        .get(k)
                        .map(|i| i.cluster == cluster && i.status.is_registered())
                        .unwrap_or(false)
                })
                .ok_or_else(|| EngineError::invalid(format!("containerInstances: {v} was not found")))?;
            let i = &self.fleet[&key];
            let ok = match target {
                InstanceStatus::Draining => {
                    i.status == InstanceStatus::Active || i.status == InstanceStatus::Draining
                }
                _ => {
                    i.status == InstanceStatus::Active
                        || (i.status == InstanceStatus::Draining
                            && i.drain_cause == Some(DrainCause::User)
                            && i.tasks.iter().all(|t| self.tasks.get(t).map(|t| t.is_live()).unwrap_or(true)))
                }
            };
            if !ok {
                return Err(EngineError::invalid(format!(
                    "containerInstances: {v} is {} and cannot be set to {status}",
                    i.status.as_str()
                )));
            }
            keys.push(key);
        }
        let mut arns = Vec::new();
        for key in keys {
            arns.push(self.fleet[&key].arn.to_string());
            let current = self.fleet[&key].status;
            if target == InstanceStatus::Draining && current == InstanceStatus::Active {
                self.begin_drain(key, DrainCause::User, false);
            } else if target == InstanceStatus::Active && current == InstanceStatus::Draining {
                self.undrain(key);
            }
        }
        Ok(Outcome::ContainerInstances { arns })
    }

    /// A user-drained instance returns to ACTIVE before its daemon tasks stopped.
    pub(super) fn undrain(&mut self, key: InstanceKey) {
        let tasks: Vec<TaskKey> = self.fleet[&key].tasks.iter().copied().collect();
        for t in tasks {
            if let Some(TaskOwner::Service(s)) = self.tasks.get(&t).map(|t| t.owner) {
                if let Some(s) = self.services.get_mut(&s) {
                    if !s.outdated.contains(&t) && s.on_draining.remove(&t) {
                        self.hungry.insert(s.key);
                    }
                }
            }
        }
        let i = self.fleet.get_mut(&key).expect("exists");
        i.drain_cause = None;
        i.status = InstanceStatus::Active;
        i.version += 1;
        let cp = i.capacity_provider_name.clone();
        self.fleet.reindex(key);
        self.emit_instance(key, None);
        self.feed_starving(&cp);
        self.check_idle(key);
        // A deployment may have been waiting for it (see `awaits_user_drain`).
        self.pump_deployments_watching(key);
        // Back to ACTIVE without a critical daemon task (lost while it drained): repaired now, or
        // held, as any ACTIVE instance that loses one.
        if self.fleet.get(&key).map(|i| self.repair_held(i)).unwrap_or(false) {
            let reason = self.fleet[&key]
                .health
                .status_reason
                .clone()
                .unwrap_or_else(|| "Daemon task: the critical daemon task is not running".into());
            self.auto_repair(key, reason);
        }
    }

    pub(super) fn cmd_terminate(&mut self, ids: &[String]) -> R<Outcome> {
        if ids.is_empty() {
            return Err(EngineError::invalid("InstanceIds: at least one instance id is required"));
        }
        let mut keys = Vec::new();
        for id in ids {
            let key = self
                .fleet
                .key_by_ec2(id.as_str())
                .filter(|k| {
                    self.fleet.get(k).map(|i| i.status != InstanceStatus::Terminated).unwrap_or(false)
                })
                .ok_or_else(|| {
                    err(
                        ErrorKind::InvalidInstanceIdNotFound,
                        format!("The instance ID '{id}' does not exist"),
                    )
                })?;
            keys.push(key);
        }
        let mut arns = Vec::new();
        for key in keys {
            arns.push(self.fleet[&key].arn.to_string());
            match self.fleet[&key].status {
                InstanceStatus::Launching | InstanceStatus::Booted => {
                    self.abort_unregistered(key, "Host EC2 instance terminated");
                }
                InstanceStatus::Registering | InstanceStatus::Active | InstanceStatus::RegistrationFailed => {
                    self.begin_drain(key, DrainCause::Terminated, false)
                }
                InstanceStatus::Draining => {
                    // Already leaving: app tasks now stop at once.
                    let i = self.fleet.get_mut(&key).expect("exists");
                    i.drain_cause = match i.drain_cause {
                        Some(DrainCause::Deployment(d)) => Some(DrainCause::Deployment(d)),
                        _ => Some(DrainCause::Terminated),
                    };
                    for t in self.live_app_tasks(key) {
                        self.begin_stop(
                            t,
                            StopCause::Scheduler,
                            Some("TerminationNotice"),
                            "Container instance is terminating",
                        );
                    }
                }
                _ => {}
            }
        }
        Ok(Outcome::ContainerInstances { arns })
    }
}
