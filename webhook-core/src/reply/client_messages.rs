//! The reply to a client event: a message the front end passes back into
//! the live call (`say`, `control`, `transfer`, ...), typed as Vapi's
//! `ClientInboundMessage*` schemas define it.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

// The expansion of `open_enum!` names `Deserializer`, `Serializer` and
// `WireStr` unqualified, so they are imported here.
use crate::events::lenient::WireStr;
use crate::events::open_enum;

use super::destinations::ForwardDestination;
use super::lengths::{JsonPath, LengthCheck, LengthErrors, Limit};
use super::{EventReply, HttpReply};

/// The reply to a client event: an optional message the front end passes
/// back to the call through Vapi's web SDK (`vapi.send(...)`).
pub type ClientReply = Option<ClientInboundMessage>;

impl crate::sealed::Sealed for Option<ClientInboundMessage> {}

impl EventReply for Option<ClientInboundMessage> {
    fn into_http_reply(self) -> HttpReply {
        match self {
            Some(_) => HttpReply::from_serialize(&self),
            None => HttpReply::empty(),
        }
    }

    fn check_lengths(&self) -> Result<(), LengthErrors> {
        match self {
            Some(message) => message.check_lengths(),
            None => Ok(()),
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
        /// The OpenAI-format message, e.g. `{"role": "system", "content": "..."}`,
        /// whose `content` Vapi's schema limits to 100,000,000 UTF-16 code
        /// units.
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
        /// schema allows no assistant here. Its strings have length limits
        /// (see [`ForwardDestination::check_lengths`]).
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

    /// Checks the message's strings against the length limits of Vapi's
    /// schema: the destination of a `transfer` (see
    /// [`ForwardDestination::check_lengths`]) and the `content` of the
    /// message an `add-message` adds, at most 100,000,000 UTF-16 code
    /// units. Vapi's schema sets no limit on the `content` of `say` and
    /// `transfer`.
    ///
    /// # Errors
    ///
    /// Returns each field outside its range, with its path in the message,
    /// such as `destination.number`.
    pub fn check_lengths(&self) -> Result<(), LengthErrors> {
        LengthCheck::run(|check| {
            let root = JsonPath::Root;
            match self {
                ClientInboundMessage::Transfer {
                    destination: Some(destination),
                    ..
                } => destination.check_lengths_at(&root.key("destination"), check),
                ClientInboundMessage::AddMessage { message, .. } => check.message_content(
                    &root.key("message"),
                    Some(message),
                    Limit::CONVERSATION_CONTENT,
                ),
                _ => {}
            }
        })
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

// `open_enum!` converts from `&str`. This keeps `String` arguments working,
// as they did when the field was a string.
impl From<String> for ControlAction {
    fn from(value: String) -> Self {
        match ControlAction::from(value.as_str()) {
            ControlAction::Other(_) => ControlAction::Other(value),
            known => known,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::TransferDestination;
    use crate::reply::tests::wire;
    use serde_json::json;

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
