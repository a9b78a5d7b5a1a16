//! Daemon task definitions and task definitions: register, resolve, delete.

use super::{definition_ref, err, R};
use crate::engine::command::*;
use crate::engine::error::{EngineError, ErrorKind};
use crate::engine::model::*;
use crate::engine::sim::Simulation;
use std::collections::BTreeMap;
use std::sync::Arc;

impl Simulation {
    // ----- definitions -----------------------------------------------------------------------------

    pub(super) fn check_containers(containers: &[ContainerSpec]) -> R<()> {
        if containers.is_empty() {
            return Err(EngineError::invalid(
                "containerDefinitions: at least one container definition is required",
            ));
        }
        if !containers.iter().any(|c| c.essential) {
            return Err(EngineError::client(
                "containerDefinitions: at least one container must be essential",
            ));
        }
        for c in containers {
            if c.image.is_empty() {
                return Err(EngineError::invalid(format!(
                    "containerDefinitions.{}.image must not be empty",
                    c.name
                )));
            }
        }
        Ok(())
    }

    /// The family's next revision in `definitions` (1 for a new family), once the family name and
    /// the containers pass the checks both register actions make.
    fn next_revision<V>(
        definitions: &BTreeMap<(String, u32), V>,
        family: &str,
        containers: &[ContainerSpec],
    ) -> R<u32> {
        if family.is_empty() || family.len() > 255 {
            return Err(EngineError::invalid("family: must be 1-255 characters"));
        }
        Self::check_containers(containers)?;
        let last = definitions
            .range((family.to_string(), 0)..=(family.to_string(), u32::MAX))
            .next_back()
            .map(|(k, _)| k.1)
            .unwrap_or(0);
        Ok(last + 1)
    }

    pub(super) fn cmd_register_dtd(&mut self, c: RegisterDaemonTaskDefinition) -> R<Outcome> {
        let revision = Self::next_revision(&self.daemon_task_definitions, &c.family, &c.containers)?;
        if revision > 1_000_000 {
            return Err(err(
                ErrorKind::LimitExceededException,
                "family: revision limit of 1,000,000 reached",
            ));
        }
        let arn: Arc<str> = Arc::from(self.scope.daemon_task_definition(&c.family, revision));
        let at = self.at();
        self.daemon_task_definitions.insert(
            (c.family.clone(), revision),
            Box::new(DaemonTaskDefinition {
                arn: arn.clone(),
                family: c.family,
                revision,
                cpu: c.cpu,
                memory: c.memory,
                containers: c.containers,
                status: DefinitionStatus::Active,
                registered_at: at,
                delete_requested_at: None,
                document: c.document,
            }),
        );
        Ok(Outcome::DaemonTaskDefinition { arn: arn.to_string() })
    }

    pub(super) fn cmd_delete_dtd(&mut self, value: &str) -> R<Outcome> {
        let (family, rev) = definition_ref(value, "daemon-task-definition");
        let Some(rev) = rev.and_then(|r| r.parse::<u32>().ok()) else {
            return Err(EngineError::invalid(
                "daemonTaskDefinition: a revision is required (family:revision or ARN)",
            ));
        };
        let at = self.at();
        let d = self
            .daemon_task_definitions
            .get_mut(&(family.to_string(), rev))
            .ok_or_else(|| EngineError::client(format!("daemonTaskDefinition: {value} not found")))?;
        if d.status != DefinitionStatus::Active {
            return Err(EngineError::client(format!("daemonTaskDefinition: {value} is not ACTIVE")));
        }
        d.status = DefinitionStatus::DeleteInProgress;
        d.delete_requested_at = Some(at);
        let arn = d.arn.to_string();
        self.settle_dtd_deletions();
        Ok(Outcome::DaemonTaskDefinition { arn })
    }

    pub(super) fn cmd_register_td(&mut self, c: RegisterTaskDefinition) -> R<Outcome> {
        let revision = Self::next_revision(&self.task_definitions, &c.family, &c.containers)?;
        let arn: Arc<str> = Arc::from(self.scope.task_definition(&c.family, revision));
        let at = self.at();
        self.task_definitions.insert(
            (c.family.clone(), revision),
            Box::new(TaskDefinition {
                arn: arn.clone(),
                family: c.family,
                revision,
                cpu: c.cpu,
                memory: c.memory,
                containers: c.containers,
                status: DefinitionStatus::Active,
                registered_at: at,
                document: c.document,
            }),
        );
        Ok(Outcome::TaskDefinition { arn: arn.to_string() })
    }
}
