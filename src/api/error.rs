//! AWS error types as the JSON protocols report them: an error type (`__type`) and a message.
//!
//! The type is a string, not an enum, because the neighbours the tutorial touches (IAM, CloudWatch
//! Logs, CloudWatch) have error types of their own (`NoSuchEntity`, `ResourceAlreadyExistsException`…).

use crate::pattern::PatternError;
use crate::support::json::json;
use serde_json::Value;
use std::fmt;

/// One AWS error: what `__type` names and what `message` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsError {
    /// `__type`: the error's AWS name, such as `InvalidParameterException`.
    pub error_type: String,
    /// `message`: what went wrong, in words a user can act on.
    pub message: String,
}

impl AwsError {
    /// An error of any service's type `error_type`.
    pub fn new(error_type: impl Into<String>, message: impl Into<String>) -> Self {
        Self { error_type: error_type.into(), message: message.into() }
    }

    /// `InvalidParameterException`: a request member is missing, malformed or out of range.
    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new("InvalidParameterException", message)
    }

    /// `ClientException`: the request is well formed but not acceptable, such as a task definition without an
    /// essential container.
    pub fn client(message: impl Into<String>) -> Self {
        Self::new("ClientException", message)
    }

    /// `ClusterNotFoundException`: no cluster of that name in this account and Region.
    pub fn cluster_not_found(message: impl Into<String>) -> Self {
        Self::new("ClusterNotFoundException", message)
    }

    /// A member of the wrong JSON type. AWS JSON 1.1 services (Coral) refuse such a body before the
    /// action runs, with `SerializationException`, whatever the action's modelled errors are.
    pub fn serialization(message: impl Into<String>) -> Self {
        Self::new("SerializationException", message)
    }

    /// `DaemonNotFoundException`: no daemon of that name in the cluster.
    pub fn daemon_not_found(message: impl Into<String>) -> Self {
        Self::new("DaemonNotFoundException", message)
    }

    /// `DaemonNotActiveException`: the daemon is being deleted or is deleted, so it cannot be updated.
    pub fn daemon_not_active(message: impl Into<String>) -> Self {
        Self::new("DaemonNotActiveException", message)
    }

    /// `UnsupportedFeatureException`: something ECS has but this simulator does not model.
    pub fn unsupported_feature(message: impl Into<String>) -> Self {
        Self::new("UnsupportedFeatureException", message)
    }

    /// `ServerException`: a fault on the service's side (the simulator's own bugs, reported rather than
    /// panicking).
    pub fn server(message: impl Into<String>) -> Self {
        Self::new("ServerException", message)
    }

    /// An action this service does not have (`UnknownOperationException` in AWS JSON 1.1).
    pub fn unknown_operation(service: &str, action: &str) -> Self {
        Self::new(
            "UnknownOperationException",
            format!("The {service} service has no operation named {action}."),
        )
    }

    /// HTTP status the service answers with: 500 for server faults, 400 for everything else.
    pub fn http_status(&self) -> u16 {
        if self.error_type == "ServerException" {
            500
        } else {
            400
        }
    }

    /// The AWS JSON 1.1 error body.
    pub fn to_json(&self) -> Value {
        json!({ "__type": self.error_type, "message": self.message })
    }

    /// The line the AWS CLI prints on stderr for this error.
    pub fn cli_message(&self, operation: &str) -> String {
        format!(
            "An error occurred ({}) when calling the {} operation: {}",
            self.error_type, operation, self.message
        )
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error_type, self.message)
    }
}

impl std::error::Error for AwsError {}

/// A refused EventBridge pattern, as the EventBridge API reports it.
impl From<PatternError> for AwsError {
    fn from(error: PatternError) -> Self {
        AwsError::new("InvalidEventPatternException", error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_message_matches_the_aws_cli_format() {
        let error = AwsError::invalid_parameter("daemonName is too long");
        assert_eq!(
            error.cli_message("CreateDaemon"),
            "An error occurred (InvalidParameterException) when calling the CreateDaemon operation: daemonName is too long"
        );
        assert_eq!(error.http_status(), 400);
        assert_eq!(AwsError::new("ServerException", "boom").http_status(), 500);
    }

    #[test]
    fn a_refused_event_pattern_converts_to_the_eventbridge_error_type() {
        let error = AwsError::from(crate::pattern::EventPattern::parse("[]").unwrap_err());
        assert_eq!(error.error_type, "InvalidEventPatternException");
        assert!(error.message.starts_with("Event pattern is not valid. Reason:"), "{}", error.message);
    }
}
