//! The seed sweep in the test command: a hundred worlds of random commands, faults and fault
//! bursts, each over a simulated hour, invariants after every event, each world run twice. The big
//! sweep (10,000 seeds) is `ecs-daemon-sim sweep` (docs/testing.md, "Simulation testing").

use crate::support::engine::*;
use ecs_daemon_sim::engine::invariants::{is_liveness, LIVENESS_INVARIANTS};
use ecs_daemon_sim::engine::*;
use ecs_daemon_sim::testkit::*;

fn assert_passes(verdict: &SeedVerdict, config: WorldConfig) {
    if !verdict.passed() {
        let trace = trace(verdict.run.seed, config);
        let tail: Vec<&String> = trace.iter().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
        panic!(
            "seed {} failed: {:?} / nondeterminism {:?}\nlast trace lines:\n{}\n(replay: ecs-daemon-sim sweep --seed {})",
            verdict.run.seed,
            verdict.run.failure,
            verdict.nondeterminism,
            tail.iter().map(|l| l.as_str()).collect::<Vec<_>>().join("\n"),
            verdict.run.seed
        );
    }
}

#[test]
fn a_hundred_seeds_keep_every_invariant_and_replay_identically() {
    let config = WorldConfig::hours(1);
    let (mut events, mut faults, mut bursts, mut deployments_seen) = (0, 0, 0, 0);
    for seed in 0..100 {
        let verdict = check_seed(seed, config);
        assert_passes(&verdict, config);
        assert!(verdict.run.simulated_ms >= 3_600_000, "seed {seed} ran less than an hour");
        events += verdict.run.events;
        faults += verdict.run.faults;
        bursts += verdict.run.bursts;
        deployments_seen += u32::from(trace(seed, config).iter().any(|l| l.contains("DAEMON_DEPLOYMENT_")));
    }
    // The worlds must be busy, or the sweep proves nothing.
    assert!(events > 30_000, "only {events} events");
    assert!(faults > 1_000, "only {faults} faults");
    assert!(bursts > 50, "only {bursts} bursts");
    assert!(deployments_seen > 90, "deployments in only {deployments_seen} worlds");
}

#[test]
fn safety_only_worlds_take_many_more_faults_and_keep_every_safety_invariant() {
    let normal = WorldConfig::hours(1);
    let safety = WorldConfig { safety_only: true, ..normal };
    let (mut normal_faults, mut safety_faults) = (0, 0);
    for seed in 0..30 {
        let verdict = check_seed(seed, safety);
        assert_passes(&verdict, safety);
        safety_faults += verdict.run.faults;
        normal_faults += run_world(seed, normal, None).faults;
    }
    assert!(
        safety_faults > 3 * normal_faults,
        "safety-only {safety_faults} vs normal {normal_faults} faults"
    );
}

#[test]
fn a_seed_replays_the_same_trace_and_different_seeds_differ() {
    let config = WorldConfig::hours(1);
    let a = trace(42, config);
    assert_eq!(a, trace(42, config));
    assert_eq!(first_difference(&a, &a), None);
    let b = trace(43, config);
    assert!(first_difference(&a, &b).is_some());
    assert_ne!(run_world(42, config, None).event_log_hash, run_world(43, config, None).event_log_hash);
    // One line per event, plus one per command or fault.
    let run = run_world(42, config, None);
    assert_eq!(a.len() as u64, run.events + run.commands as u64);
}

#[test]
fn the_checker_tells_liveness_from_safety() {
    assert!(is_liveness("deployment_terminates"));
    for safety in ["daemon_first", "drain_last", "one_daemon_task_per_instance", "batch_bound"] {
        assert!(!is_liveness(safety), "{safety}");
    }
    assert!(!LIVENESS_INVARIANTS.is_empty());
}

#[test]
fn trace_lines_carry_the_simulated_clock() {
    assert_eq!(clock(3_723_004), "+01:02:03.004");
    let lines = trace(7, WorldConfig::hours(1));
    assert!(lines.iter().all(|l| l.starts_with('+') && l.as_bytes()[13] == b' '), "{:?}", &lines[..3]);
    assert!(lines.iter().any(|l| l.contains(" > fault ")));
    assert!(lines.iter().any(|l| l.contains(" task ") && l.contains("RUNNING/RUNNING")));
}

