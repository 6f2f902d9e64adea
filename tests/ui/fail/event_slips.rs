// Case and separator slips, and wire names written as names, all suggest the right event in one compile.
use webhook_core::webhook_hooks;

struct Receptionist;

#[webhook_hooks]
impl Receptionist {
    #[on(server.tool_calls)]
    async fn a(&self) {}

    #[on(server.ToolCalls)]
    async fn b(&self) {}

    #[on(server.tool-calls)]
    async fn c(&self) {}

    #[on(server.endOfCallReports)]
    async fn d(&self) {}

    #[on(server.end-of-call-report)]
    async fn e(&self) {}

    #[on(server.somethingElseEntirely)]
    async fn f(&self) {}
}

fn main() {}
