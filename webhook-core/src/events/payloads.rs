//! The payload of each event except tool calls, which have their own module.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    Analysis, Artifact, Call, CallStatus, Chat, Cost, Customer, EndedReason, PhoneNumber, Timestamp,
};

/// `server.assistantRequest`: an inbound call needs an assistant. Vapi waits
/// for the reply (at most 7.5 seconds) before it answers the phone.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssistantRequest {
    /// When Vapi sent the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
    /// The call being set up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<Call>,
    /// The caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// The Vapi number that was called.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<PhoneNumber>,
    /// The chat session, for text chats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat: Option<Chat>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `server.endOfCallReport`: the call is over; here is what it left behind.
/// Reports of long calls are several megabytes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndOfCallReport {
    /// When Vapi sent the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
    /// Why the call ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_reason: Option<EndedReason>,
    /// The call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<Call>,
    /// The caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// The Vapi number involved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<PhoneNumber>,
    /// The chat session, for text chats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat: Option<Chat>,
    /// Transcript, messages and recordings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact: Option<Artifact>,
    /// Summary, structured data and success evaluation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<Analysis>,
    /// Total cost in USD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
    /// Cost line by line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub costs: Option<Vec<Cost>>,
    /// When the call started, as ISO-8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    /// When the call ended, as ISO-8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<String>,
    /// Call length in seconds. Sent by Vapi although the schema omits it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<f64>,
    /// Call length in milliseconds. Sent by Vapi although the schema omits it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
    /// The summary, repeated at the top level by Vapi.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The transcript, repeated at the top level by Vapi.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript: Option<String>,
    /// The recording URL, repeated at the top level by Vapi.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_url: Option<String>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl EndOfCallReport {
    /// Returns the summary from `analysis`, or the top-level copy.
    pub fn summary(&self) -> Option<&str> {
        self.analysis
            .as_ref()
            .and_then(|analysis| analysis.summary.as_deref())
            .or(self.summary.as_deref())
    }

    /// Returns the transcript from `artifact`, or the top-level copy.
    pub fn transcript(&self) -> Option<&str> {
        self.artifact
            .as_ref()
            .and_then(|artifact| artifact.transcript.as_deref())
            .or(self.transcript.as_deref())
    }

    /// Returns the call id.
    pub fn call_id(&self) -> Option<&str> {
        self.call.as_ref().and_then(|call| call.id.as_deref())
    }
}

/// `server.statusUpdate`: the call changed state (ringing, in progress,
/// forwarding, ended).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusUpdate {
    /// When Vapi sent the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
    /// The new state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CallStatus>,
    /// Why the call ended, when `status` is `ended`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_reason: Option<EndedReason>,
    /// The call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<Call>,
    /// The caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// The Vapi number involved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<PhoneNumber>,
    /// The chat session, for text chats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat: Option<Chat>,
    /// Transcript and recordings so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact: Option<Artifact>,
    /// The transcript so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript: Option<String>,
    /// The summary, when the call has ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `server.transferDestinationRequest`: the assistant wants to transfer the
/// call and asks where to. Vapi waits for the reply.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferDestinationRequest {
    /// When Vapi sent the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
    /// The call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<Call>,
    /// The caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// The Vapi number involved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<PhoneNumber>,
    /// The chat session, for text chats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat: Option<Chat>,
    /// The conversation so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact: Option<Artifact>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `client.workflowNodeStarted`: a workflow entered a node.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowNodeStarted {
    /// When Vapi sent the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
    /// The node's configuration as Vapi sent it (its `name` and `type` among
    /// others).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<Value>,
    /// The call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<Call>,
    /// The caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl WorkflowNodeStarted {
    /// Returns the node's `name`, when it has one.
    pub fn node_name(&self) -> Option<&str> {
        self.node.as_ref()?.get("name")?.as_str()
    }
}
