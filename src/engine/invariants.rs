//! The guarantees as named predicates. Tests run `check_invariants` after every processed timer.

use super::model::*;
use super::sim::Simulation;
use serde::Serialize;
use std::collections::BTreeMap;

/// One broken guarantee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The predicate's name, e.g. `daemon_first`.
    pub invariant: &'static str,
    /// What was seen, naming the instance, task or deployment that broke it.
    pub detail: String,
}

/// Checks every invariant against the current state.
pub fn check_invariants(sim: &Simulation) -> Vec<Violation> {
    let mut out = Vec::new();
    one_daemon_task_per_instance(sim, &mut out);
    daemon_first(sim, &mut out);
    drain_last(sim, &mut out);
    resources_balance(sim, &mut out);
    placement_index(sim, &mut out);
    service_counters(sim, &mut out);
    batch_bound(sim, &mut out);
    deployment_terminates(sim, &mut out);
    rollback_restores_source(sim, &mut out);
    repaired_unless_disabled(sim, &mut out);
    out
}

/// Predicates about progress rather than about every instant: under unlimited faults (the seed
/// sweep's safety-only mode) a world may legitimately never get there, so they are skipped then.
/// `deployment_terminates` stands for "every deployment ends" (its state form: never a stall).
pub const LIVENESS_INVARIANTS: &[&str] = &["deployment_terminates"];

/// Whether the named predicate is a liveness one (see [`LIVENESS_INVARIANTS`]); all others are safety.
pub fn is_liveness(invariant: &str) -> bool {
    LIVENESS_INVARIANTS.contains(&invariant)
}

fn v(out: &mut Vec<Violation>, invariant: &'static str, detail: String) {
    out.push(Violation { invariant, detail });
}

/// At most one live task per daemon per instance, only on instances of the daemon's providers.
pub fn one_daemon_task_per_instance(sim: &Simulation, out: &mut Vec<Violation>) {
    for i in sim.fleet.values() {
        let mut per_daemon: BTreeMap<DaemonKey, u32> = BTreeMap::new();
        for t in i.tasks.iter().filter_map(|t| sim.tasks.get(t)) {
            if let TaskOwner::Daemon { daemon, .. } = t.owner {
                if t.last_status != TaskStatus::Stopped {
                    *per_daemon.entry(daemon).or_default() += 1;
                }
                if !i.daemons.contains_key(&daemon) {
                    v(
                        out,
                        "one_daemon_task_per_instance",
                        format!("task {} on {} has no daemon slot", t.id, i.id),
                    );
                }
            }
        }
        for (d, n) in per_daemon {
            if n > 1 {
                v(out, "one_daemon_task_per_instance", format!("{n} tasks of daemon {d} on {}", i.id));
            }
        }
        for d in i.daemons.keys() {
            let ok = sim
                .daemons
                .get(d)
                .map(|d| d.status != DaemonStatus::Active || !d.capacity_providers.is_empty())
                .unwrap_or(false);
            if !ok {
                v(out, "one_daemon_task_per_instance", format!("slot of unknown daemon {d} on {}", i.id));
            }
        }
    }
}

/// App tasks get past PROVISIONING only on instances that became ACTIVE, and never start before
/// the instance's activation (which waited for its critical daemons).
pub fn daemon_first(sim: &Simulation, out: &mut Vec<Violation>) {
    for t in sim.tasks.values() {
        if t.is_daemon() {
            continue;
        }
        let Some(i) = sim.fleet.get(&t.instance) else { continue };
        if t.last_status > TaskStatus::Provisioning
            && t.last_status <= TaskStatus::Running
            && t.stop_cause.is_none()
        {
            match i.activated_at {
                None => v(
                    out,
                    "daemon_first",
                    format!("app task {} is {} on never-active {}", t.id, t.last_status.as_str(), i.id),
                ),
                Some(a) => {
                    if let Some(s) = t.started_at {
                        if s < a {
                            v(
                                out,
                                "daemon_first",
                                format!("app task {} started before {} was ACTIVE", t.id, i.id),
                            );
                        }
                    }
                }
            }
        }
        if i.status == InstanceStatus::Registering && t.last_status > TaskStatus::Provisioning && t.is_live()
        {
            v(out, "daemon_first", format!("app task {} past PROVISIONING on REGISTERING {}", t.id, i.id));
        }
    }
}

