//! Encryption at rest: a plain panel made by the CLI is encrypted, opens
//! with its key from a file or the environment, refuses cleanly without it
//! or with a wrong one, changes key, and leaves no plaintext behind in the
//! file or its backups.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::common::cli::{backup_names, csv_rows, panel_from_return, return_tables};

const KEY_ENV: &str = "PERMANENCE_PANEL_KEY";
const AS_AT: &str = "2026-11-20";

/// The binary on `db`, with no key from the environment of whoever runs
/// the tests.
fn bin(db: &Path) -> Command {
    let mut cmd = crate::common::cli::bin(db);
    cmd.env_remove(KEY_ENV)
        .env_remove("PERMANENCE_PANEL_NEW_KEY");
    cmd
}

/// A synthetic panel with a return imported (so an automatic backup exists).
fn plain_panel(dir: &Path) -> PathBuf {
    panel_from_return(dir, "wiltshire", 12, 7, AS_AT, false)
}

fn key_file(dir: &Path, name: &str, key: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("{key}\n")).expect("write key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    path
}

fn is_plain_sqlite(path: &Path) -> bool {
    let bytes = std::fs::read(path).expect("read");
    bytes.starts_with(b"SQLite format 3\0")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The timetable as CSV: one line per child looked after.
fn timetable(cmd: &mut Command) -> Vec<u8> {
    let out = cmd
        .args(["timetable", "--as-at", AS_AT, "--format", "csv"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Runs a command expected to fail; returns its standard error after
/// checking the exit status is 1 and nothing panicked.
fn fails(cmd: &mut Command) -> String {
    let out = cmd.output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

fn encrypt(db: &Path, key: &Path) {
    bin(db)
        .arg("--key-file")
        .arg(key)
        .arg("encrypt")
        .assert()
        .success();
}

#[test]
fn an_encrypted_panel_opens_with_the_key_from_a_file_or_the_environment_and_shows_the_same_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = plain_panel(dir.path());
    let before = timetable(&mut bin(&db));
    assert!(csv_rows(&before).len() > 1, "the panel has children");
    let key = key_file(dir.path(), "panel.key", "correct horse's battery staple");

    encrypt(&db, &key);

    assert!(!is_plain_sqlite(&db), "the file is no longer plain SQLite");
    assert_eq!(timetable(bin(&db).arg("--key-file").arg(&key)), before);
    assert_eq!(
        timetable(bin(&db).env(KEY_ENV, "correct horse's battery staple")),
        before
    );
}

#[test]
fn without_the_key_or_with_a_wrong_one_every_command_fails_cleanly_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = plain_panel(dir.path());
    let key = key_file(dir.path(), "panel.key", "the right key");
    let wrong = key_file(dir.path(), "wrong.key", "not the key");
    encrypt(&db, &key);
    let encrypted = std::fs::read(&db).expect("read");

    let no_key = fails(bin(&db).args(["timetable", "--as-at", AS_AT]));
    assert!(no_key.contains(&db.display().to_string()), "{no_key}");
    assert!(
        no_key.contains("DB is encrypted; give the key with --key-file"),
        "{no_key}"
    );
    assert!(no_key.contains(KEY_ENV), "{no_key}");

    let mut from_file = bin(&db);
    from_file.arg("--key-file").arg(&wrong);
    let mut from_env = bin(&db);
    from_env.env(KEY_ENV, "not the key");
    for mut cmd in [from_file, from_env] {
        let wrong_key = fails(cmd.args(["cohorts", "--as-at", AS_AT]));
        assert!(
            wrong_key.contains(&format!("The key does not open {}", db.display())),
            "{wrong_key}"
        );
        // SQLCipher's own log lines are kept off the user's screen.
        assert!(!wrong_key.contains("hmac"), "{wrong_key}");
    }
    assert_eq!(std::fs::read(&db).expect("read"), encrypted);
}

#[test]
fn a_key_given_for_a_plain_file_is_refused_rather_than_ignored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = plain_panel(dir.path());
    let stderr = fails(
        bin(&db)
            .env(KEY_ENV, "some key")
            .args(["timetable", "--as-at", AS_AT]),
    );
    assert!(
        stderr.contains("not encrypted, but a key was given"),
        "{stderr}"
    );
    assert!(is_plain_sqlite(&db));
}

#[test]
fn after_rekey_the_old_key_fails_and_the_new_one_opens_the_same_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = plain_panel(dir.path());
    let before = timetable(&mut bin(&db));
    let old = key_file(dir.path(), "old.key", "old key");
    let new = key_file(dir.path(), "new.key", "new key");
    encrypt(&db, &old);

    bin(&db)
        .arg("--key-file")
        .arg(&old)
        .arg("rekey")
        .arg("--new-key-file")
        .arg(&new)
        .assert()
        .success();

    let stderr = fails(
        bin(&db)
            .arg("--key-file")
            .arg(&old)
            .args(["timetable", "--as-at", AS_AT]),
    );
    assert!(stderr.contains("The key does not open"), "{stderr}");
    assert_eq!(timetable(bin(&db).arg("--key-file").arg(&new)), before);
    // The new key also comes from the environment variable.
    bin(&db)
        .env(KEY_ENV, "new key")
        .env("PERMANENCE_PANEL_NEW_KEY", "third key")
        .arg("rekey")
        .assert()
        .success();
    assert_eq!(timetable(bin(&db).env(KEY_ENV, "third key")), before);
}

#[test]
fn the_encrypted_file_and_its_backups_hold_no_plaintext_child_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = plain_panel(dir.path());
    let rows = csv_rows(&timetable(&mut bin(&db)));
    let child = rows[0][0].clone();
    let backups = dir.path().join("backups");
    let automatic: Vec<PathBuf> = std::fs::read_dir(&backups)
        .expect("the import took a backup")
        .map(|e| e.expect("entry").path())
        .collect();
    assert!(!automatic.is_empty());
    // The control: in the plain file the id is there to be found.
    assert!(contains(
        &std::fs::read(&db).expect("read"),
        child.as_bytes()
    ));

    let key = key_file(dir.path(), "panel.key", "a key");
    encrypt(&db, &key);

    for file in std::iter::once(db.clone()).chain(automatic) {
        let bytes = std::fs::read(&file).expect("read");
        assert!(
            !bytes.starts_with(b"SQLite format 3\0"),
            "{}",
            file.display()
        );
        assert!(
            !contains(&bytes, child.as_bytes()),
            "{} holds {child} in plain text",
            file.display()
        );
    }
    // Nothing plain is left beside the database (no staging copy, no log).
    let beside: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("panel.db"))
        .collect();
    assert_eq!(beside, vec!["panel.db".to_owned()]);
}

