//! `permanence-panel tracker`: the panel's monitoring spreadsheet, one row
//! per tracked child.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};

use crate::export::tracker_xlsx;
use crate::store::Store;
use crate::terms::Terms;

#[derive(Debug, Subcommand)]
pub enum TrackerCommand {
    /// Write the tracker: every child in a cohort or on an upcoming agenda, with legal status, placement, plan, reviews, last heard, actions and papers.
    Export {
        #[arg(long, value_enum)]
        format: TrackerFormat,
        /// The file to write (e.g. tracker.xlsx).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The date the tracker stands at (YYYY-MM-DD; default today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_at: Option<NaiveDate>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrackerFormat {
    /// An Excel workbook: the Tracker sheet and an About sheet.
    Xlsx,
}

pub fn run(
    command: TrackerCommand,
    store: &Store,
    terms: &Terms,
    today: NaiveDate,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match command {
        TrackerCommand::Export {
            format: TrackerFormat::Xlsx,
            out: path,
            as_at,
        } => {
            let as_at = as_at.unwrap_or(today);
            let rows = tracker_xlsx::rows(store, terms, as_at)?;
            tracker_xlsx::write_xlsx(&rows, terms, as_at, &path)?;
            writeln!(
                out,
                "Wrote {} children tracked at {} to {}",
                rows.len(),
                as_at.format("%d/%m/%Y"),
                path.display()
            )?;
            Ok(())
        }
    }
}
