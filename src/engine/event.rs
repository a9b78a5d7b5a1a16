//! EventBridge events. Stored compactly (shared ARNs, no JSON) and rendered on demand, so that
//! emitting an event costs little more than a push; `to_json` gives the exact envelope.

use super::model::{DaemonHealth, InstanceStatus};
use super::rng::uuid_from_bits;
use super::time::{iso_millis, iso_nanos, iso_seconds};
use crate::support::hash::fnv1a;
use serde_json::{Map, Value};
use std::sync::Arc;

/// `detail-type` of a task's status change.
pub const TASK_STATE_CHANGE: &str = "ECS Task State Change";
/// `detail-type` of a container instance's status or resource change.
pub const CONTAINER_INSTANCE_STATE_CHANGE: &str = "ECS Container Instance State Change";
/// `detail-type` of a change in a container instance's `healthStatus`.
pub const CONTAINER_INSTANCE_HEALTH_CHANGE: &str = "ECS Container Instance Health Change";
/// `detail-type` of a daemon task that could not start (`DAEMON_TASK_START_IMPAIRED`).
pub const DAEMON_SERVICE_ACTION: &str = "ECS Daemon Service Action";
/// `detail-type` of a daemon deployment's status change.
pub const DAEMON_DEPLOYMENT_STATE_CHANGE: &str = "ECS Daemon Deployment State Change";

/// A task as an `ECS Task State Change` detail shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskDetail {
    /// `clusterArn`.
    pub cluster_arn: Arc<str>,
    /// `taskArn`.
    pub task_arn: Arc<str>,
    /// `containerInstanceArn`: the instance the task is placed on.
    pub container_instance_arn: Arc<str>,
    /// `capacityProviderName`.
    pub capacity_provider_name: Arc<str>,
    /// `group`: `daemon:NAME`, `service:NAME` or `family:FAMILY`.
    pub group: Arc<str>,
    /// `startedBy`.
    pub started_by: Arc<str>,
    /// `taskDefinitionArn`.
    pub task_definition_arn: Arc<str>,
    /// `lastStatus`, such as `RUNNING`.
    pub last_status: &'static str,
    /// `desiredStatus`: `RUNNING` or `STOPPED`.
    pub desired_status: &'static str,
    /// `healthStatus`: `HEALTHY`, `UNHEALTHY` or `UNKNOWN`.
    pub health_status: &'static str,
    /// `cpu`, in CPU units.
    pub cpu: u32,
    /// `memory`, in MiB.
    pub memory: u32,
    /// `createdAt`.
    pub created_at: u64,
    /// `startedAt`, once RUNNING.
    pub started_at: Option<u64>,
    /// `stoppingAt`, once stopping.
    pub stopping_at: Option<u64>,
    /// `stoppedAt`, once STOPPED.
    pub stopped_at: Option<u64>,
    /// `stopCode`, once stopping.
    pub stop_code: Option<&'static str>,
    /// `stoppedReason`, once stopping.
    pub stopped_reason: Option<Arc<str>>,
    /// `version`: the task's change counter.
    pub version: u64,
    /// `updatedAt`: when this change happened.
    pub updated_at: u64,
}

/// A container instance as an `ECS Container Instance State Change` detail shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceDetail {
    /// `clusterArn`.
    pub cluster_arn: Arc<str>,
    /// `containerInstanceArn`.
    pub container_instance_arn: Arc<str>,
    /// `ec2InstanceId`.
    pub ec2_instance_id: Arc<str>,
    /// `capacityProviderName`.
    pub capacity_provider_name: Arc<str>,
    /// `status`, such as `REGISTERING` or `DRAINING`.
    pub status: &'static str,
    /// `statusReason`, when there is one.
    pub status_reason: Option<&'static str>,
    /// `registeredResources` CPU, in CPU units.
    pub registered_cpu: u32,
    /// `registeredResources` memory, in MiB.
    pub registered_memory: u32,
    /// `remainingResources` CPU, in CPU units.
    pub remaining_cpu: u32,
    /// `remainingResources` memory, in MiB.
    pub remaining_memory: u32,
    /// `runningTasksCount`: tasks with desiredStatus RUNNING, daemon tasks included.
    pub running_tasks_count: u32,
    /// `pendingTasksCount`: tasks in PENDING.
    pub pending_tasks_count: u32,
    /// `version`: the instance's change counter.
    pub version: u64,
    /// `registeredAt`, once registered.
    pub registered_at: Option<u64>,
    /// `updatedAt`: when this change happened.
    pub updated_at: u64,
}

