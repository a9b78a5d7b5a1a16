//! The console's text utilities against the real ones: every case in `utils/cases.rs` was run
//! through GNU coreutils, GNU grep, mawk and jq 1.6 on a Debian 12 machine by
//! `tests/cli/utils/generate.py`, which wrote their stdout, stderr and exit status as literals.
//! awk's error messages are mawk's own, so only its output and status are compared.

use ecs_daemon_sim::cli::fs::MemFs;
use ecs_daemon_sim::cli::utils::{run_utility, UtilIo};

pub struct Case {
    util: &'static str,
    args: &'static [&'static str],
    stdin: &'static str,
    files: &'static [(&'static str, &'static str)],
    stdout: &'static str,
    stderr: Option<&'static str>,
    status: i32,
    written: &'static [(&'static str, &'static str)],
}

include!("utils/cases.rs");

/// 2025-12-01T22:47:00Z, the time `date` cases without `-d` would print.
const NOW_MS: u64 = 1_764_629_220_000;

fn run(case: &Case) -> (String, String, i32, MemFs) {
    let mut fs = MemFs::new();
    for (name, text) in case.files {
        fs.write(name, text);
    }
    let args: Vec<String> = case.args.iter().map(|a| a.to_string()).collect();
    let mut io = UtilIo::new(case.stdin, &mut fs, NOW_MS);
    let status = run_utility(case.util, &args, &mut io).expect("a utility");
    let (stdout, stderr) = (io.stdout, io.stderr);
    (stdout, stderr, status, fs)
}

#[test]
fn every_case_prints_what_the_real_utility_printed() {
    let mut failures = Vec::new();
    for case in CASES {
        let (stdout, stderr, status, fs) = run(case);
        let mut problems = Vec::new();
        if stdout != case.stdout {
            problems.push(format!("stdout {stdout:?}\n   expected {:?}", case.stdout));
        }
        if let Some(expected) = case.stderr {
            if stderr != expected {
                problems.push(format!("stderr {stderr:?}\n   expected {expected:?}"));
            }
        }
        if status != case.status {
            problems.push(format!("status {status}, expected {}", case.status));
        }
        for (name, text) in case.written {
            if fs.read(name).ok() != Some(*text) {
                problems.push(format!("file {name}: {:?}, expected {text:?}", fs.read(name).ok()));
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{} {:?}:\n  {}", case.util, case.args, problems.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn every_utility_has_cases() {
    for name in ecs_daemon_sim::cli::utils::UTILITIES {
        assert!(CASES.iter().any(|c| c.util == *name), "no case for {name}");
    }
}

/// `aws ecs describe-tasks … | jq -r '.tasks[].lastStatus'` prints the statuses the CLI's own
/// `--query 'tasks[].lastStatus' --output text` prints (one per line instead of tab-separated).
#[test]
fn jq_on_describe_tasks_agrees_with_the_query() {
    use ecs_daemon_sim::api::Api;
    use ecs_daemon_sim::cli::{Interpreter, TUTORIAL_SCRIPT};
    use ecs_daemon_sim::engine::SimConfig;
    let mut api = Api::new(SimConfig::with_seed(7));
    let mut shell = Interpreter::new();
    // The tutorial up to its cleanup leaves daemon tasks running in daemon-test.
    let setup = TUTORIAL_SCRIPT.find("# Cleanup").map_or(TUTORIAL_SCRIPT, |end| &TUTORIAL_SCRIPT[..end]);
    shell.run(&mut api, setup);
    let tasks = "aws ecs describe-tasks --cluster daemon-test \
                 --tasks $(aws ecs list-tasks --cluster daemon-test --query taskArns --output text)";
    let json = shell.run(&mut api, tasks);
    assert_eq!(json.records[0].exit_code, 0, "{}", json.records[0].stderr);
    let text = shell.run(&mut api, &format!("{tasks} --query 'tasks[].lastStatus' --output text"));
    let mut fs = MemFs::new();
    let mut io = UtilIo::new(&json.records[0].stdout, &mut fs, 0);
    let status = run_utility("jq", &["-r".into(), ".tasks[].lastStatus".into()], &mut io);
    assert_eq!(status, Some(0), "{}", io.stderr);
    let from_jq: Vec<&str> = io.stdout.lines().collect();
    let from_query: Vec<&str> = text.records[0].stdout.split_whitespace().collect();
    assert!(!from_jq.is_empty(), "the tutorial left no tasks");
    assert_eq!(from_jq, from_query);
}

/// Brackets that open a class, an equivalence or a repeat without closing it are literal
/// characters, as in GNU tr (a fuzzer found `tr -s '[-s' '[:]'` slicing backwards). Expected
/// outputs from GNU coreutils' tr on this machine (`printf 'aa::bb\n' | tr -s '[:]'`, …).
#[test]
fn tr_brackets_that_close_nothing_are_literal() {
    let cases: &[(&[&str], &str, &str, i32)] = &[
        (&["-s", "[:]"], "aa::bb\n", "aa:bb\n", 0),
        (&["-s", "[=]"], "a==b\n", "a=b\n", 0),
        (&["-s", "[-s", "[:]"], "aabb\n", "]\n", 0),
    ];
    for (args, stdin, stdout, status) in cases {
        let mut fs = MemFs::new();
        let mut io = UtilIo::new(stdin, &mut fs, 0);
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        assert_eq!(run_utility("tr", &args, &mut io), Some(*status), "tr {args:?}: {}", io.stderr);
        assert_eq!(io.stdout, *stdout, "tr {args:?}");
    }
}
