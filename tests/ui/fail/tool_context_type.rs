// A tool parameter after the arguments must be a context type, reported once on that type.
use webhook_core::webhook_hooks;

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[tool("lookupOrder")]
    fn lookup(&self, _args: serde_json::Value, _name: &String) -> String {
        String::new()
    }
}

fn main() {}
