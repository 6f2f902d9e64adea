//! Runs conformance cases through the real axum router:
//! `cargo run --release --bin conformance -- PATH...`, where each PATH is a
//! case file or a folder whose `.json` files are cases.
//!
//! Prints one line per case and variant, then `N passed, M failed`, and
//! exits with status 1 when anything failed (2 on a usage error).

use std::path::PathBuf;
use std::process::ExitCode;

use webhook_tests::conformance::run_paths;

const USAGE: &str = "usage: conformance PATH...\n\
    Runs each case file, or each `.json` case file in a folder, through the real router.";

#[tokio::main]
async fn main() -> ExitCode {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() || paths.iter().any(|path| path == "-h" || path == "--help") {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }

    let report = run_paths(&paths).await;
    for outcome in &report.outcomes {
        println!("{}", outcome.line());
    }
    println!("{}", report.summary());

    if report.failed() == 0 && report.passed() > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
