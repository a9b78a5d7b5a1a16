//! Simulated time: integer milliseconds since the Unix epoch, formatted as the ISO-8601 strings
//! EventBridge uses. No wall clock is ever read.

/// 2026-04-02T07:50:00Z — the day of seed 002's measurements (16:50 JST), a fixed default epoch.
pub const DEFAULT_EPOCH_MS: u64 = 1_775_116_200_000;

/// The time units of the crate, in simulated milliseconds: the one definition every layer uses.
pub const SECOND: u64 = 1_000;
/// One simulated minute, in milliseconds.
pub const MINUTE: u64 = 60 * SECOND;
/// One simulated hour, in milliseconds.
pub const HOUR: u64 = 60 * MINUTE;
/// One simulated day, in milliseconds.
pub const DAY: u64 = 24 * HOUR;

/// Seconds in a day: calendar arithmetic in Unix seconds (the CLI's dates and timestamps).
pub const DAY_SECONDS: i64 = (DAY / SECOND) as i64;

/// (year, month, day), proleptic Gregorian → days since 1970-01-01; Howard Hinnant's
/// `days_from_civil`, the inverse of [`civil_from_days`].
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian; Howard Hinnant's
/// `civil_from_days`. The one calendar of the crate: the API and the CLI format dates with it too.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn parts(ms: u64) -> (i64, u32, u32, u64, u64, u64, u64) {
    let secs = ms / SECOND;
    let (y, mo, d) = civil_from_days((secs / (DAY / SECOND)) as i64);
    let rem = secs % (DAY / SECOND);
    (y, mo, d, rem / 3600, (rem % 3600) / 60, rem % 60, ms % SECOND)
}

/// `2026-04-02T07:50:00Z` — the envelope's `time` format.
pub fn iso_seconds(ms: u64) -> String {
    let (y, mo, d, h, mi, s, _) = parts(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// `2026-04-02T07:50:00.000Z` — the format of timestamps inside event details.
pub fn iso_millis(ms: u64) -> String {
    let (y, mo, d, h, mi, s, milli) = parts(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// `2026-04-02T07:50:00.000000000Z` — deployment events carry nanosecond precision (seed 004).
pub fn iso_nanos(ms: u64) -> String {
    let (y, mo, d, h, mi, s, milli) = parts(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}000000Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_the_default_epoch() {
        assert_eq!(iso_seconds(DEFAULT_EPOCH_MS), "2026-04-02T07:50:00Z");
        assert_eq!(iso_millis(DEFAULT_EPOCH_MS + 1_234), "2026-04-02T07:50:01.234Z");
        assert_eq!(iso_nanos(0), "1970-01-01T00:00:00.000000000Z");
        assert_eq!(iso_seconds(951_782_400_000), "2000-02-29T00:00:00Z");
    }
}
