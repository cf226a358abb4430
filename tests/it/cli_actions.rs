//! The actions tracker through the binary: RAG by deadline at a fixed date,
//! the owner and status filters, and the CSV, XLSX and ICS outputs read back.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::NaiveDate;
use icalendar::{Component, DatePerhapsTime, TodoStatus};
use permanence_panel::model::ActionStatus;
use permanence_panel::store::{NewAction, Store};
use predicates::prelude::*;

use crate::common::cli::{bin, morning_meeting};

const AS_AT: &str = "2026-11-20";
const MEETING: &str = "2026-10-14";

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

/// One action of the fixture and what the tracker must say of it at AS_AT.
struct Case {
    owner: &'static str,
    text: &'static str,
    deadline: &'static str,
    status: ActionStatus,
    rag: &'static str,
    days_overdue: i64,
}

/// Each RAG case, with the boundaries of the amber fortnight.
const CASES: [Case; 6] = [
    Case {
        owner: "Social Worker (North)",
        text: "Send the later life letter draft",
        deadline: "2026-11-19", // yesterday
        status: ActionStatus::Open,
        rag: "red",
        days_overdue: 1,
    },
    Case {
        owner: "Team Manager",
        text: "Confirm the sibling assessment date",
        deadline: "2026-11-20", // today
        status: ActionStatus::Open,
        rag: "amber",
        days_overdue: 0,
    },
    Case {
        owner: "social worker (South)",
        text: "Update the permanence plan, \"with the carers\"",
        deadline: "2026-12-04", // in 14 days
        status: ActionStatus::Open,
        rag: "amber",
        days_overdue: 0,
    },
    Case {
        owner: "Independent Reviewing Officer",
        text: "Bring the review forward",
        deadline: "2026-12-05", // in 15 days
        status: ActionStatus::Open,
        rag: "green",
        days_overdue: 0,
    },
    Case {
        owner: "team manager",
        text: "Book the family time review",
        deadline: "2026-10-01", // long past, but done
        status: ActionStatus::Done,
        rag: "green",
        days_overdue: 0,
    },
    Case {
        owner: "Head of Service: Children [Care]/Leavers and Adoption",
        text: "Seek legal advice on the placement order",
        deadline: "2026-11-01",
        status: ActionStatus::Dropped,
        rag: "dropped",
        days_overdue: 0,
    },
];

/// A panel from a synthetic return with a meeting on MEETING that set the
/// CASES, one per child; returns the database and the actions' (id, child)
/// in CASES order.
fn panel(dir: &Path) -> (PathBuf, Vec<(i64, String)>) {
    let db = crate::common::cli::panel_from_return(dir, "wiltshire", 20, 7, "2026-10-14", false);
    let mut store = Store::open(&db).expect("open");
    let at = day("2026-10-14").and_hms_opt(12, 0, 0).expect("time");
    let meeting = morning_meeting(&mut store, day(MEETING), at);
    let children: Vec<String> = store
        .child_records()
        .expect("children")
        .into_iter()
        .map(|r| r.child.id)
        .take(CASES.len())
        .collect();
    assert_eq!(
        children.len(),
        CASES.len(),
        "the return has enough children"
    );
    let mut ids = Vec::new();
    for (case, child) in CASES.iter().zip(&children) {
        let id = store
            .add_action(
                &NewAction {
                    meeting,
                    child: child.clone(),
                    text: case.text.to_owned(),
                    owner: case.owner.to_owned(),
                    deadline: day(case.deadline),
                },
                at,
            )
            .expect("action");
        if case.status != ActionStatus::Open {
            store
                .set_action_status(id, case.status, Some("synthetic"), at)
                .expect("status");
        }
        ids.push((id, child.clone()));
    }
    (db, ids)
}

