// Every event of the catalogue, a tool, the catch-all and a plain method expand and type-check.
use webhook_core::events::{
    AssistantRequest, EndOfCallReport, StatusUpdate, ToolCall, ToolCalls,
    TransferDestinationRequest, WorkflowNodeStarted,
};
use webhook_core::reply::{
    AssistantRequestReply, ClientInboundMessage, ToolCallsReply, TransferDestination,
    TransferDestinationReply,
};
use webhook_core::{Delivery, HandlerError, Hooks, webhook_hooks};

struct Receptionist;

#[derive(serde::Deserialize)]
struct LookupOrder {
    order_id: String,
}

#[webhook_hooks]
impl Receptionist {
    #[on(server.assistantRequest)]
    async fn choose(&self, _request: AssistantRequest) -> AssistantRequestReply {
        AssistantRequestReply::assistant_id("asst-1")
    }

    #[on(server.endOfCallReport)]
    async fn report(&self, _report: EndOfCallReport) -> Result<(), HandlerError> {
        Ok(())
    }

    #[on(server.statusUpdate)]
    fn status(&self, _update: StatusUpdate) {}

    #[on(server.toolCalls)]
    async fn other_tools(&self, _message: ToolCalls) -> ToolCallsReply {
        ToolCallsReply::default()
    }

    #[on(server.transferDestinationRequest)]
    async fn transfer(
        &self,
        _delivery: &Delivery<'_>,
        _request: TransferDestinationRequest,
    ) -> Result<TransferDestinationReply, std::io::Error> {
        Ok(TransferDestinationReply::transfer_to(
            TransferDestination::number("+15555550100"),
        ))
    }

    #[on(client.workflowNodeStarted)]
    async fn node(&self, _event: WorkflowNodeStarted) -> Option<ClientInboundMessage> {
        None
    }

    #[tool("lookupOrder", timeout_ms = 5000)]
    async fn lookup(&self, args: LookupOrder, _call: &ToolCall) -> Result<String, HandlerError> {
        Ok(args.order_id)
    }

    #[on(unhandled)]
    async fn other(&self, _delivery: &Delivery<'_>) {}

    #[allow(dead_code)]
    fn helper(&self) {}
}

fn assert_hooks<H: Hooks>() {}

fn main() {
    assert_hooks::<Receptionist>();
}
