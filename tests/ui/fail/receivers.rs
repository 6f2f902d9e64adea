// `&mut self`, `self` by value, no receiver and generic handlers each get one clear error.
use webhook_core::webhook_hooks;

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[on(server.statusUpdate)]
    async fn status(&mut self) {}

    #[on(server.endOfCallReport)]
    async fn report(self) {}

    #[on(server.assistantRequest)]
    async fn choose() {}

    #[on(server.transferDestinationRequest)]
    async fn transfer<T: Default>(&self) {}
}

fn main() {}
