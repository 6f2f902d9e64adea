//! Every reply the framework can send, checked against the response schemas
//! Vapi publishes, and every field name the payload types read, checked
//! against the message schemas.
//!
//! Vapi does not report a reply it cannot use: the call just goes another
//! way. The other tests compare replies with JSON written from our reading
//! of the schema. These validate them against the schema itself with a JSON
//! Schema validator, using a copy of Vapi's OpenAPI subset in
//! `tests/fixtures/vapi`. The same copy's message index pairs each wire
//! type with its response schema, and the catalogue is checked against it.
//!
//! The copy leaves out large configuration schemas (listed in its
//! `x-omitted-refs`: inline assistants, squads, overrides, transfer plans),
//! so those parts of a reply accept anything here, and a misspelt key
//! inside a transfer plan passes. The unit tests of the reply types cover
//! those keys.
//!
//! Where a reply departs from the schema on purpose, `KNOWN_DEPARTURES`
//! gives the reason, and the test asserts the exact error, so a change on
//! either side shows up.
//!
//! A payload field whose wire name is misspelt is never set: its value
//! lands in `extra`, and only a test that sets that very field notices.
//! So each wire name must be a property of the type's schema, unless
//! `FIELDS_NOT_IN_SCHEMA` lists it with the reason. In the same way, each
//! known value of an open enumeration must be one the schema enumerates,
//! or a misspelt one would always read as `Other`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use axum::body::Body;
use http::{Request, StatusCode};
use http_body_util::BodyExt;
use jsonschema::Validator;
use serde_json::{Map, Value, json};
use tower::ServiceExt;
use webhook_axum::reply::{
    AssistantRequestReply, AssistantTransferMode, CallEndpointingReply, CampaignPredialReply,
    ClientInboundMessage, ControlAction, EventReply, HandoffDestinationReply,
    KnowledgeBaseDocument, KnowledgeBaseReply, ToolCallResult, ToolCallsReply, TransferDestination,
    TransferDestinationReply, TransferPlan,
};
use webhook_axum::webhook_core::__private::{WireNames, WireValues};
use webhook_axum::webhook_core::EVENTS;
use webhook_axum::{Auth, HandlerError, Namespace, ToolOutput, WebhookRouter, webhook_hooks};

const OPENAPI: &str = include_str!("../fixtures/vapi/openapi-server-messages.json");
const MESSAGE_INDEX: &str = include_str!("../fixtures/vapi/message-type-index.json");

/// Replies that break a rule of the schema on purpose.
///
/// A handoff that cannot happen has no destination to name, yet the
/// schema marks `destination` required next to an `error` that gives the
/// reason the handoff is not made. Inventing a destination would hand the
/// call somewhere, so the error reply leaves it out.
const KNOWN_DEPARTURES: &[Departure] = &[Departure {
    schema: "ServerMessageResponseHandoffDestinationRequest",
    applies: is_error_without_destination,
    error: r#""destination" is a required property"#,
}];

/// One entry of `KNOWN_DEPARTURES`.
struct Departure {
    /// The response schema the reply breaks.
    schema: &'static str,
    /// Picks the replies that break it.
    applies: fn(&Value) -> bool,
    /// The validator's only message for such a reply.
    error: &'static str,
}

/// Tells whether `reply` declines with an `error` and names no destination.
fn is_error_without_destination(reply: &Value) -> bool {
    reply.get("error").is_some() && reply.get("destination").is_none()
}

/// The OpenAPI subset and its message index, each read once, with the
/// validator of each response schema compiled once.
struct Schemas {
    document: Value,
    index: Value,
    validators: std::sync::Mutex<BTreeMap<String, &'static Validator>>,
}

fn schemas() -> &'static Schemas {
    static SCHEMAS: OnceLock<Schemas> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        let mut document: Value = serde_json::from_str(OPENAPI).expect("the OpenAPI copy parses");
        let omitted: Vec<String> =
            serde_json::from_value(document["x-omitted-refs"].clone()).expect("x-omitted-refs");
        accept_omitted_refs(&mut document, &omitted);
        reject_undeclared_keys(&mut document);
        Schemas {
            document,
            index: serde_json::from_str(MESSAGE_INDEX).expect("the index parses"),
            validators: Default::default(),
        }
    })
}

/// Replaces each `$ref` to an omitted schema with the schema that accepts
/// anything. The subset leaves out large configuration schemas (an inline
/// assistant, a squad, a transfer plan) and lists them in `x-omitted-refs`,
/// so their `$ref`s point nowhere, and the rest of the reply is still
/// checked. A `oneOf` with such an alternative becomes an `anyOf`, because
/// a value that matches the accept-anything schema and another alternative
/// would break "exactly one".
fn accept_omitted_refs(value: &mut Value, omitted: &[String]) {
    match value {
        Value::Object(object) => {
            if is_omitted_ref(object, omitted) {
                object.clear();
                return;
            }
            let one_of_omitted =
                object
                    .get("oneOf")
                    .and_then(Value::as_array)
                    .is_some_and(|alternatives| {
                        alternatives.iter().any(|alternative| {
                            alternative
                                .as_object()
                                .is_some_and(|alternative| is_omitted_ref(alternative, omitted))
                        })
                    });
            if one_of_omitted {
                let alternatives = object.remove("oneOf").unwrap_or_default();
                object.insert("anyOf".to_owned(), alternatives);
            }
            object
                .values_mut()
                .for_each(|value| accept_omitted_refs(value, omitted));
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|value| accept_omitted_refs(value, omitted)),
        _ => {}
    }
}

