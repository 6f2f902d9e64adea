//! Compares one response, and what the handlers observed, with a request's
//! expectations. Each check that fails adds one message saying what was
//! received and what was expected.

use std::time::Duration;

use http::{HeaderMap, StatusCode, header};
use serde_json::Value;

use super::case::{Expect, JsonCheck};
use super::hooks::Observations;
use super::json::{excerpt, kind, lookup, same};

/// How much of a response body a message quotes.
const QUOTE_CHARS: usize = 300;

/// One response as the runner received it.
#[derive(Debug)]
pub struct Received {
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// Response body bytes.
    pub body: Vec<u8>,
    /// Time from sending the request to reading the whole response.
    pub latency: Duration,
}

/// Checks what every response must be, whatever its case expects: a body,
/// when there is one, is JSON sent as `application/json`, and a `401` has
/// the shape [`check_unauthorized`] checks.
pub fn check_invariants(received: &Received, secret: &str, failures: &mut Vec<String>) {
    if !received.body.is_empty() {
        check_content_type("application/json", &received.headers, failures);
        if let Err(error) = serde_json::from_slice::<Value>(&received.body) {
            failures.push(format!(
                "every reply with a body: not JSON ({error}): {}",
                quote(&received.body)
            ));
        }
    }
    check_unauthorized(received, secret, failures);
}

/// Checks what every `401` must be, whatever the case expects of it: a JSON
/// body `{"error": "unauthorized", "checkedHeaders": [...]}` that names the
/// headers looked at and does not contain `secret`, the configured secret.
pub fn check_unauthorized(received: &Received, secret: &str, failures: &mut Vec<String>) {
    if received.status != StatusCode::UNAUTHORIZED {
        return;
    }
    if !secret.is_empty()
        && received
            .body
            .windows(secret.len())
            .any(|part| part == secret.as_bytes())
    {
        failures.push("401 body contains the configured secret".to_owned());
    }
    let body = match serde_json::from_slice::<Value>(&received.body) {
        Ok(body) => body,
        Err(error) => {
            failures.push(format!(
                "401 body is not JSON ({error}): {}",
                quote(&received.body)
            ));
            return;
        }
    };
    if body["error"] != "unauthorized" {
        failures.push(format!(
            "401 body: `error` is not \"unauthorized\": {}",
            quote(&received.body)
        ));
    }
    let named = body["checkedHeaders"]
        .as_array()
        .is_some_and(|names| !names.is_empty() && names.iter().all(Value::is_string));
    if !named {
        failures.push(format!(
            "401 body: `checkedHeaders` does not list the headers looked at: {}",
            quote(&received.body)
        ));
    }
}

/// Checks one response against every response expectation in `expect`.
pub fn check_response(expect: &Expect, received: &Received, failures: &mut Vec<String>) {
    let status = received.status.as_u16();
    for (field, expected) in [
        ("status", expect.status),
        ("status_each", expect.status_each),
    ] {
        if let Some(expected) = expected {
            if status != expected {
                failures.push(format!(
                    "{field}: got {status}, expected {expected} (body {})",
                    quote(&received.body)
                ));
            }
        }
    }

    if let Some(expected) = &expect.content_type {
        check_content_type(expected, &received.headers, failures);
    }
    check_raw_body(expect, &received.body, failures);
    if expect.body.is_some() || !expect.json_checks.is_empty() {
        match serde_json::from_slice::<Value>(&received.body) {
            Ok(body) => check_json_body(expect, &body, failures),
            Err(error) => failures.push(format!(
                "response body is not JSON ({error}): {}",
                quote(&received.body)
            )),
        }
    }

    if let Some(max) = expect.max_latency_ms {
        let took = received.latency.as_millis();
        if took > u128::from(max) {
            failures.push(format!(
                "max_latency_ms: response took {took} ms, expected at most {max} ms"
            ));
        }
    }
}

fn check_content_type(expected: &str, headers: &HeaderMap, failures: &mut Vec<String>) {
    let received = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok());
    let media_type = received.map(|value| {
        value
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    });
    if media_type.as_deref() != Some(expected.trim().to_ascii_lowercase().as_str()) {
        failures.push(format!(
            "content_type: got {received:?}, expected `{expected}`"
        ));
    }
}

