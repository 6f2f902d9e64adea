//! A `#[webhook_hooks]` handler that takes the request headers through the
//! `HeaderMap` this crate re-exports, so it needs no `http` dependency.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use tower::ServiceExt;
use webhook_axum::events::StatusUpdate;
use webhook_axum::{Auth, HeaderMap, WebhookRouter, webhook_hooks};

/// Records the `x-tenant` header of each status update.
struct Tenants {
    seen: Arc<Mutex<Vec<String>>>,
}

#[webhook_hooks]
impl Tenants {
    #[on(server.statusUpdate)]
    fn status(&self, _update: StatusUpdate, headers: &HeaderMap) {
        let tenant = headers
            .get("x-tenant")
            .and_then(|value| value.to_str().ok())
            .unwrap_or("-");
        self.seen.lock().unwrap().push(tenant.to_owned());
    }
}

#[tokio::test]
async fn handler_reads_reexported_header_map() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let hooks = Tenants {
        seen: Arc::clone(&seen),
    };
    let router = WebhookRouter::builder(hooks)
        .auth(Auth::none())
        .build::<()>()
        .unwrap();
    let request = http::Request::post("/")
        .header("x-tenant", "clinic-7")
        .body(Body::from(
            r#"{"message": {"type": "status-update", "status": "ended"}}"#,
        ))
        .unwrap();

    let response = router.oneshot(request).await.unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(*seen.lock().unwrap(), ["clinic-7"]);
}
