//! Approved minutes frozen whole (issue 18): a members import that renames,
//! re-titles and re-roles members after approval leaves the approved
//! minutes byte for byte as they were, quorum included.

use crate::cli_minutes::{MEETING, approve_at, minuted_panel};
use crate::common::cli::bin;

fn minutes_md(db: &std::path::Path) -> Vec<u8> {
    let output = bin(db)
        .args(["minutes", "--meeting", MEETING, "--format", "md"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    output.stdout
}

/// Every member renamed and re-titled, and the first two roles swapped.
fn reshuffled(exported: &str) -> String {
    let mut rows: Vec<Vec<String>> = csv::Reader::from_reader(exported.as_bytes())
        .records()
        .map(|r| r.expect("row").iter().map(str::to_owned).collect())
        .collect();
    let (first, second) = (rows[0][1].clone(), rows[1][1].clone());
    rows[0][1] = second;
    rows[1][1] = first;
    for row in &mut rows {
        row[2] = format!("Renamed {}", row[2]);
        row[3] = "ZZ".to_owned();
    }
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(exported.lines().next().expect("header").split(','))
        .expect("header");
    for row in rows {
        out.write_record(row).expect("row");
    }
    String::from_utf8(out.into_inner().expect("csv")).expect("UTF-8")
}

#[test]
fn a_members_import_after_approval_leaves_the_approved_minutes_byte_for_byte() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = minuted_panel(dir.path());
    approve_at(&db, "2026-12-18").assert().success();
    let approved = minutes_md(&db);

    let exported = bin(&db).args(["members", "export"]).output().expect("runs");
    let file = dir.path().join("members.csv");
    std::fs::write(
        &file,
        reshuffled(&String::from_utf8_lossy(&exported.stdout)),
    )
    .expect("write");
    bin(&db)
        .args(["members", "import"])
        .arg(&file)
        .assert()
        .success();
    // The import did change the members.
    let now = bin(&db).args(["members", "export"]).output().expect("runs");
    assert!(String::from_utf8_lossy(&now.stdout).contains("Renamed "));

    let after = minutes_md(&db);
    assert_eq!(
        String::from_utf8_lossy(&after),
        String::from_utf8_lossy(&approved),
        "approved minutes changed"
    );
    assert_eq!(after, approved);
}
