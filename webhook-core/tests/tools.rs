//! `#[tool]` methods: one entry per call in request order, each call under
//! its own timeout, failures isolated to their own entry.

mod common;

use std::time::Duration;

use common::LogBuffer;
use http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use webhook_core::events::{ToolCall, ToolCalls};
use webhook_core::reply::{ToolCallResult, ToolCallsReply};
use webhook_core::{
    Auth, ConfigError, HandlerError, Namespace, Receiver, ToolOutput, webhook_hooks,
};

struct Shop;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LookupOrder {
    order_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OrderStatus {
    order_id: String,
    shipped: bool,
}

#[derive(Deserialize)]
struct Slot {
    day: String,
}

#[webhook_hooks]
impl Shop {
    #[tool("lookupOrder")]
    async fn lookup_order(&self, args: LookupOrder) -> Result<OrderStatus, HandlerError> {
        if args.order_id == "ORD-404" {
            return Err(format!("order {} not found", args.order_id).into());
        }
        if args.order_id == "ORD-500" {
            return Err(HandlerError::msg("order service unavailable")
                .with_spoken_message("Sorry, I cannot reach the order system."));
        }
        Ok(OrderStatus {
            order_id: args.order_id,
            shipped: true,
        })
    }

    #[tool("greet")]
    fn greet(&self, args: Value, call: &ToolCall) -> String {
        format!("hello from {} with {}", call.id, args)
    }

    #[tool("checkSlot")]
    async fn check_slot(
        &self,
        args: Slot,
        message: &ToolCalls,
    ) -> Result<ToolOutput, HandlerError> {
        let mut metadata = Map::new();
        metadata.insert(
            "chat".into(),
            json!(message.chat.as_ref().and_then(|chat| chat.id.clone())),
        );
        Ok(ToolOutput::text(format!("{} is free", args.day))
            .with_spoken_message("Let me check that day.")
            .with_metadata(metadata))
    }

    #[tool("slow", timeout_ms = 50)]
    async fn slow(&self, _args: Value) -> Result<String, HandlerError> {
        tokio::time::sleep(Duration::from_secs(5)).await;
        Ok("too late".into())
    }

    #[tool("explode")]
    async fn explode(&self, _args: Value) -> Result<String, HandlerError> {
        panic!("tool bug");
    }
}

fn receiver<H: webhook_core::Hooks>(hooks: H) -> Receiver<H> {
    Receiver::builder(hooks)
        .auth(Auth::none())
        .build()
        .expect("valid settings")
}

fn call(id: &str, name: &str, arguments: Value) -> Value {
    json!({"id": id, "type": "function", "function": {"name": name, "arguments": arguments}})
}

async fn send<H: webhook_core::Hooks>(
    receiver: &Receiver<H>,
    calls: Vec<Value>,
) -> (StatusCode, Value) {
    let body = json!({"message": {
        "type": "tool-calls",
        "timestamp": 1767225600000u64,
        "call": {"id": "call-shop-1", "type": "inboundPhoneCall"},
        "toolCallList": calls,
    }});
    let bytes = serde_json::to_vec(&body).expect("body");
    let reply = receiver
        .receive(Namespace::Server, &HeaderMap::new(), &bytes)
        .await;
    (
        reply.status,
        serde_json::from_slice(&reply.body).expect("JSON reply"),
    )
}

#[tokio::test]
async fn structured_result_is_compact_json() {
    let (status, body) = send(
        &receiver(Shop),
        vec![call("c1", "lookupOrder", json!({"orderId": "ORD-1"}))],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"results": [{"toolCallId": "c1", "name": "lookupOrder",
                             "result": "{\"orderId\":\"ORD-1\",\"shipped\":true}"}]})
    );
}

