//! `aws` command lines → action and request JSON: flags, types, shorthand, JSON values, and the
//! CLI's usage errors.

use ecs_daemon_sim::cli::args::{parse_aws, AwsInvocation, OutputFormat};
use ecs_daemon_sim::cli::shorthand::{parse as shorthand, Node};
use serde_json::{json, Value};

fn words(line: &str) -> Vec<String> {
    line.split_whitespace().map(String::from).collect()
}

fn parse(line: &str) -> AwsInvocation {
    parse_aws(&words(line)).unwrap_or_else(|e| panic!("{line}: {}", e.cli_message()))
}

fn input(line: &str) -> Value {
    parse(line).input
}

fn error(line: &str) -> String {
    parse_aws(&words(line)).expect_err(line).cli_message()
}

#[test]
fn kebab_actions_map_to_aws_action_names() {
    let cases = [
        ("ecs describe-daemon-deployments --daemon-deployment-arns a", "ecs", "DescribeDaemonDeployments"),
        (
            "ecs register-daemon-task-definition --family f --container-definitions []",
            "ecs",
            "RegisterDaemonTaskDefinition",
        ),
        ("ecs list-daemons", "ecs", "ListDaemons"),
        ("ecs describe-daemon-revisions --daemon-revision-arns r", "ecs", "DescribeDaemonRevisions"),
        (
            "ecs update-container-instances-state --container-instances c --status DRAINING",
            "ecs",
            "UpdateContainerInstancesState",
        ),
        ("sts get-caller-identity", "sts", "GetCallerIdentity"),
        (
            "iam add-role-to-instance-profile --instance-profile-name p --role-name r",
            "iam",
            "AddRoleToInstanceProfile",
        ),
        ("logs create-log-group --log-group-name /ecs/x", "logs", "CreateLogGroup"),
        ("ec2 terminate-instances --instance-ids i-1", "ec2", "TerminateInstances"),
        (
            "cloudwatch set-alarm-state --alarm-name a --state-value ALARM --state-reason r",
            "cloudwatch",
            "SetAlarmState",
        ),
    ];
    for (line, service, action) in cases {
        let invocation = parse(line);
        assert_eq!((invocation.operation.service, invocation.operation.name), (service, action), "{line}");
    }
}

#[test]
fn member_types_come_from_the_model() {
    assert_eq!(
        input("ecs describe-tasks --cluster c --tasks a b c"),
        json!({"cluster": "c", "tasks": ["a", "b", "c"]})
    );
    assert_eq!(
        input("ecs update-service --service s --desired-count 3"),
        json!({"service": "s", "desiredCount": 3})
    );
    assert_eq!(
        input("ec2 terminate-instances --instance-ids i-1 i-2 --dry-run"),
        json!({"InstanceIds": ["i-1", "i-2"], "DryRun": true})
    );
    assert_eq!(
        input(
            "cloudwatch put-metric-alarm --alarm-name a --evaluation-periods 2 --threshold 80 \
               --comparison-operator GreaterThanThreshold --ok-actions x"
        ),
        json!({"AlarmName": "a", "EvaluationPeriods": 2, "Threshold": 80.0,
               "ComparisonOperator": "GreaterThanThreshold", "OKActions": ["x"]})
    );
}

#[test]
fn boolean_flags_and_their_negations() {
    let base = "ecs update-daemon --daemon-arn d --daemon-task-definition-arn t --capacity-provider-arns c";
    assert_eq!(input(&format!("{base} --enable-execute-command"))["enableExecuteCommand"], true);
    assert_eq!(input(&format!("{base} --no-enable-execute-command"))["enableExecuteCommand"], false);
    assert_eq!(input(&format!("{base} --no-critical"))["critical"], false);
    assert_eq!(input(&format!("{base} --enable-ecs-managed-tags"))["enableECSManagedTags"], true);
    assert!(input(base).get("critical").is_none(), "omitted flags are not sent");
}

