//! Rules a hooks impl must follow that the attribute parser cannot see.
//! Each check records its errors and never stops the others.

use std::collections::{HashMap, HashSet};

use quote::ToTokens;
use syn::FnArg;

use webhook_catalogue::EventKind;

use crate::ast::{HooksImpl, Method};
use crate::ctxt::Ctxt;

/// Runs every check on a parsed impl.
pub(crate) fn check(cx: &Ctxt, hooks: &HooksImpl) {
    for handler in &hooks.handlers {
        check_method(cx, &handler.method);
        check_handler_arity(cx, &handler.method);
        if handler.event.kind == EventKind::ServerToolCalls {
            check_tool_calls_takes_payload(cx, &handler.method);
        }
    }
    for tool in &hooks.tools {
        check_method(cx, &tool.method);
        check_tool_arguments(cx, &tool.method);
    }
    for unhandled in &hooks.unhandled {
        check_method(cx, &unhandled.method);
        check_unhandled_arity(cx, &unhandled.method);
    }
    check_duplicate_events(cx, hooks);
    check_duplicate_tools(cx, hooks);
    check_duplicate_unhandled(cx, hooks);
    check_impl_is_plain(cx, hooks);
}

/// A handler takes `&self`, has no generic parameters, and is not `unsafe`,
/// `extern` or variadic, because generated code calls it on a shared
/// reference with concrete arguments while other deliveries run.
fn check_method(cx: &Ctxt, method: &Method) {
    let sig = &method.sig;
    let name = &sig.ident;

    match sig.inputs.first() {
        Some(FnArg::Receiver(receiver)) if is_shared_self(receiver) => {}
        Some(FnArg::Receiver(receiver)) if is_mut_self(receiver) => cx.error_spanned_by(
            receiver,
            format!("handler `{name}` must take `&self`, not `&mut self`; deliveries run concurrently, so keep mutable state behind a `Mutex` or an atomic"),
        ),
        Some(FnArg::Receiver(receiver)) => cx.error_spanned_by(
            receiver,
            format!("handler `{name}` must take `&self`; deliveries share one hooks value, so it cannot be taken by value"),
        ),
        _ => cx.error_spanned_by(
            &sig.ident,
            format!("handler `{name}` has no receiver; add `&self` as its first parameter"),
        ),
    }

    // A `where` clause adds no parameters, so it is left to the compiler.
    for param in &sig.generics.params {
        if !matches!(param, syn::GenericParam::Lifetime(_)) {
            cx.error_spanned_by(
                param,
                format!(
                    "handler `{name}` cannot have type or const parameters; generated code calls it with concrete types"
                ),
            );
        }
    }
    if let Some(unsafety) = &sig.unsafety {
        cx.error_spanned_by(unsafety, format!("handler `{name}` cannot be `unsafe`"));
    }
    if let Some(abi) = &sig.abi {
        cx.error_spanned_by(abi, format!("handler `{name}` cannot have an `extern` ABI"));
    }
    if let Some(variadic) = &sig.variadic {
        cx.error_spanned_by(variadic, format!("handler `{name}` cannot be variadic"));
    }
}

/// The context types a tool may take after its arguments.
const TOOL_CONTEXT_TYPES: [&str; 4] = ["ToolCall", "ToolCalls", "Delivery", "HeaderMap"];

/// Rejects a tool whose first parameter, its arguments, is a reference.
/// Arguments are decoded into an owned value, so `&str` fails deep inside
/// serde's bounds. A context type such as `&ToolCall` in first place means
/// the arguments parameter is missing, and rustc would suggest dropping the
/// `&`, which decodes the arguments as a `ToolCall`.
fn check_tool_arguments(cx: &Ctxt, method: &Method) {
    let Some(syn::Type::Reference(reference)) = method.inputs.first() else {
        return;
    };
    let name = &method.ident;
    let referenced = &reference.elem;
    let context_type = match &**referenced {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .map(|segment| segment.ident.to_string())
            .filter(|ident| TOOL_CONTEXT_TYPES.contains(&ident.as_str())),
        _ => None,
    };

    let message = match context_type {
        Some(context) => format!(
            "tool `{name}` takes its arguments first: add a parameter for them before `&{context}` (`_args: serde_json::Value` when the tool reads none)"
        ),
        None => format!(
            "tool `{name}` cannot borrow its arguments, because they are decoded into a value of their own: take `{}` instead",
            owned_form(referenced)
        ),
    };
    cx.error_spanned_by(reference, message);
}