fn csv_of(db: &Path, extra: &[&str]) -> (Vec<String>, Vec<Vec<String>>) {
    let output = bin(db)
        .args(["actions", "--format", "csv", "--as-at", AS_AT])
        .args(extra)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("row").iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

fn ids_of(rows: &[Vec<String>]) -> Vec<i64> {
    let mut ids: Vec<i64> = rows.iter().map(|r| r[0].parse().expect("id")).collect();
    ids.sort();
    ids
}

#[test]
fn csv_gives_each_action_its_rag_at_the_as_at_date_including_the_boundaries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, ids) = panel(dir.path());
    let (header, rows) = csv_of(&db, &[]);
    assert_eq!(
        header.join(","),
        "action_id,child_id,meeting_date,action,owner,deadline,status,rag,days_overdue"
    );
    assert_eq!(rows.len(), CASES.len());
    for (case, (id, child)) in CASES.iter().zip(&ids) {
        let row = rows
            .iter()
            .find(|r| r[0] == id.to_string())
            .unwrap_or_else(|| panic!("action {id} listed"));
        assert_eq!(row[1], *child);
        assert_eq!(row[2], MEETING);
        assert_eq!(row[3], case.text);
        assert_eq!(row[4], case.owner);
        assert_eq!(row[5], case.deadline);
        assert_eq!(row[6], case.status.id());
        assert_eq!(row[7], case.rag, "{} due {}", case.text, case.deadline);
        assert_eq!(row[8], case.days_overdue.to_string(), "{}", case.text);
    }
    // Sorted by deadline, so the oldest comes first.
    let deadlines: Vec<&String> = rows.iter().map(|r| &r[5]).collect();
    let mut sorted = deadlines.clone();
    sorted.sort();
    assert_eq!(deadlines, sorted);
}

#[test]
fn the_owner_filter_is_a_case_insensitive_substring_and_status_filters_combine() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, ids) = panel(dir.path());
    let id = |i: usize| ids[i].0;

    let (_, social_workers) = csv_of(&db, &["--owner", "SOCIAL worker"]);
    assert_eq!(ids_of(&social_workers), vec![id(0), id(2)]);

    let (_, overdue) = csv_of(&db, &["--status", "overdue"]);
    assert_eq!(ids_of(&overdue), vec![id(0)]);

    let (_, open) = csv_of(&db, &["--status", "open"]);
    assert_eq!(ids_of(&open), vec![id(0), id(1), id(2), id(3)]);

    let (_, done) = csv_of(&db, &["--status", "done"]);
    assert_eq!(ids_of(&done), vec![id(4)]);

    let (_, dropped) = csv_of(&db, &["--status", "dropped"]);
    assert_eq!(ids_of(&dropped), vec![id(5)]);

    let (_, managers_open) = csv_of(&db, &["--owner", "team manager", "--status", "open"]);
    assert_eq!(ids_of(&managers_open), vec![id(1)]);

    let (header, nobody) = csv_of(&db, &["--owner", "chair"]);
    assert_eq!(header.len(), 9, "the header is written even with no rows");
    assert!(nobody.is_empty());

    bin(&db)
        .args(["actions", "--status", "late", "--format", "csv"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("overdue"));
}

#[test]
fn overdue_moves_with_the_as_at_date() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, ids) = panel(dir.path());
    // A fortnight later the actions due today and in 14 days are late too.
    let output = bin(&db)
        .args([
            "actions",
            "--format",
            "csv",
            "--status",
            "overdue",
            "--as-at",
            "2026-12-05",
        ])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(output.stdout.as_slice())
        .records()
        .map(|r| r.expect("row").iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(ids_of(&rows), vec![ids[0].0, ids[1].0, ids[2].0]);
    let days: Vec<&str> = rows.iter().map(|r| r[8].as_str()).collect();
    assert_eq!(days, ["16", "15", "1"]);
}

#[test]
fn the_table_states_the_rag_rule_and_the_date() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, _) = panel(dir.path());
    bin(&db)
        .args(["actions", "--format", "table", "--as-at", AS_AT])
        .assert()
        .success()
        .stdout(predicate::str::contains("action_id"))
        .stdout(predicate::str::contains("RAG at 20/11/2026"))
        .stdout(predicate::str::contains("due within 14 days"));
}

