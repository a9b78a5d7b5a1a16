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
pub type TaskKey = u64;
pub type ServiceKey = u64;
pub type DaemonKey = u64;
pub type RevisionKey = u64;
pub type DeploymentKey = u64;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cluster {
    pub name: String,
    pub arn: Arc<str>,
    /// Deleted clusters stay describable as INACTIVE.
    pub status: ClusterStatus,
    pub capacity_providers: Vec<String>,
    pub default_strategy: Vec<String>,
    pub created_at: u64,
}

/// An EC2 instance size picked from the provider's instance requirements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct InstanceSize {
    pub instance_type: &'static str,
    pub vcpu: u32,
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapacityProvider {
    pub name: String,
    pub arn: Arc<str>,
    pub cluster: String,
    /// `DEPROVISIONING` once deleted while instances remain.
    pub status: CapacityProviderStatus,
    pub size: InstanceSize,
    pub vcpu_range: (u32, u32),
    pub memory_range: (u32, u32),
    pub min_instances: u32,
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
    Launching,
    Booted,
    Registering,
    RegistrationFailed,
    Active,
    Draining,
    Deregistering,
    Terminated,
}

impl InstanceStatus {
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
    pub revision: RevisionKey,
    /// cpu/memory reserved for this daemon (false when it did not fit: TASK_CREATION_FAILED).
    pub reserved: bool,
    pub task: Option<TaskKey>,
    /// Failed start attempts on this instance.
    pub failures: u32,
}

/// `InstanceHealthCheckState` of AWS's model, for one check and for `overallStatus`. The
/// declaration order is the severity order, mildest first: the worst check wins the overall status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HealthState {
    Ok,
    Initializing,
    InsufficientData,
    Impaired,
}

impl HealthState {
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
    pub status_reason: Option<String>,
    pub last_status_change: u64,
    pub last_updated: u64,
}

