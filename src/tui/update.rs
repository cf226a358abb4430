//! `update`: what a message does to the app. Pure: no store, no terminal,
//! no clock; writes come back as effects for `effects::apply`, and their
//! outcome comes back here as `Msg::Written`.
//!
//! A message goes first to the overlays (`overlay::handle`), then, if it is
//! the app's own (going places, quitting, undo, a write's outcome), here;
//! anything else is the screen's (`Screen::handle`, in `screens/`).

use chrono::{NaiveDate, NaiveDateTime};

use super::app::{App, Effect, Msg, NoticeKind, Screen, Stored};
use super::screens::Outcome;
use crate::rules::dates::dmy;

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let child_before = app.current;
    let effects = update_app(app, msg);
    // Another child's card starts at its top.
    if app.current != child_before {
        app.screens.card.scroll = 0;
    }
    app.refresh_card();
    effects
}

/// The screens that show what `preparation::Preparation` holds.
fn needs_preparation(screen: Screen) -> bool {
    matches!(
        screen,
        Screen::Meetings
            | Screen::Referrals
            | Screen::AgendaBuilder
            | Screen::PrepForm
            | Screen::Files
    )
}

fn update_app(app: &mut App, msg: Msg) -> Vec<Effect> {
    // A write's outcome asks for nothing more (see `effects::apply`).
    let outcome = matches!(msg, Msg::Written { .. });
    let mut effects = update_screen(app, msg);
    // A Preparation screen reached (by a key, the palette, the mouse or
    // going back) before its data was read: it is read now, before the
    // next frame.
    if !outcome
        && needs_preparation(app.screen)
        && !app.data.prep.loaded
        && !effects.contains(&Effect::LoadPreparation)
    {
        effects.push(Effect::LoadPreparation);
    }
    effects
}

fn update_screen(app: &mut App, msg: Msg) -> Vec<Effect> {
    // A notice answers the key before; the next key clears it. (A write's
    // outcome is not a key: it says its own.)
    if !matches!(msg, Msg::Written { .. } | Msg::Resize(..)) {
        app.notice = None;
    }
    let msg = match super::overlay::handle(app, msg) {
        Ok(effects) => return effects,
        Err(msg) => msg,
    };
    match msg {
        // Opened and run by the palette overlay (`overlay::handle` above).
        Msg::Palette(_) => {}
        Msg::OpenChild(index) => return super::mouse::open_child(app, index),
        Msg::Written {
            effect,
            at,
            outcome,
        } => written(app, *effect, at, outcome),
        Msg::Resize(columns, rows) => {
            app.size = (columns, rows);
            // A narrower card is longer, a wider one shorter: keep in range.
            let furthest = super::view::card_room(app).0;
            app.screens.card.scroll = app.screens.card.scroll.min(furthest);
            let furthest = super::view::visit_room(app).0;
            app.screens.visit.scroll = app.screens.visit.scroll.min(furthest);
        }
        Msg::Undo | Msg::Redo if app.read_only => {
            app.notify(
                NoticeKind::Warning,
                "This window is read-only: nothing to undo.",
            );
        }
        Msg::Undo => return vec![Effect::Undo],
        Msg::Redo => return vec![Effect::Redo],
        Msg::ToggleProjector => {
            app.projector = !app.projector;
            // The note must not stay on a screen the room now sees.
            if app.projector && app.screen == Screen::Note {
                app.go_back();
            }
            let text = if app.projector {
                "Projector mode: children by initials and id only. F5 turns it off."
            } else {
                "Projector mode off."
            };
            app.notify(NoticeKind::Info, text);
        }
        Msg::CycleTheme => {
            app.theme = app.theme.next();
            app.notify(NoticeKind::Info, format!("Theme: {}.", app.theme.id()));
        }
        Msg::Open(screen) => return open(app, screen),
        Msg::Back => back(app),
        Msg::Quit => {
            if app.is_editing() {
                app.overlays.push(super::overlay::Overlay::Question(
                    super::overlay::Question::DiscardAndQuit,
                ));
            } else {
                app.quit = true;
            }
        }
        // Answers go to the question they answer (`overlay::answer`); with
        // no question on screen there is nothing to answer.
        Msg::ConfirmYes | Msg::ConfirmNo => {}
        Msg::ToggleHelp => app.overlays.toggle_help(),
        Msg::NextChild | Msg::PreviousChild => return step(app, msg == Msg::NextChild),
        other => match app.screen.handle(app, other) {
            Outcome::Handled(effects) => return effects,
            // A paste no field took: pasted text never runs commands.
            Outcome::Unhandled(Msg::Paste(_)) => app.notify(
                NoticeKind::Warning,
                "Pasted text goes only into a text field: nothing was done.",
            ),
            Outcome::Unhandled(_) => {}
        },
    }
    Vec::new()
}

