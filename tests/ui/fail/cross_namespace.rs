// A server event written under `client` says which namespace it belongs to.
use webhook_core::webhook_hooks;

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[on(client.endOfCallReport)]
    async fn report(&self) {}
}

fn main() {}
