//! What a decision says besides its text (issue 23): its item type and
//! outcome, where a deferral or a referral elsewhere goes and why, the
//! decision-maker's sign-off, members' dissent and the money it commits.
//! Each write is one audited transaction; the outcome is checked by its
//! item type (`ItemType::check_outcome`, the one check) before anything is
//! written. Dissent and money are frozen with approved minutes, as the
//! decision is; a sign-off may come after approval and is marked so.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, Row, params};

use super::minutes::refuse_if_approved;
use super::panel::{audit, write_decision};
use super::text::*;
use super::{Result, Store, StoreError};
use crate::model::{
    ChildId, Decision, FinancialCommitment, Id, MeetingStatus, Outcome, OutcomeRecord,
    PaymentPeriod, Pence, SignOffOutcome,
};
use crate::rules::dates::dmy;
use panel_core::terms::ItemType;

/// The decision-maker's word on a recommendation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOff {
    /// The decision-maker's title as the decision awaited it ("Head of Service").
    pub by: String,
    pub on: NaiveDate,
    pub outcome: SignOffOutcome,
    pub note: Option<String>,
    /// Recorded after the meeting's minutes were approved: the approved
    /// minutes, frozen, do not show it.
    pub after_approval: bool,
}

/// A member's dissent from a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dissent {
    pub member: Id,
    /// The member's job title when the dissent was recorded.
    pub member_title: String,
    pub view: String,
}

/// A decision's outcome and what goes with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionOutcome {
    pub decision: Id,
    /// The item type's id (`tracking` for a decision recorded before item types).
    pub item_type: String,
    /// `None` for a decision recorded before outcomes.
    pub outcome: Option<Outcome>,
    /// The date of the meeting a deferral goes to.
    pub deferred_to: Option<NaiveDate>,
    pub referred_to: Option<String>,
    /// Why it was deferred or referred elsewhere.
    pub reason: Option<String>,
    /// Whose sign-off the decision waits for (a title), where it does.
    pub sign_off_by: Option<String>,
    pub sign_off: Option<SignOff>,
    pub commitment: Option<FinancialCommitment>,
    pub dissents: Vec<Dissent>,
}

impl DecisionOutcome {
    /// Still waiting for the decision-maker.
    pub fn awaits_sign_off(&self) -> bool {
        self.sign_off_by.is_some() && self.sign_off.is_none()
    }
}

/// A decision's text as the panel gives it, before it is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewDecision<'a> {
    pub meeting: Id,
    pub child: &'a str,
    pub text: &'a str,
    /// Whether the meeting was quorate when it was taken.
    pub quorate: bool,
    /// The item's quorum in words as it stood (naming any who withdrew).
    pub quorum: Option<&'a str>,
}

/// A decision waiting for sign-off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSignOff {
    pub decision: Id,
    pub child: ChildId,
    pub meeting_date: NaiveDate,
    pub item_type: String,
    pub outcome: Outcome,
    pub decided_by: String,
}

/// Money a decision committed, with what the Budget Scrutiny report needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommittedMoney {
    pub decision: Id,
    pub child: ChildId,
    pub meeting_date: NaiveDate,
    pub item_type: String,
    pub outcome: Outcome,
    pub commitment: FinancialCommitment,
    /// The decision-maker's word, where the decision waited for it.
    pub sign_off: Option<SignOffOutcome>,
    /// Whether it still waits for sign-off.
    pub awaiting_sign_off: bool,
}

impl CommittedMoney {
    /// The money stands: not disagreed by the decision-maker. (A
    /// recommendation still awaiting sign-off is counted as committed,
    /// and the report says how much of it waits.)
    pub fn stands(&self) -> bool {
        self.sign_off != Some(SignOffOutcome::Disagree)
    }
}

const OUTCOME_COLUMNS: &str =
    "d.id, d.item_type, d.outcome, dm.date, d.referred_to, d.outcome_reason,
    d.sign_off_by, s.signed_by, s.signed_on, s.outcome, s.note, s.after_approval,
    f.allowance, f.amount_pence, f.period";

const OUTCOME_FROM: &str = "decisions d
    LEFT JOIN meetings dm ON dm.id = d.deferred_to
    LEFT JOIN decision_sign_offs s ON s.decision_id = d.id
    LEFT JOIN financial_commitments f ON f.decision_id = d.id";

fn outcome_from_row(r: &Row<'_>) -> rusqlite::Result<DecisionOutcome> {
    let sign_off = match r.get::<_, Option<String>>(7)? {
        Some(by) => Some(SignOff {
            by,
            on: parse_date(&r.get::<_, String>(8)?)?,
            outcome: code(&r.get::<_, String>(9)?)?,
            note: r.get(10)?,
            after_approval: r.get(11)?,
        }),
        None => None,
    };
    let commitment = match r.get::<_, Option<String>>(12)? {
        Some(allowance) => Some(FinancialCommitment {
            allowance,
            amount: Pence(r.get(13)?),
            period: code::<PaymentPeriod>(&r.get::<_, String>(14)?)?,
        }),
        None => None,
    };
    Ok(DecisionOutcome {
        decision: r.get(0)?,
        item_type: r.get(1)?,
        outcome: opt_code(r.get::<_, Option<String>>(2)?.as_deref())?,
        deferred_to: parse_opt_date(r.get(3)?)?,
        referred_to: r.get(4)?,
        reason: r.get(5)?,
        sign_off_by: r.get(6)?,
        sign_off,
        commitment,
        dissents: Vec::new(),
    })
}

