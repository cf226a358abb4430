//! The history the rules read (the merge of the returns held, or a whole
//! history imported): one packed value per child in `histories`, rows
//! packed as a return's are (`returns::packed`).
//!
//! One value per child, not a row per episode and review in tables with
//! their indexes: a merge that changes 30,000 children writes 30,000
//! values rather than several statements per child, and the rules, which
//! read every child's whole history, read one value each.
//!
//! A child's value holds, in this order: the Header row; the episodes by
//! DECOM, the reviews by date, the placements for adoption by date placed
//! (each in the order given where those are equal); the merge's warnings
//! and the rows of the tables the rules do not read (by table), each in
//! the order given. So the same history always packs to the same bytes,
//! and a merge compares bytes to know whether a child changed.

use rusqlite::{Connection, OptionalExtension, params};

use crate::Result;
use crate::extract::{
    Columns, child_from_row_at, episode_from_row_at, placed_from_row_at, review_from_row_at,
    write_child, write_episode, write_placed, write_review,
};
use crate::model::{Child, ChildRecord, Episode, PlacedAdoption, Review};
use crate::returns::packed::{self, PackedTable, push_row};

/// A child's history as stored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct History {
    pub child: Child,
    pub episodes: Vec<Episode>,
    pub reviews: Vec<Review>,
    pub placed: Vec<PlacedAdoption>,
    /// The merge's warnings: what, and the rule's id.
    pub warnings: Vec<(String, String)>,
    /// Rows of the tables the rules do not read: the table, the year (its
    /// start) of the return it came from, its fields joined.
    pub extras: Vec<(String, i32, String)>,
}

impl History {
    pub(crate) fn into_record(self) -> ChildRecord {
        ChildRecord {
            child: self.child,
            episodes: self.episodes,
            reviews: self.reviews,
            placed_adoption: self.placed,
            plan: None,
        }
    }
}

/// Packs a child's history (see the module's note for the order).
pub(crate) fn pack<'a>(
    child: &Child,
    episodes: &[Episode],
    reviews: &[Review],
    placed: &[PlacedAdoption],
    warnings: impl IntoIterator<Item = (&'a str, &'a str)>,
    extras: impl IntoIterator<Item = (&'a str, i32, &'a str)>,
) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(64 + 64 * episodes.len() + 20 * reviews.len());
    write_child(&mut out, child)?;
    let mut by_decom: Vec<&Episode> = episodes.iter().collect();
    by_decom.sort_by_key(|e| e.decom);
    for e in by_decom {
        write_episode(&mut out, e)?;
    }
    let mut by_date: Vec<&Review> = reviews.iter().collect();
    by_date.sort_by_key(|r| r.review);
    for r in by_date {
        write_review(&mut out, r)?;
    }
    let mut by_placed: Vec<&PlacedAdoption> = placed.iter().collect();
    by_placed.sort_by_key(|p| p.date_placed);
    for p in by_placed {
        write_placed(&mut out, p)?;
    }
    for (what, rule) in warnings {
        push_row(&mut out, PackedTable::MergeWarning, params![what, rule])?;
    }
    let mut extras: Vec<(&str, i32, &str)> = extras.into_iter().collect();
    extras.sort_by_key(|(table, ..)| *table);
    for (table, year, fields) in extras {
        push_row(
            &mut out,
            PackedTable::KeptExtra,
            params![table, year, fields],
        )?;
    }
    Ok(out)
}

/// A child's history read back from its value. A value that cannot be
/// read is a damaged database (SQLite's error for one), never a guess.
pub(crate) fn unpack(child: &str, bytes: &[u8]) -> rusqlite::Result<History> {
    let mut rows = packed::unpack(child, bytes);
    // The Header row comes first, always.
    let header = match rows.next().transpose()? {
        Some(first) if first.table == PackedTable::Header => child_from_row_at(&first, 0)?,
        _ => return Err(packed::damaged(child)),
    };
    let mut h = History {
        child: header,
        episodes: Vec::new(),
        reviews: Vec::new(),
        placed: Vec::new(),
        warnings: Vec::new(),
        extras: Vec::new(),
    };
    for row in rows {
        let row = row?;
        match row.table {
            PackedTable::Episodes => h.episodes.push(episode_from_row_at(&row, 0)?),
            PackedTable::Reviews => h.reviews.push(review_from_row_at(&row, 0)?),
            PackedTable::PlacedAdoption => h.placed.push(placed_from_row_at(&row, 0)?),
            PackedTable::MergeWarning => h.warnings.push((row.get(1)?, row.get(2)?)),
            PackedTable::KeptExtra => h.extras.push((row.get(1)?, row.get(2)?, row.get(3)?)),
            PackedTable::Header | PackedTable::Extra => return Err(packed::damaged(child)),
        }
    }
    Ok(h)
}

/// The value stored for a child, if any.
pub(crate) fn stored(conn: &Connection, child: &str) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .prepare_cached("SELECT history FROM histories WHERE child_id = ?1")?
        .query_row([child], |r| r.get(0))
        .optional()?)
}

/// A child's history read back, if the child has one.
pub(crate) fn read(conn: &Connection, child: &str) -> Result<Option<History>> {
    Ok(stored(conn, child)?
        .map(|bytes| unpack(child, &bytes))
        .transpose()?)
}

/// Stores a child's packed history, with its number of merge warnings
/// (kept beside it, so the warnings are counted and found without reading
/// every history), replacing what was stored.
pub(crate) fn store(conn: &Connection, child: &str, warnings: usize, history: &[u8]) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO histories(child_id, warnings, history) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![child, warnings as i64, history])?;
    Ok(())
}

