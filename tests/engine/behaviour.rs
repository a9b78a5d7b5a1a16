//! Engine behaviours beyond the goldens: the legacy-policy pitfall, seed 004 event shapes,
//! non-critical and health-checked daemons, refusals that change nothing, viewer change sets,
//! lifecycle overrides, and timestamp sanity.

use crate::support::engine::*;
use ecs_daemon_sim::engine::command::*;
use ecs_daemon_sim::engine::event::DAEMON_SERVICE_ACTION;
use ecs_daemon_sim::engine::*;

const S: u64 = 1000;
const MIN: u64 = 60 * S;

fn started(sim: &mut Simulation, minutes: u64) {
    let t = sim.now() + minutes * MIN;
    run_checked(sim, t);
}

#[test]
fn legacy_instance_policy_keeps_daemons_from_starting_and_says_why() {
    let mut sim = Simulation::new(SimConfig::with_seed(30));
    ok(&mut sim, Command::CreateCluster { name: CLUSTER.into() });
    let Command::CreateCapacityProvider(mut cp) = create_cp(CP, (2, 4), (4096, 8192)) else { panic!() };
    cp.instance_profile_ready = false; // AmazonEC2ContainerServiceforEC2Role instead of …ForManagedInstances
    ok(&mut sim, Command::CreateCapacityProvider(cp));
    ok(&mut sim, dtd("monitoring-agent", "public.ecr.aws/docker/library/nginx:alpine", 256, 512));
    ok(&mut sim, create_daemon("monitoring-agent", "monitoring-agent:1", &[CP]));
    ok(&mut sim, task_def("test-app", 512, 1024));
    ok(&mut sim, create_service("app-svc", "test-app:1", 1, CP));
    started(&mut sim, 20);
    assert!(sim.tasks(CLUSTER).all(|t| t.started_at.is_none()), "nothing ever started");
    let instance = sim.container_instances(CLUSTER).next().unwrap();
    assert_eq!(instance.status, InstanceStatus::Registering);
    let impaired: Vec<_> = sim
        .events()
        .iter()
        .filter(|e| e.detail_type() == DAEMON_SERVICE_ACTION)
        .map(|e| e.to_json())
        .collect();
    assert!(impaired.len() >= 3, "retried");
    let d = &impaired[0]["detail"];
    assert_eq!(d["eventName"], "DAEMON_TASK_START_IMPAIRED");
    assert_eq!(d["failureType"], "TASK_FAILED_TO_RUN");
    let reason = d["reason"].as_str().unwrap();
    assert!(reason.starts_with("Task failed to reach RUNNING status: "));
    assert!(reason.contains("AmazonECSInstanceRolePolicyForManagedInstances"), "{reason}");
    // Fixing the role lets the next attempt through.
    ok(&mut sim, Command::SetInstanceProfileReady { capacity_provider: CP.into(), ready: true });
    started(&mut sim, 5);
    assert_eq!(sim.container_instances(CLUSTER).next().unwrap().status, InstanceStatus::Active);
    assert_eq!(sim.service(CLUSTER, "app-svc").unwrap().running_count, 1);
}

