//! `permanence-panel tracker`: the panel's monitoring spreadsheet, one row
//! per tracked child; and a council's own tracker brought in.

use super::context::Ctx;
use crate::rules::dates::dmy;
use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};

use crate::clock::Clock;
use crate::import::tracker_xlsx::{TrackerMap, TrackerRequest, import_tracker};
use crate::store::Store;

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
    /// Bring in a monitoring spreadsheet (.xlsx): names, plans not yet held, meetings heard before, comments. The return's facts are compared, never replaced. A bad cell changes nothing.
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// How the council's columns map to the panel's fields (default: the columns of `tracker export`); see assets/tracker-maps/example.toml.
        #[arg(long, value_name = "MAP.toml")]
        map: Option<PathBuf>,
        /// The sheet to read (default: the map's, else the first).
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        /// Check everything and report, storing nothing.
        #[arg(long)]
        dry_run: bool,
        /// The date the sheet stands at, to compare its legal status and placement with the return (default: the As at of our own export, else today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_at: Option<NaiveDate>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrackerFormat {
    /// An Excel workbook: the Tracker sheet and an About sheet.
    Xlsx,
}

/// Runs a tracker command; returns the exit status.
pub fn run(
    command: TrackerCommand,
    store: &mut Store,
    clock: &dyn Clock,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    match command {
        TrackerCommand::Export {
            format: TrackerFormat::Xlsx,
            out: path,
            as_at,
        } => {
            let terms = super::context::panel_terms(store, None)?;
            let as_at = as_at.unwrap_or_else(|| clock.today());
            let tracked =
                crate::usecase::files::write_tracker(store, &terms, as_at, &path, clock.now())?;
            writeln!(
                out,
                "Wrote {} children tracked at {} to {}",
                tracked,
                dmy(as_at),
                path.display()
            )?;
            Ok(0)
        }
        TrackerCommand::Import {
            file,
            map,
            sheet,
            dry_run,
            as_at,
        } => {
            let map = match map {
                Some(path) => match TrackerMap::load(&path) {
                    Ok(m) => m,
                    Err(e) => {
                        tell!("{e}");
                        tell!("Nothing was imported; the database is unchanged.");
                        return Ok(1);
                    }
                },
                None => TrackerMap::ours(),
            };
            // Like the other imports: keep what was there first.
            if !dry_run && !store.is_empty()? {
                store.automatic_backup("before-import", clock.now())?;
            }
            let request = TrackerRequest {
                file: &file,
                map: &map,
                sheet: sheet.as_deref(),
                as_at,
                dry_run,
            };
            match import_tracker(store, &request, clock.today(), clock.now()) {
                Ok(report) => {
                    writeln!(out, "{report}")?;
                    Ok(0)
                }
                Err(e) => {
                    tell!("{e}");
                    tell!("Nothing was imported; the database is unchanged.");
                    Ok(1)
                }
            }
        }
    }
}

impl TrackerCommand {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let mut store = ctx.open_existing()?;
        run(self, &mut store, ctx.clock, out)
    }
}
