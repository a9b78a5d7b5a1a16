//! `date [-u] [-d DATE] [+FORMAT | -I[SPEC] | -R | --rfc-3339=SPEC]` on the simulated clock.
//! The simulated account has one time zone, UTC, so `-u` changes nothing and `%Z` is `UTC`.

use super::opts::{self, long, opt};
use super::UtilIo;
use crate::cli::args::parse_iso8601;
use crate::engine::time::{civil_from_days, DAY_SECONDS};

const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A broken-down UTC time.
struct Tm {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
    weekday: u32,
    yday: u32,
    epoch: i64,
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn breakdown(epoch_ns: i128) -> Tm {
    let epoch = epoch_ns.div_euclid(1_000_000_000) as i64;
    let nanos = epoch_ns.rem_euclid(1_000_000_000) as u32;
    let days = epoch.div_euclid(DAY_SECONDS);
    let secs = epoch.rem_euclid(DAY_SECONDS) as u32;
    let (year, month, day) = civil_from_days(days);
    const BEFORE: [u32; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let yday = BEFORE[month as usize - 1] + day - 1 + u32::from(month > 2 && is_leap(year));
    Tm {
        year,
        month,
        day,
        hour: secs / 3600,
        minute: secs / 60 % 60,
        second: secs % 60,
        nanos,
        weekday: (days + 4).rem_euclid(7) as u32,
        yday,
        epoch,
    }
}

/// ISO 8601 week number and week-based year.
fn iso_week(tm: &Tm) -> (i64, u32) {
    let wday = (tm.weekday + 6) % 7; // Monday = 0
    let week = (tm.yday as i64 - wday as i64 + 10) / 7;
    if week < 1 {
        let prev = tm.year - 1;
        let prev_days = if is_leap(prev) { 366 } else { 365 };
        let yday = tm.yday as i64 + prev_days;
        return (prev, ((yday - wday as i64 + 10) / 7) as u32);
    }
    let days_in_year = if is_leap(tm.year) { 366 } else { 365 };
    if week == 53 && (tm.yday as i64 - wday as i64) > days_in_year - 4 {
        return (tm.year + 1, 1);
    }
    (tm.year, week as u32)
}

/// strftime with GNU's `-`, `_`, `0` and `^` flags.
fn strftime(format: &str, tm: &Tm) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut pad: Option<char> = None;
        let mut upper = false;
        while let Some(&flag) = chars.peek() {
            match flag {
                '-' => pad = Some('\0'),
                '_' => pad = Some(' '),
                '0' => pad = Some('0'),
                '^' => upper = true,
                _ => break,
            }
            chars.next();
        }
        let colon = chars.peek() == Some(&':');
        if colon {
            chars.next();
        }
        let Some(code) = chars.next() else {
            out.push('%');
            break;
        };
        let number = |value: i64, width: usize, default_pad: char| -> String {
            match pad.unwrap_or(default_pad) {
                '\0' => value.to_string(),
                ' ' => format!("{value:>width$}"),
                _ => format!("{value:0>width$}"),
            }
        };
        let hour12 = if tm.hour.is_multiple_of(12) { 12 } else { tm.hour % 12 };
        let text = match code {
            'a' => DAYS[tm.weekday as usize][..3].to_string(),
            'A' => DAYS[tm.weekday as usize].to_string(),
            'b' | 'h' => MONTHS[tm.month as usize - 1][..3].to_string(),
            'B' => MONTHS[tm.month as usize - 1].to_string(),
            'c' => strftime("%a %b %e %H:%M:%S %Y", tm),
            'C' => number(tm.year.div_euclid(100), 2, '0'),
            'd' => number(tm.day.into(), 2, '0'),
            'D' | 'x' => strftime("%m/%d/%y", tm),
            'e' => number(tm.day.into(), 2, ' '),
            'F' => strftime("%Y-%m-%d", tm),
            'G' => iso_week(tm).0.to_string(),
            'g' => number(iso_week(tm).0.rem_euclid(100), 2, '0'),
            'H' => number(tm.hour.into(), 2, '0'),
            'I' => number(hour12.into(), 2, '0'),
            'j' => number(i64::from(tm.yday) + 1, 3, '0'),
            'k' => number(tm.hour.into(), 2, ' '),
            'l' => number(hour12.into(), 2, ' '),
            'm' => number(tm.month.into(), 2, '0'),
            'M' => number(tm.minute.into(), 2, '0'),
            'n' => "\n".into(),
            'N' => format!("{:09}", tm.nanos),
            'p' => if tm.hour < 12 { "AM" } else { "PM" }.into(),
            'P' => if tm.hour < 12 { "am" } else { "pm" }.into(),
            'r' => strftime("%I:%M:%S %p", tm),
            'R' => strftime("%H:%M", tm),
            's' => tm.epoch.to_string(),
            'S' => number(tm.second.into(), 2, '0'),
            't' => "\t".into(),
            'T' | 'X' => strftime("%H:%M:%S", tm),
            'u' => (if tm.weekday == 0 { 7 } else { tm.weekday }).to_string(),
            'U' => number((i64::from(tm.yday) + 7 - i64::from(tm.weekday)) / 7, 2, '0'),
            'W' => number((i64::from(tm.yday) + 7 - i64::from((tm.weekday + 6) % 7)) / 7, 2, '0'),
            'V' => number(iso_week(tm).1.into(), 2, '0'),
            'w' => tm.weekday.to_string(),
            'y' => number(tm.year.rem_euclid(100), 2, '0'),
            'Y' => tm.year.to_string(),
            'z' if colon => "+00:00".into(),
            'z' => "+0000".into(),
            'Z' => "UTC".into(),
            '%' => "%".into(),
            other => format!("%{}{other}", if colon { ":" } else { "" }),
        };
        out.push_str(&if upper { text.to_uppercase() } else { text });
    }
    out
}