#[test]
fn daemon_service_action_events_have_the_seed_004_shape() {
    let mut sim = Simulation::new(SimConfig::with_seed(31));
    ok(&mut sim, Command::CreateCluster { name: CLUSTER.into() });
    ok(&mut sim, create_cp(CP, (2, 2), (4096, 4096)));
    ok(&mut sim, Command::SetImageUnpullable { image: "bad:1".into(), unpullable: true });
    ok(&mut sim, dtd("puller", "bad:1", 256, 512));
    ok(&mut sim, dtd("huge", "ok:1", 4096, 512));
    ok(&mut sim, create_daemon("puller", "puller:1", &[CP]));
    let mut c = create_daemon("huge", "huge:1", &[CP]);
    if let Command::CreateDaemon(cd) = &mut c {
        cd.critical = Some(false);
    }
    ok(&mut sim, c);
    ok(&mut sim, task_def("app", 512, 1024));
    ok(&mut sim, create_service("web", "app:1", 1, CP));
    started(&mut sim, 10);
    let events: Vec<_> = sim
        .events()
        .iter()
        .filter(|e| e.detail_type() == DAEMON_SERVICE_ACTION)
        .map(|e| e.to_json())
        .collect();
    let run = events.iter().find(|e| e["detail"]["failureType"] == "TASK_FAILED_TO_RUN").unwrap();
    let create = events.iter().find(|e| e["detail"]["failureType"] == "TASK_CREATION_FAILED").unwrap();
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        keys(run),
        ["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"]
    );
    assert_eq!(
        keys(&run["detail"]),
        [
            "eventType",
            "eventName",
            "clusterArn",
            "containerInstanceArn",
            "taskArn",
            "daemonRevisionArn",
            "capacityProviderName",
            "daemonArn",
            "daemonTaskDefinitionArn",
            "failureType",
            "createdAt",
            "reason"
        ]
    );
    assert_eq!(run["version"], "0");
    assert_eq!(run["source"], "aws.ecs");
    assert_eq!(run["account"], "123456789012");
    assert_eq!(run["region"], "us-east-1");
    assert_eq!(run["detail"]["eventType"], "WARNING");
    assert_eq!(run["resources"][0], run["detail"]["taskArn"]);
    assert_eq!(
        run["detail"]["reason"],
        "Task failed to reach RUNNING status: CannotPullContainerError: pull image manifest has been retried 5 time(s)"
    );
    assert_eq!(
        run["detail"]["daemonTaskDefinitionArn"],
        "arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/puller:1"
    );
    assert_eq!(run["detail"]["capacityProviderName"], CP);
    let time = run["time"].as_str().unwrap();
    assert_eq!(time.len(), "2026-03-24T12:00:00Z".len());
    assert_eq!(run["detail"]["createdAt"].as_str().unwrap().len(), "2026-03-24T12:00:00.000Z".len());
    let task_id = run["detail"]["taskArn"].as_str().unwrap().rsplit('/').next().unwrap();
    assert_eq!(task_id.len(), 32);
    assert!(task_id.bytes().all(|b| b.is_ascii_hexdigit()));
    let id = run["id"].as_str().unwrap();
    assert_eq!(id.len(), 36);
    // TASK_CREATION_FAILED: no taskArn, empty resources, the RESOURCE:CPU reason.
    assert!(create["detail"].get("taskArn").is_none());
    assert_eq!(create["resources"], serde_json::json!([]));
    assert_eq!(
        create["detail"]["reason"],
        "RESOURCE:CPU - Unable to place daemon task on container instance: insufficient CPU"
    );
    assert_eq!(keys(&create["detail"]).len(), 11);
}

#[test]
fn memory_shortage_reports_resource_memory() {
    let mut sim = Simulation::new(SimConfig::with_seed(32));
    ok(&mut sim, Command::CreateCluster { name: CLUSTER.into() });
    ok(&mut sim, create_cp(CP, (2, 2), (4096, 4096)));
    ok(&mut sim, dtd("fat", "ok:1", 256, 8192));
    let mut c = create_daemon("fat", "fat:1", &[CP]);
    if let Command::CreateDaemon(cd) = &mut c {
        cd.critical = Some(false);
    }
    ok(&mut sim, c);
    ok(&mut sim, task_def("app", 512, 1024));
    ok(&mut sim, create_service("web", "app:1", 1, CP));
    started(&mut sim, 8);
    let e = sim.events().iter().find(|e| e.detail_type() == DAEMON_SERVICE_ACTION).unwrap().to_json();
    assert_eq!(
        e["detail"]["reason"],
        "RESOURCE:MEMORY - Unable to place daemon task on container instance: insufficient memory"
    );
}

