//! Daemon deployments — rolling replacement in drainPercent batches (sliding window),
//! bake time, alarms, circuit breaker, rollback, supersession, create/delete deployments.

use crate::support::engine::*;
use ecs_daemon_sim::engine::command::*;
use ecs_daemon_sim::engine::event::DAEMON_DEPLOYMENT_STATE_CHANGE;
use ecs_daemon_sim::engine::*;

const S: u64 = 1000;
const MIN: u64 = 60 * S;

/// `n` instances on a c6i.large provider, one 1536/3072 app task each, daemon `agent` (256/512).
fn fleet(seed: u64, n: u32) -> Simulation {
    fleet_with_ceiling(seed, n, None)
}

/// `n` app tasks, one per instance, on a provider allowed at most `max_instances` (None: no maximum).
fn fleet_with_ceiling(seed: u64, n: u32, max_instances: Option<u32>) -> Simulation {
    let mut sim = Simulation::new(SimConfig::with_seed(seed));
    ok(&mut sim, Command::CreateCluster { name: CLUSTER.into() });
    let Command::CreateCapacityProvider(mut cp) = create_cp(CP, (2, 2), (4096, 4096)) else { panic!() };
    cp.max_instances = max_instances;
    ok(&mut sim, Command::CreateCapacityProvider(cp));
    ok(&mut sim, dtd("agent", "agent:v1", 256, 512));
    ok(&mut sim, create_daemon("agent", "agent:1", &[CP]));
    ok(&mut sim, task_def("app", 1536, 3072));
    ok(&mut sim, create_service("web", "app:1", n, CP));
    let t = sim.now() + 15 * MIN;
    run_checked(&mut sim, t);
    assert_eq!(sim.service(CLUSTER, "web").unwrap().running_count, n);
    sim
}

fn deploy(sim: &mut Simulation, image: &str, config: DeploymentConfig) -> String {
    let Outcome::DaemonTaskDefinition { arn } = ok(sim, dtd("agent", image, 256, 512)) else { panic!() };
    let Outcome::Daemon { deployment_arn, .. } = ok(sim, update_daemon("agent", &arn, &[CP], Some(config)))
    else {
        panic!()
    };
    deployment_arn
}

fn config(drain_percent: f64, bake: u32) -> DeploymentConfig {
    DeploymentConfig { drain_percent, bake_time_in_minutes: bake, ..Default::default() }
}

fn deployment_events(sim: &Simulation, arn: &str) -> Vec<String> {
    sim.events()
        .iter()
        .filter(|e| e.detail_type() == DAEMON_DEPLOYMENT_STATE_CHANGE)
        .map(|e| e.to_json())
        .filter(|j| j["detail"]["daemonDeploymentArn"] == arn)
        .map(|j| j["detail"]["eventName"].as_str().unwrap().to_string())
        .collect()
}

/// Runs to `until`, tracking the deployment's window and the service's running count.
fn watch(sim: &mut Simulation, until: u64, arn: &str) -> (usize, u32) {
    let mut max_window = 0;
    let mut min_running = u32::MAX;
    run_observed(sim, until, |sim| {
        let dep = sim.deployment(arn).unwrap();
        let draining = sim
            .all_instances()
            .filter(|i| i.drain_cause == Some(DrainCause::Deployment(dep.key)))
            .filter(|i| matches!(i.status, InstanceStatus::Draining | InstanceStatus::Deregistering))
            .count();
        max_window = max_window.max(draining);
        min_running = min_running.min(sim.service(CLUSTER, "web").unwrap().running_count);
    });
    (max_window, min_running)
}

#[test]
fn rolling_update_keeps_the_sliding_window_and_zero_downtime() {
    for (n, pct, batch) in [(8u32, 25.0, 2usize), (4, 100.0, 4), (5, 0.0, 1), (10, 10.0, 1), (6, 50.0, 3)] {
        let mut sim = fleet(n as u64, n);
        let arn = deploy(&mut sim, "agent:v2", config(pct, 0));
        let until = sim.now() + 90 * MIN;
        let (max_window, min_running) = watch(&mut sim, until, &arn);
        let dep = sim.deployment(&arn).unwrap();
        assert_eq!(dep.status, DeploymentStatus::Successful, "n={n} pct={pct}");
        assert_eq!(dep.batch_size as usize, batch);
        assert_eq!(batch_size(n, pct) as usize, batch);
        assert_eq!(max_window, batch, "n={n} pct={pct}: window never filled or overflowed");
        assert_eq!(min_running, n, "n={n}: app downtime");
        assert_eq!(dep.replaced, n);
        assert_eq!(revision_of_all(&sim), vec!["agent:2".to_string(); n as usize]);
        assert_eq!(sim.container_instances(CLUSTER).count(), n as usize);
        assert_eq!(
            deployment_events(&sim, &arn),
            ["DAEMON_DEPLOYMENT_PENDING", "DAEMON_DEPLOYMENT_IN_PROGRESS", "DAEMON_DEPLOYMENT_SUCCESSFUL"]
        );
        assert_eq!(dep.circuit_breaker.status, MonitorStatus::MonitoringComplete);
        assert!(dep.started_at.unwrap() - dep.created_at == 5 * S);
    }
}

