//! A browser front end on another origin reaches the client route once the
//! README's `CorsLayer` is layered over the webhook router: the preflight
//! gets `200`, and the reply to the post carries the allowed origin.

use axum::Router;
use axum::body::Body;
use http::{HeaderName, HeaderValue, Method, Request, StatusCode, header};
use tower::ServiceExt;
use tower_http::cors::CorsLayer;
use webhook_axum::{Auth, WebhookRouter, webhook_hooks};

const FRONT_END: &str = "https://app.example.invalid";

struct Front;

#[webhook_hooks]
impl Front {
    #[on(client.hang)]
    fn hang(&self) {}
}

fn app() -> Router {
    let webhooks = WebhookRouter::builder(Front)
        .auth(Auth::shared_secret("test-secret-not-real").expect("secret"))
        .client_auth(Auth::none())
        .build()
        .expect("valid settings");
    let cors = CorsLayer::new()
        .allow_origin(HeaderValue::from_static(FRONT_END))
        .allow_methods([Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            HeaderName::from_static("x-vapi-secret"),
        ]);
    Router::new().nest("/api/webhook", webhooks.layer(cors))
}

fn preflight(origin: &str) -> Request<Body> {
    Request::builder()
        .method(Method::OPTIONS)
        .uri("/api/webhook/client")
        .header(header::ORIGIN, origin)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            "content-type,x-vapi-secret",
        )
        .body(Body::empty())
        .expect("request")
}

#[tokio::test]
async fn preflight_from_front_end_allowed() {
    let response = app().oneshot(preflight(FRONT_END)).await.expect("response");

    assert_eq!(response.status(), StatusCode::OK);
    let allowed = response.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN);
    assert_eq!(
        allowed.and_then(|value| value.to_str().ok()),
        Some(FRONT_END)
    );
    let headers = response
        .headers()
        .get(header::ACCESS_CONTROL_ALLOW_HEADERS)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    assert!(headers.contains("x-vapi-secret"), "{headers}");
}

/// The layer names the one allowed origin for every request, so for any
/// other origin the browser finds a mismatch and blocks the post.
#[tokio::test]
async fn preflight_from_other_origin_not_allowed() {
    let other = "https://elsewhere.example.invalid";

    let response = app().oneshot(preflight(other)).await.expect("response");

    let allowed = response.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN);
    assert_ne!(allowed.and_then(|value| value.to_str().ok()), Some(other));
}

#[tokio::test]
async fn preflight_without_layer_is_405() {
    let webhooks = WebhookRouter::builder(Front)
        .auth(Auth::none())
        .build()
        .expect("valid settings");
    let app: Router = Router::new().nest("/api/webhook", webhooks);

    let response = app.oneshot(preflight(FRONT_END)).await.expect("response");

    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn post_from_front_end_carries_allowed_origin() {
    let request = Request::post("/api/webhook/client")
        .header(header::ORIGIN, FRONT_END)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"message":{"type":"hang"}}"#))
        .expect("request");

    let response = app().oneshot(request).await.expect("response");

    assert_eq!(response.status(), StatusCode::OK);
    let allowed = response.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN);
    assert_eq!(
        allowed.and_then(|value| value.to_str().ok()),
        Some(FRONT_END)
    );
}
