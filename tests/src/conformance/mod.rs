//! The conformance runner: reads case files, builds the receiver each one
//! describes, sends its requests through the real axum router, and checks
//! every expectation. Every response is also checked for what the README
//! promises of all of them, whether or not its case expects a body. A body
//! is JSON sent as `application/json`. A `401` has the documented shape:
//! `"error": "unauthorized"`, the headers looked at, and never the secret.
//!
//! Requests run concurrently, each against a router and handlers of its
//! own, so a slow case (an assistant-request deadline) does not delay the
//! others and no case observes another's handler calls.

pub mod case;
pub mod check;
pub mod hooks;
pub mod json;
pub mod receiver;

use std::path::{Path, PathBuf};
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use http::header::{CONTENT_LENGTH, HeaderName, HeaderValue};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use self::case::{BodyRepeat, Case, Request};
use self::check::{Received, check_handlers, check_invariants, check_response};
use self::hooks::CaseHooks;
use self::receiver::{BuildError, DEFAULT_SECRET, WEBHOOK_PATH, assistant_delay, build_router};

/// The result of one request: a case's main request or one variant.
#[derive(Debug)]
pub struct Outcome {
    /// `C01`, or `C08 [wrong secret]` for a variant, or a file path when
    /// the file could not be read.
    pub label: String,
    /// The case id, when the file was read.
    pub case_id: Option<String>,
    /// What differed from the expectations; empty when it passed.
    pub failures: Vec<String>,
}

impl Outcome {
    /// Returns whether every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// Formats the result line: `pass C01`, or `FAIL C01: ...` with each
    /// difference.
    pub fn line(&self) -> String {
        if self.passed() {
            format!("pass {}", self.label)
        } else {
            format!("FAIL {}: {}", self.label, self.failures.join("; "))
        }
    }
}

/// The outcomes of a run, in file and variant order.
#[derive(Debug, Default)]
pub struct Report {
    /// One outcome per request (and per unreadable file).
    pub outcomes: Vec<Outcome>,
}

impl Report {
    /// Counts the outcomes that passed.
    pub fn passed(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|outcome| outcome.passed())
            .count()
    }

    /// Counts the outcomes that failed.
    pub fn failed(&self) -> usize {
        self.outcomes.len() - self.passed()
    }

    /// Lists the distinct case ids that ran, sorted.
    pub fn case_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .outcomes
            .iter()
            .filter_map(|outcome| outcome.case_id.clone())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// Formats the closing line: `N passed, M failed`.
    pub fn summary(&self) -> String {
        format!("{} passed, {} failed", self.passed(), self.failed())
    }
}

/// Runs every case found under `paths`: case files, or folders whose
/// `.json` files are cases. A path or file that cannot be read is a failed
/// outcome, so a typo never turns into a silent pass.
pub async fn run_paths(paths: &[PathBuf]) -> Report {
    let mut outcomes = Vec::new();
    let mut running = Vec::new();

    for file in case_files(paths, &mut outcomes) {
        let case = match read_case(&file) {
            Ok(case) => case,
            Err(error) => {
                outcomes.push(Outcome {
                    label: file.display().to_string(),
                    case_id: None,
                    failures: vec![error],
                });
                continue;
            }
        };
        for request in case.requests() {
            running.push(tokio::spawn(run_request(request)));
        }
    }

    for task in running {
        outcomes.push(task.await.unwrap_or_else(|error| Outcome {
            label: "runner task".to_owned(),
            case_id: None,
            failures: vec![format!("runner task failed: {error}")],
        }));
    }
    Report { outcomes }
}

fn case_files(paths: &[PathBuf], outcomes: &mut Vec<Outcome>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_file() {
            files.push(path.clone());
            continue;
        }
        match json_files_in(path) {
            Ok(found) if found.is_empty() => {
                outcomes.push(unreadable(path, "no `.json` case files"))
            }
            Ok(found) => files.extend(found),
            Err(error) => outcomes.push(unreadable(path, &error.to_string())),
        }
    }
    files
}

fn json_files_in(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|ext| ext == "json") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn unreadable(path: &Path, reason: &str) -> Outcome {
    Outcome {
        label: path.display().to_string(),
        case_id: None,
        failures: vec![format!("cannot read cases: {reason}")],
    }
}

/// Reads one case file.
pub fn read_case(path: &Path) -> Result<Case, String> {
    let text = std::fs::read_to_string(path).map_err(|error| format!("cannot read: {error}"))?;
    serde_json::from_str(&text).map_err(|error| format!("invalid case file: {error}"))
}

