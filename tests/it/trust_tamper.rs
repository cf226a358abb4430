//! The eight ways the probe changed a panel behind the app's back (issue
//! 18), each made with the sqlite3 shell as someone with the file would,
//! and what `audit verify` then says: its exit status and its words. Where
//! a way is the program's own (an import, a restore) the trail stays intact
//! and shows it. CI installs sqlite3; without it these tests say so and
//! check nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use permanence_panel::store::{NewAction, Store};
use sha2::{Digest, Sha256};

use crate::common::cli::{bin, morning_meeting, panel_from_return};

const DECISION: &str = "Decision: long-term fostering endorsed";
const NOTE: &str = "Private note: contact arrangements under review";

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

/// Whether the sqlite3 shell is here; says why a test checks nothing if not.
fn shell_present() -> bool {
    let present = Command::new("sqlite3").arg("-version").output().is_ok();
    if !present {
        eprintln!("SKIPPED: the sqlite3 shell is not installed (CI installs it)");
    }
    present
}

/// Runs `sql` in the sqlite3 shell on `db`, as a person with the file would.
fn shell(db: &Path, sql: &str) {
    let out = Command::new("sqlite3")
        .arg(db)
        .arg(sql)
        .output()
        .expect("sqlite3 runs");
    assert!(out.status.success(), "sqlite3 {sql}: {out:?}");
}

/// A panel with a meeting on which the app recorded a decision, an action
/// and a private note for one child; returns the database and the child.
fn panel(dir: &Path) -> (PathBuf, String) {
    let db = panel_from_return(dir, "wiltshire", 40, 7, "2026-11-20", true);
    let mut store = Store::open(&db).expect("open");
    let child = store.child_ids().expect("children")[0].clone();
    let at = day("2026-06-05").and_hms_opt(10, 0, 0).expect("time");
    let meeting = morning_meeting(&mut store, day("2026-06-05"), at);
    store
        .record_decision(meeting, &child, DECISION, true, at)
        .expect("decision");
    store
        .add_action(
            &NewAction {
                meeting,
                child: child.clone(),
                text: "Book the life-story work".into(),
                owner: "Team Manager".into(),
                deadline: day("2026-07-03"),
            },
            at,
        )
        .expect("action");
    store
        .set_admin_note(meeting, &child, NOTE, at)
        .expect("note");
    (db, child)
}

/// A key file only its owner can read, as the program wants.
fn private_file(path: &Path, text: &str) {
    std::fs::write(path, text).expect("key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("mode");
    }
}

