//! How one row of a return's table becomes a model value (or a row kept
//! as written), the checks that need more than one row (a child in
//! `Header`, a duplicate row), and what a problem does: under `--strict`
//! it refuses the import; otherwise a problem in a field the rules need
//! holds the child back and any other is a warning. Shared by the CSV and
//! XML readers.

use crate::rules::dates::dmy;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};

use chrono::NaiveDate;

use crate::model::schema903::TableUse;
use crate::model::*;
use crate::store::{ReturnsImport, StoreError};

/// Where a return's rows go: the store's import under way, or nowhere (a
/// dry run, which opens no write transaction).
pub trait ReturnWriter {
    fn child(&mut self, c: &Child) -> crate::store::Result<()>;
    fn episode(&mut self, e: &Episode) -> crate::store::Result<()>;
    fn review(&mut self, r: &Review) -> crate::store::Result<()>;
    fn placed(&mut self, p: &PlacedAdoption) -> crate::store::Result<()>;
    fn extra(&mut self, table: &str, child: &str, fields: &[&str]) -> crate::store::Result<()>;
    fn problem(
        &mut self,
        child: Option<&str>,
        held_back: bool,
        column: &str,
        text: &str,
    ) -> crate::store::Result<()>;
}

/// One return being written into the store (its rows go to the return
/// begun last, `ReturnsImport::begin_return`).
pub struct StoreWriter<'s> {
    pub import: ReturnsImport<'s>,
}

impl ReturnWriter for StoreWriter<'_> {
    fn child(&mut self, c: &Child) -> crate::store::Result<()> {
        self.import.insert_child(c)
    }
    fn episode(&mut self, e: &Episode) -> crate::store::Result<()> {
        self.import.insert_episode(e)
    }
    fn review(&mut self, r: &Review) -> crate::store::Result<()> {
        self.import.insert_review(r)
    }
    fn placed(&mut self, p: &PlacedAdoption) -> crate::store::Result<()> {
        self.import.insert_placed_adoption(p)
    }
    fn extra(&mut self, table: &str, child: &str, fields: &[&str]) -> crate::store::Result<()> {
        self.import.insert_extra(table, child, fields)
    }
    fn problem(
        &mut self,
        child: Option<&str>,
        held_back: bool,
        column: &str,
        text: &str,
    ) -> crate::store::Result<()> {
        self.import.insert_problem(child, held_back, column, text)
    }
}

/// A dry run: rows are read, checked and counted, and go nowhere.
pub struct DryRun;

impl ReturnWriter for DryRun {
    fn child(&mut self, _: &Child) -> crate::store::Result<()> {
        Ok(())
    }
    fn episode(&mut self, _: &Episode) -> crate::store::Result<()> {
        Ok(())
    }
    fn review(&mut self, _: &Review) -> crate::store::Result<()> {
        Ok(())
    }
    fn placed(&mut self, _: &PlacedAdoption) -> crate::store::Result<()> {
        Ok(())
    }
    fn extra(&mut self, _: &str, _: &str, _: &[&str]) -> crate::store::Result<()> {
        Ok(())
    }
    fn problem(&mut self, _: Option<&str>, _: bool, _: &str, _: &str) -> crate::store::Result<()> {
        Ok(())
    }
}

use super::error::{Problem, Problems};
use super::values::*;

/// The tables of the return, from the one schema.
pub use crate::model::schema903::Table903 as Table;

