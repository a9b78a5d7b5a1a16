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
//!   ([`invariants::is_liveness`](super::invariants::is_liveness)) and the recovery check are
//!   skipped; only what must hold at every instant is checked.
//!
//! The command generator (engine commands in the same shapes the API layer produces) covers
//! several clusters and providers — one in three created with auto repair DISABLED, and random
//! UpdateCapacityProvider commands switching it either way —, scheduled faults and bursts;
//! `tests/engine/determinism.rs` runs its worlds too.
//!
//! Not covered in normal mode, on purpose: a critical daemon revision too big for any instance (safety-only
//! worlds have them). New instances then stay REGISTERING for good, as AWS documents (a critical daemon that
//! never starts keeps its instance from becoming ACTIVE), so any rolling replacement waiting on them stalls,
//! legitimately.

use super::command::*;
use super::event::{Event, EventKind};
use super::invariants::{check_invariants, is_liveness, Violation};
use super::model::*;
use super::rng::Rng;
use super::sim::{SimConfig, Simulation};

use super::time::{HOUR, MINUTE, SECOND as S};

/// Single faults and burst members allowed per simulated hour in normal mode. Enough to keep a
/// world busy repairing, few enough that deployments can finish (liveness is checked).
pub const FAULT_BUDGET_PER_HOUR: u32 = 24;
/// Quiet time, all faults cleared, after the last command of a normal-mode world before the
/// liveness check (the engine's own determinism test uses the same bound).
pub const RECOVERY_MS: u64 = 4 * HOUR;

const FAMILIES: &[&str] = &["agent", "logger", "xray"];
const IMAGES: &[&str] = &["agent:v1", "agent:v2", "agent:v3", "public.ecr.aws/docker/library/nginx:alpine"];
const ALARMS: &[&str] = &["errors", "latency"];
const DRAIN_PERCENTS: &[f64] = &[0.0, 10.0, 25.0, 33.0, 50.0, 100.0, 150.0];
const BAKE_MINUTES: &[u32] = &[0, 0, 0, 1, 5, 20];

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
    pub violations: Vec<Violation>,
}

/// What one run of a world did.
#[derive(Debug, Clone, PartialEq)]
pub struct WorldRun {
    pub seed: u64,
    pub event_log_hash: u64,
    pub events: u64,
    pub timers: u64,
    pub commands: u32,
    pub refused: u32,
    pub faults: u32,
    pub bursts: u32,
    /// Simulated ms covered, recovery included.
    pub simulated_ms: u64,
    pub failure: Option<InvariantFailure>,
}

/// The verdict on one seed: its first run, and whether the second run's event log differed.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedVerdict {
    pub run: WorldRun,
    /// `(first hash, second hash)` when the two runs differ.
    pub nondeterminism: Option<(u64, u64)>,
}

impl SeedVerdict {
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

pub fn describe_violations(violations: &[Violation]) -> String {
    violations.iter().map(|v| format!("{}: {}", v.invariant, v.detail)).collect::<Vec<_>>().join("; ")
}

/// `+HH:MM:SS.mmm` of simulated time since the world's start.
pub fn clock(ms: u64) -> String {
    format!("+{:02}:{:02}:{:02}.{:03}", ms / HOUR, ms / MINUTE % 60, ms / S % 60, ms % S)
}

/// Runs one world, handing every trace line (commands, faults, events) to `trace` if given.
pub fn run_world(seed: u64, config: WorldConfig, trace: Option<&mut dyn FnMut(String)>) -> WorldRun {
    let mut ignore = |_: String| {};
    let tracing = trace.is_some();
    let trace: &mut dyn FnMut(String) = match trace {
        Some(t) => t,
        None => &mut ignore,
    };
    let mut world = World::build(seed, config, tracing);
    world.drive(trace);
    world.finish()
}

// ----- the world -----------------------------------------------------------------------------

struct ClusterShape {
    name: String,
    providers: Vec<String>,
    services: Vec<String>,
    daemons: Vec<String>,
}

/// Something to do at a later simulated time, resolved against the state of that moment (task
/// ARNs change as instances are repaired).
#[derive(Debug, Clone)]
enum Planned {
    /// A fault on one instance of a burst.
    HitInstance { cluster: usize, ec2: String, how: u64 },
    /// Lifting a clog.
    Command(Command),
}

struct World {
    config: WorldConfig,
    sim: Simulation,
    rng: Rng,
    clusters: Vec<ClusterShape>,
    start: u64,
    /// Ordered by time, then insertion (stable sort keeps replay exact).
    agenda: Vec<(u64, Planned)>,
    emitted: usize,
    run: WorldRun,
    fault_budget: u32,
    budget_hour: u64,
    /// Whether trace lines are wanted (formatting them costs more than simulating).
    tracing: bool,
    pending_trace: Vec<String>,
}

fn container(image: &str, health: bool) -> ContainerSpec {
    ContainerSpec {
        name: "main".into(),
        image: image.into(),
        essential: true,
        cpu: None,
        memory: None,
        memory_reservation: Some(128),
        health_check: health.then(|| HealthCheck {
            command: vec!["CMD-SHELL".into(), "true".into()],
            interval_s: 30,
            timeout_s: 5,
            retries: 3,
            start_period_s: 0,
        }),
    }
}

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> Option<&'a T> {
    (!items.is_empty()).then(|| &items[rng.below(items.len() as u64) as usize])
}

