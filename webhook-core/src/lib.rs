//! Typed Vapi webhooks: the event catalogue, payload and reply types,
//! decode-once delivery and authentication.
//!
//! Most users write handlers with [`webhook_hooks`] and mount them with
//! `webhook-axum`; this crate is what both stand on, and it works without
//! either.
//!
//! PLACEHOLDER: crate docs with a macro-free example follow.

pub mod auth;
pub mod config;
pub mod delivery;
pub mod events;
pub mod hooks;
pub mod receiver;
pub mod reply;
pub mod tools;

mod payload_impls;

pub use auth::{Auth, AuthRejection};
pub use config::ConfigError;
pub use delivery::{DecodeError, Delivery, MalformedDelivery};
pub use hooks::{Handled, HandlerArg, HandlerError, HookError, Hooks, IntoHandlerResult, Payload};
pub use receiver::{Receiver, ReceiverBuilder};
pub use reply::{EventReply, HttpReply};
pub use tools::{IntoToolOutput, ToolContext, ToolOutput, ToolTask};
pub use webhook_catalogue::{EVENTS, EventDef, EventKind, Namespace};
pub use webhook_macros::webhook_hooks;

// Lets generated code name this crate as `::webhook_core` inside its own tests.
#[allow(unused_extern_crates)]
extern crate self as webhook_core;

/// Items generated code refers to; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::hooks::{into_handler_result, require_send};
    pub use crate::tools::{NoToolCallsHandler, answer_tool_calls, into_tool_output, tool_arguments};
    pub use serde::de::DeserializeOwned;
    pub use std::future::Future;
    pub use std::marker::Send;
    pub use std::option::Option::{self, None, Some};
    pub use std::result::Result::{self, Err, Ok};
    pub use std::time::Duration;
}
