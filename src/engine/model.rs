//! The simulated objects. Everything here is read-only outside the engine: the API layer reads
//! these structs to answer Describe*/List* calls. Timestamps are simulated epoch milliseconds.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

pub use super::status::{
    AlarmState, CapacityProviderStatus, ClusterStatus, DaemonStatus, DefinitionStatus, DesiredStatus,
    MonitorStatus, ServiceStatus, TaskHealth,
};

/// Engine-internal handles: creation order, so iteration order is deterministic and meaningful.
pub type InstanceKey = u64;
/// Handle of a task in [`Simulation`](super::Simulation)'s tables.
pub type TaskKey = u64;
/// Handle of a service (or of one RunTask call's standalone tasks).
pub type ServiceKey = u64;
/// Handle of a daemon.
pub type DaemonKey = u64;
/// Handle of a daemon revision.
pub type RevisionKey = u64;
/// Handle of a daemon deployment.
pub type DeploymentKey = u64;

/// An ECS cluster: a name that groups capacity providers, instances, daemons and services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cluster {
    /// The cluster name, unique in the account and Region.
    pub name: String,
    /// `clusterArn`.
    pub arn: Arc<str>,
    /// Deleted clusters stay describable as INACTIVE.
    pub status: ClusterStatus,
    /// Names of the capacity providers associated with the cluster.
    pub capacity_providers: Vec<String>,
    /// Provider names of the default capacity provider strategy, in order.
    pub default_strategy: Vec<String>,
    /// When the cluster was created.
    pub created_at: u64,
}

/// An EC2 instance size picked from the provider's instance requirements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct InstanceSize {
    /// The EC2 instance type, such as `m6i.large`.
    pub instance_type: &'static str,
    /// vCPUs of the type.
    pub vcpu: u32,
    /// Memory of the type, in MiB.
    pub memory_mib: u32,
}

/// The sizes the simulated Managed Instances provider can launch, smallest first.
pub const INSTANCE_SIZES: &[InstanceSize] = &[
    InstanceSize { instance_type: "c6i.large", vcpu: 2, memory_mib: 4096 },
    InstanceSize { instance_type: "m6i.large", vcpu: 2, memory_mib: 8192 },
    InstanceSize { instance_type: "r6i.large", vcpu: 2, memory_mib: 16384 },
    InstanceSize { instance_type: "c6i.xlarge", vcpu: 4, memory_mib: 8192 },
    InstanceSize { instance_type: "m6i.xlarge", vcpu: 4, memory_mib: 16384 },
    InstanceSize { instance_type: "r6i.xlarge", vcpu: 4, memory_mib: 32768 },
    InstanceSize { instance_type: "c6i.2xlarge", vcpu: 8, memory_mib: 16384 },
    InstanceSize { instance_type: "m6i.2xlarge", vcpu: 8, memory_mib: 32768 },
    InstanceSize { instance_type: "c6i.4xlarge", vcpu: 16, memory_mib: 32768 },
    InstanceSize { instance_type: "m6i.4xlarge", vcpu: 16, memory_mib: 65536 },
    InstanceSize { instance_type: "c6i.8xlarge", vcpu: 32, memory_mib: 65536 },
    InstanceSize { instance_type: "m6i.8xlarge", vcpu: 32, memory_mib: 131072 },
];

/// The smallest size whose vCPU and memory fall inside both ranges.
pub fn pick_instance_size(vcpu: (u32, u32), memory_mib: (u32, u32)) -> Option<InstanceSize> {
    INSTANCE_SIZES.iter().copied().find(|s| {
        s.vcpu >= vcpu.0 && s.vcpu <= vcpu.1 && s.memory_mib >= memory_mib.0 && s.memory_mib <= memory_mib.1
    })
}