#[tokio::test]
async fn string_arguments_decode_like_objects() {
    let (_, body) = send(
        &receiver(Shop),
        vec![call("c1", "lookupOrder", json!("{\"orderId\":\"ORD-1\"}"))],
    )
    .await;
    assert_eq!(
        body["results"][0]["result"],
        "{\"orderId\":\"ORD-1\",\"shipped\":true}"
    );
}

#[tokio::test]
async fn mixed_batch_keeps_request_order() {
    let (status, body) = send(
        &receiver(Shop),
        vec![
            call("c-ok", "lookupOrder", json!({"orderId": "ORD-1"})),
            call("c-fail", "lookupOrder", json!({"orderId": "ORD-404"})),
            call("c-unknown", "cancelOrder", json!({})),
            call("c-bad-args", "lookupOrder", json!({"order": 1})),
            call("c-bad-json", "lookupOrder", json!("{not json")),
            call("c-slow", "slow", json!({})),
            call("c-panic", "explode", json!({})),
            call("c-greet", "greet", json!({"name": "Ada"})),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let results = body["results"].as_array().expect("results array");
    let ids: Vec<&str> = results
        .iter()
        .map(|r| r["toolCallId"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        [
            "c-ok",
            "c-fail",
            "c-unknown",
            "c-bad-args",
            "c-bad-json",
            "c-slow",
            "c-panic",
            "c-greet"
        ]
    );

    assert!(results[0]["result"].is_string());
    assert_eq!(results[1]["error"], "order ORD-404 not found");
    assert!(results[1].get("result").is_none());
    assert_eq!(
        results[2]["error"],
        "no tool named `cancelOrder` is registered on this server"
    );
    let bad_args = results[3]["error"].as_str().expect("error text");
    assert!(bad_args.contains("orderId"), "{bad_args}");
    let bad_json = results[4]["error"].as_str().expect("error text");
    assert!(
        bad_json.starts_with("arguments could not be parsed as JSON"),
        "{bad_json}"
    );
    assert_eq!(results[5]["error"], "the tool timed out after 50 ms");
    assert_eq!(
        results[6]["error"],
        "the tool failed with an internal error"
    );
    assert_eq!(
        results[7]["result"],
        "hello from c-greet with {\"name\":\"Ada\"}"
    );
    assert!(body.get("error").is_none());
}

#[tokio::test]
async fn failed_tool_can_speak_a_message() {
    let (_, body) = send(
        &receiver(Shop),
        vec![call("c1", "lookupOrder", json!({"orderId": "ORD-500"}))],
    )
    .await;
    assert_eq!(
        body,
        json!({"results": [{
            "toolCallId": "c1", "name": "lookupOrder", "error": "order service unavailable",
            "message": {"type": "request-failed", "content": "Sorry, I cannot reach the order system."}
        }]})
    );
}

#[tokio::test]
async fn chat_session_without_call_is_answered() {
    let body = json!({"message": {
        "type": "tool-calls",
        "chat": {"id": "chat-7"},
        "toolCallList": [call("c1", "checkSlot", json!({"day": "Monday"}))],
    }});
    let bytes = serde_json::to_vec(&body).expect("body");
    let reply = receiver(Shop)
        .receive(Namespace::Server, &HeaderMap::new(), &bytes)
        .await;
    let json: Value = serde_json::from_slice(&reply.body).expect("JSON");
    assert_eq!(
        json,
        json!({"results": [{
            "toolCallId": "c1", "name": "checkSlot", "result": "Monday is free",
            "message": {"type": "request-complete", "content": "Let me check that day."},
            "metadata": {"chat": "chat-7"}
        }]})
    );
}

#[tokio::test]
async fn tool_call_id_is_returned_byte_for_byte() {
    let id = "call_Üñï\u{1F600}/+=\"quoted\"";
    let (_, body) = send(&receiver(Shop), vec![call(id, "greet", json!({}))]).await;
    assert_eq!(body["results"][0]["toolCallId"], id);
}

#[tokio::test]
async fn calls_run_concurrently() {
    struct Sleepy;

    #[webhook_hooks]
    impl Sleepy {
        #[tool("nap")]
        async fn nap(&self, _args: Value) -> Result<&'static str, HandlerError> {
            tokio::time::sleep(Duration::from_millis(300)).await;
            Ok("rested")
        }
    }

    let started = std::time::Instant::now();
    let calls = (0..5)
        .map(|i| call(&format!("c{i}"), "nap", json!({})))
        .collect();
    let (_, body) = send(&receiver(Sleepy), calls).await;
    assert_eq!(body["results"].as_array().map(Vec::len), Some(5));
    // Five 300 ms calls one after another would take 1.5 s.
    assert!(
        started.elapsed() < Duration::from_millis(1_200),
        "{:?}",
        started.elapsed()
    );
}

struct Mixed;

#[webhook_hooks]
impl Mixed {
    #[tool("lookupOrder")]
    async fn lookup_order(&self, args: LookupOrder) -> Result<String, HandlerError> {
        Ok(format!("order {}", args.order_id))
    }

    // Leaves out the calls of `ignored`, returns a result for `c9`, which it
    // was not given, and returns two results for `c1`.
    #[on(server.toolCalls)]
    async fn other_tools(&self, message: ToolCalls) -> ToolCallsReply {
        let mut results: Vec<ToolCallResult> = message
            .tool_call_list
            .iter()
            .filter(|call| call.name() != "ignored")
            .map(|call| ToolCallResult::success(&call.id, call.name(), "from the event handler"))
            .collect();
        results.push(ToolCallResult::success("c9", "stray", "not requested"));
        results.push(ToolCallResult::success(
            "c1",
            "transferCall",
            "second answer",
        ));
        ToolCallsReply::new(results)
    }
}

#[tokio::test]
async fn event_handler_gets_unclaimed_calls() {
    let logs = LogBuffer::default();
    let _guard = tracing::subscriber::set_default(logs.subscriber());

    let (_, body) = send(
        &receiver(Mixed),
        vec![
            call("c1", "transferCall", json!({})),
            call("c2", "lookupOrder", json!({"orderId": "ORD-9"})),
            call("c3", "ignored", json!({})),
        ],
    )
    .await;
    assert_eq!(
        body,
        json!({"results": [
            {"toolCallId": "c1", "name": "transferCall", "result": "from the event handler"},
            {"toolCallId": "c2", "name": "lookupOrder", "result": "order ORD-9"},
            {"toolCallId": "c3", "name": "ignored", "error": "the server returned no result for tool `ignored`"}
        ]})
    );

    let text = logs.text();
    let left_out = line_with(
        &text,
        "the tool-calls handler returned no result for a call",
    );
    assert!(left_out.contains("tool_call_id=c3"), "{left_out}");
    let stray = line_with(&text, "returned a result for a call it was not given");
    assert!(stray.contains("tool_call_id=c9"), "{stray}");
    let repeated = line_with(&text, "returned more than one result for a call");
    assert!(repeated.contains("tool_call_id=c1"), "{repeated}");
}

/// Returns the one log line of `text` that contains `message`.
fn line_with<'a>(text: &'a str, message: &str) -> &'a str {
    let mut lines = text.lines().filter(|line| line.contains(message));
    let line = lines
        .next()
        .unwrap_or_else(|| panic!("no line with {message:?} in {text}"));
    assert_eq!(lines.next(), None, "more than one line with {message:?}");
    line
}