fn chance(rng: &mut Rng, one_in: u64) -> bool {
    rng.below(one_in) == 0
}

impl World {
    fn build(seed: u64, config: WorldConfig, tracing: bool) -> World {
        let sim = Simulation::new(SimConfig::with_seed(seed));
        let start = sim.now();
        let mut world = World {
            config,
            sim,
            rng: Rng::new(seed ^ 0x5EED_5EE9),
            clusters: Vec::new(),
            start,
            agenda: Vec::new(),
            emitted: 0,
            run: WorldRun {
                seed,
                event_log_hash: 0,
                events: 0,
                timers: 0,
                commands: 0,
                refused: 0,
                faults: 0,
                bursts: 0,
                simulated_ms: 0,
                failure: None,
            },
            fault_budget: FAULT_BUDGET_PER_HOUR,
            budget_hour: 0,
            tracing,
            pending_trace: Vec::new(),
        };
        world.genesis();
        world
    }

    fn rand(&mut self, n: u64) -> u64 {
        self.rng.below(n)
    }

    /// The opening state: 1–2 clusters, each with 1–3 providers, 1–3 daemons and 1–3 services.
    fn genesis(&mut self) {
        let mut setup = Vec::new();
        for alarm in ALARMS {
            setup.push(Command::PutMetricAlarm { name: alarm.to_string() });
        }
        for family in FAMILIES {
            for _ in 0..1 + self.rand(2) {
                setup.push(self.random_daemon_definition(family));
            }
        }
        setup.push(app_definition("app", 512, 1024));
        setup.push(app_definition("big", 1024, 2048));
        let n_clusters = 1 + self.rand(2) as usize;
        for c in 0..n_clusters {
            let name = format!("c{c}");
            setup.push(Command::CreateCluster { name: name.clone() });
            let providers: Vec<String> = (0..1 + self.rand(3)).map(|p| format!("{name}-cp{p}")).collect();
            for p in &providers {
                setup.push(self.random_provider(&name, p));
            }
            setup.push(Command::PutClusterCapacityProviders {
                cluster: name.clone(),
                capacity_providers: providers.clone(),
                default_strategy: vec![providers[0].clone()],
            });
            let daemons: Vec<String> =
                FAMILIES.iter().take(1 + self.rand(3) as usize).map(|f| f.to_string()).collect();
            let services: Vec<String> = (0..1 + self.rand(3)).map(|s| format!("svc{s}")).collect();
            self.clusters.push(ClusterShape { name, providers, services, daemons });
        }
        for c in 0..n_clusters {
            for d in self.clusters[c].daemons.clone() {
                setup.push(self.random_create_daemon(c, &d, Some(format!("{d}:1"))));
            }
            for s in self.clusters[c].services.clone() {
                setup.push(self.random_create_service(c, &s));
            }
        }
        for command in setup {
            self.apply(command);
        }
    }

