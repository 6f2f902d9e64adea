// An unknown namespace is an error on the namespace, suggesting `server`.
use webhook_core::webhook_hooks;

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[on(sever.toolCalls)]
    async fn tools(&self) {}
}

fn main() {}