/// A Managed Instances capacity provider: where ECS launches, drains and replaces the instances daemons run
/// on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapacityProvider {
    /// The provider's name, unique in the account.
    pub name: String,
    /// `capacityProviderArn`.
    pub arn: Arc<str>,
    /// The cluster the provider belongs to.
    pub cluster: String,
    /// `DEPROVISIONING` once deleted while instances remain.
    pub status: CapacityProviderStatus,
    /// The instance size it launches, the smallest that fits its instance requirements.
    pub size: InstanceSize,
    /// `instanceRequirements.vCpuCount` as (min, max).
    pub vcpu_range: (u32, u32),
    /// `instanceRequirements.memoryMiB` as (min, max).
    pub memory_range: (u32, u32),
    /// Instances kept even when idle; 0 by default.
    pub min_instances: u32,
    /// The most live instances the provider launches; 10,000 by default.
    pub max_instances: u32,
    /// Whether the instance profile role carries `AmazonECSInstanceRolePolicyForManagedInstances`.
    pub instance_profile_ready: bool,
    /// Fault: EC2 launches fail (insufficient capacity).
    pub launch_blocked: bool,
    /// `infrastructureOptimization.scaleInAfter`: None = default, Some(-1) = off, else seconds.
    pub scale_in_after_s: Option<i64>,
    /// `autoRepairConfiguration.actionsStatus == ENABLED` (the default). ENABLED: an ACTIVE
    /// instance whose critical daemon task stops or turns unhealthy is marked IMPAIRED and
    /// replaced. DISABLED: ECS still monitors it and marks it IMPAIRED, but replaces nothing (the
    /// API reference, AutoRepairConfiguration); see `Simulation::auto_repair` for what else is
    /// held, and `Simulation::set_auto_repair` for switching it back on.
    pub auto_repair: bool,
    /// When the provider was created.
    pub created_at: u64,
    /// Has an instance of this provider booted yet (launches before that are cold ones).
    pub warmed: bool,
    /// Live instances (launching, registering, active, draining, deregistering).
    pub instances: BTreeSet<InstanceKey>,
}

/// Container instance status. `Launching` and `Booted` precede registration and are not visible
/// through the ECS API (the EC2 instance exists, the container instance does not yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum InstanceStatus {
    /// The EC2 instance is launching; not yet visible as a container instance (ECS shows `PROVISIONING`).
    Launching,
    /// The EC2 instance booted and its agent is starting; not yet registered (`PROVISIONING`).
    Booted,
    /// `REGISTERING`: registered with the cluster but not yet accepting app tasks; with a critical daemon,
    /// until that daemon's task is RUNNING.
    Registering,
    /// `REGISTRATION_FAILED`: the instance could not register with the cluster. In AWS's enum (and the
    /// ListContainerInstances filter) but never entered here: a missing instance-role policy fails the
    /// daemon tasks instead.
    RegistrationFailed,
    /// `ACTIVE`: accepts tasks.
    Active,
    /// `DRAINING`: no new tasks; app tasks are replaced elsewhere and stop, then the daemon tasks stop.
    Draining,
    /// `DEREGISTERING`: its tasks are gone and the instance is leaving the cluster.
    Deregistering,
    /// `INACTIVE`: deregistered and its EC2 instance terminated.
    Terminated,
}

impl InstanceStatus {
    /// The status as the ECS API and events spell it.
    pub const fn as_str(self) -> &'static str {
        match self {
            InstanceStatus::Launching => "PROVISIONING",
            InstanceStatus::Booted => "PROVISIONING",
            InstanceStatus::Registering => "REGISTERING",
            InstanceStatus::RegistrationFailed => "REGISTRATION_FAILED",
            InstanceStatus::Active => "ACTIVE",
            InstanceStatus::Draining => "DRAINING",
            InstanceStatus::Deregistering => "DEREGISTERING",
            InstanceStatus::Terminated => "INACTIVE",
        }
    }
    /// The two statuses UpdateContainerInstancesState can set, as a request spells them.
    pub fn parse_settable(text: &str) -> Option<Self> {
        match text {
            "ACTIVE" => Some(InstanceStatus::Active),
            "DRAINING" => Some(InstanceStatus::Draining),
            _ => None,
        }
    }
    /// Registered with ECS (visible to ListContainerInstances).
    pub fn is_registered(self) -> bool {
        matches!(
            self,
            InstanceStatus::Registering
                | InstanceStatus::RegistrationFailed
                | InstanceStatus::Active
                | InstanceStatus::Draining
                | InstanceStatus::Deregistering
        )
    }
    /// Can accept new app task placements.
    pub fn accepts_placement(self) -> bool {
        matches!(
            self,
            InstanceStatus::Launching
                | InstanceStatus::Booted
                | InstanceStatus::Registering
                | InstanceStatus::Active
        )
    }
}

