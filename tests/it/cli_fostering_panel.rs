//! `fostering-panel add|list|book` through the binary on the demo panel
//! (Wiltshire), and the six-monthly report setting the children waiting for
//! a long-term match against the Fostering Panel's recorded slots (issue 17).

use chrono::NaiveDate;
use permanence_panel::model::PlanKind;
use permanence_panel::rules::care::{agreed_plan, care_at, long_term_match_agreed};
use permanence_panel::store::Store;

use crate::common::cli::{bin, csv_rows};
use crate::common::tmux::demo_db;

/// The demo's children looked after on `d` with a long-term fostering plan
/// agreed and no long-term match: the demand, read independently of the report.
fn waiting(db: &std::path::Path, d: NaiveDate) -> Vec<(String, NaiveDate)> {
    let store = Store::open(db).expect("open");
    let mut out = Vec::new();
    for r in store.child_records().expect("records") {
        let Some(care) = care_at(&r, d) else { continue };
        if let Some((PlanKind::LongTermFostering, agreed)) = agreed_plan(&r, d)
            && !long_term_match_agreed(&r, &care, d)
        {
            out.push((r.child.id.clone(), agreed));
        }
    }
    out
}

fn report_md(db: &std::path::Path) -> String {
    let out = bin(db)
        .args([
            "report",
            "--kind",
            "smt",
            "--from",
            "2026-06-01",
            "--to",
            "2026-11-30",
            "--format",
            "md",
        ])
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).expect("utf-8")
}

/// The value a figure shows in the Markdown report ("- **measure**: value").
fn shown<'a>(md: &'a str, measure_starts: &str) -> (&'a str, &'a str) {
    let line = md
        .lines()
        .find(|l| l.starts_with(&format!("- **{measure_starts}")))
        .unwrap_or_else(|| panic!("no figure {measure_starts} in:\n{md}"));
    let (measure, value) = line
        .trim_start_matches("- **")
        .split_once("**: ")
        .expect("a figure line");
    (measure, value)
}

#[test]
fn sittings_and_bookings_are_recorded_listed_refused_when_full_and_reported_against_demand() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let to = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
    let waiting = waiting(&db, to);
    assert!(
        waiting.len() >= 2,
        "the demo has children waiting: {waiting:?}"
    );

    // Before anything is recorded, capacity is said to be not recorded.
    let md = report_md(&db);
    assert_eq!(
        shown(&md, "Fostering Panel capacity for long-term matches").1,
        "not recorded"
    );

    // A past sitting in the period, two ahead within six months, one beyond.
    for (date, slots) in [
        ("2026-10-08", "2"),
        ("2027-01-14", "1"),
        ("2027-03-11", "2"),
        ("2027-07-01", "5"),
    ] {
        bin(&db)
            .args(["fostering-panel", "add", "--date", date, "--slots", slots])
            .assert()
            .success();
    }
    let (first, first_agreed) = &waiting[0];
    let (second, _) = &waiting[1];
    bin(&db)
        .args([
            "fostering-panel",
            "book",
            "--child",
            first,
            "--date",
            "2026-10-08",
        ])
        .assert()
        .success()
        .stdout(format!(
            "Booked {first} to the Fostering Panel of 08/10/2026.\n"
        ));
    bin(&db)
        .args([
            "fostering-panel",
            "book",
            "--child",
            second,
            "--date",
            "2027-01-14",
        ])
        .assert()
        .success();
    // The January sitting has one slot: a third child is refused, by name.
    let third = waiting.get(2).map_or("C000001", |(c, _)| c.as_str());
    bin(&db)
        .args([
            "fostering-panel",
            "book",
            "--child",
            third,
            "--date",
            "2027-01-14",
        ])
        .assert()
        .failure()
        .stderr(predicates::str::contains(format!(
            "the Fostering Panel of 14/01/2027 is full: its one slot is booked ({second})"
        )));
    bin(&db)
        .args([
            "fostering-panel",
            "book",
            "--child",
            third,
            "--date",
            "2027-02-02",
        ])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "no Fostering Panel is recorded on 02/02/2027",
        ));

    let out = bin(&db)
        .args(["fostering-panel", "list", "--format", "csv"])
        .assert()
        .success();
    let rows = csv_rows(&out.get_output().stdout);
    assert_eq!(
        rows,
        vec![
            vec![
                "2026-10-08".to_owned(),
                "2".into(),
                "1".into(),
                "1".into(),
                first.clone()
            ],
            vec![
                "2027-01-14".to_owned(),
                "1".into(),
                "1".into(),
                "0".into(),
                second.clone()
            ],
            vec![
                "2027-03-11".to_owned(),
                "2".into(),
                "0".into(),
                "2".into(),
                String::new()
            ],
            vec![
                "2027-07-01".to_owned(),
                "5".into(),
                "0".into(),
                "5".into(),
                String::new()
            ],
        ]
    );

    // The report: demand, the slots of the next six months (not July's),
    // the children beyond the free slots, and the wait of the one heard.
    let md = report_md(&db);
    assert_eq!(
        shown(&md, "Children waiting for a long-term fostering match").1,
        format!("{} children", waiting.len())
    );
    assert_eq!(
        shown(
            &md,
            "Fostering Panel slots for long-term matches, 01/12/2026 to 30/05/2027"
        )
        .1,
        "3 matches"
    );
    assert!(
        md.contains(
            "The Fostering Panel's sittings recorded from 01/12/2026 to 30/05/2027: 14/01/2027 (1 slot, 1 booked); 11/03/2027 (2 slots, 0 booked)."
        ),
        "{md}"
    );
    // Two booked (one in October, one in January); the rest unbooked
    // against the 2 free slots of March.
    let unbooked = waiting.len() - 2;
    let beyond = unbooked.saturating_sub(2);
    let (measure, value) = shown(&md, "Children waiting for a long-term match beyond");
    assert!(
        measure.ends_with(&format!(
            "({unbooked} not booked; 2 free slots to 30/05/2027)"
        )),
        "{measure}"
    );
    let noun = if beyond == 1 { "child" } else { "children" };
    assert_eq!(value, format!("{beyond} {noun}"));
    let wait = (NaiveDate::from_ymd_opt(2026, 10, 8).expect("date") - *first_agreed).num_days();
    let (measure, value) = shown(
        &md,
        "Wait from a long-term fostering plan to the Fostering Panel",
    );
    assert!(
        measure.ends_with(&format!("(median; from {wait} to {wait} days)")),
        "{measure}"
    );
    assert_eq!(value, format!("{wait} days"));
    assert!(
        !md.contains("Fostering Panel capacity for long-term matches"),
        "{md}"
    );

    // The booking shows in the tracker and in the audit trail.
    let tracker = dir.path().join("tracker.xlsx");
    bin(&db)
        .args([
            "tracker",
            "export",
            "--format",
            "xlsx",
            "--as-at",
            "2026-11-27",
            "--out",
        ])
        .arg(&tracker)
        .assert()
        .success();
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(&tracker).expect("xlsx");
    let sheet = book.worksheet_range("Tracker").expect("Tracker");
    let header: Vec<String> = sheet
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = header
        .iter()
        .position(|h| h == "Fostering Panel")
        .expect("column");
    let row = sheet
        .rows()
        .find(|r| r[0].to_string() == *second)
        .expect("the booked child is tracked");
    assert!(matches!(row[col], Data::DateTime(_)), "{:?}", row[col]);
    let audit = bin(&db)
        .args(["audit", "show", "--child", second])
        .assert()
        .success();
    let shown_audit = String::from_utf8(audit.get_output().stdout.clone()).expect("utf-8");
    assert!(shown_audit.contains("fostering-booking"), "{shown_audit}");
    // A subject access export holds the booking.
    let sar = dir.path().join("sar");
    bin(&db)
        .args(["export-child", second.as_str(), "--out"])
        .arg(&sar)
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(sar.join("fostering_panel.csv")).expect("file"),
        "booked_to_the_fostering_panel_of\n14/01/2027\n"
    );
}

