//! The meeting year: which day the panel meets each month, from the cadence
//! in its terms of reference, moved off bank holidays as the terms say.

use chrono::{Datelike, NaiveDate};

use super::calendar::Calendar;
use super::dates::add_days;
use crate::terms::{BankHolidayMove, Cadence, WeekOfMonth};

/// The day the panel meets in a month, moved to the working day before (or
/// after) when the cadence's day is a bank holiday.
pub fn meeting_date(
    cadence: &Cadence,
    year: i32,
    month: u32,
    calendar: &Calendar,
) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let nominal = match cadence.week {
        WeekOfMonth::Last => {
            let next_month = if month == 12 {
                NaiveDate::from_ymd_opt(year + 1, 1, 1)?
            } else {
                NaiveDate::from_ymd_opt(year, month + 1, 1)?
            };
            let last = add_days(next_month, -1);
            let back = (7 + last.weekday().num_days_from_monday()
                - cadence.weekday.num_days_from_monday())
                % 7;
            add_days(last, -i64::from(back))
        }
        week => {
            let n = match week {
                WeekOfMonth::First => 0,
                WeekOfMonth::Second => 1,
                WeekOfMonth::Third => 2,
                _ => 3,
            };
            let ahead = (7 + cadence.weekday.num_days_from_monday()
                - first.weekday().num_days_from_monday())
                % 7;
            add_days(first, i64::from(ahead) + 7 * n)
        }
    };
    let step = match cadence.bank_holiday {
        BankHolidayMove::Earlier => -1,
        BankHolidayMove::Later => 1,
    };
    Some(calendar.working_day_from(nominal, step))
}

/// The year's meeting days, one a month, January to December.
pub fn year_plan(cadence: &Cadence, year: i32, calendar: &Calendar) -> Vec<NaiveDate> {
    (1..=12)
        .filter_map(|month| meeting_date(cadence, year, month, calendar))
        .collect()
}

/// The first meeting day on or after `from`.
pub fn next_meeting_date(cadence: &Cadence, from: NaiveDate, calendar: &Calendar) -> NaiveDate {
    let (mut year, mut month) = (from.year(), from.month());
    loop {
        if let Some(day) = meeting_date(cadence, year, month, calendar)
            && day >= from
        {
            return day;
        }
        if month == 12 {
            year += 1;
            month = 1;
        } else {
            month += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terms::Terms;
    use chrono::Duration;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn wiltshire_meets_on_the_last_friday() {
        let w = Terms::load("wiltshire").unwrap();
        let cal = Calendar::england_and_wales();
        // November 2026 ends on a Monday: the last Friday is the 27th.
        assert_eq!(
            meeting_date(&w.cadence, 2026, 11, &cal),
            Some(d(2026, 11, 27))
        );
        // January 2027 ends on a Sunday; last Friday the 29th.
        assert_eq!(
            meeting_date(&w.cadence, 2027, 1, &cal),
            Some(d(2027, 1, 29))
        );
        // A month ending on a Friday meets that day: April 2027 ends on Friday 30th.
        assert_eq!(
            meeting_date(&w.cadence, 2027, 4, &cal),
            Some(d(2027, 4, 30))
        );
    }

    #[test]
    fn a_last_friday_on_good_friday_moves_to_the_thursday_before() {
        // Good Friday 2024 was 29 March, the last Friday of March 2024.
        let w = Terms::load("wiltshire").unwrap();
        let cal = Calendar::england_and_wales();
        assert_eq!(
            meeting_date(&w.cadence, 2024, 3, &cal),
            Some(d(2024, 3, 28))
        );
    }

    #[test]
    fn telford_assumed_second_tuesday() {
        let t = Terms::load("telford").unwrap();
        let cal = Calendar::england_and_wales();
        // December 2026 starts on a Tuesday: second Tuesday is the 8th.
        assert_eq!(
            meeting_date(&t.cadence, 2026, 12, &cal),
            Some(d(2026, 12, 8))
        );
    }

    #[test]
    fn next_meeting_is_on_or_after_the_day() {
        let w = Terms::load("wiltshire").unwrap();
        let cal = Calendar::england_and_wales();
        assert_eq!(
            next_meeting_date(&w.cadence, d(2026, 11, 27), &cal),
            d(2026, 11, 27)
        );
        // The last Friday of December 2026 is Christmas Day: Thursday 24th.
        assert_eq!(
            next_meeting_date(&w.cadence, d(2026, 11, 28), &cal),
            d(2026, 12, 24)
        );
    }

    #[test]
    fn every_last_friday_from_2000_to_2035_is_the_last_working_friday_or_the_day_before() {
        let wiltshire = crate::terms::Terms::load("wiltshire").unwrap();
        let calendar = Calendar::england_and_wales();
        let mut moved = 0;
        for year in 2000..=2035 {
            let plan = year_plan(&wiltshire.cadence, year, &calendar);
            assert_eq!(plan.len(), 12, "{year}");
            for (i, day) in plan.iter().enumerate() {
                assert_eq!(day.month(), i as u32 + 1, "{day}");
                assert!(calendar.is_working_day(*day), "{day} is not a working day");
                // The month's last Friday, by counting back from its end.
                let mut last_friday = day.with_day(1).unwrap() + Duration::days(40);
                last_friday = last_friday.with_day(1).unwrap() - Duration::days(1);
                while last_friday.weekday() != chrono::Weekday::Fri {
                    last_friday -= Duration::days(1);
                }
                if calendar.is_working_day(last_friday) {
                    assert_eq!(*day, last_friday);
                } else {
                    // Moved earlier, to the nearest working day before.
                    moved += 1;
                    assert!(*day < last_friday);
                    let mut between = *day + Duration::days(1);
                    while between < last_friday {
                        assert!(!calendar.is_working_day(between), "{between} was free");
                        between += Duration::days(1);
                    }
                }
            }
        }
        // Good Fridays and Christmases fall on a last Friday now and then.
        assert!(moved >= 3, "only {moved} moves in 36 years");
    }
}
