//! Commands: the verbs that change desired state. The API layer converts AWS requests into these
//! (it checks field formats; the engine checks references and states).

use super::model::{ContainerSpec, DeploymentConfig};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateCapacityProvider {
    pub name: String,
    pub cluster: String,
    pub vcpu_min: u32,
    pub vcpu_max: u32,
    pub memory_min_mib: u32,
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
    pub name: String,
    /// `infrastructureOptimization.scaleInAfter` (`Some(None)`: back to the default). Like AWS,
    /// it applies to what happens next: an idle timer already running keeps its time.
    pub scale_in_after_s: Option<Option<i64>>,
    /// `autoRepairConfiguration.actionsStatus == ENABLED`.
    pub auto_repair: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegisterDaemonTaskDefinition {
    pub family: String,
    pub cpu: Option<u32>,
    pub memory: Option<u32>,
    pub containers: Vec<ContainerSpec>,
    /// The request as sent, returned by DescribeDaemonTaskDefinition.
    pub document: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateDaemon {
    pub cluster: String,
    pub daemon_name: String,
    /// ARN or `family:revision`.
    pub daemon_task_definition: String,
    /// ARNs or names.
    pub capacity_providers: Vec<String>,
    pub deployment_configuration: Option<DeploymentConfig>,
    pub tags: Vec<(String, String)>,
    pub propagate_tags: Option<String>,
    pub enable_ecs_managed_tags: bool,
    pub enable_execute_command: bool,
    pub critical: Option<bool>,
    pub client_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpdateDaemon {
    /// ARN (or `cluster/name`).
    pub daemon: String,
    pub daemon_task_definition: String,
    pub capacity_providers: Vec<String>,
    pub deployment_configuration: Option<DeploymentConfig>,
    pub propagate_tags: Option<String>,
    pub enable_ecs_managed_tags: bool,
    pub enable_execute_command: bool,
    pub critical: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegisterTaskDefinition {
    pub family: String,
    pub cpu: Option<u32>,
    pub memory: Option<u32>,
    pub containers: Vec<ContainerSpec>,
    pub document: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateService {
    pub cluster: String,
    pub service_name: String,
    /// ARN, `family:revision` or `family` (latest ACTIVE).
    pub task_definition: String,
    pub desired_count: u32,
    /// Capacity provider name or ARN; None = the cluster's default strategy.
    pub capacity_provider: Option<String>,
    pub minimum_healthy_percent: Option<u32>,
    pub maximum_percent: Option<u32>,
}

/// UpdateService's `taskDefinition` (and `deploymentConfiguration`): a service deployment. The
/// service's tasks of other revisions are replaced rolling, new before old, within
/// maximumPercent and minimumHealthyPercent ("Deploy Amazon ECS services by replacing tasks",
/// Amazon ECS Developer Guide). A command of its own so that `UpdateService` (desiredCount) reads
/// in the event logs as it always has.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeployService {
    pub cluster: String,
    pub service: String,
    /// ARN, `family:revision` or `family` (latest ACTIVE); None keeps the current one.
    pub task_definition: Option<String>,
    pub minimum_healthy_percent: Option<u32>,
    pub maximum_percent: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunTask {
    pub cluster: String,
    pub task_definition: String,
    pub count: u32,
    pub capacity_provider: Option<String>,
    pub group: Option<String>,
    pub started_by: Option<String>,
}

/// Everything that changes the simulation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Command {
    CreateCluster {
        name: String,
    },
    DeleteCluster {
        cluster: String,
    },
    CreateCapacityProvider(CreateCapacityProvider),
    UpdateCapacityProvider(UpdateCapacityProvider),
    DeleteCapacityProvider {
        name: String,
    },
    /// Sets the instance profile flag (the seed's legacy-policy pitfall, and its fix).
    SetInstanceProfileReady {
        capacity_provider: String,
        ready: bool,
    },
    PutClusterCapacityProviders {
        cluster: String,
        capacity_providers: Vec<String>,
        default_strategy: Vec<String>,
    },
    RegisterDaemonTaskDefinition(RegisterDaemonTaskDefinition),
    DeleteDaemonTaskDefinition {
        daemon_task_definition: String,
    },
    CreateDaemon(CreateDaemon),
    UpdateDaemon(UpdateDaemon),
    DeleteDaemon {
        daemon: String,
    },
    RegisterTaskDefinition(RegisterTaskDefinition),
    CreateService(CreateService),
    UpdateService {
        cluster: String,
        service: String,
        desired_count: Option<u32>,
    },
    DeployService(DeployService),
    DeleteService {
        cluster: String,
        service: String,
        force: bool,
    },
    RunTask(RunTask),
    StopTask {
        cluster: String,
        task: String,
        reason: Option<String>,
    },
    /// `status` is `DRAINING` or `ACTIVE`.
    UpdateContainerInstancesState {
        cluster: String,
        container_instances: Vec<String>,
        status: String,
    },
    /// `ec2 terminate-instances` by EC2 instance id.
    TerminateInstances {
        instance_ids: Vec<String>,
    },
    PutMetricAlarm {
        name: String,
    },
    DeleteAlarms {
        names: Vec<String>,
    },
    /// `state` is `OK`, `ALARM` or `INSUFFICIENT_DATA`.
    SetAlarmState {
        name: String,
        state: String,
        reason: String,
    },
    /// Fault: pulls of this image fail (`CannotPullContainerError`) until cleared.
    SetImageUnpullable {
        image: String,
        unpullable: bool,
    },
    /// Fault: clear every image fault and every launch fault.
    ClearFaults,
    /// Fault: EC2 launches of this capacity provider fail until cleared.
    SetLaunchBlocked {
        capacity_provider: String,
        blocked: bool,
    },
    /// Fault: the task (by ARN or id) turns UNHEALTHY. Without a container health check only a
    /// stop is detectable, so such a task stops as if its essential container exited.
    MakeTaskUnhealthy {
        task: String,
    },
    /// Changes drainPercent of the daemon's active deployment; applies from the next batch.
    SetDeploymentDrainPercent {
        daemon: String,
        drain_percent: f64,
    },
}

/// What a successful command produced, for the API to shape its response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Outcome {
    Done,
    Cluster {
        arn: String,
    },
    CapacityProvider {
        arn: String,
    },
    DaemonTaskDefinition {
        arn: String,
    },
    TaskDefinition {
        arn: String,
    },
    /// CreateDaemon / UpdateDaemon / DeleteDaemon.
    Daemon {
        daemon_arn: String,
        deployment_arn: String,
        created_at: u64,
        updated_at: u64,
        status: String,
    },
    Service {
        arn: String,
    },
    Tasks {
        arns: Vec<String>,
    },
    /// Tasks that RunTask could not place (no capacity launchable).
    ContainerInstances {
        arns: Vec<String>,
    },
}
