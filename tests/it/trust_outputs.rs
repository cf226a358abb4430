//! Outputs that cannot be turned against their reader (issue 18): every
//! CSV the program writes shows formula-like text as text, terminal tables
//! and Markdown show control characters instead of obeying them, exports are
//! owner-only and never written through a symbolic link.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use permanence_panel::store::{NewAction, NewReferral, Store};

use crate::common::cli::{bin, morning_meeting, panel_from_return};

const MEETING: &str = "2026-10-14";
/// Typed text a spreadsheet would run: one per trigger of the OWASP advice.
const FORMULAS: [&str; 6] = [
    "=HYPERLINK(\"http://x\",\"click\")",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\tindented =1+1",
    "\r=1+1",
];

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

/// A panel with a meeting whose typed texts (actions, owners, referral
/// reasons and roles, an agenda reason) all begin like formulas; returns the
/// database and a child with all of it.
fn hostile_panel(dir: &Path) -> (PathBuf, String) {
    let db = panel_from_return(dir, "wiltshire", 12, 18, MEETING, true);
    let mut store = Store::open(&db).expect("open");
    let at = day(MEETING).and_hms_opt(9, 0, 0).expect("time");
    let meeting = morning_meeting(&mut store, day(MEETING), at);
    let child = store.child_records().expect("children")[0].child.id.clone();
    for text in FORMULAS {
        store
            .add_action(
                &NewAction {
                    meeting,
                    child: child.clone(),
                    text: text.to_owned(),
                    owner: text.to_owned(),
                    deadline: day("2026-11-01"),
                },
                at,
            )
            .expect("action");
        store
            .add_referral(
                &NewReferral {
                    child: child.clone(),
                    made_on: day("2026-10-01"),
                    referrer_role: text.to_owned(),
                    referrer_initials: "AB".to_owned(),
                    supporter_role: "team manager".to_owned(),
                    supporter_initials: "CD".to_owned(),
                    reason: text.to_owned(),
                    meeting_asked: Some(day(MEETING)),
                },
                at,
            )
            .expect("referral");
    }
    drop(store);
    bin(&db)
        .args([
            "agenda",
            "--meeting",
            MEETING,
            "--add",
            &child,
            "--reason",
            FORMULAS[0],
        ])
        .assert()
        .success();
    (db, child)
}

/// Fails naming the file, row and cell of any cell a spreadsheet would run.
fn assert_no_formula(what: &str, bytes: &[u8]) -> usize {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut cells = 0;
    for (row, record) in reader.records().enumerate() {
        let record = record.unwrap_or_else(|e| panic!("{what}: row {row}: {e}"));
        for cell in record.iter() {
            cells += 1;
            let number = cell.trim_start_matches(['-', '+']).parse::<f64>().is_ok();
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']) || number,
                "{what}: row {row}: {cell:?} would run as a formula"
            );
        }
    }
    cells
}

fn stdout_of(db: &Path, args: &[&str]) -> Vec<u8> {
    let output = bin(db).args(args).output().expect("runs");
    assert!(output.status.success(), "{args:?}: {output:?}");
    output.stdout
}

#[test]
fn every_csv_the_program_writes_shows_formulas_as_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, child) = hostile_panel(dir.path());
    let mut outputs: Vec<(String, Vec<u8>)> = Vec::new();
    for args in [
        vec!["actions", "--format", "csv", "--as-at", "2026-10-20"],
        vec!["referrals", "list", "--format", "csv"],
        vec!["agenda", "--meeting", MEETING, "--format", "csv"],
        vec!["papers", "--meeting", MEETING, "--format", "csv"],
        vec!["meetings", "list", "--format", "csv"],
        vec!["audit", "show", "--format", "csv"],
        vec!["returns", "list", "--format", "csv"],
        vec!["cohorts", "--as-at", MEETING, "--format", "csv"],
        vec!["timetable", "--as-at", MEETING, "--format", "csv"],
        vec!["check", "--as-at", MEETING, "--format", "csv"],
        vec!["members", "export"],
    ] {
        outputs.push((args.join(" "), stdout_of(&db, &args)));
    }
    let actions_file = dir.path().join("actions.csv");
    bin(&db)
        .args(["actions", "--format", "csv", "--out"])
        .arg(&actions_file)
        .assert()
        .success();
    let subject = dir.path().join("sar");
    bin(&db)
        .args(["export-child", &child, "--out"])
        .arg(&subject)
        .assert()
        .success();
    let invites = dir.path().join("invites");
    bin(&db)
        .args(["invites", "--meeting", MEETING, "--out"])
        .arg(&invites)
        .assert()
        .success();
    for folder in [&subject, &invites] {
        for entry in std::fs::read_dir(folder).expect("folder") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "csv") {
                outputs.push((
                    path.display().to_string(),
                    std::fs::read(&path).expect("read"),
                ));
            }
        }
    }
    outputs.push((
        "actions --out".to_owned(),
        std::fs::read(&actions_file).expect("read"),
    ));
    for (what, bytes) in &outputs {
        assert!(assert_no_formula(what, bytes) > 0, "{what}: wrote nothing");
    }
    // The texts are there, guarded, not dropped.
    let actions = String::from_utf8_lossy(&outputs[0].1).into_owned();
    for text in FORMULAS {
        let guarded = format!("'{text}");
        assert!(
            actions.contains(&guarded.replace('"', "\"\"")),
            "actions CSV holds {guarded:?}"
        );
    }
}

