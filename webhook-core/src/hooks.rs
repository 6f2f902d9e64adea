//! The contract between generated code and the receiver: the [`Hooks`]
//! trait, handler parameters, handler return values and handler errors.
//!
//! `#[webhook_hooks]` implements [`Hooks`] for the user's type. Each trait
//! here carries a `diagnostic::on_unimplemented` note, because these are the
//! traits a user meets in a compile error when a handler has the wrong shape.

use std::fmt;
use std::future::Future;

use http::HeaderMap;
use serde::de::DeserializeOwned;
use webhook_catalogue::EventKind;

use crate::delivery::{DecodeError, Delivery};
use crate::reply::{EventReply, HttpReply};

/// A user type with webhook handlers; `#[webhook_hooks]` implements it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no webhook handlers",
    label = "not a webhook hooks type",
    note = "add `#[webhook_hooks]` to an `impl {Self}` block whose methods are marked `#[on(...)]` or `#[tool(...)]`"
)]
pub trait Hooks: Send + Sync + 'static {
    /// Routes one delivery to its handler and returns the handler's reply,
    /// or [`Handled::NotHandled`] when no handler takes its type.
    ///
    /// The delivery was read only up to `message.type`. Before a handler
    /// acts on it, an implementation must decode the payload with
    /// [`Delivery::decode`] or call [`Delivery::check`]. Both read the rest
    /// of the body and reject it if it is malformed. `#[webhook_hooks]`
    /// does this for every handler.
    fn handle<'a>(
        &'a self,
        delivery: &'a Delivery<'a>,
    ) -> impl Future<Output = Result<Handled, HookError>> + Send + 'a;
}

/// Shares one hooks value between a receiver and the rest of the
/// application, which keeps its own `Arc` to read the same state.
impl<H: Hooks> Hooks for std::sync::Arc<H> {
    fn handle<'a>(
        &'a self,
        delivery: &'a Delivery<'a>,
    ) -> impl Future<Output = Result<Handled, HookError>> + Send + 'a {
        H::handle(self, delivery)
    }
}

/// What the generated dispatch did with a delivery.
#[derive(Debug)]
#[non_exhaustive]
pub enum Handled {
    /// A handler ran and this is its reply.
    Reply(HttpReply),
    /// No handler takes this event, so the receiver sends `200 {}`, or
    /// `400` for a malformed body when
    /// [`check_unhandled_bodies`](crate::ReceiverBuilder::check_unhandled_bodies)
    /// is on.
    NotHandled,
}

/// The reason a handled delivery produced no reply of its own.
#[derive(Debug)]
#[non_exhaustive]
pub enum HookError {
    /// The body is malformed after `type`, or the message does not fit its
    /// payload type.
    Decode(DecodeError),
    /// The handler returned an error.
    Handler(HandlerError),
}

impl fmt::Display for HookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HookError::Decode(error) => fmt::Display::fmt(error, f),
            HookError::Handler(error) => fmt::Display::fmt(error, f),
        }
    }
}

/// `Display` and `source` pass through to the error inside, as
/// `#[error(transparent)]` does.
impl std::error::Error for HookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HookError::Decode(error) => std::error::Error::source(error),
            HookError::Handler(error) => {
                let inner: &(dyn std::error::Error + 'static) = error.as_ref();
                inner.source()
            }
        }
    }
}

impl From<DecodeError> for HookError {
    fn from(error: DecodeError) -> Self {
        HookError::Decode(error)
    }
}

impl From<HandlerError> for HookError {
    fn from(error: HandlerError) -> Self {
        HookError::Handler(error)
    }
}

/// The payload of one catalogue event, with the reply its handler returns.
///
/// Implemented by `webhook-core` for every payload type in the catalogue,
/// and sealed: other crates use it as a bound but cannot implement it. To
/// decode a message into a type of your own, use
/// [`Delivery::decode_as`], [`Delivery::decode_borrowed`] or [`Message`].
pub trait Payload: DeserializeOwned + Send + 'static + crate::sealed::Sealed {
    /// The event this payload belongs to.
    const KIND: EventKind;
    /// The type a handler of this event returns.
    type Reply: EventReply;

    /// Returns the message's `call.id` (or `chat.id`), for the log line of
    /// the delivery.
    fn message_call_id(&self) -> Option<&str>;
}