/// An instance's health as an `ECS Container Instance Health Change` detail shows it: the same
/// record DescribeContainerInstances renders as `healthStatus`, copied when it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthDetail {
    /// `clusterArn`.
    pub cluster_arn: Arc<str>,
    /// `containerInstanceArn`.
    pub container_instance_arn: Arc<str>,
    /// `capacityProviderName`.
    pub capacity_provider_name: Arc<str>,
    /// `ec2InstanceId`.
    pub ec2_instance_id: Arc<str>,
    /// The `DAEMON` check, rendered as `overallStatus` and `healthChecks`.
    pub health: DaemonHealth,
}

/// A daemon task that failed to start, as an `ECS Daemon Service Action` detail shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceActionDetail {
    /// `clusterArn`.
    pub cluster_arn: Arc<str>,
    /// `containerInstanceArn`: the instance the daemon could not start on.
    pub container_instance_arn: Arc<str>,
    /// `taskArn`, when a task was created.
    pub task_arn: Option<Arc<str>>,
    /// `daemonRevisionArn`.
    pub daemon_revision_arn: Arc<str>,
    /// `capacityProviderName`.
    pub capacity_provider_name: Arc<str>,
    /// `daemonArn`.
    pub daemon_arn: Arc<str>,
    /// `daemonTaskDefinitionArn`.
    pub daemon_task_definition_arn: Arc<str>,
    /// `TASK_FAILED_TO_RUN` or `TASK_CREATION_FAILED`.
    pub failure_type: &'static str,
    /// `createdAt`.
    pub created_at: u64,
    /// `reason`: why the task failed, such as `CannotPullContainerError: …`.
    pub reason: String,
}

/// A daemon deployment's change, as an `ECS Daemon Deployment State Change` detail shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentDetail {
    /// `eventName`, such as `DAEMON_DEPLOYMENT_IN_PROGRESS`.
    pub event_name: &'static str,
    /// `clusterArn`.
    pub cluster_arn: Arc<str>,
    /// `daemonArn`.
    pub daemon_arn: Arc<str>,
    /// `daemonDeploymentArn`.
    pub daemon_deployment_arn: Arc<str>,
    /// `targetDaemonRevisionArn`.
    pub target_daemon_revision_arn: Arc<str>,
    /// `updatedAt`.
    pub updated_at: u64,
    /// `reason`: why the deployment is in this status, when there is something to say.
    pub reason: Option<String>,
}

/// Details are stored inline, not boxed: an event is made and usually dropped soon after (a viewer
/// reads it once), and a heap allocation and free per event cost more than copying the detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    /// `ECS Task State Change`.
    TaskStateChange(TaskDetail),
    /// `ECS Container Instance State Change`.
    ContainerInstanceStateChange(InstanceDetail),
    /// `ECS Container Instance Health Change`.
    ContainerInstanceHealthChange(HealthDetail),
    /// `ECS Daemon Service Action`.
    DaemonServiceAction(ServiceActionDetail),
    /// `ECS Daemon Deployment State Change`.
    DaemonDeploymentStateChange(DeploymentDetail),
}

/// One EventBridge event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The 128 bits of the event's UUID, derived from (seed, sequence number); `id()` formats them.
    /// Kept as bits because formatting a UUID costs more than the rest of emitting an event.
    pub id_bits: (u64, u64),
    /// `time`: when it happened, simulated epoch milliseconds.
    pub time_ms: u64,
    /// `account`.
    pub account: Arc<str>,
    /// `region`.
    pub region: Arc<str>,
    /// The detail type and its detail.
    pub kind: EventKind,
}

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn opt_time(map: &mut Map<String, Value>, key: &str, t: Option<u64>) {
    if let Some(t) = t {
        map.insert(key.into(), s(&iso_millis(t)));
    }
}

impl Event {
    /// The event's `id`: a version-4 UUID.
    pub fn id(&self) -> String {
        uuid_from_bits(self.id_bits.0, self.id_bits.1)
    }