#[test]
fn drain_percent_change_applies_from_the_next_admission() {
    let mut sim = fleet(11, 8);
    let arn = deploy(&mut sim, "agent:v2", config(25.0, 0));
    let t = sim.now() + 2 * MIN;
    run_checked(&mut sim, t);
    assert_eq!(sim.deployment(&arn).unwrap().draining.len(), 2);
    ok(&mut sim, Command::SetDeploymentDrainPercent { daemon: daemon_arn("agent"), drain_percent: 100.0 });
    let dep = sim.deployment(&arn).unwrap();
    assert_eq!(dep.batch_size, 8);
    assert_eq!(dep.draining.len(), 8, "the rest joined the window at once");
    let until = sim.now() + 30 * MIN;
    run_checked(&mut sim, until);
    assert_eq!(sim.deployment(&arn).unwrap().status, DeploymentStatus::Successful);
    assert_eq!(sim.deployment(&arn).unwrap().config.drain_percent, 100.0);
}

#[test]
fn bake_time_delays_success_and_keeps_watching_alarms() {
    let mut sim = fleet(12, 2);
    let arn = deploy(&mut sim, "agent:v2", config(50.0, 5));
    let until = sim.now() + 60 * MIN;
    let mut last_gone = 0;
    run_observed(&mut sim, until, |sim| {
        if sim
            .all_instances()
            .any(|i| i.status == InstanceStatus::Terminated && i.status_changed_at == sim.now())
        {
            last_gone = sim.now();
        }
    });
    let dep = sim.deployment(&arn).unwrap();
    assert_eq!(dep.status, DeploymentStatus::Successful);
    assert_eq!(
        dep.finished_at.unwrap() - last_gone,
        5 * MIN,
        "SUCCESSFUL exactly bakeTimeInMinutes after the last instance"
    );
}

fn alarmed_config(bake: u32) -> DeploymentConfig {
    DeploymentConfig {
        drain_percent: 50.0,
        bake_time_in_minutes: bake,
        alarm_names: vec!["errors".into()],
        alarms_enabled: true,
    }
}

fn set_alarm(sim: &mut Simulation, state: &str) {
    ok(sim, Command::SetAlarmState { name: "errors".into(), state: state.into(), reason: "test".into() });
}

#[test]
fn an_alarm_already_in_alarm_at_the_start_is_ignored_until_it_re_enters() {
    let mut sim = fleet(13, 2);
    ok(&mut sim, Command::PutMetricAlarm { name: "errors".into() });
    set_alarm(&mut sim, "ALARM");
    let arn = deploy(&mut sim, "agent:v2", alarmed_config(0));
    let until = sim.now() + 30 * MIN;
    run_checked(&mut sim, until);
    let dep = sim.deployment(&arn).unwrap();
    assert_eq!(dep.status, DeploymentStatus::Successful, "pre-existing ALARM ignored");
    assert_eq!(dep.alarms.status, MonitorStatus::MonitoringComplete);

    // Same again, but the alarm leaves ALARM and re-enters it mid-deployment: rollback.
    let arn = deploy(&mut sim, "agent:v3", alarmed_config(0));
    let t = sim.now() + 3 * MIN;
    run_checked(&mut sim, t);
    set_alarm(&mut sim, "OK");
    set_alarm(&mut sim, "ALARM");
    let until = sim.now() + 40 * MIN;
    run_checked(&mut sim, until);
    let dep = sim.deployment(&arn).unwrap();
    assert_eq!(dep.status, DeploymentStatus::RollbackSuccessful);
    assert_eq!(dep.alarms.status, MonitorStatus::Triggered);
    assert_eq!(dep.alarms.triggered_alarm_names, vec!["errors".to_string()]);
    let rb = dep.rollback.as_ref().unwrap();
    assert_eq!(
        sim.revision(rb.target_revision).unwrap().daemon_task_definition.rsplit('/').next(),
        Some("agent:2")
    );
    assert_eq!(
        revision_of_all(&sim),
        vec!["agent:2".to_string(); 2],
        "rollback restored the source revision"
    );
    assert_eq!(
        deployment_events(&sim, &arn),
        [
            "DAEMON_DEPLOYMENT_PENDING",
            "DAEMON_DEPLOYMENT_IN_PROGRESS",
            "DAEMON_DEPLOYMENT_STOP_REQUESTED",
            "DAEMON_DEPLOYMENT_ROLLBACK_IN_PROGRESS",
            "DAEMON_DEPLOYMENT_ROLLBACK_SUCCESSFUL"
        ]
    );
}

#[test]
fn circuit_breaker_rolls_back_and_a_failing_rollback_ends_rollback_failed() {
    let mut sim = fleet(14, 3);
    ok(&mut sim, Command::SetImageUnpullable { image: "agent:bad".into(), unpullable: true });
    let arn = deploy(&mut sim, "agent:bad", config(34.0, 0));
    let until = sim.now() + 30 * MIN;
    run_checked(&mut sim, until);
    let dep = sim.deployment(&arn).unwrap();
    assert_eq!(dep.status, DeploymentStatus::RollbackSuccessful);
    assert_eq!(dep.circuit_breaker.status, MonitorStatus::Triggered);
    assert_eq!(dep.circuit_breaker.failure_count, dep.circuit_breaker.threshold);
    assert_eq!(dep.circuit_breaker.threshold, 3);
    assert_eq!(dep.rollback.as_ref().unwrap().reason, "circuit breaker initiated the rollback");
    assert_eq!(
        deployment_events(&sim, &arn),
        [
            "DAEMON_DEPLOYMENT_PENDING",
            "DAEMON_DEPLOYMENT_IN_PROGRESS",
            "DAEMON_DEPLOYMENT_STOP_REQUESTED",
            "DAEMON_DEPLOYMENT_ROLLBACK_IN_PROGRESS",
            "DAEMON_DEPLOYMENT_ROLLBACK_SUCCESSFUL"
        ]
    );
    assert_eq!(revision_of_all(&sim), vec!["agent:1".to_string(); 3]);
    assert_eq!(sim.service(CLUSTER, "web").unwrap().running_count, 3);

    // Now the source image breaks too while rolling back: ROLLBACK_FAILED (an ERROR event).
    let mut sim2 = fleet(15, 3);
    ok(&mut sim2, Command::SetImageUnpullable { image: "agent:bad".into(), unpullable: true });
    let arn = deploy(&mut sim2, "agent:bad", config(34.0, 0));
    let mut poisoned = false;
    let until = sim2.now() + 60 * MIN;
    while sim2.now() < until {
        let t = sim2.now() + 10 * S;
        run_checked(&mut sim2, t);
        if !poisoned && sim2.deployment(&arn).unwrap().status == DeploymentStatus::RollbackInProgress {
            ok(&mut sim2, Command::SetImageUnpullable { image: "agent:v1".into(), unpullable: true });
            poisoned = true;
        }
    }
    let dep = sim2.deployment(&arn).unwrap();
    assert_eq!(dep.status, DeploymentStatus::RollbackFailed);
    let last = sim2
        .events()
        .iter()
        .rev()
        .find(|e| e.detail_type() == DAEMON_DEPLOYMENT_STATE_CHANGE)
        .unwrap()
        .to_json();
    assert_eq!(last["detail"]["eventName"], "DAEMON_DEPLOYMENT_ROLLBACK_FAILED");
    assert_eq!(last["detail"]["eventType"], "ERROR");
}

