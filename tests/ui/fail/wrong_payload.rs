// A payload parameter of the wrong type is reported on that parameter, naming the expected type.
use webhook_core::events::StatusUpdate;
use webhook_core::reply::ToolCallsReply;
use webhook_core::webhook_hooks;

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[on(server.toolCalls)]
    async fn tools(&self, update: StatusUpdate) -> ToolCallsReply {
        let _ = update;
        ToolCallsReply::default()
    }
}

fn main() {}
