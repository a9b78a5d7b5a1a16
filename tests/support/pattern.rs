//! Seed 004's example patterns and an independent oracle for them, shared by the tests that check
//! the patterns against a hand-recorded stream (`pattern_seed004.rs`) and an engine-recorded one
//! (`pattern_engine_stream.rs`).
#![allow(dead_code)]

use ecs_daemon_sim::pattern::EventPattern;
use serde_json::Value;

/// The seed's example patterns, verbatim.
pub const SEED_004_PATTERNS: [(&str, &str); 4] = [
    (
        "all daemon service action events",
        r#"{ "source": ["aws.ecs"], "detail-type": ["ECS Daemon Service Action"] }"#,
    ),
    (
        "a specific failure type",
        r#"{ "source": ["aws.ecs"], "detail-type": ["ECS Daemon Service Action"], "detail": { "eventName": ["DAEMON_TASK_START_IMPAIRED"], "failureType": ["TASK_CREATION_FAILED"] } }"#,
    ),
    (
        "events for a specific cluster",
        r#"{ "source": ["aws.ecs"], "detail-type": ["ECS Daemon Service Action"], "detail": { "eventName": ["DAEMON_TASK_START_IMPAIRED"], "clusterArn": ["arn:aws:ecs:us-west-2:123456789012:cluster/my-cluster"] } }"#,
    ),
    (
        "all deployment state change events",
        r#"{ "source": ["aws.ecs"], "detail-type": ["ECS Daemon Deployment State Change"] }"#,
    ),
];

/// What each seed pattern should match, decided by reading fields directly rather than by the
/// pattern engine.
fn oracle(pattern_index: usize, event: &Value) -> bool {
    let text = |pointer: &str| event.pointer(pointer).and_then(Value::as_str);
    let service_action =
        text("/source") == Some("aws.ecs") && text("/detail-type") == Some("ECS Daemon Service Action");
    let impaired = text("/detail/eventName") == Some("DAEMON_TASK_START_IMPAIRED");
    match pattern_index {
        0 => service_action,
        1 => service_action && impaired && text("/detail/failureType") == Some("TASK_CREATION_FAILED"),
        2 => {
            service_action
                && impaired
                && text("/detail/clusterArn") == Some("arn:aws:ecs:us-west-2:123456789012:cluster/my-cluster")
        }
        3 => {
            text("/source") == Some("aws.ecs")
                && text("/detail-type") == Some("ECS Daemon Deployment State Change")
        }
        _ => false,
    }
}

/// Checks every seed-004 pattern against `events` and the oracle; returns, per pattern, the indices
/// of the events it matched. Callers assert on those (e.g. that a scenario produced at least one).
pub fn check_seed_004_patterns(events: Vec<Value>) -> Vec<Vec<usize>> {
    SEED_004_PATTERNS
        .iter()
        .enumerate()
        .map(|(pattern_index, (name, text))| {
            let pattern = EventPattern::parse(text).unwrap_or_else(|e| panic!("seed pattern {name:?}: {e}"));
            let matched: Vec<usize> = (0..events.len()).filter(|&i| pattern.matches(&events[i])).collect();
            let expected: Vec<usize> =
                (0..events.len()).filter(|&i| oracle(pattern_index, &events[i])).collect();
            assert_eq!(matched, expected, "pattern {name:?} matched the wrong events");
            matched
        })
        .collect()
}