#[test]
fn first_deployment_failing_has_nothing_to_roll_back_to_and_stops() {
    let mut sim = Simulation::new(SimConfig::with_seed(16));
    ok(&mut sim, Command::CreateCluster { name: CLUSTER.into() });
    ok(&mut sim, create_cp(CP, (2, 2), (4096, 4096)));
    ok(&mut sim, task_def("app", 512, 1024));
    ok(&mut sim, create_service("web", "app:1", 2, CP));
    let t = sim.now() + 10 * MIN;
    run_checked(&mut sim, t);
    assert_eq!(sim.container_instances(CLUSTER).count(), 1);
    ok(&mut sim, Command::SetImageUnpullable { image: "agent:bad".into(), unpullable: true });
    ok(&mut sim, dtd("agent", "agent:bad", 256, 512));
    let Outcome::Daemon { deployment_arn, .. } = ok(&mut sim, create_daemon("agent", "agent:1", &[CP]))
    else {
        panic!()
    };
    let t = sim.now() + 30 * MIN;
    run_checked(&mut sim, t);
    let dep = sim.deployment(&deployment_arn).unwrap();
    assert_eq!(dep.status, DeploymentStatus::Stopped);
    assert!(dep.status_reason.as_deref().unwrap().contains("no previous daemon revision"));
    assert!(dep.stopped_at.is_some() && dep.finished_at.is_none());
    assert_eq!(
        deployment_events(&sim, &deployment_arn),
        ["DAEMON_DEPLOYMENT_PENDING", "DAEMON_DEPLOYMENT_IN_PROGRESS", "DAEMON_DEPLOYMENT_STOPPED"]
    );
}

#[test]
fn create_daemon_on_a_provider_with_instances_replaces_them_and_empty_provider_succeeds_at_once() {
    let mut sim = Simulation::new(SimConfig::with_seed(17));
    ok(&mut sim, Command::CreateCluster { name: CLUSTER.into() });
    ok(&mut sim, create_cp(CP, (2, 2), (4096, 4096)));
    ok(&mut sim, create_cp("empty-cp", (2, 2), (4096, 4096)));
    ok(&mut sim, task_def("app", 1536, 3072));
    ok(&mut sim, create_service("web", "app:1", 2, CP));
    let t = sim.now() + 10 * MIN;
    run_checked(&mut sim, t);
    ok(&mut sim, dtd("agent", "agent:v1", 256, 512));
    let Outcome::Daemon { deployment_arn: on_empty, .. } =
        ok(&mut sim, create_daemon("other", "agent:1", &["empty-cp"]))
    else {
        panic!()
    };
    let Outcome::Daemon { deployment_arn, .. } = ok(&mut sim, create_daemon("agent", "agent:1", &[CP]))
    else {
        panic!()
    };
    let t = sim.now() + 10 * S;
    run_checked(&mut sim, t);
    let empty = sim.deployment(&on_empty).unwrap();
    assert_eq!(empty.status, DeploymentStatus::Successful);
    assert_eq!(empty.finished_at.unwrap() - empty.created_at, 5 * S);
    let t = sim.now() + 30 * MIN;
    run_checked(&mut sim, t);
    let dep = sim.deployment(&deployment_arn).unwrap();
    assert_eq!(dep.status, DeploymentStatus::Successful);
    assert_eq!(dep.replaced, 2);
    assert!(dep.source_revisions.is_empty());
    assert_eq!(revision_of_all(&sim), vec!["agent:1".to_string(); 2]);
    // The 1536-CPU app tasks no longer fit next to nothing: they moved with the daemon reserved.
    assert_eq!(sim.service(CLUSTER, "web").unwrap().running_count, 2);
}

#[test]
fn a_newer_update_supersedes_the_running_deployment() {
    let mut sim = fleet(18, 6);
    let first = deploy(&mut sim, "agent:v2", config(34.0, 0));
    let t = sim.now() + 4 * MIN;
    run_checked(&mut sim, t);
    let second = deploy(&mut sim, "agent:v3", config(50.0, 0));
    let old = sim.deployment(&first).unwrap();
    assert_eq!(old.status, DeploymentStatus::Stopped);
    assert_eq!(old.status_reason.as_deref(), Some("Deployment replaced by a newer deployment."));
    assert_eq!(
        sim.deployment(&second).unwrap().source_revisions.len(),
        2,
        "v2 (target of the stopped one) and v1"
    );
    let until = sim.now() + 60 * MIN;
    let (max_window, min_running) = watch(&mut sim, until, &second);
    assert!(max_window <= 3);
    assert_eq!(min_running, 6);
    assert_eq!(sim.deployment(&second).unwrap().status, DeploymentStatus::Successful);
    assert_eq!(revision_of_all(&sim), vec!["agent:3".to_string(); 6]);
    let daemon = sim.daemon(&daemon_arn("agent")).unwrap();
    let listed: Vec<String> = sim.daemon_deployments(daemon).iter().map(|d| d.arn.to_string()).collect();
    assert_eq!(listed[0], second, "newest first");
    assert_eq!(listed[1], first);
}

