//! AWS JSON 1.1 actions over the engine: request validation, ARNs and AWS error types.

pub mod error;
pub mod pattern;

pub use error::AwsError;
