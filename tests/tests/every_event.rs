//! Every event of the catalogue, posted as a realistic payload through the
//! axum router: the handler sees the typed fields and the reply is right.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::value::RawValue;
use serde_json::{Value, json};
use tower::ServiceExt;
use webhook_axum::events::{self, RawJson, client};
use webhook_axum::reply::{
    AssistantRequestReply, CallEndpointingReply, CampaignPredialReply, ClientInboundMessage,
    FunctionCallReply, HandoffDestinationReply, KnowledgeBaseDocument, KnowledgeBaseReply,
    ToolCallResult, ToolCallsReply, TransferDestination, TransferDestinationReply, VoiceReply,
};
use webhook_axum::{Auth, WebhookRouter, webhook_hooks};

#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<String>>>);

impl Seen {
    fn push(&self, entry: String) {
        self.0.lock().expect("lock").push(entry);
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().expect("lock"))
    }
}

struct Everything {
    seen: Seen,
}

fn text(value: Option<&str>) -> &str {
    value.unwrap_or("-")
}

#[webhook_hooks]
impl Everything {
    #[on(server.assistantRequest)]
    fn assistant_request(&self, m: events::AssistantRequest) -> AssistantRequestReply {
        let number = m.phone_number.and_then(|n| n.number);
        self.seen
            .push(format!("assistant-request {}", text(number.as_deref())));
        AssistantRequestReply::assistant_id("asst-0001")
    }

    #[on(server.conversationUpdate)]
    fn conversation_update(&self, m: events::ConversationUpdate) {
        let count = array_len(m.messages_open_ai_formatted.as_ref());
        self.seen.push(format!("conversation-update {count}"));
    }

    #[on(server.endOfCallReport)]
    fn end_of_call_report(&self, m: events::EndOfCallReport) {
        let reason = m.ended_reason.map(|reason| reason.to_string());
        self.seen
            .push(format!("end-of-call-report {}", text(reason.as_deref())));
    }

    #[on(server.handoffDestinationRequest)]
    fn handoff(&self, m: events::HandoffDestinationRequest) -> HandoffDestinationReply {
        let department = m
            .parameters
            .as_ref()
            .and_then(|p| p.to_value().ok()?["department"].as_str().map(str::to_owned))
            .unwrap_or_else(|| "-".to_owned());
        self.seen
            .push(format!("handoff-destination-request {department}"));
        HandoffDestinationReply::hand_off_to_assistant(department)
    }

    #[on(server.hang)]
    fn hang(&self, m: events::Hang) {
        self.seen.push(format!("hang {}", text(m.call_id())));
    }

    #[on(server.knowledgeBaseRequest)]
    fn knowledge_base(&self, m: events::KnowledgeBaseRequest) -> KnowledgeBaseReply {
        let last = m
            .messages_open_ai_formatted
            .as_ref()
            .and_then(|list| list.parse::<Vec<Value>>().ok())
            .and_then(|list| list.last()?["content"].as_str().map(str::to_owned))
            .unwrap_or_else(|| "-".to_owned());
        self.seen.push(format!("knowledge-base-request {last}"));
        KnowledgeBaseReply::documents(vec![KnowledgeBaseDocument::new("We open at 9.", 0.92)])
    }

    #[on(server.modelOutput)]
    fn model_output(&self, m: events::ModelOutput) {
        self.seen
            .push(format!("model-output {}", text(m.turn_id.as_deref())));
    }

    #[on(server.phoneCallControl)]
    fn phone_call_control(&self, m: events::PhoneCallControl) {
        self.seen
            .push(format!("phone-call-control {}", text(m.request.as_deref())));
    }

    #[on(server.speechUpdate)]
    fn speech_update(&self, m: events::SpeechUpdate) {
        let role = m.role.map(|role| role.to_string());
        self.seen.push(format!(
            "speech-update {} {}",
            text(m.status.as_deref()),
            text(role.as_deref())
        ));
    }