// Column indexes into `Table::columns()`.
const CHILD: usize = 0;
mod header {
    pub const SEX: usize = 1;
    pub const DOB: usize = 2;
    pub const ETHNIC: usize = 3;
    pub const UPN: usize = 4;
    pub const MOTHER: usize = 5;
    pub const MC_DOB: usize = 6;
}
mod episodes {
    pub const DECOM: usize = 1;
    pub const RNE: usize = 2;
    pub const LS: usize = 3;
    pub const CIN: usize = 4;
    pub const PLACE: usize = 5;
    pub const PLACE_PROVIDER: usize = 6;
    pub const DEC: usize = 7;
    pub const REC: usize = 8;
    pub const REASON_PLACE_CHANGE: usize = 9;
    pub const HOME_POST: usize = 10;
    pub const PL_POST: usize = 11;
    pub const URN: usize = 12;
}
const DOB: usize = 1;
mod reviews {
    pub const REVIEW: usize = 2;
    pub const REVIEW_CODE: usize = 3;
}
mod placed {
    pub const DATE_PLACED: usize = 2;
    pub const DATE_PLACED_CEASED: usize = 3;
    pub const REASON_PLACED_CEASED: usize = 4;
}

const CHILD_EXPECTED: &str = "a child id";
pub const CHILD_ID_EXPECTED: &str =
    "a child id of 1 to 40 letters, digits, '-', '_' or '.', not starting with '.' or '-'";

/// Issue 18's rule for a child id: 1–40 letters, digits, `-`, `_`, `.`,
/// not starting with `.` or `-` (it names files and appears in commands).
pub fn is_child_id(id: &str) -> bool {
    (1..=40).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && !id.starts_with(['.', '-'])
}

/// A problem a lenient import let through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lenient {
    /// The child it concerns, when the row's child id could be read.
    pub child: Option<String>,
    /// True when it holds the child back.
    pub held_back: bool,
    /// The schema's name of the column.
    pub column: &'static str,
    pub problem: Problem,
}

/// Whether the bad values in columns `bad` of `table` hold the child back:
/// one in a column the rules need does (rules.md "Children held back");
/// any other is a warning.
fn holds_back(table: Table, bad: &[usize]) -> bool {
    bad.iter().any(|&col| needed(table, col))
}

/// Whether the rules need column `col` (by position) of `table`.
fn needed(table: Table, col: usize) -> bool {
    table
        .columns()
        .get(col)
        .is_some_and(|name| table.is_needed(name))
}

/// Checks rows and writes the good ones into the return being read.
/// Under `strict`, once any problem is found nothing more is written (the
/// import will be rolled back), but rows are still checked so the
/// administrator sees every problem at once.
pub struct Loader<W: ReturnWriter> {
    writer: W,
    strict: bool,
    /// The latest DECOM, DEC or REVIEW stored: the return's year when no
    /// name gives it.
    pub latest: Option<NaiveDate>,
    /// The earliest REVIEW or DEC stored: one before the return's year
    /// makes it a whole history.
    pub earliest_past: Option<NaiveDate>,
    /// Problems that refuse the import.
    pub problems: Problems,
    /// Problems a lenient import let through, in the order found.
    pub lenient: Vec<Lenient>,
    pub store_error: Option<StoreError>,
    /// Header child ids, with the line that gave them (an import has one
    /// Header table, so one file).
    children: HashMap<String, u64, BuildHasherDefault<Fnv1a>>,
    /// Hashes of the rows seen (all tables but Reviews): 8 bytes a row is
    /// enough to find exact duplicates among half a million rows. The keys
    /// are hashes already, so the set does not hash them again.
    seen_rows: HashSet<u64, BuildHasherDefault<AlreadyHashed>>,
    /// Hashes of each Episodes (child, DECOM) and PlacedAdoption (child,
    /// DATE_PLACED) key seen, with the line that gave it.
    row_keys: HashMap<u64, u64, BuildHasherDefault<AlreadyHashed>>,
    /// Rows stored per table, in `Table::ALL` order.
    pub counts: [i64; 12],
}

impl<W: ReturnWriter> Loader<W> {
    pub fn new(writer: W, strict: bool) -> Self {
        Loader {
            writer,
            strict,
            latest: None,
            earliest_past: None,
            problems: Problems::default(),
            lenient: Vec::new(),
            store_error: None,
            children: HashMap::default(),
            seen_rows: HashSet::default(),
            row_keys: HashMap::default(),
            counts: [0; 12],
        }
    }