/// Tells whether `schema` is a `$ref` to a schema listed in `omitted`.
fn is_omitted_ref(schema: &Map<String, Value>, omitted: &[String]) -> bool {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|target| target.strip_prefix("#/components/schemas/"))
        .is_some_and(|name| omitted.iter().any(|omitted| omitted == name))
}

/// Closes every object schema that has `properties` and no
/// `additionalProperties` of its own, so each key of a reply must be one
/// the schema declares. JSON Schema allows undeclared keys by default, and
/// only one schema of the subset sets `additionalProperties`, so a
/// misspelt optional key (`interruptAssistant` for
/// `interruptAssistantEnabled`) would pass. No schema of the subset
/// combines objects with `allOf`, where closing each part would reject the
/// keys of the others.
fn reject_undeclared_keys(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if object.contains_key("properties") && !object.contains_key("additionalProperties") {
                object.insert("additionalProperties".to_owned(), Value::Bool(false));
            }
            object.values_mut().for_each(reject_undeclared_keys);
        }
        Value::Array(items) => items.iter_mut().for_each(reject_undeclared_keys),
        _ => {}
    }
}

impl Schemas {
    /// Returns the validator of `components.schemas.<name>`. OpenAPI 3.0
    /// schemas follow JSON Schema draft 4, and the validator ignores the
    /// keywords OpenAPI adds (`nullable`, `discriminator`, `example`).
    fn validator(&self, name: &str) -> &'static Validator {
        let mut validators = self.validators.lock().expect("lock");
        validators.entry(name.to_owned()).or_insert_with(|| {
            assert!(
                self.document["components"]["schemas"].get(name).is_some(),
                "no schema `{name}` in the OpenAPI copy"
            );
            let root = json!({
                "$ref": format!("#/components/schemas/{name}"),
                "components": self.document["components"],
            });
            let validator = jsonschema::draft4::options()
                .build(&root)
                .unwrap_or_else(|error| panic!("schema `{name}` compiles: {error}"));
            Box::leak(Box::new(validator))
        })
    }

    /// Returns every rule of schema `name` that `reply` breaks, as the
    /// validator words it, with the path inside the reply.
    fn errors(&self, name: &str, reply: &Value) -> Vec<String> {
        self.validator(name)
            .iter_errors(reply)
            .map(|error| {
                let path = error.instance_path().to_string();
                if path.is_empty() {
                    error.to_string()
                } else {
                    format!("{path}: {error}")
                }
            })
            .collect()
    }
}

/// Asserts that `reply` satisfies schema `name`, or breaks it exactly as
/// its entry in `KNOWN_DEPARTURES` records.
fn assert_matches_schema(name: &str, case: &str, reply: &Value) {
    let errors = schemas().errors(name, reply);
    let text = reply.to_string();
    let departure = KNOWN_DEPARTURES
        .iter()
        .find(|departure| departure.schema == name && (departure.applies)(reply));
    match departure {
        Some(departure) => assert_eq!(
            errors,
            [departure.error],
            "{case}: {text} no longer breaks `{name}` as recorded"
        ),
        None => assert!(
            errors.is_empty(),
            "{case}: {text} does not match `{name}`:\n{}",
            errors.join("\n")
        ),
    }
}

/// Returns the JSON body a reply value is sent as.
fn body_of(reply: impl EventReply) -> Value {
    let reply = reply.into_http_reply();
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.content_type, "application/json");
    serde_json::from_slice(&reply.body).expect("a reply body is JSON")
}

fn metadata() -> Map<String, Value> {
    let mut metadata = Map::new();
    metadata.insert("slot".to_owned(), json!("09:30"));
    metadata
}

/// Returns each destination builder's result, bare and with every
/// refinement it offers.
fn transfer_destinations() -> Vec<(&'static str, TransferDestination)> {
    vec![
        ("number", TransferDestination::number("+15550100").into()),
        (
            "number with every option",
            TransferDestination::number("+15550101")
                .with_message("Connecting you to billing.")
                .with_description("the billing desk")
                .with_transfer_plan(TransferPlan::mode("warm-transfer-say-summary").with_summary())
                .with_caller_id("+15550102")
                .with_extension("123")
                .with_e164_check(false)
                .into(),
        ),
        (
            "sip",
            TransferDestination::sip("sip:desk@example.invalid").into(),
        ),
        (
            "sip with every option",
            TransferDestination::sip("sip:desk@example.invalid")
                .with_message("Connecting you now.")
                .with_description("the front desk")
                .with_transfer_plan(TransferPlan::mode("blind-transfer"))
                .with_caller_id("+15550103")
                .into(),
        ),
        (
            "assistant",
            TransferDestination::assistant("billing").into(),
        ),
        (
            "assistant with every option",
            TransferDestination::assistant("billing")
                .with_message("Let me get billing.")
                .with_description("the billing assistant")
                .with_transfer_mode(AssistantTransferMode::SwapSystemMessageInHistory)
                .into(),
        ),
    ]
}

