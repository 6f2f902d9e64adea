//! Typed replies: what a handler sends back to Vapi, and the HTTP reply the
//! adapter writes.
//!
//! Every reply type serialises camelCase and omits unset options, because
//! Vapi ignores snake_case keys and treats `null` differently from absence.
//! Constructors name the decision (`AssistantRequestReply::assistant_id`,
//! `TransferDestination::number`) so a handler reads like the call flow.

use bytes::Bytes;
use http::StatusCode;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

// The expansion of `open_enum!` names `Deserializer`, `Serializer` and
// `WireStr` unqualified, so they are imported here.
use crate::events::lenient::WireStr;
use crate::events::open_enum;

/// The reply type of events whose sender does not wait for a reply. The
/// adapter sends `200 {}`.
pub type NoReply = ();

/// The response the adapter writes: a status, a media type and the body bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpReply {
    /// HTTP status code.
    pub status: StatusCode,
    /// Value of the `Content-Type` header.
    pub content_type: &'static str,
    /// Response body.
    pub body: Bytes,
}

impl HttpReply {
    /// Builds a `200` reply with a JSON body.
    pub fn json(body: impl Into<Bytes>) -> Self {
        Self::json_with_status(StatusCode::OK, body)
    }

    /// Builds a JSON reply with the given status.
    pub fn json_with_status(status: StatusCode, body: impl Into<Bytes>) -> Self {
        HttpReply {
            status,
            content_type: "application/json",
            body: body.into(),
        }
    }

    /// Builds the `200 {}` reply sent for events that expect no reply.
    pub fn empty() -> Self {
        Self::json(Bytes::from_static(b"{}"))
    }

    /// Builds an error reply whose body is `{"error": message}`.
    pub fn error(status: StatusCode, message: &str) -> Self {
        let body = serde_json::to_vec(&ErrorBody { error: message })
            .unwrap_or_else(|_| b"{\"error\":\"internal error\"}".to_vec());
        Self::json_with_status(status, body)
    }

    /// Serialises a reply value as a `200` JSON reply.
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Self::json(body),
            Err(error) => {
                tracing::error!(target: "webhook::reply", %error, "reply could not be serialised");
                Self::error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "reply could not be serialised",
                )
            }
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
}

/// A reply value that a handler returns for its event.
///
/// Implemented for every reply type in the catalogue; the generated code uses
/// it to turn the handler's value into the HTTP reply.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a reply type of any webhook event",
    note = "each event has one reply type, listed in the `webhook_core` catalogue table"
)]
pub trait EventReply: Send + 'static {
    /// Converts the value into the bytes sent to the sender.
    fn into_http_reply(self) -> HttpReply;
}

impl EventReply for () {
    fn into_http_reply(self) -> HttpReply {
        HttpReply::empty()
    }
}

// ---------------------------------------------------------------------------
// assistant-request

/// The reply to `server.assistantRequest`: which assistant, squad or workflow
/// takes the call, or where to forward it, or why the call is refused.
///
/// Build it with one of the constructors, then optionally add overrides.
///
/// ```
/// use webhook_core::reply::AssistantRequestReply;
/// let reply = AssistantRequestReply::assistant_id("asst-0001")
///     .with_assistant_overrides(serde_json::json!({"variableValues": {"name": "Ada"}}));
/// assert_eq!(
///     serde_json::to_string(&reply).unwrap(),
///     r#"{"assistantId":"asst-0001","assistantOverrides":{"variableValues":{"name":"Ada"}}}"#
/// );
/// ```
///
/// Reading one, as when a fallback reply is loaded from configuration, is
/// strict: the object must set exactly one of `assistantId`, `assistant`,
/// `squadId`, `squad`, `workflowId`, `workflow`, `destination` and
/// `error`, may add the three override keys, and may contain no other key.
/// A key whose value is `null` counts as absent.
///
/// ```
/// use webhook_core::reply::AssistantRequestReply;
/// let both = serde_json::json!({"error": "closed", "assistantId": "asst-0001"});
/// assert!(serde_json::from_value::<AssistantRequestReply>(both).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "AssistantRequestFields")]
pub struct AssistantRequestReply {
    #[serde(flatten)]
    choice: AssistantChoice,
    #[serde(skip_serializing_if = "Option::is_none")]
    assistant_overrides: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    squad_overrides: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    workflow_overrides: Option<Value>,
}

/// The keys of an assistant-request reply as read, before the check that
/// exactly one choice is set.
///
/// `#[serde(flatten)]` on an enum would keep the first choice key it meets
/// and skip the others and any misspelled key, so a configured fallback
/// could silently differ from the file it was read from. Unknown keys are
/// rejected, unlike in payloads, because this type is read from
/// configuration, where a misspelled key is a mistake and not a new Vapi
/// field.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AssistantRequestFields {
    assistant_id: Option<String>,
    assistant: Option<Value>,
    squad_id: Option<String>,
    squad: Option<Value>,
    workflow_id: Option<String>,
    workflow: Option<Value>,
    destination: Option<ForwardDestination>,
    error: Option<String>,
    assistant_overrides: Option<Value>,
    squad_overrides: Option<Value>,
    workflow_overrides: Option<Value>,
}

/// The wire names of the choice keys, in the order errors list them.
const CHOICE_KEYS: &str = concat!(
    "`assistantId`, `assistant`, `squadId`, `squad`, `workflowId`, `workflow`, ",
    "`destination` or `error`"
);

impl TryFrom<AssistantRequestFields> for AssistantRequestReply {
    type Error = String;

    fn try_from(fields: AssistantRequestFields) -> Result<Self, String> {
        let candidates = [
            (
                "assistantId",
                fields.assistant_id.map(AssistantChoice::AssistantId),
            ),
            (
                "assistant",
                fields.assistant.map(AssistantChoice::Assistant),
            ),
            ("squadId", fields.squad_id.map(AssistantChoice::SquadId)),
            ("squad", fields.squad.map(AssistantChoice::Squad)),
            (
                "workflowId",
                fields.workflow_id.map(AssistantChoice::WorkflowId),
            ),
            ("workflow", fields.workflow.map(AssistantChoice::Workflow)),
            (
                "destination",
                fields
                    .destination
                    .map(|destination| AssistantChoice::Destination(Box::new(destination))),
            ),
            ("error", fields.error.map(AssistantChoice::Error)),
        ];
        let mut chosen: Vec<(&str, AssistantChoice)> = candidates
            .into_iter()
            .filter_map(|(key, choice)| Some((key, choice?)))
            .collect();

        if chosen.len() > 1 {
            let keys: Vec<String> = chosen.iter().map(|(key, _)| format!("`{key}`")).collect();
            return Err(format!(
                "an assistant-request reply sets {}, expected exactly one of {CHOICE_KEYS}",
                keys.join(" and ")
            ));
        }
        let Some((_, choice)) = chosen.pop() else {
            return Err(format!(
                "missing the choice of an assistant-request reply, expected one of {CHOICE_KEYS}"
            ));
        };

        Ok(AssistantRequestReply {
            choice,
            assistant_overrides: fields.assistant_overrides,
            squad_overrides: fields.squad_overrides,
            workflow_overrides: fields.workflow_overrides,
        })
    }
}

