//! The shell subset: parsing, syntax errors with line:column, expansion, built-ins, and how a
//! script carries on after a failed command.

use ecs_daemon_sim::api::AwsError;
use ecs_daemon_sim::cli::{
    parse_script, run_script, Interpreter, Position, RecordingBackend, EXIT_COMMAND_FAILED, EXIT_SUCCESS,
    EXIT_SYNTAX_ERROR,
};
use serde_json::json;

fn syntax_error(text: &str) -> (Position, String) {
    let error = parse_script(text).expect_err(text);
    (error.position, error.message)
}

fn pos(line: usize, column: usize) -> Position {
    Position { line, column }
}

#[test]
fn syntax_errors_carry_line_and_column() {
    assert_eq!(syntax_error("echo 'open\n").0, pos(1, 6));
    assert_eq!(syntax_error("echo ok\necho \"open\n").0, pos(2, 6));
    assert_eq!(syntax_error("echo $(aws sts get-caller-identity\n").0, pos(1, 6));
    assert_eq!(syntax_error("echo ${ACCOUNT\n").0, pos(1, 6));
    assert_eq!(syntax_error("echo ${A!x}").0, pos(1, 6));
    assert_eq!(syntax_error("echo $((1+2)").0, pos(1, 6));
    assert_eq!(syntax_error("echo $()").0, pos(1, 6));
    let (at, message) = syntax_error("aws ecs list-tasks | kubectl get pods");
    assert_eq!(at, pos(1, 22));
    assert!(message.contains("unsupported command 'kubectl'"), "{message}");
    assert!(syntax_error("echo a &").1.contains("background"));
    assert!(syntax_error("echo `date").1.contains("backquote"));
    let (_, message) = syntax_error("REGION=us-east-1\n  for i in 1 2; do echo $i; don");
    assert!(message.contains("expected 'done'"), "{message}");
    assert!(syntax_error("aws ecs x \\").1.contains("backslash"));
}

#[test]
fn a_syntax_error_runs_nothing_and_exits_2() {
    let mut backend = RecordingBackend::new(0);
    let report = run_script(&mut backend, "aws ecs create-cluster --cluster-name a\nkubectl get pods\n");
    assert_eq!(report.exit_status, EXIT_SYNTAX_ERROR);
    assert!(backend.calls.is_empty());
    assert!(report.records.is_empty());
    assert_eq!(
        report.stderr(),
        "line 2:1: syntax error: unsupported command 'kubectl' (this console runs aws, sim, the shell's builtins, \
         its text utilities and functions the script defines)\n"
    );
}

#[test]
fn quotes_variables_and_concatenation_expand_like_bash() {
    let mut backend = RecordingBackend::new(0);
    let script = r#"
A=one
B="two words"
echo '$A'"$A"$A'-'${A}x "$B" $B
echo "a\"b" 'c\d' e\ f "" end
C=$A$B
echo "[$C]" '"'$A'"'
echo $UNSET_VARIABLE. ; echo -n no-newline
"#;
    let report = run_script(&mut backend, script);
    assert_eq!(report.exit_status, EXIT_SUCCESS);
    assert_eq!(
        report.stdout(),
        "$Aoneone-onex two words two words\na\"b c\\d e f  end\n[onetwo words] \"one\"\n.\nno-newline"
    );
}

#[test]
fn command_substitution_output_is_split_into_words_unless_quoted() {
    let mut backend = RecordingBackend::new(0);
    backend.respond("ListTasks", Ok(json!({"taskArns": ["t1", "t2", "t3"]})));
    let script = "aws ecs describe-tasks --tasks $(aws ecs list-tasks --query taskArns --output text)\n\
                  aws ecs describe-tasks --tasks \"$(aws ecs list-tasks --query taskArns --output text)\"\n\
                  echo $(echo $(echo nested))";
    let report = run_script(&mut backend, script);
    let describes: Vec<_> = backend.calls.iter().filter(|c| c.action == "DescribeTasks").collect();
    assert_eq!(describes[0].input, json!({"tasks": ["t1", "t2", "t3"]}));
    assert_eq!(describes[1].input, json!({"tasks": ["t1\tt2\tt3"]}));
    assert_eq!(report.records[2].stdout, "nested\n");
}

#[test]
fn records_keep_the_command_text_and_position() {
    let mut backend = RecordingBackend::new(0);
    let report = run_script(
        &mut backend,
        "# setup\n\necho a; echo b\naws ecs list-clusters \\\n  --region us-east-1\n",
    );
    let summary: Vec<_> = report.records.iter().map(|r| (r.line, r.column, r.command.as_str())).collect();
    assert_eq!(
        summary,
        [(3, 1, "echo a"), (3, 9, "echo b"), (4, 1, "aws ecs list-clusters \\\n  --region us-east-1")]
    );
}

