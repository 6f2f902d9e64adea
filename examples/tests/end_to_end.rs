//! The example server over real HTTP on a loopback port: every sample
//! payload in `samples/` is posted, each reply is checked, and the
//! end-of-call report is read back from the SQLite file.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use webhook_examples::agent::{STORAGE_FAILED, SUPPORT_DESK_NUMBER};
use webhook_examples::settings::Settings;
use webhook_examples::store::Store;
use webhook_examples::{
    DEFAULT_HEADER_READ_TIMEOUT, ServeOptions, WEBHOOK_PATH, app, serve, serve_with,
};

const SECRET: &str = "e2e-secret-not-real";

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../samples")
}

fn sample(name: &str) -> Vec<u8> {
    let path = samples_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Maps each sample file to the route it is posted to.
fn sample_routes() -> BTreeMap<&'static str, &'static str> {
    BTreeMap::from([
        ("assistant-request.json", ""),
        ("tool-calls.json", ""),
        ("book-appointment.json", ""),
        ("transfer-destination-request.json", ""),
        ("status-update.json", ""),
        ("end-of-call-report.json", ""),
        ("workflow-node-started.json", "/client"),
    ])
}

struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), webhook_examples::StartError>>,
}

impl Server {
    async fn start(db_path: PathBuf) -> Server {
        Server::start_with(Settings {
            addr: "127.0.0.1:0".parse().unwrap(),
            secret: Some(SECRET.to_owned()),
            previous_secret: None,
            db_path,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
        })
        .await
    }

    async fn start_with(settings: Settings) -> Server {
        let app = app(&settings).expect("app builds");
        let listener = TcpListener::bind(settings.addr)
            .await
            .expect("loopback bind");
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, app, async {
            let _ = stopped.await;
        }));
        Server {
            addr,
            stop: Some(stop),
            task,
        }
    }

    fn url(&self, route: &str) -> String {
        format!("http://{}{WEBHOOK_PATH}{route}", self.addr)
    }

    async fn post(&self, route: &str, body: Vec<u8>) -> (u16, Value) {
        let response = reqwest::Client::new()
            .post(self.url(route))
            .header("content-type", "application/json")
            .header("x-vapi-secret", SECRET)
            .body(body)
            .send()
            .await
            .expect("server reachable");
        let status = response.status().as_u16();
        let body = response.json::<Value>().await.expect("JSON reply");
        (status, body)
    }

    async fn stop(mut self) {
        self.stop.take().unwrap().send(()).unwrap();
        let result = tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("server stops within 10 s")
            .expect("server task did not panic");
        result.expect("server stopped without error");
    }
}