    fn random_provider(&mut self, cluster: &str, name: &str) -> Command {
        let (vcpu, memory) =
            *pick(&mut self.rng, &[((2, 2), (4096, 4096)), ((2, 4), (4096, 8192)), ((4, 8), (8192, 16384))])
                .expect("sizes");
        Command::CreateCapacityProvider(CreateCapacityProvider {
            name: name.into(),
            cluster: cluster.into(),
            vcpu_min: vcpu.0,
            vcpu_max: vcpu.1,
            memory_min_mib: memory.0,
            memory_max_mib: memory.1,
            min_instances: chance(&mut self.rng, 3).then(|| 1 + self.rng.below(3) as u32),
            // A ceiling on one provider in three: at its maximum with services short of tasks, a
            // rolling replacement stalls as it would in AWS, and the liveness check excuses
            // exactly that case (`capacity_bound`); leaving ceilings out hid a real bug (services
            // never retried when a terminated instance brought a provider back under its maximum).
            max_instances: chance(&mut self.rng, 3).then(|| 2 + self.rng.below(4) as u32),
            instance_profile_ready: !chance(&mut self.rng, 20),
            scale_in_after_s: *pick(&mut self.rng, &[None, None, Some(-1), Some(300)]).expect("scale-in"),
            // Auto repair off on one provider in three: its instances that lose a critical daemon
            // task stay ACTIVE and IMPAIRED until a command switches it back on.
            auto_repair: !chance(&mut self.rng, 3),
        })
    }

    fn random_daemon_definition(&mut self, family: &str) -> Command {
        let image = pick(&mut self.rng, IMAGES).expect("images").to_string();
        let health = chance(&mut self.rng, 3);
        Command::RegisterDaemonTaskDefinition(RegisterDaemonTaskDefinition {
            family: family.into(),
            // Three daemons of the largest ordinary size plus the largest app task fit the smallest
            // instance (2 vCPU, 4 GiB), so a revision change never leaves app tasks with nowhere to
            // go. Safety-only worlds also get definitions too big for any instance
            // (TASK_CREATION_FAILED); not the others, where a critical daemon that can never run
            // legitimately keeps new instances REGISTERING and stalls every rolling replacement.
            cpu: Some(if self.config.safety_only && chance(&mut self.rng, 12) {
                4096
            } else {
                *pick(&mut self.rng, &[128, 256]).expect("cpu")
            }),
            memory: Some(*pick(&mut self.rng, &[256, 512, 512, 256]).expect("memory")),
            containers: vec![container(&image, health)],
            document: serde_json::Value::Null,
        })
    }

    fn random_deployment_config(&mut self) -> DeploymentConfig {
        DeploymentConfig {
            drain_percent: *pick(&mut self.rng, DRAIN_PERCENTS).expect("drain"),
            bake_time_in_minutes: *pick(&mut self.rng, BAKE_MINUTES).expect("bake"),
            alarm_names: ALARMS.iter().take(self.rng.below(3) as usize).map(|a| a.to_string()).collect(),
            alarms_enabled: !chance(&mut self.rng, 3),
        }
    }

    fn random_providers(&mut self, c: usize) -> Vec<String> {
        let all = self.clusters[c].providers.clone();
        let chosen: Vec<String> = all.iter().filter(|_| chance(&mut self.rng, 2)).cloned().collect();
        if chosen.is_empty() {
            vec![pick(&mut self.rng, &all).expect("providers").clone()]
        } else {
            chosen
        }
    }

    fn random_revision(&mut self, family: &str) -> String {
        format!("{family}:{}", 1 + self.rand(4))
    }

    /// CreateDaemon of `family` at `revision` (`family:N`), or at a random one (maybe missing).
    fn random_create_daemon(&mut self, c: usize, family: &str, revision: Option<String>) -> Command {
        let config = chance(&mut self.rng, 2).then(|| self.random_deployment_config());
        Command::CreateDaemon(CreateDaemon {
            cluster: self.clusters[c].name.clone(),
            daemon_name: family.into(),
            daemon_task_definition: revision.unwrap_or_else(|| self.random_revision(family)),
            capacity_providers: self.random_providers(c),
            deployment_configuration: config,
            tags: vec![],
            propagate_tags: None,
            enable_ecs_managed_tags: false,
            enable_execute_command: false,
            critical: (!chance(&mut self.rng, 2)).then(|| !chance(&mut self.rng, 3)),
            client_token: chance(&mut self.rng, 4).then(|| format!("tok-{}", self.rng.below(3))),
        })
    }

