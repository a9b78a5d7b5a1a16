//! The story line beside the grid: what the current key moment is and why, in plain words, computed
//! from the engine's snapshot (tiles, the deployment, instance registration times) and its events.
//! Nothing here decides what the fleet does; it only reads what the engine already knows.
//!
//! "Explain" mode lives in the app: when a kind of moment appears that was not on screen before,
//! playback slows for a few wall seconds (see [`EXPLAIN_WALL_MS`]) so that it can be read.

use super::app::{App, Msg};
use super::grid::short;
use super::model::{format_clock, Playground, DAEMON};
use crate::engine::event::EventKind;
use yew::html::Scope;
use yew::prelude::*;

/// How long (wall ms) a new key moment is played slowly in explain mode.
pub const EXPLAIN_WALL_MS: f64 = 3_500.0;
/// The speed a new key moment is played at in explain mode (at most).
pub const EXPLAIN_SPEED: f64 = 4.0;
/// Events looked through (newest first) for the latest failed daemon start.
const FAILURE_SCAN: usize = 4_000;

/// The kinds of moment the story line tells, most important first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Rollback,
    Breaker,
    AutoRepair,
    Batch,
    Hold,
    Bake,
    DrainLast,
    Drain,
    Boot,
    Initial,
    Steady,
}

impl Kind {
    pub fn id(self) -> &'static str {
        match self {
            Kind::Rollback => "rollback",
            Kind::Breaker => "breaker",
            Kind::AutoRepair => "auto-repair",
            Kind::Batch => "batch",
            Kind::Hold => "hold",
            Kind::Bake => "bake",
            Kind::DrainLast => "drain-last",
            Kind::Drain => "drain",
            Kind::Boot => "boot",
            Kind::Initial => "initial",
            Kind::Steady => "steady",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Kind::Rollback => "Rollback",
            Kind::Breaker => "Daemon task failed to start",
            Kind::AutoRepair => "Auto-repair",
            Kind::Batch => "Rolling deployment",
            Kind::Hold => "Daemon first",
            Kind::Bake => "Bake",
            Kind::DrainLast => "Drain last",
            Kind::Drain => "Draining",
            Kind::Boot => "Fleet launching",
            Kind::Initial => "First deployment",
            Kind::Steady => "Steady",
        }
    }

    /// Key moments are slowed down in explain mode; the others are states.
    pub fn is_key(self) -> bool {
        !matches!(self, Kind::Boot | Kind::Initial | Kind::Steady)
    }
}

/// One line of the story.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub kind: Kind,
    pub text: String,
}

/// Everything happening now, most important first (never empty).
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    pub lines: Vec<Line>,
    /// Identifies the moment for explain mode: kinds present, and the batch number.
    pub key: Vec<(Kind, u32)>,
}

impl Story {
    pub fn headline(&self) -> &Line {
        &self.lines[0]
    }
    pub fn kinds(&self) -> String {
        self.lines.iter().map(|l| l.kind.id()).collect::<Vec<_>>().join(" ")
    }
}

