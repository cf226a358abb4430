//! `minutes --format docx|md` through the binary, on a panel minuted through
//! the library as the app does. The setup is fixed (dates, times, synthetic
//! child ids) so the Markdown snapshot is stable whatever day the test runs.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use docx_rs::{DocumentChild, TableCellContent, TableChild, TableRowChild};
use permanence_panel::model::{ActionStatus, AttendanceState};
use permanence_panel::store::{ChildName, NewAction, Store, StoreError};
use predicates::prelude::*;

use crate::common::cli::{bin, new_panel};

pub(crate) const MEETING: &str = "2026-11-27";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn at(d: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    d.and_hms_opt(h, m, 0).expect("valid time")
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
}

/// A Wiltshire panel with one named member, an earlier meeting that left
/// one action open (and one done), and the meeting of 27/11/2026: roll
/// call with a late leaver and apologies, two children heard, one decision
/// taken while inquorate, and actions for both.
pub(crate) fn minuted_panel(dir: &Path) -> PathBuf {
    let db = new_panel(dir, "wiltshire");
    // Initials only, as councils type them: the member shows as "AB (job title)".
    let members_csv = dir.join("members.csv");
    let exported = bin(&db).args(["members", "export"]).assert().success();
    let csv = String::from_utf8(exported.get_output().stdout.clone()).expect("utf-8");
    let csv = csv.replace(
        "5,team-manager-kinship-fostering,Kinship and Fostering Team Manager,,",
        "5,team-manager-kinship-fostering,Kinship and Fostering Team Manager,AB,",
    );
    assert!(
        csv.contains(",AB,"),
        "the member row to name was not found:\n{csv}"
    );
    std::fs::write(&members_csv, csv).expect("write members.csv");
    bin(&db)
        .args(["members", "import"])
        .arg(&members_csv)
        .assert()
        .success();

    let earlier_day = day(2026, 10, 30);
    let meeting_day = day(2026, 11, 27);
    let mut store = Store::open(&db).expect("open");
    let earlier = store
        .add_meeting(earlier_day, hm(9, 30), hm(13, 0), at(earlier_day, 8, 0))
        .expect("earlier meeting");
    let meeting = store
        .add_meeting(meeting_day, hm(9, 30), hm(13, 0), at(earlier_day, 8, 0))
        .expect("meeting");

    let still_open = NewAction {
        meeting: earlier,
        child: "C000789".into(),
        text: "Send the life story book to the IRO".into(),
        owner: "Independent Reviewing Officer".into(),
        deadline: day(2026, 11, 20),
    };
    store
        .add_action(&still_open, at(earlier_day, 10, 15))
        .expect("open action");
    let done = store
        .add_action(
            &NewAction {
                text: "Book the later life letter meeting".into(),
                ..still_open.clone()
            },
            at(earlier_day, 10, 20),
        )
        .expect("done action");
    store
        .set_action_status(done, ActionStatus::Done, None, at(day(2026, 11, 10), 9, 0))
        .expect("done");

    // An action from a later meeting is not a matter arising yet.
    let later_day = day(2026, 12, 18);
    let later = store
        .add_meeting(later_day, hm(9, 30), hm(13, 0), at(earlier_day, 8, 0))
        .expect("later meeting");
    store
        .add_action(
            &NewAction {
                meeting: later,
                text: "Check the contact arrangements".into(),
                deadline: day(2027, 1, 15),
                ..still_open.clone()
            },
            at(later_day, 10, 0),
        )
        .expect("later action");

    store
        .set_agenda(
            meeting,
            &[
                (
                    "C000123".into(),
                    "foster-12m".into(),
                    vec!["In foster care for 12 months without a permanence plan.".into()],
                ),
                (
                    "C000456".into(),
                    "referral".into(),
                    vec!["Referred by the social worker.".into()],
                ),
            ],
            at(earlier_day, 9, 0),
        )
        .expect("agenda");

    let members = store.members().expect("members");
    for m in &members {
        let state = match m.role.as_str() {
            "service-manager-cp" => AttendanceState::Apologies,
            "panel-administrator" => continue,
            _ => AttendanceState::Present,
        };
        store
            .set_attendance(meeting, m.id, state, None, at(meeting_day, 9, 35))
            .expect("attendance");
    }
    // The head of service leaves before the second child.
    let head = members
        .iter()
        .find(|m| m.role == "head-of-service")
        .expect("the preset has a head of service");
    store
        .set_attendance(
            meeting,
            head.id,
            AttendanceState::Absent,
            None,
            at(meeting_day, 11, 40),
        )
        .expect("leaves");

    store
        .record_decision(
            meeting,
            "C000123",
            "Progress the SGO assessment with the aunt.\nReview at the next panel.",
            true,
            at(meeting_day, 10, 5),
        )
        .expect("decision");
    store
        .record_decision(
            meeting,
            "C000456",
            "Seek a placement with siblings.",
            false,
            at(meeting_day, 12, 10),
        )
        .expect("inquorate decision");
    for (child, text, owner, deadline) in [
        (
            "C000123",
            "Complete the SGO assessment",
            "Kinship and Fostering Team Manager",
            day(2027, 1, 29),
        ),
        (
            "C000123",
            "Update the care plan",
            "Service Manager – Children in Care and Placement Services",
            day(2026, 12, 18),
        ),
        (
            "C000456",
            "Family finding for a sibling placement",
            "AB",
            day(2027, 2, 26),
        ),
    ] {
        store
            .add_action(
                &NewAction {
                    meeting,
                    child: child.into(),
                    text: text.into(),
                    owner: owner.into(),
                    deadline,
                },
                at(meeting_day, 12, 20),
            )
            .expect("action");
    }
    db
}

