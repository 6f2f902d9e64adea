//! The router builder: settings read as sentences, forwarded to the core
//! [`ReceiverBuilder`], and a `Router<S>` with one route per message family.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use http::{HeaderValue, StatusCode, header};
use webhook_core::reply::AssistantRequestReply;
use webhook_core::{Auth, ConfigError, Hooks, HttpReply, Namespace, Receiver, ReceiverBuilder};

use crate::body::{BodyLimits, read_body};

/// Default maximum request body: 16 MiB. End-of-call reports of long calls
/// carry the whole transcript and message history and reach several MB.
pub const DEFAULT_BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Smallest body limit the builder accepts: 1 KiB. It is a sanity check
/// that catches a limit given in the wrong unit (0, or kilobytes passed as
/// bytes), not a measured size of Vapi's messages.
pub const MIN_BODY_LIMIT: usize = 1024;

/// Upper bound of the body timeout, a check against a value in the wrong
/// unit rather than a limit any sender needs.
const MAX_BODY_TIMEOUT: Duration = Duration::from_secs(3600);

/// Default time the whole request body may take to arrive: 30 seconds.
/// A 16 MiB body needs about 13 s at 10 Mbit/s, and a sender that stalls
/// mid-body keeps its connection open only this long.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// Entry point of the builder: `WebhookRouter::builder(hooks)`.
///
/// The built [`Router`] serves server messages on its root (`POST /`) and
/// client messages on `POST /client`. The two families are routed apart
/// because their wire types overlap (`tool-calls` exists in both).
#[derive(Debug)]
pub struct WebhookRouter {
    // Not constructed: the type only names `builder`.
    _private: (),
}

impl WebhookRouter {
    /// Starts building a router for `hooks`, usually a `#[webhook_hooks]`
    /// type. Authentication must be chosen with [`WebhookRouterBuilder::auth`].
    pub fn builder<H: Hooks>(hooks: H) -> WebhookRouterBuilder<H> {
        WebhookRouterBuilder {
            receiver: Receiver::builder(hooks),
            body_limit: DEFAULT_BODY_LIMIT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
        }
    }
}

/// Settings of a webhook router; [`build`](Self::build) checks them.
#[derive(Debug)]
#[must_use = "call `.build()` to get the router"]
pub struct WebhookRouterBuilder<H> {
    receiver: ReceiverBuilder<H>,
    body_limit: usize,
    body_timeout: Duration,
}

