//! Every EventBridge pattern operator (AWS: EventBridge event patterns, content filtering), each with events
//! it must and must not match.

use ecs_daemon_sim::pattern::EventPattern;
use serde_json::{json, Value};

/// Asserts that `pattern` matches every event of `matching` and none of `not_matching`.
fn check(pattern: &str, matching: &[Value], not_matching: &[Value]) {
    let parsed = EventPattern::parse(pattern).unwrap_or_else(|e| panic!("{pattern} should parse: {e}"));
    for event in matching {
        assert!(parsed.matches(event), "{pattern} should match {event}");
    }
    for event in not_matching {
        assert!(!parsed.matches(event), "{pattern} should not match {event}");
    }
}

/// Wraps a value as `{"detail": {"x": value}}`, the shape most cases below use.
fn x(value: Value) -> Value {
    json!({ "detail": { "x": value } })
}

#[test]
fn exact_strings_are_case_sensitive_and_fields_are_anded() {
    check(
        r#"{"source": ["aws.ecs"], "detail": {"x": ["RUNNING", "PENDING"]}}"#,
        &[
            json!({"source": "aws.ecs", "detail": {"x": "RUNNING", "other": 1}}),
            json!({"source": "aws.ecs", "detail": {"x": "PENDING"}}),
        ],
        &[
            json!({"source": "aws.ecs", "detail": {"x": "running"}}),
            json!({"source": "aws.ec2", "detail": {"x": "RUNNING"}}),
            json!({"source": "aws.ecs"}),
            json!({"detail": {"x": "RUNNING"}}),
        ],
    );
}