/// Returns the owned type to suggest for a borrowed `ty`: `String` for
/// `str`, `PathBuf` for `Path`, `Vec<T>` for `[T]`, `ty` itself otherwise.
fn owned_form(ty: &syn::Type) -> String {
    let unsized_name = match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|last| last.ident.to_string()),
        _ => None,
    };
    match (ty, unsized_name.as_deref()) {
        (_, Some("str")) => "String".to_owned(),
        (_, Some("Path")) => "PathBuf".to_owned(),
        (syn::Type::Slice(slice), _) => format!("Vec<{}>", type_text(&slice.elem)),
        _ => type_text(ty),
    }
}

/// Writes a type as a person would, without the spaces token streams put
/// around `::`, `<`, `>` and `,`.
fn type_text(ty: &syn::Type) -> String {
    ty.to_token_stream()
        .to_string()
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
}

/// Returns whether the receiver is `&self`, `&'a self` or `self: &T`.
/// rustc accepts `self: &T` only when `T` is the impl's type (`Self`,
/// `Hooks`, `Hooks<'_>`, `self::Hooks`), so any shared reference is taken
/// here and rustc reports a wrong `T`.
fn is_shared_self(receiver: &syn::Receiver) -> bool {
    match (&receiver.reference, &receiver.colon_token) {
        (Some(_), None) => receiver.mutability.is_none(),
        (None, Some(_)) => matches!(
            &*receiver.ty,
            syn::Type::Reference(reference) if reference.mutability.is_none()
        ),
        _ => false,
    }
}

/// Returns whether the receiver is `&mut self` or `self: &mut Self`.
fn is_mut_self(receiver: &syn::Receiver) -> bool {
    match (&receiver.reference, &receiver.colon_token) {
        (Some(_), None) => receiver.mutability.is_some(),
        (None, Some(_)) => matches!(
            &*receiver.ty,
            syn::Type::Reference(reference) if reference.mutability.is_some()
        ),
        _ => false,
    }
}

/// Rejects an event handler with more than three parameters after `&self`,
/// the maximum it needs (payload or `Message<T>`, `&Delivery`,
/// `&HeaderMap`), a second parameter by value, and a reference type written
/// twice, because each would only get the same value again.
fn check_handler_arity(cx: &Ctxt, method: &Method) {
    if method.inputs.len() > 3 {
        cx.error_spanned_by(
            &method.sig.inputs,
            format!(
                "handler `{}` takes too many parameters; expected at most the payload (or `Message<T>`), `&Delivery` and `&HeaderMap`",
                method.ident
            ),
        );
    }

    // The payload (or `Message<T>`, which decodes the same message) is the
    // only parameter a handler takes by value, so a second one by value
    // decodes the message twice, even under an alias that the comparison of
    // names below cannot see.
    let mut by_value = method.inputs.iter().filter(|ty| !is_reference(ty));
    if by_value.next().is_some() {
        for ty in by_value {
            cx.error_spanned_by(
                ty,
                format!(
                    "handler `{}` takes a second parameter by value; a handler takes the payload (or `Message<T>`) by value once, and `&Delivery` and `&HeaderMap` by reference",
                    method.ident
                ),
            );
        }
    }

    let mut seen = HashSet::new();
    for ty in method.inputs.iter().filter(|ty| is_reference(ty)) {
        if !seen.insert(parameter_type_key(ty)) {
            cx.error_spanned_by(
                ty,
                format!(
                    "handler `{}` takes this parameter type twice; give each of the payload, `&Delivery` and `&HeaderMap` once",
                    method.ident
                ),
            );
        }
    }
}

