//! Commands that read the imported return through the rules: `cohorts`,
//! `timetable` and `check`. Their CSV columns are a contract with scripts
//! outside the project: change nothing in them.

use super::context::{Ctx, panel_terms};
use std::io::Write;

use chrono::NaiveDate;

use super::output::{TableFormat, write_rows};
use crate::rules::calendar::Calendar;
use crate::rules::{check, cohorts, timetable};
use crate::store::Store;
use crate::terms::Terms;

use crate::rules::dates::iso;

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
        .map(|m| vec![m.child, m.cohort.id().to_owned(), iso(m.since), m.reason])
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
                iso(row.period_start),
                row.reviews_held.to_string(),
                row.last_review.map(iso).unwrap_or_default(),
                iso(row.next_due),
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

#[derive(Debug, clap::Args)]
pub struct CohortsArgs {
    /// telford, wiltshire, or a path to a terms TOML file (default: the panel's own).
    #[arg(long, value_name = "PRESET|PATH")]
    pub terms: Option<String>,
    /// The date to evaluate at (YYYY-MM-DD; default today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_at: Option<NaiveDate>,
    #[arg(long, value_enum)]
    pub format: Option<TableFormat>,
}

impl CohortsArgs {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let store = ctx.open_existing()?;
        let terms = panel_terms(&store, self.terms.as_deref())?;
        let as_at = self.as_at.unwrap_or_else(|| ctx.clock.today());
        cohorts(
            &store,
            &terms,
            as_at,
            TableFormat::or_default(self.format),
            out,
        )?;
        Ok(0)
    }
}

#[derive(Debug, clap::Args)]
pub struct TimetableArgs {
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_at: Option<NaiveDate>,
    #[arg(long, value_enum)]
    pub format: Option<TableFormat>,
}

impl TimetableArgs {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let store = ctx.open_existing()?;
        let as_at = self.as_at.unwrap_or_else(|| ctx.clock.today());
        timetable(&store, as_at, TableFormat::or_default(self.format), out)?;
        Ok(0)
    }
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_at: Option<NaiveDate>,
    #[arg(long, value_enum)]
    pub format: Option<TableFormat>,
}

impl CheckArgs {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let store = ctx.open_existing()?;
        let as_at = self.as_at.unwrap_or_else(|| ctx.clock.today());
        check(&store, as_at, TableFormat::or_default(self.format), out)?;
        Ok(0)
    }
}
