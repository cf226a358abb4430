//! Returns by collection year: each kept as it came (its rows, files,
//! SHA-256, when) and replaced in place when its year is imported again;
//! the merged history the rules read (the tables of the extract) is
//! computed from them at every import and removal (`merge`), so reading
//! it costs what it did.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, Transaction, params};

mod digest;
mod merge;

use digest::{Feed, MERGE_INPUT_VERSION, RowsDigest};
use merge::{MergeScope, merge};

use super::backup::SafetyCopy;
use super::extract::{
    ImportedFile, RowsOf, record_import, write_child, write_episode, write_placed, write_review,
};
use super::text::*;
use super::{Result, Store};
use crate::model::*;
use crate::rules::returns::{self, CollectionYear, HeldReturn, MergeWarning};

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
    /// too), gathered as `RowsDigest`: the child's digest, taken when the
    /// return is given its year, says whether the child's rows changed.
    rows_read: HashMap<String, RowsDigest>,
    /// Where a row's bytes are gathered for its digest (one buffer,
    /// reused: an import digests a million rows).
    row_buffer: Vec<u8>,
    /// The indexes of the return tables dropped while the first returns
    /// are stored into them (their SQL), built again before the merge.
    indexes_to_build: Vec<String>,
    /// The rows of the return being read, when it may replace a return
    /// held: stored by `set_year`, once it knows whose rows changed.
    rows_waiting: Vec<ReadRow<'static>>,
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

