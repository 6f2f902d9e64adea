//! The macro's model of a hooks impl: which methods handle which events and
//! tools, with our attributes stripped from the user's code.

use syn::visit_mut::VisitMut;
use syn::{FnArg, ImplItem, ImplItemFn, ItemImpl, ReturnType, Type};
use webhook_catalogue::EventDef;

use crate::attr::{self, OnTarget, ToolAttr};
use crate::ctxt::Ctxt;

/// A parsed `#[webhook_hooks]` impl.
pub(crate) struct HooksImpl {
    /// The user's impl block, without `#[on]` and `#[tool]` attributes.
    pub(crate) item: ItemImpl,
    pub(crate) handlers: Vec<Handler>,
    pub(crate) tools: Vec<Tool>,
    /// The `#[on(unhandled)]` methods: one, or one per `#[cfg]` condition.
    pub(crate) unhandled: Vec<Unhandled>,
}

/// The parts of a method that generated code needs.
pub(crate) struct Method {
    pub(crate) ident: syn::Ident,
    pub(crate) is_async: bool,
    /// Parameter types after the receiver.
    pub(crate) inputs: Vec<Type>,
    /// The return type as written, `None` for `()`.
    pub(crate) output: Option<Type>,
    /// The method's signature, for error spans.
    pub(crate) sig: syn::Signature,
    /// The method's `#[cfg(...)]` attributes, repeated on the generated code
    /// that calls it, so that code disappears with the method.
    pub(crate) cfgs: Vec<syn::Attribute>,
}

