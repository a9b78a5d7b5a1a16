//! Requests about what runs: task definitions, services and tasks, with their launch type or
//! capacity provider strategy and network configuration. Separate from capacity because the two
//! share only the cluster they name.

use super::{include_list, u32_of, StrategyItem, LAUNCH_TYPES};
use crate::api::arn::{ClusterScoped, RevisionRef};
use crate::api::input::{missing, required, Members};
use crate::api::request::daemon::{
    container_definition, parse_task_cpu, parse_task_memory, DaemonContainerDefinition,
};
use crate::api::request::{next_token, tags_member, Decoder};
use crate::api::validate::{self, Tag};
use crate::api::AwsError;
use serde_json::Value;

/// `networkConfiguration.awsvpcConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsVpcConfiguration {
    /// `subnets`: 1–16 subnet ids the task's network interface may use.
    pub subnets: Vec<String>,
    /// `securityGroups`: up to 5 security group ids.
    pub security_groups: Vec<String>,
    /// `assignPublicIp`: `ENABLED` or `DISABLED`; DISABLED when absent.
    pub assign_public_ip: Option<String>,
}

/// A container of an application task definition: the daemon container members plus ports.
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerDefinition {
    /// The members shared with daemon containers.
    pub container: DaemonContainerDefinition,
    /// `portMappings[].containerPort`: the ports the container listens on.
    pub container_ports: Vec<u32>,
}

/// RegisterTaskDefinition: the next revision of an application task definition family.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterTaskDefinition {
    /// `family`: up to 255 letters, digits, `_` and `-`.
    pub family: String,
    /// `containerDefinitions`: 1–10 containers with unique names, at least one essential.
    pub container_definitions: Vec<ContainerDefinition>,
    /// `networkMode`: `bridge`, `host`, `awsvpc` or `none`.
    pub network_mode: Option<String>,
    /// `requiresCompatibilities`: the launch types the revision is validated for (`EC2`, `FARGATE`,
    /// `EXTERNAL`, `MANAGED_INSTANCES`).
    pub requires_compatibilities: Vec<String>,
    /// `cpu`: task-level CPU units (`"256"`, or `"0.25 vCPU"` normalised to 256).
    pub cpu: Option<u32>,
    /// `memory`: task-level memory in MiB (`"512"`, or `"1 GB"` normalised to 1024).
    pub memory: Option<u32>,
    /// `taskRoleArn`: the IAM role the task's containers assume.
    pub task_role_arn: Option<String>,
    /// `executionRoleArn`: the role the ECS agent uses to pull images and send logs.
    pub execution_role_arn: Option<String>,
    /// `tags`: up to 50 key/value tags on the revision.
    pub tags: Vec<Tag>,
}

/// A service's `deploymentConfiguration`; ECS's defaults for what is absent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceDeploymentConfiguration {
    /// `maximumPercent`: the most tasks, as a percentage of `desiredCount`, during a deployment, 100–2000;
    /// 200 when absent.
    pub maximum_percent: Option<u32>,
    /// `minimumHealthyPercent`: the fewest healthy tasks, as a percentage of `desiredCount`, during a
    /// deployment, 0–100; 100 when absent.
    pub minimum_healthy_percent: Option<u32>,
    /// `deploymentCircuitBreaker` as (`enable`, `rollback`); off when absent.
    pub circuit_breaker: Option<(bool, bool)>,
}

/// CreateService: a replica service keeping `desiredCount` tasks of one revision running.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateService {
    /// `cluster` as a cluster name; `default` when absent.
    pub cluster: String,
    /// `serviceName`: unique in the cluster, up to 255 letters, digits, `_` and `-`.
    pub service_name: String,
    /// `taskDefinition`: `family`, `family:revision` or the revision's ARN.
    pub task_definition: RevisionRef,
    /// `desiredCount`: tasks to keep running, 0–100000.
    pub desired_count: u32,
    /// `capacityProviderStrategy`: where tasks go; the cluster's default strategy when empty and no
    /// `launchType` is given.
    pub capacity_provider_strategy: Vec<StrategyItem>,
    /// `launchType`: `EC2`, `FARGATE`, `EXTERNAL` or `MANAGED_INSTANCES`; exclusive with a strategy.
    pub launch_type: Option<String>,
    /// `networkConfiguration.awsvpcConfiguration`, for `awsvpc` task definitions.
    pub network: Option<AwsVpcConfiguration>,
    /// `deploymentConfiguration`: how the service replaces its tasks.
    pub deployment_configuration: ServiceDeploymentConfiguration,
    /// `enableExecuteCommand`: allow ECS Exec into the tasks; false when absent.
    pub enable_execute_command: bool,
    /// `propagateTags`: `TASK_DEFINITION`, `SERVICE` or `NONE`; not propagated when absent.
    pub propagate_tags: Option<String>,
    /// `tags`: up to 50 key/value tags on the service.
    pub tags: Vec<Tag>,
    /// `clientToken`: an idempotency token of up to 36 printable ASCII characters.
    pub client_token: Option<String>,
}