fn current_child(app: &App) -> Option<String> {
    app.current_item().map(|i| i.child.clone())
}

fn open(app: &mut App, screen: Screen) -> Vec<Effect> {
    match screen {
        Screen::Note => {
            super::screens::note::open(app);
            return Vec::new();
        }
        Screen::MemberForm => {
            super::screens::member_form::open(app);
            return Vec::new();
        }
        Screen::Jump => app.screens.jump = Default::default(),
        Screen::Initials => super::screens::initials::open(app),
        Screen::Meetings => super::screens::meetings::open(app),
        Screen::Fostering => super::screens::fostering::open(app),
        Screen::AgendaBuilder => {
            super::screens::agenda_builder::open_for_app_meeting(app);
            return Vec::new();
        }
        // Opened by the screen that asks (`prep_form::open`), never directly.
        Screen::PrepForm => return Vec::new(),
        // Opened on the highlighted recommendation (`sign_offs`), never directly.
        Screen::SignOffForm => return Vec::new(),
        Screen::SignOffs => super::screens::sign_offs::open(app),
        // Only from a saved decision: `open` says so otherwise.
        Screen::Dissent if !super::screens::dissent::open(app) => return Vec::new(),
        Screen::Folder => {
            super::screens::folder::open(app);
            return Vec::new();
        }
        _ => {}
    }
    // Membership is managed, and the year planned, before any meeting is.
    let needs_meeting = !matches!(
        screen,
        Screen::Home
            | Screen::Members
            | Screen::ActionList
            | Screen::Matters
            | Screen::Meetings
            | Screen::Referrals
            | Screen::Fostering
            | Screen::Initials
            | Screen::SignOffs
            | Screen::SignOffForm
            | Screen::Files
            | Screen::Returns
            | Screen::ImportPrompt
    );
    if needs_meeting && app.data.meeting.is_none() {
        app.notify(
            NoticeKind::Warning,
            "There is no meeting in the database yet.",
        );
        return Vec::new();
    }
    if matches!(screen, Screen::Card | Screen::Decision | Screen::Actions) {
        let Some(child) = current_child(app) else {
            app.notify(NoticeKind::Warning, "The agenda of this meeting is empty.");
            return Vec::new();
        };
        match screen {
            Screen::Decision => super::screens::decision::open(app, child),
            Screen::Actions => super::screens::actions::open(app, child),
            _ => {}
        }
    }
    app.go(screen);
    if screen == Screen::Returns && app.data.returns_held.is_none() {
        return vec![Effect::LoadReturnsHeld];
    }
    follow_current(app)
}

