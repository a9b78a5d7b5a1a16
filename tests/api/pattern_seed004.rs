//! The four example patterns of seed 004 ("Creating rules for daemon events") against a recorded
//! stream of events in seed 004's exact shapes: each pattern matches exactly the events it should.
//!
//! The patterns and their oracle are in `support::pattern` (shared with `pattern_engine_stream.rs`).

use crate::support::pattern::check_seed_004_patterns;
use ecs_daemon_sim::pattern::EventPattern;
use serde_json::{json, Value};

/// Seed 004's TASK_FAILED_TO_RUN example, verbatim.
const TASK_FAILED_TO_RUN: &str = r#"{ "version": "0", "id": "12345678-1234-1234-1234-123456789012", "detail-type": "ECS Daemon Service Action", "source": "aws.ecs", "account": "123456789012", "time": "2026-03-24T12:00:00Z", "region": "us-west-2", "resources": [ "arn:aws:ecs:us-west-2:123456789012:task/my-cluster/a1b2c3d4e5f6" ], "detail": { "eventType": "WARNING", "eventName": "DAEMON_TASK_START_IMPAIRED", "clusterArn": "arn:aws:ecs:us-west-2:123456789012:cluster/my-cluster", "containerInstanceArn": "arn:aws:ecs:us-west-2:123456789012:container-instance/my-cluster/a1b2c3d4e5f6", "taskArn": "arn:aws:ecs:us-west-2:123456789012:task/my-cluster/a1b2c3d4e5f6", "daemonRevisionArn": "arn:aws:ecs:us-west-2:123456789012:daemon-revision/my-cluster/my-daemon/a1b2c3d4-e5f6-7890-abcd-ef1234567890", "capacityProviderName": "my-capacity-provider", "daemonArn": "arn:aws:ecs:us-west-2:123456789012:daemon/my-cluster/my-daemon", "daemonTaskDefinitionArn": "arn:aws:ecs:us-west-2:123456789012:daemon-task-definition/my-daemon-td:1", "failureType": "TASK_FAILED_TO_RUN", "createdAt": "2026-03-24T12:00:00.000Z", "reason": "Task failed to reach RUNNING status: CannotPullContainerError: pull image manifest has been retried 5 time(s)" } }"#;

/// Seed 004's TASK_CREATION_FAILED example, verbatim.
const TASK_CREATION_FAILED: &str = r#"{ "version": "0", "id": "87654321-4321-4321-4321-210987654321", "detail-type": "ECS Daemon Service Action", "source": "aws.ecs", "account": "123456789012", "time": "2026-03-24T12:01:00Z", "region": "us-west-2", "resources": [], "detail": { "eventType": "WARNING", "eventName": "DAEMON_TASK_START_IMPAIRED", "clusterArn": "arn:aws:ecs:us-west-2:123456789012:cluster/my-cluster", "containerInstanceArn": "arn:aws:ecs:us-west-2:123456789012:container-instance/my-cluster/b2c3d4e5f6a7", "daemonRevisionArn": "arn:aws:ecs:us-west-2:123456789012:daemon-revision/my-cluster/my-daemon/a1b2c3d4-e5f6-7890-abcd-ef1234567890", "capacityProviderName": "my-capacity-provider", "daemonArn": "arn:aws:ecs:us-west-2:123456789012:daemon/my-cluster/my-daemon", "daemonTaskDefinitionArn": "arn:aws:ecs:us-west-2:123456789012:daemon-task-definition/my-daemon-td:1", "failureType": "TASK_CREATION_FAILED", "createdAt": "2026-03-24T12:01:00.000Z", "reason": "RESOURCE:CPU - Unable to place daemon task on container instance: insufficient CPU" } }"#;

