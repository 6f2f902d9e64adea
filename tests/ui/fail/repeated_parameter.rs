// A parameter type given twice is rejected at the second one.
use http::HeaderMap;
use webhook_core::events::StatusUpdate;
use webhook_core::webhook_hooks;

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[on(server.statusUpdate)]
    fn status(&self, _first: StatusUpdate, _second: StatusUpdate) {}

    #[on(server.endOfCallReport)]
    fn report(&self, _headers: &HeaderMap, _again: &HeaderMap) {}
}

fn main() {}
