//! Decision: the panel's decision on the child being heard, saved on Enter.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::tui::view::{Theme, draw_editor_wrapped, keys_reach_editor, wrap};
use crate::tui::mouse::HitMap;
use crate::tui::app::App;

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, _hits: &mut HitMap) {
    let Some(item) = app.current_item() else {
        return;
    };
    let [intro, field, below] = Layout::vertical([
        Constraint::Length(2),
        // Four lines of text: a decision is often a few sentences.
        Constraint::Length(6),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(
                format!("Decision on {}", app.child_label(&item.child)),
                theme.bold(),
            ),
            Line::raw("Type the panel's decision and press Enter to save it."),
        ]),
        intro,
    );
    let block = Block::bordered().title(" Decision ");
    let inner = block.inner(field);
    frame.render_widget(block, field);
    if let Some(draft) = app.decision_drafts.get(&item.child) {
        let focused = keys_reach_editor(app);
        draw_editor_wrapped(frame, inner, draft, focused);
    }
    let mut lines: Vec<Line> = Vec::new();
    if let Some(q) = app.quorum().filter(|q| !q.quorate) {
        let text = format!(
            "Warning: the meeting is not quorate ({}). A decision saved now is flagged as made while not quorate.",
            q.missing().join("; ")
        );
        for l in wrap(&text, usize::from(below.width)) {
            lines.push(Line::styled(l, theme.warn()));
        }
    }
    if let Some(saved) = app.data.decision_for(&item.child) {
        lines.push(Line::raw(""));
        let flag = if saved.quorate {
            ""
        } else {
            ", flagged: not quorate"
        };
        let text = format!(
            "Saved at {}{flag}: {}",
            saved.recorded_at.format("%H:%M"),
            saved.text
        );
        for l in wrap(&text, usize::from(below.width)) {
            lines.push(Line::raw(l));
        }
    }
    frame.render_widget(Paragraph::new(lines), below);
}
