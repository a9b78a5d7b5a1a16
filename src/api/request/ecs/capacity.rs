//! Requests about where tasks run: clusters, Managed Instances capacity providers (their
//! instance requirements, scale-in delay and auto repair) and container instances. Separate
//! because a capacity provider's document is the largest and most nested input the API decodes.

use super::{include_list, u32_of, StrategyItem};
use crate::api::input::{required, Members};
use crate::api::request::{next_token, tags_member, Decoder};
use crate::api::validate::{self, Tag};
use crate::api::AwsError;
use serde_json::Value;

/// CreateCluster: a new cluster, or the existing one of that name unchanged.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateCluster {
    /// `clusterName`: up to 255 letters, digits, `_` and `-`; `default` when absent.
    pub cluster_name: String,
    /// `tags`: up to 50 key/value tags on the cluster.
    pub tags: Vec<Tag>,
    /// `capacityProviders`: provider names associated at creation (only the built-in `FARGATE` and
    /// `FARGATE_SPOT` can be).
    pub capacity_providers: Vec<String>,
    /// `defaultCapacityProviderStrategy`: used by services and tasks that name no strategy.
    pub default_strategy: Vec<StrategyItem>,
}

/// DeleteCluster: the cluster to delete.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterTarget {
    /// `cluster` as a cluster name.
    pub cluster: String,
}

/// DescribeClusters: clusters by name or ARN.
#[derive(Debug, Clone, PartialEq)]
pub struct DescribeClusters {
    /// Cluster names; `default` when the request names none.
    pub clusters: Vec<String>,
    /// `include`: extra blocks to return (`ATTACHMENTS`, `CONFIGURATIONS`, `SETTINGS`, `STATISTICS`, `TAGS`).
    pub include: Vec<String>,
}

/// `instanceRequirements` ranges (the instance size the provider launches is chosen from them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceRequirements {
    /// `vCpuCount.min`: the fewest vCPUs an instance may have, 1–1024.
    pub vcpu_min: u32,
    /// `vCpuCount.max`: the most vCPUs an instance may have; unbounded when absent.
    pub vcpu_max: Option<u32>,
    /// `memoryMiB.min`: the least memory an instance may have, in MiB.
    pub memory_mib_min: u32,
    /// `memoryMiB.max`: the most memory an instance may have, in MiB; unbounded when absent.
    pub memory_mib_max: Option<u32>,
}

/// `managedInstancesProvider`: how ECS Managed Instances launches and replaces the provider's instances.
#[derive(Debug, Clone, PartialEq)]
pub struct ManagedInstancesProvider {
    /// Role name from `infrastructureRoleArn`.
    pub infrastructure_role: String,
    /// `infrastructureRoleArn`: the role ECS assumes to manage the instances.
    pub infrastructure_role_arn: String,
    /// Instance profile name from `instanceLaunchTemplate.ec2InstanceProfileArn`.
    pub instance_profile: String,
    /// `instanceLaunchTemplate.ec2InstanceProfileArn`: the profile the instances run with.
    pub instance_profile_arn: String,
    /// `networkConfiguration.subnets`: at least one subnet to launch into.
    pub subnets: Vec<String>,
    /// `networkConfiguration.securityGroups`: security groups of the instances.
    pub security_groups: Vec<String>,
    /// `instanceLaunchTemplate.instanceRequirements`: the vCPU and memory ranges instances are chosen from.
    pub instance_requirements: Option<InstanceRequirements>,
    /// `propagateTags`: `CAPACITY_PROVIDER` copies the provider's tags onto its instances; `NONE` or absent
    /// does not.
    pub propagate_tags: Option<String>,
    /// `infrastructureOptimization.scaleInAfter`: -1 = off, 0–3600 s, `None` = default.
    pub scale_in_after_seconds: Option<i64>,
    /// `autoRepairConfiguration.actionsStatus == ENABLED` (the default).
    pub auto_repair: bool,
    /// The member as sent, for DescribeCapacityProviders to echo.
    pub definition: Value,
}

