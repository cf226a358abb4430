//! `tracker import` through the binary: our own export imports back to the
//! same tracker, a council's sheet imports through a map (names, plans,
//! meetings heard, comments; the return's facts only compared), and a bad
//! cell is reported exactly and changes nothing.

use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use chrono::{NaiveDate, NaiveTime};
use permanence_panel::model::{ChildRecord, PlanKind};
use permanence_panel::rules::care::care_at;
use permanence_panel::store::{ChildName, Store};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::common::cli::{bin, panel_from_return};

const AS_AT: &str = "2026-11-27";
const CHILDREN: usize = 120;
const SEED: u64 = 11;

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

fn at(d: &str) -> chrono::NaiveDateTime {
    day(d).and_hms_opt(9, 0, 0).expect("a time")
}

/// A panel on the synthetic return, without the generated plans.
fn bare_panel(dir: &Path) -> PathBuf {
    panel_from_return(dir, "wiltshire", CHILDREN, SEED, "2026-11-20", false)
}

/// The generated plans with only what a tracker carries (plan, agreed,
/// match agreed): the flags a tracker cannot hold are left off, so the two
/// panels of the round trip can hold the same facts.
fn tracker_only_plans(dir: &Path, db: &Path) {
    let generated = std::fs::read_to_string(dir.join("data/plans.csv")).expect("plans.csv");
    let mut kept = String::new();
    for (i, line) in generated.lines().enumerate() {
        if i == 0 {
            kept.push_str(line);
        } else {
            let cells: Vec<&str> = line.split(',').collect();
            kept.push_str(&format!(
                // No flags, no achieved date, no contingency plan.
                "{},{},{},{},,,,",
                cells[0], cells[1], cells[2], cells[3]
            ));
        }
        kept.push('\n');
    }
    let path = dir.join("tracker-plans.csv");
    std::fs::write(&path, kept).expect("written");
    bin(db)
        .args(["import", "plans"])
        .arg(&path)
        .assert()
        .success();
}

fn tracker_sheet(path: &Path) -> Range<Data> {
    let mut book: Xlsx<_> = open_workbook(path).expect("xlsx");
    book.worksheet_range("Tracker").expect("Tracker sheet")
}

fn export(db: &Path, out: &Path) {
    bin(db)
        .args([
            "tracker", "export", "--format", "xlsx", "--as-at", AS_AT, "--out",
        ])
        .arg(out)
        .assert()
        .success();
}

#[test]
fn our_export_imports_back_to_the_same_tracker() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (dir_a, dir_b) = (dir.path().join("a"), dir.path().join("b"));
    let a = bare_panel(&dir_a);
    tracker_only_plans(&dir_a, &a);
    // The panel heard some children at two meetings this autumn.
    let heard: Vec<String> = {
        let mut store = Store::open(&a).expect("open");
        let ids: Vec<String> = store
            .child_records()
            .expect("records")
            .into_iter()
            .filter(|r| care_at(r, day(AS_AT)).is_some())
            .map(|r| r.child.id)
            .take(8)
            .collect();
        let ten = NaiveTime::from_hms_opt(10, 0, 0).expect("time");
        let noon = NaiveTime::from_hms_opt(12, 0, 0).expect("time");
        let sept = store
            .add_meeting(day("2026-09-15"), ten, noon, at("2026-09-01"))
            .expect("meeting");
        let oct = store
            .add_meeting(day("2026-10-20"), ten, noon, at("2026-10-01"))
            .expect("meeting");
        for (i, child) in ids.iter().enumerate() {
            let meeting = if i % 2 == 0 { sept } else { oct };
            store
                .record_decision(meeting, child, "Plan endorsed.", true, at("2026-10-20"))
                .expect("decision");
        }
        ids
    };
    let a_xlsx = dir.path().join("a.xlsx");
    export(&a, &a_xlsx);

    let b = bare_panel(&dir_b);
    let output = bin(&b)
        .args(["tracker", "import"])
        .arg(&a_xlsx)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        !stdout.contains("warning:"),
        "same return, no warnings: {stdout}"
    );
    let b_xlsx = dir.path().join("b.xlsx");
    export(&b, &b_xlsx);

    let (sheet_a, sheet_b) = (tracker_sheet(&a_xlsx), tracker_sheet(&b_xlsx));
    assert!(sheet_a.height() > 10, "a real tracker");
    assert_eq!(sheet_a.height(), sheet_b.height());
    for (row_a, row_b) in sheet_a.rows().zip(sheet_b.rows()) {
        assert_eq!(row_a, row_b);
    }
    // The meetings heard are kept as history, the plans as plans.
    let store_a = Store::open(&a).expect("open");
    let store_b = Store::open(&b).expect("open");
    let exported: Vec<String> = sheet_a.rows().skip(1).map(|r| r[0].to_string()).collect();
    let heard: Vec<&String> = heard.iter().filter(|c| exported.contains(c)).collect();
    assert!(heard.len() >= 2, "some children heard are tracked");
    for child in heard {
        let decided = store_a.decisions_for_child(child).expect("decisions");
        let when = store_a
            .meeting(decided[0].meeting)
            .expect("meeting")
            .expect("exists")
            .date;
        assert_eq!(store_b.heard_history(child).expect("history"), [when]);
        assert_eq!(
            store_b.plan_facts(child).expect("plans"),
            store_a.plan_facts(child).expect("plans")
        );
    }

    // Imported into the panel it came from, it adds nothing.
    let again = bin(&a)
        .args(["tracker", "import"])
        .arg(&a_xlsx)
        .output()
        .expect("runs");
    assert!(again.status.success());
    let again = String::from_utf8_lossy(&again.stdout);
    assert!(
        again.contains("0 names, 0 plans, 0 meetings heard, 0 comments; 0 warnings"),
        "{again}"
    );
}

