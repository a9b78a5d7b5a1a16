//! `seq [-s SEP] [-w] [FIRST [INCR]] LAST`: numbers counted exactly, as scaled integers, so
//! `seq 0.1 0.1 0.3` ends at 0.3 as GNU seq's long doubles do.

use super::opts::{self, opt};
use super::UtilIo;

/// A decimal as digits scaled by 10^scale.
fn parse_decimal(text: &str) -> Option<(i128, u32)> {
    let trimmed = text.trim_start_matches('+');
    if let Some((mantissa, exponent)) = trimmed.split_once(['e', 'E']) {
        let (digits, scale) = parse_decimal(mantissa)?;
        let exponent: i32 = exponent.parse().ok()?;
        let shift = exponent - scale as i32;
        if !(-18..=18).contains(&shift) {
            return None;
        }
        return if shift >= 0 {
            Some((digits.checked_mul(10i128.pow(shift as u32))?, 0))
        } else {
            Some((digits, (-shift) as u32))
        };
    }
    let (negative, body) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
    if (whole.is_empty() && fraction.is_empty())
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || fraction.len() > 18
        || whole.len() > 30
    {
        return None;
    }
    let digits: i128 = format!("{whole}{fraction}").parse().ok()?;
    Some((if negative { -digits } else { digits }, fraction.len() as u32))
}

fn format_scaled(value: i128, scale: u32) -> String {
    if scale == 0 {
        return value.to_string();
    }
    let sign = if value < 0 { "-" } else { "" };
    let magnitude = value.unsigned_abs();
    let divisor = 10u128.pow(scale);
    format!("{sign}{}.{:0width$}", magnitude / divisor, magnitude % divisor, width = scale as usize)
}

/// `seq`.
pub fn seq(args: &[String], io: &mut UtilIo<'_>) -> i32 {
    // A negative number is an operand, not an option.
    let (option_words, numbers): (Vec<String>, Vec<String>) = {
        let mut options = Vec::new();
        let mut numbers = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            let numeric = a.starts_with('-') && a[1..].starts_with(|c: char| c.is_ascii_digit() || c == '.');
            if a.starts_with('-') && a.len() > 1 && !numeric && numbers.is_empty() {
                options.push(a.clone());
                if (a == "-s" || a == "-f") && i + 1 < args.len() {
                    options.push(args[i + 1].clone());
                    i += 1;
                }
            } else {
                numbers.push(a.clone());
            }
            i += 1;
        }
        (options, numbers)
    };
    let specs = [opt('s', "separator", true), opt('w', "equal-width", false)];
    let parsed = match opts::parse("seq", &option_words, &specs) {
        Ok(parsed) => parsed,
        Err(message) => return io.usage("seq", &message, 1),
    };
    if numbers.is_empty() {
        return io.usage("seq", "seq: missing operand", 1);
    }
    if numbers.len() > 3 {
        return io.usage("seq", &format!("seq: extra operand ‘{}’", numbers[3]), 1);
    }
    let mut parsed_numbers = Vec::new();
    for n in &numbers {
        match parse_decimal(n) {
            Some(value) => parsed_numbers.push(value),
            None => return io.usage("seq", &format!("seq: invalid floating point argument: ‘{n}’"), 1),
        }
    }
    let (first, incr, last) = match parsed_numbers.as_slice() {
        [last] => ((1, 0), (1, 0), *last),
        [first, last] => (*first, (1, 0), *last),
        [first, incr, last] => (*first, *incr, *last),
        _ => return io.usage("seq", "seq: missing operand", 1),
    };
    // The output precision is FIRST's and INCR's (not LAST's), as GNU seq prints.
    let scale = first.1.max(incr.1);
    let comparison_scale = scale.max(last.1);
    let rescale = |(digits, s): (i128, u32), to: u32| digits.saturating_mul(10i128.pow(to - s));
    let (first_v, incr_v, last_v) =
        (rescale(first, comparison_scale), rescale(incr, comparison_scale), rescale(last, comparison_scale));
    if incr_v == 0 {
        let text = &numbers[1];
        return io.usage("seq", &format!("seq: invalid Zero increment value: ‘{text}’"), 1);
    }
    let step_down = 10i128.pow(comparison_scale - scale);
    let separator = parsed.value('s').unwrap_or("\n").to_string();
    let mut values = Vec::new();
    let mut value = first_v;
    while (incr_v > 0 && value <= last_v) || (incr_v < 0 && value >= last_v) {
        values.push(format_scaled(value / step_down, scale));
        if values.len() > 1_000_000 {
            io.stderr.push_str("seq: the console stops at a million numbers\n");
            return 1;
        }
        value += incr_v;
    }
    if parsed.has('w') {
        let width = values.iter().map(String::len).max().unwrap_or(0);
        for v in &mut values {
            *v = match v.strip_prefix('-') {
                Some(digits) => format!("-{digits:0>w$}", w = width - 1),
                None => format!("{v:0>width$}"),
            };
        }
    }
    if !values.is_empty() {
        io.stdout.push_str(&values.join(&separator));
        io.stdout.push('\n');
    }
    0
}
