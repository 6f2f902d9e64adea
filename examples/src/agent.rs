//! The voice agent's handlers: which assistant takes a call, what its tools
//! return, where transfers go, and what is kept when a call ends.

use serde::{Deserialize, Serialize};
use serde_json::json;
use webhook_axum::events::{
    AssistantRequest, EndOfCallReport, StatusUpdate, ToolCall, TransferDestinationRequest,
    WorkflowNodeStarted,
};
use webhook_axum::reply::{
    AssistantRequestReply, ClientInboundMessage, TransferDestination, TransferDestinationReply,
    TransferPlan,
};
use webhook_axum::{HandlerError, webhook_hooks};

use crate::mask::{mask_number, mask_optional};
use crate::store::{BookingOutcome, CallRecord, Order, Store, StoreError};

/// Saved assistants chosen by the Vapi number that was called. A number not
/// listed here gets the inline assistant of [`walk_in_assistant`].
pub const ASSISTANTS_BY_NUMBER: &[(&str, &str)] = &[
    ("+15555550100", "asst-support-0001"),
    ("+15555550101", "asst-sales-0001"),
];

/// The support desk number that `transfer-destination-request` sends callers to.
pub const SUPPORT_DESK_NUMBER: &str = "+15555550150";

/// The example's hooks: one value shared by every delivery.
#[derive(Clone, Debug)]
pub struct VoiceAgent {
    store: Store,
}

impl VoiceAgent {
    /// Builds the agent on an opened store.
    pub fn new(store: Store) -> Self {
        VoiceAgent { store }
    }

    /// Returns the store the agent writes to.
    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// Arguments of the `lookupOrder` tool.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LookupOrder {
    /// The order id the caller read out, e.g. `ORD-1001`.
    pub order_id: String,
}

/// Arguments of the `checkAvailability` tool.
#[derive(Debug, Deserialize)]
pub struct CheckAvailability {
    /// The day, `YYYY-MM-DD`.
    pub date: String,
}

/// The result of `checkAvailability`, as the model reads it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Availability {
    /// The day asked about.
    pub date: String,
    /// Free times, `HH:MM`, earliest first.
    pub open_slots: Vec<String>,
    /// Whether no time is free.
    pub fully_booked: bool,
}

/// Arguments of the `bookAppointment` tool.
#[derive(Debug, Deserialize)]
pub struct BookAppointment {
    /// The day, `YYYY-MM-DD`.
    pub date: String,
    /// The time, `HH:MM` in 24-hour time, one of the open slots. A
    /// single-digit hour such as `9:00` is read as `09:00`.
    pub time: String,
    /// The name the appointment is booked under.
    pub name: String,
}

/// The result of `bookAppointment`, as the model reads it.
#[derive(Debug, Serialize)]
pub struct Booking {
    /// Whether the slot is now booked for the caller.
    pub booked: bool,
    /// The booked day.
    pub date: String,
    /// The booked time.
    pub time: String,
}

#[webhook_hooks]
impl VoiceAgent {
    /// Chooses the assistant by the number that was called. An unknown
    /// number gets an inline assistant.
    #[on(server.assistantRequest)]
    async fn choose_assistant(&self, request: AssistantRequest) -> AssistantRequestReply {
        let called = request
            .phone_number
            .as_ref()
            .and_then(|number| number.number.as_deref());
        let caller = request
            .customer
            .as_ref()
            .and_then(|customer| customer.number.as_deref());
        let saved = ASSISTANTS_BY_NUMBER
            .iter()
            .find(|(number, _)| Some(*number) == called);

        tracing::info!(
            called = %mask_optional(called),
            caller = %mask_optional(caller),
            assistant = saved.map_or("inline", |(_, id)| id),
            "assistant chosen"
        );
        match saved {
            Some((_, assistant_id)) => AssistantRequestReply::assistant_id(*assistant_id),
            None => AssistantRequestReply::assistant(walk_in_assistant()),
        }
    }

    #[on(server.statusUpdate)]
    fn log_status(&self, update: StatusUpdate) {
        tracing::info!(
            call_id = update.call.as_ref().and_then(|call| call.id.as_deref()).unwrap_or("-"),
            status = update.status.as_ref().map_or("-", |status| status.as_str()),
            ended_reason = update.ended_reason.as_ref().map_or("-", |reason| reason.as_str()),
            caller = %mask_optional(update.customer.as_ref().and_then(|customer| customer.number.as_deref())),
            "call status changed"
        );
    }

