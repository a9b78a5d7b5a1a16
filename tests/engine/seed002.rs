//! Seed 002's measurements reproduced: verification 1 (daemon-first startup) and verification 2
//! (the one-instance rolling update).

use crate::support::engine::*;
use ecs_daemon_sim::engine::*;

const S: u64 = 1000;

#[test]
fn verification_1_daemon_first_startup() {
    for seed in 0..20 {
        let mut sim = seed002_base(seed);
        ok(&mut sim, create_service("app-svc", "test-app:1", 1, CP));
        let start = sim.now();
        // (instance status, runningTasksCount) as a poller would see them, deduplicated.
        let mut seen: Vec<(&'static str, u32)> = Vec::new();
        run_observed(&mut sim, start + 300 * S, |sim| {
            for i in sim.container_instances(CLUSTER) {
                let (running, _) = sim.task_counts(i);
                let entry = (i.status.as_str(), running);
                if seen.last() != Some(&entry) {
                    seen.push(entry);
                }
                if i.status == InstanceStatus::Registering {
                    // The instance registers with the daemon alone, and no app task starts.
                    assert!(running <= 1, "REGISTERING with {running} tasks");
                }
            }
        });
        let daemon = group_tasks(&sim, "daemon:monitoring-agent");
        let app = group_tasks(&sim, "service:app-svc");
        assert_eq!((daemon.len(), app.len()), (1, 1), "seed {seed}");
        let (daemon, app) = (daemon[0], app[0]);
        assert_eq!(daemon.last_status, TaskStatus::Running);
        assert_eq!(app.last_status, TaskStatus::Running);
        // The app task was created first (the seed measured 27 s earlier)...
        assert!(app.created_at < daemon.created_at, "seed {seed}");
        let lead = daemon.created_at - app.created_at;
        assert!((20 * S..=35 * S).contains(&lead), "createdAt lead {lead}");
        // ...the daemon takes ≈14 s to run...
        let d_start = daemon.started_at.unwrap() - daemon.created_at;
        assert!((10 * S..=20 * S).contains(&d_start), "daemon start {d_start}");
        // ...and the app starts 18–21 s after the daemon.
        let gap = app.started_at.unwrap() - daemon.started_at.unwrap();
        assert!((18 * S..=21 * S).contains(&gap), "seed {seed}: daemon lead {gap} ms");
        // Both RUNNING within about five minutes of CreateService.
        assert!(app.started_at.unwrap() - start <= 300 * S);
        // REGISTERING (1 task) then ACTIVE (2 tasks), never ACTIVE before the daemon ran.
        let reg = seen.iter().position(|e| *e == ("REGISTERING", 1)).expect("REGISTERING (1 task)");
        let act = seen.iter().position(|e| *e == ("ACTIVE", 2)).expect("ACTIVE (2 tasks)");
        assert!(reg < act, "{seen:?}");
        let instance = sim.container_instances(CLUSTER).next().unwrap();
        assert!(instance.activated_at.unwrap() >= daemon.started_at.unwrap());
    }
}

#[test]
fn verification_2_rolling_update_of_one_instance() {
    for seed in 0..20 {
        let mut sim = seed002_base(seed);
        ok(&mut sim, create_service("app-svc", "test-app:1", 1, CP));
        let t0 = sim.now();
        run_checked(&mut sim, t0 + 300 * S);
        let old = sim.container_instances(CLUSTER).next().unwrap().id.clone();

        ok(&mut sim, dtd("monitoring-agent", "public.ecr.aws/docker/library/httpd:alpine", 256, 512));
        let outcome = ok(&mut sim, update_daemon("monitoring-agent", "monitoring-agent:2", &[CP], None));
        let Outcome::Daemon { deployment_arn, .. } = outcome else { panic!("{outcome:?}") };
        let start = sim.now();

        let mut min_running = u32::MAX;
        let mut max_running = 0;
        let mut table: Vec<String> = Vec::new();
        let mut successful_at = None;
        run_observed(&mut sim, start + 600 * S, |sim| {
            let dep = sim.deployment(&deployment_arn).unwrap();
            let svc = sim.service(CLUSTER, "app-svc").unwrap();
            min_running = min_running.min(svc.running_count);
            max_running = max_running.max(svc.running_count);
            if dep.status == DeploymentStatus::Successful && successful_at.is_none() {
                successful_at = Some(sim.now() - start);
            }
            let mut row = vec![dep.status.as_str().to_string()];
            for i in sim.container_instances(CLUSTER) {
                let (running, _) = sim.task_counts(i);
                let who = if i.id == old { "old" } else { "new" };
                row.push(format!("{who}:{}({running})", i.status.as_str()));
            }
            let row = row.join(" ");
            if table.last() != Some(&row) {
                table.push(row);
            }
        });
        let took = successful_at.expect("deployment SUCCESSFUL");
        // 4 min 50 s ± 10 %.
        assert!((261 * S..=319 * S).contains(&took), "seed {seed}: took {took} ms\n{}", table.join("\n"));
        assert!(min_running >= 1, "zero app downtime");
        assert_eq!(max_running, 2, "old and new app tasks ran side by side");
        assert_eq!(sim.service(CLUSTER, "app-svc").unwrap().running_count, 1);
        // The seed's sequence of observations, in order.
        let want = [
            "IN_PROGRESS old:DRAINING(2)",
            "IN_PROGRESS old:DRAINING(2) new:REGISTERING(1)",
            "IN_PROGRESS old:DRAINING(2) new:ACTIVE(2)",
            "IN_PROGRESS old:DEREGISTERING(0) new:ACTIVE(2)",
            "SUCCESSFUL new:ACTIVE(2)",
        ];
        let mut at = 0;
        for w in want {
            let found = table[at..].iter().position(|r| r == w);
            assert!(found.is_some(), "seed {seed}: missing {w:?} after row {at} in\n{}", table.join("\n"));
            at += found.unwrap();
        }
        let dep = sim.deployment(&deployment_arn).unwrap();
        assert_eq!(dep.circuit_breaker.failure_count, 0);
        assert_eq!(dep.circuit_breaker.status, MonitorStatus::MonitoringComplete);
        assert_eq!(dep.circuit_breaker.threshold, 3);
        assert_eq!(dep.config.drain_percent, 25.0);
        assert_eq!(dep.config.bake_time_in_minutes, 0);
        // Daemon-first held on the replacement: daemon v2 ran 18–21 s before the app.
        let new_instance = sim.container_instances(CLUSTER).next().unwrap();
        let tasks: Vec<&Task> =
            sim.tasks(CLUSTER).filter(|t| t.instance == new_instance.key && t.is_live()).collect();
        let d = tasks.iter().find(|t| t.is_daemon()).unwrap();
        let a = tasks.iter().find(|t| !t.is_daemon()).unwrap();
        assert!(d.task_definition.ends_with("monitoring-agent:2"));
        let gap = a.started_at.unwrap() - d.started_at.unwrap();
        assert!((18 * S..=21 * S).contains(&gap), "lead {gap}");
    }
}

#[test]
fn the_deployment_record_matches_what_the_blog_saw() {
    let mut sim = seed002_base(3);
    ok(&mut sim, create_service("app-svc", "test-app:1", 1, CP));
    let t = sim.now() + 300 * S;
    run_checked(&mut sim, t);
    ok(&mut sim, dtd("monitoring-agent", "public.ecr.aws/docker/library/httpd:alpine", 256, 512));
    let Outcome::Daemon { deployment_arn, .. } =
        ok(&mut sim, update_daemon("monitoring-agent", "monitoring-agent:2", &[CP], None))
    else {
        panic!()
    };
    let t = sim.now() + 600 * S;
    run_checked(&mut sim, t);
    let dep = sim.deployment(&deployment_arn).unwrap();
    assert_eq!(dep.status, DeploymentStatus::Successful);
    assert_eq!(dep.status_reason.as_deref(), Some("Deployment completed successfully."));
    assert_eq!(
        (dep.circuit_breaker.failure_count, dep.circuit_breaker.status, dep.circuit_breaker.threshold),
        (0, MonitorStatus::MonitoringComplete, 3)
    );
    assert_eq!(dep.config.drain_percent, 25.0);
    assert_eq!(dep.config.bake_time_in_minutes, 0);
    assert_eq!(dep.alarms.status, MonitorStatus::Disabled);
    let target = sim.revision_counts(dep.daemon, dep.target_revision, &dep.capacity_providers);
    assert_eq!(target.total_running, 1);
    assert_eq!(dep.source_revisions.len(), 1);
    let source = sim.revision_counts(dep.daemon, dep.source_revisions[0], &dep.capacity_providers);
    assert_eq!(source.total_running, 0);
    // The record's optional members: a finished deployment that was never stopped or rolled back.
    assert!(dep.started_at.is_some() && dep.finished_at.is_some());
    assert_eq!((dep.stopped_at, dep.rollback.as_ref()), (None, None));
    assert_eq!(dep.started_at.unwrap() - dep.created_at, 5 * S);
}
