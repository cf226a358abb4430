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
    apply_ticking(effects, store, app, now, &mut super::jobs::Quiet);
}

/// As [`apply`], with a long job's screen kept drawn by `ticker` while it
/// runs (the event loop's; see `jobs`).
pub fn apply_ticking(
    effects: Vec<Effect>,
    store: &mut Store,
    app: &mut App,
    now: NaiveDateTime,
    ticker: &mut dyn super::jobs::Ticker,
) {
    for effect in effects {
        // What the record held before, so the change can be undone.
        let before = super::undo::before(&effect, app, store);
        let outcome = match write(&effect, store, app, now, ticker) {
            Ok(stored) => {
                if let Some(change) =
                    before.and_then(|b| super::undo::after(&effect, b, app, store))
                {
                    app.undo.push(change);
                }
                Ok(stored)
            }
            Err(e) => Err(e),
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
    ticker: &mut dyn super::jobs::Ticker,
) -> Result<Stored, String> {
    write_store(effect, store, app, now, ticker)
}

fn write_store(
    effect: &Effect,
    store: &mut Store,
    app: &mut App,
    now: NaiveDateTime,
    ticker: &mut dyn super::jobs::Ticker,
) -> Result<Stored, String> {
    let stored = |e: crate::store::StoreError| e.to_string();
    let any = |e: anyhow::Error| format!("{e:#}");
    match effect {
        Effect::SetPaper {
            meeting,
            child,
            paper,
            status,
        } => {
            let held = app
                .data
                .meeting
                .clone()
                .filter(|m| m.id == *meeting)
                .ok_or_else(|| "the meeting is no longer the one on screen".to_owned())?;
            crate::usecase::papers::set_status(
                store, &app.terms, &held, child, paper, *status, now,
            )
            .map_err(any)?;
            app.data.reload_papers(store).map_err(stored)?;
            return Ok(Stored::Done);
        }
        Effect::SetFolder(folder) => {
            store
                .set_setting(crate::usecase::files::FOLDER_SETTING, folder)
                .map_err(stored)?;
            app.data.files_folder = Some(folder.clone());
            return Ok(Stored::Done);
        }
        Effect::WriteFiles(job) => {
            let watch = crate::progress::Watch::new();
            let terms = app.terms.clone();
            let written = super::jobs::run(store, app, ticker, "Files", &watch, |store| {
                super::jobs::write_files(store, &terms, job, &watch, now)
            })
            .map_err(any)?;
            return Ok(Stored::Files(written));
        }
        Effect::ImportReturns(paths) => {
            let watch = crate::progress::Watch::new();
            let imported = super::jobs::run(
                store,
                app,
                ticker,
                "Importing the returns",
                &watch,
                |store| super::jobs::import_returns(store, paths, &watch, now),
            )?;
            // Every child's history may have changed: read the meeting again.
            app.data = super::data::MeetingData::load_next(store, app.today).map_err(stored)?;
            app.data.returns_held = Some(store.returns().map_err(stored)?);
            app.current = app.current.min(app.data.agenda.len().saturating_sub(1));
            return Ok(Stored::Imported(Box::new(imported)));
        }
        Effect::ReadCheck => {
            // Every child's history is read: a job, like an import.
            let watch = crate::progress::Watch::new();
            watch.set("every child's history", 0, 0);
            let today = app.today;
            let rows = super::jobs::run(
                store,
                app,
                ticker,
                "Reading check's list",
                &watch,
                |store| crate::usecase::returns::check_rows(store, today, true),
            )
            .map_err(stored)?;
            return Ok(Stored::Check(rows));
        }
        _ => {}
    }
    write_meeting(effect, store, app, now).map_err(stored)
}

/// The writes of the live meeting, each a store call and a reload.
fn write_meeting(
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
            outcome,
        } => {
            // The one way a decision with its outcome is recorded (with the
            // quorum as the roll call stands in the store, the outcome
            // checked by its item type), as the command line records it.
            let held = meeting_held(app, store, *meeting)?;
            let recorded = crate::usecase::decisions::record_with_outcome(
                store, &app.terms, &held, child, text, outcome, now,
            )
            .map_err(|e| crate::store::StoreError::Refused(format!("{e:#}")))?;
            app.data.reload_decisions(store)?;
            return Ok(Stored::Decision {
                quorate: recorded.quorate,
            });
        }
        Effect::RecordDissent {
            decision,
            member,
            view,
        } => {
            store.record_dissent(*decision, *member, view, now)?;
            app.data.reload_outcome(store, *decision)?;
        }
        Effect::SignOff {
            decision,
            by,
            outcome,
            note,
        } => {
            store.sign_off_decision(*decision, by, now.date(), *outcome, note.as_deref(), now)?;
            app.data.reload_outcome(store, *decision)?;
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
            let held = meeting_held(app, store, *meeting)?;
            crate::usecase::interests::declare(store, &held, child, *member, None, now)?;
            app.data.reload_declarations(store)?;
        }
        Effect::Prepare(prepare) => return super::preparation::write(prepare, store, app, now),
        Effect::SetPaper { .. }
        | Effect::SetFolder(_)
        | Effect::WriteFiles(_)
        | Effect::ImportReturns(_)
        | Effect::ReadCheck => {
            // `write_store` writes these itself and never passes them on.
            return Err(crate::store::StoreError::Refused(
                "this is not a write of the meeting".to_owned(),
            ));
        }
        Effect::LoadReturnsHeld => app.data.returns_held = Some(store.returns()?),
        Effect::LoadPreparation => {
            app.data.prep = super::preparation::Preparation::load(store, app.today)?;
        }
        Effect::Undo => super::undo::undo(store, app, now)?,
        Effect::Redo => super::undo::redo(store, app, now)?,
        Effect::SaveMember(member) => {
            store.save_members(std::slice::from_ref(member), now)?;
            app.data.reload_members(store)?;
        }
    }
    Ok(Stored::Done)
}

/// The meeting `id`: the app's own when it is that one, else from the store.
fn meeting_held(
    app: &App,
    store: &Store,
    id: crate::model::Id,
) -> crate::store::Result<crate::model::Meeting> {
    match app.data.meeting.clone().filter(|m| m.id == id) {
        Some(meeting) => Ok(meeting),
        None => store
            .meeting(id)?
            .ok_or_else(|| crate::store::StoreError::Refused(format!("there is no meeting {id}"))),
    }
}
