//! The one text input of the app: every field (a decision, an action, an
//! owner, a date, the palette's query) is a `LineEditor`. The cursor is a
//! byte offset kept on a char boundary, so multi-byte characters (an en
//! dash in a job title) never split and a 100,000-character paste is one
//! insertion, not 100,000.
//!
//! The layout helpers at the end measure text by display width
//! (`unicode-width`), so a wide character takes the two columns it takes on
//! the terminal.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// One editing step, produced by the keymap from a key press.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditOp {
    Insert(char),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    /// Ctrl+U: empties the field.
    Clear,
    /// Ctrl+W: deletes the word before the cursor (and the spaces after it).
    DeleteWord,
}

/// Whether a field keeps line breaks (the decision, the private note) or is
/// one line (everything else), for pasted text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEditor {
    text: String,
    /// Byte offset of the cursor in `text`, always on a char boundary.
    cursor: usize,
}

impl LineEditor {
    pub fn new() -> LineEditor {
        LineEditor::default()
    }

    /// An editor holding `text`, cursor at the end.
    pub fn with_text(text: &str) -> LineEditor {
        LineEditor {
            text: text.to_owned(),
            cursor: text.len(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor's position in chars, 0..=len.
    pub fn cursor(&self) -> usize {
        self.text[..self.cursor].chars().count()
    }

    /// The cursor's position in bytes.
    pub fn cursor_byte(&self) -> usize {
        self.cursor
    }

    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }

    pub fn set(&mut self, text: &str) {
        *self = LineEditor::with_text(text);
    }

    pub fn clear(&mut self) {
        *self = LineEditor::default();
    }

    fn previous_boundary(&self) -> Option<usize> {
        self.text[..self.cursor]
            .char_indices()
            .last()
            .map(|(i, _)| i)
    }

    fn next_boundary(&self) -> Option<usize> {
        self.text[self.cursor..]
            .chars()
            .next()
            .map(|c| self.cursor + c.len_utf8())
    }

    pub fn apply(&mut self, op: EditOp) {
        match op {
            EditOp::Insert(c) => {
                // Control characters (a newline typed) would break the layout;
                // line breaks come in only through `paste`.
                if !c.is_control() {
                    self.text.insert(self.cursor, c);
                    self.cursor += c.len_utf8();
                }
            }
            EditOp::Backspace => {
                if let Some(at) = self.previous_boundary() {
                    self.text.replace_range(at..self.cursor, "");
                    self.cursor = at;
                }
            }
            EditOp::Delete => {
                if let Some(end) = self.next_boundary() {
                    self.text.replace_range(self.cursor..end, "");
                }
            }
            EditOp::Left => self.cursor = self.previous_boundary().unwrap_or(0),
            EditOp::Right => self.cursor = self.next_boundary().unwrap_or(self.cursor),
            EditOp::Home => self.cursor = 0,
            EditOp::End => self.cursor = self.text.len(),
            EditOp::Clear => self.clear(),
            EditOp::DeleteWord => {
                let before = &self.text[..self.cursor];
                let word_end = before.trim_end().len();
                let start = before[..word_end]
                    .char_indices()
                    .rev()
                    .find(|(_, c)| c.is_whitespace())
                    .map_or(0, |(i, c)| i + c.len_utf8());
                self.text.replace_range(start..self.cursor, "");
                self.cursor = start;
            }
        }
    }

    /// Inserts pasted text at the cursor as text, in one step: line breaks
    /// kept in a field of `Lines::Many`, each a space in a one-line field;
    /// tabs become spaces and other control characters are dropped.
    pub fn paste(&mut self, pasted: &str, lines: Lines) {
        let text = clean_paste(pasted, lines);
        self.text.insert_str(self.cursor, &text);
        self.cursor += text.len();
    }
}

/// Pasted text as a field takes it (see `LineEditor::paste`).
pub fn clean_paste(pasted: &str, lines: Lines) -> String {
    let unified = pasted.replace("\r\n", "\n").replace('\r', "\n");
    // A paste copied from a document usually ends with a line break that
    // nobody means to keep.
    let trimmed = unified.trim_end_matches('\n');
    trimmed
        .chars()
        .filter_map(|c| match c {
            '\n' if lines == Lines::Many => Some('\n'),
            '\n' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// The display width of `text` in terminal columns.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// The longest start of `text` that fits in `columns`.
pub fn take_width(text: &str, columns: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        used += char_width(c);
        if used > columns {
            return &text[..i];
        }
    }
    text
}

/// The shortest end of `text` that leaves a start fitting in `columns`
/// cut off: what a one-line field shows when scrolled so that the byte
/// `cursor` stays in view with one column left for the cursor itself.
pub fn visible_from(text: &str, cursor: usize, columns: usize) -> usize {
    let room = columns.saturating_sub(1);
    let mut start = 0;
    let mut before = width(&text[..cursor]);
    for (i, c) in text[..cursor].char_indices() {
        if before <= room {
            break;
        }
        before -= char_width(c);
        start = i + c.len_utf8();
    }
    start
}

/// `text` laid out in lines of at most `columns` display columns: broken
/// at line breaks and between words; a word longer than a line is cut.
/// Each line is the byte range of `text` it shows (without the spaces
/// where it was broken), so a cursor can be placed exactly.
pub fn wrap_ranges(text: &str, columns: usize) -> Vec<std::ops::Range<usize>> {
    let columns = columns.max(1);
    let mut out = Vec::new();
    let mut paragraph_start = 0;
    for paragraph in text.split('\n') {
        wrap_paragraph(paragraph, paragraph_start, columns, &mut out);
        paragraph_start += paragraph.len() + 1;
    }
    out
}

fn wrap_paragraph(
    text: &str,
    offset: usize,
    columns: usize,
    out: &mut Vec<std::ops::Range<usize>>,
) {
    let mut line_start = 0;
    // End of the last word placed on the line, and the line's width there.
    let mut line_end = 0;
    let mut line_width = 0;
    let mut words = text.split(' ').peekable();
    let mut at = 0;
    let mut any = false;
    while let Some(word) = words.next() {
        let word_start = at;
        let word_end = at + word.len();
        at = word_end + 1;
        if word.is_empty() && words.peek().is_some() {
            continue;
        }
        let word_width = width(word);
        let gap = usize::from(line_end > line_start);
        if line_end > line_start && line_width + gap + word_width > columns {
            out.push(offset + line_start..offset + line_end);
            any = true;
            line_start = word_start;
            line_width = 0;
        } else if line_end > line_start {
            line_width += width(&text[line_end..word_start]);
        } else {
            line_start = word_start;
        }
        // A word wider than a line: cut it where the line is full.
        let mut rest_start = word_start;
        let mut rest_width = word_width;
        while line_width + rest_width > columns {
            let fits = take_width(&text[rest_start..word_end], columns - line_width);
            let cut = if fits.is_empty() {
                // A wide character on a one-column line still goes somewhere.
                text[rest_start..].chars().next().map_or(0, char::len_utf8)
            } else {
                fits.len()
            };
            out.push(offset + line_start..offset + rest_start + cut);
            any = true;
            rest_start += cut;
            line_start = rest_start;
            line_width = 0;
            rest_width = width(&text[rest_start..word_end]);
        }
        line_width += rest_width;
        line_end = word_end;
    }
    if line_end > line_start || !any {
        out.push(offset + line_start..offset + line_end.max(line_start));
    }
}

/// The line and column the byte `cursor` falls on in `lines` (from
/// `wrap_ranges`): the last line starting at or before it.
pub fn cursor_place(text: &str, lines: &[std::ops::Range<usize>], cursor: usize) -> (usize, usize) {
    let row = lines.iter().rposition(|l| l.start <= cursor).unwrap_or(0);
    let Some(line) = lines.get(row) else {
        return (0, 0);
    };
    let end = cursor.min(text.len()).max(line.start);
    (row, width(&text[line.start..end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str) -> LineEditor {
        let mut e = LineEditor::new();
        for c in text.chars() {
            e.apply(EditOp::Insert(c));
        }
        e
    }

    fn shown(text: &str, columns: usize) -> Vec<&str> {
        wrap_ranges(text, columns)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn inserts_at_the_cursor_and_deletes_either_side() {
        let mut e = typed("Head – Service");
        e.apply(EditOp::Home);
        e.apply(EditOp::Right);
        e.apply(EditOp::Right);
        e.apply(EditOp::Insert('x'));
        assert_eq!(e.text(), "Hexad – Service");
        e.apply(EditOp::Backspace);
        e.apply(EditOp::Delete);
        assert_eq!(e.text(), "Hed – Service");
        e.apply(EditOp::End);
        e.apply(EditOp::Backspace);
        assert_eq!(e.text(), "Hed – Servic");
        assert_eq!(e.cursor(), 12);
    }

    #[test]
    fn multibyte_characters_are_removed_whole() {
        let mut e = typed("a–b");
        e.apply(EditOp::Left);
        e.apply(EditOp::Backspace);
        assert_eq!(e.text(), "ab");
        e.apply(EditOp::Home);
        e.apply(EditOp::Backspace);
        e.apply(EditOp::Left);
        assert_eq!((e.text(), e.cursor()), ("ab", 0));
    }

    #[test]
    fn control_characters_are_not_inserted() {
        let e = typed("a\nb\t");
        assert_eq!(e.text(), "ab");
    }

    #[test]
    fn ctrl_u_clears_and_ctrl_w_deletes_the_word_before_the_cursor() {
        let mut e = typed("Allocated social worker  ");
        e.apply(EditOp::DeleteWord);
        assert_eq!(e.text(), "Allocated social ");
        e.apply(EditOp::DeleteWord);
        assert_eq!(e.text(), "Allocated ");
        e.apply(EditOp::Home);
        e.apply(EditOp::DeleteWord);
        assert_eq!(e.text(), "Allocated ", "nothing before the cursor");
        e.apply(EditOp::Clear);
        assert_eq!((e.text(), e.cursor()), ("", 0));
    }

    #[test]
    fn a_paste_keeps_line_breaks_only_where_the_field_has_lines() {
        let pasted = "Plan endorsed.\r\nonward\tnext steps\u{7}\n";
        let mut decision = typed("Panel: ");
        decision.paste(pasted, Lines::Many);
        assert_eq!(decision.text(), "Panel: Plan endorsed.\nonward next steps");
        let mut owner = typed("X");
        owner.apply(EditOp::Home);
        owner.paste(pasted, Lines::One);
        assert_eq!(owner.text(), "Plan endorsed. onward next stepsX");
        assert_eq!(owner.cursor(), "Plan endorsed. onward next steps".len());
    }

    #[test]
    fn wrapping_breaks_between_words_by_display_width() {
        assert_eq!(
            shown("Plan endorsed for Willow Tree", 12),
            ["Plan", "endorsed for", "Willow Tree"]
        );
        // Wide characters take two columns each.
        assert_eq!(shown("日本語 ab", 6), ["日本語", "ab"]);
        assert_eq!(shown("日本語日本語", 4), ["日本", "語日", "本語"]);
        // A word longer than the line is cut where the line is full.
        assert_eq!(shown("abcdefghij xy", 4), ["abcd", "efgh", "ij", "xy"]);
        // Line breaks are kept, an empty line too.
        assert_eq!(shown("one\n\ntwo", 10), ["one", "", "two"]);
        assert_eq!(shown("", 10), [""]);
    }

    #[test]
    fn the_cursor_is_placed_on_the_line_and_column_it_shows_on() {
        let text = "Plan endorsed for Willow";
        let lines = wrap_ranges(text, 12);
        assert_eq!(cursor_place(text, &lines, 0), (0, 0));
        // "for" starts the second line's third word: "endorsed for".
        assert_eq!(
            cursor_place(text, &lines, text.find("for").unwrap()),
            (1, 9)
        );
        assert_eq!(cursor_place(text, &lines, text.len()), (2, 6));
    }

    #[test]
    fn a_one_line_field_scrolls_to_keep_the_cursor_in_view() {
        let text = "Independent Reviewing Officer";
        assert_eq!(visible_from(text, 0, 10), 0);
        let from = visible_from(text, text.len(), 10);
        assert_eq!(&text[from..], "g Officer");
        assert_eq!(visible_from("日本語日本語", "日本語日本語".len(), 5), 12);
    }
}
