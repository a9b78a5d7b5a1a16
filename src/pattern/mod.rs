//! EventBridge event patterns: parse a pattern once, then test events against it.
//!
//! The semantics follow Amazon EventBridge (AWS: EventBridge event patterns, content filtering)
//! and its matching library `aws/event-ruler`:
//!
//! - A pattern is a JSON object mirroring the event. Every field it names must match (AND); a field's
//!   value is an array of alternatives (OR); fields it does not name are ignored.
//! - Literals match exactly and case-sensitively: strings, numbers (numerically: `5` = `5.0`),
//!   `true`, `false`, `null`, and the empty string.
//! - When the event holds an array, the field matches if any element matches. Arrays of objects are
//!   flattened, but fields matched together must come from the same array element (event-ruler's
//!   array-consistent `rulesForJSONEvent`).
//! - Operators: `prefix`, `suffix` (both also `{"equals-ignore-case": …}`), `equals-ignore-case`,
//!   `wildcard` (`*`, `\*`, `\\`, no `**`), `anything-but` (string, number, list of either,
//!   `prefix`, `suffix`, `equals-ignore-case`, `wildcard`), `numeric` (`=`, `<`, `<=`, `>`, `>=`,
//!   bounds within ±5.0e9, compared to six decimals), `cidr` (IPv4 and IPv6), `exists`, `exact`, and
//!   `$or` across fields (at least two branches, none naming an operator as a field).
//! - `exists` applies to leaf values only: a field whose value is an object or an empty array counts as
//!   absent. Our choice where AWS is silent: inside an array of objects, `exists: false` is decided per
//!   element, consistently with the array rule above; event-ruler's result there depends on the order of its
//!   keys.
//! - `anything-but X` accepts a present leaf value that `X` would not accept, whatever its type (a
//!   number passes `{"anything-but": "x"}`), as event-ruler's byte-level matching does.
//!
//! Invalid patterns are refused with a [`PatternError`] naming the offending path, the way EventBridge
//! answers `InvalidEventPatternException` (the API converts it: `AwsError::from`). Parsing and
//! matching never panic and never recurse deeper than [`MAX_PATTERN_DEPTH`] levels of pattern
//! objects, whatever the input. It imports only `support`, so every layer may use it.
//!
//! ## Why not the `quamina` crate
//!
//! `quamina` 0.7.0 (crates.io, a Rust port of Tim Bray's quamina) was evaluated first. It covers exact
//! values, prefix, suffix, wildcard, plain anything-but (strings or numbers), equals-ignore-case, numeric,
//! cidr, exists and array-consistent matching, but not `$or`, not anything-but with `prefix`, `suffix`,
//! `equals-ignore-case` or `wildcard`, and not `prefix`/`suffix` with `equals-ignore-case` — all documented
//! EventBridge operators. Its errors do not name the offending field, and it brings six dependencies
//! (parking_lot, arc-swap, memchr, smallvec, rustc-hash, fast-float2) built for many patterns matched
//! concurrently, while we match a handful of patterns against a simulated stream. So this module is our own,
//! small direct matcher over `serde_json::Value`.

mod matcher;

use crate::support::json::kind as json_kind;
use matcher::{parse_matcher, Matcher, OPERATOR_NAMES};
use serde_json::{Map, Value};
use std::fmt;
use std::str::FromStr;

/// How many pattern objects may nest inside each other (`$or` branches count as a level). Our choice:
/// AWS documents no figure; real patterns rarely pass five levels, and a bound keeps hostile input from
/// exhausting the stack.
pub const MAX_PATTERN_DEPTH: usize = 32;

/// The key that introduces alternatives across fields.
const OR_KEY: &str = "$or";

/// A parsed EventBridge event pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct EventPattern {
    root: ObjectPattern,
}