/// Three looked-after children of the return, with their current legal status.
fn looked_after(db: &Path, n: usize) -> Vec<ChildRecord> {
    let store = Store::open(db).expect("open");
    store
        .child_records()
        .expect("records")
        .into_iter()
        .filter(|r| care_at(r, day(AS_AT)).is_some())
        .take(n)
        .collect()
}

fn current_ls(record: &ChildRecord) -> &'static str {
    let care = care_at(record, day(AS_AT)).expect("looked after");
    record.episodes[care.current].ls.code()
}

/// A council's sheet: a title, a blank row, headings on row 3, then one
/// row per child given as (id, name, plan, agreed, last to panel, comments,
/// legal status). Dates are given as cells of any kind.
enum Cell {
    Text(&'static str),
    Date(u16, u8, u8),
    Serial(f64),
    Blank,
}

const COUNCIL_HEADINGS: &[&str] = &[
    "LAC ID",
    "Child name",
    "Permanence plan",
    "Date plan agreed",
    "Date last to panel",
    "Comments",
    "Legal status",
];

fn council_sheet(path: &Path, rows: &[(String, Vec<Cell>)]) {
    council_sheet_with(path, COUNCIL_HEADINGS, rows);
}

fn council_sheet_with(path: &Path, headings: &[&str], rows: &[(String, Vec<Cell>)]) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Permanence tracker").expect("name");
    let date = Format::new().set_num_format("dd/mm/yyyy");
    sheet
        .write_string(0, 0, "Permanence monitoring (synthetic test data)")
        .expect("title");
    for (c, h) in headings.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).expect("heading");
    }
    for (i, (child, cells)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        sheet.write_string(r, 0, child).expect("id");
        for (c, cell) in cells.iter().enumerate() {
            let col = c as u16 + 1;
            match cell {
                Cell::Text(t) => {
                    sheet.write_string(r, col, *t).expect("text");
                }
                Cell::Date(y, m, d) => {
                    let when = ExcelDateTime::from_ymd(*y, *m, *d).expect("date");
                    sheet
                        .write_datetime_with_format(r, col, when, &date)
                        .expect("date");
                }
                Cell::Serial(n) => {
                    sheet.write_number(r, col, *n).expect("number");
                }
                Cell::Blank => {}
            }
        }
    }
    book.save(path).expect("saved");
}

fn example_map() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/tracker-maps/example.toml")
}

