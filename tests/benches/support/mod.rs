//! Code shared by the benchmark targets: the generated request bodies and
//! the contenders that handle them.

pub mod contenders;
pub mod payloads;
