//! The `:` command palette, drawn over the screen it acts on.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{Theme, draw_editor, fit, keys_reach_editor};
use crate::tui::app::App;
use crate::tui::mouse::Target;
use crate::tui::palette::matches;

pub fn draw(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    hits: &mut crate::tui::mouse::HitMap,
) {
    let Some(palette) = app.palette() else {
        return;
    };
    // A box in the upper middle, leaving the footer (the palette's keys)
    // in view.
    let width = area.width.saturating_sub(8).min(76);
    let height = area.height.saturating_sub(6).min(18);
    let popup = Rect::new(area.x + (area.width - width) / 2, area.y + 2, width, height);
    let block =
        Block::bordered().title(" Commands (type to find, ↑↓ choose, Enter runs, Esc closes) ");
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    hits.add(popup, Target::Overlay);
    if inner.height < 2 {
        return;
    }
    let prompt = Rect::new(inner.x, inner.y, 2, 1);
    frame.render_widget(Paragraph::new(":").style(theme.bold()), prompt);
    let field = Rect::new(inner.x + 2, inner.y, inner.width.saturating_sub(2), 1);
    let focused = keys_reach_editor(app);
    draw_editor(frame, field, &palette.query, focused, theme.bold());
    let list = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1);
    let found = matches(app);
    if found.is_empty() {
        frame.render_widget(Paragraph::new("  No command matches."), list);
        return;
    }
    let room = usize::from(list.height);
    let skip = (palette.selected + 1).saturating_sub(room);
    let width = usize::from(list.width);
    let mut lines: Vec<Line> = Vec::new();
    for (i, command) in found.iter().enumerate().skip(skip).take(room) {
        super::record_palette_row(hits, list, lines.len(), i);
        let marker = if i == palette.selected { "▶ " } else { "  " };
        let keys_width = crate::tui::editor::width(&command.keys);
        let label_room = width.saturating_sub(keys_width + 3);
        let label = fit(&command.label, label_room);
        let pad = width.saturating_sub(2 + crate::tui::editor::width(&label) + keys_width);
        let style = if i == palette.selected {
            theme.highlight()
        } else {
            ratatui::style::Style::new()
        };
        lines.push(
            Line::from(vec![
                Span::raw(format!("{marker}{label}{}", " ".repeat(pad))),
                Span::styled(command.keys.clone(), theme.dim()),
            ])
            .style(style),
        );
    }
    frame.render_widget(Paragraph::new(lines), list);
}
