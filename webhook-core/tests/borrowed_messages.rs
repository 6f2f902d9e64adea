//! Handlers that take `Message<T>`: the message decoded as the user's own
//! type, borrowing from the body, with the same checks as a payload.

mod common;

use std::borrow::Cow;
use std::sync::Mutex;

use http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use webhook_core::events::{StatusUpdate, TransferDestinationRequest};
use webhook_core::reply::{ClientInboundMessage, TransferDestination, TransferDestinationReply};
use webhook_core::{Auth, Delivery, HandlerError, Message, Namespace, Receiver, webhook_hooks};

use common::LogBuffer;

/// What the status handler reads of a `status-update`.
#[derive(Deserialize)]
struct StatusSeen<'a> {
    #[serde(borrow)]
    status: Cow<'a, str>,
    #[serde(borrow, default)]
    call: Option<CallSeen<'a>>,
}

#[derive(Deserialize)]
struct CallSeen<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
}

/// What the transfer handler reads: a plain `&str`, which cannot hold an
/// escaped string.
#[derive(Deserialize)]
struct TransferSeen<'a> {
    #[serde(rename = "type")]
    wire_type: &'a str,
}

/// What the report handler reads: nothing but the call id, as an owned
/// string, so the type needs no lifetime.
#[derive(Deserialize)]
struct ReportSeen {
    call: CallId,
}

#[derive(Deserialize)]
struct CallId {
    id: String,
}

/// What the client handler reads of `workflow.node.started`.
#[derive(Deserialize)]
struct NodeSeen<'a> {
    #[serde(borrow)]
    node: NodeName<'a>,
}

#[derive(Deserialize)]
struct NodeName<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
}

#[derive(Default)]
struct Monitor {
    seen: Mutex<Vec<String>>,
}

impl Monitor {
    fn record(&self, what: String) {
        self.seen.lock().expect("lock").push(what);
    }
}

/// Names whether a string was borrowed from the body or copied, which is
/// what this test reads from the `Cow`, so the lint against `&Cow` does
/// not apply.
#[allow(clippy::ptr_arg)]
fn how(text: &Cow<'_, str>) -> &'static str {
    match text {
        Cow::Borrowed(_) => "borrowed",
        Cow::Owned(_) => "copied",
    }
}

#[webhook_hooks]
impl Monitor {
    #[on(server.statusUpdate)]
    async fn status(&self, Message(update): Message<StatusSeen<'_>>, delivery: &Delivery<'_>) {
        let call = match &update.call {
            Some(call) => format!("{} ({})", call.id, how(&call.id)),
            None => "-".to_owned(),
        };
        self.record(format!(
            "{} {} ({}) call {call}",
            delivery.wire_type(),
            update.status,
            how(&update.status)
        ));
    }

    #[on(server.transferDestinationRequest)]
    fn transfer(&self, seen: Message<TransferSeen<'_>>) -> TransferDestinationReply {
        self.record(format!("transfer {}", seen.wire_type));
        TransferDestinationReply::transfer_to(TransferDestination::number("+15555550100"))
    }

    #[on(client.workflowNodeStarted)]
    fn node(&self, Message(seen): Message<NodeSeen<'_>>) -> Option<ClientInboundMessage> {
        self.record(format!(
            "node {} ({})",
            seen.node.name,
            how(&seen.node.name)
        ));
        None
    }

    #[on(server.endOfCallReport)]
    fn report(&self, report: Message<ReportSeen>) -> Result<(), HandlerError> {
        let ReportSeen { call } = report.into_inner();
        if call.id == "call-fail" {
            return Err("database is down".into());
        }
        self.record(format!("report {}", call.id));
        Ok(())
    }
}

fn receiver() -> Receiver<Monitor> {
    Receiver::builder(Monitor::default())
        .auth(Auth::none())
        .build()
        .expect("valid settings")
}

async fn send(receiver: &Receiver<Monitor>, body: &[u8]) -> (StatusCode, Value) {
    let reply = receiver
        .receive(Namespace::Server, &HeaderMap::new(), body)
        .await;
    let json = serde_json::from_slice(&reply.body).expect("reply is JSON");
    (reply.status, json)
}

fn seen(receiver: &Receiver<Monitor>) -> Vec<String> {
    receiver.hooks().seen.lock().expect("lock").clone()
}

#[tokio::test]
async fn plain_strings_are_borrowed_and_escaped_ones_copied() {
    let receiver = receiver();
    let body = br#"{"message": {"type": "status-update", "status": "in-progress",
        "call": {"id": "call-0001", "orgId": "org-1"}, "extra": [1, 2, {"x": null}]}}"#;
    let (status, reply) = send(&receiver, body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply, json!({}));

    // `\u002d` is a hyphen, escaped: the text is right, but it is a copy.
    let body = br#"{"message": {"type": "status-update", "status": "ended",
        "call": {"id": "call\u002d0002"}}}"#;
    let (status, _) = send(&receiver, body).await;
    assert_eq!(status, StatusCode::OK);

    assert_eq!(
        seen(&receiver),
        [
            "status-update in-progress (borrowed) call call-0001 (borrowed)",
            "status-update ended (borrowed) call call-0002 (copied)",
        ]
    );
}

