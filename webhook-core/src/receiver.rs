//! The framework-agnostic delivery entry point: given headers and the raw
//! body, authenticate, route, decode, call the hooks and build the reply.
//!
//! Adapters (`webhook-axum`, or any other) only move bytes in and out; every
//! rule about status codes, deadlines and error replies lives here, so all
//! adapters behave the same.

use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use http::{HeaderMap, StatusCode};
use webhook_catalogue::{EventDef, EventKind, Namespace};

use crate::auth::Auth;
use crate::config::ConfigError;
use crate::delivery::{DecodeError, Delivery, MalformedDelivery};
use crate::hooks::{Handled, HookError, Hooks};
use crate::log_text::{panic_message, without_received_values};
use crate::reply::{
    AssistantRequestReply, CampaignPredialReply, EventReply, FunctionCallReply,
    HandoffDestinationReply, HttpReply, KnowledgeBaseReply, TransferDestinationReply,
};
use crate::tools::{ToolLimits, fail_every_call};

/// Vapi drops an inbound call when assistant-request is not answered within
/// 7.5 seconds end to end, so the handler deadline must stay below it.
pub const ASSISTANT_REQUEST_LIMIT: Duration = Duration::from_millis(7_500);

/// Default deadline of the assistant-request handler: 6 seconds, which
/// leaves 1.5 seconds for the network and the fallback reply.
pub const DEFAULT_ASSISTANT_REQUEST_DEADLINE: Duration = Duration::from_secs(6);

/// Default deadline of other events that expect a reply (tool calls,
/// transfer destinations): 19 seconds, under Vapi's default 20-second tool
/// timeout.
pub const DEFAULT_REPLY_DEADLINE: Duration = Duration::from_secs(19);

/// The maximum time Vapi waits for a Server URL's reply: its server
/// `timeoutSeconds` setting allows at most 300 seconds. A reply deadline
/// must stay below it, because a later reply reaches nobody.
pub const SERVER_TIMEOUT_LIMIT: Duration = Duration::from_secs(300);

/// Default timeout of one tool call: 18 seconds, so a late call becomes an
/// `error` entry before the whole message's deadline passes.
pub const DEFAULT_TOOL_TIMEOUT: Duration = Duration::from_secs(18);

/// How much earlier than the reply deadline tool calls are cut off, so the
/// reply with the results that are ready can still be built and sent.
pub(crate) const TOOL_DEADLINE_MARGIN: Duration = Duration::from_millis(250);

/// Receives deliveries for one hooks value: the entry point that does not
/// depend on a web framework.
///
/// `webhook-axum` wraps it as a router. Any other server running on Tokio
/// hands [`receive`](Self::receive) the route's [`Namespace`], the request
/// headers and the whole body, and sends back the returned [`HttpReply`].
/// Reading the body is that server's part: its size limit, its timeout,
/// and rejecting a compressed body. `webhook-axum` replies `415` to one,
/// and the receiver would read it as JSON and reply `400`:
///
/// ```
/// # use webhook_core::{Auth, Namespace, Receiver, webhook_hooks};
/// # use webhook_core::events::StatusUpdate;
/// struct App;
///
/// #[webhook_hooks]
/// impl App {
///     #[on(server.statusUpdate)]
///     fn status(&self, _update: StatusUpdate) {}
/// }
///
/// # async fn run() -> Result<(), webhook_core::ConfigError> {
/// let receiver = Receiver::builder(App).auth(Auth::none()).build()?;
/// let body = br#"{"message": {"type": "status-update", "status": "ended"}}"#;
/// let reply = receiver
///     .receive(Namespace::Server, &http::HeaderMap::new(), body)
///     .await;
/// assert_eq!(reply.status, http::StatusCode::OK);
/// # Ok(())
/// # }
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(run()).unwrap();
/// ```
#[derive(Debug)]
pub struct Receiver<H> {
    hooks: H,
    auth: Auth,
    /// Authentication of the client route, when it differs from `auth`.
    client_auth: Option<Auth>,
    settings: Settings,
}

/// Deadlines and fallbacks of a receiver.
#[derive(Debug, Clone)]
struct Settings {
    assistant_request_deadline: Duration,
    assistant_request_fallback: Option<AssistantRequestReply>,
    reply_deadline: Duration,
    tool_timeout: Duration,
    check_unhandled_bodies: bool,
}

