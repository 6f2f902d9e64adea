//! Error text made fit for logs. serde quotes the value it could not use
//! (`invalid type: string "Jane Roe +15555550101", expected u32`), and in a
//! webhook that value is often the caller's words or number. The reply to
//! Vapi keeps the whole text, because the model reads it to correct its
//! arguments. The log lines at `warn` and `error` leave the value out.
//!
//! NOTE: only serde's own messages are recognised (`invalid type`,
//! `invalid value`, `unknown variant`, `unknown field`). A map key in an
//! error's path, or a handler's own error text, is logged as written.

use std::any::Any;
use std::borrow::Cow;

/// The serde messages that quote a received value, each followed by the
/// value's kind (for the first two) and then the value itself.
const MARKERS: [&str; 4] = [
    "invalid type: ",
    "invalid value: ",
    "unknown variant ",
    "unknown field ",
];

/// The text serde writes after the value, before what was expected.
const EXPECTED: &str = ", expected ";

/// Returns `text` without the received value serde quotes in it, keeping
/// the value's kind: `invalid type: string, expected u32`. Text without
/// such a message is returned as it is.
///
/// serde writes a string value in double quotes and other values in
/// backticks, and a string may contain anything, `, expected ` included.
/// So the value is taken to end at the last `, expected `, and when there
/// is none, everything after the kind is left out.
pub(crate) fn without_received_values(text: &str) -> Cow<'_, str> {
    // The marker that comes first: a later one may be part of the value.
    let Some(marker_end) = MARKERS
        .iter()
        .filter_map(|marker| Some(text.find(marker)? + marker.len()))
        .min()
    else {
        return Cow::Borrowed(text);
    };

    let value_end = text[marker_end..]
        .rfind(EXPECTED)
        .map_or(text.len(), |at| marker_end + at);
    // The value opens with the first quote or backtick after the kind.
    let Some(value_start) = text[marker_end..value_end]
        .find(['"', '`'])
        .map(|at| marker_end + at)
    else {
        return Cow::Borrowed(text);
    };

    let kind = text[..value_start].trim_end();
    let mut redacted = String::with_capacity(kind.len() + text.len() - value_end);
    redacted.push_str(kind);
    redacted.push_str(&text[value_end..]);
    Cow::Owned(redacted)
}

/// Returns the message of a caught panic, for its log line: the text given
/// to `panic!` or `expect`, without received values, or a placeholder for
/// a payload that is not text (`std::panic::panic_any`).
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> Cow<'_, str> {
    let text = if let Some(text) = payload.downcast_ref::<&'static str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.as_str()
    } else {
        return Cow::Borrowed("a value that is not text");
    };
    without_received_values(text)
}

#[cfg(test)]
mod tests {
    use super::{panic_message, without_received_values};

    #[test]
    fn string_value_left_out() {
        assert_eq!(
            without_received_values(
                r#"invalid arguments at `partySize`: invalid type: string "Jane Roe +15555550101", expected u32"#
            ),
            "invalid arguments at `partySize`: invalid type: string, expected u32"
        );
    }

    #[test]
    fn backtick_values_left_out() {
        assert_eq!(
            without_received_values("invalid type: integer `15555550199`, expected a string"),
            "invalid type: integer, expected a string"
        );
        assert_eq!(
            without_received_values("invalid value: floating point `1.5`, expected a whole number"),
            "invalid value: floating point, expected a whole number"
        );
        assert_eq!(
            without_received_values("unknown variant `Jane`, expected one of `a`, `b`"),
            "unknown variant, expected one of `a`, `b`"
        );
    }

    #[test]
    fn marker_inside_value_left_out() {
        assert_eq!(
            without_received_values(
                "unknown variant `invalid type: +15555550101`, expected `Small` or `Large`"
            ),
            "unknown variant, expected `Small` or `Large`"
        );
        assert_eq!(
            without_received_values("unknown field `+15555550101`, expected `size`"),
            "unknown field, expected `size`"
        );
    }

    #[test]
    fn value_containing_expected_left_out() {
        assert_eq!(
            without_received_values(r#"invalid type: string "x, expected y", expected u32"#),
            "invalid type: string, expected u32"
        );
    }

    #[test]
    fn value_without_expected_left_out() {
        assert_eq!(
            without_received_values(r#"invalid type: string "+15555550101"#),
            "invalid type: string"
        );
    }

    #[test]
    fn kinds_without_value_kept() {
        for text in [
            "invalid type: map, expected a string",
            "invalid type: map, expected `Order`",
        ] {
            assert_eq!(without_received_values(text), text);
        }
    }

    #[test]
    fn other_messages_unchanged() {
        for text in [
            "missing field `orderId`",
            "invalid length 3, expected 2 elements",
            "expected value at line 1 column 2",
            "",
        ] {
            assert_eq!(without_received_values(text), text);
        }
    }

    #[test]
    fn panic_messages_read() {
        let caught = std::panic::catch_unwind(|| panic!("order {} is gone", 7)).unwrap_err();
        assert_eq!(panic_message(caught.as_ref()), "order 7 is gone");

        let caught = std::panic::catch_unwind(|| panic!("static text")).unwrap_err();
        assert_eq!(panic_message(caught.as_ref()), "static text");

        let caught = std::panic::catch_unwind(|| {
            panic!(r#"bad row: invalid type: string "+15555550101", expected u32"#)
        })
        .unwrap_err();
        assert_eq!(
            panic_message(caught.as_ref()),
            "bad row: invalid type: string, expected u32"
        );

        let caught = std::panic::catch_unwind(|| std::panic::panic_any(5)).unwrap_err();
        assert_eq!(panic_message(caught.as_ref()), "a value that is not text");
    }
}
