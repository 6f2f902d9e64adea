// A handler whose future is not `Send` (an `Rc` held across `.await`) is reported at that handler.
use std::rc::Rc;

use webhook_core::webhook_hooks;

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[on(server.statusUpdate)]
    async fn status(&self) {
        let counter = Rc::new(1);
        std::future::ready(()).await;
        drop(counter);
    }
}

fn main() {}
