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

use super::dispatch::{Api, ClusterExtras, ProviderExtras};
use super::request::*;
use super::shapes::{self, tags_json, ServiceExtras};
use super::AwsError;
use crate::api::json::json;
use crate::engine::{
    self, ClusterStatus, Command, ContainerSpec, DaemonStatus, DeploymentConfig, Outcome, ServiceStatus,
};
use serde_json::Value;

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

/// `deploymentConfiguration` with AWS's defaults filled in (AWS API reference:
/// DaemonDeploymentConfiguration: drainPercent 25, bake time 0, alarms off); `None` when not sent, so
/// that a clientToken replay compares equal.
fn deployment_config(config: &DaemonDeploymentConfiguration) -> Option<DeploymentConfig> {
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

/// The document DescribeDaemonTaskDefinition / DescribeTaskDefinition echo: the request's members
/// with normalised container definitions.
fn document(input: Value, containers: Vec<Value>) -> Value {
    let mut document = input;
    if let Value::Object(map) = &mut document {
        map.insert("containerDefinitions".into(), Value::Array(containers));
    }
    document
}

fn daemon_response(outcome: Outcome) -> Result<Value, AwsError> {
    match outcome {
        Outcome::Daemon { daemon_arn, deployment_arn, created_at, updated_at, status } => Ok(json!({
            "daemonArn": daemon_arn,
            "status": status,
            "createdAt": super::render::timestamp(created_at),
            "updatedAt": super::render::timestamp(updated_at),
            "deploymentArn": deployment_arn,
        })),
        other => Err(AwsError::server(format!("unexpected engine outcome {other:?}"))),
    }
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

    fn daemon_or_error(&self, reference: &crate::api::arn::DaemonRef) -> Result<&engine::Daemon, AwsError> {
        self.active_cluster(&reference.cluster)?;
        let arn = self.arns.daemon(&reference.cluster, &reference.daemon);
        self.sim.daemon(&arn).ok_or_else(|| AwsError::daemon_not_found(format!("Daemon not found: {arn}.")))
    }

    // ----- daemon task definitions ------------------------------------------------------------

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
        super::order::sort_by(&mut definitions, |a, b| (&a.family, a.revision).cmp(&(&b.family, b.revision)));
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
                    "registeredAt": super::render::timestamp(d.registered_at),
                    "registeredBy": caller,
                    "status": d.status,
                });
                if let Some(at) = d.delete_requested_at {
                    item["deleteRequestedAt"] = super::render::timestamp(at);
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
                    "createdAt": super::render::timestamp(daemon.created_at),
                    "updatedAt": super::render::timestamp(daemon.updated_at),
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

    // ----- clusters and capacity providers ----------------------------------------------------

    fn render_cluster(&self, name: &str) -> Value {
        let extras = self.cluster_extras(name);
        match self.sim.cluster(name) {
            Some(cluster) => shapes::cluster(
                &self.sim,
                cluster,
                shapes::strategy_json(&extras.strategy),
                self.tags_json(&cluster.arn),
            ),
            None => Value::Null,
        }
    }

    pub(crate) fn create_cluster(&mut self, r: CreateCluster) -> Result<Value, AwsError> {
        // Managed Instances providers are created for an existing cluster, so only the built-in
        // Fargate providers can be named at creation.
        let builtin = |name: &String| name == "FARGATE" || name == "FARGATE_SPOT";
        if let Some(other) = r.capacity_providers.iter().find(|name| !builtin(name)) {
            return Err(AwsError::invalid_parameter(format!(
                "capacityProviders: {other} cannot be associated at cluster creation; create the cluster, then the Managed Instances capacity provider, then call PutClusterCapacityProviders."
            )));
        }
        if let Some(item) =
            r.default_strategy.iter().find(|item| !r.capacity_providers.contains(&item.capacity_provider))
        {
            return Err(AwsError::invalid_parameter(format!(
                "defaultCapacityProviderStrategy: {} is not in capacityProviders.",
                item.capacity_provider
            )));
        }
        let existed = self.sim.cluster(&r.cluster_name).is_some_and(|c| c.status == ClusterStatus::Active);
        if existed {
            // CreateCluster of an existing cluster answers that cluster and changes nothing.
            return Ok(json!({ "cluster": self.render_cluster(&r.cluster_name) }));
        }
        self.apply(Command::CreateCluster { name: r.cluster_name.clone() })?;
        if !r.capacity_providers.is_empty() {
            let strategy = r.default_strategy.iter().map(|item| item.capacity_provider.clone()).collect();
            self.apply(Command::PutClusterCapacityProviders {
                cluster: r.cluster_name.clone(),
                capacity_providers: r.capacity_providers.clone(),
                default_strategy: strategy,
            })?;
        }
        self.clusters
            .insert(r.cluster_name.clone(), Box::new(ClusterExtras { strategy: r.default_strategy.clone() }));
        let arn = self.arns.cluster(&r.cluster_name);
        self.set_tags(&arn, &r.tags);
        Ok(json!({ "cluster": self.render_cluster(&r.cluster_name) }))
    }

    pub(crate) fn delete_cluster(&mut self, r: ClusterTarget) -> Result<Value, AwsError> {
        self.active_cluster(&r.cluster)?;
        self.apply(Command::DeleteCluster { cluster: r.cluster.clone() })?;
        Ok(json!({ "cluster": self.render_cluster(&r.cluster) }))
    }

    pub(crate) fn describe_clusters(&mut self, r: DescribeClusters) -> Result<Value, AwsError> {
        let mut clusters = Vec::new();
        let mut failures = Vec::new();
        for name in &r.clusters {
            match self.sim.cluster(name) {
                Some(_) => clusters.push(self.render_cluster(name)),
                None => failures.push(missing_failure(&self.arns.cluster(name))),
            }
        }
        Ok(json!({ "clusters": clusters, "failures": failures }))
    }

    fn render_provider(&self, name: &str) -> Value {
        match self.sim.capacity_provider(name) {
            Some(provider) => {
                let extras = self.providers.get(name);
                shapes::capacity_provider(
                    provider,
                    extras.map(|e| &e.document),
                    self.tags_json(&provider.arn),
                )
            }
            None => Value::Null,
        }
    }

    pub(crate) fn create_capacity_provider(&mut self, r: CreateCapacityProvider) -> Result<Value, AwsError> {
        let managed = &r.managed_instances;
        self.active_cluster(&r.cluster)?;
        if self.neighbours.iam.role(&managed.infrastructure_role).is_none() {
            return Err(AwsError::invalid_parameter(format!(
                "managedInstancesProvider.infrastructureRoleArn: the role {} does not exist or cannot be assumed by ECS.",
                managed.infrastructure_role_arn
            )));
        }
        if self.neighbours.iam.instance_profile(&managed.instance_profile).is_none() {
            return Err(AwsError::invalid_parameter(format!(
                "managedInstancesProvider.instanceLaunchTemplate.ec2InstanceProfileArn: the instance profile {} does not exist.",
                managed.instance_profile_arn
            )));
        }
        let ready = self.neighbours.iam.instance_role_check(&managed.instance_profile).is_ready();
        let (vcpu, memory) = requirement_ranges(managed.instance_requirements.as_ref());
        let command = engine::command::CreateCapacityProvider {
            name: r.name.clone(),
            cluster: r.cluster.clone(),
            vcpu_min: vcpu.0,
            vcpu_max: vcpu.1,
            memory_min_mib: memory.0,
            memory_max_mib: memory.1,
            min_instances: None,
            max_instances: None,
            instance_profile_ready: ready,
            scale_in_after_s: managed.scale_in_after_seconds,
            auto_repair: managed.auto_repair,
        };
        self.apply(Command::CreateCapacityProvider(command))?;
        self.providers.insert(
            r.name.clone(),
            Box::new(ProviderExtras {
                instance_profile: managed.instance_profile.clone(),
                document: managed.definition.clone(),
            }),
        );
        let arn = self.arns.capacity_provider(&r.name);
        self.set_tags(&arn, &r.tags);
        Ok(json!({ "capacityProvider": self.render_provider(&r.name) }))
    }

    /// UpdateCapacityProvider of a Managed Instances provider. Like AWS, changes concern the
    /// instances launched from now on (scaleInAfter, propagateTags, the instance profile), with
    /// one exception: auto repair is an action ECS takes on the provider's running instances, so
    /// switching it on repairs those it held (see `engine` `set_auto_repair`). Changing the
    /// instance requirements would change the size of new instances, which the simulator does not
    /// model for an existing provider: refused as unsupported, naming the member.
    pub(crate) fn update_capacity_provider(&mut self, r: UpdateCapacityProvider) -> Result<Value, AwsError> {
        let provider = self.sim.capacity_provider(&r.name).ok_or_else(|| {
            AwsError::client(format!("The specified capacity provider {} does not exist.", r.name))
        })?;
        if let Some(cluster) = &r.cluster {
            self.active_cluster(cluster)?;
            if &provider.cluster != cluster {
                return Err(AwsError::client(format!(
                    "The specified capacity provider {} does not belong to cluster {cluster}.",
                    r.name
                )));
            }
        }
        if let Some(requirements) = &r.instance_requirements {
            if requirement_ranges(Some(requirements)) != (provider.vcpu_range, provider.memory_range) {
                return Err(AwsError::unsupported_feature(
                    "managedInstancesProvider.instanceLaunchTemplate.instanceRequirements: changing the instance requirements of an existing capacity provider is not simulated.",
                ));
            }
        }
        if self.neighbours.iam.role(&r.infrastructure_role).is_none() {
            return Err(AwsError::invalid_parameter(format!(
                "managedInstancesProvider.infrastructureRoleArn: the role {} does not exist or cannot be assumed by ECS.",
                r.infrastructure_role_arn
            )));
        }
        if let Some((profile, arn)) = &r.instance_profile {
            if self.neighbours.iam.instance_profile(profile).is_none() {
                return Err(AwsError::invalid_parameter(format!(
                    "managedInstancesProvider.instanceLaunchTemplate.ec2InstanceProfileArn: the instance profile {arn} does not exist."
                )));
            }
        }
        self.apply(Command::UpdateCapacityProvider(engine::command::UpdateCapacityProvider {
            name: r.name.clone(),
            scale_in_after_s: r.scale_in_after_seconds,
            auto_repair: r.auto_repair,
        }))?;
        if let Some((profile, _)) = &r.instance_profile {
            let ready = self.neighbours.iam.instance_role_check(profile).is_ready();
            self.apply(Command::SetInstanceProfileReady { capacity_provider: r.name.clone(), ready })?;
        }
        if let Some(extras) = self.providers.get_mut(&r.name) {
            if let Some((profile, _)) = &r.instance_profile {
                extras.instance_profile = profile.clone();
            }
            merge_provider_document(&mut extras.document, &r.definition);
        }
        Ok(json!({ "capacityProvider": self.render_provider(&r.name) }))
    }

    pub(crate) fn delete_capacity_provider(&mut self, r: DeleteCapacityProvider) -> Result<Value, AwsError> {
        if self.sim.capacity_provider(&r.name).is_none() {
            return Err(AwsError::client(format!(
                "The specified capacity provider {} does not exist.",
                r.name
            )));
        }
        // DeleteCapacityProvider models no ResourceInUseException: a provider still in use is a
        // ClientException there (PutClusterCapacityProviders is where ResourceInUse applies).
        self.apply(Command::DeleteCapacityProvider { name: r.name.clone() }).map_err(|error| {
            if error.error_type == "ResourceInUseException" {
                AwsError::client(error.message)
            } else {
                error
            }
        })?;
        Ok(json!({ "capacityProvider": self.render_provider(&r.name) }))
    }

    pub(crate) fn describe_capacity_providers(
        &mut self,
        r: DescribeCapacityProviders,
    ) -> Result<Value, AwsError> {
        let mut failures = Vec::new();
        let names: Vec<String> = if r.capacity_providers.is_empty() {
            self.sim
                .capacity_providers()
                .filter(|cp| r.cluster.as_ref().is_none_or(|cluster| &cp.cluster == cluster))
                .map(|cp| cp.name.clone())
                .collect()
        } else {
            let mut names = Vec::new();
            for name in &r.capacity_providers {
                if self.sim.capacity_provider(name).is_some() {
                    names.push(name.clone());
                } else {
                    failures.push(missing_failure(&self.arns.capacity_provider(name)));
                }
            }
            names
        };
        let items: Vec<Value> = names.iter().map(|name| self.render_provider(name)).collect();
        let mut body = page_response("capacityProviders", items, r.start, r.max_results);
        body["failures"] = Value::Array(failures);
        Ok(body)
    }

    pub(crate) fn put_cluster_capacity_providers(
        &mut self,
        r: PutClusterCapacityProviders,
    ) -> Result<Value, AwsError> {
        self.active_cluster(&r.cluster)?;
        let strategy: Vec<String> =
            r.default_strategy.iter().map(|item| item.capacity_provider.clone()).collect();
        self.apply(Command::PutClusterCapacityProviders {
            cluster: r.cluster.clone(),
            capacity_providers: r.capacity_providers.clone(),
            default_strategy: strategy,
        })?;
        self.clusters.entry(r.cluster.clone()).or_default().strategy = r.default_strategy.clone();
        Ok(json!({ "cluster": self.render_cluster(&r.cluster) }))
    }

    // ----- task definitions, services, tasks ---------------------------------------------------

    pub(crate) fn register_task_definition(&mut self, r: RegisterTaskDefinition) -> Result<Value, AwsError> {
        let containers: Vec<Value> =
            r.container_definitions.iter().map(|c| c.container.definition.clone()).collect();
        let mut input = json!({"family": r.family});
        if let Some(mode) = &r.network_mode {
            input["networkMode"] = json!(mode);
        }
        if !r.requires_compatibilities.is_empty() {
            input["requiresCompatibilities"] = json!(r.requires_compatibilities);
        }
        for (key, value) in [("taskRoleArn", &r.task_role_arn), ("executionRoleArn", &r.execution_role_arn)] {
            if let Some(value) = value {
                input[key] = json!(value);
            }
        }
        if let Some(cpu) = r.cpu {
            input["cpu"] = json!(cpu.to_string());
        }
        if let Some(memory) = r.memory {
            input["memory"] = json!(memory.to_string());
        }
        let command = engine::command::RegisterTaskDefinition {
            family: r.family.clone(),
            cpu: r.cpu,
            memory: r.memory,
            containers: r.container_definitions.iter().map(|c| container_spec(&c.container)).collect(),
            document: document(input, containers),
        };
        let arn = match self.apply(Command::RegisterTaskDefinition(command))? {
            Outcome::TaskDefinition { arn } => arn,
            other => return Err(AwsError::server(format!("unexpected engine outcome {other:?}"))),
        };
        let definition = self
            .sim
            .task_definition(&arn)
            .ok_or_else(|| AwsError::server(format!("task definition {arn} vanished")))?;
        let mut body = json!({ "taskDefinition": shapes::task_definition(&self.arns, definition) });
        if !r.tags.is_empty() {
            body["tags"] = tags_json(&r.tags);
        }
        self.set_tags(&arn, &r.tags);
        Ok(body)
    }

    /// The one capacity provider the engine places a service or RunTask on: the strategy item
    /// with the highest weight (ties: the first), or the cluster default when none is given.
    fn placement_provider(
        strategy: &[StrategyItem],
        launch_type: &Option<String>,
    ) -> Result<Option<String>, AwsError> {
        if let Some(launch_type) = launch_type {
            if launch_type != "MANAGED_INSTANCES" {
                return Err(AwsError::invalid_parameter(format!(
                    "launchType {launch_type}: this simulator places tasks on Managed Instances capacity providers only."
                )));
            }
        }
        let mut best: Option<&StrategyItem> = None;
        for item in strategy {
            if best.is_none_or(|b| item.weight > b.weight) {
                best = Some(item);
            }
        }
        Ok(best.map(|item| item.capacity_provider.clone()))
    }

    fn render_service(&self, cluster: &str, name: &str) -> Value {
        match self.sim.service(cluster, name) {
            Some(service) => shapes::service(
                &self.sim,
                service,
                &self.service_extras(cluster, name),
                self.tags_json(&service.arn),
            ),
            None => Value::Null,
        }
    }

    pub(crate) fn create_service(&mut self, r: CreateService) -> Result<Value, AwsError> {
        self.active_cluster(&r.cluster)?;
        let provider = Self::placement_provider(&r.capacity_provider_strategy, &r.launch_type)?;
        let command = engine::command::CreateService {
            cluster: r.cluster.clone(),
            service_name: r.service_name.clone(),
            task_definition: family_revision(&r.task_definition),
            desired_count: r.desired_count,
            capacity_provider: provider,
            minimum_healthy_percent: r.deployment_configuration.minimum_healthy_percent,
            maximum_percent: r.deployment_configuration.maximum_percent,
        };
        self.apply(Command::CreateService(command))?;
        self.services.insert(
            (r.cluster.clone(), r.service_name.clone()),
            Box::new(ServiceExtras {
                strategy: r.capacity_provider_strategy.clone(),
                launch_type: r.launch_type.clone(),
                network: r.network.clone(),
                enable_execute_command: r.enable_execute_command,
                propagate_tags: r.propagate_tags.clone(),
            }),
        );
        let arn = self.arns.service(&r.cluster, &r.service_name);
        self.set_tags(&arn, &r.tags);
        Ok(json!({ "service": self.render_service(&r.cluster, &r.service_name) }))
    }

    fn service_or_error(&self, cluster: &str, name: &str) -> Result<&engine::Service, AwsError> {
        self.active_cluster(cluster)?;
        self.sim
            .service(cluster, name)
            .filter(|service| service.status != ServiceStatus::Inactive)
            .ok_or_else(|| AwsError::new("ServiceNotFoundException", format!("Service not found: {name}.")))
    }

    pub(crate) fn update_service(&mut self, r: UpdateService) -> Result<Value, AwsError> {
        let service = self.service_or_error(&r.cluster, &r.service)?;
        if service.status != ServiceStatus::Active {
            return Err(AwsError::new(
                "ServiceNotActiveException",
                format!("Service {} is {}.", r.service, service.status),
            ));
        }
        // A new task definition, or new deploymentConfiguration percentages, is a service
        // deployment (the engine checks the reference); the same task definition again changes
        // nothing.
        let new_definition = r.task_definition.as_ref().map(family_revision).filter(|reference| {
            self.sim.task_definition(reference).map(|d| d.arn.clone()).as_deref()
                != Some(&*service.task_definition)
        });
        let (minimum, maximum) = r
            .deployment_configuration
            .as_ref()
            .map(|c| (c.minimum_healthy_percent, c.maximum_percent))
            .unwrap_or((None, None));
        let deployment = (new_definition.is_some() || minimum.is_some() || maximum.is_some()).then(|| {
            engine::command::DeployService {
                cluster: r.cluster.clone(),
                service: r.service.clone(),
                task_definition: new_definition,
                minimum_healthy_percent: minimum,
                maximum_percent: maximum,
            }
        });
        if let Some(strategy) = &r.capacity_provider_strategy {
            let provider = Self::placement_provider(strategy, &None)?;
            if provider.as_deref().is_some_and(|p| p != service.capacity_provider) {
                return Err(AwsError::unsupported_feature(
                    "capacityProviderStrategy: moving a service to another capacity provider is not simulated.",
                ));
            }
        }
        // The deployment first: it is the part that can be refused (an unknown or inactive task
        // definition, percentages out of order), and a refused request changes nothing.
        if let Some(deployment) = deployment {
            self.apply(Command::DeployService(deployment))?;
        }
        self.apply(Command::UpdateService {
            cluster: r.cluster.clone(),
            service: r.service.clone(),
            desired_count: r.desired_count,
        })?;
        let key = (r.cluster.clone(), r.service.clone());
        let extras = self.services.entry(key).or_default();
        if let Some(flag) = r.enable_execute_command {
            extras.enable_execute_command = flag;
        }
        if let Some(network) = r.network {
            extras.network = Some(network);
        }
        Ok(json!({ "service": self.render_service(&r.cluster, &r.service) }))
    }

    pub(crate) fn delete_service(&mut self, r: DeleteService) -> Result<Value, AwsError> {
        self.service_or_error(&r.cluster, &r.service)?;
        self.apply(Command::DeleteService {
            cluster: r.cluster.clone(),
            service: r.service.clone(),
            force: r.force,
        })?;
        Ok(json!({ "service": self.render_service(&r.cluster, &r.service) }))
    }

    pub(crate) fn describe_services(&mut self, r: DescribeServices) -> Result<Value, AwsError> {
        self.active_cluster(&r.cluster)?;
        let mut services = Vec::new();
        let mut failures = Vec::new();
        for name in &r.services {
            match self.sim.service(&r.cluster, name) {
                Some(_) => services.push(self.render_service(&r.cluster, name)),
                None => failures.push(missing_failure(&self.arns.service(&r.cluster, name))),
            }
        }
        Ok(json!({ "services": services, "failures": failures }))
    }

    pub(crate) fn list_services(&mut self, r: ListServices) -> Result<Value, AwsError> {
        self.active_cluster(&r.cluster)?;
        let launch_type_matches = r.launch_type.as_deref().is_none_or(|t| t == "MANAGED_INSTANCES");
        let strategy_matches = r.scheduling_strategy.as_deref().is_none_or(|s| s == "REPLICA");
        let items: Vec<Value> = self
            .sim
            .services(&r.cluster)
            .filter(|service| {
                service.status != ServiceStatus::Inactive && launch_type_matches && strategy_matches
            })
            .map(|service| json!(&*service.arn))
            .collect();
        Ok(page_response("serviceArns", items, r.start, r.max_results))
    }

    fn task_exec_flag(&self, task: &engine::Task) -> bool {
        match task.owner {
            engine::TaskOwner::Daemon { revision, .. } => {
                self.sim.revision(revision).is_some_and(|r| r.enable_execute_command)
            }
            engine::TaskOwner::Service(key) => self.sim.service_by_key(key).is_some_and(|service| {
                self.service_extras(&service.cluster, &service.name).enable_execute_command
            }),
        }
    }

    fn render_task(&self, task: &engine::Task) -> Value {
        shapes::task(&self.sim, task, self.task_exec_flag(task))
    }

    pub(crate) fn run_task(&mut self, r: RunTask) -> Result<Value, AwsError> {
        self.active_cluster(&r.cluster)?;
        let provider = Self::placement_provider(&r.capacity_provider_strategy, &r.launch_type)?;
        let command = engine::command::RunTask {
            cluster: r.cluster.clone(),
            task_definition: family_revision(&r.task_definition),
            count: r.count,
            capacity_provider: provider,
            group: r.group.clone(),
            started_by: r.started_by.clone(),
        };
        let arns = match self.apply(Command::RunTask(command))? {
            Outcome::Tasks { arns } => arns,
            _ => Vec::new(),
        };
        let tasks: Vec<Value> =
            arns.iter().filter_map(|arn| self.sim.task(arn)).map(|t| self.render_task(t)).collect();
        Ok(json!({ "tasks": tasks, "failures": [] }))
    }

    pub(crate) fn stop_task(&mut self, r: StopTask) -> Result<Value, AwsError> {
        self.active_cluster(&r.cluster)?;
        let exists = self.sim.task(&r.task).is_some_and(|task| task.cluster == r.cluster);
        if !exists {
            return Err(AwsError::invalid_parameter(format!(
                "The referenced task was not found: {}.",
                r.task
            )));
        }
        self.apply(Command::StopTask {
            cluster: r.cluster.clone(),
            task: r.task.clone(),
            reason: r.reason.clone(),
        })?;
        let task = self.sim.task(&r.task).map(|task| self.render_task(task)).unwrap_or(Value::Null);
        Ok(json!({ "task": task }))
    }

    pub(crate) fn list_tasks(&mut self, r: ListTasks) -> Result<Value, AwsError> {
        self.active_cluster(&r.cluster)?;
        let desired = r.desired_status.as_deref().unwrap_or("RUNNING");
        let launch_type_matches = r.launch_type.as_deref().is_none_or(|t| t == "MANAGED_INSTANCES");
        let items: Vec<Value> = self
            .sim
            .tasks(&r.cluster)
            .filter(|task| task.desired_status.as_str() == desired && launch_type_matches)
            .filter(|task| {
                r.container_instance
                    .as_ref()
                    .is_none_or(|id| task.container_instance_arn.rsplit('/').next() == Some(id))
            })
            .filter(|task| {
                r.family.as_ref().is_none_or(|family| {
                    let definition = task.task_definition.rsplit('/').next().unwrap_or("");
                    definition.split(':').next() == Some(family.as_str())
                })
            })
            .filter(|task| {
                r.service_name.as_ref().is_none_or(|name| *task.group == *format!("service:{name}"))
            })
            .filter(|task| {
                r.daemon_name
                    .as_ref()
                    .is_none_or(|name| self.sim.task_daemon_name(task) == Some(name.as_str()))
            })
            .filter(|task| r.started_by.as_ref().is_none_or(|by| *task.started_by == **by))
            .map(|task| json!(&*task.arn))
            .collect();
        Ok(page_response("taskArns", items, r.start, r.max_results))
    }

    pub(crate) fn describe_tasks(&mut self, r: DescribeTasks) -> Result<Value, AwsError> {
        self.active_cluster(&r.cluster)?;
        let mut tasks = Vec::new();
        let mut failures = Vec::new();
        for (text, id) in &r.tasks {
            match self.sim.task(id).filter(|task| task.cluster == r.cluster) {
                Some(task) => tasks.push(self.render_task(task)),
                None => {
                    let arn =
                        if text.starts_with("arn:") { text.clone() } else { self.arns.task(&r.cluster, id) };
                    failures.push(missing_failure(&arn));
                }
            }
        }
        Ok(json!({ "tasks": tasks, "failures": failures }))
    }

    pub(crate) fn list_container_instances(&mut self, r: ListContainerInstances) -> Result<Value, AwsError> {
        self.active_cluster(&r.cluster)?;
        let items: Vec<Value> = self
            .sim
            .container_instances(&r.cluster)
            .filter(|instance| r.status.as_deref().is_none_or(|status| instance.status_str() == status))
            .map(|instance| json!(&*instance.arn))
            .collect();
        Ok(page_response("containerInstanceArns", items, r.start, r.max_results))
    }

    pub(crate) fn describe_container_instances(
        &mut self,
        r: DescribeContainerInstances,
    ) -> Result<Value, AwsError> {
        self.active_cluster(&r.cluster)?;
        let with_health = r.include.iter().any(|item| item == "CONTAINER_INSTANCE_HEALTH");
        let mut instances = Vec::new();
        let mut failures = Vec::new();
        for (text, id) in &r.container_instances {
            match self.sim.container_instance(id).filter(|instance| instance.cluster == r.cluster) {
                Some(instance) => {
                    instances.push(shapes::container_instance(&self.sim, instance, with_health))
                }
                None => {
                    let arn = if text.starts_with("arn:") {
                        text.clone()
                    } else {
                        self.arns.container_instance(&r.cluster, id)
                    };
                    failures.push(missing_failure(&arn));
                }
            }
        }
        Ok(json!({ "containerInstances": instances, "failures": failures }))
    }

    pub(crate) fn update_container_instances_state(
        &mut self,
        r: UpdateContainerInstancesState,
    ) -> Result<Value, AwsError> {
        self.active_cluster(&r.cluster)?;
        // Unknown instances are reported in `failures`, as ECS does; the known ones change.
        let mut ids = Vec::new();
        let mut failures = Vec::new();
        for (text, id) in &r.container_instances {
            let known = self
                .sim
                .container_instance(id)
                .is_some_and(|instance| instance.cluster == r.cluster && instance.status_str() != "INACTIVE");
            if known {
                ids.push(id.clone());
            } else {
                let arn = if text.starts_with("arn:") {
                    text.clone()
                } else {
                    self.arns.container_instance(&r.cluster, id)
                };
                failures.push(missing_failure(&arn));
            }
        }
        if ids.is_empty() {
            return Ok(json!({ "containerInstances": [], "failures": failures }));
        }
        let arns = match self.apply(Command::UpdateContainerInstancesState {
            cluster: r.cluster.clone(),
            container_instances: ids,
            status: r.status.clone(),
        })? {
            Outcome::ContainerInstances { arns } => arns,
            _ => Vec::new(),
        };
        let instances: Vec<Value> = arns
            .iter()
            .filter_map(|arn| self.sim.container_instance(arn))
            .map(|instance| shapes::container_instance(&self.sim, instance, false))
            .collect();
        Ok(json!({ "containerInstances": instances, "failures": failures }))
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

/// The vCPU and memory ranges an `instanceRequirements` asks for (unbounded when absent).
fn requirement_ranges(requirements: Option<&InstanceRequirements>) -> ((u32, u32), (u32, u32)) {
    match requirements {
        Some(req) => (
            (req.vcpu_min, req.vcpu_max.unwrap_or(u32::MAX)),
            (req.memory_mib_min, req.memory_mib_max.unwrap_or(u32::MAX)),
        ),
        None => ((1, u32::MAX), (1, u32::MAX)),
    }
}

/// The `managedInstancesProvider` DescribeCapacityProviders echoes, after an update: each member
/// sent replaces the one kept, and `instanceLaunchTemplate` member by member (its update shape
/// lacks some members of the created one, which stay).
fn merge_provider_document(document: &mut Value, update: &Value) {
    let (Value::Object(kept), Value::Object(sent)) = (document, update) else { return };
    for (key, value) in sent {
        match (key.as_str(), kept.get_mut(key), value) {
            ("instanceLaunchTemplate", Some(Value::Object(template)), Value::Object(changes)) => {
                for (member, value) in changes {
                    template.insert(member.clone(), value.clone());
                }
            }
            _ => {
                kept.insert(key.clone(), value.clone());
            }
        }
    }
}