fn paragraph_text(p: &docx_rs::Paragraph) -> String {
    p.raw_text()
}

/// The document's body as lines: one per paragraph, one per table row with
/// its cells joined by " | ".
fn docx_lines(doc: &docx_rs::Docx) -> Vec<String> {
    let mut lines = Vec::new();
    for child in &doc.document.children {
        match child {
            DocumentChild::Paragraph(p) => lines.push(paragraph_text(p)),
            DocumentChild::Table(t) => {
                for TableChild::TableRow(row) in &t.rows {
                    let cells: Vec<String> = row
                        .cells
                        .iter()
                        .map(|TableRowChild::TableCell(cell)| {
                            cell.children
                                .iter()
                                .filter_map(|c| match c {
                                    TableCellContent::Paragraph(p) => Some(paragraph_text(p)),
                                    _ => None,
                                })
                                .collect::<Vec<_>>()
                                .join(" ")
                        })
                        .collect();
                    lines.push(cells.join(" | "));
                }
            }
            _ => {}
        }
    }
    lines
}

fn has_line(lines: &[String], wanted: &str) -> bool {
    lines.iter().any(|l| l == wanted)
}

#[test]
fn docx_minutes_carry_attendance_quorum_matters_arising_decisions_and_actions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = minuted_panel(dir.path());
    let file = dir.path().join("minutes.docx");
    bin(&db)
        .args(["minutes", "--format", "docx", "--meeting", MEETING, "--out"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Wrote the minutes of 27/11/2026 to",
        ));

    let bytes = std::fs::read(&file).expect("docx written");
    let doc = docx_rs::read_docx(&bytes).expect("a readable Word document");
    let lines = docx_lines(&doc);
    let all = lines.join("\n");
    let expect = |wanted: &str| assert!(has_line(&lines, wanted), "missing {wanted:?} in:\n{all}");

    expect("Wiltshire Council Children's Services Permanence Panel: minutes");
    expect("Date and time: Friday 27 November 2026, 09:30 to 13:00");
    expect("Chair: Head of Service – Care, Placements and YPS");

    // The register: members present with their times where they differ
    // from the meeting's, advisers in attendance, apologies.
    expect("Present");
    expect("Head of Service – Care, Placements and YPS, arrived 09:35, left 11:40");
    expect("Service Manager – Children in Care and Placement Services, arrived 09:35");
    expect("Service Manager – Conference and Reviewing Service, arrived 09:35");
    expect("AB (Kinship and Fostering Team Manager), arrived 09:35");
    expect("In attendance");
    expect("Independent Reviewing Officer (Conference and Reviewing Service), arrived 09:35");
    expect("Apologies");
    expect("Service Manager – Child Protection");
    // The administrator was not marked: an adviser who was not there is not listed.
    assert!(!all.contains("Panel Administrator"), "{all}");

    // Quorum, once: the rule, when it did not hold, who filled each place.
    expect("Quorum");
    expect(
        "The quorum is a social work manager; a Head of Service or Service Manager; a Conference and Reviewing Service representative or substitute. The meeting was not quorate from 09:30 to 09:35.",
    );
    expect("a social work manager: Service Manager – Children in Care and Placement Services");
    expect("a Head of Service or Service Manager: Head of Service – Care, Placements and YPS");
    expect(
        "a Conference and Reviewing Service representative or substitute: Service Manager – Conference and Reviewing Service",
    );
    // Wiltshire's terms state their quorum: nothing is called assumed.
    assert!(!all.contains("assumed"), "{all}");

    // Matters arising: the open action from 30/10/2026, not the done one.
    expect("Matters arising");
    expect(
        "C000789 | Send the life story book to the IRO | Independent Reviewing Officer | 30/10/2026 | Still open, overdue since 20/11/2026",
    );
    assert!(!all.contains("Book the later life letter meeting"), "{all}");
    assert!(!all.contains("Check the contact arrangements"), "{all}");
    // This meeting's own actions are minuted under their child, once.
    assert_eq!(
        all.matches("Complete the SGO assessment").count(),
        1,
        "{all}"
    );

    // The children, in agenda order, with reasons, decisions and actions.
    let first = lines
        .iter()
        .position(|l| l == "1. Child C000123")
        .expect("first child heading");
    let second = lines
        .iter()
        .position(|l| l == "2. Child C000456")
        .expect("second child heading");
    assert!(first < second);
    expect("Listed because: In foster care for 12 months without a permanence plan.");
    expect("Decision (recorded at 10:05)");
    expect("Progress the SGO assessment with the aunt.");
    expect("Review at the next panel.");
    expect("Decision (recorded at 12:10) (recorded while the meeting was not quorate)");
    expect("Seek a placement with siblings.");
    expect("Action | Owner | Deadline");
    expect("Complete the SGO assessment | Kinship and Fostering Team Manager | 29/01/2027");
    expect(
        "Update the care plan | Service Manager – Children in Care and Placement Services | 18/12/2026",
    );
    expect("Family finding for a sibling placement | AB | 26/02/2027");
    // Each action sits under its own child.
    let action_row = |text: &str| {
        lines
            .iter()
            .position(|l| l.starts_with(text))
            .expect("action row")
    };
    assert!(first < action_row("Complete the SGO assessment"));
    assert!(action_row("Complete the SGO assessment") < second);
    assert!(second < action_row("Family finding"));

    // The inquorate flag is bold; the quorate decision carries no flag.
    let flag_is_bold = doc.document.children.iter().any(|c| match c {
        DocumentChild::Paragraph(p) => {
            p.raw_text().contains("12:10")
                && serde_json::to_string(p).is_ok_and(|json| {
                    json.contains("recorded while the meeting was not quorate")
                        && json.contains("\"bold\":true")
                })
        }
        _ => false,
    });
    assert!(flag_is_bold, "the inquorate flag is not bold");
    assert_eq!(all.matches("not quorate)").count(), 1, "{all}");

    // The protective marking closes the document and sits in header and footer.
    assert_eq!(
        lines.last().map(String::as_str),
        Some("OFFICIAL-SENSITIVE: contains personal data about children")
    );
    let header = doc
        .document
        .section_property
        .header
        .as_ref()
        .map(|(_, h)| serde_json::to_string(h).unwrap_or_default())
        .unwrap_or_default();
    assert!(header.contains("OFFICIAL-SENSITIVE"), "header: {header}");
    let footer = doc
        .document
        .section_property
        .footer
        .as_ref()
        .map(|(_, f)| serde_json::to_string(f).unwrap_or_default())
        .unwrap_or_default();
    assert!(footer.contains("OFFICIAL-SENSITIVE"), "footer: {footer}");
    assert!(
        footer.contains("Page ") && footer.contains(" of "),
        "footer: {footer}"
    );

    // A4 portrait.
    assert_eq!(
        doc.document.section_property.page_size,
        docx_rs::PageSize::new().size(11_906, 16_838)
    );

    convert_to_pdf_if_libreoffice(&file, dir.path());
}

