//! Daemons, their revisions and deployments, and the deployment defaults and limits.

use super::*;
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::Arc;

/// drainPercent when a deployment configuration gives none (AWS API reference:
/// DaemonDeploymentConfiguration, default 25). The one owner: the API, the sweep and the benchmark
/// refer to it.
pub const DEFAULT_DRAIN_PERCENT: f64 = 25.0;

/// The longest bake time a deployment configuration accepts, in minutes (AWS API reference:
/// DaemonDeploymentConfiguration, `bakeTimeInMinutes` 0–1440).
pub const MAX_BAKE_TIME_MINUTES: u32 = 1440;

/// The longest `infrastructureOptimization.scaleInAfter` a Managed Instances provider accepts, in
/// seconds (-1 turns scale-in off; AWS API reference: InfrastructureOptimization, 0–3600).
pub const MAX_SCALE_IN_AFTER_SECONDS: i64 = 3600;

/// `deploymentConfiguration` with defaults filled in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeploymentConfig {
    /// `drainPercent`: the share of the daemon's instances drained at once, 0–100; [`DEFAULT_DRAIN_PERCENT`]
    /// when absent.
    pub drain_percent: f64,
    /// `bakeTimeInMinutes`: how long to keep watching after the last instance is replaced, before SUCCESSFUL,
    /// 0–[`MAX_BAKE_TIME_MINUTES`]; 0 when absent.
    pub bake_time_in_minutes: u32,
    /// `alarms.alarmNames`: the CloudWatch alarms that roll the deployment back.
    pub alarm_names: Vec<String>,
    /// `alarms.enable`: whether those alarms are watched; false when absent.
    pub alarms_enabled: bool,
}

impl Default for DeploymentConfig {
    fn default() -> Self {
        DeploymentConfig {
            drain_percent: DEFAULT_DRAIN_PERCENT,
            bake_time_in_minutes: 0,
            alarm_names: Vec::new(),
            alarms_enabled: false,
        }
    }
}

/// A daemon: one task of its revision on every instance of its capacity providers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Daemon {
    /// The engine's handle.
    pub key: DaemonKey,
    /// `daemonName`, unique in the cluster.
    pub name: String,
    /// `daemonArn`.
    pub arn: Arc<str>,
    /// The cluster it runs in.
    pub cluster: String,
    /// `ACTIVE`, or `DELETE_IN_PROGRESS` once DeleteDaemon is called.
    pub status: DaemonStatus,
    /// Names of the capacity providers whose instances run it.
    pub capacity_providers: Vec<String>,
    /// The revision new instances get: the latest deployment's target (or its rollback target).
    pub current_revision: RevisionKey,
    /// Its revisions, oldest first.
    pub revisions: Vec<RevisionKey>,
    /// Its deployments, oldest first.
    pub deployments: Vec<DeploymentKey>,
    /// `createdAt`.
    pub created_at: u64,
    /// `updatedAt`: the last CreateDaemon, UpdateDaemon or DeleteDaemon.
    pub updated_at: u64,
    /// Its tags as (key, value).
    pub tags: Vec<(String, String)>,
    /// The delete deployment finished: DescribeDaemon answers DaemonNotFoundException.
    pub deleted: bool,
    /// `group` and `startedBy` of its tasks (`daemon:NAME`, `daemon/NAME`), made once.
    #[serde(skip)]
    pub(crate) task_group: Arc<str>,
    #[serde(skip)]
    pub(crate) task_started_by: Arc<str>,
}

/// Immutable snapshot of a daemon's configuration, one per deployment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DaemonRevision {
    /// The engine's handle.
    pub key: RevisionKey,
    /// The revision id (the last segment of its ARN).
    pub id: String,
    /// `daemonRevisionArn`.
    pub arn: Arc<str>,
    /// The daemon it belongs to.
    pub daemon: DaemonKey,
    /// The daemon's cluster.
    pub cluster: String,
    /// `daemonTaskDefinitionArn`: the daemon task definition it runs.
    pub daemon_task_definition: Arc<str>,
    /// The capacity providers the daemon ran on when the revision was taken.
    pub capacity_providers: Vec<String>,
    /// (containerName, image, imageDigest)
    pub container_images: Vec<(String, String, String)>,
    /// `propagateTags`: `DAEMON` or `NONE`.
    pub propagate_tags: String,
    /// `enableECSManagedTags`.
    pub enable_ecs_managed_tags: bool,
    /// `enableExecuteCommand`.
    pub enable_execute_command: bool,
    /// `critical`: an instance is ACTIVE only once this daemon's task runs, and is repaired when it fails.
    pub critical: bool,
    /// `createdAt`.
    pub created_at: u64,
    /// CPU units a task of this revision reserves.
    pub cpu: u32,
    /// Memory in MiB a task of this revision reserves.
    pub memory: u32,
    /// Whether a container has a health check: then a daemon task counts as ready on its instance only once
    /// HEALTHY.
    pub has_health_check: bool,
    /// (containerName, image) of `container_images`, shared by every task of the revision.
    #[serde(skip)]
    pub(crate) task_images: Arc<[(String, String)]>,
}

