//! Read-only accessors for the API's Describe*/List* calls and for viewers.

use super::commands::{capacity_provider_name, cluster_name, daemon_ref, definition_ref};
use super::model::*;
use super::sim::Simulation;

/// `currentRevisions[]` of DescribeDaemon and the per-revision counts of a deployment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RevisionCounts {
    /// The revision counted.
    pub revision: RevisionKey,
    /// `arn`: the revision's ARN.
    pub arn: String,
    /// Per capacity provider: (name, arn, running, draining, without daemon).
    pub capacity_providers: Vec<(String, String, u32, u32, u32)>,
    /// `totalRunningInstanceCount`: registered, not draining instances where the revision's daemon task is
    /// RUNNING.
    pub total_running: u32,
    /// `totalDrainingInstanceCount`: instances of the revision that are DRAINING or DEREGISTERING.
    pub total_draining: u32,
    /// `totalWithoutDaemonInstanceCount`: ACTIVE instances of the revision whose daemon task is not RUNNING
    /// (possible only for a non-critical daemon).
    pub total_without_daemon: u32,
}

impl Simulation {
    /// Every cluster, ACTIVE and INACTIVE, by name.
    pub fn clusters(&self) -> impl Iterator<Item = &Cluster> {
        self.clusters.values().map(|c| &**c)
    }
    /// By name or ARN.
    pub fn cluster(&self, name_or_arn: &str) -> Option<&Cluster> {
        self.clusters.get(cluster_name(name_or_arn)).map(|c| &**c)
    }
    /// Every capacity provider, by name.
    pub fn capacity_providers(&self) -> impl Iterator<Item = &CapacityProvider> {
        self.capacity_providers.values().map(|c| &**c)
    }
    /// By name or ARN.
    pub fn capacity_provider(&self, name_or_arn: &str) -> Option<&CapacityProvider> {
        self.capacity_providers.get(capacity_provider_name(name_or_arn)).map(|c| &**c)
    }
    /// Registered container instances of a cluster (REGISTERING … DEREGISTERING), launch order.
    pub fn container_instances<'a>(
        &'a self,
        cluster: &'a str,
    ) -> impl Iterator<Item = &'a ContainerInstance> + 'a {
        let cluster = cluster_name(cluster);
        self.fleet.values().filter(move |i| i.cluster == cluster && i.status.is_registered())
    }
    /// Every instance the simulation knows, including launching and terminated ones.
    pub fn all_instances(&self) -> impl Iterator<Item = &ContainerInstance> {
        self.fleet.values()
    }
    /// By container instance ARN or id.
    pub fn container_instance(&self, arn_or_id: &str) -> Option<&ContainerInstance> {
        let id = arn_or_id.rsplit('/').next().unwrap_or(arn_or_id);
        self.fleet.key_by_id(id).and_then(|k| self.fleet.get(&k))
    }
    /// By EC2 instance id (`i-…`).
    pub fn instance_by_ec2_id(&self, ec2: &str) -> Option<&ContainerInstance> {
        self.fleet.key_by_ec2(ec2).and_then(|k| self.fleet.get(&k))
    }
    /// By the engine's handle.
    pub fn instance(&self, key: InstanceKey) -> Option<&ContainerInstance> {
        self.fleet.get(&key)
    }
    /// (runningTasksCount, pendingTasksCount).
    pub fn task_counts(&self, instance: &ContainerInstance) -> (u32, u32) {
        self.instance_task_counts(instance)
    }

    /// Every daemon task definition revision, by family then revision.
    pub fn daemon_task_definitions(&self) -> impl Iterator<Item = &DaemonTaskDefinition> {
        self.daemon_task_definitions.values().map(|d| &**d)
    }
    /// By ARN, `family:revision` or `family` (latest ACTIVE revision).
    pub fn daemon_task_definition(&self, value: &str) -> Option<&DaemonTaskDefinition> {
        let (family, rev) = definition_ref(value, "daemon-task-definition");
        match rev {
            Some(r) => self.daemon_task_definitions.get(&(family.to_string(), r.parse().ok()?)).map(|d| &**d),
            None => self
                .daemon_task_definitions
                .range((family.to_string(), 0)..=(family.to_string(), u32::MAX))
                .rev()
                .map(|(_, d)| &**d)
                .find(|d| d.status == DefinitionStatus::Active),
        }
    }
    /// Every application task definition revision, by family then revision.
    pub fn task_definitions(&self) -> impl Iterator<Item = &TaskDefinition> {
        self.task_definitions.values().map(|d| &**d)
    }
    /// By ARN, `family:revision` or `family` (latest ACTIVE revision).
    pub fn task_definition(&self, value: &str) -> Option<&TaskDefinition> {
        let (family, rev) = definition_ref(value, "task-definition");
        match rev {
            Some(r) => self.task_definitions.get(&(family.to_string(), r.parse().ok()?)).map(|d| &**d),
            None => self
                .task_definitions
                .range((family.to_string(), 0)..=(family.to_string(), u32::MAX))
                .rev()
                .map(|(_, d)| &**d)
                .find(|d| d.status == DefinitionStatus::Active),
        }
    }

    /// Daemons not yet deleted, creation order.
    pub fn daemons(&self) -> impl Iterator<Item = &Daemon> {
        self.daemons.values().map(|d| &**d).filter(|d| !d.deleted)
    }
    /// By ARN (or `cluster/name`); None once deleted (DaemonNotFoundException).
    pub fn daemon(&self, arn: &str) -> Option<&Daemon> {
        let (cluster, name) = daemon_ref(arn)?;
        self.daemon_by_name
            .get(&(cluster.to_string(), name.to_string()))
            .and_then(|k| self.daemons.get(k))
            .map(|d| &**d)
    }
    /// By the engine's handle, deleted daemons included.
    pub fn daemon_by_key(&self, key: DaemonKey) -> Option<&Daemon> {
        self.daemons.get(&key).map(|d| &**d)
    }
    /// By revision ARN or id.
    pub fn daemon_revision(&self, arn: &str) -> Option<&DaemonRevision> {
        let id = arn.rsplit('/').next()?;
        self.revisions.values().map(|r| &**r).find(|r| r.id == id && *r.arn == *arn || r.id == arn)
    }
    /// By the engine's handle.
    pub fn revision(&self, key: RevisionKey) -> Option<&DaemonRevision> {
        self.revisions.get(&key).map(|r| &**r)
    }
    /// A daemon's deployments, newest first (ListDaemonDeployments order).
    pub fn daemon_deployments(&self, daemon: &Daemon) -> Vec<&Deployment> {
        daemon.deployments.iter().rev().filter_map(|k| self.deployments.get(k)).collect()
    }
    /// By deployment ARN or id.
    pub fn deployment(&self, arn: &str) -> Option<&Deployment> {
        let id = arn.rsplit('/').next()?;
        self.deployments.values().find(|d| d.id == id && (*d.arn == *arn || d.id == arn))
    }
    /// By the engine's handle.
    pub fn deployment_by_key(&self, key: DeploymentKey) -> Option<&Deployment> {
        self.deployments.get(&key)
    }
    /// Every deployment of every daemon, creation order.
    pub fn all_deployments(&self) -> impl Iterator<Item = &Deployment> {
        self.deployments.values()
    }

    /// Per-revision running / draining / without-daemon instance counts for a daemon across the
    /// given providers: DescribeDaemon's `currentRevisions` and a deployment's revision blocks.
    pub fn revision_counts(
        &self,
        daemon: DaemonKey,
        revision: RevisionKey,
        cps: &[String],
    ) -> RevisionCounts {
        let arn = self.revisions.get(&revision).map(|r| r.arn.to_string()).unwrap_or_default();
        let mut out = RevisionCounts {
            revision,
            arn,
            capacity_providers: Vec::new(),
            total_running: 0,
            total_draining: 0,
            total_without_daemon: 0,
        };
        for cp in cps {
            let Some(p) = self.capacity_providers.get(cp) else { continue };
            let (mut running, mut draining, mut without) = (0, 0, 0);
            for i in p.instances.iter().filter_map(|k| self.fleet.get(k)) {
                if !i.status.is_registered() {
                    continue;
                }
                match i.daemons.get(&daemon) {
                    Some(slot) if slot.revision == revision => {
                        let runs = slot
                            .task
                            .and_then(|t| self.tasks.get(&t))
                            .map(|t| t.last_status == TaskStatus::Running)
                            .unwrap_or(false);
                        if i.status == InstanceStatus::Draining || i.status == InstanceStatus::Deregistering {
                            draining += 1;
                        } else if runs {
                            running += 1;
                        } else if i.status == InstanceStatus::Active {
                            without += 1;
                        }
                    }
                    _ => {}
                }
            }
            out.capacity_providers.push((cp.clone(), p.arn.to_string(), running, draining, without));
            out.total_running += running;
            out.total_draining += draining;
            out.total_without_daemon += without;
        }
        out
    }

    /// Revisions currently present on instances of the daemon, newest revision first.
    pub fn current_revisions(&self, daemon: &Daemon) -> Vec<RevisionCounts> {
        let mut revs: Vec<RevisionKey> = Vec::new();
        for cp in &daemon.capacity_providers {
            if let Some(p) = self.capacity_providers.get(cp) {
                for i in p.instances.iter().filter_map(|k| self.fleet.get(k)) {
                    if let Some(slot) = i.daemons.get(&daemon.key) {
                        if !revs.contains(&slot.revision) {
                            revs.push(slot.revision);
                        }
                    }
                }
            }
        }
        if revs.is_empty() {
            revs.push(daemon.current_revision);
        }
        // Ascending then reversed, not sorted by a descending closure: the bundle already has the
        // unstable sort of plain u64s (release wasm size).
        revs.sort_unstable();
        revs.reverse();
        revs.into_iter().map(|r| self.revision_counts(daemon.key, r, &daemon.capacity_providers)).collect()
    }

    /// Services (CreateService ones; RunTask groups excluded) of a cluster.
    pub fn services<'a>(&'a self, cluster: &'a str) -> impl Iterator<Item = &'a Service> + 'a {
        let cluster = cluster_name(cluster);
        self.services
            .values()
            .map(|s| &**s)
            .filter(move |s| s.cluster == cluster && s.kind == ServiceKind::Service)
    }
    /// A CreateService service of `cluster`, by name or ARN.
    pub fn service(&self, cluster: &str, name_or_arn: &str) -> Option<&Service> {
        let name = name_or_arn.rsplit('/').next()?;
        self.service_by_name
            .get(&(cluster_name(cluster).to_string(), name.to_string()))
            .and_then(|k| self.services.get(k))
            .map(|s| &**s)
    }
    /// By the engine's handle (a service or a RunTask call's tasks).
    pub fn service_by_key(&self, key: ServiceKey) -> Option<&Service> {
        self.services.get(&key).map(|s| &**s)
    }

    /// Every task of a cluster (stopped ones included), creation order.
    pub fn tasks<'a>(&'a self, cluster: &'a str) -> impl Iterator<Item = &'a Task> + 'a {
        let cluster = cluster_name(cluster);
        self.tasks.values().filter(move |t| t.cluster == cluster)
    }
    /// By task ARN or id.
    pub fn task(&self, arn_or_id: &str) -> Option<&Task> {
        let id = arn_or_id.rsplit('/').next()?;
        self.tasks.key_by_id(id).and_then(|k| self.tasks.get(&k))
    }
    /// By the engine's handle.
    pub fn task_by_key(&self, key: TaskKey) -> Option<&Task> {
        self.tasks.get(&key)
    }
    /// The daemon name of a daemon task (ListTasks `daemonName` filter).
    pub fn task_daemon_name(&self, task: &Task) -> Option<&str> {
        match task.owner {
            TaskOwner::Daemon { daemon, .. } => self.daemons.get(&daemon).map(|d| d.name.as_str()),
            TaskOwner::Service(_) => None,
        }
    }

    /// Every CloudWatch alarm, by name.
    pub fn alarms(&self) -> impl Iterator<Item = &Alarm> {
        self.alarms.values().map(|a| &**a)
    }
    /// By alarm name.
    pub fn alarm(&self, name: &str) -> Option<&Alarm> {
        self.alarms.get(name).map(|a| &**a)
    }
    /// Whether some service waits for room on `capacity_provider` (a name or ARN): none of its
    /// instances could take the service's task and none could be launched for it. A deployment
    /// that waits on a provider at its instance ceiling is stalled by capacity, as AWS's would be,
    /// only while this holds; the seed sweep's liveness check excuses exactly that case.
    pub fn has_starving_services(&self, capacity_provider: &str) -> bool {
        self.starving.get(capacity_provider_name(capacity_provider)).is_some_and(|s| !s.is_empty())
    }

    /// The images whose pulls the `sim fault image-pull` fault makes fail.
    pub fn unpullable_images(&self) -> impl Iterator<Item = &String> {
        self.unpullable_images.iter()
    }
}