/// Builds a [`Receiver`]; authentication must be chosen explicitly.
#[derive(Debug)]
#[must_use = "call `.build()` to get a receiver"]
pub struct ReceiverBuilder<H> {
    hooks: H,
    auth: Option<Auth>,
    client_auth: Option<Auth>,
    settings: Settings,
}

impl<H: Hooks> Receiver<H> {
    /// Starts building a receiver for `hooks`.
    pub fn builder(hooks: H) -> ReceiverBuilder<H> {
        ReceiverBuilder {
            hooks,
            auth: None,
            client_auth: None,
            settings: Settings {
                assistant_request_deadline: DEFAULT_ASSISTANT_REQUEST_DEADLINE,
                assistant_request_fallback: None,
                reply_deadline: DEFAULT_REPLY_DEADLINE,
                tool_timeout: DEFAULT_TOOL_TIMEOUT,
                check_unhandled_bodies: false,
            },
        }
    }

    /// Returns the hooks value.
    pub fn hooks(&self) -> &H {
        &self.hooks
    }

    /// Returns the authentication of server messages.
    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    /// Returns the authentication of deliveries on the route of `namespace`.
    pub fn auth_for(&self, namespace: Namespace) -> &Auth {
        match (namespace, &self.client_auth) {
            (Namespace::Client, Some(client_auth)) => client_auth,
            _ => &self.auth,
        }
    }

    /// Handles one request received on the route of `namespace` and returns
    /// the reply to send. Never panics on bad input; a panicking handler
    /// becomes its event's error reply.
    ///
    /// # Panics
    ///
    /// Panics when polled outside a Tokio runtime whose time driver is
    /// enabled (`enable_time` or `enable_all` on the runtime builder, as
    /// `#[tokio::main]` does), because deadlines and tool timeouts are Tokio
    /// timers.
    ///
    /// A handler reply with a field outside the length limits of Vapi's
    /// schema (see [`EventReply::check_lengths`]) is sent unchanged. The
    /// code `#[webhook_hooks]` generates logs each such field at `warn`
    /// under the target `webhook::reply`, with the event, the call id, the
    /// field's path and its length.
    pub async fn receive(
        &self,
        namespace: Namespace,
        headers: &HeaderMap,
        body: &[u8],
    ) -> HttpReply {
        let started = Instant::now();

        if let Err(rejection) = self.auth_for(namespace).verify(headers, body) {
            tracing::warn!(target: "webhook::rejection", reason = rejection.reason(), checked_headers = ?rejection.checked_headers(), "delivery rejected: unauthorized");
            return unauthorized_reply(rejection.checked_headers());
        }

        let mut delivery = match Delivery::parse(namespace, headers, body) {
            Ok(delivery) => delivery,
            Err(error) => return malformed_reply(None, &error),
        };
        delivery.set_tool_limits(ToolLimits {
            default: self.settings.tool_timeout,
            // Tool calls end a little before the message's deadline, which
            // starts about now, so results that are ready are sent rather
            // than overwritten.
            cutoff: tokio::time::Instant::now() + self.settings.reply_deadline
                - TOOL_DEADLINE_MARGIN,
        });
        tracing::trace!(target: "webhook::body", body = %String::from_utf8_lossy(body), "delivery body");

        let (reply, handled) = self.dispatch(&delivery).await;
        if handled {
            tracing::info!(
                target: "webhook::delivery",
                event = delivery.wire_type(),
                call_id = delivery.call_id().unwrap_or("-"),
                status = reply.status.as_u16(),
                latency_ms = round_to_microseconds(started.elapsed()),
                "delivery"
            );
        } else {
            // Unhandled types (live transcripts, conversation updates) can
            // arrive many times a second, so they are logged one level down.
            // The call id costs a read of the whole body, done only when
            // this level is enabled.
            tracing::debug!(
                target: "webhook::delivery",
                event = delivery.wire_type(),
                call_id = delivery.call_id().unwrap_or("-"),
                "delivery not handled"
            );
        }
        reply
    }

