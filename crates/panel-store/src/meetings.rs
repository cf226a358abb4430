//! The meeting year: cancelling and moving meetings, each change in its own
//! transaction with an audit entry.

use crate::rules::dates::dmy;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rusqlite::{OptionalExtension, params};
use std::collections::HashMap;

use super::panel::audit;
use super::text::*;
use super::{Result, Store, StoreError};
use crate::model::{Id, MeetingStatus};
use crate::rules::meetings::MeetingRecords;

impl Store {
    /// Adds a sitting the cadence does not give (an extra meeting), with
    /// the reason, kept in the audit trail.
    pub fn add_extra_meeting(
        &mut self,
        day: NaiveDate,
        start: NaiveTime,
        end: NaiveTime,
        reason: &str,
        at: NaiveDateTime,
    ) -> Result<Id> {
        if reason.trim().is_empty() {
            return Err(StoreError::Refused(
                "an extra meeting needs a reason".into(),
            ));
        }
        let id = self.add_meeting(day, start, end, at)?;
        let tx = self.write()?;
        audit(
            &tx,
            at,
            "meeting",
            &id.to_string(),
            None,
            &format!("an extra sitting: {}", reason.trim()),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Cancels a meeting, keeping it (and its reason) in the year's list.
    pub fn cancel_meeting(&mut self, meeting: Id, reason: &str, at: NaiveDateTime) -> Result<()> {
        if reason.trim().is_empty() {
            return Err(StoreError::Refused(
                "a cancelled meeting needs a reason".into(),
            ));
        }
        let tx = self.write()?;
        let changed = tx.execute(
            "UPDATE meetings SET status = ?2, cancel_reason = ?3 WHERE id = ?1",
            params![meeting, MeetingStatus::Cancelled.id(), reason.trim()],
        )?;
        if changed == 0 {
            return Err(StoreError::Refused(format!(
                "there is no meeting {meeting}"
            )));
        }
        audit(
            &tx,
            at,
            "meeting",
            &meeting.to_string(),
            None,
            &format!("cancelled: {}", reason.trim()),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Moves a meeting to another day and times, with why when given (the
    /// day it was first planned for is kept). Refused when another meeting
    /// is already on that day.
    pub fn move_meeting(
        &mut self,
        meeting: Id,
        day: NaiveDate,
        start: NaiveTime,
        end: NaiveTime,
        reason: Option<&str>,
        at: NaiveDateTime,
    ) -> Result<()> {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if end <= start {
            return Err(StoreError::Refused(format!(
                "the meeting must end after it starts ({} to {})",
                start.format("%H:%M"),
                end.format("%H:%M")
            )));
        }
        let tx = self.write()?;
        let clash: Option<Id> = tx
            .query_row(
                "SELECT id FROM meetings WHERE date = ?1 AND id != ?2",
                params![date(day), meeting],
                |r| r.get(0),
            )
            .optional()?;
        if clash.is_some() {
            return Err(StoreError::Refused(format!(
                "there is already a meeting on {}",
                dmy(day)
            )));
        }
        let old: Option<String> = tx
            .query_row("SELECT date FROM meetings WHERE id = ?1", [meeting], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(old) = old else {
            return Err(StoreError::Refused(format!(
                "there is no meeting {meeting}"
            )));
        };
        // The first day stays the one it moved from, however often it moves.
        tx.execute(
            "UPDATE meetings SET date = ?2, start_time = ?3, end_time = ?4,
                moved_from = CASE WHEN date = ?2 THEN moved_from ELSE coalesce(moved_from, date) END,
                move_reason = coalesce(?5, move_reason)
             WHERE id = ?1",
            params![meeting, date(day), time(start), time(end), reason],
        )?;
        audit(
            &tx,
            at,
            "meeting",
            &meeting.to_string(),
            None,
            &format!(
                "moved from {old} to {} {}-{}{}",
                date(day),
                time(start),
                time(end),
                reason.map(|r| format!(": {r}")).unwrap_or_default()
            ),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// What each meeting has recorded, for where it stands
    /// (`rules::meetings::Standing`): an agenda, anyone marked there, a
    /// decision, action or carry-over recorded at it, approved minutes.
    pub fn meeting_records(&self) -> Result<HashMap<Id, MeetingRecords>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.id,
                EXISTS (SELECT 1 FROM agenda_items a WHERE a.meeting_id = m.id),
                EXISTS (SELECT 1 FROM attendance t WHERE t.meeting_id = m.id
                        AND t.state IN ('present', 'in-attendance', 'substitute')),
                EXISTS (SELECT 1 FROM decisions d WHERE d.meeting_id = m.id)
                    OR EXISTS (SELECT 1 FROM actions c WHERE c.meeting_id = m.id)
                    OR EXISTS (SELECT 1 FROM carry_overs o WHERE o.meeting_id = m.id),
                EXISTS (SELECT 1 FROM minutes_approval p WHERE p.meeting_id = m.id)
             FROM meetings m",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, Id>(0)?,
                    MeetingRecords {
                        agenda_built: r.get(1)?,
                        attended: r.get(2)?,
                        recorded: r.get(3)?,
                        minutes_approved: r.get(4)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<HashMap<_, _>>>()?;
        Ok(rows)
    }

    /// Each moved meeting's first day and why it moved (when said).
    pub fn meeting_moves(&self) -> Result<HashMap<Id, MeetingMove>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, moved_from, move_reason FROM meetings WHERE moved_from IS NOT NULL",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, Id>(0)?,
                    MeetingMove {
                        from: parse_date(&r.get::<_, String>(1)?)?,
                        reason: r.get(2)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<HashMap<_, _>>>()?;
        Ok(rows)
    }
}

/// Where a moved meeting was first planned, and why it moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingMove {
    pub from: NaiveDate,
    pub reason: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn a_moved_meeting_keeps_its_first_day_and_why_it_moved() {
        let mut store = Store::open_in_memory().expect("store");
        let at = day(2026, 12, 4).and_hms_opt(9, 0, 0).expect("a time");
        let (start, end) = (
            NaiveTime::from_hms_opt(9, 30, 0).expect("a time"),
            NaiveTime::from_hms_opt(13, 0, 0).expect("a time"),
        );
        let id = store
            .add_meeting(day(2027, 1, 29), start, end, at)
            .expect("added");
        assert!(store.meeting_moves().expect("moves").is_empty());
        store
            .move_meeting(
                id,
                day(2027, 2, 5),
                start,
                end,
                Some(" Chair on leave "),
                at,
            )
            .expect("moved");
        store
            .move_meeting(id, day(2027, 2, 12), start, end, None, at)
            .expect("moved again");
        let moves = store.meeting_moves().expect("moves");
        assert_eq!(
            moves.get(&id),
            Some(&MeetingMove {
                from: day(2027, 1, 29),
                reason: Some("Chair on leave".into()),
            })
        );
        let audit = store.audit_entries().expect("audit");
        assert!(
            audit
                .iter()
                .any(|e| e.change.ends_with("09:30-13:00: Chair on leave")),
            "{audit:?}"
        );
    }
}
