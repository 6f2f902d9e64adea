// `#[cfg_attr]` cannot add `#[on]`, and a handler under `#[cfg]` next to one without is a duplicate.
use webhook_core::events::StatusUpdate;
use webhook_core::webhook_hooks;

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[cfg_attr(all(), on(server.statusUpdate))]
    fn status(&self, _update: StatusUpdate) {}

    #[on(server.endOfCallReport)]
    fn report(&self) {}

    #[cfg(all())]
    #[on(server.endOfCallReport)]
    fn report_again(&self) {}
}

fn main() {}
