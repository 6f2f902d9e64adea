//! Reads the call id of a message while a type of the user's own decodes
//! it. A handler taking `Message<T>` then costs one pass over the body, as
//! a payload does, also when the delivery's log line names the call.
//!
//! The message's deserializer is wrapped. When `T` reads the message as a
//! map or struct, the values of `call` and `chat` are wrapped in turn. When
//! `T` reads one as a map, struct or option, the tap watches the visitor
//! calls of its `id` and keeps the string it carries. When `T` skips one,
//! the tap reads the `id` itself while skipping. Each object is read once,
//! and `T` gets the same visitor calls it would get without the tap. Every
//! other request goes to serde_json unchanged, and then the id is unknown
//! (`serde_json::Value` reads through `deserialize_any`, `&RawValue` through
//! a newtype struct), so the delivery reads the body for it when asked.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::envelope::read_string;

/// The `id` values of the last `call` and `chat` of a message, when they
/// are strings.
#[derive(Default)]
pub(super) struct Ids<'de> {
    /// Whether `T` read the message as a map, so every entry passed here.
    read: bool,
    /// Whether `T` read a `call`, `chat` or `id` in a way the tap does not
    /// follow.
    unknown: bool,
    call_id: Option<Cow<'de, str>>,
    chat_id: Option<Cow<'de, str>>,
}

impl Ids<'_> {
    /// Returns the call id by the payloads' rule: `call.id`, else `chat.id`
    /// (each the last when a key repeats), when it is a string. The outer
    /// `None` means the ids are unknown rather than absent.
    pub(super) fn call_id(&self) -> Option<Option<String>> {
        if !self.read || self.unknown {
            return None;
        }
        let id = self.call_id.as_ref().or(self.chat_id.as_ref());
        Some(id.map(|id| id.clone().into_owned()))
    }
}

/// Decodes `T` from a message, recording its `call` and `chat` in `ids`.
pub(super) struct TapSeed<'s, 'de, T> {
    pub(super) ids: &'s mut Ids<'de>,
    pub(super) target: std::marker::PhantomData<T>,
}

impl<'de, T: de::Deserialize<'de>> DeserializeSeed<'de> for TapSeed<'_, 'de, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize(Tap {
            inner: deserializer,
            ids: self.ids,
        })
    }
}

/// The wrapped deserializer of the message.
struct Tap<'s, 'de, D> {
    inner: D,
    ids: &'s mut Ids<'de>,
}

/// Writes `Deserializer` methods of a wrapper that pass each request to
/// `inner` with the visitor `$wrapped` makes of it. `$this` and `$visitor`
/// name the wrapper and `T`'s visitor inside `$wrapped`.
macro_rules! forward {
    (|$this:ident, $visitor:ident| $wrapped:expr => $($method:ident($($arg:ident: $ty:ty),*))*) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* $visitor: V) -> Result<V::Value, D::Error> {
            let $this = self;
            let wrapped = $wrapped;
            $this.inner.$method($($arg,)* wrapped)
        }
    )*};
}