/// Seed 004's deployment-pending example, verbatim.
const DEPLOYMENT_PENDING: &str = r#"{ "version": "0", "id": "3329f79b-3dca-07f8-b1c2-5fe99f0b5e87", "detail-type": "ECS Daemon Deployment State Change", "source": "aws.ecs", "account": "111122223333", "time": "2026-03-05T15:54:41Z", "region": "us-west-2", "resources": [ "arn:aws:ecs:us-west-2:111122223333:daemon/my-cluster/my-daemon" ], "detail": { "eventType": "INFO", "eventName": "DAEMON_DEPLOYMENT_PENDING", "clusterArn": "arn:aws:ecs:us-west-2:111122223333:cluster/my-cluster", "daemonArn": "arn:aws:ecs:us-west-2:111122223333:daemon/my-cluster/my-daemon", "daemonDeploymentArn": "arn:aws:ecs:us-west-2:111122223333:daemon-deployment/my-cluster/my-daemon/0EYSiB0qap8xf0N76FsbE", "targetDaemonRevisionArn": "arn:aws:ecs:us-west-2:111122223333:daemon-revision/my-cluster/my-daemon/85707969-3732-4b6a-a37d-5cefddd7d7dd", "updatedAt": "2026-03-05T15:54:41.618059641Z" } }"#;

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("seed example is valid JSON")
}

/// The pending example with another eventName (our choice where AWS is silent: every eventName
/// shares the shape of the documented PENDING example).
fn deployment_change(event_name: &str, event_type: &str, second: u32) -> Value {
    let mut event = parse(DEPLOYMENT_PENDING);
    event["id"] = json!(format!("3329f79b-3dca-07f8-b1c2-5fe99f0b5e{second:02}"));
    event["time"] = json!(format!("2026-03-05T15:55:{second:02}Z"));
    event["detail"]["eventName"] = json!(event_name);
    event["detail"]["eventType"] = json!(event_type);
    event["detail"]["updatedAt"] = json!(format!("2026-03-05T15:55:{second:02}.000000000Z"));
    event
}

/// A service action on a second cluster, so the cluster pattern has something to leave out.
fn on_other_cluster(text: &str, reason: &str) -> Value {
    let serialized = text.replace("/my-cluster", "/other-cluster");
    let mut event = parse(&serialized);
    event["detail"]["reason"] = json!(reason);
    event
}

/// A small recorded stream, in the order a failing rollout could produce it.
fn recorded_stream() -> Vec<Value> {
    vec![
        /* 0 */ parse(DEPLOYMENT_PENDING),
        /* 1 */ deployment_change("DAEMON_DEPLOYMENT_IN_PROGRESS", "INFO", 1),
        /* 2 */ parse(TASK_FAILED_TO_RUN),
        /* 3 */ parse(TASK_CREATION_FAILED),
        /* 4 */
        on_other_cluster(
            TASK_CREATION_FAILED,
            "RESOURCE:MEMORY - Unable to place daemon task on container instance: insufficient memory",
        ),
        /* 5 */
        on_other_cluster(
            TASK_FAILED_TO_RUN,
            "Task failed to reach RUNNING status: essential container exited",
        ),
        /* 6 */ deployment_change("DAEMON_DEPLOYMENT_STOP_REQUESTED", "INFO", 2),
        /* 7 */ deployment_change("DAEMON_DEPLOYMENT_ROLLBACK_IN_PROGRESS", "INFO", 3),
        /* 8 */
        parse(
            r#"{ "version": "0", "id": "EXAMPLE-febc-b5e3-054b-EXAMPLE1a1f4f", "detail-type": "ECS Container Instance Health Change", "source": "aws.ecs", "account": "123456789012", "time": "2026-04-11T00:49:09Z", "region": "us-west-2", "resources": ["arn:aws:ecs:us-west-2:123456789012:container-instance/my-cluster/a1b2c3d4EXAMPLE"], "detail": { "clusterArn": "arn:aws:ecs:us-west-2:123456789012:cluster/my-cluster", "containerInstanceArn": "arn:aws:ecs:us-west-2:123456789012:container-instance/my-cluster/a1b2c3d4EXAMPLE", "capacityProviderName": "my-capacity-provider", "ec2InstanceId": "i-0abcdef1234567890", "overallStatus": "IMPAIRED", "healthChecks": [ { "type": "DAEMON", "status": "IMPAIRED", "lastStatusChange": "2026-04-11T00:48:53Z", "lastUpdated": "2026-04-11T00:48:09Z", "statusReason": "Daemon task: EXAMPLE-4af2-4b3c-b9c1-EXAMPLEb2bbf is unhealthy" } ] } }"#,
        ),
        /* 9 */
        parse(
            r#"{ "version": "0", "id": "0b1c2d3e-aaaa-bbbb-cccc-000000000009", "detail-type": "ECS Task State Change", "source": "aws.ecs", "account": "123456789012", "time": "2026-03-24T12:02:00Z", "region": "us-west-2", "resources": ["arn:aws:ecs:us-west-2:123456789012:task/my-cluster/a1b2c3d4e5f6"], "detail": { "clusterArn": "arn:aws:ecs:us-west-2:123456789012:cluster/my-cluster", "taskArn": "arn:aws:ecs:us-west-2:123456789012:task/my-cluster/a1b2c3d4e5f6", "containerInstanceArn": "arn:aws:ecs:us-west-2:123456789012:container-instance/my-cluster/a1b2c3d4e5f6", "group": "daemon:my-daemon", "lastStatus": "STOPPED", "desiredStatus": "STOPPED", "containers": [ { "name": "nginx", "image": "nginx:alpine", "lastStatus": "STOPPED" } ], "createdAt": "2026-03-24T11:59:40.000Z", "stopCode": "TaskFailedToStart", "stoppedReason": "CannotPullContainerError: pull image manifest has been retried 5 time(s)" } }"#,
        ),
        /* 10 */ deployment_change("DAEMON_DEPLOYMENT_ROLLBACK_SUCCESSFUL", "INFO", 4),
        /* 11 */ deployment_change("DAEMON_DEPLOYMENT_SUCCESSFUL", "INFO", 5),
        /* 12 */ deployment_change("DAEMON_DEPLOYMENT_STOPPED", "INFO", 6),
        /* 13 */ deployment_change("DAEMON_DEPLOYMENT_ROLLBACK_FAILED", "ERROR", 7),
    ]
}

