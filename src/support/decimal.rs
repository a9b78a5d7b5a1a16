//! Decimal text to `f64`, with exactly `str::parse::<f64>`'s grammar and value.
//!
//! Why not `str::parse` everywhere: std's correctly rounded parser brings a 20 KB table of powers of
//! five into the wasm bundle, which compresses badly (release wasm size). In the browser,
//! JavaScript's `parseFloat` is also correctly rounded, so the bundle uses it for the value after
//! checking std's grammar here; natively, std parses. Both give the nearest `f64` to the decimal
//! number, so the results are identical (tests/browser/cross_platform.rs checks it in Chromium).

/// `text` as `f64` if `text.parse::<f64>()` accepts it, with the same value: an optional sign,
/// then `inf`, `infinity` or `nan` (any case), or digits with an optional `.` (at least one digit
/// in all) and an optional exponent (`e` or `E`, optional sign, at least one digit). No
/// surrounding whitespace.
pub fn parse_f64(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let special = if unsigned.eq_ignore_ascii_case("inf") || unsigned.eq_ignore_ascii_case("infinity") {
        Some(f64::INFINITY)
    } else if unsigned.eq_ignore_ascii_case("nan") {
        Some(f64::NAN)
    } else {
        None
    };
    if let Some(value) = special {
        return Some(if text.starts_with('-') { -value } else { value });
    }
    if !is_decimal(unsigned) {
        return None;
    }
    Some(decimal_value(text))
}

/// `digits [. digits] [(e|E) [+|-] digits]`, with at least one mantissa digit.
fn is_decimal(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |from: usize| bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut at = digits(0);
    let mut mantissa_digits = at;
    if bytes.get(at) == Some(&b'.') {
        let fraction = digits(at + 1);
        mantissa_digits += fraction;
        at += 1 + fraction;
    }
    if mantissa_digits == 0 {
        return false;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let exponent = digits(at);
        if exponent == 0 {
            return false;
        }
        at += exponent;
    }
    at == bytes.len()
}

#[cfg(target_arch = "wasm32")]
fn decimal_value(text: &str) -> f64 {
    js_sys::parse_float(text)
}

#[cfg(not(target_arch = "wasm32"))]
fn decimal_value(text: &str) -> f64 {
    text.parse().unwrap_or(f64::NAN)
}

/// Why [`parse_f64`] and `str::parse::<f64>` disagree on `text`, or None when they agree (same
/// bits, or both NaN, or both refuse it). The native unit test and the browser test check the same
/// texts through this one comparison, so both hold the parser to the same rule.
pub fn disagreement_with_std(text: &str) -> Option<String> {
    let (ours, std) = (parse_f64(text), text.parse::<f64>().ok());
    let agree = match (ours, std) {
        (Some(a), Some(b)) if a.is_nan() || b.is_nan() => a.is_nan() && b.is_nan(),
        (a, b) => a.map(f64::to_bits) == b.map(f64::to_bits),
    };
    (!agree).then(|| format!("{text:?}: parse_f64 {ours:?} vs str::parse {std:?}"))
}

#[cfg(test)]
mod tests {
    use super::disagreement_with_std;

    #[test]
    fn accepts_and_refuses_what_std_does() {
        let texts = [
            "0",
            "1",
            "-1",
            "+1",
            "1.",
            ".5",
            "-.5",
            "1.5e3",
            "1E3",
            "1e+3",
            "1e-3",
            "2.5E-3",
            "00012",
            "0.1",
            "inf",
            "-INF",
            "Infinity",
            "+infinity",
            "nan",
            "NaN",
            "-nan",
            "1e400",
            "1e-400",
            "123456789012345678901234567890",
            "0.30000000000000004",
            "",
            "+",
            "-",
            ".",
            "e5",
            "1e",
            "1e+",
            "1.2.3",
            " 1",
            "1 ",
            "1_000",
            "0x10",
            "infinit",
            "nana",
            "1e5x",
            "--1",
            "+-1",
            "١",
        ];
        let disagreements: Vec<String> =
            texts.iter().filter_map(|text| disagreement_with_std(text)).collect();
        assert!(disagreements.is_empty(), "{disagreements:#?}");
    }
}
