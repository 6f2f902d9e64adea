//! Code generation: the `Hooks` impl that routes each delivery to its
//! handler, decodes the payload and turns the return value into the reply.
//!
//! Every type check is spanned on the user's own tokens (a parameter type,
//! a return type, a handler name) so rustc's errors land on the mistake.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use webhook_catalogue::EventKind;

use crate::ast::{Handler, HooksImpl, Method, Tool, Unhandled};
use crate::overlap;

/// Generates the user's impl (attributes stripped) followed by the `Hooks`
/// impl.
pub(crate) fn expand(krate: &TokenStream, hooks: &HooksImpl) -> TokenStream {
    with_hooks_impl(krate, hooks, dispatch(krate, hooks))
}

/// Generates a `Hooks` impl that handles nothing, emitted when the impl had
/// errors so code that uses the type still type-checks.
pub(crate) fn expand_fallback(krate: &TokenStream, hooks: &HooksImpl) -> TokenStream {
    let nothing = quote! {
        let _ = __delivery;
        #krate::__private::Ok(#krate::Handled::NotHandled)
    };
    with_hooks_impl(krate, hooks, nothing)
}

/// Emits the user's impl and a `Hooks` impl whose `handle` future runs
/// `body` with `__delivery` in scope.
fn with_hooks_impl(krate: &TokenStream, hooks: &HooksImpl, body: TokenStream) -> TokenStream {
    let item = &hooks.item;
    let self_ty = &item.self_ty;
    let (impl_generics, _, where_clause) = item.generics.split_for_impl();
    let overlap_errors = overlap::overlap_errors(hooks);
    let hooks_impl = quote! {
            #[automatically_derived]
            impl #impl_generics #krate::Hooks for #self_ty #where_clause {
                // `deprecated`: calling a deprecated handler from here would
                // warn at its definition, although only the user's own calls
                // to it should.
                #[allow(
                    deprecated,
                    clippy::manual_async_fn,
                    clippy::let_unit_value,
                    clippy::unit_arg,
                    clippy::match_single_binding
                )]
                fn handle<'__a>(
                    &'__a self,
                    __delivery: &'__a #krate::Delivery<'__a>,
                ) -> impl #krate::__private::Future<
                    Output = #krate::__private::Result<#krate::Handled, #krate::HookError>,
                > + #krate::__private::Send + '__a {
                    async move { #body }
                }
            }
    };
    let shields = local_shields(&hooks_impl);

    quote! {
        #item

        const _: () = {
            #overlap_errors

            #shields

            #hooks_impl
        };
    }
}

/// The locals that generated code binds, besides `__arg0`, `__arg1`, ...
const LOCAL_NAMES: &[&str] = &[
    "__delivery",
    "__payload",
    "__out",
    "__reply",
    "__future",
    "__message",
    "__whole",
    "__invalid",
    "__unclaimed",
    "__subset",
    "__call",
    "__arguments",
    "__error",
];

