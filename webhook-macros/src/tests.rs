//! Expansion tests: the generated code for a small impl, compared with a
//! reviewed snapshot, and the error collection of the expansion stages.

use std::path::PathBuf;

use quote::quote;

use crate::expand_webhook_hooks;

fn pretty(tokens: proc_macro2::TokenStream) -> String {
    let file: syn::File = syn::parse2(tokens).expect("expansion parses as a file");
    prettyplease::unparse(&file)
}

/// Compares `actual` with the snapshot file; `UPDATE_SNAPSHOTS=1` rewrites
/// it instead, for a person to review in the diff.
fn assert_snapshot(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create snapshot folder");
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "cannot read {}: {error}; run with UPDATE_SNAPSHOTS=1",
            path.display()
        )
    });
    assert_eq!(
        expected,
        actual,
        "expansion differs from {}; if the change is intended, rerun with UPDATE_SNAPSHOTS=1 and review the diff",
        path.display()
    );
}

#[test]
fn small_impl_expands_to_snapshot() {
    let args = quote!(crate = "::webhook_core");
    let item = quote! {
        impl Receptionist {
            #[on(server.assistantRequest)]
            async fn choose(&self, request: AssistantRequest) -> AssistantRequestReply {
                todo!()
            }

            #[on(server.statusUpdate)]
            fn status(&self, update: StatusUpdate, headers: &HeaderMap) {}

            #[tool("lookupOrder", timeout_ms = 5000)]
            async fn lookup(&self, args: LookupOrder, call: &ToolCall) -> Result<String, HandlerError> {
                todo!()
            }

            #[on(unhandled)]
            async fn other(&self, delivery: &Delivery<'_>) {}

            fn helper(&self) {}
        }
    };
    assert_snapshot("small_impl.rs", &pretty(expand_webhook_hooks(args, item)));
}

#[test]
fn errors_are_collected_and_impl_kept() {
    let item = quote! {
        impl Receptionist {
            #[on(server.toolCall)]
            async fn a(&self) {}

            #[on(sever.statusUpdate)]
            async fn b(&self) {}

            #[on(server.statusUpdate)]
            async fn c(&mut self) {}

            fn helper(&self) {}
        }
    };
    let output = expand_webhook_hooks(quote!(crate = "::webhook_core"), item).to_string();

    assert!(
        output.contains("did you mean `server.toolCalls`"),
        "{output}"
    );
    assert!(output.contains("unknown namespace `sever`"), "{output}");
    assert!(output.contains("not `&mut self`"), "{output}");
    // The user's impl is still emitted, without our attributes.
    assert!(output.contains("fn helper"), "{output}");
    assert!(!output.contains("# [on"), "{output}");
    // A Hooks impl that handles nothing keeps other code type-checking.
    assert!(output.contains("Handled :: NotHandled"), "{output}");
}

#[test]
fn foreign_attributes_pass_through() {
    let item = quote! {
        impl Receptionist {
            #[on(server.statusUpdate)]
            #[tracing::instrument(skip(self))]
            #[doc = "kept"]
            async fn status(&self) {}
        }
    };
    let output = expand_webhook_hooks(quote!(crate = "::webhook_core"), item).to_string();
    assert!(output.contains("tracing :: instrument"), "{output}");
    assert!(output.contains("\"kept\""), "{output}");
}

#[test]
fn not_an_impl_is_an_error() {
    let output = expand_webhook_hooks(
        quote!(),
        quote!(
            struct Receptionist;
        ),
    )
    .to_string();
    assert!(
        output.contains("goes on an `impl Type { ... }` block"),
        "{output}"
    );
}
