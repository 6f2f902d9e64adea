// The expansion names everything by absolute path, so it compiles under
// `#![no_implicit_prelude]`, and the user's items named like its locals
// cannot capture them. Each impl uses every local the expansion binds:
// handlers with and without a payload, `async` and not, a tool with
// context, the tool-calls handler and the catch-all.
#![no_implicit_prelude]

// Unit structs named like the expansion's locals. A `let` of a local
// would match such a struct as a pattern unless the expansion guards it.
#[allow(non_camel_case_types, dead_code)]
mod unit_structs {
    struct __delivery;
    struct __payload;
    struct __out;
    struct __reply;
    struct __arg0;
    struct __arg1;
    struct __future;
    struct __message;
    struct __whole;
    struct __invalid;
    struct __unclaimed;
    struct __subset;
    struct __call;
    struct __arguments;
    struct __error;

    pub struct Quiet;

    #[::webhook_core::webhook_hooks]
    impl Quiet {
        #[on(server.statusUpdate)]
        async fn status(
            &self,
            _update: ::webhook_core::events::StatusUpdate,
            _delivery: &::webhook_core::Delivery<'_>,
        ) {
        }

        #[on(client.workflowNodeStarted)]
        fn node(&self) -> ::webhook_core::reply::ClientInboundMessage {
            ::webhook_core::reply::ClientInboundMessage::end_call()
        }

        #[tool("ping")]
        async fn ping(
            &self,
            _args: ::serde_json::Value,
            _call: &::webhook_core::events::ToolCall,
        ) -> ::std::result::Result<::std::string::String, ::webhook_core::HandlerError> {
            ::std::result::Result::Ok(::std::string::ToString::to_string("pong"))
        }

        #[on(server.toolCalls)]
        async fn other_calls(
            &self,
            _calls: ::webhook_core::events::ToolCalls,
        ) -> ::webhook_core::reply::ToolCallsReply {
            ::webhook_core::reply::ToolCallsReply::new(::std::vec::Vec::new())
        }

        #[on(unhandled)]
        fn other(&self, _delivery: &::webhook_core::Delivery<'_>) {}
    }
}

// Constants named like the expansion's locals, which a pattern would
// compare against in the same way.
#[allow(non_upper_case_globals, dead_code)]
mod consts {
    const __delivery: u8 = 0;
    const __payload: u8 = 0;
    const __out: u8 = 0;
    const __reply: u8 = 0;
    const __arg0: u8 = 0;
    const __arg1: u8 = 0;
    const __future: u8 = 0;
    const __message: u8 = 0;
    const __whole: u8 = 0;
    const __invalid: u8 = 0;
    const __unclaimed: u8 = 0;
    const __subset: u8 = 0;
    const __call: u8 = 0;
    const __arguments: u8 = 0;
    const __error: u8 = 0;

    pub struct Quiet;

    #[::webhook_core::webhook_hooks]
    impl Quiet {
        #[on(server.statusUpdate)]
        async fn status(
            &self,
            _update: ::webhook_core::events::StatusUpdate,
            _delivery: &::webhook_core::Delivery<'_>,
        ) {
        }

        #[on(client.workflowNodeStarted)]
        fn node(&self) -> ::webhook_core::reply::ClientInboundMessage {
            ::webhook_core::reply::ClientInboundMessage::end_call()
        }

        #[tool("ping")]
        async fn ping(
            &self,
            _args: ::serde_json::Value,
            _call: &::webhook_core::events::ToolCall,
        ) -> ::std::result::Result<::std::string::String, ::webhook_core::HandlerError> {
            ::std::result::Result::Ok(::std::string::ToString::to_string("pong"))
        }

        #[on(server.toolCalls)]
        async fn other_calls(
            &self,
            _calls: ::webhook_core::events::ToolCalls,
        ) -> ::webhook_core::reply::ToolCallsReply {
            ::webhook_core::reply::ToolCallsReply::new(::std::vec::Vec::new())
        }

        #[on(unhandled)]
        fn other(&self, _delivery: &::webhook_core::Delivery<'_>) {}
    }
}

fn main() {
    fn assert_hooks<H: ::webhook_core::Hooks>() {}
    assert_hooks::<unit_structs::Quiet>();
    assert_hooks::<consts::Quiet>();
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