/// Declares a function named like each local that `hooks_impl` binds, to be
/// placed in the block around it.
///
/// A user's `struct __out;` or `const __out: u8` in the module would turn
/// `let __out = ..` into a pattern that matches that item. Name resolution
/// finds these functions first, and a `let` may shadow a function, so every
/// local stays a fresh binding. `Span::mixed_site()` on the locals would
/// not help: it hides them from the user's locals, but items in the module
/// still resolve at the call site.
fn local_shields(hooks_impl: &TokenStream) -> TokenStream {
    let mut names = std::collections::BTreeSet::new();
    collect_locals(hooks_impl, &mut names);
    let shields = names.into_iter().map(|name| {
        let ident = syn::Ident::new(&name, Span::call_site());
        quote! {
            #[allow(dead_code)]
            fn #ident() {}
        }
    });
    quote!(#(#shields)*)
}

fn collect_locals(tokens: &TokenStream, names: &mut std::collections::BTreeSet<String>) {
    for tree in tokens.clone() {
        match tree {
            proc_macro2::TokenTree::Ident(ident) if is_local(&ident) => {
                names.insert(ident.to_string());
            }
            proc_macro2::TokenTree::Group(group) => collect_locals(&group.stream(), names),
            _ => {}
        }
    }
}

fn is_local(ident: &proc_macro2::Ident) -> bool {
    let name = ident.to_string();
    let is_argument = name
        .strip_prefix("__arg")
        .is_some_and(|index| !index.is_empty() && index.bytes().all(|byte| byte.is_ascii_digit()));
    is_argument || LOCAL_NAMES.contains(&name.as_str())
}

/// The body of `handle`: a match on the event kind with one arm per
/// handled event, tool calls, and the catch-all.
fn dispatch(krate: &TokenStream, hooks: &HooksImpl) -> TokenStream {
    let tool_calls_handlers: Vec<&Handler> = hooks
        .handlers
        .iter()
        .filter(|handler| handler.event.kind == EventKind::ServerToolCalls)
        .collect();

    // Tool calls always go through `answer_tool_calls`, even with only an
    // `#[on(server.toolCalls)]` handler, so the reply has exactly one entry
    // per call, in request order, whatever the handler returned.
    let mut arms: Vec<TokenStream> = hooks
        .handlers
        .iter()
        .filter(|handler| handler.event.kind != EventKind::ServerToolCalls)
        .map(|handler| event_arm(krate, handler))
        .collect();
    if !hooks.tools.is_empty() || !tool_calls_handlers.is_empty() {
        arms.push(tools_arm(krate, &hooks.tools, &tool_calls_handlers));
    }
    let otherwise = unhandled_arms(krate, &hooks.unhandled);

    quote! {
        match __delivery.kind() {
            #(#arms)*
            #otherwise
        }
    }
}

fn payload_path(krate: &TokenStream, handler: &Handler) -> TokenStream {
    // Catalogue paths are written by `stringify!`, e.g. `client :: Transcript`.
    let payload: syn::Path = syn::parse_str(handler.event.payload)
        .expect("catalogue payload paths are valid Rust paths");
    quote!(#krate::events::#payload)
}

fn kind_path(krate: &TokenStream, kind: EventKind) -> TokenStream {
    let variant = format_ident!("{}", format!("{kind:?}"));
    quote!(#krate::EventKind::#variant)
}

/// The match arm of one `#[on(event)]` handler.
fn event_arm(krate: &TokenStream, handler: &Handler) -> TokenStream {
    let kind = kind_path(krate, handler.event.kind);
    let payload = payload_path(krate, handler);
    let call = handler_call(krate, &handler.method, &payload);
    let into_result = handler_result(krate, &handler.method, &payload);
    let cfgs = &handler.method.cfgs;

    quote! {
        #(#cfgs)*
        #krate::__private::Some(#kind) => {
            let mut __payload: #krate::__private::Option<#payload> = #krate::__private::None;
            let __out = #call;
            let __reply = #into_result?;
            #krate::__private::Ok(#krate::Handled::Reply(
                #krate::__private::into_checked_http_reply(__reply, __delivery),
            ))
        }
    }
}

