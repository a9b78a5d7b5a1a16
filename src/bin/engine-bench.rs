//! Engine benchmark (not a test): prints, measured in one run,
//! 1. the engine's cost per processed timer at 100, 1,000, 10,000 and 100,000 instances, next to a
//!    raw `BinaryHeap` push+pop of a record the size of the engine's queue entry at the same depth;
//! 2. a 10,000-instance rolling update at drainPercent 25: wall time and simulated:wall ratio.
//!
//! A "processed timer" is one entry popped from the engine's queue and everything it causes: state
//! changes, follow-up timers, EventBridge events (about 1.5 per timer here), new instances and tasks
//! with their ids and ARNs. The raw heap does none of that, so the ratio is the engine's whole cost
//! per step against the floor of any timer-driven simulation.
//!
//! Run optimised (`cargo xtask bench` runs it as part of the performance record):
//!
//! ```text
//! cargo build --profile perf --bin engine-bench && target/perf/engine-bench [--max 100000] [--only 1000] [--rounds 15]
//! ```
//!
//! Wall time on a shared machine is noisy (at 100 instances one round is ~15 ms of work, so one
//! context switch moves it), so each fleet size runs `--rounds` rounds (default 15) of the same
//! repair phase on the same fleet, each with fresh faults and the same count (1,000 auto-repairs),
//! and the table shows the median round (its `repair ev` column counts the timers of all rounds);
//! the line under each row lists every round's ns/timer. The raw heap is measured the same way
//! (median of as many runs of 150,000 push+pop). More rounds cost more time, not a different
//! workload per round. Fleets are measured one after the other, each dropped before the next is
//! built: alternating rounds between live fleets would spread load bursts evenly, but it made the
//! 100-instance rounds ~30% slower (its allocations then come from the heap the 100,000-instance
//! fleet fragmented), which flattered the 100k-vs-100 ratio.
//!
//! On a shared machine compare instruction counts, which do not depend on its load, not wall time:
//!
//! ```text
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*repair_round*' \
//!   target/perf/engine-bench --only 1000
//! ```

use ecs_daemon_sim::engine::command::*;
use ecs_daemon_sim::engine::rng::Rng;
use ecs_daemon_sim::engine::time::{MINUTE, SECOND};
use ecs_daemon_sim::engine::*;
use ecs_daemon_sim::testkit::builders;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::time::Instant;

const S: u64 = 1000;
const CLUSTER: &str = "bench";
const CP: &str = "bench-mi";
/// Repair rounds per fleet size: cheap next to building the 100,000-instance fleet.
const ROUNDS: u32 = 15;

fn ok(sim: &mut Simulation, c: Command) -> Outcome {
    sim.apply(c).unwrap_or_else(|e| panic!("{e}"))
}

fn dtd(image: &str) -> Command {
    let definition =
        builders::register_daemon_task_definition("agent", 256, 512, builders::container("c", image));
    Command::RegisterDaemonTaskDefinition(definition)
}

fn daemon_cps() -> Vec<String> {
    vec![CP.into()]
}

/// A fleet of `n` instances: one daemon and one app task filling each instance.
fn fleet(n: u32) -> Simulation {
    let mut sim = Simulation::new(SimConfig::with_seed(42));
    ok(&mut sim, builders::create_cluster(CLUSTER));
    ok(
        &mut sim,
        Command::CreateCapacityProvider(CreateCapacityProvider {
            max_instances: Some(n * 2),
            scale_in_after_s: Some(-1),
            ..builders::create_capacity_provider(CLUSTER, CP, (2, 2), (4096, 4096))
        }),
    );
    ok(&mut sim, dtd("agent:v1"));
    ok(&mut sim, Command::CreateDaemon(builders::create_daemon(CLUSTER, "agent", "agent:1", daemon_cps())));
    let app = builders::register_task_definition("app", 1536, 3072, builders::container("c", "app:v1"));
    ok(&mut sim, Command::RegisterTaskDefinition(app));
    ok(&mut sim, Command::CreateService(builders::create_service(CLUSTER, "web", "app:1", n, CP)));
    sim
}

