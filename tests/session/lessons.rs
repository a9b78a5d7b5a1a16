//! Each lesson's goal check: met when the goal is reached by the intended actions, not before,
//! and not by a wrong action. The tests drive the engine through a `Session`, as a learner would
//! through the console.

use ecs_daemon_sim::engine::MonitorStatus;
use ecs_daemon_sim::session::lessons::{lesson, LessonProgress, LESSONS};
use ecs_daemon_sim::session::scenario::Scenario;
use ecs_daemon_sim::session::Session;

const DAEMON_ARN: &str = "arn:aws:ecs:us-east-1:123456789012:daemon/lesson/monitoring-agent";

fn start(id: &str) -> Session {
    let lesson = lesson(id).unwrap();
    let run = Session::new(lesson.scenario()).unwrap();
    assert!(!check(id, &run).met, "{id} is met before the learner did anything");
    run
}

fn check(id: &str, run: &Session) -> LessonProgress {
    (lesson(id).unwrap().check)(run.simulation())
}

fn script(run: &mut Session, text: &str) -> String {
    let report = run.script(text);
    assert_eq!(report.exit_status, 0, "{text}\n{}", report.stderr());
    report.stdout()
}

/// Advances in 1 s steps until the check is met; the simulated milliseconds it took, or None.
fn advance_until_met(id: &str, run: &mut Session, max_ms: u64) -> Option<u64> {
    let mut waited = 0;
    while waited < max_ms {
        run.advance_by(1_000);
        waited += 1_000;
        if check(id, run).met {
            return Some(waited);
        }
    }
    None
}

fn register_agent(run: &mut Session, image: &str) {
    script(
        run,
        &format!(
            "aws ecs register-daemon-task-definition --family monitoring-agent --cpu 256 --memory 512 \
             --container-definitions '[{{\"name\":\"agent\",\"image\":\"{image}\",\"essential\":true}}]'"
        ),
    );
}

fn update_daemon(run: &mut Session, revision: u32, drain_percent: u32) {
    script(
        run,
        &format!(
            "aws ecs update-daemon --daemon-arn {DAEMON_ARN} --daemon-task-definition-arn monitoring-agent:{revision} \
             --capacity-provider-arns lesson-mi --deployment-configuration drainPercent={drain_percent}"
        ),
    );
}

fn deployment_status(run: &Session) -> String {
    let sim = run.simulation();
    let latest = sim.all_deployments().max_by_key(|d| d.created_at).unwrap();
    latest.status.as_str().to_string()
}

fn first_daemon_task(run: &mut Session) -> String {
    script(
        run,
        "aws ecs list-tasks --cluster lesson --daemon-name monitoring-agent --query 'taskArns[0]' --output text",
    )
    .trim()
    .to_string()
}

#[test]
fn there_are_five_lessons_with_distinct_ids_and_working_starting_scripts() {
    assert!(LESSONS.len() >= 5);
    let mut ids: Vec<&str> = LESSONS.iter().map(|l| l.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), LESSONS.len());
    for lesson in LESSONS.iter() {
        let mut api = ecs_daemon_sim::api::Api::new(lesson.scenario().sim_config());
        let report = ecs_daemon_sim::cli::run_script(&mut api, lesson.script);
        assert_eq!(report.exit_status, 0, "{}: {}", lesson.id, report.stderr());
        assert!(!lesson.instructions.is_empty() && !lesson.title.is_empty());
        assert!(!(lesson.check)(api.simulation()).met, "{}", lesson.id);
    }
}

