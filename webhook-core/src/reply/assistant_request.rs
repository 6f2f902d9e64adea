//! The reply to `server.assistantRequest`: the assistant, squad or workflow
//! that takes an inbound call, or where the call is forwarded, or why it is
//! refused. It is also read from configuration as a fallback reply, so
//! reading it checks that exactly one choice is set.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::destinations::ForwardDestination;
use super::lengths::{JsonPath, LengthCheck, LengthErrors};
use super::{EventReply, HttpReply, json_kind, json_replies, warn_unless_object};

/// The reply to `server.assistantRequest`: which assistant, squad or workflow
/// takes the call, or where to forward it, or why the call is refused.
///
/// Build it with one of the constructors, then optionally add overrides.
///
/// ```
/// use webhook_core::reply::AssistantRequestReply;
/// let reply = AssistantRequestReply::assistant_id("asst-0001")
///     .with_assistant_overrides(serde_json::json!({"variableValues": {"name": "Ada"}}));
/// assert_eq!(
///     serde_json::to_string(&reply).unwrap(),
///     r#"{"assistantId":"asst-0001","assistantOverrides":{"variableValues":{"name":"Ada"}}}"#
/// );
/// ```
///
/// Reading one, as when a fallback reply is loaded from configuration, is
/// strict: the object must set exactly one of `assistantId`, `assistant`,
/// `squadId`, `squad`, `workflowId`, `workflow`, `destination` and
/// `error`, may add the three override keys, and may contain no other key.
/// The inline configurations and the overrides must be JSON objects. A key
/// whose value is `null` counts as absent.
///
/// ```
/// use webhook_core::reply::AssistantRequestReply;
/// let both = serde_json::json!({"error": "closed", "assistantId": "asst-0001"});
/// assert!(serde_json::from_value::<AssistantRequestReply>(both).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "AssistantRequestFields")]
pub struct AssistantRequestReply {
    #[serde(flatten)]
    choice: AssistantChoice,
    #[serde(skip_serializing_if = "Option::is_none")]
    assistant_overrides: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    squad_overrides: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    workflow_overrides: Option<Value>,
}

/// The keys of an assistant-request reply as read, before the check that
/// exactly one choice is set.
///
/// `#[serde(flatten)]` on an enum would keep the first choice key it meets
/// and skip the others and any misspelled key, so a configured fallback
/// could silently differ from the file it was read from. Unknown keys are
/// rejected, unlike in payloads, because this type is read from
/// configuration, where a misspelled key is a mistake and not a new Vapi
/// field.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AssistantRequestFields {
    assistant_id: Option<String>,
    assistant: Option<Value>,
    squad_id: Option<String>,
    squad: Option<Value>,
    workflow_id: Option<String>,
    workflow: Option<Value>,
    destination: Option<ForwardDestination>,
    error: Option<String>,
    assistant_overrides: Option<Value>,
    squad_overrides: Option<Value>,
    workflow_overrides: Option<Value>,
}

/// The wire names of the choice keys, in the order errors list them.
const CHOICE_KEYS: &str = concat!(
    "`assistantId`, `assistant`, `squadId`, `squad`, `workflowId`, `workflow`, ",
    "`destination` or `error`"
);

impl TryFrom<AssistantRequestFields> for AssistantRequestReply {
    type Error = String;

    fn try_from(fields: AssistantRequestFields) -> Result<Self, String> {
        let candidates = [
            (
                "assistantId",
                fields.assistant_id.map(AssistantChoice::AssistantId),
            ),
            (
                "assistant",
                object("assistant", fields.assistant)?.map(AssistantChoice::Assistant),
            ),
            ("squadId", fields.squad_id.map(AssistantChoice::SquadId)),
            (
                "squad",
                object("squad", fields.squad)?.map(AssistantChoice::Squad),
            ),
            (
                "workflowId",
                fields.workflow_id.map(AssistantChoice::WorkflowId),
            ),
            (
                "workflow",
                object("workflow", fields.workflow)?.map(AssistantChoice::Workflow),
            ),
            (
                "destination",
                fields
                    .destination
                    .map(|destination| AssistantChoice::Destination(Box::new(destination))),
            ),
            ("error", fields.error.map(AssistantChoice::Error)),
        ];
        let mut chosen: Vec<(&str, AssistantChoice)> = candidates
            .into_iter()
            .filter_map(|(key, choice)| Some((key, choice?)))
            .collect();

        if chosen.len() > 1 {
            let keys: Vec<String> = chosen.iter().map(|(key, _)| format!("`{key}`")).collect();
            return Err(format!(
                "an assistant-request reply sets {}, expected exactly one of {CHOICE_KEYS}",
                keys.join(" and ")
            ));
        }
        let Some((_, choice)) = chosen.pop() else {
            return Err(format!(
                "missing the choice of an assistant-request reply, expected one of {CHOICE_KEYS}"
            ));
        };

        Ok(AssistantRequestReply {
            choice,
            assistant_overrides: object("assistantOverrides", fields.assistant_overrides)?,
            squad_overrides: object("squadOverrides", fields.squad_overrides)?,
            workflow_overrides: object("workflowOverrides", fields.workflow_overrides)?,
        })
    }
}

