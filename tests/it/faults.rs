//! Faults of the file and the disk: each a message that names the file and
//! says what to do, an exit status of 1, no panic, and no damage.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::NaiveDate;
use permanence_panel::store::{SCHEMA_VERSION, Store};

use crate::common::cli::{panel_from_return, return_tables};

const AS_AT: &str = "2026-11-20";

fn bin(db: &Path) -> Command {
    let mut cmd = crate::common::cli::bin(db);
    cmd.env_remove("PERMANENCE_PANEL_KEY");
    cmd
}

/// A set-up panel with no return: enough for commands that write.
fn set_up_panel(dir: &Path) -> PathBuf {
    let db = dir.join("panel.db");
    bin(&db)
        .args(["init", "--terms", "wiltshire"])
        .assert()
        .success();
    db
}

/// Runs a command expected to fail on `db`; checks the exit status, that
/// nothing panicked and that the message names the file; returns it.
fn fails_naming(cmd: &mut Command, db: &Path) -> String {
    let out = cmd.output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains(&db.display().to_string()), "{stderr}");
    stderr
}

/// Planning a year of meetings: a command that must write.
fn plan_meetings(cmd: &mut Command) -> &mut Command {
    cmd.args(["meetings", "plan", "--year", "2027"])
}

fn planned_meetings(db: &Path) -> usize {
    Store::open_read_only(db)
        .expect("opens")
        .meetings()
        .expect("meetings")
        .len()
}

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    let probe = tempfile::NamedTempFile::new().expect("temp file");
    probe.as_file().metadata().expect("metadata").uid() == 0
}

/// The binary run by an unprivileged user when the tests run as root (for
/// whom file permissions stop nothing); `None`, with the reason printed,
/// when that cannot be done. `owned` are made the unprivileged user's.
pub(crate) fn unprivileged(db: &Path, owned: &[&Path]) -> Option<Command> {
    if !is_root() {
        return Some(bin(db));
    }
    const NOBODY: &str = "65534";
    let can_switch = std::process::Command::new("setpriv")
        .args([
            "--reuid",
            NOBODY,
            "--regid",
            NOBODY,
            "--clear-groups",
            "true",
        ])
        .status()
        .is_ok_and(|s| s.success());
    if !can_switch {
        println!("skipped: running as root and setpriv cannot drop to an unprivileged user");
        return None;
    }
    for path in owned {
        let chowned = std::process::Command::new("chown")
            .arg(format!("{NOBODY}:{NOBODY}"))
            .arg(path)
            .status()
            .is_ok_and(|s| s.success());
        if !chowned {
            println!("skipped: cannot chown {}", path.display());
            return None;
        }
    }
    let mut cmd = std::process::Command::new("setpriv");
    cmd.args(["--reuid", NOBODY, "--regid", NOBODY, "--clear-groups"])
        .arg(assert_cmd::cargo::cargo_bin("permanence-panel"))
        .env_remove("PERMANENCE_PANEL_DB")
        .env_remove("PERMANENCE_PANEL_KEY")
        .arg("--db")
        .arg(db);
    Some(Command::from_std(cmd))
}

pub(crate) fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[test]
fn a_full_disk_during_an_import_is_named_and_nothing_is_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("panel.db");
    let data = dir.path().join("data");
    let cfg = permanence_panel::synth::SynthConfig {
        children: 40,
        seed: 11,
        as_at: NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
    };
    permanence_panel::synth::write_csv(&cfg, &data).expect("synthetic return");
    let files = return_tables(&data);
    let now = cfg.as_at.and_hms_opt(9, 0, 0).expect("time");

    let mut store = Store::open(&db).expect("open");
    store.set_setting("terms", "wiltshire").expect("setting");
    // The disk "fills" two pages from now: SQLite reports SQLITE_FULL.
    let pages = store.page_count().expect("pages");
    store
        .limit_pages_for_fault_tests(pages + 2)
        .expect("page limit");
    let failed = match permanence_panel::import::import_903(&mut store, &files, now) {
        Ok(report) => panic!("the import fitted in two pages: {report}"),
        Err(e) => e,
    };
    let cause = failed
        .store
        .expect("a database failure, not a file problem");
    let message = cause.at(&db).to_string();
    assert!(message.contains(&db.display().to_string()), "{message}");
    assert!(message.contains("the disk is full"), "{message}");
    assert!(message.contains("Free some space"), "{message}");

    // A write that is not an import says the same through the CLI's words.
    let big = "x".repeat(64 * 1024);
    let e = anyhow::Error::from(store.set_setting("note", &big).expect_err("no room"));
    let cli_message = permanence_panel::cli::error_message(&e, Some(&db));
    assert!(cli_message.contains("the disk is full"), "{cli_message}");
    drop(store);

    let store = Store::open(&db).expect("reopens");
    store.check_integrity().expect("whole");
    assert!(store.child_records().expect("children").is_empty());
    assert_eq!(store.setting("note").expect("setting"), None);
    assert_eq!(
        store.setting("terms").expect("setting").as_deref(),
        Some("wiltshire")
    );
}

