//! Building a meeting's agenda through the binary: carried-over children,
//! referrals and actions due before the cohorts; rotation; what does not fit.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use permanence_panel::model::ReferralStatus;
use permanence_panel::store::{NewAction, Store};
use predicates::prelude::*;

use crate::common::cli::{accept_referral, bin, csv_rows, panel_from_return, refer};

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

/// A Wiltshire panel with 400 synthetic children and the 2026 meetings.
fn panel(dir: &Path) -> PathBuf {
    let db = panel_from_return(dir, "wiltshire", 400, 3, "2026-11-20", false);
    bin(&db)
        .args(["meetings", "plan", "--year", "2026"])
        .assert()
        .success();
    db
}

#[test]
fn the_agenda_takes_routes_first_then_cohorts_with_rotation_and_keeps_the_overflow() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel(dir.path());
    let cohort_children: Vec<String> = csv_rows(
        &bin(&db)
            .args(["cohorts", "--as-at", "2026-11-27", "--format", "csv"])
            .assert()
            .success()
            .get_output()
            .stdout,
    )
    .into_iter()
    .map(|r| r[0].clone())
    .collect();
    assert!(
        cohort_children.len() > 20,
        "{} in cohorts",
        cohort_children.len()
    );
    let first_in_cohorts = cohort_children[0].clone();

    // October's meeting heard the first cohort child, carried C000002 over
    // and set an action for C000003 due before November's meeting.
    let at = day("2026-10-30").and_hms_opt(10, 0, 0).expect("time");
    let mut store = Store::open(&db).expect("open");
    let october = store
        .meeting_on(day("2026-10-30"))
        .expect("query")
        .expect("planned");
    store
        .record_decision(october.id, &first_in_cohorts, "Plan endorsed.", true, at)
        .expect("decision");
    store
        .carry_over(
            october.id,
            "C000002",
            "Awaiting the viability assessment",
            at,
        )
        .expect("carry over");
    store
        .add_action(
            &NewAction {
                meeting: october.id,
                child: "C000003".into(),
                text: "Report back on contact".into(),
                owner: "Kinship and Fostering Team Manager".into(),
                deadline: day("2026-11-20"),
            },
            at,
        )
        .expect("action");
    drop(store);

    // Three referrals: one accepted, one declined, one still open.
    for child in ["C000004", "C000005", "C000006"] {
        refer(
            &db,
            child,
            "Court timetable needs a permanence decision",
            &["--made-on", "2026-11-02"],
        )
        .success();
    }
    accept_referral(&db, 1);
    bin(&db)
        .args([
            "referrals",
            "decline",
            "--id",
            "2",
            "--reason",
            "Already on the adoption pathway",
        ])
        .assert()
        .success();
    bin(&db)
        .args([
            "referrals",
            "add",
            "--child",
            "C000007",
            "--referrer-initials",
            "Jo Smith",
        ])
        .args(["--supporter-initials", "CD", "--reason", "x"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "--referrer-initials: found 'Jo Smith', expected initials",
        ));

    let out = bin(&db)
        .args([
            "agenda",
            "--build",
            "--meeting",
            "2026-11-27",
            "--format",
            "csv",
        ])
        .assert()
        .success();
    let rows = csv_rows(&out.get_output().stdout);
    let heard: Vec<&Vec<String>> = rows.iter().filter(|r| r[6] == "false").collect();
    let waiting: Vec<&Vec<String>> = rows.iter().filter(|r| r[6] == "true").collect();
    // 09:30 to 13:00 in 15-minute slots.
    assert_eq!(heard.len(), 14);
    assert_eq!(
        (heard[0][2].as_str(), heard[0][3].as_str()),
        ("09:30", "09:45")
    );
    assert_eq!(
        (heard[13][2].as_str(), heard[13][3].as_str()),
        ("12:45", "13:00")
    );
    let order: Vec<(&str, &str)> = heard[..3]
        .iter()
        .map(|r| (r[1].as_str(), r[4].as_str()))
        .collect();
    assert_eq!(
        order,
        [
            ("C000002", "carried-over"),
            ("C000004", "referral"),
            ("C000003", "actions-due")
        ]
    );
    assert!(
        heard[0][5]
            .contains("Carried over by the panel on 30/10/2026: Awaiting the viability assessment")
    );
    assert!(heard[1][5].contains("by the social worker (AB), supported by the team manager (CD)"));
    // Declined and open referrals do not list a child as a referral.
    assert!(
        !rows
            .iter()
            .any(|r| (r[1] == "C000005" || r[1] == "C000006") && r[4] == "referral")
    );
    // Heard in October, so within the 3-month rotation: after everyone due.
    let position = |child: &str| rows.iter().position(|r| r[1] == child);
    let heard_last_month = position(&first_in_cohorts).expect("still listed");
    assert!(
        heard_last_month >= heard.len(),
        "{first_in_cohorts} heard again at once"
    );
    // Nobody drops off: every cohort child is heard or waiting, once.
    for child in &cohort_children {
        assert_eq!(rows.iter().filter(|r| &r[1] == child).count(), 1, "{child}");
    }
    assert!(!waiting.is_empty());
    assert!(waiting.iter().all(|r| r[2].is_empty() && r[3].is_empty()));

    // The Markdown agenda shows times and the waiting list.
    bin(&db)
        .args(["agenda", "--meeting", "2026-11-27", "--format", "md"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "| 1 | 09:30–09:45 | C000002 | Carried over from an earlier meeting |",
        ))
        .stdout(predicate::str::contains(
            "## Waiting for the next meeting (did not fit)",
        ));

    let store = Store::open_read_only(&db).expect("open");
    let statuses: Vec<ReferralStatus> = store
        .referrals()
        .expect("referrals")
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(
        statuses,
        [
            ReferralStatus::Accepted,
            ReferralStatus::Declined,
            ReferralStatus::Open
        ]
    );
}

