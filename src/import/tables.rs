//! The four SSDA903 tables the panel reads: their columns, how one row
//! becomes a model value, and the checks that need more than one row
//! (a child in `Header`, a duplicate row). Shared by the CSV and XML readers.

use crate::rules::dates::dmy;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};

use chrono::NaiveDate;

use crate::model::schema903::{self, Table903};
use crate::model::*;
use crate::store::{ReturnsImport, StoreError};

use super::error::Problems;
use super::values::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    Header,
    Episodes,
    Reviews,
    PlacedAdoption,
}

impl Table {
    /// In the order they are loaded: `Header` first, so every other table
    /// can check that its children exist.
    pub const ALL: [Table; 4] = [
        Table::Header,
        Table::Episodes,
        Table::Reviews,
        Table::PlacedAdoption,
    ];

    pub fn name(self) -> &'static str {
        self.schema().name()
    }

    /// The table in the one SSDA903 schema.
    pub fn schema(self) -> Table903 {
        match self {
            Table::Header => Table903::Header,
            Table::Episodes => Table903::Episodes,
            Table::Reviews => Table903::Reviews,
            Table::PlacedAdoption => Table903::PlacedAdoption,
        }
    }

    /// The CSV columns, in the return's order (`model::schema903`).
    pub fn columns(self) -> &'static [&'static str] {
        self.schema().columns()
    }

    /// The element holding a column in the XML return (ssda903.md 5.1).
    pub fn xml_tag(column: &'static str) -> &'static str {
        schema903::xml_tag(column)
    }
}

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

/// Checks rows and writes the good ones into the import. Once any problem
/// is found nothing more is written (the import will be rolled back), but
/// rows are still checked so the administrator sees every problem at once.
pub struct Loader<'s> {
    import: ReturnsImport<'s>,
    /// The return being read (its id in the store).
    ret: i64,
    pub problems: Problems,
    pub store_error: Option<StoreError>,
    /// Header child ids, with the line that gave them (an import has one
    /// Header table, so one file).
    children: HashMap<String, u64, BuildHasherDefault<Fnv1a>>,
    /// Hashes of the Episodes and PlacedAdoption rows seen: 8 bytes a row
    /// is enough to find exact duplicates among half a million rows. The
    /// keys are hashes already, so the set does not hash them again.
    seen_rows: HashSet<u64, BuildHasherDefault<AlreadyHashed>>,
    /// Rows stored per table, in `Table::ALL` order.
    pub counts: [i64; 4],
}

impl<'s> Loader<'s> {
    pub fn new(import: ReturnsImport<'s>, ret: i64) -> Self {
        Loader {
            import,
            ret,
            problems: Problems::default(),
            store_error: None,
            children: HashMap::default(),
            seen_rows: HashSet::default(),
            counts: [0; 4],
        }
    }

