//! awk's one value type, a string that may also be a number, and how numbers become text
//! (`CONVFMT`-style output, `printf`/`sprintf` formats). Kept apart because every other part
//! converts through it, and its rules (what looks numeric, `%g`'s trimming) are C's, not Rust's.

#[derive(Debug, Clone)]
pub(super) enum Value {
    Num(f64),
    Str(String),
    /// Input text (fields, `-v` values): compares as a number when it looks like one.
    StrNum(String),
}

pub(super) fn looks_numeric(text: &str) -> Option<f64> {
    let trimmed = text.trim_matches([' ', '\t', '\n']);
    if trimmed.is_empty() {
        return None;
    }
    let (value, used) = leading_number(trimmed);
    (used == trimmed.len()).then_some(value)
}

/// strtod's prefix: the number a string starts with and how many bytes it used.
pub(super) fn leading_number(text: &str) -> (f64, usize) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t' || bytes[i] == b'\n') {
        i += 1;
    }
    let start = i;
    if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
        i += 1;
    }
    let digits_start = i;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i == digits_start || (i == digits_start + 1 && bytes[digits_start] == b'.') {
        return (0.0, 0);
    }
    let mut end = i;
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        let mut j = i + 1;
        if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
            j += 1;
        }
        let exp_digits = j;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        if j > exp_digits {
            end = j;
        }
    }
    (text[start..end].parse().unwrap_or(0.0), end)
}

impl Value {
    pub(super) fn num(&self) -> f64 {
        match self {
            Value::Num(n) => *n,
            Value::Str(s) | Value::StrNum(s) => leading_number(s).0,
        }
    }

    pub(super) fn str(&self) -> String {
        match self {
            Value::Num(n) => number_text(*n),
            Value::Str(s) | Value::StrNum(s) => s.clone(),
        }
    }

    pub(super) fn truthy(&self) -> bool {
        match self {
            Value::Num(n) => *n != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::StrNum(s) => match looks_numeric(s) {
                Some(n) => n != 0.0,
                None => !s.is_empty(),
            },
        }
    }

    /// Numeric for comparisons: numbers, and input text that looks like a number.
    pub(super) fn numeric(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            Value::Str(_) => None,
            Value::StrNum(s) => looks_numeric(s),
        }
    }
}

/// An awk number as text: integers as integers, the rest with `%.6g` (CONVFMT/OFMT).
pub(super) fn number_text(n: f64) -> String {
    if n == n.trunc() && n.abs() < 1e16 {
        format!("{}", n as i64)
    } else if n.is_nan() {
        "nan".into()
    } else if n.is_infinite() {
        if n > 0.0 { "inf" } else { "-inf" }.into()
    } else {
        format_g(n, 6, false, false)
    }
}

/// C's `%g` (`%#g` keeps trailing zeros).
pub(super) fn format_g(n: f64, precision: usize, alternate: bool, upper: bool) -> String {
    let precision = precision.max(1);
    if n == 0.0 {
        return if alternate { format!("{:.*}", precision - 1, 0.0) } else { "0".into() };
    }
    let scientific = format!("{:.*e}", precision - 1, n);
    let exponent: i32 = scientific.split_once('e').and_then(|(_, e)| e.parse().ok()).unwrap_or(0);
    let mut text = if exponent < -4 || exponent >= precision as i32 {
        let (mantissa, _) = scientific.split_once('e').unwrap_or((&scientific, ""));
        let mantissa = if alternate { mantissa.to_string() } else { strip_zeros(mantissa) };
        format!("{mantissa}e{}{:02}", if exponent < 0 { '-' } else { '+' }, exponent.abs())
    } else {
        let decimals = (precision as i32 - 1 - exponent).max(0) as usize;
        let fixed = format!("{n:.decimals$}");
        if alternate {
            fixed
        } else {
            strip_zeros(&fixed)
        }
    };
    if upper {
        text = text.to_uppercase();
    }
    text
}

pub(super) fn strip_zeros(text: &str) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text.to_string()
    }
}

