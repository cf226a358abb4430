//! The merged history the rules read (the tables of the extract), computed
//! from the returns held by `rules::returns::merge_child`: for every child,
//! or for the children an import marked, and written only where it changed.

use std::collections::HashSet;
use std::hash::Hash;
use std::sync::LazyLock;

use rusqlite::{OptionalExtension, Transaction, params};

use super::digest::row_bytes;
use super::packed::{self, PackedTable};
use super::{FIELD_SEPARATOR, MERGED_TABLES, MergeSummary, held};
use crate::Result;
use crate::extract::{
    CHILD_COLUMNS, Columns, EPISODE_COLUMNS, PLACED_COLUMNS, RowsOf, child_from_row_at,
    episode_from_row_at, placed_from_row_at, review_from_row_at, write_child, write_episode,
    write_placed, write_review,
};
use crate::rules::returns::{self, ChildInReturn, CollectionYear, HeldReturn};
use crate::text::*;

/// Which children a merge computes again.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum MergeScope {
    /// Every child (the first import, a whole history, a removal).
    Everyone,
    /// The children in `temp.merge_children`.
    Marked,
}

/// Computes the merged history again from the returns held, for every
/// child or for the children marked (everyone else's kept). A child held
/// back (a problem in a field the rules need, in any return held) is left
/// out of it.
pub(super) fn merge(tx: &Transaction<'_>, scope: MergeScope) -> Result<MergeSummary> {
    // Returns begun but never given a year (a failed read) are not held.
    tx.execute("DELETE FROM returns WHERE year IS NULL", [])?;
    if scope == MergeScope::Everyone {
        // The indexes are built again at the end: one sort is much faster
        // than keeping them up to date row by row.
        tx.execute_batch(
            "DELETE FROM episodes; DELETE FROM reviews; DELETE FROM placed_adoption; DELETE FROM children;
             DELETE FROM child_extras; DELETE FROM merge_warnings; DELETE FROM merged_digests;
             DROP INDEX IF EXISTS episodes_by_child; DROP INDEX IF EXISTS reviews_by_child;
             DROP INDEX IF EXISTS placed_adoption_by_child;",
        )?;
    }
    let held = held(tx)?;
    let mut summary = MergeSummary::default();
    let held_back: HashSet<String> = {
        let mut stmt = tx.prepare(
            "SELECT DISTINCT p.child_id FROM return_problems p JOIN returns r ON r.id = p.return_id
             WHERE p.held_back = 1 AND p.child_id IS NOT NULL ORDER BY p.child_id",
        )?;
        let ids = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        summary.held_back = ids.clone();
        ids.into_iter().collect()
    };
    let merged = if held.is_empty() {
        HashSet::new()
    } else {
        merge_children(tx, &held, &held_back, scope, &mut summary)?
    };
    if scope == MergeScope::Marked {
        // A child marked but in no Header of the returns held now (their
        // only return replaced by one without them) leaves the history.
        let marked = tx
            .prepare("SELECT child_id FROM temp.merge_children")?
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for child in marked.iter().filter(|c| !merged.contains(*c)) {
            if remove_merged(tx, child)? {
                summary.changed += 1;
            }
        }
    }
    if scope == MergeScope::Everyone {
        tx.execute_batch(
            "CREATE INDEX episodes_by_child ON episodes(child_id, decom);
             CREATE INDEX reviews_by_child ON reviews(child_id, review);
             CREATE INDEX placed_adoption_by_child ON placed_adoption(child_id, date_placed);",
        )?;
    }
    summary.children = tx.query_row("SELECT count(*) FROM children", [], |r| r.get(0))?;
    let warnings: i64 = tx.query_row("SELECT count(*) FROM merge_warnings", [], |r| r.get(0))?;
    summary.warnings = usize::try_from(warnings).unwrap_or(usize::MAX);
    Ok(summary)
}

/// A row of a table the rules do not read, as `merge_children` streams
/// it: the year of its return, then the child, the table and the fields.
type ExtraOfYear = (i32, (String, String, String));

