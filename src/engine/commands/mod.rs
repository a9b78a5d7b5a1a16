//! Command validation and application. Every handler validates everything first (references,
//! states, ranges) and only then mutates, so a refused command changes nothing — not even the RNG.
//! The dispatcher and the shared lookups live here; the handlers live with their resource.

use crate::engine::arn::last_segment;
use crate::engine::command::*;
use crate::engine::error::{EngineError, ErrorKind};
use crate::engine::model::*;
use crate::engine::sim::Simulation;
use std::collections::BTreeMap;

mod capacity;
mod clusters;
mod daemons;
mod definitions;
mod faults;
mod services;

type R<T> = Result<T, EngineError>;

fn err(kind: ErrorKind, message: impl Into<String>) -> EngineError {
    EngineError::new(kind, message)
}

/// `arn:…:cluster/NAME` or `NAME` → `NAME`.
pub fn cluster_name(value: &str) -> &str {
    match value.split_once(":cluster/") {
        Some((_, name)) => name,
        None => value,
    }
}

/// `arn:…:capacity-provider/NAME` or `NAME` → `NAME`.
pub fn capacity_provider_name(value: &str) -> &str {
    match value.split_once(":capacity-provider/") {
        Some((_, name)) => name,
        None => value,
    }
}

/// `…:daemon-task-definition/FAMILY:REV`, `FAMILY:REV` or `FAMILY` → (family, revision).
pub fn definition_ref<'a>(value: &'a str, kind: &str) -> (&'a str, Option<&'a str>) {
    let tail = match value.split_once(&format!(":{kind}/")) {
        Some((_, t)) => t,
        None => value,
    };
    match tail.rsplit_once(':') {
        Some((family, rev)) => (family, Some(rev)),
        None => (tail, None),
    }
}

/// `…:daemon/CLUSTER/NAME` or `CLUSTER/NAME` → (cluster, name).
pub fn daemon_ref(value: &str) -> Option<(&str, &str)> {
    let tail = match value.split_once(":daemon/") {
        Some((_, t)) => t,
        None => value,
    };
    let (cluster, name) = tail.split_once('/')?;
    if cluster.is_empty() || name.is_empty() || name.contains('/') {
        return None;
    }
    Some((cluster, name))
}

impl Simulation {
    pub(crate) fn apply_command(&mut self, command: Command) -> R<Outcome> {
        match command {
            Command::CreateCluster { name } => self.cmd_create_cluster(name),
            Command::DeleteCluster { cluster } => self.cmd_delete_cluster(&cluster),
            Command::CreateCapacityProvider(c) => self.cmd_create_cp(c),
            Command::UpdateCapacityProvider(c) => self.cmd_update_cp(c),
            Command::DeleteCapacityProvider { name } => self.cmd_delete_cp(&name),
            Command::SetInstanceProfileReady { capacity_provider, ready } => {
                let cp = self.cp_mut(&capacity_provider)?;
                cp.instance_profile_ready = ready;
                Ok(Outcome::Done)
            }
            Command::PutClusterCapacityProviders { cluster, capacity_providers, default_strategy } => {
                self.cmd_put_cluster_cps(&cluster, capacity_providers, default_strategy)
            }
            Command::RegisterDaemonTaskDefinition(c) => self.cmd_register_dtd(c),
            Command::DeleteDaemonTaskDefinition { daemon_task_definition } => {
                self.cmd_delete_dtd(&daemon_task_definition)
            }
            Command::CreateDaemon(c) => self.cmd_create_daemon(c),
            Command::UpdateDaemon(c) => self.cmd_update_daemon(c),
            Command::DeleteDaemon { daemon } => self.cmd_delete_daemon(&daemon),
            Command::RegisterTaskDefinition(c) => self.cmd_register_td(c),
            Command::CreateService(c) => self.cmd_create_service(c),
            Command::UpdateService { cluster, service, desired_count } => {
                self.cmd_update_service(&cluster, &service, desired_count)
            }
            Command::DeployService(c) => self.cmd_deploy_service(c),
            Command::DeleteService { cluster, service, force } => {
                self.cmd_delete_service(&cluster, &service, force)
            }
            Command::RunTask(c) => self.cmd_run_task(c),
            Command::StopTask { cluster, task, reason } => self.cmd_stop_task(&cluster, &task, reason),
            Command::UpdateContainerInstancesState { cluster, container_instances, status } => {
                self.cmd_update_ci_state(&cluster, &container_instances, &status)
            }
            Command::TerminateInstances { instance_ids } => self.cmd_terminate(&instance_ids),
            Command::PutMetricAlarm { name } => self.cmd_put_metric_alarm(name),
            Command::DeleteAlarms { names } => self.cmd_delete_alarms(names),
            Command::SetAlarmState { name, state, reason } => self.cmd_set_alarm_state(name, &state, reason),
            Command::SetImageUnpullable { image, unpullable } => {
                self.cmd_set_image_unpullable(image, unpullable)
            }
            Command::ClearFaults => self.cmd_clear_faults(),
            Command::SetLaunchBlocked { capacity_provider, blocked } => {
                self.cmd_set_launch_blocked(&capacity_provider, blocked)
            }
            Command::MakeTaskUnhealthy { task } => self.cmd_make_unhealthy(&task),
            Command::SetDeploymentDrainPercent { daemon, drain_percent } => {
                self.cmd_set_drain_percent(&daemon, drain_percent)
            }
        }
    }