/// C's `%e`.
pub(super) fn format_e(n: f64, precision: usize, upper: bool) -> String {
    let scientific = format!("{:.*e}", precision, n);
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let text = format!("{mantissa}e{}{:02}", if exponent < 0 { '-' } else { '+' }, exponent.abs());
    if upper {
        text.to_uppercase()
    } else {
        text
    }
}

/// `printf`/`sprintf`: `%d %i %o %x %X %u %c %s %e %E %f %F %g %G %%` with flags, width and
/// precision (also `*`).
pub(super) fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut args = args.iter();
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        if i < chars.len() && chars[i] == '%' {
            out.push('%');
            i += 1;
            continue;
        }
        let mut flags = String::new();
        while i < chars.len() && "-+ #0".contains(chars[i]) {
            flags.push(chars[i]);
            i += 1;
        }
        let mut number = |i: &mut usize| -> Option<usize> {
            if *i < chars.len() && chars[*i] == '*' {
                *i += 1;
                return Some(args.next().map(|v| v.num()).unwrap_or(0.0).max(0.0) as usize);
            }
            let start = *i;
            while *i < chars.len() && chars[*i].is_ascii_digit() {
                *i += 1;
            }
            (start < *i).then(|| chars[start..*i].iter().collect::<String>().parse().unwrap_or(0))
        };
        let width = number(&mut i);
        let precision = if i < chars.len() && chars[i] == '.' {
            i += 1;
            Some(number(&mut i).unwrap_or(0))
        } else {
            None
        };
        let Some(&conversion) = chars.get(i) else {
            out.push('%');
            out.push_str(&flags);
            break;
        };
        i += 1;
        let arg = args.next().cloned().unwrap_or(Value::Str(String::new()));
        let left = flags.contains('-');
        let zero = flags.contains('0') && !left;
        let sign = |n: f64, body: String| -> String {
            if n < 0.0 || body.starts_with('-') {
                body
            } else if flags.contains('+') {
                format!("+{body}")
            } else if flags.contains(' ') {
                format!(" {body}")
            } else {
                body
            }
        };
        let (body, numeric) = match conversion {
            'd' | 'i' => {
                let n = arg.num().trunc();
                let mut digits = format!("{}", n.abs() as i64);
                if let Some(p) = precision {
                    digits = format!("{digits:0>p$}");
                }
                (sign(n, if n < 0.0 { format!("-{digits}") } else { digits }), precision.is_none())
            }
            'o' => (format!("{:o}", arg.num() as i64), true),
            'x' => (format!("{:x}", arg.num() as i64), true),
            'X' => (format!("{:X}", arg.num() as i64), true),
            'u' => (format!("{}", arg.num().max(0.0) as u64), true),
            'c' => {
                let text = match &arg {
                    Value::Num(n) => char::from_u32(*n as u32).map(String::from).unwrap_or_default(),
                    other => other.str().chars().next().map(String::from).unwrap_or_default(),
                };
                (text, false)
            }
            's' => {
                let mut text = arg.str();
                if let Some(p) = precision {
                    text = text.chars().take(p).collect();
                }
                (text, false)
            }
            'f' | 'F' => {
                let n = arg.num();
                (sign(n, format!("{:.*}", precision.unwrap_or(6), n)), true)
            }
            'e' | 'E' => {
                let n = arg.num();
                (sign(n, format_e(n, precision.unwrap_or(6), conversion == 'E')), true)
            }
            'g' | 'G' => {
                let n = arg.num();
                (sign(n, format_g(n, precision.unwrap_or(6), flags.contains('#'), conversion == 'G')), true)
            }
            other => {
                out.push('%');
                out.push(other);
                continue;
            }
        };
        let width = width.unwrap_or(0);
        let length = body.chars().count();
        if length >= width {
            out.push_str(&body);
        } else if left {
            out.push_str(&body);
            out.push_str(&" ".repeat(width - length));
        } else if zero && numeric {
            let (sign_part, digits) = match body.chars().next() {
                Some(c @ ('-' | '+' | ' ')) => (c.to_string(), body[1..].to_string()),
                _ => (String::new(), body.clone()),
            };
            out.push_str(&sign_part);
            out.push_str(&"0".repeat(width - length));
            out.push_str(&digits);
        } else {
            out.push_str(&" ".repeat(width - length));
            out.push_str(&body);
        }
    }
    out
}
