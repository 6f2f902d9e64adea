//! Serves a router over HTTP/1 and HTTP/2 with hyper-util's connection
//! builder instead of `axum::serve`, because only the builder can limit how
//! long a client takes to send a request head. Without that limit, a client
//! that opens connections and sends its headers slowly, or never, keeps
//! each connection open as long as it likes.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::{JoinError, JoinSet};
use tower::ServiceExt;

use crate::StartError;
use crate::settings::MAX_HEADER_READ_TIMEOUT_SECS;

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

/// Minimum [`ServeOptions::header_read_timeout`]. With zero, a connection
/// would be served only if its head was already in the socket buffer when
/// the server first read it.
pub const MIN_HEADER_READ_TIMEOUT: Duration = Duration::from_millis(1);

/// Maximum [`ServeOptions::header_read_timeout`], the same hour that
/// `WEBHOOK_HEADER_READ_TIMEOUT_SECS` allows.
pub const MAX_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(MAX_HEADER_READ_TIMEOUT_SECS);

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
    /// first request head is timed.
    ///
    /// It must be from [`MIN_HEADER_READ_TIMEOUT`] (1 ms) to
    /// [`MAX_HEADER_READ_TIMEOUT`] (1 hour), or [`serve_with`] returns
    /// [`StartError::InvalidServeOptions`]. hyper adds the timeout to the
    /// current `Instant`, which panics for values near `Duration::MAX`.
    pub header_read_timeout: Duration,
    /// Time in-flight requests have to finish once shutdown is requested.
    /// Any value is accepted: `Duration::ZERO` cancels in-flight requests
    /// at once, and `Duration::MAX` in effect waits for them without a
    /// limit.
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

impl ServeOptions {
    /// Checks each field against its documented range.
    fn check(&self) -> Result<(), StartError> {
        let timeout = self.header_read_timeout;
        if !(MIN_HEADER_READ_TIMEOUT..=MAX_HEADER_READ_TIMEOUT).contains(&timeout) {
            return Err(StartError::InvalidServeOptions {
                field: "header_read_timeout",
                value: timeout,
                min: MIN_HEADER_READ_TIMEOUT,
                max: MAX_HEADER_READ_TIMEOUT,
            });
        }
        Ok(())
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
/// `listener` until `shutdown` completes. It then stops accepting and lets
/// in-flight requests finish for up to `options.shutdown_grace`. When the
/// grace period ends, it closes the connections still open, cancels their
/// requests and waits for their tasks to end, so a client that sent half a
/// request and went quiet does not keep the server from stopping.
///
/// Once it returns, no connection is open and no handler future is left to
/// run. A handler that blocks its thread, or starts work of its own with
/// `tokio::spawn` or `spawn_blocking`, can still be running then, because
/// cancelling a task takes effect only when it yields.
///
/// Returns [`StartError::InvalidServeOptions`] before accepting a
/// connection if `options` has a value out of range. Accept errors are
/// logged and retried rather than returned, so the result is otherwise
/// `Ok(())` once the server has stopped.
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
    options.check()?;

    let streams = StreamTasks::default();
    let builder = connection_builder(options.header_read_timeout, streams.clone());
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    let mut shutdown = pin!(shutdown);

    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            Some(ended) = connections.join_next(), if !connections.is_empty() => {
                log_panic(ended, "connection");
                continue;
            }
            () = &mut shutdown => break,
        };
        match accepted {
            Ok((stream, peer)) => {
                let connection = serve_connection(&builder, &graceful, &app, stream, peer, options);
                connections.spawn(connection);
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

    stop_connections(graceful, connections, streams, options.shutdown_grace).await;
    Ok(())
}

/// Asks every connection to close after its in-flight requests, waits up
/// to `grace` for them, then aborts the connection and stream tasks that
/// are left and waits for them to end.
async fn stop_connections(
    graceful: GracefulShutdown,
    mut connections: JoinSet<()>,
    streams: StreamTasks,
    grace: Duration,
) {
    let drained = async {
        graceful.shutdown().await;
        while let Some(ended) = connections.join_next().await {
            log_panic(ended, "connection");
        }
    };
    // `sleep` caps its delay at about 30 years (tokio 1.54), so a huge
    // `grace` cannot overflow `Instant`.
    let finished = tokio::select! {
        () = drained => true,
        () = tokio::time::sleep(grace) => false,
    };

    if !finished {
        tracing::warn!(
            grace_ms = grace.as_millis() as u64,
            open_connections = connections.len(),
            "shutdown grace period ended with connections still open, closing them"
        );
    }
    connections.shutdown().await;
    streams.shutdown().await;
}

/// Builds the HTTP/1 and HTTP/2 connection settings.
fn connection_builder(
    header_read_timeout: Duration,
    streams: StreamTasks,
) -> auto::Builder<StreamTasks> {
    let mut builder = auto::Builder::new(streams);
    // hyper applies the header read timeout only when it has a timer.
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    builder
}

/// Returns a future that serves one accepted connection until it closes,
/// watched by `graceful` so shutdown can close it.
///
/// hyper's HTTP/1 header read timeout starts only once the builder has
/// detected the protocol from the first bytes of the request. The task
/// therefore also closes a connection whose first request head is not
/// complete within the timeout, which covers a client that sends nothing,
/// or a few bytes of the HTTP/2 preface, and the first request on HTTP/2.
fn serve_connection(
    builder: &auto::Builder<StreamTasks>,
    graceful: &GracefulShutdown,
    app: &Router,
    stream: TcpStream,
    peer: SocketAddr,
    options: ServeOptions,
) -> impl Future<Output = ()> + Send + 'static {
    let first_request = Arc::new(Notify::new());
    let service = {
        let first_request = Arc::clone(&first_request);
        app.clone().map_request(move |request: Request<Incoming>| {
            first_request.notify_one();
            request
        })
    };
    // Upgrades stay off because no route upgrades a connection, and an
    // upgraded connection would be served outside `graceful` and the task
    // set, by a task the handler spawns.
    let connection = builder
        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
        .into_owned();
    let connection = graceful.watch(connection);

    async move {
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
    }
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

/// The executor hyper spawns HTTP/2 stream tasks on, one per request. It
/// keeps them in a set that [`serve_with`] aborts when it stops, because a
/// stream task runs the handler. With `TokioExecutor` a stream task would
/// keep running after its connection task is aborted, until hyper next
/// polls it and finds the connection closed.
#[derive(Clone, Default)]
struct StreamTasks(Arc<Mutex<JoinSet<()>>>);

impl StreamTasks {
    fn lock(&self) -> MutexGuard<'_, JoinSet<()>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Aborts the stream tasks still running and waits for them to end.
    /// Call it once every connection task has ended, so none can spawn
    /// another stream.
    async fn shutdown(&self) {
        let mut tasks = std::mem::take(&mut *self.lock());
        tasks.shutdown().await;
    }
}

impl<F> hyper::rt::Executor<F> for StreamTasks
where
    F: Future<Output = ()> + Send + 'static,
{
    fn execute(&self, task: F) {
        let mut tasks = self.lock();
        // Removing the ended tasks on each spawn keeps the set as small as
        // the number of streams open at once.
        while let Some(ended) = tasks.try_join_next() {
            log_panic(ended, "HTTP/2 stream");
        }
        tasks.spawn(task);
    }
}

/// Logs a task that ended in a panic, naming its `kind`. The panic ends
/// only that task, and the server keeps running.
fn log_panic(ended: Result<(), JoinError>, kind: &str) {
    match ended {
        Err(error) if error.is_panic() => {
            tracing::error!(%error, "{kind} task panicked");
        }
        _ => {}
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