#[tokio::test]
async fn tool_timeout_default_comes_from_receiver() {
    struct Hang;

    #[webhook_hooks]
    impl Hang {
        #[tool("hang")]
        async fn hang(&self, _args: Value) -> Result<String, HandlerError> {
            tokio::time::sleep(Duration::from_secs(60)).await;
            Ok("never".into())
        }
    }

    let receiver = Receiver::builder(Hang)
        .auth(Auth::none())
        .tool_timeout(Duration::from_millis(40))
        .build()
        .expect("valid settings");
    let (_, body) = send(&receiver, vec![call("c1", "hang", json!({}))]).await;
    assert_eq!(
        body["results"][0]["error"],
        "the tool timed out after 40 ms"
    );
}

struct Careless;

#[webhook_hooks]
impl Careless {
    #[on(server.toolCalls)]
    async fn answer(&self, message: ToolCalls) -> ToolCallsReply {
        // Reversed, one id made up, and the first call left out.
        let mut results: Vec<ToolCallResult> = message
            .tool_call_list
            .iter()
            .skip(1)
            .map(|call| ToolCallResult::success(&call.id, call.name(), "done"))
            .collect();
        results.reverse();
        results.push(ToolCallResult::success("bogus", "x", "made up"));
        ToolCallsReply::new(results)
    }
}