impl DaemonHealth {
    /// The worst of the instance's checks (in [`HealthState`]'s order); with the DAEMON check
    /// the only one, its status.
    pub fn overall_status(&self) -> HealthState {
        self.status
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContainerInstance {
    pub key: InstanceKey,
    pub id: String,
    pub arn: Arc<str>,
    pub ec2_instance_id: Arc<str>,
    pub cluster: String,
    pub capacity_provider: String,
    pub instance_type: &'static str,
    pub status: InstanceStatus,
    pub registered_cpu: u32,
    pub registered_memory: u32,
    pub remaining_cpu: u32,
    pub remaining_memory: u32,
    pub launched_at: u64,
    pub registered_at: Option<u64>,
    pub activated_at: Option<u64>,
    pub status_changed_at: u64,
    pub health: DaemonHealth,
    /// Tasks placed here (daemon and app), live or stopped while the instance lives.
    pub tasks: BTreeSet<TaskKey>,
    /// Daemon slots by daemon, decided when the EC2 instance boots.
    pub daemons: BTreeMap<DaemonKey, DaemonSlot>,
    pub drain_cause: Option<DrainCause>,
    pub replacement_of: Option<InstanceKey>,
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
    pub fn status_str(&self) -> &'static str {
        self.status.as_str()
    }
}

/// A container of a daemon task definition (the fields the engine acts on; the API keeps the rest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContainerSpec {
    pub name: String,
    pub image: String,
    pub essential: bool,
    pub cpu: Option<u32>,
    pub memory: Option<u32>,
    pub memory_reservation: Option<u32>,
    pub health_check: Option<HealthCheck>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthCheck {
    pub command: Vec<String>,
    pub interval_s: u32,
    pub timeout_s: u32,
    pub retries: u32,
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DaemonTaskDefinition {
    pub arn: Arc<str>,
    pub family: String,
    pub revision: u32,
    pub cpu: Option<u32>,
    pub memory: Option<u32>,
    pub containers: Vec<ContainerSpec>,
    pub status: DefinitionStatus,
    pub registered_at: u64,
    pub delete_requested_at: Option<u64>,
    /// The API's full request document, kept for DescribeDaemonTaskDefinition.
    pub document: serde_json::Value,
}

impl DaemonTaskDefinition {
    pub fn resources(&self) -> (u32, u32) {
        task_resources(self.cpu, self.memory, &self.containers)
    }
    pub fn has_health_check(&self) -> bool {
        self.containers.iter().any(|c| c.health_check.is_some())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskDefinition {
    pub arn: Arc<str>,
    pub family: String,
    pub revision: u32,
    pub cpu: Option<u32>,
    pub memory: Option<u32>,
    pub containers: Vec<ContainerSpec>,
    pub status: DefinitionStatus,
    pub registered_at: u64,
    pub document: serde_json::Value,
}

impl TaskDefinition {
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
    pub drain_percent: f64,
    pub bake_time_in_minutes: u32,
    pub alarm_names: Vec<String>,
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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Daemon {
    pub key: DaemonKey,
    pub name: String,
    pub arn: Arc<str>,
    pub cluster: String,
    pub status: DaemonStatus,
    pub capacity_providers: Vec<String>,
    /// The revision new instances get: the latest deployment's target (or its rollback target).
    pub current_revision: RevisionKey,
    pub revisions: Vec<RevisionKey>,
    pub deployments: Vec<DeploymentKey>,
    pub created_at: u64,
    pub updated_at: u64,
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
    pub key: RevisionKey,
    pub id: String,
    pub arn: Arc<str>,
    pub daemon: DaemonKey,
    pub cluster: String,
    pub daemon_task_definition: Arc<str>,
    pub capacity_providers: Vec<String>,
    /// (containerName, image, imageDigest)
    pub container_images: Vec<(String, String, String)>,
    pub propagate_tags: String,
    pub enable_ecs_managed_tags: bool,
    pub enable_execute_command: bool,
    pub critical: bool,
    pub created_at: u64,
    pub cpu: u32,
    pub memory: u32,
    pub has_health_check: bool,
    /// (containerName, image) of `container_images`, shared by every task of the revision.
    #[serde(skip)]
    pub(crate) task_images: Arc<[(String, String)]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum DeploymentStatus {
    Pending,
    InProgress,
    Successful,
    Stopped,
    StopRequested,
    RollbackInProgress,
    RollbackSuccessful,
    RollbackFailed,
}

impl DeploymentStatus {
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CircuitBreaker {
    pub failure_count: u32,
    pub status: MonitorStatus,
    pub threshold: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlarmMonitor {
    pub status: MonitorStatus,
    pub alarm_names: Vec<String>,
    pub triggered_alarm_names: Vec<String>,
    /// Alarms already in ALARM when the deployment began: ignored until they leave ALARM.
    pub ignored: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rollback {
    pub reason: String,
    pub started_at: u64,
    pub target_revision: RevisionKey,
    pub capacity_providers: Vec<String>,
}

/// One DescribeDaemonDeployments record (AWS API reference: DescribeDaemonDeployments) plus the engine's
/// working state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deployment {
    pub key: DeploymentKey,
    pub id: String,
    pub arn: Arc<str>,
    pub daemon: DaemonKey,
    pub cluster: String,
    pub status: DeploymentStatus,
    pub status_reason: Option<String>,
    /// The revision being rolled out (for a delete deployment: the daemon's last revision, which the
    /// replacements come up *without*).
    pub target_revision: RevisionKey,
    pub source_revisions: Vec<RevisionKey>,
    /// True for the deployment DeleteDaemon creates.
    pub removes_daemon: bool,
    pub capacity_providers: Vec<String>,
    pub config: DeploymentConfig,
    pub circuit_breaker: CircuitBreaker,
    pub alarms: AlarmMonitor,
    pub rollback: Option<Rollback>,
    pub created_at: u64,
    pub started_at: Option<u64>,
    pub stopped_at: Option<u64>,
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
    pub fn is_active(&self) -> bool {
        !self.status.is_terminal()
    }
    /// The revision instances should end up on in the current phase (rollback target when rolling back).
    pub fn phase_target(&self) -> RevisionKey {
        self.rollback.as_ref().map(|r| r.target_revision).unwrap_or(self.target_revision)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ServiceKind {
    /// A CreateService service.
    Service,
    /// The tasks of one RunTask call: placed like a service, never replaced.
    Standalone,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    pub key: ServiceKey,
    pub kind: ServiceKind,
    pub name: String,
    pub arn: Arc<str>,
    pub cluster: String,
    pub capacity_provider: String,
    pub task_definition: Arc<str>,
    /// `DRAINING` once deleted, while its tasks stop.
    pub status: ServiceStatus,
    pub desired_count: u32,
    pub minimum_healthy_percent: u32,
    pub maximum_percent: u32,
    /// `service:NAME`, or `family:FAMILY` for RunTask.
    pub group: Arc<str>,
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
    pub promised_count: u32,
    /// No new placement before this time (backoff after a failed start).
    pub retry_at: u64,
    pub cpu: u32,
    pub memory: u32,
    /// `startedBy` and the (containerName, image) list of its tasks, made once: the task
    /// definition and the ARN never change.
    #[serde(skip)]
    pub(crate) task_started_by: Arc<str>,
    #[serde(skip)]
    pub(crate) task_images: Arc<[(String, String)]>,
}

impl Service {
    pub fn pending_count(&self) -> u32 {
        self.live.len() as u32 - self.running_count
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum TaskStatus {
    Provisioning,
    Pending,
    Activating,
    Running,
    Deactivating,
    Stopping,
    Deprovisioning,
    Stopped,
}

impl TaskStatus {
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
    Daemon { daemon: DaemonKey, revision: RevisionKey },
    Service(ServiceKey),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    pub key: TaskKey,
    pub id: String,
    pub arn: Arc<str>,
    pub cluster: String,
    pub owner: TaskOwner,
    pub group: Arc<str>,
    /// `daemon/NAME` for daemon tasks, `ecs-svc/…`-like for services.
    pub started_by: Arc<str>,
    pub task_definition: Arc<str>,
    pub instance: InstanceKey,
    pub container_instance_arn: Arc<str>,
    pub capacity_provider: String,
    pub last_status: TaskStatus,
    pub desired_status: DesiredStatus,
    pub health_status: TaskHealth,
    pub cpu: u32,
    pub memory: u32,
    pub created_at: u64,
    pub pull_started_at: Option<u64>,
    pub pull_stopped_at: Option<u64>,
    pub started_at: Option<u64>,
    pub stopping_at: Option<u64>,
    pub stopped_at: Option<u64>,
    pub stop_code: Option<&'static str>,
    pub stopped_reason: Option<Arc<str>>,
    /// Engine-internal: why the stop began (the invariant checker reads it).
    pub stop_cause: Option<StopCause>,
    pub version: u64,
    /// Counted healthy by its service (RUNNING for the grace period): minimumHealthyPercent
    /// only counts these.
    pub service_healthy: bool,
    pub images: Arc<[(String, String)]>,
    /// Its instance's `cluster_arn` and `capacity_provider_name`, for its events.
    #[serde(skip)]
    pub(crate) cluster_arn: Arc<str>,
    #[serde(skip)]
    pub(crate) capacity_provider_name: Arc<str>,
}

impl Task {
    pub fn is_daemon(&self) -> bool {
        matches!(self.owner, TaskOwner::Daemon { .. })
    }
    pub fn is_live(&self) -> bool {
        self.desired_status == DesiredStatus::Running
    }
}

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
    pub name: String,
    pub arn: String,
    pub state: AlarmState,
    pub state_reason: String,
    pub updated_at: u64,
}
