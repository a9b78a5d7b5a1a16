//! "Sidecar vs managed daemon": the page's fleet (the agent as a managed daemon) next to a second
//! simulated fleet running the same service with the agent as a sidecar container in every app
//! task. Both get the same agent update when their fleet is ready — the daemon fleet a new daemon
//! revision (instances replaced in drainPercent batches), the sidecar fleet a new app task
//! definition revision and a service deployment (every app task replaced) — and every figure the
//! comparison shows is counted from the two simulations.

use super::model::{Playground, Scenario, CLUSTER, DAEMON, SAMPLE_EVERY_MS, SERVICE};
use super::presets::{holds, When};
use crate::engine::{InstanceStatus, Simulation, TaskStatus};
use yew::prelude::*;

/// The preset that shows the comparison.
pub const PRESET: &str = "sidecar-vs-daemon";

/// The sidecar fleet, kept at the page's simulated time.
pub struct Comparison {
    twin: Playground,
    updated: bool,
}

impl Comparison {
    /// The same scenario as `main`'s, with the agent as a sidecar.
    pub fn new(main: &Playground) -> Comparison {
        let mut twin = Playground::new(Scenario { sidecar: true, ..main.scenario().clone() });
        twin.playing = false;
        Comparison { twin, updated: false }
    }

    pub fn twin(&self) -> &Playground {
        &self.twin
    }

    /// Moves the sidecar fleet to `main`'s time (rebuilt from its seed when `main` went back),
    /// performing its agent update at the first sampling instant its fleet is ready: the same
    /// condition, on the same grid, as the preset's daemon update, so the result does not depend
    /// on frame boundaries or speed.
    pub fn follow(&mut self, main: &Playground) {
        let target = main.elapsed();
        if target < self.twin.elapsed() {
            *self = Comparison::new(main);
        }
        while self.twin.elapsed() < target {
            let now = self.twin.elapsed();
            let next = ((now / SAMPLE_EVERY_MS + 1) * SAMPLE_EVERY_MS).min(target);
            self.twin.advance_to(next);
            if !self.updated && next.is_multiple_of(SAMPLE_EVERY_MS) && holds(&self.twin, When::FleetReady) {
                self.updated = self.twin.redeploy_sidecar_agent();
            }
        }
    }

    /// Both fleets' figures: (sidecar, managed daemon).
    pub fn tallies(&self, main: &Playground) -> (Tally, Tally) {
        let managed = tally(main, None);
        let sidecar = tally(&self.twin, Some(app_task_size(main.sim())));
        (sidecar, managed)
    }
}

/// Keeps `comparison` in step with the page: present while the sidecar preset is loaded.
pub fn sync(comparison: &mut Option<Comparison>, main: &Playground) {
    if main.preset().map(|p| p.id) != Some(PRESET) {
        *comparison = None;
        return;
    }
    comparison.get_or_insert_with(|| Comparison::new(main)).follow(main);
}

/// What one fleet's agent costs and what its agent update did, counted from its simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub instances: u32,
    /// Agents running: daemon tasks, or `agent` containers of running app tasks.
    pub agents: u32,
    /// cpu units / MiB reserved for agents: the daemon tasks' reservations, or what each sidecar
    /// task reserves beyond the same app task without a sidecar (measured in the other fleet).
    pub agent_cpu: u32,
    pub agent_memory: u32,
    /// Simulated ms when the agent update began, if it has.
    pub update_at: Option<u64>,
    pub update_done: bool,
    /// App task definition revisions registered.
    pub app_revisions: u32,
    /// App tasks started since the update began on an app revision other than the first one: the
    /// app redeployed.
    pub restarted_new_revision: u32,
    /// App tasks started since the update began on the first app revision: moved off replaced
    /// instances.
    pub moved: u32,
    /// Fewest app tasks running at any sampling instant since the update began, and desired.
    pub fewest_running: Option<u32>,
    pub desired: u32,
}

