//! `Payload` impls for every catalogue row, generated from the catalogue's
//! own list so a row without a matching type here fails to compile.

use crate::events::*;
use crate::hooks::Payload;
use crate::reply::*;
use webhook_catalogue::EventKind;

macro_rules! impl_payloads {
    ($(
        $variant:ident : $namespace:ident . $method:ident [ $($wire:literal),+ ]
            => $($payload:ident)::+ -> $reply:ident;
    )*) => {$(
        impl Payload for $($payload)::+ {
            const KIND: EventKind = EventKind::$variant;
            type Reply = $reply;

            fn message_call_id(&self) -> Option<&str> {
                self.call_id()
            }
        }
    )*};
}

webhook_catalogue::for_each_event!(impl_payloads);
