//! How `serve_with` checks its `ServeOptions`: a header read timeout out
//! of range is rejected before any connection is served, the bounds are
//! accepted, and a shutdown grace of `Duration::MAX` needs no check.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use webhook_examples::{
    MAX_HEADER_READ_TIMEOUT, MIN_HEADER_READ_TIMEOUT, ServeOptions, StartError, serve_with,
};

/// How long a test waits for `serve_with` to return before it fails.
const RETURN_LIMIT: Duration = Duration::from_secs(5);

/// Runs `serve_with` with `options` on a loopback port until `shutdown`
/// completes, and returns its result.
async fn serve_until(
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let serving = serve_with(listener, Router::new(), shutdown, options);
    tokio::time::timeout(RETURN_LIMIT, serving)
        .await
        .expect("`serve_with` returns")
}

#[tokio::test]
async fn header_read_timeout_out_of_range_rejected() {
    let cases = [
        Duration::ZERO,
        MIN_HEADER_READ_TIMEOUT - Duration::from_nanos(1),
        MAX_HEADER_READ_TIMEOUT + Duration::from_nanos(1),
        Duration::MAX,
    ];

    for value in cases {
        let options = ServeOptions {
            header_read_timeout: value,
            ..ServeOptions::default()
        };
        // The shutdown never completes, so only a rejection returns.
        let error = serve_until(options, std::future::pending())
            .await
            .expect_err("out of range value is rejected");

        assert!(
            matches!(
                error,
                StartError::InvalidServeOptions {
                    field: "header_read_timeout",
                    ..
                }
            ),
            "{value:?}: {error:?}"
        );
        let message = error.to_string();
        assert!(
            message.contains("`ServeOptions::header_read_timeout`"),
            "{message}"
        );
        assert!(message.contains(&format!("{value:?}")), "{message}");
        assert!(message.contains("expected 1ms to 3600s"), "{message}");
    }
}

#[tokio::test]
async fn header_read_timeout_bounds_accepted() {
    for value in [MIN_HEADER_READ_TIMEOUT, MAX_HEADER_READ_TIMEOUT] {
        let options = ServeOptions {
            header_read_timeout: value,
            ..ServeOptions::default()
        };

        let result = serve_until(options, async {}).await;

        assert!(result.is_ok(), "{value:?}: {result:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_header_read_timeout_serves_requests() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let options = ServeOptions {
        header_read_timeout: MAX_HEADER_READ_TIMEOUT,
        ..ServeOptions::default()
    };
    let app = Router::new().route("/ping", get(|| async { "pong" }));
    let server = tokio::spawn(serve_with(
        listener,
        app,
        async {
            let _ = stopped.await;
        },
        options,
    ));

    let response = reqwest::get(format!("http://{addr}/ping"))
        .await
        .expect("server reachable");

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.text().await.unwrap(), "pong");
    stop.send(()).unwrap();
    let result = tokio::time::timeout(RETURN_LIMIT, server)
        .await
        .expect("server stops")
        .expect("server task did not panic");
    assert!(result.is_ok(), "{result:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_shutdown_grace_waits_for_request() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let options = ServeOptions {
        shutdown_grace: Duration::MAX,
        ..ServeOptions::default()
    };
    // The handler signals that it has started, so the stop comes while the
    // request is in flight however slowly the machine runs.
    let started = Arc::new(tokio::sync::Notify::new());
    let handler_started = Arc::clone(&started);
    let app = Router::new().route(
        "/slow",
        get(move || async move {
            handler_started.notify_one();
            tokio::time::sleep(Duration::from_millis(300)).await;
            "finished"
        }),
    );
    let server = tokio::spawn(serve_with(
        listener,
        app,
        async {
            let _ = stopped.await;
        },
        options,
    ));

    let request = tokio::spawn(reqwest::get(format!("http://{addr}/slow")));
    started.notified().await;
    stop.send(()).unwrap();

    let response = request.await.unwrap().expect("in-flight request completes");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.text().await.unwrap(), "finished");
    let result = tokio::time::timeout(RETURN_LIMIT, server)
        .await
        .expect("server stops after the request")
        .expect("server task did not panic");
    assert!(result.is_ok(), "{result:?}");
}
