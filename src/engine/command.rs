//! Commands: the verbs that change desired state. The API layer converts AWS requests into these
//! (it checks field formats; the engine checks references and states).

use super::model::{ContainerSpec, DeploymentConfig};
use serde::Serialize;

/// CreateCapacityProvider of a Managed Instances provider, as the engine needs it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateCapacityProvider {
    /// The provider's name, unique in the account.
    pub name: String,
    /// The cluster it belongs to.
    pub cluster: String,
    /// `vCpuCount.min` of its instance requirements.
    pub vcpu_min: u32,
    /// `vCpuCount.max` of its instance requirements.
    pub vcpu_max: u32,
    /// `memoryMiB.min` of its instance requirements.
    pub memory_min_mib: u32,
    /// `memoryMiB.max` of its instance requirements.
    pub memory_max_mib: u32,
    /// Instances kept even when idle (default 0).
    pub min_instances: Option<u32>,
    /// Upper bound on instances (default 10,000).
    pub max_instances: Option<u32>,
    /// Whether the instance profile role carries `AmazonECSInstanceRolePolicyForManagedInstances`.
    pub instance_profile_ready: bool,
    /// `infrastructureOptimization.scaleInAfter`: None = default (lifecycle table), -1 = never.
    pub scale_in_after_s: Option<i64>,
    /// `autoRepairConfiguration.actionsStatus == ENABLED` (AWS's default).
    pub auto_repair: bool,
}

/// The provider settings UpdateCapacityProvider changes in the engine; `None` leaves one as it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpdateCapacityProvider {
    /// The provider's name.
    pub name: String,
    /// `infrastructureOptimization.scaleInAfter` (`Some(None)`: back to the default). Like AWS,
    /// it applies to what happens next: an idle timer already running keeps its time.
    pub scale_in_after_s: Option<Option<i64>>,
    /// `autoRepairConfiguration.actionsStatus == ENABLED`.
    pub auto_repair: Option<bool>,
}

/// RegisterDaemonTaskDefinition: the next revision of a daemon task definition family.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegisterDaemonTaskDefinition {
    /// The family, 1–255 letters, digits, `_` and `-`.
    pub family: String,
    /// Task-level CPU units, if given.
    pub cpu: Option<u32>,
    /// Task-level memory in MiB, if given.
    pub memory: Option<u32>,
    /// The containers the engine acts on.
    pub containers: Vec<ContainerSpec>,
    /// The request as sent, returned by DescribeDaemonTaskDefinition.
    pub document: serde_json::Value,
}

/// CreateDaemon: a new daemon, rolled out by its first deployment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateDaemon {
    /// The cluster's name or ARN.
    pub cluster: String,
    /// `daemonName`, unique in the cluster.
    pub daemon_name: String,
    /// ARN or `family:revision`.
    pub daemon_task_definition: String,
    /// ARNs or names.
    pub capacity_providers: Vec<String>,
    /// `deploymentConfiguration`; the defaults of [`DeploymentConfig`] when `None`.
    pub deployment_configuration: Option<DeploymentConfig>,
    /// Tags as (key, value).
    pub tags: Vec<(String, String)>,
    /// `propagateTags`: `DAEMON` or `NONE`; `NONE` when `None`.
    pub propagate_tags: Option<String>,
    /// `enableECSManagedTags`.
    pub enable_ecs_managed_tags: bool,
    /// `enableExecuteCommand`.
    pub enable_execute_command: bool,
    /// `critical`; true when `None`.
    pub critical: Option<bool>,
    /// `clientToken`: a repeated CreateDaemon with the same token and request answers the first one's result.
    pub client_token: Option<String>,
}

/// UpdateDaemon: the daemon's full desired configuration, rolled out by a new deployment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpdateDaemon {
    /// ARN (or `cluster/name`).
    pub daemon: String,
    /// The daemon task definition revision to roll out (ARN or `family:revision`).
    pub daemon_task_definition: String,
    /// Capacity provider names or ARNs the daemon runs on after the update.
    pub capacity_providers: Vec<String>,
    /// `deploymentConfiguration`; the defaults of [`DeploymentConfig`] when `None`.
    pub deployment_configuration: Option<DeploymentConfig>,
    /// `propagateTags`: `DAEMON` or `NONE`; `NONE` when `None`.
    pub propagate_tags: Option<String>,
    /// `enableECSManagedTags`.
    pub enable_ecs_managed_tags: bool,
    /// `enableExecuteCommand`.
    pub enable_execute_command: bool,
    /// `critical`; true when `None`.
    pub critical: Option<bool>,
}

