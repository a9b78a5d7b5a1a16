//! The ECS actions: a decoded request in, engine command(s) or engine reads, an AWS-shaped
//! response out.
//!
//! State-dependent answers where AWS documents no exact behaviour (our choices):
//! - an unknown daemon task definition revision → `ClientException` "… not found" (the service model
//!   has no not-found exception for it; Terraform looks for "not found" in the message);
//! - Describe* of unknown ARNs → `failures: [{arn, reason: "MISSING"}]` (what the waiters key on);
//! - UpdateDaemon / DeleteDaemon of a daemon that is DELETE_IN_PROGRESS → `DaemonNotActiveException`
//!   (the message says the deletion is ongoing, as Terraform observed);
//! - CreateCapacityProvider checks that the infrastructure role and the instance profile exist in
//!   the simulated IAM (`InvalidParameterException`), and tells the engine whether the profile's
//!   role carries `AmazonECSInstanceRolePolicyForManagedInstances`; later IAM changes are
//!   forwarded (see `Api::call`'s IAM handling);
//! - services and RunTask are placed on one capacity provider: the strategy item with the highest
//!   weight (the engine models one provider per service).

use super::dispatch::Api;
use super::request::*;
use super::shapes::{self};
use super::AwsError;
use crate::engine::{self, ClusterStatus, ContainerSpec};
use crate::support::json::json;
use serde_json::Value;

mod capacity;
mod daemons;
mod workloads;

fn family_revision(reference: &crate::api::arn::RevisionRef) -> String {
    match reference.revision {
        Some(revision) => format!("{}:{revision}", reference.family),
        None => reference.family.clone(),
    }
}

fn container_spec(container: &DaemonContainerDefinition) -> ContainerSpec {
    ContainerSpec {
        name: container.name.clone(),
        image: container.image.clone(),
        essential: container.essential,
        cpu: container.cpu,
        memory: container.memory,
        memory_reservation: container.memory_reservation,
        health_check: container.health_check.as_ref().map(|check| engine::HealthCheck {
            command: check.command.clone(),
            interval_s: check.interval_seconds,
            timeout_s: check.timeout_seconds,
            retries: check.retries,
            start_period_s: check.start_period_seconds,
        }),
    }
}

/// The document DescribeDaemonTaskDefinition / DescribeTaskDefinition echo: the request's members
/// with normalised container definitions.
fn document(input: Value, containers: Vec<Value>) -> Value {
    let mut document = input;
    if let Value::Object(map) = &mut document {
        map.insert("containerDefinitions".into(), Value::Array(containers));
    }
    document
}

fn page_response(key: &str, items: Vec<Value>, start: usize, max: usize) -> Value {
    let (page, next) = paginate(items, start, max);
    let mut body = serde_json::json!({ key: page });
    if let Some(next) = next {
        body["nextToken"] = json!(next);
    }
    body
}

fn missing_failure(arn: &str) -> Value {
    json!({"arn": arn, "reason": "MISSING"})
}

impl Api {
    fn active_cluster(&self, name: &str) -> Result<&engine::Cluster, AwsError> {
        self.sim
            .cluster(name)
            .filter(|cluster| cluster.status == ClusterStatus::Active)
            .ok_or_else(|| AwsError::cluster_not_found(format!("Cluster not found: {name}.")))
    }

    // ----- tags, cluster list, task definition describe -----------------------------------------

    /// Whether the ECS resource `arn` exists (what TagResource and friends act on).
    fn resource_exists(&self, arn: &str) -> Result<bool, AwsError> {
        let resource = arn.splitn(6, ':').nth(5).unwrap_or("");
        let (kind, rest) = resource.split_once('/').unwrap_or((resource, ""));
        let last = rest.rsplit('/').next().unwrap_or("");
        let exists = match kind {
            "cluster" => {
                self.sim.cluster(rest).is_some_and(|c| c.status == ClusterStatus::Active && *c.arn == *arn)
            }
            "capacity-provider" => self.sim.capacity_provider(rest).is_some_and(|p| *p.arn == *arn),
            "service" => match rest.split_once('/') {
                Some((cluster, name)) => self.sim.service(cluster, name).is_some_and(|s| *s.arn == *arn),
                None => false,
            },
            "daemon" => self.sim.daemon(arn).is_some_and(|d| *d.arn == *arn),
            "daemon-task-definition" => self.sim.daemon_task_definition(rest).is_some_and(|d| *d.arn == *arn),
            "task-definition" => self.sim.task_definition(rest).is_some_and(|d| *d.arn == *arn),
            "task" => self.sim.task(last).is_some_and(|t| *t.arn == *arn),
            "container-instance" => self.sim.container_instance(last).is_some_and(|i| *i.arn == *arn),
            _ => {
                return Err(AwsError::invalid_parameter(format!(
                    "resourceArn '{arn}': tagging is not supported for this resource type."
                )))
            }
        };
        Ok(exists)
    }

    fn tagged_resource(&self, arn: &str) -> Result<(), AwsError> {
        if self.resource_exists(arn)? {
            Ok(())
        } else {
            Err(AwsError::new(
                "ResourceNotFoundException",
                format!("The specified resource could not be found: {arn}."),
            ))
        }
    }

    pub(crate) fn tag_resource(&mut self, r: TagResource) -> Result<Value, AwsError> {
        self.tagged_resource(&r.resource_arn)?;
        let mut tags = self.tags.get(&r.resource_arn).cloned().unwrap_or_default();
        for tag in r.tags {
            match tags.iter_mut().find(|existing| existing.key == tag.key) {
                Some(existing) => existing.value = tag.value,
                None => tags.push(tag),
            }
        }
        if tags.len() > 50 {
            return Err(AwsError::invalid_parameter(format!(
                "tags: a resource can have at most 50 tags; this request would leave {}.",
                tags.len()
            )));
        }
        self.set_tags(&r.resource_arn, &tags);
        Ok(json!({}))
    }

    pub(crate) fn untag_resource(&mut self, r: UntagResource) -> Result<Value, AwsError> {
        self.tagged_resource(&r.resource_arn)?;
        let mut tags = self.tags.get(&r.resource_arn).cloned().unwrap_or_default();
        tags.retain(|tag| !r.tag_keys.contains(&tag.key));
        self.set_tags(&r.resource_arn, &tags);
        Ok(json!({}))
    }

    pub(crate) fn list_tags_for_resource(&mut self, r: ListTagsForResource) -> Result<Value, AwsError> {
        self.tagged_resource(&r.resource_arn)?;
        Ok(json!({ "tags": self.tags_json(&r.resource_arn) }))
    }

    pub(crate) fn list_clusters(&mut self, r: ListClusters) -> Result<Value, AwsError> {
        let items: Vec<Value> = self
            .sim
            .clusters()
            .filter(|c| c.status == ClusterStatus::Active)
            .map(|c| json!(&*c.arn))
            .collect();
        Ok(page_response("clusterArns", items, r.start, r.max_results))
    }

    pub(crate) fn describe_task_definition(&mut self, r: DescribeTaskDefinition) -> Result<Value, AwsError> {
        let reference = family_revision(&r.task_definition);
        let definition = self.sim.task_definition(&reference).ok_or_else(|| {
            AwsError::client(format!("Unable to describe task definition: {reference} not found."))
        })?;
        let mut body = json!({ "taskDefinition": shapes::task_definition(&self.arns, definition) });
        if r.include_tags {
            body["tags"] = self.tags_json(&definition.arn);
        }
        Ok(body)
    }
}