/// Calls a handler with its parameters extracted from the delivery; the
/// payload comes from `__payload` when it is already decoded.
///
/// Routing reads the body only up to `type`, so once the parameters are
/// extracted the body is checked, which costs nothing when one of them was
/// the decoded payload. No handler runs on a malformed body.
fn handler_call(krate: &TokenStream, method: &Method, payload: &TokenStream) -> TokenStream {
    let this = Locals::at(method.ident.span()).this;
    let mut bindings = Vec::new();
    let mut args = Vec::new();
    for (index, ty) in method.inputs.iter().enumerate() {
        let Locals {
            delivery,
            payload: slot,
            ..
        } = Locals::at(ty.span());
        let binding = format_ident!("__arg{}", index);
        bindings.push(quote_spanned! {ty.span()=>
            let #binding = <#ty as #krate::HandlerArg<'_, #payload>>::from_delivery(#delivery, &mut #slot)?;
        });
        args.push(binding);
    }
    let delivery = Locals::at(method.ident.span()).delivery;
    let ident = &method.ident;
    let call = await_if_async(
        krate,
        method,
        quote_spanned!(ident.span()=> #this.#ident(#(#args),*)),
    );
    quote! {
        {
            #(#bindings)*
            #krate::__private::check_body(#delivery)?;
            #call
        }
    }
}

fn await_if_async(krate: &TokenStream, method: &Method, call: TokenStream) -> TokenStream {
    if !method.is_async {
        return call;
    }

    // The future is bound to a name located at the handler, and the crate
    // path takes that location too, so a non-`Send` future is reported at
    // the handler's name rather than at the attribute.
    let location = Span::call_site().located_at(method.ident.span());
    let future = syn::Ident::new("__future", location);
    let krate = respan(krate, location);
    quote! {
        {
            let #future = #call;
            #krate::__private::require_send(#future).await
        }
    }
}

/// Names that generated code binds, with the macro's own hygiene.
///
/// Code spanned on a user token takes that token's hygiene, so when a
/// `macro_rules!` supplies the method name, a bare `self` or `__out` in it
/// would no longer resolve. Interpolating these call-site tokens instead
/// keeps the user's span for error messages and the macro's for names.
struct Locals {
    this: TokenStream,
    delivery: syn::Ident,
    payload: syn::Ident,
    out: syn::Ident,
    call: syn::Ident,
    message: syn::Ident,
}

impl Locals {
    /// Builds the names with the macro's hygiene, located at `user` so a
    /// span joined from them still points at the user's token.
    fn at(user: Span) -> Self {
        let span = Span::call_site().located_at(user);
        let local = |name: &str| syn::Ident::new(name, span);
        Locals {
            this: syn::token::SelfValue(span).into_token_stream(),
            delivery: local("__delivery"),
            payload: local("__payload"),
            out: local("__out"),
            call: local("__call"),
            message: local("__message"),
        }
    }
}

/// Gives every token of `tokens` the span `span`.
fn respan(tokens: &TokenStream, span: Span) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|mut tree| {
            if let proc_macro2::TokenTree::Group(group) = &tree {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), respan(&group.stream(), span));
                inner.set_span(span);
                tree = proc_macro2::TokenTree::Group(inner);
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}

/// Converts a handler's return value, spanned on its return type.
fn handler_result(krate: &TokenStream, method: &Method, payload: &TokenStream) -> TokenStream {
    let span = return_span(method);
    let out = Locals::at(span).out;
    quote_spanned! {span=>
        #krate::__private::into_handler_result::<<#payload as #krate::Payload>::Reply, _>(#out)
    }
}

fn return_span(method: &Method) -> Span {
    match &method.output {
        Some(ty) => ty.span(),
        None => method.ident.span(),
    }
}

/// The tool-calls arm when `#[tool]` methods exist: each call goes to its
/// tool method; calls no tool claims go to the `#[on(server.toolCalls)]`
/// handler if there is one, or to whichever of its `#[cfg]` alternatives is
/// compiled in.
fn tools_arm(krate: &TokenStream, tools: &[Tool], tool_calls_handlers: &[&Handler]) -> TokenStream {
    let kind = kind_path(krate, EventKind::ServerToolCalls);
    let claims = tools.iter().map(|tool| tool_claim(krate, tool));
    let unclaimed = unclaimed_handler(krate, tool_calls_handlers);
    let whole = reads_whole_message(krate, tools, tool_calls_handlers);

    // With no tool methods, the arm exists only when a handler does.
    let arm_cfgs = if tools.is_empty() {
        match any_predicate(tool_calls_handlers.iter().map(|handler| &handler.method)) {
            Some(predicate) => quote!(#[cfg(#predicate)]),
            None => TokenStream::new(),
        }
    } else {
        TokenStream::new()
    };

    quote! {
        #arm_cfgs
        #krate::__private::Some(#kind) => {
            #whole
            // Calls that do not decode are set aside with an `error` entry
            // each, so one malformed call does not fail the others.
            let (__message, __invalid): (#krate::events::ToolCalls, #krate::__private::InvalidCalls) =
                #krate::__private::decode_tool_calls(__delivery, __whole)?;
            let __message = &__message;
            #unclaimed
            let __reply = #krate::__private::answer_tool_calls(
                __message,
                __delivery.tool_limits(),
                |__call| match __call.name() {
                    #(#claims)*
                    _ => #krate::__private::None,
                },
                __unclaimed,
            )
            .await;
            let __reply = #krate::__private::with_invalid_calls(__reply, __invalid);
            #krate::__private::Ok(#krate::Handled::Reply(
                #krate::__private::into_checked_http_reply(__reply, __delivery),
            ))
        }
    }
}

