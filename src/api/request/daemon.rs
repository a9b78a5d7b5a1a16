//! The twelve daemon actions (AWS API reference: Amazon ECS daemon actions): typed requests decoded and
//! validated.

use super::{cluster_or_default, next_token, tags_member, Decoder};
use crate::api::arn::{DaemonChildRef, DaemonRef, RevisionRef};
use crate::api::input::{required, Members};
use crate::api::render::timestamp_from_seconds;
use crate::api::validate::{self, Tag};
use crate::api::AwsError;
use crate::support::decimal::parse_f64;
use serde_json::Value;

/// `DaemonDeploymentConfiguration` as sent; absent members take their defaults in the engine
/// ([`engine::DeploymentConfig::default`](crate::engine::DeploymentConfig): drainPercent
/// [`DEFAULT_DRAIN_PERCENT`](crate::engine::DEFAULT_DRAIN_PERCENT), bakeTimeInMinutes 0, alarms
/// disabled).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DaemonDeploymentConfiguration {
    /// `drainPercent`: the share of the daemon's container instances drained at once, 0.0–100.0; 25 when
    /// absent.
    pub drain_percent: Option<f64>,
    /// `bakeTimeInMinutes`: how long the deployment keeps watching (alarms included) after the last instance
    /// is replaced, before it turns SUCCESSFUL, 0–1440; 0 when absent.
    pub bake_time_in_minutes: Option<u32>,
    /// `alarms`: the CloudWatch alarms that roll the deployment back when they go to ALARM.
    pub alarms: Option<DaemonAlarmConfiguration>,
}

/// `DaemonAlarmConfiguration`: the alarms watched during a daemon deployment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DaemonAlarmConfiguration {
    /// `alarmNames`: CloudWatch metric alarm names, each of which must exist when the deployment starts.
    pub alarm_names: Vec<String>,
    /// `enable`: whether the alarms are watched at all; false when absent.
    pub enable: bool,
}

/// The container health check; defaults per the model (interval 30, timeout 5, retries 3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthCheck {
    /// `command`: `["CMD", …]` or `["CMD-SHELL", "…"]`, run inside the container.
    pub command: Vec<String>,
    /// `interval`: seconds between checks, 5–300; 30 when absent.
    pub interval_seconds: u32,
    /// `timeout`: seconds one check may take before it counts as failed, 2–60; 5 when absent.
    pub timeout_seconds: u32,
    /// `retries`: consecutive failures before the container is UNHEALTHY, 1–10; 3 when absent.
    pub retries: u32,
    /// `startPeriod`: grace seconds after start during which failures do not count, 0–300; 0 when absent.
    pub start_period_seconds: u32,
}

/// One `DaemonContainerDefinition`: the members the simulation uses, plus the definition as the
/// caller sent it (with `essential` filled in) for DescribeDaemonTaskDefinition to echo.
#[derive(Debug, Clone, PartialEq)]
pub struct DaemonContainerDefinition {
    /// `name`: unique within the task definition, up to 255 letters, digits, `_` and `-`.
    pub name: String,
    /// `image`: the image reference the container runs (`repository:tag` or `@sha256:` digest).
    pub image: String,
    /// `cpu`: container-level CPU units, if reserved.
    pub cpu: Option<u32>,
    /// `memory`: the hard memory limit in MiB; the container is killed above it.
    pub memory: Option<u32>,
    /// `memoryReservation`: the soft memory limit in MiB reserved on the instance.
    pub memory_reservation: Option<u32>,
    /// `essential`: whether the task stops when this container stops; true when absent.
    pub essential: bool,
    /// `healthCheck`: the container's health check, if any.
    pub health_check: Option<HealthCheck>,
    /// The container definition exactly as sent, with `essential` made explicit.
    pub definition: Value,
}

/// `DaemonVolume`: a host bind-mount volume, the only kind a daemon task definition takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaemonVolume {
    /// `name`: what `mountPoints[].sourceVolume` refers to, up to 255 letters, digits, `_` and `-`.
    pub name: String,
    /// `host.sourcePath`: the path on the container instance; Docker picks one when absent.
    pub source_path: Option<String>,
}

