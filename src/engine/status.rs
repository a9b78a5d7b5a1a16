//! The statuses of the ECS resources the engine keeps, as AWS's service model spells them. Each
//! enum owns its wire text in one `as_str` (and `parse` where a request or a `sim` command carries
//! the text in); the rest of the engine compares and stores the enum values, so a misspelt status
//! does not compile. tests/architecture.rs checks that no status literal lives anywhere else.

use serde::{Serialize, Serializer};
use std::fmt;

/// `Cluster.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClusterStatus {
    Active,
    Inactive,
}

impl ClusterStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            ClusterStatus::Active => "ACTIVE",
            ClusterStatus::Inactive => "INACTIVE",
        }
    }
}

/// `CapacityProvider.status`: a deleted provider deprovisions its instances before it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CapacityProviderStatus {
    Active,
    Deprovisioning,
}

impl CapacityProviderStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            CapacityProviderStatus::Active => "ACTIVE",
            CapacityProviderStatus::Deprovisioning => "DEPROVISIONING",
        }
    }
}

/// `status` of a task definition and of a daemon task definition: a deleted daemon task
/// definition stays `DELETE_IN_PROGRESS` while a daemon revision still uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DefinitionStatus {
    Active,
    DeleteInProgress,
    Deleted,
}

impl DefinitionStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            DefinitionStatus::Active => "ACTIVE",
            DefinitionStatus::DeleteInProgress => "DELETE_IN_PROGRESS",
            DefinitionStatus::Deleted => "DELETED",
        }
    }
}

/// `Daemon.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DaemonStatus {
    Active,
    DeleteInProgress,
}

impl DaemonStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            DaemonStatus::Active => "ACTIVE",
            DaemonStatus::DeleteInProgress => "DELETE_IN_PROGRESS",
        }
    }
}

/// `Service.status`: a deleted service drains its tasks, then turns `INACTIVE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ServiceStatus {
    Active,
    Draining,
    Inactive,
}

impl ServiceStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            ServiceStatus::Active => "ACTIVE",
            ServiceStatus::Draining => "DRAINING",
            ServiceStatus::Inactive => "INACTIVE",
        }
    }
}

/// `Task.desiredStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DesiredStatus {
    Running,
    Stopped,
}

impl DesiredStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            DesiredStatus::Running => "RUNNING",
            DesiredStatus::Stopped => "STOPPED",
        }
    }
}

/// `Task.healthStatus`: `UNKNOWN` until the container health check first reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaskHealth {
    Unknown,
    Healthy,
    Unhealthy,
}

impl TaskHealth {
    pub const fn as_str(self) -> &'static str {
        match self {
            TaskHealth::Unknown => "UNKNOWN",
            TaskHealth::Healthy => "HEALTHY",
            TaskHealth::Unhealthy => "UNHEALTHY",
        }
    }
}

/// A deployment's `circuitBreaker.status` and `alarms.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MonitorStatus {
    Monitoring,
    MonitoringComplete,
    Triggered,
    Disabled,
}

impl MonitorStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            MonitorStatus::Monitoring => "MONITORING",
            MonitorStatus::MonitoringComplete => "MONITORING_COMPLETE",
            MonitorStatus::Triggered => "TRIGGERED",
            MonitorStatus::Disabled => "DISABLED",
        }
    }
}

/// A CloudWatch alarm's `StateValue`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AlarmState {
    Ok,
    Alarm,
    InsufficientData,
}

impl AlarmState {
    pub const fn as_str(self) -> &'static str {
        match self {
            AlarmState::Ok => "OK",
            AlarmState::Alarm => "ALARM",
            AlarmState::InsufficientData => "INSUFFICIENT_DATA",
        }
    }

    /// The state a request names, exactly as AWS spells it.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "OK" => Some(AlarmState::Ok),
            "ALARM" => Some(AlarmState::Alarm),
            "INSUFFICIENT_DATA" => Some(AlarmState::InsufficientData),
            _ => None,
        }
    }
}

/// Serialized and displayed as their wire text, so JSON built from the model reads as before.
macro_rules! wire_text {
    ($($status:ty),+) => {$(
        impl Serialize for $status {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl fmt::Display for $status {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )+};
}

wire_text!(
    ClusterStatus,
    CapacityProviderStatus,
    DefinitionStatus,
    DaemonStatus,
    ServiceStatus,
    DesiredStatus,
    TaskHealth,
    MonitorStatus,
    AlarmState
);