/// The one decision an assistant-request reply carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum AssistantChoice {
    /// A saved assistant, by id.
    AssistantId(String),
    /// An inline assistant configuration (Vapi's `CreateAssistantDTO`).
    Assistant(Value),
    /// A saved squad, by id.
    SquadId(String),
    /// An inline squad configuration.
    Squad(Value),
    /// A saved workflow, by id.
    WorkflowId(String),
    /// An inline workflow configuration.
    Workflow(Value),
    /// Forward the call without an assistant.
    Destination(Box<ForwardDestination>),
    /// Refuse the call; Vapi speaks or logs the message and hangs up.
    Error(String),
}

impl AssistantRequestReply {
    fn new(choice: AssistantChoice) -> Self {
        AssistantRequestReply {
            choice,
            assistant_overrides: None,
            squad_overrides: None,
            workflow_overrides: None,
        }
    }

    /// Answers with a saved assistant.
    pub fn assistant_id(id: impl Into<String>) -> Self {
        Self::new(AssistantChoice::AssistantId(id.into()))
    }

    /// Answers with an inline assistant configuration.
    pub fn assistant(config: Value) -> Self {
        Self::new(AssistantChoice::Assistant(config))
    }

    /// Answers with a saved squad.
    pub fn squad_id(id: impl Into<String>) -> Self {
        Self::new(AssistantChoice::SquadId(id.into()))
    }

    /// Answers with an inline squad configuration.
    pub fn squad(config: Value) -> Self {
        Self::new(AssistantChoice::Squad(config))
    }

    /// Answers with a saved workflow.
    pub fn workflow_id(id: impl Into<String>) -> Self {
        Self::new(AssistantChoice::WorkflowId(id.into()))
    }

    /// Answers with an inline workflow configuration.
    pub fn workflow(config: Value) -> Self {
        Self::new(AssistantChoice::Workflow(config))
    }

    /// Forwards the call to a number or SIP address instead of an assistant.
    ///
    /// ```
    /// use webhook_core::reply::{AssistantRequestReply, TransferDestination};
    /// let reply = AssistantRequestReply::transfer_to(TransferDestination::number("+15555550100"));
    /// ```
    ///
    /// Another assistant is not a destination Vapi accepts here, so it does
    /// not compile:
    ///
    /// ```compile_fail
    /// use webhook_core::reply::{AssistantRequestReply, TransferDestination};
    /// let reply = AssistantRequestReply::transfer_to(TransferDestination::assistant("billing"));
    /// ```
    pub fn transfer_to(destination: impl Into<ForwardDestination>) -> Self {
        Self::new(AssistantChoice::Destination(Box::new(destination.into())))
    }

    /// Refuses the call with a message.
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(AssistantChoice::Error(message.into()))
    }

    /// Adds assistant overrides (Vapi's `AssistantOverrides`) to the reply.
    #[must_use]
    pub fn with_assistant_overrides(mut self, overrides: Value) -> Self {
        self.assistant_overrides = Some(overrides);
        self
    }

    /// Adds squad overrides to the reply.
    #[must_use]
    pub fn with_squad_overrides(mut self, overrides: Value) -> Self {
        self.squad_overrides = Some(overrides);
        self
    }

    /// Adds workflow overrides to the reply.
    #[must_use]
    pub fn with_workflow_overrides(mut self, overrides: Value) -> Self {
        self.workflow_overrides = Some(overrides);
        self
    }

    /// Returns the decision this reply carries.
    pub fn choice(&self) -> &AssistantChoice {
        &self.choice
    }
}

impl EventReply for AssistantRequestReply {
    fn into_http_reply(self) -> HttpReply {
        HttpReply::from_serialize(&self)
    }
}

// ---------------------------------------------------------------------------
// transfer destinations

/// A transfer target: a phone number, a SIP address, or another assistant
/// of the same squad.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
#[non_exhaustive]
pub enum TransferDestination {
    /// A phone number (`"type": "number"`).
    Number(NumberDestination),
    /// A SIP URI (`"type": "sip"`).
    Sip(SipDestination),
    /// An assistant of the squad (`"type": "assistant"`).
    Assistant(AssistantDestination),
}

impl TransferDestination {
    /// Transfers to a phone number, in E.164 form unless
    /// [`NumberDestination::number_e164_check_enabled`] is set to `false`.
    /// Vapi's schema allows 3 to 40 characters, which is not checked here.
    pub fn number(number: impl Into<String>) -> NumberDestination {
        NumberDestination {
            number: number.into(),
            ..NumberDestination::default()
        }
    }

    /// Transfers to a SIP URI.
    pub fn sip(sip_uri: impl Into<String>) -> SipDestination {
        SipDestination {
            sip_uri: sip_uri.into(),
            ..SipDestination::default()
        }
    }

    /// Transfers to another assistant of the squad, by name.
    pub fn assistant(assistant_name: impl Into<String>) -> AssistantDestination {
        AssistantDestination {
            assistant_name: assistant_name.into(),
            ..AssistantDestination::default()
        }
    }
}

/// A phone-number destination (Vapi's `TransferDestinationNumber`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NumberDestination {
    /// The number to dial, 3 to 40 characters in Vapi's schema.
    pub number: String,
    /// Digits dialled after the call connects, 1 to 10 characters in
    /// Vapi's schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// The caller id shown to the transfer target, at most 40 characters in
    /// Vapi's schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller_id: Option<String>,
    /// Whether Vapi checks that `number` is in E.164 form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_e164_check_enabled: Option<bool>,
    /// What the assistant says before transferring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The transfer plan (blind, warm, with a summary, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_plan: Option<TransferPlan>,
    /// A description the model reads to choose among destinations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A SIP destination (Vapi's `TransferDestinationSip`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SipDestination {
    /// The SIP URI to dial.
    pub sip_uri: String,
    /// The caller id shown to the transfer target, at most 40 characters in
    /// Vapi's schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller_id: Option<String>,
    /// Extra SIP headers sent with the transfer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sip_headers: Option<Map<String, Value>>,
    /// What the assistant says before transferring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The transfer plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_plan: Option<TransferPlan>,
    /// A description the model reads to choose among destinations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// An assistant destination (Vapi's `TransferDestinationAssistant`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssistantDestination {
    /// The name of the assistant in the squad.
    pub assistant_name: String,
    /// The handling of the conversation history. Vapi uses
    /// `rolling-history` when it is not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_mode: Option<AssistantTransferMode>,
    /// What the assistant says before transferring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// A description the model reads to choose among destinations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

