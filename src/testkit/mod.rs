//! What the tests, the seed sweep and the engine benchmark share, kept out of the engine so that the
//! engine's API is the simulator alone: the random worlds of simulation testing, the checked runner
//! that drives them (and the pinned worlds the regression tests script by hand), their trace, and
//! the builders of the engine commands those worlds are made of.
//!
//! Simulation testing at scale, the pure half: from a seed, a random world (clusters, capacity
//! providers, daemons — critical, non-critical, health-checked — and services), driven for a given
//! simulated time by random API-level commands and random faults, with the invariant checker after
//! every processed timer; [`check_seed`] runs each world twice and compares event-log hashes, as
//! FoundationDB's simulation and TigerBeetle's VOPR do. Threads, wall clocks and printing live in
//! the native program (`ecs-daemon-sim sweep`); this module is single-threaded and wasm-compatible,
//! so a seed replays identically anywhere.
//!
//! Faults come singly (daemon task stopped, daemon task unhealthy, instance terminated, instance
//! drained by hand, image unpullable, capacity provider unable to launch, alarm flips) and in
//! bursts in the style of FoundationDB's swizzle-clogging: a random subset of one cluster's
//! instances is hit one after another within half a minute, while a provider's launches, an image
//! and an alarm are "clogged", and the clogs are lifted minutes later in the reverse order.
//!
//! Two modes:
//! - normal: faults are rationed (at most [`FAULT_BUDGET_PER_HOUR`] per simulated hour), every
//!   invariant is checked, and after the last command every fault is cleared and the world gets
//!   [`RECOVERY_MS`] to settle: every deployment must then have reached a terminal status
//!   (liveness), unless it waits on a provider at its instance maximum with services it cannot
//!   place — a stall AWS has too (draining instances keep tasks that have nowhere to go);
//! - safety only: faults are unlimited and far more frequent, liveness predicates
//!   ([`is_liveness`](crate::engine::invariants::is_liveness)) and the recovery check are skipped;
//!   only what must hold at every instant is checked.
//!
//! The command generator (engine commands in the same shapes the API layer produces) covers
//! several clusters and providers — one in three created with auto repair DISABLED, and random
//! UpdateCapacityProvider commands switching it either way —, scheduled faults and bursts;
//! `tests/engine/determinism.rs` runs its worlds too.
//!
//! Not covered in normal mode, on purpose: a critical daemon revision too big for any instance
//! (safety-only worlds have them). New instances then stay REGISTERING for good, as AWS documents
//! (a critical daemon that never starts keeps its instance from becoming ACTIVE), so any rolling
//! replacement waiting on them stalls, legitimately.
//!
//! The playground never imports this module (`tests/architecture.rs` checks it), so none of it
//! reaches the release bundle.
#![deny(missing_docs)]

pub mod builders;
mod runner;
mod world;

pub use runner::{event_line, Runner};

use crate::engine::time::{HOUR, MINUTE, SECOND};
use crate::engine::Violation;

/// Single faults and burst members allowed per simulated hour in normal mode. Enough to keep a
/// world busy repairing, few enough that deployments can finish (liveness is checked).
pub const FAULT_BUDGET_PER_HOUR: u32 = 24;
/// Quiet time, all faults cleared, after the last command of a normal-mode world before the
/// liveness check (the engine's own determinism test uses the same bound).
pub const RECOVERY_MS: u64 = 4 * HOUR;

/// How a sweep world is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorldConfig {
    /// Simulated time of random commands and faults, in ms (at least one hour in the sweep).
    pub duration_ms: u64,
    /// Unlimited faults, liveness skipped.
    pub safety_only: bool,
    /// Run the invariant checker after every timer and command (benchmarks turn it off).
    pub check: bool,
    /// With `check`: also require every refused command to leave the simulation exactly as it
    /// was (its whole `Debug` rendering, before and after; slow, so for tests only). A change
    /// is reported as the safety predicate `refusal_changes_nothing`.
    pub check_refusals: bool,
}

impl WorldConfig {
    /// A normal-mode world of `hours` simulated hours of commands and faults, every invariant
    /// checked, refusals not compared.
    pub fn hours(hours: u64) -> Self {
        WorldConfig { duration_ms: hours * HOUR, safety_only: false, check: true, check_refusals: false }
    }
}

