//! HTTP benchmark: the example server (`vapi-server`, built on this
//! framework) against the hand-written `Value` server (`baseline-server`),
//! both release builds on 127.0.0.1, driven by `wrk` with the same bodies
//! and the same number of connections.
//!
//! For each body both servers start fresh, each on its own SQLite file, and
//! their replies to one request are compared. Then `wrk` runs against them
//! in turn (framework, baseline, framework, ...) for [`ROUNDS`] rounds of
//! [`RUN_SECONDS`] seconds. The medians of requests per second and of the
//! p50 and p99 latencies go to `http.json` in `$BENCH_RESULTS_DIR`
//! (default `target/bench-results`), with each server's peak resident
//! memory (`VmHWM`).
//!
//! `tests/bench/run.sh` builds the servers and installs `wrk` first. Run
//! alone: `cargo bench -p webhook-tests --bench http`. Without `--bench`,
//! as under `cargo test --benches`, it does nothing.

// Each benchmark target uses part of the shared code.
#[allow(dead_code)]
mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use support::payloads::Bodies;

/// Rounds per body; each round runs `wrk` once against each server.
const ROUNDS: usize = 5;
/// Length of one `wrk` run.
const RUN_SECONDS: u64 = 5;
/// Length of the untimed warm-up run against each server.
const WARM_UP_SECONDS: u64 = 2;
/// Open connections, on one `wrk` thread.
const CONNECTIONS: usize = 16;

const SECRET: &str = "bench-secret-not-real";
const ROUTE: &str = "/api/webhook";

/// Prints one JSON line when a `wrk` run ends; `{body}` is replaced with the
/// body file's path.
const WRK_SCRIPT: &str = r#"
local file = assert(io.open("{body}", "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-vapi-secret"] = "{secret}"

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"non_2xx":%d,"socket_errors":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"#;

/// One server under test.
#[derive(Clone, Copy, Debug)]
enum Server {
    Framework,
    Baseline,
}

impl Server {
    fn name(self) -> &'static str {
        match self {
            Server::Framework => "framework",
            Server::Baseline => "baseline",
        }
    }

    fn binary(self) -> &'static str {
        match self {
            Server::Framework => "vapi-server",
            Server::Baseline => "baseline-server",
        }
    }
}

/// What `wrk` reported for one run.
#[derive(Debug, Deserialize, Serialize)]
struct Run {
    requests: u64,
    duration_us: u64,
    non_2xx: u64,
    socket_errors: u64,
    p50_us: u64,
    p99_us: u64,
}

impl Run {
    fn requests_per_second(&self) -> f64 {
        self.requests as f64 / (self.duration_us as f64 / 1e6)
    }
}

/// The medians of one server on one body.
#[derive(Debug, Serialize)]
struct Outcome {
    body: &'static str,
    server: &'static str,
    requests_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    peak_rss_kib: u64,
    runs: Vec<Run>,
}

