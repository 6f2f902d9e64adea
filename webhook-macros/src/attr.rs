//! Parsing of the attributes this macro reads: `#[on(...)]` on event
//! handlers and `#[tool(...)]` on tool methods.

use proc_macro2::{TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::{Ident, LitInt, LitStr, Token};
use webhook_catalogue::{EventDef, Namespace};

use crate::ctxt::Ctxt;
use crate::suggest;

/// What an `#[on(...)]` attribute names.
pub(crate) enum OnTarget {
    /// A catalogue event, e.g. `server.toolCalls`.
    Event(&'static EventDef),
    /// The catch-all for every delivery no other handler takes.
    Unhandled,
}

/// A parsed `#[tool("name", timeout_ms = N)]`.
pub(crate) struct ToolAttr {
    pub(crate) name: LitStr,
    pub(crate) timeout_ms: Option<u64>,
}

/// Parses the inside of `#[on(...)]`. Errors are recorded in `cx`; `None`
/// means the attribute was unusable.
pub(crate) fn parse_on(cx: &Ctxt, attr: &syn::Attribute) -> Option<OnTarget> {
    let tokens = match &attr.meta {
        syn::Meta::List(list) => list.tokens.clone(),
        _ => {
            cx.error_spanned_by(
                attr,
                "expected an event name, e.g. `#[on(server.toolCalls)]` or `#[on(unhandled)]`",
            );
            return None;
        }
    };

    let (tokens, extra) = split_at_comma(tokens);
    if let Some(extra) = &extra {
        cx.error_spanned_by(extra, unexpected_after_event_message(extra));
    }

    let parser = |input: ParseStream<'_>| {
        if let Ok(quoted) = input.fork().parse::<LitStr>() {
            return Err(syn::Error::new(
                quoted.span(),
                format!(
                    "write the event name without quotes: `#[on({})]`",
                    quoted.value()
                ),
            ));
        }
        let namespace: Ident = input.parse()?;
        if namespace == "unhandled" && input.is_empty() {
            return Ok((namespace, None));
        }
        let dot: Token![.] = input.parse().map_err(|_| {
            syn::Error::new(
                namespace.span(),
                format!(
                    "expected `namespace.eventName` after `{namespace}`, e.g. `server.toolCalls`"
                ),
            )
        })?;
        let rest: TokenStream = input.parse()?;
        if rest.is_empty() {
            return Err(syn::Error::new(
                dot.span,
                "expected an event name after `.`",
            ));
        }
        Ok((namespace, Some(rest)))
    };

    let (namespace, name) = match parser.parse2(tokens) {
        Ok(parsed) => parsed,
        Err(error) => {
            cx.syn_error(error);
            return None;
        }
    };
    let target = match name {
        None => Some(OnTarget::Unhandled),
        Some(name) => resolve_event(cx, &namespace, &name).map(OnTarget::Event),
    };
    // The name is still resolved above, so a misspelling is reported too.
    if extra.is_some() {
        return None;
    }
    target
}

/// Splits `#[on(..)]` tokens at the first comma into the event name and
/// what follows the comma, `None` when nothing does (a trailing comma is
/// accepted).
fn split_at_comma(tokens: TokenStream) -> (TokenStream, Option<TokenStream>) {
    let mut name = TokenStream::new();
    let mut trees = tokens.into_iter();
    for tree in trees.by_ref() {
        if matches!(&tree, TokenTree::Punct(punct) if punct.as_char() == ',') {
            break;
        }
        name.extend([tree]);
    }

    let rest: TokenStream = trees.collect();
    if rest.is_empty() {
        (name, None)
    } else {
        (name, Some(rest))
    }
}

/// Returns the error for tokens after the event name, with the attribute
/// they belong on when it is `timeout_ms`.
fn unexpected_after_event_message(extra: &TokenStream) -> String {
    let written = extra.to_string();
    let first = extra.clone().into_iter().next();
    let is_timeout = matches!(&first, Some(TokenTree::Ident(ident)) if ident == "timeout_ms");
    if is_timeout {
        format!(
            "unexpected `{written}` after the event name; `timeout_ms` belongs on a `#[tool(\"name\", timeout_ms = N)]` method, and `#[on]` takes only the event name"
        )
    } else {
        format!(
            "unexpected `{written}` after the event name; `#[on]` takes only the event name, e.g. `#[on(server.toolCalls)]`"
        )
    }
}

/// Finds the catalogue event for `namespace.name`, or records an error that
/// names the nearest valid event.
fn resolve_event(
    cx: &Ctxt,
    namespace_ident: &Ident,
    name: &TokenStream,
) -> Option<&'static EventDef> {
    let written = concat_tokens(name);

    let Some(namespace) = Namespace::from_prefix(&namespace_ident.to_string()) else {
        let hint = match suggest::nearest_namespace(&namespace_ident.to_string()) {
            Some(near) => format!("; did you mean `{}`?", near.as_str()),
            None => String::new(),
        };
        cx.error_spanned_by(
            namespace_ident,
            format!("unknown namespace `{namespace_ident}`, expected `server` or `client`{hint}"),
        );
        return None;
    };

    if let Some(def) =
        single_ident(name).and_then(|ident| webhook_catalogue::by_name(namespace, &ident))
    {
        return Some(def);
    }

    cx.error_spanned_by(name, unknown_event_message(namespace, &written));
    None
}

