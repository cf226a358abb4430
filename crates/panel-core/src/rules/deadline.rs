//! Deadlines typed the way people say them in the room: `31/12/2026`,
//! `1/3/27`, `31/12`, `2027-01-31`, `+2w`, `3 weeks`, `two weeks`,
//! `next week`, `next fri`, `end of month`, `next meeting`,
//! `before next panel`. Pure: the meeting's date and the next meeting's are
//! given. Everything counts from the meeting the action is set at, not from
//! the day it is typed, so minutes typed up the day after resolve as they
//! would have in the room; a deadline must fall after that meeting.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use super::calendar::Calendar;
use super::dates::{add_days, add_months, dmy, parse_dmy};

/// The forms accepted, for messages and help.
pub const FORMS: &str = "dd/mm/yyyy, d/m/yy, 31/12, yyyy-mm-dd, +2w, 3 weeks, two weeks, \
next week, next fri, end of month, next meeting or before next meeting";

/// What "next meeting" says when none is planned after this one.
pub const NO_NEXT_MEETING: &str = "Deadline: no meeting is planned after this one; plan the \
year's meetings with `permanence-panel meetings plan --year YYYY`, or type a date";

/// Resolves a typed deadline for an action set at the meeting on
/// `meeting_day`. `next_meeting` is the next meeting planned after it, if
/// any. The error names the field and what was typed, or why the date
/// cannot be a deadline.
pub fn parse(
    typed: &str,
    meeting_day: NaiveDate,
    next_meeting: Option<NaiveDate>,
) -> Result<NaiveDate, String> {
    let text = typed.trim().to_lowercase();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let shown = one_line(typed);
    let not_understood = || format!("Deadline: '{shown}' is not a date; type {FORMS}");
    if text.is_empty() {
        return Err(format!("Deadline: type a date ({FORMS})"));
    }
    let day = meeting_day;
    let date = if text.contains('/') {
        slashed(&text, day).ok_or_else(|| {
            format!("Deadline: {shown} is not a date; type dd/mm/yyyy, d/m/yy or dd/mm")
        })?
    } else if let Some(d) = iso(&text) {
        d
    } else if let Some(d) = relative(&text, day) {
        d
    } else if let Some(d) = weekday(&text, day) {
        d
    } else {
        let text = text
            .strip_prefix("at ")
            .unwrap_or(&text)
            .replace("the ", "");
        match text.as_str() {
            "today" => day,
            "tomorrow" => add_days(day, 1),
            "next week" => add_days(day, 7),
            "end of month" | "eom" => last_day_of_month(day),
            "end of next month" => last_day_of_month(add_months(first_of_month(day), 1)),
            "next panel" | "next meeting" => next_meeting.ok_or(NO_NEXT_MEETING)?,
            "before next panel" | "before next meeting" => {
                let panel = next_meeting.ok_or(NO_NEXT_MEETING)?;
                Calendar::england_and_wales().working_day_from(add_days(panel, -1), -1)
            }
            _ => return Err(not_understood()),
        }
    };
    if date <= meeting_day {
        // An action due by the meeting that sets it is almost always a
        // mistyped year, or a relative date counted from the wrong day.
        return Err(format!(
            "Deadline: {} is not after the meeting ({}); an action is due after the meeting that sets it",
            dmy(date),
            dmy(meeting_day)
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
    Some(calendar.working_day_from(date, -1))
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn last_day_of_month(d: NaiveDate) -> NaiveDate {
    add_days(add_months(first_of_month(d), 1), -1)
}

/// `dd/mm/yyyy` (the one `parse_dmy`), `d/m/yy` (this century), or
/// `dd/mm`: the first such day after the meeting.
fn slashed(text: &str, after: NaiveDate) -> Option<NaiveDate> {
    if let Some(date) = parse_dmy(text) {
        return Some(date);
    }
    let parts: Vec<&str> = text.split('/').collect();
    let number = |s: &str, max_len: usize| -> Option<u32> {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match parts.as_slice() {
        [d, m, y] if y.len() == 2 => {
            NaiveDate::from_ymd_opt(2000 + number(y, 2)? as i32, number(m, 2)?, number(d, 2)?)
        }
        [d, m] => {
            let (d, m) = (number(d, 2)?, number(m, 2)?);
            // This year, or the first year after in which that day exists
            // after the meeting (29/02 comes round in a leap year).
            (0..=8).find_map(|n| {
                NaiveDate::from_ymd_opt(after.year() + n, m, d).filter(|date| *date > after)
            })
        }
        _ => None,
    }
}

/// `yyyy-mm-dd`, the form of the command line and of spreadsheets.
fn iso(text: &str) -> Option<NaiveDate> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// A count as typed: digits, or a word from "a"/"one" to "twelve".
fn count(word: &str) -> Option<u32> {
    const WORDS: [&str; 12] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    if word == "a" || word == "an" {
        return Some(1);
    }
    if let Some(i) = WORDS.iter().position(|w| *w == word) {
        return Some(i as u32 + 1);
    }
    (!word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()))
        .then(|| word.parse().ok())
        .flatten()
}

/// `+2w`, `+10d`, `+3m`, `3 weeks`, `in 10 days`, `two months`, `a week`.
fn relative(text: &str, from: NaiveDate) -> Option<NaiveDate> {
    let text = text.strip_prefix("in ").unwrap_or(text);
    let (number, unit) = if let Some(rest) = text.strip_prefix('+') {
        let split = rest.find(|c: char| !c.is_ascii_digit())?;
        (rest[..split].parse::<u32>().ok()?, rest[split..].trim())
    } else {
        let (n, unit) = text.split_once(' ')?;
        (count(n)?, unit.trim())
    };
    // Checked: a number too big for the calendar (`+4294967295d`) is not a
    // date, rather than a panic (or, for months, a date clamped to the end
    // of time).
    match unit {
        "d" | "day" | "days" => from.checked_add_days(Days::new(u64::from(number))),
        "w" | "wk" | "week" | "weeks" => from.checked_add_days(Days::new(u64::from(number) * 7)),
        "m" | "month" | "months" => from.checked_add_months(Months::new(number)),
        _ => None,
    }
}

/// `next fri`, `next friday`, `friday`: the next such day after the meeting.
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
    Some(add_days(today, if ahead == 0 { 7 } else { ahead }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%d/%m/%Y").expect("test date")
    }

    // A meeting on Monday 23/11/2026; the next is Friday 27/11/2026.
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
        // The one dd/mm/yyyy grammar, then d/m/yy and yyyy-mm-dd.
        assert_eq!(at("1/3/2027"), Ok(d("01/03/2027")));
        assert_eq!(at("1/3/27"), Ok(d("01/03/2027")));
        assert_eq!(at("2027-01-31"), Ok(d("31/01/2027")));
        // The meeting's own day/month is a year on.
        assert_eq!(at("23/11"), Ok(d("23/11/2027")));
    }

    #[test]
    fn impossible_or_past_dates_are_refused_with_the_field_named() {
        assert_eq!(
            at("31/02/2027"),
            Err("Deadline: 31/02/2027 is not a date; type dd/mm/yyyy, d/m/yy or dd/mm".into())
        );
        assert_eq!(
            at("2027-02-31"),
            Err(format!(
                "Deadline: '2027-02-31' is not a date; type {FORMS}"
            ))
        );
        assert_eq!(
            at("01/11/2026"),
            Err("Deadline: 01/11/2026 is not after the meeting (23/11/2026); an action is due after the meeting that sets it".into())
        );
        // On the meeting's day itself: refused too.
        assert!(
            at("23/11/2026")
                .unwrap_err()
                .contains("is not after the meeting")
        );
        assert!(
            at("today")
                .unwrap_err()
                .contains("is not after the meeting")
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
        assert_eq!(at("two weeks"), Ok(d("07/12/2026")));
        assert_eq!(at("in three months"), Ok(d("23/02/2027")));
        assert_eq!(at("a week"), Ok(d("30/11/2026")));
        assert_eq!(at("next week"), Ok(d("30/11/2026")));
    }

    /// Minutes typed up the day after (or weeks later): every form counts
    /// from the meeting, never from the day it is typed.
    #[test]
    fn relative_forms_count_from_the_meeting_not_the_day_typed() {
        let meeting = d("24/12/2026");
        assert_eq!(parse("3 weeks", meeting, None), Ok(d("14/01/2027")));
        assert_eq!(parse("next fri", meeting, None), Ok(d("25/12/2026")));
        assert_eq!(parse("tomorrow", meeting, None), Ok(d("25/12/2026")));
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
            Err("Deadline: 1/ 2/3 is not a date; type dd/mm/yyyy, d/m/yy or dd/mm".into())
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
        assert_eq!(at("tomorrow"), Ok(d("24/11/2026")));
    }

    #[test]
    fn the_next_panel_and_the_working_day_before_it() {
        assert_eq!(at("at next panel"), Ok(d("27/11/2026")));
        assert_eq!(at("next meeting"), Ok(d("27/11/2026")));
        assert_eq!(at("at the next meeting"), Ok(d("27/11/2026")));
        assert_eq!(at("before next panel"), Ok(d("26/11/2026")));
        // A Monday panel: before it is the Friday.
        assert_eq!(
            parse("before next panel", d("23/11/2026"), Some(d("07/12/2026"))),
            Ok(d("04/12/2026"))
        );
        // None planned after this one: refused, never guessed.
        assert_eq!(
            parse("at next panel", d("23/11/2026"), None),
            Err(NO_NEXT_MEETING.into())
        );
        assert!(NO_NEXT_MEETING.contains("meetings plan --year"));
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
