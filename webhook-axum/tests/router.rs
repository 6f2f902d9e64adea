//! The router from the sender's side, through `tower::ServiceExt::oneshot`:
//! routes, body limits, status codes and rejection logs.
//!
//! The hooks here are a hand-written `Hooks` impl, so these tests exercise
//! the adapter alone, without `#[webhook_hooks]`.

use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::routing::get;
use futures_util::{StreamExt, stream};
use http::{HeaderValue, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use webhook_axum::events::{AssistantRequest, StatusUpdate, WorkflowNodeStarted};
use webhook_axum::reply::{AssistantRequestReply, ClientInboundMessage, EventReply};
use webhook_axum::webhook_core::{EventKind, Handled, HookError};
use webhook_axum::{
    Auth, ConfigError, DEFAULT_BODY_LIMIT, Delivery, Hooks, MIN_BODY_LIMIT, WebhookRouter,
};

const SECRET: &str = "test-secret-not-real";

/// Counts handler calls. A status `panic` or a caller `+15555550199` makes
/// the handler panic, to check that no panic reaches the sender.
#[derive(Default)]
struct CountingHooks {
    calls: Arc<AtomicUsize>,
}

impl Hooks for CountingHooks {
    async fn handle<'a>(&'a self, delivery: &'a Delivery<'a>) -> Result<Handled, HookError> {
        let reply = match delivery.kind() {
            Some(EventKind::ServerStatusUpdate) => {
                let update: StatusUpdate = delivery.decode()?;
                self.calls.fetch_add(1, Ordering::SeqCst);
                let status = update.status.as_ref().map(|status| status.as_str());
                assert_ne!(status, Some("panic"), "status handler panics on purpose");
                ().into_http_reply()
            }
            Some(EventKind::ServerAssistantRequest) => {
                let request: AssistantRequest = delivery.decode()?;
                self.calls.fetch_add(1, Ordering::SeqCst);
                let caller = request.customer.and_then(|customer| customer.number);
                assert_ne!(
                    caller.as_deref(),
                    Some("+15555550199"),
                    "assistant handler panics on purpose"
                );
                AssistantRequestReply::assistant_id("asst-test-0001").into_http_reply()
            }
            Some(EventKind::ClientWorkflowNodeStarted) => {
                let event: WorkflowNodeStarted = delivery.decode()?;
                self.calls.fetch_add(1, Ordering::SeqCst);
                let node = event.node_name().unwrap_or("unnamed".into()).into_owned();
                Some(ClientInboundMessage::say(format!("entered {node}"))).into_http_reply()
            }
            _ => return Ok(Handled::NotHandled),
        };
        Ok(Handled::Reply(reply))
    }
}

struct Harness {
    router: Router,
    calls: Arc<AtomicUsize>,
}

impl Harness {
    fn new(configure: impl FnOnce(Builder) -> Builder) -> Self {
        let hooks = CountingHooks::default();
        let calls = Arc::clone(&hooks.calls);
        let builder = WebhookRouter::builder(hooks).auth(Auth::shared_secret(SECRET).unwrap());
        let webhooks = configure(builder).build().expect("valid settings");
        let router = Router::new().nest("/api/webhook", webhooks);
        Harness { router, calls }
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    async fn send(&self, request: Request<Body>) -> Answer {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|value| value.to_str().unwrap().to_owned());
        let location = response.headers().get(header::LOCATION).cloned();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            content_type,
            has_location: location.is_some(),
            body,
        }
    }
}

type Builder = webhook_axum::WebhookRouterBuilder<CountingHooks>;

#[derive(Debug)]
struct Answer {
    status: StatusCode,
    content_type: Option<String>,
    has_location: bool,
    body: Bytes,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "response body is not JSON ({error}): {:?}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

fn post(path: &str) -> http::request::Builder {
    Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("x-vapi-secret", SECRET)
}

fn status_update(status: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "message": {"type": "status-update", "status": status, "call": {"id": "call-test-0001"}}
    }))
    .unwrap()
}

/// Builds a status update padded with an unknown field to exactly `bytes`
/// long (or its unpadded length, when that is longer).
fn padded_status_update(bytes: usize) -> Vec<u8> {
    let with_note = |note: String| {
        serde_json::to_vec(&json!({
            "message": {
                "type": "status-update",
                "status": "ended",
                "call": {"id": "call-test-0001"},
                "note": note
            }
        }))
        .unwrap()
    };
    let unpadded = with_note(String::new()).len();
    with_note("x".repeat(bytes.saturating_sub(unpadded)))
}

