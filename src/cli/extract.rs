//! Commands that read the imported return through the rules: `cohorts`,
//! `timetable` and `check`. Their CSV columns are a contract with scripts
//! outside the project: change nothing in them.

use std::io::Write;

use chrono::NaiveDate;

use super::output::{TableFormat, write_rows};
use crate::rules::calendar::Calendar;
use crate::rules::{check, cohorts, timetable};
use crate::store::Store;
use crate::terms::Terms;

/// `child_id,cohort,since,reason`: one row per membership, by cohort
/// priority, then since, then child id.
pub fn cohorts(
    store: &Store,
    terms: &Terms,
    as_at: NaiveDate,
    format: TableFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let routes = cohorts::PanelRoutes::default();
    let mut all = Vec::new();
    store.for_each_child_record(|record| {
        all.extend(cohorts::memberships(&record, terms, as_at, &routes));
        Ok(())
    })?;
    cohorts::sort_for_contract(&mut all, terms);
    let rows: Vec<Vec<String>> = all
        .into_iter()
        .map(|m| {
            vec![
                m.child,
                m.cohort.id().to_owned(),
                format.date(m.since),
                m.reason,
            ]
        })
        .collect();
    write_rows(
        out,
        format,
        &["child_id", "cohort", "since", "reason"],
        &rows,
    )
}

/// `child_id,period_start,reviews_held,last_review,next_due,overdue`: one row
/// per child looked after at the date.
pub fn timetable(
    store: &Store,
    as_at: NaiveDate,
    format: TableFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let calendar = Calendar::england_and_wales();
    let mut rows = Vec::new();
    store.for_each_child_record(|record| {
        if let Some(row) = timetable::timetable(&record, as_at, &calendar) {
            rows.push(vec![
                row.child,
                format.date(row.period_start),
                row.reviews_held.to_string(),
                row.last_review.map(|d| format.date(d)).unwrap_or_default(),
                format.date(row.next_due),
                row.overdue.to_string(),
            ]);
        }
        Ok(())
    })?;
    write_rows(
        out,
        format,
        &[
            "child_id",
            "period_start",
            "reviews_held",
            "last_review",
            "next_due",
            "overdue",
        ],
        &rows,
    )
}

/// `child_id,what,rule`: problems of meaning a valid return can carry.
pub fn check(
    store: &Store,
    as_at: NaiveDate,
    format: TableFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    store.for_each_child_record(|record| {
        for w in check::data_warnings(&record, as_at) {
            rows.push(vec![w.child, w.what, w.rule]);
        }
        Ok(())
    })?;
    write_rows(out, format, &["child_id", "what", "rule"], &rows)
}