#[test]
fn a_council_sheet_imports_through_a_map() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = bare_panel(dir.path());
    let children = looked_after(&db, 3);
    let (c1, c2, c3) = (&children[0], &children[1], &children[2]);
    // The sheet disagrees with the return on the third child's legal status.
    let other_ls = if current_ls(c3) == "C2" {
        "ICO"
    } else {
        "Full care order"
    };
    let other_code = if current_ls(c3) == "C2" { "C1" } else { "C2" };
    let sheet = dir.path().join("council.xlsx");
    council_sheet(
        &sheet,
        &[
            (
                c1.child.id.clone(),
                vec![
                    Cell::Text("Amber Birch"),
                    Cell::Text("SGO"),
                    Cell::Date(2026, 3, 2),
                    Cell::Date(2026, 10, 14),
                    Cell::Text("Grandparents assessed; SGO support plan drafted."),
                ],
            ),
            (
                c2.child.id.clone(),
                vec![
                    Cell::Text("Mary-Jane Oakfield"),
                    Cell::Text("Long term foster"),
                    Cell::Text("05/01/2026"),
                    // 46234 is 31/07/2026 as Excel counts days.
                    Cell::Serial(46234.0),
                    Cell::Blank,
                ],
            ),
            (
                c3.child.id.clone(),
                vec![
                    Cell::Blank,
                    Cell::Text("Twin track"),
                    Cell::Blank,
                    Cell::Blank,
                    Cell::Blank,
                    Cell::Text(other_ls),
                ],
            ),
        ],
    );
    let output = bin(&db)
        .args(["tracker", "import", "--as-at", AS_AT, "--map"])
        .arg(example_map())
        .arg(&sheet)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let warning = format!(
        "warning: {}:Permanence tracker:6: legal status {other_code} in the sheet, the return says {} on 27/11/2026 (the return is kept)",
        sheet.display(),
        current_ls(c3)
    );
    assert!(stdout.contains(&warning), "{stdout}");
    assert!(
        stdout.contains(
            "Imported: 3 children; 2 names, 3 plans, 2 meetings heard, 1 comments; 1 warnings"
        ),
        "{stdout}"
    );

    let store = Store::open(&db).expect("open");
    assert_eq!(
        store.child_name(&c1.child.id).expect("name"),
        Some(ChildName {
            full_name: Some("Amber Birch".into()),
            initials: "AB".into()
        })
    );
    assert_eq!(
        store
            .child_name(&c2.child.id)
            .expect("name")
            .map(|n| n.initials),
        Some("MJO".into())
    );
    assert_eq!(store.child_name(&c3.child.id).expect("name"), None);
    let plan = store.plan_facts(&c1.child.id).expect("plan").expect("held");
    assert_eq!(
        (plan.plan, plan.plan_agreed),
        (Some(PlanKind::Sgo), Some(day("2026-03-02")))
    );
    let plan = store.plan_facts(&c2.child.id).expect("plan").expect("held");
    assert_eq!(
        (plan.plan, plan.plan_agreed),
        (Some(PlanKind::LongTermFostering), Some(day("2026-01-05")))
    );
    assert_eq!(
        store.heard_history(&c1.child.id).expect("history"),
        [day("2026-10-14")]
    );
    assert_eq!(
        store.heard_history(&c2.child.id).expect("history"),
        [day("2026-07-31")]
    );
    assert_eq!(
        store
            .child_note(&c1.child.id)
            .expect("note")
            .map(|n| n.text),
        Some("Grandparents assessed; SGO support plan drafted.".into())
    );
    // A subject access request now includes the name, the meetings heard
    // before and the comments.
    let sar = dir.path().join("sar");
    bin(&db)
        .args(["export-child", &c1.child.id, "--out"])
        .arg(&sar)
        .assert()
        .success();
    let read = |name: &str| std::fs::read_to_string(sar.join(name)).expect(name);
    assert_eq!(read("name.csv"), "full_name,initials\nAmber Birch,AB\n");
    assert_eq!(read("heard_before.csv"), "meeting\n14/10/2026\n");
    assert!(read("comments.csv").contains(",Grandparents assessed; SGO support plan drafted.\n"));
    // The import is in the log, and a backup was taken before it.
    assert!(
        store
            .imports()
            .expect("log")
            .iter()
            .any(|i| i.kind == "tracker")
    );
    let backups = dir.path().join("backups");
    assert!(
        std::fs::read_dir(&backups).is_ok_and(|mut d| d.next().is_some()),
        "a backup in {}",
        backups.display()
    );
}

/// What a failed import must leave exactly as it was.
fn snapshot(db: &Path, ids: &[&str]) -> String {
    let store = Store::open(db).expect("open");
    let mut shown = format!(
        "{} audit entries; {} names; {} imports\n",
        store.audit_entries().expect("audit").len(),
        store.child_names().expect("names").len(),
        store.imports().expect("imports").len()
    );
    for id in ids {
        shown.push_str(&format!(
            "{id}: {:?} {:?} {:?}\n",
            store.plan_facts(id).expect("plan"),
            store.heard_history(id).expect("history"),
            store.child_note(id).expect("note")
        ));
    }
    shown
}

