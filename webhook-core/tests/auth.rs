//! Authentication of deliveries through the public API. The tests cover
//! shared secrets in each header form, HMAC in each algorithm, encoding and
//! payload format, timestamp tolerance against a pinned clock, and
//! configuration errors. The data of conformance cases C08, C09 and C10 is
//! copied here and also sent through a real receiver.
//!
//! Expected signatures are computed here with the `hmac` crate, except the
//! C10 one, which is taken from the case as Vapi would send it.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use sha1::Sha1;
use sha2::{Sha256, Sha512};
use webhook_core::auth::{HmacAlgorithm, HmacBuilder, SignatureEncoding};
use webhook_core::{Auth, ConfigError, Delivery, Handled, HookError, Hooks, Namespace, Receiver};

use common::LogBuffer;

const SECRET: &str = "test-secret-not-real";

/// Unix seconds of the pinned clock: 2026-01-01T00:00:00Z.
const NOW: u64 = 1_767_225_600;

const SHARED_SECRET_HEADERS: [&str; 3] = ["x-vapi-secret", "x-vapi-signature", "authorization"];

/// The status-update message of C08, compact.
const STATUS_UPDATE: &str = r#"{"message":{"type":"status-update","status":"ended","endedReason":"customer-ended-call","call":{"id":"call-test-0014"}}}"#;

/// The tool-calls message of C09, compact.
const TOOL_CALLS: &str = r#"{"message":{"type":"tool-calls","timestamp":1767225600000,"call":{"id":"call-test-0015","type":"inboundPhoneCall"},"toolCallList":[{"id":"call_Tst0015NoAuthAAAAAAAAA","type":"function","function":{"name":"echo_args","arguments":{"x":1}}}]}}"#;

/// The exact body of C10, with its pretty-printing, escapes and `1.50`.
const C10_BODY: &str = "{\n  \"message\" : {\n    \"status\" : \"ended\",\n    \"type\" : \"status-update\",\n    \"call\" : { \"id\" : \"call-test-0016\" },\n    \"customer\" : { \"name\" : \"Ren\\u00e9e Example\", \"number\" : \"+15555550116\" },\n    \"recordingUrl\" : \"https:\\/\\/example.invalid\\/rec\\/0016.wav\",\n    \"cost\" : 1.50\n  }\n}\n";

/// The `x-signature` header of C10.
const C10_SIGNATURE: &str = "9627934fa88ddcacbd2459ee2ccd5ba68e23823eeeb162e16a1be956df17fd9b";

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        let name = HeaderName::from_bytes(name.as_bytes()).unwrap();
        map.append(name, HeaderValue::from_str(value).unwrap());
    }
    map
}

fn sign<M: Mac + KeyInit>(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = <M as KeyInit>::new_from_slice(key).unwrap();
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

fn sha256_hex(parts: &[&[u8]]) -> String {
    hex::encode(sign::<Hmac<Sha256>>(SECRET.as_bytes(), parts))
}

fn pinned_clock() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(NOW)
}

fn shared_secret() -> Auth {
    Auth::shared_secret(SECRET).unwrap()
}

/// HMAC with every default: SHA-256, hex, `{timestamp}.{body}`, 300 s.
fn default_hmac() -> Auth {
    Auth::hmac(SECRET).build().unwrap().with_clock(pinned_clock)
}

/// Headers of a default-HMAC delivery of `body` signed at `timestamp`.
fn timestamped(body: &str, timestamp: &str) -> HeaderMap {
    let signature = sha256_hex(&[timestamp.as_bytes(), b".", body.as_bytes()]);
    headers(&[("x-signature", &signature), ("x-timestamp", timestamp)])
}

fn reason(auth: &Auth, headers: &HeaderMap, body: &str) -> &'static str {
    auth.verify(headers, body.as_bytes()).unwrap_err().reason()
}

// Shared secret.

#[test]
fn c08_x_vapi_signature_accepted() {
    let request = headers(&[
        ("Content-Type", "application/json"),
        ("X-Vapi-Signature", SECRET),
    ]);
    assert_eq!(
        shared_secret().verify(&request, STATUS_UPDATE.as_bytes()),
        Ok(())
    );
}

#[test]
fn c08_lowercase_x_vapi_secret_accepted() {
    let request = headers(&[
        ("Content-Type", "application/json"),
        ("x-vapi-secret", SECRET),
    ]);
    assert_eq!(
        shared_secret().verify(&request, STATUS_UPDATE.as_bytes()),
        Ok(())
    );
}

#[test]
fn shared_secret_header_names_ignore_case() {
    for name in ["X-VAPI-SECRET", "x-Vapi-Signature", "AUTHORIZATION"] {
        let value = if name == "AUTHORIZATION" {
            format!("Bearer {SECRET}")
        } else {
            SECRET.to_owned()
        };
        let request = headers(&[(name, &value)]);
        assert_eq!(
            shared_secret().verify(&request, STATUS_UPDATE.as_bytes()),
            Ok(()),
            "{name}"
        );
    }
}

#[test]
fn c08_wrong_secret_rejected() {
    let request = headers(&[
        ("Content-Type", "application/json"),
        ("x-vapi-secret", "not-the-secret"),
    ]);

    let rejection = shared_secret()
        .verify(&request, STATUS_UPDATE.as_bytes())
        .unwrap_err();

    assert_eq!(rejection.reason(), "secret mismatch");
    assert_eq!(rejection.checked_headers(), SHARED_SECRET_HEADERS);
    assert!(!rejection.to_string().contains(SECRET));
    assert!(!format!("{rejection:?}").contains(SECRET));
}

#[test]
fn bearer_secret_accepted() {
    for value in [
        format!("Bearer {SECRET}"),
        format!("bearer {SECRET}"),
        format!("Bearer   {SECRET}"),
    ] {
        let request = headers(&[("Authorization", &value)]);
        assert_eq!(
            shared_secret().verify(&request, TOOL_CALLS.as_bytes()),
            Ok(()),
            "{value}"
        );
    }
}

#[test]
fn bearer_wrong_secret_rejected() {
    let request = headers(&[("Authorization", "Bearer not-the-secret")]);
    assert_eq!(
        reason(&shared_secret(), &request, TOOL_CALLS),
        "secret mismatch"
    );
}

#[test]
fn authorization_other_scheme_rejected() {
    for value in [
        format!("Basic {SECRET}"),
        format!("Token {SECRET}"),
        SECRET.to_owned(),
        format!("Bearer{SECRET}"),
    ] {
        let request = headers(&[("Authorization", &value)]);
        assert_eq!(
            reason(&shared_secret(), &request, TOOL_CALLS),
            "unsupported authorization scheme",
            "{value}"
        );
    }
}

