//! The inspector: the selected instance's own timeline (from the engine's events about it), the
//! cause of its current state (from its drain cause, its health reason and its deployment), and
//! the faults that can be aimed at it.

use super::app::{Msg, TileFault};
use super::grid::short;
use super::legend::instance_words;
use super::model::{format_clock, Playground, DAEMON};
use crate::engine::event::EventKind;
use crate::engine::{Event, InstanceView};
use yew::html::Scope;
use yew::prelude::*;

/// One line of an instance's timeline: simulated ms since the epoch, and what happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub at_ms: u64,
    pub text: String,
}

/// The timeline of one instance, extended as events arrive (never rescanned from the start).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeline {
    pub instance: String,
    scanned: usize,
    pub entries: Vec<Entry>,
}

impl Timeline {
    pub fn new(instance: &str) -> Self {
        Timeline { instance: instance.to_string(), scanned: 0, entries: Vec::new() }
    }

    /// Reads the events not read yet; returns whether an entry was added.
    pub fn extend(&mut self, events: &[Event], epoch_ms: u64) -> bool {
        let before = self.entries.len();
        let id = self.instance.as_str();
        let about = |arn: &str| arn.rsplit('/').next() == Some(id);
        for e in events.iter().skip(self.scanned) {
            let at_ms = e.time_ms.saturating_sub(epoch_ms);
            let text = match &e.kind {
                EventKind::ContainerInstanceStateChange(d) if about(&d.container_instance_arn) => {
                    let (_, word) = instance_words(d.status);
                    if self.entries.last().is_some_and(|l| l.text.starts_with(word)) {
                        None
                    } else {
                        Some(format!(
                            "{word}{}",
                            d.status_reason.map(|r| format!(": {r}")).unwrap_or_default()
                        ))
                    }
                }
                EventKind::TaskStateChange(d) if about(&d.container_instance_arn) => {
                    let daemon = d.group.starts_with("daemon");
                    let what = if daemon {
                        format!("daemon {}", d.task_definition_arn.rsplit('/').next().unwrap_or(DAEMON))
                    } else {
                        format!("app task {}", d.group.trim_start_matches("service:"))
                    };
                    match d.last_status {
                        "RUNNING" if !daemon => Some(format!("{what} started")),
                        "RUNNING" => Some(format!("{what} RUNNING")),
                        "STOPPED" => Some(format!(
                            "{what} stopped{}",
                            d.stopped_reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default()
                        )),
                        _ => None,
                    }
                }
                EventKind::ContainerInstanceHealthChange(d) if about(&d.container_instance_arn) => {
                    Some(format!(
                        "daemon health {}{}",
                        d.health.status.as_str(),
                        d.health.status_reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default()
                    ))
                }
                EventKind::DaemonServiceAction(d) if about(&d.container_instance_arn) => {
                    Some(format!("daemon failed to start: {}", d.reason))
                }
                _ => None,
            };
            if let Some(text) = text {
                self.entries.push(Entry { at_ms, text });
            }
        }
        self.scanned = events.len();
        self.entries.len() != before
    }
}

/// Why the instance is in its current state, in words.
pub fn cause(model: &Playground, view: &InstanceView) -> String {
    let sim = model.sim();
    let instance = sim.container_instance(&view.container_instance_id);
    let replacing =
        view.replacement_of.as_deref().map(|old| format!(" It replaces {}.", short(old))).unwrap_or_default();
    let drain_why = || -> String {
        match view.drain_cause {
            Some("DEPLOYMENT") => {
                let (k, n, target) = deployment_batch(model, view).unwrap_or((0, 0, String::new()));
                if k > 0 {
                    format!("deployment batch {k} of {n} (to {target})")
                } else {
                    "a daemon deployment".to_string()
                }
            }
            Some("AUTO_REPAIR") => format!(
                "auto-repair: {}",
                instance
                    .and_then(|i| i.health.status_reason.clone())
                    .unwrap_or_else(|| "daemon task stopped".to_string())
                    .trim_end_matches('.')
            ),
            Some("USER") => "drained by you (UpdateContainerInstancesState DRAINING)".to_string(),
            Some("TERMINATED") => "terminated by you (ec2 terminate-instances)".to_string(),
            Some("SCALE_IN") => "scale-in: only its daemon ran for the idle period".to_string(),
            Some("PROVIDER_DELETED") => "its capacity provider is being deleted".to_string(),
            _ => "drained".to_string(),
        }
    };
    match view.status {
        "PROVISIONING" => format!("PROVISIONING: its EC2 instance is booting.{replacing}"),
        "REGISTERING" => format!(
            "REGISTERING: held until its daemon {} is RUNNING (daemon first).{replacing}",
            view.daemon_tasks.first().map(|d| d.task_definition.as_str()).unwrap_or(DAEMON)
        ),
        "ACTIVE" => format!("ACTIVE: its daemon runs, so it takes app tasks.{replacing}"),
        "DRAINING" => format!(
            "DRAINING: {}. Its app tasks move to {} before they stop.",
            drain_why(),
            view.replaced_by
                .as_deref()
                .map(|r| format!("replacement {}", short(r)))
                .unwrap_or("other instances".into())
        ),
        "DEREGISTERING" => {
            format!("DEREGISTERING ({}): its app tasks are gone, its daemon stops last.", drain_why())
        }
        other => format!("{other}."),
    }
}

