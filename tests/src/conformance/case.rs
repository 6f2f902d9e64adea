//! The conformance case file format, read strictly: an unknown key is an
//! error, so a case that needs a feature this runner lacks fails loudly
//! instead of passing without its check.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// One case file: a request (or a few), the receiver settings and the
/// expected responses.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The case name, e.g. `C01`.
    pub id: String,
    /// Request headers, sent as written.
    #[serde(default)]
    pub headers: Headers,
    /// The request body: an object to serialise, or a string of exact bytes.
    pub body: Option<Value>,
    /// Builds a large body by repeating a string inside `body`.
    pub body_repeat: Option<BodyRepeat>,
    /// Receiver settings; absent means the defaults.
    pub config: Option<Config>,
    /// How many times the same request is sent.
    pub repeat: Option<u32>,
    /// Further requests, each with its own expectations.
    #[serde(default)]
    pub variants: Vec<Variant>,
    /// The expected response.
    pub expect: Expect,
    /// What the case protects, in one paragraph.
    pub note: Option<String>,
}

/// Request headers by name, names and values as written.
pub type Headers = BTreeMap<String, String>;

/// A further request of a case. `headers`, `body` and `config` each replace
/// the case's value when given; otherwise the case's value is reused.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// A short description, printed with the result.
    pub name: String,
    /// Replaces the case's headers.
    pub headers: Option<Headers>,
    /// Replaces the case's body.
    pub body: Option<Value>,
    /// Replaces the case's `body_repeat`.
    pub body_repeat: Option<BodyRepeat>,
    /// Replaces the case's whole `config`.
    pub config: Option<Config>,
    /// How many times this variant's request is sent.
    pub repeat: Option<u32>,
    /// The expected response.
    pub expect: Expect,
}

/// `{path, unit, times}`: the string at `path` inside `body` becomes `unit`
/// repeated `times` times.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyRepeat {
    /// Dot-separated path of a string inside `body`.
    pub path: String,
    /// The text repeated.
    pub unit: String,
    /// How many copies.
    pub times: usize,
}

/// Receiver settings of a case.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Authentication; absent means the shared secret `test-secret-not-real`.
    pub auth: Option<AuthConfig>,
    /// The receiver's clock, pinned, in Unix seconds.
    pub clock_unix_s: Option<u64>,
    /// Deadline, fallback and test-handler delay of assistant-request.
    pub assistant_request: Option<AssistantRequestConfig>,
}

/// `config.auth`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AuthConfig {
    /// `shared_secret` or `hmac`.
    pub mode: String,
    /// The shared secret or HMAC key.
    pub secret: String,
    /// HMAC algorithm: `sha256`, `sha512` or `sha1`.
    pub algorithm: Option<String>,
    /// Header carrying the HMAC signature.
    pub signature_header: Option<String>,
    /// Header carrying the signed timestamp.
    pub timestamp_header: Option<String>,
    /// Whether the signed text includes the timestamp.
    pub include_timestamp: Option<bool>,
    /// The signed text, e.g. `{timestamp}.{body}`.
    pub payload_format: Option<String>,
    /// `hex` or `base64`.
    pub encoding: Option<String>,
    /// Accepted timestamp age, in either direction, in seconds.
    pub tolerance_seconds: Option<u64>,
}

/// `config.assistant_request`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssistantRequestConfig {
    /// How long the handler may run, in milliseconds.
    pub deadline_ms: Option<u64>,
    /// The reply sent when the deadline passes.
    pub fallback: Option<Value>,
    /// How long the test handler sleeps before answering, in milliseconds.
    pub handler_delay_ms: Option<u64>,
}

/// The expectations of one request.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// HTTP status of every response.
    pub status: Option<u16>,
    /// With `repeat`: the status of every delivery.
    pub status_each: Option<u16>,
    /// Media type of the response, parameters ignored.
    pub content_type: Option<String>,
    /// The response body, compared as parsed JSON.
    pub body: Option<Value>,
    /// Checks by path on the parsed response.
    #[serde(default)]
    pub json_checks: Vec<JsonCheck>,
    /// Substrings the raw response body must contain.
    #[serde(default)]
    pub body_contains: Vec<String>,
    /// Substrings the raw response body must not contain.
    #[serde(default)]
    pub body_not_contains: Vec<String>,
    /// Whether any user handler ran.
    pub handler_called: Option<bool>,
    /// Values the typed message handed to the handler must hold.
    #[serde(default)]
    pub handler_sees: Vec<PathEquals>,
    /// Upper bound on each response time, in milliseconds.
    pub max_latency_ms: Option<u64>,
    /// Whether building the receiver must fail.
    pub startup_error: Option<bool>,
}

