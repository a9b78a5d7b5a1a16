//! Guided lessons for training: each a goal the learner reaches in the
//! simulation, a starting scenario (an AWS-CLI script) and a check that reads only the
//! simulation's own events and state, so that it says "met" exactly when the goal happened and
//! not because the learner clicked the right button.
//!
//! ```
//! use ecs_daemon_sim::session::lessons::{lesson, LESSONS};
//! use ecs_daemon_sim::session::Session;
//!
//! let lesson = lesson("daemon-first").unwrap();
//! let run = Session::new(lesson.scenario()).unwrap();
//! assert!(!(lesson.check)(run.simulation()).met);
//! assert!(LESSONS.len() >= 5);
//! ```

use super::scenario::Scenario;
use crate::engine::event::EventKind;
use crate::engine::time::SECOND;
use crate::engine::{DrainCause, MonitorStatus, Simulation};
use crate::support::Boxed;
use std::collections::{BTreeMap, BTreeSet};

/// Where the learner stands: met or not, and a sentence saying why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonProgress {
    /// Whether the lesson's goal is reached.
    pub met: bool,
    /// What the simulation shows so far, or what is still missing.
    pub detail: String,
}

impl LessonProgress {
    fn met(detail: impl Into<String>) -> Self {
        LessonProgress { met: true, detail: detail.into() }
    }

    fn not_yet(detail: impl Into<String>) -> Self {
        LessonProgress { met: false, detail: detail.into() }
    }
}

/// One lesson.
#[derive(Debug, Clone, Copy)]
pub struct Lesson {
    /// The short name that selects the lesson (in URLs and the JS API).
    pub id: &'static str,
    /// The heading shown to the learner.
    pub title: &'static str,
    /// What to do, in two or three sentences, with the commands to type.
    pub instructions: &'static str,
    /// The AWS-CLI script that builds the starting point.
    pub script: &'static str,
    /// Seed of the starting scenario.
    pub seed: u64,
    /// Whether the goal has been reached, from the simulation's events and state only.
    pub check: fn(&Simulation) -> LessonProgress,
}

impl Lesson {
    /// The starting scenario: the seed and the script, nothing logged yet.
    pub fn scenario(&self) -> Scenario {
        Scenario { script: Some(self.script.to_string()), ..Scenario::with_seed(self.seed) }
    }
}

/// The lesson with this id.
pub fn lesson(id: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|lesson| lesson.id == id)
}

/// Roles, cluster, a Managed Instances capacity provider (2–4 vCPU, 4–8 GiB) and the daemon task
/// definition `monitoring-agent:1` (image `agent:v1`).
macro_rules! foundation {
    () => {
        r#"# Roles the capacity provider needs (seed 002's tutorial).
aws iam create-role --role-name ecsInfrastructureRole --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
aws iam attach-role-policy --role-name ecsInfrastructureRole --policy-arn arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances
aws iam create-role --role-name ecsInstanceRole --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
aws iam attach-role-policy --role-name ecsInstanceRole --policy-arn arn:aws:iam::aws:policy/AmazonECSInstanceRolePolicyForManagedInstances
aws iam create-instance-profile --instance-profile-name ecsInstanceRole
aws iam add-role-to-instance-profile --instance-profile-name ecsInstanceRole --role-name ecsInstanceRole
aws ecs create-cluster --cluster-name lesson
aws ecs create-capacity-provider --name lesson-mi --cluster lesson --managed-instances-provider '{"infrastructureRoleArn":"arn:aws:iam::123456789012:role/ecsInfrastructureRole","instanceLaunchTemplate":{"ec2InstanceProfileArn":"arn:aws:iam::123456789012:instance-profile/ecsInstanceRole","networkConfiguration":{"subnets":["subnet-0123"],"securityGroups":["sg-0123"]},"instanceRequirements":{"vCpuCount":{"min":2,"max":4},"memoryMiB":{"min":4096,"max":8192}}}}'
aws ecs put-cluster-capacity-providers --cluster lesson --capacity-providers lesson-mi --default-capacity-provider-strategy capacityProvider=lesson-mi,weight=1
aws ecs register-daemon-task-definition --family monitoring-agent --cpu 256 --memory 512 --container-definitions '[{"name":"agent","image":"agent:v1","essential":true}]'
aws ecs register-task-definition --family web --cpu 1536 --memory 3072 --container-definitions '[{"name":"web","image":"web:v1","essential":true}]'
"#
    };
}