/// RegisterDaemonTaskDefinition: a new revision of a daemon task definition family.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterDaemonTaskDefinition {
    /// `family`: the family name, up to 255 letters, digits, `_` and `-`; the revision is the next number in
    /// it.
    pub family: String,
    /// `taskRoleArn`: the IAM role the task's containers assume.
    pub task_role_arn: Option<String>,
    /// `executionRoleArn`: the role the ECS agent uses to pull images and send logs.
    pub execution_role_arn: Option<String>,
    /// Task-level CPU units (`"256"`, or `"0.25 vCPU"` normalised to 256).
    pub cpu: Option<u32>,
    /// Task-level memory in MiB (`"512"`, or `"1 GB"` normalised to 1024).
    pub memory: Option<u32>,
    /// `containerDefinitions`: 1–10 containers with unique names, at least one essential.
    pub container_definitions: Vec<DaemonContainerDefinition>,
    /// `volumes`: the host volumes the containers may mount.
    pub volumes: Vec<DaemonVolume>,
    /// `tags`: up to 50 key/value tags on the task definition.
    pub tags: Vec<Tag>,
    /// `pidMode`: `none` or `shared` between the daemon's containers.
    pub pid_mode: Option<String>,
    /// `ipcMode`: `none` or `shared` between the daemon's containers.
    pub ipc_mode: Option<String>,
}

/// DescribeDaemonTaskDefinition: one revision by `family:revision` or ARN.
#[derive(Debug, Clone, PartialEq)]
pub struct DescribeDaemonTaskDefinition {
    /// `daemonTaskDefinition`: the revision to describe.
    pub daemon_task_definition: RevisionRef,
}

/// ListDaemonTaskDefinitions: revision ARNs filtered by family and status, one page at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct ListDaemonTaskDefinitions {
    /// `familyPrefix`: only families whose name starts with this.
    pub family_prefix: Option<String>,
    /// `family`: only this exact family.
    pub family: Option<String>,
    /// `revision: LAST_REGISTERED`: only the last revision of each family.
    pub last_registered_only: bool,
    /// `ACTIVE` (default), `DELETE_IN_PROGRESS` or `ALL`.
    pub status: String,
    /// `sort: DESC`: family names and revisions in descending order; ascending (`ASC`) when absent.
    pub descending: bool,
    /// The offset in the result list that `nextToken` encodes; 0 when absent.
    pub start: usize,
    /// `maxResults`: 1–100 entries per page; 100 when absent.
    pub max_results: usize,
}

/// DeleteDaemonTaskDefinition: moves one revision to DELETE_IN_PROGRESS.
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteDaemonTaskDefinition {
    /// The family of the revision to delete.
    pub family: String,
    /// The revision number within `family`.
    pub revision: u32,
}

/// CreateDaemon: a daemon on a cluster's capacity providers, deployed by a first deployment.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateDaemon {
    /// `clusterArn` as a cluster name; `default` when absent.
    pub cluster: String,
    /// `daemonName`: unique in the cluster, up to 255 letters, digits, `_` and `-`.
    pub daemon_name: String,
    /// `daemonTaskDefinitionArn`: the daemon task definition revision to run.
    pub daemon_task_definition: RevisionRef,
    /// Capacity provider names (the request may give names or ARNs).
    pub capacity_providers: Vec<String>,
    /// `deploymentConfiguration`: how updates roll out; engine defaults for what is absent.
    pub deployment_configuration: DaemonDeploymentConfiguration,
    /// `tags`: up to 50 key/value tags on the daemon.
    pub tags: Vec<Tag>,
    /// `propagateTags`: `DAEMON` copies the daemon's tags onto its tasks; `NONE` or absent does not.
    pub propagate_tags: Option<String>,
    /// `enableECSManagedTags`: tag tasks with the cluster and daemon names; false when absent.
    pub enable_ecs_managed_tags: bool,
    /// `enableExecuteCommand`: allow ECS Exec into the daemon's tasks; false when absent.
    pub enable_execute_command: bool,
    /// `critical`: an instance stays REGISTERING until this daemon's task runs, and is drained when it fails;
    /// true when absent.
    pub critical: bool,
    /// `clientToken`: an idempotency token of up to 36 printable ASCII characters.
    pub client_token: Option<String>,
}

/// UpdateDaemon: the daemon's full desired configuration, rolled out by a new deployment; anything absent
/// falls back to its default.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateDaemon {
    /// `daemonArn`: the daemon to update.
    pub daemon: DaemonRef,
    /// `daemonTaskDefinitionArn`: the revision the new deployment runs.
    pub daemon_task_definition: RevisionRef,
    /// `capacityProviderArns` as names: where the daemon runs after the update.
    pub capacity_providers: Vec<String>,
    /// `deploymentConfiguration`: how this and later updates roll out.
    pub deployment_configuration: DaemonDeploymentConfiguration,
    /// `propagateTags`: `DAEMON` or `NONE`; not propagated when absent.
    pub propagate_tags: Option<String>,
    /// `enableECSManagedTags`; false when absent.
    pub enable_ecs_managed_tags: bool,
    /// `enableExecuteCommand`; false when absent.
    pub enable_execute_command: bool,
    /// `critical`; true when absent.
    pub critical: bool,
}