#[test]
fn a_non_critical_daemon_never_drains_its_instance() {
    let mut sim = seed002_base(33);
    ok(&mut sim, dtd("sidekick", "sidekick:1", 128, 128));
    let mut c = create_daemon("sidekick", "sidekick:1", &[CP]);
    if let Command::CreateDaemon(cd) = &mut c {
        cd.critical = Some(false);
    }
    ok(&mut sim, c);
    ok(&mut sim, create_service("app-svc", "test-app:1", 1, CP));
    started(&mut sim, 10);
    let task = group_tasks(&sim, "daemon:sidekick")[0].arn.to_string();
    ok(&mut sim, Command::StopTask { cluster: CLUSTER.into(), task, reason: None });
    let t = sim.now() + 30 * S;
    run_checked(&mut sim, t);
    let instance = sim.container_instances(CLUSTER).next().unwrap();
    assert_eq!(instance.status, InstanceStatus::Active);
    let daemon = sim.daemon(&daemon_arn("sidekick")).unwrap();
    let counts = sim.current_revisions(daemon);
    assert_eq!(counts[0].total_without_daemon, 1, "counted without the daemon while it is down");
    assert_eq!(counts[0].total_running, 0);
    started(&mut sim, 3);
    let counts = sim.current_revisions(sim.daemon(&daemon_arn("sidekick")).unwrap());
    assert_eq!((counts[0].total_running, counts[0].total_without_daemon), (1, 0), "restarted in place");
    assert_eq!(sim.container_instances(CLUSTER).count(), 1, "no replacement");
    assert_eq!(group_tasks(&sim, "daemon:sidekick").len(), 2);
}

#[test]
fn a_health_checked_daemon_gates_registration_and_unhealthy_triggers_auto_repair() {
    let mut sim = Simulation::new(SimConfig::with_seed(34));
    ok(&mut sim, Command::CreateCluster { name: CLUSTER.into() });
    ok(&mut sim, create_cp(CP, (2, 4), (4096, 8192)));
    ok(&mut sim, health_checked_dtd("agent", "agent:v1"));
    ok(&mut sim, create_daemon("agent", "agent:1", &[CP]));
    ok(&mut sim, task_def("app", 512, 1024));
    ok(&mut sim, create_service("web", "app:1", 1, CP));
    started(&mut sim, 10);
    let d = group_tasks(&sim, "daemon:agent")[0];
    let i = sim.container_instances(CLUSTER).next().unwrap();
    assert_eq!(d.health_status, TaskHealth::Healthy);
    assert!(i.activated_at.unwrap() > d.started_at.unwrap(), "ACTIVE only once HEALTHY");
    let task = d.arn.to_string();
    let first = i.id.clone();
    ok(&mut sim, Command::MakeTaskUnhealthy { task });
    let i = sim.container_instance(&first).unwrap();
    assert_eq!(i.status, InstanceStatus::Draining);
    assert_eq!(i.health.status, HealthState::Impaired);
    assert!(i.health.status_reason.as_deref().unwrap().ends_with("is unhealthy"));
    started(&mut sim, 15);
    assert_eq!(sim.container_instance(&first).unwrap().status, InstanceStatus::Terminated);
    assert_eq!(sim.container_instances(CLUSTER).count(), 1);
    assert_eq!(sim.service(CLUSTER, "web").unwrap().running_count, 1);
}