/// RegisterTaskDefinition: the next revision of an application task definition family.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegisterTaskDefinition {
    /// The family, 1–255 letters, digits, `_` and `-`.
    pub family: String,
    /// Task-level CPU units, if given.
    pub cpu: Option<u32>,
    /// Task-level memory in MiB, if given.
    pub memory: Option<u32>,
    /// The containers the engine acts on.
    pub containers: Vec<ContainerSpec>,
    /// The request as sent, returned by DescribeTaskDefinition.
    pub document: serde_json::Value,
}

/// CreateService: a replica service on one capacity provider.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateService {
    /// The cluster's name or ARN.
    pub cluster: String,
    /// `serviceName`, unique in the cluster.
    pub service_name: String,
    /// ARN, `family:revision` or `family` (latest ACTIVE).
    pub task_definition: String,
    /// `desiredCount`: the tasks it keeps running.
    pub desired_count: u32,
    /// Capacity provider name or ARN; None = the cluster's default strategy.
    pub capacity_provider: Option<String>,
    /// `minimumHealthyPercent`; 100 when `None`.
    pub minimum_healthy_percent: Option<u32>,
    /// `maximumPercent`; 200 when `None`.
    pub maximum_percent: Option<u32>,
}

/// UpdateService's `taskDefinition` (and `deploymentConfiguration`): a service deployment. The
/// service's tasks of other revisions are replaced rolling, new before old, within
/// maximumPercent and minimumHealthyPercent ("Deploy Amazon ECS services by replacing tasks",
/// Amazon ECS Developer Guide). A command of its own so that `UpdateService` (desiredCount) reads
/// in the event logs as it always has.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeployService {
    /// The cluster's name or ARN.
    pub cluster: String,
    /// The service's name or ARN.
    pub service: String,
    /// ARN, `family:revision` or `family` (latest ACTIVE); None keeps the current one.
    pub task_definition: Option<String>,
    /// `minimumHealthyPercent`; unchanged when `None`.
    pub minimum_healthy_percent: Option<u32>,
    /// `maximumPercent`; unchanged when `None`.
    pub maximum_percent: Option<u32>,
}

/// RunTask: standalone tasks, placed like a service's but never replaced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunTask {
    /// The cluster's name or ARN.
    pub cluster: String,
    /// ARN, `family:revision` or `family` (latest ACTIVE).
    pub task_definition: String,
    /// Tasks to start, 1–10.
    pub count: u32,
    /// Capacity provider name or ARN; the cluster's default strategy when `None`.
    pub capacity_provider: Option<String>,
    /// `group`; `family:FAMILY` when `None`.
    pub group: Option<String>,
    /// `startedBy`, if given.
    pub started_by: Option<String>,
}

