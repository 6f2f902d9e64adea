//! `Payload` impls for every catalogue row, generated from the catalogue's
//! own list so a row without a matching type here fails to compile.

use crate::events::*;
use crate::hooks::{AllowsMessageArg, Payload};
use crate::reply::*;
use webhook_catalogue::EventKind;

macro_rules! impl_payloads {
    ($(
        $variant:ident : $namespace:ident . $method:ident [ $($wire:literal),+ ]
            => $($payload:ident)::+ -> $reply:ident;
    )*) => {$(
        impl crate::sealed::Sealed for $($payload)::+ {}

        impl Payload for $($payload)::+ {
            const KIND: EventKind = EventKind::$variant;
            type Reply = $reply;

            fn message_call_id(&self) -> Option<&str> {
                self.call_id()
            }
        }

        takes_message!($variant, $($payload)::+);
    )*};
}

/// Lets the handlers of every event but tool calls take `Message<T>`: a
/// tool-calls handler gets only the calls no tool claims, which a decode of
/// the whole message would not give it.
macro_rules! takes_message {
    (ServerToolCalls, $payload:path) => {};
    ($variant:ident, $payload:path) => {
        impl AllowsMessageArg for $payload {}
    };
}

webhook_catalogue::for_each_event!(impl_payloads);
