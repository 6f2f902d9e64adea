//! The three ways of handling one delivery that the benchmarks compare,
//! each doing the same work: find the message type, read the fields a small
//! handler reads, and serialise the reply.
//!
//! - the framework: [`Receiver::receive`] on a `#[webhook_hooks]` type;
//! - the baseline: the handler a user writes by hand, which parses the body
//!   into a `serde_json::Value`, matches on `message.type` and builds the
//!   reply with `json!`;
//! - the limit: `serde_json::from_slice` straight into the payload type the
//!   sender announced, which skips routing altogether.
//!
//! The status update is measured a second way too: the framework with a
//! handler that takes [`Message`] of a type naming only the fields it
//! reads, borrowed from the body, against the direct decode of that type.

use std::borrow::Cow;
use std::hint::black_box;

use http::HeaderMap;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use webhook_core::events::{EndOfCallReport, StatusUpdate, ToolCall, ToolCalls};
use webhook_core::reply::{ToolCallResult, ToolCallsReply};
use webhook_core::{Auth, HandlerError, Message, Namespace, Receiver, webhook_hooks};

use super::payloads::Bodies;

/// One body of the delivery benchmarks, with the limit for its payload type.
#[derive(Clone, Copy)]
pub struct Case<'a> {
    /// The body's name in the result tables.
    pub name: &'static str,
    /// The request body.
    pub body: &'a [u8],
    /// The limit contender for this body's payload type.
    pub limit: fn(&[u8]) -> Vec<u8>,
    /// Whether the body is another case's message with its keys in another
    /// order, which allocates the same as that case.
    pub reordered: bool,
}

/// Returns the delivery cases every benchmark target measures, in the
/// order of the result tables.
pub fn cases(bodies: &Bodies) -> [Case<'_>; 5] {
    [
        Case {
            name: "tool-calls",
            body: &bodies.tool_calls,
            limit: limit_tool_calls,
            reordered: false,
        },
        Case {
            name: "status-update",
            body: &bodies.status_update,
            limit: limit_status_update,
            reordered: false,
        },
        Case {
            name: "report-100k",
            body: &bodies.report_100k,
            limit: limit_report,
            reordered: false,
        },
        Case {
            name: "report-2m",
            body: &bodies.report_2m,
            limit: limit_report,
            reordered: false,
        },
        Case {
            name: "report-2m-type-last",
            body: &bodies.report_2m_type_last,
            limit: limit_report,
            reordered: true,
        },
    ]
}

/// Arguments of the `lookupOrder` tool.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LookupOrder {
    /// The order id.
    pub order_id: String,
}

/// Arguments of the `checkAvailability` tool.
#[derive(Debug, Deserialize)]
pub struct CheckAvailability {
    /// The day, `YYYY-MM-DD`.
    pub date: String,
}

fn lookup_order_result(order_id: &str) -> String {
    format!("order {order_id} has shipped")
}

fn availability_result(date: &str) -> String {
    format!("{date}: 09:00 and 14:00 are free")
}

fn unknown_tool_error(name: &str) -> String {
    format!("no tool named `{name}` is registered on this server")
}

/// The hooks the framework contender runs: trivial handlers that read the
/// fields a real handler would read and return at once.
#[derive(Debug)]
pub struct BenchHooks;

#[webhook_hooks]
impl BenchHooks {
    #[on(server.statusUpdate)]
    fn status(&self, update: StatusUpdate) {
        black_box((
            update.status.as_ref().map(|status| status.as_str()),
            update.call.as_ref().and_then(|call| call.id.as_deref()),
            update.ended_reason.as_ref().map(|reason| reason.as_str()),
        ));
    }

    #[on(server.endOfCallReport)]
    fn report(&self, report: EndOfCallReport) {
        read_report(&report);
    }

    #[tool("lookupOrder")]
    async fn lookup_order(&self, args: LookupOrder) -> Result<String, HandlerError> {
        Ok(lookup_order_result(&args.order_id))
    }

