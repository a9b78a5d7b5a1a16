//! The ordinary ECS workloads beside daemons: task definitions, services and tasks, placed on one
//! capacity provider each. Separate from the daemon actions because they share no rules with
//! them beyond the cluster they run in.

use super::{container_spec, document, family_revision, missing_failure, page_response};
use crate::api::dispatch::Api;
use crate::api::request::*;
use crate::api::shapes::{self, tags_json, ServiceExtras};
use crate::api::AwsError;
use crate::engine::{self, Command, Outcome, ServiceStatus};
use crate::support::json::json;
use serde_json::Value;

impl Api {
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
    pub(super) fn placement_provider(
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

    pub(super) fn render_service(&self, cluster: &str, name: &str) -> Value {
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

    pub(super) fn service_or_error(&self, cluster: &str, name: &str) -> Result<&engine::Service, AwsError> {
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

    pub(super) fn task_exec_flag(&self, task: &engine::Task) -> bool {
        match task.owner {
            engine::TaskOwner::Daemon { revision, .. } => {
                self.sim.revision(revision).is_some_and(|r| r.enable_execute_command)
            }
            engine::TaskOwner::Service(key) => self.sim.service_by_key(key).is_some_and(|service| {
                self.service_extras(&service.cluster, &service.name).enable_execute_command
            }),
        }
    }

    pub(super) fn render_task(&self, task: &engine::Task) -> Value {
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
}
