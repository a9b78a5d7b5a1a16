//! Daemons: CreateDaemon, UpdateDaemon (each a new revision and a deployment), DeleteDaemon.

use super::{err, R};
use crate::engine::command::*;
use crate::engine::error::{EngineError, ErrorKind};
use crate::engine::model::*;
use crate::engine::sim::Simulation;
use std::sync::Arc;

impl Simulation {
    // ----- daemons ---------------------------------------------------------------------------------

    pub(super) fn check_deployment_config(config: &Option<DeploymentConfig>) -> R<DeploymentConfig> {
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

    pub(super) fn check_daemon_cps(&self, cluster: &str, cps: &[String]) -> R<Vec<String>> {
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
    pub(super) fn new_revision(
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

    pub(super) fn cmd_create_daemon(&mut self, c: CreateDaemon) -> R<Outcome> {
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
        let dtd_key = self.active_dtd_key(&c.daemon_task_definition)?;
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

    /// The (family, revision) of the daemon task definition `value` names, which a daemon may only
    /// be created or updated to while it is ACTIVE.
    fn active_dtd_key(&self, value: &str) -> R<(String, u32)> {
        let dtd = self.find_dtd(value)?;
        if dtd.status != DefinitionStatus::Active {
            return Err(EngineError::invalid(format!("daemonTaskDefinitionArn: {value} is not ACTIVE")));
        }
        Ok((dtd.family.clone(), dtd.revision))
    }

    pub(super) fn cmd_update_daemon(&mut self, c: UpdateDaemon) -> R<Outcome> {
        let key = self.find_daemon(&c.daemon)?;
        let d = &self.daemons[&key];
        if d.status != DaemonStatus::Active {
            return Err(err(ErrorKind::DaemonNotActiveException, format!("Daemon {} is not ACTIVE", d.name)));
        }
        let (cluster, name) = (d.cluster.clone(), d.name.clone());
        let dtd_key = self.active_dtd_key(&c.daemon_task_definition)?;
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

    pub(super) fn cmd_delete_daemon(&mut self, value: &str) -> R<Outcome> {
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
}