/// Everything that changes the simulation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Command {
    /// CreateCluster (of an existing ACTIVE cluster: nothing changes).
    CreateCluster {
        /// The cluster name.
        name: String,
    },
    /// DeleteCluster: refused while services, ACTIVE daemons, instances or ACTIVE capacity providers remain.
    DeleteCluster {
        /// The cluster's name or ARN.
        cluster: String,
    },
    /// CreateCapacityProvider.
    CreateCapacityProvider(CreateCapacityProvider),
    /// UpdateCapacityProvider.
    UpdateCapacityProvider(UpdateCapacityProvider),
    /// DeleteCapacityProvider: the provider goes DEPROVISIONING while its instances drain.
    DeleteCapacityProvider {
        /// The provider's name or ARN.
        name: String,
    },
    /// Sets the instance profile flag (the seed's legacy-policy pitfall, and its fix).
    SetInstanceProfileReady {
        /// The provider's name.
        capacity_provider: String,
        /// Whether its instance profile now carries the Managed Instances policy.
        ready: bool,
    },
    /// PutClusterCapacityProviders: replaces the cluster's providers and default strategy.
    PutClusterCapacityProviders {
        /// The cluster's name or ARN.
        cluster: String,
        /// Every provider the cluster keeps.
        capacity_providers: Vec<String>,
        /// Provider names of the default strategy.
        default_strategy: Vec<String>,
    },
    /// RegisterDaemonTaskDefinition.
    RegisterDaemonTaskDefinition(RegisterDaemonTaskDefinition),
    /// DeleteDaemonTaskDefinition: the revision goes DELETE_IN_PROGRESS.
    DeleteDaemonTaskDefinition {
        /// `family:revision` or ARN.
        daemon_task_definition: String,
    },
    /// CreateDaemon.
    CreateDaemon(CreateDaemon),
    /// UpdateDaemon.
    UpdateDaemon(UpdateDaemon),
    /// DeleteDaemon: the daemon goes DELETE_IN_PROGRESS and a delete deployment removes its tasks.
    DeleteDaemon {
        /// The daemon's ARN (or `cluster/name`).
        daemon: String,
    },
    /// RegisterTaskDefinition.
    RegisterTaskDefinition(RegisterTaskDefinition),
    /// CreateService.
    CreateService(CreateService),
    /// UpdateService of `desiredCount` only.
    UpdateService {
        /// The cluster's name or ARN.
        cluster: String,
        /// The service's name or ARN.
        service: String,
        /// The new `desiredCount`; unchanged when `None`.
        desired_count: Option<u32>,
    },
    /// UpdateService with a task definition or deployment configuration.
    DeployService(DeployService),
    /// DeleteService: the service goes DRAINING while its tasks stop.
    DeleteService {
        /// The cluster's name or ARN.
        cluster: String,
        /// The service's name or ARN.
        service: String,
        /// Delete even while `desiredCount` is above 0.
        force: bool,
    },
    /// RunTask.
    RunTask(RunTask),
    /// StopTask.
    StopTask {
        /// The cluster's name or ARN.
        cluster: String,
        /// The task's id or ARN.
        task: String,
        /// `reason`, shown as the task's `stoppedReason`.
        reason: Option<String>,
    },
    /// `status` is `DRAINING` or `ACTIVE`.
    UpdateContainerInstancesState {
        /// The cluster's name or ARN.
        cluster: String,
        /// Container instance ids or ARNs.
        container_instances: Vec<String>,
        /// The status to set.
        status: String,
    },
    /// `ec2 terminate-instances` by EC2 instance id.
    TerminateInstances {
        /// `i-…` ids of the instances to terminate.
        instance_ids: Vec<String>,
    },
    /// PutMetricAlarm: an alarm deployments can watch, created in `OK`.
    PutMetricAlarm {
        /// The alarm name.
        name: String,
    },
    /// DeleteAlarms.
    DeleteAlarms {
        /// The alarm names.
        names: Vec<String>,
    },
    /// `state` is `OK`, `ALARM` or `INSUFFICIENT_DATA`.
    SetAlarmState {
        /// The alarm name.
        name: String,
        /// The new state.
        state: String,
        /// `StateReason`.
        reason: String,
    },
    /// Fault: pulls of this image fail (`CannotPullContainerError`) until cleared.
    SetImageUnpullable {
        /// The image reference, exactly as a container definition names it.
        image: String,
        /// True to make pulls fail, false to clear the fault.
        unpullable: bool,
    },
    /// Fault: clear every image fault and every launch fault.
    ClearFaults,
    /// Fault: EC2 launches of this capacity provider fail until cleared.
    SetLaunchBlocked {
        /// The provider's name.
        capacity_provider: String,
        /// True to make launches fail, false to clear the fault.
        blocked: bool,
    },
    /// Fault: the task (by ARN or id) turns UNHEALTHY. Without a container health check only a
    /// stop is detectable, so such a task stops as if its essential container exited.
    MakeTaskUnhealthy {
        /// The task's id or ARN.
        task: String,
    },
    /// Changes drainPercent of the daemon's active deployment; applies from the next batch.
    SetDeploymentDrainPercent {
        /// The daemon's ARN (or `cluster/name`).
        daemon: String,
        /// The new drainPercent, 0–100.
        drain_percent: f64,
    },
}

/// What a successful command produced, for the API to shape its response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Outcome {
    /// The command changed state; there is nothing to return.
    Done,
    /// CreateCluster / DeleteCluster / PutClusterCapacityProviders.
    Cluster {
        /// `clusterArn`.
        arn: String,
    },
    /// CreateCapacityProvider / UpdateCapacityProvider / DeleteCapacityProvider.
    CapacityProvider {
        /// `capacityProviderArn`.
        arn: String,
    },
    /// RegisterDaemonTaskDefinition / DeleteDaemonTaskDefinition.
    DaemonTaskDefinition {
        /// `daemonTaskDefinitionArn`.
        arn: String,
    },
    /// RegisterTaskDefinition.
    TaskDefinition {
        /// `taskDefinitionArn`.
        arn: String,
    },
    /// CreateDaemon / UpdateDaemon / DeleteDaemon.
    Daemon {
        /// `daemonArn`.
        daemon_arn: String,
        /// `deploymentArn`: the deployment the call started.
        deployment_arn: String,
        /// The daemon's `createdAt`.
        created_at: u64,
        /// The daemon's `updatedAt`.
        updated_at: u64,
        /// The daemon's status, as the API spells it.
        status: String,
    },
    /// CreateService / UpdateService / DeleteService.
    Service {
        /// `serviceArn`.
        arn: String,
    },
    /// RunTask / StopTask: the tasks started or stopped.
    Tasks {
        /// Their ARNs.
        arns: Vec<String>,
    },
    /// UpdateContainerInstancesState / TerminateInstances: the container instances acted on.
    ContainerInstances {
        /// Their ARNs.
        arns: Vec<String>,
    },
}