/// Runs until `until`, dropping the retained event log every simulated minute (memory), and
/// returns (timers processed, events emitted, wall seconds).
fn run(sim: &mut Simulation, until: u64) -> (u64, u64, f64) {
    let (t0, e0) = (sim.processed_timers(), sim.event_count());
    let start = Instant::now();
    while sim.now() < until {
        let next = (sim.now() + 60 * S).min(until);
        sim.advance(next);
        drop(black_box(sim.drain_events()));
    }
    (sim.processed_timers() - t0, sim.event_count() - e0, start.elapsed().as_secs_f64())
}

/// Stops the given daemon tasks and runs 30 simulated minutes (their auto-repair); returns wall
/// seconds. Never inlined so that a profiler can collect this phase alone, e.g.
/// `valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*repair_round*'`.
#[inline(never)]
fn repair_round(sim: &mut Simulation, daemon_tasks: Vec<String>) -> f64 {
    let start = Instant::now();
    for arn in daemon_tasks {
        ok(sim, Command::StopTask { cluster: CLUSTER.into(), task: arn, reason: None });
    }
    let stop_s = start.elapsed().as_secs_f64();
    let until = sim.now() + 30 * 60 * S;
    stop_s + run(sim, until).2
}

/// The middle value (the mean of the two middle ones for an even count).
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    }
}

/// Raw heap: `ops` push+pop pairs on a heap kept at `depth` records of `bytes` bytes.
fn raw_heap_ns(depth: usize, ops: u64) -> f64 {
    #[derive(PartialEq, Eq, PartialOrd, Ord, Clone, Copy)]
    struct Rec {
        time: u64,
        seq: u64,
        payload: [u64; 3],
    }
    assert!(std::mem::size_of::<Rec>() >= Simulation::queue_entry_size());
    let mut rng = Rng::new(7);
    let mut heap = BinaryHeap::with_capacity(depth + 1);
    let mut now = 0u64;
    for seq in 0..depth as u64 {
        heap.push(Reverse(Rec { time: rng.below(600_000), seq, payload: [seq; 3] }));
    }
    let start = Instant::now();
    for seq in 0..ops {
        heap.push(Reverse(Rec { time: now + rng.below(600_000), seq, payload: [seq; 3] }));
        if let Some(Reverse(r)) = heap.pop() {
            now = r.time;
            black_box(r);
        }
    }
    start.elapsed().as_secs_f64() * 1e9 / ops as f64
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| {
        args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse::<u32>().ok())
    };
    let max = flag("--max").unwrap_or(100_000);
    let only = flag("--only");
    let rounds = flag("--rounds").unwrap_or(ROUNDS).max(1) as usize;
    println!(
        "engine-bench: queue entry {} bytes; repair = 1,000 auto-repairs (10 × 100 daemon tasks stopped) per round, \
         {rounds} rounds per fleet; ns figures are the median round",
        Simulation::queue_entry_size()
    );
    println!(
        "{:>8} | {:>9} {:>9} {:>10} | {:>9} {:>10} {:>10} | {:>10} {:>7}",
        "fleet", "build ev", "build s", "ns/timer", "repair ev", "ns/timer", "ns/event", "heap ns", "ratio"
    );
    let mut per_event_small = None;
    let mut rolling = None;
    for n in [100u32, 1_000, 10_000, 100_000] {
        if n > max {
            break;
        }
        if only.is_some_and(|o| o != n) {
            continue;
        }
        let start = Instant::now();
        let mut sim = fleet(n);
        let create_s = start.elapsed().as_secs_f64();
        let until = sim.now() + 30 * 60 * S;
        let (build_timers, _, build_s) = run(&mut sim, until);
        let build_s = build_s + create_s;
        let running = sim.service(CLUSTER, "web").map(|s| s.running_count).unwrap_or(0);
        assert_eq!(running, n, "fleet of {n} not up");
        // The same work at every size and in every round: 10 × 100 daemon tasks stopped → 1,000
        // auto-repairs. Rounds repeat it on the same fleet; the median round is the figure.
        let depth = sim.queue_len().max(n as usize);
        if std::env::var("ENGINE_BENCH_PAUSE").is_ok() {
            eprintln!("repair phase starts");
        }
        let mut per_round = Vec::with_capacity(rounds);
        let mut repair_timers = 0;
        for _round in 0..rounds {
            let (t0, e0) = (sim.processed_timers(), sim.event_count());
            let mut wall = 0.0;
            for _batch in 0..10 {
                let daemon_tasks: Vec<String> = sim
                    .tasks(CLUSTER)
                    .filter(|t| t.is_daemon() && t.is_live())
                    .step_by((n as usize / 100).max(1))
                    .take(100)
                    .map(|t| t.arn.to_string())
                    .collect();
                wall += repair_round(&mut sim, daemon_tasks);
            }
            let timers = sim.processed_timers() - t0;
            let events = sim.event_count() - e0;
            repair_timers += timers;
            per_round.push((wall * 1e9 / timers as f64, wall * 1e9 / events as f64));
        }
        let ns_timer = median(per_round.iter().map(|r| r.0).collect());
        let ns_event = median(per_round.iter().map(|r| r.1).collect());
        let heap = median((0..rounds).map(|_| raw_heap_ns(depth, 150_000)).collect());
        println!(
            "{n:>8} | {build_timers:>9} {build_s:>9.3} {:>10.0} | {repair_timers:>9} {ns_timer:>10.0} {ns_event:>10.0} | {heap:>10.1} {:>7.1}",
            build_s * 1e9 / build_timers as f64,
            ns_timer / heap
        );
        let rounds_ns: Vec<String> = per_round.iter().map(|r| format!("{:.0}", r.0)).collect();
        println!("         rounds' ns/timer: {}", rounds_ns.join(" "));
        if n == 100 {
            per_event_small = Some(ns_timer);
        }
        if n == 100_000 {
            if let Some(small) = per_event_small {
                println!("per-timer cost at 100k vs 100 instances: {:.2}×", ns_timer / small);
            }
        }
        if n == 10_000 {
            rolling = Some(rolling_update(sim));
        }
    }
    if let Some(line) = rolling {
        println!("{line}");
    }
}

