//! 200 random worlds — random API commands and faults — each run twice: identical event-log
//! hashes, and the invariant checker silent after every processed timer and command. Refused
//! commands must leave the simulation untouched (checked on the first ten worlds: it compares the
//! whole state before and after every refusal).
//!
//! The worlds are the seed sweep's (`testkit`, docs/testing.md "Simulation testing"), from seeds the
//! big 10,000-seed sweep does not cover, so this test adds to it rather than repeating it.

use ecs_daemon_sim::testkit::*;

const FIRST_SEED: u64 = 10_000;

fn assert_passes(verdict: &SeedVerdict) {
    assert!(
        verdict.passed(),
        "seed {}: {:?} / two runs differ: {:?} (replay: ecs-daemon-sim sweep --seed {})",
        verdict.run.seed,
        verdict.run.failure,
        verdict.nondeterminism,
        verdict.run.seed
    );
}

#[test]
fn two_hundred_random_worlds_are_deterministic_and_keep_every_invariant() {
    let (mut events, mut refused) = (0, 0);
    for seed in FIRST_SEED..FIRST_SEED + 200 {
        let config = WorldConfig { check_refusals: seed < FIRST_SEED + 10, ..WorldConfig::hours(1) };
        let verdict = check_seed(seed, config);
        assert_passes(&verdict);
        events += verdict.run.events;
        if config.check_refusals {
            refused += verdict.run.refused;
        }
    }
    assert!(events > 60_000, "worlds too quiet: {events} events");
    assert!(refused > 50, "only {refused} refusals checked");
}

#[test]
fn different_seeds_give_different_logs() {
    let config = WorldConfig::hours(1);
    assert_ne!(
        run_world(FIRST_SEED, config, None).event_log_hash,
        run_world(FIRST_SEED + 1, config, None).event_log_hash
    );
}
