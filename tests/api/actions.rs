//! The non-daemon ECS actions and the neighbours, through `Api::call`: lists, pagination,
//! describes with failures, instance draining and termination, daemon task definition
//! lifecycle, and CloudWatch alarms reaching a daemon deployment.

use crate::support::api::*;
use serde_json::{json, Value};

fn strings(value: &Value) -> Vec<String> {
    value.as_array().unwrap().iter().map(|item| item.as_str().unwrap().to_string()).collect()
}

#[test]
fn daemon_task_definitions_list_sort_filter_and_delete() {
    let mut api = ecs_daemon_sim::api::Api::new(ecs_daemon_sim::engine::SimConfig::with_seed(1));
    for (family, image) in [("b-agent", "b:1"), ("a-agent", "a:1"), ("a-agent", "a:2"), ("a-agent", "a:3")] {
        daemon_task_definition(&mut api, family, image);
    }
    let all = ok(&mut api, "ecs", "ListDaemonTaskDefinitions", json!({}));
    let arns: Vec<String> = all["daemonTaskDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["arn"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        arns,
        ["a-agent:1", "a-agent:2", "a-agent:3", "b-agent:1"]
            .map(|r| arn(&format!("daemon-task-definition/{r}"))),
        "ASC by family then revision"
    );
    assert_eq!(all["daemonTaskDefinitions"][0]["registeredBy"], "arn:aws:iam::123456789012:user/admin");

    let last = ok(
        &mut api,
        "ecs",
        "ListDaemonTaskDefinitions",
        json!({"revision": "LAST_REGISTERED", "sort": "DESC"}),
    );
    let last: Vec<&str> = last["daemonTaskDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["arn"].as_str().unwrap())
        .collect();
    assert_eq!(last.len(), 2);
    assert!(last[0].ends_with("b-agent:1") && last[1].ends_with("a-agent:3"), "{last:?}");

    let page =
        ok(&mut api, "ecs", "ListDaemonTaskDefinitions", json!({"familyPrefix": "a-", "maxResults": 2}));
    assert_eq!(page["daemonTaskDefinitions"].as_array().unwrap().len(), 2);
    let token = page["nextToken"].as_str().expect("a next page").to_string();
    let rest = ok(
        &mut api,
        "ecs",
        "ListDaemonTaskDefinitions",
        json!({"familyPrefix": "a-", "maxResults": 2, "nextToken": token}),
    );
    assert_eq!(rest["daemonTaskDefinitions"].as_array().unwrap().len(), 1);
    assert!(rest.get("nextToken").is_none());

    let described =
        ok(&mut api, "ecs", "DescribeDaemonTaskDefinition", json!({"daemonTaskDefinition": "a-agent"}));
    let definition = &described["daemonTaskDefinition"];
    assert_eq!(definition["revision"], 3, "a bare family names the latest ACTIVE revision");
    assert_eq!(definition["containerDefinitions"][0]["image"], "a:3");
    assert_eq!(definition["containerDefinitions"][0]["essential"], true);
    assert_eq!((definition["cpu"].as_str(), definition["memory"].as_str()), (Some("256"), Some("512")));
    assert!(definition["registeredAt"].is_f64());

    let deleted =
        ok(&mut api, "ecs", "DeleteDaemonTaskDefinition", json!({"daemonTaskDefinition": "a-agent:3"}));
    assert_eq!(deleted["daemonTaskDefinitionArn"], arn("daemon-task-definition/a-agent:3").as_str());
    let described =
        ok(&mut api, "ecs", "DescribeDaemonTaskDefinition", json!({"daemonTaskDefinition": "a-agent:3"}));
    assert_ne!(described["daemonTaskDefinition"]["status"], "ACTIVE");
    let latest =
        ok(&mut api, "ecs", "DescribeDaemonTaskDefinition", json!({"daemonTaskDefinition": "a-agent"}));
    assert_eq!(latest["daemonTaskDefinition"]["revision"], 2, "the latest ACTIVE revision is now 2");
    let active = ok(&mut api, "ecs", "ListDaemonTaskDefinitions", json!({"family": "a-agent"}));
    assert_eq!(active["daemonTaskDefinitions"].as_array().unwrap().len(), 2);
    let every =
        ok(&mut api, "ecs", "ListDaemonTaskDefinitions", json!({"family": "a-agent", "status": "ALL"}));
    assert_eq!(every["daemonTaskDefinitions"].as_array().unwrap().len(), 3);
}

#[test]
fn a_deleted_revision_cannot_back_a_new_daemon() {
    let mut api = tutorial(4, INSTANCE_POLICY);
    ok(&mut api, "ecs", "DeleteDaemonTaskDefinition", json!({"daemonTaskDefinition": "monitoring-agent:1"}));
    let error = err(
        &mut api,
        "ecs",
        "CreateDaemon",
        json!({
            "clusterArn": "daemon-test", "daemonName": "other",
            "daemonTaskDefinitionArn": arn("daemon-task-definition/monitoring-agent:1"),
            "capacityProviderArns": ["daemon-test-mi"]
        }),
    );
    assert_eq!(error.error_type, "InvalidParameterException");
    assert!(error.message.contains("daemonTaskDefinitionArn"), "{}", error.message);
    // The daemon already using it keeps running (AWS API reference: DeleteDaemonTaskDefinition).
    seconds(&mut api, 300);
    let tasks =
        ok(&mut api, "ecs", "ListTasks", json!({"cluster": "daemon-test", "daemonName": "monitoring-agent"}));
    assert_eq!(tasks["taskArns"].as_array().unwrap().len(), 1);
}

#[test]
fn clusters_providers_and_services_describe_with_failures_for_unknown_names() {
    let mut api = tutorial(5, INSTANCE_POLICY);
    seconds(&mut api, 300);
    let clusters = ok(&mut api, "ecs", "DescribeClusters", json!({"clusters": ["daemon-test", "ghost"]}));
    let cluster = &clusters["clusters"][0];
    assert_eq!(cluster["clusterArn"], arn("cluster/daemon-test").as_str());
    assert_eq!(cluster["status"], "ACTIVE");
    assert_eq!(cluster["registeredContainerInstancesCount"], 1);
    assert_eq!(cluster["runningTasksCount"], 2);
    assert_eq!(cluster["activeServicesCount"], 1);
    assert_eq!(cluster["capacityProviders"], json!(["daemon-test-mi"]));
    assert_eq!(
        cluster["defaultCapacityProviderStrategy"],
        json!([{"capacityProvider": "daemon-test-mi", "weight": 1, "base": 0}])
    );
    assert_eq!(clusters["failures"], json!([{"arn": arn("cluster/ghost"), "reason": "MISSING"}]));

    let providers = ok(
        &mut api,
        "ecs",
        "DescribeCapacityProviders",
        json!({"capacityProviders": ["daemon-test-mi", "ghost"]}),
    );
    let provider = &providers["capacityProviders"][0];
    assert_eq!(provider["type"], "MANAGED_INSTANCES");
    assert_eq!(provider["status"], "ACTIVE");
    assert_eq!(
        provider["managedInstancesProvider"]["instanceLaunchTemplate"]["ec2InstanceProfileArn"],
        "arn:aws:iam::123456789012:instance-profile/ecsInstanceRole"
    );
    assert_eq!(providers["failures"][0]["reason"], "MISSING");

    let services = ok(
        &mut api,
        "ecs",
        "DescribeServices",
        json!({"cluster": "daemon-test", "services": ["app-svc", "ghost"]}),
    );
    let service = &services["services"][0];
    assert_eq!((service["desiredCount"].as_u64(), service["runningCount"].as_u64()), (Some(1), Some(1)));
    assert_eq!(service["capacityProviderStrategy"][0]["capacityProvider"], "daemon-test-mi");
    assert_eq!(service["networkConfiguration"]["awsvpcConfiguration"]["subnets"], json!(["subnet-0123"]));
    assert_eq!(service["enableExecuteCommand"], true);
    assert_eq!(services["failures"][0]["arn"], arn("service/daemon-test/ghost").as_str());

    let listed = ok(&mut api, "ecs", "ListServices", json!({"cluster": "daemon-test"}));
    assert_eq!(strings(&listed["serviceArns"]), [arn("service/daemon-test/app-svc")]);
    let daemons = ok(&mut api, "ecs", "ListDaemons", json!({"clusterArn": arn("cluster/daemon-test")}));
    assert_eq!(
        daemons["daemonSummariesList"][0]["daemonArn"],
        arn("daemon/daemon-test/monitoring-agent").as_str()
    );
    let none = ok(
        &mut api,
        "ecs",
        "ListDaemons",
        json!({"clusterArn": "daemon-test", "capacityProviderArns": ["other-mi"]}),
    );
    assert_eq!(none["daemonSummariesList"], json!([]));

    let tasks = ok(&mut api, "ecs", "DescribeTasks", json!({"cluster": "daemon-test", "tasks": ["0000"]}));
    assert_eq!(tasks["failures"], json!([{"arn": arn("task/daemon-test/0000"), "reason": "MISSING"}]));
}

#[test]
fn service_scaling_and_tasks_filters() {
    let mut api = tutorial(6, INSTANCE_POLICY);
    seconds(&mut api, 300);
    ok(
        &mut api,
        "ecs",
        "UpdateService",
        json!({"cluster": "daemon-test", "service": "app-svc", "desiredCount": 3}),
    );
    seconds(&mut api, 600);
    let services =
        ok(&mut api, "ecs", "DescribeServices", json!({"cluster": "daemon-test", "services": ["app-svc"]}));
    assert_eq!(services["services"][0]["runningCount"], 3);
    let app = ok(&mut api, "ecs", "ListTasks", json!({"cluster": "daemon-test", "serviceName": "app-svc"}));
    assert_eq!(app["taskArns"].as_array().unwrap().len(), 3);
    let family = ok(&mut api, "ecs", "ListTasks", json!({"cluster": "daemon-test", "family": "test-app"}));
    assert_eq!(family["taskArns"], app["taskArns"]);
    let daemon =
        ok(&mut api, "ecs", "ListTasks", json!({"cluster": "daemon-test", "daemonName": "monitoring-agent"}));
    let instances = ok(&mut api, "ecs", "ListContainerInstances", json!({"cluster": "daemon-test"}));
    let instance_count = instances["containerInstanceArns"].as_array().unwrap().len();
    assert_eq!(
        daemon["taskArns"].as_array().unwrap().len(),
        instance_count,
        "exactly one daemon task per instance"
    );
    let described =
        ok(&mut api, "ecs", "DescribeTasks", json!({"cluster": "daemon-test", "tasks": daemon["taskArns"]}));
    for task in described["tasks"].as_array().unwrap() {
        assert_eq!(task["group"], "daemon:monitoring-agent");
        assert_eq!(task["launchType"], "MANAGED_INSTANCES");
        assert_eq!(task["enableExecuteCommand"], true);
    }
    let first_instance = instances["containerInstanceArns"][0].as_str().unwrap().to_string();
    let on_first = ok(
        &mut api,
        "ecs",
        "ListTasks",
        json!({"cluster": "daemon-test", "containerInstance": first_instance}),
    );
    assert!(!on_first["taskArns"].as_array().unwrap().is_empty());
    let page = ok(&mut api, "ecs", "ListTasks", json!({"cluster": "daemon-test", "maxResults": 1}));
    assert_eq!(page["taskArns"].as_array().unwrap().len(), 1);
    assert!(page["nextToken"].is_string());
}

#[test]
fn stopping_the_daemon_task_repairs_the_instance_and_terminating_an_instance_replaces_it() {
    let mut api = tutorial(8, INSTANCE_POLICY);
    seconds(&mut api, 300);
    let daemon =
        ok(&mut api, "ecs", "ListTasks", json!({"cluster": "daemon-test", "daemonName": "monitoring-agent"}));
    let task = daemon["taskArns"][0].as_str().unwrap().to_string();
    let stopped =
        ok(&mut api, "ecs", "StopTask", json!({"cluster": "daemon-test", "task": task, "reason": "test"}));
    assert_eq!(stopped["task"]["desiredStatus"], "STOPPED");
    seconds(&mut api, 30);
    let draining = ok(
        &mut api,
        "ecs",
        "ListContainerInstances",
        json!({"cluster": "daemon-test", "status": "DRAINING"}),
    );
    assert_eq!(
        draining["containerInstanceArns"].as_array().unwrap().len(),
        1,
        "auto-repair drains the instance"
    );
    seconds(&mut api, 600);
    let active =
        ok(&mut api, "ecs", "ListContainerInstances", json!({"cluster": "daemon-test", "status": "ACTIVE"}));
    let arns = active["containerInstanceArns"].clone();
    assert_eq!(arns.as_array().unwrap().len(), 1, "a replacement is ACTIVE");
    let described = ok(
        &mut api,
        "ecs",
        "DescribeContainerInstances",
        json!({"cluster": "daemon-test", "containerInstances": arns, "include": ["CONTAINER_INSTANCE_HEALTH"]}),
    );
    let instance = &described["containerInstances"][0];
    assert_eq!(instance["healthStatus"]["details"][0]["type"], "DAEMON");
    let ec2 = instance["ec2InstanceId"].as_str().unwrap().to_string();

    let terminated = ok(&mut api, "ec2", "TerminateInstances", json!({"InstanceIds": [ec2]}));
    assert_eq!(terminated["TerminatingInstances"][0]["CurrentState"]["Name"], "shutting-down");
    assert_eq!(terminated["TerminatingInstances"][0]["PreviousState"]["Name"], "running");
    seconds(&mut api, 900);
    let services =
        ok(&mut api, "ecs", "DescribeServices", json!({"cluster": "daemon-test", "services": ["app-svc"]}));
    assert_eq!(services["services"][0]["runningCount"], 1, "the service came back on a new instance");
    let active =
        ok(&mut api, "ecs", "ListContainerInstances", json!({"cluster": "daemon-test", "status": "ACTIVE"}));
    let described = ok(
        &mut api,
        "ecs",
        "DescribeContainerInstances",
        json!({"cluster": "daemon-test", "containerInstances": active["containerInstanceArns"]}),
    );
    assert_ne!(described["containerInstances"][0]["ec2InstanceId"], ec2.as_str());
}

#[test]
fn draining_by_hand_and_back() {
    let mut api = tutorial(9, INSTANCE_POLICY);
    seconds(&mut api, 300);
    let instances = ok(&mut api, "ecs", "ListContainerInstances", json!({"cluster": "daemon-test"}));
    let arn = instances["containerInstanceArns"][0].as_str().unwrap().to_string();
    let drained = ok(
        &mut api,
        "ecs",
        "UpdateContainerInstancesState",
        json!({"cluster": "daemon-test", "containerInstances": [arn, "ghost"], "status": "DRAINING"}),
    );
    assert_eq!(drained["containerInstances"][0]["status"], "DRAINING");
    assert_eq!(drained["failures"][0]["reason"], "MISSING");
    let back = ok(
        &mut api,
        "ecs",
        "UpdateContainerInstancesState",
        json!({"cluster": "daemon-test", "containerInstances": [arn], "status": "ACTIVE"}),
    );
    assert_eq!(back["containerInstances"][0]["status"], "ACTIVE");
    assert_eq!(back["failures"], json!([]));
    let error = err(
        &mut api,
        "ecs",
        "UpdateContainerInstancesState",
        json!({"cluster": "daemon-test", "containerInstances": [arn], "status": "REGISTERING"}),
    );
    assert_eq!(error.error_type, "InvalidParameterException");
}

#[test]
fn an_alarm_set_during_bake_time_rolls_the_update_back() {
    let mut api = tutorial(10, INSTANCE_POLICY);
    ok(
        &mut api,
        "cloudwatch",
        "PutMetricAlarm",
        json!({
            "AlarmName": "agent-errors", "MetricName": "CPUUtilization", "Namespace": "AWS/ECS", "Statistic": "Average",
            "Period": 60, "EvaluationPeriods": 1, "Threshold": 90.0, "ComparisonOperator": "GreaterThanThreshold",
            "Dimensions": [{"Name": "ClusterName", "Value": "daemon-test"}, {"Name": "ServiceName", "Value": "daemon:monitoring-agent"}]
        }),
    );
    seconds(&mut api, 300);
    daemon_task_definition(&mut api, "monitoring-agent", "public.ecr.aws/docker/library/httpd:alpine");
    let daemon_arn = arn("daemon/daemon-test/monitoring-agent");
    let update = ok(
        &mut api,
        "ecs",
        "UpdateDaemon",
        json!({
            "daemonArn": daemon_arn,
            "daemonTaskDefinitionArn": arn("daemon-task-definition/monitoring-agent:2"),
            "capacityProviderArns": [arn("capacity-provider/daemon-test-mi")],
            "deploymentConfiguration": {"bakeTimeInMinutes": 10, "alarms": {"alarmNames": ["agent-errors"], "enable": true}}
        }),
    );
    let deployment = update["deploymentArn"].clone();
    // Wait until every instance is on the new revision and the bake window runs.
    let mut baking = false;
    for _ in 0..60 {
        seconds(&mut api, 15);
        let record =
            ok(&mut api, "ecs", "DescribeDaemonDeployments", json!({"daemonDeploymentArns": [deployment]}));
        let record = &record["daemonDeployments"][0];
        assert_eq!(record["alarms"]["status"], "MONITORING");
        if record["status"] == "IN_PROGRESS"
            && record["sourceDaemonRevisions"][0]["totalRunningInstanceCount"] == 0
            && record["targetDaemonRevision"]["totalRunningInstanceCount"] == 1
        {
            baking = true;
            break;
        }
    }
    assert!(baking, "the deployment reached its bake window");
    ok(
        &mut api,
        "cloudwatch",
        "SetAlarmState",
        json!({"AlarmName": "agent-errors", "StateValue": "ALARM", "StateReason": "agent errors"}),
    );
    let alarms = ok(&mut api, "cloudwatch", "DescribeAlarms", json!({"AlarmNames": ["agent-errors"]}));
    assert_eq!(alarms["MetricAlarms"][0]["StateValue"], "ALARM");
    let mut status = String::new();
    for _ in 0..80 {
        seconds(&mut api, 15);
        let record =
            ok(&mut api, "ecs", "DescribeDaemonDeployments", json!({"daemonDeploymentArns": [deployment]}));
        status = record["daemonDeployments"][0]["status"].as_str().unwrap().to_string();
        if status == "ROLLBACK_SUCCESSFUL" {
            let record = &record["daemonDeployments"][0];
            assert_eq!(record["alarms"]["status"], "TRIGGERED");
            assert_eq!(record["alarms"]["triggeredAlarmNames"], json!(["agent-errors"]));
            assert!(record["rollback"]["rollbackTargetDaemonRevisionArn"].is_string());
            break;
        }
    }
    assert_eq!(status, "ROLLBACK_SUCCESSFUL");
}

#[test]
fn an_unpullable_image_trips_the_circuit_breaker_and_the_api_reports_the_rollback() {
    let mut api = tutorial(12, INSTANCE_POLICY);
    seconds(&mut api, 300);
    daemon_task_definition(&mut api, "monitoring-agent", "public.ecr.aws/docker/library/broken:1");
    api.sim(&["fault", "image-pull", "--image", "public.ecr.aws/docker/library/broken:1"].map(String::from))
        .unwrap();
    let update = ok(
        &mut api,
        "ecs",
        "UpdateDaemon",
        json!({
            "daemonArn": arn("daemon/daemon-test/monitoring-agent"),
            "daemonTaskDefinitionArn": arn("daemon-task-definition/monitoring-agent:2"),
            "capacityProviderArns": ["daemon-test-mi"]
        }),
    );
    let mut record = Value::Null;
    for _ in 0..120 {
        seconds(&mut api, 15);
        let described = ok(
            &mut api,
            "ecs",
            "DescribeDaemonDeployments",
            json!({"daemonDeploymentArns": [update["deploymentArn"]]}),
        );
        record = described["daemonDeployments"][0].clone();
        if record["status"] == "ROLLBACK_SUCCESSFUL" {
            break;
        }
    }
    assert_eq!(record["status"], "ROLLBACK_SUCCESSFUL", "{record}");
    assert_eq!(record["circuitBreaker"]["status"], "TRIGGERED");
    assert!(
        record["circuitBreaker"]["failureCount"].as_u64() >= record["circuitBreaker"]["threshold"].as_u64()
    );
    assert!(record["rollback"]["reason"].as_str().unwrap().contains("circuit breaker"), "{record}");
    let summary = ok(
        &mut api,
        "ecs",
        "ListDaemonDeployments",
        json!({"daemonArn": arn("daemon/daemon-test/monitoring-agent"), "status": ["ROLLBACK_SUCCESSFUL"]}),
    );
    assert_eq!(summary["daemonDeployments"].as_array().unwrap().len(), 1);
    let daemon = ok(
        &mut api,
        "ecs",
        "DescribeDaemon",
        json!({"daemonArn": arn("daemon/daemon-test/monitoring-agent")}),
    );
    let revisions = daemon["daemon"]["currentRevisions"].as_array().unwrap();
    assert_eq!(revisions.len(), 1, "every instance is back on one revision");
    assert_eq!(revisions[0]["arn"], record["rollback"]["rollbackTargetDaemonRevisionArn"]);
}

#[test]
fn tags_are_kept_per_resource_and_changed_by_tag_resource() {
    let mut api = tutorial(13, INSTANCE_POLICY);
    let daemon = arn("daemon/daemon-test/monitoring-agent");
    ok(
        &mut api,
        "ecs",
        "TagResource",
        json!({"resourceArn": daemon, "tags": [{"key": "team", "value": "platform"}, {"key": "tier", "value": "1"}]}),
    );
    ok(
        &mut api,
        "ecs",
        "TagResource",
        json!({"resourceArn": daemon, "tags": [{"key": "tier", "value": "2"}]}),
    );
    ok(&mut api, "ecs", "UntagResource", json!({"resourceArn": daemon, "tagKeys": ["team"]}));
    let listed = ok(&mut api, "ecs", "ListTagsForResource", json!({"resourceArn": daemon}));
    assert_eq!(listed["tags"], json!([{"key": "tier", "value": "2"}]));
    // 49 more fit, one more than that does not.
    let many: Vec<Value> = (0..49).map(|i| json!({"key": format!("k{i}"), "value": "v"})).collect();
    ok(&mut api, "ecs", "TagResource", json!({"resourceArn": daemon, "tags": many}));
    let before = api.state_fingerprint();
    let error = err(
        &mut api,
        "ecs",
        "TagResource",
        json!({"resourceArn": daemon, "tags": [{"key": "one-more", "value": "v"}]}),
    );
    assert_eq!(error.error_type, "InvalidParameterException");
    assert_eq!(api.state_fingerprint(), before);

    ok(
        &mut api,
        "ecs",
        "CreateCluster",
        json!({"clusterName": "tagged", "tags": [{"key": "env", "value": "test"}]}),
    );
    let clusters = ok(&mut api, "ecs", "DescribeClusters", json!({"clusters": ["tagged"]}));
    assert_eq!(clusters["clusters"][0]["tags"], json!([{"key": "env", "value": "test"}]));
    let listed = ok(&mut api, "ecs", "ListClusters", json!({}));
    assert_eq!(strings(&listed["clusterArns"]), [arn("cluster/daemon-test"), arn("cluster/tagged")]);
    let definition = ok(
        &mut api,
        "ecs",
        "DescribeTaskDefinition",
        json!({"taskDefinition": "test-app", "include": ["TAGS"]}),
    );
    assert_eq!(definition["taskDefinition"]["taskDefinitionArn"], arn("task-definition/test-app:1").as_str());
    assert_eq!(definition["tags"], json!([]));
}

#[test]
fn describe_instances_shows_the_managed_instances() {
    let mut api = tutorial(14, INSTANCE_POLICY);
    seconds(&mut api, 300);
    let all = ok(&mut api, "ec2", "DescribeInstances", json!({}));
    let reservations = all["Reservations"].as_array().unwrap();
    assert_eq!(reservations.len(), 1);
    let instance = &reservations[0]["Instances"][0];
    assert_eq!(instance["State"], json!({"Code": 16, "Name": "running"}));
    let id = instance["InstanceId"].as_str().unwrap().to_string();
    let filtered = ok(
        &mut api,
        "ec2",
        "DescribeInstances",
        json!({"Filters": [{"Name": "instance-state-name", "Values": ["terminated"]}]}),
    );
    assert_eq!(filtered["Reservations"], json!([]));
    // DryRun: checked, answered DryRunOperation, not carried out.
    let fingerprint = api.state_fingerprint();
    for action in ["DescribeInstances", "TerminateInstances"] {
        let error = err(&mut api, "ec2", action, json!({"InstanceIds": [id], "DryRun": true}));
        assert_eq!(error.error_type, "DryRunOperation", "{action}");
    }
    let error = err(
        &mut api,
        "ec2",
        "TerminateInstances",
        json!({"InstanceIds": ["i-0123456789abcdef0"], "DryRun": true}),
    );
    assert_eq!(error.error_type, "InvalidInstanceID.NotFound", "the checks come before the dry run's answer");
    assert_eq!(api.state_fingerprint(), fingerprint);
    ok(&mut api, "ec2", "TerminateInstances", json!({"InstanceIds": [id]}));
    seconds(&mut api, 900);
    let by_id = ok(&mut api, "ec2", "DescribeInstances", json!({"InstanceIds": [id]}));
    assert_eq!(by_id["Reservations"][0]["Instances"][0]["State"]["Name"], "terminated");
    let error =
        err(&mut api, "ec2", "DescribeInstances", json!({"Filters": [{"Name": "vpc-id", "Values": ["x"]}]}));
    assert_eq!(error.error_type, "InvalidParameterValue");
    let error = err(&mut api, "ec2", "TerminateInstances", json!({"InstanceIds": [id]}));
    assert_eq!(error.error_type, "InvalidInstanceID.NotFound");
}

#[test]
fn reads_change_nothing() {
    let mut api = tutorial(15, INSTANCE_POLICY);
    seconds(&mut api, 300);
    let daemon = arn("daemon/daemon-test/monitoring-agent");
    let deployments = ok(&mut api, "ecs", "ListDaemonDeployments", json!({"daemonArn": daemon}));
    let deployment = deployments["daemonDeployments"][0]["daemonDeploymentArn"].clone();
    let revision = deployments["daemonDeployments"][0]["targetDaemonRevisionArn"].clone();
    let tasks = ok(&mut api, "ecs", "ListTasks", json!({"cluster": "daemon-test"}));
    let instances = ok(&mut api, "ecs", "ListContainerInstances", json!({"cluster": "daemon-test"}));
    let before = api.state_fingerprint();
    let reads: Vec<(&str, &str, Value)> = vec![
        ("ecs", "DescribeDaemon", json!({"daemonArn": daemon})),
        ("ecs", "ListDaemons", json!({"clusterArn": "daemon-test"})),
        ("ecs", "ListDaemonDeployments", json!({"daemonArn": daemon})),
        ("ecs", "DescribeDaemonDeployments", json!({"daemonDeploymentArns": [deployment]})),
        ("ecs", "DescribeDaemonRevisions", json!({"daemonRevisionArns": [revision]})),
        ("ecs", "DescribeDaemonTaskDefinition", json!({"daemonTaskDefinition": "monitoring-agent"})),
        ("ecs", "ListDaemonTaskDefinitions", json!({})),
        ("ecs", "DescribeClusters", json!({"clusters": ["daemon-test"]})),
        ("ecs", "ListClusters", json!({})),
        ("ecs", "DescribeCapacityProviders", json!({})),
        ("ecs", "DescribeServices", json!({"cluster": "daemon-test", "services": ["app-svc"]})),
        ("ecs", "ListServices", json!({"cluster": "daemon-test"})),
        ("ecs", "DescribeTasks", json!({"cluster": "daemon-test", "tasks": tasks["taskArns"]})),
        (
            "ecs",
            "DescribeContainerInstances",
            json!({"cluster": "daemon-test", "containerInstances": instances["containerInstanceArns"], "include": ["CONTAINER_INSTANCE_HEALTH"]}),
        ),
        ("ecs", "DescribeTaskDefinition", json!({"taskDefinition": "test-app:1"})),
        ("ecs", "ListTagsForResource", json!({"resourceArn": daemon})),
        ("ec2", "DescribeInstances", json!({})),
        ("sts", "GetCallerIdentity", json!({})),
        ("iam", "GetRole", json!({"RoleName": "ecsInstanceRole"})),
        ("iam", "GetInstanceProfile", json!({"InstanceProfileName": "ecsInstanceRole"})),
        ("iam", "ListAttachedRolePolicies", json!({"RoleName": "ecsInstanceRole"})),
        ("logs", "DescribeLogGroups", json!({})),
        ("cloudwatch", "DescribeAlarms", json!({})),
    ];
    for (service, action, input) in reads {
        ok(&mut api, service, action, input);
        assert_eq!(api.state_fingerprint(), before, "{service} {action} changed the simulation");
    }
}
