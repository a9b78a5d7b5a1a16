//! The capacity provider's auto repair switch (`autoRepairConfiguration.actionsStatus`) and the
//! container instance health record: DISABLED keeps an instance that lost its critical daemon task
//! ACTIVE and IMPAIRED with nothing replaced; ENABLED replaces it; switching DISABLED → ENABLED
//! repairs it then. Every run checks the invariants (with `repaired_unless_disabled`) after every
//! timer.

use crate::support::engine::*;
use ecs_daemon_sim::engine::command::*;
use ecs_daemon_sim::engine::event::{EventKind, CONTAINER_INSTANCE_HEALTH_CHANGE};
use ecs_daemon_sim::engine::*;

const S: u64 = 1000;
const MIN: u64 = 60 * S;
const HOUR: u64 = 60 * MIN;

fn run_for(sim: &mut Simulation, ms: u64) {
    let t = sim.now() + ms;
    run_checked(sim, t);
}

fn set_auto_repair(sim: &mut Simulation, enabled: bool) {
    ok(
        sim,
        Command::UpdateCapacityProvider(UpdateCapacityProvider {
            name: cp_arn(CP),
            scale_in_after_s: None,
            auto_repair: Some(enabled),
        }),
    );
}

/// Two ACTIVE instances, one app task each (1536 CPU: two never fit one 2-vCPU instance), the
/// critical `monitoring-agent` daemon on both; the provider's auto repair as given.
fn two_instances(seed: u64, auto_repair: bool) -> Simulation {
    let mut sim = Simulation::new(SimConfig::with_seed(seed));
    ok(&mut sim, Command::CreateCluster { name: CLUSTER.into() });
    let Command::CreateCapacityProvider(mut cp) = create_cp(CP, (2, 2), (4096, 4096)) else { unreachable!() };
    cp.auto_repair = auto_repair;
    ok(&mut sim, Command::CreateCapacityProvider(cp));
    ok(&mut sim, dtd("monitoring-agent", "public.ecr.aws/docker/library/nginx:alpine", 256, 512));
    ok(&mut sim, create_daemon("monitoring-agent", "monitoring-agent:1", &[CP]));
    ok(&mut sim, task_def("test-app", 1536, 3072));
    ok(&mut sim, create_service("app-svc", "test-app:1", 2, CP));
    run_for(&mut sim, 15 * MIN);
    let active: Vec<_> =
        live_instances(&sim).into_iter().filter(|i| i.status == InstanceStatus::Active).collect();
    assert_eq!(active.len(), 2, "two ACTIVE instances");
    assert_eq!(sim.service(CLUSTER, "app-svc").unwrap().running_count, 2);
    sim
}

fn live_instances(sim: &Simulation) -> Vec<&ContainerInstance> {
    sim.all_instances().filter(|i| i.status != InstanceStatus::Terminated).collect()
}

/// The first instance and its daemon task (id, ARN).
fn first_daemon_task(sim: &Simulation) -> (String, String, String) {
    let instance = sim.container_instances(CLUSTER).next().unwrap();
    let task = instance
        .tasks
        .iter()
        .filter_map(|k| sim.task_by_key(*k))
        .find(|t| t.is_daemon() && t.is_live())
        .expect("a daemon task");
    (instance.id.clone(), task.id.clone(), task.arn.to_string())
}

