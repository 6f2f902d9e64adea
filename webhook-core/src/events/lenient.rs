//! The `lenient_struct!` macro that declares payload structs, with the
//! streaming `Deserialize` and the `Serialize` impls it generates.
//!
//! serde's `#[serde(flatten)]` would keep unknown fields too, but it buffers
//! the whole object into an intermediate tree before decoding any field, so
//! a multi-megabyte end-of-call report would be held twice. The generated
//! `Deserialize` reads each key once from the stream instead: a known key
//! decodes straight into its field's type, and an unknown key's value is
//! kept as text, a [`RawJson`](super::RawJson) in `extra`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{Deserialize, Deserializer, Error, Visitor};

/// Declares a payload struct whose fields are decoded leniently.
///
/// ```text
/// lenient_struct! {
///     /// Doc comment of the struct.
///     #[debug_redact(name, email; extra)]
///     pub struct Name {
///         /// Doc comment of the field.
///         #[wire("camelCaseName")]
///         pub field: Option<T>,
///         #[wire("id", required)]
///         pub id: String,
///         #[wire("list", or_default)]
///         pub list: Vec<T>,
///         #[wire("name")]
///         pub name: Option<String>,
///         #[wire("email")]
///         pub email: Option<String>,
///     }
/// }
/// ```
///
/// The struct gets one more field, `extra: BTreeMap<String, RawJson>`, and derives
/// `Clone`, `Default` and `PartialEq`. Each field has one of three modes:
///
/// | mode | field type | absent | `null` |
/// | --- | --- | --- | --- |
/// | (none) | `Option<T>` | `None` | `None` |
/// | `required` | `T` | error: missing field | error unless `T` accepts `null` |
/// | `or_default` | `T: Default` | `T::default()` | `T::default()` |
///
/// Decoding accepts the keys in any order, keeps the last value of a
/// repeated key, and puts every key that names no field into `extra`.
/// Serialising writes the fields under their wire names (a `None` is
/// omitted), then the `extra` entries at the same level, so the output has
/// the shape of the input. An `extra` key that is also a field's wire name
/// is skipped, because the field is written already.
///
/// The generated `Debug` prints what `#[derive(Debug)]` would, except for
/// what the optional `#[debug_redact(...)]` attribute names. It keeps
/// personal data and credentials out of a log line such as
/// `tracing::info!(?payload)`:
///
/// | in `debug_redact` | `Debug` of the value |
/// | --- | --- |
/// | a field name, before the `;` | `Some(<redacted>)` or `None`: whether it is set, never its value |
/// | `; extra` at the end | `extra` with its keys, each value `<redacted>` |
///
/// A redacted field must be an `Option`, and `#[debug_redact(; extra)]`
/// hides the `extra` values alone. The attribute goes after the doc comment
/// and before any other attribute. Fields it does not name print in full,
/// and serialising is unchanged, because redaction applies to `Debug` only.
macro_rules! lenient_struct {
    (
        $(#[doc = $doc:literal])*
        #[debug_redact($($redacted:ident),* ; extra)]
        $(#[$struct_meta:meta])*
        pub struct $name:ident { $($body:tt)* }
    ) => {
        lenient_struct! {
            @define [$($redacted),*] [extra]
            $(#[doc = $doc])*
            $(#[$struct_meta])*
            pub struct $name { $($body)* }
        }
    };

    (
        $(#[doc = $doc:literal])*
        #[debug_redact($($redacted:ident),*)]
        $(#[$struct_meta:meta])*
        pub struct $name:ident { $($body:tt)* }
    ) => {
        lenient_struct! {
            @define [$($redacted),*] []
            $(#[doc = $doc])*
            $(#[$struct_meta])*
            pub struct $name { $($body)* }
        }
    };

    (
        $(#[doc = $doc:literal])*
        #[debug_redact $($invalid:tt)*]
        $($rest:tt)*
    ) => {
        compile_error!(
            "invalid `debug_redact`: expected field names separated by commas, \
             optionally followed by `; extra`"
        );
    };

    (
        $(#[$struct_meta:meta])*
        pub struct $name:ident { $($body:tt)* }
    ) => {
        lenient_struct! {
            @define [] []
            $(#[$struct_meta])*
            pub struct $name { $($body)* }
        }
    };

    (
        @define [$($redacted:ident),*] [$($redact_extra:ident)?]
        $(#[$struct_meta:meta])*
        pub struct $name:ident {
            $(
                $(#[doc = $doc:literal])*
                #[wire($wire:literal $(, $mode:ident)?)]
                pub $field:ident : $ty:ty,
            )*
        }
    ) => {
        $(#[$struct_meta])*
        ///
        /// New fields come with new versions of Vapi's schema, so the struct
        /// is `#[non_exhaustive]`: outside this crate, build one from
        /// `Default::default()` and set its public fields.
        #[derive(Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct $name {
            $(
                $(#[doc = $doc])*
                pub $field: $ty,
            )*
            /// Fields this type does not model, as received. They are
            /// serialised back after the typed fields, at the same level.
            pub extra: std::collections::BTreeMap<String, $crate::events::RawJson>,
        }

        impl $crate::events::lenient::WireNames for $name {
            const WIRE_NAMES: &'static [&'static str] = &[$($wire),*];
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                struct FieldsVisitor;

                impl<'de> serde::de::Visitor<'de> for FieldsVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a `", stringify!($name), "` object"))
                    }

                    fn visit_map<A>(self, mut map: A) -> Result<$name, A::Error>
                    where
                        A: serde::de::MapAccess<'de>,
                    {
                        $(
                            let mut $field: lenient_struct!(@slot [$($mode)?] $ty) = None;
                        )*
                        let mut extra = std::collections::BTreeMap::new();

                        while let Some(key) =
                            map.next_key::<$crate::events::lenient::WireStr<'de>>()?
                        {
                            match key.as_str() {
                                $(
                                    $wire => {
                                        $field = Some(lenient_struct!(@read map [$($mode)?] $ty));
                                    }
                                )*
                                _ => {
                                    let value = map.next_value::<$crate::events::RawJson>()?;
                                    extra.insert(key.into_string(), value);
                                }
                            }
                        }

                        Ok($name {
                            $(
                                $field: lenient_struct!(@finish $field [$($mode)?] $wire),
                            )*
                            extra,
                        })
                    }
                }

                deserializer.deserialize_map(FieldsVisitor)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> Result<S::Ok, S::Error>
            where
                S: serde::Serializer,
            {
                use serde::ser::SerializeMap;

                const WIRE_NAMES: &[&str] = &[$($wire),*];

                let mut map = serializer.serialize_map(None)?;
                $(
                    lenient_struct!(@write map [$($mode)?] $wire, &self.$field);
                )*
                for (key, value) in &self.extra {
                    if !WIRE_NAMES.contains(&key.as_str()) {
                        map.serialize_entry(key, value)?;
                    }
                }
                map.end()
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let $name { $($field,)* extra } = self;
                // A redacted field's name is rebound to its redacted form,
                // so a name in `debug_redact` that is not a field is a
                // compile error here.
                $(
                    let $redacted = &$crate::events::lenient::Redacted::new($redacted);
                )*
                f.debug_struct(stringify!($name))
                    $(.field(stringify!($field), $field))*
                    .field("extra", lenient_struct!(@debug_extra [$($redact_extra)?] extra))
                    .finish()
            }
        }
    };

    // The `Debug` form of `extra`: as is, or with its values redacted.
    (@debug_extra [] $extra:expr) => { $extra };
    (@debug_extra [extra] $extra:expr) => {
        &$crate::events::lenient::RedactedValues($extra)
    };

    // The slot that contains a field's value while the keys are read: `None`
    // until its key is seen.
    (@slot [] $ty:ty) => { Option<$ty> };
    (@slot [required] $ty:ty) => { Option<$ty> };
    (@slot [or_default] $ty:ty) => { Option<Option<$ty>> };

    // Decodes the value of a field's key from the stream.
    (@read $map:ident [] $ty:ty) => { $map.next_value::<$ty>()? };
    (@read $map:ident [required] $ty:ty) => { $map.next_value::<$ty>()? };
    (@read $map:ident [or_default] $ty:ty) => { $map.next_value::<Option<$ty>>()? };

    // Turns a slot into the field's value once every key is read.
    (@finish $slot:ident [] $wire:literal) => {
        $crate::events::lenient::optional($slot)
    };
    (@finish $slot:ident [required] $wire:literal) => {
        match $slot {
            Some(value) => value,
            None => return Err(serde::de::Error::missing_field($wire)),
        }
    };
    (@finish $slot:ident [or_default] $wire:literal) => {
        $slot.flatten().unwrap_or_default()
    };

    // Writes one field: an optional field only when it is set.
    (@write $map:ident [] $wire:literal, $value:expr) => {
        if let Some(value) = $value {
            $map.serialize_entry($wire, value)?;
        }
    };
    (@write $map:ident [$mode:ident] $wire:literal, $value:expr) => {
        $map.serialize_entry($wire, $value)?;
    };
}

pub(super) use lenient_struct;

/// Declares a message payload: `lenient_struct!` plus the envelope fields
/// every Vapi message may carry, and a `call_id()` accessor. It takes doc
/// comments and an optional `#[debug_redact(field, ...)]` after them, as
/// `lenient_struct!` does (without `; extra`).
macro_rules! message_struct {
    (
        $(#[doc = $doc:literal])*
        #[debug_redact($($redacted:ident),*)]
        pub struct $name:ident { $($fields:tt)* }
    ) => {
        message_struct! {
            @define [$($redacted),*]
            $(#[doc = $doc])*
            pub struct $name { $($fields)* }
        }
    };

    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident { $($fields:tt)* }
    ) => {
        message_struct! {
            @define []
            $(#[doc = $doc])*
            pub struct $name { $($fields)* }
        }
    };

    (
        @define [$($redacted:ident),*]
        $(#[doc = $doc:literal])*
        pub struct $name:ident { $($fields:tt)* }
    ) => {
        lenient_struct! {
            $(#[doc = $doc])*
            #[debug_redact($($redacted),*)]
            pub struct $name {
                /// When Vapi sent the message.
                #[wire("timestamp")]
                pub timestamp: Option<Timestamp>,
                /// The call; absent for chats and some lifecycle events.
                #[wire("call")]
                pub call: Option<Call>,
                /// The caller.
                #[wire("customer")]
                pub customer: Option<Customer>,
                /// The Vapi number involved.
                #[wire("phoneNumber")]
                pub phone_number: Option<PhoneNumber>,
                /// The chat session, for text chats.
                #[wire("chat")]
                pub chat: Option<Chat>,
                /// The conversation so far.
                #[wire("artifact")]
                pub artifact: Option<Artifact>,
                /// The assistant configuration of the call, as Vapi sent it.
                #[wire("assistant")]
                pub assistant: Option<RawJson>,
                $($fields)*
            }
        }

        impl $name {
            /// Returns `call.id`, or `chat.id` for chats.
            pub fn call_id(&self) -> Option<&str> {
                self.call
                    .as_ref()
                    .and_then(|call| call.id.as_deref())
                    .or_else(|| self.chat.as_ref().and_then(|chat| chat.id.as_deref()))
            }
        }
    };
}
pub(super) use message_struct;

/// The wire names of a payload struct's typed fields, in declaration order.
///
/// A misspelt wire name decodes nothing and fails no test that does not
/// set that field: the value lands in `extra`. The workspace's schema test
/// compares these names with the properties of Vapi's schemas. Not part of
/// the public API.
#[doc(hidden)]
pub trait WireNames {
    /// The wire name of each typed field.
    const WIRE_NAMES: &'static [&'static str];
}

/// The wire strings of an open enumeration's known variants.
///
/// A misspelt string reads every such value as `Other`, so a `match` on
/// the variant never fires. The workspace's schema test compares these
/// strings with the enumerations of Vapi's schemas. Not part of the public
/// API.
#[doc(hidden)]
pub trait WireValues {
    /// The wire string of each known variant.
    const WIRE_VALUES: &'static [&'static str];
}

/// The `Debug` form of a field named in `debug_redact`: `Some(<redacted>)`
/// or `None`, so a reader still sees whether the value was sent.
pub(crate) struct Redacted(bool);

impl Redacted {
    /// Keeps whether `value` is set, never the value.
    pub(crate) fn new<T>(value: &Option<T>) -> Self {
        Redacted(value.is_some())
    }
}

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 {
            f.debug_tuple("Some").field(&Hidden).finish()
        } else {
            f.write_str("None")
        }
    }
}

/// The `Debug` form of an `extra` map under `debug_redact(; extra)`: its
/// keys, each with the value `<redacted>`.
pub(crate) struct RedactedValues<'a, V>(pub(crate) &'a BTreeMap<String, V>);

impl<V> fmt::Debug for RedactedValues<'_, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.keys().map(|key| (key, Hidden)))
            .finish()
    }
}

/// Writes `<redacted>` in place of a value.
struct Hidden;

impl fmt::Debug for Hidden {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Flattens the slot of an optional field. Taking `Option<Option<T>>` makes
/// a field without a mode fail to compile unless its type is an `Option`.
pub(crate) fn optional<T>(slot: Option<Option<T>>) -> Option<T> {
    slot.flatten()
}

/// A string read from the stream, borrowed from the input when it has no
/// escapes, so matching a key or an enumeration value allocates nothing.
#[derive(Debug)]
pub(crate) struct WireStr<'de>(Cow<'de, str>);

impl<'de> WireStr<'de> {
    /// Returns the string.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// Returns the string, still borrowed when it was.
    pub(crate) fn into_cow(self) -> Cow<'de, str> {
        self.0
    }

    /// Returns the string as an owned `String`, copying it only if it was
    /// borrowed.
    pub(crate) fn into_string(self) -> String {
        self.0.into_owned()
    }
}

// The string may live shorter than the input (`'de: 'a`), so a struct
// field with `#[serde(borrow)]` can hold it.
impl<'de: 'a, 'a> Deserialize<'de> for WireStr<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(WireStrVisitor(std::marker::PhantomData))
    }
}

struct WireStrVisitor<'a>(std::marker::PhantomData<&'a str>);

impl<'de: 'a, 'a> Visitor<'de> for WireStrVisitor<'a> {
    type Value = WireStr<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: Error>(self, value: &'de str) -> Result<WireStr<'a>, E> {
        Ok(WireStr(Cow::Borrowed(value)))
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<WireStr<'a>, E> {
        Ok(WireStr(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E: Error>(self, value: String) -> Result<WireStr<'a>, E> {
        Ok(WireStr(Cow::Owned(value)))
    }
}