/// Word is not here, but LibreOffice opening the file is a fair proxy for
/// "Word will open it"; skipped where it is not installed.
fn convert_to_pdf_if_libreoffice(docx: &Path, out_dir: &Path) {
    let found = std::process::Command::new("libreoffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("libreoffice is not on PATH: skipping the PDF conversion check");
        return;
    }
    let status = std::process::Command::new("libreoffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out_dir)
        .arg(docx)
        .status()
        .expect("libreoffice runs");
    assert!(
        status.success(),
        "libreoffice could not convert the minutes"
    );
    assert!(out_dir.join("minutes.pdf").exists());
}

#[test]
fn docx_minutes_without_out_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = minuted_panel(dir.path());
    bin(&db)
        .args(["minutes", "--format", "docx", "--meeting", MEETING])
        .assert()
        .failure()
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("--out FILE"));
}

#[test]
fn markdown_minutes_of_the_fixed_meeting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = minuted_panel(dir.path());
    let out = bin(&db)
        .args(["minutes", "--format", "md", "--meeting", MEETING])
        .assert()
        .success();
    let md = String::from_utf8(out.get_output().stdout.clone()).expect("utf-8");
    insta::assert_snapshot!(md);
}

#[test]
fn minutes_name_children_by_initials_unless_full_names_are_asked_for() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = minuted_panel(dir.path());
    {
        let mut store = Store::open(&db).expect("open");
        let amber = ChildName::from_full_name("Amber Birch").expect("a name");
        // A tracker may hold initials only.
        let initials_only = ChildName {
            full_name: None,
            initials: "CH".into(),
        };
        store
            .set_child_names(
                &[("C000123".into(), amber), ("C000456".into(), initials_only)],
                "synthetic",
                at(day(2026, 11, 1), 9, 0),
            )
            .expect("names");
    }
    let md = |extra: &[&str]| {
        let out = bin(&db)
            .args(["minutes", "--meeting", MEETING, "--format", "md"])
            .args(extra)
            .assert()
            .success();
        String::from_utf8(out.get_output().stdout.clone()).expect("utf-8")
    };
    let by_initials = md(&[]);
    assert!(
        by_initials.contains("### 1. Child C000123 (AB)\n"),
        "{by_initials}"
    );
    assert!(by_initials.contains("### 2. Child C000456 (CH)\n"));
    assert!(!by_initials.contains("Amber"));
    let in_full = md(&["--full-names"]);
    assert!(
        in_full.contains("### 1. Child C000123 (Amber Birch)\n"),
        "{in_full}"
    );
    assert!(in_full.contains("### 2. Child C000456 (CH)\n"));

    // The Word minutes name them the same way.
    let docx = dir.path().join("m.docx");
    bin(&db)
        .args([
            "minutes",
            "--meeting",
            MEETING,
            "--format",
            "docx",
            "--full-names",
            "--out",
        ])
        .arg(&docx)
        .assert()
        .success();
    let bytes = std::fs::read(&docx).expect("docx");
    let doc = docx_rs::read_docx(&bytes).expect("reads");
    let lines = docx_lines(&doc);
    assert!(
        has_line(&lines, "1. Child C000123 (Amber Birch)"),
        "{lines:?}"
    );
}

