//! Scenarios: export → import round trips (a property test over 100 random runs), the refusals
//! of bad files (the caller's run untouched), and the URL codec.

use ecs_daemon_sim::session::lessons::LESSONS;
use ecs_daemon_sim::session::scenario::url::{self, UrlWarning};
use ecs_daemon_sim::session::scenario::{
    limits, Input, LogEntry, Scenario, ScenarioError, ViewSettings, SCHEMA_VERSION,
};
use ecs_daemon_sim::session::{import, Session};
use serde_json::{json, Value};

/// SplitMix64: the tests' own seeded generator (no `rand`).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const DAEMON_ARN: &str = "arn:aws:ecs:us-east-1:123456789012:daemon/lesson/monitoring-agent";

/// A run of random inputs recorded as a learner or the playground would make it.
fn random_run(seed: u64) -> Session {
    let mut rng = Rng(seed);
    let lesson = &LESSONS[(rng.below(LESSONS.len() as u64)) as usize];
    let mut scenario =
        Scenario { script: Some(lesson.script.to_string()), ..Scenario::with_seed(rng.next()) };
    if rng.chance(30) {
        scenario.options.region = "eu-west-1".into();
        scenario.options.epoch_ms = 1_700_000_000_000 + rng.below(1_000_000_000);
    }
    if rng.chance(50) {
        scenario.preset = Some(["rolling-update", "auto-repair", "bad-image"][rng.below(3) as usize].into());
    }
    let mut recorder = Session::new(scenario).unwrap();
    recorder.set_knob("drainPercent", [10.0, 25.0, 50.0, 12.5][rng.below(4) as usize]).unwrap();
    if rng.chance(50) {
        recorder.set_knob("instances", rng.below(9) as f64).unwrap();
        recorder.set_knob("daemonCpu", 256.0).unwrap();
    }
    recorder
        .set_view(ViewSettings {
            speed: 1.0 + rng.below(999) as f64 + if rng.chance(50) { 0.25 } else { 0.0 },
            autoplay: rng.chance(50),
            embed: rng.chance(30),
            knob: rng.chance(50).then(|| "drainPercent".to_string()),
        })
        .unwrap();
    let mut revision = 1;
    for _ in 0..(3 + rng.below(12)) {
        match rng.below(11) {
            0 => {
                recorder.advance_by(1 + rng.below(180_000));
            }
            1 => {
                let desired = rng.below(4);
                let _ = recorder.call(
                    "ecs",
                    "UpdateService",
                    &json!({"cluster": "lesson", "service": "web", "desiredCount": desired}),
                );
            }
            2 => {
                let image = format!("agent:v{}", 1 + rng.below(4));
                let body = json!({"family": "monitoring-agent", "cpu": "256", "memory": "512",
                    "containerDefinitions": [{"name": "agent", "image": image, "essential": true}]});
                if recorder.call("ecs", "RegisterDaemonTaskDefinition", &body).is_ok() {
                    revision += 1;
                }
            }
            3 => {
                let drain = [0.0, 25.0, 50.0, 100.0][rng.below(4) as usize];
                let _ = recorder.call(
                    "ecs",
                    "UpdateDaemon",
                    &json!({"daemonArn": DAEMON_ARN, "daemonTaskDefinitionArn": format!("monitoring-agent:{revision}"),
                        "capacityProviderArns": ["lesson-mi"], "deploymentConfiguration": {"drainPercent": drain}}),
                );
            }
            4 => {
                let words: Vec<String> = if rng.chance(60) {
                    vec![
                        "fault".into(),
                        "image-pull".into(),
                        "--image".into(),
                        format!("agent:v{}", 1 + rng.below(4)),
                    ]
                } else {
                    vec!["fault".into(), "clear".into()]
                };
                recorder.sim(&words).unwrap();
            }
            5 => {
                let tasks = recorder.call("ecs", "ListTasks", &json!({"cluster": "lesson"})).unwrap();
                if let Some(arns) = tasks["taskArns"].as_array().filter(|a| !a.is_empty()) {
                    let task = arns[rng.below(arns.len() as u64) as usize].clone();
                    let _ = recorder.call("ecs", "StopTask", &json!({"cluster": "lesson", "task": task}));
                }
            }
            6 => {
                let report = recorder.script(&format!(
                    "N={}\naws ecs describe-services --cluster lesson --services web --query 'services[0].runningCount'\nsleep $N\necho $N",
                    rng.below(90)
                ));
                assert_eq!(report.syntax_error, None);
            }
            7 => {
                recorder
                    .begin_script("aws ecs list-container-instances --cluster lesson\nsleep 15\naws ecs list-daemons\nsleep 5")
                    .unwrap();
                for _ in 0..rng.below(5) {
                    recorder.step_script();
                    if rng.chance(50) {
                        recorder.advance_by(1 + rng.below(10_000));
                    }
                }
            }
            8 => {
                let _ = recorder.call("cloudwatch", "PutMetricAlarm", &json!({"AlarmName": "errors", "MetricName": "Errors",
                    "Namespace": "App", "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 1, "Threshold": 1,
                    "ComparisonOperator": "GreaterThanThreshold"}));
                let state = if rng.chance(50) { "ALARM" } else { "OK" };
                let _ = recorder.call(
                    "cloudwatch",
                    "SetAlarmState",
                    &json!({"AlarmName": "errors", "StateValue": state, "StateReason": "test"}),
                );
            }
            9 => {
                // Refused requests change nothing and are not logged.
                let before = recorder.scenario().log.len();
                assert!(recorder.call("ecs", "CreateDaemon", &json!({"daemonName": "bad name"})).is_err());
                assert!(recorder.sim(&["warp".to_string()]).is_err());
                assert_eq!(recorder.scenario().log.len(), before);
            }
            _ => {
                let ids = recorder.call("ec2", "DescribeInstances", &json!({})).unwrap();
                let first = ids.pointer("/Reservations/0/Instances/0/InstanceId").cloned();
                if let Some(id) = first.filter(|_| rng.chance(50)) {
                    let _ = recorder.call("ec2", "TerminateInstances", &json!({"InstanceIds": [id]}));
                }
            }
        }
    }
    recorder.advance_by(rng.below(600_000));
    recorder
}

