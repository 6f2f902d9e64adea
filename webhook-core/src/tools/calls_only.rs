//! The part of a tool-calls message that running `#[tool]` methods needs:
//! `toolCallList`, and `call.id` / `chat.id` for the log lines.
//!
//! When no tool of a hooks type reads the whole message (see
//! [`ToolContext::READS_MESSAGE`](super::ToolContext::READS_MESSAGE)) and no
//! `#[on(server.toolCalls)]` handler exists, nothing reads the rest of the
//! message: the artifact with the conversation so far, the assistant, the
//! customer and the tool definitions. Decoding it into `ToolCalls` would copy
//! every string of it, so this type skips it. Skipping still reads it as
//! JSON, so a malformed body is rejected as before, but the skipped fields
//! are not checked against their types.

use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::events::{Call, Chat, ToolCall, ToolCalls};

/// `toolCallList`, `call.id` and `chat.id` of a tool-calls message, with
/// the same rules as [`ToolCalls`] for them: a `null` or absent list is
/// empty, and the last of repeated keys counts.
#[derive(Debug, Default)]
pub(crate) struct CallsOnly {
    calls: Vec<ToolCall>,
    call_id: Option<String>,
    chat_id: Option<String>,
}

impl CallsOnly {
    /// Returns a `ToolCalls` with these calls and ids, and every other field
    /// empty.
    pub(crate) fn into_message(self) -> ToolCalls {
        ToolCalls {
            tool_call_list: self.calls,
            call: self.call_id.map(|id| Call {
                id: Some(id),
                ..Call::default()
            }),
            chat: self.chat_id.map(|id| Chat {
                id: Some(id),
                ..Chat::default()
            }),
            ..ToolCalls::default()
        }
    }
}

/// The keys of the message that [`CallsOnly`] reads.
enum MessageKey {
    ToolCallList,
    Call,
    Chat,
    Other,
}

impl<'de> Deserialize<'de> for MessageKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl Visitor<'_> for KeyVisitor {
            type Value = MessageKey;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }

            // serde_json passes a key with escapes here already unescaped,
            // so `"tool\u0043allList"` is `toolCallList`, as for `ToolCalls`.
            fn visit_str<E: de::Error>(self, key: &str) -> Result<MessageKey, E> {
                Ok(match key {
                    "toolCallList" => MessageKey::ToolCallList,
                    "call" => MessageKey::Call,
                    "chat" => MessageKey::Chat,
                    _ => MessageKey::Other,
                })
            }
        }

        deserializer.deserialize_identifier(KeyVisitor)
    }
}

impl<'de> Deserialize<'de> for CallsOnly {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CallsOnlyVisitor;

        impl<'de> Visitor<'de> for CallsOnlyVisitor {
            type Value = CallsOnly;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a tool-calls message")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CallsOnly, A::Error> {
                let mut calls = None;
                let mut call_id = None;
                let mut chat_id = None;
                while let Some(key) = map.next_key()? {
                    match key {
                        MessageKey::ToolCallList => {
                            calls = map.next_value::<Option<Vec<ToolCall>>>()?;
                        }
                        MessageKey::Call => {
                            call_id = map.next_value_seed(IdOf("a `Call` object"))?;
                        }
                        MessageKey::Chat => {
                            chat_id = map.next_value_seed(IdOf("a `Chat` object"))?;
                        }
                        MessageKey::Other => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(CallsOnly {
                    calls: calls.unwrap_or_default(),
                    call_id,
                    chat_id,
                })
            }
        }

        deserializer.deserialize_map(CallsOnlyVisitor)
    }
}

/// Reads the `id` of a `call` or `chat` object, as [`Call`] and [`Chat`]
/// read it: the object may be `null`, the id a string or `null`, and the
/// last id counts when it repeats. The other keys are skipped. The text is
/// what a failure names as expected, the same as for the whole decode.
struct IdOf(&'static str);

impl<'de> DeserializeSeed<'de> for IdOf {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for IdOf {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut id = None;
        while let Some(key) = map.next_key::<IdKey>()? {
            match key {
                IdKey::Id => id = map.next_value::<Option<String>>()?,
                IdKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(id)
    }
}

/// The keys of a `call` or `chat` object that [`IdOf`] reads.
enum IdKey {
    Id,
    Other,
}

impl<'de> Deserialize<'de> for IdKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl Visitor<'_> for KeyVisitor {
            type Value = IdKey;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<IdKey, E> {
                Ok(if key == "id" { IdKey::Id } else { IdKey::Other })
            }
        }

        deserializer.deserialize_identifier(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::CallsOnly;
    use crate::events::ToolCalls;

    /// Decodes `message` both ways and checks that they agree on the calls
    /// and the call id.
    fn agree(message: &str) {
        let whole: ToolCalls = serde_json::from_str(message).expect("decodes as ToolCalls");
        let only = serde_json::from_str::<CallsOnly>(message)
            .expect("decodes as CallsOnly")
            .into_message();
        assert_eq!(only.tool_call_list, whole.tool_call_list, "{message}");
        assert_eq!(only.call_id(), whole.call_id(), "{message}");
    }

    #[test]
    fn agrees_with_the_whole_message() {
        let call = r#"{"id": "t1", "function": {"name": "f", "arguments": "{}"}}"#;
        agree(&format!(
            r#"{{"type": "tool-calls", "toolCallList": [{call}], "call": {{"id": "c1"}}}}"#
        ));
        // Absent and `null` lists are empty; the last list counts.
        agree(r#"{"type": "tool-calls"}"#);
        agree(r#"{"toolCallList": null, "chat": {"id": "chat-1"}}"#);
        agree(&format!(
            r#"{{"toolCallList": [], "toolCallList": [{call}, {call}]}}"#
        ));
        // An escaped key names the same field; the last `id` counts; a
        // call without an id falls back to the chat's.
        agree(&format!(
            r#"{{"tool\u0043allList": [{call}], "call": {{"id": "a", "id": "b"}}}}"#
        ));
        agree(r#"{"call": {"status": "ended"}, "chat": {"id": "chat-2"}}"#);
        agree(r#"{"call": null, "chat": {"id": null}}"#);
    }

    #[test]
    fn checks_what_it_reads_and_skips_the_rest() {
        // The fields it reads are checked as `ToolCalls` checks them.
        for message in [
            r#"{"toolCallList": [{"id": 5}]}"#,
            r#"{"toolCallList": {}}"#,
            r#"{"call": {"id": 7}}"#,
            r#"{"call": "c1"}"#,
        ] {
            assert!(
                serde_json::from_str::<CallsOnly>(message).is_err(),
                "{message}"
            );
            assert!(
                serde_json::from_str::<ToolCalls>(message).is_err(),
                "{message}"
            );
        }
        // A wrong `call` or `chat` is described alike both ways.
        for message in [r#"{"call": 5}"#, r#"{"chat": []}"#] {
            let only = serde_json::from_str::<CallsOnly>(message).expect_err(message);
            let whole = serde_json::from_str::<ToolCalls>(message).expect_err(message);
            assert_eq!(only.to_string(), whole.to_string());
        }
        // A field it skips is read as JSON only.
        let message = r#"{"toolCallList": [], "customer": 5, "timestamp": "soon"}"#;
        assert!(serde_json::from_str::<CallsOnly>(message).is_ok());
        assert!(serde_json::from_str::<ToolCalls>(message).is_err());
        assert!(serde_json::from_str::<CallsOnly>(r#"{"customer": [1,}"#).is_err());
    }
}