/// Why an instance is being drained: the replacement mechanism is shared by all of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DrainCause {
    /// A daemon deployment replaces it (batch member).
    Deployment(DeploymentKey),
    /// A critical daemon task stopped or turned unhealthy.
    AutoRepair,
    /// Idle (only daemon tasks) for `scaleInAfter`, or above the provider's needs.
    ScaleIn,
    /// `ec2 terminate-instances`.
    Terminated,
    /// UpdateContainerInstancesState DRAINING.
    User,
    /// The capacity provider was deleted.
    ProviderDeleted,
}

impl DrainCause {
    /// The label viewers show for the cause.
    pub const fn as_str(self) -> &'static str {
        match self {
            DrainCause::Deployment(_) => "DEPLOYMENT",
            DrainCause::AutoRepair => "AUTO_REPAIR",
            DrainCause::ScaleIn => "SCALE_IN",
            DrainCause::Terminated => "TERMINATED",
            DrainCause::User => "USER",
            DrainCause::ProviderDeleted => "PROVIDER_DELETED",
        }
    }
}

/// One daemon's place on an instance: the revision it runs there and its current task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DaemonSlot {
    /// The daemon revision that runs on this instance.
    pub revision: RevisionKey,
    /// cpu/memory reserved for this daemon (false when it did not fit: TASK_CREATION_FAILED).
    pub reserved: bool,
    /// The daemon's current task here, if one was started.
    pub task: Option<TaskKey>,
    /// Failed start attempts on this instance.
    pub failures: u32,
}

/// `InstanceHealthCheckState` of AWS's model, for one check and for `overallStatus`. The
/// declaration order is the severity order, mildest first: the worst check wins the overall status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HealthState {
    /// `OK`: the check passes.
    Ok,
    /// `INITIALIZING`: the check has not run yet (a new instance).
    Initializing,
    /// `INSUFFICIENT_DATA`: the check cannot tell yet.
    InsufficientData,
    /// `IMPAIRED`: the check failed; with auto repair on, ECS replaces the instance.
    Impaired,
}

impl HealthState {
    /// The state as the ECS API spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            HealthState::Ok => "OK",
            HealthState::Initializing => "INITIALIZING",
            HealthState::InsufficientData => "INSUFFICIENT_DATA",
            HealthState::Impaired => "IMPAIRED",
        }
    }
}

/// The DAEMON check of `healthStatus.details[]`: the only check the simulator runs, so the
/// instance's `overallStatus` is its status (see [`DaemonHealth::overall_status`]). One record
/// feeds DescribeContainerInstances and the `ECS Container Instance Health Change` event alike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DaemonHealth {
    /// `INITIALIZING` until the instance first turns ACTIVE, then `OK` or `IMPAIRED`.
    pub status: HealthState,
    /// `statusReason`: why the check is in its state, when it is not OK.
    pub status_reason: Option<String>,
    /// `lastStatusChange`: when `status` last changed.
    pub last_status_change: u64,
    /// `lastUpdated`: when the check last ran.
    pub last_updated: u64,
}

impl DaemonHealth {
    /// The worst of the instance's checks (in [`HealthState`]'s order); with the DAEMON check
    /// the only one, its status.
    pub fn overall_status(&self) -> HealthState {
        self.status
    }
}

