//! UpdateService with a new task definition: a rolling replacement of the service's tasks within
//! maximumPercent and minimumHealthyPercent ("Deploy Amazon ECS services by replacing tasks",
//! Amazon ECS Developer Guide), with ECS Task State Change events for every task it starts and
//! stops; and refusals that change nothing.

use crate::support::engine::*;
use ecs_daemon_sim::engine::command::*;
use ecs_daemon_sim::engine::event::TASK_STATE_CHANGE;
use ecs_daemon_sim::engine::*;

const S: u64 = 1000;
const MIN: u64 = 60 * S;

fn deploy(td: Option<&str>, min: Option<u32>, max: Option<u32>) -> Command {
    Command::DeployService(DeployService {
        cluster: CLUSTER.into(),
        service: "app-svc".into(),
        task_definition: td.map(str::to_string),
        minimum_healthy_percent: min,
        maximum_percent: max,
    })
}

/// Seed 002's fleet with `desired` app tasks, settled.
fn settled(seed: u64, desired: u32) -> Simulation {
    let mut sim = seed002_base(seed);
    ok(&mut sim, create_service("app-svc", "test-app:1", desired, CP));
    let until = sim.now() + 15 * MIN;
    run_checked(&mut sim, until);
    let s = sim.service(CLUSTER, "app-svc").unwrap();
    assert_eq!(s.running_count, desired, "the fleet is up before the deployment");
    sim
}

fn live_of<'a>(sim: &'a Simulation, td_suffix: &str) -> Vec<&'a Task> {
    group_tasks(sim, "service:app-svc")
        .into_iter()
        .filter(|t| t.desired_status == DesiredStatus::Running && t.task_definition.ends_with(td_suffix))
        .collect()
}

/// Runs `ms` more, returning the most live tasks and the fewest running ones seen.
fn run_watching(sim: &mut Simulation, ms: u64) -> (usize, u32) {
    let (mut most_live, mut fewest_running) = (0, u32::MAX);
    let until = sim.now() + ms;
    run_observed(sim, until, |sim| {
        let s = sim.service(CLUSTER, "app-svc").unwrap();
        most_live = most_live.max(s.live.len());
        fewest_running = fewest_running.min(s.running_count);
    });
    (most_live, fewest_running)
}

#[test]
fn a_new_task_definition_replaces_every_task_new_before_old() {
    let mut sim = settled(41, 4);
    ok(&mut sim, task_def("test-app", 512, 1024));
    let old: Vec<String> = live_of(&sim, ":1").iter().map(|t| t.arn.to_string()).collect();
    assert_eq!(old.len(), 4);
    let events_before = sim.events().len();
    ok(&mut sim, deploy(Some("test-app:2"), None, None));
    assert!(sim.service(CLUSTER, "app-svc").unwrap().task_definition.ends_with("test-app:2"));
    // Defaults 100/200: never fewer than 4 healthy, never more than 8 live.
    let (most_live, fewest_running) = run_watching(&mut sim, 30 * MIN);
    assert!(most_live <= 8, "maximumPercent 200: at most 8 live tasks, saw {most_live}");
    assert!(most_live > 4, "replacements start before the old tasks stop");
    assert_eq!(fewest_running, 4, "minimumHealthyPercent 100: never fewer than 4 running");
    assert_eq!(live_of(&sim, ":2").len(), 4, "four tasks of the new revision");
    assert!(live_of(&sim, ":1").is_empty(), "no task of the old revision left");
    for arn in &old {
        let t = sim.tasks(CLUSTER).find(|t| &*t.arn == arn).unwrap();
        assert_eq!(t.last_status, TaskStatus::Stopped);
        let reason = t.stopped_reason.as_deref().unwrap_or_default();
        assert!(reason.starts_with("Scaling activity initiated by (deployment ecs-svc/"), "{reason}");
    }
    // Every start and stop was published as an ECS Task State Change.
    let changes: Vec<_> = sim.events()[events_before..]
        .iter()
        .filter(|e| e.detail_type() == TASK_STATE_CHANGE)
        .map(|e| e.to_json())
        .collect();
    for arn in &old {
        assert!(
            changes
                .iter()
                .any(|e| e["detail"]["taskArn"] == arn.as_str() && e["detail"]["lastStatus"] == "STOPPED"),
            "STOPPED event for {arn}"
        );
    }
    assert!(changes.iter().any(|e| e["detail"]["taskDefinitionArn"]
        .as_str()
        .unwrap_or("")
        .ends_with("test-app:2")
        && e["detail"]["lastStatus"] == "RUNNING"));
}

#[test]
fn minimum_healthy_50_maximum_100_stops_half_first() {
    let mut sim = settled(42, 4);
    ok(&mut sim, task_def("test-app", 512, 1024));
    ok(&mut sim, deploy(Some("test-app:2"), Some(50), Some(100)));
    let (most_live, fewest_running) = run_watching(&mut sim, 30 * MIN);
    assert!(most_live <= 4, "maximumPercent 100: never more than 4 live, saw {most_live}");
    assert_eq!(fewest_running, 2, "minimumHealthyPercent 50: two stop first, never fewer than 2 running");
    assert_eq!(live_of(&sim, ":2").len(), 4);
}

#[test]
fn refused_deployments_change_nothing() {
    let mut sim = settled(43, 2);
    let before = (sim.events().len(), sim.service(CLUSTER, "app-svc").unwrap().task_definition.clone());
    let unknown = sim.apply(deploy(Some("test-app:9"), None, None)).unwrap_err();
    assert!(unknown.to_string().contains("Unable to describe task definition"), "{unknown}");
    let order = sim.apply(deploy(None, Some(100), Some(50))).unwrap_err();
    assert!(order.to_string().contains("maximumPercent"), "{order}");
    let after = (sim.events().len(), sim.service(CLUSTER, "app-svc").unwrap().task_definition.clone());
    assert_eq!(before, after);
    let s = sim.service(CLUSTER, "app-svc").unwrap();
    assert_eq!((s.minimum_healthy_percent, s.maximum_percent), (100, 200));
}

#[test]
fn the_same_task_definition_again_replaces_nothing() {
    let mut sim = settled(44, 2);
    let tasks: Vec<String> = live_of(&sim, ":1").iter().map(|t| t.arn.to_string()).collect();
    ok(&mut sim, deploy(Some("test-app:1"), None, None));
    let until = sim.now() + 10 * MIN;
    run_checked(&mut sim, until);
    let after: Vec<String> = live_of(&sim, ":1").iter().map(|t| t.arn.to_string()).collect();
    assert_eq!(tasks, after);
}