#[test]
fn each_seed_pattern_matches_exactly_its_events_in_the_recorded_stream() {
    let matched = check_seed_004_patterns(recorded_stream());
    assert_eq!(matched[0], vec![2, 3, 4, 5], "all daemon service action events");
    assert_eq!(matched[1], vec![3, 4], "TASK_CREATION_FAILED only");
    assert_eq!(matched[2], vec![2, 3], "service actions of my-cluster only");
    assert_eq!(matched[3], vec![0, 1, 6, 7, 10, 11, 12, 13], "every deployment state change");
}

#[test]
fn the_task_and_instance_events_match_none_of_the_seed_patterns() {
    let matched = check_seed_004_patterns(recorded_stream());
    for index in [8, 9] {
        assert!(matched.iter().all(|events| !events.contains(&index)), "event {index} matched: {matched:?}");
    }
}

#[test]
fn the_oracle_disagrees_with_a_pattern_that_is_wrong() {
    // Guards the helper itself: a stream where the pattern engine and the oracle would differ must
    // be caught, so the helper cannot pass vacuously on the engine's stream.
    let mut forged = parse(TASK_CREATION_FAILED);
    forged["detail"]["failureType"] = json!(["TASK_FAILED_TO_RUN", "TASK_CREATION_FAILED"]);
    // The pattern matches (array intersection) while the oracle's plain string read does not.
    let result = std::panic::catch_unwind(|| check_seed_004_patterns(vec![forged]));
    assert!(result.is_err());
}

#[test]
fn patterns_written_in_other_cases_or_with_partial_values_do_not_match() {
    let stream = recorded_stream();
    let lowercase =
        EventPattern::parse(r#"{"source": ["aws.ecs"], "detail-type": ["ecs daemon service action"]}"#)
            .unwrap();
    assert!(lowercase.filter(&stream).is_empty());
    let partial = EventPattern::parse(r#"{"detail-type": ["ECS Daemon"]}"#).unwrap();
    assert!(partial.filter(&stream).is_empty());
    let by_prefix = EventPattern::parse(r#"{"detail-type": [{"prefix": "ECS Daemon"}]}"#).unwrap();
    assert_eq!(by_prefix.filter(&stream).len(), 12);
}
