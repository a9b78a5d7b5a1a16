//! Container instances: their statuses, why they drain, their daemon slots and health.

use super::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Container instance status. `Launching` and `Booted` precede registration and are not visible
/// through the ECS API (the EC2 instance exists, the container instance does not yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum InstanceStatus {
    /// The EC2 instance is launching; not yet visible as a container instance (ECS shows `PROVISIONING`).
    Launching,
    /// The EC2 instance booted and its agent is starting; not yet registered (`PROVISIONING`).
    Booted,
    /// `REGISTERING`: registered with the cluster but not yet accepting app tasks; with a critical daemon,
    /// until that daemon's task is RUNNING.
    Registering,
    /// `REGISTRATION_FAILED`: the instance could not register with the cluster. In AWS's enum (and the
    /// ListContainerInstances filter) but never entered here: a missing instance-role policy fails the
    /// daemon tasks instead.
    RegistrationFailed,
    /// `ACTIVE`: accepts tasks.
    Active,
    /// `DRAINING`: no new tasks; app tasks are replaced elsewhere and stop, then the daemon tasks stop.
    Draining,
    /// `DEREGISTERING`: its tasks are gone and the instance is leaving the cluster.
    Deregistering,
    /// `INACTIVE`: deregistered and its EC2 instance terminated.
    Terminated,
}

impl InstanceStatus {
    /// The status as the ECS API and events spell it.
    pub const fn as_str(self) -> &'static str {
        match self {
            InstanceStatus::Launching => "PROVISIONING",
            InstanceStatus::Booted => "PROVISIONING",
            InstanceStatus::Registering => "REGISTERING",
            InstanceStatus::RegistrationFailed => "REGISTRATION_FAILED",
            InstanceStatus::Active => "ACTIVE",
            InstanceStatus::Draining => "DRAINING",
            InstanceStatus::Deregistering => "DEREGISTERING",
            InstanceStatus::Terminated => "INACTIVE",
        }
    }
    /// The two statuses UpdateContainerInstancesState can set, as a request spells them.
    pub fn parse_settable(text: &str) -> Option<Self> {
        match text {
            "ACTIVE" => Some(InstanceStatus::Active),
            "DRAINING" => Some(InstanceStatus::Draining),
            _ => None,
        }
    }
    /// Registered with ECS (visible to ListContainerInstances).
    pub fn is_registered(self) -> bool {
        matches!(
            self,
            InstanceStatus::Registering
                | InstanceStatus::RegistrationFailed
                | InstanceStatus::Active
                | InstanceStatus::Draining
                | InstanceStatus::Deregistering
        )
    }
    /// Can accept new app task placements.
    pub fn accepts_placement(self) -> bool {
        matches!(
            self,
            InstanceStatus::Launching
                | InstanceStatus::Booted
                | InstanceStatus::Registering
                | InstanceStatus::Active
        )
    }
}

/// Why an instance is being drained: the replacement mechanism is shared by all of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DrainCause {
    /// A daemon deployment replaces it (batch member).
    Deployment(DeploymentKey),
    /// A critical daemon task stopped or turned unhealthy.
    AutoRepair,
    /// Idle (only daemon tasks) for `scaleInAfter`, or above the provider's needs.
    ScaleIn,
    /// `ec2 terminate-instances`.
    Terminated,
    /// UpdateContainerInstancesState DRAINING.
    User,
    /// The capacity provider was deleted.
    ProviderDeleted,
}

impl DrainCause {
    /// The label viewers show for the cause.
    pub const fn as_str(self) -> &'static str {
        match self {
            DrainCause::Deployment(_) => "DEPLOYMENT",
            DrainCause::AutoRepair => "AUTO_REPAIR",
            DrainCause::ScaleIn => "SCALE_IN",
            DrainCause::Terminated => "TERMINATED",
            DrainCause::User => "USER",
            DrainCause::ProviderDeleted => "PROVIDER_DELETED",
        }
    }
}

/// One daemon's place on an instance: the revision it runs there and its current task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DaemonSlot {
    /// The daemon revision that runs on this instance.
    pub revision: RevisionKey,
    /// cpu/memory reserved for this daemon (false when it did not fit: TASK_CREATION_FAILED).
    pub reserved: bool,
    /// The daemon's current task here, if one was started.
    pub task: Option<TaskKey>,
    /// Failed start attempts on this instance.
    pub failures: u32,
}

