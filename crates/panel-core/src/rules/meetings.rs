//! The meeting year: the days the panel sits, from the cadence in its terms
//! of reference (monthly on given weeks, weekly, fortnightly), moved off
//! bank holidays as the terms say.

use chrono::{Datelike, Duration, Months, NaiveDate};

use super::calendar::Calendar;
use crate::model::{Meeting, MeetingStatus};
use crate::terms::{BankHolidayMove, Cadence, Every, WeekOfMonth};

/// The days the panel sits in a month, in order: the cadence's days, each
/// moved to the working day before (or after) when it is a bank holiday, or
/// dropped when the terms skip such days.
pub fn sittings_in_month(
    cadence: &Cadence,
    year: i32,
    month: u32,
    calendar: &Calendar,
) -> Vec<NaiveDate> {
    let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
        return Vec::new();
    };
    let days_in_month = first
        .checked_add_months(Months::new(1))
        .map_or(31, |next| (next - first).num_days());
    let mut days: Vec<NaiveDate> = (0..days_in_month)
        .filter_map(|i| first.checked_add_signed(Duration::days(i)))
        .filter(|d| cadence.weekdays.contains(&d.weekday()))
        .filter(|d| match cadence.every {
            Every::Month => cadence
                .weeks
                .iter()
                .any(|w| is_in_week(*d, *w, days_in_month)),
            Every::Week => true,
            Every::Fortnight => cadence
                .anchor
                .is_some_and(|a| (*d - a).num_days().rem_euclid(14) == 0),
        })
        .filter_map(|d| off_bank_holidays(d, cadence.bank_holiday, calendar))
        .collect();
    days.sort();
    days.dedup();
    days
}

/// Whether `d` is the weekday of week `w` of its month (the last: within
/// the month's final seven days).
fn is_in_week(d: NaiveDate, w: WeekOfMonth, days_in_month: i64) -> bool {
    let day = i64::from(d.day());
    match w {
        WeekOfMonth::First => day <= 7,
        WeekOfMonth::Second => (8..=14).contains(&day),
        WeekOfMonth::Third => (15..=21).contains(&day),
        WeekOfMonth::Fourth => (22..=28).contains(&day),
        WeekOfMonth::Last => day > days_in_month - 7,
    }
}

/// `d`, or the working day the bank-holiday rule moves it to (`None`: no
/// sitting). A year holds far fewer closed days in a row than the bound.
fn off_bank_holidays(
    d: NaiveDate,
    rule: BankHolidayMove,
    calendar: &Calendar,
) -> Option<NaiveDate> {
    let step = match rule {
        BankHolidayMove::Earlier => -1,
        BankHolidayMove::Later => 1,
        BankHolidayMove::Skip => return calendar.is_working_day(d).then_some(d),
    };
    (0..30)
        .filter_map(|i| d.checked_add_signed(Duration::days(step * i)))
        .find(|day| calendar.is_working_day(*day))
}

/// The first day the panel sits in a month (for a panel that sits monthly,
/// its day), if it sits that month.
pub fn meeting_date(
    cadence: &Cadence,
    year: i32,
    month: u32,
    calendar: &Calendar,
) -> Option<NaiveDate> {
    sittings_in_month(cadence, year, month, calendar)
        .first()
        .copied()
}

/// The year's sittings, January to December, in order.
pub fn year_plan(cadence: &Cadence, year: i32, calendar: &Calendar) -> Vec<NaiveDate> {
    (1..=12)
        .flat_map(|month| sittings_in_month(cadence, year, month, calendar))
        .collect()
}

/// The first sitting on or after `from`.
pub fn next_meeting_date(cadence: &Cadence, from: NaiveDate, calendar: &Calendar) -> NaiveDate {
    let (mut year, mut month) = (from.year(), from.month());
    // Any cadence sits within a few months; the bound only stops a loop.
    for _ in 0..48 {
        if let Some(day) = sittings_in_month(cadence, year, month, calendar)
            .into_iter()
            .find(|d| *d >= from)
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
    from
}

/// What the panel has recorded for a meeting, as far as where it stands
/// goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MeetingRecords {
    pub agenda_built: bool,
    /// Someone was marked there (present, in attendance or substituting).
    pub attended: bool,
    /// The panel recorded something at it: a decision, an action or a
    /// child carried over.
    pub recorded: bool,
    pub minutes_approved: bool,
}

/// Where a meeting stands: its stored status read with what was recorded
/// and the date. The one reading of it, for the app's list of meetings and
/// `meetings list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Planned,
    AgendaBuilt,
    AgendaPublished,
    InProgress,
    Held,
    /// Its day is past with nobody marked there and nothing recorded.
    NotHeld,
    MinutesApproved,
    Cancelled,
}