fn check_raw_body(expect: &Expect, body: &[u8], failures: &mut Vec<String>) {
    let text = String::from_utf8_lossy(body);
    for needle in &expect.body_contains {
        if !text.contains(needle.as_str()) {
            failures.push(format!("body_contains: `{needle}` not in {}", quote(body)));
        }
    }
    for needle in &expect.body_not_contains {
        if text.contains(needle.as_str()) {
            failures.push(format!(
                "body_not_contains: `{needle}` found in {}",
                quote(body)
            ));
        }
    }
}

fn check_json_body(expect: &Expect, body: &Value, failures: &mut Vec<String>) {
    if let Some(expected) = &expect.body {
        if !same(body, expected) {
            failures.push(format!("body: got {body}, expected {expected}"));
        }
    }
    for check in &expect.json_checks {
        check_json_path(check, body, failures);
    }
}

/// Applies one `json_checks` entry; an entry with no test in it is itself
/// reported, so it cannot pass by checking nothing.
fn check_json_path(check: &JsonCheck, body: &Value, failures: &mut Vec<String>) {
    let path = &check.path;
    let found = lookup(body, path);
    let mut tested = false;

    if let Some(expected) = &check.equals {
        tested = true;
        match found {
            Some(value) if same(value, expected) => {}
            Some(value) => failures.push(format!(
                "json_checks: `{path}` is {value}, expected {expected}"
            )),
            None => failures.push(format!(
                "json_checks: `{path}` is missing, expected {expected}"
            )),
        }
    }

    let must_exist = match (check.exists, check.absent) {
        (Some(exists), Some(absent)) if exists == absent => {
            failures.push(format!(
                "json_checks: `{path}` has contradictory `exists` and `absent`"
            ));
            None
        }
        (Some(exists), _) => Some(exists),
        (None, Some(absent)) => Some(!absent),
        (None, None) => None,
    };
    if let Some(must_exist) = must_exist {
        tested = true;
        match (must_exist, found) {
            (true, None) => failures.push(format!("json_checks: `{path}` is missing in {body}")),
            (false, Some(value)) => failures.push(format!(
                "json_checks: `{path}` is {value}, expected it to be absent"
            )),
            _ => {}
        }
    }

    if let Some(expected) = check.length {
        tested = true;
        let length = found.and_then(|value| match value {
            Value::Array(items) => Some(items.len()),
            Value::Object(map) => Some(map.len()),
            Value::String(text) => Some(text.chars().count()),
            _ => None,
        });
        match (length, found) {
            (Some(length), _) if length == expected => {}
            (Some(length), _) => failures.push(format!(
                "json_checks: `{path}` has length {length}, expected {expected}"
            )),
            (None, Some(value)) => failures.push(format!(
                "json_checks: `{path}` is {}, which has no length",
                kind(value)
            )),
            (None, None) => failures.push(format!(
                "json_checks: `{path}` is missing, expected length {expected}"
            )),
        }
    }

    if !tested {
        failures.push(format!(
            "json_checks: the entry for `{path}` has no `equals`, `exists`, `absent` or `length`"
        ));
    }
}

/// Checks what the handlers observed over all deliveries of a request.
pub fn check_handlers(expect: &Expect, observed: &Observations, failures: &mut Vec<String>) {
    if let Some(expected) = expect.handler_called {
        let calls = observed.calls();
        if (calls > 0) != expected {
            failures.push(format!(
                "handler_called: {calls} handler calls, expected {}",
                if expected { "at least one" } else { "none" }
            ));
        }
    }

    if expect.handler_sees.is_empty() {
        return;
    }
    let Some(seen) = observed.seen() else {
        failures.push("handler_sees: no handler received a typed message".to_owned());
        return;
    };
    for entry in &expect.handler_sees {
        match lookup(&seen, &entry.path) {
            Some(value) if same(value, &entry.equals) => {}
            Some(value) => failures.push(format!(
                "handler_sees: `{}` is {value}, expected {}",
                entry.path, entry.equals
            )),
            None => failures.push(format!(
                "handler_sees: `{}` is missing from the typed message, expected {}",
                entry.path, entry.equals
            )),
        }
    }
}

