//! The Fostering Panel's sittings and the demand for long-term matches, as
//! the app's Fostering Panel screen and Home show them (issue 17). The
//! counting is the SMT report's (`report::fostering`); only the children
//! with a long-term fostering plan are read, since no other child can be
//! waiting for a long-term match.

use chrono::NaiveDate;

use crate::model::PlanKind;
use crate::report::fostering::{Demand, demand};
use crate::rules::dates::dmy;
use crate::store::{Booked, FosteringPanel, Store};

/// The sittings recorded and the demand set against them on a day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overview {
    /// Every sitting recorded, by date, with the children booked.
    pub panels: Vec<FosteringPanel>,
    pub demand: Demand,
}

impl Overview {
    /// The sitting a child's long-term match is booked to.
    pub fn booking_of(&self, child: &str) -> Option<NaiveDate> {
        self.panels
            .iter()
            .find(|p| p.booked.iter().any(|c| c == child))
            .map(|p| p.date)
    }

    /// The sitting recorded on `day`.
    pub fn sitting_on(&self, day: NaiveDate) -> Option<&FosteringPanel> {
        self.panels.iter().find(|p| p.date == day)
    }
}

/// "The Fostering Panel of 14/01/2027 can hear 2 long-term matches": what
/// recording a sitting (or changing its slots) did, in words.
pub fn slots_sentence(day: NaiveDate, slots: u32) -> String {
    format!(
        "The Fostering Panel of {} can hear {slots} long-term {}",
        dmy(day),
        if slots == 1 { "match" } else { "matches" }
    )
}

/// What booking `child` (as the front end shows them) to the sitting on
/// `day` did, in words.
pub fn booked_sentence(child: &str, day: NaiveDate, booked: &Booked) -> String {
    match booked {
        Booked::New => format!("Booked {child} to the Fostering Panel of {}", dmy(day)),
        Booked::Already => format!(
            "{child} was already booked to the Fostering Panel of {}: nothing changed",
            dmy(day)
        ),
        Booked::MovedFrom(before) => format!(
            "Moved {child} from the Fostering Panel of {} to that of {}",
            dmy(*before),
            dmy(day)
        ),
    }
}

/// The sittings and the demand on `on`.
pub fn overview(store: &Store, on: NaiveDate) -> crate::store::Result<Overview> {
    let panels = store.fostering_panels()?;
    let mut records = Vec::new();
    for child in store.children_with_plan(PlanKind::LongTermFostering)? {
        if let Some(record) = store.child_record(&child)? {
            records.push(record);
        }
    }
    let demand = demand(&records, &panels, on);
    Ok(Overview { panels, demand })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{child_with_id, date};

    /// The report's count over every child's record and the app's over the
    /// children with the plan alone agree.
    #[test]
    fn the_app_counts_what_the_report_counts_reading_only_the_planned_children() {
        let mut store = Store::open_in_memory().expect("store");
        let records = [
            child_with_id("C1", "01/01/2016")
                .ep("01/01/2024  S  C2  U3  PR1  open")
                .plan("long-term-fostering", "01/03/2026")
                .build(),
            child_with_id("C2", "01/01/2017")
                .ep("01/01/2024  S  C2  U3  PR1  open")
                .plan("adoption", "01/03/2026")
                .build(),
            child_with_id("C3", "01/01/2015")
                .ep("01/01/2024  S  C2  U3  PR1  open")
                .build(),
            child_with_id("C4", "01/01/2015")
                .ep("01/01/2024  S  C2  U4  PR1  open")
                .plan("long-term-fostering", "01/03/2026")
                .build(),
        ];
        let on = date("27/11/2026");
        let at = on.and_hms_opt(9, 0, 0).expect("time");
        let mut import = store.begin_extract_import().expect("import");
        for r in &records {
            import.insert_child(&r.child).expect("child");
            for e in &r.episodes {
                import.insert_episode(e).expect("episode");
            }
        }
        import.finish(at, &[]).expect("imported");
        for plan in records.iter().filter_map(|r| r.plan.as_ref()) {
            store.set_plan_facts(plan, at).expect("plan");
        }
        store
            .add_fostering_panel(date("14/01/2027"), 2, at)
            .expect("sitting");
        let app = overview(&store, on).expect("overview");
        let every = demand(
            &store.child_records().expect("records"),
            &store.fostering_panels().expect("panels"),
            on,
        );
        assert_eq!(app.demand, every);
        assert_eq!(
            app.demand
                .waiting
                .iter()
                .map(|w| w.child.as_str())
                .collect::<Vec<_>>(),
            ["C1"]
        );
        assert_eq!((app.demand.slots, app.demand.free), (2, 2));
    }
}
