//! Undo and redo of the changes made in this app session.
//!
//! Every change the app writes (a roll-call mark, a decision with its
//! outcome, a member's dissent, a decision-maker's sign-off, an action
//! added, corrected, done or dropped, a carry-over, a private note, a
//! paper's status, a Fostering Panel sitting or booking, and each
//! Preparation change: a year planned, a sitting added, a meeting moved or
//! cancelled, a referral recorded, accepted or declined, an agenda built,
//! changed by hand or published) is noted in a journal with what the record
//! held before and after. Undo writes the record back as it was before,
//! redo as it was after: each is a new change committed to the database at
//! once and audited like any other, never a change on screen only. Moving
//! between children is not journalled: undo takes back what the panel
//! recorded, not where the chair looked.

use chrono::NaiveDateTime;

use super::app::{App, Effect, NoticeKind};
use super::preparation::{AgendaChange, Prepare};
use crate::model::{Action, ActionStatus, Attendance, AttendanceState, ChildId, Decision, Id};
use crate::rules::dates::dmy;
use crate::rules::papers::PaperStatus;
use crate::store::{DecisionOutcome, SignOff, Store};
use std::collections::BTreeSet;

/// One change made in this session, with what is needed to take it back
/// and to make it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Attendance {
        meeting: Id,
        member: Id,
        /// The member's job title, for the status line.
        title: String,
        before: Option<Attendance>,
        after: Option<Attendance>,
    },
    /// A decision with its outcome (none: no outcome recorded).
    Decision {
        meeting: Id,
        child: ChildId,
        before: Option<Decision>,
        after: Option<Decision>,
        before_outcome: Option<Box<DecisionOutcome>>,
        after_outcome: Option<Box<DecisionOutcome>>,
    },
    /// A member's dissent from a decision: their view before (none: no
    /// dissent) and after.
    Dissent {
        decision: Id,
        child: ChildId,
        member: Id,
        /// The member's job title, for the status line.
        title: String,
        before: Option<String>,
        after: Option<String>,
    },
    /// The decision-maker's sign-off of a recommendation.
    SignOff {
        decision: Id,
        child: ChildId,
        sign_off: SignOff,
    },
    /// A saved action corrected: its text, owner and deadline before and after.
    ActionCorrected {
        id: Id,
        before: (String, String, chrono::NaiveDate),
        after: (String, String, chrono::NaiveDate),
    },
    /// An action added, as stored: a redo puts it back under the same id.
    ActionAdded { action: Action },
    ActionStatus {
        id: Id,
        text: String,
        before: (ActionStatus, Option<String>),
        after: (ActionStatus, Option<String>),
    },
    CarryOver {
        meeting: Id,
        child: ChildId,
        reason: String,
    },
    /// A member declared an interest in a child's item.
    Interest {
        meeting: Id,
        child: ChildId,
        member: Id,
        /// The member's job title, for the status line.
        title: String,
    },
    /// A Preparation change (a meeting moved, a referral decided, a child
    /// pinned or moved on an agenda, a Fostering Panel sitting or booking):
    /// the write that takes it back and the one that makes it again, with
    /// the words for each.
    Prepared {
        /// Boxed: a referral or meetings put back make it large.
        back: Box<Prepare>,
        forward: Box<Prepare>,
        undone: String,
        redone: String,
    },
    /// A paper's status at a meeting (awaited when none was recorded).
    Paper {
        meeting: Id,
        child: ChildId,
        paper: String,
        before: PaperStatus,
        after: PaperStatus,
    },
    /// The administrator's private note (none: no note).
    Note {
        meeting: Id,
        child: ChildId,
        before: Option<String>,
        after: Option<String>,
    },
}

/// What was done and what was undone in this session, newest last.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Journal {
    pub done: Vec<Change>,
    pub undone: Vec<Change>,
}

impl Journal {
    /// A new change: the changes undone before it can no longer be redone.
    pub fn push(&mut self, change: Change) {
        self.done.push(change);
        self.undone.clear();
    }
}

