//! AWS JSON 1.1 actions over the engine: request validation, ARNs and AWS error types.
//!
//! - [`request`]: every ECS action's body decoded into a typed, validated request;
//! - [`arn`]: ARN formats and name-or-ARN resolution;
//! - [`neighbours`]: the IAM, STS, CloudWatch Logs, CloudWatch and EC2 actions the tutorial uses;
//! - [`render`]: response encodings (timestamps).

pub mod arn;
pub mod error;
pub mod input;
pub mod neighbours;
pub mod render;
pub mod request;
pub mod validate;

pub use arn::ArnContext;
pub use error::AwsError;
