//! The Vapi event catalogue as plain data: one table that names every event,
//! its wire `type` strings, its payload type and its reply type.
//!
//! This is a crate of its own because two crates must read the same table and
//! neither can depend on the other: `webhook-macros` checks `#[on(...)]` names
//! against it at expansion time, and `webhook-core` (which re-exports the
//! macro, so the macro crate cannot depend on it) builds its [`EventKind`]
//! routing and its `Payload` impls from it. The table is written once, in
//! [`for_each_event!`], and everything else is generated from that list, so
//! the compile-time names and the runtime types cannot drift apart.
//!
//! Nothing here is meant to be used directly: depend on `webhook-core`.

#![no_std]
#![warn(missing_docs)]

/// Which of Vapi's two message families an event belongs to.
///
/// Server messages are POSTed by Vapi to the assistant's Server URL. Client
/// messages are what Vapi's web SDK hands to the browser; a front end
/// forwards them to its own backend. Both families reuse some wire types
/// (`tool-calls`, `hang`, `transcript`), so they are routed separately.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Namespace {
    /// Messages Vapi sends to the Server URL.
    Server,
    /// Messages the Vapi web SDK delivers to the browser.
    Client,
}

impl Namespace {
    /// Every namespace, in the order they are written in event names.
    pub const ALL: [Namespace; 2] = [Namespace::Server, Namespace::Client];

    /// Returns the prefix users write in `#[on(...)]`: `server` or `client`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Namespace::Server => "server",
            Namespace::Client => "client",
        }
    }

    /// Parses an event-name prefix written by a user.
    pub fn from_prefix(prefix: &str) -> Option<Namespace> {
        match prefix {
            "server" => Some(Namespace::Server),
            "client" => Some(Namespace::Client),
            _ => None,
        }
    }
}

/// One row of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct EventDef {
    /// The routing key used by generated code.
    pub kind: EventKind,
    /// The family the event belongs to.
    pub namespace: Namespace,
    /// The part of the user-facing name after the namespace, e.g. `toolCalls`.
    pub method: &'static str,
    /// Every `message.type` string that routes to this event; the first is
    /// the canonical one and the rest are aliases.
    pub wire_types: &'static [&'static str],
    /// The payload type's path inside `webhook_core::events`, as `stringify!`
    /// writes it: `EndOfCallReport`, or `client :: Transcript`.
    pub payload: &'static str,
    /// The reply type's name inside `webhook_core::reply`; `NoReply` for
    /// events whose sender does not wait for an answer.
    pub reply: &'static str,
}

impl EventDef {
    /// Returns whether the sender waits for a meaningful answer to this event.
    pub fn expects_reply(&self) -> bool {
        !matches!(self.reply.as_bytes(), b"NoReply")
    }

    /// Returns the canonical wire type.
    pub fn wire_type(&self) -> &'static str {
        self.wire_types[0]
    }
}

