//! How `serve_with` treats connections, over raw TCP on a loopback port:
//! a client that does not send a complete request head within the header
//! read timeout loses its connection, and a client that does is served,
//! over HTTP/1 and HTTP/2.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::http::{Request, Version};
use axum::routing::get;
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use webhook_examples::{ServeOptions, StartError, serve_with};

/// Short enough to keep the tests fast, long enough that a head sent in
/// two writes 100 ms apart arrives in time on a loaded machine.
const HEADER_TIMEOUT: Duration = Duration::from_millis(500);

/// How long a test waits for the server to close a connection before it
/// fails.
const CLOSE_LIMIT: Duration = Duration::from_secs(5);

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
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let options = ServeOptions {
            header_read_timeout: HEADER_TIMEOUT,
            ..ServeOptions::default()
        };
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
    tokio::time::timeout(CLOSE_LIMIT, reading)
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
