//! The example voice-agent backend: `cargo run --release -p webhook-examples
//! --bin vapi-server`, configured by `WEBHOOK_ADDR`, `WEBHOOK_SECRET`,
//! `WEBHOOK_DB` and `WEBHOOK_HEADER_READ_TIMEOUT_SECS`.

use std::process::ExitCode;

use tokio::net::TcpListener;
use webhook_examples::settings::Settings;
use webhook_examples::{ServeOptions, StartError, WEBHOOK_PATH, app, serve_with, shutdown_signal};

#[tokio::main]
async fn main() -> ExitCode {
    webhook_examples::init_logging();
    webhook_examples::exit_code(run().await)
}

async fn run() -> Result<(), StartError> {
    let settings = Settings::from_env()?;
    let app = app(&settings)?;
    let listener = TcpListener::bind(settings.addr)
        .await
        .map_err(|source| StartError::Bind {
            addr: settings.addr,
            source,
        })?;

    // Log the bound address, not the setting, so port 0 shows the real port.
    let addr = listener.local_addr().map_err(|source| StartError::Bind {
        addr: settings.addr,
        source,
    })?;
    tracing::info!(
        %addr,
        db = %settings.db_path.display(),
        server_route = %WEBHOOK_PATH,
        client_route = %format!("{WEBHOOK_PATH}/client"),
        header_read_timeout_s = settings.header_read_timeout.as_secs(),
        "listening"
    );
    let options = ServeOptions {
        header_read_timeout: settings.header_read_timeout,
        ..ServeOptions::default()
    };
    serve_with(listener, app, shutdown_signal(), options).await?;
    // When the grace period ran out, `serve_with` has already warned about
    // the connections it closed, so this line does not call the stop clean.
    tracing::info!("server stopped");
    Ok(())
}