#[test]
fn daemon_first_is_met_only_once_the_instance_turns_active_after_its_daemon() {
    let mut run = start("daemon-first");
    script(
        &mut run,
        "aws ecs create-service --cluster lesson --service-name web --task-definition web:1 --desired-count 1",
    );
    let mut saw_registering_without_daemon = false;
    let mut met_at = None;
    for second in 1..=600 {
        run.advance_by(1_000);
        let snapshot = run.simulation().snapshot();
        let progress = check("daemon-first", &run);
        for instance in &snapshot.instances {
            let daemon_running = instance.daemon_tasks.iter().any(|chip| chip.status == "RUNNING");
            if instance.status == "REGISTERING" && !daemon_running {
                saw_registering_without_daemon = true;
                assert!(
                    !progress.met,
                    "met while {} is REGISTERING without a daemon",
                    instance.container_instance_id
                );
            }
        }
        if progress.met {
            let active =
                snapshot.instances.iter().find(|i| i.status == "ACTIVE").expect("an ACTIVE instance");
            assert!(active.daemon_tasks.iter().any(|chip| chip.status == "RUNNING"));
            met_at = Some(second);
            break;
        }
    }
    assert!(saw_registering_without_daemon, "the instance was never seen REGISTERING before its daemon ran");
    assert!(met_at.is_some(), "never met");
}

#[test]
fn daemon_first_is_not_met_by_a_fleet_without_a_daemon() {
    let lesson = lesson("daemon-first").unwrap();
    let without_daemon: String = lesson
        .script
        .lines()
        .filter(|line| !line.contains("create-daemon"))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut run = Session::new(Scenario { script: Some(without_daemon), ..lesson.scenario() }).unwrap();
    script(
        &mut run,
        "aws ecs create-service --cluster lesson --service-name web --task-definition web:1 --desired-count 1",
    );
    run.advance_by(600_000);
    let snapshot = run.simulation().snapshot();
    assert!(snapshot.instances.iter().any(|i| i.status == "ACTIVE"), "{snapshot:?}");
    let progress = check("daemon-first", &run);
    assert!(!progress.met, "{progress:?}");
}

#[test]
fn circuit_breaker_is_met_when_the_unpullable_revision_trips_it() {
    let mut run = start("circuit-breaker");
    script(&mut run, "sim fault image-pull --image agent:v2");
    register_agent(&mut run, "agent:v2");
    update_daemon(&mut run, 2, 25);
    assert!(!check("circuit-breaker", &run).met, "met as soon as the deployment started");
    let mut failures_seen = 0;
    for _ in 0..1_800 {
        run.advance_by(1_000);
        let progress = check("circuit-breaker", &run);
        let deployment = run.simulation().all_deployments().max_by_key(|d| d.created_at).unwrap();
        let breaker = deployment.circuit_breaker.clone();
        if progress.met {
            assert_eq!(breaker.status, MonitorStatus::Triggered);
            assert!(breaker.failure_count >= breaker.threshold);
            assert!(progress.detail.contains("tripped"), "{}", progress.detail);
            assert!(failures_seen < breaker.threshold, "the check lagged behind the breaker");
            return;
        }
        assert!(breaker.failure_count < breaker.threshold || breaker.status != MonitorStatus::Triggered);
        failures_seen = breaker.failure_count;
    }
    panic!("the breaker never tripped");
}

#[test]
fn circuit_breaker_is_not_met_by_a_good_rollout_or_an_unrelated_fault() {
    let mut run = start("circuit-breaker");
    script(&mut run, "sim fault image-pull --image something-else:v9");
    register_agent(&mut run, "agent:v2");
    update_daemon(&mut run, 2, 25);
    run.advance_by(1_800_000);
    assert_eq!(deployment_status(&run), "SUCCESSFUL");
    let progress = check("circuit-breaker", &run);
    assert!(!progress.met, "{progress:?}");
}

#[test]
fn zero_downtime_is_met_by_a_rollout_at_50_only_when_it_succeeds() {
    let mut run = start("zero-downtime-50");
    register_agent(&mut run, "agent:v2");
    update_daemon(&mut run, 2, 50);
    let mut checked_in_progress = false;
    for _ in 0..3_600 {
        run.advance_by(1_000);
        let status = deployment_status(&run);
        let progress = check("zero-downtime-50", &run);
        if status == "SUCCESSFUL" {
            assert!(progress.met, "{progress:?}");
            assert!(checked_in_progress);
            return;
        }
        assert!(!progress.met, "met while the deployment is {status}");
        checked_in_progress |= status == "IN_PROGRESS";
    }
    panic!("the rollout never finished");
}

