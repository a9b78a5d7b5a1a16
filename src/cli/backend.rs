//! What the interpreter runs commands against. The real implementation is the API layer over
//! the engine; tests use [`super::recording::RecordingBackend`].

use crate::api::AwsError;
use serde_json::Value;

/// The simulated AWS account and clock the console talks to.
pub trait Backend {
    /// Calls one AWS action. `service` is `ecs`, `iam`, `sts`, `logs`, `ec2` or `cloudwatch`;
    /// `action` the AWS action name (`CreateDaemon`); `input` the request JSON as the CLI built
    /// it. Timestamps in the answer may be epoch seconds: the CLI shows them as ISO 8601.
    fn call(&mut self, service: &str, action: &str, input: Value) -> Result<Value, AwsError>;

    /// Advances simulated time: the script's `sleep N` and the waiters' polling delays.
    fn sleep_ms(&mut self, ms: u64);

    /// The simulated clock as epoch milliseconds (`sim clock`).
    fn now_ms(&self) -> u64;

    /// `sim ...` commands other than `sim clock` (faults and the like): the words after `sim`.
    /// Returns the text to print.
    fn sim(&mut self, args: &[String]) -> Result<String, AwsError>;
}
