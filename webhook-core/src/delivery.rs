//! One received request: the envelope parsed once, the wire type peeked,
//! and the concrete payload decoded from the same bytes on demand.
//!
//! Parsing reads the body in one pass, which checks that it is JSON and
//! keeps `message` as a borrowed [`RawValue`]. The wire type is then peeked
//! from the start of `message`, stopping at its `type` key, so nothing is
//! copied until a handler asks for its payload, and a type nobody handles
//! costs that one pass and no decoding.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;
use std::time::Duration;

use http::HeaderMap;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use webhook_catalogue::{EventDef, EventKind, Namespace};

use crate::hooks::Payload;

/// A parsed request, ready to route.
#[derive(Debug)]
pub struct Delivery<'a> {
    namespace: Namespace,
    wire_type: Cow<'a, str>,
    /// `message.call.id` or `message.chat.id`, read on first use because
    /// `call` may come after a multi-megabyte `artifact`. It is kept without
    /// a lifetime, because a `OnceLock` of a borrow would make `Delivery`
    /// invariant in `'a`.
    call_id: OnceLock<Option<CallIdText>>,
    event: Option<&'static EventDef>,
    message: &'a RawValue,
    headers: &'a HeaderMap,
    tool_timeout: Duration,
}

/// A request body that is not a webhook delivery: the sender's mistake,
/// answered with `400`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MalformedDelivery {
    /// The body is not valid JSON.
    #[error("body is not valid JSON: {0}")]
    NotJson(serde_json::Error),
    /// The body is JSON but not an object.
    #[error("body is not a JSON object")]
    NotObject,
    /// The body has no `message` object.
    #[error("body has no `message` object")]
    MissingMessage,
    /// `message` is present but not an object.
    #[error("`message` is not a JSON object")]
    MessageNotObject,
    /// `message.type` is missing or not a string.
    #[error("`message.type` is missing or not a string")]
    MissingType,
}

/// A message of a handled type whose fields do not fit its payload type.
#[derive(Debug, thiserror::Error)]
#[error("invalid `{wire_type}` message at `{path}`: {source}")]
pub struct DecodeError {
    /// The message's wire type.
    pub wire_type: String,
    /// The JSON path inside `message` that failed, `.` for the message itself.
    pub path: String,
    /// What was wrong there.
    #[source]
    pub source: serde_json::Error,
}

/// The call id: its place in the message text, or an unescaped copy.
#[derive(Debug)]
enum CallIdText {
    /// A byte range of the message text: the id had no escapes.
    InMessage(Range<usize>),
    /// The id with its escapes decoded.
    Unescaped(String),
}

#[derive(Deserialize)]
struct CallPeek<'a> {
    #[serde(borrow, default)]
    id: Option<Cow<'a, str>>,
}

impl<'a> Delivery<'a> {
    /// Parses a request body received on the route of `namespace`.
    ///
    /// Server messages must be wrapped as `{"message": {...}}`. Client
    /// messages may also arrive bare (`{"type": ...}`), because the web SDK
    /// hands them to the browser without the wrapper.
    ///
    /// The whole body is checked to be JSON. Of `message`, only the keys
    /// before the first `type` are read, so a repeated `type` key does not
    /// change the route.
    pub fn parse(
        namespace: Namespace,
        headers: &'a HeaderMap,
        body: &'a [u8],
    ) -> Result<Self, MalformedDelivery> {
        let message = Self::find_message(namespace, body)?;
        let wire_type = peek_wire_type(message)?;

        Ok(Delivery {
            namespace,
            event: webhook_catalogue::lookup(namespace, &wire_type),
            wire_type,
            call_id: OnceLock::new(),
            message,
            headers,
            tool_timeout: crate::receiver::DEFAULT_TOOL_TIMEOUT,
        })
    }