#[test]
fn bad_cells_are_each_reported_and_change_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = bare_panel(dir.path());
    let children = looked_after(&db, 2);
    let (c1, c2) = (&children[0].child.id, &children[1].child.id);
    let sheet = dir.path().join("council.xlsx");
    council_sheet(
        &sheet,
        &[
            // A good row: nothing of it may be stored.
            (
                c1.clone(),
                vec![
                    Cell::Text("Amber Birch"),
                    Cell::Text("SGO"),
                    Cell::Date(2026, 3, 2),
                    Cell::Date(2026, 10, 14),
                    Cell::Text("Fine row."),
                ],
            ),
            (
                c2.clone(),
                vec![
                    Cell::Text("Cedar Holt"),
                    Cell::Text("Kinship"),
                    Cell::Text("31/02/2026"),
                    Cell::Blank,
                    Cell::Blank,
                ],
            ),
            (
                "C-NOT-KNOWN".into(),
                vec![Cell::Text("Fern Ash"), Cell::Text("SGO")],
            ),
        ],
    );
    let before = snapshot(&db, &[c1, c2]);
    let output = bin(&db)
        .args(["tracker", "import", "--map"])
        .arg(example_map())
        .arg(&sheet)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let place = format!("{}:Permanence tracker", sheet.display());
    let plan_expected = format!(
        "{} or a word the map translates in [values.plan]",
        PlanKind::EXPECTED
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "{place}:5:Permanence plan: found 'Kinship', expected {plan_expected}\n\
             {place}:5:Date plan agreed: found '31/02/2026', expected an Excel date or a date written %d/%m/%Y or %d.%m.%Y or %d-%b-%Y\n\
             {place}:6:LAC ID: found 'C-NOT-KNOWN', expected a child the panel knows (in the return, the plans, an agenda, a decision or a referral)\n\
             Nothing was imported; the database is unchanged.\n"
        )
    );
    assert_eq!(snapshot(&db, &[c1, c2]), before);

    // A column the map names but the sheet lacks.
    let headings: Vec<&str> = COUNCIL_HEADINGS
        .iter()
        .copied()
        .filter(|h| *h != "Date last to panel")
        .collect();
    let missing = dir.path().join("missing.xlsx");
    council_sheet_with(
        &missing,
        &headings,
        &[(c1.clone(), vec![Cell::Text("Amber Birch")])],
    );
    let output = bin(&db)
        .args(["tracker", "import", "--map"])
        .arg(example_map())
        .arg(&missing)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "{}:Permanence tracker:3:Date last to panel: found '', expected a column headed 'Date last to panel' (the map's last_heard); the headings are: LAC ID, Child name, Permanence plan, Date plan agreed, Comments, Legal status\n\
             Nothing was imported; the database is unchanged.\n",
            missing.display()
        )
    );
    assert_eq!(snapshot(&db, &[c1, c2]), before);
}

#[test]
fn a_dry_run_reports_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = bare_panel(dir.path());
    let children = looked_after(&db, 1);
    let c1 = &children[0].child.id;
    let sheet = dir.path().join("council.xlsx");
    council_sheet(
        &sheet,
        &[(
            c1.clone(),
            vec![Cell::Text("Amber Birch"), Cell::Text("SGO")],
        )],
    );
    let before = snapshot(&db, &[c1]);
    let output = bin(&db)
        .args(["tracker", "import", "--dry-run", "--map"])
        .arg(example_map())
        .arg(&sheet)
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .contains("Checked (--dry-run, nothing was changed): 1 children; 1 names, 1 plans")
    );
    assert_eq!(snapshot(&db, &[c1]), before);
}

#[test]
fn a_sheet_not_in_the_workbook_is_named_with_those_that_are() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = bare_panel(dir.path());
    let sheet = dir.path().join("council.xlsx");
    council_sheet(&sheet, &[]);
    let output = bin(&db)
        .args(["tracker", "import", "--sheet", "LAC 2025", "--map"])
        .arg(example_map())
        .arg(&sheet)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "{}:0:(file): found 'Permanence tracker', expected a sheet named 'LAC 2025'\n\
             Nothing was imported; the database is unchanged.\n",
            sheet.display()
        )
    );
}

#[test]
fn problems_beyond_a_hundred_are_counted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = bare_panel(dir.path());
    let sheet = dir.path().join("council.xlsx");
    let rows: Vec<(String, Vec<Cell>)> = (0..103)
        .map(|i| (format!("X{i:04}"), vec![Cell::Text("Amber Birch")]))
        .collect();
    council_sheet(&sheet, &rows);
    let output = bin(&db)
        .args(["tracker", "import", "--map"])
        .arg(example_map())
        .arg(&sheet)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 102, "100 problems, the count, the verdict");
    assert!(lines[0].ends_with(":Permanence tracker:4:LAC ID: found 'X0000', expected a child the panel knows (in the return, the plans, an agenda, a decision or a referral)"));
    assert_eq!(lines[100], "and 3 more");
}