#[test]
fn every_sample_has_a_route() {
    let mut found: Vec<String> = std::fs::read_dir(samples_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".json"))
        .collect();
    found.sort();

    let expected: Vec<String> = sample_routes()
        .keys()
        .map(|name| name.to_string())
        .collect();
    assert_eq!(found, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn samples_over_http_store_report() {
    let folder = tempfile::tempdir().unwrap();
    let db_path = folder.path().join("calls.db");
    let server = Server::start(db_path.clone()).await;

    let (status, body) = server.post("", sample("assistant-request.json")).await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({"assistantId": "asst-support-0001"}));

    let (status, body) = server.post("", sample("tool-calls.json")).await;
    assert_eq!(status, 200);
    let results = body["results"].as_array().expect("results array");
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["toolCallId"], "call_Sample0001OrderAAAAAAAA");
    let order: Value = serde_json::from_str(results[0]["result"].as_str().unwrap()).unwrap();
    assert_eq!(order["status"], "shipped");
    assert_eq!(order["estimatedDelivery"], "2030-01-12");
    assert_eq!(results[1]["toolCallId"], "call_Sample0001SlotsAAAAAAAA");
    let slots: Value = serde_json::from_str(results[1]["result"].as_str().unwrap()).unwrap();
    assert_eq!(slots["openSlots"], json!(["09:00", "14:00", "16:00"]));
    assert_eq!(slots["fullyBooked"], false);

    // Booking 14:00, twice as a retried delivery would: the same tool call
    // keeps its booking, and the slot is no longer open.
    for _ in 0..2 {
        let (status, body) = server.post("", sample("book-appointment.json")).await;
        assert_eq!(status, 200);
        let booking: Value =
            serde_json::from_str(body["results"][0]["result"].as_str().expect("a result")).unwrap();
        assert_eq!(
            booking,
            json!({"booked": true, "date": "2030-01-10", "time": "14:00"})
        );
    }
    let (_, body) = server.post("", sample("tool-calls.json")).await;
    let slots: Value =
        serde_json::from_str(body["results"][1]["result"].as_str().unwrap()).unwrap();
    assert_eq!(slots["openSlots"], json!(["09:00", "16:00"]));

    let (status, body) = server
        .post("", sample("transfer-destination-request.json"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["destination"]["number"], SUPPORT_DESK_NUMBER);
    assert_eq!(
        body["destination"]["transferPlan"]["mode"],
        "warm-transfer-say-summary"
    );
    assert_eq!(
        body["destination"]["transferPlan"]["summaryPlan"]["enabled"],
        true
    );

    let (status, body) = server.post("", sample("status-update.json")).await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({}));

    let (status, body) = server.post("", sample("end-of-call-report.json")).await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({}));

    let (status, body) = server
        .post("/client", sample("workflow-node-started.json"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["type"], "add-message");
    assert_eq!(body["message"]["role"], "system");

    server.stop().await;

    let store = Store::open(&db_path).unwrap();
    let record = store
        .report("call-sample-0001".into())
        .await
        .unwrap()
        .expect("report stored");
    assert_eq!(record.ended_reason.as_deref(), Some("customer-ended-call"));
    assert_eq!(record.duration_seconds, Some(175.2));
    assert_eq!(record.cost_usd, Some(0.21));
    assert!(record.summary.unwrap().contains("ORD-1001"));
    assert!(
        record
            .transcript
            .unwrap()
            .starts_with("AI: Thanks for calling.")
    );
    assert_eq!(record.customer_number.as_deref(), Some("+15555550106"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_secret_is_401_over_http() {
    let folder = tempfile::tempdir().unwrap();
    let server = Server::start(folder.path().join("calls.db")).await;

    let response = reqwest::Client::new()
        .post(server.url(""))
        .body(sample("status-update.json"))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 401);
    server.stop().await;
}

/// A hand-built `Settings` with only a previous secret still requires it:
/// the server never runs open while a secret is set.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn previous_secret_alone_still_required() {
    let folder = tempfile::tempdir().unwrap();
    let server = Server::start_with(Settings {
        addr: "127.0.0.1:0".parse().unwrap(),
        secret: None,
        previous_secret: Some(SECRET.to_owned()),
        db_path: folder.path().join("calls.db"),
        header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
    })
    .await;

    let anonymous = reqwest::Client::new()
        .post(server.url(""))
        .body(sample("status-update.json"))
        .send()
        .await
        .expect("server reachable");
    assert_eq!(anonymous.status().as_u16(), 401);
    let (status, _) = server.post("", sample("status-update.json")).await;
    assert_eq!(status, 200);
    server.stop().await;
}

/// While the secret is being changed in Vapi, both the new and the previous
/// secret pass, and no other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn previous_secret_accepted_during_rotation() {
    let folder = tempfile::tempdir().unwrap();
    let server = Server::start_with(Settings {
        addr: "127.0.0.1:0".parse().unwrap(),
        secret: Some(SECRET.to_owned()),
        previous_secret: Some("e2e-previous-secret-not-real".to_owned()),
        db_path: folder.path().join("calls.db"),
        header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
    })
    .await;
    let client = reqwest::Client::new();

    for (secret, expected) in [
        (SECRET, 200),
        ("e2e-previous-secret-not-real", 200),
        ("e2e-other-secret-not-real", 401),
    ] {
        let response = client
            .post(server.url(""))
            .header("x-vapi-secret", secret)
            .body(sample("status-update.json"))
            .send()
            .await
            .expect("server reachable");
        assert_eq!(response.status().as_u16(), expected, "{secret}");
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tool_errors_reach_the_model() {
    let folder = tempfile::tempdir().unwrap();
    let server = Server::start(folder.path().join("calls.db")).await;
    let body = json!({"message": {
        "type": "tool-calls",
        "call": {"id": "call-test-0002"},
        "toolCallList": [
            {"id": "call_Tst0002A", "type": "function",
             "function": {"name": "lookupOrder", "arguments": {"orderId": "ORD-9999"}}},
            {"id": "call_Tst0002B", "type": "function",
             "function": {"name": "checkAvailability", "arguments": {"date": "tomorrow"}}},
            {"id": "call_Tst0002C", "type": "function",
             "function": {"name": "bookAppointment",
                          "arguments": {"date": "2030-01-11", "time": "09:00", "name": "Ada"}}},
            {"id": "call_Tst0002D", "type": "function",
             "function": {"name": "bookAppointment",
                          "arguments": {"date": "2030-01-10", "time": "14:00", "name": "Ada"}}}
        ]
    }});

    let (status, body) = server.post("", serde_json::to_vec(&body).unwrap()).await;

    assert_eq!(status, 200);
    let results = body["results"].as_array().unwrap();
    assert!(results[0]["error"].as_str().unwrap().contains("ORD-9999"));
    assert!(results[1]["error"].as_str().unwrap().contains("`tomorrow`"));
    assert!(results[2]["error"].as_str().unwrap().contains("not free"));
    assert!(results[3]["error"].is_null(), "{}", results[3]);
    let booking: Value = serde_json::from_str(results[3]["result"].as_str().unwrap()).unwrap();
    assert_eq!(booking["booked"], true);
    server.stop().await;
}

/// A database failure reaches the model as a plain instruction, never as
/// SQLite's own message, which the model might read out to the caller.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storage_errors_stay_out_of_replies() {
    let folder = tempfile::tempdir().unwrap();
    let db_path = folder.path().join("calls.db");
    let server = Server::start(db_path.clone()).await;
    let outside = rusqlite::Connection::open(&db_path).unwrap();
    outside
        .execute_batch("DROP TABLE orders; DROP TABLE appointment_slots;")
        .unwrap();
    let body = json!({"message": {
        "type": "tool-calls",
        "call": {"id": "call-test-0005"},
        "toolCallList": [
            {"id": "call_Tst0005A", "type": "function",
             "function": {"name": "lookupOrder", "arguments": {"orderId": "ORD-1001"}}},
            {"id": "call_Tst0005B", "type": "function",
             "function": {"name": "checkAvailability", "arguments": {"date": "2030-01-10"}}},
            {"id": "call_Tst0005C", "type": "function",
             "function": {"name": "bookAppointment",
                          "arguments": {"date": "2030-01-10", "time": "14:00", "name": "Ada"}}}
        ]
    }});

    let (status, body) = server.post("", serde_json::to_vec(&body).unwrap()).await;

    assert_eq!(status, 200);
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 3, "{body}");
    for result in results {
        assert_eq!(result["error"], STORAGE_FAILED, "{result}");
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_booking_call_keeps_its_slot() {
    let folder = tempfile::tempdir().unwrap();
    let server = Server::start(folder.path().join("calls.db")).await;
    let booking = |call_id: &str, time: &str| {
        let body = json!({"message": {
            "type": "tool-calls",
            "call": {"id": "call-test-0005"},
            "toolCallList": [{"id": call_id, "type": "function",
                "function": {"name": "bookAppointment",
                             "arguments": {"date": "2030-01-12", "time": time, "name": "Ada"}}}]
        }});
        serde_json::to_vec(&body).unwrap()
    };

    // The same delivery twice, as a retry would send it, then another call
    // for the same slot.
    for _ in 0..2 {
        let (status, body) = server.post("", booking("call_Tst0005A", "10:00")).await;
        assert_eq!(status, 200);
        let result = body["results"][0]["result"].as_str().expect("a result");
        let booked: Value = serde_json::from_str(result).unwrap();
        assert_eq!(booked["booked"], true);
    }
    let (_, body) = server.post("", booking("call_Tst0005B", "10:00")).await;
    let error = body["results"][0]["error"].as_str().expect("an error");
    assert!(error.contains("not free"), "{error}");

    // The first tool call id sent again for another slot books nothing.
    let (_, body) = server.post("", booking("call_Tst0005A", "15:00")).await;
    let error = body["results"][0]["error"].as_str().expect("an error");
    assert!(
        error.contains("already booked 2030-01-12 at 10:00"),
        "{error}"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_number_gets_inline_assistant() {
    let folder = tempfile::tempdir().unwrap();
    let server = Server::start(folder.path().join("calls.db")).await;
    let body = json!({"message": {
        "type": "assistant-request",
        "customer": {"number": "+15555550107"},
        "phoneNumber": {"number": "+15555550177"}
    }});

    let (status, body) = server.post("", serde_json::to_vec(&body).unwrap()).await;

    assert_eq!(status, 200);
    assert!(body.get("assistantId").is_none());
    assert_eq!(body["assistant"]["name"], "Front desk");
    assert!(body["assistant"]["firstMessage"].is_string());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_in_flight_requests_finish() {
    // The handler signals that it has started, so the stop comes while the
    // request is in flight however slowly the machine runs.
    let started = Arc::new(tokio::sync::Notify::new());
    let handler_started = Arc::clone(&started);
    let slow = axum::Router::new().route(
        "/slow",
        axum::routing::post(move || async move {
            handler_started.notify_one();
            tokio::time::sleep(Duration::from_millis(500)).await;
            "finished"
        }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, slow, async {
        let _ = stopped.await;
    }));

    let request = tokio::spawn(
        reqwest::Client::new()
            .post(format!("http://{addr}/slow"))
            .send(),
    );
    started.notified().await;
    stop.send(()).unwrap();

    let response = request.await.unwrap().expect("in-flight request completes");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.text().await.unwrap(), "finished");
    let result = tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("server stops after the request")
        .unwrap();
    assert!(result.is_ok());
    let refused = reqwest::Client::new()
        .post(format!("http://{addr}/slow"))
        .send()
        .await;
    assert!(refused.is_err(), "server still accepts connections");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_request_cannot_block_shutdown() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let options = ServeOptions {
        shutdown_grace: Duration::from_millis(200),
        ..ServeOptions::default()
    };
    let server = tokio::spawn(serve_with(
        listener,
        axum::Router::new(),
        async {
            let _ = stopped.await;
        },
        options,
    ));

    // Half a request line, then silence: graceful shutdown alone would
    // wait for this connection until the header read timeout (10 s by
    // default) closes it, longer than this test waits.
    let mut stalled = tokio::net::TcpStream::connect(addr).await.unwrap();
    tokio::io::AsyncWriteExt::write_all(&mut stalled, b"POST /api/webhook HTTP/1.1\r\nHost: lo")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.send(()).unwrap();

    let result = tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("server stops after the grace period")
        .unwrap();
    assert!(result.is_ok());
    drop(stalled);
}

/// Kills the child on drop, so a failed assertion leaves no server running.
struct ChildGuard(Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `command`, which runs one of the server binaries, with the test
/// secret, the database at `db_path` and a free port on loopback, and
/// waits for its `listening` line.
async fn start_binary(
    mut command: Command,
    db_path: &Path,
) -> (ChildGuard, SocketAddr, Receiver<String>) {
    let child = command
        .env("WEBHOOK_ADDR", "127.0.0.1:0")
        .env("WEBHOOK_SECRET", SECRET)
        .env("WEBHOOK_DB", db_path)
        .env("RUST_LOG", "info")
        .env_remove("NO_COLOR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("server binary starts");
    let mut child = ChildGuard(child);
    let stdout = child.0.stdout.take().unwrap();
    let stderr = child.0.stderr.take().unwrap();
    let (addr, log) = tokio::task::spawn_blocking(move || follow_log(stdout, stderr))
        .await
        .unwrap();
    (child, addr, log)
}

/// Reads the server's log on threads of their own and returns the address
/// of its `listening` line, and a channel of the lines after it. Info lines
/// come from `stdout` and warnings and errors from `stderr`, so the channel
/// carries both. The threads keep draining the log while the server runs,
/// so the server never writes into a closed pipe.
fn follow_log(
    stdout: impl std::io::Read + Send + 'static,
    stderr: impl std::io::Read + Send + 'static,
) -> (SocketAddr, Receiver<String>) {
    let (found, receiver) = std::sync::mpsc::channel();
    let (line_sender, lines) = std::sync::mpsc::channel();
    let error_sender = line_sender.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            let _ = error_sender.send(line);
        }
    });
    std::thread::spawn(move || {
        let mut listening = false;
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if listening {
                let _ = line_sender.send(line);
            } else if line.contains("listening") {
                let _ = found.send(line);
                listening = true;
            }
        }
    });
    let line = receiver
        .recv_timeout(Duration::from_secs(30))
        .expect("no `listening` line within 30 s");
    // The output is piped, not a terminal, so it carries no colour codes.
    assert!(!line.contains('\x1b'), "colour codes in {line:?}");
    let addr = line
        .split(" addr=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|addr| addr.parse::<SocketAddr>().ok())
        .unwrap_or_else(|| panic!("no address in the `listening` line {line:?}"));
    (addr, lines)
}

/// Returns the first line of `lines` that contains `text`, failing the
/// test if none arrives within 10 s.
fn wait_for_line(lines: &Receiver<String>, text: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no log line containing `{text}` within 10 s"));
        if line.contains(text) {
            return line;
        }
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_serves_and_stops_on_sigterm() {
    let folder = tempfile::tempdir().unwrap();
    let db_path = folder.path().join("calls.db");
    let (mut child, addr, log) =
        start_binary(Command::new(env!("CARGO_BIN_EXE_vapi-server")), &db_path).await;

    let response = reqwest::Client::new()
        .post(format!("http://{addr}{WEBHOOK_PATH}"))
        .header("x-vapi-secret", SECRET)
        .body(sample("end-of-call-report.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);

    let killed = Command::new("kill")
        .args(["-TERM", &child.0.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = tokio::task::spawn_blocking(move || child.0.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "exit status {status}");

    // Every line is plain, not only the `listening` line checked at start.
    let mut lines = Vec::new();
    while !lines
        .iter()
        .any(|line: &String| line.contains("server stopped"))
    {
        let line = log
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("no `server stopped` line in {lines:?}"));
        lines.push(line);
    }
    assert!(!lines.iter().any(|line| line.contains('\x1b')), "{lines:?}");

    let store = Store::open(&db_path).unwrap();
    let record = store.report("call-sample-0001".into()).await.unwrap();
    assert!(record.is_some());
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accept_errors_do_not_stop_server() {
    let folder = tempfile::tempdir().unwrap();
    // The shell lowers the open file limit, then becomes the server, so the
    // server's accept calls fail with `EMFILE` once about 50 connections
    // are open (an idle server has about 15 descriptors open).
    let mut command = Command::new("sh");
    command
        .args(["-c", "ulimit -n 64 && exec \"$0\""])
        .arg(env!("CARGO_BIN_EXE_vapi-server"));
    let (mut child, addr, log) = start_binary(command, &folder.path().join("calls.db")).await;

    let mut connections = Vec::new();
    for _ in 0..80 {
        connections.push(tokio::net::TcpStream::connect(addr).await.unwrap());
    }
    let line = tokio::task::spawn_blocking(move || wait_for_line(&log, "failed to accept"))
        .await
        .unwrap();
    assert!(line.contains("os error 24"), "{line}");
    drop(connections);

    // Once the connections close, the server accepts again.
    let request = reqwest::Client::new()
        .post(format!("http://{addr}{WEBHOOK_PATH}"))
        .header("x-vapi-secret", SECRET)
        .body(sample("status-update.json"))
        .send();
    let response = tokio::time::timeout(Duration::from_secs(10), request)
        .await
        .expect(
            "no response within 10 s after the connections closed, so the server stopped accepting",
        )
        .expect("server still accepts connections");
    assert_eq!(response.status().as_u16(), 200);
    assert!(child.0.try_wait().unwrap().is_none(), "server exited");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn booking_time_is_checked_and_normalised() {
    let body = json!({"message": {
        "type": "tool-calls",
        "call": {"id": "call-test-0006"},
        "toolCallList": [
            {"id": "call_Tst0006A", "type": "function",
             "function": {"name": "bookAppointment",
                          "arguments": {"date": "2030-01-10", "time": "9:00", "name": "Ada"}}},
            {"id": "call_Tst0006B", "type": "function",
             "function": {"name": "bookAppointment",
                          "arguments": {"date": "2030-01-10", "time": "25:00", "name": "Bob"}}}
        ]
    }});

    for binary in [
        env!("CARGO_BIN_EXE_vapi-server"),
        env!("CARGO_BIN_EXE_baseline-server"),
    ] {
        let folder = tempfile::tempdir().unwrap();
        let (_child, addr, _log) =
            start_binary(Command::new(binary), &folder.path().join("calls.db")).await;

        let response = reqwest::Client::new()
            .post(format!("http://{addr}{WEBHOOK_PATH}"))
            .header("x-vapi-secret", SECRET)
            .json(&body)
            .send()
            .await
            .unwrap();

        assert_eq!(response.status().as_u16(), 200, "{binary}");
        let reply: Value = response.json().await.unwrap();
        let results = reply["results"].as_array().unwrap();
        let result = results[0]["result"]
            .as_str()
            .unwrap_or_else(|| panic!("{binary}: {}", results[0]));
        let booking: Value = serde_json::from_str(result).unwrap();
        assert_eq!(booking["booked"], true, "{binary}");
        assert_eq!(booking["time"], "09:00", "{binary}");
        let error = results[1]["error"].as_str().expect("an error");
        assert!(error.contains("invalid time `25:00`"), "{binary}: {error}");
        assert!(error.contains("HH:MM"), "{binary}: {error}");
    }
}
