//! The random world: its opening state (clusters, capacity providers, daemons, services), the
//! random commands, faults and fault bursts that drive it, and the fault budget of normal mode. A
//! [`Runner`] applies everything and checks; the generator only decides, from its own seeded RNG,
//! what comes next.

use super::builders;
use super::runner::alarm;
use super::{Runner, WorldConfig, WorldRun, FAULT_BUDGET_PER_HOUR};
use crate::engine::command::*;
use crate::engine::model::*;
use crate::engine::rng::Rng;
use crate::engine::time::{HOUR, MINUTE, SECOND as S};

const FAMILIES: &[&str] = &["agent", "logger", "xray"];
const IMAGES: &[&str] = &["agent:v1", "agent:v2", "agent:v3", "public.ecr.aws/docker/library/nginx:alpine"];
const ALARMS: &[&str] = &["errors", "latency"];
const DRAIN_PERCENTS: &[f64] = &[0.0, 10.0, 25.0, 33.0, 50.0, 100.0, 150.0];
const BAKE_MINUTES: &[u32] = &[0, 0, 0, 1, 5, 20];

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

/// A random world being driven: the generator's state around the runner that applies and checks.
pub(super) struct World<'t> {
    config: WorldConfig,
    runner: Runner<'t>,
    rng: Rng,
    clusters: Vec<ClusterShape>,
    /// Ordered by time, then insertion (stable sort keeps replay exact).
    agenda: Vec<(u64, Planned)>,
    fault_budget: u32,
    budget_hour: u64,
}

/// The one container of every definition of a world: 128 MiB reserved, health-checked or not.
fn container(image: &str, health: bool) -> ContainerSpec {
    ContainerSpec {
        memory_reservation: Some(128),
        health_check: health.then(|| builders::health_check("true")),
        ..builders::container("main", image)
    }
}

/// An app task definition of the world's image.
fn app_definition(family: &str, cpu: u32, memory: u32) -> Command {
    let container = container("public.ecr.aws/docker/library/nginx:alpine", false);
    Command::RegisterTaskDefinition(builders::register_task_definition(family, cpu, memory, container))
}

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> Option<&'a T> {
    (!items.is_empty()).then(|| &items[rng.below(items.len() as u64) as usize])
}

fn chance(rng: &mut Rng, one_in: u64) -> bool {
    rng.below(one_in) == 0
}

