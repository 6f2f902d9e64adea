// The same event, or unhandled deliveries, handled twice is an error on the second handler, naming the first.
use webhook_core::webhook_hooks;

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[on(server.statusUpdate)]
    async fn first(&self) {}

    #[on(server.statusUpdate)]
    async fn second(&self) {}

    #[on(unhandled)]
    async fn anything(&self) {}

    #[cfg(all())]
    #[on(unhandled)]
    async fn anything_again(&self) {}
}

fn main() {}
