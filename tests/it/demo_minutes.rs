//! The demo's held meeting holds together (issue 17): its agenda and
//! reasons are those of the history as it stood on its own date, and each
//! decision fits the child's legal status, placement and plan that day.

use std::path::Path;

use chrono::NaiveDate;
use permanence_panel::model::{ChildRecord, LegalStatus, MeetingStatus, PlanFacts, PlanKind};
use permanence_panel::rules::cohorts::{self, PanelRoutes};
use permanence_panel::rules::dates::add_months;
use permanence_panel::store::Store;
use permanence_panel::terms::Terms;

use crate::common::cli::demo_db;

fn demo(dir: &Path) -> Store {
    Store::open(&demo_db(dir)).unwrap()
}

/// The legal status of the episode open on `on`.
fn legal_status_on(record: &ChildRecord, on: NaiveDate) -> Option<LegalStatus> {
    record
        .episodes
        .iter()
        .find(|e| e.decom <= on && e.dec.is_none_or(|d| d > on))
        .map(|e| e.ls)
}

/// The plan agreed by `on`, if any.
fn plan_on(plan: Option<&PlanFacts>, on: NaiveDate) -> Option<PlanKind> {
    plan.filter(|p| p.plan_agreed.is_some_and(|a| a <= on))
        .and_then(|p| p.plan)
}

/// Every dd/mm/yyyy date written straight after `word` in `text`.
fn dates_after(text: &str, word: &str) -> Vec<NaiveDate> {
    text.match_indices(word)
        .filter_map(|(i, _)| text.get(i + word.len()..i + word.len() + 10))
        .filter_map(|s| NaiveDate::parse_from_str(s, "%d/%m/%Y").ok())
        .collect()
}

#[test]
fn the_held_meeting_is_minuted_as_it_stood_on_its_day() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let terms = Terms::load("wiltshire").unwrap();
    let held = store
        .meetings()
        .unwrap()
        .into_iter()
        .find(|m| m.status == MeetingStatus::Closed)
        .expect("a held meeting");
    let on = held.date;

    // The agenda is the cohorts' at the meeting's own date: each reason is
    // a membership computed on that day.
    let agenda = store.agenda(held.id).unwrap();
    assert_eq!(agenda.len(), 4, "the children heard");
    for item in &agenda {
        let record = store.child_record(&item.child).unwrap().unwrap();
        let reasons_then: Vec<String> =
            cohorts::memberships(&record, &terms, on, &PanelRoutes::default())
                .into_iter()
                .map(|m| m.reason)
                .collect();
        for reason in &item.reasons {
            assert!(
                reasons_then.contains(reason),
                "{}: '{reason}' is not a reason on {on}: {reasons_then:?}",
                item.child
            );
        }
    }

    // Each decision fits the child that day.
    let decisions = store.decisions(held.id).unwrap();
    assert_eq!(decisions.len(), 4);
    for d in &decisions {
        let record = store.child_record(&d.child).unwrap().unwrap();
        let plan = store.plan_facts(&d.child).unwrap();
        let ls = legal_status_on(&record, on);
        let kind = plan_on(plan.as_ref(), on);
        let sixteen = on >= add_months(record.child.dob, 16 * 12);
        let text = d.text.to_lowercase();
        if text.contains("care order") {
            assert!(
                matches!(ls, Some(LegalStatus::C1 | LegalStatus::C2)),
                "{}: '{}' but the child is under {ls:?}",
                d.child,
                d.text
            );
        }
        if text.contains("adoption remains the plan") {
            assert_eq!(kind, Some(PlanKind::Adoption), "{}: '{}'", d.child, d.text);
        }
        if text.contains("guardianship") || text.contains("sgo") {
            assert!(
                !sixteen && matches!(kind, Some(PlanKind::Sgo | PlanKind::ConnectedPerson)),
                "{}: '{}' with plan {kind:?}, 16 or over: {sixteen}",
                d.child,
                d.text
            );
        }
        assert!(d.recorded_at.date() == on, "decided on the day");
    }

    // Nothing in the minutes is dated after the meeting.
    let minutes = permanence_panel::export::minutes_md::render(&store, &terms, &held).unwrap();
    let sinces = dates_after(&minutes, "since ");
    assert!(!sinces.is_empty(), "{minutes}");
    for since in sinces {
        assert!(
            since <= on,
            "'since {since}' after the meeting of {on}:\n{minutes}"
        );
    }
    for held_on in dates_after(&minutes, "held on ") {
        assert!(held_on <= on, "a review held on {held_on}, after {on}");
    }
}

#[test]
fn the_demo_panel_comes_from_annual_returns_and_an_in_year_extract() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let returns = store.returns().unwrap();
    assert!(returns.len() >= 3, "{} returns", returns.len());
    assert_eq!(store.child_count().unwrap(), 40);
    assert!(
        store.return_problems().unwrap().is_empty(),
        "no child held back and no warning in the generated returns"
    );
    // The returns were generated in a scratch folder that is gone: their
    // files are named within it ("2025-26/header.csv"), not by its path.
    for r in &returns {
        let year = r.year.to_string();
        assert!(!r.files.is_empty());
        for f in &r.files {
            assert!(
                f.file_name.starts_with(&format!("{year}/")),
                "{year}: {}",
                f.file_name
            );
        }
    }
}

/// Every decision of the demo has an outcome its item type allows; a
/// deferral names the next meeting and its reason, and the child deferred
/// is on that meeting's agenda with it (issue 23).
#[test]
fn every_demo_decision_has_an_outcome_of_its_item_type() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let terms = Terms::load("wiltshire").unwrap();
    let meetings = store.meetings().unwrap();
    let next = meetings
        .iter()
        .find(|m| m.status == MeetingStatus::Planned)
        .expect("the next meeting");
    let mut decided = 0;
    let mut deferred = Vec::new();
    for m in &meetings {
        let outcomes = store.decision_outcomes(m.id).unwrap();
        for d in store.decisions(m.id).unwrap() {
            decided += 1;
            let o = outcomes
                .get(&d.id)
                .expect("every decision has its outcome row");
            let outcome = o
                .outcome
                .unwrap_or_else(|| panic!("{}: '{}' has no outcome", d.child, d.text));
            let item = terms
                .item_type(&o.item_type)
                .unwrap_or_else(|| panic!("{}: item type '{}'", d.child, o.item_type));
            assert!(
                item.outcomes.contains(&outcome),
                "{}: a {} cannot be {}",
                d.child,
                item.title,
                outcome.words()
            );
            if outcome == permanence_panel::model::Outcome::Deferred {
                assert_eq!(o.deferred_to, Some(next.date), "{}", d.child);
                let reason = o.reason.clone().expect("a deferral's reason");
                deferred.push((d.child.clone(), reason));
            } else {
                assert_eq!(o.deferred_to, None);
            }
        }
    }
    assert_eq!(decided, 4, "the held meeting's decisions");
    assert!(!deferred.is_empty(), "one child at least is deferred");
    let agenda = store.agenda(next.id).unwrap();
    for (child, reason) in &deferred {
        let item = agenda
            .iter()
            .find(|i| &i.child == child)
            .unwrap_or_else(|| panic!("{child} was deferred but is not on the next agenda"));
        assert!(
            item.reasons
                .iter()
                .any(|r| r.starts_with("Deferred from ") && r.ends_with(reason.as_str())),
            "{child}: {:?}",
            item.reasons
        );
    }
}
