//! Repairs lone UTF-16 surrogate escapes, so that one broken character in a
//! transcript does not fail a whole message.
//!
//! JSON allows any `\uXXXX` escape, including half of a surrogate pair
//! (`"\ud83d"` alone), and JavaScript writes one when a string is cut in the
//! middle of an emoji. A Rust `String` cannot hold it, so serde_json rejects
//! the string and with it the message. Decoding tries again on a copy of
//! the message where each lone surrogate is `\ufffd`, the replacement
//! character that the WHATWG `TextEncoder` writes in its place.
//!
//! This runs only after a decode has failed, so well-formed messages pay
//! nothing for it.

/// Returns `text` with every lone surrogate escape replaced by `\ufffd`, or
/// `None` when it has none. Escaped pairs (`\ud83d\ude00`) stay as they are.
///
/// In JSON a backslash appears only inside strings, at the start of an
/// escape. So reading escape by escape from the start never mistakes the
/// `u` after an escaped backslash (`\\ud83d`) for an escape.
pub(crate) fn replace_lone_surrogates(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut repaired: Option<String> = None;
    // How much of `text` is already copied into `repaired`.
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] != b'\\' {
            at += 1;
            continue;
        }
        let Some(unit) = unicode_escape(bytes, at) else {
            // `\n`, `\"`, `\\` and the like: two bytes.
            at += 2;
            continue;
        };
        if is_high_surrogate(unit) && unicode_escape(bytes, at + 6).is_some_and(is_low_surrogate) {
            at += 12;
            continue;
        }
        if is_high_surrogate(unit) || is_low_surrogate(unit) {
            let out = repaired.get_or_insert_with(|| String::with_capacity(text.len()));
            out.push_str(&text[copied..at]);
            out.push_str("\\ufffd");
            copied = at + 6;
        }
        at += 6;
    }
    repaired.map(|mut out| {
        out.push_str(&text[copied..]);
        out
    })
}

/// Reads the code unit of a `\uXXXX` escape that starts at `at`.
fn unicode_escape(bytes: &[u8], at: usize) -> Option<u16> {
    let escape = bytes.get(at..at + 6)?;
    if escape[0] != b'\\' || escape[1] != b'u' {
        return None;
    }
    let digits = std::str::from_utf8(&escape[2..]).ok()?;
    u16::from_str_radix(digits, 16).ok()
}

fn is_high_surrogate(unit: u16) -> bool {
    (0xD800..0xDC00).contains(&unit)
}

fn is_low_surrogate(unit: u16) -> bool {
    (0xDC00..0xE000).contains(&unit)
}

#[cfg(test)]
mod tests {
    use super::replace_lone_surrogates;

    #[test]
    fn lone_halves_become_the_replacement_character() {
        let cases = [
            (r#"{"t":"cut \ud83d"}"#, r#"{"t":"cut \ufffd"}"#),
            (r#"{"t":"\ude00 end"}"#, r#"{"t":"\ufffd end"}"#),
            // A high half followed by another high half: both are lone.
            (r#"["\uD83D\uD83D"]"#, r#"["\ufffd\ufffd"]"#),
            // A high half followed by a plain escape.
            (r#"["\ud83d\n"]"#, r#"["\ufffd\n"]"#),
            // The pair after a lone half is kept.
            (r#"["\ud83d\ud83d\ude00"]"#, r#"["\ufffd\ud83d\ude00"]"#),
        ];
        for (text, expected) in cases {
            assert_eq!(
                replace_lone_surrogates(text).as_deref(),
                Some(expected),
                "{text}"
            );
        }
    }

    #[test]
    fn text_without_lone_halves_is_left_alone() {
        for text in [
            r#"{"t":"smile \ud83d\ude00"}"#,
            r#"{"t":"\u00e9 \n \" \\"}"#,
            // An escaped backslash followed by the letters `ud83d`.
            r#"{"t":"\\ud83d"}"#,
            // Cut off in the middle of an escape: left for the parser.
            r#"{"t":"\ud8"#,
            "plain text, é",
        ] {
            assert_eq!(replace_lone_surrogates(text), None, "{text}");
        }
    }

    #[test]
    fn repaired_text_parses() {
        let repaired = replace_lone_surrogates(r#"{"t":"I love it \ud83d"}"#).expect("repaired");
        let value: serde_json::Value = serde_json::from_str(&repaired).expect("valid JSON");
        assert_eq!(value["t"], "I love it \u{fffd}");
    }
}
