//! `permanence-panel quorum` and `members` through the real binary.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use permanence_panel::model::{AttendanceState, Id, Meeting};
use permanence_panel::store::Store;
use predicates::prelude::*;

use crate::common::cli::{bin, demo_db, demo_meeting, new_panel};

fn at(day: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    day.and_hms_opt(h, m, 0).expect("time")
}

/// The id of the member in `role`.
fn member_id(store: &Store, role: &str) -> Id {
    let members = store.members().expect("members");
    members.iter().find(|m| m.role == role).expect(role).id
}

/// The demo panel in `dir`, its meeting quorate from 09:30: the Head of
/// Service, the Kinship team manager and the reviewing service manager
/// present. Gives the database, the store still open, and the meeting.
fn quorate_from_half_past_nine(dir: &Path) -> (PathBuf, Store, Meeting) {
    let db = demo_db(dir);
    let mut store = Store::open(&db).expect("open");
    let meeting = demo_meeting(&store);
    for role in [
        "head-of-service",
        "team-manager-kinship-fostering",
        "service-manager-crs",
    ] {
        let member = member_id(&store, role);
        store
            .set_attendance(
                meeting.id,
                member,
                AttendanceState::Present,
                None,
                at(meeting.date, 9, 30),
            )
            .expect("present");
    }
    (db, store, meeting)
}

