//! How much of a tool-calls message is decoded: only the calls and the
//! call id when nothing compiled in reads more, the whole message when a
//! tool takes a context that reads it or a tool-calls handler exists.

mod common;

use common::LogBuffer;
use http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use webhook_core::events::{ToolCall, ToolCalls};
use webhook_core::reply::{ToolCallResult, ToolCallsReply};
use webhook_core::{Auth, Delivery, Namespace, Receiver, ToolContext, webhook_hooks};

/// Tools that read their arguments, the call, the headers and the delivery,
/// but not the message.
struct Lean;

#[webhook_hooks]
impl Lean {
    #[tool("echo")]
    fn echo(&self, args: Value, call: &ToolCall, headers: &HeaderMap) -> String {
        format!("{} {} {}", call.id, args, headers.len())
    }

    #[tool("wireType")]
    fn wire_type(&self, _args: Value, delivery: &Delivery<'_>) -> String {
        delivery.wire_type().to_owned()
    }

    // Compiled out, so its `&ToolCalls` does not count.
    #[cfg(any())]
    #[tool("customer")]
    fn customer(&self, _args: Value, message: &ToolCalls) -> String {
        format!("{:?}", message.customer)
    }
}

/// A tool that reads the whole message through `&ToolCalls`.
struct Reader;

#[webhook_hooks]
impl Reader {
    #[tool("echo")]
    fn echo(&self, args: Value) -> String {
        args.to_string()
    }

    #[tool("customer")]
    fn customer(&self, _args: Value, message: &ToolCalls) -> String {
        message
            .customer
            .as_ref()
            .and_then(|customer| customer.number.clone())
            .unwrap_or_else(|| "no number".to_owned())
    }
}

/// The caller's number: a context type written outside this crate, which
/// keeps the default `READS_MESSAGE`.
struct CallerNumber(Option<String>);

impl<'a> ToolContext<'a> for CallerNumber {
    fn from_tool_call(_: &'a ToolCall, message: &'a ToolCalls, _: &'a Delivery<'a>) -> Self {
        CallerNumber(
            message
                .customer
                .as_ref()
                .and_then(|customer| customer.number.clone()),
        )
    }
}

struct OwnContext;

#[webhook_hooks]
impl OwnContext {
    #[tool("caller")]
    fn caller(&self, _args: Value, number: CallerNumber) -> String {
        number.0.unwrap_or_else(|| "no number".to_owned())
    }
}

/// Hooks whose tool-calls handler is compiled out, so only the calls are
/// decoded.
struct Switched;

#[webhook_hooks]
impl Switched {
    #[cfg(any())]
    #[on(server.toolCalls)]
    fn rest(&self, _message: ToolCalls) -> ToolCallsReply {
        ToolCallsReply::new(Vec::new())
    }

    #[tool("echo")]
    fn echo(&self, args: Value) -> String {
        args.to_string()
    }
}

/// Hooks whose `&ToolCalls` tool is compiled in, so the whole message is
/// decoded.
struct SwitchedOn;

#[webhook_hooks]
impl SwitchedOn {
    #[tool("echo")]
    fn echo(&self, args: Value) -> String {
        args.to_string()
    }

    // `test` is set when this file is compiled.
    #[cfg(test)]
    #[tool("customer")]
    fn customer(&self, _args: Value, message: &ToolCalls) -> String {
        format!("{:?}", message.customer.is_some())
    }
}

/// A tool that reads nothing of the message, next to a tool-calls handler.
struct WithHandler;

#[webhook_hooks]
impl WithHandler {
    #[tool("echo")]
    fn echo(&self, args: Value) -> String {
        args.to_string()
    }

    #[on(server.toolCalls)]
    fn rest(&self, message: ToolCalls) -> ToolCallsReply {
        let number = message
            .customer
            .as_ref()
            .and_then(|customer| customer.number.clone())
            .unwrap_or_default();
        ToolCallsReply::new(
            message
                .tool_call_list
                .iter()
                .map(|call| ToolCallResult::success(&call.id, call.name(), number.clone()))
                .collect(),
        )
    }
}

async fn send<H: webhook_core::Hooks>(hooks: H, message: Value) -> (StatusCode, Value) {
    let receiver = Receiver::builder(hooks)
        .auth(Auth::none())
        .build()
        .expect("valid settings");
    let body = serde_json::to_vec(&json!({ "message": message })).expect("body");
    let reply = receiver
        .receive(Namespace::Server, &HeaderMap::new(), &body)
        .await;
    let json = serde_json::from_slice(&reply.body).expect("JSON reply");
    (reply.status, json)
}

fn call(id: &str, name: &str) -> Value {
    json!({"id": id, "type": "function", "function": {"name": name, "arguments": {"n": 1}}})
}

/// Builds a message whose `customer` and `timestamp` do not fit their types.
fn message_with_bad_fields(calls: Vec<Value>) -> Value {
    json!({
        "type": "tool-calls",
        "timestamp": "soon",
        "customer": 5,
        "call": {"id": "call-1"},
        "toolCallList": calls,
    })
}

