//! `permanence-panel meetings`: the year planned from the cadence, moved and cancelled.

use std::path::Path;

use chrono::Datelike;
use predicates::prelude::*;

use crate::common::cli::{bin, csv_rows, new_panel};

/// `meetings plan --year YEAR` on `db`, run.
fn plan(db: &Path, year: &str) -> assert_cmd::assert::Assert {
    bin(db).args(["meetings", "plan", "--year", year]).assert()
}

/// `meetings list --format csv`, its rows without the header.
fn listed(db: &Path) -> Vec<Vec<String>> {
    let out = bin(db)
        .args(["meetings", "list", "--format", "csv"])
        .assert()
        .success();
    csv_rows(&out.get_output().stdout)
}

#[test]
fn a_year_is_planned_from_the_cadence_then_moved_and_cancelled() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_panel(dir.path(), "wiltshire");
    plan(&db, "2027")
        .success()
        .stdout(predicate::str::contains("12 meetings added for 2027."));
    let rows = listed(&db);
    let days: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    // Last Fridays; Good Friday 26/03/2027 moves to the Thursday before.
    assert_eq!(days[0], ("2027-01-29", "Friday"));
    assert_eq!(days[2], ("2027-03-25", "Thursday"));
    assert_eq!(days[11], ("2027-12-31", "Friday"));
    assert!(rows.iter().all(|r| r[2] == "09:30" && r[3] == "13:00"));

    // Planning again adds nothing and keeps what is there.
    plan(&db, "2027")
        .success()
        .stdout(predicate::str::contains("0 meetings added"));

    bin(&db)
        .args([
            "meetings",
            "cancel",
            "--meeting",
            "2027-08-27",
            "--reason",
            "No panel in August",
        ])
        .assert()
        .success();
    bin(&db)
        .args([
            "meetings",
            "move",
            "--meeting",
            "2027-12-31",
            "--to",
            "2027-12-17",
            "--start",
            "10:00",
        ])
        .assert()
        .success();
    // Moving onto another meeting's day is refused and changes nothing.
    bin(&db)
        .args([
            "meetings",
            "move",
            "--meeting",
            "2027-12-17",
            "--to",
            "2027-11-26",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "there is already a meeting on 26/11/2027",
        ));
    let rows = listed(&db);
    assert_eq!(rows.len(), 12);
    let august = rows.iter().find(|r| r[0] == "2027-08-27").expect("kept");
    assert_eq!(
        (august[4].as_str(), august[5].as_str()),
        ("cancelled", "No panel in August")
    );
    let december = rows.iter().find(|r| r[0] == "2027-12-17").expect("moved");
    assert_eq!(
        (december[2].as_str(), december[3].as_str()),
        ("10:00", "13:00")
    );
}

#[test]
fn telford_plans_its_assumed_second_tuesday_and_says_it_is_assumed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_panel(dir.path(), "telford");
    // Next year, by the real clock: the days of a year already under way
    // that have passed are left out (a unit test of the use case says so).
    let year = chrono::Local::now().date_naive().year() + 1;
    plan(&db, &year.to_string())
        .success()
        .stdout(predicate::str::contains("assumed cadence"));
    let rows = listed(&db);
    assert_eq!(rows.len(), 12);
    assert!(rows.iter().all(|r| r[1] == "Tuesday"), "{rows:?}");
    assert!(
        rows.iter()
            .any(|r| r[0].starts_with(&format!("{year}-12-"))),
        "{rows:?}"
    );
}

/// Issue 16: every audit entry's actor read "unknown". `--as INITIALS`
/// names who made the changes of a run; without it, the OS user.
#[test]
fn the_audit_names_the_initials_given_with_as_or_the_os_user() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_panel(dir.path(), "wiltshire");
    bin(&db)
        .args(["--as", "jb", "meetings", "plan", "--year", "2027"])
        .assert()
        .success();
    bin(&db)
        .args(["--as", "Jane Bloggs", "meetings", "plan", "--year", "2028"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "--as: 'Jane Bloggs' is not initials; give 1 to 5 letters",
        ));
    bin(&db)
        .env_remove("PERMANENCE_PANEL_USER")
        .env("USER", "administrator")
        .args(["meetings", "plan", "--year", "2029"])
        .assert()
        .success();
    let store = permanence_panel::store::Store::open_read_only(&db).expect("open");
    let actors: Vec<(String, String)> = store
        .audit_entries()
        .expect("audit")
        .into_iter()
        .filter(|e| e.entity == "meeting")
        .map(|e| (e.actor, e.change))
        .collect();
    assert!(actors.iter().any(|(a, _)| a == "JB"), "{actors:?}");
    assert!(
        actors.iter().any(|(a, _)| a == "administrator"),
        "{actors:?}"
    );
    assert!(actors.iter().all(|(a, _)| a != "unknown"), "{actors:?}");
}

/// Issue 22: a move can say why (kept with the meeting, shown in the app's
/// list of meetings and in the audit); the list's columns are as before.
#[test]
fn a_move_keeps_its_reason_in_the_audit_and_the_list_keeps_its_columns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_panel(dir.path(), "wiltshire");
    plan(&db, "2027").success();
    bin(&db)
        .args([
            "meetings",
            "move",
            "--meeting",
            "2027-01-29",
            "--to",
            "2027-02-05",
            "--reason",
            "Chair on leave",
        ])
        .assert()
        .success();
    let rows = listed(&db);
    assert_eq!(rows[0].len(), 6, "{rows:?}");
    assert!(rows.iter().any(|r| r[0] == "2027-02-05"));
    bin(&db)
        .args(["audit", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "moved from 2027-01-29 to 2027-02-05 09:30-13:00: Chair on leave",
        ));
}

/// Issue 22: the app reads a meeting whose day is past with nobody marked
/// there and no decision as "not held"; `meetings list` keeps its columns
/// and the stored status scripts read ("planned"), as its contract says.
#[test]
fn a_past_meeting_never_held_keeps_its_stored_status_in_the_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("panel.db");
    bin(&db)
        .args(["init", "--terms", "wiltshire"])
        .assert()
        .success();
    bin(&db)
        .args([
            "meetings",
            "add",
            "--date",
            "2025-01-10",
            "--reason",
            "Extra sitting",
        ])
        .assert()
        .success();
    let out = bin(&db)
        .args(["meetings", "list", "--format", "csv"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert_eq!(
        text,
        "date,day,start,end,status,cancel_reason\n2025-01-10,Friday,09:30,13:00,planned,\n"
    );
}