#[test]
fn a_read_only_file_is_named_and_left_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = set_up_panel(dir.path());
    let Some(mut cmd) = unprivileged(&db, &[dir.path(), &db]) else {
        return;
    };
    chmod(&db, 0o444);
    let before = std::fs::read(&db).expect("read");

    let stderr = fails_naming(plan_meetings(&mut cmd), &db);
    assert!(stderr.contains("read-only"), "{stderr}");
    assert!(
        std::fs::read(&db).expect("read") == before,
        "the file changed"
    );
    chmod(&db, 0o600);
    assert_eq!(planned_meetings(&db), 0);
}

#[test]
fn a_read_only_folder_is_named_and_the_database_left_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("panel");
    std::fs::create_dir(&folder).expect("mkdir");
    let db = set_up_panel(&folder);
    let Some(mut cmd) = unprivileged(&db, &[dir.path(), &folder, &db]) else {
        return;
    };
    // SQLite must create panel.db-wal and panel.db-shm beside the file.
    chmod(&folder, 0o555);
    let before = std::fs::read(&db).expect("read");

    let stderr = fails_naming(plan_meetings(&mut cmd), &db);
    assert!(stderr.contains("read-only"), "{stderr}");
    chmod(&folder, 0o755);
    assert!(
        std::fs::read(&db).expect("read") == before,
        "the file changed"
    );
    assert_eq!(planned_meetings(&db), 0);
}

#[test]
fn a_database_locked_past_the_busy_timeout_is_named_and_nothing_is_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = set_up_panel(dir.path());
    let holder = rusqlite::Connection::open(&db).expect("open");
    // Another program takes the file for itself and does not let go.
    holder
        .execute_batch(
            "PRAGMA locking_mode = EXCLUSIVE;
             BEGIN EXCLUSIVE;
             UPDATE settings SET value = value;",
        )
        .expect("lock");

    let stderr = fails_naming(plan_meetings(&mut bin(&db)), &db);
    assert!(stderr.contains("locked by another program"), "{stderr}");
    assert!(stderr.contains("try again"), "{stderr}");

    holder.execute_batch("ROLLBACK").expect("rollback");
    drop(holder);
    assert_eq!(planned_meetings(&db), 0);
}

/// Overwrites eight pages in the middle of the file with a pattern.
fn damage_the_middle(db: &Path) {
    let mut bytes = std::fs::read(db).expect("read");
    let page = 4096;
    let middle = (bytes.len() / 2 / page) * page;
    let end = (middle + 8 * page).min(bytes.len());
    for b in &mut bytes[middle..end] {
        *b = 0x5a;
    }
    std::fs::write(db, bytes).expect("write");
}

#[test]
fn a_damaged_file_is_named_the_app_does_not_start_and_restore_brings_it_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel_from_return(dir.path(), "wiltshire", 60, 9, AS_AT, true);
    let good = dir.path().join("good.db");
    bin(&db)
        .arg("backup")
        .arg("--out")
        .arg(&good)
        .assert()
        .success();
    let timetable = |db: &Path| {
        bin(db)
            .args(["timetable", "--as-at", AS_AT, "--format", "csv"])
            .output()
            .expect("runs")
    };
    let before = timetable(&db).stdout;
    damage_the_middle(&db);

    // The app: standard input is not a terminal, the check comes first.
    let out = bin(&db).write_stdin("").output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains(&db.display().to_string()), "{stderr}");
    assert!(stderr.contains("damaged"), "{stderr}");
    assert!(stderr.contains("restore"), "{stderr}");
    assert!(out.stdout.is_empty(), "the screen was touched");

    // A damaged database is no backup: refused, so it cannot push a good
    // automatic backup out.
    let refused = fails_naming(bin(&db).args(["backup"]), &db);
    assert!(refused.contains("damaged"), "{refused}");

    let restored = bin(&db).arg("restore").arg(&good).output().expect("runs");
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    // The damaged file is kept aside as it was, for whoever looks into it.
    let stdout = String::from_utf8_lossy(&restored.stdout);
    assert!(stdout.contains("damaged-before-restore"), "{stdout}");
    let after = timetable(&db);
    assert!(after.status.success());
    assert_eq!(after.stdout, before);
}

