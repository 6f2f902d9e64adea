//! The payload of each event except tool calls, which have their own module.

use std::borrow::Cow;

use super::lenient::{lenient_struct, message_struct};
use super::{
    Analysis, Artifact, ArtifactMessage, Call, CallStatus, Chat, Cost, Customer, EndedReason,
    PhoneNumber, RawJson, Timestamp,
};

message_struct! {
    /// `server.assistantRequest`: an inbound call needs an assistant. Vapi waits
    /// for the reply (at most 7.5 seconds) before it answers the phone.
    pub struct AssistantRequest {}
}

message_struct! {
    /// `server.endOfCallReport`: the call is over; here is what it left behind.
    /// Reports of long calls are several megabytes.
    ///
    /// `Debug` shows whether the summary, the transcript and the recording URLs
    /// are set, not their values.
    #[debug_redact(summary, transcript, recording_url, stereo_recording_url)]
    pub struct EndOfCallReport {
        /// Why the call ended.
        #[wire("endedReason")]
        pub ended_reason: Option<EndedReason>,
        /// Summary, structured data and success evaluation.
        #[wire("analysis")]
        pub analysis: Option<Analysis>,
        /// Total cost in USD.
        #[wire("cost")]
        pub cost: Option<f64>,
        /// Cost line by line.
        #[wire("costs")]
        pub costs: Option<Vec<Cost>>,
        /// When the call started, as ISO-8601.
        #[wire("startedAt")]
        pub started_at: Option<String>,
        /// When the call ended, as ISO-8601.
        #[wire("endedAt")]
        pub ended_at: Option<String>,
        /// Call length in seconds. Sent by Vapi although the schema omits it.
        #[wire("durationSeconds")]
        pub duration_seconds: Option<f64>,
        /// Call length in milliseconds. Sent by Vapi although the schema omits it.
        #[wire("durationMs")]
        pub duration_ms: Option<f64>,
        /// The summary, repeated at the top level by Vapi. Prefer
        /// [`summary()`](Self::summary), which reads `analysis.summary`
        /// first and falls back to this copy.
        #[wire("summary")]
        pub summary: Option<String>,
        /// The transcript, repeated at the top level by Vapi. Prefer
        /// [`transcript()`](Self::transcript), which reads
        /// `artifact.transcript` first and falls back to this copy.
        #[wire("transcript")]
        pub transcript: Option<String>,
        /// The conversation turn by turn, repeated at the top level by Vapi.
        #[wire("messages")]
        pub messages: Option<Vec<ArtifactMessage>>,
        /// The recording URL, repeated at the top level by Vapi.
        #[wire("recordingUrl")]
        pub recording_url: Option<String>,
        /// The stereo recording URL, repeated at the top level by Vapi.
        #[wire("stereoRecordingUrl")]
        pub stereo_recording_url: Option<String>,
    }
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
}

message_struct! {
    /// `server.statusUpdate`: the call changed state (ringing, in progress,
    /// forwarding, ended).
    ///
    /// `Debug` shows whether the transcript and the summary are set, not their
    /// text.
    #[debug_redact(transcript, summary)]
    pub struct StatusUpdate {
        /// The new state.
        #[wire("status")]
        pub status: Option<CallStatus>,
        /// Why the call ended, when `status` is `ended`.
        #[wire("endedReason")]
        pub ended_reason: Option<EndedReason>,
        /// The transcript so far, when `status` is `forwarding`.
        #[wire("transcript")]
        pub transcript: Option<String>,
        /// A summary of the call so far, when `status` is `forwarding`.
        #[wire("summary")]
        pub summary: Option<String>,
        /// The conversation turn by turn, when `status` is `forwarding`.
        #[wire("messages")]
        pub messages: Option<Vec<ArtifactMessage>>,
        /// The conversation in OpenAI message format (a JSON array of chat
        /// messages), when `status` is `forwarding`.
        #[wire("messagesOpenAIFormatted")]
        pub messages_open_ai_formatted: Option<RawJson>,
        /// The transfer destination, when `status` is `forwarding`: a number
        /// or SIP destination as Vapi sent it.
        #[wire("destination")]
        pub destination: Option<RawJson>,
    }
}

message_struct! {
    /// `server.transferDestinationRequest`: the assistant wants to transfer the
    /// call and asks where to. Vapi waits for the reply.
    pub struct TransferDestinationRequest {
    }
}

message_struct! {
    /// `client.workflowNodeStarted`: a workflow entered a node.
    pub struct WorkflowNodeStarted {
        /// The node's configuration as Vapi sent it (its `name` and `type` among
        /// others).
        #[wire("node")]
        pub node: Option<RawJson>,
    }
}

impl WorkflowNodeStarted {
    /// Returns the node's `name`, when it has one.
    pub fn node_name(&self) -> Option<Cow<'_, str>> {
        self.node.as_ref()?.name_field()
    }
}