#[test]
fn a_backup_of_an_encrypted_panel_is_encrypted_and_restores_only_with_the_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = plain_panel(dir.path());
    let before = timetable(&mut bin(&db));
    let child = csv_rows(&before)[0][0].clone();
    let key = key_file(dir.path(), "panel.key", "backup key");
    encrypt(&db, &key);
    let copy = dir.path().join("copy.db");

    bin(&db)
        .arg("--key-file")
        .arg(&key)
        .arg("backup")
        .arg("--out")
        .arg(&copy)
        .assert()
        .success();

    let bytes = std::fs::read(&copy).expect("read");
    assert!(!bytes.starts_with(b"SQLite format 3\0"));
    assert!(!contains(&bytes, child.as_bytes()));
    let stderr = fails(bin(&copy).args(["timetable", "--as-at", AS_AT]));
    assert!(stderr.contains("DB is encrypted"), "{stderr}");
    assert_eq!(timetable(bin(&copy).arg("--key-file").arg(&key)), before);

    // A restore from it needs the key too, and brings the data back.
    let stderr = fails(bin(&db).arg("restore").arg(&copy));
    assert!(stderr.contains("encrypted"), "{stderr}");
    bin(&db)
        .arg("--key-file")
        .arg(&key)
        .arg("restore")
        .arg(&copy)
        .assert()
        .success();
    assert_eq!(timetable(bin(&db).arg("--key-file").arg(&key)), before);
}

#[test]
fn a_new_panel_set_up_with_a_key_is_encrypted_from_the_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("new.db");
    let key = key_file(dir.path(), "panel.key", "from the start");
    bin(&db)
        .arg("--key-file")
        .arg(&key)
        .args(["init", "--terms", "telford"])
        .assert()
        .success();
    assert!(!is_plain_sqlite(&db));
    bin(&db)
        .arg("--key-file")
        .arg(&key)
        .args(["audit", "verify"])
        .assert()
        .success();
}

#[test]
fn the_app_does_not_start_without_the_key_and_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = plain_panel(dir.path());
    let key = key_file(dir.path(), "panel.key", "app key");
    encrypt(&db, &key);

    // No subcommand: the app. Standard input is not a terminal, so there
    // is no prompt; the message comes before the screen is taken over.
    let out = bin(&db).write_stdin("").output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("DB is encrypted; give the key"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "the screen was touched: {:?}",
        out.stdout
    );

    let out = bin(&db)
        .env(KEY_ENV, "a wrong key")
        .write_stdin("")
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&out.stderr).contains("The key does not open"));
    assert!(out.stdout.is_empty());
}

