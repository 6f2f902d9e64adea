//! The two ways [`Delivery::parse`] and the decoding that follows read a
//! request body.
//!
//! - [`peek`] reads only up to `message.type`, so routing a message costs
//!   the bytes before its `type`, whatever the size of the body.
//! - [`scan`] reads the whole body once: it checks that it is JSON, finds
//!   the text of `message`, and picks up `message.type`, `message.call` and
//!   `message.chat` on the way. It runs when the peek cannot route the body
//!   (to name what is wrong with it, or for a bare client message), and
//!   when something needs the whole message before or instead of decoding
//!   it.
//!
//! Every top-level value of `message` is read by the scan as a borrowed
//! [`RawValue`], which checks its syntax without building anything. The
//! text of `message` is then the span from its `{` to its `}`, found from
//! where the `message` key and the last value end.
//!
//! [`Delivery::parse`]: super::Delivery::parse

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use webhook_catalogue::Namespace;

use super::MalformedDelivery;
use super::surrogates::replace_lone_surrogates;
use crate::events::lenient::WireStr;

/// The result of the pass: the message's text, its wire type and its call id.
#[derive(Debug)]
pub(super) struct Scanned<'a> {
    /// The `message` object exactly as received, from `{` to `}`.
    pub(super) message: &'a str,
    pub(super) wire_type: Cow<'a, str>,
    pub(super) call_id: Option<Cow<'a, str>>,
}

/// Reads `body` once and returns the message's text, type and call id.
///
/// Server messages must be wrapped as `{"message": {...}}`; on the client
/// route a body without `message` is the message itself.
pub(super) fn scan(namespace: Namespace, body: &[u8]) -> Result<Scanned<'_>, MalformedDelivery> {
    let text = std::str::from_utf8(body).map_err(|error| {
        MalformedDelivery::NotJson(de::Error::custom(format_args!(
            "invalid UTF-8 at byte {}",
            error.valid_up_to()
        )))
    })?;
    let envelope =
        serde_json::from_str::<Envelope<'_>>(text).map_err(MalformedDelivery::NotJson)?;

    let (message, fields) = match envelope {
        Envelope::NotObject => return Err(MalformedDelivery::NotObject),
        Envelope::Object(object) => match object.message {
            None if namespace == Namespace::Client => (text.trim_matches(WHITESPACE), object.bare),
            None => return Err(MalformedDelivery::MissingMessage),
            Some(_) if object.repeated => return Err(MalformedDelivery::RepeatedMessage),
            Some(MessageValue::NotObject) => return Err(MalformedDelivery::MessageNotObject),
            Some(MessageValue::Object {
                key,
                last_value,
                fields,
            }) => {
                let message = message_span(text, key, last_value)
                    .map_or_else(|| message_by_second_pass(text), Ok)?;
                (message, fields)
            }
        },
    };

    let wire_type = fields
        .wire_type
        .flatten()
        .ok_or(MalformedDelivery::MissingType)?;
    // The payloads' `call_id()` rule: `call.id`, else `chat.id`.
    let call_id = fields
        .call
        .and_then(read_id)
        .or_else(|| fields.chat.and_then(read_id));
    Ok(Scanned {
        message,
        wire_type,
        call_id,
    })
}

/// Reads `body` up to the first `type` of its first `message` and returns
/// that type, or `None` when the body does not route that way.
///
/// Nothing after the `type` is read, so the body may still be malformed
/// further on. `None` covers every other case (a body that is not an
/// object, has no `message`, a `message` that is not an object or whose
/// first `type` is not a string, broken JSON before the `type`), which
/// [`scan`] then distinguishes.
pub(super) fn peek(body: &[u8]) -> Option<Cow<'_, str>> {
    let mut wire_type = None;
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    // The peek stops as soon as it has the type by returning from the
    // `message` object early. serde_json may then report the unread rest of
    // that object as an error, so the result carries no information and
    // `wire_type` contains the outcome. (Stopping with an error of our own
    // would cost more: `Error::custom` formats a message and searches it.)
    let _stopped = PeekSeed {
        wire_type: &mut wire_type,
    }
    .deserialize(&mut deserializer);
    wire_type
}

/// Reads the top level of the body for [`peek`], and the first `message`.
struct PeekSeed<'s, 'de> {
    wire_type: &'s mut Option<Cow<'de, str>>,
}

