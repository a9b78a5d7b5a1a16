//! Command validation and application. Every handler validates everything first (references,
//! states, ranges) and only then mutates, so a refused command changes nothing — not even the RNG.

use super::arn::last_segment;
use super::command::*;
use super::error::{EngineError, ErrorKind};
use super::model::*;
use super::sim::Simulation;
use std::collections::BTreeMap;
use std::sync::Arc;

type R<T> = Result<T, EngineError>;

fn err(kind: ErrorKind, message: impl Into<String>) -> EngineError {
    EngineError::new(kind, message)
}

/// `arn:…:cluster/NAME` or `NAME` → `NAME`.
pub fn cluster_name(value: &str) -> &str {
    match value.split_once(":cluster/") {
        Some((_, name)) => name,
        None => value,
    }
}

/// `arn:…:capacity-provider/NAME` or `NAME` → `NAME`.
pub fn capacity_provider_name(value: &str) -> &str {
    match value.split_once(":capacity-provider/") {
        Some((_, name)) => name,
        None => value,
    }
}

/// `infrastructureOptimization.scaleInAfter`: -1 (never) or 0–3600 seconds.
fn check_scale_in_after(seconds: Option<i64>) -> Result<(), EngineError> {
    match seconds {
        Some(s) if !(s == -1 || (0..=MAX_SCALE_IN_AFTER_SECONDS).contains(&s)) => Err(EngineError::invalid(
            format!("scaleInAfter: must be -1 or between 0 and {MAX_SCALE_IN_AFTER_SECONDS}"),
        )),
        _ => Ok(()),
    }
}

/// `…:daemon-task-definition/FAMILY:REV`, `FAMILY:REV` or `FAMILY` → (family, revision).
pub fn definition_ref<'a>(value: &'a str, kind: &str) -> (&'a str, Option<&'a str>) {
    let tail = match value.split_once(&format!(":{kind}/")) {
        Some((_, t)) => t,
        None => value,
    };
    match tail.rsplit_once(':') {
        Some((family, rev)) => (family, Some(rev)),
        None => (tail, None),
    }
}

/// `…:daemon/CLUSTER/NAME` or `CLUSTER/NAME` → (cluster, name).
pub fn daemon_ref(value: &str) -> Option<(&str, &str)> {
    let tail = match value.split_once(":daemon/") {
        Some((_, t)) => t,
        None => value,
    };
    let (cluster, name) = tail.split_once('/')?;
    if cluster.is_empty() || name.is_empty() || name.contains('/') {
        return None;
    }
    Some((cluster, name))
}

