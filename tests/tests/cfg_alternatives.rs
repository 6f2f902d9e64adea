//! Every `#[cfg]` alternative of `#[on(server.toolCalls)]` and
//! `#[on(unhandled)]` is wired under its own condition, so the one compiled
//! in takes the deliveries whatever its place in the impl. In each pair the
//! first method is compiled out (`any()` is false) and the second compiled
//! in (`not(any())` is true).

use http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use webhook_core::events::ToolCalls;
use webhook_core::reply::{ToolCallResult, ToolCallsReply};
use webhook_core::{Auth, Delivery, HandlerError, Hooks, Namespace, Receiver, webhook_hooks};

/// Answers every call of `message` with "handler ran", the result the
/// compiled-in `#[on(server.toolCalls)]` alternatives give.
fn handler_ran(message: &ToolCalls) -> ToolCallsReply {
    let results = message
        .tool_call_list
        .iter()
        .map(|call| ToolCallResult::success(&call.id, call.name(), "handler ran"))
        .collect();
    ToolCallsReply::new(results)
}

/// Hooks whose tool calls all go to an `#[on(server.toolCalls)]` handler.
struct HandlerOnly;

#[webhook_hooks]
impl HandlerOnly {
    #[cfg(any())]
    #[on(server.toolCalls)]
    fn calls_never(&self, _message: ToolCalls) -> ToolCallsReply {
        unreachable!("compiled out")
    }

    #[cfg(not(any()))]
    #[on(server.toolCalls)]
    fn calls(&self, message: ToolCalls) -> ToolCallsReply {
        handler_ran(&message)
    }
}

/// Tool calls split between a `#[tool]` method and the handler.
struct WithTool;

#[webhook_hooks]
impl WithTool {
    #[tool("ping")]
    fn ping(&self, _args: Value) -> Result<String, HandlerError> {
        Ok("pong".into())
    }

    #[cfg(any())]
    #[on(server.toolCalls)]
    fn calls_never(&self, _message: ToolCalls) -> ToolCallsReply {
        unreachable!("compiled out")
    }

    #[cfg(not(any()))]
    #[on(server.toolCalls)]
    fn calls(&self, message: ToolCalls) -> ToolCallsReply {
        handler_ran(&message)
    }
}

/// A catch-all with two alternatives.
struct CatchAll;

#[webhook_hooks]
impl CatchAll {
    #[cfg(any())]
    #[on(unhandled)]
    fn anything_never(&self, _delivery: &Delivery<'_>) {
        unreachable!("compiled out")
    }

    // Fails on purpose: an `Err` from the catch-all is a `500`, which shows
    // that this alternative ran.
    #[cfg(not(any()))]
    #[on(unhandled)]
    fn anything(&self, _delivery: &Delivery<'_>) -> Result<(), HandlerError> {
        Err("catch-all ran".into())
    }
}

async fn send<H: Hooks>(hooks: H, body: Value) -> (StatusCode, Value) {
    let receiver = Receiver::builder(hooks)
        .auth(Auth::none())
        .build()
        .expect("valid settings");
    let bytes = serde_json::to_vec(&body).expect("body");
    let reply = receiver
        .receive(Namespace::Server, &HeaderMap::new(), &bytes)
        .await;
    let json = serde_json::from_slice(&reply.body).expect("JSON reply");
    (reply.status, json)
}

fn tool_calls(names: &[&str]) -> Value {
    let calls: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(index, name)| {
            json!({"id": format!("c{index}"), "function": {"name": name, "arguments": {}}})
        })
        .collect();
    json!({"message": {"type": "tool-calls", "toolCallList": calls}})
}

#[tokio::test]
async fn second_tool_calls_alternative_answers() {
    let (status, body) = send(HandlerOnly, tool_calls(&["lookupOrder"])).await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["results"][0]["toolCallId"], "c0");
    assert_eq!(body["results"][0]["result"], "handler ran");
}

#[tokio::test]
async fn second_alternative_takes_unclaimed_calls() {
    let (status, body) = send(WithTool, tool_calls(&["ping", "lookupOrder"])).await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["results"][0]["result"], "pong");
    assert_eq!(body["results"][1]["toolCallId"], "c1");
    assert_eq!(body["results"][1]["result"], "handler ran");
}

#[tokio::test]
async fn second_catch_all_alternative_runs() {
    let (status, _) = send(CatchAll, json!({"message": {"type": "speech-update"}})).await;

    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
}
