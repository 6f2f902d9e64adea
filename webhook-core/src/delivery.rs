//! One received request: routed by a peek at its `type`, and decoded from
//! the same bytes on demand.
//!
//! [`Delivery::parse`] reads the body only up to `message.type` (see the
//! `envelope` module), so when `type` comes early, as in Vapi's schema,
//! routing costs the same for a 2 KB status update and a 2 MB report. A handler's payload is then decoded from the whole
//! body in one pass, which also checks the rest of it. A message that no
//! handler takes is never read past its `type`.

mod envelope;
pub(crate) mod surrogates;
mod tap;

use std::borrow::Cow;
use std::marker::PhantomData;
use std::ops::Range;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use http::HeaderMap;
use serde::de::{self, Deserialize, DeserializeOwned, DeserializeSeed, MapAccess, Visitor};
use serde_json::value::RawValue;
use webhook_catalogue::{EventDef, EventKind, Namespace};

use crate::hooks::Payload;
use crate::tools::ToolLimits;

pub(crate) use envelope::{Entries, last_value};
use envelope::{Key, KeyText, Scanned};

/// A parsed request, ready to route: the `message.type` read from the body,
/// with the request headers and body it borrows.
///
/// [`parse`](Self::parse) reads the body only up to `message.type`.
/// [`decode`](Self::decode) decodes the event's payload from the whole body,
/// and [`check`](Self::check) checks the whole body without decoding it.
/// Handlers can take `&Delivery` next to the payload, to read the headers
/// or the message as raw JSON.
pub struct Delivery<'a> {
    namespace: Namespace,
    wire_type: Cow<'a, str>,
    event: Option<&'static EventDef>,
    body: &'a [u8],
    headers: &'a HeaderMap,
    /// Set by the receiver; `None` means the defaults, with the cutoff
    /// counted from when [`tool_limits`](Self::tool_limits) is called.
    tool_limits: Option<ToolLimits>,
    /// The result of the whole-body scan, once something needed it.
    scanned: OnceLock<Whole>,
    /// Whether a whole-body scan found the body malformed. The error itself
    /// is not kept, so a second request for it reads the body again.
    malformed: AtomicBool,
    /// Whether a payload decoded from the whole body, which checks it too.
    decoded: AtomicBool,
    /// The call id of the decoded payload, so the log line need not scan.
    decoded_call_id: OnceLock<Option<String>>,
    /// The message with lone UTF-16 surrogates replaced, once a decode
    /// needed it. Kept here so a borrowed decode can borrow from it.
    repaired: OnceLock<Box<str>>,
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
    /// `message` appears more than once in the body.
    #[error("`message` appears more than once")]
    RepeatedMessage,
    /// `message.type` is missing or not a string.
    #[error("`message.type` is missing or not a string")]
    MissingType,
}

/// A message of a handled type that cannot be decoded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The body breaks off or is invalid after `message.type`, which routing
    /// does not read past. The receiver replies `400`, as for a body that
    /// cannot be routed.
    #[error(transparent)]
    Malformed(#[from] MalformedDelivery),
    /// The body is JSON, but a field of the message does not fit its payload
    /// type.
    ///
    /// The message leaves out serde_json's line and column, which count from
    /// the start of `message` rather than of the body, and names the `path`
    /// instead. `source` still carries them.
    #[error("invalid `{wire_type}` message at `{path}`: {}", reason(source))]
    Invalid {
        /// The message's wire type.
        wire_type: String,
        /// The JSON path inside `message` that failed, `.` for the message
        /// itself.
        path: String,
        /// The reason the value does not fit.
        #[source]
        source: serde_json::Error,
    },
}

/// Returns serde_json's description of `error` without the position that
/// its `Display` appends, with a hint when a `&str` field met an escaped
/// string.
pub(crate) fn reason(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    let mut reason = match text.strip_suffix(&position) {
        Some(reason) if error.line() != 0 => reason.to_owned(),
        _ => text,
    };
    // serde's words when a `&str` field of a type given to
    // `decode_borrowed` or `Message<T>` meets a string with an escape.
    if reason.ends_with("expected a borrowed string") {
        reason.push_str(
            " (the string contains an escape, so it cannot be borrowed: declare the field `Cow<'a, str>`)",
        );
    }
    reason
}

impl DecodeError {
    /// Returns the JSON path inside `message` of the value that does not
    /// fit, or `None` when the body itself is malformed.
    pub fn path(&self) -> Option<&str> {
        match self {
            DecodeError::Invalid { path, .. } => Some(path),
            DecodeError::Malformed(_) => None,
        }
    }
}