impl Simulation {
    pub(crate) fn apply_command(&mut self, command: Command) -> R<Outcome> {
        match command {
            Command::CreateCluster { name } => self.cmd_create_cluster(name),
            Command::DeleteCluster { cluster } => self.cmd_delete_cluster(&cluster),
            Command::CreateCapacityProvider(c) => self.cmd_create_cp(c),
            Command::UpdateCapacityProvider(c) => self.cmd_update_cp(c),
            Command::DeleteCapacityProvider { name } => self.cmd_delete_cp(&name),
            Command::SetInstanceProfileReady { capacity_provider, ready } => {
                let cp = self.cp_mut(&capacity_provider)?;
                cp.instance_profile_ready = ready;
                Ok(Outcome::Done)
            }
            Command::PutClusterCapacityProviders { cluster, capacity_providers, default_strategy } => {
                self.cmd_put_cluster_cps(&cluster, capacity_providers, default_strategy)
            }
            Command::RegisterDaemonTaskDefinition(c) => self.cmd_register_dtd(c),
            Command::DeleteDaemonTaskDefinition { daemon_task_definition } => {
                self.cmd_delete_dtd(&daemon_task_definition)
            }
            Command::CreateDaemon(c) => self.cmd_create_daemon(c),
            Command::UpdateDaemon(c) => self.cmd_update_daemon(c),
            Command::DeleteDaemon { daemon } => self.cmd_delete_daemon(&daemon),
            Command::RegisterTaskDefinition(c) => self.cmd_register_td(c),
            Command::CreateService(c) => self.cmd_create_service(c),
            Command::UpdateService { cluster, service, desired_count } => {
                self.cmd_update_service(&cluster, &service, desired_count)
            }
            Command::DeployService(c) => self.cmd_deploy_service(c),
            Command::DeleteService { cluster, service, force } => {
                self.cmd_delete_service(&cluster, &service, force)
            }
            Command::RunTask(c) => self.cmd_run_task(c),
            Command::StopTask { cluster, task, reason } => self.cmd_stop_task(&cluster, &task, reason),
            Command::UpdateContainerInstancesState { cluster, container_instances, status } => {
                self.cmd_update_ci_state(&cluster, &container_instances, &status)
            }
            Command::TerminateInstances { instance_ids } => self.cmd_terminate(&instance_ids),
            Command::PutMetricAlarm { name } => {
                if name.is_empty() || name.len() > 255 {
                    return Err(EngineError::invalid("AlarmName must be 1-255 characters"));
                }
                if !self.alarms.contains_key(&name) {
                    let arn = self.scope.alarm(&name);
                    let at = self.at();
                    self.alarms.insert(
                        name.clone(),
                        Box::new(Alarm {
                            name,
                            arn,
                            state: AlarmState::InsufficientData,
                            state_reason: "Unchecked: Initial alarm creation".into(),
                            updated_at: at,
                        }),
                    );
                }
                Ok(Outcome::Done)
            }
            Command::DeleteAlarms { names } => {
                for n in &names {
                    if !self.alarms.contains_key(n) {
                        return Err(err(
                            ErrorKind::ResourceNotFoundException,
                            format!("Alarm {n} does not exist"),
                        ));
                    }
                }
                for n in &names {
                    self.alarms.remove(n);
                }
                Ok(Outcome::Done)
            }
            Command::SetAlarmState { name, state, reason } => {
                let new = AlarmState::parse(&state).ok_or_else(|| {
                    EngineError::invalid("StateValue must be one of OK, ALARM, INSUFFICIENT_DATA")
                })?;
                let at = self.at();
                let alarm = self.alarms.get_mut(&name).ok_or_else(|| {
                    err(ErrorKind::ResourceNotFoundException, format!("Alarm {name} does not exist"))
                })?;
                let old = alarm.state;
                alarm.state = new;
                alarm.state_reason = reason;
                alarm.updated_at = at;
                self.on_alarm_change(&name, old, new);
                Ok(Outcome::Done)
            }
            Command::SetImageUnpullable { image, unpullable } => {
                if image.is_empty() {
                    return Err(EngineError::invalid("image must not be empty"));
                }
                if unpullable {
                    self.unpullable_images.insert(image);
                } else {
                    self.unpullable_images.remove(&image);
                }
                Ok(Outcome::Done)
            }
            Command::ClearFaults => {
                self.unpullable_images.clear();
                let blocked: Vec<String> = self
                    .capacity_providers
                    .values()
                    .filter(|c| c.launch_blocked)
                    .map(|c| c.name.clone())
                    .collect();
                for cp in blocked {
                    self.unblock_launches(&cp);
                }
                Ok(Outcome::Done)
            }
            Command::SetLaunchBlocked { capacity_provider, blocked } => {
                let name = capacity_provider_name(&capacity_provider).to_string();
                self.cp_mut(&name)?;
                if blocked {
                    self.cp_mut(&name)?.launch_blocked = true;
                } else {
                    self.unblock_launches(&name);
                }
                Ok(Outcome::Done)
            }
            Command::MakeTaskUnhealthy { task } => self.cmd_make_unhealthy(&task),
            Command::SetDeploymentDrainPercent { daemon, drain_percent } => {
                if !(0.0..=100.0).contains(&drain_percent) {
                    return Err(EngineError::invalid("drainPercent must be between 0 and 100"));
                }
                let dk = self.find_daemon(&daemon)?;
                let key = self.daemons[&dk]
                    .deployments
                    .last()
                    .copied()
                    .filter(|d| self.deployments.get(d).map(|d| d.is_active()).unwrap_or(false))
                    .ok_or_else(|| EngineError::invalid("The daemon has no deployment in progress"))?;
                self.set_drain_percent(key, drain_percent);
                Ok(Outcome::Done)
            }
        }
    }

    fn unblock_launches(&mut self, cp: &str) {
        if let Some(p) = self.capacity_providers.get_mut(cp) {
            p.launch_blocked = false;
        }
        let owed = self.fleet.take_owed(cp);
        for old in owed {
            let draining =
                self.fleet.get(&old).map(|i| i.status == InstanceStatus::Draining).unwrap_or(false);
            if draining && self.launch_instance(cp, Some(old)).is_none() {
                self.fleet.owe_replacement(cp, old);
            }
        }
        self.feed_starving(cp);
    }

    // ----- lookups ---------------------------------------------------------------------------------

    fn active_cluster(&self, cluster: &str) -> R<&Cluster> {
        let name = cluster_name(cluster);
        match self.clusters.get(name) {
            Some(c) if c.status == ClusterStatus::Active => Ok(c),
            _ => Err(err(ErrorKind::ClusterNotFoundException, format!("Cluster not found: {name}"))),
        }
    }

    fn cp_mut(&mut self, name: &str) -> R<&mut CapacityProvider> {
        let name = capacity_provider_name(name);
        self.capacity_providers.get_mut(name).map(|c| &mut **c).ok_or_else(|| {
            EngineError::invalid(format!("capacityProvider: the capacity provider {name} does not exist"))
        })
    }

