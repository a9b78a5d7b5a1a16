//! Follow mode (`?follow=http://HOST:PORT`, where a page served by `ecs-daemon-sim serve` is sent):
//! the page shows the run that real AWS clients drive on the server. It polls
//! `GET /_sim/scenario?since=K` ([`POLL_EVERY_MS`] apart; backing off while the server cannot be
//! reached), replays the new calls and `sim` commands at their times and moves its clock to the
//! server's, so the grid, story, event log and timeline are the server's run, with the same
//! event-log hash at the same simulated time. The page's own controls become requests: Pause and
//! Resume pause the server's clock, drainPercent is an `UpdateDaemon`, a tile's fault a `StopTask`,
//! `UpdateContainerInstancesState` or `sim` command; what they did comes back through the log.
//!
//! HTTP is gloo's (`gloo::net`, already part of the gloo the page uses); the protocol is the
//! server's: AWS JSON 1.1 for ECS actions, plain JSON for `/_sim/`.

use super::app::{App, Msg, TileFault};
use super::model::{format_clock, Playground};
use crate::endpoint::json::TARGETS;
use crate::session::follow::{Follower, ServerClock, Update, POLL_EVERY_MS};
use crate::session::scenario::Input;
use gloo::net::http::Request;
use gloo::timers::callback::Timeout;
use serde_json::{json, Value};
use yew::html::Scope;
use yew::prelude::*;

/// How the page stands with the server, as the banner says it.
#[derive(Debug, Clone, PartialEq)]
pub enum Link {
    /// No answer yet.
    Connecting,
    /// The last poll was answered and applied.
    Live,
    /// The last poll failed: why, and when the next attempt is (wall ms).
    Lost { why: String, retry_in_ms: u32 },
}

/// Following one server.
pub struct Following {
    /// The server's base URL (`http://127.0.0.1:4566`).
    pub server: String,
    follower: Follower,
    pub link: Link,
    /// The server's clock in its last answer.
    pub clock: Option<ServerClock>,
    /// The last request the page sent: what, and the server's answer (Ok: accepted, with what a
    /// script printed; Err: why it was refused).
    pub sent: Option<(String, Result<String, String>)>,
    timer: Option<Timeout>,
    /// A poll is on its way: another would ask for the same entries (and look like a restart).
    in_flight: bool,
    /// Poll again as soon as the one on its way is answered.
    again: bool,
}

impl Following {
    /// Follows `server`; the first poll goes out at once.
    pub fn start(server: String, link: &Scope<App>) -> Following {
        let mut following = Following {
            server,
            follower: Follower::new(),
            link: Link::Connecting,
            clock: None,
            sent: None,
            timer: None,
            in_flight: false,
            again: false,
        };
        following.schedule(link, 0);
        following
    }

    fn schedule(&mut self, link: &Scope<App>, after_ms: u32) {
        let link = link.clone();
        self.timer = Some(Timeout::new(after_ms, move || link.send_message(Msg::FollowPoll)));
    }

    /// Asks the server for what it recorded since the last answer.
    pub fn poll(&mut self, link: &Scope<App>) {
        self.timer = None;
        if self.in_flight {
            self.again = true;
            return;
        }
        self.in_flight = true;
        let url = format!("{}{}", self.server, self.follower.poll_path());
        let link = link.clone();
        yew::platform::spawn_local(async move {
            let answer = async {
                let response = Request::get(&url).send().await.map_err(|e| e.to_string())?;
                let status = response.status();
                let text = response.text().await.map_err(|e| e.to_string())?;
                if status == 200 {
                    Ok(text)
                } else {
                    Err(format!("HTTP {status}: {}", error_message(&text)))
                }
            };
            link.send_message(Msg::FollowAnswer(answer.await));
        });
    }

