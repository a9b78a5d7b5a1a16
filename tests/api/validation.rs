//! Table-driven validation: invalid requests across every constraint of the daemon actions (AWS API
//! reference), each answered by the right AWS error type with a message naming the offending member, and none
//! of them changing anything in a populated simulation (engine state, RNG, timers, event log, neighbours).

use ecs_daemon_sim::api::request::decode_ecs;
use ecs_daemon_sim::api::{Api, ArnContext};
use serde_json::{json, Value};

const A: &str = "arn:aws:ecs:us-east-1:123456789012";

fn arn(resource: &str) -> String {
    format!("{A}:{resource}")
}

/// `base` with the member at `path` (dot-separated, numeric segments index lists) set to `value`.
fn with(base: &Value, path: &str, value: Value) -> Value {
    let mut result = base.clone();
    let mut cursor = &mut result;
    let segments: Vec<&str> = path.split('.').collect();
    for (index, segment) in segments.iter().enumerate() {
        let last = index == segments.len() - 1;
        if let Ok(position) = segment.parse::<usize>() {
            if last {
                cursor[position] = value;
                return result;
            }
            cursor = &mut cursor[position];
        } else {
            if last {
                cursor[*segment] = value;
                return result;
            }
            if cursor.get(*segment).is_none() {
                cursor[*segment] = json!({});
            }
            cursor = &mut cursor[*segment];
        }
    }
    result
}

fn without(base: &Value, member: &str) -> Value {
    let mut result = base.clone();
    result.as_object_mut().unwrap().remove(member);
    result
}

fn create_daemon() -> Value {
    json!({
        "daemonName": "agent",
        "clusterArn": arn("cluster/c"),
        "daemonTaskDefinitionArn": arn("daemon-task-definition/fam:1"),
        "capacityProviderArns": [arn("capacity-provider/cp")],
    })
}

fn update_daemon() -> Value {
    json!({
        "daemonArn": arn("daemon/c/agent"),
        "daemonTaskDefinitionArn": arn("daemon-task-definition/fam:2"),
        "capacityProviderArns": [arn("capacity-provider/cp")],
    })
}

fn register_dtd() -> Value {
    json!({
        "family": "fam",
        "cpu": "256",
        "memory": "512",
        "containerDefinitions": [{"name": "agent", "image": "public.ecr.aws/docker/library/nginx:alpine"}],
    })
}

fn create_capacity_provider() -> Value {
    json!({
        "name": "cp2",
        "cluster": "c",
        "managedInstancesProvider": {
            "infrastructureRoleArn": "arn:aws:iam::123456789012:role/ecsInfrastructureRole",
            "instanceLaunchTemplate": {
                "ec2InstanceProfileArn": "arn:aws:iam::123456789012:instance-profile/ecsInstanceRole",
                "networkConfiguration": {"subnets": ["subnet-1"], "securityGroups": ["sg-1"]},
                "instanceRequirements": {"vCpuCount": {"min": 2, "max": 4}, "memoryMiB": {"min": 4096, "max": 8192}}
            }
        }
    })
}

fn create_service() -> Value {
    json!({
        "cluster": "c",
        "serviceName": "app",
        "taskDefinition": "app:1",
        "desiredCount": 1,
        "capacityProviderStrategy": [{"capacityProvider": "cp", "weight": 1}],
        "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"], "securityGroups": ["sg-1"]}},
    })
}

fn tags(count: usize) -> Value {
    Value::Array((0..count).map(|index| json!({"key": format!("k{index}"), "value": "v"})).collect())
}

fn arns_list(kind: &str, count: usize) -> Value {
    Value::Array((0..count).map(|index| json!(arn(&format!("{kind}/c/agent/id{index}")))).collect())
}

/// One invalid request: service, action, body, the expected error type, and a word the message
/// must contain (the member it names).
pub struct Case {
    service: &'static str,
    action: &'static str,
    input: Value,
    error_type: &'static str,
    names: &'static str,
}

fn case(
    service: &'static str,
    action: &'static str,
    input: Value,
    error_type: &'static str,
    names: &'static str,
) -> Case {
    Case { service, action, input, error_type, names }
}

fn ecs(action: &'static str, input: Value, error_type: &'static str, names: &'static str) -> Case {
    case("ecs", action, input, error_type, names)
}

const IPE: &str = "InvalidParameterException";
const SER: &str = "SerializationException";
const CLIENT: &str = "ClientException";

