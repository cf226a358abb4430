//! The merged history the rules read (`histories`, store/history.rs),
//! computed from the returns held by `rules::returns::merge_child`: for
//! every child, or for the children an import marked, and stored only
//! where it changed.

use std::collections::HashSet;

use rusqlite::Transaction;

use super::packed::{self, PackedTable};
use super::{FIELD_SEPARATOR, MergeSummary, held};
use crate::Result;
use crate::extract::{
    Columns, child_from_row_at, episode_from_row_at, placed_from_row_at, review_from_row_at,
};
use crate::history;
use crate::rules::returns::{self, ChildInReturn, CollectionYear, HeldReturn};

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
        tx.execute("DELETE FROM histories", [])?;
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
            if history::remove(tx, child)? {
                summary.changed += 1;
            }
        }
    }
    summary.children = tx.query_row("SELECT count(*) FROM histories", [], |r| r.get(0))?;
    summary.warnings = history::warning_count(tx)?;
    Ok(summary)
}

/// A row of a table the rules do not read, as a child's merge gathers it:
/// the year of its return, then the table and the fields.
type ExtraOfYear = (i32, (String, String));

/// One child's rows in the returns held, packed as each return holds them,
/// with the year of each return: what a merge reads of a child.
struct ChildHeld {
    id: String,
    in_returns: Vec<(i32, Vec<u8>)>,
}

/// What merging one child gave.
enum Merged {
    /// No return holds a Header row of the child: not merged (a child in no
    /// Header is held back by the import that found them).
    NoHeader,
    /// Held back, or nothing left to merge: out of the history.
    Out,
    /// The history packed, and how many merge warnings it holds.
    History(Vec<u8>, usize),
}

/// Children are handed to the merging thread this many at a time.
const CHILDREN_PER_BATCH: usize = 256;

/// Reads every table of every return by child (each in child id order),
/// merges each child and writes the result where it changed. Gives every
/// child whose rows it read (held back or not).
///
/// Two threads share the work, so that they run side by side on two
/// cores: this one reads the returns and writes the histories (the
/// transaction is its own), the other unpacks, merges and packs each
/// child, a batch of children at a time.
fn merge_children(
    tx: &Transaction<'_>,
    held: &[HeldReturn],
    held_back: &HashSet<String>,
    scope: MergeScope,
    summary: &mut MergeSummary,
) -> Result<HashSet<String>> {
    let reading = how_to_read(tx, scope)?;
    std::thread::scope(|threads| {
        let (to_merge, batches) = std::sync::mpsc::sync_channel::<Vec<ChildHeld>>(4);
        let (merged_out, merged) = std::sync::mpsc::channel::<Result<Vec<(String, Merged)>>>();
        let merging = std::thread::Builder::new()
            .name("merge".into())
            .spawn_scoped(threads, move || {
                for batch in batches {
                    let done = batch
                        .into_iter()
                        .map(|child| {
                            let merged = merge_one(held, held_back, &child)?;
                            Ok((child.id, merged))
                        })
                        .collect::<Result<Vec<_>>>();
                    let failed = done.is_err();
                    if merged_out.send(done).is_err() || failed {
                        return;
                    }
                }
            })
            .map_err(|e| {
                crate::StoreError::Refused(format!("cannot start the merge of the returns: {e}"))
            })?;
        let mut pipeline = Pipeline {
            writer: HistoryWriter {
                tx,
                scope,
                summary,
                read: HashSet::new(),
            },
            to_merge: Some(to_merge),
            merged,
            batch: Vec::with_capacity(CHILDREN_PER_BATCH),
            current: None,
        };
        let mut take =
            |year: i32, child: &str, packed_rows: &[u8]| pipeline.take(year, child, packed_rows);
        match reading {
            Reading::ByChild => {
                let mut rows_held = tx.prepare(
                    "SELECT r.year, b.child_id, b.rows FROM temp.merge_children m
                     CROSS JOIN returns r
                     CROSS JOIN return_child_rows b ON b.return_id = r.id AND b.child_id = m.child_id
                     WHERE r.year IS NOT NULL ORDER BY m.child_id",
                )?;
                let mut rows = rows_held.query([])?;
                while let Some(row) = rows.next()? {
                    let child = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
                    let packed_rows = row.get_ref(2)?.as_blob().map_err(rusqlite::Error::from)?;
                    take(row.get(0)?, child, packed_rows)?;
                }
            }
            Reading::ByReturn(wanted) => by_return(tx, wanted.as_ref(), &mut take)?,
        }
        let read = pipeline.finish()?;
        merging.join().map_err(|_| {
            crate::StoreError::Refused(
                "the merge of the returns stopped unexpectedly; nothing was changed".into(),
            )
        })?;
        Ok(read)
    })
}

