//! The Fostering Panel's capacity (issue 17): its sittings, how many
//! long-term fostering matches each can hear, and the children booked to
//! one. Wiltshire's terms make the permanence panel see "that there is
//! sufficient capacity on the Fostering Panel to ensure long term matches
//! are made in a timely way"; these records are what it oversees with.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, params};

use super::panel::audit;
use super::text::*;
use super::{Result, Store, StoreError};
use crate::model::{ChildId, Id};
use crate::rules::dates::dmy;

/// One sitting of the Fostering Panel and the children booked to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FosteringPanel {
    pub id: Id,
    pub date: NaiveDate,
    /// How many long-term matches it can hear.
    pub slots: u32,
    /// The children booked, by id.
    pub booked: Vec<ChildId>,
}

impl FosteringPanel {
    /// Slots not yet booked.
    pub fn free(&self) -> u32 {
        self.slots
            .saturating_sub(u32::try_from(self.booked.len()).unwrap_or(u32::MAX))
    }
}

/// What booking a child did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Booked {
    /// Booked for the first time.
    New,
    /// Already booked to this sitting: nothing changed.
    Already,
    /// Moved from the sitting of this date.
    MovedFrom(NaiveDate),
}

impl Store {
    /// Records a sitting of the Fostering Panel and how many long-term
    /// matches it can hear; a date already recorded has its slots changed
    /// (never below the children already booked to it). Audited.
    pub fn add_fostering_panel(
        &mut self,
        day: NaiveDate,
        slots: u32,
        at: NaiveDateTime,
    ) -> Result<Id> {
        let tx = self.write()?;
        let existing: Option<(Id, i64)> = tx
            .query_row(
                "SELECT id, slots FROM fostering_panels WHERE date = ?1",
                [date(day)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let id = match existing {
            Some((id, old)) => {
                let booked: i64 = tx.query_row(
                    "SELECT count(*) FROM fostering_panel_bookings WHERE fostering_panel_id = ?1",
                    [id],
                    |r| r.get(0),
                )?;
                if i64::from(slots) < booked {
                    let children = if booked == 1 { "child" } else { "children" };
                    return Err(StoreError::Refused(format!(
                        "the Fostering Panel of {} already has {booked} {children} booked: it cannot have fewer slots than that (asked for {slots})",
                        dmy(day)
                    )));
                }
                tx.execute(
                    "UPDATE fostering_panels SET slots = ?2 WHERE id = ?1",
                    params![id, slots],
                )?;
                audit(
                    &tx,
                    at,
                    "fostering-panel",
                    &id.to_string(),
                    None,
                    &serde_json::json!({ "date": date(day), "old_slots": old, "slots": slots })
                        .to_string(),
                )?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO fostering_panels(date, slots) VALUES (?1, ?2)",
                    params![date(day), slots],
                )?;
                let id = tx.last_insert_rowid();
                audit(
                    &tx,
                    at,
                    "fostering-panel",
                    &id.to_string(),
                    None,
                    &serde_json::json!({ "date": date(day), "slots": slots }).to_string(),
                )?;
                id
            }
        };
        tx.commit()?;
        Ok(id)
    }

    /// Every sitting of the Fostering Panel recorded, by date, with the
    /// children booked to each.
    pub fn fostering_panels(&self) -> Result<Vec<FosteringPanel>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, date, slots FROM fostering_panels ORDER BY date")?;
        let mut panels = stmt
            .query_map([], |r| {
                Ok(FosteringPanel {
                    id: r.get(0)?,
                    date: parse_date(&r.get::<_, String>(1)?)?,
                    slots: u32::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                    booked: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut bookings = self.conn.prepare_cached(
            "SELECT fostering_panel_id, child_id FROM fostering_panel_bookings ORDER BY child_id",
        )?;
        let rows = bookings
            .query_map([], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (panel, child) in rows {
            if let Some(p) = panels.iter_mut().find(|p| p.id == panel) {
                p.booked.push(child);
            }
        }
        Ok(panels)
    }

    /// The sitting each booked child is booked to, by child: what the
    /// tracker shows and what the child's card can call.
    pub fn fostering_bookings(&self) -> Result<HashMap<ChildId, NaiveDate>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT b.child_id, f.date FROM fostering_panel_bookings b
             JOIN fostering_panels f ON f.id = b.fostering_panel_id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, parse_date(&r.get::<_, String>(1)?)?))
            })?
            .collect::<rusqlite::Result<HashMap<_, _>>>()?;
        Ok(rows)
    }

