//! Returns by collection year: each kept as it came (its rows, files,
//! SHA-256, when) and replaced in place when its year is imported again;
//! the merged history the rules read (`histories`, store/history.rs) is
//! computed from them at every import and removal (`merge`), so reading
//! it costs what reading one extract would.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::Hash;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, Transaction, params};

mod digest;
mod merge;
pub(crate) mod packed;

use digest::{Feed, MERGE_INPUT_VERSION, RowsDigest};
use merge::{MergeScope, merge};

use super::backup::SafetyCopy;
use super::extract::{
    ImportedFile, record_import, write_child, write_episode, write_placed, write_review,
};
use super::text::*;
use super::{Result, Store};
use crate::model::*;
use crate::rules::returns::{self, CollectionYear, HeldReturn, MergeWarning};
use packed::PackedTable;

/// Separates the fields of a row kept as written (`return_extras`).
pub const FIELD_SEPARATOR: char = '\u{1f}';

/// A return held, as `returns list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnRecord {
    pub year: CollectionYear,
    /// How the year was found: `--year`, a name, or the data.
    pub year_source: String,
    pub whole_history: bool,
    pub imported_at: NaiveDateTime,
    /// The earliest and latest date in it (DECOM, DEC, REVIEW).
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
    pub children: i64,
    pub episodes: i64,
    pub reviews: i64,
    /// Rows per other table (AD1, UASC, ...), by table name.
    pub other_rows: Vec<(String, i64)>,
    pub files: Vec<ImportedFile>,
}

/// A problem a lenient import let through, kept with its return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldProblem {
    pub year: CollectionYear,
    pub child: Option<ChildId>,
    pub held_back: bool,
    /// The column (as the schema names it), for the summary's counts.
    pub column: String,
    /// `FILE:LINE:COLUMN: found 'V', expected W`.
    pub problem: String,
}

/// One row of a table the rules do not read, kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraRow {
    pub table: String,
    pub year: CollectionYear,
    /// In the schema's column order (`model::schema903`).
    pub fields: Vec<String>,
}

/// What a merge produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeSummary {
    pub children: i64,
    /// Children whose merged history this merge computed again: those
    /// whose rows an import changed (`ReturnsImport::set_year`)
    /// or whose merge depends on what changed, or everyone.
    pub merged_again: usize,
    /// Children whose merged history this merge wrote or took out: the
    /// others computed again came out as they were and were left alone.
    pub changed: usize,
    pub held_back: Vec<ChildId>,
    pub warnings: usize,
}

/// An import of one or more returns under way. Nothing is visible to
/// anyone else until `finish`; dropping it changes nothing.
pub struct ReturnsImport<'a> {
    tx: super::panel::WriteTx<'a>,
    /// The returns held when the import began: `finish` merges again only
    /// the children this import can change (see `children_to_merge`).
    held_before: Vec<HeldReturn>,
    /// Whether this import began a return (one that fails to read begins
    /// none that stays).
    began_a_return: bool,
    /// Each child's rows in the return being read (any table, problems
    /// too): their digest, which says whether they changed when the return
    /// is given its year, and the rows packed, stored then.
    rows_read: HashMap<String, ChildReading>,
    /// The problems of the return being read, stored with it.
    problems_read: Vec<ProblemRead>,
    /// What the return being read holds, for `returns list`.
    counts_read: ReturnCounts,
    /// Where a row's bytes are gathered for its digest (one buffer,
    /// reused: an import digests a million rows).
    row_buffer: Vec<u8>,
    /// The indexes of the return tables dropped while the first returns
    /// are stored into them (their SQL), built again before the merge.
    indexes_to_build: Vec<String>,
    /// The years given to the returns of this import (one each).
    years_given: HashSet<CollectionYear>,
    /// The children whose merged history this import can change because
    /// their rows in a return it adds or replaces are new or differ from
    /// what that year's return held (`set_year`).
    children_changed: HashSet<String>,
    /// Each return added or replaced, in words, for the audit.
    changes: Vec<String>,
    /// The quick check of the database as the import found it and its
    /// backup, made while the import runs; waited for before it commits.
    safety: Option<SafetyCopy>,
}

/// A child's rows in the return being read, as they are gathered.
#[derive(Default)]
struct ChildReading {
    digest: RowsDigest,
    /// Packed as `return_child_rows` holds them (`packed`).
    rows: Vec<u8>,
    /// Whether one of the child's episodes is written open (no DEC).
    open_episode: bool,
}

/// A child's rows in a return as `return_child_rows` holds them.
struct ChildRows {
    child: String,
    /// The digest of the rows as read (`None`: packed from a return
    /// imported before digests were kept).
    digest: Option<Vec<u8>>,
    rows: Vec<u8>,
    open_episode: bool,
}

/// A problem of the return being read (`return_problems`).
struct ProblemRead {
    child: Option<String>,
    held_back: bool,
    column: String,
    problem: String,
}