pub fn invalid_requests() -> Vec<Case> {
    let cd = create_daemon();
    let ud = update_daemon();
    let dtd = register_dtd();
    let cp = create_capacity_provider();
    let svc = create_service();
    let long_name = "a".repeat(256);
    vec![
        // CreateDaemon: daemonName
        ecs("CreateDaemon", without(&cd, "daemonName"), IPE, "daemonName"),
        ecs("CreateDaemon", with(&cd, "daemonName", json!(long_name)), IPE, "daemonName"),
        ecs("CreateDaemon", with(&cd, "daemonName", json!("bad name")), IPE, "daemonName"),
        ecs("CreateDaemon", with(&cd, "daemonName", json!("")), IPE, "daemonName"),
        ecs("CreateDaemon", with(&cd, "daemonName", json!("agent.v2")), IPE, "daemonName"),
        ecs("CreateDaemon", with(&cd, "daemonName", json!(7)), SER, "daemonName"),
        // CreateDaemon: task definition, capacity providers, cluster
        ecs("CreateDaemon", without(&cd, "daemonTaskDefinitionArn"), IPE, "daemonTaskDefinitionArn"),
        ecs(
            "CreateDaemon",
            with(&cd, "daemonTaskDefinitionArn", json!(arn("task-definition/fam:1"))),
            IPE,
            "daemonTaskDefinitionArn",
        ),
        ecs(
            "CreateDaemon",
            with(&cd, "daemonTaskDefinitionArn", json!(arn("daemon-task-definition/fam:0"))),
            IPE,
            "daemonTaskDefinitionArn",
        ),
        ecs(
            "CreateDaemon",
            with(&cd, "daemonTaskDefinitionArn", json!(arn("daemon-task-definition/fam"))),
            IPE,
            "daemonTaskDefinitionArn",
        ),
        ecs("CreateDaemon", without(&cd, "capacityProviderArns"), IPE, "capacityProviderArns"),
        ecs("CreateDaemon", with(&cd, "capacityProviderArns", json!([])), IPE, "capacityProviderArns"),
        ecs(
            "CreateDaemon",
            with(&cd, "capacityProviderArns", json!(arn("capacity-provider/cp"))),
            SER,
            "capacityProviderArns",
        ),
        ecs("CreateDaemon", with(&cd, "capacityProviderArns", json!([5])), SER, "capacityProviderArns[0]"),
        ecs(
            "CreateDaemon",
            with(&cd, "capacityProviderArns", json!(["cp", arn("capacity-provider/cp")])),
            IPE,
            "capacityProviderArns",
        ),
        ecs(
            "CreateDaemon",
            with(&cd, "capacityProviderArns", json!([arn("cluster/cp")])),
            IPE,
            "capacityProviderArns[0]",
        ),
        ecs(
            "CreateDaemon",
            with(&cd, "clusterArn", json!("arn:aws:ecs:eu-west-1:123456789012:cluster/c")),
            IPE,
            "clusterArn",
        ),
        ecs(
            "CreateDaemon",
            with(&cd, "clusterArn", json!("arn:aws:ecs:us-east-1:999999999999:cluster/c")),
            IPE,
            "clusterArn",
        ),
        ecs(
            "CreateDaemon",
            with(&cd, "clusterArn", json!("arn:aws:ecs:us-east-1:123456789012:cluster/")),
            IPE,
            "clusterArn",
        ),
        // CreateDaemon: clientToken
        ecs("CreateDaemon", with(&cd, "clientToken", json!("x".repeat(37))), IPE, "clientToken"),
        ecs("CreateDaemon", with(&cd, "clientToken", json!("has space")), IPE, "clientToken"),
        ecs("CreateDaemon", with(&cd, "clientToken", json!("")), IPE, "clientToken"),
        ecs("CreateDaemon", with(&cd, "clientToken", json!("café")), IPE, "clientToken"),
        ecs("CreateDaemon", with(&cd, "clientToken", json!("tab\there")), IPE, "clientToken"),
        // CreateDaemon: tags
        ecs("CreateDaemon", with(&cd, "tags", tags(51)), IPE, "tags"),
        ecs(
            "CreateDaemon",
            with(&cd, "tags", json!([{"key": "k".repeat(129), "value": "v"}])),
            IPE,
            "tags[0].key",
        ),
        ecs(
            "CreateDaemon",
            with(&cd, "tags", json!([{"key": "k", "value": "v".repeat(257)}])),
            IPE,
            "tags[0].value",
        ),
        ecs(
            "CreateDaemon",
            with(&cd, "tags", json!([{"key": "aws:owner", "value": "v"}])),
            IPE,
            "tags[0].key",
        ),
        ecs(
            "CreateDaemon",
            with(&cd, "tags", json!([{"key": "AWS:owner", "value": "v"}])),
            IPE,
            "tags[0].key",
        ),
        ecs(
            "CreateDaemon",
            with(&cd, "tags", json!([{"key": "owner", "value": "Aws:team"}])),
            IPE,
            "tags[0].value",
        ),
        ecs("CreateDaemon", with(&cd, "tags", json!([{"key": "", "value": "v"}])), IPE, "tags[0].key"),
        ecs("CreateDaemon", with(&cd, "tags", json!([{"value": "v"}])), IPE, "tags[0].key"),
        ecs(
            "CreateDaemon",
            with(&cd, "tags", json!([{"key": "cost#centre", "value": "v"}])),
            IPE,
            "tags[0].key",
        ),
        ecs(
            "CreateDaemon",
            with(&cd, "tags", json!([{"key": "k", "value": "1"}, {"key": "k", "value": "2"}])),
            IPE,
            "tags",
        ),
        ecs("CreateDaemon", with(&cd, "tags", json!({"k": "v"})), SER, "tags"),
        // CreateDaemon: enums, flags, deployment configuration
        ecs("CreateDaemon", with(&cd, "propagateTags", json!("SERVICE")), IPE, "propagateTags"),
        ecs("CreateDaemon", with(&cd, "propagateTags", json!("daemon")), IPE, "propagateTags"),
        ecs(
            "CreateDaemon",
            with(&cd, "deploymentConfiguration.drainPercent", json!(100.5)),
            IPE,
            "deploymentConfiguration.drainPercent",
        ),
        ecs(
            "CreateDaemon",
            with(&cd, "deploymentConfiguration.drainPercent", json!(-1)),
            IPE,
            "deploymentConfiguration.drainPercent",
        ),
        ecs(
            "CreateDaemon",
            with(&cd, "deploymentConfiguration.drainPercent", json!("25")),
            SER,
            "deploymentConfiguration.drainPercent",
        ),
        ecs(
            "CreateDaemon",
            with(&cd, "deploymentConfiguration.bakeTimeInMinutes", json!(1441)),
            IPE,
            "deploymentConfiguration.bakeTimeInMinutes",
        ),
        ecs(
            "CreateDaemon",
            with(&cd, "deploymentConfiguration.bakeTimeInMinutes", json!(-1)),
            IPE,
            "deploymentConfiguration.bakeTimeInMinutes",
        ),
        ecs(
            "CreateDaemon",
            with(&cd, "deploymentConfiguration.bakeTimeInMinutes", json!(1.5)),
            SER,
            "deploymentConfiguration.bakeTimeInMinutes",
        ),
        ecs(
            "CreateDaemon",
            with(&cd, "deploymentConfiguration.alarms.enable", json!("yes")),
            SER,
            "deploymentConfiguration.alarms.enable",
        ),
        ecs(
            "CreateDaemon",
            with(&cd, "deploymentConfiguration.alarms", json!({"enable": true, "alarmNames": []})),
            IPE,
            "alarmNames",
        ),
        ecs(
            "CreateDaemon",
            with(&cd, "deploymentConfiguration.alarms", json!({"enable": false, "alarmNames": [""]})),
            IPE,
            "alarmNames",
        ),
        ecs("CreateDaemon", with(&cd, "deploymentConfiguration", json!([])), SER, "deploymentConfiguration"),
        ecs("CreateDaemon", with(&cd, "enableExecuteCommand", json!("true")), SER, "enableExecuteCommand"),
        ecs("CreateDaemon", with(&cd, "enableECSManagedTags", json!(1)), SER, "enableECSManagedTags"),
        ecs("CreateDaemon", with(&cd, "critical", json!("no")), SER, "critical"),
        ecs("CreateDaemon", json!(["not", "an", "object"]), SER, "request body"),
        // UpdateDaemon
        ecs("UpdateDaemon", without(&ud, "daemonArn"), IPE, "daemonArn"),
        ecs("UpdateDaemon", with(&ud, "daemonArn", json!("agent")), IPE, "daemonArn"),
        ecs("UpdateDaemon", with(&ud, "daemonArn", json!(arn("daemon/c"))), IPE, "daemonArn"),
        ecs("UpdateDaemon", with(&ud, "daemonArn", json!(arn("daemon/c/agent/extra"))), IPE, "daemonArn"),
        ecs("UpdateDaemon", without(&ud, "daemonTaskDefinitionArn"), IPE, "daemonTaskDefinitionArn"),
        ecs("UpdateDaemon", without(&ud, "capacityProviderArns"), IPE, "capacityProviderArns"),
        ecs(
            "UpdateDaemon",
            with(&ud, "deploymentConfiguration.drainPercent", json!(150)),
            IPE,
            "drainPercent",
        ),
        ecs(
            "UpdateDaemon",
            with(&ud, "deploymentConfiguration.bakeTimeInMinutes", json!(2000)),
            IPE,
            "bakeTimeInMinutes",
        ),
        ecs("UpdateDaemon", with(&ud, "propagateTags", json!("TASK_DEFINITION")), IPE, "propagateTags"),
        // DeleteDaemon, DescribeDaemon, ListDaemons
        ecs("DeleteDaemon", json!({"daemonArn": arn("service/c/agent")}), IPE, "daemonArn"),
        ecs("DeleteDaemon", json!({}), IPE, "daemonArn"),
        ecs("DescribeDaemon", json!({}), IPE, "daemonArn"),
        ecs("DescribeDaemon", json!({"daemonArn": ["x"]}), SER, "daemonArn"),
        ecs("ListDaemons", json!({"maxResults": 0}), IPE, "maxResults"),
        ecs("ListDaemons", json!({"maxResults": 101}), IPE, "maxResults"),
        ecs("ListDaemons", json!({"nextToken": "garbage"}), IPE, "nextToken"),
        ecs("ListDaemons", json!({"capacityProviderArns": ["bad name"]}), IPE, "capacityProviderArns[0]"),
        // ListDaemonDeployments, DescribeDaemonDeployments, DescribeDaemonRevisions
        ecs("ListDaemonDeployments", json!({}), IPE, "daemonArn"),
        ecs(
            "ListDaemonDeployments",
            json!({"daemonArn": arn("daemon/c/agent"), "status": ["DONE"]}),
            IPE,
            "status[0]",
        ),
        ecs(
            "ListDaemonDeployments",
            json!({"daemonArn": arn("daemon/c/agent"), "maxResults": 101}),
            IPE,
            "maxResults",
        ),
        ecs(
            "ListDaemonDeployments",
            json!({"daemonArn": arn("daemon/c/agent"), "createdAt": {"after": "yesterday"}}),
            SER,
            "createdAt.after",
        ),
        ecs(
            "DescribeDaemonDeployments",
            json!({"daemonDeploymentArns": arns_list("daemon-deployment", 21)}),
            IPE,
            "daemonDeploymentArns",
        ),
        ecs("DescribeDaemonDeployments", json!({"daemonDeploymentArns": []}), IPE, "daemonDeploymentArns"),
        ecs("DescribeDaemonDeployments", json!({}), IPE, "daemonDeploymentArns"),
        ecs(
            "DescribeDaemonDeployments",
            json!({"daemonDeploymentArns": [arn("daemon-deployment/c/abc")]}),
            IPE,
            "daemonDeploymentArns[0]",
        ),
        ecs(
            "DescribeDaemonRevisions",
            json!({"daemonRevisionArns": arns_list("daemon-revision", 21)}),
            IPE,
            "daemonRevisionArns",
        ),
        ecs(
            "DescribeDaemonRevisions",
            json!({"daemonRevisionArns": [arn("daemon-revision/c/agent/")]}),
            IPE,
            "daemonRevisionArns[0]",
        ),
        // RegisterDaemonTaskDefinition
        ecs("RegisterDaemonTaskDefinition", without(&dtd, "family"), IPE, "family"),
        ecs("RegisterDaemonTaskDefinition", with(&dtd, "family", json!("bad/family")), IPE, "family"),
        ecs("RegisterDaemonTaskDefinition", with(&dtd, "family", json!("f".repeat(256))), IPE, "family"),
        ecs(
            "RegisterDaemonTaskDefinition",
            without(&dtd, "containerDefinitions"),
            IPE,
            "containerDefinitions",
        ),
        ecs(
            "RegisterDaemonTaskDefinition",
            with(&dtd, "containerDefinitions", json!([])),
            CLIENT,
            "containerDefinitions",
        ),
        ecs(
            "RegisterDaemonTaskDefinition",
            with(&dtd, "containerDefinitions", json!([{"name": "agent"}])),
            CLIENT,
            "containerDefinitions[0].image",
        ),
        ecs(
            "RegisterDaemonTaskDefinition",
            with(&dtd, "containerDefinitions.0.essential", json!(false)),
            CLIENT,
            "essential",
        ),
        ecs(
            "RegisterDaemonTaskDefinition",
            with(
                &dtd,
                "containerDefinitions",
                json!([{"name": "a", "image": "x"}, {"name": "a", "image": "y"}]),
            ),
            CLIENT,
            "containerDefinitions[1].name",
        ),
        ecs("RegisterDaemonTaskDefinition", with(&dtd, "pidMode", json!("host")), IPE, "pidMode"),
        ecs("RegisterDaemonTaskDefinition", with(&dtd, "ipcMode", json!("task")), IPE, "ipcMode"),
        ecs("RegisterDaemonTaskDefinition", with(&dtd, "cpu", json!("lots")), CLIENT, "cpu"),
        ecs("RegisterDaemonTaskDefinition", with(&dtd, "memory", json!(512)), SER, "memory"),
        ecs(
            "RegisterDaemonTaskDefinition",
            with(
                &dtd,
                "containerDefinitions.0.healthCheck",
                json!({"command": ["CMD-SHELL", "true"], "interval": 4}),
            ),
            IPE,
            "healthCheck.interval",
        ),
        ecs(
            "RegisterDaemonTaskDefinition",
            with(
                &dtd,
                "containerDefinitions.0.healthCheck",
                json!({"command": ["CMD-SHELL", "true"], "retries": 11}),
            ),
            IPE,
            "healthCheck.retries",
        ),
        ecs(
            "RegisterDaemonTaskDefinition",
            with(&dtd, "containerDefinitions.0.healthCheck", json!({"command": ["echo", "hi"]})),
            CLIENT,
            "healthCheck.command",
        ),
        ecs(
            "RegisterDaemonTaskDefinition",
            with(&dtd, "containerDefinitions.0.logConfiguration", json!({"logDriver": "loki"})),
            IPE,
            "logConfiguration.logDriver",
        ),
        ecs(
            "RegisterDaemonTaskDefinition",
            with(
                &dtd,
                "containerDefinitions.0.ulimits",
                json!([{"name": "files", "softLimit": 1, "hardLimit": 2}]),
            ),
            IPE,
            "ulimits[0].name",
        ),
        ecs("RegisterDaemonTaskDefinition", with(&dtd, "tags", tags(51)), IPE, "tags"),
        ecs(
            "RegisterDaemonTaskDefinition",
            with(&dtd, "containerDefinitions.0.memoryReservation", json!(1024))
                .pipe(|v| with(&v, "containerDefinitions.0.memory", json!(512))),
            CLIENT,
            "memoryReservation",
        ),
        ecs(
            "RegisterDaemonTaskDefinition",
            with(
                &dtd,
                "containerDefinitions.0.mountPoints",
                json!([{"sourceVolume": "logs", "containerPath": "/logs"}]),
            ),
            CLIENT,
            "sourceVolume",
        ),
        ecs(
            "RegisterDaemonTaskDefinition",
            with(
                &dtd,
                "containerDefinitions.0.restartPolicy",
                json!({"enabled": true, "restartAttemptPeriod": 30}),
            ),
            IPE,
            "restartAttemptPeriod",
        ),
        ecs(
            "RegisterDaemonTaskDefinition",
            with(
                &dtd,
                "containerDefinitions.0.dependsOn",
                json!([{"containerName": "other", "condition": "READY"}]),
            ),
            IPE,
            "dependsOn[0].condition",
        ),
        ecs(
            "RegisterDaemonTaskDefinition",
            with(&dtd, "volumes", json!([{"name": "v", "efsVolumeConfiguration": {"fileSystemId": "fs-1"}}])),
            CLIENT,
            "efsVolumeConfiguration",
        ),
        // Describe / List / Delete daemon task definitions
        ecs("DescribeDaemonTaskDefinition", json!({}), IPE, "daemonTaskDefinition"),
        ecs(
            "DescribeDaemonTaskDefinition",
            json!({"daemonTaskDefinition": "fam:abc"}),
            IPE,
            "daemonTaskDefinition",
        ),
        ecs("ListDaemonTaskDefinitions", json!({"status": "INACTIVE"}), IPE, "status"),
        ecs("ListDaemonTaskDefinitions", json!({"sort": "UP"}), IPE, "sort"),
        ecs("ListDaemonTaskDefinitions", json!({"maxResults": 0}), IPE, "maxResults"),
        ecs("ListDaemonTaskDefinitions", json!({"revision": "FIRST"}), IPE, "revision"),
        ecs(
            "DeleteDaemonTaskDefinition",
            json!({"daemonTaskDefinition": "fam"}),
            IPE,
            "daemonTaskDefinition",
        ),
        // Clusters and capacity providers
        ecs("CreateCluster", json!({"clusterName": "bad name"}), IPE, "clusterName"),
        ecs(
            "CreateCluster",
            json!({"clusterName": "c", "tags": [{"key": "aws:x", "value": "y"}]}),
            IPE,
            "tags[0].key",
        ),
        ecs("DeleteCluster", json!({}), IPE, "cluster"),
        ecs("CreateCapacityProvider", with(&cp, "name", json!("ecs-mine")), IPE, "name"),
        ecs(
            "CreateCapacityProvider",
            without(&cp, "managedInstancesProvider"),
            IPE,
            "managedInstancesProvider",
        ),
        ecs(
            "CreateCapacityProvider",
            with(&cp, "autoScalingGroupProvider", json!({"autoScalingGroupArn": "x"})),
            "UnsupportedFeatureException",
            "autoScalingGroupProvider",
        ),
        ecs(
            "CreateCapacityProvider",
            with(
                &cp,
                "managedInstancesProvider.instanceLaunchTemplate.instanceRequirements.vCpuCount.min",
                json!(0),
            ),
            IPE,
            "vCpuCount.min",
        ),
        ecs(
            "CreateCapacityProvider",
            with(&cp, "managedInstancesProvider.infrastructureOptimization", json!({"scaleInAfter": 4000})),
            IPE,
            "scaleInAfter",
        ),
        ecs(
            "CreateCapacityProvider",
            with(
                &cp,
                "managedInstancesProvider.instanceLaunchTemplate.ec2InstanceProfileArn",
                json!("ecsInstanceRole"),
            ),
            IPE,
            "ec2InstanceProfileArn",
        ),
        ecs(
            "PutClusterCapacityProviders",
            json!({"cluster": "c", "capacityProviders": ["cp"], "defaultCapacityProviderStrategy": [{"capacityProvider": "cp", "weight": 1001}]}),
            IPE,
            "weight",
        ),
        ecs(
            "PutClusterCapacityProviders",
            json!({"cluster": "c", "capacityProviders": ["cp"], "defaultCapacityProviderStrategy": [{"capacityProvider": "other", "weight": 1}]}),
            IPE,
            "defaultCapacityProviderStrategy",
        ),
        // Services and tasks
        ecs("CreateService", with(&svc, "desiredCount", json!(-1)), IPE, "desiredCount"),
        ecs("CreateService", with(&svc, "launchType", json!("MANAGED_INSTANCES")), IPE, "launchType"),
        ecs(
            "CreateService",
            without(&svc, "capacityProviderStrategy").pipe(|v| with(&v, "launchType", json!("SPOT"))),
            IPE,
            "launchType",
        ),
        ecs(
            "CreateService",
            with(&svc, "networkConfiguration.awsvpcConfiguration.subnets", json!([])),
            IPE,
            "subnets",
        ),
        ecs("CreateService", with(&svc, "serviceName", json!("app svc")), IPE, "serviceName"),
        ecs(
            "UpdateService",
            json!({"cluster": "c", "service": "app", "desiredCount": "2"}),
            SER,
            "desiredCount",
        ),
        ecs("RunTask", json!({"cluster": "c", "taskDefinition": "app:1", "count": 11}), IPE, "count"),
        ecs("StopTask", json!({"cluster": "c", "task": arn("task/other/0123456789abcdef")}), IPE, "task"),
        ecs("ListTasks", json!({"cluster": "c", "desiredStatus": "DONE"}), IPE, "desiredStatus"),
        ecs("ListTasks", json!({"cluster": "c", "startedBy": "me", "daemonName": "agent"}), IPE, "startedBy"),
        ecs("ListTasks", json!({"cluster": "c", "daemonName": "bad name"}), IPE, "daemonName"),
        ecs("DescribeTasks", json!({"cluster": "c", "tasks": vec!["t"; 101]}), IPE, "tasks"),
        ecs("DescribeServices", json!({"cluster": "c", "services": vec!["s"; 11]}), IPE, "services"),
        ecs(
            "UpdateContainerInstancesState",
            json!({"cluster": "c", "containerInstances": ["ci"], "status": "DEREGISTERING"}),
            IPE,
            "status",
        ),
        ecs(
            "UpdateContainerInstancesState",
            json!({"cluster": "c", "containerInstances": vec!["ci"; 11], "status": "DRAINING"}),
            IPE,
            "containerInstances",
        ),
        ecs("DescribeDaemons", json!({}), "UnknownOperationException", "DescribeDaemons"),
        ecs("TagResource", json!({"resourceArn": arn("cluster/c"), "tags": tags(51)}), IPE, "tags"),
        ecs(
            "TagResource",
            json!({"resourceArn": arn("cluster/c"), "tags": [{"key": "aws:x", "value": "y"}]}),
            IPE,
            "tags[0].key",
        ),
        ecs("TagResource", json!({"resourceArn": arn("cluster/c")}), IPE, "tags"),
        ecs("TagResource", json!({"resourceArn": "cluster/c", "tags": tags(1)}), IPE, "resourceArn"),
        ecs("UntagResource", json!({"resourceArn": arn("cluster/c")}), IPE, "tagKeys"),
        ecs("ListTagsForResource", json!({}), IPE, "resourceArn"),
        ecs("ListClusters", json!({"maxResults": 0}), IPE, "maxResults"),
        ecs("DescribeTaskDefinition", json!({"taskDefinition": "app:x"}), IPE, "taskDefinition"),
        ecs(
            "DeregisterTaskDefinition",
            json!({"taskDefinition": "app:1"}),
            "UnsupportedFeatureException",
            "DeregisterTaskDefinition",
        ),
        // Neighbours
        case("iam", "CreateRole", json!({"AssumeRolePolicyDocument": "{}"}), "ValidationError", "RoleName"),
        case(
            "iam",
            "CreateRole",
            json!({"RoleName": "r", "AssumeRolePolicyDocument": "{not json"}),
            "MalformedPolicyDocument",
            "Json",
        ),
        case(
            "iam",
            "AttachRolePolicy",
            json!({"RoleName": "nobody", "PolicyArn": "arn:aws:iam::aws:policy/AmazonECSInstanceRolePolicyForManagedInstances"}),
            "NoSuchEntity",
            "nobody",
        ),
        case(
            "logs",
            "DeleteLogGroup",
            json!({"logGroupName": "/ecs/missing"}),
            "ResourceNotFoundException",
            "log group",
        ),
        case(
            "cloudwatch",
            "SetAlarmState",
            json!({"AlarmName": "a", "StateValue": "RED", "StateReason": "x"}),
            "ValidationError",
            "stateValue",
        ),
        case(
            "cloudwatch",
            "PutMetricAlarm",
            json!({"AlarmName": "a", "EvaluationPeriods": 0, "ComparisonOperator": "GreaterThanThreshold", "MetricName": "m", "Namespace": "n", "Statistic": "Average"}),
            "ValidationError",
            "EvaluationPeriods",
        ),
        case(
            "ec2",
            "TerminateInstances",
            json!({"InstanceIds": ["i-zz"]}),
            "InvalidInstanceID.Malformed",
            "i-zz",
        ),
    ]
}