/// A pattern object: all its fields must match, and one branch of each `$or`.
#[derive(Debug, Clone, PartialEq)]
struct ObjectPattern {
    fields: Vec<(String, FieldPattern)>,
    any_of: Vec<Vec<ObjectPattern>>,
}

#[derive(Debug, Clone, PartialEq)]
enum FieldPattern {
    /// A value array: any matcher may accept any leaf value of the field.
    Leaf(Vec<Matcher>),
    /// A nested object pattern, matched against the field's object (or one element of its array).
    Nested(ObjectPattern),
}

/// Why a pattern was refused: the JSON path of the offending part and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// Dotted path into the pattern, with `[i]` for array elements (`detail.count[0].numeric`); empty
    /// for the pattern as a whole.
    pub path: String,
    pub reason: String,
}

impl PatternError {
    fn new(path: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { path: path.into(), reason: reason.into() }
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "Event pattern is not valid. Reason: {}", self.reason)
        } else {
            write!(f, "Event pattern is not valid. Reason: at {}: {}", self.path, self.reason)
        }
    }
}

impl std::error::Error for PatternError {}

impl EventPattern {
    /// Parses a pattern from its JSON text.
    pub fn parse(text: &str) -> Result<Self, PatternError> {
        // serde_json refuses input nested deeper than 128 levels with an error, so hostile
        // nesting cannot overflow the stack here either.
        let value: Value = serde_json::from_str(text)
            .map_err(|error| PatternError::new("", format!("pattern is not valid JSON: {error}")))?;
        Self::from_value(&value)
    }

    /// Parses a pattern that is already JSON.
    pub fn from_value(value: &Value) -> Result<Self, PatternError> {
        match value {
            Value::Object(object) => Ok(Self { root: parse_object(object, "", 1, false)? }),
            other => Err(PatternError::new(
                "",
                format!("the pattern must be a JSON object, found {}", json_kind(other)),
            )),
        }
    }

    /// Whether the event matches. Anything that is not a JSON object matches only patterns made of
    /// `exists: false` alone, as an event without fields would.
    pub fn matches(&self, event: &Value) -> bool {
        self.root.matches(event.as_object())
    }

    /// The events that match, in their order.
    pub fn filter<'e>(&self, events: impl IntoIterator<Item = &'e Value>) -> Vec<&'e Value> {
        events.into_iter().filter(|event| self.matches(event)).collect()
    }
}

