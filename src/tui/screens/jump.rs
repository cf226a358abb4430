//! Jumping to a child: an id or a name typed after `/`, on one line.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Paragraph;

use crate::tui::app::App;
use crate::tui::mouse::HitMap;
use crate::tui::view::{Theme, draw_editor, keys_reach_editor};

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, _hits: &mut HitMap) {
    let [intro, field, _] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new("Type a child's id (or part of it) and press Enter; Esc goes back."),
        intro,
    );
    let focused = keys_reach_editor(app);
    draw_editor(frame, field, &app.jump_text, focused, theme.highlight());
}
