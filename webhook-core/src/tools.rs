//! Answering a tool-calls message: every call runs concurrently under its own
//! timeout, and the reply has one entry per call, in request order, whatever
//! happened to each (success, error, timeout, panic or unknown tool).
//!
//! The code `#[webhook_hooks]` generates dispatches the calls to the
//! `#[tool("name")]` methods (see the macro's documentation on tools).

mod calls_only;
mod malformed;

pub(crate) use malformed::fail_every_call;
pub use malformed::{InvalidCalls, decode_tool_calls, with_invalid_calls};

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::time::Duration;

use futures_util::FutureExt;
use futures_util::future::join_all;
use http::HeaderMap;
use serde::Serialize;
use serde_json::{Map, Value};
use tokio::time::Instant;

use crate::delivery::Delivery;
use crate::events::{ToolCall, ToolCalls};
use crate::hooks::HandlerError;
use crate::log_text::{panic_message, without_received_values};
use crate::reply::{ToolCallResult, ToolCallsReply};

/// How long tool calls may run: `default` for a tool without its own
/// `timeout_ms`, and until `cutoff` at the latest, so that every call has
/// its result before the whole message's reply deadline passes. Only
/// generated code uses it, so it is hidden from the docs.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ToolLimits {
    /// Timeout of a tool without its own.
    pub default: Duration,
    /// The instant by which every tool call, and the
    /// `#[on(server.toolCalls)]` handler, must have finished: 250 ms before
    /// the reply deadline, fixed when that deadline starts. A call that
    /// starts late (after a blocking sibling, say) gets the time left.
    pub cutoff: Instant,
}

impl ToolLimits {
    /// Returns the time limit of a call that starts now: its own timeout
    /// (or the default), unless less time than that is left before
    /// `cutoff`.
    fn limit_from_now(&self, own: Option<Duration>) -> Limit {
        let left = self.cutoff.saturating_duration_since(Instant::now());
        match own.unwrap_or(self.default) {
            own if own <= left => Limit::Own(own),
            _ => Limit::Cutoff(left),
        }
    }

    /// Returns the time left before `cutoff`, the limit of the
    /// `#[on(server.toolCalls)]` handler, which has no timeout of its own.
    fn until_cutoff(&self) -> Limit {
        Limit::Cutoff(self.cutoff.saturating_duration_since(Instant::now()))
    }
}

/// The time limit of one call, and which setting it comes from.
#[derive(Clone, Copy, Debug)]
enum Limit {
    /// The call's own timeout, or the default one.
    Own(Duration),
    /// The time left before the cutoff, shorter than the call's timeout.
    Cutoff(Duration),
}

impl Limit {
    fn duration(self) -> Duration {
        match self {
            Limit::Own(duration) | Limit::Cutoff(duration) => duration,
        }
    }

    /// Returns the error text of a call that reached this limit.
    fn error_text(self) -> String {
        match self {
            Limit::Own(timeout) => {
                format!("the tool timed out after {} ms", timeout.as_millis())
            }
            Limit::Cutoff(_) => "the tool did not finish before the reply deadline".to_owned(),
        }
    }
}

/// A boxed future of one tool method.
#[doc(hidden)]
pub type ToolFuture<'a> =
    Pin<Box<dyn Future<Output = Result<ToolOutput, HandlerError>> + Send + 'a>>;

/// One claimed tool call, ready to run.
#[doc(hidden)]
#[allow(missing_debug_implementations)]
pub struct ToolTask<'a> {
    future: ToolFuture<'a>,
    timeout: Option<Duration>,
}

impl<'a> ToolTask<'a> {
    /// Wraps a tool method's future; `timeout` overrides the receiver's
    /// default tool timeout.
    pub fn new(
        timeout: Option<Duration>,
        future: impl Future<Output = Result<ToolOutput, HandlerError>> + Send + 'a,
    ) -> Self {
        ToolTask {
            future: Box::pin(future),
            timeout,
        }
    }
}

