//! `aws ecs wait ...` against a scripted backend: polling delays in simulated time, attempt
//! limits, terminal failures and the CLI's messages.

use ecs_daemon_sim::api::AwsError;
use ecs_daemon_sim::cli::{run_script, RecordingBackend};
use serde_json::json;

fn tasks(statuses: &[&str]) -> serde_json::Value {
    json!({"tasks": statuses.iter().map(|s| json!({"lastStatus": s})).collect::<Vec<_>>(), "failures": []})
}

#[test]
fn tasks_running_polls_every_six_seconds_until_all_run() {
    let mut backend = RecordingBackend::new(0);
    backend
        .respond("DescribeTasks", Ok(tasks(&["PENDING", "PROVISIONING"])))
        .respond("DescribeTasks", Ok(tasks(&["RUNNING", "PENDING"])))
        .respond("DescribeTasks", Ok(tasks(&["RUNNING", "RUNNING"])));
    let report = run_script(&mut backend, "aws ecs wait tasks-running --cluster c --tasks t1 t2");
    assert!(report.records[0].success, "{:?}", report.records[0]);
    assert_eq!(report.records[0].stdout, "", "a successful waiter prints nothing");
    assert_eq!(backend.actions(), ["DescribeTasks"; 3]);
    assert_eq!(backend.calls[0].input, json!({"cluster": "c", "tasks": ["t1", "t2"]}));
    let times: Vec<u64> = backend.calls.iter().map(|c| c.at_ms).collect();
    assert_eq!(times, [0, 6_000, 12_000]);
}

#[test]
fn tasks_running_fails_as_soon_as_a_task_stops() {
    let mut backend = RecordingBackend::new(0);
    backend.respond("DescribeTasks", Ok(tasks(&["RUNNING", "STOPPED"])));
    let report = run_script(&mut backend, "aws ecs wait tasks-running --tasks t1 t2");
    let record = &report.records[0];
    assert_eq!(record.exit_code, 255);
    assert_eq!(
        record.stderr,
        "\nWaiter TasksRunning failed: Waiter encountered a terminal failure state: For expression \"tasks[].lastStatus\" we matched expected path: \"STOPPED\" at least once\n"
    );
    assert_eq!(backend.calls.len(), 1);
}

#[test]
fn services_stable_gives_up_after_forty_attempts() {
    let mut backend = RecordingBackend::new(0);
    backend.respond(
        "DescribeServices",
        Ok(json!({"services": [{"status": "ACTIVE", "desiredCount": 2, "runningCount": 1,
                                 "deployments": [{"status": "PRIMARY"}]}], "failures": []})),
    );
    let report =
        run_script(&mut backend, "aws ecs wait services-stable --cluster c --services app-svc\necho next");
    assert_eq!(report.records[0].stderr, "\nWaiter ServicesStable failed: Max attempts exceeded\n");
    assert_eq!(backend.calls.len(), 40);
    assert_eq!(backend.now_ms, 39 * 15_000, "no sleep after the last attempt");
    assert!(report.records[1].success, "the script goes on");
}

#[test]
fn services_stable_needs_one_deployment_and_running_equal_desired() {
    let mut backend = RecordingBackend::new(0);
    let service = |deployments: usize, running: u32| {
        json!({"services": [{"status": "ACTIVE", "desiredCount": 1, "runningCount": running,
                             "deployments": vec![json!({}); deployments]}], "failures": []})
    };
    backend
        .respond("DescribeServices", Ok(service(2, 2)))
        .respond("DescribeServices", Ok(service(1, 0)))
        .respond("DescribeServices", Ok(service(1, 1)));
    let report = run_script(&mut backend, "aws ecs wait services-stable --services app-svc");
    assert!(report.records[0].success);
    assert_eq!(backend.calls.len(), 3);
    assert_eq!(backend.now_ms, 30_000);
}