fn hash(recorder: &Session) -> u64 {
    recorder.simulation().event_log_hash()
}

#[test]
fn export_import_round_trips_100_random_scenarios() {
    let mut kinds = std::collections::BTreeSet::new();
    for seed in 0..100 {
        let original = random_run(seed);
        let scenario = original.scenario().clone();
        for entry in &scenario.log {
            kinds.insert(entry.input.label().split(' ').next().unwrap_or_default().to_string());
        }
        let text = scenario.to_json();
        let imported = import(&text).unwrap_or_else(|e| panic!("seed {seed}: {e}\n{text}"));
        assert_eq!(imported.scenario(), &scenario, "seed {seed}: the scenario changed on the way");
        assert_eq!(hash(&imported), hash(&original), "seed {seed}: the replay differs");
        assert_eq!(imported.api().now_ms(), original.api().now_ms(), "seed {seed}");
        assert_eq!(imported.api().state_fingerprint(), original.api().state_fingerprint(), "seed {seed}");
        assert_eq!(scenario.replay().unwrap().simulation().event_log_hash(), hash(&original));
        // The same scenario through the URL.
        let decoded = url::decode(&format!("https://example.test/play?{}", url::encode(&scenario)));
        assert_eq!(decoded.warnings, Vec::<UrlWarning>::new(), "seed {seed}");
        assert_eq!(decoded.scenario, scenario, "seed {seed}: the URL round trip differs");
    }
    // Calls (of several services), scripts, stepped scripts, sim commands and advances all occurred.
    for kind in ["ecs", "cloudwatch", "ec2", "script", "scriptBegin", "scriptStep", "sim", "advance"] {
        assert!(kinds.contains(kind), "no {kind} input was generated: {kinds:?}");
    }
}

#[test]
fn a_recording_continues_after_an_import() {
    let original = random_run(7);
    let mut resumed = import(&original.scenario().to_json()).unwrap();
    let mut continued = original.clone();
    for run in [&mut resumed, &mut continued] {
        run.call("ecs", "UpdateService", &json!({"cluster": "lesson", "service": "web", "desiredCount": 3}))
            .unwrap();
        run.advance_by(300_000);
    }
    assert_eq!(hash(&resumed), hash(&continued));
    assert_eq!(resumed.scenario(), continued.scenario());
}