impl Standing {
    /// Where `meeting` stands on `today`: a day gone by with nothing
    /// recorded is a meeting not held, one with attendance, a decision, an
    /// action or a carry-over was held, whatever its stored status says.
    pub fn of(meeting: &Meeting, records: &MeetingRecords, today: NaiveDate) -> Standing {
        let past = meeting.date < today;
        match meeting.status {
            MeetingStatus::Cancelled => Standing::Cancelled,
            _ if records.minutes_approved => Standing::MinutesApproved,
            MeetingStatus::Closed => Standing::Held,
            MeetingStatus::InProgress => Standing::InProgress,
            MeetingStatus::Planned | MeetingStatus::Published if past => {
                if records.attended || records.recorded {
                    Standing::Held
                } else {
                    Standing::NotHeld
                }
            }
            MeetingStatus::Published => Standing::AgendaPublished,
            MeetingStatus::Planned if records.agenda_built => Standing::AgendaBuilt,
            MeetingStatus::Planned => Standing::Planned,
        }
    }

    /// For a script: `not-held`.
    pub fn id(self) -> &'static str {
        match self {
            Standing::Planned => "planned",
            Standing::AgendaBuilt => "agenda-built",
            Standing::AgendaPublished => "agenda-published",
            Standing::InProgress => "in-progress",
            Standing::Held => "held",
            Standing::NotHeld => "not-held",
            Standing::MinutesApproved => "minutes-approved",
            Standing::Cancelled => "cancelled",
        }
    }

    /// For a person: `not held`.
    pub fn words(self) -> &'static str {
        match self {
            Standing::Planned => "planned",
            Standing::AgendaBuilt => "agenda built",
            Standing::AgendaPublished => "agenda published",
            Standing::InProgress => "in progress",
            Standing::Held => "held",
            Standing::NotHeld => "not held",
            Standing::MinutesApproved => "minutes approved",
            Standing::Cancelled => "cancelled",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terms::Terms;

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

    /// Wiltshire's preset with its `[cadence]` table replaced.
    fn with_cadence(cadence: &str) -> Result<Terms, crate::terms::TermsError> {
        let text = Terms::preset_text("wiltshire").unwrap();
        let start = text.find("[cadence]").unwrap();
        let end = start + text[start..].find("\n[").unwrap() + 1;
        let replaced = format!("{}[cadence]\n{cadence}\n{}", &text[..start], &text[end..]);
        Terms::parse(&replaced, "council.toml")
    }

    fn cadence(text: &str) -> Cadence {
        with_cadence(text).expect("a valid cadence").cadence
    }

    #[test]
    fn a_weekly_panel_sits_every_thursday_and_skips_bank_holidays_when_told() {
        // Coventry: every Thursday 10:00-12:00.
        let c = cadence(
            "every = \"week\"\nweekday = \"thursday\"\nstart = \"10:00\"\nend = \"12:00\"\nbank_holiday = \"skip\"",
        );
        let cal = Calendar::england_and_wales();
        let plan = year_plan(&c, 2027, &cal);
        assert!(plan.iter().all(|d| d.weekday() == chrono::Weekday::Thu));
        // 2027 has 52 Thursdays; none is a bank holiday in England.
        assert_eq!(plan.len(), 52);
        assert_eq!(plan[0], d(2027, 1, 7));
        // Christmas Day 2025 is a Thursday: skipped, not moved.
        let dec_2025 = sittings_in_month(&c, 2025, 12, &cal);
        assert!(!dec_2025.contains(&d(2025, 12, 25)));
        assert!(!dec_2025.contains(&d(2025, 12, 24)));
        assert_eq!(
            dec_2025,
            vec![d(2025, 12, 4), d(2025, 12, 11), d(2025, 12, 18)]
        );
    }

    #[test]
    fn a_fortnightly_panel_counts_from_its_anchor() {
        let c = cadence(
            "every = \"fortnight\"\nweekday = \"tuesday\"\nanchor = \"2027-01-05\"\nstart = \"10:00\"\nend = \"12:00\"",
        );
        let cal = Calendar::england_and_wales();
        let jan = sittings_in_month(&c, 2027, 1, &cal);
        assert_eq!(jan, vec![d(2027, 1, 5), d(2027, 1, 19)]);
        // Before the anchor too: 22/12/2026 is two weeks before.
        assert_eq!(
            next_meeting_date(&c, d(2026, 12, 10), &cal),
            d(2026, 12, 22)
        );
    }

    #[test]
    fn several_sittings_a_month_on_given_weeks_and_weekdays() {
        let c = cadence(
            "week = [\"first\", \"third\"]\nweekday = [\"tuesday\", \"thursday\"]\nstart = \"09:30\"\nend = \"12:30\"",
        );
        let cal = Calendar::england_and_wales();
        // March 2027: Tuesdays 2 and 16, Thursdays 4 and 18.
        assert_eq!(
            sittings_in_month(&c, 2027, 3, &cal),
            vec![d(2027, 3, 2), d(2027, 3, 4), d(2027, 3, 16), d(2027, 3, 18)]
        );
        assert_eq!(year_plan(&c, 2027, &cal).len(), 48);
    }

    #[test]
    fn a_cadence_that_cannot_be_read_says_why() {
        let why = |text: &str| with_cadence(text).unwrap_err().to_string();
        assert!(
            why("weekday = \"friday\"\nstart = \"09:30\"\nend = \"13:00\"")
                .contains("a monthly panel needs its week"),
        );
        assert!(
            why("every = \"fortnight\"\nweekday = \"friday\"\nstart = \"09:30\"\nend = \"13:00\"")
                .contains("needs an anchor"),
        );
        assert!(
            why("every = \"fortnight\"\nweekday = \"friday\"\nanchor = \"2027-01-05\"\nstart = \"09:30\"\nend = \"13:00\"")
                .contains("the anchor 2027-01-05 is a Tuesday"),
        );
        assert!(
            why("every = \"week\"\nweek = \"last\"\nweekday = \"friday\"\nstart = \"09:30\"\nend = \"13:00\"")
                .contains("week goes with a monthly panel"),
        );
        let wrong_day = why(
            "every = \"week\"\nweekday = [\"monday\", \"fryday\"]\nstart = \"09:30\"\nend = \"13:00\"",
        );
        assert!(
            wrong_day.contains("'fryday' is not a day of the week"),
            "{wrong_day}"
        );
    }

    #[test]
    fn a_cadence_saves_and_loads_back_unchanged() {
        for text in [
            "week = \"last\"\nweekday = \"friday\"\nstart = \"09:30\"\nend = \"13:00\"",
            "week = [\"first\", \"third\"]\nweekday = [\"tuesday\", \"thursday\"]\nstart = \"09:30\"\nend = \"12:30\"",
            "every = \"fortnight\"\nweekday = \"tuesday\"\nanchor = \"2027-01-05\"\nstart = \"10:00\"\nend = \"12:00\"\nbank_holiday = \"skip\"",
        ] {
            let terms = with_cadence(text).expect("valid");
            let saved = toml::to_string(&terms).expect("saves");
            let back = Terms::parse(&saved, "saved.toml").expect("loads back");
            assert_eq!(back.cadence, terms.cadence);
        }
    }

    #[test]
    fn a_past_meeting_with_nothing_recorded_is_not_held_and_one_with_a_record_was() {
        use crate::model::{Meeting, MeetingStatus};
        let on = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).expect("a date");
        let meeting = |status| Meeting {
            id: 1,
            date: on(27),
            start: chrono::NaiveTime::from_hms_opt(9, 30, 0).expect("time"),
            end: chrono::NaiveTime::from_hms_opt(13, 0, 0).expect("time"),
            status,
            current_item: None,
            cancel_reason: None,
        };
        let nothing = MeetingRecords::default();
        let built = MeetingRecords {
            agenda_built: true,
            ..nothing
        };
        let planned = meeting(MeetingStatus::Planned);
        let published = meeting(MeetingStatus::Published);
        // On its day and before, as it was planned.
        assert_eq!(Standing::of(&planned, &nothing, on(27)), Standing::Planned);
        assert_eq!(
            Standing::of(&planned, &built, on(20)),
            Standing::AgendaBuilt
        );
        assert_eq!(
            Standing::of(&published, &built, on(27)),
            Standing::AgendaPublished
        );
        // The day after: not held, unless someone was there or decided.
        assert_eq!(Standing::of(&planned, &built, on(28)), Standing::NotHeld);
        assert_eq!(Standing::of(&published, &built, on(28)), Standing::NotHeld);
        for records in [
            MeetingRecords {
                attended: true,
                ..nothing
            },
            MeetingRecords {
                recorded: true,
                ..nothing
            },
        ] {
            assert_eq!(Standing::of(&published, &records, on(28)), Standing::Held);
        }
        // The stored status says more where it is not planned.
        assert_eq!(
            Standing::of(&meeting(MeetingStatus::Cancelled), &nothing, on(28)),
            Standing::Cancelled
        );
        assert_eq!(
            Standing::of(&meeting(MeetingStatus::Closed), &nothing, on(28)),
            Standing::Held
        );
        let approved = MeetingRecords {
            minutes_approved: true,
            recorded: true,
            ..nothing
        };
        assert_eq!(
            Standing::of(&meeting(MeetingStatus::Closed), &approved, on(28)),
            Standing::MinutesApproved
        );
        assert_eq!(Standing::NotHeld.words(), "not held");
        assert_eq!(Standing::NotHeld.id(), "not-held");
    }
}
