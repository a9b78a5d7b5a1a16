//! The Managed Daemons actions: daemon task definitions and daemons (create, update, delete,
//! describe, list, deployments and revisions). Kept apart because they are this simulator's
//! subject: their state-dependent answers (DELETE_IN_PROGRESS, unknown revisions) are the ones a
//! reader checks against the AWS documentation.

use super::{container_spec, document, family_revision, missing_failure, page_response};
use crate::api::dispatch::Api;
use crate::api::render;
use crate::api::request::*;
use crate::api::shapes;
use crate::api::AwsError;
use crate::engine::{self, Command, DaemonStatus, DeploymentConfig, Outcome};
use crate::support::json::json;
use crate::support::order;
use serde_json::Value;

/// `deploymentConfiguration` with AWS's defaults filled in (AWS API reference:
/// DaemonDeploymentConfiguration: drainPercent 25, bake time 0, alarms off); `None` when not sent, so
/// that a clientToken replay compares equal.
pub(super) fn deployment_config(config: &DaemonDeploymentConfiguration) -> Option<DeploymentConfig> {
    if *config == DaemonDeploymentConfiguration::default() {
        return None;
    }
    let defaults = DeploymentConfig::default();
    let alarms = config.alarms.clone().unwrap_or_default();
    Some(DeploymentConfig {
        drain_percent: config.drain_percent.unwrap_or(defaults.drain_percent),
        bake_time_in_minutes: config.bake_time_in_minutes.unwrap_or(defaults.bake_time_in_minutes),
        alarm_names: alarms.alarm_names,
        alarms_enabled: alarms.enable,
    })
}

pub(super) fn daemon_response(outcome: Outcome) -> Result<Value, AwsError> {
    match outcome {
        Outcome::Daemon { daemon_arn, deployment_arn, created_at, updated_at, status } => Ok(json!({
            "daemonArn": daemon_arn,
            "status": status,
            "createdAt": render::timestamp(created_at),
            "updatedAt": render::timestamp(updated_at),
            "deploymentArn": deployment_arn,
        })),
        other => Err(AwsError::server(format!("unexpected engine outcome {other:?}"))),
    }
}

impl Api {
    pub(super) fn daemon_or_error(
        &self,
        reference: &crate::api::arn::DaemonRef,
    ) -> Result<&engine::Daemon, AwsError> {
        self.active_cluster(&reference.cluster)?;
        let arn = self.arns.daemon(&reference.cluster, &reference.daemon);
        self.sim.daemon(&arn).ok_or_else(|| AwsError::daemon_not_found(format!("Daemon not found: {arn}.")))
    }

    pub(crate) fn register_daemon_task_definition(
        &mut self,
        r: RegisterDaemonTaskDefinition,
    ) -> Result<Value, AwsError> {
        let containers: Vec<Value> = r.container_definitions.iter().map(|c| c.definition.clone()).collect();
        let mut input = json!({"family": r.family});
        for (key, value) in [
            ("taskRoleArn", r.task_role_arn.clone()),
            ("executionRoleArn", r.execution_role_arn.clone()),
            ("pidMode", r.pid_mode.clone()),
            ("ipcMode", r.ipc_mode.clone()),
        ] {
            if let Some(value) = value {
                input[key] = json!(value);
            }
        }
        let volumes: Vec<Value> = r
            .volumes
            .iter()
            .map(|volume| match &volume.source_path {
                Some(path) => json!({"name": volume.name, "host": {"sourcePath": path}}),
                None => json!({"name": volume.name, "host": {}}),
            })
            .collect();
        input["volumes"] = Value::Array(volumes);
        let command = engine::command::RegisterDaemonTaskDefinition {
            family: r.family.clone(),
            cpu: r.cpu,
            memory: r.memory,
            containers: r.container_definitions.iter().map(container_spec).collect(),
            document: document(input, containers),
        };
        match self.apply(Command::RegisterDaemonTaskDefinition(command))? {
            Outcome::DaemonTaskDefinition { arn } => {
                self.set_tags(&arn, &r.tags);
                Ok(json!({ "daemonTaskDefinitionArn": arn }))
            }
            other => Err(AwsError::server(format!("unexpected engine outcome {other:?}"))),
        }
    }

