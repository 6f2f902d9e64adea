//! A voice-agent backend for Vapi, written as an application would be: the
//! `vapi-server` binary runs it, and the end-to-end test drives the same
//! functions on a loopback port.
//!
//! It picks an assistant per called number, answers order and appointment
//! tools from SQLite, warm-transfers to a support desk, and stores every
//! end-of-call report in the same SQLite file.

pub mod agent;
pub mod mask;
pub mod server;
pub mod settings;
pub mod store;

pub use server::{
    DEFAULT_HEADER_READ_TIMEOUT, MAX_HEADER_READ_TIMEOUT, MIN_HEADER_READ_TIMEOUT, SHUTDOWN_GRACE,
    ServeOptions, serve, serve_with,
};

use std::io::IsTerminal;
use std::process::ExitCode;

use axum::Router;
use tracing::Level;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::writer::MakeWriterExt;
use webhook_axum::{Auth, ConfigError, WebhookRouter};

use crate::agent::VoiceAgent;
use crate::settings::Settings;
use crate::store::{Store, StoreError};

/// Where the webhook routes are mounted: server messages on this path,
/// client messages on `{WEBHOOK_PATH}/client`.
pub const WEBHOOK_PATH: &str = "/api/webhook";

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// An environment variable holds an unusable value.
    #[error(transparent)]
    Settings(#[from] settings::SettingsError),
    /// The database file could not be opened or prepared.
    #[error("failed to open the database: {0}")]
    Store(#[from] StoreError),
    /// The webhook settings are invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The listen address could not be bound.
    #[error("failed to listen on {addr}: {source}")]
    Bind {
        /// The address from `WEBHOOK_ADDR`.
        addr: std::net::SocketAddr,
        /// What the operating system reported.
        source: std::io::Error,
    },
    /// A [`ServeOptions`] field is out of its allowed range.
    #[error("invalid `ServeOptions::{field}` value {value:?}: expected {min:?} to {max:?}")]
    InvalidServeOptions {
        /// The field's name.
        field: &'static str,
        /// The value given.
        value: std::time::Duration,
        /// The smallest allowed value.
        min: std::time::Duration,
        /// The largest allowed value.
        max: std::time::Duration,
    },
}

/// Sends log lines to standard output and warnings and errors to standard
/// error, filtered by `RUST_LOG` (default `info`). Both server binaries
/// call it first. Lines are coloured only when both streams are terminals
/// and `NO_COLOR` is unset or empty, so a log file or a log collector gets
/// plain text.
pub fn init_logging() {
    let writer = std::io::stderr
        .with_max_level(Level::WARN)
        .or_else(std::io::stdout);
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
    let terminal = std::io::stdout().is_terminal() && std::io::stderr().is_terminal();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(writer)
        .with_ansi(terminal && !no_color)
        .init();
}

/// Turns a server's outcome into the process exit code. An error is
/// written to standard error once: as a log line when `RUST_LOG` lets it
/// through, as a plain line otherwise, so no filter can hide why the
/// server stopped.
pub fn exit_code(outcome: Result<(), StartError>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if tracing::enabled!(Level::ERROR) {
                tracing::error!(%error, "server exited with an error");
            } else {
                eprintln!("error: server exited with an error: {error}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Warns that `WEBHOOK_SECRET` is unset, on standard error whatever
/// `RUST_LOG` filters, like [`exit_code`] does for errors.
pub fn warn_unauthenticated() {
    const WARNING: &str = "`WEBHOOK_SECRET` is not set: authentication is off, so any program on this machine can post events to this port";
    if tracing::enabled!(Level::WARN) {
        tracing::warn!("{WARNING}");
    } else {
        eprintln!("warning: {WARNING}");
    }
}

/// Opens the store and builds the application router.
pub fn app(settings: &Settings) -> Result<Router, StartError> {
    let store = Store::open(&settings.db_path)?;
    let auth = match (&settings.secret, &settings.previous_secret) {
        (Some(secret), None) => Auth::shared_secret(secret.as_str())?,
        // Both secrets pass while the secret is being changed in Vapi.
        (Some(secret), Some(previous)) => Auth::any_of([
            Auth::shared_secret(secret.as_str())?,
            Auth::shared_secret(previous.as_str())?,
        ])?,
        // `from_env` allows a previous secret only next to a secret, and a
        // hand-built `Settings` with only one still never runs open.
        (None, Some(previous)) => Auth::shared_secret(previous.as_str())?,
        (None, None) => {
            warn_unauthenticated();
            Auth::none()
        }
    };

    let webhooks = WebhookRouter::builder(VoiceAgent::new(store))
        .auth(auth)
        .build()?;
    Ok(Router::new().nest(WEBHOOK_PATH, webhooks))
}

/// Completes on Ctrl-C, or on SIGTERM on Unix.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "failed to listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };

    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "failed to listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutdown requested: finishing in-flight deliveries");
}