/// `DaemonDeploymentStatus`: where a daemon deployment is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum DeploymentStatus {
    /// `PENDING`: created and preparing; no instance is drained yet.
    Pending,
    /// `IN_PROGRESS`: instances are being drained and replaced in batches, or the bake time is running.
    InProgress,
    /// `SUCCESSFUL`: every instance in scope runs the target revision and the bake time has passed.
    Successful,
    /// `STOPPED`: replaced by a newer deployment of the same daemon, or failed without rollback; instances
    /// may be left on mixed revisions.
    Stopped,
    /// `STOP_REQUESTED`: the circuit breaker or an alarm stopped it; a rollback is about to start.
    StopRequested,
    /// `ROLLBACK_IN_PROGRESS`: instances are being returned to the source revision.
    RollbackInProgress,
    /// `ROLLBACK_SUCCESSFUL`: every instance runs the source revision again.
    RollbackSuccessful,
    /// `ROLLBACK_FAILED`: the rollback itself could not finish.
    RollbackFailed,
}

impl DeploymentStatus {
    /// The status as the ECS API spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            DeploymentStatus::Pending => "PENDING",
            DeploymentStatus::InProgress => "IN_PROGRESS",
            DeploymentStatus::Successful => "SUCCESSFUL",
            DeploymentStatus::Stopped => "STOPPED",
            DeploymentStatus::StopRequested => "STOP_REQUESTED",
            DeploymentStatus::RollbackInProgress => "ROLLBACK_IN_PROGRESS",
            DeploymentStatus::RollbackSuccessful => "ROLLBACK_SUCCESSFUL",
            DeploymentStatus::RollbackFailed => "ROLLBACK_FAILED",
        }
    }
    /// The `eventName` of the `ECS Daemon Deployment State Change` event announcing this status.
    pub fn event_name(self) -> &'static str {
        match self {
            DeploymentStatus::Pending => "DAEMON_DEPLOYMENT_PENDING",
            DeploymentStatus::InProgress => "DAEMON_DEPLOYMENT_IN_PROGRESS",
            DeploymentStatus::Successful => "DAEMON_DEPLOYMENT_SUCCESSFUL",
            DeploymentStatus::Stopped => "DAEMON_DEPLOYMENT_STOPPED",
            DeploymentStatus::StopRequested => "DAEMON_DEPLOYMENT_STOP_REQUESTED",
            DeploymentStatus::RollbackInProgress => "DAEMON_DEPLOYMENT_ROLLBACK_IN_PROGRESS",
            DeploymentStatus::RollbackSuccessful => "DAEMON_DEPLOYMENT_ROLLBACK_SUCCESSFUL",
            DeploymentStatus::RollbackFailed => "DAEMON_DEPLOYMENT_ROLLBACK_FAILED",
        }
    }
    /// Whether the deployment has ended (SUCCESSFUL, STOPPED, ROLLBACK_SUCCESSFUL or ROLLBACK_FAILED).
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            DeploymentStatus::Successful
                | DeploymentStatus::Stopped
                | DeploymentStatus::RollbackSuccessful
                | DeploymentStatus::RollbackFailed
        )
    }
}

/// `circuitBreaker` of a daemon deployment: counts daemon tasks that failed to start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CircuitBreaker {
    /// `failureCount`: daemon tasks that failed to start during this deployment.
    pub failure_count: u32,
    /// `status`: `MONITORING` while the deployment runs, `MONITORING_COMPLETE` once it ends, `TRIGGERED`
    /// once `failureCount` reached the threshold.
    pub status: MonitorStatus,
    /// `threshold`: the failures that trigger a rollback (see
    /// [`circuit_breaker_threshold`](crate::engine::circuit_breaker_threshold)).
    pub threshold: u32,
}

