//! The questions the Preparation screens ask before a write: the year to
//! plan, a day and a reason, a referral, the meeting a referral is
//! accepted for, a child added to an agenda and why. One form, its fields
//! set by what it is for; a child's field completes over the panel's
//! children (ids, and names where the panel holds them), a meeting's
//! field offers the meetings to come with ↑↓.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use chrono::{Datelike, NaiveDate};

use crate::model::{ChildId, Id};
use crate::rules::dates::{dmy, parse_dmy};
use crate::store::NewReferral;
use crate::tui::app::{App, Effect, Msg, NoticeKind, Screen};
use crate::tui::mouse::HitMap;
use crate::tui::preparation::{AgendaChange, Prepare};
use crate::tui::prompt::Prompt;
use crate::tui::view::{Theme, fit, keys_reach_editor, meeting_when, wrap};

/// What the form is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    PlanYear,
    AddSitting,
    MoveMeeting(Id),
    CancelMeeting(Id),
    NewReferral,
    AcceptReferral(Id),
    DeclineReferral(Id),
    /// A child added by hand to this meeting's agenda.
    AddChild(Id),
    /// A child taken off this meeting's agenda.
    RemoveChild(Id, ChildId),
    /// A sitting of the Fostering Panel and its slots.
    AddFosteringPanel,
    /// The slots of the Fostering Panel sitting on this day.
    FosteringSlots(NaiveDate),
    /// A child's long-term match booked to the sitting on this day.
    BookFostering(NaiveDate),
    /// A child's booking taken off the sitting on this day.
    UnbookFostering(NaiveDate),
}

/// How a field takes what is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A child: completed over the panel's children.
    Child,
    /// A meeting's day: ↑↓ offers the meetings to come.
    Meeting,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    pub kind: Kind,
    pub text: Prompt,
}

fn field(label: &'static str, kind: Kind, text: &str) -> Field {
    Field {
        label,
        kind,
        text: Prompt::one_line(text),
    }
}

#[derive(Debug, Clone)]
pub struct State {
    pub purpose: Option<Purpose>,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// The completion picked with ↑↓ in a child's field.
    pub picked: Option<usize>,
    /// Something was typed since the form opened.
    pub dirty: bool,
    /// The screen it was opened from, where Esc returns with no trail.
    pub origin: Screen,
}

impl Default for State {
    fn default() -> State {
        State {
            purpose: None,
            fields: Vec::new(),
            focus: 0,
            picked: None,
            dirty: false,
            origin: Screen::Home,
        }
    }
}

impl super::ScreenState for State {
    fn is_dirty(&self, _app: &App) -> bool {
        self.purpose.is_some() && self.dirty
    }
}

/// How many completions a child's field shows.
const SHOWN: usize = 5;

/// Opens the form for `purpose`, its fields filled where there is a
/// sensible first answer (the year after the last planned, the meeting
/// asked for or the next one).
pub fn open(app: &mut App, purpose: Purpose) {
    let fields = match &purpose {
        Purpose::PlanYear => {
            let year = app
                .data
                .prep
                .meetings
                .last()
                .map_or(app.today.year(), |m| m.date.year() + 1);
            vec![field("Year", Kind::Text, &year.to_string())]
        }
        Purpose::AddSitting => vec![
            field("Day", Kind::Text, ""),
            field("Reason", Kind::Text, ""),
        ],
        Purpose::MoveMeeting(_) => vec![
            field("New day", Kind::Text, ""),
            field("Reason", Kind::Text, ""),
        ],
        Purpose::CancelMeeting(_) | Purpose::DeclineReferral(_) | Purpose::RemoveChild(..) => {
            vec![field("Reason", Kind::Text, "")]
        }
        Purpose::NewReferral => vec![
            field("Child", Kind::Child, ""),
            field("Referrer's role", Kind::Text, "social worker"),
            field("Referrer's initials", Kind::Text, ""),
            field("Team Manager's initials", Kind::Text, ""),
            field("Reason", Kind::Text, ""),
            field("Meeting asked for", Kind::Meeting, ""),
        ],
        Purpose::AcceptReferral(id) => {
            let asked = app
                .data
                .prep
                .referrals
                .iter()
                .find(|r| r.id == *id)
                .and_then(|r| r.meeting_asked);
            let next = app.data.prep.planned_from(app.today).first().map(|m| m.date);
            let day = asked.or(next).map(dmy).unwrap_or_default();
            vec![field("Meeting", Kind::Meeting, &day)]
        }
        Purpose::AddChild(_) => vec![
            field("Child", Kind::Child, ""),
            field("Reason", Kind::Text, ""),
        ],
        Purpose::AddFosteringPanel => vec![
            field("Day", Kind::Text, ""),
            field("Slots", Kind::Text, ""),
        ],
        Purpose::FosteringSlots(day) => {
            let slots = app
                .data
                .fostering
                .sitting_on(*day)
                .map(|p| p.slots.to_string())
                .unwrap_or_default();
            vec![field("Slots", Kind::Text, &slots)]
        }
        Purpose::BookFostering(_) => vec![field("Child", Kind::Child, "")],
        Purpose::UnbookFostering(day) => {
            let first = app
                .data
                .fostering
                .sitting_on(*day)
                .and_then(|p| p.booked.first().cloned())
                .unwrap_or_default();
            vec![field("Child", Kind::Child, &first)]
        }
    };
    let origin = if app.screen == Screen::PrepForm {
        app.screens.prep_form.origin
    } else {
        app.screen
    };
    app.screens.prep_form = State {
        purpose: Some(purpose),
        fields,
        focus: 0,
        picked: None,
        dirty: false,
        origin,
    };
    app.go(Screen::PrepForm);
}