/// The `Deserializer` methods that take no argument besides the visitor,
/// other than `deserialize_map` and `deserialize_option`, which the
/// wrappers treat apart.
macro_rules! plain_methods {
    ($callback:ident!($($prefix:tt)*)) => {
        $callback!($($prefix)*
            deserialize_any() deserialize_bool() deserialize_i8() deserialize_i16()
            deserialize_i32() deserialize_i64() deserialize_i128() deserialize_u8()
            deserialize_u16() deserialize_u32() deserialize_u64() deserialize_u128()
            deserialize_f32() deserialize_f64() deserialize_char() deserialize_str()
            deserialize_string() deserialize_bytes() deserialize_byte_buf()
            deserialize_unit() deserialize_seq() deserialize_identifier()
        );
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Tap<'_, 'de, D> {
    type Error = D::Error;

    forward! {
        |this, visitor| TapVisitor { inner: visitor, ids: this.ids } =>
        deserialize_map()
        deserialize_struct(name: &'static str, fields: &'static [&'static str])
    }

    plain_methods!(forward!(|this, visitor| visitor =>));

    forward! {
        |this, visitor| visitor =>
        deserialize_option()
        deserialize_ignored_any()
        deserialize_unit_struct(name: &'static str)
        deserialize_newtype_struct(name: &'static str)
        deserialize_tuple(len: usize)
        deserialize_tuple_struct(name: &'static str, len: usize)
        deserialize_enum(name: &'static str, variants: &'static [&'static str])
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// Hands `T`'s visitor a map that records `call` and `chat` on the way.
struct TapVisitor<'s, 'de, V> {
    inner: V,
    ids: &'s mut Ids<'de>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for TapVisitor<'_, 'de, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.ids.read = true;
        self.inner.visit_map(TapMap {
            inner: map,
            ids: self.ids,
            pending: Pending::Other,
        })
    }

    // serde_json reads a struct from an array too. The message is an
    // object, but the array case is passed on rather than rejected here.
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(seq)
    }
}

/// The recorded field that the next value belongs to.
enum Pending {
    Call,
    Chat,
    Other,
}

/// The message's entries, with `call` and `chat` recorded.
struct TapMap<'s, 'de, A> {
    inner: A,
    ids: &'s mut Ids<'de>,
    pending: Pending,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for TapMap<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(key) = self.inner.next_key::<KeyCow<'de>>()? else {
            return Ok(None);
        };
        self.pending = match key.text() {
            "call" => Pending::Call,
            "chat" => Pending::Chat,
            _ => Pending::Other,
        };
        key.feed(seed).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        let ids = &mut *self.ids;
        let (slot, unknown) = match std::mem::replace(&mut self.pending, Pending::Other) {
            Pending::Call => (&mut ids.call_id, &mut ids.unknown),
            Pending::Chat => (&mut ids.chat_id, &mut ids.unknown),
            Pending::Other => return self.inner.next_value_seed(seed),
        };
        // The last `call` (or `chat`) counts, also when it has no id.
        *slot = None;
        self.inner.next_value_seed(ObjectSeed {
            seed,
            slot,
            unknown,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// A key of the message, borrowed from the body when it has no escape.
enum KeyCow<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl<'de> KeyCow<'de> {
    fn text(&self) -> &str {
        match self {
            KeyCow::Borrowed(text) => text,
            KeyCow::Owned(text) => text,
        }
    }

    /// Hands the key to `seed` as serde_json would: borrowed when it has no
    /// escape.
    fn feed<K: DeserializeSeed<'de>, E: de::Error>(self, seed: K) -> Result<K::Value, E> {
        match self {
            KeyCow::Borrowed(text) => seed.deserialize(BorrowedStrDeserializer::new(text)),
            KeyCow::Owned(text) => seed.deserialize(StringDeserializer::new(text)),
        }
    }
}

impl<'de> de::Deserialize<'de> for KeyCow<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = KeyCow<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }

            fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<KeyCow<'de>, E> {
                Ok(KeyCow::Borrowed(text))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<KeyCow<'de>, E> {
                Ok(KeyCow::Owned(text.to_owned()))
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<KeyCow<'de>, E> {
                Ok(KeyCow::Owned(text))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Decodes a `call` or `chat` value with `seed`, keeping its `id` in `slot`.
struct ObjectSeed<'s, 'de, S> {
    seed: S,
    slot: &'s mut Option<Cow<'de, str>>,
    unknown: &'s mut bool,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for ObjectSeed<'_, 'de, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(ObjectTap {
            inner: deserializer,
            slot: self.slot,
            unknown: self.unknown,
        })
    }
}

/// The wrapped deserializer of a `call` or `chat` value.
struct ObjectTap<'s, 'de, D> {
    inner: D,
    slot: &'s mut Option<Cow<'de, str>>,
    unknown: &'s mut bool,
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectTap<'_, 'de, D> {
    type Error = D::Error;

    forward! {
        |this, visitor| ObjectVisitor { inner: visitor, slot: this.slot, unknown: this.unknown } =>
        deserialize_option()
        deserialize_map()
        deserialize_struct(name: &'static str, fields: &'static [&'static str])
    }

    // `T` skips the value: read its id while skipping it.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        *self.slot = self
            .inner
            .deserialize_any(SkipKeepingId)?
            .and_then(read_string);
        visitor.visit_unit()
    }

    // The tap does not follow `T` into any other reading.
    plain_methods!(forward!(|this, visitor| { *this.unknown = true; visitor } =>));

    forward! {
        |this, visitor| { *this.unknown = true; visitor } =>
        deserialize_unit_struct(name: &'static str)
        deserialize_newtype_struct(name: &'static str)
        deserialize_tuple(len: usize)
        deserialize_tuple_struct(name: &'static str, len: usize)
        deserialize_enum(name: &'static str, variants: &'static [&'static str])
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// Hands `T`'s visitor for a `call` or `chat` value a map that keeps `id`.
struct ObjectVisitor<'s, 'de, V> {
    inner: V,
    slot: &'s mut Option<Cow<'de, str>>,
    unknown: &'s mut bool,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for ObjectVisitor<'_, 'de, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(ObjectTap {
            inner: deserializer,
            slot: self.slot,
            unknown: self.unknown,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(IdMap {
            inner: map,
            slot: self.slot,
            unknown: self.unknown,
            pending_id: false,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        *self.unknown = true;
        self.inner.visit_seq(seq)
    }
}

/// The entries of a `call` or `chat` object, with `id` kept.
struct IdMap<'s, 'de, A> {
    inner: A,
    slot: &'s mut Option<Cow<'de, str>>,
    unknown: &'s mut bool,
    pending_id: bool,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for IdMap<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(key) = self.inner.next_key::<KeyCow<'de>>()? else {
            return Ok(None);
        };
        self.pending_id = key.text() == "id";
        key.feed(seed).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        if !std::mem::take(&mut self.pending_id) {
            return self.inner.next_value_seed(seed);
        }
        self.inner.next_value_seed(IdSeed {
            seed,
            slot: &mut *self.slot,
            unknown: &mut *self.unknown,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// Skips a `call` or `chat` value, returning its last `id` as text when it
/// is an object that has one.
struct SkipKeepingId;

impl<'de> Visitor<'de> for SkipKeepingId {
    type Value = Option<&'de RawValue>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut id = None;
        while let Some(key) = map.next_key::<KeyCow<'de>>()? {
            if key.text() == "id" {
                id = Some(map.next_value::<&'de RawValue>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(id)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// Decodes an `id` value with `seed`, keeping the string it carries.
struct IdSeed<'s, 'de, S> {
    seed: S,
    slot: &'s mut Option<Cow<'de, str>>,
    unknown: &'s mut bool,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for IdSeed<'_, 'de, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(IdTap {
            inner: deserializer,
            slot: self.slot,
            unknown: self.unknown,
        })
    }
}

/// The wrapped deserializer of an `id` value: every request goes to
/// serde_json with a visitor that watches what it is given.
struct IdTap<'s, 'de, D> {
    inner: D,
    slot: &'s mut Option<Cow<'de, str>>,
    unknown: &'s mut bool,
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for IdTap<'_, 'de, D> {
    type Error = D::Error;

    plain_methods!(forward!(
        |this, visitor| Watch { inner: visitor, slot: this.slot, unknown: this.unknown } =>
    ));

    forward! {
        |this, visitor| Watch { inner: visitor, slot: this.slot, unknown: this.unknown } =>
        deserialize_option()
        deserialize_map()
        deserialize_struct(name: &'static str, fields: &'static [&'static str])
        deserialize_unit_struct(name: &'static str)
        deserialize_tuple(len: usize)
        deserialize_tuple_struct(name: &'static str, len: usize)
        deserialize_enum(name: &'static str, variants: &'static [&'static str])
    }

    // serde_json reads `&RawValue` through a newtype struct, which the
    // watching visitor cannot see into.
    forward! {
        |this, visitor| { *this.unknown = true; visitor } =>
        deserialize_newtype_struct(name: &'static str)
    }

    // serde_json skips an ignored value without visiting it, so the tap
    // reads it as text, which skips it the same way, and takes the string.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let raw = <&'de RawValue as de::Deserialize<'de>>::deserialize(self.inner)?;
        *self.slot = read_string(raw);
        visitor.visit_unit()
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// Forwards every call to `T`'s visitor for an `id` value, keeping the
/// string it is given. Any other value counts as no id, as in the scan.
struct Watch<'s, 'de, V> {
    inner: V,
    slot: &'s mut Option<Cow<'de, str>>,
    unknown: &'s mut bool,
}

/// Forwards the listed visits, each a value that is not a string.
macro_rules! not_a_string {
    ($($method:ident: $ty:ty)*) => {$(
        fn $method<E: de::Error>(self, value: $ty) -> Result<V::Value, E> {
            *self.slot = None;
            self.inner.$method(value)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Watch<'_, 'de, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    not_a_string! {
        visit_bool: bool visit_i8: i8 visit_i16: i16 visit_i32: i32 visit_i64: i64
        visit_i128: i128 visit_u8: u8 visit_u16: u16 visit_u32: u32 visit_u64: u64
        visit_u128: u128 visit_f32: f32 visit_f64: f64 visit_char: char
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<V::Value, E> {
        *self.slot = Some(Cow::Borrowed(value));
        self.inner.visit_borrowed_str(value)
    }

    // A string with escapes, which serde_json unescapes into a buffer.
    fn visit_str<E: de::Error>(self, value: &str) -> Result<V::Value, E> {
        *self.slot = Some(Cow::Owned(value.to_owned()));
        self.inner.visit_str(value)
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<V::Value, E> {
        *self.slot = Some(Cow::Owned(value.clone()));
        self.inner.visit_string(value)
    }

    // serde_json gives a string as bytes when asked for bytes; the tap does
    // not tell that from a byte array.
    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<V::Value, E> {
        *self.unknown = true;
        self.inner.visit_bytes(value)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, value: &'de [u8]) -> Result<V::Value, E> {
        *self.unknown = true;
        self.inner.visit_borrowed_bytes(value)
    }

    fn visit_byte_buf<E: de::Error>(self, value: Vec<u8>) -> Result<V::Value, E> {
        *self.unknown = true;
        self.inner.visit_byte_buf(value)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        *self.slot = None;
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        *self.slot = None;
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(IdTap {
            inner: deserializer,
            slot: self.slot,
            unknown: self.unknown,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(IdTap {
            inner: deserializer,
            slot: self.slot,
            unknown: self.unknown,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        *self.slot = None;
        self.inner.visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        *self.slot = None;
        self.inner.visit_map(map)
    }

    // serde_json gives a string to an enum as a unit variant, which the
    // tap does not see into.
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        *self.unknown = true;
        self.inner.visit_enum(data)
    }
}
