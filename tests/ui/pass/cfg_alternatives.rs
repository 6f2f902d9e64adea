// Methods for one event or tool under exclusive `#[cfg]` conditions compile, whichever of them is compiled in.
use webhook_core::events::StatusUpdate;
use webhook_core::{HandlerError, webhook_hooks};

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[cfg(windows)]
    #[on(server.statusUpdate)]
    fn status(&self, _update: StatusUpdate) {}

    #[cfg(not(windows))]
    #[on(server.statusUpdate)]
    fn status_elsewhere(&self, _update: StatusUpdate) {}

    #[cfg(unix)]
    #[tool("lookupOrder")]
    async fn lookup(&self, _args: serde_json::Value) -> Result<String, HandlerError> {
        Ok(String::new())
    }

    #[cfg(not(unix))]
    #[tool("lookupOrder")]
    async fn lookup_elsewhere(&self, _args: serde_json::Value) -> Result<String, HandlerError> {
        Ok(String::new())
    }
}

fn main() {
    fn assert_hooks<H: webhook_core::Hooks>() {}
    assert_hooks::<Receptionist>();
}
