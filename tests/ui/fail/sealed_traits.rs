// `Payload` and `EventReply` are implemented by webhook-core alone.
use serde::Deserialize;
use webhook_core::reply::NoReply;
use webhook_core::{EventKind, EventReply, HttpReply, Payload};

#[derive(Deserialize)]
struct MyStatus {}

impl Payload for MyStatus {
    const KIND: EventKind = EventKind::ServerStatusUpdate;
    type Reply = NoReply;

    fn message_call_id(&self) -> Option<&str> {
        None
    }
}

struct MyReply;

impl EventReply for MyReply {
    fn into_http_reply(self) -> HttpReply {
        HttpReply::empty()
    }
}

fn main() {}