    #[on(server.statusUpdate)]
    fn status_update(&self, m: events::StatusUpdate) {
        let status = m.status.map(|status| status.to_string());
        self.seen
            .push(format!("status-update {}", text(status.as_deref())));
    }

    #[on(server.toolCalls)]
    fn tool_calls(&self, m: events::ToolCalls) -> ToolCallsReply {
        let call = &m.tool_call_list[0];
        self.seen.push(format!("tool-calls {}", call.name()));
        ToolCallsReply::new(vec![ToolCallResult::success(&call.id, call.name(), "ok")])
    }

    #[on(server.transferDestinationRequest)]
    fn transfer(&self, m: events::TransferDestinationRequest) -> TransferDestinationReply {
        let caller = m.customer.and_then(|c| c.number);
        self.seen.push(format!(
            "transfer-destination-request {}",
            text(caller.as_deref())
        ));
        TransferDestinationReply::transfer_to(TransferDestination::number("+15555550100"))
    }

    #[on(server.transferUpdate)]
    fn transfer_update(&self, m: events::TransferUpdate) {
        let kind = m
            .destination
            .as_ref()
            .and_then(|d| d.to_value().ok()?["type"].as_str().map(str::to_owned))
            .unwrap_or_else(|| "-".to_owned());
        self.seen.push(format!("transfer-update {kind}"));
    }

    #[on(server.transcript)]
    fn transcript(&self, m: events::Transcript) {
        self.seen.push(format!(
            "transcript {} {}",
            m.is_final(),
            text(m.transcript.as_deref())
        ));
    }

    #[on(server.userInterrupted)]
    fn user_interrupted(&self, m: events::UserInterrupted) {
        self.seen
            .push(format!("user-interrupted {}", text(m.turn_id.as_deref())));
    }

    #[on(server.languageChangeDetected)]
    fn language(&self, m: events::LanguageChangeDetected) {
        self.seen.push(format!(
            "language-change-detected {}",
            text(m.language.as_deref())
        ));
    }

    #[on(server.voiceInput)]
    fn voice_input(&self, m: events::VoiceInput) {
        self.seen
            .push(format!("voice-input {}", text(m.input.as_deref())));
    }

    #[on(server.assistantSpeechStarted)]
    fn speech_started(&self, m: events::AssistantSpeechStarted) {
        self.seen.push(format!(
            "assistant.speechStarted {}",
            text(m.text.as_deref())
        ));
    }

    #[on(server.voiceRequest)]
    fn voice_request(&self, m: events::VoiceRequest) -> VoiceReply {
        self.seen.push(format!(
            "voice-request {} {}",
            m.sample_rate.unwrap_or(0.0),
            text(m.text.as_deref())
        ));
        VoiceReply::from_samples(&[0, 1, -1, i16::MAX])
    }

    #[on(server.callEndpointingRequest)]
    fn endpointing(&self, m: events::CallEndpointingRequest) -> CallEndpointingReply {
        let count = array_len(m.messages_open_ai_formatted.as_ref());
        self.seen.push(format!("call.endpointing.request {count}"));
        CallEndpointingReply::wait_seconds(0.8)
    }

    #[on(server.chatCreated)]
    fn chat_created(&self, m: events::ChatCreated) {
        self.seen
            .push(format!("chat.created {}", text(m.call_id())));
    }

    #[on(server.chatDeleted)]
    fn chat_deleted(&self, m: events::ChatDeleted) {
        self.seen
            .push(format!("chat.deleted {}", text(m.call_id())));
    }

    #[on(server.sessionCreated)]
    fn session_created(&self, m: events::SessionCreated) {
        self.seen.push(format!(
            "session.created {}",
            session_id(m.session.as_ref())
        ));
    }

    #[on(server.sessionUpdated)]
    fn session_updated(&self, m: events::SessionUpdated) {
        self.seen.push(format!(
            "session.updated {}",
            session_id(m.session.as_ref())
        ));
    }

