impl Receptionist {
    async fn choose(&self, request: AssistantRequest) -> AssistantRequestReply {
        todo!()
    }
    fn status(&self, update: StatusUpdate, headers: &HeaderMap) {}
    async fn lookup(
        &self,
        args: LookupOrder,
        call: &ToolCall,
    ) -> Result<String, HandlerError> {
        todo!()
    }
    async fn other(&self, delivery: &Delivery<'_>) {}
    fn helper(&self) {}
}
const _: () = {
    #[allow(dead_code)]
    fn __arg0() {}
    #[allow(dead_code)]
    fn __arg1() {}
    #[allow(dead_code)]
    fn __arguments() {}
    #[allow(dead_code)]
    fn __call() {}
    #[allow(dead_code)]
    fn __delivery() {}
    #[allow(dead_code)]
    fn __error() {}
    #[allow(dead_code)]
    fn __future() {}
    #[allow(dead_code)]
    fn __invalid() {}
    #[allow(dead_code)]
    fn __message() {}
    #[allow(dead_code)]
    fn __out() {}
    #[allow(dead_code)]
    fn __payload() {}
    #[allow(dead_code)]
    fn __reply() {}
    #[allow(dead_code)]
    fn __unclaimed() {}
    #[allow(dead_code)]
    fn __whole() {}
    #[automatically_derived]
    impl ::webhook_core::Hooks for Receptionist {
        #[allow(
            deprecated,
            clippy::manual_async_fn,
            clippy::let_unit_value,
            clippy::unit_arg,
            clippy::match_single_binding
        )]
        fn handle<'__a>(
            &'__a self,
            __delivery: &'__a ::webhook_core::Delivery<'__a>,
        ) -> impl ::webhook_core::__private::Future<
            Output = ::webhook_core::__private::Result<
                ::webhook_core::Handled,
                ::webhook_core::HookError,
            >,
        > + ::webhook_core::__private::Send + '__a {
            async move {
                match __delivery.kind() {
                    ::webhook_core::__private::Some(
                        ::webhook_core::EventKind::ServerAssistantRequest,
                    ) => {
                        let mut __payload: ::webhook_core::__private::Option<
                            ::webhook_core::events::AssistantRequest,
                        > = ::webhook_core::__private::None;
                        let __out = {
                            let __arg0 = <AssistantRequest as ::webhook_core::HandlerArg<
                                '_,
                                ::webhook_core::events::AssistantRequest,
                            >>::from_delivery(__delivery, &mut __payload)?;
                            ::webhook_core::__private::check_body(__delivery)?;
                            {
                                let __future = self.choose(__arg0);
                                ::webhook_core::__private::require_send(__future).await
                            }
                        };
                        let __reply = ::webhook_core::__private::into_handler_result::<
                            <::webhook_core::events::AssistantRequest as ::webhook_core::Payload>::Reply,
                            _,
                        >(__out)?;
                        ::webhook_core::__private::Ok(
                            ::webhook_core::Handled::Reply(
                                ::webhook_core::__private::into_checked_http_reply(
                                    __reply,
                                    __delivery,
                                ),
                            ),
                        )
                    }
                    ::webhook_core::__private::Some(
                        ::webhook_core::EventKind::ServerStatusUpdate,
                    ) => {
                        let mut __payload: ::webhook_core::__private::Option<
                            ::webhook_core::events::StatusUpdate,
                        > = ::webhook_core::__private::None;
                        let __out = {
                            let __arg0 = <StatusUpdate as ::webhook_core::HandlerArg<
                                '_,
                                ::webhook_core::events::StatusUpdate,
                            >>::from_delivery(__delivery, &mut __payload)?;
                            let __arg1 = <&HeaderMap as ::webhook_core::HandlerArg<
                                '_,
                                ::webhook_core::events::StatusUpdate,
                            >>::from_delivery(__delivery, &mut __payload)?;
                            ::webhook_core::__private::check_body(__delivery)?;
                            self.status(__arg0, __arg1)
                        };
                        let __reply = ::webhook_core::__private::into_handler_result::<
                            <::webhook_core::events::StatusUpdate as ::webhook_core::Payload>::Reply,
                            _,
                        >(__out)?;
                        ::webhook_core::__private::Ok(
                            ::webhook_core::Handled::Reply(
                                ::webhook_core::__private::into_checked_http_reply(
                                    __reply,
                                    __delivery,
                                ),
                            ),
                        )
                    }
                    ::webhook_core::__private::Some(
                        ::webhook_core::EventKind::ServerToolCalls,
                    ) => {
                        #[allow(unused_mut)]
                        let mut __whole = false;
                        {
                            __whole
                                |= <&ToolCall as ::webhook_core::ToolContext<
                                    '_,
                                >>::READS_MESSAGE;
                        }
                        let (
                            __message,
                            __invalid,
                        ): (
                            ::webhook_core::events::ToolCalls,
                            ::webhook_core::__private::InvalidCalls,
                        ) = ::webhook_core::__private::decode_tool_calls(
                            __delivery,
                            __whole,
                        )?;
                        let __message = &__message;
                        let __unclaimed = ::webhook_core::__private::None::<
                            ::webhook_core::__private::NoToolCallsHandler,
                        >;
                        let __reply = ::webhook_core::__private::answer_tool_calls(
                                __message,
                                __delivery.tool_limits(),
                                |__call| match __call.name() {
                                    "lookupOrder" => {
                                        ::webhook_core::__private::Some(
                                            ::webhook_core::__private::ToolTask::new(
                                                ::webhook_core::__private::Some(
                                                    ::webhook_core::__private::Duration::from_millis(5000u64),
                                                ),
                                                async move {
                                                    let __arg0: LookupOrder = match ::webhook_core::__private::tool_arguments::<
                                                        LookupOrder,
                                                    >(__call) {
                                                        ::webhook_core::__private::Ok(__arguments) => __arguments,
                                                        ::webhook_core::__private::Err(__error) => {
                                                            return ::webhook_core::__private::Err(__error);
                                                        }
                                                    };
                                                    let __arg1: &ToolCall = <&ToolCall as ::webhook_core::ToolContext<
                                                        '_,
                                                    >>::from_tool_call(__call, __message, __delivery);
                                                    let __out = {
                                                        let __future = self.lookup(__arg0, __arg1);
                                                        ::webhook_core::__private::require_send(__future).await
                                                    };
                                                    ::webhook_core::__private::into_tool_output(__out)
                                                },
                                            ),
                                        )
                                    }
                                    _ => ::webhook_core::__private::None,
                                },
                                __unclaimed,
                            )
                            .await;
                        let __reply = ::webhook_core::__private::with_invalid_calls(
                            __reply,
                            __invalid,
                        );
                        ::webhook_core::__private::Ok(
                            ::webhook_core::Handled::Reply(
                                ::webhook_core::__private::into_checked_http_reply(
                                    __reply,
                                    __delivery,
                                ),
                            ),
                        )
                    }
                    _ => {
                        ::webhook_core::__private::check_body(__delivery)?;
                        let __out = {
                            let __future = self.other(__delivery);
                            ::webhook_core::__private::require_send(__future).await
                        };
                        ::webhook_core::__private::into_handler_result::<(), _>(__out)?;
                        ::webhook_core::__private::Ok(
                            ::webhook_core::Handled::Reply(
                                ::webhook_core::HttpReply::empty(),
                            ),
                        )
                    }
                }
            }
        }
    }
};