/// Found by the seed sweep (seeds 3895 and 5459): a health-checked critical daemon task made
/// unhealthy while its instance is still REGISTERING could never turn HEALTHY again, so the
/// instance stayed REGISTERING for good, with the app tasks promised to it and the deployments
/// that wanted to replace it. It is now stopped and restarted in place.
#[test]
fn an_unhealthy_critical_daemon_on_a_registering_instance_is_restarted_and_the_instance_registers() {
    let mut sim = Simulation::new(SimConfig::with_seed(36));
    ok(&mut sim, Command::CreateCluster { name: CLUSTER.into() });
    ok(&mut sim, create_cp(CP, (2, 4), (4096, 8192)));
    ok(&mut sim, health_checked_dtd("agent", "agent:v1"));
    ok(&mut sim, create_daemon("agent", "agent:1", &[CP]));
    ok(&mut sim, task_def("app", 512, 1024));
    ok(&mut sim, create_service("web", "app:1", 1, CP));
    // Up to the moment the daemon task runs but has not passed its health check yet.
    let first = loop {
        assert!(sim.step(), "the daemon task never ran");
        let running = group_tasks(&sim, "daemon:agent")
            .into_iter()
            .find(|t| t.last_status == TaskStatus::Running && t.health_status == TaskHealth::Unknown);
        if let Some(t) = running {
            break t.arn.to_string();
        }
    };
    let instance = sim.container_instances(CLUSTER).next().unwrap().arn.to_string();
    assert_eq!(sim.container_instance(&instance).unwrap().status, InstanceStatus::Registering);
    ok(&mut sim, Command::MakeTaskUnhealthy { task: first.clone() });
    let i = sim.container_instance(&instance).unwrap();
    assert_eq!(i.status, InstanceStatus::Registering, "a REGISTERING instance is not drained");
    assert_eq!(i.health.status, HealthState::Impaired);
    started(&mut sim, 10);
    let i = sim.container_instance(&instance).unwrap();
    assert_eq!(i.status, InstanceStatus::Active);
    assert_eq!(i.health.status, HealthState::Ok);
    let daemons = group_tasks(&sim, "daemon:agent");
    assert_eq!(daemons.len(), 2);
    let old = daemons.iter().find(|t| *t.arn == *first).unwrap();
    assert_eq!((old.last_status, old.health_status), (TaskStatus::Stopped, TaskHealth::Unhealthy));
    let new = daemons.iter().find(|t| *t.arn != *first).unwrap();
    assert_eq!((new.last_status, new.health_status), (TaskStatus::Running, TaskHealth::Healthy));
    assert!(i.activated_at.unwrap() > new.started_at.unwrap());
    assert_eq!(sim.service(CLUSTER, "web").unwrap().running_count, 1);
}

