//! Transfer targets and how a transfer is carried out: phone numbers, SIP
//! addresses and squad assistants, with their transfer and summary plans.
//! The assistant-request, transfer-destination and client `transfer`
//! replies name their target with these types.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

// The expansion of `open_enum!` names `Deserializer`, `Serializer` and
// `WireStr` unqualified, so they are imported here.
use crate::events::lenient::WireStr;
use crate::events::open_enum;

use super::lengths::{JsonPath, LengthCheck, LengthErrors, Limit};

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
    /// Vapi's schema allows 3 to 40 UTF-16 code units, and
    /// [`NumberDestination::check_lengths`] reports a number outside them.
    ///
    /// Returns a [`NumberDestination`] to refine with its `with_*`
    /// methods. It converts into a `TransferDestination` (and a
    /// [`ForwardDestination`]) with `.into()`, which the reply constructors
    /// call for you.
    pub fn number(number: impl Into<String>) -> NumberDestination {
        NumberDestination {
            number: number.into(),
            extension: None,
            caller_id: None,
            number_e164_check_enabled: None,
            message: None,
            transfer_plan: None,
            description: None,
        }
    }

    /// Transfers to a SIP URI. Returns a [`SipDestination`], which
    /// converts with `.into()` like [`number`](Self::number)'s result.
    pub fn sip(sip_uri: impl Into<String>) -> SipDestination {
        SipDestination {
            sip_uri: sip_uri.into(),
            caller_id: None,
            sip_headers: None,
            message: None,
            transfer_plan: None,
            description: None,
        }
    }

    /// Transfers to another assistant of the squad, by name. Returns an
    /// [`AssistantDestination`], which converts into a
    /// `TransferDestination` with `.into()`.
    pub fn assistant(assistant_name: impl Into<String>) -> AssistantDestination {
        AssistantDestination {
            assistant_name: assistant_name.into(),
            transfer_mode: None,
            message: None,
            description: None,
        }
    }
}

/// A phone-number destination (Vapi's `TransferDestinationNumber`), built
/// with [`TransferDestination::number`]. It has no `Default`, because Vapi's
/// schema requires the number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NumberDestination {
    /// The number to dial, 3 to 40 UTF-16 code units in Vapi's schema.
    pub number: String,
    /// Digits dialled after the call connects, 1 to 10 UTF-16 code units in
    /// Vapi's schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// The caller id shown to the transfer target, at most 40 UTF-16 code
    /// units in Vapi's schema.
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

/// A SIP destination (Vapi's `TransferDestinationSip`), built with
/// [`TransferDestination::sip`]. It has no `Default`, because Vapi's schema
/// requires the SIP URI.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SipDestination {
    /// The SIP URI to dial.
    pub sip_uri: String,
    /// The caller id shown to the transfer target, at most 40 UTF-16 code
    /// units in Vapi's schema.
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

/// An assistant destination (Vapi's `TransferDestinationAssistant`), built
/// with [`TransferDestination::assistant`]. It has no `Default`, because
/// Vapi's schema requires the assistant name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
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

/// The plan of a transfer (Vapi's `TransferPlan`), built with
/// [`TransferPlan::mode`]. The mode is required, so there is no `Default`.
/// The mode and the summary plan are typed, and every other field of the
/// plan goes in `extra`.
///
/// An `extra` entry named like a typed field that is set (`mode`, always
/// set, `message`, `summaryPlan`) is not sent, so the typed value is the
/// one Vapi reads.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
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
            message: None,
            summary_plan: None,
            extra: Map::new(),
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

    /// Sets the message spoken to the transfer target in the warm modes
    /// that speak one, such as `warm-transfer-say-message`.
    #[must_use]
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
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
    /// at most 40 UTF-16 code units, and
    /// [`check_lengths`](Self::check_lengths) reports a longer one.
    #[must_use]
    pub fn with_caller_id(mut self, caller_id: impl Into<String>) -> Self {
        self.caller_id = Some(caller_id.into());
        self
    }

    /// Sets digits dialled after the call connects. Vapi's schema allows 1
    /// to 10 UTF-16 code units, and [`check_lengths`](Self::check_lengths)
    /// reports an extension outside them.
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
    /// at most 40 UTF-16 code units, and
    /// [`check_lengths`](Self::check_lengths) reports a longer one.
    #[must_use]
    pub fn with_caller_id(mut self, caller_id: impl Into<String>) -> Self {
        self.caller_id = Some(caller_id.into());
        self
    }
}

