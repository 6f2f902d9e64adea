// A hooks type may hold `'static` borrows: `impl Type<'static>` names no lifetime parameter and compiles.
use webhook_core::events::StatusUpdate;
use webhook_core::{Auth, Receiver, webhook_hooks};

struct Greeter<'a> {
    name: &'a str,
}

#[webhook_hooks]
impl Greeter<'static> {
    #[on(server.statusUpdate)]
    async fn status(&self, _update: StatusUpdate) {
        println!("{}", self.name);
    }
}

fn main() {
    let _receiver = Receiver::builder(Greeter { name: "front desk" })
        .auth(Auth::none())
        .build();
}