    /// `detail-type`.
    pub fn detail_type(&self) -> &'static str {
        match self.kind {
            EventKind::TaskStateChange(_) => TASK_STATE_CHANGE,
            EventKind::ContainerInstanceStateChange(_) => CONTAINER_INSTANCE_STATE_CHANGE,
            EventKind::ContainerInstanceHealthChange(_) => CONTAINER_INSTANCE_HEALTH_CHANGE,
            EventKind::DaemonServiceAction(_) => DAEMON_SERVICE_ACTION,
            EventKind::DaemonDeploymentStateChange(_) => DAEMON_DEPLOYMENT_STATE_CHANGE,
        }
    }

    /// `resources`: the ARN the event is about (none for a daemon service action without a task).
    pub fn resources(&self) -> Vec<String> {
        match &self.kind {
            EventKind::TaskStateChange(d) => vec![d.task_arn.to_string()],
            EventKind::ContainerInstanceStateChange(d) => vec![d.container_instance_arn.to_string()],
            EventKind::ContainerInstanceHealthChange(d) => vec![d.container_instance_arn.to_string()],
            EventKind::DaemonServiceAction(d) => d.task_arn.iter().map(|a| a.to_string()).collect(),
            EventKind::DaemonDeploymentStateChange(d) => vec![d.daemon_arn.to_string()],
        }
    }

    /// The `detail` object, keys in the documented order.
    pub fn detail(&self) -> Value {
        let mut m = Map::new();
        match &self.kind {
            EventKind::DaemonServiceAction(d) => {
                m.insert("eventType".into(), s("WARNING"));
                m.insert("eventName".into(), s("DAEMON_TASK_START_IMPAIRED"));
                m.insert("clusterArn".into(), s(&d.cluster_arn));
                m.insert("containerInstanceArn".into(), s(&d.container_instance_arn));
                if let Some(task) = &d.task_arn {
                    m.insert("taskArn".into(), s(task));
                }
                m.insert("daemonRevisionArn".into(), s(&d.daemon_revision_arn));
                m.insert("capacityProviderName".into(), s(&d.capacity_provider_name));
                m.insert("daemonArn".into(), s(&d.daemon_arn));
                m.insert("daemonTaskDefinitionArn".into(), s(&d.daemon_task_definition_arn));
                m.insert("failureType".into(), s(d.failure_type));
                m.insert("createdAt".into(), s(&iso_millis(d.created_at)));
                m.insert("reason".into(), s(&d.reason));
            }
            EventKind::DaemonDeploymentStateChange(d) => {
                let event_type =
                    if d.event_name == "DAEMON_DEPLOYMENT_ROLLBACK_FAILED" { "ERROR" } else { "INFO" };
                m.insert("eventType".into(), s(event_type));
                m.insert("eventName".into(), s(d.event_name));
                m.insert("clusterArn".into(), s(&d.cluster_arn));
                m.insert("daemonArn".into(), s(&d.daemon_arn));
                m.insert("daemonDeploymentArn".into(), s(&d.daemon_deployment_arn));
                m.insert("targetDaemonRevisionArn".into(), s(&d.target_daemon_revision_arn));
                m.insert("updatedAt".into(), s(&iso_nanos(d.updated_at)));
                if let Some(reason) = &d.reason {
                    m.insert("reason".into(), s(reason));
                }
            }
            EventKind::ContainerInstanceHealthChange(d) => {
                m.insert("clusterArn".into(), s(&d.cluster_arn));
                m.insert("containerInstanceArn".into(), s(&d.container_instance_arn));
                m.insert("capacityProviderName".into(), s(&d.capacity_provider_name));
                m.insert("ec2InstanceId".into(), s(&d.ec2_instance_id));
                let h = &d.health;
                m.insert("overallStatus".into(), s(h.overall_status().as_str()));
                let mut check = Map::new();
                check.insert("type".into(), s("DAEMON"));
                check.insert("status".into(), s(h.status.as_str()));
                check.insert("lastStatusChange".into(), s(&iso_seconds(h.last_status_change)));
                check.insert("lastUpdated".into(), s(&iso_seconds(h.last_updated)));
                if let Some(reason) = &h.status_reason {
                    check.insert("statusReason".into(), s(reason));
                }
                m.insert("healthChecks".into(), Value::Array(vec![Value::Object(check)]));
            }
            EventKind::TaskStateChange(d) => {
                m.insert("clusterArn".into(), s(&d.cluster_arn));
                m.insert("taskArn".into(), s(&d.task_arn));
                m.insert("containerInstanceArn".into(), s(&d.container_instance_arn));
                m.insert("capacityProviderName".into(), s(&d.capacity_provider_name));
                m.insert("group".into(), s(&d.group));
                m.insert("startedBy".into(), s(&d.started_by));
                m.insert("taskDefinitionArn".into(), s(&d.task_definition_arn));
                m.insert("launchType".into(), s("MANAGED_INSTANCES"));
                m.insert("lastStatus".into(), s(d.last_status));
                m.insert("desiredStatus".into(), s(d.desired_status));
                m.insert("healthStatus".into(), s(d.health_status));
                m.insert("cpu".into(), s(&d.cpu.to_string()));
                m.insert("memory".into(), s(&d.memory.to_string()));
                m.insert("createdAt".into(), s(&iso_millis(d.created_at)));
                opt_time(&mut m, "startedAt", d.started_at);
                opt_time(&mut m, "stoppingAt", d.stopping_at);
                opt_time(&mut m, "stoppedAt", d.stopped_at);
                if let Some(code) = d.stop_code {
                    m.insert("stopCode".into(), s(code));
                }
                if let Some(reason) = &d.stopped_reason {
                    m.insert("stoppedReason".into(), s(reason));
                }
                m.insert("version".into(), Value::from(d.version));
                m.insert("updatedAt".into(), s(&iso_millis(d.updated_at)));
            }
            EventKind::ContainerInstanceStateChange(d) => {
                m.insert("clusterArn".into(), s(&d.cluster_arn));
                m.insert("containerInstanceArn".into(), s(&d.container_instance_arn));
                m.insert("ec2InstanceId".into(), s(&d.ec2_instance_id));
                m.insert("capacityProviderName".into(), s(&d.capacity_provider_name));
                m.insert("status".into(), s(d.status));
                if let Some(reason) = d.status_reason {
                    m.insert("statusReason".into(), s(reason));
                }
                m.insert(
                    "agentConnected".into(),
                    Value::Bool(d.status != InstanceStatus::Deregistering.as_str()),
                );
                let resources = |cpu: u32, memory: u32| {
                    serde_json::json!([
                        {"name": "CPU", "type": "INTEGER", "integerValue": cpu},
                        {"name": "MEMORY", "type": "INTEGER", "integerValue": memory}
                    ])
                };
                m.insert("registeredResources".into(), resources(d.registered_cpu, d.registered_memory));
                m.insert("remainingResources".into(), resources(d.remaining_cpu, d.remaining_memory));
                m.insert("runningTasksCount".into(), Value::from(d.running_tasks_count));
                m.insert("pendingTasksCount".into(), Value::from(d.pending_tasks_count));
                opt_time(&mut m, "registeredAt", d.registered_at);
                m.insert("version".into(), Value::from(d.version));
                m.insert("updatedAt".into(), s(&iso_millis(d.updated_at)));
            }
        }
        Value::Object(m)
    }

    /// The full EventBridge JSON: version, id, detail-type, source, account, time, region,
    /// resources, detail — in that order.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("version".into(), s("0"));
        m.insert("id".into(), Value::String(self.id()));
        m.insert("detail-type".into(), s(self.detail_type()));
        m.insert("source".into(), s("aws.ecs"));
        m.insert("account".into(), s(&self.account));
        m.insert("time".into(), s(&iso_seconds(self.time_ms)));
        m.insert("region".into(), s(&self.region));
        m.insert("resources".into(), Value::Array(self.resources().into_iter().map(Value::String).collect()));
        m.insert("detail".into(), self.detail());
        Value::Object(m)
    }
}

/// The event-log hash's framing, one event at a time: FNV-1a over the event's JSON text, then a
/// newline, continuing from `hash` (the empty log hashes to
/// [`FNV_OFFSET`](crate::support::hash::FNV_OFFSET)). The one definition:
/// `Simulation::event_log_hash` folds it over the log, and anything that hashes a log incrementally
/// must use it to get the same value.
pub fn hash_event_json(hash: u64, json: &str) -> u64 {
    fnv1a(fnv1a(hash, json.as_bytes()), b"\n")
}