impl NumberDestination {
    /// Checks `number`, `extension` and `callerId` against the length limits
    /// of Vapi's `TransferDestinationNumber`, in UTF-16 code units.
    ///
    /// # Errors
    ///
    /// Returns each field outside its range, with its path in this object,
    /// such as `number`.
    pub fn check_lengths(&self) -> Result<(), LengthErrors> {
        LengthCheck::run(|check| self.check_lengths_at(&JsonPath::Root, check))
    }

    pub(crate) fn check_lengths_at(&self, path: &JsonPath<'_>, check: &mut LengthCheck) {
        check.field(path, "number", Some(&self.number), Limit::NUMBER);
        check.field(
            path,
            "extension",
            self.extension.as_deref(),
            Limit::EXTENSION,
        );
        check.field(
            path,
            "callerId",
            self.caller_id.as_deref(),
            Limit::CALLER_ID,
        );
    }
}

impl SipDestination {
    /// Checks `callerId` against the length limit of Vapi's
    /// `TransferDestinationSip`, in UTF-16 code units.
    ///
    /// # Errors
    ///
    /// Returns the error of a `callerId` longer than 40, with its path in
    /// this object, `callerId`.
    pub fn check_lengths(&self) -> Result<(), LengthErrors> {
        LengthCheck::run(|check| self.check_lengths_at(&JsonPath::Root, check))
    }

    pub(crate) fn check_lengths_at(&self, path: &JsonPath<'_>, check: &mut LengthCheck) {
        check.field(
            path,
            "callerId",
            self.caller_id.as_deref(),
            Limit::CALLER_ID,
        );
    }
}

impl TransferDestination {
    /// Checks the destination's strings against the length limits of Vapi's
    /// schema, as [`NumberDestination::check_lengths`] and
    /// [`SipDestination::check_lengths`] do. An assistant destination has
    /// no limited field.
    ///
    /// # Errors
    ///
    /// Returns each field outside its range, with its path in this object.
    pub fn check_lengths(&self) -> Result<(), LengthErrors> {
        LengthCheck::run(|check| self.check_lengths_at(&JsonPath::Root, check))
    }

    pub(crate) fn check_lengths_at(&self, path: &JsonPath<'_>, check: &mut LengthCheck) {
        match self {
            TransferDestination::Number(number) => number.check_lengths_at(path, check),
            TransferDestination::Sip(sip) => sip.check_lengths_at(path, check),
            TransferDestination::Assistant(_) => {}
        }
    }
}

impl ForwardDestination {
    /// Checks the destination's strings against the length limits of Vapi's
    /// schema, as [`NumberDestination::check_lengths`] and
    /// [`SipDestination::check_lengths`] do.
    ///
    /// # Errors
    ///
    /// Returns each field outside its range, with its path in this object.
    pub fn check_lengths(&self) -> Result<(), LengthErrors> {
        LengthCheck::run(|check| self.check_lengths_at(&JsonPath::Root, check))
    }

    pub(crate) fn check_lengths_at(&self, path: &JsonPath<'_>, check: &mut LengthCheck) {
        match self {
            ForwardDestination::Number(number) => number.check_lengths_at(path, check),
            ForwardDestination::Sip(sip) => sip.check_lengths_at(path, check),
        }
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

// `open_enum!` converts from `&str`. This keeps `String` arguments working,
// as they did when the field was a string.
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
    use crate::reply::TransferDestinationReply;
    use crate::reply::tests::wire;
    use serde_json::json;

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
    fn plan_message_sent_as_message() {
        let plan = TransferPlan::mode("warm-transfer-say-message")
            .with_message("A caller asks about an order.");
        assert_eq!(
            wire(&plan),
            json!({"mode": "warm-transfer-say-message", "message": "A caller asks about an order."})
        );
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
}