#[test]
fn assistant_request_replies_match_the_schema() {
    let schema = "ServerMessageResponseAssistantRequest";
    let config = json!({"name": "Front desk", "firstMessage": "Hello."});
    let overrides = json!({"variableValues": {"name": "Ada"}});
    let replies = [
        (
            "assistant_id",
            AssistantRequestReply::assistant_id("asst-0001"),
        ),
        (
            "assistant_id with overrides",
            AssistantRequestReply::assistant_id("asst-0001")
                .with_assistant_overrides(overrides.clone()),
        ),
        (
            "assistant",
            AssistantRequestReply::assistant(config.clone()),
        ),
        ("squad_id", AssistantRequestReply::squad_id("squad-0001")),
        (
            "squad_id with overrides",
            AssistantRequestReply::squad_id("squad-0001").with_squad_overrides(overrides.clone()),
        ),
        (
            "squad",
            AssistantRequestReply::squad(json!({"members": [{"assistant": config}]})),
        ),
        (
            "workflow_id",
            AssistantRequestReply::workflow_id("flow-0001"),
        ),
        (
            "workflow_id with overrides",
            AssistantRequestReply::workflow_id("flow-0001").with_workflow_overrides(overrides),
        ),
        (
            "workflow",
            AssistantRequestReply::workflow(json!({"name": "Intake", "nodes": []})),
        ),
        (
            "transfer_to number",
            AssistantRequestReply::transfer_to(TransferDestination::number("+15550100")),
        ),
        (
            "transfer_to sip",
            AssistantRequestReply::transfer_to(TransferDestination::sip(
                "sip:desk@example.invalid",
            )),
        ),
        ("error", AssistantRequestReply::error("We are closed.")),
    ];
    for (case, reply) in replies {
        assert_matches_schema(schema, case, &body_of(reply));
    }
}

#[test]
fn tool_call_replies_match_the_schema() {
    let schema = "ServerMessageResponseToolCalls";
    let replies = [
        ("no results", ToolCallsReply::new(Vec::new())),
        (
            "success and failure",
            ToolCallsReply::new(vec![
                ToolCallResult::success("call_1", "lookupOrder", "shipped"),
                ToolCallResult::failure("call_2", "bookAppointment", "slot taken"),
            ]),
        ),
        (
            "spoken messages and metadata",
            ToolCallsReply::new(vec![
                ToolCallResult::success("call_1", "lookupOrder", "shipped")
                    .with_spoken_message("Your order has shipped.")
                    .with_metadata(metadata()),
                ToolCallResult::failure("call_2", "bookAppointment", "slot taken")
                    .with_spoken_message("That slot is taken."),
            ]),
        ),
    ];
    for (case, reply) in replies {
        assert_matches_schema(schema, case, &body_of(reply));
    }
}

#[test]
fn transfer_destination_replies_match_the_schema() {
    let schema = "ServerMessageResponseTransferDestinationRequest";
    for (case, destination) in transfer_destinations() {
        let reply = TransferDestinationReply::transfer_to(destination.clone());
        assert_matches_schema(schema, case, &body_of(reply));

        let spoken = TransferDestinationReply::transfer_to(destination)
            .with_spoken_message("Transferring you now.");
        assert_matches_schema(schema, &format!("{case}, spoken"), &body_of(spoken));
    }
    let error = TransferDestinationReply::error("Nobody is free.");
    assert_matches_schema(schema, "error", &body_of(error));
}

#[test]
fn handoff_destination_replies_match_the_schema() {
    let schema = "ServerMessageResponseHandoffDestinationRequest";
    let replies = [
        (
            "hand_off_to_assistant",
            HandoffDestinationReply::hand_off_to_assistant("billing"),
        ),
        (
            "hand_off_to with a result",
            HandoffDestinationReply::hand_off_to(json!({
                "type": "assistant",
                "assistantName": "billing",
            }))
            .with_result("Handing you to billing."),
        ),
        ("error", HandoffDestinationReply::error("No agent is free.")),
        (
            "error with a result",
            HandoffDestinationReply::error("No agent is free.").with_result("Try again later."),
        ),
    ];
    for (case, reply) in replies {
        assert_matches_schema(schema, case, &body_of(reply));
    }
}