#[test]
fn encrypt_is_refused_while_the_app_has_the_panel_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = plain_panel(dir.path());
    let key = key_file(dir.path(), "panel.key", "a key");
    // The app holds this lock for as long as it runs.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(db.with_extension("app-lock"))
        .expect("lock file");
    lock.try_lock().expect("lock");

    let stderr = fails(bin(&db).arg("--key-file").arg(&key).arg("encrypt"));
    assert!(
        stderr.contains("the app has this database open"),
        "{stderr}"
    );
    assert!(is_plain_sqlite(&db));
}

#[test]
fn encrypting_twice_is_refused_and_the_file_keeps_its_first_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = plain_panel(dir.path());
    let first = key_file(dir.path(), "first.key", "first");
    let second = key_file(dir.path(), "second.key", "second");
    encrypt(&db, &first);
    let stderr = fails(bin(&db).arg("--key-file").arg(&second).arg("encrypt"));
    assert!(stderr.contains("already encrypted"), "{stderr}");
    bin(&db)
        .arg("--key-file")
        .arg(&first)
        .args(["audit", "verify"])
        .assert()
        .success();
}

/// At a terminal with no key given, the key is asked for without echo, and
/// the app opens with it; a wrong one is refused before the app starts.
#[test]
fn at_a_terminal_the_key_is_asked_for_without_echo() {
    let Some((dir, db)) = crate::common::tmux::demo_panel() else {
        return;
    };
    let program = crate::common::tmux::binary();
    let key = key_file(dir.path(), "demo.key", "typed at the prompt");
    encrypt(&db, &key);
    let db_text = db.to_str().expect("UTF-8 temp path");

    let t = crate::common::tmux::Tmux::start("keyprompt", 100, 30, program, &["--db", db_text]);
    t.wait_for("Key for");
    t.type_text("typed at the prompt");
    assert!(
        !t.screen().contains("typed at the prompt"),
        "the key was echoed"
    );
    t.keys(&["Enter"]);
    t.wait_for("Next meeting");
    t.keys(&["q"]);
    t.wait_exit();

    let t = crate::common::tmux::Tmux::start("wrongkey", 100, 30, program, &["--db", db_text]);
    t.wait_for("Key for");
    t.type_text("a wrong key");
    t.keys(&["Enter"]);
    t.wait_exit();
    let screen = t.screen();
    assert!(screen.contains("The key does not open"), "{screen}");
    assert!(!screen.contains("Next meeting"), "{screen}");
}

#[test]
fn an_empty_key_file_is_refused_and_one_others_can_read_is_warned_about() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = plain_panel(dir.path());
    let empty = key_file(dir.path(), "empty.key", "");
    let stderr = fails(bin(&db).arg("--key-file").arg(&empty).arg("encrypt"));
    assert!(stderr.contains("no key in the key file"), "{stderr}");
    assert!(is_plain_sqlite(&db));

    let shared = key_file(dir.path(), "shared.key", "a key");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    }
    let out = bin(&db)
        .arg("--key-file")
        .arg(&shared)
        .arg("encrypt")
        .output()
        .expect("runs");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("can be read by other users"), "{stderr}");
}

#[test]
fn encrypt_is_refused_while_another_program_reads_the_panel() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = plain_panel(dir.path());
    let key = key_file(dir.path(), "panel.key", "a key");
    // A presenter view, say: a reader that does not take the app's lock.
    let reader = permanence_panel::store::Store::open_read_only(&db).expect("reader");
    reader.schema_version().expect("reads");

    let stderr = fails(bin(&db).arg("--key-file").arg(&key).arg("encrypt"));
    assert!(
        stderr.contains("another program has this database open"),
        "{stderr}"
    );
    assert!(is_plain_sqlite(&db));
    assert!(!dir.path().join(".panel.db.encrypting").exists());
    drop(reader);
    encrypt(&db, &key);
    assert!(!is_plain_sqlite(&db));
}

/// An import into an encrypted panel checks it and keeps its backup on a
/// connection of its own, opened with the same key: the backup is
/// encrypted, and with the key it is the panel as the import found it.
#[test]
fn an_import_into_an_encrypted_panel_keeps_an_encrypted_backup_of_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = plain_panel(dir.path());
    let key = key_file(dir.path(), "panel.key", "import key");
    encrypt(&db, &key);
    let before = timetable(bin(&db).arg("--key-file").arg(&key));
    let earlier = backup_names(&db);

    bin(&db)
        .arg("--key-file")
        .arg(&key)
        .args(["import", "903"])
        .args(return_tables(&dir.path().join("data")))
        .assert()
        .success();
    let made: Vec<String> = backup_names(&db)
        .into_iter()
        .filter(|b| !earlier.contains(b))
        .collect();
    assert_eq!(made.len(), 1, "{made:?}");
    assert!(made[0].contains("before-import"));
    let made = permanence_panel::store::backups_dir(&db).join(&made[0]);
    assert!(!is_plain_sqlite(&made));
    assert_eq!(timetable(bin(&made).arg("--key-file").arg(&key)), before);
}