#[tokio::test]
async fn reply_of_the_event_is_sent() {
    let receiver = receiver();
    let body = br#"{"message": {"type": "transfer-destination-request"}}"#;
    let (status, reply) = send(&receiver, body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        reply,
        json!({"destination": {"type": "number", "number": "+15555550100"}})
    );
    assert_eq!(seen(&receiver), ["transfer transfer-destination-request"]);
}

#[tokio::test]
async fn owned_type_and_handler_error() {
    let receiver = receiver();
    let body = br#"{"message": {"type": "end-of-call-report", "call": {"id": "call-0003"}}}"#;
    assert_eq!(send(&receiver, body).await.0, StatusCode::OK);

    let body = br#"{"message": {"type": "end-of-call-report", "call": {"id": "call-fail"}}}"#;
    let (status, reply) = send(&receiver, body).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(reply["error"].is_string(), "{reply}");

    assert_eq!(seen(&receiver), ["report call-0003"]);
}

#[tokio::test]
async fn misfit_message_is_400_with_path() {
    let receiver = receiver();
    let body = br#"{"message": {"type": "status-update", "status": "ended", "call": {"id": 7}}}"#;
    let (status, reply) = send(&receiver, body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let error = reply["error"].as_str().expect("error text");
    assert!(error.contains("`call.id`"), "{error}");

    // A field the type requires is missing.
    let body = br#"{"message": {"type": "status-update"}}"#;
    let (status, reply) = send(&receiver, body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let error = reply["error"].as_str().expect("error text");
    assert!(error.contains("missing field `status`"), "{error}");

    assert!(seen(&receiver).is_empty());
}

#[test]
fn str_field_rejects_escaped_string() {
    // `&str` borrows or fails; `\/` is an escaped slash.
    let body = br#"{"message": {"type": "transfer-destination-request", "call": {"id": "a\/b"}}}"#;
    let headers = HeaderMap::new();
    let delivery = Delivery::parse(Namespace::Server, &headers, body).expect("routes");

    #[derive(Debug, Deserialize)]
    struct CallIdSeen<'a> {
        #[allow(dead_code)]
        #[serde(borrow)]
        call: CallSeenStr<'a>,
    }
    #[derive(Debug, Deserialize)]
    struct CallSeenStr<'a> {
        #[allow(dead_code)]
        id: &'a str,
    }
    let error = delivery
        .decode_borrowed::<CallIdSeen<'_>>()
        .expect_err("an escaped string cannot be borrowed as `&str`");
    assert_eq!(error.path(), Some("call.id"), "{error}");
    assert!(
        error.to_string().contains(
            "expected a borrowed string (the string contains an escape, so it cannot be borrowed: declare the field `Cow<'a, str>`)"
        ),
        "{error}"
    );
}

#[tokio::test]
async fn broken_body_after_type_runs_no_handler() {
    let receiver = receiver();
    for body in [
        &br#"{"message": {"type": "status-update", "status": "ended""#[..],
        br#"{"message": {"type": "status-update", "status": "ended"}, "message": {}}"#,
        br#"{"message": {"type": "status-update", "status": "ended"}} trailing"#,
    ] {
        let (status, _) = send(&receiver, body).await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "{}",
            String::from_utf8_lossy(body)
        );
    }
    assert!(seen(&receiver).is_empty());
}

