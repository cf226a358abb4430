//! Input that cannot escape (issue 18): a zip bomb posing as a workbook,
//! terms values out of bounds, dates that would overflow.

use std::io::Write;
use std::path::Path;

use crate::common::cli::new_panel;

/// A 200 MB-plus sheet of spaces, deflated to well under a megabyte.
fn zip_bomb(path: &Path) {
    let file = std::fs::File::create(path).expect("create");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("[Content_Types].xml", options)
        .expect("part");
    zip.write_all(b"<?xml version=\"1.0\"?><Types/>")
        .expect("write");
    zip.start_file("xl/worksheets/sheet1.xml", options)
        .expect("part");
    zip.write_all(b"<worksheet><sheetData>").expect("write");
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..210 {
        zip.write_all(&chunk).expect("write");
    }
    zip.write_all(b"</sheetData></worksheet>").expect("write");
    zip.finish().expect("zip");
}

#[cfg(unix)]
#[test]
fn a_zip_bomb_workbook_is_refused_before_it_is_inflated_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = new_panel(dir.path(), "wiltshire");
    let bomb = dir.path().join("bomb.xlsx");
    zip_bomb(&bomb);
    let packed = std::fs::metadata(&bomb).expect("meta").len();
    assert!(packed < 2_000_000, "the bomb is small: {packed} bytes");
    // Under a 1 GB address-space limit: a reader that inflated the sheet
    // into memory would abort; the check streams it and says why.
    let program = assert_cmd::cargo::cargo_bin("permanence-panel");
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 1000000; exec \"$0\" --db \"$1\" tracker import \"$2\"")
        .arg(&program)
        .arg(&db)
        .arg(&bomb)
        .env_remove("PERMANENCE_PANEL_DB")
        .output()
        .expect("runs");
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains("bomb.xlsx:0:xl/worksheets/sheet1.xml")
            && message.contains("inflates to at most 200 MB"),
        "{message}"
    );
}
