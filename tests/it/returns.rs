//! Issue 15's "Done when", tried as a new user would through the binary:
//! a generated whole history cut into annual returns plus an in-year
//! extract, imported in one command, one by one newest first, and with a
//! middle year imported again, gives the same cohorts (both presets) and
//! timetable as the whole history itself.

use std::path::{Path, PathBuf};

use crate::common::cli::{bin, csv_rows, init, return_tables};
use crate::common::returns::write_all_returns;
use chrono::NaiveDate;
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

pub(crate) fn panel(dir: &Path, name: &str) -> PathBuf {
    let db = dir.join(name);
    init(&db, "wiltshire");
    db
}

/// A folder `2026-27` in `dir` holding a copy of the four tables in `full`.
fn return_folder(dir: &Path, full: &Path) -> PathBuf {
    let folder = dir.join("2026-27");
    std::fs::create_dir_all(&folder).unwrap();
    for table in return_tables(full) {
        let name = table.file_name().expect("a file name");
        std::fs::copy(&table, folder.join(name)).unwrap();
    }
    folder
}

pub(crate) fn import(db: &Path, paths: &[PathBuf]) -> String {
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
pub(crate) fn answers(db: &Path) -> Vec<Vec<Vec<String>>> {
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
    import(&whole, &return_tables(&full));
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
    let files = return_tables(&full);
    let out = import(&db, &files);
    assert!(
        out.contains("Return 2026-27, (files given), year from its latest date, "),
        "{out}"
    );
    let out = bin(&db)
        .args(["import", "903", "--year", "2024_25"])
        .args(&files)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout);
    assert!(
        text.contains("Return 2024-25, (files given), year given with --year:"),
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

/// Rewrites one cell of a CSV file: the `column` of the first row whose
/// CHILD is `child` (or of the `nth` row when `child` is empty).
pub(crate) fn set_cell(file: &Path, child: &str, nth: usize, column: &str, value: &str) {
    let mut reader = csv::Reader::from_path(file).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = headers.iter().position(|h| h == column).unwrap();
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let i = if child.is_empty() {
        nth
    } else {
        rows.iter().position(|r| r[0] == child).unwrap()
    };
    rows[i][col] = value.to_owned();
    let mut w = csv::Writer::from_path(file).unwrap();
    w.write_record(&headers).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
}

fn ids_in(rows: &[Vec<String>]) -> Vec<String> {
    rows.iter().map(|r| r[0].clone()).collect()
}

#[test]
fn a_return_with_five_errors_holds_two_children_back_and_warns_three_times() {
    let dir = tempfile::tempdir().unwrap();
    let (full, _) = data(dir.path());
    let folder = return_folder(dir.path(), &full);
    // Two children with an open episode, looked after at the date.
    let episodes = csv_rows(&std::fs::read(folder.join("episodes.csv")).unwrap());
    let mut looked_after: Vec<String> = episodes
        .iter()
        .filter(|e| e[7].is_empty())
        .map(|e| e[0].clone())
        .collect();
    looked_after.dedup();
    let (a, b) = (looked_after[0].clone(), looked_after[1].clone());
    // Two bad values in fields the rules need ...
    set_cell(&folder.join("header.csv"), &a, 0, "DOB", "31/02/2015");
    set_cell(&folder.join("episodes.csv"), &b, 0, "LS", "C9");
    // ... and three elsewhere.
    set_cell(
        &folder.join("header.csv"),
        &looked_after[2],
        0,
        "ETHNIC",
        "XXXX",
    );
    set_cell(
        &folder.join("episodes.csv"),
        &looked_after[3],
        0,
        "REASON_PLACE_CHANGE",
        "MOVED",
    );
    set_cell(
        &folder.join("header.csv"),
        &looked_after[4],
        0,
        "MOTHER",
        "2",
    );

    // --strict refuses it and changes nothing.
    let db = panel(dir.path(), "panel.db");
    let before = bytes_but_change_counters(&db);
    let refused = bin(&db)
        .args(["import", "903", "--strict"])
        .arg(&folder)
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert_eq!(
        stderr.lines().filter(|l| l.contains(": found '")).count(),
        5,
        "{stderr}"
    );
    assert!(stderr.contains("Nothing was imported; the database is unchanged."));
    assert_eq!(
        bytes_but_change_counters(&db),
        before,
        "--strict changed the database"
    );

    // A dry run says what the import would do and writes nothing.
    let before = std::fs::read(&db).unwrap();
    let dry = bin(&db)
        .args(["import", "903", "--dry-run"])
        .arg(&folder)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&dry.get_output().stdout).into_owned();
    assert!(
        text.starts_with("Dry run: nothing was written.\n"),
        "{text}"
    );
    assert!(
        text.contains("2 children held back by data problems"),
        "{text}"
    );
    assert!(!text.contains("History:"), "{text}");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "a dry run changed the database"
    );

    // Lenient by default: imported, two children held back and named,
    // three warnings.
    let out = import(&db, std::slice::from_ref(&folder));
    assert!(
        out.contains("2 children held back by data problems"),
        "{out}"
    );
    assert!(
        out.contains(&format!("  {a}: ")) && out.contains("DOB: found '31/02/2015'"),
        "{out}"
    );
    assert!(
        out.contains(&format!("  {b}: ")) && out.contains("LS: found 'C9'"),
        "{out}"
    );
    assert!(
        out.contains("3 warnings by column (values kept as written, repeated rows read once): ETHNIC 1, MOTHER 1, REASON_PLACE_CHANGE 1"),
        "{out}"
    );
    // In no cohort and no timetable row; the others are.
    let run = |args: &[&str]| {
        let o = bin(&db)
            .args(args)
            .args(["--as-at", AS_AT, "--format", "csv"])
            .assert()
            .success();
        csv_rows(&o.get_output().stdout)
    };
    let timetable = ids_in(&run(&["timetable"]));
    assert!(!timetable.contains(&a) && !timetable.contains(&b));
    assert!(timetable.contains(&looked_after[2]) && timetable.contains(&looked_after[3]));
    let cohorts = ids_in(&run(&["cohorts", "--terms", "telford"]));
    assert!(!cohorts.contains(&a) && !cohorts.contains(&b));
    // `check` names them with every problem; `--warnings` lists the rest.
    let check = run(&["check"]);
    let held: Vec<_> = check.iter().filter(|r| r[2] == "held-back").collect();
    assert_eq!(held.len(), 2, "{check:?}");
    let warnings = run(&["check", "--warnings"]);
    assert_eq!(
        warnings.iter().filter(|r| r[2] == "return-warning").count(),
        3
    );
    // The children held back come first, before every other line (here
    // the warnings, found between their problems in the files).
    assert!(
        warnings[..2].iter().all(|r| r[2] == "held-back"),
        "{warnings:?}"
    );
    // A later import that fixes them brings them back.
    std::fs::copy(full.join("header.csv"), folder.join("header.csv")).unwrap();
    std::fs::copy(full.join("episodes.csv"), folder.join("episodes.csv")).unwrap();
    let out = import(&db, std::slice::from_ref(&folder));
    assert!(!out.contains("held back"), "{out}");
    assert!(ids_in(&run(&["timetable"])).contains(&a));
}

