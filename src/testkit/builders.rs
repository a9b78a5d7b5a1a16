//! Builders of the engine commands that set up a world: a cluster, a capacity provider, a daemon
//! task definition, a daemon (created or updated), an app task definition and a service. Each
//! builds the request a test usually wants (the optional members left unset, the engine's
//! defaults applying), so that a caller writes only what matters to it and changes the rest with
//! struct update syntax: `Command::CreateDaemon(CreateDaemon { critical: Some(true),
//! ..create_daemon(...) })`.
//!
//! They return the request, not the [`Command`], for that reason; [`create_cluster`], whose
//! request has nothing optional, returns the command.

use crate::engine::command::*;
use crate::engine::model::{ContainerSpec, HealthCheck};

/// CreateCluster of `name`.
pub fn create_cluster(name: &str) -> Command {
    Command::CreateCluster { name: name.into() }
}

/// CreateCapacityProvider `name` for Managed Instances in `cluster`, with instance requirements
/// of `vcpu` (min, max) vCPUs and `memory_mib` (min, max) MiB: no instance floor or ceiling, the
/// instance profile ready, the default scale-in delay, auto repair on.
pub fn create_capacity_provider(
    cluster: &str,
    name: &str,
    vcpu: (u32, u32),
    memory_mib: (u32, u32),
) -> CreateCapacityProvider {
    CreateCapacityProvider {
        name: name.into(),
        cluster: cluster.into(),
        vcpu_min: vcpu.0,
        vcpu_max: vcpu.1,
        memory_min_mib: memory_mib.0,
        memory_max_mib: memory_mib.1,
        min_instances: None,
        max_instances: None,
        instance_profile_ready: true,
        scale_in_after_s: None,
        auto_repair: true,
    }
}

/// An essential container `name` running `image`, with no resources of its own (the task's
/// apply), no memory reservation and no health check.
pub fn container(name: &str, image: &str) -> ContainerSpec {
    ContainerSpec {
        name: name.into(),
        image: image.into(),
        essential: true,
        cpu: None,
        memory: None,
        memory_reservation: None,
        health_check: None,
    }
}

/// A container health check running `shell` (`CMD-SHELL`) at ECS's default interval (30 s),
/// timeout (5 s), retries (3) and start period (0).
pub fn health_check(shell: &str) -> HealthCheck {
    HealthCheck {
        command: vec!["CMD-SHELL".into(), shell.into()],
        interval_s: 30,
        timeout_s: 5,
        retries: 3,
        start_period_s: 0,
    }
}

/// RegisterDaemonTaskDefinition of `family` with task-level `cpu` units and `memory` MiB and the
/// one container `container`.
pub fn register_daemon_task_definition(
    family: &str,
    cpu: u32,
    memory: u32,
    container: ContainerSpec,
) -> RegisterDaemonTaskDefinition {
    RegisterDaemonTaskDefinition {
        family: family.into(),
        cpu: Some(cpu),
        memory: Some(memory),
        containers: vec![container],
        document: serde_json::Value::Null,
    }
}

/// CreateDaemon `name` in `cluster` at `revision` (`family:N` or an ARN) on `capacity_providers`
/// (names or ARNs): the default deployment configuration, no tags, not critical (the engine's
/// default), no client token.
pub fn create_daemon(
    cluster: &str,
    name: &str,
    revision: &str,
    capacity_providers: Vec<String>,
) -> CreateDaemon {
    CreateDaemon {
        cluster: cluster.into(),
        daemon_name: name.into(),
        daemon_task_definition: revision.into(),
        capacity_providers,
        deployment_configuration: None,
        tags: vec![],
        propagate_tags: None,
        enable_ecs_managed_tags: false,
        enable_execute_command: false,
        critical: None,
        client_token: None,
    }
}

/// UpdateDaemon of `daemon` (`cluster/name` or an ARN) to `revision` on `capacity_providers`,
/// the deployment configuration and criticality left as they are.
pub fn update_daemon(daemon: &str, revision: &str, capacity_providers: Vec<String>) -> UpdateDaemon {
    UpdateDaemon {
        daemon: daemon.into(),
        daemon_task_definition: revision.into(),
        capacity_providers,
        deployment_configuration: None,
        propagate_tags: None,
        enable_ecs_managed_tags: false,
        enable_execute_command: false,
        critical: None,
    }
}

/// RegisterTaskDefinition (an app's) of `family` with task-level `cpu` units and `memory` MiB
/// and the one container `container`.
pub fn register_task_definition(
    family: &str,
    cpu: u32,
    memory: u32,
    container: ContainerSpec,
) -> RegisterTaskDefinition {
    RegisterTaskDefinition {
        family: family.into(),
        cpu: Some(cpu),
        memory: Some(memory),
        containers: vec![container],
        document: serde_json::Value::Null,
    }
}

/// CreateService `name` in `cluster` of `desired` tasks of `task_definition` on `capacity_provider`,
/// with the default deployment percentages.
pub fn create_service(
    cluster: &str,
    name: &str,
    task_definition: &str,
    desired: u32,
    capacity_provider: &str,
) -> CreateService {
    CreateService {
        cluster: cluster.into(),
        service_name: name.into(),
        task_definition: task_definition.into(),
        desired_count: desired,
        capacity_provider: Some(capacity_provider.into()),
        minimum_healthy_percent: None,
        maximum_percent: None,
    }
}
