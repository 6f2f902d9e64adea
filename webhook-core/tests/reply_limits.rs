//! The length limits of Vapi's schema on reply strings: each limit at its
//! bounds, lengths counted in UTF-16 code units, the JSON path of each
//! error, and a receiver that logs an over-long reply and sends it
//! unchanged.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};
use webhook_core::events::{ToolCalls, TransferDestinationRequest};
use webhook_core::reply::{
    AssistantRequestReply, ClientInboundMessage, ClientReply, KnowledgeBaseReply, LengthError,
    LengthErrors, ToolCallResult, ToolCallsReply, TransferDestination, TransferDestinationReply,
};
use webhook_core::{Auth, EventReply, Namespace, Receiver, webhook_hooks};

/// Returns the `(path, length)` of each error, or nothing for `Ok`.
fn found(result: Result<(), LengthErrors>) -> Vec<(String, usize)> {
    match result {
        Ok(()) => Vec::new(),
        Err(errors) => errors
            .iter()
            .map(|error| (error.path().to_owned(), error.length()))
            .collect(),
    }
}

fn digits(count: usize) -> String {
    "5".repeat(count)
}

#[test]
fn number_length_bounds() {
    let check = |count| found(TransferDestination::number(digits(count)).check_lengths());

    assert_eq!(check(2), [("number".to_owned(), 2)]);
    assert!(check(3).is_empty());
    assert!(check(40).is_empty());
    assert_eq!(check(41), [("number".to_owned(), 41)]);
    assert_eq!(check(0), [("number".to_owned(), 0)]);
}

#[test]
fn extension_length_bounds() {
    let check = |count| {
        let destination = TransferDestination::number("+15555550100").with_extension(digits(count));
        found(destination.check_lengths())
    };

    assert_eq!(check(0), [("extension".to_owned(), 0)]);
    assert!(check(1).is_empty());
    assert!(check(10).is_empty());
    assert_eq!(check(11), [("extension".to_owned(), 11)]);
}

#[test]
fn caller_id_length_bounds() {
    let number = |count| {
        let destination = TransferDestination::number("+15555550100").with_caller_id(digits(count));
        found(destination.check_lengths())
    };
    let sip = |count| {
        let destination =
            TransferDestination::sip("sip:desk@example.invalid").with_caller_id(digits(count));
        found(destination.check_lengths())
    };

    assert!(number(0).is_empty());
    assert!(number(40).is_empty());
    assert_eq!(number(41), [("callerId".to_owned(), 41)]);
    assert!(sip(0).is_empty());
    assert!(sip(40).is_empty());
    assert_eq!(sip(41), [("callerId".to_owned(), 41)]);
}

#[test]
fn spoken_content_length_bounds() {
    type Check = fn(String) -> Result<(), LengthErrors>;
    let checks: [(&str, Check); 4] = [
        ("tool result", |content| {
            ToolCallResult::success("call_1", "lookup", "ok")
                .with_spoken_message(content)
                .check_lengths()
        }),
        ("failed tool result", |content| {
            ToolCallResult::failure("call_1", "lookup", "down")
                .with_spoken_message(content)
                .check_lengths()
        }),
        ("knowledge base", |content| {
            KnowledgeBaseReply::say(content).check_lengths()
        }),
        ("transfer", |content| {
            TransferDestinationReply::error("busy")
                .with_spoken_message(content)
                .check_lengths()
        }),
    ];

    for (reply, check) in checks {
        assert!(check(String::new()).is_ok(), "{reply}");
        assert!(check("a".repeat(1000)).is_ok(), "{reply}");
        assert_eq!(
            found(check("a".repeat(1001))),
            [("message.content".to_owned(), 1001)],
            "{reply}"
        );
    }
}

#[test]
fn add_message_content_bound() {
    let limit = 100_000_000;
    let mut content = "a".repeat(limit);
    let message = ClientInboundMessage::add_system_message(content.clone());
    assert!(message.check_lengths().is_ok());

    content.push('a');
    let message = ClientInboundMessage::add_system_message(content);
    assert_eq!(
        found(message.check_lengths()),
        [("message.content".to_owned(), limit + 1)]
    );
}