    /// The Fostering Panel a child's long-term match is booked to, if any
    /// (for the child's card).
    pub fn fostering_booking(&self, child: &str) -> Result<Option<NaiveDate>> {
        let day: Option<String> = self
            .conn
            .query_row(
                "SELECT f.date FROM fostering_panel_bookings b
                 JOIN fostering_panels f ON f.id = b.fostering_panel_id WHERE b.child_id = ?1",
                [child],
                |r| r.get(0),
            )
            .optional()?;
        day.map(|d| parse_date(&d)).transpose().map_err(Into::into)
    }

    /// Books a child's long-term match to the Fostering Panel sitting on
    /// `day`: refused when no sitting is recorded that day, when its slots
    /// are all booked, or when the child is not in the returns held. A
    /// child already booked elsewhere is moved. Audited.
    pub fn book_fostering_panel(
        &mut self,
        child: &str,
        day: NaiveDate,
        at: NaiveDateTime,
    ) -> Result<Booked> {
        let tx = self.write()?;
        let known: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM histories WHERE child_id = ?1)",
            [child],
            |r| r.get(0),
        )?;
        if !known {
            return Err(StoreError::Refused(format!(
                "there is no child {child} in the returns held"
            )));
        }
        let sitting: Option<(Id, i64)> = tx
            .query_row(
                "SELECT id, slots FROM fostering_panels WHERE date = ?1",
                [date(day)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((panel, slots)) = sitting else {
            return Err(StoreError::Refused(format!(
                "no Fostering Panel is recorded on {}: record the sitting and its slots first",
                dmy(day)
            )));
        };
        let before: Option<(Id, String)> = tx
            .query_row(
                "SELECT b.fostering_panel_id, f.date FROM fostering_panel_bookings b
                 JOIN fostering_panels f ON f.id = b.fostering_panel_id WHERE b.child_id = ?1",
                [child],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if before.as_ref().is_some_and(|(p, _)| *p == panel) {
            return Ok(Booked::Already);
        }
        let booked: Vec<String> = tx
            .prepare("SELECT child_id FROM fostering_panel_bookings WHERE fostering_panel_id = ?1 ORDER BY child_id")?
            .query_map([panel], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if i64::try_from(booked.len()).unwrap_or(i64::MAX) >= slots {
            let slots_booked = if slots == 1 {
                "its one slot is booked".to_owned()
            } else {
                format!("its {slots} slots are booked")
            };
            return Err(StoreError::Refused(format!(
                "the Fostering Panel of {} is full: {slots_booked} ({})",
                dmy(day),
                booked.join(", ")
            )));
        }
        tx.execute(
            "INSERT INTO fostering_panel_bookings(child_id, fostering_panel_id, booked_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(child_id) DO UPDATE SET fostering_panel_id = excluded.fostering_panel_id,
                booked_at = excluded.booked_at",
            params![child, panel, datetime(at)],
        )?;
        let old = before.as_ref().map(|(_, d)| parse_date(d)).transpose()?;
        audit(
            &tx,
            at,
            "fostering-booking",
            child,
            Some(child),
            &serde_json::json!({ "old": old.map(date), "new": date(day) }).to_string(),
        )?;
        tx.commit()?;
        Ok(match old {
            Some(d) => Booked::MovedFrom(d),
            None => Booked::New,
        })
    }

    /// Takes a child's long-term match off the Fostering Panel sitting it
    /// is booked to; refused when the child is booked to none. Gives the
    /// sitting's date. Audited.
    pub fn unbook_fostering_panel(&mut self, child: &str, at: NaiveDateTime) -> Result<NaiveDate> {
        let tx = self.write()?;
        let day: Option<String> = tx
            .query_row(
                "SELECT f.date FROM fostering_panel_bookings b
                 JOIN fostering_panels f ON f.id = b.fostering_panel_id WHERE b.child_id = ?1",
                [child],
                |r| r.get(0),
            )
            .optional()?;
        let Some(day) = day else {
            return Err(StoreError::Refused(format!(
                "{child} is not booked to a Fostering Panel"
            )));
        };
        let day = parse_date(&day)?;
        tx.execute(
            "DELETE FROM fostering_panel_bookings WHERE child_id = ?1",
            [child],
        )?;
        audit(
            &tx,
            at,
            "fostering-booking",
            child,
            Some(child),
            &serde_json::json!({ "old": date(day), "new": null }).to_string(),
        )?;
        tx.commit()?;
        Ok(day)
    }

    /// Removes the Fostering Panel sitting on `day`; refused when none is
    /// recorded that day or when children are booked to it (their bookings
    /// come off first). Gives the slots it had. Audited.
    pub fn remove_fostering_panel(&mut self, day: NaiveDate, at: NaiveDateTime) -> Result<u32> {
        let tx = self.write()?;
        let sitting: Option<(Id, i64)> = tx
            .query_row(
                "SELECT id, slots FROM fostering_panels WHERE date = ?1",
                [date(day)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((id, slots)) = sitting else {
            return Err(StoreError::Refused(format!(
                "no Fostering Panel is recorded on {}",
                dmy(day)
            )));
        };
        let booked: Vec<String> = tx
            .prepare("SELECT child_id FROM fostering_panel_bookings WHERE fostering_panel_id = ?1 ORDER BY child_id")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if !booked.is_empty() {
            let children = if booked.len() == 1 {
                "1 child is".to_owned()
            } else {
                format!("{} children are", booked.len())
            };
            return Err(StoreError::Refused(format!(
                "the Fostering Panel of {} cannot be removed: {children} booked to it ({}); take their bookings off first",
                dmy(day),
                booked.join(", ")
            )));
        }
        tx.execute("DELETE FROM fostering_panels WHERE id = ?1", [id])?;
        audit(
            &tx,
            at,
            "fostering-panel",
            &id.to_string(),
            None,
            &serde_json::json!({ "date": date(day), "old_slots": slots, "removed": true })
                .to_string(),
        )?;
        tx.commit()?;
        Ok(u32::try_from(slots).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32, m: u32, y: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    fn at(d: NaiveDate) -> NaiveDateTime {
        d.and_hms_opt(9, 0, 0).expect("a time")
    }

    fn with_children(ids: &[&str]) -> Store {
        let mut store = Store::open_in_memory().expect("store");
        let mut import = store.begin_extract_import().expect("import");
        for id in ids {
            let record = panel_core::rules::testkit::child_with_id(id, "01/01/2015").build();
            import.insert_child(&record.child).expect("child");
        }
        import
            .finish(at(NaiveDate::from_ymd_opt(2026, 1, 5).expect("a day")), &[])
            .expect("imported");
        store
    }

    #[test]
    fn a_sitting_takes_as_many_children_as_it_has_slots_and_no_more() {
        let mut store = with_children(&["C1", "C2", "C3"]);
        let jan = day(14, 1, 2027);
        store.add_fostering_panel(jan, 2, at(jan)).expect("added");
        assert_eq!(
            store
                .book_fostering_panel("C1", jan, at(jan))
                .expect("booked"),
            Booked::New
        );
        store
            .book_fostering_panel("C2", jan, at(jan))
            .expect("booked");
        let full = store.book_fostering_panel("C3", jan, at(jan));
        assert!(
            matches!(&full, Err(StoreError::Refused(why)) if why == "the Fostering Panel of 14/01/2027 is full: its 2 slots are booked (C1, C2)"),
            "{full:?}"
        );
        let panels = store.fostering_panels().expect("read");
        assert_eq!(panels.len(), 1);
        assert_eq!(panels[0].booked, vec!["C1".to_owned(), "C2".to_owned()]);
        assert_eq!(panels[0].free(), 0);
        // Fewer slots than children booked is refused; more is fine.
        assert!(store.add_fostering_panel(jan, 1, at(jan)).is_err());
        store.add_fostering_panel(jan, 3, at(jan)).expect("widened");
        store
            .book_fostering_panel("C3", jan, at(jan))
            .expect("booked now");
    }

    #[test]
    fn booking_again_moves_the_child_and_is_audited() {
        let mut store = with_children(&["C1"]);
        let (jan, feb) = (day(14, 1, 2027), day(11, 2, 2027));
        store.add_fostering_panel(jan, 1, at(jan)).expect("added");
        store.add_fostering_panel(feb, 1, at(jan)).expect("added");
        store
            .book_fostering_panel("C1", jan, at(jan))
            .expect("booked");
        assert_eq!(
            store
                .book_fostering_panel("C1", jan, at(jan))
                .expect("same"),
            Booked::Already
        );
        assert_eq!(
            store
                .book_fostering_panel("C1", feb, at(jan))
                .expect("moved"),
            Booked::MovedFrom(jan)
        );
        assert_eq!(store.fostering_booking("C1").expect("read"), Some(feb));
        assert_eq!(store.fostering_bookings().expect("read").len(), 1);
        let entries = store.audit_entries().expect("audit");
        let bookings: Vec<_> = entries
            .iter()
            .filter(|e| e.entity == "fostering-booking")
            .collect();
        assert_eq!(bookings.len(), 2, "the booking and the move: {entries:?}");
        assert!(bookings[1].change.contains("\"old\":\"2027-01-14\""));
    }

    #[test]
    fn an_unknown_sitting_or_child_is_refused_by_name() {
        let mut store = with_children(&["C1"]);
        let jan = day(14, 1, 2027);
        let none = store.book_fostering_panel("C1", jan, at(jan));
        assert!(
            matches!(&none, Err(StoreError::Refused(why)) if why.contains("no Fostering Panel is recorded on 14/01/2027")),
            "{none:?}"
        );
        store.add_fostering_panel(jan, 1, at(jan)).expect("added");
        let stranger = store.book_fostering_panel("C9", jan, at(jan));
        assert!(
            matches!(&stranger, Err(StoreError::Refused(why)) if why == "there is no child C9 in the returns held"),
            "{stranger:?}"
        );
    }

    #[test]
    fn a_booking_taken_off_frees_its_slot_and_is_audited() {
        let mut store = with_children(&["C1", "C2"]);
        let jan = day(14, 1, 2027);
        store.add_fostering_panel(jan, 1, at(jan)).expect("added");
        store
            .book_fostering_panel("C1", jan, at(jan))
            .expect("booked");
        assert_eq!(
            store
                .unbook_fostering_panel("C1", at(jan))
                .expect("taken off"),
            jan
        );
        assert_eq!(store.fostering_booking("C1").expect("read"), None);
        assert_eq!(store.fostering_panels().expect("read")[0].free(), 1);
        // The slot is free again for another child.
        store
            .book_fostering_panel("C2", jan, at(jan))
            .expect("booked in the freed slot");
        let again = store.unbook_fostering_panel("C1", at(jan));
        assert!(
            matches!(&again, Err(StoreError::Refused(why)) if why == "C1 is not booked to a Fostering Panel"),
            "{again:?}"
        );
        let entries = store.audit_entries().expect("audit");
        let off = entries
            .iter()
            .rfind(|e| e.entity == "fostering-booking" && e.entity_id == "C1")
            .expect("audited");
        assert_eq!(off.change, r#"{"new":null,"old":"2027-01-14"}"#);
        assert!(store.verify_audit().expect("verify").findings.is_empty());
    }

    #[test]
    fn only_a_sitting_with_no_bookings_is_removed() {
        let mut store = with_children(&["C1"]);
        let jan = day(14, 1, 2027);
        let none = store.remove_fostering_panel(jan, at(jan));
        assert!(
            matches!(&none, Err(StoreError::Refused(why)) if why == "no Fostering Panel is recorded on 14/01/2027"),
            "{none:?}"
        );
        store.add_fostering_panel(jan, 3, at(jan)).expect("added");
        store
            .book_fostering_panel("C1", jan, at(jan))
            .expect("booked");
        let booked = store.remove_fostering_panel(jan, at(jan));
        assert!(
            matches!(&booked, Err(StoreError::Refused(why)) if why == "the Fostering Panel of 14/01/2027 cannot be removed: 1 child is booked to it (C1); take their bookings off first"),
            "{booked:?}"
        );
        assert_eq!(store.fostering_panels().expect("read").len(), 1);
        store.unbook_fostering_panel("C1", at(jan)).expect("off");
        assert_eq!(
            store.remove_fostering_panel(jan, at(jan)).expect("removed"),
            3
        );
        assert!(store.fostering_panels().expect("read").is_empty());
        let entries = store.audit_entries().expect("audit");
        let removed = entries.last().expect("audited");
        assert_eq!(removed.entity, "fostering-panel");
        assert!(
            removed.change.contains("\"removed\":true"),
            "{}",
            removed.change
        );
        assert!(store.verify_audit().expect("verify").findings.is_empty());
    }
}