/// After the write it asked for: the form is emptied and left.
pub fn done(app: &mut App) {
    if app.screen == Screen::PrepForm {
        app.screens.prep_form = State::default();
        app.go_back();
    }
}

/// The heading: what the form does, and to which meeting.
fn heading(app: &App, purpose: &Purpose) -> String {
    let meeting = |id: &Id| {
        app.data
            .prep
            .meeting(*id)
            .map_or_else(|| format!("meeting {id}"), meeting_when)
    };
    let child_of = |id: &Id| {
        app.data
            .prep
            .referrals
            .iter()
            .find(|r| r.id == *id)
            .map_or_else(|| format!("referral {id}"), |r| app.child_label(&r.child))
    };
    match purpose {
        Purpose::PlanYear => "Plan a year's meetings from the terms' cadence".to_owned(),
        Purpose::AddSitting => "Add an extra sitting".to_owned(),
        Purpose::MoveMeeting(id) => format!("Move the meeting of {}", meeting(id)),
        Purpose::CancelMeeting(id) => format!("Cancel the meeting of {}", meeting(id)),
        Purpose::NewReferral => "Record a referral".to_owned(),
        Purpose::AcceptReferral(id) => format!("Accept the referral of {}", child_of(id)),
        Purpose::DeclineReferral(id) => format!("Decline the referral of {}", child_of(id)),
        Purpose::AddChild(id) => format!("Add a child to the agenda of {}", meeting(id)),
        Purpose::RemoveChild(id, child) => format!(
            "Take {} off the agenda of {}",
            app.child_label(child),
            meeting(id)
        ),
        Purpose::AddFosteringPanel => "Record a sitting of the Fostering Panel".to_owned(),
        Purpose::FosteringSlots(day) => {
            format!("Change the slots of the Fostering Panel of {}", dmy(*day))
        }
        Purpose::BookFostering(day) => format!(
            "Book a child's long-term match to the Fostering Panel of {}",
            dmy(*day)
        ),
        Purpose::UnbookFostering(day) => format!(
            "Take a child's booking off the Fostering Panel of {}",
            dmy(*day)
        ),
    }
}