impl<'de> DeserializeSeed<'de> for PeekSeed<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PeekSeed<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(KeyText { key, .. }) = map.next_key()? {
            if key == Key::Message {
                map.next_value_seed(MessagePeekSeed {
                    wire_type: self.wire_type,
                })?;
                // Only the first `message` counts, typed or not. Stopping
                // here leaves the rest of the body unread.
                return Ok(());
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// Reads `message` for [`peek`] up to its first `type`.
struct MessagePeekSeed<'s, 'de> {
    wire_type: &'s mut Option<Cow<'de, str>>,
}

impl<'de> DeserializeSeed<'de> for MessagePeekSeed<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for MessagePeekSeed<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(KeyText { key, .. }) = map.next_key()? {
            if key == Key::Type {
                let wire_type: WireStr<'de> = map.next_value()?;
                *self.wire_type = Some(wire_type.into_cow());
                return Ok(());
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// JSON's insignificant whitespace.
const WHITESPACE: [char; 4] = [' ', '\t', '\n', '\r'];

/// Finds the text of `message` in `text` from the `message` key (when it was
/// borrowed, i.e. written without escapes) and the last value of the
/// message. Returns `None` when either cannot be placed.
fn message_span<'a>(
    text: &'a str,
    key: Option<&'a str>,
    last_value: Option<&'a str>,
) -> Option<&'a str> {
    // The parser has checked that only whitespace and `":` lie between the
    // key and the `{`, and only whitespace between the last value and `}`.
    let key_end = offset_in(text, key?)? + key?.len();
    let after_key = text.get(key_end..)?.strip_prefix('"')?;
    let after_colon = after_key.trim_start_matches(WHITESPACE).strip_prefix(':')?;
    let object = after_colon.trim_start_matches(WHITESPACE);
    if !object.starts_with('{') {
        return None;
    }
    let start = offset_in(text, object)?;

    let content_end = match last_value {
        Some(value) => offset_in(text, value)? + value.len(),
        None => start + 1,
    };
    let closing = text.get(content_end..)?.trim_start_matches(WHITESPACE);
    if !closing.starts_with('}') {
        return None;
    }
    let end = offset_in(text, closing)? + 1;
    text.get(start..end)
}

/// Finds `message` by parsing the body again, for the rare body whose
/// `message` key is written with escapes.
fn message_by_second_pass(text: &str) -> Result<&str, MalformedDelivery> {
    #[derive(Deserialize)]
    struct MessageOnly<'a> {
        #[serde(borrow)]
        message: &'a RawValue,
    }
    let envelope: MessageOnly<'_> =
        serde_json::from_str(text).map_err(MalformedDelivery::NotJson)?;
    Ok(envelope.message.get())
}

/// Returns where `part`, a slice of `text`, starts in it.
fn offset_in(text: &str, part: &str) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    (start + part.len() <= text.len()).then_some(start)
}

/// The request body as the pass reads it.
enum Envelope<'a> {
    Object(EnvelopeObject<'a>),
    /// Any JSON value other than an object.
    NotObject,
}

#[derive(Default)]
struct EnvelopeObject<'a> {
    /// The first `message` value.
    message: Option<MessageValue<'a>>,
    /// Whether `message` appears more than once.
    repeated: bool,
    /// The body's own `type`, `call` and `chat`, for a bare client message.
    bare: Fields<'a>,
}

/// The value of the `message` key.
enum MessageValue<'a> {
    Object {
        /// The `message` key as written, when it has no escapes.
        key: Option<&'a str>,
        /// The last value in the object, to find its closing `}`.
        last_value: Option<&'a str>,
        fields: Fields<'a>,
    },
    NotObject,
}

/// The fields that route a message and name its call.
#[derive(Default)]
struct Fields<'a> {
    /// The first `type`: `Some(None)` when it is not a string.
    wire_type: Option<Option<Cow<'a, str>>>,
    /// The last `call`.
    call: Option<&'a RawValue>,
    /// The last `chat`.
    chat: Option<&'a RawValue>,
}

impl<'a> Fields<'a> {
    /// Records `value` when `key` is one of the fields: the first `type`,
    /// which routes, and the last `call` and `chat`, as decoding a payload
    /// keeps them, so the call id is the same before and after decoding.
    fn record(&mut self, key: Key, value: &'a RawValue) {
        match key {
            Key::Type if self.wire_type.is_none() => {
                self.wire_type = Some(read_string(value));
            }
            Key::Call => self.call = Some(value),
            Key::Chat => self.chat = Some(value),
            _ => {}
        }
    }
}

/// Reads a JSON string value, or returns `None` when it is not one. A lone
/// surrogate escape in it reads as U+FFFD, as it does in a payload's
/// strings, so a `type` with one is unknown rather than missing.
pub(super) fn read_string(value: &RawValue) -> Option<Cow<'_, str>> {
    match serde_json::from_str::<WireStr<'_>>(value.get()) {
        Ok(wire_type) => Some(wire_type.into_cow()),
        Err(_) => {
            let repaired = replace_lone_surrogates(value.get())?;
            serde_json::from_str::<String>(&repaired)
                .ok()
                .map(Cow::Owned)
        }
    }
}

impl<'de> Deserialize<'de> for Envelope<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(EnvelopeVisitor)
    }
}

struct EnvelopeVisitor;

