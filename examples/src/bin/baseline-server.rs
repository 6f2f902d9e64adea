//! The example voice agent written by hand, without this framework: the
//! baseline of the HTTP benchmark (`tests/bench/run.sh`).
//!
//! It is a benchmark baseline and not a server to deploy. It compares the
//! shared secret with `==`, which is not constant time, and sets no body
//! timeout, so a client that sends its body slowly keeps its connection
//! open.
//!
//! It serves the same routes as `vapi-server` and does the same work with
//! the same store. It is written the way a user writes it without a
//! framework: read the body as bytes, compare the shared secret, parse the
//! body into a `serde_json::Value`, and match on `message.type`. Fields are
//! read by index, replies are built with `json!`, and tool calls run one
//! after the other.
//!
//! `cargo run --release -p webhook-examples --bin baseline-server`, with
//! the same `WEBHOOK_ADDR`, `WEBHOOK_SECRET`, `WEBHOOK_PREVIOUS_SECRET`,
//! `WEBHOOK_DB` and `WEBHOOK_HEADER_READ_TIMEOUT_SECS` variables as
//! `vapi-server`.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use webhook_examples::agent::{ASSISTANTS_BY_NUMBER, SUPPORT_DESK_NUMBER, walk_in_assistant};
use webhook_examples::mask::{mask_number, mask_optional};
use webhook_examples::settings::Settings;
use webhook_examples::store::{BookingOutcome, CallRecord, Store, StoreError};
use webhook_examples::{ServeOptions, StartError, WEBHOOK_PATH, serve_with, shutdown_signal};

/// The same body limit as the framework's router: 16 MiB.
const BODY_LIMIT: usize = 16 * 1024 * 1024;

struct App {
    store: Store,
    /// The accepted secrets: `WEBHOOK_SECRET`, then
    /// `WEBHOOK_PREVIOUS_SECRET` when set. Empty accepts every delivery.
    secrets: Vec<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    webhook_examples::init_logging();
    webhook_examples::exit_code(run().await)
}

async fn run() -> Result<(), StartError> {
    let settings = Settings::from_env()?;
    if settings.secret.is_none() {
        webhook_examples::warn_unauthenticated();
    }
    let app = Arc::new(App {
        store: Store::open(&settings.db_path)?,
        secrets: settings
            .secret
            .iter()
            .chain(&settings.previous_secret)
            .cloned()
            .collect(),
    });
    let router = Router::new()
        .route(WEBHOOK_PATH, post(server_message))
        .route(&format!("{WEBHOOK_PATH}/client"), post(client_message))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(app);

    let listener = TcpListener::bind(settings.addr)
        .await
        .map_err(|source| StartError::Bind {
            addr: settings.addr,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind {
        addr: settings.addr,
        source,
    })?;
    tracing::info!(
        %addr,
        header_read_timeout_s = settings.header_read_timeout.as_secs(),
        "listening"
    );
    let options = ServeOptions {
        header_read_timeout: settings.header_read_timeout,
        ..ServeOptions::default()
    };
    serve_with(listener, router, shutdown_signal(), options).await
}

async fn server_message(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    deliver(&app, &headers, &body, false).await
}

async fn client_message(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    deliver(&app, &headers, &body, true).await
}

async fn deliver(app: &App, headers: &HeaderMap, body: &[u8], client: bool) -> Response {
    let started = Instant::now();
    if !authorized(app, headers) {
        return reply(StatusCode::UNAUTHORIZED, json!({"error": "unauthorized"}));
    }
    let request: Value = match serde_json::from_slice(body) {
        Ok(request) => request,
        Err(error) => {
            return reply(
                StatusCode::BAD_REQUEST,
                json!({"error": format!("body is not valid JSON: {error}")}),
            );
        }
    };
    let message = match request.get("message") {
        Some(message) => message,
        None if client => &request,
        None => {
            return reply(
                StatusCode::BAD_REQUEST,
                json!({"error": "body has no `message` object"}),
            );
        }
    };

    let wire_type = message["type"].as_str().unwrap_or("");
    let (status, body) = handle(app, message, wire_type, client).await;
    tracing::info!(
        event = wire_type,
        call_id = message["call"]["id"].as_str().unwrap_or("-"),
        status = status.as_u16(),
        latency_ms = started.elapsed().as_secs_f64() * 1000.0,
        "delivery"
    );
    reply(status, body)
}

fn authorized(app: &App, headers: &HeaderMap) -> bool {
    if app.secrets.is_empty() {
        return true;
    }
    app.secrets.iter().any(|secret| {
        let bearer = format!("Bearer {secret}");
        headers
            .get("x-vapi-secret")
            .or_else(|| headers.get("x-vapi-signature"))
            .is_some_and(|value| value.as_bytes() == secret.as_bytes())
            || headers
                .get("authorization")
                .is_some_and(|value| value.as_bytes() == bearer.as_bytes())
    })
}

async fn handle(app: &App, message: &Value, wire_type: &str, client: bool) -> (StatusCode, Value) {
    match (client, wire_type) {
        (false, "assistant-request") => (StatusCode::OK, choose_assistant(message)),
        (false, "status-update") => {
            log_status(message);
            (StatusCode::OK, json!({}))
        }
        (false, "transfer-destination-request") => (StatusCode::OK, route_transfer(message)),
        (false, "end-of-call-report") => match app.store.save_report(call_record(message)).await {
            Ok(()) => (StatusCode::OK, json!({})),
            Err(error) => {
                tracing::error!(%error, "failed to store the report");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({"error": "internal error"}),
                )
            }
        },
        (false, "tool-calls") => (StatusCode::OK, answer_tool_calls(app, message).await),
        (true, "workflow.node.started") => (StatusCode::OK, guide_node(message)),
        _ => (StatusCode::OK, json!({})),
    }
}

