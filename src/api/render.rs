//! How responses encode values the engine keeps in its own units.
//!
//! Timestamps: AWS JSON 1.1 sends `Timestamp` members as epoch seconds (a JSON number with a
//! fractional part, as real ECS does: `1775116579.055`), not the ISO strings of the documentation
//! examples (spec section 2, open question 13). The AWS CLI turns them into ISO 8601 for display;
//! [`TIMESTAMP_MEMBERS`] tells it which members are timestamps.

use serde_json::{Number, Value};

/// Epoch milliseconds → epoch seconds as a JSON number with millisecond precision.
pub fn timestamp(epoch_ms: u64) -> Value {
    let seconds = epoch_ms as f64 / 1000.0;
    Number::from_f64(seconds).map(Value::Number).unwrap_or(Value::Null)
}

/// An optional timestamp; `None` renders as absent, which callers express by skipping the member.
pub fn opt_timestamp(epoch_ms: Option<u64>) -> Option<Value> {
    epoch_ms.map(timestamp)
}

/// Epoch seconds in a request (`createdAt.before`) → epoch milliseconds.
pub fn timestamp_from_seconds(seconds: f64) -> Option<u64> {
    if seconds.is_finite() && seconds >= 0.0 {
        Some((seconds * 1000.0).round() as u64)
    } else {
        None
    }
}

/// Response members, in every service this simulator answers for, whose type is `Timestamp`.
/// CloudWatch Logs' `creationTime` is a plain number of milliseconds, not a timestamp, and is
/// therefore absent.
pub const TIMESTAMP_MEMBERS: &[&str] = &[
    "createdAt",
    "updatedAt",
    "startedAt",
    "stoppedAt",
    "stoppingAt",
    "finishedAt",
    "registeredAt",
    "deregisteredAt",
    "deleteRequestedAt",
    "pullStartedAt",
    "pullStoppedAt",
    "executionStoppedAt",
    "connectivityAt",
    "lastUpdated",
    "lastStatusChange",
    "CreateDate",
    "StateUpdatedTimestamp",
    "AlarmConfigurationUpdatedTimestamp",
    "StateTransitionedTimestamp",
    "LaunchTime",
];

/// Whether a response member named `name` is a timestamp.
pub fn is_timestamp_member(name: &str) -> bool {
    TIMESTAMP_MEMBERS.contains(&name)
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Epoch milliseconds → `2026-04-02T07:56:19.055Z` (ISO 8601, UTC, milliseconds), for the few
/// places that carry strings (IAM's XML dates, alarm state reasons).
pub fn iso8601(epoch_ms: u64) -> String {
    let seconds = (epoch_ms / 1000) as i64;
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let of_day = seconds.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60,
        epoch_ms % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_epoch_seconds_with_fraction() {
        assert_eq!(timestamp(1_775_116_579_055).to_string(), "1775116579.055");
        assert_eq!(timestamp(1_775_116_579_000).to_string(), "1775116579.0");
        assert_eq!(timestamp_from_seconds(1_775_116_579.055), Some(1_775_116_579_055));
        assert!(is_timestamp_member("startedAt"));
        assert!(!is_timestamp_member("creationTime"));
    }

    #[test]
    fn iso8601_is_utc_with_milliseconds() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_775_116_579_055), "2026-04-02T07:56:19.055Z");
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }
}