fn json_post(path: &str, body: Vec<u8>) -> Request<Body> {
    post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn server_route_is_the_nested_root() {
    let harness = Harness::new(|builder| builder);

    let answer = harness
        .send(json_post("/api/webhook", status_update("ended")))
        .await;

    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.content_type.as_deref(), Some("application/json"));
    assert_eq!(answer.json(), json!({}));
    assert_eq!(harness.calls(), 1);
}

#[tokio::test]
async fn client_route_gets_client_messages() {
    let harness = Harness::new(|builder| builder);
    let body = serde_json::to_vec(&json!({
        "message": {"type": "workflow.node.started", "node": {"name": "greeting"}}
    }))
    .unwrap();

    let answer = harness
        .send(json_post("/api/webhook/client", body.clone()))
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.json(),
        json!({"type": "say", "content": "entered greeting"})
    );
    assert_eq!(harness.calls(), 1);

    // The same wire type on the server route is not a server event.
    let answer = harness.send(json_post("/api/webhook", body)).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json(), json!({}));
    assert_eq!(harness.calls(), 1);
}

#[tokio::test]
async fn server_message_on_client_route_is_unhandled() {
    let harness = Harness::new(|builder| builder);

    let answer = harness
        .send(json_post("/api/webhook/client", status_update("ended")))
        .await;

    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json(), json!({}));
    assert_eq!(harness.calls(), 0);
}

#[tokio::test]
async fn content_type_is_not_required() {
    let harness = Harness::new(|builder| builder);
    let content_types = [
        None,
        Some("application/json; charset=utf-8"),
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ];

    for content_type in content_types {
        let mut request = post("/api/webhook");
        if let Some(value) = content_type {
            request = request.header(header::CONTENT_TYPE, value);
        }
        let request = request.body(Body::from(status_update("ended"))).unwrap();
        let answer = harness.send(request).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "content type {content_type:?}"
        );
    }
    assert_eq!(harness.calls(), content_types.len());
}

/// A status update sent with `encoding` as its `Content-Encoding`.
fn encoded_status_update(encoding: HeaderValue) -> Request<Body> {
    post("/api/webhook")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_ENCODING, encoding)
        .body(Body::from(status_update("ended")))
        .unwrap()
}

#[tokio::test]
async fn compressed_body_is_415() {
    let harness = Harness::new(|builder| builder);

    for encoding in ["gzip", "identity, br", "GZIP"] {
        let answer = harness
            .send(encoded_status_update(HeaderValue::from_static(encoding)))
            .await;

        assert_eq!(
            answer.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{encoding}"
        );
        let error = answer.json()["error"].as_str().unwrap().to_owned();
        assert_eq!(
            error,
            format!("content-encoding `{encoding}` is not supported: send the body uncompressed")
        );
    }
    assert_eq!(harness.calls(), 0);
}

#[tokio::test]
async fn identity_encoding_is_read() {
    let harness = Harness::new(|builder| builder);

    // Content codings are case-insensitive (RFC 9110, section 8.4.1).
    for encoding in ["identity", "IDENTITY", "identity, Identity"] {
        let answer = harness
            .send(encoded_status_update(HeaderValue::from_static(encoding)))
            .await;

        assert_eq!(answer.status, StatusCode::OK, "{encoding}");
    }
    assert_eq!(harness.calls(), 3);
}

#[tokio::test]
async fn unreadable_encoding_is_415() {
    let harness = Harness::new(|builder| builder);
    let encoding = HeaderValue::from_bytes(b"gz\xffip").unwrap();

    let answer = harness.send(encoded_status_update(encoding)).await;

    assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let error = answer.json()["error"].as_str().unwrap().to_owned();
    assert!(error.contains("(not visible ASCII)"), "{error}");
    assert_eq!(harness.calls(), 0);
}

#[tokio::test]
async fn declared_length_over_limit_is_413() {
    let harness = Harness::new(|builder| builder.body_limit(1024));
    let body = vec![b' '; 2048];
    let request = post("/api/webhook")
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap();

    let answer = harness.send(request).await;

    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.content_type.as_deref(), Some("application/json"));
    let error = answer.json()["error"].as_str().unwrap().to_owned();
    assert!(error.contains("1024 bytes"), "{error}");
    assert_eq!(harness.calls(), 0);
}

