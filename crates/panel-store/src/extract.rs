//! The history the rules read, as `ChildRecord`s (stored packed by
//! store/history.rs), a whole history written by `ExtractImport` (tests),
//! plan facts, the import log, and how a row of the four tables the rules
//! read is packed and read back.

use std::iter::Peekable;

use chrono::NaiveDateTime;
use rusqlite::types::{FromSql, FromSqlError, ValueRef};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::returns::packed::{PackedTable, push_row};
use super::text::*;
use super::{Result, Store};
use crate::model::*;
use panel_core::text::count_of;

/// One file of an import, as recorded in the import log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedFile {
    pub file_name: String,
    pub sha256: String,
    pub table: String,
    pub rows: i64,
}

/// An import of the 903 tables under way. Nothing is visible to anyone else
/// until `finish`; dropping it without finishing changes nothing.
pub struct ExtractImport<'a> {
    tx: super::panel::WriteTx<'a>,
    /// What the panel held before, in words, for the audit.
    replaced: String,
    /// Each child's rows, stored as one history each by `finish`.
    children: std::collections::BTreeMap<String, ChildRecord>,
}

/// One entry of the import log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRecord {
    pub id: i64,
    pub at: NaiveDateTime,
    /// `903` or `plans`.
    pub kind: String,
    pub files: Vec<ImportedFile>,
}

/// An import of `plans.csv` under way.
pub struct PlansImport<'a> {
    tx: super::panel::WriteTx<'a>,
    /// Children whose plan facts a row replaced, and children given facts
    /// for the first time, for the audit.
    replaced: usize,
    added: usize,
}