    /// A capacity provider usable by daemons/services of `cluster`.
    fn cluster_cp(&self, cluster: &str, value: &str, field: &str) -> R<String> {
        let name = capacity_provider_name(value);
        let cp = self.capacity_providers.get(name).ok_or_else(|| {
            EngineError::invalid(format!("{field}: the capacity provider {name} does not exist"))
        })?;
        if cp.status != CapacityProviderStatus::Active {
            return Err(EngineError::invalid(format!("{field}: the capacity provider {name} is not ACTIVE")));
        }
        if cp.cluster != cluster {
            return Err(EngineError::invalid(format!(
                "{field}: the capacity provider {name} is not associated with the cluster {cluster}"
            )));
        }
        Ok(name.to_string())
    }

    pub(crate) fn find_daemon(&self, value: &str) -> R<DaemonKey> {
        let (cluster, name) = daemon_ref(value)
            .ok_or_else(|| EngineError::invalid(format!("daemonArn: {value} is not a valid daemon ARN")))?;
        self.active_cluster(cluster)?;
        self.daemon_by_name
            .get(&(cluster.to_string(), name.to_string()))
            .copied()
            .ok_or_else(|| err(ErrorKind::DaemonNotFoundException, format!("Daemon not found: {name}")))
    }

    fn find_dtd(&self, value: &str) -> R<&DaemonTaskDefinition> {
        let (family, rev) = definition_ref(value, "daemon-task-definition");
        find_revision(&self.daemon_task_definitions, family, rev, |d| d.status == DefinitionStatus::Active)
            .ok_or_else(|| {
                EngineError::client(format!(
                    "daemonTaskDefinitionArn: daemon task definition {value} not found"
                ))
            })
    }

    fn find_td(&self, value: &str) -> R<&TaskDefinition> {
        let (family, rev) = definition_ref(value, "task-definition");
        find_revision(&self.task_definitions, family, rev, |d| d.status == DefinitionStatus::Active)
            .ok_or_else(|| {
                EngineError::client(format!("taskDefinition: Unable to describe task definition {value}"))
            })
    }

    fn find_task(&self, cluster: &str, value: &str) -> R<TaskKey> {
        let id = last_segment(value);
        self.tasks
            .key_by_id(id)
            .filter(|k| self.tasks.get(k).map(|t| t.cluster == cluster).unwrap_or(false))
            .ok_or_else(|| EngineError::invalid(format!("task: The referenced task {value} was not found")))
    }

    // ----- clusters and capacity providers ---------------------------------------------------------