/// Binds `__whole` to whether anything compiled in reads more of a
/// tool-calls message than its calls and call id: a tool context whose
/// `ToolContext::READS_MESSAGE` is true, or an `#[on(server.toolCalls)]`
/// handler. Each term carries its method's `#[cfg]`, and the compiler
/// folds the result to a constant.
fn reads_whole_message(
    krate: &TokenStream,
    tools: &[Tool],
    tool_calls_handlers: &[&Handler],
) -> TokenStream {
    let contexts = tools.iter().flat_map(|tool| {
        let cfgs = &tool.method.cfgs;
        tool.method.inputs.iter().skip(1).map(move |ty| {
            quote! {
                #(#cfgs)*
                {
                    __whole |= <#ty as #krate::ToolContext<'_>>::READS_MESSAGE;
                }
            }
        })
    });
    let handlers = tool_calls_handlers.iter().map(|handler| {
        let cfgs = &handler.method.cfgs;
        quote! {
            #(#cfgs)*
            {
                __whole = true;
            }
        }
    });
    quote! {
        #[allow(unused_mut)]
        let mut __whole = false;
        #(#contexts)*
        #(#handlers)*
    }
}

/// Binds `__unclaimed` to the `#[on(server.toolCalls)]` handler as a
/// closure, one binding per `#[cfg]` alternative, or to `None` when no
/// handler is compiled in.
fn unclaimed_handler(krate: &TokenStream, handlers: &[&Handler]) -> TokenStream {
    let mut bindings = TokenStream::new();
    for handler in handlers {
        let payload = payload_path(krate, handler);
        let call = handler_call(krate, &handler.method, &payload);
        let into_result = handler_result(krate, &handler.method, &payload);
        let cfgs = &handler.method.cfgs;
        bindings.extend(quote! {
            #(#cfgs)*
            let __unclaimed = #krate::__private::Some(move |__subset: #payload| async move {
                let mut __payload: #krate::__private::Option<#payload> =
                    #krate::__private::Some(__subset);
                let __out = #call;
                #into_result
            });
        });
    }

    // A handler compiled out leaves its calls to the tools, or unanswered,
    // as if it were not written.
    let no_handler = quote! {
        let __unclaimed = #krate::__private::None::<#krate::__private::NoToolCallsHandler>;
    };
    match any_predicate(handlers.iter().map(|handler| &handler.method)) {
        Some(predicate) => bindings.extend(quote! {
            #[cfg(not(#predicate))]
            #no_handler
        }),
        None if handlers.is_empty() => bindings.extend(no_handler),
        None => {}
    }
    bindings
}