/// `audit verify`'s exit status and what it said.
fn verify(db: &Path) -> (Option<i32>, String) {
    let out = bin(db).args(["audit", "verify"]).output().expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The binary on the encrypted panel `db`, opened with `key_file`.
fn keyed(db: &Path, key_file: &Path) -> assert_cmd::Command {
    let mut cmd = bin(db);
    cmd.arg("--key-file").arg(key_file);
    cmd
}

/// `db` encrypted with a key file of its own in `dir`; gives the key file.
fn encrypt(dir: &Path, db: &Path) -> PathBuf {
    let key_file = dir.join("panel.key");
    private_file(&key_file, "correct horse battery staple");
    keyed(db, &key_file).arg("encrypt").assert().success();
    key_file
}

/// `audit verify` of an encrypted panel, with its key file.
fn verify_with_key(db: &Path, key_file: &Path) -> (Option<i32>, String) {
    let out = keyed(db, key_file)
        .args(["audit", "verify"])
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// A panel of `panel`, then `sql` run on it in the sqlite3 shell; `None`
/// (the test checks nothing, and says so) without the shell.
fn tampered_panel(sql: &str) -> Option<(tempfile::TempDir, PathBuf, String)> {
    if !shell_present() {
        return None;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, child) = panel(dir.path());
    assert_intact(&db);
    shell(&db, sql);
    Some((dir, db, child))
}

fn assert_intact(db: &Path) -> String {
    let (code, said) = verify(db);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("The audit trail is intact"), "{said}");
    said
}

fn assert_tampered(db: &Path, words: &[&str]) -> String {
    let (code, said) = verify(db);
    assert_eq!(code, Some(3), "{said}");
    for w in words {
        assert!(said.contains(w), "{w:?} not in:\n{said}");
    }
    said
}

#[test]
fn an_updated_decision_is_named_with_its_old_and_new_text() {
    let Some((_dir, db, _)) = tampered_panel(
        "DROP TRIGGER decisions_app_only_update; UPDATE decisions SET text = 'Decision: placement ended';",
    ) else {
        return;
    };
    assert_tampered(
        &db,
        &[
            "decisions row 1: differs from what this entry recorded",
            &format!("text was {DECISION:?}, now \"Decision: placement ended\""),
            "changed behind the app's back",
            "the guard trigger decisions_app_only_update is missing",
        ],
    );
}

#[test]
fn an_updated_action_is_named_with_the_field_that_differs() {
    let Some((_dir, db, _)) = tampered_panel(
        "DROP TRIGGER actions_app_only_update; UPDATE actions SET deadline = '2027-07-03', status = 'done';",
    ) else {
        return;
    };
    let said = assert_tampered(
        &db,
        &[
            "actions row 1: differs from what this entry recorded",
            "deadline was \"2026-07-03\", now \"2027-07-03\"",
            "status was \"open\", now \"done\"",
        ],
    );
    assert!(!said.contains("decisions row"), "{said}");
}

#[test]
fn a_deleted_row_is_named_as_deleted() {
    let Some((_dir, db, child)) =
        tampered_panel("DROP TRIGGER admin_notes_app_only_delete; DELETE FROM admin_notes;")
    else {
        return;
    };
    assert_tampered(
        &db,
        &[&format!(
            "admin_notes row (meeting_id 1, child_id {child}): recorded by this entry but no longer in its table: deleted behind the app's back"
        )],
    );
}

#[test]
fn an_inserted_row_is_named_as_written_behind_the_apps_back() {
    let Some((_dir, db, _)) = tampered_panel(
        "DROP TRIGGER members_app_only_insert;
         INSERT INTO members(id, role, job_title, kind) VALUES (900, 'chair', 'Chair', 'standing');",
    ) else {
        return;
    };
    assert_tampered(
        &db,
        &["members row 900: no audit entry records it: it was written behind the app's back"],
    );
}

#[test]
fn a_dropped_frozen_minutes_trigger_is_named() {
    let Some((_dir, db, _)) = tampered_panel("DROP TRIGGER attendance_frozen_update;") else {
        return;
    };
    assert_tampered(
        &db,
        &[
            "the guard trigger attendance_frozen_update is missing: it was dropped behind the app's back",
        ],
    );
}

/// The content hash and link of an entry as store/audit.rs defines them,
/// written again here from that definition (length-prefixed SHA-256).
fn length_prefixed(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    h.finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()
}

/// Appends an entry, its content hash and an unkeyed SHA-256 link to the
/// log through `conn`, as someone who read the source would.
fn append_forged_entry(conn: &rusqlite::Connection) -> i64 {
    let (last, prev): (i64, String) = conn
        .query_row(
            "SELECT entry_id, hash FROM audit_chain ORDER BY entry_id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("last link");
    let id = last + 1;
    let (at, actor, entity, entity_id, change) = (
        "2026-06-05T11:00:00",
        "JB",
        "meeting",
        "1",
        "cancelled: forged",
    );
    let content = length_prefixed(&[
        "content",
        &id.to_string(),
        at,
        actor,
        entity,
        entity_id,
        "",
        change,
    ]);
    let link = length_prefixed(&["link", &prev, &id.to_string(), &content]);
    conn.execute_batch(&format!(
        "INSERT INTO audit_log(id, at, actor, entity, entity_id, child_id, change)
             VALUES ({id}, '{at}', '{actor}', '{entity}', '{entity_id}', NULL, '{change}');
         INSERT INTO audit_content(entry_id, hash) VALUES ({id}, '{content}');
         INSERT INTO audit_chain(entry_id, hash) VALUES ({id}, '{link}');"
    ))
    .expect("append");
    id
}

#[test]
fn an_appended_entry_with_its_hash_recomputed_passes_a_plain_chain_and_verify_says_so() {
    if !shell_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, _) = panel(dir.path());
    // As someone with the file would (the shell or any SQLite library): the
    // log is append-only, so no trigger stops an append.
    append_forged_entry(&rusqlite::Connection::open(&db).expect("open"));
    // An unkeyed chain cannot tell this from the app's own entry: verify
    // says it is intact, and says that this is what an unkeyed chain means.
    let said = assert_intact(&db);
    assert!(
        said.contains("an unkeyed SHA-256 chain")
            && said.contains("recomputes them can rewrite it undetected"),
        "{said}"
    );
    // What it cannot do is change the data: a row changed to match the
    // forged entry is still named, as no seal records it.
    shell(
        &db,
        "DROP TRIGGER meetings_app_only_update; UPDATE meetings SET status = 'cancelled';",
    );
    assert_tampered(&db, &["meetings row 1: differs", "status was"]);
}

#[test]
fn an_appended_entry_is_refused_by_the_keyed_chain_of_an_encrypted_panel() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, _) = panel(dir.path());
    let key_file = encrypt(dir.path(), &db);
    let (code, said) = verify_with_key(&db, &key_file);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("a keyed chain (HMAC-SHA256"), "{said}");
    let shown = keyed(&db, &key_file)
        .args(["audit", "show", "--format", "csv"])
        .output()
        .expect("runs");
    assert!(
        String::from_utf8_lossy(&shown.stdout).contains("re-signed the audit chain"),
        "encrypting is audited"
    );
    // The sqlite3 shell cannot read an encrypted file; someone holding a
    // SQLCipher tool and the key, who appends with the published unkeyed
    // formula, is refused by the keyed chain.
    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.pragma_update(None, "key", "correct horse battery staple")
        .expect("key");
    let forged = append_forged_entry(&conn);
    drop(conn);
    let (code, said) = verify_with_key(&db, &key_file);
    assert_eq!(code, Some(3), "{said}");
    assert!(
        said.contains(&format!(
            "entry {forged}: changed: its link is not the keyed chain's (HMAC under the database key)"
        )),
        "{said}"
    );
    // A new key re-signs the chain (audited), and the forged entry found
    // before is kept as a finding rather than signed into the chain.
    let new_key = dir.path().join("new.key");
    private_file(&new_key, "a different passphrase");
    keyed(&db, &key_file)
        .arg("rekey")
        .arg("--new-key-file")
        .arg(&new_key)
        .assert()
        .success();
    let (code, said) = verify_with_key(&db, &new_key);
    assert_eq!(code, Some(3), "{said}");
    assert!(
        said.contains(&format!(
            "found before the chain was re-signed: entry {forged}: changed"
        )),
        "{said}"
    );
}