    fn find_message(
        namespace: Namespace,
        body: &'a [u8],
    ) -> Result<&'a RawValue, MalformedDelivery> {
        let envelope: Envelope<'a> =
            serde_json::from_slice(body).map_err(MalformedDelivery::NotJson)?;
        match envelope {
            Envelope::NotObject => Err(MalformedDelivery::NotObject),
            Envelope::Object { repeated: true, .. } => Err(MalformedDelivery::MessageNotObject),
            Envelope::Object {
                message: Some(message),
                ..
            } if is_object(message) => Ok(message),
            Envelope::Object {
                message: Some(_), ..
            } => Err(MalformedDelivery::MessageNotObject),
            Envelope::Object { message: None, .. } if namespace == Namespace::Client => {
                // A bare client message is the whole body. This second pass
                // runs only for bare messages, which are small.
                serde_json::from_slice(body).map_err(MalformedDelivery::NotJson)
            }
            Envelope::Object { message: None, .. } => Err(MalformedDelivery::MissingMessage),
        }
    }

    /// Sets the default timeout of each tool call; the receiver calls this.
    pub(crate) fn set_tool_timeout(&mut self, timeout: Duration) {
        self.tool_timeout = timeout;
    }

    /// Returns the route family the request came in on.
    pub fn namespace(&self) -> Namespace {
        self.namespace
    }

    /// Returns `message.type` as received.
    pub fn wire_type(&self) -> &str {
        &self.wire_type
    }

    /// Returns the catalogue row the wire type routes to, or `None` for a
    /// type this version does not know.
    pub fn event(&self) -> Option<&'static EventDef> {
        self.event
    }

    /// Returns the event the wire type routes to.
    pub fn kind(&self) -> Option<EventKind> {
        self.event.map(|def| def.kind)
    }

    /// Returns `message.call.id` (or `message.chat.id` for chats), if any.
    ///
    /// The first call reads `message` up to its `call` key, which in a long
    /// end-of-call report may be most of the body; later calls are free.
    pub fn call_id(&self) -> Option<&str> {
        let text = self.call_id.get_or_init(|| {
            let id = peek_call_id(self.message)?;
            Some(locate_in(self.message.get(), id))
        });
        match text.as_ref()? {
            CallIdText::InMessage(range) => self.message.get().get(range.clone()),
            CallIdText::Unescaped(id) => Some(id),
        }
    }

    /// Returns the `message` object exactly as received.
    pub fn raw_message(&self) -> &'a RawValue {
        self.message
    }

    /// Returns the request headers.
    pub fn headers(&self) -> &'a HeaderMap {
        self.headers
    }

    /// Returns the default timeout of one tool call.
    pub fn tool_timeout(&self) -> Duration {
        self.tool_timeout
    }

    /// Decodes the message into payload type `P`, straight from the bytes.
    pub fn decode<P: Payload>(&self) -> Result<P, DecodeError> {
        self.decode_as::<P>()
    }

    /// Decodes the message into any type, reporting the JSON path of the
    /// first value that does not fit.
    pub fn decode_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, DecodeError> {
        // Tracking the path costs an allocation per key, so it is done only
        // to explain a failure, by decoding the same text a second time.
        match serde_json::from_str(self.message.get()) {
            Ok(value) => Ok(value),
            Err(_) => self.decode_tracking_path(),
        }
    }

    fn decode_tracking_path<T: serde::de::DeserializeOwned>(&self) -> Result<T, DecodeError> {
        let mut deserializer = serde_json::Deserializer::from_str(self.message.get());
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| DecodeError {
            wire_type: self.wire_type.clone().into_owned(),
            path: error.path().to_string(),
            source: error.into_inner(),
        })
    }
}

/// The request body as the envelope pass sees it.
enum Envelope<'a> {
    /// An object: its `message` value, and whether `message` was repeated.
    Object {
        message: Option<&'a RawValue>,
        repeated: bool,
    },
    /// Any JSON value other than an object.
    NotObject,
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
        let mut message = None;
        let mut repeated = false;
        while let Some(key) = map.next_key::<Key>()? {
            // Every value is taken as a borrowed `RawValue`, which checks
            // that it is UTF-8 as well as JSON, without building it.
            let value = map.next_value::<&'de RawValue>()?;
            if key == Key::Message {
                repeated |= message.is_some();
                message = Some(value);
            }
        }
        Ok(Envelope::Object { message, repeated })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Envelope<'de>, A::Error> {
        while seq.next_element::<&'de RawValue>()?.is_some() {}
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

