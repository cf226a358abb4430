//! The inverse writes the app's undo needs for the Preparation side:
//! a meeting planned in error taken off (and put back), a cancellation
//! withdrawn, a referral recorded in error withdrawn (and put back), an
//! agenda put back as it stood before a build or a change by hand, a
//! publication withdrawn. Each is its own committed transaction with its
//! own audit entry, and is refused when it would lose something the panel
//! recorded.

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, params};

use super::minutes::refuse_agenda_change_if_approved;
use super::panel::{MEETING_COLUMNS, audit};
use super::routes::after_publishing_label;
use super::text::*;
use super::{Result, Store, StoreError};
use crate::model::{ChildId, Id, Meeting, MeetingStatus, Referral, ReferralStatus};
use crate::rules::dates::dmy;

/// A meeting's agenda as stored: its items (heard and waiting, in order)
/// and the administrator's choices on it, to put back as they were.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgendaSnapshot {
    pub items: Vec<SnapshotItem>,
    pub choices: Vec<SnapshotChoice>,
}

/// One stored agenda item, every column but its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotItem {
    pub child: ChildId,
    pub position: i64,
    pub listed_under: String,
    /// As stored (a JSON list of sentences).
    pub reasons: String,
    pub waiting: bool,
    pub item_type: String,
}

/// One stored choice on an agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotChoice {
    pub child: ChildId,
    pub pinned: bool,
    pub removed_reason: Option<String>,
    pub added_reason: Option<String>,
}

/// What a table that names a meeting holds for it, in the words a refusal
/// uses; a table not listed is named as it is.
fn held_words(table: &str) -> String {
    match table {
        "attendance" | "attendance_intervals" => "attendance recorded".into(),
        "decisions" => "decisions recorded".into(),
        "actions" => "actions".into(),
        "agenda_items" => "an agenda built".into(),
        "agenda_choices" => "children chosen for its agenda".into(),
        "carry_overs" => "children carried over".into(),
        "papers" => "papers recorded".into(),
        "admin_notes" => "private notes".into(),
        "minutes_approval" | "approved_members" | "approved_minutes_record" => {
            "approved minutes".into()
        }
        "minutes_corrections" => "corrections to its minutes".into(),
        "interest_declarations" => "declarations of interest".into(),
        other => other.replace('_', " "),
    }
}

/// What the panel holds for a meeting (rows in any table that names it,
/// a referral accepted for its day), in words; empty when nothing.
fn held_for_meeting(tx: &rusqlite::Connection, meeting: &Meeting) -> Result<Vec<String>> {
    // Every table with a meeting_id column, so a table added later is
    // counted too.
    let tables: Vec<String> = {
        let mut stmt = tx.prepare(
            "SELECT m.name FROM sqlite_schema m, pragma_table_info(m.name) c
             WHERE m.type = 'table' AND c.name IN ('meeting_id', 'approved_at_meeting')
             GROUP BY m.name ORDER BY m.name",
        )?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut held: Vec<String> = Vec::new();
    for table in tables {
        let columns: Vec<String> = {
            let mut stmt = tx.prepare("SELECT name FROM pragma_table_info(?1)")?;
            stmt.query_map([&table], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let wheres: Vec<&str> = ["meeting_id", "approved_at_meeting"]
            .into_iter()
            .filter(|c| columns.iter().any(|have| have == c))
            .collect();
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM \"{table}\" WHERE {})",
            wheres
                .iter()
                .map(|c| format!("{c} = ?1"))
                .collect::<Vec<_>>()
                .join(" OR ")
        );
        if tx.query_row(&sql, [meeting.id], |r| r.get::<_, bool>(0))? {
            let words = held_words(&table);
            if !held.contains(&words) {
                held.push(words);
            }
        }
    }
    let referred: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM referrals WHERE meeting_asked = ?1)",
        [date(meeting.date)],
        |r| r.get(0),
    )?;
    if referred {
        held.push("referrals for its day".into());
    }
    Ok(held)
}