    /// Sends the caller to the support desk with a warm transfer: the desk
    /// hears a summary of the call before the caller is connected.
    #[on(server.transferDestinationRequest)]
    async fn route_transfer(
        &self,
        request: TransferDestinationRequest,
    ) -> TransferDestinationReply {
        let call_id = request.call.as_ref().and_then(|call| call.id.as_deref());
        tracing::info!(
            call_id = call_id.unwrap_or("-"),
            destination = %mask_number(SUPPORT_DESK_NUMBER),
            "transferring call"
        );
        let destination = TransferDestination::number(SUPPORT_DESK_NUMBER)
            .with_e164_check(true)
            .with_message("Let me connect you with our support desk.")
            .with_transfer_plan(TransferPlan::mode("warm-transfer-say-summary").with_summary());
        TransferDestinationReply::transfer_to(destination)
    }

    /// Stores the report. A storage failure is returned, so the receiver
    /// logs the delivery as failed and replies `500`.
    #[on(server.endOfCallReport)]
    async fn store_report(&self, report: EndOfCallReport) -> Result<(), HandlerError> {
        let record = call_record(&report);
        tracing::info!(
            call_id = record.call_id.as_deref().unwrap_or("-"),
            ended_reason = record.ended_reason.as_deref().unwrap_or("-"),
            duration_seconds = record.duration_seconds,
            cost_usd = record.cost_usd,
            caller = %mask_optional(record.customer_number.as_deref()),
            "storing end-of-call report"
        );
        self.store.save_report(record).await?;
        Ok(())
    }

    /// Gives the assistant a hint when a workflow reaches a node that needs
    /// one. Other nodes get no message.
    #[on(client.workflowNodeStarted)]
    async fn guide_node(&self, event: WorkflowNodeStarted) -> Option<ClientInboundMessage> {
        let hint = match event.node_name()?.as_ref() {
            "collect-order-id" => {
                "Ask for the order id. It starts with ORD- followed by four digits."
            }
            "book-appointment" => {
                "Offer the open slots from checkAvailability before booking; never invent a time."
            }
            _ => return None,
        };
        Some(ClientInboundMessage::add_system_message(hint))
    }

    #[tool("lookupOrder")]
    async fn lookup_order(
        &self,
        args: LookupOrder,
        call: &ToolCall,
    ) -> Result<Order, HandlerError> {
        let order_id = args.order_id.trim().to_uppercase();
        let order = self
            .store
            .order(order_id.clone())
            .await
            .map_err(|error| storage_failed(call, error))?;
        match order {
            Some(order) => Ok(order),
            None => Err(HandlerError::msg(format!(
                "no order with id `{order_id}`: ask the caller to read it again"
            ))),
        }
    }

    #[tool("checkAvailability")]
    async fn check_availability(
        &self,
        args: CheckAvailability,
        call: &ToolCall,
    ) -> Result<Availability, HandlerError> {
        let date = parse_date(&args.date)?;
        let open_slots = self
            .store
            .open_slots(date.clone())
            .await
            .map_err(|error| storage_failed(call, error))?;
        Ok(Availability {
            fully_booked: open_slots.is_empty(),
            date,
            open_slots,
        })
    }

    #[tool("bookAppointment", timeout_ms = 5000)]
    async fn book_appointment(
        &self,
        args: BookAppointment,
        call: &ToolCall,
    ) -> Result<Booking, HandlerError> {
        let date = parse_date(&args.date)?;
        let time = parse_time(&args.time)?;
        let name = args.name.trim().to_owned();
        if name.is_empty() {
            return Err(HandlerError::msg(
                "missing `name`: ask the caller for their name",
            ));
        }
        let outcome = self
            .store
            .book(date.clone(), time.clone(), name, call.id.clone())
            .await
            .map_err(|error| storage_failed(call, error))?;
        match outcome {
            BookingOutcome::Booked => Ok(Booking {
                booked: true,
                date,
                time,
            }),
            BookingOutcome::NotFree => Err(HandlerError::msg(format!(
                "{date} at {time} is not free: call checkAvailability for open times"
            ))),
            BookingOutcome::CallBookedOther {
                date: booked_date,
                time: booked_time,
            } => Err(HandlerError::msg(format!(
                "this tool call already booked {booked_date} at {booked_time}: make a new bookAppointment call for another slot"
            ))),
        }
    }
}

/// Builds the inline assistant for numbers without a saved one (Vapi's
/// `CreateAssistantDTO`).
pub fn walk_in_assistant() -> serde_json::Value {
    json!({
        "name": "Front desk",
        "firstMessage": "Thanks for calling. I can check an order or book a visit. How can I help?",
        "model": {
            "provider": "openai",
            "model": "gpt-4o-mini",
            "messages": [{
                "role": "system",
                "content": "You are a concise front-desk assistant. Use lookupOrder for order questions and checkAvailability then bookAppointment for visits."
            }]
        }
    })
}

