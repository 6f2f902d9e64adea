// Tool arguments that are not `Deserialize` are reported on their type, and results that are not `Serialize` on the return type.
use webhook_core::{HandlerError, webhook_hooks};

struct Receptionist;

struct NotDeserialize;

struct NotSerialize;

#[webhook_hooks]
impl Receptionist {
    #[tool("lookupOrder")]
    async fn lookup(&self, _args: NotDeserialize) -> Result<String, HandlerError> {
        Ok(String::new())
    }

    #[tool("checkSlot")]
    async fn check(&self, _args: serde_json::Value) -> Result<NotSerialize, HandlerError> {
        Ok(NotSerialize)
    }
}

fn main() {}