    pub fn into_parts(self) -> (W, Problems, Option<StoreError>, Vec<Lenient>) {
        (self.writer, self.problems, self.store_error, self.lenient)
    }

    /// Notes the dates of a row stored (the return's year comes from them).
    fn dated(&mut self, date: NaiveDate, past: bool) {
        self.latest = self.latest.max(Some(date));
        if past {
            self.earliest_past = Some(self.earliest_past.map_or(date, |e| e.min(date)));
        }
    }

    /// Whether reading should stop: the database failed. (Problems do not
    /// stop it: every one is counted for the "and N more" line.)
    pub fn should_stop(&self) -> bool {
        self.store_error.is_some()
    }

    fn writing(&self) -> bool {
        self.problems.is_empty() && self.store_error.is_none()
    }

    fn stored(&mut self, table: Table, result: crate::store::Result<()>) {
        match result {
            Ok(()) => self.counts[table as usize] += 1,
            Err(e) => self.store_error = Some(e),
        }
    }

    /// Settles a row's problems: under `strict` they refuse the import;
    /// otherwise each is kept (held back or a warning) and the row may be
    /// stored unless one holds its child back. True when the row may be
    /// stored. Of a row held back, the problems that hold it come first, so
    /// the child's first problem (the one the summary names) is one of them.
    fn settle(&mut self, table: Table, child: &str, row: Problems, bad: &[usize]) -> bool {
        if row.is_empty() {
            return true;
        }
        if self.strict {
            self.problems.append(row);
            return false;
        }
        let columns = table.columns();
        let holds = holds_back(table, bad);
        let child_ok = !child.is_empty() && is_child_id(child);
        let mut problems: Vec<_> = row
            .into_problems()
            .into_iter()
            .zip(bad.iter().copied().chain(std::iter::repeat(0)))
            .collect();
        problems.sort_by_key(|&(_, col)| !needed(table, col));
        for (problem, col) in problems {
            self.keep_lenient(Lenient {
                child: child_ok.then(|| child.to_owned()),
                held_back: holds && child_ok,
                column: columns.get(col).copied().unwrap_or("CHILD"),
                problem,
            });
        }
        !holds
    }

    fn keep_lenient(&mut self, l: Lenient) {
        let text = l.problem.to_string();
        if let Err(e) = self
            .writer
            .problem(l.child.as_deref(), l.held_back, l.column, &text)
        {
            self.store_error = Some(e);
        }
        self.lenient.push(l);
    }

    /// A row the reader could not split into its fields (more or fewer
    /// than the header row): its child is held back, or, when even the
    /// child cannot be read, a warning names the line.
    pub fn bad_row(&mut self, table: Table, child: &str, row: Problems) {
        if self.strict {
            self.problems.append(row);
            return;
        }
        let child_ok = !child.is_empty() && is_child_id(child);
        for problem in row.into_problems() {
            self.keep_lenient(Lenient {
                child: child_ok.then(|| child.to_owned()),
                held_back: child_ok && table.role() != TableUse::LeftOut,
                column: "CHILD",
                problem,
            });
        }
    }

    /// A warning about the file as a whole that a lenient import lets
    /// through (a column not needed by the rules is missing, the file was
    /// read as Windows-1252); under `strict` it refuses.
    pub fn file_warning(&mut self, problem: Problem) {
        if self.strict {
            self.problems.push_problem(problem);
            return;
        }
        self.keep_lenient(Lenient {
            child: None,
            held_back: false,
            column: "(file)",
            problem,
        });
    }

    /// The row's child id: 1–40 characters of the allowed set.
    fn child_id<C: Cells>(&self, r: &mut RowReader<'_, C>) -> String {
        let id = r.text(CHILD, CHILD_EXPECTED);
        if !id.is_empty() && !is_child_id(&id) {
            r.problem(CHILD, CHILD_ID_EXPECTED);
        }
        id
    }

