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
    },
    /// The panel's plans.csv (permanence plan, dates agreed, ...).
    Plans {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

impl ImportCommand {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let path = ctx.path()?;
        let mut store = ctx.open()?;
        let now = ctx.clock.now();
        // An import replaces the extract: keep what was there first.
        if !store.is_empty()? {
            store.automatic_backup("before-import", now)?;
        }
        let report = match self {
            ImportCommand::Ssda903 {
                files,
                year,
                strict,
            } => {
                let options = crate::import::ImportOptions { year, strict };
                crate::import::import_returns(&mut store, &files, &options, now)
            }
            ImportCommand::Plans { file } => crate::import::import_plans(&mut store, &file, now),
        };
        match report {
            Ok(report) => {
                writeln!(out, "{report}")?;
                if !report.returns.is_empty() {
                    super::returns::write_summary(&report, out)?;
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
