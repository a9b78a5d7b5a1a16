//! [`Api`]: the AWS-shaped front of one simulated account. It owns the engine's [`Simulation`]
//! and the neighbouring services, decodes every request before anything runs, turns ECS requests
//! into engine commands and renders the answers in AWS's response shapes.
//!
//! Atomicity: a request is fully decoded and validated first; the engine applies a command
//! atomically; the few requests that touch two parts (CloudWatch alarms are kept by the neighbour
//! model and mirrored in the engine) restore the first part when the second refuses. A refused
//! request therefore changes nothing, which [`Api::state_fingerprint`] lets tests verify.

use super::arn::ArnContext;
use super::neighbours::{self, AlarmChange, Neighbours};
use super::request::{decode_ecs, EcsRequest, StrategyItem};
use super::shapes::ServiceExtras;
use super::validate::Tag;
use super::AwsError;
use crate::engine::{CapacityProviderStatus, Command, EngineError, Outcome, SimConfig, Simulation};
use crate::support::Boxed;
use serde_json::Value;
use std::collections::BTreeMap;

/// What the API keeps about a capacity provider beyond the engine's model.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ProviderExtras {
    pub instance_profile: String,
    pub document: Value,
}

/// What the API keeps about a cluster beyond the engine's model.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ClusterExtras {
    pub strategy: Vec<StrategyItem>,
}

/// One simulated AWS account and region behind the AWS JSON 1.1 actions.
#[derive(Debug, Clone)]
pub struct Api {
    pub(crate) sim: Simulation,
    pub(crate) arns: ArnContext,
    pub(crate) neighbours: Neighbours,
    /// Boxed, as the other small maps of records: see [`crate::support::Boxed`].
    pub(crate) providers: BTreeMap<String, Boxed<ProviderExtras>>,
    pub(crate) clusters: BTreeMap<String, Boxed<ClusterExtras>>,
    pub(crate) services: BTreeMap<(String, String), Boxed<ServiceExtras>>,
    /// Tags by resource ARN (the engine keeps none for most resources; TagResource changes them).
    pub(crate) tags: BTreeMap<String, Boxed<Vec<Tag>>>,
}

pub(crate) fn engine_error(error: EngineError) -> AwsError {
    AwsError::new(error.kind.as_str(), error.message)
}

/// The services [`Api::call`] answers, by the AWS CLI's service names.
pub const SERVICES: &[&str] = &["ecs", "ec2", "iam", "sts", "logs", "cloudwatch"];

impl Api {
    /// A fresh account: no clusters, no roles, simulated time at `config.epoch_ms`.
    pub fn new(config: SimConfig) -> Self {
        let arns = ArnContext::new(config.account_id.clone(), config.region.clone());
        Api {
            sim: Simulation::new(config),
            arns,
            neighbours: Neighbours::default(),
            providers: BTreeMap::new(),
            clusters: BTreeMap::new(),
            services: BTreeMap::new(),
            tags: BTreeMap::new(),
        }
    }

    /// The simulation, for viewers and tests.
    pub fn simulation(&self) -> &Simulation {
        &self.sim
    }

    /// The simulation, for what AWS has no API for: advancing time and injecting faults.
    pub fn simulation_mut(&mut self) -> &mut Simulation {
        &mut self.sim
    }

    /// The account and Region this API answers for, and the ARNs it builds and parses.
    pub fn arns(&self) -> &ArnContext {
        &self.arns
    }

    /// The simulated wall clock, epoch milliseconds.
    pub fn now_ms(&self) -> u64 {
        self.sim.now()
    }

    /// Advances simulated time by `ms` milliseconds.
    pub fn advance_by(&mut self, ms: u64) {
        self.sim.advance_by(ms);
    }