/// `minutes approve` of the minuted meeting at the meeting of `at_meeting`.
pub(crate) fn approve_at(db: &Path, at_meeting: &str) -> assert_cmd::Command {
    let mut cmd = bin(db);
    cmd.args(["minutes", "approve", "--meeting", MEETING])
        .args(["--at-meeting", at_meeting]);
    cmd
}

const FROZEN: &str =
    "The minutes of 27/11/2026 were approved on 18/12/2026; record a correction instead";

#[test]
fn approved_minutes_are_frozen_but_actions_can_still_be_done() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = minuted_panel(dir.path());
    // Corrections are for approved minutes only.
    bin(&db)
        .args([
            "minutes",
            "correct",
            "--meeting",
            MEETING,
            "--text",
            "Too soon.",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "the minutes of 27/11/2026 are not approved yet",
        ));
    // Minutes are approved at a later meeting.
    approve_at(&db, "2026-10-30")
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "minutes are approved at a later meeting: 30/10/2026 is not after 27/11/2026",
        ));
    approve_at(&db, "2026-12-18")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "The minutes of 27/11/2026 are approved at the meeting of 18/12/2026",
        ));
    approve_at(&db, "2026-12-18")
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "the minutes of 27/11/2026 were already approved on 18/12/2026",
        ));

    let mut store = Store::open(&db).expect("open");
    let meeting = store
        .meeting_on(day(2026, 11, 27))
        .expect("read")
        .expect("the meeting");
    let approval = store
        .minutes_approval(meeting.id)
        .expect("read")
        .expect("approved");
    assert_eq!(approval.approved_on, day(2026, 12, 18));
    let when = at(day(2026, 12, 18), 11, 0);
    let refused = |r: Result<(), StoreError>| match r {
        Err(StoreError::Refused(why)) => assert_eq!(why, FROZEN),
        other => panic!("expected the refusal, got {other:?}"),
    };
    refused(
        store
            .record_decision(meeting.id, "C000123", "Changed later.", true, when)
            .map(|_| ()),
    );
    let actions = store.actions_for_meeting(meeting.id).expect("actions");
    refused(
        store
            .add_action(
                &NewAction {
                    meeting: meeting.id,
                    child: "C000123".into(),
                    text: "An afterthought".into(),
                    owner: "AB".into(),
                    deadline: day(2027, 1, 8),
                },
                when,
            )
            .map(|_| ()),
    );
    refused(store.delete_action(actions[0].id, when));
    let member = store.members().expect("members")[0].id;
    refused(store.set_attendance(meeting.id, member, AttendanceState::Absent, None, when));
    // Follow-up is not minutes: an action set there can still be done.
    store
        .set_action_status(actions[0].id, ActionStatus::Done, None, when)
        .expect("status changes stay allowed");
    assert_eq!(
        store.decisions(meeting.id).expect("decisions")[0].text,
        "Progress the SGO assessment with the aunt.\nReview at the next panel."
    );
    drop(store);

    // Whatever writes to the file, the triggers refuse a change to the
    // minutes: even a connection that passes the tables' guard against
    // other tools (it defines the function only the program's connections
    // define) meets the frozen-minutes triggers.
    let conn = rusqlite::Connection::open(&db).expect("sqlite");
    conn.create_scalar_function(
        "panel_app_write",
        0,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8,
        |_| Ok(true),
    )
    .expect("function");
    let by_hand = conn.execute(
        "UPDATE decisions SET text = 'by hand' WHERE meeting_id = ?1",
        [meeting.id],
    );
    assert!(
        by_hand.is_err_and(|e| e.to_string().contains("approved")),
        "the trigger refuses"
    );
    let by_hand = conn.execute(
        "UPDATE actions SET owner = 'someone' WHERE meeting_id = ?1",
        [meeting.id],
    );
    assert!(by_hand.is_err());
    conn.execute(
        "UPDATE actions SET status = 'dropped' WHERE meeting_id = ?1",
        [meeting.id],
    )
    .expect("the status is not minutes");
}

