//! Every Word and Excel file the program writes opens in LibreOffice: the
//! nearest thing to "the council's Word and Excel open it" that a test
//! machine has. CI installs LibreOffice (`.ci/run`); elsewhere the test is
//! skipped with a message when LibreOffice is not on the PATH.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::cli::{bin, demo_db, demo_meeting};
use chrono::{NaiveDate, NaiveTime};
use permanence_panel::store::{NewAction, Store};

fn office() -> Option<&'static str> {
    let found = ["libreoffice", "soffice"].into_iter().find(|program| {
        Command::new(program)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        // On CI the check must run: a missing install step should fail, not skip.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI=true but LibreOffice is not installed: .ci/run should install it"
        );
        eprintln!("LibreOffice is not on the PATH: skipping the conversion check");
    }
    found
}

/// The demo panel with its meeting minuted: a decision and an action for
/// each of the first three children on the agenda.
fn minuted_demo(dir: &Path) -> (PathBuf, NaiveDate) {
    let db = demo_db(dir);
    let mut store = Store::open(&db).expect("open the demo");
    let meeting = demo_meeting(&store);
    let items = store.agenda(meeting.id).expect("agenda");
    let during = meeting
        .date
        .and_time(NaiveTime::from_hms_opt(10, 0, 0).expect("time"));
    for item in items.iter().take(3) {
        store
            .record_decision(
                meeting.id,
                &item.child,
                "Plan for permanence confirmed; assessment to continue.",
                true,
                during,
            )
            .expect("decision");
        store
            .add_action(
                &NewAction {
                    meeting: meeting.id,
                    child: item.child.clone(),
                    text: "Write the later life letter for the office test".into(),
                    owner: "Team Manager".into(),
                    deadline: meeting.date + chrono::Days::new(28),
                },
                during,
            )
            .expect("action");
    }
    (db, meeting.date)
}

fn write(db: &Path, args: &[&str]) {
    bin(db).args(args).assert().success();
}

#[test]
fn libreoffice_opens_every_document_we_write() {
    let Some(office) = office() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, meeting) = minuted_demo(dir.path());
    let meeting = meeting.format("%Y-%m-%d").to_string();
    let from = "2026-01-01";
    let to = "2026-09-30";
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("docs dir");
    let out = |name: &str| docs.join(name).to_string_lossy().into_owned();

    write(
        &db,
        &[
            "minutes",
            "--meeting",
            &meeting,
            "--format",
            "docx",
            "--out",
            &out("minutes.docx"),
        ],
    );
    write(
        &db,
        &["actions", "--format", "xlsx", "--out", &out("actions.xlsx")],
    );
    write(
        &db,
        &[
            "tracker",
            "export",
            "--format",
            "xlsx",
            "--out",
            &out("tracker.xlsx"),
        ],
    );
    let targets = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/targets-example.toml");
    let targets = targets.to_string_lossy().into_owned();
    for kind in ["budget-scrutiny", "annual-plan", "smt"] {
        for format in ["docx", "xlsx"] {
            let file = out(&format!("{kind}.{format}"));
            let mut args = vec![
                "report", "--kind", kind, "--from", from, "--to", to, "--format", format, "--out",
                &file,
            ];
            if kind == "annual-plan" {
                args.extend(["--targets", targets.as_str()]);
            }
            write(&db, &args);
        }
    }

    let mut written: Vec<PathBuf> = std::fs::read_dir(&docs)
        .expect("list docs")
        .map(|e| e.expect("entry").path())
        .collect();
    written.sort();
    assert_eq!(written.len(), 9, "{written:?}");

    // LibreOffice reads each file and writes what it understood: Word files
    // as plain text, the first sheet of Excel files as CSV. Each must hold
    // what the program put there, so a file LibreOffice can only half read
    // (or reads as plain text) fails.
    let expected_start: &[(&str, &str)] = &[
        (
            "minutes.txt",
            "Wiltshire Council Children's Services Permanence Panel: minutes",
        ),
        (
            "budget-scrutiny.txt",
            // The title follows the period asked for (nine months here), not the
            // terms' usual cadence (issue 17).
            "Wiltshire Council Children's Services Permanence Panel: Nine-month report for Budget Scrutiny",
        ),
        (
            "annual-plan.txt",
            "Wiltshire Council Children's Services Permanence Panel:",
        ),
        (
            "smt.txt",
            "Wiltshire Council Children's Services Permanence Panel: Nine-month report to the Senior Management Team",
        ),
        (
            // The workbook heads its columns in words (the CSV keeps the
            // contract's names): a fixed divergence of issue 17.
            "actions.csv",
            "Action no.,Child,Set at the meeting of,Action,Owner,Deadline,Status,RAG,Days overdue",
        ),
        ("tracker.csv", "Child ID,Age,Cohort"),
        ("budget-scrutiny.csv", "Section,Measure,Value,Unit"),
        ("annual-plan.csv", "Section,Measure,Value,Unit,Target"),
        ("smt.csv", "Section,Measure,Value,Unit"),
    ];
    let profile = dir.path().join("lo-profile");
    for (extension, filter) in [
        ("docx", "txt:Text (encoded):UTF8"),
        ("xlsx", "csv:Text - txt - csv (StarCalc):44,34,76"),
    ] {
        let files: Vec<&PathBuf> = written
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == extension))
            .collect();
        let out_dir = dir.path().join(format!("from-{extension}"));
        convert(office, &profile, filter, &files, &out_dir);
    }
    for (name, start) in expected_start {
        let extension = if name.ends_with(".txt") {
            "docx"
        } else {
            "xlsx"
        };
        let path = dir.path().join(format!("from-{extension}")).join(name);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("LibreOffice made no {}: {e}", path.display()));
        let text = text.trim_start_matches('\u{feff}');
        assert!(
            text.starts_with(start),
            "{name} as LibreOffice read it starts {:?}, expected {start:?}",
            text.chars().take(120).collect::<String>()
        );
    }
    // The minutes hold the decisions typed in the meeting.
    let minutes =
        std::fs::read_to_string(dir.path().join("from-docx/minutes.txt")).expect("minutes text");
    assert_eq!(
        minutes
            .matches("Plan for permanence confirmed; assessment to continue.")
            .count(),
        3,
        "{minutes}"
    );
    let actions =
        std::fs::read_to_string(dir.path().join("from-xlsx/actions.csv")).expect("actions csv");
    assert_eq!(
        actions
            .matches("Write the later life letter for the office test")
            .count(),
        3,
        "{actions}"
    );
}

