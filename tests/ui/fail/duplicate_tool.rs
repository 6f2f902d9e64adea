// The same tool name on two methods is an error on the second, naming the first.
use webhook_core::{HandlerError, webhook_hooks};

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[tool("lookupOrder")]
    async fn lookup(&self, _args: serde_json::Value) -> Result<String, HandlerError> {
        Ok(String::new())
    }

    #[tool("lookupOrder")]
    async fn lookup_again(&self, _args: serde_json::Value) -> Result<String, HandlerError> {
        Ok(String::new())
    }
}

fn main() {}
