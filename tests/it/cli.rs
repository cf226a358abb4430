//! The command line through the real binary: `demo`, `init`, `minutes`.

use assert_cmd::Command;
use chrono::NaiveDate;
use permanence_panel::model::{ActionStatus, AttendanceState, MeetingStatus};
use permanence_panel::store::{NewAction, Store};
use predicates::prelude::*;

use crate::common::cli::demo_db;

fn bin() -> Command {
    let mut cmd = Command::cargo_bin("permanence-panel").unwrap();
    // Never touch a real panel's database from a test.
    cmd.env_remove("PERMANENCE_PANEL_DB");
    cmd
}

#[test]
fn demo_help_describes_the_demo() {
    bin()
        .args(["demo", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("synthetic demo panel"))
        .stdout(predicate::str::contains("--db"));
}

#[test]
fn top_level_help_lists_every_subcommand() {
    let out = bin().arg("--help").assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for sub in [
        "demo",
        "init",
        "import",
        "cohorts",
        "timetable",
        "check",
        "generate",
        "minutes",
    ] {
        assert!(text.contains(sub), "--help does not list {sub}:\n{text}");
    }
}

#[test]
fn demo_builds_a_panel_with_an_agenda_and_reuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    bin()
        .args(["demo", "--no-app", "--db"])
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::contains("Demo panel ready"));
    let store = Store::open(&db).unwrap();
    let children = store.child_count().unwrap();
    assert!((30..=50).contains(&children), "{children} children");
    // Last month's meeting, held and minuted, then the next one, planned.
    let meetings = store.meetings().unwrap();
    assert_eq!(meetings.len(), 2);
    assert_eq!(meetings[0].status, MeetingStatus::Closed);
    assert_eq!(meetings[1].status, MeetingStatus::Planned);
    let held = store.decisions(meetings[0].id).unwrap();
    assert_eq!(held.len(), 4);
    let open_from_last_month = store
        .actions_for_meeting(meetings[0].id)
        .unwrap()
        .into_iter()
        .filter(|a| a.status == ActionStatus::Open)
        .count();
    assert_eq!(
        open_from_last_month, 3,
        "matters arising for the demo meeting"
    );
    let agenda = store.agenda(meetings[1].id).unwrap();
    assert!(
        (8..=14).contains(&agenda.len()),
        "{} on the agenda",
        agenda.len()
    );
    assert!(agenda.iter().all(|i| !i.reasons.is_empty()));
    assert_eq!(
        store.members().unwrap().len(),
        7,
        "one member per Wiltshire role"
    );
    drop(store);

    // A second run opens the same demo, it does not rebuild it.
    let before = std::fs::read(&db).unwrap().len();
    bin()
        .args(["demo", "--no-app", "--db"])
        .arg(&db)
        .assert()
        .success();
    let store = Store::open(&db).unwrap();
    assert_eq!(store.meetings().unwrap().len(), 2);
    assert!(before > 0);
}

#[test]
fn demo_refuses_a_real_panels_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("real.db");
    bin()
        .args(["init", "--terms", "telford", "--db"])
        .arg(&db)
        .assert()
        .success();
    let before = std::fs::read(&db).unwrap();
    bin()
        .args(["demo", "--no-app", "--db"])
        .arg(&db)
        .assert()
        .failure()
        .stderr(predicate::str::contains("not demo data"));
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the real database was altered"
    );
}

#[test]
fn demo_refuses_a_file_that_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.txt");
    std::fs::write(&db, "minutes of the last meeting").unwrap();
    bin()
        .args(["demo", "--no-app", "--db"])
        .arg(&db)
        .assert()
        .failure()
        .stderr(predicate::str::contains("notes.txt"));
    assert_eq!(
        std::fs::read_to_string(&db).unwrap(),
        "minutes of the last meeting"
    );
}

#[test]
fn minutes_print_attendance_quorum_decisions_and_actions() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());

    // Minute a meeting through the library, as the app does.
    let at = NaiveDate::from_ymd_opt(2026, 11, 27)
        .unwrap()
        .and_hms_opt(9, 40, 0)
        .unwrap();
    let mut store = Store::open(&db).unwrap();
    let meeting = store.meetings().unwrap().pop().unwrap();
    let members = store.members().unwrap();
    for m in &members {
        store
            .set_attendance(meeting.id, m.id, AttendanceState::Present, None, at)
            .unwrap();
    }
    let child = store.agenda(meeting.id).unwrap().remove(0).child;
    store
        .record_decision(
            meeting.id,
            &child,
            "Progress the SGO assessment with the aunt.",
            true,
            at,
        )
        .unwrap();
    store
        .add_action(
            &NewAction {
                meeting: meeting.id,
                child: child.clone(),
                text: "Complete the SGO assessment".into(),
                owner: "Kinship and Fostering Team Manager".into(),
                deadline: NaiveDate::from_ymd_opt(2027, 1, 29).unwrap(),
            },
            at,
        )
        .unwrap();
    drop(store);

    let out = bin()
        .args(["minutes", "--format", "md", "--meeting"])
        .arg(meeting.date.format("%Y-%m-%d").to_string())
        .arg("--db")
        .arg(&db)
        .assert()
        .success();
    let md = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(md.contains("## Present"), "{md}");
    assert!(
        md.contains("Head of Service – Care, Placements and YPS"),
        "{md}"
    );
    assert!(md.contains("The meeting was quorate throughout."), "{md}");
    assert!(md.contains(&format!("Child {child}")), "{md}");
    assert!(
        md.contains("> Progress the SGO assessment with the aunt."),
        "{md}"
    );
    assert!(
        md.contains(
            "| Complete the SGO assessment | Kinship and Fostering Team Manager | 29/01/2027 |"
        ),
        "{md}"
    );

    // --out writes the same text to a file.
    let file = dir.path().join("minutes.md");
    bin()
        .args(["minutes", "--meeting"])
        .arg(meeting.date.format("%Y-%m-%d").to_string())
        .arg("--out")
        .arg(&file)
        .arg("--db")
        .arg(&db)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), md);
}

#[test]
fn minutes_for_a_day_without_a_meeting_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    bin()
        .args(["minutes", "--meeting", "2001-01-01", "--db"])
        .arg(&db)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "there is no meeting on 01/01/2001",
        ));
}

#[test]
fn reports_on_a_missing_database_do_not_create_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nowhere.db");
    bin()
        .args(["minutes", "--meeting", "2026-11-27", "--db"])
        .arg(&db)
        .assert()
        .failure()
        .stderr(predicate::str::contains("no such database"));
    assert!(!db.exists());
}

#[test]
fn the_database_comes_from_the_environment_when_no_flag_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("env.db");
    bin()
        .args(["init", "--terms", "wiltshire"])
        .env("PERMANENCE_PANEL_DB", &db)
        .assert()
        .success();
    assert!(db.exists());
}
