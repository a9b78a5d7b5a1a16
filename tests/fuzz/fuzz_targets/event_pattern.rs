//! Arbitrary bytes as an EventBridge pattern, matched against fixed events in seed 004's shapes; and
//! the same bytes as an event, matched against fixed patterns. Nothing may panic, errors must be
//! well-formed, and parsing must be deterministic.

#![no_main]

use ecs_daemon_sim::pattern::EventPattern;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::sync::OnceLock;

const EVENTS: [&str; 5] = [
    r#"{"version":"0","id":"1","detail-type":"ECS Daemon Service Action","source":"aws.ecs","account":"123456789012","time":"2026-03-24T12:00:00Z","region":"us-west-2","resources":["arn:aws:ecs:us-west-2:123456789012:task/my-cluster/a1b2"],"detail":{"eventType":"WARNING","eventName":"DAEMON_TASK_START_IMPAIRED","clusterArn":"arn:aws:ecs:us-west-2:123456789012:cluster/my-cluster","taskArn":"arn:aws:ecs:us-west-2:123456789012:task/my-cluster/a1b2","failureType":"TASK_FAILED_TO_RUN","createdAt":"2026-03-24T12:00:00.000Z","reason":"CannotPullContainerError"}}"#,
    r#"{"version":"0","id":"2","detail-type":"ECS Daemon Service Action","source":"aws.ecs","resources":[],"detail":{"eventType":"WARNING","eventName":"DAEMON_TASK_START_IMPAIRED","failureType":"TASK_CREATION_FAILED","reason":"RESOURCE:CPU - insufficient CPU"}}"#,
    r#"{"version":"0","id":"3","detail-type":"ECS Daemon Deployment State Change","source":"aws.ecs","account":"111122223333","resources":["arn:aws:ecs:us-west-2:111122223333:daemon/my-cluster/my-daemon"],"detail":{"eventType":"INFO","eventName":"DAEMON_DEPLOYMENT_PENDING","updatedAt":"2026-03-05T15:54:41.618059641Z"}}"#,
    r#"{"detail-type":"ECS Container Instance Health Change","source":"aws.ecs","detail":{"overallStatus":"IMPAIRED","healthChecks":[{"type":"DAEMON","status":"IMPAIRED"},{"type":"AGENT_CONNECTIVITY","status":"OK"}]}}"#,
    r#"{"a":[1,2.5,-3e9,null,true,false,"",["x",["y"]],{"b":{"c":[{"d":"10.0.0.1"},{"d":"::1"}]}}],"n":12345678901234567890,"s":"A*\\b","e":{}}"#,
];

const PATTERNS: [&str; 4] = [
    r#"{"source":["aws.ecs"],"detail-type":["ECS Daemon Service Action"]}"#,
    r#"{"detail":{"eventName":[{"prefix":{"equals-ignore-case":"daemon"}}],"failureType":[{"anything-but":{"wildcard":"*RUN"}}]}}"#,
    r#"{"$or":[{"a":[{"numeric":[">",0,"<=",5]}]},{"a":{"b":{"c":{"d":[{"cidr":"10.0.0.0/8"}]}}}}],"n":[{"exists":true}]}"#,
    r#"{"detail":{"healthChecks":{"type":["DAEMON"],"status":[{"anything-but":["OK"]}]}}}"#,
];

fn fixed_events() -> &'static [Value] {
    static EVENTS_PARSED: OnceLock<Vec<Value>> = OnceLock::new();
    EVENTS_PARSED
        .get_or_init(|| EVENTS.iter().map(|e| serde_json::from_str(e).expect("fixed event")).collect())
}

fn fixed_patterns() -> &'static [EventPattern] {
    static PATTERNS_PARSED: OnceLock<Vec<EventPattern>> = OnceLock::new();
    PATTERNS_PARSED
        .get_or_init(|| PATTERNS.iter().map(|p| EventPattern::parse(p).expect("fixed pattern")).collect())
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match EventPattern::parse(&text) {
        Ok(pattern) => {
            let events = fixed_events();
            let one_by_one: Vec<bool> = events.iter().map(|event| pattern.matches(event)).collect();
            let filtered = pattern.filter(events);
            assert_eq!(filtered.len(), one_by_one.iter().filter(|m| **m).count());
            // Parsing is deterministic: the same JSON, parsed again, gives the same pattern.
            let value: Value = serde_json::from_str(&text).expect("parsed once, parses again");
            assert_eq!(EventPattern::from_value(&value).as_ref(), Ok(&pattern));
        }
        Err(error) => {
            let message = error.to_string();
            assert!(message.starts_with("Event pattern is not valid. Reason: "), "{message}");
            assert!(!error.reason.is_empty());
            assert!(error.path.is_empty() || message.contains(&error.path), "{message}");
        }
    }
    // The same bytes as an event.
    if let Ok(event) = serde_json::from_str::<Value>(&text) {
        for pattern in fixed_patterns() {
            let _ = pattern.matches(&event);
        }
    }
});
