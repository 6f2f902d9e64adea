// Methods for one event, tool or catch-all under `#[cfg]` conditions that differ in text but hold together are an error on the second.
use webhook_core::events::StatusUpdate;
use webhook_core::{HandlerError, webhook_hooks};

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[cfg(all())]
    #[on(server.statusUpdate)]
    fn status(&self, _update: StatusUpdate) {}

    #[cfg(not(any()))]
    #[on(server.statusUpdate)]
    fn status_again(&self, _update: StatusUpdate) {}

    #[cfg(all())]
    #[tool("lookupOrder")]
    async fn lookup(&self, _args: serde_json::Value) -> Result<String, HandlerError> {
        Ok(String::new())
    }

    #[cfg(all(all()))]
    #[tool("lookupOrder")]
    async fn lookup_again(&self, _args: serde_json::Value) -> Result<String, HandlerError> {
        Ok(String::new())
    }

    #[cfg(all())]
    #[on(unhandled)]
    fn anything(&self) {}

    #[cfg(any(all()))]
    #[on(unhandled)]
    fn anything_again(&self) {}
}

fn main() {}