    /// Runs the hooks and returns the reply, and whether a handler took the
    /// delivery.
    async fn dispatch(&self, delivery: &Delivery<'_>) -> (HttpReply, bool) {
        let handling = AssertUnwindSafe(self.hooks.handle(delivery)).catch_unwind();
        let deadline = delivery.event().and_then(|def| self.deadline_of(def));

        let outcome = match deadline {
            Some(deadline) => match tokio::time::timeout(deadline, handling).await {
                Ok(outcome) => outcome,
                Err(_elapsed) => {
                    let text = format!(
                        "the handler did not answer within {} ms",
                        deadline.as_millis()
                    );
                    tracing::warn!(target: "webhook::handler", event = delivery.wire_type(), call_id = delivery.call_id().unwrap_or("-"), deadline_ms = deadline.as_millis() as u64, "handler timed out");
                    return (self.failure_reply(delivery, &text), true);
                }
            },
            None => handling.await,
        };

        let reply = match outcome {
            Ok(Ok(Handled::Reply(reply))) => reply,
            Ok(Ok(Handled::NotHandled)) => return (self.unhandled_reply(delivery), false),
            Ok(Err(HookError::Decode(DecodeError::Malformed(error)))) => {
                // Broken JSON after `type` is the same mistake as broken JSON
                // before it, so it gets the same 400 as a body that cannot
                // be routed, whatever the event.
                malformed_reply(Some(delivery.wire_type()), &error)
            }
            Ok(Err(HookError::Decode(error))) => {
                // An event that drives the call still gets its error shape
                // (or the fallback), so one malformed field does not drop
                // the call; other events get a 400 naming the path.
                let text = error.to_string();
                match self.error_shape(delivery, &text) {
                    Some(reply) => {
                        tracing::error!(target: "webhook::rejection", call_id = delivery.call_id().unwrap_or("-"), error = %without_received_values(&text), "payload does not decode; sent the event's error reply");
                        reply
                    }
                    None => {
                        tracing::warn!(target: "webhook::rejection", error = %without_received_values(&text), "delivery rejected: payload does not decode");
                        HttpReply::error(StatusCode::BAD_REQUEST, &text)
                    }
                }
            }
            Ok(Err(HookError::Handler(error))) => {
                let text = error.to_string();
                tracing::error!(target: "webhook::handler", event = delivery.wire_type(), call_id = delivery.call_id().unwrap_or("-"), error = %without_received_values(&text), "handler failed");
                self.failure_reply(delivery, &text)
            }
            Err(panic) => {
                tracing::error!(target: "webhook::handler", event = delivery.wire_type(), call_id = delivery.call_id().unwrap_or("-"), panic = %panic_message(panic.as_ref()), "handler panicked");
                self.failure_reply(delivery, "the handler failed with an internal error")
            }
        };
        (reply, true)
    }

    /// Returns `200 {}` for a delivery no handler took, or `400` for a
    /// malformed body when unhandled bodies are checked.
    fn unhandled_reply(&self, delivery: &Delivery<'_>) -> HttpReply {
        if !self.settings.check_unhandled_bodies {
            return HttpReply::empty();
        }
        match delivery.check() {
            Ok(()) => HttpReply::empty(),
            Err(error) => malformed_reply(Some(delivery.wire_type()), &error),
        }
    }

    fn deadline_of(&self, def: &EventDef) -> Option<Duration> {
        match def.kind {
            EventKind::ServerAssistantRequest => Some(self.settings.assistant_request_deadline),
            _ if def.expects_reply() => Some(self.settings.reply_deadline),
            _ => None,
        }
    }

    /// Builds the reply sent when a handler failed, timed out or panicked:
    /// events that drive the call get their own error shape with status 200,
    /// so Vapi reads the error; other events get a generic 500.
    fn failure_reply(&self, delivery: &Delivery<'_>, text: &str) -> HttpReply {
        self.error_shape(delivery, text).unwrap_or_else(|| {
            HttpReply::error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        })
    }

