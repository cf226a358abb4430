//! The meeting year: cancelling and moving meetings, each change in its own
//! transaction with an audit entry.

use crate::rules::dates::dmy;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rusqlite::{OptionalExtension, params};

use super::panel::audit;
use super::text::*;
use super::{Result, Store, StoreError};
use crate::model::{Id, MeetingStatus};

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

    /// Moves a meeting to another day and times. Refused when another
    /// meeting is already on that day.
    pub fn move_meeting(
        &mut self,
        meeting: Id,
        day: NaiveDate,
        start: NaiveTime,
        end: NaiveTime,
        at: NaiveDateTime,
    ) -> Result<()> {
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
        tx.execute(
            "UPDATE meetings SET date = ?2, start_time = ?3, end_time = ?4 WHERE id = ?1",
            params![meeting, date(day), time(start), time(end)],
        )?;
        audit(
            &tx,
            at,
            "meeting",
            &meeting.to_string(),
            None,
            &format!(
                "moved from {old} to {} {}-{}",
                date(day),
                time(start),
                time(end)
            ),
        )?;
        tx.commit()?;
        Ok(())
    }
}
