//! Shared helpers for the engine tests: seed 002's setup as engine commands (the testkit's builders
//! with this file's cluster and ARNs), and a stepper that runs the invariant checker after every
//! processed timer.
#![allow(dead_code)]

use ecs_daemon_sim::engine::command::*;
use ecs_daemon_sim::engine::*;
use ecs_daemon_sim::testkit::builders;

pub const CLUSTER: &str = "daemon-test";
pub const CP: &str = "daemon-test-mi";
pub const ACCOUNT: &str = "123456789012";

/// An essential container reserving 256 MiB.
pub fn container(name: &str, image: &str) -> ContainerSpec {
    ContainerSpec { memory_reservation: Some(256), ..builders::container(name, image) }
}

pub fn ok(sim: &mut Simulation, c: Command) -> Outcome {
    match sim.apply(c.clone()) {
        Ok(o) => o,
        Err(e) => panic!("command {c:?} failed: {e}"),
    }
}

pub fn dtd(family: &str, image: &str, cpu: u32, memory: u32) -> Command {
    let agent = container("agent", image);
    Command::RegisterDaemonTaskDefinition(builders::register_daemon_task_definition(
        family, cpu, memory, agent,
    ))
}

/// `agent:1`-style daemon task definition of family `family` (256 CPU, 512 MiB) whose container
/// has a health check.
pub fn health_checked_dtd(family: &str, image: &str) -> Command {
    let check = builders::health_check("curl -f http://localhost/ || exit 1");
    let agent = ContainerSpec { health_check: Some(check), ..container("agent", image) };
    Command::RegisterDaemonTaskDefinition(builders::register_daemon_task_definition(family, 256, 512, agent))
}

pub fn cp_arn(name: &str) -> String {
    format!("arn:aws:ecs:us-east-1:{ACCOUNT}:capacity-provider/{name}")
}

pub fn daemon_arn(name: &str) -> String {
    format!("arn:aws:ecs:us-east-1:{ACCOUNT}:daemon/{CLUSTER}/{name}")
}

pub fn create_daemon(name: &str, dtd_ref: &str, cps: &[&str]) -> Command {
    let cps = cps.iter().map(|c| cp_arn(c)).collect();
    Command::CreateDaemon(CreateDaemon {
        enable_execute_command: true,
        ..builders::create_daemon(CLUSTER, name, dtd_ref, cps)
    })
}

pub fn update_daemon(name: &str, dtd_ref: &str, cps: &[&str], config: Option<DeploymentConfig>) -> Command {
    let cps = cps.iter().map(|c| cp_arn(c)).collect();
    Command::UpdateDaemon(UpdateDaemon {
        deployment_configuration: config,
        ..builders::update_daemon(&daemon_arn(name), dtd_ref, cps)
    })
}

pub fn create_cp(name: &str, vcpu: (u32, u32), memory: (u32, u32)) -> Command {
    Command::CreateCapacityProvider(builders::create_capacity_provider(CLUSTER, name, vcpu, memory))
}

pub fn task_def(family: &str, cpu: u32, memory: u32) -> Command {
    let nginx = container("nginx", "public.ecr.aws/docker/library/nginx:alpine");
    Command::RegisterTaskDefinition(builders::register_task_definition(family, cpu, memory, nginx))
}

pub fn create_service(name: &str, td: &str, desired: u32, cp: &str) -> Command {
    Command::CreateService(builders::create_service(CLUSTER, name, td, desired, cp))
}

/// Seed 002's setup up to (not including) CreateService: cluster, provider (vCPU 2–4, 4–8 GiB),
/// the monitoring-agent daemon (256/512, nginx:alpine), and the test-app task definition.
pub fn seed002_base(seed: u64) -> Simulation {
    let mut sim = Simulation::new(SimConfig::with_seed(seed));
    ok(&mut sim, builders::create_cluster(CLUSTER));
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

/// The revision (`family:N`) of each live daemon task on an ACTIVE instance of [`CLUSTER`].
pub fn revision_of_all(sim: &Simulation) -> Vec<String> {
    sim.container_instances(CLUSTER)
        .filter(|i| i.status == InstanceStatus::Active)
        .flat_map(|i| {
            sim.tasks(CLUSTER)
                .filter(move |t| t.instance == i.key && t.is_live() && t.is_daemon())
                .map(|t| t.task_definition.rsplit('/').next().unwrap().to_string())
        })
        .collect()
}
