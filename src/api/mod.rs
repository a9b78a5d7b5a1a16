//! AWS JSON 1.1 actions over the engine: request validation, ARNs and AWS error types.
//!
//! - [`Api`]: one simulated account behind `Api::call(service, action, input)`;
//! - [`request`]: every ECS action's body decoded into a typed, validated request;
//! - [`arn`]: ARN formats and name-or-ARN resolution;
//! - [`neighbours`]: the IAM, STS, CloudWatch Logs, CloudWatch and EC2 actions the tutorial uses;
//! - [`render`]: response encodings (timestamps);
//! - [`pattern`]: EventBridge event patterns.

mod actions;
pub mod arn;
mod dispatch;
pub mod error;
pub mod input;
pub mod neighbours;
pub mod pattern;
pub mod render;
pub mod request;
pub mod shapes;
mod sim_commands;
pub mod validate;

pub use arn::ArnContext;
pub use dispatch::{Api, SERVICES};
pub use error::AwsError;
