//! `decisions record | sign-off | dissent | pending` and `referrals add
//! --item` through the binary (issue 23): a Knowsley-style meeting hears
//! two tracking reviews (one endorsed, one deferred to the next meeting
//! with a reason), an SGO support plan with an allowance (recommended,
//! then signed off by the Head of Service the next day) and a funding
//! request (declined, one member dissenting, another having declared an
//! interest and left the item). The minutes, the child's record (the
//! subject access export, the command line's view of one child), the
//! tracker, the list of what waits for sign-off and the Budget Scrutiny
//! and SMT reports say all of it; the deferred child is on the next agenda.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::common::cli::{bin, csv_rows};

const HEARD: &str = "2026-11-17";
const NEXT: &str = "2026-12-15";

fn said(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Runs the binary on `db` and gives its output, asserting it succeeded.
fn ok(db: &Path, args: &[&str]) -> String {
    let output = bin(db).args(args).output().expect("runs");
    assert!(output.status.success(), "{args:?}: {}", said(&output));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs the binary on `db`, asserting it failed with status 1, and gives
/// its message.
fn refused(db: &Path, args: &[&str]) -> String {
    let output = bin(db).args(args).output().expect("runs");
    assert_eq!(output.status.code(), Some(1), "{args:?}: {}", said(&output));
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A Knowsley panel with meetings on 17/11/2026 and 15/12/2026 whose first
/// agenda lists C1 and C2 (tracking), C3 (an SGO support plan referral)
/// and C4 (a funding request referral).
fn knowsley_meeting(dir: &Path) -> PathBuf {
    let db = dir.join("panel.db");
    ok(&db, &["init", "--terms", "knowsley"]);
    for day in [HEARD, NEXT] {
        ok(
            &db,
            &["meetings", "add", "--date", day, "--reason", "test sitting"],
        );
    }
    for child in ["C1", "C2"] {
        ok(
            &db,
            &[
                "agenda",
                "--meeting",
                HEARD,
                "--add",
                child,
                "--reason",
                "Plan review due",
            ],
        );
    }
    for (child, item, reason) in [
        (
            "C3",
            "sgo-cao-support-plan",
            "Support plan for the special guardians",
        ),
        (
            "C4",
            "funding-request",
            "Funding for a specialist assessment",
        ),
    ] {
        ok(
            &db,
            &[
                "referrals",
                "add",
                "--child",
                child,
                "--made-on",
                "2026-11-01",
                "--referrer-initials",
                "AB",
                "--supporter-initials",
                "CD",
                "--reason",
                reason,
                "--item",
                item,
            ],
        );
    }
    for id in ["1", "2"] {
        ok(&db, &["referrals", "accept", "--id", id]);
    }
    ok(&db, &["agenda", "--meeting", HEARD, "--build"]);
    db
}

/// The text of one cell of the tracker: the child's row, the named column.
fn tracker_cell(xlsx: &Path, child: &str, column: &str) -> String {
    use calamine::{DataType, Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(xlsx).expect("a workbook");
    let sheet = book.worksheet_range("Tracker").expect("the Tracker sheet");
    let mut rows = sheet.rows();
    let header = rows.next().expect("a header");
    let col = header
        .iter()
        .position(|c| c.as_string().as_deref() == Some(column))
        .unwrap_or_else(|| panic!("no column {column}"));
    rows.find(|r| r[0].as_string().as_deref() == Some(child))
        .unwrap_or_else(|| panic!("{child} is not tracked"))[col]
        .to_string()
}

/// `decisions record --meeting HEARD --child CHILD` and `rest`.
fn record_args<'a>(child: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["decisions", "record", "--meeting", HEARD, "--child", child];
    args.extend_from_slice(rest);
    args
}

/// Records the decision on `child` at the meeting of HEARD; gives what the
/// binary said.
fn record(db: &Path, child: &str, rest: &[&str]) -> String {
    ok(db, &record_args(child, rest))
}

/// Tries to record the decision on `child` at HEARD; gives the refusal.
fn record_refused(db: &Path, child: &str, rest: &[&str]) -> String {
    refused(db, &record_args(child, rest))
}

/// The report of `kind` from `from` to `to` as Markdown.
fn report_md(db: &Path, kind: &str, from: &str, to: &str) -> String {
    ok(
        db,
        &[
            "report", "--kind", kind, "--from", from, "--to", to, "--format", "md",
        ],
    )
}

/// Everyone on the panel present at the meeting of `day` (the roll call is
/// taken in the app; the library records it as the app does).
fn all_present(db: &Path, day: &str) {
    use permanence_panel::model::AttendanceState;
    let mut store = permanence_panel::store::Store::open(db).expect("the panel");
    let meeting = store
        .meetings()
        .expect("meetings")
        .into_iter()
        .find(|m| m.date.to_string() == day)
        .expect("the meeting");
    let at = meeting.date.and_hms_opt(9, 30, 0).expect("a time");
    for m in store.members().expect("members") {
        store
            .set_attendance(meeting.id, m.id, AttendanceState::Present, None, at)
            .expect("present");
    }
}

/// A row of the CSV `file` whose first column is `key`, as header → cell.
fn csv_row(file: &Path, key: &str) -> std::collections::HashMap<String, String> {
    let text = std::fs::read(file).expect("the file");
    let mut reader = csv::Reader::from_reader(text.as_slice());
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    let row = reader
        .records()
        .map(|r| r.expect("a row"))
        .find(|r| r.get(0) == Some(key))
        .unwrap_or_else(|| panic!("no row {key} in {}", file.display()));
    header
        .into_iter()
        .zip(row.iter().map(str::to_owned))
        .collect()
}

/// The text of every row of `sheet` of the workbook `xlsx`, cells joined by " | ".
fn sheet_rows(xlsx: &Path, sheet: &str) -> Vec<String> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(xlsx).expect("a workbook");
    let range = book
        .worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("no sheet {sheet}: {e}"));
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect()
}

#[test]
fn a_knowsley_meeting_records_outcomes_sign_off_deferral_and_dissent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = knowsley_meeting(dir.path());
    all_present(&db, HEARD);
    let listed = ok(&db, &["referrals", "list", "--format", "csv"]);
    let rows = csv_rows(listed.as_bytes());
    assert_eq!(
        rows[0].last().map(String::as_str),
        Some("sgo-cao-support-plan")
    );
    assert_eq!(rows[1].last().map(String::as_str), Some("funding-request"));

    // Each item's papers are its item type's (a tracking review's, the terms' list).
    let chase = ok(&db, &["papers", "--meeting", HEARD, "--format", "csv"]);
    let papers_of = |child: &str| -> Vec<String> {
        csv_rows(chase.as_bytes())
            .into_iter()
            .filter(|r| r[0] == child)
            .map(|r| r[1].clone())
            .collect()
    };
    assert_eq!(
        papers_of("C3"),
        ["Special Guardianship assessment report", "Support plan"]
    );
    assert_eq!(papers_of("C4"), ["Funding request"]);
    let knowsley = permanence_panel::terms::Terms::load("knowsley").expect("preset");
    assert_eq!(papers_of("C1"), knowsley.papers.required);
    ok(
        &db,
        &[
            "papers",
            "--meeting",
            HEARD,
            "--child",
            "C3",
            "--paper",
            "support",
            "--status",
            "received",
        ],
    );

    record(
        &db,
        "C1",
        &[
            "--text",
            "The plan for adoption is endorsed.",
            "--outcome",
            "endorsed",
        ],
    );
    let deferred = record(
        &db,
        "C2",
        &[
            "--text",
            "The panel will hear the plan again.",
            "--outcome",
            "deferred",
            "--deferred-to",
            NEXT,
            "--reason",
            "The parenting assessment is not finished",
        ],
    );
    assert!(
        deferred.contains("deferred to the meeting of 15/12/2026"),
        "{deferred}"
    );
    // The item type comes from the agenda: C3 was referred for a support plan.
    let recommended = record(
        &db,
        "C3",
        &[
            "--text",
            "The support plan is recommended.",
            "--outcome",
            "recommended",
            "--amount",
            "£245.50",
            "--period",
            "weekly",
            "--allowance",
            "Special Guardianship allowance",
        ],
    );
    assert!(
        recommended.contains("recommended, awaiting sign-off by the Head of Service"),
        "{recommended}"
    );
    // The Service Manager – Adoption declares an interest in the funding
    // request and leaves the item; the other two standing members are quorate.
    ok(
        &db,
        &[
            "interests",
            "declare",
            "--meeting",
            HEARD,
            "--child",
            "C4",
            "--member",
            "service-manager-adoption",
            "--note",
            "knows the family",
        ],
    );
    let declined = record(
        &db,
        "C4",
        &[
            "--text",
            "The request is declined.",
            "--outcome",
            "declined",
        ],
    );
    let decision_of = |text: &str| -> String {
        text.split_whitespace()
            .nth(1)
            .expect("the decision's number")
            .to_owned()
    };
    let (sgo, funding) = (decision_of(&recommended), decision_of(&declined));
    ok(
        &db,
        &[
            "decisions",
            "dissent",
            "--id",
            &funding,
            "--member",
            "service-manager-fostering",
            "--view",
            "The assessment is needed now",
        ],
    );

    // The recommendation waits, and for how long.
    let pending = ok(&db, &["decisions", "pending", "--format", "csv"]);
    let today = chrono::Local::now().date_naive();
    let waiting = (today - NaiveDate::from_ymd_opt(2026, 11, 17).expect("date")).num_days();
    assert!(
        pending.starts_with(
            "decision_id,child_id,meeting_date,item_type,outcome,decided_by,waiting_days\n"
        ),
        "{pending}"
    );
    assert_eq!(
        csv_rows(pending.as_bytes()),
        vec![vec![
            sgo.clone(),
            "C3".to_owned(),
            HEARD.to_owned(),
            "sgo-cao-support-plan".to_owned(),
            "recommended".to_owned(),
            "Head of Service".to_owned(),
            waiting.to_string(),
        ]]
    );
    let minutes = ok(&db, &["minutes", "--meeting", HEARD]);
    assert!(
        minutes.contains("Outcome: recommended, awaiting sign-off by the Head of Service"),
        "{minutes}"
    );
    // A report to the end of November lists it, 13 days waiting.
    let budget = report_md(&db, "budget-scrutiny", "2026-10-01", "2026-11-30");
    assert!(
        budget.contains("- **Decisions waiting for sign-off**: 1 decision")
            && budget.contains(
                "| C3: Special Guardianship or Child Arrangements Order support plan recommended on 17/11/2026, for the Head of Service | 13 |"
            ),
        "{budget}"
    );

    // Signed off the next day by the Head of Service (any case).
    let wrong = refused(
        &db,
        &[
            "decisions",
            "sign-off",
            "--id",
            &sgo,
            "--by",
            "Service Manager",
            "--on",
            "2026-11-18",
        ],
    );
    assert!(
        wrong.contains(&format!(
            "decision {sgo} is signed off by the Head of Service, not 'Service Manager'"
        )),
        "{wrong}"
    );
    let signed = ok(
        &db,
        &[
            "decisions",
            "sign-off",
            "--id",
            &sgo,
            "--by",
            "head of service",
            "--on",
            "2026-11-18",
        ],
    );
    assert!(
        signed.contains("signed off by the Head of Service on 18/11/2026: agreed"),
        "{signed}"
    );
    let pending = ok(&db, &["decisions", "pending", "--format", "csv"]);
    assert!(csv_rows(pending.as_bytes()).is_empty(), "{pending}");
    // A report to the meeting's day still shows it waiting, as it stood then.
    let then = report_md(&db, "smt", "2026-11-01", "2026-11-17");
    assert!(
        then.contains("- **Decisions waiting for sign-off**: 1 decision")
            && then.contains("for the Head of Service | 0 |")
            && then.contains("- **Time from recommendation to sign-off**: no decision was signed off in the period"),
        "{then}"
    );

    // The minutes say all of it.
    let minutes = ok(&db, &["minutes", "--meeting", HEARD]);
    for expected in [
        "Outcome: endorsed",
        "Outcome: deferred to the meeting of 15/12/2026: The parenting assessment is not finished",
        "Item: Special Guardianship or Child Arrangements Order support plan",
        "Outcome: recommended; signed off by the Head of Service on 18/11/2026: agreed",
        "Money committed: Special Guardianship allowance: £245.50 a week (£12,766.00 a year)",
        "Item: Funding request",
        "Outcome: declined",
        "The Service Manager – Fostering dissented: The assessment is needed now",
        "Declarations of interest: the Service Manager – Adoption declared an interest (knows the family) and left for this item.",
        "Quorum for this item: Quorate (assumed rule) without the Service Manager – Adoption, who declared an interest",
    ] {
        assert!(
            minutes.contains(expected),
            "{expected:?} missing:\n{minutes}"
        );
    }

    // The child's record says it too: the subject access export, the
    // command line's view of everything held on one child.
    for (child, outcome, money, dissent) in [
        ("C1", "endorsed", "", ""),
        (
            "C2",
            "deferred to the meeting of 15/12/2026: The parenting assessment is not finished",
            "",
            "",
        ),
        (
            "C3",
            "recommended; signed off by the Head of Service on 18/11/2026: agreed",
            "Special Guardianship allowance: £245.50 a week (£12,766.00 a year)",
            "",
        ),
        (
            "C4",
            "declined",
            "",
            "The Service Manager – Fostering dissented: The assessment is needed now",
        ),
    ] {
        let out = dir.path().join(format!("sar-{child}"));
        bin(&db)
            .arg("export-child")
            .arg(child)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let row = csv_row(&out.join("decisions.csv"), "17/11/2026");
        assert_eq!(row["outcome"], outcome, "{child}: {row:?}");
        assert_eq!(row["money"], money, "{child}: {row:?}");
        assert_eq!(row["dissent"], dissent, "{child}: {row:?}");
    }

    // The deferred child is on the next meeting's agenda, with the reason.
    ok(&db, &["agenda", "--meeting", NEXT, "--build"]);
    let next = ok(&db, &["agenda", "--meeting", NEXT, "--format", "csv"]);
    let rows = csv_rows(next.as_bytes());
    let c2 = rows
        .iter()
        .find(|r| r[1] == "C2")
        .unwrap_or_else(|| panic!("C2 is not on the next agenda:\n{next}"));
    assert_eq!(c2[4], "carried-over");
    assert_eq!(
        c2[5],
        "Deferred from 17/11/2026: The parenting assessment is not finished"
    );
    assert!(rows.iter().all(|r| r[1] != "C1"), "{next}");

    // The tracker gives each child's last outcome as it stood on its date:
    // on the meeting's day, every child heard (all on its agenda), the
    // support plan still waiting for the next day's sign-off ...
    let tracker = |as_at: &str| {
        let xlsx = dir.path().join(format!("tracker-{as_at}.xlsx"));
        bin(&db)
            .args([
                "tracker", "export", "--format", "xlsx", "--as-at", as_at, "--out",
            ])
            .arg(&xlsx)
            .assert()
            .success();
        xlsx
    };
    let on_the_day = tracker("2026-11-17");
    for (child, last) in [
        ("C1", "endorsed"),
        (
            "C2",
            "deferred to the meeting of 15/12/2026: The parenting assessment is not finished",
        ),
        (
            "C3",
            "recommended, awaiting sign-off by the Head of Service",
        ),
        ("C4", "declined"),
    ] {
        assert_eq!(
            tracker_cell(&on_the_day, child, "Last outcome"),
            last,
            "{child}"
        );
    }
    // ... and three days on, the deferred child, on the next agenda.
    assert_eq!(
        tracker_cell(&tracker("2026-11-20"), "C2", "Last outcome"),
        "deferred to the meeting of 15/12/2026: The parenting assessment is not finished"
    );

    // At the next meeting C2's plan is endorsed: 28 days after it was first heard.
    all_present(&db, NEXT);
    ok(
        &db,
        &[
            "decisions",
            "record",
            "--meeting",
            NEXT,
            "--child",
            "C2",
            "--text",
            "The plan for special guardianship is endorsed.",
            "--outcome",
            "endorsed",
        ],
    );

    // The Budget Scrutiny report says all of it: decisions by outcome, the
    // time to endorsement, the sign-off and how long it took, the dissent,
    // the interest declared and the money; so does the SMT report.
    let budget = report_md(&db, "budget-scrutiny", "2026-10-01", "2026-12-31");
    let smt = report_md(&db, "smt", "2026-07-01", "2026-12-31");
    for (name, report) in [("budget", &budget), ("smt", &smt)] {
        for expected in [
            "| Endorsed | 2 |",
            "| Recommended | 1 |",
            "| Declined | 1 |",
            "| Deferred | 1 |",
            "- **Time from first hearing to endorsement (median; from 0 to 28 days)**: 14 days",
            "from the first panel meeting that heard the child in their current period of care to the meeting that endorsed the plan",
            "- **Decisions waiting for sign-off**: 0 decisions",
            "- **Time from recommendation to sign-off (median; each 1 day)**: 1 day",
            "- **Dissenting views recorded**: 1 dissent",
            "- **Interests declared**: 1 declaration",
        ] {
            assert!(
                report.contains(expected),
                "{name}: {expected:?} missing:\n{report}"
            );
        }
    }
    assert!(
        budget.contains(
            "Special Guardianship or Child Arrangements Order support plan: £12,766.00 a year."
        ) && budget.contains("In all: £12,766.00 a year."),
        "{budget}"
    );
    // The workbook's Records sheet names the children behind each figure.
    let workbook = dir.path().join("budget.xlsx");
    bin(&db)
        .args([
            "report",
            "--kind",
            "budget-scrutiny",
            "--from",
            "2026-10-01",
            "--to",
            "2026-12-31",
            "--format",
            "xlsx",
            "--out",
        ])
        .arg(&workbook)
        .assert()
        .success();
    let records = sheet_rows(&workbook, "Records");
    for expected in [
        "Time from first hearing to endorsement (median; from 0 to 28 days) | C1 | first heard 17/11/2026 (period of care not in the returns held); plan endorsed 17/11/2026: 0 days",
        "Time from first hearing to endorsement (median; from 0 to 28 days) | C2 | first heard 17/11/2026 (period of care not in the returns held); plan endorsed 15/12/2026: 28 days",
        "Time from recommendation to sign-off (median; each 1 day) | C3 | Special Guardianship or Child Arrangements Order support plan recommended on 17/11/2026; signed off by the Head of Service on 18/11/2026 (agreed): 1 day",
        "Dissenting views recorded | C4 | 17/11/2026: Funding request declined; the Service Manager – Fostering dissented: The assessment is needed now",
        "Interests declared | C4 | 17/11/2026: the Service Manager – Adoption declared an interest (knows the family) and withdrew from the item (Funding request)",
    ] {
        assert!(
            records.iter().any(|r| r == expected),
            "{expected:?} missing:\n{}",
            records.join("\n")
        );
    }

    // Approved, the minutes keep it all, and dissent can no longer change.
    ok(
        &db,
        &[
            "minutes",
            "approve",
            "--meeting",
            HEARD,
            "--at-meeting",
            NEXT,
        ],
    );
    let approved = ok(&db, &["minutes", "--meeting", HEARD]);
    assert!(
        approved.contains(
            "Outcome: recommended; signed off by the Head of Service on 18/11/2026: agreed"
        ) && approved.contains("dissented: The assessment is needed now"),
        "{approved}"
    );
    let frozen = refused(
        &db,
        &[
            "decisions",
            "dissent",
            "--id",
            &funding,
            "--member",
            "service-manager-adoption",
            "--view",
            "Later view",
        ],
    );
    assert!(frozen.contains("were approved on 15/12/2026"), "{frozen}");
    // Every change was audited and sealed.
    let verified = bin(&db).args(["audit", "verify"]).output().expect("runs");
    assert!(verified.status.success(), "{}", said(&verified));
}

