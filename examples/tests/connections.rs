//! How `serve_with` treats connections, over raw TCP on a loopback port.
//! A client that does not send a complete request head within the header
//! read timeout loses its connection, and a client that does is served,
//! over HTTP/1 and HTTP/2. A request still running when the shutdown grace
//! period ends is cancelled before `serve_with` returns.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::http::{Request, Version};
use axum::routing::get;
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, oneshot};
use webhook_examples::{ServeOptions, StartError, serve_with};

/// Short enough to keep the tests fast, long enough that a head sent in
/// two writes 100 ms apart arrives in time on a loaded machine.
const HEADER_TIMEOUT: Duration = Duration::from_millis(500);

/// How long a test waits for the server to close a connection before it
/// fails.
const CLOSE_LIMIT: Duration = Duration::from_secs(5);

/// Shutdown grace period of the servers in the cancellation tests.
const SHORT_GRACE: Duration = Duration::from_millis(200);

/// How long `GET /sleep` sleeps in the cancellation tests: well past
/// [`SHORT_GRACE`], so shutdown has to cancel it.
const HANDLER_SLEEP: Duration = Duration::from_secs(1);

/// How long a client may take to see a connection closed that
/// `serve_with` closed before it returned.
const CLOSED_AFTER_STOP_LIMIT: Duration = Duration::from_secs(1);

/// What a client sends first on an HTTP/2 connection with prior knowledge.
const HTTP2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

const PING_REQUEST: &[u8] = b"GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n";

struct Server {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<(), StartError>>,
}

impl Server {
    /// Serves `GET /ping` and a `GET /slow` that responds after 1 s, with
    /// [`HEADER_TIMEOUT`].
    async fn start() -> Server {
        let app = Router::new()
            .route("/ping", get(|| async { "pong" }))
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    "finished"
                }),
            );
        let options = ServeOptions {
            header_read_timeout: HEADER_TIMEOUT,
            ..ServeOptions::default()
        };
        Server::start_with(app, options).await
    }

    async fn start_with(app: Router, options: ServeOptions) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve_with(
            listener,
            app,
            async {
                let _ = stopped.await;
            },
            options,
        ));
        Server { addr, stop, task }
    }

    async fn stop(self) {
        self.stop.send(()).unwrap();
        let result = tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("server stops within 10 s")
            .expect("server task did not panic");
        result.expect("server stopped without error");
    }
}

/// Reads until the server closes the connection and returns what it sent,
/// failing the test if that takes longer than [`CLOSE_LIMIT`].
async fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    read_until_closed_within(stream, CLOSE_LIMIT).await
}

/// Reads until the server closes the connection and returns what it sent,
/// failing the test if that takes longer than `limit`.
async fn read_until_closed_within(stream: &mut TcpStream, limit: Duration) -> Vec<u8> {
    let reading = async {
        let mut received = Vec::new();
        let mut buffer = [0; 1024];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) => return received,
                Ok(count) => received.extend_from_slice(&buffer[..count]),
                Err(error) if error.kind() == std::io::ErrorKind::ConnectionReset => {
                    return received;
                }
                Err(error) => panic!("read failed: {error}"),
            }
        }
    };
    tokio::time::timeout(limit, reading)
        .await
        .expect("server closes the connection")
}

