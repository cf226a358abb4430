//! Terms of reference as data (issue 19), through the binary: the four
//! presets written from public text run end to end on a generated return,
//! and a council's own copy of Wiltshire with a cohort written only in TOML
//! lists the right children with sentences that read well.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use permanence_panel::rules::care::care_at;
use permanence_panel::rules::dates::{add_months, span_between};
use permanence_panel::store::Store;
use permanence_panel::terms::Terms;

use crate::common::cli::{bin, csv_rows, panel_from_return};

/// The first sitting the panel planned after the return's date.
fn first_meeting_after(db: &Path, after: NaiveDate) -> NaiveDate {
    Store::open_read_only(db)
        .expect("open")
        .meetings()
        .expect("meetings")
        .into_iter()
        .map(|m| m.date)
        .find(|d| *d > after)
        .expect("a meeting planned after the return")
}

fn stdout(cmd: &mut assert_cmd::Command) -> Vec<u8> {
    cmd.assert().success().get_output().stdout.clone()
}

/// What each cohort's sentence must say first, cohort by cohort.
fn opens_as(preset: &str, cohort: &str, reason: &str) -> bool {
    match (preset, cohort) {
        ("coventry", "second-review-due-no-plan") => {
            reason.starts_with("No permanence plan agreed; second review due on")
                || reason.starts_with("No permanence plan agreed; second review was due on")
        }
        ("coventry", "second-review-held-no-plan")
        | ("central-bedfordshire", "two-reviews-no-plan") => reason
            .starts_with("No permanence plan agreed; second review of this period of care held on"),
        ("coventry", "referral") => reason.starts_with("Referred to the panel on"),
        ("central-bedfordshire", "before-second-review") => {
            reason.starts_with("No review since the period began")
                || reason.starts_with("1 review since the period began")
        }
        ("knowsley", "adoption-plan") => reason.starts_with("Plan of adoption agreed on"),
        ("knowsley", "foster-not-long-term-6m") => {
            reason.starts_with("With the same carers since")
                && reason.contains("longer than 6 months")
        }
        ("calderdale", "plan-not-achieved-6m") => {
            reason.starts_with("Plan of ")
                && !reason.starts_with("Plan of adoption")
                && reason.contains("not yet achieved")
        }
        ("calderdale", "two-moves-12m") => reason
            .split(' ')
            .next()
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| n >= 2 && reason.contains(" placement moves in the last 12 months")),
        _ => false,
    }
}

#[test]
fn the_four_presets_from_public_text_run_end_to_end_on_a_generated_return() {
    for preset in ["coventry", "central-bedfordshire", "knowsley", "calderdale"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = panel_from_return(dir.path(), preset, 300, 5, "2026-11-20", true);
        bin(&db)
            .args(["meetings", "plan", "--year", "2026"])
            .assert()
            .success();
        let day = first_meeting_after(&db, "2026-11-20".parse().expect("date"));
        let as_at = day.format("%Y-%m-%d").to_string();
        let terms = Terms::load(preset).expect("preset");
        let ids: Vec<&str> = terms.cohorts.iter().map(|c| c.id()).collect();

        let rows = csv_rows(&stdout(
            bin(&db).args(["cohorts", "--as-at", &as_at, "--format", "csv"]),
        ));
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for row in &rows {
            let (cohort, since, reason) = (&row[1], &row[2], &row[3]);
            assert!(ids.contains(&cohort.as_str()), "{preset}: {row:?}");
            assert!(since.as_str() <= as_at.as_str(), "{preset}: {row:?}");
            assert!(opens_as(preset, cohort, reason), "{preset}: {row:?}");
            seen.insert(cohort.clone());
        }
        // Every cohort the return can decide has members in 300 children
        // (referrals are the panel's to make).
        for id in ids.iter().filter(|id| **id != "referral") {
            assert!(seen.contains(*id), "{preset}: nobody in {id} at {as_at}");
        }

        let agenda = csv_rows(&stdout(bin(&db).args([
            "agenda",
            "--build",
            "--meeting",
            &as_at,
            "--format",
            "csv",
        ])));
        assert!(!agenda.is_empty(), "{preset}: an empty agenda");
        let members: BTreeSet<(&str, &str)> = rows
            .iter()
            .map(|r| (r[0].as_str(), r[1].as_str()))
            .collect();
        for item in &agenda {
            let (child, listed_under) = (item[1].as_str(), item[4].as_str());
            assert!(
                members.contains(&(child, listed_under)),
                "{preset}: {child} listed under {listed_under} but not a member"
            );
        }
    }
}