#[test]
fn the_administrator_pins_adds_removes_reorders_and_publishes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel(dir.path());
    let list = |db: &Path, extra: &[&str]| -> Vec<Vec<String>> {
        let out = bin(db)
            .args(["agenda", "--meeting", "2026-11-27", "--format", "csv"])
            .args(extra)
            .assert()
            .success();
        csv_rows(&out.get_output().stdout)
    };
    let built = list(&db, &["--build"]);
    let heard = |rows: &[Vec<String>]| -> Vec<String> {
        rows.iter()
            .filter(|r| r[6] == "false")
            .map(|r| r[1].clone())
            .collect()
    };
    let first_waiting = built.iter().find(|r| r[6] == "true").expect("some wait")[1].clone();
    let first_heard = heard(&built)[0].clone();

    // Pinning a waiting child puts it among those heard (someone else waits).
    let rows = list(&db, &["--pin", &first_waiting]);
    assert!(heard(&rows).contains(&first_waiting));
    assert_eq!(heard(&rows).len(), 14);

    // Removing needs a reason; then the child is gone from this meeting.
    bin(&db)
        .args([
            "agenda",
            "--meeting",
            "2026-11-27",
            "--remove",
            &first_heard,
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--remove needs --reason"));
    let rows = list(
        &db,
        &[
            "--remove",
            &first_heard,
            "--reason",
            "Final hearing this week",
        ],
    );
    assert!(!rows.iter().any(|r| r[1] == first_heard));

    // Added by hand, with its reason, among the first.
    let rows = list(
        &db,
        &["--add", "C000399", "--reason", "Placement breakdown risk"],
    );
    let added = rows.iter().find(|r| r[1] == "C000399").expect("added");
    assert_eq!(
        (added[4].as_str(), added[5].as_str()),
        ("added", "Placement breakdown risk")
    );

    // Reordered: the pinned child first.
    let rows = list(&db, &["--move", &first_waiting, "--to", "1"]);
    assert_eq!(heard(&rows)[0], first_waiting);
    assert_eq!(rows[0][2], "09:30");

    // Published: frozen against rebuilding; later changes apply one by one and are logged.
    list(&db, &["--publish"]);
    bin(&db)
        .args(["agenda", "--meeting", "2026-11-27", "--build"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("the agenda was published on"));
    let before = heard(&list(&db, &[]));
    let rows = list(
        &db,
        &[
            "--remove",
            "C000399",
            "--reason",
            "Heard at an extra meeting",
        ],
    );
    let after = heard(&rows);
    assert_eq!(after.len(), before.len() - 1);
    assert_eq!(
        after,
        before
            .into_iter()
            .filter(|c| c != "C000399")
            .collect::<Vec<_>>()
    );
    let store = Store::open_read_only(&db).expect("open");
    let meeting = store
        .meeting_on(day("2026-11-27"))
        .expect("query")
        .expect("meeting");
    assert_eq!(
        meeting.status,
        permanence_panel::model::MeetingStatus::Published
    );
    let log = store.audit_entries().expect("audit");
    assert!(
        log.iter()
            .any(|e| e.change == "removed: Heard at an extra meeting (after publishing)"),
        "{log:#?}"
    );
}

#[test]
fn the_papers_chase_list_says_who_owes_what_by_when_and_how_late() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel(dir.path());
    refer(
        &db,
        "C000004",
        "Court timetable",
        &["--made-on", "2026-11-02"],
    )
    .success();
    accept_referral(&db, 1);
    bin(&db)
        .args(["agenda", "--build", "--meeting", "2026-11-27"])
        .assert()
        .success();
    // C000004's papers for the meeting, marked as the administrator gets them.
    let mark_paper = |paper: &str, status: &str| {
        bin(&db)
            .args(["papers", "--meeting", "2026-11-27", "--child", "C000004"])
            .args(["--paper", paper, "--status", status])
            .assert()
    };
    mark_paper("2", "received").success();
    mark_paper("permanence plan", "signed-off").success();
    mark_paper("minutes", "received")
        .failure()
        .stderr(predicate::str::contains(
            "--paper: found 'minutes', expected one of the papers",
        ));
    let out = bin(&db)
        .args(["papers", "--meeting", "2026-11-27", "--format", "csv"])
        .assert()
        .success();
    let rows = csv_rows(&out.get_output().stdout);
    // Three papers (Wiltshire) for each of the 14 children heard.
    assert_eq!(rows.len(), 14 * 3);
    // A week before the meeting, in the council's own date form for scripts.
    assert!(rows.iter().all(|r| r[3] == "2026-11-20"));
    let referred: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "C000004").collect();
    assert!(referred.iter().all(|r| r[2] == "social worker (AB)"));
    let status: Vec<(&str, &str)> = referred
        .iter()
        .map(|r| (r[4].as_str(), r[5].as_str()))
        .collect();
    let today = chrono::Local::now().date_naive();
    let late = (today - day("2026-11-20")).num_days().max(0).to_string();
    assert_eq!(
        status,
        [
            ("signed-off", "0"),
            ("received", "0"),
            ("awaited", late.as_str())
        ]
    );
    assert!(
        rows.iter()
            .filter(|r| r[0] != "C000004")
            .all(|r| r[2] == "allocated social worker")
    );
}