#[test]
fn a_failed_command_is_reported_and_the_script_goes_on() {
    let mut backend = RecordingBackend::new(0);
    backend.respond(
        "CreateDaemon",
        Err(AwsError::invalid_parameter("daemonName must match [A-Za-z0-9_-]{1,255}")),
    );
    let script = "aws ecs create-daemon --daemon-name 'bad name' --daemon-task-definition-arn t --capacity-provider-arns c\n\
                  aws ecs list-tasks --bogus\n\
                  echo still-running\n";
    let report = run_script(&mut backend, script);
    assert_eq!(report.exit_status, EXIT_SUCCESS, "as bash: the last command's status");
    let first = &report.records[0];
    assert!(!first.success);
    assert_eq!(first.exit_code, 254);
    assert_eq!(
        first.stderr,
        "\nAn error occurred (InvalidParameterException) when calling the CreateDaemon operation: daemonName must match [A-Za-z0-9_-]{1,255}\n"
    );
    assert_eq!(first.stdout, "");
    assert_eq!(report.records[1].exit_code, 252);
    assert!(report.records[1].stderr.ends_with("Unknown options: --bogus\n\n"));
    assert!(report.records[2].success);
    assert_eq!(report.records[2].stdout, "still-running\n");
    assert_eq!(backend.actions(), ["CreateDaemon"], "the usage error sent nothing");
}

#[test]
fn a_failing_substitution_fails_the_assignment() {
    let mut backend = RecordingBackend::new(0);
    backend.respond("GetCallerIdentity", Err(AwsError::new("ExpiredToken", "The security token expired")));
    let mut interpreter = Interpreter::new();
    let report = interpreter
        .run(&mut backend, "ACCOUNT_ID=$(aws sts get-caller-identity --query Account --output text)");
    assert_eq!(report.records[0].exit_code, 254);
    assert!(report.records[0].stderr.contains("(ExpiredToken) when calling the GetCallerIdentity operation"));
    assert_eq!(interpreter.variable("ACCOUNT_ID"), Some(""));
}

#[test]
fn variables_persist_across_runs_of_one_interpreter() {
    let mut backend = RecordingBackend::new(0);
    let mut interpreter = Interpreter::new();
    interpreter.run(&mut backend, "REGION=eu-west-1");
    let report = interpreter.run(&mut backend, "echo $REGION");
    assert_eq!(report.stdout(), "eu-west-1\n");
}

#[test]
fn sleep_advances_simulated_time_and_sim_clock_prints_it() {
    let mut backend = RecordingBackend::new(1_775_116_579_055);
    let report = run_script(&mut backend, "sim clock\nsleep 300\nsleep 1.5 2m\nsim clock\nsleep soon");
    assert_eq!(backend.now_ms, 1_775_116_579_055 + 300_000 + 121_500);
    assert_eq!(report.records[0].stdout, "2026-04-02T07:56:19.055000+00:00\n");
    assert_eq!(report.records[3].stdout, "2026-04-02T08:03:20.555000+00:00\n");
    assert_eq!(report.records[4].exit_code, 1);
    assert_eq!(report.records[4].stderr, "sleep: invalid time interval 'soon'\n");
}

#[test]
fn sim_commands_reach_the_backend() {
    let mut backend = RecordingBackend::new(0);
    let report =
        run_script(&mut backend, "IMAGE=httpd:alpine\nsim fault image-pull --image $IMAGE\nsim fault clear");
    assert_eq!(
        backend.sim_calls,
        [vec!["fault", "image-pull", "--image", "httpd:alpine"], vec!["fault", "clear"]]
    );
    assert_eq!(report.records[1].stdout, "sim fault image-pull --image httpd:alpine\n");
    assert!(backend.calls.is_empty());
}

#[test]
fn a_command_name_from_a_variable_is_checked_when_it_runs() {
    let mut backend = RecordingBackend::new(0);
    let report = run_script(&mut backend, "CMD=kubectl\n$CMD get pods\necho after");
    assert_eq!(report.records[1].exit_code, 127);
    assert!(report.records[1].stderr.starts_with("kubectl: command not found"));
    assert!(report.records[2].success);
}