/// A container instance: an EC2 instance launched by a capacity provider and registered with a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContainerInstance {
    /// The engine's handle.
    pub key: InstanceKey,
    /// The container instance id (the last segment of its ARN).
    pub id: String,
    /// `containerInstanceArn`.
    pub arn: Arc<str>,
    /// `ec2InstanceId`, `i-` followed by 17 hex digits.
    pub ec2_instance_id: Arc<str>,
    /// The cluster it belongs to.
    pub cluster: String,
    /// The capacity provider that launched it.
    pub capacity_provider: String,
    /// The EC2 instance type.
    pub instance_type: &'static str,
    /// Where it is in its lifecycle.
    pub status: InstanceStatus,
    /// `registeredResources` CPU, in CPU units (1024 per vCPU).
    pub registered_cpu: u32,
    /// `registeredResources` memory, in MiB.
    pub registered_memory: u32,
    /// `remainingResources` CPU: registered minus what its live tasks reserve.
    pub remaining_cpu: u32,
    /// `remainingResources` memory, in MiB.
    pub remaining_memory: u32,
    /// When the EC2 instance was launched.
    pub launched_at: u64,
    /// `registeredAt`: when it registered with the cluster.
    pub registered_at: Option<u64>,
    /// When it first turned ACTIVE.
    pub activated_at: Option<u64>,
    /// When `status` last changed.
    pub status_changed_at: u64,
    /// The `DAEMON` health check of `healthStatus`.
    pub health: DaemonHealth,
    /// Tasks placed here (daemon and app), live or stopped while the instance lives.
    pub tasks: BTreeSet<TaskKey>,
    /// Daemon slots by daemon, decided when the EC2 instance boots.
    pub daemons: BTreeMap<DaemonKey, DaemonSlot>,
    /// Why it is draining, once it is.
    pub drain_cause: Option<DrainCause>,
    /// The instance this one replaces, when it was launched as a replacement.
    pub replacement_of: Option<InstanceKey>,
    /// The instance launched to replace this one.
    pub replaced_by: Option<InstanceKey>,
    /// App tasks promised to services while the EC2 instance is still launching: service → count.
    pub promised: BTreeMap<ServiceKey, u32>,
    /// Since when the instance has had no app task (the scale-in idle timer).
    pub idle_since: Option<u64>,
    /// Agent version counter (`version` of ContainerInstance); bumps on every change.
    pub version: u64,
    /// The cluster's ARN and the provider's name as events carry them, shared from creation on:
    /// every event would otherwise look both up by name.
    #[serde(skip)]
    pub(crate) cluster_arn: Arc<str>,
    #[serde(skip)]
    pub(crate) capacity_provider_name: Arc<str>,
}

impl ContainerInstance {
    /// [`InstanceStatus::as_str`] of its status.
    pub fn status_str(&self) -> &'static str {
        self.status.as_str()
    }
}

/// A container of a daemon task definition (the fields the engine acts on; the API keeps the rest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContainerSpec {
    /// The container's name, unique in its task definition.
    pub name: String,
    /// The image it runs.
    pub image: String,
    /// Whether the task stops when this container stops.
    pub essential: bool,
    /// Container-level CPU units, if reserved.
    pub cpu: Option<u32>,
    /// Hard memory limit in MiB.
    pub memory: Option<u32>,
    /// Soft memory limit (reservation) in MiB.
    pub memory_reservation: Option<u32>,
    /// The container's health check, if any.
    pub health_check: Option<HealthCheck>,
}

/// A container health check, with the defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthCheck {
    /// `["CMD", …]` or `["CMD-SHELL", "…"]`.
    pub command: Vec<String>,
    /// Seconds between checks (5–300, default 30).
    pub interval_s: u32,
    /// Seconds one check may take (2–60, default 5).
    pub timeout_s: u32,
    /// Consecutive failures before the container is UNHEALTHY (1–10, default 3).
    pub retries: u32,
    /// Grace seconds after start during which failures do not count (0–300, default 0).
    pub start_period_s: u32,
}

