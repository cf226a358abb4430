//! Drift flags shown on the child's card, for every terms preset.

use chrono::NaiveDate;

use crate::model::{ChildRecord, PlanKind};
use crate::rules::calendar::Calendar;
use crate::rules::care::{care_at, reviews_in_period};
use crate::rules::dates::dmy;
use crate::rules::timetable::next_review_due;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flag {
    /// Two or more reviews in this period of care and no plan other than
    /// `undecided` agreed on or before the second review's date.
    NoPlanBySecondReview {
        second_review: NaiveDate,
        /// When a plan was agreed later (on or before D), for the card.
        agreed_later: Option<NaiveDate>,
    },
    /// D is later than the next review's deadline.
    ReviewOverdue { due: NaiveDate },
}

impl Flag {
    /// A short stable id, for files and the CLI.
    pub fn id(&self) -> &'static str {
        match self {
            Flag::NoPlanBySecondReview { .. } => "no-plan-by-second-review",
            Flag::ReviewOverdue { .. } => "review-overdue",
        }
    }

    /// What the card says, in a sentence.
    pub fn sentence(&self) -> String {
        match self {
            Flag::NoPlanBySecondReview {
                second_review,
                agreed_later: None,
            } => format!(
                "No permanence plan by the second review ({}).",
                dmy(*second_review)
            ),
            Flag::NoPlanBySecondReview {
                second_review,
                agreed_later: Some(agreed),
            } => format!(
                "No permanence plan by the second review ({}); a plan was agreed later, on {}.",
                dmy(*second_review),
                dmy(*agreed)
            ),
            Flag::ReviewOverdue { due } => {
                format!("Review overdue: the next review was due by {}.", dmy(*due))
            }
        }
    }
}

/// The flags on the child's card at `d`; none when not looked after.
pub fn flags(record: &ChildRecord, d: NaiveDate, calendar: &Calendar) -> Vec<Flag> {
    let Some(care) = care_at(record, d) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let held = reviews_in_period(record, care.period_start, d);
    if let Some(second) = held.get(1).map(|r| r.review) {
        // Only a decided plan agreed by the second review's date answers it;
        // a later agreement is shown but does not lift the flag.
        let decided = record
            .plan
            .as_ref()
            .and_then(|p| match (p.plan, p.plan_agreed) {
                (Some(kind), Some(agreed)) if kind != PlanKind::Undecided && agreed <= d => {
                    Some(agreed)
                }
                _ => None,
            });
        match decided {
            Some(agreed) if agreed <= second => {}
            agreed_later => out.push(Flag::NoPlanBySecondReview {
                second_review: second,
                agreed_later,
            }),
        }
    }
    let due = next_review_due(
        care.period_start,
        held.len(),
        held.last().map(|r| r.review),
        calendar,
    );
    if d > due {
        out.push(Flag::ReviewOverdue { due });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{child, date};

    fn cal() -> Calendar {
        Calendar::england_and_wales()
    }

    fn has_no_plan_flag(flags: &[Flag]) -> bool {
        flags
            .iter()
            .any(|f| matches!(f, Flag::NoPlanBySecondReview { .. }))
    }

    #[test]
    fn no_plan_by_second_review_when_no_plan_at_all() {
        // Reviews 20/01 and 15/04/2025; no plan: flagged at the second.
        let r = child("01/03/2012")
            .ep("06/01/2025  S  C2  U6  PR1  open")
            .reviews(&["20/01/2025", "15/04/2025"])
            .build();
        let f = flags(&r, date("20/04/2025"), &cal());
        assert_eq!(
            f,
            vec![Flag::NoPlanBySecondReview {
                second_review: date("15/04/2025"),
                agreed_later: None
            }]
        );
        assert_eq!(
            f[0].sentence(),
            "No permanence plan by the second review (15/04/2025)."
        );
        // With only one review, no flag yet.
        assert!(!has_no_plan_flag(&flags(&r, date("14/04/2025"), &cal())));
    }

    #[test]
    fn plan_agreed_on_the_second_review_date_is_in_time() {
        let r = child("01/03/2012")
            .ep("06/01/2025  S  C2  U6  PR1  open")
            .reviews(&["20/01/2025", "15/04/2025"])
            .plan("sgo", "15/04/2025")
            .build();
        assert!(!has_no_plan_flag(&flags(&r, date("20/04/2025"), &cal())));
    }

    #[test]
    fn undecided_plan_does_not_count() {
        let r = child("01/03/2012")
            .ep("06/01/2025  S  C2  U6  PR1  open")
            .reviews(&["20/01/2025", "15/04/2025"])
            .plan("undecided", "10/01/2025")
            .build();
        assert!(has_no_plan_flag(&flags(&r, date("20/04/2025"), &cal())));
    }

    #[test]
    fn choice_plan_agreed_after_second_review_still_flags() {
        // "no PLAN ... was agreed on or before the second review's date": a
        // plan agreed on 01/05/2025, after the second review (15/04/2025),
        // does not lift the flag; the card says when it came.
        let r = child("01/03/2012")
            .ep("06/01/2025  S  C2  U6  PR1  open")
            .reviews(&["20/01/2025", "15/04/2025"])
            .plan("adoption", "01/05/2025")
            .build();
        let f = flags(&r, date("10/05/2025"), &cal());
        assert_eq!(
            f,
            vec![Flag::NoPlanBySecondReview {
                second_review: date("15/04/2025"),
                agreed_later: Some(date("01/05/2025"))
            }]
        );
    }

    #[test]
    fn choice_plan_agreed_before_the_period_counts() {
        // Plan agreed 01/12/2024, before this period began (06/01/2025): it
        // was agreed on or before the second review, so no flag.
        let r = child("01/03/2012")
            .ep("06/01/2025  S  C2  U6  PR1  open")
            .reviews(&["20/01/2025", "15/04/2025"])
            .plan("long-term-fostering", "01/12/2024")
            .build();
        assert!(!has_no_plan_flag(&flags(&r, date("20/04/2025"), &cal())));
    }

    #[test]
    fn two_reviews_on_one_date_make_a_second_review() {
        let r = child("01/03/2012")
            .ep("06/01/2025  S  C2  U6  PR1  open")
            .reviews(&["20/01/2025", "20/01/2025"])
            .build();
        assert!(has_no_plan_flag(&flags(&r, date("21/01/2025"), &cal())));
    }

    #[test]
    fn review_overdue_flag_carries_the_deadline() {
        // First review 20/01/2025 => second due 20/04/2025; D = 25/04/2025.
        let r = child("01/03/2012")
            .ep("06/01/2025  S  C2  U6  PR1  open")
            .reviews(&["20/01/2025"])
            .build();
        let f = flags(&r, date("25/04/2025"), &cal());
        assert_eq!(
            f,
            vec![Flag::ReviewOverdue {
                due: date("20/04/2025")
            }]
        );
        assert_eq!(
            f[0].sentence(),
            "Review overdue: the next review was due by 20/04/2025."
        );
        assert!(flags(&r, date("20/04/2025"), &cal()).is_empty());
    }

    #[test]
    fn no_flags_when_not_looked_after() {
        let r = child("01/03/2012")
            .ep("06/01/2024  S  C2  U6  PR1  01/02/2024")
            .reviews(&["20/01/2024"])
            .build();
        assert!(flags(&r, date("01/06/2025"), &cal()).is_empty());
    }
}
