//! `ecs-daemon-sim sweep`: many seeds of `testkit` worlds on worker threads, each checked
//! twice; a failure prints its seed and trace, `--seed N` replays one world.

use ecs_daemon_sim::engine::time::HOUR;
use ecs_daemon_sim::testkit::{
    check_seed, clock, describe_violations, first_difference, run_world, trace, SeedVerdict, WorldConfig,
};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Instant;

/// Seeds in a default sweep: ten thousand seeds fit in ten minutes on 2 cores (see docs/testing.md,
/// "Latest record").
pub const DEFAULT_SEEDS: u64 = 10_000;

pub const USAGE: &str = "\
usage: ecs-daemon-sim sweep [--seeds N] [--start S] [--seed S] [--hours H] [--safety-only] [--jobs J] [--trace]

Simulation testing: N random worlds (clusters, capacity providers, daemons, services), each driven
for H simulated hours by random API-level commands and faults (single and in swizzle-clogging
bursts) with every invariant checked after every event, and each run twice: the event logs must
be identical. A failing seed is printed with a one-line-per-event trace.

  --seeds N        number of seeds (default 10000)
  --start S        first seed (default 0)
  --seed S         replay exactly one world (prints its trace on failure, or with --trace)
  --hours H        simulated hours of commands and faults per world (default 1)
  --safety-only    unlimited faults; liveness invariants and the recovery check are skipped
  --jobs J         worker threads (default: available cores)
  --trace          with --seed: print the trace even when the world passes

Exit status: 0 when every seed passed, 1 when any failed, 2 for a usage error.
";

struct Options {
    seeds: u64,
    start: u64,
    single: Option<u64>,
    config: WorldConfig,
    jobs: usize,
    trace: bool,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        seeds: DEFAULT_SEEDS,
        start: 0,
        single: None,
        config: WorldConfig::hours(1),
        jobs: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
        trace: false,
    };
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].as_str();
        let mut value = |name: &str| -> Result<u64, String> {
            i += 1;
            let text = args.get(i).ok_or_else(|| format!("{name} needs a value"))?;
            text.parse().map_err(|_| format!("{name}: expected a non-negative integer, got {text:?}"))
        };
        match flag {
            "--seeds" => options.seeds = value("--seeds")?,
            "--start" => options.start = value("--start")?,
            "--seed" => options.single = Some(value("--seed")?),
            "--hours" => {
                let hours = value("--hours")?;
                if hours == 0 {
                    return Err("--hours: at least 1".into());
                }
                options.config.duration_ms = hours * HOUR;
            }
            "--jobs" => options.jobs = value("--jobs")?.max(1) as usize,
            "--safety-only" => options.config.safety_only = true,
            "--trace" => options.trace = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown option {other:?}")),
        }
        i += 1;
    }
    Ok(options)
}

/// Runs the sweep and returns the exit status.
pub fn main(args: &[String]) -> i32 {
    let options = match parse(args) {
        Ok(o) => o,
        Err(message) if message.is_empty() => {
            print!("{USAGE}");
            return 0;
        }
        Err(message) => {
            eprint!("ecs-daemon-sim sweep: {message}\n\n{USAGE}");
            return 2;
        }
    };
    match options.single {
        Some(seed) => replay(seed, &options),
        None => sweep(&options),
    }
}

fn mode(config: &WorldConfig) -> &'static str {
    if config.safety_only {
        "safety only (unlimited faults, liveness skipped)"
    } else {
        "safety + liveness"
    }
}

fn replay(seed: u64, options: &Options) -> i32 {
    let verdict = check_seed(seed, options.config);
    if options.trace || !verdict.passed() {
        for line in trace(seed, options.config) {
            println!("{line}");
        }
    }
    report_seed(&verdict, options.config, false);
    let run = &verdict.run;
    println!(
        "seed {seed}: {} — {} events, {} timers, {} commands ({} refused), {} faults ({} bursts), {} simulated",
        if verdict.passed() { "passed" } else { "FAILED" },
        run.events,
        run.timers,
        run.commands,
        run.refused,
        run.faults,
        run.bursts,
        clock(run.simulated_ms)
    );
    if verdict.passed() {
        0
    } else {
        1
    }
}