/// Task-level cpu/memory, or the container values summed when the task level is absent (our
/// choice where AWS is silent: a task fits when the remaining CPU and memory cover both).
pub fn task_resources(cpu: Option<u32>, memory: Option<u32>, containers: &[ContainerSpec]) -> (u32, u32) {
    let cpu = cpu.unwrap_or_else(|| containers.iter().map(|c| c.cpu.unwrap_or(0)).sum());
    let memory = memory
        .unwrap_or_else(|| containers.iter().map(|c| c.memory.or(c.memory_reservation).unwrap_or(0)).sum());
    (cpu, memory)
}

/// A daemon task definition revision: what a daemon's tasks run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DaemonTaskDefinition {
    /// `daemonTaskDefinitionArn`.
    pub arn: Arc<str>,
    /// The family the revision belongs to.
    pub family: String,
    /// The revision number within the family, from 1.
    pub revision: u32,
    /// Task-level CPU units, if given.
    pub cpu: Option<u32>,
    /// Task-level memory in MiB, if given.
    pub memory: Option<u32>,
    /// Its containers, in definition order.
    pub containers: Vec<ContainerSpec>,
    /// `ACTIVE`, or `DELETE_IN_PROGRESS` after DeleteDaemonTaskDefinition.
    pub status: DefinitionStatus,
    /// `registeredAt`.
    pub registered_at: u64,
    /// `deleteRequestedAt`: when DeleteDaemonTaskDefinition was called.
    pub delete_requested_at: Option<u64>,
    /// The API's full request document, kept for DescribeDaemonTaskDefinition.
    pub document: serde_json::Value,
}

impl DaemonTaskDefinition {
    /// The (CPU units, MiB) a task reserves on its instance (see [`task_resources`]).
    pub fn resources(&self) -> (u32, u32) {
        task_resources(self.cpu, self.memory, &self.containers)
    }
    /// Whether any container has a health check: then a daemon task counts as ready on its instance only once
    /// HEALTHY.
    pub fn has_health_check(&self) -> bool {
        self.containers.iter().any(|c| c.health_check.is_some())
    }
}

/// An application task definition revision: what services and RunTask tasks run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskDefinition {
    /// `taskDefinitionArn`.
    pub arn: Arc<str>,
    /// The family the revision belongs to.
    pub family: String,
    /// The revision number within the family, from 1.
    pub revision: u32,
    /// Task-level CPU units, if given.
    pub cpu: Option<u32>,
    /// Task-level memory in MiB, if given.
    pub memory: Option<u32>,
    /// Its containers, in definition order.
    pub containers: Vec<ContainerSpec>,
    /// `ACTIVE` (the simulator has no DeregisterTaskDefinition).
    pub status: DefinitionStatus,
    /// `registeredAt`.
    pub registered_at: u64,
    /// The API's full request document, kept for DescribeTaskDefinition.
    pub document: serde_json::Value,
}

impl TaskDefinition {
    /// The (CPU units, MiB) a task reserves on its instance (see [`task_resources`]).
    pub fn resources(&self) -> (u32, u32) {
        task_resources(self.cpu, self.memory, &self.containers)
    }
}

/// drainPercent when a deployment configuration gives none (AWS API reference:
/// DaemonDeploymentConfiguration, default 25). The one owner: the API, the sweep and the benchmark
/// refer to it.
pub const DEFAULT_DRAIN_PERCENT: f64 = 25.0;

/// The longest bake time a deployment configuration accepts, in minutes (AWS API reference:
/// DaemonDeploymentConfiguration, `bakeTimeInMinutes` 0–1440).
pub const MAX_BAKE_TIME_MINUTES: u32 = 1440;

/// The longest `infrastructureOptimization.scaleInAfter` a Managed Instances provider accepts, in
/// seconds (-1 turns scale-in off; AWS API reference: InfrastructureOptimization, 0–3600).
pub const MAX_SCALE_IN_AFTER_SECONDS: i64 = 3600;

