//! The record a call leaves: its artifact (transcript, turns, recordings),
//! its post-call analysis and its cost lines.

use super::lenient::lenient_struct;
use super::{CostType, MessageRole, RawJson};

lenient_struct! {
    /// The record of a call: transcript, messages and recordings.
    ///
    /// `Debug` shows whether the transcript and the recording and log URLs are
    /// set, not their values.
    #[debug_redact(transcript, recording_url, stereo_recording_url, video_recording_url, pcap_url, log_url)]
    pub struct Artifact {
        /// The whole conversation as text, one `Speaker: words` line per turn.
        #[wire("transcript")]
        pub transcript: Option<String>,
        /// The conversation turn by turn.
        #[wire("messages")]
        pub messages: Option<Vec<ArtifactMessage>>,
        /// The conversation in OpenAI message format: a JSON array of chat
        /// messages.
        #[wire("messagesOpenAIFormatted")]
        pub messages_open_ai_formatted: Option<RawJson>,
        /// Mono recording URL.
        #[wire("recordingUrl")]
        pub recording_url: Option<String>,
        /// Stereo recording URL.
        #[wire("stereoRecordingUrl")]
        pub stereo_recording_url: Option<String>,
        /// Video recording URL, for video calls.
        #[wire("videoRecordingUrl")]
        pub video_recording_url: Option<String>,
        /// Every recording URL, including one per side of the call.
        #[wire("recording")]
        pub recording: Option<Recording>,
        /// Packet capture URL, for phone calls.
        #[wire("pcapUrl")]
        pub pcap_url: Option<String>,
        /// Log URL.
        #[wire("logUrl")]
        pub log_url: Option<String>,
        /// The values of the assistant's variables when the call ended: a JSON
        /// object from variable name to value.
        #[wire("variableValues")]
        pub variable_values: Option<RawJson>,
    }
}

lenient_struct! {
    /// The recording URLs of a call (Vapi's `Recording`).
    ///
    /// `Debug` shows whether each URL is set, not its value.
    #[debug_redact(stereo_url, video_url)]
    pub struct Recording {
        /// Stereo recording URL: the assistant on one channel, the customer
        /// on the other.
        #[wire("stereoUrl")]
        pub stereo_url: Option<String>,
        /// Video recording URL, for video calls.
        #[wire("videoUrl")]
        pub video_url: Option<String>,
        /// The mono recordings.
        #[wire("mono")]
        pub mono: Option<MonoRecording>,
    }
}

lenient_struct! {
    /// The mono recording URLs of a call (Vapi's `Mono`).
    ///
    /// `Debug` shows whether each URL is set, not its value.
    #[debug_redact(combined_url, assistant_url, customer_url)]
    pub struct MonoRecording {
        /// Both sides mixed into one channel.
        #[wire("combinedUrl")]
        pub combined_url: Option<String>,
        /// The assistant's side only.
        #[wire("assistantUrl")]
        pub assistant_url: Option<String>,
        /// The customer's side only.
        #[wire("customerUrl")]
        pub customer_url: Option<String>,
    }
}

lenient_struct! {
    /// One turn of the conversation history (Vapi's `UserMessage`,
    /// `BotMessage`, `SystemMessage`, `ToolCallMessage` or
    /// `ToolCallResultMessage`, distinguished by `role`).
    ///
    /// `Debug` shows whether `message` and `result` are set, not their text.
    #[debug_redact(message, result)]
    pub struct ArtifactMessage {
        /// Who spoke.
        #[wire("role")]
        pub role: Option<MessageRole>,
        /// What was said.
        #[wire("message")]
        pub message: Option<String>,
        /// When the turn started, in Unix epoch milliseconds.
        #[wire("time")]
        pub time: Option<f64>,
        /// When the turn ended, in Unix epoch milliseconds.
        #[wire("endTime")]
        pub end_time: Option<f64>,
        /// Seconds from the start of the call.
        #[wire("secondsFromStart")]
        pub seconds_from_start: Option<f64>,
        /// Length of the turn. Deliveries carry milliseconds (`end_time`
        /// minus `time`), although Vapi's schema describes the field in
        /// seconds, so check the unit against `end_time` before relying on
        /// it.
        #[wire("duration")]
        pub duration: Option<f64>,
        /// The source of a bot turn, as Vapi names it.
        #[wire("source")]
        pub source: Option<String>,
        /// The id of the tool call whose result a `tool_call_result` turn carries.
        #[wire("toolCallId")]
        pub tool_call_id: Option<String>,
        /// The tool's name, in a `tool_call_result` turn.
        #[wire("name")]
        pub name: Option<String>,
        /// The tool's result, in a `tool_call_result` turn.
        #[wire("result")]
        pub result: Option<String>,
    }
}

lenient_struct! {
    /// The post-call analysis.
    ///
    /// `Debug` shows whether `summary` is set, not its text.
    #[debug_redact(summary)]
    pub struct Analysis {
        /// A summary of the call.
        #[wire("summary")]
        pub summary: Option<String>,
        /// Data extracted with the assistant's structured-data plan.
        #[wire("structuredData")]
        pub structured_data: Option<RawJson>,
        /// Data extracted by each of several structured-data plans: a JSON
        /// array with one entry per plan.
        #[wire("structuredDataMulti")]
        pub structured_data_multi: Option<RawJson>,
        /// The verdict of the assistant's success-evaluation plan. The
        /// schema types it as a string, but it stays raw JSON so that a
        /// verdict sent as a number or a boolean decodes too.
        #[wire("successEvaluation")]
        pub success_evaluation: Option<RawJson>,
    }
}

lenient_struct! {
    /// One line of the call's cost (Vapi's `TransportCost`, `ModelCost`,
    /// `VoiceCost`, ..., distinguished by `type`).
    pub struct Cost {
        /// What the cost pays for.
        #[wire("type")]
        pub cost_type: Option<CostType>,
        /// Amount in USD.
        #[wire("cost")]
        pub cost: Option<f64>,
        /// Minutes used, for transport, transcriber and Vapi costs.
        #[wire("minutes")]
        pub minutes: Option<f64>,
        /// Characters spoken, for voice costs.
        #[wire("characters")]
        pub characters: Option<f64>,
        /// Prompt tokens, for model, analysis and knowledge-base costs.
        #[wire("promptTokens")]
        pub prompt_tokens: Option<f64>,
        /// Completion tokens, for model, analysis and knowledge-base costs.
        #[wire("completionTokens")]
        pub completion_tokens: Option<f64>,
    }
}
