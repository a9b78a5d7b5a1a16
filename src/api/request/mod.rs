//! ECS requests: every action's AWS JSON 1.1 body decoded into a typed, validated request.
//!
//! Decoding needs no simulation state: it checks what a request says on its own (types, required
//! members, lengths, patterns, ranges, enum values, ARN formats). Checks that need state (does the
//! cluster exist, is the daemon ACTIVE) happen when the request is applied. A request that fails
//! here therefore never reaches the engine, which is what keeps bad input from changing anything.
//!
//! Error types: our choices where AWS documents none:
//! - a member of the wrong JSON type → `SerializationException` (AWS JSON 1.1 protocol behaviour:
//!   the body does not deserialize into the input shape);
//! - a missing required member, a value out of range, a bad pattern, an unknown enum value, a
//!   malformed or foreign ARN → `InvalidParameterException` naming the member;
//! - problems inside a task definition's containers (no image, no essential container, duplicate
//!   names, unparseable task `cpu`/`memory`) → `ClientException`, the type ECS uses for
//!   RegisterTaskDefinition content errors ("Container.image should not be null or empty.");
//! - `capacityProviderArns` accepts names as well as ARNs (both resolve to the same provider).
//!
//! Members an action does not know are ignored, as the AWS JSON protocol does.

pub mod daemon;
pub mod ecs;

pub use daemon::*;
pub use ecs::*;

use super::arn::{ArnContext, DEFAULT_CLUSTER};
use super::input::Members;
use super::validate::{self, Tag};
use super::AwsError;
use serde_json::Value;

/// Reads one request body with the ARN context it is resolved in.
pub struct Decoder<'a> {
    pub(crate) members: Members<'a>,
    pub(crate) arns: &'a ArnContext,
}

/// One decoded ECS request.
#[derive(Debug, Clone, PartialEq)]
pub enum EcsRequest {
    /// Registers the next revision of a daemon task definition family.
    RegisterDaemonTaskDefinition(RegisterDaemonTaskDefinition),
    /// Describes one daemon task definition revision.
    DescribeDaemonTaskDefinition(DescribeDaemonTaskDefinition),
    /// Lists daemon task definition revisions.
    ListDaemonTaskDefinitions(ListDaemonTaskDefinitions),
    /// Deletes one daemon task definition revision.
    DeleteDaemonTaskDefinition(DeleteDaemonTaskDefinition),
    /// Creates a daemon and starts its first deployment.
    CreateDaemon(CreateDaemon),
    /// Rolls a daemon to a new configuration by a new deployment.
    UpdateDaemon(UpdateDaemon),
    /// Deletes a daemon: its tasks are stopped everywhere.
    DeleteDaemon(DaemonTarget),
    /// Describes one daemon with its current revisions.
    DescribeDaemon(DaemonTarget),
    /// Lists the daemons of a cluster.
    ListDaemons(ListDaemons),
    /// Lists one daemon's deployments.
    ListDaemonDeployments(ListDaemonDeployments),
    /// Describes daemon deployments by ARN.
    DescribeDaemonDeployments(DescribeDaemonChildren),
    /// Describes daemon revisions by ARN.
    DescribeDaemonRevisions(DescribeDaemonChildren),
    /// Creates a cluster.
    CreateCluster(CreateCluster),
    /// Deletes an empty cluster.
    DeleteCluster(ClusterTarget),
    /// Describes clusters by name or ARN.
    DescribeClusters(DescribeClusters),
    /// Creates a capacity provider over an Auto Scaling group or as managed instances.
    CreateCapacityProvider(CreateCapacityProvider),
    /// Changes a capacity provider's settings.
    UpdateCapacityProvider(UpdateCapacityProvider),
    /// Deletes a capacity provider no cluster uses.
    DeleteCapacityProvider(DeleteCapacityProvider),
    /// Describes capacity providers by name or ARN.
    DescribeCapacityProviders(DescribeCapacityProviders),
    /// Sets a cluster's capacity providers and default strategy.
    PutClusterCapacityProviders(PutClusterCapacityProviders),
    /// Registers the next revision of a (non-daemon) task definition family.
    RegisterTaskDefinition(RegisterTaskDefinition),
    /// Creates a replica service.
    CreateService(CreateService),
    /// Changes a service's desired count, task definition or strategy.
    UpdateService(UpdateService),
    /// Deletes a service (with `force`, even with running tasks).
    DeleteService(DeleteService),
    /// Describes services of one cluster.
    DescribeServices(DescribeServices),
    /// Lists the services of a cluster.
    ListServices(ListServices),
    /// Starts standalone tasks.
    RunTask(RunTask),
    /// Stops one task.
    StopTask(StopTask),
    /// Lists tasks by cluster, family, instance or desired status.
    ListTasks(ListTasks),
    /// Describes tasks by ARN or ID.
    DescribeTasks(DescribeTasks),
    /// Lists a cluster's container instances.
    ListContainerInstances(ListContainerInstances),
    /// Describes container instances by ARN or ID.
    DescribeContainerInstances(DescribeContainerInstances),
    /// Sets container instances ACTIVE or DRAINING.
    UpdateContainerInstancesState(UpdateContainerInstancesState),
    /// Lists all clusters of the account and Region.
    ListClusters(ListClusters),
    /// Describes one task definition revision.
    DescribeTaskDefinition(DescribeTaskDefinition),
    /// Adds or overwrites tags on a resource.
    TagResource(TagResource),
    /// Removes tags from a resource by key.
    UntagResource(UntagResource),
    /// Lists a resource's tags.
    ListTagsForResource(ListTagsForResource),
}

