//! Scenario presets: a starting fleet, a script of playground verbs with the condition that fires
//! each, the condition that ends the run, and the expectation the caption states — checked against
//! the simulation itself when the run ends.
//!
//! Conditions are checked on the timeline's sampling grid (every [`super::model::SAMPLE_EVERY_MS`]
//! of simulated time), never per animation frame, so a preset produces the same command log at 1×
//! and at 1000×.

use super::model::{Playground, Scenario, CLUSTER, DAEMON};
use crate::engine::{StopCause, TaskOwner, TaskStatus};
use crate::session::scenario::Input;

/// When a step fires (or a run ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Simulated milliseconds since the scenario began.
    At(u64),
    /// Every instance ACTIVE and every app task running.
    FleetReady,
    /// The latest daemon deployment is baking (all instances replaced, bake window open).
    BakeStarted,
    /// The latest daemon deployment reached a terminal status.
    DeploymentDone,
    /// Exactly this many live instances remain, all ACTIVE.
    InstancesSettledAt(u32),
}

/// A playground verb a preset performs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Action {
    DeployNewRevision,
    ArmBadImage,
    StopDaemonOnFirstInstance,
    SetAlarm(bool),
    SetDesiredCount(u32),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    pub when: When,
    pub action: Action,
}

pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    /// The expectation, as the caption shows it: computed from the run's current knobs and fleet,
    /// so that it never states numbers the run no longer has.
    pub caption: fn(&Playground) -> String,
    pub scenario: fn() -> Scenario,
    pub steps: &'static [Step],
    pub until: When,
    /// Safety stop: a preset that has not met `until` by then ends anyway (and says so).
    pub max_ms: u64,
    /// Checks the caption's claim against the simulation; Err explains what differs.
    pub expect: fn(&Playground) -> Result<String, String>,
}

const MIN: u64 = crate::engine::time::MINUTE;

