//! Automatic pagination and botocore's client-side type validation.

use ecs_daemon_sim::cli::{run_script, RecordingBackend};
use serde_json::json;

#[test]
fn list_operations_follow_next_tokens_and_merge_pages() {
    let mut backend = RecordingBackend::new(0);
    backend
        .respond("ListTasks", Ok(json!({"taskArns": ["t1", "t2"], "nextToken": "p2"})))
        .respond("ListTasks", Ok(json!({"taskArns": ["t3"], "nextToken": "p3"})))
        .respond("ListTasks", Ok(json!({"taskArns": ["t4"]})));
    let report = run_script(&mut backend, "aws ecs list-tasks --cluster c --page-size 2");
    assert_eq!(report.records[0].stdout, "{\n    \"taskArns\": [\n        \"t1\",\n        \"t2\",\n        \"t3\",\n        \"t4\"\n    ]\n}\n");
    let inputs: Vec<_> = backend.calls.iter().map(|c| c.input.clone()).collect();
    assert_eq!(
        inputs,
        [
            json!({"cluster": "c", "maxResults": 2}),
            json!({"cluster": "c", "maxResults": 2, "nextToken": "p2"}),
            json!({"cluster": "c", "maxResults": 2, "nextToken": "p3"}),
        ]
    );
}

#[test]
fn no_paginate_and_an_explicit_token_show_one_page() {
    let mut backend = RecordingBackend::new(0);
    backend.respond("ListTasks", Ok(json!({"taskArns": ["t1"], "nextToken": "p2"})));
    let report = run_script(
        &mut backend,
        "aws ecs list-tasks --no-paginate --query nextToken --output text\n\
         aws ecs list-tasks --next-token p2 --query nextToken --output text",
    );
    assert_eq!(report.records[0].stdout, "p2\n");
    assert_eq!(report.records[1].stdout, "p2\n");
    assert_eq!(backend.calls.len(), 2);
}

#[test]
fn a_repeated_token_stops_pagination() {
    let mut backend = RecordingBackend::new(0);
    backend.respond("ListServices", Ok(json!({"serviceArns": ["s"], "nextToken": "same"})));
    let report = run_script(&mut backend, "aws ecs list-services");
    assert_eq!(report.records[0].exit_code, 255);
    assert_eq!(
        report.records[0].stderr,
        "\nError during pagination: The same next token was received twice: \"same\"\n"
    );
}

#[test]
fn iam_markers_paginate_and_is_truncated_is_dropped() {
    let mut backend = RecordingBackend::new(0);
    backend
        .respond(
            "ListAttachedRolePolicies",
            Ok(json!({"AttachedPolicies": [{"PolicyName": "A"}], "IsTruncated": true, "Marker": "m"})),
        )
        .respond(
            "ListAttachedRolePolicies",
            Ok(json!({"AttachedPolicies": [{"PolicyName": "B"}], "IsTruncated": false})),
        );
    let report = run_script(&mut backend, "aws iam list-attached-role-policies --role-name r --output text");
    assert_eq!(report.records[0].stdout, "ATTACHEDPOLICIES\tA\nATTACHEDPOLICIES\tB\n");
}

#[test]
fn daemon_operations_are_not_paginated() {
    let mut backend = RecordingBackend::new(0);
    backend.respond("ListDaemons", Ok(json!({"daemonSummariesList": [], "nextToken": "n"})));
    let report = run_script(&mut backend, "aws ecs list-daemons --query nextToken --output text");
    assert_eq!(report.records[0].stdout, "n\n");
    assert_eq!(backend.calls.len(), 1);
    let report = run_script(&mut backend, "aws ecs list-daemons --page-size 5");
    assert!(report.records[0].stderr.ends_with("Unknown options: --page-size, 5\n\n"));
}

