//! CSV tables: the header row (which table, which column where), then the
//! rows, streamed one at a time into a reused `ByteRecord`.

use csv::{ByteRecord, StringRecord};

use super::error::Problems;
use super::source::{self, Source};
use super::tables::Table;
use super::values::Cells;

/// Shown as COLUMN when a problem is about the header row as a whole.
pub const HEADER_ROW: &str = "(header)";
/// Shown as COLUMN when a problem is about the file as a whole.
pub const WHOLE_FILE: &str = "(file)";

pub const UTF8_EXPECTED: &str = "UTF-8 text (save the file as CSV UTF-8)";

/// The line each row starts on, as an editor numbers them. The csv crate
/// counts a line when it reads its `\n`; after a row ended by `\r\n` (what
/// Excel writes) it reads that `\n` only as the next row begins, so it
/// gives every later row the line before its own.
struct Lines {
    /// The line the last row started on, and the crate's count once it
    /// was read: equal when no `\n` ended it (a `\r`, or `\r\n` whose
    /// `\n` is still to come).
    started: u64,
    counted_after: u64,
}

impl Lines {
    /// The line of the row just read at the crate's `reported` line, where
    /// the crate's count now stands at `after`.
    fn of_row(&mut self, reported: u64, after: u64) -> u64 {
        let line = self.of(reported);
        self.started = line;
        self.counted_after = after;
        line
    }

    /// The line of something in the next row at the crate's `reported` line.
    fn of(&self, reported: u64) -> u64 {
        reported + u64::from(self.counted_after == self.started)
    }
}

/// A CSV file whose header row has been read.
pub struct CsvFile {
    reader: csv::Reader<Source>,
    lines: Lines,
    /// Column names as written (BOM and surrounding spaces removed).
    pub headers: Vec<String>,
    len: u64,
}

/// Reads the header row. `None` after reporting a problem.
pub fn open(source: Source, len: u64, file: &str, problems: &mut Problems) -> Option<CsvFile> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(source);
    let mut record = ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => {}
        Ok(false) => {
            problems.push(file, 1, WHOLE_FILE, "", "a header row (the file is empty)");
            return None;
        }
        Err(e) => {
            problems.push(file, 1, WHOLE_FILE, &e.to_string(), "a readable CSV file");
            return None;
        }
    }
    let line = record.position().map_or(1, |p| p.line());
    let lines = Lines {
        started: line,
        counted_after: reader.position().line(),
    };
    let mut headers = Vec::with_capacity(record.len());
    for (i, raw) in record.iter().enumerate() {
        let raw = if i == 0 {
            raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
        } else {
            raw
        };
        match std::str::from_utf8(raw) {
            Ok(name) => headers.push(name.trim().to_owned()),
            Err(_) => {
                let shown = String::from_utf8_lossy(raw);
                problems.push(file, line, &shown, &shown, UTF8_EXPECTED);
                return None;
            }
        }
    }
    Some(CsvFile {
        reader,
        lines,
        headers,
        len,
    })
}

impl CsvFile {
    /// The file's source, for a table that is recognised but not read.
    pub fn into_source(self) -> Source {
        self.reader.into_inner()
    }
}

/// How a problem names column `i`: its header, or `field N` (1-based) when
/// the header cell is blank or the row runs past the header row, so every
/// problem names a column.
pub fn column_label(headers: &[String], i: usize) -> String {
    match headers.get(i) {
        Some(name) if !name.is_empty() => name.clone(),
        _ => format!("field {}", i + 1),
    }
}

/// The header row as one line, for messages (cut long before it is built
/// whole, so a huge header costs nothing).
pub fn joined(fields: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let mut out = String::new();
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(f.as_ref());
        if out.len() > 4 * super::error::MAX_SHOWN_CHARS {
            break;
        }
    }
    out
}

/// Which of the return's tables a header row belongs to: the one with most
/// of its own columns present (`CHILD`, `DOB` and `SEX` are shared, so they
/// do not count). `None` when no table's own column is there.
pub fn identify(headers: &[String]) -> Option<Table> {
    let mut best = None;
    let mut best_score = 0;
    for table in Table::ALL {
        let score = table
            .own_columns()
            .filter(|c| headers.iter().any(|h| h.eq_ignore_ascii_case(c)))
            .count();
        if score > best_score {
            best = Some(table);
            best_score = score;
        }
    }
    best
}

