//! The statutory review timetable (Care Planning, Placement and Case Review
//! (England) Regulations 2010, reg. 33), counted within the current period
//! of care: first review within 20 working days of the period's start,
//! second within 3 months of the first, each later one within 6 months of
//! the one before.

use chrono::NaiveDate;

use crate::model::ChildRecord;
use crate::rules::calendar::Calendar;
use crate::rules::care::{care_at, reviews_in_period};
use crate::rules::dates::add_months;

/// One child's place in the timetable at D.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimetableRow {
    pub child: String,
    pub period_start: NaiveDate,
    /// Reviews from the period's first day to D; two on one date are two.
    pub reviews_held: u32,
    pub last_review: Option<NaiveDate>,
    /// The deadline for the next review after the last one held.
    pub next_due: NaiveDate,
    /// D is later than `next_due`.
    pub overdue: bool,
}

/// Working days within which the first review falls (the period's start is
/// day 0).
pub const FIRST_REVIEW_WORKING_DAYS: u32 = 20;
/// Months from the first review to the second.
pub const SECOND_REVIEW_MONTHS: u32 = 3;
/// Months between later reviews.
pub const LATER_REVIEW_MONTHS: u32 = 6;

/// The deadline for the next review given the period's start and the
/// reviews held so far (`held` of them, the latest on `last`).
pub fn next_review_due(
    period_start: NaiveDate,
    held: usize,
    last: Option<NaiveDate>,
    calendar: &Calendar,
) -> NaiveDate {
    match (held, last) {
        (0, _) | (_, None) => calendar.add_working_days(period_start, FIRST_REVIEW_WORKING_DAYS),
        (1, Some(first)) => add_months(first, SECOND_REVIEW_MONTHS),
        (_, Some(last)) => add_months(last, LATER_REVIEW_MONTHS),
    }
}

