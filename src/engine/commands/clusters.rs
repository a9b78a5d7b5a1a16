//! Clusters and the capacity providers they use: CreateCluster, DeleteCluster,
//! PutClusterCapacityProviders.

use super::{capacity_provider_name, err, R};
use crate::engine::command::*;
use crate::engine::error::{EngineError, ErrorKind};
use crate::engine::model::*;
use crate::engine::sim::Simulation;
use std::sync::Arc;

impl Simulation {
    // ----- clusters and capacity providers ---------------------------------------------------------

    pub(super) fn cmd_create_cluster(&mut self, name: String) -> R<Outcome> {
        if name.is_empty()
            || name.len() > 255
            || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(EngineError::invalid(
                "clusterName: up to 255 letters, numbers, hyphens and underscores",
            ));
        }
        if let Some(c) = self.clusters.get(&name) {
            if c.status == ClusterStatus::Active {
                return Ok(Outcome::Cluster { arn: c.arn.to_string() });
            }
        }
        let arn: Arc<str> = Arc::from(self.scope.cluster(&name));
        let at = self.at();
        self.clusters.insert(
            name.clone(),
            Box::new(Cluster {
                name,
                arn: arn.clone(),
                status: ClusterStatus::Active,
                capacity_providers: vec![],
                default_strategy: vec![],
                created_at: at,
            }),
        );
        Ok(Outcome::Cluster { arn: arn.to_string() })
    }

    pub(super) fn cmd_delete_cluster(&mut self, cluster: &str) -> R<Outcome> {
        let name = self.active_cluster(cluster)?.name.clone();
        if self.services.values().any(|s| {
            s.cluster == name && s.kind == ServiceKind::Service && s.status != ServiceStatus::Inactive
        }) {
            return Err(err(
                ErrorKind::ClusterContainsServicesException,
                "The Cluster cannot be deleted while Services are active.",
            ));
        }
        // Our choice where AWS is silent: what is already being deleted (daemons DELETE_IN_PROGRESS,
        // instances DEREGISTERING, providers DEPROVISIONING) finishes on its own and does not block: the
        // tutorial's cleanup deletes the cluster two minutes after the daemon.
        if self.daemons.values().any(|d| d.cluster == name && d.status == DaemonStatus::Active) {
            return Err(err(
                ErrorKind::ClusterContainsServicesException,
                "The Cluster cannot be deleted while Daemons are active.",
            ));
        }
        let blocking = |i: &ContainerInstance| {
            i.cluster == name
                && !matches!(i.status, InstanceStatus::Terminated | InstanceStatus::Deregistering)
        };
        if self.fleet.values().any(blocking) {
            return Err(err(
                ErrorKind::ClusterContainsContainerInstancesException,
                "The Cluster cannot be deleted while Container Instances are active or draining.",
            ));
        }
        if self
            .capacity_providers
            .values()
            .any(|c| c.cluster == name && c.status == CapacityProviderStatus::Active)
        {
            return Err(err(
                ErrorKind::ResourceInUseException,
                "The Cluster cannot be deleted while capacity providers are associated with it.",
            ));
        }
        let c = self.clusters.get_mut(&name).expect("exists");
        c.status = ClusterStatus::Inactive;
        Ok(Outcome::Cluster { arn: c.arn.to_string() })
    }

    pub(super) fn cmd_put_cluster_cps(
        &mut self,
        cluster: &str,
        cps: Vec<String>,
        strategy: Vec<String>,
    ) -> R<Outcome> {
        let name = self.active_cluster(cluster)?.name.clone();
        let mut resolved = Vec::new();
        for cp in &cps {
            let cp_name = capacity_provider_name(cp);
            if matches!(cp_name, "FARGATE" | "FARGATE_SPOT") {
                resolved.push(cp_name.to_string());
                continue;
            }
            let n = self.cluster_cp(&name, cp, "capacityProviders")?;
            if !resolved.contains(&n) {
                resolved.push(n);
            }
        }
        let mut strat = Vec::new();
        for s in &strategy {
            let n = capacity_provider_name(s).to_string();
            if !resolved.contains(&n) {
                return Err(EngineError::invalid(format!(
                    "defaultCapacityProviderStrategy: {n} is not one of the cluster's capacity providers"
                )));
            }
            strat.push(n);
        }
        let c = self.clusters.get(&name).expect("exists");
        for old in &c.capacity_providers {
            if !resolved.contains(old) {
                let used = self
                    .services
                    .values()
                    .any(|s| &s.capacity_provider == old && s.status == ServiceStatus::Active)
                    || self
                        .daemons
                        .values()
                        .any(|d| d.status == DaemonStatus::Active && d.capacity_providers.contains(old));
                if used {
                    return Err(err(
                        ErrorKind::ResourceInUseException,
                        format!("capacityProviders: {old} is in use"),
                    ));
                }
            }
        }
        let c = self.clusters.get_mut(&name).expect("exists");
        c.capacity_providers = resolved;
        c.default_strategy = strat;
        Ok(Outcome::Cluster { arn: c.arn.to_string() })
    }
}
