//! The console's shell against GNU bash: each snippet in tests/fixtures/bash_cases.json was run
//! by /bin/bash (`python3 tests/fixtures/bash_cases.py` writes the file: the snippets and bash's
//! stdout, exit status and, for `set -x`, stderr); here the interpreter runs the same text and
//! must print the same. Then the AWS-shaped scripts: the monitoring loop over simulated time,
//! `xargs` into `aws`, refusals by position.

use ecs_daemon_sim::cli::{parse_script, run_script, Interpreter, Position, RecordingBackend};
use ecs_daemon_sim::session::Session;
use serde_json::{json, Value};

#[test]
fn every_snippet_prints_what_bash_printed() {
    let cases: Value = serde_json::from_str(include_str!("../fixtures/bash_cases.json")).unwrap();
    assert!(cases["bash"].as_str().unwrap().starts_with("GNU bash, version 5"));
    let mut failures = Vec::new();
    let cases = cases["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let script = case["script"].as_str().unwrap();
        let mut backend = RecordingBackend::new(0);
        let report = run_script(&mut backend, script);
        if let Some(error) = &report.syntax_error {
            failures.push(format!("{name}: syntax error {error}"));
            continue;
        }
        let expected_stdout = case["stdout"].as_str().unwrap();
        if report.stdout() != expected_stdout {
            failures
                .push(format!("{name}: stdout\n--- bash\n{expected_stdout}--- ours\n{}", report.stdout()));
        }
        let status = case["status"].as_i64().unwrap() as i32;
        if report.exit_status != status {
            failures.push(format!("{name}: status bash {status}, ours {}", report.exit_status));
        }
        if let Some(stderr) = case["stderr"].as_str() {
            if report.stderr() != stderr {
                failures.push(format!("{name}: stderr\n--- bash\n{stderr}--- ours\n{}", report.stderr()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn refused(text: &str) -> (Position, String) {
    let error = parse_script(text).expect_err(text);
    (error.position, error.message)
}

fn pos(line: usize, column: usize) -> Position {
    Position { line, column }
}

#[test]
fn constructs_not_run_are_refused_by_position_and_name() {
    let cases: &[(&str, Position, &str)] = &[
        ("echo ok\nsleep 5 &\n", pos(2, 9), "background jobs"),
        ("for ((i = 0; i < 3; i++)); do echo $i; done", pos(1, 1), "C-style"),
        ("A=(1 2 3)", pos(1, 3), "arrays"),
        ("echo ${A[0]}", pos(1, 6), "arrays"),
        ("diff <(echo a) <(echo b)", pos(1, 6), "process substitution"),
        ("[[ abc =~ ^a ]]", pos(1, 8), "'=~'"),
        ("select x in a b; do echo $x; done", pos(1, 1), "'select'"),
        ("echo a |& grep b", pos(1, 8), "'|&'"),
        ("REGION=us-east-1\n  kubectl get pods", pos(2, 3), "unsupported command 'kubectl'"),
        ("if true; then echo a", pos(1, 21), "expected 'fi'"),
        ("echo $((1 + 2)", pos(1, 6), "unterminated"),
        ("case x in a) echo;; ", pos(1, 21), "expected 'esac'"),
        // Found by the cli_script fuzz target: these looped forever on an empty word.
        ("[[ a ; ]]", pos(1, 6), "unexpected ';' inside [[ ]]"),
        ("if [[ $i == 0 ]]9 then echo zero; fi", pos(1, 33), "unexpected ';' inside [[ ]]"),
        ("for i in a & b; do :; done", pos(1, 12), "unexpected '&' in a 'for' list"),
    ];
    for (text, at, name) in cases {
        let (position, message) = refused(text);
        assert_eq!((position, message.contains(name)), (*at, true), "{text:?}: {message}");
    }
    // Nothing before the refused construct ran.
    let mut backend = RecordingBackend::new(0);
    let report = run_script(&mut backend, "aws ecs create-cluster --cluster-name a\nsleep 1 &\n");
    assert_eq!((report.exit_status, backend.calls.len(), report.records.len()), (2, 0, 0));
}

/// The monitoring loop people write against a deployment: one status per iteration, each 30
/// simulated seconds after the one before.
#[test]
fn the_monitoring_loop_prints_one_status_per_iteration_30_s_apart() {
    let mut console = Session::with_seed(2);
    // The tutorial up to its update-daemon: a deployment is rolling.
    let tutorial = ecs_daemon_sim::cli::TUTORIAL_SCRIPT;
    let report =
        console.script(&tutorial[..tutorial.find("# Deployment status").expect("the tutorial's marker")]);
    assert!(report.records.iter().all(|r| r.success), "{}", report.stderr());
    let report = console.script(
        "DAEMON_ARN=arn:aws:ecs:us-east-1:123456789012:daemon/daemon-test/monitoring-agent
for i in 1 2 3; do aws ecs list-daemon-deployments --daemon-arn $DAEMON_ARN --query 'daemonDeployments[0].status' --output text; sim clock; sleep 30; done",
    );
    assert_eq!(report.exit_status, 0, "{}", report.stderr());
    let statuses: Vec<&str> = report
        .records
        .iter()
        .filter(|r| r.command.starts_with("aws ecs list"))
        .map(|r| r.stdout.trim_end())
        .collect();
    assert_eq!(statuses.len(), 3);
    assert!(statuses.iter().all(|s| ["PENDING", "IN_PROGRESS", "SUCCESSFUL"].contains(s)), "{statuses:?}");
    let clocks: Vec<i64> = report
        .records
        .iter()
        .filter(|r| r.command == "sim clock")
        .map(|r| chrono_ms(r.stdout.trim_end()))
        .collect();
    assert_eq!(clocks.len(), 3);
    assert_eq!((clocks[1] - clocks[0], clocks[2] - clocks[1]), (30_000, 30_000));
}

/// `2026-04-02T07:56:19.055000+00:00` as milliseconds of the day (enough for differences).
fn chrono_ms(text: &str) -> i64 {
    let time = text.split_once('T').expect(text).1;
    let time = &time[..time.find('+').expect(text)];
    let h: i64 = time[0..2].parse().unwrap();
    let m: i64 = time[3..5].parse().unwrap();
    let s: f64 = time[6..].parse().unwrap();
    (h * 3600 + m * 60) * 1000 + (s * 1000.0).round() as i64
}

#[test]
fn xargs_feeds_task_arns_to_aws_one_at_a_time() {
    let mut backend = RecordingBackend::new(0);
    backend.respond("StopTask", Ok(json!({"task": {"lastStatus": "RUNNING", "desiredStatus": "STOPPED"}})));
    let report = run_script(
        &mut backend,
        "printf '%s\\n' arn:aws:ecs:us-east-1:1:task/C/a arn:aws:ecs:us-east-1:1:task/C/b | \
         xargs -n1 aws ecs stop-task --cluster C --query task.desiredStatus --output text --task",
    );
    assert_eq!(report.exit_status, 0, "{}", report.stderr());
    assert_eq!(report.stdout(), "STOPPED\nSTOPPED\n");
    let tasks: Vec<&Value> = backend.calls.iter().map(|c| &c.input["task"]).collect();
    assert_eq!(
        tasks,
        [&json!("arn:aws:ecs:us-east-1:1:task/C/a"), &json!("arn:aws:ecs:us-east-1:1:task/C/b")]
    );
    assert!(backend.calls.iter().all(|c| c.action == "StopTask" && c.input["cluster"] == json!("C")));
}

#[test]
fn redirected_output_lands_in_the_session_files() {
    let mut backend = RecordingBackend::new(0);
    backend.respond("ListClusters", Ok(json!({"clusterArns": ["arn:aws:ecs:us-east-1:1:cluster/a"]})));
    let mut interpreter = Interpreter::new();
    let report = interpreter.run(
        &mut backend,
        "aws ecs list-clusters --output text > clusters.txt 2>&1\nwhile read -r kind arn; do echo \"$arn\"; done < clusters.txt",
    );
    assert_eq!(report.stdout(), "arn:aws:ecs:us-east-1:1:cluster/a\n", "{}", report.stderr());
    assert_eq!(interpreter.fs().read("clusters.txt"), Ok("CLUSTERARNS\tarn:aws:ecs:us-east-1:1:cluster/a\n"));
}

/// The console after seed 002's tutorial up to its monitoring section: roles, a cluster, a
/// capacity provider, the daemon and a rolling deployment exist, and `$ACCOUNT_ID` is set.
fn tutorial_world() -> Session {
    let mut console = Session::with_seed(2);
    let tutorial = ecs_daemon_sim::cli::TUTORIAL_SCRIPT;
    let report =
        console.script(&tutorial[..tutorial.find("# Deployment status").expect("the tutorial's marker")]);
    assert!(report.records.iter().all(|r| r.success), "{}", report.stderr());
    console
}

#[test]
fn a_heredoc_written_task_definition_is_registered_through_file() {
    let mut console = tutorial_world();
    let report = console.script(
        r#"cat > td.json <<EOF
{
  "family": "monitoring-agent",
  "executionRoleArn": "arn:aws:iam::$ACCOUNT_ID:role/ecsTaskExecutionRole",
  "cpu": "256", "memory": "512",
  "containerDefinitions": [{"name": "agent", "image": "public.ecr.aws/docker/library/busybox:latest",
                            "essential": true, "memoryReservation": 256}]
}
EOF
aws ecs register-daemon-task-definition --cli-input-json file://td.json \
  --query daemonTaskDefinitionArn --output text
aws ecs describe-daemon-task-definition --daemon-task-definition monitoring-agent:3 \
  --query 'daemonTaskDefinition.containerDefinitions[0].image' --output text"#,
    );
    assert_eq!(report.exit_status, 0, "{}", report.stderr());
    // The tutorial registered :1 and :2; the file's definition, with `$ACCOUNT_ID` expanded by the
    // unquoted here-document, is the third.
    assert_eq!(
        report.stdout(),
        "arn:aws:ecs:us-east-1:123456789012:daemon-task-definition/monitoring-agent:3\n\
         public.ecr.aws/docker/library/busybox:latest\n"
    );
    let missing = console.script("aws ecs register-daemon-task-definition --cli-input-json file://nope.json");
    assert_ne!(missing.exit_status, 0);
    assert!(missing.stderr().contains("nope.json"), "{}", missing.stderr());
}

#[test]
fn a_pipe_into_jq_agrees_with_the_query() {
    let mut console = tutorial_world();
    console.script("sleep 300");
    let tasks = "aws ecs describe-tasks --cluster daemon-test \
                 --tasks $(aws ecs list-tasks --cluster daemon-test --query taskArns --output text)";
    let piped = console.script(&format!("{tasks} | jq -r '.tasks[].lastStatus'"));
    assert_eq!(piped.exit_status, 0, "{}", piped.stderr());
    let queried = console.script(&format!("{tasks} --query 'tasks[].lastStatus' --output text"));
    let piped = piped.stdout();
    let from_jq: Vec<&str> = piped.lines().collect();
    let queried = queried.stdout();
    let from_query: Vec<&str> = queried.split_whitespace().collect();
    assert!(!from_jq.is_empty(), "no tasks to describe");
    assert_eq!(from_jq, from_query);
    // And counted the way people count them.
    let counted = console.script(&format!("{tasks} | jq -r '.tasks[].lastStatus' | grep -c RUNNING"));
    let running = from_query.iter().filter(|s| **s == "RUNNING").count();
    assert!(running > 0);
    assert_eq!(counted.stdout(), format!("{running}\n"));
}

/// A loop that never ends is stopped by the step budget with exit status 1, and the script's
/// commands before it keep their output; a fuzzer's endless `while true …` with an `aws` pipeline
/// in its condition is the case.
#[test]
fn a_loop_that_never_ends_is_stopped_with_an_error() {
    let mut backend = RecordingBackend::new(0);
    let report = run_script(
        &mut backend,
        "echo before\nwhile true; do aws ecs list-tasks --cluster c --query taskArns --output text | xargs -n1 echo; done\necho after",
    );
    assert_eq!(report.exit_status, 1);
    assert!(report.stdout().starts_with("before\n"), "{}", report.stdout());
    assert!(!report.stdout().contains("after"));
    assert!(report.stderr().contains("steps without finishing"), "{}", report.stderr());
    assert!(backend.calls.len() < 20_000, "{} calls", backend.calls.len());
}