impl Method {
    /// Returns the one condition all of the method's `#[cfg]` attributes
    /// make together, or `None` when it has none.
    pub(crate) fn cfg_predicate(&self) -> Option<proc_macro2::TokenStream> {
        let predicates: Vec<proc_macro2::TokenStream> = self
            .cfgs
            .iter()
            .filter_map(|attr| attr.meta.require_list().ok())
            .map(|list| list.tokens.clone())
            .collect();
        if predicates.is_empty() {
            None
        } else {
            Some(quote::quote!(all(#(#predicates),*)))
        }
    }
}

/// An `#[on(event)]` method.
pub(crate) struct Handler {
    pub(crate) event: &'static EventDef,
    pub(crate) method: Method,
    /// The attribute, for error spans.
    pub(crate) attr: syn::Attribute,
}

/// An `#[on(unhandled)]` method.
pub(crate) struct Unhandled {
    pub(crate) method: Method,
    /// The attribute, for error spans.
    pub(crate) attr: syn::Attribute,
}

/// A `#[tool("name")]` method.
pub(crate) struct Tool {
    pub(crate) attr: ToolAttr,
    pub(crate) method: Method,
}

/// Reads the impl, records attribute errors in `cx`, and strips our
/// attributes so the user's code can be emitted unchanged otherwise.
pub(crate) fn parse(cx: &Ctxt, mut item: ItemImpl) -> HooksImpl {
    let mut handlers = Vec::new();
    let mut tools = Vec::new();
    let mut unhandled = Vec::new();

    for impl_item in &mut item.items {
        let ImplItem::Fn(function) = impl_item else {
            reject_markers_off_methods(cx, impl_item);
            continue;
        };
        let (on_attrs, tool_attrs) = take_our_attrs(function);
        reject_conditional_markers(cx, function);

        if !on_attrs.is_empty() && !tool_attrs.is_empty() {
            cx.error_spanned_by(
                &tool_attrs[0],
                format!(
                    "`{}` has both `#[on(...)]` and `#[tool(...)]`; a method answers either an event or one tool",
                    function.sig.ident
                ),
            );
            continue;
        }
        for extra in on_attrs.iter().skip(1).chain(tool_attrs.iter().skip(1)) {
            cx.error_spanned_by(
                extra,
                format!(
                    "`{}` has more than one handler attribute; give each event or tool its own method",
                    function.sig.ident
                ),
            );
        }

        if let Some(on) = on_attrs.first() {
            let Some(target) = attr::parse_on(cx, on) else {
                continue;
            };
            let method = Method::from_fn(function);
            match target {
                OnTarget::Event(event) => handlers.push(Handler {
                    event,
                    method,
                    attr: on.clone(),
                }),
                OnTarget::Unhandled => unhandled.push(Unhandled {
                    method,
                    attr: on.clone(),
                }),
            }
        } else if let Some(tool) = tool_attrs.first() {
            if let Some(attr) = attr::parse_tool(cx, tool) {
                tools.push(Tool {
                    attr,
                    method: Method::from_fn(function),
                });
            }
        }
    }

    HooksImpl {
        item,
        handlers,
        tools,
        unhandled,
    }
}

/// Reports and removes `#[on]` and `#[tool]` on an associated const, type
/// or macro call, so the user sees where the marker goes instead of the
/// compiler's "cannot find attribute".
fn reject_markers_off_methods(cx: &Ctxt, impl_item: &mut ImplItem) {
    let (attrs, kind) = match impl_item {
        ImplItem::Const(constant) => (&mut constant.attrs, "an associated const"),
        ImplItem::Type(alias) => (&mut alias.attrs, "an associated type"),
        ImplItem::Macro(call) => (&mut call.attrs, "a macro call"),
        _ => return,
    };
    attrs.retain(|attr| {
        let marker = if attr.path().is_ident("on") {
            "on"
        } else if attr.path().is_ident("tool") {
            "tool"
        } else {
            return true;
        };
        cx.error_spanned_by(
            attr,
            format!("`#[{marker}]` goes on a method, not on {kind}"),
        );
        false
    });
}

/// Reports and removes `#[cfg_attr(.., on(..))]` and
/// `#[cfg_attr(.., tool(..))]`: the compiler expands them after this macro
/// runs, so the marker would never be read, and removing them spares a
/// second error about an unknown attribute. `#[cfg]` on the method does
/// what they mean.
fn reject_conditional_markers(cx: &Ctxt, function: &mut ImplItemFn) {
    let ident = function.sig.ident.clone();
    function.attrs.retain(|attr| {
        if !attr.path().is_ident("cfg_attr") {
            return true;
        }
        let Ok(parts) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
        ) else {
            return true;
        };
        let ours = parts
            .iter()
            .skip(1)
            .any(|meta| meta.path().is_ident("on") || meta.path().is_ident("tool"));
        if ours {
            cx.error_spanned_by(
                attr,
                format!(
                    "`#[cfg_attr(..)]` cannot add `#[on]` or `#[tool]` to `{ident}`, because it is expanded after `#[webhook_hooks]`; put `#[cfg(..)]` on the method instead"
                ),
            );
        }
        !ours
    });
}

fn take_our_attrs(function: &mut ImplItemFn) -> (Vec<syn::Attribute>, Vec<syn::Attribute>) {
    let mut on = Vec::new();
    let mut tool = Vec::new();
    function.attrs.retain(|attr| {
        if attr.path().is_ident("on") {
            on.push(attr.clone());
            false
        } else if attr.path().is_ident("tool") {
            tool.push(attr.clone());
            false
        } else {
            true
        }
    });
    (on, tool)
}

impl Method {
    fn from_fn(function: &ImplItemFn) -> Method {
        let sig = &function.sig;
        // Generated code names the parameter types outside the method, where
        // its own lifetime parameters do not exist, so they become `'_`.
        let mut erase = EraseLifetimes {
            names: sig
                .generics
                .lifetimes()
                .map(|param| param.lifetime.ident.clone())
                .collect(),
        };
        let inputs = sig
            .inputs
            .iter()
            .filter_map(|input| match input {
                FnArg::Typed(pat_type) => {
                    let mut ty = (*pat_type.ty).clone();
                    erase.visit_type_mut(&mut ty);
                    Some(ty)
                }
                FnArg::Receiver(_) => None,
            })
            .collect();
        let output = match &sig.output {
            ReturnType::Default => None,
            ReturnType::Type(_, ty) => Some((**ty).clone()),
        };

        // `fn f(&self) -> impl Future<Output = R>` is awaited like
        // `async fn f(&self) -> R`, and its `R` is checked as the reply.
        // An `async fn` that returns a future is left alone: its reply type
        // is the future, which the reply check then reports.
        let future_output = match sig.asyncness {
            Some(_) => None,
            None => output.as_ref().and_then(future_output),
        };
        let is_async = sig.asyncness.is_some() || future_output.is_some();
        let output = future_output.or(output);

        Method {
            ident: sig.ident.clone(),
            is_async,
            inputs,
            output,
            sig: sig.clone(),
            cfgs: function
                .attrs
                .iter()
                .filter(|attr| attr.path().is_ident("cfg"))
                .cloned()
                .collect(),
        }
    }
}

/// Replaces the named lifetimes with `'_`.
struct EraseLifetimes {
    names: Vec<syn::Ident>,
}

impl VisitMut for EraseLifetimes {
    fn visit_lifetime_mut(&mut self, lifetime: &mut syn::Lifetime) {
        if self.names.contains(&lifetime.ident) {
            *lifetime = syn::Lifetime::new("'_", lifetime.span());
        }
    }
}

/// Returns `R` when `ty` is `impl Future<Output = R>`, with or without more
/// bounds such as `Send` or a lifetime.
fn future_output(ty: &Type) -> Option<Type> {
    let Type::ImplTrait(impl_trait) = ty else {
        return None;
    };
    impl_trait.bounds.iter().find_map(|bound| {
        let syn::TypeParamBound::Trait(bound) = bound else {
            return None;
        };
        let last = bound.path.segments.last()?;
        if last.ident != "Future" {
            return None;
        }
        let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
            return None;
        };
        arguments.args.iter().find_map(|argument| match argument {
            syn::GenericArgument::AssocType(assoc) if assoc.ident == "Output" => {
                Some(assoc.ty.clone())
            }
            _ => None,
        })
    })
}