    /// Applies an answer (or a failed poll) to the page's run and schedules the next poll.
    /// Returns whether the page changed.
    pub fn absorb(
        &mut self,
        model: &mut Playground,
        answer: Result<String, String>,
        link: &Scope<App>,
    ) -> bool {
        self.in_flight = false;
        let again = std::mem::take(&mut self.again);
        let applied = answer
            .and_then(|text| serde_json::from_str::<Value>(&text).map_err(|e| format!("not JSON: {e}")))
            .and_then(|value| self.follower.absorb(&value).map_err(|e| e.to_string()))
            .and_then(|update| apply(model, update));
        match applied {
            Ok(None) => self.schedule(link, 0),
            Ok(Some(clock)) => {
                self.clock = Some(clock);
                self.link = Link::Live;
                self.schedule(link, if again { 0 } else { POLL_EVERY_MS });
            }
            Err(why) => {
                let retry_in_ms = self.follower.retry_in_ms();
                if why.starts_with("the followed run diverged") {
                    self.follower.restart();
                }
                self.link = Link::Lost { why, retry_in_ms };
                self.schedule(link, retry_in_ms);
            }
        }
        true
    }

    /// Sends an input the page's controls made to the server; the answer comes as
    /// [`Msg::FollowSent`], the effect through the log.
    pub fn send(&mut self, input: Input, link: &Scope<App>) {
        let label = input.label();
        let Some((path, target, content_type, body)) = request_of(&input) else {
            self.sent = Some((label, Err("this input cannot be sent to the server".into())));
            return;
        };
        let url = format!("{}{path}", self.server);
        let link = link.clone();
        yew::platform::spawn_local(async move {
            let answer = async {
                let mut request = Request::post(&url).header("Content-Type", content_type);
                if let Some(target) = &target {
                    request = request.header("X-Amz-Target", target);
                }
                let response =
                    request.body(body).map_err(|e| e.to_string())?.send().await.map_err(|e| e.to_string())?;
                let status = response.status();
                let text = response.text().await.unwrap_or_default();
                if status == 200 {
                    Ok(script_output(&text))
                } else {
                    Err(error_message(&text))
                }
            };
            link.send_message(Msg::FollowSent(label, answer.await));
        });
    }

    /// Pauses the server's clock, or resumes it when paused.
    pub fn toggle_paused(&mut self, link: &Scope<App>) {
        let paused = !self.clock.as_ref().is_some_and(|c| c.paused);
        let path = if paused { "/_sim/pause" } else { "/_sim/resume" };
        let url = format!("{}{path}", self.server);
        let link = link.clone();
        let label = if paused { "pause the server's clock" } else { "resume the server's clock" }.to_string();
        yew::platform::spawn_local(async move {
            let answer = match Request::post(&url).send().await {
                Ok(response) if response.status() == 200 => Ok(String::new()),
                Ok(response) => Err(error_message(&response.text().await.unwrap_or_default())),
                Err(error) => Err(error.to_string()),
            };
            link.send_message(Msg::FollowSent(label, answer));
        });
    }

    fn paused(&self) -> bool {
        self.clock.as_ref().is_some_and(|c| c.paused || c.speed == 0.0)
    }
}

/// Applies one update: `Ok(None)` asks for an immediate new poll, `Ok(Some(clock))` is applied.
fn apply(model: &mut Playground, update: Update) -> Result<Option<ServerClock>, String> {
    let Update::Apply { rebuild, entries, clock } = update else { return Ok(None) };
    if let Some(account) = rebuild {
        let selected = model.selected.take();
        *model = Playground::following(*account).map_err(|e| format!("the server's account: {e}"))?;
        model.selected = selected;
    }
    model.follow(&entries, clock.elapsed_ms).map_err(|e| format!("the followed run diverged: {e}"))?;
    Ok(Some(clock))
}

/// The HTTP request that applies `input` on the server: (path, X-Amz-Target, content type, body).
fn request_of(input: &Input) -> Option<(&'static str, Option<String>, &'static str, String)> {
    match input {
        Input::Call { service, action, input } => {
            let (prefix, _, content_type) = TARGETS.iter().find(|(_, s, _)| *s == service.as_str())?;
            Some(("/", Some(format!("{prefix}.{action}")), content_type, input.to_string()))
        }
        Input::Script(text) => {
            Some(("/_sim/script", None, "application/json", json!({"script": text}).to_string()))
        }
        Input::Sim(words) => {
            Some(("/_sim/command", None, "application/json", json!({"command": words.join(" ")}).to_string()))
        }
        _ => None,
    }
}

