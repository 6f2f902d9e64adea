//! The generated `Hooks` impl, driven through a real `Receiver`: routing,
//! payload decoding, reply wiring, errors, deadlines and the catch-all.

use std::sync::Mutex;
use std::time::Duration;

use http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use webhook_core::events::{
    AssistantRequest, EndOfCallReport, StatusUpdate, ToolCalls, TransferDestinationRequest,
    WorkflowNodeStarted,
};
use webhook_core::reply::{
    AssistantRequestReply, ClientInboundMessage, ToolCallResult, ToolCallsReply,
    TransferDestination, TransferDestinationReply,
};
use webhook_core::{Auth, Delivery, HandlerError, Namespace, Receiver, webhook_hooks};

#[derive(Default)]
struct Recorder {
    seen: Mutex<Vec<String>>,
}

impl Recorder {
    fn record(&self, what: impl Into<String>) {
        self.seen.lock().expect("lock").push(what.into());
    }
}

#[webhook_hooks]
impl Recorder {
    #[on(server.assistantRequest)]
    async fn choose(&self, request: AssistantRequest) -> AssistantRequestReply {
        let called = request
            .phone_number
            .and_then(|number| number.number)
            .unwrap_or_default();
        self.record(format!("assistant-request {called}"));
        if called == "+15555550199" {
            AssistantRequestReply::assistant_id("asst-sales")
        } else {
            AssistantRequestReply::assistant_id("asst-front-desk")
        }
    }

    #[on(server.endOfCallReport)]
    async fn report(
        &self,
        report: EndOfCallReport,
        delivery: &Delivery<'_>,
    ) -> Result<(), HandlerError> {
        if report.call_id() == Some("call-fail") {
            return Err("database is down".into());
        }
        self.record(format!(
            "report {} {}",
            delivery.wire_type(),
            report.call_id().unwrap_or("-")
        ));
        Ok(())
    }

    #[on(server.statusUpdate)]
    fn status(&self, update: StatusUpdate, headers: &HeaderMap) {
        let agent = headers
            .get("user-agent")
            .map(|value| value.to_str().unwrap_or("?"))
            .unwrap_or("-");
        self.record(format!(
            "status {:?} {agent}",
            update.status.map(|status| status.to_string())
        ));
    }

    #[on(server.transferDestinationRequest)]
    async fn transfer(
        &self,
        _request: TransferDestinationRequest,
    ) -> Result<TransferDestinationReply, HandlerError> {
        Err(HandlerError::msg("no agent is free"))
    }

    #[on(server.toolCalls)]
    async fn tools(&self, message: ToolCalls) -> ToolCallsReply {
        let results = message
            .tool_call_list
            .iter()
            .map(|call| {
                ToolCallResult::success(&call.id, call.name(), format!("handled {}", call.name()))
            })
            .collect();
        ToolCallsReply::new(results)
    }

    #[on(client.workflowNodeStarted)]
    async fn node(&self, event: WorkflowNodeStarted) -> Option<ClientInboundMessage> {
        event
            .node_name()
            .map(|name| ClientInboundMessage::say(format!("entered {name}")))
    }

    #[on(unhandled)]
    async fn other(&self, delivery: &Delivery<'_>) {
        self.record(format!("unhandled {}", delivery.wire_type()));
    }

    #[allow(dead_code)]
    fn helper(&self) -> usize {
        self.seen.lock().expect("lock").len()
    }
}

fn receiver() -> Receiver<Recorder> {
    Receiver::builder(Recorder::default())
        .auth(Auth::none())
        .build()
        .expect("valid settings")
}

async fn send<H: webhook_core::Hooks>(
    receiver: &Receiver<H>,
    namespace: Namespace,
    body: Value,
) -> (StatusCode, Value) {
    let bytes = serde_json::to_vec(&body).expect("body");
    send_bytes(receiver, namespace, &bytes).await
}