impl Tally {
    /// Agents per instance, in tenths (3 = 0.3).
    pub fn agents_per_instance_tenths(&self) -> u32 {
        (self.agents * 10).checked_div(self.instances).unwrap_or(0)
    }
}

/// `without_agent`: None for the daemon fleet; for the sidecar fleet, the (cpu, memory) of the
/// same app task without its agent (measured in the daemon fleet).
fn tally(p: &Playground, without_agent: Option<(u32, u32)>) -> Tally {
    let managed = without_agent.is_none();
    let sim = p.sim();
    let epoch = sim.config().epoch_ms;
    let group = format!("service:{SERVICE}");
    let service = sim.service(CLUSTER, SERVICE);
    let first_revision = sim
        .task_definitions()
        .filter(|t| Some(t.family.as_str()) == service.map(|s| family(&s.task_definition)))
        .min_by_key(|t| t.revision);
    let app_revisions = sim
        .task_definitions()
        .filter(|t| Some(t.family.as_str()) == service.map(|s| family(&s.task_definition)))
        .count() as u32;
    let update_at = if managed {
        daemon_update_at(sim)
    } else {
        sim.task_definitions()
            .filter(|t| first_revision.is_some_and(|f| f.family == t.family && t.revision > f.revision))
            .map(|t| t.registered_at)
            .min()
    };
    let mut t = Tally {
        instances: sim.container_instances(CLUSTER).filter(|i| i.status != InstanceStatus::Terminated).count()
            as u32,
        update_at: update_at.map(|at| at.saturating_sub(epoch)),
        app_revisions,
        desired: service.map(|s| s.desired_count).unwrap_or(0),
        ..Tally::default()
    };
    for task in sim.tasks(CLUSTER) {
        let running = task.last_status == TaskStatus::Running;
        if task.is_daemon() {
            if running {
                t.agents += 1;
                t.agent_cpu += task.cpu;
                t.agent_memory += task.memory;
            }
            continue;
        }
        if *task.group != *group {
            continue;
        }
        if running {
            let agents = task.images.iter().filter(|(name, _)| name == "agent").count() as u32;
            t.agents += agents;
            if let Some((cpu, memory)) = without_agent.filter(|_| agents > 0) {
                t.agent_cpu += task.cpu.saturating_sub(cpu);
                t.agent_memory += task.memory.saturating_sub(memory);
            }
        }
        if let (Some(at), Some(first)) = (update_at, first_revision) {
            if task.created_at >= at {
                if *task.task_definition == *first.arn {
                    t.moved += 1;
                } else {
                    t.restarted_new_revision += 1;
                }
            }
        }
    }
    t.update_done = match (managed, update_at) {
        (_, None) => false,
        (true, Some(_)) => p.deployment().is_some_and(|d| d.status == "SUCCESSFUL"),
        (false, Some(_)) => service.is_some_and(|s| {
            s.running_count == s.desired_count
                && s.live.len() as u32 == s.desired_count
                && s.live
                    .iter()
                    .filter_map(|k| sim.task_by_key(*k))
                    .all(|x| x.task_definition == s.task_definition)
        }),
    };
    t.fewest_running =
        t.update_at.and_then(|at| p.samples().iter().filter(|s| s.at_ms >= at).map(|s| s.app_running).min());
    t
}

/// The daemon fleet's update: its daemon's newest deployment after the first (CreateDaemon).
fn daemon_update_at(sim: &Simulation) -> Option<u64> {
    let daemon = sim.daemons().find(|d| d.name == DAEMON && d.cluster == CLUSTER)?;
    let deployments = sim.daemon_deployments(daemon);
    (deployments.len() >= 2).then(|| deployments.iter().map(|d| d.created_at).max()).flatten()
}