#[test]
fn c09_missing_header_rejected() {
    let request = headers(&[("Content-Type", "application/json")]);

    let rejection = shared_secret()
        .verify(&request, TOOL_CALLS.as_bytes())
        .unwrap_err();

    assert_eq!(rejection.reason(), "missing credentials");
    assert_eq!(rejection.checked_headers(), SHARED_SECRET_HEADERS);
}

#[test]
fn near_miss_secrets_rejected() {
    let near_misses = [
        &SECRET[..SECRET.len() - 1],
        &format!("{SECRET}x"),
        &format!("{SECRET} "),
        &SECRET.to_uppercase(),
        "",
    ]
    .map(str::to_owned);

    for candidate in near_misses {
        let request = headers(&[("x-vapi-secret", &candidate)]);
        assert_eq!(
            reason(&shared_secret(), &request, STATUS_UPDATE),
            "secret mismatch",
            "{candidate:?}"
        );
    }
}

#[test]
fn one_right_header_is_enough() {
    let request = headers(&[
        ("Authorization", "Basic dXNlcjpwYXNz"),
        ("x-vapi-signature", "stale-secret"),
        ("x-vapi-secret", SECRET),
    ]);
    assert_eq!(
        shared_secret().verify(&request, STATUS_UPDATE.as_bytes()),
        Ok(())
    );
}

#[test]
fn shared_secret_ignores_body() {
    let request = headers(&[("x-vapi-secret", SECRET)]);
    assert_eq!(shared_secret().verify(&request, b"not even json"), Ok(()));
}

#[test]
fn none_accepts_everything() {
    let auth = Auth::none();
    assert!(auth.is_none());
    assert!(!shared_secret().is_none());
    assert_eq!(auth.verify(&HeaderMap::new(), b""), Ok(()));
}

// Bearer plans that change the header or drop the prefix.

#[test]
fn bearer_default_reads_authorization_only() {
    let auth = Auth::bearer(SECRET).build().unwrap();
    let accepted = headers(&[("Authorization", &format!("bearer {SECRET}"))]);
    assert_eq!(auth.verify(&accepted, b"{}"), Ok(()));

    // The one header of the plan, not the other shared-secret headers.
    let elsewhere = headers(&[("X-Vapi-Secret", SECRET)]);
    let rejection = auth.verify(&elsewhere, b"{}").unwrap_err();
    assert_eq!(rejection.reason(), "missing credentials");
    assert_eq!(rejection.checked_headers(), ["authorization"]);
}

#[test]
fn bearer_custom_header_without_prefix() {
    let auth = Auth::bearer(SECRET)
        .header_name("X-Api-Key")
        .bearer_prefix(false)
        .build()
        .unwrap();
    assert_eq!(
        auth.verify(&headers(&[("x-api-key", SECRET)]), b"{}"),
        Ok(())
    );

    let prefixed = headers(&[("x-api-key", &format!("Bearer {SECRET}"))]);
    assert_eq!(reason(&auth, &prefixed, "{}"), "secret mismatch");

    let authorization = headers(&[("Authorization", &format!("Bearer {SECRET}"))]);
    let rejection = auth.verify(&authorization, b"{}").unwrap_err();
    assert_eq!(rejection.reason(), "missing credentials");
    assert_eq!(rejection.checked_headers(), ["x-api-key"]);
}

#[test]
fn bearer_authorization_without_prefix() {
    let auth = Auth::bearer(SECRET).bearer_prefix(false).build().unwrap();
    assert_eq!(
        auth.verify(&headers(&[("Authorization", SECRET)]), b"{}"),
        Ok(())
    );
    let prefixed = headers(&[("Authorization", &format!("Bearer {SECRET}"))]);
    assert_eq!(reason(&auth, &prefixed, "{}"), "secret mismatch");
}

#[test]
fn bearer_custom_header_with_prefix() {
    let auth = Auth::bearer(SECRET).header_name("x-token").build().unwrap();
    let accepted = headers(&[("x-token", &format!("Bearer {SECRET}"))]);
    assert_eq!(auth.verify(&accepted, b"{}"), Ok(()));

    let bare = headers(&[("x-token", SECRET)]);
    assert_eq!(
        reason(&auth, &bare, "{}"),
        "unsupported authorization scheme"
    );
}

#[test]
fn bearer_settings_are_checked() {
    assert!(matches!(
        Auth::bearer(SECRET).header_name("bad header").build(),
        Err(ConfigError::InvalidHeaderName(name)) if name == "bad header"
    ));
    assert!(matches!(
        Auth::bearer("").build(),
        Err(ConfigError::EmptySecret)
    ));
    assert!(matches!(
        Auth::bearer(format!("{SECRET}\n")).build(),
        Err(ConfigError::InvalidSharedSecret { .. })
    ));
}

// Configuration errors.

#[test]
fn c09_empty_secret_is_config_error() {
    assert_eq!(
        Auth::shared_secret("").unwrap_err(),
        ConfigError::EmptySecret
    );
    assert_eq!(
        Auth::hmac("").build().unwrap_err(),
        ConfigError::EmptySecret
    );
    assert_eq!(
        Auth::hmac("").key_is_base64(true).build().unwrap_err(),
        ConfigError::EmptySecret
    );
}

#[test]
fn shared_secret_header_cannot_carry_rejected() {
    let cases = [
        ("s3cret\n", "ends with a newline"),
        ("s3cret\r\n", "ends with a newline"),
        ("s3cret ", "ends with whitespace"),
        ("s3cret\t", "ends with whitespace"),
        ("s3cret\r", "ends with whitespace"),
        (" s3cret", "starts with whitespace"),
        ("\ts3cret", "starts with whitespace"),
        ("\ns3cret", "starts with whitespace"),
        ("   ", "is only whitespace"),
        ("\n", "is only whitespace"),
        ("s3c\nret", "contains a control character"),
        ("s3c\rret", "contains a control character"),
        ("s3c\0ret", "contains a control character"),
        ("s3c\x1bret", "contains a control character"),
        ("s3c\x7fret", "contains a control character"),
    ];

    for (secret, problem) in cases {
        let error = Auth::shared_secret(secret).unwrap_err();
        let message = error.to_string();

        assert!(
            matches!(error, ConfigError::InvalidSharedSecret { .. }),
            "{secret:?}: {error:?}"
        );
        assert!(message.contains(problem), "{secret:?}: {message}");
        assert!(!message.contains("s3c"), "{secret:?}: {message}");
        assert!(
            !format!("{error:?}").contains("s3c"),
            "{secret:?}: {error:?}"
        );
    }
}

#[test]
fn shared_secret_inner_whitespace_accepted() {
    // HTTP keeps spaces, tabs and non-ASCII bytes inside a header value.
    for secret in ["s3c ret", "s3c\tret", "s3crét", "\u{a0}s3cret\u{a0}"] {
        let auth = Auth::shared_secret(secret).unwrap();
        let request = headers(&[("x-vapi-secret", secret)]);

        assert_eq!(
            auth.verify(&request, STATUS_UPDATE.as_bytes()),
            Ok(()),
            "{secret:?}"
        );
    }
}

