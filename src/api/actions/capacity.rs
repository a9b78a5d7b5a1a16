//! Where daemons run: clusters, Managed Instances capacity providers and their container
//! instances. Separate from daemons and services because a provider's IAM checks, instance
//! requirements and partial updates are rules of their own.

use super::{missing_failure, page_response};
use crate::api::dispatch::{Api, ClusterExtras, ProviderExtras};
use crate::api::request::*;
use crate::api::shapes::{self};
use crate::api::AwsError;
use crate::engine::{self, ClusterStatus, Command, Outcome};
use crate::support::json::json;
use serde_json::Value;

impl Api {
    pub(super) fn render_cluster(&self, name: &str) -> Value {
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

    pub(super) fn render_provider(&self, name: &str) -> Value {
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
}

/// The vCPU and memory ranges an `instanceRequirements` asks for (unbounded when absent).
pub(super) fn requirement_ranges(requirements: Option<&InstanceRequirements>) -> ((u32, u32), (u32, u32)) {
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
pub(super) fn merge_provider_document(document: &mut Value, update: &Value) {
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
