//! UpdateCapacityProvider's `autoRepairConfiguration` taking effect, and the container instance
//! health record as DescribeContainerInstances and the `ECS Container Instance Health Change`
//! event show it — for a healthy, an impaired and a recovering instance. The member names are AWS's
//! model (botocore's `ContainerInstanceHealthStatus` and `InstanceHealthCheckResult`).

use crate::support::api::*;
use ecs_daemon_sim::api::Api;
use ecs_daemon_sim::engine::event::CONTAINER_INSTANCE_HEALTH_CHANGE;
use ecs_daemon_sim::engine::time::iso_seconds;
use serde_json::{json, Value};

const CLUSTER: &str = "daemon-test";
const PROVIDER: &str = "daemon-test-mi";

fn update(status: &str) -> Value {
    json!({"name": PROVIDER, "cluster": CLUSTER, "managedInstancesProvider": {
        "infrastructureRoleArn": format!("arn:aws:iam::{ACCOUNT}:role/ecsInfrastructureRole"),
        "instanceLaunchTemplate": {},
        "autoRepairConfiguration": {"actionsStatus": status}
    }})
}

fn instances(api: &mut Api, status: &str) -> Vec<String> {
    let listed = ok(api, "ecs", "ListContainerInstances", json!({"cluster": CLUSTER, "status": status}));
    listed["containerInstanceArns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

fn describe(api: &mut Api, arn: &str) -> Value {
    let body = ok(
        api,
        "ecs",
        "DescribeContainerInstances",
        json!({"cluster": CLUSTER, "containerInstances": [arn], "include": ["CONTAINER_INSTANCE_HEALTH"]}),
    );
    body["containerInstances"][0].clone()
}

/// `healthStatus` has exactly the model's members; returns (overallStatus, the DAEMON check).
fn health(instance: &Value) -> (String, Value) {
    let health = instance["healthStatus"].as_object().expect("healthStatus");
    let mut keys: Vec<&str> = health.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["details", "overallStatus"]);
    let details = health["details"].as_array().unwrap();
    assert_eq!(details.len(), 1);
    let check = details[0].clone();
    for key in check.as_object().unwrap().keys() {
        assert!(
            ["type", "status", "statusReason", "lastUpdated", "lastStatusChange"].contains(&key.as_str()),
            "{key} is not an InstanceHealthCheckResult member"
        );
    }
    assert_eq!(check["type"], "DAEMON");
    assert!(check["lastUpdated"].is_f64() && check["lastStatusChange"].is_f64(), "epoch seconds: {check}");
    (health["overallStatus"].as_str().unwrap().to_string(), check)
}

/// The latest health change event of the instance: its detail must carry the same record.
fn assert_event_follows_record(api: &Api, instance: &Value) {
    let arn = instance["containerInstanceArn"].as_str().unwrap();
    let event = api
        .simulation()
        .events()
        .iter()
        .rev()
        .map(|e| e.to_json())
        .find(|e| {
            e["detail-type"] == CONTAINER_INSTANCE_HEALTH_CHANGE && e["detail"]["containerInstanceArn"] == arn
        })
        .expect("a health change event");
    let (overall, check) = health(instance);
    let detail = &event["detail"];
    assert_eq!(detail["overallStatus"], overall.as_str());
    assert_eq!(detail["ec2InstanceId"], instance["ec2InstanceId"]);
    assert_eq!(detail["capacityProviderName"], PROVIDER);
    let event_check = &detail["healthChecks"][0];
    assert_eq!(event_check["type"], check["type"]);
    assert_eq!(event_check["status"], check["status"]);
    assert_eq!(event_check["statusReason"], check["statusReason"]);
    let iso = |v: &Value| iso_seconds((v.as_f64().unwrap() * 1000.0).round() as u64);
    assert_eq!(event_check["lastStatusChange"], iso(&check["lastStatusChange"]).as_str());
    assert_eq!(event["time"], iso(&check["lastStatusChange"]).as_str(), "emitted when the status changed");
}

#[test]
fn disabled_auto_repair_holds_the_instance_impaired_and_enabling_it_repairs_it() {
    let mut api = tutorial(150, INSTANCE_POLICY);
    let updated = ok(&mut api, "ecs", "UpdateCapacityProvider", update("DISABLED"));
    let managed = &updated["capacityProvider"]["managedInstancesProvider"];
    assert_eq!(managed["autoRepairConfiguration"]["actionsStatus"], "DISABLED");
    assert_eq!(
        managed["instanceLaunchTemplate"]["networkConfiguration"]["subnets"],
        json!(["subnet-0123"]),
        "members not sent are kept"
    );
    let described =
        ok(&mut api, "ecs", "DescribeCapacityProviders", json!({"capacityProviders": [PROVIDER]}));
    assert_eq!(described["capacityProviders"][0]["managedInstancesProvider"], *managed);
    seconds(&mut api, 300);

    // Healthy.
    let arn = instances(&mut api, "ACTIVE")[0].clone();
    let healthy = describe(&mut api, &arn);
    let (overall, check) = health(&healthy);
    assert_eq!((overall.as_str(), &check["status"]), ("OK", &json!("OK")));
    assert!(check.get("statusReason").is_none());
    assert_event_follows_record(&api, &healthy);
    let plain = ok(
        &mut api,
        "ecs",
        "DescribeContainerInstances",
        json!({"cluster": CLUSTER, "containerInstances": [arn]}),
    );
    assert!(plain["containerInstances"][0].get("healthStatus").is_none(), "only when asked for");

    // Impaired, and held for an hour.
    let daemon =
        ok(&mut api, "ecs", "ListTasks", json!({"cluster": CLUSTER, "daemonName": "monitoring-agent"}));
    let task = daemon["taskArns"][0].as_str().unwrap().to_string();
    ok(&mut api, "ecs", "StopTask", json!({"cluster": CLUSTER, "task": task}));
    seconds(&mut api, 3600);
    assert_eq!(instances(&mut api, "ACTIVE"), std::slice::from_ref(&arn));
    assert!(instances(&mut api, "DRAINING").is_empty());
    let impaired = describe(&mut api, &arn);
    assert_eq!(impaired["status"], "ACTIVE");
    let (overall, check) = health(&impaired);
    assert_eq!(overall, "IMPAIRED");
    assert_eq!(check["status"], "IMPAIRED");
    let task_id = task.rsplit('/').next().unwrap();
    assert_eq!(check["statusReason"], format!("Daemon task: {task_id} is stopped").as_str());
    assert!(check["lastUpdated"].as_f64() >= check["lastStatusChange"].as_f64());
    assert_event_follows_record(&api, &impaired);
    let tasks =
        ok(&mut api, "ecs", "ListTasks", json!({"cluster": CLUSTER, "daemonName": "monitoring-agent"}));
    assert_eq!(tasks["taskArns"], json!([]), "the critical daemon task is not restarted");
    let services =
        ok(&mut api, "ecs", "DescribeServices", json!({"cluster": CLUSTER, "services": ["app-svc"]}));
    assert_eq!(services["services"][0]["runningCount"], 1);

    // Recovering: ENABLED repairs it at once — drained, replacement INITIALIZING, then OK.
    let updated = ok(&mut api, "ecs", "UpdateCapacityProvider", update("ENABLED"));
    assert_eq!(
        updated["capacityProvider"]["managedInstancesProvider"]["autoRepairConfiguration"]["actionsStatus"],
        "ENABLED"
    );
    assert_eq!(instances(&mut api, "DRAINING"), std::slice::from_ref(&arn));
    let recovering = describe(&mut api, &arn);
    assert_eq!(health(&recovering).0, "IMPAIRED", "a drained instance keeps its record");
    let mut initializing = None;
    for _ in 0..120 {
        seconds(&mut api, 5);
        if let Some(new) = instances(&mut api, "REGISTERING").first() {
            initializing = Some(describe(&mut api, new));
            break;
        }
    }
    let initializing = initializing.expect("the replacement registers");
    let (overall, check) = health(&initializing);
    assert_eq!((overall.as_str(), &check["status"]), ("INITIALIZING", &json!("INITIALIZING")));
    seconds(&mut api, 900);
    let active = instances(&mut api, "ACTIVE");
    assert_eq!(active.len(), 1);
    assert_ne!(active[0], arn);
    let repaired = describe(&mut api, &active[0]);
    assert_eq!(health(&repaired).0, "OK");
    assert_event_follows_record(&api, &repaired);
    let services =
        ok(&mut api, "ecs", "DescribeServices", json!({"cluster": CLUSTER, "services": ["app-svc"]}));
    assert_eq!(services["services"][0]["runningCount"], 1);
}

#[test]
fn create_capacity_provider_with_auto_repair_disabled_takes_effect() {
    let mut api = Api::new(ecs_daemon_sim::engine::SimConfig::with_seed(151));
    roles(&mut api, INSTANCE_POLICY);
    ok(&mut api, "ecs", "CreateCluster", json!({"clusterName": CLUSTER}));
    let created = ok(
        &mut api,
        "ecs",
        "CreateCapacityProvider",
        json!({"name": PROVIDER, "cluster": CLUSTER, "managedInstancesProvider": {
            "infrastructureRoleArn": format!("arn:aws:iam::{ACCOUNT}:role/ecsInfrastructureRole"),
            "instanceLaunchTemplate": {
                "ec2InstanceProfileArn": format!("arn:aws:iam::{ACCOUNT}:instance-profile/ecsInstanceRole"),
                "networkConfiguration": {"subnets": ["subnet-0123"]}
            },
            "autoRepairConfiguration": {"actionsStatus": "DISABLED"}
        }}),
    );
    assert_eq!(
        created["capacityProvider"]["managedInstancesProvider"]["autoRepairConfiguration"]["actionsStatus"],
        "DISABLED"
    );
    assert!(!api.simulation().capacity_provider(PROVIDER).unwrap().auto_repair);
}

#[test]
fn update_capacity_provider_refuses_bad_input_and_changes_nothing() {
    let mut api = tutorial(152, INSTANCE_POLICY);
    seconds(&mut api, 300);
    let before = api.state_fingerprint();
    let role = format!("arn:aws:iam::{ACCOUNT}:role/ecsInfrastructureRole");
    let cases = [
        (json!({"name": PROVIDER}), "InvalidParameterException"),
        (
            json!({"name": PROVIDER, "managedInstancesProvider": {"instanceLaunchTemplate": {}}}),
            "InvalidParameterException",
        ),
        (
            json!({"name": PROVIDER, "managedInstancesProvider": {"infrastructureRoleArn": role}}),
            "InvalidParameterException",
        ),
        (
            json!({"name": PROVIDER, "managedInstancesProvider": {"infrastructureRoleArn": role, "instanceLaunchTemplate": {},
                "autoRepairConfiguration": {"actionsStatus": "OFF"}}}),
            "InvalidParameterException",
        ),
        (
            json!({"name": PROVIDER, "managedInstancesProvider": {"infrastructureRoleArn": role, "instanceLaunchTemplate": {},
                "autoRepairConfiguration": {"actionsStatus": 0}}}),
            "SerializationException",
        ),
        (
            json!({"name": PROVIDER, "managedInstancesProvider": {"infrastructureRoleArn": format!("arn:aws:iam::{ACCOUNT}:role/ghost"),
                "instanceLaunchTemplate": {}, "autoRepairConfiguration": {"actionsStatus": "DISABLED"}}}),
            "InvalidParameterException",
        ),
        (
            json!({"name": PROVIDER, "managedInstancesProvider": {"infrastructureRoleArn": role, "instanceLaunchTemplate": {
                "ec2InstanceProfileArn": format!("arn:aws:iam::{ACCOUNT}:instance-profile/ghost")},
                "autoRepairConfiguration": {"actionsStatus": "DISABLED"}}}),
            "InvalidParameterException",
        ),
        (
            json!({"name": PROVIDER, "managedInstancesProvider": {"infrastructureRoleArn": role, "instanceLaunchTemplate": {
                "instanceRequirements": {"vCpuCount": {"min": 8}, "memoryMiB": {"min": 16384}}},
                "autoRepairConfiguration": {"actionsStatus": "DISABLED"}}}),
            "UnsupportedFeatureException",
        ),
        (
            json!({"name": "ghost-mi", "managedInstancesProvider": {"infrastructureRoleArn": role, "instanceLaunchTemplate": {},
                "autoRepairConfiguration": {"actionsStatus": "DISABLED"}}}),
            "ClientException",
        ),
        (
            json!({"name": PROVIDER, "cluster": "ghost", "managedInstancesProvider": {"infrastructureRoleArn": role,
                "instanceLaunchTemplate": {}, "autoRepairConfiguration": {"actionsStatus": "DISABLED"}}}),
            "ClusterNotFoundException",
        ),
        (json!({"name": PROVIDER, "autoScalingGroupProvider": {}}), "UnsupportedFeatureException"),
        (
            json!({"name": PROVIDER, "managedInstancesProvider": {"infrastructureRoleArn": role, "instanceLaunchTemplate": {},
                "infrastructureOptimization": {"scaleInAfter": 3601}}}),
            "InvalidParameterException",
        ),
    ];
    for (input, error_type) in cases {
        let error = err(&mut api, "ecs", "UpdateCapacityProvider", input.clone());
        assert_eq!(error.error_type, error_type, "{input}: {error}");
        assert_eq!(api.state_fingerprint(), before, "{input} changed something");
    }
    assert!(api.simulation().capacity_provider(PROVIDER).unwrap().auto_repair);
}
