//! jaq's runtime errors reworded into jq 1.6's texts (indexing, iterating, arithmetic on the
//! wrong types, `error(...)`), which scripts match on. Separate because the rewording is a table
//! of jq's phrasings, read and extended on its own.

use super::print::{compact, string_text};
use jaq_core::Error as JaqError;
use jaq_json::Val;
use serde_json::Value;

/// jq's wording of a runtime error.
pub(super) fn runtime_error(error: &JaqError<Val>, at: &str) -> String {
    let text = error.to_string();
    let prefix = format!("jq: error (at {at})");
    // `error(v)`: a string is the message; anything else is shown as JSON.
    let value = error.clone().into_val();
    if !text.starts_with("cannot ") {
        return match &value {
            Val::TStr(_) | Val::BStr(_) => format!("{prefix}: {}\n", string_text(&value)),
            other => format!("{prefix} (not a string): {}\n", compact(other)),
        };
    }
    format!("{prefix}: {}\n", reword(&text))
}

/// Rewords jaq's `cannot index 1 with "a"`, `cannot use null as iterable` and
/// `cannot calculate {} + 1` into jq's sentences.
pub(super) fn reword(text: &str) -> String {
    let typed = |json: &str| -> (String, String) {
        match serde_json::from_str::<Value>(json) {
            Ok(value) => {
                (type_name(&value).to_string(), truncate(&serde_json::to_string(&value).unwrap_or_default()))
            }
            Err(_) => ("value".into(), truncate(json)),
        }
    };
    if let Some(rest) = text.strip_prefix("cannot index ") {
        if let Some((target, key)) = split_top_level(rest, " with ") {
            let (kind, _) = typed(target);
            let key_text = match serde_json::from_str::<Value>(key) {
                Ok(Value::String(s)) => format!("string \"{s}\""),
                Ok(value) => type_name(&value).to_string(),
                Err(_) => key.to_string(),
            };
            return format!("Cannot index {kind} with {key_text}");
        }
    }
    if let Some(rest) = text.strip_prefix("cannot use ") {
        if let Some((target, _)) = split_top_level(rest, " as iterable") {
            let (kind, shown) = typed(target);
            return format!("Cannot iterate over {kind} ({shown})");
        }
    }
    if let Some(rest) = text.strip_prefix("cannot calculate ") {
        for (op, verb) in [
            (" + ", "added"),
            (" - ", "subtracted"),
            (" * ", "multiplied"),
            (" / ", "divided"),
            (" % ", "divided (remainder)"),
        ] {
            if let Some((left, right)) = split_top_level(rest, op) {
                let (lk, ls) = typed(left);
                let (rk, rs) = typed(right);
                return format!("{lk} ({ls}) and {rk} ({rs}) cannot be {verb}");
            }
        }
    }
    text.to_string()
}

/// Splits at the first `sep` outside JSON strings and brackets.
pub(super) fn split_top_level<'t>(text: &'t str, sep: &str) -> Option<(&'t str, &'t str)> {
    let mut depth = 0i32;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => depth += 1,
            ']' | '}' => depth -= 1,
            _ if depth == 0 && text[i..].starts_with(sep) => {
                return Some((&text[..i], &text[i + sep.len()..]))
            }
            _ => {}
        }
    }
    None
}

pub(super) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// jq shows at most 14 characters of a value in a message: 11 and `...` when longer.
pub(super) fn truncate(text: &str) -> String {
    if text.len() <= 14 {
        return text.to_string();
    }
    let mut end = 11;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}