fn choose_assistant(message: &Value) -> Value {
    let called = message["phoneNumber"]["number"].as_str();
    let caller = message["customer"]["number"].as_str();
    let saved = ASSISTANTS_BY_NUMBER
        .iter()
        .find(|(number, _)| Some(*number) == called);
    tracing::info!(
        called = %mask_optional(called),
        caller = %mask_optional(caller),
        assistant = saved.map_or("inline", |(_, id)| id),
        "assistant chosen"
    );
    match saved {
        Some((_, assistant_id)) => json!({"assistantId": assistant_id}),
        None => json!({"assistant": walk_in_assistant()}),
    }
}

fn log_status(message: &Value) {
    tracing::info!(
        call_id = message["call"]["id"].as_str().unwrap_or("-"),
        status = message["status"].as_str().unwrap_or("-"),
        ended_reason = message["endedReason"].as_str().unwrap_or("-"),
        caller = %mask_optional(message["customer"]["number"].as_str()),
        "call status changed"
    );
}

fn route_transfer(message: &Value) -> Value {
    tracing::info!(
        call_id = message["call"]["id"].as_str().unwrap_or("-"),
        destination = %mask_number(SUPPORT_DESK_NUMBER),
        "transferring call"
    );
    json!({"destination": {
        "type": "number",
        "number": SUPPORT_DESK_NUMBER,
        "numberE164CheckEnabled": true,
        "message": "Let me connect you with our support desk.",
        "transferPlan": {"mode": "warm-transfer-say-summary", "summaryPlan": {"enabled": true}},
    }})
}

fn call_record(message: &Value) -> CallRecord {
    let text = |value: &Value| value.as_str().map(str::to_owned);
    let duration_seconds = message["durationSeconds"]
        .as_f64()
        .or(message["durationMs"].as_f64().map(|millis| millis / 1000.0));
    let summary = message["analysis"]["summary"]
        .as_str()
        .or(message["summary"].as_str());
    let transcript = message["artifact"]["transcript"]
        .as_str()
        .or(message["transcript"].as_str());
    let record = CallRecord {
        call_id: text(&message["call"]["id"]).or(text(&message["chat"]["id"])),
        ended_reason: text(&message["endedReason"]),
        duration_seconds,
        cost_usd: message["cost"].as_f64(),
        summary: summary.map(str::to_owned),
        transcript: transcript.map(str::to_owned),
        customer_number: text(&message["customer"]["number"]),
    };
    tracing::info!(
        call_id = record.call_id.as_deref().unwrap_or("-"),
        ended_reason = record.ended_reason.as_deref().unwrap_or("-"),
        duration_seconds = record.duration_seconds,
        cost_usd = record.cost_usd,
        caller = %mask_optional(record.customer_number.as_deref()),
        "storing end-of-call report"
    );
    record
}

