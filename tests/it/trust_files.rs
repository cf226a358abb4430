//! Files and messages (issue 18, item 8): two imports started at once each
//! take their own automatic backup and both succeed, through the binary as
//! two people (or a script and a person) would.

use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

use crate::common::cli::{backup_names as backups, panel_from_return, return_tables};

#[test]
fn two_imports_at_once_both_succeed_with_a_backup_each() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel_from_return(dir.path(), "wiltshire", 30, 3, "2026-11-20", false);
    let data = dir.path().join("data");
    let files = return_tables(&data);
    let before: usize = backups(&db).len();
    let spawned: Vec<_> = (0..2)
        .map(|_| {
            Command::cargo_bin("permanence-panel")
                .expect("binary")
                .env_remove("PERMANENCE_PANEL_DB")
                .arg("--db")
                .arg(&db)
                .args(["import", "903"])
                .args(&files)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawns")
        })
        .collect();
    for child in spawned {
        let out = child.wait_with_output().expect("runs");
        assert!(out.status.success(), "{out:?}");
    }
    let after = backups(&db);
    let new_backups = after.iter().filter(|n| n.contains("before-import")).count();
    assert!(
        after.len() >= before + 2 && new_backups >= 2,
        "each import took its own backup: {after:?}"
    );
}
