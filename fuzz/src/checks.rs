//! The properties the fuzz targets check, one function per target. Each
//! takes the raw fuzz input and panics only when a property fails (or the
//! library itself panics): on any input the code under test must not panic;
//! on Ok its result must stay within the input; on Err every problem must
//! name the file and a line and column.
//!
//! The same functions run on stable in `tests/it/fuzz_regressions.rs` over the
//! saved inputs in `fuzz/regressions/`, so a fixed crash stays fixed
//! without nightly. Only the library's public API is used.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use permanence_panel::import::{self, ImportError, ImportReport};
use permanence_panel::rules::deadline;
use permanence_panel::store::Store;
use permanence_panel::terms::{Terms, TermsError};
use tempfile::TempDir;

const HEADER_CSV: &[u8] = include_bytes!("../../tests/fixtures/import/header.csv");
const EPISODES_CSV: &[u8] = include_bytes!("../../tests/fixtures/import/episodes.csv");
/// An Episodes table with no rows: lets a fuzzed Header table be imported
/// on its own (every episode must name a child of the Header table).
const EPISODES_EMPTY_CSV: &[u8] =
    b"CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n";

/// Shown for problems about the set of files rather than one of them.
const FILES_GIVEN: &str = "(files given)";

thread_local! {
    /// One directory per process, its files overwritten on each input: a
    /// new directory per execution would cost more than the parse.
    static DIR: RefCell<Option<TempDir>> = const { RefCell::new(None) };
    /// One in-memory store per process: opening one (and migrating it)
    /// costs ten times the import. Reuse cannot hide a result: an extract
    /// import replaces the whole previous extract, a rejected one changes
    /// nothing, and the plans check reads only its own report.
    static STORE: RefCell<Option<Store>> = const { RefCell::new(None) };
}

fn with_store<T>(f: impl FnOnce(&mut Store) -> T) -> T {
    STORE.with(|store| {
        let mut store = store.borrow_mut();
        let store =
            store.get_or_insert_with(|| Store::open_in_memory().expect("an in-memory store"));
        f(store)
    })
}

/// Writes `content` as `name` in the per-process directory.
fn write(name: &str, content: &[u8]) -> PathBuf {
    DIR.with(|dir| {
        let mut dir = dir.borrow_mut();
        let dir = dir.get_or_insert_with(|| TempDir::new().expect("a temporary directory"));
        let path = dir.path().join(name);
        std::fs::write(&path, content).expect("the temporary file is writable");
        path
    })
}

fn at() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(9, 30, 0))
        .expect("a fixed import time")
}

/// The last line a problem may name: every line break counts, a CR on its
/// own too (the CSV reader ends a record there).
fn last_line(data: &[u8]) -> u64 {
    let breaks = data
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && data.get(i + 1) != Some(&b'\n')))
        .count();
    breaks as u64 + 1
}

/// Every problem names one of `files` (or the set of files) and, when it is
/// about the fuzzed file, a line within it and a column.
fn check_problems(e: &ImportError, files: &[PathBuf], fuzzed: &Path, data: &[u8]) {
    assert!(
        e.store.is_none(),
        "bad input must be caught before the database: {e}"
    );
    assert!(
        !e.problems.is_empty(),
        "a rejected import names at least one problem"
    );
    let fuzzed_shown = fuzzed.display().to_string();
    for p in &e.problems {
        let named =
            p.file == FILES_GIVEN || files.iter().any(|f| f.display().to_string() == p.file);
        assert!(named, "problem names an unknown file: {p}");
        assert!(!p.column.is_empty(), "problem names no column: {p}");
        if p.file == fuzzed_shown {
            assert!(
                (1..=last_line(data)).contains(&p.line),
                "problem line {} outside the file's {} lines: {p}",
                p.line,
                last_line(data)
            );
        }
        assert!(
            p.to_string()
                .starts_with(&format!("{}:{}:", p.file, p.line)),
            "problem is not FILE:LINE:COLUMN: {p}"
        );
    }
}