#[test]
fn emoji_counts_two_units() {
    // "🙂" is one `char`, four UTF-8 bytes and two UTF-16 code units.
    let fits = format!("{}🙂", "a".repeat(998));
    assert!(KnowledgeBaseReply::say(fits).check_lengths().is_ok());

    let over = format!("{}🙂", "a".repeat(999));
    assert_eq!(over.chars().count(), 1000);
    assert_eq!(
        found(KnowledgeBaseReply::say(over).check_lengths()),
        [("message.content".to_owned(), 1001)]
    );

    let emoji_caller_id = "🙂".repeat(21);
    let destination =
        TransferDestination::sip("sip:desk@example.invalid").with_caller_id(emoji_caller_id);
    assert_eq!(
        found(destination.check_lengths()),
        [("callerId".to_owned(), 42)]
    );
}

#[test]
fn multibyte_letters_count_one_unit() {
    // "é" takes two UTF-8 bytes and "€" three, but each is one UTF-16 code
    // unit, so the byte length does not decide.
    let accents = "é".repeat(1000);
    assert!(KnowledgeBaseReply::say(accents).check_lengths().is_ok());

    let short = TransferDestination::number("€€");
    assert_eq!(found(short.check_lengths()), [("number".to_owned(), 2)]);
    assert!(TransferDestination::number("€€€").check_lengths().is_ok());
    assert!(
        TransferDestination::number("€".repeat(40))
            .check_lengths()
            .is_ok()
    );
}

#[test]
fn transfer_reply_paths_nest() {
    let destination = TransferDestination::number("12")
        .with_extension(digits(11))
        .with_caller_id(digits(41));
    let reply =
        TransferDestinationReply::transfer_to(destination).with_spoken_message("a".repeat(1001));

    assert_eq!(
        found(reply.check_lengths()),
        [
            ("destination.number".to_owned(), 2),
            ("destination.extension".to_owned(), 11),
            ("destination.callerId".to_owned(), 41),
            ("message.content".to_owned(), 1001),
        ]
    );
    assert!(
        TransferDestinationReply::transfer_to(TransferDestination::assistant("billing"))
            .check_lengths()
            .is_ok()
    );
}

#[test]
fn tool_result_path_has_index() {
    let reply = ToolCallsReply::new(vec![
        ToolCallResult::success("call_1", "lookup", "ok").with_spoken_message("Found it."),
        ToolCallResult::success("call_2", "lookup", "ok").with_spoken_message("a".repeat(1001)),
        ToolCallResult::failure("call_3", "lookup", "down"),
    ]);

    assert_eq!(
        found(reply.check_lengths()),
        [("results[1].message.content".to_owned(), 1001)]
    );
}

#[test]
fn error_message_singular_unit() {
    let errors = TransferDestination::number("1")
        .check_lengths()
        .expect_err("one digit is too short");

    assert_eq!(
        errors.to_string(),
        "reply field `number` is 1 UTF-16 code unit long, but Vapi's schema allows 3 to 40"
    );
}

#[test]
fn tool_message_conditions_checked() {
    let mut result = ToolCallResult::success("call_1", "lookup", "ok");
    result.message = Some(json!({
        "type": "request-complete",
        "content": "Done.",
        "conditions": [
            {"operator": "eq", "param": "city", "value": "Paris"},
            {"operator": "eq", "param": "p".repeat(1001), "value": "v".repeat(1000)},
            {"operator": "eq", "param": "city", "value": "v".repeat(1001)},
        ],
    }));
    let reply = ToolCallsReply::new(vec![result]);

    assert_eq!(
        found(reply.check_lengths()),
        [
            ("results[0].message.conditions[1].param".to_owned(), 1001),
            ("results[0].message.conditions[2].value".to_owned(), 1001),
        ]
    );
}

#[test]
fn forward_destination_paths_nest() {
    let assistant_request =
        AssistantRequestReply::transfer_to(TransferDestination::number(digits(41)));
    assert_eq!(
        found(assistant_request.check_lengths()),
        [("destination.number".to_owned(), 41)]
    );
    assert!(
        AssistantRequestReply::assistant_id("asst-1")
            .check_lengths()
            .is_ok()
    );

    let desk = TransferDestination::sip("sip:desk@example.invalid").with_caller_id(digits(41));
    let client: ClientReply = Some(ClientInboundMessage::transfer(desk));
    assert_eq!(
        found(EventReply::check_lengths(&client)),
        [("destination.callerId".to_owned(), 41)]
    );
    assert!(EventReply::check_lengths(&None::<ClientInboundMessage>).is_ok());
}

