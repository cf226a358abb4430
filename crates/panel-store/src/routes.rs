//! How children come to the panel besides the cohorts: referrals and
//! carry-overs; and saving a built agenda (heard and waiting) at once.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::params;

use super::minutes::refuse_agenda_change_if_approved;
use super::panel::audit;
use super::text::*;
use super::{Result, Store, StoreError};
use crate::model::{ChildId, Id, Referral, ReferralStatus};
use crate::rules::agenda::AgendaPlan;
use panel_core::terms::items::TRACKING;

/// A referral before it has an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReferral {
    pub child: ChildId,
    pub made_on: NaiveDate,
    pub referrer_role: String,
    pub referrer_initials: String,
    pub supporter_role: String,
    pub supporter_initials: String,
    pub reason: String,
    pub meeting_asked: Option<NaiveDate>,
}

/// A child the panel carried over from a meeting to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarryOver {
    pub meeting: Id,
    pub meeting_date: NaiveDate,
    pub child: ChildId,
    pub reason: String,
}

impl Store {
    /// Records a referral asking for a tracking review.
    pub fn add_referral(&mut self, r: &NewReferral, at: NaiveDateTime) -> Result<Id> {
        self.add_referral_of_type(r, TRACKING, at)
    }

    /// Records a referral asking the panel to hear an item of `item_type`
    /// (an id the caller has checked against the terms).
    pub fn add_referral_of_type(
        &mut self,
        r: &NewReferral,
        item_type: &str,
        at: NaiveDateTime,
    ) -> Result<Id> {
        let tx = self.write()?;
        // Never an id a referral withdrawn by an undo had.
        let id = super::panel::fresh_id(&tx, super::panel::IdKind::Referral)?;
        tx.execute(
            "INSERT INTO referrals(child_id, made_on, referrer_role, referrer_initials, supporter_role,
                supporter_initials, reason, meeting_asked, status, item_type, id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                r.child,
                date(r.made_on),
                r.referrer_role,
                r.referrer_initials,
                r.supporter_role,
                r.supporter_initials,
                r.reason,
                r.meeting_asked.map(date),
                ReferralStatus::Open.id(),
                item_type,
                id
            ],
        )?;
        let change = if item_type == TRACKING {
            "referred".to_owned()
        } else {
            format!("referred for {item_type}")
        };
        audit(
            &tx,
            at,
            "referral",
            &id.to_string(),
            Some(&r.child),
            &change,
        )?;
        tx.commit()?;
        Ok(id)
    }

    pub fn referrals(&self) -> Result<Vec<Referral>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, child_id, made_on, referrer_role, referrer_initials, supporter_role,
                supporter_initials, reason, meeting_asked, status, status_reason, item_type
             FROM referrals ORDER BY made_on, id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                let status: String = r.get(9)?;
                Ok(Referral {
                    id: r.get(0)?,
                    child: r.get(1)?,
                    made_on: parse_date(&r.get::<_, String>(2)?)?,
                    referrer_role: r.get(3)?,
                    referrer_initials: r.get(4)?,
                    supporter_role: r.get(5)?,
                    supporter_initials: r.get(6)?,
                    reason: r.get(7)?,
                    meeting_asked: parse_opt_date(r.get(8)?)?,
                    status: code(&status)?,
                    status_reason: r.get(10)?,
                    item_type: r.get(11)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Accepts or declines a referral; declining needs a reason.
    pub fn decide_referral(
        &mut self,
        id: Id,
        status: ReferralStatus,
        reason: Option<&str>,
        at: NaiveDateTime,
    ) -> Result<()> {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if status == ReferralStatus::Declined && reason.is_none() {
            return Err(StoreError::Refused(
                "a declined referral needs a reason".into(),
            ));
        }
        let tx = self.write()?;
        let changed = tx.execute(
            "UPDATE referrals SET status = ?2, status_reason = ?3 WHERE id = ?1",
            params![id, status.id(), reason],
        )?;
        if changed == 0 {
            return Err(StoreError::Refused(format!("there is no referral {id}")));
        }
        audit(
            &tx,
            at,
            "referral",
            &id.to_string(),
            None,
            &format!(
                "{}{}",
                status.id(),
                reason.map(|r| format!(": {r}")).unwrap_or_default()
            ),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A referral accepted or declined in error back to open, for the
    /// meeting it asked for before (accepting it for another meeting moved
    /// that): one transaction, audited as its own change.
    pub fn reopen_referral(
        &mut self,
        id: Id,
        meeting_asked: Option<NaiveDate>,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        let changed = tx.execute(
            "UPDATE referrals SET status = ?2, status_reason = NULL, meeting_asked = ?3 WHERE id = ?1",
            params![id, ReferralStatus::Open.id(), meeting_asked.map(date)],
        )?;
        if changed == 0 {
            return Err(StoreError::Refused(format!("there is no referral {id}")));
        }
        audit(
            &tx,
            at,
            "referral",
            &id.to_string(),
            None,
            &format!(
                "{} again{}",
                ReferralStatus::Open.id(),
                meeting_asked
                    .map(|day| format!(", for the meeting of {}", date(day)))
                    .unwrap_or_default()
            ),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Sets the meeting a referral is for (the chair accepting it for a
    /// meeting other than the one asked for).
    pub fn set_referral_meeting(
        &mut self,
        id: Id,
        day: NaiveDate,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        let changed = tx.execute(
            "UPDATE referrals SET meeting_asked = ?2 WHERE id = ?1",
            params![id, date(day)],
        )?;
        if changed == 0 {
            return Err(StoreError::Refused(format!("there is no referral {id}")));
        }
        audit(
            &tx,
            at,
            "referral",
            &id.to_string(),
            None,
            &format!("for the meeting of {}", date(day)),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The panel carries a child over from this meeting to the next.
    pub fn carry_over(
        &mut self,
        meeting: Id,
        child: &str,
        reason: &str,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        // Carry-overs are minuted: frozen with approved minutes (migration 15).
        super::minutes::refuse_if_approved(&tx, meeting)?;
        tx.execute(
            "INSERT INTO carry_overs(meeting_id, child_id, reason) VALUES (?1, ?2, ?3)
             ON CONFLICT(meeting_id, child_id) DO UPDATE SET reason = excluded.reason",
            params![meeting, child, reason],
        )?;
        audit(
            &tx,
            at,
            "carry-over",
            &meeting.to_string(),
            Some(child),
            reason,
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn carry_overs(&self) -> Result<Vec<CarryOver>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.meeting_id, m.date, c.child_id, c.reason
             FROM carry_overs c JOIN meetings m ON m.id = c.meeting_id ORDER BY m.date, c.child_id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(CarryOver {
                    meeting: r.get(0)?,
                    meeting_date: parse_date(&r.get::<_, String>(1)?)?,
                    child: r.get(2)?,
                    reason: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// When each child was last heard (a decision recorded) at a meeting
    /// before `day`, counting meetings held before this program that a
    /// tracker import recorded.
    pub fn last_heard_before(&self, day: NaiveDate) -> Result<HashMap<ChildId, NaiveDate>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT child_id, max(heard) FROM (
                 SELECT d.child_id AS child_id, m.date AS heard FROM decisions d
                 JOIN meetings m ON m.id = d.meeting_id WHERE m.date < ?1
                 UNION ALL
                 SELECT child_id, heard_on FROM heard_history WHERE heard_on < ?1)
             GROUP BY child_id",
        )?;
        let rows = stmt
            .query_map([date(day)], |r| {
                Ok((r.get::<_, String>(0)?, parse_date(&r.get::<_, String>(1)?)?))
            })?
            .collect::<rusqlite::Result<HashMap<_, _>>>()?;
        Ok(rows)
    }

    /// Replaces the meeting's agenda with a built plan: the children heard,
    /// then those waiting for the next meeting, in one transaction; every
    /// item a tracking review.
    pub fn set_agenda_plan(
        &mut self,
        meeting: Id,
        plan: &AgendaPlan,
        at: NaiveDateTime,
    ) -> Result<()> {
        self.set_agenda_plan_typed(meeting, plan, &HashMap::new(), at)
    }

    /// Replaces the meeting's agenda with a built plan, each child's item
    /// of the type `item_types` gives (a tracking review when it gives none).
    pub fn set_agenda_plan_typed(
        &mut self,
        meeting: Id,
        plan: &AgendaPlan,
        item_types: &HashMap<ChildId, String>,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        refuse_agenda_change_if_approved(&tx, meeting)?;
        tx.execute("DELETE FROM agenda_items WHERE meeting_id = ?1", [meeting])?;
        let items = plan
            .heard
            .iter()
            .map(|i| (i, false))
            .chain(plan.waiting.iter().map(|i| (i, true)));
        for (position, (item, waiting)) in items.enumerate() {
            tx.execute(
                "INSERT INTO agenda_items(meeting_id, child_id, position, listed_under, reasons, waiting, item_type)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    meeting,
                    item.child,
                    position as i64 + 1,
                    item.listed_under,
                    serde_json::to_string(&item.reasons).unwrap_or_default(),
                    waiting,
                    item_types.get(&item.child).map_or(TRACKING, String::as_str)
                ],
            )?;
        }
        audit(
            &tx,
            at,
            "agenda",
            &meeting.to_string(),
            None,
            &format!(
                "agenda built: {} heard, {} waiting",
                plan.heard.len(),
                plan.waiting.len()
            ),
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// One change the administrator makes to a meeting's agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgendaChoice {
    Pin,
    Unpin,
    Remove { reason: String },
    Add { reason: String },
}

impl Store {
    /// Records a choice on the agenda (kept for every rebuild). On a
    /// published agenda the listed children change at once too, and the
    /// audit log keeps each change.
    pub fn choose_on_agenda(
        &mut self,
        meeting: Id,
        child: &str,
        choice: &AgendaChoice,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        refuse_agenda_change_if_approved(&tx, meeting)?;
        tx.execute(
            "INSERT INTO agenda_choices(meeting_id, child_id) VALUES (?1, ?2)
             ON CONFLICT(meeting_id, child_id) DO NOTHING",
            params![meeting, child],
        )?;
        let (sql, value, what): (&str, Option<&str>, String) = match choice {
            AgendaChoice::Pin => (
                "UPDATE agenda_choices SET pinned = 1",
                None,
                "pinned".into(),
            ),
            AgendaChoice::Unpin => (
                "UPDATE agenda_choices SET pinned = 0",
                None,
                "unpinned".into(),
            ),
            AgendaChoice::Remove { reason } => (
                "UPDATE agenda_choices SET removed_reason = ?3, added_reason = NULL",
                Some(reason),
                format!("removed: {reason}"),
            ),
            AgendaChoice::Add { reason } => (
                "UPDATE agenda_choices SET added_reason = ?3, removed_reason = NULL",
                Some(reason),
                format!("added: {reason}"),
            ),
        };
        if let Some(reason) = value
            && reason.trim().is_empty()
        {
            return Err(StoreError::Refused("say why (a reason is required)".into()));
        }
        let sql = format!("{sql} WHERE meeting_id = ?1 AND child_id = ?2");
        match value {
            Some(v) => tx.execute(&sql, params![meeting, child, v.trim()])?,
            None => tx.execute(&sql, params![meeting, child])?,
        };
        let published: Option<String> = tx.query_row(
            "SELECT published_at FROM meetings WHERE id = ?1",
            [meeting],
            |r| r.get(0),
        )?;
        if published.is_some() {
            match choice {
                AgendaChoice::Remove { .. } => {
                    tx.execute(
                        "DELETE FROM agenda_items WHERE meeting_id = ?1 AND child_id = ?2",
                        params![meeting, child],
                    )?;
                }
                AgendaChoice::Add { reason } => {
                    tx.execute(
                        "INSERT INTO agenda_items(meeting_id, child_id, position, listed_under, reasons, waiting)
                         SELECT ?1, ?2, coalesce(max(position), 0) + 1, 'added', ?3, 0
                         FROM agenda_items WHERE meeting_id = ?1
                         ON CONFLICT(meeting_id, child_id) DO UPDATE SET waiting = 0",
                        params![meeting, child, serde_json::to_string(&[reason.trim()]).unwrap_or_default()],
                    )?;
                }
                AgendaChoice::Pin | AgendaChoice::Unpin => {}
            }
        }
        let label = if published.is_some() {
            " (after publishing)"
        } else {
            ""
        };
        audit(
            &tx,
            at,
            "agenda",
            &meeting.to_string(),
            Some(child),
            &format!("{what}{label}"),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The administrator's choices for the builder.
    pub fn agenda_choices(&self, meeting: Id) -> Result<crate::rules::agenda::AgendaChoices> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT child_id, pinned, removed_reason, added_reason FROM agenda_choices
             WHERE meeting_id = ?1 ORDER BY rowid",
        )?;
        let mut choices = crate::rules::agenda::AgendaChoices::default();
        let rows = stmt.query_map([meeting], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, bool>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        for row in rows {
            let (child, pinned, removed, added) = row?;
            if pinned {
                choices.pinned.insert(child.clone());
            }
            if removed.is_some() {
                choices.removed.insert(child.clone());
            }
            if let Some(reason) = added {
                choices.added.push((child, reason));
            }
        }
        Ok(choices)
    }

    /// Moves a child to `position` (1-based) among the children heard.
    pub fn move_on_agenda(
        &mut self,
        meeting: Id,
        child: &str,
        position: usize,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        refuse_agenda_change_if_approved(&tx, meeting)?;
        let mut order: Vec<String> = {
            let mut stmt = tx.prepare(
                "SELECT child_id FROM agenda_items WHERE meeting_id = ?1 AND waiting = 0 ORDER BY position",
            )?;
            stmt.query_map([meeting], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?
        };
        let Some(from) = order.iter().position(|c| c == child) else {
            return Err(StoreError::Refused(format!(
                "{child} is not among the children heard at this meeting"
            )));
        };
        let moved = order.remove(from);
        let to = position.clamp(1, order.len() + 1) - 1;
        order.insert(to, moved);
        for (i, c) in order.iter().enumerate() {
            tx.execute(
                "UPDATE agenda_items SET position = ?3 WHERE meeting_id = ?1 AND child_id = ?2",
                params![meeting, c, i as i64 + 1],
            )?;
        }
        let label = after_publishing_label(&tx, meeting)?;
        audit(
            &tx,
            at,
            "agenda",
            &meeting.to_string(),
            Some(child),
            &format!("moved to position {}{label}", to + 1),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Publishes (freezes) the agenda: it is no longer rebuilt; later
    /// changes are made one by one and logged.
    pub fn publish_agenda(&mut self, meeting: Id, at: NaiveDateTime) -> Result<()> {
        let tx = self.write()?;
        refuse_agenda_change_if_approved(&tx, meeting)?;
        tx.execute(
            "UPDATE meetings SET published_at = ?2, status = CASE WHEN status = 'planned' THEN 'published' ELSE status END
             WHERE id = ?1",
            params![meeting, datetime(at)],
        )?;
        audit(&tx, at, "agenda", &meeting.to_string(), None, "published")?;
        tx.commit()?;
        Ok(())
    }

    /// Refuses, before any work, a change to the agenda of a meeting whose
    /// minutes are approved (each agenda write refuses it again).
    pub fn refuse_agenda_change(&self, meeting: Id) -> Result<()> {
        refuse_agenda_change_if_approved(&self.conn, meeting)
    }

    pub fn agenda_published_at(&self, meeting: Id) -> Result<Option<NaiveDateTime>> {
        let text: Option<String> = self.conn.query_row(
            "SELECT published_at FROM meetings WHERE id = ?1",
            [meeting],
            |r| r.get(0),
        )?;
        Ok(text.as_deref().map(parse_datetime).transpose()?)
    }
}

impl Store {
    /// Records where one paper for a child at a meeting stands.
    pub fn set_paper_status(
        &mut self,
        meeting: Id,
        child: &str,
        paper: &str,
        status: crate::rules::papers::PaperStatus,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO papers(meeting_id, child_id, paper, status, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(meeting_id, child_id, paper) DO UPDATE SET status = excluded.status,
                updated_at = excluded.updated_at",
            params![meeting, child, paper, status.id(), datetime(at)],
        )?;
        audit(
            &tx,
            at,
            "paper",
            &meeting.to_string(),
            Some(child),
            &format!("{paper}: {}", status.id()),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every recorded paper status of a meeting, by (child, paper).
    pub fn paper_statuses(
        &self,
        meeting: Id,
    ) -> Result<HashMap<(ChildId, String), crate::rules::papers::PaperStatus>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT child_id, paper, status FROM papers WHERE meeting_id = ?1")?;
        let rows = stmt.query_map([meeting], |r| {
            let status: String = r.get(2)?;
            Ok((
                (r.get::<_, String>(0)?, r.get::<_, String>(1)?),
                code(&status)?,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<HashMap<_, _>>>()?)
    }
}

/// " (after publishing)" when meeting `meeting`'s agenda is published, for
/// the audit of a change made to it: the CLI and the app log it so.
pub(super) fn after_publishing_label(
    conn: &rusqlite::Connection,
    meeting: Id,
) -> Result<&'static str> {
    let published: Option<String> = conn.query_row(
        "SELECT published_at FROM meetings WHERE id = ?1",
        [meeting],
        |r| r.get(0),
    )?;
    Ok(if published.is_some() {
        " (after publishing)"
    } else {
        ""
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::agenda::PlannedItem;

    #[test]
    fn the_first_children_waiting_are_read_in_order_with_how_many_wait() {
        let mut store = Store::open_in_memory().expect("store");
        let day = NaiveDate::from_ymd_opt(2027, 1, 29).expect("a date");
        let at = day.and_hms_opt(9, 0, 0).expect("a time");
        let time = |h| chrono::NaiveTime::from_hms_opt(h, 0, 0).expect("a time");
        let meeting = store
            .add_meeting(day, time(9), time(13), at)
            .expect("meeting");
        let item = |child: &str| PlannedItem {
            child: child.to_owned(),
            listed_under: "foster-12m".into(),
            reasons: vec![format!("{child} waits")],
            pinned: false,
            due_for_hearing: true,
        };
        let plan = AgendaPlan {
            heard: vec![item("C1")],
            waiting: vec![item("C2"), item("C3"), item("C4")],
        };
        store.set_agenda_plan(meeting, &plan, at).expect("saved");
        let (first, count) = store.agenda_waiting_first(meeting, 2).expect("read");
        assert_eq!(count, 3);
        let children: Vec<&str> = first.iter().map(|i| i.child.as_str()).collect();
        assert_eq!(children, ["C2", "C3"]);
        assert!(first.iter().all(|i| i.waiting));
        assert_eq!(store.agenda_waiting(meeting).expect("all").len(), 3);
    }
}
