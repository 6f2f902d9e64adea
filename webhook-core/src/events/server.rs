//! Payloads of the server events beyond the six core ones: live-call
//! updates, knowledge-base and endpointing requests, chat and session
//! lifecycle, campaigns and legacy messages.
//!
//! Each message carries the same envelope fields (`timestamp`, `call`,
//! `customer`, `phoneNumber`, `chat`, `artifact`, `assistant`), added by
//! `message_struct!`. The fields listed in each struct are the event's own.

use std::borrow::Cow;

use super::lenient::{lenient_struct, message_struct};
use super::{
    Artifact, ArtifactMessage, Call, Chat, Customer, MessageRole, PhoneNumber, RawJson, Timestamp,
};

message_struct! {
    /// `server.conversationUpdate`: the conversation history changed.
    pub struct ConversationUpdate {
        /// The conversation turn by turn.
        #[wire("messages")]
        pub messages: Option<Vec<ArtifactMessage>>,
        /// The conversation in OpenAI message format: a JSON array of chat
        /// messages.
        #[wire("messagesOpenAIFormatted")]
        pub messages_open_ai_formatted: Option<RawJson>,
    }
}

message_struct! {
    /// `server.handoffDestinationRequest`: the assistant hands the call off
    /// and requests a destination. Vapi waits for the reply.
    pub struct HandoffDestinationRequest {
        /// The arguments the model gave the handoff tool.
        #[wire("parameters")]
        pub parameters: Option<RawJson>,
    }
}

message_struct! {
    /// `server.hang`: the assistant has not spoken for a while; the call may
    /// be stuck.
    pub struct Hang {}
}

message_struct! {
    /// `server.knowledgeBaseRequest`: the assistant requests documents
    /// relevant to the conversation. Vapi waits for the reply.
    pub struct KnowledgeBaseRequest {
        /// The conversation turn by turn.
        #[wire("messages")]
        pub messages: Option<Vec<ArtifactMessage>>,
        /// The conversation in OpenAI message format: a JSON array of chat
        /// messages.
        #[wire("messagesOpenAIFormatted")]
        pub messages_open_ai_formatted: Option<RawJson>,
    }
}

message_struct! {
    /// `server.modelOutput`: a chunk of the model's output.
    pub struct ModelOutput {
        /// The turn the output belongs to.
        #[wire("turnId")]
        pub turn_id: Option<String>,
        /// The output chunk (text, or a tool call) as the model produced it.
        #[wire("output")]
        pub output: Option<RawJson>,
    }
}

message_struct! {
    /// `server.phoneCallControl`: with a phone-call-control plan, Vapi asks
    /// the server to forward the call or hang up.
    pub struct PhoneCallControl {
        /// `forward` or `hang-up`.
        #[wire("request")]
        pub request: Option<String>,
        /// The forwarding destination, for `forward`.
        #[wire("destination")]
        pub destination: Option<RawJson>,
    }
}

message_struct! {
    /// `server.speechUpdate`: someone started or stopped speaking.
    pub struct SpeechUpdate {
        /// `started` or `stopped`.
        #[wire("status")]
        pub status: Option<String>,
        /// The speaker: `assistant` or `user`.
        #[wire("role")]
        pub role: Option<MessageRole>,
        /// The turn number.
        #[wire("turn")]
        pub turn: Option<f64>,
    }
}

message_struct! {
    /// `server.transferUpdate`: a transfer happened.
    pub struct TransferUpdate {
        /// The transfer destination, as Vapi sent it.
        #[wire("destination")]
        pub destination: Option<RawJson>,
        /// The assistant the call moved to, for squad transfers.
        #[wire("toAssistant")]
        pub to_assistant: Option<RawJson>,
        /// The assistant the call left, for squad transfers.
        #[wire("fromAssistant")]
        pub from_assistant: Option<RawJson>,
    }
}

message_struct! {
    /// `server.transcript`: a partial or final transcript of one utterance.
    /// Vapi also sends it as `transcript[transcriptType="final"]`, which
    /// routes here too.
    ///
    /// `Debug` shows whether the transcripts are set, not their text.
    #[debug_redact(transcript, original_transcript)]
    pub struct Transcript {
        /// The speaker: `assistant` or `user`.
        #[wire("role")]
        pub role: Option<MessageRole>,
        /// `partial` or `final`.
        #[wire("transcriptType")]
        pub transcript_type: Option<String>,
        /// The transcribed text.
        #[wire("transcript")]
        pub transcript: Option<String>,
        /// The transcript before content filtering, when it was filtered.
        #[wire("originalTranscript")]
        pub original_transcript: Option<String>,
        /// Whether content filtering changed the transcript.
        #[wire("isFiltered")]
        pub is_filtered: Option<bool>,
    }
}

