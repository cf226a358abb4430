//! Backups and restores: consistent while the app writes, checked before a
//! restore, taken automatically before an import, bounded in number.

use std::path::Path;

use assert_cmd::Command;
use chrono::NaiveDate;
use permanence_panel::store::{KEEP_AUTOMATIC, NewAction, Store, backups_dir};
use predicates::prelude::*;

use crate::common::cli::{bin, demo_db, refer};

/// Everything a user changed, as text: for comparing two databases.
fn dump(db: &Path) -> Vec<String> {
    let store = Store::open_read_only(db).expect("open");
    let mut out: Vec<String> = store
        .audit_entries()
        .expect("audit")
        .iter()
        .map(|e| format!("{e:?}"))
        .collect();
    out.extend(
        store
            .all_actions()
            .expect("actions")
            .iter()
            .map(|a| format!("{a:?}")),
    );
    out.extend(
        store
            .child_records()
            .expect("records")
            .iter()
            .map(|r| format!("{r:?}")),
    );
    out.extend(
        store
            .members()
            .expect("members")
            .iter()
            .map(|m| format!("{m:?}")),
    );
    out
}

#[test]
fn a_backup_taken_while_the_app_writes_is_one_consistent_moment_and_restores() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let at = NaiveDate::from_ymd_opt(2026, 11, 27)
        .expect("date")
        .and_hms_opt(10, 0, 0)
        .expect("time");
    let audited_before = Store::open(&db)
        .expect("open")
        .audit_entries()
        .expect("audit")
        .iter()
        .filter(|e| e.entity == "action")
        .count();
    let writer_db = db.clone();
    let writer = std::thread::spawn(move || {
        let mut store = Store::open(&writer_db).expect("open");
        let meeting = store
            .meetings()
            .expect("meetings")
            .last()
            .expect("the demo meeting")
            .id;
        for i in 0..300 {
            store
                .add_action(
                    &NewAction {
                        meeting,
                        child: "C000001".into(),
                        text: format!("Action {i}"),
                        owner: "Kinship and Fostering Team Manager".into(),
                        deadline: NaiveDate::from_ymd_opt(2027, 1, 29).expect("date"),
                    },
                    at,
                )
                .expect("written");
        }
    });
    let backup = dir.path().join("copy.db");
    let reader = Store::open(&db).expect("open");
    std::thread::sleep(std::time::Duration::from_millis(20));
    reader.backup_to(&backup).expect("backed up while writing");
    writer.join().expect("writer");

    // Consistent: every action in the copy has its audit entry, and the
    // actions are the first n written, none missing in between.
    let copy = Store::open_read_only(&backup).expect("the copy opens");
    // (The demo's own actions, from last month's meeting, are left aside.)
    let actions: Vec<_> = copy
        .all_actions()
        .expect("actions")
        .into_iter()
        .filter(|a| a.text.starts_with("Action "))
        .collect();
    let texts: std::collections::BTreeSet<String> =
        actions.iter().map(|a| a.text.clone()).collect();
    let n = actions.len();
    assert!(
        (0..n).all(|i| texts.contains(&format!("Action {i}"))),
        "a gap in {n} actions"
    );
    let audited = copy
        .audit_entries()
        .expect("audit")
        .iter()
        .filter(|e| e.entity == "action")
        .count();
    assert_eq!(
        audited,
        audited_before + n,
        "actions and their audit entries disagree in the copy"
    );
    drop(copy);

    // Restored: the database equals the copy, and what it replaced is kept.
    let before_restore = dump(&db);
    bin(&db)
        .arg("restore")
        .arg(&backup)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "The database as it was is kept in",
        ));
    // Equal but for the audit entry that records the restore itself.
    let mut restored = dump(&db);
    let restore_entry = restored.remove(
        restored
            .iter()
            .position(|line| line.contains("entity: \"restore\""))
            .expect("the restore is an audit entry"),
    );
    assert!(
        restore_entry.contains(&backup.display().to_string()),
        "{restore_entry}"
    );
    assert_eq!(restored, dump(&backup));
    let kept = std::fs::read_dir(backups_dir(&db))
        .expect("backups dir")
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().contains("before-restore"))
        .expect("the replaced database was backed up");
    assert_eq!(dump(&kept.path()), before_restore);
}