/// Reads one response to [`PING_REQUEST`] and returns its text, leaving
/// the connection open.
async fn read_ping_response(stream: &mut TcpStream) -> String {
    let reading = async {
        let mut received = Vec::new();
        let mut buffer = [0; 1024];
        while !received.ends_with(b"\r\n\r\npong") {
            let count = stream.read(&mut buffer).await.unwrap();
            assert!(count > 0, "connection closed before the response ended");
            received.extend_from_slice(&buffer[..count]);
        }
        String::from_utf8(received).unwrap()
    };
    tokio::time::timeout(CLOSE_LIMIT, reading)
        .await
        .expect("response arrives")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partial_head_closed_after_timeout() {
    let server = Server::start().await;
    let started = Instant::now();

    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(b"POST /ping HTTP/1.1\r\nHost: loc")
        .await
        .unwrap();
    let received = read_until_closed(&mut stream).await;

    assert!(
        started.elapsed() >= HEADER_TIMEOUT,
        "{:?}",
        started.elapsed()
    );
    assert_eq!(String::from_utf8_lossy(&received), "");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_connection_closed_after_timeout() {
    let server = Server::start().await;
    let started = Instant::now();

    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let received = read_until_closed(&mut stream).await;

    assert!(
        started.elapsed() >= HEADER_TIMEOUT,
        "{:?}",
        started.elapsed()
    );
    assert_eq!(String::from_utf8_lossy(&received), "");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn second_head_timed_on_keep_alive() {
    let server = Server::start().await;
    let cases: [(&str, &[u8]); 2] = [
        ("nothing", b""),
        ("half a head", b"GET /ping HTTP/1.1\r\nHo"),
    ];

    for (case, second_head) in cases {
        let mut stream = TcpStream::connect(server.addr).await.unwrap();
        stream.write_all(PING_REQUEST).await.unwrap();
        let response = read_ping_response(&mut stream).await;
        assert!(
            response.starts_with("HTTP/1.1 200 OK\r\n"),
            "{case}: {response}"
        );
        let answered = Instant::now();

        stream.write_all(second_head).await.unwrap();
        let received = read_until_closed(&mut stream).await;

        // The server starts its timer when it sends the response, a moment
        // before the client has read it, so allow half the timeout less.
        assert!(
            answered.elapsed() >= HEADER_TIMEOUT / 2,
            "{case}: closed after {:?}",
            answered.elapsed()
        );
        assert_eq!(String::from_utf8_lossy(&received), "", "{case}");
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_preface_alone_closed_after_timeout() {
    let server = Server::start().await;
    let started = Instant::now();

    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(HTTP2_PREFACE).await.unwrap();
    // The server replies to the preface with its SETTINGS frame, so only
    // the close itself is checked.
    read_until_closed(&mut stream).await;

    assert!(
        started.elapsed() >= HEADER_TIMEOUT,
        "{:?}",
        started.elapsed()
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn normal_request_is_answered() {
    let server = Server::start().await;

    let response = reqwest::get(format!("http://{}/ping", server.addr))
        .await
        .expect("server reachable");

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.text().await.unwrap(), "pong");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn head_in_two_writes_is_answered() {
    let server = Server::start().await;
    let (first, second) = PING_REQUEST.split_at(20);

    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(first).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    stream.write_all(second).await.unwrap();
    let response = read_ping_response(&mut stream).await;

    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_handler_outlives_header_timeout() {
    let server = Server::start().await;

    // The handler takes twice the header read timeout.
    let response = reqwest::get(format!("http://{}/slow", server.addr))
        .await
        .expect("server reachable");

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.text().await.unwrap(), "finished");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_request_is_answered() {
    let server = Server::start().await;
    let stream = TcpStream::connect(server.addr).await.unwrap();
    let (mut sender, connection) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
            .await
            .expect("HTTP/2 handshake");
    tokio::spawn(connection);
    let request = Request::get(format!("http://{}/ping", server.addr))
        .body(Empty::<Bytes>::new())
        .unwrap();

    let response = sender.send_request(request).await.expect("response");

    assert_eq!(response.version(), Version::HTTP_2);
    assert_eq!(response.status().as_u16(), 200);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(body, "pong");
    drop(sender);
    server.stop().await;
}

/// Progress of the `GET /sleep` handler that [`start_sleeping_server`]
/// serves.
#[derive(Default)]
struct HandlerTrace {
    /// Notified when the handler starts.
    started: Notify,
    /// Set after the handler's sleep, the side effect a cancelled request
    /// must not have.
    finished: AtomicBool,
    /// Set when the handler's future is dropped, whether it finished or
    /// was cancelled.
    ended: AtomicBool,
}

impl HandlerTrace {
    async fn wait_until_started(&self) {
        tokio::time::timeout(CLOSE_LIMIT, self.started.notified())
            .await
            .expect("handler starts");
    }
}

/// Sets [`HandlerTrace::ended`] when the handler future that owns it is
/// dropped.
struct EndGuard(Arc<HandlerTrace>);

impl Drop for EndGuard {
    fn drop(&mut self) {
        self.0.ended.store(true, Ordering::SeqCst);
    }
}

/// Starts a server with [`SHORT_GRACE`] whose `GET /sleep` sleeps for
/// [`HANDLER_SLEEP`] and records its progress in the returned trace.
async fn start_sleeping_server() -> (Server, Arc<HandlerTrace>) {
    let trace = Arc::new(HandlerTrace::default());
    let handler_trace = Arc::clone(&trace);
    let app = Router::new().route(
        "/sleep",
        get(move || {
            let trace = Arc::clone(&handler_trace);
            async move {
                let _guard = EndGuard(Arc::clone(&trace));
                trace.started.notify_one();
                tokio::time::sleep(HANDLER_SLEEP).await;
                trace.finished.store(true, Ordering::SeqCst);
                "finished"
            }
        }),
    );
    let options = ServeOptions {
        shutdown_grace: SHORT_GRACE,
        ..ServeOptions::default()
    };
    (Server::start_with(app, options).await, trace)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_past_grace_cancelled_on_http1() {
    let (server, trace) = start_sleeping_server().await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(b"GET /sleep HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    trace.wait_until_started().await;

    server.stop().await;

    assert!(
        trace.ended.load(Ordering::SeqCst),
        "handler still running after `serve_with` returned"
    );
    let received = read_until_closed_within(&mut stream, CLOSED_AFTER_STOP_LIMIT).await;
    assert_eq!(String::from_utf8_lossy(&received), "");
    tokio::time::sleep(HANDLER_SLEEP).await;
    assert!(
        !trace.finished.load(Ordering::SeqCst),
        "handler finished after `serve_with` returned"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_past_grace_cancelled_on_http2() {
    let (server, trace) = start_sleeping_server().await;
    let stream = TcpStream::connect(server.addr).await.unwrap();
    let (mut sender, connection) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
            .await
            .expect("HTTP/2 handshake");
    let connection = tokio::spawn(connection);
    let request = Request::get(format!("http://{}/sleep", server.addr))
        .body(Empty::<Bytes>::new())
        .unwrap();
    let response = tokio::spawn(sender.send_request(request));
    trace.wait_until_started().await;

    server.stop().await;

    assert!(
        trace.ended.load(Ordering::SeqCst),
        "handler still running after `serve_with` returned"
    );
    let response = tokio::time::timeout(CLOSED_AFTER_STOP_LIMIT, response)
        .await
        .expect("request fails once the connection is closed")
        .unwrap();
    assert!(response.is_err(), "{response:?}");
    let closed = tokio::time::timeout(CLOSED_AFTER_STOP_LIMIT, connection).await;
    assert!(closed.is_ok(), "client connection still open");
    tokio::time::sleep(HANDLER_SLEEP).await;
    assert!(
        !trace.finished.load(Ordering::SeqCst),
        "handler finished after `serve_with` returned"
    );
}