/// `alarms` of a daemon deployment: the CloudWatch alarms watched while it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlarmMonitor {
    /// `status`: `DISABLED`, `MONITORING`, `MONITORING_COMPLETE` or `TRIGGERED`.
    pub status: MonitorStatus,
    /// `alarmNames`: the alarms watched.
    pub alarm_names: Vec<String>,
    /// `triggeredAlarmNames`: the alarms that went to ALARM and stopped the deployment.
    pub triggered_alarm_names: Vec<String>,
    /// Alarms already in ALARM when the deployment began: ignored until they leave ALARM.
    pub ignored: BTreeSet<String>,
}

/// `rollback` of a daemon deployment: what it is rolling back to and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rollback {
    /// `reason`: why the rollback began (the circuit breaker or the alarms that triggered).
    pub reason: String,
    /// `startedAt`: when the rollback began.
    pub started_at: u64,
    /// The source revision instances are returned to.
    pub target_revision: RevisionKey,
    /// The capacity providers the source revision ran on.
    pub capacity_providers: Vec<String>,
}

/// One DescribeDaemonDeployments record (AWS API reference: DescribeDaemonDeployments) plus the engine's
/// working state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deployment {
    /// The engine's handle.
    pub key: DeploymentKey,
    /// The deployment id (the last segment of its ARN).
    pub id: String,
    /// `daemonDeploymentArn`.
    pub arn: Arc<str>,
    /// The daemon it deploys.
    pub daemon: DaemonKey,
    /// The daemon's cluster.
    pub cluster: String,
    /// Where the deployment is in its lifecycle.
    pub status: DeploymentStatus,
    /// `statusReason`: why it is in its status, when there is something to say.
    pub status_reason: Option<String>,
    /// The revision being rolled out (for a delete deployment: the daemon's last revision, which the
    /// replacements come up *without*).
    pub target_revision: RevisionKey,
    /// `sourceDaemonRevisions`: the revisions the instances ran when it started.
    pub source_revisions: Vec<RevisionKey>,
    /// True for the deployment DeleteDaemon creates.
    pub removes_daemon: bool,
    /// The capacity providers whose instances are in scope.
    pub capacity_providers: Vec<String>,
    /// `deploymentConfiguration`, defaults filled in.
    pub config: DeploymentConfig,
    /// `circuitBreaker`.
    pub circuit_breaker: CircuitBreaker,
    /// `alarms`.
    pub alarms: AlarmMonitor,
    /// `rollback`, once one began.
    pub rollback: Option<Rollback>,
    /// `createdAt`: when UpdateDaemon, CreateDaemon or DeleteDaemon created it.
    pub created_at: u64,
    /// `startedAt`: when it went IN_PROGRESS.
    pub started_at: Option<u64>,
    /// `stoppedAt`: when it went STOPPED.
    pub stopped_at: Option<u64>,
    /// `finishedAt`: when it reached SUCCESSFUL or ended its rollback.
    pub finished_at: Option<u64>,
    /// Instances in scope when the deployment started (N of the batch rule).
    pub instances_in_scope: u32,
    /// Batch size currently applied (`batch_size(N, drainPercent)`).
    pub batch_size: u32,
    /// Instances still to replace, in selection order.
    pub todo: BTreeSet<InstanceKey>,
    /// Instances this deployment is replacing now (the sliding window).
    pub draining: BTreeSet<InstanceKey>,
    /// Number of instances replaced so far.
    pub replaced: u32,
    /// When the bake window ends, once started.
    pub bake_until: Option<u64>,
    /// Failed launches of the rollback target while rolling back.
    pub rollback_failures: u32,
    /// Largest window the current `draining` members were admitted under: equals `batch_size`
    /// except right after a superseded deployment's drains were adopted or drainPercent lowered
    /// (then no instance is admitted until the window is below the batch size again).
    pub window_limit: u32,
}

impl Deployment {
    /// Whether it is still running (not in a terminal status).
    pub fn is_active(&self) -> bool {
        !self.status.is_terminal()
    }
    /// The revision instances should end up on in the current phase (rollback target when rolling back).
    pub fn phase_target(&self) -> RevisionKey {
        self.rollback.as_ref().map(|r| r.target_revision).unwrap_or(self.target_revision)
    }
}
