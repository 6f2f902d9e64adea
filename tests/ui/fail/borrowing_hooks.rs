// A hooks type must be 'static, so an impl with a lifetime parameter or an elided lifetime is reported on that lifetime.
use webhook_core::events::StatusUpdate;
use webhook_core::webhook_hooks;

struct Named<'a> {
    name: &'a str,
}

#[webhook_hooks]
impl<'a> Named<'a> {
    #[on(server.statusUpdate)]
    async fn status(&self, _update: StatusUpdate) {
        println!("{}", self.name);
    }
}

struct Elided<'a> {
    name: &'a str,
}

#[webhook_hooks]
impl Elided<'_> {
    #[on(server.statusUpdate)]
    async fn status(&self, _update: StatusUpdate) {
        println!("{}", self.name);
    }
}

fn main() {}
