//! Messages that say what to do (issue 18), each naming the file; and a
//! program that does not crash when stderr cannot be written.

use std::path::Path;

use crate::common::cli::{bin, new_panel};

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn init_with_terms_out_of_bounds_names_the_place_and_leaves_no_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let terms = dir.path().join("council.toml");
    let text = permanence_panel::terms::Terms::preset_text("wiltshire")
        .expect("preset")
        .replace("days_before = 7", "days_before = 100000000");
    std::fs::write(&terms, &text).expect("write");
    let line = text
        .lines()
        .position(|l| l.starts_with("days_before"))
        .expect("line")
        + 1;
    let db = dir.path().join("panel.db");
    let output = bin(&db)
        .args(["init", "--terms"])
        .arg(&terms)
        .output()
        .expect("runs");
    let message = stderr_of(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains(&format!("council.toml:{line}:15:")) && message.contains("0 to 60"),
        "{message}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(
        left,
        vec![std::ffi::OsString::from("council.toml")],
        "init left files behind"
    );
}

#[cfg(unix)]
#[test]
fn an_error_told_to_a_full_or_closed_stderr_exits_1_not_101() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("no-such-panel.db");
    let program = assert_cmd::cargo::cargo_bin("permanence-panel");
    for redirect in ["2>/dev/full", "2>&-"] {
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("exec \"$0\" --db \"$1\" cohorts {redirect}"))
            .arg(&program)
            .arg(&missing)
            .env_remove("PERMANENCE_PANEL_DB")
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(1), "{redirect}: {output:?}");
    }
}

#[test]
fn members_import_with_an_unknown_id_names_the_line_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_panel(dir.path(), "wiltshire");
    let exported = bin(&db).args(["members", "export"]).output().expect("runs");
    assert!(exported.status.success());
    let text = String::from_utf8(exported.stdout).expect("UTF-8");
    // The third data row (line 4) gets an id the panel does not hold.
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let rest = lines[3].split_once(',').expect("a row").1.to_owned();
    lines[3] = format!("9999,{rest}");
    let file = dir.path().join("members.csv");
    std::fs::write(&file, lines.join("\n") + "\n").expect("write");
    let output = bin(&db)
        .args(["members", "import"])
        .arg(&file)
        .output()
        .expect("runs");
    let message = stderr_of(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains("members.csv:4:id: found '9999'"),
        "{message}"
    );
    let after = bin(&db).args(["members", "export"]).output().expect("runs");
    assert_eq!(
        String::from_utf8(after.stdout).expect("UTF-8"),
        text,
        "members unchanged"
    );
}

#[test]
fn an_io_error_at_open_names_the_file_and_says_the_disk_may_be_full() {
    let db = Path::new("/data/panel.db");
    // What SQLite says when it cannot size the -shm file on a full disk.
    let error = rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error {
            code: rusqlite::ErrorCode::SystemIoFailure,
            extended_code: 4874,
        },
        Some("disk I/O error".to_owned()),
    );
    let message = permanence_panel::cli::error_message(&anyhow::Error::from(error), Some(db));
    assert!(
        message.starts_with("/data/panel.db: ") && message.contains("free some space"),
        "{message}"
    );
}

#[cfg(unix)]
#[test]
fn exports_that_cannot_be_written_say_where_and_what_to_do_never_a_bare_os_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db =
        crate::common::cli::panel_from_return(dir.path(), "wiltshire", 6, 3, "2026-10-14", false);
    let child = permanence_panel::store::Store::open(&db)
        .expect("open")
        .child_records()
        .expect("children")[0]
        .child
        .id
        .clone();
    let a_file = dir.path().join("a-file");
    std::fs::write(&a_file, "not a folder").expect("write");
    let inside_a_file = a_file.join("sar");
    // Writing under a file fails with status 1, naming the path and why.
    let refused_under_a_file = |args: &[&str]| {
        let output = bin(&db)
            .args(args)
            .arg("--out")
            .arg(&inside_a_file)
            .output()
            .expect("runs");
        let message = stderr_of(&output);
        assert_eq!(output.status.code(), Some(1), "{message}");
        assert!(
            message.contains(&inside_a_file.display().to_string())
                && message.contains("part of the path is a file"),
            "{message}"
        );
    };
    refused_under_a_file(&["export-child", &child]);
    bin(&db)
        .args(["meetings", "plan", "--year", "2026"])
        .assert()
        .success();
    bin(&db)
        .args([
            "agenda",
            "--meeting",
            "2026-10-30",
            "--add",
            &child,
            "--reason",
            "review",
        ])
        .assert()
        .success();
    refused_under_a_file(&["invites", "--meeting", "2026-10-30"]);
}
