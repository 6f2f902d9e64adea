//! `#[cfg]` on handler and tool methods: a method compiled out takes no
//! deliveries, and alternatives under different conditions take the event
//! in turn. Items used only by compiled-out methods are named by full path,
//! so no import goes unused.

use http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use webhook_core::events::StatusUpdate;
use webhook_core::{Auth, Namespace, Receiver, webhook_hooks};

struct Gated;

#[webhook_hooks]
impl Gated {
    // Never compiled: `any()` is false.
    #[cfg(any())]
    #[on(server.statusUpdate)]
    fn status_never(&self, _update: StatusUpdate) {
        unreachable!("compiled out")
    }

    // The alternative under the opposite condition.
    #[cfg(not(any()))]
    #[on(server.statusUpdate)]
    fn status_always(&self, _update: StatusUpdate) -> Result<(), webhook_core::HandlerError> {
        Err("status handler ran".into())
    }

    #[cfg(any())]
    #[tool("hidden")]
    fn hidden(&self, _args: Value) -> String {
        "compiled out".into()
    }

    #[tool("shown")]
    fn shown(&self, _args: Value) -> String {
        "shown ran".into()
    }

    #[cfg(any())]
    #[on(server.toolCalls)]
    fn fallback(
        &self,
        _message: webhook_core::events::ToolCalls,
    ) -> webhook_core::reply::ToolCallsReply {
        unreachable!("compiled out")
    }

    #[cfg(any())]
    #[on(unhandled)]
    fn anything(&self, _delivery: &webhook_core::Delivery<'_>) {
        unreachable!("compiled out")
    }
}

async fn send(body: Value) -> (StatusCode, Value) {
    let receiver = Receiver::builder(Gated)
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

#[tokio::test]
async fn compiled_alternative_takes_event() {
    let (status, _) = send(json!({"message": {"type": "status-update", "status": "ended"}})).await;
    // The compiled handler fails on purpose; an event without an error reply
    // then gets 500, which shows that it ran.
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn compiled_out_tool_is_unknown() {
    let (status, body) = send(json!({"message": {"type": "tool-calls", "toolCallList": [
        {"id": "c1", "function": {"name": "hidden", "arguments": {}}},
        {"id": "c2", "function": {"name": "shown", "arguments": {}}}
    ]}}))
    .await;
    assert_eq!(status, StatusCode::OK);
    let error = body["results"][0]["error"].as_str().expect("error text");
    assert!(error.contains("no tool named `hidden`"), "{error}");
    assert_eq!(body["results"][1]["result"], "shown ran");
}

#[tokio::test]
async fn compiled_out_catch_all_leaves_unhandled() {
    let (status, body) = send(json!({"message": {"type": "speech-update"}})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({}));
}