// Pinned worlds: each rebuilds, as a fixed list of commands, faults and waits, a situation a seed of
// the sweep once failed in. The seeds themselves no longer build those worlds (the generator has
// changed since), so these lists are what keeps the situations in the sweep's checks: they run
// through the testkit's runner — every invariant after every timer and command, then the recovery
// and its liveness check, then a second run whose event log must be the same — and each asserts
// that the situation really occurs, and that it ends well. The by-hand engine tests named below
// were the recipes (docs/testing.md, "What the sweep found").

const S: u64 = 1000;
const MIN: u64 = 60 * S;

/// Runs `world` under the sweep's checks, recovery and liveness included, then once more without
/// the checker: both runs must give the same event log.
fn run_pinned(seed: u64, world: impl Fn(&mut Runner<'_>)) -> WorldRun {
    let config = WorldConfig::hours(1);
    let mut lines = Vec::new();
    let run = {
        let mut keep = |line: String| lines.push(line);
        let mut runner = Runner::new(seed, config, Some(&mut keep));
        world(&mut runner);
        runner.recover();
        runner.finish()
    };
    if let Some(failure) = &run.failure {
        let tail = &lines[lines.len().saturating_sub(40)..];
        panic!(
            "pinned world failed at {} after {}: {}\nlast trace lines:\n{}",
            clock(failure.at_ms),
            failure.after,
            describe_violations(&failure.violations),
            tail.join("\n")
        );
    }
    let mut again = Runner::new(seed, WorldConfig { check: false, ..config }, None);
    world(&mut again);
    again.recover();
    let again = again.finish();
    assert_eq!((again.event_log_hash, again.events), (run.event_log_hash, run.events), "two runs differ");
    run
}

/// Applies a command the world needs to succeed; no invariant may be broken so far.
fn ran(runner: &mut Runner<'_>, command: Command) -> Outcome {
    let outcome = runner.command(command.clone()).unwrap_or_else(|e| panic!("{command:?} refused: {e}"));
    holds(runner);
    outcome
}

/// Applies a fault; no invariant may be broken so far.
fn faulted(runner: &mut Runner<'_>, command: Command) {
    runner.fault(command.clone()).unwrap_or_else(|e| panic!("fault {command:?} refused: {e}"));
    holds(runner);
}

/// Panics with the broken invariant if the runner has seen one.
fn holds(runner: &Runner<'_>) {
    if let Some(f) = runner.failure() {
        panic!(
            "invariant broken at {} after {}: {}",
            clock(f.at_ms),
            f.after,
            describe_violations(&f.violations)
        );
    }
}

/// Registers `definition` (a new revision of `agent`) and deploys it at `drain_percent` with `bake`
/// minutes of bake time; the deployment's ARN.
fn deploy(runner: &mut Runner<'_>, definition: Command, drain_percent: f64, bake: u32) -> String {
    let Outcome::DaemonTaskDefinition { arn } = ran(runner, definition) else { panic!("no revision") };
    let config = DeploymentConfig { drain_percent, bake_time_in_minutes: bake, ..Default::default() };
    let Outcome::Daemon { deployment_arn, .. } =
        ran(runner, update_daemon("agent", &arn, &[CP], Some(config)))
    else {
        panic!("no deployment")
    };
    deployment_arn
}

/// Seed 5 once failed (liveness): c0/agent was updated while its provider was empty, so the
/// deployment had batch size 0 and went straight to a 20-minute bake; instances launched meanwhile
/// got the new revision, whose image could not be pulled; the circuit breaker rolled back, and the
/// rollback, still with batch size 0, drained nothing and stalled. Recipe:
/// `a_rollback_drains_instances_launched_during_the_bake_of_a_deployment_on_an_empty_provider`.
#[test]
fn pinned_world_of_seed_5_a_rollback_after_a_bake_on_an_empty_provider_drains_what_launched_meanwhile() {
    run_pinned(27, |runner| {
        ran(runner, builders::create_cluster(CLUSTER));
        ran(runner, create_cp(CP, (2, 2), (4096, 4096)));
        ran(runner, dtd("agent", "agent:v1", 256, 512));
        ran(runner, create_daemon("agent", "agent:1", &[CP]));
        ran(runner, task_def("app", 512, 1024));
        runner.run_for(MIN);
        faulted(runner, Command::SetImageUnpullable { image: "agent:bad".into(), unpullable: true });
        let arn = deploy(runner, dtd("agent", "agent:bad", 256, 512), 25.0, 20);
        runner.run_for(MIN);
        let dep = runner.sim().deployment(&arn).unwrap();
        assert_eq!(
            (dep.status, dep.batch_size),
            (DeploymentStatus::InProgress, 0),
            "batch size 0 on an empty provider"
        );
        assert!(dep.bake_until.is_some(), "nothing to replace: straight to the bake");
        ran(runner, create_service("web", "app:1", 2, CP));
        // The rollback starts with instances of the failing revision to replace.
        let to_replace = runner.run_until_found(19 * MIN, |sim| {
            let dep = sim.deployment(&arn).unwrap();
            (dep.status == DeploymentStatus::RollbackInProgress).then(|| dep.todo.len() + dep.draining.len())
        });
        holds(runner);
        assert!(to_replace.is_some_and(|n| n > 0), "no rollback with instances to replace: {to_replace:?}");
        runner.run_for(19 * MIN);
        holds(runner);
        let dep = runner.sim().deployment(&arn).unwrap();
        assert_eq!(dep.circuit_breaker.status, MonitorStatus::Triggered);
        assert_eq!(dep.status, DeploymentStatus::RollbackSuccessful);
        assert_eq!(dep.batch_size, 1, "the rollback drains one at a time, not zero");
        let revisions = revision_of_all(runner.sim());
        assert!(!revisions.is_empty() && revisions.iter().all(|r| r == "agent:1"), "{revisions:?}");
        assert_eq!(runner.sim().service(CLUSTER, "web").unwrap().running_count, 2);
    });
}

/// Seeds 3895 and 5459 once failed (liveness) on one root cause: a deployment replaced an instance,
/// and the health-checked critical daemon task on the replacement turned unhealthy while the
/// replacement was still REGISTERING. Auto repair drains only ACTIVE instances and the task could
/// never turn HEALTHY again, so the replacement stayed REGISTERING for good, the app task promised
/// to it never started, the drained instance kept its last app task and the deployment never
/// ended. Recipe:
/// `an_unhealthy_critical_daemon_on_a_registering_instance_is_restarted_and_the_instance_registers`.
#[test]
fn pinned_world_of_seeds_3895_and_5459_a_critical_daemon_unhealthy_on_a_registering_replacement() {
    run_pinned(36, |runner| {
        ran(runner, builders::create_cluster(CLUSTER));
        ran(runner, create_cp(CP, (2, 4), (4096, 8192)));
        ran(runner, health_checked_dtd("agent", "agent:v1"));
        ran(runner, create_daemon("agent", "agent:1", &[CP]));
        ran(runner, task_def("app", 512, 1024));
        ran(runner, create_service("web", "app:1", 1, CP));
        runner.run_for(15 * MIN);
        let first = runner.sim().container_instances(CLUSTER).next().unwrap().key;
        let arn = deploy(runner, health_checked_dtd("agent", "agent:v2"), 100.0, 0);
        // The replacement's daemon task runs, not yet past its health check, the instance REGISTERING.
        let found = runner.run_until_found(15 * MIN, |sim| {
            let replacement = sim.all_instances().find(|i| i.replacement_of == Some(first))?;
            let task = sim.tasks(CLUSTER).find(|t| {
                t.instance == replacement.key
                    && t.is_daemon()
                    && t.last_status == TaskStatus::Running
                    && t.health_status == TaskHealth::Unknown
            })?;
            Some((replacement.key, replacement.status, task.arn.to_string()))
        });
        holds(runner);
        let (replacement, status, task) = found.expect("the replacement's daemon task never ran");
        assert_eq!(status, InstanceStatus::Registering);
        faulted(runner, Command::MakeTaskUnhealthy { task });
        let i = runner.sim().instance(replacement).unwrap();
        assert_eq!((i.status, i.health.status), (InstanceStatus::Registering, HealthState::Impaired));
        assert!(runner.sim().deployment(&arn).unwrap().is_active());
        runner.run_for(30 * MIN);
        holds(runner);
        let dep = runner.sim().deployment(&arn).unwrap();
        assert_eq!(dep.status, DeploymentStatus::Successful);
        let i = runner.sim().instance(replacement).unwrap();
        assert_eq!((i.status, i.health.status), (InstanceStatus::Active, HealthState::Ok));
        assert_eq!(runner.sim().instance(first).unwrap().status, InstanceStatus::Terminated);
        assert_eq!(revision_of_all(runner.sim()), ["agent:2"]);
        assert_eq!(runner.sim().service(CLUSTER, "web").unwrap().running_count, 1);
    });
}

/// Seeds 463 and 6840 (safety-only) once failed (`rollback_restores_source`): an instance launched
/// with the target revision during a deployment was drained by hand while the rollback ran; the
/// rollback dropped it from its to-do list and ended ROLLBACK_SUCCESSFUL; the user set the instance
/// ACTIVE again and it served on with the rolled-back revision. Recipe:
/// `a_user_drained_instance_set_active_again_during_a_deployment_is_still_replaced`, here with a
/// rollback as in the seeds. The rollback comes from an alarm: an instance only becomes ACTIVE
/// once its daemon runs, so the target revision must be one that starts.
#[test]
fn pinned_world_of_seeds_463_and_6840_a_user_drained_instance_set_active_during_a_rollback_is_replaced() {
    run_pinned(28, |runner| {
        ran(runner, builders::create_cluster(CLUSTER));
        ran(runner, create_cp(CP, (2, 2), (4096, 4096)));
        ran(runner, Command::PutMetricAlarm { name: "errors".into() });
        ran(runner, dtd("agent", "agent:v1", 256, 512));
        ran(runner, create_daemon("agent", "agent:1", &[CP]));
        ran(runner, task_def("app", 1536, 3072));
        ran(runner, create_service("web", "app:1", 2, CP));
        runner.run_for(15 * MIN);
        let Outcome::DaemonTaskDefinition { arn: v2 } = ran(runner, dtd("agent", "agent:v2", 256, 512))
        else {
            panic!("no revision")
        };
        let config = DeploymentConfig {
            drain_percent: 50.0,
            bake_time_in_minutes: 30,
            alarm_names: vec!["errors".into()],
            alarms_enabled: true,
        };
        let Outcome::Daemon { deployment_arn: arn, .. } =
            ran(runner, update_daemon("agent", &v2, &[CP], Some(config)))
        else {
            panic!("no deployment")
        };
        let target = runner.sim().deployment(&arn).unwrap().target_revision;
        // An instance launched with the target revision comes up ACTIVE and runs an app task (the
        // user drains it then; its tasks stay until the service has them running elsewhere).
        let launched = runner.run_until_found(30 * MIN, |sim| {
            let daemon = sim.deployment(&arn)?.daemon;
            sim.container_instances(CLUSTER)
                .find(|i| {
                    i.status == InstanceStatus::Active
                        && i.daemons.get(&daemon).is_some_and(|s| s.revision == target)
                        && sim.tasks(CLUSTER).any(|t| {
                            t.instance == i.key && !t.is_daemon() && t.last_status == TaskStatus::Running
                        })
                })
                .map(|i| i.arn.to_string())
        });
        holds(runner);
        let ci = launched.expect("no instance came up with the target revision");
        let set = |status: InstanceStatus| Command::UpdateContainerInstancesState {
            cluster: CLUSTER.into(),
            container_instances: vec![ci.clone()],
            status: status.as_str().into(),
        };
        ran(runner, set(InstanceStatus::Draining));
        faulted(
            runner,
            Command::SetAlarmState {
                name: "errors".into(),
                state: AlarmState::Alarm.as_str().into(),
                reason: "pinned world".into(),
            },
        );
        let rolling_back = runner.run_until_found(30 * MIN, |sim| {
            (sim.deployment(&arn)?.status == DeploymentStatus::RollbackInProgress).then_some(())
        });
        holds(runner);
        assert!(rolling_back.is_some(), "the alarm never rolled the deployment back");
        let key = runner.sim().container_instance(&ci).unwrap().key;
        let dep = runner.sim().deployment(&arn).unwrap();
        assert_eq!(runner.sim().instance(key).unwrap().status, InstanceStatus::Draining);
        assert!(dep.todo.contains(&key), "the rollback waits for the user-drained instance");
        ran(runner, set(InstanceStatus::Active));
        assert_eq!(runner.sim().deployment(&arn).unwrap().status, DeploymentStatus::RollbackInProgress);
        runner.run_for(60 * MIN);
        holds(runner);
        let dep = runner.sim().deployment(&arn).unwrap();
        assert_eq!(dep.status, DeploymentStatus::RollbackSuccessful);
        assert_eq!(runner.sim().instance(key).unwrap().status, InstanceStatus::Terminated, "it was replaced");
        assert_eq!(revision_of_all(runner.sim()), vec!["agent:1".to_string(); 2]);
        assert_eq!(runner.sim().service(CLUSTER, "web").unwrap().running_count, 2);
    });
}
