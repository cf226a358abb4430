//! The audit trail's hash chain: an edit, a deletion, a swapped pair and an
//! entry slipped in behind the app's back are each found and named.

use std::path::Path;

use predicates::prelude::*;

use crate::common::cli::{accept_referral, bin, demo_db, refer};

/// A demo panel with some history: roll call, a decision, an action.
fn panel(dir: &Path) -> std::path::PathBuf {
    let db = demo_db(dir);
    refer(&db, "C000001", "Court timetable", &[]).success();
    accept_referral(&db, 1);
    db
}

/// Changes the file as someone with a SQLite tool would: triggers dropped.
fn tamper(db: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .expect("drop triggers");
    conn.execute_batch(sql).expect("tamper");
}

fn entries(db: &Path) -> i64 {
    rusqlite::Connection::open(db)
        .expect("open")
        .query_row("SELECT max(id) FROM audit_log", [], |r| r.get(0))
        .expect("count")
}

#[test]
fn an_intact_trail_verifies_and_the_triggers_refuse_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel(dir.path());
    bin(&db)
        .args(["audit", "verify"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("The audit trail is intact"));
    let conn = rusqlite::Connection::open(&db).expect("open");
    let refused = conn.execute("UPDATE audit_log SET change = 'x' WHERE id = 1", []);
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("cannot be changed")
    );
    let refused = conn.execute("DELETE FROM audit_chain WHERE entry_id = 1", []);
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("cannot be changed")
    );
}

#[test]
fn an_edited_entry_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel(dir.path());
    tamper(&db, "UPDATE audit_log SET change = 'declined' WHERE id = 3");
    bin(&db)
        .args(["audit", "verify"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("entry 3: changed"))
        // The edit needed the log's guards dropped: verify names them too.
        .stdout(predicate::str::contains(
            "the guard trigger audit_log_no_update is missing",
        ))
        // The edited entry no longer vouches for the rows it sealed.
        .stdout(predicate::str::contains(
            "plans row C000001: no audit entry records it",
        ))
        .stdout(predicate::str::contains("4 finding(s)"));
}

#[test]
fn a_deleted_entry_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel(dir.path());
    let last = entries(&db);
    tamper(&db, &format!("DELETE FROM audit_log WHERE id = {last}"));
    bin(&db)
        .args(["audit", "verify"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains(format!("entry {last}: deleted")));
}

#[test]
fn a_swapped_pair_is_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel(dir.path());
    // Swap the content of entries 2 and 3 (same ids, order changed).
    tamper(
        &db,
        "UPDATE audit_log SET id = -2 WHERE id = 2;
         UPDATE audit_log SET id = 2 WHERE id = 3;
         UPDATE audit_log SET id = 3 WHERE id = -2;",
    );
    let out = bin(&db).args(["audit", "verify"]).assert().code(3);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains("entry 2: changed") && text.contains("entry 3: changed"),
        "{text}"
    );
}

#[test]
fn an_entry_added_behind_the_apps_back_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel(dir.path());
    tamper(
        &db,
        "INSERT INTO audit_log(at, actor, entity, entity_id, child_id, change)
         VALUES ('2026-11-27T10:00:00', 'someone', 'decision', '1', 'C000001', 'made up')",
    );
    let id = entries(&db);
    // The app writing afterwards does not take the forged entry into the chain.
    bin(&db)
        .args([
            "referrals",
            "add",
            "--child",
            "C000002",
            "--referrer-initials",
            "EF",
        ])
        .args(["--supporter-initials", "CD", "--reason", "Drift"])
        .assert()
        .success();
    bin(&db)
        .args(["audit", "verify"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains(format!("entry {id}: added")))
        // The app found the guards dropped when it opened the file, put
        // them back and recorded it.
        .stdout(predicate::str::contains(
            "the guard trigger audit_log_no_delete is missing: it was dropped behind the app's back; the app recreated it",
        ))
        .stdout(predicate::str::contains("3 finding(s)"));
}

#[test]
fn a_childs_history_is_listed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel(dir.path());
    let out = bin(&db)
        .args(["audit", "show", "--child", "C000001", "--format", "csv"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows[0], "id,at,actor,entity,entity_id,child_id,change");
    assert!(rows[1..].iter().all(|r| r.contains(",C000001,")), "{text}");
    assert!(
        rows.iter()
            .any(|r| r.contains("referral") && r.contains("referred")),
        "{text}"
    );
}

#[test]
fn everything_held_on_a_child_is_exported_for_a_subject_access_request() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel(dir.path());
    let out = dir.path().join("sar");
    bin(&db)
        .args(["export-child", "C000001", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("files on child C000001"));
    let read = |name: &str| std::fs::read_to_string(out.join(name)).expect(name);
    assert!(read("child.csv").starts_with("child_id,sex,date_of_birth,ethnicity,upn\nC000001,"));
    assert!(read("episodes.csv").lines().count() >= 2);
    assert!(
        read("referrals.csv")
            .contains("social worker (AB),team manager (CD),Court timetable,accepted")
    );
    assert!(read("history.csv").contains("referred"));
    assert!(read("README.txt").contains("Special category personal data"));
    // Nothing on another child leaks in.
    for name in [
        "referrals.csv",
        "history.csv",
        "decisions.csv",
        "actions.csv",
    ] {
        assert!(!read(name).contains("C000002"), "{name}");
    }
    // A directory with files in it is refused; so is a child the panel does not hold.
    bin(&db)
        .args(["export-child", "C000001", "--out"])
        .arg(&out)
        .assert()
        .failure()
        .stderr(predicate::str::contains("not empty"));
    bin(&db)
        .args(["export-child", "X999", "--out"])
        .arg(dir.path().join("none"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("holds nothing on child X999"));
}