#[tokio::test]
async fn declared_length_is_checked_before_reading() {
    let harness = Harness::new(|builder| builder.body_limit(1024));
    // The stream itself is small: only the declared length is over the
    // limit, so a 413 here comes from the header check.
    let chunks = vec![Ok::<_, io::Error>(Bytes::from_static(b"{}"))];
    let request = post("/api/webhook")
        .header(header::CONTENT_LENGTH, "1000000000")
        .body(Body::from_stream(stream::iter(chunks)))
        .unwrap();

    let answer = harness.send(request).await;

    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(harness.calls(), 0);
}

#[tokio::test]
async fn body_exactly_at_limit_is_accepted() {
    let body = padded_status_update(MIN_BODY_LIMIT);
    let limit = body.len();
    let harness = Harness::new(|builder| builder.body_limit(limit));

    let answer = harness.send(json_post("/api/webhook", body)).await;

    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(harness.calls(), 1);
}

#[tokio::test]
async fn chunked_body_growing_past_limit_is_413() {
    let harness = Harness::new(|builder| builder.body_limit(4096));
    // A JSON prefix that would be valid if the body stopped early, then
    // chunks with no declared length until the limit is passed.
    let mut chunks = vec![Bytes::from_static(
        b"{\"message\":{\"type\":\"status-update\",\"transcript\":\"",
    )];
    chunks.extend(std::iter::repeat_n(Bytes::from(vec![b'a'; 1000]), 8));
    chunks.push(Bytes::from_static(b"\"}}"));
    let body = Body::from_stream(stream::iter(chunks.into_iter().map(Ok::<_, io::Error>)));
    let request = post("/api/webhook").body(body).unwrap();

    let answer = harness.send(request).await;

    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(answer.json()["error"].is_string());
    assert_eq!(harness.calls(), 0);
}

#[tokio::test]
async fn chunked_body_under_limit_is_read_whole() {
    let harness = Harness::new(|builder| builder.body_limit(4096));
    let body = status_update("ended");
    let chunks: Vec<Bytes> = body.chunks(7).map(Bytes::copy_from_slice).collect();
    let body = Body::from_stream(stream::iter(chunks.into_iter().map(Ok::<_, io::Error>)));
    let request = post("/api/webhook").body(body).unwrap();

    let answer = harness.send(request).await;

    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(harness.calls(), 1);
}

#[tokio::test]
async fn stalled_body_is_408() {
    let harness =
        Harness::new(|builder| builder.body_timeout(std::time::Duration::from_millis(100)));
    // The first chunk arrives, then the sender goes quiet.
    let first = stream::iter([Ok::<_, io::Error>(Bytes::from_static(b"{\"message\":"))]);
    let body = Body::from_stream(first.chain(stream::pending()));
    let request = post("/api/webhook")
        .header(header::CONTENT_LENGTH, "64")
        .body(body)
        .unwrap();

    let answer = harness.send(request).await;

    assert_eq!(answer.status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(
        answer.json()["error"],
        "request body did not arrive within 100 ms"
    );
    assert_eq!(harness.calls(), 0);
}

#[test]
fn zero_body_timeout_fails() {
    let result = WebhookRouter::builder(CountingHooks::default())
        .auth(Auth::none())
        .body_timeout(std::time::Duration::ZERO)
        .build::<()>();

    assert!(matches!(
        result,
        Err(ConfigError::Deadline {
            what: "body timeout",
            ..
        })
    ));
}

#[tokio::test]
async fn failing_body_stream_is_400() {
    let harness = Harness::new(|builder| builder);
    let chunks = vec![
        Ok(Bytes::from_static(b"{\"message\":")),
        Err(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "connection reset",
        )),
    ];
    let request = post("/api/webhook")
        .body(Body::from_stream(stream::iter(chunks)))
        .unwrap();

    let answer = harness.send(request).await;

    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.json()["error"].is_string());
    assert_eq!(harness.calls(), 0);
}

#[tokio::test]
async fn default_limit_takes_a_long_report() {
    assert_eq!(DEFAULT_BODY_LIMIT, 16 * 1024 * 1024);
    let harness = Harness::new(|builder| builder);
    let transcript = "User: I need to move my appointment please. ".repeat(100_000);
    let body = serde_json::to_vec(&json!({
        "message": {"type": "status-update", "status": "ended", "transcript": transcript}
    }))
    .unwrap();
    assert!(body.len() > 4_000_000);

    let answer = harness.send(json_post("/api/webhook", body)).await;

    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(harness.calls(), 1);
}

#[tokio::test]
async fn body_past_default_limit_is_413() {
    let harness = Harness::new(|builder| builder);
    let body = vec![b' '; DEFAULT_BODY_LIMIT + 1];

    let answer = harness.send(json_post("/api/webhook", body)).await;

    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(harness.calls(), 0);
}