/// DescribeDaemon / DeleteDaemon: the one daemon the action is about.
#[derive(Debug, Clone, PartialEq)]
pub struct DaemonTarget {
    /// `daemonArn`: the daemon.
    pub daemon: DaemonRef,
}

/// ListDaemons: daemon ARNs in one cluster, optionally only those on given capacity providers.
#[derive(Debug, Clone, PartialEq)]
pub struct ListDaemons {
    /// `clusterArn` as a cluster name; `default` when absent.
    pub cluster: String,
    /// `capacityProviderArns` as names: only daemons associated with one of these; all when empty.
    pub capacity_providers: Vec<String>,
    /// The offset in the result list that `nextToken` encodes; 0 when absent.
    pub start: usize,
    /// `maxResults`: 1–100 entries per page; 100 when absent.
    pub max_results: usize,
}

/// ListDaemonDeployments: one daemon's deployments, newest first, filtered by status and creation time.
#[derive(Debug, Clone, PartialEq)]
pub struct ListDaemonDeployments {
    /// `daemonArn`: the daemon whose deployments are listed.
    pub daemon: DaemonRef,
    /// `status`: only deployments in one of these [`DEPLOYMENT_STATUSES`]; all when empty.
    pub statuses: Vec<String>,
    /// `createdAt.after` in epoch milliseconds: only deployments created at or after it.
    pub created_after_ms: Option<u64>,
    /// `createdAt.before` in epoch milliseconds: only deployments created at or before it.
    pub created_before_ms: Option<u64>,
    /// The offset in the result list that `nextToken` encodes; 0 when absent.
    pub start: usize,
    /// `maxResults`: 1–100 entries per page; 20 when absent.
    pub max_results: usize,
}

/// DescribeDaemonDeployments / DescribeDaemonRevisions: 1–20 ARNs, each well formed. The ARN text
/// is kept as sent so that unknown ones can be echoed in `failures`.
#[derive(Debug, Clone, PartialEq)]
pub struct DescribeDaemonChildren {
    /// Each ARN as sent, with what it names.
    pub arns: Vec<(String, DaemonChildRef)>,
}

/// The values of `DaemonDeploymentStatus`, in botocore's order.
pub const DEPLOYMENT_STATUSES: &[&str] = &[
    "PENDING",
    "SUCCESSFUL",
    "STOPPED",
    "STOP_REQUESTED",
    "IN_PROGRESS",
    "ROLLBACK_IN_PROGRESS",
    "ROLLBACK_SUCCESSFUL",
    "ROLLBACK_FAILED",
];

const LOG_DRIVERS: &[&str] =
    &["json-file", "syslog", "journald", "gelf", "fluentd", "awslogs", "splunk", "awsfirelens"];
const ULIMIT_NAMES: &[&str] = &[
    "core",
    "cpu",
    "data",
    "fsize",
    "locks",
    "memlock",
    "msgqueue",
    "nice",
    "nofile",
    "nproc",
    "rss",
    "rtprio",
    "rttime",
    "sigpending",
    "stack",
];

/// Parses a task-level `cpu` string: CPU units (`"256"`) or vCPUs (`"0.25 vCPU"`).
pub fn parse_task_cpu(path: &str, text: &str) -> Result<u32, AwsError> {
    let invalid = || {
        AwsError::client(format!(
            "Invalid '{path}' setting for task: '{text}'. Use CPU units (\"256\") or vCPUs (\"0.25 vCPU\")."
        ))
    };
    let trimmed = text.trim();
    let units = if let Some(vcpu) = trimmed.strip_suffix("vCPU").or_else(|| trimmed.strip_suffix("vcpu")) {
        let vcpus = parse_f64(vcpu.trim()).ok_or_else(invalid)?;
        vcpus * 1024.0
    } else {
        parse_f64(trimmed).ok_or_else(invalid)?
    };
    if !(units.is_finite() && (1.0..=196_608.0).contains(&units) && units.fract() == 0.0) {
        return Err(invalid());
    }
    Ok(units as u32)
}

