//! Daemon task definitions and task definitions, with the containers the engine acts on.

use super::*;
use serde::Serialize;
use std::sync::Arc;

/// A container of a daemon task definition (the fields the engine acts on; the API keeps the rest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContainerSpec {
    /// The container's name, unique in its task definition.
    pub name: String,
    /// The image it runs.
    pub image: String,
    /// Whether the task stops when this container stops.
    pub essential: bool,
    /// Container-level CPU units, if reserved.
    pub cpu: Option<u32>,
    /// Hard memory limit in MiB.
    pub memory: Option<u32>,
    /// Soft memory limit (reservation) in MiB.
    pub memory_reservation: Option<u32>,
    /// The container's health check, if any.
    pub health_check: Option<HealthCheck>,
}

/// A container health check, with the defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthCheck {
    /// `["CMD", …]` or `["CMD-SHELL", "…"]`.
    pub command: Vec<String>,
    /// Seconds between checks (5–300, default 30).
    pub interval_s: u32,
    /// Seconds one check may take (2–60, default 5).
    pub timeout_s: u32,
    /// Consecutive failures before the container is UNHEALTHY (1–10, default 3).
    pub retries: u32,
    /// Grace seconds after start during which failures do not count (0–300, default 0).
    pub start_period_s: u32,
}

/// Task-level cpu/memory, or the container values summed when the task level is absent (our
/// choice where AWS is silent: a task fits when the remaining CPU and memory cover both).
pub fn task_resources(cpu: Option<u32>, memory: Option<u32>, containers: &[ContainerSpec]) -> (u32, u32) {
    let cpu = cpu.unwrap_or_else(|| containers.iter().map(|c| c.cpu.unwrap_or(0)).sum());
    let memory = memory
        .unwrap_or_else(|| containers.iter().map(|c| c.memory.or(c.memory_reservation).unwrap_or(0)).sum());
    (cpu, memory)
}

/// A daemon task definition revision: what a daemon's tasks run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DaemonTaskDefinition {
    /// `daemonTaskDefinitionArn`.
    pub arn: Arc<str>,
    /// The family the revision belongs to.
    pub family: String,
    /// The revision number within the family, from 1.
    pub revision: u32,
    /// Task-level CPU units, if given.
    pub cpu: Option<u32>,
    /// Task-level memory in MiB, if given.
    pub memory: Option<u32>,
    /// Its containers, in definition order.
    pub containers: Vec<ContainerSpec>,
    /// `ACTIVE`, or `DELETE_IN_PROGRESS` after DeleteDaemonTaskDefinition.
    pub status: DefinitionStatus,
    /// `registeredAt`.
    pub registered_at: u64,
    /// `deleteRequestedAt`: when DeleteDaemonTaskDefinition was called.
    pub delete_requested_at: Option<u64>,
    /// The API's full request document, kept for DescribeDaemonTaskDefinition.
    pub document: serde_json::Value,
}

impl DaemonTaskDefinition {
    /// The (CPU units, MiB) a task reserves on its instance (see [`task_resources`]).
    pub fn resources(&self) -> (u32, u32) {
        task_resources(self.cpu, self.memory, &self.containers)
    }
    /// Whether any container has a health check: then a daemon task counts as ready on its instance only once
    /// HEALTHY.
    pub fn has_health_check(&self) -> bool {
        self.containers.iter().any(|c| c.health_check.is_some())
    }
}

/// An application task definition revision: what services and RunTask tasks run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskDefinition {
    /// `taskDefinitionArn`.
    pub arn: Arc<str>,
    /// The family the revision belongs to.
    pub family: String,
    /// The revision number within the family, from 1.
    pub revision: u32,
    /// Task-level CPU units, if given.
    pub cpu: Option<u32>,
    /// Task-level memory in MiB, if given.
    pub memory: Option<u32>,
    /// Its containers, in definition order.
    pub containers: Vec<ContainerSpec>,
    /// `ACTIVE` (the simulator has no DeregisterTaskDefinition).
    pub status: DefinitionStatus,
    /// `registeredAt`.
    pub registered_at: u64,
    /// The API's full request document, kept for DescribeTaskDefinition.
    pub document: serde_json::Value,
}

impl TaskDefinition {
    /// The (CPU units, MiB) a task reserves on its instance (see [`task_resources`]).
    pub fn resources(&self) -> (u32, u32) {
        task_resources(self.cpu, self.memory, &self.containers)
    }
}