/// `deploymentConfiguration` with defaults filled in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeploymentConfig {
    /// `drainPercent`: the share of the daemon's instances drained at once, 0–100; [`DEFAULT_DRAIN_PERCENT`]
    /// when absent.
    pub drain_percent: f64,
    /// `bakeTimeInMinutes`: how long to keep watching after the last instance is replaced, before SUCCESSFUL,
    /// 0–[`MAX_BAKE_TIME_MINUTES`]; 0 when absent.
    pub bake_time_in_minutes: u32,
    /// `alarms.alarmNames`: the CloudWatch alarms that roll the deployment back.
    pub alarm_names: Vec<String>,
    /// `alarms.enable`: whether those alarms are watched; false when absent.
    pub alarms_enabled: bool,
}

impl Default for DeploymentConfig {
    fn default() -> Self {
        DeploymentConfig {
            drain_percent: DEFAULT_DRAIN_PERCENT,
            bake_time_in_minutes: 0,
            alarm_names: Vec::new(),
            alarms_enabled: false,
        }
    }
}

/// A daemon: one task of its revision on every instance of its capacity providers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Daemon {
    /// The engine's handle.
    pub key: DaemonKey,
    /// `daemonName`, unique in the cluster.
    pub name: String,
    /// `daemonArn`.
    pub arn: Arc<str>,
    /// The cluster it runs in.
    pub cluster: String,
    /// `ACTIVE`, or `DELETE_IN_PROGRESS` once DeleteDaemon is called.
    pub status: DaemonStatus,
    /// Names of the capacity providers whose instances run it.
    pub capacity_providers: Vec<String>,
    /// The revision new instances get: the latest deployment's target (or its rollback target).
    pub current_revision: RevisionKey,
    /// Its revisions, oldest first.
    pub revisions: Vec<RevisionKey>,
    /// Its deployments, oldest first.
    pub deployments: Vec<DeploymentKey>,
    /// `createdAt`.
    pub created_at: u64,
    /// `updatedAt`: the last CreateDaemon, UpdateDaemon or DeleteDaemon.
    pub updated_at: u64,
    /// Its tags as (key, value).
    pub tags: Vec<(String, String)>,
    /// The delete deployment finished: DescribeDaemon answers DaemonNotFoundException.
    pub deleted: bool,
    /// `group` and `startedBy` of its tasks (`daemon:NAME`, `daemon/NAME`), made once.
    #[serde(skip)]
    pub(crate) task_group: Arc<str>,
    #[serde(skip)]
    pub(crate) task_started_by: Arc<str>,
}

/// Immutable snapshot of a daemon's configuration, one per deployment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DaemonRevision {
    /// The engine's handle.
    pub key: RevisionKey,
    /// The revision id (the last segment of its ARN).
    pub id: String,
    /// `daemonRevisionArn`.
    pub arn: Arc<str>,
    /// The daemon it belongs to.
    pub daemon: DaemonKey,
    /// The daemon's cluster.
    pub cluster: String,
    /// `daemonTaskDefinitionArn`: the daemon task definition it runs.
    pub daemon_task_definition: Arc<str>,
    /// The capacity providers the daemon ran on when the revision was taken.
    pub capacity_providers: Vec<String>,
    /// (containerName, image, imageDigest)
    pub container_images: Vec<(String, String, String)>,
    /// `propagateTags`: `DAEMON` or `NONE`.
    pub propagate_tags: String,
    /// `enableECSManagedTags`.
    pub enable_ecs_managed_tags: bool,
    /// `enableExecuteCommand`.
    pub enable_execute_command: bool,
    /// `critical`: an instance is ACTIVE only once this daemon's task runs, and is repaired when it fails.
    pub critical: bool,
    /// `createdAt`.
    pub created_at: u64,
    /// CPU units a task of this revision reserves.
    pub cpu: u32,
    /// Memory in MiB a task of this revision reserves.
    pub memory: u32,
    /// Whether a container has a health check: then a daemon task counts as ready on its instance only once
    /// HEALTHY.
    pub has_health_check: bool,
    /// (containerName, image) of `container_images`, shared by every task of the revision.
    #[serde(skip)]
    pub(crate) task_images: Arc<[(String, String)]>,
}

