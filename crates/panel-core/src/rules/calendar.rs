//! Working days in England and Wales: Monday to Friday, less the bank
//! holidays shipped as data in `assets/bank-holidays.csv` (2000 to 2035) and
//! any one-off day an administrator adds.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};

/// The bank holiday table as shipped: `date,name`, one ISO date a line.
const BANK_HOLIDAYS_CSV: &str = include_str!("../../../../assets/bank-holidays.csv");

/// A line of a bank-holiday table that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bank holidays line {line}: '{text}' is not an ISO date (yyyy-mm-dd) followed by a name")]
pub struct CalendarError {
    pub line: usize,
    pub text: String,
}

/// Non-working days other than weekends.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Calendar {
    holidays: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// The bank holidays of England and Wales, 2000 to 2035, as shipped.
    ///
    /// The table is a compile-time constant whose every line a unit test
    /// parses, so lines that cannot be read are skipped here rather than
    /// turned into a runtime error no caller could act on.
    pub fn england_and_wales() -> Calendar {
        Calendar {
            holidays: BANK_HOLIDAYS_CSV
                .lines()
                .filter_map(|line| parse_line(line).ok().flatten())
                .collect(),
        }
    }

    /// Reads a table in the shipped form: an optional `date,name` header,
    /// then one `yyyy-mm-dd,name` a line (the name is optional; blank lines
    /// and lines starting with `#` are skipped).
    pub fn from_csv(text: &str) -> Result<Calendar, CalendarError> {
        let mut holidays = BTreeSet::new();
        for (index, line) in text.lines().enumerate() {
            match parse_line(line) {
                Ok(Some(day)) => {
                    holidays.insert(day);
                }
                Ok(None) => {}
                Err(()) => {
                    return Err(CalendarError {
                        line: index + 1,
                        text: line.to_owned(),
                    });
                }
            }
        }
        Ok(Calendar { holidays })
    }

    /// This calendar plus one-off non-working days (a state funeral, a
    /// coronation announced after the table shipped).
    pub fn with_extra_days(mut self, days: impl IntoIterator<Item = NaiveDate>) -> Calendar {
        self.holidays.extend(days);
        self
    }

    pub fn is_bank_holiday(&self, d: NaiveDate) -> bool {
        self.holidays.contains(&d)
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.is_bank_holiday(d)
    }

    /// The first working day from `d` (itself included) going one day at a
    /// time by `step` (-1 back, +1 forward); stops at chrono's bounds.
    pub fn working_day_from(&self, d: NaiveDate, step: i64) -> NaiveDate {
        let mut day = d;
        while !self.is_working_day(day) {
            let next = super::dates::add_days(day, step);
            if next == day {
                break;
            }
            day = next;
        }
        day
    }

    /// The `n`th working day after `x`, where `x` itself is day 0 whether or
    /// not it is a working day. "Within 20 working days of X" means on or
    /// before `add_working_days(x, 20)`. Saturates at the last date chrono
    /// can hold.
    pub fn add_working_days(&self, x: NaiveDate, n: u32) -> NaiveDate {
        let mut day = x;
        let mut counted = 0;
        while counted < n {
            match day.succ_opt() {
                Some(next) => day = next,
                None => return day,
            }
            if self.is_working_day(day) {
                counted += 1;
            }
        }
        day
    }

    /// The non-working days other than weekends, in date order.
    pub fn holidays(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.holidays.iter().copied()
    }
}