/// What a store record held before an effect, read from the app's copy
/// (which mirrors the database after every write).
#[derive(Debug, Clone)]
pub enum Before {
    Attendance(Option<Attendance>),
    Decision(Option<Decision>, Option<DecisionOutcome>),
    /// A member's view on a decision before their dissent (none: none).
    Dissent(ChildId, Option<String>),
    ActionStatus(Id, String, (ActionStatus, Option<String>)),
    ActionFields(Id, (String, String, chrono::NaiveDate)),
    Note(Option<String>),
    Paper(PaperStatus),
    Nothing,
    /// The Preparation write that takes the change back, with the words
    /// for undoing and redoing it.
    Prepared(Prepare, String, String),
    /// The meetings held before a year was planned or a sitting added:
    /// the ones after it that are not among them are what it planned.
    Meetings(BTreeSet<Id>),
    /// The referrals held before one was recorded.
    Referrals(BTreeSet<Id>),
}

/// Notes the state an effect is about to change; `None` for effects that
/// are not undone (moving to a child, saving a member) and for undo and
/// redo themselves. The store is read for what the app does not hold (a
/// whole agenda with its waiting list and choices, every meeting).
pub fn before(effect: &Effect, app: &App, store: &Store) -> Option<Before> {
    match effect {
        Effect::SetAttendance { member, .. } => {
            Some(Before::Attendance(app.attendance_of(*member).cloned()))
        }
        Effect::RecordDecision { child, .. } => Some(Before::Decision(
            app.data.decision_for(child).cloned(),
            app.saved_outcome(child).cloned(),
        )),
        Effect::RecordDissent {
            decision, member, ..
        } => {
            let held = app.data.decision_outcomes.get(decision)?;
            let child = app
                .data
                .decisions
                .iter()
                .find(|d| d.id == *decision)
                .map(|d| d.child.clone())?;
            let view = held
                .dissents
                .iter()
                .find(|d| d.member == *member)
                .map(|d| d.view.clone());
            Some(Before::Dissent(child, view))
        }
        Effect::SignOff { .. } => Some(Before::Nothing),
        Effect::SetActionStatus { action, .. } => {
            let found = app.data.all_actions.iter().find(|a| a.id == *action)?;
            Some(Before::ActionStatus(
                found.id,
                found.text.clone(),
                (found.status, found.status_reason.clone()),
            ))
        }
        Effect::SaveNote { child, .. } => {
            Some(Before::Note(app.data.admin_notes.get(child).cloned()))
        }
        Effect::CorrectAction { id, .. } => {
            let found = app.data.all_actions.iter().find(|a| a.id == *id)?;
            Some(Before::ActionFields(
                found.id,
                (found.text.clone(), found.owner.clone(), found.deadline),
            ))
        }
        Effect::AddAction(_) | Effect::CarryOver { .. } | Effect::DeclareInterest { .. } => {
            Some(Before::Nothing)
        }
        Effect::Prepare(prepare) => prepared_before(prepare, app, store),
        Effect::SetPaper { child, paper, .. } => Some(Before::Paper(
            app.data
                .paper_statuses
                .get(&(child.clone(), paper.clone()))
                .copied()
                .unwrap_or(PaperStatus::Awaited),
        )),
        _ => None,
    }
}