/// Returns `any(A, B, ..)` of the methods' `#[cfg]` conditions: the
/// condition under which one of them is compiled in. `None` when there are
/// no methods or one of them has no `#[cfg]`, so one is always compiled in.
fn any_predicate<'a>(methods: impl IntoIterator<Item = &'a Method>) -> Option<TokenStream> {
    let predicates: Option<Vec<TokenStream>> =
        methods.into_iter().map(Method::cfg_predicate).collect();
    match predicates {
        Some(predicates) if !predicates.is_empty() => Some(quote!(any(#(#predicates),*))),
        _ => None,
    }
}

/// One `"name" => Some(task)` arm of the tool dispatch.
fn tool_claim(krate: &TokenStream, tool: &Tool) -> TokenStream {
    let name = &tool.attr.name;
    let timeout = match tool.attr.timeout_ms {
        Some(millis) => {
            quote!(#krate::__private::Some(#krate::__private::Duration::from_millis(#millis)))
        }
        None => quote!(#krate::__private::None),
    };
    let method = &tool.method;
    let this = Locals::at(method.ident.span()).this;
    let out = Locals::at(return_span(method)).out;

    let mut bindings = Vec::new();
    let mut args = Vec::new();
    for (index, ty) in method.inputs.iter().enumerate() {
        let binding = format_ident!("__arg{}", index);
        let Locals {
            delivery,
            call: call_ident,
            message,
            ..
        } = Locals::at(ty.span());
        let value = if index == 0 {
            quote_spanned! {ty.span()=>
                match #krate::__private::tool_arguments::<#ty>(#call_ident) {
                    #krate::__private::Ok(__arguments) => __arguments,
                    #krate::__private::Err(__error) => return #krate::__private::Err(__error),
                }
            }
        } else {
            quote_spanned! {ty.span()=>
                <#ty as #krate::ToolContext<'_>>::from_tool_call(#call_ident, #message, #delivery)
            }
        };
        bindings.push(quote!(let #binding: #ty = #value;));
        args.push(binding);
    }

    let ident = &method.ident;
    let call = await_if_async(
        krate,
        method,
        quote_spanned!(ident.span()=> #this.#ident(#(#args),*)),
    );
    let span = return_span(method);
    let output = quote_spanned! {span=> #krate::__private::into_tool_output(#out)};
    let cfgs = &method.cfgs;

    quote! {
        #(#cfgs)*
        #name => #krate::__private::Some(#krate::__private::ToolTask::new(#timeout, async move {
            #(#bindings)*
            let __out = #call;
            #output
        })),
    }
}

/// Returns the arms for deliveries no handler takes: one per
/// `#[on(unhandled)]` method, under that method's `#[cfg]`, and one that
/// leaves deliveries unhandled when none of them is compiled in.
fn unhandled_arms(krate: &TokenStream, unhandled: &[Unhandled]) -> TokenStream {
    let mut arms = TokenStream::new();
    for catch_all in unhandled {
        let body = unhandled_body(krate, &catch_all.method);
        let cfgs = &catch_all.method.cfgs;
        arms.extend(quote! {
            #(#cfgs)*
            _ => { #body }
        });
    }

    let not_handled = quote!(_ => #krate::__private::Ok(#krate::Handled::NotHandled),);
    match any_predicate(unhandled.iter().map(|catch_all| &catch_all.method)) {
        Some(predicate) => arms.extend(quote! {
            #[cfg(not(#predicate))]
            #not_handled
        }),
        None if unhandled.is_empty() => arms.extend(not_handled),
        None => {}
    }
    arms
}

/// Returns the body of the arm that calls the `#[on(unhandled)]` method.
fn unhandled_body(krate: &TokenStream, method: &Method) -> TokenStream {
    let this = Locals::at(method.ident.span()).this;
    let out = Locals::at(return_span(method)).out;
    let args = method.inputs.iter().map(|ty| {
        let delivery = Locals::at(ty.span()).delivery;
        quote_spanned!(ty.span()=> #delivery)
    });
    let ident = &method.ident;
    let call = await_if_async(
        krate,
        method,
        quote_spanned!(ident.span()=> #this.#ident(#(#args),*)),
    );
    let span = return_span(method);
    let into_result = quote_spanned! {span=>
        #krate::__private::into_handler_result::<(), _>(#out)
    };
    let delivery = Locals::at(method.ident.span()).delivery;
    quote! {
        // A catch-all handler takes every delivery, so its body is checked
        // like any handled one.
        #krate::__private::check_body(#delivery)?;
        let __out = #call;
        #into_result?;
        #krate::__private::Ok(#krate::Handled::Reply(#krate::HttpReply::empty()))
    }
}