fn quote(body: &[u8]) -> String {
    format!("{:?}", excerpt(&String::from_utf8_lossy(body), QUOTE_CHARS))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn received(status: u16, body: &str) -> Received {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            "application/json; charset=utf-8".parse().unwrap(),
        );
        Received {
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: body.as_bytes().to_vec(),
            latency: Duration::from_millis(5),
        }
    }

    fn unauthorized_failures(body: &str) -> Vec<String> {
        let mut failures = Vec::new();
        check_unauthorized(&received(401, body), "s3cret", &mut failures);
        failures
    }

    #[test]
    fn unauthorized_shape_checked() {
        let good = r#"{"error":"unauthorized","checkedHeaders":["x-vapi-secret"]}"#;
        assert_eq!(unauthorized_failures(good), Vec::<String>::new());

        let leaks = r#"{"error":"unauthorized: expected s3cret","checkedHeaders":["x"]}"#;
        let failures = unauthorized_failures(leaks);
        assert!(
            failures[0].contains("contains the configured secret"),
            "{failures:?}"
        );
        assert!(failures[1].contains("`error`"), "{failures:?}");

        let no_headers = r#"{"error":"unauthorized","checkedHeaders":[]}"#;
        assert!(unauthorized_failures(no_headers)[0].contains("`checkedHeaders`"));
        assert!(unauthorized_failures("unauthorized")[0].contains("not JSON"));

        let mut failures = Vec::new();
        let mut plain = received(200, "{}");
        plain
            .headers
            .insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
        check_invariants(&plain, "s3cret", &mut failures);
        assert!(failures[0].contains("content_type"), "{failures:?}");
        let mut failures = Vec::new();
        check_invariants(&received(200, "not json"), "s3cret", &mut failures);
        assert!(failures[0].contains("not JSON"), "{failures:?}");

        // Other statuses are not this check's business.
        let mut failures = Vec::new();
        check_unauthorized(&received(200, "s3cret"), "s3cret", &mut failures);
        assert!(failures.is_empty());
    }

    fn failures_of(expect: serde_json::Value, received: &Received) -> Vec<String> {
        let expect: Expect = serde_json::from_value(expect).unwrap();
        let mut failures = Vec::new();
        check_response(&expect, received, &mut failures);
        failures
    }

    #[test]
    fn matching_response_has_no_failures() {
        let response = received(200, r#"{"results":[{"toolCallId":"a","error":"x"}]}"#);

        let failures = failures_of(
            json!({
                "status": 200,
                "content_type": "application/json",
                "body": {"results": [{"error": "x", "toolCallId": "a"}]},
                "json_checks": [
                    {"path": "results", "length": 1},
                    {"path": "results.0.error", "equals": "x"},
                    {"path": "results.0.result", "absent": true},
                    {"path": "results.0.toolCallId", "exists": true}
                ],
                "body_contains": ["toolCallId"],
                "body_not_contains": [":null"],
                "max_latency_ms": 100
            }),
            &response,
        );

        assert!(failures.is_empty(), "{failures:?}");
    }

    #[test]
    fn each_wrong_expectation_is_reported() {
        let response = received(200, r#"{"results":[{"toolCallId":"a","error":"x"}]}"#);

        let failures = failures_of(
            json!({
                "status": 401,
                "content_type": "text/plain",
                "body": {},
                "json_checks": [
                    {"path": "results", "length": 2},
                    {"path": "results.0.error", "equals": "y"},
                    {"path": "results.0.error", "absent": true},
                    {"path": "error", "exists": true},
                    {"path": "results"}
                ],
                "body_contains": ["result\""],
                "body_not_contains": ["error"],
                "max_latency_ms": 1
            }),
            &response,
        );

        let fields = [
            "status:",
            "content_type:",
            "body:",
            "has length 1",
            "expected \"y\"",
            "expected it to be absent",
            "`error` is missing",
            "has no `equals`",
            "body_contains:",
            "body_not_contains:",
            "max_latency_ms:",
        ];
        for field in fields {
            assert!(
                failures.iter().any(|failure| failure.contains(field)),
                "no failure mentions {field:?}: {failures:#?}"
            );
        }
        assert_eq!(failures.len(), fields.len(), "{failures:#?}");
    }

    #[test]
    fn non_json_body_is_reported() {
        let response = received(400, "not json");

        let failures = failures_of(json!({"status": 400, "body": {}}), &response);

        assert_eq!(failures.len(), 1);
        assert!(failures[0].contains("not JSON"), "{failures:?}");
    }
}