#[test]
fn knowledge_base_replies_match_the_schema() {
    let schema = "ServerMessageResponseKnowledgeBaseRequest";
    let replies = [
        ("no documents", KnowledgeBaseReply::documents(Vec::new())),
        (
            "documents",
            KnowledgeBaseReply::documents(vec![
                KnowledgeBaseDocument::new("Opening hours are 9 to 5.", 0.92),
                KnowledgeBaseDocument::new("Parking is free.", 0.41),
            ]),
        ),
        ("say", KnowledgeBaseReply::say("We open at nine.")),
    ];
    for (case, reply) in replies {
        assert_matches_schema(schema, case, &body_of(reply));
    }
}

#[test]
fn endpointing_and_pre_dial_replies_match_the_schema() {
    assert_matches_schema(
        "ServerMessageResponseCallEndpointingRequest",
        "wait_seconds",
        &body_of(CallEndpointingReply::wait_seconds(1.5)),
    );
    assert_matches_schema(
        "ServerMessageResponseCampaignPredial",
        "dial",
        &body_of(CampaignPredialReply::dial()),
    );
    assert_matches_schema(
        "ServerMessageResponseCampaignPredial",
        "skip",
        &body_of(CampaignPredialReply::skip()),
    );
}

/// A client event's reply is the message the front end passes to
/// `vapi.send`, so it is checked as the `message` of Vapi's
/// `ClientInboundMessage`.
#[test]
fn client_messages_match_the_schema() {
    let messages = [
        ("say", ClientInboundMessage::say("One moment.")),
        (
            "say with every flag",
            ClientInboundMessage::say("One moment.")
                .with_interrupt_assistant(true)
                .with_interruptions(false)
                .with_end_call_after_spoken(true),
        ),
        (
            "add_system_message",
            ClientInboundMessage::add_system_message("The caller is a member."),
        ),
        (
            "control",
            ClientInboundMessage::control(ControlAction::MuteAssistant),
        ),
        ("end_call", ClientInboundMessage::end_call()),
        (
            "add-message with a response",
            ClientInboundMessage::AddMessage {
                message: json!({"role": "user", "content": "Is the shop open?"}),
                trigger_response_enabled: Some(true),
            },
        ),
        (
            "send-transport-message",
            ClientInboundMessage::SendTransportMessage {
                message: json!({"type": "sip-info", "content": "1"}),
            },
        ),
        (
            "transfer with content",
            ClientInboundMessage::Transfer {
                destination: Some(Box::new(TransferDestination::number("+15550100").into())),
                content: Some("Transferring you now.".to_owned()),
            },
        ),
        (
            "transfer to a number",
            ClientInboundMessage::transfer(TransferDestination::number("+15550100")),
        ),
        (
            "transfer to sip",
            ClientInboundMessage::transfer(TransferDestination::sip("sip:desk@example.invalid")),
        ),
    ];
    for (case, message) in messages {
        let body = body_of(Some(message));
        assert_matches_schema("ClientInboundMessage", case, &json!({ "message": body }));
    }
}

/// Checks that the validator enforces the rules that matter here: nested
/// references, `oneOf` destinations, required fields, value types and
/// undeclared keys. A schema that had lost its references would otherwise
/// accept every reply above.
#[test]
fn schemas_reject_broken_replies() {
    let broken = [
        (
            "ServerMessageResponseToolCalls",
            json!({"results": [{"toolCallId": 7, "result": "shipped"}]}),
            "/results/0/toolCallId",
        ),
        (
            "ServerMessageResponseTransferDestinationRequest",
            json!({"destination": {"type": "number"}}),
            "/destination",
        ),
        (
            "ServerMessageResponseTransferDestinationRequest",
            json!({"destination": {"type": "phone", "number": "+15550100"}}),
            "/destination",
        ),
        (
            "ServerMessageResponseAssistantRequest",
            json!({"destination": {"type": "assistant", "assistantName": "billing"}}),
            "/destination",
        ),
        (
            "ServerMessageResponseKnowledgeBaseRequest",
            json!({"documents": [{"similarity": 0.5}]}),
            "/documents/0",
        ),
        (
            "ServerMessageResponseCampaignPredial",
            json!({"eligible": "yes"}),
            "/eligible",
        ),
        ("ServerMessageResponseCallEndpointingRequest", json!({}), ""),
        (
            "ClientInboundMessage",
            json!({"message": {"type": "control", "control": "mute-everyone"}}),
            "/message",
        ),
        (
            "ServerMessageResponseToolCalls",
            json!({"results": [{"toolCallId": "call_1", "result": "shipped", "tool_call_id": "call_1"}]}),
            "/results/0",
        ),
        (
            "ClientInboundMessage",
            json!({"message": {"type": "say", "content": "Hi.", "interruptAssistant": true}}),
            "/message",
        ),
    ];
    for (schema, reply, path) in broken {
        let errors = schemas().errors(schema, &reply);
        assert!(
            errors.iter().any(|error| error.starts_with(path)),
            "`{schema}` accepted {reply} or blamed another place: {errors:?}"
        );
    }
}

