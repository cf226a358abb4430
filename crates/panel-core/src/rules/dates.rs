//! Calendar arithmetic the rules share: adding months with clamping, the
//! 18th birthday, whole-calendar spans ("9 months 12 days") and the
//! dd/mm/yyyy form every sentence uses, and the one grammar that reads a
//! date back (forms, files, the command line's CSVs; the deadline parser
//! builds on it).

use std::fmt;

use chrono::{Datelike, Months, NaiveDate, Weekday};

/// `d` plus `n` calendar months, clamped to the last day of the month when
/// the day does not exist there (31 May + 9 months = 28 or 29 February).
/// Saturates at the latest date chrono can hold rather than panic.
pub fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(Months::new(n))
        .unwrap_or(NaiveDate::MAX)
}

/// `d` plus `n` days (minus, when `n` is negative). Saturates at the
/// earliest or latest date chrono can hold rather than panic: every place a
/// date moves by days goes through here (or `add_months`).
pub fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    let days = chrono::Days::new(n.unsigned_abs());
    if n >= 0 {
        d.checked_add_days(days).unwrap_or(NaiveDate::MAX)
    } else {
        d.checked_sub_days(days).unwrap_or(NaiveDate::MIN)
    }
}

/// The day a child born on `dob` turns 18. A child born on 29 February turns
/// 18 on 28 February when that year is not a leap year (months clamp).
pub fn eighteenth_birthday(dob: NaiveDate) -> NaiveDate {
    add_months(dob, 18 * 12)
}

/// Whether a child born on `dob` is 18 or older on `d`.
pub fn is_18_or_over(dob: NaiveDate, d: NaiveDate) -> bool {
    d >= eighteenth_birthday(dob)
}

/// A duration in whole calendar years, months and days, as a chair says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub years: u32,
    pub months: u32,
    pub days: u32,
}