/// Issue 16: a table is for people, so its dates read dd/mm/yyyy; CSV keeps
/// yyyy-mm-dd, the contract scripts rely on.
#[test]
fn the_table_writes_dates_dd_mm_yyyy_and_csv_keeps_iso() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, _) = panel(dir.path());
    let table = bin(&db)
        .args(["actions", "--format", "table", "--as-at", AS_AT])
        .assert()
        .success();
    let table = String::from_utf8(table.get_output().stdout.clone()).expect("utf-8");
    let dated: Vec<&str> = table
        .lines()
        .skip(2)
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(!dated.is_empty(), "{table}");
    let iso_date = |l: &str| {
        l.split_whitespace()
            .any(|w| w.len() == 10 && w.as_bytes()[4] == b'-')
    };
    let dmy_date = |l: &str| {
        l.split_whitespace()
            .any(|w| w.len() == 10 && w.as_bytes()[2] == b'/')
    };
    assert!(dated.iter().all(|l| dmy_date(l) && !iso_date(l)), "{table}");
    let csv = bin(&db)
        .args(["actions", "--format", "csv", "--as-at", AS_AT])
        .assert()
        .success();
    let csv = String::from_utf8(csv.get_output().stdout.clone()).expect("utf-8");
    assert!(
        csv.lines()
            .skip(1)
            .all(|l| iso_date(&l.replace(',', " ")) && !dmy_date(&l.replace(',', " "))),
        "{csv}"
    );
}

fn excel_date(cell: &Data) -> NaiveDate {
    let Data::DateTime(value) = cell else {
        panic!("expected a date cell, found {cell:?}");
    };
    // Excel's serial day 0 is 30/12/1899 (with the 1900 leap-year bug
    // folded in for dates after February 1900).
    let epoch = day("1899-12-30");
    epoch + chrono::Duration::days(value.as_f64() as i64)
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        other => format!("{other:?}"),
    }
}

#[test]
fn the_workbook_has_all_actions_with_real_dates_and_a_sheet_per_owner() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, ids) = panel(dir.path());
    let file = dir.path().join("actions.xlsx");
    bin(&db)
        .args(["actions", "--format", "xlsx", "--as-at", AS_AT, "--out"])
        .arg(&file)
        .assert()
        .success();
    let mut book: Xlsx<_> = open_workbook(&file).expect("a workbook");
    let names = book.sheet_names();
    assert_eq!(names[0], "Actions");
    // Owners differing only in case share a sheet: 5 owners for 6 actions.
    assert_eq!(names.len(), 1 + 5, "{names:?}");
    for name in &names {
        assert!(name.encode_utf16().count() <= 31, "{name}");
        assert!(
            !name.contains(['[', ']', ':', '*', '?', '/', '\\']),
            "{name}"
        );
    }
    let mut lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    lower.sort();
    lower.dedup();
    assert_eq!(lower.len(), names.len(), "sheet names are unique");

    let all = book.worksheet_range("Actions").expect("the Actions sheet");
    let header: Vec<String> = all
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(text)
        .collect();
    // Headings in words in the workbook (issue 17); the CSV keeps the
    // contract's column names (the CSV test).
    assert_eq!(
        header.join(","),
        "Action no.,Child,Set at the meeting of,Action,Owner,Deadline,Status,RAG,Days overdue"
    );
    assert_eq!(all.height(), 1 + CASES.len());
    for (case, (id, child)) in CASES.iter().zip(&ids) {
        let row = all
            .rows()
            .skip(1)
            .find(|r| text(&r[0]) == id.to_string())
            .unwrap_or_else(|| panic!("action {id} in the workbook"));
        assert_eq!(text(&row[1]), *child);
        assert_eq!(excel_date(&row[2]), day(MEETING));
        assert_eq!(text(&row[3]), case.text);
        assert_eq!(text(&row[4]), case.owner);
        assert_eq!(excel_date(&row[5]), day(case.deadline));
        assert_eq!(text(&row[6]), case.status.id());
        assert_eq!(text(&row[7]), case.rag);
        assert_eq!(text(&row[8]), case.days_overdue.to_string());
    }

    // The team manager's sheet holds both spellings' actions.
    let manager_sheet = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("Team Manager"))
        .expect("a Team Manager sheet");
    let managers = book.worksheet_range(manager_sheet).expect("sheet");
    let manager_ids: Vec<String> = managers.rows().skip(1).map(|r| text(&r[0])).collect();
    assert_eq!(manager_ids, [ids[4].0.to_string(), ids[1].0.to_string()]);
    let manager_header: Vec<String> = managers
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(text)
        .collect();
    assert_eq!(manager_header, header);

    let head_of_service = names
        .iter()
        .find(|n| n.starts_with("Head of Service- Children (Care"))
        .unwrap_or_else(|| panic!("a sanitised Head of Service sheet in {names:?}"));
    let hos = book.worksheet_range(head_of_service).expect("sheet");
    assert_eq!(hos.height(), 2);
    assert_eq!(text(&hos.rows().nth(1).expect("row")[7]), "dropped");
}