trait Pipe: Sized {
    fn pipe<T>(self, f: impl FnOnce(Self) -> T) -> T {
        f(self)
    }
}
impl Pipe for Value {}

/// Requests that are well formed but refer to state that does not allow them, against the
/// tutorial's world (cluster daemon-test, provider daemon-test-mi, daemon monitoring-agent,
/// service app-svc, IAM roles and instance profile, log group /ecs/daemon-test).
pub fn refused_by_state() -> Vec<Case> {
    let cd = json!({
        "clusterArn": arn("cluster/daemon-test"),
        "daemonName": "second-agent",
        "daemonTaskDefinitionArn": arn("daemon-task-definition/monitoring-agent:1"),
        "capacityProviderArns": [arn("capacity-provider/daemon-test-mi")],
    });
    let daemon = arn("daemon/daemon-test/monitoring-agent");
    let ud = json!({
        "daemonArn": daemon,
        "daemonTaskDefinitionArn": arn("daemon-task-definition/monitoring-agent:1"),
        "capacityProviderArns": [arn("capacity-provider/daemon-test-mi")],
    });
    let trust = r#"{"Version":"2012-10-17","Statement":[]}"#;
    vec![
        ecs(
            "CreateDaemon",
            with(&cd, "clusterArn", json!(arn("cluster/nope"))),
            "ClusterNotFoundException",
            "nope",
        ),
        ecs("CreateDaemon", with(&cd, "daemonName", json!("monitoring-agent")), IPE, "daemonName"),
        ecs(
            "CreateDaemon",
            with(&cd, "daemonTaskDefinitionArn", json!(arn("daemon-task-definition/monitoring-agent:9"))),
            CLIENT,
            "not found",
        ),
        ecs(
            "CreateDaemon",
            with(&cd, "capacityProviderArns", json!([arn("capacity-provider/other")])),
            IPE,
            "capacityProvider",
        ),
        ecs("CreateDaemon", without(&cd, "clusterArn"), "ClusterNotFoundException", "default"),
        ecs(
            "UpdateDaemon",
            with(&ud, "daemonArn", json!(arn("daemon/daemon-test/ghost"))),
            "DaemonNotFoundException",
            "ghost",
        ),
        ecs(
            "UpdateDaemon",
            with(&ud, "daemonArn", json!(arn("daemon/nope/monitoring-agent"))),
            "ClusterNotFoundException",
            "nope",
        ),
        ecs(
            "UpdateDaemon",
            with(&ud, "daemonTaskDefinitionArn", json!(arn("daemon-task-definition/missing:1"))),
            CLIENT,
            "not found",
        ),
        ecs(
            "DescribeDaemon",
            json!({"daemonArn": arn("daemon/daemon-test/ghost")}),
            "DaemonNotFoundException",
            "ghost",
        ),
        ecs(
            "DeleteDaemon",
            json!({"daemonArn": arn("daemon/daemon-test/ghost")}),
            "DaemonNotFoundException",
            "ghost",
        ),
        ecs("ListDaemons", json!({"clusterArn": "nope"}), "ClusterNotFoundException", "nope"),
        ecs(
            "ListDaemonDeployments",
            json!({"daemonArn": arn("daemon/daemon-test/ghost")}),
            "DaemonNotFoundException",
            "ghost",
        ),
        ecs(
            "DescribeDaemonTaskDefinition",
            json!({"daemonTaskDefinition": "monitoring-agent:9"}),
            CLIENT,
            "not found",
        ),
        ecs(
            "DeleteDaemonTaskDefinition",
            json!({"daemonTaskDefinition": "monitoring-agent:9"}),
            CLIENT,
            "not found",
        ),
        ecs(
            "CreateCapacityProvider",
            with(&create_capacity_provider(), "cluster", json!("daemon-test")).pipe(|v| {
                with(
                    &v,
                    "managedInstancesProvider.instanceLaunchTemplate.ec2InstanceProfileArn",
                    json!("arn:aws:iam::123456789012:instance-profile/missing"),
                )
            }),
            IPE,
            "ec2InstanceProfileArn",
        ),
        ecs(
            "CreateCapacityProvider",
            with(&create_capacity_provider(), "cluster", json!("daemon-test")).pipe(|v| {
                with(
                    &v,
                    "managedInstancesProvider.infrastructureRoleArn",
                    json!("arn:aws:iam::123456789012:role/missing"),
                )
            }),
            IPE,
            "infrastructureRoleArn",
        ),
        ecs(
            "CreateCapacityProvider",
            with(&create_capacity_provider(), "cluster", json!("daemon-test"))
                .pipe(|v| with(&v, "name", json!("daemon-test-mi"))),
            CLIENT,
            "daemon-test-mi",
        ),
        ecs("CreateCapacityProvider", create_capacity_provider(), "ClusterNotFoundException", "c"),
        ecs(
            "DeleteCapacityProvider",
            json!({"capacityProvider": "daemon-test-mi"}),
            CLIENT,
            "daemon-test-mi",
        ),
        ecs("DeleteCapacityProvider", json!({"capacityProvider": "ghost-mi"}), CLIENT, "ghost-mi"),
        ecs(
            "DeleteCluster",
            json!({"cluster": "daemon-test"}),
            "ClusterContainsServicesException",
            "Services",
        ),
        ecs("DeleteCluster", json!({"cluster": "nope"}), "ClusterNotFoundException", "nope"),
        ecs(
            "CreateService",
            with(&create_service(), "cluster", json!("daemon-test"))
                .pipe(|v| with(&v, "serviceName", json!("app-svc"))),
            IPE,
            "serviceName",
        ),
        ecs(
            "UpdateService",
            json!({"cluster": "daemon-test", "service": "ghost", "desiredCount": 2}),
            "ServiceNotFoundException",
            "ghost",
        ),
        ecs(
            "DeleteService",
            json!({"cluster": "daemon-test", "service": "ghost"}),
            "ServiceNotFoundException",
            "ghost",
        ),
        ecs("DeleteService", json!({"cluster": "daemon-test", "service": "app-svc"}), IPE, "scaled above 0"),
        ecs(
            "UpdateService",
            // A service deployment to a revision that was never registered.
            json!({"cluster": "daemon-test", "service": "app-svc", "taskDefinition": "test-app:9"}),
            CLIENT,
            "Unable to describe task definition test-app:9",
        ),
        ecs(
            "UpdateContainerInstancesState",
            json!({"cluster": "nope", "containerInstances": ["x"], "status": "DRAINING"}),
            "ClusterNotFoundException",
            "nope",
        ),
        ecs(
            "CreateCluster",
            json!({"clusterName": "x", "capacityProviders": ["daemon-test-mi"]}),
            IPE,
            "capacityProviders",
        ),
        ecs(
            "DescribeServices",
            json!({"cluster": "nope", "services": ["app-svc"]}),
            "ClusterNotFoundException",
            "nope",
        ),
        ecs("RunTask", json!({"cluster": "daemon-test", "taskDefinition": "missing:1"}), CLIENT, "missing"),
        ecs(
            "StopTask",
            json!({"cluster": "daemon-test", "task": "0123456789abcdef0123456789abcdef"}),
            IPE,
            "0123456789abcdef0123456789abcdef",
        ),
        ecs("ListTasks", json!({"cluster": "nope"}), "ClusterNotFoundException", "nope"),
        ecs(
            "PutClusterCapacityProviders",
            json!({"cluster": "daemon-test", "capacityProviders": [], "defaultCapacityProviderStrategy": []}),
            "ResourceInUseException",
            "daemon-test-mi",
        ),
        case(
            "ec2",
            "TerminateInstances",
            json!({"InstanceIds": ["i-0123456789abcdef0"]}),
            "InvalidInstanceID.NotFound",
            "i-0123456789abcdef0",
        ),
        ecs(
            "ListTagsForResource",
            json!({"resourceArn": arn("daemon/daemon-test/ghost")}),
            "ResourceNotFoundException",
            "ghost",
        ),
        ecs(
            "TagResource",
            json!({"resourceArn": arn("daemon/daemon-test/monitoring-agent"), "tags": tags(51)}),
            IPE,
            "tags",
        ),
        ecs(
            "TagResource",
            json!({"resourceArn": arn("daemon-deployment/daemon-test/monitoring-agent/x"), "tags": tags(1)}),
            IPE,
            "resourceArn",
        ),
        ecs("DescribeTaskDefinition", json!({"taskDefinition": "test-app:7"}), CLIENT, "test-app:7"),
        case(
            "cloudwatch",
            "SetAlarmState",
            json!({"AlarmName": "ghost", "StateValue": "ALARM", "StateReason": "x"}),
            "ResourceNotFound",
            "ghost",
        ),
        case(
            "iam",
            "CreateRole",
            json!({"RoleName": "ecsInstanceRole", "AssumeRolePolicyDocument": trust}),
            "EntityAlreadyExists",
            "ecsInstanceRole",
        ),
        case(
            "iam",
            "DeleteRole",
            json!({"RoleName": "ecsInstanceRole"}),
            "DeleteConflict",
            "instance profile",
        ),
        case(
            "iam",
            "DeleteInstanceProfile",
            json!({"InstanceProfileName": "ecsInstanceRole"}),
            "DeleteConflict",
            "remove roles",
        ),
        case(
            "iam",
            "AddRoleToInstanceProfile",
            json!({"InstanceProfileName": "ecsInstanceRole", "RoleName": "ecsInfrastructureRole"}),
            "LimitExceeded",
            "InstanceSessionsPerInstanceProfile",
        ),
        case(
            "iam",
            "DetachRolePolicy",
            json!({"RoleName": "ecsInstanceRole", "PolicyArn": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"}),
            "NoSuchEntity",
            "AmazonSSMManagedInstanceCore",
        ),
        case(
            "logs",
            "CreateLogGroup",
            json!({"logGroupName": "/ecs/daemon-test"}),
            "ResourceAlreadyExistsException",
            "already exists",
        ),
        case("sts", "AssumeRole", json!({}), "UnknownOperationException", "AssumeRole"),
        case("sqs", "SendMessage", json!({}), "UnknownServiceException", "sqs"),
    ]
}

/// The tutorial's world, five simulated minutes in: instances, daemon and app tasks exist.
fn populated() -> Api {
    let mut api = crate::support::api::tutorial(11, crate::support::api::INSTANCE_POLICY);
    crate::support::api::seconds(&mut api, 300);
    assert!(api.simulation().container_instances("daemon-test").count() > 0);
    api
}

fn check(api: &mut Api, cases: &[Case]) -> Vec<String> {
    let mut failures = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let before = api.state_fingerprint();
        let events = api.simulation().event_log_hash();
        match api.call(case.service, case.action, &case.input) {
            Ok(body) => failures.push(format!(
                "#{index} {} {}: accepted {} -> {body}",
                case.service, case.action, case.input
            )),
            Err(error) => {
                if error.error_type != case.error_type || !error.message.contains(case.names) {
                    failures.push(format!(
                        "#{index} {} {}: expected {} naming '{}', got {}: {}",
                        case.service,
                        case.action,
                        case.error_type,
                        case.names,
                        error.error_type,
                        error.message
                    ));
                }
            }
        }
        if api.state_fingerprint() != before || api.simulation().event_log_hash() != events {
            failures.push(format!(
                "#{index} {} {}: the refused request changed the simulation",
                case.service, case.action
            ));
        }
    }
    failures
}

#[test]
fn every_invalid_request_gets_the_right_error_type_and_changes_nothing() {
    let cases = invalid_requests();
    assert!(cases.len() >= 60, "only {} cases", cases.len());
    let mut api = populated();
    let failures = check(&mut api, &cases);
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn requests_refused_by_the_state_get_the_right_error_type_and_change_nothing() {
    let cases = refused_by_state();
    let mut api = populated();
    let failures = check(&mut api, &cases);
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn the_fingerprint_notices_a_change() {
    let mut api = populated();
    let before = api.state_fingerprint();
    api.call(
        "ecs",
        "UpdateService",
        &json!({"cluster": "daemon-test", "service": "app-svc", "desiredCount": 2}),
    )
    .unwrap();
    assert_ne!(api.state_fingerprint(), before);
}

#[test]
fn the_valid_base_requests_are_accepted() {
    let arns = ArnContext::default();
    for (action, input) in [
        ("CreateDaemon", create_daemon()),
        ("UpdateDaemon", update_daemon()),
        ("RegisterDaemonTaskDefinition", register_dtd()),
        ("CreateCapacityProvider", create_capacity_provider()),
        ("CreateService", create_service()),
    ] {
        decode_ecs(action, &input, &arns).unwrap_or_else(|error| panic!("{action}: {error}"));
    }
}