impl<'a> Delivery<'a> {
    /// Parses a request body received on the route of `namespace`, reading
    /// it only as far as `message.type`.
    ///
    /// Server messages must be wrapped as `{"message": {...}}`. Client
    /// messages may also arrive bare (`{"type": ...}`), because the web SDK
    /// hands them to the browser without the wrapper. When `message`
    /// repeats `type`, the first one counts.
    ///
    /// # Errors
    ///
    /// Returns why the body cannot be routed: it is not JSON up to the
    /// `type`, or it has no `message` object with a string `type`. Strings
    /// skipped before the `type` are not checked for UTF-8 here. What
    /// comes after the `type` is checked when the payload is decoded (see
    /// [`decode`](Self::decode) and [`check`](Self::check)).
    pub fn parse(
        namespace: Namespace,
        headers: &'a HeaderMap,
        body: &'a [u8],
    ) -> Result<Self, MalformedDelivery> {
        let scanned = OnceLock::new();
        let wire_type = match envelope::peek(body) {
            Some(wire_type) => wire_type,
            None => {
                // The slow path names the mistake, or finds a bare client
                // message, which the peek does not route.
                let whole = envelope::scan(namespace, body)?;
                let wire_type = whole.wire_type.clone();
                let _ = scanned.set(Whole::new(body, whole));
                wire_type
            }
        };

        Ok(Delivery {
            namespace,
            event: webhook_catalogue::lookup(namespace, &wire_type),
            wire_type,
            body,
            headers,
            tool_limits: None,
            scanned,
            malformed: AtomicBool::new(false),
            decoded: AtomicBool::new(false),
            decoded_call_id: OnceLock::new(),
            repaired: OnceLock::new(),
        })
    }

    /// Sets the default timeout of each tool call; the receiver calls this.
    pub(crate) fn set_tool_limits(&mut self, limits: ToolLimits) {
        self.tool_limits = Some(limits);
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

    /// Returns `message.call.id`, else `message.chat.id`, if any. When a key
    /// repeats, the last one counts, as in the decoded payload.
    ///
    /// Once a payload is decoded this is its call id. Before that, the
    /// first call reads the whole body to find it (a malformed body has
    /// none).
    pub fn call_id(&self) -> Option<&str> {
        if let Some(call_id) = self.decoded_call_id.get() {
            return call_id.as_deref();
        }
        if self.malformed.load(Ordering::Acquire) {
            return None;
        }
        self.check_whole().ok()?.call_id.as_deref()
    }

    /// Returns the `message` object exactly as received.
    ///
    /// # Errors
    ///
    /// Returns why the body is malformed, which may be after `type`. The
    /// first call reads the whole body.
    pub fn raw_message(&self) -> Result<&'a RawValue, MalformedDelivery> {
        let message = self.message_text(self.check_whole()?);
        // `scan` took this text from a body it read as JSON and checked that
        // it is one object, so this parse is not expected to fail. An error
        // is still returned rather than a panic.
        serde_json::from_str(message).map_err(MalformedDelivery::NotJson)
    }

    /// Returns the request body.
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// Checks that the whole body is a well-formed delivery: JSON, with
    /// exactly one `message`.
    ///
    /// Routing reads only up to `type`, and decoding a payload checks the
    /// rest, so this reads the body only when no payload was decoded yet.
    /// Generated hooks call it before a handler that takes no payload, so
    /// no handler runs on a malformed body.
    ///
    /// # Errors
    ///
    /// Returns what is wrong with the body.
    pub fn check(&self) -> Result<(), MalformedDelivery> {
        if self.decoded.load(Ordering::Acquire) {
            return Ok(());
        }
        self.check_whole().map(|_| ())
    }

    /// Reads the whole body once and keeps what it found. A failure is kept
    /// only as a flag for [`call_id`](Self::call_id), because the error
    /// cannot be cloned and only error paths request it again.
    fn check_whole(&self) -> Result<&Whole, MalformedDelivery> {
        if let Some(whole) = self.scanned.get() {
            return Ok(whole);
        }
        match envelope::scan(self.namespace, self.body) {
            Ok(scanned) => {
                let whole = Whole::new(self.body, scanned);
                Ok(self.scanned.get_or_init(|| whole))
            }
            Err(error) => {
                self.malformed.store(true, Ordering::Release);
                Err(error)
            }
        }
    }

