//! Errors for `#[cfg]` alternatives that can be compiled in together.
//!
//! One event, tool or catch-all may have several methods when each has its
//! own `#[cfg]` condition. The macro cannot evaluate those conditions, and
//! conditions that differ in text can still hold together (`unix` and
//! `target_os = "linux"`), so for each pair it emits
//! `#[cfg(all(A, B))] compile_error!(..)`: the compiler then reports the
//! pair exactly when both methods are compiled in.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::ast::{HooksImpl, Method};
use crate::check;

/// One method that takes a route (an event, a tool name or unhandled
/// deliveries), with the tokens its error points at.
struct Route<'a> {
    /// The verb phrase for messages, e.g. ``handle `server.hang` ``.
    takes: String,
    method: &'a Method,
    marker: TokenStream,
}

/// Returns one conditional `compile_error!` for each pair of methods that
/// take the same route under different `#[cfg]` conditions.
///
/// Pairs where a method has no `#[cfg]`, or both have the same condition,
/// are rejected earlier by `check`, so they are left out here.
pub(crate) fn overlap_errors(hooks: &HooksImpl) -> TokenStream {
    let mut routes: Vec<Route<'_>> = Vec::new();
    for handler in &hooks.handlers {
        routes.push(Route {
            takes: format!(
                "handle `{}.{}`",
                handler.event.namespace.as_str(),
                handler.event.method
            ),
            method: &handler.method,
            marker: handler.attr.to_token_stream(),
        });
    }
    for tool in &hooks.tools {
        routes.push(Route {
            takes: format!("answer tool `{}`", tool.attr.name.value()),
            method: &tool.method,
            marker: tool.attr.name.to_token_stream(),
        });
    }
    for unhandled in &hooks.unhandled {
        routes.push(Route {
            takes: "take unhandled deliveries".to_owned(),
            method: &unhandled.method,
            marker: unhandled.attr.to_token_stream(),
        });
    }

    let mut errors = TokenStream::new();
    for (index, second) in routes.iter().enumerate() {
        for first in routes[..index]
            .iter()
            .filter(|first| first.takes == second.takes)
        {
            errors.extend(overlap_error(first, second));
        }
    }
    errors
}

/// Returns `#[cfg(all(A, B))] compile_error!(..)` on the second method's
/// marker, or nothing unless the two are alternatives in the sense of
/// `check::are_alternatives` (the other pairs get `check`'s errors).
fn overlap_error(first: &Route<'_>, second: &Route<'_>) -> TokenStream {
    if !check::are_alternatives(first.method, second.method) {
        return TokenStream::new();
    }
    let (Some(first_cfg), Some(second_cfg)) =
        (first.method.cfg_predicate(), second.method.cfg_predicate())
    else {
        return TokenStream::new();
    };

    let message = format!(
        "`{}` and `{}` both {} when their `#[cfg]` conditions hold together; make the conditions exclusive, e.g. `cfg(unix)` and `cfg(not(unix))`",
        first.method.ident, second.method.ident, second.takes
    );
    let error = syn::Error::new_spanned(&second.marker, message).to_compile_error();
    quote! {
        #[cfg(all(#first_cfg, #second_cfg))]
        #error
    }
}
