// An event written under the other namespace says which namespace it belongs to.
use webhook_core::webhook_hooks;

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[on(client.endOfCallReport)]
    async fn report(&self) {}

    #[on(server.workflowNodeStarted)]
    async fn node(&self) {}

    #[on(client.toolCallsResults)]
    async fn result(&self) {}
}

fn main() {}
