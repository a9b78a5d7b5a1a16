//! The EventBridge event log: newest first, each event expandable to its JSON, filtered by an
//! EventBridge pattern (the API layer's matcher); clicking an event highlights its instance.

use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    /// Matching events, newest first (already filtered and capped by the app).
    pub events: Rc<Vec<Rc<Value>>>,
    /// Events in the whole log.
    pub total: usize,
    pub pattern: String,
    pub error: Option<String>,
    pub on_pattern: Callback<String>,
    /// Called with a container instance id.
    pub on_highlight: Callback<String>,
}

/// One line of summary for an event: its name or status and the object it concerns.
fn summary(event: &Value) -> String {
    let detail = &event["detail"];
    let what = detail["eventName"]
        .as_str()
        .map(str::to_string)
        .or_else(|| {
            detail["lastStatus"]
                .as_str()
                .map(|s| format!("{} {}", detail["group"].as_str().unwrap_or("task"), s))
        })
        .or_else(|| detail["status"].as_str().map(|s| format!("instance {s}")))
        .or_else(|| detail["overallStatus"].as_str().map(|s| format!("health {s}")))
        .unwrap_or_default();
    let subject = instance_of(event).map(|i| format!(" · {}", i.get(..8).unwrap_or(&i))).unwrap_or_default();
    format!("{}{}", what, subject)
}

/// The container instance an event is about, if any.
fn instance_of(event: &Value) -> Option<String> {
    event["detail"]["containerInstanceArn"].as_str().and_then(|a| a.rsplit('/').next()).map(str::to_string)
}

#[function_component(EventLog)]
pub fn event_log(props: &EventLogProps) -> Html {
    let on_input = {
        let on_pattern = props.on_pattern.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                on_pattern.emit(area.value());
            }
        })
    };
    html! {
        <section class="event-log" aria-label="EventBridge events">
            <label for="event-pattern">{ "EventBridge pattern" }</label>
            <textarea id="event-pattern" rows="2" spellcheck="false"
                placeholder={r#"{"detail-type": ["ECS Daemon Deployment State Change"]}"#}
                value={props.pattern.clone()} oninput={on_input}
                aria-invalid={props.error.is_some().to_string()} />
            if let Some(error) = &props.error {
                <p class="error" id="pattern-error" role="status">{ error }</p>
            }
            <p class="hint" id="event-count">{ format!("showing {} of {} events, newest first", props.events.len(), props.total) }</p>
            <ol class="events">
                { for props.events.iter().map(|event| {
                    let id = event["id"].as_str().unwrap_or("").to_string();
                    html! { <EventRow key={id} event={event.clone()} on_highlight={props.on_highlight.clone()} /> }
                }) }
            </ol>
        </section>
    }
}

#[derive(Properties)]
struct EventRowProps {
    event: Rc<Value>,
    on_highlight: Callback<String>,
}

/// The same event is the same `Rc` (the model converts each event once), so pointer equality
/// spares re-rendering every kept row each frame. The callback is left out: the app makes a new
/// one per render, and an older one still reaches the same app.
impl PartialEq for EventRowProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.event, &other.event)
    }
}

#[function_component(EventRow)]
fn event_row(props: &EventRowProps) -> Html {
    // The pretty JSON is built only once the row is opened: at 10,000 instances the newest rows
    // change every frame and most are never opened. The summary's click is what opens or closes
    // <details> (the keyboard's too), so it flips this in step with the browser.
    let expanded = use_state(|| false);
    let event = &props.event;
    let detail_type = event["detail-type"].as_str().unwrap_or("").to_string();
    let time = event["time"].as_str().unwrap_or("").to_string();
    let onclick = {
        let instance = instance_of(event);
        let on_highlight = props.on_highlight.clone();
        let expanded = expanded.clone();
        Callback::from(move |_: MouseEvent| {
            expanded.set(!*expanded);
            if let Some(instance) = &instance {
                on_highlight.emit(instance.clone());
            }
        })
    };
    html! {
        <li class="event" data-detail-type={detail_type.clone()}>
            <details>
                <summary {onclick}>
                    <time>{ time.get(11..19).unwrap_or(&time).to_string() }</time>
                    <span class="detail-type">{ detail_type }</span>
                    <span class="what">{ summary(event) }</span>
                </summary>
                <pre>{ if *expanded { serde_json::to_string_pretty(&**event).unwrap_or_default() } else { String::new() } }</pre>
            </details>
        </li>
    }
}
