//! Every Word file we write (issue 17): table header rows that repeat on
//! each page, rows that do not split, alt text on every chart, and the
//! panel as author with the real time of writing (not "unknown" in 1970).

use std::path::Path;

use permanence_panel::export::docx_finish::part;

use crate::common::cli::bin;
use crate::common::tmux::demo_db;

fn parts(path: &Path) -> (String, String) {
    let open = || std::fs::File::open(path).expect("open");
    (
        part(open(), "word/document.xml").expect("document part"),
        part(open(), "docProps/core.xml").expect("core part"),
    )
}

#[test]
fn word_files_repeat_header_rows_describe_charts_and_name_the_panel_as_author() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let minutes = dir.path().join("minutes.docx");
    let smt = dir.path().join("smt.docx");
    bin(&db)
        .args([
            "minutes",
            "--meeting",
            "2026-11-27",
            "--format",
            "docx",
            "--out",
        ])
        .arg(&minutes)
        .assert()
        .success();
    bin(&db)
        .args([
            "report",
            "--kind",
            "smt",
            "--from",
            "2026-06-01",
            "--to",
            "2026-11-30",
            "--format",
            "docx",
            "--out",
        ])
        .arg(&smt)
        .assert()
        .success();
    let year = chrono::Local::now().format("%Y").to_string();
    for file in [&minutes, &smt] {
        let (document, core) = parts(file);
        let tables = document.matches("<w:tbl>").count();
        assert!(tables > 0, "{}", file.display());
        assert_eq!(document.matches("<w:tblHeader />").count(), tables);
        assert_eq!(
            document.matches("<w:cantSplit />").count(),
            document.matches("<w:tr>").count()
        );
        assert!(
            core.contains(
                "<dc:creator>Wiltshire Council Children's Services Permanence Panel</dc:creator>"
            ),
            "{core}"
        );
        assert!(
            core.contains(&format!(
                "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{year}-"
            )),
            "{core}"
        );
        assert!(
            !core.contains("1970") && !core.contains("unknown"),
            "{core}"
        );
    }
    // The SMT report's chart says what it shows, and every picture has alt text.
    let (document, core) = parts(&smt);
    let pictures = document.matches("<wp:docPr ").count();
    assert!(pictures > 0);
    assert_eq!(document.matches("<wp:docPr descr=\"").count(), pictures);
    assert!(
        document.contains("descr=\"Bar chart of Average days from entering care to leaving, by route. Adoption order: Average days "),
        "{document}"
    );
    assert!(
        core.contains("<dc:title>Six-monthly report to the Senior Management Team</dc:title>"),
        "{core}"
    );
}
