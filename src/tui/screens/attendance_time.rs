//! The time a member left (or came back), typed on one line when the
//! roll call is minuted on another day than the meeting's: the minutes
//! then print the time typed, never the clock of the day of typing. Left
//! empty, a departure is taken at the meeting's end; a return needs a time.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::model::{AttendanceState, Id};
use crate::rules::dates::dmy;
use crate::tui::app::{App, Effect, Msg, NoticeKind, Screen};
use crate::tui::mouse::HitMap;
use crate::tui::prompt::Prompt;
use crate::tui::view::{Theme, fit, keys_reach_editor};

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The member whose coming or going is being timed, and what they are
    /// being marked (present: coming back; else leaving).
    pub mark: Option<(Id, AttendanceState)>,
    pub substitute_for: Option<String>,
    /// The time as typed (hh:mm).
    pub time: Prompt,
}

impl super::ScreenState for State {
    fn is_dirty(&self, _app: &App) -> bool {
        self.mark.is_some() && !self.time.text().trim().is_empty()
    }
}

/// Asks the time `member` left (or came back, when `state` is present).
pub fn start(app: &mut App, member: Id, state: AttendanceState, substitute_for: Option<String>) {
    app.screens.attendance_time = State {
        mark: Some((member, state)),
        substitute_for,
        time: Prompt::default(),
    };
    app.go(Screen::AttendanceTime);
}

fn coming_back(state: &State) -> bool {
    state.mark.is_some_and(|(_, s)| s.is_present())
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, _hits: &mut HitMap) {
    let state = &app.screens.attendance_time;
    let (Some(member), Some(meeting)) = (
        state
            .mark
            .and_then(|(id, _)| app.data.members.iter().find(|m| m.id == id)),
        app.data.meeting.as_ref(),
    ) else {
        return;
    };
    let [intro, field, _] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    let (question, empty) = if coming_back(state) {
        ("came back", "a time is needed")
    } else {
        ("left", "")
    };
    let end = meeting.end.format("%H:%M").to_string();
    let how = if empty.is_empty() {
        format!("Type hh:mm and press Enter (Enter alone: the meeting's end, {end}).")
    } else {
        format!("Type hh:mm and press Enter ({empty}).")
    };
    let width = usize::from(area.width);
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(
                fit(
                    &format!(
                        "When {} {question} on {}",
                        member.job_title,
                        dmy(meeting.date)
                    ),
                    width,
                ),
                theme.bold(),
            ),
            Line::raw(fit(&how, width)),
        ]),
        intro,
    );
    let [label, input] =
        Layout::horizontal([Constraint::Length(7), Constraint::Fill(1)]).areas(field);
    frame.render_widget(Paragraph::new("Time").style(theme.bold()), label);
    state
        .time
        .draw(frame, input, keys_reach_editor(app), theme.highlight());
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    if app.screens.attendance_time.time.handle(&msg) {
        return super::Outcome::done();
    }
    match msg {
        Msg::Save => super::Outcome::Handled(save(app)),
        other => super::Outcome::Unhandled(other),
    }
}

/// The mark with the time typed; the store refuses a time out of order.
fn save(app: &mut App) -> Vec<Effect> {
    let state = &app.screens.attendance_time;
    let (Some(meeting), Some((member, mark))) = (app.meeting_id(), state.mark) else {
        return Vec::new();
    };
    let typed = state.time.text().trim().to_owned();
    let time = if typed.is_empty() {
        if coming_back(state) {
            app.notify(
                NoticeKind::Error,
                "Time: type the time they came back, as hh:mm (e.g. 11:40).",
            );
            return Vec::new();
        }
        // Enter alone: the store takes the meeting's end.
        None
    } else {
        match crate::cli::parse_hh_mm(&typed) {
            Ok(time) => Some(time),
            Err(why) => {
                app.notify(NoticeKind::Error, format!("Time: {why}."));
                return Vec::new();
            }
        }
    };
    vec![Effect::SetAttendance {
        meeting,
        member,
        state: mark,
        substitute_for: state.substitute_for.clone(),
        time,
    }]
}