/// A daemon task stopped by a drain only once no app task remains on the instance.
pub fn drain_last(sim: &Simulation, out: &mut Vec<Violation>) {
    for i in sim.fleet.values() {
        let draining_daemon = i
            .tasks
            .iter()
            .filter_map(|t| sim.tasks.get(t))
            .any(|t| t.is_daemon() && t.stop_cause == Some(StopCause::DrainDaemon));
        if !draining_daemon {
            continue;
        }
        if let Some(app) = i.tasks.iter().filter_map(|t| sim.tasks.get(t)).find(|t| !t.is_daemon()) {
            v(
                out,
                "drain_last",
                format!(
                    "daemon task stopping on {} while app task {} is {}",
                    i.id,
                    app.id,
                    app.last_status.as_str()
                ),
            );
        }
    }
}

/// remaining = registered − (daemon reservations + app tasks placed + promises).
pub fn resources_balance(sim: &Simulation, out: &mut Vec<Violation>) {
    for i in sim.fleet.values() {
        if i.status == InstanceStatus::Terminated {
            continue;
        }
        let mut cpu = 0u64;
        let mut mem = 0u64;
        for (dk, slot) in &i.daemons {
            let r = &sim.revisions[&slot.revision];
            let task_holds = slot.task.and_then(|t| sim.tasks.get(&t)).is_some();
            if slot.reserved || task_holds {
                cpu += r.cpu as u64;
                mem += r.memory as u64;
            }
            let _ = dk;
        }
        for t in i.tasks.iter().filter_map(|t| sim.tasks.get(t)) {
            if !t.is_daemon() {
                cpu += t.cpu as u64;
                mem += t.memory as u64;
            }
        }
        for (s, n) in &i.promised {
            if let Some(s) = sim.services.get(s) {
                cpu += s.cpu as u64 * *n as u64;
                mem += s.memory as u64 * *n as u64;
            }
        }
        let used_cpu = (i.registered_cpu - i.remaining_cpu) as u64;
        let used_mem = (i.registered_memory - i.remaining_memory) as u64;
        if used_cpu != cpu || used_mem != mem {
            v(
                out,
                "resources_balance",
                format!("{}: used {used_cpu}/{used_mem}, accounted {cpu}/{mem}", i.id),
            );
        }
    }
}

/// The placement index lists exactly the instances that can take a task, under their current
/// remaining CPU.
pub fn placement_index(sim: &Simulation, out: &mut Vec<Violation>) {
    for fault in sim.fleet.placement_index_faults() {
        v(out, "placement_index", fault);
    }
}

/// A service's incremental counters match a recount.
pub fn service_counters(sim: &Simulation, out: &mut Vec<Violation>) {
    for s in sim.services.values() {
        let live: Vec<&Task> = s.live.iter().filter_map(|t| sim.tasks.get(t)).collect();
        let running = live.iter().filter(|t| t.last_status == TaskStatus::Running).count() as u32;
        if running != s.running_count || live.iter().any(|t| !t.is_live()) {
            v(out, "service_counters", format!("{}: running_count {} vs {running}", s.name, s.running_count));
        }
        let healthy = live.iter().filter(|t| t.service_healthy).count() as u32;
        if healthy != s.healthy_count {
            v(out, "service_counters", format!("{}: healthy_count {} vs {healthy}", s.name, s.healthy_count));
        }
        let promised: u32 = s.promised.values().sum();
        if promised != s.promised_count {
            v(out, "service_counters", format!("{}: promised {} vs {promised}", s.name, s.promised_count));
        }
    }
}

/// At most `batch_size` instances draining for a deployment (see `Deployment::window_limit`).
pub fn batch_bound(sim: &Simulation, out: &mut Vec<Violation>) {
    for d in sim.deployments.values().filter(|d| d.is_active()) {
        if d.draining.len() as u32 > d.window_limit.max(d.batch_size) {
            v(
                out,
                "batch_bound",
                format!("deployment {}: {} draining, batch {}", d.id, d.draining.len(), d.batch_size),
            );
        }
        for k in &d.draining {
            if let Some(i) = sim.fleet.get(k) {
                if !matches!(i.status, InstanceStatus::Draining | InstanceStatus::Deregistering) {
                    v(
                        out,
                        "batch_bound",
                        format!("deployment {}: window member {} is {}", d.id, i.id, i.status.as_str()),
                    );
                }
            }
        }
    }
}

