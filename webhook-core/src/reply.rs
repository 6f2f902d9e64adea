//! Typed replies: what a handler sends back to Vapi, and the HTTP reply the
//! adapter writes.
//!
//! Every reply type serialises camelCase and omits unset options, because
//! Vapi ignores snake_case keys and treats `null` differently from absence.
//! Constructors name the decision (`AssistantRequestReply::assistant_id`,
//! `TransferDestination::number`) so a handler reads like the call flow.
//!
//! Builders do not enforce the string lengths that Vapi's schema limits
//! (a transfer number of 3 to 40 UTF-16 code units, spoken `content` of at
//! most 1000). `check_lengths` on a reply returns every field outside its
//! range as a [`LengthError`]. The code `#[webhook_hooks]` generates logs
//! each error of a handler's reply, and sends the reply unchanged.

// Each submodule contains the replies to one kind of Vapi request. Every public
// item is re-exported here, so its path stays `webhook_core::reply::Name`.
mod assistant_request;
mod call_endpointing;
mod campaign_predial;
mod client_messages;
mod destination_requests;
mod destinations;
mod knowledge_base;
mod lengths;
mod tool_calls;
mod voice;

pub use assistant_request::{AssistantChoice, AssistantRequestReply};
pub use call_endpointing::CallEndpointingReply;
pub use campaign_predial::CampaignPredialReply;
pub use client_messages::{ClientInboundMessage, ClientReply, ControlAction};
pub use destination_requests::{HandoffDestinationReply, TransferDestinationReply};
pub use destinations::{
    AssistantDestination, AssistantTransferMode, ForwardDestination, NumberDestination,
    SipDestination, SummaryPlan, TransferDestination, TransferPlan,
};
pub use knowledge_base::{KnowledgeBaseDocument, KnowledgeBaseReply};
pub use lengths::{LengthError, LengthErrors};
pub use tool_calls::{FunctionCallReply, ToolCallResult, ToolCallsReply};
pub use voice::VoiceReply;

use bytes::Bytes;
use http::StatusCode;
use serde::Serialize;

pub(crate) use lengths::warn_length_error;

/// Names the kind of a JSON value for a message: `null`, `a string`, ...
pub(crate) fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Logs a warning when `value`, passed for the reply field `field`, is not
/// a JSON object, as Vapi's schema requires for inline configurations,
/// overrides and handoff destinations. A `null` there reads as no value at
/// all, so the reply would not do what the handler meant. The reply is
/// built unchanged.
pub(crate) fn warn_unless_object(value: &serde_json::Value, field: &'static str) {
    if value.is_object() {
        return;
    }
    // Limitation: this runs when the reply is built, so the line names no
    // event or call id. A check run at send time, next to `check_lengths`,
    // would add them.
    let found = json_kind(value);
    tracing::warn!(
        target: "webhook::reply",
        field,
        found,
        "reply field is not a JSON object as Vapi's schema requires, so Vapi may ignore it or reject the reply"
    );
}

/// The reply type of events whose sender does not wait for a reply. The
/// adapter sends `200 {}`.
pub type NoReply = ();

/// The response the adapter writes: a status, a media type and the body bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
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
/// Implemented for every reply type in the catalogue, and sealed: other
/// crates cannot implement it. The generated code uses it to turn the
/// handler's value into the HTTP reply.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a reply type of any webhook event",
    note = "each event has one reply type, listed in the `webhook_core` catalogue table"
)]
pub trait EventReply: Send + 'static + crate::sealed::Sealed {
    /// Converts the value into the bytes sent to the sender.
    fn into_http_reply(self) -> HttpReply;

    /// Checks the reply's strings against the length limits of Vapi's
    /// schema and returns every field outside its range.
    ///
    /// Lengths count UTF-16 code units, as JavaScript's `String.length`
    /// does (see [`LengthError`]). The default returns `Ok(())`, for reply
    /// types without a limited field. The reply types with one also have
    /// this method without the trait in scope.
    ///
    /// The code `#[webhook_hooks]` generates runs it on every reply a
    /// handler returns and logs each error at `warn` under the target
    /// `webhook::reply`, with the event and call id, then sends the reply
    /// unchanged. A hand-written [`Hooks`](crate::Hooks) impl calls it
    /// itself if it wants the check.
    ///
    /// # Errors
    ///
    /// Returns the fields outside their range, in the order of the reply's
    /// fields.
    fn check_lengths(&self) -> Result<(), LengthErrors> {
        Ok(())
    }
}

impl crate::sealed::Sealed for () {}

impl EventReply for () {
    fn into_http_reply(self) -> HttpReply {
        HttpReply::empty()
    }
}

/// Implements [`EventReply`] for reply types sent as a `200` JSON body.
/// After `checked:`, the types have an inherent `check_lengths`, which the
/// trait's `check_lengths` calls.
macro_rules! json_replies {
    ($($reply:ty),* $(,)?) => {$(
        impl crate::sealed::Sealed for $reply {}

        impl EventReply for $reply {
            fn into_http_reply(self) -> HttpReply {
                HttpReply::from_serialize(&self)
            }
        }
    )*};
    (checked: $($reply:ty),* $(,)?) => {$(
        impl crate::sealed::Sealed for $reply {}

        impl EventReply for $reply {
            fn into_http_reply(self) -> HttpReply {
                HttpReply::from_serialize(&self)
            }

            fn check_lengths(&self) -> Result<(), $crate::reply::LengthErrors> {
                <$reply>::check_lengths(self)
            }
        }
    )*};
}

// Lets the submodules import the macro as `super::json_replies`.
use json_replies;

// Tests of rules that several reply types share. The tests of one type sit
// in its submodule.
#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    pub(super) fn wire(value: &impl Serialize) -> Value {
        serde_json::to_value(value).expect("reply serialises")
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
}
