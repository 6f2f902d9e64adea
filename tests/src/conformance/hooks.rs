//! The handlers every conformance case runs against, exactly as the case
//! format defines them: three tools, a delayed assistant-request reply, a
//! fixed warm transfer, and two handlers that keep the typed message they
//! received.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use serde_json::{Value, json};
use webhook_core::events::{
    AssistantRequest, EndOfCallReport, StatusUpdate, TransferDestinationRequest,
};
use webhook_core::reply::{
    AssistantRequestReply, TransferDestination, TransferDestinationReply, TransferPlan,
};
use webhook_core::{HandlerError, webhook_hooks};

/// The assistant id the test assistant-request handler returns.
pub const TEST_ASSISTANT_ID: &str = "asst-test-0001";

/// The test handlers of one request.
#[derive(Debug, Default)]
pub struct CaseHooks {
    assistant_delay: Duration,
    observations: Arc<Observations>,
}

/// What the handlers of one request observed, readable after the router
/// that owns them has answered.
#[derive(Debug, Default)]
pub struct Observations {
    calls: AtomicUsize,
    seen: Mutex<Option<Value>>,
}

impl CaseHooks {
    /// Builds handlers whose assistant-request answer waits `assistant_delay`.
    pub fn new(assistant_delay: Duration) -> Self {
        CaseHooks {
            assistant_delay,
            observations: Arc::default(),
        }
    }

    /// Returns a handle on what these handlers observe.
    pub fn observations(&self) -> Arc<Observations> {
        Arc::clone(&self.observations)
    }

    fn called(&self) {
        self.observations.calls.fetch_add(1, Ordering::SeqCst);
    }

    fn keep(&self, message: &impl Serialize) {
        self.called();
        let value = serde_json::to_value(message)
            .unwrap_or_else(|error| json!({"<serialisation failed>": error.to_string()}));
        *self
            .observations
            .seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(value);
    }
}

impl Observations {
    /// Returns how many handler calls started.
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// Returns the last typed message a status-update or end-of-call-report
    /// handler received, serialised back to JSON.
    pub fn seen(&self) -> Option<Value> {
        self.seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

#[webhook_hooks]
impl CaseHooks {
    #[tool("echo_args")]
    async fn echo_args(&self, args: Value) -> Result<Value, HandlerError> {
        self.called();
        Ok(args)
    }

    #[tool("return_object")]
    async fn return_object(&self, _args: Value) -> Result<Value, HandlerError> {
        self.called();
        Ok(json!({"date": "2030-01-10", "fullyBooked": true}))
    }

    #[tool("fail_always")]
    async fn fail_always(&self, _args: Value) -> Result<Value, HandlerError> {
        self.called();
        Err(HandlerError::msg("simulated failure"))
    }

    #[on(server.assistantRequest)]
    async fn assistant(&self, _request: AssistantRequest) -> AssistantRequestReply {
        self.called();
        if !self.assistant_delay.is_zero() {
            tokio::time::sleep(self.assistant_delay).await;
        }
        AssistantRequestReply::assistant_id(TEST_ASSISTANT_ID)
    }

    #[on(server.transferDestinationRequest)]
    async fn transfer(&self, _request: TransferDestinationRequest) -> TransferDestinationReply {
        self.called();
        let destination = TransferDestination::number("+15555550100")
            .with_e164_check(true)
            .with_message("Connecting you now.")
            .with_transfer_plan(TransferPlan::mode("warm-transfer-say-summary").with_summary());
        TransferDestinationReply::transfer_to(destination)
    }

    #[on(server.statusUpdate)]
    fn status(&self, update: StatusUpdate) {
        self.keep(&update);
    }

    #[on(server.endOfCallReport)]
    fn report(&self, report: EndOfCallReport) {
        self.keep(&report);
    }
}