    #[on(server.sessionDeleted)]
    fn session_deleted(&self, m: events::SessionDeleted) {
        self.seen.push(format!(
            "session.deleted {}",
            session_id(m.session.as_ref())
        ));
    }

    #[on(server.callDeleted)]
    fn call_deleted(&self, m: events::CallDeleted) {
        self.seen
            .push(format!("call.deleted {}", text(m.call_id())));
    }

    #[on(server.callDeleteFailed)]
    fn call_delete_failed(&self, m: events::CallDeleteFailed) {
        self.seen
            .push(format!("call.delete.failed {}", text(m.call_id())));
    }

    #[on(server.callArtifactUpload)]
    fn artifact_upload(&self, m: events::CallArtifactUpload) {
        let count = array_len(m.artifacts.as_ref());
        self.seen.push(format!("call.artifact.upload {count}"));
    }

    #[on(server.campaignPredial)]
    fn predial(&self, m: events::CampaignPredial) -> CampaignPredialReply {
        self.seen.push(format!(
            "campaign.predial {}",
            text(m.campaign_id.as_deref())
        ));
        CampaignPredialReply::dial()
    }

    #[on(server.functionCall)]
    fn function_call(&self, m: events::FunctionCall) -> FunctionCallReply {
        self.seen
            .push(format!("function-call {}", text(m.name().as_deref())));
        FunctionCallReply::result("done")
    }

    #[on(server.assistantStarted)]
    fn assistant_started(&self, m: events::AssistantStarted) {
        let name = m
            .new_assistant
            .as_ref()
            .and_then(|a| a.to_value().ok()?["name"].as_str().map(str::to_owned))
            .unwrap_or_else(|| "-".to_owned());
        self.seen.push(format!("assistant.started {name}"));
    }

    #[on(client.workflowNodeStarted)]
    fn node_started(&self, m: events::WorkflowNodeStarted) -> ClientInboundMessage {
        self.seen.push(format!(
            "client workflow.node.started {}",
            text(m.node_name().as_deref())
        ));
        ClientInboundMessage::say("Welcome.")
    }

    #[on(client.assistantStarted)]
    fn c_assistant_started(&self, m: client::AssistantStarted) {
        let name = m
            .new_assistant
            .as_ref()
            .and_then(|a| a.to_value().ok()?["name"].as_str().map(str::to_owned))
            .unwrap_or_else(|| "-".to_owned());
        self.seen.push(format!("client assistant.started {name}"));
    }

    #[on(client.conversationUpdate)]
    fn c_conversation(&self, m: client::ConversationUpdate) {
        let count = array_len(m.messages_open_ai_formatted.as_ref());
        self.seen
            .push(format!("client conversation-update {count}"));
    }

    #[on(client.hang)]
    fn c_hang(&self, m: client::Hang) {
        self.seen.push(format!("client hang {}", text(m.call_id())));
    }

    #[on(client.metadata)]
    fn c_metadata(&self, m: client::Metadata) {
        self.seen
            .push(format!("client metadata {}", text(m.metadata.as_deref())));
    }

    #[on(client.modelOutput)]
    fn c_model_output(&self, m: client::ModelOutput) {
        self.seen.push(format!(
            "client model-output {}",
            text(m.turn_id.as_deref())
        ));
    }

    #[on(client.speechUpdate)]
    fn c_speech(&self, m: client::SpeechUpdate) {
        self.seen.push(format!(
            "client speech-update {}",
            text(m.status.as_deref())
        ));
    }

    #[on(client.transcript)]
    fn c_transcript(&self, m: client::Transcript) {
        self.seen.push(format!(
            "client transcript {}",
            text(m.transcript.as_deref())
        ));
    }

    #[on(client.toolCalls)]
    fn c_tool_calls(&self, m: client::ToolCalls) {
        self.seen
            .push(format!("client tool-calls {}", m.tool_call_list.len()));
    }