/// A value a handler can take as a parameter: the event's payload, or a
/// piece of per-delivery context.
///
/// `payload` is the slot generated code decodes the payload into at most
/// once; a handler that does not take the payload never decodes it.
#[diagnostic::on_unimplemented(
    message = "a handler of `{P}` cannot take a parameter of type `{Self}`",
    label = "expected `{P}` or a context type",
    note = "a handler takes the event's payload (`{P}`) or `Message<T>`, and, optionally, `&Delivery` or `&HeaderMap`"
)]
pub trait HandlerArg<'a, P: Payload>: Sized {
    /// Extracts the value from the delivery.
    fn from_delivery(
        delivery: &'a Delivery<'a>,
        payload: &mut Option<P>,
    ) -> Result<Self, HookError>;
}

impl<'a, P: Payload> HandlerArg<'a, P> for P {
    fn from_delivery(
        delivery: &'a Delivery<'a>,
        payload: &mut Option<P>,
    ) -> Result<Self, HookError> {
        match payload.take() {
            Some(payload) => Ok(payload),
            None => Ok(delivery.decode::<P>()?),
        }
    }
}

impl<'a, P: Payload> HandlerArg<'a, P> for &'a Delivery<'a> {
    fn from_delivery(delivery: &'a Delivery<'a>, _: &mut Option<P>) -> Result<Self, HookError> {
        Ok(delivery)
    }
}

impl<'a, P: Payload> HandlerArg<'a, P> for &'a HeaderMap {
    fn from_delivery(delivery: &'a Delivery<'a>, _: &mut Option<P>) -> Result<Self, HookError> {
        Ok(delivery.headers())
    }
}

/// The delivery's `message` decoded as a type of your own, which may borrow
/// its strings from the request body instead of copying them.
///
/// A handler takes `Message<T>` in place of the event's payload type, to
/// read only the fields it needs without allocating for each of them. This
/// pays off on frequent messages such as `status-update`, `speech-update`
/// or `conversation-update` (which repeats the whole conversation every
/// turn). `T` is any [`Deserialize`](serde::Deserialize) type: fields it
/// does not name are skipped, so a type of three fields decodes a message
/// of fifty in about the time it takes to read the body.
///
/// For a string field to borrow, declare it `Cow<'a, str>` with
/// `#[serde(borrow)]`. A `Cow` copies the strings that contain an escape
/// (`\n`, `\"`, `\u00e9`), which cannot be borrowed as they are. A
/// `&'a str` field fails to decode on such a string instead, so use it only
/// for values that never hold one. Serde borrows a `Cow` field only when
/// it is exactly `Cow<'a, str>`; inside an `Option` it is always a copy.
/// For an optional borrowed string, wrap the `Cow` in a newtype marked
/// `#[serde(transparent)]` and make that optional.
///
/// The payload types (`StatusUpdate`, ...) are still what most handlers
/// should take: they own their data, so they can be moved into a spawned
/// task or a channel, and they keep every field, including unknown ones.
/// A `T` with borrowed fields lives only as long as the delivery, and
/// needs converting to owned data before it outlives the handler.
///
/// The body is decoded in one pass and checked whole, as for a payload,
/// and the call id for the log lines is read on the way. A message that
/// does not fit `T` gets the reply of a message that does not fit its
/// payload type. A `T` that does not read the message as a map or struct,
/// such as `serde_json::Value`, leaves the call id to a second read. That
/// read happens only when a log line needs the id. An `#[on(server.toolCalls)]` handler cannot take
/// `Message<T>`, because it receives only the calls that no `#[tool]`
/// method claims, as a [`ToolCalls`](crate::events::ToolCalls).
///
/// The example reads the status, the optional `endedReason` through a
/// newtype (so it borrows), and the call id:
///
/// ```
/// use std::borrow::Cow;
///
/// use serde::Deserialize;
/// use webhook_core::{Message, webhook_hooks};
///
/// /// What the monitor reads of a `status-update`.
/// #[derive(Deserialize)]
/// #[serde(rename_all = "camelCase")]
/// struct StatusSeen<'a> {
///     #[serde(borrow)]
///     status: Cow<'a, str>,
///     #[serde(borrow, default)]
///     ended_reason: Option<Text<'a>>,
///     #[serde(borrow, default)]
///     call: Option<CallSeen<'a>>,
/// }
///
/// /// A borrowed string that may be absent: serde copies a `Cow` that sits
/// /// directly in an `Option`, but not one inside a newtype.
/// #[derive(Deserialize)]
/// #[serde(transparent)]
/// struct Text<'a>(#[serde(borrow)] Cow<'a, str>);
///
/// #[derive(Deserialize)]
/// struct CallSeen<'a> {
///     #[serde(borrow)]
///     id: Cow<'a, str>,
/// }
///
/// struct Monitor;
///
/// #[webhook_hooks]
/// impl Monitor {
///     #[on(server.statusUpdate)]
///     fn status(&self, Message(update): Message<StatusSeen<'_>>) {
///         let call_id = update.call.as_ref().map_or("-", |call| &call.id);
///         let ended_reason = update.ended_reason.as_ref().map_or("-", |reason| &reason.0);
///         tracing::info!(call_id, ended_reason, status = %update.status, "call status changed");
///     }
/// }
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Message<T>(pub T);

