// A return type the event cannot send is reported on the return type, saying what it must be.
use webhook_core::reply::AssistantRequestReply;
use webhook_core::webhook_hooks;

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[on(server.assistantRequest)]
    async fn choose(&self) -> String {
        "asst-1".to_owned()
    }

    #[on(server.endOfCallReport)]
    async fn report(&self) -> AssistantRequestReply {
        AssistantRequestReply::assistant_id("asst-1")
    }
}

fn main() {}
