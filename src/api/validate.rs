//! Constraint checks shared by many actions: names, client tokens, tags, ranges, enum values.
//!
//! All of them answer `InvalidParameterException` with a message that names the member, because that is the
//! error ECS models for "a parameter is invalid" (AWS API reference: Common Errors and each daemon action's
//! Errors).

use super::input::Members;
use super::AwsError;

/// A resource name of 1–`max` characters from `[A-Za-z0-9_-]` (daemonName, family, clusterName,
/// serviceName, capacity provider name…).
pub fn resource_name(path: &str, name: &str, max: usize) -> Result<(), AwsError> {
    let length = name.chars().count();
    if length == 0 || length > max {
        return Err(AwsError::invalid_parameter(format!(
            "{path} must be 1-{max} characters long; got {length} characters."
        )));
    }
    if let Some(bad) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-')) {
        return Err(AwsError::invalid_parameter(format!(
            "{path} may contain only letters, numbers, underscores and hyphens; '{name}' contains '{bad}'."
        )));
    }
    Ok(())
}

/// `clientToken`: up to 36 ASCII characters in the range 33–126 (AWS API reference: CreateDaemon,
/// `clientToken`).
pub fn client_token(path: &str, token: &str) -> Result<(), AwsError> {
    let length = token.chars().count();
    if length == 0 || length > 36 {
        return Err(AwsError::invalid_parameter(format!(
            "{path} must be 1-36 characters long; got {length} characters."
        )));
    }
    if let Some(bad) = token.chars().find(|c| !(33..=126).contains(&(*c as u32))) {
        return Err(AwsError::invalid_parameter(format!(
            "{path} may contain only ASCII characters 33-126; found {:?}.",
            bad
        )));
    }
    Ok(())
}

/// An integer member within `min..=max`.
pub fn int_range(path: &str, value: i64, min: i64, max: i64) -> Result<i64, AwsError> {
    if value < min || value > max {
        return Err(AwsError::invalid_parameter(format!(
            "{path} must be between {min} and {max}; got {value}."
        )));
    }
    Ok(value)
}

/// A floating-point member within `min..=max`; NaN and infinities are refused.
pub fn f64_range(path: &str, value: f64, min: f64, max: f64) -> Result<f64, AwsError> {
    if !value.is_finite() || value < min || value > max {
        return Err(AwsError::invalid_parameter(format!(
            "{path} must be between {min} and {max}; got {value}."
        )));
    }
    Ok(value)
}

/// An enum member: one of `allowed`, exactly (enum values are case-sensitive).
pub fn enum_value<'v>(path: &str, value: &'v str, allowed: &[&str]) -> Result<&'v str, AwsError> {
    if allowed.contains(&value) {
        Ok(value)
    } else {
        Err(AwsError::invalid_parameter(format!(
            "{path} must be one of {}; got '{value}'.",
            allowed.join(", ")
        )))
    }
}

/// An optional enum member read from `members`.
pub fn opt_enum<'a>(
    members: &Members<'a>,
    name: &str,
    allowed: &[&str],
) -> Result<Option<&'a str>, AwsError> {
    match members.opt_str(name)? {
        None => Ok(None),
        Some(value) => enum_value(&members.path(name), value, allowed).map(Some),
    }
}

/// An optional integer member within a range.
pub fn opt_int_range(members: &Members<'_>, name: &str, min: i64, max: i64) -> Result<Option<i64>, AwsError> {
    match members.opt_int(name)? {
        None => Ok(None),
        Some(value) => int_range(&members.path(name), value, min, max).map(Some),
    }
}

/// A list with at most `max` items.
pub fn max_items(path: &str, count: usize, max: usize) -> Result<(), AwsError> {
    if count > max {
        return Err(AwsError::invalid_parameter(format!(
            "{path} can have at most {max} items; got {count}."
        )));
    }
    Ok(())
}

/// A list with at least `min` items.
pub fn min_items(path: &str, count: usize, min: usize) -> Result<(), AwsError> {
    if count < min {
        return Err(AwsError::invalid_parameter(format!(
            "{path} must have at least {min} item(s); got {count}."
        )));
    }
    Ok(())
}

/// A string that must not be empty.
pub fn not_empty(path: &str, value: &str) -> Result<(), AwsError> {
    if value.is_empty() {
        return Err(AwsError::invalid_parameter(format!("{path} must not be empty.")));
    }
    Ok(())
}