/// The child's timetable row at `d`, or `None` when not looked after.
pub fn timetable(record: &ChildRecord, d: NaiveDate, calendar: &Calendar) -> Option<TimetableRow> {
    let care = care_at(record, d)?;
    let held = reviews_in_period(record, care.period_start, d);
    let last_review = held.last().map(|r| r.review);
    let next_due = next_review_due(care.period_start, held.len(), last_review, calendar);
    Some(TimetableRow {
        child: record.child.id.clone(),
        period_start: care.period_start,
        reviews_held: u32::try_from(held.len()).unwrap_or(u32::MAX),
        last_review,
        next_due,
        overdue: d > next_due,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{child, date};

    fn cal() -> Calendar {
        Calendar::england_and_wales()
    }

    #[test]
    fn first_review_due_20_working_days_after_period_start() {
        // Period starts Mon 03/03/2025 (day 0); no holidays: 4 weeks later is
        // Mon 31/03/2025.
        let r = child("01/03/2012")
            .ep("03/03/2025  S  C2  U6  PR1  open")
            .build();
        let row = timetable(&r, date("31/03/2025"), &cal()).expect("looked after");
        assert_eq!(row.reviews_held, 0);
        assert_eq!(row.last_review, None);
        assert_eq!(row.next_due, date("31/03/2025"));
        assert!(!row.overdue, "D equal to the deadline is not overdue");
        let row = timetable(&r, date("01/04/2025"), &cal()).expect("looked after");
        assert!(row.overdue, "the day after is");
    }

    #[test]
    fn first_review_deadline_skips_christmas_and_boxing_day() {
        // Start Mon 15/12/2025. Working days: 16-19 Dec (4), 22-24 (7),
        // 25 and 26 are bank holidays, 29-31 (10), 01/01/2026 is a bank
        // holiday, 02/01 (11), 05-09 (16), 12-15 (20) => Thu 15/01/2026.
        let r = child("01/03/2012")
            .ep("15/12/2025  S  C2  U6  PR1  open")
            .build();
        let row = timetable(&r, date("20/12/2025"), &cal()).expect("looked after");
        assert_eq!(row.next_due, date("15/01/2026"));
    }

    #[test]
    fn first_review_deadline_skips_easter() {
        // Easter 2025: Good Friday 18/04, Easter Monday 21/04. Start Mon
        // 07/04/2025: 08-11 (4), 14-17 (8), 22-25 (12), 28-30 (15), then
        // 01/05, 02/05 (17), Mon 05/05 is the early May bank holiday,
        // 06-08/05 (20) => Thu 08/05/2025.
        let r = child("01/03/2012")
            .ep("07/04/2025  S  C2  U6  PR1  open")
            .build();
        let row = timetable(&r, date("10/04/2025"), &cal()).expect("looked after");
        assert_eq!(row.next_due, date("08/05/2025"));
    }

    #[test]
    fn first_review_deadline_moves_for_a_one_off_holiday() {
        // As above (03/03/2025 => 31/03/2025) with a one-off day off on
        // Wed 12/03/2025: one more working day => Tue 01/04/2025.
        let r = child("01/03/2012")
            .ep("03/03/2025  S  C2  U6  PR1  open")
            .build();
        let calendar = cal().with_extra_days([date("12/03/2025")]);
        let row = timetable(&r, date("31/03/2025"), &calendar).expect("looked after");
        assert_eq!(row.next_due, date("01/04/2025"));
    }

    #[test]
    fn second_review_due_3_months_after_the_first() {
        // First review 20/01/2025 => second due 20/04/2025.
        let r = child("01/03/2012")
            .ep("06/01/2025  S  C2  U6  PR1  open")
            .reviews(&["20/01/2025"])
            .build();
        let row = timetable(&r, date("01/03/2025"), &cal()).expect("looked after");
        assert_eq!(row.reviews_held, 1);
        assert_eq!(row.last_review, Some(date("20/01/2025")));
        assert_eq!(row.next_due, date("20/04/2025"));
        assert!(
            timetable(&r, date("21/04/2025"), &cal())
                .expect("la")
                .overdue
        );
    }

    #[test]
    fn later_reviews_due_6_months_after_the_one_before_with_clamping() {
        // Reviews 20/01/2025, 31/03/2025 => third due 31/03 + 6 months =
        // 30/09/2025 (September has 30 days).
        let r = child("01/03/2012")
            .ep("06/01/2025  S  C2  U6  PR1  open")
            .reviews(&["20/01/2025", "31/03/2025"])
            .build();
        let row = timetable(&r, date("01/05/2025"), &cal()).expect("looked after");
        assert_eq!(row.reviews_held, 2);
        assert_eq!(row.next_due, date("30/09/2025"));
        assert!(
            !timetable(&r, date("30/09/2025"), &cal())
                .expect("la")
                .overdue
        );
        assert!(
            timetable(&r, date("01/10/2025"), &cal())
                .expect("la")
                .overdue
        );
    }

    #[test]
    fn second_review_clamps_to_end_of_february() {
        // First review 30/11/2024 => second due 28/02/2025 (clamped).
        let r = child("01/03/2012")
            .ep("15/11/2024  S  C2  U6  PR1  open")
            .reviews(&["30/11/2024"])
            .build();
        let row = timetable(&r, date("01/01/2025"), &cal()).expect("looked after");
        assert_eq!(row.next_due, date("28/02/2025"));
    }

    #[test]
    fn reviews_of_an_earlier_period_and_after_d_do_not_count() {
        // Earlier period ended 01/06/2024; new period from 01/09/2024 (a
        // gap). The 2023 review belongs to the old period; the one on
        // 20/12/2024 is after D. So nothing held: due 20 working days after
        // 01/09/2024 (Sun, day 0) => Fri 27/09/2024.
        let r = child("01/03/2012")
            .ep("01/01/2023  S  C2  U6  PR1  01/06/2024")
            .ep("01/09/2024  S  C2  U6  PR1  open")
            .reviews(&["20/01/2023", "20/12/2024"])
            .build();
        let row = timetable(&r, date("01/12/2024"), &cal()).expect("looked after");
        assert_eq!(row.period_start, date("01/09/2024"));
        assert_eq!(row.reviews_held, 0);
        assert_eq!(row.next_due, date("27/09/2024"));
        assert!(row.overdue);
    }

    #[test]
    fn two_reviews_on_one_date_count_as_two() {
        // Two rows on 20/01/2025 => two held, next due 6 months after.
        let r = child("01/03/2012")
            .ep("06/01/2025  S  C2  U6  PR1  open")
            .reviews(&["20/01/2025", "20/01/2025"])
            .build();
        let row = timetable(&r, date("01/02/2025"), &cal()).expect("looked after");
        assert_eq!(row.reviews_held, 2);
        assert_eq!(row.next_due, date("20/07/2025"));
    }

    #[test]
    fn not_looked_after_has_no_row() {
        let r = child("01/03/2012")
            .ep("06/01/2025  S  C2  U6  PR1  01/02/2025")
            .build();
        assert_eq!(timetable(&r, date("01/03/2025"), &cal()), None);
    }
}