#[tokio::test]
async fn handler_results_are_matched_by_id() {
    let (_, body) = send(
        &receiver(Careless),
        vec![
            call("c1", "a", json!({})),
            call("c2", "b", json!({})),
            call("c3", "c", json!({})),
        ],
    )
    .await;
    let results = body["results"].as_array().expect("results");
    let ids: Vec<&str> = results
        .iter()
        .map(|r| r["toolCallId"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["c1", "c2", "c3"]);
    assert!(results[0]["error"].is_string());
    assert_eq!(results[1]["result"], "done");
    assert_eq!(results[2]["result"], "done");
}

struct Reverser;

#[webhook_hooks]
impl Reverser {
    #[on(server.toolCalls)]
    async fn answer(&self, message: ToolCalls) -> ToolCallsReply {
        // Reversed; the `nameless` call's entry leaves out the tool name.
        let results = message
            .tool_call_list
            .iter()
            .rev()
            .map(|call| match call.name() {
                "nameless" => ToolCallResult::success(&call.id, "", "no name given"),
                name => ToolCallResult::success(&call.id, name, format!("from {name}")),
            })
            .collect();
        ToolCallsReply::new(results)
    }
}

struct NameSwapper;

#[webhook_hooks]
impl NameSwapper {
    #[on(server.toolCalls)]
    async fn answer(&self, _message: ToolCalls) -> ToolCallsReply {
        // The second call's entry comes first; the first call's has no name.
        ToolCallsReply::new(vec![
            ToolCallResult::success("x", "q", "for q"),
            ToolCallResult::success("x", "", "for p"),
        ])
    }
}

#[tokio::test]
async fn exact_match_beats_earlier_id_match() {
    let (_, body) = send(
        &receiver(NameSwapper),
        vec![call("x", "p", json!({})), call("x", "q", json!({}))],
    )
    .await;
    let results = body["results"].as_array().expect("results");
    assert_eq!(results[0]["result"], "for p", "{body}");
    assert_eq!(results[0]["name"], "p");
    assert_eq!(results[1]["result"], "for q");
    assert_eq!(results[1]["name"], "q");
}

#[tokio::test]
async fn repeated_ids_matched_by_name() {
    let (_, body) = send(
        &receiver(Reverser),
        vec![
            call("x", "first", json!({})),
            call("x", "second", json!({})),
            call("x", "third", json!({})),
            call("y", "nameless", json!({})),
        ],
    )
    .await;
    let results = body["results"].as_array().expect("results");
    assert_eq!(results.len(), 4, "{body}");
    assert_eq!(results[0]["result"], "from first");
    assert_eq!(results[1]["result"], "from second");
    assert_eq!(results[2]["result"], "from third");
    // Vapi's schema requires `name`, so the call's name fills the gap.
    assert_eq!(results[3]["name"], "nameless");
    assert_eq!(results[3]["result"], "no name given");
}

#[tokio::test]
async fn ready_results_survive_the_reply_deadline() {
    struct FastAndSlow;

    #[webhook_hooks]
    impl FastAndSlow {
        #[tool("fast")]
        async fn fast(&self, _args: Value) -> Result<String, HandlerError> {
            Ok("quick answer".into())
        }

        #[tool("slow", timeout_ms = 60_000)]
        async fn slow(&self, _args: Value) -> Result<String, HandlerError> {
            tokio::time::sleep(Duration::from_secs(60)).await;
            Ok("never".into())
        }
    }

    let receiver = Receiver::builder(FastAndSlow)
        .auth(Auth::none())
        .reply_deadline(Duration::from_millis(600))
        .tool_timeout(Duration::from_millis(300))
        .build()
        .expect("valid settings");
    let (_, body) = send(
        &receiver,
        vec![call("c1", "fast", json!({})), call("c2", "slow", json!({}))],
    )
    .await;
    assert_eq!(body["results"][0]["result"], "quick answer");
    // The slow tool's own 60 s timeout is cut to the reply deadline less
    // the 250 ms margin, and the error names the limit it met.
    assert_eq!(
        body["results"][1]["error"],
        "the tool did not finish before the reply deadline"
    );
}

#[tokio::test]
async fn late_start_keeps_ready_results() {
    struct BlockingAndHung;

    #[webhook_hooks]
    impl BlockingAndHung {
        // A plain `fn` tool runs on the receiver's task, so it delays the
        // first poll of the tools after it.
        #[tool("blocking")]
        fn blocking(&self, _args: Value) -> String {
            std::thread::sleep(Duration::from_millis(300));
            "blocked, then answered".into()
        }

        #[tool("hung")]
        async fn hung(&self, _args: Value) -> Result<String, HandlerError> {
            std::future::pending().await
        }
    }

    let receiver = Receiver::builder(BlockingAndHung)
        .auth(Auth::none())
        .reply_deadline(Duration::from_millis(1000))
        .tool_timeout(Duration::from_millis(900))
        .build()
        .expect("valid settings");
    let (_, body) = send(
        &receiver,
        vec![
            call("c1", "blocking", json!({})),
            call("c2", "hung", json!({})),
        ],
    )
    .await;

    // The hung tool starts 300 ms late, so its 900 ms would end after the
    // message's deadline. The shared cutoff ends it first, so the blocking
    // tool's result is sent.
    assert_eq!(
        body["results"][0]["result"], "blocked, then answered",
        "{body}"
    );
    assert_eq!(
        body["results"][1]["error"],
        "the tool did not finish before the reply deadline"
    );
}

#[test]
fn reply_deadline_must_exceed_tool_margin() {
    let build = |reply_ms| {
        Receiver::builder(Shop)
            .auth(Auth::none())
            .reply_deadline(Duration::from_millis(reply_ms))
            .tool_timeout(Duration::from_millis(100))
            .build()
    };

    // Tool calls stop 250 ms before the reply deadline.
    assert!(matches!(
        build(250),
        Err(ConfigError::Deadline {
            what: "reply deadline",
            ..
        })
    ));
    assert!(build(251).is_ok());
}

#[test]
fn tool_timeout_must_be_under_reply_deadline() {
    let result = Receiver::builder(Shop)
        .auth(Auth::none())
        .reply_deadline(Duration::from_secs(5))
        .tool_timeout(Duration::from_secs(5))
        .build();
    assert!(result.is_err());
}

#[tokio::test]
async fn malformed_call_leaves_tools_running() {
    let (status, body) = send(
        &receiver(Shop),
        vec![
            call("c1", "lookupOrder", json!({"orderId": "ORD-1"})),
            json!({"id": "c2", "function": {"name": 42}}),
            call("c3", "greet", json!({})),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let results = body["results"].as_array().expect("results");
    assert_eq!(results.len(), 3, "{body}");
    assert_eq!(results[0]["toolCallId"], "c1");
    assert_eq!(
        results[0]["result"],
        "{\"orderId\":\"ORD-1\",\"shipped\":true}"
    );
    assert_eq!(results[1]["toolCallId"], "c2");
    let error = results[1]["error"].as_str().expect("error text");
    assert!(error.contains("toolCallList[1].function.name"), "{error}");
    assert_eq!(results[2]["toolCallId"], "c3");
    assert_eq!(results[2]["result"], "hello from c3 with {}");
}

#[tokio::test]
async fn empty_handler_entry_becomes_error() {
    struct Empty;

    #[webhook_hooks]
    impl Empty {
        #[on(server.toolCalls)]
        async fn tools(&self, message: ToolCalls) -> ToolCallsReply {
            let results = message
                .tool_call_list
                .iter()
                .map(|call| {
                    let mut result = ToolCallResult::success(&call.id, call.name(), "ok");
                    if call.id == "c2" {
                        result.result = None;
                    }
                    result
                })
                .collect();
            ToolCallsReply::new(results)
        }
    }

    let (_, body) = send(
        &receiver(Empty),
        vec![call("c1", "a", json!({})), call("c2", "b", json!({}))],
    )
    .await;
    assert_eq!(body["results"][0]["result"], "ok");
    assert_eq!(body["results"][1]["toolCallId"], "c2");
    assert_eq!(body["results"][1]["error"], "the tool returned no result");
}

#[tokio::test]
async fn set_aside_keeps_raw_text() {
    struct Echo;

    #[webhook_hooks]
    impl Echo {
        #[on(server.toolCalls)]
        async fn tools(&self, message: ToolCalls) -> ToolCallsReply {
            let tools = message
                .tool_with_tool_call_list
                .as_ref()
                .map_or("-", |raw| raw.get())
                .to_owned();
            let results = message
                .tool_call_list
                .iter()
                .map(|call| ToolCallResult::success(&call.id, call.name(), tools.clone()))
                .collect();
            ToolCallsReply::new(results)
        }
    }

    // The set-aside path decodes the rest of the message from its text, so
    // raw fields keep their spelling and a number no `Value` can hold does
    // not fail the valid calls.
    let body = br#"{"message":{"type":"tool-calls","big":1e400,
        "toolWithToolCallList":[{"z":1,"a":2.50}],
        "toolCallList":[{"id":"c1","function":{"name":"a"}},{"id":"c2","function":{"name":7}}]}}"#;
    let reply = receiver(Echo)
        .receive(Namespace::Server, &HeaderMap::new(), body)
        .await;
    let body: Value = serde_json::from_slice(&reply.body).expect("JSON reply");
    assert_eq!(body["results"][0]["result"], r#"[{"z":1,"a":2.50}]"#);
    assert_eq!(body["results"][1]["toolCallId"], "c2");
    assert!(body["results"][1]["error"].is_string(), "{body}");
}

#[tokio::test]
async fn lone_surrogate_history_keeps_calls() {
    // JavaScript writes half an emoji as a lone `\ud83d` escape when a
    // string is cut inside it. One such turn in the history must not fail
    // every later tool call of the conversation.
    let body = br#"{"message":{"type":"tool-calls",
        "artifact":{"messages":[{"role":"user","message":"smile \ud83d","time":1}]},
        "toolCallList":[{"id":"c1","type":"function",
            "function":{"name":"lookupOrder","arguments":{"orderId":"ORD-1"}}}]}}"#;
    let reply = receiver(Shop)
        .receive(Namespace::Server, &HeaderMap::new(), body)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let body: Value = serde_json::from_slice(&reply.body).expect("JSON reply");
    assert_eq!(
        body,
        json!({"results": [{"toolCallId": "c1", "name": "lookupOrder",
                             "result": "{\"orderId\":\"ORD-1\",\"shipped\":true}"}]})
    );
}