    // ----- lookups ---------------------------------------------------------------------------------

    fn active_cluster(&self, cluster: &str) -> R<&Cluster> {
        let name = cluster_name(cluster);
        match self.clusters.get(name) {
            Some(c) if c.status == ClusterStatus::Active => Ok(c),
            _ => Err(err(ErrorKind::ClusterNotFoundException, format!("Cluster not found: {name}"))),
        }
    }

    fn cp_mut(&mut self, name: &str) -> R<&mut CapacityProvider> {
        let name = capacity_provider_name(name);
        self.capacity_providers.get_mut(name).map(|c| &mut **c).ok_or_else(|| {
            EngineError::invalid(format!("capacityProvider: the capacity provider {name} does not exist"))
        })
    }

    /// A capacity provider usable by daemons/services of `cluster`.
    fn cluster_cp(&self, cluster: &str, value: &str, field: &str) -> R<String> {
        let name = capacity_provider_name(value);
        let cp = self.capacity_providers.get(name).ok_or_else(|| {
            EngineError::invalid(format!("{field}: the capacity provider {name} does not exist"))
        })?;
        if cp.status != CapacityProviderStatus::Active {
            return Err(EngineError::invalid(format!("{field}: the capacity provider {name} is not ACTIVE")));
        }
        if cp.cluster != cluster {
            return Err(EngineError::invalid(format!(
                "{field}: the capacity provider {name} is not associated with the cluster {cluster}"
            )));
        }
        Ok(name.to_string())
    }

    pub(crate) fn find_daemon(&self, value: &str) -> R<DaemonKey> {
        let (cluster, name) = daemon_ref(value)
            .ok_or_else(|| EngineError::invalid(format!("daemonArn: {value} is not a valid daemon ARN")))?;
        self.active_cluster(cluster)?;
        self.daemon_by_name
            .get(&(cluster.to_string(), name.to_string()))
            .copied()
            .ok_or_else(|| err(ErrorKind::DaemonNotFoundException, format!("Daemon not found: {name}")))
    }

    fn find_dtd(&self, value: &str) -> R<&DaemonTaskDefinition> {
        let (family, rev) = definition_ref(value, "daemon-task-definition");
        find_revision(&self.daemon_task_definitions, family, rev, |d| d.status == DefinitionStatus::Active)
            .ok_or_else(|| {
                EngineError::client(format!(
                    "daemonTaskDefinitionArn: daemon task definition {value} not found"
                ))
            })
    }

    fn find_td(&self, value: &str) -> R<&TaskDefinition> {
        let (family, rev) = definition_ref(value, "task-definition");
        find_revision(&self.task_definitions, family, rev, |d| d.status == DefinitionStatus::Active)
            .ok_or_else(|| {
                EngineError::client(format!("taskDefinition: Unable to describe task definition {value}"))
            })
    }

    fn find_task(&self, cluster: &str, value: &str) -> R<TaskKey> {
        let id = last_segment(value);
        self.tasks
            .key_by_id(id)
            .filter(|k| self.tasks.get(k).map(|t| t.cluster == cluster).unwrap_or(false))
            .ok_or_else(|| EngineError::invalid(format!("task: The referenced task {value} was not found")))
    }
}

/// A definition by `family:revision`, or the family's latest ACTIVE revision when no revision is
/// given (how ECS resolves both task definitions and daemon task definitions).
fn find_revision<'a, T>(
    definitions: &'a BTreeMap<(String, u32), Box<T>>,
    family: &str,
    revision: Option<&str>,
    is_active: impl Fn(&T) -> bool,
) -> Option<&'a T> {
    match revision {
        Some(r) => {
            r.parse::<u32>().ok().and_then(|r| definitions.get(&(family.to_string(), r))).map(|d| &**d)
        }
        None => definitions
            .range((family.to_string(), 0)..=(family.to_string(), u32::MAX))
            .rev()
            .map(|(_, d)| &**d)
            .find(|d| is_active(d)),
    }
}
