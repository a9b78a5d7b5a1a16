//! Services, tasks and CloudWatch alarms.

use super::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// What kind of task owner a [`Service`] record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ServiceKind {
    /// A CreateService service.
    Service,
    /// The tasks of one RunTask call: placed like a service, never replaced.
    Standalone,
}

/// A service or one RunTask call's tasks: the app tasks that daemons share instances with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    /// The engine's handle.
    pub key: ServiceKey,
    /// Whether it is a CreateService service or one RunTask call's tasks.
    pub kind: ServiceKind,
    /// `serviceName`; `run-task-N` for a RunTask call.
    pub name: String,
    /// `serviceArn`.
    pub arn: Arc<str>,
    /// The cluster it runs in.
    pub cluster: String,
    /// The capacity provider its tasks are placed on.
    pub capacity_provider: String,
    /// `taskDefinition`: the revision its tasks run.
    pub task_definition: Arc<str>,
    /// `DRAINING` once deleted, while its tasks stop.
    pub status: ServiceStatus,
    /// `desiredCount`: the tasks it keeps running.
    pub desired_count: u32,
    /// `deploymentConfiguration.minimumHealthyPercent`: the fewest healthy tasks kept while tasks are
    /// replaced, as a percentage of `desiredCount`.
    pub minimum_healthy_percent: u32,
    /// `deploymentConfiguration.maximumPercent`: the most tasks while tasks are replaced, as a percentage of
    /// `desiredCount`.
    pub maximum_percent: u32,
    /// `service:NAME`, or `family:FAMILY` for RunTask.
    pub group: Arc<str>,
    /// `createdAt`.
    pub created_at: u64,
    /// Live tasks (desiredStatus RUNNING).
    pub live: BTreeSet<TaskKey>,
    /// Live tasks whose lastStatus is RUNNING.
    pub running_count: u32,
    /// Live tasks counted healthy (see `Task::service_healthy`).
    pub healthy_count: u32,
    /// Live tasks to be replaced before they stop: tasks on draining instances, and tasks of an
    /// older task definition during a service deployment.
    pub on_draining: BTreeSet<TaskKey>,
    /// The tasks of `on_draining` that are there because a service deployment replaces their task
    /// definition (an instance returning to ACTIVE does not take them out).
    pub outdated: BTreeSet<TaskKey>,
    /// Tasks promised on instances still launching: instance → count.
    pub promised: BTreeMap<InstanceKey, u32>,
    /// The sum of `promised`.
    pub promised_count: u32,
    /// No new placement before this time (backoff after a failed start).
    pub retry_at: u64,
    /// CPU units each task reserves.
    pub cpu: u32,
    /// Memory in MiB each task reserves.
    pub memory: u32,
    /// `startedBy` and the (containerName, image) list of its tasks, made once: the task
    /// definition and the ARN never change.
    #[serde(skip)]
    pub(crate) task_started_by: Arc<str>,
    #[serde(skip)]
    pub(crate) task_images: Arc<[(String, String)]>,
}

impl Service {
    /// `pendingCount`: live tasks not yet RUNNING.
    pub fn pending_count(&self) -> u32 {
        self.live.len() as u32 - self.running_count
    }
}

/// A task's `lastStatus` (AWS: Amazon ECS task lifecycle).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum TaskStatus {
    /// `PROVISIONING`: ECS prepares what the task needs before it launches (such as its network interface, or
    /// an instance still registering).
    Provisioning,
    /// `PENDING`: waiting for the container agent or for resources on the instance.
    Pending,
    /// `ACTIVATING`: the agent pulls images and creates the containers.
    Activating,
    /// `RUNNING`: the task's containers run.
    Running,
    /// `DEACTIVATING`: ECS prepares to stop the task (such as load balancer deregistration).
    Deactivating,
    /// `STOPPING`: the containers are being stopped (SIGTERM, then SIGKILL after the stop timeout).
    Stopping,
    /// `DEPROVISIONING`: ECS releases what the task held (such as its network interface).
    Deprovisioning,
    /// `STOPPED`: the task has stopped; it stays describable for a while.
    Stopped,
}

impl TaskStatus {
    /// The status as the ECS API spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Provisioning => "PROVISIONING",
            TaskStatus::Pending => "PENDING",
            TaskStatus::Activating => "ACTIVATING",
            TaskStatus::Running => "RUNNING",
            TaskStatus::Deactivating => "DEACTIVATING",
            TaskStatus::Stopping => "STOPPING",
            TaskStatus::Deprovisioning => "DEPROVISIONING",
            TaskStatus::Stopped => "STOPPED",
        }
    }
}

/// Who owns a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TaskOwner {
    /// A daemon's task.
    Daemon {
        /// The daemon.
        daemon: DaemonKey,
        /// The daemon revision the task runs.
        revision: RevisionKey,
    },
    /// A service's or RunTask call's task.
    Service(ServiceKey),
}