    #[tool("checkAvailability")]
    async fn check_availability(&self, args: CheckAvailability) -> Result<String, HandlerError> {
        Ok(availability_result(&args.date))
    }
}

/// Reads what the example server stores of a report.
fn read_report(report: &EndOfCallReport) {
    black_box((
        report.call_id(),
        report.ended_reason.as_ref().map(|reason| reason.as_str()),
        report.duration_seconds,
        report.cost,
        report.summary().map(str::len),
        report.transcript().map(str::len),
        report
            .customer
            .as_ref()
            .and_then(|customer| customer.number.as_deref()),
    ));
}

/// The fields the status handler reads, borrowed from the body: what a
/// handler taking [`Message`] declares.
#[derive(Deserialize)]
pub struct StatusSeen<'a> {
    #[serde(borrow)]
    status: Cow<'a, str>,
    #[serde(borrow, default)]
    call: Option<CallSeen<'a>>,
    #[serde(rename = "endedReason", borrow, default)]
    ended_reason: Option<EndedReasonSeen<'a>>,
}

/// The call's id, borrowed.
#[derive(Deserialize)]
pub struct CallSeen<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
}

/// A borrowed string that may be absent. Serde copies a `Cow` inside an
/// `Option`, so the `Option` wraps this type instead.
#[derive(Deserialize)]
#[serde(transparent)]
pub struct EndedReasonSeen<'a>(#[serde(borrow)] Cow<'a, str>);

/// Reads what the status handlers read of a borrowed status update.
fn read_status_seen(update: &StatusSeen<'_>) {
    black_box((
        &*update.status,
        update.call.as_ref().map(|call| &*call.id),
        update.ended_reason.as_ref().map(|reason| &*reason.0),
    ));
}

/// The hooks of the second way to measure the status update: a handler
/// that takes `Message<StatusSeen>` instead of the payload type.
#[derive(Debug)]
pub struct ViewHooks;

#[webhook_hooks]
impl ViewHooks {
    #[on(server.statusUpdate)]
    fn status(&self, update: Message<StatusSeen<'_>>) {
        read_status_seen(&update);
    }
}

/// Builds the framework contender: the benchmark hooks behind a receiver
/// without authentication, as the benchmarks measure delivery alone.
pub fn framework() -> Receiver<BenchHooks> {
    Receiver::builder(BenchHooks)
        .auth(Auth::none())
        .build()
        .expect("`Auth::none()` and the default deadlines are valid")
}

/// Builds the framework contender with the `Message` status handler.
pub fn framework_view() -> Receiver<ViewHooks> {
    Receiver::builder(ViewHooks)
        .auth(Auth::none())
        .build()
        .expect("`Auth::none()` and the default deadlines are valid")
}

/// Runs one delivery through the framework and returns the reply body.
pub async fn framework_deliver<H: webhook_core::Hooks>(
    receiver: &Receiver<H>,
    headers: &HeaderMap,
    body: &[u8],
) -> Vec<u8> {
    let reply = receiver.receive(Namespace::Server, headers, body).await;
    assert_eq!(reply.status, http::StatusCode::OK, "framework reply status");
    reply.body.to_vec()
}

/// Runs the hand-written baseline: parse into `Value`, match on the type,
/// read the same fields, build the reply with `json!`.
pub fn baseline_deliver(body: &[u8]) -> Vec<u8> {
    let request: Value = serde_json::from_slice(body).expect("benchmark bodies are valid JSON");
    let message = &request["message"];

    let reply = match message["type"].as_str() {
        Some("status-update") => {
            black_box((
                message["status"].as_str(),
                message["call"]["id"].as_str(),
                message["endedReason"].as_str(),
            ));
            json!({})
        }
        Some("end-of-call-report") => {
            baseline_read_report(message);
            json!({})
        }
        Some("tool-calls") => baseline_tool_calls(message),
        _ => json!({}),
    };
    serde_json::to_vec(&reply).expect("a `Value` always serialises")
}

