//! `apply`: performs the writes `update` asked for, each in its own store
//! transaction at once, and reloads what changed; then hands the outcome
//! (written, or refused with the store's reason) back to `update` as
//! `Msg::Written`, which decides what the screen does next (where the
//! cursor goes, what the status line says). A write that fails is shown on
//! screen and nothing typed is lost.

use chrono::NaiveDateTime;

use super::app::{App, Effect, Msg, Stored};
use crate::store::Store;

pub fn apply(effects: Vec<Effect>, store: &mut Store, app: &mut App, now: NaiveDateTime) {
    for effect in effects {
        // What the record held before, so the change can be undone.
        let before = super::undo::before(&effect, app);
        let outcome = match write(&effect, store, app, now) {
            Ok(stored) => {
                if let Some(change) = before.and_then(|b| super::undo::after(&effect, b, app)) {
                    app.undo.push(change);
                }
                Ok(stored)
            }
            Err(e) => Err(e.to_string()),
        };
        // Undo and redo say what they did themselves (see `undo`).
        if !matches!(effect, Effect::Undo | Effect::Redo) || outcome.is_err() {
            let follow_up = super::update::update(
                app,
                Msg::Written {
                    effect: Box::new(effect),
                    at: now,
                    outcome,
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
) -> crate::store::Result<Stored> {
    match effect {
        Effect::SetAttendance {
            meeting,
            member,
            state,
            substitute_for,
            time,
        } => {
            store.set_attendance_at(
                *meeting,
                *member,
                *state,
                substitute_for.as_deref(),
                *time,
                now,
            )?;
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
            let recorded =
                crate::usecase::decisions::record(store, &app.terms, &held, child, text, now)?;
            app.data.reload_decisions(store)?;
            return Ok(Stored::Decision {
                quorate: recorded.quorate,
            });
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
        Effect::LookUpChild { typed } => {
            let found = match super::screens::jump::named_child(app, typed) {
                Some(child) => Some(child),
                None => store.find_child_id(typed)?,
            };
            let card = found
                .map(|child| {
                    super::data::visiting_card(
                        store,
                        &app.data,
                        &child,
                        &app.terms,
                        app.membership_day(),
                        &super::closed_day::calendar(),
                    )
                })
                .transpose()?;
            return Ok(Stored::Found(card.map(Box::new)));
        }
        Effect::SaveInitials { initials } => {
            let initials = store.set_actor(initials).map_err(|typed| {
                crate::store::StoreError::Refused(format!("'{typed}' is not initials"))
            })?;
            app.initials = Some(initials.clone());
            if let Some(path) = &app.settings_path {
                let settings = super::settings::Settings {
                    initials: Some(initials),
                };
                super::settings::save(path, &settings).map_err(|e| {
                    crate::store::StoreError::Refused(format!(
                        "{} could not be written ({e}); the initials hold until the app closes",
                        path.display()
                    ))
                })?;
            }
        }
        Effect::DeclareInterest {
            meeting,
            child,
            member,
        } => {
            // The one way a declaration is recorded, as the command line does.
            let held = app
                .data
                .meeting
                .clone()
                .filter(|m| m.id == *meeting)
                .or(store.meeting(*meeting)?)
                .ok_or_else(|| {
                    crate::store::StoreError::Refused(format!("there is no meeting {meeting}"))
                })?;
            crate::usecase::interests::declare(store, &held, child, *member, None, now)?;
            app.data.reload_declarations(store)?;
        }
        Effect::Prepare(prepare) => return super::preparation::write(prepare, store, app, now),
        Effect::Undo => super::undo::undo(store, app, now)?,
        Effect::Redo => super::undo::redo(store, app, now)?,
        Effect::SaveMember(member) => {
            store.save_members(std::slice::from_ref(member), now)?;
            app.data.reload_members(store)?;
        }
    }
    Ok(Stored::Done)
}
