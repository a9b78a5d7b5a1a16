//! Engine objects rendered in the AWS response shapes of the daemon actions (AWS API reference) (and of the
//! ECS API for clusters, capacity providers, services, tasks and container instances).
//!
//! Absent optional members are left out rather than sent as `null`, as AWS does.

use super::render::timestamp;
use super::ArnContext;
use crate::engine::{
    CapacityProvider, Cluster, ContainerInstance, Daemon, DaemonRevision, DaemonTaskDefinition, Deployment,
    RevisionCounts, Service, ServiceStatus, Simulation, Task, TaskDefinition,
};
use crate::support::json::json;
use serde_json::{Map, Value};

/// Inserts `value` under `key` when present.
fn put_opt(object: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        object.insert(key.to_string(), value);
    }
}

fn opt_time(ms: Option<u64>) -> Option<Value> {
    ms.map(timestamp)
}

/// A DescribeDaemonDeployments revision block (`targetDaemonRevision`, `sourceDaemonRevisions[]`).
pub fn deployment_revision(counts: &RevisionCounts) -> Value {
    let providers: Vec<Value> = counts
        .capacity_providers
        .iter()
        .map(|(_, arn, running, draining, without)| {
            json!({
                "arn": arn,
                "runningInstanceCount": running,
                "drainingInstanceCount": draining,
                "withoutDaemonInstanceCount": without,
            })
        })
        .collect();
    json!({
        "arn": counts.arn,
        "capacityProviders": providers,
        "totalRunningInstanceCount": counts.total_running,
        "totalDrainingInstanceCount": counts.total_draining,
        "totalWithoutDaemonInstanceCount": counts.total_without_daemon,
    })
}

/// One `DaemonDeployment` record (AWS API reference: DescribeDaemonDeployments).
pub fn daemon_deployment(sim: &Simulation, deployment: &Deployment) -> Value {
    let mut object = Map::new();
    object.insert("daemonDeploymentArn".into(), json!(&*deployment.arn));
    object.insert("clusterArn".into(), json!(sim.cluster(&deployment.cluster).map(|c| c.arn.to_string())));
    object.insert("status".into(), json!(deployment.status.as_str()));
    put_opt(&mut object, "statusReason", deployment.status_reason.as_ref().map(|reason| json!(reason)));
    let providers = &deployment.capacity_providers;
    let target = sim.revision_counts(deployment.daemon, deployment.target_revision, providers);
    object.insert("targetDaemonRevision".into(), deployment_revision(&target));
    let sources: Vec<Value> = deployment
        .source_revisions
        .iter()
        .map(|revision| deployment_revision(&sim.revision_counts(deployment.daemon, *revision, providers)))
        .collect();
    object.insert("sourceDaemonRevisions".into(), Value::Array(sources));
    let breaker = &deployment.circuit_breaker;
    object.insert(
        "circuitBreaker".into(),
        json!({"failureCount": breaker.failure_count, "status": breaker.status, "threshold": breaker.threshold}),
    );
    let alarms = &deployment.alarms;
    object.insert(
        "alarms".into(),
        json!({
            "status": alarms.status,
            "alarmNames": alarms.alarm_names,
            "triggeredAlarmNames": alarms.triggered_alarm_names,
        }),
    );
    if let Some(rollback) = &deployment.rollback {
        let target_arn = sim.revision(rollback.target_revision).map(|r| r.arn.to_string());
        let cps: Vec<String> = rollback
            .capacity_providers
            .iter()
            .map(|name| {
                sim.capacity_provider(name).map(|cp| cp.arn.to_string()).unwrap_or_else(|| name.clone())
            })
            .collect();
        object.insert(
            "rollback".into(),
            json!({
                "reason": rollback.reason,
                "startedAt": timestamp(rollback.started_at),
                "rollbackTargetDaemonRevisionArn": target_arn,
                "rollbackCapacityProviders": cps,
            }),
        );
    }
    let config = &deployment.config;
    let mut configuration = Map::new();
    configuration.insert("drainPercent".into(), json!(config.drain_percent));
    configuration.insert("bakeTimeInMinutes".into(), json!(config.bake_time_in_minutes));
    if config.alarms_enabled || !config.alarm_names.is_empty() {
        configuration.insert(
            "alarms".into(),
            json!({"alarmNames": config.alarm_names, "enable": config.alarms_enabled}),
        );
    }
    object.insert("deploymentConfiguration".into(), Value::Object(configuration));
    object.insert("createdAt".into(), timestamp(deployment.created_at));
    put_opt(&mut object, "startedAt", opt_time(deployment.started_at));
    put_opt(&mut object, "stoppedAt", opt_time(deployment.stopped_at));
    put_opt(&mut object, "finishedAt", opt_time(deployment.finished_at));
    Value::Object(object)
}

