//! Retention: removing what the panel may no longer keep about children who
//! left care long ago. The audit trail keeps its entries (that they were
//! purged, and when), as the law on records requires of an audit trail.

use crate::rules::dates::dmy;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::params;

use super::audit::{PURGE_ENTITY, REDACTED, REDACTED_ID};
use super::panel::audit;
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
    /// Audit entries about the children whose content was redacted.
    pub audit_entries: usize,
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
        let mut leavers = Vec::new();
        super::history::for_each(&self.conn, super::history::Which::Everyone, |h| {
            let ended: Option<Vec<NaiveDate>> = h.episodes.iter().map(|e| e.dec).collect();
            if let Some(left_care) = ended.and_then(|d| d.into_iter().max())
                && left_care < before
            {
                leavers.push(Leaver {
                    child: h.child.id,
                    left_care,
                });
            }
            Ok(())
        })?;
        Ok(leavers)
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
            if let Some(h) = super::history::read(&tx, &l.child)? {
                purged.episodes += h.episodes.len();
                purged.reviews += h.reviews.len();
                purged.placed_adoption += h.placed.len();
            }
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
            // What goes with a decision (its sign-off, dissent and money),
            // before the decisions themselves.
            for table in [
                "decision_sign_offs",
                "decision_dissents",
                "financial_commitments",
            ] {
                tx.execute(
                    &format!("DELETE FROM {table} WHERE child_id = ?1"),
                    [&l.child],
                )?;
            }
            // The administrator's private notes go with the rest.
            tx.execute("DELETE FROM admin_notes WHERE child_id = ?1", [&l.child])?;
            tx.execute(
                "DELETE FROM fostering_panel_bookings WHERE child_id = ?1",
                [&l.child],
            )?;
            tx.execute(
                "DELETE FROM approved_presenters WHERE child_id = ?1",
                [&l.child],
            )?;
            tx.execute(
                "DELETE FROM interest_declarations WHERE child_id = ?1",
                [&l.child],
            )?;
            // Then the panel's own records, the child's rows in every return
            // held (else the next import would merge them back) and the
            // merged history.
            for table in super::returns::CHILD_ROW_TABLES {
                // Found by return: the key of a return's rows leads with it.
                tx.execute(
                    &format!(
                        "DELETE FROM {table} WHERE return_id IN (SELECT id FROM returns) AND child_id = ?1"
                    ),
                    [&l.child],
                )?;
            }
            for table in PANEL_TABLES.iter().chain(&IDENTITY_TABLES) {
                tx.execute(
                    &format!("DELETE FROM {table} WHERE child_id = ?1"),
                    [&l.child],
                )?;
            }
            if super::history::remove(&tx, &l.child)? {
                purged.children += 1;
            }
            // The audit keeps that a purge happened, not whom it was about:
            // the child's entries are redacted (their hashes stay, so the
            // chain still verifies) and the purge entry names no child.
            let about_child: Vec<i64> = tx
                .prepare(
                    "SELECT id FROM audit_log
                     WHERE (child_id = ?1 OR entity_id = ?1)
                       AND id NOT IN (SELECT entry_id FROM audit_redactions)
                     ORDER BY id",
                )?
                .query_map([&l.child], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let listed = about_child
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            audit(
                &tx,
                at,
                PURGE_ENTITY,
                "retention",
                None,
                &format!(
                    "purged a child under the retention rule (left care {}); redacted audit entries {listed}",
                    dmy(l.left_care)
                ),
            )?;
            let purge_entry = tx.last_insert_rowid();
            for id in &about_child {
                tx.execute(
                    "INSERT INTO audit_redactions(entry_id, purge_entry) VALUES (?1, ?2)",
                    params![id, purge_entry],
                )?;
                tx.execute(
                    "UPDATE audit_log SET child_id = NULL, change = ?2,
                         entity_id = CASE WHEN entity_id = ?3 THEN ?4 ELSE entity_id END
                     WHERE id = ?1",
                    params![id, REDACTED, l.child, REDACTED_ID],
                )?;
            }
            purged.audit_entries += about_child.len();
        }
        tx.commit()?;
        Ok(purged)
    }
}

/// This panel's backups beside `db` (another panel's sharing the folder
/// are left out), oldest first.
pub fn panel_backups(
    db: &std::path::Path,
    panel_id: &str,
    key: Option<&super::Key>,
) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(super::backups_dir(db)) else {
        return Vec::new();
    };
    let mut files: Vec<std::path::PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "db"))
        .filter(|p| super::backup_owner(db, panel_id, p, key) == super::BackupOwner::Ours)
        .collect();
    files.sort();
    files
}

/// This panel's backups (beside `db`) that still hold any of `children`:
/// each read as an immutable file, with `key` when encrypted.
pub fn backups_holding(
    db: &std::path::Path,
    panel_id: &str,
    key: Option<&super::Key>,
    children: &[ChildId],
) -> Vec<std::path::PathBuf> {
    let mut files = panel_backups(db, panel_id, key);
    files.retain(|file| {
        let Ok(conn) = super::crypto::open_immutable(file, key) else {
            return false;
        };
        let holds = |sql: &str, child: &str| {
            conn.query_row(sql, [child], |r| r.get::<_, i64>(0))
                .is_ok_and(|n| n > 0)
        };
        // A backup is of the schema of its day: each table is asked on its
        // own, and one the backup does not have holds nothing.
        children.iter().any(|child| {
            [
                "SELECT count(*) FROM audit_log WHERE child_id = ?1",
                "SELECT count(*) FROM histories WHERE child_id = ?1",
                // Found by the key (return, child), not by reading every
                // return's rows, as the purge finds them.
                "SELECT count(*) FROM return_child_rows
                 WHERE return_id IN (SELECT id FROM returns) AND child_id = ?1",
                // Before schema 29, and before 27.
                "SELECT count(*) FROM children WHERE child_id = ?1",
                "SELECT count(*) FROM return_children WHERE child_id = ?1",
            ]
            .iter()
            .any(|sql| holds(sql, child))
        })
    });
    files
}

impl Store {
    /// Rewrites this backup without the children who left care before
    /// `before` (found in the backup itself: the database may have purged
    /// them already), then VACUUM so their rows leave its free pages too.
    pub fn purge_backup(
        backup: &std::path::Path,
        key: Option<&super::Key>,
        before: NaiveDate,
        at: NaiveDateTime,
    ) -> Result<Purged> {
        let mut store = Store::open_existing_keyed(backup, key)?;
        let leavers = store.leavers_before(before)?;
        if leavers.is_empty() {
            return Ok(Purged::default());
        }
        let purged = store.purge(&leavers, at)?;
        store.conn.execute_batch("VACUUM")?;
        Ok(purged)
    }
}
