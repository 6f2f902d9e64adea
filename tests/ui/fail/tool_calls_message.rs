// A tool-calls handler cannot take `Message<T>`: it gets only the calls no tool claims.
use serde::Deserialize;
use webhook_core::reply::ToolCallsReply;
use webhook_core::{Message, webhook_hooks};

#[derive(Deserialize)]
struct Calls {}

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[on(server.toolCalls)]
    fn calls(&self, _message: Message<Calls>) -> ToolCallsReply {
        ToolCallsReply::new(Vec::new())
    }
}

fn main() {}