/// The import checks the database as it found it while it reads the
/// return (on another thread) and does not commit into a damaged one.
#[test]
fn an_import_into_a_damaged_database_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel_from_return(dir.path(), "wiltshire", 60, 9, AS_AT, false);
    let data = dir.path().join("data");
    let folder = dir.path().join("2027-28");
    std::fs::create_dir_all(&folder).expect("folder");
    for table in return_tables(&data) {
        std::fs::copy(&table, folder.join(table.file_name().expect("name"))).expect("copy");
    }
    // A page no import reads (the Fostering Panel's sittings): only the
    // check finds it.
    let root: i64 = rusqlite::Connection::open(&db)
        .expect("open")
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'fostering_panels'",
            [],
            |r| r.get(0),
        )
        .expect("root page");
    let mut bytes = std::fs::read(&db).expect("read");
    let page = 4096;
    let at = (root as usize - 1) * page;
    bytes[at..at + page].fill(0x5a);
    std::fs::write(&db, &bytes).expect("write");
    let damaged = bytes;
    let backups = crate::common::cli::backup_names(&db);

    let stderr = fails_naming(
        bin(&db)
            .args(["import", "903", "--year", "2027-28"])
            .arg(&folder),
        &db,
    );
    assert!(stderr.contains("damaged"), "{stderr}");
    assert!(stderr.contains("Nothing was imported"), "{stderr}");
    assert_eq!(std::fs::read(&db).expect("read"), damaged);
    // The copy made while the check ran is not kept: a backup of a
    // damaged database would take the place of a sound one.
    assert_eq!(crate::common::cli::backup_names(&db), backups);
}

#[test]
fn an_empty_file_and_an_empty_sqlite_file_are_refused_untouched_with_what_to_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").expect("write");
    let schemaless = dir.path().join("schemaless.db");
    {
        let conn = rusqlite::Connection::open(&schemaless).expect("open");
        // A header and no tables: what `sqlite3 FILE VACUUM` leaves.
        conn.execute_batch("CREATE TABLE t(x); DROP TABLE t;")
            .expect("schema");
    }
    for db in [&empty, &schemaless] {
        let before = std::fs::read(db).expect("read");
        let stderr = fails_naming(bin(db).args(["timetable", "--as-at", AS_AT]), db);
        assert!(
            stderr.contains("holds no permanence-panel data"),
            "{stderr}"
        );
        assert!(stderr.contains("init --terms"), "{stderr}");
        assert!(
            std::fs::read(db).expect("read") == before,
            "{} changed",
            db.display()
        );
    }
}

#[test]
fn another_programs_sqlite_file_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("contacts.db");
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.execute_batch("CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES ('A');")
            .expect("schema");
    }
    let before = std::fs::read(&db).expect("read");
    for args in [
        &["timetable", "--as-at", AS_AT][..],
        &["init", "--terms", "wiltshire"][..],
        &["audit", "verify"][..],
    ] {
        let stderr = fails_naming(bin(&db).args(args), &db);
        assert!(
            stderr.contains("not a permanence-panel database"),
            "{args:?}: {stderr}"
        );
    }
    assert!(
        std::fs::read(&db).expect("read") == before,
        "the file changed"
    );
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = set_up_panel(dir.path());
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .expect("version");
    }
    let before = std::fs::read(&db).expect("read");
    let stderr = fails_naming(plan_meetings(&mut bin(&db)), &db);
    assert!(stderr.contains("newer version"), "{stderr}");
    assert!(
        std::fs::read(&db).expect("read") == before,
        "the file changed"
    );
}
