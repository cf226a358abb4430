//! Declaring an interest in the child being heard: the members in the room
//! (by job title, never a name), the highlighted one declares with Enter,
//! withdraws from the item and stops counting towards its quorum (the
//! quorum line says so at once). Undone with u like any change.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::model::{AttendanceState, Member};
use crate::tui::app::{App, Effect, Msg, NoticeKind};
use crate::tui::mouse::HitMap;
use crate::tui::view::{Theme, fit, wrap};

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The highlighted member of those in the room.
    pub cursor: usize,
}

impl super::ScreenState for State {}

/// The members sitting in the room now (not those in attendance only):
/// those who can declare an interest.
pub fn in_room(app: &App) -> Vec<&Member> {
    app.data
        .members
        .iter()
        .filter(|m| {
            let state = app.attendance_state(m.id);
            state.is_present() && state != AttendanceState::InAttendance
        })
        .collect()
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, hits: &mut HitMap) {
    let mut lines: Vec<Line> = Vec::new();
    let Some(item) = app.current_item() else {
        frame.render_widget(Paragraph::new("No child is being heard."), area);
        return;
    };
    let withdrawn = app.data.withdrawn_from(&item.child);
    let intro = format!(
        "Who declares an interest in {}'s item? They withdraw from it and do not count towards its quorum. Enter records it; Esc goes back.",
        item.child
    );
    for l in wrap(&intro, usize::from(area.width)) {
        lines.push(Line::raw(l));
    }
    lines.push(Line::raw(""));
    let members = in_room(app);
    if members.is_empty() {
        lines.push(Line::raw(
            "Nobody is marked present: mark the roll call first (r).",
        ));
    }
    let header = lines.len();
    let room = usize::from(area.height).saturating_sub(header).max(1);
    let cursor = app.screens.interests.cursor;
    let skip = (cursor + 1).saturating_sub(room);
    for (i, member) in members.iter().enumerate().skip(skip).take(room) {
        let marker = if i == cursor { "▶" } else { " " };
        let declared = if withdrawn.contains(&member.id) {
            "  (declared an interest)"
        } else {
            ""
        };
        let text = fit(
            &format!("{marker} {}{declared}", member.job_title),
            usize::from(area.width),
        );
        let line = if i == cursor {
            Line::styled(text, theme.highlight())
        } else {
            Line::raw(text)
        };
        crate::tui::view::record_row(hits, area, lines.len(), 1, i);
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), area);
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    let last = in_room(app).len().saturating_sub(1);
    let cursor = &mut app.screens.interests.cursor;
    match msg {
        Msg::Up => *cursor = cursor.saturating_sub(1),
        Msg::Down => *cursor = (*cursor + 1).min(last),
        Msg::Select(row) => *cursor = row.min(last),
        Msg::Save => return super::Outcome::Handled(declare(app)),
        other => return super::Outcome::Unhandled(other),
    }
    super::Outcome::done()
}

/// The highlighted member declares an interest in the current child's item.
fn declare(app: &mut App) -> Vec<Effect> {
    let (Some(meeting), Some(child)) = (
        app.meeting_id(),
        app.current_item().map(|i| i.child.clone()),
    ) else {
        return Vec::new();
    };
    let Some(member) = in_room(app)
        .get(app.screens.interests.cursor)
        .map(|m| (m.id, m.job_title.clone()))
    else {
        app.notify(NoticeKind::Warning, "Nobody is marked present to declare.");
        return Vec::new();
    };
    if app.data.withdrawn_from(&child).contains(&member.0) {
        let text = format!("The {} has already declared an interest in this item.", member.1);
        app.notify(NoticeKind::Info, text);
        return Vec::new();
    }
    vec![Effect::DeclareInterest {
        meeting,
        child,
        member: member.0,
    }]
}
