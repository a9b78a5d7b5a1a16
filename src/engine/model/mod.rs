//! The simulated objects. Everything here is read-only outside the engine: the API layer reads
//! these structs to answer Describe*/List* calls. Timestamps are simulated epoch milliseconds.

mod daemon;
mod definition;
mod instance;
mod workload;

pub use daemon::*;
pub use definition::*;
pub use instance::*;
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::Arc;
pub(crate) use workload::TaskOrigin;
pub use workload::*;

pub use super::status::{
    AlarmState, CapacityProviderStatus, ClusterStatus, DaemonStatus, DefinitionStatus, DesiredStatus,
    MonitorStatus, ServiceStatus, TaskHealth,
};

/// Engine-internal handles: creation order, so iteration order is deterministic and meaningful.
pub type InstanceKey = u64;
/// Handle of a task in [`Simulation`](super::Simulation)'s tables.
pub type TaskKey = u64;
/// Handle of a service (or of one RunTask call's standalone tasks).
pub type ServiceKey = u64;
/// Handle of a daemon.
pub type DaemonKey = u64;
/// Handle of a daemon revision.
pub type RevisionKey = u64;
/// Handle of a daemon deployment.
pub type DeploymentKey = u64;

/// An ECS cluster: a name that groups capacity providers, instances, daemons and services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cluster {
    /// The cluster name, unique in the account and Region.
    pub name: String,
    /// `clusterArn`.
    pub arn: Arc<str>,
    /// Deleted clusters stay describable as INACTIVE.
    pub status: ClusterStatus,
    /// Names of the capacity providers associated with the cluster.
    pub capacity_providers: Vec<String>,
    /// Provider names of the default capacity provider strategy, in order.
    pub default_strategy: Vec<String>,
    /// When the cluster was created.
    pub created_at: u64,
}

/// An EC2 instance size picked from the provider's instance requirements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct InstanceSize {
    /// The EC2 instance type, such as `m6i.large`.
    pub instance_type: &'static str,
    /// vCPUs of the type.
    pub vcpu: u32,
    /// Memory of the type, in MiB.
    pub memory_mib: u32,
}

/// The sizes the simulated Managed Instances provider can launch, smallest first.
pub const INSTANCE_SIZES: &[InstanceSize] = &[
    InstanceSize { instance_type: "c6i.large", vcpu: 2, memory_mib: 4096 },
    InstanceSize { instance_type: "m6i.large", vcpu: 2, memory_mib: 8192 },
    InstanceSize { instance_type: "r6i.large", vcpu: 2, memory_mib: 16384 },
    InstanceSize { instance_type: "c6i.xlarge", vcpu: 4, memory_mib: 8192 },
    InstanceSize { instance_type: "m6i.xlarge", vcpu: 4, memory_mib: 16384 },
    InstanceSize { instance_type: "r6i.xlarge", vcpu: 4, memory_mib: 32768 },
    InstanceSize { instance_type: "c6i.2xlarge", vcpu: 8, memory_mib: 16384 },
    InstanceSize { instance_type: "m6i.2xlarge", vcpu: 8, memory_mib: 32768 },
    InstanceSize { instance_type: "c6i.4xlarge", vcpu: 16, memory_mib: 32768 },
    InstanceSize { instance_type: "m6i.4xlarge", vcpu: 16, memory_mib: 65536 },
    InstanceSize { instance_type: "c6i.8xlarge", vcpu: 32, memory_mib: 65536 },
    InstanceSize { instance_type: "m6i.8xlarge", vcpu: 32, memory_mib: 131072 },
];

/// The smallest size whose vCPU and memory fall inside both ranges.
pub fn pick_instance_size(vcpu: (u32, u32), memory_mib: (u32, u32)) -> Option<InstanceSize> {
    INSTANCE_SIZES.iter().copied().find(|s| {
        s.vcpu >= vcpu.0 && s.vcpu <= vcpu.1 && s.memory_mib >= memory_mib.0 && s.memory_mib <= memory_mib.1
    })
}

/// A Managed Instances capacity provider: where ECS launches, drains and replaces the instances daemons run
/// on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapacityProvider {
    /// The provider's name, unique in the account.
    pub name: String,
    /// `capacityProviderArn`.
    pub arn: Arc<str>,
    /// The cluster the provider belongs to.
    pub cluster: String,
    /// `DEPROVISIONING` once deleted while instances remain.
    pub status: CapacityProviderStatus,
    /// The instance size it launches, the smallest that fits its instance requirements.
    pub size: InstanceSize,
    /// `instanceRequirements.vCpuCount` as (min, max).
    pub vcpu_range: (u32, u32),
    /// `instanceRequirements.memoryMiB` as (min, max).
    pub memory_range: (u32, u32),
    /// Instances kept even when idle; 0 by default.
    pub min_instances: u32,
    /// The most live instances the provider launches; 10,000 by default.
    pub max_instances: u32,
    /// Whether the instance profile role carries `AmazonECSInstanceRolePolicyForManagedInstances`.
    pub instance_profile_ready: bool,
    /// Fault: EC2 launches fail (insufficient capacity).
    pub launch_blocked: bool,
    /// `infrastructureOptimization.scaleInAfter`: None = default, Some(-1) = off, else seconds.
    pub scale_in_after_s: Option<i64>,
    /// `autoRepairConfiguration.actionsStatus == ENABLED` (the default). ENABLED: an ACTIVE
    /// instance whose critical daemon task stops or turns unhealthy is marked IMPAIRED and
    /// replaced. DISABLED: ECS still monitors it and marks it IMPAIRED, but replaces nothing (the
    /// API reference, AutoRepairConfiguration); see `Simulation::auto_repair` for what else is
    /// held, and `Simulation::set_auto_repair` for switching it back on.
    pub auto_repair: bool,
    /// When the provider was created.
    pub created_at: u64,
    /// Has an instance of this provider booted yet (launches before that are cold ones).
    pub warmed: bool,
    /// Live instances (launching, registering, active, draining, deregistering).
    pub instances: BTreeSet<InstanceKey>,
}