/// Calls `$callback!` with the whole catalogue, one row per event:
///
/// ```text
/// Variant: Namespace.method ["wire-type", "alias", ...] => PayloadType -> ReplyType;
/// ```
///
/// `PayloadType` is a path inside `webhook_core::events`; client payloads
/// that share a wire type with a server payload live in `events::client`.
///
/// `webhook-core` uses this to implement its `Payload` trait for each payload
/// type, which fails to compile if a row names a type that core lacks.
#[macro_export]
macro_rules! for_each_event {
    ($callback:path) => {
        $callback! {
            ServerAssistantRequest: Server.assistantRequest ["assistant-request"]
                => AssistantRequest -> AssistantRequestReply;
            ServerConversationUpdate: Server.conversationUpdate ["conversation-update"]
                => ConversationUpdate -> NoReply;
            ServerEndOfCallReport: Server.endOfCallReport ["end-of-call-report"]
                => EndOfCallReport -> NoReply;
            ServerHandoffDestinationRequest: Server.handoffDestinationRequest ["handoff-destination-request"]
                => HandoffDestinationRequest -> HandoffDestinationReply;
            ServerHang: Server.hang ["hang"]
                => Hang -> NoReply;
            ServerKnowledgeBaseRequest: Server.knowledgeBaseRequest ["knowledge-base-request"]
                => KnowledgeBaseRequest -> KnowledgeBaseReply;
            ServerModelOutput: Server.modelOutput ["model-output"]
                => ModelOutput -> NoReply;
            ServerPhoneCallControl: Server.phoneCallControl ["phone-call-control"]
                => PhoneCallControl -> NoReply;
            ServerSpeechUpdate: Server.speechUpdate ["speech-update"]
                => SpeechUpdate -> NoReply;
            ServerStatusUpdate: Server.statusUpdate ["status-update"]
                => StatusUpdate -> NoReply;
            ServerToolCalls: Server.toolCalls ["tool-calls"]
                => ToolCalls -> ToolCallsReply;
            ServerTransferDestinationRequest: Server.transferDestinationRequest ["transfer-destination-request"]
                => TransferDestinationRequest -> TransferDestinationReply;
            ServerTransferUpdate: Server.transferUpdate ["transfer-update"]
                => TransferUpdate -> NoReply;
            ServerTranscript: Server.transcript ["transcript", "transcript[transcriptType=\"final\"]"]
                => Transcript -> NoReply;
            ServerUserInterrupted: Server.userInterrupted ["user-interrupted"]
                => UserInterrupted -> NoReply;
            ServerLanguageChangeDetected: Server.languageChangeDetected ["language-change-detected", "language-changed"]
                => LanguageChangeDetected -> NoReply;
            ServerVoiceInput: Server.voiceInput ["voice-input"]
                => VoiceInput -> NoReply;
            ServerAssistantSpeechStarted: Server.assistantSpeechStarted ["assistant.speechStarted"]
                => AssistantSpeechStarted -> NoReply;
            ServerVoiceRequest: Server.voiceRequest ["voice-request"]
                => VoiceRequest -> VoiceReply;
            ServerCallEndpointingRequest: Server.callEndpointingRequest ["call.endpointing.request"]
                => CallEndpointingRequest -> CallEndpointingReply;
            ServerChatCreated: Server.chatCreated ["chat.created"]
                => ChatCreated -> NoReply;
            ServerChatDeleted: Server.chatDeleted ["chat.deleted"]
                => ChatDeleted -> NoReply;
            ServerSessionCreated: Server.sessionCreated ["session.created"]
                => SessionCreated -> NoReply;
            ServerSessionUpdated: Server.sessionUpdated ["session.updated"]
                => SessionUpdated -> NoReply;
            ServerSessionDeleted: Server.sessionDeleted ["session.deleted"]
                => SessionDeleted -> NoReply;
            ServerCallDeleted: Server.callDeleted ["call.deleted"]
                => CallDeleted -> NoReply;
            ServerCallDeleteFailed: Server.callDeleteFailed ["call.delete.failed"]
                => CallDeleteFailed -> NoReply;
            ServerCallArtifactUpload: Server.callArtifactUpload ["call.artifact.upload"]
                => CallArtifactUpload -> NoReply;
            ServerCampaignPredial: Server.campaignPredial ["campaign.predial"]
                => CampaignPredial -> CampaignPredialReply;
            ServerFunctionCall: Server.functionCall ["function-call"]
                => FunctionCall -> FunctionCallReply;
            ServerAssistantStarted: Server.assistantStarted ["assistant.started"]
                => AssistantStarted -> NoReply;
            ClientWorkflowNodeStarted: Client.workflowNodeStarted ["workflow.node.started"]
                => WorkflowNodeStarted -> ClientReply;
            ClientAssistantStarted: Client.assistantStarted ["assistant.started"]
                => client::AssistantStarted -> ClientReply;
            ClientConversationUpdate: Client.conversationUpdate ["conversation-update"]
                => client::ConversationUpdate -> ClientReply;
            ClientHang: Client.hang ["hang"]
                => client::Hang -> ClientReply;
            ClientMetadata: Client.metadata ["metadata"]
                => client::Metadata -> ClientReply;
            ClientModelOutput: Client.modelOutput ["model-output"]
                => client::ModelOutput -> ClientReply;
            ClientSpeechUpdate: Client.speechUpdate ["speech-update"]
                => client::SpeechUpdate -> ClientReply;
            ClientTranscript: Client.transcript ["transcript", "transcript[transcriptType=\"final\"]"]
                => client::Transcript -> ClientReply;
            ClientToolCalls: Client.toolCalls ["tool-calls"]
                => client::ToolCalls -> ClientReply;
            ClientToolCallsResult: Client.toolCallsResult ["tool-calls-result"]
                => client::ToolCallsResult -> ClientReply;
            ClientTransferUpdate: Client.transferUpdate ["transfer-update"]
                => client::TransferUpdate -> ClientReply;
            ClientUserInterrupted: Client.userInterrupted ["user-interrupted"]
                => client::UserInterrupted -> ClientReply;
            ClientLanguageChangeDetected: Client.languageChangeDetected ["language-change-detected", "language-changed"]
                => client::LanguageChangeDetected -> ClientReply;
            ClientVoiceInput: Client.voiceInput ["voice-input"]
                => client::VoiceInput -> ClientReply;
            ClientAssistantSpeechStarted: Client.assistantSpeechStarted ["assistant.speechStarted"]
                => client::AssistantSpeechStarted -> ClientReply;
            ClientChatCreated: Client.chatCreated ["chat.created"]
                => client::ChatCreated -> ClientReply;
            ClientChatDeleted: Client.chatDeleted ["chat.deleted"]
                => client::ChatDeleted -> ClientReply;
            ClientSessionCreated: Client.sessionCreated ["session.created"]
                => client::SessionCreated -> ClientReply;
            ClientSessionUpdated: Client.sessionUpdated ["session.updated"]
                => client::SessionUpdated -> ClientReply;
            ClientSessionDeleted: Client.sessionDeleted ["session.deleted"]
                => client::SessionDeleted -> ClientReply;
            ClientCallDeleted: Client.callDeleted ["call.deleted"]
                => client::CallDeleted -> ClientReply;
            ClientCallDeleteFailed: Client.callDeleteFailed ["call.delete.failed"]
                => client::CallDeleteFailed -> ClientReply;
            ClientStatusUpdate: Client.statusUpdate ["status-update"]
                => client::StatusUpdate -> ClientReply;
            ClientFunctionCall: Client.functionCall ["function-call"]
                => client::FunctionCall -> ClientReply;
            ClientFunctionCallResult: Client.functionCallResult ["function-call-result"]
                => client::FunctionCallResult -> ClientReply;
            ClientToolCompleted: Client.toolCompleted ["tool.completed"]
                => client::ToolCompleted -> ClientReply;
        }
    };
}

