//! The `?` help overlay, written from the keymap table.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use super::Theme;
use crate::tui::app::{App, Screen};
use crate::tui::keymap::{Context, KEYMAP};

/// Every binding of the keymap, grouped by where it applies: (heading,
/// keys, description) rows, a heading row having empty keys.
pub fn help_lines() -> Vec<(String, String)> {
    // Where keys apply everywhere first, then each screen in the order the
    // screens are registered (so none can be left out), then the overlays.
    let order = [Context::Anywhere, Context::Browsing]
        .into_iter()
        .chain(Screen::ALL.iter().map(|s| Context::Screen(*s)))
        .chain([
            Context::Typing,
            Context::Help,
            Context::ConfirmQuit,
            Context::Palette,
        ]);
    let mut rows = Vec::new();
    for context in order {
        let bindings: Vec<_> = KEYMAP.iter().filter(|b| b.context == context).collect();
        if bindings.is_empty() {
            continue;
        }
        rows.push((String::new(), context.title().to_owned()));
        for b in bindings {
            rows.push((b.keys_label(), b.description.to_owned()));
        }
        if context == Context::Typing {
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
    let block = Block::bordered()
        .title(" Keys (↑↓ scroll, Esc or ? closes) · a right click opens the command palette ");
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    // A wide window (a projector's) shows the help in as many columns as
    // fit, each context kept whole in one column, so nothing needs scrolling.
    let widest = rows
        .iter()
        .map(|(_, text)| 17 + crate::tui::editor::width(text))
        .max()
        .unwrap_or(1);
    let columns_that_fit = usize::from(inner.width) / widest;
    if columns_that_fit >= 2
        && let Some(columns) = pack(&rows, usize::from(inner.height), columns_that_fit)
    {
        let areas = Layout::horizontal(vec![Constraint::Fill(1); columns.len()]).split(inner);
        for (column, area) in columns.iter().zip(areas.iter()) {
            let lines: Vec<Line> = column.iter().map(to_line).collect();
            frame.render_widget(Paragraph::new(lines), *area);
        }
        return;
    }
    let lines: Vec<Line> = rows.iter().map(to_line).collect();
    let max_scroll = (lines.len() as u16).saturating_sub(inner.height);
    let scroll = app.help_scroll().min(max_scroll);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}

/// The help rows in at most `most` columns of `height` rows, each context
/// (a heading and its keys) whole in one column; None when they do not fit.
fn pack(
    rows: &[(String, String)],
    height: usize,
    most: usize,
) -> Option<Vec<Vec<(String, String)>>> {
    let mut columns: Vec<Vec<(String, String)>> = vec![Vec::new()];
    let mut start = 0;
    while start < rows.len() {
        let end = (start + 1..rows.len())
            .find(|&i| rows[i].0.is_empty())
            .unwrap_or(rows.len());
        let group = &rows[start..end];
        if group.len() > height {
            return None;
        }
        let column = columns.last_mut()?;
        if column.len() + group.len() > height {
            columns.push(group.to_vec());
        } else {
            column.extend_from_slice(group);
        }
        start = end;
    }
    (columns.len() <= most).then_some(columns)
}
