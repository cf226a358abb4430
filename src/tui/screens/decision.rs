//! Decision: the panel's decision on the child being heard, saved on Enter.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::model::ChildId;
use crate::tui::app::{Effect, Msg, NoticeKind};
use crate::tui::drafts::ChildDrafts;
use crate::tui::view::{Theme, keys_reach_editor, wrap};
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
    if let Some(draft) = app.screens.decision.drafts.get(&item.child) {
        let focused = keys_reach_editor(app);
        draft.draw(frame, inner, focused, ratatui::style::Style::new());
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

#[derive(Debug, Clone, Default)]
pub struct State {
    /// Decisions being typed, per child (kept when the chair steps away).
    pub drafts: ChildDrafts,
}

impl super::ScreenState for State {
    fn is_dirty(&self, app: &App) -> bool {
        self.drafts.any_unsaved(|child| app.saved_decision(child))
    }
}

/// Opening the decision: amending starts from the saved text; a draft in
/// progress is kept.
pub fn open(app: &mut App, child: ChildId) {
    let saved = app.saved_decision(&child).to_owned();
    app.screens.decision.drafts.open(child, &saved);
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    let Some(child) = app.current_item().map(|i| i.child.clone()) else {
        return super::Outcome::Unhandled(msg);
    };
    if app.screens.decision.drafts.handle(&child, &msg) {
        return super::Outcome::done();
    }
    match msg {
        Msg::Save => super::Outcome::Handled(save(app, child)),
        other => super::Outcome::Unhandled(other),
    }
}

fn save(app: &mut App, child: ChildId) -> Vec<Effect> {
    let Some(meeting) = app.meeting_id() else {
        return Vec::new();
    };
    let text = app.screens.decision.drafts.to_save(&child);
    if text.is_empty() {
        app.notify(
            NoticeKind::Error,
            "Decision: type the panel's decision, then press Enter.",
        );
        return Vec::new();
    }
    // The quorum at the moment of the decision is worked out where it is
    // stored, and comes back with the write's outcome (`Stored::Decision`).
    vec![Effect::RecordDecision {
        meeting,
        child,
        text,
    }]
}