/// Converts `files` into `out_dir` through `filter`, with a profile
/// directory of the test's own, which keeps it apart from any LibreOffice
/// the user has open.
fn convert(office: &str, profile: &Path, filter: &str, files: &[&PathBuf], out_dir: &Path) {
    let status = Command::new(office)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.to_string_lossy()
        ))
        .args(["--headless", "--convert-to", filter, "--outdir"])
        .arg(out_dir)
        .args(files)
        .status()
        .expect("LibreOffice runs");
    assert!(status.success(), "LibreOffice exited with {status}");
}

/// `pdftotext` and `pdfinfo` (poppler-utils), which read the PDFs LibreOffice
/// prints; required on CI like LibreOffice itself.
fn poppler() -> bool {
    let found = Command::new("pdfinfo")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI=true but poppler-utils is not installed: .ci/run should install it"
        );
        eprintln!("pdfinfo is not on the PATH: skipping the print check");
    }
    found
}

/// The text of each page of a PDF.
fn pdf_pages(pdf: &Path) -> Vec<String> {
    let info = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo runs");
    let info = String::from_utf8_lossy(&info.stdout);
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count for {}: {info}", pdf.display()));
    (1..=pages)
        .map(|p| {
            let out = Command::new("pdftotext")
                .args(["-f", &p.to_string(), "-l", &p.to_string()])
                .arg(pdf)
                .arg("-")
                .output()
                .expect("pdftotext runs");
            String::from_utf8_lossy(&out.stdout).into_owned()
        })
        .collect()
}

#[test]
fn workbooks_print_one_page_wide_with_the_marking_on_every_page() {
    let Some(office) = office() else { return };
    if !poppler() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, meeting) = minuted_demo(dir.path());
    let as_at = (meeting + chrono::Days::new(7))
        .format("%Y-%m-%d")
        .to_string();
    let actions = dir.path().join("actions.xlsx");
    let tracker = dir.path().join("tracker.xlsx");
    write(
        &db,
        &[
            "actions",
            "--format",
            "xlsx",
            "--as-at",
            &as_at,
            "--out",
            &actions.to_string_lossy(),
        ],
    );
    write(
        &db,
        &[
            "tracker",
            "export",
            "--format",
            "xlsx",
            "--as-at",
            &as_at,
            "--out",
            &tracker.to_string_lossy(),
        ],
    );
    let out_dir = dir.path().join("pdf");
    convert(
        office,
        &dir.path().join("lo-profile"),
        "pdf",
        &[&actions, &tracker],
        &out_dir,
    );

    // The actions: every sheet (all actions, then one per owner) on one page.
    let sheets = calamine::open_workbook_auto(&actions)
        .map(|w: calamine::Sheets<_>| calamine::Reader::sheet_names(&w).len())
        .expect("the workbook reads back");
    let action_pages = pdf_pages(&out_dir.join("actions.pdf"));
    assert_eq!(action_pages.len(), sheets, "one page a sheet");
    // The tracker of the demo's children on one page, its About on at most two.
    let tracker_pages = pdf_pages(&out_dir.join("tracker.pdf"));
    assert!(
        (2..=3).contains(&tracker_pages.len()),
        "the tracker printed {} pages",
        tracker_pages.len()
    );
    for (name, pages) in [("actions", &action_pages), ("tracker", &tracker_pages)] {
        for (i, text) in pages.iter().enumerate() {
            assert!(
                text.contains("OFFICIAL-SENSITIVE"),
                "{name} page {} has no marking:\n{text}",
                i + 1
            );
            assert!(
                text.contains(&format!("Page {} of {}", i + 1, pages.len())),
                "{name} page {} has no page number:\n{text}",
                i + 1
            );
        }
    }
    // Headings in words (not the CSV's column names), atop each page.
    for text in &action_pages {
        assert!(
            text.contains("Deadline") && text.contains("Owner") && !text.contains("action_id"),
            "{text}"
        );
    }
}