open_enum! {
    /// The handling of the conversation history when the call moves to
    /// another assistant (`transferMode` of Vapi's
    /// `TransferDestinationAssistant`).
    pub enum AssistantTransferMode {
        /// Keeps the history and appends the new assistant's system message.
        RollingHistory = "rolling-history",
        /// Replaces the original system message with the new assistant's.
        SwapSystemMessageInHistory = "swap-system-message-in-history",
        /// Replaces the system message and removes the transfer tool's
        /// messages from the history sent to the model.
        SwapSystemMessageInHistoryAndRemoveTransferToolMessages =
            "swap-system-message-in-history-and-remove-transfer-tool-messages",
        /// Deletes the history.
        DeleteHistory = "delete-history",
    }
}

/// How a transfer is carried out (Vapi's `TransferPlan`). The mode and the
/// summary plan are typed; every other field of the plan goes in `extra`.
///
/// An `extra` entry named like a typed field that is set (`mode`, always
/// set, `message`, `summaryPlan`) is not sent, so the typed value is the
/// one Vapi reads.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferPlan {
    /// The transfer mode, e.g. `blind-transfer` or `warm-transfer-say-summary`.
    pub mode: String,
    /// What is said to the transfer target in warm modes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Whether and how a call summary is given to the transfer target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_plan: Option<SummaryPlan>,
    /// Further transfer-plan fields, sent as given.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl TransferPlan {
    /// Builds a plan with the given mode, e.g. `warm-transfer-say-summary`.
    pub fn mode(mode: impl Into<String>) -> Self {
        TransferPlan {
            mode: mode.into(),
            ..TransferPlan::default()
        }
    }

    /// Enables the call summary for the transfer target.
    #[must_use]
    pub fn with_summary(mut self) -> Self {
        self.summary_plan = Some(SummaryPlan {
            enabled: Some(true),
            ..SummaryPlan::default()
        });
        self
    }
}

/// The summary given to a transfer target (Vapi's `SummaryPlan`).
///
/// An `extra` entry named `enabled` is not sent when `enabled` is set, so
/// the typed value is the one Vapi reads.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryPlan {
    /// Whether the summary is generated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Further summary-plan fields (prompt messages, timeout), sent as given.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// Written by hand because `#[serde(flatten)]` would also write an `extra`