#[tokio::test]
async fn wrong_secret_is_401_naming_headers() {
    let harness = Harness::new(|builder| builder);
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/webhook")
        .header("x-vapi-secret", "not-the-secret")
        .body(Body::from(status_update("ended")))
        .unwrap();

    let answer = harness.send(request).await;

    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    let body = answer.json();
    assert_eq!(body["error"], "unauthorized");
    let checked = body["checkedHeaders"].as_array().expect("checkedHeaders");
    assert!(!checked.is_empty());
    assert!(!String::from_utf8_lossy(&answer.body).contains(SECRET));
    assert_eq!(harness.calls(), 0);
}

#[tokio::test]
async fn malformed_body_is_400() {
    let harness = Harness::new(|builder| builder);
    let bodies: [&[u8]; 4] = [
        b"{\"message\": {\"type\": \"status-update\"",
        b"{\"type\": \"status-update\"}",
        b"{\"message\": \"status-update\"}",
        b"",
    ];

    for body in bodies {
        let answer = harness.send(json_post("/api/webhook", body.to_vec())).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{:?}",
            String::from_utf8_lossy(body)
        );
        assert!(answer.json()["error"].is_string());
    }
    assert_eq!(harness.calls(), 0);
}

#[tokio::test]
async fn unknown_event_is_200_empty() {
    let harness = Harness::new(|builder| builder);
    let body = serde_json::to_vec(&json!({
        "message": {"type": "call.metrics-snapshot", "call": {"id": "call-test-0009"}}
    }))
    .unwrap();

    let answer = harness.send(json_post("/api/webhook", body)).await;

    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json(), json!({}));
}

#[tokio::test]
async fn trailing_slash_never_redirects() {
    let harness = Harness::new(|builder| builder);

    for path in ["/api/webhook/", "/api/webhook/client/"] {
        let answer = harness.send(json_post(path, status_update("ended"))).await;
        assert!(!answer.status.is_redirection(), "{path}: {}", answer.status);
        assert!(!answer.has_location, "{path}");
        assert_ne!(answer.status, StatusCode::GONE, "{path}");
    }
}

#[tokio::test]
async fn trailing_slash_under_nest_is_404() {
    let harness = Harness::new(|builder| builder);

    let answer = harness
        .send(json_post("/api/webhook/", status_update("ended")))
        .await;

    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(harness.calls(), 0);
}

#[tokio::test]
async fn nest_service_accepts_trailing_slash() {
    let hooks = CountingHooks::default();
    let calls = Arc::clone(&hooks.calls);
    let webhooks: Router = WebhookRouter::builder(hooks)
        .auth(Auth::none())
        .build()
        .unwrap();
    let app: Router = Router::new().nest_service("/api/webhook", webhooks);

    for path in ["/api/webhook", "/api/webhook/"] {
        let request = Request::post(path)
            .body(Body::from(status_update("ended")))
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    let client = serde_json::to_vec(&json!({"type": "workflow.node.started"})).unwrap();
    let request = Request::post("/api/webhook/client")
        .body(Body::from(client))
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn wrong_method_is_405() {
    let harness = Harness::new(|builder| builder);

    for method in [Method::GET, Method::PUT, Method::DELETE] {
        for path in ["/api/webhook", "/api/webhook/client"] {
            let request = Request::builder()
                .method(method.clone())
                .uri(path)
                .body(Body::empty())
                .unwrap();
            let answer = harness.send(request).await;
            assert_eq!(
                answer.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}"
            );
        }
    }
}

#[tokio::test]
async fn panicking_handler_still_gets_a_reply() {
    let harness = Harness::new(|builder| builder);

    let answer = harness
        .send(json_post("/api/webhook", status_update("panic")))
        .await;
    assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(answer.json()["error"].is_string());

    let body = serde_json::to_vec(&json!({
        "message": {"type": "assistant-request", "customer": {"number": "+15555550199"}}
    }))
    .unwrap();
    let answer = harness.send(json_post("/api/webhook", body)).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.json()["error"].is_string());
}

#[tokio::test]
async fn fallback_answers_a_failed_assistant_request() {
    let harness = Harness::new(|builder| {
        builder.assistant_request_fallback(AssistantRequestReply::assistant_id("asst-fallback"))
    });
    let body = serde_json::to_vec(&json!({
        "message": {"type": "assistant-request", "customer": {"number": "+15555550199"}}
    }))
    .unwrap();

    let answer = harness.send(json_post("/api/webhook", body)).await;

    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json(), json!({"assistantId": "asst-fallback"}));
}