fn guide_node(message: &Value) -> Value {
    let hint = match message["node"]["name"].as_str() {
        Some("collect-order-id") => {
            "Ask for the order id. It starts with ORD- followed by four digits."
        }
        Some("book-appointment") => {
            "Offer the open slots from checkAvailability before booking; never invent a time."
        }
        _ => return json!({}),
    };
    json!({"type": "add-message", "message": {"role": "system", "content": hint}})
}

async fn answer_tool_calls(app: &App, message: &Value) -> Value {
    let calls = message["toolCallList"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let mut results = Vec::with_capacity(calls.len());
    for call in calls {
        let id = call["id"].as_str().unwrap_or("");
        let name = call["function"]["name"].as_str().unwrap_or("");
        let arguments = match &call["function"]["arguments"] {
            Value::String(text) => serde_json::from_str(text).unwrap_or(Value::Null),
            other => other.clone(),
        };
        let result = match run_tool(app, id, name, &arguments).await {
            Ok(output) => json!({"toolCallId": id, "name": name, "result": output.to_string()}),
            Err(error) => json!({"toolCallId": id, "name": name, "error": error}),
        };
        results.push(result);
    }
    json!({ "results": results })
}

async fn run_tool(
    app: &App,
    call_id: &str,
    name: &str,
    arguments: &Value,
) -> Result<Value, String> {
    let text = |key: &str| {
        arguments[key]
            .as_str()
            .ok_or_else(|| format!("invalid arguments: missing `{key}`"))
    };
    match name {
        "lookupOrder" => {
            let order_id = text("orderId")?.trim().to_uppercase();
            match app.store.order(order_id.clone()).await.map_err(failed)? {
                Some(order) => serde_json::to_value(order).map_err(|error| error.to_string()),
                None => Err(format!(
                    "no order with id `{order_id}`: ask the caller to read it again"
                )),
            }
        }
        "checkAvailability" => {
            let date = parse_date(text("date")?)?;
            let open_slots = app.store.open_slots(date.clone()).await.map_err(failed)?;
            Ok(json!({
                "date": date,
                "openSlots": open_slots,
                "fullyBooked": open_slots.is_empty(),
            }))
        }
        "bookAppointment" => {
            let date = parse_date(text("date")?)?;
            let time = parse_time(text("time")?)?;
            let name = text("name")?.trim().to_owned();
            if name.is_empty() {
                return Err("missing `name`: ask the caller for their name".to_owned());
            }
            let outcome = app
                .store
                .book(date.clone(), time.clone(), name, call_id.to_owned())
                .await
                .map_err(failed)?;
            match outcome {
                BookingOutcome::Booked => Ok(json!({"booked": true, "date": date, "time": time})),
                BookingOutcome::NotFree => Err(format!(
                    "{date} at {time} is not free: call checkAvailability for open times"
                )),
                BookingOutcome::CallBookedOther {
                    date: booked_date,
                    time: booked_time,
                } => Err(format!(
                    "this tool call already booked {booked_date} at {booked_time}: make a new bookAppointment call for another slot"
                )),
            }
        }
        _ => Err(format!(
            "no tool named `{name}` is registered on this server"
        )),
    }
}

fn failed(error: StoreError) -> String {
    tracing::warn!(%error, "tool call failed");
    error.to_string()
}

fn parse_date(text: &str) -> Result<String, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let invalid = || format!("invalid date `{text}`: expected YYYY-MM-DD, e.g. 2030-01-10");
    let date = time::Date::parse(text.trim(), &format).map_err(|_| invalid())?;
    date.format(&format).map_err(|_| invalid())
}

fn parse_time(text: &str) -> Result<String, String> {
    let input = time::macros::format_description!("[hour padding:none]:[minute]");
    let output = time::macros::format_description!("[hour]:[minute]");
    let invalid = || format!("invalid time `{text}`: expected HH:MM in 24-hour time, e.g. 14:00");
    let time = time::Time::parse(text.trim(), &input).map_err(|_| invalid())?;
    time.format(&output).map_err(|_| invalid())
}

fn reply(status: StatusCode, body: Value) -> Response {
    let bytes = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        bytes,
    )
        .into_response()
}
