//! Leaf matchers: what one element of a pattern's value array accepts, and how it is parsed.
//!
//! A leaf value in an event is a JSON string, number, `true`, `false` or `null`. Each matcher answers
//! one question about one such value; the field-level rules (arrays in events, `exists`) live in the
//! parent module.

use super::PatternError;
use serde_json::{Map, Number, Value};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Operator names a pattern may use inside a value array. `$or` branches may not use them as field
/// names (event-ruler's `RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP`).
pub(crate) const OPERATOR_NAMES: [&str; 9] = [
    "anything-but",
    "cidr",
    "equals-ignore-case",
    "exact",
    "exists",
    "numeric",
    "prefix",
    "suffix",
    "wildcard",
];

/// EventBridge's documented numeric limit: comparisons work between -5.0e9 and +5.0e9 inclusive.
const NUMERIC_LIMIT: f64 = 5.0e9;

/// Numbers are compared in millionths, as event-ruler's `ComparableNumber` does ("15 digits of
/// precision, that is 6 digits to the right of the decimal point").
const MICROS_PER_UNIT: f64 = 1.0e6;

/// One element of a pattern's value array.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Matcher {
    /// A literal string, number, `true`, `false` or `null`.
    Exact(Literal),
    Prefix {
        text: String,
        ignore_case: bool,
    },
    Suffix {
        text: String,
        ignore_case: bool,
    },
    /// Stored lower-cased.
    EqualsIgnoreCase(String),
    Wildcard(Wildcard),
    /// Matches a present leaf value that none of the inner matchers accepts.
    AnythingBut(Vec<Matcher>),
    Numeric(NumericRange),
    Cidr(Cidr),
    Exists(bool),
}

impl Matcher {
    /// Whether this matcher accepts one leaf value. `Exists` is decided by the caller, which knows
    /// whether the field is present at all.
    pub(crate) fn accepts(&self, value: &Value) -> bool {
        match self {
            Matcher::Exact(literal) => literal.equals(value),
            Matcher::Prefix { text, ignore_case } => value.as_str().is_some_and(|s| {
                if *ignore_case {
                    s.to_lowercase().starts_with(text.as_str())
                } else {
                    s.starts_with(text.as_str())
                }
            }),
            Matcher::Suffix { text, ignore_case } => value.as_str().is_some_and(|s| {
                if *ignore_case {
                    s.to_lowercase().ends_with(text.as_str())
                } else {
                    s.ends_with(text.as_str())
                }
            }),
            Matcher::EqualsIgnoreCase(lower) => value.as_str().is_some_and(|s| s.to_lowercase() == *lower),
            Matcher::Wildcard(wildcard) => value.as_str().is_some_and(|s| wildcard.matches(s)),
            Matcher::AnythingBut(excluded) => !excluded.iter().any(|m| m.accepts(value)),
            Matcher::Numeric(range) => value.as_number().and_then(micros).is_some_and(|n| range.contains(n)),
            Matcher::Cidr(cidr) => value.as_str().is_some_and(|s| cidr.contains(s)),
            Matcher::Exists(present) => *present,
        }
    }
}

/// A literal value of a pattern.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    String(String),
    /// Numbers match numerically to six decimals (5 = 5.0 = 5e0) inside the numeric limit, and
    /// exactly outside it — event-ruler adds both forms, so an account number like 123456789012 still
    /// matches itself, and only itself.
    Number {
        micros: Option<i64>,
        number: Number,
    },
    Bool(bool),
    Null,
}

impl Literal {
    fn number(number: &Number) -> Self {
        Literal::Number { micros: micros(number), number: number.clone() }
    }

    fn equals(&self, value: &Value) -> bool {
        match (self, value) {
            (Literal::String(a), Value::String(b)) => a == b,
            (Literal::Number { micros: Some(a), .. }, Value::Number(b)) if micros(b).is_some() => {
                micros(b) == Some(*a)
            }
            (Literal::Number { number, .. }, Value::Number(b)) => same_number(number, b),
            (Literal::Bool(a), Value::Bool(b)) => a == b,
            (Literal::Null, Value::Null) => true,
            _ => false,
        }
    }
}

