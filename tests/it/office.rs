//! Every Word and Excel file the program writes opens in LibreOffice: the
//! nearest thing to "the council's Word and Excel open it" that a test
//! machine has. CI installs LibreOffice (`.ci/run`); elsewhere the test is
//! skipped with a message when LibreOffice is not on the PATH.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::cli::bin;
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
    let db = dir.join("demo.db");
    bin(&db).args(["demo", "--no-app"]).assert().success();
    let mut store = Store::open(&db).expect("open the demo");
    let meeting = store
        .meetings()
        .expect("meetings")
        .pop()
        .expect("the demo meeting, after last month's");
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
            "Wiltshire Council Children's Services Permanence Panel: Quarterly report",
        ),
        (
            "annual-plan.txt",
            "Wiltshire Council Children's Services Permanence Panel:",
        ),
        (
            "smt.txt",
            "Wiltshire Council Children's Services Permanence Panel: Six-monthly report",
        ),
        (
            "actions.csv",
            "action_id,child_id,meeting_date,action,owner,deadline,status,rag,days_overdue",
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