/// The output of a tool method: the text the model reads, and optional
/// extras Vapi supports.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ToolOutput {
    result: String,
    spoken_message: Option<String>,
    metadata: Option<Map<String, Value>>,
}

impl ToolOutput {
    /// Builds an output whose result is `text`, sent as is.
    pub fn text(text: impl Into<String>) -> Self {
        ToolOutput {
            result: text.into(),
            ..Self::default()
        }
    }

    /// Builds an output from structured data, sent as compact JSON text; a
    /// value that serialises to a JSON string is sent as that string.
    ///
    /// # Errors
    ///
    /// Returns an error when `value` cannot be serialised, such as a map
    /// with keys that are not strings.
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<Self, HandlerError> {
        Ok(Self::text(result_text(value)?))
    }

    /// Makes Vapi speak `content` to the caller when the result arrives.
    #[must_use]
    pub fn with_spoken_message(mut self, content: impl Into<String>) -> Self {
        self.spoken_message = Some(content.into());
        self
    }

    /// Attaches metadata stored with the result and not shown to the model.
    #[must_use]
    pub fn with_metadata(mut self, metadata: Map<String, Value>) -> Self {
        self.metadata = Some(metadata);
        self
    }

    /// Returns the text the model reads.
    pub fn result(&self) -> &str {
        &self.result
    }
}

fn result_text<T: Serialize + ?Sized>(value: &T) -> Result<String, HandlerError> {
    match serde_json::to_value(value)? {
        Value::String(text) => Ok(text),
        other => Ok(other.to_string()),
    }
}

/// A value a `#[tool]` method may return.
///
/// `Result<T, E>` where `T: Serialize` (a `String` is sent as is, other data
/// as compact JSON text) and `E` converts into [`HandlerError`];
/// `Result<ToolOutput, E>` for spoken messages and metadata; or, for tools
/// that cannot fail, `String`, `&'static str`, `serde_json::Value` or
/// [`ToolOutput`].
#[diagnostic::on_unimplemented(
    message = "a `#[tool]` method cannot return `{Self}`",
    label = "expected `Result<T, E>` with `T: Serialize`, or `ToolOutput`",
    note = "return `Result<T, E>` where `T: serde::Serialize` and `E` converts into `webhook_core::HandlerError`, or a `ToolOutput`"
)]
pub trait IntoToolOutput {
    /// Converts the tool method's return value.
    fn into_tool_output(self) -> Result<ToolOutput, HandlerError>;
}

impl<T: Serialize, E: Into<HandlerError>> IntoToolOutput for Result<T, E> {
    fn into_tool_output(self) -> Result<ToolOutput, HandlerError> {
        let value = self.map_err(Into::into)?;
        ToolOutput::json(&value)
    }
}

impl<E: Into<HandlerError>> IntoToolOutput for Result<ToolOutput, E> {
    fn into_tool_output(self) -> Result<ToolOutput, HandlerError> {
        self.map_err(Into::into)
    }
}

impl IntoToolOutput for ToolOutput {
    fn into_tool_output(self) -> Result<ToolOutput, HandlerError> {
        Ok(self)
    }
}

impl IntoToolOutput for String {
    fn into_tool_output(self) -> Result<ToolOutput, HandlerError> {
        Ok(ToolOutput::text(self))
    }
}

impl IntoToolOutput for &'static str {
    fn into_tool_output(self) -> Result<ToolOutput, HandlerError> {
        Ok(ToolOutput::text(self))
    }
}

impl IntoToolOutput for Value {
    fn into_tool_output(self) -> Result<ToolOutput, HandlerError> {
        ToolOutput::json(&self)
    }
}

/// Decodes a tool call's arguments into the tool method's argument type;
/// generated code spans the call on that parameter's type.
#[doc(hidden)]
pub fn tool_arguments<T: serde::de::DeserializeOwned>(call: &ToolCall) -> Result<T, HandlerError> {
    call.arguments::<T>().map_err(HandlerError::from)
}