impl<T> Message<T> {
    /// Returns the decoded message.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Message<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> std::ops::DerefMut for Message<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

/// The payload types whose handlers may take [`Message<T>`]: every one but
/// [`ToolCalls`](crate::events::ToolCalls). Only this crate implements it.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "a handler of `{Self}` cannot take `Message<T>`",
    label = "the tool-calls handler takes `ToolCalls`",
    note = "a tool-calls handler receives only the calls that no `#[tool]` method claims, as a `ToolCalls`; `Message<T>` would decode them all"
)]
pub trait AllowsMessageArg {}

impl<'a, P: Payload + AllowsMessageArg, T: serde::Deserialize<'a>> HandlerArg<'a, P>
    for Message<T>
{
    fn from_delivery(delivery: &'a Delivery<'a>, _: &mut Option<P>) -> Result<Self, HookError> {
        Ok(Message(delivery.decode_keeping_call_id()?))
    }
}

/// A value a handler of an event with reply type `R` may return.
///
/// Implemented for the reply itself and for `Result<reply, E>` where `E`
/// converts into [`HandlerError`]; events whose sender expects no answer
/// take `()` or `Result<(), E>`.
#[diagnostic::on_unimplemented(
    message = "a handler of this event cannot return `{Self}`",
    label = "expected `{R}` or `Result<{R}, E>`",
    note = "the return type must be the event's reply type `{R}`, or a `Result` of it whose error converts into `webhook_core::HandlerError`"
)]
pub trait IntoHandlerResult<R> {
    /// Converts the handler's return value.
    fn into_handler_result(self) -> Result<R, HandlerError>;
}

macro_rules! reply_returns {
    ($($reply:ty),* $(,)?) => {$(
        impl IntoHandlerResult<$reply> for $reply {
            fn into_handler_result(self) -> Result<$reply, HandlerError> {
                Ok(self)
            }
        }

        impl<E: Into<HandlerError>> IntoHandlerResult<$reply> for Result<$reply, E> {
            fn into_handler_result(self) -> Result<$reply, HandlerError> {
                self.map_err(Into::into)
            }
        }
    )*};
}

reply_returns!(
    (),
    crate::reply::AssistantRequestReply,
    crate::reply::TransferDestinationReply,
    crate::reply::ToolCallsReply,
    crate::reply::ClientReply,
    crate::reply::HandoffDestinationReply,
    crate::reply::KnowledgeBaseReply,
    crate::reply::CallEndpointingReply,
    crate::reply::CampaignPredialReply,
    crate::reply::FunctionCallReply,
    crate::reply::VoiceReply,
);

// A client handler may also return a message without wrapping it in `Some`,
// or nothing at all.
impl IntoHandlerResult<crate::reply::ClientReply> for crate::reply::ClientInboundMessage {
    fn into_handler_result(self) -> Result<crate::reply::ClientReply, HandlerError> {
        Ok(Some(self))
    }
}

impl<E: Into<HandlerError>> IntoHandlerResult<crate::reply::ClientReply>
    for Result<crate::reply::ClientInboundMessage, E>
{
    fn into_handler_result(self) -> Result<crate::reply::ClientReply, HandlerError> {
        self.map(Some).map_err(Into::into)
    }
}

impl IntoHandlerResult<crate::reply::ClientReply> for () {
    fn into_handler_result(self) -> Result<crate::reply::ClientReply, HandlerError> {
        Ok(None)
    }
}