/// Stores the child being heard when the chair opens its card, so a
/// presenter view shows it from the first child on, not only after a step.
pub(crate) fn follow_current(app: &App) -> Vec<Effect> {
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

/// The outcome just recorded in words: "endorsed", "recommended, awaiting
/// sign-off by the Head of Service", "deferred to the meeting of 26/02/2027".
fn saved_outcome_words(app: &App, child: &str, outcome: &crate::model::OutcomeRecord) -> String {
    match app
        .saved_outcome(child)
        .filter(|o| o.outcome == Some(outcome.outcome))
    {
        Some(held) => {
            let mut words = crate::export::minutes::outcome_words(Some(held), false);
            // The reason is on the card; the notice stays one line.
            if let Some(reason) = held.reason.as_deref() {
                let tail = format!(": {}", reason.trim_end_matches('.'));
                if let Some(cut) = words.strip_suffix(&tail) {
                    words = cut.to_owned();
                }
            }
            words
        }
        None => outcome.outcome.words().to_owned(),
    }
}

fn back(app: &mut App) {
    if app.screen == Screen::Actions && app.screens.actions.correcting.take().is_some() {
        app.notify(
            NoticeKind::Info,
            "Correction not saved: the action is as it was.",
        );
        app.go_back();
        return;
    }
    // A Preparation form is one question: left, it is not kept.
    if app.screen == Screen::PrepForm {
        if app.screens.prep_form.dirty {
            app.notify(NoticeKind::Info, "Not saved: nothing was changed.");
        }
        app.go_back();
        app.screens.prep_form = Default::default();
        return;
    }
    let leaving_a_draft = match (app.screen, current_child(app)) {
        (Screen::Decision, Some(child)) => super::screens::decision::unsaved(app, &child),
        (Screen::Actions, Some(child)) => app
            .screens
            .actions
            .forms
            .get(&child)
            .is_some_and(|f| f.is_dirty()),
        (Screen::MemberForm, _) => app.member_form().is_some_and(|f| f.dirty),
        (Screen::DropAction, _) => !app.screens.drop_action.reason.text().trim().is_empty(),
        _ => false,
    };
    if leaving_a_draft {
        let key = match app.screen {
            Screen::Decision => "d",
            Screen::Actions => "a",
            Screen::DropAction => "z on the action",
            _ if app.screens.member_form.editing == Some(0) => "n",
            _ => "Enter on the member",
        };
        app.notify(
            NoticeKind::Info,
            format!("What you typed is kept but not saved; press {key} to finish it."),
        );
    }
    app.go_back();
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

/// A deadline as people say it (`31/12`, `3 weeks`, `next fri`, `next
/// meeting`, ...: see `rules::deadline`), after the meeting's date. The
/// error names the field and what was typed.
pub fn parse_deadline(
    typed: &str,
    meeting_day: NaiveDate,
    next_meeting: Option<NaiveDate>,
) -> Result<NaiveDate, String> {
    crate::rules::deadline::parse(typed, meeting_day, next_meeting)
}

/// `Msg::Written`: what the screen does once a write is done (the data
/// already reloaded), or, refused, says why and keeps what was typed.
fn written(app: &mut App, effect: Effect, at: NaiveDateTime, outcome: Result<Stored, String>) {
    let stored = match (outcome, &effect) {
        (Ok(stored), _) => stored,
        // The import's own message (file, line, column), on its screen.
        (Err(e), Effect::ImportReturns(_)) => {
            super::screens::returns::refused(app, e);
            return;
        }
        (Err(e), Effect::WriteFiles(_)) => {
            super::screens::files::failed(app, e);
            return;
        }
        (Err(e), Effect::ReadCheck) => {
            app.screens.returns.showing_check = false;
            app.notify(
                NoticeKind::Error,
                format!("Check's list could not be read: {e}"),
            );
            return;
        }
        (Err(e), _) => {
            app.notify(NoticeKind::Error, format!("Not saved: {e}"));
            return;
        }
    };
    match effect {
        Effect::SetAttendance { time, state, .. } => {
            // A time typed for a coming or going: back to the roll call,
            // on to the next member, saying the time the minutes will show.
            if app.screen == Screen::AttendanceTime {
                app.screens.attendance_time = Default::default();
                app.go_back();
                super::screens::roll_call::next_member(app);
                let what = if state.is_present() {
                    "Came back"
                } else {
                    "Left"
                };
                let when = time.map_or_else(
                    || "at the meeting's end".to_owned(),
                    |t| format!("at {}", t.format("%H:%M")),
                );
                app.notify(NoticeKind::Info, format!("{what} {when}: recorded."));
            }
        }
        Effect::SetCurrentItem { .. } => {}
        Effect::SaveInitials { initials } => {
            app.go_back();
            app.notify(
                NoticeKind::Info,
                format!("Changes you make are recorded as {initials} from now on."),
            );
        }
        Effect::LookUpChild { typed } => match stored {
            Stored::Found(Some(card)) => {
                app.screens.visit = super::screens::visit::State {
                    card: Some(std::rc::Rc::new(*card)),
                    scroll: 0,
                };
                app.go(Screen::Visit);
            }
            _ => app.notify(
                NoticeKind::Error,
                format!("Child: no child of the panel matches '{}'.", typed.trim()),
            ),
        },
        Effect::SetPaper {
            child,
            paper,
            status,
            ..
        } => {
            app.notify(
                NoticeKind::Info,
                format!(
                    "{paper} for {} marked {} (u undoes).",
                    app.child_label(&child),
                    super::screens::papers::status_words(status)
                ),
            );
        }
        Effect::SetFolder(folder) => {
            app.go_back();
            app.notify(
                NoticeKind::Info,
                format!("Files will be written to {folder}; Enter writes the highlighted one."),
            );
        }
        Effect::WriteFiles(_) => {
            if let Stored::Files(written) = stored {
                super::screens::files::written(app, written, at);
            }
        }
        Effect::ImportReturns(_) => {
            if let Stored::Imported(imported) = stored {
                super::screens::returns::imported(app, *imported, at);
            }
        }
        Effect::ReadCheck => {
            if let Stored::Check(rows) = stored {
                let count = rows.len();
                app.screens.returns.check = Some(rows);
                app.notify(
                    NoticeKind::Info,
                    format!(
                        "Check's list: {count} {}.",
                        if count == 1 { "line" } else { "lines" }
                    ),
                );
            }
        }
        Effect::Undo | Effect::Redo | Effect::LoadReturnsHeld => {}
        Effect::LoadPreparation => {
            // What opening the screen did with nothing read, done again.
            match app.screen {
                Screen::Meetings => super::screens::meetings::open(app),
                Screen::AgendaBuilder => super::screens::agenda_builder::keep_cursor_in_range(app),
                _ => {}
            }
        }
        Effect::Prepare(prepare) => super::preparation::written(app, prepare, stored),
        Effect::RecordDecision { child, outcome, .. } => {
            // The quorum the store recorded with the decision: worked out
            // once, there, from the roll call as stored.
            let quorate = matches!(stored, Stored::Decision { quorate: true });
            app.screens.decision.drafts.remove(&child);
            app.screens.decision.outcomes.remove(&child);
            app.go_back();
            let at = format!(
                "{}: {}",
                at.format("%H:%M"),
                saved_outcome_words(app, &child, &outcome)
            );
            // A member who declared an interest withdrew from this item
            // only: the flag is the item's, not the meeting's.
            let withdrew = app.data.declarations.iter().any(|d| d.child == child);
            if quorate {
                app.notify(NoticeKind::Info, format!("Decision recorded at {at}."));
            } else if withdrew {
                app.notify(
                    NoticeKind::Warning,
                    format!(
                        "Decision recorded at {at}, flagged: not quorate for this item without the member who declared an interest."
                    ),
                );
            } else {
                app.notify(
                    NoticeKind::Warning,
                    format!("Decision recorded at {at}, flagged: the meeting was not quorate."),
                );
            }
        }
        Effect::SetActionStatus { status, .. } => {
            let dropping = &mut app.screens.drop_action;
            dropping.action = None;
            dropping.reason = Default::default();
            // A drop returns from its reason to the list; `x` stays on it.
            if app.screen == Screen::DropAction {
                app.go_back();
            }
            let last = app.visible_actions().len().saturating_sub(1);
            let list = &mut app.screens.action_list;
            list.cursor = list.cursor.min(last);
            let last = super::matters::matters_arising(app).len().saturating_sub(1);
            let matters = &mut app.screens.matters;
            matters.cursor = matters.cursor.min(last);
            app.notify(NoticeKind::Info, format!("Action marked {}.", status.id()));
        }
        Effect::RecordDissent { member, .. } => {
            let title = super::undo::member_title(app, member);
            app.screens.dissent = Default::default();
            app.go_back();
            app.notify(
                NoticeKind::Info,
                format!("The {title}'s dissent is recorded with the decision."),
            );
        }
        Effect::SignOff { by, outcome, .. } => {
            super::screens::sign_offs::signed(app, &by, outcome);
        }
        Effect::DeclareInterest { member, .. } => {
            let title = super::undo::member_title(app, member);
            app.go_back();
            app.notify(
                NoticeKind::Info,
                format!(
                    "The {title} declared an interest and withdraws: not counted towards this item's quorum."
                ),
            );
        }
        Effect::CarryOver { child, .. } => {
            app.notify(
                NoticeKind::Info,
                format!("{child} carried over: first on the next meeting's agenda."),
            );
        }
        Effect::AddAction(action) => {
            app.screens
                .actions
                .forms
                .insert(action.child.clone(), Default::default());
            // Kept as typed on a closed day (the form offered Alt+W): say so.
            let closed = super::closed_day::advice(
                action.deadline,
                app.membership_day(),
                &super::closed_day::calendar(),
            )
            .map(|a| format!(" ({})", a.why))
            .unwrap_or_default();
            app.notify(
                NoticeKind::Info,
                format!(
                    "Action saved: {}, due {}{closed}.",
                    action.owner,
                    dmy(action.deadline)
                ),
            );
        }
        Effect::CorrectAction {
            id,
            owner,
            deadline,
            ..
        } => {
            app.screens.actions.correcting = None;
            app.go_back();
            app.notify(
                NoticeKind::Info,
                format!(
                    "Action {id} corrected: {owner}, due {}; the old wording is kept in the audit log (u undoes).",
                    dmy(deadline)
                ),
            );
        }
        Effect::SaveNote { child, text, .. } => {
            app.screens.note.drafts.remove(&child);
            app.go_back();
            let said = if text.is_empty() {
                "Private note removed."
            } else {
                "Private note saved (not shown on a projector)."
            };
            app.notify(NoticeKind::Info, said);
        }
        Effect::SaveMember(member) => {
            let form = &mut app.screens.member_form;
            form.drafts.remove(&member.id);
            form.editing = None;
            app.go_back();
            // Members are listed by id, so a new one is the last row.
            app.screens.members.cursor = if member.id == 0 {
                app.data.all_members.len().saturating_sub(1)
            } else {
                app.data
                    .all_members
                    .iter()
                    .position(|m| m.id == member.id)
                    .unwrap_or(0)
            };
            let last = app.data.members.len().saturating_sub(1);
            let roll_call = &mut app.screens.roll_call;
            roll_call.cursor = roll_call.cursor.min(last);
            let verb = if member.id == 0 { "added" } else { "updated" };
            let day = app.membership_day();
            let serving = if member.serves_on(day) {
                String::new()
            } else {
                format!("; not serving on {}", dmy(day))
            };
            app.notify(
                NoticeKind::Info,
                format!("Member {verb}: {}{serving}.", member.job_title),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn deadlines_are_real_dates_after_the_meeting_in_any_accepted_form() {
        let meeting = day(2026, 11, 27);
        let next = Some(day(2026, 12, 18));
        assert_eq!(
            parse_deadline("18/12/2026", meeting, next),
            Ok(day(2026, 12, 18))
        );
        assert_eq!(
            parse_deadline(" 29/02/2028 ", meeting, next),
            Ok(day(2028, 2, 29))
        );
        assert_eq!(
            parse_deadline("3/2/2027", meeting, next),
            Ok(day(2027, 2, 3))
        );
        assert_eq!(
            parse_deadline("2027-02-03", meeting, next),
            Ok(day(2027, 2, 3))
        );
        assert_eq!(
            parse_deadline("03/02/27", meeting, next),
            Ok(day(2027, 2, 3))
        );
        assert_eq!(
            parse_deadline("at next panel", meeting, next),
            Ok(day(2026, 12, 18))
        );
        assert_eq!(
            parse_deadline("31/02/2027", meeting, next),
            Err("Deadline: 31/02/2027 is not a date; type dd/mm/yyyy, d/m/yy or dd/mm".into())
        );
        for wrong in ["03/02/2027/1", "aa/bb/cccc", "2027-2-3"] {
            let err = parse_deadline(wrong, meeting, next).unwrap_err();
            assert!(err.starts_with("Deadline: "), "{err}");
            assert!(err.contains(wrong), "{err}");
        }
        assert!(
            parse_deadline("27/11/2026", meeting, next)
                .unwrap_err()
                .starts_with("Deadline: 27/11/2026 is not after the meeting (27/11/2026)")
        );
        assert_eq!(
            parse_deadline("28/11/2026", meeting, next),
            Ok(day(2026, 11, 28))
        );
    }
}
