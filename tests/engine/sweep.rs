//! The seed sweep in the test command: a hundred worlds of random commands, faults and fault
//! bursts, each over a simulated hour, invariants after every event, each world run twice. The big
//! sweep (10,000 seeds) is `ecs-daemon-sim sweep` (docs/testing.md, "Simulation testing").

use ecs_daemon_sim::engine::invariants::{is_liveness, LIVENESS_INVARIANTS};
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

// The five seeds below once failed, each exposing a bug that is now fixed. The world generator has
// changed since (providers with an instance ceiling), so these seeds no longer build the worlds that
// failed: they are ordinary seeds, kept because they are cheap, and named for their history. What
// pins each fix is the by-hand engine test named in its comment, which builds the failing
// situation directly (docs/testing.md, "What the sweep found").

/// Seed 5 once exposed (liveness): c0/agent updated agent:1 → agent:2 while its provider was empty,
/// so the deployment had batch size 0 and went straight to a 20-minute bake; instances launched
/// meanwhile got agent:2, whose image could not be pulled; the circuit breaker rolled back, and the
/// rollback, still with batch size 0, drained nothing and stalled with two instances to do. Fixed in
/// `on_rollback_start`; pinned by
/// `a_rollback_drains_instances_launched_during_the_bake_of_a_deployment_on_an_empty_provider`
/// (tests/engine/deployments.rs).
#[test]
fn former_failure_seed_5_passes() {
    let config = WorldConfig::hours(1);
    assert_passes(&check_seed(5, config), config);
}

/// Seed 3895 once exposed (liveness): a health-checked critical daemon task made unhealthy while
/// its instance was still REGISTERING kept the instance REGISTERING (health IMPAIRED) for good:
/// auto-repair drains only ACTIVE instances and the task could never turn HEALTHY again. The app
/// tasks promised to the instance never started, so the service could not stop its last task on an
/// instance drained for the xray deployment, which never ended. The task is now stopped and
/// restarted in place; pinned by
/// `an_unhealthy_critical_daemon_on_a_registering_instance_is_restarted_and_the_instance_registers`
/// (tests/engine/behaviour.rs).
#[test]
fn former_failure_seed_3895_passes() {
    let config = WorldConfig::hours(1);
    assert_passes(&check_seed(3895, config), config);
}

/// Seed 5459 once exposed the same root cause as seed 3895: the logger daemon turned unhealthy on
/// a REGISTERING instance, which then held a replacement app task in PROVISIONING for good, so the
/// instance drained for the xray deployment kept its last RUNNING app task and the deployment stayed
/// IN_PROGRESS. Pinned by the same engine test as seed 3895.
#[test]
fn former_failure_seed_5459_passes() {
    let config = WorldConfig::hours(1);
    assert_passes(&check_seed(5459, config), config);
}

/// Seeds 463 and 6840 (safety-only) once exposed (safety: `rollback_restores_source`): an instance
/// launched with the target revision during a deployment was drained by hand while the rollback
/// ran; the rollback dropped it from its to-do list and ended ROLLBACK_SUCCESSFUL; the user set the
/// instance ACTIVE again and it served on with the rolled-back revision. Deployments now wait for
/// such instances and replace them once they are ACTIVE again; pinned by
/// `a_user_drained_instance_set_active_again_during_a_deployment_is_still_replaced`
/// (tests/engine/deployments.rs).
#[test]
fn former_failure_seeds_463_and_6840_pass_in_safety_only_mode() {
    let config = WorldConfig { safety_only: true, ..WorldConfig::hours(1) };
    assert_passes(&check_seed(463, config), config);
    assert_passes(&check_seed(6840, config), config);
}
