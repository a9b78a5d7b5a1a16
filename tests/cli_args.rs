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
