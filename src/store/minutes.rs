//! Approving a meeting's minutes at a later meeting, and corrections after
//! approval. Approved minutes are frozen: the write functions for
//! decisions, actions' text and attendance refuse (`refuse_if_approved`),
//! and triggers (migration 6) refuse whatever path reaches the tables.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};

use super::panel::{audit, current_actor};
use super::text::*;
use super::{Result, Store, StoreError};
use crate::model::{Id, MeetingStatus};
use crate::rules::dates::dmy;

/// Who approved a meeting's minutes, at which meeting, and when it was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutesApproval {
    pub meeting: Id,
    /// The meeting at which the minutes were approved.
    pub approved_at_meeting: Id,
    /// That meeting's date.
    pub approved_on: NaiveDate,
    /// Who recorded the approval (the app's user).
    pub approved_by: String,
    pub recorded_at: NaiveDateTime,
}

/// A correction to approved minutes, shown under "Corrections".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutesCorrection {
    pub id: Id,
    pub meeting: Id,
    pub text: String,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

/// Refuses a change to the minutes of `meeting` once they are approved.
pub(super) fn refuse_if_approved(conn: &Connection, meeting: Id) -> Result<()> {
    let approved: Option<(String, String)> = conn
        .query_row(
            "SELECT m.date, by.date FROM minutes_approval a
             JOIN meetings m ON m.id = a.meeting_id
             JOIN meetings by ON by.id = a.approved_at_meeting
             WHERE a.meeting_id = ?1",
            [meeting],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match approved {
        Some((held, approved_on)) => Err(StoreError::Refused(format!(
            "The minutes of {} were approved on {}; record a correction instead",
            dmy(parse_date(&held)?),
            dmy(parse_date(&approved_on)?)
        ))),
        None => Ok(()),
    }
}

fn meeting_date_status(conn: &Connection, meeting: Id) -> Result<(NaiveDate, String)> {
    let found: Option<(String, String)> = conn
        .query_row(
            "SELECT date, status FROM meetings WHERE id = ?1",
            [meeting],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((day, status)) = found else {
        return Err(StoreError::Refused(format!(
            "there is no meeting {meeting}"
        )));
    };
    Ok((parse_date(&day)?, status))
}

impl Store {
    /// Records that the minutes of `meeting` were approved at the later
    /// meeting `at_meeting`. From then on they are frozen.
    pub fn approve_minutes(
        &mut self,
        meeting: Id,
        at_meeting: Id,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        let (held, held_status) = meeting_date_status(&tx, meeting)?;
        let (approving, approving_status) = meeting_date_status(&tx, at_meeting)?;
        if held_status == MeetingStatus::Cancelled.id() {
            return Err(StoreError::Refused(format!(
                "the meeting of {} was cancelled: it has no minutes to approve",
                dmy(held)
            )));
        }
        if approving_status == MeetingStatus::Cancelled.id() {
            return Err(StoreError::Refused(format!(
                "the meeting of {} was cancelled: minutes cannot be approved at it",
                dmy(approving)
            )));
        }
        if approving <= held {
            return Err(StoreError::Refused(format!(
                "minutes are approved at a later meeting: {} is not after {}",
                dmy(approving),
                dmy(held)
            )));
        }
        if let Some(before) = approval(&tx, meeting)? {
            return Err(StoreError::Refused(format!(
                "the minutes of {} were already approved on {}",
                dmy(held),
                dmy(before.approved_on)
            )));
        }
        let by = current_actor();
        tx.execute(
            "INSERT INTO minutes_approval(meeting_id, approved_at_meeting, approved_by, recorded_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![meeting, at_meeting, by, datetime(at)],
        )?;
        audit(
            &tx,
            at,
            "minutes",
            &meeting.to_string(),
            None,
            &format!("approved at the meeting of {}", date(approving)),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The approval of a meeting's minutes, if they are approved.
    pub fn minutes_approval(&self, meeting: Id) -> Result<Option<MinutesApproval>> {
        approval(&self.conn, meeting)
    }

    /// Records a correction to the approved minutes of `meeting`. Minutes
    /// not yet approved are changed directly instead, so this is refused.
    pub fn record_minutes_correction(
        &mut self,
        meeting: Id,
        text_: &str,
        at: NaiveDateTime,
    ) -> Result<Id> {
        let text_ = text_.trim();
        if text_.is_empty() {
            return Err(StoreError::Refused("a correction needs its text".into()));
        }
        let tx = self.write()?;
        let (held, _) = meeting_date_status(&tx, meeting)?;
        if approval(&tx, meeting)?.is_none() {
            return Err(StoreError::Refused(format!(
                "the minutes of {} are not approved yet: change them directly rather than recording a correction",
                dmy(held)
            )));
        }
        tx.execute(
            "INSERT INTO minutes_corrections(meeting_id, text, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4)",
            params![meeting, text_, current_actor(), datetime(at)],
        )?;
        let id = tx.last_insert_rowid();
        audit(
            &tx,
            at,
            "minutes",
            &meeting.to_string(),
            None,
            &serde_json::json!({ "correction": text_ }).to_string(),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// The corrections to a meeting's minutes, oldest first.
    pub fn minutes_corrections(&self, meeting: Id) -> Result<Vec<MinutesCorrection>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, meeting_id, text, recorded_by, recorded_at FROM minutes_corrections
             WHERE meeting_id = ?1 ORDER BY id",
        )?;
        let rows = stmt
            .query_map([meeting], |r| {
                Ok(MinutesCorrection {
                    id: r.get(0)?,
                    meeting: r.get(1)?,
                    text: r.get(2)?,
                    recorded_by: r.get(3)?,
                    recorded_at: parse_datetime(&r.get::<_, String>(4)?)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

fn approval(conn: &Connection, meeting: Id) -> Result<Option<MinutesApproval>> {
    let row = conn
        .query_row(
            "SELECT a.meeting_id, a.approved_at_meeting, m.date, a.approved_by, a.recorded_at
             FROM minutes_approval a JOIN meetings m ON m.id = a.approved_at_meeting
             WHERE a.meeting_id = ?1",
            [meeting],
            |r| {
                Ok(MinutesApproval {
                    meeting: r.get(0)?,
                    approved_at_meeting: r.get(1)?,
                    approved_on: parse_date(&r.get::<_, String>(2)?)?,
                    approved_by: r.get(3)?,
                    recorded_at: parse_datetime(&r.get::<_, String>(4)?)?,
                })
            },
        )
        .optional()?;
    Ok(row)
}
