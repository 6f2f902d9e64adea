//! Code shared by the benchmark targets: the generated request bodies and
//! the contenders that handle them.

pub mod contenders;
pub mod payloads;

/// Returns the folder the benchmarks write their JSON results to, which
/// `bench_report` reads: `BENCH_RESULTS_DIR` when set, else `bench-results`
/// in `CARGO_TARGET_DIR` or in the workspace's `target`.
pub fn results_dir() -> std::path::PathBuf {
    if let Some(dir) = std::env::var_os("BENCH_RESULTS_DIR") {
        return dir.into();
    }
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => std::path::PathBuf::from(dir),
        None => std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"),
    };
    target.join("bench-results")
}