/// A small deterministic generator, so the no-panic sweep is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn no_input_makes_the_interpreter_panic() {
    let tutorial = include_str!("../fixtures/tutorial.sh");
    let mut backend = RecordingBackend::new(0);
    // Every prefix of the tutorial: unterminated quotes, dangling continuations, half a $( ... ).
    for end in (0..tutorial.len()).filter(|i| tutorial.is_char_boundary(*i)).step_by(7) {
        let report = run_script(&mut backend, &tutorial[..end]);
        if report.syntax_error.is_some() {
            assert_eq!(report.exit_status, EXIT_SYNTAX_ERROR);
            assert!(report.records.is_empty(), "a syntax error runs nothing");
        }
    }
    // Random soup of the characters the parsers care about.
    let alphabet: Vec<char> = "aws ecs echo sleep sim X=$(){}[]'\"\\\n\t,=;#|&<>`-–é9".chars().collect();
    let mut rng = Lcg(7);
    for _ in 0..3000 {
        let len = (rng.next() % 60) as usize;
        let text: String =
            (0..len).map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize]).collect();
        run_script(&mut backend, &text);
        let shorthand_input: String = text.chars().filter(|c| *c != '\n').collect();
        let _ = ecs_daemon_sim::cli::shorthand::parse(&shorthand_input);
        let words: Vec<String> =
            ["ecs", "create-service", "--service-name", "s", "--network-configuration", &shorthand_input]
                .map(String::from)
                .to_vec();
        let _ = ecs_daemon_sim::cli::args::parse_aws(&words);
    }
}

#[test]
fn set_e_stops_at_the_first_failure() {
    let mut backend = RecordingBackend::new(0);
    backend.respond("DescribeDaemon", Err(AwsError::new("DaemonNotFoundException", "Daemon not found.")));
    let report = run_script(
        &mut backend,
        "set -euo pipefail\necho one\naws ecs describe-daemon --daemon-arn d\necho never",
    );
    assert_eq!(report.records.len(), 3);
    assert_eq!(report.exit_status, EXIT_COMMAND_FAILED);
    assert_eq!(report.stdout(), "one\n");
    let report =
        run_script(&mut backend, "set -e\nset +e\naws ecs describe-daemon --daemon-arn d\necho still");
    assert_eq!(report.records.len(), 4);
}

#[test]
fn set_u_refuses_unset_variables() {
    let mut backend = RecordingBackend::new(0);
    let report = run_script(&mut backend, "set -u\nA=1\necho $A\necho $MISSING\necho never");
    assert_eq!(report.records.len(), 4);
    assert_eq!(report.records[3].stderr, "MISSING: unbound variable\n");
    assert_eq!(report.records[3].exit_code, 1);
    assert_eq!(report.stdout(), "1\n");
}

#[test]
fn set_x_traces_commands_and_bad_options_fail() {
    let mut backend = RecordingBackend::new(0);
    let report =
        run_script(&mut backend, "set -x\nNAME='my daemon'\necho \"$NAME\" plain\nset -q\nset -o emacs");
    assert_eq!(report.records[2].stderr, "+ echo 'my daemon' plain\n");
    assert_eq!(report.records[3].stderr, "+ set -q\nset: -q: invalid option\n");
    assert_eq!(report.records[3].exit_code, 2);
    assert_eq!(report.records[4].exit_code, 2);
}

#[test]
fn export_assigns_without_splitting() {
    let mut backend = RecordingBackend::new(0);
    backend.respond("GetCallerIdentity", Ok(json!({"Account": "123456789012"})));
    let report = run_script(
        &mut backend,
        "export REGION=us-east-1 ACCOUNT_ID=$(aws sts get-caller-identity --query Account --output text) \
         GREETING=\"a  b\"\necho $REGION $ACCOUNT_ID \"$GREETING\"\nexport 1BAD=x",
    );
    assert_eq!(report.records[1].stdout, "us-east-1 123456789012 a  b\n");
    assert_eq!(report.records[2].stderr, "export: `1BAD=x': not a valid identifier\n");
}

#[test]
fn windows_line_endings_and_aws_version() {
    let mut backend = RecordingBackend::new(0);
    let report =
        run_script(&mut backend, "aws ecs list-clusters \\\r\n  --region us-east-1\r\naws --version\r\n");
    assert_eq!(report.records.len(), 2, "{:?}", report.records);
    assert!(report.records[0].success, "{:?}", report.records[0]);
    assert_eq!(backend.actions(), ["ListClusters"]);
    assert!(report.records[1].stdout.starts_with("aws-cli/2.34.22 "));
}

/// Regression (cli_script fuzz target): `set` with a word starting with a multi-byte character
/// panicked while splitting off the first byte. As in bash, a word that is not an option sets the
/// positional parameters; a bad option letter is a usage error.
#[test]
fn set_with_a_non_ascii_word_sets_the_positional_parameters() {
    let mut backend = RecordingBackend::new(0);
    let report = run_script(&mut backend, "set Ҋ0\necho \"$1\"\nset -Ҋ\nset +é\necho after");
    assert_eq!(report.records[0].exit_code, 0);
    assert_eq!(report.records[1].stdout, "Ҋ0\n");
    assert_eq!(report.records[2].stderr, "set: -Ҋ: invalid option\n");
    assert_eq!(report.records[3].stderr, "set: +é: invalid option\n");
    assert_eq!(report.stdout(), "Ҋ0\nafter\n");
}