/// One ListDaemonDeployments summary (AWS API reference: ListDaemonDeployments).
pub fn daemon_deployment_summary(sim: &Simulation, daemon: &Daemon, deployment: &Deployment) -> Value {
    let mut object = Map::new();
    object.insert("daemonDeploymentArn".into(), json!(&*deployment.arn));
    object.insert("daemonArn".into(), json!(&*daemon.arn));
    object.insert("clusterArn".into(), json!(sim.cluster(&deployment.cluster).map(|c| c.arn.to_string())));
    object.insert("status".into(), json!(deployment.status.as_str()));
    put_opt(&mut object, "statusReason", deployment.status_reason.as_ref().map(|reason| json!(reason)));
    let target = sim.revision(deployment.target_revision).map(|r| r.arn.to_string());
    object.insert("targetDaemonRevisionArn".into(), json!(target));
    object.insert("createdAt".into(), timestamp(deployment.created_at));
    put_opt(&mut object, "startedAt", opt_time(deployment.started_at));
    put_opt(&mut object, "stoppedAt", opt_time(deployment.stopped_at));
    put_opt(&mut object, "finishedAt", opt_time(deployment.finished_at));
    Value::Object(object)
}

/// DescribeDaemon's `daemon` (AWS API reference: DescribeDaemon): no deployment configuration, tags or flags.
pub fn daemon_detail(sim: &Simulation, daemon: &Daemon) -> Value {
    let revisions: Vec<Value> = sim
        .current_revisions(daemon)
        .iter()
        .map(|counts| {
            let providers: Vec<Value> = counts
                .capacity_providers
                .iter()
                .map(|(_, arn, running, _, without)| {
                    json!({"arn": arn, "runningCount": running, "withoutDaemonCount": without})
                })
                .collect();
            json!({
                "arn": counts.arn,
                "capacityProviders": providers,
                "totalRunningCount": counts.total_running,
                "totalWithoutDaemonCount": counts.total_without_daemon,
            })
        })
        .collect();
    let latest =
        daemon.deployments.last().and_then(|key| sim.deployment_by_key(*key)).map(|d| d.arn.to_string());
    let mut object = Map::new();
    object.insert("daemonArn".into(), json!(&*daemon.arn));
    object.insert("clusterArn".into(), json!(sim.cluster(&daemon.cluster).map(|c| c.arn.to_string())));
    object.insert("status".into(), json!(daemon.status));
    object.insert("currentRevisions".into(), Value::Array(revisions));
    put_opt(&mut object, "deploymentArn", latest.map(Value::String));
    object.insert("createdAt".into(), timestamp(daemon.created_at));
    object.insert("updatedAt".into(), timestamp(daemon.updated_at));
    Value::Object(object)
}

/// One `DaemonRevision` (AWS API reference: DescribeDaemonRevisions).
pub fn daemon_revision(sim: &Simulation, revision: &DaemonRevision) -> Value {
    let images: Vec<Value> = revision
        .container_images
        .iter()
        .map(|(name, image, digest)| json!({"containerName": name, "image": image, "imageDigest": digest}))
        .collect();
    json!({
        "daemonRevisionArn": &*revision.arn,
        "clusterArn": sim.cluster(&revision.cluster).map(|c| c.arn.to_string()),
        "daemonArn": sim.daemon_by_key(revision.daemon).map(|d| d.arn.to_string()),
        "daemonTaskDefinitionArn": &*revision.daemon_task_definition,
        "createdAt": timestamp(revision.created_at),
        "containerImages": images,
        "propagateTags": revision.propagate_tags,
        "enableECSManagedTags": revision.enable_ecs_managed_tags,
        "enableExecuteCommand": revision.enable_execute_command,
        "critical": revision.critical,
    })
}