/// Collects what is stored of a report: call id (chat id for chats), ended
/// reason, duration, cost, summary, transcript and the caller's number.
pub fn call_record(report: &EndOfCallReport) -> CallRecord {
    let chat_id = report.chat.as_ref().and_then(|chat| chat.id.as_deref());
    let duration_seconds = report
        .duration_seconds
        .or(report.duration_ms.map(|millis| millis / 1000.0));
    CallRecord {
        call_id: report.call_id().or(chat_id).map(str::to_owned),
        ended_reason: report
            .ended_reason
            .as_ref()
            .map(|reason| reason.as_str().to_owned()),
        duration_seconds,
        cost_usd: report.cost,
        summary: report.summary().map(str::to_owned),
        transcript: report.transcript().map(str::to_owned),
        customer_number: report
            .customer
            .as_ref()
            .and_then(|customer| customer.number.clone()),
    }
}

/// The error the model reads when the database fails. The model may repeat
/// a tool error to the caller, so it gets a plain instruction, and the
/// database's own message goes to the log.
pub const STORAGE_FAILED: &str = "the order and booking system is not available right now: apologise and offer to call back later";

/// Logs a storage failure of a tool call and returns the error the model
/// reads.
fn storage_failed(call: &ToolCall, error: StoreError) -> HandlerError {
    tracing::error!(tool = call.name(), tool_call_id = %call.id, %error, "tool failed: storage error");
    HandlerError::msg(STORAGE_FAILED)
}

/// Checks that `text` is a calendar date written `YYYY-MM-DD`.
fn parse_date(text: &str) -> Result<String, HandlerError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(text.trim(), &format).map_err(|_| {
        HandlerError::msg(format!(
            "invalid date `{text}`: expected YYYY-MM-DD, e.g. 2030-01-10"
        ))
    })?;
    date.format(&format).map_err(HandlerError::from)
}

/// Checks that `text` is a 24-hour time written `HH:MM` and returns it in
/// that form, so `9:00` becomes `09:00`, the form the slots are stored in.
fn parse_time(text: &str) -> Result<String, HandlerError> {
    let input = time::macros::format_description!("[hour padding:none]:[minute]");
    let output = time::macros::format_description!("[hour]:[minute]");
    let time = time::Time::parse(text.trim(), &input).map_err(|_| {
        HandlerError::msg(format!(
            "invalid time `{text}`: expected HH:MM in 24-hour time, e.g. 14:00"
        ))
    })?;
    time.format(&output).map_err(HandlerError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(message: serde_json::Value) -> EndOfCallReport {
        serde_json::from_value(message).expect("report decodes")
    }

    #[test]
    fn record_takes_top_level_fields() {
        let record = call_record(&report(json!({
            "type": "end-of-call-report",
            "endedReason": "silence-timed-out",
            "call": {"id": "call-test-0001"},
            "durationSeconds": 12.5,
            "cost": 0.04,
            "summary": "Short call.",
            "transcript": "User: Hello?"
        })));

        assert_eq!(record.call_id.as_deref(), Some("call-test-0001"));
        assert_eq!(record.ended_reason.as_deref(), Some("silence-timed-out"));
        assert_eq!(record.duration_seconds, Some(12.5));
        assert_eq!(record.cost_usd, Some(0.04));
        assert_eq!(record.summary.as_deref(), Some("Short call."));
        assert_eq!(record.transcript.as_deref(), Some("User: Hello?"));
    }

    #[test]
    fn record_falls_back_to_chat_and_millis() {
        let record = call_record(&report(json!({
            "type": "end-of-call-report",
            "chat": {"id": "chat-test-0001"},
            "durationMs": 4500
        })));

        assert_eq!(record.call_id.as_deref(), Some("chat-test-0001"));
        assert_eq!(record.duration_seconds, Some(4.5));
        assert_eq!(record.ended_reason, None);
    }

    #[test]
    fn date_must_be_a_calendar_day() {
        assert_eq!(parse_date(" 2030-01-10 ").unwrap(), "2030-01-10");
        assert!(parse_date("2030-02-30").is_err());
        assert!(parse_date("10/01/2030").is_err());
        assert!(parse_date("").is_err());
    }

    #[test]
    fn time_is_normalised_to_hh_mm() {
        for (text, expected) in [
            ("09:00", "09:00"),
            ("9:00", "09:00"),
            (" 14:30 ", "14:30"),
            ("0:05", "00:05"),
            ("23:59", "23:59"),
        ] {
            assert_eq!(parse_time(text).unwrap(), expected, "{text:?}");
        }
    }

    #[test]
    fn invalid_time_rejected() {
        for text in [
            "", "9", "9am", "24:00", "12:60", "12:5", "009:00", "12:00:00", "12.00",
        ] {
            let error = parse_time(text).unwrap_err().to_string();

            assert!(error.contains(&format!("invalid time `{text}`")), "{error}");
            assert!(error.contains("HH:MM"), "{error}");
        }
    }
}
