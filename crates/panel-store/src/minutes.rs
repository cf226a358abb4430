//! Approving a meeting's minutes at a later meeting, and corrections after
//! approval. Approved minutes are frozen: the write functions for
//! decisions, actions' text and attendance refuse (`refuse_if_approved`),
//! and triggers (migration 6) refuse whatever path reaches the tables.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};

use super::panel::{actor_on, audit};
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

/// The panel setting that says where the panel meets (the minutes' and
/// the invitations' place), when the council has set one.
pub const PLACE_SETTING: &str = "place";

/// The panel setting holding the panel administrator's mailbox: the
/// organiser of the invitations, when the council has set one.
pub const ADMINISTRATOR_MAILBOX_SETTING: &str = "administrator_mailbox";

/// What approved minutes keep besides the members (migration 15): the next
/// meeting and the place as they stood when the minutes were approved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovedRecord {
    pub next_meeting: Option<NaiveDate>,
    pub place: Option<String>,
}

/// Refuses a change to the minutes of `meeting` once they are approved.
pub(super) fn refuse_if_approved(conn: &Connection, meeting: Id) -> Result<()> {
    refuse_when_approved(conn, meeting, "; record a correction instead")
}

/// Refuses any change to a meeting's agenda (building it, choosing,
/// moving, publishing) once its minutes are approved: the agenda is part
/// of what the approved minutes show (the children heard and not reached).
pub(super) fn refuse_agenda_change_if_approved(conn: &Connection, meeting: Id) -> Result<()> {
    refuse_when_approved(conn, meeting, ", so its agenda can no longer change")
}

