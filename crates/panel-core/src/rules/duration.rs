//! A length of time as terms of reference write it: "9 months", "four
//! weeks", "10 working days", "1 year". Months and years are calendar
//! months (clamped, as `dates::add_months`); working days skip weekends and
//! the bank holidays of England and Wales.

use std::fmt;
use std::sync::LazyLock;

use chrono::NaiveDate;

use crate::rules::calendar::Calendar;
use crate::rules::dates::{add_days, add_months};

/// A whole number of one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Duration {
    pub amount: u32,
    pub unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    Days,
    WorkingDays,
    Weeks,
    Months,
    Years,
}

/// The longest duration a preset may give: 50 years in any unit keeps every
/// date sum far inside chrono's range.
const MOST_DAYS: u32 = 50 * 366;

/// What a message says was expected.
pub const EXPECTED: &str = "a duration such as \"9 months\", \"4 weeks\", \"20 days\", \
\"10 working days\" or \"1 year\"";

static WORKING_CALENDAR: LazyLock<Calendar> = LazyLock::new(Calendar::england_and_wales);

/// The calendar working days are counted on (England and Wales), read once.
pub fn working_calendar() -> &'static Calendar {
    &WORKING_CALENDAR
}

impl Duration {
    /// Reads "N unit" (N in figures or one to twelve in words).
    pub fn parse(text: &str) -> Result<Duration, String> {
        let lower = text.trim().to_lowercase();
        let words: Vec<&str> = lower.split_whitespace().collect();
        let bad = || format!("'{text}' is not {EXPECTED}");
        let (number, unit_words) = words.split_first().ok_or_else(bad)?;
        let amount = number
            .parse::<u32>()
            .ok()
            .or_else(|| number_word(number))
            .ok_or_else(bad)?;
        let unit = match unit_words.join(" ").as_str() {
            "day" | "days" => Unit::Days,
            "working day" | "working days" => Unit::WorkingDays,
            "week" | "weeks" => Unit::Weeks,
            "month" | "months" => Unit::Months,
            "year" | "years" => Unit::Years,
            _ => return Err(bad()),
        };
        let d = Duration { amount, unit };
        if d.approximate_days() > MOST_DAYS {
            return Err(format!("'{text}' is too long: at most 50 years"));
        }
        Ok(d)
    }

    fn approximate_days(self) -> u32 {
        let per = match self.unit {
            Unit::Days => 1,
            Unit::WorkingDays => 2,
            Unit::Weeks => 7,
            Unit::Months => 31,
            Unit::Years => 366,
        };
        self.amount.saturating_mul(per)
    }

    /// `start` moved on by the duration.
    pub fn after(self, start: NaiveDate) -> NaiveDate {
        match self.unit {
            Unit::Days => add_days(start, i64::from(self.amount)),
            Unit::WorkingDays => WORKING_CALENDAR.add_working_days(start, self.amount),
            Unit::Weeks => add_days(start, 7 * i64::from(self.amount)),
            Unit::Months => add_months(start, self.amount),
            Unit::Years => add_months(start, 12 * self.amount),
        }
    }

    /// `end` moved back by the duration: the earliest start whose
    /// duration has not run out by `end` (for "in the last 12 months").
    pub fn before(self, end: NaiveDate) -> NaiveDate {
        match self.unit {
            Unit::Days => add_days(end, -i64::from(self.amount)),
            Unit::WorkingDays => {
                let mut day = end;
                let mut counted = 0;
                while counted < self.amount && day > NaiveDate::MIN {
                    day = add_days(day, -1);
                    if WORKING_CALENDAR.is_working_day(day) {
                        counted += 1;
                    }
                }
                day
            }
            Unit::Weeks => add_days(end, -7 * i64::from(self.amount)),
            Unit::Months => end
                .checked_sub_months(chrono::Months::new(self.amount))
                .unwrap_or(NaiveDate::MIN),
            Unit::Years => end
                .checked_sub_months(chrono::Months::new(12 * self.amount))
                .unwrap_or(NaiveDate::MIN),
        }
    }