/// No CSV writer bypasses the one that neutralises cells: the only
/// `csv::Writer` in the program is inside `safe_csv.rs`, apart from the
/// synthetic return writer (`generate`), whose values come from a seed and
/// are read back by the importer exactly.
#[test]
fn no_csv_writer_bypasses_the_safe_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    let mut stack = vec![root.join("src"), root.join("crates")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source");
                let allowed =
                    path.ends_with("export/safe_csv.rs") || path.ends_with("synth/csv_out.rs");
                if !allowed && (text.contains("csv::Writer") || text.contains("csv::WriterBuilder"))
                {
                    found.push(path.display().to_string());
                }
            }
        }
    }
    assert!(found.is_empty(), "CSV written without SafeCsv in {found:?}");
}

#[test]
fn a_terminal_table_and_markdown_minutes_show_control_characters() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, _) = hostile_panel(dir.path());
    let mut store = Store::open(&db).expect("open");
    let meeting = store.meetings().expect("meetings")[0].id;
    let child = store.child_records().expect("children")[1].child.id.clone();
    let escape = "\u{1b}]0;retitled\u{7}\u{1b}[2J cleared";
    store
        .add_action(
            &NewAction {
                meeting,
                child: child.clone(),
                text: escape.to_owned(),
                owner: escape.to_owned(),
                deadline: day("2026-11-01"),
            },
            day(MEETING).and_hms_opt(9, 0, 0).expect("time"),
        )
        .expect("action");
    drop(store);
    bin(&db)
        .args([
            "agenda",
            "--meeting",
            MEETING,
            "--add",
            &child,
            "--reason",
            escape,
        ])
        .assert()
        .success();
    let table = stdout_of(
        &db,
        &["actions", "--format", "table", "--as-at", "2026-10-20"],
    );
    let minutes = stdout_of(&db, &["minutes", "--meeting", MEETING, "--format", "md"]);
    for (what, bytes) in [("actions table", &table), ("Markdown minutes", &minutes)] {
        let text = String::from_utf8(bytes.clone()).expect("UTF-8");
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{what} passes a control character on"
        );
        assert!(
            text.contains('␛') && text.contains("retitled␇"),
            "{what} shows the escape: {text}"
        );
    }
}

#[cfg(unix)]
#[test]
fn exports_are_owner_only_and_never_follow_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, child) = hostile_panel(dir.path());
    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;

    let subject = dir.path().join("sar");
    bin(&db)
        .args(["export-child", &child, "--out"])
        .arg(&subject)
        .assert()
        .success();
    assert_eq!(mode(&subject), 0o700, "subject access folder");
    for entry in std::fs::read_dir(&subject).expect("folder") {
        let path = entry.expect("entry").path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
    let xlsx = dir.path().join("actions.xlsx");
    std::fs::write(&xlsx, "old, readable by all").expect("write");
    std::fs::set_permissions(&xlsx, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    bin(&db)
        .args(["actions", "--format", "xlsx", "--out"])
        .arg(&xlsx)
        .assert()
        .success();
    assert_eq!(mode(&xlsx), 0o600, "an overwritten export is narrowed");

    // A dangling link where the export goes: refused, nothing created.
    let target = dir.path().join("elsewhere.md");
    let link = dir.path().join("minutes.md");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let output = bin(&db)
        .args(["minutes", "--meeting", MEETING, "--format", "md", "--out"])
        .arg(&link)
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("symbolic link") && message.contains("minutes.md"),
        "{message}"
    );
    assert!(!target.exists(), "nothing written through the link");
}
