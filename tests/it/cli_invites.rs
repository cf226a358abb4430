//! Invitations that say where, who organises and who the child's social
//! worker is (issue 17): the panel's details set with `panel-details`, the
//! allocated social worker from the return's SWEpisodes table.

use permanence_panel::store::Store;

use crate::common::cli::{bin, csv_rows};
use crate::common::tmux::demo_db;

fn invites(db: &std::path::Path, out: &std::path::Path) -> Vec<Vec<String>> {
    bin(db)
        .args(["invites", "--meeting", "2026-12-24", "--out"])
        .arg(out)
        .assert()
        .success();
    csv_rows(&std::fs::read(out.join("invitations.csv")).expect("csv"))
}

#[test]
fn invitations_name_the_place_the_organiser_and_the_allocated_social_worker() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());

    // The preset holds neither place nor mailbox: no such lines.
    let before = invites(&db, &dir.path().join("before"));
    let first = &before[0];
    let ics = std::fs::read_to_string(dir.path().join("before").join(&first[7])).expect("ics");
    assert!(
        !ics.contains("ORGANIZER") && !ics.contains("LOCATION"),
        "{ics}"
    );
    assert_eq!((first[9].as_str(), first[10].as_str()), ("", ""));

    bin(&db)
        .args([
            "panel-details",
            "set",
            "--administrator-mailbox",
            "not an address",
        ])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "--administrator-mailbox: found 'not an address', expected one email address",
        ));
    bin(&db)
        .args([
            "panel-details",
            "set",
            "--place",
            "Committee Room 2, County Hall, Trowbridge",
            "--administrator-mailbox",
            "permanence.panel@example.gov.uk",
        ])
        .assert()
        .success();
    bin(&db)
        .args(["panel-details", "show"])
        .assert()
        .success()
        .stdout("Place: Committee Room 2, County Hall, Trowbridge\nAdministrator mailbox: permanence.panel@example.gov.uk\n");

    let out = dir.path().join("after");
    let rows = invites(&db, &out);
    assert_eq!(rows.len(), before.len());
    let store = Store::open(&db).expect("open");
    let meeting = chrono::NaiveDate::from_ymd_opt(2026, 12, 24).expect("date");
    let mut named = 0;
    for row in &rows {
        // The contract's columns first, as before; the new ones after.
        assert_eq!(
            row[..8],
            before.iter().find(|b| b[2] == row[2]).expect("same child")[..8]
        );
        assert_eq!(row[9], "Committee Room 2, County Hall, Trowbridge");
        assert_eq!(row[10], "permanence.panel@example.gov.uk");
        // The social worker allocated on the meeting's day, read here
        // straight from the SWEpisodes rows held.
        let expected = store
            .child_extras(&row[2])
            .expect("extras")
            .into_iter()
            .filter(|e| e.table == "SWEpisodes")
            .filter(|e| {
                let from = permanence_panel::rules::dates::parse_dmy(&e.fields[3]);
                let to = permanence_panel::rules::dates::parse_dmy(&e.fields[4]);
                from.is_some_and(|f| f <= meeting) && to.is_none_or(|t| t >= meeting)
            })
            .max_by_key(|e| permanence_panel::rules::dates::parse_dmy(&e.fields[3]))
            .map(|e| e.fields[2].clone())
            .unwrap_or_default();
        assert_eq!(row[8], expected, "{}", row[2]);
        let ics = std::fs::read_to_string(out.join(&row[7])).expect("ics");
        let unfolded = ics.replace("\r\n ", "");
        assert!(
            unfolded.contains("LOCATION:Committee Room 2\\, County Hall\\, Trowbridge"),
            "{unfolded}"
        );
        assert!(
            unfolded.contains(
                "ORGANIZER;CN=Panel administrator:mailto:permanence.panel@example.gov.uk"
            ),
            "{unfolded}"
        );
        if !expected.is_empty() {
            assert!(
                unfolded.contains(&format!("The child's allocated social worker: {expected}.")),
                "{unfolded}"
            );
            named += 1;
        }
    }
    assert!(named > 0, "the demo's return holds social workers");
    let audit = bin(&db).args(["audit", "show"]).assert().success();
    let audit = String::from_utf8(audit.get_output().stdout.clone()).expect("utf-8");
    assert!(audit.contains("panel-detail"), "the change is audited");
}
