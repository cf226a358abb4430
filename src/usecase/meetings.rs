//! Planning the panel's meeting year from the terms' cadence.

use chrono::NaiveDateTime;

use crate::rules::calendar::Calendar;
use crate::rules::meetings::year_plan;
use crate::store::Store;
use crate::terms::Terms;

/// Adds the meetings of `year` that the cadence gives and the store does not
/// hold yet (a meeting already on a day, moved or cancelled, is kept as it
/// is). Returns how many were added.
pub fn plan_year(
    store: &mut Store,
    terms: &Terms,
    year: i32,
    now: NaiveDateTime,
) -> anyhow::Result<usize> {
    let calendar = Calendar::england_and_wales();
    let mut added = 0;
    for day in year_plan(&terms.cadence, year, &calendar) {
        if store.meeting_on(day)?.is_none() {
            store.add_meeting(day, terms.cadence.start, terms.cadence.end, now)?;
            added += 1;
        }
    }
    Ok(added)
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
        let added = plan_year(&mut store, &terms, 2027, now()).expect("planned");
        let held = store.meetings().expect("meetings");
        assert_eq!(added, held.len());
        assert_eq!(
            held.iter().map(|m| m.date).collect::<Vec<_>>(),
            year_plan(&terms.cadence, 2027, &Calendar::england_and_wales()),
        );
        assert!(held.iter().all(|m| m.date.year() == 2027));
        assert_eq!(
            plan_year(&mut store, &terms, 2027, now()).expect("again"),
            0,
            "planning the same year again adds nothing"
        );
    }
}