    /// A child id that must be in `Header`.
    fn known_child<C: Cells>(&self, r: &mut RowReader<'_, C>) -> String {
        let id = self.child_id(r);
        if !id.is_empty() && is_child_id(&id) && !self.children.contains_key(&id) {
            r.problem(CHILD, "a child in the Header table");
        }
        id
    }

    /// True when an identical row was seen before: under `strict` a
    /// problem, otherwise a warning (the row is not stored twice).
    fn duplicate<C: Cells>(&mut self, r: &mut RowReader<'_, C>, key: impl Hash) -> bool {
        let mut h = DefaultHasher::new();
        key.hash(&mut h);
        if self.seen_rows.insert(h.finish()) {
            return false;
        }
        const EXPECTED: &str = "a row that does not repeat an earlier row";
        if self.strict {
            r.problem(CHILD, EXPECTED);
        } else {
            let mut one = Problems::default();
            one.push(
                r.file,
                r.cells.line(CHILD),
                r.cells.column_name(CHILD),
                r.cells.value(CHILD),
                EXPECTED,
            );
            for problem in one.into_problems() {
                self.keep_lenient(Lenient {
                    child: None,
                    held_back: false,
                    column: "CHILD",
                    problem,
                });
            }
        }
        true
    }

    /// Two different rows with one key in one return (rules.md "Children
    /// held back"): a problem in the key's date column.
    fn same_key<C: Cells>(&mut self, r: &mut RowReader<'_, C>, col: usize, key: impl Hash) {
        let mut h = DefaultHasher::new();
        key.hash(&mut h);
        let line = r.cells.line(col);
        if let Some(first) = self.row_keys.get(&h.finish()) {
            let expected = format!(
                "one row for this child and {} in a return (line {first} is another)",
                r.cells.column_name(col)
            );
            r.problem(col, &expected);
        } else {
            self.row_keys.insert(h.finish(), line);
        }
    }

    pub fn row(&mut self, table: Table, file: &str, cells: &impl Cells) {
        match table {
            Table::Header => self.header_row(file, cells),
            Table::Episodes => self.episode_row(file, cells),
            Table::Reviews => self.review_row(file, cells),
            Table::PlacedAdoption => self.placed_row(file, cells),
            Table::Uasc | Table::Ad1 | Table::PrevPerm | Table::Missing | Table::SwEpisodes => {
                self.kept_as_written(table, file, cells)
            }
            // Recognised and left out (the import says so once).
            Table::Oc2 | Table::Oc3 | Table::DoLo => {}
        }
    }

    fn header_row(&mut self, file: &str, cells: &impl Cells) {
        use header::*;
        let mut row = Problems::default();
        let mut r = RowReader::new(file, cells, &mut row);
        let id = self.child_id(&mut r);
        if !id.is_empty() && is_child_id(&id) {
            if let Some(first_line) = self.children.get(&id) {
                r.problem(
                    CHILD,
                    &format!("a child id not already in Header (line {first_line})"),
                );
            } else {
                self.children.insert(id.clone(), cells.line(CHILD));
            }
        }
        let sex = r.code(SEX, Sex::parse, Sex::EXPECTED);
        let dob = r.date(DOB);
        let ethnic = r.code(ETHNIC, Ethnicity::parse, Ethnicity::EXPECTED);
        let upn = r.opt_text(UPN);
        let mother = r.opt_zero_one(MOTHER);
        let mc_dob = r.opt_date(MC_DOB);
        let bad = std::mem::take(&mut r.bad);
        let ok = self.settle(Table::Header, &id, row, &bad);
        if ok && self.writing() {
            // A lenient import keeps a child whose SEX or ETHNIC cannot be
            // read (a warning says so): the model holds the code lists'
            // own "unknown" and "not yet obtained".
            let child = Child {
                id,
                sex: sex.unwrap_or(Sex::Unknown),
                dob,
                ethnic: ethnic.unwrap_or(Ethnicity::Nobt),
                upn,
                mother,
                mc_dob,
            };
            let result = self.writer.child(&child);
            self.stored(Table::Header, result);
        }
    }

