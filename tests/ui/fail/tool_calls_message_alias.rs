// An alias of `Message` on a tool-calls handler is rejected by the compiler, as the name itself is by the macro.
use serde::Deserialize;
use webhook_core::reply::ToolCallsReply;
use webhook_core::webhook_hooks;

type Decoded<T> = webhook_core::Message<T>;

#[derive(Deserialize)]
struct Calls {}

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[on(server.toolCalls)]
    fn calls(&self, _message: Decoded<Calls>) -> ToolCallsReply {
        ToolCallsReply::new(Vec::new())
    }
}

fn main() {}
