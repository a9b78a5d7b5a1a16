//! What viewers read: a whole-fleet snapshot and the change set since the last one, so a
//! renderer patches only the tiles that changed.

use super::model::*;
use super::sim::Simulation;
use serde::Serialize;

/// What an instance whose repair is held is going through, for viewers to show next to it.
pub const REPAIR_HELD: &str = "Auto repair is off for its capacity provider: the instance stays ACTIVE and \
IMPAIRED, nothing replaces it, and its critical daemon task is not restarted, so it stays as it failed \
for investigation. Turning auto repair on replaces it.";

/// A daemon task chip on an instance tile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DaemonChip {
    /// The daemon's name.
    pub daemon: String,
    /// The daemon task definition revision (e.g. `monitoring-agent:2`).
    pub task_definition: String,
    /// The daemon revision id the instance runs.
    pub revision_id: String,
    /// The current task's id, once one was created.
    pub task_id: Option<String>,
    /// Task lastStatus, or `NOT_CREATED` when the task could not be created.
    pub status: &'static str,
    /// The task's `healthStatus`: `HEALTHY`, `UNHEALTHY` or `UNKNOWN`.
    pub health: &'static str,
    /// Whether the daemon is critical (the instance waits for it and is repaired when it fails).
    pub critical: bool,
}

/// An app task chip on an instance tile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppChip {
    /// `service:NAME` or the RunTask group.
    pub group: String,
    /// The task's id, once it exists (`None` while only promised).
    pub task_id: Option<String>,
    /// Task lastStatus, or `PROMISED` while the EC2 instance is still launching.
    pub status: &'static str,
}

/// One instance tile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstanceView {
    /// The container instance id.
    pub container_instance_id: String,
    /// The EC2 instance id (`i-…`).
    pub ec2_instance_id: String,
    /// The capacity provider that launched it.
    pub capacity_provider: String,
    /// Container instance status; `PROVISIONING` before registration, `INACTIVE` once terminated.
    pub status: &'static str,
    /// `healthStatus.overallStatus`.
    pub health: &'static str,
    /// The DAEMON check's `statusReason`, e.g. `Daemon task: … is stopped`.
    pub health_reason: Option<String>,
    /// ACTIVE without its critical daemon task, its provider's auto repair DISABLED: kept as it
    /// failed (see [`REPAIR_HELD`]).
    pub repair_held: bool,
    /// Its daemon tasks, one per daemon placed here.
    pub daemon_tasks: Vec<DaemonChip>,
    /// Its app tasks (and the ones promised to it), in creation order.
    pub app_tasks: Vec<AppChip>,
    /// The container instance id this one replaces.
    pub replacement_of: Option<String>,
    /// The container instance id launched to replace this one.
    pub replaced_by: Option<String>,
    /// Why it drains: `DEPLOYMENT`, `AUTO_REPAIR`, `SCALE_IN`, `TERMINATED`, `USER`, `PROVIDER_DELETED`.
    pub drain_cause: Option<&'static str>,
    /// The deployment draining it, if any (deployment id).
    pub deployment: Option<String>,
    /// `remainingResources` CPU, in CPU units.
    pub remaining_cpu: u32,
    /// `remainingResources` memory, in MiB.
    pub remaining_memory: u32,
}

/// The whole fleet at one instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    /// Simulated time of the snapshot, epoch milliseconds.
    pub time_ms: u64,
    /// Events emitted so far.
    pub event_count: usize,
    /// Live instances (terminated ones excluded), in launch order.
    pub instances: Vec<InstanceView>,
}

/// Tiles to patch: changed (or new) instances, and instances that are gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeSet {
    /// Simulated time of the change set, epoch milliseconds.
    pub time_ms: u64,
    /// Instances that are new or changed since the last change set.
    pub changed: Vec<InstanceView>,
    /// Container instance ids of terminated instances.
    pub removed: Vec<String>,
}

impl Simulation {
    /// The spread: a draw is uniform in `delay_ms ± jitter_ms`, never below zero.
    pub fn instance_view(&self, i: &ContainerInstance) -> InstanceView {
        let mut daemon_tasks = Vec::new();
        for (dk, slot) in &i.daemons {
            let name = self.daemons.get(dk).map(|d| d.name.clone()).unwrap_or_default();
            let rev = self.revisions.get(&slot.revision);
            let td = rev
                .map(|r| r.daemon_task_definition.rsplit('/').next().unwrap_or("").to_string())
                .unwrap_or_default();
            let task = slot.task.and_then(|t| self.tasks.get(&t));
            daemon_tasks.push(DaemonChip {
                daemon: name,
                task_definition: td,
                revision_id: rev.map(|r| r.id.clone()).unwrap_or_default(),
                task_id: task.map(|t| t.id.clone()),
                status: task.map(|t| t.last_status.as_str()).unwrap_or("NOT_CREATED"),
                health: task.map(|t| t.health_status).unwrap_or(TaskHealth::Unknown).as_str(),
                critical: rev.map(|r| r.critical).unwrap_or(true),
            });
        }
        let mut app_tasks = Vec::new();
        for t in i.tasks.iter().filter_map(|t| self.tasks.get(t)) {
            if !t.is_daemon() {
                app_tasks.push(AppChip {
                    group: t.group.to_string(),
                    task_id: Some(t.id.clone()),
                    status: t.last_status.as_str(),
                });
            }
        }
        for (s, n) in &i.promised {
            let group = self.services.get(s).map(|s| s.group.to_string()).unwrap_or_default();
            for _ in 0..*n {
                app_tasks.push(AppChip { group: group.clone(), task_id: None, status: "PROMISED" });
            }
        }
        let id_of = |k: Option<InstanceKey>| k.and_then(|k| self.fleet.get(&k)).map(|i| i.id.clone());
        let drain_cause = i.drain_cause.map(DrainCause::as_str);
        let deployment = match i.drain_cause {
            Some(DrainCause::Deployment(d)) => self.deployments.get(&d).map(|d| d.id.clone()),
            _ => None,
        };
        InstanceView {
            container_instance_id: i.id.clone(),
            ec2_instance_id: i.ec2_instance_id.to_string(),
            capacity_provider: i.capacity_provider.clone(),
            status: i.status.as_str(),
            health: i.health.overall_status().as_str(),
            health_reason: i.health.status_reason.clone(),
            repair_held: self.repair_held(i),
            daemon_tasks,
            app_tasks,
            replacement_of: id_of(i.replacement_of),
            replaced_by: id_of(i.replaced_by),
            drain_cause,
            deployment,
            remaining_cpu: i.remaining_cpu,
            remaining_memory: i.remaining_memory,
        }
    }

    /// Every live instance as a tile.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            time_ms: self.now(),
            event_count: self.log.retained().len(),
            instances: self
                .fleet
                .values()
                .filter(|i| i.status != InstanceStatus::Terminated)
                .map(|i| self.instance_view(i))
                .collect(),
        }
    }

    /// Tiles changed since the previous call (the first call returns every tile ever touched).
    /// Reading changes does not alter the simulation's behaviour or its event log.
    pub fn take_changes(&mut self) -> ChangeSet {
        let dirty = self.fleet.take_dirty();
        let mut changed = Vec::new();
        let mut removed = Vec::new();
        for k in dirty {
            let Some(i) = self.fleet.get(&k) else { continue };
            if i.status == InstanceStatus::Terminated {
                removed.push(i.id.clone());
            } else {
                changed.push(self.instance_view(i));
            }
        }
        ChangeSet { time_ms: self.now(), changed, removed }
    }
}
