//! What the action form says when a deadline falls on a day nobody works:
//! "25/12/2026 is a bank holiday: Alt+W moves it to Thu 24/12/2026". It is
//! shown beside the field as the deadline is typed, and Alt+W takes the
//! working day offered; saving never stops to ask, so no key typed for the
//! next action can answer a question the administrator has not seen.

use crate::rules::dates::weekday_name;
use chrono::{Datelike, NaiveDate, Weekday};

use crate::rules::calendar::Calendar;
use crate::rules::dates::dmy;
use crate::rules::deadline::working_day_before_if_closed;

/// A deadline on a closed day and the working day offered instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedDay {
    pub instead: NaiveDate,
    /// Why the day is closed: "a bank holiday", "a Saturday".
    pub why: String,
    /// The line the form shows.
    pub text: String,
}

/// The advice for a deadline on a closed day; `None` on a working day.
/// The working day before is offered; when that is not after the meeting
/// (a deadline the day after a Friday meeting falling on a Saturday), the
/// next working day is.
pub fn advice(
    deadline: NaiveDate,
    meeting_day: NaiveDate,
    calendar: &Calendar,
) -> Option<ClosedDay> {
    let before = working_day_before_if_closed(deadline, calendar)?;
    let instead = if before > meeting_day {
        before
    } else {
        next_working_day(deadline, calendar)?
    };
    let why = if calendar.is_bank_holiday(deadline) {
        "a bank holiday".to_owned()
    } else {
        format!("a {}", weekday_name(deadline.weekday()))
    };
    let text = format!(
        "{} is {why}: Alt+W moves it to {} {}",
        dmy(deadline),
        short_weekday(instead.weekday()),
        dmy(instead)
    );
    Some(ClosedDay { instead, why, text })
}

fn next_working_day(day: NaiveDate, calendar: &Calendar) -> Option<NaiveDate> {
    // A year holds far fewer closed days in a row than this.
    day.iter_days()
        .skip(1)
        .take(30)
        .find(|d| calendar.is_working_day(*d))
}

fn short_weekday(w: Weekday) -> &'static str {
    &weekday_name(w)[..3]
}

/// The calendar deadlines are judged on.
pub fn calendar() -> Calendar {
    Calendar::england_and_wales()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_bank_holiday_offers_the_working_day_before() {
        let found = advice(day(2026, 12, 25), day(2026, 11, 27), &calendar())
            .expect("Christmas Day is closed");
        assert_eq!(found.instead, day(2026, 12, 24));
        assert_eq!(
            found.text,
            "25/12/2026 is a bank holiday: Alt+W moves it to Thu 24/12/2026"
        );
    }

    #[test]
    fn a_saturday_offers_the_friday_and_a_working_day_says_nothing() {
        let found = advice(day(2026, 12, 5), day(2026, 11, 27), &calendar()).unwrap();
        assert_eq!(found.instead, day(2026, 12, 4));
        assert_eq!(
            found.text,
            "05/12/2026 is a Saturday: Alt+W moves it to Fri 04/12/2026"
        );
        assert_eq!(
            advice(day(2026, 12, 4), day(2026, 11, 27), &calendar()),
            None
        );
    }

    #[test]
    fn a_closed_day_whose_day_before_is_not_after_the_meeting_offers_the_next_working_day() {
        // A Friday meeting, 27/11/2026, and a deadline on Sunday 29/11:
        // Friday is the meeting itself.
        let found = advice(day(2026, 11, 29), day(2026, 11, 27), &calendar()).unwrap();
        assert_eq!(found.instead, day(2026, 11, 30));
        assert!(found.text.ends_with("Mon 30/11/2026"), "{}", found.text);
    }
}
