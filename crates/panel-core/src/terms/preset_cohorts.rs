//! The four presets written from public text (issue 19): for each cohort a
//! hand-made history just in and just out (exactly N months, review k due in
//! N days or N+1, a move exactly twelve months ago).

use chrono::NaiveDate;

use super::Terms;
use crate::model::{ChildRecord, CohortId};
use crate::rules::cohorts::{PanelRoutes, Referral, memberships};
use crate::rules::testkit::{History, child, date};

/// The child's membership of `cohort` in `preset` at `d`: since and sentence.
fn member(
    preset: &str,
    cohort: &str,
    record: &ChildRecord,
    d: &str,
) -> Option<(NaiveDate, String)> {
    member_with(preset, cohort, record, d, &PanelRoutes::default())
}

fn member_with(
    preset: &str,
    cohort: &str,
    record: &ChildRecord,
    d: &str,
    routes: &PanelRoutes,
) -> Option<(NaiveDate, String)> {
    let terms = Terms::load(preset).expect("the preset loads");
    let id = CohortId::parse(cohort).expect("a cohort of the preset");
    assert!(terms.cohorts.contains(&id), "{preset} lists {cohort}");
    memberships(record, &terms, date(d), routes)
        .into_iter()
        .find(|m| m.cohort == id)
        .map(|m| (m.since, m.reason))
}

/// In care from 01/01/2026 on a care order with other foster carers; the
/// first review on 20/01/2026, so the second is due on 20/04/2026.
fn first_review_held() -> History {
    child("01/03/2016")
        .ep("01/01/2026  S  C2  U6  PR1  open")
        .reviews(&["20/01/2026"])
}

#[test]
fn coventry_second_review_due_within_four_weeks_without_a_plan() {
    let r = first_review_held().build();
    let cohort = "second-review-due-no-plan";
    assert_eq!(
        member("coventry", cohort, &r, "22/03/2026"),
        None,
        "due in 29 days"
    );
    let (since, words) = member("coventry", cohort, &r, "23/03/2026").expect("due in 28 days");
    assert_eq!(since, date("01/01/2026"));
    assert_eq!(
        words,
        "No permanence plan agreed; second review due on 20/04/2026 (in 28 days); \
         full care order (C2) since 01/01/2026 (2 months 22 days); placement: foster \
         placement with other foster carer (U6), the council's own provision (PR1), \
         same carers since 01/01/2026 (2 months 22 days)"
    );
    let (_, words) = member("coventry", cohort, &r, "21/04/2026").expect("overdue");
    assert!(
        words.starts_with(
            "No permanence plan agreed; second review was due on 20/04/2026 (1 day ago), not yet held"
        ),
        "{words}"
    );
    let planned = first_review_held()
        .plan("long-term-fostering", "01/03/2026")
        .build();
    assert_eq!(member("coventry", cohort, &planned, "23/03/2026"), None);
}

#[test]
fn coventry_second_review_held_without_a_plan_then_referrals() {
    let r = first_review_held().reviews(&["15/04/2026"]).build();
    let cohort = "second-review-held-no-plan";
    assert_eq!(member("coventry", cohort, &r, "14/04/2026"), None);
    let (since, words) = member("coventry", cohort, &r, "15/04/2026").expect("held");
    assert_eq!(since, date("15/04/2026"));
    assert!(
        words.starts_with(
            "No permanence plan agreed; second review of this period of care held on 15/04/2026; \
             2 reviews since the period began on 01/01/2026; full care order (C2)"
        ),
        "{words}"
    );
    let planned = first_review_held()
        .reviews(&["15/04/2026"])
        .plan("adoption", "10/04/2026")
        .build();
    assert_eq!(member("coventry", cohort, &planned, "15/04/2026"), None);
    let routes = PanelRoutes {
        referrals: vec![Referral {
            child: "C1".into(),
            made_on: date("01/05/2026"),
            heard_on: None,
        }],
        carried_over: Vec::new(),
    };
    assert_eq!(
        member_with("coventry", "referral", &r, "01/05/2026", &routes).map(|m| m.0),
        Some(date("01/05/2026"))
    );
    assert_eq!(
        member_with("coventry", "referral", &r, "30/04/2026", &routes),
        None
    );
}

#[test]
fn central_bedfordshire_before_the_second_review_then_two_reviews_without_a_plan() {
    let r = first_review_held().reviews(&["15/04/2026"]).build();
    let (since, words) = member(
        "central-bedfordshire",
        "before-second-review",
        &r,
        "14/04/2026",
    )
    .expect("one review");
    assert_eq!(since, date("01/01/2026"));
    assert!(
        words.starts_with(
            "1 review since the period began on 01/01/2026; in care since 01/01/2026 (3 months 13 days)"
        ),
        "{words}"
    );
    assert_eq!(
        member(
            "central-bedfordshire",
            "before-second-review",
            &r,
            "15/04/2026"
        ),
        None,
        "the second review is held"
    );
    assert_eq!(
        member(
            "central-bedfordshire",
            "two-reviews-no-plan",
            &r,
            "14/04/2026"
        ),
        None
    );
    assert_eq!(
        member(
            "central-bedfordshire",
            "two-reviews-no-plan",
            &r,
            "15/04/2026"
        )
        .map(|m| m.0),
        Some(date("15/04/2026"))
    );
    let planned = first_review_held()
        .reviews(&["15/04/2026"])
        .plan("sgo", "15/04/2026")
        .build();
    assert_eq!(
        member(
            "central-bedfordshire",
            "two-reviews-no-plan",
            &planned,
            "15/04/2026"
        ),
        None
    );
}

