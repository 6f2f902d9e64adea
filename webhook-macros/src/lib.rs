//! The `#[webhook_hooks]` attribute: event routing, payload decoding and
//! reply wiring for Vapi webhooks, generated from a plain `impl` block.
//!
//! Use it through `webhook_core::webhook_hooks` or
//! `webhook_axum::webhook_hooks`; this crate only holds the macro.
//!
//! The expansion runs in stages, in private modules: `ast` reads the impl
//! and our attributes, `check` applies the rules the parser cannot see, and
//! `expand` writes the `Hooks` impl, with `overlap`'s conditional errors for
//! `#[cfg]` alternatives that can hold together. Errors from every stage are collected
//! in a `ctxt::Ctxt` and reported together, and the user's impl is always
//! emitted so the rest of their crate keeps type-checking.

#![warn(missing_docs)]

mod ast;
mod attr;
mod check;
mod crate_path;
mod ctxt;
mod expand;
mod overlap;
mod suggest;

use proc_macro2::TokenStream;
use quote::ToTokens;

/// Generates a `webhook_core::Hooks` impl from the handlers of an `impl`
/// block.
///
/// # Attributes
///
/// | attribute | on | meaning | values | default |
/// | --- | --- | --- | --- | --- |
/// | `#[webhook_hooks]` | an inherent `impl` block | generate routing for the methods below | `crate = "path"`: where `webhook_core` is, for re-exports | found from `Cargo.toml`: `webhook_core`, else `webhook_axum::webhook_core` |
/// | `#[on(namespace.event)]` | a method | handle one event | `server.*` or `client.*` name from the catalogue: the camelCase of the wire type, e.g. `server.endOfCallReport` for `end-of-call-report` | none |
/// | `#[on(unhandled)]` | a method | see every delivery no other handler takes; each such body is then read whole before it runs, so a malformed one gets `400` and an `Err` gets `500` | takes `&self` and optionally `&Delivery<'_>`; returns `()` or `Result<(), E>` | unhandled deliveries get `200 {}`, read only up to `message.type` |
/// | `#[tool("name")]` | a method | answer one named tool of a `tool-calls` message | the tool's name as Vapi sends it | none |
/// | `#[tool("name", timeout_ms = N)]` | a method | the same, with its own timeout | milliseconds, more than 0 | the receiver's tool timeout (18 s) |
///
/// # Handlers
///
/// - take `&self`. A handler may be an `async fn`, a `fn`, or a `fn`
///   returning `impl Future<Output = R>`, which is awaited like an
///   `async fn` returning `R`. It may have lifetime parameters and a
///   `where` clause but no type or const parameters;
/// - take, in any order, the event's payload type (e.g. `EndOfCallReport`)
///   or `Message<T>`, `&Delivery<'_>` (wire type, call id, raw message) and
///   `&HeaderMap`, each at most once. `Message<T>` is the message decoded
///   as your own type `T`, which may borrow from the body (not on
///   `server.toolCalls`). The payload is decoded only when a handler takes
///   it, and a handler that does not take it still runs only after the
///   whole body is checked;
/// - return the event's reply type, `Result<reply, E>` with `E` converting
///   into `HandlerError`, or `()` / `Result<(), E>` for events whose sender
///   expects no answer. A handler error on an event that drives the call
///   becomes that event's error reply; on other events it is a `500`.
///
/// # Tools
///
/// A `#[tool("name")]` method takes the tool's arguments first, as any
/// `serde::Deserialize` type (they may arrive as an object or a JSON string),
/// then optionally `&ToolCall`, `&ToolCalls`, `&Delivery<'_>` or `&HeaderMap`.
/// It returns `Result<T, E>` with `T: Serialize` (a `String` is sent as is,
/// other data as compact JSON text), or a `ToolOutput` for spoken messages
/// and metadata; an error built with `HandlerError::with_spoken_message`
/// makes Vapi speak to the caller on failure. The framework answers the whole message: calls run
/// concurrently, each under its timeout, and the reply has one entry per call
/// in request order with the received `toolCallId`. When an
/// `#[on(server.toolCalls)]` handler exists too, it receives the calls no
/// tool method claims (as a `ToolCalls` holding only those) and its results
/// are merged in order. A call it returns no result for gets the `error`
/// "the server returned no result for tool `name`". A result for a call it
/// was not given, or a second result for one call, is dropped. Each of
/// these is logged at `warn`. Without such a
/// handler, a call no tool method claims gets "no tool named `name` is
/// registered on this server".
///
/// A tool-calls message is decoded only as far as the methods read it.
/// When no tool takes `&ToolCalls` (or another context whose
/// `ToolContext::READS_MESSAGE` is true) and there is no
/// `#[on(server.toolCalls)]` handler, only `toolCallList` and the call id
/// are decoded. The rest of the message (the conversation so far, the
/// assistant, the customer) is then checked to be JSON but not copied. A
/// field of it that does not fit its type fails no call, except `call` and
/// `chat`, which must still be objects (or `null`) with a string `id`.
///
/// # Example
///
/// ```
/// use webhook_core::events::{AssistantRequest, EndOfCallReport};
/// use webhook_core::reply::AssistantRequestReply;
/// use webhook_core::{webhook_hooks, HandlerError};
///
/// struct Receptionist;
///
/// #[derive(serde::Deserialize)]
/// #[serde(rename_all = "camelCase")]
/// struct LookupOrder { order_id: String }
///
/// #[webhook_hooks]
/// impl Receptionist {
///     #[on(server.assistantRequest)]
///     async fn choose_assistant(&self, _request: AssistantRequest) -> AssistantRequestReply {
///         AssistantRequestReply::assistant_id("asst-front-desk")
///     }
///
///     #[on(server.endOfCallReport)]
///     async fn save_report(&self, report: EndOfCallReport) -> Result<(), HandlerError> {
///         println!("call {:?} ended: {:?}", report.call_id(), report.ended_reason);
///         Ok(())
///     }
///
///     #[tool("lookupOrder")]
///     async fn lookup_order(&self, args: LookupOrder) -> Result<String, HandlerError> {
///         Ok(format!("order {} has shipped", args.order_id))
///     }
/// }
///
/// fn assert_hooks<H: webhook_core::Hooks>() {}
/// assert_hooks::<Receptionist>();
/// ```
#[proc_macro_attribute]
pub fn webhook_hooks(
    args: proc_macro::TokenStream,
    item: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    expand_webhook_hooks(args.into(), item.into()).into()
}

/// The macro on `proc_macro2` tokens, so tests can run it.
fn expand_webhook_hooks(args: TokenStream, item: TokenStream) -> TokenStream {
    let item: syn::ItemImpl = match syn::parse2(item.clone()) {
        Ok(item) => item,
        Err(error) => {
            let error = syn::Error::new(
                error.span(),
                "`#[webhook_hooks]` goes on an `impl Type { ... }` block",
            );
            let mut tokens = item;
            tokens.extend(error.to_compile_error());
            return tokens;
        }
    };

    let cx = ctxt::Ctxt::new();
    let krate = crate_path::resolve(&cx, args);
    let hooks = ast::parse(&cx, item);
    check::check(&cx, &hooks);

    match cx.check() {
        None => expand::expand(&krate, &hooks),
        Some(errors) => {
            // A borrowing type cannot implement `Hooks` at all, so the
            // fallback impl would only add rustc's lifetime errors to ours.
            let mut tokens = if check::impl_borrows(&hooks) {
                hooks.item.to_token_stream()
            } else {
                expand::expand_fallback(&krate, &hooks)
            };
            tokens.extend(errors);
            tokens
        }
    }
}

#[cfg(test)]
mod tests;
