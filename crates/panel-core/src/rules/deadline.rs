//! Deadlines typed the way people say them in the room: `31/12`,
//! `31/12/2026`, `+2w`, `3 weeks`, `next fri`, `end of month`,
//! `before next panel`, `at next panel`. Pure: today and the next panel's
//! date are given.

use chrono::{Datelike, Days, Duration, Months, NaiveDate, Weekday};

use super::calendar::Calendar;
use super::dates::{add_months, dmy};

/// The forms accepted, for messages and help.
pub const FORMS: &str =
    "dd/mm/yyyy, 31/12, +2w, 3 weeks, next fri, end of month, before next panel or at next panel";

/// Resolves a typed deadline. `next_panel` is the next meeting after today,
/// if one is planned. The error names the field and what was typed.
pub fn parse(
    typed: &str,
    today: NaiveDate,
    next_panel: Option<NaiveDate>,
) -> Result<NaiveDate, String> {
    let text = typed.trim().to_lowercase();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let shown = one_line(typed);
    let not_understood = || format!("Deadline: '{shown}' is not a date; type {FORMS}");
    if text.is_empty() {
        return Err(format!("Deadline: type a date ({FORMS})"));
    }
    let date = if text.contains('/') {
        slashed(&text, today)
            .ok_or_else(|| format!("Deadline: {shown} is not a date; type dd/mm/yyyy or dd/mm"))?
    } else if let Some(d) = relative(&text, today) {
        d
    } else if let Some(d) = weekday(&text, today) {
        d
    } else {
        match text.as_str() {
            "today" => today,
            "tomorrow" => today + Duration::days(1),
            "end of month" | "eom" | "end of the month" => last_day_of_month(today),
            "end of next month" => last_day_of_month(add_months(first_of_month(today), 1)),
            "at next panel" | "next panel" | "at the next panel" => {
                next_panel.ok_or("Deadline: no next panel is planned yet; type a date")?
            }
            "before next panel" | "before the next panel" => {
                let panel =
                    next_panel.ok_or("Deadline: no next panel is planned yet; type a date")?;
                let mut day = panel - Duration::days(1);
                let calendar = Calendar::england_and_wales();
                while !calendar.is_working_day(day) {
                    day -= Duration::days(1);
                }
                day
            }
            _ => return Err(not_understood()),
        }
    };
    if date < today {
        // An action due in the past is almost always a mistyped year.
        return Err(format!(
            "Deadline: {} is in the past (today is {})",
            dmy(date),
            dmy(today)
        ));
    }
    Ok(date)
}

