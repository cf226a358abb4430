//! Papers for a meeting: when they are due.

use crate::model::codes::coded_enum;
use chrono::NaiveDate;

use super::calendar::Calendar;
use super::dates::add_days;
use crate::terms::Papers;

coded_enum!(
    /// Where a paper stands.
    PaperStatus, "a paper status" {
        Awaited = "awaited",
        Received = "received",
        SignedOff = "signed-off",
    }
);

/// The day papers are due for a meeting on `meeting`: `days_before` calendar
/// days before it (moved back to a working day if that is a weekend or bank
/// holiday), or `days_before` working days before it when the terms count
/// working days.
pub fn paper_due(meeting: NaiveDate, papers: &Papers, calendar: &Calendar) -> NaiveDate {
    let mut day = meeting;
    if papers.working_days {
        let mut left = papers.days_before;
        while left > 0 {
            let before = add_days(day, -1);
            if before == day {
                break;
            }
            day = before;
            if calendar.is_working_day(day) {
                left -= 1;
            }
        }
        day
    } else {
        let day = add_days(day, -i64::from(papers.days_before));
        calendar.working_day_from(day, -1)
    }
}

/// Whole days late at `today` (0 when not yet due or already in).
pub fn days_late(due: NaiveDate, status: PaperStatus, today: NaiveDate) -> i64 {
    if status == PaperStatus::Awaited {
        (today - due).num_days().max(0)
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%d/%m/%Y").expect("test date")
    }

    fn papers(days_before: u32, working_days: bool) -> Papers {
        Papers {
            days_before,
            working_days,
            required: vec!["Care Plan".into()],
        }
    }

    #[test]
    fn a_week_before_a_friday_meeting_is_the_friday_before() {
        let cal = Calendar::england_and_wales();
        assert_eq!(
            paper_due(d("27/11/2026"), &papers(7, false), &cal),
            d("20/11/2026")
        );
    }

    #[test]
    fn a_week_before_that_falls_on_good_friday_moves_to_the_thursday() {
        // Meeting Friday 02/04/2027: a week before is Good Friday
        // 26/03/2027, so papers are due on Thursday 25/03/2027.
        let cal = Calendar::england_and_wales();
        assert_eq!(
            paper_due(d("02/04/2027"), &papers(7, false), &cal),
            d("25/03/2027")
        );
    }

    #[test]
    fn five_working_days_before_count_past_christmas() {
        // Meeting Tuesday 29/12/2026. Mon 28/12 is the Boxing Day
        // substitute, Fri 25/12 Christmas Day; counting back from 29/12:
        // 24/12 (1), 23/12 (2), 22/12 (3), 21/12 (4), 18/12 (5).
        let cal = Calendar::england_and_wales();
        assert_eq!(
            paper_due(d("29/12/2026"), &papers(5, true), &cal),
            d("18/12/2026")
        );
    }

    #[test]
    fn lateness_counts_only_awaited_papers() {
        assert_eq!(
            days_late(d("20/11/2026"), PaperStatus::Awaited, d("23/11/2026")),
            3
        );
        assert_eq!(
            days_late(d("20/11/2026"), PaperStatus::Received, d("23/11/2026")),
            0
        );
        assert_eq!(
            days_late(d("20/11/2026"), PaperStatus::Awaited, d("19/11/2026")),
            0
        );
    }

    #[test]
    fn the_earliest_dates_saturate_instead_of_panicking() {
        let calendar = Calendar::england_and_wales();
        for working_days in [false, true] {
            let due = paper_due(NaiveDate::MIN, &papers(60, working_days), &calendar);
            assert_eq!(due, NaiveDate::MIN, "working days: {working_days}");
        }
    }
}
