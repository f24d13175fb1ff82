//! Canonical form of a report result, so that the same figures always give
//! the same bytes and the same digest, on any machine and in any run:
//! object keys sorted, arrays in their (report-defined, stable) order, no
//! insignificant whitespace, and every non-integral number rounded to
//! `DECIMALS` places and printed without trailing zeros. Rounding absorbs
//! the last-bit noise of parallel floating-point sums; 6 decimals is far
//! below any figure a report shows (seconds, percents, counts). Used by
//! audits (`result_digest`) and by the usage batch's index (`digest`).

use serde_json::{Map, Number, Value};

use crate::library::sha256_hex;

pub const DECIMALS: i32 = 6;

/// The canonical value: numbers normalised, keys sorted (explicitly, so that
/// a serde_json built with `preserve_order` would not change the bytes).
pub fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let sorted: std::collections::BTreeMap<&String, Value> = map.iter().map(|(k, v)| (k, canonical(v))).collect();
            Value::Object(sorted.into_iter().map(|(k, v)| (k.clone(), v)).collect::<Map<_, _>>())
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        Value::Number(n) => canonical_number(n),
        other => other.clone(),
    }
}

fn canonical_number(n: &Number) -> Value {
    if n.is_i64() || n.is_u64() {
        return Value::Number(n.clone());
    }
    let x = n.as_f64().unwrap_or(f64::NAN);
    let scale = 10f64.powi(DECIMALS);
    let rounded = (x * scale).round() / scale;
    if rounded == rounded.trunc() && rounded.abs() < 9.0e15 {
        // 2.0 and 2 are the same figure.
        return Value::Number(Number::from(rounded as i64));
    }
    Number::from_f64(rounded).map(Value::Number).unwrap_or(Value::Null)
}

/// Compact text of the canonical value.
pub fn canonical_text(value: &Value) -> String {
    serde_json::to_string(&canonical(value)).unwrap_or_default()
}

/// SHA-256 (hex) of the canonical text.
pub fn digest(value: &Value) -> String {
    sha256_hex(&canonical_text(value))
}

/// `now` cut to the shape of `recorded`: object keys that `recorded` does
/// not have are dropped (recursively; arrays element by element). A newer
/// deskql may add fields to a report document; an audit compares only what
/// it recorded, so those additions do not break verification.
pub fn project(now: &Value, recorded: &Value) -> Value {
    match (now, recorded) {
        (Value::Object(n), Value::Object(r)) => {
            Value::Object(n.iter().filter(|(k, _)| r.contains_key(*k)).map(|(k, v)| (k.clone(), project(v, &r[k]))).collect())
        }
        (Value::Array(n), Value::Array(r)) => {
            Value::Array(n.iter().enumerate().map(|(i, v)| r.get(i).map_or_else(|| v.clone(), |rv| project(v, rv))).collect())
        }
        (other, _) => other.clone(),
    }
}

/// Leaf-by-leaf differences between two values: `(path, left, right)`, with
/// paths like `cards[3].value` or `context.snapshot.id`.
pub fn differences(left: &Value, right: &Value) -> Vec<(String, Value, Value)> {
    let mut out = Vec::new();
    walk("", &canonical(left), &canonical(right), &mut out);
    out
}

fn walk(path: &str, left: &Value, right: &Value, out: &mut Vec<(String, Value, Value)>) {
    match (left, right) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                walk(&child, a.get(key).unwrap_or(&Value::Null), b.get(key).unwrap_or(&Value::Null), out);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for i in 0..a.len().max(b.len()) {
                walk(&format!("{path}[{i}]"), a.get(i).unwrap_or(&Value::Null), b.get(i).unwrap_or(&Value::Null), out);
            }
        }
        (a, b) if a != b => out.push((path.to_string(), a.clone(), b.clone())),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_order_and_float_noise_do_not_change_the_digest() {
        let a: Value = serde_json::from_str(r#"{"b": 1, "a": [0.1, 2.0, 3.3333333333]}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a": [0.10000000000000002, 2, 3.33333333331], "b": 1}"#).unwrap();
        assert_eq!(canonical_text(&a), r#"{"a":[0.1,2,3.333333],"b":1}"#);
        assert_eq!(digest(&a), digest(&b));
    }

    #[test]
    fn a_changed_figure_changes_the_digest_and_is_located() {
        let a = json!({"cards": [{"name": "replies", "value": 12}, {"name": "fr", "value": 3600.5}]});
        let b = json!({"cards": [{"name": "replies", "value": 12}, {"name": "fr", "value": 3601.5}]});
        assert_ne!(digest(&a), digest(&b));
        assert_eq!(differences(&a, &b), vec![("cards[1].value".to_string(), json!(3600.5), json!(3601.5))]);
        assert!(differences(&a, &a).is_empty());
    }

    #[test]
    fn projection_drops_fields_the_record_does_not_have() {
        let recorded = json!({"cards": [{"value": 1}], "header": {"a": 1}});
        let now = json!({"cards": [{"value": 1, "benchmark": 2}, {"value": 3}], "header": {"a": 1, "b": 2}, "extra": true});
        assert_eq!(project(&now, &recorded), json!({"cards": [{"value": 1}, {"value": 3}], "header": {"a": 1}}));
    }

    #[test]
    fn the_digest_is_the_sha256_of_the_canonical_text() {
        // Known answer: sha256("{}") computed independently (coreutils sha256sum).
        assert_eq!(digest(&json!({})), "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    }
}
