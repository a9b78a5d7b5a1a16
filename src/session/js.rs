//! The JavaScript API (wasm32 only): pages that drive the simulator themselves create a
//! [`Simulator`], send it AWS actions or AWS-CLI scripts, advance simulated time, and read snapshots
//! and EventBridge events.
//!
//! ```js
//! import init, { Simulator } from '/playground.js'; // the playground's bundle (Trunk.toml: filehash = false)
//! await init();
//! const sim = new Simulator({ seed: 7 });
//! sim.call('ecs', 'CreateCluster', { clusterName: 'demo' });
//! sim.script('aws ecs describe-clusters --clusters demo --query "clusters[0].status" --output text');
//! sim.advance(60_000);
//! const deployments = sim.events('{"detail-type":["ECS Daemon Deployment State Change"]}');
//! ```
//!
//! Every failure is thrown as a JavaScript `Error` whose `name` is the AWS error type
//! (`InvalidParameterException`, `ClusterNotFoundException`, `InvalidEventPatternException`, …) and
//! whose `message` says what was wrong: bad input never panics and never changes the simulation.

use super::scenario::RunOptions;
use super::Session;
use crate::api::AwsError;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// One simulated account, as JavaScript sees it: a [`Session`] and the page's subscriptions.
#[wasm_bindgen]
pub struct Simulator {
    session: Session,
    subscribers: Vec<(u32, js_sys::Function)>,
    next_subscription: u32,
}

#[wasm_bindgen]
impl Simulator {
    /// `options`: `{ seed?: number, accountId?: string, region?: string, epochMs?: number }`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Simulator, JsValue> {
        let options = if options.is_undefined() || options.is_null() {
            Value::Object(Default::default())
        } else {
            to_json(&options)?
        };
        let (seed, options) = run_options(&options).map_err(to_js_error)?;
        Ok(Simulator {
            session: Session::with_options(seed, options),
            subscribers: Vec::new(),
            next_subscription: 0,
        })
    }

    /// A simulator replaying a scenario file (what `exportScenario` or the playground's Export
    /// wrote): the same inputs at the same simulated times, so the same event log. A file that is
    /// not a valid scenario throws its AWS-style error (`SerializationException`,
    /// `UnsupportedSchemaVersionException`, …).
    #[wasm_bindgen(js_name = fromScenario)]
    pub fn from_scenario(text: &str) -> Result<Simulator, JsValue> {
        let session = super::import(text).map_err(|error| to_js_error(error.to_aws_error()))?;
        Ok(Simulator { session, subscribers: Vec::new(), next_subscription: 0 })
    }

    /// Runs one AWS action (`service`: `ecs`, `ec2`, `iam`, `sts`, `logs`, `cloudwatch`) with a
    /// request object; returns the response object or throws the AWS error.
    pub fn call(&mut self, service: &str, action: &str, input: JsValue) -> Result<JsValue, JsValue> {
        let input = if input.is_undefined() { Value::Object(Default::default()) } else { to_json(&input)? };
        let response = self.session.call(service, action, &input).map_err(to_js_error)?;
        self.notify();
        to_js(&response)
    }

    /// Runs a shell script around the AWS CLI (the console's shell: loops, functions, pipes,
    /// text utilities, here-documents, files; `set -x` traces on stderr); returns
    /// `{ records: [{line, column, command, stdout, stderr, exitCode, success}], syntaxError, exitStatus }`.
    /// A failed command does not throw: it is in its record, as the AWS CLI prints it.
    pub fn script(&mut self, text: &str) -> Result<JsValue, JsValue> {
        let report = self.session.script(text);
        self.notify();
        to_js(&report.to_json())
    }

    /// Moves simulated time forward by `ms` milliseconds, processing every event due meanwhile.
    pub fn advance(&mut self, ms: f64) -> Result<(), JsValue> {
        if !(0.0..=MAX_ADVANCE_MS).contains(&ms) {
            return Err(to_js_error(AwsError::invalid_parameter(format!(
                "advance: ms must be a number from 0 to {MAX_ADVANCE_MS}, got {ms}"
            ))));
        }
        self.session.advance_by(ms as u64);
        self.notify();
        Ok(())
    }

    /// The simulated clock, in Unix epoch milliseconds.
    pub fn now(&self) -> f64 {
        self.session.now_ms() as f64
    }

    /// The whole fleet now: the engine's snapshot, `{ time_ms, event_count, instances: [...] }`
    /// (instance views with their daemon and app task chips).
    pub fn snapshot(&self) -> Result<JsValue, JsValue> {
        to_js(&self.session.snapshot())
    }

    /// The EventBridge events so far, oldest first; only those matching `pattern` (an EventBridge
    /// pattern as JSON text) when one is given.
    pub fn events(&self, pattern: Option<String>) -> Result<JsValue, JsValue> {
        to_js(&self.session.events(pattern.as_deref()).map_err(to_js_error)?)
    }

    /// The run so far as a scenario file (JSON text): `Simulator.fromScenario` it, or import it in
    /// the playground, to replay the byte-identical event log.
    #[wasm_bindgen(js_name = exportScenario)]
    pub fn export_scenario(&self) -> String {
        self.session.export()
    }

    /// A hash of the event log: equal for equal runs (same seed and commands), natively and here.
    #[wasm_bindgen(js_name = eventLogHash)]
    pub fn event_log_hash(&self) -> String {
        format!("{:016x}", self.session.event_log_hash())
    }

    /// Calls `callback(change)` after every call, script or advance that changed the fleet, with
    /// `{ time_ms, changed: [instance views], removed: [container instance ids] }`. Returns an id for
    /// [`Simulator::unsubscribe`].
    pub fn subscribe(&mut self, callback: js_sys::Function) -> u32 {
        self.next_subscription += 1;
        self.subscribers.push((self.next_subscription, callback));
        self.next_subscription
    }

    /// Stops the callbacks of one subscription; false when there was none with this id.
    pub fn unsubscribe(&mut self, id: u32) -> bool {
        let before = self.subscribers.len();
        self.subscribers.retain(|(subscription, _)| *subscription != id);
        self.subscribers.len() != before
    }
}

