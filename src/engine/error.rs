//! Engine errors, named after the AWS error types the API layer reports for them.

use std::fmt;

/// The AWS error type an engine refusal maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ErrorKind {
    /// A request member is missing, malformed or out of range.
    InvalidParameterException,
    /// The request is well formed but not acceptable in the current state.
    ClientException,
    /// No cluster of that name in this account and Region.
    ClusterNotFoundException,
    /// The cluster still has active services (or ACTIVE daemons) and cannot be deleted.
    ClusterContainsServicesException,
    /// The cluster still has active tasks and cannot be deleted.
    ClusterContainsTasksException,
    /// The cluster still has registered container instances and cannot be deleted.
    ClusterContainsContainerInstancesException,
    /// No daemon of that name in the cluster.
    DaemonNotFoundException,
    /// The daemon is being deleted or is deleted, so it cannot be updated or deleted again.
    DaemonNotActiveException,
    /// No service of that name in the cluster.
    ServiceNotFoundException,
    /// The service is being deleted or is deleted, so it cannot be updated.
    ServiceNotActiveException,
    /// The resource is in use (such as a capacity provider a cluster or daemon still uses) and cannot be
    /// removed.
    ResourceInUseException,
    /// No resource of that name or ARN.
    ResourceNotFoundException,
    /// A limit of the account or resource would be exceeded.
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
    /// The AWS error type it maps to.
    pub kind: ErrorKind,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

impl EngineError {
    /// An error of kind `kind`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        EngineError { kind, message: message.into() }
    }
    /// An `InvalidParameterException`.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidParameterException, message)
    }
    /// A `ClientException`.
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