#[test]
fn the_todo_list_has_one_vtodo_per_action_with_uid_due_and_status() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, ids) = panel(dir.path());
    let file = dir.path().join("actions.ics");
    bin(&db)
        .args(["actions", "--format", "ics", "--as-at", AS_AT, "--out"])
        .arg(&file)
        .assert()
        .success();
    let text = std::fs::read_to_string(&file).expect("ics written");
    let calendar: icalendar::Calendar = text.parse().expect("valid iCalendar");
    let todos: Vec<&icalendar::Todo> = calendar.todos().collect();
    assert_eq!(todos.len(), CASES.len());
    for (case, (id, child)) in CASES.iter().zip(&ids) {
        let uid = format!("action-{id}@permanence-panel");
        let todo = todos
            .iter()
            .find(|t| t.get_uid() == Some(uid.as_str()))
            .unwrap_or_else(|| panic!("a VTODO with UID {uid}"));
        assert_eq!(
            todo.get_due(),
            Some(DatePerhapsTime::Date(day(case.deadline))),
            "all-day DUE for {uid}"
        );
        let expected = match case.status {
            ActionStatus::Open => TodoStatus::NeedsAction,
            ActionStatus::Done => TodoStatus::Completed,
            ActionStatus::Dropped => TodoStatus::Cancelled,
        };
        assert_eq!(todo.get_status(), Some(expected), "{uid}");
        assert_eq!(
            todo.get_summary(),
            Some(format!("Action for child {child}: {}", case.text).as_str())
        );
    }
    // The same actions written again keep their UIDs (calendars update, not duplicate).
    let again = dir.path().join("again.ics");
    bin(&db)
        .args(["actions", "--format", "ics", "--out"])
        .arg(&again)
        .assert()
        .success();
    let again: icalendar::Calendar = std::fs::read_to_string(&again)
        .expect("ics")
        .parse()
        .expect("valid");
    let uids = |c: &icalendar::Calendar| {
        let mut u: Vec<String> = c
            .todos()
            .filter_map(|t| t.get_uid().map(str::to_owned))
            .collect();
        u.sort();
        u
    };
    assert_eq!(uids(&calendar), uids(&again));
}

#[test]
fn xlsx_and_ics_need_an_out_file_and_csv_can_go_to_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, _) = panel(dir.path());
    for format in ["xlsx", "ics"] {
        bin(&db)
            .args(["actions", "--format", format])
            .assert()
            .code(1)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains("--out FILE"));
    }
    let file = dir.path().join("actions.csv");
    bin(&db)
        .args(["actions", "--format", "csv", "--as-at", AS_AT, "--out"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::is_empty());
    let written = std::fs::read_to_string(&file).expect("csv written");
    assert!(written.starts_with(
        "action_id,child_id,meeting_date,action,owner,deadline,status,rag,days_overdue\n"
    ));
    assert_eq!(written.lines().count(), 1 + CASES.len());
}

#[test]
fn a_missing_database_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    bin(&dir.path().join("none.db"))
        .args(["actions", "--format", "csv"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no such database"));
    assert!(!dir.path().join("none.db").exists());
}