fn baseline_read_report(message: &Value) {
    let summary = message["analysis"]["summary"]
        .as_str()
        .or(message["summary"].as_str());
    let transcript = message["artifact"]["transcript"]
        .as_str()
        .or(message["transcript"].as_str());
    black_box((
        message["call"]["id"]
            .as_str()
            .or(message["chat"]["id"].as_str()),
        message["endedReason"].as_str(),
        message["durationSeconds"].as_f64(),
        message["cost"].as_f64(),
        summary.map(str::len),
        transcript.map(str::len),
        message["customer"]["number"].as_str(),
    ));
}

fn baseline_tool_calls(message: &Value) -> Value {
    let calls = message["toolCallList"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let results: Vec<Value> = calls
        .iter()
        .map(|call| {
            let id = call["id"].as_str().unwrap_or_default();
            let name = call["function"]["name"].as_str().unwrap_or_default();
            let arguments = match &call["function"]["arguments"] {
                Value::String(text) => serde_json::from_str(text).unwrap_or(Value::Null),
                other => other.clone(),
            };
            let answer = match name {
                "lookupOrder" => arguments["orderId"].as_str().map(lookup_order_result),
                "checkAvailability" => arguments["date"].as_str().map(availability_result),
                _ => None,
            };
            match answer {
                Some(result) => json!({"toolCallId": id, "name": name, "result": result}),
                None => json!({"toolCallId": id, "name": name, "error": unknown_tool_error(name)}),
            }
        })
        .collect();
    json!({ "results": results })
}

/// The `{"message": ...}` envelope around a known payload type.
#[derive(Deserialize)]
struct Envelope<P> {
    message: P,
}

/// Decodes the body as the payload type `P` in one `from_slice` call.
pub fn decode_direct<P: DeserializeOwned>(body: &[u8]) -> P {
    serde_json::from_slice::<Envelope<P>>(body)
        .expect("benchmark bodies decode as their payload type")
        .message
}

/// Runs the limit for a status update: decode, read, reply `{}`.
pub fn limit_status_update(body: &[u8]) -> Vec<u8> {
    let update: StatusUpdate = decode_direct(body);
    black_box((
        update.status.as_ref().map(|status| status.as_str()),
        update.call.as_ref().and_then(|call| call.id.as_deref()),
        update.ended_reason.as_ref().map(|reason| reason.as_str()),
    ));
    b"{}".to_vec()
}

/// Runs the limit of the `Message` status handler: decode its borrowed
/// type straight from the body, read, reply `{}`.
pub fn limit_status_seen(body: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(body).expect("benchmark bodies are UTF-8");
    let update = serde_json::from_str::<Envelope<StatusSeen<'_>>>(text)
        .expect("benchmark bodies decode as the borrowed status type")
        .message;
    read_status_seen(&update);
    b"{}".to_vec()
}

/// Runs the limit for an end-of-call report: decode, read, reply `{}`.
pub fn limit_report(body: &[u8]) -> Vec<u8> {
    let report: EndOfCallReport = decode_direct(body);
    read_report(&report);
    b"{}".to_vec()
}

/// Runs the limit for tool calls: decode, build a result per call,
/// serialise the reply.
pub fn limit_tool_calls(body: &[u8]) -> Vec<u8> {
    let message: ToolCalls = decode_direct(body);
    let results = message.tool_call_list.iter().map(limit_answer).collect();
    serde_json::to_vec(&ToolCallsReply::new(results)).expect("a tool-calls reply always serialises")
}

fn limit_answer(call: &ToolCall) -> ToolCallResult {
    let answer = match call.name() {
        "lookupOrder" => call
            .arguments::<LookupOrder>()
            .ok()
            .map(|args| lookup_order_result(&args.order_id)),
        "checkAvailability" => call
            .arguments::<CheckAvailability>()
            .ok()
            .map(|args| availability_result(&args.date)),
        _ => None,
    };
    match answer {
        Some(result) => ToolCallResult::success(&call.id, call.name(), result),
        None => ToolCallResult::failure(&call.id, call.name(), unknown_tool_error(call.name())),
    }
}