/// Every ECS action this simulator answers, by its AWS name.
pub const ECS_ACTIONS: &[&str] = &[
    "RegisterDaemonTaskDefinition",
    "DescribeDaemonTaskDefinition",
    "ListDaemonTaskDefinitions",
    "DeleteDaemonTaskDefinition",
    "CreateDaemon",
    "UpdateDaemon",
    "DeleteDaemon",
    "DescribeDaemon",
    "ListDaemons",
    "ListDaemonDeployments",
    "DescribeDaemonDeployments",
    "DescribeDaemonRevisions",
    "CreateCluster",
    "DeleteCluster",
    "DescribeClusters",
    "CreateCapacityProvider",
    "UpdateCapacityProvider",
    "DeleteCapacityProvider",
    "DescribeCapacityProviders",
    "PutClusterCapacityProviders",
    "RegisterTaskDefinition",
    "CreateService",
    "UpdateService",
    "DeleteService",
    "DescribeServices",
    "ListServices",
    "RunTask",
    "StopTask",
    "ListTasks",
    "DescribeTasks",
    "ListContainerInstances",
    "DescribeContainerInstances",
    "UpdateContainerInstancesState",
    "ListClusters",
    "DescribeTaskDefinition",
    "TagResource",
    "UntagResource",
    "ListTagsForResource",
];

