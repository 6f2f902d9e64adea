// `#[on]` or `#[tool]` on an associated const or a macro call is an error on the attribute, saying it goes on a method.
use webhook_core::webhook_hooks;

struct Receptionist;

macro_rules! no_methods {
    () => {};
}

#[webhook_hooks]
impl Receptionist {
    #[on(server.statusUpdate)]
    const STATUS: u8 = 0;

    #[tool("lookupOrder")]
    no_methods!();
}

fn main() {}