#[test]
fn hmac_key_whitespace_accepted() {
    // An HMAC key never travels in a header, so any bytes are a valid key.
    let key = " key with spaces\n";
    let auth = Auth::hmac(key).include_timestamp(false).build().unwrap();
    let signature = hex::encode(sign::<Hmac<Sha256>>(
        key.as_bytes(),
        &[STATUS_UPDATE.as_bytes()],
    ));
    let request = headers(&[("x-signature", &signature)]);

    assert_eq!(auth.verify(&request, STATUS_UPDATE.as_bytes()), Ok(()));
}

#[test]
fn invalid_base64_key_is_config_error() {
    let error = Auth::hmac("not base64!")
        .key_is_base64(true)
        .build()
        .unwrap_err();
    assert_eq!(error, ConfigError::SecretNotBase64);
    assert!(!error.to_string().contains("not base64!"));
}

#[test]
fn invalid_header_names_are_config_errors() {
    let invalid = ["x signature", "", "x-sig\n"];
    for name in invalid {
        let expected = ConfigError::InvalidHeaderName(name.to_owned());
        assert_eq!(
            Auth::hmac(SECRET)
                .signature_header(name)
                .build()
                .unwrap_err(),
            expected
        );
        assert_eq!(
            Auth::hmac(SECRET)
                .timestamp_header(name)
                .build()
                .unwrap_err(),
            expected
        );
        assert_eq!(
            Auth::hmac(SECRET)
                .message_id_header(name)
                .build()
                .unwrap_err(),
            expected
        );
    }
}

#[test]
fn payload_format_without_body_is_config_error() {
    let error = Auth::hmac(SECRET)
        .payload_format("{timestamp}.{Body}")
        .build()
        .unwrap_err();
    assert_eq!(
        error,
        ConfigError::PayloadFormatWithoutBody("{timestamp}.{Body}".to_owned())
    );
}

#[test]
fn payload_format_disagreeing_on_timestamp_is_config_error() {
    let without = Auth::hmac(SECRET)
        .payload_format("{body}")
        .build()
        .unwrap_err();
    assert_eq!(
        without,
        ConfigError::PayloadFormatWithoutTimestamp("{body}".to_owned())
    );

    let excluded = Auth::hmac(SECRET)
        .include_timestamp(false)
        .payload_format("{timestamp}.{body}")
        .build()
        .unwrap_err();
    assert_eq!(
        excluded,
        ConfigError::PayloadFormatTimestampExcluded("{timestamp}.{body}".to_owned())
    );
}

#[test]
fn method_and_url_signed() {
    let url = "https://agent.example.com/api/webhook";
    let auth = |server_url: &str| {
        Auth::hmac(SECRET)
            .payload_format("{method}.{url}.{timestamp}.{body}")
            .server_url(server_url)
            .build()
            .unwrap()
            .with_clock(pinned_clock)
    };
    let timestamp = NOW.to_string();
    let signed = |method: &str| {
        let signature = sha256_hex(&[
            method.as_bytes(),
            b".",
            url.as_bytes(),
            b".",
            timestamp.as_bytes(),
            b".",
            STATUS_UPDATE.as_bytes(),
        ]);
        headers(&[("x-signature", &signature), ("x-timestamp", &timestamp)])
    };

    assert_eq!(
        auth(url).verify(&signed("POST"), STATUS_UPDATE.as_bytes()),
        Ok(())
    );
    // Signed for another method, or checked against another URL.
    assert_eq!(
        reason(&auth(url), &signed("GET"), STATUS_UPDATE),
        "signature mismatch"
    );
    assert_eq!(
        reason(
            &auth("https://agent.example.com/api/webhook/"),
            &signed("POST"),
            STATUS_UPDATE
        ),
        "signature mismatch"
    );
}

#[test]
fn url_without_server_url_rejected() {
    let format = "{method}.{url}.{timestamp}.{body}";
    let error = Auth::hmac(SECRET)
        .payload_format(format)
        .build()
        .unwrap_err();
    assert_eq!(error, ConfigError::ServerUrlNotSet(format.to_owned()));
    assert!(error.to_string().contains("`.server_url(..)`"), "{error}");

    let error = Auth::hmac(SECRET)
        .payload_format(format)
        .server_url("agent.example.com/api/webhook")
        .build()
        .unwrap_err();
    assert_eq!(
        error,
        ConfigError::InvalidServerUrl("agent.example.com/api/webhook".to_owned())
    );
}

#[test]
fn invalid_server_url_rejected_when_unused() {
    // The format does not sign `{url}`, but a set URL is still checked.
    let error = Auth::hmac(SECRET)
        .server_url("agent.example.com/api/webhook")
        .build()
        .unwrap_err();
    assert_eq!(
        error,
        ConfigError::InvalidServerUrl("agent.example.com/api/webhook".to_owned())
    );
}

#[test]
fn server_url_query_kept_out_of_text() {
    let builder = Auth::hmac(SECRET).server_url("/api/webhook?token=query-secret#part");
    assert!(!format!("{builder:?}").contains("query-secret"));

    let error = builder.build().unwrap_err();
    assert_eq!(
        error,
        ConfigError::InvalidServerUrl("/api/webhook".to_owned())
    );
    assert!(!error.to_string().contains("query-secret"));
}

#[test]
fn server_url_user_info_kept_out_of_text() {
    let builder = Auth::hmac(SECRET)
        .server_url("https://hook:pa55word@agent.example.com/api/webhook?token=query-secret");
    let debug_output = format!("{builder:?}");

    assert!(!debug_output.contains("pa55word"), "{debug_output}");
    assert!(!debug_output.contains("hook:"), "{debug_output}");
    assert!(!debug_output.contains("query-secret"), "{debug_output}");
    assert!(
        debug_output.contains("\"https://<redacted>@agent.example.com/api/webhook\""),
        "{debug_output}"
    );
    assert!(builder.build().is_ok());

    let invalid = [
        (
            "ftp://hook:pa55word@agent.example.com/api/webhook",
            "ftp://<redacted>@agent.example.com/api/webhook",
        ),
        (
            "ftp://hook:pa55@word@agent.example.com/api/webhook",
            "ftp://<redacted>@agent.example.com/api/webhook",
        ),
        (
            "//hook:pa55word@agent.example.com/api/webhook",
            "//<redacted>@agent.example.com/api/webhook",
        ),
        (
            "hook:pa55word@agent.example.com/api/webhook",
            "<redacted>@agent.example.com/api/webhook",
        ),
        (
            "ftp://hook:pa55/word@agent.example.com/api/webhook",
            "ftp://<redacted>@agent.example.com/api/webhook",
        ),
    ];
    for (url, shown) in invalid {
        let error = Auth::hmac(SECRET).server_url(url).build().unwrap_err();
        let message = error.to_string();
        let debug_output = format!("{error:?}");

        assert_eq!(error, ConfigError::InvalidServerUrl(shown.to_owned()));
        assert!(message.contains(shown), "{message}");
        assert!(!message.contains("pa55"), "{message}");
        assert!(!debug_output.contains("pa55"), "{debug_output}");
    }
}

