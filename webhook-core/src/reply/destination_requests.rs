//! The replies to `server.transferDestinationRequest` and
//! `server.handoffDestinationRequest`: where a live call is transferred, or
//! the assistant or squad it is handed to.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::destinations::TransferDestination;
use super::lengths::{JsonPath, LengthCheck, LengthErrors};
use super::{EventReply, HttpReply, json_replies};

/// The reply to `server.transferDestinationRequest`: where to transfer, or
/// why not.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TransferDestinationReply {
    /// The transfer target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<TransferDestination>,
    /// A message spoken to the caller (Vapi's `ToolMessage*` object), whose
    /// `content` Vapi's schema limits to 1000 UTF-16 code units.
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
    /// schema allows at most 1000 UTF-16 code units, and
    /// [`check_lengths`](Self::check_lengths) reports longer content.
    #[must_use]
    pub fn with_spoken_message(mut self, content: impl Into<String>) -> Self {
        self.message = Some(serde_json::json!({
            "type": "request-start",
            "content": content.into(),
        }));
        self
    }

    /// Checks the reply's strings against the length limits of Vapi's
    /// schema: those of the destination (see
    /// [`TransferDestination::check_lengths`]), and the `content` of
    /// `message` and the `param` and `value` of its `conditions`, each at
    /// most 1000 UTF-16 code units.
    ///
    /// # Errors
    ///
    /// Returns each field outside its range, with its path in the reply,
    /// such as `destination.number` or `message.content`.
    pub fn check_lengths(&self) -> Result<(), LengthErrors> {
        LengthCheck::run(|check| {
            let root = JsonPath::Root;
            if let Some(destination) = &self.destination {
                destination.check_lengths_at(&root.key("destination"), check);
            }
            check.tool_message(&root.key("message"), self.message.as_ref());
        })
    }
}

json_replies!(checked: TransferDestinationReply);

/// The reply to `server.handoffDestinationRequest`: the assistant or squad
/// the call is handed to, or why not.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
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

json_replies!(HandoffDestinationReply);