    fn random_create_service(&mut self, c: usize, name: &str) -> Command {
        let cluster = &self.clusters[c];
        let provider = pick(&mut self.rng, &cluster.providers).expect("providers").clone();
        Command::CreateService(CreateService {
            cluster: cluster.name.clone(),
            service_name: name.into(),
            task_definition: pick(&mut self.rng, &["app:1", "app:1", "big:1"]).expect("td").to_string(),
            desired_count: self.rng.below(5) as u32,
            capacity_provider: Some(provider),
            minimum_healthy_percent: None,
            maximum_percent: None,
        })
    }

    /// One random API-level command against the world as it is now.
    fn random_command(&mut self) -> Command {
        let c = self.rand(self.clusters.len() as u64) as usize;
        let cluster = self.clusters[c].name.clone();
        let family = pick(&mut self.rng, FAMILIES).expect("families").to_string();
        match self.rand(21) {
            0..=3 => Command::UpdateService {
                cluster,
                service: pick(&mut self.rng, &self.clusters[c].services).expect("services").clone(),
                desired_count: Some(self.rand(7) as u32),
            },
            4 => self.random_daemon_definition(&family),
            5..=8 => {
                let config = (!chance(&mut self.rng, 4)).then(|| self.random_deployment_config());
                Command::UpdateDaemon(UpdateDaemon {
                    daemon: format!("{cluster}/{family}"),
                    daemon_task_definition: self.random_revision(&family),
                    capacity_providers: self.random_providers(c),
                    deployment_configuration: config,
                    propagate_tags: None,
                    enable_ecs_managed_tags: false,
                    enable_execute_command: false,
                    critical: chance(&mut self.rng, 2).then(|| !chance(&mut self.rng, 4)),
                })
            }
            9 => self.random_create_daemon(c, &family, None),
            10 => Command::DeleteDaemon { daemon: format!("{cluster}/{family}") },
            11 => Command::SetDeploymentDrainPercent {
                daemon: format!("{cluster}/{family}"),
                drain_percent: *pick(&mut self.rng, &[5.0, 25.0, 50.0, 100.0, -1.0]).expect("drain"),
            },
            12 => {
                let service = pick(&mut self.rng, &self.clusters[c].services).expect("services").clone();
                if chance(&mut self.rng, 2) {
                    Command::DeleteService { cluster, service, force: chance(&mut self.rng, 2) }
                } else {
                    self.random_create_service(c, &service)
                }
            }
            13 => Command::RunTask(RunTask {
                cluster,
                task_definition: "app".into(),
                count: self.rand(3) as u32,
                capacity_provider: pick(&mut self.rng, &self.clusters[c].providers).cloned(),
                group: None,
                started_by: None,
            }),
            14 => {
                Command::DeleteDaemonTaskDefinition { daemon_task_definition: self.random_revision(&family) }
            }
            15 => {
                let provider = pick(&mut self.rng, &self.clusters[c].providers).expect("providers").clone();
                if chance(&mut self.rng, 2) {
                    Command::DeleteCapacityProvider { name: provider }
                } else {
                    self.random_provider(&cluster, &provider)
                }
            }
            16 => Command::SetInstanceProfileReady {
                capacity_provider: pick(&mut self.rng, &self.clusters[c].providers)
                    .expect("providers")
                    .clone(),
                ready: !chance(&mut self.rng, 4),
            },
            17 => {
                let cis: Vec<String> =
                    self.sim.container_instances(&cluster).map(|i| i.arn.to_string()).collect();
                Command::UpdateContainerInstancesState {
                    cluster,
                    container_instances: vec![pick(&mut self.rng, &cis)
                        .cloned()
                        .unwrap_or_else(|| "nope".into())],
                    status: pick(
                        &mut self.rng,
                        &[InstanceStatus::Draining, InstanceStatus::Active, InstanceStatus::Active],
                    )
                    .expect("status")
                    .as_str()
                    .to_string(),
                }
            }
            18 => Command::PutMetricAlarm { name: pick(&mut self.rng, ALARMS).expect("alarms").to_string() },
            19 => Command::UpdateCapacityProvider(UpdateCapacityProvider {
                name: pick(&mut self.rng, &self.clusters[c].providers).expect("providers").clone(),
                scale_in_after_s: None,
                // Both ways: DISABLED → ENABLED repairs the instances held meanwhile.
                auto_repair: Some(!chance(&mut self.rng, 3)),
            }),
            _ => Command::StopTask {
                cluster: cluster.clone(),
                task: {
                    let apps: Vec<String> = self
                        .sim
                        .tasks(&cluster)
                        .filter(|t| t.is_live() && !t.is_daemon())
                        .map(|t| t.arn.to_string())
                        .collect();
                    pick(&mut self.rng, &apps).cloned().unwrap_or_else(|| "missing".into())
                },
                reason: None,
            },
        }
    }