/// The framework's own replies when a handler fails, for each event whose
/// reply drives the call.
struct Failing;

#[webhook_hooks]
impl Failing {
    #[on(server.assistantRequest)]
    fn assistant_request(&self) -> Result<AssistantRequestReply, HandlerError> {
        Err("no assistant".into())
    }

    #[on(server.toolCalls)]
    fn tool_calls(&self) -> Result<ToolCallsReply, HandlerError> {
        Err("tools unavailable".into())
    }

    #[on(server.transferDestinationRequest)]
    fn transfer(&self) -> Result<TransferDestinationReply, HandlerError> {
        Err("no destination".into())
    }

    #[on(server.handoffDestinationRequest)]
    fn handoff(&self) -> Result<HandoffDestinationReply, HandlerError> {
        Err("no destination".into())
    }

    #[on(server.knowledgeBaseRequest)]
    fn knowledge_base(&self) -> Result<KnowledgeBaseReply, HandlerError> {
        Err("search down".into())
    }

    #[on(server.campaignPredial)]
    fn campaign_predial(&self) -> Result<CampaignPredialReply, HandlerError> {
        Err("no contact".into())
    }
}

/// Tools whose results take each path the framework builds a result on.
struct Tools;

#[derive(serde::Deserialize)]
struct Order {
    order_id: String,
}

#[webhook_hooks]
impl Tools {
    #[tool("lookupOrder")]
    fn lookup(&self, args: Order) -> Result<ToolOutput, HandlerError> {
        let output = ToolOutput::text(format!("{} shipped", args.order_id))
            .with_spoken_message("Your order has shipped.")
            .with_metadata(metadata());
        Ok(output)
    }

    #[tool("bookAppointment")]
    fn book(&self, _args: Order) -> Result<String, HandlerError> {
        Err(HandlerError::msg("slot taken").with_spoken_message("That slot is taken."))
    }

    #[tool("cancelOrder")]
    fn cancel(&self, _args: Order) -> String {
        panic!("cancelling is not built yet")
    }
}

/// Posts `message` with `wire_type` to `router` and returns the JSON body
/// of its `200` reply.
async fn post(router: &axum::Router, wire_type: &str, fields: Value) -> Value {
    let mut message = fields;
    message["type"] = json!(wire_type);
    let request = Request::post("/")
        .header("content-type", "application/json")
        .body(Body::from(json!({ "message": message }).to_string()))
        .expect("request");
    let response = router.clone().oneshot(request).await.expect("response");
    assert_eq!(response.status(), StatusCode::OK, "{wire_type}");
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    serde_json::from_slice(&bytes).expect("JSON body")
}

fn tool_call(id: &str, name: &str, arguments: Value) -> Value {
    json!({"id": id, "type": "function", "function": {"name": name, "arguments": arguments}})
}

#[tokio::test]
async fn failure_replies_match_the_schema() {
    let router = WebhookRouter::builder(Failing)
        .auth(Auth::none())
        .build::<()>()
        .expect("router");
    let deliveries = [
        ("assistant-request", json!({})),
        (
            "tool-calls",
            json!({"toolCallList": [tool_call("call_1", "lookupOrder", json!({}))]}),
        ),
        ("transfer-destination-request", json!({})),
        ("handoff-destination-request", json!({})),
        ("knowledge-base-request", json!({"messages": []})),
        ("campaign.predial", json!({})),
    ];
    for (wire_type, fields) in deliveries {
        let body = post(&router, wire_type, fields).await;
        let schema = response_schema_of(wire_type)
            .unwrap_or_else(|| panic!("`{wire_type}` has a response schema"));
        assert_matches_schema(&schema, &format!("{wire_type} failure"), &body);
    }
}

/// One tool-calls message whose calls succeed, fail, panic, have no tool
/// or carry arguments of the wrong shape: every result fits the schema.
#[tokio::test]
async fn tool_results_match_the_schema() {
    let router = WebhookRouter::builder(Tools)
        .auth(Auth::none())
        .build::<()>()
        .expect("router");
    let order = json!({"order_id": "ORD-1001"});
    let calls = json!({"toolCallList": [
        tool_call("call_1", "lookupOrder", order.clone()),
        tool_call("call_2", "bookAppointment", order.clone()),
        tool_call("call_3", "cancelOrder", order),
        tool_call("call_4", "refundOrder", json!({})),
        tool_call("call_5", "lookupOrder", json!({"order_id": 42})),
    ]});
    let body = post(&router, "tool-calls", calls).await;
    assert_eq!(body["results"].as_array().map(Vec::len), Some(5), "{body}");
    assert_matches_schema("ServerMessageResponseToolCalls", "tool results", &body);
}

/// Returns the entries of one list of the message index, `serverMessages`
/// or `clientMessages`.
fn index_list_entries(list: &str) -> &'static [Value] {
    schemas().index[list]
        .as_array()
        .unwrap_or_else(|| panic!("the index has no list `{list}`"))
}

