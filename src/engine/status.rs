//! The statuses of the ECS resources the engine keeps, as AWS's service model spells them. Each
//! enum owns its wire text in one `as_str` (and `parse` where a request or a `sim` command carries
//! the text in); the rest of the engine compares and stores the enum values, so a misspelt status
//! does not compile. tests/architecture.rs checks that no status literal lives anywhere else.

use serde::{Serialize, Serializer};
use std::fmt;

/// `Cluster.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClusterStatus {
    /// `ACTIVE`: the cluster accepts capacity providers, daemons, services and tasks.
    Active,
    /// `INACTIVE`: deleted; it may stay describable for a while but accepts nothing.
    Inactive,
}

impl ClusterStatus {
    /// The status as the ECS API spells it.
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
    /// `ACTIVE`: the provider launches and replaces instances.
    Active,
    /// `DEPROVISIONING`: deleted; its instances drain and terminate before it is gone.
    Deprovisioning,
}

impl CapacityProviderStatus {
    /// The status as the ECS API spells it.
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
    /// `ACTIVE`: the revision can be used by new daemons, services and tasks.
    Active,
    /// `DELETE_IN_PROGRESS`: deletion was requested; nothing new may use it, and it is deleted once no
    /// task or deployment references it (AWS: Amazon ECS task definition states).
    DeleteInProgress,
    /// `DELETED`: deleted and no longer used.
    Deleted,
}

impl DefinitionStatus {
    /// The status as the ECS API spells it.
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
    /// `ACTIVE`: the daemon runs on its capacity providers' instances and can be updated.
    Active,
    /// `DELETE_IN_PROGRESS`: DeleteDaemon was called; its tasks are being removed and it cannot be updated.
    DeleteInProgress,
}

impl DaemonStatus {
    /// The status as the ECS API spells it.
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
    /// `ACTIVE`: the service keeps `desiredCount` tasks running.
    Active,
    /// `DRAINING`: deleted; its tasks are stopping.
    Draining,
    /// `INACTIVE`: deleted and every task stopped.
    Inactive,
}

impl ServiceStatus {
    /// The status as the ECS API spells it.
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
    /// `RUNNING`: the task is to run (or keep running).
    Running,
    /// `STOPPED`: the task is to stop (or has stopped).
    Stopped,
}

impl DesiredStatus {
    /// The status as the ECS API spells it.
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
    /// `UNKNOWN`: no container health check, or none has reported yet.
    Unknown,
    /// `HEALTHY`: every essential container's health check passes.
    Healthy,
    /// `UNHEALTHY`: an essential container's health check failed.
    Unhealthy,
}

impl TaskHealth {
    /// The status as the ECS API spells it.
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
    /// `MONITORING`: ECS is watching the deployment for failures.
    Monitoring,
    /// `MONITORING_COMPLETE`: the deployment ended without the monitor triggering.
    MonitoringComplete,
    /// `TRIGGERED`: the failure threshold was reached (or an alarm went to ALARM) and the deployment rolls
    /// back.
    Triggered,
    /// `DISABLED`: ECS does not use this monitor for the deployment.
    Disabled,
}

impl MonitorStatus {
    /// The status as the ECS API spells it.
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
    /// `OK`: the metric is within the alarm's threshold.
    Ok,
    /// `ALARM`: the metric breached the threshold.
    Alarm,
    /// `INSUFFICIENT_DATA`: too little data to decide (a new alarm, or a missing metric).
    InsufficientData,
}

impl AlarmState {
    /// The state as CloudWatch spells it.
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
