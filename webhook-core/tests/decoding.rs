//! Decoding rules of the payload types, one test per rule, each run on
//! fixture messages through `Delivery::parse` and `Delivery::decode`, the
//! same path the generated handlers take.
//!
//! The fixtures in `fixtures/` follow Vapi's published message schemas, with
//! fake ids and +1 555 01xx phone numbers, plus the fields real deliveries
//! carry beyond the schema.

use std::time::{Duration, UNIX_EPOCH};

use http::HeaderMap;
use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Value, json};
use time::macros::datetime;
use webhook_core::events::{
    ArgumentsError, AssistantRequest, CallStatus, CostType, EndOfCallReport, EndedReason,
    MessageRole, StatusUpdate, Timestamp, ToolCalls, TransferDestinationRequest,
    WorkflowNodeStarted,
};
use webhook_core::{DecodeError, Delivery, EventKind, MalformedDelivery, Namespace, Payload};

const END_OF_CALL_REPORT: &str = include_str!("fixtures/end_of_call_report.json");
const END_OF_CALL_REPORT_UNKNOWN_FIELDS: &str =
    include_str!("fixtures/end_of_call_report_unknown_fields.json");
const END_OF_CALL_REPORT_OPEN_ENUMS: &str =
    include_str!("fixtures/end_of_call_report_open_enums.json");
const STATUS_UPDATE_FORWARDING: &str = include_str!("fixtures/status_update_forwarding.json");
const TOOL_CALLS_ARGUMENTS: &str = include_str!("fixtures/tool_calls_arguments.json");
const TOOL_CALLS_CHAT: &str = include_str!("fixtures/tool_calls_chat.json");
const ASSISTANT_REQUEST: &str = include_str!("fixtures/assistant_request.json");
const TRANSFER_DESTINATION_REQUEST: &str =
    include_str!("fixtures/transfer_destination_request.json");
const WORKFLOW_NODE_STARTED: &str = include_str!("fixtures/workflow_node_started.json");

/// One fixture with the payload type and namespace it is decoded with.
struct Fixture {
    name: &'static str,
    body: &'static str,
    namespace: Namespace,
    kind: EventKind,
    /// Decodes a body as the fixture's payload type and serialises the
    /// result back to JSON.
    decode: fn(Namespace, &str) -> Result<Value, DecodeError>,
}

fn fixture<P: Payload + serde::Serialize>(
    name: &'static str,
    body: &'static str,
    namespace: Namespace,
) -> Fixture {
    Fixture {
        name,
        body,
        namespace,
        kind: P::KIND,
        decode: decode_to_json::<P>,
    }
}

fn fixtures() -> Vec<Fixture> {
    vec![
        fixture::<EndOfCallReport>("end_of_call_report", END_OF_CALL_REPORT, Namespace::Server),
        fixture::<EndOfCallReport>(
            "end_of_call_report_unknown_fields",
            END_OF_CALL_REPORT_UNKNOWN_FIELDS,
            Namespace::Server,
        ),
        fixture::<EndOfCallReport>(
            "end_of_call_report_open_enums",
            END_OF_CALL_REPORT_OPEN_ENUMS,
            Namespace::Server,
        ),
        fixture::<StatusUpdate>(
            "status_update_forwarding",
            STATUS_UPDATE_FORWARDING,
            Namespace::Server,
        ),
        fixture::<ToolCalls>(
            "tool_calls_arguments",
            TOOL_CALLS_ARGUMENTS,
            Namespace::Server,
        ),
        fixture::<ToolCalls>("tool_calls_chat", TOOL_CALLS_CHAT, Namespace::Server),
        fixture::<AssistantRequest>("assistant_request", ASSISTANT_REQUEST, Namespace::Server),
        fixture::<TransferDestinationRequest>(
            "transfer_destination_request",
            TRANSFER_DESTINATION_REQUEST,
            Namespace::Server,
        ),
        fixture::<WorkflowNodeStarted>(
            "workflow_node_started",
            WORKFLOW_NODE_STARTED,
            Namespace::Client,
        ),
    ]
}

/// Parses a delivery and decodes its message as `P`.
fn decode<P: Payload>(namespace: Namespace, body: &str) -> Result<P, DecodeError> {
    let headers = HeaderMap::new();
    let delivery = Delivery::parse(namespace, &headers, body.as_bytes()).unwrap_or_else(|error| {
        panic!("body is not a delivery: {error}");
    });
    assert_eq!(delivery.kind(), Some(P::KIND), "routed to the wrong event");
    delivery.decode::<P>()
}

fn decode_server<P: Payload>(body: &str) -> P {
    decode::<P>(Namespace::Server, body)
        .unwrap_or_else(|error| panic!("message does not decode: {error}"))
}

fn decode_to_json<P: Payload + serde::Serialize>(
    namespace: Namespace,
    body: &str,
) -> Result<Value, DecodeError> {
    let payload = decode::<P>(namespace, body)?;
    Ok(serde_json::to_value(&payload).expect("payload serialises"))
}

