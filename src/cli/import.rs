//! `permanence-panel import`: the SSDA903 return and the panel's plans.

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;

use super::context::Ctx;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// The SSDA903 tables as CSV files (Header, Episodes, Reviews, PlacedAdoption) or the XML return.
    #[command(name = "903")]
    Ssda903 {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
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
            ImportCommand::Ssda903 { files } => crate::import::import_903(&mut store, &files, now),
            ImportCommand::Plans { file } => crate::import::import_plans(&mut store, &file, now),
        };
        match report {
            Ok(report) => writeln!(out, "{report}")?,
            Err(mut e) => {
                // A full disk or a read-only file is told by name.
                e.store = e.store.map(|s| s.at(&path));
                eprintln!("{e}");
                eprintln!("Nothing was imported; the database is unchanged.");
                return Ok(1);
            }
        }
        Ok(0)
    }
}