/// UpdateService: changes only what is given.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateService {
    /// `cluster` as a cluster name; `default` when absent.
    pub cluster: String,
    /// `service`: the service's name or ARN.
    pub service: String,
    /// `desiredCount`: the new task count, 0–100000; unchanged when absent.
    pub desired_count: Option<u32>,
    /// `taskDefinition`: the revision to deploy; unchanged when absent.
    pub task_definition: Option<RevisionRef>,
    /// `capacityProviderStrategy`: the new strategy; unchanged when absent.
    pub capacity_provider_strategy: Option<Vec<StrategyItem>>,
    /// `networkConfiguration.awsvpcConfiguration`: the new network settings; unchanged when absent.
    pub network: Option<AwsVpcConfiguration>,
    /// `deploymentConfiguration`: the new deployment settings; unchanged when absent.
    pub deployment_configuration: Option<ServiceDeploymentConfiguration>,
    /// `forceNewDeployment`: replace every task even when nothing else changed; false when absent.
    pub force_new_deployment: bool,
    /// `enableExecuteCommand`; unchanged when absent.
    pub enable_execute_command: Option<bool>,
}

/// DeleteService: a service to delete.
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteService {
    /// `cluster` as a cluster name; `default` when absent.
    pub cluster: String,
    /// `service`: the service's name or ARN.
    pub service: String,
    /// `force`: delete even while `desiredCount` is above 0; false when absent.
    pub force: bool,
}

/// DescribeServices: up to 10 services of one cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct DescribeServices {
    /// `cluster` as a cluster name; `default` when absent.
    pub cluster: String,
    /// `services`: service names (ARNs are reduced to names).
    pub services: Vec<String>,
    /// `include: ["TAGS"]`: also return the services' tags.
    pub include: Vec<String>,
}

/// ListServices: a cluster's service ARNs, one page at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct ListServices {
    /// `cluster` as a cluster name; `default` when absent.
    pub cluster: String,
    /// `launchType`: only services of this launch type.
    pub launch_type: Option<String>,
    /// `schedulingStrategy`: only `REPLICA` or only `DAEMON` services.
    pub scheduling_strategy: Option<String>,
    /// The offset in the result list that `nextToken` encodes; 0 when absent.
    pub start: usize,
    /// `maxResults`: 1–100 entries per page; 10 when absent.
    pub max_results: usize,
}

/// RunTask: standalone tasks of one revision.
#[derive(Debug, Clone, PartialEq)]
pub struct RunTask {
    /// `cluster` as a cluster name; `default` when absent.
    pub cluster: String,
    /// `taskDefinition`: `family`, `family:revision` or the revision's ARN.
    pub task_definition: RevisionRef,
    /// `count`: tasks to start, 1–10; 1 when absent.
    pub count: u32,
    /// `capacityProviderStrategy`: where tasks go; the cluster's default strategy when empty and no
    /// `launchType` is given.
    pub capacity_provider_strategy: Vec<StrategyItem>,
    /// `launchType`: `EC2`, `FARGATE`, `EXTERNAL` or `MANAGED_INSTANCES`; exclusive with a strategy.
    pub launch_type: Option<String>,
    /// `networkConfiguration.awsvpcConfiguration`, for `awsvpc` task definitions.
    pub network: Option<AwsVpcConfiguration>,
    /// `group`: the task group name, 1–255 characters; `family:FAMILY` when absent.
    pub group: Option<String>,
    /// `startedBy`: who started the tasks, 1–128 letters, digits, `_`, `-` and `/`.
    pub started_by: Option<String>,
    /// `tags`: up to 50 key/value tags on each task.
    pub tags: Vec<Tag>,
    /// `enableExecuteCommand`: allow ECS Exec into the tasks; false when absent.
    pub enable_execute_command: bool,
}

/// StopTask: one task to stop.
#[derive(Debug, Clone, PartialEq)]
pub struct StopTask {
    /// `cluster` as a cluster name; `default` when absent.
    pub cluster: String,
    /// `task`: the task's id or ARN.
    pub task: String,
    /// `reason`: shown as the task's `stoppedReason`; up to 255 characters.
    pub reason: Option<String>,
}