impl Store {
    /// Starts an import of returns. The database as it is now is checked
    /// and, with `keep_backup` unless it holds nothing yet, kept among the
    /// automatic backups, on another thread while the import reads and
    /// merges; the import commits only once both are done
    /// (`ReturnsImport::finish`).
    pub fn begin_returns_import(
        &mut self,
        at: NaiveDateTime,
        keep_backup: bool,
    ) -> Result<ReturnsImport<'_>> {
        self.prepare_bulk_load()?;
        let back_up = keep_backup && !self.is_empty()?;
        if back_up {
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
            row_buffer: Vec::with_capacity(256),
            rows_waiting: Vec::new(),
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
        let mut stmt = self
            .conn
            .prepare("SELECT child_id, what, rule FROM merge_warnings ORDER BY child_id, rowid")?;
        let rows = stmt.query_map([], |r| {
            let rule: String = r.get(2)?;
            Ok(MergeWarning {
                child: r.get(0)?,
                what: r.get(1)?,
                rule: match rule.as_str() {
                    "older-episode-cut" => "older-episode-cut",
                    "older-episode-dropped" => "older-episode-dropped",
                    _ => "closed-open-episode",
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The first day the returns held vouch for (`None`: a whole history,
    /// or nothing held).
    pub fn coverage_start(&self) -> Result<Option<NaiveDate>> {
        Ok(returns::coverage_start(&held(&self.conn)?))
    }

    /// A child's rows of the tables the rules do not read (AD1, UASC,
    /// PrevPerm, Missing, SWEpisodes) in the merged history.
    pub fn child_extras(&self, child: &str) -> Result<Vec<ExtraRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT table_name, year, fields FROM child_extras WHERE child_id = ?1 ORDER BY table_name, rowid",
        )?;
        let rows = stmt.query_map([child], |r| {
            let fields: String = r.get(2)?;
            Ok(ExtraRow {
                table: r.get(0)?,
                year: CollectionYear::starting(r.get(1)?),
                fields: fields.split(FIELD_SEPARATOR).map(str::to_owned).collect(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

impl ReturnsImport<'_> {
    /// Starts one return; its year is set once it is read.
    pub fn begin_return(&mut self, at: NaiveDateTime) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO returns(year, imported_at) VALUES (NULL, ?1)",
            [datetime(at)],
        )?;
        self.began_a_return = true;
        Ok(self.tx.last_insert_rowid())
    }

    /// Notes a row of a child written by this import (`table` tells rows
    /// of different tables apart), for the child's digest in the return.
    fn written<T: Hash>(&mut self, child: &str, table: &str, row: T) {
        use sha2::Digest;
        self.row_buffer.clear();
        (table, row).hash(&mut Feed(&mut self.row_buffer));
        let digest: [u8; 32] = sha2::Sha256::digest(&self.row_buffer).into();
        match self.rows_read.get_mut(child) {
            Some(rows) => rows.add(&digest),
            None => {
                let mut rows = RowsDigest::default();
                rows.add(&digest);
                self.rows_read.insert(child.to_owned(), rows);
            }
        }
    }

    pub fn insert_child(&mut self, ret: i64, c: &Child) -> Result<()> {
        self.written(&c.id, "Header", c);
        self.keep(ret, ReadRow::Child(Cow::Borrowed(c)))
    }

    pub fn insert_episode(&mut self, ret: i64, e: &Episode) -> Result<()> {
        self.written(&e.child, "Episodes", e);
        self.keep(ret, ReadRow::Episode(Cow::Borrowed(e)))
    }

    pub fn insert_review(&mut self, ret: i64, r: &Review) -> Result<()> {
        self.written(&r.child, "Reviews", r);
        self.keep(ret, ReadRow::Review(Cow::Borrowed(r)))
    }

    pub fn insert_placed_adoption(&mut self, ret: i64, p: &PlacedAdoption) -> Result<()> {
        self.written(&p.child, "PlacedAdoption", p);
        self.keep(ret, ReadRow::Placed(Cow::Borrowed(p)))
    }

    /// A row of a table the rules do not read, as written.
    pub fn insert_extra(
        &mut self,
        ret: i64,
        table: &str,
        child: &str,
        fields: &[&str],
    ) -> Result<()> {
        let joined = fields.join(&FIELD_SEPARATOR.to_string());
        self.written(child, table, &joined);
        self.keep(
            ret,
            ReadRow::Extra {
                table: Cow::Borrowed(table),
                child: Cow::Borrowed(child),
                fields: Cow::Owned(joined),
            },
        )
    }

    /// A problem a lenient import let through.
    pub fn insert_problem(
        &mut self,
        ret: i64,
        child: Option<&str>,
        held_back: bool,
        column: &str,
        problem: &str,
    ) -> Result<()> {
        if let Some(child) = child {
            self.written(child, "problem", (held_back, column, problem));
        }
        self.keep(
            ret,
            ReadRow::Problem {
                child: child.map(Cow::Borrowed),
                held_back,
                column: Cow::Borrowed(column),
                problem: Cow::Borrowed(problem),
            },
        )
    }

    /// Stores a row read now, or (when the return may replace one held)
    /// keeps a copy of it until `set_year` knows which children changed.
    fn keep(&mut self, ret: i64, row: ReadRow<'_>) -> Result<()> {
        if self.held_before.is_empty() {
            // Nothing held, nothing to replace: stored as read, uncopied.
            store_row(&self.tx, ret, &row)
        } else {
            self.rows_waiting.push(row.into_owned());
            Ok(())
        }
    }

    /// Gives a return read its year and records its files. A return of
    /// that year held before (that year only) is replaced: in place when
    /// its children's digests are held, rewriting only the rows of the
    /// children whose rows changed, so the monthly import of an in-year
    /// extract rewrites the children it corrects, not the year; else as a
    /// whole.
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
        let digests = self.digests_read();
        let before = match replaced_id {
            Some(old) => self.children_held(old)?,
            None => HashMap::new(),
        };
        let has_digests = before.values().all(Option::is_some);
        let change = children_changed(&digests, before);
        let rows = std::mem::take(&mut self.rows_waiting);
        let held_under = match replaced_id {
            // Rows read are waiting whenever something was held before.
            Some(old) if has_digests && !self.held_before.is_empty() => {
                self.replace_in_place(old, ret, &change, rows)?;
                old
            }
            _ => {
                for row in &rows {
                    store_row(&self.tx, ret, row)?;
                }
                if let Some(old) = replaced_id {
                    self.tx
                        .execute("DELETE FROM returns WHERE id = ?1", [old])?;
                }
                ret
            }
        };
        self.tx.execute(
            "UPDATE returns SET year = ?1, year_source = ?2, whole_history = ?3 WHERE id = ?4",
            params![year.start_year(), year_source, whole_history, held_under],
        )?;
        let mut keep = self.tx.prepare_cached(
            "INSERT INTO return_child_digests(return_id, child_id, digest) VALUES (?1, ?2, ?3)",
        )?;
        for (child, digest) in &digests {
            if held_under == ret || change.rewritten.contains(child) {
                keep.execute(params![held_under, child, &digest[..]])?;
            }
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
    /// of every child whose rows are as it held them: the rows of the
    /// children changed or gone (and those of no child) are taken out and
    /// the rows read of the children changed (and of no child) stored; its
    /// record is the one read (when, files). The return begun for the rows
    /// read (`new`, holding none of them) is dropped.
    fn replace_in_place(
        &mut self,
        old: i64,
        new: i64,
        change: &ChildrenChanged,
        rows: Vec<ReadRow<'static>>,
    ) -> Result<()> {
        let deletes: Vec<String> = CHILD_ROW_TABLES
            .iter()
            .chain(&["return_child_digests"])
            .map(|table| format!("DELETE FROM {table} WHERE return_id = ?1 AND child_id = ?2"))
            .collect();
        for child in change.rewritten.iter().chain(&change.gone) {
            for delete in &deletes {
                self.tx
                    .prepare_cached(delete)?
                    .execute(params![old, child])?;
            }
        }
        self.tx.execute(
            "DELETE FROM return_problems WHERE return_id = ?1 AND child_id IS NULL",
            [old],
        )?;
        for row in &rows {
            if row.child().is_none_or(|c| change.rewritten.contains(c)) {
                store_row(&self.tx, old, row)?;
            }
        }
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

    /// Each child's digest of their rows in the return just read, by child.
    fn digests_read(&mut self) -> Vec<(String, [u8; 32])> {
        use sha2::Digest;
        let mut digests: Vec<(String, [u8; 32])> = self
            .rows_read
            .drain()
            .map(|(child, rows)| {
                let mut sha = sha2::Sha256::new();
                sha.update(MERGE_INPUT_VERSION.as_bytes());
                sha.update(rows.rows.to_le_bytes());
                for lane in rows.sum {
                    sha.update(lane.to_le_bytes());
                }
                (child, sha.finalize().into())
            })
            .collect();
        digests.sort_unstable();
        digests
    }

    /// Every child of return `old` with their digest: each child with a
    /// row in a return has one, except in a return imported before digests
    /// were kept (`None`), whose children are all merged again and which is
    /// replaced as a whole.
    fn children_held(&self, old: i64) -> Result<HashMap<String, Option<Vec<u8>>>> {
        let mut before = HashMap::new();
        let has_digests: bool = self.tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM return_child_digests WHERE return_id = ?1)",
            [old],
            |r| r.get(0),
        )?;
        for table in CHILD_ROW_TABLES.iter().filter(|_| !has_digests) {
            let mut stmt = self.tx.prepare(&format!(
                "SELECT DISTINCT child_id FROM {table} WHERE return_id = ?1 AND child_id IS NOT NULL"
            ))?;
            for child in stmt.query_map([old], |r| r.get::<_, String>(0))? {
                before.insert(child?, None);
            }
        }
        let mut stmt = self
            .tx
            .prepare("SELECT child_id, digest FROM return_child_digests WHERE return_id = ?1")?;
        for row in stmt.query_map([old], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
        })? {
            let (child, digest) = row?;
            before.insert(child, Some(digest));
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

/// A row read from a return, as the return tables hold it: borrowed from
/// the reader while it is stored at once, owned while it waits.
enum ReadRow<'a> {
    Child(Cow<'a, Child>),
    Episode(Cow<'a, Episode>),
    Review(Cow<'a, Review>),
    Placed(Cow<'a, PlacedAdoption>),
    Extra {
        table: Cow<'a, str>,
        child: Cow<'a, str>,
        fields: Cow<'a, str>,
    },
    Problem {
        child: Option<Cow<'a, str>>,
        held_back: bool,
        column: Cow<'a, str>,
        problem: Cow<'a, str>,
    },
}

impl ReadRow<'_> {
    /// The child the row is of (a problem may name none).
    fn child(&self) -> Option<&str> {
        match self {
            ReadRow::Child(c) => Some(&c.id),
            ReadRow::Episode(e) => Some(&e.child),
            ReadRow::Review(r) => Some(&r.child),
            ReadRow::Placed(p) => Some(&p.child),
            ReadRow::Extra { child, .. } => Some(child),
            ReadRow::Problem { child, .. } => child.as_deref(),
        }
    }

    fn into_owned(self) -> ReadRow<'static> {
        let own = |text: Cow<'_, str>| Cow::Owned(text.into_owned());
        match self {
            ReadRow::Child(c) => ReadRow::Child(Cow::Owned(c.into_owned())),
            ReadRow::Episode(e) => ReadRow::Episode(Cow::Owned(e.into_owned())),
            ReadRow::Review(r) => ReadRow::Review(Cow::Owned(r.into_owned())),
            ReadRow::Placed(p) => ReadRow::Placed(Cow::Owned(p.into_owned())),
            ReadRow::Extra {
                table,
                child,
                fields,
            } => ReadRow::Extra {
                table: own(table),
                child: own(child),
                fields: own(fields),
            },
            ReadRow::Problem {
                child,
                held_back,
                column,
                problem,
            } => ReadRow::Problem {
                child: child.map(own),
                held_back,
                column: own(column),
                problem: own(problem),
            },
        }
    }
}

/// Stores a row of return `ret`.
fn store_row(tx: &Transaction<'_>, ret: i64, row: &ReadRow<'_>) -> Result<()> {
    let to = RowsOf::Return(ret);
    match row {
        ReadRow::Child(c) => write_child(tx, to, c),
        ReadRow::Episode(e) => write_episode(tx, to, e),
        ReadRow::Review(r) => write_review(tx, to, r),
        ReadRow::Placed(p) => write_placed(tx, to, p),
        ReadRow::Extra {
            table,
            child,
            fields,
        } => {
            tx.prepare_cached(
                "INSERT INTO return_extras(return_id, table_name, child_id, fields) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![ret, table, child, fields])?;
            Ok(())
        }
        ReadRow::Problem {
            child,
            held_back,
            column,
            problem,
        } => {
            tx.prepare_cached(
                "INSERT INTO return_problems(return_id, child_id, held_back, column, problem) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![ret, child, held_back, column, problem])?;
            Ok(())
        }
    }
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
    read: &[(String, [u8; 32])],
    mut before: HashMap<String, Option<Vec<u8>>>,
) -> ChildrenChanged {
    let rewritten = read
        .iter()
        .filter(|(child, digest)| !matches!(before.remove(child), Some(Some(d)) if d == digest))
        .map(|(child, _)| child.clone())
        .collect();
    ChildrenChanged {
        rewritten,
        gone: before.into_keys().collect(),
    }
}

/// The tables of the merged history holding a child id, `children` after
/// the tables that refer to it.
pub(crate) const MERGED_TABLES: [&str; 7] = [
    "episodes",
    "reviews",
    "placed_adoption",
    "child_extras",
    "merge_warnings",
    "children",
    "merged_digests",
];

/// The tables of a return holding a child id, for marking children.
pub(crate) const CHILD_ROW_TABLES: [&str; 6] = [
    "return_children",
    "return_episodes",
    "return_reviews",
    "return_placed_adoption",
    "return_extras",
    "return_problems",
];

impl ReturnsImport<'_> {
    /// Marks in `temp.merge_children` every child whose merged history this
    /// import can change, by the rules of `rules::returns::merge_child`:
    /// - a child whose rows (their problems too) in a return it adds or
    ///   replaces are new or not as that year's return held them
    ///   (`set_year`, `children_changed`);
    /// - when the latest year held changes, a child with an episode written
    ///   open in any return (whether an older return left it open depends on
    ///   which return is the latest).
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
        if latest(&held_after) != latest(&self.held_before) {
            self.tx.execute(
                "INSERT OR IGNORE INTO temp.merge_children
                 SELECT child_id FROM return_episodes WHERE dec IS NULL",
                [],
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
        "SELECT r.id, r.year, r.year_source, r.whole_history, r.imported_at,
            (SELECT count(*) FROM return_children WHERE return_id = r.id),
            (SELECT count(*) FROM return_episodes WHERE return_id = r.id),
            (SELECT count(*) FROM return_reviews WHERE return_id = r.id),
            (SELECT min(decom) FROM return_episodes WHERE return_id = r.id),
            (SELECT max(max(decom), coalesce(max(dec), '')) FROM return_episodes WHERE return_id = r.id),
            (SELECT max(review) FROM return_reviews WHERE return_id = r.id)
         FROM returns r WHERE r.year IS NOT NULL ORDER BY r.year",
    )?;
    let heads = stmt
        .query_map([], |r| {
            let first: Option<String> = r.get(8)?;
            let last_ep: Option<String> = r.get(9)?;
            let last_review: Option<String> = r.get(10)?;
            let last = last_ep
                .into_iter()
                .chain(last_review)
                .filter(|s| !s.is_empty())
                .max();
            Ok((
                r.get::<_, i64>(0)?,
                ReturnRecord {
                    year: CollectionYear::starting(r.get(1)?),
                    year_source: r.get(2)?,
                    whole_history: r.get(3)?,
                    imported_at: parse_datetime(&r.get::<_, String>(4)?)?,
                    children: r.get(5)?,
                    episodes: r.get(6)?,
                    reviews: r.get(7)?,
                    first_date: first.as_deref().map(parse_date).transpose()?,
                    last_date: last.as_deref().map(parse_date).transpose()?,
                    other_rows: Vec::new(),
                    files: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut files = conn.prepare(
        "SELECT file_name, sha256, table_name, rows FROM return_files WHERE return_id = ?1 ORDER BY rowid",
    )?;
    let mut others = conn.prepare(
        "SELECT table_name, count(*) FROM return_extras WHERE return_id = ?1 GROUP BY table_name ORDER BY table_name",
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
        record.other_rows = others
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.push(record);
    }
    Ok(out)
}
