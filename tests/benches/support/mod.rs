//! Code shared by the benchmark targets: the generated request bodies and
//! the contenders that handle them.

pub mod contenders;
pub mod payloads;

use std::path::PathBuf;

/// Returns the profile folder this benchmark was built into, such as
/// `<target>/release` for `<target>/release/deps/<bench>-<hash>`, so
/// `CARGO_TARGET_DIR` and `--target-dir` apply to what the benchmarks read
/// and write.
pub fn profile_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.to_path_buf()))
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/release"))
}

/// Returns the folder the benchmarks write their JSON results to, which
/// `bench_report` reads: `BENCH_RESULTS_DIR` when set, else `bench-results`
/// in the target folder, next to the profile folder.
pub fn results_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("BENCH_RESULTS_DIR") {
        return dir.into();
    }
    let profile = profile_dir();
    let target = profile.parent().unwrap_or(&profile);
    target.join("bench-results")
}