/// `DaemonDeploymentStatus`: where a daemon deployment is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum DeploymentStatus {
    /// `PENDING`: created and preparing; no instance is drained yet.
    Pending,
    /// `IN_PROGRESS`: instances are being drained and replaced in batches, or the bake time is running.
    InProgress,
    /// `SUCCESSFUL`: every instance in scope runs the target revision and the bake time has passed.
    Successful,
    /// `STOPPED`: replaced by a newer deployment of the same daemon, or failed without rollback; instances
    /// may be left on mixed revisions.
    Stopped,
    /// `STOP_REQUESTED`: the circuit breaker or an alarm stopped it; a rollback is about to start.
    StopRequested,
    /// `ROLLBACK_IN_PROGRESS`: instances are being returned to the source revision.
    RollbackInProgress,
    /// `ROLLBACK_SUCCESSFUL`: every instance runs the source revision again.
    RollbackSuccessful,
    /// `ROLLBACK_FAILED`: the rollback itself could not finish.
    RollbackFailed,
}

impl DeploymentStatus {
    /// The status as the ECS API spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            DeploymentStatus::Pending => "PENDING",
            DeploymentStatus::InProgress => "IN_PROGRESS",
            DeploymentStatus::Successful => "SUCCESSFUL",
            DeploymentStatus::Stopped => "STOPPED",
            DeploymentStatus::StopRequested => "STOP_REQUESTED",
            DeploymentStatus::RollbackInProgress => "ROLLBACK_IN_PROGRESS",
            DeploymentStatus::RollbackSuccessful => "ROLLBACK_SUCCESSFUL",
            DeploymentStatus::RollbackFailed => "ROLLBACK_FAILED",
        }
    }
    /// The `eventName` of the `ECS Daemon Deployment State Change` event announcing this status.
    pub fn event_name(self) -> &'static str {
        match self {
            DeploymentStatus::Pending => "DAEMON_DEPLOYMENT_PENDING",
            DeploymentStatus::InProgress => "DAEMON_DEPLOYMENT_IN_PROGRESS",
            DeploymentStatus::Successful => "DAEMON_DEPLOYMENT_SUCCESSFUL",
            DeploymentStatus::Stopped => "DAEMON_DEPLOYMENT_STOPPED",
            DeploymentStatus::StopRequested => "DAEMON_DEPLOYMENT_STOP_REQUESTED",
            DeploymentStatus::RollbackInProgress => "DAEMON_DEPLOYMENT_ROLLBACK_IN_PROGRESS",
            DeploymentStatus::RollbackSuccessful => "DAEMON_DEPLOYMENT_ROLLBACK_SUCCESSFUL",
            DeploymentStatus::RollbackFailed => "DAEMON_DEPLOYMENT_ROLLBACK_FAILED",
        }
    }
    /// Whether the deployment has ended (SUCCESSFUL, STOPPED, ROLLBACK_SUCCESSFUL or ROLLBACK_FAILED).
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            DeploymentStatus::Successful
                | DeploymentStatus::Stopped
                | DeploymentStatus::RollbackSuccessful
                | DeploymentStatus::RollbackFailed
        )
    }
}

/// `circuitBreaker` of a daemon deployment: counts daemon tasks that failed to start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CircuitBreaker {
    /// `failureCount`: daemon tasks that failed to start during this deployment.
    pub failure_count: u32,
    /// `status`: `MONITORING` while the deployment runs, `MONITORING_COMPLETE` once it ends, `TRIGGERED`
    /// once `failureCount` reached the threshold.
    pub status: MonitorStatus,
    /// `threshold`: the failures that trigger a rollback (see
    /// [`circuit_breaker_threshold`](super::circuit_breaker_threshold)).
    pub threshold: u32,
}

