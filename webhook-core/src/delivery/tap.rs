//! Reads the call id of a message while a type of the user's own decodes
//! it. A handler taking `Message<T>` then costs one pass over the body, as
//! a payload does, also when the delivery's log line names the call.
//!
//! The message's deserializer is wrapped: when `T` asks for a map or a
//! struct, the keys `call` and `chat` are read first as raw JSON text, their
//! `id` is taken from that text, and the text is then handed to `T`. Every
//! other request goes to serde_json unchanged, so a `T` that reads the
//! message another way (`serde_json::Value` through `deserialize_any`,
//! `&RawValue`) decodes as before, without the call id.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::envelope::read_id;

/// The last `call` and `chat` objects of a message, as text.
#[derive(Default)]
pub(super) struct Ids<'de> {
    /// Whether `T` read the message as a map, so every entry passed here.
    read: bool,
    call: Option<&'de RawValue>,
    chat: Option<&'de RawValue>,
}

impl Ids<'_> {
    /// Returns the call id by the payloads' rule: `call.id`, else `chat.id`,
    /// the last of each when a key repeats. `None` when `T` did not read the
    /// message as a map, so the id is unknown rather than absent.
    pub(super) fn call_id(&self) -> Option<Option<String>> {
        if !self.read {
            return None;
        }
        Some(
            self.call
                .and_then(read_id)
                .or_else(|| self.chat.and_then(read_id))
                .map(Cow::into_owned),
        )
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

/// Passes each listed request of the wrapped deserializer straight to
/// serde_json.
macro_rules! pass_through {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.inner.$method(visitor)
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Tap<'_, 'de, D> {
    type Error = D::Error;

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_map(TapVisitor {
            inner: visitor,
            ids: self.ids,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let visitor = TapVisitor {
            inner: visitor,
            ids: self.ids,
        };
        self.inner.deserialize_struct(name, fields, visitor)
    }

    pass_through! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_option deserialize_unit deserialize_seq deserialize_identifier
        deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_newtype_struct(name, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_tuple(len, visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_tuple_struct(name, len, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_enum(name, variants, visitor)
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

    // serde_json reads a struct from an array too; the message is an
    // object, but the array case is passed on rather than refused here.
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
        let text = match &key {
            KeyCow::Borrowed(text) => *text,
            KeyCow::Owned(text) => text.as_str(),
        };
        self.pending = match text {
            "call" => Pending::Call,
            "chat" => Pending::Chat,
            _ => Pending::Other,
        };
        // The key goes to `T` as serde_json would give it: borrowed when it
        // has no escape.
        match key {
            KeyCow::Borrowed(text) => seed.deserialize(BorrowedStrDeserializer::new(text)),
            KeyCow::Owned(text) => seed.deserialize(StringDeserializer::new(text)),
        }
        .map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        let slot = match std::mem::replace(&mut self.pending, Pending::Other) {
            Pending::Call => &mut self.ids.call,
            Pending::Chat => &mut self.ids.chat,
            Pending::Other => return self.inner.next_value_seed(seed),
        };
        let raw: &'de RawValue = self.inner.next_value()?;
        *slot = Some(raw);
        seed.deserialize(raw).map_err(de::Error::custom)
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
