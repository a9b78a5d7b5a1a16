//! A backend that records every call and answers from canned responses: for tests of the
//! interpreter, and for a dry run that shows the requests a script would send.

use super::backend::Backend;
use crate::api::AwsError;
use crate::support::json::json;
use serde_json::Value;
use std::collections::{BTreeMap, VecDeque};

/// One recorded call.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedCall {
    pub service: String,
    pub action: String,
    pub input: Value,
    /// The simulated clock when the call was made.
    pub at_ms: u64,
}

/// Records calls; answers each action with its queued responses in order (the last one repeats),
/// or `{}` when none was queued.
#[derive(Debug, Clone, Default)]
pub struct RecordingBackend {
    pub calls: Vec<RecordedCall>,
    pub sim_calls: Vec<Vec<String>>,
    pub now_ms: u64,
    responses: BTreeMap<String, VecDeque<Result<Value, AwsError>>>,
}

impl RecordingBackend {
    /// A backend whose clock starts at `now_ms`.
    pub fn new(now_ms: u64) -> Self {
        Self { now_ms, ..Self::default() }
    }

    /// Queues an answer for `action` (e.g. `DescribeTasks`).
    pub fn respond(&mut self, action: &str, response: Result<Value, AwsError>) -> &mut Self {
        self.responses.entry(action.to_string()).or_default().push_back(response);
        self
    }

    /// The actions called so far, in order.
    pub fn actions(&self) -> Vec<String> {
        self.calls.iter().map(|call| call.action.clone()).collect()
    }
}

impl Backend for RecordingBackend {
    fn call(&mut self, service: &str, action: &str, input: Value) -> Result<Value, AwsError> {
        self.calls.push(RecordedCall {
            service: service.to_string(),
            action: action.to_string(),
            input,
            at_ms: self.now_ms,
        });
        match self.responses.get_mut(action) {
            Some(queue) if queue.len() > 1 => queue.pop_front().unwrap_or_else(|| Ok(json!({}))),
            Some(queue) => queue.front().cloned().unwrap_or_else(|| Ok(json!({}))),
            None => Ok(json!({})),
        }
    }

    fn sleep_ms(&mut self, ms: u64) {
        self.now_ms = self.now_ms.saturating_add(ms);
    }

    fn now_ms(&self) -> u64 {
        self.now_ms
    }

    fn sim(&mut self, args: &[String]) -> Result<String, AwsError> {
        self.sim_calls.push(args.to_vec());
        Ok(format!("sim {}", args.join(" ")))
    }
}

/// Runs a script against a fresh [`RecordingBackend`] (clock at 0): every request it would send,
/// without a simulation. Also what a fuzz target for the parser and interpreter calls.
pub fn dry_run(text: &str) -> (super::ScriptReport, RecordingBackend) {
    let mut backend = RecordingBackend::new(0);
    let report = super::run_script(&mut backend, text);
    (report, backend)
}
