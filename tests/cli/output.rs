//! `--output json|text|table` against fixed strings modelled on AWS CLI v2.

use ecs_daemon_sim::cli::args::OutputFormat;
use ecs_daemon_sim::cli::output::{format_json, format_output, format_table, format_text};
use ecs_daemon_sim::cli::query::{apply_query, present_timestamps};
use serde_json::json;

#[test]
fn json_is_indented_by_four_and_keeps_key_order() {
    let value =
        json!({"daemonArn": "arn:d", "status": "ACTIVE", "nested": {"z": 1, "a": [true, null]}, "empty": []});
    let expected = "{\n    \"daemonArn\": \"arn:d\",\n    \"status\": \"ACTIVE\",\n    \"nested\": {\n        \"z\": 1,\n        \"a\": [\n            true,\n            null\n        ]\n    },\n    \"empty\": []\n}\n";
    assert_eq!(format_json(&value), expected);
    assert_eq!(format_json(&json!({})), "", "an empty response prints nothing");
    assert_eq!(format_json(&json!(null)), "null\n");
    assert_eq!(format_json(&json!("IN_PROGRESS")), "\"IN_PROGRESS\"\n");
}

#[test]
fn text_prints_scalars_and_lists_like_the_cli() {
    assert_eq!(format_text(&json!("123456789012")), "123456789012\n");
    assert_eq!(format_text(&json!(25.0)), "25.0\n");
    assert_eq!(format_text(&json!(true)), "True\n");
    assert_eq!(format_text(&json!(null)), "None\n");
    assert_eq!(format_text(&json!(["arn:a", "arn:b"])), "arn:a\tarn:b\n");
    assert_eq!(format_text(&json!([])), "");
    assert_eq!(format_text(&json!({"taskArns": ["arn:a", "arn:b"]})), "TASKARNS\tarn:a\nTASKARNS\tarn:b\n");
}

#[test]
fn text_prints_structures_with_sorted_scalar_columns_then_nested_rows() {
    let value = json!({
        "services": [
            {"serviceName": "app", "runningCount": 1, "desiredCount": 1,
             "deployments": [{"id": "ecs-svc/1", "status": "PRIMARY"}]},
            {"serviceName": "web", "runningCount": 0, "status": "ACTIVE"}
        ],
        "failures": []
    });
    let expected = "\
SERVICES\t1\t1\tapp\t
DEPLOYMENTS\tecs-svc/1\tPRIMARY
SERVICES\t\t0\tweb\tACTIVE
";
    assert_eq!(format_text(&value), expected);
}

#[test]
fn table_of_a_single_structure_has_key_value_rows() {
    let value =
        json!({"Account": "123456789012", "Arn": "arn:aws:iam::123456789012:user/admin", "UserId": "AIDA"});
    let expected = "\
--------------------------------------------------------------------
|                         GetCallerIdentity                        |
+--------------+----------------------------------------+----------+
|    Account   |                  Arn                   | UserId   |
+--------------+----------------------------------------+----------+
|  123456789012|  arn:aws:iam::123456789012:user/admin  |  AIDA    |
+--------------+----------------------------------------+----------+
";
    assert_eq!(format_table(&value, "GetCallerIdentity"), expected);
    let one = json!({"runningCount": 2});
    let expected_one = "\
-----------------------
|  DescribeServices   |
+----------------+----+
|  runningCount  |  2 |
+----------------+----+
";
    assert_eq!(format_table(&one, "DescribeServices"), expected_one);
}

#[test]
fn table_nests_lists_in_indented_sections() {
    let value =
        json!({"daemon": {"status": "ACTIVE", "currentRevisions": [{"arn": "r1", "totalRunningCount": 3}]}});
    // Each nesting level adds a `|` border on both sides; 22.5 rounds to 22 (Python rounds half to even).
    let expected = "\
----------------------------------
|         DescribeDaemon         |
+--------------------------------+
||            daemon            ||
|+--------------+---------------+|
||  status      |  ACTIVE       ||
|+--------------+---------------+|
|||      currentRevisions      |||
||+------+---------------------+||
|||  arn |  totalRunningCount  |||
||+------+---------------------+||
|||  r1  |  3                  |||
||+------+---------------------+||
";
    assert_eq!(format_table(&value, "DescribeDaemon"), expected);
    assert_eq!(format_table(&json!({}), "Nothing"), "", "an empty response prints no table");
}

