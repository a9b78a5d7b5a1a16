//! The native program end to end: `ecs-daemon-sim run` as a user or CI calls it.

use std::path::PathBuf;
use std::process::{Command, Output};

fn program() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ecs-daemon-sim"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ecs-daemon-sim-program-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn run_with_stdin(args: &[&str], script: &str) -> Output {
    use std::io::Write;
    let mut child = program()
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

const SETUP: &str = "aws ecs create-cluster --cluster-name c --query cluster.status --output text\n";

#[test]
fn a_successful_script_exits_0_and_prints_what_the_cli_prints() {
    let out = run_with_stdin(&["run", "-"], SETUP);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ACTIVE\n");
    assert!(out.stderr.is_empty());
}

#[test]
fn a_failed_command_prints_the_aws_error_and_the_script_goes_on_to_its_last_status() {
    // As `bash script.sh`: the status is the last command's (254 when the script ends with the failure).
    let failing_last = run_with_stdin(&["run", "-"], "aws ecs describe-daemon --daemon-arn nope\n");
    assert_eq!(failing_last.status.code(), Some(254));
    let script = format!("aws ecs describe-daemon --daemon-arn nope\n{SETUP}");
    let out = run_with_stdin(&["run", "-"], &script);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("An error occurred (")
            && stderr.contains("when calling the DescribeDaemon operation"),
        "{stderr}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ACTIVE\n", "the command after the failure still ran");
}

#[test]
fn a_syntax_error_exits_2_with_line_and_column_and_runs_nothing() {
    let events = scratch("syntax.jsonl");
    let out = run_with_stdin(
        &["run", "--events", events.to_str().unwrap(), "-"],
        &format!("{SETUP}aws ecs list-clusters 'unterminated\n"),
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("ecs-daemon-sim: -:2:"), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing ran");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec![],
        vec!["run"],
        vec!["run", "--seed", "x", "-"],
        vec!["frobnicate"],
        vec!["run", "--events-pattern", "{", "-"],
    ] {
        let out = program().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("usage: ecs-daemon-sim run"), "{args:?}");
    }
}

#[test]
fn events_file_holds_every_event_and_the_pattern_filters_it() {
    let tutorial = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tutorial.sh");
    let all = scratch("all.jsonl");
    let deployments = scratch("deployments.jsonl");
    let run = |events: &PathBuf, pattern: Option<&str>| {
        let mut command = program();
        command.args(["run", "--seed", "7", "--events", events.to_str().unwrap()]);
        if let Some(pattern) = pattern {
            command.args(["--events-pattern", pattern]);
        }
        command.arg(tutorial).output().unwrap()
    };
    assert_eq!(run(&all, None).status.code(), Some(0));
    let pattern = r#"{"source":["aws.ecs"],"detail-type":["ECS Daemon Deployment State Change"]}"#;
    assert_eq!(run(&deployments, Some(pattern)).status.code(), Some(0));

    let parse = |path: &PathBuf| -> Vec<serde_json::Value> {
        std::fs::read_to_string(path).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    };
    let all = parse(&all);
    let filtered = parse(&deployments);
    let expected: Vec<_> =
        all.iter().filter(|e| e["detail-type"] == "ECS Daemon Deployment State Change").cloned().collect();
    assert!(all.len() > filtered.len() && !filtered.is_empty());
    assert_eq!(
        filtered, expected,
        "the same seed gives the same events, and the pattern keeps exactly its own"
    );
    let names: Vec<&str> = filtered.iter().filter_map(|e| e["detail"]["eventName"].as_str()).collect();
    assert!(names.contains(&"DAEMON_DEPLOYMENT_SUCCESSFUL"), "{names:?}");
}