impl Transcript {
    /// Returns whether this is the final transcript of the utterance:
    /// `transcriptType` is `final`, or the message came with the wire type
    /// `transcript[transcriptType="final"]` (kept in `extra` as `type`).
    pub fn is_final(&self) -> bool {
        const FINAL_WIRE_TYPE: &str = r#"transcript[transcriptType="final"]"#;

        let wire_type_is_final = self
            .extra
            .get("type")
            .and_then(|wire_type| wire_type.parse::<Cow<'_, str>>().ok())
            .is_some_and(|wire_type| wire_type == FINAL_WIRE_TYPE);
        self.transcript_type.as_deref() == Some("final") || wire_type_is_final
    }
}

message_struct! {
    /// `server.userInterrupted`: the caller interrupted the assistant.
    pub struct UserInterrupted {
        /// The turn that was interrupted.
        #[wire("turnId")]
        pub turn_id: Option<String>,
    }
}

message_struct! {
    /// `server.languageChangeDetected`: the caller switched language. The
    /// old wire name `language-changed` routes here too.
    pub struct LanguageChangeDetected {
        /// The new language, e.g. `es`.
        #[wire("language")]
        pub language: Option<String>,
    }
}

message_struct! {
    /// `server.voiceInput`: text the assistant is about to speak, for
    /// custom voice pipelines.
    ///
    /// `Debug` shows whether `input` is set, not its text.
    #[debug_redact(input)]
    pub struct VoiceInput {
        /// The text.
        #[wire("input")]
        pub input: Option<String>,
    }
}

message_struct! {
    /// `server.assistantSpeechStarted`: the assistant started speaking.
    ///
    /// `Debug` shows whether `text` is set, not its text.
    #[debug_redact(text)]
    pub struct AssistantSpeechStarted {
        /// What the assistant says.
        #[wire("text")]
        pub text: Option<String>,
        /// The turn number.
        #[wire("turn")]
        pub turn: Option<f64>,
        /// `model`, `force-say` or `custom-voice`.
        #[wire("source")]
        pub source: Option<String>,
        /// Word timing, as Vapi sent it.
        #[wire("timing")]
        pub timing: Option<RawJson>,
    }
}

message_struct! {
    /// `server.voiceRequest`: with a custom voice, Vapi asks the server to
    /// synthesise `text`. The reply is raw audio, not JSON.
    ///
    /// `Debug` shows whether `text` is set, not its text.
    #[debug_redact(text)]
    pub struct VoiceRequest {
        /// The text to speak.
        #[wire("text")]
        pub text: Option<String>,
        /// The sample rate the audio must have, in Hz.
        #[wire("sampleRate")]
        pub sample_rate: Option<f64>,
    }
}

message_struct! {
    /// `server.callEndpointingRequest`: with a custom endpointing plan,
    /// Vapi asks how long to wait before the assistant answers. Vapi waits
    /// for the reply.
    pub struct CallEndpointingRequest {
        /// The conversation turn by turn.
        #[wire("messages")]
        pub messages: Option<Vec<ArtifactMessage>>,
        /// The conversation in OpenAI message format: a JSON array of chat
        /// messages.
        #[wire("messagesOpenAIFormatted")]
        pub messages_open_ai_formatted: Option<RawJson>,
    }
}

message_struct! {
    /// `server.chatCreated`: a chat session started.
    pub struct ChatCreated {}
}

message_struct! {
    /// `server.chatDeleted`: a chat session was deleted.
    pub struct ChatDeleted {}
}

message_struct! {
    /// `server.sessionCreated`: a session was created.
    pub struct SessionCreated {
        /// The session, as Vapi sent it.
        #[wire("session")]
        pub session: Option<RawJson>,
    }
}

message_struct! {
    /// `server.sessionUpdated`: a session changed.
    pub struct SessionUpdated {
        /// The session, as Vapi sent it.
        #[wire("session")]
        pub session: Option<RawJson>,
    }
}

message_struct! {
    /// `server.sessionDeleted`: a session was deleted.
    pub struct SessionDeleted {
        /// The session, as Vapi sent it.
        #[wire("session")]
        pub session: Option<RawJson>,
    }
}

message_struct! {
    /// `server.callDeleted`: a call record was deleted.
    pub struct CallDeleted {}
}

message_struct! {
    /// `server.callDeleteFailed`: deleting a call record failed.
    pub struct CallDeleteFailed {}
}

message_struct! {
    /// `server.callArtifactUpload`: call artifacts (recordings, logs) were
    /// uploaded to storage.
    pub struct CallArtifactUpload {
        /// The uploaded artifacts, as Vapi sent them: a JSON array.
        #[wire("artifacts")]
        pub artifacts: Option<RawJson>,
    }
}

message_struct! {
    /// `server.campaignPredial`: a campaign is about to dial a contact and
    /// asks whether it may. Vapi waits for the reply.
    pub struct CampaignPredial {
        /// The campaign's id.
        #[wire("campaignId")]
        pub campaign_id: Option<String>,
        /// The contact about to be dialled, as Vapi sent it.
        #[wire("contact")]
        pub contact: Option<RawJson>,
    }
}

message_struct! {
    /// `server.functionCall`: the legacy single-function call, sent by
    /// assistants configured with `functions` instead of `tools`.
    pub struct FunctionCall {
        /// The function's name and parameters, as Vapi sent them.
        #[wire("functionCall")]
        pub function_call: Option<RawJson>,
    }
}

impl FunctionCall {
    /// Returns the function's name.
    pub fn name(&self) -> Option<Cow<'_, str>> {
        self.function_call.as_ref()?.name_field()
    }
}

message_struct! {
    /// `server.assistantStarted`: a new assistant took over the call.
    pub struct AssistantStarted {
        /// The assistant now in charge, as Vapi sent it.
        #[wire("newAssistant")]
        pub new_assistant: Option<RawJson>,
    }
}