impl<'t> World<'t> {
    /// The world of `seed` in its opening state, built through `runner`.
    pub(super) fn build(seed: u64, config: WorldConfig, runner: Runner<'t>) -> Self {
        let mut world = World {
            config,
            runner,
            rng: Rng::new(seed ^ 0x5EED_5EE9),
            clusters: Vec::new(),
            agenda: Vec::new(),
            fault_budget: FAULT_BUDGET_PER_HOUR,
            budget_hour: 0,
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
            setup.push(builders::create_cluster(&name));
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
        // Drawn in this order (the seed's worlds depend on it), then set on the plain request.
        let min_instances = chance(&mut self.rng, 3).then(|| 1 + self.rng.below(3) as u32);
        // A ceiling on one provider in three: at its maximum with services short of tasks, a
        // rolling replacement stalls as it would in AWS, and the liveness check excuses exactly
        // that case (`capacity_bound`); leaving ceilings out hid a real bug (services never
        // retried when a terminated instance brought a provider back under its maximum).
        let max_instances = chance(&mut self.rng, 3).then(|| 2 + self.rng.below(4) as u32);
        let instance_profile_ready = !chance(&mut self.rng, 20);
        let scale_in_after_s = *pick(&mut self.rng, &[None, None, Some(-1), Some(300)]).expect("scale-in");
        // Auto repair off on one provider in three: its instances that lose a critical daemon
        // task stay ACTIVE and IMPAIRED until a command switches it back on.
        let auto_repair = !chance(&mut self.rng, 3);
        Command::CreateCapacityProvider(CreateCapacityProvider {
            min_instances,
            max_instances,
            instance_profile_ready,
            scale_in_after_s,
            auto_repair,
            ..builders::create_capacity_provider(cluster, name, vcpu, memory)
        })
    }

    fn random_daemon_definition(&mut self, family: &str) -> Command {
        let image = pick(&mut self.rng, IMAGES).expect("images").to_string();
        let health = chance(&mut self.rng, 3);
        // Three daemons of the largest ordinary size plus the largest app task fit the smallest
        // instance (2 vCPU, 4 GiB), so a revision change never leaves app tasks with nowhere to
        // go. Safety-only worlds also get definitions too big for any instance
        // (TASK_CREATION_FAILED); not the others, where a critical daemon that can never run
        // legitimately keeps new instances REGISTERING and stalls every rolling replacement.
        let cpu = if self.config.safety_only && chance(&mut self.rng, 12) {
            4096
        } else {
            *pick(&mut self.rng, &[128, 256]).expect("cpu")
        };
        let memory = *pick(&mut self.rng, &[256, 512, 512, 256]).expect("memory");
        let definition =
            builders::register_daemon_task_definition(family, cpu, memory, container(&image, health));
        Command::RegisterDaemonTaskDefinition(definition)
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
        let revision = revision.unwrap_or_else(|| self.random_revision(family));
        let providers = self.random_providers(c);
        let critical = (!chance(&mut self.rng, 2)).then(|| !chance(&mut self.rng, 3));
        let client_token = chance(&mut self.rng, 4).then(|| format!("tok-{}", self.rng.below(3)));
        Command::CreateDaemon(CreateDaemon {
            deployment_configuration: config,
            critical,
            client_token,
            ..builders::create_daemon(&self.clusters[c].name, family, &revision, providers)
        })
    }

    fn random_create_service(&mut self, c: usize, name: &str) -> Command {
        let cluster = &self.clusters[c];
        let provider = pick(&mut self.rng, &cluster.providers).expect("providers").clone();
        let definition = pick(&mut self.rng, &["app:1", "app:1", "big:1"]).expect("td");
        let desired = self.rng.below(5) as u32;
        Command::CreateService(builders::create_service(&cluster.name, name, definition, desired, &provider))
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
                let revision = self.random_revision(&family);
                let providers = self.random_providers(c);
                let critical = chance(&mut self.rng, 2).then(|| !chance(&mut self.rng, 4));
                let daemon = format!("{cluster}/{family}");
                Command::UpdateDaemon(UpdateDaemon {
                    deployment_configuration: config,
                    critical,
                    ..builders::update_daemon(&daemon, &revision, providers)
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
                    self.runner.sim().container_instances(&cluster).map(|i| i.arn.to_string()).collect();
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
                        .runner
                        .sim()
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
        self.runner.run.bursts += 1;
        let c = self.rand(self.clusters.len() as u64) as usize;
        let cluster = self.clusters[c].name.clone();
        let mut instances: Vec<String> = self
            .runner
            .sim()
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
        let now = self.runner.sim().now();
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
        let at = self.runner.sim().now() + (1 + self.rand(15)) * MINUTE;
        self.plan(at, Planned::Command(lift));
    }

    fn plan(&mut self, at: u64, what: Planned) {
        let pos = self.agenda.partition_point(|(t, _)| *t <= at);
        self.agenda.insert(pos, (at, what));
    }

    fn random_instance(&mut self, c: usize) -> Option<String> {
        let ids: Vec<String> = self
            .runner
            .sim()
            .container_instances(&self.clusters[c].name)
            .filter(|i| i.status != InstanceStatus::Terminated)
            .map(|i| i.ec2_instance_id.to_string())
            .collect();
        pick(&mut self.rng, &ids).cloned()
    }

    /// `how`: 0 stop a daemon task, 1 make it unhealthy, 2 terminate the instance, 3 drain it.
    fn hit_instance(&mut self, c: usize, ec2: &str, how: u64) {
        let cluster = self.clusters[c].name.clone();
        let Some(instance) = self.runner.sim().instance_by_ec2_id(ec2) else { return };
        let ci_arn = instance.arn.to_string();
        let daemon_tasks: Vec<String> = instance
            .tasks
            .iter()
            .filter_map(|k| self.runner.sim().task_by_key(*k))
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
        let _ = self.runner.fault(command);
    }

    fn apply(&mut self, command: Command) {
        let _ = self.runner.command(command);
    }

    fn faults_allowed(&mut self) -> bool {
        if self.config.safety_only {
            return true;
        }
        let hour = self.runner.elapsed() / HOUR;
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

    /// Drives the world for its duration, then (normal mode) recovers and checks liveness.
    pub(super) fn drive(mut self) -> WorldRun {
        self.runner.flush();
        let end = self.runner.sim().now() - self.runner.elapsed() + self.config.duration_ms;
        // Safety-only worlds act twice as often and fault far more.
        let (gap, fault_one_in, burst_one_in) =
            if self.config.safety_only { (60, 2, 6) } else { (120, 4, 25) };
        let mut next_action = self.runner.sim().now() + (5 + self.rand(gap)) * S;
        while self.runner.failure().is_none() {
            let planned = self.agenda.first().map(|(t, _)| *t).filter(|t| *t <= next_action);
            let at = planned.unwrap_or(next_action);
            if at > end {
                break;
            }
            self.runner.run_until(at);
            if self.runner.failure().is_some() {
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
                    Planned::Command(c) => {
                        let _ = self.runner.apply_as(c, "fault");
                    }
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
                next_action = self.runner.sim().now() + (5 + self.rand(gap)) * S;
            }
            self.runner.flush();
        }
        if self.runner.failure().is_none() {
            self.runner.run_until(end);
        }
        if self.config.safety_only || self.runner.failure().is_some() {
            return self.runner.finish();
        }
        // Liveness: every clog lifted, every fault cleared, the world settles and every deployment
        // reaches a terminal status.
        self.agenda.clear();
        self.runner.recover();
        self.runner.finish()
    }
}