/// A column not in the file reads as blank.
pub const ABSENT: usize = usize::MAX;

/// Where each of `columns` is in the file. Reports (at line 1) every
/// missing column that `needed` names and every column written twice; a
/// missing column that `needed` does not name is reported into `missing`
/// (a warning under a lenient import) and reads as blank.
pub fn map_columns_needing(
    headers: &[String],
    columns: &[&str],
    needed: impl Fn(&str) -> bool,
    table: &str,
    file: &str,
    problems: &mut Problems,
    missing: &mut Problems,
) -> Option<Vec<usize>> {
    let mut map = Vec::with_capacity(columns.len());
    let mut ok = true;
    for column in columns {
        let mut found = headers
            .iter()
            .enumerate()
            .filter(|(_, h)| h.eq_ignore_ascii_case(column));
        match found.next() {
            Some((i, _)) => map.push(i),
            None if needed(column) => {
                ok = false;
                problems.push(
                    file,
                    1,
                    column,
                    &joined(headers),
                    &format!("a column {column} in the {table} table's header row"),
                );
            }
            None => {
                map.push(ABSENT);
                missing.push(
                    file,
                    1,
                    column,
                    &joined(headers),
                    &format!("a column {column} in the {table} table's header row (read as blank)"),
                );
            }
        }
        for (_, again) in found {
            ok = false;
            problems.push(
                file,
                1,
                again,
                again,
                &format!("each column once (the header row names {column} twice)"),
            );
        }
    }
    ok.then_some(map)
}

/// One CSV row, seen through the table's column map.
pub struct CsvCells<'a> {
    record: &'a StringRecord,
    map: &'a [usize],
    headers: &'a [String],
    line: u64,
}

impl Cells for CsvCells<'_> {
    fn value(&self, col: usize) -> &str {
        self.map
            .get(col)
            .and_then(|&i| self.record.get(i))
            .map_or("", str::trim_ascii)
    }

    fn column_name(&self, col: usize) -> &str {
        self.map
            .get(col)
            .and_then(|&i| self.headers.get(i))
            .map_or("", String::as_str)
    }

    fn line(&self, _col: usize) -> u64 {
        self.line
    }
}

/// Receives the rows of one file.
pub trait RowSink {
    fn problems(&mut self) -> &mut Problems;
    /// Reading stops when this is true (the problem list is full, or the
    /// database failed).
    fn stop(&self) -> bool;
    fn row(&mut self, file: &str, cells: &CsvCells<'_>);
    /// A row that could not be split into its fields as the header row
    /// says; `child` is its child id as far as it can be read.
    fn bad_row(&mut self, child: &str, problems: Problems);
}

/// Reads every row, checks its shape and encoding, and hands the sound ones
/// to `sink`. Returns the file's SHA-256, or `None` if it could not be read
/// to the end.
pub fn read_rows(
    mut csv: CsvFile,
    map: &[usize],
    file: &str,
    sink: &mut impl RowSink,
) -> Option<String> {
    let mut record = ByteRecord::new();
    loop {
        if sink.stop() {
            break;
        }
        match csv.reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = csv.lines.of(e.position().map_or(0, |p| p.line()));
                sink.problems().push(
                    file,
                    line,
                    WHOLE_FILE,
                    &e.to_string(),
                    "a readable CSV file",
                );
                return None;
            }
        }
        let reported = record.position().map_or(0, |p| p.line());
        let line = csv.lines.of_row(reported, csv.reader.position().line());
        let mut shape_problems = Problems::default();
        match check_row(&csv, &record, map, line, file, &mut shape_problems) {
            RowShape::Sound => {}
            RowShape::Blank => continue,
            RowShape::Bad => {
                let child = map
                    .first()
                    .and_then(|&i| record.get(i))
                    .and_then(|v| std::str::from_utf8(v).ok())
                    .unwrap_or("")
                    .trim();
                sink.bad_row(child, shape_problems);
                continue;
            }
            RowShape::Fatal => {
                sink.problems().append(shape_problems);
                return None;
            }
        }
        // Moves the buffers (no copy); UTF-8 was checked by `check_row`.
        match StringRecord::from_byte_record(std::mem::take(&mut record)) {
            Ok(text) => {
                sink.row(
                    file,
                    &CsvCells {
                        record: &text,
                        map,
                        headers: &csv.headers,
                        line,
                    },
                );
                record = text.into_byte_record();
            }
            Err(e) => {
                let field = e.utf8_error().field();
                record = e.into_byte_record();
                let shown = String::from_utf8_lossy(record.get(field).unwrap_or(b"")).into_owned();
                let column = column_label(&csv.headers, field);
                let mut one = Problems::default();
                one.push(file, line, &column, &shown, UTF8_EXPECTED);
                sink.bad_row("", one);
            }
        }
    }
    source::finish(csv.reader.into_inner()).ok()
}