/// What was typed, as an error message shows it: on one line (runs of
/// white space, line breaks included, as one space; other control
/// characters escaped), so a pasted block cannot break the status line.
fn one_line(typed: &str) -> String {
    typed
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

/// Whether a deadline falls on a day nobody works, and the working day
/// before it, to offer instead.
pub fn working_day_before_if_closed(date: NaiveDate, calendar: &Calendar) -> Option<NaiveDate> {
    if calendar.is_working_day(date) {
        return None;
    }
    let mut day = date;
    while !calendar.is_working_day(day) {
        day -= Duration::days(1);
    }
    Some(day)
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn last_day_of_month(d: NaiveDate) -> NaiveDate {
    add_months(first_of_month(d), 1) - Duration::days(1)
}

/// `dd/mm/yyyy`, or `dd/mm` (this year, or next if that day has passed).
fn slashed(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let parts: Vec<&str> = text.split('/').collect();
    let number = |s: &str, max_len: usize| -> Option<u32> {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match parts.as_slice() {
        [d, m, y] if y.len() == 4 => {
            NaiveDate::from_ymd_opt(number(y, 4)? as i32, number(m, 2)?, number(d, 2)?)
        }
        [d, m] => {
            let (d, m) = (number(d, 2)?, number(m, 2)?);
            let this_year = NaiveDate::from_ymd_opt(today.year(), m, d);
            match this_year {
                Some(date) if date >= today => Some(date),
                // Passed (or 29/02 in a common year): the next one.
                _ => (1..=8).find_map(|n| NaiveDate::from_ymd_opt(today.year() + n, m, d)),
            }
        }
        _ => None,
    }
}

/// `+2w`, `+10d`, `+3m`, `3 weeks`, `in 10 days`, `2 months`.
fn relative(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let text = text.strip_prefix("in ").unwrap_or(text);
    let (number, unit) = if let Some(rest) = text.strip_prefix('+') {
        let split = rest.find(|c: char| !c.is_ascii_digit())?;
        (rest[..split].parse::<u32>().ok()?, rest[split..].trim())
    } else {
        let (n, unit) = text.split_once(' ')?;
        (n.parse::<u32>().ok()?, unit.trim())
    };
    // Checked: a number too big for the calendar (`+4294967295d`) is not a
    // date, rather than a panic (or, for months, a date clamped to the end
    // of time).
    match unit {
        "d" | "day" | "days" => today.checked_add_days(Days::new(u64::from(number))),
        "w" | "wk" | "week" | "weeks" => today.checked_add_days(Days::new(u64::from(number) * 7)),
        "m" | "month" | "months" => today.checked_add_months(Months::new(number)),
        _ => None,
    }
}

/// `next fri`, `next friday`, `friday`: the next such day after today.
fn weekday(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let name = text.strip_prefix("next ").unwrap_or(text);
    let day = match name {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    };
    let ahead =
        (7 + day.num_days_from_monday() as i64 - today.weekday().num_days_from_monday() as i64) % 7;
    Some(today + Duration::days(if ahead == 0 { 7 } else { ahead }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%d/%m/%Y").expect("test date")
    }

    // Monday 23/11/2026; the next panel is Friday 27/11/2026.
    fn at(typed: &str) -> Result<NaiveDate, String> {
        parse(typed, d("23/11/2026"), Some(d("27/11/2026")))
    }

    #[test]
    fn full_dates_and_day_month() {
        assert_eq!(at("31/12/2026"), Ok(d("31/12/2026")));
        assert_eq!(at("31/12"), Ok(d("31/12/2026")));
        // A day already passed this year is next year's.
        assert_eq!(at("15/01"), Ok(d("15/01/2027")));
        assert_eq!(at("1/2"), Ok(d("01/02/2027")));
        // 29/02 comes in 2028.
        assert_eq!(at("29/02"), Ok(d("29/02/2028")));
    }

    #[test]
    fn impossible_or_past_dates_are_refused_with_the_field_named() {
        assert_eq!(
            at("31/02/2027"),
            Err("Deadline: 31/02/2027 is not a date; type dd/mm/yyyy or dd/mm".into())
        );
        assert_eq!(
            at("2027-01-31"),
            Err(format!(
                "Deadline: '2027-01-31' is not a date; type {FORMS}"
            ))
        );
        assert_eq!(
            at("01/11/2026"),
            Err("Deadline: 01/11/2026 is in the past (today is 23/11/2026)".into())
        );
        assert!(
            at("soon")
                .unwrap_err()
                .starts_with("Deadline: 'soon' is not a date")
        );
        assert!(at("").is_err());
    }

    #[test]
    fn relative_forms() {
        assert_eq!(at("+2w"), Ok(d("07/12/2026")));
        assert_eq!(at("+10d"), Ok(d("03/12/2026")));
        assert_eq!(at("+3m"), Ok(d("23/02/2027")));
        assert_eq!(at("3 weeks"), Ok(d("14/12/2026")));
        assert_eq!(at("in 10 days"), Ok(d("03/12/2026")));
        assert_eq!(at("1 month"), Ok(d("23/12/2026")));
        assert_eq!(at("  3   WEEKS "), Ok(d("14/12/2026")));
    }

    #[test]
    fn numbers_beyond_the_calendar_are_refused_not_a_panic() {
        // Found by tests/rules_prop.rs (plus_n_days_is_exactly_n_days_later;
        // inputs kept in fuzz/regressions/deadline): `+Nd` with a huge N
        // overflowed the date addition and panicked.
        for typed in [
            "+4294967295d",
            "+95007975d",
            "4294967295 weeks",
            "+4294967295m",
        ] {
            assert!(
                at(typed)
                    .unwrap_err()
                    .starts_with(&format!("Deadline: '{typed}' is not a date")),
                "{typed}"
            );
        }
    }

    /// Found by fuzzing (fuzz/regressions/deadline/crash-pasted-lines):
    /// the error echoed line breaks and control characters as typed.
    #[test]
    fn the_error_shows_what_was_typed_on_one_line() {
        assert_eq!(
            at("3 w\0[\0\0\n\n\n\n w s"),
            Err(format!(
                "Deadline: '3 w\\u{{0}}[\\u{{0}}\\u{{0}} w s' is not a date; type {FORMS}"
            ))
        );
        assert_eq!(
            at(" 1/\n2/3 "),
            Err("Deadline: 1/ 2/3 is not a date; type dd/mm/yyyy or dd/mm".into())
        );
    }

    #[test]
    fn months_clamp_to_the_month_end() {
        assert_eq!(parse("+3m", d("30/11/2026"), None), Ok(d("28/02/2027")));
    }

    #[test]
    fn weekdays_are_the_next_one_after_today() {
        assert_eq!(at("next fri"), Ok(d("27/11/2026")));
        assert_eq!(at("friday"), Ok(d("27/11/2026")));
        // Today is Monday: "next mon" is a week on.
        assert_eq!(at("next mon"), Ok(d("30/11/2026")));
        assert_eq!(at("next tue"), Ok(d("24/11/2026")));
    }

    #[test]
    fn month_ends_and_today() {
        assert_eq!(at("end of month"), Ok(d("30/11/2026")));
        assert_eq!(at("end of next month"), Ok(d("31/12/2026")));
        assert_eq!(at("today"), Ok(d("23/11/2026")));
        assert_eq!(at("tomorrow"), Ok(d("24/11/2026")));
    }

    #[test]
    fn the_next_panel_and_the_working_day_before_it() {
        assert_eq!(at("at next panel"), Ok(d("27/11/2026")));
        assert_eq!(at("before next panel"), Ok(d("26/11/2026")));
        // A Monday panel: before it is the Friday.
        assert_eq!(
            parse("before next panel", d("23/11/2026"), Some(d("07/12/2026"))),
            Ok(d("04/12/2026"))
        );
        assert_eq!(
            parse("at next panel", d("23/11/2026"), None),
            Err("Deadline: no next panel is planned yet; type a date".into())
        );
    }

    #[test]
    fn a_deadline_on_a_closed_day_offers_the_working_day_before() {
        let cal = Calendar::england_and_wales();
        // Saturday 26/12/2026 -> Thursday 24/12 (25/12 Christmas).
        assert_eq!(
            working_day_before_if_closed(d("26/12/2026"), &cal),
            Some(d("24/12/2026"))
        );
        assert_eq!(working_day_before_if_closed(d("23/12/2026"), &cal), None);
    }
}
