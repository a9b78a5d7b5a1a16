//! Golden scenarios: commands in → expected event log. Each file under tests/golden/ lists the
//! scenario's commands (with their simulated times) and every EventBridge event, one line per event
//! with ids replaced by stable symbols (ci1, t1, dep1, rev1 …) so a reviewer can read them; the last
//! line is the hash of the full JSON log, so any byte change in any event is caught too.
//!
//! Regenerate after an intended behaviour change with `UPDATE_GOLDEN=1 cargo test --test
//! engine golden::`, then review the diff line by line before committing.

use crate::support::engine::*;
use ecs_daemon_sim::engine::command::*;
use ecs_daemon_sim::engine::time::MINUTE;
use ecs_daemon_sim::engine::*;
use serde_json::Value;
use std::collections::BTreeMap;

const S: u64 = 1000;

/// A scenario: timed commands, then run until `end` (ms after the epoch).
struct Scenario {
    sim: Simulation,
    script: Vec<String>,
}

impl Scenario {
    fn new(seed: u64) -> Self {
        Scenario { sim: Simulation::new(SimConfig::with_seed(seed)), script: Vec::new() }
    }

    fn base(seed: u64) -> Self {
        let mut s = Self::new(seed);
        s.cmd(Command::CreateCluster { name: CLUSTER.into() });
        s.cmd(create_cp(CP, (2, 4), (4096, 8192)));
        s.cmd(Command::PutClusterCapacityProviders {
            cluster: CLUSTER.into(),
            capacity_providers: vec![CP.into()],
            default_strategy: vec![CP.into()],
        });
        s
    }

    fn at(&mut self, elapsed_ms: u64) -> &mut Self {
        let until = self.sim.config().epoch_ms + elapsed_ms;
        run_checked(&mut self.sim, until);
        self
    }

    fn cmd(&mut self, c: Command) -> Outcome {
        let line = format!("{} {}", clock(self.sim.elapsed()), describe(&c));
        self.script.push(line);
        ok(&mut self.sim, c)
    }

    fn try_cmd(&mut self, c: Command) -> Result<Outcome, EngineError> {
        let line = format!("{} {}", clock(self.sim.elapsed()), describe(&c));
        let r = self.sim.apply(c);
        match &r {
            Ok(_) => self.script.push(line),
            Err(e) => self.script.push(format!("{line} => {}: {}", e.kind.as_str(), e.message)),
        }
        r
    }
}