/// After an effect succeeded: the change it made, from the state before and
/// the app's reloaded copy (the store for what a plan or a referral added).
pub fn after(effect: &Effect, before: Before, app: &App, store: &Store) -> Option<Change> {
    match (effect, before) {
        (Effect::Prepare(_), Before::Meetings(held)) => planned_change(store, &held),
        (Effect::Prepare(_), Before::Referrals(held)) => referred_change(app, store, &held),
        (
            Effect::SetAttendance {
                meeting, member, ..
            },
            Before::Attendance(was),
        ) => Some(Change::Attendance {
            meeting: *meeting,
            member: *member,
            title: member_title(app, *member),
            before: was,
            after: app.attendance_of(*member).cloned(),
        }),
        (Effect::RecordDecision { meeting, child, .. }, Before::Decision(was, was_outcome)) => {
            Some(Change::Decision {
                meeting: *meeting,
                child: child.clone(),
                before: was,
                after: app.data.decision_for(child).cloned(),
                before_outcome: was_outcome.map(Box::new),
                after_outcome: app.saved_outcome(child).cloned().map(Box::new),
            })
        }
        (
            Effect::RecordDissent {
                decision, member, ..
            },
            Before::Dissent(child, was),
        ) => {
            let now = app
                .data
                .decision_outcomes
                .get(decision)?
                .dissents
                .iter()
                .find(|d| d.member == *member)
                .map(|d| d.view.clone());
            Some(Change::Dissent {
                decision: *decision,
                child,
                member: *member,
                title: member_title(app, *member),
                before: was,
                after: now,
            })
        }
        (Effect::SignOff { decision, .. }, Before::Nothing) => {
            let child = app
                .data
                .pending_sign_offs
                .iter()
                .find(|p| p.decision == *decision)
                .map(|p| p.child.clone())
                .or_else(|| {
                    app.screens
                        .sign_off_form
                        .pending
                        .as_ref()
                        .filter(|p| p.decision == *decision)
                        .map(|p| p.child.clone())
                })?;
            let sign_off = app.data.decision_outcomes.get(decision)?.sign_off.clone()?;
            Some(Change::SignOff {
                decision: *decision,
                child,
                sign_off,
            })
        }
        (Effect::AddAction(action), Before::Nothing) => {
            // Ids only grow, so the newest action of the child is this one.
            let added = app
                .data
                .actions_for(&action.child)
                .iter()
                .filter(|a| a.text == action.text && a.owner == action.owner)
                .max_by_key(|a| a.id)?;
            Some(Change::ActionAdded {
                action: added.clone(),
            })
        }
        (Effect::SetActionStatus { status, reason, .. }, Before::ActionStatus(id, text, was)) => {
            Some(Change::ActionStatus {
                id,
                text,
                before: was,
                after: (*status, reason.clone()),
            })
        }
        (
            Effect::CorrectAction {
                text,
                owner,
                deadline,
                ..
            },
            Before::ActionFields(id, was),
        ) => Some(Change::ActionCorrected {
            id,
            before: was,
            after: (text.clone(), owner.clone(), *deadline),
        }),
        (Effect::SaveNote { meeting, child, .. }, Before::Note(was)) => Some(Change::Note {
            meeting: *meeting,
            child: child.clone(),
            before: was,
            after: app.data.admin_notes.get(child).cloned(),
        }),
        (
            Effect::DeclareInterest {
                meeting,
                child,
                member,
            },
            Before::Nothing,
        ) => Some(Change::Interest {
            meeting: *meeting,
            child: child.clone(),
            member: *member,
            title: member_title(app, *member),
        }),
        (Effect::Prepare(forward), Before::Prepared(back, undone, redone)) => {
            Some(Change::Prepared {
                back: Box::new(back),
                forward: Box::new(forward.clone()),
                undone,
                redone,
            })
        }
        (
            Effect::SetPaper {
                meeting,
                child,
                paper,
                status,
            },
            Before::Paper(was),
        ) => Some(Change::Paper {
            meeting: *meeting,
            child: child.clone(),
            paper: paper.clone(),
            before: was,
            after: *status,
        }),
        (Effect::CarryOver { meeting, child }, Before::Nothing) => Some(Change::CarryOver {
            meeting: *meeting,
            child: child.clone(),
            reason: CARRY_OVER_REASON.to_owned(),
        }),
        _ => None,
    }
}

/// What a Preparation write is undone by, noted before it is made:
/// the meetings or referrals held (what a plan or a referral adds is
/// known after it), else the write that takes it back.
fn prepared_before(prepare: &Prepare, app: &App, store: &Store) -> Option<Before> {
    match prepare {
        Prepare::PlanYear { .. } | Prepare::AddSitting { .. } => {
            let held = store.meetings().ok()?;
            Some(Before::Meetings(held.iter().map(|m| m.id).collect()))
        }
        Prepare::AddReferral(_) => {
            let held = store.referrals().ok()?;
            Some(Before::Referrals(held.iter().map(|r| r.id).collect()))
        }
        _ => prepared_inverse(prepare, app, store)
            .map(|(back, undone, redone)| Before::Prepared(back, undone, redone)),
    }
}