/// Rejects `Message<T>` on an `#[on(server.toolCalls)]` handler. That
/// handler gets the calls no `#[tool]` method claims, as a `ToolCalls`,
/// while `Message<T>` would decode the whole message, claimed calls too.
///
/// The check goes by the last path segment, so an alias of `Message` passes
/// it. The compiler still rejects the alias: `ToolCalls` does not implement
/// the bound of `Message`'s `HandlerArg` impl. This check comes first to
/// give the clearer message.
fn check_tool_calls_takes_payload(cx: &Ctxt, method: &Method) {
    for ty in &method.inputs {
        if last_segment(ty).as_deref() == Some("Message") {
            cx.error_spanned_by(
                ty,
                format!(
                    "tool-calls handler `{}` cannot take `Message<T>`: it receives the calls that no `#[tool]` method claims, so take `ToolCalls`",
                    method.ident
                ),
            );
        }
    }
}

/// Returns the last path segment's name of `ty`, looking through
/// parentheses and the groups that `macro_rules!` macros add.
fn last_segment(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Paren(paren) => last_segment(&paren.elem),
        syn::Type::Group(group) => last_segment(&group.elem),
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .map(|segment| segment.ident.to_string()),
        _ => None,
    }
}

/// Returns whether `ty` is a reference, also when a `macro_rules!` macro or
/// parentheses wrap it.
fn is_reference(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(_) => true,
        syn::Type::Paren(paren) => is_reference(&paren.elem),
        syn::Type::Group(group) => is_reference(&group.elem),
        _ => false,
    }
}

/// Returns the text by which two parameter types count as the same: the
/// type without lifetimes, with each path cut to its last segment, so
/// `&Delivery`, `&'a Delivery<'a>` and `&webhook_core::Delivery<'_>` match.
///
/// The compiler cannot be asked at this stage. Cutting paths is safe here
/// because the types a handler may take (the payload, `&Delivery` and
/// `&HeaderMap`) have different last segments.
fn parameter_type_key(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Reference(reference) => {
            let mutability = if reference.mutability.is_some() {
                "mut "
            } else {
                ""
            };
            format!("&{mutability}{}", parameter_type_key(&reference.elem))
        }
        syn::Type::Paren(paren) => parameter_type_key(&paren.elem),
        syn::Type::Group(group) => parameter_type_key(&group.elem),
        syn::Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return String::new();
            };
            let mut key = last.ident.to_string();
            if let syn::PathArguments::AngleBracketed(arguments) = &last.arguments {
                let types: Vec<String> = arguments
                    .args
                    .iter()
                    .filter_map(|argument| match argument {
                        syn::GenericArgument::Type(inner) => Some(parameter_type_key(inner)),
                        _ => None,
                    })
                    .collect();
                if !types.is_empty() {
                    key = format!("{key}<{}>", types.join(", "));
                }
            }
            key
        }
        other => other.to_token_stream().to_string(),
    }
}

/// Rejects a catch-all with more than one parameter (`&Delivery`) after `&self`.
fn check_unhandled_arity(cx: &Ctxt, method: &Method) {
    if method.inputs.len() > 1 {
        cx.error_spanned_by(
            &method.sig.inputs,
            format!(
                "`#[on(unhandled)]` method `{}` takes at most one parameter, `&Delivery<'_>`",
                method.ident
            ),
        );
    }
}

/// Reports a second handler of the same event, naming the first.
fn check_duplicate_events(cx: &Ctxt, hooks: &HooksImpl) {
    let mut seen: HashMap<_, Vec<&crate::ast::Handler>> = HashMap::new();
    for handler in &hooks.handlers {
        let key = (handler.event.namespace, handler.event.method);
        let earlier = seen.entry(key).or_default();
        if let Some(first) = earlier
            .iter()
            .find(|first| !are_alternatives(&first.method, &handler.method))
        {
            cx.error_spanned_by(
                &handler.attr,
                format!(
                    "`{}.{}` is already handled by `{}`; an event has one handler (or one per `#[cfg]` condition)",
                    handler.event.namespace.as_str(),
                    handler.event.method,
                    first.method.ident
                ),
            );
        }
        earlier.push(handler);
    }
}

/// Reports a second method for the same tool name, naming the first.
fn check_duplicate_tools(cx: &Ctxt, hooks: &HooksImpl) {
    let mut seen: HashMap<String, Vec<&crate::ast::Tool>> = HashMap::new();
    for tool in &hooks.tools {
        let name = tool.attr.name.value();
        let earlier = seen.entry(name.clone()).or_default();
        if let Some(first) = earlier
            .iter()
            .find(|first| !are_alternatives(&first.method, &tool.method))
        {
            cx.error_spanned_by(
                &tool.attr.name,
                format!(
                    "tool `{name}` is already answered by `{}`; a tool has one method (or one per `#[cfg]` condition)",
                    first.method.ident
                ),
            );
        }
        earlier.push(tool);
    }
}

