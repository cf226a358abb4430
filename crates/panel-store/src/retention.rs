//! Retention: removing what the panel may no longer keep about children who
//! left care long ago. The audit trail keeps its entries (that they were
//! purged, and when), as the law on records requires of an audit trail.

use crate::rules::dates::dmy;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::params;

use super::panel::audit;
use super::text::*;
use super::{Result, Store};
use crate::model::ChildId;

/// A child who left care, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaver {
    pub child: ChildId,
    pub left_care: NaiveDate,
}

/// Rows removed, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Purged {
    pub children: usize,
    pub episodes: usize,
    pub reviews: usize,
    pub placed_adoption: usize,
    pub plans: usize,
    pub agenda_items: usize,
    pub decisions: usize,
    pub actions: usize,
    pub referrals: usize,
    pub carry_overs: usize,
    pub papers: usize,
}

/// The panel's tables keyed by child, other than the extract's.
const PANEL_TABLES: [&str; 7] = [
    "plans",
    "agenda_items",
    "decisions",
    "actions",
    "referrals",
    "carry_overs",
    "papers",
];

/// What the panel holds on a child beside its records (schema 6): the
/// name, meetings heard before this program, tracker comments. Removed
/// with the rest; not counted apart, as they are part of the child.
const IDENTITY_TABLES: [&str; 3] = ["child_identity", "heard_history", "child_notes"];

impl Store {
    /// Children in the extract with no open episode whose last episode
    /// ended before `before`.
    pub fn leavers_before(&self, before: NaiveDate) -> Result<Vec<Leaver>> {
        let mut stmt = self.conn.prepare(
            "SELECT child_id, max(dec) FROM episodes GROUP BY child_id
             HAVING count(*) = count(dec) AND max(dec) < ?1 ORDER BY child_id",
        )?;
        let rows = stmt
            .query_map([date(before)], |r| {
                Ok(Leaver {
                    child: r.get(0)?,
                    left_care: parse_date(&r.get::<_, String>(1)?)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Removes everything held on these children in one transaction, and
    /// records in the audit trail that it was done.
    pub fn purge(&mut self, leavers: &[Leaver], at: NaiveDateTime) -> Result<Purged> {
        let tx = self.write()?;
        let mut purged = Purged::default();
        for l in leavers {
            let count = |table: &str| -> rusqlite::Result<usize> {
                tx.query_row(
                    &format!("SELECT count(*) FROM {table} WHERE child_id = ?1"),
                    [&l.child],
                    |r| r.get::<_, i64>(0),
                )
                .map(|n| n as usize)
            };
            purged.episodes += count("episodes")?;
            purged.reviews += count("reviews")?;
            purged.placed_adoption += count("placed_adoption")?;
            let counts: Vec<usize> = PANEL_TABLES
                .iter()
                .map(|t| count(t))
                .collect::<rusqlite::Result<_>>()?;
            purged.plans += counts[0];
            purged.agenda_items += counts[1];
            purged.decisions += counts[2];
            purged.actions += counts[3];
            purged.referrals += counts[4];
            purged.carry_overs += counts[5];
            purged.papers += counts[6];
            // The administrator's private notes go with the rest.
            tx.execute("DELETE FROM admin_notes WHERE child_id = ?1", [&l.child])?;
            for table in PANEL_TABLES.iter().chain(&IDENTITY_TABLES) {
                tx.execute(
                    &format!("DELETE FROM {table} WHERE child_id = ?1"),
                    [&l.child],
                )?;
            }
            // Episodes, reviews and placed-for-adoption rows go with the child.
            purged.children +=
                tx.execute("DELETE FROM children WHERE child_id = ?1", params![l.child])?;
            audit(
                &tx,
                at,
                "child",
                &l.child,
                Some(&l.child),
                &format!(
                    "purged under the retention rule: left care {}",
                    dmy(l.left_care)
                ),
            )?;
        }
        tx.commit()?;
        Ok(purged)
    }
}
