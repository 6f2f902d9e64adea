// A tool's first parameter is its arguments, decoded into an owned value: a borrowed type, or a context type in its place, is reported on that parameter.
use webhook_core::events::ToolCall;
use webhook_core::{Delivery, webhook_hooks};

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[tool("greet")]
    async fn greet(&self, name: &str) -> String {
        format!("hello {name}")
    }

    #[tool("total")]
    async fn total(&self, amounts: &[u32]) -> u32 {
        amounts.iter().sum()
    }

    #[tool("open")]
    async fn open(&self, file: &std::path::Path) -> String {
        file.display().to_string()
    }

    #[tool("pick")]
    async fn pick(&self, choices: &[Option<u8>]) -> usize {
        choices.len()
    }

    #[tool("whoCalled")]
    async fn who_called(&self, call: &ToolCall) -> String {
        call.id.clone()
    }

    #[tool("route")]
    async fn route(&self, delivery: &Delivery<'_>) -> String {
        delivery.wire_type().to_owned()
    }
}

fn main() {}
