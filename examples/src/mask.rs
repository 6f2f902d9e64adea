//! Phone numbers in logs: enough to tell calls apart, not enough to dial.

/// Masks a phone number for logs, keeping the first five and the last four
/// characters: `+15555550106` becomes `+1555…0106`. Numbers shorter than
/// twelve characters keep only their last two, so at least three digits
/// are always hidden.
pub fn mask_number(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() < 12 {
        let tail: String = chars[chars.len().saturating_sub(2)..].iter().collect();
        return format!("…{tail}");
    }
    let head: String = chars[..5].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

/// Masks an optional number; `-` when there is none.
pub fn mask_optional(number: Option<&str>) -> String {
    number.map_or_else(|| "-".to_owned(), mask_number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_number_keeps_prefix_and_last_four() {
        assert_eq!(mask_number("+15555550106"), "+1555…0106");
    }

    #[test]
    fn short_number_keeps_last_two() {
        assert_eq!(mask_number("5550106"), "…06");
        assert_eq!(mask_number("+4420790106"), "…06");
        assert_eq!(mask_number("1"), "…1");
        assert_eq!(mask_number(""), "…");
    }

    #[test]
    fn multibyte_input_does_not_panic() {
        assert_eq!(mask_number("+1555ééé0106"), "+1555…0106");
    }

    #[test]
    fn missing_number_is_a_dash() {
        assert_eq!(mask_optional(None), "-");
    }
}