/// A council's export folder opened in Windows Explorer, with a workbook
/// open in Excel, or copied out of Windows, holds files nobody put there:
/// the folder imports as it would without them. Named on the command
/// line, such a file is read, and refused as no table.
#[test]
fn the_files_windows_and_office_leave_in_a_folder_are_passed_over() {
    let dir = tempfile::tempdir().unwrap();
    let (full, _) = data(dir.path());
    let clean = return_folder(dir.path(), &full);
    let clean_db = panel(dir.path(), "clean.db");
    let clean_out = import(&clean_db, std::slice::from_ref(&clean));

    let folder = dir.path().join("export").join("2026-27");
    std::fs::create_dir_all(&folder).unwrap();
    for table in return_tables(&clean) {
        std::fs::copy(&table, folder.join(table.file_name().unwrap())).unwrap();
    }
    let left = [
        (
            "desktop.ini",
            b"[.ShellClassInfo]\r\nIconResource=imageres.dll,-3\r\n".to_vec(),
        ),
        (
            "Thumbs.db",
            vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0xFF],
        ),
        (
            "~$header.xlsx",
            vec![0x0B, b'a', b'd', b'm', b'i', b'n', 0, 0],
        ),
        (
            "header.csv:Zone.Identifier",
            b"[ZoneTransfer]\r\nZoneId=3\r\n".to_vec(),
        ),
        (".DS_Store", vec![0, 0, 0, 1, b'B', b'u', b'd', b'1']),
    ];
    for (name, bytes) in &left {
        std::fs::write(folder.join(name), bytes).unwrap();
    }
    let db = panel(dir.path(), "panel.db");
    let out = import(&db, std::slice::from_ref(&folder));
    let rows = |summary: &str| {
        summary
            .lines()
            .find(|l| l.starts_with("Return 2026-27"))
            .and_then(|l| l.split_once(": "))
            .map(|(_, rows)| rows.to_owned())
    };
    assert!(rows(&out).is_some(), "{out}");
    assert_eq!(rows(&out), rows(&clean_out), "{out}");
    assert_eq!(answers(&db), answers(&clean_db));

    let other = panel(dir.path(), "other.db");
    let mut named = return_tables(&folder).to_vec();
    named.push(folder.join("Thumbs.db"));
    let refused = bin(&other)
        .args(["import", "903"])
        .args(&named)
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(
        stderr.contains("Thumbs.db:1:(header)") && stderr.contains("Nothing was imported"),
        "{stderr}"
    );
}