    pub(crate) fn describe_daemon_task_definition(
        &mut self,
        r: DescribeDaemonTaskDefinition,
    ) -> Result<Value, AwsError> {
        let reference = family_revision(&r.daemon_task_definition);
        let definition = self.sim.daemon_task_definition(&reference).ok_or_else(|| {
            AwsError::client(format!("Unable to describe daemon task definition: {reference} not found."))
        })?;
        Ok(json!({ "daemonTaskDefinition": shapes::daemon_task_definition(&self.arns, definition) }))
    }

    pub(crate) fn list_daemon_task_definitions(
        &mut self,
        r: ListDaemonTaskDefinitions,
    ) -> Result<Value, AwsError> {
        let mut definitions: Vec<&engine::DaemonTaskDefinition> = self
            .sim
            .daemon_task_definitions()
            .filter(|d| r.family.as_ref().is_none_or(|family| &d.family == family))
            .filter(|d| r.family_prefix.as_ref().is_none_or(|prefix| d.family.starts_with(prefix.as_str())))
            .filter(|d| match r.status.as_str() {
                "ALL" => true,
                status => d.status.as_str() == status,
            })
            .collect();
        order::sort_by(&mut definitions, |a, b| (&a.family, a.revision).cmp(&(&b.family, b.revision)));
        if r.last_registered_only {
            let mut last: Vec<&engine::DaemonTaskDefinition> = Vec::new();
            for definition in definitions {
                match last.last_mut() {
                    Some(previous) if previous.family == definition.family => *previous = definition,
                    _ => last.push(definition),
                }
            }
            definitions = last;
        }
        if r.descending {
            definitions.reverse();
        }
        let caller = self.arns.caller();
        let items: Vec<Value> = definitions
            .iter()
            .map(|d| {
                let mut item = json!({
                    "arn": &*d.arn,
                    "registeredAt": render::timestamp(d.registered_at),
                    "registeredBy": caller,
                    "status": d.status,
                });
                if let Some(at) = d.delete_requested_at {
                    item["deleteRequestedAt"] = render::timestamp(at);
                }
                item
            })
            .collect();
        Ok(page_response("daemonTaskDefinitions", items, r.start, r.max_results))
    }

    pub(crate) fn delete_daemon_task_definition(
        &mut self,
        r: DeleteDaemonTaskDefinition,
    ) -> Result<Value, AwsError> {
        let reference = format!("{}:{}", r.family, r.revision);
        if self.sim.daemon_task_definition(&reference).is_none() {
            return Err(AwsError::client(format!(
                "Unable to delete daemon task definition: {reference} not found."
            )));
        }
        self.apply(Command::DeleteDaemonTaskDefinition { daemon_task_definition: reference.clone() })?;
        let arn = self.arns.daemon_task_definition(&r.family, r.revision);
        Ok(json!({ "daemonTaskDefinitionArn": arn }))
    }

    // ----- daemons ------------------------------------------------------------------------------

    pub(crate) fn create_daemon(&mut self, r: CreateDaemon) -> Result<Value, AwsError> {
        // The engine checks the clientToken before anything else (a replay answers the first
        // response even if the cluster changed since), then the cluster.
        let command = engine::command::CreateDaemon {
            cluster: r.cluster.clone(),
            daemon_name: r.daemon_name.clone(),
            daemon_task_definition: family_revision(&r.daemon_task_definition),
            capacity_providers: r.capacity_providers.clone(),
            deployment_configuration: deployment_config(&r.deployment_configuration),
            tags: r.tags.iter().map(|tag| (tag.key.clone(), tag.value.clone())).collect(),
            propagate_tags: r.propagate_tags.clone(),
            enable_ecs_managed_tags: r.enable_ecs_managed_tags,
            enable_execute_command: r.enable_execute_command,
            critical: Some(r.critical),
            client_token: r.client_token.clone(),
        };
        let daemon_arn = self.arns.daemon(&r.cluster, &r.daemon_name);
        // A clientToken replay answers an existing daemon; its tags stay as they are.
        let replay = self.sim.daemon(&daemon_arn).is_some();
        let outcome = self.apply(Command::CreateDaemon(command))?;
        if !replay {
            self.set_tags(&daemon_arn, &r.tags);
        }
        let mut response = daemon_response(outcome)?;
        if let Value::Object(map) = &mut response {
            map.remove("updatedAt");
        }
        Ok(response)
    }