#[test]
fn the_file_format_is_readable_json() {
    let mut run = Session::new(Scenario::with_seed(3)).unwrap();
    run.call("ecs", "CreateCluster", &json!({"clusterName": "demo"})).unwrap();
    run.advance_by(1_000);
    run.advance_by(2_000);
    run.sim(&["fault".into(), "clear".into()]).unwrap();
    let value: Value = serde_json::from_str(&run.scenario().to_json()).unwrap();
    assert_eq!(value["schemaVersion"], SCHEMA_VERSION);
    assert_eq!(value["seed"], 3);
    assert_eq!(value["options"]["region"], "us-east-1");
    assert_eq!(
        value["log"],
        json!([
            {"atMs": 0, "call": {"service": "ecs", "action": "CreateCluster", "input": {"clusterName": "demo"}}},
            {"atMs": 0, "advance": 3000},
            {"atMs": 3000, "sim": ["fault", "clear"]}
        ])
    );
}

#[test]
fn a_hand_written_log_may_leave_out_the_advances() {
    let text = r#"{"schemaVersion": 1, "seed": 5, "log": [
        {"atMs": 0, "call": {"service": "ecs", "action": "CreateCluster", "input": {"clusterName": "a"}}},
        {"atMs": 60000, "call": {"service": "ecs", "action": "CreateCluster", "input": {"clusterName": "b"}}}
    ]}"#;
    let run = import(text).unwrap();
    assert_eq!(run.simulation().elapsed(), 60_000);
    assert_eq!(run.simulation().clusters().count(), 2);
}

// ----- refusals --------------------------------------------------------------------------------

/// A run with some history, to import over.
fn current_run() -> Session {
    random_run(42)
}

/// Tries to replace `run` with `text`: the error, after checking that nothing about the run
/// changed (simulation, neighbours, log, settings).
fn refused(run: &mut Session, text: &str) -> ScenarioError {
    let fingerprint = run.api().state_fingerprint();
    let scenario = run.scenario().clone();
    let error = run.replace_with_import(text).expect_err("the file was accepted");
    assert_eq!(run.api().state_fingerprint(), fingerprint, "{error}");
    assert_eq!(run.scenario(), &scenario, "{error}");
    assert!(!error.message.is_empty());
    assert_eq!(error.to_aws_error().error_type, error.error_type);
    error
}

fn valid_with(log: Value) -> String {
    json!({"schemaVersion": 1, "seed": 1, "log": log}).to_string()
}

#[test]
fn corrupted_files_are_refused_and_the_run_is_untouched() {
    let mut run = current_run();
    let cases: Vec<(String, &str, &str)> = vec![
        ("".into(), "SerializationException", "not valid JSON"),
        ("{\"schemaVersion\": 1, ".into(), "SerializationException", "not valid JSON"),
        ("\u{0}\u{1}binary".into(), "SerializationException", "not valid JSON"),
        ("[1, 2, 3]".into(), "InvalidParameterException", "scenario: must be an object"),
        ("{\"seed\": 1}".into(), "InvalidParameterException", "schemaVersion: is required"),
        (
            "{\"schemaVersion\": \"1\"}".into(),
            "InvalidParameterException",
            "schemaVersion: must be an integer",
        ),
        (
            "{\"schemaVersion\": 1, \"colour\": 3}".into(),
            "InvalidParameterException",
            "unknown field \"colour\"",
        ),
        ("{\"schemaVersion\": 1, \"log\": {}}".into(), "InvalidParameterException", "log: must be an array"),
        (valid_with(json!([{"atMs": 0}])), "InvalidParameterException", "log[0]: needs exactly one of"),
        (
            valid_with(json!([{"atMs": 0, "advance": 5, "sim": ["fault", "clear"]}])),
            "InvalidParameterException",
            "found 2",
        ),
        (
            valid_with(json!([{"atMs": 10, "advance": 5}, {"atMs": 5, "advance": 5}])),
            "InvalidParameterException",
            "log[1].atMs",
        ),
        (
            valid_with(
                json!([{"atMs": 0, "call": {"service": "ecs", "action": "CreateCluster", "input": []}}]),
            ),
            "InvalidParameterException",
            "log[0].call.input: must be an object",
        ),
        (
            "{\"schemaVersion\": 1, \"view\": {\"speed\": \"fast\"}}".into(),
            "InvalidParameterException",
            "view.speed",
        ),
    ];
    for (text, error_type, fragment) in cases {
        let error = refused(&mut run, &text);
        assert_eq!(error.error_type, error_type, "{text}: {error}");
        assert!(error.message.contains(fragment), "{text}: {error}");
    }
}