#[test]
fn zero_downtime_is_not_met_at_drain_percent_25() {
    let mut run = start("zero-downtime-50");
    register_agent(&mut run, "agent:v2");
    update_daemon(&mut run, 2, 25);
    run.advance_by(3_600_000);
    assert_eq!(deployment_status(&run), "SUCCESSFUL");
    let progress = check("zero-downtime-50", &run);
    assert!(!progress.met && progress.detail.contains("drainPercent 25"), "{progress:?}");
}

#[test]
fn zero_downtime_is_not_met_when_the_app_ran_below_desired_during_the_rollout() {
    let mut run = start("zero-downtime-50");
    register_agent(&mut run, "agent:v2");
    update_daemon(&mut run, 2, 50);
    run.advance_by(10_000);
    assert_eq!(deployment_status(&run), "IN_PROGRESS");
    // An app task stops mid-rollout: the service runs 3 of 4 until its replacement starts.
    let task = script(
        &mut run,
        "aws ecs list-tasks --cluster lesson --service-name web --query 'taskArns[0]' --output text",
    );
    script(&mut run, &format!("aws ecs stop-task --cluster lesson --task {}", task.trim()));
    run.advance_by(3_600_000);
    assert_eq!(deployment_status(&run), "SUCCESSFUL");
    let progress = check("zero-downtime-50", &run);
    assert!(!progress.met && progress.detail.contains("downtime"), "{progress:?}");
}

#[test]
fn auto_repair_is_met_once_the_replacement_is_active_and_the_old_instance_gone() {
    let mut run = start("auto-repair");
    let task = first_daemon_task(&mut run);
    script(&mut run, &format!("aws ecs stop-task --cluster lesson --task {task}"));
    run.advance_by(5_000);
    let progress = check("auto-repair", &run);
    assert!(!progress.met, "met while the repair has just begun: {progress:?}");
    let waited = advance_until_met("auto-repair", &mut run, 1_800_000).expect("never repaired");
    assert!(waited > 30_000, "a replacement cannot be ACTIVE {waited} ms after the stop");
    let repaired = run.simulation().all_instances().filter(|i| i.replaced_by.is_some()).count();
    assert!(repaired >= 1);
}

#[test]
fn auto_repair_is_not_met_by_terminating_an_instance() {
    let mut run = start("auto-repair");
    let ec2 = script(
        &mut run,
        "aws ecs describe-container-instances --cluster lesson --container-instances $(aws ecs list-container-instances --cluster lesson --query 'containerInstanceArns[0]' --output text) --query 'containerInstances[0].ec2InstanceId' --output text",
    );
    script(&mut run, &format!("aws ec2 terminate-instances --instance-ids {}", ec2.trim()));
    run.advance_by(1_800_000);
    let progress = check("auto-repair", &run);
    assert!(!progress.met, "{progress:?}");
}

#[test]
fn drain_last_is_met_when_the_daemon_stops_after_the_apps() {
    let mut run = start("drain-last");
    let instance = script(
        &mut run,
        "aws ecs list-container-instances --cluster lesson --query 'containerInstanceArns[0]' --output text",
    );
    script(
        &mut run,
        &format!("aws ecs update-container-instances-state --cluster lesson --container-instances {} --status DRAINING", instance.trim()),
    );
    run.advance_by(1_000);
    assert!(!check("drain-last", &run).met, "met as soon as the drain began");
    let waited = advance_until_met("drain-last", &mut run, 1_800_000).expect("never met");
    assert!(waited > 1_000);
    let progress = check("drain-last", &run);
    assert!(progress.detail.contains("stopped first"), "{progress:?}");
}

#[test]
fn drain_last_is_not_met_by_stopping_the_daemon_task() {
    let mut run = start("drain-last");
    let task = first_daemon_task(&mut run);
    script(&mut run, &format!("aws ecs stop-task --cluster lesson --task {task}"));
    run.advance_by(1_800_000);
    let progress = check("drain-last", &run);
    assert!(!progress.met, "{progress:?}");
}
