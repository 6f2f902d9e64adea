//! What the receiver logs when something fails. For a field that does not
//! decode, it logs the path and the kind of value but never the value, which
//! is often the caller's words or number. The reply to Vapi keeps the value
//! for the model. For a panic, it logs the panic's message.

mod common;

use http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use webhook_core::events::StatusUpdate;
use webhook_core::{Auth, Namespace, Receiver, webhook_hooks};

use common::LogBuffer;

const PHONE: &str = "15555550101";

struct Bookings;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Booking {
    party_size: u32,
}

#[webhook_hooks]
impl Bookings {
    #[tool("book")]
    async fn book(&self, args: Booking) -> String {
        format!("booked for {}", args.party_size)
    }

    #[tool("explode")]
    async fn explode(&self, _args: Value) -> String {
        panic!("the booking table is missing");
    }

    #[on(server.statusUpdate)]
    async fn status(&self, update: StatusUpdate) {
        if update.call_id() == Some("call-panics") {
            panic!("the status table is missing");
        }
    }
}

/// Sends `message` to a receiver of `Bookings` and returns the reply and
/// every log line written at `debug` or above while it was handled.
async fn send_logged(message: Value) -> (StatusCode, Value, String) {
    let logs = LogBuffer::default();
    let _guard = tracing::subscriber::set_default(logs.subscriber());
    let receiver = Receiver::builder(Bookings)
        .auth(Auth::none())
        .build()
        .expect("valid settings");

    let body = serde_json::to_vec(&json!({ "message": message })).expect("body");
    let reply = receiver
        .receive(Namespace::Server, &HeaderMap::new(), &body)
        .await;

    let text = logs.text();
    let reply_json = serde_json::from_slice(&reply.body).expect("JSON reply");
    (reply.status, reply_json, text)
}

#[tokio::test]
async fn tool_argument_value_not_logged() {
    let (status, reply, logs) = send_logged(json!({
        "type": "tool-calls",
        "toolCallList": [{"id": "t1", "type": "function", "function": {
            "name": "book",
            "arguments": {"partySize": format!("Jane Roe +{PHONE}")},
        }}],
    }))
    .await;

    assert_eq!(status, StatusCode::OK);
    let error = reply["results"][0]["error"]
        .as_str()
        .expect("an error entry");
    assert!(error.contains(PHONE), "the model reads the value: {error}");
    assert!(!logs.contains(PHONE), "{logs}");
    assert!(
        logs.contains("invalid arguments at `partySize`: invalid type: string, expected u32"),
        "{logs}"
    );
}

#[tokio::test]
async fn message_field_value_not_logged() {
    let (status, reply, logs) = send_logged(json!({
        "type": "status-update",
        "status": "in-progress",
        "customer": {"number": 15555550101u64},
    }))
    .await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(reply["error"].as_str().is_some(), "{reply}");
    assert!(!logs.contains(PHONE), "{logs}");
    assert!(
        logs.contains("at `customer.number`: invalid type: integer, expected a string"),
        "{logs}"
    );
}

#[tokio::test]
async fn unreadable_timestamp_not_logged() {
    let (status, _, logs) = send_logged(json!({
        "type": "status-update",
        "timestamp": format!("Jane Roe +{PHONE}"),
    }))
    .await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(!logs.contains(PHONE), "{logs}");
    assert!(
        logs.contains("at `timestamp`: invalid value: string, expected epoch milliseconds"),
        "{logs}"
    );
}

#[tokio::test]
async fn tool_call_message_field_value_not_logged() {
    // A message-level field that does not decode fails every call, and the
    // error the calls get is logged. The tools here do not read the whole
    // message, so the field is one the framework reads: the call id.
    let (status, reply, logs) = send_logged(json!({
        "type": "tool-calls",
        "call": {"id": 15555550101u64},
        "toolCallList": [{"id": "t1", "type": "function", "function": {
            "name": "book", "arguments": {"partySize": 2},
        }}],
    }))
    .await;

    assert_eq!(status, StatusCode::OK);
    assert!(reply["results"][0]["error"].as_str().is_some(), "{reply}");
    assert!(!logs.contains(PHONE), "{logs}");
    let line = logs
        .lines()
        .find(|line| line.contains("payload does not decode"))
        .unwrap_or_else(|| panic!("no decode error line in {logs}"));
    assert!(
        line.contains("at `call.id`: invalid type: integer, expected a string"),
        "{line}"
    );
}

#[tokio::test]
async fn panic_messages_logged() {
    let (status, _, logs) = send_logged(json!({
        "type": "tool-calls",
        "toolCallList": [{"id": "t1", "type": "function", "function": {
            "name": "explode", "arguments": {},
        }}],
    }))
    .await;
    assert_eq!(status, StatusCode::OK);
    let line = logs
        .lines()
        .find(|line| line.contains("tool method panicked"))
        .unwrap_or_else(|| panic!("no panic line in {logs}"));
    assert!(
        line.contains("panic=the booking table is missing"),
        "{line}"
    );

    let (status, _, logs) = send_logged(json!({
        "type": "status-update",
        "call": {"id": "call-panics"},
    }))
    .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let line = logs
        .lines()
        .find(|line| line.contains("handler panicked"))
        .unwrap_or_else(|| panic!("no panic line in {logs}"));
    assert!(line.contains("panic=the status table is missing"), "{line}");
}