#[test]
fn wrong_json_types_fail_before_any_request() {
    let mut backend = RecordingBackend::new(0);
    let script = r#"aws ecs update-service --service s --cli-input-json '{"desiredCount": "1", "enableExecuteCommand": "yes"}'
aws ecs put-cluster-capacity-providers --cli-input-json '{"cluster": "c", "capacityProviders": "cp", "defaultCapacityProviderStrategy": [{"weight": 1.5}]}'
aws ecs update-daemon --daemon-arn d --daemon-task-definition-arn t --capacity-provider-arns c --deployment-configuration '{"drainPercent": 25, "bakeTimeInMinutes": 0}'"#;
    let report = run_script(&mut backend, script);
    assert_eq!(
        report.records[0].stderr,
        "\nParameter validation failed:\n\
         Invalid type for parameter desiredCount, value: 1, type: <class 'str'>, valid types: <class 'int'>\n\
         Invalid type for parameter enableExecuteCommand, value: yes, type: <class 'str'>, valid types: <class 'bool'>\n"
    );
    assert_eq!(report.records[0].exit_code, 252);
    assert_eq!(
        report.records[1].stderr,
        "\nParameter validation failed:\n\
         Invalid type for parameter capacityProviders, value: cp, type: <class 'str'>, valid types: <class 'list'>, <class 'tuple'>\n\
         Missing required parameter in defaultCapacityProviderStrategy[0]: \"capacityProvider\"\n\
         Invalid type for parameter defaultCapacityProviderStrategy[0].weight, value: 1.5, type: <class 'float'>, valid types: <class 'int'>\n"
    );
    assert!(report.records[2].success, "an int is a valid double: {:?}", report.records[2]);
    assert_eq!(backend.actions(), ["UpdateDaemon"]);
}

#[test]
fn text_output_streams_pages_and_json_keeps_only_result_keys() {
    let mut backend = RecordingBackend::new(0);
    backend
        .respond("ListTasks", Ok(json!({"taskArns": ["t1", "t2"], "nextToken": "p2"})))
        .respond("ListTasks", Ok(json!({"taskArns": ["t3"]})));
    let report = run_script(&mut backend, "aws ecs list-tasks --query taskArns --output text");
    assert_eq!(report.records[0].stdout, "t1\tt2\nt3\n", "--query applies to each page");

    let mut alarms = RecordingBackend::new(0);
    alarms.respond(
        "DescribeAlarms",
        Ok(json!({"MetricAlarms": [{"AlarmName": "a", "StateValue": "OK"}], "ResponseMetadata": {}})),
    );
    let report = run_script(
        &mut alarms,
        "aws cloudwatch describe-alarms\naws cloudwatch describe-alarms --output text",
    );
    assert_eq!(
        report.records[0].stdout,
        "{\n    \"MetricAlarms\": [\n        {\n            \"AlarmName\": \"a\",\n            \"StateValue\": \"OK\"\n        }\n    ]\n}\n"
    );
    // A result key missing from a page is None in the page's text, as botocore sets it.
    assert_eq!(report.records[1].stdout, "None\nMETRICALARMS\ta\tOK\n");
}

/// The three pages the `--max-items` tests walk.
fn three_pages() -> RecordingBackend {
    let mut backend = RecordingBackend::new(0);
    backend
        .respond("ListTasks", Ok(json!({"taskArns": ["t1", "t2"], "nextToken": "p2"})))
        .respond("ListTasks", Ok(json!({"taskArns": ["t3"], "nextToken": "p3"})))
        .respond("ListTasks", Ok(json!({"taskArns": ["t4"]})));
    backend
}

// The expected results and tokens are botocore 1.44.8's own: its ListTasks paginator over the same
// three pages with botocore.stub.Stubber, `paginate(cluster='c', PaginationConfig={...})
// .build_full_result()` (the AWS CLI's JSON output is that, printed with indent 4).
const TOKEN_AFTER_T1: &str = "eyJuZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==";
const TOKEN_P2: &str = "eyJuZXh0VG9rZW4iOiAicDIifQ==";
const TOKEN_P3: &str = "eyJuZXh0VG9rZW4iOiAicDMifQ==";

