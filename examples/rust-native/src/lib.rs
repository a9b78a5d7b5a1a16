//! The rollout plan under test: the fleet of `examples/shared/setup.sh` (12 instances, the agent
//! daemon, a 12-task service), then `examples/shared/rollout.sh` (agent:2 at drainPercent 25), watched
//! every 5 simulated seconds. The same steps run natively (`tests/rollout.rs`), in headless Chromium
//! (`../rust-wasm`) and in Node (`../node`), so all three reach the same event-log hash.

use ecs_daemon_sim::Session;
use serde_json::{json, Value};

/// The fleet and the daemon, as the team types it against AWS.
pub const SETUP: &str = include_str!("../../shared/setup.sh");
/// The new agent revision and the rollout.
pub const ROLLOUT: &str = include_str!("../../shared/rollout.sh");
/// The event-log hash all three consumers must reach (`Session::event_log_hash`, 16 hex digits).
pub const EXPECTED_HASH: &str = include_str!("../../shared/rollout.hash");

/// The seed of the run: the same seed and the same inputs give the same event log everywhere.
pub const SEED: u64 = 2;
/// Simulated time the fleet gets to come up before the rollout.
pub const FLEET_UP_MS: u64 = 20 * 60_000;
/// Simulated time the rollout is watched for.
pub const WATCH_MS: u64 = 60 * 60_000;
/// How often the rollout is looked at.
pub const STEP_MS: u64 = 5_000;

/// What watching the rollout saw.
#[derive(Debug, Default)]
pub struct Rollout {
    /// Instances up and running an app task before the rollout.
    pub ready_before: usize,
    /// The most instances a deployment drained at once.
    pub largest_batch: usize,
    /// The lowest running app task count seen, against the service's desired count.
    pub fewest_running: u64,
    /// The service's desired count.
    pub desired: u64,
    /// The rollout's `DAEMON_DEPLOYMENT_SUCCESSFUL` events, as a rule matching them would get them.
    pub successful_events: Vec<Value>,
    /// The agent revision of every instance at the end (e.g. `agent:2`).
    pub revisions_after: Vec<String>,
    /// `Session::event_log_hash`, as 16 hex digits.
    pub event_log_hash: String,
}

/// Runs the plan on a new simulated account and reports what it saw.
pub fn run() -> Rollout {
    let mut session = Session::with_seed(SEED);
    script(&mut session, SETUP);
    session.advance_by(FLEET_UP_MS);
    let ready_before = session
        .snapshot()
        .instances
        .iter()
        .filter(|i| i.status == "ACTIVE" && i.app_tasks.iter().any(|t| t.status == "RUNNING"))
        .count();

    let update = script(&mut session, ROLLOUT);
    let update: Value = serde_json::from_str(&update).expect("update-daemon prints JSON");
    let deployment = update["deploymentArn"].as_str().expect("update-daemon names its deployment").to_string();
    let mut seen = Rollout { ready_before, fewest_running: u64::MAX, ..Rollout::default() };
    for _ in 0..WATCH_MS / STEP_MS {
        session.advance_by(STEP_MS);
        let draining = session
            .snapshot()
            .instances
            .iter()
            .filter(|i| i.status == "DRAINING" && i.drain_cause == Some("DEPLOYMENT"))
            .count();
        seen.largest_batch = seen.largest_batch.max(draining);
        let services = session
            .call("ecs", "DescribeServices", &json!({"cluster": "demo", "services": ["web"]}))
            .expect("DescribeServices");
        let service = &services["services"][0];
        seen.fewest_running = seen.fewest_running.min(service["runningCount"].as_u64().unwrap_or(0));
        seen.desired = service["desiredCount"].as_u64().unwrap_or(0);
    }
    // What an EventBridge rule for this deployment's success would deliver.
    let successful = json!({
        "source": ["aws.ecs"],
        "detail-type": ["ECS Daemon Deployment State Change"],
        "detail": {"eventName": ["DAEMON_DEPLOYMENT_SUCCESSFUL"], "daemonDeploymentArn": [deployment]},
    });
    seen.successful_events = session.events(Some(&successful.to_string())).expect("a valid pattern");
    seen.revisions_after = session
        .snapshot()
        .instances
        .iter()
        .flat_map(|i| i.daemon_tasks.iter().map(|d| d.task_definition.clone()))
        .collect();
    seen.event_log_hash = format!("{:016x}", session.event_log_hash());
    seen
}

/// The plan's promises, asserted on what was seen: the fleet was up, a quarter of it (3 of 12) at
/// most drained at a time, the service never ran fewer tasks than desired, EventBridge delivered
/// the rollout's success, every instance ends on agent:2, and the event log is the one every
/// consumer reaches.
pub fn assert_plan_holds(seen: &Rollout) {
    assert_eq!(seen.ready_before, 12, "the fleet is up before the rollout");
    assert_eq!(seen.largest_batch, 3, "drainPercent 25 of 12 instances: batches of 3 ({seen:?})");
    assert_eq!(seen.desired, 12);
    assert!(seen.fewest_running >= seen.desired, "the service dropped to {} running", seen.fewest_running);
    assert_eq!(seen.successful_events.len(), 1, "one DAEMON_DEPLOYMENT_SUCCESSFUL event for the rollout");
    assert_eq!(seen.successful_events[0]["detail-type"], "ECS Daemon Deployment State Change");
    assert_eq!(seen.revisions_after.len(), 12);
    assert!(seen.revisions_after.iter().all(|r| r == "agent:2"), "{:?}", seen.revisions_after);
    assert_eq!(seen.event_log_hash, EXPECTED_HASH.trim(), "the hash the other consumers reach");
}

/// Runs an AWS-CLI script, fails loudly on the first command that failed, and returns what the last
/// command printed.
fn script(session: &mut Session, text: &str) -> String {
    let report = session.script(text);
    if let Some(failed) = report.records.iter().find(|r| !r.success) {
        panic!("`{}` failed: {}", failed.command, failed.stderr);
    }
    report.records.last().map(|r| r.stdout.clone()).unwrap_or_default()
}