#[test]
fn refused_commands_name_the_problem_and_change_nothing() {
    let mut sim = seed002_base(35);
    ok(&mut sim, create_service("app-svc", "test-app:1", 1, CP));
    started(&mut sim, 10);
    ok(&mut sim, Command::CreateCluster { name: "other".into() });
    let Command::CreateDaemon(mut token) = create_daemon("tokened", "monitoring-agent:1", &[CP]) else {
        panic!()
    };
    token.client_token = Some("abc".into());
    let first = ok(&mut sim, Command::CreateDaemon(token.clone()));
    assert_eq!(
        ok(&mut sim, Command::CreateDaemon(token.clone())),
        first,
        "replay answers the first response"
    );
    let mut changed = token.clone();
    changed.enable_execute_command = false;
    let cases: Vec<(Command, ErrorKind, &str)> = vec![
        (Command::CreateDaemon(changed), ErrorKind::InvalidParameterException, "clientToken"),
        (
            create_daemon("monitoring-agent", "monitoring-agent:1", &[CP]),
            ErrorKind::InvalidParameterException,
            "daemonName",
        ),
        (create_daemon("x", "nope:1", &[CP]), ErrorKind::ClientException, "daemonTaskDefinitionArn"),
        (
            create_daemon("x", "monitoring-agent:1", &["missing-cp"]),
            ErrorKind::InvalidParameterException,
            "capacityProviderArns",
        ),
        (
            create_daemon("x", "monitoring-agent:1", &[]),
            ErrorKind::InvalidParameterException,
            "capacityProviderArns",
        ),
        (
            Command::CreateDaemon(CreateDaemon {
                cluster: "nope".into(),
                client_token: None,
                ..token.clone()
            }),
            ErrorKind::ClusterNotFoundException,
            "nope",
        ),
        (
            Command::CreateDaemon(CreateDaemon {
                cluster: "other".into(),
                daemon_name: "y".into(),
                client_token: None,
                ..token.clone()
            }),
            ErrorKind::InvalidParameterException,
            "not associated",
        ),
        (
            update_daemon(
                "monitoring-agent",
                "monitoring-agent:1",
                &[CP],
                Some(DeploymentConfig { drain_percent: 101.0, ..Default::default() }),
            ),
            ErrorKind::InvalidParameterException,
            "drainPercent",
        ),
        (
            update_daemon(
                "monitoring-agent",
                "monitoring-agent:1",
                &[CP],
                Some(DeploymentConfig { bake_time_in_minutes: 1441, ..Default::default() }),
            ),
            ErrorKind::InvalidParameterException,
            "bakeTimeInMinutes",
        ),
        (
            update_daemon("ghost", "monitoring-agent:1", &[CP], None),
            ErrorKind::DaemonNotFoundException,
            "ghost",
        ),
        (
            Command::DeleteDaemon { daemon: "not-an-arn".into() },
            ErrorKind::InvalidParameterException,
            "daemonArn",
        ),
        (
            Command::UpdateService {
                cluster: CLUSTER.into(),
                service: "ghost".into(),
                desired_count: Some(1),
            },
            ErrorKind::ServiceNotFoundException,
            "ghost",
        ),
        (
            Command::DeleteService { cluster: CLUSTER.into(), service: "app-svc".into(), force: false },
            ErrorKind::InvalidParameterException,
            "scaled above 0",
        ),
        (
            Command::StopTask { cluster: CLUSTER.into(), task: "feedface".into(), reason: None },
            ErrorKind::InvalidParameterException,
            "task",
        ),
        (
            Command::TerminateInstances { instance_ids: vec!["i-0nope".into()] },
            ErrorKind::InvalidInstanceIdNotFound,
            "i-0nope",
        ),
        (Command::DeleteCapacityProvider { name: CP.into() }, ErrorKind::ResourceInUseException, CP),
        (
            Command::DeleteCluster { cluster: CLUSTER.into() },
            ErrorKind::ClusterContainsServicesException,
            "Services",
        ),
        (
            Command::SetAlarmState { name: "ghost".into(), state: "ALARM".into(), reason: String::new() },
            ErrorKind::ResourceNotFoundException,
            "ghost",
        ),
        (
            Command::SetDeploymentDrainPercent {
                daemon: daemon_arn("monitoring-agent"),
                drain_percent: 50.0,
            },
            ErrorKind::InvalidParameterException,
            "no deployment in progress",
        ),
        (create_cp("ecs-reserved", (2, 4), (4096, 8192)), ErrorKind::InvalidParameterException, "name"),
        (create_cp("tiny", (1, 1), (512, 512)), ErrorKind::InvalidParameterException, "instanceRequirements"),
        (
            Command::DeleteDaemonTaskDefinition { daemon_task_definition: "monitoring-agent".into() },
            ErrorKind::InvalidParameterException,
            "revision",
        ),
    ];
    for (command, kind, needle) in cases {
        let before = format!("{sim:?}");
        let e = sim.apply(command.clone()).expect_err(&format!("{command:?} should be refused"));
        assert_eq!(e.kind, kind, "{command:?}: {}", e.message);
        assert!(e.message.contains(needle), "{:?}: message {:?} should mention {needle}", command, e.message);
        assert_eq!(before, format!("{sim:?}"), "{command:?} changed the simulation");
    }
    assert_eq!(ErrorKind::DaemonNotActiveException.as_str(), "DaemonNotActiveException");
    assert_eq!(ErrorKind::InvalidInstanceIdNotFound.as_str(), "InvalidInstanceID.NotFound");
}