#[tokio::test]
async fn lone_surrogate_invalid_call_isolated() {
    // The whole-message decode fails on the invalid call, so each call is
    // checked on its own. The lone surrogate must not fail the valid one.
    let body = br#"{"message":{"type":"tool-calls",
        "artifact":{"messages":[{"role":"user","message":"smile \ud83d","time":1}]},
        "toolCallList":[
            {"id":"c1","type":"function","function":{"name":"lookupOrder","arguments":{"orderId":"ORD-1"}}},
            {"id":"c2","type":"function","function":{"name":7}}]}}"#;
    let reply = receiver(Shop)
        .receive(Namespace::Server, &HeaderMap::new(), body)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let body: Value = serde_json::from_slice(&reply.body).expect("JSON reply");
    let results = body["results"].as_array().expect("results");
    assert_eq!(results.len(), 2, "{body}");
    assert_eq!(results[0]["toolCallId"], "c1");
    assert_eq!(
        results[0]["result"], "{\"orderId\":\"ORD-1\",\"shipped\":true}",
        "{body}"
    );
    assert_eq!(results[1]["toolCallId"], "c2");
    let error = results[1]["error"].as_str().expect("an error entry");
    assert!(error.contains("toolCallList[1].function.name"), "{error}");
}

#[tokio::test]
async fn repeated_id_keeps_error_entry() {
    // Decoding keeps the last of repeated keys, so these calls have the id
    // `c1` and a valid call would run. Each must still get its error entry
    // when it, or the message around it, does not decode.
    for body in [
        // The call itself does not decode: `name` is a number.
        r#"{"message":{"type":"tool-calls","toolCallList":[
            {"id":"c1","id":"c1","function":{"name":7}}]}}"#,
        // The message does not decode (`call.id` is an array), and the call
        // repeats `function`.
        r#"{"message":{"type":"tool-calls","call":{"id":[]},"toolCallList":[
            {"id":"c1","function":{"name":"a"},"function":{"name":"lookupOrder"}}]}}"#,
        // Both: the message fails and the call repeats `id`.
        r#"{"message":{"type":"tool-calls","call":{"id":[]},"toolCallList":[
            {"id":"c0","id":"c1","function":{"name":"lookupOrder"}}]}}"#,
    ] {
        let reply = receiver(Shop)
            .receive(Namespace::Server, &HeaderMap::new(), body.as_bytes())
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{body}");
        let json: Value = serde_json::from_slice(&reply.body).expect("JSON reply");
        let results = json["results"].as_array().expect("results");
        assert_eq!(results.len(), 1, "{body}: {json}");
        assert_eq!(results[0]["toolCallId"], "c1", "{body}");
        assert!(results[0]["error"].is_string(), "{body}: {json}");
    }
}

