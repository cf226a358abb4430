//! Backups that stay their panel's (issue 18): two panels sharing a folder
//! never encrypt, rotate or restore each other's backups; names stay unique
//! when two commands back up at once; a restore reads its backup without
//! writing beside it; a file that is not a database is named so.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use permanence_panel::store::{KEEP_AUTOMATIC, Store};

use crate::common::cli::bin;
use crate::faults::{chmod, unprivileged};

fn at(second: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 20)
        .expect("date")
        .and_hms_opt(9, 0, second)
        .expect("time")
}

fn init(db: &Path) {
    bin(db)
        .env_remove("PERMANENCE_PANEL_KEY")
        .args(["init", "--terms", "wiltshire"])
        .assert()
        .success();
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `panel.db` and `panel-a.db` in one folder: the stems even share a prefix.
fn two_panels(dir: &Path) -> (PathBuf, PathBuf) {
    let (ours, theirs) = (dir.join("panel.db"), dir.join("panel-a.db"));
    init(&ours);
    init(&theirs);
    (ours, theirs)
}

#[test]
fn encrypt_converts_only_its_own_panels_backups_and_names_the_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ours, theirs) = two_panels(dir.path());
    let their_backup = Store::open(&theirs)
        .expect("open")
        .automatic_backup("manual", at(1))
        .expect("backup")
        .expect("a file");
    let our_backup = Store::open(&ours)
        .expect("open")
        .automatic_backup("manual", at(2))
        .expect("backup")
        .expect("a file");
    let key_file = dir.path().join("key");
    std::fs::write(&key_file, "a long enough passphrase for the test").expect("key");
    let output = bin(&ours)
        .arg("--key-file")
        .arg(&key_file)
        .arg("encrypt")
        .output()
        .expect("runs");
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(said.contains("Encrypted 1 backup(s)"), "{said}");
    assert!(
        said.contains("Left 1 backup(s) of other panels") && said.contains("panel-a-"),
        "{said}"
    );
    use permanence_panel::store::{FileKind, file_kind};
    assert_eq!(file_kind(&our_backup).expect("kind"), FileKind::Encrypted);
    assert_eq!(file_kind(&their_backup).expect("kind"), FileKind::Plain);
    // The other panel still restores its own backup.
    bin(&theirs)
        .arg("restore")
        .arg(&their_backup)
        .assert()
        .success();
}

#[test]
fn rotation_keeps_each_panels_own_newest_backups() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ours, theirs) = two_panels(dir.path());
    let ours = Store::open(&ours).expect("open");
    let theirs = Store::open(&theirs).expect("open");
    let mine = ours
        .automatic_backup("manual", at(0))
        .expect("backup")
        .expect("file");
    for second in 1..=(KEEP_AUTOMATIC as u32 + 5) {
        theirs
            .automatic_backup("manual", at(second))
            .expect("backup");
    }
    assert!(mine.exists(), "another panel's rotation removed our backup");
    let id = ours.panel_id().expect("id").expect("an id");
    assert!(
        mine.file_name()
            .expect("name")
            .to_string_lossy()
            .starts_with(&format!("panel-{}-", &id[..8])),
        "the name carries the panel id: {}",
        mine.display()
    );
    let theirs_kept = names_in(mine.parent().expect("dir"))
        .iter()
        .filter(|n| n.starts_with("panel-a-"))
        .count();
    assert_eq!(theirs_kept, KEEP_AUTOMATIC);
}

#[test]
fn two_backups_at_the_same_second_get_two_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("panel.db");
    init(&db);
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let db = db.clone();
            std::thread::spawn(move || {
                let store = Store::open(&db).expect("open");
                store
                    .automatic_backup("before-import", at(0))
                    .expect("each backup succeeds")
                    .expect("a file")
            })
        })
        .collect();
    let mut names: Vec<PathBuf> = threads
        .into_iter()
        .map(|t| t.join().expect("thread"))
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 4, "{names:?}");
    for name in &names {
        permanence_panel::store::check_backup(name).expect("each is a whole backup");
    }
}

#[cfg(unix)]
#[test]
fn backup_out_refuses_a_dangling_symlink_and_restore_names_a_text_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("panel.db");
    init(&db);
    let target = dir.path().join("elsewhere.db");
    let link = dir.path().join("copy.db");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let output = bin(&db)
        .args(["backup", "--out"])
        .arg(&link)
        .output()
        .expect("runs");
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains("copy.db") && message.contains("symbolic link"),
        "{message}"
    );
    assert!(!target.exists(), "written through the link");

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "minutes of a meeting, typed up\n").expect("write");
    let output = bin(&db).arg("restore").arg(&text).output().expect("runs");
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("notes.txt: not a database"), "{message}");
    assert!(!message.contains("is encrypted"), "{message}");
}

#[test]
fn restore_refuses_another_panels_backup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ours, theirs) = two_panels(dir.path());
    let their_backup = Store::open(&theirs)
        .expect("open")
        .automatic_backup("manual", at(1))
        .expect("backup")
        .expect("a file");
    let output = bin(&ours)
        .arg("restore")
        .arg(&their_backup)
        .output()
        .expect("runs");
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("a backup of another panel"), "{message}");
}

#[cfg(unix)]
#[test]
fn restore_reads_a_backup_in_a_read_only_folder_without_writing_beside_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let live = dir.path().join("live");
    let media = dir.path().join("media");
    std::fs::create_dir(&live).expect("mkdir");
    std::fs::create_dir(&media).expect("mkdir");
    let db = live.join("panel.db");
    init(&db);
    // A backup taken while the database is in WAL mode, as the app runs.
    let backup = media.join("copy.db");
    bin(&db)
        .args(["backup", "--out"])
        .arg(&backup)
        .assert()
        .success();
    let Some(mut cmd) = unprivileged(&db, &[dir.path(), &live, &db, &media, &backup]) else {
        return;
    };
    if live.join("backups").exists() {
        std::process::Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(live.join("backups"))
            .status()
            .expect("chown");
    }
    chmod(&media, 0o555);
    chmod(&backup, 0o444);
    let before = names_in(&media);
    let output = cmd.arg("restore").arg(&backup).output().expect("runs");
    chmod(&media, 0o755);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        names_in(&media),
        before,
        "nothing written beside the backup"
    );
}
