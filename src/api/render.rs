//! How responses encode values the engine keeps in its own units.
//!
//! Timestamps: AWS JSON 1.1 sends `Timestamp` members as epoch seconds (a JSON number with a fractional part,
//! as real ECS does: `1775116579.055`), not the ISO strings of the documentation examples (the API
//! reference's response syntax says number; its examples show strings). The AWS CLI turns them into ISO 8601
//! for display; [`TIMESTAMP_MEMBERS`] tells it which members are timestamps.

use crate::engine::time::SECOND;
use serde_json::{Number, Value};

/// Epoch milliseconds → epoch seconds as a JSON number with millisecond precision.
pub fn timestamp(epoch_ms: u64) -> Value {
    let seconds = epoch_ms as f64 / SECOND as f64;
    Number::from_f64(seconds).map(Value::Number).unwrap_or(Value::Null)
}

/// Epoch seconds in a request (`createdAt.before`) → epoch milliseconds.
pub fn timestamp_from_seconds(seconds: f64) -> Option<u64> {
    if seconds.is_finite() && seconds >= 0.0 {
        Some((seconds * SECOND as f64).round() as u64)
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
    "UpdateDate",
    "StateUpdatedTimestamp",
    "AlarmConfigurationUpdatedTimestamp",
    "StateTransitionedTimestamp",
    "LaunchTime",
];

/// Whether a response member named `name` is a timestamp.
pub fn is_timestamp_member(name: &str) -> bool {
    TIMESTAMP_MEMBERS.contains(&name)
}

/// Epoch milliseconds → `2026-04-02T07:56:19.055Z` (ISO 8601, UTC, milliseconds), for the few
/// places that carry strings (IAM's XML dates, alarm state reasons): the format of event details.
pub use crate::engine::time::iso_millis as iso8601;

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