/// Returns the `message` object of a fixture as a JSON value.
fn message_of(body: &str) -> Value {
    let mut whole: Value = serde_json::from_str(body).expect("fixture is JSON");
    whole["message"].take()
}

fn wrap(message: &Value) -> String {
    json!({ "message": message }).to_string()
}

// ---------------------------------------------------------------------------
// Key order

/// The keys of a JSON object with their raw values, in the order written.
struct OrderedEntries(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for OrderedEntries {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;

        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = OrderedEntries;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OrderedEntries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, Box<RawValue>>()? {
                    entries.push(entry);
                }
                Ok(OrderedEntries(entries))
            }
        }

        deserializer.deserialize_map(EntriesVisitor)
    }
}

/// Rewrites the `message` of a body with its top-level keys reordered.
fn reorder_message(body: &str, reorder: fn(&mut [(String, Box<RawValue>)])) -> String {
    #[derive(Deserialize)]
    struct Envelope {
        message: OrderedEntries,
    }

    let Envelope {
        message: OrderedEntries(mut entries),
    } = serde_json::from_str(body).expect("fixture is a delivery");
    reorder(&mut entries);

    let fields: Vec<String> = entries
        .iter()
        .map(|(key, value)| format!("{}:{}", Value::from(key.as_str()), value.get()))
        .collect();
    format!("{{\"message\":{{{}}}}}", fields.join(","))
}

fn type_first(entries: &mut [(String, Box<RawValue>)]) {
    entries.sort_by_key(|(key, _)| key != "type");
}

fn type_last(entries: &mut [(String, Box<RawValue>)]) {
    entries.sort_by_key(|(key, _)| key == "type");
}

fn reversed(entries: &mut [(String, Box<RawValue>)]) {
    entries.reverse();
}

#[test]
fn key_order_never_matters() {
    for fixture in fixtures() {
        let expected = (fixture.decode)(fixture.namespace, fixture.body)
            .unwrap_or_else(|error| panic!("{}: {error}", fixture.name));

        for reorder in [type_first, type_last, reversed] {
            let body = reorder_message(fixture.body, reorder);
            let headers = HeaderMap::new();
            let delivery = Delivery::parse(fixture.namespace, &headers, body.as_bytes())
                .unwrap_or_else(|error| panic!("{}: {error}", fixture.name));
            assert_eq!(delivery.kind(), Some(fixture.kind), "{}", fixture.name);

            let decoded = (fixture.decode)(fixture.namespace, &body)
                .unwrap_or_else(|error| panic!("{}: {error}", fixture.name));
            assert_eq!(decoded, expected, "{}: {body}", fixture.name);
        }
    }
}

#[test]
fn nested_type_is_not_message_type() {
    // In this fixture `destination.type` and `call.type` come before the
    // message's own `type`, which is the last key.
    let headers = HeaderMap::new();
    let delivery = Delivery::parse(
        Namespace::Server,
        &headers,
        STATUS_UPDATE_FORWARDING.as_bytes(),
    )
    .expect("valid delivery");
    assert_eq!(delivery.wire_type(), "status-update");
    assert_eq!(delivery.call_id(), Some("call-fixture-0102"));

    let update = delivery.decode::<StatusUpdate>().expect("decodes");
    assert_eq!(update.status, Some(CallStatus::Forwarding));
    let call = update.call.expect("call present");
    assert_eq!(call.call_type.as_deref(), Some("inboundPhoneCall"));
    let destination = update.destination.expect("destination present");
    assert_eq!(
        destination.to_value().expect("a JSON value")["type"],
        "number"
    );
    assert_eq!(update.extra["type"], json!("status-update"));

    let mut message = message_of(STATUS_UPDATE_FORWARDING);
    message.as_object_mut().expect("object").remove("type");
    let body = wrap(&message);
    let result = Delivery::parse(Namespace::Server, &headers, body.as_bytes());
    assert!(matches!(result, Err(MalformedDelivery::MissingType)));
}

// ---------------------------------------------------------------------------
// Null and absence

/// One step of a path into a JSON value.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// Lists the path of every object key inside `value`, depth first.
fn key_paths(value: &Value, prefix: &mut Vec<Step>, paths: &mut Vec<Vec<Step>>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                prefix.push(Step::Key(key.clone()));
                paths.push(prefix.clone());
                key_paths(child, prefix, paths);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                prefix.push(Step::Index(index));
                key_paths(child, prefix, paths);
                prefix.pop();
            }
        }
        _ => {}
    }
}

/// Returns the path with array indexes replaced by `*`, e.g.
/// `toolCallList.*.function.name`.
fn path_pattern(path: &[Step]) -> String {
    let parts: Vec<String> = path
        .iter()
        .map(|step| match step {
            Step::Key(key) => key.clone(),
            Step::Index(_) => "*".to_owned(),
        })
        .collect();
    parts.join(".")
}

