// Malformed attributes: both `#[on]` and `#[tool]`, a bad tool argument, and `#[on]` without a name.
use webhook_core::webhook_hooks;

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[on(server.statusUpdate)]
    #[tool("status")]
    async fn both(&self) {}

    #[tool("lookupOrder", timeout = 5)]
    async fn lookup(&self, _args: serde_json::Value) -> String {
        String::new()
    }

    #[on]
    async fn nothing(&self) {}
}

fn main() {}