#[test]
fn change_sets_patch_only_what_changed() {
    let mut sim = seed002_base(36);
    ok(&mut sim, create_service("app-svc", "test-app:1", 1, CP));
    started(&mut sim, 10);
    let first = sim.take_changes();
    assert_eq!(first.changed.len(), 1, "{first:#?}");
    let tile = &first.changed[0];
    assert_eq!(tile.status, "ACTIVE");
    assert_eq!(tile.daemon_tasks.len(), 1);
    assert_eq!(tile.daemon_tasks[0].daemon, "monitoring-agent");
    assert_eq!(tile.daemon_tasks[0].task_definition, "monitoring-agent:1");
    assert_eq!(tile.daemon_tasks[0].status, "RUNNING");
    assert_eq!(tile.app_tasks.len(), 1);
    assert_eq!(tile.app_tasks[0].group, "service:app-svc");
    started(&mut sim, 10);
    assert!(sim.take_changes().changed.is_empty(), "nothing happened, nothing to patch");
    let snapshot = sim.snapshot();
    assert_eq!(snapshot.instances, first.changed);
    let ec2 = snapshot.instances[0].ec2_instance_id.clone();
    let id = snapshot.instances[0].container_instance_id.clone();
    ok(&mut sim, Command::TerminateInstances { instance_ids: vec![ec2] });
    let c = sim.take_changes();
    // The terminated instance drains, and the service's new capacity appears as a launching tile
    // holding the promised app task.
    assert_eq!(c.changed.len(), 2);
    assert_eq!(c.changed[0].status, "DRAINING");
    assert_eq!(c.changed[0].drain_cause, Some("TERMINATED"));
    assert_eq!(c.changed[1].status, "PROVISIONING");
    assert_eq!(c.changed[1].app_tasks[0].status, "PROMISED");
    started(&mut sim, 15);
    let c = sim.take_changes();
    assert!(c.removed.contains(&id));
    let snap = sim.snapshot();
    assert_eq!(snap.instances.len(), 1, "the replacement capacity for the service: {snap:#?}");
    // Reading change sets never alters the simulation's course.
    let mut a = seed002_base(37);
    let mut b = seed002_base(37);
    ok(&mut a, create_service("app-svc", "test-app:1", 2, CP));
    ok(&mut b, create_service("app-svc", "test-app:1", 2, CP));
    for _ in 0..200 {
        a.step();
        a.take_changes();
        b.step();
    }
    assert_eq!(a.event_log_hash(), b.event_log_hash());
}

#[test]
fn lifecycle_table_overrides_change_timings() {
    let mut config = SimConfig::with_seed(38);
    config.lifecycle.set(Stage::DaemonActivating, 60 * S, 0);
    config.lifecycle.set(Stage::DaemonPending, 0, 0);
    let mut sim = Simulation::new(config);
    ok(&mut sim, Command::CreateCluster { name: CLUSTER.into() });
    ok(&mut sim, create_cp(CP, (2, 4), (4096, 8192)));
    ok(&mut sim, dtd("agent", "agent:1", 256, 512));
    ok(&mut sim, create_daemon("agent", "agent:1", &[CP]));
    ok(&mut sim, task_def("app", 512, 1024));
    ok(&mut sim, create_service("web", "app:1", 1, CP));
    started(&mut sim, 15);
    let d = group_tasks(&sim, "daemon:agent")[0];
    assert_eq!(d.started_at.unwrap() - d.created_at, 60 * S);
    let rows = sim.lifecycle().rows();
    let row = rows.iter().find(|r| r.stage == Stage::DaemonActivating).unwrap();
    assert_eq!((row.delay_ms, row.from, row.to), (60 * S, "ACTIVATING", "RUNNING"));
}

#[test]
fn timestamps_and_event_times_are_ordered() {
    let mut sim = seed002_base(39);
    ok(&mut sim, create_service("app-svc", "test-app:1", 3, CP));
    started(&mut sim, 10);
    ok(&mut sim, dtd("monitoring-agent", "agent:v2", 256, 512));
    ok(&mut sim, update_daemon("monitoring-agent", "monitoring-agent:2", &[CP], None));
    started(&mut sim, 40);
    for t in sim.tasks(CLUSTER) {
        let mut last = t.created_at;
        for ts in [t.pull_started_at, t.started_at, t.stopping_at, t.stopped_at].into_iter().flatten() {
            assert!(ts >= last, "task {} timestamps out of order", t.id);
            last = ts;
        }
        assert!(t.stopped_at.is_none() || t.last_status == TaskStatus::Stopped);
    }
    let times: Vec<u64> = sim.events().iter().map(|e| e.time_ms).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
    let ids: std::collections::BTreeSet<String> = sim.events().iter().map(|e| e.id()).collect();
    assert_eq!(ids.len(), sim.events().len(), "event ids are unique");
}