/// The meetings a plan or an extra sitting added (those not held before):
/// undone, they are taken off; redone, put back under their ids.
fn planned_change(store: &Store, held: &BTreeSet<Id>) -> Option<Change> {
    let added: Vec<crate::model::Meeting> = store
        .meetings()
        .ok()?
        .into_iter()
        .filter(|m| !held.contains(&m.id))
        .collect();
    let (undone, redone) = match added.as_slice() {
        [] => return None,
        [one] => (
            format!("meeting of {} planned in error taken off", dmy(one.date)),
            format!("meeting of {} planned again", dmy(one.date)),
        ),
        many => (
            format!("{} meetings planned in error taken off", many.len()),
            format!("{} meetings planned again", many.len()),
        ),
    };
    Some(Change::Prepared {
        back: Box::new(Prepare::UnplanMeetings {
            meetings: added.iter().map(|m| m.id).collect(),
        }),
        forward: Box::new(Prepare::RestoreMeetings(added)),
        undone,
        redone,
    })
}

/// The referral just recorded (the one not held before): undone, it is
/// withdrawn; redone, put back under its id.
fn referred_change(app: &App, store: &Store, held: &BTreeSet<Id>) -> Option<Change> {
    let added = store
        .referrals()
        .ok()?
        .into_iter()
        .find(|r| !held.contains(&r.id))?;
    let child = app.child_label(&added.child);
    Some(Change::Prepared {
        back: Box::new(Prepare::WithdrawReferral { id: added.id }),
        forward: Box::new(Prepare::RestoreReferral(added)),
        undone: format!("referral of {child} taken off"),
        redone: format!("referral of {child} recorded again"),
    })
}

