// `Message<T>` decodes the message, so it counts as the payload: a handler takes one of them.
use std::borrow::Cow;

use serde::Deserialize;
use webhook_core::events::StatusUpdate;
use webhook_core::{Message, webhook_hooks};

#[derive(Deserialize)]
struct Status<'a> {
    #[serde(borrow)]
    status: Cow<'a, str>,
}

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[on(server.statusUpdate)]
    fn status(&self, _update: StatusUpdate, _view: Message<Status<'_>>) {}
}

fn main() {}