    /// A hash of everything a request could change (engine state including its RNG and timer
    /// queue, the neighbours, the API's own records). Equal before and after ⇒ nothing changed.
    pub fn state_fingerprint(&self) -> u64 {
        let text = format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            self.sim, self.neighbours, self.providers, self.clusters, self.services, self.tags
        );
        crate::support::hash::fnv1a(crate::support::hash::FNV_OFFSET, text.as_bytes())
    }

    /// Runs `action` of `service` (`ecs`, `ec2`, `iam`, `sts`, `logs`, `cloudwatch`) with the AWS
    /// JSON request body `input`; answers the response body or the AWS error.
    pub fn call(&mut self, service: &str, action: &str, input: &Value) -> Result<Value, AwsError> {
        match service {
            "ecs" => {
                let request = decode_ecs(action, input, &self.arns)?;
                self.ecs(request)
            }
            "ec2" => match action {
                "TerminateInstances" => self.terminate_instances(input),
                "DescribeInstances" => {
                    let answer = neighbours::ec2::describe_instances(&self.sim, &self.arns, input)?;
                    neighbours::dry_run(input)?;
                    Ok(answer)
                }
                other => Err(AwsError::unknown_operation("ec2", other)),
            },
            "iam" | "sts" | "logs" | "cloudwatch" => self.neighbour(service, action, input),
            other => Err(AwsError::new(
                "UnknownServiceException",
                format!("The simulator has no service named {other}; it answers {}.", SERVICES.join(", ")),
            )),
        }
    }

    /// [`Api::call`] with the request body as JSON text, as the wire (and a wasm caller) carries
    /// it: an empty body is `{}`; text that is not JSON is a `SerializationException`. The answer
    /// is the response body text, or the AWS JSON 1.1 error body (`{"__type", "message"}`) text
    /// with the HTTP status AWS would send.
    pub fn call_text(&mut self, service: &str, action: &str, body: &str) -> (u16, String) {
        let parsed = if body.trim().is_empty() {
            Ok(Value::Object(serde_json::Map::new()))
        } else {
            serde_json::from_str::<Value>(body).map_err(|error| {
                AwsError::serialization(format!("The request body is not valid JSON: {error}."))
            })
        };
        match parsed.and_then(|input| self.call(service, action, &input)) {
            Ok(response) => (200, response.to_string()),
            Err(error) => (error.http_status(), error.to_json().to_string()),
        }
    }

    /// The service and action an `X-Amz-Target` header names
    /// (`AmazonEC2ContainerServiceV20141113.CreateDaemon` → `("ecs", "CreateDaemon")`).
    pub fn target(header: &str) -> Option<(&'static str, &str)> {
        let (prefix, action) = header.split_once('.')?;
        let service = match prefix {
            "AmazonEC2ContainerServiceV20141113" => "ecs",
            "Logs_20140328" => "logs",
            _ => return None,
        };
        Some((service, action))
    }

    fn neighbour(&mut self, service: &str, action: &str, input: &Value) -> Result<Value, AwsError> {
        let before = self.neighbours.clone();
        let now = self.sim.now();
        let (body, change) = self.neighbours.call(&self.arns, service, action, input, now)?;
        let forwarded = match change {
            None => Ok(()),
            Some(AlarmChange::Put { name, .. }) => {
                self.sim.apply(Command::PutMetricAlarm { name }).map(|_| ())
            }
            Some(AlarmChange::SetState { name, state }) => {
                let reason = self
                    .neighbours
                    .cloudwatch
                    .alarm(&name)
                    .map(|a| a.state_reason.clone())
                    .unwrap_or_default();
                self.sim.apply(Command::SetAlarmState { name, state, reason }).map(|_| ())
            }
            Some(AlarmChange::Deleted { names }) => {
                self.sim.apply(Command::DeleteAlarms { names }).map(|_| ())
            }
        };
        if let Err(error) = forwarded {
            self.neighbours = before;
            return Err(engine_error(error));
        }
        if service == "iam" {
            self.sync_instance_profiles();
        }
        Ok(body)
    }

    /// Re-evaluates, after an IAM change, whether each capacity provider's instance profile lets
    /// daemons start (seed 002's legacy-policy pitfall, and its fix).
    fn sync_instance_profiles(&mut self) {
        let updates: Vec<(String, bool)> = self
            .providers
            .iter()
            .filter_map(|(name, extras)| {
                let ready = self.neighbours.iam.instance_role_check(&extras.instance_profile).is_ready();
                let provider = self.sim.capacity_provider(name)?;
                (provider.status == CapacityProviderStatus::Active
                    && provider.instance_profile_ready != ready)
                    .then(|| (name.clone(), ready))
            })
            .collect();
        for (capacity_provider, ready) in updates {
            // The provider was just read as ACTIVE; should the engine still refuse, the flag stays.
            let _ = self.sim.apply(Command::SetInstanceProfileReady { capacity_provider, ready });
        }
    }

    fn terminate_instances(&mut self, input: &Value) -> Result<Value, AwsError> {
        let ids = neighbours::terminate_instances_ids(input)?;
        let unknown: Vec<String> = ids
            .iter()
            .filter(|id| {
                self.sim.instance_by_ec2_id(id).is_none_or(|instance| instance.status_str() == "INACTIVE")
            })
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(neighbours::instances_not_found(&unknown));
        }
        neighbours::dry_run(input)?;
        let running: Vec<bool> = ids
            .iter()
            .map(|id| {
                self.sim
                    .instance_by_ec2_id(id)
                    .is_some_and(|instance| !matches!(instance.status_str(), "DEREGISTERING" | "INACTIVE"))
            })
            .collect();
        self.sim.apply(Command::TerminateInstances { instance_ids: ids.clone() }).map_err(engine_error)?;
        let entries: Vec<Value> = ids
            .iter()
            .zip(running)
            .map(|(id, was_running)| neighbours::terminating_instance(id, was_running))
            .collect();
        Ok(crate::support::json::json!({ "TerminatingInstances": entries }))
    }

    pub(crate) fn apply(&mut self, command: Command) -> Result<Outcome, AwsError> {
        self.sim.apply(command).map_err(engine_error)
    }

    /// The tags of the resource `arn`, as ECS renders them.
    pub(crate) fn tags_json(&self, arn: &str) -> Value {
        super::shapes::tags_json(self.tags.get(arn).map(|tags| tags.as_slice()).unwrap_or(&[]))
    }

    /// Records the tags a create request carried.
    pub(crate) fn set_tags(&mut self, arn: &str, tags: &[Tag]) {
        if tags.is_empty() {
            self.tags.remove(arn);
        } else {
            self.tags.insert(arn.to_string(), Box::new(tags.to_vec()));
        }
    }

    pub(crate) fn cluster_extras(&self, name: &str) -> ClusterExtras {
        self.clusters.get(name).map(|extras| (**extras).clone()).unwrap_or_default()
    }

    pub(crate) fn service_extras(&self, cluster: &str, service: &str) -> ServiceExtras {
        self.services
            .get(&(cluster.to_string(), service.to_string()))
            .map(|e| (**e).clone())
            .unwrap_or_default()
    }

    /// Dispatches one decoded ECS request.
    fn ecs(&mut self, request: EcsRequest) -> Result<Value, AwsError> {
        use EcsRequest::*;
        match request {
            RegisterDaemonTaskDefinition(r) => self.register_daemon_task_definition(r),
            DescribeDaemonTaskDefinition(r) => self.describe_daemon_task_definition(r),
            ListDaemonTaskDefinitions(r) => self.list_daemon_task_definitions(r),
            DeleteDaemonTaskDefinition(r) => self.delete_daemon_task_definition(r),
            CreateDaemon(r) => self.create_daemon(r),
            UpdateDaemon(r) => self.update_daemon(r),
            DeleteDaemon(r) => self.delete_daemon(r),
            DescribeDaemon(r) => self.describe_daemon(r),
            ListDaemons(r) => self.list_daemons(r),
            ListDaemonDeployments(r) => self.list_daemon_deployments(r),
            DescribeDaemonDeployments(r) => self.describe_daemon_deployments(r),
            DescribeDaemonRevisions(r) => self.describe_daemon_revisions(r),
            CreateCluster(r) => self.create_cluster(r),
            DeleteCluster(r) => self.delete_cluster(r),
            DescribeClusters(r) => self.describe_clusters(r),
            CreateCapacityProvider(r) => self.create_capacity_provider(r),
            UpdateCapacityProvider(r) => self.update_capacity_provider(r),
            DeleteCapacityProvider(r) => self.delete_capacity_provider(r),
            DescribeCapacityProviders(r) => self.describe_capacity_providers(r),
            PutClusterCapacityProviders(r) => self.put_cluster_capacity_providers(r),
            RegisterTaskDefinition(r) => self.register_task_definition(r),
            CreateService(r) => self.create_service(r),
            UpdateService(r) => self.update_service(r),
            DeleteService(r) => self.delete_service(r),
            DescribeServices(r) => self.describe_services(r),
            ListServices(r) => self.list_services(r),
            RunTask(r) => self.run_task(r),
            StopTask(r) => self.stop_task(r),
            ListTasks(r) => self.list_tasks(r),
            DescribeTasks(r) => self.describe_tasks(r),
            ListContainerInstances(r) => self.list_container_instances(r),
            DescribeContainerInstances(r) => self.describe_container_instances(r),
            UpdateContainerInstancesState(r) => self.update_container_instances_state(r),
            ListClusters(r) => self.list_clusters(r),
            DescribeTaskDefinition(r) => self.describe_task_definition(r),
            TagResource(r) => self.tag_resource(r),
            UntagResource(r) => self.untag_resource(r),
            ListTagsForResource(r) => self.list_tags_for_resource(r),
        }
    }
}
