//! Invalid patterns are refused with a message that names the offending path and says why, and no
//! input — however deep, wide or malformed — makes the parser panic.

use ecs_daemon_sim::pattern::{EventPattern, MAX_PATTERN_DEPTH};

/// (pattern, expected path, words the reason must contain)
const INVALID: &[(&str, &str, &str)] = &[
    // Structure.
    (r#"["aws.ecs"]"#, "", "must be a JSON object, found an array"),
    (r#""aws.ecs""#, "", "must be a JSON object, found a string"),
    (r#"{"source": "aws.ecs"}"#, "source", "must be an object or an array, found a string"),
    (r#"{"detail": {"count": 5}}"#, "detail.count", "must be an object or an array, found a number"),
    (r#"{"source": []}"#, "source", "empty arrays are not allowed"),
    (r#"{}"#, "", "empty objects are not allowed"),
    (r#"{"detail": {}}"#, "detail", "empty objects are not allowed"),
    (r#"{"source": [["aws.ecs"]]}"#, "source[0]", "not an array"),
    (r#"{"source": "#, "", "not valid JSON"),
    // Operators.
    (r#"{"source": [{"prefixx": "aws."}]}"#, "source[0].prefixx", "unrecognized match type \"prefixx\""),
    (r#"{"source": [{}]}"#, "source[0]", "empty match expression"),
    (r#"{"source": [{"prefix": "a", "suffix": "b"}]}"#, "source[0]", "only one key allowed"),
    (r#"{"source": [{"prefix": 5}]}"#, "source[0].prefix", "prefix match pattern must be a string"),
    (
        r#"{"source": [{"prefix": {"wildcard": "a*"}}]}"#,
        "source[0].prefix",
        "only \"equals-ignore-case\" may be nested",
    ),
    (
        r#"{"source": [{"suffix": {"equals-ignore-case": 1}}]}"#,
        "source[0].suffix.equals-ignore-case",
        "must be a string",
    ),
    (r#"{"source": [{"equals-ignore-case": ["a"]}]}"#, "source[0].equals-ignore-case", "must be a string"),
    (r#"{"source": [{"exists": "yes"}]}"#, "source[0].exists", "either true or false"),
    (r#"{"source": [{"cidr": "10.0.0.0"}]}"#, "source[0].cidr", "expected ADDRESS/PREFIX-LENGTH"),
    (r#"{"source": [{"cidr": "10.0.0.0/33"}]}"#, "source[0].cidr", "prefix length must be 0-32"),
    (r#"{"source": [{"cidr": "10.0.0/8"}]}"#, "source[0].cidr", "is not an IP address"),
    // Wildcards.
    (
        r#"{"source": [{"wildcard": "a**b"}]}"#,
        "source[0].wildcard",
        "consecutive wildcard characters at position 2",
    ),
    (r#"{"source": [{"wildcard": "a\\b"}]}"#, "source[0].wildcard", "invalid escape \\b"),
    (r#"{"source": [{"wildcard": "ab\\"}]}"#, "source[0].wildcard", "unfinished escape"),
    // Numeric.
    (r#"{"n": [{"numeric": 5}]}"#, "n[0].numeric", "must be an array"),
    (r#"{"n": [{"numeric": []}]}"#, "n[0].numeric[0]", "expected a numeric operator"),
    (r#"{"n": [{"numeric": ["!=", 5]}]}"#, "n[0].numeric[0]", "unrecognized numeric operator \"!=\""),
    (r#"{"n": [{"numeric": [">", "5"]}]}"#, "n[0].numeric[1]", "value of > must be a JSON number"),
    (r#"{"n": [{"numeric": [">"]}]}"#, "n[0].numeric[1]", "value of > must be a JSON number"),
    (r#"{"n": [{"numeric": ["<", 5, ">", 0]}]}"#, "n[0].numeric", "\"<\" must be the only comparison"),
    (r#"{"n": [{"numeric": ["=", 5, "<", 9]}]}"#, "n[0].numeric", "\"=\" must be the only comparison"),
    (r#"{"n": [{"numeric": [">", 0, ">=", 5]}]}"#, "n[0].numeric[2]", "upper bound takes < or <="),
    (
        r#"{"n": [{"numeric": [">", 5, "<", 5]}]}"#,
        "n[0].numeric",
        "lower bound must be less than its upper bound",
    ),
    (r#"{"n": [{"numeric": [">", 0, "<", 5, "<", 6]}]}"#, "n[0].numeric", "too many elements"),
    (r#"{"n": [{"numeric": [">", 5.0e9, "<", 5]}]}"#, "n[0].numeric", "lower bound"),
    (r#"{"n": [{"numeric": ["<", 5000000001]}]}"#, "n[0].numeric[1]", "outside the supported range"),
    // Anything-but.
    (r#"{"s": [{"anything-but": []}]}"#, "s[0].anything-but", "must not be empty"),
    (r#"{"s": [{"anything-but": ["a", 1]}]}"#, "s[0].anything-but", "all strings or all numbers"),
    (r#"{"s": [{"anything-but": [null]}]}"#, "s[0].anything-but", "all strings or all numbers"),
    (r#"{"s": [{"anything-but": true}]}"#, "s[0].anything-but", "value of anything-but must be"),
    (
        r#"{"s": [{"anything-but": {"numeric": [">", 1]}}]}"#,
        "s[0].anything-but",
        "unsupported anything-but pattern \"numeric\"",
    ),
    (r#"{"s": [{"anything-but": {"prefix": ""}}]}"#, "s[0].anything-but.prefix", "must not be empty"),
    (r#"{"s": [{"anything-but": {"suffix": ["a"]}}]}"#, "s[0].anything-but.suffix", "must be a string"),
    (
        r#"{"s": [{"anything-but": {"wildcard": "a**"}}]}"#,
        "s[0].anything-but.wildcard",
        "consecutive wildcard",
    ),
    (
        r#"{"s": [{"anything-but": {"equals-ignore-case": [1]}}]}"#,
        "s[0].anything-but.equals-ignore-case",
        "list of strings",
    ),
    // $or.
    (r#"{"$or": [{"a": ["1"]}]}"#, "$or", "at least 2 objects, found 1"),
    (r#"{"$or": []}"#, "$or", "at least 2 objects, found 0"),
    (r#"{"$or": {"a": ["1"]}}"#, "$or", "must be an array of objects, found an object"),
    (r#"{"$or": [{"a": ["1"]}, ["b"]]}"#, "$or[1]", "only JSON objects are allowed"),
    (
        r#"{"detail": {"$or": [{"a": ["1"]}, {"prefix": ["b"]}]}}"#,
        "detail.$or[1].prefix",
        "reserved operator name",
    ),
    (r#"{"$or": [{"a": ["1"]}, {}]}"#, "$or[1]", "empty objects are not allowed"),
];

#[test]
fn invalid_patterns_name_the_path_and_the_reason() {
    assert!(INVALID.len() >= 15);
    for (pattern, path, reason) in INVALID {
        let error = match EventPattern::parse(pattern) {
            Ok(parsed) => panic!("{pattern} should be refused, parsed as {parsed:?}"),
            Err(error) => error,
        };
        assert_eq!(error.path, *path, "path for {pattern}: {error}");
        assert!(error.reason.contains(reason), "reason for {pattern} should contain {reason:?}: {error}");
        let message = error.to_string();
        assert!(message.starts_with("Event pattern is not valid. Reason: "), "{message}");
        if !path.is_empty() {
            assert!(message.contains(&format!("at {path}: ")), "{message}");
        }
    }
}

/// `{"a": {"a": … {"a": ["x"]} … }}` with `levels` objects.
fn nested(levels: usize) -> String {
    format!("{}[\"x\"]{}", "{\"a\": ".repeat(levels), "}".repeat(levels))
}

#[test]
fn depth_is_bounded_with_a_clear_error() {
    assert!(EventPattern::parse(&nested(MAX_PATTERN_DEPTH)).is_ok());
    let error = EventPattern::parse(&nested(MAX_PATTERN_DEPTH + 1)).unwrap_err();
    assert!(error.reason.contains("nested too deeply"), "{error}");
    // The 33rd object is the value of the 32nd "a".
    assert_eq!(error.path, vec!["a"; MAX_PATTERN_DEPTH].join("."));
    // Far deeper than any stack could follow: refused by the JSON reader, not a crash.
    let error = EventPattern::parse(&nested(200_000)).unwrap_err();
    assert!(error.reason.contains("not valid JSON") && error.reason.contains("recursion limit"), "{error}");
    // $or branches count as levels too.
    let mut or_chain = r#"{"z": ["x"]}"#.to_owned();
    for _ in 0..MAX_PATTERN_DEPTH {
        or_chain = format!(r#"{{"$or": [{or_chain}, {{"y": ["x"]}}]}}"#);
    }
    let error = EventPattern::parse(&or_chain).unwrap_err();
    assert!(error.reason.contains("nested too deeply"), "{error}");
}

#[test]
fn huge_and_malformed_inputs_are_answered_without_panicking() {
    let wide = format!("{{\"x\": [{}]}}", vec!["\"v\""; 200_000].join(","));
    assert!(EventPattern::parse(&wide).is_ok());
    let many_fields =
        format!("{{{}}}", (0..50_000).map(|i| format!("\"f{i}\": [{i}]")).collect::<Vec<_>>().join(","));
    assert!(EventPattern::parse(&many_fields).is_ok());
    for garbage in [
        "",
        " ",
        "{",
        "}",
        "[[[",
        "{\"a\": [1e999]}",
        "{\"a\": [\"\\ud800\"]}",
        "nul",
        "\u{0}",
        "{\"a\":[1],}",
    ] {
        assert!(EventPattern::parse(garbage).is_err(), "{garbage:?}");
    }
}