/// Parses a task-level `memory` string: MiB (`"512"`) or GB (`"1 GB"`).
pub fn parse_task_memory(path: &str, text: &str) -> Result<u32, AwsError> {
    let invalid = || {
        AwsError::client(format!(
            "Invalid '{path}' setting for task: '{text}'. Use MiB (\"512\") or GB (\"1 GB\")."
        ))
    };
    let trimmed = text.trim();
    let mib = if let Some(gb) = trimmed.strip_suffix("GB").or_else(|| trimmed.strip_suffix("gb")) {
        parse_f64(gb.trim()).ok_or_else(invalid)? * 1024.0
    } else {
        parse_f64(trimmed).ok_or_else(invalid)?
    };
    if !(mib.is_finite() && (6.0..=1_048_576.0).contains(&mib) && mib.fract() == 0.0) {
        return Err(invalid());
    }
    Ok(mib as u32)
}

fn opt_u32_range(members: &Members<'_>, name: &str, min: i64, max: i64) -> Result<Option<u32>, AwsError> {
    Ok(validate::opt_int_range(members, name, min, max)?.map(|value| value as u32))
}

fn health_check(members: &Members<'_>) -> Result<HealthCheck, AwsError> {
    let command_path = members.path("command");
    let command = members.req_str_list("command")?;
    match command.first() {
        Some(&"CMD") | Some(&"CMD-SHELL") if command.len() >= 2 => {}
        _ => {
            return Err(AwsError::client(format!(
                "{command_path} must start with \"CMD\" or \"CMD-SHELL\" followed by the command."
            )))
        }
    }
    Ok(HealthCheck {
        command: command.iter().map(|part| part.to_string()).collect(),
        interval_seconds: opt_u32_range(members, "interval", 5, 300)?.unwrap_or(30),
        timeout_seconds: opt_u32_range(members, "timeout", 2, 60)?.unwrap_or(5),
        retries: opt_u32_range(members, "retries", 1, 10)?.unwrap_or(3),
        start_period_seconds: opt_u32_range(members, "startPeriod", 0, 300)?.unwrap_or(0),
    })
}