/// Returns the index entries of one kind of message, `serverMessages` or
/// `clientMessages`, as (wire types, response schema).
fn index_entries(kind: &str) -> Vec<(Vec<String>, Option<String>)> {
    index_list_entries(kind)
        .iter()
        .map(|entry| {
            let wire_types = serde_json::from_value(entry["wireTypes"].clone()).expect("wireTypes");
            let schema = entry["responseSchema"].as_str().map(str::to_owned);
            (wire_types, schema)
        })
        .collect()
}

fn response_schema_of(wire_type: &str) -> Option<String> {
    index_entries("serverMessages")
        .into_iter()
        .find(|(wire_types, _)| wire_types.iter().any(|wire| wire == wire_type))
        .and_then(|(_, schema)| schema)
}

/// The reply type sent for each response schema of the index.
const REPLY_OF_SCHEMA: &[(&str, &str)] = &[
    (
        "ServerMessageResponseAssistantRequest",
        "AssistantRequestReply",
    ),
    ("ServerMessageResponseToolCalls", "ToolCallsReply"),
    (
        "ServerMessageResponseTransferDestinationRequest",
        "TransferDestinationReply",
    ),
    (
        "ServerMessageResponseHandoffDestinationRequest",
        "HandoffDestinationReply",
    ),
    (
        "ServerMessageResponseKnowledgeBaseRequest",
        "KnowledgeBaseReply",
    ),
    ("ServerMessageResponseVoiceRequest", "VoiceReply"),
    (
        "ServerMessageResponseCallEndpointingRequest",
        "CallEndpointingReply",
    ),
    (
        "ServerMessageResponseCampaignPredial",
        "CampaignPredialReply",
    ),
];

/// Checks that every message of the index is in the catalogue. A server
/// event whose message has a response schema must reply with the matching
/// type, and one without a response schema with nothing.
#[test]
fn catalogue_matches_the_message_index() {
    for (namespace, kind) in [
        (Namespace::Server, "serverMessages"),
        (Namespace::Client, "clientMessages"),
    ] {
        for (wire_types, schema) in index_entries(kind) {
            for wire_type in &wire_types {
                let def = EVENTS
                    .iter()
                    .find(|def| {
                        def.namespace == namespace && def.wire_types.contains(&wire_type.as_str())
                    })
                    .unwrap_or_else(|| panic!("`{wire_type}` of {kind} is not in the catalogue"));
                if namespace == Namespace::Client {
                    continue;
                }
                let expected = match &schema {
                    Some(schema) => REPLY_OF_SCHEMA
                        .iter()
                        .find(|(name, _)| name == schema)
                        .map(|(_, reply)| *reply)
                        .unwrap_or_else(|| panic!("no reply type is paired with `{schema}`")),
                    None => "NoReply",
                };
                assert_eq!(def.reply, expected, "the reply type of `{wire_type}`");
            }
        }
    }
}

/// Fields the payload types read although the schema of their message or
/// object does not list them: (schema, wire name, reason).
const FIELDS_NOT_IN_SCHEMA: &[(&str, &str, &str)] = &[
    // Vapi sends these at the top level of an end-of-call report, next to
    // their places in `analysis` and `artifact`.
    (
        "ServerMessageEndOfCallReport",
        "durationSeconds",
        "sent by Vapi",
    ),
    ("ServerMessageEndOfCallReport", "durationMs", "sent by Vapi"),
    (
        "ServerMessageEndOfCallReport",
        "summary",
        "copy of analysis.summary",
    ),
    (
        "ServerMessageEndOfCallReport",
        "transcript",
        "copy of artifact.transcript",
    ),
    (
        "ServerMessageEndOfCallReport",
        "messages",
        "copy of artifact.messages",
    ),
    (
        "ServerMessageEndOfCallReport",
        "recordingUrl",
        "copy of artifact.recordingUrl",
    ),
    (
        "ServerMessageEndOfCallReport",
        "stereoRecordingUrl",
        "copy of artifact.stereoRecordingUrl",
    ),
];

/// The envelope fields that every message payload reads and that the
/// client message schemas leave out (the chat messages aside, which list
/// `chat`). Client messages are the server's messages passed on to the
/// browser, so they carry the same envelope.
const CLIENT_ENVELOPE_GAPS: &[&str] = &["chat", "artifact"];

/// Catalogue rows whose list of the index (server or client) has no
/// message schema: (namespace, wire type, reason).
const MESSAGES_WITHOUT_SCHEMA: &[(Namespace, &str, &str)] = &[
    (
        Namespace::Server,
        "function-call",
        "legacy, not in the schema",
    ),
    (
        Namespace::Server,
        "assistant.started",
        "only the client list has a schema, checked on the client row",
    ),
    (
        Namespace::Client,
        "status-update",
        "only the server list has a schema, checked on the server row",
    ),
    (
        Namespace::Client,
        "function-call",
        "legacy, not in the schema",
    ),
    (
        Namespace::Client,
        "function-call-result",
        "legacy, not in the schema",
    ),
    (Namespace::Client, "tool.completed", "not in the schema"),
];