/// An active deployment always has a way forward: work in its window or to-do list, a pending
/// start, bake or rollback timer — never a silent stall.
pub fn deployment_terminates(sim: &Simulation, out: &mut Vec<Violation>) {
    for d in sim.deployments.values().filter(|d| d.is_active()) {
        let has_way = match d.status {
            DeploymentStatus::Pending | DeploymentStatus::StopRequested => true,
            _ => !d.todo.is_empty() || !d.draining.is_empty() || d.bake_until.is_some(),
        };
        if !has_way {
            v(
                out,
                "deployment_terminates",
                format!("deployment {} is {} with nothing left to do", d.id, d.status.as_str()),
            );
        }
        if !sim.deployments.is_active(&d.key) {
            v(out, "deployment_terminates", format!("deployment {} active but not indexed", d.id));
        }
    }
}

/// After a successful rollback (and while it is the daemon's latest deployment) no instance in
/// scope that is not leaving runs a revision other than the rollback target.
pub fn rollback_restores_source(sim: &Simulation, out: &mut Vec<Violation>) {
    for d in sim.deployments.values() {
        if d.status != DeploymentStatus::RollbackSuccessful {
            continue;
        }
        let latest = sim.daemons.get(&d.daemon).and_then(|dm| dm.deployments.last()) == Some(&d.key);
        if !latest {
            continue;
        }
        let Some(rb) = &d.rollback else {
            v(
                out,
                "rollback_restores_source",
                format!("deployment {} rolled back without a rollback record", d.id),
            );
            continue;
        };
        for cp in &d.capacity_providers {
            let Some(p) = sim.capacity_providers.get(cp) else { continue };
            for i in p.instances.iter().filter_map(|k| sim.fleet.get(k)) {
                if i.drain_cause.is_some() || i.status == InstanceStatus::Terminated {
                    continue;
                }
                if let Some(slot) = i.daemons.get(&d.daemon) {
                    if slot.revision != rb.target_revision {
                        v(
                            out,
                            "rollback_restores_source",
                            format!("{} runs a non-source revision after rollback {}", i.id, d.id),
                        );
                    }
                }
            }
        }
    }
}

/// An ACTIVE instance whose critical daemon task is gone or not running (stopped, unhealthy) is
/// being repaired unless its provider's auto repair is DISABLED: with ENABLED it would already be
/// draining. With DISABLED it stays ACTIVE, but its health record must say IMPAIRED (ECS still
/// monitors it). Recounted from the tasks, not from the engine's own predicate.
pub fn repaired_unless_disabled(sim: &Simulation, out: &mut Vec<Violation>) {
    for i in sim.fleet.values().filter(|i| i.status == InstanceStatus::Active) {
        let lost = i.daemons.values().find(|slot| {
            let critical = sim.revisions.get(&slot.revision).map(|r| r.critical).unwrap_or(false);
            let fine = slot.task.and_then(|t| sim.tasks.get(&t)).is_some_and(|t| {
                t.is_live()
                    && t.last_status == TaskStatus::Running
                    && t.health_status != TaskHealth::Unhealthy
            });
            critical && !fine
        });
        let Some(slot) = lost else { continue };
        let repairs = sim.capacity_providers.get(&i.capacity_provider).map(|cp| cp.auto_repair);
        let what = match slot.task.and_then(|t| sim.tasks.get(&t)) {
            Some(t) => {
                format!("critical daemon task {} {} {}", t.id, t.last_status.as_str(), t.health_status)
            }
            None => "no critical daemon task".to_string(),
        };
        if repairs != Some(false) {
            v(
                out,
                "repaired_unless_disabled",
                format!("{} is ACTIVE with {what} on {} (auto repair ENABLED)", i.id, i.capacity_provider),
            );
        } else if i.health.status != HealthState::Impaired {
            v(
                out,
                "repaired_unless_disabled",
                format!("{} is ACTIVE with {what} but its health is {}", i.id, i.health.status.as_str()),
            );
        }
    }
}
