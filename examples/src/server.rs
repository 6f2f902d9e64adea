//! Serves a router over HTTP/1 and HTTP/2 with hyper-util's connection
//! builder instead of `axum::serve`, because only the builder can limit how
//! long a client takes to send a request head. Without that limit, a client
//! that opens connections and sends its headers slowly, or never, keeps
//! each connection open as long as it likes.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tower::ServiceExt;

use crate::StartError;

/// How long in-flight deliveries may take to finish after shutdown is
/// requested: longer than the 19 s reply deadline, so a handler that is
/// still running can still reply.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Default time a client has to send a request head.
///
/// A request head is a few hundred bytes, which HTTP clients and proxies
/// send in one write, so 10 s leaves a wide margin for a slow network. A
/// client that sends its headers slowly, or never, keeps a connection open
/// for at most this long.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Pause after an accept error such as `EMFILE` (no free file descriptor),
/// so the accept loop does not spin until a connection closes.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_secs(1);

/// Settings of [`serve_with`]. [`Default`] gives the values [`serve`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeOptions {
    /// Time a client has to send a complete request head (request line and
    /// headers), counted from when its connection is accepted and, on
    /// HTTP/1, from when the previous response is sent. A connection that
    /// misses it is closed without a response, so an idle HTTP/1
    /// keep-alive connection is closed after it too. On HTTP/2 only the
    /// first request head is timed. It must be above zero, and far below
    /// `Duration::MAX` because hyper adds it to the current `Instant`.
    pub header_read_timeout: Duration,
    /// Time in-flight requests have to finish once shutdown is requested.
    pub shutdown_grace: Duration,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            shutdown_grace: SHUTDOWN_GRACE,
        }
    }
}

/// Serves `app` on `listener` with [`ServeOptions::default`]: see
/// [`serve_with`].
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    serve_with(listener, app, shutdown, ServeOptions::default()).await
}

/// Serves `app` over HTTP/1 and HTTP/2 (prior knowledge, without TLS) on
/// `listener` until `shutdown` completes. It then stops accepting, lets
/// in-flight requests finish for up to `options.shutdown_grace`, and
/// returns. A connection still open when the grace period ends (a client
/// that sent half a request and went quiet, say) does not keep the server
/// from stopping.
///
/// Accept errors are logged and retried rather than returned, so the result
/// is `Ok(())` once the server has stopped.
///
/// NOTE: on an HTTP/2 connection only the first request head is timed,
/// because hyper 1.13 has no header read timeout or idle timeout for
/// HTTP/2. After one request, an HTTP/2 client can keep its connection open
/// without sending more. A proxy in front that speaks HTTP/1 to this
/// server, or `auto::Builder::http1_only`, closes that gap.
pub async fn serve_with(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    options: ServeOptions,
) -> Result<(), StartError> {
    let builder = connection_builder(options.header_read_timeout);
    let graceful = GracefulShutdown::new();
    let mut shutdown = pin!(shutdown);

    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        match accepted {
            Ok((stream, peer)) => {
                serve_connection(&builder, &graceful, &app, stream, peer, options);
            }
            Err(error) if is_connection_error(&error) => {
                tracing::debug!(%error, "a connection closed before it was accepted");
            }
            Err(error) => {
                tracing::error!(
                    %error,
                    pause_ms = ACCEPT_ERROR_PAUSE.as_millis() as u64,
                    "failed to accept a connection, retrying after a pause"
                );
                tokio::select! {
                    () = tokio::time::sleep(ACCEPT_ERROR_PAUSE) => {}
                    () = &mut shutdown => break,
                }
            }
        }
    }
    drop(listener);

    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(options.shutdown_grace) => {
            tracing::warn!(
                grace_ms = options.shutdown_grace.as_millis() as u64,
                "connections still open after the shutdown grace period; stopping anyway"
            );
        }
    }
    Ok(())
}

/// Builds the HTTP/1 and HTTP/2 connection settings.
fn connection_builder(header_read_timeout: Duration) -> auto::Builder<TokioExecutor> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    // hyper applies the header read timeout only when it has a timer.
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    builder
}

/// Serves one accepted connection on a task of its own, watched by
/// `graceful` so shutdown can close it.
///
/// hyper's HTTP/1 header read timeout starts only once the builder has
/// detected the protocol from the first bytes of the request. The task
/// therefore also closes a connection whose first request head is not
/// complete within the timeout, which covers a client that sends nothing,
/// or a few bytes of the HTTP/2 preface, and the first request on HTTP/2.
fn serve_connection(
    builder: &auto::Builder<TokioExecutor>,
    graceful: &GracefulShutdown,
    app: &Router,
    stream: TcpStream,
    peer: SocketAddr,
    options: ServeOptions,
) {
    let first_request = Arc::new(Notify::new());
    let service = {
        let first_request = Arc::clone(&first_request);
        app.clone().map_request(move |request: Request<Incoming>| {
            first_request.notify_one();
            request
        })
    };
    let connection = builder
        .serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service))
        .into_owned();
    let connection = graceful.watch(connection);

    tokio::spawn(async move {
        tokio::select! {
            result = connection => {
                if let Err(error) = result {
                    tracing::debug!(%peer, %error, "connection closed with an error");
                }
            }
            () = first_request_missed(&first_request, options.header_read_timeout) => {
                tracing::debug!(
                    %peer,
                    timeout_ms = options.header_read_timeout.as_millis() as u64,
                    "connection closed: no complete request head within the header read timeout"
                );
            }
        }
    });
}

/// Completes when `timeout` passes before `first_request` is notified, and
/// never completes otherwise.
async fn first_request_missed(first_request: &Notify, timeout: Duration) {
    if tokio::time::timeout(timeout, first_request.notified())
        .await
        .is_ok()
    {
        std::future::pending::<()>().await;
    }
}

/// Returns whether an accept error concerns only one client's connection,
/// so the loop can accept again at once. Errors of the listener or the
/// process, such as running out of file descriptors, return `false`.
fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}
