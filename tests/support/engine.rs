//! Shared helpers for the engine tests: seed 002's setup as engine commands, and a stepper that
//! runs the invariant checker after every processed timer.
#![allow(dead_code)]

use ecs_daemon_sim::engine::command::*;
use ecs_daemon_sim::engine::*;

pub const CLUSTER: &str = "daemon-test";
pub const CP: &str = "daemon-test-mi";
pub const ACCOUNT: &str = "123456789012";

pub fn container(name: &str, image: &str) -> ContainerSpec {
    ContainerSpec {
        name: name.into(),
        image: image.into(),
        essential: true,
        cpu: None,
        memory: None,
        memory_reservation: Some(256),
        health_check: None,
    }
}

pub fn ok(sim: &mut Simulation, c: Command) -> Outcome {
    match sim.apply(c.clone()) {
        Ok(o) => o,
        Err(e) => panic!("command {c:?} failed: {e}"),
    }
}

pub fn dtd(family: &str, image: &str, cpu: u32, memory: u32) -> Command {
    Command::RegisterDaemonTaskDefinition(RegisterDaemonTaskDefinition {
        family: family.into(),
        cpu: Some(cpu),
        memory: Some(memory),
        containers: vec![container("agent", image)],
        document: serde_json::Value::Null,
    })
}

/// `agent:1`-style daemon task definition of family `family` (256 CPU, 512 MiB) whose container
/// has a health check.
pub fn health_checked_dtd(family: &str, image: &str) -> Command {
    let mut agent = container("agent", image);
    agent.health_check = Some(HealthCheck {
        command: vec!["CMD-SHELL".into(), "curl -f http://localhost/ || exit 1".into()],
        interval_s: 30,
        timeout_s: 5,
        retries: 3,
        start_period_s: 0,
    });
    Command::RegisterDaemonTaskDefinition(RegisterDaemonTaskDefinition {
        family: family.into(),
        cpu: Some(256),
        memory: Some(512),
        containers: vec![agent],
        document: serde_json::Value::Null,
    })
}

pub fn cp_arn(name: &str) -> String {
    format!("arn:aws:ecs:us-east-1:{ACCOUNT}:capacity-provider/{name}")
}

pub fn daemon_arn(name: &str) -> String {
    format!("arn:aws:ecs:us-east-1:{ACCOUNT}:daemon/{CLUSTER}/{name}")
}

pub fn create_daemon(name: &str, dtd_ref: &str, cps: &[&str]) -> Command {
    Command::CreateDaemon(CreateDaemon {
        cluster: CLUSTER.into(),
        daemon_name: name.into(),
        daemon_task_definition: dtd_ref.into(),
        capacity_providers: cps.iter().map(|c| cp_arn(c)).collect(),
        deployment_configuration: None,
        tags: vec![],
        propagate_tags: None,
        enable_ecs_managed_tags: false,
        enable_execute_command: true,
        critical: None,
        client_token: None,
    })
}

pub fn update_daemon(name: &str, dtd_ref: &str, cps: &[&str], config: Option<DeploymentConfig>) -> Command {
    Command::UpdateDaemon(UpdateDaemon {
        daemon: daemon_arn(name),
        daemon_task_definition: dtd_ref.into(),
        capacity_providers: cps.iter().map(|c| cp_arn(c)).collect(),
        deployment_configuration: config,
        propagate_tags: None,
        enable_ecs_managed_tags: false,
        enable_execute_command: false,
        critical: None,
    })
}

pub fn create_cp(name: &str, vcpu: (u32, u32), memory: (u32, u32)) -> Command {
    Command::CreateCapacityProvider(CreateCapacityProvider {
        name: name.into(),
        cluster: CLUSTER.into(),
        vcpu_min: vcpu.0,
        vcpu_max: vcpu.1,
        memory_min_mib: memory.0,
        memory_max_mib: memory.1,
        min_instances: None,
        max_instances: None,
        instance_profile_ready: true,
        scale_in_after_s: None,
        auto_repair: true,
    })
}

pub fn task_def(family: &str, cpu: u32, memory: u32) -> Command {
    Command::RegisterTaskDefinition(RegisterTaskDefinition {
        family: family.into(),
        cpu: Some(cpu),
        memory: Some(memory),
        containers: vec![container("nginx", "public.ecr.aws/docker/library/nginx:alpine")],
        document: serde_json::Value::Null,
    })
}

pub fn create_service(name: &str, td: &str, desired: u32, cp: &str) -> Command {
    Command::CreateService(CreateService {
        cluster: CLUSTER.into(),
        service_name: name.into(),
        task_definition: td.into(),
        desired_count: desired,
        capacity_provider: Some(cp.into()),
        minimum_healthy_percent: None,
        maximum_percent: None,
    })
}

/// Seed 002's setup up to (not including) CreateService: cluster, provider (vCPU 2–4, 4–8 GiB),
/// the monitoring-agent daemon (256/512, nginx:alpine), and the test-app task definition.
pub fn seed002_base(seed: u64) -> Simulation {
    let mut sim = Simulation::new(SimConfig::with_seed(seed));
    ok(&mut sim, Command::CreateCluster { name: CLUSTER.into() });
    ok(&mut sim, create_cp(CP, (2, 4), (4096, 8192)));
    ok(
        &mut sim,
        Command::PutClusterCapacityProviders {
            cluster: CLUSTER.into(),
            capacity_providers: vec![CP.into()],
            default_strategy: vec![CP.into()],
        },
    );
    ok(&mut sim, dtd("monitoring-agent", "public.ecr.aws/docker/library/nginx:alpine", 256, 512));
    ok(&mut sim, create_daemon("monitoring-agent", "monitoring-agent:1", &[CP]));
    ok(&mut sim, task_def("test-app", 512, 1024));
    sim
}

/// Steps every timer up to `until` (epoch ms), checking invariants after each one.
pub fn run_checked(sim: &mut Simulation, until: u64) {
    while let Some(t) = sim.next_event_time() {
        if t > until {
            break;
        }
        sim.step();
        let violations = check_invariants(sim);
        assert!(violations.is_empty(), "at {}: {:?}", sim.now(), violations);
    }
    sim.advance(until);
}

/// Like `run_checked`, calling `observe` after every step.
pub fn run_observed(sim: &mut Simulation, until: u64, mut observe: impl FnMut(&Simulation)) {
    observe(sim);
    while let Some(t) = sim.next_event_time() {
        if t > until {
            break;
        }
        sim.step();
        let violations = check_invariants(sim);
        assert!(violations.is_empty(), "at {}: {:?}", sim.now(), violations);
        observe(sim);
    }
    sim.advance(until);
}

pub fn group_tasks<'a>(sim: &'a Simulation, group: &str) -> Vec<&'a Task> {
    sim.tasks(CLUSTER).filter(|t| &*t.group == group).collect()
}