#[test]
fn algorithm_names_parse() {
    assert_eq!("sha256".parse(), Ok(HmacAlgorithm::Sha256));
    assert_eq!("sha512".parse(), Ok(HmacAlgorithm::Sha512));
    assert_eq!("sha1".parse(), Ok(HmacAlgorithm::Sha1));
    assert_eq!("SHA256".parse(), Ok(HmacAlgorithm::Sha256));
    assert_eq!(HmacAlgorithm::Sha512.to_string(), "sha512");
}

#[test]
fn unknown_algorithm_name_rejected() {
    let error = "sha-256".parse::<HmacAlgorithm>().unwrap_err();
    assert!(matches!(
        error,
        ConfigError::UnknownName { what: "HMAC algorithm", ref value, .. } if value == "sha-256"
    ));
    assert_eq!(
        error.to_string(),
        "unknown HMAC algorithm `sha-256`, expected one of: `sha256`, `sha512`, `sha1`"
    );
}

#[test]
fn encoding_names_parse() {
    assert_eq!("hex".parse(), Ok(SignatureEncoding::Hex));
    assert_eq!("base64".parse(), Ok(SignatureEncoding::Base64));
    assert_eq!("Base64".parse(), Ok(SignatureEncoding::Base64));
    assert_eq!(SignatureEncoding::Hex.to_string(), "hex");

    let error = "base32".parse::<SignatureEncoding>().unwrap_err();
    assert!(matches!(
        error,
        ConfigError::UnknownName { what: "signature encoding", ref value, .. } if value == "base32"
    ));
}

// Debug output.