/// DescribeDaemonTaskDefinition's `daemonTaskDefinition` (AWS API reference: DescribeDaemonTaskDefinition):
/// the registered document with the service-side members added.
pub fn daemon_task_definition(arns: &ArnContext, definition: &DaemonTaskDefinition) -> Value {
    let mut object = match &definition.document {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    object.remove("tags");
    object.insert("daemonTaskDefinitionArn".into(), json!(&*definition.arn));
    object.insert("family".into(), json!(definition.family));
    object.insert("revision".into(), json!(definition.revision));
    object.insert("status".into(), json!(definition.status));
    object.insert("registeredAt".into(), timestamp(definition.registered_at));
    put_opt(&mut object, "deleteRequestedAt", opt_time(definition.delete_requested_at));
    object.insert("registeredBy".into(), json!(arns.caller()));
    if let Some(cpu) = definition.cpu {
        object.insert("cpu".into(), json!(cpu.to_string()));
    }
    if let Some(memory) = definition.memory {
        object.insert("memory".into(), json!(memory.to_string()));
    }
    object.entry("volumes").or_insert_with(|| json!([]));
    Value::Object(object)
}

/// RegisterTaskDefinition / DescribeTaskDefinition's `taskDefinition`.
pub fn task_definition(arns: &ArnContext, definition: &TaskDefinition) -> Value {
    let mut object = match &definition.document {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    object.remove("tags");
    object.insert("taskDefinitionArn".into(), json!(&*definition.arn));
    object.insert("family".into(), json!(definition.family));
    object.insert("revision".into(), json!(definition.revision));
    object.insert("status".into(), json!(definition.status));
    object.insert("registeredAt".into(), timestamp(definition.registered_at));
    object.insert("registeredBy".into(), json!(arns.caller()));
    object.entry("volumes").or_insert_with(|| json!([]));
    object.entry("placementConstraints").or_insert_with(|| json!([]));
    object.insert("compatibilities".into(), json!(["EC2", "MANAGED_INSTANCES"]));
    object.insert("requiresAttributes".into(), json!([]));
    Value::Object(object)
}

/// Strategy items as the API keeps them (engine clusters keep names only).
pub fn strategy_json(items: &[crate::api::request::StrategyItem]) -> Value {
    Value::Array(
        items
            .iter()
            .map(|item| json!({"capacityProvider": item.capacity_provider, "weight": item.weight, "base": item.base}))
            .collect(),
    )
}

/// A `Cluster`, with counts computed from the simulation.
pub fn cluster(sim: &Simulation, cluster: &Cluster, strategy: Value, tags: Value) -> Value {
    let instances = sim.container_instances(&cluster.name).count();
    let (mut running, mut pending) = (0, 0);
    for task in sim.tasks(&cluster.name).filter(|task| task.is_live()) {
        if task.last_status.as_str() == "RUNNING" {
            running += 1;
        } else {
            pending += 1;
        }
    }
    let services =
        sim.services(&cluster.name).filter(|service| service.status == ServiceStatus::Active).count();
    json!({
        "clusterArn": &*cluster.arn,
        "clusterName": cluster.name,
        "status": cluster.status,
        "registeredContainerInstancesCount": instances,
        "runningTasksCount": running,
        "pendingTasksCount": pending,
        "activeServicesCount": services,
        "statistics": [],
        "tags": tags,
        "settings": [{"name": "containerInsights", "value": "disabled"}],
        "capacityProviders": cluster.capacity_providers,
        "defaultCapacityProviderStrategy": strategy,
    })
}

/// A Managed Instances `CapacityProvider`.
pub fn capacity_provider(provider: &CapacityProvider, document: Option<&Value>, tags: Value) -> Value {
    let mut managed = match document {
        Some(Value::Object(map)) => map.clone(),
        _ => Map::new(),
    };
    managed.entry("propagateTags").or_insert_with(|| json!("NONE"));
    json!({
        "capacityProviderArn": &*provider.arn,
        "name": provider.name,
        "cluster": provider.cluster,
        "status": provider.status,
        "type": "MANAGED_INSTANCES",
        "managedInstancesProvider": Value::Object(managed),
        "tags": tags,
    })
}

/// Extra service settings the engine does not keep.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceExtras {
    pub strategy: Vec<crate::api::request::StrategyItem>,
    pub launch_type: Option<String>,
    pub network: Option<crate::api::request::AwsVpcConfiguration>,
    pub enable_execute_command: bool,
    pub propagate_tags: Option<String>,
}

pub fn tags_json(tags: &[crate::api::validate::Tag]) -> Value {
    Value::Array(tags.iter().map(|tag| json!({"key": tag.key, "value": tag.value})).collect())
}

fn network_json(network: &Option<crate::api::request::AwsVpcConfiguration>) -> Option<Value> {
    network.as_ref().map(|vpc| {
        json!({"awsvpcConfiguration": {
            "subnets": vpc.subnets,
            "securityGroups": vpc.security_groups,
            "assignPublicIp": vpc.assign_public_ip.clone().unwrap_or_else(|| "DISABLED".into()),
        }})
    })
}

/// A `Service` with its single PRIMARY deployment.
pub fn service(sim: &Simulation, service: &Service, extras: &ServiceExtras, tags: Value) -> Value {
    let cluster_arn = sim.cluster(&service.cluster).map(|c| c.arn.to_string());
    let pending = service.pending_count();
    let strategy = if extras.strategy.is_empty() && extras.launch_type.is_none() {
        json!([{"capacityProvider": service.capacity_provider, "weight": 1, "base": 0}])
    } else {
        strategy_json(&extras.strategy)
    };
    let rollout = if service.running_count == service.desired_count && pending == 0 {
        "COMPLETED"
    } else {
        "IN_PROGRESS"
    };
    let mut deployment = json!({
        "id": format!("ecs-svc/{}", service.key),
        "status": "PRIMARY",
        "taskDefinition": &*service.task_definition,
        "desiredCount": service.desired_count,
        "pendingCount": pending,
        "runningCount": service.running_count,
        "failedTasks": 0,
        "createdAt": timestamp(service.created_at),
        "updatedAt": timestamp(service.created_at),
        "capacityProviderStrategy": strategy,
        "rolloutState": rollout,
    });
    if let Some(network) = network_json(&extras.network) {
        deployment["networkConfiguration"] = network;
    }
    let mut object = Map::new();
    object.insert("serviceArn".into(), json!(&*service.arn));
    object.insert("serviceName".into(), json!(service.name));
    object.insert("clusterArn".into(), json!(cluster_arn));
    object.insert("status".into(), json!(service.status));
    object.insert("desiredCount".into(), json!(service.desired_count));
    object.insert("runningCount".into(), json!(service.running_count));
    object.insert("pendingCount".into(), json!(pending));
    if let Some(launch_type) = &extras.launch_type {
        object.insert("launchType".into(), json!(launch_type));
    } else {
        object.insert("capacityProviderStrategy".into(), strategy);
    }
    object.insert("taskDefinition".into(), json!(&*service.task_definition));
    object.insert(
        "deploymentConfiguration".into(),
        json!({
            "deploymentCircuitBreaker": {"enable": false, "rollback": false},
            "maximumPercent": service.maximum_percent,
            "minimumHealthyPercent": service.minimum_healthy_percent,
        }),
    );
    object.insert("deployments".into(), json!([deployment]));
    object.insert("events".into(), json!([]));
    object.insert("createdAt".into(), timestamp(service.created_at));
    put_opt(&mut object, "networkConfiguration", network_json(&extras.network));
    object.insert("schedulingStrategy".into(), json!("REPLICA"));
    object.insert("deploymentController".into(), json!({"type": "ECS"}));
    object.insert("tags".into(), tags);
    object.insert("enableECSManagedTags".into(), json!(false));
    object.insert(
        "propagateTags".into(),
        json!(extras.propagate_tags.clone().unwrap_or_else(|| "NONE".into())),
    );
    object.insert("enableExecuteCommand".into(), json!(extras.enable_execute_command));
    Value::Object(object)
}

/// A `Task` (DescribeTasks, RunTask, StopTask).
pub fn task(sim: &Simulation, task: &Task, enable_execute_command: bool) -> Value {
    let containers: Vec<Value> = task
        .images
        .iter()
        .map(|(name, image)| {
            let mut container = json!({
                "taskArn": &*task.arn,
                "name": name,
                "image": image,
                "lastStatus": task.last_status.as_str(),
                "healthStatus": task.health_status,
                "cpu": "0",
            });
            if task.last_status.as_str() == "STOPPED" {
                container["exitCode"] =
                    json!(if task.stop_code == Some("TaskFailedToStart") { 255 } else { 0 });
            }
            container
        })
        .collect();
    let mut object = Map::new();
    object.insert("taskArn".into(), json!(&*task.arn));
    object.insert("clusterArn".into(), json!(sim.cluster(&task.cluster).map(|c| c.arn.to_string())));
    object.insert("taskDefinitionArn".into(), json!(&*task.task_definition));
    object.insert("containerInstanceArn".into(), json!(&*task.container_instance_arn));
    object.insert("capacityProviderName".into(), json!(task.capacity_provider));
    object.insert("group".into(), json!(&*task.group));
    object.insert("startedBy".into(), json!(&*task.started_by));
    object.insert("launchType".into(), json!("MANAGED_INSTANCES"));
    object.insert("lastStatus".into(), json!(task.last_status.as_str()));
    object.insert("desiredStatus".into(), json!(task.desired_status));
    object.insert("healthStatus".into(), json!(task.health_status));
    object.insert("cpu".into(), json!(task.cpu.to_string()));
    object.insert("memory".into(), json!(task.memory.to_string()));
    object.insert("containers".into(), Value::Array(containers));
    object.insert("createdAt".into(), timestamp(task.created_at));
    put_opt(&mut object, "pullStartedAt", opt_time(task.pull_started_at));
    put_opt(&mut object, "pullStoppedAt", opt_time(task.pull_stopped_at));
    put_opt(&mut object, "startedAt", opt_time(task.started_at));
    put_opt(&mut object, "stoppingAt", opt_time(task.stopping_at));
    put_opt(&mut object, "stoppedAt", opt_time(task.stopped_at));
    put_opt(&mut object, "executionStoppedAt", opt_time(task.stopped_at));
    put_opt(&mut object, "stopCode", task.stop_code.map(|code| json!(code)));
    put_opt(&mut object, "stoppedReason", task.stopped_reason.as_ref().map(|reason| json!(reason)));
    object.insert("connectivity".into(), json!("CONNECTED"));
    object.insert("connectivityAt".into(), timestamp(task.created_at));
    object.insert("enableExecuteCommand".into(), json!(enable_execute_command));
    object.insert("version".into(), json!(task.version));
    object.insert("tags".into(), json!([]));
    object.insert("attachments".into(), json!([]));
    Value::Object(object)
}

fn resources(cpu: u32, memory: u32) -> Value {
    json!([
        {"name": "CPU", "type": "INTEGER", "doubleValue": 0.0, "longValue": 0, "integerValue": cpu},
        {"name": "MEMORY", "type": "INTEGER", "doubleValue": 0.0, "longValue": 0, "integerValue": memory},
        {"name": "PORTS", "type": "STRINGSET", "doubleValue": 0.0, "longValue": 0, "integerValue": 0,
         "stringSetValue": ["22", "2375", "2376", "51678", "51679"]},
        {"name": "PORTS_UDP", "type": "STRINGSET", "doubleValue": 0.0, "longValue": 0, "integerValue": 0,
         "stringSetValue": []},
    ])
}

/// A `ContainerInstance`; `healthStatus` only when the caller asked for it.
pub fn container_instance(sim: &Simulation, instance: &ContainerInstance, with_health: bool) -> Value {
    let (running, pending) = sim.task_counts(instance);
    let mut object = Map::new();
    object.insert("containerInstanceArn".into(), json!(&*instance.arn));
    object.insert("ec2InstanceId".into(), json!(&*instance.ec2_instance_id));
    object.insert("capacityProviderName".into(), json!(instance.capacity_provider));
    object.insert("version".into(), json!(instance.version));
    object.insert(
        "versionInfo".into(),
        json!({"agentVersion": "1.98.0", "agentHash": "00000000", "dockerVersion": "DockerVersion: 25.0.8"}),
    );
    object.insert("remainingResources".into(), resources(instance.remaining_cpu, instance.remaining_memory));
    object
        .insert("registeredResources".into(), resources(instance.registered_cpu, instance.registered_memory));
    object.insert("status".into(), json!(instance.status_str()));
    object.insert("agentConnected".into(), json!(instance.status_str() != "INACTIVE"));
    object.insert("runningTasksCount".into(), json!(running));
    object.insert("pendingTasksCount".into(), json!(pending));
    object.insert(
        "attributes".into(),
        json!([{"name": "ecs.instance-type", "value": instance.instance_type}, {"name": "ecs.os-type", "value": "linux"}]),
    );
    put_opt(&mut object, "registeredAt", opt_time(instance.registered_at));
    object.insert("attachments".into(), json!([]));
    object.insert("tags".into(), json!([]));
    if with_health {
        let health = &instance.health;
        let mut detail = json!({
            "type": "DAEMON",
            "status": health.status.as_str(),
            "lastUpdated": timestamp(health.last_updated),
            "lastStatusChange": timestamp(health.last_status_change),
        });
        if let Some(reason) = &health.status_reason {
            detail["statusReason"] = json!(reason);
        }
        object.insert(
            "healthStatus".into(),
            json!({"overallStatus": health.overall_status().as_str(), "details": [detail]}),
        );
    }
    Value::Object(object)
}
