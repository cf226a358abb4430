//! The membership as CSV, both ways: `members export` writes it, `members
//! import` reads it back (after the administrator edits it in Excel).
//!
//! Columns: `id,role,job_title,name,kind,substitute_for,start,end`. A blank
//! `id` adds a member; a known id updates that member. Dates dd/mm/yyyy (or
//! yyyy-mm-dd). `kind` is standing, adviser or presenter; `substitute_for` is
//! the role id the person deputises for.

use std::path::Path;

use chrono::NaiveDate;

use super::error::{ImportError, Problems};
use crate::model::{Member, MemberKind};
use crate::terms::Terms;

/// Reads a members file. Every problem is reported, `FILE:LINE:COLUMN:
/// found 'VALUE', expected WHAT`; one problem rejects the whole file.
pub fn read(path: &Path, terms: &Terms) -> Result<Vec<Member>, ImportError> {
    let shown = path.display().to_string();
    let mut problems = Problems::default();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            problems.push(&shown, 0, "", "", &format!("a readable file ({e})"));
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
                "",
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
            problems.push(&shown, 1, "", &e.to_string(), "a CSV header row");
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
    let role_ids: Vec<&str> = terms.roles.iter().map(|r| r.id.as_str()).collect();
    let mut members = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(
                    &shown,
                    line,
                    "",
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
                .unwrap_or("")
        };
        let name_of = |name: &str| col(name).map_or(name.to_owned(), |i| header[i].clone());
        let id = match get("id") {
            "" => 0,
            text => match text.parse::<i64>() {
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
        let role = get("role");
        if !is_role_id(role) {
            problems.push(
                &shown,
                line,
                &name_of("role"),
                role,
                "a role id (lower-case letters, digits and hyphens, e.g. head-of-service)",
            );
        }
        let job_title = get("job_title");
        if job_title.is_empty() {
            problems.push(
                &shown,
                line,
                &name_of("job_title"),
                job_title,
                "a job title",
            );
        }
        let kind = MemberKind::parse(get("kind"));
        if kind.is_none() {
            problems.push(
                &shown,
                line,
                &name_of("kind"),
                get("kind"),
                "standing, adviser or presenter",
            );
        }
        let substitute_for = match get("substitute_for") {
            "" => None,
            s if role_ids.contains(&s) => Some(s.to_owned()),
            s => {
                problems.push(
                    &shown,
                    line,
                    &name_of("substitute_for"),
                    s,
                    &format!("blank or a role of the terms ({})", role_ids.join(" ")),
                );
                None
            }
        };
        let mut date = |column: &str| -> Option<NaiveDate> {
            let text = get(column);
            if text.is_empty() {
                return None;
            }
            let parsed = NaiveDate::parse_from_str(text, "%d/%m/%Y")
                .or_else(|_| NaiveDate::parse_from_str(text, "%Y-%m-%d"))
                .ok();
            if parsed.is_none() {
                problems.push(&shown, line, &name_of(column), text, "a date as dd/mm/yyyy");
            }
            parsed
        };
        let start = date("start");
        let end = date("end");
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            problems.push(
                &shown,
                line,
                &name_of("end"),
                get("end"),
                "an end date on or after the start date",
            );
        }
        let name = Some(get("name"))
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        if let Some(kind) = kind {
            members.push(Member {
                id,
                role: role.to_owned(),
                job_title: job_title.to_owned(),
                name,
                kind,
                substitute_for,
                start,
                end,
            });
        }
    }
    if problems.is_empty() {
        Ok(members)
    } else {
        Err(problems.into_error())
    }
}

fn is_role_id(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