#[tokio::test]
async fn fields_no_tool_reads_are_not_checked() {
    let (status, reply) = send(
        Lean,
        message_with_bad_fields(vec![call("t1", "echo"), call("t2", "wireType")]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        reply,
        json!({"results": [
            {"toolCallId": "t1", "name": "echo", "result": "t1 {\"n\":1} 0"},
            {"toolCallId": "t2", "name": "wireType", "result": "tool-calls"},
        ]})
    );
}

#[tokio::test]
async fn tool_reading_the_message_gets_it_checked() {
    // One tool takes `&ToolCalls`, so the message is decoded whole, and a
    // field that does not fit fails every call, also the other tool's.
    let (status, reply) = send(
        Reader,
        message_with_bad_fields(vec![call("t1", "echo"), call("t2", "customer")]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    for result in reply["results"].as_array().expect("results") {
        let error = result["error"].as_str().expect("an error entry");
        // Either bad field is named, whichever the decode meets first.
        assert!(
            error.contains("customer") || error.contains("timestamp"),
            "{error}"
        );
    }

    // And it gets the message's fields.
    let (_, reply) = send(
        Reader,
        json!({"type": "tool-calls", "customer": {"number": "+15555550101"},
               "toolCallList": [call("t1", "customer")]}),
    )
    .await;
    assert_eq!(reply["results"][0]["result"], "+15555550101");
}

#[tokio::test]
async fn context_from_elsewhere_gets_the_whole_message() {
    // `CallerNumber` keeps the default, so the message is decoded whole.
    let (_, reply) = send(
        OwnContext,
        json!({"type": "tool-calls", "customer": {"number": "+15555550102"},
               "toolCallList": [call("t1", "caller")]}),
    )
    .await;
    assert_eq!(reply["results"][0]["result"], "+15555550102");
}

#[tokio::test]
async fn tool_calls_handler_gets_the_whole_message() {
    let (_, reply) = send(
        WithHandler,
        json!({"type": "tool-calls", "customer": {"number": "+15555550103"},
               "toolCallList": [call("t1", "echo"), call("t2", "other")]}),
    )
    .await;
    assert_eq!(
        reply,
        json!({"results": [
            {"toolCallId": "t1", "name": "echo", "result": "{\"n\":1}"},
            {"toolCallId": "t2", "name": "other", "result": "+15555550103"},
        ]})
    );

    let (_, reply) = send(
        WithHandler,
        message_with_bad_fields(vec![call("t1", "echo")]),
    )
    .await;
    assert!(reply["results"][0]["error"].is_string(), "{reply}");
}

#[tokio::test]
async fn cfg_decides_what_reads_the_message() {
    // The handler is compiled out: only the calls are decoded.
    let (_, reply) = send(Switched, message_with_bad_fields(vec![call("t1", "echo")])).await;
    assert_eq!(reply["results"][0]["result"], "{\"n\":1}", "{reply}");

    // The `&ToolCalls` tool is compiled in: the whole message is decoded.
    let (_, reply) = send(
        SwitchedOn,
        message_with_bad_fields(vec![call("t1", "echo")]),
    )
    .await;
    assert!(reply["results"][0]["error"].is_string(), "{reply}");
}

#[tokio::test]
async fn invalid_calls_are_still_set_aside() {
    let (status, reply) = send(
        Lean,
        message_with_bad_fields(vec![
            call("t1", "echo"),
            json!({"id": "t2", "function": {"name": 42}}),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply["results"][0]["result"], "t1 {\"n\":1} 0");
    let error = reply["results"][1]["error"]
        .as_str()
        .expect("an error entry");
    assert!(error.contains("toolCallList[1].function.name"), "{error}");
}

#[tokio::test]
async fn skipped_fields_must_still_be_json() {
    // The broken field comes after the calls, so a decode that stopped
    // once it had them would miss it.
    let body = br#"{"message": {"type": "tool-calls", "toolCallList": [],
        "customer": {"number": 5,}}}"#;
    let receiver = Receiver::builder(Lean)
        .auth(Auth::none())
        .build()
        .expect("valid settings");
    let reply = receiver
        .receive(Namespace::Server, &HeaderMap::new(), body)
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn log_lines_keep_the_call_id() {
    let logs = LogBuffer::default();
    let _guard = tracing::subscriber::set_default(logs.subscriber());
    let (status, _) = send(
        Lean,
        json!({"type": "tool-calls", "artifact": {"messages": []},
               "call": {"id": "call-lean-1"}, "toolCallList": []}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let text = logs.text();
    let line = text
        .lines()
        .find(|line| line.contains("has no calls"))
        .unwrap_or_else(|| panic!("no warning in {text}"));
    assert!(line.contains("call_id=\"call-lean-1\""), "{line}");
}