fn json_pointer(path: &[Step]) -> String {
    path.iter()
        .map(|step| match step {
            Step::Key(key) => format!("/{}", key.replace('~', "~0").replace('/', "~1")),
            Step::Index(index) => format!("/{index}"),
        })
        .collect()
}

/// Applies `change` to the object entry at `path` (a path that ends in a
/// key).
fn edit_entry(message: &mut Value, path: &[Step], change: impl FnOnce(&mut Value, &str)) {
    let (last, parents) = path.split_last().expect("non-empty path");
    let mut parent = message;
    for step in parents {
        parent = match step {
            Step::Key(key) => &mut parent[key.as_str()],
            Step::Index(index) => &mut parent[*index],
        };
    }
    let Step::Key(key) = last else {
        panic!("path does not end in a key");
    };
    change(parent, key);
}

/// Paths the reply cannot be routed without; these are required.
const ROUTING_FIELDS: &[&str] = &[
    "type",
    "toolCallList.*.id",
    "toolCallList.*.function",
    "toolCallList.*.function.name",
];

/// Returns what a field that is `null` or absent on the wire reads back as,
/// for the fields whose type has a default instead of `None`.
fn defaulted_value(pattern: &str) -> Option<Value> {
    match pattern {
        "toolCallList" => Some(json!([])),
        "toolCallList.*.function.arguments" => Some(json!({})),
        _ => None,
    }
}

#[test]
fn every_optional_field_accepts_null_and_absence() {
    for fixture in fixtures() {
        let message = message_of(fixture.body);
        let mut paths = Vec::new();
        key_paths(&message, &mut Vec::new(), &mut paths);

        for path in paths {
            let pattern = path_pattern(&path);
            if ROUTING_FIELDS.contains(&pattern.as_str()) {
                continue;
            }
            let pointer = json_pointer(&path);

            let mut nulled = message.clone();
            edit_entry(&mut nulled, &path, |parent, key| parent[key] = Value::Null);
            let decoded = (fixture.decode)(fixture.namespace, &wrap(&nulled))
                .unwrap_or_else(|error| panic!("{}: `{pattern}` null: {error}", fixture.name));
            let read_back = decoded.pointer(&pointer);
            assert!(
                read_back
                    .is_none_or(|value| value.is_null()
                        || Some(value) == defaulted_value(&pattern).as_ref()),
                "{}: `{pattern}` null read back as {read_back:?}",
                fixture.name
            );

            let mut removed = message.clone();
            edit_entry(&mut removed, &path, |parent, key| {
                parent.as_object_mut().expect("object").remove(key);
            });
            let decoded = (fixture.decode)(fixture.namespace, &wrap(&removed))
                .unwrap_or_else(|error| panic!("{}: `{pattern}` absent: {error}", fixture.name));
            let read_back = decoded.pointer(&pointer);
            assert!(
                read_back.is_none_or(|value| Some(value) == defaulted_value(&pattern).as_ref()),
                "{}: `{pattern}` absent read back as {read_back:?}",
                fixture.name
            );
        }
    }
}

#[test]
fn null_fields_are_omitted_when_serialised() {
    let body = r#"{"message":{"type":"end-of-call-report","timestamp":null,"endedReason":null,
        "call":{"id":null,"customer":null},"artifact":null,"analysis":null,"costs":null,
        "cost":null,"customer":null,"phoneNumber":null,"chat":null}}"#;
    let report = decode_server::<EndOfCallReport>(body);
    assert_eq!(report.timestamp, None);
    assert_eq!(report.ended_reason, None);
    assert_eq!(report.artifact, None);
    let call = report.call.as_ref().expect("call present");
    assert_eq!(call.id, None);
    assert_eq!(call.customer, None);

    let text = serde_json::to_string(&report).expect("serialises");
    assert_eq!(text, r#"{"call":{},"type":"end-of-call-report"}"#);
}

#[test]
fn tool_call_list_null_or_absent_is_empty() {
    for body in [
        r#"{"message":{"type":"tool-calls","toolCallList":null}}"#,
        r#"{"message":{"type":"tool-calls"}}"#,
    ] {
        let message = decode_server::<ToolCalls>(body);
        assert!(message.tool_call_list.is_empty(), "{body}");
    }
}

#[test]
fn chat_tool_calls_decode_without_call() {
    let message = decode_server::<ToolCalls>(TOOL_CALLS_CHAT);

    assert_eq!(message.call, None);
    assert_eq!(message.customer, None);
    assert_eq!(message.phone_number, None);
    assert_eq!(message.timestamp, None);
    let chat = message.chat.as_ref().expect("chat present");
    assert_eq!(chat.id.as_deref(), Some("chat-test-0012"));

    assert_eq!(message.tool_call_list.len(), 1);
    let call = &message.tool_call_list[0];
    assert_eq!(call.id, "call_Tst0012ChatAAAAAAAAAAAA");
    assert_eq!(call.name(), "echo_args");
    assert_eq!(
        call.arguments::<Value>().expect("object"),
        json!({"q": "hours"})
    );
}

