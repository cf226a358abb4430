//! Roll call: each member by role and job title (never a name) and whether
//! they are present.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::tui::view::{Theme, fit, wrap};
use crate::model::{AttendanceState, MemberKind};
use crate::tui::mouse::HitMap;
use crate::tui::app::App;

pub fn draw(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let mut lines: Vec<Line> = Vec::new();
    let rule = &app.terms.quorum;
    let mut needs: Vec<String> = rule.requirements.iter().map(|r| r.label.clone()).collect();
    if rule.min_standing > 0 {
        needs.push(format!("{} standing members present", rule.min_standing));
    }
    let source = if rule.assumed {
        "Quorum rule (assumed: the terms of reference state none)"
    } else {
        "Quorum rule (terms of reference)"
    };
    let text = format!("{source}: {}.", needs.join("; "));
    for l in wrap(&text, usize::from(area.width)) {
        lines.push(Line::raw(l));
    }
    lines.push(Line::raw(""));
    let header = lines.len();
    if app.data.members.is_empty() {
        lines.push(Line::raw(
            "No members yet: press m to add the panel's members.",
        ));
    }
    // Scroll so the highlighted member stays in view.
    let room = usize::from(area.height).saturating_sub(header).max(1);
    let skip = super::first_shown(app.screens.roll_call.cursor, room);
    let shown_members: Vec<(usize, &crate::model::Member, String)> = app
        .data
        .members
        .iter()
        .enumerate()
        .skip(skip)
        .take(room)
        .map(|(i, member)| (i, member, attendance_words(app, member.id)))
        .collect();
    // The job titles line up after the widest state shown ("in attendance
    // 09:31" is longer than "present 09:30"), within reason.
    let state_width = shown_members
        .iter()
        .map(|(_, _, shown)| shown.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(14, 32);
    for (i, member, shown) in shown_members {
        let attendance = app.attendance_of(member.id);
        let state = app.attendance_state(member.id);
        let kind = match member.kind {
            MemberKind::Standing => "",
            MemberKind::Adviser => " (adviser)",
            MemberKind::Presenter => " (presenter)",
        };
        let marker = if i == app.screens.roll_call.cursor { "▶" } else { " " };
        let deputy = match attendance.and_then(|a| a.substitute_for.as_deref()) {
            Some(role) if state == AttendanceState::Substitute => {
                let title = app.terms.role(role).map_or(role, |r| r.job_title.as_str());
                format!(", for {title}")
            }
            _ => String::new(),
        };
        let text = fit(
            &format!("{marker} {shown:<state_width$} {}{kind}{deputy}", member.job_title),
            usize::from(area.width),
        );
        let line = if i == app.screens.roll_call.cursor {
            Line::styled(text, theme.highlight())
        } else if state.is_present() {
            Line::styled(text, theme.bold())
        } else {
            Line::raw(text)
        };
        crate::tui::view::record_row(hits, area, lines.len(), 1, i);
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// A member's attendance in words: "not marked", "present 09:30", "left
/// 11:05", every stretch in the room when they came and went.
fn attendance_words(app: &App, member: crate::model::Id) -> String {
    let attendance = app.attendance_of(member);
    let state = app.attendance_state(member);
    // Arrival time beside "present": the minutes record late arrivals.
    let stretches = attendance.map_or(&[][..], |a| a.intervals.as_slice());
    match (state, attendance.and_then(|a| a.arrived)) {
        (AttendanceState::Expected, _) => "not marked".to_owned(),
        (AttendanceState::Substitute, _) => "substitute".to_owned(),
        // Comings and goings: every stretch in the room.
        (s, _) if stretches.len() > 1 => {
            let word = if s.is_present() { s.label() } else { "left" };
            format!("{word} {}", crate::export::minutes::stretches(stretches))
        }
        (s, Some(arrived)) if s.is_present() => {
            format!("{} {}", s.label(), arrived.format("%H:%M"))
        }
        // Marked away after being present: they left, and quorum may
        // have changed then.
        (_, Some(_)) if attendance.and_then(|a| a.departed).is_some() => {
            let left = attendance.and_then(|a| a.departed).unwrap_or_default();
            format!("left {}", left.format("%H:%M"))
        }
        (s, _) => s.label().to_owned(),
    }
}

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The highlighted member.
    pub cursor: usize,
}

impl super::ScreenState for State {}

pub fn handle(app: &mut App, msg: crate::tui::app::Msg) -> super::Outcome {
    use crate::tui::app::Msg;
    if super::move_cursor(&mut app.screens.roll_call.cursor, app.data.members.len(), &msg) {
        return super::Outcome::done();
    }
    match msg {
        Msg::Mark(state) => super::Outcome::Handled(mark(app, state)),
        other => super::Outcome::Unhandled(other),
    }
}

/// Marks the highlighted member and moves on, so a roll call is a run of
/// single keys.
fn mark(app: &mut App, state: AttendanceState) -> Vec<crate::tui::app::Effect> {
    use crate::tui::app::{Effect, NoticeKind};
    let (Some(meeting), Some(member)) = (
        app.meeting_id(),
        app.data.members.get(app.screens.roll_call.cursor),
    ) else {
        return Vec::new();
    };
    let substitute_for = match state {
        AttendanceState::Substitute => match &member.substitute_for {
            Some(role) => Some(role.clone()),
            None => {
                let text = format!(
                    "{} is not a named substitute; mark them present with p.",
                    member.job_title
                );
                app.notify(NoticeKind::Warning, text);
                return Vec::new();
            }
        },
        _ => None,
    };
    // Minuting on another day than the meeting's, a member leaving (or
    // coming back after leaving) is asked the time: the clock of another
    // day must never reach the minutes.
    let was_present = app.attendance_state(member.id).is_present();
    let came_and_went = app
        .attendance_of(member.id)
        .is_some_and(|a| a.intervals.iter().any(|i| i.left.is_some()));
    let asks_time = app.today != app.membership_day()
        && ((was_present && !state.is_present())
            || (!was_present && state.is_present() && came_and_went));
    if asks_time {
        super::attendance_time::start(app, member.id, state, substitute_for);
        return Vec::new();
    }
    let effect = Effect::SetAttendance {
        meeting,
        member: member.id,
        state,
        substitute_for,
        time: None,
    };
    next_member(app);
    vec![effect]
}

/// Highlights the next member, so a roll call is a run of single keys.
pub fn next_member(app: &mut App) {
    let last = app.data.members.len().saturating_sub(1);
    app.screens.roll_call.cursor = (app.screens.roll_call.cursor + 1).min(last);
}