#[test]
fn debug_hides_secret() {
    let key = "k3y-that-must-stay-hidden";
    let base64_key = STANDARD.encode(key);
    let debug_outputs = [
        format!("{:?}", Auth::shared_secret(key).unwrap()),
        format!("{:?}", Auth::bearer(key)),
        format!("{:?}", Auth::bearer(key).build().unwrap()),
        format!("{:?}", Auth::hmac(key)),
        format!("{:?}", Auth::hmac(key).build().unwrap()),
        format!("{:?}", Auth::hmac(base64_key.as_str()).key_is_base64(true)),
        format!(
            "{:?}",
            Auth::hmac(base64_key.as_str())
                .key_is_base64(true)
                .build()
                .unwrap()
        ),
        format!("{:#?}", Auth::hmac(key).build().unwrap()),
    ];

    for text in debug_outputs {
        assert!(!text.contains(key), "{text}");
        assert!(!text.contains(&base64_key), "{text}");
        assert!(!text.contains(&hex::encode(key)), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }
}

#[test]
fn debug_shows_settings() {
    let debug_output = format!(
        "{:?}",
        Auth::hmac(SECRET)
            .algorithm(HmacAlgorithm::Sha512)
            .signature_header("X-Hub-Signature")
            .build()
            .unwrap()
    );
    assert!(debug_output.contains("Sha512"), "{debug_output}");
    assert!(debug_output.contains("x-hub-signature"), "{debug_output}");
}

#[test]
fn auth_is_clone_debug_send_sync() {
    fn assert_traits<T: Clone + std::fmt::Debug + Send + Sync + 'static>() {}
    assert_traits::<Auth>();

    let auth = default_hmac();
    let copy = auth.clone();
    let request = timestamped(STATUS_UPDATE, &NOW.to_string());
    assert_eq!(copy.verify(&request, STATUS_UPDATE.as_bytes()), Ok(()));
    assert_eq!(auth.verify(&request, STATUS_UPDATE.as_bytes()), Ok(()));
}

// HMAC: C10 and raw bytes.

fn c10_auth() -> Auth {
    Auth::hmac(SECRET)
        .algorithm("sha256".parse().unwrap())
        .signature_header("x-signature")
        .include_timestamp(false)
        .encoding("hex".parse().unwrap())
        .build()
        .unwrap()
}

#[test]
fn c10_signature_is_hmac_of_raw_body() {
    assert_eq!(sha256_hex(&[C10_BODY.as_bytes()]), C10_SIGNATURE);
}

#[test]
fn c10_raw_body_verifies() {
    let request = headers(&[
        ("Content-Type", "application/json"),
        ("x-signature", C10_SIGNATURE),
    ]);
    assert_eq!(c10_auth().verify(&request, C10_BODY.as_bytes()), Ok(()));
}

#[test]
fn c10_reserialised_body_does_not_verify() {
    let parsed: serde_json::Value = serde_json::from_str(C10_BODY).unwrap();
    let compact = serde_json::to_vec(&parsed).unwrap();
    let pretty = serde_json::to_vec_pretty(&parsed).unwrap();
    let request = headers(&[("x-signature", C10_SIGNATURE)]);

    for reserialised in [compact, pretty] {
        assert_ne!(reserialised, C10_BODY.as_bytes());
        assert_ne!(sha256_hex(&[&reserialised]), C10_SIGNATURE);

        let rejection = c10_auth().verify(&request, &reserialised).unwrap_err();
        assert_eq!(rejection.reason(), "signature mismatch");
        assert_eq!(rejection.checked_headers(), ["x-signature"]);
    }
}

#[test]
fn tampered_body_rejected() {
    let tampered = C10_BODY.replace("1.50", "0.01");
    let request = headers(&[("x-signature", C10_SIGNATURE)]);
    assert_eq!(
        reason(&c10_auth(), &request, &tampered),
        "signature mismatch"
    );
}

#[test]
fn body_with_placeholder_text_signed_as_sent() {
    let body = r#"{"message":{"type":"transcript","transcript":"say {timestamp} and {body}"}}"#;
    let request = timestamped(body, &NOW.to_string());
    assert_eq!(default_hmac().verify(&request, body.as_bytes()), Ok(()));
}

// HMAC: algorithms, encodings and prefixes.

#[test]
fn default_hmac_accepted() {
    let request = timestamped(TOOL_CALLS, &NOW.to_string());
    assert_eq!(
        default_hmac().verify(&request, TOOL_CALLS.as_bytes()),
        Ok(())
    );
}

#[test]
fn signature_with_surrounding_whitespace_accepted() {
    // hyper strips it, but another HTTP stack may hand the value over as
    // received.
    let timestamp = NOW.to_string();
    let signature = sha256_hex(&[timestamp.as_bytes(), b".", TOOL_CALLS.as_bytes()]);
    let request = headers(&[
        ("x-signature", &format!(" {signature}\t")),
        ("x-timestamp", &timestamp),
    ]);

    assert_eq!(
        default_hmac().verify(&request, TOOL_CALLS.as_bytes()),
        Ok(())
    );
}

#[test]
fn sha1_and_sha512_accepted() {
    let timestamp = NOW.to_string();
    let parts: [&[u8]; 3] = [timestamp.as_bytes(), b".", STATUS_UPDATE.as_bytes()];
    let cases = [
        (
            HmacAlgorithm::Sha1,
            sign::<Hmac<Sha1>>(SECRET.as_bytes(), &parts),
        ),
        (
            HmacAlgorithm::Sha512,
            sign::<Hmac<Sha512>>(SECRET.as_bytes(), &parts),
        ),
    ];

    for (algorithm, mac) in cases {
        let auth = Auth::hmac(SECRET)
            .algorithm(algorithm)
            .build()
            .unwrap()
            .with_clock(pinned_clock);
        let request = headers(&[
            ("x-signature", &hex::encode(&mac)),
            ("x-timestamp", &timestamp),
        ]);
        assert_eq!(
            auth.verify(&request, STATUS_UPDATE.as_bytes()),
            Ok(()),
            "{algorithm}"
        );
    }
}

#[test]
fn other_algorithm_signature_rejected() {
    let timestamp = NOW.to_string();
    let parts: [&[u8]; 3] = [timestamp.as_bytes(), b".", STATUS_UPDATE.as_bytes()];
    let sha256_signature = hex::encode(sign::<Hmac<Sha256>>(SECRET.as_bytes(), &parts));
    let auth = Auth::hmac(SECRET)
        .algorithm(HmacAlgorithm::Sha512)
        .build()
        .unwrap()
        .with_clock(pinned_clock);

    let request = headers(&[
        ("x-signature", &sha256_signature),
        ("x-timestamp", &timestamp),
    ]);

    assert_eq!(reason(&auth, &request, STATUS_UPDATE), "signature mismatch");
}

#[test]
fn base64_signature_accepted() {
    let timestamp = NOW.to_string();
    let mac = sign::<Hmac<Sha256>>(
        SECRET.as_bytes(),
        &[timestamp.as_bytes(), b".", TOOL_CALLS.as_bytes()],
    );
    let auth = Auth::hmac(SECRET)
        .encoding(SignatureEncoding::Base64)
        .build()
        .unwrap()
        .with_clock(pinned_clock);

    for signature in [STANDARD.encode(&mac), STANDARD_NO_PAD.encode(&mac)] {
        let request = headers(&[("x-signature", &signature), ("x-timestamp", &timestamp)]);
        assert_eq!(
            auth.verify(&request, TOOL_CALLS.as_bytes()),
            Ok(()),
            "{signature}"
        );
    }
}

#[test]
fn uppercase_hex_accepted() {
    let request = headers(&[("x-signature", &C10_SIGNATURE.to_uppercase())]);
    assert_eq!(c10_auth().verify(&request, C10_BODY.as_bytes()), Ok(()));
}

#[test]
fn signature_prefix_stripped() {
    let auth = Auth::hmac(SECRET)
        .include_timestamp(false)
        .signature_prefix("sha256=")
        .build()
        .unwrap();

    for signature in [
        format!("sha256={C10_SIGNATURE}"),
        format!("SHA256={C10_SIGNATURE}"),
        C10_SIGNATURE.to_owned(),
    ] {
        let request = headers(&[("x-signature", &signature)]);
        assert_eq!(
            auth.verify(&request, C10_BODY.as_bytes()),
            Ok(()),
            "{signature}"
        );
    }
}

/// A prefix made of hex digits is also the start of the unprefixed
/// signature it matches, which must still verify.
#[test]
fn hex_digit_prefix_keeps_unprefixed_signature() {
    let prefix = &C10_SIGNATURE[..2];
    let auth = Auth::hmac(SECRET)
        .include_timestamp(false)
        .signature_prefix(prefix)
        .build()
        .unwrap();

    for signature in [format!("{prefix}{C10_SIGNATURE}"), C10_SIGNATURE.to_owned()] {
        let request = headers(&[("x-signature", &signature)]);
        assert_eq!(
            auth.verify(&request, C10_BODY.as_bytes()),
            Ok(()),
            "{signature}"
        );
    }
}

#[test]
fn wrong_signature_prefix_rejected() {
    let auth = Auth::hmac(SECRET)
        .include_timestamp(false)
        .signature_prefix("sha256=")
        .build()
        .unwrap();
    let request = headers(&[("x-signature", &format!("sha512={C10_SIGNATURE}"))]);

    assert_eq!(
        reason(&auth, &request, C10_BODY),
        "invalid signature encoding"
    );
}

#[test]
fn custom_headers_and_format_accepted() {
    let auth = Auth::hmac(SECRET)
        .signature_header("X-Webhook-Signature")
        .timestamp_header("X-Webhook-Timestamp")
        .payload_format("v0:{timestamp}:{body}")
        .build()
        .unwrap()
        .with_clock(pinned_clock);
    let timestamp = NOW.to_string();
    let signature = sha256_hex(&[b"v0:", timestamp.as_bytes(), b":", STATUS_UPDATE.as_bytes()]);

    let signed = headers(&[
        ("X-Webhook-Signature", &signature),
        ("X-Webhook-Timestamp", &timestamp),
    ]);
    let default_headers = headers(&[("x-signature", &signature), ("x-timestamp", &timestamp)]);

    assert_eq!(auth.verify(&signed, STATUS_UPDATE.as_bytes()), Ok(()));
    let rejection = auth
        .verify(&default_headers, STATUS_UPDATE.as_bytes())
        .unwrap_err();
    assert_eq!(rejection.reason(), "missing signature");
    assert_eq!(
        rejection.checked_headers(),
        ["x-webhook-signature", "x-webhook-timestamp"]
    );
}

#[test]
fn svix_style_plan_accepted() {
    let key = b"svix-style key bytes";
    let auth = Auth::hmac(STANDARD.encode(key))
        .key_is_base64(true)
        .message_id_header("webhook-id")
        .timestamp_header("webhook-timestamp")
        .signature_header("webhook-signature")
        .payload_format("{svix-id}.{timestamp}.{body}")
        .encoding(SignatureEncoding::Base64)
        .signature_prefix("v1,")
        .build()
        .unwrap()
        .with_clock(pinned_clock);
    let message_id = "msg_2test0000000000000000000";
    let timestamp = NOW.to_string();
    let mac = sign::<Hmac<Sha256>>(
        key,
        &[
            message_id.as_bytes(),
            b".",
            timestamp.as_bytes(),
            b".",
            STATUS_UPDATE.as_bytes(),
        ],
    );
    let signature = format!("v1,{}", STANDARD.encode(mac));

    let complete = headers(&[
        ("webhook-id", message_id),
        ("webhook-timestamp", &timestamp),
        ("webhook-signature", &signature),
    ]);
    let other_id = headers(&[
        ("webhook-id", "msg_other"),
        ("webhook-timestamp", &timestamp),
        ("webhook-signature", &signature),
    ]);
    let without_id = headers(&[
        ("webhook-timestamp", &timestamp),
        ("webhook-signature", &signature),
    ]);

    assert_eq!(auth.verify(&complete, STATUS_UPDATE.as_bytes()), Ok(()));
    assert_eq!(
        reason(&auth, &other_id, STATUS_UPDATE),
        "signature mismatch"
    );
    let rejection = auth
        .verify(&without_id, STATUS_UPDATE.as_bytes())
        .unwrap_err();
    assert_eq!(rejection.reason(), "missing message id");
    assert_eq!(
        rejection.checked_headers(),
        ["webhook-signature", "webhook-timestamp", "webhook-id"]
    );
}

// HMAC: malformed credentials.

#[test]
fn missing_signature_rejected() {
    let request = headers(&[("x-timestamp", &NOW.to_string())]);

    let rejection = default_hmac()
        .verify(&request, TOOL_CALLS.as_bytes())
        .unwrap_err();

    assert_eq!(rejection.reason(), "missing signature");
    assert_eq!(rejection.checked_headers(), ["x-signature", "x-timestamp"]);
}

#[test]
fn empty_signature_rejected() {
    let auth = Auth::hmac(SECRET)
        .include_timestamp(false)
        .signature_prefix("sha256=")
        .build()
        .unwrap();

    for signature in ["", "sha256="] {
        let request = headers(&[("x-signature", signature)]);
        assert_eq!(
            reason(&auth, &request, C10_BODY),
            "missing signature",
            "{signature:?}"
        );
    }
}

#[test]
fn invalid_signature_encoding_rejected() {
    let hex_auth = c10_auth();
    let base64_auth = Auth::hmac(SECRET)
        .include_timestamp(false)
        .encoding(SignatureEncoding::Base64)
        .build()
        .unwrap();

    for signature in ["xyz", "abc", "96 27"] {
        let request = headers(&[("x-signature", signature)]);
        assert_eq!(
            reason(&hex_auth, &request, C10_BODY),
            "invalid signature encoding",
            "{signature}"
        );
    }
    for signature in ["%%%%", "a", "ab-_cd=="] {
        let request = headers(&[("x-signature", signature)]);
        assert_eq!(
            reason(&base64_auth, &request, C10_BODY),
            "invalid signature encoding",
            "{signature}"
        );
    }
}

#[test]
fn truncated_signature_rejected() {
    let request = headers(&[("x-signature", &C10_SIGNATURE[..32])]);
    assert_eq!(
        reason(&c10_auth(), &request, C10_BODY),
        "signature mismatch"
    );
}

#[test]
fn wrong_key_rejected() {
    let auth = Auth::hmac("another-secret-not-real")
        .include_timestamp(false)
        .build()
        .unwrap();
    let request = headers(&[("x-signature", C10_SIGNATURE)]);
    assert_eq!(reason(&auth, &request, C10_BODY), "signature mismatch");
}

#[test]
fn missing_timestamp_rejected() {
    let signature = sha256_hex(&[b".", TOOL_CALLS.as_bytes()]);
    let request = headers(&[("x-signature", &signature)]);
    assert_eq!(
        reason(&default_hmac(), &request, TOOL_CALLS),
        "missing timestamp"
    );
}

#[test]
fn non_numeric_timestamp_rejected() {
    for timestamp in [
        "soon",
        "-1767225600",
        "1767225600.5",
        "2026-01-01T00:00:00Z",
        "",
    ] {
        let request = timestamped(TOOL_CALLS, timestamp);
        assert_eq!(
            reason(&default_hmac(), &request, TOOL_CALLS),
            "invalid timestamp",
            "{timestamp:?}"
        );
    }
}

#[test]
fn timestamp_is_signed() {
    let signed_at = NOW.to_string();
    let signature = sha256_hex(&[signed_at.as_bytes(), b".", TOOL_CALLS.as_bytes()]);
    let request = headers(&[
        ("x-signature", &signature),
        ("x-timestamp", &(NOW - 10).to_string()),
    ]);

    assert_eq!(
        reason(&default_hmac(), &request, TOOL_CALLS),
        "signature mismatch"
    );
}

// HMAC: timestamp tolerance against the pinned clock.

#[test]
fn tolerance_bounds_both_ways() {
    let auth = default_hmac();
    let accepted = [NOW - 300, NOW - 1, NOW, NOW + 1, NOW + 300];
    let rejected = [NOW - 301, NOW - 3_600, NOW + 301, NOW + 86_400, 0];

    for timestamp in accepted.map(|seconds| seconds.to_string()) {
        let request = timestamped(STATUS_UPDATE, &timestamp);
        assert_eq!(
            auth.verify(&request, STATUS_UPDATE.as_bytes()),
            Ok(()),
            "{timestamp}"
        );
    }
    for timestamp in rejected.map(|seconds| seconds.to_string()) {
        let request = timestamped(STATUS_UPDATE, &timestamp);
        assert_eq!(
            reason(&auth, &request, STATUS_UPDATE),
            "timestamp outside tolerance",
            "{timestamp}"
        );
    }
}

#[test]
fn custom_tolerance_applies() {
    // 3600 s is the largest tolerance `build` accepts.
    for seconds in [30, 3600] {
        let auth = Auth::hmac(SECRET)
            .tolerance(Duration::from_secs(seconds))
            .build()
            .unwrap()
            .with_clock(pinned_clock);

        let inside = timestamped(STATUS_UPDATE, &(NOW - seconds).to_string());
        let past = timestamped(STATUS_UPDATE, &(NOW - seconds - 1).to_string());
        let future = timestamped(STATUS_UPDATE, &(NOW + seconds + 1).to_string());

        assert_eq!(
            auth.verify(&inside, STATUS_UPDATE.as_bytes()),
            Ok(()),
            "{seconds}"
        );
        assert_eq!(
            reason(&auth, &past, STATUS_UPDATE),
            "timestamp outside tolerance",
            "{seconds}"
        );
        assert_eq!(
            reason(&auth, &future, STATUS_UPDATE),
            "timestamp outside tolerance",
            "{seconds}"
        );
    }
}

#[test]
fn tolerance_under_one_second_rejected() {
    let too_small = [
        Duration::ZERO,
        Duration::from_nanos(1),
        Duration::from_millis(500),
        Duration::from_nanos(999_999_999),
    ];

    for tolerance in too_small {
        let error = Auth::hmac(SECRET).tolerance(tolerance).build().unwrap_err();
        assert!(
            matches!(error, ConfigError::TimestampTolerance { .. }),
            "{tolerance:?}: {error:?}"
        );
    }

    // The check does not depend on whether the timestamp is included.
    let error = Auth::hmac(SECRET)
        .include_timestamp(false)
        .tolerance(Duration::ZERO)
        .build()
        .unwrap_err();
    assert!(
        matches!(error, ConfigError::TimestampTolerance { .. }),
        "{error:?}"
    );
}

#[test]
fn tolerance_error_names_bound() {
    let error = Auth::hmac(SECRET)
        .tolerance(Duration::from_millis(500))
        .build()
        .unwrap_err();

    assert_eq!(
        error,
        ConfigError::TimestampTolerance {
            given_ms: 500,
            min_ms: 1_000,
            max_ms: 3_600_000,
        }
    );
    assert_eq!(
        error.to_string(),
        "HMAC timestamp tolerance of 500 ms is outside 1 s to 3600 s: a smaller one rejects fresh deliveries, because a timestamp in whole seconds is rounded down, and a larger one lets a captured delivery be replayed for that long"
    );
}

#[test]
fn tolerance_over_one_hour_rejected() {
    // 300,000 s is what `from_secs` makes of a value meant as 300,000 ms:
    // a captured delivery could be replayed for three and a half days.
    let too_large = [
        Duration::from_secs(3600) + Duration::from_nanos(1),
        Duration::from_secs(300_000),
        Duration::MAX,
    ];

    for tolerance in too_large {
        let error = Auth::hmac(SECRET).tolerance(tolerance).build().unwrap_err();
        assert!(
            matches!(
                error,
                ConfigError::TimestampTolerance {
                    max_ms: 3_600_000,
                    ..
                }
            ),
            "{tolerance:?}: {error:?}"
        );
    }
}

#[test]
fn signature_and_timestamp_in_one_header_rejected() {
    // The default timestamp header is `x-timestamp`; header names ignore case.
    let error = Auth::hmac(SECRET)
        .signature_header("X-Timestamp")
        .build()
        .unwrap_err();

    assert_eq!(
        error,
        ConfigError::SameHeader {
            first: "signature",
            second: "timestamp",
            name: "x-timestamp".to_owned(),
        }
    );
    assert_eq!(
        error.to_string(),
        "the HMAC signature header and timestamp header are both `x-timestamp`, so no delivery could pass the check: give each its own header"
    );
}

#[test]
fn signature_and_message_id_in_one_header_rejected() {
    let error = Auth::hmac(SECRET)
        .payload_format("{svix-id}.{timestamp}.{body}")
        .message_id_header("x-signature")
        .build()
        .unwrap_err();

    assert!(
        matches!(
            &error,
            ConfigError::SameHeader { first: "signature", second: "message id", name }
                if name == "x-signature"
        ),
        "{error:?}"
    );
}

#[test]
fn timestamp_and_message_id_may_share_a_header() {
    let built = Auth::hmac(SECRET)
        .payload_format("{svix-id}.{timestamp}.{body}")
        .message_id_header("x-timestamp")
        .build();

    assert!(built.is_ok(), "{built:?}");
}

#[test]
fn unused_header_may_share_a_name() {
    // Without a timestamp, the timestamp header is never read, and without
    // `{svix-id}` neither is the message id header.
    let built = Auth::hmac(SECRET)
        .include_timestamp(false)
        .signature_header("x-timestamp")
        .message_id_header("x-timestamp")
        .build();

    assert!(built.is_ok(), "{built:?}");
}

#[test]
fn one_second_tolerance_accepts_fresh() {
    // Sent 0.9 s into the second that the timestamp names.
    let auth = Auth::hmac(SECRET)
        .tolerance(Duration::from_secs(1))
        .build()
        .unwrap()
        .with_clock(|| pinned_clock() + Duration::from_millis(900));
    let fresh = timestamped(STATUS_UPDATE, &NOW.to_string());
    let stale = timestamped(STATUS_UPDATE, &(NOW - 1).to_string());

    assert_eq!(auth.verify(&fresh, STATUS_UPDATE.as_bytes()), Ok(()));
    assert_eq!(
        reason(&auth, &stale, STATUS_UPDATE),
        "timestamp outside tolerance"
    );
}

#[test]
fn millisecond_timestamps_accepted() {
    let auth = default_hmac();
    let inside = (NOW * 1_000 - 299_999).to_string();
    let past = (NOW * 1_000 - 300_001).to_string();
    let future = (NOW * 1_000 + 300_001).to_string();

    let request = timestamped(TOOL_CALLS, &inside);
    assert_eq!(auth.verify(&request, TOOL_CALLS.as_bytes()), Ok(()));

    for timestamp in [past, future] {
        let request = timestamped(TOOL_CALLS, &timestamp);
        assert_eq!(
            reason(&auth, &request, TOOL_CALLS),
            "timestamp outside tolerance",
            "{timestamp}"
        );
    }
}

#[test]
fn with_clock_replaces_clock() {
    let request = timestamped(STATUS_UPDATE, &NOW.to_string());
    let later = default_hmac().with_clock(|| pinned_clock() + Duration::from_secs(301));
    assert_eq!(
        reason(&later, &request, STATUS_UPDATE),
        "timestamp outside tolerance"
    );
}

// Through a receiver: the 401 reply and the handler never running.

#[derive(Debug, Default)]
struct CountingHooks {
    calls: Arc<AtomicUsize>,
}

impl Hooks for CountingHooks {
    async fn handle<'a>(&'a self, _delivery: &'a Delivery<'a>) -> Result<Handled, HookError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(Handled::NotHandled)
    }
}