    pub fn into_parts(self) -> (ReturnsImport<'s>, Problems, Option<StoreError>) {
        (self.import, self.problems, self.store_error)
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

    /// A child id that must be in `Header`.
    fn known_child<C: Cells>(&self, r: &mut RowReader<'_, C>) -> String {
        let id = r.text(CHILD, CHILD_EXPECTED);
        if !id.is_empty() && !self.children.contains_key(&id) {
            r.problem(CHILD, "a child in the Header table");
        }
        id
    }

    /// True (with a problem) when an identical row was seen before.
    fn duplicate<C: Cells>(&mut self, r: &mut RowReader<'_, C>, key: impl Hash) -> bool {
        let mut h = DefaultHasher::new();
        key.hash(&mut h);
        if !self.seen_rows.insert(h.finish()) {
            r.problem(CHILD, "a row that does not repeat an earlier row");
            return true;
        }
        false
    }

    pub fn row(&mut self, table: Table, file: &str, cells: &impl Cells) {
        match table {
            Table::Header => self.header_row(file, cells),
            Table::Episodes => self.episode_row(file, cells),
            Table::Reviews => self.review_row(file, cells),
            Table::PlacedAdoption => self.placed_row(file, cells),
        }
    }

    fn header_row(&mut self, file: &str, cells: &impl Cells) {
        use header::*;
        let mut problems = std::mem::take(&mut self.problems);
        let mut r = RowReader::new(file, cells, &mut problems);
        let id = r.text(CHILD, CHILD_EXPECTED);
        if !id.is_empty() {
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
        let ok = r.ok;
        self.problems = problems;
        if let (true, Some(sex), Some(ethnic)) = (ok && self.writing(), sex, ethnic) {
            let child = Child {
                id,
                sex,
                dob,
                ethnic,
                upn,
                mother,
                mc_dob,
            };
            let result = self.import.insert_child(self.ret, &child);
            self.stored(Table::Header, result);
        }
    }

    fn episode_row(&mut self, file: &str, cells: &impl Cells) {
        use episodes::*;
        let mut problems = std::mem::take(&mut self.problems);
        let mut r = RowReader::new(file, cells, &mut problems);
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
        let reason_place_change = r
            .opt_code(
                REASON_PLACE_CHANGE,
                parse_reason_place_change,
                REASON_PLACE_CHANGE_EXPECTED,
            )
            .map(str::to_owned);
        let home_post = r.opt_text(HOME_POST);
        let pl_post = r.opt_text(PL_POST);
        let urn = r.opt_text(URN);
        let mut ok = r.ok;
        if let (true, Some(rne), Some(ls), Some(cin), Some(place)) = (ok, rne, ls, cin, place) {
            let key = (
                &child,
                decom,
                (rne, ls, cin, place, place_provider, dec, rec),
                (&reason_place_change, &home_post, &pl_post, &urn),
            );
            ok = !self.duplicate(&mut r, key);
            self.problems = problems;
            if ok && self.writing() {
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
                let result = self.import.insert_episode(self.ret, &episode);
                self.stored(Table::Episodes, result);
            }
        } else {
            self.problems = problems;
        }
    }

    fn review_row(&mut self, file: &str, cells: &impl Cells) {
        use reviews::*;
        // A row with neither a date nor a code carries nothing; VAL rule 167
        // accepts it, so it is skipped rather than rejected (ssda903.md 2.3).
        if cells.value(REVIEW).is_empty() && cells.value(REVIEW_CODE).is_empty() {
            return;
        }
        let mut problems = std::mem::take(&mut self.problems);
        let mut r = RowReader::new(file, cells, &mut problems);
        let child = self.known_child(&mut r);
        // DOB repeats Header's and is not stored: blank is accepted, a
        // value that is not a date is not.
        r.opt_date(DOB);
        let review = r.date(REVIEW);
        let review_code = r.code(REVIEW_CODE, ReviewCode::parse, ReviewCode::EXPECTED);
        let ok = r.ok;
        self.problems = problems;
        // Two reviews of one child on one date count as two (rules.md), so
        // reviews are never checked for duplicates.
        if let (true, Some(review_code)) = (ok && self.writing(), review_code) {
            let row = Review {
                child,
                review,
                review_code,
            };
            let result = self.import.insert_review(self.ret, &row);
            self.stored(Table::Reviews, result);
        }
    }

    fn placed_row(&mut self, file: &str, cells: &impl Cells) {
        use placed::*;
        let mut problems = std::mem::take(&mut self.problems);
        let mut r = RowReader::new(file, cells, &mut problems);
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
        let mut ok = r.ok;
        if ok {
            let key = (
                &child,
                date_placed,
                date_placed_ceased,
                reason_placed_ceased,
            );
            ok = !self.duplicate(&mut r, key);
        }
        self.problems = problems;
        if ok && self.writing() {
            let row = PlacedAdoption {
                child,
                date_placed,
                date_placed_ceased,
                reason_placed_ceased,
            };
            let result = self.import.insert_placed_adoption(self.ret, &row);
            self.stored(Table::PlacedAdoption, result);
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