pub const PRESETS: &[Preset] = &[
    Preset {
        id: "first-deployment",
        title: "First deployment (daemon-first)",
        caption: |_| {
            String::from(
                "Every new instance stays REGISTERING until its monitoring-agent daemon task is RUNNING; \
                  the app task, created earlier, starts only after it (18–21 s later).",
            )
        },
        scenario: || Scenario { instances: 4, ..Scenario::default() },
        steps: &[],
        until: When::FleetReady,
        max_ms: 30 * MIN,
        expect: expect_daemon_first,
    },
    Preset {
        id: "rolling-update",
        title: "Rolling update",
        caption: |p| {
            // The running deployment's own numbers while it runs; the next one's otherwise.
            let running = p.deployment().filter(|d| !is_terminal(d.status) && d.instances_in_scope > 0);
            let (batch, n, percent) = match &running {
                Some(d) => (d.batch_size, d.instances_in_scope, d.drain_percent),
                None => (p.batch_size_for(p.drain_percent), p.instances_in_scope(), p.drain_percent),
            };
            let target = match p.deployment() {
                Some(d) if p.daemon_revision() > 1 => d.target_revision.clone(),
                _ => format!("{DAEMON}:{}", p.daemon_revision() + 1),
            };
            format!(
                "Deploying {target} at drainPercent {percent} replaces {batch} of the {n} instances at a time \
                 (batches of {batch}); app tasks move to the replacements before the old ones stop, so the \
                 service never drops below its desired count."
            )
        },
        scenario: Scenario::default,
        steps: &[Step { when: When::FleetReady, action: Action::DeployNewRevision }],
        until: When::DeploymentDone,
        max_ms: 90 * MIN,
        expect: expect_rolling_update,
    },
    Preset {
        id: "auto-repair",
        title: "Auto-repair",
        caption: |_| {
            String::from(
                "Stopping the critical daemon task drains its instance; a replacement starts the daemon \
                  first, takes the app task, and the old instance is terminated.",
            )
        },
        scenario: || Scenario { instances: 4, ..Scenario::default() },
        steps: &[Step { when: When::FleetReady, action: Action::StopDaemonOnFirstInstance }],
        until: When::InstancesSettledAt(4),
        max_ms: 40 * MIN,
        expect: expect_auto_repair,
    },
    Preset {
        id: "bad-image",
        title: "Bad image → circuit-breaker rollback",
        caption: |p| {
            format!(
                "monitoring-agent:2's image cannot be pulled: each failed daemon start counts toward the \
                 circuit breaker (threshold {} for {} instances); when it trips, the deployment rolls every \
                 instance back to monitoring-agent:1.",
                p.deployment().map(|d| d.threshold).unwrap_or_else(|| p.breaker_threshold()),
                p.instances_in_scope()
            )
        },
        scenario: || Scenario { instances: 4, ..Scenario::default() },
        steps: &[
            Step { when: When::FleetReady, action: Action::ArmBadImage },
            Step { when: When::FleetReady, action: Action::DeployNewRevision },
        ],
        until: When::DeploymentDone,
        max_ms: 120 * MIN,
        expect: expect_rollback,
    },
    Preset {
        id: "alarm-in-bake",
        title: "Alarm during bake → rollback",
        caption: |_| {
            String::from(
                "With a 10-minute bake time, an alarm entering ALARM after the last instance is replaced \
                  still rolls the deployment back to monitoring-agent:1.",
            )
        },
        scenario: || Scenario { instances: 4, bake_minutes: 10, ..Scenario::default() },
        steps: &[
            Step { when: When::FleetReady, action: Action::DeployNewRevision },
            Step { when: When::BakeStarted, action: Action::SetAlarm(true) },
        ],
        until: When::DeploymentDone,
        max_ms: 120 * MIN,
        expect: expect_rollback,
    },
    Preset {
        id: "scale-in",
        title: "Scale-in, drain-last",
        caption: |_| {
            String::from(
                "Scaling the service from 6 to 2 tasks leaves 4 instances running only their daemon: \
                  after the idle period they drain, and each daemon task stops only after every app task \
                  on its instance is gone.",
            )
        },
        scenario: || Scenario { instances: 6, ..Scenario::default() },
        steps: &[Step { when: When::FleetReady, action: Action::SetDesiredCount(2) }],
        until: When::InstancesSettledAt(2),
        max_ms: 60 * MIN,
        expect: expect_drain_last,
    },
    Preset {
        id: "daemon-after-fleet",
        title: "Daemon added to a running fleet",
        caption: |_| {
            String::from(
                "Creating the daemon on a provider that already has instances is itself a rolling \
                  deployment: instances are replaced in drainPercent batches by ones that start the \
                  daemon first.",
            )
        },
        scenario: || Scenario { instances: 4, daemon_after_fleet: true, ..Scenario::default() },
        steps: &[Step { when: When::FleetReady, action: Action::DeployNewRevision }],
        until: When::DeploymentDone,
        max_ms: 90 * MIN,
        expect: expect_every_instance_runs_daemon,
    },
    Preset {
        id: "sidecar-vs-daemon",
        title: "Sidecar vs managed daemon",
        caption: |_| {
            String::from(
                "The same app service twice. This fleet runs the agent as a managed daemon; the fleet \
                 beside it, simulated too, runs it as a sidecar container in every app task. Both get \
                 the same agent update (image v1 → v2): the daemon fleet replaces instances, the sidecar \
                 fleet redeploys the app. The table counts, from the two runs, what the agents cost and \
                 what each update restarted.",
            )
        },
        scenario: || Scenario { instances: 4, tasks_per_instance: 3, ..Scenario::default() },
        steps: &[Step { when: When::FleetReady, action: Action::DeployNewRevision }],
        until: When::DeploymentDone,
        max_ms: 90 * MIN,
        expect: expect_sidecar_comparison,
    },
];

