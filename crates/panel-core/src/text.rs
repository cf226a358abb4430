//! Small text helpers every layer uses, written once.

use std::borrow::Cow;
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

/// A CSV cell that a spreadsheet will show as text, never run as a
/// formula: a cell beginning `=`, `+`, `-`, `@`, tab or CR gets a leading
/// apostrophe (as OWASP advises for CSV injection). A plain number such as
/// `-3` or `+1.5` is left as it is: it cannot be a formula and scripts read it.
pub fn csv_safe(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Undoes [`csv_safe`] on a cell read back from one of our own CSV files
/// (the members file is exported, edited and imported again).
pub fn csv_unsafe(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// Is `c` a character that a terminal or a viewer acts on rather than shows:
/// C0 and C1 controls, DEL, and the bidirectional overrides that reorder text.
fn is_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character shown instead of obeyed: a C0
/// control or DEL as its Unicode control picture (ESC as `␛`), any other
/// (C1, bidi override) as `�`. For terminal tables and Markdown, so a value
/// from a return cannot clear the screen, retitle the terminal or reorder
/// what is read. Newlines are shown too: callers split lines first.
pub fn visible(text: &str) -> Cow<'_, str> {
    shown_controls(text, |_| false)
}

/// `text` for a document another program reads (Word, a spreadsheet, a
/// calendar): line breaks and tabs kept, every other control character
/// shown as `visible` shows it. XML 1.0 cannot hold them at all (Word
/// refuses the file), and a calendar's text may not either (RFC 5545).
pub fn document_text(text: &str) -> Cow<'_, str> {
    shown_controls(text, |c| matches!(c, '\n' | '\t'))
}

fn shown_controls(text: &str, kept: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_control(c) && !kept(c)) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                c if kept(c) => c,
                '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
                '\u{7f}' => '\u{2421}',
                c if is_control(c) => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

/// A count with its noun, singular for one: "1 child", "3 children",
/// "0 children" (plurals right in every document a council reads).
pub fn count_of(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A unit of measure in the singular, for a value of exactly one: the
/// units our reports use ("children", "days", "child-months", "matches").
pub fn singular_unit(unit: &str) -> &str {
    match unit {
        "children" => "child",
        "matches" => "match",
        u => u.strip_suffix('s').unwrap_or(u),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_right_for_one_and_for_many() {
        assert_eq!(count_of(1, "child", "children"), "1 child");
        assert_eq!(count_of(0, "child", "children"), "0 children");
        assert_eq!(count_of(2, "meeting", "meetings"), "2 meetings");
        assert_eq!(singular_unit("children"), "child");
        assert_eq!(singular_unit("child-months"), "child-month");
        assert_eq!(singular_unit("meetings"), "meeting");
        assert_eq!(singular_unit("matches"), "match");
    }

    #[test]
    fn csv_safe_quotes_every_formula_start_but_not_numbers() {
        for risky in [
            "=1+1",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "=",
            "-",
            "+-1",
        ] {
            let safe = csv_safe(risky);
            assert_eq!(safe, format!("'{risky}"), "{risky:?}");
            assert_eq!(csv_unsafe(&safe), risky);
        }
        for plain in ["C000028", "-3", "+1.5", "12", "", "it's", "'=not ours"] {
            assert_eq!(csv_safe(plain), plain, "{plain:?}");
        }
        assert_eq!(csv_unsafe("'=not ours"), "=not ours");
        assert_eq!(csv_unsafe("'plain"), "'plain");
    }

    #[test]
    fn visible_shows_controls_instead_of_obeying_them() {
        assert_eq!(visible("C1\u{1b}]0;owned\u{7}"), "C1␛]0;owned␇");
        assert_eq!(
            visible("a\u{7f}b\u{9b}c\u{202e}d\n"),
            "a␡b\u{fffd}c\u{fffd}d␊"
        );
        assert!(matches!(visible("Plain text, é"), Cow::Borrowed(_)));
    }

    #[test]
    fn document_text_keeps_lines_and_tabs_and_shows_other_controls() {
        assert_eq!(
            document_text("Line one\n\tLine two\u{1b}[2J\u{0}\u{202e}"),
            "Line one\n\tLine two␛[2J␀\u{fffd}"
        );
        assert!(matches!(document_text("a\nb"), Cow::Borrowed(_)));
        // Carriage returns are shown: a lone one would move the line.
        assert_eq!(document_text("a\rb"), "a␍b");
    }

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