#[test]
fn a_booking_is_taken_off_and_an_empty_sitting_removed_and_each_refusal_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let to = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
    let child = waiting(&db, to)
        .into_iter()
        .next()
        .expect("the demo has a child waiting")
        .0;
    let run = |args: &[&str]| bin(&db).args(["fostering-panel"]).args(args).assert();
    run(&["add", "--date", "2027-01-14", "--slots", "1"]).success();
    run(&["book", "--child", &child, "--date", "2027-01-14"]).success();

    // A sitting with a child booked is not removed: the store says why.
    run(&["remove", "--date", "2027-01-14"])
        .failure()
        .stderr(predicates::str::contains(format!(
            "the Fostering Panel of 14/01/2027 cannot be removed: 1 child is booked to it ({child}); take their bookings off first"
        )));
    run(&["unbook", "--child", &format!(" {child} ")])
        .success()
        .stdout(format!(
            "Took {child} off the Fostering Panel of 14/01/2027.\n"
        ));
    run(&["unbook", "--child", &child])
        .failure()
        .stderr(predicates::str::contains(format!(
            "{child} is not booked to a Fostering Panel"
        )));
    let store = Store::open(&db).expect("open");
    assert_eq!(store.fostering_booking(&child).expect("read"), None);
    drop(store);

    run(&["remove", "--date", "2027-01-14"])
        .success()
        .stdout("Removed the Fostering Panel of 14/01/2027.\n");
    run(&["remove", "--date", "2027-01-14"])
        .failure()
        .stderr(predicates::str::contains(
            "no Fostering Panel is recorded on 14/01/2027",
        ));
    let out = run(&["list", "--format", "csv"]).success();
    assert!(csv_rows(&out.get_output().stdout).is_empty());

    // Both are in the audit trail, and the chain still verifies.
    let audit = bin(&db)
        .args(["audit", "show", "--child", &child])
        .assert()
        .success();
    let shown_audit = String::from_utf8(audit.get_output().stdout.clone()).expect("utf-8");
    assert!(
        shown_audit.contains(r#"""new"":null,""old"":""2027-01-14"""#),
        "{shown_audit}"
    );
    bin(&db).args(["audit", "verify"]).assert().success();
}
