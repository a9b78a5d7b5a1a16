//! Reading the members of an AWS JSON 1.1 request body.
//!
//! Every accessor names the member by its full path (`deploymentConfiguration.drainPercent`,
//! `containerDefinitions[0].image`) so that an error tells the caller exactly what to fix.
//!
//! Protocol rules followed here:
//! - a member of the wrong JSON type is a `SerializationException` (the service cannot deserialize
//!   the body into the action's input shape);
//! - a JSON `null` is the same as an absent member (what the SDKs send for unset optional members);
//! - members the action does not know are ignored, as the AWS JSON protocol does.

use super::AwsError;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The members of one JSON object in a request, with the path that leads to it.
#[derive(Debug, Clone)]
pub struct Members<'a> {
    map: Option<&'a Map<String, Value>>,
    path: String,
}

fn type_error(path: &str, expected: &str, got: &Value) -> AwsError {
    let found = match got {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    };
    AwsError::serialization(format!("Cannot deserialize {path}: expected {expected}, found {found}."))
}

/// `InvalidParameterException` for a required member that is absent.
pub fn missing(path: &str) -> AwsError {
    AwsError::invalid_parameter(format!("{path} is required but was not provided."))
}

/// Unwraps a required member or reports it missing.
pub fn required<T>(value: Option<T>, path: &str) -> Result<T, AwsError> {
    value.ok_or_else(|| missing(path))
}

impl<'a> Members<'a> {
    /// The request body itself. An empty body (`null`) is an empty object.
    pub fn root(input: &'a Value) -> Result<Self, AwsError> {
        match input {
            Value::Object(map) => Ok(Self { map: Some(map), path: String::new() }),
            Value::Null => Ok(Self { map: None, path: String::new() }),
            other => Err(type_error("the request body", "a JSON object", other)),
        }
    }

    fn nested(value: &'a Value, path: String) -> Result<Self, AwsError> {
        match value {
            Value::Object(map) => Ok(Self { map: Some(map), path }),
            other => Err(type_error(&path, "an object", other)),
        }
    }

    /// The full path of member `name` of this object.
    pub fn path(&self, name: &str) -> String {
        if self.path.is_empty() {
            name.to_string()
        } else {
            format!("{}.{}", self.path, name)
        }
    }

    /// The raw value of a member; `null` counts as absent.
    pub fn value(&self, name: &str) -> Option<&'a Value> {
        self.map.and_then(|map| map.get(name)).filter(|value| !value.is_null())
    }

    pub fn opt_str(&self, name: &str) -> Result<Option<&'a str>, AwsError> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.as_str())),
            Some(other) => Err(type_error(&self.path(name), "a string", other)),
        }
    }

    pub fn req_str(&self, name: &str) -> Result<&'a str, AwsError> {
        required(self.opt_str(name)?, &self.path(name))
    }

    pub fn opt_bool(&self, name: &str) -> Result<Option<bool>, AwsError> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(*flag)),
            Some(other) => Err(type_error(&self.path(name), "a boolean", other)),
        }
    }

    /// An integer member. A number with a fractional part is not an integer.
    pub fn opt_int(&self, name: &str) -> Result<Option<i64>, AwsError> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::Number(number)) => match number.as_i64() {
                Some(int) => Ok(Some(int)),
                None => match number.as_f64() {
                    Some(float) if float.fract() == 0.0 && float.abs() < 9.0e15 => Ok(Some(float as i64)),
                    _ => Err(AwsError::serialization(format!(
                        "Cannot deserialize {}: expected an integer, found {number}.",
                        self.path(name)
                    ))),
                },
            },
            Some(other) => Err(type_error(&self.path(name), "an integer", other)),
        }
    }

    pub fn opt_f64(&self, name: &str) -> Result<Option<f64>, AwsError> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::Number(number)) => Ok(number.as_f64()),
            Some(other) => Err(type_error(&self.path(name), "a number", other)),
        }
    }

    pub fn opt_obj(&self, name: &str) -> Result<Option<Members<'a>>, AwsError> {
        match self.value(name) {
            None => Ok(None),
            Some(value) => Self::nested(value, self.path(name)).map(Some),
        }
    }

    fn opt_list(&self, name: &str) -> Result<Option<&'a Vec<Value>>, AwsError> {
        match self.value(name) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(other) => Err(type_error(&self.path(name), "a list", other)),
        }
    }

    /// A list of strings; each element must be a string.
    pub fn opt_str_list(&self, name: &str) -> Result<Option<Vec<&'a str>>, AwsError> {
        let Some(items) = self.opt_list(name)? else { return Ok(None) };
        let mut strings = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            match item {
                Value::String(text) => strings.push(text.as_str()),
                other => return Err(type_error(&format!("{}[{index}]", self.path(name)), "a string", other)),
            }
        }
        Ok(Some(strings))
    }

    pub fn req_str_list(&self, name: &str) -> Result<Vec<&'a str>, AwsError> {
        required(self.opt_str_list(name)?, &self.path(name))
    }

    /// A list of integers.
    pub fn opt_int_list(&self, name: &str) -> Result<Option<Vec<i64>>, AwsError> {
        let Some(items) = self.opt_list(name)? else { return Ok(None) };
        let mut ints = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            match item.as_i64() {
                Some(int) => ints.push(int),
                None => return Err(type_error(&format!("{}[{index}]", self.path(name)), "an integer", item)),
            }
        }
        Ok(Some(ints))
    }

    /// A list of objects, each with its indexed path (`containerDefinitions[2]`).
    pub fn opt_obj_list(&self, name: &str) -> Result<Option<Vec<Members<'a>>>, AwsError> {
        let Some(items) = self.opt_list(name)? else { return Ok(None) };
        let base = self.path(name);
        items
            .iter()
            .enumerate()
            .map(|(index, item)| Self::nested(item, format!("{base}[{index}]")))
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// A map of string to string (`logConfiguration.options`).
    pub fn opt_str_map(&self, name: &str) -> Result<Option<BTreeMap<String, String>>, AwsError> {
        let Some(members) = self.opt_obj(name)? else { return Ok(None) };
        let mut map = BTreeMap::new();
        if let Some(object) = members.map {
            for (key, value) in object {
                match value {
                    Value::String(text) => {
                        map.insert(key.clone(), text.clone());
                    }
                    other => return Err(type_error(&members.path(key), "a string", other)),
                }
            }
        }
        Ok(Some(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_name_nested_members_and_list_elements() {
        let body = json!({"a": {"b": [{"c": 5}]}});
        let root = Members::root(&body).unwrap();
        let a = root.opt_obj("a").unwrap().unwrap();
        let items = a.opt_obj_list("b").unwrap().unwrap();
        let error = items[0].opt_str("c").unwrap_err();
        assert_eq!(error.error_type, "SerializationException");
        assert!(error.message.contains("a.b[0].c"), "{}", error.message);
    }

    #[test]
    fn null_is_absent_and_integers_refuse_fractions() {
        let body = json!({"n": null, "f": 2.5, "i": 3.0});
        let root = Members::root(&body).unwrap();
        assert_eq!(root.opt_str("n").unwrap(), None);
        assert_eq!(root.req_str("n").unwrap_err().error_type, "InvalidParameterException");
        assert_eq!(root.opt_int("f").unwrap_err().error_type, "SerializationException");
        assert_eq!(root.opt_int("i").unwrap(), Some(3));
        assert!(Members::root(&json!([1])).is_err());
        assert!(Members::root(&Value::Null).is_ok());
    }
}