/// A server process, stopped when dropped.
struct Running {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn main() {
    if !std::env::args().any(|arg| arg == "--bench") {
        println!("http benchmark skipped: it runs only under `cargo bench`");
        return;
    }
    if let Err(error) = run() {
        eprintln!("http benchmark failed: {error}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let binaries = binaries_dir();
    for server in [Server::Framework, Server::Baseline] {
        let path = binaries.join(server.binary());
        if !path.is_file() {
            return Err(format!(
                "missing `{}`: build it with `cargo build --release -p webhook-examples --bins`",
                path.display()
            ));
        }
    }
    Command::new("wrk")
        .arg("--version")
        .output()
        .map_err(|error| {
            format!("failed to run `wrk` ({error}): install it with `apt-get install -y wrk`")
        })?;

    let work_dir = support::results_dir().join("http");
    std::fs::create_dir_all(&work_dir)
        .map_err(|error| format!("failed to create {}: {error}", work_dir.display()))?;

    let bodies = Bodies::generate();
    let cases: [(&'static str, &[u8]); 4] = [
        ("status-update", &bodies.status_update),
        ("tool-calls", &bodies.tool_calls),
        ("report-100k", &bodies.report_100k),
        ("report-2m", &bodies.report_2m),
    ];

    let mut outcomes = Vec::new();
    for (name, body) in cases {
        outcomes.extend(bench_body(&binaries, &work_dir, name, body)?);
    }

    let path = support::results_dir().join("http.json");
    let json = serde_json::to_vec_pretty(&outcomes).map_err(|error| error.to_string())?;
    std::fs::write(&path, json)
        .map_err(|error| format!("failed to write {}: {error}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

fn bench_body(
    binaries: &Path,
    work_dir: &Path,
    name: &'static str,
    body: &[u8],
) -> Result<Vec<Outcome>, String> {
    let body_path = work_dir.join(format!("{name}.json"));
    std::fs::write(&body_path, body)
        .map_err(|error| format!("failed to write {}: {error}", body_path.display()))?;
    let script_path = work_dir.join(format!("{name}.lua"));
    let script = WRK_SCRIPT
        .replace("{body}", &body_path.display().to_string())
        .replace("{secret}", SECRET);
    std::fs::write(&script_path, script)
        .map_err(|error| format!("failed to write {}: {error}", script_path.display()))?;

    let servers = [Server::Framework, Server::Baseline];
    let running: Vec<Running> = servers
        .iter()
        .map(|server| start(binaries, work_dir, *server, name))
        .collect::<Result<_, _>>()?;
    check_same_reply(name, &running, body)?;

    for process in &running {
        wrk(&script_path, process.addr, WARM_UP_SECONDS)?;
    }
    let mut runs: Vec<Vec<Run>> = vec![Vec::new(), Vec::new()];
    for _round in 0..ROUNDS {
        for (index, process) in running.iter().enumerate() {
            let run = wrk(&script_path, process.addr, RUN_SECONDS)?;
            if run.non_2xx > 0 || run.socket_errors > 0 {
                return Err(format!(
                    "{name}: `{}` answered {} non-2xx responses and had {} socket errors",
                    servers[index].binary(),
                    run.non_2xx,
                    run.socket_errors
                ));
            }
            println!(
                "{name:<14} {:<10} {:>9.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms",
                servers[index].name(),
                run.requests_per_second(),
                run.p50_us as f64 / 1000.0,
                run.p99_us as f64 / 1000.0
            );
            runs[index].push(run);
        }
    }

    let mut outcomes = Vec::new();
    for ((server, process), runs) in servers.iter().zip(&running).zip(runs) {
        outcomes.push(Outcome {
            body: name,
            server: server.name(),
            requests_per_second: median(runs.iter().map(Run::requests_per_second).collect()),
            p50_ms: median(runs.iter().map(|run| run.p50_us as f64 / 1000.0).collect()),
            p99_ms: median(runs.iter().map(|run| run.p99_us as f64 / 1000.0).collect()),
            peak_rss_kib: peak_rss_kib(process.child.id())?,
            runs,
        });
    }
    Ok(outcomes)
}

fn start(
    binaries: &Path,
    work_dir: &Path,
    server: Server,
    body_name: &str,
) -> Result<Running, String> {
    let addr = free_loopback_addr()?;
    let db = work_dir.join(format!("{}-{body_name}.db", server.name()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }

    // Both servers log at `warn`, so the measurement is of delivery rather
    // than of formatting log lines.
    let child = Command::new(binaries.join(server.binary()))
        .env("WEBHOOK_ADDR", addr.to_string())
        .env("WEBHOOK_SECRET", SECRET)
        .env("WEBHOOK_DB", &db)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| format!("failed to start `{}`: {error}", server.binary()))?;
    let running = Running { child, addr };

    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(addr).is_err() {
        if Instant::now() > deadline {
            return Err(format!(
                "`{}` did not listen on {addr} within 20 s",
                server.binary()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(running)
}

/// Finds a free port on 127.0.0.1 by binding port 0 and releasing it.
fn free_loopback_addr() -> Result<SocketAddr, String> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .map_err(|error| format!("failed to bind 127.0.0.1:0: {error}"))?;
    listener.local_addr().map_err(|error| error.to_string())
}

/// Posts `body` once to every server and checks that the replies are the
/// same JSON, with each tool result compared as the JSON it contains.
fn check_same_reply(name: &str, running: &[Running], body: &[u8]) -> Result<(), String> {
    let mut replies = Vec::new();
    for process in running {
        let (status, reply) = post(process.addr, body)?;
        if status != 200 {
            return Err(format!(
                "{name}: status {status} from {}: {}",
                process.addr,
                String::from_utf8_lossy(&reply)
            ));
        }
        let reply: Value = serde_json::from_slice(&reply)
            .map_err(|error| format!("{name}: reply is not JSON: {error}"))?;
        replies.push(normalise(reply));
    }
    if replies.windows(2).any(|pair| pair[0] != pair[1]) {
        return Err(format!("{name}: the servers' replies differ: {replies:?}"));
    }
    Ok(())
}

/// Parses each `results[].result` string, so that two tool results listing
/// the same fields in another order compare equal.
fn normalise(mut reply: Value) -> Value {
    if let Some(results) = reply.get_mut("results").and_then(Value::as_array_mut) {
        for result in results {
            if let Some(text) = result.get("result").and_then(Value::as_str) {
                if let Ok(parsed) = serde_json::from_str::<Value>(text) {
                    result["result"] = parsed;
                }
            }
        }
    }
    reply
}

/// Sends one HTTP/1.1 POST and returns the status and body of the reply.
fn post(addr: SocketAddr, body: &[u8]) -> Result<(u16, Vec<u8>), String> {
    let mut stream = TcpStream::connect(addr)
        .map_err(|error| format!("failed to connect to {addr}: {error}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|error| error.to_string())?;
    let head = format!(
        "POST {ROUTE} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nx-vapi-secret: {SECRET}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body))
        .map_err(|error| format!("failed to send to {addr}: {error}"))?;

    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|error| format!("failed to read from {addr}: {error}"))?;
    let split = response
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .ok_or_else(|| format!("incomplete response from {addr}"))?;
    let status = std::str::from_utf8(&response[..split])
        .ok()
        .and_then(|head| head.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("invalid status line from {addr}"))?;
    // The servers send a `Content-Length` body, never chunks, for these replies.
    Ok((status, response[split + 4..].to_vec()))
}

/// Runs `wrk` for `seconds` and parses the line the script prints.
fn wrk(script: &Path, addr: SocketAddr, seconds: u64) -> Result<Run, String> {
    let mut child = Command::new("wrk")
        .args([
            "-t1",
            &format!("-c{CONNECTIONS}"),
            &format!("-d{seconds}s"),
            "--timeout",
            "10s",
            "-s",
        ])
        .arg(script)
        .arg(format!("http://{addr}{ROUTE}"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("failed to start `wrk`: {error}"))?;

    // `wrk` stops by itself after `seconds`; this bounds a hung run.
    let deadline = Instant::now() + Duration::from_secs(seconds + 30);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "`wrk` against {addr} did not stop within {} s",
                    seconds + 30
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(error) => return Err(format!("failed to wait for `wrk`: {error}")),
        }
    }

    let output = child
        .wait_with_output()
        .map_err(|error| format!("failed to read `wrk` output: {error}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find(|line| line.starts_with("{\"requests\""))
        .ok_or_else(|| {
            format!(
                "`wrk` printed no result line: {stdout}{}",
                String::from_utf8_lossy(&output.stderr)
            )
        })?;
    serde_json::from_str(line)
        .map_err(|error| format!("invalid `wrk` result line `{line}`: {error}"))
}

/// Reads the peak resident set size (`VmHWM`) of a process, in KiB.
fn peak_rss_kib(pid: u32) -> Result<u64, String> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path)
        .map_err(|error| format!("failed to read {path}: {error}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("no `VmHWM` line in {path}"))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Returns the folder of the release builds of the servers: `BENCH_SERVER_DIR`
/// when set, else the profile folder this benchmark was built into.
fn binaries_dir() -> PathBuf {
    match std::env::var_os("BENCH_SERVER_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => support::profile_dir(),
    }
}