// key that repeats a typed field, and Vapi would read that second copy.
impl Serialize for TransferPlan {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;

        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("mode", &self.mode)?;
        if let Some(message) = &self.message {
            map.serialize_entry("message", message)?;
        }
        if let Some(summary_plan) = &self.summary_plan {
            map.serialize_entry("summaryPlan", summary_plan)?;
        }
        for (key, value) in &self.extra {
            let typed = match key.as_str() {
                "mode" => true,
                "message" => self.message.is_some(),
                "summaryPlan" => self.summary_plan.is_some(),
                _ => false,
            };
            if !typed {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

impl Serialize for SummaryPlan {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;

        let mut map = serializer.serialize_map(None)?;
        if let Some(enabled) = self.enabled {
            map.serialize_entry("enabled", &enabled)?;
        }
        for (key, value) in &self.extra {
            if key != "enabled" || self.enabled.is_none() {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

macro_rules! destination_builders {
    ($($ty:ident),*) => {$(
        impl $ty {
            /// Sets what the assistant says before transferring.
            #[must_use]
            pub fn with_message(mut self, message: impl Into<String>) -> Self {
                self.message = Some(message.into());
                self
            }

            /// Sets the description the model reads to choose a destination.
            #[must_use]
            pub fn with_description(mut self, description: impl Into<String>) -> Self {
                self.description = Some(description.into());
                self
            }
        }
    )*};
}
destination_builders!(NumberDestination, SipDestination, AssistantDestination);

impl NumberDestination {
    /// Sets the transfer plan.
    #[must_use]
    pub fn with_transfer_plan(mut self, plan: TransferPlan) -> Self {
        self.transfer_plan = Some(plan);
        self
    }

    /// Sets the caller id shown to the transfer target. Vapi's schema allows
    /// at most 40 characters, which is not checked here.
    #[must_use]
    pub fn with_caller_id(mut self, caller_id: impl Into<String>) -> Self {
        self.caller_id = Some(caller_id.into());
        self
    }

    /// Sets digits dialled after the call connects. Vapi's schema allows 1
    /// to 10 characters, which is not checked here.
    #[must_use]
    pub fn with_extension(mut self, extension: impl Into<String>) -> Self {
        self.extension = Some(extension.into());
        self
    }

    /// Sets whether Vapi checks that the number is in E.164 form.
    #[must_use]
    pub fn with_e164_check(mut self, enabled: bool) -> Self {
        self.number_e164_check_enabled = Some(enabled);
        self
    }
}

impl AssistantDestination {
    /// Sets what happens to the conversation history, e.g.
    /// [`AssistantTransferMode::DeleteHistory`]. A string works too, and one
    /// this version does not know is sent as written.
    #[must_use]
    pub fn with_transfer_mode(mut self, mode: impl Into<AssistantTransferMode>) -> Self {
        self.transfer_mode = Some(mode.into());
        self
    }
}

impl SipDestination {
    /// Sets the transfer plan.
    #[must_use]
    pub fn with_transfer_plan(mut self, plan: TransferPlan) -> Self {
        self.transfer_plan = Some(plan);
        self
    }

    /// Sets the caller id shown to the transfer target. Vapi's schema allows
    /// at most 40 characters, which is not checked here.
    #[must_use]
    pub fn with_caller_id(mut self, caller_id: impl Into<String>) -> Self {
        self.caller_id = Some(caller_id.into());
        self
    }
}

/// A phone number or SIP address: where an assistant-request reply
/// forwards a call without an assistant, or where a client `transfer`
/// message sends it. Vapi's schema allows no assistant in either place,
/// unlike [`TransferDestination`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
#[non_exhaustive]
pub enum ForwardDestination {
    /// A phone number (`"type": "number"`).
    Number(NumberDestination),
    /// A SIP URI (`"type": "sip"`).
    Sip(SipDestination),
}

impl From<NumberDestination> for ForwardDestination {
    fn from(destination: NumberDestination) -> Self {
        ForwardDestination::Number(destination)
    }
}

impl From<SipDestination> for ForwardDestination {
    fn from(destination: SipDestination) -> Self {
        ForwardDestination::Sip(destination)
    }
}

impl From<NumberDestination> for TransferDestination {
    fn from(destination: NumberDestination) -> Self {
        TransferDestination::Number(destination)
    }
}

impl From<SipDestination> for TransferDestination {
    fn from(destination: SipDestination) -> Self {
        TransferDestination::Sip(destination)
    }
}

impl From<AssistantDestination> for TransferDestination {
    fn from(destination: AssistantDestination) -> Self {
        TransferDestination::Assistant(destination)
    }
}

// ---------------------------------------------------------------------------
// transfer-destination-request

/// The reply to `server.transferDestinationRequest`: where to transfer, or
/// why not.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferDestinationReply {
    /// The transfer target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<TransferDestination>,
    /// A message spoken to the caller (Vapi's `ToolMessage*` object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Value>,
    /// Why no transfer happens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl TransferDestinationReply {
    /// Transfers to the given destination.
    pub fn transfer_to(destination: impl Into<TransferDestination>) -> Self {
        TransferDestinationReply {
            destination: Some(destination.into()),
            ..Self::default()
        }
    }

    /// Declines the transfer with a reason.
    pub fn error(message: impl Into<String>) -> Self {
        TransferDestinationReply {
            error: Some(message.into()),
            ..Self::default()
        }
    }

    /// Speaks `content` to the caller when the transfer starts. Vapi's
    /// schema allows at most 1000 characters, which is not checked here.
    #[must_use]
    pub fn with_spoken_message(mut self, content: impl Into<String>) -> Self {
        self.message = Some(serde_json::json!({
            "type": "request-start",
            "content": content.into(),
        }));
        self
    }
}

impl EventReply for TransferDestinationReply {
    fn into_http_reply(self) -> HttpReply {
        HttpReply::from_serialize(&self)
    }
}

// ---------------------------------------------------------------------------
// tool-calls

/// The reply to `server.toolCalls`: one result per tool call, in request
/// order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ToolCallsReply {
    /// One entry per tool call of the message.
    pub results: Vec<ToolCallResult>,
}

impl ToolCallsReply {
    /// Builds the reply from results given in request order.
    pub fn new(results: Vec<ToolCallResult>) -> Self {
        ToolCallsReply { results }
    }
}

impl EventReply for ToolCallsReply {
    fn into_http_reply(self) -> HttpReply {
        HttpReply::from_serialize(&self)
    }
}

/// The answer to one tool call (Vapi's `ToolCallResult`).
///
/// Build one with [`success`](Self::success) or [`failure`](Self::failure),
/// so it carries a `result` or an `error`. An entry with neither gives the
/// model nothing to read, so the receiver adds an `error` to such an entry
/// from an `#[on(server.toolCalls)]` handler.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ToolCallResult {
    /// The id of the tool call this answers, exactly as received.
    pub tool_call_id: String,
    /// The tool's name, as in the call. Vapi's schema requires it, so it is
    /// always sent, empty when the call named no tool. A `null` reads as
    /// empty.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub name: String,
    /// The text the model reads on success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// The text the model reads on failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// A message spoken to the caller (Vapi's `ToolMessageComplete` or
    /// `ToolMessageFailed` object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Value>,
    /// Data stored with the result and not shown to the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
}

impl ToolCallResult {
    /// Builds a successful result.
    pub fn success(
        tool_call_id: impl Into<String>,
        name: impl Into<String>,
        result: impl Into<String>,
    ) -> Self {
        ToolCallResult {
            tool_call_id: tool_call_id.into(),
            name: name.into(),
            result: Some(result.into()),
            error: None,
            message: None,
            metadata: None,
        }
    }

    /// Builds a failed result.
    pub fn failure(
        tool_call_id: impl Into<String>,
        name: impl Into<String>,
        error: impl Into<String>,
    ) -> Self {
        ToolCallResult {
            tool_call_id: tool_call_id.into(),
            name: name.into(),
            result: None,
            error: Some(error.into()),
            message: None,
            metadata: None,
        }
    }

    /// Attaches a message spoken to the caller: Vapi speaks `content` as a
    /// `request-complete` message on success or `request-failed` on failure.
    /// Vapi's schema allows at most 1000 characters, which is not checked here.
    #[must_use]
    pub fn with_spoken_message(mut self, content: impl Into<String>) -> Self {
        let kind = if self.error.is_some() {
            "request-failed"
        } else {
            "request-complete"
        };
        self.message = Some(serde_json::json!({ "type": kind, "content": content.into() }));
        self
    }

    /// Attaches metadata stored with the result.
    #[must_use]
    pub fn with_metadata(mut self, metadata: Map<String, Value>) -> Self {
        self.metadata = Some(metadata);
        self
    }
}

// ---------------------------------------------------------------------------
// handoff-destination-request

/// The reply to `server.handoffDestinationRequest`: the assistant or squad
/// the call is handed to, or why not.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HandoffDestinationReply {
    /// The handoff destination (Vapi's `HandoffDestination*` object, e.g.
    /// `{"type": "assistant", "assistantName": "billing"}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<Value>,
    /// Text the model reads as the handoff tool's result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// Why no handoff happens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl HandoffDestinationReply {
    /// Hands the call to the given destination object.
    pub fn hand_off_to(destination: Value) -> Self {
        HandoffDestinationReply {
            destination: Some(destination),
            ..Self::default()
        }
    }

    /// Hands the call to another assistant of the squad, by name.
    pub fn hand_off_to_assistant(assistant_name: impl Into<String>) -> Self {
        Self::hand_off_to(serde_json::json!({
            "type": "assistant",
            "assistantName": assistant_name.into(),
        }))
    }

    /// Declines the handoff with a reason.
    pub fn error(message: impl Into<String>) -> Self {
        HandoffDestinationReply {
            error: Some(message.into()),
            ..Self::default()
        }
    }

    /// Sets the text the model reads as the tool's result.
    #[must_use]
    pub fn with_result(mut self, result: impl Into<String>) -> Self {
        self.result = Some(result.into());
        self
    }
}

// ---------------------------------------------------------------------------
// knowledge-base-request

/// The reply to `server.knowledgeBaseRequest`: documents for the model to
/// read, or a message to speak instead.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeBaseReply {
    /// Documents relevant to the conversation, most relevant first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<KnowledgeBaseDocument>,
    /// A message spoken in place of a model answer (Vapi's `CustomMessage`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Value>,
}

/// One document of a knowledge-base reply (Vapi's
/// `KnowledgeBaseResponseDocument`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KnowledgeBaseDocument {
    /// The document's text.
    pub content: String,
    /// The relevance score, on the retriever's own scale (cosine, BM25, dot
    /// product), because Vapi's schema sets no range. A finite score is sent
    /// as is, and a non-finite one is replaced as
    /// [`KnowledgeBaseDocument::new`] describes.
    #[serde(serialize_with = "serialize_similarity")]
    pub similarity: f64,
    /// The document's id in the user's store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
}