impl<'de> Visitor<'de> for EnvelopeVisitor {
    type Value = Envelope<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope<'de>, A::Error> {
        let mut object = EnvelopeObject::default();
        while let Some(KeyText { key, borrowed }) = map.next_key()? {
            match key {
                Key::Message if object.message.is_none() => {
                    object.message = Some(map.next_value_seed(MessageSeed { key: borrowed })?);
                }
                Key::Message => {
                    object.repeated = true;
                    map.next_value::<IgnoredAny>()?;
                }
                Key::Type | Key::Call | Key::Chat => {
                    let value = map.next_value::<&'de RawValue>()?;
                    object.bare.record(key, value);
                }
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Envelope::Object(object))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Envelope<'de>, A::Error> {
        drain(seq)?;
        Ok(Envelope::NotObject)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Envelope<'de>, E> {
        Ok(Envelope::NotObject)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Envelope<'de>, E> {
        Ok(Envelope::NotObject)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Envelope<'de>, E> {
        Ok(Envelope::NotObject)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Envelope<'de>, E> {
        Ok(Envelope::NotObject)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Envelope<'de>, E> {
        Ok(Envelope::NotObject)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Envelope<'de>, E> {
        Ok(Envelope::NotObject)
    }
}

/// Reads the value of `message`, remembering its `message` key.
struct MessageSeed<'a> {
    key: Option<&'a str>,
}

impl<'de> DeserializeSeed<'de> for MessageSeed<'de> {
    type Value = MessageValue<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for MessageSeed<'de> {
    type Value = MessageValue<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MessageValue<'de>, A::Error> {
        let mut fields = Fields::default();
        let mut last_value = None;
        while let Some(KeyText { key, .. }) = map.next_key()? {
            let value = map.next_value::<&'de RawValue>()?;
            fields.record(key, value);
            last_value = Some(value.get());
        }
        Ok(MessageValue::Object {
            key: self.key,
            last_value,
            fields,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<MessageValue<'de>, A::Error> {
        drain(seq)?;
        Ok(MessageValue::NotObject)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<MessageValue<'de>, E> {
        Ok(MessageValue::NotObject)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<MessageValue<'de>, E> {
        Ok(MessageValue::NotObject)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<MessageValue<'de>, E> {
        Ok(MessageValue::NotObject)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<MessageValue<'de>, E> {
        Ok(MessageValue::NotObject)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<MessageValue<'de>, E> {
        Ok(MessageValue::NotObject)
    }

    fn visit_unit<E: de::Error>(self) -> Result<MessageValue<'de>, E> {
        Ok(MessageValue::NotObject)
    }
}

/// Reads the rest of an array, so the parser still checks it.
fn drain<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// An object key that the pass looks for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    Message,
    Type,
    Call,
    Chat,
    Other,
}

/// An object key, and its text when it is borrowed from the body.
pub(super) struct KeyText<'a> {
    pub(super) key: Key,
    borrowed: Option<&'a str>,
}

impl<'de> Deserialize<'de> for KeyText<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = KeyText<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<KeyText<'de>, E> {
        Ok(KeyText {
            key: Key::of(text),
            borrowed: Some(text),
        })
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<KeyText<'de>, E> {
        Ok(KeyText {
            key: Key::of(text),
            borrowed: None,
        })
    }
}

impl Key {
    fn of(text: &str) -> Key {
        match text {
            "message" => Key::Message,
            "type" => Key::Type,
            "call" => Key::Call,
            "chat" => Key::Chat,
            _ => Key::Other,
        }
    }
}

/// Reads `id` from a raw `call` or `chat` value, or `None` when it is not an
/// object whose last `id` is a string. The last `id` counts, and a lone
/// surrogate escape in it reads as U+FFFD, as in the decoded payload.
fn read_id(call: &RawValue) -> Option<Cow<'_, str>> {
    // A RawValue has no surrounding whitespace, so the first byte decides.
    if !call.get().starts_with('{') {
        return None;
    }
    match serde_json::from_str::<Entries<'_>>(call.get()) {
        Ok(Entries(entries)) => read_string(last_value(&entries, "id")?),
        // A lone surrogate escape in a key: the payload reads such keys as
        // U+FFFD, so this reads a repaired copy the same way.
        Err(_) => {
            let repaired = replace_lone_surrogates(call.get())?;
            let Entries(entries) = serde_json::from_str(&repaired).ok()?;
            read_string(last_value(&entries, "id")?).map(|id| Cow::Owned(id.into_owned()))
        }
    }
}

/// Returns the value of the last entry named `key`.
pub(crate) fn last_value<'a>(
    entries: &[(Cow<'a, str>, &'a RawValue)],
    key: &str,
) -> Option<&'a RawValue> {
    entries
        .iter()
        .rev()
        .find(|(name, _)| name == key)
        .map(|(_, value)| *value)
}

/// The top-level entries of a JSON object, in order, each value as text.
pub(crate) struct Entries<'a>(pub(crate) Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(EntriesVisitor)
    }
}

struct EntriesVisitor;

impl<'de> Visitor<'de> for EntriesVisitor {
    type Value = Entries<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<'de>, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<WireStr<'de>>()? {
            let value = map.next_value::<&'de RawValue>()?;
            entries.push((key.into_cow(), value));
        }
        Ok(Entries(entries))
    }
}
