//! The length limits that Vapi's schema sets on reply strings (`minLength`
//! and `maxLength`), the check that finds a reply field outside them, and
//! the log line of each field it finds.
//!
//! Vapi rejects a reply that breaks one of these limits, and the call then
//! goes wrong without the caller learning why. The framework never rewrites
//! or drops a user's reply, because the schema may lag behind what Vapi
//! accepts. It reports instead: each reply type with a limited field has a
//! `check_lengths` method, and the receiver logs every error it returns.

use std::fmt;
use std::ops::RangeInclusive;

use serde_json::Value;

/// A reply field whose length is outside the range that Vapi's schema
/// allows for it.
///
/// The length is counted in UTF-16 code units, as JavaScript's
/// `String.length` counts it (`str::encode_utf16().count()`), not in bytes
/// or `char`s: `"é"` counts 1 and an emoji outside the Basic Multilingual
/// Plane, such as `"🙂"`, counts 2.
///
/// NOTE: Vapi's server code is not public. If it validates with
/// class-validator, whose `MaxLength` counts a surrogate pair as one and
/// skips the variation selectors U+FE0E and U+FE0F, Vapi's count is never
/// higher than this one. Then a string reported as too long may still pass,
/// but no string too long for Vapi goes unreported. For minimum lengths it
/// is the other way round: an `extension` of `"\u{FE0F}"` alone counts 1
/// here and passes, while such a count would make it 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LengthError {
    path: String,
    length: usize,
    min: usize,
    max: usize,
}

impl LengthError {
    /// Returns the JSON path of the field, such as `destination.number` or
    /// `results[2].message.content`, from the value that was checked.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Returns the length of the field in UTF-16 code units.
    pub fn length(&self) -> usize {
        self.length
    }

    /// Returns the lengths Vapi's schema allows, in UTF-16 code units.
    pub fn allowed(&self) -> RangeInclusive<usize> {
        self.min..=self.max
    }
}

impl fmt::Display for LengthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "reply field `{}` is {} UTF-16 code {} long, but Vapi's schema allows ",
            self.path,
            self.length,
            if self.length == 1 { "unit" } else { "units" }
        )?;
        if self.min == 0 {
            write!(f, "at most {}", self.max)
        } else {
            write!(f, "{} to {}", self.min, self.max)
        }
    }
}

impl std::error::Error for LengthError {}

/// Every length error of one checked value, in the order of its fields.
/// It is never empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LengthErrors {
    errors: Vec<LengthError>,
}

impl LengthErrors {
    /// Returns the errors in the order of the value's fields.
    pub fn as_slice(&self) -> &[LengthError] {
        &self.errors
    }

    /// Returns an iterator over the errors in the order of the value's
    /// fields.
    pub fn iter(&self) -> std::slice::Iter<'_, LengthError> {
        self.errors.iter()
    }
}

impl fmt::Display for LengthErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.errors.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            fmt::Display::fmt(error, f)?;
        }
        Ok(())
    }
}

impl std::error::Error for LengthErrors {}

impl IntoIterator for LengthErrors {
    type Item = LengthError;
    type IntoIter = std::vec::IntoIter<LengthError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}

impl<'a> IntoIterator for &'a LengthErrors {
    type Item = &'a LengthError;
    type IntoIter = std::slice::Iter<'a, LengthError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.iter()
    }
}

/// The allowed length of one string field, in UTF-16 code units.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limit {
    min: usize,
    max: usize,
}

impl Limit {
    /// `TransferDestinationNumber.number`.
    pub(crate) const NUMBER: Limit = Limit { min: 3, max: 40 };
    /// `TransferDestinationNumber.extension`.
    pub(crate) const EXTENSION: Limit = Limit { min: 1, max: 10 };
    /// `callerId` of `TransferDestinationNumber` and `TransferDestinationSip`.
    pub(crate) const CALLER_ID: Limit = Limit { min: 0, max: 40 };
    /// `content` of `CustomMessage`, `ToolMessageStart`, `ToolMessageComplete`,
    /// `ToolMessageFailed` and `ToolMessageDelayed`: text the assistant speaks.
    pub(crate) const SPOKEN_CONTENT: Limit = Limit { min: 0, max: 1000 };
    /// `param` and `value` of `Condition`: when a tool message is spoken.
    pub(crate) const CONDITION: Limit = Limit { min: 0, max: 1000 };
    /// `OpenAIMessage.content`: a message added to the conversation.
    pub(crate) const CONVERSATION_CONTENT: Limit = Limit {
        min: 0,
        max: 100_000_000,
    };
}

