//! `apply`: performs the writes `update` asked for, each in its own store
//! transaction at once, and reloads what changed; then hands the outcome
//! (written, or refused with the store's reason) back to `update` as
//! `Msg::Written`, which decides what the screen does next (where the
//! cursor goes, what the status line says). A write that fails is shown on
//! screen and nothing typed is lost.

use chrono::NaiveDateTime;

use super::app::{App, Effect, Msg, NoticeKind, Screen};
use crate::rules::dates::dmy;
use crate::store::Store;

pub fn apply(effects: Vec<Effect>, store: &mut Store, app: &mut App, now: NaiveDateTime) {
    for effect in effects {
        // What the record held before, so the change can be undone.
        let before = super::undo::before(&effect, app);
        let error = match write(&effect, store, app, now) {
            Ok(()) => {
                if let Some(change) = before.and_then(|b| super::undo::after(&effect, b, app)) {
                    app.undo.push(change);
                }
                None
            }
            Err(e) => Some(e.to_string()),
        };
        // Undo and redo say what they did themselves (see `undo`).
        if !matches!(effect, Effect::Undo | Effect::Redo) || error.is_some() {
            let follow_up = super::update::update(
                app,
                Msg::Written {
                    effect: Box::new(effect),
                    at: now,
                    error,
                },
            );
            debug_assert!(follow_up.is_empty(), "an outcome asks for no write");
        }
    }
    // The card again if the write reloaded what it shows (an undo too).
    app.refresh_card();
}

/// The write itself and the reload of what it changed: the store's part.
fn write(
    effect: &Effect,
    store: &mut Store,
    app: &mut App,
    now: NaiveDateTime,
) -> crate::store::Result<()> {
    match effect {
        Effect::SetAttendance {
            meeting,
            member,
            state,
            substitute_for,
        } => {
            store.set_attendance(*meeting, *member, *state, substitute_for.as_deref(), now)?;
            app.data.reload_attendance(store)?;
        }
        Effect::SetCurrentItem { meeting, item } => {
            store.set_current_item(*meeting, Some(*item))?;
            app.data.reload_meeting(store)?;
        }
        Effect::RecordDecision {
            meeting,
            child,
            text,
            ..
        } => {
            // The one way a decision is recorded (with the quorum as the roll
            // call stands in the store), as the demo records them too.
            let held = app
                .data
                .meeting
                .clone()
                .filter(|m| m.id == *meeting)
                .or(store.meeting(*meeting)?)
                .ok_or_else(|| {
                    crate::store::StoreError::Refused(format!("there is no meeting {meeting}"))
                })?;
            crate::usecase::decisions::record(store, &app.terms, &held, child, text, now)?;
            app.data.reload_decisions(store)?;
        }
        Effect::SetActionStatus {
            action,
            status,
            reason,
        } => {
            store.set_action_status(*action, *status, reason.as_deref(), now)?;
            app.data.reload_action(store, *action)?;
        }
        Effect::CarryOver { meeting, child } => {
            store.carry_over(*meeting, child, super::undo::CARRY_OVER_REASON, now)?;
            app.data.reload_carried_over(store)?;
        }
        Effect::AddAction(action) => {
            store.add_action(action, now)?;
            app.data.reload_actions(store, &action.child)?;
        }
        Effect::CorrectAction {
            id,
            text,
            owner,
            deadline,
        } => {
            store.correct_action(*id, text, owner, *deadline, now)?;
            app.data.reload_action(store, *id)?;
        }
        Effect::SaveNote {
            meeting,
            child,
            text,
        } => {
            store.set_admin_note(*meeting, child, text, now)?;
            app.data.admin_notes = store.admin_notes(*meeting)?;
        }
        Effect::Undo => super::undo::undo(store, app, now)?,
        Effect::Redo => super::undo::redo(store, app, now)?,
        Effect::SaveMember(member) => {
            store.save_members(std::slice::from_ref(member), now)?;
            app.data.reload_members(store)?;
        }
    }
    Ok(())
}

/// `Msg::Written`: what the screen does once a write is done (the data
/// already reloaded), or, refused, says why and keeps what was typed.
/// Pure, like the rest of `update`.
pub fn written(app: &mut App, effect: Effect, at: NaiveDateTime, error: Option<String>) {
    if let Some(e) = error {
        app.notify(NoticeKind::Error, format!("Not saved: {e}"));
        return;
    }
    match effect {
        Effect::SetAttendance { .. } | Effect::SetCurrentItem { .. } => {}
        Effect::Undo | Effect::Redo => {}
        Effect::RecordDecision { child, quorate, .. } => {
            app.decision_drafts.remove(&child);
            app.go_back();
            let at = at.format("%H:%M");
            if quorate {
                app.notify(NoticeKind::Info, format!("Decision recorded at {at}."));
            } else {
                app.notify(
                    NoticeKind::Warning,
                    format!("Decision recorded at {at}, flagged: the meeting was not quorate."),
                );
            }
        }
        Effect::SetActionStatus { status, .. } => {
            app.dropping = None;
            app.drop_reason = crate::tui::editor::LineEditor::new();
            // A drop returns from its reason to the list; `x` stays on it.
            if app.screen == Screen::DropAction {
                app.go_back();
            }
            let last = app.visible_actions().len().saturating_sub(1);
            app.action_cursor = app.action_cursor.min(last);
            let last = crate::tui::matters::matters_arising(app)
                .len()
                .saturating_sub(1);
            app.matters_cursor = app.matters_cursor.min(last);
            app.notify(NoticeKind::Info, format!("Action marked {}.", status.id()));
        }
        Effect::CarryOver { child, .. } => {
            app.notify(
                NoticeKind::Info,
                format!("{child} carried over: first on the next meeting's agenda."),
            );
        }
        Effect::AddAction(action) => {
            app.action_forms
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
            app.correcting = None;
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
            app.note_drafts.remove(&child);
            app.go_back();
            let said = if text.is_empty() {
                "Private note removed."
            } else {
                "Private note saved (not shown on a projector)."
            };
            app.notify(NoticeKind::Info, said);
        }
        Effect::SaveMember(member) => {
            app.member_drafts.remove(&member.id);
            app.member_editing = None;
            app.go_back();
            // Members are listed by id, so a new one is the last row.
            app.members_cursor = if member.id == 0 {
                app.data.all_members.len().saturating_sub(1)
            } else {
                app.data
                    .all_members
                    .iter()
                    .position(|m| m.id == member.id)
                    .unwrap_or(0)
            };
            app.roll_cursor = app
                .roll_cursor
                .min(app.data.members.len().saturating_sub(1));
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
