#![deny(missing_docs)]
//! AWS JSON 1.1 actions over the engine: request validation, ARNs and AWS error types.
//!
//! - [`Api`]: one simulated account (default 123456789012 / us-east-1, from the `SimConfig`)
//!   behind `Api::call(service, action, input)`; `Api::sim` runs the `sim` fault commands;
//! - [`request`]: every ECS action's body decoded into a typed, validated request (no state
//!   needed, so a bad request never reaches the engine);
//! - [`arn`]: ARN formats and name-or-ARN resolution;
//! - `neighbours`: STS, IAM, CloudWatch Logs, CloudWatch alarms and EC2, as far as the tutorial
//!   and the legacy-policy pitfall need them;
//! - `shapes` and `render`: response shapes and encodings (timestamps are epoch seconds).
//!
//! What pairs the account with a shell and records it (scenarios, lessons, the JS API) is the
//! layer above the CLI, `session`; this layer knows nothing of either.
//!
//! ```
//! use ecs_daemon_sim::api::Api;
//! use ecs_daemon_sim::engine::SimConfig;
//! use serde_json::json;
//!
//! let mut api = Api::new(SimConfig::with_seed(7));
//! let cluster = api.call("ecs", "CreateCluster", &json!({"clusterName": "daemon-test"})).unwrap();
//! assert_eq!(cluster["cluster"]["clusterArn"], "arn:aws:ecs:us-east-1:123456789012:cluster/daemon-test");
//! let error = api.call("ecs", "CreateDaemon", &json!({"daemonName": "bad name"})).unwrap_err();
//! assert_eq!(error.error_type, "InvalidParameterException");
//! api.advance_by(60_000); // one simulated minute
//! ```

mod actions;
pub mod arn;
mod dispatch;
pub mod error;
pub(crate) mod input;
pub(crate) mod neighbours;
pub(crate) mod render;
pub mod request;
pub(crate) mod shapes;
mod sim_commands;
pub(crate) mod validate;

pub use arn::ArnContext;
pub use dispatch::{Api, SERVICES};
pub use error::AwsError;
