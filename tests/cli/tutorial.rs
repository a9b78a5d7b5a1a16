//! Seed 002's tutorial, run through the interpreter against a recording backend: every command
//! must reach the right action with the request JSON the AWS CLI would send, and the outputs the
//! tutorial reads must print as the CLI prints them.

use ecs_daemon_sim::cli::{parse_script, run_script, RecordingBackend, EXIT_SUCCESS};
use serde_json::{json, Value};

const TUTORIAL: &str = include_str!("../fixtures/tutorial.sh");
const START_MS: u64 = 1_775_116_000_000;
const DAEMON_ARN: &str = "arn:aws:ecs:us-east-1:123456789012:daemon/daemon-test/monitoring-agent";
const DEPLOYMENT_ARN: &str =
    "arn:aws:ecs:us-east-1:123456789012:daemon-deployment/daemon-test/monitoring-agent/aB1cD2eF3gH4iJ5k";
const TASK_A: &str = "arn:aws:ecs:us-east-1:123456789012:task/daemon-test/0a1b2c3d4e5f";
const TASK_B: &str = "arn:aws:ecs:us-east-1:123456789012:task/daemon-test/6a7b8c9d0e1f";

fn tutorial_backend() -> RecordingBackend {
    let mut backend = RecordingBackend::new(START_MS);
    backend
        .respond(
            "GetCallerIdentity",
            Ok(json!({"UserId": "AIDAEXAMPLE", "Account": "123456789012",
                      "Arn": "arn:aws:iam::123456789012:user/admin"})),
        )
        .respond("ListTasks", Ok(json!({"taskArns": [TASK_A, TASK_B]})))
        .respond(
            "DescribeTasks",
            Ok(json!({"tasks": [
                {"taskArn": TASK_A, "group": "daemon:monitoring-agent", "startedAt": 1775116579.055,
                 "createdAt": 1775116565.0, "lastStatus": "RUNNING"},
                {"taskArn": TASK_B, "group": "service:app-svc", "startedAt": 1775116597.368,
                 "createdAt": 1775116538.0, "lastStatus": "RUNNING"}
            ], "failures": []})),
        )
        .respond(
            "ListDaemonDeployments",
            Ok(json!({"daemonDeployments": [{"daemonDeploymentArn": DEPLOYMENT_ARN, "daemonArn": DAEMON_ARN,
                      "status": "IN_PROGRESS", "createdAt": 1775117000.0}]})),
        )
        .respond("DescribeServices", Ok(json!({"services": [{"serviceName": "app-svc", "runningCount": 2}]})))
        .respond(
            "ListContainerInstances",
            Ok(json!({"containerInstanceArns": [
                "arn:aws:ecs:us-east-1:123456789012:container-instance/daemon-test/aaa",
                "arn:aws:ecs:us-east-1:123456789012:container-instance/daemon-test/bbb"]})),
        )
        .respond(
            "DescribeContainerInstances",
            Ok(json!({"containerInstances": [
                {"ec2InstanceId": "i-01aa", "status": "DRAINING", "runningTasksCount": 2},
                {"ec2InstanceId": "i-0ca1", "status": "REGISTERING", "runningTasksCount": 1}
            ], "failures": []})),
        )
        .respond(
            "DescribeDaemonDeployments",
            Ok(json!({"daemonDeployments": [{
                "status": "SUCCESSFUL",
                "circuitBreaker": {"failureCount": 0, "status": "MONITORING_COMPLETE", "threshold": 3},
                "deploymentConfiguration": {"drainPercent": 25.0, "bakeTimeInMinutes": 0}
            }], "failures": []})),
        );
    backend
}

#[test]
fn the_console_preloads_the_same_script() {
    assert_eq!(ecs_daemon_sim::cli::TUTORIAL_SCRIPT, TUTORIAL);
}

#[test]
fn the_whole_tutorial_parses() {
    let script = parse_script(TUTORIAL).expect("the tutorial parses");
    // 37 aws commands at top level (4 more inside substitutions), 4 assignments, 3 sleeps.
    assert_eq!(script.len(), 44);
    assert_eq!(script.items[0].first.position.line, 7);
    assert!(script.items[0]
        .first
        .source
        .starts_with("aws iam create-role \\\n--role-name ecsInfrastructureRole"));
}

