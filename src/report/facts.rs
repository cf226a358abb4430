//! What a report reads from the store, read once: the children's records
//! and the panel's meetings, decisions and actions in the period.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use crate::model::{Action, ActionStatus, ChildRecord, Decision, Meeting, MeetingStatus};
use crate::store::{Store, StoreError};

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
        Ok(Facts {
            from,
            to,
            records,
            meetings_held,
            decisions,
            actions_done,
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
