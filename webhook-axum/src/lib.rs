//! Mounts a `#[webhook_hooks]` value as an [`axum::Router`], so Vapi
//! webhooks plug into an existing axum application.
//!
//! The adapter only moves bytes: it reads the body under a size limit and
//! hands headers and bytes to [`webhook_core::Receiver`], which does the
//! authentication, routing, deadlines and error replies. The webhook types
//! a handler needs are re-exported here, so an application needs no direct
//! `webhook-core` dependency (it still depends on `axum`, and on `tracing`
//! if it logs as below).
//!
//! ```no_run
//! use axum::Router;
//! use webhook_axum::events::StatusUpdate;
//! use webhook_axum::{Auth, WebhookRouter, webhook_hooks};
//!
//! struct App;
//!
//! #[webhook_hooks]
//! impl App {
//!     #[on(server.statusUpdate)]
//!     fn status(&self, update: StatusUpdate) {
//!         tracing::info!(status = ?update.status, "call status changed");
//!     }
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // The same secret as the assistant's Server URL credential in Vapi.
//! let secret = std::env::var("VAPI_SECRET")?;
//! let webhooks = WebhookRouter::builder(App)
//!     .auth(Auth::shared_secret(secret)?)
//!     .build()?;
//! // Server messages on `POST /api/webhook`, client messages on
//! // `POST /api/webhook/client`.
//! let app: Router = Router::new().nest("/api/webhook", webhooks);
//! # let _ = app;
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

mod body;
mod router;

pub use router::{
    DEFAULT_BODY_LIMIT, DEFAULT_BODY_TIMEOUT, MIN_BODY_LIMIT, WebhookRouter, WebhookRouterBuilder,
};

/// The core crate, under the name `#[webhook_hooks]` expands to.
pub use webhook_core;
pub use webhook_core::{
    Auth, ConfigError, DecodeError, Delivery, EventKind, HandlerError, Hooks, HttpReply,
    MalformedDelivery, Message, Namespace, Payload, Receiver, ToolOutput, events, reply,
};
pub use webhook_core::{auth, catalogue, webhook_hooks};

/// The request headers a handler can take as `&HeaderMap`, re-exported so
/// such a handler needs no direct `http` dependency.
pub use http::HeaderMap;

/// The JSON crate of the reply types that take free-form JSON (inline
/// assistants and overrides, handoff destinations, tool metadata), so
/// `webhook_axum::serde_json::json!` builds them without a direct
/// dependency. Its major version is part of this crate's API.
pub use serde_json;