/// Sends one request (`repeat` times) to a fresh receiver built from its
/// config, and checks the responses and the handlers.
pub async fn run_request(request: Request) -> Outcome {
    let mut failures = Vec::new();
    check_request(&request, &mut failures).await;
    Outcome {
        label: request.label,
        case_id: Some(request.case_id),
        failures,
    }
}

async fn check_request(request: &Request, failures: &mut Vec<String>) {
    let expect = &request.expect;
    if expect.checks_nothing() {
        failures
            .push("expect: no expectation is set, so the request would check nothing".to_owned());
        return;
    }
    let hooks = CaseHooks::new(assistant_delay(&request.config));
    let observed = hooks.observations();
    let expects_startup_error = expect.startup_error.unwrap_or(false);

    let router = match (build_router(&request.config, hooks), expects_startup_error) {
        (Ok(_), true) => {
            failures.push(
                "startup_error: the receiver was built, expected a configuration error".to_owned(),
            );
            return;
        }
        (Ok(router), false) => router,
        (Err(BuildError::Startup(_)), true) => return,
        (Err(BuildError::Startup(error)), false) => {
            failures.push(format!("receiver failed to build: {error}"));
            return;
        }
        (Err(BuildError::Case(error)), _) => {
            failures.push(error);
            return;
        }
    };

    let body = match build_body(request).await {
        Ok(body) => body,
        Err(error) => {
            failures.push(error);
            return;
        }
    };

    for delivery in 1..=request.repeat {
        let received = match send(&router, request, body.clone()).await {
            Ok(received) => received,
            Err(error) => {
                failures.push(error);
                return;
            }
        };
        let mut these = Vec::new();
        check_response(expect, &received, &mut these);
        check_invariants(&received, configured_secret(&request.config), &mut these);
        if request.repeat > 1 {
            for failure in &mut these {
                *failure = format!("delivery {delivery}/{}: {failure}", request.repeat);
            }
        }
        failures.extend(these);
    }
    check_handlers(expect, &observed, failures);
}

/// Returns the secret or key a case's receiver is configured with.
fn configured_secret(config: &case::Config) -> &str {
    config
        .auth
        .as_ref()
        .map_or(DEFAULT_SECRET, |auth| auth.secret.as_str())
}

/// Builds the request bytes on the blocking pool, because a repeated body
/// can be tens of megabytes and serialising it would stall other cases.
async fn build_body(request: &Request) -> Result<bytes::Bytes, String> {
    let body = request.body.clone();
    let repeat = request.body_repeat.clone();
    tokio::task::spawn_blocking(move || body_bytes(body, repeat))
        .await
        .map_err(|error| format!("building the body failed: {error}"))?
}

/// Returns the bytes a case's `body` and `body_repeat` describe: a string
/// body is sent as is, an object is serialised.
pub fn body_bytes(body: Option<Value>, repeat: Option<BodyRepeat>) -> Result<bytes::Bytes, String> {
    match (body, repeat) {
        (None, None) => Ok(bytes::Bytes::new()),
        (None, Some(_)) => Err("`body_repeat` needs a `body` object".to_owned()),
        (Some(Value::String(text)), None) => Ok(text.into()),
        (Some(Value::String(_)), Some(_)) => {
            Err("`body_repeat` needs a `body` object, not a string of bytes".to_owned())
        }
        (Some(mut value), repeat) => {
            if let Some(repeat) = repeat {
                json::set_string(&mut value, &repeat.path, repeat.unit.repeat(repeat.times))?;
            }
            serde_json::to_vec(&value)
                .map(Into::into)
                .map_err(|error| format!("cannot serialise `body`: {error}"))
        }
    }
}

async fn send(router: &Router, request: &Request, body: bytes::Bytes) -> Result<Received, String> {
    let mut builder = http::Request::post(WEBHOOK_PATH);
    for (name, value) in &request.headers {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|error| format!("invalid header name `{name}`: {error}"))?;
        let value = HeaderValue::from_str(value)
            .map_err(|error| format!("invalid value of header `{name}`: {error}"))?;
        builder = builder.header(name, value);
    }
    // An HTTP client declares the length of a body it has in full.
    if !request
        .headers
        .keys()
        .any(|name| name.eq_ignore_ascii_case("content-length"))
    {
        builder = builder.header(CONTENT_LENGTH, body.len());
    }
    let http_request = builder
        .body(Body::from(body))
        .map_err(|error| format!("invalid request: {error}"))?;

    let started = Instant::now();
    let response = router
        .clone()
        .oneshot(http_request)
        .await
        .map_err(|error| format!("router failed: {error}"))?;
    let (parts, body) = response.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|error| format!("reading the response failed: {error}"))?
        .to_bytes();

    Ok(Received {
        status: parts.status,
        headers: parts.headers,
        body: body.to_vec(),
        latency: started.elapsed(),
    })
}