fn clock(ms: u64) -> String {
    format!("{:02}:{:02}:{:02}.{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

/// A short, stable description of a command for the golden file.
fn describe(c: &Command) -> String {
    let text = format!("{c:?}");
    let text = text.replace("document: Null, ", "").replace("arn:aws:ecs:us-east-1:123456789012:", "");
    if text.len() > 200 {
        format!("{}…", &text[..200])
    } else {
        text
    }
}

/// Renders the event log with symbolic ids.
fn render(sim: &Simulation, script: &[String], title: &str) -> String {
    let mut symbols: BTreeMap<String, String> = BTreeMap::new();
    let mut counters: BTreeMap<&str, u32> = BTreeMap::new();
    let mut sym = |id: &str, prefix: &'static str, symbols: &mut BTreeMap<String, String>| -> String {
        if let Some(s) = symbols.get(id) {
            return s.clone();
        }
        let n = counters.entry(prefix).or_insert(0);
        *n += 1;
        let s = format!("{prefix}{n}");
        symbols.insert(id.to_string(), s.clone());
        s
    };
    let tail =
        |v: &Value| v.as_str().map(|s| s.rsplit('/').next().unwrap_or("").to_string()).unwrap_or_default();
    let mut out = format!("# {title}\n## commands\n");
    for line in script {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("## events\n");
    let epoch = sim.config().epoch_ms;
    for e in sim.events() {
        let j = e.to_json();
        let d = &j["detail"];
        let t = clock(e.time_ms - epoch);
        let line = match e.detail_type() {
            "ECS Task State Change" => {
                let task = sym(&tail(&d["taskArn"]), "t", &mut symbols);
                let ci = sym(&tail(&d["containerInstanceArn"]), "ci", &mut symbols);
                let td = d["taskDefinitionArn"]
                    .as_str()
                    .unwrap_or("")
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .to_string();
                let mut l = format!(
                    "{t} TASK {task} {} {td} on {ci} {} desired={}",
                    d["group"].as_str().unwrap_or(""),
                    d["lastStatus"].as_str().unwrap_or(""),
                    d["desiredStatus"].as_str().unwrap_or("")
                );
                if d["healthStatus"] != "UNKNOWN" {
                    l.push_str(&format!(" health={}", d["healthStatus"].as_str().unwrap_or("")));
                }
                if let Some(r) = d["stoppedReason"].as_str() {
                    if d["lastStatus"] == "STOPPED" || d["lastStatus"] == "DEACTIVATING" {
                        l.push_str(&format!(
                            " stopCode={} reason=\"{r}\"",
                            d["stopCode"].as_str().unwrap_or("")
                        ));
                    }
                }
                l
            }
            "ECS Container Instance State Change" => {
                let ci = sym(&tail(&d["containerInstanceArn"]), "ci", &mut symbols);
                let rem = &d["remainingResources"];
                format!(
                    "{t} INSTANCE {ci} {} cp={} tasks={} pending={} remaining={}/{}",
                    d["status"].as_str().unwrap_or(""),
                    d["capacityProviderName"].as_str().unwrap_or(""),
                    d["runningTasksCount"],
                    d["pendingTasksCount"],
                    rem[0]["integerValue"],
                    rem[1]["integerValue"]
                )
            }
            "ECS Container Instance Health Change" => {
                let ci = sym(&tail(&d["containerInstanceArn"]), "ci", &mut symbols);
                let check = &d["healthChecks"][0];
                format!(
                    "{t} HEALTH {ci} {} DAEMON={} \"{}\"",
                    d["overallStatus"].as_str().unwrap_or(""),
                    check["status"].as_str().unwrap_or(""),
                    check["statusReason"].as_str().unwrap_or("")
                )
            }
            "ECS Daemon Service Action" => {
                let ci = sym(&tail(&d["containerInstanceArn"]), "ci", &mut symbols);
                let rev = sym(&tail(&d["daemonRevisionArn"]), "rev", &mut symbols);
                let task =
                    d.get("taskArn").map(|a| sym(&tail(a), "t", &mut symbols)).unwrap_or_else(|| "-".into());
                format!(
                    "{t} DAEMON_TASK_START_IMPAIRED {} daemon={} {rev} on {ci} task={task} resources={} reason=\"{}\"",
                    d["failureType"].as_str().unwrap_or(""),
                    tail(&d["daemonArn"]),
                    j["resources"].as_array().map(|a| a.len()).unwrap_or(0),
                    d["reason"].as_str().unwrap_or("")
                )
            }
            "ECS Daemon Deployment State Change" => {
                let dep = sym(&tail(&d["daemonDeploymentArn"]), "dep", &mut symbols);
                let rev = sym(&tail(&d["targetDaemonRevisionArn"]), "rev", &mut symbols);
                let mut l = format!(
                    "{t} DEPLOYMENT {dep} daemon={} {} target={rev}",
                    tail(&d["daemonArn"]),
                    d["eventName"].as_str().unwrap_or("")
                );
                if let Some(r) = d["reason"].as_str() {
                    l.push_str(&format!(" reason=\"{r}\""));
                }
                l
            }
            other => format!("{t} {other}"),
        };
        // Ids quoted inside reasons become symbols too.
        let mut line = line;
        for (id, s) in &symbols {
            if id.len() >= 16 && line.contains(id.as_str()) {
                line = line.replace(id.as_str(), s);
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&format!(
        "## event-log-hash {:016x} ({} events)\n",
        sim.event_log_hash(),
        sim.events().len()
    ));
    out
}

fn check_golden(name: &str, title: &str, scenario: &Scenario) {
    let text = render(&scenario.sim, &scenario.script, title);
    let path = format!("{}/tests/golden/{name}.txt", env!("CARGO_MANIFEST_DIR"));
    if crate::support::golden::update_requested() {
        std::fs::write(&path, &text).expect("write golden");
        return;
    }
    let expected =
        std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing {path}; run with UPDATE_GOLDEN=1"));
    if expected != text {
        let diff: Vec<String> = expected
            .lines()
            .zip(text.lines())
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .take(5)
            .map(|(i, (a, b))| format!("line {}:\n  want {a}\n  got  {b}", i + 1))
            .collect();
        panic!("{name}: event log differs from the golden file\n{}", diff.join("\n"));
    }
}

fn lines_with<'a>(text: &'a str, pat: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.contains(pat)).collect()
}

fn position(text: &str, pat: &str) -> usize {
    text.lines().position(|l| l.contains(pat)).unwrap_or_else(|| panic!("no line with {pat:?}"))
}

// ----- scenarios --------------------------------------------------------------------------------

#[test]
fn golden_first_placement_on_an_empty_capacity_provider() {
    let mut s = Scenario::base(1);
    s.cmd(dtd("monitoring-agent", "public.ecr.aws/docker/library/nginx:alpine", 256, 512));
    s.cmd(create_daemon("monitoring-agent", "monitoring-agent:1", &[CP]));
    s.cmd(task_def("test-app", 512, 1024));
    s.at(60 * S).cmd(create_service("app-svc", "test-app:1", 1, CP));
    s.at(10 * MINUTE);
    let text = render(&s.sim, &s.script, "");
    // The empty provider's initial deployment succeeds with nothing to replace.
    assert!(position(&text, "DAEMON_DEPLOYMENT_SUCCESSFUL") < position(&text, "INSTANCE ci1 REGISTERING"));
    // App task created, then the instance registers with the daemon, daemon runs, instance ACTIVE, app runs.
    let order = [
        "TASK t1 service:app-svc test-app:1 on ci1 PROVISIONING",
        "INSTANCE ci1 REGISTERING",
        "TASK t2 daemon:monitoring-agent monitoring-agent:1 on ci1 PENDING",
        "TASK t2 daemon:monitoring-agent monitoring-agent:1 on ci1 RUNNING",
        "INSTANCE ci1 ACTIVE",
        "TASK t1 service:app-svc test-app:1 on ci1 RUNNING",
    ];
    let mut last = 0;
    for o in order {
        let p = position(&text, o);
        assert!(p >= last, "{o} out of order");
        last = p;
    }
    check_golden(
        "first_placement",
        "First placement on an empty capacity provider: daemon first, then the app",
        &s,
    );
}

fn big_app(s: &mut Scenario) {
    // 1536 CPU / 3072 MiB: with the 256/512 daemon, one app task fills a c6i.large.
    s.cmd(task_def("big-app", 1536, 3072));
}

#[test]
fn golden_scale_out_to_six_instances() {
    let mut s = Scenario::new(2);
    s.cmd(Command::CreateCluster { name: CLUSTER.into() });
    s.cmd(create_cp(CP, (2, 2), (4096, 4096)));
    s.cmd(dtd("monitoring-agent", "agent:v1", 256, 512));
    s.cmd(create_daemon("monitoring-agent", "monitoring-agent:1", &[CP]));
    big_app(&mut s);
    s.cmd(create_service("web", "big-app:1", 2, CP));
    s.at(10 * MINUTE).cmd(Command::UpdateService {
        cluster: CLUSTER.into(),
        service: "web".into(),
        desired_count: Some(6),
    });
    s.at(20 * MINUTE);
    let text = render(&s.sim, &s.script, "");
    assert_eq!(lines_with(&text, " ACTIVE cp=").len(), 6);
    assert_eq!(s.sim.container_instances(CLUSTER).count(), 6);
    assert_eq!(s.sim.service(CLUSTER, "web").unwrap().running_count, 6);
    assert_eq!(
        lines_with(&text, "daemon:monitoring-agent monitoring-agent:1 on")
            .iter()
            .filter(|l| l.contains(" RUNNING "))
            .count(),
        6
    );
    check_golden(
        "scale_out_6",
        "Scale-out to 6 instances: one instance per app task, daemon first on each",
        &s,
    );
}

#[test]
fn golden_scale_in_with_drain_last_ordering() {
    let mut s = Scenario::new(3);
    s.cmd(Command::CreateCluster { name: CLUSTER.into() });
    s.cmd(create_cp(CP, (2, 2), (4096, 4096)));
    s.cmd(dtd("monitoring-agent", "agent:v1", 256, 512));
    s.cmd(create_daemon("monitoring-agent", "monitoring-agent:1", &[CP]));
    big_app(&mut s);
    s.cmd(create_service("web", "big-app:1", 3, CP));
    s.at(10 * MINUTE).cmd(Command::UpdateService {
        cluster: CLUSTER.into(),
        service: "web".into(),
        desired_count: Some(1),
    });
    // And a user drain of the last instance while its app task runs: the service starts a
    // replacement elsewhere first, the app task stops, the daemon stops last.
    s.at(20 * MINUTE);
    let last = s
        .sim
        .container_instances(CLUSTER)
        .find(|i| i.status == InstanceStatus::Active)
        .unwrap()
        .arn
        .to_string();
    s.cmd(Command::UpdateContainerInstancesState {
        cluster: CLUSTER.into(),
        container_instances: vec![last],
        status: "DRAINING".into(),
    });
    s.at(40 * MINUTE);
    let text = render(&s.sim, &s.script, "");
    // On every instance that drained, the daemon task stopped after the app task.
    for ci in ["ci1", "ci2", "ci3"] {
        if let Some(drain) = text.lines().position(|l| l.contains(&format!("INSTANCE {ci} DRAINING"))) {
            let app_stop = text
                .lines()
                .position(|l| l.contains("service:web") && l.contains(&format!("on {ci} STOPPED")));
            let daemon_stop = text
                .lines()
                .position(|l| l.contains("daemon:") && l.contains(&format!("on {ci} DEACTIVATING")))
                .unwrap();
            assert!(daemon_stop > drain);
            if let Some(a) = app_stop {
                assert!(daemon_stop > a, "{ci}: daemon stopped before the app");
            }
        }
    }
    assert_eq!(s.sim.service(CLUSTER, "web").unwrap().running_count, 1);
    check_golden(
        "scale_in_drain_last",
        "Scale-in 3 → 1 (idle instances drain, daemon last), then a user drain",
        &s,
    );
}

#[test]
fn golden_auto_repair_after_daemon_task_stopped() {
    let mut s = Scenario::base(4);
    s.cmd(dtd("monitoring-agent", "agent:v1", 256, 512));
    s.cmd(create_daemon("monitoring-agent", "monitoring-agent:1", &[CP]));
    s.cmd(task_def("test-app", 512, 1024));
    s.cmd(create_service("app-svc", "test-app:1", 1, CP));
    s.at(10 * MINUTE);
    let daemon_task = group_tasks(&s.sim, "daemon:monitoring-agent")[0].arn.to_string();
    s.cmd(Command::StopTask {
        cluster: CLUSTER.into(),
        task: daemon_task,
        reason: Some("fault injection".into()),
    });
    s.at(20 * MINUTE);
    let text = render(&s.sim, &s.script, "");
    let order = [
        "HEALTH ci1 IMPAIRED",
        "INSTANCE ci1 DRAINING",
        "INSTANCE ci2 REGISTERING",
        "INSTANCE ci2 ACTIVE",
        "service:app-svc test-app:1 on ci2 RUNNING",
        "service:app-svc test-app:1 on ci1 STOPPED",
        "INSTANCE ci1 DEREGISTERING",
        "INSTANCE ci1 INACTIVE",
    ];
    let mut last = 0;
    for o in order {
        let p = position(&text, o);
        assert!(p >= last, "{o} out of order");
        last = p;
    }
    check_golden(
        "auto_repair",
        "Auto-repair: a stopped critical daemon task drains and replaces its instance",
        &s,
    );
}

#[test]
fn golden_daemon_too_big_for_the_instance() {
    let mut s = Scenario::new(5);
    s.cmd(Command::CreateCluster { name: CLUSTER.into() });
    s.cmd(create_cp(CP, (2, 2), (4096, 4096)));
    s.cmd(dtd("small-agent", "agent:v1", 256, 512));
    s.cmd(dtd("huge-agent", "agent:v1", 4096, 512));
    s.cmd(create_daemon("small-agent", "small-agent:1", &[CP]));
    let mut c = create_daemon("huge-agent", "huge-agent:1", &[CP]);
    if let Command::CreateDaemon(cd) = &mut c {
        cd.critical = Some(false);
    }
    s.cmd(c);
    s.cmd(task_def("test-app", 512, 1024));
    s.cmd(create_service("app-svc", "test-app:1", 1, CP));
    s.at(8 * MINUTE);
    let text = render(&s.sim, &s.script, "");
    let failures = lines_with(&text, "TASK_CREATION_FAILED");
    assert!(!failures.is_empty());
    assert!(failures[0].contains("resources=0") && failures[0].contains("task=-"));
    assert!(failures[0]
        .contains("RESOURCE:CPU - Unable to place daemon task on container instance: insufficient CPU"));
    // Non-critical: the instance still became ACTIVE and the app runs.
    assert!(text.contains("INSTANCE ci1 ACTIVE"));
    assert_eq!(s.sim.service(CLUSTER, "app-svc").unwrap().running_count, 1);
    check_golden(
        "daemon_too_big",
        "A non-critical daemon too big for the instance: TASK_CREATION_FAILED, retried",
        &s,
    );
}

#[test]
fn golden_unpullable_daemon_image() {
    let mut s = Scenario::base(6);
    s.cmd(Command::SetImageUnpullable { image: "agent:broken".into(), unpullable: true });
    s.cmd(dtd("monitoring-agent", "agent:broken", 256, 512));
    s.cmd(create_daemon("monitoring-agent", "monitoring-agent:1", &[CP]));
    s.cmd(task_def("test-app", 512, 1024));
    s.cmd(create_service("app-svc", "test-app:1", 1, CP));
    s.at(8 * MINUTE);
    s.cmd(Command::SetImageUnpullable { image: "agent:broken".into(), unpullable: false });
    s.at(12 * MINUTE);
    let text = render(&s.sim, &s.script, "");
    let failures = lines_with(&text, "TASK_FAILED_TO_RUN");
    assert!(failures.len() >= 2, "retried");
    assert!(failures[0].contains("resources=1"));
    assert!(failures[0].contains(
        "reason=\"Task failed to reach RUNNING status: CannotPullContainerError: pull image manifest has been retried 5 time(s)\""
    ));
    // Critical daemon never ran: the instance stayed REGISTERING and the app never started, until
    // the image was fixed.
    let first_active = position(&text, "INSTANCE ci1 ACTIVE");
    let fixed = position(&text, "SetImageUnpullable { image: \"agent:broken\", unpullable: false }");
    assert!(first_active > fixed);
    assert_eq!(s.sim.service(CLUSTER, "app-svc").unwrap().running_count, 1);
    check_golden(
        "unpullable_image",
        "Unpullable daemon image: TASK_FAILED_TO_RUN, instance held REGISTERING",
        &s,
    );
}

#[test]
fn golden_two_daemons_on_one_capacity_provider() {
    let mut s = Scenario::base(7);
    s.cmd(dtd("monitoring-agent", "agent:v1", 256, 512));
    s.cmd(dtd("log-router", "fluent-bit:3", 128, 256));
    s.cmd(create_daemon("monitoring-agent", "monitoring-agent:1", &[CP]));
    s.cmd(create_daemon("log-router", "log-router:1", &[CP]));
    s.cmd(task_def("test-app", 512, 1024));
    s.cmd(create_service("app-svc", "test-app:1", 2, CP));
    s.at(10 * MINUTE);
    let text = render(&s.sim, &s.script, "");
    let instances: Vec<_> = s.sim.container_instances(CLUSTER).collect();
    for i in &instances {
        let live: Vec<_> = s.sim.tasks(CLUSTER).filter(|t| t.instance == i.key && t.is_live()).collect();
        assert_eq!(live.iter().filter(|t| &*t.group == "daemon:monitoring-agent").count(), 1);
        assert_eq!(live.iter().filter(|t| &*t.group == "daemon:log-router").count(), 1);
        // Both daemons ran before any app task started.
        let app_start = live.iter().filter(|t| !t.is_daemon()).filter_map(|t| t.started_at).min().unwrap();
        assert!(live.iter().filter(|t| t.is_daemon()).all(|t| t.started_at.unwrap() < app_start));
    }
    assert_eq!(instances.len(), 1);
    assert_eq!(s.sim.task_counts(instances[0]), (4, 0), "2 daemons + 2 apps on one instance");
    assert!(text.contains("tasks=2"), "REGISTERING with the two daemon tasks");
    check_golden("two_daemons", "Two daemons on one capacity provider: one task of each per instance", &s);
}

#[test]
fn golden_rolling_update_four_instances_drain_percent_50() {
    let mut s = Scenario::new(8);
    s.cmd(Command::CreateCluster { name: CLUSTER.into() });
    s.cmd(create_cp(CP, (2, 2), (4096, 4096)));
    s.cmd(dtd("monitoring-agent", "agent:v1", 256, 512));
    s.cmd(create_daemon("monitoring-agent", "monitoring-agent:1", &[CP]));
    big_app(&mut s);
    s.cmd(create_service("web", "big-app:1", 4, CP));
    s.at(10 * MINUTE);
    s.cmd(dtd("monitoring-agent", "agent:v2", 256, 512));
    let config = DeploymentConfig { drain_percent: 50.0, ..Default::default() };
    s.cmd(update_daemon("monitoring-agent", "monitoring-agent:2", &[CP], Some(config)));
    s.at(30 * MINUTE);
    let text = render(&s.sim, &s.script, "");
    assert!(text.contains("DAEMON_DEPLOYMENT_SUCCESSFUL target=rev2"));
    assert_eq!(lines_with(&text, " DRAINING cp=").len(), 4);
    check_golden(
        "rolling_update_4x50",
        "Rolling update of 4 instances at drainPercent 50: two at a time",
        &s,
    );
}

#[test]
fn golden_circuit_breaker_rollback() {
    let mut s = Scenario::new(9);
    s.cmd(Command::CreateCluster { name: CLUSTER.into() });
    s.cmd(create_cp(CP, (2, 2), (4096, 4096)));
    s.cmd(dtd("monitoring-agent", "agent:v1", 256, 512));
    s.cmd(create_daemon("monitoring-agent", "monitoring-agent:1", &[CP]));
    big_app(&mut s);
    s.cmd(create_service("web", "big-app:1", 2, CP));
    s.at(10 * MINUTE);
    s.cmd(Command::SetImageUnpullable { image: "agent:bad".into(), unpullable: true });
    s.cmd(dtd("monitoring-agent", "agent:bad", 256, 512));
    s.cmd(update_daemon("monitoring-agent", "monitoring-agent:2", &[CP], None));
    s.at(40 * MINUTE);
    let text = render(&s.sim, &s.script, "");
    if std::env::var("SHOW").is_ok() {
        println!("{text}");
    }
    let order = [
        "DAEMON_DEPLOYMENT_PENDING target=rev2",
        "DAEMON_DEPLOYMENT_IN_PROGRESS target=rev2",
        "TASK_FAILED_TO_RUN",
        "DAEMON_DEPLOYMENT_STOP_REQUESTED target=rev2 reason=\"circuit breaker initiated the rollback\"",
        "DAEMON_DEPLOYMENT_ROLLBACK_IN_PROGRESS target=rev2",
        "DAEMON_DEPLOYMENT_ROLLBACK_SUCCESSFUL target=rev2",
    ];
    let mut last = 0;
    for o in order {
        let p = position(&text, o);
        assert!(p >= last, "{o} out of order");
        last = p;
    }
    assert_eq!(lines_with(&text, "TASK_FAILED_TO_RUN").len(), 3, "threshold 3");
    assert_eq!(s.sim.service(CLUSTER, "web").unwrap().running_count, 2);
    check_golden(
        "circuit_breaker_rollback",
        "Bad image: 3 failed daemon starts trip the circuit breaker, rollback to v1",
        &s,
    );
}

#[test]
fn golden_alarm_during_bake_rolls_back() {
    let mut s = Scenario::base(10);
    s.cmd(Command::PutMetricAlarm { name: "agent-errors".into() });
    s.cmd(Command::SetAlarmState { name: "agent-errors".into(), state: "OK".into(), reason: "fine".into() });
    s.cmd(dtd("monitoring-agent", "agent:v1", 256, 512));
    s.cmd(create_daemon("monitoring-agent", "monitoring-agent:1", &[CP]));
    s.cmd(task_def("test-app", 512, 1024));
    s.cmd(create_service("app-svc", "test-app:1", 1, CP));
    s.at(10 * MINUTE);
    s.cmd(dtd("monitoring-agent", "agent:v2", 256, 512));
    let config = DeploymentConfig {
        drain_percent: 25.0,
        bake_time_in_minutes: 10,
        alarm_names: vec!["agent-errors".into()],
        alarms_enabled: true,
    };
    s.cmd(update_daemon("monitoring-agent", "monitoring-agent:2", &[CP], Some(config)));
    // The replacement is done after ≈ 5 min; the alarm fires during the 10-minute bake.
    s.at(20 * MINUTE);
    let _ = s.try_cmd(Command::SetAlarmState {
        name: "agent-errors".into(),
        state: "ALARM".into(),
        reason: "errors".into(),
    });
    s.at(40 * MINUTE);
    let text = render(&s.sim, &s.script, "");
    assert!(text.contains("reason=\"alarm agent-errors in ALARM state initiated the rollback\""));
    assert!(text.contains("DAEMON_DEPLOYMENT_ROLLBACK_SUCCESSFUL"));
    assert!(!text.contains("DAEMON_DEPLOYMENT_SUCCESSFUL target=rev2"));
    check_golden(
        "alarm_during_bake",
        "An alarm entering ALARM during the bake window rolls the deployment back",
        &s,
    );
}