/// The daemon on the provider.
macro_rules! daemon {
    () => {
        "aws ecs create-daemon --cluster-arn lesson --daemon-name monitoring-agent --daemon-task-definition-arn monitoring-agent:1 --capacity-provider-arns lesson-mi\n"
    };
}

/// The app service: one 1.5 vCPU task per 2 vCPU instance, so the service's desired count is the
/// fleet size.
macro_rules! service {
    ($count:literal) => {
        concat!(
            "aws ecs create-service --cluster lesson --service-name web --task-definition web:1 --desired-count ",
            $count,
            " --capacity-provider-strategy capacityProvider=lesson-mi,weight=1\n"
        )
    };
}

/// Every lesson, in the order the panel lists them.
pub static LESSONS: [Lesson; 5] = [
    Lesson {
        id: "daemon-first",
        title: "Watch an instance stay REGISTERING until its daemon runs",
        instructions: "The daemon exists but there is no instance yet. Create the service (aws ecs \
create-service --cluster lesson --service-name web --task-definition web:1 --desired-count 1) and let \
time run: the new instance stays REGISTERING until its daemon task is RUNNING, and only then turns ACTIVE.",
        script: concat!(foundation!(), daemon!(), "sleep 30\n"),
        seed: 11,
        check: daemon_first,
    },
    Lesson {
        id: "circuit-breaker",
        title: "Make the circuit breaker trip",
        instructions: "Roll out a daemon revision whose image cannot be pulled: `sim fault image-pull \
--image agent:v2`, register a revision with image agent:v2, then `aws ecs update-daemon` to it. Watch the \
launch failures count up until the breaker trips and the deployment rolls back.",
        script: concat!(foundation!(), daemon!(), service!("1"), "sleep 300\n"),
        seed: 12,
        check: circuit_breaker_tripped,
    },
    Lesson {
        id: "zero-downtime-50",
        title: "Roll out a new agent with zero app downtime at drainPercent 50",
        instructions:
            "Register monitoring-agent revision 2 (image agent:v2) and update the daemon to it with \
--deployment-configuration drainPercent=50. Two of the four instances are replaced at a time, and the \
service's running count must never fall below its desired count until the deployment is SUCCESSFUL.",
        script: concat!(foundation!(), daemon!(), service!("4"), "sleep 300\n"),
        seed: 13,
        check: zero_downtime_at_50,
    },
    Lesson {
        id: "auto-repair",
        title: "Stop a daemon task and watch the instance repair itself",
        instructions:
            "Stop the monitoring agent's task on one instance (aws ecs list-tasks --cluster lesson \
--daemon-name monitoring-agent, then aws ecs stop-task). A critical daemon is gone, so ECS drains that \
instance, starts a replacement with the daemon first, moves the app and retires the old instance.",
        script: concat!(foundation!(), daemon!(), service!("2"), "sleep 300\n"),
        seed: 14,
        check: auto_repaired,
    },
    Lesson {
        id: "drain-last",
        title: "Drain an instance: the apps leave first, the daemon last",
        instructions: "Set one container instance to DRAINING (aws ecs update-container-instances-state \
--cluster lesson --container-instances ID --status DRAINING) or terminate its EC2 instance. The service \
replaces its task elsewhere and stops the old one; only then does the daemon task on the instance stop.",
        script: concat!(foundation!(), daemon!(), service!("2"), "sleep 300\n"),
        seed: 15,
        check: drained_daemon_last,
    },
];

fn is_daemon_group(group: &str) -> bool {
    group.starts_with("daemon:")
}

fn is_app_group(group: &str) -> bool {
    group.starts_with("service:")
}