#[test]
fn wide_tables_turn_single_rows_vertical_at_eighty_columns() {
    let value = json!({"a": "x".repeat(40), "b": "y".repeat(40)});
    // 90 columns > 80: the one-row section becomes key/value rows, as awscli does off a terminal.
    let expected = "\
---------------------------------------------------
|                      Wide                       |
+---+---------------------------------------------+
|  a|  xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx   |
|  b|  yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy   |
+---+---------------------------------------------+
";
    assert_eq!(format_table(&value, "Wide"), expected);
}

#[test]
fn timestamps_then_query_then_format() {
    let mut response = json!({"tasks": [
        {"group": "daemon:monitoring-agent", "startedAt": 1775116579.055, "lastStatus": "RUNNING"},
        {"group": "service:app-svc", "startedAt": 1775116597.368, "lastStatus": "RUNNING"}
    ]});
    present_timestamps(&mut response);
    let queried = apply_query("tasks[].{startedAt:startedAt,group:group}", &response).unwrap();
    let expected = "[\n    {\n        \"startedAt\": \"2026-04-02T07:56:19.055000+00:00\",\n        \"group\": \"daemon:monitoring-agent\"\n    },\n    {\n        \"startedAt\": \"2026-04-02T07:56:37.368000+00:00\",\n        \"group\": \"service:app-svc\"\n    }\n]\n";
    assert_eq!(format_output(&queried, OutputFormat::Json, "DescribeTasks"), expected);
    assert_eq!(
        format_output(&queried, OutputFormat::Text, "DescribeTasks"),
        "daemon:monitoring-agent\t2026-04-02T07:56:19.055000+00:00\nservice:app-svc\t2026-04-02T07:56:37.368000+00:00\n"
    );
}

/// A small deterministic generator for the no-panic sweep.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % bound
    }

    fn value(&mut self, depth: u32) -> serde_json::Value {
        let keys = ["a", "startedAt", "group", "Z", "tasks", "ñ"];
        match if depth == 0 { self.next(4) } else { self.next(6) } {
            0 => json!(null),
            1 => json!(self.next(3) == 0),
            2 => json!(self.next(1000) as f64 / 7.0),
            3 => json!("x".repeat(self.next(90) as usize)),
            4 => serde_json::Value::Array((0..self.next(4)).map(|_| self.value(depth - 1)).collect()),
            _ => serde_json::Value::Object(
                (0..self.next(4))
                    .map(|_| (keys[self.next(keys.len() as u64) as usize].to_string(), self.value(depth - 1)))
                    .collect(),
            ),
        }
    }
}

#[test]
fn no_response_makes_the_formatters_panic() {
    let mut rng = Lcg(11);
    for _ in 0..2000 {
        let mut value = rng.value(4);
        present_timestamps(&mut value);
        for format in [OutputFormat::Json, OutputFormat::Text, OutputFormat::Table] {
            let text = format_output(&value, format, "Op");
            if format == OutputFormat::Table && !text.is_empty() {
                let width = text.lines().next().unwrap().chars().count();
                assert!(text.lines().all(|line| line.chars().count() == width), "ragged table:\n{text}");
            }
        }
        let _ = apply_query("[*].{b: a, a: group} || a", &value);
    }
}

#[test]
fn wide_characters_take_two_columns_as_awscli_counts_them() {
    let value = json!([["名前", "x"], ["é", "y"]]);
    let expected = "\
---------------
|     Op      |
+-------+-----+
|  名前 |  x  |
|  é   |  y  |
+-------+-----+
";
    assert_eq!(format_table(&value, "Op"), expected);
}
