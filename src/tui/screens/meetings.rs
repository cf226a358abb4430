//! Meetings: the year's meetings (as `meetings list`), each with where it
//! stands in words; plan a year from the terms' cadence, add an extra
//! sitting, move or cancel one with a reason; Enter builds its agenda.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::rules::dates::{dmy, weekday_name};
use crate::tui::app::{App, Msg, NoticeKind};
use crate::tui::mouse::HitMap;
use crate::tui::preparation::PrepMsg;
use crate::tui::view::{Theme, fit, wrap};
use chrono::Datelike;

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, hits: &mut HitMap) {
    let width = usize::from(area.width);
    let prep = &app.data.prep;
    let meetings = &prep.meetings;
    let jan_1 = chrono::NaiveDate::from_ymd_opt(app.today.year(), 1, 1).unwrap_or(app.today);
    let from = meetings.first().map_or(jan_1, |m| m.date.min(jan_1));
    let mut lines: Vec<Line> = vec![Line::styled(
        format!("Meetings from {} ({})", dmy(from), meetings.len()),
        theme.bold(),
    )];
    let intro = "p plans a year from the terms' cadence, a adds an extra sitting; v moves and x cancels the highlighted meeting; Enter builds its agenda.";
    lines.extend(wrap(intro, width).into_iter().map(Line::raw));
    lines.push(Line::raw(""));
    if meetings.is_empty() {
        lines.push(Line::raw(
            "No meeting is planned yet: press p to plan a year's meetings.",
        ));
    }
    let room = usize::from(area.height).saturating_sub(lines.len() + 1).max(1);
    let cursor = app.screens.meetings.cursor;
    let skip = (cursor + 1).saturating_sub(room);
    for (i, m) in meetings.iter().enumerate().skip(skip).take(room) {
        let marker = if i == cursor { "▶" } else { " " };
        let here = if Some(m.id) == app.meeting_id() {
            " (the app's meeting)"
        } else {
            ""
        };
        let text = format!(
            "{marker} {:<9} {}  {}–{}  {}{here}",
            weekday_name(m.date.weekday()),
            dmy(m.date),
            m.start.format("%H:%M"),
            m.end.format("%H:%M"),
            prep.status_words(m, app.today)
        );
        let style = if i == cursor {
            theme.highlight()
        } else {
            ratatui::style::Style::new()
        };
        crate::tui::view::record_row(hits, area, lines.len(), 1, i);
        lines.push(Line::styled(fit(&text, width), style));
    }
    let hidden = meetings.len().saturating_sub(skip + room);
    if let Some(hint) = crate::tui::view::scroll_hint(skip, hidden) {
        lines.push(Line::styled(hint, theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The highlighted meeting.
    pub cursor: usize,
}

impl super::ScreenState for State {}

/// Opens on the meeting the app is on, else the first still to come.
pub fn open(app: &mut App) {
    let meetings = &app.data.prep.meetings;
    let at = app
        .meeting_id()
        .and_then(|id| meetings.iter().position(|m| m.id == id))
        .or_else(|| meetings.iter().position(|m| m.date >= app.today))
        .unwrap_or(0);
    app.screens.meetings.cursor = at;
}

/// The highlighted meeting's id.
fn highlighted(app: &App) -> Option<crate::model::Id> {
    let prep = &app.data.prep;
    prep.meetings.get(app.screens.meetings.cursor).map(|m| m.id)
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    use super::prep_form::{self, Purpose};
    let last = app.data.prep.meetings.len().saturating_sub(1);
    let cursor = &mut app.screens.meetings.cursor;
    match msg {
        Msg::Up => *cursor = cursor.saturating_sub(1),
        Msg::Down => *cursor = (*cursor + 1).min(last),
        Msg::Select(row) => *cursor = row.min(last),
        Msg::Prepare(PrepMsg::PlanYear) => prep_form::open(app, Purpose::PlanYear),
        Msg::Prepare(PrepMsg::AddSitting) => prep_form::open(app, Purpose::AddSitting),
        Msg::Prepare(
            wanted @ (PrepMsg::MoveMeeting | PrepMsg::CancelMeeting | PrepMsg::OpenBuilder),
        ) => {
            let Some(id) = highlighted(app) else {
                app.notify(
                    NoticeKind::Warning,
                    "No meeting is planned yet: press p to plan a year.",
                );
                return super::Outcome::done();
            };
            let cancelled = app
                .data
                .prep
                .meeting(id)
                .is_some_and(|m| m.status == crate::model::MeetingStatus::Cancelled);
            match wanted {
                PrepMsg::CancelMeeting if cancelled => app.notify(
                    NoticeKind::Warning,
                    "This meeting is already cancelled.",
                ),
                PrepMsg::MoveMeeting => prep_form::open(app, Purpose::MoveMeeting(id)),
                PrepMsg::CancelMeeting => prep_form::open(app, Purpose::CancelMeeting(id)),
                _ => super::agenda_builder::open_for(app, id),
            }
        }
        other => return super::Outcome::Unhandled(other),
    }
    super::Outcome::done()
}