/// What a return holds: rows per table (the four the rules read by their
/// DfE names, the others by theirs) and its first and last dates (DECOM;
/// DECOM, DEC, REVIEW), kept with it for `returns list`.
#[derive(Default)]
struct ReturnCounts {
    rows: BTreeMap<String, i64>,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
}

impl ReturnCounts {
    fn count(&mut self, table: &str) {
        match self.rows.get_mut(table) {
            Some(n) => *n += 1,
            None => {
                self.rows.insert(table.to_owned(), 1);
            }
        }
    }

    fn dated(&mut self, first: Option<NaiveDate>, last: impl IntoIterator<Item = NaiveDate>) {
        self.first = self.first.into_iter().chain(first).min();
        self.last = self.last.into_iter().chain(last).max();
    }
}

impl Store {
    /// Imports returns: `store_returns` is given the import begun
    /// (`begin_returns_import`), stores every return in it and ends it
    /// with `ReturnsImport::finish`.
    ///
    /// Into a panel that holds no return yet, nearly every page the import
    /// writes is new. A rollback journal writes a new page once, where the
    /// write-ahead log writes it twice (to the log, then into the file), so
    /// such an import runs with a rollback journal when no other program has
    /// the file open, and the panel is back in WAL mode when it ends,
    /// whether it committed or not. (A year of 100,000 children into a new
    /// panel took 0.88 of the time, measured with `farm-bench`.)
    pub fn import_returns<T, E: From<crate::StoreError>>(
        &mut self,
        at: NaiveDateTime,
        keep_backup: bool,
        store_returns: impl FnOnce(ReturnsImport<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let first_returns = !self.holds_returns()?;
        let rollback_journal = first_returns && self.use_rollback_journal()?;
        let result = self
            .begin_returns_import(at, keep_backup)
            .map_err(E::from)
            .and_then(store_returns);
        if rollback_journal {
            self.use_write_ahead_log();
        }
        result
    }

    /// Whether the panel holds any return.
    fn holds_returns(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS(SELECT 1 FROM returns)", [], |r| r.get(0))?)
    }

    /// Starts an import of returns. The database as it is now is checked
    /// and, with `keep_backup` unless it holds nothing yet, kept among the
    /// automatic backups, on another thread while the import reads and
    /// merges; the import commits only once both are done
    /// (`ReturnsImport::finish`).
    pub(crate) fn begin_returns_import(
        &mut self,
        at: NaiveDateTime,
        keep_backup: bool,
    ) -> Result<ReturnsImport<'_>> {
        self.prepare_bulk_load()?;
        let back_up = keep_backup && !self.is_empty()?;
        if back_up && self.in_wal_mode()? {
            // So that the backup can be a copy of the file (`SafetyCopy`).
            self.empty_the_log()?;
        }
        let safety_parts = self.safety_copy_parts()?;
        let tx = self.write()?;
        let safety = safety_parts
            .map(|parts| SafetyCopy::start(parts, back_up, "before-import", at))
            .transpose()?;
        tx.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS merge_children(child_id TEXT PRIMARY KEY) WITHOUT ROWID;
             DELETE FROM temp.merge_children;",
        )?;
        let held_before = held(&tx)?;
        let indexes_to_build =
            if tx.query_row("SELECT NOT EXISTS(SELECT 1 FROM returns)", [], |r| r.get(0))? {
                drop_return_indexes(&tx)?
            } else {
                Vec::new()
            };
        Ok(ReturnsImport {
            tx,
            held_before,
            indexes_to_build,
            began_a_return: false,
            rows_read: HashMap::new(),
            problems_read: Vec::new(),
            counts_read: ReturnCounts::default(),
            row_buffer: Vec::with_capacity(256),
            years_given: HashSet::new(),
            children_changed: HashSet::new(),
            changes: Vec::new(),
            safety,
        })
    }

    /// The returns held, oldest first.
    pub fn returns(&self) -> Result<Vec<ReturnRecord>> {
        returns_held(&self.conn)
    }

    /// Removes the return of `year` and merges again. `false` when no
    /// return of that year is held (nothing changed).
    pub fn remove_return(
        &mut self,
        year: CollectionYear,
        at: NaiveDateTime,
    ) -> Result<Option<MergeSummary>> {
        let tx = self.write()?;
        let removed = tx.execute("DELETE FROM returns WHERE year = ?1", [year.start_year()])?;
        if removed == 0 {
            return Ok(None);
        }
        let summary = merge(&tx, MergeScope::Everyone)?;
        super::panel::audit(
            &tx,
            at,
            "returns",
            &year.to_string(),
            None,
            &format!("removed the {year} return"),
        )?;
        tx.commit()?;
        Ok(Some(summary))
    }

    /// Problems held with the returns: children held back and warnings.
    pub fn return_problems(&self) -> Result<Vec<HeldProblem>> {
        let mut stmt = self.conn.prepare(
            "SELECT r.year, p.child_id, p.held_back, p.column, p.problem FROM return_problems p
             JOIN returns r ON r.id = p.return_id WHERE r.year IS NOT NULL
             ORDER BY r.year, p.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(HeldProblem {
                year: CollectionYear::starting(r.get(0)?),
                child: r.get(1)?,
                held_back: r.get(2)?,
                column: r.get(3)?,
                problem: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The children held back by data problems in the returns held.
    pub fn held_back_children(&self) -> Result<Vec<ChildId>> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT p.child_id FROM return_problems p JOIN returns r ON r.id = p.return_id
             WHERE p.held_back = 1 AND p.child_id IS NOT NULL AND r.year IS NOT NULL ORDER BY p.child_id",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The merge's warnings (episodes closed or cut), child by child.
    pub fn merge_warnings(&self) -> Result<Vec<MergeWarning>> {
        let mut warnings = Vec::new();
        crate::history::for_each(&self.conn, crate::history::Which::WithWarnings, |history| {
            for (what, rule) in history.warnings {
                warnings.push(MergeWarning {
                    child: history.child.id.clone(),
                    what,
                    rule: match rule.as_str() {
                        "older-episode-cut" => "older-episode-cut",
                        "older-episode-dropped" => "older-episode-dropped",
                        _ => "closed-open-episode",
                    },
                });
            }
            Ok(())
        })?;
        Ok(warnings)
    }

    /// The first day the returns held vouch for (`None`: a whole history,
    /// or nothing held).
    pub fn coverage_start(&self) -> Result<Option<NaiveDate>> {
        Ok(returns::coverage_start(&held(&self.conn)?))
    }

    /// A child's rows of the tables the rules do not read (AD1, UASC,
    /// PrevPerm, Missing, SWEpisodes) in the merged history.
    pub fn child_extras(&self, child: &str) -> Result<Vec<ExtraRow>> {
        let Some(history) = crate::history::read(&self.conn, child)? else {
            return Ok(Vec::new());
        };
        Ok(history
            .extras
            .into_iter()
            .map(|(table, year, fields)| ExtraRow {
                table,
                year: CollectionYear::starting(year),
                fields: fields.split(FIELD_SEPARATOR).map(str::to_owned).collect(),
            })
            .collect())
    }
}

impl ReturnsImport<'_> {
    /// Starts one return; the rows given from now on are its own until its
    /// year is set (`set_year`), once it is read.
    pub fn begin_return(&mut self, at: NaiveDateTime) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO returns(year, imported_at) VALUES (NULL, ?1)",
            [datetime(at)],
        )?;
        self.began_a_return = true;
        Ok(self.tx.last_insert_rowid())
    }

    /// Notes a row of a child read (`table` tells rows of different tables
    /// apart) in the child's digest, and packs it (`pack`) with the
    /// child's other rows in the return.
    fn read<T: Hash>(
        &mut self,
        child: &str,
        table: &str,
        row: T,
        pack: impl FnOnce(&mut ChildReading) -> Result<()>,
    ) -> Result<()> {
        use sha2::Digest;
        self.row_buffer.clear();
        (table, row).hash(&mut Feed(&mut self.row_buffer));
        let digest: [u8; 32] = sha2::Sha256::digest(&self.row_buffer).into();
        let read = match self.rows_read.get_mut(child) {
            Some(read) => read,
            None => self.rows_read.entry(child.to_owned()).or_default(),
        };
        read.digest.add(&digest);
        pack(read)
    }

    pub fn insert_child(&mut self, c: &Child) -> Result<()> {
        self.counts_read.count("Header");
        self.read(&c.id, "Header", c, |read| write_child(&mut read.rows, c))
    }

    pub fn insert_episode(&mut self, e: &Episode) -> Result<()> {
        self.counts_read.count("Episodes");
        self.counts_read
            .dated(Some(e.decom), std::iter::once(e.decom).chain(e.dec));
        self.read(&e.child, "Episodes", e, |read| {
            read.open_episode |= e.dec.is_none();
            write_episode(&mut read.rows, e)
        })
    }

    pub fn insert_review(&mut self, r: &Review) -> Result<()> {
        self.counts_read.count("Reviews");
        self.counts_read.dated(None, Some(r.review));
        self.read(&r.child, "Reviews", r, |read| {
            write_review(&mut read.rows, r)
        })
    }

    pub fn insert_placed_adoption(&mut self, p: &PlacedAdoption) -> Result<()> {
        self.counts_read.count("PlacedAdoption");
        self.read(&p.child, "PlacedAdoption", p, |read| {
            write_placed(&mut read.rows, p)
        })
    }

    /// A row of a table the rules do not read, as written.
    pub fn insert_extra(&mut self, table: &str, child: &str, fields: &[&str]) -> Result<()> {
        let joined = fields.join(&FIELD_SEPARATOR.to_string());
        self.counts_read.count(table);
        self.read(child, table, &joined, |read| {
            Ok(packed::push_row(
                &mut read.rows,
                PackedTable::Extra,
                params![table, joined],
            )?)
        })
    }

    /// A problem a lenient import let through.
    pub fn insert_problem(
        &mut self,
        child: Option<&str>,
        held_back: bool,
        column: &str,
        problem: &str,
    ) -> Result<()> {
        if let Some(child) = child {
            self.read(child, "problem", (held_back, column, problem), |_| Ok(()))?;
        }
        self.problems_read.push(ProblemRead {
            child: child.map(str::to_owned),
            held_back,
            column: column.to_owned(),
            problem: problem.to_owned(),
        });
        Ok(())
    }

    /// Gives a return read its year, stores its rows and records its files.
    /// A return of that year held before (that year only) is replaced: in
    /// place when its children's digests are held, rewriting only the rows
    /// of the children whose rows changed, so the monthly import of an
    /// in-year extract rewrites the children it corrects, not the year;
    /// else as a whole.
    pub fn set_year(
        &mut self,
        ret: i64,
        year: CollectionYear,
        year_source: &str,
        whole_history: bool,
        files: &[ImportedFile],
    ) -> Result<()> {
        self.years_given.insert(year);
        let replaced: Option<(i64, String, Option<String>)> = self
            .tx
            .query_row(
                "SELECT r.id, r.imported_at,
                    (SELECT group_concat(f.file_name || ' SHA-256 ' || f.sha256, '; ')
                     FROM return_files f WHERE f.return_id = r.id)
                 FROM returns r WHERE r.year = ?1 AND r.id <> ?2",
                params![year.start_year(), ret],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        self.changes.push(match &replaced {
            Some((_, when, files)) => format!(
                "replacing the {year} return imported {} ({})",
                parse_datetime(when)?.format("%d/%m/%Y %H:%M"),
                files.as_deref().unwrap_or("no files recorded")
            ),
            None => format!("adding the {year} return (none of that year was held)"),
        });
        let replaced_id = replaced.map(|(id, _, _)| id);
        let children = self.children_read();
        let problems = std::mem::take(&mut self.problems_read);
        let counts = std::mem::take(&mut self.counts_read);
        let before = match replaced_id {
            Some(old) => self.children_held(old)?,
            None => HashMap::new(),
        };
        let has_digests = before.values().all(Option::is_some);
        let change = children_changed(&children, before);
        let held_under = match replaced_id {
            Some(old) if has_digests => {
                self.replace_in_place(old, ret, &change, &children, &problems)?;
                old
            }
            _ => {
                store_children(&self.tx, ret, children.iter())?;
                store_problems(&self.tx, ret, problems.iter())?;
                if let Some(old) = replaced_id {
                    self.tx
                        .execute("DELETE FROM returns WHERE id = ?1", [old])?;
                }
                ret
            }
        };
        self.tx.execute(
            "UPDATE returns SET year = ?1, year_source = ?2, whole_history = ?3,
                first_date = ?4, last_date = ?5 WHERE id = ?6",
            params![
                year.start_year(),
                year_source,
                whole_history,
                opt_date(counts.first),
                opt_date(counts.last),
                held_under
            ],
        )?;
        self.tx.execute(
            "DELETE FROM return_table_rows WHERE return_id = ?1",
            [held_under],
        )?;
        for (table, rows) in &counts.rows {
            self.tx.execute(
                "INSERT INTO return_table_rows(return_id, table_name, rows) VALUES (?1, ?2, ?3)",
                params![held_under, table, rows],
            )?;
        }
        for f in files {
            self.tx.execute(
                "INSERT INTO return_files(return_id, file_name, sha256, table_name, rows) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![held_under, f.file_name, f.sha256, f.table, f.rows],
            )?;
        }
        self.children_changed.extend(change.rewritten);
        self.children_changed.extend(change.gone);
        Ok(())
    }

    /// The return `old` of the year just read becomes it, keeping the rows
    /// of every child whose rows are as it held them: the rows and problems
    /// of the children changed or gone (and the problems of no child) are
    /// taken out and those read of the children changed (and of no child)
    /// stored; its record is the one read (when, files). The return begun
    /// for the rows read (`new`, holding none of them) is dropped.
    fn replace_in_place(
        &mut self,
        old: i64,
        new: i64,
        change: &ChildrenChanged,
        children: &[ChildRows],
        problems: &[ProblemRead],
    ) -> Result<()> {
        let deletes = CHILD_ROW_TABLES
            .map(|table| format!("DELETE FROM {table} WHERE child_id = ?1 AND return_id = ?2"));
        for child in change.rewritten.iter().chain(&change.gone) {
            for delete in &deletes {
                self.tx
                    .prepare_cached(delete)?
                    .execute(params![child, old])?;
            }
        }
        self.tx.execute(
            "DELETE FROM return_problems WHERE return_id = ?1 AND child_id IS NULL",
            [old],
        )?;
        store_children(
            &self.tx,
            old,
            children
                .iter()
                .filter(|c| change.rewritten.contains(&c.child)),
        )?;
        store_problems(
            &self.tx,
            old,
            problems.iter().filter(|p| {
                p.child
                    .as_ref()
                    .is_none_or(|c| change.rewritten.contains(c))
            }),
        )?;
        self.tx.execute(
            "UPDATE returns SET imported_at = (SELECT imported_at FROM returns WHERE id = ?2) WHERE id = ?1",
            params![old, new],
        )?;
        self.tx
            .execute("DELETE FROM return_files WHERE return_id = ?1", [old])?;
        self.tx
            .execute("DELETE FROM returns WHERE id = ?1", [new])?;
        Ok(())
    }

    /// Each child's rows in the return just read with their digest, by
    /// child.
    fn children_read(&mut self) -> Vec<ChildRows> {
        use sha2::Digest;
        let mut children: Vec<ChildRows> = self
            .rows_read
            .drain()
            .map(|(child, read)| {
                let mut sha = sha2::Sha256::new();
                sha.update(MERGE_INPUT_VERSION.as_bytes());
                sha.update(read.digest.rows.to_le_bytes());
                for lane in read.digest.sum {
                    sha.update(lane.to_le_bytes());
                }
                ChildRows {
                    child,
                    digest: Some(sha.finalize().to_vec()),
                    rows: read.rows,
                    open_episode: read.open_episode,
                }
            })
            .collect();
        children.sort_unstable_by(|a, b| a.child.cmp(&b.child));
        children
    }

    /// Every child of return `old` with their digest: each child with a
    /// row or a problem in a return has one, except in a return imported
    /// before digests were kept (`None`), whose children are all merged
    /// again and which is replaced as a whole.
    fn children_held(&self, old: i64) -> Result<HashMap<String, Option<Vec<u8>>>> {
        let mut before = HashMap::new();
        let mut stmt = self
            .tx
            .prepare("SELECT child_id, digest FROM return_child_rows WHERE return_id = ?1")?;
        for row in stmt.query_map([old], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<Vec<u8>>>(1)?))
        })? {
            let (child, digest) = row?;
            before.insert(child, digest);
        }
        let mut stmt = self.tx.prepare(
            "SELECT DISTINCT child_id FROM return_problems WHERE return_id = ?1 AND child_id IS NOT NULL",
        )?;
        for child in stmt.query_map([old], |r| r.get::<_, String>(0))? {
            before.entry(child?).or_insert(None);
        }
        Ok(before)
    }

    /// Whether a year is already given to another return of this import.
    pub fn year_taken(&self, year: CollectionYear) -> bool {
        self.years_given.contains(&year)
    }

    /// Merges the returns held into the history the rules read, records
    /// the import in the log and commits, once the database as it was has
    /// passed its quick check and is kept as a backup. Gives the import's
    /// id in the log, what the merge did and the backup made.
    pub fn finish(
        mut self,
        at: NaiveDateTime,
        files: &[ImportedFile],
    ) -> Result<(i64, MergeSummary, Option<std::path::PathBuf>)> {
        for index in std::mem::take(&mut self.indexes_to_build) {
            self.tx.execute_batch(&index)?;
        }
        let scope = self.children_to_merge()?;
        let summary = merge(&self.tx, scope)?;
        let id = record_import(&self.tx, at, "903", files, &self.changes.join("; "))?;
        let backup = match self.safety.take() {
            Some(safety) => safety.finish()?,
            None => None,
        };
        self.tx.commit()?;
        Ok((id, summary, backup))
    }
}

