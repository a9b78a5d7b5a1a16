//! The daemon actions end to end through `Api::call`: seed 003's sample, clientToken replay, the
//! tutorial's startup order and rolling update as the API reports them, and seed 002's
//! legacy-policy pitfall.

use crate::support::api::*;
use ecs_daemon_sim::api::Api;
use ecs_daemon_sim::engine::SimConfig;
use serde_json::{json, Value};

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

/// Seed 003's world: my-cluster, my-capacity-provider and monitoring-agent:1.
fn seed_003_world() -> Api {
    let mut api = Api::new(SimConfig::with_seed(3));
    roles(&mut api, INSTANCE_POLICY);
    cluster(&mut api, "my-cluster", "my-capacity-provider");
    daemon_task_definition(&mut api, "monitoring-agent", "public.ecr.aws/docker/library/nginx:alpine");
    api
}

fn seed_003_request() -> Value {
    json!({
        "daemonName": "my-monitoring-daemon",
        "clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/my-cluster",
        "daemonTaskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/monitoring-agent:1",
        "capacityProviderArns": ["arn:aws:ecs:us-east-1:123456789012:capacity-provider/my-capacity-provider"],
        "deploymentConfiguration": {"drainPercent": 10.0, "bakeTimeInMinutes": 5}
    })
}

#[test]
fn seed_003_sample_request_gets_the_sample_response_shape() {
    let mut api = seed_003_world();
    let response = ok(&mut api, "ecs", "CreateDaemon", seed_003_request());
    // Sample response: {"daemonArn", "status", "createdAt", "deploymentArn"} and nothing else.
    assert_eq!(keys(&response), ["createdAt", "daemonArn", "deploymentArn", "status"]);
    assert_eq!(
        response["daemonArn"],
        "arn:aws:ecs:us-east-1:123456789012:daemon/my-cluster/my-monitoring-daemon"
    );
    assert_eq!(response["status"], "ACTIVE");
    let created = response["createdAt"].as_f64().expect("createdAt is epoch seconds");
    assert_eq!((created * 1000.0).round() as u64, api.now_ms());
    let deployment = response["deploymentArn"].as_str().unwrap();
    let prefix = "arn:aws:ecs:us-east-1:123456789012:daemon-deployment/my-cluster/my-monitoring-daemon/";
    let id = deployment.strip_prefix(prefix).unwrap_or_else(|| panic!("{deployment}"));
    assert!(!id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric()), "{id}");

    // The deployment record carries the sample's configuration (AWS API reference:
    // DescribeDaemonDeployments).
    let described =
        ok(&mut api, "ecs", "DescribeDaemonDeployments", json!({"daemonDeploymentArns": [deployment]}));
    let record = &described["daemonDeployments"][0];
    assert_eq!(record["deploymentConfiguration"], json!({"drainPercent": 10.0, "bakeTimeInMinutes": 5}));
    assert_eq!(record["clusterArn"], "arn:aws:ecs:us-east-1:123456789012:cluster/my-cluster");
    assert!(record["targetDaemonRevision"]["arn"]
        .as_str()
        .unwrap()
        .contains(":daemon-revision/my-cluster/my-monitoring-daemon/"));
    assert_eq!(described["failures"], json!([]));

    let daemon = ok(&mut api, "ecs", "DescribeDaemon", json!({"daemonArn": response["daemonArn"]}));
    assert_eq!(daemon["daemon"]["status"], "ACTIVE");
    assert_eq!(daemon["daemon"]["deploymentArn"], response["deploymentArn"]);
    assert!(
        daemon["daemon"].get("deploymentConfiguration").is_none(),
        "GA DescribeDaemon has no configuration"
    );
}