/// The write that takes a Preparation change back, as things stand before
/// it, and the words for undoing and redoing it; `None` when there is
/// nothing to take back (a meeting already cancelled, a referral already
/// decided) or the store cannot be read.
fn prepared_inverse(
    prepare: &Prepare,
    app: &App,
    store: &Store,
) -> Option<(Prepare, String, String)> {
    let prep = &app.data.prep;
    let meeting_day = |id: Id| -> Option<String> {
        match prep.meeting(id) {
            Some(m) => Some(dmy(m.date)),
            None => store.meeting(id).ok()?.map(|m| dmy(m.date)),
        }
    };
    match prepare {
        Prepare::MoveMeeting { meeting, to, .. } => {
            let was = prep.meeting(*meeting)?.date;
            Some((
                Prepare::MoveMeeting {
                    meeting: *meeting,
                    to: was,
                    reason: "the move was undone".to_owned(),
                },
                format!("meeting back on {}", dmy(was)),
                format!("meeting moved to {}", dmy(*to)),
            ))
        }
        Prepare::CancelMeeting { meeting, .. } => {
            let was = store.meeting(*meeting).ok()??;
            if was.status == crate::model::MeetingStatus::Cancelled {
                return None;
            }
            Some((
                Prepare::WithdrawCancellation {
                    meeting: *meeting,
                    status: was.status,
                },
                format!("meeting of {} no longer cancelled", dmy(was.date)),
                format!("meeting of {} cancelled", dmy(was.date)),
            ))
        }
        Prepare::AcceptReferral { id, .. } | Prepare::DeclineReferral { id, .. } => {
            let referral = prep.referrals.iter().find(|r| r.id == *id)?;
            if referral.status != crate::model::ReferralStatus::Open {
                return None;
            }
            let child = app.child_label(&referral.child);
            let verb = if matches!(prepare, Prepare::AcceptReferral { .. }) {
                "accepted"
            } else {
                "declined"
            };
            Some((
                Prepare::ReopenReferral {
                    id: *id,
                    meeting_asked: referral.meeting_asked,
                },
                format!("referral of {child} open again"),
                format!("referral of {child} {verb}"),
            ))
        }
        Prepare::Agenda { meeting, change } => {
            let on = meeting_day(*meeting)?;
            let (back, undone, redone) = match change {
                AgendaChange::Pin(child) => (
                    AgendaChange::Unpin(child.clone()),
                    format!("{} unpinned", app.child_label(child)),
                    format!("{} pinned", app.child_label(child)),
                ),
                AgendaChange::Unpin(child) => (
                    AgendaChange::Pin(child.clone()),
                    format!("{} pinned", app.child_label(child)),
                    format!("{} unpinned", app.child_label(child)),
                ),
                AgendaChange::Move { child, to } => {
                    let built = prep.agenda(*meeting)?;
                    let was = built.heard.iter().position(|i| &i.child == child)? + 1;
                    (
                        AgendaChange::Move {
                            child: child.clone(),
                            to: was,
                        },
                        format!("{} back to place {was}", app.child_label(child)),
                        format!("{} moved to place {to}", app.child_label(child)),
                    )
                }
                AgendaChange::Build | AgendaChange::Add { .. } | AgendaChange::Remove { .. } => {
                    // The agenda as it stands, waiting list and choices
                    // too, to put back. The audit names no child: its
                    // entry is not the child's (see the purge).
                    let snapshot = store.agenda_snapshot(*meeting).ok()?;
                    let (what, undone, redone) = match change {
                        AgendaChange::Build => (
                            "agenda restored to how it stood before the build".to_owned(),
                            format!("agenda for {on} back to how it stood before the build"),
                            format!("agenda for {on} built again"),
                        ),
                        AgendaChange::Add { child, .. } => (
                            "agenda restored to how it stood before a child was added by hand"
                                .to_owned(),
                            format!("{} no longer added to the agenda", app.child_label(child)),
                            format!("{} added to the agenda again", app.child_label(child)),
                        ),
                        AgendaChange::Remove { child, .. } => (
                            "agenda restored to how it stood before a child was removed by hand"
                                .to_owned(),
                            format!("{} back on the agenda", app.child_label(child)),
                            format!("{} removed from the agenda again", app.child_label(child)),
                        ),
                        _ => return None,
                    };
                    return Some((
                        Prepare::RestoreAgenda {
                            meeting: *meeting,
                            snapshot,
                            what,
                        },
                        undone,
                        redone,
                    ));
                }
                AgendaChange::Publish => {
                    let published_at = store.agenda_published_at(*meeting).ok()?;
                    let undone = match published_at {
                        None => format!("agenda for {on} no longer published"),
                        Some(t) => format!(
                            "agenda for {on} published as on {} {}",
                            dmy(t.date()),
                            t.format("%H:%M")
                        ),
                    };
                    return Some((
                        Prepare::RestorePublication {
                            meeting: *meeting,
                            published_at,
                        },
                        undone,
                        format!("agenda for {on} published"),
                    ));
                }
            };
            Some((
                Prepare::Agenda {
                    meeting: *meeting,
                    change: back,
                },
                undone,
                redone,
            ))
        }
        Prepare::AddFosteringPanel { day, slots } => {
            let fp = |d: &chrono::NaiveDate| format!("the Fostering Panel of {}", dmy(*d));
            let redone = format!("{} with {}", fp(day), slots_words(*slots));
            Some(match app.data.fostering.sitting_on(*day) {
                Some(was) => (
                    Prepare::AddFosteringPanel {
                        day: *day,
                        slots: was.slots,
                    },
                    format!("{} back to {}", fp(day), slots_words(was.slots)),
                    redone,
                ),
                None => (
                    Prepare::RemoveFosteringPanel { day: *day },
                    format!("{} removed", fp(day)),
                    redone,
                ),
            })
        }
        Prepare::RemoveFosteringPanel { day } => {
            let was = app.data.fostering.sitting_on(*day)?;
            Some((
                Prepare::AddFosteringPanel {
                    day: *day,
                    slots: was.slots,
                },
                format!(
                    "the Fostering Panel of {} recorded again with {}",
                    dmy(*day),
                    slots_words(was.slots)
                ),
                format!("the Fostering Panel of {} removed", dmy(*day)),
            ))
        }
        Prepare::BookFostering { child, day } => {
            let label = app.child_label(child);
            let redone = format!("{label} booked to the Fostering Panel of {}", dmy(*day));
            match app.data.fostering.booking_of(child) {
                // Already booked there: nothing changes, nothing to undo.
                Some(was) if was == *day => None,
                Some(was) => Some((
                    Prepare::BookFostering {
                        child: child.clone(),
                        day: was,
                    },
                    format!("{label} back to the Fostering Panel of {}", dmy(was)),
                    redone,
                )),
                None => Some((
                    Prepare::UnbookFostering {
                        child: child.clone(),
                    },
                    format!("{label} no longer booked to a Fostering Panel"),
                    redone,
                )),
            }
        }
        Prepare::UnbookFostering { child } => {
            let was = app.data.fostering.booking_of(child)?;
            let label = app.child_label(child);
            Some((
                Prepare::BookFostering {
                    child: child.clone(),
                    day: was,
                },
                format!(
                    "{label} booked to the Fostering Panel of {} again",
                    dmy(was)
                ),
                format!("{label} no longer booked to a Fostering Panel"),
            ))
        }
        _ => None,
    }
}