#[test]
fn imports_of_plans_and_returns_are_audited_and_verify_stays_intact() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The panel's 903 and plans imports, through the program.
    let db = panel_from_return(dir.path(), "wiltshire", 40, 7, "2026-11-20", true);
    bin(&db)
        .args(["import", "plans"])
        .arg(dir.path().join("data").join("plans.csv"))
        .assert()
        .success();
    assert_intact(&db);
    let shown = bin(&db)
        .args(["audit", "show", "--format", "csv"])
        .output()
        .expect("runs");
    let shown = String::from_utf8_lossy(&shown.stdout);
    let imports: Vec<&str> = shown
        .lines()
        .filter(|l| l.contains("imported 903") || l.contains("imported plans"))
        .collect();
    assert_eq!(imports.len(), 3, "{shown}");
    assert!(imports.iter().all(|l| l.contains("SHA-256 ")), "{shown}");
}

#[test]
fn a_restore_that_rolls_changes_back_is_audited_and_verify_stays_intact() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, child) = panel(dir.path());
    let backup = dir.path().join("before.db");
    bin(&db)
        .arg("backup")
        .arg("--out")
        .arg(&backup)
        .assert()
        .success();
    let mut store = Store::open(&db).expect("open");
    let meeting = store.meetings().expect("meetings")[0].id;
    let at = day("2026-06-05").and_hms_opt(11, 0, 0).expect("time");
    store
        .record_decision(
            meeting,
            &child,
            "Decision: changed after the backup",
            true,
            at,
        )
        .expect("decision");
    drop(store);
    bin(&db).arg("restore").arg(&backup).assert().success();
    let said = assert_intact(&db);
    assert!(said.contains("an unkeyed SHA-256 chain"), "{said}");
    let sha256 = Sha256::digest(std::fs::read(&backup).expect("read"))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let store = Store::open_read_only(&db).expect("open");
    let last = store
        .audit_entries()
        .expect("audit")
        .pop()
        .expect("an entry");
    assert_eq!(last.entity, "restore");
    assert!(
        last.change.contains(&backup.display().to_string())
            && last.change.contains(&format!("SHA-256 {sha256}"))
            && last.change.contains("replacing every change made since"),
        "{}",
        last.change
    );
    // The decision rolled back is the backup's, not the later one.
    let decisions = store.decisions(meeting).expect("decisions");
    assert_eq!(decisions[0].text, DECISION);
}

#[test]
fn an_encrypted_panels_backups_are_re_signed_with_it_and_restore_intact() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, _) = panel(dir.path());
    let backup = Store::open(&db)
        .expect("open")
        .automatic_backup(
            "manual",
            day("2026-06-05").and_hms_opt(12, 0, 0).expect("time"),
        )
        .expect("backup")
        .expect("a file");
    let key_file = encrypt(dir.path(), &db);
    keyed(&db, &key_file)
        .arg("restore")
        .arg(&backup)
        .assert()
        .success();
    let (code, said) = verify_with_key(&db, &key_file);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("a keyed chain (HMAC-SHA256"), "{said}");
}
