//! A purge that forgets and an audit that covers what it claims (issue 18):
//! after a purge the child is in no output and the chain still verifies;
//! backups that still hold the child are named and can be rewritten; a
//! guard trigger dropped behind the app's back is named; imports and
//! restores are audit entries.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use permanence_panel::store::Store;

use crate::common::cli::{bin, morning_meeting, new_panel, panel_from_return};

const NOTE: &str = "Private note: grandmother's address is 1 Example Road";
const DECISION: &str = "Decision: adoption plan endorsed for this child";

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

/// A panel whose first leaver has a decision, a private note and a
/// referral; returns the database and the leaver.
fn panel_with_a_leaver(dir: &Path) -> (PathBuf, String) {
    let db = panel_from_return(dir, "wiltshire", 120, 4, "2026-11-20", false);
    let mut store = Store::open(&db).expect("open");
    let leaver = store.leavers_before(day("2026-11-20")).expect("leavers")[0]
        .child
        .clone();
    let at = day("2026-06-05").and_hms_opt(10, 0, 0).expect("time");
    let meeting = morning_meeting(&mut store, day("2026-06-05"), at);
    store
        .record_decision(meeting, &leaver, DECISION, true, at)
        .expect("decision");
    store
        .set_admin_note(meeting, &leaver, NOTE, at)
        .expect("note");
    (db, leaver)
}

fn stdout_of(db: &Path, args: &[&str]) -> String {
    let output = bin(db).args(args).output().expect("runs");
    assert!(output.status.success(), "{args:?}: {output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_purged_child_is_in_no_output_and_the_chain_still_verifies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, leaver) = panel_with_a_leaver(dir.path());
    let before = stdout_of(
        &db,
        &["audit", "show", "--child", &leaver, "--format", "csv"],
    );
    assert!(
        before.contains(DECISION) || before.contains(&leaver),
        "{before}"
    );
    let backup = Store::open(&db)
        .expect("open")
        .automatic_backup(
            "manual",
            day("2026-11-19").and_hms_opt(9, 0, 0).expect("time"),
        )
        .expect("backup")
        .expect("a file");

    let purged = stdout_of(&db, &["purge", "--left-care-before", "2026-11-20"]);
    assert!(
        purged.contains(&format!("The backup {} still holds them", backup.display())),
        "{purged}"
    );
    assert!(purged.contains("--backups"), "{purged}");

    let shown = stdout_of(
        &db,
        &["audit", "show", "--child", &leaver, "--format", "csv"],
    );
    assert_eq!(shown.lines().count(), 1, "only the header: {shown}");
    let everything = stdout_of(&db, &["audit", "show", "--format", "csv"]);
    for secret in [leaver.as_str(), NOTE, DECISION] {
        assert!(
            !everything.contains(secret),
            "the audit still shows {secret:?}"
        );
    }
    let export = bin(&db)
        .args(["export-child", &leaver, "--out"])
        .arg(dir.path().join("sar"))
        .output()
        .expect("runs");
    assert!(
        String::from_utf8_lossy(&export.stderr).contains("holds nothing on child"),
        "{export:?}"
    );
    let verified = stdout_of(&db, &["audit", "verify"]);
    assert!(verified.contains("intact"), "{verified}");
    // Nor is it anywhere in the log itself, row seals included.
    let conn = rusqlite::Connection::open(&db).expect("open");
    let mentions: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE instr(change, ?1) OR instr(entity_id, ?1)
                 OR child_id = ?1 OR instr(change, ?2) OR instr(change, ?3)",
            [leaver.as_str(), NOTE, DECISION],
            |r| r.get(0),
        )
        .expect("query");
    assert_eq!(mentions, 0, "the log still names the purged child");
    // Nor in any table keyed by child: the returns held included, so no
    // later import merges the child back.
    let keyed_by_child: Vec<String> = conn
        .prepare(
            "SELECT m.name FROM sqlite_schema m, pragma_table_info(m.name) c
             WHERE m.type = 'table' AND c.name = 'child_id'",
        )
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("tables");
    assert!(keyed_by_child.contains(&"return_child_rows".to_owned()));
    for table in &keyed_by_child {
        let held: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM {table} WHERE child_id = ?1"),
                [&leaver],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(held, 0, "{table} still holds the purged child");
    }
    drop(conn);

    // As the message says: the same purge with --backups rewrites the
    // backup, though the database has no such children any more.
    let rewritten = stdout_of(
        &db,
        &["purge", "--left-care-before", "2026-11-20", "--backups"],
    );
    assert!(
        rewritten.contains(&format!("Rewrote the backup {} without", backup.display())),
        "{rewritten}"
    );
    assert!(
        !std::fs::read(&backup)
            .expect("read")
            .windows(NOTE.len())
            .any(|w| w == NOTE.as_bytes())
    );
}

#[test]
fn purge_backups_rewrites_the_backups_without_the_child() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, leaver) = panel_with_a_leaver(dir.path());
    let backup = Store::open(&db)
        .expect("open")
        .automatic_backup(
            "manual",
            day("2026-11-19").and_hms_opt(9, 0, 0).expect("time"),
        )
        .expect("backup")
        .expect("a file");
    let holds = |needle: &str| {
        let bytes = std::fs::read(&backup).expect("read");
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
    };
    assert!(holds(NOTE) && holds(DECISION));
    let said = stdout_of(
        &db,
        &["purge", "--left-care-before", "2026-11-20", "--backups"],
    );
    assert!(
        said.contains(&format!("Rewrote the backup {} without", backup.display())),
        "{said}"
    );
    assert!(
        !holds(NOTE) && !holds(DECISION),
        "the backup still holds the child's text"
    );
    let store = Store::open_read_only(&backup).expect("open the backup");
    assert!(store.child_record(&leaver).expect("query").is_none());
    assert!(store.verify_audit().expect("verify").findings.is_empty());
}