/// Streams every table of every return by child (each in child id order),
/// merges each child and writes the result where it changed. Gives every
/// child whose rows it read (held back or not).
fn merge_children(
    tx: &Transaction<'_>,
    held: &[HeldReturn],
    held_back: &HashSet<String>,
    scope: MergeScope,
    summary: &mut MergeSummary,
) -> Result<HashSet<String>> {
    // Child by child, in child id order, and each child's rows in each
    // return found by the key (return, child): the cost follows the
    // children merged, not the returns held. Everyone is every child with
    // rows in a return. A child's returns are put in year order below, as
    // `merge_child` reads them.
    if scope == MergeScope::Everyone {
        tx.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS merge_children(child_id TEXT PRIMARY KEY) WITHOUT ROWID;
             DELETE FROM temp.merge_children;
             INSERT OR IGNORE INTO temp.merge_children SELECT child_id FROM return_child_rows;",
        )?;
    }
    let mut rows_held = tx.prepare(
        "SELECT r.year, b.child_id, b.rows FROM temp.merge_children m
         CROSS JOIN returns r
         CROSS JOIN return_child_rows b ON b.return_id = r.id AND b.child_id = m.child_id
         WHERE r.year IS NOT NULL ORDER BY m.child_id",
    )?;
    let mut stored_digest = tx.prepare("SELECT digest FROM merged_digests WHERE child_id = ?1")?;
    let mut read = HashSet::new();
    // One child's merged history, written unless it is what is stored.
    let mut flush = |id: &str, rows: Vec<ChildInReturn>, extras: &[ExtraOfYear]| -> Result<()> {
        summary.merged_again += 1;
        let merged = if held_back.contains(id) {
            None
        } else {
            returns::merge_child(held, rows)
        };
        let kept = extras_kept(extras);
        let digest = merged.as_ref().map(|m| history_digest(m, &kept));
        if scope == MergeScope::Marked {
            let stored: Option<Vec<u8>> = stored_digest.query_row([id], |r| r.get(0)).optional()?;
            if digest.is_some() && stored.as_deref() == digest.as_ref().map(|d| &d[..]) {
                return Ok(());
            }
            if digest.is_none() {
                if remove_merged(tx, id)? {
                    summary.changed += 1;
                }
                return Ok(());
            }
        }
        if let (Some(merged), Some(digest)) = (merged, digest) {
            summary.changed += 1;
            // Everyone: the merged tables were emptied, nothing to compare.
            write_merged(tx, &merged, &kept, scope == MergeScope::Marked)?;
            tx.prepare_cached(
                "INSERT OR REPLACE INTO merged_digests(child_id, digest) VALUES (?1, ?2)",
            )?
            .execute(params![id, &digest[..]])?;
        }
        Ok(())
    };
    // A child is merged when a return holds a Header row of theirs; a
    // child in no Header is held back by the import that found them.
    let mut done = |id: String,
                    returns: &mut Vec<ChildInReturn>,
                    extras: &mut Vec<ExtraOfYear>|
     -> Result<()> {
        returns.sort_by_key(|r| r.year);
        if returns.iter().any(|r| r.header.is_some()) {
            flush(&id, std::mem::take(returns), extras)?;
            read.insert(id);
        }
        returns.clear();
        extras.clear();
        Ok(())
    };
    let mut current_id: Option<String> = None;
    let mut current: Vec<ChildInReturn> = Vec::new();
    let mut current_extras: Vec<ExtraOfYear> = Vec::new();
    let mut rows = rows_held.query([])?;
    while let Some(row) = rows.next()? {
        let year: i32 = row.get(0)?;
        let child = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
        if current_id.as_deref() != Some(child)
            && let Some(id) = current_id.replace(child.to_owned())
        {
            done(id, &mut current, &mut current_extras)?;
        }
        let entry = entry_for(&mut current, year);
        let packed_rows = row.get_ref(2)?.as_blob().map_err(rusqlite::Error::from)?;
        for packed_row in packed::unpack(child, packed_rows) {
            let packed_row = packed_row?;
            match packed_row.table {
                PackedTable::Header => entry.header = Some(child_from_row_at(&packed_row, 0)?),
                PackedTable::Episodes => entry.episodes.push(episode_from_row_at(&packed_row, 0)?),
                PackedTable::Reviews => entry.reviews.push(review_from_row_at(&packed_row, 0)?),
                PackedTable::PlacedAdoption => {
                    entry.placed.push(placed_from_row_at(&packed_row, 0)?)
                }
                PackedTable::Extra => current_extras.push((
                    year,
                    (child.to_owned(), packed_row.get(1)?, packed_row.get(2)?),
                )),
            }
        }
    }
    if let Some(id) = current_id {
        done(id, &mut current, &mut current_extras)?;
    }
    Ok(read)
}