/// `InstanceHealthCheckState` of AWS's model, for one check and for `overallStatus`. The
/// declaration order is the severity order, mildest first: the worst check wins the overall status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HealthState {
    /// `OK`: the check passes.
    Ok,
    /// `INITIALIZING`: the check has not run yet (a new instance).
    Initializing,
    /// `INSUFFICIENT_DATA`: the check cannot tell yet.
    InsufficientData,
    /// `IMPAIRED`: the check failed; with auto repair on, ECS replaces the instance.
    Impaired,
}

impl HealthState {
    /// The state as the ECS API spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            HealthState::Ok => "OK",
            HealthState::Initializing => "INITIALIZING",
            HealthState::InsufficientData => "INSUFFICIENT_DATA",
            HealthState::Impaired => "IMPAIRED",
        }
    }
}

/// The DAEMON check of `healthStatus.details[]`: the only check the simulator runs, so the
/// instance's `overallStatus` is its status (see [`DaemonHealth::overall_status`]). One record
/// feeds DescribeContainerInstances and the `ECS Container Instance Health Change` event alike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DaemonHealth {
    /// `INITIALIZING` until the instance first turns ACTIVE, then `OK` or `IMPAIRED`.
    pub status: HealthState,
    /// `statusReason`: why the check is in its state, when it is not OK.
    pub status_reason: Option<String>,
    /// `lastStatusChange`: when `status` last changed.
    pub last_status_change: u64,
    /// `lastUpdated`: when the check last ran.
    pub last_updated: u64,
}

impl DaemonHealth {
    /// The worst of the instance's checks (in [`HealthState`]'s order); with the DAEMON check
    /// the only one, its status.
    pub fn overall_status(&self) -> HealthState {
        self.status
    }
}

/// A container instance: an EC2 instance launched by a capacity provider and registered with a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContainerInstance {
    /// The engine's handle.
    pub key: InstanceKey,
    /// The container instance id (the last segment of its ARN).
    pub id: String,
    /// `containerInstanceArn`.
    pub arn: Arc<str>,
    /// `ec2InstanceId`, `i-` followed by 17 hex digits.
    pub ec2_instance_id: Arc<str>,
    /// The cluster it belongs to.
    pub cluster: String,
    /// The capacity provider that launched it.
    pub capacity_provider: String,
    /// The EC2 instance type.
    pub instance_type: &'static str,
    /// Where it is in its lifecycle.
    pub status: InstanceStatus,
    /// `registeredResources` CPU, in CPU units (1024 per vCPU).
    pub registered_cpu: u32,
    /// `registeredResources` memory, in MiB.
    pub registered_memory: u32,
    /// `remainingResources` CPU: registered minus what its live tasks reserve.
    pub remaining_cpu: u32,
    /// `remainingResources` memory, in MiB.
    pub remaining_memory: u32,
    /// When the EC2 instance was launched.
    pub launched_at: u64,
    /// `registeredAt`: when it registered with the cluster.
    pub registered_at: Option<u64>,
    /// When it first turned ACTIVE.
    pub activated_at: Option<u64>,
    /// When `status` last changed.
    pub status_changed_at: u64,
    /// The `DAEMON` health check of `healthStatus`.
    pub health: DaemonHealth,
    /// Tasks placed here (daemon and app), live or stopped while the instance lives.
    pub tasks: BTreeSet<TaskKey>,
    /// Daemon slots by daemon, decided when the EC2 instance boots.
    pub daemons: BTreeMap<DaemonKey, DaemonSlot>,
    /// Why it is draining, once it is.
    pub drain_cause: Option<DrainCause>,
    /// The instance this one replaces, when it was launched as a replacement.
    pub replacement_of: Option<InstanceKey>,
    /// The instance launched to replace this one.
    pub replaced_by: Option<InstanceKey>,
    /// App tasks promised to services while the EC2 instance is still launching: service → count.
    pub promised: BTreeMap<ServiceKey, u32>,
    /// Since when the instance has had no app task (the scale-in idle timer).
    pub idle_since: Option<u64>,
    /// Agent version counter (`version` of ContainerInstance); bumps on every change.
    pub version: u64,
    /// The cluster's ARN and the provider's name as events carry them, shared from creation on:
    /// every event would otherwise look both up by name.
    #[serde(skip)]
    pub(crate) cluster_arn: Arc<str>,
    #[serde(skip)]
    pub(crate) capacity_provider_name: Arc<str>,
}

impl ContainerInstance {
    /// [`InstanceStatus::as_str`] of its status.
    pub fn status_str(&self) -> &'static str {
        self.status.as_str()
    }
}
