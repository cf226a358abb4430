//! `permanence-panel report`: the periodic reports the terms of reference
//! ask for (Budget Scrutiny, the annual plan's targets, the six-monthly
//! report to the Senior Management Team) as Markdown, Excel or Word.

use super::context::{Ctx, panel_terms};
use crate::rules::dates::dmy;
use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use crate::report::{self, ReportKind, Request, Targets};
use crate::store::Store;
use crate::terms::Terms;
use crate::usecase::files::DocFormat;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// budget-scrutiny (quarterly), annual-plan (targets against actuals; needs --targets) or smt (six-monthly).
    #[arg(long, value_enum)]
    kind: KindArg,
    /// The first day of the period (YYYY-MM-DD or DD/MM/YYYY).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    from: NaiveDate,
    /// The last day of the period, included (YYYY-MM-DD or DD/MM/YYYY).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    to: NaiveDate,
    /// md, xlsx (needs --out) or docx (needs --out).
    #[arg(long, value_enum)]
    format: ReportFormat,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// A preset (telford, wiltshire, coventry, central-bedfordshire, knowsley, calderdale) or a path to a terms TOML file (default: the panel's own).
    #[arg(long, value_name = "PRESET|PATH")]
    terms: Option<String>,
    /// The yearly targets (TOML; see assets/targets-example.toml).
    #[arg(long, value_name = "FILE")]
    targets: Option<PathBuf>,
}

impl ReportArgs {
    /// The terms asked for with --terms, if any.
    pub fn terms(&self) -> Option<&str> {
        self.terms.as_deref()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum KindArg {
    BudgetScrutiny,
    AnnualPlan,
    Smt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    /// An Excel workbook with native charts.
    Xlsx,
    /// A Word document with the charts as pictures.
    Docx,
}

/// `YYYY-MM-DD` or `DD/MM/YYYY`, as the imports read dates.
fn parse_day(text: &str) -> Result<NaiveDate, String> {
    crate::rules::dates::parse_dmy(text)
        .ok_or_else(|| format!("'{text}' is not a date; expected YYYY-MM-DD or DD/MM/YYYY"))
}

pub fn run(
    args: ReportArgs,
    store: &Store,
    terms: &Terms,
    written: chrono::NaiveDateTime,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let kind = match args.kind {
        KindArg::BudgetScrutiny => ReportKind::BudgetScrutiny,
        KindArg::AnnualPlan => ReportKind::AnnualPlan,
        KindArg::Smt => ReportKind::Smt,
    };
    let targets = args.targets.as_deref().map(Targets::load).transpose()?;
    let request = Request {
        kind,
        from: args.from,
        to: args.to,
        terms,
        targets: targets.as_ref(),
    };
    let gathered = report::gather(store, &request)?;
    let Some(path) = args.out else {
        return match args.format {
            ReportFormat::Md => Ok(out.write_all(report::md::render(&gathered).as_bytes())?),
            // Binary formats never go to the terminal.
            ReportFormat::Xlsx | ReportFormat::Docx => {
                let ext = if args.format == ReportFormat::Xlsx {
                    "xlsx"
                } else {
                    "docx"
                };
                anyhow::bail!(
                    "--format {ext} writes a file: give it a name with --out FILE (e.g. --out report.{ext})"
                )
            }
        };
    };
    let format = match args.format {
        ReportFormat::Md => DocFormat::Markdown,
        ReportFormat::Xlsx => DocFormat::Excel,
        ReportFormat::Docx => DocFormat::Word,
    };
    crate::usecase::files::write_report(&gathered, format, &path, written)?;
    wrote(out, &gathered, &path)?;
    Ok(())
}

fn wrote(out: &mut dyn Write, r: &report::Report, path: &std::path::Path) -> anyhow::Result<()> {
    writeln!(
        out,
        "Wrote the {} for {} to {} to {}",
        r.kind.id(),
        dmy(r.from),
        dmy(r.to),
        path.display()
    )?;
    Ok(())
}

impl ReportArgs {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let store = ctx.open_existing()?;
        let terms = panel_terms(&store, self.terms())?;
        run(self, &store, &terms, ctx.clock.now(), out)?;
        Ok(0)
    }
}