/// The reading and writing side of `merge_children`: gathers each child's
/// rows as the returns are read, hands them to the merging thread a batch
/// at a time, and writes what comes back.
struct Pipeline<'t, 'c, 's> {
    writer: HistoryWriter<'t, 'c, 's>,
    /// `None` once every child is handed over.
    to_merge: Option<std::sync::mpsc::SyncSender<Vec<ChildHeld>>>,
    merged: std::sync::mpsc::Receiver<Result<Vec<(String, Merged)>>>,
    batch: Vec<ChildHeld>,
    /// The child whose rows are being gathered.
    current: Option<ChildHeld>,
}

impl Pipeline<'_, '_, '_> {
    /// One return's rows of `child`: the children come in child id order,
    /// each child's returns one after another.
    fn take(&mut self, year: i32, child: &str, packed_rows: &[u8]) -> Result<()> {
        if self.current.as_ref().is_none_or(|c| c.id != child) {
            let next = ChildHeld {
                id: child.to_owned(),
                in_returns: Vec::with_capacity(4),
            };
            if let Some(done) = self.current.replace(next) {
                self.batch.push(done);
                if self.batch.len() == CHILDREN_PER_BATCH {
                    self.hand_over()?;
                }
            }
        }
        if let Some(current) = self.current.as_mut() {
            current.in_returns.push((year, packed_rows.to_vec()));
        }
        Ok(())
    }

    /// Hands the batch to the merging thread (waiting while it has several
    /// in hand), then writes what it has merged so far.
    fn hand_over(&mut self) -> Result<()> {
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(CHILDREN_PER_BATCH));
        let handed = match &self.to_merge {
            Some(to_merge) => to_merge.send(batch).is_ok(),
            None => false,
        };
        if !handed {
            // The merging thread stopped on a damaged value: its error is
            // what it sent last.
            self.to_merge = None;
            while self.write_merged(true)? {}
        }
        while self.write_merged(false)? {}
        Ok(())
    }

    /// Writes a batch merged, if one is ready (`wait`: once one is):
    /// whether there was one.
    fn write_merged(&mut self, wait: bool) -> Result<bool> {
        let next = if wait {
            self.merged.recv().ok()
        } else {
            self.merged.try_recv().ok()
        };
        let Some(batch) = next else {
            return Ok(false);
        };
        for (id, merged) in batch? {
            self.writer.write(id, merged)?;
        }
        Ok(true)
    }

    /// Hands over the last children and writes everything merged: the
    /// children whose rows were read.
    fn finish(mut self) -> Result<HashSet<String>> {
        self.batch.extend(self.current.take());
        if !self.batch.is_empty() {
            self.hand_over()?;
        }
        // The merging thread stops once it has merged the last batch.
        self.to_merge = None;
        while self.write_merged(true)? {}
        Ok(self.writer.read)
    }
}

/// Writes each child's merge where it changed.
struct HistoryWriter<'t, 'c, 's> {
    tx: &'t Transaction<'c>,
    scope: MergeScope,
    summary: &'s mut MergeSummary,
    /// The children merged (held back or not).
    read: HashSet<String>,
}

impl HistoryWriter<'_, '_, '_> {
    fn write(&mut self, id: String, merged: Merged) -> Result<()> {
        let marked = self.scope == MergeScope::Marked;
        match merged {
            Merged::NoHeader => return Ok(()),
            Merged::Out => {
                if marked && history::remove(self.tx, &id)? {
                    self.summary.changed += 1;
                }
            }
            Merged::History(history, warnings) => {
                // Everyone: the history was emptied, nothing to compare.
                let unchanged =
                    marked && history::stored(self.tx, &id)?.as_deref() == Some(&history[..]);
                if !unchanged {
                    self.summary.changed += 1;
                    history::store(self.tx, &id, warnings, &history)?;
                }
            }
        }
        self.summary.merged_again += 1;
        self.read.insert(id);
        Ok(())
    }
}

/// Merges one child from their rows in the returns held (run on the
/// merging thread: touches no database).
fn merge_one(
    held: &[HeldReturn],
    held_back: &HashSet<String>,
    child: &ChildHeld,
) -> Result<Merged> {
    let id = child.id.as_str();
    let mut returns: Vec<ChildInReturn> = Vec::with_capacity(child.in_returns.len());
    let mut extras: Vec<ExtraOfYear> = Vec::new();
    for (year, packed_rows) in &child.in_returns {
        let entry = entry_for(&mut returns, *year);
        for packed_row in packed::unpack(id, packed_rows) {
            let packed_row = packed_row?;
            match packed_row.table {
                PackedTable::Header => entry.header = Some(child_from_row_at(&packed_row, 0)?),
                PackedTable::Episodes => entry.episodes.push(episode_from_row_at(&packed_row, 0)?),
                PackedTable::Reviews => entry.reviews.push(review_from_row_at(&packed_row, 0)?),
                PackedTable::PlacedAdoption => {
                    entry.placed.push(placed_from_row_at(&packed_row, 0)?)
                }
                PackedTable::Extra => {
                    extras.push((*year, (packed_row.get(1)?, packed_row.get(2)?)))
                }
                // Rows of a history, never in a return.
                PackedTable::MergeWarning | PackedTable::KeptExtra => {
                    return Err(packed::damaged(id).into());
                }
            }
        }
    }
    if !returns.iter().any(|r| r.header.is_some()) {
        return Ok(Merged::NoHeader);
    }
    returns.sort_by_key(|r| r.year);
    let merged = if held_back.contains(id) {
        None
    } else {
        returns::merge_child(held, returns)
    };
    let Some(merged) = merged else {
        return Ok(Merged::Out);
    };
    let kept = extras_kept(&extras);
    let history = history::pack(
        &merged.child,
        &merged.episodes,
        &merged.reviews,
        &merged.placed,
        merged.warnings.iter().map(|w| (w.what.as_str(), w.rule)),
        kept.iter()
            .map(|(year, (table, fields))| (table.as_str(), *year, fields.as_str())),
    )?;
    Ok(Merged::History(history, merged.warnings.len()))
}

