//! What a report reads from the store, read once: the children's records
//! and the panel's meetings, decisions and actions in the period.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use crate::model::{Action, ActionStatus, ChildRecord, Decision, Meeting, MeetingStatus};
use crate::store::{FosteringPanel, Store, StoreError};

/// The period's facts.
#[derive(Debug, Clone)]
pub struct Facts {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub records: Vec<ChildRecord>,
    /// Meetings held in the period (see [`held`]), by date.
    pub meetings_held: Vec<Meeting>,
    /// Decisions recorded at the meetings held in the period.
    pub decisions: Vec<(NaiveDate, Decision)>,
    /// Actions done in the period, with the day each was marked done.
    pub actions_done: Vec<(Action, NaiveDate)>,
    /// The Fostering Panel's sittings recorded, by date, with their bookings.
    pub fostering_panels: Vec<FosteringPanel>,
    /// Each adopted child's AD1 row (the latest return holding it): the
    /// match date and whether the foster carers adopted.
    pub ad1: HashMap<String, Ad1>,
}

/// The AD1 facts the adoption scorecard reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ad1 {
    /// `DATE_MATCH`: the decision to match the child with the adopters.
    pub date_match: Option<NaiveDate>,
    /// `FOSTER_CARE` 1: adopted by its foster carers.
    pub by_foster_carers: bool,
}

/// AD1's columns (`CHILD, DOB, DATE_INT, DATE_MATCH, FOSTER_CARE, ...`)
/// as the return holds them; `None` when the row is too short to be one.
fn ad1_of(fields: &[String]) -> Option<Ad1> {
    let date_match = fields.get(3)?;
    let foster_care = fields.get(4)?;
    Some(Ad1 {
        date_match: crate::rules::dates::parse_dmy(date_match),
        by_foster_carers: foster_care.trim() == "1",
    })
}

impl Facts {
    pub fn load(store: &Store, from: NaiveDate, to: NaiveDate) -> Result<Facts, StoreError> {
        let records = store.child_records()?;
        let mut meetings_held = Vec::new();
        let mut decisions = Vec::new();
        for m in store.meetings()? {
            if m.date < from || m.date > to || m.status == MeetingStatus::Cancelled {
                continue;
            }
            let recorded = store.decisions(m.id)?;
            if !held(&m, recorded.len()) {
                continue;
            }
            decisions.extend(recorded.into_iter().map(|d| (m.date, d)));
            meetings_held.push(m);
        }
        meetings_held.sort_by_key(|m| m.date);
        let done_on = done_dates(store)?;
        let actions_done = store
            .all_actions()?
            .into_iter()
            .filter(|a| a.status == ActionStatus::Done)
            .filter_map(|a| {
                let on = done_on.get(&a.id).copied()?;
                (from <= on && on <= to).then_some((a, on))
            })
            .collect();
        let mut ad1 = HashMap::new();
        for record in &records {
            // The merge keeps the latest return's row last.
            if let Some(row) = store
                .child_extras(&record.child.id)?
                .into_iter()
                .rfind(|e| e.table == "AD1")
                .and_then(|e| ad1_of(&e.fields))
            {
                ad1.insert(record.child.id.clone(), row);
            }
        }
        Ok(Facts {
            from,
            to,
            records,
            meetings_held,
            decisions,
            actions_done,
            fostering_panels: store.fostering_panels()?,
            ad1,
        })
    }

    /// The distinct children with a decision at a meeting held in the period.
    pub fn children_heard(&self) -> BTreeSet<&str> {
        self.decisions
            .iter()
            .map(|(_, d)| d.child.as_str())
            .collect()
    }
}

/// A meeting counts as held when it was closed, or when at least one
/// decision was recorded at it (a meeting the chair never closed in the app
/// still met if it decided something); planned meetings with no decision
/// did not, as far as the record shows.
pub fn held(meeting: &Meeting, decisions: usize) -> bool {
    meeting.status != MeetingStatus::Cancelled
        && (meeting.status == MeetingStatus::Closed || decisions > 0)
}