    /// Returns the error reply of an event that drives the call, or `None`
    /// for events without one.
    ///
    /// Vapi's schema documents that the `error` of an assistant-request
    /// reply is spoken to the caller, and the errors of transfer and handoff
    /// replies may be too. So those three get a fixed sentence, and the
    /// detail stays in the log. Tool and function-call errors are read by the model
    /// and carry `text`. A knowledge-base request gets no documents, so the
    /// call goes on without them, and a campaign pre-dial check answers "not
    /// eligible", so a failing check never dials. Endpointing and voice
    /// requests have no error shape: they get a 500, which makes Vapi use
    /// its default.
    fn error_shape(&self, delivery: &Delivery<'_>, text: &str) -> Option<HttpReply> {
        let reply = match delivery.kind()? {
            EventKind::ServerAssistantRequest => match &self.settings.assistant_request_fallback {
                Some(fallback) => fallback.clone().into_http_reply(),
                None => AssistantRequestReply::error(SPOKEN_CALL_ERROR).into_http_reply(),
            },
            EventKind::ServerToolCalls => fail_every_call(delivery, text).into_http_reply(),
            EventKind::ServerTransferDestinationRequest => {
                TransferDestinationReply::error(SPOKEN_TRANSFER_ERROR).into_http_reply()
            }
            EventKind::ServerHandoffDestinationRequest => {
                HandoffDestinationReply::error(SPOKEN_TRANSFER_ERROR).into_http_reply()
            }
            EventKind::ServerKnowledgeBaseRequest => {
                KnowledgeBaseReply::documents(Vec::new()).into_http_reply()
            }
            EventKind::ServerCampaignPredial => CampaignPredialReply::skip().into_http_reply(),
            EventKind::ServerFunctionCall => FunctionCallReply::error(text).into_http_reply(),
            _ => return None,
        };
        Some(reply)
    }
}

/// Returns `elapsed` in milliseconds with three decimals, so the log shows
/// `0.162` rather than the binary noise of `0.16197999999999999`.
fn round_to_microseconds(elapsed: Duration) -> f64 {
    elapsed.as_micros() as f64 / 1000.0
}

/// The sentence the caller hears when the assistant-request handler fails
/// and no fallback is configured. The real error is only logged.
pub const SPOKEN_CALL_ERROR: &str =
    "Sorry, we cannot take your call right now. Please try again later.";

/// Logs a body that could not be read as a delivery, without the values
/// it received, and returns its `400` with the whole error text.
fn malformed_reply(event: Option<&str>, error: &MalformedDelivery) -> HttpReply {
    let text = error.to_string();
    tracing::warn!(target: "webhook::rejection", event = event.unwrap_or("-"), error = %without_received_values(&text), "delivery rejected: malformed body");
    HttpReply::error(StatusCode::BAD_REQUEST, &text)
}

/// The sentence the caller hears when a transfer or handoff handler fails.
pub const SPOKEN_TRANSFER_ERROR: &str = "Sorry, I cannot transfer your call right now.";

fn unauthorized_reply(checked_headers: &[String]) -> HttpReply {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        error: &'static str,
        checked_headers: &'a [String],
    }
    let body = Body {
        error: "unauthorized",
        checked_headers,
    };
    let mut reply = HttpReply::from_serialize(&body);
    reply.status = StatusCode::UNAUTHORIZED;
    reply
}

impl<H: Hooks> ReceiverBuilder<H> {
    /// Sets how deliveries are authenticated. Required: pass `Auth::none()`
    /// to accept unauthenticated deliveries on purpose.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Sets how client messages are authenticated, when not like server
    /// messages. They come from the user's own front end, which cannot
    /// keep the Vapi secret: pass the check the front end can pass, or
    /// `Auth::none()` when a layer in front of the route (a session
    /// middleware) authenticates the browser. Defaults to [`auth`](Self::auth).
    pub fn client_auth(mut self, auth: Auth) -> Self {
        self.client_auth = Some(auth);
        self
    }

    /// Sets how long the assistant-request handler may run (default 6 s,
    /// less than Vapi's 7.5 s limit).
    pub fn assistant_request_deadline(mut self, deadline: Duration) -> Self {
        self.settings.assistant_request_deadline = deadline;
        self
    }

    /// Sets the reply sent when the assistant-request handler fails or
    /// misses its deadline; without one, the reply is `{"error": ...}`.
    /// [`build`](Self::build) logs a warning for each field of the fallback
    /// outside the length limits of Vapi's schema.
    pub fn assistant_request_fallback(mut self, fallback: AssistantRequestReply) -> Self {
        self.settings.assistant_request_fallback = Some(fallback);
        self
    }