/// The line under the heading: what to type.
fn hint(purpose: &Purpose) -> &'static str {
    match purpose {
        Purpose::PlanYear => "Meetings already planned are kept. Enter plans; Esc goes back.",
        Purpose::AddSitting | Purpose::MoveMeeting(_) => {
            "Type the day as dd/mm/yyyy and why. Enter saves; Esc goes back."
        }
        Purpose::NewReferral => {
            "Roles and initials only, never names. Tab moves between fields; Enter saves."
        }
        Purpose::AcceptReferral(_) => {
            "↑↓ chooses the meeting; blank means the next. The child is listed when its agenda is built."
        }
        Purpose::AddChild(_) => {
            "Type the child's id or name; ↑↓ picks a match. Tab moves on; Enter adds."
        }
        Purpose::AddFosteringPanel => {
            "The day as dd/mm/yyyy and how many long-term matches it can hear; a day already recorded has its slots changed. Tab moves on; Enter saves."
        }
        Purpose::FosteringSlots(_) => {
            "How many long-term matches it can hear: not fewer than the children booked. Enter saves."
        }
        Purpose::BookFostering(_) => {
            "Type the child's id or name; ↑↓ picks a match. Enter books (a child booked to another sitting moves here)."
        }
        Purpose::UnbookFostering(_) => {
            "The child whose booking comes off; ↑↓ picks a match. Enter takes it off."
        }
        _ => "Type why and press Enter; Esc goes back.",
    }
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, _hits: &mut HitMap) {
    let state = &app.screens.prep_form;
    let Some(purpose) = &state.purpose else {
        return;
    };
    let width = usize::from(area.width);
    let mut lines: Vec<Line> = vec![Line::styled(fit(&heading(app, purpose), width), theme.bold())];
    lines.extend(wrap(hint(purpose), width).into_iter().map(Line::raw));
    lines.push(Line::raw(""));
    let label_width = state
        .fields
        .iter()
        .map(|f| f.label.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let mut field_rows: Vec<(usize, u16)> = Vec::new();
    for (i, f) in state.fields.iter().enumerate() {
        field_rows.push((i, lines.len() as u16));
        lines.push(Line::from(Span::styled(
            format!("{:<label_width$}", f.label),
            theme.bold(),
        )));
        if i == state.focus {
            for extra in field_help(app, f) {
                lines.push(Line::styled(fit(&extra.0, width), extra.1.style(theme)));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
    let focused = keys_reach_editor(app);
    for (i, row) in field_rows {
        let input = Rect {
            x: area.x + label_width as u16,
            y: area.y + row,
            width: area.width.saturating_sub(label_width as u16),
            height: 1,
        }
        .intersection(area);
        if input.is_empty() {
            continue;
        }
        let style = if i == state.focus {
            theme.highlight()
        } else {
            ratatui::style::Style::new()
        };
        state.fields[i]
            .text
            .draw(frame, input, focused && i == state.focus, style);
    }
}

#[derive(Debug, Clone, Copy)]
enum Look {
    Plain,
    Picked,
    Dim,
}

impl Look {
    fn style(self, theme: &Theme) -> ratatui::style::Style {
        match self {
            Look::Plain => ratatui::style::Style::new(),
            Look::Picked => theme.highlight(),
            Look::Dim => theme.dim(),
        }
    }
}

/// The lines under the focused field: a child's matches, a meeting's day.
fn field_help(app: &App, f: &Field) -> Vec<(String, Look)> {
    let typed = f.text.text();
    match f.kind {
        Kind::Text => Vec::new(),
        Kind::Child => {
            let found = crate::tui::children::completions(app, typed, SHOWN);
            if typed.trim().is_empty() {
                return vec![("  Type an id or a name.".to_owned(), Look::Dim)];
            }
            if found.is_empty() {
                return vec![(
                    format!("  No child in the return matches '{}'.", typed.trim()),
                    Look::Dim,
                )];
            }
            let picked = app.screens.prep_form.picked;
            found
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let look = if picked == Some(i) {
                        Look::Picked
                    } else {
                        Look::Plain
                    };
                    (format!("  {}", app.child_label(c)), look)
                })
                .collect()
        }
        Kind::Meeting => {
            let text = match parse_dmy(typed) {
                Some(day) => match app.data.prep.meetings.iter().find(|m| m.date == day) {
                    Some(m) => format!("  {} ({})", meeting_when(m), app.data.prep.status_words(m, app.today)),
                    None => format!("  No meeting is planned on {}.", dmy(day)),
                },
                None if typed.trim().is_empty() => "  ↑↓ offers the meetings to come.".to_owned(),
                None => "  Type the day as dd/mm/yyyy.".to_owned(),
            };
            vec![(text, Look::Dim)]
        }
    }
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    let state = &mut app.screens.prep_form;
    let count = state.fields.len();
    if let Some(f) = state.fields.get_mut(state.focus)
        && f.text.handle(&msg)
    {
        state.dirty = true;
        state.picked = None;
        return super::Outcome::done();
    }
    match msg {
        Msg::NextField | Msg::PreviousField => {
            take_pick(app);
            let state = &mut app.screens.prep_form;
            state.focus = if msg == Msg::NextField {
                (state.focus + 1) % count.max(1)
            } else {
                (state.focus + count.max(1) - 1) % count.max(1)
            };
            state.picked = None;
        }
        Msg::Up | Msg::Down => choose(app, msg == Msg::Down),
        Msg::Save => {
            take_pick(app);
            return super::Outcome::Handled(save(app));
        }
        other => return super::Outcome::Unhandled(other),
    }
    super::Outcome::done()
}

/// ↑↓: the next match of a child's field, the next meeting to come in a
/// meeting's field.
fn choose(app: &mut App, down: bool) {
    let focus = app.screens.prep_form.focus;
    let Some(f) = app.screens.prep_form.fields.get(focus) else {
        return;
    };
    match f.kind {
        Kind::Text => {}
        Kind::Child => {
            let found = crate::tui::children::completions(app, f.text.text(), SHOWN).len();
            if found == 0 {
                return;
            }
            let state = &mut app.screens.prep_form;
            state.picked = Some(match (state.picked, down) {
                (None, true) => 0,
                (None, false) => found - 1,
                (Some(i), true) => (i + 1) % found,
                (Some(i), false) => (i + found - 1) % found,
            });
        }
        Kind::Meeting => {
            let days: Vec<String> = app
                .data
                .prep
                .planned_from(app.today)
                .iter()
                .map(|m| dmy(m.date))
                .collect();
            let next = super::cycle(&days, f.text.text(), down);
            let state = &mut app.screens.prep_form;
            state.fields[focus].text = Prompt::one_line(&next);
            state.dirty = true;
        }
    }
}

/// A match picked with ↑↓ in a child's field becomes what is typed.
fn take_pick(app: &mut App) {
    let focus = app.screens.prep_form.focus;
    let Some(picked) = app.screens.prep_form.picked else {
        return;
    };
    let Some(f) = app.screens.prep_form.fields.get(focus) else {
        return;
    };
    if f.kind != Kind::Child {
        return;
    }
    let found = crate::tui::children::completions(app, f.text.text(), SHOWN);
    if let Some(child) = found.get(picked) {
        let state = &mut app.screens.prep_form;
        state.fields[focus].text = Prompt::one_line(child);
        state.picked = None;
    }
}

/// The text of the field labelled `label`, trimmed.
fn value<'a>(state: &'a State, label: &str) -> &'a str {
    state
        .fields
        .iter()
        .find(|f| f.label == label)
        .map_or("", |f| f.text.text().trim())
}