/// The refusal for a meeting whose minutes are approved, ending with `then`.
fn refuse_when_approved(conn: &Connection, meeting: Id, then: &str) -> Result<()> {
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
            "The minutes of {} were approved on {}{then}",
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
        let by = actor_on(&tx);
        tx.execute(
            "INSERT INTO minutes_approval(meeting_id, approved_at_meeting, approved_by, recorded_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![meeting, at_meeting, by, datetime(at)],
        )?;
        // The members as they stand now are part of what is approved.
        tx.execute(
            "INSERT INTO approved_members
             SELECT mt.id, m.id, m.role, m.job_title, m.name, m.kind, m.substitute_for, m.start_date, m.end_date
                 FROM meetings mt JOIN members m
                 WHERE ((m.start_date IS NULL OR m.start_date <= mt.date) AND (m.end_date IS NULL OR mt.date <= m.end_date)
                        OR EXISTS (SELECT 1 FROM attendance a WHERE a.meeting_id = mt.id AND a.member_id = m.id))
               AND mt.id = ?1",
            [meeting],
        )?;
        // And who presented each child on the agenda, from the latest
        // accepted referral ("role (initials)").
        tx.execute(
            "INSERT INTO approved_presenters(meeting_id, child_id, presenter)
             SELECT ?1, a.child_id,
                    (SELECT CASE WHEN trim(r.referrer_initials) = '' THEN r.referrer_role
                                 ELSE r.referrer_role || ' (' || r.referrer_initials || ')' END
                     FROM referrals r WHERE r.child_id = a.child_id AND r.status = 'accepted'
                     ORDER BY r.id DESC LIMIT 1)
             FROM agenda_items a
             WHERE a.meeting_id = ?1 AND a.waiting = 0
               AND EXISTS (SELECT 1 FROM referrals r WHERE r.child_id = a.child_id AND r.status = 'accepted')",
            [meeting],
        )?;
        // So are the next meeting and the place as they stand now.
        tx.execute(
            "INSERT INTO approved_minutes_record(meeting_id, next_meeting, place)
             SELECT ?1,
                    (SELECT min(n.date) FROM meetings n WHERE n.date > ?2 AND n.status != 'cancelled'),
                    (SELECT value FROM settings WHERE key = ?3)",
            params![meeting, date(held), PLACE_SETTING],
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

    /// The next meeting and place kept when the minutes of `meeting` were
    /// approved; `None` while they are not approved.
    pub fn approved_record(&self, meeting: Id) -> Result<Option<ApprovedRecord>> {
        let row: Option<(Option<String>, Option<String>)> = self
            .conn
            .query_row(
                "SELECT next_meeting, place FROM approved_minutes_record WHERE meeting_id = ?1",
                [meeting],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(next, place)| {
            Ok(ApprovedRecord {
                next_meeting: next.as_deref().map(parse_date).transpose()?,
                place,
            })
        })
        .transpose()
    }

    /// Who presented each child at `meeting`, as kept when its minutes
    /// were approved (empty while they are not approved).
    pub fn approved_presenters(&self, meeting: Id) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT child_id, presenter FROM approved_presenters WHERE meeting_id = ?1",
        )?;
        let rows = stmt
            .query_map([meeting], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Sets (or, blank, clears) one of the panel's details the minutes
    /// and invitations show: `PLACE_SETTING` or
    /// `ADMINISTRATOR_MAILBOX_SETTING`. Audited like any user change.
    pub fn set_panel_detail(&mut self, key: &str, value: &str, at: NaiveDateTime) -> Result<()> {
        if key != PLACE_SETTING && key != ADMINISTRATOR_MAILBOX_SETTING {
            return Err(StoreError::Refused(format!(
                "'{key}' is not a panel detail; expected {PLACE_SETTING} or {ADMINISTRATOR_MAILBOX_SETTING}"
            )));
        }
        let value = value.trim();
        let tx = self.write()?;
        let old: Option<String> = tx
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?;
        if value.is_empty() {
            tx.execute("DELETE FROM settings WHERE key = ?1", [key])?;
        } else {
            tx.execute(
                "INSERT INTO settings(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
        }
        audit(
            &tx,
            at,
            "panel-detail",
            key,
            None,
            &serde_json::json!({ "old": old, "new": (!value.is_empty()).then_some(value) })
                .to_string(),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Minutes an item of any other business at `meeting`; refused once
    /// its minutes are approved. Audited.
    pub fn add_other_business(
        &mut self,
        meeting: Id,
        text_: &str,
        at: NaiveDateTime,
    ) -> Result<Id> {
        let text_ = text_.trim();
        if text_.is_empty() {
            return Err(StoreError::Refused(
                "an item of other business needs its text".into(),
            ));
        }
        let tx = self.write()?;
        meeting_date_status(&tx, meeting)?;
        refuse_if_approved(&tx, meeting)?;
        tx.execute(
            "INSERT INTO other_business(meeting_id, text, recorded_at) VALUES (?1, ?2, ?3)",
            params![meeting, text_, datetime(at)],
        )?;
        let id = tx.last_insert_rowid();
        audit(
            &tx,
            at,
            "other-business",
            &meeting.to_string(),
            None,
            &serde_json::json!({ "new": text_ }).to_string(),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// The other business minuted at a meeting, in the order recorded.
    pub fn other_business(&self, meeting: Id) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT text FROM other_business WHERE meeting_id = ?1 ORDER BY id")?;
        let rows = stmt
            .query_map([meeting], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(rows)
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
            params![meeting, text_, actor_on(&tx), datetime(at)],
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

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;

    use super::*;
    use crate::model::AttendanceState;
    use crate::{Leaver, NewMember};

    fn day(d: u32, m: u32, y: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    fn at(d: NaiveDate) -> NaiveDateTime {
        d.and_hms_opt(9, 0, 0).expect("a time")
    }

    /// A store with a meeting on 27/11/2026 (a decision on C1 recorded)
    /// approved at the meeting of 18/12/2026; returns (store, held, approving).
    fn approved() -> (Store, Id, Id) {
        let mut store = Store::open_in_memory().expect("store");
        let (ten, noon) = (
            NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
            NaiveTime::from_hms_opt(12, 0, 0).expect("time"),
        );
        let held = store
            .add_meeting(day(27, 11, 2026), ten, noon, at(day(1, 11, 2026)))
            .expect("meeting");
        let approving = store
            .add_meeting(day(18, 12, 2026), ten, noon, at(day(1, 11, 2026)))
            .expect("meeting");
        store
            .record_decision(held, "C1", "Endorsed.", true, at(day(27, 11, 2026)))
            .expect("decision");
        store
            .approve_minutes(held, approving, at(day(18, 12, 2026)))
            .expect("approved");
        (store, held, approving)
    }

    #[test]
    fn a_member_added_to_approved_minutes_is_refused() {
        let (mut store, held, _) = approved();
        let member = store
            .add_member(
                &NewMember {
                    role: "chair".into(),
                    job_title: "Chair".into(),
                    name: None,
                    kind: crate::model::MemberKind::Standing,
                    substitute_for: None,
                },
                at(day(18, 12, 2026)),
            )
            .expect("member");
        let refused = store.set_attendance(
            held,
            member,
            AttendanceState::Present,
            None,
            at(day(19, 12, 2026)),
        );
        assert!(matches!(
            refused,
            Err(StoreError::Refused(why)) if why == "The minutes of 27/11/2026 were approved on 18/12/2026; record a correction instead"
        ));
        // Even past the store's check, the trigger refuses it.
        let by_hand = store.conn.execute(
            "INSERT INTO attendance(meeting_id, member_id, state) VALUES (?1, ?2, 'present')",
            params![held, member],
        );
        assert!(by_hand.is_err());
    }

    #[test]
    fn the_retention_purge_still_removes_a_leavers_approved_decisions() {
        let (mut store, held, _) = approved();
        let leaver = Leaver {
            child: "C1".into(),
            left_care: day(1, 1, 2019),
        };
        let purged = store.purge(&[leaver], at(day(1, 1, 2027))).expect("purged");
        assert_eq!(purged.decisions, 1);
        assert!(store.decisions(held).expect("read").is_empty());
    }

    #[test]
    fn minutes_of_a_cancelled_meeting_cannot_be_approved() {
        let (mut store, _, approving) = approved();
        let (ten, noon) = (
            NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
            NaiveTime::from_hms_opt(12, 0, 0).expect("time"),
        );
        let october = store
            .add_meeting(day(30, 10, 2026), ten, noon, at(day(1, 10, 2026)))
            .expect("meeting");
        store
            .cancel_meeting(october, "no quorum possible", at(day(29, 10, 2026)))
            .expect("cancelled");
        let refused = store.approve_minutes(october, approving, at(day(18, 12, 2026)));
        assert!(matches!(
            refused,
            Err(StoreError::Refused(why)) if why.contains("was cancelled")
        ));
        assert_eq!(store.minutes_approval(october).expect("read"), None);
    }
}