#[test]
fn seed_002_cleanup_sequence_runs_without_error() {
    for seed in 40..60 {
        cleanup(seed);
    }
}

fn cleanup(seed: u64) {
    let mut sim = seed002_base(seed);
    ok(&mut sim, create_service("app-svc", "test-app:1", 1, CP));
    started(&mut sim, 10);
    ok(
        &mut sim,
        Command::UpdateService { cluster: CLUSTER.into(), service: "app-svc".into(), desired_count: Some(0) },
    );
    ok(&mut sim, Command::DeleteService { cluster: CLUSTER.into(), service: "app-svc".into(), force: false });
    ok(&mut sim, Command::DeleteDaemon { daemon: daemon_arn("monitoring-agent") });
    let t = sim.now() + 60 * S;
    run_checked(&mut sim, t);
    ok(&mut sim, Command::DeleteCapacityProvider { name: CP.into() });
    let t = sim.now() + 60 * S;
    run_checked(&mut sim, t);
    if std::env::var("SHOW").is_ok() {
        for e in sim.events().iter().rev().take(30).rev() {
            let j = e.to_json();
            println!(
                "{seed} {} {} {}",
                j["time"],
                e.detail_type(),
                j["detail"]["status"]
                    .as_str()
                    .or(j["detail"]["lastStatus"].as_str())
                    .or(j["detail"]["eventName"].as_str())
                    .unwrap_or("")
            );
        }
    }
    ok(&mut sim, Command::DeleteCluster { cluster: CLUSTER.into() });
    assert_eq!(sim.cluster(CLUSTER).unwrap().status, ClusterStatus::Inactive);
    started(&mut sim, 5);
    assert!(sim.capacity_provider(CP).is_none());
    assert!(sim.daemon(&daemon_arn("monitoring-agent")).is_none());
    assert!(sim.tasks(CLUSTER).all(|t| t.last_status == TaskStatus::Stopped));
    assert_eq!(sim.service(CLUSTER, "app-svc").unwrap().status, ServiceStatus::Inactive);
    started(&mut sim, 30);
    assert!(check_invariants(&sim).is_empty());
}

#[test]
fn run_task_answers_with_provisioning_tasks_that_start_after_the_daemon() {
    let mut sim = seed002_base(41);
    let out = ok(
        &mut sim,
        Command::RunTask(RunTask {
            cluster: CLUSTER.into(),
            task_definition: "test-app".into(),
            count: 2,
            capacity_provider: None,
            group: None,
            started_by: None,
        }),
    );
    let Outcome::Tasks { arns } = out else { panic!("{out:?}") };
    assert_eq!(arns.len(), 2);
    let t = sim.task(&arns[0]).unwrap();
    assert_eq!(t.last_status, TaskStatus::Provisioning);
    assert_eq!(&*t.group, "family:test-app");
    started(&mut sim, 10);
    let d = group_tasks(&sim, "daemon:monitoring-agent")[0].started_at.unwrap();
    for arn in &arns {
        let t = sim.task(arn).unwrap();
        assert_eq!(t.last_status, TaskStatus::Running);
        assert!(t.started_at.unwrap() > d);
    }
    // Stopped standalone tasks are not replaced.
    ok(&mut sim, Command::StopTask { cluster: CLUSTER.into(), task: arns[0].clone(), reason: None });
    started(&mut sim, 5);
    assert_eq!(sim.tasks(CLUSTER).filter(|t| !t.is_daemon() && t.is_live()).count(), 1);
}