/// Stores children's rows in return `ret`.
fn store_children<'r>(
    tx: &Transaction<'_>,
    ret: i64,
    children: impl Iterator<Item = &'r ChildRows>,
) -> Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO return_child_rows(return_id, child_id, digest, open_episode, rows)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for c in children {
        insert.execute(params![ret, c.child, c.digest, c.open_episode, c.rows])?;
    }
    Ok(())
}

/// Stores problems of return `ret`.
fn store_problems<'p>(
    tx: &Transaction<'_>,
    ret: i64,
    problems: impl Iterator<Item = &'p ProblemRead>,
) -> Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO return_problems(return_id, child_id, held_back, column, problem) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for p in problems {
        insert.execute(params![ret, p.child, p.held_back, p.column, p.problem])?;
    }
    Ok(())
}

/// Drops the indexes of the tables holding returns' rows, which are
/// empty: they are built again (`ReturnsImport::finish`) once the rows
/// are in, one sort each, much faster than keeping them up to date row by
/// row. Gives their SQL, as the schema holds it (DDL is transactional: a
/// rollback restores them).
fn drop_return_indexes(tx: &Transaction<'_>) -> Result<Vec<String>> {
    let mut indexes = Vec::new();
    for table in CHILD_ROW_TABLES {
        let mut stmt = tx.prepare(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL",
        )?;
        let found = stmt
            .query_map([table], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (name, sql) in found {
            tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
            indexes.push(sql);
        }
    }
    Ok(indexes)
}

/// The children of a year's return read whose merge it can change.
struct ChildrenChanged {
    /// Children whose rows read are new or not exactly their rows in the
    /// return of that year held before (every child, when that return has
    /// no digests or none was held).
    rewritten: HashSet<String>,
    /// Children only the return held before had.
    gone: Vec<String>,
}

/// Compares the digests of the rows read with those of the return of
/// that year held before (`before`). A child with the same rows in the
/// same year's return merges as before: `merge_child` reads nothing else
/// of a return but its year, and a change of the latest year held marks
/// more children in `children_to_merge`.
fn children_changed(
    read: &[ChildRows],
    mut before: HashMap<String, Option<Vec<u8>>>,
) -> ChildrenChanged {
    let rewritten = read
        .iter()
        .filter(
            |c| !matches!(before.remove(&c.child), Some(Some(d)) if Some(&d) == c.digest.as_ref()),
        )
        .map(|c| c.child.clone())
        .collect();
    ChildrenChanged {
        rewritten,
        gone: before.into_keys().collect(),
    }
}

/// The tables of the returns held holding a child id.
pub(crate) const CHILD_ROW_TABLES: [&str; 2] = ["return_child_rows", "return_problems"];

impl ReturnsImport<'_> {
    /// Marks in `temp.merge_children` every child whose merged history this
    /// import can change, by the rules of `rules::returns::merge_child`:
    /// - a child whose rows (their problems too) in a return it adds or
    ///   replaces are new or not as that year's return held them
    ///   (`set_year`, `children_changed`);
    /// - when the latest year held changes, a child with an episode written
    ///   open in the return that was the latest (whether a return left an
    ///   episode open depends only on whether it is the latest:
    ///   `merge_episodes`).
    ///
    /// The one other thing in a child's merge that depends on the returns
    /// held is where reviews of a year come from; it matters only for a
    /// review dated outside its return's year, and such a return is a whole
    /// history, which merges everyone. So merging only these children gives
    /// what merging everyone gives (tested in `tests/it/returns.rs`).
    fn children_to_merge(&self) -> Result<MergeScope> {
        let held_after = held(&self.tx)?;
        let whole = |h: &[HeldReturn]| h.iter().any(|r| r.whole_history);
        if !self.began_a_return
            || self.held_before.is_empty()
            || whole(&self.held_before)
            || whole(&held_after)
        {
            return Ok(MergeScope::Everyone);
        }
        let mut mark = self
            .tx
            .prepare_cached("INSERT OR IGNORE INTO temp.merge_children(child_id) VALUES (?1)")?;
        for child in &self.children_changed {
            mark.execute([child])?;
        }
        let latest = |h: &[HeldReturn]| h.iter().map(|r| r.year).max();
        let latest_before = latest(&self.held_before);
        if let Some(before) = latest_before
            && latest(&held_after) != latest_before
        {
            // An open episode is closed when its return is not the latest
            // (and no later return has it). An import only adds years, so
            // the latest changes to a year new to it, whose children are
            // all marked above: what changes is the return that was the
            // latest, whose open episodes are now closed.
            self.tx.execute(
                "INSERT OR IGNORE INTO temp.merge_children
                 SELECT c.child_id FROM returns r
                 JOIN return_child_rows c ON c.return_id = r.id
                 WHERE r.year = ?1 AND c.open_episode",
                [before.start_year()],
            )?;
        }
        Ok(MergeScope::Marked)
    }
}