impl Store {
    /// Settings for loading a return: a larger page cache for the load and
    /// the index builds (64 MiB; the default 2 MiB makes SQLite spill and
    /// re-read pages), and sorts in memory rather than in temporary files.
    pub(crate) fn prepare_bulk_load(&self) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -65_536)?;
        // (Sorts in memory: `temp_store` is set when the store opens, as
        // changing it drops the temporary triggers that note written rows.)
        Ok(())
    }

    /// Starts replacing the whole extract (children, episodes, reviews,
    /// placed-for-adoption rows). Plans and panel records are kept.
    pub fn begin_extract_import(&mut self) -> Result<ExtractImport<'_>> {
        self.prepare_bulk_load()?;
        let tx = self.write()?;
        let replaced = held_in_words(&tx)?;
        tx.execute_batch("DELETE FROM histories; DELETE FROM returns;")?;
        Ok(ExtractImport {
            tx,
            replaced,
            children: Default::default(),
        })
    }

    /// Starts an import of plan facts; each row replaces that child's facts.
    pub fn begin_plans_import(&mut self) -> Result<PlansImport<'_>> {
        let tx = self.write()?;
        Ok(PlansImport {
            tx,
            replaced: 0,
            added: 0,
        })
    }

    /// Every child id in the history the rules read.
    pub fn child_ids(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT child_id FROM histories ORDER BY child_id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Number of children in the extract.
    pub fn child_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM histories", [], |r| r.get(0))?)
    }

    /// Every child's record, in child id order, one at a time (the extract
    /// can hold 100,000 children; it is never all in memory at once).
    pub fn for_each_child_record(
        &self,
        mut f: impl FnMut(ChildRecord) -> Result<()>,
    ) -> Result<()> {
        let mut plans = self.conn.prepare(&format!(
            "SELECT {PLAN_COLUMNS} FROM plans ORDER BY child_id"
        ))?;
        let mut plans = plans.query_map([], plan_from_row)?.peekable();
        super::history::for_each(&self.conn, super::history::Which::Everyone, |history| {
            let mut record = history.into_record();
            record.plan = take_for(&mut plans, &record.child.id, |p| &p.child)?.pop();
            f(record)
        })
    }

    /// Every child's record, collected. Prefer `for_each_child_record` on
    /// large extracts.
    pub fn child_records(&self) -> Result<Vec<ChildRecord>> {
        let mut all = Vec::new();
        self.for_each_child_record(|r| {
            all.push(r);
            Ok(())
        })?;
        Ok(all)
    }

    /// The child whose id is `typed` (any case), else the first by id whose
    /// id contains it: `/` in the app finds any child of the panel.
    pub fn find_child_id(&self, typed: &str) -> Result<Option<ChildId>> {
        let typed = typed.trim().to_lowercase();
        if typed.is_empty() {
            return Ok(None);
        }
        Ok(self
            .conn
            .query_row(
                "SELECT child_id FROM histories WHERE instr(lower(child_id), ?1) > 0
                 ORDER BY lower(child_id) = ?1 DESC, child_id LIMIT 1",
                [&typed],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The children whose plan facts hold `plan` (agreed or not), by id:
    /// what reads a few children's records rather than every child's.
    pub fn children_with_plan(&self, plan: crate::model::PlanKind) -> Result<Vec<ChildId>> {
        Ok(self
            .conn
            .prepare_cached("SELECT child_id FROM plans WHERE plan = ?1 ORDER BY child_id")?
            .query_map([plan.id()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// One child's record, with their plan facts, if the child is in the extract.
    pub fn child_record(&self, id: &str) -> Result<Option<ChildRecord>> {
        let Some(history) = super::history::read(&self.conn, id)? else {
            return Ok(None);
        };
        let mut record = history.into_record();
        record.plan = self.plan_facts(id)?;
        Ok(Some(record))
    }

    /// The panel's plan facts for a child.
    pub fn plan_facts(&self, id: &str) -> Result<Option<PlanFacts>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {PLAN_COLUMNS} FROM plans WHERE child_id = ?1"
        ))?;
        let mut rows = stmt.query_map([id], plan_from_row)?;
        Ok(rows.next().transpose()?)
    }

    /// Replaces one child's plan facts now (typed in the app).
    pub fn set_plan_facts(&mut self, facts: &PlanFacts, at: NaiveDateTime) -> Result<()> {
        let tx = self.write()?;
        upsert_plan(&tx, facts)?;
        super::panel::audit(
            &tx,
            at,
            "plan",
            &facts.child,
            Some(&facts.child),
            &format!("plan facts set: {facts:?}"),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The import log, newest first.
    pub fn imports(&self) -> Result<Vec<ImportRecord>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, imported_at, kind FROM imports ORDER BY id DESC")?;
        let heads = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    parse_datetime(&r.get::<_, String>(1)?)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut files = self.conn.prepare(
            "SELECT file_name, sha256, table_name, rows FROM import_files WHERE import_id = ?1 ORDER BY rowid",
        )?;
        let mut out = Vec::new();
        for (id, at, kind) in heads {
            let list = files
                .query_map([id], |r| {
                    Ok(ImportedFile {
                        file_name: r.get(0)?,
                        sha256: r.get(1)?,
                        table: r.get(2)?,
                        rows: r.get(3)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            out.push(ImportRecord {
                id,
                at,
                kind,
                files: list,
            });
        }
        Ok(out)
    }
}

impl ExtractImport<'_> {
    pub fn insert_child(&mut self, c: &Child) -> Result<()> {
        self.children.insert(
            c.id.clone(),
            ChildRecord {
                child: c.clone(),
                episodes: Vec::new(),
                reviews: Vec::new(),
                placed_adoption: Vec::new(),
                plan: None,
            },
        );
        Ok(())
    }

    /// The record of a child given already (rows of a child come after
    /// their Header row, as the tables' foreign keys once required).
    fn record_of(&mut self, child: &str, row: &str) -> Result<&mut ChildRecord> {
        self.children.get_mut(child).ok_or_else(|| {
            super::StoreError::Refused(format!(
                "{row} of child {child}, who has no Header row before it"
            ))
        })
    }

    pub fn insert_episode(&mut self, e: &Episode) -> Result<()> {
        self.record_of(&e.child, "an episode")?
            .episodes
            .push(e.clone());
        Ok(())
    }

    pub fn insert_review(&mut self, r: &Review) -> Result<()> {
        self.record_of(&r.child, "a review")?
            .reviews
            .push(r.clone());
        Ok(())
    }

    pub fn insert_placed_adoption(&mut self, p: &PlacedAdoption) -> Result<()> {
        self.record_of(&p.child, "a placement for adoption")?
            .placed_adoption
            .push(p.clone());
        Ok(())
    }

    /// Stores the history, records the import and commits it. Returns the
    /// import's id.
    pub fn finish(self, at: NaiveDateTime, files: &[ImportedFile]) -> Result<i64> {
        for (id, r) in &self.children {
            let packed = super::history::pack(
                &r.child,
                &r.episodes,
                &r.reviews,
                &r.placed_adoption,
                [],
                [],
            )?;
            super::history::store(&self.tx, id, 0, &packed)?;
        }
        let replaced = format!("replacing {}", self.replaced);
        let id = record_import(&self.tx, at, "903", files, &replaced)?;
        self.tx.commit()?;
        Ok(id)
    }
}

impl PlansImport<'_> {
    pub fn upsert(&mut self, facts: &PlanFacts) -> Result<()> {
        let held: bool = self
            .tx
            .prepare_cached("SELECT EXISTS(SELECT 1 FROM plans WHERE child_id = ?1)")?
            .query_row([&facts.child], |r| r.get(0))?;
        if held {
            self.replaced += 1;
        } else {
            self.added += 1;
        }
        upsert_plan(&self.tx, facts)
    }

    pub fn finish(self, at: NaiveDateTime, files: &[ImportedFile]) -> Result<i64> {
        let replaced = format!(
            "replacing the plan facts held for {} and adding them for {}",
            count_of(self.replaced, "child", "children"),
            count_of(self.added, "child", "children")
        );
        let id = record_import(&self.tx, at, "plans", files, &replaced)?;
        self.tx.commit()?;
        Ok(id)
    }
}

pub(super) fn upsert_plan(tx: &Transaction<'_>, p: &PlanFacts) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO plans(child_id, plan, plan_agreed, match_agreed, no_pr, potential_sgo, achieved, contingency_plan)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(child_id) DO UPDATE SET plan = excluded.plan, plan_agreed = excluded.plan_agreed,
            match_agreed = excluded.match_agreed, no_pr = excluded.no_pr,
            potential_sgo = excluded.potential_sgo, achieved = excluded.achieved,
            contingency_plan = excluded.contingency_plan",
    )?
    .execute(params![
        p.child,
        p.plan.map(|k| k.id()),
        opt_date(p.plan_agreed),
        opt_date(p.match_agreed),
        p.no_pr,
        p.potential_sgo,
        opt_date(p.achieved),
        p.contingency.map(|k| k.id())
    ])?;
    Ok(())
}

/// What the panel holds of the returns, in words: "3 returns (2023-24 to
/// 2025-26) with 412 children", or "nothing".
pub(super) fn held_in_words(tx: &Transaction<'_>) -> Result<String> {
    let (returns, first, last): (i64, Option<i32>, Option<i32>) = tx.query_row(
        "SELECT count(*), min(year), max(year) FROM returns WHERE year IS NOT NULL",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let children: i64 = tx.query_row("SELECT count(*) FROM histories", [], |r| r.get(0))?;
    let years = |y: i32| crate::rules::returns::CollectionYear::starting(y).to_string();
    Ok(match (returns, first, last) {
        (0, ..) if children == 0 => "nothing (no return was held)".to_owned(),
        (1, Some(y), _) => format!(
            "the {} return with {}",
            years(y),
            count_of(children as usize, "child", "children")
        ),
        (n, Some(a), Some(b)) => format!(
            "{n} returns ({} to {}) with {}",
            years(a),
            years(b),
            count_of(children as usize, "child", "children")
        ),
        _ => format!(
            "a history of {}",
            count_of(children as usize, "child", "children")
        ),
    })
}

/// Records an import in the import log and the audit: its files with
/// their SHA-256 (so the very files can be found again) and, in words,
/// what it replaced.
pub(super) fn record_import(
    tx: &Transaction<'_>,
    at: NaiveDateTime,
    kind: &str,
    files: &[ImportedFile],
    replaced: &str,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO imports(imported_at, kind) VALUES (?1, ?2)",
        params![datetime(at), kind],
    )?;
    let id = tx.last_insert_rowid();
    for f in files {
        tx.execute(
            "INSERT INTO import_files(import_id, file_name, sha256, table_name, rows) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, f.file_name, f.sha256, f.table, f.rows],
        )?;
    }
    let listed = files
        .iter()
        .map(|f| {
            format!(
                "{} ({}, {} rows, SHA-256 {})",
                f.file_name, f.table, f.rows, f.sha256
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    super::panel::audit(
        tx,
        at,
        "import",
        &id.to_string(),
        None,
        &format!("imported {kind}, {replaced}: {listed}"),
    )?;
    Ok(id)
}

/// Packs a row of the four tables the rules read (`returns::packed`):
/// `values` are its columns, the child id first, which is left out (it is
/// the packed rows' key).
fn pack(out: &mut Vec<u8>, table: PackedTable, values: &[&dyn rusqlite::ToSql]) -> Result<()> {
    push_row(out, table, &values[1..])?;
    Ok(())
}

pub(crate) fn write_child(out: &mut Vec<u8>, c: &Child) -> Result<()> {
    pack(
        out,
        PackedTable::Header,
        params![
            c.id,
            c.sex.code(),
            iso(c.dob),
            c.ethnic.code(),
            c.upn,
            c.mother,
            c.mc_dob.map(iso)
        ],
    )
}

pub(crate) fn write_episode(out: &mut Vec<u8>, e: &Episode) -> Result<()> {
    pack(
        out,
        PackedTable::Episodes,
        params![
            e.child,
            iso(e.decom),
            e.rne.code(),
            e.ls.code(),
            e.cin.map(|c| c.code()),
            e.place.code(),
            e.place_provider.map(|p| p.code()),
            e.dec.map(iso),
            e.rec.map(|r| r.code()),
            e.reason_place_change,
            e.home_post,
            e.pl_post,
            e.urn
        ],
    )
}

pub(crate) fn write_review(out: &mut Vec<u8>, r: &Review) -> Result<()> {
    pack(
        out,
        PackedTable::Reviews,
        params![r.child, iso(r.review), r.review_code.map(|c| c.code())],
    )
}

pub(crate) fn write_placed(out: &mut Vec<u8>, p: &PlacedAdoption) -> Result<()> {
    pack(
        out,
        PackedTable::PlacedAdoption,
        params![
            p.child,
            iso(p.date_placed),
            p.date_placed_ceased.map(iso),
            p.reason_placed_ceased.map(|r| r.code())
        ],
    )
}

/// The columns of the tables that held the history before `histories`
/// (read once, by the upgrade that packs them: `history::pack_history_tables`).
pub(crate) const EPISODE_COLUMNS: &str = "child_id, decom, rne, ls, cin, place, place_provider, dec, rec, reason_place_change, home_post, pl_post, urn";
pub(crate) const PLACED_COLUMNS: &str =
    "child_id, date_placed, date_placed_ceased, reason_placed_ceased";
pub(crate) const CHILD_COLUMNS: &str = "child_id, sex, dob, ethnic, upn, mother, mc_dob";
const PLAN_COLUMNS: &str =
    "child_id, plan, plan_agreed, match_agreed, no_pr, potential_sgo, achieved, contingency_plan";

/// A stored row's columns by position: a row of a query, or a packed row
/// (`returns::packed`: of a return or a history); the rows of the four
/// tables are read from either by the same functions.
pub(crate) trait Columns {
    fn value(&self, i: usize) -> rusqlite::Result<ValueRef<'_>>;

    fn get<T: FromSql>(&self, i: usize) -> rusqlite::Result<T> {
        let value = self.value(i)?;
        T::column_result(value).map_err(|e| match e {
            FromSqlError::InvalidType => {
                rusqlite::Error::InvalidColumnType(i, format!("column {i}"), value.data_type())
            }
            e => rusqlite::Error::FromSqlConversionFailure(i, value.data_type(), Box::new(e)),
        })
    }
}

impl Columns for Row<'_> {
    fn value(&self, i: usize) -> rusqlite::Result<ValueRef<'_>> {
        self.get_ref(i)
    }
}

/// Reads a stored code back; a code we did not write is a conversion error.
/// A text column borrowed from the row (no allocation: the cohorts read
/// over a million of them).
fn text<C: Columns + ?Sized>(r: &C, i: usize) -> rusqlite::Result<&str> {
    Ok(r.value(i)?.as_str()?)
}

fn opt_text<C: Columns + ?Sized>(r: &C, i: usize) -> rusqlite::Result<Option<&str>> {
    Ok(r.value(i)?.as_str_or_null()?)
}

fn date_at<C: Columns + ?Sized>(r: &C, i: usize) -> rusqlite::Result<chrono::NaiveDate> {
    parse_date(text(r, i)?)
}

fn opt_date_at<C: Columns + ?Sized>(
    r: &C,
    i: usize,
) -> rusqlite::Result<Option<chrono::NaiveDate>> {
    opt_text(r, i)?.map(parse_date).transpose()
}

/// A child read from the row's columns `at`, `at + 1`, ... (the returns'
/// merge reads the year first).
pub(super) fn child_from_row_at<C: Columns + ?Sized>(r: &C, at: usize) -> rusqlite::Result<Child> {
    Ok(Child {
        id: r.get(at)?,
        sex: code(text(r, at + 1)?)?,
        dob: date_at(r, at + 2)?,
        ethnic: code(text(r, at + 3)?)?,
        upn: r.get(at + 4)?,
        mother: r.get(at + 5)?,
        mc_dob: opt_date_at(r, at + 6)?,
    })
}

pub(super) fn episode_from_row_at<C: Columns + ?Sized>(
    r: &C,
    at: usize,
) -> rusqlite::Result<Episode> {
    Ok(Episode {
        child: r.get(at)?,
        decom: date_at(r, at + 1)?,
        rne: code(text(r, at + 2)?)?,
        ls: code(text(r, at + 3)?)?,
        cin: opt_code(opt_text(r, at + 4)?)?,
        place: code(text(r, at + 5)?)?,
        place_provider: opt_code(opt_text(r, at + 6)?)?,
        dec: opt_date_at(r, at + 7)?,
        rec: opt_code(opt_text(r, at + 8)?)?,
        reason_place_change: r.get(at + 9)?,
        home_post: r.get(at + 10)?,
        pl_post: r.get(at + 11)?,
        urn: r.get(at + 12)?,
    })
}

pub(super) fn review_from_row_at<C: Columns + ?Sized>(
    r: &C,
    at: usize,
) -> rusqlite::Result<Review> {
    Ok(Review {
        child: r.get(at)?,
        review: date_at(r, at + 1)?,
        review_code: opt_code(opt_text(r, at + 2)?)?,
    })
}

pub(super) fn placed_from_row_at<C: Columns + ?Sized>(
    r: &C,
    at: usize,
) -> rusqlite::Result<PlacedAdoption> {
    Ok(PlacedAdoption {
        child: r.get(at)?,
        date_placed: date_at(r, at + 1)?,
        date_placed_ceased: opt_date_at(r, at + 2)?,
        reason_placed_ceased: opt_code(opt_text(r, at + 3)?)?,
    })
}

fn plan_from_row(r: &Row<'_>) -> rusqlite::Result<PlanFacts> {
    Ok(PlanFacts {
        child: r.get(0)?,
        plan: opt_code(opt_text(r, 1)?)?,
        plan_agreed: opt_date_at(r, 2)?,
        match_agreed: opt_date_at(r, 3)?,
        no_pr: r.get(4)?,
        potential_sgo: r.get(5)?,
        achieved: opt_date_at(r, 6)?,
        contingency: opt_code(opt_text(r, 7)?)?,
    })
}

/// Takes the rows for `child` from the front of a cursor ordered by child id.
/// Rows for child ids that sort before it (orphans) are skipped.
pub(crate) fn take_for<T, I>(
    rows: &mut Peekable<I>,
    child: &str,
    key: impl Fn(&T) -> &String,
) -> rusqlite::Result<Vec<T>>
where
    I: Iterator<Item = rusqlite::Result<T>>,
{
    let mut out = Vec::new();
    loop {
        match rows.peek() {
            Some(Ok(row)) if key(row).as_str() < child => {
                rows.next();
            }
            Some(Ok(row)) if key(row) == child => {
                if let Some(Ok(row)) = rows.next() {
                    out.push(row);
                }
            }
            Some(Err(_)) => {
                return match rows.next() {
                    Some(Err(e)) => Err(e),
                    _ => Ok(out),
                };
            }
            _ => return Ok(out),
        }
    }
}