#[test]
fn shorthand_structures_get_the_model_types() {
    assert_eq!(
        input("ecs put-cluster-capacity-providers --cluster c --capacity-providers a b \
               --default-capacity-provider-strategy capacityProvider=a,weight=1,base=0 capacityProvider=b,weight=2"),
        json!({"cluster": "c", "capacityProviders": ["a", "b"], "defaultCapacityProviderStrategy": [
            {"capacityProvider": "a", "weight": 1, "base": 0}, {"capacityProvider": "b", "weight": 2}]})
    );
    assert_eq!(
        input("ecs create-service --service-name s \
               --network-configuration awsvpcConfiguration={subnets=[a,b],securityGroups=[c],assignPublicIp=DISABLED}")
            ["networkConfiguration"],
        json!({"awsvpcConfiguration": {"subnets": ["a", "b"], "securityGroups": ["c"], "assignPublicIp": "DISABLED"}})
    );
    assert_eq!(
        input("ecs update-daemon --daemon-arn d --daemon-task-definition-arn t --capacity-provider-arns c \
               --deployment-configuration drainPercent=50,bakeTimeInMinutes=5,alarms={alarmNames=[a1,a2],enable=true}")
            ["deploymentConfiguration"],
        json!({"drainPercent": 50.0, "bakeTimeInMinutes": 5, "alarms": {"alarmNames": ["a1", "a2"], "enable": true}})
    );
}

#[test]
fn json_values_and_cli_input_json() {
    assert_eq!(
        input(
            r#"ecs update-daemon --daemon-arn d --daemon-task-definition-arn t --capacity-provider-arns ["c1","c2"] --deployment-configuration {"drainPercent":10}"#
        ),
        json!({"daemonArn": "d", "daemonTaskDefinitionArn": "t", "capacityProviderArns": ["c1", "c2"],
               "deploymentConfiguration": {"drainPercent": 10}})
    );
    // Flags override --cli-input-json; required members may come from either.
    let invocation = parse_aws(&[
        "ecs".into(),
        "create-daemon".into(),
        "--cli-input-json".into(),
        r#"{"daemonName": "from-json", "daemonTaskDefinitionArn": "t", "capacityProviderArns": ["c"]}"#
            .into(),
        "--daemon-name".into(),
        "from-flag".into(),
    ])
    .unwrap();
    assert_eq!(invocation.input["daemonName"], "from-flag");
    assert_eq!(invocation.input["capacityProviderArns"], json!(["c"]));
}

#[test]
fn global_options_anywhere() {
    let invocation = parse("--region eu-west-1 ecs list-tasks --output text --cluster c --query taskArns");
    assert_eq!(invocation.region.as_deref(), Some("eu-west-1"));
    assert_eq!(invocation.output, OutputFormat::Text);
    assert_eq!(invocation.query.as_deref(), Some("taskArns"));
    assert_eq!(invocation.input, json!({"cluster": "c"}));
    assert_eq!(
        parse("ecs wait services-stable --cluster c --services s").waiter.as_deref(),
        Some("services-stable")
    );
}

const USAGE: &str = "\nusage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n\
To see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n\n";

#[test]
fn usage_errors_read_like_the_cli() {
    assert_eq!(
        error("ecs list-tasks --cluster c --bogus x"),
        format!("{USAGE}Unknown options: --bogus, x\n\n")
    );
    assert_eq!(
        error("ecs create-daemon --daemon-name d"),
        format!(
            "{USAGE}aws: error: the following arguments are required: --daemon-task-definition-arn, --capacity-provider-arns\n\n"
        )
    );
    assert_eq!(
        error("ecs list-tasks --cluster"),
        format!("{USAGE}aws: error: argument --cluster: expected one argument\n\n")
    );
    assert_eq!(
        error("ecs update-service --service s --desired-count two"),
        "\nError parsing parameter '--desired-count': invalid literal for int() with base 10: 'two'\n"
    );
    assert!(error("ecs describe-daemons --daemon-arn x").contains("argument operation: Invalid choice"));
    assert!(error("s3 ls").contains("argument command: Invalid choice"));
    assert!(error("ecs wait daemon-happy").contains("argument subcommand: Invalid choice"));
    assert_eq!(
        error("ecs list-tasks --output yaml"),
        format!("{USAGE}aws: error: argument --output: Invalid choice, valid choices are:\n\n{:<40} | {:<40}\n{:<40}\n\n", "json", "text", "table")
    );
    assert!(error("ecs list-tasks --output yaml").contains("argument --output: Invalid choice"));
    assert!(error("ecs list-tasks --query tasks[")
        .contains("aws: error: argument --query: Bad value for --query tasks[: "));
    assert!(error("ecs create-daemon --cli-input-json {nope").contains("Invalid JSON"));
}

