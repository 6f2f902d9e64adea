//! The `tool-calls` payload and tool-call arguments.

use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use super::lenient::{lenient_struct, message_struct};
use super::{Artifact, Call, Chat, Customer, PhoneNumber, RawJson, Timestamp};
use crate::delivery::reason;
use crate::delivery::surrogates::replace_lone_surrogates;

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
    ///
    /// # Errors
    ///
    /// Returns [`ArgumentsError::NotJson`] when the arguments came as a
    /// string that is not JSON, and [`ArgumentsError::Invalid`], with the
    /// path of the value, when they do not fit `T`.
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
/// (OpenAI's format). Both decode the same way with [`Arguments::decode`],
/// straight from the JSON text, so a number keeps every digit it was sent
/// with. A string that is not JSON fails only that call, not the whole
/// message.
///
/// A string containing JSON serialises back as that JSON rather than as
/// the string. `Debug` prints only the size, as for [`RawJson`], because
/// arguments carry the caller's words (names, numbers, addresses).
#[derive(Clone, PartialEq)]
pub struct Arguments(Received);

#[derive(Clone, PartialEq)]
enum Received {
    /// The object as sent, or the JSON text a string contained.
    Json(RawJson),
    /// A string that is not JSON, kept so that decoding can explain it.
    NotJson(String),
}

impl Default for Arguments {
    /// Returns an empty object, which is what a tool without parameters
    /// receives.
    fn default() -> Self {
        Arguments::from_value(Value::Object(serde_json::Map::new()))
    }
}

/// Tool-call arguments that do not fit the tool's argument type.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ArgumentsError {
    /// The arguments came as a string that is not JSON.
    #[error("arguments could not be parsed as JSON: {0}")]
    NotJson(serde_json::Error),
    /// The arguments are JSON but do not match the expected type.
    // The position in the arguments' text is left out: the path places the
    // value, and the text may be a default the model never sent.
    #[error("invalid arguments at `{path}`: {}", reason(source))]
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
        Arguments(Received::Json(RawJson::from(value)))
    }

    /// Builds arguments from JSON text.
    pub fn from_json(json: RawJson) -> Self {
        Arguments(Received::Json(json))
    }

    /// Returns the arguments as JSON text, or `None` when they came as a
    /// string that is not JSON.
    pub fn json(&self) -> Option<&RawJson> {
        match &self.0 {
            Received::Json(json) => Some(json),
            Received::NotJson(_) => None,
        }
    }

    /// Decodes the arguments into the tool's own type.
    ///
    /// # Errors
    ///
    /// Returns [`ArgumentsError::NotJson`] for a string that is not JSON,
    /// and [`ArgumentsError::Invalid`] with the JSON path of the first
    /// value that does not fit `T`.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, ArgumentsError> {
        let json = match &self.0 {
            Received::Json(json) => json.get(),
            Received::NotJson(text) => {
                // Parsing again costs little on this rare path and yields
                // the parser's own error, with its line and column.
                match serde_json::from_str::<&RawValue>(text) {
                    Err(error) => return Err(ArgumentsError::NotJson(error)),
                    Ok(json) => json.get(),
                }
            }
        };
        if let Ok(decoded) = serde_json::from_str(json) {
            return Ok(decoded);
        }
        decode_slowly(json)
    }
}

/// Decodes arguments whose text did not decode into `T` directly, giving
/// them the same treatment as the rest of the message, and explains the
/// failure when that does not help either.
fn decode_slowly<T: DeserializeOwned>(json: &str) -> Result<T, ArgumentsError> {
    // A lone surrogate escape becomes U+FFFD, as in typed message fields.
    let repaired = replace_lone_surrogates(json);
    let json = repaired.as_deref().unwrap_or(json);

    // A `Value` keeps the last of repeated keys, as decoding the message
    // does, where serde's derived types reject a repeated field.
    if let Ok(value) = serde_json::from_str::<Value>(json) {
        if let Ok(decoded) = T::deserialize(value) {
            return Ok(decoded);
        }
    }

    // Tracking the path copies every key, so it is done only to explain a
    // failure.
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| ArgumentsError::Invalid {
        path: error.path().to_string(),
        source: error.into_inner(),
    })
}

/// Writes `Arguments(<N bytes>)`, never the text.
impl std::fmt::Debug for Arguments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Received::Json(json) => write!(f, "Arguments(<{} bytes>)", json.get().len()),
            Received::NotJson(text) => write!(f, "Arguments(<{} bytes, not JSON>)", text.len()),
        }
    }
}

impl Serialize for Arguments {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Received::Json(json) => json.serialize(serializer),
            Received::NotJson(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for Arguments {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Some(json) = Option::<RawJson>::deserialize(deserializer)? else {
            return Ok(Arguments::default());
        };
        if !json.get().starts_with('"') {
            return Ok(Arguments::from_json(json));
        }

        let text: String = serde_json::from_str(json.get()).map_err(D::Error::custom)?;
        // Models send `""` for a tool without parameters.
        if text.trim().is_empty() {
            return Ok(Arguments::default());
        }
        // Parsed once, borrowed, so that text which is not JSON is kept as
        // it came.
        let json = match serde_json::from_str::<&RawValue>(&text) {
            Ok(json) => RawJson::from(json.to_owned()),
            Err(_) => return Ok(Arguments(Received::NotJson(text))),
        };
        Ok(Arguments::from_json(json))
    }
}
