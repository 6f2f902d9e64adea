//! Dot-separated JSON paths (`results.0.error`) and JSON comparison as the
//! case format defines them.

use serde_json::Value;

/// Finds the value at a dot-separated path; numeric segments index arrays.
/// The empty path is the value itself.
pub fn lookup<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    if path.is_empty() {
        return Some(value);
    }
    path.split('.')
        .try_fold(value, |current, segment| match current {
            Value::Object(map) => map.get(segment),
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
            _ => None,
        })
}

/// Replaces the string at `path` with `text`. The path must lead to a
/// string that exists, so a typo in a case is reported rather than adding
/// a new key.
pub fn set_string(value: &mut Value, path: &str, text: String) -> Result<(), String> {
    let mut current = value;
    for segment in path.split('.') {
        current = match current {
            Value::Object(map) => map.get_mut(segment),
            Value::Array(items) => segment
                .parse::<usize>()
                .ok()
                .and_then(|index| items.get_mut(index)),
            _ => None,
        }
        .ok_or_else(|| format!("`body_repeat.path` `{path}` not found in `body`"))?;
    }

    match current {
        Value::String(slot) => {
            *slot = text;
            Ok(())
        }
        other => Err(format!(
            "`body_repeat.path` `{path}` is {}, expected a string",
            kind(other)
        )),
    }
}

/// Compares two JSON values, object keys in any order; numbers compare by
/// value, so `1` equals `1.0`.
pub fn same(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(a), Value::Number(b)) => match (a.as_i64(), b.as_i64()) {
            (Some(a), Some(b)) => a == b,
            _ => a.as_f64() == b.as_f64(),
        },
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, x)| b.get(key).is_some_and(|y| same(x, y)))
        }
        _ => left == right,
    }
}

/// Names the JSON type of a value, for messages.
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

/// Shortens text for a message, keeping its start.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => format!("{}… ({} bytes)", &text[..end], text.len()),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lookup_walks_objects_and_arrays() {
        let value = json!({"results": [{"error": "x"}, {"result": "y"}]});

        assert_eq!(lookup(&value, "results.0.error"), Some(&json!("x")));
        assert_eq!(lookup(&value, "results.1.result"), Some(&json!("y")));
        assert_eq!(lookup(&value, "results.2"), None);
        assert_eq!(lookup(&value, "results.first"), None);
        assert_eq!(lookup(&value, "results.0.error.deeper"), None);
        assert_eq!(lookup(&value, ""), Some(&value));
    }

    #[test]
    fn set_string_requires_an_existing_string() {
        let mut value = json!({"message": {"artifact": {"transcript": ""}, "n": 1}});

        set_string(&mut value, "message.artifact.transcript", "ab".into()).unwrap();
        assert_eq!(value["message"]["artifact"]["transcript"], "ab");
        let missing = set_string(&mut value, "message.summary", "x".into()).unwrap_err();
        assert!(missing.contains("not found"), "{missing}");
        let number = set_string(&mut value, "message.n", "x".into()).unwrap_err();
        assert!(number.contains("a number"), "{number}");
    }

    #[test]
    fn same_ignores_key_order_and_number_form() {
        let left: Value = serde_json::from_str(r#"{"a": 1, "b": [1.0, "x"]}"#).unwrap();
        let right: Value = serde_json::from_str(r#"{"b": [1, "x"], "a": 1.0}"#).unwrap();

        assert!(same(&left, &right));
        assert!(!same(&json!({"a": 1}), &json!({"a": 1, "b": null})));
        assert!(!same(&json!([1, 2]), &json!([2, 1])));
        assert!(!same(&json!(1), &json!("1")));
    }

    #[test]
    fn excerpt_keeps_short_text() {
        assert_eq!(excerpt("abc", 5), "abc");
        assert_eq!(excerpt("abcdef", 3), "abc… (6 bytes)");
    }
}