impl Default for WorldConfig {
    fn default() -> Self {
        Self::hours(1)
    }
}

/// Where the first broken invariant was seen.
#[derive(Debug, Clone, PartialEq)]
pub struct InvariantFailure {
    /// Simulated ms since the world's start.
    pub at_ms: u64,
    /// What had just happened: `timer #N`, `command #N`, or `recovery`.
    pub after: String,
    /// Every predicate broken at that moment.
    pub violations: Vec<Violation>,
}

/// What one run of a world did.
#[derive(Debug, Clone, PartialEq)]
pub struct WorldRun {
    /// The world's seed (the simulation's and, offset, the generator's).
    pub seed: u64,
    /// The simulation's event-log hash at the end: equal runs have equal hashes.
    pub event_log_hash: u64,
    /// EventBridge events emitted.
    pub events: u64,
    /// Timers processed.
    pub timers: u64,
    /// Commands applied, faults and recovery commands included.
    pub commands: u32,
    /// Commands the engine refused.
    pub refused: u32,
    /// Faults applied, burst members included.
    pub faults: u32,
    /// Fault bursts started.
    pub bursts: u32,
    /// Simulated ms covered, recovery included.
    pub simulated_ms: u64,
    /// The first broken invariant, if any (the run stops there).
    pub failure: Option<InvariantFailure>,
}

/// The verdict on one seed: its first run, and whether the second run's event log differed.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedVerdict {
    /// The first run, the one the invariant checker watched.
    pub run: WorldRun,
    /// `(first hash, second hash)` when the two runs differ.
    pub nondeterminism: Option<(u64, u64)>,
}

impl SeedVerdict {
    /// No invariant broken and both runs alike.
    pub fn passed(&self) -> bool {
        self.run.failure.is_none() && self.nondeterminism.is_none()
    }
}

/// Runs the world of `seed` twice (the invariant checker on the first run only: checking reads
/// and never writes, and any difference it could hide shows up in the hashes) and compares.
pub fn check_seed(seed: u64, config: WorldConfig) -> SeedVerdict {
    let run = run_world(seed, config, None);
    let again = run_world(seed, WorldConfig { check: false, ..config }, None);
    let nondeterminism = (run.failure.is_none()
        && (again.event_log_hash, again.events) != (run.event_log_hash, run.events))
        .then_some((run.event_log_hash, again.event_log_hash));
    SeedVerdict { run, nondeterminism }
}

/// Runs the random world of `seed`, handing every trace line (commands, faults, events) to
/// `trace` if given.
pub fn run_world(seed: u64, config: WorldConfig, trace: Option<&mut dyn FnMut(String)>) -> WorldRun {
    world::World::build(seed, config, Runner::new(seed, config, trace)).drive()
}

/// The world of `seed` as a one-line-per-event trace, interleaved with the commands and faults
/// that caused them (`>` lines) and ending with the failure, if any.
pub fn trace(seed: u64, config: WorldConfig) -> Vec<String> {
    let mut lines = Vec::new();
    let run = run_world(seed, config, Some(&mut |line| lines.push(line)));
    if let Some(f) = &run.failure {
        lines.push(format!(
            "{} !! after {}: {}",
            clock(f.at_ms),
            f.after,
            describe_violations(&f.violations)
        ));
    }
    lines
}

/// The first line where two traces differ (for determinism failures), with both versions.
pub fn first_difference(a: &[String], b: &[String]) -> Option<(usize, String, String)> {
    let n = a.len().max(b.len());
    (0..n).find_map(|i| {
        let (x, y) = (a.get(i), b.get(i));
        (x != y).then(|| (i, x.cloned().unwrap_or_default(), y.cloned().unwrap_or_default()))
    })
}

/// `invariant: detail` of each violation, joined by `; `: one line for a report.
pub fn describe_violations(violations: &[Violation]) -> String {
    violations.iter().map(|v| format!("{}: {}", v.invariant, v.detail)).collect::<Vec<_>>().join("; ")
}

/// `+HH:MM:SS.mmm` of simulated time since the world's start.
pub fn clock(ms: u64) -> String {
    format!("+{:02}:{:02}:{:02}.{:03}", ms / HOUR, ms / MINUTE % 60, ms / SECOND % 60, ms % SECOND)
}
