//! The `tool-calls` payload and tool-call arguments.

use std::borrow::Cow;

use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Artifact, Call, Chat, Customer, PhoneNumber, Timestamp};

/// `server.toolCalls`: the model called one or more tools and Vapi waits for
/// their results.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolCalls {
    /// When Vapi sent the message; absent in chat sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
    /// The calls to answer, in the order their results must be sent.
    #[serde(default, deserialize_with = "null_as_default")]
    pub tool_call_list: Vec<ToolCall>,
    /// The call; absent in chat sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<Call>,
    /// The chat session; present instead of `call` for text chats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat: Option<Chat>,
    /// The caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Customer>,
    /// The Vapi number involved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<PhoneNumber>,
    /// The conversation so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact: Option<Artifact>,
    /// Each call paired with its tool's configuration, as Vapi sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_with_tool_call_list: Option<Vec<Value>>,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// One tool call (Vapi's `ToolCall`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolCall {
    /// The id the result must carry back, byte for byte.
    pub id: String,
    /// Always `function` today.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub call_type: Option<String>,
    /// The tool's name and arguments.
    pub function: ToolCallFunction,
    /// Fields this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
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

/// The function a tool call invokes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ToolCallFunction {
    /// The tool's name.
    pub name: String,
    /// The arguments the model chose.
    #[serde(default)]
    pub arguments: Arguments,
}

/// Tool-call arguments as received: a JSON object, or a string holding JSON
/// (OpenAI's format). Both decode the same way with [`Arguments::decode`].
/// A string that is not JSON fails only that call, not the whole message.
#[derive(Clone, Debug, PartialEq)]
pub struct Arguments {
    value: Value,
    raw_string: Option<String>,
}

impl Default for Arguments {
    fn default() -> Self {
        Arguments {
            value: Value::Object(Map::new()),
            raw_string: None,
        }
    }
}

/// Tool-call arguments that do not fit the tool's argument type.
#[derive(Debug, thiserror::Error)]
pub enum ArgumentsError {
    /// The arguments came as a string that is not valid JSON.
    #[error("arguments are not valid JSON: {0}")]
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
            raw_string: None,
        }
    }

    /// Returns the arguments as a JSON value; a string that was not valid
    /// JSON is returned as that string.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// Decodes the arguments into the tool's own type.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, ArgumentsError> {
        if let Some(raw) = &self.raw_string {
            if let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(raw) {
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
            Some(Value::String(text)) => {
                let text: Cow<'_, str> = Cow::Owned(text);
                match serde_json::from_str::<Value>(&text) {
                    Ok(parsed) => Arguments::from_value(parsed),
                    Err(_) => Arguments {
                        value: Value::String(text.clone().into_owned()),
                        raw_string: Some(text.into_owned()),
                    },
                }
            }
            Some(other) => Arguments::from_value(other),
        })
    }
}