/// "1 slot", "3 slots".
fn slots_words(slots: u32) -> String {
    if slots == 1 {
        "1 slot".to_owned()
    } else {
        format!("{slots} slots")
    }
}

/// The reason stored with a carry-over made on the card.
pub const CARRY_OVER_REASON: &str = "Carried over by the panel at the end of the item";

/// A member's job title (never a name), for the status line.
pub(crate) fn member_title(app: &App, member: Id) -> String {
    app.data
        .all_members
        .iter()
        .find(|m| m.id == member)
        .map_or_else(|| format!("member {member}"), |m| m.job_title.clone())
}

/// Takes back the newest change: writes the record as it was before it.
pub fn undo(store: &mut Store, app: &mut App, now: NaiveDateTime) -> crate::store::Result<()> {
    step(store, app, Direction::Back, now)
}

/// Makes the newest undone change again.
pub fn redo(store: &mut Store, app: &mut App, now: NaiveDateTime) -> crate::store::Result<()> {
    step(store, app, Direction::Forward, now)
}

/// Undo or redo: writes the newest change waiting for `direction`, then
/// moves it to the other stack so the opposite step can take it back.
fn step(
    store: &mut Store,
    app: &mut App,
    direction: Direction,
    now: NaiveDateTime,
) -> crate::store::Result<()> {
    let (nothing_waiting, verb, opposite) = match direction {
        Direction::Back => (
            "Nothing to undo in this session.",
            "Undone",
            Direction::Forward,
        ),
        Direction::Forward => ("Nothing to redo.", "Redone", Direction::Back),
    };
    let Some(change) = waiting(app, direction).pop() else {
        app.notify(NoticeKind::Info, nothing_waiting);
        return Ok(());
    };
    match write(store, &app.terms, &change, direction, now) {
        Ok(change_now) => {
            reload(store, app, &change_now)?;
            let text = format!("{verb}: {}", describe(&change_now, direction));
            waiting(app, opposite).push(change_now);
            app.notify(NoticeKind::Info, text);
            Ok(())
        }
        Err(e) => {
            // Nothing was written: the change can still be taken later.
            waiting(app, direction).push(change);
            Err(e)
        }
    }
}

