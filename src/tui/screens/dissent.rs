//! A member's dissent from the decision on the child being heard (issue
//! 23): the members in the room (by job title, never a name; those who
//! declared an interest withdrew and are not offered), ↑↓ choose, their
//! view is typed, Enter records it (`Store::record_dissent`, as the
//! command line does). The card, the decision form and the minutes show
//! it. Undone with u like any change.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::model::{Id, Member};
use crate::tui::app::{App, Effect, Msg, NoticeKind};
use crate::tui::mouse::HitMap;
use crate::tui::prompt::Prompt;
use crate::tui::view::{Theme, fit, keys_reach_editor, wrap};

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The child whose decision the view typed is about: a view typed for
    /// one child is never offered for another.
    pub child: Option<crate::model::ChildId>,
    /// The highlighted member of those who may dissent.
    pub cursor: usize,
    /// Their view, as the minutes will record it.
    pub view: Prompt,
}

impl super::ScreenState for State {
    fn is_dirty(&self, _app: &App) -> bool {
        !self.view.text().trim().is_empty()
    }
}

/// The members in the room who took part in the item: those who may
/// dissent from its decision.
pub fn members(app: &App) -> Vec<&Member> {
    let withdrawn = app
        .current_item()
        .map(|i| app.data.withdrawn_from(&i.child))
        .unwrap_or_default();
    super::interests::in_room(app)
        .into_iter()
        .filter(|m| !withdrawn.contains(&m.id))
        .collect()
}

/// The saved decision on the child being heard, which a dissent is from.
fn decision(app: &App) -> Option<Id> {
    let child = &app.current_item()?.child;
    app.data.decision_for(child).map(|d| d.id)
}

/// `D` on the card, Alt+D on the decision: only once a decision is saved.
pub fn open(app: &mut App) -> bool {
    if decision(app).is_none() {
        app.notify(
            NoticeKind::Warning,
            "A dissent is from a decision: save the panel's decision first (d).",
        );
        return false;
    }
    let child = app.current_item().map(|i| i.child.clone());
    if app.screens.dissent.child != child {
        app.screens.dissent = State {
            child,
            ..State::default()
        };
    }
    let last = members(app).len().saturating_sub(1);
    app.screens.dissent.cursor = app.screens.dissent.cursor.min(last);
    true
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, hits: &mut HitMap) {
    let Some(item) = app.current_item() else {
        frame.render_widget(Paragraph::new("No child is being heard."), area);
        return;
    };
    let width = usize::from(area.width);
    let mut lines: Vec<Line> = Vec::new();
    let intro = format!(
        "Who dissents from the decision on {}? ↑↓ choose the member, type their view, Enter records it; Esc goes back.",
        app.child_label(&item.child)
    );
    for l in wrap(&intro, width) {
        lines.push(Line::raw(l));
    }
    let held = app
        .data
        .decision_for(&item.child)
        .and_then(|d| app.data.decision_outcomes.get(&d.id));
    let already: Vec<(Id, &str)> = held
        .map(|o| {
            o.dissents
                .iter()
                .map(|d| (d.member, d.view.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let members = members(app);
    if members.is_empty() {
        lines.push(Line::raw(
            "Nobody who took part in this item is marked present: mark the roll call first (r).",
        ));
    }
    // Room for the view's line and a blank above it.
    let header = lines.len();
    let room = usize::from(area.height)
        .saturating_sub(header + 3)
        .max(1);
    let cursor = app.screens.dissent.cursor;
    let skip = super::first_shown(cursor, room);
    for (i, member) in members.iter().enumerate().skip(skip).take(room) {
        let marker = if i == cursor { "▶" } else { " " };
        let dissented = if already.iter().any(|(m, _)| *m == member.id) {
            "  (dissent recorded)"
        } else {
            ""
        };
        let text = fit(
            &format!("{marker} {}{dissented}", member.job_title),
            width,
        );
        crate::tui::view::record_row(hits, area, lines.len(), 1, i);
        lines.push(if i == cursor {
            Line::styled(text, theme.highlight())
        } else {
            Line::raw(text)
        });
    }
    let used = lines.len() as u16;
    let [list, _, field, _] = Layout::vertical([
        Constraint::Length(used),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(lines), list);
    let [label, input] =
        Layout::horizontal([Constraint::Length(12), Constraint::Fill(1)]).areas(field);
    frame.render_widget(Paragraph::new("Their view").style(theme.bold()), label);
    app.screens
        .dissent
        .view
        .draw(frame, input, keys_reach_editor(app), theme.highlight());
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    let len = members(app).len();
    if super::move_cursor(&mut app.screens.dissent.cursor, len, &msg) {
        return super::Outcome::done();
    }
    if app.screens.dissent.view.handle(&msg) {
        return super::Outcome::done();
    }
    match msg {
        Msg::Save => super::Outcome::Handled(record(app)),
        other => super::Outcome::Unhandled(other),
    }
}

/// The highlighted member's dissent, with the view typed.
fn record(app: &mut App) -> Vec<Effect> {
    let Some(decision) = decision(app) else {
        return Vec::new();
    };
    let Some(member) = members(app).get(app.screens.dissent.cursor).map(|m| m.id) else {
        app.notify(
            NoticeKind::Warning,
            "Nobody who took part in this item is marked present to dissent.",
        );
        return Vec::new();
    };
    let view = app.screens.dissent.view.text().trim().to_owned();
    if view.is_empty() {
        app.notify(
            NoticeKind::Error,
            "Their view: type the member's view as the minutes will record it.",
        );
        return Vec::new();
    }
    vec![Effect::RecordDissent {
        decision,
        member,
        view,
    }]
}