/// A `-d` date: `@EPOCH`, `now`, `today`, `yesterday`, `tomorrow`, an ISO 8601 date or time,
/// followed by relative items (`-5 minutes`, `5 minutes ago`, `+1 hour`). Epoch nanoseconds.
fn parse_date(text: &str, now_ns: i128) -> Option<i128> {
    let text = text.trim();
    if let Some(epoch) = text.strip_prefix('@') {
        let seconds = crate::support::decimal::parse_f64(epoch.trim())?;
        return Some((seconds * 1e9).round() as i128);
    }
    let lower = text.to_ascii_lowercase();
    let mut words: Vec<&str> = lower.split_whitespace().collect();
    let mut base = now_ns;
    // An absolute date (and maybe a time) first.
    if let Some(first) = words.first().copied() {
        if first.contains('-') && first.len() >= 8 && first.starts_with(|c: char| c.is_ascii_digit()) {
            let mut candidate = first.to_uppercase();
            let mut used = 1;
            if let Some(time) = words.get(1).filter(|w| w.contains(':')) {
                candidate = format!("{candidate}T{}", time.to_uppercase());
                used = 2;
            }
            base = (parse_iso8601(&candidate)? * 1e9).round() as i128;
            words.drain(..used);
        }
    }
    let day_ns = i128::from(DAY_SECONDS) * 1_000_000_000;
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        i += 1;
        match word {
            "now" => continue,
            "today" => continue,
            "yesterday" => {
                base -= day_ns;
                continue;
            }
            "tomorrow" => {
                base += day_ns;
                continue;
            }
            _ => {}
        }
        // `-5 minutes`, `- 5 minutes`, `5minutes`, `minute` (one).
        let (sign, rest) = match word.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, word.strip_prefix('+').unwrap_or(word)),
        };
        let (amount, unit) = if rest.is_empty() {
            let number: i128 = words.get(i)?.parse().ok()?;
            i += 1;
            let unit = words.get(i).copied()?;
            i += 1;
            (number, unit)
        } else {
            let digits_end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
            if digits_end == 0 {
                (1, rest)
            } else if digits_end == rest.len() {
                let unit = words.get(i).copied()?;
                i += 1;
                (rest.parse().ok()?, unit)
            } else {
                (rest[..digits_end].parse().ok()?, &rest[digits_end..])
            }
        };
        let seconds: i128 = match unit.trim_end_matches('s') {
            "sec" | "second" => 1,
            "min" | "minute" => 60,
            "hour" => 3600,
            "day" => i128::from(DAY_SECONDS),
            "week" => 604_800,
            "fortnight" => 1_209_600,
            _ => return None,
        };
        let mut delta = sign * amount * seconds * 1_000_000_000;
        if words.get(i) == Some(&"ago") {
            delta = -delta;
            i += 1;
        }
        base += delta;
    }
    Some(base)
}