#[tokio::test]
async fn lone_surrogate_keeps_error_entry() {
    // The message does not decode (`call.id` is an array), so every call
    // gets an error entry. A lone surrogate in a call's key or `id` must
    // not cost it that entry. In the `id` it becomes U+FFFD, as when the
    // message decodes.
    for (body, id) in [
        (
            r#"{"message":{"type":"tool-calls","call":{"id":[]},"toolCallList":[
                {"id":"c1","\ud800":1,"function":{"name":"lookupOrder"}}]}}"#,
            "c1",
        ),
        (
            r#"{"message":{"type":"tool-calls","call":{"id":[]},"toolCallList":[
                {"id":"c\ud800","function":{"name":"lookupOrder"}}]}}"#,
            "c\u{fffd}",
        ),
    ] {
        let reply = receiver(Shop)
            .receive(Namespace::Server, &HeaderMap::new(), body.as_bytes())
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{body}");
        let json: Value = serde_json::from_slice(&reply.body).expect("JSON reply");
        let results = json["results"].as_array().expect("results");
        assert_eq!(results.len(), 1, "{body}: {json}");
        assert_eq!(results[0]["toolCallId"], id, "{body}");
        assert_eq!(results[0]["name"], "lookupOrder", "{body}");
        assert!(results[0]["error"].is_string(), "{body}: {json}");
    }
}
