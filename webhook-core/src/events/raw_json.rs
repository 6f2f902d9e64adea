//! [`RawJson`]: a JSON value kept as the text it was received as, for the
//! parts of a message that few handlers read.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde::ser::{Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

use super::lenient::WireStr;

/// A JSON value kept as received and parsed only when asked.
///
/// Payloads use it for the parts of a message that are large, have no
/// fixed shape, or are rarely read. These are the assistant configuration,
/// messages in OpenAI format, structured data, transfer destinations and
/// every field a payload type does not model (`extra`). Decoding a message checks
/// the syntax of these values and copies their text, which costs a fraction
/// of building a [`serde_json::Value`] tree for them.
///
/// Read one with [`parse`](Self::parse) into your own type, or with
/// [`to_value`](Self::to_value) into a `Value`:
///
/// ```
/// use webhook_core::events::RawJson;
///
/// let raw = RawJson::from_text(r#"{"name": "Ava", "voice": {"provider": "vapi"}}"#)?;
///
/// // `Cow` borrows the name from the text unless it has escapes (`\"`),
/// // which a `&str` field would reject. `parse_owned` suits `String`s.
/// #[derive(serde::Deserialize)]
/// struct Assistant<'a> {
///     #[serde(borrow)]
///     name: std::borrow::Cow<'a, str>,
/// }
/// let assistant: Assistant<'_> = raw.parse()?;
/// assert_eq!(assistant.name, "Ava");
/// assert_eq!(raw.to_value()?["voice"]["provider"], "vapi");
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// It serialises back as the same text with `serde_json`. Other serde
/// formats see the private wrapper that `serde_json` uses for
/// [`RawValue`], so convert with `to_value` first to write another format.
///
/// `Debug` prints only the size of the value, because these fields carry
/// data that must not reach a log: an assistant's server headers, tool
/// credentials, transfer numbers. `Display` writes the whole text, as
/// [`get`](Self::get) returns it, so log a `RawJson` with `%` only on
/// purpose.
#[derive(Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// Checks that `text` is one JSON value and keeps it as it is.
    ///
    /// # Errors
    ///
    /// Returns the parser's error when `text` is not valid JSON.
    pub fn from_text(text: impl Into<String>) -> Result<Self, serde_json::Error> {
        RawValue::from_string(text.into()).map(RawJson)
    }

    /// Serialises `value` to JSON text.
    ///
    /// # Errors
    ///
    /// Returns the serialiser's error, e.g. for a map whose keys are not
    /// strings.
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        serde_json::value::to_raw_value(value).map(RawJson)
    }

    /// Returns the JSON text, exactly as received.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// Returns whether the value is `null`.
    pub fn is_null(&self) -> bool {
        self.get() == "null"
    }

    /// Parses the value into `T`, which may borrow strings from it.
    ///
    /// A `&str` field fails on a string with escapes, which cannot be
    /// borrowed: use `Cow<'a, str>` with `#[serde(borrow)]`, or a `String`.
    ///
    /// # Errors
    ///
    /// Returns `serde_json`'s error when the value does not fit `T`.
    pub fn parse<'a, T: Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.get())
    }

    /// Parses the value into an owned `T`.
    ///
    /// # Errors
    ///
    /// Returns `serde_json`'s error when the value does not fit `T`.
    pub fn parse_owned<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.get())
    }

    /// Returns the `name` string of an object, borrowed unless it has
    /// escapes. `None` when the value is not an object or has no string
    /// `name`.
    pub(crate) fn name_field(&self) -> Option<Cow<'_, str>> {
        #[derive(serde::Deserialize)]
        struct Named<'a> {
            // `Cow` alone would always copy inside an `Option`, a serde
            // limitation; `WireStr` borrows.
            #[serde(borrow)]
            name: Option<WireStr<'a>>,
        }
        self.parse::<Named<'_>>().ok()?.name.map(WireStr::into_cow)
    }

    /// Parses the value into a [`serde_json::Value`].
    ///
    /// # Errors
    ///
    /// Returns `serde_json`'s error for valid JSON that a `Value` cannot
    /// hold: a number out of the range of `f64` (`1e400`), or nesting deeper
    /// than 128 levels.
    pub fn to_value(&self) -> Result<Value, serde_json::Error> {
        serde_json::from_str(self.get())
    }
}

/// Wraps JSON text that serde_json has already checked, without copying it.
impl From<Box<RawValue>> for RawJson {
    fn from(json: Box<RawValue>) -> Self {
        RawJson(json)
    }
}

