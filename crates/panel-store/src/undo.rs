//! The inverse writes the app's undo needs: each puts one record back
//! exactly as it was before a change (or removes it when there was none),
//! in its own committed transaction, audited like any other change.

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, params};

use super::panel::audit;
use super::text::*;
use super::{Result, Store};
use crate::model::{Attendance, Decision, Id};

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
        let old: Option<(Id, String)> = tx
            .query_row(
                "SELECT id, text FROM decisions WHERE meeting_id = ?1 AND child_id = ?2",
                params![meeting, child],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let entity_id = match previous {
            Some(d) => {
                tx.execute(
                    "INSERT INTO decisions(meeting_id, child_id, text, recorded_at, quorate, quorum)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT(meeting_id, child_id) DO UPDATE SET text = excluded.text,
                        recorded_at = excluded.recorded_at, quorate = excluded.quorate,
                        quorum = excluded.quorum",
                    params![meeting, child, d.text, datetime(d.recorded_at), d.quorate, d.quorum],
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
            &tx,
            at,
            "decision",
            &entity_id.to_string(),
            Some(child),
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