macro_rules! define_catalogue {
    ($(
        $variant:ident : $namespace:ident . $method:ident [ $($wire:literal),+ ]
            => $($payload:ident)::+ -> $reply:ident;
    )*) => {
        /// Identifies one event of the catalogue. Generated code matches on it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum EventKind {
            $(
                #[doc = concat!("`", stringify!($namespace), ".", stringify!($method), "`")]
                $variant,
            )*
        }

        /// Every event, in catalogue order.
        pub const EVENTS: &[EventDef] = &[
            $(EventDef {
                kind: EventKind::$variant,
                namespace: Namespace::$namespace,
                method: stringify!($method),
                wire_types: &[$($wire),+],
                payload: stringify!($($payload)::+),
                reply: stringify!($reply),
            },)*
        ];
    };
}

for_each_event!(define_catalogue);

impl EventKind {
    /// Returns this event's catalogue row.
    pub fn def(self) -> &'static EventDef {
        // The table is built in variant order, so the discriminant is the index.
        &EVENTS[self as usize]
    }
}

/// Finds the event that a `message.type` string routes to in one namespace.
pub fn lookup(namespace: Namespace, wire_type: &str) -> Option<&'static EventDef> {
    EVENTS
        .iter()
        .find(|def| def.namespace == namespace && def.wire_types.contains(&wire_type))
}

/// Finds an event by its user-facing name parts (`server`, `toolCalls`).
pub fn by_name(namespace: Namespace, method: &str) -> Option<&'static EventDef> {
    EVENTS
        .iter()
        .find(|def| def.namespace == namespace && def.method == method)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_indexes_its_own_row() {
        for (index, def) in EVENTS.iter().enumerate() {
            assert_eq!(def.kind as usize, index, "{}", def.method);
            assert_eq!(def.kind.def(), def);
        }
    }

    #[test]
    fn names_follow_the_wire_type_rule() {
        // The name is the camelCase of the canonical wire type with `-` and
        // `.` removed, so users can derive one from the other.
        for def in EVENTS {
            let mut expected = [0u8; 64];
            let mut len = 0;
            let mut upper = false;
            for byte in def.wire_type().bytes() {
                if byte == b'-' || byte == b'.' {
                    upper = true;
                    continue;
                }
                expected[len] = if upper {
                    byte.to_ascii_uppercase()
                } else {
                    byte
                };
                upper = false;
                len += 1;
            }
            assert_eq!(
                def.method.as_bytes(),
                &expected[..len],
                "{}",
                def.wire_type()
            );
        }
    }

    #[test]
    fn wire_types_are_unique_per_namespace() {
        for (i, a) in EVENTS.iter().enumerate() {
            for b in &EVENTS[i + 1..] {
                if a.namespace != b.namespace {
                    continue;
                }
                for wire in a.wire_types {
                    assert!(!b.wire_types.contains(wire), "{wire} routes twice");
                }
                assert_ne!(a.method, b.method);
            }
        }
    }

    #[test]
    fn lookup_respects_namespace() {
        let def = lookup(Namespace::Server, "tool-calls").expect("tool-calls is a server event");
        assert_eq!(def.kind, EventKind::ServerToolCalls);
        assert!(lookup(Namespace::Client, "end-of-call-report").is_none());
        assert!(lookup(Namespace::Server, "call.metrics-snapshot").is_none());
        assert_eq!(
            by_name(Namespace::Client, "workflowNodeStarted").map(|def| def.kind),
            Some(EventKind::ClientWorkflowNodeStarted)
        );
    }
}