#[test]
fn hostile_files_are_refused_and_the_run_is_untouched() {
    let mut run = current_run();
    let deep =
        format!("{{\"schemaVersion\": 1, \"knobs\": {}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let long_preset = json!({"schemaVersion": 1, "preset": "p".repeat(100_000)}).to_string();
    let long_script = json!({"schemaVersion": 1, "script": "echo hi\n".repeat(40_000)}).to_string();
    let cases: Vec<(String, &str, &str)> = vec![
        (deep, "InvalidParameterException", "deeper than"),
        ("{\"schemaVersion\": 1, \"seed\": -1}".into(), "InvalidParameterException", "seed"),
        ("{\"schemaVersion\": 1, \"seed\": 1e300}".into(), "InvalidParameterException", "seed"),
        (
            "{\"schemaVersion\": 1, \"seed\": 99999999999999999999999999}".into(),
            "InvalidParameterException",
            "seed",
        ),
        (
            "{\"schemaVersion\": 1, \"knobs\": {\"drainPercent\": 1e308}}".into(),
            "InvalidParameterException",
            "knobs.drainPercent",
        ),
        (
            "{\"schemaVersion\": 1, \"knobs\": {\"instances\": 2.5}}".into(),
            "InvalidParameterException",
            "knobs.instances",
        ),
        (
            "{\"schemaVersion\": 1, \"options\": {\"epochMs\": 18446744073709551615}}".into(),
            "InvalidParameterException",
            "options.epochMs",
        ),
        (
            "{\"schemaVersion\": 1, \"options\": {\"accountId\": \"12\"}}".into(),
            "InvalidParameterException",
            "options.accountId",
        ),
        (
            "{\"schemaVersion\": 1, \"view\": {\"speed\": 1e9}}".into(),
            "InvalidParameterException",
            "view.speed",
        ),
        (
            valid_with(json!([{"atMs": 18446744073709551615u64, "advance": 1}])),
            "InvalidParameterException",
            "log[0].atMs",
        ),
        (
            valid_with(json!([{"atMs": 0, "advance": 18446744073709551615u64}])),
            "InvalidParameterException",
            "log[0].advance",
        ),
        (valid_with(json!([{"atMs": 0, "scriptStep": 0}])), "InvalidParameterException", "log[0].scriptStep"),
        (long_preset, "InvalidParameterException", "preset"),
        (long_script, "LimitExceededException", "script"),
        // Names that are not services or actions.
        (
            valid_with(json!([{"atMs": 0, "call": {"service": "s3", "action": "DeleteBucket"}}])),
            "InvalidParameterException",
            "unknown service",
        ),
        (
            valid_with(json!([{"atMs": 0, "call": {"service": "ecs", "action": "rm -rf /"}}])),
            "InvalidParameterException",
            "log[0].call.action",
        ),
        (valid_with(json!([{"atMs": 0, "sim": ["clock"]}])), "InvalidParameterException", "sim clock"),
        // Well-formed, but the inputs fail when replayed: refused, naming the entry.
        (
            valid_with(json!([{"atMs": 0, "call": {"service": "ecs", "action": "LaunchMissiles"}}])),
            "ReplayFailedException",
            "log[0] (ecs LaunchMissiles",
        ),
        (
            valid_with(
                json!([{"atMs": 0, "advance": 1000}, {"atMs": 1000, "call": {"service": "ecs", "action": "CreateDaemon", "input": {"daemonName": "x"}}}]),
            ),
            "ReplayFailedException",
            "log[1] (ecs CreateDaemon at 1000 ms)",
        ),
        (
            valid_with(json!([{"atMs": 0, "sim": ["fault", "unhealthy", "--task", "nope"]}])),
            "ReplayFailedException",
            "log[0] (sim fault unhealthy",
        ),
        (valid_with(json!([{"atMs": 0, "scriptStep": 1}])), "ReplayFailedException", "no script was begun"),
        (
            valid_with(json!([{"atMs": 0, "scriptBegin": "echo 'unclosed"}])),
            "ReplayFailedException",
            "log[0] (scriptBegin",
        ),
        (
            valid_with(json!([{"atMs": 0, "advance": 5000}, {"atMs": 1000, "advance": 1}])),
            "ReplayFailedException",
            "already brought the run to 5000 ms",
        ),
        (
            json!({"schemaVersion": 1, "script": "sleep 99999999"}).to_string(),
            "ReplayFailedException",
            "replay limits",
        ),
        (
            valid_with(
                json!([{"atMs": 0, "advance": limits::MAX_SIMULATED_MS}, {"atMs": limits::MAX_SIMULATED_MS, "advance": 1}]),
            ),
            "ReplayFailedException",
            "replay limits",
        ),
    ];
    for (text, error_type, fragment) in cases {
        let error = refused(&mut run, &text);
        assert_eq!(error.error_type, error_type, "{}: {error}", &text[..text.len().min(200)]);
        assert!(error.message.contains(fragment), "{}: {error}", &text[..text.len().min(200)]);
        assert!(error.message.len() < 600, "the message echoes too much: {}", error.message.len());
    }
}

#[test]
fn a_file_that_asks_for_a_huge_fleet_is_refused_within_the_work_budget() {
    let mut run = current_run();
    let lesson = &LESSONS[1];
    // The provider's default ceiling is 10,000 instances: scaling to it and back, again and
    // again, is far more engine work than a replay may do.
    let scale = |at: u64, desired: u32| {
        json!({"atMs": at, "call": {"service": "ecs", "action": "UpdateService",
            "input": {"cluster": "lesson", "service": "web", "desiredCount": desired}}})
    };
    let mut log = Vec::new();
    for cycle in 0..6u64 {
        let at = 400_000 + cycle * 7_200_000;
        log.push(scale(at, if cycle % 2 == 0 { 100_000 } else { 0 }));
        log.push(json!({"atMs": at, "advance": 7_200_000}));
    }
    let text = json!({"schemaVersion": 1, "script": lesson.script, "log": log}).to_string();
    let error = refused(&mut run, &text);
    assert_eq!(error.error_type, "ReplayFailedException", "{error}");
    assert!(error.message.contains("replay limits"), "{error}");
    assert!(error.entry.is_some_and(|entry| entry < 12), "{error:?}");
}

#[test]
fn oversized_files_are_refused_before_parsing() {
    let mut run = current_run();
    // Not even JSON: the size is checked first.
    let huge = "x".repeat(limits::MAX_FILE_BYTES + 1);
    let error = refused(&mut run, &huge);
    assert_eq!(error.error_type, "ScenarioTooLargeException");
    assert!(error.message.contains("5 MB"), "{error}");
    // A valid scenario padded past 5 MB with whitespace is refused too.
    let padded = format!("{}{}", run.scenario().to_json(), " ".repeat(limits::MAX_FILE_BYTES));
    assert_eq!(refused(&mut run, &padded).error_type, "ScenarioTooLargeException");
}

#[test]
fn future_schema_versions_are_refused_naming_the_supported_ones() {
    let mut run = current_run();
    for version in [2u64, 99, u64::MAX] {
        let mut value = run.scenario().to_value();
        value["schemaVersion"] = json!(version);
        value["somethingNew"] = json!(true);
        let error = refused(&mut run, &value.to_string());
        assert_eq!(error.error_type, "UnsupportedSchemaVersionException");
        assert!(error.message.contains("newer version"), "{error}");
        assert!(error.message.contains("supported versions: 1"), "{error}");
    }
    let error = refused(&mut run, "{\"schemaVersion\": 0}");
    assert_eq!(error.error_type, "UnsupportedSchemaVersionException");
}

#[test]
fn recorder_setters_refuse_out_of_range_values() {
    let mut run = Session::new(Scenario::with_seed(1)).unwrap();
    assert!(run.set_knob("drainPercent", 101.0).is_err());
    assert!(run.set_knob("bad name", 1.0).is_err());
    assert!(run.set_view(ViewSettings { speed: 0.5, ..ViewSettings::default() }).is_err());
    assert!(run.set_preset(Some("")).is_err());
    assert_eq!(run.scenario(), &Scenario::with_seed(1));
    let mut invalid = Scenario::with_seed(1);
    invalid.log.push(LogEntry { at_ms: 0, input: Input::Advance(0) });
    assert!(invalid.replay().is_err());
}

// ----- URL ------------------------------------------------------------------------------------

#[test]
fn url_readable_parameters_decode() {
    let decoded = url::decode(
        "https://x.test/?seed=7&preset=rolling-update&instances=8&drainPercent=50&bakeTime=10&speed=60&autoplay=1&embed&knob=drainPercent&knob.daemonCpu=512#top",
    );
    assert_eq!(decoded.warnings, vec![]);
    let s = decoded.scenario;
    assert_eq!(s.seed, 7);
    assert_eq!(s.preset.as_deref(), Some("rolling-update"));
    assert_eq!(
        (s.knob("instances"), s.knob("drainPercent"), s.knob("bakeTime")),
        (Some(8.0), Some(50.0), Some(10.0))
    );
    assert_eq!(s.knob("daemonCpu"), Some(512.0));
    assert_eq!(
        s.view,
        ViewSettings { speed: 60.0, autoplay: true, embed: true, knob: Some("drainPercent".into()) }
    );
    let encoded = url::encode(&s);
    assert!(encoded.contains("drainPercent=50&bakeTime=10"), "{encoded}");
    assert!(encoded.contains("embed=1"), "{encoded}");
}

#[test]
fn malformed_url_parameters_each_warn_and_fall_back() {
    let log = ecs_daemon_sim::session::scenario::base64url_encode(b"[{\"atMs\": 0, \"advance\": 10}]");
    let query = format!(
        "seed=abc&speed=0&drainPercent=150&instances=-2&autoplay=maybe&colour=blue&log=!!!&preset=a%20b\
         &bakeTime=10&bakeTime=20&%zz=1&knob.=3&region=US%20EAST&epoch=soon&script=%F0&account=1&embed=1&log2={log}"
    );
    let decoded = url::decode(&query);
    let named: Vec<&str> = decoded.warnings.iter().map(|w| w.parameter.as_str()).collect();
    for parameter in [
        "seed",
        "speed",
        "drainPercent",
        "instances",
        "autoplay",
        "colour",
        "log",
        "preset",
        "bakeTime",
        "%zz",
        "knob.",
        "region",
        "epoch",
        "script",
        "account",
        "log2",
    ] {
        assert!(named.contains(&parameter), "no warning for {parameter}: {:?}", decoded.warnings);
    }
    for warning in &decoded.warnings {
        assert!(!warning.message.is_empty() && warning.to_string().contains(&warning.parameter));
    }
    let defaults = Scenario::with_seed(0);
    let s = &decoded.scenario;
    assert_eq!(s.seed, 0);
    assert_eq!(s.view.speed, defaults.view.speed);
    assert_eq!(s.knob("bakeTime"), Some(10.0), "the first of two values is used");
    assert_eq!(s.knob("drainPercent"), None);
    assert!(s.view.embed, "a good parameter next to bad ones still applies");
    assert!(s.log.is_empty() && s.preset.is_none() && s.script.is_none());
    assert_eq!(s.options, defaults.options);
    let messages: Vec<String> = decoded.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        messages.iter().any(|m| m.contains("drainPercent") && m.contains("from 0 to 100")),
        "{messages:?}"
    );
    assert!(messages.iter().any(|m| m.contains("colour") && m.contains("unknown parameter")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("more than once")), "{messages:?}");
}