impl Expect {
    /// Returns whether no field is set, so a request would pass whatever it
    /// received. `startup_error: false` still counts as set: the receiver
    /// must build.
    pub fn checks_nothing(&self) -> bool {
        let Expect {
            status,
            status_each,
            content_type,
            body,
            json_checks,
            body_contains,
            body_not_contains,
            handler_called,
            handler_sees,
            max_latency_ms,
            startup_error,
        } = self;
        status.is_none()
            && status_each.is_none()
            && content_type.is_none()
            && body.is_none()
            && json_checks.is_empty()
            && body_contains.is_empty()
            && body_not_contains.is_empty()
            && handler_called.is_none()
            && handler_sees.is_empty()
            && max_latency_ms.is_none()
            && startup_error.is_none()
    }
}

/// One `json_checks` entry: a path and one or more tests, all of which
/// must hold.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonCheck {
    /// Dot-separated path with numeric array indexes, e.g. `results.0.error`.
    pub path: String,
    /// The value at `path` equals this.
    pub equals: Option<Value>,
    /// `true`: the path is present; `false`: it is absent.
    pub exists: Option<bool>,
    /// `true`: the path is absent; `false`: it is present.
    pub absent: Option<bool>,
    /// The array (or object, or string) at `path` has this many entries.
    pub length: Option<usize>,
}

/// One `handler_sees` entry.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathEquals {
    /// Dot-separated path into the typed message serialised back to JSON.
    pub path: String,
    /// The value expected there.
    pub equals: Value,
}

/// One request to send, after a variant's overrides are applied.
#[derive(Clone, Debug)]
pub struct Request {
    /// `C01`, or `C08 [wrong secret]` for a variant.
    pub label: String,
    /// The case id.
    pub case_id: String,
    /// Headers to send.
    pub headers: Headers,
    /// The body as written in the file.
    pub body: Option<Value>,
    /// The repetition to apply to `body`.
    pub body_repeat: Option<BodyRepeat>,
    /// Receiver settings.
    pub config: Config,
    /// How many times to send it.
    pub repeat: u32,
    /// The expectations.
    pub expect: Expect,
}

impl Case {
    /// Expands the case into its main request and one request per variant.
    pub fn requests(&self) -> Vec<Request> {
        let main = Request {
            label: self.id.clone(),
            case_id: self.id.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            body_repeat: self.body_repeat.clone(),
            config: self.config.clone().unwrap_or_default(),
            repeat: self.repeat.unwrap_or(1),
            expect: self.expect.clone(),
        };

        let variants = self.variants.iter().map(|variant| {
            // A variant with a body of its own does not inherit the case's
            // repetition, whose path may not exist in that body.
            let body_repeat = match (&variant.body_repeat, &variant.body) {
                (Some(repeat), _) => Some(repeat.clone()),
                (None, Some(_)) => None,
                (None, None) => self.body_repeat.clone(),
            };
            Request {
                label: format!("{} [{}]", self.id, variant.name),
                case_id: self.id.clone(),
                headers: variant
                    .headers
                    .clone()
                    .unwrap_or_else(|| self.headers.clone()),
                body: variant.body.clone().or_else(|| self.body.clone()),
                body_repeat,
                config: variant
                    .config
                    .clone()
                    .or_else(|| self.config.clone())
                    .unwrap_or_default(),
                repeat: variant.repeat.unwrap_or(1),
                expect: variant.expect.clone(),
            }
        });

        std::iter::once(main).chain(variants).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn case(value: Value) -> Case {
        serde_json::from_value(value).expect("valid case")
    }

    #[test]
    fn variant_inherits_unless_overridden() {
        let case = case(json!({
            "id": "X01",
            "headers": {"x-vapi-secret": "a"},
            "body": {"message": {"type": "status-update", "t": ""}},
            "body_repeat": {"path": "message.t", "unit": "ab", "times": 3},
            "config": {"clock_unix_s": 5},
            "expect": {"status": 200},
            "variants": [
                {"name": "same", "expect": {"status": 200}},
                {"name": "new body", "body": {"message": {}}, "expect": {"status": 400}},
                {"name": "new config", "config": {}, "headers": {}, "expect": {"status": 401}}
            ]
        }));

        let requests = case.requests();

        assert_eq!(requests.len(), 4);
        assert_eq!(requests[1].label, "X01 [same]");
        assert_eq!(requests[1].headers, case.headers);
        assert!(requests[1].body_repeat.is_some());
        assert_eq!(requests[1].config.clock_unix_s, Some(5));
        assert!(requests[2].body_repeat.is_none());
        assert_eq!(requests[2].body, Some(json!({"message": {}})));
        assert_eq!(requests[3].config.clock_unix_s, None);
        assert!(requests[3].headers.is_empty());
    }

    #[test]
    fn unknown_key_is_an_error() {
        let result = serde_json::from_value::<Case>(json!({
            "id": "X02",
            "expect": {"status": 200, "staus_each": 200}
        }));

        let error = result.expect_err("typo in an expectation");
        assert!(error.to_string().contains("staus_each"), "{error}");
    }
}