/// Decodes and validates the body of ECS action `action`.
pub fn decode_ecs(action: &str, input: &Value, arns: &ArnContext) -> Result<EcsRequest, AwsError> {
    let decoder = Decoder { members: Members::root(input)?, arns };
    Ok(match action {
        "RegisterDaemonTaskDefinition" => {
            EcsRequest::RegisterDaemonTaskDefinition(decoder.register_daemon_task_definition()?)
        }
        "DescribeDaemonTaskDefinition" => {
            EcsRequest::DescribeDaemonTaskDefinition(decoder.describe_daemon_task_definition()?)
        }
        "ListDaemonTaskDefinitions" => {
            EcsRequest::ListDaemonTaskDefinitions(decoder.list_daemon_task_definitions()?)
        }
        "DeleteDaemonTaskDefinition" => {
            EcsRequest::DeleteDaemonTaskDefinition(decoder.delete_daemon_task_definition()?)
        }
        "CreateDaemon" => EcsRequest::CreateDaemon(decoder.create_daemon()?),
        "UpdateDaemon" => EcsRequest::UpdateDaemon(decoder.update_daemon()?),
        "DeleteDaemon" => EcsRequest::DeleteDaemon(decoder.daemon_target()?),
        "DescribeDaemon" => EcsRequest::DescribeDaemon(decoder.daemon_target()?),
        "ListDaemons" => EcsRequest::ListDaemons(decoder.list_daemons()?),
        "ListDaemonDeployments" => EcsRequest::ListDaemonDeployments(decoder.list_daemon_deployments()?),
        "DescribeDaemonDeployments" => EcsRequest::DescribeDaemonDeployments(
            decoder.describe_daemon_children("daemonDeploymentArns", true)?,
        ),
        "DescribeDaemonRevisions" => EcsRequest::DescribeDaemonRevisions(
            decoder.describe_daemon_children("daemonRevisionArns", false)?,
        ),
        "CreateCluster" => EcsRequest::CreateCluster(decoder.create_cluster()?),
        "DeleteCluster" => EcsRequest::DeleteCluster(decoder.cluster_target()?),
        "DescribeClusters" => EcsRequest::DescribeClusters(decoder.describe_clusters()?),
        "CreateCapacityProvider" => EcsRequest::CreateCapacityProvider(decoder.create_capacity_provider()?),
        "UpdateCapacityProvider" => EcsRequest::UpdateCapacityProvider(decoder.update_capacity_provider()?),
        "DeleteCapacityProvider" => EcsRequest::DeleteCapacityProvider(decoder.delete_capacity_provider()?),
        "DescribeCapacityProviders" => {
            EcsRequest::DescribeCapacityProviders(decoder.describe_capacity_providers()?)
        }
        "PutClusterCapacityProviders" => {
            EcsRequest::PutClusterCapacityProviders(decoder.put_cluster_capacity_providers()?)
        }
        "RegisterTaskDefinition" => EcsRequest::RegisterTaskDefinition(decoder.register_task_definition()?),
        "CreateService" => EcsRequest::CreateService(decoder.create_service()?),
        "UpdateService" => EcsRequest::UpdateService(decoder.update_service()?),
        "DeleteService" => EcsRequest::DeleteService(decoder.delete_service()?),
        "DescribeServices" => EcsRequest::DescribeServices(decoder.describe_services()?),
        "ListServices" => EcsRequest::ListServices(decoder.list_services()?),
        "RunTask" => EcsRequest::RunTask(decoder.run_task()?),
        "StopTask" => EcsRequest::StopTask(decoder.stop_task()?),
        "ListTasks" => EcsRequest::ListTasks(decoder.list_tasks()?),
        "DescribeTasks" => EcsRequest::DescribeTasks(decoder.describe_tasks()?),
        "ListContainerInstances" => EcsRequest::ListContainerInstances(decoder.list_container_instances()?),
        "DescribeContainerInstances" => {
            EcsRequest::DescribeContainerInstances(decoder.describe_container_instances()?)
        }
        "UpdateContainerInstancesState" => {
            EcsRequest::UpdateContainerInstancesState(decoder.update_container_instances_state()?)
        }
        "ListClusters" => EcsRequest::ListClusters(decoder.list_clusters()?),
        "DescribeTaskDefinition" => EcsRequest::DescribeTaskDefinition(decoder.describe_task_definition()?),
        "TagResource" => EcsRequest::TagResource(decoder.tag_resource()?),
        "UntagResource" => EcsRequest::UntagResource(decoder.untag_resource()?),
        "ListTagsForResource" => EcsRequest::ListTagsForResource(decoder.list_tags_for_resource()?),
        "DeregisterTaskDefinition" => {
            return Err(AwsError::unsupported_feature(
                "DeregisterTaskDefinition is not simulated: task definitions stay ACTIVE.",
            ))
        }
        other => return Err(AwsError::unknown_operation("ecs", other)),
    })
}

/// The cluster named by member `name` (name or ARN), or `default` when absent.
pub(crate) fn cluster_or_default(decoder: &Decoder<'_>, name: &str) -> Result<String, AwsError> {
    match decoder.members.opt_str(name)? {
        Some(cluster) => decoder.arns.cluster_name(name, cluster),
        None => Ok(DEFAULT_CLUSTER.to_string()),
    }
}

pub(crate) fn tags_member(members: &Members<'_>) -> Result<Vec<Tag>, AwsError> {
    validate::tags(members, "tags")
}

const TOKEN_PREFIX: &str = "ecs-sim-page-";

/// The `nextToken` a List action returns when more results follow `offset`.
pub fn encode_next_token(offset: usize) -> String {
    format!("{TOKEN_PREFIX}{offset}")
}

/// The offset a request's `nextToken` continues from (0 without one).
pub(crate) fn next_token(members: &Members<'_>) -> Result<usize, AwsError> {
    match members.opt_str("nextToken")? {
        None => Ok(0),
        Some(token) => token
            .strip_prefix(TOKEN_PREFIX)
            .and_then(|offset| offset.parse::<usize>().ok())
            .ok_or_else(|| AwsError::invalid_parameter(format!("nextToken '{token}' is not valid."))),
    }
}

/// One page of `items` from `start`, and the token for the next page.
pub fn paginate<T>(items: Vec<T>, start: usize, max_results: usize) -> (Vec<T>, Option<String>) {
    let total = items.len();
    let end = start.saturating_add(max_results).min(total);
    let page: Vec<T> = items.into_iter().skip(start).take(max_results).collect();
    let next = (end < total).then(|| encode_next_token(end));
    (page, next)
}