#[test]
fn invitations_parse_back_field_by_field_and_a_reissue_keeps_each_uid() {
    use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};
    let dir = tempfile::tempdir().expect("tempdir");
    let db = panel(dir.path());
    refer(
        &db,
        "C000004",
        "Court timetable",
        &["--made-on", "2026-11-02"],
    )
    .success();
    accept_referral(&db, 1);
    bin(&db)
        .args(["invites", "--meeting", "2026-11-27", "--out"])
        .arg(dir.path().join("none"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("has no agenda yet"));
    bin(&db)
        .args(["agenda", "--build", "--meeting", "2026-11-27"])
        .assert()
        .success();
    let out = dir.path().join("invites");
    bin(&db)
        .args(["invites", "--meeting", "2026-11-27", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("Wrote 14 invitations"));

    let merge = csv_rows(&std::fs::read(out.join("invitations.csv")).expect("csv"));
    assert_eq!(merge.len(), 14);
    // The referred child comes second (after no carry-overs): 09:30 is the first slot.
    let referred = merge.iter().find(|r| r[2] == "C000004").expect("listed");
    assert_eq!(
        &referred[..7],
        [
            "social worker",
            "AB",
            "C000004",
            "27/11/2026",
            "09:30",
            "09:45",
            "20/11/2026"
        ]
    );

    let read_event = |file: &str| {
        let text = std::fs::read_to_string(out.join(file)).expect("ics written");
        let calendar: Calendar = text.parse().expect("a calendar parser reads it");
        let events: Vec<icalendar::Event> = calendar
            .components
            .iter()
            .filter_map(|c| match c {
                CalendarComponent::Event(e) => Some(e.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(events.len(), 1);
        assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n"));
        events[0].clone()
    };
    let event = read_event(&referred[7]);
    assert_eq!(
        event.get_uid(),
        Some("wiltshire-20261127-C000004@permanence-panel")
    );
    assert_eq!(event.get_summary(), Some("Permanence Panel: child C000004"));
    let start = day("2026-11-27").and_hms_opt(9, 30, 0).expect("time");
    let end = day("2026-11-27").and_hms_opt(9, 45, 0).expect("time");
    let in_london = |t| {
        DatePerhapsTime::DateTime(icalendar::CalendarDateTime::WithTimezone {
            date_time: t,
            tzid: "Europe/London".into(),
        })
    };
    assert_eq!(event.get_start(), Some(in_london(start)));
    assert_eq!(event.get_end(), Some(in_london(end)));
    assert!(
        event
            .get_description()
            .expect("description")
            .contains("Papers are due by Friday 20/11/2026")
    );
    let first_sequence = event.get_sequence().expect("a sequence");

    // Re-issued: the same UID (the calendar entry is updated, not doubled),
    // a sequence at least as high.
    bin(&db)
        .args(["invites", "--meeting", "2026-11-27", "--out"])
        .arg(&out)
        .assert()
        .success();
    let again = read_event(&referred[7]);
    assert_eq!(again.get_uid(), event.get_uid());
    assert!(again.get_sequence().expect("a sequence") >= first_sequence);
}
