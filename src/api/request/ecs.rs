//! The ECS actions around daemons that the tutorial and a user need: clusters, capacity providers,
//! task definitions, services, tasks and container instances.

use super::daemon::{container_definition, parse_task_cpu, parse_task_memory, DaemonContainerDefinition};
use super::{cluster_or_default, next_token, tags_member, Decoder};
use crate::api::arn::{ClusterScoped, RevisionRef};
use crate::api::input::{missing, required, Members};
use crate::api::validate::{self, Tag};
use crate::api::AwsError;
use serde_json::Value;

/// One `capacityProviderStrategy` / `defaultCapacityProviderStrategy` item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrategyItem {
    pub capacity_provider: String,
    pub weight: u32,
    pub base: u32,
}

/// `networkConfiguration.awsvpcConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsVpcConfiguration {
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub assign_public_ip: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CreateCluster {
    pub cluster_name: String,
    pub tags: Vec<Tag>,
    pub capacity_providers: Vec<String>,
    pub default_strategy: Vec<StrategyItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClusterTarget {
    pub cluster: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DescribeClusters {
    /// Cluster names; `default` when the request names none.
    pub clusters: Vec<String>,
    pub include: Vec<String>,
}

/// `instanceRequirements` ranges (the instance size the provider launches is chosen from them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceRequirements {
    pub vcpu_min: u32,
    pub vcpu_max: Option<u32>,
    pub memory_mib_min: u32,
    pub memory_mib_max: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ManagedInstancesProvider {
    /// Role name from `infrastructureRoleArn`.
    pub infrastructure_role: String,
    pub infrastructure_role_arn: String,
    /// Instance profile name from `instanceLaunchTemplate.ec2InstanceProfileArn`.
    pub instance_profile: String,
    pub instance_profile_arn: String,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub instance_requirements: Option<InstanceRequirements>,
    pub propagate_tags: Option<String>,
    /// `infrastructureOptimization.scaleInAfter`: -1 = off, 0–3600 s, `None` = default.
    pub scale_in_after_seconds: Option<i64>,
    /// `autoRepairConfiguration.actionsStatus == ENABLED` (the default).
    pub auto_repair: bool,
    /// The member as sent, for DescribeCapacityProviders to echo.
    pub definition: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CreateCapacityProvider {
    pub name: String,
    pub cluster: String,
    pub managed_instances: ManagedInstancesProvider,
    pub tags: Vec<Tag>,
}

/// UpdateCapacityProvider of a Managed Instances provider. Every member but the role and the
/// launch template is optional: an absent one leaves the setting as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateCapacityProvider {
    pub name: String,
    pub cluster: Option<String>,
    pub infrastructure_role: String,
    pub infrastructure_role_arn: String,
    /// (name, ARN) from `instanceLaunchTemplate.ec2InstanceProfileArn`.
    pub instance_profile: Option<(String, String)>,
    pub instance_requirements: Option<InstanceRequirements>,
    pub propagate_tags: Option<String>,
    /// `infrastructureOptimization` given: its `scaleInAfter` (`None` = the default).
    pub scale_in_after_seconds: Option<Option<i64>>,
    /// `autoRepairConfiguration` given: `actionsStatus == ENABLED`.
    pub auto_repair: Option<bool>,
    /// The member as sent, merged into what DescribeCapacityProviders echoes.
    pub definition: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeleteCapacityProvider {
    pub name: String,
    pub cluster: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DescribeCapacityProviders {
    /// Names; empty = all.
    pub capacity_providers: Vec<String>,
    pub cluster: Option<String>,
    pub include: Vec<String>,
    pub start: usize,
    pub max_results: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PutClusterCapacityProviders {
    pub cluster: String,
    pub capacity_providers: Vec<String>,
    pub default_strategy: Vec<StrategyItem>,
}

/// A container of an application task definition: the daemon container members plus ports.
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerDefinition {
    pub container: DaemonContainerDefinition,
    pub container_ports: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RegisterTaskDefinition {
    pub family: String,
    pub container_definitions: Vec<ContainerDefinition>,
    pub network_mode: Option<String>,
    pub requires_compatibilities: Vec<String>,
    pub cpu: Option<u32>,
    pub memory: Option<u32>,
    pub task_role_arn: Option<String>,
    pub execution_role_arn: Option<String>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceDeploymentConfiguration {
    pub maximum_percent: Option<u32>,
    pub minimum_healthy_percent: Option<u32>,
    pub circuit_breaker: Option<(bool, bool)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CreateService {
    pub cluster: String,
    pub service_name: String,
    pub task_definition: RevisionRef,
    pub desired_count: u32,
    pub capacity_provider_strategy: Vec<StrategyItem>,
    pub launch_type: Option<String>,
    pub network: Option<AwsVpcConfiguration>,
    pub deployment_configuration: ServiceDeploymentConfiguration,
    pub enable_execute_command: bool,
    pub propagate_tags: Option<String>,
    pub tags: Vec<Tag>,
    pub client_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UpdateService {
    pub cluster: String,
    pub service: String,
    pub desired_count: Option<u32>,
    pub task_definition: Option<RevisionRef>,
    pub capacity_provider_strategy: Option<Vec<StrategyItem>>,
    pub network: Option<AwsVpcConfiguration>,
    pub deployment_configuration: Option<ServiceDeploymentConfiguration>,
    pub force_new_deployment: bool,
    pub enable_execute_command: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeleteService {
    pub cluster: String,
    pub service: String,
    pub force: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DescribeServices {
    pub cluster: String,
    pub services: Vec<String>,
    pub include: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListServices {
    pub cluster: String,
    pub launch_type: Option<String>,
    pub scheduling_strategy: Option<String>,
    pub start: usize,
    pub max_results: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RunTask {
    pub cluster: String,
    pub task_definition: RevisionRef,
    pub count: u32,
    pub capacity_provider_strategy: Vec<StrategyItem>,
    pub launch_type: Option<String>,
    pub network: Option<AwsVpcConfiguration>,
    pub group: Option<String>,
    pub started_by: Option<String>,
    pub tags: Vec<Tag>,
    pub enable_execute_command: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StopTask {
    pub cluster: String,
    pub task: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListTasks {
    pub cluster: String,
    pub container_instance: Option<String>,
    pub family: Option<String>,
    pub service_name: Option<String>,
    pub daemon_name: Option<String>,
    pub started_by: Option<String>,
    pub desired_status: Option<String>,
    pub launch_type: Option<String>,
    pub start: usize,
    pub max_results: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DescribeTasks {
    pub cluster: String,
    /// Task ids (from ids or ARNs), with the text as sent for `failures`.
    pub tasks: Vec<(String, String)>,
    pub include: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListContainerInstances {
    pub cluster: String,
    pub status: Option<String>,
    pub start: usize,
    pub max_results: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DescribeContainerInstances {
    pub cluster: String,
    /// Container instance ids, with the text as sent for `failures`.
    pub container_instances: Vec<(String, String)>,
    pub include: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UpdateContainerInstancesState {
    pub cluster: String,
    pub container_instances: Vec<(String, String)>,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TagResource {
    pub resource_arn: String,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UntagResource {
    pub resource_arn: String,
    pub tag_keys: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListTagsForResource {
    pub resource_arn: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListClusters {
    pub start: usize,
    pub max_results: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DescribeTaskDefinition {
    pub task_definition: RevisionRef,
    pub include_tags: bool,
}

const LAUNCH_TYPES: &[&str] = &["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"];
const RESERVED_PROVIDER_PREFIXES: &[&str] = &["aws", "ecs", "fargate"];

fn u32_of(value: Option<i64>) -> Option<u32> {
    value.map(|value| value as u32)
}

/// `instanceLaunchTemplate.instanceRequirements` (the vCPU and memory ranges the simulator sizes
/// instances by), shared by CreateCapacityProvider and UpdateCapacityProvider.
fn instance_requirements(template: &Members<'_>) -> Result<Option<InstanceRequirements>, AwsError> {
    let Some(requirements) = template.opt_obj("instanceRequirements")? else { return Ok(None) };
    let vcpu = required(requirements.opt_obj("vCpuCount")?, &requirements.path("vCpuCount"))?;
    let memory = required(requirements.opt_obj("memoryMiB")?, &requirements.path("memoryMiB"))?;
    let vcpu_min = required(vcpu.opt_int("min")?, &vcpu.path("min"))?;
    validate::int_range(&vcpu.path("min"), vcpu_min, 1, 1024)?;
    let vcpu_max = validate::opt_int_range(&vcpu, "max", vcpu_min, 1024)?;
    let memory_min = required(memory.opt_int("min")?, &memory.path("min"))?;
    validate::int_range(&memory.path("min"), memory_min, 1, 16_777_216)?;
    let memory_max = validate::opt_int_range(&memory, "max", memory_min, 16_777_216)?;
    Ok(Some(InstanceRequirements {
        vcpu_min: vcpu_min as u32,
        vcpu_max: u32_of(vcpu_max),
        memory_mib_min: memory_min as u32,
        memory_mib_max: u32_of(memory_max),
    }))
}

/// `infrastructureOptimization.scaleInAfter`: `None` when the member is absent, `Some(None)` for
/// the default, else -1 (never) or 0–3600 seconds.
fn scale_in_after(provider: &Members<'_>) -> Result<Option<Option<i64>>, AwsError> {
    let Some(optimization) = provider.opt_obj("infrastructureOptimization")? else { return Ok(None) };
    Ok(Some(match optimization.opt_int("scaleInAfter")? {
        None => None,
        Some(-1) => Some(-1),
        Some(seconds) => Some(validate::int_range(
            &optimization.path("scaleInAfter"),
            seconds,
            0,
            crate::engine::MAX_SCALE_IN_AFTER_SECONDS,
        )?),
    }))
}

/// `autoRepairConfiguration.actionsStatus == ENABLED`; `None` when the member is absent. An
/// `autoRepairConfiguration` without `actionsStatus` means ENABLED, AWS's default.
fn auto_repair(provider: &Members<'_>) -> Result<Option<bool>, AwsError> {
    let Some(repair) = provider.opt_obj("autoRepairConfiguration")? else { return Ok(None) };
    let status = validate::opt_enum(&repair, "actionsStatus", &["ENABLED", "DISABLED"])?;
    Ok(Some(status.unwrap_or("ENABLED") == "ENABLED"))
}

fn include_list(members: &Members<'_>, allowed: &[&str]) -> Result<Vec<String>, AwsError> {
    let mut include = Vec::new();
    for (index, item) in members.opt_str_list("include")?.unwrap_or_default().iter().enumerate() {
        validate::enum_value(&format!("include[{index}]"), item, allowed)?;
        include.push(item.to_string());
    }
    Ok(include)
}

fn awsvpc(members: &Members<'_>) -> Result<Option<AwsVpcConfiguration>, AwsError> {
    let Some(network) = members.opt_obj("networkConfiguration")? else { return Ok(None) };
    let Some(vpc) = network.opt_obj("awsvpcConfiguration")? else {
        return Err(missing(&network.path("awsvpcConfiguration")));
    };
    let subnets = vpc.req_str_list("subnets")?;
    validate::min_items(&vpc.path("subnets"), subnets.len(), 1)?;
    validate::max_items(&vpc.path("subnets"), subnets.len(), 16)?;
    let security_groups = vpc.opt_str_list("securityGroups")?.unwrap_or_default();
    validate::max_items(&vpc.path("securityGroups"), security_groups.len(), 5)?;
    for (name, list) in [("subnets", &subnets), ("securityGroups", &security_groups)] {
        for (index, id) in list.iter().enumerate() {
            validate::not_empty(&format!("{}[{index}]", vpc.path(name)), id)?;
        }
    }
    Ok(Some(AwsVpcConfiguration {
        subnets: subnets.iter().map(|s| s.to_string()).collect(),
        security_groups: security_groups.iter().map(|s| s.to_string()).collect(),
        assign_public_ip: validate::opt_enum(&vpc, "assignPublicIp", &["ENABLED", "DISABLED"])?
            .map(str::to_string),
    }))
}

fn service_deployment_configuration(
    members: &Members<'_>,
) -> Result<Option<ServiceDeploymentConfiguration>, AwsError> {
    let Some(config) = members.opt_obj("deploymentConfiguration")? else { return Ok(None) };
    let maximum_percent = u32_of(validate::opt_int_range(&config, "maximumPercent", 100, 2000)?);
    let minimum_healthy_percent = u32_of(validate::opt_int_range(&config, "minimumHealthyPercent", 0, 100)?);
    let circuit_breaker = match config.opt_obj("deploymentCircuitBreaker")? {
        None => None,
        Some(breaker) => Some((
            required(breaker.opt_bool("enable")?, &breaker.path("enable"))?,
            required(breaker.opt_bool("rollback")?, &breaker.path("rollback"))?,
        )),
    };
    Ok(Some(ServiceDeploymentConfiguration { maximum_percent, minimum_healthy_percent, circuit_breaker }))
}

impl Decoder<'_> {
    fn strategy(&self, members: &Members<'_>, name: &str) -> Result<Option<Vec<StrategyItem>>, AwsError> {
        let Some(items) = members.opt_obj_list(name)? else { return Ok(None) };
        validate::max_items(&members.path(name), items.len(), 20)?;
        let mut strategy: Vec<StrategyItem> = Vec::with_capacity(items.len());
        for item in &items {
            let provider = item.req_str("capacityProvider")?;
            let provider = self.arns.capacity_provider_name(&item.path("capacityProvider"), provider)?;
            if strategy.iter().any(|existing| existing.capacity_provider == provider) {
                return Err(AwsError::invalid_parameter(format!(
                    "{} names the capacity provider '{provider}' more than once.",
                    members.path(name)
                )));
            }
            let weight = u32_of(validate::opt_int_range(item, "weight", 0, 1000)?).unwrap_or(0);
            let base = u32_of(validate::opt_int_range(item, "base", 0, 100_000)?).unwrap_or(0);
            strategy.push(StrategyItem { capacity_provider: provider, weight, base });
        }
        if strategy.iter().filter(|item| item.base > 0).count() > 1 {
            return Err(AwsError::invalid_parameter(format!(
                "{}: only one capacity provider in a strategy can have a base defined.",
                members.path(name)
            )));
        }
        if !strategy.is_empty() && strategy.iter().all(|item| item.weight == 0) {
            return Err(AwsError::invalid_parameter(format!(
                "{}: at least one capacity provider must have a weight greater than zero.",
                members.path(name)
            )));
        }
        Ok(Some(strategy))
    }

    fn provider_names(&self, name: &str) -> Result<Option<Vec<String>>, AwsError> {
        let Some(list) = self.members.opt_str_list(name)? else { return Ok(None) };
        let mut names: Vec<String> = Vec::with_capacity(list.len());
        for (index, item) in list.iter().enumerate() {
            let resolved = self.arns.capacity_provider_name(&format!("{name}[{index}]"), item)?;
            if !names.contains(&resolved) {
                names.push(resolved);
            }
        }
        Ok(Some(names))
    }

    fn cluster(&self) -> Result<String, AwsError> {
        cluster_or_default(self, "cluster")
    }

    fn launch_and_strategy(&self) -> Result<(Option<String>, Vec<StrategyItem>), AwsError> {
        let launch_type = validate::opt_enum(&self.members, "launchType", LAUNCH_TYPES)?;
        let strategy = self.strategy(&self.members, "capacityProviderStrategy")?;
        if launch_type.is_some() && strategy.as_ref().is_some_and(|items| !items.is_empty()) {
            return Err(AwsError::invalid_parameter(
                "Specifying both a launchType and a capacityProviderStrategy is not supported.",
            ));
        }
        Ok((launch_type.map(str::to_string), strategy.unwrap_or_default()))
    }

    pub(super) fn create_cluster(&self) -> Result<CreateCluster, AwsError> {
        let m = &self.members;
        let cluster_name = m.opt_str("clusterName")?.unwrap_or(crate::api::arn::DEFAULT_CLUSTER);
        validate::resource_name("clusterName", cluster_name, 255)?;
        for setting in m.opt_obj_list("settings")?.unwrap_or_default() {
            let name = setting.req_str("name")?;
            validate::enum_value(&setting.path("name"), name, &["containerInsights"])?;
            let value = setting.req_str("value")?;
            validate::enum_value(&setting.path("value"), value, &["enhanced", "enabled", "disabled"])?;
        }
        let capacity_providers = self.provider_names("capacityProviders")?.unwrap_or_default();
        let default_strategy = self.strategy(m, "defaultCapacityProviderStrategy")?.unwrap_or_default();
        Ok(CreateCluster {
            cluster_name: cluster_name.to_string(),
            tags: tags_member(m)?,
            capacity_providers,
            default_strategy,
        })
    }

    pub(super) fn cluster_target(&self) -> Result<ClusterTarget, AwsError> {
        let cluster = self.members.req_str("cluster")?;
        Ok(ClusterTarget { cluster: self.arns.cluster_name("cluster", cluster)? })
    }

    pub(super) fn describe_clusters(&self) -> Result<DescribeClusters, AwsError> {
        let m = &self.members;
        let list = m.opt_str_list("clusters")?.unwrap_or_default();
        validate::max_items("clusters", list.len(), 100)?;
        let mut clusters = Vec::with_capacity(list.len().max(1));
        for (index, cluster) in list.iter().enumerate() {
            clusters.push(self.arns.cluster_name(&format!("clusters[{index}]"), cluster)?);
        }
        if clusters.is_empty() {
            clusters.push(crate::api::arn::DEFAULT_CLUSTER.to_string());
        }
        let include = include_list(m, &["ATTACHMENTS", "CONFIGURATIONS", "SETTINGS", "STATISTICS", "TAGS"])?;
        Ok(DescribeClusters { clusters, include })
    }

    pub(super) fn create_capacity_provider(&self) -> Result<CreateCapacityProvider, AwsError> {
        let m = &self.members;
        let name = m.req_str("name")?;
        validate::resource_name("name", name, 255)?;
        let lower = name.to_ascii_lowercase();
        if let Some(prefix) = RESERVED_PROVIDER_PREFIXES.iter().find(|prefix| lower.starts_with(**prefix)) {
            return Err(AwsError::invalid_parameter(format!(
                "name '{name}' is invalid: capacity provider names cannot begin with 'aws', 'ecs' or 'fargate' (found '{prefix}')."
            )));
        }
        if m.value("autoScalingGroupProvider").is_some() {
            return Err(AwsError::unsupported_feature(
                "autoScalingGroupProvider: the simulator models Managed Instances capacity providers only; use managedInstancesProvider.",
            ));
        }
        let provider = required(m.opt_obj("managedInstancesProvider")?, "managedInstancesProvider")?;
        let cluster = m.opt_str("cluster")?.ok_or_else(|| {
            AwsError::invalid_parameter(
                "cluster is required when creating a managedInstancesProvider capacity provider.",
            )
        })?;
        let cluster = self.arns.cluster_name("cluster", cluster)?;
        let role_arn = provider.req_str("infrastructureRoleArn")?;
        let infrastructure_role =
            self.arns.iam_role_name(&provider.path("infrastructureRoleArn"), role_arn)?;
        let template =
            required(provider.opt_obj("instanceLaunchTemplate")?, &provider.path("instanceLaunchTemplate"))?;
        let profile_arn = template.req_str("ec2InstanceProfileArn")?;
        let instance_profile =
            self.arns.iam_instance_profile_name(&template.path("ec2InstanceProfileArn"), profile_arn)?;
        let network =
            required(template.opt_obj("networkConfiguration")?, &template.path("networkConfiguration"))?;
        let subnets = network.req_str_list("subnets")?;
        validate::min_items(&network.path("subnets"), subnets.len(), 1)?;
        let security_groups = network.opt_str_list("securityGroups")?.unwrap_or_default();
        validate::opt_enum(&template, "monitoring", &["BASIC", "DETAILED"])?;
        if let Some(storage) = template.opt_obj("storageConfiguration")? {
            validate::opt_int_range(&storage, "storageSizeGiB", 1, 16_384)?;
        }
        let instance_requirements = instance_requirements(&template)?;
        let propagate_tags = validate::opt_enum(&provider, "propagateTags", &["CAPACITY_PROVIDER", "NONE"])?;
        let scale_in_after_seconds = scale_in_after(&provider)?.flatten();
        let auto_repair = auto_repair(&provider)?.unwrap_or(true);
        Ok(CreateCapacityProvider {
            name: name.to_string(),
            cluster,
            managed_instances: ManagedInstancesProvider {
                infrastructure_role,
                infrastructure_role_arn: role_arn.to_string(),
                instance_profile,
                instance_profile_arn: profile_arn.to_string(),
                subnets: subnets.iter().map(|s| s.to_string()).collect(),
                security_groups: security_groups.iter().map(|s| s.to_string()).collect(),
                instance_requirements,
                propagate_tags: propagate_tags.map(str::to_string),
                scale_in_after_seconds,
                auto_repair,
                definition: m.value("managedInstancesProvider").cloned().unwrap_or(Value::Null),
            },
            tags: tags_member(m)?,
        })
    }

    pub(super) fn delete_capacity_provider(&self) -> Result<DeleteCapacityProvider, AwsError> {
        let m = &self.members;
        let provider = m.req_str("capacityProvider")?;
        let cluster =
            m.opt_str("cluster")?.map(|cluster| self.arns.cluster_name("cluster", cluster)).transpose()?;
        Ok(DeleteCapacityProvider {
            name: self.arns.capacity_provider_name("capacityProvider", provider)?,
            cluster,
        })
    }

    pub(super) fn update_capacity_provider(&self) -> Result<UpdateCapacityProvider, AwsError> {
        let m = &self.members;
        let name = m.req_str("name")?;
        let name = self.arns.capacity_provider_name("name", name)?;
        let cluster =
            m.opt_str("cluster")?.map(|cluster| self.arns.cluster_name("cluster", cluster)).transpose()?;
        if m.value("autoScalingGroupProvider").is_some() {
            return Err(AwsError::unsupported_feature(
                "autoScalingGroupProvider: the simulator models Managed Instances capacity providers only; use managedInstancesProvider.",
            ));
        }
        let provider = required(m.opt_obj("managedInstancesProvider")?, "managedInstancesProvider")?;
        let role_arn = provider.req_str("infrastructureRoleArn")?;
        let infrastructure_role =
            self.arns.iam_role_name(&provider.path("infrastructureRoleArn"), role_arn)?;
        let template =
            required(provider.opt_obj("instanceLaunchTemplate")?, &provider.path("instanceLaunchTemplate"))?;
        let instance_profile = match template.opt_str("ec2InstanceProfileArn")? {
            None => None,
            Some(arn) => Some((
                self.arns.iam_instance_profile_name(&template.path("ec2InstanceProfileArn"), arn)?,
                arn.to_string(),
            )),
        };
        if let Some(network) = template.opt_obj("networkConfiguration")? {
            if let Some(subnets) = network.opt_str_list("subnets")? {
                validate::min_items(&network.path("subnets"), subnets.len(), 1)?;
            }
            network.opt_str_list("securityGroups")?;
        }
        validate::opt_enum(&template, "monitoring", &["BASIC", "DETAILED"])?;
        if let Some(storage) = template.opt_obj("storageConfiguration")? {
            validate::opt_int_range(&storage, "storageSizeGiB", 1, 16_384)?;
        }
        Ok(UpdateCapacityProvider {
            name,
            cluster,
            infrastructure_role,
            infrastructure_role_arn: role_arn.to_string(),
            instance_profile,
            instance_requirements: instance_requirements(&template)?,
            propagate_tags: validate::opt_enum(&provider, "propagateTags", &["CAPACITY_PROVIDER", "NONE"])?
                .map(str::to_string),
            scale_in_after_seconds: scale_in_after(&provider)?,
            auto_repair: auto_repair(&provider)?,
            definition: m.value("managedInstancesProvider").cloned().unwrap_or(Value::Null),
        })
    }

    pub(super) fn describe_capacity_providers(&self) -> Result<DescribeCapacityProviders, AwsError> {
        let m = &self.members;
        let names = self.provider_names("capacityProviders")?.unwrap_or_default();
        validate::max_items("capacityProviders", names.len(), 100)?;
        let cluster =
            m.opt_str("cluster")?.map(|cluster| self.arns.cluster_name("cluster", cluster)).transpose()?;
        Ok(DescribeCapacityProviders {
            capacity_providers: names,
            cluster,
            include: include_list(m, &["TAGS"])?,
            start: next_token(m)?,
            max_results: validate::max_results(m, 10)?.unwrap_or(10) as usize,
        })
    }

    pub(super) fn put_cluster_capacity_providers(&self) -> Result<PutClusterCapacityProviders, AwsError> {
        let m = &self.members;
        let cluster = m.req_str("cluster")?;
        let cluster = self.arns.cluster_name("cluster", cluster)?;
        let capacity_providers = required(self.provider_names("capacityProviders")?, "capacityProviders")?;
        let default_strategy = required(
            self.strategy(m, "defaultCapacityProviderStrategy")?,
            "defaultCapacityProviderStrategy",
        )?;
        if let Some(stranger) =
            default_strategy.iter().find(|item| !capacity_providers.contains(&item.capacity_provider))
        {
            return Err(AwsError::invalid_parameter(format!(
                "defaultCapacityProviderStrategy names '{}', which is not in capacityProviders.",
                stranger.capacity_provider
            )));
        }
        Ok(PutClusterCapacityProviders { cluster, capacity_providers, default_strategy })
    }

    pub(super) fn register_task_definition(&self) -> Result<RegisterTaskDefinition, AwsError> {
        let m = &self.members;
        let family = m.req_str("family")?;
        validate::resource_name("family", family, 255)?;
        let network_mode = validate::opt_enum(m, "networkMode", &["bridge", "host", "awsvpc", "none"])?;
        let mut requires_compatibilities = Vec::new();
        for (index, item) in m.opt_str_list("requiresCompatibilities")?.unwrap_or_default().iter().enumerate()
        {
            validate::enum_value(&format!("requiresCompatibilities[{index}]"), item, LAUNCH_TYPES)?;
            requires_compatibilities.push(item.to_string());
        }
        let raw = match m.value("containerDefinitions") {
            Some(Value::Array(items)) => items.clone(),
            _ => Vec::new(),
        };
        let members = required(m.opt_obj_list("containerDefinitions")?, "containerDefinitions")?;
        if members.is_empty() {
            return Err(AwsError::client("containerDefinitions: Container list cannot be empty."));
        }
        let mut containers: Vec<ContainerDefinition> = Vec::with_capacity(members.len());
        for (member, raw) in members.iter().zip(&raw) {
            let container = container_definition(member, raw)?;
            if containers.iter().any(|existing| existing.container.name == container.name) {
                return Err(AwsError::client(format!(
                    "{}: the container name '{}' is used more than once.",
                    member.path("name"),
                    container.name
                )));
            }
            let mut container_ports = Vec::new();
            for mapping in member.opt_obj_list("portMappings")?.unwrap_or_default() {
                let port = validate::opt_int_range(&mapping, "containerPort", 0, 65_535)?;
                let host = validate::opt_int_range(&mapping, "hostPort", 0, 65_535)?;
                validate::opt_enum(&mapping, "protocol", &["tcp", "udp"])?;
                if network_mode == Some("awsvpc") {
                    if let (Some(port), Some(host)) = (port, host) {
                        if port != host {
                            return Err(AwsError::client(format!(
                                "{}: with networkMode awsvpc, hostPort must equal containerPort.",
                                mapping.path("hostPort")
                            )));
                        }
                    }
                }
                if let Some(port) = port {
                    container_ports.push(port as u32);
                }
            }
            containers.push(ContainerDefinition { container, container_ports });
        }
        if !containers.iter().any(|container| container.container.essential) {
            return Err(AwsError::client(
                "containerDefinitions: Tasks must have at least one essential container.",
            ));
        }
        let cpu = m.opt_str("cpu")?.map(|cpu| parse_task_cpu("cpu", cpu)).transpose()?;
        let memory = m.opt_str("memory")?.map(|memory| parse_task_memory("memory", memory)).transpose()?;
        let needs_task_size = requires_compatibilities.iter().any(|c| c == "FARGATE");
        if needs_task_size && (cpu.is_none() || memory.is_none()) {
            return Err(AwsError::client("cpu and memory are required at the task level for FARGATE."));
        }
        Ok(RegisterTaskDefinition {
            family: family.to_string(),
            container_definitions: containers,
            network_mode: network_mode.map(str::to_string),
            requires_compatibilities,
            cpu,
            memory,
            task_role_arn: m.opt_str("taskRoleArn")?.map(str::to_string),
            execution_role_arn: m.opt_str("executionRoleArn")?.map(str::to_string),
            tags: tags_member(m)?,
        })
    }

    pub(super) fn create_service(&self) -> Result<CreateService, AwsError> {
        let m = &self.members;
        let service_name = m.req_str("serviceName")?;
        validate::resource_name("serviceName", service_name, 255)?;
        let task_definition = m.req_str("taskDefinition")?;
        let task_definition = self.arns.task_definition_ref("taskDefinition", task_definition)?;
        let scheduling = validate::opt_enum(m, "schedulingStrategy", &["REPLICA", "DAEMON"])?;
        if scheduling == Some("DAEMON") {
            return Err(AwsError::invalid_parameter(
                "schedulingStrategy DAEMON is not supported on Managed Instances; use CreateDaemon for per-instance agents.",
            ));
        }
        let desired_count = required(m.opt_int("desiredCount")?, "desiredCount")?;
        validate::int_range("desiredCount", desired_count, 0, 100_000)?;
        let (launch_type, capacity_provider_strategy) = self.launch_and_strategy()?;
        let client_token = m.opt_str("clientToken")?;
        if let Some(token) = client_token {
            validate::client_token("clientToken", token)?;
        }
        validate::opt_int_range(m, "healthCheckGracePeriodSeconds", 0, 2_147_483_647)?;
        Ok(CreateService {
            cluster: self.cluster()?,
            service_name: service_name.to_string(),
            task_definition,
            desired_count: desired_count as u32,
            capacity_provider_strategy,
            launch_type,
            network: awsvpc(m)?,
            deployment_configuration: service_deployment_configuration(m)?.unwrap_or_default(),
            enable_execute_command: m.opt_bool("enableExecuteCommand")?.unwrap_or(false),
            propagate_tags: validate::opt_enum(m, "propagateTags", &["TASK_DEFINITION", "SERVICE", "NONE"])?
                .map(str::to_string),
            tags: tags_member(m)?,
            client_token: client_token.map(str::to_string),
        })
    }

    fn service_member(&self, cluster: &str) -> Result<String, AwsError> {
        let service = self.members.req_str("service")?;
        let scoped = self.arns.service_ref("service", service)?;
        self.same_cluster("service", &scoped, cluster)?;
        Ok(scoped.name)
    }

    fn same_cluster(&self, path: &str, scoped: &ClusterScoped, cluster: &str) -> Result<(), AwsError> {
        match &scoped.cluster {
            Some(other) if other != cluster => Err(AwsError::invalid_parameter(format!(
                "{path} belongs to cluster '{other}', but the request names cluster '{cluster}'."
            ))),
            _ => Ok(()),
        }
    }

    pub(super) fn update_service(&self) -> Result<UpdateService, AwsError> {
        let m = &self.members;
        let cluster = self.cluster()?;
        let service = self.service_member(&cluster)?;
        let desired_count = validate::opt_int_range(m, "desiredCount", 0, 100_000)?;
        let task_definition = m
            .opt_str("taskDefinition")?
            .map(|text| self.arns.task_definition_ref("taskDefinition", text))
            .transpose()?;
        Ok(UpdateService {
            cluster,
            service,
            desired_count: u32_of(desired_count),
            task_definition,
            capacity_provider_strategy: self.strategy(m, "capacityProviderStrategy")?,
            network: awsvpc(m)?,
            deployment_configuration: service_deployment_configuration(m)?,
            force_new_deployment: m.opt_bool("forceNewDeployment")?.unwrap_or(false),
            enable_execute_command: m.opt_bool("enableExecuteCommand")?,
        })
    }

    pub(super) fn delete_service(&self) -> Result<DeleteService, AwsError> {
        let cluster = self.cluster()?;
        let service = self.service_member(&cluster)?;
        Ok(DeleteService { cluster, service, force: self.members.opt_bool("force")?.unwrap_or(false) })
    }

    pub(super) fn describe_services(&self) -> Result<DescribeServices, AwsError> {
        let m = &self.members;
        let cluster = self.cluster()?;
        let list = m.req_str_list("services")?;
        validate::min_items("services", list.len(), 1)?;
        validate::max_items("services", list.len(), 10)?;
        let mut services = Vec::with_capacity(list.len());
        for (index, text) in list.iter().enumerate() {
            let path = format!("services[{index}]");
            let scoped = self.arns.service_ref(&path, text)?;
            self.same_cluster(&path, &scoped, &cluster)?;
            services.push(scoped.name);
        }
        Ok(DescribeServices { cluster, services, include: include_list(m, &["TAGS"])? })
    }

    pub(super) fn list_services(&self) -> Result<ListServices, AwsError> {
        let m = &self.members;
        Ok(ListServices {
            cluster: self.cluster()?,
            launch_type: validate::opt_enum(m, "launchType", LAUNCH_TYPES)?.map(str::to_string),
            scheduling_strategy: validate::opt_enum(m, "schedulingStrategy", &["REPLICA", "DAEMON"])?
                .map(str::to_string),
            start: next_token(m)?,
            max_results: validate::max_results(m, 100)?.unwrap_or(10) as usize,
        })
    }

    pub(super) fn run_task(&self) -> Result<RunTask, AwsError> {
        let m = &self.members;
        let task_definition = m.req_str("taskDefinition")?;
        let task_definition = self.arns.task_definition_ref("taskDefinition", task_definition)?;
        let count = validate::opt_int_range(m, "count", 1, 10)?.unwrap_or(1) as u32;
        let (launch_type, capacity_provider_strategy) = self.launch_and_strategy()?;
        let group = m.opt_str("group")?;
        if let Some(group) = group {
            if group.is_empty() || group.chars().count() > 255 {
                return Err(AwsError::invalid_parameter("group must be 1-255 characters long."));
            }
        }
        let started_by = m.opt_str("startedBy")?;
        if let Some(started_by) = started_by {
            if started_by.is_empty()
                || started_by.chars().count() > 128
                || !started_by.chars().all(|c| c.is_ascii_alphanumeric() || "_-/".contains(c))
            {
                return Err(AwsError::invalid_parameter(
                    "startedBy must be 1-128 letters, numbers, hyphens, underscores and forward slashes.",
                ));
            }
        }
        if let Some(token) = m.opt_str("clientToken")? {
            if token.is_empty() || token.chars().count() > 64 {
                return Err(AwsError::invalid_parameter("clientToken must be 1-64 characters long."));
            }
        }
        Ok(RunTask {
            cluster: self.cluster()?,
            task_definition,
            count,
            capacity_provider_strategy,
            launch_type,
            network: awsvpc(m)?,
            group: group.map(str::to_string),
            started_by: started_by.map(str::to_string),
            tags: tags_member(m)?,
            enable_execute_command: m.opt_bool("enableExecuteCommand")?.unwrap_or(false),
        })
    }

    pub(super) fn stop_task(&self) -> Result<StopTask, AwsError> {
        let m = &self.members;
        let cluster = self.cluster()?;
        let task = m.req_str("task")?;
        let scoped = self.arns.task_ref("task", task)?;
        self.same_cluster("task", &scoped, &cluster)?;
        let reason = m.opt_str("reason")?;
        if let Some(reason) = reason {
            if reason.chars().count() > 255 {
                return Err(AwsError::invalid_parameter("reason must be at most 255 characters long."));
            }
        }
        Ok(StopTask { cluster, task: scoped.name, reason: reason.map(str::to_string) })
    }

    pub(super) fn list_tasks(&self) -> Result<ListTasks, AwsError> {
        let m = &self.members;
        let cluster = self.cluster()?;
        let container_instance = match m.opt_str("containerInstance")? {
            None => None,
            Some(text) => {
                let scoped = self.arns.container_instance_ref("containerInstance", text)?;
                self.same_cluster("containerInstance", &scoped, &cluster)?;
                Some(scoped.name)
            }
        };
        let family = m.opt_str("family")?;
        if let Some(family) = family {
            validate::resource_name("family", family, 255)?;
        }
        let service_name = match m.opt_str("serviceName")? {
            None => None,
            Some(text) => {
                let scoped = self.arns.service_ref("serviceName", text)?;
                self.same_cluster("serviceName", &scoped, &cluster)?;
                Some(scoped.name)
            }
        };
        let daemon_name = m.opt_str("daemonName")?;
        if let Some(name) = daemon_name {
            validate::resource_name("daemonName", name, 255)?;
        }
        let started_by = m.opt_str("startedBy")?;
        if started_by.is_some()
            && (container_instance.is_some()
                || family.is_some()
                || service_name.is_some()
                || daemon_name.is_some())
        {
            return Err(AwsError::invalid_parameter(
                "startedBy cannot be combined with containerInstance, family, serviceName or daemonName.",
            ));
        }
        let exclusive = [family.is_some(), service_name.is_some(), daemon_name.is_some()];
        if exclusive.iter().filter(|given| **given).count() > 1 {
            return Err(AwsError::invalid_parameter(
                "Specify at most one of family, serviceName and daemonName.",
            ));
        }
        Ok(ListTasks {
            cluster,
            container_instance,
            family: family.map(str::to_string),
            service_name,
            daemon_name: daemon_name.map(str::to_string),
            started_by: started_by.map(str::to_string),
            desired_status: validate::opt_enum(m, "desiredStatus", &["RUNNING", "PENDING", "STOPPED"])?
                .map(str::to_string),
            launch_type: validate::opt_enum(m, "launchType", LAUNCH_TYPES)?.map(str::to_string),
            start: next_token(m)?,
            max_results: validate::max_results(m, 100)?.unwrap_or(100) as usize,
        })
    }

    fn id_list(
        &self,
        name: &str,
        cluster: &str,
        max: usize,
        task: bool,
    ) -> Result<Vec<(String, String)>, AwsError> {
        let list = self.members.req_str_list(name)?;
        validate::min_items(name, list.len(), 1)?;
        validate::max_items(name, list.len(), max)?;
        let mut ids = Vec::with_capacity(list.len());
        for (index, text) in list.iter().enumerate() {
            let path = format!("{name}[{index}]");
            let scoped = if task {
                self.arns.task_ref(&path, text)?
            } else {
                self.arns.container_instance_ref(&path, text)?
            };
            self.same_cluster(&path, &scoped, cluster)?;
            ids.push((text.to_string(), scoped.name));
        }
        Ok(ids)
    }

    pub(super) fn describe_tasks(&self) -> Result<DescribeTasks, AwsError> {
        let cluster = self.cluster()?;
        let tasks = self.id_list("tasks", &cluster, 100, true)?;
        Ok(DescribeTasks { cluster, tasks, include: include_list(&self.members, &["TAGS"])? })
    }

    pub(super) fn list_container_instances(&self) -> Result<ListContainerInstances, AwsError> {
        let m = &self.members;
        if m.opt_str("filter")?.is_some() {
            return Err(AwsError::invalid_parameter(
                "filter: cluster query language expressions are not supported by the simulator; use status.",
            ));
        }
        Ok(ListContainerInstances {
            cluster: self.cluster()?,
            status: validate::opt_enum(
                m,
                "status",
                &["ACTIVE", "DRAINING", "REGISTERING", "DEREGISTERING", "REGISTRATION_FAILED"],
            )?
            .map(str::to_string),
            start: next_token(m)?,
            max_results: validate::max_results(m, 100)?.unwrap_or(100) as usize,
        })
    }

    pub(super) fn describe_container_instances(&self) -> Result<DescribeContainerInstances, AwsError> {
        let cluster = self.cluster()?;
        let container_instances = self.id_list("containerInstances", &cluster, 100, false)?;
        let include = include_list(&self.members, &["TAGS", "CONTAINER_INSTANCE_HEALTH"])?;
        Ok(DescribeContainerInstances { cluster, container_instances, include })
    }

    pub(super) fn update_container_instances_state(&self) -> Result<UpdateContainerInstancesState, AwsError> {
        let m = &self.members;
        let cluster = self.cluster()?;
        let container_instances = self.id_list("containerInstances", &cluster, 10, false)?;
        let status = m.req_str("status")?;
        validate::enum_value(
            "status",
            status,
            &["ACTIVE", "DRAINING", "REGISTERING", "DEREGISTERING", "REGISTRATION_FAILED"],
        )?;
        if status != "ACTIVE" && status != "DRAINING" {
            return Err(AwsError::invalid_parameter(format!(
                "status {status} cannot be set; container instances can only be set to ACTIVE or DRAINING."
            )));
        }
        Ok(UpdateContainerInstancesState { cluster, container_instances, status: status.to_string() })
    }

    fn resource_arn(&self) -> Result<String, AwsError> {
        let arn = self.members.req_str("resourceArn")?;
        if !arn.starts_with("arn:aws:ecs:") {
            return Err(AwsError::invalid_parameter(format!(
                "resourceArn '{arn}' is not an ECS resource ARN (arn:aws:ecs:REGION:ACCOUNT:TYPE/...)."
            )));
        }
        Ok(arn.to_string())
    }

    pub(super) fn tag_resource(&self) -> Result<TagResource, AwsError> {
        let resource_arn = self.resource_arn()?;
        if self.members.value("tags").is_none() {
            return Err(missing("tags"));
        }
        let tags = tags_member(&self.members)?;
        validate::min_items("tags", tags.len(), 1)?;
        Ok(TagResource { resource_arn, tags })
    }

    pub(super) fn untag_resource(&self) -> Result<UntagResource, AwsError> {
        let resource_arn = self.resource_arn()?;
        let keys = self.members.req_str_list("tagKeys")?;
        validate::max_items("tagKeys", keys.len(), 50)?;
        for (index, key) in keys.iter().enumerate() {
            let length = key.chars().count();
            if length == 0 || length > 128 {
                return Err(AwsError::invalid_parameter(format!(
                    "tagKeys[{index}] must be 1-128 characters long."
                )));
            }
        }
        Ok(UntagResource { resource_arn, tag_keys: keys.iter().map(|key| key.to_string()).collect() })
    }

    pub(super) fn list_tags_for_resource(&self) -> Result<ListTagsForResource, AwsError> {
        Ok(ListTagsForResource { resource_arn: self.resource_arn()? })
    }

    pub(super) fn list_clusters(&self) -> Result<ListClusters, AwsError> {
        let m = &self.members;
        Ok(ListClusters {
            start: next_token(m)?,
            max_results: validate::max_results(m, 100)?.unwrap_or(100) as usize,
        })
    }

    pub(super) fn describe_task_definition(&self) -> Result<DescribeTaskDefinition, AwsError> {
        let reference = self.members.req_str("taskDefinition")?;
        let task_definition = self.arns.task_definition_ref("taskDefinition", reference)?;
        let include = include_list(&self.members, &["TAGS"])?;
        Ok(DescribeTaskDefinition { task_definition, include_tags: !include.is_empty() })
    }
}