    /// Something started on `start` is longer than this at `d` when `d` is
    /// after `start` plus the duration: exactly 9 months is not longer
    /// than 9 months (`rules.md`).
    pub fn exceeded(self, start: NaiveDate, d: NaiveDate) -> bool {
        d > self.after(start)
    }

    /// Shorter than this at `d`: `d` before `start` plus the duration.
    pub fn not_reached(self, start: NaiveDate, d: NaiveDate) -> bool {
        d < self.after(start)
    }
}

fn number_word(word: &str) -> Option<u32> {
    const WORDS: [&str; 12] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    WORDS
        .iter()
        .position(|w| *w == word)
        .and_then(|i| u32::try_from(i + 1).ok())
        .or_else(|| (word == "a" || word == "an").then_some(1))
}

impl fmt::Display for Duration {
    /// "9 months", "1 month", "10 working days".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (one, many) = match self.unit {
            Unit::Days => ("day", "days"),
            Unit::WorkingDays => ("working day", "working days"),
            Unit::Weeks => ("week", "weeks"),
            Unit::Months => ("month", "months"),
            Unit::Years => ("year", "years"),
        };
        let unit = if self.amount == 1 { one } else { many };
        write!(f, "{} {unit}", self.amount)
    }
}

impl serde::Serialize for Duration {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> serde::Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(d)?;
        Duration::parse(&text).map_err(<D::Error as serde::de::Error>::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::date;

    #[test]
    fn reads_the_ways_terms_write_a_duration() {
        let d = |t: &str| Duration::parse(t).unwrap();
        assert_eq!(
            d("9 months"),
            Duration {
                amount: 9,
                unit: Unit::Months
            }
        );
        assert_eq!(
            d(" Four  Weeks "),
            Duration {
                amount: 4,
                unit: Unit::Weeks
            }
        );
        assert_eq!(
            d("10 working days"),
            Duration {
                amount: 10,
                unit: Unit::WorkingDays
            }
        );
        assert_eq!(
            d("a year"),
            Duration {
                amount: 1,
                unit: Unit::Years
            }
        );
        assert_eq!(d("1 month").to_string(), "1 month");
        assert_eq!(d("six months").to_string(), "6 months");
        for bad in [
            "",
            "months",
            "9",
            "9 fortnights",
            "-1 days",
            "nine and a half months",
        ] {
            let err = Duration::parse(bad).unwrap_err();
            assert!(err.contains("is not a duration"), "{bad}: {err}");
        }
        assert!(
            Duration::parse("4000000000 days")
                .unwrap_err()
                .contains("too long")
        );
    }

    #[test]
    fn exactly_the_duration_is_not_longer_than_it() {
        let nine = Duration::parse("9 months").unwrap();
        let start = date("14/02/2025");
        assert!(!nine.exceeded(start, date("14/11/2025")));
        assert!(nine.exceeded(start, date("15/11/2025")));
        assert!(nine.not_reached(start, date("13/11/2025")));
        assert!(!nine.not_reached(start, date("14/11/2025")));
        // Clamped: 31 May + 9 months is 29 February in a leap year.
        assert!(nine.exceeded(date("31/05/2023"), date("01/03/2024")));
        assert!(!nine.exceeded(date("31/05/2023"), date("29/02/2024")));
    }

    #[test]
    fn working_days_skip_weekends_and_bank_holidays() {
        let ten = Duration::parse("10 working days").unwrap();
        // Fri 19/12/2025 + 10 working days: skips two weekends, 25 and 26
        // December and 1 January.
        assert_eq!(ten.after(date("19/12/2025")), date("07/01/2026"));
        let weeks = Duration::parse("4 weeks").unwrap();
        assert_eq!(weeks.after(date("01/01/2026")), date("29/01/2026"));
        assert_eq!(weeks.before(date("29/01/2026")), date("01/01/2026"));
        let year = Duration::parse("12 months").unwrap();
        assert_eq!(year.before(date("29/02/2024")), date("28/02/2023"));
    }
}
