//! What happens to a response before it is printed: timestamps become the ISO 8601 text the CLI
//! shows, then `--query` (JMESPath) selects from it.
//!
//! The `jmespath` crate keeps objects in sorted maps; the CLI (Python dicts) keeps insertion
//! order. Object keys are therefore put back in the order of the `--query` multi-select hash, or
//! of the response object with the same keys, so `--output json` prints keys as the CLI does.

use crate::api::render::is_timestamp_member;
use crate::engine::time::civil_from_days;
use jmespath::ast::{Ast, KeyValuePair};
use serde_json::{Map, Value};

/// Replaces epoch-second numbers under timestamp members with the CLI's ISO 8601 text.
pub fn present_timestamps(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, member) in map.iter_mut() {
                if is_timestamp_member(key) {
                    if let Some(seconds) = member.as_f64() {
                        let micros = (seconds * 1_000_000.0).round() as i64;
                        *member = Value::String(iso8601_micros(micros));
                        continue;
                    }
                }
                present_timestamps(member);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(present_timestamps),
        _ => {}
    }
}

/// Epoch milliseconds as Python's `datetime.isoformat()` in UTC, as the CLI prints timestamps.
pub fn iso8601_ms(epoch_ms: i64) -> String {
    iso8601_micros(epoch_ms.saturating_mul(1000))
}

/// `2026-04-02T07:56:19.055000+00:00`; the fraction only when non-zero, as Python does.
fn iso8601_micros(micros: i64) -> String {
    let seconds = micros.div_euclid(1_000_000);
    let fraction = micros.rem_euclid(1_000_000);
    let days = seconds.div_euclid(crate::engine::time::DAY_SECONDS);
    let second_of_day = seconds.rem_euclid(crate::engine::time::DAY_SECONDS);
    let (year, month, day) = civil_from_days(days);
    let time = format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    );
    if fraction == 0 {
        format!("{time}+00:00")
    } else {
        format!("{time}.{fraction:06}+00:00")
    }
}

/// Applies a JMESPath expression, keeping object keys in the order the CLI would print them.
pub fn apply_query(expression: &str, data: &Value) -> Result<Value, String> {
    let compiled = jmespath::compile(expression).map_err(|e| e.to_string())?;
    let result = compiled.search(data).map_err(|e| e.to_string())?;
    let mut value = serde_json::to_value(&*result).map_err(|e| e.to_string())?;
    let mut orders: Vec<Vec<String>> = Vec::new();
    collect_hash_orders(compiled.as_ast(), &mut orders);
    collect_object_orders(data, &mut orders);
    restore_order(&mut value, &orders);
    Ok(value)
}

fn collect_hash_orders(ast: &Ast, orders: &mut Vec<Vec<String>>) {
    match ast {
        Ast::MultiHash { elements, .. } => {
            orders.push(elements.iter().map(|KeyValuePair { key, .. }| key.clone()).collect());
            for pair in elements {
                collect_hash_orders(&pair.value, orders);
            }
        }
        Ast::Comparison { lhs, rhs, .. }
        | Ast::And { lhs, rhs, .. }
        | Ast::Or { lhs, rhs, .. }
        | Ast::Subexpr { lhs, rhs, .. }
        | Ast::Projection { lhs, rhs, .. } => {
            collect_hash_orders(lhs, orders);
            collect_hash_orders(rhs, orders);
        }
        Ast::Condition { predicate, then, .. } => {
            collect_hash_orders(predicate, orders);
            collect_hash_orders(then, orders);
        }
        Ast::Expref { ast, .. } | Ast::Flatten { node: ast, .. } | Ast::ObjectValues { node: ast, .. } => {
            collect_hash_orders(ast, orders)
        }
        Ast::Not { node, .. } => collect_hash_orders(node, orders),
        Ast::Function { args, .. } | Ast::MultiList { elements: args, .. } => {
            args.iter().for_each(|arg| collect_hash_orders(arg, orders))
        }
        _ => {}
    }
}

fn collect_object_orders(value: &Value, orders: &mut Vec<Vec<String>>) {
    match value {
        Value::Object(map) => {
            orders.push(map.keys().cloned().collect());
            map.values().for_each(|v| collect_object_orders(v, orders));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_object_orders(v, orders)),
        _ => {}
    }
}

fn restore_order(value: &mut Value, orders: &[Vec<String>]) {
    match value {
        Value::Object(map) => {
            map.values_mut().for_each(|v| restore_order(v, orders));
            let same_keys = |order: &&Vec<String>| {
                order.len() == map.len() && order.iter().all(|key| map.contains_key(key))
            };
            if let Some(order) = orders.iter().find(same_keys) {
                let mut reordered = Map::new();
                for key in order {
                    if let Some(v) = map.remove(key) {
                        reordered.insert(key.clone(), v);
                    }
                }
                *map = reordered;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| restore_order(v, orders)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn timestamps_print_like_python_isoformat() {
        assert_eq!(iso8601_ms(1_775_116_579_055), "2026-04-02T07:56:19.055000+00:00");
        assert_eq!(iso8601_ms(0), "1970-01-01T00:00:00+00:00");
        let mut value = json!({"tasks": [{"startedAt": 1775116579.055, "cpu": "256"}]});
        present_timestamps(&mut value);
        assert_eq!(value["tasks"][0]["startedAt"], "2026-04-02T07:56:19.055000+00:00");
        assert_eq!(value["tasks"][0]["cpu"], "256");
    }

    #[test]
    fn multi_select_hash_keeps_the_written_order() {
        let data = json!({"a": [{"z": 1, "b": 2}]});
        let result = apply_query("a[].{z:z,b:b}", &data).unwrap();
        assert_eq!(serde_json::to_string(&result).unwrap(), r#"[{"z":1,"b":2}]"#);
    }
}
