// Handlers with lifetime parameters or a `where` clause without generic
// parameters, handlers written as a `fn` that returns `impl Future`, and
// receivers written with their type (`self: &Forms`, `self: &self::Forms`)
// are called and awaited like any other.
use std::future::Future;

use webhook_core::events::{EndOfCallReport, StatusUpdate};
use webhook_core::reply::AssistantRequestReply;
use webhook_core::{Auth, Delivery, HandlerError, Namespace, Receiver, webhook_hooks};

struct Forms;

#[webhook_hooks]
impl Forms {
    #[on(server.statusUpdate)]
    fn status<'a>(&'a self, _update: StatusUpdate, _delivery: &'a Delivery<'a>)
    where
        'a: 'a,
    {
    }

    #[on(server.assistantRequest)]
    fn choose(&self) -> impl Future<Output = AssistantRequestReply> + Send + '_ {
        async { AssistantRequestReply::assistant_id("asst-future") }
    }

    #[on(server.hang)]
    fn hang(&self)
    where
        Self: Sized,
    {
    }

    #[on(server.endOfCallReport)]
    fn report(
        self: &Forms,
        _report: EndOfCallReport,
    ) -> impl Future<Output = Result<(), HandlerError>> + Send {
        async { Ok(()) }
    }

    #[tool("echo")]
    fn echo(
        self: &self::Forms,
        args: String,
    ) -> impl Future<Output = Result<String, HandlerError>> + Send {
        async move { Ok(args) }
    }
}

fn main() {
    let receiver = Receiver::builder(Forms)
        .auth(Auth::none())
        .build()
        .expect("valid settings");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let headers = http::HeaderMap::new();

    let reply = runtime.block_on(receiver.receive(
        Namespace::Server,
        &headers,
        br#"{"message":{"type":"assistant-request"}}"#,
    ));
    assert_eq!(reply.body.as_ref(), br#"{"assistantId":"asst-future"}"#);

    let reply = runtime.block_on(receiver.receive(
        Namespace::Server,
        &headers,
        br#"{"message":{"type":"tool-calls","toolCallList":[{"id":"t1","function":{"name":"echo","arguments":"\"hi\""}}]}}"#,
    ));
    assert_eq!(
        reply.body.as_ref(),
        br#"{"results":[{"toolCallId":"t1","name":"echo","result":"hi"}]}"#
    );
}