#[test]
fn routing_fields_are_required() {
    let cases = [
        (
            r#"{"message":{"type":"tool-calls","toolCallList":[{"function":{"name":"a"}}]}}"#,
            "toolCallList[0]",
            "missing field `id`",
        ),
        (
            r#"{"message":{"type":"tool-calls","toolCallList":[{"id":"c1","function":null}]}}"#,
            "toolCallList[0].function",
            "invalid type: null",
        ),
        (
            r#"{"message":{"type":"tool-calls","toolCallList":[{"id":"c1","function":{}}]}}"#,
            "toolCallList[0].function",
            "missing field `name`",
        ),
    ];
    for (body, path, reason) in cases {
        let error = decode::<ToolCalls>(Namespace::Server, body).expect_err(body);
        assert_eq!(error.path(), Some(path), "{body}");
        assert!(error.to_string().contains(reason), "{error}");
    }
}

// ---------------------------------------------------------------------------
// Open enumerations

#[test]
fn known_enum_values_get_variants() {
    let report = decode_server::<EndOfCallReport>(END_OF_CALL_REPORT);
    assert_eq!(report.ended_reason, Some(EndedReason::CustomerEndedCall));

    let call = report.call.as_ref().expect("call present");
    assert_eq!(call.status, Some(CallStatus::Ended));

    let messages = report
        .artifact
        .as_ref()
        .and_then(|artifact| artifact.messages.as_ref())
        .expect("artifact messages");
    let roles: Vec<Option<MessageRole>> = messages.iter().map(|m| m.role.clone()).collect();
    assert_eq!(
        roles,
        [
            Some(MessageRole::System),
            Some(MessageRole::Bot),
            Some(MessageRole::User),
            Some(MessageRole::ToolCalls),
            Some(MessageRole::ToolCallResult),
            Some(MessageRole::Bot),
        ]
    );

    let cost_types: Vec<Option<CostType>> = report
        .costs
        .as_ref()
        .expect("costs")
        .iter()
        .map(|cost| cost.cost_type.clone())
        .collect();
    assert_eq!(
        cost_types,
        [
            Some(CostType::Transport),
            Some(CostType::Transcriber),
            Some(CostType::Model),
            Some(CostType::Voice),
            Some(CostType::Vapi),
            Some(CostType::Analysis),
        ]
    );
}

#[test]
fn unknown_enum_values_are_kept() {
    let report = decode_server::<EndOfCallReport>(END_OF_CALL_REPORT_OPEN_ENUMS);

    let ended_reason = "call.in-progress.error-providerfault-example-brand-new-code";
    assert_eq!(
        report.ended_reason,
        Some(EndedReason::Other(ended_reason.to_owned()))
    );
    let call = report.call.as_ref().expect("call present");
    assert_eq!(
        call.status,
        Some(CallStatus::Other("some-future-status".to_owned()))
    );
    let artifact = report.artifact.as_ref().expect("artifact present");
    let turn = &artifact.messages.as_ref().expect("messages")[0];
    assert_eq!(turn.role, Some(MessageRole::Other("narrator".to_owned())));
    let costs = report.costs.as_ref().expect("costs");
    assert_eq!(
        costs[0].cost_type,
        Some(CostType::Other("sip-trunk".to_owned()))
    );
    assert_eq!(costs[1].cost_type, Some(CostType::Transport));

    let json = serde_json::to_value(&report).expect("serialises");
    assert_eq!(json["endedReason"], ended_reason);
    assert_eq!(json["call"]["status"], "some-future-status");
    assert_eq!(json["artifact"]["messages"][0]["role"], "narrator");
    assert_eq!(json["costs"][0]["type"], "sip-trunk");
    assert_eq!(json["costs"][1]["type"], "transport");
}

// ---------------------------------------------------------------------------
// Tool-call arguments

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LookupOrder {
    order_id: String,
    include_items: bool,
    limit: u32,
}

#[test]
fn arguments_object_and_string_agree() {
    let message = decode_server::<ToolCalls>(TOOL_CALLS_ARGUMENTS);
    assert_eq!(message.tool_call_list.len(), 3);
    let [from_object, from_string, broken] = &message.tool_call_list[..] else {
        panic!("three tool calls expected");
    };

    let expected = LookupOrder {
        order_id: "ORD-7".to_owned(),
        include_items: true,
        limit: 3,
    };
    assert_eq!(
        from_object.arguments::<LookupOrder>().expect("object"),
        expected
    );
    assert_eq!(
        from_string.arguments::<LookupOrder>().expect("string"),
        expected
    );

    // The broken call fails on its own; the message and its id still decode.
    assert_eq!(broken.id, "call_Fix0103BrokenAAAAAAAAA");
    assert_eq!(broken.name(), "lookupOrder");
    let error = broken
        .arguments::<LookupOrder>()
        .expect_err("arguments are cut off");
    assert!(matches!(error, ArgumentsError::NotJson(_)), "{error}");
    assert!(
        error
            .to_string()
            .starts_with("arguments could not be parsed as JSON"),
        "{error}"
    );
}

