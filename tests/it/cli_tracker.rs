//! `tracker export --format xlsx` through the binary, read back with
//! calamine: the sheets, the header, one row per tracked child, real dates
//! equal to what the rules compute, and the About sheet.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use chrono::NaiveDate;
use permanence_panel::rules::calendar::Calendar;
use permanence_panel::rules::care::{care_at, legal_status_run_start, same_carers_run_start};
use permanence_panel::rules::timetable::timetable;
use permanence_panel::store::{NewAction, Store};
use permanence_panel::terms::Terms;
use predicates::prelude::*;

use crate::common::cli::{bin, csv_rows, panel_from_return};

const AS_AT: &str = "2026-11-27";

/// The columns the administrator asked for, in order.
const HEADER: &[&str] = &[
    "Child ID",
    "Age",
    "Cohort",
    "Other cohorts",
    "Listed since",
    "Legal status",
    "Legal status since",
    "Placement",
    "Placement since",
    "Plan",
    "Plan agreed",
    "Match agreed",
    "Last review",
    "Next review due",
    "Review overdue",
    "Last heard",
    "Open actions",
    "Next action due",
    "Papers for the next meeting",
    "Fostering Panel",
    "Last outcome",
];

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

/// A panel on `preset` with 200 synthetic children, their plans, the 2026
/// meetings and the agenda of `meeting` built.
fn panel(dir: &Path, preset: &str, meeting: &str) -> PathBuf {
    let db = panel_from_return(dir, preset, 200, 5, "2026-11-20", true);
    bin(&db)
        .args(["meetings", "plan", "--year", "2026"])
        .assert()
        .success();
    bin(&db)
        .args(["agenda", "--build", "--meeting", meeting, "--format", "csv"])
        .assert()
        .success();
    db
}

fn export(db: &Path, out: &Path) {
    bin(db)
        .args([
            "tracker", "export", "--format", "xlsx", "--as-at", AS_AT, "--out",
        ])
        .arg(out)
        .assert()
        .success()
        .stdout(predicate::str::contains("children tracked at 27/11/2026"));
}

fn sheets(path: &Path) -> (Vec<String>, Range<Data>, Range<Data>) {
    let mut book: Xlsx<_> = open_workbook(path).expect("an xlsx workbook");
    let names = book.sheet_names();
    let tracker = book.worksheet_range("Tracker").expect("a Tracker sheet");
    let about = book.worksheet_range("About").expect("an About sheet");
    (names, tracker, about)
}

