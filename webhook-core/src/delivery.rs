//! One received request: the envelope parsed once, the wire type peeked,
//! and the concrete payload decoded from the same bytes on demand.
//!
//! Parsing reads the body in one pass (see the `envelope` module), which checks that
//! it is JSON, finds the text of `message` and picks up its `type` and call
//! id on the way. Nothing is copied until a handler asks for its payload,
//! so a type nobody handles costs that one pass and no decoding.

mod envelope;

use std::borrow::Cow;
use std::time::Duration;

use http::HeaderMap;
use serde_json::value::RawValue;
use webhook_catalogue::{EventDef, EventKind, Namespace};

use crate::hooks::Payload;
use crate::tools::ToolLimits;

/// A parsed request, ready to route.
pub struct Delivery<'a> {
    namespace: Namespace,
    wire_type: Cow<'a, str>,
    call_id: Option<Cow<'a, str>>,
    event: Option<&'static EventDef>,
    /// The `message` object exactly as received, from `{` to `}`.
    message: &'a str,
    headers: &'a HeaderMap,
    tool_limits: ToolLimits,
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

impl<'a> Delivery<'a> {
    /// Parses a request body received on the route of `namespace`.
    ///
    /// Server messages must be wrapped as `{"message": {...}}`. Client
    /// messages may also arrive bare (`{"type": ...}`), because the web SDK
    /// hands them to the browser without the wrapper.
    ///
    /// The whole body must be JSON. When `message` repeats `type`, `call` or
    /// `chat`, the first one counts (for `call` and `chat`, the first that
    /// is not `null`).
    pub fn parse(
        namespace: Namespace,
        headers: &'a HeaderMap,
        body: &'a [u8],
    ) -> Result<Self, MalformedDelivery> {
        let scanned = envelope::scan(namespace, body)?;

        Ok(Delivery {
            namespace,
            event: webhook_catalogue::lookup(namespace, &scanned.wire_type),
            wire_type: scanned.wire_type,
            call_id: scanned.call_id,
            message: scanned.message,
            headers,
            tool_limits: ToolLimits {
                default: crate::receiver::DEFAULT_TOOL_TIMEOUT,
                max: crate::receiver::DEFAULT_REPLY_DEADLINE,
            },
        })
    }

    /// Sets the default timeout of each tool call; the receiver calls this.
    pub(crate) fn set_tool_limits(&mut self, limits: ToolLimits) {
        self.tool_limits = limits;
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
    ///
    /// The message is kept as text, so each call reads it once more to
    /// borrow it as a [`RawValue`].
    pub fn raw_message(&self) -> &'a RawValue {
        // `parse` took this text from a body it read as JSON, and checked
        // that it is one object, so reading it again cannot fail.
        serde_json::from_str(self.message)
            .expect("`Delivery::parse` checked that the message is a JSON object")
    }

    /// Returns the request headers.
    pub fn headers(&self) -> &'a HeaderMap {
        self.headers
    }

    /// Returns the default timeout of one tool call.
    pub fn tool_timeout(&self) -> Duration {
        self.tool_limits.default
    }

    /// Returns the time limits of the tool calls of this delivery.
    pub fn tool_limits(&self) -> ToolLimits {
        self.tool_limits
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
        match serde_json::from_str(self.message) {
            Ok(value) => Ok(value),
            Err(_) => self.decode_tracking_path(),
        }
    }

    fn decode_tracking_path<T: serde::de::DeserializeOwned>(&self) -> Result<T, DecodeError> {
        let mut deserializer = serde_json::Deserializer::from_str(self.message);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| DecodeError {
            wire_type: self.wire_type.clone().into_owned(),
            path: error.path().to_string(),
            source: error.into_inner(),
        })
    }
}

// Written by hand because the headers and the message may hold secrets and
// phone numbers, which must not reach a log through `?delivery`.
impl std::fmt::Debug for Delivery<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delivery")
            .field("namespace", &self.namespace)
            .field("wire_type", &self.wire_type)
            .field("call_id", &self.call_id())
            .field("message_bytes", &self.message.len())
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
    fn raw_message_is_the_exact_text() {
        let body = " { \"id\" : 1 , \"message\" :\n { \"type\" : \"status-update\" , \"status\" : [ ] }\t, \"x\": {} } ";
        let delivery = parse(Namespace::Server, body).expect("valid delivery");
        assert_eq!(
            delivery.raw_message().get(),
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
            delivery.raw_message().get(),
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
            delivery.raw_message().get(),
            r#"{"type":"workflow.node.started","chat":{"id":"chat-3"}}"#
        );
        assert_eq!(delivery.call_id(), Some("chat-3"));
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
        assert_eq!(report.extra["brandNew"].to_value()["x"], 1);
        let call = report.call.expect("call present");
        assert_eq!(call.extra["newCallField"], serde_json::json!(true));
    }
}