#[test]
fn lone_surrogates_decode_as_replacement_characters() {
    // Half an emoji, as JavaScript writes it when a string is cut inside
    // one, becomes U+FFFD; a whole pair is kept.
    let body = r#"{"message":{"type":"end-of-call-report","endedReason":"customer-ended-call",
        "artifact":{"transcript":"User: I love it \ud83d\nAI: \ud83d\ude00"},
        "analysis":{"summary":"\ude00 ok"}}}"#;
    let report = decode_server::<EndOfCallReport>(body);
    let artifact = report.artifact.expect("artifact");
    assert_eq!(
        artifact.transcript.as_deref(),
        Some("User: I love it \u{fffd}\nAI: \u{1f600}")
    );
    assert_eq!(
        report.analysis.expect("analysis").summary.as_deref(),
        Some("\u{fffd} ok")
    );

    // A field that does not fit is still reported, with its path.
    let body = r#"{"message":{"type":"end-of-call-report","endedReason":"customer-ended-call",
        "artifact":{"transcript":"\ud83d"},"analysis":{"summary":5}}}"#;
    let error =
        decode::<EndOfCallReport>(Namespace::Server, body).expect_err("summary is a number");
    assert_eq!(error.path(), Some("analysis.summary"));
}

#[test]
fn arguments_decode_from_their_text() {
    #[derive(Debug, Deserialize)]
    struct Order {
        id: u128,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Quantity {
        n: f64,
    }

    // A number beyond `u64` keeps every digit, whether the arguments came
    // as an object or as a string holding JSON.
    // The body is written as text, because a `Value` would round the number.
    let exact = 18_446_744_073_709_551_616_u128;
    let object = format!(r#"{{"id":{exact}}}"#);
    let string = json!(object).to_string();
    for arguments in [object.as_str(), string.as_str()] {
        let body = format!(
            r#"{{"message":{{"type":"tool-calls","toolCallList":[{{"id":"t1","type":"function","function":{{"name":"order","arguments":{arguments}}}}}]}}}}"#
        );
        let message = decode_server::<ToolCalls>(&body);
        let order = message.tool_call_list[0]
            .arguments::<Order>()
            .expect("a u128 id");
        assert_eq!(order.id, exact);
    }

    // JSON that a `Value` cannot hold (out of `f64` range, nested past 128
    // levels) fails at the value that does not fit, and the error does not
    // repeat the arguments.
    let deep = format!("{}1{}", "[".repeat(300), "]".repeat(300));
    for text in [r#"{"n": 1e400}"#.to_owned(), deep] {
        let body = json!({"message": {"type": "tool-calls", "toolCallList": [
            {"id": "t1", "type": "function", "function": {"name": "qty", "arguments": text}}
        ]}})
        .to_string();
        let message = decode_server::<ToolCalls>(&body);
        let error = message.tool_call_list[0]
            .arguments::<Quantity>()
            .expect_err("the arguments do not fit");
        assert!(matches!(error, ArgumentsError::Invalid { .. }), "{error}");
        let text = error.to_string();
        assert!(text.len() < 120, "the error repeats the arguments: {text}");
    }
}

#[test]
fn arguments_read_like_the_message() {
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Order {
        order_id: String,
    }

    let call_with = |arguments: &str| {
        let body = format!(
            r#"{{"message":{{"type":"tool-calls","toolCallList":[{{"id":"t1","function":{{"name":"order","arguments":{arguments}}}}}]}}}}"#
        );
        decode_server::<ToolCalls>(&body).tool_call_list.remove(0)
    };

    // A lone surrogate becomes U+FFFD, as in typed message fields, whether
    // the arguments are an object or a string holding JSON.
    for arguments in [
        r#"{"orderId":"ORD-1\ud83d"}"#,
        r#""{\"orderId\":\"ORD-1\\ud83d\"}""#,
    ] {
        let order = call_with(arguments)
            .arguments::<Order>()
            .expect("the surrogate is replaced");
        assert_eq!(order.order_id, "ORD-1\u{fffd}", "{arguments}");
    }

    // A repeated key keeps its last value, as keys of the message do.
    let order = call_with(r#"{"orderId":"A","orderId":"B"}"#)
        .arguments::<Order>()
        .expect("the last value is kept");
    assert_eq!(order.order_id, "B");

    // Missing arguments read as `{}`; the error gives the path and no
    // position in text the model never sent.
    for arguments in ["null", r#""""#] {
        let error = call_with(arguments)
            .arguments::<Order>()
            .expect_err("orderId is missing");
        assert_eq!(
            error.to_string(),
            "invalid arguments at `.`: missing field `orderId`",
            "{arguments}"
        );
    }
}

#[test]
fn arguments_of_wrong_shape_name_the_path() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct NeedsTextLimit {
        limit: String,
    }

    let message = decode_server::<ToolCalls>(TOOL_CALLS_ARGUMENTS);
    for call in &message.tool_call_list[..2] {
        let error = call
            .arguments::<NeedsTextLimit>()
            .expect_err("limit is a number");
        let ArgumentsError::Invalid { path, .. } = &error else {
            panic!("expected an invalid-arguments error, got {error}");
        };
        assert_eq!(path, "limit");
    }
}

// ---------------------------------------------------------------------------
// Timestamps

fn status_update_at(timestamp: &str) -> String {
    format!(r#"{{"message":{{"timestamp":{timestamp},"type":"status-update"}}}}"#)
}

#[test]
fn timestamp_forms_decode_to_same_instant() {
    let whole_ms = [
        "1767225600123",
        "1767225600123.0",
        r#""2026-01-01T00:00:00.123Z""#,
        r#""2026-01-01T01:00:00.123+01:00""#,
        // ISO-8601 forms beyond RFC 3339.
        r#""2026-01-01T00:00:00.123+0000""#,
        r#""20260101T000000.123Z""#,
    ];
    for form in whole_ms {
        let update = decode_server::<StatusUpdate>(&status_update_at(form));
        let timestamp = update.timestamp.expect("timestamp present");
        assert_eq!(timestamp.unix_ms(), 1_767_225_600_123.0, "{form}");
        assert_eq!(
            timestamp.to_offset_date_time(),
            Some(datetime!(2026-01-01 00:00:00.123 UTC)),
            "{form}"
        );
    }

    let fractional_ms = ["1767225600123.5", r#""2026-01-01T00:00:00.1235Z""#];
    for form in fractional_ms {
        let update = decode_server::<StatusUpdate>(&status_update_at(form));
        let timestamp = update.timestamp.expect("timestamp present");
        assert_eq!(timestamp.unix_ms(), 1_767_225_600_123.5, "{form}");
        assert_eq!(
            timestamp.to_offset_date_time(),
            Some(datetime!(2026-01-01 00:00:00.1235 UTC)),
            "{form}"
        );
        assert_eq!(
            timestamp.to_system_time(),
            Some(UNIX_EPOCH + Duration::new(1_767_225_600, 123_500_000)),
            "{form}"
        );
    }
}

#[test]
fn timestamp_converts_to_system_time() {
    let before_epoch = Timestamp::from_unix_ms(-1_500.0);
    assert_eq!(
        before_epoch.to_system_time(),
        Some(UNIX_EPOCH - Duration::from_millis(1_500))
    );

    for unusable in [f64::NAN, f64::INFINITY, 1e300] {
        assert_eq!(
            Timestamp::from_unix_ms(unusable).to_system_time(),
            None,
            "{unusable}"
        );
    }
}

#[test]
fn timestamp_serialises_as_milliseconds() {
    // The last form, without seconds, is ISO-8601 but not RFC 3339.
    for form in [r#""2026-01-01T00:00:00Z""#, r#""2026-01-01T00:00Z""#] {
        let update = decode_server::<StatusUpdate>(&status_update_at(form));
        let json = serde_json::to_value(&update).expect("serialises");
        assert_eq!(json["timestamp"], json!(1_767_225_600_000_i64), "{form}");
    }

    let update = decode_server::<StatusUpdate>(&status_update_at("1767225600123.5"));
    let json = serde_json::to_value(&update).expect("serialises");
    assert_eq!(json["timestamp"], json!(1_767_225_600_123.5));
}

#[test]
fn invalid_timestamp_names_the_field() {
    for (form, text) in [
        (r#""yesterday""#, "yesterday"),
        // A date alone, or a time without its offset, names no instant.
        (r#""2026-01-01""#, "2026-01-01"),
        (r#""2026-01-01T00:00:00""#, "2026-01-01T00:00:00"),
    ] {
        let error = decode::<StatusUpdate>(Namespace::Server, &status_update_at(form))
            .expect_err("not an instant");
        assert_eq!(error.path(), Some("timestamp"));
        let expected = format!(
            "invalid value: string {text:?}, expected epoch milliseconds or an ISO-8601 date-time with a UTC offset"
        );
        assert!(error.to_string().contains(&expected), "{error}");
    }
}

// ---------------------------------------------------------------------------
// Unknown fields

#[test]
fn unknown_fields_serialise_back_in_place() {
    let report = decode_server::<EndOfCallReport>(END_OF_CALL_REPORT_UNKNOWN_FIELDS);

    assert_eq!(report.duration_seconds, Some(73.4));
    assert_eq!(report.summary.as_deref(), Some("Caller tested the line."));
    assert_eq!(
        report.extra["somethingNewFromVapi"]
            .to_value()
            .expect("a JSON value")["x"],
        1
    );
    assert_eq!(
        report.extra["costBreakdown"]
            .to_value()
            .expect("a JSON value")["total"],
        0.11
    );
    let call = report.call.as_ref().expect("call present");
    assert_eq!(
        call.extra["newCallField"].to_value().expect("a JSON value")["enabled"],
        true
    );

    let json = serde_json::to_value(&report).expect("serialises");
    assert_eq!(json.pointer("/durationSeconds"), Some(&json!(73.4)));
    assert_eq!(
        json.pointer("/summary"),
        Some(&json!("Caller tested the line."))
    );
    assert_eq!(json.pointer("/somethingNewFromVapi/x"), Some(&json!(1)));
    assert_eq!(
        json.pointer("/call/newCallField/enabled"),
        Some(&json!(true))
    );
    assert_eq!(
        json.pointer("/artifact/messages/1/sentiment"),
        Some(&json!("neutral"))
    );
    assert_eq!(json.pointer("/extra"), None);
}

/// Compares two JSON values, numbers by their `f64` value, because a field
/// typed `f64` serialises `73400` back as `73400.0`.
fn same_json(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, x)| b.get(key).is_some_and(|y| same_json(x, y)))
        }
        _ => left == right,
    }
}

#[test]
fn fixtures_round_trip_unchanged() {
    // Two fixtures change on purpose: string tool arguments serialise as
    // the parsed object, and an ISO timestamp as milliseconds.
    let normalised = ["tool_calls_arguments", "workflow_node_started"];

    for fixture in fixtures() {
        if normalised.contains(&fixture.name) {
            continue;
        }
        let decoded = (fixture.decode)(fixture.namespace, fixture.body)
            .unwrap_or_else(|error| panic!("{}: {error}", fixture.name));
        let message = message_of(fixture.body);
        assert!(
            same_json(&decoded, &message),
            "{} changed:\n{decoded:#}",
            fixture.name
        );
    }
}

#[test]
fn repeated_key_keeps_last_value() {
    let body = r#"{"message":{"type":"status-update","status":"ringing","status":"ended",
        "call":{"id":"call-first","id":"call-last"},"note":1,"note":2}}"#;
    let update = decode_server::<StatusUpdate>(body);
    assert_eq!(update.status, Some(CallStatus::Ended));
    assert_eq!(
        update.call.as_ref().and_then(|call| call.id.as_deref()),
        Some("call-last")
    );
    assert_eq!(update.extra["note"], json!(2));
}

// ---------------------------------------------------------------------------
// Errors

#[test]
fn decode_error_names_json_path() {
    let cases = [
        (
            "/artifact/messages/2/secondsFromStart",
            json!("soon"),
            "artifact.messages[2].secondsFromStart",
        ),
        ("/endedReason", json!(42), "endedReason"),
        (
            "/call/customer/number",
            json!({"e164": "+15550100101"}),
            "call.customer.number",
        ),
        ("/costs/1/cost", json!("free"), "costs[1].cost"),
        (
            "/artifact/recording/mono/combinedUrl",
            json!(7),
            "artifact.recording.mono.combinedUrl",
        ),
    ];
    for (pointer, bad_value, path) in cases {
        let mut message = message_of(END_OF_CALL_REPORT);
        *message.pointer_mut(pointer).expect("fixture has the field") = bad_value;

        let error =
            decode::<EndOfCallReport>(Namespace::Server, &wrap(&message)).expect_err(pointer);
        assert_eq!(error.path(), Some(path));
        assert!(
            matches!(&error, DecodeError::Invalid { wire_type, .. } if wire_type == "end-of-call-report"),
            "{error:?}"
        );
        assert!(
            error.to_string().starts_with(&format!(
                "invalid `end-of-call-report` message at `{path}`: "
            )),
            "{error}"
        );
        // The position would count from the start of `message`, not of the
        // body, so only the path places the value.
        assert!(!error.to_string().contains(" at line "), "{error}");
    }
}

#[test]
fn non_object_field_names_its_type() {
    let body = r#"{"message":{"type":"end-of-call-report","call":"call-0001"}}"#;
    let error = decode::<EndOfCallReport>(Namespace::Server, body).expect_err("call is a string");
    assert_eq!(error.path(), Some("call"));
    assert!(
        error.to_string().contains("expected a `Call` object"),
        "{error}"
    );
}

// ---------------------------------------------------------------------------
// Typed fields and size

#[test]
fn report_fields_are_typed() {
    let report = decode_server::<EndOfCallReport>(END_OF_CALL_REPORT);

    assert_eq!(report.call_id(), Some("call-fixture-0101"));
    let call = report.call.as_ref().expect("call present");
    assert_eq!(call.call_type.as_deref(), Some("inboundPhoneCall"));
    assert_eq!(call.phone_call_provider.as_deref(), Some("twilio"));
    let customer = report.customer.as_ref().expect("customer present");
    assert_eq!(customer.number.as_deref(), Some("+15550100101"));
    assert_eq!(customer.name.as_deref(), Some("Ada Example"));
    let phone_number = report.phone_number.as_ref().expect("phone number present");
    assert_eq!(phone_number.number.as_deref(), Some("+15550100100"));
    assert_eq!(
        report.timestamp.map(|t| t.unix_ms()),
        Some(1_767_226_273_400.0)
    );
    assert_eq!(
        report.started_at.as_deref(),
        Some("2026-01-01T00:00:00.500Z")
    );

    let artifact = report.artifact.as_ref().expect("artifact present");
    assert!(report.transcript().expect("transcript").contains("ORD-7"));
    let mono = artifact
        .recording
        .as_ref()
        .and_then(|recording| recording.mono.as_ref())
        .expect("mono recordings");
    assert_eq!(
        mono.customer_url.as_deref(),
        Some("https://recordings.example.invalid/call-fixture-0101/customer.wav")
    );
    assert_eq!(
        artifact
            .messages_open_ai_formatted
            .as_ref()
            .and_then(|list| list.to_value().ok()?.as_array().map(Vec::len)),
        Some(3)
    );
    let result_turn = &artifact.messages.as_ref().expect("messages")[4];
    assert_eq!(
        result_turn.tool_call_id.as_deref(),
        Some("call_Fix0101LookupAAAAAAAAA")
    );

    let analysis = report.analysis.as_ref().expect("analysis present");
    assert_eq!(
        report.summary(),
        Some("The caller asked about order ORD-7, which ships tomorrow.")
    );
    assert_eq!(
        analysis
            .structured_data
            .as_ref()
            .expect("data")
            .to_value()
            .expect("a JSON value")["orderId"],
        "ORD-7"
    );
    assert_eq!(
        analysis
            .success_evaluation
            .as_ref()
            .map(|value| value.to_value().expect("a JSON value")),
        Some(json!("true"))
    );

    assert_eq!(report.cost, Some(0.0873));
    let model_cost = &report.costs.as_ref().expect("costs")[2];
    assert_eq!(model_cost.prompt_tokens, Some(1834.0));
    assert_eq!(model_cost.cost, Some(0.0052));
    assert_eq!(
        report
            .assistant
            .as_ref()
            .expect("assistant")
            .to_value()
            .expect("a JSON value")["name"],
        "Front desk assistant"
    );
}

#[test]
fn large_transcript_decodes() {
    // About 3 MB of transcript, the size of a long call's report.
    let unit = "User: I need to move my appointment please. AI: Sure, which day suits you? ";
    let transcript = unit.repeat(40_000);
    let turns: Vec<Value> = (0..20_000)
        .map(|index| {
            json!({
                "role": if index % 2 == 0 { "user" } else { "bot" },
                "message": unit,
                "time": 1_767_225_600_000_u64 + index * 1000,
                "secondsFromStart": index as f64,
            })
        })
        .collect();
    let body = wrap(&json!({
        "type": "end-of-call-report",
        "endedReason": "exceeded-max-duration",
        "call": { "id": "call-test-0020" },
        "artifact": { "transcript": transcript, "messages": turns },
    }));
    assert!(body.len() > 3_000_000);

    let report = decode_server::<EndOfCallReport>(&body);
    let artifact = report.artifact.expect("artifact present");
    assert_eq!(
        artifact.transcript.as_deref().map(str::len),
        Some(transcript.len())
    );
    assert_eq!(artifact.messages.as_ref().map(Vec::len), Some(20_000));
    assert!(artifact.extra.is_empty());
    assert_eq!(report.ended_reason, Some(EndedReason::ExceededMaxDuration));
}

#[test]
fn transcript_final_by_field_or_wire_type() {
    let cases = [
        (r#"{"type":"transcript","transcriptType":"partial"}"#, false),
        (r#"{"type":"transcript","transcriptType":"final"}"#, true),
        (r#"{"type":"transcript"}"#, false),
        (r#"{"type":"transcript[transcriptType=\"final\"]"}"#, true),
        (
            r#"{"type":"transcript[transcriptType=\"final\"]","transcriptType":"final"}"#,
            true,
        ),
    ];
    for (message, expected) in cases {
        let body = format!(r#"{{"message":{message}}}"#);
        let transcript = decode_server::<webhook_core::events::Transcript>(&body);
        assert_eq!(transcript.is_final(), expected, "{message}");

        let client = decode::<webhook_core::events::client::Transcript>(Namespace::Client, &body)
            .expect("client transcript decodes");
        assert_eq!(client.is_final(), expected, "client {message}");
    }
}