    #[on(client.toolCallsResult)]
    fn c_tool_calls_result(&self, m: client::ToolCallsResult) {
        let result = m
            .tool_call_result
            .as_ref()
            .and_then(|r| r.to_value().ok()?["result"].as_str().map(str::to_owned))
            .unwrap_or_else(|| "-".to_owned());
        self.seen.push(format!("client tool-calls-result {result}"));
    }

    #[on(client.transferUpdate)]
    fn c_transfer_update(&self, m: client::TransferUpdate) {
        let kind = m
            .destination
            .as_ref()
            .and_then(|d| d.to_value().ok()?["type"].as_str().map(str::to_owned))
            .unwrap_or_else(|| "-".to_owned());
        self.seen.push(format!("client transfer-update {kind}"));
    }

    #[on(client.userInterrupted)]
    fn c_interrupted(&self, m: client::UserInterrupted) {
        self.seen.push(format!(
            "client user-interrupted {}",
            text(m.turn_id.as_deref())
        ));
    }

    #[on(client.languageChangeDetected)]
    fn c_language(&self, m: client::LanguageChangeDetected) {
        self.seen.push(format!(
            "client language-change-detected {}",
            text(m.language.as_deref())
        ));
    }

    #[on(client.voiceInput)]
    fn c_voice_input(&self, m: client::VoiceInput) {
        self.seen
            .push(format!("client voice-input {}", text(m.input.as_deref())));
    }

    #[on(client.assistantSpeechStarted)]
    fn c_speech_started(&self, m: client::AssistantSpeechStarted) {
        self.seen.push(format!(
            "client assistant.speechStarted {}",
            text(m.text.as_deref())
        ));
    }

    #[on(client.chatCreated)]
    fn c_chat_created(&self, m: client::ChatCreated) {
        self.seen
            .push(format!("client chat.created {}", text(m.call_id())));
    }

    #[on(client.chatDeleted)]
    fn c_chat_deleted(&self, m: client::ChatDeleted) {
        self.seen
            .push(format!("client chat.deleted {}", text(m.call_id())));
    }

    #[on(client.sessionCreated)]
    fn c_session_created(&self, m: client::SessionCreated) {
        self.seen.push(format!(
            "client session.created {}",
            session_id(m.session.as_ref())
        ));
    }

    #[on(client.sessionUpdated)]
    fn c_session_updated(&self, m: client::SessionUpdated) {
        self.seen.push(format!(
            "client session.updated {}",
            session_id(m.session.as_ref())
        ));
    }

    #[on(client.sessionDeleted)]
    fn c_session_deleted(&self, m: client::SessionDeleted) {
        self.seen.push(format!(
            "client session.deleted {}",
            session_id(m.session.as_ref())
        ));
    }

    #[on(client.callDeleted)]
    fn c_call_deleted(&self, m: client::CallDeleted) {
        self.seen
            .push(format!("client call.deleted {}", text(m.call_id())));
    }

    #[on(client.callDeleteFailed)]
    fn c_call_delete_failed(&self, m: client::CallDeleteFailed) {
        self.seen
            .push(format!("client call.delete.failed {}", text(m.call_id())));
    }

    #[on(client.statusUpdate)]
    fn c_status_update(&self, m: client::StatusUpdate) {
        let status = m.status.as_ref().map(|status| status.to_string());
        self.seen
            .push(format!("client status-update {}", text(status.as_deref())));
    }

    #[on(client.functionCall)]
    fn c_function_call(&self, m: client::FunctionCall) {
        self.seen.push(format!(
            "client function-call {}",
            text(m.name().as_deref())
        ));
    }

    #[on(client.functionCallResult)]
    fn c_function_call_result(&self, m: client::FunctionCallResult) {
        let keys: Vec<&str> = m.extra.keys().map(String::as_str).collect();
        self.seen
            .push(format!("client function-call-result {}", keys.join(",")));
    }

    #[on(client.toolCompleted)]
    fn c_tool_completed(&self, m: client::ToolCompleted) {
        let keys: Vec<&str> = m.extra.keys().map(String::as_str).collect();
        self.seen
            .push(format!("client tool.completed {}", keys.join(",")));
    }
}

