//! The administrator's private note on the child being heard: for their
//! own use, never drawn on a projector or the presenter view.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::model::ChildId;
use crate::tui::app::{Effect, Msg, NoticeKind, Screen};
use crate::tui::drafts::ChildDrafts;
use crate::tui::view::{Theme, keys_reach_editor};
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
    if let Some(draft) = app.screens.note.drafts.get(&item.child) {
        let focused = keys_reach_editor(app);
        draft.draw(frame, inner, focused, ratatui::style::Style::new());
    }
}

#[derive(Debug, Clone, Default)]
pub struct State {
    /// Notes being typed, per child.
    pub drafts: ChildDrafts,
}

impl super::ScreenState for State {
    fn is_dirty(&self, app: &App) -> bool {
        self.drafts
            .any_unsaved(|child| app.data.admin_notes.get(child).map_or("", String::as_str))
    }
}

/// `e` on the card: the note on the child being heard, as saved or as
/// last typed. Never while the room may see the screen.
pub fn open(app: &mut App) {
    if app.projector || app.presenter {
        app.notify(
            NoticeKind::Warning,
            "Projector mode is on: private notes are not shown. F5 turns it off.",
        );
        return;
    }
    let Some(child) = app
        .current_item()
        .map(|i| i.child.clone())
        .filter(|_| app.screen == Screen::Card)
    else {
        return;
    };
    let saved = app
        .data
        .admin_notes
        .get(&child)
        .cloned()
        .unwrap_or_default();
    app.screens.note.drafts.open(child, &saved);
    app.go(Screen::Note);
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    let Some(child) = app.current_item().map(|i| i.child.clone()) else {
        return super::Outcome::Unhandled(msg);
    };
    if app.screens.note.drafts.handle(&child, &msg) {
        return super::Outcome::done();
    }
    match msg {
        Msg::Save => super::Outcome::Handled(save(app, child)),
        other => super::Outcome::Unhandled(other),
    }
}

/// Saves the note as typed; a blank note removes it.
fn save(app: &mut App, child: ChildId) -> Vec<Effect> {
    let Some(meeting) = app.meeting_id() else {
        return Vec::new();
    };
    let text = app.screens.note.drafts.to_save(&child);
    vec![Effect::SaveNote {
        meeting,
        child,
        text,
    }]
}
