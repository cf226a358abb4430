//! The command-line contract of issue #5 through the real binary: `generate`,
//! `import 903`, `import plans`, `cohorts`, `timetable` and `check`. Scripts
//! outside the project rely on these columns and orders.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::NaiveDate;
use permanence_panel::rules::calendar::Calendar;
use permanence_panel::rules::cohorts::{self, PanelRoutes};
use permanence_panel::rules::timetable;
use permanence_panel::store::Store;
use permanence_panel::synth::{self, SynthConfig};
use permanence_panel::terms::Terms;
use predicates::prelude::*;

const SEED: u64 = 7;
const CHILDREN: usize = 300;

fn as_at() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("date")
}

fn bin() -> Command {
    let mut cmd = Command::cargo_bin("permanence-panel").expect("binary builds");
    cmd.env_remove("PERMANENCE_PANEL_DB");
    cmd
}

fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.assert().success();
    String::from_utf8(out.get_output().stdout.clone()).expect("UTF-8 output")
}

/// Generates the synthetic return and imports it into a new database.
fn imported(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    bin()
        .args([
            "generate",
            "--children",
            &CHILDREN.to_string(),
            "--seed",
            &SEED.to_string(),
        ])
        .args(["--as-at", "2026-11-27", "--out"])
        .arg(&data)
        .assert()
        .success();
    let db = dir.join("panel.db");
    bin()
        .arg("--db")
        .arg(&db)
        .args(["import", "903"])
        .arg(data.join("episodes.csv")) // any order: the table comes from the header row
        .arg(data.join("header.csv"))
        .arg(data.join("reviews.csv"))
        .arg(data.join("placed_for_adoption.csv"))
        .assert()
        .success();
    bin()
        .arg("--db")
        .arg(&db)
        .args(["import", "plans"])
        .arg(data.join("plans.csv"))
        .assert()
        .success();
    db
}

fn config() -> SynthConfig {
    SynthConfig {
        children: CHILDREN,
        seed: SEED,
        as_at: as_at(),
    }
}

fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("a CSV row").iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

#[test]
fn cohorts_csv_is_the_contract_and_matches_the_rules_over_the_generated_children() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = imported(dir.path());
    let records = synth::generate(&config());
    for preset in ["telford", "wiltshire"] {
        let text = stdout_of(bin().arg("--db").arg(&db).args([
            "cohorts",
            "--terms",
            preset,
            "--as-at",
            "2026-11-27",
            "--format",
            "csv",
        ]));
        let (header, rows) = csv_rows(&text);
        assert_eq!(header, ["child_id", "cohort", "since", "reason"]);

        // What the rules say over the very records the generator made: the
        // import kept every fact the rules read.
        let terms = Terms::load(preset).expect("preset");
        let mut expected = Vec::new();
        for r in &records {
            expected.extend(cohorts::memberships(
                r,
                &terms,
                as_at(),
                &PanelRoutes::default(),
            ));
        }
        cohorts::sort_for_contract(&mut expected, &terms);
        let expected: Vec<Vec<String>> = expected
            .into_iter()
            .map(|m| {
                vec![
                    m.child,
                    m.cohort.id().to_owned(),
                    m.since.format("%Y-%m-%d").to_string(),
                    m.reason,
                ]
            })
            .collect();
        assert!(!expected.is_empty(), "{preset}: nobody in any cohort");
        assert_eq!(rows, expected, "{preset}");

        // The order is cohort priority, then since, then child id.
        let priority = |id: &str| {
            terms
                .cohorts
                .iter()
                .position(|c| c.id() == id)
                .expect("known cohort")
        };
        let keys: Vec<(usize, String, String)> = rows
            .iter()
            .map(|r| (priority(&r[1]), r[2].clone(), r[0].clone()))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{preset}: rows out of contract order");
    }
}

#[test]
fn timetable_csv_is_the_contract_and_matches_the_rules() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = imported(dir.path());
    let records = synth::generate(&config());
    let calendar = Calendar::england_and_wales();
    for as_at in ["2026-11-27", "2026-06-30", "2025-12-31"] {
        let d: NaiveDate = as_at.parse().expect("date");
        let text = stdout_of(bin().arg("--db").arg(&db).args([
            "timetable",
            "--as-at",
            as_at,
            "--format",
            "csv",
        ]));
        let (header, rows) = csv_rows(&text);
        assert_eq!(
            header,
            [
                "child_id",
                "period_start",
                "reviews_held",
                "last_review",
                "next_due",
                "overdue"
            ]
        );
        let mut expected: Vec<Vec<String>> = records
            .iter()
            .filter_map(|r| timetable::timetable(r, d, &calendar))
            .map(|t| {
                vec![
                    t.child,
                    t.period_start.format("%Y-%m-%d").to_string(),
                    t.reviews_held.to_string(),
                    t.last_review
                        .map(|x| x.format("%Y-%m-%d").to_string())
                        .unwrap_or_default(),
                    t.next_due.format("%Y-%m-%d").to_string(),
                    t.overdue.to_string(),
                ]
            })
            .collect();
        let mut rows = rows;
        rows.sort();
        expected.sort();
        assert!(
            expected.len() > CHILDREN / 2,
            "{as_at}: only {} looked after",
            expected.len()
        );
        assert_eq!(rows, expected, "{as_at}");
        assert!(rows.iter().all(|r| r[5] == "true" || r[5] == "false"));
    }
}