/// CreateCapacityProvider: a Managed Instances capacity provider bound to one cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateCapacityProvider {
    /// `name`: up to 255 letters, digits, `_` and `-`, not starting with `aws`, `ecs` or `fargate`.
    pub name: String,
    /// `cluster`: the cluster the provider belongs to (required for Managed Instances).
    pub cluster: String,
    /// `managedInstancesProvider`: the launch and replacement settings.
    pub managed_instances: ManagedInstancesProvider,
    /// `tags`: up to 50 key/value tags on the provider.
    pub tags: Vec<Tag>,
}

/// UpdateCapacityProvider of a Managed Instances provider. Every member but the role and the
/// launch template is optional: an absent one leaves the setting as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateCapacityProvider {
    /// `name`: the provider to update.
    pub name: String,
    /// `cluster`: the provider's cluster, when given.
    pub cluster: Option<String>,
    /// Role name from `infrastructureRoleArn`.
    pub infrastructure_role: String,
    /// `managedInstancesProvider.infrastructureRoleArn`: the role ECS assumes to manage the instances.
    pub infrastructure_role_arn: String,
    /// (name, ARN) from `instanceLaunchTemplate.ec2InstanceProfileArn`.
    pub instance_profile: Option<(String, String)>,
    /// `instanceRequirements`: new vCPU and memory ranges; unchanged when absent.
    pub instance_requirements: Option<InstanceRequirements>,
    /// `propagateTags`: `CAPACITY_PROVIDER` or `NONE`; unchanged when absent.
    pub propagate_tags: Option<String>,
    /// `infrastructureOptimization` given: its `scaleInAfter` (`None` = the default).
    pub scale_in_after_seconds: Option<Option<i64>>,
    /// `autoRepairConfiguration` given: `actionsStatus == ENABLED`.
    pub auto_repair: Option<bool>,
    /// The member as sent, merged into what DescribeCapacityProviders echoes.
    pub definition: Value,
}

/// DeleteCapacityProvider: a provider that no cluster uses any more.
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteCapacityProvider {
    /// `capacityProvider`: the provider's name.
    pub name: String,
    /// `cluster`: the provider's cluster, when given.
    pub cluster: Option<String>,
}

/// DescribeCapacityProviders: providers by name, one page at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct DescribeCapacityProviders {
    /// Names; empty = all.
    pub capacity_providers: Vec<String>,
    /// `cluster`: only the providers of this cluster, when given.
    pub cluster: Option<String>,
    /// `include: ["TAGS"]`: also return the providers' tags.
    pub include: Vec<String>,
    /// The offset in the result list that `nextToken` encodes; 0 when absent.
    pub start: usize,
    /// `maxResults`: 1–10 entries per page; 10 when absent.
    pub max_results: usize,
}

/// PutClusterCapacityProviders: replaces a cluster's providers and default strategy as a whole.
#[derive(Debug, Clone, PartialEq)]
pub struct PutClusterCapacityProviders {
    /// `cluster` as a cluster name.
    pub cluster: String,
    /// `capacityProviders`: every provider name the cluster keeps; an empty list removes all.
    pub capacity_providers: Vec<String>,
    /// `defaultCapacityProviderStrategy`: the new default strategy, each item naming one of
    /// `capacityProviders`.
    pub default_strategy: Vec<StrategyItem>,
}

/// ListContainerInstances: a cluster's container instance ARNs, one page at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct ListContainerInstances {
    /// `cluster` as a cluster name; `default` when absent.
    pub cluster: String,
    /// `status`: only instances in this state (`ACTIVE`, `DRAINING`, `REGISTERING`, `DEREGISTERING`,
    /// `REGISTRATION_FAILED`).
    pub status: Option<String>,
    /// The offset in the result list that `nextToken` encodes; 0 when absent.
    pub start: usize,
    /// `maxResults`: 1–100 entries per page; 100 when absent.
    pub max_results: usize,
}

/// DescribeContainerInstances: up to 100 container instances of one cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct DescribeContainerInstances {
    /// `cluster` as a cluster name; `default` when absent.
    pub cluster: String,
    /// Container instance ids, with the text as sent for `failures`.
    pub container_instances: Vec<(String, String)>,
    /// `include`: `TAGS` and/or `CONTAINER_INSTANCE_HEALTH`.
    pub include: Vec<String>,
}

