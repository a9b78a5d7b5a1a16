//! Shared by the tests that hold committed golden files (`tests/golden/`): when a rewrite is asked
//! for, the tutorial's golden event count and hash, and the AWS CLI timestamp parser the tutorial
//! checks read the describe-tasks table with.
#![allow(dead_code)]

/// Whether golden files are to be rewritten instead of compared: only when `UPDATE_GOLDEN` is
/// exactly `1`. Any other value (`0`, empty, `true`) compares, so a stray variable in the
/// environment cannot bless a changed file. (`cargo xtask test` refuses to run with it set at all.)
pub fn update_requested() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some_and(|value| value == "1")
}

/// `tests/golden/tutorial_seed7.hash`: the tutorial script's event count and event-log hash through
/// `session::Session::with_seed(7)`, checked natively (`tests/cli/seed002.rs`) and in the browser
/// (`tests/browser/console.rs`).
pub const TUTORIAL_GOLDEN: &str = include_str!("../golden/tutorial_seed7.hash");
pub const TUTORIAL_GOLDEN_PATH: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/tutorial_seed7.hash");

/// The value of the `name value` line of [`TUTORIAL_GOLDEN`].
pub fn tutorial_field(name: &str) -> &'static str {
    TUTORIAL_GOLDEN
        .lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("{name} in the golden file"))
        .trim()
}

/// Milliseconds since the epoch of an AWS CLI timestamp such as `2026-04-02T07:53:48.336000+00:00`.
pub fn parse_timestamp(text: &str) -> i64 {
    let number = |range: std::ops::Range<usize>| -> i64 { text[range].parse().expect(text) };
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let (hour, minute, second) = (number(11..13), number(14..16), number(17..19));
    let rest = &text[19..];
    let (fraction, zone) = match rest.strip_prefix('.') {
        Some(after) => after.split_at(after.find(['+', '-']).expect("a zone")),
        None => ("", rest),
    };
    let millis = if fraction.is_empty() { 0 } else { format!("{fraction:0<3}")[..3].parse::<i64>().unwrap() };
    let offset_minutes = {
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        sign * (zone[1..3].parse::<i64>().unwrap() * 60 + zone[4..6].parse::<i64>().unwrap())
    };
    let days = ecs_daemon_sim::engine::time::days_from_civil(year, month, day);
    let seconds = days * ecs_daemon_sim::engine::time::DAY_SECONDS + hour * 3600 + minute * 60 + second
        - offset_minutes * 60;
    seconds * 1000 + millis
}
