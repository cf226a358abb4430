//! The membership as CSV, both ways: `members export` writes it, `members
//! import` reads it back (after the administrator edits it in Excel).
//!
//! Columns: `id,role,job_title,name,kind,substitute_for,start,end`. A blank
//! `id` adds a member; a known id updates that member. Dates dd/mm/yyyy (or
//! yyyy-mm-dd). `kind` is standing, adviser or presenter; `substitute_for` is
//! the role id the person deputises for.

use std::path::Path;

use super::csv903::{HEADER_ROW, WHOLE_FILE};
use super::error::{ImportError, Problems};

/// Shown as COLUMN when a whole row is malformed (so every problem names
/// a column).
const ROW: &str = "(row)";
use crate::model::Member;
use crate::rules::members::{MemberDraft, MemberField};
use crate::terms::Terms;

/// Reads a members file. Every problem is reported, `FILE:LINE:COLUMN:
/// found 'VALUE', expected WHAT`; one problem rejects the whole file.
pub fn read(path: &Path, terms: &Terms) -> Result<Vec<Member>, ImportError> {
    read_checking(path, terms, None)
}

/// As [`read`], also naming the line of an id that is not one of
/// `known_ids` (the members the panel holds), so nothing is half-imported.
pub fn read_known(
    path: &Path,
    terms: &Terms,
    known_ids: &[i64],
) -> Result<Vec<Member>, ImportError> {
    read_checking(path, terms, Some(known_ids))
}

fn read_checking(
    path: &Path,
    terms: &Terms,
    known_ids: Option<&[i64]>,
) -> Result<Vec<Member>, ImportError> {
    let shown = path.display().to_string();
    let mut problems = Problems::default();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            problems.push(&shown, 0, WHOLE_FILE, "", &format!("a readable file ({e})"));
            return Err(problems.into_error());
        }
    };
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t.trim_start_matches('\u{feff}'),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64
                + 1;
            problems.push(
                &shown,
                line,
                WHOLE_FILE,
                "bytes that are not UTF-8",
                "a UTF-8 text file",
            );
            return Err(problems.into_error());
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_owned()).collect(),
        Err(e) => {
            problems.push(&shown, 1, HEADER_ROW, &e.to_string(), "a CSV header row");
            return Err(problems.into_error());
        }
    };
    let find = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    for required in ["role", "job_title", "kind"] {
        if find(required).is_none() {
            problems.push(
                &shown,
                1,
                required,
                "",
                &format!("a column named {required}"),
            );
        }
    }
    if !problems.is_empty() {
        return Err(problems.into_error());
    }
    let col = |name: &str| find(name);
    let mut members = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(
                    &shown,
                    line,
                    ROW,
                    "",
                    &format!("a well-formed CSV row ({e})"),
                );
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let get = |name: &str| -> &str {
            col(name)
                .and_then(|i| record.get(i))
                .map(str::trim)
                // Our export guarded a formula-like cell with an apostrophe.
                .map(panel_core::text::csv_unsafe)
                .unwrap_or("")
        };
        let name_of = |name: &str| col(name).map_or(name.to_owned(), |i| header[i].clone());
        let id = match get("id") {
            "" => 0,
            text => match text.parse::<i64>() {
                Ok(n) if n > 0 && known_ids.is_some_and(|known| !known.contains(&n)) => {
                    problems.push(
                        &shown,
                        line,
                        &name_of("id"),
                        text,
                        "the id of a member the panel holds (see `members export`), or blank for a new member",
                    );
                    0
                }
                Ok(n) if n > 0 => n,
                _ => {
                    problems.push(
                        &shown,
                        line,
                        &name_of("id"),
                        text,
                        "a member id from `members export`, or blank for a new member",
                    );
                    0
                }
            },
        };
        let draft = MemberDraft {
            id,
            role: get("role").to_owned(),
            job_title: get("job_title").to_owned(),
            name: get("name").to_owned(),
            kind: get("kind").to_owned(),
            substitute_for: get("substitute_for").to_owned(),
            start: get("start").to_owned(),
            end: get("end").to_owned(),
        };
        match draft.check(terms) {
            Ok(member) => members.push(member),
            Err(found) => {
                for p in found {
                    let column = match p.field {
                        MemberField::JobTitle => "job_title",
                        MemberField::Role => "role",
                        MemberField::Kind => "kind",
                        MemberField::SubstituteFor => "substitute_for",
                        MemberField::Start => "start",
                        MemberField::End => "end",
                    };
                    problems.push(&shown, line, &name_of(column), &p.found, &p.expected);
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(members)
    } else {
        Err(problems.into_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Result<Vec<Member>, ImportError> {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("members.csv");
        std::fs::write(&path, text).expect("the file is written");
        let terms = Terms::load("telford").expect("the preset loads");
        read(&path, &terms)
    }

    /// Found by fuzzing (fuzz/regressions/members): a row with too few
    /// fields was reported with an empty column (`FILE:2:: found ''`).
    #[test]
    fn a_malformed_row_names_the_row_as_its_column() {
        let err = read_text("id,role,job_title,kind\n,a,b\n").expect_err("rejected");
        assert_eq!(err.problems.len(), 1);
        let p = &err.problems[0];
        assert_eq!((p.line, p.column.as_str()), (2, ROW));
        assert!(p.expected.starts_with("a well-formed CSV row"), "{p}");
    }

    #[test]
    fn bytes_that_are_not_utf8_name_the_line_and_the_file_as_column() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("members.csv");
        std::fs::write(&path, b"id,role,job_title,kind\n,\xff,b,standing\n").expect("written");
        let terms = Terms::load("telford").expect("the preset loads");
        let err = read(&path, &terms).expect_err("rejected");
        let p = &err.problems[0];
        assert_eq!((p.line, p.column.as_str()), (2, WHOLE_FILE));
    }
}