#[test]
fn a_folder_with_every_table_imports_and_an_unknown_table_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (full, _) = data(dir.path());
    let folder = return_folder(dir.path(), &full);
    let header = csv_rows(&std::fs::read(folder.join("header.csv")).unwrap());
    let (c, dob) = (header[0][0].clone(), header[0][2].clone());
    let others = [
        (
            "uasc.csv",
            "CHILD,SEX,DOB,DUC",
            format!("{c},1,{dob},01/01/2027"),
        ),
        (
            "oc2.csv",
            "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED",
            format!("{c},{dob},12,,0,1,1,1,1,0,,"),
        ),
        (
            "oc3.csv",
            "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM",
            format!("{c},{dob},YES,F2,S"),
        ),
        (
            "ad1.csv",
            "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR",
            format!("{c},{dob},01/02/2026,01/05/2026,0,1,M1,L0"),
        ),
        (
            "prev_perm.csv",
            "CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM",
            format!("{c},{dob},Z1,,"),
        ),
        (
            "missing.csv",
            "CHILD,DOB,MISSING,MIS_START,MIS_END",
            format!("{c},{dob},M,01/06/2026,03/06/2026\n{c},{dob},A,01/08/2026,"),
        ),
        (
            "sw_episodes.csv",
            "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON",
            format!("{c},{dob},SW123,01/04/2026,,"),
        ),
        (
            "dolo.csv",
            "CHILD,DOB,DOLO_START,DOLO_END",
            format!("{c},{dob},01/05/2026,"),
        ),
    ];
    for (name, head, rows) in &others {
        std::fs::write(folder.join(name), format!("{head}\n{rows}\n")).unwrap();
    }
    let db = panel(dir.path(), "panel.db");
    let out = import(&db, std::slice::from_ref(&folder));
    for table in ["UASC 1", "AD1 1", "PrevPerm 1", "Missing 2", "SWEpisodes 1"] {
        assert!(out.contains(table), "{table}: {out}");
    }
    assert!(
        out.contains("Recognised and left out (nothing a panel reads): OC2, OC3, DoLo\n"),
        "{out}"
    );
    let store = permanence_panel::store::Store::open(&db).unwrap();
    let extras = store.child_extras(&c).unwrap();
    let tables: Vec<&str> = extras.iter().map(|x| x.table.as_str()).collect();
    assert_eq!(
        tables,
        [
            "AD1",
            "Missing",
            "Missing",
            "PrevPerm",
            "SWEpisodes",
            "UASC"
        ]
    );
    assert_eq!(extras[0].fields[2], "01/02/2026");
    drop(store);

    // A table that is none of the return's is refused, naming the known ones.
    std::fs::write(folder.join("scores.csv"), "CHILD,DOB,FOO\nX,01/01/2015,1\n").unwrap();
    bin(&db)
        .args(["import", "903"])
        .arg(&folder)
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "expected the header row of one of the return's tables (Header, Episodes, Reviews, PlacedAdoption, UASC, OC2, OC3, AD1, PrevPerm, Missing, SWEpisodes, DoLo)",
        ));
}

#[test]
fn with_seven_years_and_the_in_year_extract_only_children_begun_before_are_lower_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let (full, returns) = data(dir.path());
    let last_eight = &returns[returns.len() - 8..];
    assert!(last_eight[0].ends_with("2019-20"), "{:?}", last_eight[0]);

    let whole = panel(dir.path(), "whole.db");
    import(&whole, &return_tables(&full));
    plans(&whole, &full);
    let db = panel(dir.path(), "eight.db");
    import(&db, last_eight);
    plans(&db, &full);

    // `check` names each child whose period may have begun before 2019-20.
    let out = bin(&db)
        .args(["check", "--as-at", AS_AT, "--format", "csv"])
        .assert()
        .success();
    let before: Vec<String> = csv_rows(&out.get_output().stdout)
        .into_iter()
        .filter(|r| r[2] == "before-earliest-return")
        .map(|r| r[0].clone())
        .collect();
    assert!(!before.is_empty(), "no child began care before 2019-20");

    let expected = answers(&whole);
    let got = answers(&db);
    let others = |rows: &Vec<Vec<String>>| -> Vec<Vec<String>> {
        rows.iter()
            .filter(|r| !before.contains(&r[0]))
            .cloned()
            .collect()
    };
    for (e, g) in expected.iter().zip(&got) {
        assert_eq!(others(g), others(e));
        assert!(others(e).len() > 10);
    }
    // Their sentences say the returns cannot vouch for the start.
    for row in got[0]
        .iter()
        .chain(&got[1])
        .filter(|r| before.contains(&r[0]))
    {
        assert!(
            row[3].contains("in care since at least")
                && row[3].contains("(the returns held begin 01/04/2019)"),
            "{row:?}"
        );
    }
}

#[test]
fn import_plans_says_how_many_rows_matched_and_names_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let (full, _) = data(dir.path());
    let db = panel(dir.path(), "panel.db");
    import(&db, &return_tables(&full));
    let header = csv_rows(&std::fs::read(full.join("header.csv")).unwrap());
    let known = &header[0][0];
    let plans = dir.path().join("plans.csv");
    std::fs::write(
        &plans,
        format!(
            "CHILD,PLAN,PLAN_AGREED,MATCH_AGREED,NO_PR,POTENTIAL_SGO,ACHIEVED\n\
             {known},adoption,01/02/2026,,,,\n\
             {known}_LA,sgo,01/03/2026,,,,\n"
        ),
    )
    .unwrap();
    // A dry run says what would happen and writes nothing.
    let before = std::fs::read(&db).unwrap();
    let out = bin(&db)
        .args(["import", "plans", "--dry-run"])
        .arg(&plans)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.starts_with("Dry run: nothing was written.\n1 of 2 rows matched"),
        "{text}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
    let out = bin(&db)
        .args(["import", "plans"])
        .arg(&plans)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains(&format!(
            "1 match no child (kept; they apply when the child appears): {known}_LA"
        )),
        "{text}"
    );
}