/// What a script run on the server said (`/_sim/script` answers its exit status and output): its
/// exit status and last line, or nothing for other answers.
fn script_output(text: &str) -> String {
    let Ok(answer) = serde_json::from_str::<Value>(text) else { return String::new() };
    let Some(status) = answer["exitStatus"].as_i64() else { return String::new() };
    let printed = [&answer["stderr"], &answer["stdout"]]
        .iter()
        .filter_map(|v| v.as_str())
        .flat_map(str::lines)
        .rfind(|line| !line.trim().is_empty())
        .map(|line| format!(": {}", line.chars().take(200).collect::<String>()))
        .unwrap_or_default();
    format!(" (exit status {status}{printed})")
}

/// The message of an AWS JSON error body (`{"__type", "message"}`), or the body itself.
fn error_message(text: &str) -> String {
    match serde_json::from_str::<Value>(text) {
        Ok(body) => match (body["__type"].as_str(), body["message"].as_str()) {
            (Some(kind), Some(message)) => format!("{kind}: {message}"),
            _ => text.to_string(),
        },
        Err(_) if text.is_empty() => "no answer".into(),
        Err(_) => text.chars().take(300).collect(),
    }
}

/// The input a tile fault gives, for the server to apply; Err says why there is none.
pub fn fault_input(model: &Playground, fault: TileFault, instance_id: &str) -> Result<Input, String> {
    let cluster = model
        .sim()
        .container_instance(instance_id)
        .map(|i| i.cluster.clone())
        .ok_or_else(|| format!("{instance_id} is not in the followed account"))?;
    let task = || {
        model
            .tile(instance_id)
            .and_then(|t| t.view.daemon_tasks.iter().find_map(|d| d.task_id.clone()))
            .ok_or_else(|| format!("{instance_id} has no daemon task"))
    };
    let call =
        |action: &str, input: Value| Input::Call { service: "ecs".into(), action: action.into(), input };
    Ok(match fault {
        TileFault::StopDaemon => call(
            "StopTask",
            json!({"cluster": cluster, "task": task()?, "reason": "Stopped from a following playground"}),
        ),
        TileFault::MakeUnhealthy => {
            Input::Sim(vec!["fault".into(), "unhealthy".into(), "--task".into(), format!("{cluster}/{}", task()?)])
        }
        TileFault::Drain => call(
            "UpdateContainerInstancesState",
            json!({"cluster": cluster, "containerInstances": [instance_id], "status": "DRAINING"}),
        ),
        TileFault::Terminate => {
            return Err("terminate is not sent from a following page (EC2 does not speak AWS JSON): run `aws ec2 terminate-instances` against the server".into())
        }
    })
}

