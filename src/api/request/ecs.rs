//! The ECS actions around daemons that the tutorial and a user need: clusters, capacity providers,
//! task definitions, services, tasks and container instances.

use super::{cluster_or_default, next_token, tags_member, Decoder};
use crate::api::arn::RevisionRef;
use crate::api::input::{missing, Members};
use crate::api::validate::{self, Tag};
use crate::api::AwsError;

mod capacity;
mod workloads;

pub use capacity::*;
pub use workloads::*;

/// One `capacityProviderStrategy` / `defaultCapacityProviderStrategy` item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrategyItem {
    /// `capacityProvider`: the provider's name.
    pub capacity_provider: String,
    /// `weight`: the relative share of tasks placed on this provider after the bases, 0–1000; 0 when absent.
    pub weight: u32,
    /// `base`: tasks placed on this provider before weights apply, 0–100000 (at most one item may set it); 0
    /// when absent.
    pub base: u32,
}

/// TagResource: adds or overwrites tags on an ECS resource.
#[derive(Debug, Clone, PartialEq)]
pub struct TagResource {
    /// `resourceArn`: an ECS resource ARN.
    pub resource_arn: String,
    /// `tags`: 1–50 key/value tags to set.
    pub tags: Vec<Tag>,
}

/// UntagResource: removes tags by key.
#[derive(Debug, Clone, PartialEq)]
pub struct UntagResource {
    /// `resourceArn`: an ECS resource ARN.
    pub resource_arn: String,
    /// `tagKeys`: up to 50 keys of 1–128 characters.
    pub tag_keys: Vec<String>,
}

/// ListTagsForResource: a resource's tags.
#[derive(Debug, Clone, PartialEq)]
pub struct ListTagsForResource {
    /// `resourceArn`: an ECS resource ARN.
    pub resource_arn: String,
}

/// ListClusters: the account's cluster ARNs in this Region, one page at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct ListClusters {
    /// The offset in the result list that `nextToken` encodes; 0 when absent.
    pub start: usize,
    /// `maxResults`: 1–100 entries per page; 100 when absent.
    pub max_results: usize,
}

/// DescribeTaskDefinition: one task definition revision.
#[derive(Debug, Clone, PartialEq)]
pub struct DescribeTaskDefinition {
    /// `taskDefinition`: `family`, `family:revision` or the revision's ARN.
    pub task_definition: RevisionRef,
    /// `include: ["TAGS"]`: also return the revision's tags.
    pub include_tags: bool,
}

const LAUNCH_TYPES: &[&str] = &["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"];

fn u32_of(value: Option<i64>) -> Option<u32> {
    value.map(|value| value as u32)
}

fn include_list(members: &Members<'_>, allowed: &[&str]) -> Result<Vec<String>, AwsError> {
    let mut include = Vec::new();
    for (index, item) in members.opt_str_list("include")?.unwrap_or_default().iter().enumerate() {
        validate::enum_value(&format!("include[{index}]"), item, allowed)?;
        include.push(item.to_string());
    }
    Ok(include)
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

    fn cluster(&self) -> Result<String, AwsError> {
        cluster_or_default(self, "cluster")
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