/// The location of a field in a reply's JSON, as a chain of segments on
/// the stack, so a check that finds nothing wrong builds no string.
#[derive(Clone, Copy, Debug)]
pub(crate) enum JsonPath<'a> {
    /// The value being checked.
    Root,
    /// A key of an object.
    Key(&'a JsonPath<'a>, &'static str),
    /// An index of an array.
    Index(&'a JsonPath<'a>, usize),
}

impl<'a> JsonPath<'a> {
    /// Returns the path of `key` in the object at this path.
    pub(crate) fn key(&'a self, key: &'static str) -> JsonPath<'a> {
        JsonPath::Key(self, key)
    }

    /// Returns the path of `index` in the array at this path.
    pub(crate) fn index(&'a self, index: usize) -> JsonPath<'a> {
        JsonPath::Index(self, index)
    }
}

impl fmt::Display for JsonPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonPath::Root => Ok(()),
            JsonPath::Key(JsonPath::Root, key) => f.write_str(key),
            JsonPath::Key(parent, key) => write!(f, "{parent}.{key}"),
            JsonPath::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// The errors found while walking one value. It allocates only when it
/// finds one.
#[derive(Debug, Default)]
pub(crate) struct LengthCheck {
    errors: Vec<LengthError>,
}

impl LengthCheck {
    /// Runs `walk` over a value and returns every error it found.
    pub(crate) fn run(walk: impl FnOnce(&mut LengthCheck)) -> Result<(), LengthErrors> {
        let mut check = LengthCheck::default();
        walk(&mut check);
        if check.errors.is_empty() {
            Ok(())
        } else {
            Err(LengthErrors {
                errors: check.errors,
            })
        }
    }

    /// Checks the string at `key` of the object at `parent`. `None` is an
    /// unset field and passes.
    pub(crate) fn field(
        &mut self,
        parent: &JsonPath<'_>,
        key: &'static str,
        value: Option<&str>,
        limit: Limit,
    ) {
        let Some(value) = value else { return };
        if let Some(length) = length_outside(value, limit) {
            self.errors.push(LengthError {
                path: parent.key(key).to_string(),
                length,
                min: limit.min,
                max: limit.max,
            });
        }
    }

    /// Checks the `content` string of a message object that a reply stores
    /// as a JSON value. A message without a `content` string passes.
    pub(crate) fn message_content(
        &mut self,
        path: &JsonPath<'_>,
        message: Option<&Value>,
        limit: Limit,
    ) {
        let content = message
            .and_then(|message| message.get("content"))
            .and_then(Value::as_str);
        self.field(path, "content", content, limit);
    }

    /// Checks a tool message (Vapi's `ToolMessageStart`, `Complete`,
    /// `Failed` or `Delayed`) stored as a JSON value: its spoken `content`,
    /// and the `param` and `value` strings of each of its `conditions`.
    pub(crate) fn tool_message(&mut self, path: &JsonPath<'_>, message: Option<&Value>) {
        self.message_content(path, message, Limit::SPOKEN_CONTENT);

        let conditions = message
            .and_then(|message| message.get("conditions"))
            .and_then(Value::as_array);
        let conditions_path = path.key("conditions");
        for (index, condition) in conditions.into_iter().flatten().enumerate() {
            let condition_path = conditions_path.index(index);
            for key in ["param", "value"] {
                let text = condition.get(key).and_then(Value::as_str);
                self.field(&condition_path, key, text, Limit::CONDITION);
            }
        }
    }
}

/// Returns the length of `text` in UTF-16 code units when it is outside
/// `limit`.
fn length_outside(text: &str, limit: Limit) -> Option<usize> {
    // Each UTF-16 code unit takes one to three bytes of UTF-8 (a character
    // of four bytes takes two units), so the byte length alone shows that
    // most strings fit, without counting.
    let bytes = text.len();
    if bytes <= limit.max && bytes >= limit.min.saturating_mul(3) {
        return None;
    }

    let length = text.encode_utf16().count();
    (length < limit.min || length > limit.max).then_some(length)
}

/// Logs one length error of a reply, with the event and call id of its
/// delivery, or `-` where they are not known.
pub(crate) fn warn_length_error(error: &LengthError, event: &str, call_id: &str) {
    tracing::warn!(
        target: "webhook::reply",
        event,
        call_id,
        path = error.path(),
        length = error.length(),
        min = error.min,
        max = error.max,
        "reply field length is outside the range of Vapi's schema, so Vapi may reject the reply"
    );
}
