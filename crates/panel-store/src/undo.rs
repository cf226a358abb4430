//! The inverse writes the app's undo needs: each puts one record back
//! exactly as it was before a change (or removes it when there was none),
//! in its own committed transaction, audited like any other change.

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, params};

use super::minutes::refuse_if_approved;
use super::panel::audit;
use super::text::*;
use super::{Result, Store};
use crate::model::{Action, Attendance, Decision, Id};

impl Store {
    /// Puts a member's attendance at a meeting back to `previous`: the row
    /// as it was (state, substitute role, arrival and departure times), or
    /// no row at all when the member had not been marked.
    pub fn restore_attendance(
        &mut self,
        meeting: Id,
        member: Id,
        previous: Option<&Attendance>,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        // The stretches in the room as they were, too.
        tx.execute(
            "DELETE FROM attendance_intervals WHERE meeting_id = ?1 AND member_id = ?2",
            params![meeting, member],
        )?;
        for interval in previous.map_or(&[][..], |a| a.intervals.as_slice()) {
            tx.execute(
                "INSERT INTO attendance_intervals(meeting_id, member_id, arrived, departed)
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    meeting,
                    member,
                    time(interval.arrived),
                    interval.left.map(time)
                ],
            )?;
        }
        let change = match previous {
            Some(a) => {
                tx.execute(
                    "INSERT INTO attendance(meeting_id, member_id, state, substitute_for, arrived, departed)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT(meeting_id, member_id) DO UPDATE SET state = excluded.state,
                        substitute_for = excluded.substitute_for, arrived = excluded.arrived,
                        departed = excluded.departed",
                    params![
                        meeting,
                        member,
                        a.state.id(),
                        a.substitute_for,
                        a.arrived.map(time),
                        a.departed.map(time)
                    ],
                )?;
                format!("restored -> {}", a.state.id())
            }
            None => {
                tx.execute(
                    "DELETE FROM attendance WHERE meeting_id = ?1 AND member_id = ?2",
                    params![meeting, member],
                )?;
                "restored -> none".to_owned()
            }
        };
        audit(
            &tx,
            at,
            "attendance",
            &format!("{meeting}/{member}"),
            None,
            &change,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Puts the decision on a child at a meeting back to `previous` (its
    /// text, time and quorum flag), or withdraws it when there was none.
    /// The audit entry keeps the text that was replaced or withdrawn.
    pub fn restore_decision(
        &mut self,
        meeting: Id,
        child: &str,
        previous: Option<&Decision>,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        restore_decision_in(&tx, meeting, child, previous, at)?;
        tx.commit()?;
        Ok(())
    }

    /// Puts the decision on a child at a meeting back to `previous` with
    /// its outcome as it was (the type, outcome, deferral, referral and
    /// money; `None`: no outcome recorded), or withdraws it; one
    /// transaction, refused once the minutes are approved, and refused
    /// where a sign-off stands on an outcome the undo would change (as
    /// recording refuses it).
    pub fn restore_decision_with_outcome(
        &mut self,
        meeting: Id,
        child: &str,
        previous: Option<(&Decision, Option<&crate::decisions::DecisionOutcome>)>,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        refuse_if_approved(&tx, meeting)?;
        let id = restore_decision_in(&tx, meeting, child, previous.map(|(d, _)| d), at)?;
        if let Some((_, outcome)) = previous {
            crate::decisions::restore_outcome_in(&tx, id, child, outcome, at)?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// `restore_decision`'s write, in the caller's transaction; the decision's
/// id (the one withdrawn, when `previous` is none).
fn restore_decision_in(
    tx: &rusqlite::Transaction<'_>,
    meeting: Id,
    child: &str,
    previous: Option<&Decision>,
    at: NaiveDateTime,
) -> Result<Id> {
    {
        let old: Option<(Id, String)> = tx
            .query_row(
                "SELECT id, text FROM decisions WHERE meeting_id = ?1 AND child_id = ?2",
                params![meeting, child],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let entity_id = match previous {
            Some(d) => {
                // A decision brought back by a redo comes back under the
                // id it had (no other record was given it since).
                tx.execute(
                    "INSERT INTO decisions(id, meeting_id, child_id, text, recorded_at, quorate, quorum)
                     VALUES (?6, ?1, ?2, ?3, ?4, ?5, ?7)
                     ON CONFLICT(meeting_id, child_id) DO UPDATE SET text = excluded.text,
                        recorded_at = excluded.recorded_at, quorate = excluded.quorate,
                        quorum = excluded.quorum",
                    params![meeting, child, d.text, datetime(d.recorded_at), d.quorate, d.id, d.quorum],
                )?;
                tx.query_row(
                    "SELECT id FROM decisions WHERE meeting_id = ?1 AND child_id = ?2",
                    params![meeting, child],
                    |r| r.get::<_, Id>(0),
                )?
            }
            None => {
                tx.execute(
                    "DELETE FROM decisions WHERE meeting_id = ?1 AND child_id = ?2",
                    params![meeting, child],
                )?;
                old.as_ref().map_or(0, |(id, _)| *id)
            }
        };
        let change = serde_json::json!({
            "old": old.map(|(_, text)| text),
            "new": previous.map(|d| d.text.as_str()),
            "undo": true,
        })
        .to_string();
        audit(
            tx,
            at,
            "decision",
            &entity_id.to_string(),
            Some(child),
            &change,
        )?;
        Ok(entity_id)
    }
}

impl Store {
    /// Puts back an action whose adding was undone, under the id it had and
    /// as it was when added (a redo): ids are never given to another
    /// record, so the id is free. Refused once the minutes are approved.
    pub fn restore_action(&mut self, action: &Action, at: NaiveDateTime) -> Result<()> {
        let tx = self.write()?;
        refuse_if_approved(&tx, action.meeting)?;
        tx.execute(
            "INSERT INTO actions(id, meeting_id, child_id, text, owner, deadline, status, status_reason, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                action.id,
                action.meeting,
                action.child,
                action.text,
                action.owner,
                date(action.deadline),
                action.status.id(),
                action.status_reason,
                datetime(action.created_at)
            ],
        )?;
        let change = serde_json::json!({
            "new": { "text": action.text, "owner": action.owner, "deadline": date(action.deadline) },
            "undo": true,
        })
        .to_string();
        audit(
            &tx,
            at,
            "action",
            &action.id.to_string(),
            Some(&action.child),
            &change,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Takes back a carry-over: the child is no longer owed a place first
    /// on the next meeting's agenda.
    pub fn withdraw_carry_over(
        &mut self,
        meeting: Id,
        child: &str,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        tx.execute(
            "DELETE FROM carry_overs WHERE meeting_id = ?1 AND child_id = ?2",
            params![meeting, child],
        )?;
        audit(
            &tx,
            at,
            "carry-over",
            &meeting.to_string(),
            Some(child),
            "withdrawn",
        )?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveTime};

    use super::*;
    use crate::NewAction;

    fn day(d: u32, m: u32, y: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    fn at(minute: u32) -> NaiveDateTime {
        day(27, 11, 2026)
            .and_hms_opt(10, minute, 0)
            .expect("a time")
    }

    fn meeting(store: &mut Store) -> Id {
        let (ten, noon) = (
            NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
            NaiveTime::from_hms_opt(12, 0, 0).expect("time"),
        );
        store
            .add_meeting(day(27, 11, 2026), ten, noon, at(0))
            .expect("meeting")
    }

    fn action(meeting: Id, child: &str, text: &str) -> NewAction {
        NewAction {
            meeting,
            child: child.into(),
            text: text.into(),
            owner: "Team Manager".into(),
            deadline: day(18, 12, 2026),
        }
    }

    /// The audit entries about one action id, oldest first.
    fn audited(store: &Store, entity: &str, id: Id) -> Vec<String> {
        store
            .audit_entries()
            .expect("audit")
            .into_iter()
            .filter(|e| e.entity == entity && e.entity_id == id.to_string())
            .map(|e| e.change)
            .collect()
    }

    #[test]
    fn an_action_id_freed_by_an_undo_is_never_given_to_the_next_action() {
        let mut store = Store::open_in_memory().expect("store");
        let m = meeting(&mut store);
        let first = store
            .add_action(&action(m, "C1", "Book the assessment"), at(1))
            .expect("add");
        store.delete_action(first, at(2)).expect("undo the add");
        let next = store
            .add_action(&action(m, "C2", "Write to the court"), at(3))
            .expect("add");
        assert!(
            next > first,
            "the freed id {first} was given again as {next}"
        );
        // The audit names the undone action and the new one apart.
        assert!(
            audited(&store, "action", first)
                .iter()
                .all(|c| !c.contains("Write to the court"))
        );
    }

    #[test]
    fn a_redone_action_comes_back_under_its_own_id_as_it_was() {
        let mut store = Store::open_in_memory().expect("store");
        let m = meeting(&mut store);
        let id = store
            .add_action(&action(m, "C1", "Book the assessment"), at(1))
            .expect("add");
        let added = store.action(id).expect("read").expect("held");
        store.delete_action(id, at(2)).expect("undo");
        assert_eq!(store.action(id).expect("read"), None);
        store.restore_action(&added, at(3)).expect("redo");
        assert_eq!(store.action(id).expect("read"), Some(added));
        // And the next action is still past it.
        let next = store
            .add_action(&action(m, "C1", "Another"), at(4))
            .expect("add");
        assert_eq!(next, id + 1);
        assert_eq!(
            audited(&store, "action", id).len(),
            3,
            "added, deleted, restored"
        );
    }

    #[test]
    fn a_decision_id_freed_by_an_undo_is_never_given_again_and_a_redo_brings_it_back() {
        let mut store = Store::open_in_memory().expect("store");
        let m = meeting(&mut store);
        let first = store
            .record_decision(m, "C1", "Endorsed.", true, at(1))
            .expect("decide");
        let recorded = store.decisions(m).expect("read").remove(0);
        // Amended: the same decision, the same id.
        assert_eq!(
            store
                .record_decision(m, "C1", "Endorsed, with a review in March.", true, at(2))
                .expect("amend"),
            first
        );
        // Undone to nothing, then a decision on another child.
        store.restore_decision(m, "C1", None, at(3)).expect("undo");
        assert!(store.decisions(m).expect("read").is_empty());
        let other = store
            .record_decision(m, "C2", "Adjourned.", true, at(4))
            .expect("decide");
        assert!(
            other > first,
            "the freed decision id {first} was given again"
        );
        // A redo brings the decision back under its own id.
        store
            .restore_decision(m, "C1", Some(&recorded), at(5))
            .expect("redo");
        let back = store
            .decisions(m)
            .expect("read")
            .into_iter()
            .find(|d| d.child == "C1")
            .expect("back");
        assert_eq!(back.id, first);
        assert_eq!(back.text, "Endorsed.");
        // Withdrawn again and decided afresh: a new id, not the old one.
        store.restore_decision(m, "C1", None, at(6)).expect("undo");
        let afresh = store
            .record_decision(m, "C1", "Endorsed.", true, at(7))
            .expect("decide");
        assert!(afresh > other);
    }
}