/// UpdateContainerInstancesState: drains container instances or returns them to service.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateContainerInstancesState {
    /// `cluster` as a cluster name; `default` when absent.
    pub cluster: String,
    /// `containerInstances`: up to 10 instance ids, each with the text as sent for `failures`.
    pub container_instances: Vec<(String, String)>,
    /// `status`: `ACTIVE` or `DRAINING`, the only states a caller may set.
    pub status: String,
}

pub(super) const RESERVED_PROVIDER_PREFIXES: &[&str] = &["aws", "ecs", "fargate"];

/// `instanceLaunchTemplate.instanceRequirements` (the vCPU and memory ranges the simulator sizes
/// instances by), shared by CreateCapacityProvider and UpdateCapacityProvider.
pub(super) fn instance_requirements(
    template: &Members<'_>,
) -> Result<Option<InstanceRequirements>, AwsError> {
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
pub(super) fn scale_in_after(provider: &Members<'_>) -> Result<Option<Option<i64>>, AwsError> {
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
pub(super) fn auto_repair(provider: &Members<'_>) -> Result<Option<bool>, AwsError> {
    let Some(repair) = provider.opt_obj("autoRepairConfiguration")? else { return Ok(None) };
    let status = validate::opt_enum(&repair, "actionsStatus", &["ENABLED", "DISABLED"])?;
    Ok(Some(status.unwrap_or("ENABLED") == "ENABLED"))
}

impl Decoder<'_> {
    pub(super) fn provider_names(&self, name: &str) -> Result<Option<Vec<String>>, AwsError> {
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

    pub(in crate::api::request) fn create_cluster(&self) -> Result<CreateCluster, AwsError> {
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

    pub(in crate::api::request) fn cluster_target(&self) -> Result<ClusterTarget, AwsError> {
        let cluster = self.members.req_str("cluster")?;
        Ok(ClusterTarget { cluster: self.arns.cluster_name("cluster", cluster)? })
    }

    pub(in crate::api::request) fn describe_clusters(&self) -> Result<DescribeClusters, AwsError> {
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

    pub(in crate::api::request) fn create_capacity_provider(
        &self,
    ) -> Result<CreateCapacityProvider, AwsError> {
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

    pub(in crate::api::request) fn delete_capacity_provider(
        &self,
    ) -> Result<DeleteCapacityProvider, AwsError> {
        let m = &self.members;
        let provider = m.req_str("capacityProvider")?;
        let cluster =
            m.opt_str("cluster")?.map(|cluster| self.arns.cluster_name("cluster", cluster)).transpose()?;
        Ok(DeleteCapacityProvider {
            name: self.arns.capacity_provider_name("capacityProvider", provider)?,
            cluster,
        })
    }

    pub(in crate::api::request) fn update_capacity_provider(
        &self,
    ) -> Result<UpdateCapacityProvider, AwsError> {
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

    pub(in crate::api::request) fn describe_capacity_providers(
        &self,
    ) -> Result<DescribeCapacityProviders, AwsError> {
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

    pub(in crate::api::request) fn put_cluster_capacity_providers(
        &self,
    ) -> Result<PutClusterCapacityProviders, AwsError> {
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

    pub(in crate::api::request) fn list_container_instances(
        &self,
    ) -> Result<ListContainerInstances, AwsError> {
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

    pub(in crate::api::request) fn describe_container_instances(
        &self,
    ) -> Result<DescribeContainerInstances, AwsError> {
        let cluster = self.cluster()?;
        let container_instances = self.id_list("containerInstances", &cluster, 100, false)?;
        let include = include_list(&self.members, &["TAGS", "CONTAINER_INSTANCE_HEALTH"])?;
        Ok(DescribeContainerInstances { cluster, container_instances, include })
    }

    pub(in crate::api::request) fn update_container_instances_state(
        &self,
    ) -> Result<UpdateContainerInstancesState, AwsError> {
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
}