#[tokio::test]
async fn nests_into_app_with_state() {
    #[derive(Clone)]
    struct AppState {
        name: &'static str,
    }
    let webhooks = WebhookRouter::builder(CountingHooks::default())
        .auth(Auth::none())
        .build()
        .unwrap();
    let app = Router::new()
        .route(
            "/health",
            get(|State(state): State<AppState>| async move { state.name }),
        )
        .nest("/api/webhook", webhooks)
        .with_state(AppState { name: "ok" });

    let health = Request::get("/health").body(Body::empty()).unwrap();
    let response = app.clone().oneshot(health).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    let request = Request::post("/api/webhook")
        .body(Body::from(status_update("ended")))
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[test]
fn build_without_auth_fails() {
    let result = WebhookRouter::builder(CountingHooks::default()).build::<()>();

    assert!(matches!(result, Err(ConfigError::AuthNotChosen)));
}

#[test]
fn empty_secret_fails() {
    assert!(matches!(
        Auth::shared_secret(""),
        Err(ConfigError::EmptySecret)
    ));
}

#[test]
fn deadline_past_vapi_limit_fails() {
    let result = WebhookRouter::builder(CountingHooks::default())
        .auth(Auth::none())
        .assistant_request_deadline(std::time::Duration::from_secs(8))
        .build::<()>();

    assert!(matches!(result, Err(ConfigError::Deadline { .. })));
}

#[test]
fn reply_deadline_past_vapi_maximum_fails() {
    let build = |seconds| {
        WebhookRouter::builder(CountingHooks::default())
            .auth(Auth::none())
            .reply_deadline(std::time::Duration::from_secs(seconds))
            .build::<()>()
    };

    assert!(matches!(build(300), Err(ConfigError::Deadline { .. })));
    assert!(build(299).is_ok());
}

#[test]
fn body_limit_below_minimum_fails() {
    let build = |bytes| {
        WebhookRouter::builder(CountingHooks::default())
            .auth(Auth::none())
            .body_limit(bytes)
            .build::<()>()
    };

    assert!(matches!(
        build(0),
        Err(ConfigError::BodyLimit {
            given: 0,
            min: MIN_BODY_LIMIT
        })
    ));
    assert!(matches!(
        build(MIN_BODY_LIMIT - 1),
        Err(ConfigError::BodyLimit { .. })
    ));
    assert!(build(MIN_BODY_LIMIT).is_ok());
}

/// Collects log lines written through `tracing` while it is set as the
/// thread's default subscriber.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl io::Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogBuffer {
    type Writer = LogBuffer;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn rejection_logs_at_warn_with_stable_target() {
    let logs = LogBuffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let harness = Harness::new(|builder| builder.body_limit(MIN_BODY_LIMIT));

    let answer = harness
        .send(json_post(
            "/api/webhook",
            padded_status_update(MIN_BODY_LIMIT + 1),
        ))
        .await;

    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let line = text
        .lines()
        .find(|line| line.contains("body too large"))
        .unwrap_or_else(|| panic!("no rejection line in {text:?}"));
    assert!(line.contains("WARN"), "{line}");
    assert!(line.contains("webhook::rejection"), "{line}");
    assert!(line.contains("limit_bytes=1024"), "{line}");
    assert!(!line.contains("status-update"), "body leaked into {line}");
}

/// Finishes its work well after the sender gave up waiting.
struct SlowStore {
    stored: Arc<AtomicUsize>,
}

#[webhook_axum::webhook_hooks]
impl SlowStore {
    #[on(server.endOfCallReport)]
    async fn store(&self) {
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        self.stored.fetch_add(1, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn delivery_finishes_after_sender_disconnects() {
    let stored = Arc::new(AtomicUsize::new(0));
    let webhooks: Router = WebhookRouter::builder(SlowStore {
        stored: Arc::clone(&stored),
    })
    .auth(Auth::none())
    .build()
    .expect("valid settings");
    let request = Request::post("/")
        .body(Body::from(r#"{"message":{"type":"end-of-call-report"}}"#))
        .expect("request");

    // The sender stops waiting after 20 ms, which drops the request's future.
    let gave_up = tokio::time::timeout(
        std::time::Duration::from_millis(20),
        webhooks.oneshot(request),
    )
    .await;
    assert!(gave_up.is_err(), "the handler should still be running");

    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(stored.load(Ordering::SeqCst), 1);
}
