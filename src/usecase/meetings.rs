//! Planning the panel's meeting year from the terms' cadence.

use chrono::NaiveDateTime;

use crate::rules::calendar::Calendar;
use crate::rules::meetings::year_plan;
use crate::store::Store;
use crate::terms::Terms;

/// Adds the meetings of `year` that the cadence gives and the store does not
/// hold yet (a meeting already on a day, moved or cancelled, is kept as it
/// is). With `past`, `PastDays::LeftOut`, the cadence's days before today
/// are not planned (the app, offering the next year to plan, must not add
/// meetings that would read "not held"); `meetings plan --year`, whose
/// contract is the whole year asked for, plans them (`PastDays::Planned`).
pub fn plan_year(
    store: &mut Store,
    terms: &Terms,
    year: i32,
    past: PastDays,
    now: NaiveDateTime,
) -> anyhow::Result<YearPlanned> {
    let calendar = Calendar::england_and_wales();
    let mut planned = YearPlanned::default();
    for day in year_plan(&terms.cadence, year, &calendar) {
        if store.meeting_on(day)?.is_some() {
            continue;
        }
        // A day already gone cannot be planned: it would read "not held".
        if past == PastDays::LeftOut && day < now.date() {
            planned.past_left_out += 1;
            continue;
        }
        store.add_meeting(day, terms.cadence.start, terms.cadence.end, now)?;
        planned.added += 1;
    }
    Ok(planned)
}

/// Whether planning a year plans the cadence's days already past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PastDays {
    Planned,
    LeftOut,
}

/// What planning a year did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct YearPlanned {
    /// Meetings added.
    pub added: usize,
    /// The cadence's days before today with no meeting, not planned.
    pub past_left_out: usize,
}

impl YearPlanned {
    /// " (3 days already past left out)", or nothing.
    pub fn past_words(&self) -> String {
        match self.past_left_out {
            0 => String::new(),
            1 => " (1 day already past left out)".to_owned(),
            n => format!(" ({n} days already past left out)"),
        }
    }
}

/// Adds an extra sitting on `day` at the cadence's hours (or those given),
/// with the reason. Refused when the panel already meets that day.
pub fn add_extra(
    store: &mut Store,
    terms: &Terms,
    day: chrono::NaiveDate,
    hours: Option<(chrono::NaiveTime, chrono::NaiveTime)>,
    reason: &str,
    now: NaiveDateTime,
) -> anyhow::Result<crate::model::Id> {
    let (start, end) = hours.unwrap_or((terms.cadence.start, terms.cadence.end));
    if end <= start {
        anyhow::bail!("the meeting must end after it starts");
    }
    Ok(store.add_extra_meeting(day, start, end, reason, now)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, NaiveDate};

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 4)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("a time")
    }

    #[test]
    fn a_year_is_planned_once_from_the_cadence() {
        let terms = Terms::load("wiltshire").expect("preset");
        let mut store = Store::open_in_memory().expect("store");
        let added = plan_year(&mut store, &terms, 2027, PastDays::LeftOut, now())
            .expect("planned")
            .added;
        let held = store.meetings().expect("meetings");
        assert_eq!(added, held.len());
        assert_eq!(
            held.iter().map(|m| m.date).collect::<Vec<_>>(),
            year_plan(&terms.cadence, 2027, &Calendar::england_and_wales()),
        );
        assert!(held.iter().all(|m| m.date.year() == 2027));
        assert_eq!(
            plan_year(&mut store, &terms, 2027, PastDays::LeftOut, now()).expect("again"),
            YearPlanned::default(),
            "planning the same year again adds nothing"
        );
    }

    #[test]
    fn an_extra_sitting_is_added_once_with_its_reason_in_the_audit() {
        let terms = Terms::load("wiltshire").expect("preset");
        let mut store = Store::open_in_memory().expect("store");
        let day = NaiveDate::from_ymd_opt(2027, 2, 10).expect("a date");
        let id =
            add_extra(&mut store, &terms, day, None, "Emergency admissions", now()).expect("added");
        let held = store.meetings().expect("meetings");
        assert_eq!(held.len(), 1);
        assert_eq!((held[0].id, held[0].date), (id, day));
        assert_eq!(held[0].start, terms.cadence.start);
        assert!(
            store
                .audit_entries()
                .expect("audit")
                .iter()
                .any(|e| e.change == "an extra sitting: Emergency admissions")
        );
        let again = add_extra(&mut store, &terms, day, None, "twice", now()).unwrap_err();
        assert!(again.to_string().contains("already a meeting"), "{again}");
        let no_reason = add_extra(
            &mut store,
            &terms,
            NaiveDate::from_ymd_opt(2027, 2, 11).expect("a date"),
            None,
            "  ",
            now(),
        )
        .unwrap_err();
        assert!(
            no_reason.to_string().contains("needs a reason"),
            "{no_reason}"
        );
    }

    /// Planning the year in December from the app plans only the days
    /// still to come (the days gone are counted, not added as "planned"
    /// meetings); the command line's `--year` plans the whole year.
    #[test]
    fn planning_the_current_year_in_the_app_leaves_out_the_days_already_past() {
        let terms = Terms::load("wiltshire").expect("preset");
        let mut store = Store::open_in_memory().expect("store");
        let cadence = year_plan(&terms.cadence, 2026, &Calendar::england_and_wales());
        // As the command line asks for it: the whole year.
        let mut whole = Store::open_in_memory().expect("store");
        let asked = plan_year(&mut whole, &terms, 2026, PastDays::Planned, now()).expect("planned");
        assert_eq!((asked.added, asked.past_left_out), (cadence.len(), 0));
        let planned =
            plan_year(&mut store, &terms, 2026, PastDays::LeftOut, now()).expect("planned");
        let held: Vec<NaiveDate> = store
            .meetings()
            .expect("meetings")
            .iter()
            .map(|m| m.date)
            .collect();
        let to_come: Vec<NaiveDate> = cadence
            .iter()
            .copied()
            .filter(|d| *d >= now().date())
            .collect();
        assert_eq!(held, to_come);
        assert!(!to_come.is_empty() && to_come.len() < cadence.len());
        assert_eq!(planned.added, to_come.len());
        assert_eq!(planned.past_left_out, cadence.len() - to_come.len());
        assert_eq!(
            planned.past_words(),
            format!(" ({} days already past left out)", planned.past_left_out)
        );
    }
}