#[test]
fn knowsley_adoption_plans_and_foster_placements_not_long_term() {
    let adoption = first_review_held().plan("adoption", "01/05/2026").build();
    assert_eq!(
        member("knowsley", "adoption-plan", &adoption, "30/04/2026"),
        None
    );
    let (since, words) =
        member("knowsley", "adoption-plan", &adoption, "01/05/2026").expect("agreed");
    assert_eq!(since, date("01/05/2026"));
    assert!(
        words.starts_with(
            "Plan of adoption agreed on 01/05/2026 (0 days ago); full care order (C2)"
        ),
        "{words}"
    );
    let fostering = first_review_held()
        .plan("long-term-fostering", "01/05/2026")
        .build();
    assert_eq!(
        member("knowsley", "adoption-plan", &fostering, "01/06/2026"),
        None
    );
    // "A primary or contingency plan for adoption": adoption as the
    // contingency plan is in, from the day the plan was agreed.
    let contingency = first_review_held()
        .plan("long-term-fostering", "01/05/2026")
        .contingency("adoption")
        .build();
    let (since, words) =
        member("knowsley", "adoption-plan", &contingency, "01/06/2026").expect("contingency");
    assert_eq!(since, date("01/05/2026"));
    assert!(
        words.starts_with(
            "Plan of long-term fostering agreed on 01/05/2026 (1 month ago), \
             with adoption as the contingency plan; full care order (C2)"
        ),
        "{words}"
    );
    let other_contingency = first_review_held()
        .plan("long-term-fostering", "01/05/2026")
        .contingency("sgo")
        .build();
    assert_eq!(
        member(
            "knowsley",
            "adoption-plan",
            &other_contingency,
            "01/06/2026"
        ),
        None
    );

    // U6 from 01/01/2026, then U3 with the same carers (T): one run.
    let short_term = child("01/03/2016")
        .ep("01/01/2026  S  C2  U6  PR1  01/03/2026")
        .ep("01/03/2026  T  C2  U3  PR1  open")
        .build();
    let cohort = "foster-not-long-term-6m";
    assert_eq!(
        member("knowsley", cohort, &short_term, "01/07/2026"),
        None,
        "exactly 6 months"
    );
    let (since, words) = member("knowsley", cohort, &short_term, "02/07/2026").expect("in");
    assert_eq!(since, date("01/01/2026"));
    assert!(
        words.starts_with(
            "With the same carers since 01/01/2026 (6 months 1 day), longer than 6 months; \
             foster placement with relative or friend (U3); no long-term fostering match agreed"
        ),
        "{words}"
    );
    let approved = child("01/03/2016")
        .ep("01/01/2026  S  C2  U6  PR1  01/03/2026")
        .ep("01/03/2026  T  C2  U4  PR1  open")
        .build();
    assert_eq!(
        member("knowsley", cohort, &approved, "02/07/2026"),
        None,
        "U4 is long term"
    );
}

#[test]
fn calderdale_plans_waiting_six_months_and_two_moves_in_a_year() {
    let r = child("01/03/2016")
        .ep("01/01/2025  S  C2  U6  PR1  open")
        .plan("long-term-fostering", "01/01/2026")
        .build();
    let cohort = "plan-not-achieved-6m";
    assert_eq!(
        member("calderdale", cohort, &r, "01/07/2026"),
        None,
        "exactly 6 months"
    );
    let (since, words) = member("calderdale", cohort, &r, "02/07/2026").expect("in");
    assert_eq!(since, date("01/01/2026"));
    assert!(
        words.starts_with(
            "Plan of long-term fostering agreed on 01/01/2026 (6 months 1 day ago), not yet achieved; "
        ),
        "{words}"
    );
    let achieved = child("01/03/2016")
        .ep("01/01/2025  S  C2  U6  PR1  open")
        .plan("long-term-fostering", "01/01/2026")
        .achieved("01/06/2026")
        .build();
    assert_eq!(member("calderdale", cohort, &achieved, "02/07/2026"), None);
    let adoption = child("01/03/2016")
        .ep("01/01/2025  S  C2  U6  PR1  open")
        .plan("adoption", "01/01/2026")
        .build();
    assert_eq!(
        member("calderdale", cohort, &adoption, "02/07/2026"),
        None,
        "except adoption"
    );

    let moved = child("01/03/2012")
        .ep("01/01/2025  S  C2  U6  PR1  10/06/2025")
        .ep("10/06/2025  P  C2  U6  PR4  01/09/2025")
        .ep("01/09/2025  B  E1  K2  PR4  open")
        .build();
    let (_, words) =
        member("calderdale", "two-moves-12m", &moved, "09/06/2026").expect("two moves");
    assert!(
        words.starts_with("2 placement moves in the last 12 months; placement: "),
        "{words}"
    );
    assert_eq!(
        member("calderdale", "two-moves-12m", &moved, "10/06/2026"),
        None,
        "the first move is exactly twelve months ago"
    );
}