/// `generate --returns 2019-20..2025-26 --in-year-to AS_AT` with `more`
/// options, in `dir/gen`: that folder.
fn generate_returns(dir: &Path, children: usize, seed: u64, more: &[&str]) -> PathBuf {
    let generated = dir.join("gen");
    assert_cmd::Command::cargo_bin("permanence-panel")
        .unwrap()
        .env_remove("PERMANENCE_PANEL_DB")
        .args(["generate", "--children", &children.to_string()])
        .args(["--seed", &seed.to_string(), "--out"])
        .arg(&generated)
        .args(["--returns", "2019-20..2025-26", "--in-year-to", AS_AT])
        .args(more)
        .assert()
        .success();
    generated
}

/// `generate --returns 2019-20..2025-26` with the in-year extract, in
/// `dir/gen`: the eight folders, oldest first.
pub(crate) fn generated_years(dir: &Path, children: usize, seed: u64) -> Vec<PathBuf> {
    let generated = generate_returns(dir, children, seed, &[]);
    let mut years: Vec<PathBuf> = std::fs::read_dir(&generated)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    years.sort();
    assert_eq!(years.len(), 8);
    years
}

#[test]
fn generated_returns_with_every_table_give_one_answer_however_imported() {
    let dir = tempfile::tempdir().unwrap();
    let years = generated_years(dir.path(), 600, 20);

    let at_once = panel(dir.path(), "at-once.db");
    let out = import(&at_once, &years);
    assert!(!out.contains("held back"), "{out}");
    let expected = answers(&at_once);
    assert!(expected.iter().all(|rows| !rows.is_empty()));

    let one_by_one = panel(dir.path(), "one-by-one.db");
    for y in years.iter().rev() {
        import(&one_by_one, std::slice::from_ref(y));
    }
    assert_eq!(answers(&one_by_one), expected, "newest first");
    import(&one_by_one, std::slice::from_ref(&years[3]));
    assert_eq!(answers(&one_by_one), expected, "a middle year again");
}

/// The monthly import: last month's in-year extract (`generate
/// --in-year-before`), then this month's over it, holds row for row what
/// this month's alone holds; only the children the month changed are
/// merged again.
#[test]
fn this_months_extract_over_last_months_holds_what_this_months_alone_holds() {
    let dir = tempfile::tempdir().unwrap();
    let Months {
        annual,
        last_month,
        this_month,
    } = generated_months(dir.path(), 600, 20);

    let direct = panel(dir.path(), "direct.db");
    import(
        &direct,
        &[annual.clone(), vec![this_month.clone()]].concat(),
    );
    let expected = merged_rows(&direct);

    let monthly = panel(dir.path(), "monthly.db");
    import(&monthly, &[annual, vec![last_month]].concat());
    assert_ne!(merged_rows(&monthly), expected, "last month's differs");
    let out = import(&monthly, std::slice::from_ref(&this_month));
    let (held, changed) = history_counts(&out);
    assert!(0 < changed && changed < held / 2, "{out}");
    assert_eq!(merged_rows(&monthly), expected);
    assert_eq!(answers(&monthly), answers(&direct));
}

/// `generate --returns 2019-20..2025-26` with this month's in-year extract
/// (to `AS_AT`) and last month's (to 27/10/2026).
struct Months {
    annual: Vec<PathBuf>,
    last_month: PathBuf,
    this_month: PathBuf,
}

fn generated_months(dir: &Path, children: usize, seed: u64) -> Months {
    let generated = generate_returns(dir, children, seed, &["--in-year-before", "2026-10-27"]);
    Months {
        annual: (2019..2026)
            .map(|y| generated.join(format!("{y}-{}", (y + 1) % 100)))
            .collect(),
        last_month: generated.join("as-at-2026-10-27").join("2026-27"),
        this_month: generated.join("2026-27"),
    }
}