/// `maxResults` of a List action: optional, within `1..=max`.
pub fn max_results(members: &Members<'_>, max: i64) -> Result<Option<u32>, AwsError> {
    Ok(opt_int_range(members, "maxResults", 1, max)?.map(|value| value as u32))
}

/// One resource tag (`key` / `value` members, as ECS spells them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// Tag key and value character set: `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`. `\p{Z}` is approximated by
/// the Unicode white space that is not a control character, which is the same set.
fn tag_char(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(c)
}

fn check_tag_text(path: &str, text: &str, min: usize, max: usize) -> Result<(), AwsError> {
    let length = text.chars().count();
    if length < min || length > max {
        return Err(AwsError::invalid_parameter(format!(
            "{path} must be {min}-{max} characters long; got {length} characters."
        )));
    }
    if let Some(bad) = text.chars().find(|c| !tag_char(*c)) {
        return Err(AwsError::invalid_parameter(format!(
            "{path} may contain only letters, numbers, spaces and _ . : / = + - @; found {bad:?}."
        )));
    }
    if text.get(..4).is_some_and(|prefix| prefix.eq_ignore_ascii_case("aws:")) {
        return Err(AwsError::invalid_parameter(format!(
            "{path} must not begin with the reserved prefix 'aws:' (in any letter case)."
        )));
    }
    Ok(())
}

/// The ECS `tags` member: 0–50 tags, key 1–128 characters, value 0–256, the allowed character set,
/// no `aws:` prefix on keys or values (case-insensitive), no duplicate keys.
pub fn tags(members: &Members<'_>, name: &str) -> Result<Vec<Tag>, AwsError> {
    tags_with(members, name, "key", "value")
}

/// Tags whose members are spelled differently (IAM uses `Key` / `Value`).
pub fn tags_with(
    members: &Members<'_>,
    name: &str,
    key_name: &str,
    value_name: &str,
) -> Result<Vec<Tag>, AwsError> {
    let Some(items) = members.opt_obj_list(name)? else { return Ok(Vec::new()) };
    max_items(&members.path(name), items.len(), 50)?;
    let mut tags: Vec<Tag> = Vec::with_capacity(items.len());
    for item in &items {
        let key = item.req_str(key_name)?;
        let value = item.opt_str(value_name)?.unwrap_or("");
        check_tag_text(&item.path(key_name), key, 1, 128)?;
        check_tag_text(&item.path(value_name), value, 0, 256)?;
        if tags.iter().any(|tag| tag.key == key) {
            return Err(AwsError::invalid_parameter(format!(
                "{} contains the key '{key}' more than once.",
                members.path(name)
            )));
        }
        tags.push(Tag { key: key.to_string(), value: value.to_string() });
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_allow_only_the_documented_characters() {
        assert!(resource_name("daemonName", "my-daemon_1", 255).is_ok());
        assert!(resource_name("daemonName", "my daemon", 255).is_err());
        assert!(resource_name("daemonName", "", 255).is_err());
        assert!(resource_name("daemonName", &"a".repeat(255), 255).is_ok());
        assert!(resource_name("daemonName", &"a".repeat(256), 255).is_err());
    }

    #[test]
    fn client_tokens_are_printable_ascii_up_to_36() {
        assert!(client_token("clientToken", "abc-123!~").is_ok());
        assert!(client_token("clientToken", &"x".repeat(36)).is_ok());
        assert!(client_token("clientToken", &"x".repeat(37)).is_err());
        assert!(client_token("clientToken", "has space").is_err());
        assert!(client_token("clientToken", "é").is_err());
    }

    #[test]
    fn tags_refuse_the_aws_prefix_in_any_case_and_duplicates() {
        let ok = json!({"tags": [{"key": "team", "value": "platform ops"}, {"key": "empty"}, {"key": "abcé", "value": "日本語"}]});
        assert_eq!(tags(&Members::root(&ok).unwrap(), "tags").unwrap().len(), 3);
        for bad in [
            json!({"tags": [{"key": "AwS:x", "value": "v"}]}),
            json!({"tags": [{"key": "k", "value": "aws:v"}]}),
            json!({"tags": [{"key": "k"}, {"key": "k"}]}),
            json!({"tags": [{"key": "", "value": "v"}]}),
            json!({"tags": [{"key": "k#", "value": "v"}]}),
        ] {
            let error = tags(&Members::root(&bad).unwrap(), "tags").unwrap_err();
            assert_eq!(error.error_type, "InvalidParameterException", "{bad}");
        }
    }
}