/// Converts a tool method's return value; generated code spans the call on
/// the method's return type.
#[doc(hidden)]
pub fn into_tool_output<T: IntoToolOutput>(value: T) -> Result<ToolOutput, HandlerError> {
    value.into_tool_output()
}

/// The type of the absent `#[on(server.toolCalls)]` handler, for generated
/// code that has `#[tool]` methods only.
#[doc(hidden)]
pub type NoToolCallsHandler =
    fn(ToolCalls) -> std::future::Ready<Result<ToolCallsReply, HandlerError>>;

/// A value a `#[tool]` method can take after its arguments: the tool call
/// itself, the whole message, or request context.
#[diagnostic::on_unimplemented(
    message = "a `#[tool]` method cannot take a parameter of type `{Self}` here",
    label = "expected `&ToolCall`, `&ToolCalls`, `&Delivery` or `&HeaderMap`",
    note = "the first parameter after `&self` is the tool's arguments; later ones are context types"
)]
pub trait ToolContext<'a>: Sized {
    /// Whether [`from_tool_call`](Self::from_tool_call) reads its `message`
    /// argument. Only `&ToolCalls` does among the context types of this
    /// crate; an implementation elsewhere keeps the default, `true`, unless
    /// it ignores `message`.
    ///
    /// Suppose no tool of a hooks type takes a context that reads the
    /// message, and the type has no `#[on(server.toolCalls)]` handler. Then
    /// a tool-calls message is decoded only as far as the tools need:
    /// `toolCallList`, and `call.id` or `chat.id` for the log lines. The
    /// rest is read as JSON but neither copied nor checked against its
    /// type, and the `message` passed here has only those fields set.
    const READS_MESSAGE: bool = true;

    /// Extracts the value for one call.
    fn from_tool_call(
        call: &'a ToolCall,
        message: &'a ToolCalls,
        delivery: &'a Delivery<'a>,
    ) -> Self;
}

impl<'a> ToolContext<'a> for &'a ToolCall {
    const READS_MESSAGE: bool = false;

    fn from_tool_call(call: &'a ToolCall, _: &'a ToolCalls, _: &'a Delivery<'a>) -> Self {
        call
    }
}

impl<'a> ToolContext<'a> for &'a ToolCalls {
    const READS_MESSAGE: bool = true;

    fn from_tool_call(_: &'a ToolCall, message: &'a ToolCalls, _: &'a Delivery<'a>) -> Self {
        message
    }
}

impl<'a> ToolContext<'a> for &'a Delivery<'a> {
    // A tool that takes the delivery decodes from the body itself.
    const READS_MESSAGE: bool = false;

    fn from_tool_call(_: &'a ToolCall, _: &'a ToolCalls, delivery: &'a Delivery<'a>) -> Self {
        delivery
    }
}

impl<'a> ToolContext<'a> for &'a HeaderMap {
    const READS_MESSAGE: bool = false;

    fn from_tool_call(_: &'a ToolCall, _: &'a ToolCalls, delivery: &'a Delivery<'a>) -> Self {
        delivery.headers()
    }
}

