//! Services and standalone tasks: create, scale, deploy, delete, RunTask, StopTask.

use super::{err, R};
use crate::engine::arn::last_segment;
use crate::engine::command::*;
use crate::engine::error::{EngineError, ErrorKind};
use crate::engine::model::*;
use crate::engine::sim::Simulation;
use std::sync::Arc;

impl Simulation {
    // ----- services and tasks ------------------------------------------------------------------------

    pub(super) fn service_cp(&self, cluster: &str, cp: &Option<String>) -> R<String> {
        match cp {
            Some(cp) => self.cluster_cp(cluster, cp, "capacityProviderStrategy"),
            None => {
                let c = &self.clusters[cluster];
                c.default_strategy.first().cloned().filter(|n| self.capacity_providers.contains_key(n)).ok_or_else(|| {
                    EngineError::invalid(
                        "capacityProviderStrategy: no capacity provider given and the cluster has no default strategy",
                    )
                })
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn new_service(
        &mut self,
        kind: ServiceKind,
        cluster: &str,
        name: &str,
        group: String,
        cp: String,
        td: (Arc<str>, u32, u32),
        desired: u32,
        min: u32,
        max: u32,
    ) -> ServiceKey {
        let key = self.key();
        let arn: Arc<str> = Arc::from(self.scope.service(cluster, name));
        let at = self.at();
        let task_started_by: Arc<str> = match kind {
            ServiceKind::Service => Arc::from(["ecs-svc/", &arn[arn.len().saturating_sub(19)..]].concat()),
            ServiceKind::Standalone => Arc::from(""),
        };
        let task_images = self
            .task_definition_by_arn(&td.0)
            .map(|td| td.containers.iter().map(|c| (c.name.clone(), c.image.clone())).collect())
            .unwrap_or_default();
        self.services.insert(
            key,
            Box::new(Service {
                key,
                kind,
                name: name.to_string(),
                arn,
                cluster: cluster.to_string(),
                capacity_provider: cp,
                task_definition: td.0,
                status: ServiceStatus::Active,
                desired_count: desired,
                minimum_healthy_percent: min,
                maximum_percent: max,
                group: Arc::from(group),
                created_at: at,
                live: Default::default(),
                running_count: 0,
                healthy_count: 0,
                on_draining: Default::default(),
                outdated: Default::default(),
                promised: Default::default(),
                promised_count: 0,
                retry_at: 0,
                cpu: td.1,
                memory: td.2,
                task_started_by,
                task_images,
            }),
        );
        self.hungry.insert(key);
        key
    }

    pub(super) fn cmd_create_service(&mut self, c: CreateService) -> R<Outcome> {
        let cluster = self.active_cluster(&c.cluster)?.name.clone();
        if c.service_name.is_empty() || c.service_name.len() > 255 {
            return Err(EngineError::invalid("serviceName: must be 1-255 characters"));
        }
        if let Some(&k) = self.service_by_name.get(&(cluster.clone(), c.service_name.clone())) {
            if self.services[&k].status != ServiceStatus::Inactive {
                return Err(EngineError::invalid("serviceName: Creation of service was not idempotent."));
            }
        }
        let td = self.find_td(&c.task_definition)?;
        let (cpu, memory) = td.resources();
        let td = (td.arn.clone(), cpu, memory);
        let cp = self.service_cp(&cluster, &c.capacity_provider)?;
        let min = c.minimum_healthy_percent.unwrap_or(100);
        let max = c.maximum_percent.unwrap_or(200);
        if max < 100 || min > 100 || max < min {
            return Err(EngineError::invalid(
                "deploymentConfiguration: maximumPercent ≥ 100 ≥ minimumHealthyPercent required",
            ));
        }
        let group = format!("service:{}", c.service_name);
        let key = self.new_service(
            ServiceKind::Service,
            &cluster,
            &c.service_name,
            group,
            cp,
            td,
            c.desired_count,
            min,
            max,
        );
        self.service_by_name.insert((cluster, c.service_name), key);
        Ok(Outcome::Service { arn: self.services[&key].arn.to_string() })
    }

    pub(super) fn find_service(&self, cluster: &str, service: &str) -> R<ServiceKey> {
        let name = last_segment(service);
        self.service_by_name
            .get(&(cluster.to_string(), name.to_string()))
            .copied()
            .ok_or_else(|| err(ErrorKind::ServiceNotFoundException, format!("Service not found: {name}")))
    }

    pub(super) fn cmd_update_service(
        &mut self,
        cluster: &str,
        service: &str,
        desired: Option<u32>,
    ) -> R<Outcome> {
        let cluster = self.active_cluster(cluster)?.name.clone();
        let key = self.find_service(&cluster, service)?;
        let s = self.services.get_mut(&key).expect("exists");
        if s.status != ServiceStatus::Active {
            return Err(err(
                ErrorKind::ServiceNotActiveException,
                format!("Service {} is not ACTIVE", s.name),
            ));
        }
        if let Some(d) = desired {
            s.desired_count = d;
        }
        self.hungry.insert(key);
        Ok(Outcome::Service { arn: self.services[&key].arn.to_string() })
    }

    /// A service deployment: the service's task definition (and its deployment configuration)
    /// change, and every live task of another task definition is replaced rolling. Tasks not yet
    /// RUNNING stop at once; RUNNING ones stay until replacements are healthy, within
    /// maximumPercent tasks in all and minimumHealthyPercent healthy ones (the rules the service
    /// already follows for tasks on draining instances).
    pub(super) fn cmd_deploy_service(&mut self, c: DeployService) -> R<Outcome> {
        let cluster = self.active_cluster(&c.cluster)?.name.clone();
        let key = self.find_service(&cluster, &c.service)?;
        let s = &self.services[&key];
        if s.status != ServiceStatus::Active {
            return Err(err(
                ErrorKind::ServiceNotActiveException,
                format!("Service {} is not ACTIVE", s.name),
            ));
        }
        let min = c.minimum_healthy_percent.unwrap_or(s.minimum_healthy_percent);
        let max = c.maximum_percent.unwrap_or(s.maximum_percent);
        if max < 100 || min > 100 || max < min {
            return Err(EngineError::invalid(
                "deploymentConfiguration: maximumPercent ≥ 100 ≥ minimumHealthyPercent required",
            ));
        }
        let td = match &c.task_definition {
            Some(reference) => {
                let td = self.find_td(reference)?;
                let (cpu, memory) = td.resources();
                let images: Vec<_> =
                    td.containers.iter().map(|x| (x.name.clone(), x.image.clone())).collect();
                Some((td.arn.clone(), cpu, memory, images))
            }
            None => None,
        };
        let s = self.services.get_mut(&key).expect("exists");
        s.minimum_healthy_percent = min;
        s.maximum_percent = max;
        if let Some((arn, cpu, memory, images)) = td {
            s.task_definition = arn;
            s.cpu = cpu;
            s.memory = memory;
            s.task_images = images.into();
        }
        let current = s.task_definition.clone();
        let old: Vec<TaskKey> = s
            .live
            .iter()
            .copied()
            .filter(|t| self.tasks.get(t).is_some_and(|t| t.task_definition != current))
            .collect();
        let reason = format!("Scaling activity initiated by (deployment {})", s.task_started_by);
        for t in old {
            let running = self.tasks.get(&t).is_some_and(|t| t.last_status == TaskStatus::Running);
            let s = self.services.get_mut(&key).expect("exists");
            if running {
                s.on_draining.insert(t);
                s.outdated.insert(t);
            } else {
                self.begin_stop(t, StopCause::Scheduler, Some("ServiceSchedulerInitiated"), &reason);
            }
        }
        self.hungry.insert(key);
        Ok(Outcome::Service { arn: self.services[&key].arn.to_string() })
    }

    pub(super) fn cmd_delete_service(&mut self, cluster: &str, service: &str, force: bool) -> R<Outcome> {
        let cluster = self.active_cluster(cluster)?.name.clone();
        let key = self.find_service(&cluster, service)?;
        let s = &self.services[&key];
        if s.status != ServiceStatus::Active {
            return Err(err(
                ErrorKind::ServiceNotActiveException,
                format!("Service {} is not ACTIVE", s.name),
            ));
        }
        if s.desired_count > 0 && !force {
            return Err(EngineError::invalid("The service cannot be stopped while it is scaled above 0."));
        }
        let s = self.services.get_mut(&key).expect("exists");
        s.status = ServiceStatus::Draining;
        s.desired_count = 0;
        self.hungry.insert(key);
        Ok(Outcome::Service { arn: self.services[&key].arn.to_string() })
    }

    pub(super) fn cmd_run_task(&mut self, c: RunTask) -> R<Outcome> {
        let cluster = self.active_cluster(&c.cluster)?.name.clone();
        if c.count == 0 || c.count > 10 {
            return Err(EngineError::invalid("count: must be between 1 and 10"));
        }
        let td = self.find_td(&c.task_definition)?;
        let family = td.family.clone();
        let (cpu, memory) = td.resources();
        let td = (td.arn.clone(), cpu, memory);
        let cp = self.service_cp(&cluster, &c.capacity_provider)?;
        let group = c.group.clone().unwrap_or_else(|| format!("family:{family}"));
        let name = format!("run-task-{}", self.next_key);
        let key =
            self.new_service(ServiceKind::Standalone, &cluster, &name, group, cp, td, c.count, 100, 100);
        self.reconcile_service(key);
        self.hungry.remove(&key);
        let s = &self.services[&key];
        let arns = s.live.iter().filter_map(|t| self.tasks.get(t)).map(|t| t.arn.to_string()).collect();
        Ok(Outcome::Tasks { arns })
    }

    pub(super) fn cmd_stop_task(&mut self, cluster: &str, task: &str, reason: Option<String>) -> R<Outcome> {
        let cluster = self.active_cluster(cluster)?.name.clone();
        let key = self.find_task(&cluster, task)?;
        let t = &self.tasks[&key];
        let arn = t.arn.to_string();
        if !t.is_live() {
            return Ok(Outcome::Tasks { arns: vec![arn] });
        }
        let (instance, owner) = (t.instance, t.owner);
        self.begin_stop(
            key,
            StopCause::User,
            Some("UserInitiated"),
            reason.as_deref().unwrap_or("Task stopped by user"),
        );
        if let TaskOwner::Daemon { revision, .. } = owner {
            self.daemon_task_lost(instance, revision, key, "stopped");
        }
        Ok(Outcome::Tasks { arns: vec![arn] })
    }

    /// A daemon task stopped or turned unhealthy: critical ⇒ auto-repair; non-critical ⇒ the
    /// instance stays ACTIVE and the task is restarted.
    pub(super) fn daemon_task_lost(
        &mut self,
        instance: InstanceKey,
        revision: RevisionKey,
        task: TaskKey,
        what: &str,
    ) {
        let critical = self.revisions.get(&revision).map(|r| r.critical).unwrap_or(true);
        if critical {
            // Joined rather than `format!`ted: one allocation, on every auto-repair.
            let id = self.tasks.get(&task).map(|t| t.id.as_str()).unwrap_or_default();
            let reason = ["Daemon task: ", id, " is ", what].concat();
            self.auto_repair(instance, reason);
        }
    }
}