/// Passes `value` through when it is absent or a JSON object, and names
/// `key` in the error otherwise.
fn object(key: &str, value: Option<Value>) -> Result<Option<Value>, String> {
    match value {
        None | Some(Value::Object(_)) => Ok(value),
        Some(other) => Err(format!(
            "`{key}` of an assistant-request reply must be a JSON object, found {}",
            json_kind(&other)
        )),
    }
}

/// The one decision an assistant-request reply carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum AssistantChoice {
    /// A saved assistant, by id.
    AssistantId(String),
    /// An inline assistant configuration (Vapi's `CreateAssistantDTO`).
    Assistant(Value),
    /// A saved squad, by id.
    SquadId(String),
    /// An inline squad configuration.
    Squad(Value),
    /// A saved workflow, by id.
    WorkflowId(String),
    /// An inline workflow configuration.
    Workflow(Value),
    /// Forward the call without an assistant.
    Destination(Box<ForwardDestination>),
    /// Refuse the call; Vapi speaks or logs the message and hangs up.
    Error(String),
}

impl AssistantRequestReply {
    fn new(choice: AssistantChoice) -> Self {
        AssistantRequestReply {
            choice,
            assistant_overrides: None,
            squad_overrides: None,
            workflow_overrides: None,
        }
    }

    /// Answers with a saved assistant.
    pub fn assistant_id(id: impl Into<String>) -> Self {
        Self::new(AssistantChoice::AssistantId(id.into()))
    }

    /// Builds a reply with an inline assistant configuration, a JSON object
    /// (a warning is logged for any other value).
    pub fn assistant(config: Value) -> Self {
        warn_unless_object(&config, "assistant");
        Self::new(AssistantChoice::Assistant(config))
    }

    /// Answers with a saved squad.
    pub fn squad_id(id: impl Into<String>) -> Self {
        Self::new(AssistantChoice::SquadId(id.into()))
    }

    /// Builds a reply with an inline squad configuration, a JSON object (a
    /// warning is logged for any other value).
    pub fn squad(config: Value) -> Self {
        warn_unless_object(&config, "squad");
        Self::new(AssistantChoice::Squad(config))
    }

    /// Answers with a saved workflow.
    pub fn workflow_id(id: impl Into<String>) -> Self {
        Self::new(AssistantChoice::WorkflowId(id.into()))
    }

    /// Builds a reply with an inline workflow configuration, a JSON object
    /// (a warning is logged for any other value).
    pub fn workflow(config: Value) -> Self {
        warn_unless_object(&config, "workflow");
        Self::new(AssistantChoice::Workflow(config))
    }

    /// Forwards the call to a number or SIP address instead of an assistant.
    ///
    /// ```
    /// use webhook_core::reply::{AssistantRequestReply, TransferDestination};
    /// let reply = AssistantRequestReply::transfer_to(TransferDestination::number("+15555550100"));
    /// ```
    ///
    /// Another assistant is not a destination Vapi accepts here, so it does
    /// not compile:
    ///
    /// ```compile_fail
    /// use webhook_core::reply::{AssistantRequestReply, TransferDestination};
    /// let reply = AssistantRequestReply::transfer_to(TransferDestination::assistant("billing"));
    /// ```
    pub fn transfer_to(destination: impl Into<ForwardDestination>) -> Self {
        Self::new(AssistantChoice::Destination(Box::new(destination.into())))
    }

    /// Refuses the call with a message.
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(AssistantChoice::Error(message.into()))
    }

    /// Adds assistant overrides (Vapi's `AssistantOverrides`) to the reply,
    /// a JSON object (a warning is logged for any other value).
    #[must_use]
    pub fn with_assistant_overrides(mut self, overrides: Value) -> Self {
        warn_unless_object(&overrides, "assistantOverrides");
        self.assistant_overrides = Some(overrides);
        self
    }

    /// Adds squad overrides to the reply, a JSON object (a warning is
    /// logged for any other value).
    #[must_use]
    pub fn with_squad_overrides(mut self, overrides: Value) -> Self {
        warn_unless_object(&overrides, "squadOverrides");
        self.squad_overrides = Some(overrides);
        self
    }

    /// Adds workflow overrides to the reply, a JSON object (a warning is
    /// logged for any other value).
    #[must_use]
    pub fn with_workflow_overrides(mut self, overrides: Value) -> Self {
        warn_unless_object(&overrides, "workflowOverrides");
        self.workflow_overrides = Some(overrides);
        self
    }

    /// Returns the decision this reply carries.
    pub fn choice(&self) -> &AssistantChoice {
        &self.choice
    }

    /// Checks the strings of a forwarding `destination` against the length
    /// limits of Vapi's schema (see [`ForwardDestination::check_lengths`]).
    /// Inline assistant, squad and workflow configurations and overrides
    /// are not checked.
    ///
    /// # Errors
    ///
    /// Returns each field outside its range, with its path in the reply,
    /// such as `destination.number`.
    pub fn check_lengths(&self) -> Result<(), LengthErrors> {
        LengthCheck::run(|check| {
            if let AssistantChoice::Destination(destination) = &self.choice {
                let root = JsonPath::Root;
                destination.check_lengths_at(&root.key("destination"), check);
            }
        })
    }
}

