//! `update`: what a message does to the app. Pure: no store, no terminal,
//! no clock; writes come back as effects for `effects::apply`.

use chrono::NaiveDate;

use super::app::{ActionField, App, Effect, Msg, NoticeKind, Screen};
use super::editor::LineEditor;
use crate::model::AttendanceState;
use crate::rules::dates::dmy;
use crate::store::NewAction;

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    // A notice answers the key before; the next key clears it.
    app.notice = None;
    match msg {
        Msg::Open(screen) => return open(app, screen),
        Msg::Back => back(app),
        Msg::Quit => {
            if app.is_editing() {
                app.confirm_quit = true;
            } else {
                app.quit = true;
            }
        }
        Msg::ConfirmYes => {
            app.confirm_quit = false;
            app.quit = true;
        }
        Msg::ConfirmNo => app.confirm_quit = false,
        Msg::ToggleHelp => {
            app.help_open = !app.help_open;
            app.help_scroll = 0;
        }
        Msg::Up | Msg::Down if app.help_open => {
            app.help_scroll = if msg == Msg::Up {
                app.help_scroll.saturating_sub(1)
            } else {
                let rows = super::view::help_lines().len();
                app.help_scroll
                    .saturating_add(1)
                    .min(u16::try_from(rows).unwrap_or(u16::MAX))
            };
        }
        Msg::Up | Msg::Down => match app.screen {
            Screen::RollCall => {
                let last = app.data.members.len().saturating_sub(1);
                app.roll_cursor = if msg == Msg::Up {
                    app.roll_cursor.saturating_sub(1)
                } else {
                    (app.roll_cursor + 1).min(last)
                };
            }
            Screen::Actions => pick_owner(app, msg == Msg::Down),
            _ => {}
        },
        Msg::Mark(state) => {
            if app.screen != Screen::RollCall {
                return Vec::new();
            }
            let (Some(meeting), Some(member)) =
                (app.meeting_id(), app.data.members.get(app.roll_cursor))
            else {
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
            let effect = Effect::SetAttendance {
                meeting,
                member: member.id,
                state,
                substitute_for,
            };
            // Move on, so a roll call is a run of single keys.
            app.roll_cursor = (app.roll_cursor + 1).min(app.data.members.len().saturating_sub(1));
            return vec![effect];
        }
        Msg::NextChild | Msg::PreviousChild => return step(app, msg == Msg::NextChild),
        Msg::Save => match app.screen {
            Screen::Decision => return save_decision(app),
            Screen::Actions => return save_action(app),
            _ => {}
        },
        Msg::NextField | Msg::PreviousField => {
            if let Some(form) = current_child(app).and_then(|c| app.action_forms.get_mut(&c)) {
                let i = ActionField::ALL
                    .iter()
                    .position(|f| *f == form.field)
                    .unwrap_or(0);
                let n = ActionField::ALL.len();
                let next = if msg == Msg::NextField {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                form.field = ActionField::ALL[next];
            }
        }
        Msg::Edit(op) => {
            let Some(child) = current_child(app) else {
                return Vec::new();
            };
            match app.screen {
                Screen::Decision => {
                    if let Some(draft) = app.decision_drafts.get_mut(&child) {
                        draft.apply(op);
                    }
                }
                Screen::Actions => {
                    if let Some(form) = app.action_forms.get_mut(&child) {
                        form.focused_mut().apply(op);
                    }
                }
                _ => {}
            }
        }
    }
    Vec::new()
}

fn current_child(app: &App) -> Option<String> {
    app.current_item().map(|i| i.child.clone())
}

fn open(app: &mut App, screen: Screen) -> Vec<Effect> {
    if screen != Screen::Home && app.data.meeting.is_none() {
        app.notify(
            NoticeKind::Warning,
            "There is no meeting in the database yet.",
        );
        return Vec::new();
    }
    let child = current_child(app);
    if matches!(screen, Screen::Card | Screen::Decision | Screen::Actions) {
        let Some(child) = child else {
            app.notify(NoticeKind::Warning, "The agenda of this meeting is empty.");
            return Vec::new();
        };
        match screen {
            Screen::Decision => {
                let saved = app.saved_decision(&child).to_owned();
                // Amending starts from the saved text; a draft in progress is kept.
                app.decision_drafts
                    .entry(child)
                    .or_insert_with(|| LineEditor::with_text(&saved));
            }
            Screen::Actions => {
                app.action_forms.entry(child).or_default();
            }
            _ => {}
        }
    }
    app.screen = screen;
    follow_current(app)
}

/// Stores the child being heard when the chair opens its card, so a
/// presenter view shows it from the first child on, not only after a step.
fn follow_current(app: &App) -> Vec<Effect> {
    if !matches!(
        app.screen,
        Screen::Card | Screen::Decision | Screen::Actions
    ) {
        return Vec::new();
    }
    let (Some(meeting), Some(item)) = (app.data.meeting.as_ref(), app.current_item()) else {
        return Vec::new();
    };
    if meeting.current_item == Some(item.id) {
        return Vec::new();
    }
    vec![Effect::SetCurrentItem {
        meeting: meeting.id,
        item: item.id,
    }]
}

fn back(app: &mut App) {
    let leaving_a_draft = match (app.screen, current_child(app)) {
        (Screen::Decision, Some(child)) => app
            .decision_drafts
            .get(&child)
            .is_some_and(|d| d.text().trim() != app.saved_decision(&child).trim()),
        (Screen::Actions, Some(child)) => {
            app.action_forms.get(&child).is_some_and(|f| f.is_dirty())
        }
        _ => false,
    };
    if leaving_a_draft {
        let key = if app.screen == Screen::Decision {
            'd'
        } else {
            'a'
        };
        app.notify(
            NoticeKind::Info,
            format!("What you typed is kept but not saved; press {key} to finish it."),
        );
    }
    app.screen = match app.screen {
        Screen::Decision | Screen::Actions => Screen::Card,
        Screen::Card => Screen::Agenda,
        Screen::Agenda | Screen::RollCall | Screen::Home => Screen::Home,
    };
}

/// Steps the agenda forward or back and stores where the chair is, so a
/// presenter view can follow.
fn step(app: &mut App, forward: bool) -> Vec<Effect> {
    let count = app.data.agenda.len();
    let Some(meeting) = app.meeting_id().filter(|_| count > 0) else {
        return Vec::new();
    };
    let target = if forward {
        app.current + 1
    } else {
        match app.current.checked_sub(1) {
            Some(i) => i,
            None => {
                app.notify(NoticeKind::Info, "This is the first child on the agenda.");
                return Vec::new();
            }
        }
    };
    if target >= count {
        app.notify(NoticeKind::Info, "This is the last child on the agenda.");
        return Vec::new();
    }
    app.current = target;
    vec![Effect::SetCurrentItem {
        meeting,
        item: app.data.agenda[target].id,
    }]
}

fn pick_owner(app: &mut App, down: bool) {
    let members: Vec<String> = app
        .data
        .members
        .iter()
        .map(|m| m.job_title.clone())
        .collect();
    let Some(form) = current_child(app).and_then(|c| app.action_forms.get_mut(&c)) else {
        return;
    };
    if members.is_empty() {
        return;
    }
    let last = members.len() - 1;
    let index = match (form.picked, down) {
        (None, true) => 0,
        (None, false) => last,
        (Some(i), true) => (i + 1).min(last),
        (Some(i), false) => i.saturating_sub(1),
    };
    form.picked = Some(index);
    form.owner.set(&members[index]);
    form.field = ActionField::Owner;
}

fn save_decision(app: &mut App) -> Vec<Effect> {
    let (Some(meeting), Some(child)) = (app.meeting_id(), current_child(app)) else {
        return Vec::new();
    };
    let text = app
        .decision_drafts
        .get(&child)
        .map(|d| d.text().trim().to_owned())
        .unwrap_or_default();
    if text.is_empty() {
        app.notify(
            NoticeKind::Error,
            "Decision: type the panel's decision, then press Enter.",
        );
        return Vec::new();
    }
    // The quorum at the moment of the decision goes with it into the minutes.
    let quorate = app.quorum().is_some_and(|q| q.quorate);
    vec![Effect::RecordDecision {
        meeting,
        child,
        text,
        quorate,
    }]
}

fn save_action(app: &mut App) -> Vec<Effect> {
    let (Some(meeting), Some(child)) = (app.meeting_id(), current_child(app)) else {
        return Vec::new();
    };
    let today = app.today;
    let Some(form) = app.action_forms.get_mut(&child) else {
        return Vec::new();
    };
    let text = form.text.text().trim().to_owned();
    let owner = form.owner.text().trim().to_owned();
    let checked = if text.is_empty() {
        Err((
            ActionField::Text,
            "Action: type what is to be done.".to_owned(),
        ))
    } else if owner.is_empty() {
        Err((
            ActionField::Owner,
            "Owner: pick a member with ↑↓ or type a role.".to_owned(),
        ))
    } else {
        parse_deadline(form.deadline.text(), today).map_err(|e| (ActionField::Deadline, e))
    };
    match checked {
        Ok(deadline) => vec![Effect::AddAction(NewAction {
            meeting,
            child,
            text,
            owner,
            deadline,
        })],
        Err((field, message)) => {
            // Nothing is saved; the cursor goes to the field to correct.
            form.field = field;
            app.notify(NoticeKind::Error, message);
            Vec::new()
        }
    }
}

/// A deadline typed as dd/mm/yyyy, on or after `today`. The error names the
/// field and what was typed.
pub fn parse_deadline(typed: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err("Deadline: type a date as dd/mm/yyyy.".into());
    }
    let not_a_date = || format!("Deadline: {typed} is not a date; type dd/mm/yyyy");
    let parts: Vec<&str> = typed.split('/').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let [d, m, y] = parts.as_slice() else {
        return Err(not_a_date());
    };
    if !(digits(d, 2) && digits(m, 2) && digits(y, 4)) {
        return Err(not_a_date());
    }
    let (Ok(d), Ok(m), Ok(y)) = (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>()) else {
        return Err(not_a_date());
    };
    let date = NaiveDate::from_ymd_opt(y, m, d).ok_or_else(not_a_date)?;
    if date < today {
        // An action due in the past is almost always a mistyped year.
        return Err(format!(
            "Deadline: {typed} is in the past (today is {})",
            dmy(today)
        ));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn deadlines_must_be_real_dd_mm_yyyy_dates() {
        let today = day(2026, 11, 27);
        assert_eq!(parse_deadline("18/12/2026", today), Ok(day(2026, 12, 18)));
        assert_eq!(parse_deadline(" 29/02/2028 ", today), Ok(day(2028, 2, 29)));
        assert_eq!(
            parse_deadline("31/02/2027", today),
            Err("Deadline: 31/02/2027 is not a date; type dd/mm/yyyy".into())
        );
        for wrong in [
            "2027-02-03",
            "3/2/2027",
            "03/02/27",
            "03/02/2027/1",
            "aa/bb/cccc",
        ] {
            let err = parse_deadline(wrong, today).unwrap_err();
            assert_eq!(
                err,
                format!("Deadline: {wrong} is not a date; type dd/mm/yyyy")
            );
        }
        assert!(
            parse_deadline("", today)
                .unwrap_err()
                .starts_with("Deadline:")
        );
        assert_eq!(
            parse_deadline("26/11/2026", today),
            Err("Deadline: 26/11/2026 is in the past (today is 27/11/2026)".into())
        );
        assert_eq!(parse_deadline("27/11/2026", today), Ok(today));
    }
}
