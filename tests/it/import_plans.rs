//! The `plans.csv` import through the public API: facts stored, only named
//! children replaced, children outside the extract accepted, and every
//! rejection with its exact line and an unchanged database.

use std::path::PathBuf;

use permanence_panel::import::{ImportError, import_903, import_plans};
use permanence_panel::model::*;
use permanence_panel::store::{ImportRecord, Store};
use tempfile::TempDir;

use crate::common::import::{at, date, fixture, sha256_hex, write};

const COLUMNS: &str = "CHILD,PLAN,PLAN_AGREED,MATCH_AGREED,NO_PR,POTENTIAL_SGO,ACHIEVED\n";

/// A store with the fixture extract (children C0001 to C0003) and plan
/// facts for C0001 and C0002.
fn store_with_plans(dir: &TempDir) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    import_903(
        &mut store,
        &[fixture("header.csv"), fixture("episodes.csv")],
        at(),
    )
    .unwrap();
    let plans = write(
        dir,
        "first.csv",
        format!(
            "{COLUMNS}C0001,adoption,01/05/2022,,Y,,\nC0002,long-term-fostering,2023-03-01,01/04/2023,,Y,\n"
        ),
    );
    import_plans(&mut store, &plans, at()).unwrap();
    store
}

fn snapshot(store: &Store) -> (Vec<Option<PlanFacts>>, Vec<ImportRecord>) {
    let facts = ["C0001", "C0002", "C0003", "C0999"]
        .iter()
        .map(|c| store.plan_facts(c).unwrap())
        .collect();
    (facts, store.imports().unwrap())
}

fn rejected(content: &str) -> (ImportError, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_plans(&dir);
    let before = snapshot(&store);
    let file = write(&dir, "plans.csv", content);
    let err = match import_plans(&mut store, &file, at()) {
        Ok(report) => panic!("expected a rejection, got {report}"),
        Err(e) => e,
    };
    assert_eq!(snapshot(&store), before, "the database changed");
    (err, file)
}

#[test]
fn plan_facts_are_stored_with_their_record() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_plans(&dir);
    assert_eq!(
        store.plan_facts("C0001").unwrap(),
        Some(PlanFacts {
            child: "C0001".into(),
            plan: Some(PlanKind::Adoption),
            plan_agreed: Some(date(1, 5, 2022)),
            match_agreed: None,
            no_pr: true,
            potential_sgo: false,
            achieved: None,
            contingency: None,
        })
    );
    let c2 = store.child_record("C0002").unwrap().unwrap();
    let facts = c2.plan.unwrap();
    assert_eq!(facts.plan, Some(PlanKind::LongTermFostering));
    assert_eq!(facts.match_agreed, Some(date(1, 4, 2023)));
    assert!(facts.potential_sgo && !facts.no_pr);

    let record = &store.imports().unwrap()[0];
    assert_eq!(record.kind, "plans");
    assert_eq!(record.files.len(), 1);
    let file = &record.files[0];
    let path = dir.path().join("first.csv");
    assert_eq!(file.file_name, path.display().to_string());
    assert_eq!(file.sha256, sha256_hex(&path));
    assert_eq!((file.table.as_str(), file.rows), ("Plans", 2));
}

#[test]
fn a_plans_import_replaces_only_the_children_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_plans(&dir);
    let before_c1 = store.plan_facts("C0001").unwrap();
    // Every column but CHILD may be blank: C0002's facts are cleared.
    let file = write(&dir, "second.csv", format!("{COLUMNS}C0002,,,,,,\n"));
    let report = import_plans(&mut store, &file, at()).unwrap();
    assert_eq!(report.to_string(), "Plans: 1 child");
    assert_eq!(
        store.plan_facts("C0002").unwrap(),
        Some(PlanFacts {
            child: "C0002".into(),
            ..PlanFacts::default()
        })
    );
    assert_eq!(store.plan_facts("C0001").unwrap(), before_c1);
}

#[test]
fn plans_row_for_child_not_in_extract_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_plans(&dir);
    let file = write(
        &dir,
        "new.csv",
        "\u{feff}child,plan,plan_agreed,match_agreed,no_pr,potential_sgo,achieved,NOTE\r\nC0999,SGO,,,n,y,01/02/2026,ignored\r\n",
    );
    import_plans(&mut store, &file, at()).unwrap();
    assert_eq!(store.child_record("C0999").unwrap(), None);
    let facts = store.plan_facts("C0999").unwrap().unwrap();
    assert_eq!(facts.plan, Some(PlanKind::Sgo));
    assert!(facts.potential_sgo);
    assert_eq!(facts.achieved, Some(date(1, 2, 2026)));
}

