//! Payloads of client events: what Vapi's web SDK hands to the browser,
//! forwarded by the user's front end to the client route.
//!
//! Most client messages have the same fields as the server message of the
//! same wire type, so they are newtypes over the server payload that
//! dereference to it (`event.transcript`, `event.call_id()`). They are
//! distinct types because each payload type belongs to exactly one event,
//! which is how a handler's parameter type is checked against its
//! `#[on(...)]` name. `WorkflowNodeStarted`, `Metadata`, `ToolCallsResult`,
//! `FunctionCallResult` and `ToolCompleted` exist only on the client side.

use std::ops::{Deref, DerefMut};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::lenient::{lenient_struct, message_struct};
use super::{Artifact, Call, Chat, Customer, PhoneNumber, RawJson, Timestamp};

pub use super::WorkflowNodeStarted;

/// Declares a client payload as a newtype over the server payload with the
/// same fields.
macro_rules! client_message {
    ($(
        $(#[$meta:meta])*
        $name:ident => $inner:path;
    )*) => {$(
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $name(pub $inner);

        impl $name {
            /// Returns the payload with the server message's type.
            pub fn into_inner(self) -> $inner {
                self.0
            }
        }

        impl Deref for $name {
            type Target = $inner;

            fn deref(&self) -> &$inner {
                &self.0
            }
        }

        impl DerefMut for $name {
            fn deref_mut(&mut self) -> &mut $inner {
                &mut self.0
            }
        }

        impl crate::events::lenient::WireNames for $name {
            const WIRE_NAMES: &'static [&'static str] =
                <$inner as crate::events::lenient::WireNames>::WIRE_NAMES;
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.0.serialize(serializer)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <$inner>::deserialize(deserializer).map($name)
            }
        }
    )*};
}

client_message! {
    /// `client.assistantStarted`: a new assistant took over the call.
    AssistantStarted => super::AssistantStarted;
    /// `client.conversationUpdate`: the conversation history changed.
    ConversationUpdate => super::ConversationUpdate;
    /// `client.hang`: the assistant has not spoken for a while.
    Hang => super::Hang;
    /// `client.modelOutput`: a chunk of the model's output.
    ModelOutput => super::ModelOutput;
    /// `client.speechUpdate`: someone started or stopped speaking.
    SpeechUpdate => super::SpeechUpdate;
    /// `client.transcript`: a partial or final transcript of one utterance.
    Transcript => super::Transcript;
    /// `client.toolCalls`: the model called tools; the browser sees them too.
    ToolCalls => super::ToolCalls;
    /// `client.transferUpdate`: a transfer happened.
    TransferUpdate => super::TransferUpdate;
    /// `client.userInterrupted`: the caller interrupted the assistant.
    UserInterrupted => super::UserInterrupted;
    /// `client.languageChangeDetected`: the caller switched language.
    LanguageChangeDetected => super::LanguageChangeDetected;
    /// `client.voiceInput`: text the assistant is about to speak.
    VoiceInput => super::VoiceInput;
    /// `client.assistantSpeechStarted`: the assistant started speaking.
    AssistantSpeechStarted => super::AssistantSpeechStarted;
    /// `client.chatCreated`: a chat session started.
    ChatCreated => super::ChatCreated;
    /// `client.chatDeleted`: a chat session was deleted.
    ChatDeleted => super::ChatDeleted;
    /// `client.sessionCreated`: a session was created.
    SessionCreated => super::SessionCreated;
    /// `client.sessionUpdated`: a session changed.
    SessionUpdated => super::SessionUpdated;
    /// `client.sessionDeleted`: a session was deleted.
    SessionDeleted => super::SessionDeleted;
    /// `client.callDeleted`: a call record was deleted.
    CallDeleted => super::CallDeleted;
    /// `client.callDeleteFailed`: deleting a call record failed.
    CallDeleteFailed => super::CallDeleteFailed;
    /// `client.statusUpdate`: the call's status changed. It is among an
    /// assistant's default `clientMessages`.
    StatusUpdate => super::StatusUpdate;
    /// `client.functionCall`: the model called a function (the older form
    /// of `client.toolCalls`). It is among an assistant's default
    /// `clientMessages`.
    FunctionCall => super::FunctionCall;
}

message_struct! {
    /// `client.metadata`: metadata the assistant sent to the client.
    pub struct Metadata {
        /// The metadata, as a string (often JSON text).
        #[wire("metadata")]
        pub metadata: Option<String>,
    }
}

message_struct! {
    /// `client.toolCallsResult`: the result of a tool call, as the model
    /// will read it.
    pub struct ToolCallsResult {
        /// The result, as Vapi sent it (`toolCallId`, `name`, `result`, ...).
        #[wire("toolCallResult")]
        pub tool_call_result: Option<RawJson>,
    }
}

message_struct! {
    /// `client.functionCallResult`: the result of a function call (the
    /// older form of `client.toolCallsResult`).
    ///
    /// NOTE: Vapi's schema lists this type among the client messages an
    /// assistant can send but gives it no fields, so everything besides the
    /// common message fields is kept in `extra`.
    pub struct FunctionCallResult {}
}

message_struct! {
    /// `client.toolCompleted`: a tool finished running.
    ///
    /// NOTE: Vapi's schema lists this type among the client messages an
    /// assistant can send but gives it no fields, so everything besides the
    /// common message fields is kept in `extra`.
    pub struct ToolCompleted {}
}