#[test]
fn a_missing_service_fails_the_waiter() {
    let mut backend = RecordingBackend::new(0);
    backend.respond(
        "DescribeServices",
        Ok(json!({"services": [], "failures": [{"arn": "x", "reason": "MISSING"}]})),
    );
    let report = run_script(&mut backend, "aws ecs wait services-stable --services nope");
    assert!(report.records[0].stderr.contains("Waiter ServicesStable failed: Waiter encountered a terminal failure state: For expression \"failures[].reason\" we matched expected path: \"MISSING\" at least once"));
}

#[test]
fn daemon_deployment_successful_follows_the_deployment() {
    let deployment = |status: &str| json!({"daemonDeployments": [{"status": status}], "failures": []});
    let mut backend = RecordingBackend::new(0);
    backend
        .respond("DescribeDaemonDeployments", Ok(deployment("PENDING")))
        .respond("DescribeDaemonDeployments", Ok(deployment("IN_PROGRESS")))
        .respond("DescribeDaemonDeployments", Ok(deployment("SUCCESSFUL")));
    let report =
        run_script(&mut backend, "aws ecs wait daemon-deployment-successful --daemon-deployment-arns d1");
    assert!(report.records[0].success);
    assert_eq!(backend.now_ms, 30_000, "15 s between polls");
    assert_eq!(backend.calls[0].input, json!({"daemonDeploymentArns": ["d1"]}));

    let mut rolled_back = RecordingBackend::new(0);
    rolled_back.respond("DescribeDaemonDeployments", Ok(deployment("ROLLBACK_SUCCESSFUL")));
    let report =
        run_script(&mut rolled_back, "aws ecs wait daemon-deployment-successful --daemon-deployment-arns d1");
    assert_eq!(
        report.records[0].stderr,
        "\nWaiter DaemonDeploymentSuccessful failed: Waiter encountered a terminal failure state: For expression \"daemonDeployments[].status\" we matched expected path: \"ROLLBACK_SUCCESSFUL\" at least once\n"
    );

    let mut slow = RecordingBackend::new(0);
    slow.respond("DescribeDaemonDeployments", Ok(deployment("IN_PROGRESS")));
    let report =
        run_script(&mut slow, "aws ecs wait daemon-deployment-successful --daemon-deployment-arns d1");
    assert_eq!(slow.calls.len(), 8, "the waiter's 8 attempts (AWS service model: waiters)");
    assert!(report.records[0].stderr.contains("Max attempts exceeded"));
}

#[test]
fn a_service_error_ends_the_waiter_with_the_error() {
    let mut backend = RecordingBackend::new(0);
    backend.respond("DescribeDaemon", Err(AwsError::new("DaemonNotFoundException", "Daemon not found.")));
    let report = run_script(&mut backend, "aws ecs wait daemon-active --daemon-arn arn:d");
    assert_eq!(
        report.records[0].stderr,
        "\nWaiter DaemonActive failed: An error occurred (DaemonNotFoundException): Daemon not found.\n"
    );
}

#[test]
fn waiters_check_their_arguments_like_the_operation() {
    let mut backend = RecordingBackend::new(0);
    let report = run_script(&mut backend, "aws ecs wait tasks-running --cluster c");
    assert_eq!(report.records[0].exit_code, 252);
    assert!(report.records[0]
        .stderr
        .ends_with("aws: error: the following arguments are required: --tasks\n\n"));
    assert!(backend.calls.is_empty());
}

#[test]
fn a_stopped_deployment_explains_itself_in_botocore_words() {
    let mut backend = RecordingBackend::new(0);
    backend.respond(
        "DescribeDaemonDeployments",
        Ok(json!({"daemonDeployments": [{"status": "SUCCESSFUL"}, {"status": "STOPPED"}], "failures": []})),
    );
    let report =
        run_script(&mut backend, "aws ecs wait daemon-deployment-successful --daemon-deployment-arns a b");
    assert!(report.records[0].stderr.contains("we matched expected path: \"STOPPED\" at least once"));
    let mut stopped = RecordingBackend::new(0);
    stopped.respond("DescribeDaemonDeployments", Ok(json!({"daemonDeployments": [{"status": "STOPPED"}]})));
    let report =
        run_script(&mut stopped, "aws ecs wait daemon-deployment-stopped --daemon-deployment-arns a");
    assert!(report.records[0].success);
}