#[test]
fn wrong_outcomes_money_and_item_types_are_refused_in_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = knowsley_meeting(dir.path());
    let err = record_refused(&db, "C4", &["--text", "Endorsed.", "--outcome", "endorsed"]);
    assert!(
        err.contains(
            "a Funding request cannot be endorsed: its outcomes are approved, declined or deferred"
        ),
        "{err}"
    );
    let err = record_refused(
        &db,
        "C1",
        &[
            "--text",
            "Endorsed.",
            "--outcome",
            "endorsed",
            "--amount",
            "100",
            "--period",
            "weekly",
            "--allowance",
            "Allowance",
        ],
    );
    assert!(
        err.contains("a Permanence tracking review records no money"),
        "{err}"
    );
    let err = record_refused(
        &db,
        "C1",
        &[
            "--text",
            "Deferred.",
            "--outcome",
            "deferred",
            "--deferred-to",
            NEXT,
        ],
    );
    assert!(err.contains("a deferral needs its reason"), "{err}");
    let err = record_refused(
        &db,
        "C1",
        &[
            "--text",
            "Deferred.",
            "--outcome",
            "deferred",
            "--deferred-to",
            "2026-12-01",
            "--reason",
            "Later",
        ],
    );
    assert!(err.contains("no meeting is planned on 01/12/2026"), "{err}");
    let err = record_refused(
        &db,
        "C3",
        &[
            "--text",
            "Yes.",
            "--outcome",
            "recommended",
            "--amount",
            "twelve",
            "--period",
            "weekly",
            "--allowance",
            "Allowance",
        ],
    );
    assert!(
        err.contains("--amount: 'twelve' is not an amount of money"),
        "{err}"
    );
    let err = record_refused(
        &db,
        "C1",
        &[
            "--text",
            "x",
            "--outcome",
            "endorsed",
            "--item",
            "adoption-match",
        ],
    );
    assert!(
        err.contains("--item: 'adoption-match' is not a kind of item this panel hears"),
        "{err}"
    );
    let err = refused(
        &db,
        &[
            "referrals",
            "add",
            "--child",
            "C9",
            "--referrer-initials",
            "AB",
            "--supporter-initials",
            "CD",
            "--reason",
            "x",
            "--item",
            "nonsense",
        ],
    );
    assert!(
        err.contains("--item: 'nonsense' is not a kind of item"),
        "{err}"
    );
    // Nothing was recorded by any of them.
    let pending = ok(&db, &["decisions", "pending", "--format", "csv"]);
    assert!(csv_rows(pending.as_bytes()).is_empty());
    let minutes = ok(&db, &["minutes", "--meeting", HEARD]);
    assert!(!minutes.contains("Outcome:"), "{minutes}");
    // A decision the panel makes itself waits for nobody.
    let declined = record(&db, "C4", &["--text", "No.", "--outcome", "declined"]);
    let id = declined
        .split_whitespace()
        .nth(1)
        .expect("number")
        .to_owned();
    let err = refused(
        &db,
        &[
            "decisions",
            "sign-off",
            "--id",
            &id,
            "--by",
            "Head of Service",
        ],
    );
    assert!(
        err.contains("waits for no sign-off: it is declined"),
        "{err}"
    );
}
