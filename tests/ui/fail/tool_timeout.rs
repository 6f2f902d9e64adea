// A `timeout_ms` with a suffix (a unit or an integer type) is an error on the literal, because the value is always milliseconds.
use webhook_core::{HandlerError, webhook_hooks};

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[tool("slow", timeout_ms = 2s)]
    async fn slow(&self, _args: serde_json::Value) -> Result<String, HandlerError> {
        Ok(String::new())
    }

    #[tool("typed", timeout_ms = 5_000u8)]
    async fn typed(&self, _args: serde_json::Value) -> Result<String, HandlerError> {
        Ok(String::new())
    }

    #[tool("fine", timeout_ms = 5_000)]
    async fn fine(&self, _args: serde_json::Value) -> Result<String, HandlerError> {
        Ok(String::new())
    }
}

fn main() {}