/// An error returned by a handler.
///
/// Any `Send + Sync + 'static` error type converts into it with `?`, as do
/// `String` and `&str`. For
/// a tool call, its text is what the model reads in `error`; for other
/// events it is logged and the sender gets the event's error reply.
///
/// Like `anyhow::Error`, it does not implement [`std::error::Error`]
/// itself, because that impl would overlap with the conversion from every
/// error type. Code that needs a `std::error::Error` takes
/// [`inner`](Self::inner), `as_ref()` or [`into_inner`](Self::into_inner):
///
/// ```
/// use webhook_core::HandlerError;
///
/// fn store() -> Result<(), HandlerError> {
///     Err(HandlerError::msg("database is locked"))
/// }
///
/// fn run() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
///     store().map_err(HandlerError::into_inner)?;
///     Ok(())
/// }
/// assert_eq!(run().unwrap_err().to_string(), "database is locked");
/// ```
pub struct HandlerError {
    inner: Box<dyn std::error::Error + Send + Sync + 'static>,
    spoken_message: Option<String>,
}

impl HandlerError {
    /// Builds an error from a message.
    pub fn msg(message: impl fmt::Display) -> Self {
        HandlerError {
            inner: message.to_string().into(),
            spoken_message: None,
        }
    }

    /// Makes Vapi speak `content` to the caller when a `#[tool]` method
    /// returns this error (a `request-failed` message in the call's
    /// result). An `#[on(server.toolCalls)]` handler's error and the errors
    /// of other events ignore it.
    #[must_use]
    pub fn with_spoken_message(mut self, content: impl Into<String>) -> Self {
        self.spoken_message = Some(content.into());
        self
    }

    /// Returns the message spoken to the caller, if one was set.
    pub fn spoken_message(&self) -> Option<&str> {
        self.spoken_message.as_deref()
    }

    /// Returns the underlying error.
    pub fn inner(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.inner
    }

    /// Returns the underlying error, dropping the spoken message.
    pub fn into_inner(self) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self.inner
    }
}

impl AsRef<dyn std::error::Error + Send + Sync + 'static> for HandlerError {
    fn as_ref(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.inner
    }
}

impl AsRef<dyn std::error::Error + 'static> for HandlerError {
    fn as_ref(&self) -> &(dyn std::error::Error + 'static) {
        &*self.inner
    }
}

impl<E: Into<Box<dyn std::error::Error + Send + Sync + 'static>>> From<E> for HandlerError {
    fn from(error: E) -> Self {
        HandlerError {
            inner: error.into(),
            spoken_message: None,
        }
    }
}

impl fmt::Display for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.inner, f)
    }
}

impl fmt::Debug for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner, f)
    }
}

/// Converts a handler's return value; generated code spans the call on the
/// handler's return type, so a wrong type is reported there.
#[doc(hidden)]
pub fn into_handler_result<R, T: IntoHandlerResult<R>>(value: T) -> Result<R, HandlerError> {
    value.into_handler_result()
}

/// Converts a handler's reply unchanged, after logging each field outside
/// the length limits of Vapi's schema with the delivery's event and call
/// id. Generated code calls it.
#[doc(hidden)]
pub fn into_checked_http_reply<R: EventReply>(reply: R, delivery: &Delivery<'_>) -> HttpReply {
    if let Err(errors) = reply.check_lengths() {
        // Only a reply with an error pays for the call id, which may read
        // the whole body.
        let call_id = delivery.call_id().unwrap_or("-");
        for error in &errors {
            crate::reply::warn_length_error(error, delivery.wire_type(), call_id);
        }
    }
    reply.into_http_reply()
}

/// Checks the whole body before a handler runs, unless decoding its payload
/// did already: routing reads only up to `type`.
#[doc(hidden)]
pub fn check_body(delivery: &Delivery<'_>) -> Result<(), HookError> {
    delivery
        .check()
        .map_err(|error| HookError::Decode(error.into()))
}

/// Passes a handler's future through unchanged, but only if it is `Send`.
///
/// Generated code wraps each handler call in this, with the call spanned on
/// the handler's name, so a non-`Send` future is reported at that handler.
#[doc(hidden)]
pub fn require_send<F: Future + Send>(future: F) -> F {
    future
}

#[cfg(test)]
mod tests {
    use std::error::Error;
    use std::fmt;

    use super::{HandlerError, HookError};

    /// An error with a cause, to see it through `HookError::source`.
    #[derive(Debug)]
    struct Outer(std::io::Error);

    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("order store failed")
        }
    }

    impl Error for Outer {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn hook_error_is_transparent() {
        let cause = std::io::Error::other("disk full");
        let error = HookError::from(HandlerError::from(Outer(cause)));

        assert_eq!(error.to_string(), "order store failed");
        let source = error.source().expect("the cause of the inner error");
        assert_eq!(source.to_string(), "disk full");
    }
}
