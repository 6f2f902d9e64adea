//! Compile-error tests of `#[webhook_hooks]`: each `ui/fail` fixture must
//! fail with the reviewed `.stderr`, and each `ui/pass` fixture must build.

/// The toolchain the `.stderr` files were reviewed with.
const PINNED_RUSTC: &str = "rustc 1.95.0";

#[test]
fn ui() {
    let version =
        std::process::Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
            .arg("--version")
            .output()
            .expect("rustc runs");
    let version = String::from_utf8_lossy(&version.stdout);
    assert!(
        version.starts_with(PINNED_RUSTC),
        "the UI tests' .stderr files are reviewed for {PINNED_RUSTC}, but this is {version}; \
         see tests/ui/README.md to refresh them"
    );

    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/fail/*.rs");
}