    /// Returns the text of `message`, which the scan found in the body.
    fn message_text(&self, whole: &Whole) -> &'a str {
        // The scan took the span from the body read as UTF-8 text, so the
        // range is valid and on character boundaries.
        std::str::from_utf8(&self.body[whole.message.clone()]).unwrap_or_default()
    }

    /// Returns the request headers.
    pub fn headers(&self) -> &'a HeaderMap {
        self.headers
    }

    /// Returns the default timeout of one tool call.
    pub fn tool_timeout(&self) -> Duration {
        self.tool_limits().default
    }

    /// Returns the time limits of the tool calls of this delivery: the
    /// receiver's, or the default ones for a delivery parsed by hand.
    /// Generated code reads them; [`tool_timeout`](Self::tool_timeout) is
    /// the public view.
    #[doc(hidden)]
    pub fn tool_limits(&self) -> ToolLimits {
        self.tool_limits.unwrap_or_else(|| ToolLimits {
            default: crate::receiver::DEFAULT_TOOL_TIMEOUT,
            cutoff: tokio::time::Instant::now() + crate::receiver::DEFAULT_REPLY_DEADLINE
                - crate::receiver::TOOL_DEADLINE_MARGIN,
        })
    }

    /// Decodes the message into payload type `P`, straight from the bytes,
    /// checking the whole body on the way.
    ///
    /// # Errors
    ///
    /// Returns [`DecodeError::Malformed`] when the body is not a
    /// well-formed delivery after all, and [`DecodeError::Invalid`] when a
    /// field does not fit `P`.
    pub fn decode<P: Payload>(&self) -> Result<P, DecodeError> {
        let payload = self.decode_as::<P>()?;
        self.remember_call_id(payload.message_call_id().map(str::to_owned));
        Ok(payload)
    }

    /// Keeps the call id of a decoded message for
    /// [`call_id`](Self::call_id), so the log line need not read the body
    /// again. The first one kept stays.
    pub(crate) fn remember_call_id(&self, call_id: Option<String>) {
        let _ = self.decoded_call_id.set(call_id);
    }

    /// Decodes the message into any type, reporting the JSON path of the
    /// first value that does not fit.
    ///
    /// # Errors
    ///
    /// As for [`decode`](Self::decode).
    pub fn decode_as<T: DeserializeOwned>(&self) -> Result<T, DecodeError> {
        self.decode_borrowed()
    }

    /// Decodes the message into a type that may borrow from the request
    /// body, such as a struct of `Cow<'a, str>` fields marked
    /// `#[serde(borrow)]`, reporting the JSON path of the first value that
    /// does not fit. Handlers get the same through
    /// [`Message`](crate::Message).
    ///
    /// A string that contains an escape (`\n`, `\"`, `\u00e9`) cannot be
    /// borrowed: a `Cow<'a, str>` field gets an owned copy of it, and a
    /// `&'a str` field fails to decode. When the message contains a lone UTF-16
    /// surrogate, which is not valid text, the message is decoded again with
    /// it replaced by U+FFFD, from a copy that this delivery keeps.
    ///
    /// # Errors
    ///
    /// As for [`decode`](Self::decode).
    pub fn decode_borrowed<T: Deserialize<'a>>(&'a self) -> Result<T, DecodeError> {
        if let Some(whole) = self.scanned.get() {
            // The whole body was read already: decode only the message.
            let message = self.message_text(whole);
            return serde_json::from_str(message).or_else(|_| self.decode_failed(message));
        }

        match decode_message_in_body(self.body) {
            Ok(value) => {
                self.decoded.store(true, Ordering::Release);
                Ok(value)
            }
            Err(_) => {
                // Reading the whole body distinguishes a malformed body from
                // a field that does not fit, and finds the message to decode
                // again.
                let message = self.message_text(self.check_whole()?);
                self.decode_failed(message)
            }
        }
    }

    /// Decodes the message as [`decode_borrowed`](Self::decode_borrowed)
    /// does, and keeps its call id for [`call_id`](Self::call_id), read in
    /// the same pass, as [`decode`](Self::decode) keeps a payload's. This is
    /// what a handler that takes [`Message`](crate::Message) gets.
    pub(crate) fn decode_keeping_call_id<T: Deserialize<'a>>(&'a self) -> Result<T, DecodeError> {
        if self.scanned.get().is_some() || self.decoded_call_id.get().is_some() {
            // The call id is known already.
            return self.decode_borrowed();
        }
        let mut ids = tap::Ids::default();
        let seed = tap::TapSeed {
            ids: &mut ids,
            target: PhantomData::<T>,
        };
        match decode_message_in_body_with(self.body, seed) {
            Ok(value) => {
                self.decoded.store(true, Ordering::Release);
                // Unknown when `T` did not read the message as a map, so
                // `call_id` reads the body for it.
                if let Some(call_id) = ids.call_id() {
                    self.remember_call_id(call_id);
                }
                Ok(value)
            }
            // The usual path reads the body again and explains the failure.
            Err(_) => self.decode_borrowed(),
        }
    }

    /// Handles a failed decode of the well-formed `message`: decodes it
    /// again with lone UTF-16 surrogates replaced when it has any, and
    /// explains the failure when that does not help either.
    fn decode_failed<T: Deserialize<'a>>(&'a self, message: &'a str) -> Result<T, DecodeError> {
        let repaired = match self.repaired.get() {
            Some(repaired) => repaired,
            None => {
                let Some(repaired) = surrogates::replace_lone_surrogates(message) else {
                    return self.explain_failure(message);
                };
                self.repaired.get_or_init(|| repaired.into_boxed_str())
            }
        };
        tracing::debug!(
            wire_type = %self.wire_type,
            "decoding again with lone UTF-16 surrogates replaced by U+FFFD"
        );
        serde_json::from_str(repaired).or_else(|_| self.explain_failure(repaired))
    }

    /// Decodes `message` again with path tracking, which costs an allocation
    /// per key and so is done only to explain a failure.
    pub(crate) fn explain_failure<'m, T: Deserialize<'m>>(
        &self,
        message: &'m str,
    ) -> Result<T, DecodeError> {
        let mut deserializer = serde_json::Deserializer::from_str(message);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| DecodeError::Invalid {
            wire_type: self.wire_type.clone().into_owned(),
            path: error.path().to_string(),
            source: error.into_inner(),
        })
    }
}

