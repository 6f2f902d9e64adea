//! Open enumerations: string values that Vapi keeps adding to (ended
//! reasons, call statuses, message roles, cost types), typed without ever
//! failing a message on a value this version does not know.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::lenient::WireStr;

/// An open enumeration: known values get variants, any other value is kept
/// as written in `Other`, so a value Vapi adds tomorrow never fails a message.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )* }
    ) => {
        $(#[$meta])*
        ///
        /// Values compare and hash by their wire string, so `Other` holding a
        /// known value equals that value's variant. A value without a
        /// variant is best matched through [`as_str`](Self::as_str), because
        /// a later version may give it one.
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version does not know, as received.
            Other(String),
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl Eq for $name {}

        impl std::hash::Hash for $name {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.as_str().hash(state);
            }
        }

        impl $name {
            /// Returns the value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )*
                    $name::Other(value) => value,
                }
            }
        }

        impl $crate::events::lenient::WireValues for $name {
            const WIRE_VALUES: &'static [&'static str] = &[$($wire),*];
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $wire => $name::$variant, )*
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = WireStr::deserialize(deserializer)?;
                Ok($name::from(value.as_str()))
            }
        }
    };
}

// Exported to the crate so that reply types Vapi reads as an open set of
// strings can use it too.
pub(crate) use open_enum;

open_enum! {
    /// The state of a call (`call.status`, `status-update.status`).
    pub enum CallStatus {
        /// The call is scheduled for later.
        Scheduled = "scheduled",
        /// The call is waiting to be placed.
        Queued = "queued",
        /// The phone is ringing.
        Ringing = "ringing",
        /// The call is connected.
        InProgress = "in-progress",
        /// The call is being forwarded.
        Forwarding = "forwarding",
        /// The call has ended.
        Ended = "ended",
        /// The call was not found.
        NotFound = "not-found",
        /// Deleting the call failed.
        DeletionFailed = "deletion-failed",
    }
}

open_enum! {
    /// Why a call ended. Vapi lists several hundred values and adds more
    /// every month; the common ones have variants.
    pub enum EndedReason {
        /// The customer hung up.
        CustomerEndedCall = "customer-ended-call",
        /// The assistant hung up.
        AssistantEndedCall = "assistant-ended-call",
        /// The assistant said its end-call phrase.
        AssistantSaidEndCallPhrase = "assistant-said-end-call-phrase",
        /// The call was forwarded.
        AssistantForwardedCall = "assistant-forwarded-call",
        /// The call reached its maximum duration.
        ExceededMaxDuration = "exceeded-max-duration",
        /// Nobody spoke for too long.
        SilenceTimedOut = "silence-timed-out",
        /// The customer's line was busy.
        CustomerBusy = "customer-busy",
        /// The customer did not answer.
        CustomerDidNotAnswer = "customer-did-not-answer",
        /// Voicemail was reached.
        Voicemail = "voicemail",
        /// The assistant-request webhook failed.
        AssistantRequestFailed = "assistant-request-failed",
        /// The assistant-request webhook answered with an error.
        AssistantRequestReturnedError = "assistant-request-returned-error",
        /// The assistant-request webhook answered with no assistant.
        AssistantRequestReturnedNoAssistant = "assistant-request-returned-no-assistant",
        /// The call was ended through the API.
        ManuallyCanceled = "manually-canceled",
    }
}

open_enum! {
    /// Who said a message in the artifact history.
    pub enum MessageRole {
        /// The caller.
        User = "user",
        /// The assistant (Vapi's history calls it `bot`).
        Bot = "bot",
        /// The assistant, in OpenAI-format messages.
        Assistant = "assistant",
        /// A system prompt.
        System = "system",
        /// A tool call made by the assistant.
        ToolCalls = "tool_calls",
        /// A tool call's result.
        ToolCallResult = "tool_call_result",
    }
}

open_enum! {
    /// What a cost entry pays for.
    pub enum CostType {
        /// Telephony or web transport.
        Transport = "transport",
        /// Speech to text.
        Transcriber = "transcriber",
        /// The language model.
        Model = "model",
        /// Text to speech.
        Voice = "voice",
        /// Vapi's platform fee.
        Vapi = "vapi",
        /// Voicemail detection.
        VoicemailDetection = "voicemail-detection",
        /// Post-call analysis.
        Analysis = "analysis",
        /// Knowledge-base retrieval.
        KnowledgeBase = "knowledge-base",
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::EndedReason;

    #[test]
    fn other_with_known_value_equals_variant() {
        let spelled = EndedReason::Other("customer-ended-call".to_owned());

        assert_eq!(spelled, EndedReason::CustomerEndedCall);
        assert_ne!(spelled, EndedReason::Other("voicemail".to_owned()));
        let set: HashSet<EndedReason> = [spelled, EndedReason::CustomerEndedCall].into();
        assert_eq!(set.len(), 1);
    }
}