enum RowShape {
    /// Every field empty (a spreadsheet's leftover `,,,,` row): skipped.
    Blank,
    Sound,
    /// Reported; go on with the next row.
    Bad,
    /// Reported; the rest of the file cannot be trusted.
    Fatal,
}

fn check_row(
    csv: &CsvFile,
    record: &ByteRecord,
    map: &[usize],
    line: u64,
    file: &str,
    problems: &mut Problems,
) -> RowShape {
    let width = csv.headers.len();
    let name = |i: usize| column_label(&csv.headers, i);
    let lossy = |i: usize| String::from_utf8_lossy(record.get(i).unwrap_or(b"")).into_owned();
    // A quote that is never closed swallows the rest of the file into one
    // value: a line break inside a value that runs to the end of the file.
    let at_end = csv.reader.position().byte() >= csv.len;
    if record.as_slice().iter().all(u8::is_ascii_whitespace) {
        return RowShape::Blank;
    }
    let mut shape = RowShape::Sound;
    let text = std::str::from_utf8(record.as_slice());
    if text.is_ok_and(|t| !t.contains(['\n', '\r'])) {
        return check_width(record, width, line, file, problems, name);
    }
    for (i, raw) in record.iter().enumerate() {
        if raw.contains(&b'\n') || raw.contains(&b'\r') {
            if at_end {
                problems.push(
                    file,
                    line,
                    &name(i),
                    &lossy(i),
                    "a closing quote (\") before the end of the file",
                );
                return RowShape::Fatal;
            }
            if map.contains(&i) {
                problems.push(file, line, &name(i), &lossy(i), "a value on one line");
                shape = RowShape::Bad;
            }
        }
        if std::str::from_utf8(raw).is_err() {
            problems.push(file, line, &name(i), &lossy(i), UTF8_EXPECTED);
            shape = RowShape::Bad;
        }
    }
    if let RowShape::Bad = shape {
        return shape;
    }
    check_width(record, width, line, file, problems, name)
}

/// A row with fewer fields than the header row, or values beyond it.
fn check_width(
    record: &ByteRecord,
    width: usize,
    line: u64,
    file: &str,
    problems: &mut Problems,
    name: impl Fn(usize) -> String,
) -> RowShape {
    let lossy = |i: usize| String::from_utf8_lossy(record.get(i).unwrap_or(b"")).into_owned();
    if record.len() < width {
        let text = joined(record.iter().map(String::from_utf8_lossy));
        problems.push(
            file,
            line,
            &name(record.len()),
            &text,
            &format!(
                "{width} fields as in the header row (this row has {})",
                record.len()
            ),
        );
        return RowShape::Bad;
    }
    // Spreadsheets often leave trailing empty fields; only values beyond
    // the header row are a problem.
    if let Some(extra) = (width..record.len()).find(|&i| !record[i].is_empty()) {
        problems.push(
            file,
            line,
            &format!("field {}", extra + 1),
            &lossy(extra),
            &format!("at most {width} fields as in the header row"),
        );
        return RowShape::Bad;
    }
    RowShape::Sound
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(line: &str) -> Vec<String> {
        line.split(',').map(str::to_owned).collect()
    }

    #[test]
    fn tables_are_told_apart_by_their_own_columns() {
        assert_eq!(
            identify(&names("child,sex,dob,ethnic,upn,mother,mc_dob")),
            Some(Table::Header)
        );
        // A missing column still leaves the table recognisable, so the
        // missing column can be named.
        assert_eq!(identify(&names("CHILD,DOB,REVIEW")), Some(Table::Reviews));
        assert_eq!(
            identify(&names(
                "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED"
            )),
            Some(Table::PlacedAdoption)
        );
        // CHILD and DOB alone belong to no table in particular.
        assert_eq!(identify(&names("CHILD,DOB")), None);
        assert_eq!(identify(&names("CHILD,PLAN,PLAN_AGREED")), None);
    }
}