#[test]
fn every_command_reaches_the_right_action_in_order() {
    let mut backend = tutorial_backend();
    let report = run_script(&mut backend, TUTORIAL);
    let failures: Vec<_> = report.records.iter().filter(|r| !r.success).collect();
    assert!(failures.is_empty(), "failed: {failures:#?}");
    assert_eq!(report.exit_status, EXIT_SUCCESS);
    let calls: Vec<String> = backend.calls.iter().map(|c| format!("{} {}", c.service, c.action)).collect();
    let expected = [
        "iam CreateRole",
        "iam AttachRolePolicy",
        "iam CreateRole",
        "iam AttachRolePolicy",
        "iam CreateInstanceProfile",
        "iam AddRoleToInstanceProfile",
        "iam CreateRole",
        "iam AttachRolePolicy",
        "sts GetCallerIdentity",
        "ecs CreateCluster",
        "logs CreateLogGroup",
        "ecs CreateCapacityProvider",
        "ecs PutClusterCapacityProviders",
        "ecs RegisterDaemonTaskDefinition",
        "ecs CreateDaemon",
        "ecs RegisterTaskDefinition",
        "ecs CreateService",
        "ecs ListTasks",
        "ecs DescribeTasks",
        "ecs RegisterDaemonTaskDefinition",
        "ecs UpdateDaemon",
        "ecs ListDaemonDeployments",
        "ecs DescribeServices",
        "ecs ListContainerInstances",
        "ecs DescribeContainerInstances",
        "ecs ListDaemonDeployments",
        "ecs DescribeDaemonDeployments",
        "ecs UpdateService",
        "ecs DeleteService",
        "ecs DeleteDaemon",
        "ecs DeleteCapacityProvider",
        "ecs DeleteCluster",
        "logs DeleteLogGroup",
        "iam DetachRolePolicy",
        "iam DeleteRole",
        "iam RemoveRoleFromInstanceProfile",
        "iam DeleteInstanceProfile",
        "iam DetachRolePolicy",
        "iam DeleteRole",
        "iam DetachRolePolicy",
        "iam DeleteRole",
    ];
    assert_eq!(calls, expected);
}

fn input_of(backend: &RecordingBackend, action: &str, nth: usize) -> Value {
    backend.calls.iter().filter(|c| c.action == action).nth(nth).expect("call made").input.clone()
}

#[test]
fn requests_carry_the_json_the_aws_cli_would_send() {
    let mut backend = tutorial_backend();
    run_script(&mut backend, TUTORIAL);

    let role = input_of(&backend, "CreateRole", 0);
    assert_eq!(role["RoleName"], "ecsInfrastructureRole");
    let policy: Value = serde_json::from_str(role["AssumeRolePolicyDocument"].as_str().unwrap()).unwrap();
    assert_eq!(policy["Statement"][0]["Principal"]["Service"], "ecs.amazonaws.com");

    // The '...'$ACCOUNT_ID'...' concatenation inside --managed-instances-provider JSON.
    let provider = input_of(&backend, "CreateCapacityProvider", 0);
    assert_eq!(provider["name"], "daemon-test-mi");
    assert_eq!(provider["cluster"], "daemon-test");
    let template = &provider["managedInstancesProvider"]["instanceLaunchTemplate"];
    assert_eq!(
        provider["managedInstancesProvider"]["infrastructureRoleArn"],
        "arn:aws:iam::123456789012:role/ecsInfrastructureRole"
    );
    assert_eq!(
        template["ec2InstanceProfileArn"],
        "arn:aws:iam::123456789012:instance-profile/ecsInstanceRole"
    );
    assert_eq!(template["networkConfiguration"]["subnets"], json!(["subnet-0123456789abcdef0"]));
    assert_eq!(template["instanceRequirements"]["vCpuCount"], json!({"min": 2, "max": 4}));

    assert_eq!(
        input_of(&backend, "PutClusterCapacityProviders", 0),
        json!({"cluster": "daemon-test", "capacityProviders": ["daemon-test-mi"],
               "defaultCapacityProviderStrategy": [{"capacityProvider": "daemon-test-mi", "weight": 1}]})
    );

    let daemon_td = input_of(&backend, "RegisterDaemonTaskDefinition", 0);
    assert_eq!(daemon_td["executionRoleArn"], "arn:aws:iam::123456789012:role/ecsTaskExecutionRole");
    assert_eq!(
        daemon_td["containerDefinitions"][0]["logConfiguration"]["options"]["awslogs-region"],
        "us-east-1"
    );
    assert_eq!(daemon_td["cpu"], "256");

    assert_eq!(
        input_of(&backend, "CreateDaemon", 0),
        json!({
            "clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/daemon-test",
            "daemonName": "monitoring-agent",
            "daemonTaskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/monitoring-agent:1",
            "capacityProviderArns": ["arn:aws:ecs:us-east-1:123456789012:capacity-provider/daemon-test-mi"],
            "enableExecuteCommand": true
        })
    );

    assert_eq!(
        input_of(&backend, "CreateService", 0),
        json!({
            "cluster": "daemon-test", "serviceName": "app-svc", "taskDefinition": "test-app:1",
            "desiredCount": 1,
            "capacityProviderStrategy": [{"capacityProvider": "daemon-test-mi", "weight": 1}],
            "networkConfiguration": {"awsvpcConfiguration": {
                "subnets": ["subnet-0123456789abcdef0"], "securityGroups": ["sg-0123456789abcdef0"]}},
            "enableExecuteCommand": true
        })
    );

    // `--tasks $(... --output text)`: the tab-separated ARNs split into a list.
    assert_eq!(
        input_of(&backend, "DescribeTasks", 0),
        json!({"cluster": "daemon-test", "tasks": [TASK_A, TASK_B]})
    );

    assert_eq!(
        input_of(&backend, "UpdateDaemon", 0),
        json!({
            "daemonArn": DAEMON_ARN,
            "daemonTaskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/monitoring-agent:2",
            "capacityProviderArns": ["arn:aws:ecs:us-east-1:123456789012:capacity-provider/daemon-test-mi"]
        })
    );
    assert_eq!(
        input_of(&backend, "DescribeDaemonDeployments", 0),
        json!({"daemonDeploymentArns": [DEPLOYMENT_ARN]})
    );
    assert_eq!(
        input_of(&backend, "UpdateService", 0),
        json!({"cluster": "daemon-test", "service": "app-svc", "desiredCount": 0})
    );
    assert_eq!(input_of(&backend, "DeleteDaemon", 0), json!({"daemonArn": DAEMON_ARN}));
    assert_eq!(
        input_of(&backend, "DeleteCapacityProvider", 0),
        json!({"capacityProvider": "daemon-test-mi"})
    );
}