/// The merge warnings of every history.
pub(crate) fn warning_count(conn: &Connection) -> Result<usize> {
    let n: i64 = conn.query_row(
        "SELECT coalesce(sum(warnings), 0) FROM histories WHERE warnings > 0",
        [],
        |r| r.get(0),
    )?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// Takes a child out of the history. True when the child was in it.
pub(crate) fn remove(conn: &Connection, child: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("DELETE FROM histories WHERE child_id = ?1")?
        .execute([child])?
        > 0)
}

/// Whose histories `for_each` reads.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Which {
    Everyone,
    WithWarnings,
}

/// Every child's history (or every child's with merge warnings), in child
/// id order, one at a time.
pub(crate) fn for_each(
    conn: &Connection,
    which: Which,
    mut f: impl FnMut(History) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(match which {
        Which::Everyone => "SELECT child_id, history FROM histories ORDER BY child_id",
        Which::WithWarnings => {
            // Found by the index of ids, not by reading every history.
            "SELECT child_id, history FROM histories WHERE child_id IN
                 (SELECT child_id FROM histories WHERE warnings > 0) ORDER BY child_id"
        }
    })?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let child = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        let bytes = row.get_ref(1)?.as_blob().map_err(rusqlite::Error::from)?;
        f(unpack(child, bytes)?)?;
    }
    Ok(())
}

/// Packs the history held in the tables before `histories` (migrations
/// 28 and 29): the rows as those tables' readers gave them.
pub(crate) fn pack_history_tables(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    use crate::extract::{CHILD_COLUMNS, EPISODE_COLUMNS, PLACED_COLUMNS};
    let prepare = |sql: &str| -> Result<rusqlite::Statement<'_>> { Ok(tx.prepare(sql)?) };
    let mut children = prepare(&format!(
        "SELECT {CHILD_COLUMNS} FROM children ORDER BY child_id"
    ))?;
    let mut episodes = prepare(&format!(
        "SELECT {EPISODE_COLUMNS} FROM episodes WHERE child_id = ?1 ORDER BY decom, id"
    ))?;
    let mut reviews = prepare(
        "SELECT child_id, review, review_code FROM reviews WHERE child_id = ?1 ORDER BY review, id",
    )?;
    let mut placed = prepare(&format!(
        "SELECT {PLACED_COLUMNS} FROM placed_adoption WHERE child_id = ?1 ORDER BY date_placed, id"
    ))?;
    let mut warnings =
        prepare("SELECT what, rule FROM merge_warnings WHERE child_id = ?1 ORDER BY rowid")?;
    let mut extras = prepare(
        "SELECT table_name, year, fields FROM child_extras WHERE child_id = ?1 ORDER BY table_name, rowid",
    )?;
    let all: Vec<Child> = children
        .query_map([], |r| child_from_row_at(r, 0))?
        .collect::<rusqlite::Result<_>>()?;
    for child in all {
        let id = child.id.as_str();
        let e: Vec<Episode> = episodes
            .query_map([id], |r| episode_from_row_at(r, 0))?
            .collect::<rusqlite::Result<_>>()?;
        let v: Vec<Review> = reviews
            .query_map([id], |r| review_from_row_at(r, 0))?
            .collect::<rusqlite::Result<_>>()?;
        let p: Vec<PlacedAdoption> = placed
            .query_map([id], |r| placed_from_row_at(r, 0))?
            .collect::<rusqlite::Result<_>>()?;
        let w: Vec<(String, String)> = warnings
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let x: Vec<(String, i32, String)> = extras
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let bytes = pack(
            &child,
            &e,
            &v,
            &p,
            w.iter().map(|(a, b)| (a.as_str(), b.as_str())),
            x.iter().map(|(t, y, f)| (t.as_str(), *y, f.as_str())),
        )?;
        store(tx, id, w.len(), &bytes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use panel_core::rules::testkit::child_with_id;

    #[test]
    fn a_history_packed_comes_back_the_same_with_its_rows_in_date_order() {
        let record = child_with_id("C1", "01/01/2015")
            .ep("01/06/2024  S  C2  U3  PR1  open")
            .ep("01/01/2024  S  C2  U3  PR1  31/05/2024  E11")
            .build();
        let warnings = [("an episode closed", "closed-open-episode")];
        let extras = [("UASC", 2024, "x"), ("AD1", 2025, "y")];
        let bytes =
            pack(&record.child, &record.episodes, &[], &[], warnings, extras).expect("packs");
        let back = unpack("C1", &bytes).expect("unpacks");
        assert_eq!(back.child, record.child);
        let mut by_decom = record.episodes.clone();
        by_decom.sort_by_key(|e| e.decom);
        assert_eq!(back.episodes, by_decom);
        assert_eq!(
            back.warnings,
            vec![(
                "an episode closed".to_owned(),
                "closed-open-episode".to_owned()
            )]
        );
        assert_eq!(
            back.extras,
            vec![
                ("AD1".to_owned(), 2025, "y".to_owned()),
                ("UASC".to_owned(), 2024, "x".to_owned())
            ]
        );
        // The same history given in another order packs to the same bytes.
        let mut reversed = record.episodes.clone();
        reversed.reverse();
        let again = pack(&record.child, &reversed, &[], &[], warnings, extras).expect("packs");
        assert_eq!(again, bytes);
    }

    #[test]
    fn a_value_without_its_header_is_a_damaged_database() {
        let record = child_with_id("C1", "01/01/2015")
            .ep("01/06/2024  S  C2  U3  PR1  open")
            .build();
        let mut episode_only = Vec::new();
        write_episode(&mut episode_only, &record.episodes[0]).expect("packs");
        let err = unpack("C1", &episode_only).expect_err("no header");
        assert_eq!(
            err.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseCorrupt)
        );
    }
}