#[test]
fn client_token_replays_the_first_response_and_refuses_other_parameters() {
    let mut api = seed_003_world();
    let request = {
        let mut request = seed_003_request();
        request["clientToken"] = json!("token-1");
        request
    };
    let first = ok(&mut api, "ecs", "CreateDaemon", request.clone());
    api.advance_by(3_000);
    let fingerprint = api.state_fingerprint();
    let replay = ok(&mut api, "ecs", "CreateDaemon", request.clone());
    assert_eq!(replay, first, "a replay answers the first response");
    assert_eq!(api.state_fingerprint(), fingerprint, "a replay changes nothing");

    let mut different = request.clone();
    different["deploymentConfiguration"]["drainPercent"] = json!(50.0);
    let error = err(&mut api, "ecs", "CreateDaemon", different);
    assert_eq!(error.error_type, "InvalidParameterException");
    assert!(error.message.contains("clientToken"), "{}", error.message);
    assert_eq!(api.state_fingerprint(), fingerprint);

    let deployments = ok(&mut api, "ecs", "ListDaemonDeployments", json!({"daemonArn": first["daemonArn"]}));
    assert_eq!(deployments["daemonDeployments"].as_array().unwrap().len(), 1, "no second deployment");

    // Without a token, the same name again is a duplicate.
    let error = err(&mut api, "ecs", "CreateDaemon", seed_003_request());
    assert_eq!(error.error_type, "InvalidParameterException");
    assert!(error.message.contains("daemonName"), "{}", error.message);
}

fn task_times(api: &mut Api) -> Vec<(String, String, f64, Option<f64>)> {
    let listed = ok(api, "ecs", "ListTasks", json!({"cluster": "daemon-test"}));
    let arns = listed["taskArns"].clone();
    let described = ok(api, "ecs", "DescribeTasks", json!({"cluster": "daemon-test", "tasks": arns}));
    described["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|task| {
            (
                task["group"].as_str().unwrap().to_string(),
                task["lastStatus"].as_str().unwrap().to_string(),
                task["createdAt"].as_f64().unwrap(),
                task["startedAt"].as_f64(),
            )
        })
        .collect()
}