/// An object key, compared without allocating.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Message,
    Type,
    Call,
    Chat,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match key {
            "message" => Key::Message,
            "type" => Key::Type,
            "call" => Key::Call,
            "chat" => Key::Chat,
            _ => Key::Other,
        })
    }
}

/// A string value, borrowed from the body unless it has escapes.
struct WireString<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for WireString<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(WireStringVisitor)
    }
}

struct WireStringVisitor;

impl<'de> Visitor<'de> for WireStringVisitor {
    type Value = WireString<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<WireString<'de>, E> {
        Ok(WireString(Cow::Borrowed(value)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<WireString<'de>, E> {
        Ok(WireString(Cow::Owned(value.to_owned())))
    }
}

/// Reads the keys of `message` up to the first `type` and returns its
/// string value.
///
/// Nested objects are skipped whole, so a `type` key inside `call` or
/// `destination` can never be taken for the message's.
fn peek_wire_type(message: &RawValue) -> Result<Cow<'_, str>, MalformedDelivery> {
    let mut found = None;
    let mut deserializer = serde_json::Deserializer::from_str(message.get());
    // Stopping early leaves the rest of the object unread, which serde_json
    // reports as an error. The envelope pass has already checked the whole
    // message, so only whether a type was found matters here.
    let _ = TypeSeed { found: &mut found }.deserialize(&mut deserializer);
    found.ok_or(MalformedDelivery::MissingType)
}

/// Stores the message's `type` in `found` and stops reading there.
struct TypeSeed<'s, 'a> {
    found: &'s mut Option<Cow<'a, str>>,
}

impl<'de> DeserializeSeed<'de> for TypeSeed<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TypeSeed<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Key>()? {
            if key != Key::Type {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            // A `type` that is not a string fails here, leaving `found` empty.
            let WireString(wire_type) = map.next_value()?;
            *self.found = Some(wire_type);
            return Ok(());
        }
        Ok(())
    }
}

/// Reads `message.call.id`, or `message.chat.id` when `call` is absent or
/// `null`. Returns `None` when that value is not an object with one string
/// `id`.
fn peek_call_id(message: &RawValue) -> Option<Cow<'_, str>> {
    let mut found = CallAndChat::default();
    let mut deserializer = serde_json::Deserializer::from_str(message.get());
    // As for the type, an error after `call` is found only means the read
    // stopped early; the envelope pass has checked the message.
    let _ = CallSeed { found: &mut found }.deserialize(&mut deserializer);
    found.call.or(found.chat).and_then(read_id)
}

#[derive(Default)]
struct CallAndChat<'a> {
    call: Option<&'a RawValue>,
    chat: Option<&'a RawValue>,
}

/// Stores the first non-null `call` and `chat` values of the message,
/// stopping at the first `call`.
struct CallSeed<'s, 'a> {
    found: &'s mut CallAndChat<'a>,
}

impl<'de> DeserializeSeed<'de> for CallSeed<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for CallSeed<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Call => {
                    if let Some(call) = map.next_value::<Option<&'de RawValue>>()? {
                        self.found.call = Some(call);
                        return Ok(());
                    }
                }
                Key::Chat if self.found.chat.is_none() => {
                    self.found.chat = map.next_value()?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Reads `id` from a raw `call` or `chat` value, or `None` when it is not an
/// object with a string `id`.
fn read_id(call: &RawValue) -> Option<Cow<'_, str>> {
    if !is_object(call) {
        return None;
    }
    serde_json::from_str::<CallPeek<'_>>(call.get()).ok()?.id
}

/// Turns a string read from `text` into its byte range there, or into an
/// owned copy when it was unescaped into a new string.
fn locate_in(text: &str, value: Cow<'_, str>) -> CallIdText {
    match value {
        Cow::Borrowed(borrowed) => {
            let start = (borrowed.as_ptr() as usize).checked_sub(text.as_ptr() as usize);
            match start {
                Some(start) if start + borrowed.len() <= text.len() => {
                    CallIdText::InMessage(start..start + borrowed.len())
                }
                _ => CallIdText::Unescaped(borrowed.to_owned()),
            }
        }
        Cow::Owned(owned) => CallIdText::Unescaped(owned),
    }
}