/// Found by the seed sweep once its providers got instance ceilings: a service that could not
/// place a task because its provider was at its maximum was never retried when an instance
/// terminated and brought the provider back under it, so it starved for good.
#[test]
fn a_service_starved_by_the_instance_maximum_retries_when_an_instance_terminates() {
    let mut sim = Simulation::new(SimConfig::with_seed(37));
    ok(&mut sim, Command::CreateCluster { name: CLUSTER.into() });
    let Command::CreateCapacityProvider(mut cp) = create_cp(CP, (2, 2), (4096, 4096)) else { panic!() };
    cp.max_instances = Some(1);
    ok(&mut sim, Command::CreateCapacityProvider(cp));
    ok(&mut sim, dtd("agent", "agent:v1", 256, 512));
    ok(&mut sim, create_daemon("agent", "agent:1", &[CP]));
    // One task fills an instance; the second has nowhere to go at the maximum of one instance.
    ok(&mut sim, task_def("app", 1536, 3072));
    ok(&mut sim, create_service("web", "app:1", 2, CP));
    started(&mut sim, 10);
    assert_eq!(sim.container_instances(CLUSTER).count(), 1);
    assert_eq!(sim.service(CLUSTER, "web").unwrap().running_count, 1);
    let first = sim.container_instances(CLUSTER).next().unwrap();
    let (first_id, ec2) = (first.id.clone(), first.ec2_instance_id.to_string());
    ok(&mut sim, Command::TerminateInstances { instance_ids: vec![ec2] });
    started(&mut sim, 15);
    assert_eq!(sim.container_instance(&first_id).unwrap().status, InstanceStatus::Terminated);
    let live: Vec<_> = sim
        .container_instances(CLUSTER)
        .filter(|i| i.status != InstanceStatus::Terminated)
        .map(|i| i.status)
        .collect();
    assert_eq!(live, [InstanceStatus::Active], "a new instance under the maximum");
    assert_eq!(sim.service(CLUSTER, "web").unwrap().running_count, 1);
}

/// The idle wait before scale-in is a lifecycle stage like any other: its row's jitter applies,
/// and a provider's own scaleInAfter replaces the row's delay but keeps its jitter. Before it went
/// through the stage handler, a jittered row still scaled in after exactly its delay.
#[test]
fn idle_scale_in_goes_through_the_lifecycle_table() {
    let wait = |seed: u64, scale_in_after_s: Option<i64>| -> u64 {
        let mut config = SimConfig::with_seed(seed);
        config.lifecycle.set(Stage::IdleScaleIn, 120 * S, 60 * S);
        let mut sim = Simulation::new(config);
        ok(&mut sim, Command::CreateCluster { name: CLUSTER.into() });
        let Command::CreateCapacityProvider(mut cp) = create_cp(CP, (2, 4), (4096, 8192)) else { panic!() };
        cp.scale_in_after_s = scale_in_after_s;
        ok(&mut sim, Command::CreateCapacityProvider(cp));
        ok(&mut sim, dtd("agent", "agent:1", 256, 512));
        ok(&mut sim, create_daemon("agent", "agent:1", &[CP]));
        ok(&mut sim, task_def("app", 512, 1024));
        ok(&mut sim, create_service("web", "app:1", 1, CP));
        started(&mut sim, 15);
        let scale_to_zero =
            Command::UpdateService { cluster: CLUSTER.into(), service: "web".into(), desired_count: Some(0) };
        ok(&mut sim, scale_to_zero);
        let mut since = None;
        loop {
            let i = sim.container_instances(CLUSTER).next().expect("the instance");
            since = since.or(i.idle_since);
            if i.drain_cause == Some(DrainCause::ScaleIn) {
                return sim.elapsed() - since.expect("idle before scale-in");
            }
            assert!(sim.step(), "seed {seed}: the idle instance never scaled in");
        }
    };
    for (override_s, delay) in [(None, 120 * S), (Some(90), 90 * S)] {
        let waits: Vec<u64> = (0..6).map(|seed| wait(seed, override_s)).collect();
        assert!(
            waits.iter().all(|w| (delay - 60 * S..=delay + 60 * S).contains(w)),
            "{override_s:?}: {waits:?}"
        );
        assert!(waits.iter().any(|&w| w != delay), "{override_s:?}: the row's jitter applies: {waits:?}");
    }
}