#[test]
fn the_tutorial_reports_daemon_first_startup_and_a_successful_rolling_update() {
    let mut api = tutorial(2, INSTANCE_POLICY);
    seconds(&mut api, 300);
    let tasks = task_times(&mut api);
    let daemon = tasks.iter().find(|t| t.0 == "daemon:monitoring-agent").expect("a daemon task");
    let app = tasks.iter().find(|t| t.0 == "service:app-svc").expect("an app task");
    assert_eq!((daemon.1.as_str(), app.1.as_str()), ("RUNNING", "RUNNING"));
    assert!(app.2 < daemon.2, "the app task is created before the daemon task (seed 002)");
    let lead = app.3.unwrap() - daemon.3.unwrap();
    assert!((18.0..=21.0).contains(&lead), "daemon lead {lead} s");

    let instances = ok(&mut api, "ecs", "ListContainerInstances", json!({"cluster": "daemon-test"}));
    let described = ok(
        &mut api,
        "ecs",
        "DescribeContainerInstances",
        json!({"cluster": "daemon-test", "containerInstances": instances["containerInstanceArns"]}),
    );
    let instance = &described["containerInstances"][0];
    assert_eq!(instance["status"], "ACTIVE");
    assert_eq!(instance["runningTasksCount"], 2);
    assert!(instance["ec2InstanceId"].as_str().unwrap().starts_with("i-"));

    // Rolling update v1 → v2 with the seed's command.
    daemon_task_definition(&mut api, "monitoring-agent", "public.ecr.aws/docker/library/httpd:alpine");
    let daemon_arn = arn("daemon/daemon-test/monitoring-agent");
    let update = ok(
        &mut api,
        "ecs",
        "UpdateDaemon",
        json!({
            "daemonArn": daemon_arn,
            "daemonTaskDefinitionArn": arn("daemon-task-definition/monitoring-agent:2"),
            "capacityProviderArns": [arn("capacity-provider/daemon-test-mi")]
        }),
    );
    assert_eq!(keys(&update), ["createdAt", "daemonArn", "deploymentArn", "status", "updatedAt"]);
    let deployment = update["deploymentArn"].as_str().unwrap().to_string();
    let mut saw_in_progress = false;
    let mut status = String::new();
    for _ in 0..40 {
        seconds(&mut api, 15);
        let listed = ok(&mut api, "ecs", "ListDaemonDeployments", json!({"daemonArn": daemon_arn}));
        assert_eq!(
            listed["daemonDeployments"][0]["daemonDeploymentArn"],
            deployment.as_str(),
            "newest first"
        );
        status = listed["daemonDeployments"][0]["status"].as_str().unwrap().to_string();
        saw_in_progress |= status == "IN_PROGRESS";
        let services = ok(
            &mut api,
            "ecs",
            "DescribeServices",
            json!({"cluster": "daemon-test", "services": ["app-svc"]}),
        );
        assert!(services["services"][0]["runningCount"].as_u64().unwrap() >= 1, "zero app downtime");
        if status == "SUCCESSFUL" {
            break;
        }
    }
    assert!(saw_in_progress);
    assert_eq!(status, "SUCCESSFUL");
    let described =
        ok(&mut api, "ecs", "DescribeDaemonDeployments", json!({"daemonDeploymentArns": [deployment]}));
    let record = &described["daemonDeployments"][0];
    assert_eq!(
        record["circuitBreaker"],
        json!({"failureCount": 0, "status": "MONITORING_COMPLETE", "threshold": 3})
    );
    assert_eq!(record["deploymentConfiguration"], json!({"drainPercent": 25.0, "bakeTimeInMinutes": 0}));
    assert_eq!(record["targetDaemonRevision"]["totalRunningInstanceCount"], 1);
    let revision = record["targetDaemonRevision"]["arn"].clone();
    let revisions = ok(&mut api, "ecs", "DescribeDaemonRevisions", json!({"daemonRevisionArns": [revision]}));
    assert_eq!(
        revisions["daemonRevisions"][0]["daemonTaskDefinitionArn"],
        arn("daemon-task-definition/monitoring-agent:2").as_str()
    );
    assert_eq!(
        revisions["daemonRevisions"][0]["containerImages"][0]["image"],
        "public.ecr.aws/docker/library/httpd:alpine"
    );

    // Cleanup section of seed 002.
    ok(
        &mut api,
        "ecs",
        "UpdateService",
        json!({"cluster": "daemon-test", "service": "app-svc", "desiredCount": 0}),
    );
    ok(&mut api, "ecs", "DeleteService", json!({"cluster": "daemon-test", "service": "app-svc"}));
    let deleted = ok(&mut api, "ecs", "DeleteDaemon", json!({"daemonArn": daemon_arn}));
    assert_eq!(deleted["status"], "DELETE_IN_PROGRESS");
    let again = err(&mut api, "ecs", "DeleteDaemon", json!({"daemonArn": daemon_arn}));
    assert_eq!(again.error_type, "DaemonNotActiveException");
    // The seed's own pacing: sleep 60, delete the provider, sleep 60, delete the cluster.
    seconds(&mut api, 60);
    ok(&mut api, "ecs", "DeleteCapacityProvider", json!({"capacityProvider": "daemon-test-mi"}));
    seconds(&mut api, 60);
    ok(&mut api, "ecs", "DeleteCluster", json!({"cluster": "daemon-test"}));
    let gone = err(&mut api, "ecs", "DescribeDaemon", json!({"daemonArn": daemon_arn}));
    assert_eq!(gone.error_type, "ClusterNotFoundException");
    ok(&mut api, "logs", "DeleteLogGroup", json!({"logGroupName": "/ecs/daemon-test"}));
    ok(
        &mut api,
        "iam",
        "DetachRolePolicy",
        json!({"RoleName": "ecsInfrastructureRole", "PolicyArn": "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances"}),
    );
    ok(&mut api, "iam", "DeleteRole", json!({"RoleName": "ecsInfrastructureRole"}));
    ok(
        &mut api,
        "iam",
        "RemoveRoleFromInstanceProfile",
        json!({"InstanceProfileName": "ecsInstanceRole", "RoleName": "ecsInstanceRole"}),
    );
    ok(&mut api, "iam", "DeleteInstanceProfile", json!({"InstanceProfileName": "ecsInstanceRole"}));
    ok(
        &mut api,
        "iam",
        "DetachRolePolicy",
        json!({"RoleName": "ecsInstanceRole", "PolicyArn": INSTANCE_POLICY}),
    );
    ok(&mut api, "iam", "DeleteRole", json!({"RoleName": "ecsInstanceRole"}));
}

