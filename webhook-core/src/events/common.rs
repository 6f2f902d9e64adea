//! Types shared by many payloads: the call, the customer, the phone number
//! and the chat session a message belongs to.

use super::lenient::lenient_struct;
use super::{Analysis, Artifact, CallStatus, Cost, EndedReason};

lenient_struct! {
    /// The call a message belongs to (Vapi's `Call`, the fields handlers read).
    ///
    /// The schema lets `call.phoneNumber` carry provider credentials
    /// (`twilioAuthToken`), which are kept in `extra`. So `Debug` shows the
    /// keys of `extra` but not their values, and `customer` with its contact
    /// fields redacted. The JSON of this value still contains the
    /// credentials, so do not log it.
    ///
    /// `Debug` also hides the call's `name`, which may name the caller,
    /// and the transcript, summary and recording URLs inside `artifact` and
    /// `analysis`.
    #[debug_redact(name; extra)]
    pub struct Call {
        /// The call id.
        #[wire("id")]
        pub id: Option<String>,
        /// `inboundPhoneCall`, `outboundPhoneCall`, `webCall`, ...
        #[wire("type")]
        pub call_type: Option<String>,
        /// The call's state.
        #[wire("status")]
        pub status: Option<CallStatus>,
        /// Why the call ended, once it has.
        #[wire("endedReason")]
        pub ended_reason: Option<EndedReason>,
        /// More context on `ended_reason`, such as a provider's error text.
        #[wire("endedMessage")]
        pub ended_message: Option<String>,
        /// The organization that owns the call.
        #[wire("orgId")]
        pub org_id: Option<String>,
        /// The name given to the call when it was created.
        #[wire("name")]
        pub name: Option<String>,
        /// The assistant handling the call, when saved.
        #[wire("assistantId")]
        pub assistant_id: Option<String>,
        /// The squad handling the call, when saved.
        #[wire("squadId")]
        pub squad_id: Option<String>,
        /// The workflow handling the call, when saved.
        #[wire("workflowId")]
        pub workflow_id: Option<String>,
        /// The campaign that placed the call.
        #[wire("campaignId")]
        pub campaign_id: Option<String>,
        /// The phone number the call came in on or went out from, when saved.
        #[wire("phoneNumberId")]
        pub phone_number_id: Option<String>,
        /// The saved customer, when the call names one by id.
        #[wire("customerId")]
        pub customer_id: Option<String>,
        /// The customer on the other end.
        #[wire("customer")]
        pub customer: Option<Customer>,
        /// The telephony provider: `twilio`, `vonage`, `vapi` or `telnyx`.
        #[wire("phoneCallProvider")]
        pub phone_call_provider: Option<String>,
        /// The provider's own id of the call (Twilio's `CallSid`, ...).
        #[wire("phoneCallProviderId")]
        pub phone_call_provider_id: Option<String>,
        /// `sip` or `pstn`.
        #[wire("phoneCallTransport")]
        pub phone_call_transport: Option<String>,
        /// When the call was created, as ISO-8601.
        #[wire("createdAt")]
        pub created_at: Option<String>,
        /// When the call was last updated, as ISO-8601.
        #[wire("updatedAt")]
        pub updated_at: Option<String>,
        /// When the call started, as ISO-8601.
        #[wire("startedAt")]
        pub started_at: Option<String>,
        /// When the call ended, as ISO-8601.
        #[wire("endedAt")]
        pub ended_at: Option<String>,
        /// The call's total cost in USD.
        #[wire("cost")]
        pub cost: Option<f64>,
        /// The call's cost line by line.
        #[wire("costs")]
        pub costs: Option<Vec<Cost>>,
        /// Transcript, messages and recordings, once the call has them.
        #[wire("artifact")]
        pub artifact: Option<Artifact>,
        /// Summary, structured data and success evaluation, after the call.
        #[wire("analysis")]
        pub analysis: Option<Analysis>,
    }
}

lenient_struct! {
    /// The person on the other end of the call (Vapi's `CreateCustomerDTO`).
    ///
    /// `Debug` shows whether each contact field is set but not its value,
    /// and the keys of `extra` but not their values.
    #[debug_redact(number, name, email, sip_uri, extension, external_id; extra)]
    pub struct Customer {
        /// Phone number in E.164 form.
        #[wire("number")]
        pub number: Option<String>,
        /// Display name.
        #[wire("name")]
        pub name: Option<String>,
        /// Email address.
        #[wire("email")]
        pub email: Option<String>,
        /// SIP URI, for SIP callers.
        #[wire("sipUri")]
        pub sip_uri: Option<String>,
        /// Digits dialled after the number.
        #[wire("extension")]
        pub extension: Option<String>,
        /// An id from the user's own system.
        #[wire("externalId")]
        pub external_id: Option<String>,
        /// Whether Vapi checks that `number` is in E.164 form.
        #[wire("numberE164CheckEnabled")]
        pub number_e164_check_enabled: Option<bool>,
    }
}

lenient_struct! {
    /// The Vapi phone number involved in the call (Vapi's phone-number
    /// DTOs, one per provider; the fields they share).
    ///
    /// Provider credentials such as `twilioAuthToken` are deliberately not
    /// typed, but when Vapi sends them they are kept in `extra`. So `Debug`
    /// shows the keys of `extra` but not their values, and whether `number`
    /// and `sip_uri` are set but not their values. The JSON of this value
    /// still contains the credentials, so do not log it.
    #[debug_redact(number, sip_uri; extra)]
    pub struct PhoneNumber {
        /// The phone number's id.
        #[wire("id")]
        pub id: Option<String>,
        /// The number in E.164 form.
        #[wire("number")]
        pub number: Option<String>,
        /// The name given to the number.
        #[wire("name")]
        pub name: Option<String>,
        /// `twilio`, `vonage`, `vapi`, `telnyx`, `byo-phone-number`, ...
        #[wire("provider")]
        pub provider: Option<String>,
        /// The SIP URI of the number, for Vapi SIP numbers.
        #[wire("sipUri")]
        pub sip_uri: Option<String>,
        /// The assistant assigned to the number.
        #[wire("assistantId")]
        pub assistant_id: Option<String>,
        /// The squad assigned to the number.
        #[wire("squadId")]
        pub squad_id: Option<String>,
        /// The workflow assigned to the number.
        #[wire("workflowId")]
        pub workflow_id: Option<String>,
    }
}

lenient_struct! {
    /// The chat session a message belongs to, for text chats.
    pub struct Chat {
        /// The chat id.
        #[wire("id")]
        pub id: Option<String>,
    }
}