/// How a merge reads the children's rows in the returns held.
enum Reading {
    /// Each child marked, looked up in each return by the key (return,
    /// child): the cost follows the children merged. For a few children.
    ByChild,
    /// Every return read through in child order, side by side, taking the
    /// children wanted (everyone: `None`). For many children: reading a
    /// return through costs far less per child than a lookup per return.
    ByReturn(Option<HashSet<String>>),
}

/// Reads by return when the children merged are more than about a fifth
/// of the children in the returns held (a lookup costs several steps
/// through a return; adding an older year, which merges a third of the
/// children again, reads by return and takes 0.95 of the time it takes
/// by child: `farm-bench`, 100,000 children).
fn how_to_read(tx: &Transaction<'_>, scope: MergeScope) -> Result<Reading> {
    if scope == MergeScope::Everyone {
        return Ok(Reading::ByReturn(None));
    }
    let marked: i64 = tx.query_row("SELECT count(*) FROM temp.merge_children", [], |r| r.get(0))?;
    let (returns, rows): (i64, i64) = tx.query_row(
        "SELECT count(DISTINCT r.id), coalesce(sum(t.rows), 0) FROM returns r
         JOIN return_table_rows t ON t.return_id = r.id AND t.table_name = 'Header'
         WHERE r.year IS NOT NULL",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if marked * returns * 5 < rows {
        return Ok(Reading::ByChild);
    }
    let wanted = tx
        .prepare("SELECT child_id FROM temp.merge_children")?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<HashSet<_>>>()?;
    Ok(Reading::ByReturn(Some(wanted)))
}

/// Gives `take` the rows of each child (`wanted`, or everyone) in each
/// return held, child by child in child id order: every return's rows are
/// read through at once, in key order (return, child), and merged by
/// child.
fn by_return(
    tx: &Transaction<'_>,
    wanted: Option<&HashSet<String>>,
    take: &mut impl FnMut(i32, &str, &[u8]) -> Result<()>,
) -> Result<()> {
    let returns: Vec<(i64, i32)> = tx
        .prepare("SELECT id, year FROM returns WHERE year IS NOT NULL ORDER BY year")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut statements = Vec::with_capacity(returns.len());
    for _ in &returns {
        statements.push(tx.prepare(
            "SELECT child_id, rows FROM return_child_rows WHERE return_id = ?1 ORDER BY child_id",
        )?);
    }
    /// A return being read through: the child its cursor is on, and that
    /// child's rows when wanted (the buffers reused from child to child).
    struct Head<'s> {
        year: i32,
        rows: rusqlite::Rows<'s>,
        child: Option<String>,
        packed: Vec<u8>,
    }
    fn advance(head: &mut Head<'_>, wanted: Option<&HashSet<String>>) -> Result<()> {
        match head.rows.next()? {
            None => head.child = None,
            Some(row) => {
                let child = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
                let id = head.child.get_or_insert_with(String::new);
                id.clear();
                id.push_str(child);
                head.packed.clear();
                if wanted.is_none_or(|w| w.contains(child)) {
                    let blob = row.get_ref(1)?.as_blob().map_err(rusqlite::Error::from)?;
                    head.packed.extend_from_slice(blob);
                }
            }
        }
        Ok(())
    }
    let mut heads = Vec::with_capacity(returns.len());
    for ((id, year), statement) in returns.iter().zip(statements.iter_mut()) {
        let mut head = Head {
            year: *year,
            rows: statement.query([id])?,
            child: None,
            packed: Vec::new(),
        };
        advance(&mut head, wanted)?;
        heads.push(head);
    }
    let mut child = String::new();
    loop {
        let Some(next) = heads.iter().filter_map(|h| h.child.as_deref()).min() else {
            return Ok(());
        };
        child.clear();
        child.push_str(next);
        let is_wanted = wanted.is_none_or(|w| w.contains(&child));
        for head in heads.iter_mut() {
            if head.child.as_deref() == Some(child.as_str()) {
                if is_wanted {
                    take(head.year, &child, &head.packed)?;
                }
                advance(head, wanted)?;
            }
        }
    }
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
        .filter(|(year, (table, fields))| {
            !rows.iter().any(|(oy, (ot, of))| {
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