#[test]
fn delete_daemon_replaces_instances_without_it_then_the_daemon_is_gone() {
    let mut sim = fleet(19, 2);
    let Outcome::Daemon { deployment_arn, status, .. } =
        ok(&mut sim, Command::DeleteDaemon { daemon: daemon_arn("agent") })
    else {
        panic!()
    };
    assert_eq!(status, "DELETE_IN_PROGRESS");
    assert_eq!(sim.daemon(&daemon_arn("agent")).unwrap().status, DaemonStatus::DeleteInProgress);
    let again = sim.apply(Command::DeleteDaemon { daemon: daemon_arn("agent") }).unwrap_err();
    assert_eq!(again.kind, ErrorKind::DaemonNotActiveException);
    let update = sim.apply(update_daemon("agent", "agent:1", &[CP], None)).unwrap_err();
    assert_eq!(update.kind, ErrorKind::DaemonNotActiveException);
    let t = sim.now() + 30 * MIN;
    run_checked(&mut sim, t);
    assert_eq!(sim.deployment(&deployment_arn).unwrap().status, DeploymentStatus::Successful);
    assert!(sim.daemon(&daemon_arn("agent")).is_none());
    assert_eq!(
        sim.apply(Command::DeleteDaemon { daemon: daemon_arn("agent") }).unwrap_err().kind,
        ErrorKind::DaemonNotFoundException
    );
    assert!(sim.tasks(CLUSTER).all(|t| !t.is_daemon() || !t.is_live()));
    assert!(sim.container_instances(CLUSTER).all(|i| i.daemons.is_empty()));
    assert_eq!(sim.service(CLUSTER, "web").unwrap().running_count, 2);
    // The name can be used again.
    ok(&mut sim, create_daemon("agent", "agent:1", &[CP]));
}

#[test]
fn deployment_event_envelope_matches_the_documented_example() {
    let mut sim = fleet(20, 1);
    let arn = deploy(&mut sim, "agent:v2", config(25.0, 0));
    let e = sim
        .events()
        .iter()
        .rev()
        .find(|e| e.detail_type() == DAEMON_DEPLOYMENT_STATE_CHANGE)
        .unwrap()
        .to_json();
    let keys: Vec<&str> = e.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    assert_eq!(
        keys,
        ["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"]
    );
    let detail: Vec<&str> = e["detail"].as_object().unwrap().keys().map(|k| k.as_str()).collect();
    assert_eq!(
        detail,
        [
            "eventType",
            "eventName",
            "clusterArn",
            "daemonArn",
            "daemonDeploymentArn",
            "targetDaemonRevisionArn",
            "updatedAt"
        ]
    );
    assert_eq!(e["detail"]["eventName"], "DAEMON_DEPLOYMENT_PENDING");
    assert_eq!(e["detail"]["daemonDeploymentArn"], arn.as_str());
    assert_eq!(e["resources"][0], daemon_arn("agent").as_str());
    let id = arn.rsplit('/').next().unwrap();
    assert_eq!(id.len(), 21);
    assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()));
    let rev = e["detail"]["targetDaemonRevisionArn"].as_str().unwrap();
    assert!(rev.starts_with("arn:aws:ecs:us-east-1:123456789012:daemon-revision/daemon-test/agent/"));
    assert_eq!(rev.rsplit('/').next().unwrap().len(), 36, "UUID revision id");
    let updated = e["detail"]["updatedAt"].as_str().unwrap();
    assert_eq!(updated.len(), "2026-03-05T15:54:41.618059641Z".len());
}

#[test]
fn a_deleted_daemon_task_definition_keeps_running_daemons_and_becomes_deleted_when_unused() {
    let mut sim = fleet(21, 1);
    ok(&mut sim, Command::DeleteDaemonTaskDefinition { daemon_task_definition: "agent:1".into() });
    assert_eq!(sim.daemon_task_definition("agent:1").unwrap().status, DefinitionStatus::DeleteInProgress);
    let err = sim.apply(create_daemon("again", "agent:1", &[CP])).unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidParameterException, "{}", err.message);
    assert_eq!(revision_of_all(&sim), vec!["agent:1".to_string()], "still running");
    let arn = deploy(&mut sim, "agent:v2", config(25.0, 0));
    let t = sim.now() + 20 * MIN;
    run_checked(&mut sim, t);
    assert_eq!(sim.deployment(&arn).unwrap().status, DeploymentStatus::Successful);
    assert_eq!(sim.daemon_task_definition("agent:1").unwrap().status, DefinitionStatus::Deleted);
    let err = sim
        .apply(Command::DeleteDaemonTaskDefinition { daemon_task_definition: "agent:1".into() })
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::ClientException);
}

