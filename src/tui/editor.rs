//! A one-line text editor: enough for a decision, an action and a date.
//! The cursor is a char index, so multi-byte characters (an en dash in a job
//! title) never split.

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
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEditor {
    text: String,
    /// Position of the cursor in chars, 0..=len.
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
            cursor: text.chars().count(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
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

    fn byte_at(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map_or(self.text.len(), |(i, _)| i)
    }

    pub fn apply(&mut self, op: EditOp) {
        let len = self.text.chars().count();
        match op {
            EditOp::Insert(c) => {
                // Control characters (a pasted newline) would break the one-line layout.
                if !c.is_control() {
                    let at = self.byte_at(self.cursor);
                    self.text.insert(at, c);
                    self.cursor += 1;
                }
            }
            EditOp::Backspace => {
                if self.cursor > 0 {
                    let at = self.byte_at(self.cursor - 1);
                    self.text.remove(at);
                    self.cursor -= 1;
                }
            }
            EditOp::Delete => {
                if self.cursor < len {
                    let at = self.byte_at(self.cursor);
                    self.text.remove(at);
                }
            }
            EditOp::Left => self.cursor = self.cursor.saturating_sub(1),
            EditOp::Right => self.cursor = (self.cursor + 1).min(len),
            EditOp::Home => self.cursor = 0,
            EditOp::End => self.cursor = len,
        }
    }
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
}
