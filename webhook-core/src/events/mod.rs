//! Typed payloads: the `message` object of each event in the catalogue.
//!
//! Only `type` routes a message, so every other field is an `Option` that
//! accepts both `null` and absence. The exceptions are the few fields that
//! a reply cannot be routed without: a tool call's `id`, `function` and
//! `function.name`. Fields this crate does not model are kept in each payload's
//! `extra` map and serialised back where they stood, so a new field from
//! Vapi is never lost and never rejected.
//!
//! Every struct here is declared with `lenient_struct!`, whose generated
//! `Deserialize` reads the message once, straight from the bytes: known
//! fields decode into their own types and only unknown ones become
//! `serde_json::Value`.

mod lenient;

mod artifact;
mod common;
mod enums;
mod payloads;
mod server;
mod timestamp;
mod tool_calls;

pub mod client;

pub use artifact::*;
pub use common::*;
pub use enums::*;
pub use payloads::*;
pub use server::*;
pub use timestamp::*;
pub use tool_calls::*;
