// Tokens after the event name are an error on those tokens, and so are quotes around the name. A trailing comma is accepted.
use webhook_core::events::ToolCalls;
use webhook_core::reply::ToolCallsReply;
use webhook_core::webhook_hooks;

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[on(server.toolCalls, timeout_ms = 5)]
    fn calls(&self, _calls: ToolCalls) -> ToolCallsReply {
        ToolCallsReply::new(Vec::new())
    }

    #[on(server.hang, once)]
    fn hang(&self) {}

    #[on("server.endOfCallReport")]
    fn report(&self) {}

    #[on(server.statusUpdate,)]
    fn status(&self) {}
}

fn main() {}