fn short(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// Goal: an instance was REGISTERING, its daemon task reached RUNNING, and only after that the
/// instance turned ACTIVE.
pub fn daemon_first(sim: &Simulation) -> LessonProgress {
    // Owned keys, as in the goal checks below: maps and sets of the types the engine already uses
    // share its compiled B-tree code in the wasm bundle (release wasm size).
    let mut registering: BTreeSet<String> = BTreeSet::new();
    let mut daemon_running: BTreeMap<String, u64> = BTreeMap::new();
    let mut waiting: Option<&str> = None;
    for event in sim.events() {
        match &event.kind {
            EventKind::ContainerInstanceStateChange(d) => {
                let instance = &*d.container_instance_arn;
                match d.status {
                    "REGISTERING" => {
                        registering.insert(instance.to_string());
                        waiting.get_or_insert(instance);
                    }
                    "ACTIVE" if registering.contains(instance) => {
                        if let Some(&at) = daemon_running.get(instance) {
                            return LessonProgress::met(format!(
                                "Instance {} stayed REGISTERING until its daemon task was RUNNING ({} s \
before it turned ACTIVE).",
                                short(instance),
                                (event.time_ms - at) / SECOND
                            ));
                        }
                    }
                    _ => {}
                }
            }
            EventKind::TaskStateChange(d)
                if is_daemon_group(&d.group)
                    && d.last_status == "RUNNING"
                    && !daemon_running.contains_key(&*d.container_instance_arn) =>
            {
                daemon_running.insert(d.container_instance_arn.to_string(), event.time_ms);
            }
            _ => {}
        }
    }
    match waiting {
        Some(instance) => LessonProgress::not_yet(format!(
            "Instance {} is REGISTERING; its daemon task is not RUNNING yet, so it cannot turn ACTIVE.",
            short(instance)
        )),
        None => LessonProgress::not_yet("No instance has been launched yet: create the service."),
    }
}

/// Goal: a deployment's circuit breaker is TRIGGERED.
pub fn circuit_breaker_tripped(sim: &Simulation) -> LessonProgress {
    let mut best: Option<(u32, u32)> = None;
    for deployment in sim.all_deployments() {
        let breaker = &deployment.circuit_breaker;
        if breaker.status == MonitorStatus::Triggered {
            return LessonProgress::met(format!(
                "The circuit breaker tripped after {} failed daemon task launches (threshold {}); deployment \
{} is {}.",
                breaker.failure_count,
                breaker.threshold,
                deployment.id,
                deployment.status.as_str()
            ));
        }
        if best.is_none_or(|(count, _)| breaker.failure_count > count) {
            best = Some((breaker.failure_count, breaker.threshold));
        }
    }
    match best {
        Some((count, threshold)) => LessonProgress::not_yet(format!(
            "Launch failures so far: {count} of {threshold}. The breaker trips at the threshold."
        )),
        None => {
            LessonProgress::not_yet("No daemon deployment yet: update the daemon to a revision that fails.")
        }
    }
}

/// Goal: a daemon rollout (an update, not the first deployment) at drainPercent 50 ended
/// SUCCESSFUL, and from its start to its end every service of the cluster kept its running
/// count at or above its desired count (running counts rebuilt from the task events).
pub fn zero_downtime_at_50(sim: &Simulation) -> LessonProgress {
    let mut last_detail = "No daemon update yet: update the daemon with drainPercent=50.".to_string();
    for deployment in sim.all_deployments() {
        if deployment.source_revisions.is_empty() || deployment.removes_daemon {
            continue;
        }
        let percent = deployment.config.drain_percent;
        let status = deployment.status.as_str();
        if percent != 50.0 {
            last_detail = format!("Deployment {} uses drainPercent {percent}, not 50.", deployment.id);
            continue;
        }
        let (Some(start), Some(end)) = (deployment.started_at, deployment.finished_at) else {
            last_detail = format!("Deployment {} at drainPercent 50 is {status}.", deployment.id);
            continue;
        };
        if status != "SUCCESSFUL" {
            last_detail = format!("Deployment {} at drainPercent 50 ended {status}.", deployment.id);
            continue;
        }
        match lowest_running_margin(sim, &deployment.cluster, start, end) {
            Some((service, running, desired)) if running < desired => {
                last_detail = format!(
                    "Deployment {} at drainPercent 50 succeeded, but service {service} ran {running} of \
{desired} tasks during it: that is downtime.",
                    deployment.id
                );
            }
            _ => {
                return LessonProgress::met(format!(
                    "Deployment {} replaced the fleet at drainPercent 50 and the app never ran below its \
desired count.",
                    deployment.id
                ))
            }
        }
    }
    LessonProgress::not_yet(last_detail)
}

/// The service whose running count fell furthest below (or least above) its desired count
/// between `start` and `end`: (service, running, desired).
fn lowest_running_margin(
    sim: &Simulation,
    cluster: &str,
    start: u64,
    end: u64,
) -> Option<(String, u32, u32)> {
    // Inserted one by one: collecting into a BTreeMap sorts with one more instance of std's sort.
    // Counts held as u64: BTreeMap<String, u64> is a B-tree the bundle has anyway (release wasm size).
    let mut desired: BTreeMap<String, u64> = BTreeMap::new();
    for service in sim.services(cluster) {
        desired.insert(format!("service:{}", service.name), u64::from(service.desired_count));
    }
    let mut running: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut lowest: Option<(String, u32, u32)> = None;
    let mut observe = |running: &BTreeMap<String, BTreeSet<String>>| {
        for (group, &want) in &desired {
            let want = u32::try_from(want).unwrap_or(u32::MAX);
            let have = running.get(group.as_str()).map_or(0, |tasks| tasks.len() as u32);
            let margin = i64::from(have) - i64::from(want);
            if lowest.as_ref().is_none_or(|(_, r, d)| margin < i64::from(*r) - i64::from(*d)) {
                lowest = Some((group.trim_start_matches("service:").to_string(), have, want));
            }
        }
    };
    let mut observed_start = false;
    for event in sim.events() {
        if event.time_ms > end {
            break;
        }
        if event.time_ms >= start && !observed_start {
            observe(&running);
            observed_start = true;
        }
        if let EventKind::TaskStateChange(d) = &event.kind {
            if is_app_group(&d.group) {
                if !running.contains_key(&*d.group) {
                    running.insert(d.group.to_string(), BTreeSet::new());
                }
                if let Some(tasks) = running.get_mut(&*d.group) {
                    if d.last_status == "RUNNING" {
                        tasks.insert(d.task_arn.to_string());
                    } else {
                        tasks.remove(&*d.task_arn);
                    }
                }
            }
        }
        if observed_start {
            observe(&running);
        }
    }
    lowest
}

/// Goal: an instance drained because its critical daemon task stopped, and its replacement is
/// ACTIVE while the old one has been deregistered.
pub fn auto_repaired(sim: &Simulation) -> LessonProgress {
    let mut progress = LessonProgress::not_yet("No instance is being repaired: stop a daemon task.");
    for instance in sim.all_instances() {
        if instance.drain_cause != Some(DrainCause::AutoRepair) {
            continue;
        }
        let replacement = instance.replaced_by.and_then(|key| sim.instance(key));
        let old_status = instance.status_str();
        match replacement {
            Some(new)
                if new.status_str() == "ACTIVE" && matches!(old_status, "DEREGISTERING" | "INACTIVE") =>
            {
                return LessonProgress::met(format!(
                    "Instance {} lost its daemon and was repaired: {} took over (ACTIVE) and the old one is \
{old_status}.",
                    instance.id, new.id
                ))
            }
            Some(new) => {
                progress = LessonProgress::not_yet(format!(
                    "Repair under way: {} is {old_status}, its replacement {} is {}.",
                    instance.id,
                    new.id,
                    new.status_str()
                ))
            }
            None => {
                progress = LessonProgress::not_yet(format!(
                    "Instance {} is {old_status} for auto-repair; its replacement is launching.",
                    instance.id
                ))
            }
        }
    }
    progress
}

/// Goal: an instance that ran app tasks drained, and its daemon task stopped only after every
/// app task on it had stopped.
pub fn drained_daemon_last(sim: &Simulation) -> LessonProgress {
    #[derive(Default)]
    struct Seen {
        draining_since: Option<u64>,
        app_tasks: BTreeSet<String>,
        app_stopped: BTreeMap<String, u64>,
        daemon_stopped: Option<u64>,
    }
    let mut instances: BTreeMap<String, Boxed<Seen>> = BTreeMap::new();
    for event in sim.events() {
        match &event.kind {
            EventKind::ContainerInstanceStateChange(d) if d.status == "DRAINING" => {
                instances
                    .entry(d.container_instance_arn.to_string())
                    .or_default()
                    .draining_since
                    .get_or_insert(event.time_ms);
            }
            EventKind::TaskStateChange(d) => {
                let seen = instances.entry(d.container_instance_arn.to_string()).or_default();
                if is_app_group(&d.group) {
                    seen.app_tasks.insert(d.task_arn.to_string());
                    if d.last_status == "STOPPED" {
                        seen.app_stopped.insert(d.task_arn.to_string(), event.time_ms);
                    }
                } else if is_daemon_group(&d.group) && d.last_status == "STOPPED" {
                    seen.daemon_stopped.get_or_insert(event.time_ms);
                }
            }
            _ => {}
        }
    }
    let mut progress = LessonProgress::not_yet("No instance is draining: drain or terminate one.");
    for (instance, seen) in &instances {
        let Some(since) = seen.draining_since else { continue };
        if seen.app_tasks.is_empty() {
            continue;
        }
        let apps_done = seen.app_tasks.len() == seen.app_stopped.len();
        let last_app = seen.app_stopped.values().copied().max();
        match (seen.daemon_stopped, apps_done) {
            (Some(daemon), true) if last_app.is_some_and(|app| app <= daemon) && since <= daemon => {
                return LessonProgress::met(format!(
                    "Instance {}: every app task stopped first, the daemon task {} s after the last one.",
                    short(instance),
                    (daemon - last_app.unwrap_or(daemon)) / SECOND
                ))
            }
            (Some(_), _) => {
                progress = LessonProgress::not_yet(format!(
                    "Instance {}: its daemon task stopped while app tasks still ran there (that is a repair, \
not a drain).",
                    short(instance)
                ))
            }
            (None, _) => {
                progress = LessonProgress::not_yet(format!(
                    "Instance {} is draining: {} of {} app tasks stopped, the daemon still runs.",
                    short(instance),
                    seen.app_stopped.len(),
                    seen.app_tasks.len()
                ))
            }
        }
    }
    progress
}

/// The `sim` commands that the lessons' scenarios lean on, driven through a session as a lesson is.
#[cfg(test)]
mod sim_command_tests {
    // The names the lesson scripts (`foundation!`, `daemon!`) create.
    const CLUSTER: &str = "lesson";
    const CAPACITY_PROVIDER: &str = "lesson-mi";
    const DAEMON: &str = "monitoring-agent";

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn capacity_clear_and_deployment_drain_percent_change_only_what_they_name() {
        let lesson = super::lesson("zero-downtime-50").unwrap();
        let mut run = crate::session::Session::new(lesson.scenario()).unwrap();
        let provider = CAPACITY_PROVIDER;
        let blocked = |run: &crate::session::Session| {
            run.simulation().capacity_provider(provider).unwrap().launch_blocked
        };
        run.sim(&words("fault image-pull --image agent:v9")).unwrap();
        run.sim(&words(&format!("fault capacity --capacity-provider {provider}"))).unwrap();
        assert!(blocked(&run));
        run.sim(&words(&format!("fault capacity-clear --capacity-provider {provider}"))).unwrap();
        assert!(!blocked(&run));
        assert_eq!(run.simulation().unpullable_images().count(), 1, "the image fault stays");

        let daemon = run.api().arns().daemon(CLUSTER, DAEMON);
        let set = format!("deployment drain-percent --daemon {daemon} --percent 50");
        let refused = run.sim(&words(&set)).unwrap_err();
        assert!(refused.message.contains("no deployment in progress"), "{refused}");
        run.script(
            "aws ecs register-daemon-task-definition --family monitoring-agent --cpu 256 --memory 512 \
             --container-definitions '[{\"name\":\"agent\",\"image\":\"agent:v2\",\"essential\":true}]'\n\
             aws ecs update-daemon --daemon-arn DAEMON --daemon-task-definition-arn monitoring-agent:2 \
             --capacity-provider-arns lesson-mi --deployment-configuration drainPercent=25"
                .replace("DAEMON", &daemon)
                .as_str(),
        );
        let drain = |run: &crate::session::Session| {
            let sim = run.simulation();
            let daemon = sim.daemons().next().unwrap();
            sim.daemon_deployments(daemon).into_iter().next().unwrap().config.drain_percent
        };
        assert_eq!(drain(&run), 25.0);
        let before = run.api().state_fingerprint();
        for bad in [
            format!("deployment drain-percent --daemon {daemon} --percent 101"),
            format!("deployment drain-percent --daemon {daemon}"),
            "deployment drain-percent --daemon nope --percent 5".to_string(),
        ] {
            assert!(run.sim(&words(&bad)).is_err(), "{bad}");
        }
        assert_eq!(run.api().state_fingerprint(), before);
        run.sim(&words(&set)).unwrap();
        assert_eq!(drain(&run), 50.0);
        let reversed = format!("deployment drain-percent --percent 75 --daemon {daemon}");
        run.sim(&words(&reversed)).unwrap();
        assert_eq!(drain(&run), 75.0);
    }

    #[test]
    fn auto_repair_reports_the_setting_and_the_instances_it_holds_or_repairs() {
        let lesson = super::lesson("zero-downtime-50").unwrap();
        let mut run = crate::session::Session::new(lesson.scenario()).unwrap();
        run.advance_by(15 * 60_000);
        let provider = CAPACITY_PROVIDER;
        let report = |run: &mut crate::session::Session| {
            run.sim(&words(&format!("auto-repair --capacity-provider {provider}"))).unwrap()
        };
        assert_eq!(report(&mut run).lines().count(), 1, "nothing to repair yet");
        assert!(report(&mut run).starts_with(&format!("{provider}: auto repair ENABLED.")));
        let switch = |status: &str| {
            format!(
                "aws ecs update-capacity-provider --name {provider} --cluster lesson --managed-instances-provider \
                 '{{\"infrastructureRoleArn\":\"arn:aws:iam::123456789012:role/ecsInfrastructureRole\",\
                 \"instanceLaunchTemplate\":{{}},\"autoRepairConfiguration\":{{\"actionsStatus\":\"{status}\"}}}}'"
            )
        };
        let done = run.script(&switch("DISABLED"));
        assert_eq!(done.exit_status, 0, "{done:?}");
        let daemon = run.simulation().tasks(CLUSTER).find(|t| t.is_daemon()).unwrap();
        let (task, instance) = (daemon.arn.to_string(), daemon.instance);
        let done = run.script(&format!("aws ecs stop-task --cluster lesson --task {task}"));
        assert_eq!(done.exit_status, 0, "{done:?}");
        run.advance_by(60_000);
        let held = report(&mut run);
        let id = &run.simulation().instance(instance).unwrap().id;
        assert!(held.starts_with(&format!("{provider}: auto repair DISABLED. Auto repair is off")), "{held}");
        assert!(held.contains("not restarted"), "{held}");
        let line = held.lines().nth(1).unwrap();
        assert!(line.starts_with(id.as_str()), "{held}");
        assert!(line.contains("ACTIVE IMPAIRED: held") && line.contains("is stopped"), "{held}");
        let done = run.script(&switch("ENABLED"));
        assert_eq!(done.exit_status, 0, "{done:?}");
        let repairing = report(&mut run);
        assert!(
            repairing.lines().nth(1).unwrap().contains("DRAINING IMPAIRED: being repaired"),
            "{repairing}"
        );
        let before = run.api().state_fingerprint();
        assert!(run.sim(&words("auto-repair --capacity-provider nope")).is_err());
        assert!(run.sim(&words("auto-repair")).is_err());
        assert_eq!(run.api().state_fingerprint(), before);
    }
}
