// Deprecated handlers, tools and catch-alls compile under `deny(deprecated)`, because only the user's own calls to them should warn.
#![deny(deprecated)]

use webhook_core::events::StatusUpdate;
use webhook_core::{HandlerError, webhook_hooks};

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[deprecated(note = "status updates move to another service")]
    #[on(server.statusUpdate)]
    async fn status(&self, _update: StatusUpdate) {}

    #[deprecated]
    #[tool("lookupOrder")]
    async fn lookup(&self, _args: serde_json::Value) -> Result<String, HandlerError> {
        Ok(String::new())
    }

    #[deprecated]
    #[on(unhandled)]
    fn other(&self) {}
}

fn main() {
    fn assert_hooks<H: webhook_core::Hooks>() {}
    assert_hooks::<Receptionist>();
}