/// `Ok(Some(date))` for a holiday line, `Ok(None)` for a header, comment or
/// blank line, `Err(())` for anything else.
fn parse_line(line: &str) -> Result<Option<NaiveDate>, ()> {
    let line = line.trim().trim_start_matches('\u{feff}');
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let first = line.split(',').next().unwrap_or("").trim();
    if first.eq_ignore_ascii_case("date") {
        return Ok(None);
    }
    NaiveDate::parse_from_str(first, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| ())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::rules::testkit::date;

    #[test]
    fn every_line_of_the_shipped_table_parses() {
        let strict = Calendar::from_csv(BANK_HOLIDAYS_CSV).unwrap();
        assert_eq!(strict, Calendar::england_and_wales());
        // Every data line has a name after the date.
        for line in BANK_HOLIDAYS_CSV.lines().skip(1) {
            let (_, name) = line.split_once(',').unwrap();
            assert!(!name.trim().is_empty(), "{line}");
        }
    }

    #[test]
    fn shipped_table_has_known_dates() {
        let cal = Calendar::england_and_wales();
        for known in [
            "21/04/2025", // Easter Monday 2025
            "18/04/2025", // Good Friday 2025
            "28/12/2026", // Boxing Day substitute (26/12/2026 is a Saturday)
            "03/01/2022", // New Year's Day substitute (01/01/2022 is a Saturday)
            "08/05/2020", // early May moved to VE day
            "03/06/2002", // Golden Jubilee
            "04/06/2002", // spring bank holiday moved
            "04/06/2012", // spring bank holiday moved
            "05/06/2012", // Diamond Jubilee
            "02/06/2022", // spring bank holiday moved
            "03/06/2022", // Platinum Jubilee
            "29/04/2011", // royal wedding
            "19/09/2022", // state funeral
            "08/05/2023", // coronation
            "27/12/2022", // Christmas substitute (25/12/2022 is a Sunday)
            "25/08/2025", // summer bank holiday
            "26/05/2025", // spring bank holiday
            "05/05/2025", // early May
            "26/03/2035", // Easter Monday 2035 (Easter Sunday 25/03/2035)
        ] {
            assert!(
                cal.is_bank_holiday(date(known)),
                "{known} should be a bank holiday"
            );
        }
        for not_one in [
            "04/05/2020", // the first Monday of May 2020 was a working day
            "25/05/2012", // last Monday of May 2012 was moved
            "31/12/1999", // millennium eve is out of the table's range
            "26/12/2026", // Saturday, replaced by the substitute
        ] {
            assert!(
                !cal.is_bank_holiday(date(not_one)),
                "{not_one} is not in the table"
            );
        }
    }

    #[test]
    fn shipped_table_has_eight_a_year_except_the_special_years() {
        let mut per_year: BTreeMap<i32, usize> = BTreeMap::new();
        for day in Calendar::england_and_wales().holidays() {
            *per_year.entry(day.year()).or_default() += 1;
        }
        assert_eq!(
            per_year.keys().copied().collect::<Vec<_>>(),
            (2000..=2035).collect::<Vec<_>>()
        );
        for (year, count) in per_year {
            let expected = match year {
                2002 | 2011 | 2012 | 2023 => 9,
                2022 => 10,
                _ => 8,
            };
            assert_eq!(count, expected, "bank holidays in {year}");
        }
    }

    #[test]
    fn no_shipped_holiday_falls_on_a_weekend() {
        for day in Calendar::england_and_wales().holidays() {
            assert!(
                !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
                "{day}"
            );
        }
    }

    #[test]
    fn a_bad_line_is_named_with_its_number() {
        let err = Calendar::from_csv("date,name\n2025-01-01,New Year\n01/02/2025,x\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.to_string().contains("01/02/2025"), "{err}");
    }

    #[test]
    fn weekends_and_holidays_are_not_working_days() {
        let cal = Calendar::england_and_wales();
        assert!(
            cal.is_working_day(date("22/04/2025")),
            "Tuesday after Easter"
        );
        assert!(!cal.is_working_day(date("21/04/2025")), "Easter Monday");
        assert!(!cal.is_working_day(date("26/04/2025")), "Saturday");
        assert!(!cal.is_working_day(date("27/04/2025")), "Sunday");
    }

    #[test]
    fn day_zero_is_x_itself() {
        let cal = Calendar::england_and_wales();
        // Monday 03/03/2025: X is day 0, so 1 working day is Tuesday.
        assert_eq!(
            cal.add_working_days(date("03/03/2025"), 0),
            date("03/03/2025")
        );
        assert_eq!(
            cal.add_working_days(date("03/03/2025"), 1),
            date("04/03/2025")
        );
        // No holidays in March 2025: 20 working days = 4 weeks to Monday 31/03.
        assert_eq!(
            cal.add_working_days(date("03/03/2025"), 20),
            date("31/03/2025")
        );
        // X on a Saturday still counts from day 0: Monday is day 1.
        assert_eq!(
            cal.add_working_days(date("01/03/2025"), 1),
            date("03/03/2025")
        );
    }

    #[test]
    fn twenty_working_days_across_christmas_and_new_year() {
        let cal = Calendar::england_and_wales();
        // X = Monday 15/12/2025. Working days: 16,17,18,19 (4), 22,23,24 (7),
        // [25, 26 holidays], 29,30,31 (10), [01/01 holiday], 02/01 (11),
        // 05-09/01 (16), 12,13,14,15 (20) -> Thursday 15/01/2026.
        assert_eq!(
            cal.add_working_days(date("15/12/2025"), 20),
            date("15/01/2026")
        );
    }

    #[test]
    fn twenty_working_days_across_easter() {
        let cal = Calendar::england_and_wales();
        // X = Monday 07/04/2025. 08-11 (4), 14-17 (8), [18 Good Friday,
        // 21 Easter Monday], 22-25 (12), 28-30/04 (15), 01,02/05 (17),
        // [05/05 early May], 06,07,08 (20) -> Thursday 08/05/2025.
        assert_eq!(
            cal.add_working_days(date("07/04/2025"), 20),
            date("08/05/2025")
        );
    }

    #[test]
    fn twenty_working_days_across_a_one_off_holiday_added_by_an_administrator() {
        let plain = Calendar::england_and_wales();
        // X = Monday 02/06/2025, no bank holidays until August: 20 working
        // days = 4 weeks -> Monday 30/06/2025.
        assert_eq!(
            plain.add_working_days(date("02/06/2025"), 20),
            date("30/06/2025")
        );
        // A one-off day on Wednesday 11/06/2025 pushes it one working day on.
        let with_one_off = plain.with_extra_days([date("11/06/2025")]);
        assert!(!with_one_off.is_working_day(date("11/06/2025")));
        assert_eq!(
            with_one_off.add_working_days(date("02/06/2025"), 20),
            date("01/07/2025")
        );
    }
}