#[test]
fn corrections_to_approved_minutes_show_under_corrections() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = minuted_panel(dir.path());
    approve_at(&db, "2026-12-18")
        .env("PERMANENCE_PANEL_USER", "panel-admin")
        .assert()
        .success();
    bin(&db)
        .args([
            "minutes",
            "correct",
            "--meeting",
            MEETING,
            "--text",
            "The SGO assessment is with the maternal aunt, not the paternal aunt.",
        ])
        .env("PERMANENCE_PANEL_USER", "panel-admin")
        .assert()
        .success()
        .stdout("Recorded a correction to the minutes of 27/11/2026\n");
    let out = bin(&db)
        .args(["minutes", "--meeting", MEETING])
        .assert()
        .success();
    let md = String::from_utf8(out.get_output().stdout.clone()).expect("utf-8");
    let approval = md
        .find("## Approval\n\nApproved at the meeting of 18/12/2026 (recorded by panel-admin on ");
    let corrections = md.find("## Corrections\n\n- ");
    assert!(approval.is_some() && corrections > approval, "{md}");
    assert!(md.contains(
        ", recorded by panel-admin: The SGO assessment is with the maternal aunt, not the paternal aunt.\n"
    ));
    // The original decision stands as minuted.
    assert!(md.contains("> Progress the SGO assessment with the aunt.\n"));
}

