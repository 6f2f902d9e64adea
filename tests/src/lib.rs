//! Workspace-level test support: the conformance runner behind the
//! `conformance` binary and the `conformance` test.
//!
//! The runner lives in the library so the test suite calls the same code
//! that `cargo run --release --bin conformance -- PATH...` runs.

pub mod conformance;

/// The README's Rust examples, compiled and run as doc tests so they keep
/// matching the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;