#[test]
fn with_the_legacy_instance_policy_daemons_never_start_and_the_event_says_why() {
    let mut api = tutorial(7, LEGACY_POLICY);
    seconds(&mut api, 900);
    let daemon_tasks = ok(
        &mut api,
        "ecs",
        "ListTasks",
        json!({"cluster": "daemon-test", "daemonName": "monitoring-agent", "desiredStatus": "STOPPED"}),
    );
    let stopped = daemon_tasks["taskArns"].as_array().unwrap().clone();
    assert!(!stopped.is_empty(), "the daemon task was attempted and stopped");
    let described = ok(&mut api, "ecs", "DescribeTasks", json!({"cluster": "daemon-test", "tasks": stopped}));
    for task in described["tasks"].as_array().unwrap() {
        assert!(task.get("startedAt").is_none(), "a daemon task started: {task}");
    }
    let running =
        ok(&mut api, "ecs", "ListTasks", json!({"cluster": "daemon-test", "daemonName": "monitoring-agent"}));
    for arn in running["taskArns"].as_array().unwrap() {
        let task = ok(&mut api, "ecs", "DescribeTasks", json!({"cluster": "daemon-test", "tasks": [arn]}));
        assert_ne!(task["tasks"][0]["lastStatus"], "RUNNING");
    }
    let instances =
        ok(&mut api, "ecs", "ListContainerInstances", json!({"cluster": "daemon-test", "status": "ACTIVE"}));
    assert_eq!(
        instances["containerInstanceArns"],
        json!([]),
        "no instance becomes ACTIVE without its critical daemon"
    );
    let services =
        ok(&mut api, "ecs", "DescribeServices", json!({"cluster": "daemon-test", "services": ["app-svc"]}));
    assert_eq!(services["services"][0]["runningCount"], 0);

    let impaired: Vec<Value> = api
        .simulation()
        .events()
        .iter()
        .map(|event| event.to_json())
        .filter(|event| event["detail"]["eventName"] == "DAEMON_TASK_START_IMPAIRED")
        .collect();
    assert!(!impaired.is_empty(), "DAEMON_TASK_START_IMPAIRED was emitted");
    let text = impaired[0]["detail"].to_string();
    assert!(text.contains("AmazonECSInstanceRolePolicyForManagedInstances"), "{text}");

    // The fix: attach the right policy; the next daemon task attempt starts.
    ok(
        &mut api,
        "iam",
        "AttachRolePolicy",
        json!({"RoleName": "ecsInstanceRole", "PolicyArn": INSTANCE_POLICY}),
    );
    assert!(api.simulation().capacity_provider("daemon-test-mi").unwrap().instance_profile_ready);
    seconds(&mut api, 900);
    let running =
        ok(&mut api, "ecs", "ListTasks", json!({"cluster": "daemon-test", "daemonName": "monitoring-agent"}));
    let described =
        ok(&mut api, "ecs", "DescribeTasks", json!({"cluster": "daemon-test", "tasks": running["taskArns"]}));
    assert!(
        described["tasks"].as_array().unwrap().iter().any(|task| task["lastStatus"] == "RUNNING"),
        "after the fix the daemon runs: {described}"
    );
}

#[test]
fn text_bodies_answer_json_text_or_the_aws_error_body() {
    let mut api = seed_003_world();
    let (status, body) = api.call_text("ecs", "CreateDaemon", &seed_003_request().to_string());
    assert_eq!(status, 200);
    let response: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(response["status"], "ACTIVE");
    let (status, body) = api.call_text("ecs", "CreateDaemon", "{not json");
    assert_eq!(status, 400);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["__type"], "SerializationException");
    let (status, body) = api.call_text("ecs", "ListDaemons", "");
    assert_eq!((status, body.contains("ClusterNotFoundException")), (400, true), "{body}");
    assert_eq!(Api::target("AmazonEC2ContainerServiceV20141113.CreateDaemon"), Some(("ecs", "CreateDaemon")));
}
