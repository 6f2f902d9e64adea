//! One received request: the envelope parsed once, the wire type peeked,
//! and the concrete payload decoded from the same bytes on demand.
//!
//! Parsing keeps `message` as a borrowed [`RawValue`], so nothing is copied
//! until a handler asks for its payload, and a type nobody handles is never
//! decoded at all.

use std::borrow::Cow;
use std::time::Duration;

use http::HeaderMap;
use serde::Deserialize;
use serde_json::value::RawValue;
use webhook_catalogue::{EventDef, EventKind, Namespace};

use crate::hooks::Payload;

/// A parsed request, ready to route.
#[derive(Debug)]
pub struct Delivery<'a> {
    namespace: Namespace,
    wire_type: Cow<'a, str>,
    call_id: Option<Cow<'a, str>>,
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

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default)]
    message: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Peek<'a> {
    #[serde(borrow, rename = "type", default)]
    wire_type: Option<Cow<'a, str>>,
    // Kept raw, so a `call` or `chat` of an unexpected shape costs only the
    // call id and never the routing.
    #[serde(borrow, default)]
    call: Option<&'a RawValue>,
    #[serde(borrow, default)]
    chat: Option<&'a RawValue>,
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
    pub fn parse(
        namespace: Namespace,
        headers: &'a HeaderMap,
        body: &'a [u8],
    ) -> Result<Self, MalformedDelivery> {
        let message = Self::find_message(namespace, body)?;

        // Nested objects are skipped as raw values, so a `type` key inside
        // `call` or `destination` can never be taken for the message's.
        let peek: Peek<'a> =
            serde_json::from_str(message.get()).map_err(|_| MalformedDelivery::MissingType)?;
        let wire_type = peek.wire_type.ok_or(MalformedDelivery::MissingType)?;
        let call_id = peek.call.or(peek.chat).and_then(peek_call_id);

        Ok(Delivery {
            namespace,
            event: webhook_catalogue::lookup(namespace, &wire_type),
            wire_type,
            call_id,
            message,
            headers,
            tool_timeout: crate::receiver::DEFAULT_TOOL_TIMEOUT,
        })
    }

    fn find_message(
        namespace: Namespace,
        body: &'a [u8],
    ) -> Result<&'a RawValue, MalformedDelivery> {
        let whole: &'a RawValue =
            serde_json::from_slice(body).map_err(MalformedDelivery::NotJson)?;
        if !is_object(whole) {
            return Err(MalformedDelivery::NotObject);
        }

        let envelope: Envelope<'a> =
            serde_json::from_str(whole.get()).map_err(|_| MalformedDelivery::MessageNotObject)?;
        match envelope.message {
            Some(message) if is_object(message) => Ok(message),
            Some(_) => Err(MalformedDelivery::MessageNotObject),
            None if namespace == Namespace::Client => Ok(whole),
            None => Err(MalformedDelivery::MissingMessage),
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
    pub fn call_id(&self) -> Option<&str> {
        self.call_id.as_deref()
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
        let mut deserializer = serde_json::Deserializer::from_str(self.message.get());
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| DecodeError {
            wire_type: self.wire_type.clone().into_owned(),
            path: error.path().to_string(),
            source: error.into_inner(),
        })
    }
}

/// Reads `id` from a raw `call` or `chat` value, or `None` when it is not an
/// object with a string `id`.
fn peek_call_id(call: &RawValue) -> Option<Cow<'_, str>> {
    if !is_object(call) {
        return None;
    }
    serde_json::from_str::<CallPeek<'_>>(call.get()).ok()?.id
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
