//! The `?` help overlay, written from the keymap table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use super::Theme;
use crate::tui::app::{App, Screen};
use crate::tui::keymap::{Context, KEYMAP};

/// The order the help lists contexts in.
const ORDER: &[Context] = &[
    Context::Anywhere,
    Context::Browsing,
    Context::Screen(Screen::Home),
    Context::Screen(Screen::RollCall),
    Context::Screen(Screen::Agenda),
    Context::Screen(Screen::Card),
    Context::Screen(Screen::Decision),
    Context::Screen(Screen::Actions),
    Context::Typing,
    Context::Help,
    Context::ConfirmQuit,
];

/// Every binding of the keymap, grouped by where it applies: (heading,
/// keys, description) rows, a heading row having empty keys.
pub fn help_lines() -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for context in ORDER {
        let bindings: Vec<_> = KEYMAP.iter().filter(|b| b.context == *context).collect();
        if bindings.is_empty() {
            continue;
        }
        rows.push((String::new(), context.title().to_owned()));
        for b in bindings {
            rows.push((b.keys_label(), b.description.to_owned()));
        }
        if *context == Context::Typing {
            rows.push(("(any letter)".into(), "Type it into the field".into()));
        }
    }
    rows
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let popup = area.inner(ratatui::layout::Margin::new(2, 1));
    let lines: Vec<Line> = help_lines()
        .into_iter()
        .map(|(keys, text)| {
            if keys.is_empty() {
                Line::styled(text, theme.bold())
            } else {
                Line::raw(format!("  {keys:<14} {text}"))
            }
        })
        .collect();
    let visible = popup.height.saturating_sub(2);
    let max_scroll = (lines.len() as u16).saturating_sub(visible);
    let scroll = app.help_scroll.min(max_scroll);
    let block = Block::bordered().title(" Keys (↑↓ scroll, Esc or ? closes) ");
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), popup);
}