/// Last month's extract imported over this month's (the folder left in
/// Downloads) is imported, as importing a year again replaces it, and the
/// summary says it runs to an earlier day than the one it replaced; a dry
/// run says so first. This month's over last month's says what it
/// replaces and nothing more.
#[test]
fn last_months_extract_over_this_months_is_said_to_run_to_an_earlier_day() {
    let dir = tempfile::tempdir().unwrap();
    let months = generated_months(dir.path(), 300, 21);
    let db = panel(dir.path(), "panel.db");
    let held_2026 = |db: &Path| {
        let store = permanence_panel::store::Store::open_read_only(db).unwrap();
        let held = store.returns().unwrap().pop().unwrap();
        assert_eq!(held.year.to_string(), "2026-27");
        (
            held.imported_at.format("%d/%m/%Y %H:%M").to_string(),
            permanence_panel::rules::dates::dmy(held.last_date.unwrap()),
        )
    };

    let first = import(&db, std::slice::from_ref(&months.this_month));
    assert!(!first.contains("replace"), "{first}");
    let (imported, later_day) = held_2026(&db);

    let dry = bin(&db)
        .args(["import", "903", "--dry-run"])
        .arg(&months.last_month)
        .assert()
        .success();
    let dry = String::from_utf8_lossy(&dry.get_output().stdout).into_owned();
    assert!(
        dry.contains(&format!(
            "Return 2026-27 (would replace the one imported {imported}, to {later_day})"
        )),
        "{dry}"
    );
    assert!(
        dry.contains(&format!("an earlier day than the one it would replace (to {later_day}): if that was not meant, import the newer files again.")),
        "{dry}"
    );

    let over = import(&db, std::slice::from_ref(&months.last_month));
    let (imported_again, earlier_day) = held_2026(&db);
    assert!(earlier_day != later_day);
    assert!(
        over.contains(&format!(
            "Return 2026-27 runs to {earlier_day}, an earlier day than the one it replaced (to {later_day})"
        )),
        "{over}"
    );

    let back = import(&db, std::slice::from_ref(&months.this_month));
    assert!(
        back.contains(&format!(
            "Return 2026-27 (replaces the one imported {imported_again}, to {earlier_day})"
        )),
        "{back}"
    );
    assert!(!back.contains("earlier day"), "{back}");
}

/// The import summary's "History: N children from the returns held (M
/// changed by this import)": (N, M).
fn history_counts(summary: &str) -> (usize, usize) {
    let line = summary
        .lines()
        .find(|l| l.starts_with("History: "))
        .unwrap_or_else(|| panic!("no History line: {summary}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

#[test]
fn a_file_that_is_not_utf8_is_read_as_windows_1252_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("2024-25");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("header.csv"),
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nW1,2,01/03/2015,WBRI,UN1,,\n",
    )
    .unwrap();
    let mut episodes = b"CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
         W1,01/01/2024,S,C2,N1,U6,PR1,,,,".to_vec();
    episodes.extend_from_slice(b"Caf\xe9 1,,\n");
    std::fs::write(folder.join("episodes.csv"), &episodes).unwrap();
    let db = panel(dir.path(), "panel.db");
    let out = import(&db, std::slice::from_ref(&folder));
    assert!(
        out.contains(
            "1 warning by column (values kept as written, repeated rows read once): (file) 1"
        ),
        "{out}"
    );
    let store = permanence_panel::store::Store::open(&db).unwrap();
    let record = store.child_record("W1").unwrap().unwrap();
    assert_eq!(record.episodes[0].home_post.as_deref(), Some("Café 1"));
    let problems = store.return_problems().unwrap();
    assert!(
        problems[0].problem.ends_with("episodes.csv:0:(file): found 'bytes that are not UTF-8', expected UTF-8 text (read as Windows-1252, what Excel writes; save the file as CSV UTF-8)"),
        "{problems:?}"
    );
    // The file's SHA-256 is of the bytes on disk.
    let sha = store.returns().unwrap()[0]
        .files
        .iter()
        .find(|f| f.file_name.ends_with("episodes.csv"))
        .unwrap()
        .sha256
        .clone();
    use sha2::Digest;
    let expected: String = sha2::Sha256::digest(&episodes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(sha, expected);
}

#[test]
fn a_return_as_one_workbook_with_a_table_per_sheet_imports_like_its_csv_files() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let (full, _) = data(dir.path());
    let mut book = Workbook::new();
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    for (sheet, file) in [
        ("header", "header.csv"),
        ("episodes", "episodes.csv"),
        ("reviews", "reviews.csv"),
        ("placed", "placed_for_adoption.csv"),
    ] {
        let ws = book.add_worksheet();
        ws.set_name(sheet).unwrap();
        let text = std::fs::read_to_string(full.join(file)).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        for (r, record) in reader.records().enumerate() {
            for (c, value) in record.unwrap().iter().enumerate() {
                // Dates as real Excel dates, as a council's workbook has them.
                let date = NaiveDate::parse_from_str(value, "%d/%m/%Y").ok();
                match date {
                    Some(d) if r > 0 => {
                        let when = ExcelDateTime::from_ymd(
                            d.format("%Y").to_string().parse().unwrap(),
                            d.format("%m").to_string().parse().unwrap(),
                            d.format("%d").to_string().parse().unwrap(),
                        )
                        .unwrap();
                        ws.write_datetime_with_format(r as u32, c as u16, &when, &date_format)
                            .unwrap();
                    }
                    _ => {
                        ws.write_string(r as u32, c as u16, value).unwrap();
                    }
                }
            }
        }
    }
    let folder = dir.path().join("2026-27");
    std::fs::create_dir_all(&folder).unwrap();
    book.save(folder.join("return.xlsx")).unwrap();

    let from_csv = panel(dir.path(), "csv.db");
    import(&from_csv, &return_tables(&full));
    let from_xlsx = panel(dir.path(), "xlsx.db");
    let out = import(&from_xlsx, std::slice::from_ref(&folder));
    assert!(out.contains("Return 2026-27"), "{out}");
    assert_eq!(answers(&from_xlsx), answers(&from_csv));
}

#[test]
fn the_xml_returns_other_tables_are_read_too() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("return_2024-25.xml");
    std::fs::write(
        &file,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<EXPSSDA903>
  <CHILD>
    <HEADER>
      <CHILDID>X1</CHILDID>
      <UPN>A123456789012</UPN>
      <SEX>2</SEX>
      <DOB>14/03/2015</DOB>
      <ETHNIC>WBRI</ETHNIC>
      <UASC>1</UASC>
      <DUC>01/02/2025</DUC>
      <DATE_INT>01/05/2024</DATE_INT>
      <DATE_MATCH>01/09/2024</DATE_MATCH>
      <FOSTER_CARE>0</FOSTER_CARE>
      <AMISSING>
        <MISSING>M</MISSING>
        <MIS_START>03/06/2024</MIS_START>
        <MIS_END>05/06/2024</MIS_END>
      </AMISSING>
      <PERMANENCE>
        <PREV_PERM>Z1</PREV_PERM>
      </PERMANENCE>
      <IN_TOUCH>YES</IN_TOUCH>
    </HEADER>
    <EPISODE>
      <DECOM>01/04/2024</DECOM>
      <RNE>S</RNE>
      <LS>C2</LS>
      <CIN>N1</CIN>
      <PL>U6</PL>
      <PLACE_PROVIDER>PR1</PLACE_PROVIDER>
    </EPISODE>
  </CHILD>
  <CHILD>
    <HEADER>
      <CHILDID>X2</CHILDID>
      <SEX>1</SEX>
      <DOB>14/03/2016</DOB>
      <ETHNIC>WBRI</ETHNIC>
      <UPN>UN1</UPN>
      <UASC>0</UASC>
    </HEADER>
    <EPISODE>
      <DECOM>01/04/2024</DECOM>
      <RNE>S</RNE>
      <LS>C2</LS>
      <CIN>N1</CIN>
      <PL>U6</PL>
      <PLACE_PROVIDER>PR1</PLACE_PROVIDER>
    </EPISODE>
  </CHILD>
</EXPSSDA903>
"#,
    )
    .unwrap();
    let db = panel(dir.path(), "panel.db");
    let out = import(&db, std::slice::from_ref(&file));
    assert!(
        out.contains("Return 2024-25, (files given), year from the name"),
        "{out}"
    );
    let store = permanence_panel::store::Store::open(&db).unwrap();
    let tables = |child: &str| -> Vec<(String, Vec<String>)> {
        store
            .child_extras(child)
            .unwrap()
            .into_iter()
            .map(|x| (x.table, x.fields))
            .collect()
    };
    let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        tables("X1"),
        [
            (
                "AD1".to_owned(),
                s(&["X1", "", "01/05/2024", "01/09/2024", "0", "", "", ""])
            ),
            (
                "Missing".to_owned(),
                s(&["X1", "", "M", "03/06/2024", "05/06/2024"])
            ),
            ("PrevPerm".to_owned(), s(&["X1", "", "Z1", "", ""])),
            ("UASC".to_owned(), s(&["X1", "", "", "01/02/2025"])),
        ]
    );
    // A UASC flag of 0 is no UASC row; no DATE_INT, no AD1 row.
    assert!(tables("X2").is_empty());
}