#[test]
fn batch_sizes_for_drain_percent_100_50_10_0_on_1_3_8_20_instances() {
    // The stated rule: max(1, floor(N × drainPercent / 100)).
    let expected = [(1, [1, 1, 1, 1]), (3, [3, 1, 1, 1]), (8, [8, 4, 1, 1]), (20, [20, 10, 2, 1])];
    for (n, sizes) in expected {
        for (pct, want) in [100.0, 50.0, 10.0, 0.0].into_iter().zip(sizes) {
            assert_eq!(batch_size(n, pct), want, "N={n} drainPercent={pct}");
            let mut sim = fleet(100 + n as u64, n);
            let arn = deploy(&mut sim, "agent:v2", config(pct, 0));
            let until = sim.now() + 6 * 60 * MIN;
            let (max_window, min_running) = watch(&mut sim, until, &arn);
            let dep = sim.deployment(&arn).unwrap();
            assert_eq!(dep.status, DeploymentStatus::Successful, "N={n} drainPercent={pct}");
            assert_eq!(dep.batch_size, want);
            assert_eq!(max_window as u32, want, "N={n} drainPercent={pct}: window");
            assert_eq!(min_running, n);
        }
    }
}

#[test]
fn the_deployment_record_reports_revisions_with_instance_counts() {
    let mut sim = fleet(22, 8);
    let arn = deploy(&mut sim, "agent:v2", config(25.0, 0));
    let dep = sim.deployment(&arn).unwrap().clone();
    assert_eq!(dep.source_revisions.len(), 1);
    let (target, source) = (dep.target_revision, dep.source_revisions[0]);
    let mut saw_mixed = false;
    let until = sim.now() + 60 * MIN;
    run_observed(&mut sim, until, |sim| {
        let d = sim.deployment(&arn).unwrap();
        let t = sim.revision_counts(d.daemon, target, &d.capacity_providers);
        let s = sim.revision_counts(d.daemon, source, &d.capacity_providers);
        assert!(s.total_draining <= 2 && t.total_draining == 0);
        if t.total_running > 0 && s.total_running > 0 && s.total_draining > 0 {
            saw_mixed = true;
        }
    });
    assert!(saw_mixed, "mid-deployment both revisions run, the source one draining");
    let d = sim.deployment(&arn).unwrap();
    let t = sim.revision_counts(d.daemon, target, &d.capacity_providers);
    let s = sim.revision_counts(d.daemon, source, &d.capacity_providers);
    assert_eq!((t.total_running, t.total_draining, t.total_without_daemon), (8, 0, 0));
    assert_eq!((s.total_running, s.total_draining), (0, 0));
    assert_eq!(t.capacity_providers[0].0, CP);
    assert!(t.arn.contains(":daemon-revision/daemon-test/agent/"));
    // DescribeDaemon's currentRevisions: only the target remains.
    let daemon = sim.daemon(&daemon_arn("agent")).unwrap();
    let current = sim.current_revisions(daemon);
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].revision, target);
    assert!(d.started_at.unwrap() > d.created_at && d.finished_at.unwrap() > d.started_at.unwrap());
    assert_eq!(d.stopped_at, None);
    assert_eq!(d.status_reason.as_deref(), Some("Deployment completed successfully."));
}

#[test]
fn changing_the_capacity_provider_set_rolls_the_daemon_onto_and_off_providers() {
    let mut sim = fleet(23, 2);
    ok(&mut sim, create_cp("cp-b", (2, 2), (4096, 4096)));
    ok(&mut sim, create_service("api", "app:1", 2, "cp-b"));
    let t = sim.now() + 15 * MIN;
    run_checked(&mut sim, t);
    let on = |sim: &Simulation, cp: &str| -> (usize, usize) {
        let instances: Vec<_> = sim
            .container_instances(CLUSTER)
            .filter(|i| i.capacity_provider == cp && i.status == InstanceStatus::Active)
            .collect();
        let with = instances.iter().filter(|i| !i.daemons.is_empty()).count();
        (instances.len(), with)
    };
    assert_eq!(on(&sim, "cp-b"), (2, 0));
    let Outcome::Daemon { deployment_arn, .. } =
        ok(&mut sim, update_daemon("agent", "agent:1", &[CP, "cp-b"], None))
    else {
        panic!()
    };
    let t = sim.now() + 60 * MIN;
    run_checked(&mut sim, t);
    assert_eq!(sim.deployment(&deployment_arn).unwrap().status, DeploymentStatus::Successful);
    assert_eq!(on(&sim, CP), (2, 2));
    assert_eq!(on(&sim, "cp-b"), (2, 2));
    let Outcome::Daemon { deployment_arn, .. } =
        ok(&mut sim, update_daemon("agent", "agent:1", &["cp-b"], None))
    else {
        panic!()
    };
    let t = sim.now() + 60 * MIN;
    run_checked(&mut sim, t);
    let dep = sim.deployment(&deployment_arn).unwrap();
    assert_eq!(dep.status, DeploymentStatus::Successful);
    assert_eq!(dep.capacity_providers, vec!["daemon-test-mi".to_string(), "cp-b".to_string()]);
    assert_eq!(on(&sim, CP), (2, 0), "the daemon left the provider it no longer targets");
    assert_eq!(on(&sim, "cp-b"), (2, 2));
    assert_eq!(sim.service(CLUSTER, "web").unwrap().running_count, 2);
    assert_eq!(sim.service(CLUSTER, "api").unwrap().running_count, 2);
}

