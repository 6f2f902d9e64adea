//! Types shared by many payloads: the call, customer, phone number, chat,
//! artifact, analysis, costs, timestamps and the open enumerations.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// An open enumeration: known values get variants, any other value is kept
/// as written in `Other`, so a value Vapi adds tomorrow never fails a message.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )* }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version does not know, as received.
            Other(String),
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
                let value = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                Ok($name::from(value.as_ref()))
            }
        }
    };
}

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

/// When Vapi sent a message, in Unix epoch milliseconds.
///
/// Vapi sends a number of milliseconds (sometimes with a fraction) and some
/// events send an ISO-8601 string; both decode to the same value. It
/// serialises back as a number.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Timestamp {
    unix_ms: f64,
}

impl Timestamp {
    /// Builds a timestamp from Unix epoch milliseconds.
    pub fn from_unix_ms(unix_ms: f64) -> Self {
        Timestamp { unix_ms }
    }

    /// Returns the time in Unix epoch milliseconds.
    pub fn unix_ms(self) -> f64 {
        self.unix_ms
    }

    /// Returns the time as an [`time::OffsetDateTime`] in UTC, or `None` when
    /// it is out of range.
    pub fn to_offset_date_time(self) -> Option<time::OffsetDateTime> {
        let nanos = (self.unix_ms * 1_000_000.0) as i128;
        time::OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.unix_ms.fract() == 0.0 && self.unix_ms.abs() < 9.0e15 {
            serializer.serialize_i64(self.unix_ms as i64)
        } else {
            serializer.serialize_f64(self.unix_ms)
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimestampVisitor;

        impl serde::de::Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("epoch milliseconds or an ISO-8601 date-time string")
            }

            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Timestamp, E> {
                Ok(Timestamp::from_unix_ms(value as f64))
            }

            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Timestamp, E> {
                Ok(Timestamp::from_unix_ms(value as f64))
            }

            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Timestamp, E> {
                Ok(Timestamp::from_unix_ms(value))
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Timestamp, E> {
                let parsed = time::OffsetDateTime::parse(
                    value,
                    &time::format_description::well_known::Rfc3339,
                )
                .map_err(|error| {
                    E::custom(format_args!(
                        "invalid ISO-8601 timestamp {value:?}: {error}"
                    ))
                })?;
                Ok(Timestamp::from_unix_ms(
                    parsed.unix_timestamp_nanos() as f64 / 1_000_000.0,
                ))
            }
        }

        deserializer.deserialize_any(TimestampVisitor)
    }
}

/// The call a message belongs to (Vapi's `Call`, the fields handlers read).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Call {
    /// The call id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `inboundPhoneCall`, `outboundPhoneCall`, `webCall`, ...
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub call_type: Option<String>,
    /// The call's state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CallStatus>,
    /// Why the call ended, once it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_reason: Option<EndedReason>,
    /// The organization that owns the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The assistant handling the call, when saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assistant_id: Option<String>,
    /// The phone number the call came in on or went out from, when saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number_id: Option<String>,
    /// The customer on the other end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// When the call was created, as ISO-8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When the call started, as ISO-8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    /// When the call ended, as ISO-8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<String>,
    /// The call's total cost in USD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
    /// Fields of the call this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The person on the other end of the call (Vapi's `CreateCustomerDTO`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    /// Phone number in E.164 form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// SIP URI, for SIP callers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sip_uri: Option<String>,
    /// Digits dialled after the number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// An id from the user's own system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Fields of the customer this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The Vapi phone number involved in the call.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneNumber {
    /// The phone number's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The number in E.164 form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The name given to the number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `twilio`, `vonage`, `vapi`, `telnyx`, `byo-phone-number`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// The assistant assigned to the number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assistant_id: Option<String>,
    /// Fields of the phone number this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The chat session a message belongs to, for text chats.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Chat {
    /// The chat id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Fields of the chat this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What a call left behind: transcript, messages and recordings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Artifact {
    /// The whole conversation as text, one `Speaker: words` line per turn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript: Option<String>,
    /// The conversation turn by turn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages: Option<Vec<ArtifactMessage>>,
    /// The conversation in OpenAI message format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages_open_ai_formatted: Option<Vec<Value>>,
    /// Mono recording URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_url: Option<String>,
    /// Stereo recording URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stereo_recording_url: Option<String>,
    /// Video recording URL, for video calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_recording_url: Option<String>,
    /// Log URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_url: Option<String>,
    /// Fields of the artifact this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One turn of the conversation history.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactMessage {
    /// Who spoke.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<MessageRole>,
    /// What was said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// When the turn started, in Unix epoch milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<f64>,
    /// When the turn ended, in Unix epoch milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<f64>,
    /// Seconds from the start of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds_from_start: Option<f64>,
    /// Length of the turn in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// Fields of the turn this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The post-call analysis.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    /// A summary of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Data extracted with the assistant's structured-data plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub structured_data: Option<Value>,
    /// The verdict of the assistant's success-evaluation plan, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_evaluation: Option<Value>,
    /// Fields of the analysis this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One line of the call's cost.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cost {
    /// What the cost pays for.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub cost_type: Option<CostType>,
    /// Amount in USD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
    /// Fields of the cost this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