async fn receive(
    auth: Auth,
    request: &HeaderMap,
    body: &str,
) -> (StatusCode, serde_json::Value, usize) {
    let hooks = CountingHooks::default();
    let calls = hooks.calls.clone();
    let receiver = Receiver::builder(hooks).auth(auth).build().unwrap();

    let reply = receiver
        .receive(Namespace::Server, request, body.as_bytes())
        .await;

    let json = serde_json::from_slice(&reply.body).unwrap();
    (reply.status, json, calls.load(Ordering::SeqCst))
}

#[tokio::test]
async fn c08_receiver_accepts_and_rejects() {
    let right = headers(&[("X-Vapi-Signature", SECRET)]);
    let wrong = headers(&[("x-vapi-secret", "not-the-secret")]);

    let (status, body, calls) = receive(shared_secret(), &right, STATUS_UPDATE).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, serde_json::json!({}));
    assert_eq!(calls, 1);

    let (status, body, calls) = receive(shared_secret(), &wrong, STATUS_UPDATE).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body,
        serde_json::json!({"error": "unauthorized", "checkedHeaders": SHARED_SECRET_HEADERS})
    );
    assert!(!body.to_string().contains(SECRET));
    assert_eq!(calls, 0);
}

#[tokio::test]
async fn c09_receiver_rejects_before_handler() {
    let request = headers(&[("Content-Type", "application/json")]);

    let (status, body, calls) = receive(shared_secret(), &request, TOOL_CALLS).await;

    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "unauthorized");
    assert_eq!(calls, 0);
}