pub(crate) fn container_definition(
    members: &Members<'_>,
    raw: &Value,
) -> Result<DaemonContainerDefinition, AwsError> {
    let name = members.opt_str("name")?.unwrap_or("");
    if name.is_empty() {
        return Err(AwsError::client(format!("{} should not be null or empty.", members.path("name"))));
    }
    validate::resource_name(&members.path("name"), name, 255)?;
    let image = members.opt_str("image")?.unwrap_or("");
    if image.trim().is_empty() {
        return Err(AwsError::client(format!("{} should not be null or empty.", members.path("image"))));
    }
    if image.chars().any(char::is_whitespace) || image.len() > 255 {
        return Err(AwsError::client(format!(
            "{} '{image}' is not a valid image reference (repository[:tag] or repository@digest, at most 255 characters).",
            members.path("image")
        )));
    }
    let cpu = opt_u32_range(members, "cpu", 0, 196_608)?;
    let memory = opt_u32_range(members, "memory", 6, 1_048_576)?;
    let memory_reservation = opt_u32_range(members, "memoryReservation", 6, 1_048_576)?;
    if let (Some(hard), Some(soft)) = (memory, memory_reservation) {
        if soft > hard {
            return Err(AwsError::client(format!(
                "{}: memoryReservation ({soft}) must not exceed memory ({hard}).",
                members.path("memoryReservation")
            )));
        }
    }
    let essential = members.opt_bool("essential")?.unwrap_or(true);
    for flag in ["readonlyRootFilesystem", "privileged", "interactive", "pseudoTerminal"] {
        members.opt_bool(flag)?;
    }
    for list in ["entryPoint", "command"] {
        members.opt_str_list(list)?;
    }
    for text in ["workingDirectory", "user"] {
        members.opt_str(text)?;
    }
    validate::opt_int_range(members, "startTimeout", 2, 120)?;
    validate::opt_int_range(members, "stopTimeout", 2, 120)?;
    for variable in members.opt_obj_list("environment")?.unwrap_or_default() {
        variable.opt_str("name")?;
        variable.opt_str("value")?;
    }
    for file in members.opt_obj_list("environmentFiles")?.unwrap_or_default() {
        file.req_str("value")?;
        let kind = file.req_str("type")?;
        validate::enum_value(&file.path("type"), kind, &["s3"])?;
    }
    for secret in members.opt_obj_list("secrets")?.unwrap_or_default() {
        secret.req_str("name")?;
        secret.req_str("valueFrom")?;
    }
    for mount in members.opt_obj_list("mountPoints")?.unwrap_or_default() {
        mount.opt_str("sourceVolume")?;
        mount.opt_str("containerPath")?;
        mount.opt_bool("readOnly")?;
    }
    if let Some(log) = members.opt_obj("logConfiguration")? {
        let driver = log.req_str("logDriver")?;
        validate::enum_value(&log.path("logDriver"), driver, LOG_DRIVERS)?;
        log.opt_str_map("options")?;
        for secret in log.opt_obj_list("secretOptions")?.unwrap_or_default() {
            secret.req_str("name")?;
            secret.req_str("valueFrom")?;
        }
    }
    if let Some(firelens) = members.opt_obj("firelensConfiguration")? {
        let kind = firelens.req_str("type")?;
        validate::enum_value(&firelens.path("type"), kind, &["fluentd", "fluentbit"])?;
        firelens.opt_str_map("options")?;
    }
    let health_check = members.opt_obj("healthCheck")?.map(|check| health_check(&check)).transpose()?;
    for ulimit in members.opt_obj_list("ulimits")?.unwrap_or_default() {
        let name = ulimit.req_str("name")?;
        validate::enum_value(&ulimit.path("name"), name, ULIMIT_NAMES)?;
        let soft = required(ulimit.opt_int("softLimit")?, &ulimit.path("softLimit"))?;
        let hard = required(ulimit.opt_int("hardLimit")?, &ulimit.path("hardLimit"))?;
        if soft > hard {
            return Err(AwsError::invalid_parameter(format!(
                "{}: softLimit ({soft}) must not exceed hardLimit ({hard}).",
                ulimit.path("softLimit")
            )));
        }
    }
    if let Some(linux) = members.opt_obj("linuxParameters")? {
        if let Some(capabilities) = linux.opt_obj("capabilities")? {
            capabilities.opt_str_list("add")?;
            capabilities.opt_str_list("drop")?;
        }
        for device in linux.opt_obj_list("devices")?.unwrap_or_default() {
            device.req_str("hostPath")?;
            device.opt_str("containerPath")?;
            for permission in device.opt_str_list("permissions")?.unwrap_or_default() {
                validate::enum_value(&device.path("permissions"), permission, &["read", "write", "mknod"])?;
            }
        }
        linux.opt_bool("initProcessEnabled")?;
        for tmpfs in linux.opt_obj_list("tmpfs")?.unwrap_or_default() {
            tmpfs.req_str("containerPath")?;
            let size = required(tmpfs.opt_int("size")?, &tmpfs.path("size"))?;
            validate::int_range(&tmpfs.path("size"), size, 1, 1_048_576)?;
            tmpfs.opt_str_list("mountOptions")?;
        }
    }
    for dependency in members.opt_obj_list("dependsOn")?.unwrap_or_default() {
        dependency.req_str("containerName")?;
        let condition = dependency.req_str("condition")?;
        validate::enum_value(
            &dependency.path("condition"),
            condition,
            &["START", "COMPLETE", "SUCCESS", "HEALTHY"],
        )?;
    }
    for control in members.opt_obj_list("systemControls")?.unwrap_or_default() {
        control.opt_str("namespace")?;
        control.opt_str("value")?;
    }
    if let Some(policy) = members.opt_obj("restartPolicy")? {
        required(policy.opt_bool("enabled")?, &policy.path("enabled"))?;
        if let Some(codes) = policy.opt_int_list("ignoredExitCodes")? {
            validate::max_items(&policy.path("ignoredExitCodes"), codes.len(), 50)?;
        }
        validate::opt_int_range(&policy, "restartAttemptPeriod", 60, 1800)?;
    }
    if let Some(credentials) = members.opt_obj("repositoryCredentials")? {
        credentials.req_str("credentialsParameter")?;
    }
    let mut definition = raw.clone();
    if let Value::Object(map) = &mut definition {
        map.insert("essential".to_string(), Value::Bool(essential));
    }
    Ok(DaemonContainerDefinition {
        name: name.to_string(),
        image: image.to_string(),
        cpu,
        memory,
        memory_reservation,
        essential,
        health_check,
        definition,
    })
}

