//! `json!` for the bodies the API, the CLI and the playground build: serde_json's macro with less
//! code per member.
//!
//! Why: serde_json's `json!` expands every member to `map.insert(key.into(), to_value(&v).unwrap())`
//! and drops the replaced value in place, which across the several hundred members of the response
//! shapes was tens of KB of the wasm bundle (release wasm size). Here a member is one call
//! of [`member`] and a value one call of [`value`], which does not panic: `serde_json::to_value`
//! fails only for maps whose keys are not strings, and no caller builds one. The JSON is the same,
//! member order included.
//!
//! Supported: objects with string-literal keys, arrays, `null`, and any expression whose type is
//! `Serialize`. Objects and arrays nest. Use `serde_json::json!` for anything else.

use serde::Serialize;
use serde_json::{Map, Value};

/// `x` as a JSON value, as `serde_json::to_value` makes it.
#[doc(hidden)]
#[inline(never)]
pub fn value<T: Serialize + ?Sized>(x: &T) -> Value {
    serde_json::to_value(x).unwrap_or(Value::Null)
}

/// Adds member `key` to `object` (the last value wins, as with `json!`'s repeated keys).
#[doc(hidden)]
#[inline(never)]
pub fn member(object: &mut Map<String, Value>, key: &str, value: Value) {
    object.insert(key.to_string(), value);
}

macro_rules! json {
    ({ $($members:tt)* }) => {{
        #[allow(unused_mut)]
        let mut object = ::serde_json::Map::new();
        $crate::support::json::json!(@members object $($members)*);
        ::serde_json::Value::Object(object)
    }};
    ([ $($elements:tt)* ]) => {
        ::serde_json::Value::Array($crate::support::json::json!(@elements [] $($elements)*))
    };
    (null) => {
        ::serde_json::Value::Null
    };
    ($other:expr) => {
        $crate::support::json::value(&$other)
    };

    (@members $object:ident) => {};
    (@members $object:ident $key:literal : null $(, $($rest:tt)*)?) => {
        $crate::support::json::member(&mut $object, $key, ::serde_json::Value::Null);
        $crate::support::json::json!(@members $object $($($rest)*)?);
    };
    (@members $object:ident $key:literal : { $($inner:tt)* } $(, $($rest:tt)*)?) => {
        $crate::support::json::member(&mut $object, $key, $crate::support::json::json!({ $($inner)* }));
        $crate::support::json::json!(@members $object $($($rest)*)?);
    };
    (@members $object:ident $key:literal : [ $($inner:tt)* ] $(, $($rest:tt)*)?) => {
        $crate::support::json::member(&mut $object, $key, $crate::support::json::json!([ $($inner)* ]));
        $crate::support::json::json!(@members $object $($($rest)*)?);
    };
    (@members $object:ident $key:literal : $value:expr $(, $($rest:tt)*)?) => {
        $crate::support::json::member(&mut $object, $key, $crate::support::json::value(&$value));
        $crate::support::json::json!(@members $object $($($rest)*)?);
    };

    (@elements [$($done:expr,)*]) => {
        vec![$($done,)*]
    };
    (@elements [$($done:expr,)*] null $(, $($rest:tt)*)?) => {
        $crate::support::json::json!(@elements [$($done,)* ::serde_json::Value::Null,] $($($rest)*)?)
    };
    (@elements [$($done:expr,)*] { $($inner:tt)* } $(, $($rest:tt)*)?) => {
        $crate::support::json::json!(@elements [$($done,)* $crate::support::json::json!({ $($inner)* }),] $($($rest)*)?)
    };
    (@elements [$($done:expr,)*] [ $($inner:tt)* ] $(, $($rest:tt)*)?) => {
        $crate::support::json::json!(@elements [$($done,)* $crate::support::json::json!([ $($inner)* ]),] $($($rest)*)?)
    };
    (@elements [$($done:expr,)*] $value:expr $(, $($rest:tt)*)?) => {
        $crate::support::json::json!(@elements [$($done,)* $crate::support::json::value(&$value),] $($($rest)*)?)
    };
}
pub(crate) use json;

/// What kind of JSON value `value` is, as a refusal names it ("must be an object, not a string").
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    /// The same value as serde_json's macro, member order included.
    #[test]
    fn builds_what_serde_json_builds() {
        let name = String::from("web");
        let count: u32 = 3;
        let missing: Option<&str> = None;
        let ours = json!({
            "name": name, "count": count, "missing": missing, "none": null, "flag": true,
            "nested": { "list": [1, "two", null, { "x": 1.5 }, [name.as_str()]], "empty": {} },
            "empty": [], "sum": count + 1, "name": "later wins",
        });
        let theirs = serde_json::json!({
            "name": name, "count": count, "missing": missing, "none": null, "flag": true,
            "nested": { "list": [1, "two", null, { "x": 1.5 }, [name.as_str()]], "empty": {} },
            "empty": [], "sum": count + 1, "name": "later wins",
        });
        assert_eq!(ours.to_string(), theirs.to_string());
        assert_eq!(json!([]), serde_json::json!([]));
        assert_eq!(json!(null), serde_json::Value::Null);
        assert_eq!(json!(name), serde_json::json!(name));
    }
}
