//! The replies to `server.transferDestinationRequest` and
//! `server.handoffDestinationRequest`: where a live call is transferred, or
//! the assistant or squad it is handed to.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::destinations::TransferDestination;
use super::lengths::{JsonPath, LengthCheck, LengthErrors};
use super::{EventReply, HttpReply, json_replies, warn_unless_object};

/// The reply to `server.transferDestinationRequest`: where to transfer, or
/// why not.
///
/// Build one with [`transfer_to`](Self::transfer_to) or
/// [`error`](Self::error). The type has no `Default`, because an empty reply
/// neither transfers nor declines:
///
/// ```compile_fail
/// use webhook_core::reply::TransferDestinationReply;
/// let reply = TransferDestinationReply::default();
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
            message: None,
            error: None,
        }
    }

    /// Declines the transfer with a reason.
    pub fn error(message: impl Into<String>) -> Self {
        TransferDestinationReply {
            destination: None,
            message: None,
            error: Some(message.into()),
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
///
/// Build one with [`hand_off_to_assistant`](Self::hand_off_to_assistant),
/// [`hand_off_to`](Self::hand_off_to) or [`error`](Self::error). The type
/// has no `Default`, because an empty reply hands the call nowhere. Vapi's
/// schema marks `destination` required even next to an `error`; an error
/// reply leaves it out, since naming one would hand the call there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// Hands the call to the given destination object (a warning is logged
    /// for a JSON value that is not an object).
    pub fn hand_off_to(destination: Value) -> Self {
        warn_unless_object(&destination, "destination");
        HandoffDestinationReply {
            destination: Some(destination),
            result: None,
            error: None,
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
            destination: None,
            result: None,
            error: Some(message.into()),
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
