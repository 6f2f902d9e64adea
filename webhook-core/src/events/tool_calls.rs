//! The `tool-calls` payload and tool-call arguments.

use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::lenient::{lenient_struct, message_struct};
use super::{Artifact, Call, Chat, Customer, PhoneNumber, RawJson, Timestamp};

message_struct! {
    /// `server.toolCalls`: the model called one or more tools and Vapi waits for
    /// their results.
    pub struct ToolCalls {
        /// The calls to answer, in the order their results must be sent. A
        /// `null` or absent list is empty.
        #[wire("toolCallList", or_default)]
        pub tool_call_list: Vec<ToolCall>,
        /// Each call paired with its tool's configuration, as Vapi sent it: a
        /// JSON array.
        #[wire("toolWithToolCallList")]
        pub tool_with_tool_call_list: Option<RawJson>,
    }
}

lenient_struct! {
    /// One tool call (Vapi's `ToolCall`). `id` and `function` are required,
    /// because a result cannot be routed back without them.
    pub struct ToolCall {
        /// The id the result must carry back, byte for byte.
        #[wire("id", required)]
        pub id: String,
        /// Always `function` today.
        #[wire("type")]
        pub call_type: Option<String>,
        /// The tool's name and arguments.
        #[wire("function", required)]
        pub function: ToolCallFunction,
    }
}

impl ToolCall {
    /// Returns the tool's name.
    pub fn name(&self) -> &str {
        &self.function.name
    }

    /// Decodes the arguments into the tool's own type.
    pub fn arguments<T: DeserializeOwned>(&self) -> Result<T, ArgumentsError> {
        self.function.arguments.decode()
    }
}

lenient_struct! {
    /// The function a tool call invokes.
    pub struct ToolCallFunction {
        /// The tool's name.
        #[wire("name", required)]
        pub name: String,
        /// The arguments the model chose; `null` or absent arguments are an
        /// empty object.
        #[wire("arguments", or_default)]
        pub arguments: Arguments,
    }
}

/// Tool-call arguments as received: a JSON object, or a string holding JSON
/// (OpenAI's format). Both decode the same way with [`Arguments::decode`].
/// A string that is not JSON fails only that call, not the whole message.
///
/// A string holding JSON is parsed once, when the message is decoded, and
/// serialises back as the parsed value rather than as the string.
#[derive(Clone, Debug, PartialEq)]
pub struct Arguments {
    value: Value,
    /// Whether `value` is a string that failed to parse as JSON.
    not_json: bool,
}

impl Default for Arguments {
    fn default() -> Self {
        Arguments::from_value(Value::Object(Map::new()))
    }
}

/// Tool-call arguments that do not fit the tool's argument type.
#[derive(Debug, thiserror::Error)]
pub enum ArgumentsError {
    /// The arguments came as a string that does not parse as JSON, or
    /// holds JSON nested too deep or a number out of range.
    #[error("arguments could not be parsed as JSON: {0}")]
    NotJson(serde_json::Error),
    /// The arguments are JSON but do not match the expected type.
    #[error("invalid arguments at `{path}`: {source}")]
    Invalid {
        /// The JSON path of the value that failed, `.` for the root.
        path: String,
        /// What was wrong with it.
        source: serde_json::Error,
    },
}

impl Arguments {
    /// Builds arguments from a JSON value.
    pub fn from_value(value: Value) -> Self {
        Arguments {
            value,
            not_json: false,
        }
    }

    /// Returns the arguments as a JSON value; a string that was not valid
    /// JSON is returned as that string.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// Decodes the arguments into the tool's own type.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, ArgumentsError> {
        if self.not_json {
            // Parsing again costs little on this rare path and yields the
            // parser's own error, with its line and column. It parses into
            // the same `Value` as the first time, so text that is JSON but
            // too deep or with a number out of range fails here too instead
            // of being decoded as the string it was sent in.
            let text = self.value.as_str().unwrap_or_default();
            if let Err(error) = serde_json::from_str::<Value>(text) {
                return Err(ArgumentsError::NotJson(error));
            }
        }
        serde_path_to_error::deserialize(&self.value).map_err(|error| ArgumentsError::Invalid {
            path: error.path().to_string(),
            source: error.into_inner(),
        })
    }
}

impl Serialize for Arguments {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Arguments {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Option::<Value>::deserialize(deserializer)?;
        Ok(match value {
            None => Arguments::default(),
            // Models send `""` for a tool without parameters.
            Some(Value::String(text)) if text.trim().is_empty() => Arguments::default(),
            Some(Value::String(text)) => match serde_json::from_str::<Value>(&text) {
                Ok(parsed) => Arguments::from_value(parsed),
                Err(_) => Arguments {
                    value: Value::String(text),
                    not_json: true,
                },
            },
            Some(other) => Arguments::from_value(other),
        })
    }
}
