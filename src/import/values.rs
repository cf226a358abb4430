//! Reading one value: dates, codes, flags and free text, each with the
//! problem it reports when the value will not do.

use chrono::NaiveDate;

use super::error::Problems;

/// Longest free-text value accepted (child ids, UPNs, postcodes, URNs are
/// all far shorter); a longer one is almost always a broken file.
pub const MAX_VALUE_CHARS: usize = 100;

pub const DATE_EXPECTED: &str = "a date dd/mm/yyyy or yyyy-mm-dd";

/// Parses `dd/mm/yyyy` (day and month may have one digit) or `yyyy-mm-dd`.
/// `mm/dd` is never guessed; an impossible date (31/02) is `None`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let number = |s: &str, min: usize, max: usize| -> Option<u32> {
        if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (d, m, y) = if let Some((d, rest)) = text.split_once('/') {
        let (m, y) = rest.split_once('/')?;
        (number(d, 1, 2)?, number(m, 1, 2)?, number(y, 4, 4)?)
    } else {
        let (y, rest) = text.split_once('-')?;
        let (m, d) = rest.split_once('-')?;
        (number(d, 1, 2)?, number(m, 1, 2)?, number(y, 4, 4)?)
    };
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// Where a row's values come from, so that CSV and XML rows are read by
/// the same code. Column indexes are those of the table's column list.
pub trait Cells {
    /// The value, trimmed; empty when blank or absent.
    fn value(&self, col: usize) -> &str;
    /// The column's name as written in the file (element name in XML).
    fn column_name(&self, col: usize) -> &str;
    /// The line the value is on.
    fn line(&self, col: usize) -> u64;
}

/// Reads the values of one row, recording a problem for each bad one.
pub struct RowReader<'a, C: Cells> {
    pub file: &'a str,
    pub cells: &'a C,
    pub problems: &'a mut Problems,
    /// False once any value of the row was rejected.
    pub ok: bool,
    /// The columns rejected, one per problem, in order.
    pub bad: Vec<usize>,
}

impl<'a, C: Cells> RowReader<'a, C> {
    pub fn new(file: &'a str, cells: &'a C, problems: &'a mut Problems) -> Self {
        RowReader {
            file,
            cells,
            problems,
            ok: true,
            bad: Vec::new(),
        }
    }

    pub fn problem(&mut self, col: usize, expected: &str) {
        self.ok = false;
        self.bad.push(col);
        self.problems.push(
            self.file,
            self.cells.line(col),
            self.cells.column_name(col),
            self.cells.value(col),
            expected,
        );
    }

    /// Free text, blank allowed.
    pub fn opt_text(&mut self, col: usize) -> Option<String> {
        let v = self.cells.value(col);
        if v.is_empty() {
            return None;
        }
        if v.chars().count() > MAX_VALUE_CHARS {
            self.problem(col, "a value of at most 100 characters");
            return None;
        }
        Some(v.to_owned())
    }

    /// Free text that must be given.
    pub fn text(&mut self, col: usize, expected: &str) -> String {
        if self.cells.value(col).is_empty() {
            self.problem(col, expected);
            return String::new();
        }
        self.opt_text(col).unwrap_or_default()
    }

    pub fn opt_date(&mut self, col: usize) -> Option<NaiveDate> {
        let v = self.cells.value(col);
        if v.is_empty() {
            return None;
        }
        let d = parse_date(v);
        if d.is_none() {
            self.problem(col, DATE_EXPECTED);
        }
        d
    }

    /// A date that must be given; on a problem the placeholder
    /// `NaiveDate::MIN` (never a parsed date) is returned and `ok` is false,
    /// so the row is never stored.
    pub fn date(&mut self, col: usize) -> NaiveDate {
        if self.cells.value(col).is_empty() {
            self.problem(col, DATE_EXPECTED);
            return NaiveDate::MIN;
        }
        self.opt_date(col).unwrap_or(NaiveDate::MIN)
    }

    pub fn opt_code<T>(
        &mut self,
        col: usize,
        parse: fn(&str) -> Option<T>,
        expected: &str,
    ) -> Option<T> {
        let v = self.cells.value(col);
        if v.is_empty() {
            return None;
        }
        let c = parse(v);
        if c.is_none() {
            self.problem(col, expected);
        }
        c
    }

    /// A code that must be given. `None` (with a problem) when blank or unknown.
    pub fn code<T>(
        &mut self,
        col: usize,
        parse: fn(&str) -> Option<T>,
        expected: &str,
    ) -> Option<T> {
        if self.cells.value(col).is_empty() {
            self.problem(col, expected);
            return None;
        }
        self.opt_code(col, parse, expected)
    }

    /// A flag written `0`/`1` (or `1.0` after a spreadsheet), blank allowed.
    pub fn opt_zero_one(&mut self, col: usize) -> Option<bool> {
        match self.cells.value(col) {
            "" => None,
            "0" | "0.0" => Some(false),
            "1" | "1.0" => Some(true),
            _ => {
                self.problem(col, "0 or 1 (or blank)");
                None
            }
        }
    }

    /// A flag written `Y`/`N`; blank is no.
    pub fn yes_no(&mut self, col: usize) -> bool {
        let v = self.cells.value(col);
        if v.is_empty() || v.eq_ignore_ascii_case("N") {
            false
        } else if v.eq_ignore_ascii_case("Y") {
            true
        } else {
            self.problem(col, "Y, N or blank");
            false
        }
    }
}

/// `REASON_PLACE_CHANGE` codes (ssda903.md 3.9), plus LIIA's `LIIAF`
/// artefact that stacked files carry.
const REASON_PLACE_CHANGE_CODES: &[&str] = &[
    "CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE",
    "CUSTOD", "OTHER", "LIIAF",
];
pub const REASON_PLACE_CHANGE_EXPECTED: &str = "a reason for placement change code (one of CARPL CLOSE ALLEG STAND APPRR CREQB CREQO CHILD LAREQ PLACE CUSTOD OTHER LIIAF)";

/// The code in its canonical (upper-case) spelling.
pub fn parse_reason_place_change(text: &str) -> Option<&'static str> {
    let t = text.trim();
    REASON_PLACE_CHANGE_CODES
        .iter()
        .copied()
        .find(|c| c.eq_ignore_ascii_case(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_forms_and_impossible_ones() {
        let d = NaiveDate::from_ymd_opt(2022, 3, 5);
        assert_eq!(parse_date("05/03/2022"), d);
        assert_eq!(parse_date("5/3/2022"), d);
        assert_eq!(parse_date("2022-03-05"), d);
        assert_eq!(parse_date("31/02/2022"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("05/03/22"), None);
        assert_eq!(parse_date("2022/03/05"), None);
        assert_eq!(parse_date("+5/03/2022"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn reason_place_change_is_case_insensitive() {
        assert_eq!(parse_reason_place_change("carpl"), Some("CARPL"));
        assert_eq!(parse_reason_place_change("XYZ"), None);
    }
}