/// An ECS task: a daemon's task or an app task, on one container instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    /// The engine's handle.
    pub key: TaskKey,
    /// The task id (the last segment of its ARN).
    pub id: String,
    /// `taskArn`.
    pub arn: Arc<str>,
    /// The cluster it runs in.
    pub cluster: String,
    /// The daemon or service it belongs to.
    pub owner: TaskOwner,
    /// `group`: `daemon:NAME`, `service:NAME` or `family:FAMILY`.
    pub group: Arc<str>,
    /// `daemon/NAME` for daemon tasks, `ecs-svc/…`-like for services.
    pub started_by: Arc<str>,
    /// `taskDefinitionArn`: the (daemon) task definition revision it runs.
    pub task_definition: Arc<str>,
    /// The instance it is placed on.
    pub instance: InstanceKey,
    /// `containerInstanceArn`.
    pub container_instance_arn: Arc<str>,
    /// `capacityProviderName`.
    pub capacity_provider: String,
    /// `lastStatus`: where it is in its lifecycle.
    pub last_status: TaskStatus,
    /// `desiredStatus`: `RUNNING`, or `STOPPED` once it is to stop.
    pub desired_status: DesiredStatus,
    /// `healthStatus`: `HEALTHY`, `UNHEALTHY` or `UNKNOWN` (no health check, or not yet known).
    pub health_status: TaskHealth,
    /// CPU units reserved on its instance.
    pub cpu: u32,
    /// Memory in MiB reserved on its instance.
    pub memory: u32,
    /// `createdAt`.
    pub created_at: u64,
    /// `pullStartedAt`: when the image pull began.
    pub pull_started_at: Option<u64>,
    /// `pullStoppedAt`: when the image pull ended.
    pub pull_stopped_at: Option<u64>,
    /// `startedAt`: when it turned RUNNING.
    pub started_at: Option<u64>,
    /// `stoppingAt`: when it began to stop.
    pub stopping_at: Option<u64>,
    /// `stoppedAt`: when it reached STOPPED.
    pub stopped_at: Option<u64>,
    /// `stopCode`: `TaskFailedToStart`, `EssentialContainerExited`, `UserInitiated`,
    /// `ServiceSchedulerInitiated` or `TerminationNotice`.
    pub stop_code: Option<&'static str>,
    /// `stoppedReason`: why it stopped, in words.
    pub stopped_reason: Option<Arc<str>>,
    /// Engine-internal: why the stop began (the invariant checker reads it).
    pub stop_cause: Option<StopCause>,
    /// `version`: bumped on every change, as the ECS Task State Change event carries it.
    pub version: u64,
    /// Counted healthy by its service (RUNNING for the grace period): minimumHealthyPercent
    /// only counts these.
    pub service_healthy: bool,
    /// `containers[]` as (name, image).
    pub images: Arc<[(String, String)]>,
    /// Its instance's `cluster_arn` and `capacity_provider_name`, for its events.
    #[serde(skip)]
    pub(crate) cluster_arn: Arc<str>,
    #[serde(skip)]
    pub(crate) capacity_provider_name: Arc<str>,
}

/// What a new task takes from its owner (a daemon revision or a service); the rest comes from the
/// instance it is placed on, or starts as every task starts.
pub(crate) struct TaskOrigin {
    pub owner: TaskOwner,
    pub group: Arc<str>,
    pub started_by: Arc<str>,
    pub task_definition: Arc<str>,
    pub cpu: u32,
    pub memory: u32,
    pub images: Arc<[(String, String)]>,
    /// PENDING for a daemon task (its instance is up already), PROVISIONING for an app task.
    pub first_status: TaskStatus,
}

impl Task {
    /// A task just created on `instance` (key `on`) at `at`: desired RUNNING, health UNKNOWN,
    /// version 1, nothing pulled, started or stopped yet.
    pub(crate) fn created(
        key: TaskKey,
        id: &str,
        arn: Arc<str>,
        on: InstanceKey,
        instance: &ContainerInstance,
        origin: TaskOrigin,
        at: u64,
    ) -> Task {
        Task {
            key,
            arn,
            id: id.to_string(),
            cluster: instance.cluster.clone(),
            owner: origin.owner,
            group: origin.group,
            started_by: origin.started_by,
            task_definition: origin.task_definition,
            instance: on,
            container_instance_arn: instance.arn.clone(),
            capacity_provider: instance.capacity_provider.clone(),
            last_status: origin.first_status,
            desired_status: DesiredStatus::Running,
            health_status: TaskHealth::Unknown,
            cpu: origin.cpu,
            memory: origin.memory,
            created_at: at,
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
            images: origin.images,
            cluster_arn: instance.cluster_arn.clone(),
            capacity_provider_name: instance.capacity_provider_name.clone(),
        }
    }

    /// Whether a daemon owns it.
    pub fn is_daemon(&self) -> bool {
        matches!(self.owner, TaskOwner::Daemon { .. })
    }
    /// Whether it is to keep running (`desiredStatus` RUNNING).
    pub fn is_live(&self) -> bool {
        self.desired_status == DesiredStatus::Running
    }
}

/// Why the engine began to stop a task (finer than `stopCode`, for the invariant checker).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StopCause {
    /// The task never reached RUNNING (pull error, role error).
    FailedToStart,
    /// StopTask by the user.
    User,
    /// Essential container exited / failed health check.
    Unhealthy,
    /// Service scale-in or replacement of a task on a draining instance.
    Scheduler,
    /// Drain-last: stopping the daemon task of a draining instance after its app tasks.
    DrainDaemon,
    /// Instance terminated under the task.
    InstanceGone,
}

/// A CloudWatch alarm as deployments see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alarm {
    /// `AlarmName`.
    pub name: String,
    /// `AlarmArn`.
    pub arn: String,
    /// `StateValue`: OK, ALARM or INSUFFICIENT_DATA.
    pub state: AlarmState,
    /// `StateReason`: why it is in that state.
    pub state_reason: String,
    /// When the state last changed.
    pub updated_at: u64,
}