/// `date`.
pub fn date(args: &[String], io: &mut UtilIo<'_>) -> i32 {
    let specs = [
        opt('u', "utc", false),
        opt('u', "universal", false),
        opt('d', "date", true),
        opt('R', "rfc-email", false),
        long('3', "rfc-3339", true),
        long('I', "iso-8601", false),
    ];
    // `-I` takes an optional attached value (`-Iseconds`), which getopt cannot say: peel it off.
    let mut iso: Option<String> = None;
    let mut words = Vec::new();
    for arg in args {
        if let Some(spec) = arg.strip_prefix("-I").or_else(|| arg.strip_prefix("--iso-8601")) {
            iso = Some(spec.trim_start_matches('=').to_string());
        } else {
            words.push(arg.clone());
        }
    }
    let parsed = match opts::parse("date", &words, &specs) {
        Ok(parsed) => parsed,
        Err(message) => return io.usage("date", &message, 1),
    };
    let now_ns = i128::from(io.now_ms) * 1_000_000;
    let when = match parsed.value('d') {
        None => now_ns,
        Some(text) => match parse_date(text, now_ns) {
            Some(when) => when,
            None => {
                io.stderr.push_str(&format!("date: invalid date ‘{text}’\n"));
                return 1;
            }
        },
    };
    let mut format = "%a %b %e %H:%M:%S %Z %Y".to_string();
    let mut formats = 0;
    for operand in &parsed.operands {
        match operand.strip_prefix('+') {
            Some(f) if formats == 0 => {
                format = f.to_string();
                formats += 1;
            }
            _ => {
                return io.usage("date", &format!("date: extra operand ‘{operand}’"), 1);
            }
        }
    }
    if let Some(spec) = iso {
        format = match spec.as_str() {
            "" | "date" => "%Y-%m-%d",
            "hours" => "%Y-%m-%dT%H%:z",
            "minutes" => "%Y-%m-%dT%H:%M%:z",
            "seconds" => "%Y-%m-%dT%H:%M:%S%:z",
            "ns" => "%Y-%m-%dT%H:%M:%S,%N%:z",
            other => {
                io.stderr.push_str(&format!("date: invalid argument ‘{other}’ for ‘--iso-8601’\n"));
                return 1;
            }
        }
        .to_string();
    } else if parsed.has('R') {
        format = "%a, %d %b %Y %H:%M:%S %z".into();
    } else if let Some(spec) = parsed.value('3') {
        format = match spec {
            "date" => "%Y-%m-%d",
            "seconds" => "%Y-%m-%d %H:%M:%S%:z",
            "ns" => "%Y-%m-%d %H:%M:%S.%N%:z",
            other => {
                io.stderr.push_str(&format!("date: invalid argument ‘{other}’ for ‘--rfc-3339’\n"));
                return 1;
            }
        }
        .to_string();
    }
    io.stdout.push_str(&strftime(&format, &breakdown(when)));
    io.stdout.push('\n');
    0
}