/// The day each action was last marked done, from the audit trail (the
/// actions table keeps only the status, not when it changed).
fn done_dates(store: &Store) -> Result<HashMap<i64, NaiveDate>, StoreError> {
    let mut out = HashMap::new();
    for entry in store.audit_entries()? {
        if entry.entity != "action" {
            continue;
        }
        let Ok(id) = entry.entity_id.parse::<i64>() else {
            continue;
        };
        let Ok(change) = serde_json::from_str::<serde_json::Value>(&entry.change) else {
            continue;
        };
        if change.get("new").and_then(|v| v.as_str()) == Some(ActionStatus::Done.id()) {
            // Entries come in order, so a later re-marking wins.
            out.insert(id, entry.at.date());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::date;
    use crate::store::NewAction;

    fn at(d: &str) -> chrono::NaiveDateTime {
        date(d).and_hms_opt(11, 0, 0).expect("a time")
    }

    fn hm(h: u32) -> chrono::NaiveTime {
        chrono::NaiveTime::from_hms_opt(h, 0, 0).expect("a time")
    }

    #[test]
    fn held_meetings_are_closed_or_decided_and_done_dates_come_from_the_audit_trail() {
        let mut store = Store::open_in_memory().expect("store");
        let mut meeting = |d: &str| {
            store
                .add_meeting(date(d), hm(10), hm(12), at("01/01/2026"))
                .expect("meeting")
        };
        let decided = meeting("10/02/2026");
        let closed = meeting("10/03/2026");
        // Planned and nothing decided: not held.
        let _planned = meeting("10/04/2026");
        let cancelled = meeting("10/05/2026");
        let outside = meeting("10/07/2026");
        store
            .record_decision(decided, "C1", "Plan endorsed.", true, at("10/02/2026"))
            .expect("decision");
        store
            .record_decision(outside, "C2", "Plan endorsed.", true, at("10/07/2026"))
            .expect("decision");
        store
            .set_meeting_status(closed, MeetingStatus::Closed, at("10/03/2026"))
            .expect("closed");
        store
            .cancel_meeting(cancelled, "no quorum", at("01/05/2026"))
            .expect("cancelled");

        let action = |store: &mut Store, deadline: &str| {
            store
                .add_action(
                    &NewAction {
                        meeting: decided,
                        child: "C1".into(),
                        text: "Synthetic".into(),
                        owner: "SDM".into(),
                        deadline: date(deadline),
                    },
                    at("10/02/2026"),
                )
                .expect("action")
        };
        // Done, reopened, done again later: the later day counts.
        let redone = action(&mut store, "31/03/2026");
        for (status, on) in [
            (ActionStatus::Done, "20/03/2026"),
            (ActionStatus::Open, "25/03/2026"),
            (ActionStatus::Done, "15/04/2026"),
        ] {
            store
                .set_action_status(redone, status, None, at(on))
                .expect("status");
        }
        // Dropped: not done, whenever.
        let dropped = action(&mut store, "31/03/2026");
        store
            .set_action_status(dropped, ActionStatus::Dropped, None, at("20/03/2026"))
            .expect("status");

        let facts = Facts::load(&store, date("01/01/2026"), date("30/06/2026")).expect("facts");
        let held: Vec<i64> = facts.meetings_held.iter().map(|m| m.id).collect();
        assert_eq!(held, [decided, closed]);
        assert_eq!(
            facts.children_heard().into_iter().collect::<Vec<_>>(),
            ["C1"]
        );
        let done: Vec<(i64, NaiveDate)> = facts
            .actions_done
            .iter()
            .map(|(a, on)| (a.id, *on))
            .collect();
        assert_eq!(done, [(redone, date("15/04/2026"))]);
    }
}