#[test]
fn url_log_that_fails_validation_warns_and_a_future_version_drops_the_log() {
    let bad_log = ecs_daemon_sim::session::scenario::base64url_encode(b"[{\"atMs\": 0, \"advance\": 0}]");
    let decoded = url::decode(&format!("seed=3&log={bad_log}"));
    assert_eq!(decoded.scenario.seed, 3);
    assert!(decoded.warnings[0].message.contains("log[0].advance"), "{:?}", decoded.warnings);
    let good_log = ecs_daemon_sim::session::scenario::base64url_encode(b"[{\"atMs\": 0, \"advance\": 10}]");
    let decoded = url::decode(&format!("v=2&seed=3&log={good_log}"));
    assert_eq!(decoded.scenario.seed, 3);
    assert!(decoded.scenario.log.is_empty());
    assert_eq!(decoded.warnings.len(), 1);
    assert!(decoded.warnings[0].message.contains("supported: 1"), "{:?}", decoded.warnings);
    let decoded = url::decode(&format!("v=1&log={good_log}"));
    assert_eq!(decoded.scenario.log, vec![LogEntry { at_ms: 0, input: Input::Advance(10) }]);
}

#[test]
fn a_shared_url_replays_the_same_event_log() {
    let original = random_run(11);
    let link = url::encode(original.scenario());
    let decoded = url::decode(&link);
    assert!(decoded.warnings.is_empty());
    let replayed = decoded.scenario.replay().unwrap();
    assert_eq!(replayed.simulation().event_log_hash(), hash(&original));
}

