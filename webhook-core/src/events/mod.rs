//! Typed payloads: the `message` object of each event in the catalogue.
//!
//! Only `type` routes a message, so every other field is an `Option` that
//! accepts both `null` and absence. The exceptions are the few fields that
//! a reply cannot be routed without: a tool call's `id`, `function` and
//! `function.name`, and the lists and arguments that are empty when absent
//! (`ToolCalls::tool_call_list`, `ToolCallFunction::arguments`). Fields this
//! crate does not model are kept in each payload's `extra` map and
//! serialised back after the typed fields, at the same level, so a new
//! field from Vapi is never lost and never rejected.
//!
//! Every struct here is declared with `lenient_struct!`, whose generated
//! `Deserialize` reads the message once, straight from the bytes: known
//! fields decode into their own types, while unknown fields and the large
//! free-form ones (the assistant configuration, OpenAI-format messages,
//! structured data) are kept as text in a [`RawJson`] and parsed on demand.

pub(crate) mod lenient;

mod artifact;
mod common;
mod enums;
mod payloads;
mod raw_json;
mod server;
mod timestamp;
mod tool_calls;

pub mod client;

pub use artifact::*;
pub use common::*;
pub use enums::*;
pub use payloads::*;
pub use raw_json::RawJson;
pub use server::*;
pub use timestamp::*;
pub use tool_calls::*;
