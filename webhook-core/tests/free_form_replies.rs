//! Reply fields that take free-form JSON (inline assistants, squads,
//! workflows, overrides, handoff destinations) must be JSON objects for
//! Vapi's schema. Any other value is sent as given, with a warning, because
//! a `null` there reads as no value and the call goes another way.

mod common;

use common::LogBuffer;
use serde_json::{Value, json};
use webhook_core::reply::{AssistantRequestReply, HandoffDestinationReply};

/// Builds a reply with `build` and returns the log text it wrote.
fn logs_of<R>(build: impl FnOnce() -> R) -> (R, String) {
    let logs = LogBuffer::default();
    let reply = tracing::subscriber::with_default(logs.subscriber(), build);
    (reply, logs.text())
}

/// A reply field, the kind of value given for it, and the reply built
/// with that value, as JSON.
type Case = (&'static str, &'static str, fn() -> Value);

#[test]
fn non_object_values_logged() {
    let cases: [Case; 7] = [
        ("assistant", "null", || {
            json!(AssistantRequestReply::assistant(Value::Null))
        }),
        ("squad", "an array", || {
            json!(AssistantRequestReply::squad(json!([])))
        }),
        ("workflow", "a string", || {
            json!(AssistantRequestReply::workflow(json!("intake")))
        }),
        ("assistantOverrides", "null", || {
            json!(
                AssistantRequestReply::assistant_id("asst-1").with_assistant_overrides(Value::Null)
            )
        }),
        ("squadOverrides", "a number", || {
            json!(AssistantRequestReply::squad_id("squad-1").with_squad_overrides(json!(1)))
        }),
        ("workflowOverrides", "a boolean", || {
            json!(AssistantRequestReply::workflow_id("flow-1").with_workflow_overrides(json!(true)))
        }),
        ("destination", "a string", || {
            json!(HandoffDestinationReply::hand_off_to(json!("billing")))
        }),
    ];
    for (field, found, build) in cases {
        let (reply, text) = logs_of(build);

        let line = text
            .lines()
            .find(|line| line.contains("is not a JSON object"))
            .unwrap_or_else(|| panic!("no warning for `{field}` in {text:?}"));
        assert!(line.contains("WARN"), "{line}");
        assert!(line.contains("webhook::reply"), "{line}");
        assert!(line.contains(&format!("field=\"{field}\"")), "{line}");
        assert!(line.contains(&format!("found=\"{found}\"")), "{line}");
        // The reply is sent as the handler built it.
        assert!(
            reply.to_string().contains(&format!("\"{field}\"")),
            "{reply}"
        );
    }
}

#[test]
fn objects_log_nothing() {
    let (_, text) = logs_of(|| {
        let assistant = AssistantRequestReply::assistant(json!({"name": "Front desk"}))
            .with_assistant_overrides(json!({"variableValues": {}}));
        let handoff = HandoffDestinationReply::hand_off_to(
            json!({"type": "assistant", "assistantName": "billing"}),
        );
        (assistant, handoff)
    });

    assert_eq!(text, "");
}