impl KnowledgeBaseReply {
    /// Answers with documents.
    pub fn documents(documents: Vec<KnowledgeBaseDocument>) -> Self {
        KnowledgeBaseReply {
            documents,
            message: None,
        }
    }

    /// Answers with a message that the assistant speaks as is, in place of
    /// a model answer (Vapi's `CustomMessage`, `"type": "custom-message"`).
    /// Vapi's schema allows at most 1000 characters, which is not checked here.
    pub fn say(content: impl Into<String>) -> Self {
        KnowledgeBaseReply {
            documents: Vec::new(),
            message: Some(serde_json::json!({
                "type": "custom-message",
                "content": content.into(),
            })),
        }
    }
}

impl KnowledgeBaseDocument {
    /// Builds a document with its relevance score, on any scale.
    ///
    /// A finite `similarity` is kept unchanged. Positive infinity becomes
    /// `f64::MAX`, and negative infinity and NaN become `f64::MIN`, because
    /// JSON cannot carry them and serde_json would send `null`. These are
    /// the nearest finite values, so scores keep their order, and a NaN
    /// ranks lowest.
    pub fn new(content: impl Into<String>, similarity: f64) -> Self {
        KnowledgeBaseDocument {
            content: content.into(),
            similarity: finite_score(similarity),
            uuid: None,
        }
    }
}

// ---------------------------------------------------------------------------
// call.endpointing.request, campaign.predial, function-call

/// The reply to `server.callEndpointingRequest`: how long to wait after the
/// caller stops before the assistant answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallEndpointingReply {
    /// The wait in seconds. It is sent within 0 to
    /// [`MAX_SECONDS`](Self::MAX_SECONDS), and as 0 when it is not a finite
    /// number.
    #[serde(serialize_with = "serialize_endpointing_wait")]
    pub timeout_seconds: f64,
}

/// Reads a string that may be `null`, as empty.
fn null_as_empty<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.unwrap_or_default())
}

/// Keeps `value` within `min..=max`, and makes NaN and infinities `min`,
/// because JSON has no such numbers and serde_json would send `null`.
fn within(value: f64, min: f64, max: f64) -> f64 {
    if value.is_finite() {
        value.clamp(min, max)
    } else {
        min
    }
}

/// Keeps a finite score, and makes infinities the largest finite value of
/// their sign and NaN the lowest, so the score can be sent as JSON.
fn finite_score(value: f64) -> f64 {
    if value.is_finite() {
        value
    } else if value == f64::INFINITY {
        f64::MAX
    } else {
        f64::MIN
    }
}

fn serialize_similarity<S: serde::Serializer>(
    value: &f64,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(finite_score(*value))
}

fn serialize_endpointing_wait<S: serde::Serializer>(
    value: &f64,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(within(*value, 0.0, CallEndpointingReply::MAX_SECONDS))
}

impl CallEndpointingReply {
    /// The maximum wait in Vapi's schema, in seconds.
    pub const MAX_SECONDS: f64 = 15.0;

    /// Waits this many seconds, kept between 0 and
    /// [`MAX_SECONDS`](Self::MAX_SECONDS) as Vapi's schema requires.
    ///
    /// A negative, infinite or NaN wait becomes 0, because JSON has no
    /// infinity or NaN and serde_json would send `null`.
    pub fn wait_seconds(timeout_seconds: f64) -> Self {
        CallEndpointingReply {
            timeout_seconds: within(timeout_seconds, 0.0, Self::MAX_SECONDS),
        }
    }
}

/// The reply to `server.campaignPredial`: whether the campaign may dial the
/// contact.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignPredialReply {
    /// `true` to dial, `false` to skip the contact.
    pub eligible: bool,
}

impl CampaignPredialReply {
    /// Lets the campaign dial the contact.
    pub fn dial() -> Self {
        CampaignPredialReply { eligible: true }
    }

    /// Skips the contact.
    pub fn skip() -> Self {
        CampaignPredialReply { eligible: false }
    }
}

/// The reply to the legacy `server.functionCall`: the text the model reads.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FunctionCallReply {
    /// The function's result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// Why the function failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl FunctionCallReply {
    /// Answers with a result.
    pub fn result(result: impl Into<String>) -> Self {
        FunctionCallReply {
            result: Some(result.into()),
            error: None,
        }
    }

    /// Answers with an error.
    pub fn error(message: impl Into<String>) -> Self {
        FunctionCallReply {
            result: None,
            error: Some(message.into()),
        }
    }
}

macro_rules! json_replies {
    ($($reply:ty),* $(,)?) => {$(
        impl EventReply for $reply {
            fn into_http_reply(self) -> HttpReply {
                HttpReply::from_serialize(&self)
            }
        }
    )*};
}

json_replies!(
    HandoffDestinationReply,
    KnowledgeBaseReply,
    CallEndpointingReply,
    CampaignPredialReply,
    FunctionCallReply,
);

// ---------------------------------------------------------------------------
// voice-request

/// The reply to `server.voiceRequest`: raw audio, sent as the response body
/// with `Content-Type: application/octet-stream`, not as JSON.
///
/// The audio is signed 16-bit little-endian mono PCM at the sample rate the
/// request asked for (`VoiceRequest::sample_rate`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VoiceReply {
    pcm: Bytes,
}

impl VoiceReply {
    /// Wraps audio that is already 16-bit little-endian mono PCM bytes.
    pub fn pcm16_le(bytes: impl Into<Bytes>) -> Self {
        VoiceReply { pcm: bytes.into() }
    }

    /// Encodes samples as 16-bit little-endian mono PCM.
    pub fn from_samples(samples: &[i16]) -> Self {
        let bytes: Vec<u8> = samples
            .iter()
            .flat_map(|sample| sample.to_le_bytes())
            .collect();
        VoiceReply { pcm: bytes.into() }
    }

    /// Returns the PCM bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.pcm
    }
}

impl EventReply for VoiceReply {
    fn into_http_reply(self) -> HttpReply {
        HttpReply {
            status: StatusCode::OK,
            content_type: "application/octet-stream",
            body: self.pcm,
        }
    }
}

// ---------------------------------------------------------------------------
// client messages sent back

/// The reply to a client event: an optional message the front end passes
/// back to the call through Vapi's web SDK (`vapi.send(...)`).
pub type ClientReply = Option<ClientInboundMessage>;