fn meeting_of_decision(
    conn: &rusqlite::Connection,
    decision: Id,
) -> Result<(Id, NaiveDate, String)> {
    conn.query_row(
        "SELECT d.meeting_id, m.date, d.child_id FROM decisions d JOIN meetings m ON m.id = d.meeting_id
         WHERE d.id = ?1",
        [decision],
        |r| Ok((r.get(0)?, parse_date(&r.get::<_, String>(1)?)?, r.get(2)?)),
    )
    .optional()?
    .ok_or_else(|| StoreError::Refused(format!("there is no decision {decision}")))
}

/// The meeting on `day` that is not cancelled, where a deferral can go.
fn meeting_not_cancelled_on(conn: &rusqlite::Connection, day: NaiveDate) -> Result<Option<Id>> {
    Ok(conn
        .query_row(
            "SELECT id FROM meetings WHERE date = ?1 AND status != ?2",
            params![date(day), MeetingStatus::Cancelled.id()],
            |r| r.get(0),
        )
        .optional()?)
}

/// Puts decision `decision`'s outcome back to `previous` (no outcome:
/// `None`), in the caller's transaction (the app's undo of an outcome
/// recorded in the session): its type, outcome, deferral, referral,
/// decision-maker awaited and money, as they were. Refused where a
/// sign-off stands and the outcome or type would change; its dissent is
/// left as it is.
pub(crate) fn restore_outcome_in(
    tx: &rusqlite::Transaction<'_>,
    decision: Id,
    child: &str,
    previous: Option<&DecisionOutcome>,
    at: NaiveDateTime,
) -> Result<()> {
    let now: (String, Option<String>) = tx.query_row(
        "SELECT item_type, outcome FROM decisions WHERE id = ?1",
        [decision],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (item_type, outcome) = match previous {
        Some(o) => (o.item_type.clone(), o.outcome.map(|o| o.id().to_owned())),
        None => (panel_core::terms::items::TRACKING.to_owned(), None),
    };
    if let Some((by, on)) = tx
        .query_row(
            "SELECT signed_by, signed_on FROM decision_sign_offs WHERE decision_id = ?1",
            [decision],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?
        && (now.0 != item_type || now.1 != outcome)
    {
        return Err(StoreError::Refused(format!(
            "the {by} signed this decision off on {}: its outcome stands as signed off",
            dmy(parse_date(&on)?)
        )));
    }
    let deferred_to: Option<Id> = match previous.and_then(|o| o.deferred_to) {
        None => None,
        Some(day) => Some(meeting_not_cancelled_on(tx, day)?.ok_or_else(|| {
            StoreError::Refused(format!(
                "no meeting is planned on {} any more: the deferral cannot be put back",
                dmy(day)
            ))
        })?),
    };
    tx.execute(
        "UPDATE decisions SET item_type = ?2, outcome = ?3, deferred_to = ?4, referred_to = ?5,
            outcome_reason = ?6, sign_off_by = ?7 WHERE id = ?1",
        params![
            decision,
            item_type,
            outcome,
            deferred_to,
            previous.and_then(|o| o.referred_to.as_deref()),
            previous.and_then(|o| o.reason.as_deref()),
            previous.and_then(|o| o.sign_off_by.as_deref())
        ],
    )?;
    tx.execute(
        "DELETE FROM financial_commitments WHERE decision_id = ?1",
        [decision],
    )?;
    if let Some(money) = previous.and_then(|o| o.commitment.as_ref()) {
        tx.execute(
            "INSERT INTO financial_commitments(decision_id, child_id, allowance, amount_pence, period)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![decision, child, money.allowance, money.amount.0, money.period.id()],
        )?;
    }
    let change = serde_json::json!({
        "undo": true,
        "item_type": item_type,
        "outcome": outcome,
        "deferred_to": previous.and_then(|o| o.deferred_to).map(date),
        "money": previous.and_then(|o| o.commitment.as_ref()).map(FinancialCommitment::words),
    })
    .to_string();
    audit(
        tx,
        at,
        "decision",
        &decision.to_string(),
        Some(child),
        &change,
    )?;
    Ok(())
}

impl Store {
    /// Records (or replaces) the decision on `child` at `meeting` with its
    /// outcome, checked against `item` (the type `record` names). A
    /// deferral goes to a meeting planned on its date; a decision already
    /// signed off keeps its outcome. Its money is replaced by what
    /// `record` gives; its dissent stays.
    pub fn record_decision_with_outcome(
        &mut self,
        decision: &NewDecision<'_>,
        item: &ItemType,
        record: &OutcomeRecord,
        at: NaiveDateTime,
    ) -> Result<Id> {
        let NewDecision {
            meeting,
            child,
            text: text_,
            quorate,
            quorum,
        } = *decision;
        if item.id != record.item_type {
            return Err(StoreError::Refused(format!(
                "the outcome names the item type '{}', not '{}'",
                record.item_type, item.id
            )));
        }
        let tx = self.write()?;
        refuse_if_approved(&tx, meeting)?;
        let heard: NaiveDate = tx
            .query_row("SELECT date FROM meetings WHERE id = ?1", [meeting], |r| {
                parse_date(&r.get::<_, String>(0)?)
            })
            .optional()?
            .ok_or_else(|| StoreError::Refused(format!("there is no meeting {meeting}")))?;
        item.check_outcome(record, heard)
            .map_err(StoreError::Refused)?;
        let deferred_to: Option<Id> = match record.deferred_to {
            None => None,
            Some(day) => Some(meeting_not_cancelled_on(&tx, day)?.ok_or_else(|| {
                    StoreError::Refused(format!(
                        "no meeting is planned on {}: a deferral goes to a planned meeting (plan it first)",
                        dmy(day)
                    ))
                })?,
            ),
        };
        let signed: Option<(String, String, Option<String>, String)> = tx
            .query_row(
                "SELECT s.signed_by, s.signed_on, d.outcome, d.item_type FROM decision_sign_offs s
                 JOIN decisions d ON d.id = s.decision_id
                 WHERE d.meeting_id = ?1 AND d.child_id = ?2",
                params![meeting, child],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        if let Some((by, on, outcome, item_type)) = signed
            && (outcome.as_deref() != Some(record.outcome.id()) || item_type != record.item_type)
        {
            return Err(StoreError::Refused(format!(
                "the {by} signed this decision off on {}: its outcome stands as signed off",
                dmy(parse_date(&on)?)
            )));
        }
        let (id, old) = write_decision(&tx, meeting, child, text_, quorate, quorum, at)?;
        let sign_off_by = item
            .awaits_sign_off(record.outcome)
            .then(|| item.decided_by.clone())
            .flatten();
        let reason = record.reason.as_deref().map(str::trim);
        let referred_to = record.referred_to.as_deref().map(str::trim);
        tx.execute(
            "UPDATE decisions SET item_type = ?2, outcome = ?3, deferred_to = ?4, referred_to = ?5,
                outcome_reason = ?6, sign_off_by = ?7 WHERE id = ?1",
            params![
                id,
                record.item_type,
                record.outcome.id(),
                deferred_to,
                referred_to,
                reason,
                sign_off_by
            ],
        )?;
        tx.execute(
            "DELETE FROM financial_commitments WHERE decision_id = ?1",
            [id],
        )?;
        if let Some(money) = &record.commitment {
            tx.execute(
                "INSERT INTO financial_commitments(decision_id, child_id, allowance, amount_pence, period)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, child, money.allowance.trim(), money.amount.0, money.period.id()],
            )?;
        }
        let change = serde_json::json!({
            "old": old,
            "new": text_,
            "quorate": quorate,
            "item_type": record.item_type,
            "outcome": record.outcome.id(),
            "deferred_to": record.deferred_to.map(date),
            "referred_to": referred_to,
            "reason": reason,
            "awaits_sign_off_by": sign_off_by,
            "money": record.commitment.as_ref().map(FinancialCommitment::words),
        })
        .to_string();
        audit(&tx, at, "decision", &id.to_string(), Some(child), &change)?;
        tx.commit()?;
        Ok(id)
    }

    /// The outcomes of the decisions at `meeting`, by decision id.
    pub fn decision_outcomes(&self, meeting: Id) -> Result<HashMap<Id, DecisionOutcome>> {
        self.outcomes_where("d.meeting_id = ?1", meeting.to_string())
    }

    /// The outcomes of every decision on `child`, by decision id.
    pub fn decision_outcomes_for_child(&self, child: &str) -> Result<HashMap<Id, DecisionOutcome>> {
        self.outcomes_where("d.child_id = ?1", child.to_owned())
    }

    /// One decision with its outcome.
    pub fn decision_with_outcome(
        &self,
        decision: Id,
    ) -> Result<Option<(Decision, DecisionOutcome)>> {
        let meeting: Option<Id> = self
            .conn
            .query_row(
                "SELECT meeting_id FROM decisions WHERE id = ?1",
                [decision],
                |r| r.get(0),
            )
            .optional()?;
        let Some(meeting) = meeting else {
            return Ok(None);
        };
        let found = self
            .decisions(meeting)?
            .into_iter()
            .find(|d| d.id == decision);
        let mut outcomes = self.outcomes_where("d.id = ?1", decision.to_string())?;
        Ok(found.zip(outcomes.remove(&decision)))
    }

    fn outcomes_where(&self, filter: &str, value: String) -> Result<HashMap<Id, DecisionOutcome>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {OUTCOME_COLUMNS} FROM {OUTCOME_FROM} WHERE {filter}"
        ))?;
        let mut found: HashMap<Id, DecisionOutcome> = stmt
            .query_map([&value], outcome_from_row)?
            .map(|o| o.map(|o| (o.decision, o)))
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT x.decision_id, x.member_id, x.member_title, x.view
             FROM decision_dissents x JOIN decisions d ON d.id = x.decision_id
             WHERE {filter} ORDER BY x.recorded_at, x.member_id"
        ))?;
        let dissents = stmt.query_map([&value], |r| {
            Ok((
                r.get::<_, Id>(0)?,
                Dissent {
                    member: r.get(1)?,
                    member_title: r.get(2)?,
                    view: r.get(3)?,
                },
            ))
        })?;
        for row in dissents {
            let (decision, dissent) = row?;
            if let Some(o) = found.get_mut(&decision) {
                o.dissents.push(dissent);
            }
        }
        Ok(found)
    }

    /// Records the decision-maker's sign-off of decision `decision`: `by`
    /// must be the title the decision waits for (any case), `on` no
    /// earlier than the meeting. Refused when the decision waits for
    /// nobody, or was signed off already. After the minutes are approved
    /// it is recorded as made after approval.
    pub fn sign_off_decision(
        &mut self,
        decision: Id,
        by: &str,
        on: NaiveDate,
        outcome: SignOffOutcome,
        note: Option<&str>,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        let (meeting, heard, child) = meeting_of_decision(&tx, decision)?;
        let (awaited, outcome_now): (Option<String>, Option<String>) = tx.query_row(
            "SELECT sign_off_by, outcome FROM decisions WHERE id = ?1",
            [decision],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let Some(awaited) = awaited else {
            let what = match opt_code::<Outcome>(outcome_now.as_deref())? {
                Some(o) => format!("is {}", o.words()),
                None => "has no outcome recorded".to_owned(),
            };
            return Err(StoreError::Refused(format!(
                "decision {decision} (heard on {}) waits for no sign-off: it {what}, and its item is decided by the panel",
                dmy(heard)
            )));
        };
        if !by.trim().eq_ignore_ascii_case(awaited.trim()) {
            return Err(StoreError::Refused(format!(
                "decision {decision} is signed off by the {awaited}, not '{}'",
                by.trim()
            )));
        }
        if let Some((who, when)) = tx
            .query_row(
                "SELECT signed_by, signed_on FROM decision_sign_offs WHERE decision_id = ?1",
                [decision],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()?
        {
            return Err(StoreError::Refused(format!(
                "decision {decision} was signed off by the {who} on {} already",
                dmy(parse_date(&when)?)
            )));
        }
        if on < heard {
            return Err(StoreError::Refused(format!(
                "a sign-off comes after the meeting: {} is before {}",
                dmy(on),
                dmy(heard)
            )));
        }
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        let after_approval: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM minutes_approval WHERE meeting_id = ?1)",
            [meeting],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO decision_sign_offs(decision_id, child_id, signed_by, signed_on, outcome, note,
                after_approval, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                decision,
                child,
                awaited,
                date(on),
                outcome.id(),
                note,
                after_approval,
                datetime(at)
            ],
        )?;
        let change = serde_json::json!({
            "signed_off_by": awaited,
            "on": date(on),
            "outcome": outcome.id(),
            "note": note,
            "after_approval": after_approval,
        })
        .to_string();
        audit(
            &tx,
            at,
            "sign-off",
            &decision.to_string(),
            Some(&child),
            &change,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Records (or replaces) member `member`'s dissent from decision
    /// `decision`, with their view; refused once the minutes are approved.
    pub fn record_dissent(
        &mut self,
        decision: Id,
        member: Id,
        view: &str,
        at: NaiveDateTime,
    ) -> Result<()> {
        let view = view.trim();
        if view.is_empty() {
            return Err(StoreError::Refused(
                "a dissent needs the member's view".into(),
            ));
        }
        let tx = self.write()?;
        let (meeting, _, child) = meeting_of_decision(&tx, decision)?;
        refuse_if_approved(&tx, meeting)?;
        let title: String = tx
            .query_row(
                "SELECT job_title FROM members WHERE id = ?1",
                [member],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::Refused(format!("there is no member {member}")))?;
        tx.execute(
            "INSERT INTO decision_dissents(decision_id, member_id, child_id, member_title, view, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(decision_id, member_id) DO UPDATE SET view = excluded.view,
                member_title = excluded.member_title, recorded_at = excluded.recorded_at",
            params![decision, member, child, title, view, datetime(at)],
        )?;
        let change =
            serde_json::json!({ "member": member, "title": title, "view": view }).to_string();
        audit(
            &tx,
            at,
            "dissent",
            &decision.to_string(),
            Some(&child),
            &change,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Takes back member `member`'s dissent from decision `decision` (the
    /// app's undo); refused once the minutes are approved.
    pub fn withdraw_dissent(&mut self, decision: Id, member: Id, at: NaiveDateTime) -> Result<()> {
        let tx = self.write()?;
        let (meeting, _, child) = meeting_of_decision(&tx, decision)?;
        refuse_if_approved(&tx, meeting)?;
        let removed = tx.execute(
            "DELETE FROM decision_dissents WHERE decision_id = ?1 AND member_id = ?2",
            params![decision, member],
        )?;
        if removed == 0 {
            return Err(StoreError::Refused(format!(
                "member {member} has no dissent recorded on decision {decision}"
            )));
        }
        let change = serde_json::json!({ "member": member, "withdrawn": true }).to_string();
        audit(
            &tx,
            at,
            "dissent",
            &decision.to_string(),
            Some(&child),
            &change,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Takes back the sign-off of decision `decision` (the app's undo): it
    /// waits for its decision-maker again. Refused once the minutes that
    /// show the sign-off are approved; a sign-off recorded after approval
    /// is not in them and may be taken back.
    pub fn withdraw_sign_off(&mut self, decision: Id, at: NaiveDateTime) -> Result<()> {
        let tx = self.write()?;
        let (meeting, _, child) = meeting_of_decision(&tx, decision)?;
        let after_approval: Option<bool> = tx
            .query_row(
                "SELECT after_approval FROM decision_sign_offs WHERE decision_id = ?1",
                [decision],
                |r| r.get(0),
            )
            .optional()?;
        let Some(after_approval) = after_approval else {
            return Err(StoreError::Refused(format!(
                "decision {decision} has no sign-off to take back"
            )));
        };
        if !after_approval {
            refuse_if_approved(&tx, meeting)?;
        }
        tx.execute(
            "DELETE FROM decision_sign_offs WHERE decision_id = ?1",
            [decision],
        )?;
        let change = serde_json::json!({ "withdrawn": true }).to_string();
        audit(
            &tx,
            at,
            "sign-off",
            &decision.to_string(),
            Some(&child),
            &change,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every decision waiting for its decision-maker, oldest meeting first.
    pub fn pending_sign_offs(&self) -> Result<Vec<PendingSignOff>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.child_id, m.date, d.item_type, d.outcome, d.sign_off_by
             FROM decisions d JOIN meetings m ON m.id = d.meeting_id
             WHERE d.sign_off_by IS NOT NULL AND d.outcome IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM decision_sign_offs s WHERE s.decision_id = d.id)
             ORDER BY m.date, d.id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(PendingSignOff {
                    decision: r.get(0)?,
                    child: r.get(1)?,
                    meeting_date: parse_date(&r.get::<_, String>(2)?)?,
                    item_type: r.get(3)?,
                    outcome: code(&r.get::<_, String>(4)?)?,
                    decided_by: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The money committed by decisions at meetings from `from` to `to`
    /// (inclusive), by meeting date.
    pub fn committed_money(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<CommittedMoney>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.child_id, m.date, d.item_type, d.outcome, f.allowance, f.amount_pence,
                    f.period, s.outcome, d.sign_off_by IS NOT NULL AND s.decision_id IS NULL
             FROM financial_commitments f
             JOIN decisions d ON d.id = f.decision_id
             JOIN meetings m ON m.id = d.meeting_id
             LEFT JOIN decision_sign_offs s ON s.decision_id = d.id
             WHERE m.date BETWEEN ?1 AND ?2 AND d.outcome IS NOT NULL
             ORDER BY m.date, d.id",
        )?;
        let rows = stmt
            .query_map(params![date(from), date(to)], |r| {
                Ok(CommittedMoney {
                    decision: r.get(0)?,
                    child: r.get(1)?,
                    meeting_date: parse_date(&r.get::<_, String>(2)?)?,
                    item_type: r.get(3)?,
                    outcome: code(&r.get::<_, String>(4)?)?,
                    commitment: FinancialCommitment {
                        allowance: r.get(5)?,
                        amount: Pence(r.get(6)?),
                        period: code(&r.get::<_, String>(7)?)?,
                    },
                    sign_off: opt_code(r.get::<_, Option<String>>(8)?.as_deref())?,
                    awaiting_sign_off: r.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The item type of each child's item on a meeting's agenda (children
    /// listed before item types: `tracking`).
    pub fn agenda_item_types(&self, meeting: Id) -> Result<HashMap<ChildId, String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT child_id, item_type FROM agenda_items WHERE meeting_id = ?1")?;
        let rows = stmt
            .query_map([meeting], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<HashMap<_, _>>>()?;
        Ok(rows)
    }

    /// Children deferred by the panel: (the meeting deferring, its date,
    /// the child, the meeting deferred to, its date, the reason, the item type).
    pub fn deferrals(&self) -> Result<Vec<Deferral>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.meeting_id, m.date, d.child_id, d.deferred_to, t.date, d.outcome_reason, d.item_type
             FROM decisions d JOIN meetings m ON m.id = d.meeting_id JOIN meetings t ON t.id = d.deferred_to
             WHERE d.outcome = ?1 ORDER BY t.date, m.date, d.child_id",
        )?;
        let rows = stmt
            .query_map([Outcome::Deferred.id()], |r| {
                Ok(Deferral {
                    from_meeting: r.get(0)?,
                    from_date: parse_date(&r.get::<_, String>(1)?)?,
                    child: r.get(2)?,
                    to_meeting: r.get(3)?,
                    to_date: parse_date(&r.get::<_, String>(4)?)?,
                    reason: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                    item_type: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

/// A child the panel deferred to a later meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deferral {
    pub from_meeting: Id,
    pub from_date: NaiveDate,
    pub child: ChildId,
    pub to_meeting: Id,
    pub to_date: NaiveDate,
    pub reason: String,
    /// The item deferred keeps its type when it is heard again.
    pub item_type: String,
}

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;

    use super::*;
    use crate::model::MemberKind;
    use crate::{Leaver, NewMember};
    use panel_core::terms::Terms;

    fn day(d: u32, m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("a date")
    }

    fn at(d: NaiveDate) -> NaiveDateTime {
        d.and_hms_opt(11, 0, 0).expect("a time")
    }

    /// Knowsley's item types, and a store with meetings on 17/11/2026 and
    /// 15/12/2026 and a Service Manager; gives (store, terms, november,
    /// december, member).
    fn knowsley() -> (Store, Terms, Id, Id, Id) {
        let terms = Terms::load("knowsley").expect("preset");
        let mut store = Store::open_in_memory().expect("store");
        let (ten, one) = (
            NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
            NaiveTime::from_hms_opt(13, 0, 0).expect("time"),
        );
        let nov = store
            .add_meeting(day(17, 11), ten, one, at(day(1, 11)))
            .expect("meeting");
        let dec = store
            .add_meeting(day(15, 12), ten, one, at(day(1, 11)))
            .expect("meeting");
        let member = store
            .add_member(
                &NewMember {
                    role: "service-manager-fostering".into(),
                    job_title: "Service Manager – Fostering".into(),
                    name: None,
                    kind: MemberKind::Standing,
                    substitute_for: None,
                },
                at(day(1, 11)),
            )
            .expect("member");
        (store, terms, nov, dec, member)
    }

    fn record(item_type: &str, outcome: Outcome) -> OutcomeRecord {
        OutcomeRecord {
            item_type: item_type.into(),
            outcome,
            deferred_to: None,
            referred_to: None,
            reason: None,
            commitment: None,
        }
    }

    fn sgo_money() -> FinancialCommitment {
        FinancialCommitment {
            allowance: "Special Guardianship allowance".into(),
            amount: Pence(24_550),
            period: PaymentPeriod::Weekly,
        }
    }

    /// A decision taken at `meeting` while it was quorate, with nobody
    /// withdrawn to name: the set-up every test here records.
    fn quorate<'a>(meeting: Id, child: &'a str, text: &'a str) -> NewDecision<'a> {
        NewDecision {
            meeting,
            child,
            text,
            quorate: true,
            quorum: None,
        }
    }

    /// C3's SGO support plan recommended at `meeting` with a weekly allowance.
    fn recommend_with_allowance(store: &mut Store, terms: &Terms, meeting: Id) -> Id {
        let sgo = terms.item_type("sgo-cao-support-plan").expect("type");
        let mut recommended = record("sgo-cao-support-plan", Outcome::Recommended);
        recommended.commitment = Some(sgo_money());
        let decision = quorate(meeting, "C3", "Support plan recommended.");
        store
            .record_decision_with_outcome(&decision, sgo, &recommended, at(day(17, 11)))
            .expect("recorded")
    }

    /// C3's recommendation at `meeting`, with `member`'s dissent, agreed
    /// by the Head of Service on `signed_on`: a decision with everything
    /// that goes with it.
    fn recommended_dissented_and_signed(
        store: &mut Store,
        terms: &Terms,
        meeting: Id,
        member: Id,
        signed_on: NaiveDate,
    ) -> Id {
        let id = recommend_with_allowance(store, terms, meeting);
        store
            .record_dissent(id, member, "Too low.", at(day(17, 11)))
            .expect("dissent");
        head_of_service_agrees(store, id, signed_on).expect("signed");
        id
    }

    /// The Head of Service agrees decision `id` on `on` (recorded that day).
    fn head_of_service_agrees(store: &mut Store, id: Id, on: NaiveDate) -> Result<()> {
        store.sign_off_decision(
            id,
            "Head of Service",
            on,
            SignOffOutcome::Agree,
            None,
            at(on),
        )
    }

    /// Why the store refused, or a failed test naming what it did instead.
    fn refusal<T: std::fmt::Debug>(result: &Result<T>) -> &str {
        match result {
            Err(StoreError::Refused(why)) => why,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    /// The store refused, with `words` in its reason.
    fn assert_refused_for<T: std::fmt::Debug>(result: &Result<T>, words: &str) {
        let why = refusal(result);
        assert!(why.contains(words), "refused for another reason: {why}");
    }

    /// No sign-off, dissent or money is left in the store, and no money
    /// is reported as committed.
    fn assert_nothing_goes_with_a_decision(store: &Store) {
        assert!(
            store
                .committed_money(day(1, 1), day(31, 12))
                .expect("money")
                .is_empty()
        );
        for table in [
            "decision_sign_offs",
            "decision_dissents",
            "financial_commitments",
        ] {
            let left: i64 = store
                .conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .expect("count");
            assert_eq!(left, 0, "{table}");
        }
    }

    #[test]
    fn an_outcome_the_type_does_not_allow_is_refused_and_nothing_is_written() {
        let (mut store, terms, nov, _, _) = knowsley();
        let funding = terms.item_type("funding-request").expect("type");
        let refused = store.record_decision_with_outcome(
            &quorate(nov, "C1", "Funding endorsed."),
            funding,
            &record("funding-request", Outcome::Endorsed),
            at(day(17, 11)),
        );
        assert_eq!(
            refusal(&refused),
            "a Funding request cannot be endorsed: its outcomes are approved, declined or deferred"
        );
        assert!(store.decisions(nov).expect("read").is_empty());
        // Money on a tracking review is refused the same way.
        let mut money = record("tracking", Outcome::Endorsed);
        money.commitment = Some(sgo_money());
        let refused = store.record_decision_with_outcome(
            &quorate(nov, "C1", "Plan endorsed."),
            terms.item_type("tracking").expect("type"),
            &money,
            at(day(17, 11)),
        );
        assert_refused_for(&refused, "records no money");
    }

    #[test]
    fn a_deferral_goes_to_a_planned_later_meeting_and_is_listed_with_its_reason() {
        let (mut store, terms, nov, dec, _) = knowsley();
        let tracking = terms.item_type("tracking").expect("type");
        let mut deferred = record("tracking", Outcome::Deferred);
        deferred.reason = Some("The life story work is not finished.".into());
        deferred.deferred_to = Some(day(22, 12));
        let refused = store.record_decision_with_outcome(
            &quorate(nov, "C2", "Deferred."),
            tracking,
            &deferred,
            at(day(17, 11)),
        );
        assert_refused_for(&refused, "no meeting is planned on 22/12/2026");
        deferred.deferred_to = Some(day(15, 12));
        let id = store
            .record_decision_with_outcome(
                &quorate(nov, "C2", "Deferred."),
                tracking,
                &deferred,
                at(day(17, 11)),
            )
            .expect("recorded");
        let outcome = &store.decision_outcomes(nov).expect("read")[&id];
        assert_eq!(outcome.outcome, Some(Outcome::Deferred));
        assert_eq!(outcome.deferred_to, Some(day(15, 12)));
        assert!(!outcome.awaits_sign_off());
        let listed = store.deferrals().expect("deferrals");
        assert_eq!(listed.len(), 1);
        assert_eq!(
            (
                listed[0].child.as_str(),
                listed[0].to_meeting,
                listed[0].reason.as_str()
            ),
            ("C2", dec, "The life story work is not finished.")
        );
    }

    #[test]
    fn a_recommendation_waits_for_the_named_decision_maker_once() {
        let (mut store, terms, nov, _, _) = knowsley();
        let sgo = terms.item_type("sgo-cao-support-plan").expect("type");
        let id = recommend_with_allowance(&mut store, &terms, nov);
        let pending = store.pending_sign_offs().expect("pending");
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].decided_by, "Head of Service");
        assert_eq!(pending[0].meeting_date, day(17, 11));

        let wrong = store.sign_off_decision(
            id,
            "Service Manager",
            day(18, 11),
            SignOffOutcome::Agree,
            None,
            at(day(18, 11)),
        );
        assert_eq!(
            refusal(&wrong),
            format!("decision {id} is signed off by the Head of Service, not 'Service Manager'")
        );
        let early = store.sign_off_decision(
            id,
            "head of service",
            day(16, 11),
            SignOffOutcome::Agree,
            None,
            at(day(18, 11)),
        );
        assert!(early.is_err());
        store
            .sign_off_decision(
                id,
                "HEAD OF SERVICE",
                day(18, 11),
                SignOffOutcome::Agree,
                Some("Agreed as recommended."),
                at(day(18, 11)),
            )
            .expect("signed off");
        assert!(store.pending_sign_offs().expect("pending").is_empty());
        let (_, outcome) = store
            .decision_with_outcome(id)
            .expect("read")
            .expect("found");
        let signed = outcome.sign_off.expect("signed");
        assert_eq!(
            (
                signed.by.as_str(),
                signed.on,
                signed.outcome,
                signed.after_approval
            ),
            ("Head of Service", day(18, 11), SignOffOutcome::Agree, false)
        );
        assert_eq!(outcome.commitment, Some(sgo_money()));
        let again = store.sign_off_decision(
            id,
            "Head of Service",
            day(19, 11),
            SignOffOutcome::Disagree,
            None,
            at(day(19, 11)),
        );
        assert_refused_for(&again, "already");
        // Its outcome stands as signed off.
        let changed = store.record_decision_with_outcome(
            &quorate(nov, "C3", "Not recommended after all."),
            sgo,
            &record("sgo-cao-support-plan", Outcome::NotRecommended),
            at(day(19, 11)),
        );
        assert!(changed.is_err());
        // A panel's own decision waits for nobody.
        let own = store
            .record_decision_with_outcome(
                &quorate(nov, "C4", "Declined."),
                terms.item_type("funding-request").expect("type"),
                &record("funding-request", Outcome::Declined),
                at(day(17, 11)),
            )
            .expect("recorded");
        let refused = head_of_service_agrees(&mut store, own, day(18, 11));
        assert_refused_for(&refused, "waits for no sign-off: it is declined");
    }

    #[test]
    fn dissent_and_money_freeze_with_approved_minutes_but_a_late_sign_off_is_marked() {
        let (mut store, terms, nov, dec, member) = knowsley();
        let id = recommend_with_allowance(&mut store, &terms, nov);
        store
            .record_dissent(id, member, "The allowance is too low.", at(day(17, 11)))
            .expect("dissent");
        store
            .approve_minutes(nov, dec, at(day(15, 12)))
            .expect("approved");
        let refused = store.record_dissent(id, member, "Changed my mind.", at(day(16, 12)));
        assert_refused_for(&refused, "were approved on 15/12/2026");
        // Past the store's check, the trigger refuses it.
        let by_hand = store.conn.execute(
            "UPDATE financial_commitments SET amount_pence = 1 WHERE decision_id = ?1",
            [id],
        );
        assert!(by_hand.is_err());
        head_of_service_agrees(&mut store, id, day(16, 12))
            .expect("a sign-off may follow approval");
        let (_, outcome) = store
            .decision_with_outcome(id)
            .expect("read")
            .expect("found");
        assert!(outcome.sign_off.expect("signed").after_approval);
        assert_eq!(outcome.dissents.len(), 1);
        assert_eq!(
            outcome.dissents[0].member_title,
            "Service Manager – Fostering"
        );
        assert_eq!(outcome.dissents[0].view, "The allowance is too low.");
        // Every row written is sealed: the audit finds nothing amiss.
        let verified = store.verify_audit().expect("verify");
        assert!(verified.findings.is_empty(), "{:?}", verified.findings);
    }

    #[test]
    fn the_purge_removes_what_goes_with_a_leavers_decisions() {
        let (mut store, terms, nov, _, member) = knowsley();
        recommended_dissented_and_signed(&mut store, &terms, nov, member, day(18, 11));
        store
            .purge(
                &[Leaver {
                    child: "C3".into(),
                    left_care: day(1, 1),
                }],
                at(day(1, 12)),
            )
            .expect("purged");
        assert_nothing_goes_with_a_decision(&store);
    }

    #[test]
    fn undoing_a_decision_takes_its_sign_off_dissent_and_money_with_it() {
        let (mut store, terms, nov, _, member) = knowsley();
        recommended_dissented_and_signed(&mut store, &terms, nov, member, day(17, 11));
        // The app's undo withdraws the decision it recorded in the session.
        store
            .restore_decision(nov, "C3", None, at(day(17, 11)))
            .expect("undone");
        assert!(store.decision_outcomes(nov).expect("read").is_empty());
        assert!(store.pending_sign_offs().expect("pending").is_empty());
        assert_nothing_goes_with_a_decision(&store);
        // The rows removed with it are sealed as removed: nothing amiss.
        let verified = store.verify_audit().expect("verify");
        assert!(verified.findings.is_empty(), "{:?}", verified.findings);
    }

    /// The app's undo of an outcome changed in the session: the decision
    /// goes back to its earlier text and outcome (a deferral, with no
    /// money) in one audited write; the money recorded since goes.
    #[test]
    fn an_outcome_is_put_back_as_it_was_with_its_deferral_and_without_the_money_since() {
        let (mut store, terms, nov, _, _) = knowsley();
        let sgo = terms.item_type("sgo-cao-support-plan").expect("type");
        let mut deferred = record("sgo-cao-support-plan", Outcome::Deferred);
        deferred.deferred_to = Some(day(15, 12));
        deferred.reason = Some("The assessment is not finished.".into());
        let decision = NewDecision {
            meeting: nov,
            child: "C3",
            text: "Deferred.",
            quorate: true,
            quorum: None,
        };
        let id = store
            .record_decision_with_outcome(&decision, sgo, &deferred, at(day(17, 11)))
            .expect("deferred");
        let (was, was_outcome) = store
            .decision_with_outcome(id)
            .expect("read")
            .expect("held");
        recommend_with_allowance(&mut store, &terms, nov);
        assert_eq!(store.pending_sign_offs().expect("pending").len(), 1);
        store
            .restore_decision_with_outcome(
                nov,
                "C3",
                Some((&was, Some(&was_outcome))),
                at(day(17, 11)),
            )
            .expect("undone");
        let (now, outcome) = store
            .decision_with_outcome(id)
            .expect("read")
            .expect("held");
        assert_eq!(now.text, "Deferred.");
        assert_eq!(outcome, was_outcome);
        assert_eq!(outcome.deferred_to, Some(day(15, 12)));
        assert!(outcome.commitment.is_none());
        assert!(store.pending_sign_offs().expect("pending").is_empty());
        let verified = store.verify_audit().expect("verify");
        assert!(verified.findings.is_empty(), "{:?}", verified.findings);
    }

    /// A signed-off outcome is not changed by an undo of the recording
    /// under it; the sign-off is taken back first, then the undo is allowed.
    #[test]
    fn a_sign_off_and_a_dissent_are_taken_back_and_a_signed_outcome_stands_until_then() {
        let (mut store, terms, nov, dec, member) = knowsley();
        let id = recommend_with_allowance(&mut store, &terms, nov);
        store
            .record_dissent(id, member, "Too low.", at(day(17, 11)))
            .expect("dissent");
        store
            .sign_off_decision(
                id,
                "Head of Service",
                day(18, 11),
                SignOffOutcome::Agree,
                None,
                at(day(18, 11)),
            )
            .expect("signed");
        let (d, _) = store
            .decision_with_outcome(id)
            .expect("read")
            .expect("held");
        let refused =
            store.restore_decision_with_outcome(nov, "C3", Some((&d, None)), at(day(18, 11)));
        assert!(
            matches!(&refused, Err(StoreError::Refused(why)) if why.contains("signed this decision off on 18/11/2026")),
            "{refused:?}"
        );
        store
            .withdraw_sign_off(id, at(day(18, 11)))
            .expect("taken back");
        assert_eq!(store.pending_sign_offs().expect("pending").len(), 1);
        let again = store.withdraw_sign_off(id, at(day(18, 11)));
        assert!(
            matches!(&again, Err(StoreError::Refused(why)) if why.contains("no sign-off")),
            "{again:?}"
        );
        store
            .withdraw_dissent(id, member, at(day(18, 11)))
            .expect("taken back");
        let (_, outcome) = store
            .decision_with_outcome(id)
            .expect("read")
            .expect("held");
        assert!(outcome.dissents.is_empty() && outcome.sign_off.is_none());
        // Frozen with approved minutes: the dissent's undo and a sign-off
        // the approved minutes show are refused.
        store
            .record_dissent(id, member, "Too low.", at(day(18, 11)))
            .expect("dissent");
        store
            .sign_off_decision(
                id,
                "Head of Service",
                day(18, 11),
                SignOffOutcome::Agree,
                None,
                at(day(18, 11)),
            )
            .expect("signed");
        store
            .approve_minutes(nov, dec, at(day(15, 12)))
            .expect("approved");
        for refused in [
            store.withdraw_dissent(id, member, at(day(16, 12))),
            store.withdraw_sign_off(id, at(day(16, 12))),
        ] {
            assert!(
                matches!(&refused, Err(StoreError::Refused(why)) if why.contains("were approved on 15/12/2026")),
                "{refused:?}"
            );
        }
        let verified = store.verify_audit().expect("verify");
        assert!(verified.findings.is_empty(), "{:?}", verified.findings);
    }
}