    fn episode_row(&mut self, file: &str, cells: &impl Cells) {
        use episodes::*;
        let mut row = Problems::default();
        let mut r = RowReader::new(file, cells, &mut row);
        let child = self.known_child(&mut r);
        let decom = r.date(DECOM);
        let rne = r.code(RNE, Rne::parse, Rne::EXPECTED);
        let ls = r.code(LS, LegalStatus::parse, LegalStatus::EXPECTED);
        let cin = r.code(CIN, CategoryOfNeed::parse, CategoryOfNeed::EXPECTED);
        let place = r.code(PLACE, Place::parse, Place::EXPECTED);
        let place_provider = r.opt_code(PLACE_PROVIDER, Provider::parse, Provider::EXPECTED);
        let dec = r.opt_date(DEC);
        // Compared only when DECOM itself was a date.
        if let Some(dec) = dec
            && decom != NaiveDate::MIN
            && dec < decom
        {
            let expected = format!("a date on or after DECOM {}", dmy(decom));
            r.problem(DEC, &expected);
        }
        let rec = r.opt_code(REC, ReasonCeased::parse, ReasonCeased::EXPECTED);
        // Kept as written when it is not a known code (a warning says so).
        let reason_place_change = match r.opt_code(
            REASON_PLACE_CHANGE,
            parse_reason_place_change,
            REASON_PLACE_CHANGE_EXPECTED,
        ) {
            Some(code) => Some(code.to_owned()),
            None => r.opt_text(REASON_PLACE_CHANGE),
        };
        let home_post = r.opt_text(HOME_POST);
        let pl_post = r.opt_text(PL_POST);
        let urn = r.opt_text(URN);
        let mut dup = false;
        // Duplicates and keys are checked whenever the values the rules
        // need were read: a warning elsewhere in the row does not skip it.
        if let (false, Some(rne), Some(ls), Some(place)) =
            (holds_back(Table::Episodes, &r.bad), rne, ls, place)
        {
            let key = (
                Table::Episodes,
                &child,
                decom,
                (rne, ls, cin, place, place_provider, dec, rec),
                (&reason_place_change, &home_post, &pl_post, &urn),
            );
            dup = self.duplicate(&mut r, key);
            if !dup {
                self.same_key(&mut r, DECOM, (Table::Episodes, &child, decom));
            }
        }
        let bad = std::mem::take(&mut r.bad);
        let ok = self.settle(Table::Episodes, &child, row, &bad);
        if let (true, false, Some(rne), Some(ls), Some(place)) =
            (ok && self.writing(), dup, rne, ls, place)
        {
            let episode = Episode {
                child,
                decom,
                rne,
                ls,
                cin,
                place,
                place_provider,
                dec,
                rec,
                reason_place_change,
                home_post,
                pl_post,
                urn,
            };
            self.dated(episode.decom, false);
            if let Some(dec) = episode.dec {
                self.dated(dec, true);
            }
            let result = self.writer.episode(&episode);
            self.stored(Table::Episodes, result);
        }
    }