/// A return's CIN and REVIEW_CODE are fields the rules never read
/// (rules.md "Children held back"): a code there that cannot be read is a
/// warning, the child stays in every cohort and the timetable, and the
/// history holds no code for that row.
#[test]
fn a_bad_cin_or_review_code_is_a_warning_and_the_answers_do_not_change() {
    let dir = tempfile::tempdir().unwrap();
    let (full, _) = data(dir.path());
    let clean = return_folder(dir.path(), &full);
    let clean_db = panel(dir.path(), "clean.db");
    import(&clean_db, std::slice::from_ref(&clean));

    let folder = dir.path().join("with-errors").join("2026-27");
    std::fs::create_dir_all(&folder).unwrap();
    for table in return_tables(&clean) {
        std::fs::copy(&table, folder.join(table.file_name().unwrap())).unwrap();
    }
    // A looked-after child's open episode, and another's review.
    let episodes = csv_rows(&std::fs::read(folder.join("episodes.csv")).unwrap());
    let open = episodes.iter().find(|e| e[7].is_empty()).unwrap()[0].clone();
    let reviews = csv_rows(&std::fs::read(folder.join("reviews.csv")).unwrap());
    let reviewed = reviews.iter().find(|r| r[0] != open).unwrap()[0].clone();
    set_cell(&folder.join("episodes.csv"), &open, 0, "CIN", "N0");
    set_cell(
        &folder.join("reviews.csv"),
        &reviewed,
        0,
        "REVIEW_CODE",
        "PN9",
    );

    let db = panel(dir.path(), "panel.db");
    let out = import(&db, std::slice::from_ref(&folder));
    assert!(!out.contains("held back"), "{out}");
    assert!(
        out.contains("2 warnings by column (values kept as written, repeated rows read once): CIN 1, REVIEW_CODE 1"),
        "{out}"
    );
    assert_eq!(answers(&db), answers(&clean_db));
    let check = bin(&db).args(["check", "--warnings"]).assert();
    let check = String::from_utf8_lossy(&check.get_output().stdout).into_owned();
    assert!(
        check.contains(&format!("{open},")) && check.contains("CIN: found 'N0'"),
        "{check}"
    );
    let store = permanence_panel::store::Store::open_read_only(&db).unwrap();
    let record = store.child_record(&open).unwrap().unwrap();
    assert!(
        record.episodes.iter().any(|e| e.cin.is_none()),
        "{record:?}"
    );
    let record = store.child_record(&reviewed).unwrap().unwrap();
    assert!(
        record.reviews.iter().any(|r| r.review_code.is_none()),
        "{record:?}"
    );
}