    /// One random fault; clogs (launch blocked, image unpullable, alarm) are lifted later.
    fn random_fault(&mut self) {
        let c = self.rand(self.clusters.len() as u64) as usize;
        match self.rand(9) {
            0..=4 => {
                let ec2 = self.random_instance(c);
                if let Some(ec2) = ec2 {
                    let how = self.rand(4);
                    self.hit_instance(c, &ec2, how);
                }
            }
            5 => {
                let image = pick(&mut self.rng, IMAGES).expect("images").to_string();
                self.clog(
                    Command::SetImageUnpullable { image: image.clone(), unpullable: true },
                    Command::SetImageUnpullable { image, unpullable: false },
                );
            }
            6 => {
                let provider = pick(&mut self.rng, &self.clusters[c].providers).expect("providers").clone();
                self.clog(
                    Command::SetLaunchBlocked { capacity_provider: provider.clone(), blocked: true },
                    Command::SetLaunchBlocked { capacity_provider: provider, blocked: false },
                );
            }
            7 => {
                let name = pick(&mut self.rng, ALARMS).expect("alarms").to_string();
                self.clog(alarm(&name, AlarmState::Alarm), alarm(&name, AlarmState::Ok));
            }
            _ => {
                let name = pick(&mut self.rng, ALARMS).expect("alarms").to_string();
                let state =
                    *pick(&mut self.rng, &[AlarmState::Ok, AlarmState::Alarm, AlarmState::InsufficientData])
                        .expect("states");
                self.fault(alarm(&name, state));
            }
        }
    }

    /// Swizzle-clogging: hit a random subset of one cluster's instances one by one within 30 s,
    /// clog a provider, an image and an alarm, and lift the clogs later in reverse order.
    fn burst(&mut self) {
        self.run.bursts += 1;
        let c = self.rand(self.clusters.len() as u64) as usize;
        let cluster = self.clusters[c].name.clone();
        let mut instances: Vec<String> = self
            .sim
            .container_instances(&cluster)
            .filter(|i| i.status != InstanceStatus::Terminated)
            .map(|i| i.ec2_instance_id.to_string())
            .collect();
        // Fisher–Yates with the world's RNG: the order of the swizzle is part of the seed.
        for i in (1..instances.len()).rev() {
            let j = self.rand(i as u64 + 1) as usize;
            instances.swap(i, j);
        }
        let hit = 1 + self.rand(instances.len().max(1) as u64) as usize;
        let now = self.sim.now();
        for ec2 in instances.into_iter().take(hit) {
            let at = now + self.rand(30 * S);
            let how = self.rand(4);
            self.plan(at, Planned::HitInstance { cluster: c, ec2, how });
        }
        let heal_base = now + (1 + self.rand(10)) * MINUTE;
        let mut clogs: Vec<(Command, Command)> = Vec::new();
        if chance(&mut self.rng, 2) {
            let p = pick(&mut self.rng, &self.clusters[c].providers).expect("providers").clone();
            clogs.push((
                Command::SetLaunchBlocked { capacity_provider: p.clone(), blocked: true },
                Command::SetLaunchBlocked { capacity_provider: p, blocked: false },
            ));
        }
        if chance(&mut self.rng, 2) {
            let image = pick(&mut self.rng, IMAGES).expect("images").to_string();
            clogs.push((
                Command::SetImageUnpullable { image: image.clone(), unpullable: true },
                Command::SetImageUnpullable { image, unpullable: false },
            ));
        }
        if chance(&mut self.rng, 2) {
            let name = pick(&mut self.rng, ALARMS).expect("alarms").to_string();
            clogs.push((alarm(&name, AlarmState::Alarm), alarm(&name, AlarmState::Ok)));
        }
        let n = clogs.len() as u64;
        for (k, (clog, lift)) in clogs.into_iter().enumerate() {
            let at = now + self.rand(30 * S);
            self.plan(at, Planned::Command(clog));
            // Reverse order of lifting: the first clog is lifted last.
            self.plan(heal_base + (n - k as u64) * 20 * S, Planned::Command(lift));
        }
    }