/// (cpu, memory) of a running app task of the daemon fleet: the app without an agent.
fn app_task_size(sim: &Simulation) -> (u32, u32) {
    sim.tasks(CLUSTER)
        .find(|t| !t.is_daemon() && t.last_status == TaskStatus::Running)
        .map(|t| (t.cpu, t.memory))
        .unwrap_or((0, 0))
}

fn family(task_definition_arn: &str) -> &str {
    let last = task_definition_arn.rsplit('/').next().unwrap_or(task_definition_arn);
    last.split(':').next().unwrap_or(last)
}

/// The agent image tag of a running sidecar task (`v2`), if it has an `agent` container.
fn agent_tag(sim: &Simulation, task_id: &str) -> Option<String> {
    let task = sim.task(task_id)?;
    let image = &task.images.iter().find(|(name, _)| name == "agent")?.1;
    image.rsplit(':').next().map(str::to_string)
}

fn tag_number(tag: &str) -> u32 {
    tag.trim_start_matches('v').parse().unwrap_or(1)
}

/// The two fleets side by side (`grid`: the page's own, managed-daemon fleet) and the figures.
pub fn view(comparison: &Comparison, main: &Playground, grid: Html) -> Html {
    let (sidecar, managed) = comparison.tallies(main);
    let twin = comparison.twin();
    let sim = twin.sim();
    let row = |measure: &'static str, label: &str, s: String, m: String| {
        html! {
            <tr data-measure={measure}>
                <th scope="row">{ label.to_string() }</th>
                <td data-world="sidecar">{ s }</td>
                <td data-world="daemon">{ m }</td>
            </tr>
        }
    };
    let per = |t: &Tally| {
        let tenths = t.agents_per_instance_tenths();
        format!("{}.{} ({} agents, {} instances)", tenths / 10, tenths % 10, t.agents, t.instances)
    };
    let update = |t: &Tally| match (t.update_at, t.update_done) {
        (None, _) => "not yet (waiting for the fleet)".to_string(),
        (Some(at), false) => format!("in progress since {}", super::model::format_clock(at)),
        (Some(at), true) => format!("done (began {})", super::model::format_clock(at)),
    };
    let fewest = |t: &Tally| match t.fewest_running {
        Some(n) => format!("{n} of {}", t.desired),
        None => "–".into(),
    };
    html! {
        <section id="sidecar-compare" class="sidecar-compare" aria-label="Sidecar vs managed daemon">
            <style>{ STYLE }</style>
            <div class="fleets">
                <div class="fleet managed">
                    <h3>{ "Managed daemon: one agent per instance" }</h3>
                    <p class="fleet-note">{ "Agent update = a new daemon revision: instances are replaced in drainPercent batches; app tasks move to the replacements, their task definition unchanged." }</p>
                    { grid }
                </div>
                <div class="fleet sidecar" id="sidecar-fleet">
                    <h3>{ "Sidecar: an agent container in every app task" }</h3>
                    <p class="fleet-note">{ "Agent update = a new app task definition revision and a service deployment (UpdateService): every app task is replaced, new before old." }</p>
                    <div class="sidecar-tiles">
                        { for twin.tiles().into_iter().map(|t| {
                            let v = &t.view;
                            let ghost = t.ghost_until.is_some();
                            html! {
                                <div class={classes!("sc-tile", v.status.to_ascii_lowercase(), ghost.then_some("ghost"))}
                                    data-instance={v.container_instance_id.clone()} data-status={v.status}>
                                    <div class="sc-head">
                                        <span>{ v.container_instance_id.get(..8).unwrap_or("") }</span>
                                        <span>{ if ghost { "TERMINATED" } else { v.status } }</span>
                                    </div>
                                    <ul>
                                        { for v.app_tasks.iter().map(|a| {
                                            let tag = a.task_id.as_deref().and_then(|id| agent_tag(sim, id));
                                            let hue = tag.as_deref().map(|t| super::dense::revision_css(tag_number(t)));
                                            html! {
                                                <li class="sc-chip" data-status={a.status} data-agent={tag.clone().unwrap_or_default()}
                                                    title={format!("app task {} with agent {}", a.status, tag.clone().unwrap_or_else(|| "?".into()))}>
                                                    <span class="sc-agent" style={hue.map(|h| format!("background: {h}")).unwrap_or_default()}>
                                                        { format!("agent {}", tag.unwrap_or_else(|| "–".into())) }
                                                    </span>
                                                    { format!(" web {}", a.status.to_ascii_lowercase()) }
                                                </li>
                                            }
                                        }) }
                                    </ul>
                                </div>
                            }
                        }) }
                    </div>
                </div>
            </div>
            <table class="sidecar-table" id="sidecar-table">
                <caption>{ "Counted from the two simulations, same service, same agent update" }</caption>
                <thead><tr><th></th><th scope="col">{ "Sidecar" }</th><th scope="col">{ "Managed daemon" }</th></tr></thead>
                <tbody>
                    { row("agents-per-instance", "agents per instance", per(&sidecar), per(&managed)) }
                    { row("agent-cpu", "cpu reserved for agents", format!("{} units", sidecar.agent_cpu), format!("{} units", managed.agent_cpu)) }
                    { row("agent-memory", "memory reserved for agents", format!("{} MiB", sidecar.agent_memory), format!("{} MiB", managed.agent_memory)) }
                    { row("update", "agent update", update(&sidecar), update(&managed)) }
                    { row("app-revisions", "app task definition revisions", sidecar.app_revisions.to_string(), managed.app_revisions.to_string()) }
                    { row("restarted", "app tasks restarted on a new app revision", sidecar.restarted_new_revision.to_string(), managed.restarted_new_revision.to_string()) }
                    { row("moved", "app tasks moved off a replaced instance (same revision)", sidecar.moved.to_string(), managed.moved.to_string()) }
                    { row("fewest-running", "fewest app tasks running during the update", fewest(&sidecar), fewest(&managed)) }
                </tbody>
            </table>
        </section>
    }
}