/// Exact equality outside the numeric limit: integers as integers (no rounding through f64), anything
/// else as f64.
fn same_number(a: &Number, b: &Number) -> bool {
    match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
        (Some(x), Some(y), _, _) => x == y,
        (_, _, Some(x), Some(y)) => x == y,
        _ if a.is_f64() || b.is_f64() => a.as_f64() == b.as_f64(),
        // One fits only i64 (negative), the other only u64 (above i64::MAX): different.
        _ => false,
    }
}

/// A number in millionths, or `None` outside EventBridge's numeric limit.
fn micros(number: &Number) -> Option<i64> {
    let value = number.as_f64()?;
    if !(-NUMERIC_LIMIT..=NUMERIC_LIMIT).contains(&value) {
        return None;
    }
    // |value| ≤ 5e9 so the product stays below 2^53: the cast is exact and cannot overflow.
    Some((value * MICROS_PER_UNIT).round() as i64)
}

/// A numeric interval; bounds are `(millionths, inclusive)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NumericRange {
    lower: Option<(i64, bool)>,
    upper: Option<(i64, bool)>,
}

impl NumericRange {
    fn contains(&self, n: i64) -> bool {
        let above = match self.lower {
            Some((bound, true)) => n >= bound,
            Some((bound, false)) => n > bound,
            None => true,
        };
        let below = match self.upper {
            Some((bound, true)) => n <= bound,
            Some((bound, false)) => n < bound,
            None => true,
        };
        above && below
    }
}

/// A wildcard pattern split at its unescaped stars: `a*b*c` is `["a", "b", "c"]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Wildcard {
    segments: Vec<String>,
}

impl Wildcard {
    /// Parses `*` (any run of characters), `\*` (a literal star) and `\\` (a literal backslash).
    /// Two unescaped stars in a row and any other escape are refused, as event-ruler does.
    fn parse(pattern: &str) -> Result<Self, String> {
        let mut segments = vec![String::new()];
        let mut previous_was_star = false;
        let mut chars = pattern.chars().enumerate();
        while let Some((position, c)) = chars.next() {
            match c {
                '*' if previous_was_star => {
                    return Err(format!("consecutive wildcard characters at position {position}"));
                }
                '*' => {
                    segments.push(String::new());
                    previous_was_star = true;
                    continue;
                }
                '\\' => match chars.next() {
                    Some((_, escaped @ ('*' | '\\'))) => push_char(&mut segments, escaped),
                    Some((_, other)) => {
                        return Err(format!(
                            "invalid escape \\{other} at position {position}: only \\* and \\\\ are allowed"
                        ));
                    }
                    None => return Err(format!("unfinished escape at position {position}")),
                },
                other => push_char(&mut segments, other),
            }
            previous_was_star = false;
        }
        Ok(Wildcard { segments })
    }

    /// Glob matching with `*` only: the first segment anchors the start, the last anchors the end, and
    /// the middle segments are found leftmost-first, which is optimal when `*` is the only wildcard.
    fn matches(&self, value: &str) -> bool {
        let Some((first, rest)) = self.segments.split_first() else { return value.is_empty() };
        let Some((last, middle)) = rest.split_last() else { return value == first };
        if value.len() < first.len() + last.len() || !value.starts_with(first.as_str()) {
            return false;
        }
        if !value.ends_with(last.as_str()) {
            return false;
        }
        let mut remaining = &value[first.len()..value.len() - last.len()];
        for segment in middle {
            match remaining.find(segment.as_str()) {
                Some(at) => remaining = &remaining[at + segment.len()..],
                None => return false,
            }
        }
        true
    }
}

fn push_char(segments: &mut [String], c: char) {
    if let Some(current) = segments.last_mut() {
        current.push(c);
    }
}

/// An IPv4 or IPv6 network; event strings that parse as an address of the same family match when
/// they fall inside it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cidr {
    V4 { network: u32, mask: u32 },
    V6 { network: u128, mask: u128 },
}

