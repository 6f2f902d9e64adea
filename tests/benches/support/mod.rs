//! Code shared by the benchmark targets: the generated request bodies and
//! the contenders that handle them.

pub mod contenders;
pub mod payloads;

/// Returns the folder the benchmarks write their JSON results to, which
/// `bench_report` reads: `BENCH_RESULTS_DIR` when set, else `bench-results`
/// in the target folder this benchmark was built into
/// (`<target>/release/deps/<bench>-<hash>`), so `CARGO_TARGET_DIR` and
/// `--target-dir` apply.
pub fn results_dir() -> std::path::PathBuf {
    if let Some(dir) = std::env::var_os("BENCH_RESULTS_DIR") {
        return dir.into();
    }
    let target = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.to_path_buf()))
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("bench-results")
}