#[test]
fn say_content_has_no_limit() {
    // Vapi's `ClientInboundMessageSay` sets no `maxLength` on `content`.
    let message = ClientInboundMessage::say("a".repeat(5000));
    assert!(message.check_lengths().is_ok());
}

#[test]
fn error_message_names_path_and_range() {
    let reply = TransferDestinationReply::transfer_to(
        TransferDestination::number("12").with_caller_id(digits(41)),
    );
    let errors = reply
        .check_lengths()
        .expect_err("two fields are out of range");
    let [number, caller_id] = errors.as_slice() else {
        panic!("expected two errors, got {errors:?}");
    };

    assert_eq!(
        number.to_string(),
        "reply field `destination.number` is 2 UTF-16 code units long, but Vapi's schema allows 3 to 40"
    );
    assert_eq!(number.allowed(), 3..=40);
    assert_eq!(
        caller_id.to_string(),
        "reply field `destination.callerId` is 41 UTF-16 code units long, but Vapi's schema allows at most 40"
    );
    assert_eq!(caller_id.allowed(), 0..=40);
    assert_eq!(errors.to_string(), format!("{number}; {caller_id}"));

    let boxed: Box<dyn std::error::Error> = Box::new(number.clone());
    assert_eq!(boxed.to_string(), number.to_string());
    let boxed: Box<dyn std::error::Error> = Box::new(errors.clone());
    assert_eq!(boxed.to_string(), errors.to_string());
    let owned: Vec<LengthError> = errors.into_iter().collect();
    assert_eq!(owned.len(), 2);
}

#[test]
fn into_http_reply_leaves_check_to_caller() {
    let log = EventLog::default();
    let _guard = tracing::subscriber::set_default(log.clone());
    let number = digits(41);
    let reply = TransferDestinationReply::transfer_to(TransferDestination::number(number.clone()));
    assert!(reply.check_lengths().is_err());

    let sent: Value = serde_json::from_slice(&reply.into_http_reply().body).expect("JSON");

    assert_eq!(sent["destination"]["number"], json!(number));
    let warnings = log.at_target("webhook::reply");
    assert!(warnings.is_empty(), "{warnings:?}");
}

/// One event as a test subscriber recorded it.
#[derive(Debug, Clone)]
struct LoggedEvent {
    level: Level,
    target: String,
    fields: BTreeMap<String, String>,
}

/// A `tracing` subscriber that records every event with its fields, so a
/// test can assert on them without parsing formatted text.
#[derive(Clone, Default)]
struct EventLog(Arc<Mutex<Vec<LoggedEvent>>>);

impl EventLog {
    fn events(&self) -> Vec<LoggedEvent> {
        self.0.lock().expect("log lock").clone()
    }

    fn at_target(&self, target: &str) -> Vec<LoggedEvent> {
        self.events()
            .into_iter()
            .filter(|event| event.target == target)
            .collect()
    }
}

#[derive(Default)]
struct FieldValues(BTreeMap<String, String>);

impl Visit for FieldValues {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for EventLog {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = FieldValues::default();
        event.record(&mut fields);
        self.0.lock().expect("log lock").push(LoggedEvent {
            level: *event.metadata().level(),
            target: event.metadata().target().to_owned(),
            fields: fields.0,
        });
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// Hooks that transfer to the number in `transfer_to` and speak
/// `spoken` with each tool result.
struct Transfers {
    transfer_to: String,
    spoken: String,
}

#[webhook_hooks]
impl Transfers {
    #[on(server.transferDestinationRequest)]
    async fn transfer(&self, _request: TransferDestinationRequest) -> TransferDestinationReply {
        TransferDestinationReply::transfer_to(TransferDestination::number(self.transfer_to.clone()))
    }

