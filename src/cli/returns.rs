//! `permanence-panel returns`: the SSDA903 returns held, one per collection
//! year, and the import summary a data manager reads.

use std::io::Write;

use clap::Subcommand;

use super::output::{TableFormat, write_rows};
use crate::clock::Clock;
use crate::import::ImportReport;
use crate::rules::dates::dmy;
use crate::rules::returns::CollectionYear;
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum ReturnsCommand {
    /// List the returns held: year, period covered, children, episodes, reviews, when imported, files.
    List {
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
    },
    /// Remove one year's return; the history is merged again from the others.
    Remove {
        /// The collection year, e.g. 2025-26.
        #[arg(long, value_name = "YYYY-YY", value_parser = parse_year)]
        year: CollectionYear,
    },
}

/// Reads `--year` in any of the written forms (`2025-26`, `202526`, ...).
pub fn parse_year(text: &str) -> Result<CollectionYear, String> {
    CollectionYear::parse(text).ok_or_else(|| {
        format!("found '{text}', expected a collection year such as 2025-26 (also 2025_26, 202526, 2025-2026, 25-26)")
    })
}

pub fn run(
    command: ReturnsCommand,
    store: &mut Store,
    clock: &dyn Clock,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    match command {
        ReturnsCommand::List { format } => {
            let rows: Vec<Vec<String>> = store
                .returns()?
                .into_iter()
                .map(|r| {
                    // An annual return covers its year (an in-year extract up
                    // to its latest date); a whole history from its first.
                    let from = if r.whole_history {
                        r.first_date.unwrap_or(r.year.first_day())
                    } else {
                        r.year.first_day()
                    };
                    let to = r
                        .last_date
                        .map_or(r.year.last_day(), |d| d.min(r.year.last_day()));
                    let period = format!("{} to {}", dmy(from), dmy(to));
                    let mut files: Vec<&str> =
                        r.files.iter().map(|f| f.file_name.as_str()).collect();
                    files.dedup();
                    vec![
                        r.year.to_string(),
                        period,
                        r.children.to_string(),
                        r.episodes.to_string(),
                        r.reviews.to_string(),
                        r.imported_at.format("%Y-%m-%d %H:%M").to_string(),
                        files.join(" "),
                    ]
                })
                .collect();
            write_rows(
                out,
                TableFormat::or_default(format),
                &[
                    "year", "period", "children", "episodes", "reviews", "imported", "files",
                ],
                &rows,
            )?;
            Ok(0)
        }
        ReturnsCommand::Remove { year } => match store.remove_return(year, clock.now())? {
            Some(merge) => {
                writeln!(
                    out,
                    "Removed the {year} return; the history now holds {} children.",
                    merge.children
                )?;
                Ok(0)
            }
            None => {
                tell!("No {year} return is held; nothing was changed (see `returns list`).");
                Ok(1)
            }
        },
    }
}

/// Children named in the summary before "and N more".
const SHOWN: usize = 20;

fn children(n: usize) -> String {
    if n == 1 {
        "1 child".to_owned()
    } else {
        format!("{n} children")
    }
}

/// What a data manager reads after an import: each return with its rows
/// and the year's reason, then what the merge gave.
pub fn write_summary(
    report: &ImportReport,
    dry_run: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    for r in &report.returns {
        writeln!(
            out,
            "Return {}{}, {}, year {}: {}",
            r.year,
            crate::usecase::returns::replaces_words(r, dry_run),
            r.source,
            r.year_source,
            crate::usecase::returns::rows_stored(r)
        )?;
    }
    for line in report
        .returns
        .iter()
        .filter_map(|r| crate::usecase::returns::earlier_day_line(r, dry_run))
    {
        writeln!(out, "{line}")?;
    }
    let found = crate::usecase::returns::Findings::of(report);
    // One line for the tables recognised and left out, however many files.
    if !found.left_out.is_empty() {
        let named: Vec<String> = found
            .left_out
            .iter()
            .map(|(t, n)| match n {
                1 => (*t).to_owned(),
                n => format!("{t} ({n} files)"),
            })
            .collect();
        writeln!(
            out,
            "Recognised and left out (nothing a panel reads): {}",
            named.join(", ")
        )?;
    }
    // Children held back, each named once with their first problem.
    let held = &found.held_back;
    let warnings = &found.warnings;
    if !held.is_empty() {
        writeln!(
            out,
            "{} held back by data problems (in no cohort and no timetable until a later import fixes them; every problem: check):",
            children(held.len())
        )?;
        for (child, problem) in held.iter().take(SHOWN) {
            writeln!(out, "  {child}: {problem}")?;
        }
        if held.len() > SHOWN {
            writeln!(out, "  and {} more", held.len() - SHOWN)?;
        }
    }
    if !warnings.is_empty() {
        let total: usize = warnings.values().sum();
        let by_column: Vec<String> = warnings.iter().map(|(c, n)| format!("{c} {n}")).collect();
        writeln!(
            out,
            "{total} warning{} by column (values kept as written, repeated rows read once): {}; the full list: check --warnings",
            if total == 1 { "" } else { "s" },
            by_column.join(", ")
        )?;
    }
    if dry_run {
        return Ok(());
    }
    writeln!(
        out,
        "{}",
        crate::usecase::returns::history_line(&report.merge, " (see check --warnings)")
    )?;
    if let Some(backup) = &report.backup {
        writeln!(out, "The panel as it was is kept in {}.", backup.display())?;
    }
    Ok(())
}

impl ReturnsCommand {
    pub fn run(self, ctx: &super::context::Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let mut store = ctx.open_existing()?;
        run(self, &mut store, ctx.clock, out)
    }
}