/// One simulated year: a bound that keeps `f64 → u64` exact and a typo from freezing the page.
const MAX_ADVANCE_MS: f64 = 365.0 * crate::engine::time::DAY as f64;

impl Simulator {
    fn notify(&mut self) {
        if self.subscribers.is_empty() {
            return;
        }
        let changes = self.session.take_changes();
        if changes.changed.is_empty() && changes.removed.is_empty() {
            return;
        }
        let Ok(value) = to_js(&changes) else { return };
        for (_, callback) in &self.subscribers {
            // A throwing subscriber is the page's bug: it must not stop the others or the simulation.
            let _ = callback.call1(&JsValue::NULL, &value);
        }
    }
}

/// The constructor's options as the session's seed and run options.
fn run_options(options: &Value) -> Result<(u64, RunOptions), AwsError> {
    let Some(fields) = options.as_object() else {
        return Err(AwsError::invalid_parameter("options must be an object like { seed: 7 }"));
    };
    let (mut seed, mut config) = (0, RunOptions::default());
    for (key, value) in fields {
        let text = || value.as_str().map(str::to_string);
        match key.as_str() {
            "seed" => seed = value.as_u64().ok_or_else(|| bad_option(key, "a non-negative integer"))?,
            "epochMs" => {
                config.epoch_ms = value.as_u64().ok_or_else(|| bad_option(key, "a non-negative integer"))?
            }
            "accountId" => {
                config.account_id = text()
                    .filter(|id| id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(|| bad_option(key, "12 digits"))?
            }
            "region" => {
                config.region = text()
                    .filter(|r| {
                        !r.is_empty()
                            && r.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    })
                    .ok_or_else(|| bad_option(key, "a region name such as us-east-1"))?
            }
            other => {
                return Err(AwsError::invalid_parameter(format!(
                    "unknown option {other:?}: the options are seed, accountId, region and epochMs"
                )))
            }
        }
    }
    Ok((seed, config))
}

fn bad_option(key: &str, expected: &str) -> AwsError {
    AwsError::invalid_parameter(format!("option {key} must be {expected}"))
}

/// A JavaScript value as JSON. Through `JSON.stringify`, so that integers stay integers (the API
/// checks `desiredCount` and friends as integers).
fn to_json(value: &JsValue) -> Result<Value, JsValue> {
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| to_js_error(AwsError::serialization("the input cannot be converted to JSON")))?;
    serde_json::from_str(&text)
        .map_err(|e| to_js_error(AwsError::serialization(format!("the input is not valid JSON: {e}"))))
}

/// A Rust value as plain JavaScript objects (not `Map`s).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| to_js_error(AwsError::new("ServerException", e.to_string())))
}

fn to_js_error(error: AwsError) -> JsValue {
    let js = js_sys::Error::new(&error.message);
    js.set_name(&error.error_type);
    js.into()
}