/// A day typed in `label`: required or not.
fn day_in(state: &State, label: &str, required: bool) -> Result<Option<NaiveDate>, String> {
    let typed = value(state, label);
    if typed.is_empty() {
        return if required {
            Err(format!("{label}: type the day as dd/mm/yyyy."))
        } else {
            Ok(None)
        };
    }
    parse_dmy(typed)
        .map(Some)
        .ok_or_else(|| format!("{label}: '{typed}' is not a date; type dd/mm/yyyy."))
}

/// A meeting's day typed in `label`: it must be a meeting in the list.
fn meeting_in(app: &App, label: &str) -> Result<Option<NaiveDate>, String> {
    let day = day_in(&app.screens.prep_form, label, false)?;
    match day {
        Some(d) if !app.data.prep.meetings.iter().any(|m| m.date == d) => Err(format!(
            "{label}: no meeting is planned on {}; ↑↓ offers those to come.",
            dmy(d)
        )),
        _ => Ok(day),
    }
}

/// The slots typed: a whole number of long-term matches.
fn slots_in(state: &State) -> Result<u32, String> {
    let typed = value(state, "Slots");
    typed.parse::<u32>().map_err(|_| {
        if typed.is_empty() {
            "Slots: type how many long-term matches it can hear, such as 2.".to_owned()
        } else {
            format!("Slots: '{typed}' is not a whole number; type how many long-term matches it can hear, such as 2.")
        }
    })
}

/// The child typed for a booking: the one it stands for, or, when it
/// matches no child, as typed, for the store to refuse in its own words.
fn booked_child_in(app: &App) -> Result<ChildId, String> {
    let typed = value(&app.screens.prep_form, "Child");
    match crate::tui::children::resolve(app, typed, "Child") {
        Ok(child) => Ok(child),
        Err(_) if !typed.is_empty() && crate::tui::children::completions(app, typed, 1).is_empty() => {
            Ok(typed.to_owned())
        }
        Err(e) => Err(e),
    }
}

