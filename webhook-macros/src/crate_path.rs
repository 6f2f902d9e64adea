//! Where generated code finds `webhook_core`: a user may depend on
//! `webhook-core` directly, or only on `webhook-axum`, which re-exports it.

use proc_macro_crate::{FoundCrate, crate_name};
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::parse::Parser;

use crate::ctxt::Ctxt;

/// Reads `crate = "path"` from the macro arguments, or finds the crate in
/// the user's `Cargo.toml`.
pub(crate) fn resolve(cx: &Ctxt, args: TokenStream) -> TokenStream {
    let mut explicit: Option<syn::Path> = None;
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("crate") {
            let value: syn::LitStr = meta.value()?.parse()?;
            explicit = Some(value.parse()?);
            Ok(())
        } else {
            Err(meta.error(format!(
                "unknown argument `{}`, expected one of: `crate`",
                path_text(&meta.path)
            )))
        }
    });
    if let Err(error) = parser.parse2(args) {
        cx.syn_error(error);
    }

    match explicit {
        Some(path) => quote!(#path),
        None => from_manifest(),
    }
}

fn from_manifest() -> TokenStream {
    match crate_name("webhook-core") {
        Ok(FoundCrate::Name(name)) => absolute(&name, None),
        Ok(FoundCrate::Itself) => quote!(::webhook_core),
        Err(_) => match crate_name("webhook-axum") {
            Ok(FoundCrate::Name(name)) => absolute(&name, Some("webhook_core")),
            _ => quote!(::webhook_core),
        },
    }
}

fn absolute(name: &str, then: Option<&str>) -> TokenStream {
    let ident = syn::Ident::new(name, Span::call_site());
    match then {
        Some(module) => {
            let module = syn::Ident::new(module, Span::call_site());
            quote!(::#ident::#module)
        }
        None => quote!(::#ident),
    }
}

fn path_text(path: &syn::Path) -> String {
    quote!(#path).to_string().replace(' ', "")
}
