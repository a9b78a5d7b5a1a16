//! Instances, tasks and services: launch, daemon-first registration, placement, drain-last and
//! the one replacement mechanism shared by deployments, auto-repair, scale-in and termination.
//!
//! By responsibility: `instances` (launch, boot, registration), `daemons` (daemon tasks on an
//! instance), `tasks` (the task lifecycle), `placement` (services onto instances), `drain`
//! (drain-last removal, replacement, idle scale-in) and `repair` (auto-repair, provider deletion).

mod daemons;
mod drain;
mod instances;
mod placement;
mod repair;
mod tasks;

pub(crate) const REASON_PULL: &str =
    "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref";
pub(crate) const REASON_ROLE: &str =
    "Instance role is missing AmazonECSInstanceRolePolicyForManagedInstances: \
the ECS agent cannot start daemon tasks (the legacy AmazonEC2ContainerServiceforEC2Role does not allow them)";

/// The short cause of a failure for the `reason` field: up to the first colon-separated detail.
fn reason_head(reason: &str) -> &str {
    match reason.find(": failed") {
        Some(i) => &reason[..i],
        None => reason,
    }
}
