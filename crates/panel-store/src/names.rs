//! Children's names: held apart from the SSDA903 extract (the return has no
//! names) and shown only where the panel asks for them (full-name minutes,
//! the chair's screen). Filled by a tracker import or the synthetic demo.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, Transaction, params};

use super::{Result, Store};

/// How a child is named. `full_name` is `None` when only initials are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildName {
    pub full_name: Option<String>,
    /// e.g. "AB"; never empty.
    pub initials: String,
}

impl ChildName {
    /// A name from a full name, with initials from its words ("Amber Birch" -> "AB").
    /// `None` when the name has no letters.
    pub fn from_full_name(full_name: &str) -> Option<ChildName> {
        let full = full_name.split_whitespace().collect::<Vec<_>>().join(" ");
        let initials = initials_of(&full);
        (!initials.is_empty()).then_some(ChildName {
            full_name: Some(full),
            initials,
        })
    }
}

/// The first letter of each word, upper case; hyphenated parts count as
/// words ("Mary-Jane Oak" -> "MJO").
pub fn initials_of(full_name: &str) -> String {
    full_name
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter_map(|word| word.chars().find(|c| c.is_alphabetic()))
        .flat_map(char::to_uppercase)
        .collect()
}

impl Store {
    /// The child's name, if the panel holds one.
    pub fn child_name(&self, child: &str) -> Result<Option<ChildName>> {
        Ok(self
            .conn
            .query_row(
                "SELECT full_name, initials FROM child_identity WHERE child_id = ?1",
                [child],
                |r| {
                    Ok(ChildName {
                        full_name: r.get(0)?,
                        initials: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// Every name held, by child id (one read for a whole list or agenda).
    pub fn child_names(&self) -> Result<HashMap<String, ChildName>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT child_id, full_name, initials FROM child_identity")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    ChildName {
                        full_name: r.get(1)?,
                        initials: r.get(2)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<HashMap<_, _>>>()?;
        Ok(rows)
    }

    /// Sets (or replaces) the names of these children in one transaction,
    /// noting where they came from (`synthetic`, `tracker`, ...).
    pub fn set_child_names(
        &mut self,
        names: &[(String, ChildName)],
        source: &str,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        for (child, name) in names {
            upsert_name(&tx, child, name, source)?;
        }
        super::panel::audit(
            &tx,
            at,
            "child_identity",
            source,
            None,
            &format!("{} children's names set from {source}", names.len()),
        )?;
        tx.commit()?;
        Ok(())
    }
}

pub(super) fn upsert_name(
    tx: &Transaction<'_>,
    child: &str,
    name: &ChildName,
    source: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO child_identity(child_id, full_name, initials, source) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(child_id) DO UPDATE SET full_name = excluded.full_name,
            initials = excluded.initials, source = excluded.source",
    )?
    .execute(params![child, name.full_name, name.initials, source])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("a time")
    }

    #[test]
    fn initials_come_from_each_word_and_hyphenated_part() {
        assert_eq!(initials_of("amber  birch"), "AB");
        assert_eq!(initials_of("Mary-Jane Oak"), "MJO");
        assert_eq!(ChildName::from_full_name("  "), None);
    }

    #[test]
    fn names_are_read_one_at_a_time_or_all_at_once() {
        let mut store = Store::open_in_memory().expect("store");
        let amber = ChildName::from_full_name("Amber Birch").expect("a name");
        store
            .set_child_names(&[("C1".into(), amber.clone())], "synthetic", at())
            .expect("set");
        assert_eq!(store.child_name("C1").expect("read"), Some(amber.clone()));
        assert_eq!(store.child_name("C2").expect("read"), None);
        let all = store.child_names().expect("all");
        assert_eq!(all.len(), 1);
        assert_eq!(all.get("C1"), Some(&amber));
    }

    #[test]
    fn a_purged_child_loses_their_name() {
        let mut store = Store::open_in_memory().expect("store");
        let amber = ChildName::from_full_name("Amber Birch").expect("a name");
        let basil = ChildName::from_full_name("Basil Brook").expect("a name");
        store
            .set_child_names(
                &[("C1".into(), amber), ("C2".into(), basil.clone())],
                "synthetic",
                at(),
            )
            .expect("set");
        let leaver = crate::Leaver {
            child: "C1".into(),
            left_care: chrono::NaiveDate::from_ymd_opt(2019, 1, 1).expect("a date"),
        };
        store.purge(&[leaver], at()).expect("purged");
        assert_eq!(store.child_name("C1").expect("read"), None);
        assert_eq!(store.child_name("C2").expect("read"), Some(basil));
    }
}
