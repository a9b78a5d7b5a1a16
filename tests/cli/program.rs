//! The native program's command line and rendering, the step-by-step console API, `help`,
//! `$?` and `file://` values.

use ecs_daemon_sim::api::AwsError;
use ecs_daemon_sim::cli::program::{
    parse_program_args, render_run, ProgramCommand, RunOptions, ScriptSource, EXIT_USAGE,
};
use ecs_daemon_sim::cli::{run_script, Interpreter, RecordingBackend, ScriptRun};

fn args(line: &str) -> Vec<String> {
    line.split_whitespace().map(String::from).collect()
}

#[test]
fn program_arguments() {
    assert_eq!(
        parse_program_args(&args("run --seed 42 --events ev.jsonl script.sh")).unwrap(),
        ProgramCommand::Run(RunOptions {
            seed: 42,
            events: Some("ev.jsonl".into()),
            events_pattern: None,
            script: ScriptSource::File("script.sh".into()),
        })
    );
    let ProgramCommand::Run(options) = parse_program_args(&args("run -")).unwrap() else { panic!() };
    assert_eq!((options.seed, options.script), (0, ScriptSource::Stdin));
    assert_eq!(parse_program_args(&args("--help")).unwrap(), ProgramCommand::Help);
    for bad in [
        "",
        "serve",
        "run",
        "run --seed x a.sh",
        "run --bogus a.sh",
        "run a.sh b.sh",
        "run --events-pattern {nope --events e a.sh",
        "run --events-pattern {} a.sh",
        "run --seed",
    ] {
        let error = parse_program_args(&args(bad)).expect_err(bad);
        assert!(error.render().starts_with("ecs-daemon-sim: "), "{bad}");
        assert!(error.render().contains("usage: ecs-daemon-sim run"), "{bad}");
    }
    assert_eq!(EXIT_USAGE, 2);
}

#[test]
fn rendering_a_run() {
    let mut backend = RecordingBackend::new(0);
    backend.respond("DescribeDaemon", Err(AwsError::new("DaemonNotFoundException", "Daemon not found.")));
    let report = run_script(&mut backend, "echo one\naws ecs describe-daemon --daemon-arn d\necho two");
    let output = render_run("s.sh", &report);
    assert_eq!(output.stdout, "one\ntwo\n");
    assert_eq!(
        output.stderr,
        "\nAn error occurred (DaemonNotFoundException) when calling the DescribeDaemon operation: Daemon not found.\n"
    );
    assert_eq!(output.exit_status, 0, "bash's status: the last command's");

    let report = run_script(&mut backend, "echo ok\necho 'unterminated");
    let output = render_run("s.sh", &report);
    assert_eq!(output.stderr, "ecs-daemon-sim: s.sh:2:6: syntax error: unterminated single quote\n");
    assert_eq!((output.stdout.as_str(), output.exit_status), ("", 2));
}

#[test]
fn a_script_runs_step_by_step() {
    let mut backend = RecordingBackend::new(0);
    let mut interpreter = Interpreter::new();
    let mut run = ScriptRun::new("A=1\nsleep 10\necho $A").unwrap();
    assert_eq!(run.remaining(), 3);
    run.step(&mut interpreter, &mut backend);
    assert_eq!(backend.now_ms, 0, "nothing ran ahead");
    run.step(&mut interpreter, &mut backend);
    // The sleep is the caller's to play out; the next step finishes it.
    assert_eq!((backend.now_ms, run.sleeping_until()), (0, Some(10_000)));
    assert_eq!(run.step(&mut interpreter, &mut backend).unwrap().stdout, "1\n");
    assert_eq!(backend.now_ms, 10_000);
    assert!(run.step(&mut interpreter, &mut backend).is_none());
    let report = run.report();
    assert_eq!((report.records.len(), report.exit_status), (3, 0));
    assert_eq!(report.to_json()["records"][2]["stdout"], "1\n");
    assert!(ScriptRun::new("echo 'x").is_err());
}

#[test]
fn help_lists_what_the_console_runs() {
    let mut backend = RecordingBackend::new(0);
    let report =
        run_script(&mut backend, "aws help\naws ecs help\naws ecs create-daemon help\naws ecs wait help");
    assert!(report.records[0].stdout.contains("  cloudwatch\n"));
    assert!(report.records[1].stdout.contains("  describe-daemon-deployments\n"));
    let create = &report.records[2].stdout;
    assert!(create.contains("  --daemon-name <string>\n"), "{create}");
    assert!(create.contains("  --capacity-provider-arns <string ...>\n"), "{create}");
    assert!(
        create.contains("  --enable-ecs-managed-tags | --no-enable-ecs-managed-tags  [optional]\n"),
        "{create}"
    );
    assert!(create.contains("--deployment-configuration <{drainPercent=double,alarms={"), "{create}");
    assert!(report.records[3].stdout.contains(
        "  daemon-deployment-successful (DescribeDaemonDeployments, every 15 s, at most 8 attempts)\n"
    ));
    assert!(backend.calls.is_empty());
}

#[test]
fn dollar_question_mark_is_the_last_exit_code() {
    let mut backend = RecordingBackend::new(0);
    let report = run_script(&mut backend, "aws ecs list-tasks --nope\necho \"status=$?\"\necho $?");
    assert_eq!(report.records[1].stdout, "status=252\n");
    assert_eq!(report.records[2].stdout, "0\n");
}

#[test]
fn a_file_value_naming_no_session_file_is_the_paramfile_error() {
    let mut backend = RecordingBackend::new(0);
    let report = run_script(&mut backend, "aws ecs create-daemon --cli-input-json file://daemon.json");
    assert_eq!(
        report.records[0].stderr,
        "\nError parsing parameter '--cli-input-json': Unable to load paramfile file://daemon.json: [Errno 2] No such file or directory: 'daemon.json'\n"
    );
    assert!(backend.calls.is_empty());
}

#[test]
fn a_step_by_step_run_stops_where_set_e_stops() {
    let mut backend = RecordingBackend::new(0);
    backend.respond("DescribeDaemon", Err(AwsError::new("DaemonNotFoundException", "Daemon not found.")));
    let mut interpreter = Interpreter::new();
    let mut run = ScriptRun::new("set -e\naws ecs describe-daemon --daemon-arn d\necho never").unwrap();
    while run.step(&mut interpreter, &mut backend).is_some() {}
    assert_eq!(run.remaining(), 0);
    let report = run.report();
    assert_eq!((report.records.len(), report.exit_status), (2, 254));
}

#[test]
fn a_dry_run_lists_the_requests_a_script_would_send() {
    let (report, backend) =
        ecs_daemon_sim::cli::dry_run("aws ecs create-cluster --cluster-name c\nsleep 5\naws ecs list-tasks");
    assert_eq!(report.exit_status, 0);
    assert_eq!(backend.actions(), ["CreateCluster", "ListTasks"]);
    assert_eq!(backend.calls[1].at_ms, 5_000);
}