    fn clog(&mut self, clog: Command, lift: Command) {
        self.fault(clog);
        let at = self.sim.now() + (1 + self.rand(15)) * MINUTE;
        self.plan(at, Planned::Command(lift));
    }

    fn plan(&mut self, at: u64, what: Planned) {
        let pos = self.agenda.partition_point(|(t, _)| *t <= at);
        self.agenda.insert(pos, (at, what));
    }

    fn random_instance(&mut self, c: usize) -> Option<String> {
        let ids: Vec<String> = self
            .sim
            .container_instances(&self.clusters[c].name)
            .filter(|i| i.status != InstanceStatus::Terminated)
            .map(|i| i.ec2_instance_id.to_string())
            .collect();
        pick(&mut self.rng, &ids).cloned()
    }

    /// `how`: 0 stop a daemon task, 1 make it unhealthy, 2 terminate the instance, 3 drain it.
    fn hit_instance(&mut self, c: usize, ec2: &str, how: u64) {
        let cluster = self.clusters[c].name.clone();
        let Some(instance) = self.sim.instance_by_ec2_id(ec2) else { return };
        let ci_arn = instance.arn.to_string();
        let daemon_tasks: Vec<String> = instance
            .tasks
            .iter()
            .filter_map(|k| self.sim.task_by_key(*k))
            .filter(|t| t.is_daemon() && t.is_live())
            .map(|t| t.arn.to_string())
            .collect();
        let command = match how {
            0 | 1 if !daemon_tasks.is_empty() => {
                let task = pick(&mut self.rng, &daemon_tasks).expect("non-empty").clone();
                if how == 0 {
                    Command::StopTask { cluster, task, reason: Some("sweep fault".into()) }
                } else {
                    Command::MakeTaskUnhealthy { task }
                }
            }
            3 => Command::UpdateContainerInstancesState {
                cluster,
                container_instances: vec![ci_arn],
                status: InstanceStatus::Draining.as_str().into(),
            },
            _ => Command::TerminateInstances { instance_ids: vec![ec2.to_string()] },
        };
        self.fault(command);
    }

    fn fault(&mut self, command: Command) {
        self.run.faults += 1;
        self.apply_as(command, "fault");
    }

    fn apply(&mut self, command: Command) {
        self.apply_as(command, "command");
    }

    fn apply_as(&mut self, command: Command, kind: &str) {
        self.run.commands += 1;
        let line =
            if self.tracing { serde_json::to_string(&command).unwrap_or_default() } else { String::new() };
        let before = (self.config.check && self.config.check_refusals && self.run.failure.is_none())
            .then(|| (format!("{:?}", self.sim), format!("{command:?}")));
        let result = self.sim.apply(command);
        if result.is_err() {
            self.run.refused += 1;
            if let Some((before, shown)) = before {
                if before != format!("{:?}", self.sim) {
                    let detail = format!("refused {kind} {shown} changed the simulation");
                    self.run.failure = Some(InvariantFailure {
                        at_ms: self.elapsed(),
                        after: format!("{kind} #{}", self.run.commands),
                        violations: vec![Violation { invariant: "refusal_changes_nothing", detail }],
                    });
                }
            }
        }
        if self.tracing {
            let outcome = result.err().map(|e| format!(" -> refused: {e}")).unwrap_or_default();
            self.pending_trace.push(format!("{} > {kind} {line}{outcome}", clock(self.elapsed())));
        }
        let after = format!("{kind} #{}", self.run.commands);
        self.check(&after);
    }

    fn elapsed(&self) -> u64 {
        self.sim.now() - self.start
    }

    fn check(&mut self, after: &str) {
        if !self.config.check || self.run.failure.is_some() {
            return;
        }
        let mut violations = check_invariants(&self.sim);
        if self.config.safety_only {
            violations.retain(|v| !is_liveness(v.invariant));
        }
        if !violations.is_empty() {
            self.run.failure =
                Some(InvariantFailure { at_ms: self.elapsed(), after: after.into(), violations });
        }
    }