#[tokio::test]
async fn lone_surrogate_is_replaced_and_still_borrowed() {
    // A lone surrogate is not text, so the message is decoded again from a
    // repaired copy that the delivery keeps, and the other fields borrow
    // from that copy. The copy writes U+FFFD as an escape, so the string
    // that contained the surrogate is copied.
    let receiver = receiver();
    let body = br#"{"message": {"type": "status-update", "status": "ended",
        "call": {"id": "call-\ud800"}}}"#;
    let (status, _) = send(&receiver, body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        seen(&receiver),
        ["status-update ended (borrowed) call call-\u{FFFD} (copied)"]
    );
}

#[tokio::test]
async fn log_line_still_names_the_call() {
    let logs = LogBuffer::default();
    let _guard = tracing::subscriber::set_default(logs.subscriber());
    let receiver = receiver();
    let body = br#"{"message": {"type": "end-of-call-report", "call": {"id": "call-fail"}}}"#;
    assert_eq!(
        send(&receiver, body).await.0,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    let text = logs.text();
    let line = text
        .lines()
        .find(|line| line.contains("handler failed"))
        .unwrap_or_else(|| panic!("no failure line in {text}"));
    assert!(line.contains(r#"call_id="call-fail""#), "{line}");
}

#[test]
fn payload_and_borrowed_view_decode_the_same_delivery() {
    let body = br#"{"message": {"type": "status-update", "status": "ended",
        "call": {"id": "call-0004"}}}"#;
    let headers = HeaderMap::new();
    let delivery = Delivery::parse(Namespace::Server, &headers, body).expect("routes");

    let view: StatusSeen<'_> = delivery.decode_borrowed().expect("view decodes");
    let payload: StatusUpdate = delivery.decode().expect("payload decodes");
    assert_eq!(view.status, "ended");
    assert_eq!(
        payload.status.as_ref().map(|status| status.as_str()),
        Some("ended")
    );
    assert_eq!(delivery.call_id(), Some("call-0004"));

    // After the whole body was read (here by `raw_message`), only the
    // message is decoded.
    let delivery = Delivery::parse(Namespace::Server, &headers, body).expect("routes");
    delivery.raw_message().expect("well formed");
    let view: StatusSeen<'_> = delivery.decode_borrowed().expect("view decodes");
    assert!(matches!(
        view.call.expect("a call").id,
        Cow::Borrowed("call-0004")
    ));
}

#[test]
fn cow_inside_option_is_a_copy_unless_wrapped() {
    // The `Message` docs say so; this is serde's behaviour, checked here so
    // the docs change when it does.
    #[derive(Deserialize)]
    struct Seen<'a> {
        #[serde(borrow)]
        status: Option<Cow<'a, str>>,
        #[serde(borrow)]
        role: Option<Text<'a>>,
    }
    #[derive(Deserialize)]
    #[serde(transparent)]
    struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

    let body = br#"{"message": {"type": "speech-update", "status": "started", "role": "user"}}"#;
    let headers = HeaderMap::new();
    let delivery = Delivery::parse(Namespace::Server, &headers, body).expect("routes");
    let seen: Seen<'_> = delivery.decode_borrowed().expect("decodes");
    assert!(matches!(seen.status, Some(Cow::Owned(_))));
    assert!(matches!(seen.role, Some(Text(Cow::Borrowed("user")))));
}

#[test]
fn transfer_payload_still_decodes_owned() {
    // The owned payload path goes through the same decoding.
    let body = br#"{"message": {"type": "transfer-destination-request", "call": {"id": "a\/b"}}}"#;
    let headers = HeaderMap::new();
    let delivery = Delivery::parse(Namespace::Server, &headers, body).expect("routes");
    let request: TransferDestinationRequest = delivery.decode().expect("decodes");
    assert_eq!(request.call_id(), Some("a/b"));
}

#[tokio::test]
async fn client_messages_decode_wrapped_and_bare() {
    // The web SDK hands client messages to the browser without the
    // `message` wrapper, so both forms reach the handler.
    let receiver = receiver();
    for body in [
        &br#"{"message": {"type": "workflow.node.started", "node": {"name": "greet"}}}"#[..],
        br#"{"type": "workflow.node.started", "node": {"name": "greet"}}"#,
    ] {
        let reply = receiver
            .receive(Namespace::Client, &HeaderMap::new(), body)
            .await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    assert_eq!(
        seen(&receiver),
        ["node greet (borrowed)", "node greet (borrowed)"]
    );
}