#[tokio::test]
async fn c10_receiver_accepts_raw_body() {
    let request = headers(&[
        ("Content-Type", "application/json"),
        ("x-signature", C10_SIGNATURE),
    ]);

    let (status, body, calls) = receive(c10_auth(), &request, C10_BODY).await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, serde_json::json!({}));
    assert_eq!(calls, 1);
}

/// Builds `builder` under a fmt subscriber, returning the check and the
/// log text it wrote.
fn build_with_logs(builder: HmacBuilder) -> (Result<Auth, ConfigError>, String) {
    let logs = LogBuffer::default();
    let built = tracing::subscriber::with_default(logs.subscriber(), || builder.build());
    (built, logs.text())
}

#[test]
fn misspelt_placeholder_logged_at_build() {
    let (built, text) = build_with_logs(
        Auth::hmac(SECRET)
            .include_timestamp(false)
            .payload_format("{timestmap}.{body}"),
    );

    assert!(built.is_ok(), "{built:?}");
    let line = text
        .lines()
        .find(|line| line.contains("placeholder"))
        .unwrap_or_else(|| panic!("no placeholder warning in {text:?}"));
    assert!(line.contains("WARN"), "{line}");
    assert!(line.contains("webhook::config"), "{line}");
    assert!(line.contains("placeholder=\"{timestmap}\""), "{line}");
}