fn arns_and_token(stdout: &str) -> (Vec<String>, Option<String>) {
    let value: serde_json::Value = serde_json::from_str(stdout).expect("JSON output");
    let arns =
        value["taskArns"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect();
    (arns, value.get("NextToken").and_then(|t| t.as_str()).map(String::from))
}

#[test]
fn max_items_stops_at_a_page_boundary_with_the_service_token() {
    let mut backend = three_pages();
    let report = run_script(&mut backend, "aws ecs list-tasks --cluster c --max-items 3");
    assert_eq!(
        report.records[0].stdout,
        format!(
            "{{\n    \"taskArns\": [\n        \"t1\",\n        \"t2\",\n        \"t3\"\n    ],\n    \"NextToken\": \"{TOKEN_P3}\"\n}}\n"
        )
    );
    assert_eq!(backend.calls.len(), 2, "the third page is not fetched");
    let mut backend = three_pages();
    let report = run_script(&mut backend, "aws ecs list-tasks --cluster c --max-items 2");
    assert_eq!(
        arns_and_token(&report.records[0].stdout),
        (vec!["t1".into(), "t2".into()], Some(TOKEN_P2.into()))
    );
    let mut backend = three_pages();
    let report = run_script(&mut backend, "aws ecs list-tasks --cluster c --max-items 10");
    assert_eq!(arns_and_token(&report.records[0].stdout).1, None);
}

#[test]
fn max_items_inside_a_page_truncates_it_and_the_token_remembers_where() {
    let mut backend = three_pages();
    let report = run_script(&mut backend, "aws ecs list-tasks --cluster c --max-items 1");
    assert_eq!(arns_and_token(&report.records[0].stdout), (vec!["t1".into()], Some(TOKEN_AFTER_T1.into())));
    assert_eq!(backend.calls.len(), 1);
}

#[test]
fn starting_token_resumes_where_max_items_stopped() {
    let mut backend = three_pages();
    let report = run_script(
        &mut backend,
        &format!("aws ecs list-tasks --cluster c --starting-token {TOKEN_AFTER_T1}"),
    );
    assert_eq!(
        arns_and_token(&report.records[0].stdout),
        (vec!["t2".into(), "t3".into(), "t4".into()], None)
    );
    assert_eq!(backend.calls[0].input, json!({"cluster": "c"}), "a null service token is not sent");
    let mut backend = three_pages();
    let report = run_script(
        &mut backend,
        &format!("aws ecs list-tasks --cluster c --starting-token {TOKEN_AFTER_T1} --max-items 1"),
    );
    assert_eq!(arns_and_token(&report.records[0].stdout), (vec!["t2".into()], Some(TOKEN_P2.into())));
    // A token that is not the CLI's own is the service's token, sent as is.
    let mut backend = RecordingBackend::new(0);
    backend.respond("ListTasks", Ok(json!({"taskArns": ["t3", "t4"]})));
    let report = run_script(&mut backend, "aws ecs list-tasks --cluster c --starting-token p2");
    assert_eq!(arns_and_token(&report.records[0].stdout).0, ["t3", "t4"]);
    assert_eq!(backend.calls[0].input, json!({"cluster": "c", "nextToken": "p2"}));
}

#[test]
fn text_output_prints_the_next_token_after_the_pages() {
    let mut backend = three_pages();
    let report = run_script(&mut backend, "aws ecs list-tasks --cluster c --max-items 1 --output text");
    assert_eq!(report.records[0].stdout, format!("TASKARNS\tt1\nNEXTTOKEN\t{TOKEN_AFTER_T1}\n"));
}

#[test]
fn paging_flags_need_pagination_and_a_paginated_operation() {
    let mut backend = three_pages();
    let report = run_script(&mut backend, "aws ecs list-tasks --no-paginate --max-items 1");
    assert_eq!(
        report.records[0].stderr,
        "\nParameter validation failed:\nCannot specify --no-paginate along with pagination arguments: --max-items\n"
    );
    assert_eq!(report.records[0].exit_code, 252);
    let report = run_script(&mut backend, "aws ecs list-tasks --max-items x");
    assert_eq!(
        report.records[0].stderr,
        "\nError parsing parameter '--max-items': invalid literal for int() with base 10: 'x'\n"
    );
    // botocore has no paginator for the daemon list actions, so the CLI has no such flags there.
    let report = run_script(&mut backend, "aws ecs list-daemon-deployments --daemon-arn d --max-items 3");
    assert!(report.records[0].stderr.ends_with("Unknown options: --max-items, 3\n\n"));
    assert!(backend.calls.is_empty());
}