/// The changes a step in `direction` takes, newest last: the done ones
/// for undo, the undone ones for redo.
fn waiting(app: &mut App, direction: Direction) -> &mut Vec<Change> {
    match direction {
        Direction::Back => &mut app.undo.done,
        Direction::Forward => &mut app.undo.undone,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// Undo: back to the state before the change.
    Back,
    /// Redo: forward to the state after it.
    Forward,
}

/// Performs the write; returns the change as it now stands.
fn write(
    store: &mut Store,
    terms: &crate::terms::Terms,
    change: &Change,
    direction: Direction,
    now: NaiveDateTime,
) -> crate::store::Result<Change> {
    let back = direction == Direction::Back;
    match change {
        Change::Attendance {
            meeting,
            member,
            before,
            after,
            ..
        } => {
            let target = if back { before } else { after };
            store.restore_attendance(*meeting, *member, target.as_ref(), now)?;
        }
        Change::Decision {
            meeting,
            child,
            before,
            after,
            before_outcome,
            after_outcome,
        } => {
            let (target, outcome) = if back {
                (before, before_outcome)
            } else {
                (after, after_outcome)
            };
            store.restore_decision_with_outcome(
                *meeting,
                child,
                target.as_ref().map(|d| (d, outcome.as_deref())),
                now,
            )?;
        }
        Change::Dissent {
            decision,
            member,
            before,
            after,
            ..
        } => match if back { before } else { after } {
            Some(view) => store.record_dissent(*decision, *member, view, now)?,
            None => store.withdraw_dissent(*decision, *member, now)?,
        },
        Change::SignOff {
            decision, sign_off, ..
        } => {
            if back {
                store.withdraw_sign_off(*decision, now)?;
            } else {
                store.sign_off_decision(
                    *decision,
                    &sign_off.by,
                    sign_off.on,
                    sign_off.outcome,
                    sign_off.note.as_deref(),
                    now,
                )?;
            }
        }
        Change::ActionAdded { action } => {
            if back {
                store.delete_action(action.id, now)?;
            } else {
                store.restore_action(action, now)?;
            }
        }
        Change::ActionCorrected { id, before, after } => {
            let (text, owner, deadline) = if back { before } else { after };
            store.correct_action(*id, text, owner, *deadline, now)?;
        }
        Change::ActionStatus {
            id, before, after, ..
        } => {
            let (status, reason) = if back { before } else { after };
            store.set_action_status(*id, *status, reason.as_deref(), now)?;
        }
        Change::CarryOver {
            meeting,
            child,
            reason,
        } => {
            if back {
                store.withdraw_carry_over(*meeting, child, now)?;
            } else {
                store.carry_over(*meeting, child, reason, now)?;
            }
        }
        Change::Interest {
            meeting,
            child,
            member,
            ..
        } => {
            if back {
                store.withdraw_interest_declaration(*meeting, child, *member, now)?;
            } else {
                store.declare_interest(*meeting, child, *member, None, now)?;
            }
        }
        Change::Prepared {
            back: b, forward, ..
        } => {
            let prepare = if back { b } else { forward };
            super::preparation::perform(store, terms, prepare, now)
                .map_err(|e| crate::store::StoreError::Refused(format!("{e:#}")))?;
        }
        Change::Paper {
            meeting,
            child,
            paper,
            before,
            after,
        } => {
            let target = if back { before } else { after };
            store.set_paper_status(*meeting, child, paper, *target, now)?;
        }
        Change::Note {
            meeting,
            child,
            before,
            after,
        } => {
            let target = if back { before } else { after };
            // A blank note is no note.
            store.set_admin_note(*meeting, child, target.as_deref().unwrap_or(""), now)?;
        }
    }
    Ok(change.clone())
}

/// Reloads what the change touched, so the screens show the database.
fn reload(store: &Store, app: &mut App, change: &Change) -> crate::store::Result<()> {
    match change {
        Change::Attendance { .. } => app.data.reload_attendance(store)?,
        Change::Decision { child, .. } => {
            // A draft that only held the saved text would resave the undone
            // text: it goes. One with typing of its own is kept.
            let saved = app.saved_decision(child).to_owned();
            app.screens.decision.drafts.forget_if_only(child, &saved);
            super::screens::decision::forget_outcome_if_saved(app, child);
            app.data.reload_decisions(store)?;
        }
        Change::Dissent { decision, .. } | Change::SignOff { decision, .. } => {
            app.data.reload_outcome(store, *decision)?;
            super::screens::sign_offs::open(app);
        }
        Change::ActionAdded { action, .. } => app.data.reload_actions(store, &action.child)?,
        Change::ActionCorrected { id, .. } => app.data.reload_action(store, *id)?,
        Change::ActionStatus { id, .. } => {
            app.data.reload_action(store, *id)?;
            let last = app.visible_actions().len().saturating_sub(1);
            let list = &mut app.screens.action_list;
            list.cursor = list.cursor.min(last);
        }
        Change::CarryOver { .. } => app.data.reload_carried_over(store)?,
        Change::Interest { .. } => app.data.reload_declarations(store)?,
        Change::Prepared { .. } => {
            super::preparation::reload(store, app)?;
            super::screens::agenda_builder::keep_cursor_in_range(app);
            // A meeting taken off can leave the highlight past the list.
            let last = app.data.prep.meetings.len().saturating_sub(1);
            let meetings = &mut app.screens.meetings;
            meetings.cursor = meetings.cursor.min(last);
        }
        Change::Paper { .. } => app.data.reload_papers(store)?,
        Change::Note { meeting, child, .. } => {
            let saved = app.data.admin_notes.get(child).cloned().unwrap_or_default();
            app.screens.note.drafts.forget_if_only(child, &saved);
            app.data.admin_notes = store.admin_notes(*meeting)?;
        }
    }
    Ok(())
}

/// What the status line says was undone or redone.
fn describe(change: &Change, direction: Direction) -> String {
    let back = direction == Direction::Back;
    match change {
        Change::Attendance {
            title,
            before,
            after,
            ..
        } => {
            let now = if back { before } else { after };
            format!(
                "{title} {}",
                attendance_words(now.as_ref().map(|a| a.state))
            )
        }
        Change::Decision {
            child,
            before,
            after,
            ..
        } => match (back, before, after) {
            (true, None, _) => format!("decision on {child} removed"),
            (true, Some(_), _) => format!("decision on {child} back to its earlier text"),
            (false, _, Some(d)) => format!("decision on {child} recorded: '{}'", d.text),
            (false, _, None) => format!("decision on {child} removed"),
        },
        Change::ActionAdded { action, .. } => {
            if back {
                format!("action '{}' removed", action.text)
            } else {
                format!("action '{}' added again", action.text)
            }
        }
        Change::ActionCorrected { id, before, after } => {
            let (text, _, _) = if back { before } else { after };
            if back {
                format!("correction of action {id}: back to '{text}'")
            } else {
                format!("correction of action {id} made again: '{text}'")
            }
        }
        Change::ActionStatus {
            text,
            before,
            after,
            ..
        } => {
            let status = if back { before.0 } else { after.0 };
            format!("action '{text}' {}", status.id())
        }
        Change::Note {
            child,
            before,
            after,
            ..
        } => {
            let now = if back { before } else { after };
            match now {
                Some(_) if back => format!("private note on {child} back to its earlier text"),
                Some(_) => format!("private note on {child} saved again"),
                None => format!("private note on {child} removed"),
            }
        }
        Change::Dissent {
            child,
            title,
            before,
            after,
            ..
        } => {
            let now = if back { before } else { after };
            match (now, back) {
                (None, _) => {
                    format!("the {title}'s dissent from the decision on {child} taken back")
                }
                (Some(_), true) => {
                    format!("the {title}'s dissent on {child} back to its earlier view")
                }
                (Some(_), false) => format!("the {title}'s dissent on {child} recorded again"),
            }
        }
        Change::SignOff {
            child, sign_off, ..
        } => {
            if back {
                format!(
                    "sign-off of the decision on {child} taken back: it awaits the {} again",
                    sign_off.by
                )
            } else {
                format!(
                    "decision on {child} signed off again by the {}",
                    sign_off.by
                )
            }
        }
        Change::Interest { child, title, .. } => {
            if back {
                format!("the {title}'s declaration of an interest in {child}'s item taken back")
            } else {
                format!("the {title} declared an interest in {child}'s item again")
            }
        }
        Change::Prepared { undone, redone, .. } => {
            if back {
                undone.clone()
            } else {
                redone.clone()
            }
        }
        Change::Paper {
            child,
            paper,
            before,
            after,
            ..
        } => {
            let now = if back { before } else { after };
            format!(
                "{paper} for {child} {}",
                super::screens::papers::status_words(*now)
            )
        }
        Change::CarryOver { child, .. } => {
            if back {
                format!("{child} no longer carried over")
            } else {
                format!("{child} carried over to the next meeting")
            }
        }
    }
}

fn attendance_words(state: Option<AttendanceState>) -> &'static str {
    match state {
        None | Some(AttendanceState::Expected) => "not marked",
        Some(AttendanceState::Present) => "present",
        Some(AttendanceState::Apologies) => "sent apologies",
        Some(AttendanceState::Absent) => "absent",
        Some(AttendanceState::InAttendance) => "in attendance",
        Some(AttendanceState::Substitute) => "present as substitute",
    }
}
