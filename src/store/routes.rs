//! How children come to the panel besides the cohorts: referrals and
//! carry-overs; and saving a built agenda (heard and waiting) at once.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::params;

use super::panel::audit;
use super::text::*;
use super::{Result, Store, StoreError};
use crate::model::{ChildId, Id, Referral, ReferralStatus};
use crate::rules::agenda::AgendaPlan;

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
    pub fn add_referral(&mut self, r: &NewReferral, at: NaiveDateTime) -> Result<Id> {
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO referrals(child_id, made_on, referrer_role, referrer_initials, supporter_role,
                supporter_initials, reason, meeting_asked, status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                r.child,
                date(r.made_on),
                r.referrer_role,
                r.referrer_initials,
                r.supporter_role,
                r.supporter_initials,
                r.reason,
                r.meeting_asked.map(date),
                ReferralStatus::Open.id()
            ],
        )?;
        let id = tx.last_insert_rowid();
        audit(
            &tx,
            at,
            "referral",
            &id.to_string(),
            Some(&r.child),
            "referred",
        )?;
        tx.commit()?;
        Ok(id)
    }

    pub fn referrals(&self) -> Result<Vec<Referral>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, child_id, made_on, referrer_role, referrer_initials, supporter_role,
                supporter_initials, reason, meeting_asked, status, status_reason
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
                    status: ReferralStatus::parse(&status)
                        .ok_or_else(|| conversion(&status, "unknown referral status"))?,
                    status_reason: r.get(10)?,
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

    /// The panel carries a child over from this meeting to the next.
    pub fn carry_over(
        &mut self,
        meeting: Id,
        child: &str,
        reason: &str,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
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
    /// before `day`.
    pub fn last_heard_before(&self, day: NaiveDate) -> Result<HashMap<ChildId, NaiveDate>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.child_id, max(m.date) FROM decisions d JOIN meetings m ON m.id = d.meeting_id
             WHERE m.date < ?1 GROUP BY d.child_id",
        )?;
        let rows = stmt
            .query_map([date(day)], |r| {
                Ok((r.get::<_, String>(0)?, parse_date(&r.get::<_, String>(1)?)?))
            })?
            .collect::<rusqlite::Result<HashMap<_, _>>>()?;
        Ok(rows)
    }

    /// Replaces the meeting's agenda with a built plan: the children heard,
    /// then those waiting for the next meeting, in one transaction.
    pub fn set_agenda_plan(
        &mut self,
        meeting: Id,
        plan: &AgendaPlan,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        tx.execute("DELETE FROM agenda_items WHERE meeting_id = ?1", [meeting])?;
        let items = plan
            .heard
            .iter()
            .map(|i| (i, false))
            .chain(plan.waiting.iter().map(|i| (i, true)));
        for (position, (item, waiting)) in items.enumerate() {
            tx.execute(
                "INSERT INTO agenda_items(meeting_id, child_id, position, listed_under, reasons, waiting)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    meeting,
                    item.child,
                    position as i64 + 1,
                    item.listed_under,
                    serde_json::to_string(&item.reasons).unwrap_or_default(),
                    waiting
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