/// What an accepted extract import must satisfy: no table has more rows
/// than its file has lines (or, in XML, elements), and the store holds
/// exactly what the report says.
fn check_extract(store: &Store, report: &ImportReport, rows_at_most: impl Fn(&str) -> i64) {
    for file in &report.files {
        assert!(file.rows >= 0);
        assert!(
            file.rows <= rows_at_most(&file.file_name),
            "{} rows of {} from {}: more than the file can hold",
            file.rows,
            file.table,
            file.file_name
        );
    }
    let records = store.child_records().expect("the store reads back");
    assert_eq!(records.len() as i64, report.rows("Header"));
    let episodes: usize = records.iter().map(|r| r.episodes.len()).sum();
    assert_eq!(episodes as i64, report.rows("Episodes"));
    let reviews: usize = records.iter().map(|r| r.reviews.len()).sum();
    assert_eq!(reviews as i64, report.rows("Reviews"));
    let placed: usize = records.iter().map(|r| r.placed_adoption.len()).sum();
    assert_eq!(placed as i64, report.rows("PlacedAdoption"));
    for r in &records {
        assert!(!r.child.id.is_empty(), "a child stored without an id");
        assert!(
            r.episodes.windows(2).all(|w| w[0].decom <= w[1].decom),
            "episodes of {} are not in date order",
            r.child.id
        );
    }
}

/// Lines a CSV file can hold rows on (the header row excluded).
fn csv_rows_at_most(data: &[u8]) -> i64 {
    last_line(data) as i64 - 1
}

