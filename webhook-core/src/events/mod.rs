//! Typed payloads: the `message` object of each event in the catalogue.
//!
//! Only `type` routes a message, so every other field is an `Option` that
//! accepts both `null` and absence. Fields this crate does not model are kept
//! in each payload's `extra` map and serialised back where they stood, so a
//! new field from Vapi is never lost and never rejected.

mod common;
mod payloads;
mod tool_calls;

pub use common::*;
pub use payloads::*;
pub use tool_calls::*;
