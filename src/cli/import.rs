//! `permanence-panel import`: the SSDA903 return and the panel's plans.

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;

use super::context::Ctx;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// SSDA903 returns: each PATH a folder holding one year's return, or the files of one return (CSV tables recognised by their header rows, or the XML return).
    #[command(name = "903")]
    Ssda903 {
        #[arg(required = true, value_name = "PATH")]
        files: Vec<PathBuf>,
        /// The collection year of a single return (default: from the folder's or files' names, else from its latest date).
        #[arg(long, value_name = "YYYY-YY", value_parser = super::returns::parse_year)]
        year: Option<crate::rules::returns::CollectionYear>,
        /// All or nothing, as before: any problem refuses the whole import. Without it a bad value in a field the rules need holds that child back and any other is a warning.
        #[arg(long)]
        strict: bool,
        /// Read and check every return and say what the import would do (years, rows, children held back, warnings); write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// The panel's plans.csv (permanence plan, dates agreed, ...).
    Plans {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Say what the import would do (rows matched, children not in the returns, warnings) and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

impl ImportCommand {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let path = ctx.path()?;
        let mut store = ctx.open()?;
        let now = ctx.clock.now();
        let dry_run = matches!(
            self,
            ImportCommand::Plans { dry_run: true, .. }
                | ImportCommand::Ssda903 { dry_run: true, .. }
        );
        let mut plans_plan = None;
        let report = match self {
            ImportCommand::Ssda903 {
                files,
                year,
                strict,
                dry_run,
            } => {
                let options = crate::import::ImportOptions {
                    year,
                    strict,
                    progress: true,
                    dry_run,
                    shown_relative_to: None,
                    watch: None,
                    without_backup: false,
                };
                crate::usecase::returns::import(&mut store, &files, &options, now)
            }
            ImportCommand::Plans { file, dry_run } => {
                // An import replaces what was there: keep it first.
                if !store.is_empty()? && !dry_run {
                    store.automatic_backup("before-import", now)?;
                }
                crate::import::import_plans_planned(&mut store, &file, now, dry_run).map(
                    |(report, plan)| {
                        plans_plan = Some(plan);
                        report
                    },
                )
            }
        };
        match report {
            Ok(report) => {
                if dry_run {
                    writeln!(out, "Dry run: nothing was written.")?;
                }
                if !dry_run || !report.returns.is_empty() {
                    writeln!(out, "{report}")?;
                }
                if let Some(plan) = plans_plan {
                    writeln!(out, "{plan}")?;
                }
                if !report.returns.is_empty() {
                    super::returns::write_summary(&report, dry_run, out)?;
                }
            }
            Err(mut e) => {
                // A full disk or a read-only file is told by name.
                e.store = e.store.map(|s| s.at(&path));
                tell!("{e}");
                tell!("Nothing was imported; the database is unchanged.");
                return Ok(1);
            }
        }
        Ok(0)
    }
}