#[test]
fn shorthand_errors_point_at_the_problem() {
    assert_eq!(
        error("ecs put-cluster-capacity-providers --cluster c --capacity-providers a --default-capacity-provider-strategy capacityProvider"),
        "\nError parsing parameter '--default-capacity-provider-strategy': Expected: '=', received: 'EOF' for input:\ncapacityProvider\n                ^\n\n"
    );
    let unknown_key = error(
        "ecs put-cluster-capacity-providers --cluster c --capacity-providers a --default-capacity-provider-strategy provider=a",
    );
    assert!(unknown_key
        .contains("Unknown parameter \"provider\", must be one of: capacityProvider, weight, base"));
    let bad_int = error(
        "ecs put-cluster-capacity-providers --cluster c --capacity-providers a --default-capacity-provider-strategy capacityProvider=a,weight=heavy",
    );
    assert!(bad_int.contains("invalid literal for int() with base 10: 'heavy'"));
}

fn s(text: &str) -> Node {
    Node::Scalar(text.into())
}

fn map(entries: Vec<(&str, Node)>) -> Node {
    Node::Map(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

#[test]
fn shorthand_parses_like_awscli() {
    assert_eq!(shorthand("a=b").unwrap(), map(vec![("a", s("b"))]));
    assert_eq!(shorthand("a=b,c,d").unwrap(), map(vec![("a", Node::List(vec![s("b"), s("c"), s("d")]))]));
    assert_eq!(
        shorthand("a=1,2,b=3").unwrap(),
        map(vec![("a", Node::List(vec![s("1"), s("2")])), ("b", s("3"))])
    );
    assert_eq!(shorthand("a=[],b={}").unwrap(), map(vec![("a", Node::List(vec![])), ("b", map(vec![]))]));
    assert_eq!(
        shorthand("k={x=[1, 2],y='quoted, value'}").unwrap(),
        map(vec![("k", map(vec![("x", Node::List(vec![s("1"), s("2")])), ("y", s("quoted, value"))]))])
    );
    assert_eq!(shorthand("a=x\\,y").unwrap(), map(vec![("a", s("x,y"))]));
    assert_eq!(shorthand("a = b ").unwrap(), map(vec![("a", s("b"))]));
    assert_eq!(shorthand("a=").unwrap(), map(vec![("a", s(""))]));
    assert!(shorthand("a=b,a=c").unwrap_err().0.starts_with("Second instance of key \"a\""));
    assert!(shorthand("a=[b").is_err());
    assert!(shorthand("a={b=c").is_err());
    assert!(shorthand("a='open").is_err());
}

#[test]
fn timestamps_accept_epoch_seconds_and_iso_8601() {
    let created = |value: &str| {
        input(&format!("ecs list-daemon-deployments --daemon-arn d --created-at after={value}"))["createdAt"]
            ["after"]
            .clone()
    };
    assert_eq!(created("1775116579"), json!(1775116579.0));
    assert_eq!(created("2026-04-02T07:56:19Z"), json!(1775116579.0));
    assert_eq!(created("2026-04-02T16:56:19.5+09:00"), json!(1775116579.5));
    assert_eq!(created("2026-04-02"), json!(1775088000.0));
    assert!(error("ecs list-daemon-deployments --daemon-arn d --created-at after=yesterday")
        .contains("Invalid timestamp value: 'yesterday'"));
    assert!(error("ecs list-daemon-deployments --daemon-arn d --created-at after=2026-13-01")
        .contains("Invalid timestamp"));
}

#[test]
fn shorthand_values_the_model_refuses_fail_validation_like_botocore() {
    assert_eq!(
        error("ecs update-daemon --daemon-arn d --daemon-task-definition-arn t --capacity-provider-arns c \
               --deployment-configuration alarms={alarmNames=[a],enable=yes}"),
        "\nParameter validation failed:\nInvalid type for parameter deploymentConfiguration.alarms.enable, value: yes, type: <class 'str'>, valid types: <class 'bool'>\n"
    );
    // In a multi-line value the caret counts from the start of the failing line.
    let message = shorthand("a=1,\nb c=2").unwrap_err().0;
    assert_eq!(message, "Expected: '=', received: 'c' for input:\na=1,\nb c=2\n  ^\n");
}

// ---------------------------------------------------------------------------------------------
// file:// and fileb:// values, --generate-cli-skeleton

use ecs_daemon_sim::cli::args::parse_aws_with_files;
use ecs_daemon_sim::cli::fs::MemFs;
use ecs_daemon_sim::cli::skeleton::input_skeleton;
use ecs_daemon_sim::cli::{run_script, Interpreter, RecordingBackend};

#[test]
fn file_values_are_read_from_the_session_files_for_any_parameter() {
    let mut files = MemFs::new();
    files.write(
        "td.json",
        "{\"family\": \"agent\", \"containerDefinitions\": [{\"name\": \"a\", \"image\": \"i\"}]}\n",
    );
    files.write("cluster.txt", "daemon-test");
    files.write("arns", "[\"a1\", \"a2\"]");
    let parsed = parse_aws_with_files(
        &words("ecs register-daemon-task-definition --cli-input-json file://./td.json"),
        &files,
    )
    .unwrap();
    assert_eq!(
        parsed.input,
        json!({"family": "agent", "containerDefinitions": [{"name": "a", "image": "i"}]})
    );
    let parsed = parse_aws_with_files(&words("ecs list-tasks --cluster file://cluster.txt"), &files).unwrap();
    assert_eq!(parsed.input, json!({"cluster": "daemon-test"}));
    let parsed = parse_aws_with_files(
        &words("ecs describe-daemon-deployments --daemon-deployment-arns fileb://arns"),
        &files,
    )
    .unwrap();
    assert_eq!(parsed.input, json!({"daemonDeploymentArns": ["a1", "a2"]}));
    // Flags on the command line win over the file's members, as with the CLI.
    let parsed = parse_aws_with_files(
        &words("ecs register-daemon-task-definition --cli-input-json file://td.json --family other"),
        &files,
    )
    .unwrap();
    assert_eq!(parsed.input["family"], "other");
}

#[test]
fn a_missing_file_is_the_cli_paramfile_error() {
    // awscli v2: ResourceLoadingError('Unable to load paramfile %s: %s' % (path, e)), e being the
    // OSError of open().
    let message =
        parse_aws_with_files(&words("ecs create-daemon --cli-input-json file://daemon.json"), &MemFs::new())
            .expect_err("missing file")
            .cli_message();
    assert_eq!(
        message,
        "\nError parsing parameter '--cli-input-json': Unable to load paramfile file://daemon.json: [Errno 2] No such file or directory: 'daemon.json'\n"
    );
}

#[test]
fn the_interpreter_reads_file_values_from_its_files() {
    let mut backend = RecordingBackend::new(0);
    let mut interpreter = Interpreter::new();
    interpreter.fs_mut().write("td.json", "{\"family\": \"agent\", \"containerDefinitions\": []}");
    let report = interpreter
        .run(&mut backend, "aws ecs register-daemon-task-definition --cli-input-json file://td.json");
    assert_eq!(report.records[0].exit_code, 0, "{}", report.records[0].stderr);
    assert_eq!(backend.calls[0].input, json!({"family": "agent", "containerDefinitions": []}));
}

/// botocore 1.44.8's `ArgumentGenerator().generate_skeleton(input_shape)` for each daemon action,
/// `json.dumps(indent=4)` as `--generate-cli-skeleton` prints it, with `random.choice` patched to
/// take an enum's first value (the simulator's deterministic choice).
const DAEMON_SKELETONS: &[(&str, &str)] = &[
    ("register-daemon-task-definition", "{\n    \"family\": \"\",\n    \"taskRoleArn\": \"\",\n    \"executionRoleArn\": \"\",\n    \"containerDefinitions\": [\n        {\n            \"name\": \"\",\n            \"image\": \"\",\n            \"memory\": 0,\n            \"memoryReservation\": 0,\n            \"repositoryCredentials\": {\n                \"credentialsParameter\": \"\"\n            },\n            \"healthCheck\": {\n                \"command\": [\n                    \"\"\n                ],\n                \"interval\": 0,\n                \"timeout\": 0,\n                \"retries\": 0,\n                \"startPeriod\": 0\n            },\n            \"cpu\": 0,\n            \"essential\": true,\n            \"entryPoint\": [\n                \"\"\n            ],\n            \"command\": [\n                \"\"\n            ],\n            \"workingDirectory\": \"\",\n            \"environmentFiles\": [\n                {\n                    \"value\": \"\",\n                    \"type\": \"s3\"\n                }\n            ],\n            \"environment\": [\n                {\n                    \"name\": \"\",\n                    \"value\": \"\"\n                }\n            ],\n            \"secrets\": [\n                {\n                    \"name\": \"\",\n                    \"valueFrom\": \"\"\n                }\n            ],\n            \"readonlyRootFilesystem\": true,\n            \"mountPoints\": [\n                {\n                    \"sourceVolume\": \"\",\n                    \"containerPath\": \"\",\n                    \"readOnly\": true\n                }\n            ],\n            \"logConfiguration\": {\n                \"logDriver\": \"json-file\",\n                \"options\": {\n                    \"KeyName\": \"\"\n                },\n                \"secretOptions\": [\n                    {\n                        \"name\": \"\",\n                        \"valueFrom\": \"\"\n                    }\n                ]\n            },\n            \"firelensConfiguration\": {\n                \"type\": \"fluentd\",\n                \"options\": {\n                    \"KeyName\": \"\"\n                }\n            },\n            \"privileged\": true,\n            \"user\": \"\",\n            \"ulimits\": [\n                {\n                    \"name\": \"core\",\n                    \"softLimit\": 0,\n                    \"hardLimit\": 0\n                }\n            ],\n            \"linuxParameters\": {\n                \"capabilities\": {\n                    \"add\": [\n                        \"\"\n                    ],\n                    \"drop\": [\n                        \"\"\n                    ]\n                },\n                \"devices\": [\n                    {\n                        \"hostPath\": \"\",\n                        \"containerPath\": \"\",\n                        \"permissions\": [\n                            \"read\"\n                        ]\n                    }\n                ],\n                \"initProcessEnabled\": true,\n                \"tmpfs\": [\n                    {\n                        \"containerPath\": \"\",\n                        \"size\": 0,\n                        \"mountOptions\": [\n                            \"\"\n                        ]\n                    }\n                ]\n            },\n            \"dependsOn\": [\n                {\n                    \"containerName\": \"\",\n                    \"condition\": \"START\"\n                }\n            ],\n            \"startTimeout\": 0,\n            \"stopTimeout\": 0,\n            \"systemControls\": [\n                {\n                    \"namespace\": \"\",\n                    \"value\": \"\"\n                }\n            ],\n            \"interactive\": true,\n            \"pseudoTerminal\": true,\n            \"restartPolicy\": {\n                \"enabled\": true,\n                \"ignoredExitCodes\": [\n                    0\n                ],\n                \"restartAttemptPeriod\": 0\n            }\n        }\n    ],\n    \"cpu\": \"\",\n    \"memory\": \"\",\n    \"volumes\": [\n        {\n            \"name\": \"\",\n            \"host\": {\n                \"sourcePath\": \"\"\n            },\n            \"logDriverVolumeConfiguration\": {\n                \"driver\": \"json-file\"\n            }\n        }\n    ],\n    \"tags\": [\n        {\n            \"key\": \"\",\n            \"value\": \"\"\n        }\n    ],\n    \"pidMode\": \"none\",\n    \"ipcMode\": \"none\"\n}\n"),
    ("describe-daemon-task-definition", "{\n    \"daemonTaskDefinition\": \"\"\n}\n"),
    ("list-daemon-task-definitions", "{\n    \"familyPrefix\": \"\",\n    \"family\": \"\",\n    \"revision\": \"LAST_REGISTERED\",\n    \"status\": \"ACTIVE\",\n    \"sort\": \"ASC\",\n    \"nextToken\": \"\",\n    \"maxResults\": 0\n}\n"),
    ("delete-daemon-task-definition", "{\n    \"daemonTaskDefinition\": \"\"\n}\n"),
    ("create-daemon", "{\n    \"daemonName\": \"\",\n    \"clusterArn\": \"\",\n    \"daemonTaskDefinitionArn\": \"\",\n    \"capacityProviderArns\": [\n        \"\"\n    ],\n    \"deploymentConfiguration\": {\n        \"drainPercent\": 0.0,\n        \"alarms\": {\n            \"alarmNames\": [\n                \"\"\n            ],\n            \"enable\": true\n        },\n        \"bakeTimeInMinutes\": 0\n    },\n    \"tags\": [\n        {\n            \"key\": \"\",\n            \"value\": \"\"\n        }\n    ],\n    \"propagateTags\": \"DAEMON\",\n    \"enableECSManagedTags\": true,\n    \"enableExecuteCommand\": true,\n    \"clientToken\": \"\",\n    \"critical\": true\n}\n"),
    ("update-daemon", "{\n    \"daemonArn\": \"\",\n    \"daemonTaskDefinitionArn\": \"\",\n    \"capacityProviderArns\": [\n        \"\"\n    ],\n    \"deploymentConfiguration\": {\n        \"drainPercent\": 0.0,\n        \"alarms\": {\n            \"alarmNames\": [\n                \"\"\n            ],\n            \"enable\": true\n        },\n        \"bakeTimeInMinutes\": 0\n    },\n    \"propagateTags\": \"DAEMON\",\n    \"enableECSManagedTags\": true,\n    \"enableExecuteCommand\": true,\n    \"critical\": true\n}\n"),
    ("delete-daemon", "{\n    \"daemonArn\": \"\"\n}\n"),
    ("describe-daemon", "{\n    \"daemonArn\": \"\"\n}\n"),
    ("list-daemons", "{\n    \"clusterArn\": \"\",\n    \"capacityProviderArns\": [\n        \"\"\n    ],\n    \"maxResults\": 0,\n    \"nextToken\": \"\"\n}\n"),
    ("list-daemon-deployments", "{\n    \"daemonArn\": \"\",\n    \"status\": [\n        \"PENDING\"\n    ],\n    \"createdAt\": {\n        \"before\": \"1970-01-01T00:00:00\",\n        \"after\": \"1970-01-01T00:00:00\"\n    },\n    \"maxResults\": 0,\n    \"nextToken\": \"\"\n}\n"),
    ("describe-daemon-deployments", "{\n    \"daemonDeploymentArns\": [\n        \"\"\n    ]\n}\n"),
    ("describe-daemon-revisions", "{\n    \"daemonRevisionArns\": [\n        \"\"\n    ]\n}\n"),
];

#[test]
fn daemon_action_skeletons_are_the_cli_skeletons() {
    for (action, expected) in DAEMON_SKELETONS {
        let operation = ecs_daemon_sim::cli::shapes::find_operation("ecs", action).expect(action);
        assert_eq!(input_skeleton(&operation), *expected, "{action}");
    }
}

#[test]
fn generate_cli_skeleton_prints_the_template_and_calls_nothing() {
    let mut backend = RecordingBackend::new(0);
    let report = run_script(
        &mut backend,
        "aws ecs describe-daemon --generate-cli-skeleton\n\
         aws ecs delete-daemon --generate-cli-skeleton input\n\
         aws ecs delete-daemon --generate-cli-skeleton bogus\n\
         aws sts get-caller-identity --generate-cli-skeleton",
    );
    assert_eq!(report.records[0].stdout, "{\n    \"daemonArn\": \"\"\n}\n");
    assert_eq!(report.records[1].stdout, "{\n    \"daemonArn\": \"\"\n}\n");
    assert_eq!(report.records[2].exit_code, 252);
    assert!(report.records[2].stderr.contains("argument --generate-cli-skeleton: invalid choice: 'bogus'"));
    assert_eq!(report.records[3].stdout, "{}\n");
    assert!(backend.calls.is_empty());
}