#[test]
fn a_user_drained_instance_can_return_to_active_before_it_empties() {
    let mut sim = fleet(24, 1);
    let ci = sim.container_instances(CLUSTER).next().unwrap().arn.to_string();
    let drain = |state: &str| Command::UpdateContainerInstancesState {
        cluster: CLUSTER.into(),
        container_instances: vec![ci.clone()],
        status: state.into(),
    };
    ok(&mut sim, drain("DRAINING"));
    assert_eq!(sim.container_instance(&ci).unwrap().status, InstanceStatus::Draining);
    let t = sim.now() + 20 * S;
    run_checked(&mut sim, t);
    ok(&mut sim, drain("ACTIVE"));
    assert_eq!(sim.container_instance(&ci).unwrap().status, InstanceStatus::Active);
    let t = sim.now() + 20 * MIN;
    run_checked(&mut sim, t);
    assert_eq!(sim.service(CLUSTER, "web").unwrap().running_count, 1);
    assert_eq!(sim.container_instance(&ci).unwrap().status, InstanceStatus::Active);
}

/// Found by the seed sweep (seed 5): a deployment that started on an empty provider has batch
/// size 0 and goes straight to its bake; instances launched during the bake get the failing
/// revision, the circuit breaker rolls back, and the rollback must still drain them.
#[test]
fn a_rollback_drains_instances_launched_during_the_bake_of_a_deployment_on_an_empty_provider() {
    let mut sim = Simulation::new(SimConfig::with_seed(27));
    ok(&mut sim, Command::CreateCluster { name: CLUSTER.into() });
    ok(&mut sim, create_cp(CP, (2, 2), (4096, 4096)));
    ok(&mut sim, dtd("agent", "agent:v1", 256, 512));
    ok(&mut sim, create_daemon("agent", "agent:1", &[CP]));
    ok(&mut sim, task_def("app", 512, 1024));
    let t = sim.now() + MIN;
    run_checked(&mut sim, t);
    ok(&mut sim, Command::SetImageUnpullable { image: "agent:bad".into(), unpullable: true });
    let arn = deploy(&mut sim, "agent:bad", config(25.0, 20));
    let t = sim.now() + MIN;
    run_checked(&mut sim, t);
    let dep = sim.deployment(&arn).unwrap();
    assert_eq!((dep.status, dep.batch_size), (DeploymentStatus::InProgress, 0));
    assert!(dep.bake_until.is_some(), "nothing to replace: straight to the bake");
    ok(&mut sim, create_service("web", "app:1", 2, CP));
    let t = sim.now() + 19 * MIN;
    run_checked(&mut sim, t);
    let dep = sim.deployment(&arn).unwrap();
    assert_eq!(dep.circuit_breaker.status, MonitorStatus::Triggered);
    assert_eq!(dep.status, DeploymentStatus::RollbackSuccessful);
    assert_eq!(dep.batch_size, 1);
    assert!(!revision_of_all(&sim).is_empty());
    assert!(revision_of_all(&sim).iter().all(|r| r == "agent:1"), "{:?}", revision_of_all(&sim));
    assert_eq!(sim.service(CLUSTER, "web").unwrap().running_count, 2);
}

/// Found by the seed sweep (seeds 463 and 6840): an instance a user drains while it still runs
/// the old revision is not the deployment's to drain, but the deployment waits for it; set ACTIVE
/// again, it is replaced like the others instead of serving on with the old revision.
#[test]
fn a_user_drained_instance_set_active_again_during_a_deployment_is_still_replaced() {
    let mut sim = fleet(28, 2);
    let ci = sim.container_instances(CLUSTER).next().unwrap().arn.to_string();
    let set = |state: &str| Command::UpdateContainerInstancesState {
        cluster: CLUSTER.into(),
        container_instances: vec![ci.clone()],
        status: state.into(),
    };
    ok(&mut sim, set("DRAINING"));
    let arn = deploy(&mut sim, "agent:v2", config(50.0, 0));
    let t = sim.now() + 30 * S;
    run_checked(&mut sim, t);
    let dep = sim.deployment(&arn).unwrap();
    let key = sim.container_instance(&ci).unwrap().key;
    assert!(dep.todo.contains(&key), "the deployment waits for the user-drained instance");
    ok(&mut sim, set("ACTIVE"));
    let t = sim.now() + 30 * MIN;
    run_checked(&mut sim, t);
    let dep = sim.deployment(&arn).unwrap();
    assert_eq!(dep.status, DeploymentStatus::Successful);
    assert_eq!(sim.container_instance(&ci).unwrap().status, InstanceStatus::Terminated);
    assert_eq!(revision_of_all(&sim), vec!["agent:2".to_string(); 2]);
    assert_eq!(sim.service(CLUSTER, "web").unwrap().running_count, 2);
}

/// Found by the seed sweep: a deployment's scope was the daemon's previous and new providers
/// only, so instances on a provider the daemon had left earlier — here through a provider change
/// superseded before it started — kept the daemon for good (and a DeleteDaemon left a critical
/// daemon's slot behind on a REGISTERING instance, which then never became ACTIVE). Every
/// provider whose instances still carry the daemon is now in scope.
#[test]
fn a_superseded_provider_change_still_takes_the_daemon_off_the_provider_it_left() {
    let mut sim = Simulation::new(SimConfig::with_seed(29));
    ok(&mut sim, Command::CreateCluster { name: CLUSTER.into() });
    ok(&mut sim, create_cp(CP, (2, 2), (4096, 4096)));
    ok(&mut sim, create_cp("cp-b", (2, 2), (4096, 4096)));
    ok(&mut sim, dtd("agent", "agent:v1", 256, 512));
    ok(&mut sim, create_daemon("agent", "agent:1", &[CP]));
    ok(&mut sim, task_def("app", 1536, 3072));
    ok(&mut sim, create_service("web", "app:1", 2, CP));
    let t = sim.now() + 15 * MIN;
    run_checked(&mut sim, t);
    let on_cp = |sim: &Simulation| {
        sim.tasks(CLUSTER).filter(|t| t.is_daemon() && t.is_live() && &*t.capacity_provider == CP).count()
    };
    assert_eq!(on_cp(&sim), 2);
    let Outcome::Daemon { deployment_arn: moved, .. } =
        ok(&mut sim, update_daemon("agent", "agent:1", &["cp-b"], Some(config(50.0, 0))))
    else {
        panic!()
    };
    let Outcome::DaemonTaskDefinition { arn: v2 } = ok(&mut sim, dtd("agent", "agent:v2", 256, 512)) else {
        panic!()
    };
    let Outcome::Daemon { deployment_arn: arn, .. } =
        ok(&mut sim, update_daemon("agent", &v2, &["cp-b"], Some(config(50.0, 0))))
    else {
        panic!()
    };
    assert_eq!(sim.deployment(&moved).unwrap().status, DeploymentStatus::Stopped);
    let t = sim.now() + 30 * MIN;
    run_checked(&mut sim, t);
    let dep = sim.deployment(&arn).unwrap();
    assert_eq!(dep.status, DeploymentStatus::Successful);
    assert!(dep.capacity_providers.iter().any(|c| c == CP), "{:?}", dep.capacity_providers);
    assert_eq!(on_cp(&sim), 0, "the daemon left {CP}");
    assert_eq!(sim.service(CLUSTER, "web").unwrap().running_count, 2);
}