#[test]
fn numbers_match_numerically_and_never_strings() {
    check(
        r#"{"detail": {"x": [5]}}"#,
        &[x(json!(5)), x(json!(5.0)), x(json!(5.0000001))],
        &[x(json!("5")), x(json!(6)), x(json!(5.00001)), x(json!(null))],
    );
    check(r#"{"detail": {"x": [3.018e2]}}"#, &[x(json!(301.8))], &[x(json!(301.9))]);
    // Outside ±5e9 numbers still match themselves exactly (an account id), and only themselves.
    check(
        r#"{"account": [123456789012]}"#,
        &[json!({"account": 123456789012_u64}), json!({"account": 123456789012.0})],
        &[json!({"account": 123456789013_u64}), json!({"account": "123456789012"})],
    );
}

#[test]
fn true_false_null_and_empty_string_are_matchable_literals() {
    check(r#"{"detail": {"x": [true]}}"#, &[x(json!(true))], &[x(json!(false)), x(json!("true"))]);
    check(r#"{"detail": {"x": [false]}}"#, &[x(json!(false))], &[x(json!(true)), x(json!(null))]);
    check(
        r#"{"detail": {"x": [null]}}"#,
        &[x(json!(null))],
        &[x(json!("null")), x(json!("")), json!({"detail": {}})],
    );
    check(
        r#"{"detail": {"x": [""]}}"#,
        &[x(json!(""))],
        &[x(json!(" ")), x(json!(null)), json!({"detail": {}})],
    );
}

#[test]
fn arrays_in_events_match_on_a_non_empty_intersection() {
    check(
        r#"{"resources": ["arn:a", "arn:b"]}"#,
        &[
            json!({"resources": ["arn:z", "arn:b"]}),
            json!({"resources": [["arn:a"]]}),
            json!({"resources": "arn:a"}),
        ],
        &[
            json!({"resources": []}),
            json!({"resources": ["arn:c"]}),
            json!({"resources": [{"arn": "arn:a"}]}),
        ],
    );
}

#[test]
fn arrays_of_objects_are_flattened_but_fields_must_come_from_one_element() {
    let pattern = r#"{"employees": {"firstName": ["Anna"], "lastName": ["Smith"]}}"#;
    let people = |pairs: &[(&str, &str)]| json!({"employees": pairs.iter().map(|(f, l)| json!({"firstName": f, "lastName": l})).collect::<Vec<_>>()});
    check(
        pattern,
        &[
            people(&[("John", "Doe"), ("Anna", "Smith")]),
            json!({"employees": [[{"firstName": "John"}], [{"firstName": "Anna", "lastName": "Smith"}]]}),
            json!({"employees": {"firstName": "Anna", "lastName": "Smith"}}),
        ],
        &[people(&[("Anna", "Jones"), ("Peter", "Smith")]), json!({"employees": "Anna"})],
    );
    // Health checks of seed 004's container-instance event: type and status of the same element.
    check(
        r#"{"detail": {"healthChecks": {"type": ["DAEMON"], "status": ["IMPAIRED"]}}}"#,
        &[
            json!({"detail": {"healthChecks": [{"type": "CONTAINER_RUNTIME", "status": "OK"}, {"type": "DAEMON", "status": "IMPAIRED"}]}}),
        ],
        &[
            json!({"detail": {"healthChecks": [{"type": "CONTAINER_RUNTIME", "status": "IMPAIRED"}, {"type": "DAEMON", "status": "OK"}]}}),
        ],
    );
}

#[test]
fn prefix_and_suffix_apply_to_strings_only() {
    check(
        r#"{"time": [{"prefix": "2026-03-24"}]}"#,
        &[json!({"time": "2026-03-24T12:00:00Z"}), json!({"time": ["x", "2026-03-24"]})],
        &[json!({"time": "2026-03-25T12:00:00Z"}), json!({"time": "2026-03-2"}), json!({"time": 20260324})],
    );
    check(
        r#"{"detail": {"x": [{"suffix": "/my-cluster"}]}}"#,
        &[x(json!("arn:aws:ecs:us-west-2:1:cluster/my-cluster"))],
        &[x(json!("arn:aws:ecs:us-west-2:1:cluster/my-cluster-2")), x(json!("/MY-CLUSTER"))],
    );
    check(r#"{"detail": {"x": [{"suffix": "5"}]}}"#, &[x(json!("15"))], &[x(json!(15))]);
}

#[test]
fn prefix_and_suffix_accept_equals_ignore_case() {
    check(
        r#"{"detail": {"x": [{"prefix": {"equals-ignore-case": "DAEMON_"}}]}}"#,
        &[x(json!("daemon_deployment_pending")), x(json!("Daemon_X")), x(json!("DAEMON_"))],
        &[x(json!("daemo")), x(json!("the daemon_x"))],
    );
    check(
        r#"{"detail": {"x": [{"suffix": {"equals-ignore-case": "_failed"}}]}}"#,
        &[x(json!("DAEMON_DEPLOYMENT_ROLLBACK_FAILED")), x(json!("x_Failed"))],
        &[x(json!("FAILED_X")), x(json!("FAILED"))],
    );
}

#[test]
fn equals_ignore_case_and_exact() {
    check(
        r#"{"detail": {"x": [{"equals-ignore-case": "Warning"}]}}"#,
        &[x(json!("WARNING")), x(json!("warning")), x(json!("wArNiNg"))],
        &[x(json!("WARNINGS")), x(json!(" warning")), x(json!(null))],
    );
    check(r#"{"detail": {"x": [{"exact": "A*"}]}}"#, &[x(json!("A*"))], &[x(json!("AB")), x(json!("a*"))]);
}

#[test]
fn wildcard_matches_runs_and_honours_escapes() {
    check(
        r#"{"detail": {"x": [{"wildcard": "arn:aws:ecs:*:cluster/*-prod"}]}}"#,
        &[x(json!("arn:aws:ecs:us-east-1:123:cluster/web-prod")), x(json!("arn:aws:ecs::cluster/-prod"))],
        &[x(json!("arn:aws:ecs:us-east-1:123:cluster/web-dev")), x(json!("arn:aws:ec2:x:cluster/a-prod"))],
    );
    check(r#"{"detail": {"x": [{"wildcard": "*"}]}}"#, &[x(json!("")), x(json!("anything"))], &[x(json!(1))]);
    check(
        r#"{"detail": {"x": [{"wildcard": "abc"}]}}"#,
        &[x(json!("abc"))],
        &[x(json!("abcd")), x(json!("ABC"))],
    );
    // Overlapping segments: "a*a" needs two a's, "ab*ba" must not reuse the middle b.
    check(
        r#"{"detail": {"x": [{"wildcard": "a*a"}]}}"#,
        &[x(json!("aa")), x(json!("aXa"))],
        &[x(json!("a"))],
    );
    check(
        r#"{"detail": {"x": [{"wildcard": "ab*ba"}]}}"#,
        &[x(json!("abba")), x(json!("abXba"))],
        &[x(json!("aba"))],
    );
    check(
        r#"{"detail": {"x": [{"wildcard": "*b*d*"}]}}"#,
        &[x(json!("abcde")), x(json!("bd"))],
        &[x(json!("adcb"))],
    );
    // `\*` is a literal star and `\\` a literal backslash (JSON doubles each backslash).
    check(
        r#"{"detail": {"x": [{"wildcard": "a\\*b*"}]}}"#,
        &[x(json!("a*b")), x(json!("a*bcd"))],
        &[x(json!("aXb")), x(json!("ab"))],
    );
    check(r#"{"detail": {"x": [{"wildcard": "c:\\\\*"}]}}"#, &[x(json!("c:\\dir"))], &[x(json!("c:/dir"))]);
}

#[test]
fn anything_but_a_string_a_number_or_a_list() {
    check(
        r#"{"detail": {"x": [{"anything-but": "RUNNING"}]}}"#,
        &[
            x(json!("STOPPED")),
            x(json!("running")),
            x(json!(5)),
            x(json!(null)),
            x(json!(["RUNNING", "PENDING"])),
        ],
        &[x(json!("RUNNING")), x(json!(["RUNNING"])), json!({"detail": {}}), x(json!({"RUNNING": 1}))],
    );
    check(
        r#"{"detail": {"x": [{"anything-but": 100}]}}"#,
        &[x(json!(101)), x(json!("100"))],
        &[x(json!(100)), x(json!(100.0)), json!({})],
    );
    check(
        r#"{"detail": {"x": [{"anything-but": ["STOPPED", "DEPROVISIONING"]}]}}"#,
        &[x(json!("RUNNING"))],
        &[x(json!("STOPPED")), x(json!("DEPROVISIONING"))],
    );
    check(
        r#"{"detail": {"x": [{"anything-but": [100, 200, 300]}]}}"#,
        &[x(json!(150)), x(json!(0))],
        &[x(json!(200)), x(json!(3.0e2))],
    );
}

#[test]
fn anything_but_prefix_suffix_ignore_case_and_wildcard() {
    check(
        r#"{"detail": {"x": [{"anything-but": {"prefix": "DAEMON_DEPLOYMENT_ROLLBACK"}}]}}"#,
        &[x(json!("DAEMON_DEPLOYMENT_PENDING"))],
        &[x(json!("DAEMON_DEPLOYMENT_ROLLBACK_FAILED"))],
    );
    check(
        r#"{"detail": {"x": [{"anything-but": {"suffix": ".tmp"}}]}}"#,
        &[x(json!("a.txt"))],
        &[x(json!("a.tmp"))],
    );
    check(
        r#"{"detail": {"x": [{"anything-but": {"equals-ignore-case": ["info", "Warning"]}}]}}"#,
        &[x(json!("ERROR"))],
        &[x(json!("INFO")), x(json!("warning"))],
    );
    check(
        r#"{"detail": {"x": [{"anything-but": {"equals-ignore-case": "info"}}]}}"#,
        &[x(json!("WARNING"))],
        &[x(json!("Info"))],
    );
    check(
        r#"{"detail": {"x": [{"anything-but": {"wildcard": "*/my-cluster"}}]}}"#,
        &[x(json!("cluster/other"))],
        &[x(json!("cluster/my-cluster"))],
    );
}

#[test]
fn numeric_ranges_follow_the_operator_rules() {
    let range = r#"{"detail": {"x": [{"numeric": [">", 0, "<=", 5]}]}}"#;
    check(
        range,
        &[x(json!(0.000001)), x(json!(5)), x(json!(3))],
        &[x(json!(0)), x(json!(5.000001)), x(json!("3"))],
    );
    check(
        r#"{"detail": {"x": [{"numeric": [">=", 0, "<", 5]}]}}"#,
        &[x(json!(0)), x(json!(4.9))],
        &[x(json!(5))],
    );
    check(r#"{"detail": {"x": [{"numeric": ["<", 10]}]}}"#, &[x(json!(-1e9)), x(json!(9))], &[x(json!(10))]);
    check(r#"{"detail": {"x": [{"numeric": ["<=", 10]}]}}"#, &[x(json!(10))], &[x(json!(10.5))]);
    check(r#"{"detail": {"x": [{"numeric": [">", 10]}]}}"#, &[x(json!(11))], &[x(json!(10))]);
    check(r#"{"detail": {"x": [{"numeric": [">=", 10]}]}}"#, &[x(json!(10))], &[x(json!(9.99))]);
    check(
        r#"{"detail": {"x": [{"numeric": ["=", 3.018e2]}]}}"#,
        &[x(json!(301.8)), x(json!([1, 301.8]))],
        &[x(json!(301.80001)), x(json!(null))],
    );
    // The documented limits: ±5.0e9 are valid bounds; event values beyond them never satisfy a range.
    check(
        r#"{"detail": {"x": [{"numeric": [">=", -5.0e9, "<=", 5.0e9]}]}}"#,
        &[x(json!(-5_000_000_000_i64)), x(json!(5_000_000_000_u64))],
        &[x(json!(5_000_000_001_u64)), x(json!(1e300))],
    );
}

#[test]
fn cidr_matches_ipv4_and_ipv6_networks() {
    check(
        r#"{"detail": {"x": [{"cidr": "10.0.0.0/24"}]}}"#,
        &[x(json!("10.0.0.0")), x(json!("10.0.0.255"))],
        &[x(json!("10.0.1.0")), x(json!("10.0.0")), x(json!("::ffff:10.0.0.1")), x(json!(10))],
    );
    check(
        r#"{"detail": {"x": [{"cidr": "0.0.0.0/0"}]}}"#,
        &[x(json!("203.0.113.9"))],
        &[x(json!("not an ip"))],
    );
    check(
        r#"{"detail": {"x": [{"cidr": "192.168.1.7/32"}]}}"#,
        &[x(json!("192.168.1.7"))],
        &[x(json!("192.168.1.8"))],
    );
    check(
        r#"{"detail": {"x": [{"cidr": "2001:db8::/32"}]}}"#,
        &[x(json!("2001:db8::1")), x(json!("2001:0db8:ffff::"))],
        &[x(json!("2001:db9::1")), x(json!("10.0.0.1"))],
    );
}

#[test]
fn exists_applies_to_leaf_values_only() {
    let present = r#"{"detail": {"taskArn": [{"exists": true}]}}"#;
    let absent = r#"{"detail": {"taskArn": [{"exists": false}]}}"#;
    let with_leaf = [
        json!({"detail": {"taskArn": "arn"}}),
        json!({"detail": {"taskArn": null}}),
        json!({"detail": {"taskArn": [1]}}),
    ];
    let without = [
        json!({"detail": {"other": 1}}),
        json!({}),
        json!({"detail": "a string"}),
        json!({"detail": {"taskArn": {"nested": 1}}}),
        json!({"detail": {"taskArn": []}}),
    ];
    check(present, &with_leaf, &without);
    check(absent, &without, &with_leaf);
    // Absence inside an array of objects is decided per element, consistently with the array rule.
    check(
        r#"{"items": {"a": [1], "b": [{"exists": false}]}}"#,
        &[json!({"items": [{"a": 1, "b": 2}, {"a": 1}]})],
        &[json!({"items": [{"a": 1, "b": 2}, {"b": 3}]})],
    );
}

#[test]
fn mixed_alternatives_in_one_value_array() {
    check(
        r#"{"detail": {"x": ["exact", {"prefix": "pre"}, {"numeric": [">", 100]}, null]}}"#,
        &[x(json!("exact")), x(json!("prefixed")), x(json!(101)), x(json!(null))],
        &[x(json!("other")), x(json!(100)), x(json!(false))],
    );
}

#[test]
fn or_expresses_alternatives_across_fields() {
    let pattern = r#"{
        "source": ["aws.ecs"],
        "detail": {
            "$or": [
                {"failureType": ["TASK_CREATION_FAILED"]},
                {"eventType": ["ERROR"]},
                {"count": [{"numeric": [">", 3]}], "$or": [{"a": [1]}, {"b": [2]}]}
            ]
        }
    }"#;
    check(
        pattern,
        &[
            json!({"source": "aws.ecs", "detail": {"failureType": "TASK_CREATION_FAILED"}}),
            json!({"source": "aws.ecs", "detail": {"eventType": "ERROR"}}),
            json!({"source": "aws.ecs", "detail": {"count": 4, "b": 2}}),
        ],
        &[
            json!({"source": "aws.ec2", "detail": {"eventType": "ERROR"}}),
            json!({"source": "aws.ecs", "detail": {"eventType": "INFO"}}),
            json!({"source": "aws.ecs", "detail": {"count": 4, "c": 2}}),
            json!({"source": "aws.ecs", "detail": {"count": 3, "a": 1}}),
        ],
    );
    // Two $or at different levels are both required.
    check(
        r#"{"$or": [{"a": [1]}, {"b": [1]}], "d": {"$or": [{"c": [1]}, {"e": [1]}]}}"#,
        &[json!({"a": 1, "d": {"e": 1}})],
        &[json!({"a": 1, "d": {"f": 1}}), json!({"d": {"c": 1}})],
    );
}

#[test]
fn non_object_events_match_only_absence() {
    let absent = EventPattern::parse(r#"{"a": [{"exists": false}]}"#).unwrap();
    let present = EventPattern::parse(r#"{"a": [{"exists": true}]}"#).unwrap();
    for event in [json!(null), json!([1, 2]), json!("a"), json!(7)] {
        assert!(absent.matches(&event), "{event}");
        assert!(!present.matches(&event), "{event}");
    }
}

#[test]
fn filter_keeps_matching_events_in_order() {
    let events = vec![json!({"n": 1}), json!({"n": 2}), json!({"n": 3}), json!({"n": 4})];
    let pattern: EventPattern = r#"{"n": [{"numeric": [">=", 2, "<", 4]}]}"#.parse().unwrap();
    assert_eq!(pattern.filter(&events), vec![&events[1], &events[2]]);
}

#[test]
fn deeply_nested_events_do_not_exhaust_the_stack() {
    let mut value = json!("leaf");
    for _ in 0..100_000 {
        value = Value::Array(vec![value]);
    }
    // Built by hand: `json!` would serialize the value recursively.
    let event = Value::Object(std::iter::once(("x".to_owned(), value)).collect());
    assert!(EventPattern::parse(r#"{"x": ["leaf"]}"#).unwrap().matches(&event));
    assert!(!EventPattern::parse(r#"{"x": ["other"]}"#).unwrap().matches(&event));
    // Dropping a 100,000-deep Value recurses inside serde_json itself; unwind it by hand.
    let mut pending = vec![event];
    while let Some(mut next) = pending.pop() {
        match &mut next {
            Value::Array(items) => pending.append(items),
            Value::Object(map) => pending.extend(std::mem::take(map).into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}