impl Cidr {
    fn parse(text: &str) -> Result<Self, String> {
        let Some((address, length)) = text.split_once('/') else {
            return Err(format!("malformed CIDR {text:?}: expected ADDRESS/PREFIX-LENGTH"));
        };
        let length: u32 = length
            .parse()
            .map_err(|_| format!("malformed CIDR {text:?}: prefix length must be a decimal integer"))?;
        match address.parse::<IpAddr>() {
            Ok(IpAddr::V4(ip)) if length <= 32 => {
                let mask = u32::MAX.checked_shl(32 - length).unwrap_or(0);
                Ok(Cidr::V4 { network: u32::from(ip) & mask, mask })
            }
            Ok(IpAddr::V6(ip)) if length <= 128 => {
                let mask = u128::MAX.checked_shl(128 - length).unwrap_or(0);
                Ok(Cidr::V6 { network: u128::from(ip) & mask, mask })
            }
            Ok(IpAddr::V4(_)) => Err(format!("malformed CIDR {text:?}: IPv4 prefix length must be 0-32")),
            Ok(IpAddr::V6(_)) => Err(format!("malformed CIDR {text:?}: IPv6 prefix length must be 0-128")),
            Err(_) => Err(format!("malformed CIDR {text:?}: {address:?} is not an IP address")),
        }
    }

    fn contains(&self, value: &str) -> bool {
        match self {
            Cidr::V4 { network, mask } => {
                value.parse::<Ipv4Addr>().is_ok_and(|ip| u32::from(ip) & mask == *network)
            }
            Cidr::V6 { network, mask } => {
                value.parse::<Ipv6Addr>().is_ok_and(|ip| u128::from(ip) & mask == *network)
            }
        }
    }
}

/// Parses one element of a pattern's value array; `path` names the element (`detail.count[0]`).
pub(crate) fn parse_matcher(value: &Value, path: &str) -> Result<Matcher, PatternError> {
    match value {
        Value::String(s) => Ok(Matcher::Exact(Literal::String(s.clone()))),
        Value::Number(n) => Ok(Matcher::Exact(Literal::number(n))),
        Value::Bool(b) => Ok(Matcher::Exact(Literal::Bool(*b))),
        Value::Null => Ok(Matcher::Exact(Literal::Null)),
        Value::Array(_) => Err(PatternError::new(
            path,
            "match value must be a string, number, true, false, null or an operator object, not an array",
        )),
        Value::Object(object) => parse_operator(object, path),
    }
}