fn names(ids: &[&str]) -> String {
    let shown: Vec<&str> = ids.iter().take(3).map(|id| short(id)).collect();
    let more = ids.len().saturating_sub(3);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// The story of the run at its current instant.
pub fn narrate(model: &Playground) -> Story {
    // Launch order, so that "the first" held or draining instance is the oldest one.
    let mut tiles: Vec<_> = model.tile_iter().filter(|t| t.ghost_until.is_none()).collect();
    tiles.sort_unstable_by_key(|t| t.order);
    let deployment = model.deployment();
    let now = model.sim().now();
    let mut lines = Vec::new();
    let mut key = Vec::new();
    let active_deployment = deployment.as_ref().filter(|d| !is_terminal(d.status));

    if let Some(d) = active_deployment.filter(|d| d.status == "ROLLBACK_IN_PROGRESS") {
        let why = match d.status_reason.as_deref() {
            Some(r) if r.contains("circuit breaker") => {
                format!("the circuit breaker tripped after {} failed daemon starts", d.failure_count)
            }
            Some(r) if r.to_ascii_lowercase().contains("alarm") => {
                "the alarm went to ALARM while the deployment was watched (during bake counts)".to_string()
            }
            Some(r) => r.to_string(),
            None => "the deployment failed".to_string(),
        };
        lines.push(Line {
            kind: Kind::Rollback,
            text: format!(
                "Rolling back to {}: {why}. Instances are replaced again, {} at a time, by ones that start {} first.",
                d.target_revision, d.batch_size, d.target_revision
            ),
        });
        key.push((Kind::Rollback, 0));
    }
    if let Some(d) = active_deployment.filter(|d| d.status == "IN_PROGRESS" && d.failure_count > 0) {
        let failure = latest_failure(model);
        lines.push(Line {
            kind: Kind::Breaker,
            text: format!(
                "{} could not start{}. Circuit breaker: {} of {} failed starts; at {} the deployment rolls back.",
                d.target_revision,
                failure.map(|(id, reason)| format!(" on {}: {reason}", short(&id))).unwrap_or_default(),
                d.failure_count,
                d.threshold,
                d.threshold
            ),
        });
        key.push((Kind::Breaker, d.failure_count));
    }
    let repairing: Vec<_> = tiles
        .iter()
        .filter(|t| t.view.drain_cause == Some("AUTO_REPAIR") && t.view.status == "DRAINING")
        .collect();
    if let Some(first) = repairing.first() {
        let reason = model
            .sim()
            .container_instance(&first.view.container_instance_id)
            .and_then(|i| i.health.status_reason.clone())
            .unwrap_or_else(|| "its critical daemon task stopped".to_string());
        let replacement = first
            .view
            .replaced_by
            .as_deref()
            .map(|r| format!("replacement {} starts the daemon first, then takes the app task", short(r)))
            .unwrap_or_else(|| "a replacement is launching".to_string());
        lines.push(Line {
            kind: Kind::AutoRepair,
            text: format!(
                "Auto-repair of {}: {}. It drains; {replacement}.",
                short(&first.view.container_instance_id),
                reason.trim_end_matches('.')
            ),
        });
        key.push((Kind::AutoRepair, 0));
    }
    if let Some(d) = active_deployment.filter(|d| d.draining > 0 && d.status == "IN_PROGRESS") {
        let draining: Vec<&str> = tiles
            .iter()
            .filter(|t| t.view.drain_cause == Some("DEPLOYMENT") && t.view.status == "DRAINING")
            .map(|t| t.view.container_instance_id.as_str())
            .collect();
        lines.push(Line {
            kind: Kind::Batch,
            text: format!(
                "Deploying {}: batch {} of {}, size {} (drainPercent {} of {} instances). Draining {}: their app \
                 tasks start on replacements before they stop.",
                d.target_revision,
                d.batch_number,
                d.batch_count,
                d.batch_size,
                d.drain_percent,
                d.instances_in_scope,
                if draining.is_empty() { "the batch".to_string() } else { names(&draining) },
            ),
        });
        key.push((Kind::Batch, d.batch_number));
    }
    let held: Vec<_> = tiles.iter().filter(|t| t.view.status == "REGISTERING").collect();
    if let Some(first) = held.first() {
        let daemon = first
            .view
            .daemon_tasks
            .iter()
            .find(|d| d.status != "RUNNING")
            .or(first.view.daemon_tasks.first())
            .map(|d| d.task_definition.clone())
            .unwrap_or_else(|| DAEMON.to_string());
        let since = model
            .sim()
            .container_instance(&first.view.container_instance_id)
            .and_then(|i| i.registered_at)
            .map(|at| format!(" ({} so far)", format_clock(now.saturating_sub(at))))
            .unwrap_or_default();
        let others = if held.len() > 1 { format!(" ({} instances held)", held.len()) } else { String::new() };
        lines.push(Line {
            kind: Kind::Hold,
            text: format!(
                "Instance {} is held in REGISTERING until its daemon {daemon} is RUNNING{since}{others}: no app task \
                 is placed before the daemon runs. Its app task waits in a held slot.",
                short(&first.view.container_instance_id)
            ),
        });
        key.push((Kind::Hold, 0));
    }
    if let Some((d, left)) = active_deployment.and_then(|d| d.bake_remaining_ms.map(|b| (d, b))) {
        if d.status == "IN_PROGRESS" {
            lines.push(Line {
                kind: Kind::Bake,
                text: format!(
                    "Every instance runs {}; baking for {} more. An alarm going to ALARM now still rolls back.",
                    d.target_revision,
                    format_clock(left)
                ),
            });
            key.push((Kind::Bake, 0));
        }
    }
    let deregistering: Vec<&str> = tiles
        .iter()
        .filter(|t| t.view.status == "DEREGISTERING")
        .map(|t| t.view.container_instance_id.as_str())
        .collect();
    if !deregistering.is_empty() {
        lines.push(Line {
            kind: Kind::DrainLast,
            text: format!(
                "Drain last: {} has no app task left, so its daemon task stops now, last; then the instance is \
                 terminated.",
                names(&deregistering)
            ),
        });
        key.push((Kind::DrainLast, 0));
    }
    let other_drains: Vec<_> = tiles
        .iter()
        .filter(|t| t.view.status == "DRAINING")
        .filter(|t| {
            matches!(t.view.drain_cause, Some("SCALE_IN" | "USER" | "TERMINATED" | "PROVIDER_DELETED"))
        })
        .collect();
    if let Some(first) = other_drains.first() {
        let why = match first.view.drain_cause {
            Some("SCALE_IN") => "scale-in: it has run only its daemon for the idle period",
            Some("USER") => "you set it to DRAINING",
            Some("TERMINATED") => "its EC2 instance was terminated",
            _ => "its capacity provider is being deleted",
        };
        let ids: Vec<&str> = other_drains.iter().map(|t| t.view.container_instance_id.as_str()).collect();
        lines.push(Line {
            kind: Kind::Drain,
            text: format!("{} draining: {why}. App tasks leave first, the daemon stops last.", names(&ids)),
        });
        key.push((Kind::Drain, 0));
    }
    let launching = tiles.iter().filter(|t| t.view.status == "PROVISIONING").count();
    if launching > 0 && lines.is_empty() {
        lines.push(Line {
            kind: Kind::Boot,
            text: format!(
                "{launching} instance{} launching: each registers, starts its daemon first, then takes its app task.",
                if launching == 1 { "" } else { "s" }
            ),
        });
    }
    if lines.is_empty() {
        match deployment.as_ref() {
            Some(d) if d.status == "SUCCESSFUL" && d.instances_in_scope == 0 && tiles.is_empty() => {
                lines.push(Line {
                    kind: Kind::Initial,
                    text: format!(
                        "{} is deployed to a provider without instances: nothing to replace. Each instance gets \
                         the daemon as it registers.",
                        d.target_revision
                    ),
                })
            }
            _ => {
                let (running, desired) = model.app_counts();
                // From the tiles, not the playground daemon's deployment: a console script may run
                // its own daemon on its own cluster, and the line must say what the grid shows.
                let mut revisions: Vec<String> = Vec::new();
                for chip in tiles.iter().flat_map(|t| t.view.daemon_tasks.iter()) {
                    if !revisions.contains(&chip.task_definition) {
                        revisions.push(chip.task_definition.clone());
                    }
                }
                revisions.sort();
                lines.push(Line {
                    kind: Kind::Steady,
                    text: if tiles.is_empty() {
                        "No instances: the capacity provider launches them when tasks need a place.".to_string()
                    } else {
                        format!(
                            "Steady: {} instance{} running {}; app tasks {running} of {desired}. Deploy a new \
                             revision or inject a fault to see what the daemon does.",
                            tiles.len(),
                            if tiles.len() == 1 { "" } else { "s" },
                            if revisions.is_empty() { "no daemon".to_string() } else { revisions.join(" and ") }
                        )
                    },
                })
            }
        }
    }
    Story { lines, key }
}

/// The instance and reason of the latest failed daemon start (`ECS Daemon Service Action`).
fn latest_failure(model: &Playground) -> Option<(String, String)> {
    model.events().iter().rev().take(FAILURE_SCAN).find_map(|e| match &e.kind {
        EventKind::DaemonServiceAction(d) => {
            let id = d.container_instance_arn.rsplit('/').next().unwrap_or("").to_string();
            Some((id, d.reason.clone()))
        }
        _ => None,
    })
}

fn is_terminal(status: &str) -> bool {
    matches!(status, "SUCCESSFUL" | "STOPPED" | "ROLLBACK_SUCCESSFUL" | "ROLLBACK_FAILED")
}

/// The story panel (the explain switches sit under it).
pub fn view(story: &Story, explain: bool, pause_on_key: bool, link: &Scope<App>) -> Html {
    let headline = story.headline();
    html! {
        <section class="panel narration" id="narration" aria-label="What is happening"
            data-moment={headline.kind.id()} data-moments={story.kinds()}>
            <h2>{ headline.kind.title() }</h2>
            <p class="story-headline" id="story-headline">{ &headline.text }</p>
            { for story.lines.iter().skip(1).take(2).map(|l| html! {
                <p class="story-more" data-moment={l.kind.id()}>{ &l.text }</p>
            }) }
            <div class="explain-switches">
                <label class="check" title="Slow playback for a few seconds at each new key moment">
                    <input id="explain" type="checkbox" checked={explain}
                        onchange={link.callback(|_| Msg::ToggleExplain)} />
                    { "explain (slow down at key moments)" }
                </label>
                <label class="check">
                    <input id="pause-on-key" type="checkbox" checked={pause_on_key}
                        onchange={link.callback(|_| Msg::TogglePauseOnKey)} />
                    { "pause at each" }
                </label>
            </div>
        </section>
    }
}