pub fn preset(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

/// Whether a condition holds now.
pub fn holds(playground: &Playground, when: When) -> bool {
    match when {
        When::At(ms) => playground.elapsed() >= ms,
        When::FleetReady => {
            let (running, desired) = playground.app_counts();
            let c = playground.status_counts();
            desired > 0 && running == desired && c.active > 0 && c.active == total(&c)
        }
        When::BakeStarted => playground
            .deployment()
            .map(|d| d.bake_remaining_ms.is_some() && !is_terminal(d.status))
            .unwrap_or(false),
        When::DeploymentDone => playground.deployment().map(|d| is_terminal(d.status)).unwrap_or(false),
        When::InstancesSettledAt(n) => {
            let c = playground.status_counts();
            let (running, desired) = playground.app_counts();
            c.active == n && total(&c) == n && running == desired
        }
    }
}

fn total(c: &super::model::StatusCounts) -> u32 {
    c.provisioning + c.registering + c.active + c.draining + c.deregistering + c.other
}

fn is_terminal(status: &str) -> bool {
    matches!(status, "SUCCESSFUL" | "STOPPED" | "ROLLBACK_SUCCESSFUL" | "ROLLBACK_FAILED")
}

fn live_daemon_revisions(p: &Playground) -> Vec<String> {
    p.tiles()
        .into_iter()
        .filter(|t| t.ghost_until.is_none())
        .flat_map(|t| t.view.daemon_tasks.iter().map(|d| d.task_definition.clone()).collect::<Vec<_>>())
        .collect()
}

fn expect_daemon_first(p: &Playground) -> Result<String, String> {
    let sim = p.sim();
    let mut checked = 0;
    for instance in sim.container_instances(CLUSTER) {
        let tasks: Vec<_> = instance.tasks.iter().filter_map(|k| sim.task_by_key(*k)).collect();
        let daemon = tasks.iter().filter(|t| t.is_daemon()).filter_map(|t| t.started_at).min();
        let app = tasks.iter().filter(|t| !t.is_daemon()).filter_map(|t| t.started_at).min();
        match (daemon, app) {
            (Some(d), Some(a)) if d < a => checked += 1,
            (d, a) => return Err(format!("instance {}: daemon started {d:?}, app {a:?}", instance.id)),
        }
    }
    if checked == 0 {
        return Err("no instance ran both a daemon and an app task".into());
    }
    Ok(format!("daemon first on all {checked} instances"))
}

fn expect_rolling_update(p: &Playground) -> Result<String, String> {
    let d = p.deployment().ok_or("no deployment")?;
    if d.status != "SUCCESSFUL" {
        return Err(format!("deployment ended {}", d.status));
    }
    let target = format!("{DAEMON}:2");
    let revisions = live_daemon_revisions(p);
    if revisions.iter().any(|r| *r != target) {
        return Err(format!("instances still on {revisions:?}"));
    }
    let deployed_at = p
        .log()
        .iter()
        .rev()
        .find(|c| matches!(&c.input, Input::Call { action, .. } if action == "UpdateDaemon"))
        .map(|c| c.at_ms)
        .unwrap_or(0);
    let dip = p
        .samples()
        .iter()
        .filter(|s| s.at_ms >= deployed_at && s.deployment_phase.is_some())
        .any(|s| s.app_running < s.app_desired);
    if dip {
        return Err("the service dropped below its desired count during the deployment".into());
    }
    Ok(format!("SUCCESSFUL, {} instances on {target}, no app downtime", revisions.len()))
}

fn expect_auto_repair(p: &Playground) -> Result<String, String> {
    let repaired =
        p.tiles().into_iter().filter(|t| t.ghost_until.is_none() && t.view.replacement_of.is_some()).count();
    let stopped_by_user =
        p.sim().tasks(CLUSTER).any(|t| t.is_daemon() && t.stop_cause == Some(StopCause::User));
    if !stopped_by_user {
        return Err("no daemon task was stopped".into());
    }
    if repaired == 0 {
        return Err("no replacement instance".into());
    }
    Ok(format!("{repaired} instance replaced, fleet back to {} ACTIVE", p.status_counts().active))
}

fn expect_rollback(p: &Playground) -> Result<String, String> {
    let d = p.deployment().ok_or("no deployment")?;
    if d.status != "ROLLBACK_SUCCESSFUL" {
        return Err(format!("deployment ended {}", d.status));
    }
    let source = format!("{DAEMON}:1");
    let revisions = live_daemon_revisions(p);
    if revisions.iter().any(|r| *r != source) {
        return Err(format!("instances on {revisions:?} after the rollback"));
    }
    Ok(format!("ROLLBACK_SUCCESSFUL, all {} instances back on {source}", revisions.len()))
}

fn expect_drain_last(p: &Playground) -> Result<String, String> {
    let sim = p.sim();
    let mut drained = 0;
    for daemon_task in sim.tasks(CLUSTER).filter(|t| t.is_daemon() && t.last_status == TaskStatus::Stopped) {
        let Some(stopping) = daemon_task.stopping_at else { continue };
        let later_app = sim.tasks(CLUSTER).find(|t| {
            !t.is_daemon()
                && t.instance == daemon_task.instance
                && t.stopped_at.map(|s| s > stopping).unwrap_or(t.last_status != TaskStatus::Stopped)
        });
        if let Some(app) = later_app {
            return Err(format!("daemon task {} stopped before app task {}", daemon_task.id, app.id));
        }
        drained += 1;
    }
    if drained == 0 {
        return Err("no instance drained".into());
    }
    Ok(format!("{drained} instances drained, each daemon stopped last"))
}

fn expect_every_instance_runs_daemon(p: &Playground) -> Result<String, String> {
    let d = p.deployment().ok_or("no deployment")?;
    if d.status != "SUCCESSFUL" {
        return Err(format!("deployment ended {}", d.status));
    }
    let sim = p.sim();
    let without =
        sim.container_instances(CLUSTER)
            .filter(|i| {
                !i.tasks.iter().filter_map(|k| sim.task_by_key(*k)).any(|t| {
                    matches!(t.owner, TaskOwner::Daemon { .. }) && t.last_status == TaskStatus::Running
                })
            })
            .count();
    if without > 0 {
        return Err(format!("{without} instances without a running daemon"));
    }
    Ok(format!("SUCCESSFUL, every instance runs {}", d.target_revision))
}

/// The comparison's claims, counted from this run and the sidecar fleet simulated to the same time
/// (see [`super::sidecar`]).
fn expect_sidecar_comparison(p: &Playground) -> Result<String, String> {
    let d = p.deployment().ok_or("no deployment")?;
    if d.status != "SUCCESSFUL" {
        return Err(format!("agent update ended {}", d.status));
    }
    let mut comparison = super::sidecar::Comparison::new(p);
    comparison.follow(p);
    let (sidecar, managed) = comparison.tallies(p);
    if !sidecar.update_done {
        return Err("the sidecar fleet's app redeploy has not finished".into());
    }
    if managed.app_revisions != 1 || managed.restarted_new_revision != 0 {
        return Err(format!(
            "the daemon fleet's app was redeployed: {} app revisions, {} tasks restarted on a new one",
            managed.app_revisions, managed.restarted_new_revision
        ));
    }
    if sidecar.restarted_new_revision < sidecar.desired {
        return Err(format!(
            "the sidecar fleet restarted {} of {} app tasks on the new revision",
            sidecar.restarted_new_revision, sidecar.desired
        ));
    }
    if sidecar.agents <= managed.agents {
        return Err(format!("{} sidecar agents vs {} daemon tasks", sidecar.agents, managed.agents));
    }
    Ok(format!(
        "sidecar vs managed: agents {} (one per task) vs {} (one per instance); agent cpu {} vs {} units, \
         memory {} vs {} MiB; instances {} vs {}; app tasks restarted on a new app revision {} vs {}; moved off \
         replaced instances {} vs {}",
        sidecar.agents,
        managed.agents,
        sidecar.agent_cpu,
        managed.agent_cpu,
        sidecar.agent_memory,
        managed.agent_memory,
        sidecar.instances,
        managed.instances,
        sidecar.restarted_new_revision,
        managed.restarted_new_revision,
        sidecar.moved,
        managed.moved
    ))
}
