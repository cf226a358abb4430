//! Issue 15's "Done when", tried as a new user would through the binary:
//! a generated whole history cut into annual returns plus an in-year
//! extract, imported in one command, one by one newest first, and with a
//! middle year imported again, gives the same cohorts (both presets) and
//! timetable as the whole history itself.

mod common;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use common::cli::{bin, csv_rows};
use common::returns::write_all_returns;
use permanence_panel::synth::{SynthConfig, generate};

const CHILDREN: usize = 400;
const SEED: u64 = 15;
const AS_AT: &str = "2026-11-27";

fn as_at() -> NaiveDate {
    NaiveDate::parse_from_str(AS_AT, "%Y-%m-%d").unwrap()
}

/// The whole history as `generate` writes it, its plans, and the same
/// history cut into one folder per collection year.
fn data(dir: &Path) -> (PathBuf, Vec<PathBuf>) {
    let full = dir.join("full");
    assert_cmd::Command::cargo_bin("permanence-panel")
        .unwrap()
        .env_remove("PERMANENCE_PANEL_DB")
        .args(["generate", "--children", &CHILDREN.to_string()])
        .args(["--seed", &SEED.to_string(), "--as-at", AS_AT, "--out"])
        .arg(&full)
        .assert()
        .success();
    let records = generate(&SynthConfig {
        children: CHILDREN,
        seed: SEED,
        as_at: as_at(),
    });
    let returns = write_all_returns(&dir.join("returns"), &records, as_at());
    (full, returns)
}

fn panel(dir: &Path, name: &str) -> PathBuf {
    let db = dir.join(name);
    bin(&db)
        .args(["init", "--terms", "wiltshire"])
        .assert()
        .success();
    db
}

fn import(db: &Path, paths: &[PathBuf]) -> String {
    let out = bin(db)
        .args(["import", "903"])
        .args(paths)
        .assert()
        .success();
    String::from_utf8_lossy(&out.get_output().stdout).into_owned()
}

fn plans(db: &Path, full: &Path) {
    bin(db)
        .args(["import", "plans"])
        .arg(full.join("plans.csv"))
        .assert()
        .success();
}

/// `cohorts` for both presets and `timetable`, as CSV rows.
fn answers(db: &Path) -> Vec<Vec<Vec<String>>> {
    let run = |args: &[&str]| {
        let out = bin(db)
            .args(args)
            .args(["--as-at", AS_AT, "--format", "csv"])
            .assert()
            .success();
        csv_rows(&out.get_output().stdout)
    };
    vec![
        run(&["cohorts", "--terms", "telford"]),
        run(&["cohorts", "--terms", "wiltshire"]),
        run(&["timetable"]),
    ]
}

#[test]
fn annual_returns_give_the_whole_historys_answers_however_they_are_imported() {
    let dir = tempfile::tempdir().unwrap();
    let (full, returns) = data(dir.path());
    assert!(returns.len() >= 8, "{} years", returns.len());

    let whole = panel(dir.path(), "whole.db");
    import(
        &whole,
        &[
            "header.csv",
            "episodes.csv",
            "reviews.csv",
            "placed_for_adoption.csv",
        ]
        .map(|f| full.join(f)),
    );
    plans(&whole, &full);
    let expected = answers(&whole);
    assert!(
        expected.iter().all(|rows| rows.len() > 20),
        "too few rows to compare: {:?}",
        expected.iter().map(Vec::len).collect::<Vec<_>>()
    );

    // Every year and the in-year extract in one command.
    let at_once = panel(dir.path(), "at-once.db");
    let summary = import(&at_once, &returns);
    assert!(summary.contains("Return 2026-27"), "{summary}");
    assert!(summary.contains("from the name '2025-26'"), "{summary}");
    plans(&at_once, &full);
    assert_eq!(answers(&at_once), expected, "imported in one command");

    // One by one, newest first, then a middle year again.
    let one_by_one = panel(dir.path(), "one-by-one.db");
    for r in returns.iter().rev() {
        import(&one_by_one, std::slice::from_ref(r));
    }
    plans(&one_by_one, &full);
    assert_eq!(answers(&one_by_one), expected, "imported newest first");
    let middle = &returns[returns.len() / 2];
    import(&one_by_one, std::slice::from_ref(middle));
    assert_eq!(
        answers(&one_by_one),
        expected,
        "a middle year imported again"
    );

    // `returns list` has one row per year; removing one changes the answers
    // and importing it again restores them.
    let list = bin(&one_by_one)
        .args(["returns", "list", "--format", "csv"])
        .assert()
        .success();
    let rows = csv_rows(&list.get_output().stdout);
    assert_eq!(rows.len(), returns.len());
    assert_eq!(rows.last().unwrap()[0], "2026-27");
    bin(&one_by_one)
        .args(["returns", "remove", "--year", "2025-26"])
        .assert()
        .success();
    assert_ne!(answers(&one_by_one), expected, "a year removed");
    import(&one_by_one, &[returns[returns.len() - 2].clone()]);
    assert_eq!(answers(&one_by_one), expected, "the year imported back");
}

#[test]
fn a_year_is_taken_from_the_option_the_name_or_the_data_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let (full, _) = data(dir.path());
    let db = panel(dir.path(), "panel.db");
    let files = [
        "header.csv",
        "episodes.csv",
        "reviews.csv",
        "placed_for_adoption.csv",
    ]
    .map(|f| full.join(f));
    let out = import(&db, &files);
    assert!(
        out.contains("Return 2026-27 (the files given, from its latest date, "),
        "{out}"
    );
    let out = bin(&db)
        .args(["import", "903", "--year", "2024_25"])
        .args(&files)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout);
    assert!(
        text.contains("Return 2024-25 (the files given, given with --year)"),
        "{text}"
    );
    // --year with two folders is refused and changes nothing.
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    for folder in [&a, &b] {
        std::fs::create_dir_all(folder).unwrap();
        for f in &files {
            std::fs::copy(f, folder.join(f.file_name().unwrap())).unwrap();
        }
    }
    bin(&db)
        .args(["import", "903", "--year", "2024-25"])
        .arg(&a)
        .arg(&b)
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "expected a single return with --year",
        ));
    let list = bin(&db)
        .args(["returns", "list", "--format", "csv"])
        .assert()
        .success();
    let years: Vec<String> = csv_rows(&list.get_output().stdout)
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(years, ["2024-25", "2026-27"]);
    // Two folders of one year in one import are refused.
    bin(&db)
        .args(["import", "903"])
        .arg(&a)
        .arg(&b)
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "expected one return per collection year",
        ));
}
