// Attributes other than `#[on]` and `#[tool]` stay on the user's methods untouched.
use webhook_core::events::StatusUpdate;
use webhook_core::webhook_hooks;

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    /// Logs status changes.
    #[on(server.statusUpdate)]
    #[inline(never)]
    #[allow(clippy::unused_async)]
    #[deny(unused_variables)]
    async fn status(&self, _update: StatusUpdate) {}

    #[must_use]
    fn helper(&self) -> u8 {
        7
    }
}

fn main() {
    assert_eq!(Receptionist.helper(), 7);
}
