//! Placeholder until the macro lands.
use proc_macro::TokenStream;

/// Generates event routing for an `impl` block.
#[proc_macro_attribute]
pub fn webhook_hooks(_args: TokenStream, item: TokenStream) -> TokenStream {
    item
}