    fn cmd_create_cluster(&mut self, name: String) -> R<Outcome> {
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

    fn cmd_delete_cluster(&mut self, cluster: &str) -> R<Outcome> {
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

    fn cmd_create_cp(&mut self, c: CreateCapacityProvider) -> R<Outcome> {
        let lower = c.name.to_ascii_lowercase();
        if c.name.is_empty() || c.name.len() > 255 {
            return Err(EngineError::invalid("name: must be 1-255 characters"));
        }
        if lower.starts_with("aws") || lower.starts_with("ecs") || lower.starts_with("fargate") {
            return Err(EngineError::invalid(
                "name: a capacity provider name cannot begin with aws, ecs or fargate",
            ));
        }
        let cluster = self.active_cluster(&c.cluster)?.name.clone();
        if self.capacity_providers.contains_key(&c.name) {
            return Err(EngineError::client(format!(
                "name: a capacity provider named {} already exists",
                c.name
            )));
        }
        if c.vcpu_min > c.vcpu_max || c.memory_min_mib > c.memory_max_mib {
            return Err(EngineError::invalid("instanceRequirements: min must not exceed max"));
        }
        let size = pick_instance_size((c.vcpu_min, c.vcpu_max), (c.memory_min_mib, c.memory_max_mib))
            .ok_or_else(|| {
                EngineError::invalid("instanceRequirements: no instance type matches vCpuCount and memoryMiB")
            })?;
        let min = c.min_instances.unwrap_or(0);
        let max = c.max_instances.unwrap_or(10_000);
        if min > max || max == 0 {
            return Err(EngineError::invalid(
                "instance counts: minimum must not exceed maximum, maximum at least 1",
            ));
        }
        check_scale_in_after(c.scale_in_after_s)?;
        let arn: Arc<str> = Arc::from(self.scope.capacity_provider(&c.name));
        let at = self.at();
        self.capacity_providers.insert(
            c.name.clone(),
            Box::new(CapacityProvider {
                name: c.name.clone(),
                arn: arn.clone(),
                cluster,
                status: CapacityProviderStatus::Active,
                size,
                vcpu_range: (c.vcpu_min, c.vcpu_max),
                memory_range: (c.memory_min_mib, c.memory_max_mib),
                min_instances: min,
                max_instances: max,
                instance_profile_ready: c.instance_profile_ready,
                launch_blocked: false,
                scale_in_after_s: c.scale_in_after_s,
                auto_repair: c.auto_repair,
                created_at: at,
                warmed: false,
                instances: Default::default(),
            }),
        );
        Ok(Outcome::CapacityProvider { arn: arn.to_string() })
    }

    fn cmd_update_cp(&mut self, c: UpdateCapacityProvider) -> R<Outcome> {
        let name = capacity_provider_name(&c.name).to_string();
        let cp = self.capacity_providers.get(&name).ok_or_else(|| {
            EngineError::client(format!("capacityProvider: the capacity provider {name} does not exist"))
        })?;
        if cp.status != CapacityProviderStatus::Active {
            return Err(EngineError::invalid(format!(
                "capacityProvider: {name} is being deleted and cannot be updated"
            )));
        }
        check_scale_in_after(c.scale_in_after_s.flatten())?;
        if let Some(s) = c.scale_in_after_s {
            self.cp_mut(&name)?.scale_in_after_s = s;
        }
        if let Some(enabled) = c.auto_repair {
            self.set_auto_repair(&name, enabled);
        }
        Ok(Outcome::CapacityProvider { arn: self.capacity_providers[&name].arn.to_string() })
    }

    fn cmd_delete_cp(&mut self, name: &str) -> R<Outcome> {
        let name = capacity_provider_name(name).to_string();
        let cp = self.capacity_providers.get(&name).ok_or_else(|| {
            EngineError::client(format!("capacityProvider: the capacity provider {name} does not exist"))
        })?;
        if cp.status != CapacityProviderStatus::Active {
            return Err(EngineError::invalid(format!("capacityProvider: {name} is already being deleted")));
        }
        if self
            .services
            .values()
            .any(|s| s.capacity_provider == name && s.status == ServiceStatus::Active && s.desired_count > 0)
        {
            return Err(err(
                ErrorKind::ResourceInUseException,
                format!("capacityProvider: {name} is in use by a service"),
            ));
        }
        if self
            .daemons
            .values()
            .any(|d| d.status == DaemonStatus::Active && d.capacity_providers.contains(&name))
        {
            return Err(err(
                ErrorKind::ResourceInUseException,
                format!("capacityProvider: {name} is in use by a daemon"),
            ));
        }
        let arn = cp.arn.to_string();
        let instances: Vec<InstanceKey> = cp.instances.iter().copied().collect();
        self.capacity_providers.get_mut(&name).expect("exists").status =
            CapacityProviderStatus::Deprovisioning;
        for ik in instances {
            let status = self.fleet[&ik].status;
            match status {
                InstanceStatus::Launching | InstanceStatus::Booted => {
                    // Never registered: the EC2 request is simply cancelled.
                    self.abort_unregistered(ik, "Capacity provider deleted");
                }
                _ => self.begin_drain(ik, DrainCause::ProviderDeleted, false),
            }
        }
        self.maybe_finish_provider_deletion(&name);
        Ok(Outcome::CapacityProvider { arn })
    }

    fn cmd_put_cluster_cps(&mut self, cluster: &str, cps: Vec<String>, strategy: Vec<String>) -> R<Outcome> {
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

    // ----- definitions -----------------------------------------------------------------------------

    fn check_containers(containers: &[ContainerSpec]) -> R<()> {
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

    fn cmd_register_dtd(&mut self, c: RegisterDaemonTaskDefinition) -> R<Outcome> {
        if c.family.is_empty() || c.family.len() > 255 {
            return Err(EngineError::invalid("family: must be 1-255 characters"));
        }
        Self::check_containers(&c.containers)?;
        let last = self
            .daemon_task_definitions
            .range((c.family.clone(), 0)..=(c.family.clone(), u32::MAX))
            .next_back()
            .map(|(k, _)| k.1)
            .unwrap_or(0);
        if last >= 1_000_000 {
            return Err(err(
                ErrorKind::LimitExceededException,
                "family: revision limit of 1,000,000 reached",
            ));
        }
        let revision = last + 1;
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

    fn cmd_delete_dtd(&mut self, value: &str) -> R<Outcome> {
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

    fn cmd_register_td(&mut self, c: RegisterTaskDefinition) -> R<Outcome> {
        if c.family.is_empty() || c.family.len() > 255 {
            return Err(EngineError::invalid("family: must be 1-255 characters"));
        }
        Self::check_containers(&c.containers)?;
        let last = self
            .task_definitions
            .range((c.family.clone(), 0)..=(c.family.clone(), u32::MAX))
            .next_back()
            .map(|(k, _)| k.1)
            .unwrap_or(0);
        let revision = last + 1;
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

    // ----- daemons ---------------------------------------------------------------------------------

    fn check_deployment_config(config: &Option<DeploymentConfig>) -> R<DeploymentConfig> {
        let c = config.clone().unwrap_or_default();
        if !c.drain_percent.is_finite() || !(0.0..=100.0).contains(&c.drain_percent) {
            return Err(EngineError::invalid(
                "deploymentConfiguration.drainPercent must be between 0 and 100",
            ));
        }
        if c.bake_time_in_minutes > MAX_BAKE_TIME_MINUTES {
            return Err(EngineError::invalid(format!(
                "deploymentConfiguration.bakeTimeInMinutes must be between 0 and {MAX_BAKE_TIME_MINUTES}"
            )));
        }
        Ok(c)
    }

    fn check_daemon_cps(&self, cluster: &str, cps: &[String]) -> R<Vec<String>> {
        if cps.is_empty() {
            return Err(EngineError::invalid(
                "capacityProviderArns: at least one capacity provider is required",
            ));
        }
        let mut out = Vec::new();
        for cp in cps {
            let n = self.cluster_cp(cluster, cp, "capacityProviderArns")?;
            if !out.contains(&n) {
                out.push(n);
            }
        }
        Ok(out)
    }

    /// A new immutable daemon revision from the definition and flags.
    #[allow(clippy::too_many_arguments)]
    fn new_revision(
        &mut self,
        daemon: DaemonKey,
        cluster: &str,
        name: &str,
        dtd: (String, u32),
        cps: &[String],
        propagate_tags: Option<String>,
        managed_tags: bool,
        exec: bool,
        critical: bool,
    ) -> RevisionKey {
        let key = self.key();
        let id = self.rng.uuid_v4();
        let def = &self.daemon_task_definitions[&dtd];
        let mut images = Vec::new();
        for c in &def.containers {
            let digest = format!("sha256:{}", self.rng.hex(64));
            images.push((c.name.clone(), c.image.clone(), digest));
        }
        let def = &self.daemon_task_definitions[&dtd];
        let (cpu, memory) = def.resources();
        let rev = DaemonRevision {
            key,
            arn: Arc::from(self.scope.daemon_revision(cluster, name, &id)),
            id,
            daemon,
            cluster: cluster.to_string(),
            daemon_task_definition: def.arn.clone(),
            capacity_providers: cps.to_vec(),
            task_images: images.iter().map(|(n, img, _)| (n.clone(), img.clone())).collect(),
            container_images: images,
            propagate_tags: propagate_tags.unwrap_or_else(|| "NONE".into()),
            enable_ecs_managed_tags: managed_tags,
            enable_execute_command: exec,
            critical,
            created_at: self.at(),
            cpu,
            memory,
            has_health_check: def.has_health_check(),
        };
        self.revisions.insert(key, Box::new(rev));
        key
    }

    fn cmd_create_daemon(&mut self, c: CreateDaemon) -> R<Outcome> {
        if let Some(token) = &c.client_token {
            if let Some((original, outcome)) = self.client_tokens.get(token).map(|b| &**b) {
                if *original == c {
                    return Ok(outcome.clone());
                }
                return Err(EngineError::invalid(
                    "clientToken: the token was already used with different parameters",
                ));
            }
        }
        let cluster = self.active_cluster(&c.cluster)?.name.clone();
        if c.daemon_name.is_empty() || c.daemon_name.len() > 255 {
            return Err(EngineError::invalid("daemonName: must be 1-255 characters"));
        }
        if self.daemon_by_name.contains_key(&(cluster.clone(), c.daemon_name.clone())) {
            return Err(EngineError::invalid(format!(
                "daemonName: a daemon named {} already exists in cluster {cluster}",
                c.daemon_name
            )));
        }
        let dtd = self.find_dtd(&c.daemon_task_definition)?;
        if dtd.status != DefinitionStatus::Active {
            return Err(EngineError::invalid(format!(
                "daemonTaskDefinitionArn: {} is not ACTIVE",
                c.daemon_task_definition
            )));
        }
        let dtd_key = (dtd.family.clone(), dtd.revision);
        let cps = self.check_daemon_cps(&cluster, &c.capacity_providers)?;
        let config = Self::check_deployment_config(&c.deployment_configuration)?;
        if c.tags.len() > 50 {
            return Err(EngineError::invalid("tags: at most 50 tags"));
        }
        // Validated: mutate from here on.
        let key = self.key();
        let at = self.at();
        let arn: Arc<str> = Arc::from(self.scope.daemon(&cluster, &c.daemon_name));
        let rev = self.new_revision(
            key,
            &cluster,
            &c.daemon_name,
            dtd_key,
            &cps,
            c.propagate_tags.clone(),
            c.enable_ecs_managed_tags,
            c.enable_execute_command,
            c.critical.unwrap_or(true),
        );
        self.daemons.insert(
            key,
            Box::new(Daemon {
                key,
                name: c.daemon_name.clone(),
                arn: arn.clone(),
                cluster: cluster.clone(),
                status: DaemonStatus::Active,
                capacity_providers: cps.clone(),
                current_revision: rev,
                revisions: vec![rev],
                deployments: vec![],
                created_at: at,
                updated_at: at,
                tags: c.tags.clone(),
                deleted: false,
                task_group: Arc::from(["daemon:", &c.daemon_name].concat()),
                task_started_by: Arc::from(["daemon/", &c.daemon_name].concat()),
            }),
        );
        self.daemon_by_name.insert((cluster, c.daemon_name.clone()), key);
        let dep = self.create_deployment(key, rev, config, false, None, &cps);
        let outcome = Outcome::Daemon {
            daemon_arn: arn.to_string(),
            deployment_arn: self.deployments[&dep].arn.to_string(),
            created_at: at,
            updated_at: at,
            status: DaemonStatus::Active.as_str().into(),
        };
        if let Some(token) = c.client_token.clone() {
            self.client_tokens.insert(token, Box::new((c, outcome.clone())));
        }
        Ok(outcome)
    }

    fn cmd_update_daemon(&mut self, c: UpdateDaemon) -> R<Outcome> {
        let key = self.find_daemon(&c.daemon)?;
        let d = &self.daemons[&key];
        if d.status != DaemonStatus::Active {
            return Err(err(ErrorKind::DaemonNotActiveException, format!("Daemon {} is not ACTIVE", d.name)));
        }
        let (cluster, name) = (d.cluster.clone(), d.name.clone());
        let dtd = self.find_dtd(&c.daemon_task_definition)?;
        if dtd.status != DefinitionStatus::Active {
            return Err(EngineError::invalid(format!(
                "daemonTaskDefinitionArn: {} is not ACTIVE",
                c.daemon_task_definition
            )));
        }
        let dtd_key = (dtd.family.clone(), dtd.revision);
        let cps = self.check_daemon_cps(&cluster, &c.capacity_providers)?;
        let config = Self::check_deployment_config(&c.deployment_configuration)?;
        // Non-persistence: omitted settings fall back to their defaults.
        let rev = self.new_revision(
            key,
            &cluster,
            &name,
            dtd_key,
            &cps,
            c.propagate_tags.clone(),
            c.enable_ecs_managed_tags,
            c.enable_execute_command,
            c.critical.unwrap_or(true),
        );
        let at = self.at();
        let d = self.daemons.get_mut(&key).expect("exists");
        let previous_cps = std::mem::replace(&mut d.capacity_providers, cps);
        let previous = d.current_revision;
        d.revisions.push(rev);
        d.updated_at = at;
        let (arn, created_at) = (d.arn.to_string(), d.created_at);
        let dep = self.create_deployment(key, rev, config, false, Some(previous), &previous_cps);
        Ok(Outcome::Daemon {
            daemon_arn: arn,
            deployment_arn: self.deployments[&dep].arn.to_string(),
            created_at,
            updated_at: at,
            status: DaemonStatus::Active.as_str().into(),
        })
    }

    fn cmd_delete_daemon(&mut self, value: &str) -> R<Outcome> {
        let key = self.find_daemon(value)?;
        let d = &self.daemons[&key];
        if d.status != DaemonStatus::Active {
            return Err(err(
                ErrorKind::DaemonNotActiveException,
                format!("Daemon {} is not ACTIVE: deployment deletion is ongoing", d.name),
            ));
        }
        let at = self.at();
        let d = self.daemons.get_mut(&key).expect("exists");
        d.status = DaemonStatus::DeleteInProgress;
        d.updated_at = at;
        let (arn, created_at, rev, cps) =
            (d.arn.to_string(), d.created_at, d.current_revision, d.capacity_providers.clone());
        let dep = self.create_deployment(key, rev, DeploymentConfig::default(), true, None, &cps);
        Ok(Outcome::Daemon {
            daemon_arn: arn,
            deployment_arn: self.deployments[&dep].arn.to_string(),
            created_at,
            updated_at: at,
            status: DaemonStatus::DeleteInProgress.as_str().into(),
        })
    }

    // ----- services and tasks ------------------------------------------------------------------------

    fn service_cp(&self, cluster: &str, cp: &Option<String>) -> R<String> {
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
    fn new_service(
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

    fn cmd_create_service(&mut self, c: CreateService) -> R<Outcome> {
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

    fn find_service(&self, cluster: &str, service: &str) -> R<ServiceKey> {
        let name = last_segment(service);
        self.service_by_name
            .get(&(cluster.to_string(), name.to_string()))
            .copied()
            .ok_or_else(|| err(ErrorKind::ServiceNotFoundException, format!("Service not found: {name}")))
    }

    fn cmd_update_service(&mut self, cluster: &str, service: &str, desired: Option<u32>) -> R<Outcome> {
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
    fn cmd_deploy_service(&mut self, c: DeployService) -> R<Outcome> {
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

    fn cmd_delete_service(&mut self, cluster: &str, service: &str, force: bool) -> R<Outcome> {
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

    fn cmd_run_task(&mut self, c: RunTask) -> R<Outcome> {
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

    fn cmd_stop_task(&mut self, cluster: &str, task: &str, reason: Option<String>) -> R<Outcome> {
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
    fn daemon_task_lost(&mut self, instance: InstanceKey, revision: RevisionKey, task: TaskKey, what: &str) {
        let critical = self.revisions.get(&revision).map(|r| r.critical).unwrap_or(true);
        if critical {
            // Joined rather than `format!`ted: one allocation, on every auto-repair.
            let id = self.tasks.get(&task).map(|t| t.id.as_str()).unwrap_or_default();
            let reason = ["Daemon task: ", id, " is ", what].concat();
            self.auto_repair(instance, reason);
        }
    }

    fn cmd_make_unhealthy(&mut self, task: &str) -> R<Outcome> {
        let id = last_segment(task);
        let key = self
            .tasks
            .key_by_id(id)
            .ok_or_else(|| EngineError::invalid(format!("task: The referenced task {task} was not found")))?;
        let t = &self.tasks[&key];
        if !t.is_live() || t.last_status != TaskStatus::Running {
            return Err(EngineError::invalid(format!("task: {task} is not RUNNING")));
        }
        let (instance, owner) = (t.instance, t.owner);
        match owner {
            TaskOwner::Daemon { revision, .. } => {
                let checked = self.revisions.get(&revision).map(|r| r.has_health_check).unwrap_or(false);
                let critical = self.revisions.get(&revision).map(|r| r.critical).unwrap_or(true);
                if checked {
                    let t = self.tasks.get_mut(&key).expect("exists");
                    t.health_status = TaskHealth::Unhealthy;
                    t.version += 1;
                    self.emit_task(key);
                    // Auto-repair drains only an ACTIVE instance (AWS: managed daemons auto-repair —
                    // task stopped or unhealthy → instance DRAINING → replacement). Our choice where AWS
                    // is silent: on a
                    // REGISTERING one an unhealthy critical daemon task is treated like one that
                    // failed to start: it is stopped and the daemon scheduler starts a fresh one,
                    // and the instance stays REGISTERING until that one is HEALTHY. Kept running,
                    // it could never turn HEALTHY again and the instance would register forever.
                    let registering = self
                        .fleet
                        .get(&instance)
                        .map(|i| i.status == InstanceStatus::Registering)
                        .unwrap_or(false);
                    if !critical || registering {
                        self.begin_stop(
                            key,
                            StopCause::Unhealthy,
                            Some("EssentialContainerExited"),
                            "Task failed container health checks",
                        );
                    }
                } else {
                    self.begin_stop(
                        key,
                        StopCause::Unhealthy,
                        Some("EssentialContainerExited"),
                        "Essential container in task exited",
                    );
                }
                self.daemon_task_lost(instance, revision, key, "unhealthy");
            }
            TaskOwner::Service(_) => {
                self.begin_stop(
                    key,
                    StopCause::Unhealthy,
                    Some("EssentialContainerExited"),
                    "Task failed container health checks",
                );
            }
        }
        Ok(Outcome::Done)
    }

    // ----- instances -----------------------------------------------------------------------------------

    fn cmd_update_ci_state(&mut self, cluster: &str, values: &[String], status: &str) -> R<Outcome> {
        let cluster = self.active_cluster(cluster)?.name.clone();
        let Some(target) = InstanceStatus::parse_settable(status) else {
            return Err(EngineError::invalid("status: must be ACTIVE or DRAINING"));
        };
        let mut keys = Vec::new();
        for v in values {
            let id = last_segment(v);
            let key = self
                .fleet
                .key_by_id(id)
                .filter(|k| {
                    self.fleet
                        .get(k)
                        .map(|i| i.cluster == cluster && i.status.is_registered())
                        .unwrap_or(false)
                })
                .ok_or_else(|| EngineError::invalid(format!("containerInstances: {v} was not found")))?;
            let i = &self.fleet[&key];
            let ok = match target {
                InstanceStatus::Draining => {
                    i.status == InstanceStatus::Active || i.status == InstanceStatus::Draining
                }
                _ => {
                    i.status == InstanceStatus::Active
                        || (i.status == InstanceStatus::Draining
                            && i.drain_cause == Some(DrainCause::User)
                            && i.tasks.iter().all(|t| self.tasks.get(t).map(|t| t.is_live()).unwrap_or(true)))
                }
            };
            if !ok {
                return Err(EngineError::invalid(format!(
                    "containerInstances: {v} is {} and cannot be set to {status}",
                    i.status.as_str()
                )));
            }
            keys.push(key);
        }
        let mut arns = Vec::new();
        for key in keys {
            arns.push(self.fleet[&key].arn.to_string());
            let current = self.fleet[&key].status;
            if target == InstanceStatus::Draining && current == InstanceStatus::Active {
                self.begin_drain(key, DrainCause::User, false);
            } else if target == InstanceStatus::Active && current == InstanceStatus::Draining {
                self.undrain(key);
            }
        }
        Ok(Outcome::ContainerInstances { arns })
    }

    /// A user-drained instance returns to ACTIVE before its daemon tasks stopped.
    fn undrain(&mut self, key: InstanceKey) {
        let tasks: Vec<TaskKey> = self.fleet[&key].tasks.iter().copied().collect();
        for t in tasks {
            if let Some(TaskOwner::Service(s)) = self.tasks.get(&t).map(|t| t.owner) {
                if let Some(s) = self.services.get_mut(&s) {
                    if !s.outdated.contains(&t) && s.on_draining.remove(&t) {
                        self.hungry.insert(s.key);
                    }
                }
            }
        }
        let i = self.fleet.get_mut(&key).expect("exists");
        i.drain_cause = None;
        i.status = InstanceStatus::Active;
        i.version += 1;
        let cp = i.capacity_provider_name.clone();
        self.fleet.reindex(key);
        self.emit_instance(key, None);
        self.feed_starving(&cp);
        self.check_idle(key);
        // A deployment may have been waiting for it (see `awaits_user_drain`).
        self.pump_deployments_watching(key);
        // Back to ACTIVE without a critical daemon task (lost while it drained): repaired now, or
        // held, as any ACTIVE instance that loses one.
        if self.fleet.get(&key).map(|i| self.repair_held(i)).unwrap_or(false) {
            let reason = self.fleet[&key]
                .health
                .status_reason
                .clone()
                .unwrap_or_else(|| "Daemon task: the critical daemon task is not running".into());
            self.auto_repair(key, reason);
        }
    }

    fn cmd_terminate(&mut self, ids: &[String]) -> R<Outcome> {
        if ids.is_empty() {
            return Err(EngineError::invalid("InstanceIds: at least one instance id is required"));
        }
        let mut keys = Vec::new();
        for id in ids {
            let key = self
                .fleet
                .key_by_ec2(id.as_str())
                .filter(|k| {
                    self.fleet.get(k).map(|i| i.status != InstanceStatus::Terminated).unwrap_or(false)
                })
                .ok_or_else(|| {
                    err(
                        ErrorKind::InvalidInstanceIdNotFound,
                        format!("The instance ID '{id}' does not exist"),
                    )
                })?;
            keys.push(key);
        }
        let mut arns = Vec::new();
        for key in keys {
            arns.push(self.fleet[&key].arn.to_string());
            match self.fleet[&key].status {
                InstanceStatus::Launching | InstanceStatus::Booted => {
                    self.abort_unregistered(key, "Host EC2 instance terminated");
                }
                InstanceStatus::Registering | InstanceStatus::Active | InstanceStatus::RegistrationFailed => {
                    self.begin_drain(key, DrainCause::Terminated, false)
                }
                InstanceStatus::Draining => {
                    // Already leaving: app tasks now stop at once.
                    let i = self.fleet.get_mut(&key).expect("exists");
                    i.drain_cause = match i.drain_cause {
                        Some(DrainCause::Deployment(d)) => Some(DrainCause::Deployment(d)),
                        _ => Some(DrainCause::Terminated),
                    };
                    let app: Vec<TaskKey> = self.fleet[&key]
                        .tasks
                        .iter()
                        .copied()
                        .filter(|t| self.tasks.get(t).map(|t| !t.is_daemon() && t.is_live()).unwrap_or(false))
                        .collect();
                    for t in app {
                        self.begin_stop(
                            t,
                            StopCause::Scheduler,
                            Some("TerminationNotice"),
                            "Container instance is terminating",
                        );
                    }
                }
                _ => {}
            }
        }
        Ok(Outcome::ContainerInstances { arns })
    }
}

/// A definition by `family:revision`, or the family's latest ACTIVE revision when no revision is
/// given (how ECS resolves both task definitions and daemon task definitions).
fn find_revision<'a, T>(
    definitions: &'a BTreeMap<(String, u32), Box<T>>,
    family: &str,
    revision: Option<&str>,
    is_active: impl Fn(&T) -> bool,
) -> Option<&'a T> {
    match revision {
        Some(r) => {
            r.parse::<u32>().ok().and_then(|r| definitions.get(&(family.to_string(), r))).map(|d| &**d)
        }
        None => definitions
            .range((family.to_string(), 0)..=(family.to_string(), u32::MAX))
            .rev()
            .map(|(_, d)| &**d)
            .find(|d| is_active(d)),
    }
}
