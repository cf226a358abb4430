//! The administrator's private note on the child being heard: for their
//! own use, never drawn on a projector or the presenter view.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::tui::view::{Theme, draw_editor_wrapped, keys_reach_editor};
use crate::tui::mouse::HitMap;
use crate::tui::app::App;

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, _hits: &mut HitMap) {
    let Some(item) = app.current_item() else {
        return;
    };
    // Projector mode never reaches this screen; should it, nothing shows.
    if app.projector || app.presenter {
        return;
    }
    let [intro, field, _] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(6),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(format!("Private note on {}", item.child), theme.bold()),
            Line::raw("For you only: not in the minutes, never on a projector. Enter saves."),
        ]),
        intro,
    );
    let block = Block::bordered().title(" Private note ");
    let inner = block.inner(field);
    frame.render_widget(block, field);
    if let Some(draft) = app.note_drafts.get(&item.child) {
        let focused = keys_reach_editor(app);
        draw_editor_wrapped(frame, inner, draft, focused);
    }
}