fn unknown_event_message(namespace: Namespace, written: &str) -> String {
    let prefix = namespace.as_str();

    // The right name in the other family gets its own message, because the
    // fix there is the namespace, not the spelling.
    let other = Namespace::ALL.into_iter().find(|other| *other != namespace);
    if let Some(other) = other {
        let exact = webhook_catalogue::by_name(other, written).or_else(|| {
            suggest::nearest_event(other, written).filter(|def| fold_eq(def.method, written))
        });
        if let Some(def) = exact {
            if suggest::nearest_event(namespace, written).is_none() {
                return format!(
                    "`{}` is a {} event, not a {prefix} event: write `{}.{}`",
                    def.method,
                    other.as_str(),
                    other.as_str(),
                    def.method
                );
            }
        }
    }

    match suggest::nearest_event(namespace, written) {
        Some(def) => format!(
            "unknown event `{prefix}.{written}`; did you mean `{prefix}.{}`?",
            def.method
        ),
        None => format!(
            "unknown event `{prefix}.{written}`; the name is `{prefix}.` plus the camelCase of the wire type, e.g. {}; `webhook_core::catalogue` lists them all",
            suggest::examples_of(namespace)
        ),
    }
}

fn fold_eq(a: &str, b: &str) -> bool {
    let fold = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, '_' | '-' | '.'))
            .flat_map(char::to_lowercase)
            .collect()
    };
    fold(a) == fold(b)
}

fn single_ident(tokens: &TokenStream) -> Option<String> {
    let mut iter = tokens.clone().into_iter();
    match (iter.next(), iter.next()) {
        (Some(TokenTree::Ident(ident)), None) => Some(ident.to_string()),
        _ => None,
    }
}

/// Joins tokens as written without spaces, so `tool - calls` reads back as
/// `tool-calls` in messages.
fn concat_tokens(tokens: &TokenStream) -> String {
    tokens
        .clone()
        .into_iter()
        .map(|tree| tree.to_string())
        .collect()
}

/// Parses the inside of `#[tool(...)]`.
pub(crate) fn parse_tool(cx: &Ctxt, attr: &syn::Attribute) -> Option<ToolAttr> {
    let parser = |input: ParseStream<'_>| {
        let name: LitStr = input.parse().map_err(|error| {
            syn::Error::new(
                error.span(),
                "expected the tool's name as a string, e.g. `#[tool(\"lookupOrder\")]`",
            )
        })?;
        let mut timeout_ms = None;
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse()?;
            if key != "timeout_ms" {
                return Err(syn::Error::new(
                    key.span(),
                    format!("unknown argument `{key}`, expected one of: `timeout_ms`"),
                ));
            }
            input.parse::<Token![=]>()?;
            let value: LitInt = input.parse()?;
            if !value.suffix().is_empty() {
                return Err(syn::Error::new(
                    value.span(),
                    format!(
                        "invalid suffix `{}` on `timeout_ms`: the value is a plain number of milliseconds, e.g. `timeout_ms = 2000` for two seconds",
                        value.suffix()
                    ),
                ));
            }
            let millis: u64 = value.base10_parse()?;
            if millis == 0 {
                return Err(syn::Error::new(
                    value.span(),
                    "`timeout_ms` must be more than 0",
                ));
            }
            if timeout_ms.replace(millis).is_some() {
                return Err(syn::Error::new(key.span(), "`timeout_ms` is given twice"));
            }
        }
        Ok(ToolAttr { name, timeout_ms })
    };

    let result = match &attr.meta {
        syn::Meta::List(list) => parser.parse2(list.tokens.clone()),
        _ => Err(syn::Error::new_spanned(
            attr,
            "expected the tool's name, e.g. `#[tool(\"lookupOrder\")]`",
        )),
    };
    match result {
        Ok(tool) if tool.name.value().is_empty() => {
            cx.error_spanned_by(&tool.name, "the tool name must not be empty");
            None
        }
        Ok(tool) => Some(tool),
        Err(error) => {
            cx.syn_error(error);
            None
        }
    }
}
