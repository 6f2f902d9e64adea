// A parameter given twice is rejected, however its type, lifetimes and path are written.
use http::HeaderMap;
use webhook_core::events::{ConversationUpdate, StatusUpdate};
use webhook_core::{Delivery, webhook_hooks};

type Update = ConversationUpdate;

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[on(server.statusUpdate)]
    fn status(&self, _first: StatusUpdate, _second: StatusUpdate) {}

    #[on(server.conversationUpdate)]
    fn conversation(&self, _first: ConversationUpdate, _alias: Update) {}

    #[on(server.endOfCallReport)]
    fn report(&self, _headers: &HeaderMap, _again: &HeaderMap) {}

    #[on(server.hang)]
    fn hang(&self, _delivery: &Delivery, _again: &webhook_core::Delivery<'_>) {}

    #[on(server.transcript)]
    fn transcript<'a>(
        &'a self,
        _delivery: &'a Delivery<'a>,
        _headers: &http::HeaderMap,
        _again: &Delivery,
    ) {
    }
}

fn main() {}