/// Posts `body` as given, which may be malformed, with the user agent that
/// the status handler records.
async fn send_bytes<H: webhook_core::Hooks>(
    receiver: &Receiver<H>,
    namespace: Namespace,
    body: &[u8],
) -> (StatusCode, Value) {
    let mut headers = HeaderMap::new();
    headers.insert("user-agent", "vapi-test".parse().expect("header"));
    let reply = receiver.receive(namespace, &headers, body).await;
    let json = serde_json::from_slice(&reply.body).expect("reply is JSON");
    (reply.status, json)
}

/// Returns the `toolCallId` of each entry of a tool-calls reply, in order.
fn result_ids(reply: &Value) -> Vec<&str> {
    reply["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|result| result["toolCallId"].as_str().expect("string id"))
        .collect()
}

fn seen(receiver: &Receiver<Recorder>) -> Vec<String> {
    receiver.hooks().seen.lock().expect("lock").clone()
}

#[tokio::test]
async fn assistant_request_routes_by_number() {
    let receiver = receiver();
    let (status, body) = send(
        &receiver,
        Namespace::Server,
        json!({"message": {"type": "assistant-request", "phoneNumber": {"number": "+15555550199"}}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"assistantId": "asst-sales"}));
    assert_eq!(seen(&receiver), ["assistant-request +15555550199"]);
}

#[tokio::test]
async fn report_handler_gets_context() {
    let receiver = receiver();
    let (status, body) = send(
        &receiver,
        Namespace::Server,
        json!({"message": {"type": "end-of-call-report", "call": {"id": "call-7"}}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({}));
    assert_eq!(seen(&receiver), ["report end-of-call-report call-7"]);
}

#[tokio::test]
async fn report_handler_error_is_500() {
    let receiver = receiver();
    let (status, body) = send(
        &receiver,
        Namespace::Server,
        json!({"message": {"type": "end-of-call-report", "call": {"id": "call-fail"}}}),
    )
    .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body, json!({"error": "internal error"}));
}

#[tokio::test]
async fn sync_handler_reads_headers() {
    let receiver = receiver();
    send(
        &receiver,
        Namespace::Server,
        json!({"message": {"type": "status-update", "status": "ringing"}}),
    )
    .await;
    assert_eq!(seen(&receiver), ["status Some(\"ringing\") vapi-test"]);
}

#[tokio::test]
async fn transfer_error_becomes_error_reply() {
    let receiver = receiver();
    let (status, body) = send(
        &receiver,
        Namespace::Server,
        json!({"message": {"type": "transfer-destination-request"}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // The handler's error is logged, not spoken to the caller.
    assert_eq!(
        body,
        json!({"error": webhook_core::receiver::SPOKEN_TRANSFER_ERROR})
    );
}

#[tokio::test]
async fn tool_calls_handler_answers_all() {
    let receiver = receiver();
    let (_, body) = send(
        &receiver,
        Namespace::Server,
        json!({"message": {"type": "tool-calls", "toolCallList": [
            {"id": "c1", "type": "function", "function": {"name": "a", "arguments": {}}},
            {"id": "c2", "type": "function", "function": {"name": "b", "arguments": "{}"}}
        ]}}),
    )
    .await;
    assert_eq!(
        body,
        json!({"results": [
            {"toolCallId": "c1", "name": "a", "result": "handled a"},
            {"toolCallId": "c2", "name": "b", "result": "handled b"}
        ]})
    );
}

#[tokio::test]
async fn client_event_replies_with_message() {
    let receiver = receiver();
    let (_, body) = send(
        &receiver,
        Namespace::Client,
        json!({"type": "workflow.node.started", "node": {"name": "greeting"}}),
    )
    .await;
    assert_eq!(body, json!({"type": "say", "content": "entered greeting"}));
}

#[tokio::test]
async fn unknown_type_reaches_catch_all() {
    let receiver = receiver();
    let (status, body) = send(
        &receiver,
        Namespace::Server,
        json!({"message": {"type": "call.metrics-snapshot"}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({}));
    assert_eq!(seen(&receiver), ["unhandled call.metrics-snapshot"]);
}

#[tokio::test]
async fn server_type_on_client_route_is_unhandled() {
    let receiver = receiver();
    send(
        &receiver,
        Namespace::Client,
        json!({"message": {"type": "end-of-call-report"}}),
    )
    .await;
    assert_eq!(seen(&receiver), ["unhandled end-of-call-report"]);
}

struct Slow;

#[webhook_hooks]
impl Slow {
    #[on(server.assistantRequest)]
    async fn choose(&self) -> AssistantRequestReply {
        tokio::time::sleep(Duration::from_secs(5)).await;
        AssistantRequestReply::assistant_id("too-late")
    }
}

#[tokio::test(start_paused = true)]
async fn late_assistant_request_gets_fallback() {
    let receiver = Receiver::builder(Slow)
        .auth(Auth::none())
        .assistant_request_deadline(Duration::from_secs(1))
        .assistant_request_fallback(AssistantRequestReply::assistant_id("asst-fallback"))
        .build()
        .expect("valid settings");
    let body = br#"{"message":{"type":"assistant-request"}}"#;
    let reply = receiver
        .receive(Namespace::Server, &HeaderMap::new(), body)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body.as_ref(), br#"{"assistantId":"asst-fallback"}"#);
}

#[tokio::test(start_paused = true)]
async fn late_assistant_request_without_fallback_is_error() {
    let receiver = Receiver::builder(Slow)
        .auth(Auth::none())
        .assistant_request_deadline(Duration::from_secs(1))
        .build()
        .expect("valid settings");
    let body = br#"{"message":{"type":"assistant-request"}}"#;
    let reply = receiver
        .receive(Namespace::Server, &HeaderMap::new(), body)
        .await;
    let json: Value = serde_json::from_slice(&reply.body).expect("JSON");
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(json["error"], webhook_core::receiver::SPOKEN_CALL_ERROR);
}

#[test]
fn deadline_at_vapi_limit_is_rejected() {
    let result = Receiver::builder(Slow)
        .auth(Auth::none())
        .assistant_request_deadline(Duration::from_millis(7_500))
        .build();
    assert!(result.is_err());
}

#[test]
fn auth_must_be_chosen() {
    let result = Receiver::builder(Slow).build();
    assert_eq!(result.err(), Some(webhook_core::ConfigError::AuthNotChosen));
}

#[allow(dead_code)]
fn transfer_destination_builds() -> TransferDestination {
    TransferDestination::number("+15555550100").into()
}

#[tokio::test]
async fn client_route_can_have_its_own_auth() {
    let receiver = Receiver::builder(Recorder::default())
        .auth(Auth::shared_secret("server-secret").expect("secret"))
        .client_auth(Auth::none())
        .build()
        .expect("valid settings");
    let body = br#"{"type":"workflow.node.started","node":{"name":"greeting"}}"#;
    let client = receiver
        .receive(Namespace::Client, &HeaderMap::new(), body)
        .await;
    assert_eq!(client.status, StatusCode::OK);

    let server_body = br#"{"message":{"type":"status-update","status":"ended"}}"#;
    let server = receiver
        .receive(Namespace::Server, &HeaderMap::new(), server_body)
        .await;
    assert_eq!(server.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn client_route_defaults_to_server_auth() {
    let receiver = Receiver::builder(Recorder::default())
        .auth(Auth::shared_secret("server-secret").expect("secret"))
        .build()
        .expect("valid settings");
    let body = br#"{"type":"workflow.node.started","node":{"name":"greeting"}}"#;
    let reply = receiver
        .receive(Namespace::Client, &HeaderMap::new(), body)
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn undecodable_assistant_request_gets_fallback() {
    let receiver = Receiver::builder(Recorder::default())
        .auth(Auth::none())
        .assistant_request_fallback(AssistantRequestReply::assistant_id("asst-fallback"))
        .build()
        .expect("valid settings");
    let body = br#"{"message":{"type":"assistant-request","phoneNumber":{"number":15555550199}}}"#;
    let reply = receiver
        .receive(Namespace::Server, &HeaderMap::new(), body)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body.as_ref(), br#"{"assistantId":"asst-fallback"}"#);
}

#[tokio::test]
async fn malformed_call_spares_the_others() {
    let receiver = receiver();
    let (status, body) = send(
        &receiver,
        Namespace::Server,
        json!({"message": {"type": "tool-calls", "toolCallList": [
            {"id": "c1", "function": {"name": "a"}},
            {"id": "c2", "function": {"arguments": {}}}
        ]}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["results"][0]["toolCallId"], "c1");
    assert_eq!(body["results"][0]["result"], "handled a");
    assert_eq!(body["results"][1]["toolCallId"], "c2");
    let error = body["results"][1]["error"].as_str().expect("error text");
    assert!(error.contains("toolCallList[1].function"), "{error}");
}

#[tokio::test]
async fn unanswerable_calls_get_no_entry() {
    let receiver = receiver();
    let (status, body) = send(
        &receiver,
        Namespace::Server,
        json!({"message": {"type": "tool-calls", "toolCallList": [
            {"id": "c1", "function": {"name": "a"}},
            {"id": 5, "function": {"name": "b"}},
            "not a call",
            {"id": "c3"},
            {"id": "c4", "function": {"name": "d"}}
        ]}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let results = body["results"].as_array().expect("results");
    assert_eq!(results.len(), 3, "{body}");
    assert_eq!(results[0]["result"], "handled a");
    assert_eq!(results[1]["toolCallId"], "c3");
    let error = results[1]["error"].as_str().expect("error text");
    assert!(error.contains("`toolCallList[3]`"), "{error}");
    assert!(error.contains("missing field `function`"), "{error}");
    assert_eq!(results[2]["result"], "handled d");
}

#[tokio::test]
async fn error_outside_list_fails_every_call() {
    let receiver = receiver();
    let (status, body) = send(
        &receiver,
        Namespace::Server,
        json!({"message": {"type": "tool-calls", "call": {"id": 7}, "toolCallList": [
            {"id": "c1", "function": {"name": "a"}},
            {"id": 5, "function": {"name": "b"}},
            {"id": "c3"}
        ]}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let results = body["results"].as_array().expect("results");
    assert_eq!(results.len(), 2, "{body}");
    assert_eq!(results[0]["toolCallId"], "c1");
    assert_eq!(results[0]["name"], "a");
    assert_eq!(results[1]["toolCallId"], "c3");
    // Vapi's schema requires `name`, so a call without one gets it empty.
    assert_eq!(results[1]["name"], "", "{body}");
    let error = results[0]["error"].as_str().expect("error text");
    assert!(error.contains("call.id"), "{error}");
}

#[tokio::test]
async fn repeated_list_answers_last_copy() {
    // Decoding keeps the last `toolCallList`, as `JSON.parse` does, so only
    // its calls get results, in its order, whichever path builds the reply.
    let lists = r#""toolCallList":[{"id":"X","function":{"name":"a"}},{"id":"A","function":{}},{"id":"Z","function":{}}],"toolCallList":[{"id":"B","function":{"name":"a"}},{"id":"Y","function":{}}]"#;
    let receiver = receiver();

    // One call of the last list does not fit: it is set aside.
    let body = format!(r#"{{"message":{{"type":"tool-calls",{lists}}}}}"#);
    let (status, reply) = send_bytes(&receiver, Namespace::Server, body.as_bytes()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(result_ids(&reply), ["B", "Y"], "{reply}");
    assert_eq!(reply["results"][0]["result"], "handled a");
    assert!(reply["results"][1]["error"].is_string(), "{reply}");

    // A field outside the list does not fit: every call of the last list
    // gets an error.
    let body = format!(r#"{{"message":{{"type":"tool-calls","call":{{"id":7}},{lists}}}}}"#);
    let (status, reply) = send_bytes(&receiver, Namespace::Server, body.as_bytes()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(result_ids(&reply), ["B", "Y"], "{reply}");
}

#[tokio::test]
async fn malformed_earlier_list_is_ignored() {
    // The first copy does not decode, but only the last one counts.
    let body = r#"{"message":{"type":"tool-calls","toolCallList":[{"id":7}],"toolCallList":[{"id":"B","function":{"name":"a"}}]}}"#;
    let (status, reply) = send_bytes(&receiver(), Namespace::Server, body.as_bytes()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply["results"][0]["toolCallId"], "B", "{reply}");
    assert_eq!(reply["results"][0]["result"], "handled a", "{reply}");

    // A wrong field outside the list is reported from the message that
    // got results, not from the dropped copy.
    let body = r#"{"message":{"type":"tool-calls","call":{"id":7},"toolCallList":[{"id":7}],"toolCallList":[{"id":"B","function":{"name":"a"}}]}}"#;
    let (_, reply) = send_bytes(&receiver(), Namespace::Server, body.as_bytes()).await;
    let error = reply["results"][0]["error"].as_str().expect("error text");
    assert!(error.contains("`call.id`"), "{error}");
}

#[tokio::test]
async fn undecodable_report_is_400() {
    let receiver = receiver();
    let (status, body) = send(
        &receiver,
        Namespace::Server,
        json!({"message": {"type": "end-of-call-report", "call": {"id": 7}}}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let error = body["error"].as_str().expect("error text");
    assert!(error.contains("call.id"), "{error}");
}

#[tokio::test]
async fn broken_body_after_type_runs_no_handler() {
    // Routing reads only up to `type`; every handled delivery is still
    // checked whole before its handler runs, whatever its parameters.
    let receiver = receiver();
    for wire_type in [
        "end-of-call-report",
        "status-update",
        "tool-calls",
        "assistant-request",
        "call.metrics-snapshot",
    ] {
        for tail in [
            r#","call":{"id":"c"}"#,
            r#"}} trailing"#,
            r#"},"message":{}}"#,
        ] {
            let body = format!(r#"{{"message":{{"type":"{wire_type}"{tail}"#);
            let (status, reply) = send_bytes(&receiver, Namespace::Server, body.as_bytes()).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
            assert!(reply["error"].is_string(), "{body}: {reply}");
        }
    }
    assert_eq!(seen(&receiver), Vec::<String>::new());
}

#[tokio::test]
async fn broken_body_skips_handler_without_payload() {
    let receiver = Receiver::builder(Slow)
        .auth(Auth::none())
        .build()
        .expect("valid settings");
    let (status, _) = send_bytes(
        &receiver,
        Namespace::Server,
        br#"{"message":{"type":"assistant-request","call":[1,}}"#,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn unhandled_body_is_not_read_past_type() {
    // `Slow` handles only assistant-request and has no catch-all, so a
    // status update is acknowledged without reading the rest of its body.
    let receiver = Receiver::builder(Slow)
        .auth(Auth::none())
        .build()
        .expect("valid settings");
    let (status, reply) = send_bytes(
        &receiver,
        Namespace::Server,
        br#"{"message":{"type":"status-update","call":{"id":"c"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply, json!({}));

    // Before the `type`, a broken body cannot be routed and is rejected.
    let (status, _) = send_bytes(
        &receiver,
        Namespace::Server,
        br#"{"message":{"call":{"id":"c",},"type":"status-update"}}"#,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// Handlers of the events whose failure has a reply of its own, each
/// failing.
struct Failing;

#[webhook_hooks]
impl Failing {
    #[on(server.knowledgeBaseRequest)]
    async fn documents(
        &self,
        _request: webhook_core::events::KnowledgeBaseRequest,
    ) -> Result<webhook_core::reply::KnowledgeBaseReply, HandlerError> {
        Err("search backend is down".into())
    }

    #[on(server.campaignPredial)]
    async fn predial(
        &self,
        _check: webhook_core::events::CampaignPredial,
    ) -> Result<webhook_core::reply::CampaignPredialReply, HandlerError> {
        Err("CRM is down".into())
    }

    #[on(server.functionCall)]
    async fn function(
        &self,
        _call: webhook_core::events::FunctionCall,
    ) -> Result<webhook_core::reply::FunctionCallReply, HandlerError> {
        Err("pricing service is down".into())
    }
}

#[tokio::test]
async fn failures_get_their_event_reply() {
    let receiver = Receiver::builder(Failing)
        .auth(Auth::none())
        .build()
        .expect("valid settings");
    let cases = [
        ("knowledge-base-request", json!({})),
        ("campaign.predial", json!({"eligible": false})),
        ("function-call", json!({"error": "pricing service is down"})),
    ];

    for (wire_type, expected) in cases {
        // The handler fails.
        let body = json!({"message": {"type": wire_type, "call": {"id": "c"}}});
        let (status, reply) = send(&receiver, Namespace::Server, body).await;
        assert_eq!(status, StatusCode::OK, "{wire_type}");
        assert_eq!(reply, expected, "{wire_type}");

        // The message does not decode: the same reply, with the decode error
        // as the function-call error.
        let body = json!({"message": {"type": wire_type, "customer": 5}});
        let (status, reply) = send(&receiver, Namespace::Server, body).await;
        assert_eq!(status, StatusCode::OK, "{wire_type} not decoding");
        if wire_type == "function-call" {
            let error = reply["error"].as_str().expect("an error");
            assert!(error.contains("at `customer`"), "{error}");
        } else {
            assert_eq!(reply, expected, "{wire_type} not decoding");
        }
    }
}

#[tokio::test]
async fn lone_surrogate_in_type_is_unknown_type() {
    // The type reads as "status-update" and U+FFFD, as payload strings do,
    // which names no event: acknowledged, not rejected as missing.
    let receiver = Receiver::builder(Slow)
        .auth(Auth::none())
        .build()
        .expect("valid settings");

    let (status, reply) = send_bytes(
        &receiver,
        Namespace::Server,
        br#"{"message":{"type":"status-update\ud83d","call":{"id":"c"}}}"#,
    )
    .await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply, json!({}));
}

#[tokio::test]
async fn strict_receiver_checks_unhandled_bodies() {
    let receiver = Receiver::builder(Slow)
        .auth(Auth::none())
        .check_unhandled_bodies(true)
        .build()
        .expect("valid settings");

    let (status, reply) = send_bytes(
        &receiver,
        Namespace::Server,
        br#"{"message":{"type":"status-update","call":{"id":"c"#,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(reply["error"].is_string(), "{reply}");

    let (status, reply) = send_bytes(
        &receiver,
        Namespace::Server,
        br#"{"message":{"type":"status-update","call":{"id":"c"}}}"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reply, json!({}));
}

#[test]
fn handler_error_into_inner_downcasts() {
    let io = std::io::Error::new(std::io::ErrorKind::TimedOut, "store timed out");
    let error = HandlerError::from(io).with_spoken_message("One moment, please.");
    assert_eq!(error.inner().to_string(), "store timed out");

    let io = error
        .into_inner()
        .downcast::<std::io::Error>()
        .expect("the boxed error is the io::Error handed in");
    assert_eq!(io.kind(), std::io::ErrorKind::TimedOut);
}

#[test]
fn handler_error_as_ref_keeps_message() {
    let error = HandlerError::msg("no agent is free");
    let as_ref: &(dyn std::error::Error + Send + Sync) = error.as_ref();
    assert_eq!(as_ref.to_string(), "no agent is free");
    assert_eq!(error.into_inner().to_string(), "no agent is free");
}

#[tokio::test]
async fn arc_hooks_share_state_with_caller() {
    let recorder = std::sync::Arc::new(Recorder::default());
    let receiver = Receiver::builder(std::sync::Arc::clone(&recorder))
        .auth(Auth::none())
        .build()
        .expect("valid settings");
    let body = json!({"message": {
        "type": "end-of-call-report",
        "endedReason": "customer-ended-call",
        "call": {"id": "call-arc"},
    }});

    let (status, _) =
        send_bytes(&receiver, Namespace::Server, &body.to_string().into_bytes()).await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        *recorder.seen.lock().expect("lock"),
        ["report end-of-call-report call-arc"]
    );
}