/// Reports a second `#[on(unhandled)]` method, naming the first.
fn check_duplicate_unhandled(cx: &Ctxt, hooks: &HooksImpl) {
    for (index, second) in hooks.unhandled.iter().enumerate() {
        if let Some(first) = hooks.unhandled[..index]
            .iter()
            .find(|first| !are_alternatives(&first.method, &second.method))
        {
            cx.error_spanned_by(
                &second.attr,
                format!(
                    "`#[on(unhandled)]` is already on `{}`; one method takes unhandled deliveries (or one per `#[cfg]` condition)",
                    first.method.ident
                ),
            );
        }
    }
}

/// Returns whether two methods for the same event or tool are alternatives:
/// both under `#[cfg]`, with different conditions. Whether both conditions
/// can hold is left to the compiler, through the errors `overlap` emits.
pub(crate) fn are_alternatives(first: &crate::ast::Method, second: &crate::ast::Method) -> bool {
    let (Some(first), Some(second)) = (first.cfg_predicate(), second.cfg_predicate()) else {
        return false;
    };
    first.to_string() != second.to_string()
}

/// Rejects the attribute on a trait impl, because it goes on an inherent impl.
fn check_impl_is_plain(cx: &Ctxt, hooks: &HooksImpl) {
    if let Some((_, path, _)) = &hooks.item.trait_ {
        cx.error_spanned_by(
            path,
            "`#[webhook_hooks]` goes on an inherent `impl Type { ... }` block, not a trait impl",
        );
    }
    check_impl_borrows_nothing(cx, hooks);
}

/// The reason a hooks type may not borrow, for the errors below.
const HOOKS_ARE_STATIC: &str = "deliveries run on their own tasks, so a hooks type must be `'static`: keep owned data or an `Arc` in it";

/// Returns whether the impl is for a type that borrows (a lifetime
/// parameter, or `'_` in the type), which no `Hooks` impl can be written
/// for, not even the fallback that handles nothing.
pub(crate) fn impl_borrows(hooks: &HooksImpl) -> bool {
    hooks.item.generics.lifetimes().next().is_some()
        || find_elided_lifetime(hooks.item.self_ty.to_token_stream()).is_some()
}

/// Rejects an impl for a type that borrows: a lifetime parameter on the
/// impl, or `'_` in its type. `Hooks` requires `'static`, and rustc's own
/// errors for this point into the generated code.
fn check_impl_borrows_nothing(cx: &Ctxt, hooks: &HooksImpl) {
    for lifetime in hooks.item.generics.lifetimes() {
        cx.error_spanned_by(
            &lifetime.lifetime,
            format!("`#[webhook_hooks]` cannot take a lifetime parameter; {HOOKS_ARE_STATIC}"),
        );
    }

    if let Some(elided) = find_elided_lifetime(hooks.item.self_ty.to_token_stream()) {
        cx.error_spanned_by(
            elided,
            format!(
                "`#[webhook_hooks]` cannot implement a type with an elided lifetime; {HOOKS_ARE_STATIC}"
            ),
        );
    }
}

/// Returns the first `'_` in `tokens`, as the tokens of that lifetime.
fn find_elided_lifetime(tokens: proc_macro2::TokenStream) -> Option<proc_macro2::TokenStream> {
    use proc_macro2::TokenTree;

    let mut previous: Option<proc_macro2::Punct> = None;
    for tree in tokens {
        match &tree {
            TokenTree::Ident(ident) if ident == "_" => {
                if let Some(quote) = previous.take().filter(|punct| punct.as_char() == '\'') {
                    return Some([TokenTree::Punct(quote), tree].into_iter().collect());
                }
            }
            TokenTree::Group(group) => {
                if let Some(found) = find_elided_lifetime(group.stream()) {
                    return Some(found);
                }
            }
            _ => {}
        }
        previous = match tree {
            TokenTree::Punct(punct) => Some(punct),
            _ => None,
        };
    }
    None
}