/// A rollback restores the source revision's provider set too (`rollback.rollbackCapacityProviders` of
/// DescribeDaemonDeployments; our choice where AWS is silent): a failing deployment that moved the daemon
/// from one provider to another takes it off the provider it added and back onto the one it removed, both by
/// instance replacement, and the daemon and its deployment record say so.
#[test]
fn a_rollback_restores_the_source_capacity_provider_set() {
    let mut sim = fleet(31, 2);
    ok(&mut sim, create_cp("cp-b", (2, 2), (4096, 4096)));
    ok(&mut sim, create_service("api", "app:1", 2, "cp-b"));
    let t = sim.now() + 15 * MIN;
    run_checked(&mut sim, t);
    let daemon_tasks_on = |sim: &Simulation, cp: &str| -> Vec<String> {
        sim.container_instances(CLUSTER)
            .filter(|i| i.capacity_provider == cp && i.status == InstanceStatus::Active)
            .map(|i| {
                sim.tasks(CLUSTER)
                    .find(|t| t.instance == i.key && t.is_live() && t.is_daemon())
                    .map(|t| t.task_definition.rsplit('/').next().unwrap().to_string())
                    .unwrap_or_else(|| "-".into())
            })
            .collect()
    };
    assert_eq!(daemon_tasks_on(&sim, CP), ["agent:1", "agent:1"]);
    assert_eq!(daemon_tasks_on(&sim, "cp-b"), ["-", "-"]);
    ok(&mut sim, Command::SetImageUnpullable { image: "agent:bad".into(), unpullable: true });
    let Outcome::DaemonTaskDefinition { arn: bad } = ok(&mut sim, dtd("agent", "agent:bad", 256, 512)) else {
        panic!()
    };
    let Outcome::Daemon { deployment_arn: arn, .. } =
        ok(&mut sim, update_daemon("agent", &bad, &["cp-b"], Some(config(50.0, 0))))
    else {
        panic!()
    };
    let t = sim.now() + 90 * MIN;
    run_checked(&mut sim, t);
    let dep = sim.deployment(&arn).unwrap();
    assert_eq!(dep.circuit_breaker.status, MonitorStatus::Triggered);
    assert_eq!(dep.status, DeploymentStatus::RollbackSuccessful);
    assert_eq!(dep.rollback.as_ref().unwrap().capacity_providers, [CP]);
    // DescribeDaemonDeployments reports `rollbackCapacityProviders` as the providers' ARNs.
    let rolled_back: Vec<&str> =
        dep.rollback.as_ref().unwrap().capacity_providers.iter().map(String::as_str).collect();
    let arns: Vec<String> =
        rolled_back.iter().map(|name| sim.capacity_provider(name).unwrap().arn.to_string()).collect();
    assert_eq!(arns, [cp_arn(CP)]);
    let daemon = sim.daemon(&daemon_arn("agent")).unwrap();
    assert_eq!(daemon.capacity_providers, [CP]);
    let current = sim.current_revisions(daemon);
    assert_eq!(current.len(), 1);
    let providers: Vec<(&str, u32)> = current[0]
        .capacity_providers
        .iter()
        .map(|(name, _, running, _, _)| (name.as_str(), *running))
        .collect();
    assert_eq!(providers, [(CP, 2)]);
    assert_eq!(daemon_tasks_on(&sim, CP), ["agent:1", "agent:1"], "the daemon is back on {CP}");
    assert_eq!(daemon_tasks_on(&sim, "cp-b"), ["-", "-"], "the daemon left cp-b");
    assert_eq!(sim.service(CLUSTER, "web").unwrap().running_count, 2);
    assert_eq!(sim.service(CLUSTER, "api").unwrap().running_count, 2);
}

/// `n` instances on a provider capped at `n` instances, one app task filling each.
fn capped_fleet(seed: u64, n: u32) -> Simulation {
    fleet_with_ceiling(seed, n, Some(n))
}

/// Steps (checking invariants) until `found` returns something; at most `limit` of simulated time.
fn step_until<T>(sim: &mut Simulation, limit: u64, found: impl Fn(&Simulation) -> Option<T>) -> T {
    let until = sim.now() + limit;
    loop {
        if let Some(x) = found(sim) {
            return x;
        }
        assert!(sim.next_event_time().is_some_and(|t| t <= until), "nothing found by {until}");
        let t = sim.next_event_time().unwrap();
        run_checked(sim, t);
    }
}