#[test]
fn a_rejected_import_names_file_line_column_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = imported(dir.path());
    let before = dump(&db);
    let header = dir.path().join("header.csv");
    std::fs::write(
        &header,
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nX1,1,31/02/2015,WBRI,,,\n",
    )
    .expect("write");
    let episodes = dir.path().join("episodes.csv");
    std::fs::write(
        &episodes,
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
         X1,01/01/2024,S,C9,N1,U6,PR1,,,,,,\n",
    )
    .expect("write");
    let out = bin()
        .arg("--db")
        .arg(&db)
        .args(["import", "903"])
        .arg(&header)
        .arg(&episodes)
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "header.csv:2:DOB: found '31/02/2015', expected",
        ))
        .stderr(predicate::str::contains(
            "episodes.csv:2:LS: found 'C9', expected",
        ))
        .stderr(predicate::str::contains(
            "Nothing was imported; the database is unchanged.",
        ));
    assert_ne!(out.get_output().status.code(), Some(0));
    assert_eq!(dump(&db), before, "a rejected import changed the database");
}

#[test]
fn check_lists_problems_of_meaning_with_the_rule() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("panel.db");
    let header = dir.path().join("h.csv");
    // Two overlapping open episodes: a valid return, a problem of meaning.
    std::fs::write(
        &header,
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nW1,2,01/03/2015,WBRI,UN1,,\n",
    )
    .expect("write");
    let episodes = dir.path().join("e.csv");
    std::fs::write(
        &episodes,
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
         W1,01/01/2024,S,C2,N1,U6,PR1,,,,,,\n\
         W1,01/06/2024,P,C2,N1,U4,PR1,,,,,,\n",
    )
    .expect("write");
    bin()
        .arg("--db")
        .arg(&db)
        .args(["import", "903"])
        .arg(&header)
        .arg(&episodes)
        .assert()
        .success();
    let text = stdout_of(bin().arg("--db").arg(&db).args([
        "check",
        "--as-at",
        "2026-11-27",
        "--format",
        "csv",
    ]));
    let (header, rows) = csv_rows(&text);
    assert_eq!(header, ["child_id", "what", "rule"]);
    assert!(
        rows.iter().any(|r| r[0] == "W1"
            && r[2] == "open-episodes-overlap"
            && r[1].contains("2 episodes are open")),
        "{text}"
    );
    // The overlapping child is not looked after until it is fixed.
    let cohorts = stdout_of(bin().arg("--db").arg(&db).args([
        "timetable",
        "--as-at",
        "2026-11-27",
        "--format",
        "csv",
    ]));
    assert_eq!(csv_rows(&cohorts).1.len(), 0, "{cohorts}");
}

#[test]
fn generate_is_deterministic_for_a_seed() {
    let dir = tempfile::tempdir().expect("tempdir");
    for out in ["a", "b", "c"] {
        let seed = if out == "c" { "2" } else { "1" };
        bin()
            .args([
                "generate",
                "--children",
                "50",
                "--seed",
                seed,
                "--as-at",
                "2026-11-27",
                "--out",
            ])
            .arg(dir.path().join(out))
            .assert()
            .success();
    }
    for file in [
        "header.csv",
        "episodes.csv",
        "reviews.csv",
        "placed_for_adoption.csv",
        "plans.csv",
    ] {
        let a = std::fs::read(dir.path().join("a").join(file)).expect("written");
        let b = std::fs::read(dir.path().join("b").join(file)).expect("written");
        assert_eq!(a, b, "{file} differs for the same seed");
    }
    let a = std::fs::read(dir.path().join("a/episodes.csv")).expect("written");
    let c = std::fs::read(dir.path().join("c/episodes.csv")).expect("written");
    assert_ne!(a, c, "two seeds gave the same episodes");
}

/// Every row of every table, as text, for comparing a database before and after.
fn dump(db: &Path) -> Vec<String> {
    let store = Store::open_read_only(db).expect("open");
    let mut lines: Vec<String> = store
        .child_records()
        .expect("records")
        .into_iter()
        .map(|r| format!("{r:?}"))
        .collect();
    lines.extend(
        store
            .imports()
            .expect("imports")
            .into_iter()
            .map(|i| format!("{i:?}")),
    );
    lines
}
