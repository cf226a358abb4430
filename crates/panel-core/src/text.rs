//! Small text helpers every layer uses, written once.

use std::fmt::Write;

/// `text` with a capital first letter, to open a sentence with a code's
/// meaning ("Placed for adoption ...").
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Bytes as lower-case hexadecimal, two digits a byte (hashes in the audit
/// log and in an import's record of its files).
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitalised_raises_only_the_first_letter() {
        assert_eq!(capitalised("placed for adoption"), "Placed for adoption");
        assert_eq!(capitalised("éclair é"), "Éclair é");
        assert_eq!(capitalised(""), "");
    }

    #[test]
    fn hex_is_two_lower_case_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xab, 0xff]), "000fabff");
        assert_eq!(hex(&[]), "");
    }
}