    #[on(server.toolCalls)]
    async fn tools(&self, message: ToolCalls) -> ToolCallsReply {
        let results = message
            .tool_call_list
            .iter()
            .map(|call| {
                ToolCallResult::success(&call.id, call.name(), "ok")
                    .with_spoken_message(self.spoken.clone())
            })
            .collect();
        ToolCallsReply::new(results)
    }
}

fn receiver(transfer_to: String, spoken: String) -> Receiver<Transfers> {
    Receiver::builder(Transfers {
        transfer_to,
        spoken,
    })
    .auth(Auth::none())
    .build()
    .expect("valid settings")
}

fn transfer_request() -> Vec<u8> {
    serde_json::to_vec(&json!({"message": {
        "type": "transfer-destination-request",
        "call": {"id": "call-limits-0001", "type": "outboundPhoneCall"}
    }}))
    .expect("body")
}

#[tokio::test(flavor = "current_thread")]
async fn receiver_sends_overlong_number_unchanged() {
    let log = EventLog::default();
    let _guard = tracing::subscriber::set_default(log.clone());
    let number = digits(41);
    let receiver = receiver(number.clone(), String::new());

    let reply = receiver
        .receive(Namespace::Server, &HeaderMap::new(), &transfer_request())
        .await;

    assert_eq!(reply.status, StatusCode::OK);
    let sent: Value = serde_json::from_slice(&reply.body).expect("JSON");
    assert_eq!(
        sent,
        json!({"destination": {"type": "number", "number": number}})
    );

    let warnings = log.at_target("webhook::reply");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let warning = &warnings[0];
    assert_eq!(warning.level, Level::WARN);
    assert_eq!(warning.fields["event"], "transfer-destination-request");
    assert_eq!(warning.fields["call_id"], "call-limits-0001");
    assert_eq!(warning.fields["path"], "destination.number");
    assert_eq!(warning.fields["length"], "41");
    assert_eq!(warning.fields["min"], "3");
    assert_eq!(warning.fields["max"], "40");
}

#[tokio::test(flavor = "current_thread")]
async fn receiver_logs_nothing_for_valid_reply() {
    let log = EventLog::default();
    let _guard = tracing::subscriber::set_default(log.clone());
    let receiver = receiver("+15555550100".to_owned(), String::new());

    let reply = receiver
        .receive(Namespace::Server, &HeaderMap::new(), &transfer_request())
        .await;

    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        log.at_target("webhook::reply").is_empty(),
        "{:?}",
        log.events()
    );
    let deliveries = log.at_target("webhook::delivery");
    assert_eq!(deliveries.len(), 1, "{deliveries:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn receiver_logs_each_tool_result() {
    let log = EventLog::default();
    let _guard = tracing::subscriber::set_default(log.clone());
    let spoken = "a".repeat(1001);
    let receiver = receiver("+15555550100".to_owned(), spoken.clone());
    let body = serde_json::to_vec(&json!({"message": {
        "type": "tool-calls",
        "call": {"id": "call-limits-0002"},
        "toolCallList": [
            {"id": "tc_1", "type": "function", "function": {"name": "lookup", "arguments": {}}},
            {"id": "tc_2", "type": "function", "function": {"name": "lookup", "arguments": {}}}
        ]
    }}))
    .expect("body");

    let reply = receiver
        .receive(Namespace::Server, &HeaderMap::new(), &body)
        .await;

    let sent: Value = serde_json::from_slice(&reply.body).expect("JSON");
    assert_eq!(sent["results"][0]["message"]["content"], json!(spoken));
    assert_eq!(sent["results"][1]["message"]["content"], json!(spoken));
    let paths: Vec<(String, String)> = log
        .at_target("webhook::reply")
        .into_iter()
        .map(|event| {
            (
                event.fields["path"].clone(),
                event.fields["call_id"].clone(),
            )
        })
        .collect();
    assert_eq!(
        paths,
        [
            (
                "results[0].message.content".to_owned(),
                "call-limits-0002".to_owned()
            ),
            (
                "results[1].message.content".to_owned(),
                "call-limits-0002".to_owned()
            ),
        ]
    );
}

#[test]
fn fallback_checked_at_build() {
    let log = EventLog::default();
    let _guard = tracing::subscriber::set_default(log.clone());
    let fallback = AssistantRequestReply::transfer_to(TransferDestination::number("12"));

    let built = Receiver::builder(Transfers {
        transfer_to: String::new(),
        spoken: String::new(),
    })
    .auth(Auth::none())
    .assistant_request_fallback(fallback)
    .build();

    assert!(built.is_ok());
    let warnings: Vec<LoggedEvent> = log
        .at_target("webhook::config")
        .into_iter()
        .filter(|event| event.fields["message"].contains("fallback"))
        .collect();
    assert_eq!(warnings.len(), 1, "{:?}", log.events());
    assert!(
        warnings[0].fields["error"].contains("`destination.number`"),
        "{warnings:?}"
    );
}
