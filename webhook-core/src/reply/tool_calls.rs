//! The replies to `server.toolCalls` and to the legacy `server.functionCall`:
//! the text the model reads as the result of each call.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::lengths::{JsonPath, LengthCheck, LengthErrors};
use super::{EventReply, HttpReply, json_replies};

/// The reply to `server.toolCalls`: one result per tool call, in request
/// order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ToolCallsReply {
    /// One entry per tool call of the message.
    pub results: Vec<ToolCallResult>,
}

impl ToolCallsReply {
    /// Builds the reply from results given in request order.
    pub fn new(results: Vec<ToolCallResult>) -> Self {
        ToolCallsReply { results }
    }

    /// Checks the spoken `message` of each result against the length limit
    /// of Vapi's schema, as [`ToolCallResult::check_lengths`] does.
    ///
    /// # Errors
    ///
    /// Returns each field outside its range, with its path in the reply,
    /// such as `results[2].message.content`.
    pub fn check_lengths(&self) -> Result<(), LengthErrors> {
        LengthCheck::run(|check| {
            let root = JsonPath::Root;
            let results = root.key("results");
            for (index, result) in self.results.iter().enumerate() {
                result.check_lengths_at(&results.index(index), check);
            }
        })
    }
}

json_replies!(checked: ToolCallsReply);

/// The answer to one tool call (Vapi's `ToolCallResult`).
///
/// Build one with [`success`](Self::success) or [`failure`](Self::failure),
/// so it carries a `result` or an `error`. An entry with neither gives the
/// model nothing to read, so the receiver adds an `error` to such an entry
/// from an `#[on(server.toolCalls)]` handler.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ToolCallResult {
    /// The id of the tool call this answers, exactly as received.
    pub tool_call_id: String,
    /// The tool's name, as in the call. Vapi's schema requires it, so it is
    /// always sent, empty when the call named no tool. A `null` reads as
    /// empty.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub name: String,
    /// The text the model reads on success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// The text the model reads on failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// A message spoken to the caller (Vapi's `ToolMessageComplete` or
    /// `ToolMessageFailed` object), whose `content` Vapi's schema limits to
    /// 1000 UTF-16 code units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Value>,
    /// Data stored with the result and not shown to the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
}

impl ToolCallResult {
    /// Builds a successful result.
    pub fn success(
        tool_call_id: impl Into<String>,
        name: impl Into<String>,
        result: impl Into<String>,
    ) -> Self {
        ToolCallResult {
            tool_call_id: tool_call_id.into(),
            name: name.into(),
            result: Some(result.into()),
            error: None,
            message: None,
            metadata: None,
        }
    }

    /// Builds a failed result.
    pub fn failure(
        tool_call_id: impl Into<String>,
        name: impl Into<String>,
        error: impl Into<String>,
    ) -> Self {
        ToolCallResult {
            tool_call_id: tool_call_id.into(),
            name: name.into(),
            result: None,
            error: Some(error.into()),
            message: None,
            metadata: None,
        }
    }

    /// Attaches a message spoken to the caller: Vapi speaks `content` as a
    /// `request-complete` message on success or `request-failed` on failure.
    /// The kind follows `error` when this is called, so set a result's
    /// `error` or `result` field by hand before, not after, calling it.
    /// Vapi's schema allows at most 1000 UTF-16 code units, and
    /// [`check_lengths`](Self::check_lengths) reports longer content.
    #[must_use]
    pub fn with_spoken_message(mut self, content: impl Into<String>) -> Self {
        let kind = if self.error.is_some() {
            "request-failed"
        } else {
            "request-complete"
        };
        self.message = Some(serde_json::json!({ "type": kind, "content": content.into() }));
        self
    }

    /// Attaches metadata stored with the result.
    #[must_use]
    pub fn with_metadata(mut self, metadata: Map<String, Value>) -> Self {
        self.metadata = Some(metadata);
        self
    }

    /// Checks `message` against the length limits of Vapi's
    /// `ToolMessageComplete` and `ToolMessageFailed`: its `content` and the
    /// `param` and `value` of each of its `conditions`, each at most 1000
    /// UTF-16 code units.
    ///
    /// # Errors
    ///
    /// Returns each longer string, with its path in this object, such as
    /// `message.content` or `message.conditions[0].value`.
    pub fn check_lengths(&self) -> Result<(), LengthErrors> {
        LengthCheck::run(|check| self.check_lengths_at(&JsonPath::Root, check))
    }

    pub(crate) fn check_lengths_at(&self, path: &JsonPath<'_>, check: &mut LengthCheck) {
        check.tool_message(&path.key("message"), self.message.as_ref());
    }
}

/// Reads a string that may be `null`, as empty.
fn null_as_empty<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.unwrap_or_default())
}

/// The reply to the legacy `server.functionCall`: the text the model reads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FunctionCallReply {
    /// The function's result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// Why the function failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl FunctionCallReply {
    /// Answers with a result.
    pub fn result(result: impl Into<String>) -> Self {
        FunctionCallReply {
            result: Some(result.into()),
            error: None,
        }
    }

    /// Answers with an error.
    pub fn error(message: impl Into<String>) -> Self {
        FunctionCallReply {
            result: None,
            error: Some(message.into()),
        }
    }
}

json_replies!(FunctionCallReply);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::tests::wire;
    use serde_json::json;

    #[test]
    fn tool_result_omits_unset_fields() {
        let ok = ToolCallResult::success("call_1", "lookup", "found");
        assert_eq!(
            wire(&ok),
            json!({"toolCallId": "call_1", "name": "lookup", "result": "found"})
        );
        let failed =
            ToolCallResult::failure("call_2", "lookup", "down").with_spoken_message("Sorry.");
        assert_eq!(
            wire(&failed),
            json!({"toolCallId": "call_2", "name": "lookup", "error": "down",
                   "message": {"type": "request-failed", "content": "Sorry."}})
        );
    }

    #[test]
    fn tool_result_reads_null_name() {
        let result: ToolCallResult =
            serde_json::from_value(json!({"toolCallId": "c1", "name": null, "result": "ok"}))
                .expect("valid");
        assert_eq!(result.name, "");
    }
}