/// The demo's documents as a Head of Service gets them (issue 17): the held
/// meeting's Word minutes and the three reports, Word and Excel, printed by
/// LibreOffice. Each prints within its page bound, and every page carries
/// the marking and its page number.
#[test]
fn the_demos_minutes_and_reports_print_within_bounds_marked_on_every_page() {
    let Some(office) = office() else { return };
    if !poppler() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let held = Store::open(&db)
        .expect("open")
        .meetings()
        .expect("meetings")
        .into_iter()
        .next()
        .expect("the held meeting");
    let held = held.date.format("%Y-%m-%d").to_string();
    let docx = dir.path().join("docx");
    let xlsx = dir.path().join("xlsx");
    std::fs::create_dir_all(&docx).expect("dir");
    std::fs::create_dir_all(&xlsx).expect("dir");
    let path = |folder: &Path, name: &str| folder.join(name).to_string_lossy().into_owned();
    write(
        &db,
        &[
            "minutes",
            "--meeting",
            &held,
            "--format",
            "docx",
            "--out",
            &path(&docx, "minutes.docx"),
        ],
    );
    let targets = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/targets-example.toml");
    let targets = targets.to_string_lossy().into_owned();
    for kind in ["budget-scrutiny", "annual-plan", "smt"] {
        for (format, folder) in [("docx", &docx), ("xlsx", &xlsx)] {
            let file = path(folder, &format!("{kind}.{format}"));
            let mut args = vec![
                "report",
                "--kind",
                kind,
                "--from",
                "2026-06-01",
                "--to",
                "2026-11-30",
                "--format",
                format,
                "--out",
                &file,
            ];
            if kind == "annual-plan" {
                args.extend(["--targets", targets.as_str()]);
            }
            write(&db, &args);
        }
    }
    let profile = dir.path().join("lo-profile");
    for folder in [&docx, &xlsx] {
        let files: Vec<PathBuf> = std::fs::read_dir(folder)
            .expect("list")
            .map(|e| e.expect("entry").path())
            .collect();
        let files: Vec<&PathBuf> = files.iter().collect();
        convert(office, &profile, "pdf", &files, &folder.join("pdf"));
    }
    // Bounds from the demo as printed when this was written, with a page
    // of room: a layout that sprawls fails here.
    let bounds = [
        (docx.join("pdf/minutes.pdf"), 4),
        (docx.join("pdf/budget-scrutiny.pdf"), 5),
        (docx.join("pdf/annual-plan.pdf"), 3),
        (docx.join("pdf/smt.pdf"), 4),
        (xlsx.join("pdf/budget-scrutiny.pdf"), 8),
        (xlsx.join("pdf/annual-plan.pdf"), 5),
        // The decisions section (issue 23: outcomes, time to endorsement,
        // sign-off) carries the Summary onto a second page.
        (xlsx.join("pdf/smt.pdf"), 6),
    ];
    for (pdf, most) in bounds {
        let pages = pdf_pages(&pdf);
        let name = pdf.display();
        assert!(
            !pages.is_empty() && pages.len() <= most,
            "{name} printed {} pages (at most {most})",
            pages.len()
        );
        for (i, text) in pages.iter().enumerate() {
            assert!(
                text.contains("OFFICIAL-SENSITIVE"),
                "{name} page {} has no marking:\n{text}",
                i + 1
            );
            assert!(
                text.contains(&format!("Page {} of {}", i + 1, pages.len())),
                "{name} page {} has no page number:\n{text}",
                i + 1
            );
        }
    }
    // The minutes say what the meeting was, in order, in print.
    let minutes = pdf_pages(&docx.join("pdf/minutes.pdf")).concat();
    let order = [
        "Chair:",
        "Present",
        "Quorum",
        "Matters arising",
        "Children heard",
        "Any other business",
        "Next meeting",
        "Approval",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|h| {
            minutes
                .find(h)
                .unwrap_or_else(|| panic!("no {h} in:\n{minutes}"))
        })
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "{order:?} out of order: {at:?}"
    );
}
