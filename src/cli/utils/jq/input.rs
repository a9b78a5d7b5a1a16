//! Reading the input: a stream of JSON texts, converted to jaq's values, with parse errors
//! located and worded as jq 1.6 words them. Separate because serde_json reads one value at a
//! time and says nothing of where a stream's bad text starts.

use jaq_json::Val;
use serde_json::Value;

/// A JSON value as jaq's.
pub(super) fn to_val(value: &Value) -> Val {
    match value {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::from(*b),
        Value::Number(n) => match n.as_i64().and_then(|i| isize::try_from(i).ok()) {
            Some(i) => Val::from(i),
            None => Val::from(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Val::from(s.clone()),
        Value::Array(items) => items.iter().map(to_val).collect(),
        Value::Object(map) => Val::obj(map.iter().map(|(k, v)| (Val::from(k.clone()), to_val(v))).collect()),
    }
}

/// A parse failure of the input, as jq words it.
pub(super) struct ParseError {
    pub(super) message: String,
}

/// The JSON texts of an input, each with the byte offset where it ends.
pub(super) fn parse_stream(text: &str) -> Result<Vec<(Value, usize)>, ParseError> {
    let mut values = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    loop {
        match stream.next() {
            None => return Ok(values),
            Some(Ok(value)) => values.push((value, stream.byte_offset())),
            Some(Err(error)) => {
                if let Some(message) = invalid_literal(text, &error) {
                    return Err(ParseError { message });
                }
                let what = if error.is_eof() {
                    "Unfinished JSON term at EOF".to_string()
                } else {
                    let text = error.to_string();
                    let reason = text.split(" at line ").next().unwrap_or(&text).to_string();
                    match reason.as_str() {
                        "expected value" => "Invalid numeric literal".to_string(),
                        "trailing characters" => "Expected separator between values".to_string(),
                        other => other.to_string(),
                    }
                };
                return Err(ParseError {
                    message: format!("{what} at line {}, column {}", error.line(), error.column()),
                });
            }
        }
    }
}

/// jq's message for a bare word (`not json`, `tru`, `abc`): it reads the whole word and
/// reports where the character after it was consumed.
pub(super) fn invalid_literal(text: &str, error: &serde_json::Error) -> Option<String> {
    let reason = error.to_string();
    if !reason.starts_with("expected ident") && !reason.starts_with("expected value") {
        return None;
    }
    // serde's 1-based line and column of the offending character.
    let line_start: usize =
        text.split_inclusive('\n').take(error.line().saturating_sub(1)).map(str::len).sum();
    let mut at = (line_start + error.column().saturating_sub(1)).min(text.len());
    let is_word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+');
    // serde may point at the blank after the word (`tru\n` fails at the newline).
    while at > 0
        && !text[at..].starts_with(is_word)
        && text[..at].ends_with(|c: char| c.is_whitespace() || is_word(c))
    {
        if text[..at].ends_with(is_word) {
            break;
        }
        at -= text[..at].chars().next_back().map_or(1, char::len_utf8);
    }
    if !text[at..].starts_with(is_word) {
        at = text[..at].char_indices().next_back().filter(|(_, c)| is_word(*c)).map_or(at, |(i, _)| i);
    }
    let start = text[..at].rfind(|c: char| !is_word(c)).map_or(0, |i| i + 1);
    let first = text[start..].chars().next()?;
    if !is_word(first) {
        return None;
    }
    let end = text[start..].find(|c: char| !is_word(c)).map_or(text.len(), |i| start + i);
    let kind = if matches!(first, 't' | 'f' | 'n') { "Invalid literal" } else { "Invalid numeric literal" };
    let line = text[..end].matches('\n').count() + 1;
    let column = end - text[..end].rfind('\n').map_or(0, |i| i + 1);
    Some(match text[end..].chars().next() {
        None => format!("{kind} at EOF at line {line}, column {column}"),
        Some('\n') => format!("{kind} at line {}, column 0", line + 1),
        Some(_) => format!("{kind} at line {line}, column {}", column + 1),
    })
}

/// jq 1.6 reads its input line by line: an error's location is the number of lines read when
/// the value ended (the line holding its last character counts when it is complete).
pub(super) fn location(text: &str, end: usize) -> usize {
    let upto = match text[end.saturating_sub(1)..].find('\n') {
        Some(k) => end.saturating_sub(1) + k + 1,
        None => text.len(),
    };
    text[..upto].bytes().filter(|b| *b == b'\n').count()
}