impl Decoder<'_> {
    pub(super) fn register_daemon_task_definition(&self) -> Result<RegisterDaemonTaskDefinition, AwsError> {
        let m = &self.members;
        let family = m.req_str("family")?;
        validate::resource_name("family", family, 255)?;
        let raw_definitions = match m.value("containerDefinitions") {
            Some(Value::Array(items)) => items.clone(),
            _ => Vec::new(),
        };
        let members = required(m.opt_obj_list("containerDefinitions")?, "containerDefinitions")?;
        if members.is_empty() {
            return Err(AwsError::client("containerDefinitions: Container list cannot be empty."));
        }
        validate::max_items("containerDefinitions", members.len(), 10)?;
        let mut containers: Vec<DaemonContainerDefinition> = Vec::with_capacity(members.len());
        for (container, raw) in members.iter().zip(&raw_definitions) {
            let definition = container_definition(container, raw)?;
            if containers.iter().any(|existing| existing.name == definition.name) {
                return Err(AwsError::client(format!(
                    "{}: the container name '{}' is used more than once.",
                    container.path("name"),
                    definition.name
                )));
            }
            containers.push(definition);
        }
        if !containers.iter().any(|container| container.essential) {
            return Err(AwsError::client(
                "containerDefinitions: Tasks must have at least one essential container.",
            ));
        }
        for (container, members) in containers.iter().zip(&members) {
            for dependency in members.opt_obj_list("dependsOn")?.unwrap_or_default() {
                let target = dependency.req_str("containerName")?;
                if target == container.name || !containers.iter().any(|other| other.name == target) {
                    return Err(AwsError::client(format!(
                        "{}: '{target}' is not another container of this task definition.",
                        dependency.path("containerName")
                    )));
                }
            }
        }
        let mut volumes: Vec<DaemonVolume> = Vec::new();
        for volume in m.opt_obj_list("volumes")?.unwrap_or_default() {
            let name = volume.req_str("name")?;
            validate::resource_name(&volume.path("name"), name, 255)?;
            if volumes.iter().any(|existing| existing.name == name) {
                return Err(AwsError::client(format!(
                    "{}: duplicate volume name '{name}'.",
                    volume.path("name")
                )));
            }
            let source_path = match volume.opt_obj("host")? {
                Some(host) => host.opt_str("sourcePath")?.map(str::to_string),
                None => None,
            };
            for other in [
                "efsVolumeConfiguration",
                "dockerVolumeConfiguration",
                "fsxWindowsFileServerVolumeConfiguration",
            ] {
                if volume.value(other).is_some() {
                    return Err(AwsError::client(format!(
                        "{}: daemon task definitions support host bind mounts only.",
                        volume.path(other)
                    )));
                }
            }
            volumes.push(DaemonVolume { name: name.to_string(), source_path });
        }
        for container in &members {
            for mount in container.opt_obj_list("mountPoints")?.unwrap_or_default() {
                if let Some(source) = mount.opt_str("sourceVolume")? {
                    if !volumes.iter().any(|volume| volume.name == source) {
                        return Err(AwsError::client(format!(
                            "{}: unknown volume '{source}'.",
                            mount.path("sourceVolume")
                        )));
                    }
                }
            }
        }
        let cpu = m.opt_str("cpu")?.map(|cpu| parse_task_cpu("cpu", cpu)).transpose()?;
        let memory = m.opt_str("memory")?.map(|memory| parse_task_memory("memory", memory)).transpose()?;
        Ok(RegisterDaemonTaskDefinition {
            family: family.to_string(),
            task_role_arn: m.opt_str("taskRoleArn")?.map(str::to_string),
            execution_role_arn: m.opt_str("executionRoleArn")?.map(str::to_string),
            cpu,
            memory,
            container_definitions: containers,
            volumes,
            tags: tags_member(m)?,
            pid_mode: validate::opt_enum(m, "pidMode", &["none", "shared"])?.map(str::to_string),
            ipc_mode: validate::opt_enum(m, "ipcMode", &["none", "shared"])?.map(str::to_string),
        })
    }

    pub(super) fn describe_daemon_task_definition(&self) -> Result<DescribeDaemonTaskDefinition, AwsError> {
        let reference = self.members.req_str("daemonTaskDefinition")?;
        Ok(DescribeDaemonTaskDefinition {
            daemon_task_definition: self
                .arns
                .daemon_task_definition_ref("daemonTaskDefinition", reference)?,
        })
    }

    pub(super) fn list_daemon_task_definitions(&self) -> Result<ListDaemonTaskDefinitions, AwsError> {
        let m = &self.members;
        let family = m.opt_str("family")?;
        if let Some(family) = family {
            validate::resource_name("family", family, 255)?;
        }
        let family_prefix = m.opt_str("familyPrefix")?;
        if let Some(prefix) = family_prefix {
            validate::resource_name("familyPrefix", prefix, 255)?;
        }
        let revision = validate::opt_enum(m, "revision", &["LAST_REGISTERED"])?;
        let status =
            validate::opt_enum(m, "status", &["ACTIVE", "DELETE_IN_PROGRESS", "ALL"])?.unwrap_or("ACTIVE");
        let sort = validate::opt_enum(m, "sort", &["ASC", "DESC"])?.unwrap_or("ASC");
        Ok(ListDaemonTaskDefinitions {
            family_prefix: family_prefix.map(str::to_string),
            family: family.map(str::to_string),
            last_registered_only: revision.is_some(),
            status: status.to_string(),
            descending: sort == "DESC",
            start: next_token(m)?,
            max_results: validate::max_results(m, 100)?.unwrap_or(100) as usize,
        })
    }

    pub(super) fn delete_daemon_task_definition(&self) -> Result<DeleteDaemonTaskDefinition, AwsError> {
        let text = self.members.req_str("daemonTaskDefinition")?;
        let reference = self.arns.daemon_task_definition_ref("daemonTaskDefinition", text)?;
        let Some(revision) = reference.revision else {
            return Err(AwsError::invalid_parameter(format!(
                "daemonTaskDefinition '{text}' must name a revision (family:revision or the full ARN)."
            )));
        };
        Ok(DeleteDaemonTaskDefinition { family: reference.family, revision })
    }

    fn deployment_configuration(&self) -> Result<DaemonDeploymentConfiguration, AwsError> {
        let Some(config) = self.members.opt_obj("deploymentConfiguration")? else {
            return Ok(DaemonDeploymentConfiguration::default());
        };
        let drain_percent = match config.opt_f64("drainPercent")? {
            Some(value) => Some(validate::f64_range(&config.path("drainPercent"), value, 0.0, 100.0)?),
            None => None,
        };
        let bake_time_in_minutes =
            opt_u32_range(&config, "bakeTimeInMinutes", 0, i64::from(crate::engine::MAX_BAKE_TIME_MINUTES))?;
        let alarms = match config.opt_obj("alarms")? {
            None => None,
            Some(alarms) => {
                let names = alarms.opt_str_list("alarmNames")?.unwrap_or_default();
                for name in &names {
                    let length = name.chars().count();
                    if length == 0 || length > 255 {
                        return Err(AwsError::invalid_parameter(format!(
                            "{} entries must be 1-255 characters long; got '{name}'.",
                            alarms.path("alarmNames")
                        )));
                    }
                }
                let enable = alarms.opt_bool("enable")?.unwrap_or(false);
                if enable && names.is_empty() {
                    return Err(AwsError::invalid_parameter(format!(
                        "{} must name at least one alarm when {} is true.",
                        alarms.path("alarmNames"),
                        alarms.path("enable")
                    )));
                }
                Some(DaemonAlarmConfiguration {
                    alarm_names: names.iter().map(|n| n.to_string()).collect(),
                    enable,
                })
            }
        };
        Ok(DaemonDeploymentConfiguration { drain_percent, bake_time_in_minutes, alarms })
    }

    fn capacity_provider_list(&self, name: &str, required_member: bool) -> Result<Vec<String>, AwsError> {
        let list = match self.members.opt_str_list(name)? {
            Some(list) => list,
            None if required_member => return Err(crate::api::input::missing(name)),
            None => return Ok(Vec::new()),
        };
        if required_member {
            validate::min_items(name, list.len(), 1)?;
        }
        validate::max_items(name, list.len(), 100)?;
        let mut names: Vec<String> = Vec::with_capacity(list.len());
        for (index, item) in list.iter().enumerate() {
            let resolved = self.arns.capacity_provider_name(&format!("{name}[{index}]"), item)?;
            if names.contains(&resolved) {
                return Err(AwsError::invalid_parameter(format!(
                    "{name} names the capacity provider '{resolved}' more than once."
                )));
            }
            names.push(resolved);
        }
        Ok(names)
    }

    pub(super) fn create_daemon(&self) -> Result<CreateDaemon, AwsError> {
        let m = &self.members;
        let daemon_name = m.req_str("daemonName")?;
        validate::resource_name("daemonName", daemon_name, 255)?;
        let cluster = cluster_or_default(self, "clusterArn")?;
        let dtd = m.req_str("daemonTaskDefinitionArn")?;
        let daemon_task_definition = self.arns.daemon_task_definition_ref("daemonTaskDefinitionArn", dtd)?;
        let capacity_providers = self.capacity_provider_list("capacityProviderArns", true)?;
        let client_token = m.opt_str("clientToken")?;
        if let Some(token) = client_token {
            validate::client_token("clientToken", token)?;
        }
        Ok(CreateDaemon {
            cluster,
            daemon_name: daemon_name.to_string(),
            daemon_task_definition,
            capacity_providers,
            deployment_configuration: self.deployment_configuration()?,
            tags: tags_member(m)?,
            propagate_tags: validate::opt_enum(m, "propagateTags", &["DAEMON", "NONE"])?.map(str::to_string),
            enable_ecs_managed_tags: m.opt_bool("enableECSManagedTags")?.unwrap_or(false),
            enable_execute_command: m.opt_bool("enableExecuteCommand")?.unwrap_or(false),
            critical: m.opt_bool("critical")?.unwrap_or(true),
            client_token: client_token.map(str::to_string),
        })
    }

    fn daemon_arn(&self) -> Result<DaemonRef, AwsError> {
        let arn = self.members.req_str("daemonArn")?;
        self.arns.daemon_ref("daemonArn", arn)
    }

    pub(super) fn update_daemon(&self) -> Result<UpdateDaemon, AwsError> {
        let m = &self.members;
        let daemon = self.daemon_arn()?;
        let dtd = m.req_str("daemonTaskDefinitionArn")?;
        Ok(UpdateDaemon {
            daemon,
            daemon_task_definition: self.arns.daemon_task_definition_ref("daemonTaskDefinitionArn", dtd)?,
            capacity_providers: self.capacity_provider_list("capacityProviderArns", true)?,
            deployment_configuration: self.deployment_configuration()?,
            propagate_tags: validate::opt_enum(m, "propagateTags", &["DAEMON", "NONE"])?.map(str::to_string),
            enable_ecs_managed_tags: m.opt_bool("enableECSManagedTags")?.unwrap_or(false),
            enable_execute_command: m.opt_bool("enableExecuteCommand")?.unwrap_or(false),
            critical: m.opt_bool("critical")?.unwrap_or(true),
        })
    }

    pub(super) fn daemon_target(&self) -> Result<DaemonTarget, AwsError> {
        Ok(DaemonTarget { daemon: self.daemon_arn()? })
    }

    pub(super) fn list_daemons(&self) -> Result<ListDaemons, AwsError> {
        let m = &self.members;
        Ok(ListDaemons {
            cluster: cluster_or_default(self, "clusterArn")?,
            capacity_providers: self.capacity_provider_list("capacityProviderArns", false)?,
            start: next_token(m)?,
            max_results: validate::max_results(m, 100)?.unwrap_or(100) as usize,
        })
    }

    pub(super) fn list_daemon_deployments(&self) -> Result<ListDaemonDeployments, AwsError> {
        let m = &self.members;
        let daemon = self.daemon_arn()?;
        let mut statuses = Vec::new();
        for (index, status) in m.opt_str_list("status")?.unwrap_or_default().iter().enumerate() {
            validate::enum_value(&format!("status[{index}]"), status, DEPLOYMENT_STATUSES)?;
            statuses.push(status.to_string());
        }
        let (mut after, mut before) = (None, None);
        if let Some(created) = m.opt_obj("createdAt")? {
            for (name, slot) in [("after", &mut after), ("before", &mut before)] {
                if let Some(seconds) = created.opt_f64(name)? {
                    *slot = Some(timestamp_from_seconds(seconds).ok_or_else(|| {
                        AwsError::invalid_parameter(format!(
                            "{} must be a time after 1970.",
                            created.path(name)
                        ))
                    })?);
                }
            }
        }
        Ok(ListDaemonDeployments {
            daemon,
            statuses,
            created_after_ms: after,
            created_before_ms: before,
            start: next_token(m)?,
            max_results: validate::max_results(m, 100)?.unwrap_or(20) as usize,
        })
    }

    pub(super) fn describe_daemon_children(
        &self,
        name: &str,
        deployments: bool,
    ) -> Result<DescribeDaemonChildren, AwsError> {
        let list = self.members.req_str_list(name)?;
        validate::min_items(name, list.len(), 1)?;
        validate::max_items(name, list.len(), 20)?;
        let mut arns = Vec::with_capacity(list.len());
        for (index, arn) in list.iter().enumerate() {
            let path = format!("{name}[{index}]");
            let parsed = if deployments {
                self.arns.daemon_deployment_ref(&path, arn)?
            } else {
                self.arns.daemon_revision_ref(&path, arn)?
            };
            arns.push((arn.to_string(), parsed));
        }
        Ok(DescribeDaemonChildren { arns })
    }
}