    /// Processes every timer up to `until` (epoch ms), checking after each.
    fn run_until(&mut self, until: u64, trace: &mut dyn FnMut(String)) {
        while let Some(t) = self.sim.next_event_time() {
            if t > until || self.run.failure.is_some() {
                break;
            }
            self.sim.step();
            self.run.timers += 1;
            let after = format!("timer #{}", self.run.timers);
            self.check(&after);
            self.flush(trace);
        }
        if self.run.failure.is_none() {
            self.sim.advance(until);
        }
        self.flush(trace);
    }

    fn flush(&mut self, trace: &mut dyn FnMut(String)) {
        if !self.tracing {
            return;
        }
        for line in self.pending_trace.drain(..) {
            trace(line);
        }
        for e in &self.sim.events()[self.emitted..] {
            trace(event_line(e, self.start));
        }
        self.emitted = self.sim.events().len();
    }

    fn faults_allowed(&mut self) -> bool {
        if self.config.safety_only {
            return true;
        }
        let hour = self.elapsed() / HOUR;
        if hour != self.budget_hour {
            self.budget_hour = hour;
            self.fault_budget = FAULT_BUDGET_PER_HOUR;
        }
        if self.fault_budget == 0 {
            return false;
        }
        self.fault_budget -= 1;
        true
    }

    fn drive(&mut self, trace: &mut dyn FnMut(String)) {
        self.flush(trace);
        let end = self.start + self.config.duration_ms;
        // Safety-only worlds act twice as often and fault far more.
        let (gap, fault_one_in, burst_one_in) =
            if self.config.safety_only { (60, 2, 6) } else { (120, 4, 25) };
        let mut next_action = self.sim.now() + (5 + self.rand(gap)) * S;
        while self.run.failure.is_none() {
            let planned = self.agenda.first().map(|(t, _)| *t).filter(|t| *t <= next_action);
            let at = planned.unwrap_or(next_action);
            if at > end {
                break;
            }
            self.run_until(at, trace);
            if self.run.failure.is_some() {
                break;
            }
            if planned.is_some() {
                let (_, what) = self.agenda.remove(0);
                match what {
                    Planned::HitInstance { cluster, ec2, how } => {
                        if self.faults_allowed() {
                            self.hit_instance(cluster, &ec2, how)
                        }
                    }
                    Planned::Command(c) => self.apply_as(c, "fault"),
                }
            } else {
                if chance(&mut self.rng, burst_one_in) && self.faults_allowed() {
                    self.burst();
                } else if chance(&mut self.rng, fault_one_in) {
                    if self.faults_allowed() {
                        self.random_fault();
                    }
                } else {
                    let command = self.random_command();
                    self.apply(command);
                }
                next_action = self.sim.now() + (5 + self.rand(gap)) * S;
            }
            self.flush(trace);
        }
        if self.run.failure.is_none() {
            self.run_until(end, trace);
        }
        if self.config.safety_only || self.run.failure.is_some() {
            return;
        }
        // Liveness: every clog lifted, every fault cleared, the world settles and every deployment
        // reaches a terminal status.
        self.agenda.clear();
        self.apply_as(Command::ClearFaults, "recovery");
        for c in 0..self.clusters.len() {
            for p in self.clusters[c].providers.clone() {
                let _ =
                    self.sim.apply(Command::SetInstanceProfileReady { capacity_provider: p, ready: true });
            }
        }
        for name in ALARMS {
            self.apply_as(alarm(name, AlarmState::Ok), "recovery");
        }
        self.run_until(end + RECOVERY_MS, trace);
        if self.run.failure.is_some() || !self.config.check {
            return;
        }
        let stuck: Vec<Violation> = self
            .sim
            .all_deployments()
            .filter(|d| d.is_active() && !self.capacity_bound(d))
            .map(|d| Violation {
                invariant: "deployment_terminates",
                detail: format!(
                    "deployment {} of {} still {} {} after every fault was cleared (to do: [{}], draining: [{}])",
                    d.id,
                    self.sim.daemon_by_key(d.daemon).map(|dm| dm.name.as_str()).unwrap_or("?"),
                    d.status.as_str(),
                    clock(RECOVERY_MS),
                    self.describe_instances(&d.todo),
                    self.describe_instances(&d.draining),
                ),
            })
            .collect();
        if !stuck.is_empty() {
            self.run.failure =
                Some(InvariantFailure { at_ms: self.elapsed(), after: "recovery".into(), violations: stuck });
        }
        self.flush(trace);
    }

