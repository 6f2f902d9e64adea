//! Builds the router a case describes: its `config` mapped onto the real
//! `webhook-axum` builder, with the test handlers.

use std::time::{Duration, UNIX_EPOCH};

use axum::Router;
use webhook_axum::{Auth, WebhookRouter};
use webhook_core::auth::{HmacAlgorithm, SignatureEncoding};
use webhook_core::reply::AssistantRequestReply;

use super::case::{AuthConfig, Config};
use super::hooks::CaseHooks;

/// The shared secret of a case whose `config` sets no `auth`.
pub const DEFAULT_SECRET: &str = "test-secret-not-real";

/// The path the webhook router is nested at, as in an application.
pub const WEBHOOK_PATH: &str = "/api/webhook";

/// Why no router was built.
#[derive(Debug)]
pub enum BuildError {
    /// The receiver rejected its configuration: what `startup_error` expects.
    Startup(String),
    /// The case file requests something this runner cannot express.
    Case(String),
}

/// Builds the application router for `config` around `hooks`.
pub fn build_router(config: &Config, hooks: CaseHooks) -> Result<Router, BuildError> {
    let mut auth = match &config.auth {
        None => Auth::shared_secret(DEFAULT_SECRET).map_err(startup)?,
        Some(auth) => build_auth(auth)?,
    };
    if let Some(seconds) = config.clock_unix_s {
        let now = UNIX_EPOCH + Duration::from_secs(seconds);
        auth = auth.with_clock(move || now);
    }

    let mut builder = WebhookRouter::builder(hooks).auth(auth);
    if let Some(assistant) = &config.assistant_request {
        if let Some(deadline) = assistant.deadline_ms {
            builder = builder.assistant_request_deadline(Duration::from_millis(deadline));
        }
        if let Some(fallback) = &assistant.fallback {
            let fallback: AssistantRequestReply = serde_json::from_value(fallback.clone())
                .map_err(|error| {
                    BuildError::Case(format!(
                        "invalid `config.assistant_request.fallback`: {error}"
                    ))
                })?;
            builder = builder.assistant_request_fallback(fallback);
        }
    }

    let webhooks = builder.build().map_err(startup)?;
    Ok(Router::new().nest(WEBHOOK_PATH, webhooks))
}

/// Returns the assistant-request handler delay of a config.
pub fn assistant_delay(config: &Config) -> Duration {
    let millis = config
        .assistant_request
        .as_ref()
        .and_then(|assistant| assistant.handler_delay_ms)
        .unwrap_or(0);
    Duration::from_millis(millis)
}

fn build_auth(config: &AuthConfig) -> Result<Auth, BuildError> {
    match config.mode.as_str() {
        "shared_secret" => Auth::shared_secret(&config.secret).map_err(startup),
        "hmac" => build_hmac(config),
        other => Err(BuildError::Case(format!(
            "unknown `config.auth.mode` `{other}`, expected `shared_secret` or `hmac`"
        ))),
    }
}

fn build_hmac(config: &AuthConfig) -> Result<Auth, BuildError> {
    let mut builder = Auth::hmac(config.secret.as_bytes().to_vec());
    if let Some(name) = &config.algorithm {
        builder = builder.algorithm(name.parse::<HmacAlgorithm>().map_err(startup)?);
    }
    if let Some(header) = &config.signature_header {
        builder = builder.signature_header(header.clone());
    }
    if let Some(header) = &config.timestamp_header {
        builder = builder.timestamp_header(header.clone());
    }
    if let Some(include) = config.include_timestamp {
        builder = builder.include_timestamp(include);
    }
    if let Some(format) = &config.payload_format {
        builder = builder.payload_format(format.clone());
    }
    if let Some(name) = &config.encoding {
        builder = builder.encoding(name.parse::<SignatureEncoding>().map_err(startup)?);
    }
    if let Some(seconds) = config.tolerance_seconds {
        builder = builder.tolerance(Duration::from_secs(seconds));
    }
    builder.build().map_err(startup)
}

fn startup(error: impl std::fmt::Display) -> BuildError {
    BuildError::Startup(error.to_string())
}
