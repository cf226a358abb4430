//! Recording the panel's decision on a child: the quorum for the child's
//! item as the roll call stands (without members who declared an interest
//! in it) is taken with it, so a decision taken while not quorate is
//! flagged wherever it is read (the card, the minutes).

use chrono::{NaiveDateTime, NaiveTime};

use crate::model::{Id, Meeting, OutcomeRecord};
use crate::rules::quorum::{self, QuorumResult};
use crate::store::{NewDecision, Store};
use crate::terms::Terms;
use crate::terms::items::{ItemType, TRACKING};

/// The quorum of `meeting` at `at` (or as the roll call stands, if `None`);
/// for `child`'s item, without the members who declared an interest in it.
pub fn quorum_at(
    store: &Store,
    terms: &Terms,
    meeting: &Meeting,
    at: Option<NaiveTime>,
    child: Option<&str>,
) -> crate::store::Result<QuorumResult> {
    let members = store.members_of_meeting(meeting)?;
    let attendance = store.attendance(meeting.id)?;
    let withdrawn = match child {
        Some(c) => store.withdrawn_from_item(meeting.id, c)?,
        None => Vec::new(),
    };
    Ok(quorum::check_at(
        &terms.quorum,
        &members,
        &attendance,
        at,
        &withdrawn,
    ))
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
    // The item's quorum: without anyone who declared an interest in it.
    let quorum = quorum_at(store, terms, meeting, None, Some(child))?;
    let id = store.record_decision_with_quorum(
        meeting.id,
        child,
        text,
        quorum.quorate,
        Some(&quorum.summary()),
        now,
    )?;
    Ok(Recorded {
        id,
        quorate: quorum.quorate,
    })
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
    item_type_named(terms, given.or(listed.as_deref()))
}

/// The item type `id` names among the terms' (a tracking review when none
/// is named): the app reads the agenda's types once, then asks this.
pub fn item_type_named<'t>(terms: &'t Terms, id: Option<&str>) -> anyhow::Result<&'t ItemType> {
    let id = id.unwrap_or(TRACKING);
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
    // The item's quorum: without anyone who declared an interest in it.
    let quorum = quorum_at(store, terms, meeting, None, Some(child))?;
    let quorate = quorum.quorate;
    let summary = quorum.summary();
    let decision = NewDecision {
        meeting: meeting.id,
        child,
        text,
        quorate,
        quorum: Some(&summary),
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

    /// A member who declared an interest in the child's item does not count
    /// towards the quorum of the decision on that child, and the decision's
    /// stored quorum says so; another child's decision counts them.
    #[test]
    fn a_decision_is_taken_without_the_members_who_declared_an_interest() {
        let (mut store, terms, meeting) = panel();
        let members = store.members().expect("members");
        let id_of = |role: &str| members.iter().find(|m| m.role == role).expect(role).id;
        for role in [
            "head-of-service",
            "team-manager-kinship-fostering",
            "service-manager-crs",
            "service-manager-cic",
        ] {
            store
                .set_attendance(
                    meeting.id,
                    id_of(role),
                    AttendanceState::Present,
                    None,
                    at(9),
                )
                .expect("present");
        }
        crate::usecase::interests::declare(
            &mut store,
            &meeting,
            "C1",
            id_of("head-of-service"),
            Some("related to the carers"),
            at(10),
        )
        .expect("declared");
        let recorded =
            record(&mut store, &terms, &meeting, "C1", "Plan endorsed.", at(10)).expect("recorded");
        assert!(recorded.quorate);
        let held = &store.decisions_for_child("C1").expect("decisions")[0];
        let said = held.quorum.as_deref().expect("the quorum in words");
        assert!(
            said.starts_with(
                "Quorate without the Head of Service – Care, Placements and YPS, who declared an interest: "
            ),
            "{said}"
        );
        assert!(!said.contains(": Head of Service"), "{said}");

        // The reviewing service's manager declares too: nobody else can be
        // its representative, so the item is not quorate.
        crate::usecase::interests::declare(
            &mut store,
            &meeting,
            "C1",
            id_of("service-manager-crs"),
            None,
            at(10),
        )
        .expect("declared");
        let recorded =
            record(&mut store, &terms, &meeting, "C1", "Plan endorsed.", at(11)).expect("recorded");
        assert!(!recorded.quorate);
        let held = &store.decisions_for_child("C1").expect("decisions")[0];
        assert_eq!(
            held.quorum.as_deref(),
            Some(
                "NOT QUORATE without the Head of Service – Care, Placements and YPS and the \
                 Service Manager – Conference and Reviewing Service, who declared an interest: \
                 no Conference and Reviewing Service representative or substitute"
            )
        );
        // Another child's item: everyone counts.
        let other =
            record(&mut store, &terms, &meeting, "C2", "Carried over.", at(11)).expect("recorded");
        assert!(other.quorate);
        let c2 = &store.decisions_for_child("C2").expect("decisions")[0];
        assert!(!c2.quorum.as_deref().unwrap_or("").contains("declared"));
    }
}