/// The span from `from` to `to`: the largest whole number of calendar months
/// `m` with `add_months(from, m) <= to`, then the days left over. A `to`
/// before `from` gives the zero span (a duration is never negative).
pub fn span_between(from: NaiveDate, to: NaiveDate) -> Span {
    if to <= from {
        return Span::default();
    }
    // The month difference ignoring days is an upper bound for `m`; clamping
    // can only make add_months smaller, so at most a step or two back.
    let upper = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    let mut months = u32::try_from(upper.max(0)).unwrap_or(0);
    while months > 0 && add_months(from, months) > to {
        months -= 1;
    }
    let days = (to - add_months(from, months)).num_days();
    Span {
        years: months / 12,
        months: months % 12,
        days: u32::try_from(days).unwrap_or(0),
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = [
            (self.years, "year"),
            (self.months, "month"),
            (self.days, "day"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n} {unit}{}", if *n == 1 { "" } else { "s" }))
        .collect();
        if parts.is_empty() {
            f.write_str("0 days")
        } else {
            f.write_str(&parts.join(" "))
        }
    }
}

/// A date as dd/mm/yyyy, the form of the return and of every sentence.
pub fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A date as yyyy-mm-dd, the form of the command line's CSV contracts.
pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A date as councils type and write it: `d/m/yyyy` (one or two digits for
/// the day and the month, so `1/12/2026` and `01/12/2026`), or `yyyy-mm-dd`
/// as our CSV contracts and some case systems write it. Surrounding spaces
/// are ignored. The one reading of a date: forms, importers and CSVs call
/// it, and the deadline grammar adds its own forms on top.
pub fn parse_dmy(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let number = |s: &str, min: usize, max: usize| -> Option<u32> {
        if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (d, m, y) = if let Some((d, rest)) = text.split_once('/') {
        let (m, y) = rest.split_once('/')?;
        (number(d, 1, 2)?, number(m, 1, 2)?, number(y, 4, 4)?)
    } else {
        let (y, rest) = text.split_once('-')?;
        let (m, d) = rest.split_once('-')?;
        (number(d, 1, 2)?, number(m, 1, 2)?, number(y, 4, 4)?)
    };
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// The day's name in English, capitalised: "Thursday".
pub fn weekday_name(w: Weekday) -> &'static str {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::date;

    #[test]
    fn add_months_clamps_31_may_plus_9_months_to_end_of_february() {
        // 2025-05-31 + 9 months = February 2026, which has 28 days.
        assert_eq!(add_months(date("31/05/2025"), 9), date("28/02/2026"));
        // 2023-05-31 + 9 months = February 2024, a leap year: 29 days.
        assert_eq!(add_months(date("31/05/2023"), 9), date("29/02/2024"));
    }

    #[test]
    fn add_months_clamps_31_january_plus_1_month() {
        assert_eq!(add_months(date("31/01/2025"), 1), date("28/02/2025"));
        assert_eq!(add_months(date("31/01/2024"), 1), date("29/02/2024"));
        // A day that exists is kept.
        assert_eq!(add_months(date("15/01/2025"), 1), date("15/02/2025"));
        assert_eq!(add_months(date("15/01/2025"), 0), date("15/01/2025"));
    }

    #[test]
    fn add_days_saturates_both_ways_instead_of_panicking() {
        assert_eq!(add_days(date("31/12/2025"), 1), date("01/01/2026"));
        assert_eq!(add_days(date("01/03/2024"), -1), date("29/02/2024"));
        assert_eq!(add_days(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(add_days(NaiveDate::MIN, -100_000_000), NaiveDate::MIN);
        assert_eq!(add_days(NaiveDate::MIN, i64::MIN), NaiveDate::MIN);
        assert_eq!(add_days(NaiveDate::MAX, i64::MAX), NaiveDate::MAX);
    }

    #[test]
    fn add_months_saturates_instead_of_panicking() {
        assert_eq!(add_months(NaiveDate::MAX, 1), NaiveDate::MAX);
    }

    #[test]
    fn eighteenth_birthday_of_an_ordinary_date() {
        assert_eq!(eighteenth_birthday(date("14/07/2007")), date("14/07/2025"));
        assert!(!is_18_or_over(date("14/07/2007"), date("13/07/2025")));
        assert!(is_18_or_over(date("14/07/2007"), date("14/07/2025")));
    }

    #[test]
    fn child_born_on_29_february_turns_18_on_28_february_in_a_common_year() {
        // Born 29/02/2008; 2026 is not a leap year, so 18 on 28/02/2026.
        let dob = date("29/02/2008");
        assert_eq!(eighteenth_birthday(dob), date("28/02/2026"));
        assert!(!is_18_or_over(dob, date("27/02/2026")), "the day before");
        assert!(is_18_or_over(dob, date("28/02/2026")), "the day itself");
        // Born 29/02/2004; 2022 is not a leap year either.
        assert_eq!(eighteenth_birthday(date("29/02/2004")), date("28/02/2022"));
    }

    #[test]
    fn a_29_february_birthday_is_never_a_leap_day_at_18() {
        // 18 is not a multiple of 4, so the 18th birthday of a leap-day child
        // always falls in a common year and always clamps to 28 February.
        for year in [1996, 2000, 2004, 2008, 2012, 2016] {
            let dob = NaiveDate::from_ymd_opt(year, 2, 29).unwrap();
            let birthday = eighteenth_birthday(dob);
            assert_eq!(
                (birthday.year(), birthday.month(), birthday.day()),
                (year + 18, 2, 28)
            );
        }
    }

    #[test]
    fn span_counts_whole_calendar_months_then_days() {
        // 14/02/2025 + 9 months = 14/11/2025; 12 days more to 26/11/2025.
        let s = span_between(date("14/02/2025"), date("26/11/2025"));
        assert_eq!(
            s,
            Span {
                years: 0,
                months: 9,
                days: 12
            }
        );
        assert_eq!(s.to_string(), "9 months 12 days");
        // 1 year 2 months exactly.
        let s = span_between(date("10/01/2024"), date("10/03/2025"));
        assert_eq!(s.to_string(), "1 year 2 months");
        assert_eq!(
            span_between(date("01/03/2025"), date("04/03/2025")).to_string(),
            "3 days"
        );
        assert_eq!(
            span_between(date("01/03/2025"), date("01/03/2025")).to_string(),
            "0 days"
        );
        assert_eq!(
            span_between(date("01/01/2020"), date("02/02/2022")).to_string(),
            "2 years 1 month 1 day"
        );
    }

    #[test]
    fn span_uses_clamped_months() {
        // 31/01 + 1 month = 28/02 (clamped) <= 28/02, so one whole month.
        assert_eq!(
            span_between(date("31/01/2025"), date("28/02/2025")).to_string(),
            "1 month"
        );
        // 31/01 + 1 month = 28/02; 01/03 is one day later.
        assert_eq!(
            span_between(date("31/01/2025"), date("01/03/2025")).to_string(),
            "1 month 1 day"
        );
        // 30/01 + 1 month = 28/02 (clamped); 27/02 is before it: 28 days.
        assert_eq!(
            span_between(date("30/01/2025"), date("27/02/2025")).to_string(),
            "28 days"
        );
    }

    #[test]
    fn span_backwards_is_zero() {
        assert_eq!(
            span_between(date("02/03/2025"), date("01/03/2025")),
            Span::default()
        );
    }

    #[test]
    fn age_of_a_leap_day_child_matches_the_eighteenth_birthday() {
        let dob = date("29/02/2008");
        assert_eq!(span_between(dob, date("27/02/2026")).years, 17);
        assert_eq!(
            span_between(dob, date("28/02/2026")).to_string(),
            "18 years"
        );
    }

    #[test]
    fn parse_dmy_reads_one_or_two_digit_days_and_months_and_iso() {
        let first_of_december = NaiveDate::from_ymd_opt(2026, 12, 1);
        assert_eq!(parse_dmy("1/12/2026"), first_of_december);
        assert_eq!(parse_dmy("01/12/2026"), first_of_december);
        assert_eq!(parse_dmy(" 2026-12-01 "), first_of_december);
        assert_eq!(parse_dmy("2026-12-1"), first_of_december);
    }

    #[test]
    fn parse_dmy_refuses_what_is_not_a_whole_date() {
        for text in [
            "",
            "31/02/2026",
            "1/12/26",
            "01/12",
            "1-12-2026",
            "x/12/2026",
            "001/12/2026",
            "01/12/2026/1",
            "+1/12/2026",
            "2026/12/01",
            "12/2026",
        ] {
            assert_eq!(parse_dmy(text), None, "{text:?}");
        }
    }

    #[test]
    fn dmy_pads_day_and_month() {
        assert_eq!(dmy(date("02/06/2024")), "02/06/2024");
    }
}