#[test]
fn a_dropped_frozen_minutes_trigger_is_named_and_put_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_panel(dir.path(), "wiltshire");
    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.execute_batch("DROP TRIGGER decisions_frozen_update;")
        .expect("drop");
    drop(conn);
    // Read-only, the finding is the trigger as it is.
    let store = Store::open_read_only(&db).expect("open");
    let found = store.verify_audit().expect("verify").findings;
    assert!(
        found
            .iter()
            .any(|f| f.what.contains("decisions_frozen_update is missing")),
        "{found:?}"
    );
    drop(store);
    // Opened for writing, the app puts it back and records that it did.
    bin(&db)
        .args(["meetings", "plan", "--year", "2027"])
        .assert()
        .success();
    let output = bin(&db).args(["audit", "verify"]).output().expect("runs");
    let said = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(3), "{said}");
    assert!(
        said.contains("decisions_frozen_update is missing") && said.contains("recreated"),
        "{said}"
    );
    let conn = rusqlite::Connection::open(&db).expect("open");
    let back: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'decisions_frozen_update'",
            [],
            |r| r.get(0),
        )
        .expect("query");
    assert_eq!(back, 1);
}

#[test]
fn imports_and_restores_are_audit_entries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel_from_return(dir.path(), "wiltshire", 10, 2, "2026-11-20", true);
    let store = Store::open(&db).expect("open");
    let imports: Vec<_> = store
        .audit_entries()
        .expect("audit")
        .into_iter()
        .filter(|e| e.entity == "import")
        .collect();
    assert_eq!(imports.len(), 2, "{imports:?}");
    assert!(imports[0].change.starts_with("imported 903") && imports[0].change.contains("SHA-256"));
    assert!(imports[1].change.starts_with("imported plans"));
    let backup = store
        .automatic_backup(
            "manual",
            day("2026-11-19").and_hms_opt(9, 0, 0).expect("time"),
        )
        .expect("backup")
        .expect("a file");
    drop(store);
    bin(&db).arg("restore").arg(&backup).assert().success();
    let store = Store::open(&db).expect("open");
    let entries = store.audit_entries().expect("audit");
    let last = entries.last().expect("an entry");
    assert_eq!(last.entity, "restore");
    assert!(
        last.change.contains(&backup.display().to_string()),
        "{}",
        last.change
    );
    assert!(store.verify_audit().expect("verify").findings.is_empty());
}

#[test]
fn a_write_behind_the_apps_back_is_refused_or_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, leaver) = panel_with_a_leaver(dir.path());
    // Another SQLite tool: every table a user changes refuses it.
    let conn = rusqlite::Connection::open(&db).expect("open");
    for sql in [
        "UPDATE decisions SET text = 'forged'",
        "DELETE FROM admin_notes",
        "INSERT INTO members(role, job_title, kind) VALUES ('x', 'y', 'standing')",
        "UPDATE meetings SET status = 'cancelled'",
    ] {
        let refused = conn.execute_batch(sql).expect_err(sql).to_string();
        assert!(refused.contains("panel_app_write"), "{sql}: {refused}");
    }
    // Past the guard by dropping it: the forged decision is not silent.
    conn.execute_batch(
        "DROP TRIGGER decisions_app_only_update; UPDATE decisions SET text = 'forged';",
    )
    .expect("tamper");
    drop(conn);
    let output = bin(&db).args(["audit", "verify"]).output().expect("runs");
    let said = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(3), "{said}");
    assert!(
        said.contains("decisions_app_only_update is missing"),
        "{said}"
    );
    assert!(
        said.contains("decisions row 1: differs from what this entry recorded")
            && said.contains(&format!("text was {DECISION:?}, now \"forged\"")),
        "{said}"
    );
    // The program's own writes go on as before.
    let mut store = Store::open(&db).expect("open");
    let meeting = store.meetings().expect("meetings")[0].id;
    let at = day("2026-06-05").and_hms_opt(11, 0, 0).expect("time");
    store
        .record_decision(meeting, &leaver, "Decision amended by the panel", true, at)
        .expect("the app still writes");
}

#[test]
fn a_decision_forged_past_the_guard_is_named_by_table_and_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, _) = panel_with_a_leaver(dir.path());
    // A tool that imitates the program's connection: the guard lets it by,
    // the decision's row no longer matches its audit entry.
    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.create_scalar_function(
        "panel_app_write",
        0,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8,
        |_| Ok(true),
    )
    .expect("function");
    conn.execute_batch("UPDATE decisions SET text = 'forged', quorate = 0")
        .expect("tamper");
    conn.execute_batch(
        "INSERT INTO decisions(meeting_id, child_id, text, recorded_at, quorate)
         SELECT meeting_id, 'C999999', 'made up', recorded_at, 1 FROM decisions",
    )
    .expect("tamper");
    drop(conn);
    let output = bin(&db).args(["audit", "verify"]).output().expect("runs");
    let said = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(3), "{said}");
    assert!(
        said.contains("decisions row 1: differs from what this entry recorded")
            && said.contains("now \"forged\"; quorate was 1, now 0"),
        "{said}"
    );
    assert!(
        said.contains("decisions row 2: no audit entry records it"),
        "{said}"
    );
}