/// The single `name: argument` pair of an operator object.
fn single_entry<'a>(
    object: &'a Map<String, Value>,
    path: &str,
) -> Result<(&'a str, &'a Value), PatternError> {
    let mut entries = object.iter();
    match (entries.next(), entries.next()) {
        (Some((name, argument)), None) => Ok((name.as_str(), argument)),
        (None, _) => {
            Err(PatternError::new(path, "empty match expression: expected one operator such as \"prefix\""))
        }
        (Some(_), Some(_)) => Err(PatternError::new(
            path,
            format!(
                "only one key allowed in match expression, found {}: {}",
                object.len(),
                object.keys().map(|k| format!("{k:?}")).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

fn parse_operator(object: &Map<String, Value>, path: &str) -> Result<Matcher, PatternError> {
    let (name, argument) = single_entry(object, path)?;
    let here = format!("{path}.{name}");
    match name {
        "exact" => Ok(Matcher::Exact(Literal::String(string_argument(argument, &here, name)?))),
        "prefix" | "suffix" => {
            let (text, ignore_case) = match argument {
                Value::String(s) => (s.clone(), false),
                Value::Object(inner) => match single_entry(inner, &here)? {
                    ("equals-ignore-case", Value::String(s)) => (s.to_lowercase(), true),
                    ("equals-ignore-case", _) => {
                        return Err(PatternError::new(
                            format!("{here}.equals-ignore-case"),
                            "equals-ignore-case match pattern must be a string",
                        ))
                    }
                    (other, _) => {
                        return Err(PatternError::new(
                            &here,
                            format!(
                            "unsupported {name} pattern {other:?}: only \"equals-ignore-case\" may be nested"
                        ),
                        ))
                    }
                },
                _ => {
                    return Err(PatternError::new(
                        &here,
                        format!(
                            "{name} match pattern must be a string or {{\"equals-ignore-case\": string}}"
                        ),
                    ))
                }
            };
            Ok(if name == "prefix" {
                Matcher::Prefix { text, ignore_case }
            } else {
                Matcher::Suffix { text, ignore_case }
            })
        }
        "equals-ignore-case" => {
            Ok(Matcher::EqualsIgnoreCase(string_argument(argument, &here, name)?.to_lowercase()))
        }
        "wildcard" => {
            let text = string_argument(argument, &here, name)?;
            Wildcard::parse(&text).map(Matcher::Wildcard).map_err(|reason| PatternError::new(&here, reason))
        }
        "anything-but" => parse_anything_but(argument, &here),
        "numeric" => parse_numeric(argument, &here).map(Matcher::Numeric),
        "cidr" => {
            let text = string_argument(argument, &here, name)?;
            Cidr::parse(&text).map(Matcher::Cidr).map_err(|reason| PatternError::new(&here, reason))
        }
        "exists" => match argument {
            Value::Bool(b) => Ok(Matcher::Exists(*b)),
            _ => Err(PatternError::new(&here, "exists match pattern must be either true or false")),
        },
        unknown => Err(PatternError::new(
            &here,
            format!("unrecognized match type {unknown:?}; expected one of {}", OPERATOR_NAMES.join(", ")),
        )),
    }
}

fn string_argument(argument: &Value, path: &str, operator: &str) -> Result<String, PatternError> {
    match argument {
        Value::String(s) => Ok(s.clone()),
        _ => Err(PatternError::new(path, format!("{operator} match pattern must be a string"))),
    }
}

/// `anything-but` takes a string, a number, a non-empty list of only strings or only numbers, or one of
/// `prefix`, `suffix`, `equals-ignore-case` and `wildcard` (the last two also with a list of strings).
fn parse_anything_but(argument: &Value, path: &str) -> Result<Matcher, PatternError> {
    let excluded = match argument {
        Value::String(s) => vec![Matcher::Exact(Literal::String(s.clone()))],
        Value::Number(n) => vec![Matcher::Exact(Literal::number(n))],
        Value::Array(items) => {
            if items.is_empty() {
                return Err(PatternError::new(path, "anything-but list must not be empty"));
            }
            let all_strings = items.iter().all(Value::is_string);
            let all_numbers = items.iter().all(Value::is_number);
            if !all_strings && !all_numbers {
                return Err(PatternError::new(
                    path,
                    "inside an anything-but list, values must be all strings or all numbers (no mixed types, objects, booleans or null)",
                ));
            }
            items
                .iter()
                .map(|item| match item {
                    Value::Number(n) => Matcher::Exact(Literal::number(n)),
                    other => Matcher::Exact(Literal::String(other.as_str().unwrap_or_default().to_owned())),
                })
                .collect()
        }
        Value::Object(inner) => {
            let (name, inner_argument) = single_entry(inner, path)?;
            let here = format!("{path}.{name}");
            match name {
                "prefix" | "suffix" => {
                    let text = string_argument(inner_argument, &here, name)?;
                    if text.is_empty() {
                        return Err(PatternError::new(&here, format!("anything-but {name} must not be empty")));
                    }
                    let ignore_case = false;
                    vec![if name == "prefix" {
                        Matcher::Prefix { text, ignore_case }
                    } else {
                        Matcher::Suffix { text, ignore_case }
                    }]
                }
                "equals-ignore-case" => string_or_strings(inner_argument, &here, name)?
                    .into_iter()
                    .map(|s| Matcher::EqualsIgnoreCase(s.to_lowercase()))
                    .collect(),
                "wildcard" => string_or_strings(inner_argument, &here, name)?
                    .into_iter()
                    .map(|s| Wildcard::parse(&s).map(Matcher::Wildcard))
                    .collect::<Result<_, _>>()
                    .map_err(|reason| PatternError::new(&here, reason))?,
                other => {
                    return Err(PatternError::new(
                        path,
                        format!(
                            "unsupported anything-but pattern {other:?}; expected prefix, suffix, equals-ignore-case or wildcard"
                        ),
                    ))
                }
            }
        }
        Value::Bool(_) | Value::Null => {
            return Err(PatternError::new(
                path,
                "value of anything-but must be a string, a number, a list of them, or a prefix/suffix/equals-ignore-case/wildcard object",
            ))
        }
    };
    Ok(Matcher::AnythingBut(excluded))
}

fn string_or_strings(argument: &Value, path: &str, operator: &str) -> Result<Vec<String>, PatternError> {
    let error = || {
        PatternError::new(
            path,
            format!("{operator} inside anything-but must be a string or a non-empty list of strings"),
        )
    };
    match argument {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) if !items.is_empty() => {
            items.iter().map(|item| item.as_str().map(str::to_owned).ok_or_else(error)).collect()
        }
        _ => Err(error()),
    }
}

/// `["=", x]`, `[">" | ">=" | "<" | "<=", x]` or `[">" | ">=", low, "<" | "<=", high]` with low < high;
/// every bound a JSON number inside ±5.0e9.
fn parse_numeric(argument: &Value, path: &str) -> Result<NumericRange, PatternError> {
    let Value::Array(terms) = argument else {
        return Err(PatternError::new(
            path,
            "value of numeric must be an array such as [\">\", 0, \"<=\", 5]",
        ));
    };
    let operator_at = |index: usize| -> Result<&str, PatternError> {
        terms.get(index).and_then(Value::as_str).ok_or_else(|| {
            PatternError::new(
                format!("{path}[{index}]"),
                match terms.get(index) {
                    Some(other) => format!("expected a numeric operator (=, <, <=, >, >=), found {other}"),
                    None => "expected a numeric operator (=, <, <=, >, >=)".to_owned(),
                },
            )
        })
    };
    let bound_at = |index: usize, operator: &str| -> Result<i64, PatternError> {
        let here = format!("{path}[{index}]");
        let number = terms
            .get(index)
            .and_then(Value::as_number)
            .ok_or_else(|| PatternError::new(&here, format!("value of {operator} must be a JSON number")))?;
        micros(number).ok_or_else(|| {
            PatternError::new(
                &here,
                format!("numeric value {number} is outside the supported range -5.0e9 to 5.0e9"),
            )
        })
    };
    let first = operator_at(0)?;
    let first_bound = bound_at(1, first)?;
    let (lower, upper) = match first {
        "=" => (Some((first_bound, true)), Some((first_bound, true))),
        ">" => (Some((first_bound, false)), None),
        ">=" => (Some((first_bound, true)), None),
        "<" => (None, Some((first_bound, false))),
        "<=" => (None, Some((first_bound, true))),
        other => {
            return Err(PatternError::new(
                format!("{path}[0]"),
                format!("unrecognized numeric operator {other:?}; expected =, <, <=, > or >="),
            ))
        }
    };
    if terms.len() == 2 {
        return Ok(NumericRange { lower, upper });
    }
    if upper.is_some() {
        return Err(PatternError::new(
            path,
            format!("too many elements in numeric expression: {first:?} must be the only comparison"),
        ));
    }
    let second = operator_at(2)?;
    let inclusive = match second {
        "<" => false,
        "<=" => true,
        other => {
            return Err(PatternError::new(
                format!("{path}[2]"),
                format!("bad numeric range operator {other:?}: the upper bound takes < or <="),
            ))
        }
    };
    let top = bound_at(3, second)?;
    if terms.len() > 4 {
        return Err(PatternError::new(
            path,
            "too many elements in numeric expression: at most two comparisons",
        ));
    }
    if let Some((bottom, _)) = lower {
        if bottom >= top {
            return Err(PatternError::new(
                path,
                "numeric range lower bound must be less than its upper bound",
            ));
        }
    }
    Ok(NumericRange { lower, upper: Some((top, inclusive)) })
}