/// Prints what went wrong with one seed (nothing when it passed). With `with_trace`, the trace too.
fn report_seed(verdict: &SeedVerdict, config: WorldConfig, with_trace: bool) {
    let seed = verdict.run.seed;
    if let Some(f) = &verdict.run.failure {
        println!(
            "FAIL seed {seed}: invariant broken at {} after {}: {}",
            clock(f.at_ms),
            f.after,
            describe_violations(&f.violations)
        );
    }
    if let Some((a, b)) = verdict.nondeterminism {
        println!("FAIL seed {seed}: two runs differ (event-log hash {a:016x} vs {b:016x})");
        let mut first = Vec::new();
        let mut second = Vec::new();
        run_world(seed, config, Some(&mut |l| first.push(l)));
        run_world(seed, config, Some(&mut |l| second.push(l)));
        if let Some((i, x, y)) = first_difference(&first, &second) {
            println!("  first difference at trace line {}:\n  run 1: {x}\n  run 2: {y}", i + 1);
        }
    }
    if with_trace && !verdict.passed() {
        println!("trace of seed {seed} (replay: ecs-daemon-sim sweep --seed {seed}{}):", flags(config));
        for line in trace(seed, config) {
            println!("  {line}");
        }
    }
}

fn flags(config: WorldConfig) -> String {
    let mut out = String::new();
    if config.duration_ms != HOUR {
        out.push_str(&format!(" --hours {}", config.duration_ms / HOUR));
    }
    if config.safety_only {
        out.push_str(" --safety-only");
    }
    out
}

fn sweep(options: &Options) -> i32 {
    let config = options.config;
    let jobs = options.jobs.min(options.seeds.max(1) as usize);
    println!(
        "sweep: seeds {}..{} ({}), {} simulated h of commands and faults per world, {jobs} threads, {}",
        options.start,
        options.start + options.seeds,
        options.seeds,
        config.duration_ms / HOUR,
        mode(&config)
    );
    let started = Instant::now();
    let next = AtomicU64::new(0);
    let (send, receive) = mpsc::channel::<SeedVerdict>();
    let mut failed: Vec<u64> = Vec::new();
    let (mut violations, mut differences, mut events, mut faults, mut simulated_ms) =
        (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut done = 0u64;
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let send = send.clone();
            let next = &next;
            scope.spawn(move || loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                if k >= options.seeds {
                    break;
                }
                if send.send(check_seed(options.start + k, config)).is_err() {
                    break;
                }
            });
        }
        drop(send);
        let step = (options.seeds / 10).max(1);
        for verdict in receive {
            done += 1;
            let run = &verdict.run;
            events += run.events;
            faults += run.faults as u64;
            // A world's simulated time counts twice: it ran twice.
            simulated_ms += 2 * run.simulated_ms;
            if run.failure.is_some() {
                violations += 1;
            }
            if verdict.nondeterminism.is_some() {
                differences += 1;
            }
            if !verdict.passed() {
                // The first failure gets its whole trace; later ones their seed and verdict.
                report_seed(&verdict, config, failed.is_empty());
                failed.push(run.seed);
            }
            if done.is_multiple_of(step) || done == options.seeds {
                let wall = started.elapsed().as_secs_f64();
                println!(
                    "  {done}/{} seeds, {:.0} s, {:.0} seeds/min, {:.0} simulated h per wall minute, {} failed",
                    options.seeds,
                    wall,
                    done as f64 * 60.0 / wall,
                    simulated_ms as f64 / HOUR as f64 / (wall / 60.0),
                    failed.len()
                );
            }
        }
    });
    let wall = started.elapsed().as_secs_f64();
    let hours = simulated_ms as f64 / HOUR as f64;
    println!(
        "sweep result: {done} seeds ({} world runs) in {wall:.1} s on {jobs} threads = {:.0} seeds per wall minute, {hours:.0} simulated hours = {:.0} simulated hours per wall minute; {events} events, {faults} faults; {violations} invariant violations, {differences} determinism differences",
        2 * done,
        done as f64 * 60.0 / wall,
        hours / (wall / 60.0),
    );
    if failed.is_empty() {
        0
    } else {
        failed.sort_unstable();
        println!("failing seeds: {failed:?}");
        1
    }
}
