//! The one text-field component: what the drop reason, the `/` jump, the
//! decision and the private note are typed into. It takes the editing keys
//! and pastes (line breaks kept where it has lines, spaces where it has
//! one) and draws itself, scrolled or wrapped so the cursor shows.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::app::Msg;
use super::editor::{LineEditor, Lines};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    editor: LineEditor,
    lines: Lines,
}

impl Default for Prompt {
    fn default() -> Prompt {
        Prompt::one_line("")
    }
}

impl Prompt {
    /// A field of one line, holding `text`.
    pub fn one_line(text: &str) -> Prompt {
        Prompt {
            editor: LineEditor::with_text(text),
            lines: Lines::One,
        }
    }

    /// A field of many lines (a decision, a note), holding `text`.
    pub fn many_lines(text: &str) -> Prompt {
        Prompt {
            editor: LineEditor::with_text(text),
            lines: Lines::Many,
        }
    }

    pub fn text(&self) -> &str {
        self.editor.text()
    }

    pub fn editor(&self) -> &LineEditor {
        &self.editor
    }

    /// Takes an editing key or a paste; `false` for any other message.
    pub fn handle(&mut self, msg: &Msg) -> bool {
        match msg {
            Msg::Edit(op) => self.editor.apply(*op),
            Msg::Paste(text) => self.editor.paste(text, self.lines),
            _ => return false,
        }
        true
    }

    /// Draws the field in `area`: one line scrolled to the cursor, or many
    /// wrapped between words; the cursor shows when `focused`.
    pub fn draw(&self, frame: &mut Frame, area: Rect, focused: bool, style: Style) {
        match self.lines {
            Lines::One => super::view::draw_editor(frame, area, &self.editor, focused, style),
            Lines::Many => super::view::draw_editor_wrapped(frame, area, &self.editor, focused),
        }
    }
}

/// The words of a screen that asks for one line: its title, what to type,
/// and the field's label.
pub struct Asking<'a> {
    pub title: &'a str,
    pub intro: &'a str,
    pub label: &'a str,
}

impl Asking<'_> {
    /// Draws the title, the intro wrapped, then the label and the field.
    pub fn draw(
        &self,
        app: &super::app::App,
        prompt: &Prompt,
        frame: &mut Frame,
        area: Rect,
        theme: &super::view::Theme,
    ) {
        use ratatui::layout::{Constraint, Layout};
        use ratatui::text::Line;
        use ratatui::widgets::Paragraph;
        let mut lines = vec![Line::styled(self.title.to_owned(), theme.bold())];
        lines.extend(
            super::view::wrap(self.intro, usize::from(area.width))
                .into_iter()
                .map(Line::raw),
        );
        let [intro, field, _] = Layout::vertical([
            Constraint::Length(lines.len() as u16 + 1),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(area);
        frame.render_widget(Paragraph::new(lines), intro);
        let [label, input] =
            Layout::horizontal([Constraint::Length(9), Constraint::Fill(1)]).areas(field);
        frame.render_widget(Paragraph::new(self.label).style(theme.bold()), label);
        let focused = super::view::keys_reach_editor(app);
        prompt.draw(frame, input, focused, theme.highlight());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::editor::EditOp;

    #[test]
    fn a_prompt_takes_typing_and_pastes_as_its_lines_allow() {
        let mut one = Prompt::one_line("");
        let mut many = Prompt::many_lines("");
        for prompt in [&mut one, &mut many] {
            assert!(prompt.handle(&Msg::Edit(EditOp::Insert('a'))));
            assert!(prompt.handle(&Msg::Paste("b\nc".into())));
            assert!(!prompt.handle(&Msg::Save), "saving is the screen's");
        }
        assert_eq!(one.text(), "ab c");
        assert_eq!(many.text(), "ab\nc");
        assert!(one.handle(&Msg::Edit(EditOp::Clear)));
        assert_eq!(one.text(), "");
    }
}