    /// A deployment stalled for want of capacity, as it would in AWS: one of the instances it waits on
    /// belongs to a provider at its instance maximum that has a service it cannot place tasks for. A draining
    /// instance keeps a RUNNING service task until the service has a healthy replacement elsewhere (AWS:
    /// container instance draining — RUNNING service tasks are replaced per minimumHealthyPercent, default
    /// 100), and there is no room for one, so that instance never empties. Only replacement instances may
    /// exceed the maximum, and starving services take their room too. Not a liveness failure.
    fn capacity_bound(&self, d: &Deployment) -> bool {
        d.todo.iter().chain(&d.draining).filter_map(|k| self.sim.instance(*k)).any(|i| {
            let cp = &i.capacity_provider;
            let full = self
                .sim
                .capacity_providers
                .get(cp)
                .map(|p| p.instances.len() as u32 >= p.max_instances)
                .unwrap_or(false);
            full && self.sim.starving.get(cp).map(|s| !s.is_empty()).unwrap_or(false)
        })
    }

    /// `instance-id STATUS (n app tasks)` for each key: what a stuck deployment is waiting on.
    fn describe_instances(&self, keys: &std::collections::BTreeSet<InstanceKey>) -> String {
        keys.iter()
            .map(|k| match self.sim.instance(*k) {
                Some(i) => {
                    let apps = i
                        .tasks
                        .iter()
                        .filter_map(|t| self.sim.task_by_key(*t))
                        .filter(|t| !t.is_daemon())
                        .count();
                    format!("{} {} {} ({apps} app tasks)", i.id, i.capacity_provider, i.status.as_str())
                }
                None => format!("#{k} gone"),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn finish(mut self) -> WorldRun {
        self.run.event_log_hash = self.sim.event_log_hash();
        self.run.events = self.sim.event_count();
        self.run.simulated_ms = self.elapsed();
        self.run
    }
}

fn alarm(name: &str, state: AlarmState) -> Command {
    Command::SetAlarmState { name: name.into(), state: state.as_str().into(), reason: "sweep".into() }
}

fn app_definition(family: &str, cpu: u32, memory: u32) -> Command {
    Command::RegisterTaskDefinition(RegisterTaskDefinition {
        family: family.into(),
        cpu: Some(cpu),
        memory: Some(memory),
        containers: vec![container("public.ecr.aws/docker/library/nginx:alpine", false)],
        document: serde_json::Value::Null,
    })
}

/// The last path segment of an ARN: short enough for a trace line, unique within a world.
fn short(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// One event as one line: simulated time, type, the object and its new state.
pub fn event_line(e: &Event, start: u64) -> String {
    let at = clock(e.time_ms.saturating_sub(start));
    match &e.kind {
        EventKind::TaskStateChange(d) => format!(
            "{at} task {} {} {}/{} on {}{}",
            short(&d.task_arn),
            d.group,
            d.last_status,
            d.desired_status,
            short(&d.container_instance_arn),
            d.stopped_reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default()
        ),
        EventKind::ContainerInstanceStateChange(d) => format!(
            "{at} instance {} {} {} {}{}",
            short(&d.container_instance_arn),
            d.ec2_instance_id,
            d.capacity_provider_name,
            d.status,
            d.status_reason.map(|r| format!(" ({r})")).unwrap_or_default()
        ),
        EventKind::ContainerInstanceHealthChange(d) => format!(
            "{at} health {} {} {}{}",
            short(&d.container_instance_arn),
            d.health.overall_status().as_str(),
            d.health.status.as_str(),
            d.health.status_reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default()
        ),
        EventKind::DaemonServiceAction(d) => format!(
            "{at} daemon-action {} {} on {}: {}",
            short(&d.daemon_arn),
            d.failure_type,
            short(&d.container_instance_arn),
            d.reason
        ),
        EventKind::DaemonDeploymentStateChange(d) => format!(
            "{at} deployment {} {} {}{}",
            short(&d.daemon_deployment_arn),
            short(&d.daemon_arn),
            d.event_name,
            d.reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default()
        ),
    }
}