const STYLE: &str = "
.sidecar-compare .fleets { display: grid; grid-template-columns: 1fr 1fr; gap: .8rem; }
.sidecar-compare h3 { margin: 0; font-size: .95rem; }
.sidecar-compare .fleet-note { margin: .1rem 0 .4rem; color: var(--muted); font-size: .8rem; }
.sidecar-compare .fleet.managed { --tile-min: 120px; }
.sidecar-tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 6px; }
.sc-tile { border: 1px solid var(--border); border-radius: 6px; padding: .25rem .35rem; font: 12px/1.3 ui-monospace, monospace;
  background: var(--provisioning); color: #111; }
.sc-tile.registering { background: var(--registering); }
.sc-tile.active { background: var(--active); }
.sc-tile.draining { background: var(--draining); }
.sc-tile.deregistering { background: var(--deregistering); }
.sc-tile.ghost { opacity: .35; border-style: dashed; }
.sc-head { display: flex; justify-content: space-between; font-weight: 600; }
.sc-tile ul { list-style: none; margin: .15rem 0 0; padding: 0; display: flex; flex-direction: column; gap: 2px; }
.sc-chip { background: rgba(255,255,255,.8); border-radius: 3px; padding: 0 .2rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.sc-agent { color: #fff; border-radius: 3px; padding: 0 .2rem; background: #667; }
.sidecar-table { border-collapse: collapse; margin-top: .5rem; font-size: .85rem; width: 100%; }
.sidecar-table caption { text-align: left; color: var(--muted); font-size: .8rem; padding-bottom: .2rem; }
.sidecar-table th, .sidecar-table td { border-bottom: 1px solid var(--border); padding: .15rem .4rem; text-align: left; }
.sidecar-table tbody th { font-weight: 400; color: var(--muted); }
@media (max-width: 900px) { .sidecar-compare .fleets { grid-template-columns: 1fr; } }
";
