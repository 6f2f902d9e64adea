// The expansion names everything by absolute path, so it compiles under `#![no_implicit_prelude]`.
#![no_implicit_prelude]

mod hooks {
    use ::webhook_core::events::{StatusUpdate, ToolCall};
    use ::webhook_core::reply::ClientInboundMessage;
    use ::webhook_core::{HandlerError, webhook_hooks};

    pub struct Quiet;

    // Unit structs named like bindings in the expansion must not capture
    // them.
    #[allow(non_camel_case_types, dead_code)]
    struct arguments;
    #[allow(non_camel_case_types, dead_code)]
    struct error;

    #[webhook_hooks]
    impl Quiet {
        #[on(server.statusUpdate)]
        async fn status(&self, _update: StatusUpdate) {}

        #[on(client.workflowNodeStarted)]
        fn node(&self) -> ClientInboundMessage {
            ClientInboundMessage::end_call()
        }

        #[tool("ping")]
        async fn ping(
            &self,
            _args: ::serde_json::Value,
            _call: &ToolCall,
        ) -> ::std::result::Result<::std::string::String, HandlerError> {
            ::std::result::Result::Ok(::std::string::ToString::to_string("pong"))
        }

        #[on(unhandled)]
        fn other(&self) {}
    }
}

fn main() {
    fn assert_hooks<H: ::webhook_core::Hooks>() {}
    assert_hooks::<hooks::Quiet>();
}

// A `macro_rules!` that supplies the handler's name must still expand,
// because generated code resolves `self` and its locals at the call site.
mod from_macro_rules {
    macro_rules! hooks_with {
        ($handler:ident, $tool:ident) => {
            pub struct Named;

            #[::webhook_core::webhook_hooks]
            impl Named {
                #[on(server.statusUpdate)]
                fn $handler(self: &Self, _update: ::webhook_core::events::StatusUpdate) {}

                #[tool("ping")]
                async fn $tool(
                    &self,
                    _args: ::serde_json::Value,
                ) -> ::std::result::Result<::std::string::String, ::webhook_core::HandlerError> {
                    ::std::result::Result::Ok(::std::string::ToString::to_string("pong"))
                }
            }
        };
    }

    hooks_with!(status, ping);
}