    pub(crate) fn update_daemon(&mut self, r: UpdateDaemon) -> Result<Value, AwsError> {
        let daemon = self.daemon_or_error(&r.daemon)?;
        if daemon.status != DaemonStatus::Active {
            return Err(AwsError::daemon_not_active(format!(
                "Daemon {} is {}; only an ACTIVE daemon can be updated. Create a new daemon with CreateDaemon.",
                daemon.arn, daemon.status
            )));
        }
        let command = engine::command::UpdateDaemon {
            daemon: daemon.arn.to_string(),
            daemon_task_definition: family_revision(&r.daemon_task_definition),
            capacity_providers: r.capacity_providers.clone(),
            deployment_configuration: deployment_config(&r.deployment_configuration),
            propagate_tags: r.propagate_tags.clone(),
            enable_ecs_managed_tags: r.enable_ecs_managed_tags,
            enable_execute_command: r.enable_execute_command,
            critical: Some(r.critical),
        };
        let outcome = self.apply(Command::UpdateDaemon(command))?;
        daemon_response(outcome)
    }

    pub(crate) fn delete_daemon(&mut self, r: DaemonTarget) -> Result<Value, AwsError> {
        let daemon = self.daemon_or_error(&r.daemon)?;
        if daemon.status != DaemonStatus::Active {
            return Err(AwsError::daemon_not_active(format!(
                "Daemon {} is {}: the deployment deletion is ongoing.",
                daemon.arn, daemon.status
            )));
        }
        let arn = daemon.arn.to_string();
        let outcome = self.apply(Command::DeleteDaemon { daemon: arn })?;
        daemon_response(outcome)
    }

    pub(crate) fn describe_daemon(&mut self, r: DaemonTarget) -> Result<Value, AwsError> {
        let daemon = self.daemon_or_error(&r.daemon)?;
        Ok(json!({ "daemon": shapes::daemon_detail(&self.sim, daemon) }))
    }

    pub(crate) fn list_daemons(&mut self, r: ListDaemons) -> Result<Value, AwsError> {
        self.active_cluster(&r.cluster)?;
        let items: Vec<Value> = self
            .sim
            .daemons()
            .filter(|daemon| daemon.cluster == r.cluster)
            .filter(|daemon| {
                r.capacity_providers.is_empty()
                    || daemon.capacity_providers.iter().any(|cp| r.capacity_providers.contains(cp))
            })
            .map(|daemon| {
                json!({
                    "daemonArn": &*daemon.arn,
                    "status": daemon.status,
                    "createdAt": render::timestamp(daemon.created_at),
                    "updatedAt": render::timestamp(daemon.updated_at),
                })
            })
            .collect();
        Ok(page_response("daemonSummariesList", items, r.start, r.max_results))
    }

    pub(crate) fn list_daemon_deployments(&mut self, r: ListDaemonDeployments) -> Result<Value, AwsError> {
        let daemon = self.daemon_or_error(&r.daemon)?;
        let items: Vec<Value> = self
            .sim
            .daemon_deployments(daemon)
            .into_iter()
            .filter(|d| r.statuses.is_empty() || r.statuses.iter().any(|s| s == d.status.as_str()))
            .filter(|d| r.created_after_ms.is_none_or(|after| d.created_at >= after))
            .filter(|d| r.created_before_ms.is_none_or(|before| d.created_at <= before))
            .map(|d| shapes::daemon_deployment_summary(&self.sim, daemon, d))
            .collect();
        Ok(page_response("daemonDeployments", items, r.start, r.max_results))
    }

    pub(crate) fn describe_daemon_deployments(
        &mut self,
        r: DescribeDaemonChildren,
    ) -> Result<Value, AwsError> {
        let mut found = Vec::new();
        let mut failures = Vec::new();
        for (arn, _) in &r.arns {
            match self.sim.deployment(arn) {
                Some(deployment) if *deployment.arn == **arn => {
                    found.push(shapes::daemon_deployment(&self.sim, deployment))
                }
                _ => failures.push(missing_failure(arn)),
            }
        }
        Ok(json!({ "daemonDeployments": found, "failures": failures }))
    }

    pub(crate) fn describe_daemon_revisions(&mut self, r: DescribeDaemonChildren) -> Result<Value, AwsError> {
        let mut found = Vec::new();
        let mut failures = Vec::new();
        for (arn, _) in &r.arns {
            match self.sim.daemon_revision(arn) {
                Some(revision) if *revision.arn == **arn => {
                    found.push(shapes::daemon_revision(&self.sim, revision))
                }
                _ => failures.push(missing_failure(arn)),
            }
        }
        Ok(json!({ "daemonRevisions": found, "failures": failures }))
    }
}