/// Keeps `id` from being given to another record of `entity` (see
/// `panel::fresh_id`).
fn keep_id(tx: &rusqlite::Connection, entity: &str, id: Id) -> Result<()> {
    tx.execute(
        "INSERT INTO id_high_water(entity, last_id) VALUES (?1, ?2)
         ON CONFLICT(entity) DO UPDATE SET last_id = max(last_id, excluded.last_id)",
        params![entity, id],
    )?;
    Ok(())
}

impl Store {
    /// Takes off meetings planned in error (the undo of planning a year or
    /// adding a sitting), all or none. Refused for a meeting the panel has
    /// recorded anything for (attendance, decisions, an agenda, papers,
    /// approved minutes, a referral for its day ...), or one no longer
    /// planned.
    pub fn remove_planned_meetings(&mut self, meetings: &[Id], at: NaiveDateTime) -> Result<()> {
        let tx = self.write()?;
        for &id in meetings {
            let Some(m) = tx
                .query_row(
                    &format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE id = ?1"),
                    [id],
                    super::panel::meeting_from_row,
                )
                .optional()?
            else {
                return Err(StoreError::Refused(format!(
                    "there is no meeting {id} to take off"
                )));
            };
            if m.status != MeetingStatus::Planned {
                return Err(StoreError::Refused(format!(
                    "the meeting of {} cannot be taken off: it is {} now",
                    dmy(m.date),
                    match m.status {
                        MeetingStatus::Published => "published",
                        MeetingStatus::InProgress => "in progress",
                        MeetingStatus::Closed => "held",
                        MeetingStatus::Cancelled => "cancelled",
                        MeetingStatus::Planned => "planned",
                    }
                )));
            }
            let held = held_for_meeting(&tx, &m)?;
            if !held.is_empty() {
                return Err(StoreError::Refused(format!(
                    "the meeting of {} cannot be taken off: it has {}",
                    dmy(m.date),
                    held.join(", ")
                )));
            }
            keep_id(&tx, "meeting", id)?;
            tx.execute("DELETE FROM meetings WHERE id = ?1", [id])?;
            audit(
                &tx,
                at,
                "meeting",
                &id.to_string(),
                None,
                &format!("meeting planned in error removed ({})", date(m.date)),
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Puts back meetings taken off by an undo (a redo), under their own
    /// ids, as they were. Refused when another meeting is now on the day.
    pub fn restore_meetings(&mut self, meetings: &[Meeting], at: NaiveDateTime) -> Result<()> {
        let tx = self.write()?;
        for m in meetings {
            let clash: Option<Id> = tx
                .query_row(
                    "SELECT id FROM meetings WHERE date = ?1 OR id = ?2",
                    params![date(m.date), m.id],
                    |r| r.get(0),
                )
                .optional()?;
            if clash.is_some() {
                return Err(StoreError::Refused(format!(
                    "there is already a meeting on {}",
                    dmy(m.date)
                )));
            }
            tx.execute(
                "INSERT INTO meetings(id, date, start_time, end_time, status, cancel_reason)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    m.id,
                    date(m.date),
                    time(m.start),
                    time(m.end),
                    m.status.id(),
                    m.cancel_reason
                ],
            )?;
            audit(
                &tx,
                at,
                "meeting",
                &m.id.to_string(),
                None,
                &format!("planned again for {} (the undo taken back)", date(m.date)),
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Withdraws a meeting's cancellation (the undo of cancelling it): it
    /// stands as it did before, `status`. Refused unless it is cancelled.
    pub fn withdraw_cancellation(
        &mut self,
        meeting: Id,
        status: MeetingStatus,
        at: NaiveDateTime,
    ) -> Result<()> {
        if status == MeetingStatus::Cancelled {
            return Err(StoreError::Refused(
                "a cancellation is withdrawn to what the meeting was before".into(),
            ));
        }
        let tx = self.write()?;
        let now: Option<String> = tx
            .query_row(
                "SELECT status FROM meetings WHERE id = ?1",
                [meeting],
                |r| r.get(0),
            )
            .optional()?;
        match now.as_deref() {
            None => {
                return Err(StoreError::Refused(format!(
                    "there is no meeting {meeting}"
                )));
            }
            Some(s) if s != MeetingStatus::Cancelled.id() => {
                return Err(StoreError::Refused("this meeting is not cancelled".into()));
            }
            Some(_) => {}
        }
        tx.execute(
            "UPDATE meetings SET status = ?2, cancel_reason = NULL WHERE id = ?1",
            params![meeting, status.id()],
        )?;
        audit(
            &tx,
            at,
            "meeting",
            &meeting.to_string(),
            None,
            &format!("cancellation withdrawn: {} again", status.id()),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Withdraws a referral recorded in error (the undo of adding it).
    /// Refused once it is accepted or declined.
    pub fn withdraw_referral(&mut self, id: Id, at: NaiveDateTime) -> Result<()> {
        let tx = self.write()?;
        let found: Option<(String, String)> = tx
            .query_row(
                "SELECT child_id, status FROM referrals WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((child, status)) = found else {
            return Err(StoreError::Refused(format!("there is no referral {id}")));
        };
        if status != ReferralStatus::Open.id() {
            return Err(StoreError::Refused(format!(
                "the referral of {child} is {status}: it can no longer be taken off"
            )));
        }
        keep_id(&tx, "referral", id)?;
        tx.execute("DELETE FROM referrals WHERE id = ?1", [id])?;
        audit(
            &tx,
            at,
            "referral",
            &id.to_string(),
            Some(&child),
            "referral recorded in error removed",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Puts back a referral withdrawn by an undo (a redo), under its id.
    pub fn restore_referral(&mut self, r: &Referral, at: NaiveDateTime) -> Result<()> {
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO referrals(id, child_id, made_on, referrer_role, referrer_initials,
                supporter_role, supporter_initials, reason, meeting_asked, status, status_reason,
                item_type)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                r.id,
                r.child,
                date(r.made_on),
                r.referrer_role,
                r.referrer_initials,
                r.supporter_role,
                r.supporter_initials,
                r.reason,
                r.meeting_asked.map(date),
                r.status.id(),
                r.status_reason,
                r.item_type
            ],
        )
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _)
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                StoreError::Refused(format!("referral {} is already held", r.id))
            }
            e => e.into(),
        })?;
        audit(
            &tx,
            at,
            "referral",
            &r.id.to_string(),
            Some(&r.child),
            "referred again (the undo taken back)",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A meeting's agenda as stored now, to put back later.
    pub fn agenda_snapshot(&self, meeting: Id) -> Result<AgendaSnapshot> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT child_id, position, listed_under, reasons, waiting, item_type
             FROM agenda_items WHERE meeting_id = ?1 ORDER BY waiting, position",
        )?;
        let items = stmt
            .query_map([meeting], |r| {
                Ok(SnapshotItem {
                    child: r.get(0)?,
                    position: r.get(1)?,
                    listed_under: r.get(2)?,
                    reasons: r.get(3)?,
                    waiting: r.get(4)?,
                    item_type: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT child_id, pinned, removed_reason, added_reason FROM agenda_choices
             WHERE meeting_id = ?1 ORDER BY rowid",
        )?;
        let choices = stmt
            .query_map([meeting], |r| {
                Ok(SnapshotChoice {
                    child: r.get(0)?,
                    pinned: r.get(1)?,
                    removed_reason: r.get(2)?,
                    added_reason: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(AgendaSnapshot { items, choices })
    }

    /// Puts a meeting's agenda (items and choices) back as `snapshot`
    /// holds it, audited with `what` ("agenda restored to how it stood
    /// before the build"). Refused once the minutes are approved.
    pub fn restore_agenda(
        &mut self,
        meeting: Id,
        snapshot: &AgendaSnapshot,
        what: &str,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        refuse_agenda_change_if_approved(&tx, meeting)?;
        tx.execute("DELETE FROM agenda_items WHERE meeting_id = ?1", [meeting])?;
        tx.execute(
            "DELETE FROM agenda_choices WHERE meeting_id = ?1",
            [meeting],
        )?;
        for i in &snapshot.items {
            tx.execute(
                "INSERT INTO agenda_items(meeting_id, child_id, position, listed_under, reasons, waiting, item_type)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    meeting,
                    i.child,
                    i.position,
                    i.listed_under,
                    i.reasons,
                    i.waiting,
                    i.item_type
                ],
            )?;
        }
        for c in &snapshot.choices {
            tx.execute(
                "INSERT INTO agenda_choices(meeting_id, child_id, pinned, removed_reason, added_reason)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![meeting, c.child, c.pinned, c.removed_reason, c.added_reason],
            )?;
        }
        let label = after_publishing_label(&tx, meeting)?;
        audit(
            &tx,
            at,
            "agenda",
            &meeting.to_string(),
            None,
            &format!("{what}{label}"),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Puts a meeting's publication back as it was: `None` withdraws it
    /// (the agenda can be built again; a published meeting is planned
    /// again), a time is the earlier publication. Refused once the
    /// minutes are approved.
    pub fn restore_publication(
        &mut self,
        meeting: Id,
        published_at: Option<NaiveDateTime>,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        refuse_agenda_change_if_approved(&tx, meeting)?;
        let changed = tx.execute(
            "UPDATE meetings SET published_at = ?2,
                status = CASE
                    WHEN ?2 IS NULL AND status = 'published' THEN 'planned'
                    WHEN ?2 IS NOT NULL AND status = 'planned' THEN 'published'
                    ELSE status END
             WHERE id = ?1",
            params![meeting, published_at.map(datetime)],
        )?;
        if changed == 0 {
            return Err(StoreError::Refused(format!(
                "there is no meeting {meeting}"
            )));
        }
        let what = match published_at {
            None => "publication withdrawn".to_owned(),
            Some(t) => format!("publication back to {}", datetime(t)),
        };
        audit(&tx, at, "agenda", &meeting.to_string(), None, &what)?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveTime};

    use super::*;
    use crate::rules::agenda::{AgendaPlan, PlannedItem};
    use crate::{AgendaChoice, NewReferral};

    fn day(d: u32, m: u32, y: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    fn at(minute: u32) -> NaiveDateTime {
        day(4, 12, 2026).and_hms_opt(9, minute, 0).expect("a time")
    }

    fn hours() -> (NaiveTime, NaiveTime) {
        (
            NaiveTime::from_hms_opt(9, 30, 0).expect("time"),
            NaiveTime::from_hms_opt(13, 0, 0).expect("time"),
        )
    }

    fn add(store: &mut Store, on: NaiveDate) -> Id {
        let (start, end) = hours();
        store.add_meeting(on, start, end, at(0)).expect("meeting")
    }

    fn refused(result: Result<()>) -> String {
        match result {
            Err(StoreError::Refused(why)) => why,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    fn audited(store: &Store, entity: &str) -> Vec<String> {
        store
            .audit_entries()
            .expect("audit")
            .into_iter()
            .filter(|e| e.entity == entity)
            .map(|e| e.change)
            .collect()
    }

    fn referral(child: &str) -> NewReferral {
        NewReferral {
            child: child.into(),
            made_on: day(1, 12, 2026),
            referrer_role: "social worker".into(),
            referrer_initials: "JS".into(),
            supporter_role: "team manager".into(),
            supporter_initials: "AB".into(),
            reason: "Permanence plan needs agreeing".into(),
            meeting_asked: None,
        }
    }

    fn plan(heard: &[&str], waiting: &[&str]) -> AgendaPlan {
        let item = |c: &&str| PlannedItem {
            child: (*c).into(),
            listed_under: "cla-no-plan".into(),
            reasons: vec![format!("reason for {c}")],
            pinned: false,
            due_for_hearing: true,
        };
        AgendaPlan {
            heard: heard.iter().map(item).collect(),
            waiting: waiting.iter().map(item).collect(),
        }
    }

    fn heard(store: &Store, meeting: Id) -> Vec<String> {
        store
            .agenda(meeting)
            .expect("agenda")
            .into_iter()
            .map(|i| i.child)
            .collect()
    }

    #[test]
    fn meetings_planned_in_error_come_off_together_and_back_under_their_ids() {
        let mut store = Store::open_in_memory().expect("store");
        let kept = add(&mut store, day(29, 1, 2027));
        let first = add(&mut store, day(26, 2, 2027));
        let second = add(&mut store, day(26, 3, 2027));
        let planned: Vec<Meeting> = store
            .meetings()
            .expect("meetings")
            .into_iter()
            .filter(|m| m.id != kept)
            .collect();
        store
            .remove_planned_meetings(&[first, second], at(1))
            .expect("taken off");
        let left: Vec<Id> = store
            .meetings()
            .expect("meetings")
            .iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(left, vec![kept]);
        assert_eq!(
            audited(&store, "meeting")
                .iter()
                .filter(|c| c.starts_with("meeting planned in error removed"))
                .count(),
            2
        );
        // The freed ids are never given to the next meeting planned.
        let next = add(&mut store, day(30, 4, 2027));
        assert!(next > second, "{next} reuses a freed id");
        store.restore_meetings(&planned, at(2)).expect("put back");
        let back: Vec<Meeting> = store
            .meetings()
            .expect("meetings")
            .into_iter()
            .filter(|m| m.id == first || m.id == second)
            .collect();
        assert_eq!(back, planned);
        // Twice is refused: they are there.
        let again = refused(store.restore_meetings(&planned, at(3)));
        assert!(again.contains("already a meeting on 26/02/2027"), "{again}");
        // Every row taken off and put back is sealed: the audit checks out.
        let verified = store.verify_audit().expect("verified");
        assert!(verified.findings.is_empty(), "{:?}", verified.findings);
    }

    #[test]
    fn a_meeting_with_anything_recorded_is_not_taken_off_and_none_goes() {
        let mut store = Store::open_in_memory().expect("store");
        let empty = add(&mut store, day(29, 1, 2027));
        let heard = add(&mut store, day(26, 2, 2027));
        store
            .record_decision(heard, "C000101", "Plan agreed", true, at(1))
            .expect("decision");
        let why = refused(store.remove_planned_meetings(&[empty, heard], at(2)));
        assert_eq!(
            why,
            "the meeting of 26/02/2027 cannot be taken off: it has decisions recorded"
        );
        assert_eq!(store.meetings().expect("meetings").len(), 2, "all or none");

        let built = add(&mut store, day(26, 3, 2027));
        store
            .set_agenda_plan(built, &plan(&["C1"], &[]), at(3))
            .expect("built");
        let why = refused(store.remove_planned_meetings(&[built], at(4)));
        assert!(why.ends_with("it has an agenda built"), "{why}");

        let asked = add(&mut store, day(30, 4, 2027));
        let mut r = referral("C2");
        r.meeting_asked = Some(day(30, 4, 2027));
        store.add_referral(&r, at(5)).expect("referral");
        let why = refused(store.remove_planned_meetings(&[asked], at(6)));
        assert!(why.ends_with("it has referrals for its day"), "{why}");

        store
            .cancel_meeting(empty, "Chair unavailable", at(7))
            .expect("cancelled");
        let why = refused(store.remove_planned_meetings(&[empty], at(8)));
        assert!(why.ends_with("it is cancelled now"), "{why}");
    }

    #[test]
    fn a_cancellation_is_withdrawn_to_what_the_meeting_was() {
        let mut store = Store::open_in_memory().expect("store");
        let m = add(&mut store, day(29, 1, 2027));
        let why = refused(store.withdraw_cancellation(m, MeetingStatus::Planned, at(1)));
        assert_eq!(why, "this meeting is not cancelled");
        store.publish_agenda(m, at(2)).expect("published");
        store.cancel_meeting(m, "Snow", at(3)).expect("cancelled");
        store
            .withdraw_cancellation(m, MeetingStatus::Published, at(4))
            .expect("withdrawn");
        let back = store.meeting(m).expect("read").expect("held");
        assert_eq!(
            (back.status, back.cancel_reason),
            (MeetingStatus::Published, None)
        );
        assert!(
            audited(&store, "meeting").contains(&"cancellation withdrawn: published again".into())
        );
    }

    #[test]
    fn a_referral_recorded_in_error_is_withdrawn_only_while_open_and_its_id_kept() {
        let mut store = Store::open_in_memory().expect("store");
        let id = store.add_referral(&referral("C1"), at(0)).expect("added");
        let held = store.referrals().expect("read");
        store.withdraw_referral(id, at(1)).expect("withdrawn");
        assert!(store.referrals().expect("read").is_empty());
        assert!(audited(&store, "referral").contains(&"referral recorded in error removed".into()));
        let other = store.add_referral(&referral("C2"), at(2)).expect("added");
        assert!(other > id, "the withdrawn referral's id was given again");
        store.restore_referral(&held[0], at(3)).expect("back");
        let verified = store.verify_audit().expect("verified");
        assert!(verified.findings.is_empty(), "{:?}", verified.findings);
        let again = store.referrals().expect("read");
        assert_eq!(again.iter().find(|r| r.id == id), Some(&held[0]));
        store
            .decide_referral(id, ReferralStatus::Accepted, None, at(4))
            .expect("accepted");
        let why = refused(store.withdraw_referral(id, at(5)));
        assert_eq!(
            why,
            "the referral of C1 is accepted: it can no longer be taken off"
        );
    }

    #[test]
    fn an_agenda_is_put_back_as_it_stood_with_its_choices_until_the_minutes_are_approved() {
        let mut store = Store::open_in_memory().expect("store");
        let m = add(&mut store, day(27, 11, 2026));
        let later = add(&mut store, day(18, 12, 2026));
        store
            .set_agenda_plan(m, &plan(&["C1", "C2"], &["C3"]), at(1))
            .expect("built");
        store
            .choose_on_agenda(m, "C2", &AgendaChoice::Pin, at(2))
            .expect("pinned");
        let before = store.agenda_snapshot(m).expect("snapshot");
        store
            .set_agenda_plan(m, &plan(&["C9"], &[]), at(3))
            .expect("built again");
        store
            .choose_on_agenda(
                m,
                "C9",
                &AgendaChoice::Add {
                    reason: "asked".into(),
                },
                at(4),
            )
            .expect("added");
        store
            .restore_agenda(
                m,
                &before,
                "agenda restored to how it stood before the build",
                at(5),
            )
            .expect("restored");
        assert_eq!(store.agenda_snapshot(m).expect("snapshot"), before);
        assert_eq!(heard(&store, m), vec!["C1", "C2"]);
        let verified = store.verify_audit().expect("verified");
        assert!(verified.findings.is_empty(), "{:?}", verified.findings);
        assert!(
            audited(&store, "agenda")
                .contains(&"agenda restored to how it stood before the build".into())
        );
        store
            .record_decision(m, "C1", "Plan agreed", true, at(6))
            .expect("decision");
        store.approve_minutes(m, later, at(7)).expect("approved");
        let why = refused(store.restore_agenda(m, &AgendaSnapshot::default(), "emptied", at(8)));
        assert!(why.contains("its agenda can no longer change"), "{why}");
        assert_eq!(heard(&store, m), vec!["C1", "C2"]);
    }

    #[test]
    fn a_publication_is_withdrawn_or_put_back_to_its_earlier_time() {
        let mut store = Store::open_in_memory().expect("store");
        let m = add(&mut store, day(27, 11, 2026));
        let later = add(&mut store, day(18, 12, 2026));
        store.publish_agenda(m, at(1)).expect("published");
        store.publish_agenda(m, at(2)).expect("published again");
        store
            .restore_publication(m, Some(at(1)), at(3))
            .expect("back");
        assert_eq!(store.agenda_published_at(m).expect("read"), Some(at(1)));
        store
            .restore_publication(m, None, at(4))
            .expect("withdrawn");
        assert_eq!(store.agenda_published_at(m).expect("read"), None);
        let status = store.meeting(m).expect("read").expect("held").status;
        assert_eq!(status, MeetingStatus::Planned);
        assert!(audited(&store, "agenda").contains(&"publication withdrawn".into()));
        store.publish_agenda(m, at(5)).expect("published");
        store
            .record_decision(m, "C1", "Plan agreed", true, at(6))
            .expect("decision");
        store.approve_minutes(m, later, at(7)).expect("approved");
        let why = refused(store.restore_publication(m, None, at(8)));
        assert!(why.contains("its agenda can no longer change"), "{why}");
        assert_eq!(store.agenda_published_at(m).expect("read"), Some(at(5)));
    }
}