/// The health change events of one instance, as (overallStatus, DAEMON check status, reason).
fn health_events(sim: &Simulation, instance_id: &str) -> Vec<(String, String, Option<String>)> {
    sim.events()
        .iter()
        .filter(|e| e.detail_type() == CONTAINER_INSTANCE_HEALTH_CHANGE)
        .map(|e| e.to_json())
        .filter(|e| e["detail"]["containerInstanceArn"].as_str().unwrap().ends_with(instance_id))
        .map(|e| {
            let check = &e["detail"]["healthChecks"][0];
            assert_eq!(check["type"], "DAEMON");
            (
                e["detail"]["overallStatus"].as_str().unwrap().to_string(),
                check["status"].as_str().unwrap().to_string(),
                check["statusReason"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn disabled_keeps_an_instance_with_a_stopped_daemon_active_and_impaired_for_an_hour() {
    let mut sim = two_instances(150, false);
    let launched = sim.all_instances().count();
    let (instance, task_id, task) = first_daemon_task(&sim);
    ok(&mut sim, Command::StopTask { cluster: CLUSTER.into(), task, reason: None });
    let reason = format!("Daemon task: {task_id} is stopped");
    // An hour, checked after every timer: never drained, never replaced, the daemon not restarted.
    let until = sim.now() + HOUR;
    run_observed(&mut sim, until, |sim| {
        let i = sim.container_instance(&instance).unwrap();
        assert_eq!(i.status, InstanceStatus::Active);
        assert_eq!(i.drain_cause, None);
    });
    let i = sim.container_instance(&instance).unwrap();
    assert_eq!(i.health.status, HealthState::Impaired);
    assert_eq!(i.health.overall_status(), HealthState::Impaired);
    assert_eq!(i.health.status_reason.as_deref(), Some(reason.as_str()));
    assert!(sim.repair_held(i));
    assert_eq!(sim.all_instances().count(), launched, "nothing launched for it");
    let daemon_tasks: Vec<_> =
        i.tasks.iter().filter_map(|k| sim.task_by_key(*k)).filter(|t| t.is_daemon()).collect();
    assert!(daemon_tasks.is_empty(), "the critical daemon task was not restarted: {daemon_tasks:?}");
    assert_eq!(sim.service(CLUSTER, "app-svc").unwrap().running_count, 2, "its app task keeps running");
    // The record and its event: INITIALIZING → OK at activation, then IMPAIRED with the reason.
    assert_eq!(
        health_events(&sim, &instance),
        vec![("OK".into(), "OK".into(), None), ("IMPAIRED".into(), "IMPAIRED".into(), Some(reason.clone())),]
    );
    let view = sim.instance_view(sim.container_instance(&instance).unwrap());
    assert!(view.repair_held);
    assert_eq!((view.health, view.health_reason.as_deref()), ("IMPAIRED", Some(reason.as_str())));
    let other = sim.container_instances(CLUSTER).nth(1).unwrap();
    assert_eq!(other.health.status, HealthState::Ok, "the other instance is untouched");
    assert!(!sim.instance_view(other).repair_held);
}

#[test]
fn enabled_replaces_the_instance_with_the_stopped_daemon() {
    let mut sim = two_instances(150, true);
    let (instance, task_id, task) = first_daemon_task(&sim);
    ok(&mut sim, Command::StopTask { cluster: CLUSTER.into(), task, reason: None });
    let i = sim.container_instance(&instance).unwrap();
    assert_eq!((i.status, i.drain_cause), (InstanceStatus::Draining, Some(DrainCause::AutoRepair)));
    let replacement = i.replaced_by.expect("a replacement launched at once");
    assert!(!sim.repair_held(i));
    run_for(&mut sim, HOUR);
    assert_eq!(sim.container_instance(&instance).unwrap().status, InstanceStatus::Terminated);
    let new = sim.instance(replacement).unwrap();
    assert_eq!((new.status, new.health.status), (InstanceStatus::Active, HealthState::Ok));
    assert_eq!(live_instances(&sim).len(), 2);
    assert_eq!(sim.service(CLUSTER, "app-svc").unwrap().running_count, 2);
    let reason = format!("Daemon task: {task_id} is stopped");
    assert_eq!(
        health_events(&sim, &instance),
        vec![("OK".into(), "OK".into(), None), ("IMPAIRED".into(), "IMPAIRED".into(), Some(reason))]
    );
    assert_eq!(health_events(&sim, &new.id), vec![("OK".into(), "OK".into(), None)]);
}

#[test]
fn switching_disabled_to_enabled_repairs_the_held_instance_then_in_the_usual_order() {
    let mut sim = two_instances(151, false);
    let (instance, _, task) = first_daemon_task(&sim);
    ok(&mut sim, Command::StopTask { cluster: CLUSTER.into(), task, reason: None });
    run_for(&mut sim, HOUR);
    assert!(sim.repair_held(sim.container_instance(&instance).unwrap()));
    let events_before = sim.events().len();
    set_auto_repair(&mut sim, true);
    let i = sim.container_instance(&instance).unwrap();
    assert_eq!((i.status, i.drain_cause), (InstanceStatus::Draining, Some(DrainCause::AutoRepair)));
    assert_eq!(i.health.status, HealthState::Impaired, "the IMPAIRED record is kept");
    let replacement = i.replaced_by.expect("a replacement launched at once");
    let app_task =
        i.tasks.iter().filter_map(|k| sim.task_by_key(*k)).find(|t| !t.is_daemon()).unwrap().arn.to_string();
    run_for(&mut sim, HOUR);
    let new = sim.instance(replacement).unwrap();
    assert_eq!((new.status, new.health.status), (InstanceStatus::Active, HealthState::Ok));
    assert_eq!(sim.container_instance(&instance).unwrap().status, InstanceStatus::Terminated);
    // The usual order: the replacement's daemon runs before its app task starts; the old app task
    // stops only after that; then the old instance goes.
    let new_daemon = new.tasks.iter().filter_map(|k| sim.task_by_key(*k)).find(|t| t.is_daemon()).unwrap();
    let new_app = new.tasks.iter().filter_map(|k| sim.task_by_key(*k)).find(|t| !t.is_daemon()).unwrap();
    assert!(new_daemon.started_at.unwrap() < new_app.started_at.unwrap());
    let old_app = sim.task(&app_task).unwrap();
    assert!(old_app.stopping_at.unwrap() >= new_app.started_at.unwrap());
    assert_eq!(sim.service(CLUSTER, "app-svc").unwrap().running_count, 2);
    assert_eq!(live_instances(&sim).len(), 2);
    let states: Vec<&str> = sim.events()[events_before..]
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::ContainerInstanceStateChange(d) if d.container_instance_arn.ends_with(&instance) => {
                Some(d.status)
            }
            _ => None,
        })
        .collect();
    assert_eq!(states.first(), Some(&"DRAINING"));
    assert_eq!(states.last(), Some(&"INACTIVE"));
}

#[test]
fn disabled_keeps_an_unhealthy_critical_daemon_task_running_and_enabling_replaces_it() {
    let mut sim = Simulation::new(SimConfig::with_seed(152));
    ok(&mut sim, Command::CreateCluster { name: CLUSTER.into() });
    let Command::CreateCapacityProvider(mut cp) = create_cp(CP, (2, 4), (4096, 8192)) else { unreachable!() };
    cp.auto_repair = false;
    ok(&mut sim, Command::CreateCapacityProvider(cp));
    ok(&mut sim, health_checked_dtd("agent", "agent:v1"));
    ok(&mut sim, create_daemon("agent", "agent:1", &[CP]));
    ok(&mut sim, task_def("app", 512, 1024));
    ok(&mut sim, create_service("web", "app:1", 1, CP));
    run_for(&mut sim, 10 * MIN);
    let (instance, task_id, task) = first_daemon_task(&sim);
    ok(&mut sim, Command::MakeTaskUnhealthy { task: task.clone() });
    run_for(&mut sim, HOUR);
    let i = sim.container_instance(&instance).unwrap();
    assert_eq!((i.status, i.health.status), (InstanceStatus::Active, HealthState::Impaired));
    assert_eq!(
        i.health.status_reason.as_deref(),
        Some(format!("Daemon task: {task_id} is unhealthy").as_str())
    );
    let t = sim.task(&task).unwrap();
    assert_eq!(
        (t.last_status, t.health_status),
        (TaskStatus::Running, TaskHealth::Unhealthy),
        "left as it failed"
    );
    set_auto_repair(&mut sim, true);
    assert_eq!(sim.container_instance(&instance).unwrap().drain_cause, Some(DrainCause::AutoRepair));
    run_for(&mut sim, HOUR);
    assert_eq!(sim.container_instance(&instance).unwrap().status, InstanceStatus::Terminated);
    assert_eq!(sim.service(CLUSTER, "web").unwrap().running_count, 1);
}

#[test]
fn a_non_critical_daemon_task_is_still_restarted_where_repair_is_disabled() {
    let mut sim = two_instances(153, false);
    ok(&mut sim, dtd("sidekick", "sidekick:1", 128, 128));
    let mut c = create_daemon("sidekick", "sidekick:1", &[CP]);
    if let Command::CreateDaemon(cd) = &mut c {
        cd.critical = Some(false);
    }
    ok(&mut sim, c);
    // Creating a daemon on a provider with instances rolls them; wait for the new fleet.
    run_for(&mut sim, HOUR);
    let sidekick = group_tasks(&sim, "daemon:sidekick").into_iter().find(|t| t.is_live()).unwrap();
    let (instance, arn) = (sidekick.instance, sidekick.arn.to_string());
    ok(&mut sim, Command::StopTask { cluster: CLUSTER.into(), task: arn, reason: None });
    run_for(&mut sim, 5 * MIN);
    let i = sim.instance(instance).unwrap();
    assert_eq!((i.status, i.health.status), (InstanceStatus::Active, HealthState::Ok));
    let live = i.tasks.iter().filter_map(|k| sim.task_by_key(*k)).filter(|t| &*t.group == "daemon:sidekick");
    assert_eq!(live.filter(|t| t.last_status == TaskStatus::Running).count(), 1, "restarted in place");
}

#[test]
fn an_instance_back_from_a_manual_drain_without_its_critical_daemon_is_repaired_or_held() {
    for enabled in [true, false] {
        let mut sim = two_instances(154, enabled);
        let (instance, _, task) = first_daemon_task(&sim);
        let arn = sim.container_instance(&instance).unwrap().arn.to_string();
        let state = |status: &str| Command::UpdateContainerInstancesState {
            cluster: CLUSTER.into(),
            container_instances: vec![arn.clone()],
            status: status.into(),
        };
        ok(&mut sim, state("DRAINING"));
        ok(&mut sim, Command::StopTask { cluster: CLUSTER.into(), task, reason: None });
        // Long enough for the daemon task to stop, not for the drain to finish (the app task
        // waits for its replacement).
        let until = sim.now() + 40 * S;
        while sim.next_event_time().is_some_and(|t| t <= until) {
            sim.step();
            if sim
                .container_instance(&instance)
                .unwrap()
                .tasks
                .iter()
                .all(|k| sim.task_by_key(*k).unwrap().is_live())
            {
                break;
            }
        }
        ok(&mut sim, state("ACTIVE"));
        let i = sim.container_instance(&instance).unwrap();
        assert_eq!(i.health.status, HealthState::Impaired);
        if enabled {
            assert_eq!((i.status, i.drain_cause), (InstanceStatus::Draining, Some(DrainCause::AutoRepair)));
        } else {
            assert_eq!(i.status, InstanceStatus::Active);
            assert!(sim.repair_held(i));
        }
        assert!(check_invariants(&sim).is_empty(), "{:?}", check_invariants(&sim));
        run_for(&mut sim, HOUR);
    }
}

#[test]
fn update_capacity_provider_refusals_change_nothing() {
    let mut sim = two_instances(155, false);
    let before = format!("{sim:?}");
    for bad in [
        UpdateCapacityProvider { name: "nope".into(), scale_in_after_s: None, auto_repair: Some(true) },
        UpdateCapacityProvider {
            name: CP.into(),
            scale_in_after_s: Some(Some(3601)),
            auto_repair: Some(true),
        },
    ] {
        assert!(sim.apply(Command::UpdateCapacityProvider(bad)).is_err());
    }
    assert_eq!(format!("{sim:?}"), before);
    ok(
        &mut sim,
        Command::UpdateCapacityProvider(UpdateCapacityProvider {
            name: CP.into(),
            scale_in_after_s: Some(Some(-1)),
            auto_repair: None,
        }),
    );
    let cp = sim.capacity_provider(CP).unwrap();
    assert_eq!((cp.scale_in_after_s, cp.auto_repair), (Some(-1), false), "only what was named changed");
}