#[test]
fn rejects_bad_values_with_one_line_each() {
    let (err, file) = rejected(&format!(
        "{COLUMNS}C0001,forever,,,,,\nC0002,,31/02/2022,,,,\nC0003,,,,maybe,,\n,adoption,,,,,\n"
    ));
    let f = file.display();
    let lines: Vec<String> = err.to_string().lines().map(str::to_owned).collect();
    assert_eq!(
        lines,
        [
            format!(
                "{f}:2:PLAN: found 'forever', expected {}",
                PlanKind::EXPECTED
            ),
            format!(
                "{f}:3:PLAN_AGREED: found '31/02/2022', expected a date dd/mm/yyyy or yyyy-mm-dd"
            ),
            format!("{f}:4:NO_PR: found 'maybe', expected Y, N or blank"),
            format!("{f}:5:CHILD: found '', expected a child id"),
        ]
    );
}

#[test]
fn rejects_two_rows_for_one_child() {
    let (err, file) = rejected(&format!("{COLUMNS}C0003,sgo,,,,,\nC0003,cao,,,,,\n"));
    assert_eq!(
        err.to_string(),
        format!(
            "{}:3:CHILD: found 'C0003', expected one row for each child (this child is also on line 2)",
            file.display()
        )
    );
}

#[test]
fn rejects_a_missing_column_and_a_foreign_file() {
    let (err, file) =
        rejected("CHILD,PLAN,PLAN_AGREED,MATCH_AGREED,NO_PR,ACHIEVED\nC0003,sgo,,,,\n");
    assert_eq!(
        err.to_string(),
        format!(
            "{}:1:POTENTIAL_SGO: found 'CHILD,PLAN,PLAN_AGREED,MATCH_AGREED,NO_P…', expected a column POTENTIAL_SGO in the plans.csv table's header row",
            file.display()
        )
    );
    let (err, file) = rejected("CHILD,DECOM\nC0003,01/01/2020\n");
    assert_eq!(
        err.to_string(),
        format!(
            "{}:1:(header): found 'CHILD,DECOM', expected the header row of plans.csv (CHILD,PLAN,PLAN_AGREED,MATCH_AGREED,NO_PR,POTENTIAL_SGO,ACHIEVED)",
            file.display()
        )
    );
}

/// `CONTINGENCY_PLAN` is optional: absent, empty or a plan code.
#[test]
fn the_contingency_plan_column_is_optional_and_read_when_given() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_plans(&dir);
    // Absent: the file of before reads as no contingency plans.
    assert_eq!(
        store.plan_facts("C0001").unwrap().unwrap().contingency,
        None
    );
    let with_column = write(
        &dir,
        "contingency.csv",
        "CHILD,PLAN,PLAN_AGREED,MATCH_AGREED,NO_PR,POTENTIAL_SGO,ACHIEVED,CONTINGENCY_PLAN\n\
         C0001,long-term-fostering,01/05/2022,,,,,adoption\n\
         C0002,sgo,01/03/2023,,,,,\n",
    );
    import_plans(&mut store, &with_column, at()).unwrap();
    let c1 = store.plan_facts("C0001").unwrap().unwrap();
    assert_eq!(
        (c1.plan, c1.contingency),
        (Some(PlanKind::LongTermFostering), Some(PlanKind::Adoption))
    );
    // Empty: none.
    assert_eq!(
        store.plan_facts("C0002").unwrap().unwrap().contingency,
        None
    );
    // Read back with the child's record, as the rules read it.
    let record = store.child_record("C0001").unwrap().unwrap();
    assert_eq!(record.plan.unwrap().contingency, Some(PlanKind::Adoption));
}

#[test]
fn rejects_a_contingency_plan_that_is_not_a_plan_code_or_has_no_plan() {
    let header =
        "CHILD,PLAN,PLAN_AGREED,MATCH_AGREED,NO_PR,POTENTIAL_SGO,ACHIEVED,CONTINGENCY_PLAN\n";
    let (err, file) = rejected(&format!(
        "{header}C0001,adoption,01/05/2022,,,,,plan-b\nC0002,,,,,,,sgo\n"
    ));
    let f = file.display();
    let lines: Vec<String> = err.to_string().lines().map(str::to_owned).collect();
    assert_eq!(
        lines,
        [
            format!(
                "{f}:2:CONTINGENCY_PLAN: found 'plan-b', expected {}",
                PlanKind::EXPECTED
            ),
            format!(
                "{f}:3:CONTINGENCY_PLAN: found 'sgo', expected a blank when PLAN is blank (a contingency plan is agreed with a plan)"
            ),
        ]
    );
}