impl EventReply for Option<ClientInboundMessage> {
    fn into_http_reply(self) -> HttpReply {
        match self {
            Some(message) => HttpReply::from_serialize(&message),
            None => HttpReply::empty(),
        }
    }
}

/// A message sent into a live call from the client side (Vapi's
/// `ClientInboundMessage*`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ClientInboundMessage {
    /// Adds a message to the conversation (`add-message`).
    #[serde(rename_all = "camelCase")]
    AddMessage {
        /// The OpenAI-format message, e.g. `{"role": "system", "content": "..."}`.
        message: Value,
        /// Whether the assistant responds right away.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trigger_response_enabled: Option<bool>,
    },
    /// Mutes or unmutes a side, or makes the assistant say its first message
    /// (`control`).
    Control {
        /// The action.
        control: ControlAction,
    },
    /// Makes the assistant say something (`say`).
    #[serde(rename_all = "camelCase")]
    Say {
        /// What to say.
        content: String,
        /// Whether the call ends after it is spoken.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        end_call_after_spoken: Option<bool>,
        /// Whether the caller may interrupt.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        interruptions_enabled: Option<bool>,
        /// Whether the message replaces what the assistant is saying. Vapi
        /// uses `false` when it is not set.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        interrupt_assistant_enabled: Option<bool>,
    },
    /// Ends the call (`end-call`).
    EndCall,
    /// Sends a message over the call's transport, e.g. a SIP `INFO`
    /// (`send-transport-message`).
    SendTransportMessage {
        /// The transport message, as Vapi defines it per transport.
        message: Value,
    },
    /// Transfers the call (`transfer`).
    Transfer {
        /// The transfer target, a number or SIP address, because Vapi's
        /// schema allows no assistant here.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        destination: Option<Box<ForwardDestination>>,
        /// What to say before transferring.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        content: Option<String>,
    },
}

impl ClientInboundMessage {
    /// Makes the assistant say `content`.
    pub fn say(content: impl Into<String>) -> Self {
        ClientInboundMessage::Say {
            content: content.into(),
            end_call_after_spoken: None,
            interruptions_enabled: None,
            interrupt_assistant_enabled: None,
        }
    }

    /// Sets whether a `say` message replaces what the assistant is saying.
    /// Other message types are returned unchanged.
    #[must_use]
    pub fn with_interrupt_assistant(mut self, enabled: bool) -> Self {
        if let ClientInboundMessage::Say {
            interrupt_assistant_enabled,
            ..
        } = &mut self
        {
            *interrupt_assistant_enabled = Some(enabled);
        }
        self
    }

    /// Sets whether the caller may interrupt a `say` message. Other message
    /// types are returned unchanged.
    #[must_use]
    pub fn with_interruptions(mut self, enabled: bool) -> Self {
        if let ClientInboundMessage::Say {
            interruptions_enabled,
            ..
        } = &mut self
        {
            *interruptions_enabled = Some(enabled);
        }
        self
    }

    /// Sets whether the call ends once a `say` message is spoken. Other
    /// message types are returned unchanged.
    #[must_use]
    pub fn with_end_call_after_spoken(mut self, enabled: bool) -> Self {
        if let ClientInboundMessage::Say {
            end_call_after_spoken,
            ..
        } = &mut self
        {
            *end_call_after_spoken = Some(enabled);
        }
        self
    }

    /// Adds a system message to the conversation.
    pub fn add_system_message(content: impl Into<String>) -> Self {
        ClientInboundMessage::AddMessage {
            message: serde_json::json!({ "role": "system", "content": content.into() }),
            trigger_response_enabled: None,
        }
    }

    /// Sends a control action, e.g. [`ControlAction::MuteAssistant`]. A
    /// string such as `"mute-assistant"` works too, and one this version
    /// does not know is sent as written.
    pub fn control(control: impl Into<ControlAction>) -> Self {
        ClientInboundMessage::Control {
            control: control.into(),
        }
    }

    /// Ends the call.
    pub fn end_call() -> Self {
        ClientInboundMessage::EndCall
    }

    /// Transfers the call to a number or SIP address.
    ///
    /// ```
    /// use webhook_core::reply::{ClientInboundMessage, TransferDestination};
    /// let desk = TransferDestination::sip("sip:desk@example.invalid");
    /// let message = ClientInboundMessage::transfer(desk);
    /// ```
    ///
    /// Another assistant is not a destination Vapi accepts here, so it does
    /// not compile:
    ///
    /// ```compile_fail
    /// use webhook_core::reply::{ClientInboundMessage, TransferDestination};
    /// let message = ClientInboundMessage::transfer(TransferDestination::assistant("billing"));
    /// ```
    pub fn transfer(destination: impl Into<ForwardDestination>) -> Self {
        ClientInboundMessage::Transfer {
            destination: Some(Box::new(destination.into())),
            content: None,
        }
    }
}

open_enum! {
    /// The action of a client `control` message (Vapi's
    /// `ClientInboundMessageControl.control`).
    pub enum ControlAction {
        /// Mutes the assistant.
        MuteAssistant = "mute-assistant",
        /// Unmutes the assistant.
        UnmuteAssistant = "unmute-assistant",
        /// Mutes the caller.
        MuteCustomer = "mute-customer",
        /// Unmutes the caller.
        UnmuteCustomer = "unmute-customer",
        /// Makes the assistant say its first message, for calls with video
        /// recording that start only once the client starts recording.
        SayFirstMessage = "say-first-message",
    }
}

// `open_enum!` converts from `&str`. These keep `String` arguments working,
// as they did when the fields were strings.
impl From<String> for ControlAction {
    fn from(value: String) -> Self {
        match ControlAction::from(value.as_str()) {
            ControlAction::Other(_) => ControlAction::Other(value),
            known => known,
        }
    }
}