/// Answers every call of a tool-calls message.
///
/// `claim` returns a task for each call that a tool method handles. Calls no
/// tool claims go to `unclaimed` (the `#[on(server.toolCalls)]` handler, when
/// there is one) as a copy of the message holding only those calls. Without
/// a handler, such a call gets an `error` entry naming the unknown tool. A
/// call the handler leaves out gets one that reports no result.
#[doc(hidden)]
pub async fn answer_tool_calls<'m, C, U, F>(
    message: &'m ToolCalls,
    limits: ToolLimits,
    claim: C,
    unclaimed: Option<U>,
) -> ToolCallsReply
where
    C: Fn(&'m ToolCall) -> Option<ToolTask<'m>>,
    U: FnOnce(ToolCalls) -> F,
    F: Future<Output = Result<ToolCallsReply, HandlerError>> + Send,
{
    if message.tool_call_list.is_empty() {
        tracing::warn!(target: "webhook::tool", call_id = message.call_id().unwrap_or("-"), "tool-calls message has no calls; replying with no results");
    }

    let mut tasks = Vec::with_capacity(message.tool_call_list.len());
    let mut unclaimed_calls = Vec::new();
    let mut unclaimed_ids = Vec::new();
    for call in &message.tool_call_list {
        let task = claim(call);
        if task.is_none() {
            unclaimed_calls.push(call.clone());
            unclaimed_ids.push(call.id.as_str());
        }
        tasks.push(task);
    }

    let claimed = join_all(tasks.into_iter().zip(&message.tool_call_list).map(
        |(task, call)| async move {
            let task = task?;
            Some(run_task(call, task, limits).await)
        },
    ));
    let handler_ran = unclaimed.is_some() && !unclaimed_calls.is_empty();
    let fallback = run_unclaimed(message, unclaimed_calls, unclaimed, limits);
    let (claimed, mut fallback_results) = futures_util::join!(claimed, fallback);

    // The handler's results are matched to the calls it was given, so a
    // result in the wrong order, for an unknown id, or missing cannot reach
    // Vapi as given. Ids may repeat within a message, so every call first
    // takes an entry with its id and tool name, and only then the calls
    // left take one with their id alone (preferring one without a name).
    let mut slots = claimed;
    for (slot, call) in slots.iter_mut().zip(&message.tool_call_list) {
        if slot.is_none() {
            *slot = take_result(&mut fallback_results, call, |result| {
                result.name == call.name()
            });
        }
    }
    for (slot, call) in slots.iter_mut().zip(&message.tool_call_list) {
        if slot.is_none() {
            *slot = take_result(&mut fallback_results, call, |result| result.name.is_empty())
                .or_else(|| take_result(&mut fallback_results, call, |_| true));
        }
    }
    for dropped in &fallback_results {
        if unclaimed_ids.contains(&dropped.tool_call_id.as_str()) {
            tracing::warn!(target: "webhook::tool", tool_call_id = %dropped.tool_call_id, "the tool-calls handler returned more than one result for a call; the extra result is dropped");
        } else {
            tracing::warn!(target: "webhook::tool", tool_call_id = %dropped.tool_call_id, "the tool-calls handler returned a result for a call it was not given; the result is dropped");
        }
    }

    // Only unclaimed calls can be left without a result here. With a
    // handler, each of them went to it, so the tool may exist and the
    // handler left it out.
    let unanswered = if handler_ran {
        handler_left_out
    } else {
        unknown_tool
    };
    let results = slots
        .into_iter()
        .zip(&message.tool_call_list)
        .map(|(result, call)| result.unwrap_or_else(|| unanswered(call)))
        .collect();
    ToolCallsReply::new(results)
}

async fn run_task(call: &ToolCall, task: ToolTask<'_>, limits: ToolLimits) -> ToolCallResult {
    let limit = limits.limit_from_now(task.timeout);
    let timeout = limit.duration();
    let guarded = AssertUnwindSafe(task.future).catch_unwind();
    let outcome = tokio::time::timeout(timeout, guarded).await;

    match outcome {
        Ok(Ok(Ok(output))) => success(call, output),
        Ok(Ok(Err(error))) => {
            let text = error.to_string();
            tracing::warn!(target: "webhook::tool", tool = call.name(), tool_call_id = %call.id, error = %without_received_values(&text), "tool call failed");
            let result = ToolCallResult::failure(&call.id, call.name(), text);
            match error.spoken_message() {
                Some(content) => result.with_spoken_message(content),
                None => result,
            }
        }
        Ok(Err(panic)) => {
            tracing::error!(target: "webhook::tool", tool = call.name(), tool_call_id = %call.id, panic = %panic_message(panic.as_ref()), "tool method panicked");
            ToolCallResult::failure(
                &call.id,
                call.name(),
                "the tool failed with an internal error",
            )
        }
        Err(_elapsed) => {
            tracing::warn!(target: "webhook::tool", tool = call.name(), tool_call_id = %call.id, timeout_ms = timeout.as_millis() as u64, "tool call timed out");
            ToolCallResult::failure(&call.id, call.name(), limit.error_text())
        }
    }
}

fn success(call: &ToolCall, output: ToolOutput) -> ToolCallResult {
    let mut result = ToolCallResult::success(&call.id, call.name(), output.result);
    if let Some(content) = output.spoken_message {
        result = result.with_spoken_message(content);
    }
    if let Some(metadata) = output.metadata {
        result = result.with_metadata(metadata);
    }
    result
}

async fn run_unclaimed<U, F>(
    message: &ToolCalls,
    calls: Vec<ToolCall>,
    unclaimed: Option<U>,
    limits: ToolLimits,
) -> Vec<ToolCallResult>
where
    U: FnOnce(ToolCalls) -> F,
    F: Future<Output = Result<ToolCallsReply, HandlerError>> + Send,
{
    let Some(handler) = unclaimed else {
        return Vec::new();
    };
    if calls.is_empty() {
        return Vec::new();
    }

    let ids: Vec<(String, String)> = calls
        .iter()
        .map(|call| (call.id.clone(), call.name().to_owned()))
        .collect();
    let subset = ToolCalls {
        tool_call_list: calls,
        ..message.clone()
    };
    let limit = limits.until_cutoff();
    let timeout = limit.duration();
    let guarded = AssertUnwindSafe(handler(subset)).catch_unwind();
    let Ok(outcome) = tokio::time::timeout(timeout, guarded).await else {
        tracing::warn!(target: "webhook::tool", timeout_ms = timeout.as_millis() as u64, "tool-calls handler timed out");
        let text = limit.error_text();
        return ids
            .into_iter()
            .map(|(id, name)| ToolCallResult::failure(id, name, text.clone()))
            .collect();
    };
    match outcome {
        Ok(Ok(reply)) => reply.results,
        Ok(Err(error)) => {
            let text = error.to_string();
            tracing::warn!(target: "webhook::tool", error = %without_received_values(&text), "tool-calls handler failed");
            ids.into_iter()
                .map(|(id, name)| ToolCallResult::failure(id, name, text.clone()))
                .collect()
        }
        Err(panic) => {
            tracing::error!(target: "webhook::tool", panic = %panic_message(panic.as_ref()), "tool-calls handler panicked");
            ids.into_iter()
                .map(|(id, name)| {
                    ToolCallResult::failure(id, name, "the tool failed with an internal error")
                })
                .collect()
        }
    }
}

/// Takes the handler's first entry with `call`'s id that `accept` allows,
/// named as the call, which is the name Vapi expects.
fn take_result(
    results: &mut Vec<ToolCallResult>,
    call: &ToolCall,
    accept: impl Fn(&ToolCallResult) -> bool,
) -> Option<ToolCallResult> {
    let index = results
        .iter()
        .position(|result| result.tool_call_id == call.id && accept(result))?;
    let mut result = results.remove(index);
    result.name = call.name().to_owned();
    if result.result.is_none() && result.error.is_none() {
        // The entry would give the model nothing to read, so it reports the
        // call as failed instead.
        tracing::warn!(target: "webhook::tool", tool_call_id = %call.id, "the tool-calls handler returned neither a result nor an error");
        result.error = Some("the tool returned no result".to_owned());
    }
    Some(result)
}

/// Builds the entry of a call that the `#[on(server.toolCalls)]` handler
/// was given and returned no result for.
fn handler_left_out(call: &ToolCall) -> ToolCallResult {
    tracing::warn!(target: "webhook::tool", tool_call_id = %call.id, tool = call.name(), "the tool-calls handler returned no result for a call");
    ToolCallResult::failure(
        &call.id,
        call.name(),
        format!("the server returned no result for tool `{}`", call.name()),
    )
}

/// Builds the entry of a call that no tool method takes, on a server
/// without an `#[on(server.toolCalls)]` handler.
fn unknown_tool(call: &ToolCall) -> ToolCallResult {
    ToolCallResult::failure(
        &call.id,
        call.name(),
        format!(
            "no tool named `{}` is registered on this server",
            call.name()
        ),
    )
}
