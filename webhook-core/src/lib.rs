//! Typed Vapi webhooks: the event catalogue, payload and reply types,
//! decode-once delivery and authentication.
//!
//! Most users write handlers with [`webhook_hooks`] and mount them with
//! `webhook-axum`; this crate is what both stand on, and it works without
//! either.
//!
//! # Handling a delivery without macros
//!
//! A delivery takes four steps: verify the exact received bytes with
//! [`Auth`], parse the envelope with [`Delivery::parse`], which reads the
//! body only up to `message.type`, match on [`Delivery::kind`], and decode
//! the payload of the events you handle with [`Delivery::decode`]. The
//! payload is decoded straight from the body bytes, which also checks the
//! rest of the body, and an event you do not match is never read further.
//! Before acting on an event whose payload you do not decode, call
//! [`Delivery::check`]. [`Receiver`] runs these steps for a [`Hooks`] value
//! and also builds the HTTP reply.
//!
//! ```
//! use http::HeaderMap;
//! use webhook_core::events::EndOfCallReport;
//! use webhook_core::{Auth, Delivery, EventKind, Namespace};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mut headers = HeaderMap::new();
//! headers.insert("x-vapi-secret", "example-secret".parse()?);
//! let body = br#"{"message": {
//!     "type": "end-of-call-report",
//!     "endedReason": "customer-ended-call",
//!     "call": {"id": "call-0001", "type": "webCall"},
//!     "analysis": {"summary": "The caller booked a table for two."}
//! }}"#;
//!
//! let auth = Auth::shared_secret("example-secret")?;
//! auth.verify(&headers, body)?;
//!
//! let delivery = Delivery::parse(Namespace::Server, &headers, body)?;
//! match delivery.kind() {
//!     Some(EventKind::ServerEndOfCallReport) => {
//!         let report = delivery.decode::<EndOfCallReport>()?;
//!         assert_eq!(report.call_id(), Some("call-0001"));
//!         assert_eq!(report.summary(), Some("The caller booked a table for two."));
//!     }
//!     // Any other event, including a wire type this version does not know.
//!     _ => {}
//! }
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

pub mod auth;

/// Every event this crate routes: the name written in `#[on(...)]`, the
/// wire `type` strings that route to it, its payload type and its reply.
///
#[doc = include_str!("catalogue.md")]
pub mod catalogue {}

pub mod config;
pub mod delivery;
pub mod events;
pub mod hooks;
pub mod receiver;
pub mod reply;
pub mod tools;

mod log_text;
mod payload_impls;

/// The supertrait that keeps [`Payload`] and [`EventReply`] implemented by
/// this crate alone: generated code and the receiver rely on each payload
/// and reply type being the one the catalogue names for its event.
pub(crate) mod sealed {
    /// Implemented for the catalogue's payload and reply types only.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a payload or reply type of webhook-core, which alone implements `Payload` and `EventReply`",
        note = "to decode a message into a type of your own, take `Message<T>` in a handler, or call `Delivery::decode_as` or `Delivery::decode_borrowed`"
    )]
    pub trait Sealed {}
}

pub use auth::{Auth, AuthRejection, BearerBuilder, HmacAlgorithm, HmacBuilder, SignatureEncoding};
pub use config::ConfigError;
pub use delivery::{DecodeError, Delivery, MalformedDelivery};
pub use hooks::{
    Handled, HandlerArg, HandlerError, HookError, Hooks, IntoHandlerResult, Message, Payload,
};
pub use receiver::{Receiver, ReceiverBuilder};
pub use reply::{EventReply, HttpReply};
pub use tools::{IntoToolOutput, ToolContext, ToolOutput};
pub use webhook_catalogue::{EVENTS, EventDef, EventKind, Namespace};
pub use webhook_macros::webhook_hooks;

// Lets generated code name this crate as `::webhook_core` inside its own tests.
#[allow(unused_extern_crates)]
extern crate self as webhook_core;

/// Items generated code and the workspace's tests refer to; not a public
/// API.
#[doc(hidden)]
pub mod __private {
    pub use crate::events::lenient::{WireNames, WireValues};
    pub use crate::hooks::{
        check_body, into_checked_http_reply, into_handler_result, require_send,
    };
    pub use crate::tools::{
        InvalidCalls, NoToolCallsHandler, ToolTask, answer_tool_calls, decode_tool_calls,
        into_tool_output, tool_arguments, with_invalid_calls,
    };
    pub use serde::de::DeserializeOwned;
    pub use std::future::Future;
    pub use std::marker::Send;
    pub use std::option::Option::{self, None, Some};
    pub use std::result::Result::{self, Err, Ok};
    pub use std::time::Duration;
}