fn is_object(value: &RawValue) -> bool {
    // A RawValue has no surrounding whitespace, so the first byte decides.
    value.get().starts_with('{')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{EndOfCallReport, StatusUpdate, ToolCalls};

    fn parse(namespace: Namespace, body: &str) -> Result<Delivery<'_>, MalformedDelivery> {
        static HEADERS: std::sync::OnceLock<HeaderMap> = std::sync::OnceLock::new();
        Delivery::parse(
            namespace,
            HEADERS.get_or_init(HeaderMap::new),
            body.as_bytes(),
        )
    }

    #[test]
    fn peek_finds_type_written_last() {
        let delivery = parse(
            Namespace::Server,
            r#"{"message":{"call":{"id":"call-1","type":"webCall"},"destination":{"type":"number"},"type":"status-update"}}"#,
        )
        .expect("valid delivery");
        assert_eq!(delivery.wire_type(), "status-update");
        assert_eq!(delivery.kind(), Some(EventKind::ServerStatusUpdate));
        assert_eq!(delivery.call_id(), Some("call-1"));
    }

    #[test]
    fn nested_type_is_not_the_message_type() {
        let result = parse(
            Namespace::Server,
            r#"{"message":{"destination":{"type":"number"},"call":{"type":"webCall"}}}"#,
        );
        assert!(matches!(result, Err(MalformedDelivery::MissingType)));
    }

    #[test]
    fn malformed_bodies_are_distinct_errors() {
        assert!(matches!(
            parse(Namespace::Server, "{\"message\": {"),
            Err(MalformedDelivery::NotJson(_))
        ));
        assert!(matches!(
            parse(Namespace::Server, "[1]"),
            Err(MalformedDelivery::NotObject)
        ));
        assert!(matches!(
            parse(Namespace::Server, r#"{"type":"status-update"}"#),
            Err(MalformedDelivery::MissingMessage)
        ));
        assert!(matches!(
            parse(Namespace::Server, r#"{"message":"status-update"}"#),
            Err(MalformedDelivery::MessageNotObject)
        ));
        assert!(matches!(
            parse(Namespace::Server, r#"{"message":{"type":7}}"#),
            Err(MalformedDelivery::MissingType)
        ));
    }

    #[test]
    fn call_of_any_shape_still_routes() {
        for message in [
            r#"{"call":"call-1","type":"status-update"}"#,
            r#"{"call":{"id":7},"type":"status-update"}"#,
            r#"{"call":{"id":"a","id":"b"},"type":"status-update"}"#,
            r#"{"call":null,"chat":["chat-1"],"type":"status-update"}"#,
        ] {
            let body = format!(r#"{{"message":{message}}}"#);
            let delivery = parse(Namespace::Server, &body).expect("valid delivery");
            assert_eq!(delivery.kind(), Some(EventKind::ServerStatusUpdate));
            assert_eq!(delivery.call_id(), None, "{message}");
        }
    }

    #[test]
    fn chat_id_stands_in_for_call_id() {
        let delivery = parse(
            Namespace::Server,
            r#"{"message":{"chat":{"id":"chat-1"},"type":"tool-calls"}}"#,
        )
        .expect("valid delivery");
        assert_eq!(delivery.call_id(), Some("chat-1"));
    }

    #[test]
    fn client_route_accepts_bare_messages() {
        let bare = parse(
            Namespace::Client,
            r#"{"type":"workflow.node.started","node":{}}"#,
        )
        .expect("bare client message");
        assert_eq!(bare.kind(), Some(EventKind::ClientWorkflowNodeStarted));
        let wrapped = parse(
            Namespace::Client,
            r#"{"message":{"type":"workflow.node.started"}}"#,
        )
        .expect("wrapped client message");
        assert_eq!(wrapped.kind(), Some(EventKind::ClientWorkflowNodeStarted));
    }

    #[test]
    fn unknown_type_routes_nowhere() {
        let delivery = parse(
            Namespace::Server,
            r#"{"message":{"type":"call.metrics-snapshot"}}"#,
        )
        .expect("valid delivery");
        assert_eq!(delivery.kind(), None);
        assert_eq!(delivery.wire_type(), "call.metrics-snapshot");
    }

    #[test]
    fn escaped_type_is_unescaped() {
        let delivery = parse(
            Namespace::Server,
            r#"{"message":{"type":"status\u002dupdate"}}"#,
        )
        .expect("valid delivery");
        assert_eq!(delivery.kind(), Some(EventKind::ServerStatusUpdate));
    }

    #[test]
    fn first_type_key_routes() {
        let delivery = parse(
            Namespace::Server,
            r#"{"message":{"type":"status-update","type":"tool-calls"}}"#,
        )
        .expect("valid delivery");
        assert_eq!(delivery.kind(), Some(EventKind::ServerStatusUpdate));
    }

    #[test]
    fn call_id_after_type_is_found() {
        let delivery = parse(
            Namespace::Server,
            r#"{"message":{"type":"end-of-call-report","artifact":{"call":{"id":"nested"}},"chat":{"id":"chat-1"},"call":{"id":"call-\u0031"}}}"#,
        )
        .expect("valid delivery");
        assert_eq!(delivery.call_id(), Some("call-1"));
        assert_eq!(delivery.call_id(), Some("call-1"));
    }

    #[test]
    fn null_call_falls_back_to_chat() {
        let delivery = parse(
            Namespace::Server,
            r#"{"message":{"chat":null,"call":null,"chat":{"id":"chat-2"},"type":"status-update"}}"#,
        )
        .expect("valid delivery");
        assert_eq!(delivery.call_id(), Some("chat-2"));
    }

    #[test]
    fn whole_body_must_be_json() {
        // Only the keys before `type` are peeked, but the envelope pass
        // still reads the rest of the body.
        for body in [
            r#"{"message":{"type":"status-update","call":{"id":"c"}"#,
            r#"{"message":{"type":"status-update"},"other":[1,}"#,
            r#"{"message":{"type":"status-update"}} trailing"#,
        ] {
            assert!(
                matches!(
                    parse(Namespace::Server, body),
                    Err(MalformedDelivery::NotJson(_))
                ),
                "{body}"
            );
        }

        let mut invalid_utf8 = br#"{"other":"#.to_vec();
        invalid_utf8.extend_from_slice(b"\"\xff\"");
        invalid_utf8.extend_from_slice(br#","message":{"type":"status-update"}}"#);
        let headers = HeaderMap::new();
        assert!(matches!(
            Delivery::parse(Namespace::Server, &headers, &invalid_utf8),
            Err(MalformedDelivery::NotJson(_))
        ));
    }

    #[test]
    fn repeated_message_is_rejected() {
        assert!(matches!(
            parse(
                Namespace::Server,
                r#"{"message":{"type":"status-update"},"message":{"type":"tool-calls"}}"#
            ),
            Err(MalformedDelivery::MessageNotObject)
        ));
    }

    #[test]
    fn decode_error_names_the_path() {
        let delivery = parse(
            Namespace::Server,
            r#"{"message":{"type":"tool-calls","toolCallList":[{"id":"c1","function":{"name":5}}]}}"#,
        )
        .expect("valid delivery");
        let error = delivery
            .decode::<ToolCalls>()
            .expect_err("name is not a string");
        assert_eq!(error.path, "toolCallList[0].function.name");
        assert!(
            error
                .to_string()
                .starts_with("invalid `tool-calls` message at `toolCallList[0].function.name`")
        );
    }

    #[test]
    fn nulls_and_absence_both_decode() {
        let delivery = parse(
            Namespace::Server,
            r#"{"message":{"type":"status-update","status":null,"call":null,"timestamp":null,"endedReason":null}}"#,
        )
        .expect("valid delivery");
        let update = delivery
            .decode::<StatusUpdate>()
            .expect("nulls are accepted");
        assert_eq!(update.status, None);
        assert_eq!(update.call, None);
    }

    #[test]
    fn report_keeps_unknown_fields() {
        let delivery = parse(
            Namespace::Server,
            r#"{"message":{"type":"end-of-call-report","brandNew":{"x":1},"call":{"id":"c","newCallField":true}}}"#,
        )
        .expect("valid delivery");
        let report = delivery.decode::<EndOfCallReport>().expect("decodes");
        assert_eq!(report.extra["brandNew"]["x"], 1);
        let call = report.call.expect("call present");
        assert_eq!(call.extra["newCallField"], true);
    }
}
