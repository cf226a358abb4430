//! The `?` help overlay, written from the keymap table.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
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
    Context::Screen(Screen::Members),
    Context::Screen(Screen::MemberForm),
    Context::Screen(Screen::ActionList),
    Context::Screen(Screen::DropAction),
    Context::Screen(Screen::Jump),
    Context::Typing,
    Context::Help,
    Context::ConfirmQuit,
    Context::ClosedDay,
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
    // Cover everything but the footer, which says how to close the help.
    let popup = Rect {
        height: area.height.saturating_sub(1),
        ..area
    };
    let rows = help_lines();
    let to_line = |(keys, text): &(String, String)| -> Line<'static> {
        if keys.is_empty() {
            Line::styled(text.clone(), theme.bold())
        } else {
            Line::raw(format!("  {keys:<14} {text}"))
        }
    };
    let block = Block::bordered().title(" Keys (↑↓ scroll, Esc or ? closes) ");
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    // A wide window shows two columns, split at the heading nearest the middle.
    let widest = rows
        .iter()
        .map(|(_, text)| 17 + text.chars().count())
        .max()
        .unwrap_or(0);
    if usize::from(inner.width) >= 2 * widest {
        let middle = rows.len().div_ceil(2);
        let split = (0..rows.len())
            .filter(|&i| rows[i].0.is_empty())
            .min_by_key(|&i| i.abs_diff(middle))
            .unwrap_or(middle);
        if split.max(rows.len() - split) <= usize::from(inner.height) {
            let [left, right] =
                Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(inner);
            let left_lines: Vec<Line> = rows[..split].iter().map(to_line).collect();
            let right_lines: Vec<Line> = rows[split..].iter().map(to_line).collect();
            frame.render_widget(Paragraph::new(left_lines), left);
            frame.render_widget(Paragraph::new(right_lines), right);
            return;
        }
    }
    let lines: Vec<Line> = rows.iter().map(to_line).collect();
    let max_scroll = (lines.len() as u16).saturating_sub(inner.height);
    let scroll = app.help_scroll.min(max_scroll);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