/// Returns the properties of schema `name`, with those of every schema its
/// `oneOf`, `anyOf` or `allOf` names, so a payload type that reads several
/// variants (the phone number kinds, the message roles) is checked against
/// all of them. Returns `None` when the copy has no such schema.
fn properties_of(name: &str) -> Option<BTreeSet<String>> {
    let schema = schemas().document["components"]["schemas"].get(name)?;
    let mut properties: BTreeSet<String> = schema["properties"]
        .as_object()
        .map(|object| object.keys().cloned().collect())
        .unwrap_or_default();
    for combinator in ["oneOf", "anyOf", "allOf"] {
        let alternatives = schema[combinator].as_array().into_iter().flatten();
        for target in alternatives.filter_map(|alternative| alternative["$ref"].as_str()) {
            let referenced = target.trim_start_matches("#/components/schemas/");
            properties.extend(properties_of(referenced).unwrap_or_default());
        }
    }
    Some(properties)
}

/// Returns the wire names of `fields` that no schema of `names` lists and
/// neither `FIELDS_NOT_IN_SCHEMA` nor `excused` excuses.
fn unknown_wire_names(names: &[&str], fields: &[&str], excused: &[&str]) -> Vec<String> {
    let mut known = BTreeSet::new();
    for name in names {
        let properties =
            properties_of(name).unwrap_or_else(|| panic!("no schema `{name}` in the OpenAPI copy"));
        known.extend(properties);
    }
    fields
        .iter()
        .filter(|field| !known.contains(**field) && !excused.contains(*field))
        .filter(|field| {
            !FIELDS_NOT_IN_SCHEMA
                .iter()
                .any(|(schema, wire, _)| names.contains(schema) && wire == *field)
        })
        .map(|field| field.to_string())
        .collect()
}

/// Returns the index's list of messages for `namespace`.
fn index_list(namespace: Namespace) -> &'static str {
    match namespace {
        Namespace::Server => "serverMessages",
        Namespace::Client => "clientMessages",
    }
}

/// Returns the message schemas of `wire_type` in the list of `namespace`.
fn message_schemas(namespace: Namespace, wire_type: &str) -> Vec<String> {
    index_list_entries(index_list(namespace))
        .iter()
        .filter(|entry| {
            entry["wireTypes"]
                .as_array()
                .is_some_and(|wires| wires.iter().any(|wire| wire == wire_type))
        })
        .filter_map(|entry| entry["schema"].as_str().map(str::to_owned))
        .collect()
}

/// Declares `MESSAGE_PAYLOADS`: each catalogue row as (namespace, wire
/// types, wire names of its payload).
macro_rules! payload_wire_names {
    ($(
        $variant:ident : $namespace:ident . $method:ident [ $($wire:literal),+ ]
            => $($payload:ident)::+ -> $reply:ident;
    )*) => {
        const MESSAGE_PAYLOADS: &[(Namespace, &[&str], &[&str])] = &[$(
            (
                Namespace::$namespace,
                &[$($wire),+],
                <webhook_axum::events::$($payload)::+ as WireNames>::WIRE_NAMES,
            ),
        )*];
    };
}

webhook_catalogue::for_each_event!(payload_wire_names);

#[test]
fn message_fields_match_the_schemas() {
    for (namespace, wire_types, fields) in MESSAGE_PAYLOADS {
        let names: BTreeSet<String> = wire_types
            .iter()
            .flat_map(|wire_type| message_schemas(*namespace, wire_type))
            .collect();
        if names.is_empty() {
            for wire_type in *wire_types {
                assert!(
                    MESSAGES_WITHOUT_SCHEMA
                        .iter()
                        .any(|(listed, wire, _)| listed == namespace && wire == wire_type),
                    "`{wire_type}` has no message schema in {}",
                    index_list(*namespace)
                );
            }
            continue;
        }
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let excused = match namespace {
            Namespace::Server => &[][..],
            Namespace::Client => CLIENT_ENVELOPE_GAPS,
        };
        let unknown = unknown_wire_names(&names, fields, excused);
        assert!(
            unknown.is_empty(),
            "{wire_types:?} reads {unknown:?}, which {names:?} do not list"
        );
    }
}

/// An excuse for a field the schema has come to list would hide a
/// misspelling later, so each must still be needed.
#[test]
fn excused_fields_are_still_missing() {
    let client_schemas: Vec<&str> = index_list_entries("clientMessages")
        .iter()
        .filter_map(|entry| entry["schema"].as_str())
        .collect();
    for wire in CLIENT_ENVELOPE_GAPS {
        assert!(
            client_schemas
                .iter()
                .any(|schema| !properties_of(schema).unwrap_or_default().contains(*wire)),
            "every client message schema lists `{wire}` now: remove it from CLIENT_ENVELOPE_GAPS"
        );
    }

    for (schema, wire, reason) in FIELDS_NOT_IN_SCHEMA {
        let properties = properties_of(schema)
            .unwrap_or_else(|| panic!("no schema `{schema}` in the OpenAPI copy"));
        assert!(
            !properties.contains(*wire),
            "`{schema}` lists `{wire}` now ({reason}): remove its entry"
        );
    }
}