impl FromStr for EventPattern {
    type Err = PatternError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

fn child_path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

fn parse_object(
    object: &Map<String, Value>,
    path: &str,
    depth: usize,
    inside_or: bool,
) -> Result<ObjectPattern, PatternError> {
    if depth > MAX_PATTERN_DEPTH {
        return Err(PatternError::new(
            path,
            format!(
                "pattern is nested too deeply: at most {MAX_PATTERN_DEPTH} levels of objects are allowed"
            ),
        ));
    }
    if object.is_empty() {
        return Err(PatternError::new(path, "empty objects are not allowed"));
    }
    let mut pattern = ObjectPattern { fields: Vec::new(), any_of: Vec::new() };
    for (key, value) in object {
        let here = child_path(path, key);
        if key == OR_KEY {
            pattern.any_of.push(parse_or(value, &here, depth)?);
            continue;
        }
        if inside_or && OPERATOR_NAMES.contains(&key.as_str()) {
            return Err(PatternError::new(
                &here,
                format!("{key:?} is a reserved operator name and cannot be used as a field name inside $or"),
            ));
        }
        let field = match value {
            Value::Object(inner) => FieldPattern::Nested(parse_object(inner, &here, depth + 1, inside_or)?),
            Value::Array(items) => FieldPattern::Leaf(parse_value_array(items, &here)?),
            other => {
                return Err(PatternError::new(
                    &here,
                    format!(
                        "{key:?} must be an object or an array, found {}; wrap values in an array, e.g. [{other}]",
                        json_kind(other)
                    ),
                ))
            }
        };
        pattern.fields.push((key.clone(), field));
    }
    Ok(pattern)
}

fn parse_or(value: &Value, path: &str, depth: usize) -> Result<Vec<ObjectPattern>, PatternError> {
    let Value::Array(branches) = value else {
        return Err(PatternError::new(
            path,
            format!("$or must be an array of objects, found {}", json_kind(value)),
        ));
    };
    if branches.len() < 2 {
        return Err(PatternError::new(
            path,
            format!("$or needs at least 2 objects, found {}", branches.len()),
        ));
    }
    branches
        .iter()
        .enumerate()
        .map(|(index, branch)| {
            let here = format!("{path}[{index}]");
            match branch {
                Value::Object(object) => parse_object(object, &here, depth + 1, true),
                other => Err(PatternError::new(
                    here,
                    format!("only JSON objects are allowed in a $or array, found {}", json_kind(other)),
                )),
            }
        })
        .collect()
}

fn parse_value_array(items: &[Value], path: &str) -> Result<Vec<Matcher>, PatternError> {
    if items.is_empty() {
        return Err(PatternError::new(
            path,
            "empty arrays are not allowed: list at least one value to match",
        ));
    }
    items.iter().enumerate().map(|(index, item)| parse_matcher(item, &format!("{path}[{index}]"))).collect()
}

impl ObjectPattern {
    /// `object` is `None` when the event has no object here: only absence patterns can then match.
    fn matches(&self, object: Option<&Map<String, Value>>) -> bool {
        self.fields.iter().all(|(key, field)| {
            let value = object.and_then(|o| o.get(key));
            match field {
                FieldPattern::Leaf(matchers) => leaf_matches(matchers, value),
                FieldPattern::Nested(nested) => {
                    let contexts = objects_in(value);
                    if contexts.is_empty() {
                        nested.matches(None)
                    } else {
                        contexts.into_iter().any(|context| nested.matches(Some(context)))
                    }
                }
            }
        }) && self.any_of.iter().all(|branches| branches.iter().any(|branch| branch.matches(object)))
    }
}

fn leaf_matches(matchers: &[Matcher], value: Option<&Value>) -> bool {
    let leaves = leaves_in(value);
    if leaves.is_empty() {
        return matchers.contains(&Matcher::Exists(false));
    }
    matchers.iter().any(|matcher| match matcher {
        Matcher::Exists(present) => *present,
        other => leaves.iter().any(|leaf| other.accepts(leaf)),
    })
}

/// The leaf values of a field, looking through nested arrays. Iterative, so an event built in code
/// with arbitrarily nested arrays cannot exhaust the stack.
fn leaves_in(value: Option<&Value>) -> Vec<&Value> {
    let mut leaves = Vec::new();
    flatten_arrays(value, |v| {
        if !v.is_object() {
            leaves.push(v);
        }
    });
    leaves
}

/// The objects a nested pattern may match against: the field's object, or the objects among its
/// (nested) array elements.
fn objects_in(value: Option<&Value>) -> Vec<&Map<String, Value>> {
    let mut objects = Vec::new();
    flatten_arrays(value, |v| {
        if let Value::Object(object) = v {
            objects.push(object);
        }
    });
    objects
}

fn flatten_arrays<'v>(value: Option<&'v Value>, mut visit: impl FnMut(&'v Value)) {
    let mut pending: Vec<&'v Value> = value.into_iter().collect();
    while let Some(next) = pending.pop() {
        match next {
            // Reverse so elements are visited in document order.
            Value::Array(items) => pending.extend(items.iter().rev()),
            other => visit(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_operator_name_is_an_ordinary_field_outside_or() {
        let pattern = EventPattern::parse(r#"{"detail": {"prefix": ["x"]}}"#).unwrap();
        assert!(pattern.matches(&json!({"detail": {"prefix": "x"}})));
        assert!(!pattern.matches(&json!({"detail": {"prefix": "y"}})));
    }
}