fn session_id(session: Option<&RawJson>) -> String {
    session
        .and_then(|session| session.to_value().ok()?["id"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "-".to_owned())
}

/// Returns the length of a JSON array kept raw, 0 when absent.
fn array_len(list: Option<&RawJson>) -> usize {
    list.and_then(|list| list.parse::<Vec<&RawValue>>().ok())
        .map_or(0, |list| list.len())
}

fn app(seen: &Seen) -> Router {
    let hooks = Everything { seen: seen.clone() };
    let webhooks = WebhookRouter::builder(hooks)
        .auth(Auth::shared_secret("test-secret-not-real").expect("secret"))
        .build()
        .expect("valid settings");
    Router::new().nest("/api/webhook", webhooks)
}

/// Posts `message` (wrapped as Vapi does) and returns status, content type
/// and body.
async fn post(app: &Router, path: &str, message: Value) -> (StatusCode, String, Vec<u8>) {
    let body = serde_json::to_vec(&json!({ "message": message })).expect("body");
    let request = Request::post(path)
        .header("content-type", "application/json; charset=UTF-8")
        .header("x-vapi-secret", "test-secret-not-real")
        .body(Body::from(body))
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("router answers");
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    (status, content_type, bytes)
}

fn envelope(extra: Value) -> Value {
    let mut message = json!({
        "timestamp": 1767225600000u64,
        "call": {"id": "call-0001", "type": "inboundPhoneCall", "status": "in-progress"},
        "customer": {"number": "+15555550101", "name": "Ada Example"},
        "phoneNumber": {"id": "pn-0001", "number": "+15555550199"},
    });
    let map = message.as_object_mut().expect("object");
    for (key, value) in extra.as_object().expect("object") {
        map.insert(key.clone(), value.clone());
    }
    message
}

fn messages() -> Value {
    json!([
        {"role": "assistant", "content": "Hello, how can I help?"},
        {"role": "user", "content": "When do you open?"}
    ])
}

/// (route, message, what the handler records, expected JSON reply).
fn server_cases() -> Vec<(Value, &'static str, Value)> {
    vec![
        (
            envelope(json!({"type": "assistant-request"})),
            "assistant-request +15555550199",
            json!({"assistantId": "asst-0001"}),
        ),
        (
            envelope(json!({"type": "conversation-update", "messagesOpenAIFormatted": messages()})),
            "conversation-update 2",
            json!({}),
        ),
        (
            envelope(
                json!({"type": "end-of-call-report", "endedReason": "customer-ended-call", "artifact": {}, "analysis": {}}),
            ),
            "end-of-call-report customer-ended-call",
            json!({}),
        ),
        (
            envelope(
                json!({"type": "handoff-destination-request", "parameters": {"department": "billing"}}),
            ),
            "handoff-destination-request billing",
            json!({"destination": {"type": "assistant", "assistantName": "billing"}}),
        ),
        (
            envelope(json!({"type": "hang"})),
            "hang call-0001",
            json!({}),
        ),
        (
            envelope(
                json!({"type": "knowledge-base-request", "messagesOpenAIFormatted": messages()}),
            ),
            "knowledge-base-request When do you open?",
            json!({"documents": [{"content": "We open at 9.", "similarity": 0.92}]}),
        ),
        (
            envelope(
                json!({"type": "model-output", "turnId": "turn-3", "output": {"content": "Sure"}}),
            ),
            "model-output turn-3",
            json!({}),
        ),
        (
            envelope(
                json!({"type": "phone-call-control", "request": "forward", "destination": {"type": "number", "number": "+15555550100"}}),
            ),
            "phone-call-control forward",
            json!({}),
        ),
        (
            envelope(
                json!({"type": "speech-update", "status": "started", "role": "user", "turn": 2}),
            ),
            "speech-update started user",
            json!({}),
        ),
        (
            envelope(json!({"type": "status-update", "status": "ringing"})),
            "status-update ringing",
            json!({}),
        ),
        (
            envelope(
                json!({"type": "tool-calls", "toolCallList": [{"id": "call_A1", "type": "function", "function": {"name": "lookupOrder", "arguments": "{\"orderId\":\"ORD-1\"}"}}], "toolWithToolCallList": []}),
            ),
            "tool-calls lookupOrder",
            json!({"results": [{"toolCallId": "call_A1", "name": "lookupOrder", "result": "ok"}]}),
        ),
        (
            envelope(json!({"type": "transfer-destination-request"})),
            "transfer-destination-request +15555550101",
            json!({"destination": {"type": "number", "number": "+15555550100"}}),
        ),
        (
            envelope(
                json!({"type": "transfer-update", "destination": {"type": "number", "number": "+15555550100"}}),
            ),
            "transfer-update number",
            json!({}),
        ),
        (
            envelope(
                json!({"type": "transcript", "role": "user", "transcriptType": "partial", "transcript": "When do"}),
            ),
            "transcript false When do",
            json!({}),
        ),
        (
            envelope(
                json!({"type": "transcript[transcriptType=\"final\"]", "role": "user", "transcriptType": "final", "transcript": "When do you open?"}),
            ),
            "transcript true When do you open?",
            json!({}),
        ),
        (
            envelope(json!({"type": "user-interrupted", "turnId": "turn-4"})),
            "user-interrupted turn-4",
            json!({}),
        ),
        (
            envelope(json!({"type": "language-change-detected", "language": "es"})),
            "language-change-detected es",
            json!({}),
        ),
        (
            envelope(json!({"type": "language-changed", "language": "fr"})),
            "language-change-detected fr",
            json!({}),
        ),
        (
            envelope(json!({"type": "voice-input", "input": "One moment please."})),
            "voice-input One moment please.",
            json!({}),
        ),
        (
            envelope(
                json!({"type": "assistant.speechStarted", "text": "Hello", "turn": 1, "source": "model"}),
            ),
            "assistant.speechStarted Hello",
            json!({}),
        ),
        (
            envelope(
                json!({"type": "call.endpointing.request", "messagesOpenAIFormatted": messages()}),
            ),
            "call.endpointing.request 2",
            json!({"timeoutSeconds": 0.8}),
        ),
        (
            json!({"type": "chat.created", "chat": {"id": "chat-0001"}}),
            "chat.created chat-0001",
            json!({}),
        ),
        (
            json!({"type": "chat.deleted", "chat": {"id": "chat-0002"}}),
            "chat.deleted chat-0002",
            json!({}),
        ),
        (
            json!({"type": "session.created", "session": {"id": "session-0001"}}),
            "session.created session-0001",
            json!({}),
        ),
        (
            json!({"type": "session.updated", "session": {"id": "session-0002"}}),
            "session.updated session-0002",
            json!({}),
        ),
        (
            json!({"type": "session.deleted", "session": {"id": "session-0003"}}),
            "session.deleted session-0003",
            json!({}),
        ),
        (
            envelope(json!({"type": "call.deleted"})),
            "call.deleted call-0001",
            json!({}),
        ),
        (
            envelope(json!({"type": "call.delete.failed"})),
            "call.delete.failed call-0001",
            json!({}),
        ),
        (
            envelope(
                json!({"type": "call.artifact.upload", "artifacts": [{"type": "recording", "url": "https://example.invalid/rec.wav"}]}),
            ),
            "call.artifact.upload 1",
            json!({}),
        ),
        (
            json!({"type": "campaign.predial", "campaignId": "camp-0001", "contact": {"number": "+15555550102"}}),
            "campaign.predial camp-0001",
            json!({"eligible": true}),
        ),
        (
            envelope(
                json!({"type": "function-call", "functionCall": {"name": "bookSlot", "parameters": {"day": "Monday"}}}),
            ),
            "function-call bookSlot",
            json!({"result": "done"}),
        ),
        (
            envelope(json!({"type": "assistant.started", "newAssistant": {"name": "Billing"}})),
            "assistant.started Billing",
            json!({}),
        ),
    ]
}

fn client_cases() -> Vec<(Value, &'static str, Value)> {
    vec![
        (
            envelope(
                json!({"type": "workflow.node.started", "node": {"name": "greeting", "type": "conversation"}}),
            ),
            "client workflow.node.started greeting",
            json!({"type": "say", "content": "Welcome."}),
        ),
        (
            envelope(json!({"type": "assistant.started", "newAssistant": {"name": "Sales"}})),
            "client assistant.started Sales",
            json!({}),
        ),
        (
            envelope(json!({"type": "conversation-update", "messagesOpenAIFormatted": messages()})),
            "client conversation-update 2",
            json!({}),
        ),
        (
            envelope(json!({"type": "hang"})),
            "client hang call-0001",
            json!({}),
        ),
        (
            envelope(json!({"type": "metadata", "metadata": "{\"step\":2}"})),
            "client metadata {\"step\":2}",
            json!({}),
        ),
        (
            envelope(json!({"type": "model-output", "turnId": "turn-5", "output": "Sure"})),
            "client model-output turn-5",
            json!({}),
        ),
        (
            envelope(json!({"type": "speech-update", "status": "stopped", "role": "assistant"})),
            "client speech-update stopped",
            json!({}),
        ),
        (
            envelope(
                json!({"type": "transcript", "role": "assistant", "transcriptType": "final", "transcript": "Goodbye."}),
            ),
            "client transcript Goodbye.",
            json!({}),
        ),
        (
            envelope(
                json!({"type": "transcript[transcriptType=\"final\"]", "role": "assistant", "transcriptType": "final", "transcript": "See you."}),
            ),
            "client transcript See you.",
            json!({}),
        ),
        (
            envelope(
                json!({"type": "tool-calls", "toolCallList": [{"id": "call_B1", "type": "function", "function": {"name": "x", "arguments": {}}}]}),
            ),
            "client tool-calls 1",
            json!({}),
        ),
        (
            envelope(
                json!({"type": "tool-calls-result", "toolCallResult": {"toolCallId": "call_B1", "name": "x", "result": "42"}}),
            ),
            "client tool-calls-result 42",
            json!({}),
        ),
        (
            envelope(
                json!({"type": "transfer-update", "destination": {"type": "sip", "sipUri": "sip:desk@example.invalid"}}),
            ),
            "client transfer-update sip",
            json!({}),
        ),
        (
            envelope(json!({"type": "user-interrupted", "turnId": "turn-6"})),
            "client user-interrupted turn-6",
            json!({}),
        ),
        (
            envelope(json!({"type": "language-change-detected", "language": "de"})),
            "client language-change-detected de",
            json!({}),
        ),
        (
            envelope(json!({"type": "language-changed", "language": "it"})),
            "client language-change-detected it",
            json!({}),
        ),
        (
            envelope(json!({"type": "voice-input", "input": "Hold on."})),
            "client voice-input Hold on.",
            json!({}),
        ),
        (
            envelope(json!({"type": "assistant.speechStarted", "text": "Hi"})),
            "client assistant.speechStarted Hi",
            json!({}),
        ),
        (
            json!({"type": "chat.created", "chat": {"id": "chat-0003"}}),
            "client chat.created chat-0003",
            json!({}),
        ),
        (
            json!({"type": "chat.deleted", "chat": {"id": "chat-0004"}}),
            "client chat.deleted chat-0004",
            json!({}),
        ),
        (
            json!({"type": "session.created", "session": {"id": "session-0004"}}),
            "client session.created session-0004",
            json!({}),
        ),
        (
            json!({"type": "session.updated", "session": {"id": "session-0005"}}),
            "client session.updated session-0005",
            json!({}),
        ),
        (
            json!({"type": "session.deleted", "session": {"id": "session-0006"}}),
            "client session.deleted session-0006",
            json!({}),
        ),
        (
            envelope(json!({"type": "call.deleted"})),
            "client call.deleted call-0001",
            json!({}),
        ),
        (
            envelope(json!({"type": "call.delete.failed"})),
            "client call.delete.failed call-0001",
            json!({}),
        ),
        (
            envelope(json!({"type": "status-update", "status": "ended"})),
            "client status-update ended",
            json!({}),
        ),
        (
            envelope(
                json!({"type": "function-call", "functionCall": {"name": "bookSlot", "parameters": {}}}),
            ),
            "client function-call bookSlot",
            json!({}),
        ),
        (
            envelope(
                json!({"type": "function-call-result", "functionCallResult": {"name": "bookSlot", "result": "ok"}}),
            ),
            "client function-call-result functionCallResult,type",
            json!({}),
        ),
        (
            envelope(json!({"type": "tool.completed", "toolCallId": "t1"})),
            "client tool.completed toolCallId,type",
            json!({}),
        ),
    ]
}

#[tokio::test]
async fn every_server_event_reaches_its_handler() {
    let seen = Seen::default();
    let app = app(&seen);
    for (message, expected_seen, expected_reply) in server_cases() {
        let wire_type = message["type"].clone();
        let (status, content_type, body) = post(&app, "/api/webhook", message).await;
        assert_eq!(status, StatusCode::OK, "{wire_type}");
        assert_eq!(content_type, "application/json", "{wire_type}");
        let reply: Value = serde_json::from_slice(&body).expect("JSON reply");
        assert_eq!(reply, expected_reply, "{wire_type}");
        assert_eq!(seen.take(), [expected_seen], "{wire_type}");
    }
}

#[tokio::test]
async fn every_client_event_reaches_its_handler() {
    let seen = Seen::default();
    let app = app(&seen);
    for (message, expected_seen, expected_reply) in client_cases() {
        let wire_type = message["type"].clone();
        let (status, _, body) = post(&app, "/api/webhook/client", message).await;
        assert_eq!(status, StatusCode::OK, "{wire_type}");
        let reply: Value = serde_json::from_slice(&body).expect("JSON reply");
        assert_eq!(reply, expected_reply, "{wire_type}");
        assert_eq!(seen.take(), [expected_seen], "{wire_type}");
    }
}

#[tokio::test]
async fn voice_request_replies_with_pcm_bytes() {
    let seen = Seen::default();
    let app = app(&seen);
    let message =
        envelope(json!({"type": "voice-request", "text": "Hello there", "sampleRate": 24000}));
    let (status, content_type, body) = post(&app, "/api/webhook", message).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/octet-stream");
    assert_eq!(body, [0x00, 0x00, 0x01, 0x00, 0xff, 0xff, 0xff, 0x7f]);
    assert_eq!(seen.take(), ["voice-request 24000 Hello there"]);
}

#[test]
fn every_catalogue_event_is_covered() {
    // Every wire type of the catalogue, aliases included, has a case;
    // `voice-request` has its own test above.
    fn wire_type(body: &Value) -> String {
        let message = body.get("message").unwrap_or(body);
        message["type"]
            .as_str()
            .expect("a case names its type")
            .to_owned()
    }
    let covered: BTreeSet<(&str, String)> = server_cases()
        .iter()
        .map(|(body, _, _)| ("server", wire_type(body)))
        .chain(
            client_cases()
                .iter()
                .map(|(body, _, _)| ("client", wire_type(body))),
        )
        .chain([("server", "voice-request".to_owned())])
        .collect();

    let catalogue: BTreeSet<(&str, String)> = webhook_axum::webhook_core::EVENTS
        .iter()
        .flat_map(|def| {
            def.wire_types
                .iter()
                .map(move |wire_type| (def.namespace.as_str(), (*wire_type).to_owned()))
        })
        .collect();

    let missing: Vec<_> = catalogue.difference(&covered).collect();
    assert!(missing.is_empty(), "events without a case: {missing:?}");
    let extra: Vec<_> = covered.difference(&catalogue).collect();
    assert!(extra.is_empty(), "cases of no catalogue event: {extra:?}");
}