/// The live replacement launched for `old`, with its status and EC2 id.
fn replacement_of(sim: &Simulation, old: InstanceKey) -> Option<(InstanceKey, InstanceStatus, String)> {
    sim.all_instances()
        .filter(|i| i.replacement_of == Some(old) && i.status != InstanceStatus::Terminated)
        .map(|i| (i.key, i.status, i.ec2_instance_id.to_string()))
        .next()
}

/// Instances launched and not yet terminated (the provider's instance count).
fn launched(sim: &Simulation) -> usize {
    sim.all_instances().filter(|i| i.status != InstanceStatus::Terminated).count()
}

fn terminate(sim: &mut Simulation, ec2_id: &str) {
    ok(sim, Command::TerminateInstances { instance_ids: vec![ec2_id.into()] });
}

/// Each instance a batch drains is replaced (AWS: managed daemons deployments). When a fault takes the
/// replacement (instance loss before or after it registers), the draining instance gets a new one, launched
/// when the lost one is gone so the provider never holds more than one surge instance per drain, and owed
/// while launches fail. On a provider at its instance maximum service scale-out cannot cover for it, so
/// without the new replacement the drained instance would keep its app task and the deployment would never
/// finish. Instance losses are not daemon task launch failures: the circuit breaker counts daemon task launch
/// failures only.
#[test]
fn a_replacement_lost_to_a_fault_is_launched_again_within_the_provider_ceiling() {
    let mut sim = capped_fleet(33, 2);
    let arn = deploy(&mut sim, "agent:v2", config(50.0, 0));
    let dep_key = sim.deployment(&arn).unwrap().key;
    let old = step_until(&mut sim, 10 * MIN, |sim| {
        sim.all_instances().find(|i| i.drain_cause == Some(DrainCause::Deployment(dep_key))).map(|i| i.key)
    });
    let (first, status, ec2) = replacement_of(&sim, old).expect("the batch launched a replacement");
    assert_eq!(status, InstanceStatus::Launching);

    // Lost while launching, with launches failing: the replacement is owed, not forgotten.
    ok(&mut sim, Command::SetLaunchBlocked { capacity_provider: CP.into(), blocked: true });
    terminate(&mut sim, &ec2);
    let t = sim.now() + 5 * MIN;
    run_checked(&mut sim, t);
    assert_eq!(replacement_of(&sim, old), None);
    assert_eq!(sim.instance(old).unwrap().status, InstanceStatus::Draining);
    ok(&mut sim, Command::SetLaunchBlocked { capacity_provider: CP.into(), blocked: false });
    let (second, _, ec2) = replacement_of(&sim, old).expect("launched once launches work again");
    assert_ne!(second, first);

    // Lost after registering: a new one is launched only once the lost one has terminated.
    step_until(&mut sim, 10 * MIN, |sim| {
        (sim.instance(second).unwrap().status == InstanceStatus::Registering).then_some(())
    });
    terminate(&mut sim, &ec2);
    let mut most = 0;
    let until = sim.now() + 10 * MIN;
    let third = loop {
        let live = launched(&sim);
        most = most.max(live);
        if let Some((k, _, _)) = replacement_of(&sim, old).filter(|(k, _, _)| *k != second) {
            break k;
        }
        let t = sim.next_event_time().filter(|t| *t <= until).expect("a third replacement");
        run_checked(&mut sim, t);
    };
    assert!(sim.instance(second).is_none_or(|i| i.status == InstanceStatus::Terminated));
    assert!(most <= 3, "at most one surge instance at the ceiling of 2, saw {most}");

    let until = sim.now() + 60 * MIN;
    run_observed(&mut sim, until, |sim| {
        let live = launched(sim);
        assert!(live <= 3, "at most one surge instance at the ceiling of 2, saw {live}");
    });
    let dep = sim.deployment(&arn).unwrap();
    assert_eq!(dep.status, DeploymentStatus::Successful, "{:?}", dep.status_reason);
    assert_eq!(dep.circuit_breaker.failure_count, 0);
    assert_eq!(sim.instance(third).unwrap().status, InstanceStatus::Active);
    assert_eq!(revision_of_all(&sim), vec!["agent:2".to_string(); 2]);
    assert_eq!(sim.service(CLUSTER, "web").unwrap().running_count, 2);
}

/// Auto-repair uses the same replacement (AWS: managed daemons auto-repair launches one per
/// drained instance): a repaired instance whose replacement
/// is lost gets a new one too, and on a capped provider its app task then moves there.
#[test]
fn an_auto_repair_replacement_lost_to_a_fault_is_launched_again() {
    let mut sim = capped_fleet(35, 2);
    let daemon_task = group_tasks(&sim, "daemon:agent")[0];
    let (task, old) = (daemon_task.arn.to_string(), daemon_task.instance);
    ok(&mut sim, Command::StopTask { cluster: CLUSTER.into(), task, reason: None });
    let (first, _, ec2) = step_until(&mut sim, 5 * MIN, |sim| replacement_of(sim, old));
    assert_eq!(sim.instance(old).unwrap().drain_cause, Some(DrainCause::AutoRepair));
    terminate(&mut sim, &ec2);
    let t = sim.now() + S;
    run_checked(&mut sim, t);
    let (second, _, _) = replacement_of(&sim, old).expect("a new replacement");
    assert_ne!(second, first);
    let until = sim.now() + 30 * MIN;
    run_observed(&mut sim, until, |sim| assert!(launched(sim) <= 3));
    assert!(sim.instance(old).is_none_or(|i| i.status == InstanceStatus::Terminated));
    assert_eq!(sim.instance(second).unwrap().status, InstanceStatus::Active);
    assert_eq!(sim.service(CLUSTER, "web").unwrap().running_count, 2);
}