    fn review_row(&mut self, file: &str, cells: &impl Cells) {
        use reviews::*;
        // A row with neither a date nor a code carries nothing; VAL rule 167
        // accepts it, so it is skipped rather than rejected (ssda903.md 2.3).
        if cells.value(REVIEW).is_empty() && cells.value(REVIEW_CODE).is_empty() {
            return;
        }
        let mut row = Problems::default();
        let mut r = RowReader::new(file, cells, &mut row);
        let child = self.known_child(&mut r);
        // DOB repeats Header's and is not stored: blank is accepted, a
        // value that is not a date is not.
        r.opt_date(DOB);
        let review = r.date(REVIEW);
        let review_code = r.code(REVIEW_CODE, ReviewCode::parse, ReviewCode::EXPECTED);
        let bad = std::mem::take(&mut r.bad);
        let ok = self.settle(Table::Reviews, &child, row, &bad);
        // Two reviews of one child on one date count as two (rules.md), so
        // reviews are never checked for duplicates.
        if ok && self.writing() {
            let row = Review {
                child,
                review,
                review_code,
            };
            self.dated(row.review, true);
            let result = self.writer.review(&row);
            self.stored(Table::Reviews, result);
        }
    }

    fn placed_row(&mut self, file: &str, cells: &impl Cells) {
        use placed::*;
        let mut row = Problems::default();
        let mut r = RowReader::new(file, cells, &mut row);
        let child = self.known_child(&mut r);
        // DOB repeats Header's and is not stored: blank is accepted, a
        // value that is not a date is not.
        r.opt_date(DOB);
        let date_placed = r.date(DATE_PLACED);
        let date_placed_ceased = r.opt_date(DATE_PLACED_CEASED);
        let reason_placed_ceased = r.opt_code(
            REASON_PLACED_CEASED,
            ReasonPlacedCeased::parse,
            ReasonPlacedCeased::EXPECTED,
        );
        let mut dup = false;
        if !holds_back(Table::PlacedAdoption, &r.bad) {
            let key = (
                Table::PlacedAdoption,
                &child,
                date_placed,
                date_placed_ceased,
                reason_placed_ceased,
            );
            dup = self.duplicate(&mut r, key);
            if !dup {
                self.same_key(
                    &mut r,
                    DATE_PLACED,
                    (Table::PlacedAdoption, &child, date_placed),
                );
            }
        }
        let bad = std::mem::take(&mut r.bad);
        let ok = self.settle(Table::PlacedAdoption, &child, row, &bad);
        if ok && !dup && self.writing() {
            let row = PlacedAdoption {
                child,
                date_placed,
                date_placed_ceased,
                reason_placed_ceased,
            };
            let result = self.writer.placed(&row);
            self.stored(Table::PlacedAdoption, result);
        }
    }

    /// UASC, AD1, PrevPerm, Missing, SWEpisodes: the child must be in
    /// Header, dates must read as dates; the row is kept as written.
    fn kept_as_written(&mut self, table: Table, file: &str, cells: &impl Cells) {
        let mut row = Problems::default();
        let mut r = RowReader::new(file, cells, &mut row);
        let child = self.known_child(&mut r);
        let columns = table.columns();
        for (col, name) in columns.iter().enumerate() {
            // Partial dates (`ZZ/05/2021`) are allowed in DATE_PERM and the
            // SW dates (ssda903.md 5.5), so only these are read as dates.
            if matches!(
                *name,
                "DOB" | "DUC" | "DATE_INT" | "DATE_MATCH" | "MIS_START" | "MIS_END"
            ) {
                r.opt_date(col);
            } else if col != CHILD {
                r.opt_text(col);
            }
        }
        let fields: Vec<&str> = (0..columns.len()).map(|c| cells.value(c)).collect();
        let dup = !holds_back(table, &r.bad) && self.duplicate(&mut r, (table, &fields));
        let bad = std::mem::take(&mut r.bad);
        let ok = self.settle(table, &child, row, &bad);
        if ok && !dup && self.writing() {
            let result = self.writer.extra(table.name(), &child, &fields);
            self.stored(table, result);
        }
    }
}

/// A hasher for keys that are already well-mixed 64-bit hashes.
#[derive(Default)]
pub struct AlreadyHashed(u64);

impl Hasher for AlreadyHashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used; fold anything else in all the same.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// FNV-1a: much cheaper than SipHash on short child ids. Flooding attacks
/// are not a concern for a council's own return.
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv1a {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}