/// Wiltshire's terms as a council's administrator would copy them: meeting
/// every Friday, with a cohort of their own ahead of the rest.
fn council_terms() -> String {
    let wiltshire = Terms::preset_text("wiltshire").expect("preset");
    let cohort = r#"
[[cohort]]
id = "under-5-no-plan"
title = "Children under 5 looked after more than six months with no plan"
short_title = "Under 5, no plan"
since = "run"
when = [
  { age = { below = 5 } },
  { run = { period = true, longer_than = "six months" } },
  { no_plan = true },
  { say = "legal-status" },
  { say = "placement" },
]

[cadence]"#;
    let text = wiltshire
        .replacen("\n[cadence]", cohort, 1)
        .replace("week = \"last\"\nweekday = \"friday\"", "every = \"week\"\nweekday = \"friday\"")
        .replace(
            "cohorts = [\"carried-over\", \"referral\", \"tracked-from-third-review\"]",
            "cohorts = [\"carried-over\", \"referral\", \"under-5-no-plan\", \"tracked-from-third-review\"]",
        )
        .replace("id = \"wiltshire\"", "id = \"our-council\"");
    assert!(
        text.contains("every = \"week\""),
        "the cadence was replaced"
    );
    assert!(
        text.contains("\"under-5-no-plan\", \"tracked"),
        "the list was replaced"
    );
    text
}

/// Who the new cohort should hold at `d`, read straight from the records:
/// under 5 on `d`, in care since more than six calendar months before
/// `d`, no plan agreed on or before `d`.
fn under_5_no_plan(db: &Path, d: NaiveDate) -> BTreeSet<String> {
    let store = Store::open_read_only(db).expect("open");
    let mut out = BTreeSet::new();
    store
        .for_each_child_record(|r| {
            let Some(care) = care_at(&r, d) else {
                return Ok(());
            };
            let under_5 = span_between(r.child.dob, d).years < 5;
            let long = d > add_months(care.period_start, 6);
            let agreed = r
                .plan
                .as_ref()
                .is_some_and(|p| p.plan.is_some() && p.plan_agreed.is_some_and(|a| a <= d));
            if under_5 && long && !agreed {
                out.insert(r.child.id.clone());
            }
            Ok(())
        })
        .expect("records");
    out
}

#[test]
fn a_council_copies_wiltshire_meets_weekly_and_adds_a_cohort_in_toml_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("our-council.toml");
    std::fs::write(&path, council_terms()).expect("written");
    let path_text = path.to_str().expect("utf-8 path");

    let said = String::from_utf8(stdout(
        assert_cmd::Command::cargo_bin("permanence-panel")
            .expect("binary")
            .args(["terms", "check", path_text]),
    ))
    .expect("utf-8");
    assert!(
        said.contains("It sits every Friday, from 09:30 to 13:00"),
        "{said}"
    );
    assert!(
        said.contains(
            "3. Children under 5 looked after more than six months with no plan (under-5-no-plan): \
             a child looked after, aged younger than 5, in care for longer than 6 months and \
             no permanence plan agreed; listed since the start of the run."
        ),
        "{said}"
    );

    let db = panel_from_return(dir.path(), path_text, 300, 5, "2026-11-20", true);
    let planned = String::from_utf8(stdout(
        bin(&db).args(["meetings", "plan", "--year", "2026"]),
    ))
    .expect("utf-8");
    assert!(planned.contains("2026-11-27  Friday"), "{planned}");
    assert!(planned.contains("2026-12-04  Friday"), "weekly: {planned}");
    let day: NaiveDate = "2026-11-27".parse().expect("date");

    let agenda = csv_rows(&stdout(bin(&db).args([
        "agenda",
        "--build",
        "--meeting",
        "2026-11-27",
        "--format",
        "csv",
    ])));
    let listed: BTreeSet<String> = agenda
        .iter()
        .filter(|r| r[4] == "under-5-no-plan")
        .map(|r| r[1].clone())
        .collect();
    let expected = under_5_no_plan(&db, day);
    assert!(
        !expected.is_empty(),
        "the return has young children without a plan"
    );
    assert_eq!(listed, expected);
    for row in agenda.iter().filter(|r| r[4] == "under-5-no-plan") {
        let reason = &row[5];
        let opening = reason.split("; ").collect::<Vec<_>>();
        assert!(
            opening[0].starts_with("Aged ")
                && opening[1].starts_with("in care since ")
                && opening[1].ends_with(", longer than 6 months")
                && opening[2] == "no permanence plan agreed",
            "{reason}"
        );
    }
    // Wiltshire's own cohort still lists below the new one.
    assert!(agenda.iter().any(|r| r[4] == "tracked-from-third-review"));
}