impl From<String> for AssistantTransferMode {
    fn from(value: String) -> Self {
        match AssistantTransferMode::from(value.as_str()) {
            AssistantTransferMode::Other(_) => AssistantTransferMode::Other(value),
            known => known,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn wire(value: &impl Serialize) -> Value {
        serde_json::to_value(value).expect("reply serialises")
    }

    #[test]
    fn assistant_reply_carries_one_choice() {
        assert_eq!(
            wire(&AssistantRequestReply::assistant_id("asst-1")),
            json!({"assistantId": "asst-1"})
        );
        assert_eq!(
            wire(&AssistantRequestReply::error("closed")),
            json!({"error": "closed"})
        );
        assert_eq!(
            wire(&AssistantRequestReply::transfer_to(
                TransferDestination::number("+15555550100")
            )),
            json!({"destination": {"type": "number", "number": "+15555550100"}})
        );
        assert_eq!(
            wire(&AssistantRequestReply::transfer_to(
                TransferDestination::sip("sip:desk@example.invalid")
            )),
            json!({"destination": {"type": "sip", "sipUri": "sip:desk@example.invalid"}})
        );
    }

    #[test]
    fn assistant_reply_reads_back_from_config() {
        let reply: AssistantRequestReply =
            serde_json::from_value(json!({"assistantId": "asst-fallback"})).expect("valid");
        assert_eq!(reply, AssistantRequestReply::assistant_id("asst-fallback"));
    }

    #[test]
    fn assistant_reply_reads_back_each_choice() {
        let replies = [
            AssistantRequestReply::assistant_id("asst-1"),
            AssistantRequestReply::assistant(json!({"name": "Front desk"})),
            AssistantRequestReply::squad_id("squad-1"),
            AssistantRequestReply::squad(json!({"members": []})),
            AssistantRequestReply::workflow_id("flow-1"),
            AssistantRequestReply::workflow(json!({"nodes": []})),
            AssistantRequestReply::transfer_to(TransferDestination::number("+15555550100")),
            AssistantRequestReply::error("closed"),
            AssistantRequestReply::squad_id("squad-1")
                .with_assistant_overrides(json!({"variableValues": {"name": "Ada"}}))
                .with_squad_overrides(json!({"firstMessage": "Hi"}))
                .with_workflow_overrides(json!({"variableValues": {}})),
        ];
        for reply in replies {
            let read = serde_json::from_value::<AssistantRequestReply>(wire(&reply));
            assert_eq!(read.ok(), Some(reply));
        }
    }

    #[test]
    fn assistant_reply_rejects_two_choices() {
        for config in [
            json!({"error": "closed", "assistantId": "asst-1"}),
            json!({"assistantId": "asst-1", "error": "closed"}),
        ] {
            let error = serde_json::from_value::<AssistantRequestReply>(config)
                .expect_err("two choices were read")
                .to_string();
            assert!(error.contains("`assistantId`"), "{error}");
            assert!(error.contains("`error`"), "{error}");
        }
    }

    #[test]
    fn assistant_reply_rejects_unknown_key() {
        let config = json!({"assistantId": "asst-1", "assistantOverides": {}});
        let error = serde_json::from_value::<AssistantRequestReply>(config)
            .expect_err("a misspelled key was read")
            .to_string();
        assert!(error.contains("`assistantOverides`"), "{error}");
        assert!(error.contains("`assistantOverrides`"), "{error}");
    }

    #[test]
    fn assistant_reply_rejects_no_choice() {
        let config = json!({"assistantOverrides": {"firstMessage": "Hi"}});
        let error = serde_json::from_value::<AssistantRequestReply>(config)
            .expect_err("a reply without a choice was read")
            .to_string();
        assert!(error.contains("missing"), "{error}");
        assert!(error.contains("`assistantId`"), "{error}");
    }

    #[test]
    fn warm_transfer_is_camel_case_without_nulls() {
        let destination = TransferDestination::number("+15555550100")
            .with_e164_check(true)
            .with_message("Connecting you now.")
            .with_transfer_plan(TransferPlan::mode("warm-transfer-say-summary").with_summary());
        let text = serde_json::to_string(&TransferDestinationReply::transfer_to(destination))
            .expect("serialises");
        assert_eq!(
            serde_json::from_str::<Value>(&text).expect("json"),
            json!({"destination": {
                "type": "number",
                "number": "+15555550100",
                "numberE164CheckEnabled": true,
                "message": "Connecting you now.",
                "transferPlan": {"mode": "warm-transfer-say-summary", "summaryPlan": {"enabled": true}}
            }})
        );
        assert!(!text.contains("null"));
    }

    #[test]
    fn tool_result_omits_unset_fields() {
        let ok = ToolCallResult::success("call_1", "lookup", "found");
        assert_eq!(
            wire(&ok),
            json!({"toolCallId": "call_1", "name": "lookup", "result": "found"})
        );
        let failed =
            ToolCallResult::failure("call_2", "lookup", "down").with_spoken_message("Sorry.");
        assert_eq!(
            wire(&failed),
            json!({"toolCallId": "call_2", "name": "lookup", "error": "down",
                   "message": {"type": "request-failed", "content": "Sorry."}})
        );
    }

    #[test]
    fn knowledge_base_say_is_a_custom_message() {
        assert_eq!(
            wire(&KnowledgeBaseReply::say("Let me get an agent.")),
            json!({"message": {"type": "custom-message", "content": "Let me get an agent."}})
        );
        assert_eq!(
            wire(&KnowledgeBaseReply::documents(vec![
                KnowledgeBaseDocument::new("We open at 9.", 0.9)
            ])),
            json!({"documents": [{"content": "We open at 9.", "similarity": 0.9}]})
        );
    }

    #[test]
    fn non_finite_numbers_never_become_null() {
        let wait =
            serde_json::to_string(&CallEndpointingReply::wait_seconds(f64::NAN)).expect("json");
        assert_eq!(wait, r#"{"timeoutSeconds":0.0}"#);

        let cases = [
            (f64::NAN, f64::MIN),
            (f64::NEG_INFINITY, f64::MIN),
            (f64::INFINITY, f64::MAX),
        ];
        for (score, sent) in cases {
            let document = KnowledgeBaseDocument::new("text", score);
            assert_eq!(document.similarity, sent, "score {score}");
            assert_eq!(wire(&document)["similarity"], json!(sent), "score {score}");
        }
    }

    #[test]
    fn similarity_keeps_finite_scores() {
        for score in [0.9, 1.7, 12.25, -3.5, 0.0] {
            let document = KnowledgeBaseDocument::new("text", score);
            assert_eq!(document.similarity, score);
            assert_eq!(wire(&document)["similarity"], json!(score));
        }
    }

    #[test]
    fn fields_set_directly_stay_within_schema() {
        let mut wait = CallEndpointingReply::wait_seconds(1.0);
        wait.timeout_seconds = 99.0;
        assert_eq!(wire(&wait), json!({"timeoutSeconds": 15.0}));

        let mut document = KnowledgeBaseDocument::new("text", 0.5);
        document.similarity = f64::INFINITY;
        assert_eq!(wire(&document)["similarity"], json!(f64::MAX));
        document.similarity = f64::NAN;
        assert_eq!(wire(&document)["similarity"], json!(f64::MIN));
        document.similarity = 42.0;
        assert_eq!(wire(&document)["similarity"], json!(42.0));
    }

    #[test]
    fn plan_extra_cannot_repeat_typed_fields() {
        let mut plan = TransferPlan::mode("blind-transfer").with_summary();
        plan.extra.insert("mode".into(), json!("warm-transfer"));
        plan.extra.insert("sipVerb".into(), json!("refer"));
        if let Some(summary) = plan.summary_plan.as_mut() {
            summary.extra.insert("enabled".into(), json!(false));
        }
        let text = serde_json::to_string(&plan).expect("json");
        assert_eq!(
            text,
            r#"{"mode":"blind-transfer","summaryPlan":{"enabled":true},"sipVerb":"refer"}"#
        );
    }

    #[test]
    fn plan_extra_sent_when_typed_field_unset() {
        let mut plan = TransferPlan::mode("warm-transfer-say-message");
        plan.extra
            .insert("message".into(), json!("Connecting a caller."));
        let mut summary = SummaryPlan::default();
        summary.extra.insert("enabled".into(), json!(true));
        plan.summary_plan = Some(summary);
        assert_eq!(
            wire(&plan),
            json!({
                "mode": "warm-transfer-say-message",
                "summaryPlan": {"enabled": true},
                "message": "Connecting a caller."
            })
        );
    }

    #[test]
    fn schema_lengths_not_truncated() {
        let number = "1".repeat(41);
        let extension = "2".repeat(11);
        let caller_id = "3".repeat(41);
        let content = "a".repeat(1001);

        let destination = TransferDestination::number(number.clone())
            .with_extension(extension.clone())
            .with_caller_id(caller_id.clone());
        let sent = wire(&destination);
        assert_eq!(sent["number"], json!(number));
        assert_eq!(sent["extension"], json!(extension));
        assert_eq!(sent["callerId"], json!(caller_id));

        let sip =
            TransferDestination::sip("sip:desk@example.invalid").with_caller_id(caller_id.clone());
        assert_eq!(wire(&sip)["callerId"], json!(caller_id));

        let tool =
            ToolCallResult::success("call_1", "lookup", "ok").with_spoken_message(content.clone());
        assert_eq!(wire(&tool)["message"]["content"], json!(content));

        let knowledge = KnowledgeBaseReply::say(content.clone());
        assert_eq!(wire(&knowledge)["message"]["content"], json!(content));

        let transfer = TransferDestinationReply::error("busy").with_spoken_message(content.clone());
        assert_eq!(wire(&transfer)["message"]["content"], json!(content));
    }

    #[test]
    fn tool_result_reads_null_name() {
        let result: ToolCallResult =
            serde_json::from_value(json!({"toolCallId": "c1", "name": null, "result": "ok"}))
                .expect("valid");
        assert_eq!(result.name, "");
    }

    #[test]
    fn endpointing_wait_within_schema() {
        assert_eq!(
            CallEndpointingReply::wait_seconds(-1.0).timeout_seconds,
            0.0
        );
        assert_eq!(CallEndpointingReply::wait_seconds(2.5).timeout_seconds, 2.5);
        assert_eq!(
            CallEndpointingReply::wait_seconds(40.0).timeout_seconds,
            15.0
        );
    }

    #[test]
    fn control_action_is_typed() {
        assert_eq!(
            wire(&ClientInboundMessage::control(ControlAction::MuteAssistant)),
            json!({"type": "control", "control": "mute-assistant"})
        );
        assert_eq!(
            ClientInboundMessage::control("say-first-message"),
            ClientInboundMessage::Control {
                control: ControlAction::SayFirstMessage
            }
        );

        let read: ClientInboundMessage =
            serde_json::from_value(json!({"type": "control", "control": "unmute-customer"}))
                .expect("valid");
        assert_eq!(
            read,
            ClientInboundMessage::control(ControlAction::UnmuteCustomer)
        );
    }

    #[test]
    fn control_action_keeps_unknown_value() {
        let message = ClientInboundMessage::control(String::from("pause-recording"));
        assert_eq!(
            message,
            ClientInboundMessage::Control {
                control: ControlAction::Other("pause-recording".into())
            }
        );
        assert_eq!(wire(&message)["control"], json!("pause-recording"));
    }

    #[test]
    fn assistant_transfer_mode_is_typed() {
        let destination = TransferDestination::assistant("billing")
            .with_transfer_mode(AssistantTransferMode::DeleteHistory);
        let reply = TransferDestinationReply::transfer_to(destination);
        assert_eq!(
            wire(&reply),
            json!({"destination": {
                "type": "assistant",
                "assistantName": "billing",
                "transferMode": "delete-history"
            }})
        );

        let read: TransferDestinationReply = serde_json::from_value(wire(&reply)).expect("valid");
        assert_eq!(read, reply);

        let unknown = TransferDestination::assistant("billing").with_transfer_mode("keep-summary");
        assert_eq!(
            unknown.transfer_mode,
            Some(AssistantTransferMode::Other("keep-summary".into()))
        );
    }

    #[test]
    fn say_sets_optional_flags() {
        let message = ClientInboundMessage::say("One moment.")
            .with_interrupt_assistant(true)
            .with_interruptions(false)
            .with_end_call_after_spoken(true);
        assert_eq!(
            wire(&message),
            json!({
                "type": "say",
                "content": "One moment.",
                "interruptAssistantEnabled": true,
                "interruptionsEnabled": false,
                "endCallAfterSpoken": true
            })
        );

        let read: ClientInboundMessage = serde_json::from_value(wire(&message)).expect("valid");
        assert_eq!(read, message);
    }

    #[test]
    fn say_flags_leave_other_messages() {
        let message = ClientInboundMessage::end_call()
            .with_interrupt_assistant(true)
            .with_interruptions(true)
            .with_end_call_after_spoken(true);
        assert_eq!(message, ClientInboundMessage::end_call());
    }

    #[test]
    fn client_transfer_reads_no_assistant() {
        let number = json!({
            "type": "transfer",
            "destination": {"type": "number", "number": "+15555550100"}
        });
        let message: ClientInboundMessage = serde_json::from_value(number).expect("valid");
        assert_eq!(
            message,
            ClientInboundMessage::transfer(TransferDestination::number("+15555550100"))
        );

        let assistant = json!({
            "type": "transfer",
            "destination": {"type": "assistant", "assistantName": "billing"}
        });
        let read = serde_json::from_value::<ClientInboundMessage>(assistant);
        assert!(read.is_err(), "an assistant destination was read: {read:?}");
    }

    #[test]
    fn client_messages_use_wire_types() {
        assert_eq!(
            wire(&ClientInboundMessage::say("Hello")),
            json!({"type": "say", "content": "Hello"})
        );
        assert_eq!(
            wire(&ClientInboundMessage::end_call()),
            json!({"type": "end-call"})
        );
        assert_eq!(
            wire(&ClientInboundMessage::control("mute-assistant")),
            json!({"type": "control", "control": "mute-assistant"})
        );
        assert_eq!(
            None::<ClientInboundMessage>.into_http_reply().body.as_ref(),
            b"{}"
        );
    }
}
