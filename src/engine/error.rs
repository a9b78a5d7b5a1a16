//! Engine errors, named after the AWS error types the API layer reports for them.

use std::fmt;

/// The AWS error type an engine refusal maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ErrorKind {
    InvalidParameterException,
    ClientException,
    ClusterNotFoundException,
    ClusterContainsServicesException,
    ClusterContainsTasksException,
    ClusterContainsContainerInstancesException,
    DaemonNotFoundException,
    DaemonNotActiveException,
    ServiceNotFoundException,
    ServiceNotActiveException,
    ResourceInUseException,
    ResourceNotFoundException,
    LimitExceededException,
    /// EC2's error for an unknown instance id (`ec2 terminate-instances`).
    InvalidInstanceIdNotFound,
}

impl ErrorKind {
    /// The `__type` string AWS uses.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidParameterException => "InvalidParameterException",
            ErrorKind::ClientException => "ClientException",
            ErrorKind::ClusterNotFoundException => "ClusterNotFoundException",
            ErrorKind::ClusterContainsServicesException => "ClusterContainsServicesException",
            ErrorKind::ClusterContainsTasksException => "ClusterContainsTasksException",
            ErrorKind::ClusterContainsContainerInstancesException => {
                "ClusterContainsContainerInstancesException"
            }
            ErrorKind::DaemonNotFoundException => "DaemonNotFoundException",
            ErrorKind::DaemonNotActiveException => "DaemonNotActiveException",
            ErrorKind::ServiceNotFoundException => "ServiceNotFoundException",
            ErrorKind::ServiceNotActiveException => "ServiceNotActiveException",
            ErrorKind::ResourceInUseException => "ResourceInUseException",
            ErrorKind::ResourceNotFoundException => "ResourceNotFoundException",
            ErrorKind::LimitExceededException => "LimitExceededException",
            ErrorKind::InvalidInstanceIdNotFound => "InvalidInstanceID.NotFound",
        }
    }
}

/// A refused command. Nothing in the simulation changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineError {
    pub kind: ErrorKind,
    pub message: String,
}

impl EngineError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        EngineError { kind, message: message.into() }
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidParameterException, message)
    }
    pub fn client(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::ClientException, message)
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.as_str(), self.message)
    }
}

impl std::error::Error for EngineError {}
