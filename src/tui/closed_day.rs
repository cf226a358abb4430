//! The question asked when an action's deadline falls on a day nobody
//! works: "Saturday 05/12/2026 is a weekend day. Move it to Friday
//! 04/12/2026, the working day before? y/n". `y` saves the action with
//! the working day offered, `n` with the date as typed, `Esc` saves nothing
//! and goes back to the form.

use chrono::{Datelike, NaiveDate, Weekday};

use super::app::{App, Effect, NoticeKind};
use crate::rules::calendar::Calendar;
use crate::rules::dates::dmy;
use crate::rules::deadline::working_day_before_if_closed;
use crate::store::NewAction;

/// An action waiting for the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedDayQuestion {
    /// The action with the deadline as typed.
    pub action: NewAction,
    /// The working day offered instead.
    pub instead: NaiveDate,
    /// The question, as the status line shows it.
    pub text: String,
}

/// The question for an action due on a closed day; `None` on a working day.
/// The working day before is offered; when that is already past (a
/// deadline of today or tomorrow over a weekend), the next working day is.
pub fn question(
    action: &NewAction,
    today: NaiveDate,
    calendar: &Calendar,
) -> Option<ClosedDayQuestion> {
    let day = action.deadline;
    let before = working_day_before_if_closed(day, calendar)?;
    let (instead, which) = if before >= today {
        (before, "the working day before")
    } else {
        (next_working_day(day, calendar)?, "the next working day")
    };
    let why = if calendar.is_bank_holiday(day) {
        "a bank holiday".to_owned()
    } else {
        format!("a {}", weekday_name(day.weekday()))
    };
    let text = format!(
        "{} is {why}. Move it to {} {}, {which}? y/n",
        dmy(day),
        weekday_name(instead.weekday()),
        dmy(instead)
    );
    Some(ClosedDayQuestion {
        action: action.clone(),
        instead,
        text,
    })
}

fn next_working_day(day: NaiveDate, calendar: &Calendar) -> Option<NaiveDate> {
    // A year holds far fewer closed days in a row than this.
    day.iter_days()
        .skip(1)
        .take(30)
        .find(|d| calendar.is_working_day(*d))
}

fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// The calendar deadlines are judged on.
pub fn calendar() -> Calendar {
    Calendar::england_and_wales()
}

/// The answer: `move_it` saves with the working day offered, else with the
/// date as typed.
pub fn answer(app: &mut App, move_it: bool) -> Vec<Effect> {
    let Some(question) = app.closed_day.take() else {
        return Vec::new();
    };
    let mut action = question.action;
    if move_it {
        action.deadline = question.instead;
    }
    vec![Effect::AddAction(action)]
}

/// `Esc`: nothing is saved; the form keeps what was typed.
pub fn cancel(app: &mut App) {
    if app.closed_day.take().is_some() {
        app.notify(
            NoticeKind::Info,
            "Not saved: change the deadline, then press Enter.",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn action(deadline: NaiveDate) -> NewAction {
        NewAction {
            meeting: 1,
            child: "C000101".into(),
            text: "Book SGO assessment".into(),
            owner: "Team Manager".into(),
            deadline,
        }
    }

    #[test]
    fn a_bank_holiday_offers_the_working_day_before() {
        let q = question(&action(day(2026, 12, 25)), day(2026, 11, 27), &calendar())
            .expect("Christmas Day is closed");
        assert_eq!(q.instead, day(2026, 12, 24));
        assert_eq!(
            q.text,
            "25/12/2026 is a bank holiday. Move it to Thursday 24/12/2026, the working day before? y/n"
        );
    }

    #[test]
    fn a_saturday_offers_the_friday_and_a_working_day_asks_nothing() {
        let q = question(&action(day(2026, 12, 5)), day(2026, 11, 27), &calendar()).unwrap();
        assert_eq!(q.instead, day(2026, 12, 4));
        assert!(
            q.text
                .starts_with("05/12/2026 is a Saturday. Move it to Friday 04/12/2026")
        );
        assert_eq!(
            question(&action(day(2026, 12, 4)), day(2026, 11, 27), &calendar()),
            None
        );
    }

    #[test]
    fn a_closed_day_whose_day_before_is_past_offers_the_next_working_day() {
        // Typed on Saturday 28/11/2026 for Sunday: Friday has gone.
        let q = question(&action(day(2026, 11, 29)), day(2026, 11, 28), &calendar()).unwrap();
        assert_eq!(q.instead, day(2026, 11, 30));
        assert!(
            q.text
                .ends_with("Monday 30/11/2026, the next working day? y/n")
        );
    }
}