#[test]
fn two_different_rows_with_one_key_hold_the_child_back() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("2024-25");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("header.csv"),
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nK1,2,01/03/2015,WBRI,UN1,,\nK2,1,01/03/2016,WBRI,UN1,,\nK3,1,01/03/2017,WBRI,UN1,,\n",
    )
    .unwrap();
    std::fs::write(
        folder.join("episodes.csv"),
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
         K1,01/01/2024,S,C2,N1,U6,PR1,,,,,,\n\
         K1,01/01/2024,S,C2,N1,U4,PR1,,,,,,\n\
         K2,01/01/2024,S,C2,N1,U6,PR1,,,,,,\n\
         K2,01/01/2024,S,C2,N1,U6,PR1,,,,,,\n\
         K3,01/01/2024,S,C2,N1,U6,PR1,,,,,,\n\
         K3,01/01/2024,S,C2,N1,U4,PR1,,,MOVED,,,\n",
    )
    .unwrap();
    let db = panel(dir.path(), "panel.db");
    let out = import(&db, std::slice::from_ref(&folder));
    // K1's two rows differ: held back. K2's repeat exactly: a warning.
    // K3's differ too, and the second also has a bad value elsewhere
    // (REASON_PLACE_CHANGE), which does not spare it the key's check; the
    // summary names the problem that holds K3 back.
    assert!(
        out.contains("2 children held back by data problems"),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.starts_with("  K3: ") && l.ends_with(":7:DECOM: found '01/01/2024', expected one row for this child and DECOM in a return (line 6 is another)")),
        "{out}"
    );
    let check = bin(&db).arg("check").assert();
    let check = String::from_utf8_lossy(&check.get_output().stdout).into_owned();
    assert!(
        check.lines().any(|l| l.starts_with("K3,") && l.contains(":7:DECOM: found '01/01/2024', expected one row for this child and DECOM in a return (line 6 is another)") && l.contains("held-back")),
        "{check}"
    );
    assert!(
        out.contains("  K1: ") && out.contains(":3:DECOM: found '01/01/2024', expected one row for this child and DECOM in a return (line 2 is another)"),
        "{out}"
    );
    assert!(
        out.contains(
            "1 warning by column (values kept as written, repeated rows read once): CHILD 1"
        ),
        "{out}"
    );
    let store = permanence_panel::store::Store::open(&db).unwrap();
    assert!(store.child_record("K1").unwrap().is_none());
    assert!(store.child_record("K3").unwrap().is_none());
    assert_eq!(store.child_record("K2").unwrap().unwrap().episodes.len(), 1);
}

/// Every row of the merged history (the tables the rules read, the other
/// tables' rows and the merge's warnings), each named by its table, in one
/// order.
pub(crate) fn merged_rows(db: &Path) -> Vec<String> {
    let store = permanence_panel::store::Store::open_read_only(db).unwrap();
    let mut out = Vec::new();
    store
        .for_each_child_record(|r| {
            let id = &r.child.id;
            let c = &r.child;
            let mut rows = vec![format!(
                "children|{id}|{}|{}|{}|{:?}|{:?}|{:?}",
                c.sex.code(),
                c.dob,
                c.ethnic.code(),
                c.upn,
                c.mother,
                c.mc_dob
            )];
            rows.extend(r.episodes.iter().map(|e| format!("episodes|{id}|{e:?}")));
            rows.extend(r.reviews.iter().map(|v| format!("reviews|{id}|{v:?}")));
            rows.extend(
                r.placed_adoption
                    .iter()
                    .map(|p| format!("placed_adoption|{id}|{p:?}")),
            );
            rows.extend(
                store
                    .child_extras(&r.child.id)?
                    .iter()
                    .map(|x| format!("child_extras|{id}|{x:?}")),
            );
            out.extend(rows);
            Ok(())
        })
        .unwrap();
    out.extend(
        store
            .merge_warnings()
            .unwrap()
            .iter()
            .map(|w| format!("merge_warnings|{}|{w:?}", w.child)),
    );
    out.sort();
    out
}

/// Drops a child's rows from every CSV file of a return's folder.
fn remove_child_from(folder: &Path, child: &str) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            let text = std::fs::read_to_string(&path).unwrap();
            let kept: String = text
                .lines()
                .filter(|line| line.split(',').next() != Some(child))
                .map(|line| format!("{line}\n"))
                .collect();
            std::fs::write(&path, kept).unwrap();
        }
    }
}

