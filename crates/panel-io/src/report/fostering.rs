//! Long-term fostering matches against the Fostering Panel's capacity
//! (issue 17): the children waiting for a match on a day, and the slots of
//! the Fostering Panel's sittings in the six months after it. The SMT
//! report's figures and the app's Fostering Panel screen and Home line
//! all count with these, so they say the same numbers.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::model::{ChildId, ChildRecord, PlanKind};
use crate::rules::care::{agreed_plan, care_at, long_term_match_agreed};
use crate::store::FosteringPanel;
use crate::terms::Terms;

/// A child waiting for a long-term fostering match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub child: ChildId,
    /// The day the long-term fostering plan was agreed.
    pub agreed: NaiveDate,
    /// The Fostering Panel sitting the match is booked to, if any.
    pub booked: Option<NaiveDate>,
}

/// The demand for long-term matches on `on` and the capacity set against it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Demand {
    pub on: NaiveDate,
    /// The last day of the six months after `on`.
    pub horizon: NaiveDate,
    /// Looked after on `on` with a long-term fostering plan agreed and no
    /// long-term match agreed, in the order of the records read.
    pub waiting: Vec<Waiting>,
    /// The slots of the sittings after `on` up to `horizon`.
    pub slots: u32,
    /// Of those, the slots not yet booked.
    pub free: u32,
}

impl Demand {
    /// The children waiting who are not booked to a sitting.
    pub fn unbooked(&self) -> impl Iterator<Item = &Waiting> {
        self.waiting.iter().filter(|w| w.booked.is_none())
    }

    /// How many children waiting and not booked the free slots of the next
    /// six months do not reach: the demand the capacity does not meet.
    pub fn beyond_free_slots(&self) -> usize {
        self.unbooked()
            .count()
            .saturating_sub(usize::try_from(self.free).unwrap_or(usize::MAX))
    }
}

/// The last day of the six months after `on`.
pub fn horizon(on: NaiveDate) -> NaiveDate {
    on.checked_add_months(chrono::Months::new(6)).unwrap_or(on)
}

/// The sittings after `on`, up to six months after it.
pub fn sittings_ahead(panels: &[FosteringPanel], on: NaiveDate) -> Vec<&FosteringPanel> {
    let until = horizon(on);
    panels
        .iter()
        .filter(|p| p.date > on && p.date <= until)
        .collect()
}

/// The day a child's long-term fostering plan was agreed, when on `d` the
/// child is looked after with that plan agreed and no long-term match
/// agreed (no match date on or before `d`, not in a U1 or U4 placement).
pub fn waiting_since(record: &ChildRecord, d: NaiveDate) -> Option<NaiveDate> {
    let care = care_at(record, d)?;
    record.episodes.get(care.current)?;
    let (kind, agreed) = agreed_plan(record, d)?;
    (kind == PlanKind::LongTermFostering && !long_term_match_agreed(record, &care, d))
        .then_some(agreed)
}

/// The demand on `on` among `records` and the capacity of `panels` ahead.
pub fn demand<'a>(
    records: impl IntoIterator<Item = &'a ChildRecord>,
    panels: &[FosteringPanel],
    on: NaiveDate,
) -> Demand {
    let booked: BTreeMap<&str, NaiveDate> = panels
        .iter()
        .flat_map(|p| p.booked.iter().map(move |c| (c.as_str(), p.date)))
        .collect();
    let waiting = records
        .into_iter()
        .filter_map(|r| {
            let agreed = waiting_since(r, on)?;
            Some(Waiting {
                child: r.child.id.clone(),
                agreed,
                booked: booked.get(r.child.id.as_str()).copied(),
            })
        })
        .collect();
    let ahead = sittings_ahead(panels, on);
    Demand {
        on,
        horizon: horizon(on),
        waiting,
        slots: ahead.iter().map(|p| p.slots).sum(),
        free: ahead.iter().map(|p| p.free()).sum(),
    }
}

/// Whether the panel's terms ask it to oversee the Fostering Panel's
/// capacity: those that report with the six-monthly SMT report
/// (Wiltshire's), which sets that capacity against demand.
pub fn oversees_capacity(terms: &Terms) -> bool {
    terms
        .reports
        .iter()
        .any(|r| r.id == super::ReportKind::Smt.id())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{child_with_id, date};

    fn sitting(id: i64, on: &str, slots: u32, booked: &[&str]) -> FosteringPanel {
        FosteringPanel {
            id,
            date: date(on),
            slots,
            booked: booked.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    #[test]
    fn demand_counts_plans_without_a_match_and_capacity_the_next_six_months() {
        let records = vec![
            // Waiting since 01/03/2026, booked to January's sitting.
            child_with_id("C1", "01/01/2016")
                .ep("01/01/2024  S  C2  U3  PR1  open")
                .plan("long-term-fostering", "01/03/2026")
                .build(),
            // Waiting, not booked.
            child_with_id("C2", "01/01/2017")
                .ep("01/01/2024  S  C2  U3  PR1  open")
                .plan("long-term-fostering", "01/04/2026")
                .build(),
            // In a long-term foster placement (U4): matched.
            child_with_id("C3", "01/01/2015")
                .ep("01/01/2024  S  C2  U4  PR1  open")
                .plan("long-term-fostering", "01/03/2026")
                .build(),
            // Plan agreed after the day: not waiting yet.
            child_with_id("C4", "01/01/2015")
                .ep("01/01/2024  S  C2  U3  PR1  open")
                .plan("long-term-fostering", "01/12/2026")
                .build(),
            // No longer looked after.
            child_with_id("C5", "01/01/2015")
                .ep("01/01/2024  S  C2  U3  PR1  01/06/2026  E13")
                .plan("long-term-fostering", "01/03/2026")
                .build(),
        ];
        let panels = vec![
            // Before the day, on the day, ahead (two), beyond six months.
            sitting(1, "08/10/2026", 4, &[]),
            sitting(2, "27/11/2026", 4, &[]),
            sitting(3, "14/01/2027", 2, &["C1"]),
            sitting(4, "27/05/2027", 1, &[]),
            sitting(5, "28/05/2027", 9, &[]),
        ];
        let on = date("27/11/2026");
        let d = demand(&records, &panels, on);
        assert_eq!(d.horizon, date("27/05/2027"));
        assert_eq!(
            d.waiting,
            vec![
                Waiting {
                    child: "C1".into(),
                    agreed: date("01/03/2026"),
                    booked: Some(date("14/01/2027")),
                },
                Waiting {
                    child: "C2".into(),
                    agreed: date("01/04/2026"),
                    booked: None,
                },
            ]
        );
        assert_eq!((d.slots, d.free), (3, 2));
        assert_eq!(d.unbooked().count(), 1);
        assert_eq!(d.beyond_free_slots(), 0);
        // With no sitting ahead (so no booking either), both children
        // waiting are beyond the slots.
        let d = demand(&records, &panels[..2], on);
        assert_eq!((d.slots, d.free, d.beyond_free_slots()), (0, 0, 2));
    }

    #[test]
    fn only_terms_with_the_smt_report_oversee_the_capacity() {
        assert!(oversees_capacity(
            &Terms::load("wiltshire").expect("preset")
        ));
        assert!(!oversees_capacity(&Terms::load("telford").expect("preset")));
    }
}