json_replies!(checked: AssistantRequestReply);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::TransferDestination;
    use crate::reply::tests::wire;
    use serde_json::json;

    #[test]
    fn assistant_reply_carries_one_choice() {
        assert_eq!(
            wire(&AssistantRequestReply::assistant_id("asst-1")),
            json!({"assistantId": "asst-1"})
        );
        assert_eq!(
            wire(&AssistantRequestReply::error("closed")),
            json!({"error": "closed"})
        );
        assert_eq!(
            wire(&AssistantRequestReply::transfer_to(
                TransferDestination::number("+15555550100")
            )),
            json!({"destination": {"type": "number", "number": "+15555550100"}})
        );
        assert_eq!(
            wire(&AssistantRequestReply::transfer_to(
                TransferDestination::sip("sip:desk@example.invalid")
            )),
            json!({"destination": {"type": "sip", "sipUri": "sip:desk@example.invalid"}})
        );
    }

    #[test]
    fn assistant_reply_reads_back_from_config() {
        let reply: AssistantRequestReply =
            serde_json::from_value(json!({"assistantId": "asst-fallback"})).expect("valid");
        assert_eq!(reply, AssistantRequestReply::assistant_id("asst-fallback"));
    }

    #[test]
    fn assistant_reply_reads_back_each_choice() {
        let replies = [
            AssistantRequestReply::assistant_id("asst-1"),
            AssistantRequestReply::assistant(json!({"name": "Front desk"})),
            AssistantRequestReply::squad_id("squad-1"),
            AssistantRequestReply::squad(json!({"members": []})),
            AssistantRequestReply::workflow_id("flow-1"),
            AssistantRequestReply::workflow(json!({"nodes": []})),
            AssistantRequestReply::transfer_to(TransferDestination::number("+15555550100")),
            AssistantRequestReply::error("closed"),
            AssistantRequestReply::squad_id("squad-1")
                .with_assistant_overrides(json!({"variableValues": {"name": "Ada"}}))
                .with_squad_overrides(json!({"firstMessage": "Hi"}))
                .with_workflow_overrides(json!({"variableValues": {}})),
        ];
        for reply in replies {
            let read = serde_json::from_value::<AssistantRequestReply>(wire(&reply));
            assert_eq!(read.ok(), Some(reply));
        }
    }

    #[test]
    fn assistant_reply_rejects_two_choices() {
        for config in [
            json!({"error": "closed", "assistantId": "asst-1"}),
            json!({"assistantId": "asst-1", "error": "closed"}),
        ] {
            let error = serde_json::from_value::<AssistantRequestReply>(config)
                .expect_err("two choices were read")
                .to_string();
            assert!(error.contains("`assistantId`"), "{error}");
            assert!(error.contains("`error`"), "{error}");
        }
    }

    #[test]
    fn assistant_reply_rejects_unknown_key() {
        let config = json!({"assistantId": "asst-1", "assistantOverides": {}});
        let error = serde_json::from_value::<AssistantRequestReply>(config)
            .expect_err("a misspelled key was read")
            .to_string();
        assert!(error.contains("`assistantOverides`"), "{error}");
        assert!(error.contains("`assistantOverrides`"), "{error}");
    }

    #[test]
    fn assistant_reply_rejects_non_object_config() {
        for (config, key, found) in [
            (
                json!({"assistant": "Front desk"}),
                "`assistant`",
                "a string",
            ),
            (json!({"squad": []}), "`squad`", "an array"),
            (
                json!({"assistantId": "asst-1", "assistantOverrides": 1}),
                "`assistantOverrides`",
                "a number",
            ),
        ] {
            let error = serde_json::from_value::<AssistantRequestReply>(config.clone())
                .expect_err("a configuration that is not an object was read")
                .to_string();
            assert!(
                error.contains(&format!(
                    "{key} of an assistant-request reply must be a JSON object, found {found}"
                )),
                "{config}: {error}"
            );
        }
    }

    #[test]
    fn assistant_reply_rejects_no_choice() {
        let config = json!({"assistantOverrides": {"firstMessage": "Hi"}});
        let error = serde_json::from_value::<AssistantRequestReply>(config)
            .expect_err("a reply without a choice was read")
            .to_string();
        assert!(error.contains("missing"), "{error}");
        assert!(error.contains("`assistantId`"), "{error}");
    }
}