#[test]
fn the_original_minutes_flags_still_need_a_meeting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = minuted_panel(dir.path());
    bin(&db)
        .args(["minutes", "--format", "md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--meeting"));
    // Flags of the minutes themselves do not mix with a subcommand.
    bin(&db)
        .args(["minutes", "--format", "md", "approve", "--meeting", MEETING])
        .assert()
        .code(2);
    let file = dir.path().join("minutes.md");
    bin(&db)
        .args(["minutes", "--meeting", MEETING, "--out"])
        .arg(&file)
        .assert()
        .success();
    let written = std::fs::read_to_string(&file).expect("written");
    assert!(
        written.contains("### 1. Child C000123\n"),
        "no names held: ids only"
    );
}

const AGENDA_FROZEN: &str =
    "The minutes of 27/11/2026 were approved on 18/12/2026, so its agenda can no longer change";

/// Issues 17/18: approved minutes list the children heard and not reached,
/// so once they are approved every change to that meeting's agenda is
/// refused (as other refusals: exit status 1, the reason on stderr), and
/// the triggers refuse it whatever writes to the file.
#[test]
fn an_approved_meetings_agenda_is_refused_every_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = minuted_panel(dir.path());
    let agenda_csv = |db: &Path| {
        let out = bin(db)
            .args(["agenda", "--meeting", MEETING, "--format", "csv"])
            .assert()
            .success();
        out.get_output().stdout.clone()
    };
    // Before approval the agenda still changes (the pin is taken).
    bin(&db)
        .args(["agenda", "--meeting", MEETING, "--pin", "C000456"])
        .assert()
        .success();
    approve_at(&db, "2026-12-18").assert().success();
    let before = agenda_csv(&db);
    let changes: [&[&str]; 7] = [
        &["--build"],
        &["--pin", "C000123"],
        &["--unpin", "C000456"],
        &["--add", "C000789", "--reason", "Placement at risk"],
        &["--remove", "C000123", "--reason", "Heard elsewhere"],
        &["--move", "C000456", "--to", "1"],
        &["--publish"],
    ];
    for change in changes {
        bin(&db)
            .args(["agenda", "--meeting", MEETING])
            .args(change)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(AGENDA_FROZEN));
    }
    assert_eq!(agenda_csv(&db), before, "the agenda is as it was approved");

    // The store refuses a whole new agenda too (the app's path).
    let mut store = Store::open(&db).expect("open");
    let meeting = store
        .meeting_on(day(2026, 11, 27))
        .expect("read")
        .expect("the meeting");
    match store.set_agenda(meeting.id, &[], at(day(2026, 12, 18), 11, 0)) {
        Err(StoreError::Refused(why)) => assert_eq!(why, AGENDA_FROZEN),
        other => panic!("expected the refusal, got {other:?}"),
    }
    drop(store);

    // Past the program's own check, the triggers refuse it: even a
    // connection that passes the guard against other tools.
    let conn = rusqlite::Connection::open(&db).expect("sqlite");
    conn.create_scalar_function(
        "panel_app_write",
        0,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8,
        |_| Ok(true),
    )
    .expect("function");
    for by_hand in [
        "UPDATE agenda_items SET position = position + 10 WHERE meeting_id = ?1",
        "INSERT INTO agenda_items(meeting_id, child_id, position, listed_under, reasons)
         VALUES (?1, 'C000999', 9, 'added', '[]')",
        "UPDATE agenda_choices SET pinned = 0 WHERE meeting_id = ?1",
        "INSERT INTO agenda_choices(meeting_id, child_id, pinned) VALUES (?1, 'C000999', 1)",
    ] {
        let refused = conn.execute(by_hand, [meeting.id]);
        assert!(
            refused.is_err_and(|e| e.to_string().contains("its agenda can no longer change")),
            "{by_hand}"
        );
    }
    drop(conn);
    // The guard triggers are the schema's own: the audit finds nothing.
    bin(&db).args(["audit", "verify"]).assert().success();
}
