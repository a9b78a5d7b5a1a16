//! Printing values as jq 1.6 prints them: 2-space indent, keys in input order, `-r`, `-j`, `-a`,
//! `-c`, `-S`, and jq's number text. Separate because that text (the shortest digits that read
//! back, in exponent form only far from the decimal point) follows jq, not Rust's formatter.

use super::options::Format;
use jaq_json::{Num, Val};

pub(super) fn number_f64(n: &Num) -> f64 {
    match n {
        Num::Int(i) => *i as f64,
        Num::Float(f) => *f,
        other => other.to_string().parse().unwrap_or(f64::NAN),
    }
}

/// jq 1.6's number text: the shortest digits that read back, in exponent form when the decimal
/// point would sit more than 15 places past them or 4 places before them.
pub(super) fn format_number(f: f64) -> String {
    if f.is_nan() {
        return "null".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "1.7976931348623157e+308".into() } else { "-1.7976931348623157e+308".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let sign = if f < 0.0 { "-" } else { "" };
    let scientific = format!("{:e}", f.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let count = digits.len() as i32;
    let point = exponent + 1;
    let body = if point <= -4 || point > count + 15 {
        let mut out = digits[..1].to_string();
        if count > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push_str(&format!("e{}{:02}", if exponent < 0 { '-' } else { '+' }, exponent.abs()));
        out
    } else if point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else if point >= count {
        format!("{digits}{}", "0".repeat((point - count) as usize))
    } else {
        format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
    };
    format!("{sign}{body}")
}

pub(super) fn string_text(value: &Val) -> String {
    match value {
        Val::TStr(bytes) | Val::BStr(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        _ => String::new(),
    }
}

pub(super) fn push_string(out: &mut String, text: &str, ascii: bool) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if ascii && !c.is_ascii() => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

pub(super) fn compact(value: &Val) -> String {
    let mut out = String::new();
    write_json(
        value,
        &Format { indent: None, raw: false, join: false, ascii: false, sort_keys: false },
        0,
        &mut out,
    );
    out
}

pub(super) fn write_json(value: &Val, format: &Format, depth: usize, out: &mut String) {
    let newline = |out: &mut String, depth: usize| {
        if let Some(unit) = &format.indent {
            out.push('\n');
            for _ in 0..depth {
                out.push_str(unit);
            }
        }
    };
    match value {
        Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Num(n) => out.push_str(&format_number(number_f64(n))),
        Val::TStr(_) | Val::BStr(_) => push_string(out, &string_text(value), format.ascii),
        Val::Arr(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write_json(item, format, depth + 1, out);
            }
            newline(out, depth);
            out.push(']');
        }
        Val::Obj(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            let mut entries: Vec<(String, &Val)> = map
                .iter()
                .map(|(k, v)| {
                    let key = match k {
                        Val::TStr(_) | Val::BStr(_) => string_text(k),
                        other => compact(other),
                    };
                    (key, v)
                })
                .collect();
            if format.sort_keys {
                entries.sort_by(|a, b| a.0.cmp(&b.0));
            }
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                push_string(out, &key, format.ascii);
                out.push(':');
                if format.indent.is_some() {
                    out.push(' ');
                }
                write_json(item, format, depth + 1, out);
            }
            newline(out, depth);
            out.push('}');
        }
    }
}

pub(super) fn print_value(value: &Val, format: &Format, out: &mut String) {
    match value {
        Val::TStr(_) | Val::BStr(_) if format.raw => out.push_str(&string_text(value)),
        other => write_json(other, format, 0, out),
    }
    if !format.join {
        out.push('\n');
    }
}