/// ListTasks: a cluster's task ARNs, filtered, one page at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct ListTasks {
    /// `cluster` as a cluster name; `default` when absent.
    pub cluster: String,
    /// `containerInstance`: only tasks on this instance (id or ARN).
    pub container_instance: Option<String>,
    /// `family`: only tasks of this task definition family.
    pub family: Option<String>,
    /// `serviceName`: only tasks of this service.
    pub service_name: Option<String>,
    /// `daemonName`: only tasks of this daemon.
    pub daemon_name: Option<String>,
    /// `startedBy`: only tasks started with this `startedBy`.
    pub started_by: Option<String>,
    /// `desiredStatus`: `RUNNING` (default), `PENDING` or `STOPPED`.
    pub desired_status: Option<String>,
    /// `launchType`: only tasks of this launch type.
    pub launch_type: Option<String>,
    /// The offset in the result list that `nextToken` encodes; 0 when absent.
    pub start: usize,
    /// `maxResults`: 1–100 entries per page; 100 when absent.
    pub max_results: usize,
}

/// DescribeTasks: up to 100 tasks of one cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct DescribeTasks {
    /// `cluster` as a cluster name; `default` when absent.
    pub cluster: String,
    /// Task ids (from ids or ARNs), with the text as sent for `failures`.
    pub tasks: Vec<(String, String)>,
    /// `include: ["TAGS"]`: also return the tasks' tags.
    pub include: Vec<String>,
}

pub(super) fn awsvpc(members: &Members<'_>) -> Result<Option<AwsVpcConfiguration>, AwsError> {
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

pub(super) fn service_deployment_configuration(
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
    pub(super) fn launch_and_strategy(&self) -> Result<(Option<String>, Vec<StrategyItem>), AwsError> {
        let launch_type = validate::opt_enum(&self.members, "launchType", LAUNCH_TYPES)?;
        let strategy = self.strategy(&self.members, "capacityProviderStrategy")?;
        if launch_type.is_some() && strategy.as_ref().is_some_and(|items| !items.is_empty()) {
            return Err(AwsError::invalid_parameter(
                "Specifying both a launchType and a capacityProviderStrategy is not supported.",
            ));
        }
        Ok((launch_type.map(str::to_string), strategy.unwrap_or_default()))
    }

    pub(in crate::api::request) fn register_task_definition(
        &self,
    ) -> Result<RegisterTaskDefinition, AwsError> {
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

    pub(in crate::api::request) fn create_service(&self) -> Result<CreateService, AwsError> {
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

    pub(super) fn service_member(&self, cluster: &str) -> Result<String, AwsError> {
        let service = self.members.req_str("service")?;
        let scoped = self.arns.service_ref("service", service)?;
        self.same_cluster("service", &scoped, cluster)?;
        Ok(scoped.name)
    }

    pub(super) fn same_cluster(
        &self,
        path: &str,
        scoped: &ClusterScoped,
        cluster: &str,
    ) -> Result<(), AwsError> {
        match &scoped.cluster {
            Some(other) if other != cluster => Err(AwsError::invalid_parameter(format!(
                "{path} belongs to cluster '{other}', but the request names cluster '{cluster}'."
            ))),
            _ => Ok(()),
        }
    }

    pub(in crate::api::request) fn update_service(&self) -> Result<UpdateService, AwsError> {
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

    pub(in crate::api::request) fn delete_service(&self) -> Result<DeleteService, AwsError> {
        let cluster = self.cluster()?;
        let service = self.service_member(&cluster)?;
        Ok(DeleteService { cluster, service, force: self.members.opt_bool("force")?.unwrap_or(false) })
    }

    pub(in crate::api::request) fn describe_services(&self) -> Result<DescribeServices, AwsError> {
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

    pub(in crate::api::request) fn list_services(&self) -> Result<ListServices, AwsError> {
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

    pub(in crate::api::request) fn run_task(&self) -> Result<RunTask, AwsError> {
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

    pub(in crate::api::request) fn stop_task(&self) -> Result<StopTask, AwsError> {
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

    pub(in crate::api::request) fn list_tasks(&self) -> Result<ListTasks, AwsError> {
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

    pub(in crate::api::request) fn describe_tasks(&self) -> Result<DescribeTasks, AwsError> {
        let cluster = self.cluster()?;
        let tasks = self.id_list("tasks", &cluster, 100, true)?;
        Ok(DescribeTasks { cluster, tasks, include: include_list(&self.members, &["TAGS"])? })
    }
}