    /// Sets how long handlers of other reply-bearing events may run
    /// (default 19 s). It must be more than 250 ms (tool calls stop that
    /// long before it) and less than [`SERVER_TIMEOUT_LIMIT`], and more than
    /// the tool timeout (default 18 s), so lower
    /// [`tool_timeout`](Self::tool_timeout) too when you set this below
    /// 18 s. Keep it under the server `timeoutSeconds` set in Vapi (20 s by
    /// default).
    pub fn reply_deadline(mut self, deadline: Duration) -> Self {
        self.settings.reply_deadline = deadline;
        self
    }

    /// Sets the default timeout of one `#[tool]` call (default 18 s). It
    /// must be above zero and less than the reply deadline.
    pub fn tool_timeout(mut self, timeout: Duration) -> Self {
        self.settings.tool_timeout = timeout;
        self
    }

    /// Sets whether the body of a delivery that no handler takes is read to
    /// the end, so a malformed one gets `400` (default: no).
    ///
    /// By default such a delivery is read only up to `message.type` and
    /// gets `200 {}`, so the many messages a server does not
    /// handle (live transcripts, conversation updates) cost well under a
    /// microsecond at any size. Turn this on to reject every malformed
    /// body, at the cost of reading each unhandled one once. An
    /// `#[on(unhandled)]` handler has the same cost and effect, because each
    /// body is read whole before it runs.
    pub fn check_unhandled_bodies(mut self, check: bool) -> Self {
        self.settings.check_unhandled_bodies = check;
        self
    }

    /// Checks the settings and builds the receiver.
    ///
    /// # Errors
    ///
    /// Returns [`ConfigError::AuthNotChosen`] when
    /// [`auth`](Self::auth) was not called, and [`ConfigError::Deadline`]
    /// when the assistant-request deadline is not above zero and below
    /// [`ASSISTANT_REQUEST_LIMIT`], the reply deadline is not between 250 ms
    /// and [`SERVER_TIMEOUT_LIMIT`], or the tool timeout is not above zero
    /// and below the reply deadline.
    pub fn build(self) -> Result<Receiver<H>, ConfigError> {
        let auth = self.auth.ok_or(ConfigError::AuthNotChosen)?;
        check_deadline(
            "assistant-request deadline",
            self.settings.assistant_request_deadline,
            Duration::ZERO,
            ASSISTANT_REQUEST_LIMIT,
            "Vapi's limit for assistant-request",
        )?;
        // Tool calls stop `TOOL_DEADLINE_MARGIN` before the reply deadline,
        // so a shorter deadline would time every tool out at once.
        check_deadline(
            "reply deadline",
            self.settings.reply_deadline,
            TOOL_DEADLINE_MARGIN,
            SERVER_TIMEOUT_LIMIT,
            "Vapi's longest server timeout",
        )?;
        check_deadline(
            "tool timeout",
            self.settings.tool_timeout,
            Duration::ZERO,
            self.settings.reply_deadline,
            "the reply deadline",
        )?;

        if let Some(Err(errors)) = self
            .settings
            .assistant_request_fallback
            .as_ref()
            .map(AssistantRequestReply::check_lengths)
        {
            for error in &errors {
                tracing::warn!(target: "webhook::config", %error, "the assistant-request fallback breaks a length limit of Vapi's schema, so Vapi may reject it");
            }
        }
        if auth.is_none() {
            tracing::warn!(target: "webhook::config", "authentication is disabled: every delivery is accepted");
        }
        if self.client_auth.as_ref().is_some_and(Auth::is_none) {
            tracing::warn!(target: "webhook::config", "client-route authentication is disabled: every client message is accepted");
        }
        Ok(Receiver {
            hooks: self.hooks,
            auth,
            client_auth: self.client_auth,
            settings: self.settings,
        })
    }
}

/// Rejects a deadline that is not strictly between `min` and `max`.
fn check_deadline(
    what: &'static str,
    given: Duration,
    min: Duration,
    max: Duration,
    bound: &'static str,
) -> Result<(), ConfigError> {
    if given <= min || given >= max {
        return Err(ConfigError::Deadline {
            what,
            given_ms: given.as_millis(),
            min_ms: min.as_millis(),
            max_ms: max.as_millis(),
            bound,
        });
    }
    Ok(())
}