impl From<Value> for RawJson {
    fn from(value: Value) -> Self {
        // A `Value` always serialises, because its map keys are strings and
        // its numbers are finite, so the fallback is never taken.
        RawJson::from_serialize(&value).unwrap_or_default()
    }
}

impl Default for RawJson {
    /// Returns `null`.
    fn default() -> Self {
        RawJson(Box::<RawValue>::default())
    }
}

/// Two values are equal when they are the same JSON value: the text may
/// differ in whitespace, key order or number spelling (`1.0` and `1e0`).
/// A value that a `Value` cannot hold (see [`RawJson::to_value`]) equals
/// only the same text.
impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        if self.get() == other.get() {
            return true;
        }
        match (self.to_value(), other.to_value()) {
            (Ok(left), Ok(right)) => left == right,
            _ => false,
        }
    }
}

impl PartialEq<Value> for RawJson {
    fn eq(&self, other: &Value) -> bool {
        self.to_value().is_ok_and(|value| value == *other)
    }
}

/// Writes `RawJson(<N bytes>)`, never the text, which may hold secrets.
impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawJson(<{} bytes>)", self.get().len())
    }
}

impl fmt::Display for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(RawJson)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn text_is_kept_as_received() {
        let raw: RawJson = serde_json::from_str(r#"{"a": [1, 2.50, "x"]}"#).unwrap();
        assert_eq!(raw.get(), r#"{"a": [1, 2.50, "x"]}"#);
        assert_eq!(
            serde_json::to_string(&raw).unwrap(),
            r#"{"a": [1, 2.50, "x"]}"#
        );
    }

    #[test]
    fn parse_borrows_and_to_value_builds_a_tree() {
        let raw = RawJson::from_text(r#"{"name":"Ava","n":2}"#).unwrap();
        #[derive(serde::Deserialize)]
        struct Named<'a> {
            name: &'a str,
        }
        assert_eq!(raw.parse::<Named<'_>>().unwrap().name, "Ava");
        assert_eq!(raw.to_value().unwrap(), json!({"name": "Ava", "n": 2}));
        assert!(raw.parse::<Vec<u8>>().is_err());
    }

    #[test]
    fn invalid_text_is_rejected() {
        assert!(RawJson::from_text("{").is_err());
        assert!(RawJson::from_text("1 2").is_err());
    }

    #[test]
    fn equality_is_by_json_value() {
        let spaced = RawJson::from_text(r#"{ "a": 1, "b": true }"#).unwrap();
        let reordered = RawJson::from_text(r#"{"b":true,"a":1}"#).unwrap();
        assert_eq!(spaced, reordered);
        assert_ne!(spaced, RawJson::from_text(r#"{"a":2,"b":true}"#).unwrap());
        assert_eq!(spaced, json!({"a": 1, "b": true}));
    }

    #[test]
    fn default_and_from_value() {
        assert!(RawJson::default().is_null());
        assert_eq!(RawJson::from(json!([1, "x"])).get(), r#"[1,"x"]"#);
    }

    #[test]
    fn decodes_from_a_value_tree() {
        let raw: RawJson = serde_json::from_value(json!({"k": [true]})).unwrap();
        assert_eq!(raw.to_value().unwrap(), json!({"k": [true]}));
    }

    #[test]
    fn values_a_tree_cannot_hold() {
        let huge = RawJson::from_text("1e400").unwrap();
        assert!(huge.to_value().is_err());
        assert_ne!(huge, RawJson::from_text("[1e999]").unwrap());
        assert_ne!(huge, Value::Null);
        assert_eq!(huge, RawJson::from_text("1e400").unwrap());
    }

    #[test]
    fn debug_hides_the_text() {
        let raw = RawJson::from_text(r#"{"authorization":"Bearer secret"}"#).unwrap();
        assert_eq!(format!("{raw:?}"), "RawJson(<33 bytes>)");
    }

    #[test]
    fn name_field_borrows() {
        let raw = RawJson::from_text(r#"{"name":"lookup"}"#).unwrap();
        assert!(matches!(raw.name_field(), Some(Cow::Borrowed("lookup"))));
        let escaped = RawJson::from_text(r#"{"name":"look\"up"}"#).unwrap();
        assert_eq!(escaped.name_field().as_deref(), Some("look\"up"));
        assert_eq!(RawJson::from_text("[1]").unwrap().name_field(), None);
    }
}