/// An import merges again only the children it can change (the store's
/// `children_to_merge`); the merged history must be exactly what merging
/// everyone gives, whatever the order of the imports. A child whose open
/// episode no later return carries makes the merge close it, with a
/// warning that must come and go with the later returns.
#[test]
fn importing_only_the_children_touched_gives_the_merge_of_everyone_in_any_order() {
    let dir = tempfile::tempdir().unwrap();
    let years = generated_years(dir.path(), 300, 21);
    // A child open at the end of 2024-25 who is in neither later return.
    let episodes = std::fs::read_to_string(years[5].join("episodes.csv")).unwrap();
    let header: Vec<&str> = episodes.lines().next().unwrap().split(',').collect();
    let dec = header.iter().position(|c| *c == "DEC").unwrap();
    let child = episodes
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|f| f[dec].is_empty())
        .map(|f| f[0].to_owned())
        .expect("an episode open at the end of 2024-25");
    remove_child_from(&years[6], &child);
    remove_child_from(&years[7], &child);

    let at_once = panel(dir.path(), "at-once.db");
    import(&at_once, &years);
    // No return is a whole history (which would merge everyone each time).
    let whole: i64 = rusqlite::Connection::open(&at_once)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM returns WHERE whole_history",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(whole, 0);
    let expected = merged_rows(&at_once);
    assert!(
        expected
            .iter()
            .any(|r| r.starts_with("merge_warnings|") && r.contains(&child)),
        "the open episode of {child} is closed with a warning"
    );

    let mut shuffled = years.clone();
    shuffled.swap(0, 5);
    shuffled.swap(2, 7);
    shuffled.swap(3, 6);
    for (name, order) in [
        ("oldest first", years.clone()),
        ("newest first", years.iter().rev().cloned().collect()),
        ("shuffled", shuffled),
    ] {
        let db = panel(dir.path(), &format!("{}.db", name.replace(' ', "-")));
        for y in &order {
            import(&db, std::slice::from_ref(y));
        }
        assert_eq!(merged_rows(&db), expected, "imported {name}");
        // A middle year again, and the latest year again.
        import(&db, std::slice::from_ref(&years[3]));
        import(&db, std::slice::from_ref(&years[7]));
        assert_eq!(merged_rows(&db), expected, "{name}, then two years again");
    }
}

/// The audit says what each import replaced: the return of that year (when
/// it was imported, its files' SHA-256) or that none was held, and how many
/// children's plan facts a plans file replaced or added.
#[test]
fn the_audit_says_what_an_import_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let generated = dir.path().join("gen");
    assert_cmd::Command::cargo_bin("permanence-panel")
        .unwrap()
        .env_remove("PERMANENCE_PANEL_DB")
        .args(["generate", "--children", "60", "--seed", "22", "--out"])
        .arg(&generated)
        .args(["--returns", "2024-25..2025-26"])
        .assert()
        .success();
    let db = panel(dir.path(), "audit.db");
    let (y1, y2) = (generated.join("2024-25"), generated.join("2025-26"));
    import(&db, std::slice::from_ref(&y1));
    import(&db, &[y1.clone(), y2]);
    for _ in 0..2 {
        bin(&db)
            .args(["import", "plans"])
            .arg(generated.join("plans.csv"))
            .assert()
            .success();
    }
    let out = bin(&db)
        .args(["audit", "show", "--format", "csv"])
        .assert()
        .success();
    let details: Vec<String> = csv_rows(&out.get_output().stdout)
        .into_iter()
        .filter(|r| r[3] == "import")
        .map(|r| r.last().unwrap().clone())
        .collect();
    assert_eq!(details.len(), 4, "{details:#?}");
    assert!(
        details[0].contains("adding the 2024-25 return (none of that year was held)"),
        "{}",
        details[0]
    );
    let header = std::fs::read(y1.join("header.csv")).unwrap();
    use sha2::Digest;
    let sha = sha2::Sha256::digest(&header)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    assert!(
        details[1].contains("replacing the 2024-25 return imported ")
            && details[1].contains(&format!("header.csv SHA-256 {sha}"))
            && details[1].contains("adding the 2025-26 return"),
        "{}",
        details[1]
    );
    assert!(
        details[2].contains("replacing the plan facts held for 0 children and adding them for "),
        "{}",
        details[2]
    );
    assert!(
        details[3].contains(" and adding them for 0 children"),
        "{}",
        details[3]
    );
}

/// The bytes of the database at `db`, but for the two counters in SQLite's
/// file header that a change of journal mode writes (the change counter,
/// offset 24, and the version it is valid for, offset 92): a panel's first
/// returns are read with a rollback journal and the panel is then put back
/// in WAL mode, committed or not (`Store::import_returns`). Every other
/// byte is the database's content.
fn bytes_but_change_counters(db: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(db).unwrap();
    for counter in [24..28, 92..96] {
        bytes[counter].fill(0);
    }
    bytes
}