/// Takes a child out of the merged history (before it is written again,
/// or for good). True when it held anything of the child.
fn remove_merged(tx: &Transaction<'_>, child: &str) -> Result<bool> {
    let mut removed = 0;
    for table in MERGED_TABLES {
        removed += tx
            .prepare_cached(&format!("DELETE FROM {table} WHERE child_id = ?1"))?
            .execute([child])?;
    }
    Ok(removed > 0)
}

/// A digest of everything `write_merged` stores for a
/// child: equal digests, nothing to write. Each table is taken as the set
/// of rows it stores, so the order rows were read in (which follows the
/// order returns were imported) does not count. Rows are read through
/// `Hash`, so a field added to the model is in it without anyone
/// remembering to add it. (The bytes `Hash` feeds may differ between
/// builds or machines; that only makes a child look changed and written
/// again, never the other way round.)
fn history_digest(merged: &returns::MergedChild, extras: &[&ExtraOfYear]) -> [u8; 32] {
    use sha2::Digest;
    fn rows<T: Hash>(rows: impl Iterator<Item = T>) -> Vec<Vec<u8>> {
        let mut out: Vec<Vec<u8>> = rows.map(|row| row_bytes(&row)).collect();
        out.sort_unstable();
        out
    }
    let mut sha = sha2::Sha256::new();
    for table in [
        rows(std::iter::once(&merged.child)),
        rows(merged.episodes.iter()),
        rows(merged.reviews.iter()),
        rows(merged.placed.iter()),
        rows(merged.warnings.iter()),
        rows(extras.iter()),
    ] {
        sha.update((table.len() as u64).to_le_bytes());
        for row in table {
            sha.update((row.len() as u64).to_le_bytes());
            sha.update(&row);
        }
    }
    sha.finalize().into()
}

/// A child's entry for the return of year `y`, added when it has none.
fn entry_for(rows: &mut Vec<ChildInReturn>, y: i32) -> &mut ChildInReturn {
    let year = CollectionYear::starting(y);
    let at = match rows.iter().position(|r| r.year == year) {
        Some(i) => i,
        None => {
            rows.push(ChildInReturn {
                year,
                header: None,
                episodes: Vec::new(),
                reviews: Vec::new(),
                placed: Vec::new(),
            });
            rows.len() - 1
        }
    };
    &mut rows[at]
}

/// AD1, UASC and PrevPerm: the latest return holding the child; Missing
/// keyed by `MIS_START` and SWEpisodes by `SW_DECOM`, latest wins.
fn extras_kept(rows: &[ExtraOfYear]) -> Vec<&ExtraOfYear> {
    use crate::model::schema903::Table903;
    let key_column = |table: &str| match Table903::from_name(table) {
        Some(Table903::Missing) => Some(3),
        Some(Table903::SwEpisodes) => Some(3),
        _ => None,
    };
    rows.iter()
        .filter(|(year, (_, table, fields))| {
            !rows.iter().any(|(oy, (_, ot, of))| {
                ot == table
                    && oy > year
                    && match key_column(table) {
                        None => true,
                        Some(k) => {
                            of.split(FIELD_SEPARATOR).nth(k) == fields.split(FIELD_SEPARATOR).nth(k)
                        }
                    }
            })
        })
        .collect()
}