#[test]
fn a_damaged_backup_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let before = dump(&db);
    let bad = dir.path().join("bad.db");
    std::fs::write(&bad, b"SQLite format 3\0 but not really").expect("write");
    bin(&db)
        .arg("restore")
        .arg(&bad)
        .assert()
        .failure()
        .stderr(predicate::str::contains("bad.db"));
    let not_ours = dir.path().join("other.db");
    rusqlite::Connection::open(&not_ours)
        .expect("create")
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .expect("write");
    bin(&db)
        .arg("restore")
        .arg(&not_ours)
        .assert()
        .failure()
        .stderr(predicate::str::contains("not a permanence-panel database"));
    assert_eq!(dump(&db), before);
    assert!(
        !backups_dir(&db).exists(),
        "a refused restore made a backup"
    );
}

#[test]
fn backups_are_taken_before_an_import_and_kept_to_a_bounded_number() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    bin(&db)
        .arg("backup")
        .assert()
        .success()
        .stdout(predicate::str::contains("Backed up"));
    let data = dir.path().join("data");
    Command::cargo_bin("permanence-panel")
        .expect("binary")
        .args([
            "generate",
            "--children",
            "20",
            "--seed",
            "1",
            "--as-at",
            "2026-11-20",
            "--out",
        ])
        .arg(&data)
        .assert()
        .success();
    for _ in 0..(KEEP_AUTOMATIC + 2) {
        bin(&db)
            .args(["import", "plans"])
            .arg(data.join("plans.csv"))
            .assert()
            .success();
    }
    let names: Vec<String> = std::fs::read_dir(backups_dir(&db))
        .expect("backups dir")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    assert_eq!(names.len(), KEEP_AUTOMATIC, "{names:?}");
    assert!(
        names.iter().all(|n| n.contains("before-import")),
        "the oldest (manual) was pruned first: {names:?}"
    );
    // A named backup never overwrites.
    let copy = dir.path().join("copy.db");
    bin(&db)
        .arg("backup")
        .arg("--out")
        .arg(&copy)
        .assert()
        .success();
    bin(&db)
        .arg("backup")
        .arg("--out")
        .arg(&copy)
        .assert()
        .failure()
        .stderr(predicate::str::contains("already exists"));
}

#[test]
fn purge_removes_children_who_left_care_before_a_date_and_keeps_the_audit_trail() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db =
        crate::common::cli::panel_from_return(dir.path(), "wiltshire", 200, 4, "2026-11-20", true);
    let store = Store::open(&db).expect("open");
    let leavers = store
        .leavers_before(NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"))
        .expect("leavers");
    assert!(!leavers.is_empty(), "the synthetic return has leavers");
    let children_before = store.child_count().expect("count");
    // The panel heard one of them once, with an action.
    let leaver = leavers[0].child.clone();
    drop(store);
    refer(&db, &leaver, "Before leaving care", &[]).success();

    let dry = bin(&db)
        .args(["purge", "--left-care-before", "2026-11-20", "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::contains("nothing was removed"));
    let listed = String::from_utf8_lossy(&dry.get_output().stdout)
        .lines()
        .filter(|l| l.contains("  left care "))
        .count();
    assert_eq!(listed, leavers.len());
    assert_eq!(
        Store::open(&db)
            .expect("open")
            .child_count()
            .expect("count"),
        children_before
    );

    bin(&db)
        .args(["purge", "--left-care-before", "2026-11-20"])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "Removed {} children",
            leavers.len()
        )))
        .stdout(predicate::str::contains("1 referrals"));
    let store = Store::open_read_only(&db).expect("open");
    assert_eq!(
        store.child_count().expect("count"),
        children_before - leavers.len() as i64
    );
    assert!(store.child_record(&leaver).expect("query").is_none());
    assert!(store.referrals().expect("referrals").is_empty());
    let verified = store.verify_audit().expect("verify");
    assert!(verified.findings.is_empty(), "{:?}", verified.findings);
    let audit = store.audit_entries().expect("audit");
    assert!(audit.iter().any(|e| {
        e.entity == "purge"
            && e.change
                .starts_with("purged a child under the retention rule")
    }),);
    // The purge is recorded without naming whom it was about.
    assert!(
        !audit
            .iter()
            .any(|e| e.child.as_deref() == Some(leaver.as_str())
                || e.entity_id == leaver
                || e.change.contains(leaver.as_str())),
    );
    drop(store);
    bin(&db)
        .args(["export-child", &leaver, "--out"])
        .arg(dir.path().join("sar"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("holds nothing on child"));
}