/// The 903 CSV reader: the first byte says which table the rest replaces
/// (Header, Episodes, Reviews, PlacedAdoption); the other tables come from
/// the test fixtures, so each table's rows reach the loader.
pub fn csv903(data: &[u8]) {
    let Some((&which, content)) = data.split_first() else {
        return;
    };
    let fuzzed_name = match which % 4 {
        0 => "header.csv",
        1 => "episodes.csv",
        2 => "reviews.csv",
        _ => "placed_adoption.csv",
    };
    let fuzzed = write(&format!("fuzzed-{fuzzed_name}"), content);
    let mut files = vec![fuzzed.clone()];
    match which % 4 {
        0 => files.push(write("episodes.csv", EPISODES_EMPTY_CSV)),
        1 => files.push(write("header.csv", HEADER_CSV)),
        _ => {
            files.push(write("header.csv", HEADER_CSV));
            files.push(write("episodes.csv", EPISODES_CSV));
        }
    }
    with_store(|store| match import::import_903(store, &files, at()) {
        Ok(report) => {
            let fuzzed_shown = fuzzed.display().to_string();
            check_extract(store, &report, |name| {
                if name == fuzzed_shown {
                    csv_rows_at_most(content)
                } else {
                    // A fixture: at most its line count.
                    i64::from(u16::MAX)
                }
            });
            // Every child's id is in the Header table it came from.
            if which % 4 == 0 && !content.contains(&b'"') {
                for r in store.child_records().expect("the store reads back") {
                    assert!(
                        contains(content, r.child.id.as_bytes()),
                        "child {} is not in the input",
                        r.child.id
                    );
                }
            }
        }
        Err(e) => check_problems(&e, &files, &fuzzed, content),
    })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// The 903 XML reader: the input is the whole return.
pub fn xml903(data: &[u8]) {
    // The reader only sees XML when the file starts with '<' (after a BOM
    // and white space); anything else would test the CSV reader.
    let mut content = data.to_vec();
    if !data.trim_ascii_start().starts_with(b"<") {
        content.insert(0, b'<');
    }
    let fuzzed = write("return.xml", &content);
    let files = vec![fuzzed.clone()];
    with_store(|store| match import::import_903(store, &files, at()) {
        Ok(report) => {
            // Each row is at least one element, each element one '<'.
            let elements = content.iter().filter(|&&b| b == b'<').count() as i64;
            check_extract(store, &report, |_| elements);
            // Ids are copied verbatim unless an entity or CDATA built them.
            if !content.contains(&b'&') && !contains(&content, b"CDATA") {
                for r in store.child_records().expect("the store reads back") {
                    assert!(
                        contains(&content, r.child.id.as_bytes()),
                        "child {} is not in the input",
                        r.child.id
                    );
                }
            }
        }
        Err(e) => check_problems(&e, &files, &fuzzed, &content),
    })
}

/// The deadline parser, with a meeting on Monday 23/11/2026 and, when the
/// first byte is odd, the next meeting on Friday 27/11/2026.
pub fn deadline(data: &[u8]) {
    let Some((&flags, typed)) = data.split_first() else {
        return;
    };
    let Ok(typed) = std::str::from_utf8(typed) else {
        return;
    };
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("a fixed today");
    let next_panel = (flags & 1 == 1).then(|| today + chrono::Duration::days(4));
    match deadline::parse(typed, today, next_panel) {
        Ok(date) => {
            assert!(
                date > today,
                "'{typed}' resolved to {date}, not after the meeting"
            );
            if let Some(panel) = next_panel {
                let text = typed.trim().to_lowercase();
                if text.contains("next panel") && text.starts_with("before") {
                    assert!(date < panel, "'{typed}' is {date}, not before {panel}");
                }
            }
        }
        Err(message) => {
            assert!(
                message.starts_with("Deadline: "),
                "the error names the field: {message}"
            );
            assert!(!message.contains('\n'), "the error is one line: {message}");
        }
    }
}

/// The terms preset loader: a preset that parses serialises back to TOML
/// that parses to the same terms (so its quorum rules survive a save);
/// an error names the file, and a malformed one a line and column in it.
pub fn terms(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    const ORIGIN: &str = "fuzzed.toml";
    match Terms::parse(text, ORIGIN) {
        Ok(terms) => {
            let saved = toml::to_string(&terms).expect("parsed terms serialise");
            let again = Terms::parse(&saved, ORIGIN).unwrap_or_else(|e| {
                panic!("saved terms do not parse again: {e}\n{saved}");
            });
            assert_eq!(again.quorum, terms.quorum, "quorum rules changed on save");
            assert_eq!(again, terms, "terms changed on save");
        }
        Err(e) => {
            let shown = e.to_string();
            assert!(shown.starts_with(ORIGIN), "error names no file: {shown}");
            if let TermsError::Malformed { line, column, .. } = e {
                let lines = text.lines().count().max(1) + 1;
                assert!(
                    (1..=lines).contains(&line),
                    "line {line} of {lines}: {shown}"
                );
                assert!(column >= 1, "column {column}: {shown}");
            }
        }
    }
}

/// The members CSV import, against the Telford preset's roles.
pub fn members(data: &[u8]) {
    thread_local! {
        static TELFORD: Terms = Terms::load("telford").expect("the built-in preset loads");
    }
    let fuzzed = write("members.csv", data);
    match TELFORD.with(|terms| import::members_csv::read(&fuzzed, terms)) {
        Ok(members) => {
            assert!(
                members.len() as i64 <= csv_rows_at_most(data),
                "{} members from a file of {} lines",
                members.len(),
                last_line(data)
            );
            for m in &members {
                assert!(!m.role.is_empty() && !m.job_title.is_empty());
                if let (Some(s), Some(e)) = (m.start, m.end) {
                    assert!(s <= e, "a member ends before starting");
                }
            }
        }
        Err(e) => check_problems(&e, std::slice::from_ref(&fuzzed), &fuzzed, data),
    }
}

/// The plans.csv import.
pub fn plans(data: &[u8]) {
    let fuzzed = write("plans.csv", data);
    with_store(|store| match import::import_plans(store, &fuzzed, at()) {
        Ok(report) => {
            let rows = report.rows("Plans");
            assert!(
                rows <= csv_rows_at_most(data),
                "{rows} plans from a file of {} lines",
                last_line(data)
            );
        }
        Err(e) => check_problems(&e, std::slice::from_ref(&fuzzed), &fuzzed, data),
    })
}

/// A council's tracking spreadsheet (`tracker import`, our own columns):
/// whatever the bytes, no panic (calamine reads the zip and the XML inside);
/// a rejected file names the fuzzed file and a column in every problem; an
/// accepted one reports no more children than the sheet could hold rows.
pub fn tracker(data: &[u8]) {
    use permanence_panel::import::tracker_xlsx::{TrackerMap, TrackerRequest, import_tracker};
    let fuzzed = write("tracker.xlsx", data);
    let map = TrackerMap::ours();
    let request = TrackerRequest {
        file: &fuzzed,
        map: &map,
        sheet: None,
        as_at: Some(at().date()),
        dry_run: true,
    };
    with_store(
        |store| match import_tracker(store, &request, at().date(), at()) {
            Ok(report) => {
                assert!(
                    report.children <= data.len(),
                    "{} children from {} bytes",
                    report.children,
                    data.len()
                );
                assert_eq!(report.import_id, None, "a dry run stores nothing");
            }
            Err(e) => {
                assert!(!e.problems.is_empty(), "a rejected import names a problem");
                let shown = fuzzed.display().to_string();
                for p in &e.problems {
                    assert!(
                        p.file.starts_with(&shown),
                        "problem names another file: {p}"
                    );
                    assert!(!p.column.is_empty(), "problem names no column: {p}");
                }
            }
        },
    )
}