/// Writes a child's merged history. With `in_place` the child may have
/// rows stored already: each row stored that is in `m` is kept as it is,
/// the others deleted, and only the rows not stored yet inserted (adding an
/// older year mostly adds a year of reviews, so most of a child's rows stay
/// put). Rows are taken as sets, as `history_digest` takes them.
fn write_merged(
    tx: &Transaction<'_>,
    m: &returns::MergedChild,
    extras: &[&ExtraOfYear],
    in_place: bool,
) -> Result<()> {
    let id = m.child.id.as_str();
    let c = &m.child;
    let stored_header = if in_place {
        tx.prepare_cached(&SELECT_CHILD)?
            .query_row([id], |r| child_from_row_at(r, 0))
            .optional()?
    } else {
        None
    };
    match stored_header {
        Some(stored) if stored == m.child => {}
        // Updated, not replaced: deleting the row would take the child's
        // other rows with it (ON DELETE CASCADE), all to be written again.
        Some(_) => {
            tx.prepare_cached(
                "UPDATE children SET sex = ?2, dob = ?3, ethnic = ?4, upn = ?5, mother = ?6, mc_dob = ?7
                 WHERE child_id = ?1",
            )?
            .execute(params![
                c.id,
                c.sex.code(),
                date(c.dob),
                c.ethnic.code(),
                c.upn,
                c.mother,
                opt_date(c.mc_dob)
            ])?;
        }
        None => write_child(&mut RowsOf::History(tx), c)?,
    }
    let rows = MergedRows {
        tx,
        child: id,
        in_place,
    };
    rows.write(
        "episodes",
        &SELECT_EPISODES,
        &m.episodes,
        |r| episode_from_row_at(r, 1),
        |e| write_episode(&mut RowsOf::History(tx), e),
    )?;
    rows.write(
        "reviews",
        "SELECT id, child_id, review, review_code FROM reviews WHERE child_id = ?1",
        &m.reviews,
        |r| review_from_row_at(r, 1),
        |v| write_review(&mut RowsOf::History(tx), v),
    )?;
    rows.write(
        "placed_adoption",
        &SELECT_PLACED,
        &m.placed,
        |r| placed_from_row_at(r, 1),
        |p| write_placed(&mut RowsOf::History(tx), p),
    )?;
    let warnings: Vec<(String, String)> = m
        .warnings
        .iter()
        .map(|w| (w.what.clone(), w.rule.to_owned()))
        .collect();
    rows.write(
        "merge_warnings",
        "SELECT rowid, what, rule FROM merge_warnings WHERE child_id = ?1",
        &warnings,
        |r| Ok((r.get(1)?, r.get(2)?)),
        |(what, rule)| {
            tx.prepare_cached(
                "INSERT INTO merge_warnings(child_id, what, rule) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![id, what, rule])?;
            Ok(())
        },
    )?;
    let extras: Vec<(String, i32, String)> = extras
        .iter()
        .map(|(year, (_, table, fields))| (table.clone(), *year, fields.clone()))
        .collect();
    rows.write(
        "child_extras",
        "SELECT rowid, table_name, year, fields FROM child_extras WHERE child_id = ?1",
        &extras,
        |r| Ok((r.get(1)?, r.get(2)?, r.get(3)?)),
        |(table, year, fields)| {
            tx.prepare_cached(
                "INSERT INTO child_extras(child_id, table_name, year, fields) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![id, table, year, fields])?;
            Ok(())
        },
    )?;
    Ok(())
}

// The statements reading a child's rows stored in the merged tables
// (`write_merged`), built once: they run for every child merged again.
static SELECT_CHILD: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {CHILD_COLUMNS} FROM children WHERE child_id = ?1"));
static SELECT_EPISODES: LazyLock<String> =
    LazyLock::new(|| format!("SELECT id, {EPISODE_COLUMNS} FROM episodes WHERE child_id = ?1"));
static SELECT_PLACED: LazyLock<String> = LazyLock::new(|| {
    format!("SELECT id, {PLACED_COLUMNS} FROM placed_adoption WHERE child_id = ?1")
});

/// One child's rows in the merged tables, written by `write_merged`.
struct MergedRows<'t, 'c> {
    tx: &'t Transaction<'c>,
    child: &'t str,
    in_place: bool,
}

impl MergedRows<'_, '_> {
    /// Brings the child's rows in `table` to `rows`. `select` reads the
    /// child's rows stored, their row id first; `read` reads a row from the
    /// column after it.
    fn write<T: PartialEq>(
        &self,
        table: &str,
        select: &str,
        rows: &[T],
        read: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
        mut insert: impl FnMut(&T) -> Result<()>,
    ) -> Result<()> {
        let mut to_insert: Vec<&T> = rows.iter().collect();
        if self.in_place {
            let mut stored = self.tx.prepare_cached(select)?;
            let mut gone = Vec::new();
            for row in stored.query_map([self.child], |r| Ok((r.get::<_, i64>(0)?, read(r)?)))? {
                let (rowid, row) = row?;
                match to_insert.iter().position(|new| **new == row) {
                    Some(at) => {
                        to_insert.swap_remove(at);
                    }
                    None => gone.push(rowid),
                }
            }
            if !gone.is_empty() {
                let mut delete = self
                    .tx
                    .prepare_cached(&format!("DELETE FROM {table} WHERE rowid = ?1"))?;
                for rowid in gone {
                    delete.execute([rowid])?;
                }
            }
        }
        for row in to_insert {
            insert(row)?;
        }
        Ok(())
    }
}