/// A key as long as the SHA-256 output, so its length draws no warning.
const LONG_KEY: &str = "test-key-not-real-32-bytes-long!";

#[test]
fn known_placeholders_log_nothing() {
    let (built, text) =
        build_with_logs(Auth::hmac(LONG_KEY).payload_format("{svix-id}.{timestamp}.{body}"));

    assert!(built.is_ok(), "{built:?}");
    assert_eq!(text, "");
}

#[test]
fn failed_build_logs_no_warning() {
    let (built, text) = build_with_logs(
        Auth::hmac("short")
            .payload_format("{timestamp}.{timestmap}.{body}")
            .signature_header("x-timestamp"),
    );

    assert!(
        matches!(built, Err(ConfigError::SameHeader { .. })),
        "{built:?}"
    );
    assert_eq!(text, "");
}

#[test]
fn short_hmac_key_logged_at_build() {
    for (algorithm, recommended) in [
        (HmacAlgorithm::Sha256, 32),
        (HmacAlgorithm::Sha512, 32),
        (HmacAlgorithm::Sha1, 20),
    ] {
        let short = "k".repeat(recommended - 1);
        let (built, text) = build_with_logs(Auth::hmac(short).algorithm(algorithm));

        assert!(built.is_ok(), "{built:?}");
        let line = text
            .lines()
            .find(|line| line.contains("HMAC key is shorter than recommended"))
            .unwrap_or_else(|| panic!("no short-key warning in {text:?}"));
        assert!(line.contains("WARN"), "{line}");
        assert!(line.contains("webhook::config"), "{line}");
        assert!(
            line.contains(&format!("key_bytes={}", recommended - 1)),
            "{line}"
        );
        assert!(
            line.contains(&format!("recommended_bytes={recommended}")),
            "{line}"
        );

        let exact = "k".repeat(recommended);
        let (built, text) = build_with_logs(Auth::hmac(exact).algorithm(algorithm));
        assert!(built.is_ok(), "{built:?}");
        assert_eq!(text, "", "{algorithm}");
    }
}

// Several checks at once, to rotate a secret or move between schemes.

const OLD_SECRET: &str = "old-test-secret-not-real";

#[test]
fn any_of_accepts_each_secret() {
    let auth = Auth::any_of([shared_secret(), Auth::shared_secret(OLD_SECRET).unwrap()]).unwrap();

    for secret in [SECRET, OLD_SECRET] {
        let request = headers(&[("x-vapi-secret", secret)]);
        assert_eq!(
            auth.verify(&request, STATUS_UPDATE.as_bytes()),
            Ok(()),
            "{secret}"
        );
    }
}

#[test]
fn any_of_rejects_other_secret_with_shared_reason() {
    let auth = Auth::any_of([shared_secret(), Auth::shared_secret(OLD_SECRET).unwrap()]).unwrap();
    let request = headers(&[("x-vapi-secret", "not-the-secret")]);

    let rejection = auth.verify(&request, STATUS_UPDATE.as_bytes()).unwrap_err();

    assert_eq!(rejection.reason(), "secret mismatch");
    assert_eq!(rejection.checked_headers(), SHARED_SECRET_HEADERS);
}

#[test]
fn any_of_moves_between_schemes() {
    let auth = Auth::any_of([
        Auth::hmac(SECRET).build().unwrap(),
        Auth::shared_secret(OLD_SECRET).unwrap(),
    ])
    .unwrap()
    .with_clock(pinned_clock);

    // The HMAC check accepts a delivery signed at the pinned time, so the
    // clock reached it through `any_of`.
    let signed = timestamped(STATUS_UPDATE, &NOW.to_string());
    assert_eq!(auth.verify(&signed, STATUS_UPDATE.as_bytes()), Ok(()));
    let shared = headers(&[("x-vapi-secret", OLD_SECRET)]);
    assert_eq!(auth.verify(&shared, STATUS_UPDATE.as_bytes()), Ok(()));

    // The two checks give different reasons, so neither is reported alone.
    let wrong = headers(&[("x-vapi-secret", "not-the-secret")]);
    let rejection = auth.verify(&wrong, STATUS_UPDATE.as_bytes()).unwrap_err();
    assert_eq!(rejection.reason(), "rejected by every check");
    assert_eq!(
        rejection.checked_headers(),
        [
            "x-signature",
            "x-timestamp",
            "x-vapi-secret",
            "x-vapi-signature",
            "authorization"
        ]
    );
}

#[test]
fn any_of_settings_are_checked() {
    let empty = Auth::any_of(Vec::new()).unwrap_err();
    assert_eq!(empty, ConfigError::NoAuthChecks);

    let open = Auth::any_of([shared_secret(), Auth::none()]).unwrap_err();
    assert_eq!(open, ConfigError::AuthNoneInAnyOf);
}

#[test]
fn any_of_debug_hides_secrets() {
    let auth = Auth::any_of([shared_secret(), Auth::hmac(OLD_SECRET).build().unwrap()]).unwrap();

    let text = format!("{auth:?}");

    assert!(text.starts_with("Auth::AnyOf"), "{text}");
    assert!(
        !text.contains(SECRET) && !text.contains(OLD_SECRET),
        "{text}"
    );
    assert!(!auth.is_none());
}
