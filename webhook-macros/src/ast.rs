//! The macro's model of a hooks impl: which methods handle which events and
//! tools, with our attributes stripped from the user's code.

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
    pub(crate) unhandled: Option<Method>,
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
}

/// An `#[on(event)]` method.
pub(crate) struct Handler {
    pub(crate) event: &'static EventDef,
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
    let mut unhandled: Option<Method> = None;

    for impl_item in &mut item.items {
        let ImplItem::Fn(function) = impl_item else {
            continue;
        };
        let (on_attrs, tool_attrs) = take_our_attrs(function);

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
                OnTarget::Unhandled => {
                    if let Some(first) = &unhandled {
                        cx.error_spanned_by(
                            on,
                            format!("`#[on(unhandled)]` is already on `{}`; only one method may take unhandled deliveries", first.ident),
                        );
                    } else {
                        unhandled = Some(method);
                    }
                }
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
        let inputs = sig
            .inputs
            .iter()
            .filter_map(|input| match input {
                FnArg::Typed(pat_type) => Some((*pat_type.ty).clone()),
                FnArg::Receiver(_) => None,
            })
            .collect();
        let output = match &sig.output {
            ReturnType::Default => None,
            ReturnType::Type(_, ty) => Some((**ty).clone()),
        };
        Method {
            ident: sig.ident.clone(),
            is_async: sig.asyncness.is_some(),
            inputs,
            output,
            sig: sig.clone(),
        }
    }
}
