// A misspelled event name is an error on that name, suggesting the nearest event.
use webhook_core::webhook_hooks;

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[on(server.toolCall)]
    async fn tools(&self) {}
}

fn main() {}