/// The banner and time controls of a following page: whom it follows, whether the link is live,
/// the server's clock and hash beside this page's, and Pause/Resume for the server.
pub fn banner(following: &Following, model: &Playground, link: &Scope<App>) -> Html {
    let (state, status) = match &following.link {
        Link::Connecting => ("connecting", "connecting…".to_string()),
        Link::Live if following.paused() => ("paused", "live · the server's clock is stopped".to_string()),
        Link::Live => ("live", "live".to_string()),
        Link::Lost { why, retry_in_ms } => {
            ("lost", format!("connection lost ({why}); retrying in {:.1} s", *retry_in_ms as f64 / 1000.0))
        }
    };
    let local_hash = model.event_log_hash_ready().map(|h| format!("{h:016x}"));
    let server_hash = following.clock.as_ref().map(|c| c.event_log_hash.clone());
    let same_time = following.clock.as_ref().is_some_and(|c| c.elapsed_ms == model.elapsed());
    let verdict = match (&local_hash, &server_hash) {
        (Some(a), Some(b)) if same_time && a == b => Some(("match", "same event log as the server ✓")),
        (Some(_), Some(_)) if same_time => Some(("differ", "differs from the server's ✗")),
        _ => None,
    };
    let server_paused = following.clock.as_ref().is_some_and(|c| c.paused);
    let speed = following.clock.as_ref().map(|c| c.speed).unwrap_or(0.0);
    let log = model.log();
    let recent: Vec<String> =
        log.iter().rev().take(3).map(|c| format!("{} {}", format_clock(c.at_ms), c.label)).collect();
    html! {
        <section class={classes!("follow-banner", state)} id="follow" data-state={state} aria-label="Following a server">
            <p class="follow-line">
                <span class="follow-dot" aria-hidden="true"></span>
                <b>{ "Following " }<a id="follow-server" href={following.server.clone()}>{ &following.server }</a></b>
                <span id="follow-status" role="status">{ format!(" — {status}") }</span>
            </p>
            <p class="follow-explain">
                <span class="follow-why">{ format!("This page replays what the AWS clients of that server do: {} calls and commands so far. ", log.len()) }</span>
                if !recent.is_empty() {
                    <span id="follow-recent">{ format!("Latest: {}. ", recent.join(" · ")) }</span>
                }
                <span class="follow-why">{ "Time is the server's; the controls below send requests to it, and what they do comes back through its log." }</span>
            </p>
            <div class="follow-controls">
                <button id="play" onclick={link.callback(|_| Msg::TogglePlay)} aria-pressed={server_paused.to_string()}
                    title="Pause or resume the server's clock (space): POST /_sim/pause or /_sim/resume">
                    { if server_paused { "Resume server" } else { "Pause server" } }
                </button>
                <span class="clock" id="clock" title="Simulated time, as the server's" data-elapsed-ms={model.elapsed().to_string()}>
                    { format_clock(model.elapsed()) }
                </span>
                <span class="follow-speed" id="follow-speed">
                    { if speed == 0.0 { "server clock moves only by /_sim/advance".to_string() } else { format!("server speed {speed}×") } }
                </span>
                <span class="follow-hash" id="follow-hash" data-local={local_hash.clone()} data-server={server_hash.clone()}
                    data-verdict={verdict.map(|v| v.0)} title="The hash of this page's event log; the server reports its own">
                    { "event log " }<code>{ local_hash.as_deref().unwrap_or("hashing…") }</code>
                    if let Some((kind, text)) = verdict { <b class={kind}>{ format!(" {text}") }</b> }
                </span>
            </div>
            if let Some((what, answer)) = &following.sent {
                <p id="follow-sent" class={classes!("follow-sent", answer.is_err().then_some("error"))}
                    data-ok={answer.is_ok().to_string()} role="status">
                    { match answer {
                        Ok(output) => format!("Sent to the server: {what} — accepted{output}; it shows here once its log brings it back."),
                        Err(why) => format!("Sent to the server: {what} — refused: {why}"),
                    } }
                </p>
            }
        </section>
    }
}

/// What a following page offers to change on the server: drainPercent of the daemon it watches
/// (an UpdateDaemon), and where the instance faults are.
pub fn actions(model: &Playground, link: &Scope<App>) -> Html {
    let daemon = model.watched_daemon().map(|d| (d.name.clone(), d.cluster.clone()));
    let current = model.deployment().map(|d| d.drain_percent).unwrap_or(crate::engine::DEFAULT_DRAIN_PERCENT);
    let on_change = link.callback(|e: Event| {
        let value = e.target_dyn_into::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
        Msg::FollowDrainPercent(crate::support::decimal::parse_f64(&value).unwrap_or(0.0))
    });
    html! {
        <section class="actions follow-actions" aria-label="Requests to the server">
            if let Some((name, cluster)) = daemon {
                <div class="knob drain">
                    <label for="drain-percent">{ "drainPercent" }</label>
                    <input id="drain-percent" type="range" min="0" max="100" step="5" value={current.to_string()} onchange={on_change} />
                    <output>{ format!("{current}%") }</output>
                    <span class="hint">{ format!("on release: UpdateDaemon {name} ({cluster}) on the server, a new deployment") }</span>
                </div>
            } else {
                <p class="hint" id="follow-no-daemon">{ "No daemon on the server yet: drainPercent appears once a client calls CreateDaemon." }</p>
            }
            <p class="hint follow-faults-hint">{ "Faults: click an instance, then Stop daemon task, Make unhealthy or Drain in its panel — each is sent to the server." }</p>
        </section>
    }
}
