//! The `/_sim/` control surface for tests, training and following pages — not an AWS API, so
//! plain JSON in and out, errors in the AWS JSON shape:
//!
//! | request | does |
//! |---|---|
//! | `GET /_sim/clock` | `{nowMs, elapsedMs, eventLogHash, paused, speed}` |
//! | `POST /_sim/advance {"seconds": N}` | moves the clock on N simulated seconds (0–86,400) |
//! | `POST /_sim/pause`, `POST /_sim/resume` | stops / restarts the wall clock (advance still works) |
//! | `POST /_sim/command {"command": "fail-instance i-…"}` | a `sim` fault or inspection command |
//! | `POST /_sim/script {"script": "aws iam create-role …"}` | an AWS CLI script, run as the console runs it (a setup, IAM included) |
//! | `GET /_sim/scenario?since=K` | the seed, options and recorded inputs from index K on, with the clock |

use super::json::{self, parse_object};
use super::{Endpoint, Request, Response};
use crate::api::AwsError;
use crate::session::scenario::log_value;
use crate::support::query::param;
use serde_json::{json, Value};

/// One simulated day per advance: a bound that keeps the conversion exact and a typo from
/// running the account for years.
const MAX_ADVANCE_SECONDS: f64 = 86_400.0;
/// The longest `sim` command accepted, in bytes.
const MAX_COMMAND_BYTES: usize = 4096;
/// The longest script accepted, in bytes (a tutorial's setup is a few KiB).
const MAX_SCRIPT_BYTES: usize = 64 * 1024;
const CONTROL_TYPE: &str = "application/json";

/// Wall time turned into simulated time: `speed` × wall ms, whole ms handed out and the fraction
/// kept, nothing while paused.
#[derive(Debug, Clone)]
pub struct Clock {
    speed: f64,
    paused: bool,
    owed_ms: f64,
}

impl Clock {
    /// A running clock at `speed` × wall time.
    pub fn new(speed: f64) -> Clock {
        Clock { speed, paused: false, owed_ms: 0.0 }
    }

    /// The whole simulated ms that `wall_ms` of wall time is worth now.
    pub fn take(&mut self, wall_ms: f64) -> u64 {
        if self.paused || !wall_ms.is_finite() || wall_ms <= 0.0 {
            return 0;
        }
        self.owed_ms += wall_ms * self.speed;
        let whole = self.owed_ms.floor();
        self.owed_ms -= whole;
        whole as u64
    }
}

/// Answers a `/_sim/` request.
pub fn handle(endpoint: &mut Endpoint, request: &Request) -> Response {
    match answer(endpoint, request) {
        Ok(value) => json::ok(CONTROL_TYPE, &value),
        Err(error) => json::error(CONTROL_TYPE, &error),
    }
}

fn answer(endpoint: &mut Endpoint, request: &Request) -> Result<Value, AwsError> {
    match (request.method, request.path) {
        ("GET", "/_sim/clock") => {}
        ("POST", "/_sim/advance") => {
            let seconds = parse_object(request.body)?
                .get("seconds")
                .and_then(Value::as_f64)
                .filter(|s| (0.0..=MAX_ADVANCE_SECONDS).contains(s))
                .ok_or_else(|| {
                    AwsError::invalid_parameter(format!(
                        "advance: `seconds` must be a number from 0 to {MAX_ADVANCE_SECONDS}"
                    ))
                })?;
            endpoint.session.advance_by((seconds * 1000.0).round() as u64);
        }
        ("POST", "/_sim/pause") => endpoint.clock.paused = true,
        ("POST", "/_sim/resume") => endpoint.clock.paused = false,
        ("POST", "/_sim/command") => {
            let output = command(endpoint, request.body)?;
            let mut reply = clock(endpoint);
            reply["output"] = output.into();
            return Ok(reply);
        }
        ("GET", "/_sim/scenario") => return scenario_since(endpoint, request.query),
        ("POST", "/_sim/script") => {
            let text = text_field(request.body, "script", MAX_SCRIPT_BYTES, "an AWS CLI script")?;
            let report = endpoint.session.script(&text);
            let mut reply = clock(endpoint);
            reply["exitStatus"] = report.exit_status.into();
            reply["stdout"] = report.stdout().into();
            reply["stderr"] = report.stderr().into();
            return Ok(reply);
        }
        (method, path) => {
            return Err(AwsError::new(
                "UnknownOperationException",
                format!("no control action {method} {path}"),
            ))
        }
    }
    Ok(clock(endpoint))
}

fn clock(endpoint: &Endpoint) -> Value {
    let session = &endpoint.session;
    json!({
        "nowMs": session.now_ms(),
        "elapsedMs": session.simulation().elapsed(),
        "eventLogHash": format!("{:016x}", session.event_log_hash()),
        "paused": endpoint.clock.paused,
        "speed": endpoint.clock.speed,
    })
}

/// `{"command": "fail-instance i-…"}` (a leading `sim` is optional): the words of a `sim`
/// command, run and recorded as the console's are.
fn command(endpoint: &mut Endpoint, body: &[u8]) -> Result<String, AwsError> {
    let text = text_field(body, "command", MAX_COMMAND_BYTES, "a sim command such as \"fault clear\"")?;
    let mut words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    if words.first().map(String::as_str) == Some("sim") {
        words.remove(0);
    }
    endpoint.session.sim(&words)
}

/// The non-blank string `key` of a JSON object body, at most `max` bytes.
fn text_field(body: &[u8], key: &str, max: usize, what: &str) -> Result<String, AwsError> {
    parse_object(body)?
        .get(key)
        .and_then(Value::as_str)
        .filter(|c| !c.trim().is_empty() && c.len() <= max)
        .map(str::to_string)
        .ok_or_else(|| {
            AwsError::invalid_parameter(format!("{key}: `{key}` must be {what} of 1 to {max} bytes"))
        })
}

/// The inputs recorded from index `since` on. The last entry may be a time advance that is
/// still growing, so a follower takes the calls and commands from here and its time from
/// `elapsedMs`.
fn scenario_since(endpoint: &Endpoint, query: &str) -> Result<Value, AwsError> {
    let since = param(query, "since").unwrap_or("0");
    let since: usize = since.parse().map_err(|_| {
        AwsError::invalid_parameter(format!("scenario: since={since:?} is not a whole number"))
    })?;
    let scenario = endpoint.session.scenario();
    let log = scenario.log.get(since..).unwrap_or_default();
    let mut reply = clock(endpoint);
    reply["seed"] = scenario.seed.into();
    reply["options"] = scenario.options.to_value();
    reply["since"] = since.into();
    reply["next"] = scenario.log.len().into();
    reply["log"] = log_value(log);
    Ok(reply)
}