/// The result of the whole-body scan, stored without borrowing the body so
/// that `Delivery<'a>` stays covariant in `'a`.
#[derive(Debug)]
struct Whole {
    /// The span of the text of `message` in the body.
    message: Range<usize>,
    call_id: Option<String>,
}

impl Whole {
    fn new(body: &[u8], scanned: Scanned<'_>) -> Self {
        let start = (scanned.message.as_ptr() as usize).saturating_sub(body.as_ptr() as usize);
        Whole {
            message: start..start + scanned.message.len(),
            call_id: scanned.call_id.map(Cow::into_owned),
        }
    }
}

/// Decodes `T` from the `message` of a wrapped body in one pass over the
/// whole body, which also checks the other top-level values and that
/// `message` appears once.
fn decode_message_in_body<'b, T: Deserialize<'b>>(body: &'b [u8]) -> Result<T, serde_json::Error> {
    decode_message_in_body_with(body, PhantomData::<T>)
}

/// Decodes the `message` of a wrapped body with `seed`, as
/// [`decode_message_in_body`] decodes a type.
fn decode_message_in_body_with<'b, S: DeserializeSeed<'b>>(
    body: &'b [u8],
    seed: S,
) -> Result<S::Value, serde_json::Error> {
    // One check of the whole body is cheaper than the check of each string
    // that decoding from bytes makes, and decoding from text skips those.
    let text = std::str::from_utf8(body).map_err(|error| {
        de::Error::custom(format_args!(
            "invalid UTF-8 at byte {}",
            error.valid_up_to()
        ))
    })?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = PayloadInBodySeed(seed).deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// Reads the body's top-level object and decodes its `message` with the
/// seed inside.
struct PayloadInBodySeed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for PayloadInBodySeed<S> {
    type Value = S::Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for PayloadInBodySeed<S> {
    type Value = S::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object with a `message`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<S::Value, A::Error> {
        let mut seed = Some(self.0);
        let mut message = None;
        while let Some(KeyText { key, .. }) = map.next_key()? {
            match key {
                Key::Message => match seed.take() {
                    Some(seed) => message = Some(map.next_value_seed(seed)?),
                    None => return Err(de::Error::duplicate_field("message")),
                },
                // The text was checked as UTF-8 before decoding, so skipping
                // checks the rest of the syntax.
                _ => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        message.ok_or_else(|| de::Error::missing_field("message"))
    }
}

// Written by hand because the headers and the message may hold secrets and
// phone numbers, which must not reach a log through `?delivery`.
impl std::fmt::Debug for Delivery<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delivery")
            .field("namespace", &self.namespace)
            .field("wire_type", &self.wire_type)
            .field("body_bytes", &self.body.len())
            .field("header_count", &self.headers.len())
            .finish_non_exhaustive()
    }
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

    /// The fields a `Message<T>` handler might read: the status and the
    /// call id, borrowed.
    #[derive(serde::Deserialize)]
    struct Seen<'a> {
        #[serde(borrow)]
        status: Cow<'a, str>,
        #[serde(borrow)]
        call: Option<CallSeen<'a>>,
    }

    #[derive(serde::Deserialize)]
    struct CallSeen<'a> {
        #[serde(borrow)]
        id: Cow<'a, str>,
    }

    #[test]
    fn message_decode_keeps_call_id_without_second_read() {
        let body = r#"{"message": {"type": "status-update", "status": "ended",
            "call": {"id": "call-1", "orgId": "o"}, "chat": {"id": "chat-1"}}}"#;
        let delivery = parse(Namespace::Server, body).expect("routes");
        let seen: Seen<'_> = delivery.decode_keeping_call_id().expect("decodes");
        assert!(matches!(seen.status, Cow::Borrowed("ended")));
        // The call's text went through the tap and still borrows.
        assert!(matches!(
            seen.call.map(|call| call.id),
            Some(Cow::Borrowed("call-1"))
        ));
        assert_eq!(delivery.call_id(), Some("call-1"));
        assert!(delivery.scanned.get().is_none(), "the body was read again");
    }

    #[test]
    fn message_decode_follows_call_id_rules() {
        // The chat's id when the call has none; the last of repeated keys;
        // keys written with escapes.
        // The last bool: whether a derived struct can read the message; it
        // refuses a repeated field.
        for (message, expected, derivable) in [
            (
                r#""call": {"status": "ended"}, "chat": {"id": "chat-1"}"#,
                Some("chat-1"),
                true,
            ),
            (
                r#""call": {"id": "a"}, "call": {"id": "b"}"#,
                Some("b"),
                false,
            ),
            (r#""call": {"id": "a", "id": "b"}"#, Some("b"), false),
            (
                r#""c\u0061ll": {"\u0069d": "escaped"}"#,
                Some("escaped"),
                true,
            ),
            (
                r#""call": null, "chat": {"id": "chat-2"}"#,
                Some("chat-2"),
                true,
            ),
            (r#""call": {"id": 7}"#, None, true),
        ] {
            let body = format!(
                r#"{{"message": {{"type": "status-update", "status": "ended", {message}}}}}"#
            );
            // A type that skips `call` and `chat`: the tap reads the id
            // while skipping.
            #[derive(serde::Deserialize)]
            struct StatusOnly<'a> {
                #[serde(borrow)]
                #[allow(dead_code)]
                status: Cow<'a, str>,
            }
            let delivery = parse(Namespace::Server, &body).expect("routes");
            delivery
                .decode_keeping_call_id::<StatusOnly<'_>>()
                .expect("decodes");
            assert_eq!(delivery.call_id(), expected, "{message}");
            assert!(delivery.scanned.get().is_none(), "{message}");

            // A type that reads them as structs: the tap keeps the id as
            // the struct reads it.
            #[derive(serde::Deserialize)]
            #[allow(dead_code)]
            struct WithIds {
                call: Option<AnyId>,
                chat: Option<AnyId>,
            }
            #[derive(serde::Deserialize)]
            #[allow(dead_code)]
            struct AnyId {
                id: Option<serde_json::Value>,
            }
            if derivable {
                let delivery = parse(Namespace::Server, &body).expect("routes");
                delivery
                    .decode_keeping_call_id::<WithIds>()
                    .expect("decodes");
                assert_eq!(delivery.call_id(), expected, "{message}");
                assert!(delivery.scanned.get().is_none(), "{message}");
            }

            // A type that reads `call` as a `Value`, which the tap does not
            // follow: the id comes from a read of the body.
            #[derive(serde::Deserialize)]
            #[allow(dead_code)]
            struct CallValue {
                call: Option<serde_json::Value>,
            }
            if derivable {
                let delivery = parse(Namespace::Server, &body).expect("routes");
                delivery
                    .decode_keeping_call_id::<CallValue>()
                    .expect("decodes");
                assert_eq!(delivery.call_id(), expected, "{message}");
            }

            // The scan of a fresh delivery agrees.
            let fresh = parse(Namespace::Server, &body).expect("routes");
            assert_eq!(fresh.call_id(), expected, "{message}");
        }
    }

    /// Reads the message's `call` and `chat` as maps, keeping repeated keys
    /// as serde does for a `HashMap` (the last wins) and skipping the rest,
    /// so messages with repeated keys decode.
    #[derive(Debug, PartialEq)]
    struct CallMaps {
        call: Option<std::collections::HashMap<String, serde_json::Value>>,
        chat: Option<std::collections::HashMap<String, serde_json::Value>>,
    }

    impl<'de> serde::Deserialize<'de> for CallMaps {
        fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct MapsVisitor;

            impl<'de> Visitor<'de> for MapsVisitor {
                type Value = CallMaps;

                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a message")
                }

                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CallMaps, A::Error> {
                    let mut maps = CallMaps {
                        call: None,
                        chat: None,
                    };
                    while let Some(key) = map.next_key::<String>()? {
                        match key.as_str() {
                            "call" => maps.call = map.next_value()?,
                            "chat" => maps.chat = map.next_value()?,
                            _ => {
                                map.next_value::<de::IgnoredAny>()?;
                            }
                        }
                    }
                    Ok(maps)
                }
            }

            deserializer.deserialize_map(MapsVisitor)
        }
    }

    #[test]
    fn message_decode_follows_maps_with_repeated_keys() {
        for (message, expected) in [
            // A later `call` without an id replaces the one with an id.
            (r#""call": {"id": "a"}, "call": {"status": "x"}"#, None),
            (
                r#""call": {"id": "a"}, "call": {"status": "x"}, "chat": {"id": "c"}"#,
                Some("c"),
            ),
            (r#""call": {"id": "a", "id": "b"}"#, Some("b")),
            (
                r#""call": {"id": "a", "id": 5}, "chat": {"id": "c"}"#,
                Some("c"),
            ),
            (r#""call": {"id": "a\/b"}"#, Some("a/b")),
        ] {
            let body = format!(r#"{{"message": {{"type": "status-update", {message}}}}}"#);
            let delivery = parse(Namespace::Server, &body).expect("routes");
            let maps: CallMaps = delivery.decode_keeping_call_id().expect("decodes");
            assert!(delivery.scanned.get().is_none(), "{message}");
            assert_eq!(delivery.call_id(), expected, "{message}");

            // The tap changed nothing that `T` decoded.
            let message_text = format!("{{{message}}}");
            let plain: CallMaps = serde_json::from_str(&message_text).expect("decodes");
            assert_eq!(maps, plain, "{message}");
            assert_eq!(
                parse(Namespace::Server, &body).expect("routes").call_id(),
                expected,
                "the scan agrees: {message}"
            );
        }
    }

    /// A call whose `id` a handler reads leniently: an id that does not
    /// decode as a string is `None`.
    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct LenientCall {
        call: Option<LenientId>,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct LenientId {
        #[serde(default, deserialize_with = "lenient_string")]
        id: Option<String>,
    }

    fn lenient_string<'de, D: de::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<String>, D::Error> {
        Ok(String::deserialize(deserializer).ok())
    }

    #[test]
    fn message_decode_matches_plain_serde() {
        // Values that stop serde_json partway must fail or pass as they do
        // without the tap.
        for message in [
            r#"{"type": "status-update", "call": {"id": {"x": 1}}}"#,
            r#"{"type": "status-update", "call": {"id": [1, 2]}}"#,
            r#"{"type": "status-update", "call": {"id": "plain"}}"#,
            r#"{"type": "status-update", "call": {"id": "esc\u0061ped"}}"#,
            r#"{"type": "status-update", "call": {"id": null}}"#,
            r#"{"type": "status-update", "call": null}"#,
        ] {
            let body = format!(r#"{{"message": {message}}}"#);
            let delivery = parse(Namespace::Server, &body).expect("routes");
            let tapped = delivery.decode_keeping_call_id::<LenientCall>().ok();
            let plain = serde_json::from_str::<LenientCall>(message).ok();
            assert_eq!(tapped, plain, "{message}");
        }
    }

    #[test]
    fn message_decode_as_value_scans_for_call_id() {
        let body = r#"{"message": {"type": "status-update", "call": {"id": "call-2"}}}"#;
        let delivery = parse(Namespace::Server, body).expect("routes");
        let value: serde_json::Value = delivery.decode_keeping_call_id().expect("decodes");
        assert_eq!(value["call"]["id"], "call-2");
        assert!(delivery.decoded_call_id.get().is_none());
        assert_eq!(delivery.call_id(), Some("call-2"));

        let delivery = parse(Namespace::Server, body).expect("routes");
        let raw: &RawValue = delivery.decode_keeping_call_id().expect("decodes");
        assert!(raw.get().contains("call-2"));
        assert_eq!(delivery.call_id(), Some("call-2"));
    }

    #[test]
    fn message_decode_failure_names_path() {
        let body =
            r#"{"message": {"type": "status-update", "status": "ended", "call": {"id": 7}}}"#;
        let delivery = parse(Namespace::Server, body).expect("routes");
        let error = delivery
            .decode_keeping_call_id::<Seen<'_>>()
            .err()
            .expect("does not fit");
        assert_eq!(error.path(), Some("call.id"), "{error}");
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
    fn lone_surrogate_in_type_reads_as_replacement() {
        let delivery = parse(
            Namespace::Server,
            r#"{"message":{"type":"status-update\udc00","call":{"id":"call-1"}}}"#,
        )
        .expect("a string type");
        assert_eq!(delivery.wire_type(), "status-update\u{fffd}");
        assert_eq!(delivery.kind(), None);
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
    fn failed_scan_is_remembered() {
        let delivery = parse(
            Namespace::Server,
            r#"{"message":{"type":"status-update","call":{"id":"c"}},"#,
        )
        .expect("routes up to the type");
        assert!(!delivery.malformed.load(Ordering::Acquire));

        assert!(matches!(
            delivery.decode::<crate::events::StatusUpdate>(),
            Err(DecodeError::Malformed(_))
        ));
        // The log line's `call_id()` does not read the body a third time.
        assert!(delivery.malformed.load(Ordering::Acquire));
        assert_eq!(delivery.call_id(), None);
        // The error itself is found again on request.
        assert!(matches!(
            delivery.check(),
            Err(MalformedDelivery::NotJson(_))
        ));
    }

    #[test]
    fn body_after_type_is_checked_on_decode() {
        // Routing reads only up to `type`, so these bodies route; decoding
        // and `check` read the rest and reject them as malformed.
        for body in [
            r#"{"message":{"type":"status-update","call":{"id":"c"}"#,
            r#"{"message":{"type":"status-update"},"other":[1,}"#,
            r#"{"message":{"type":"status-update"}} trailing"#,
            "{\"message\":{\"type\":\"status-update\"},\"other\":\"\u{1}\"}",
        ] {
            let delivery = parse(Namespace::Server, body).expect("routes");
            assert_eq!(
                delivery.kind(),
                Some(EventKind::ServerStatusUpdate),
                "{body}"
            );
            assert!(
                matches!(
                    delivery.decode::<StatusUpdate>(),
                    Err(DecodeError::Malformed(MalformedDelivery::NotJson(_)))
                ),
                "{body}"
            );
            assert!(
                matches!(delivery.check(), Err(MalformedDelivery::NotJson(_))),
                "{body}"
            );
            assert!(delivery.raw_message().is_err(), "{body}");
            assert_eq!(delivery.call_id(), None, "{body}");
        }
    }

    #[test]
    fn invalid_utf8_after_type_is_malformed() {
        let mut body = br#"{"message":{"type":"status-update"},"other":"x"}"#.to_vec();
        let x = body.iter().rposition(|&byte| byte == b'x').expect("x");
        body[x] = 0xff;
        let headers = HeaderMap::new();
        let delivery = Delivery::parse(Namespace::Server, &headers, &body).expect("routes");
        assert!(matches!(
            delivery.decode::<StatusUpdate>(),
            Err(DecodeError::Malformed(MalformedDelivery::NotJson(_)))
        ));
    }

    #[test]
    fn broken_json_before_type_is_rejected_by_parse() {
        for body in [
            r#"{"message":{"call":{"id":"c",},"type":"status-update"}}"#,
            r#"{"message":{"call":{"id":"c"}"#,
            r#"{"other":[1,],"message":{"type":"status-update"}}"#,
        ] {
            assert!(
                matches!(
                    parse(Namespace::Server, body),
                    Err(MalformedDelivery::NotJson(_))
                ),
                "{body}"
            );
        }
    }

    #[test]
    fn check_passes_a_well_formed_body() {
        let delivery = parse(
            Namespace::Server,
            r#"{"message":{"type":"status-update","call":{"id":"c-1"}},"extra":[1]}"#,
        )
        .expect("routes");
        assert!(delivery.check().is_ok());
        assert_eq!(delivery.call_id(), Some("c-1"));
    }

    #[test]
    fn raw_message_is_the_exact_text() {
        let body = " { \"id\" : 1 , \"message\" :\n { \"type\" : \"status-update\" , \"status\" : [ ] }\t, \"x\": {} } ";
        let delivery = parse(Namespace::Server, body).expect("valid delivery");
        assert_eq!(
            delivery.raw_message().expect("well-formed").get(),
            "{ \"type\" : \"status-update\" , \"status\" : [ ] }"
        );
        assert!(
            delivery.decode::<StatusUpdate>().is_err(),
            "`status` is not a string"
        );
    }

    #[test]
    fn escaped_message_key_still_found() {
        let delivery = parse(
            Namespace::Server,
            r#"{"m\u0065ssage": {"type": "status-update", "call": {"id": "c-9"}}}"#,
        )
        .expect("valid delivery");
        assert_eq!(
            delivery.raw_message().expect("well-formed").get(),
            r#"{"type": "status-update", "call": {"id": "c-9"}}"#
        );
        assert_eq!(delivery.call_id(), Some("c-9"));
    }

    #[test]
    fn empty_message_has_no_type() {
        assert!(matches!(
            parse(Namespace::Server, r#"{"message": { }}"#),
            Err(MalformedDelivery::MissingType)
        ));
    }

    #[test]
    fn bare_client_message_is_the_body() {
        let delivery = parse(
            Namespace::Client,
            " {\"type\":\"workflow.node.started\",\"chat\":{\"id\":\"chat-3\"}}\n",
        )
        .expect("bare client message");
        assert_eq!(
            delivery.raw_message().expect("well-formed").get(),
            r#"{"type":"workflow.node.started","chat":{"id":"chat-3"}}"#
        );
        assert_eq!(delivery.call_id(), Some("chat-3"));
    }

    #[test]
    fn call_id_same_before_and_after_decode() {
        for (message, expected) in [
            (
                r#"{"type":"status-update","call":{"status":"ended"},"chat":{"id":"chat-1"}}"#,
                Some("chat-1"),
            ),
            (
                r#"{"type":"status-update","call":{"id":"first"},"call":{"id":"second"}}"#,
                Some("second"),
            ),
            (
                r#"{"type":"status-update","call":{"id":"c-1"},"call":null}"#,
                None,
            ),
            (
                r#"{"type":"status-update","call":{"id":"c-\u0031"}}"#,
                Some("c-1"),
            ),
            (
                r#"{"type":"status-update","call":{"id":"a","id":"b"}}"#,
                Some("b"),
            ),
            (
                r#"{"type":"status-update","call":{"id":"c-\ud83d"}}"#,
                Some("c-\u{fffd}"),
            ),
            (
                r#"{"type":"status-update","call":{"\udc00":1,"id":"call-1"}}"#,
                Some("call-1"),
            ),
        ] {
            let body = format!(r#"{{"message":{message}}}"#);
            let before = parse(Namespace::Server, &body).expect("routes");
            assert_eq!(before.call_id(), expected, "before decoding {message}");

            let after = parse(Namespace::Server, &body).expect("routes");
            let update = after.decode::<StatusUpdate>().expect("decodes");
            assert_eq!(update.call_id(), expected, "payload {message}");
            assert_eq!(after.call_id(), expected, "after decoding {message}");
        }
    }

    #[test]
    fn repeated_message_is_rejected() {
        let body = r#"{"message":{"type":"status-update"},"message":{"type":"tool-calls"}}"#;
        let delivery = parse(Namespace::Server, body).expect("the first message routes");
        assert_eq!(delivery.kind(), Some(EventKind::ServerStatusUpdate));
        assert!(matches!(
            delivery.decode::<StatusUpdate>(),
            Err(DecodeError::Malformed(MalformedDelivery::RepeatedMessage))
        ));
        assert!(matches!(
            delivery.check(),
            Err(MalformedDelivery::RepeatedMessage)
        ));
    }

    #[test]
    fn untyped_first_message_is_repeated() {
        // The peek finds no `type` in the first `message`, so the whole-body
        // scan decides, and it rejects the second `message`.
        let body = r#"{"message":{},"message":{"type":"status-update"}}"#;
        assert!(matches!(
            parse(Namespace::Server, body),
            Err(MalformedDelivery::RepeatedMessage)
        ));
    }

    #[test]
    fn null_message_is_not_an_object() {
        for body in [
            r#"{"message":null,"other":1}"#,
            r#"{"message":"status-update"}"#,
        ] {
            assert!(
                matches!(
                    parse(Namespace::Server, body),
                    Err(MalformedDelivery::MessageNotObject)
                ),
                "{body}"
            );
        }
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
        assert_eq!(error.path(), Some("toolCallList[0].function.name"));
        assert!(
            error
                .to_string()
                .starts_with("invalid `tool-calls` message at `toolCallList[0].function.name`")
        );
    }

    #[test]
    fn debug_hides_headers_and_body() {
        let mut headers = HeaderMap::new();
        headers.insert("x-vapi-secret", "s3cret-value".parse().expect("header"));
        let body = br#"{"message":{"type":"status-update","customer":{"number":"+15555550101"}}}"#;
        let delivery = Delivery::parse(Namespace::Server, &headers, body).expect("valid delivery");
        let text = format!("{delivery:?}");
        assert!(!text.contains("s3cret-value"), "{text}");
        assert!(!text.contains("+15555550101"), "{text}");
        assert!(text.contains("status-update"), "{text}");
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
        assert_eq!(
            report.extra["brandNew"].to_value().expect("a JSON value")["x"],
            1
        );
        let call = report.call.expect("call present");
        assert_eq!(call.extra["newCallField"], serde_json::json!(true));
    }
}