/// (batch k, of n, target revision) of an instance a deployment drains: its place in the
/// deployment's order (instances replaced so far, then its rank in the current window).
fn deployment_batch(model: &Playground, view: &InstanceView) -> Option<(u32, u32, String)> {
    let sim = model.sim();
    let id = view.deployment.as_deref()?;
    let daemon = sim.daemons().find(|d| d.name == DAEMON)?;
    let dep = sim.daemon_deployments(daemon).into_iter().find(|d| d.id == id)?;
    let key = sim.container_instance(&view.container_instance_id)?.key;
    let batch = dep.batch_size.max(1);
    let rank = dep.draining.iter().position(|k| *k == key).unwrap_or(0) as u32;
    let n = dep.instances_in_scope.div_ceil(batch).max(1);
    let k = ((dep.replaced + rank) / batch + 1).min(n);
    let target = sim
        .revision(dep.phase_target())
        .map(|r| r.daemon_task_definition.rsplit('/').next().unwrap_or("").to_string())
        .unwrap_or_default();
    Some((k, n, target))
}

/// The inspector panel of the selected instance.
pub fn view(
    model: &Playground,
    view: &InstanceView,
    timeline: Option<&Timeline>,
    link: &Scope<super::App>,
) -> Html {
    let id = view.container_instance_id.clone();
    let launched = model.sim().container_instance(&id).map(|i| i.launched_at);
    let epoch = model.sim().config().epoch_ms;
    let fault = |fault: TileFault, action: &'static str, label: &'static str| {
        let id = id.clone();
        html! {
            <button data-action={action} onclick={link.callback(move |_| Msg::Fault(fault, id.clone()))}>{ label }</button>
        }
    };
    let live = !matches!(view.status, "TERMINATED" | "INACTIVE");
    html! {
        <section class="panel inspector" id="inspector" aria-label="Instance inspector" data-instance={id.clone()}>
            <h2>
                { format!("Instance {}", short(&id)) }
                <button class="close" aria-label="Close the inspector" onclick={link.callback(|_| Msg::Select(None))}>{ "×" }</button>
            </h2>
            <p class="cause" id="inspector-cause">{ cause(model, view) }</p>
            <ol class="instance-timeline">
                if let Some(at) = launched {
                    <li><time>{ format_clock(at.saturating_sub(epoch)) }</time>{ " EC2 instance launched" }</li>
                }
                { for timeline.map(|t| t.entries.as_slice()).unwrap_or_default().iter().map(|e| html! {
                    <li><time>{ format_clock(e.at_ms) }</time>{ format!(" {}", e.text) }</li>
                }) }
                if let Some(old) = &view.replacement_of {
                    <li class="link">{ format!("replacing {}", short(old)) }</li>
                }
                if let Some(new) = &view.replaced_by {
                    <li class="link">{ format!("replaced by {}", short(new)) }</li>
                }
            </ol>
            if live {
                <div class="inspector-faults" role="group" aria-label="Faults for this instance">
                    { fault(TileFault::StopDaemon, "stop-daemon", "Stop daemon task") }
                    { fault(TileFault::MakeUnhealthy, "unhealthy", "Make daemon unhealthy") }
                    { fault(TileFault::Drain, "drain", "Drain instance") }
                    { fault(TileFault::Terminate, "terminate", "Terminate instance") }
                </div>
            }
        </section>
    }
}
