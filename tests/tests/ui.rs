//! Compile-error tests of `#[webhook_hooks]`: each `ui/fail` fixture must
//! fail with the reviewed `.stderr`, and each `ui/pass` fixture must build.
//!
//! The `.stderr` files are rustc's text as of Rust 1.95, so on any other
//! toolchain the test is reported as ignored instead of failing on wording
//! that only the compiler changed. `tests/ui/README.md` describes how to refresh
//! them.

#[rustversion::attr(
    not(stable(1.95)),
    ignore = "the .stderr files are reviewed for Rust 1.95; see tests/ui/README.md"
)]
#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/fail/*.rs");
}