impl<H: Hooks> WebhookRouterBuilder<H> {
    /// Sets how deliveries are authenticated. Required: pass
    /// [`Auth::none()`] to accept unauthenticated deliveries on purpose.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.receiver = self.receiver.auth(auth);
        self
    }

    /// Sets how the client route (`/client`) authenticates, when not like
    /// the server route. Its messages come from your own front end, which
    /// cannot keep the Vapi secret, so pass `Auth::none()` when a layer in
    /// front of the route (your session middleware) authenticates the
    /// browser. Defaults to the [`auth`](Self::auth) setting.
    pub fn client_auth(mut self, auth: Auth) -> Self {
        self.receiver = self.receiver.client_auth(auth);
        self
    }

    /// Sets how long the assistant-request handler may run (default 6 s,
    /// which must stay under Vapi's 7.5 s limit).
    pub fn assistant_request_deadline(mut self, deadline: Duration) -> Self {
        self.receiver = self.receiver.assistant_request_deadline(deadline);
        self
    }

    /// Sets the reply sent when the assistant-request handler fails or
    /// misses its deadline; without one, the reply is `{"error": ...}`.
    pub fn assistant_request_fallback(mut self, fallback: AssistantRequestReply) -> Self {
        self.receiver = self.receiver.assistant_request_fallback(fallback);
        self
    }

    /// Sets how long handlers of the other events that expect a reply (tool
    /// calls, transfer destinations) may run (default 19 s). It must be
    /// more than 250 ms and less than
    /// [`SERVER_TIMEOUT_LIMIT`](webhook_core::receiver::SERVER_TIMEOUT_LIMIT),
    /// and more than the tool timeout (default 18 s), so lower
    /// [`tool_timeout`](Self::tool_timeout) too when you set this below
    /// 18 s. Keep it under the server `timeoutSeconds` set in Vapi (20 s by
    /// default).
    pub fn reply_deadline(mut self, deadline: Duration) -> Self {
        self.receiver = self.receiver.reply_deadline(deadline);
        self
    }

    /// Sets the default timeout of one `#[tool]` call (default 18 s).
    pub fn tool_timeout(mut self, timeout: Duration) -> Self {
        self.receiver = self.receiver.tool_timeout(timeout);
        self
    }

    /// Sets whether the body of a delivery that no handler takes is read to
    /// the end, so a malformed one gets `400`. By default it is read up to
    /// `message.type` and gets `200 {}`. See
    /// [`ReceiverBuilder::check_unhandled_bodies`].
    pub fn check_unhandled_bodies(mut self, check: bool) -> Self {
        self.receiver = self.receiver.check_unhandled_bodies(check);
        self
    }

    /// Sets the maximum request body in bytes (default
    /// [`DEFAULT_BODY_LIMIT`], at least [`MIN_BODY_LIMIT`]). A larger body
    /// gets status `413`.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Sets how long the whole request body may take to arrive (default
    /// [`DEFAULT_BODY_TIMEOUT`]). A body still arriving after it gets status
    /// `408`. The handler deadlines start only once the body is read.
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.body_timeout = timeout;
        self
    }

    /// Checks the settings and builds the router, for any application state
    /// `S`, so it nests into an existing app.
    ///
    /// `S` is inferred from where the router goes (`.nest(..)`,
    /// `axum::serve`). Where nothing fixes it, such as a router kept in a
    /// variable and then layered, name it: `build::<()>()`.
    ///
    /// # Errors
    ///
    /// Returns a [`ConfigError`] when no authentication was chosen, a
    /// deadline or the body timeout is out of range (see each setter), or
    /// the body limit is below [`MIN_BODY_LIMIT`], so a misconfigured server
    /// never starts.
    pub fn build<S>(self) -> Result<Router<S>, ConfigError>
    where
        S: Clone + Send + Sync + 'static,
    {
        if self.body_limit < MIN_BODY_LIMIT {
            return Err(ConfigError::BodyLimit {
                given: self.body_limit,
                min: MIN_BODY_LIMIT,
            });
        }
        if self.body_timeout.is_zero() || self.body_timeout >= MAX_BODY_TIMEOUT {
            return Err(ConfigError::Deadline {
                what: "body timeout",
                given_ms: self.body_timeout.as_millis(),
                min_ms: 0,
                max_ms: MAX_BODY_TIMEOUT.as_millis(),
                bound: "an hour",
            });
        }
        let limits = BodyLimits {
            max_bytes: self.body_limit,
            timeout: self.body_timeout,
        };
        let receiver = Arc::new(self.receiver.build()?);
        Ok(Router::new()
            .route("/", endpoint(&receiver, Namespace::Server, limits))
            .route("/client", endpoint(&receiver, Namespace::Client, limits)))
    }
}

fn endpoint<H: Hooks, S>(
    receiver: &Arc<Receiver<H>>,
    namespace: Namespace,
    limits: BodyLimits,
) -> axum::routing::MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    let receiver = Arc::clone(receiver);
    post(move |request: Request| {
        let receiver = Arc::clone(&receiver);
        async move { deliver(receiver, namespace, limits, request).await }
    })
}

async fn deliver<H: Hooks>(
    receiver: Arc<Receiver<H>>,
    namespace: Namespace,
    limits: BodyLimits,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match read_body(&parts.headers, body, limits).await {
        Ok(bytes) => bytes,
        Err(rejection) => return into_response(rejection.into_reply(namespace)),
    };

    // The delivery runs on its own task, so it finishes even when the
    // sender disconnects and hyper drops this request's future: a report
    // being stored is never cut off halfway. The receiver already turns
    // handler panics into error replies; a panic anywhere else ends the
    // task, and the sender still gets a response.
    let headers = parts.headers;
    let receiving =
        tokio::spawn(async move { receiver.receive(namespace, &headers, &bytes).await });
    let reply = match receiving.await {
        Ok(reply) => reply,
        Err(error) => {
            tracing::error!(target: "webhook::delivery", namespace = namespace.as_str(), %error, "receiver task failed");
            HttpReply::error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        }
    };
    into_response(reply)
}

fn into_response(reply: HttpReply) -> Response {
    let content_type = HeaderValue::from_static(reply.content_type);
    (
        reply.status,
        [(header::CONTENT_TYPE, content_type)],
        reply.body,
    )
        .into_response()
}
