//! Recording the panel's decision on a child: the meeting's quorum as the
//! roll call stands is taken with it, so a decision taken while not quorate
//! is flagged wherever it is read (the card, the minutes).

use chrono::{NaiveDateTime, NaiveTime};

use crate::model::{Id, Meeting, OutcomeRecord};
use crate::rules::quorum::{self, QuorumResult};
use crate::store::{NewDecision, Store};
use crate::terms::Terms;
use crate::terms::items::{ItemType, TRACKING};

/// The quorum of `meeting` at `at` (or as the roll call stands, if `None`).
pub fn quorum_at(
    store: &Store,
    terms: &Terms,
    meeting: &Meeting,
    at: Option<NaiveTime>,
) -> crate::store::Result<QuorumResult> {
    let members = store.members_of_meeting(meeting)?;
    let attendance = store.attendance(meeting.id)?;
    Ok(quorum::check_at(&terms.quorum, &members, &attendance, at))
}

/// A decision as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    pub id: Id,
    /// Whether the meeting was quorate when it was taken.
    pub quorate: bool,
}

/// Records (or replaces) the decision on `child` at `meeting`, with the
/// quorum as the roll call stands.
pub fn record(
    store: &mut Store,
    terms: &Terms,
    meeting: &Meeting,
    child: &str,
    text: &str,
    now: NaiveDateTime,
) -> crate::store::Result<Recorded> {
    let quorate = quorum_at(store, terms, meeting, None)?.quorate;
    let id = store.record_decision(meeting.id, child, text, quorate, now)?;
    Ok(Recorded { id, quorate })
}

/// The item type an item of `child` at `meeting` is heard as: `given`
/// when the administrator names one (checked against the terms), else the
/// type its agenda item was listed as, else a tracking review.
pub fn item_type_for<'t>(
    store: &Store,
    terms: &'t Terms,
    meeting: &Meeting,
    child: &str,
    given: Option<&str>,
) -> anyhow::Result<&'t ItemType> {
    let listed = store.agenda_item_types(meeting.id)?.remove(child);
    let id = given.or(listed.as_deref()).unwrap_or(TRACKING);
    terms.item_type(id).ok_or_else(|| {
        let known: Vec<&str> = terms.item_types.iter().map(|t| t.id.as_str()).collect();
        anyhow::anyhow!(
            "'{id}' is not a kind of item this panel hears; its terms name {}",
            known.join(", ")
        )
    })
}

/// Records (or replaces) the decision on `child` at `meeting` with its
/// outcome, with the quorum as the roll call stands; the outcome is
/// checked by its item type (`record.item_type`, one the terms name).
pub fn record_with_outcome(
    store: &mut Store,
    terms: &Terms,
    meeting: &Meeting,
    child: &str,
    text: &str,
    record: &OutcomeRecord,
    now: NaiveDateTime,
) -> anyhow::Result<Recorded> {
    let item = item_type_for(store, terms, meeting, child, Some(&record.item_type))?;
    let quorate = quorum_at(store, terms, meeting, None)?.quorate;
    let decision = NewDecision {
        meeting: meeting.id,
        child,
        text,
        quorate,
    };
    let id = store.record_decision_with_outcome(&decision, item, record, now)?;
    Ok(Recorded { id, quorate })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AttendanceState;
    use crate::store::NewMember;

    fn at(hour: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2027, 1, 29)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .expect("a time")
    }

    /// A Wiltshire panel with its preset's members and one meeting.
    fn panel() -> (Store, Terms, Meeting) {
        let terms = Terms::load("wiltshire").expect("preset");
        let mut store = Store::open_in_memory().expect("store");
        for role in &terms.roles {
            store
                .add_member(
                    &NewMember {
                        role: role.id.clone(),
                        job_title: role.job_title.clone(),
                        name: None,
                        kind: role.kind,
                        substitute_for: None,
                    },
                    at(8),
                )
                .expect("member");
        }
        let id = store
            .add_meeting(at(8).date(), terms.cadence.start, terms.cadence.end, at(8))
            .expect("meeting");
        let meeting = store
            .meetings()
            .expect("meetings")
            .into_iter()
            .find(|m| m.id == id)
            .expect("the meeting");
        (store, terms, meeting)
    }

    #[test]
    fn a_decision_before_the_roll_call_is_flagged_not_quorate() {
        let (mut store, terms, meeting) = panel();
        let recorded =
            record(&mut store, &terms, &meeting, "C1", "Plan endorsed.", at(10)).expect("recorded");
        assert!(!recorded.quorate);
        let held = store.decisions_for_child("C1").expect("decisions");
        assert_eq!(held.len(), 1);
        assert_eq!(held[0].text, "Plan endorsed.");
        assert!(!held[0].quorate);
    }

    #[test]
    fn a_decision_with_everyone_present_is_quorate() {
        let (mut store, terms, meeting) = panel();
        for m in store.members().expect("members") {
            store
                .set_attendance(meeting.id, m.id, AttendanceState::Present, None, at(9))
                .expect("present");
        }
        let recorded =
            record(&mut store, &terms, &meeting, "C1", "Plan endorsed.", at(10)).expect("recorded");
        assert!(recorded.quorate);
        assert!(store.decisions_for_child("C1").expect("decisions")[0].quorate);
    }
}