/// `alarms` of a daemon deployment: the CloudWatch alarms watched while it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlarmMonitor {
    /// `status`: `DISABLED`, `MONITORING`, `MONITORING_COMPLETE` or `TRIGGERED`.
    pub status: MonitorStatus,
    /// `alarmNames`: the alarms watched.
    pub alarm_names: Vec<String>,
    /// `triggeredAlarmNames`: the alarms that went to ALARM and stopped the deployment.
    pub triggered_alarm_names: Vec<String>,
    /// Alarms already in ALARM when the deployment began: ignored until they leave ALARM.
    pub ignored: BTreeSet<String>,
}

/// `rollback` of a daemon deployment: what it is rolling back to and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rollback {
    /// `reason`: why the rollback began (the circuit breaker or the alarms that triggered).
    pub reason: String,
    /// `startedAt`: when the rollback began.
    pub started_at: u64,
    /// The source revision instances are returned to.
    pub target_revision: RevisionKey,
    /// The capacity providers the source revision ran on.
    pub capacity_providers: Vec<String>,
}

/// One DescribeDaemonDeployments record (AWS API reference: DescribeDaemonDeployments) plus the engine's
/// working state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deployment {
    /// The engine's handle.
    pub key: DeploymentKey,
    /// The deployment id (the last segment of its ARN).
    pub id: String,
    /// `daemonDeploymentArn`.
    pub arn: Arc<str>,
    /// The daemon it deploys.
    pub daemon: DaemonKey,
    /// The daemon's cluster.
    pub cluster: String,
    /// Where the deployment is in its lifecycle.
    pub status: DeploymentStatus,
    /// `statusReason`: why it is in its status, when there is something to say.
    pub status_reason: Option<String>,
    /// The revision being rolled out (for a delete deployment: the daemon's last revision, which the
    /// replacements come up *without*).
    pub target_revision: RevisionKey,
    /// `sourceDaemonRevisions`: the revisions the instances ran when it started.
    pub source_revisions: Vec<RevisionKey>,
    /// True for the deployment DeleteDaemon creates.
    pub removes_daemon: bool,
    /// The capacity providers whose instances are in scope.
    pub capacity_providers: Vec<String>,
    /// `deploymentConfiguration`, defaults filled in.
    pub config: DeploymentConfig,
    /// `circuitBreaker`.
    pub circuit_breaker: CircuitBreaker,
    /// `alarms`.
    pub alarms: AlarmMonitor,
    /// `rollback`, once one began.
    pub rollback: Option<Rollback>,
    /// `createdAt`: when UpdateDaemon, CreateDaemon or DeleteDaemon created it.
    pub created_at: u64,
    /// `startedAt`: when it went IN_PROGRESS.
    pub started_at: Option<u64>,
    /// `stoppedAt`: when it went STOPPED.
    pub stopped_at: Option<u64>,
    /// `finishedAt`: when it reached SUCCESSFUL or ended its rollback.
    pub finished_at: Option<u64>,
    /// Instances in scope when the deployment started (N of the batch rule).
    pub instances_in_scope: u32,
    /// Batch size currently applied (`batch_size(N, drainPercent)`).
    pub batch_size: u32,
    /// Instances still to replace, in selection order.
    pub todo: BTreeSet<InstanceKey>,
    /// Instances this deployment is replacing now (the sliding window).
    pub draining: BTreeSet<InstanceKey>,
    /// Number of instances replaced so far.
    pub replaced: u32,
    /// When the bake window ends, once started.
    pub bake_until: Option<u64>,
    /// Failed launches of the rollback target while rolling back.
    pub rollback_failures: u32,
    /// Largest window the current `draining` members were admitted under: equals `batch_size`
    /// except right after a superseded deployment's drains were adopted or drainPercent lowered
    /// (then no instance is admitted until the window is below the batch size again).
    pub window_limit: u32,
}

impl Deployment {
    /// Whether it is still running (not in a terminal status).
    pub fn is_active(&self) -> bool {
        !self.status.is_terminal()
    }
    /// The revision instances should end up on in the current phase (rollback target when rolling back).
    pub fn phase_target(&self) -> RevisionKey {
        self.rollback.as_ref().map(|r| r.target_revision).unwrap_or(self.target_revision)
    }
}

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