#[test]
fn a_url_with_too_many_knobs_keeps_the_first_ones_and_still_validates() {
    let query: Vec<String> = (0..100).map(|i| format!("knob.k{i:03}={i}")).collect();
    let decoded = url::decode(&query.join("&"));
    assert_eq!(decoded.scenario.knobs.len(), limits::MAX_KNOBS);
    assert_eq!(decoded.warnings.len(), 100 - limits::MAX_KNOBS);
    assert!(decoded.warnings[0].message.contains("more than 64 knobs"), "{:?}", decoded.warnings[0]);
    decoded.scenario.validate().unwrap();
}

#[test]
fn forking_at_a_time_replays_a_prefix_of_the_run() {
    for seed in 0..20 {
        let original = random_run(seed);
        let end = original.simulation().elapsed();
        let all: Vec<String> =
            original.simulation().events().iter().map(|e| e.to_json().to_string()).collect();
        // The setup script runs (and may sleep) before the log: a fork cannot end before it.
        let setup_end = Session::new(Scenario { log: Vec::new(), ..original.scenario().clone() })
            .unwrap()
            .simulation()
            .elapsed();
        for cut in [0, end / 3, end / 2, end] {
            let forked = original.scenario().until(cut);
            assert!(forked.log.len() <= original.scenario().log.len());
            let run = Session::new(forked).unwrap_or_else(|e| panic!("seed {seed} cut {cut}: {e}"));
            let events: Vec<String> =
                run.simulation().events().iter().map(|e| e.to_json().to_string()).collect();
            assert_eq!(&all[..events.len()], &events[..], "seed {seed} cut {cut}: not a prefix");
            assert!(run.simulation().elapsed() >= cut, "seed {seed} cut {cut}");
            let ends_in_script = run
                .scenario()
                .log
                .last()
                .is_some_and(|entry| matches!(entry.input, Input::Script(_) | Input::ScriptStep(_)));
            if !ends_in_script && cut >= setup_end && !run.scenario().log.is_empty() {
                assert_eq!(run.simulation().elapsed(), cut, "seed {seed} cut {cut}");
            }
        }
        assert_eq!(
            original.scenario().until(end).replay().unwrap().simulation().event_log_hash(),
            hash(&original)
        );
    }
}

/// Regression (scenario_import fuzz target): a `sim` entry holding a long text made the refusal
/// quote all of it; a refusal stays short whatever the file holds.
#[test]
fn a_replay_failure_quotes_a_hostile_entry_only_in_part() {
    let mut run = current_run();
    // As many words as an entry may hold, each long: ~3,200 bytes that the old message echoed whole.
    let words: Vec<String> = (0..16).map(|i| format!("word{i}{}", "x".repeat(200))).collect();
    let error = refused(&mut run, &valid_with(json!([{"atMs": 0, "sim": words}])));
    assert_eq!(error.error_type, "ReplayFailedException");
    assert!(error.message.starts_with("log[0] (sim word0x"), "{}", error.message);
    assert!(error.message.len() < 2_000, "{} bytes", error.message.len());
}