fn text(cell: Option<&Data>) -> String {
    match cell {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// A cell as a date: it must be a real Excel date (a serial number with a
/// date format), not text. Blank is `None`.
fn date_cell(cell: Option<&Data>) -> Option<NaiveDate> {
    match cell {
        Some(Data::Empty) | None => None,
        Some(Data::DateTime(dt)) => {
            assert!(dt.is_datetime(), "a date, not a duration: {dt:?}");
            // Excel's 1900 date system counts days from 30/12/1899.
            let days = dt.as_f64().floor() as i64;
            Some(day("1899-12-30") + chrono::Duration::days(days))
        }
        Some(other) => panic!("expected an Excel date, found {other:?}"),
    }
}

/// The tracker's rows by child id, as (column name -> cell).
fn by_child(tracker: &Range<Data>) -> HashMap<String, HashMap<String, Data>> {
    let mut rows = tracker.rows();
    let header: Vec<String> = rows
        .next()
        .expect("a header")
        .iter()
        .map(|c| text(Some(c)))
        .collect();
    rows.map(|row| {
        let cells: HashMap<String, Data> =
            header.iter().cloned().zip(row.iter().cloned()).collect();
        (text(cells.get("Child ID")), cells)
    })
    .collect()
}

/// Everything asked of the workbook, for one preset whose next meeting on
/// or after the as-at date is `meeting`.
fn check_workbook(db: &Path, xlsx: &Path, preset: &str, meeting: &str) {
    let (names, tracker, about) = sheets(xlsx);
    assert_eq!(names, ["Tracker", "About"]);

    let header: Vec<String> = tracker
        .rows()
        .next()
        .expect("a header row")
        .iter()
        .map(|c| text(Some(c)))
        .collect();
    assert_eq!(header, HEADER);

    // One row per tracked child: the cohorts at the date and the agenda.
    let cohorts = csv_rows(
        &bin(db)
            .args(["cohorts", "--as-at", AS_AT, "--format", "csv"])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    let agenda = csv_rows(
        &bin(db)
            .args(["agenda", "--meeting", meeting, "--format", "csv"])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    let expected: BTreeSet<String> = cohorts
        .iter()
        .map(|r| r[0].clone())
        .chain(agenda.iter().map(|r| r[1].clone()))
        .collect();
    assert!(
        !expected.is_empty(),
        "{preset}: the fixture tracks children"
    );
    let ids: Vec<String> = tracker.rows().skip(1).map(|r| text(r.first())).collect();
    let unique: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(ids.len(), unique.len(), "{preset}: one row per child");
    assert_eq!(unique, expected, "{preset}: tracked children");

    let rows = by_child(&tracker);

    // The first cohort is the first the cohorts output lists for the child
    // (it is sorted by the terms' priority), and Listed since is its date.
    let terms = Terms::load(preset).expect("preset");
    let mut first_cohort: HashMap<&str, (&str, &str)> = HashMap::new();
    for r in &cohorts {
        let priority = |c: &str| {
            terms
                .cohorts
                .iter()
                .position(|t| t.id() == c)
                .unwrap_or(usize::MAX)
        };
        let entry = first_cohort
            .entry(r[0].as_str())
            .or_insert((r[1].as_str(), r[2].as_str()));
        if priority(&r[1]) < priority(entry.0) {
            *entry = (r[1].as_str(), r[2].as_str());
        }
    }
    for (child, (cohort, since)) in &first_cohort {
        let row = &rows[*child];
        // By its title, as the council's papers name it (issue 17).
        assert_eq!(
            text(row.get("Cohort")),
            permanence_panel::model::cohort::listed_under_title(cohort),
            "{child}"
        );
        assert_eq!(
            date_cell(row.get("Listed since")),
            Some(day(since)),
            "{child}"
        );
    }

    // Review columns match the timetable output, child by child.
    let timetable_rows = csv_rows(
        &bin(db)
            .args(["timetable", "--as-at", AS_AT, "--format", "csv"])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    let mut checked = 0;
    for t in &timetable_rows {
        let Some(row) = rows.get(&t[0]) else { continue };
        let overdue = t[5] == "true";
        assert_eq!(
            text(row.get("Review overdue")),
            if overdue { "Yes" } else { "No" },
            "{}",
            t[0]
        );
        assert_eq!(
            date_cell(row.get("Next review due")),
            Some(day(&t[4])),
            "{}",
            t[0]
        );
        let last = (!t[3].is_empty()).then(|| day(&t[3]));
        assert_eq!(date_cell(row.get("Last review")), last, "{}", t[0]);
        checked += 1;
    }
    assert!(checked > 0, "{preset}: tracked children have a timetable");

    // Legal status and placement dates equal what the rules compute.
    let store = Store::open(db).expect("store");
    let as_at = day(AS_AT);
    let calendar = Calendar::england_and_wales();
    let mut compared = 0;
    for child in unique.iter().take(12) {
        let Some(record) = store.child_record(child).expect("read") else {
            continue;
        };
        let row = &rows[child];
        let Some(care) = care_at(&record, as_at) else {
            assert_eq!(text(row.get("Legal status")), "", "{child}");
            continue;
        };
        let current = &record.episodes[care.current];
        let ls_since = legal_status_run_start(&record, &care, &[current.ls])
            .map_or(care.period_start, |r| r.start);
        assert_eq!(
            date_cell(row.get("Legal status since")),
            Some(ls_since),
            "{child}"
        );
        assert!(
            text(row.get("Legal status")).starts_with(current.ls.code()),
            "{child}"
        );
        assert_eq!(
            date_cell(row.get("Placement since")),
            Some(same_carers_run_start(&record, &care).start),
            "{child}"
        );
        assert!(
            text(row.get("Placement")).starts_with(current.place.code()),
            "{child}"
        );
        let t = timetable(&record, as_at, &calendar).expect("looked after");
        assert_eq!(date_cell(row.get("Next review due")), Some(t.next_due));
        compared += 1;
    }
    assert!(
        compared > 0,
        "{preset}: some tracked children are looked after"
    );

    // The About sheet: panel, date, generator, the warning, every column.
    let about_a: Vec<String> = about.rows().map(|r| text(r.first())).collect();
    let about_b: Vec<String> = about.rows().map(|r| text(r.get(1))).collect();
    for name in HEADER {
        let i = about_a
            .iter()
            .position(|a| a == name)
            .unwrap_or_else(|| panic!("About lists {name}"));
        assert!(!about_b[i].is_empty(), "{name} has a definition");
    }
    assert!(about_b.contains(&terms.name), "{preset}: the panel's name");
    assert!(about_b.iter().any(|b| b == "permanence-panel"));
    assert!(
        about_b.iter().any(|b| b.contains("special category")),
        "the personal-data note"
    );
    let as_at_row = about_a
        .iter()
        .position(|a| a == "As at")
        .expect("an As at row");
    assert_eq!(
        date_cell(about.rows().nth(as_at_row).and_then(|r| r.get(1))),
        Some(as_at)
    );
}

#[test]
fn wiltshire_tracker_lists_every_tracked_child_with_real_dates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel(dir.path(), "wiltshire", AS_AT);
    let xlsx = dir.path().join("tracker.xlsx");
    export(&db, &xlsx);
    check_workbook(&db, &xlsx, "wiltshire", AS_AT);
}

#[test]
fn telford_tracker_takes_the_agenda_of_the_next_meeting_after_the_date() {
    // Telford meets on the second Tuesday: the next meeting after 27/11/2026
    // is 08/12/2026, and the children on its agenda are tracked too.
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel(dir.path(), "telford", "2026-12-08");
    let xlsx = dir.path().join("tracker.xlsx");
    export(&db, &xlsx);
    check_workbook(&db, &xlsx, "telford", "2026-12-08");
}

#[test]
fn the_panels_own_work_shows_last_heard_actions_and_papers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel(dir.path(), "wiltshire", AS_AT);
    let agenda = csv_rows(
        &bin(&db)
            .args(["agenda", "--meeting", AS_AT, "--format", "csv"])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    let heard: Vec<&Vec<String>> = agenda.iter().filter(|r| r[6] == "false").collect();
    assert!(heard.len() >= 2, "two children are heard on 27/11/2026");
    let (first, second) = (heard[0][1].clone(), heard[1][1].clone());

    let mut store = Store::open(&db).expect("store");
    let october = store
        .meetings()
        .expect("meetings")
        .into_iter()
        .find(|m| m.date < day(AS_AT) && m.date >= day("2026-10-01"))
        .expect("an October meeting");
    let at = october.date.and_hms_opt(11, 0, 0).expect("time");
    store
        .record_decision(october.id, &first, "Plan endorsed.", true, at)
        .expect("decision");
    for deadline in ["2027-01-15", "2026-12-18"] {
        store
            .add_action(
                &NewAction {
                    meeting: october.id,
                    child: first.clone(),
                    text: "Report back on contact".into(),
                    owner: "Kinship and Fostering Team Manager".into(),
                    deadline: day(deadline),
                },
                at,
            )
            .expect("action");
    }
    drop(store);
    bin(&db)
        .args(["papers", "--meeting", AS_AT, "--child", &first])
        .args(["--paper", "1", "--status", "received"])
        .assert()
        .success();

    let xlsx = dir.path().join("tracker.xlsx");
    export(&db, &xlsx);
    let (_, tracker, _) = sheets(&xlsx);
    let rows = by_child(&tracker);
    let required = Terms::load("wiltshire")
        .expect("preset")
        .papers
        .required
        .len();

    let row = &rows[&first];
    assert_eq!(date_cell(row.get("Last heard")), Some(october.date));
    assert_eq!(text(row.get("Open actions")), "2");
    assert_eq!(
        date_cell(row.get("Next action due")),
        Some(day("2026-12-18"))
    );
    assert_eq!(
        text(row.get("Papers for the next meeting")),
        format!("1 of {required} received")
    );

    let other = &rows[&second];
    assert_eq!(date_cell(other.get("Last heard")), None);
    assert_eq!(text(other.get("Open actions")), "0");
    assert_eq!(
        text(other.get("Papers for the next meeting")),
        format!("0 of {required} received")
    );
    // A child not heard at the next meeting has no papers to chase.
    let not_heard = rows
        .iter()
        .find(|(id, _)| !heard.iter().any(|h| &h[1] == *id))
        .expect("a tracked child not heard on 27/11/2026");
    assert_eq!(text(not_heard.1.get("Papers for the next meeting")), "");
}

#[test]
fn a_missing_out_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("panel.db");
    bin(&db)
        .args(["tracker", "export", "--format", "xlsx", "--as-at", AS_AT])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--out"));
    assert!(!db.exists(), "nothing was created");
}

#[test]
fn libreoffice_opens_the_tracker() {
    let Some(office) = ["libreoffice", "soffice"].into_iter().find(|p| {
        std::process::Command::new(p)
            .arg("--version")
            .output()
            .is_ok()
    }) else {
        eprintln!("libreoffice is not on PATH: skipping the conversion check");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel(dir.path(), "wiltshire", AS_AT);
    let xlsx = dir.path().join("tracker.xlsx");
    export(&db, &xlsx);
    let converted = dir.path().join("csv");
    let status = std::process::Command::new(office)
        .args(["--headless", "--convert-to", "csv", "--outdir"])
        .arg(&converted)
        .arg(&xlsx)
        .status()
        .expect("libreoffice runs");
    assert!(status.success());
    let text = std::fs::read_to_string(converted.join("tracker.csv")).expect("converted");
    assert!(text.starts_with("Child ID,Age,Cohort"), "{text}");
}