#[test]
fn nested_object_fields_match_the_schemas() {
    use webhook_axum::events::{
        Analysis, Artifact, ArtifactMessage, Call, Cost, Customer, MonoRecording, PhoneNumber,
        Recording, ToolCall, ToolCallFunction,
    };

    // Messages type `phoneNumber` as the create DTOs, which have no `id`.
    // The saved number's schemas add it, and deliveries carry it.
    let mut phone_numbers = variants_of("ServerMessageStatusUpdate", "phoneNumber");
    phone_numbers.extend([
        "ByoPhoneNumber",
        "TelnyxPhoneNumber",
        "TwilioPhoneNumber",
        "VapiPhoneNumber",
        "VonagePhoneNumber",
    ]);
    let messages = variants_of("Artifact", "messages");
    let costs = variants_of("Call", "costs");
    // `Chat` is among the schemas the copy leaves out, so it is not here.
    let objects: [(&str, &[&str], &[&str]); 11] = [
        ("Call", &["Call"], Call::WIRE_NAMES),
        ("Customer", &["CreateCustomerDTO"], Customer::WIRE_NAMES),
        ("PhoneNumber", &phone_numbers, PhoneNumber::WIRE_NAMES),
        ("Artifact", &["Artifact"], Artifact::WIRE_NAMES),
        ("ArtifactMessage", &messages, ArtifactMessage::WIRE_NAMES),
        ("Analysis", &["Analysis"], Analysis::WIRE_NAMES),
        ("Cost", &costs, Cost::WIRE_NAMES),
        ("Recording", &["Recording"], Recording::WIRE_NAMES),
        ("MonoRecording", &["Mono"], MonoRecording::WIRE_NAMES),
        ("ToolCall", &["ToolCall"], ToolCall::WIRE_NAMES),
        (
            "ToolCallFunction",
            &["ToolCallFunction"],
            ToolCallFunction::WIRE_NAMES,
        ),
    ];
    for (type_name, names, fields) in objects {
        assert!(!fields.is_empty(), "{type_name} reads no field");
        let unknown = unknown_wire_names(names, fields, &[]);
        assert!(
            unknown.is_empty(),
            "{type_name} reads {unknown:?}, which {names:?} do not list"
        );
    }
}

/// Returns the schemas that property `property` of schema `name` may hold,
/// or its items for an array: the targets of its `oneOf`.
fn variants_of(name: &str, property: &str) -> Vec<&'static str> {
    let property = &schemas().document["components"]["schemas"][name]["properties"][property];
    let one_of = property["oneOf"]
        .as_array()
        .or_else(|| property["items"]["oneOf"].as_array())
        .unwrap_or_else(|| panic!("`{name}.{property}` has no `oneOf`"));
    one_of
        .iter()
        .filter_map(|variant| variant["$ref"].as_str())
        .map(|target| target.trim_start_matches("#/components/schemas/"))
        .collect()
}

/// Returns the `enum` of property `property` of schema `name`, for each
/// name, merged.
fn enumerated(names: &[&str], property: &str) -> BTreeSet<String> {
    let mut values = BTreeSet::new();
    for name in names {
        let schema = &schemas().document["components"]["schemas"][*name];
        let listed = schema["properties"][property]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("`{name}.{property}` has no enum"));
        values.extend(listed.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    values
}

/// `MessageRole` is not here: the schemas type a message's `role` as a
/// plain string.
#[test]
fn open_enum_values_match_the_schemas() {
    use webhook_axum::events::{CallStatus, CostType, EndedReason};
    use webhook_axum::reply::{AssistantTransferMode, ControlAction};

    let costs = variants_of("Call", "costs");
    let enums: [(&str, &[&str], &str, &[&str]); 5] = [
        ("CallStatus", &["Call"], "status", CallStatus::WIRE_VALUES),
        (
            "EndedReason",
            &["Call"],
            "endedReason",
            EndedReason::WIRE_VALUES,
        ),
        ("CostType", &costs, "type", CostType::WIRE_VALUES),
        (
            "ControlAction",
            &["ClientInboundMessageControl"],
            "control",
            ControlAction::WIRE_VALUES,
        ),
        (
            "AssistantTransferMode",
            &["TransferDestinationAssistant"],
            "transferMode",
            AssistantTransferMode::WIRE_VALUES,
        ),
    ];
    for (type_name, names, property, values) in enums {
        assert!(!values.is_empty(), "{type_name} has no known value");
        let listed = enumerated(names, property);
        let unknown: Vec<&&str> = values
            .iter()
            .filter(|value| !listed.contains(**value))
            .collect();
        assert!(
            unknown.is_empty(),
            "{type_name} knows {unknown:?}, which `{property}` of {names:?} does not list"
        );
    }
}