#[test]
fn sleeps_advance_simulated_time_between_calls() {
    let mut backend = tutorial_backend();
    run_script(&mut backend, TUTORIAL);
    let at = |action: &str| backend.calls.iter().find(|c| c.action == action).unwrap().at_ms;
    assert_eq!(at("CreateService"), START_MS);
    assert_eq!(at("DescribeTasks"), START_MS + 300_000);
    assert_eq!(at("DeleteCapacityProvider"), START_MS + 360_000);
    assert_eq!(at("DeleteCluster"), START_MS + 420_000);
    assert_eq!(backend.now_ms, START_MS + 420_000);
}

fn stdout_of(report: &ecs_daemon_sim::cli::ScriptReport, prefix: &str) -> String {
    report.records.iter().find(|r| r.command.starts_with(prefix)).expect("command ran").stdout.clone()
}

#[test]
fn the_startup_order_table_prints_as_in_the_seed() {
    let mut backend = tutorial_backend();
    let report = run_script(&mut backend, TUTORIAL);
    let expected = "\
------------------------------------
|    DescribeContainerInstances    |
+--------+---------------+---------+
|   id   |    status     |  tasks  |
+--------+---------------+---------+
|  i-01aa|  DRAINING     |  2      |
|  i-0ca1|  REGISTERING  |  1      |
+--------+---------------+---------+
";
    assert_eq!(stdout_of(&report, "aws ecs describe-container-instances"), expected);
}

#[test]
fn describe_daemon_deployments_prints_json_with_four_space_indent() {
    let mut backend = tutorial_backend();
    let report = run_script(&mut backend, TUTORIAL);
    let expected = r#"{
    "daemonDeployments": [
        {
            "status": "SUCCESSFUL",
            "circuitBreaker": {
                "failureCount": 0,
                "status": "MONITORING_COMPLETE",
                "threshold": 3
            },
            "deploymentConfiguration": {
                "drainPercent": 25.0,
                "bakeTimeInMinutes": 0
            }
        }
    ],
    "failures": []
}
"#;
    assert_eq!(stdout_of(&report, "aws ecs describe-daemon-deployments"), expected);
    // Commands whose response is empty print nothing, as the CLI does.
    assert_eq!(stdout_of(&report, "aws iam attach-role-policy"), "");
}