#[test]
fn quorum_answers_at_each_time_with_exit_status_and_explanation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, mut store, meeting) = quorate_from_half_past_nine(dir.path());
    // Head of Service and the Kinship team manager all morning; the
    // reviewing service manager leaves at 11:40.
    let day = meeting.date;
    store
        .set_attendance(
            meeting.id,
            member_id(&store, "service-manager-crs"),
            AttendanceState::Absent,
            None,
            at(day, 11, 40),
        )
        .expect("leaves");
    drop(store);
    let date = day.format("%Y-%m-%d").to_string();

    bin(&db)
        .args(["quorum", "--meeting", &date, "--at", "10:15"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Quorate"))
        .stdout(predicate::str::contains(
            "a Conference and Reviewing Service representative or substitute: Service Manager – Conference and Reviewing Service",
        ));

    bin(&db)
        .args(["quorum", "--meeting", &date, "--at", "11:45"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            "NOT QUORATE: no Conference and Reviewing Service representative or substitute present since 11:40",
        ));

    // As the roll call stands now: the same, as JSON for scripts.
    let out = bin(&db)
        .args(["quorum", "--meeting", &date, "--format", "json"])
        .assert()
        .code(3);
    let json: serde_json::Value =
        serde_json::from_slice(&out.get_output().stdout).expect("valid JSON");
    assert_eq!(json["quorate"], false);
    assert_eq!(json["assumed_rule"], false);
    assert_eq!(json["meeting"], date.as_str());
    let filled = json["filled"].as_array().expect("filled");
    assert_eq!(filled.len(), 3);
    assert!(filled[2]["by"].is_null(), "{json}");
    assert_eq!(json["missing"].as_array().map(Vec::len), Some(1));

    bin(&db)
        .args(["quorum", "--meeting", &date, "--at", "25:00"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("expected HH:MM"));
}

#[test]
fn members_export_then_import_round_trips_and_bad_rows_change_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_panel(dir.path(), "wiltshire");
    let exported = bin(&db).args(["members", "export"]).assert().success();
    let text = String::from_utf8(exported.get_output().stdout.clone()).expect("UTF-8");
    assert!(
        text.starts_with("id,role,job_title,name,kind,substitute_for,start,end\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 8, "{text}");

    // The administrator adds a named deputy for the reviewing service and
    // gives the legal adviser an end date.
    let edited = format!(
        "{text},crs-deputy,Senior Independent Reviewing Officer,,standing,service-manager-crs,01/12/2026,\n"
    );
    let file = dir.path().join("members.csv");
    std::fs::write(&file, &edited).expect("write");
    bin(&db)
        .args(["members", "import"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 added, 7 updated"));
    let store = Store::open(&db).expect("open");
    let members = store.members().expect("members");
    assert_eq!(members.len(), 8);
    let deputy = members
        .iter()
        .find(|m| m.role == "crs-deputy")
        .expect("added");
    assert_eq!(
        deputy.substitute_for.as_deref(),
        Some("service-manager-crs")
    );
    assert_eq!(deputy.start, NaiveDate::from_ymd_opt(2026, 12, 1));
    drop(store);

    // A bad kind and an impossible date: both named, nothing changed.
    let bad = format!("{edited},social-worker,Social Worker,,visitor,,31/02/2027,\n");
    std::fs::write(&file, bad).expect("write");
    bin(&db)
        .args(["members", "import"])
        .arg(&file)
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "members.csv:10:kind: found 'visitor', expected standing, adviser or presenter",
        ))
        .stderr(predicate::str::contains(
            "members.csv:10:start: found '31/02/2027', expected a date as dd/mm/yyyy",
        ));
    let store = Store::open(&db).expect("open");
    assert_eq!(store.members().expect("members").len(), 8);
}

/// Ealing and Guernsey: a member declares an interest in a child's item and
/// withdraws; the quorum for that item is counted without them.
#[test]
fn a_declared_interest_withdraws_a_member_from_the_items_quorum() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, store, meeting) = quorate_from_half_past_nine(dir.path());
    let crs = member_id(&store, "service-manager-crs");
    drop(store);
    let date = meeting.date.format("%Y-%m-%d").to_string();
    let run = |args: &[&str]| bin(&db).args(args).assert();

    run(&["quorum", "--meeting", &date, "--child", "C900001"])
        .code(0)
        .stdout(predicate::str::contains("for C900001's item"));
    run(&[
        "interests",
        "declare",
        "--meeting",
        &date,
        "--child",
        "C900001",
        "--member",
        "service-manager-crs",
        "--note",
        "line manager of the allocated social worker",
    ])
    .success()
    .stdout(predicate::str::contains(
        "Service Manager – Conference and Reviewing Service declared an interest in C900001's item",
    ));
    // That item is not quorate without them; the meeting as a whole and
    // another child's item are.
    run(&["quorum", "--meeting", &date, "--child", "C900001"])
        .code(3)
        .stdout(predicate::str::contains(
            "NOT QUORATE without the Service Manager – Conference and Reviewing Service, who declared an interest: \
             no Conference and Reviewing Service representative or substitute",
        ));
    run(&["quorum", "--meeting", &date]).code(0);
    run(&["quorum", "--meeting", &date, "--child", "C900002"]).code(0);
    let out = run(&[
        "quorum",
        "--meeting",
        &date,
        "--child",
        "C900001",
        "--format",
        "json",
    ])
    .code(3);
    let json: serde_json::Value =
        serde_json::from_slice(&out.get_output().stdout).expect("valid JSON");
    assert_eq!(
        json["withdrawn"],
        serde_json::json!(["the Service Manager – Conference and Reviewing Service"])
    );

    let listed = run(&["interests", "list", "--meeting", &date, "--format", "csv"]).success();
    let text = String::from_utf8(listed.get_output().stdout.clone()).expect("UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "child_id,member_id,role,job_title,declared_at,note"
    );
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[1].starts_with(&format!(
            "C900001,{},service-manager-crs,Service Manager – Conference and Reviewing Service,",
            crs
        )),
        "{text}"
    );
    assert!(lines[1].ends_with(",line manager of the allocated social worker"));

    // A role no member holds is named with what was expected; nothing written.
    run(&[
        "interests",
        "declare",
        "--meeting",
        &date,
        "--child",
        "C900001",
        "--member",
        "chair",
    ])
    .failure()
    .stderr(predicate::str::contains(
        "--member: found 'chair', expected a member id or role (",
    ));
    let store = Store::open(&db).expect("open");
    assert_eq!(store.interest_declarations(meeting.id).unwrap().len(), 1);
}