fn reason_in(state: &State) -> Result<String, String> {
    let reason = value(state, "Reason");
    if reason.is_empty() {
        Err("Reason: say why.".to_owned())
    } else {
        Ok(reason.to_owned())
    }
}

/// The write the form asks for, or what is wrong (named by its field).
fn prepared(app: &App, purpose: &Purpose) -> Result<Prepare, String> {
    let state = &app.screens.prep_form;
    Ok(match purpose {
        Purpose::PlanYear => {
            let typed = value(state, "Year");
            let year = typed
                .parse::<i32>()
                .ok()
                .filter(|y| (2000..=2100).contains(y))
                .ok_or_else(|| format!("Year: '{typed}' is not a year; type one such as 2027."))?;
            Prepare::PlanYear { year }
        }
        Purpose::AddSitting => Prepare::AddSitting {
            day: day_in(state, "Day", true)?.unwrap_or(app.today),
            reason: reason_in(state)?,
        },
        Purpose::MoveMeeting(meeting) => Prepare::MoveMeeting {
            meeting: *meeting,
            to: day_in(state, "New day", true)?.unwrap_or(app.today),
            reason: reason_in(state)?,
        },
        Purpose::CancelMeeting(meeting) => Prepare::CancelMeeting {
            meeting: *meeting,
            reason: reason_in(state)?,
        },
        Purpose::NewReferral => {
            let child = crate::tui::children::resolve(app, value(state, "Child"), "Child")?;
            let draft = NewReferral {
                child,
                made_on: app.today,
                referrer_role: value(state, "Referrer's role").to_owned(),
                referrer_initials: value(state, "Referrer's initials").to_owned(),
                supporter_role: "team manager".to_owned(),
                supporter_initials: value(state, "Team Manager's initials").to_owned(),
                reason: value(state, "Reason").to_owned(),
                meeting_asked: meeting_in(app, "Meeting asked for")?,
            };
            if draft.referrer_role.is_empty() {
                return Err("Referrer's role: say who refers, e.g. social worker.".to_owned());
            }
            let checked = crate::usecase::referrals::check(draft).map_err(|e| e.on_screen())?;
            Prepare::AddReferral(checked)
        }
        Purpose::AcceptReferral(id) => Prepare::AcceptReferral {
            id: *id,
            meeting: meeting_in(app, "Meeting")?,
        },
        Purpose::DeclineReferral(id) => Prepare::DeclineReferral {
            id: *id,
            reason: reason_in(state)?,
        },
        Purpose::AddChild(meeting) => Prepare::Agenda {
            meeting: *meeting,
            change: AgendaChange::Add {
                child: crate::tui::children::resolve(app, value(state, "Child"), "Child")?,
                reason: reason_in(state)?,
            },
        },
        Purpose::RemoveChild(meeting, child) => Prepare::Agenda {
            meeting: *meeting,
            change: AgendaChange::Remove {
                child: child.clone(),
                reason: reason_in(state)?,
            },
        },
        Purpose::AddFosteringPanel => Prepare::AddFosteringPanel {
            day: day_in(state, "Day", true)?.unwrap_or(app.today),
            slots: slots_in(state)?,
        },
        Purpose::FosteringSlots(day) => Prepare::AddFosteringPanel {
            day: *day,
            slots: slots_in(state)?,
        },
        Purpose::BookFostering(day) => Prepare::BookFostering {
            child: booked_child_in(app)?,
            day: *day,
        },
        Purpose::UnbookFostering(day) => {
            let child = booked_child_in(app)?;
            // Another sitting's booking is not this one's to take off.
            match app.data.fostering.booking_of(&child) {
                Some(other) if other != *day => {
                    return Err(format!(
                        "Child: {} is booked to the Fostering Panel of {}, not this one.",
                        app.child_label(&child),
                        dmy(other)
                    ));
                }
                _ => Prepare::UnbookFostering { child },
            }
        }
    })
}

fn save(app: &mut App) -> Vec<Effect> {
    let Some(purpose) = app.screens.prep_form.purpose.clone() else {
        return Vec::new();
    };
    match prepared(app, &purpose) {
        Ok(Prepare::Agenda { meeting, change }) => {
            super::agenda_builder::ask_or_change(app, meeting, change)
        }
        Ok(prepare) => vec![Effect::Prepare(prepare)],
        Err(e) => {
            app.notify(NoticeKind::Error, e);
            Vec::new()
        }
    }
}