/// UpdateDaemon to a new revision at drainPercent 25, simulated to SUCCESSFUL.
fn rolling_update(mut sim: Simulation) -> String {
    {
        ok(&mut sim, dtd("agent:v2"));
        let out = ok(
            &mut sim,
            Command::UpdateDaemon(UpdateDaemon {
                deployment_configuration: Some(DeploymentConfig {
                    drain_percent: DEFAULT_DRAIN_PERCENT,
                    ..Default::default()
                }),
                ..builders::update_daemon(&format!("{CLUSTER}/agent"), "agent:2", daemon_cps())
            }),
        );
        let Outcome::Daemon { deployment_arn, .. } = out else { unreachable!() };
        let sim_start = sim.now();
        let (t0, e0) = (sim.processed_timers(), sim.event_count());
        let start = Instant::now();
        loop {
            let next = sim.now() + 60 * S;
            sim.advance(next);
            drop(black_box(sim.drain_events()));
            let dep = sim.deployment(&deployment_arn).expect("deployment");
            if !dep.is_active() {
                assert_eq!(dep.status, DeploymentStatus::Successful);
                break;
            }
        }
        let wall = start.elapsed().as_secs_f64();
        let dep = sim.deployment(&deployment_arn).unwrap();
        let sim_ms = dep.finished_at.unwrap() - dep.started_at.unwrap();
        format!(
            "10,000-instance rolling update, drainPercent 25 (batch {}): {} timers, {} events, wall {:.3} s, simulated {:.1} min, sim:wall {:.0}:1 (loop overshoot ≤ 1 simulated min)",
            dep.batch_size,
            sim.processed_timers() - t0,
            sim.event_count() - e0,
            wall,
            (sim.now() - sim_start) as f64 / MINUTE as f64,
            sim_ms as f64 / SECOND as f64 / wall
        )
    }
}