fn held(conn: &rusqlite::Connection) -> Result<Vec<HeldReturn>> {
    let mut stmt = conn
        .prepare("SELECT year, whole_history FROM returns WHERE year IS NOT NULL ORDER BY year")?;
    let rows = stmt.query_map([], |r| {
        Ok(HeldReturn {
            year: CollectionYear::starting(r.get(0)?),
            whole_history: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn returns_held(conn: &rusqlite::Connection) -> Result<Vec<ReturnRecord>> {
    let mut stmt = conn.prepare(
        "SELECT id, year, year_source, whole_history, imported_at, first_date, last_date
         FROM returns WHERE year IS NOT NULL ORDER BY year",
    )?;
    let heads = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                ReturnRecord {
                    year: CollectionYear::starting(r.get(1)?),
                    year_source: r.get(2)?,
                    whole_history: r.get(3)?,
                    imported_at: parse_datetime(&r.get::<_, String>(4)?)?,
                    first_date: r
                        .get::<_, Option<String>>(5)?
                        .as_deref()
                        .map(parse_date)
                        .transpose()?,
                    last_date: r
                        .get::<_, Option<String>>(6)?
                        .as_deref()
                        .map(parse_date)
                        .transpose()?,
                    children: 0,
                    episodes: 0,
                    reviews: 0,
                    other_rows: Vec::new(),
                    files: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut files = conn.prepare(
        "SELECT file_name, sha256, table_name, rows FROM return_files WHERE return_id = ?1 ORDER BY rowid",
    )?;
    let mut tables = conn.prepare(
        "SELECT table_name, rows FROM return_table_rows WHERE return_id = ?1 ORDER BY table_name",
    )?;
    let mut out = Vec::new();
    for (id, mut record) in heads {
        record.files = files
            .query_map([id], |r| {
                Ok(ImportedFile {
                    file_name: r.get(0)?,
                    sha256: r.get(1)?,
                    table: r.get(2)?,
                    rows: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for row in tables.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))? {
            let (table, rows) = row?;
            match table.as_str() {
                "Header" => record.children = rows,
                "Episodes" => record.episodes = rows,
                "Reviews" => record.reviews = rows,
                "PlacedAdoption" => {}
                _ => record.other_rows.push((table, rows)),
            }
        }
        out.push(record);
    }
    Ok(out)
}

/// Packs the rows of the returns held as migration 26 found them, in the
/// tables of migration 8 (dropped by 27), into `return_child_rows`: each
/// child's rows of each table in the order they were stored (the order
/// they were read), with the child's digest where one was kept. Runs once,
/// in the migration's transaction.
pub(crate) fn pack_returns_held(tx: &Transaction<'_>) -> Result<()> {
    use crate::extract::{
        CHILD_COLUMNS, EPISODE_COLUMNS, PLACED_COLUMNS, child_from_row_at, episode_from_row_at,
        placed_from_row_at, review_from_row_at,
    };
    // By return, then child: the order of the table's key.
    type Packed = BTreeMap<(i64, String), (Option<Vec<u8>>, ChildReading)>;
    let mut packed: Packed = BTreeMap::new();
    fn entry<'p>(
        packed: &'p mut Packed,
        ret: i64,
        child: &str,
    ) -> &'p mut (Option<Vec<u8>>, ChildReading) {
        packed
            .entry((ret, child.to_owned()))
            .or_insert_with(|| (None, ChildReading::default()))
    }
    fn read_table(
        tx: &Transaction<'_>,
        sql: &str,
        mut each: impl FnMut(i64, &rusqlite::Row<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = tx.prepare(sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            each(row.get(0)?, row)?;
        }
        Ok(())
    }
    read_table(
        tx,
        &format!("SELECT return_id, {CHILD_COLUMNS} FROM return_children ORDER BY rowid"),
        |ret, row| {
            let c = child_from_row_at(row, 1)?;
            write_child(&mut entry(&mut packed, ret, &c.id).1.rows, &c)
        },
    )?;
    read_table(
        tx,
        &format!("SELECT return_id, {EPISODE_COLUMNS} FROM return_episodes ORDER BY rowid"),
        |ret, row| {
            let e = episode_from_row_at(row, 1)?;
            let read = &mut entry(&mut packed, ret, &e.child).1;
            read.open_episode |= e.dec.is_none();
            write_episode(&mut read.rows, &e)
        },
    )?;
    read_table(
        tx,
        "SELECT return_id, child_id, review, review_code FROM return_reviews ORDER BY rowid",
        |ret, row| {
            let r = review_from_row_at(row, 1)?;
            write_review(&mut entry(&mut packed, ret, &r.child).1.rows, &r)
        },
    )?;
    read_table(
        tx,
        &format!("SELECT return_id, {PLACED_COLUMNS} FROM return_placed_adoption ORDER BY rowid"),
        |ret, row| {
            let p = placed_from_row_at(row, 1)?;
            write_placed(&mut entry(&mut packed, ret, &p.child).1.rows, &p)
        },
    )?;
    read_table(
        tx,
        "SELECT return_id, child_id, table_name, fields FROM return_extras ORDER BY rowid",
        |ret, row| {
            let child: String = row.get(1)?;
            let (table, fields): (String, String) = (row.get(2)?, row.get(3)?);
            Ok(packed::push_row(
                &mut entry(&mut packed, ret, &child).1.rows,
                PackedTable::Extra,
                params![table, fields],
            )?)
        },
    )?;
    // A child with only problems in a return has a digest and no rows.
    read_table(
        tx,
        "SELECT return_id, child_id, digest FROM return_child_digests",
        |ret, row| {
            let child: String = row.get(1)?;
            entry(&mut packed, ret, &child).0 = Some(row.get(2)?);
            Ok(())
        },
    )?;
    for ((ret, child), (digest, read)) in packed {
        let rows = ChildRows {
            child,
            digest,
            rows: read.rows,
            open_episode: read.open_episode,
        };
        store_children(tx, ret, std::iter::once(&rows))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use panel_core::rules::testkit::{child_with_id, date};

    /// A child's history in one return: born 01/03/2012, one episode
    /// (`DECOM RNE LS PLACE PROVIDER DEC`, as the testkit writes it).
    fn in_return(id: &str, episode: &str) -> ChildRecord {
        child_with_id(id, "01/03/2012").ep(episode).build()
    }

    /// Imports the returns given (each its year and its children) in one
    /// import: what the merge did.
    fn import(store: &mut Store, returns: &[(i32, Vec<ChildRecord>)]) -> MergeSummary {
        store
            .import_returns(at(), false, |mut import| {
                store_in(&mut import, returns)?;
                import.finish(at(), &[])
            })
            .unwrap()
            .1
    }

    fn at() -> NaiveDateTime {
        date("27/11/2026").and_hms_opt(10, 0, 0).unwrap()
    }

    /// Stores in `import` the returns given (each its year and children).
    fn store_in(import: &mut ReturnsImport<'_>, returns: &[(i32, Vec<ChildRecord>)]) -> Result<()> {
        for (year, children) in returns {
            let ret = import.begin_return(at())?;
            for record in children {
                import.insert_child(&record.child)?;
                for e in &record.episodes {
                    import.insert_episode(e)?;
                }
            }
            let year = CollectionYear::starting(*year);
            import.set_year(ret, year, "test", false, &[])?;
        }
        Ok(())
    }

    fn journal_mode(store: &Store) -> String {
        store
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap()
    }

    /// The choice in `Store::import_returns`: the first returns of a panel
    /// go through a rollback journal (its file is there while they are
    /// written), later ones through the write-ahead log, and the panel is
    /// in WAL mode again once an import ends, committed or not.
    #[test]
    fn the_first_returns_of_a_panel_are_written_through_a_rollback_journal_and_wal_mode_comes_back()
    {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("panel.db");
        let rollback_journal = dir.path().join("panel.db-journal");
        let mut store = Store::open(&path).unwrap();
        let first = (2023, vec![in_return("A", "01/06/2023 S C2 U1 PR1 open")]);
        let second = (2024, vec![in_return("B", "01/06/2024 S C2 U1 PR1 open")]);

        let failed: Result<()> = store.import_returns(at(), false, |mut import| {
            store_in(&mut import, std::slice::from_ref(&first))?;
            assert!(
                rollback_journal.exists(),
                "the first returns: a rollback journal"
            );
            Err(crate::StoreError::Refused("given up".into()))
        });
        assert!(failed.is_err());
        assert_eq!(journal_mode(&store), "wal", "after an import given up");
        assert!(store.returns().unwrap().is_empty(), "nothing of it kept");

        store
            .import_returns(at(), false, |mut import| {
                store_in(&mut import, std::slice::from_ref(&first))?;
                assert!(rollback_journal.exists());
                import.finish(at(), &[])
            })
            .unwrap();
        assert_eq!(journal_mode(&store), "wal", "after the first returns");

        store
            .import_returns(at(), false, |mut import| {
                store_in(&mut import, std::slice::from_ref(&second))?;
                assert!(
                    !rollback_journal.exists(),
                    "a panel holding a return: the log"
                );
                import.finish(at(), &[])
            })
            .unwrap();
        assert_eq!(journal_mode(&store), "wal");
        assert_eq!(store.returns().unwrap().len(), 2);
        drop(store);
        assert_eq!(Store::open(&path).unwrap().child_count().unwrap(), 2);
    }

    /// Leaving WAL mode needs the file to itself: with another connection
    /// open (the app, its presenter view) the first returns go through the
    /// log, and that connection reads them.
    #[test]
    fn the_first_returns_go_through_the_log_when_another_connection_has_the_panel_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("panel.db");
        let rollback_journal = dir.path().join("panel.db-journal");
        let mut store = Store::open(&path).unwrap();
        let app = Store::open(&path).unwrap();
        let first = (2023, vec![in_return("A", "01/06/2023 S C2 U1 PR1 open")]);
        store
            .import_returns(at(), false, |mut import| {
                store_in(&mut import, std::slice::from_ref(&first))?;
                assert!(!rollback_journal.exists());
                import.finish(at(), &[])
            })
            .unwrap();
        assert_eq!(journal_mode(&store), "wal");
        assert_eq!(app.child_count().unwrap(), 1);
    }

    /// The choice in `children_to_merge`: when a newer year is added, a
    /// child open in the return that was the latest is merged again (their
    /// open episode is now closed by the merge), and a child open only in
    /// an older return, or closed, is not (nothing of their merge changed).
    #[test]
    fn a_newer_year_merges_again_its_children_and_those_open_in_the_return_that_was_the_latest() {
        let y2022 = (
            2022,
            vec![
                in_return("OPEN-IN-OLDER", "01/05/2022 S C2 U1 PR1 open"),
                in_return("CLOSED", "01/06/2022 S C2 U1 PR1 open"),
            ],
        );
        let y2023 = (
            2023,
            vec![
                in_return("CLOSED", "01/06/2022 S C2 U1 PR1 01/07/2023"),
                in_return("OPEN-IN-LATEST", "01/08/2023 S C2 U1 PR1 open"),
            ],
        );
        let y2024 = (2024, vec![in_return("NEW", "01/09/2024 S C2 U1 PR1 open")]);

        let mut store = Store::open_in_memory().unwrap();
        import(&mut store, &[y2022.clone(), y2023.clone()]);
        let summary = import(&mut store, std::slice::from_ref(&y2024));
        assert_eq!(summary.merged_again, 2, "NEW and OPEN-IN-LATEST only");
        assert_eq!(summary.changed, 2);
        let closed = store.child_record("OPEN-IN-LATEST").unwrap().unwrap();
        assert_eq!(closed.episodes[0].dec, Some(date("31/03/2024")));

        let mut at_once = Store::open_in_memory().unwrap();
        import(&mut at_once, &[y2022, y2023, y2024]);
        assert_eq!(
            store.child_records().unwrap(),
            at_once.child_records().unwrap()
        );
        assert_eq!(
            store.merge_warnings().unwrap(),
            at_once.merge_warnings().unwrap()
        );
        assert_eq!(store.merge_warnings().unwrap().len(), 2);
    }
}
