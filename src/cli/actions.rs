//! `permanence-panel actions`: every action the panel has set, across
//! meetings and children, with its red/amber/green status at a date, as a
//! table, CSV, an Excel workbook or an iCalendar to-do list.

use super::context::Ctx;
use crate::rules::dates::dmy;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{Local, NaiveDate, NaiveDateTime, TimeZone};
use clap::ValueEnum;

use super::output::{TableFormat, write_rows};
use crate::export::actions::{self, ActionRow, HEADER, rag_rule};
use crate::store::Store;
use crate::usecase::actions::{ActionFilter, OwnerMatch};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ActionsFormat {
    Table,
    Csv,
    Xlsx,
    Ics,
}

pub use crate::usecase::actions::StatusFilter;

/// What was asked for on the command line.
pub struct Request {
    pub owner: Option<String>,
    pub status: Option<StatusFilter>,
    pub format: Option<ActionsFormat>,
    pub out: Option<PathBuf>,
    pub as_at: NaiveDate,
    /// When the file is written (the to-dos' DTSTAMP), in local time.
    pub now: NaiveDateTime,
    /// The panel's name, for the workbook's page header and properties.
    pub panel: String,
}

/// The tracker's rows: every action kept by the filters, by deadline.
pub fn rows(
    store: &Store,
    owner: Option<&str>,
    status: Option<StatusFilter>,
    as_at: NaiveDate,
) -> anyhow::Result<Vec<ActionRow>> {
    let filter = ActionFilter {
        status,
        owner: owner.map(|o| OwnerMatch::Contains(o.to_owned())),
    };
    crate::usecase::actions::rows(store, &filter, as_at)
}

pub fn run(store: &Store, request: Request, out: &mut dyn Write) -> anyhow::Result<()> {
    let format = request
        .format
        .unwrap_or(match TableFormat::or_default(None) {
            TableFormat::Table => ActionsFormat::Table,
            TableFormat::Csv => ActionsFormat::Csv,
        });
    if matches!(format, ActionsFormat::Xlsx | ActionsFormat::Ics) && request.out.is_none() {
        let ext = if format == ActionsFormat::Xlsx {
            "xlsx"
        } else {
            "ics"
        };
        anyhow::bail!("--format {ext} writes a file: give --out FILE (e.g. --out actions.{ext})");
    }
    let rows = rows(
        store,
        request.owner.as_deref(),
        request.status,
        request.as_at,
    )?;
    match (format, request.out.as_deref()) {
        (ActionsFormat::Table | ActionsFormat::Csv, None) => {
            write_table(&rows, format, request.as_at, out)?;
        }
        (ActionsFormat::Table | ActionsFormat::Csv, Some(path)) => {
            let mut file = create(path)?;
            write_table(&rows, format, request.as_at, &mut file)?;
            file.flush()
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        (ActionsFormat::Xlsx, Some(path)) => {
            let bytes = actions::xlsx(&rows, request.as_at, &request.panel, request.now)?;
            crate::files::write_private(path, bytes)?;
            writeln!(out, "Wrote {} actions to {}", rows.len(), path.display())?;
        }
        (ActionsFormat::Ics, Some(path)) => {
            let text = actions::ics(&rows, utc(request.now));
            crate::files::write_private(path, text)?;
            writeln!(out, "Wrote {} actions to {}", rows.len(), path.display())?;
        }
        (ActionsFormat::Xlsx | ActionsFormat::Ics, None) => {
            // Refused above; kept so the match needs no panic.
            anyhow::bail!("give --out FILE");
        }
    }
    Ok(())
}

fn create(path: &Path) -> anyhow::Result<std::io::BufWriter<std::fs::File>> {
    let file = crate::files::create_private(path)?;
    Ok(std::io::BufWriter::new(file))
}

/// The table says how RAG is worked out under the rows; CSV stays pure data
/// for scripts (its rag column carries the result).
fn write_table(
    rows: &[ActionRow],
    format: ActionsFormat,
    as_at: NaiveDate,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let table_format = if format == ActionsFormat::Table {
        TableFormat::Table
    } else {
        TableFormat::Csv
    };
    let date = match table_format {
        TableFormat::Table => crate::rules::dates::dmy,
        TableFormat::Csv => crate::rules::dates::iso,
    };
    let cells: Vec<Vec<String>> = rows.iter().map(|r| r.cells_with(date)).collect();
    write_rows(out, table_format, &HEADER, &cells)?;
    if format == ActionsFormat::Table {
        writeln!(out)?;
        writeln!(out, "RAG at {}: {}.", dmy(as_at), rag_rule())?;
    }
    Ok(())
}

/// The local wall-clock time as UTC (DTSTAMP must be UTC); at the autumn
/// change's repeated hour the earlier reading is taken.
fn utc(local: NaiveDateTime) -> NaiveDateTime {
    Local
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.naive_utc())
        .unwrap_or(local)
}

#[derive(Debug, clap::Args)]
pub struct ActionsArgs {
    /// Only actions whose owner contains this text (any case).
    #[arg(long, value_name = "ROLE")]
    pub owner: Option<String>,
    /// open, done, dropped, or overdue (open and past its deadline).
    #[arg(long, value_enum)]
    pub status: Option<StatusFilter>,
    /// table, csv, xlsx or ics (xlsx and ics need --out).
    #[arg(long, value_enum)]
    pub format: Option<ActionsFormat>,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The date the RAG status is worked out at (YYYY-MM-DD; default today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_at: Option<NaiveDate>,
}

impl ActionsArgs {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let store = ctx.open_existing()?;
        // A panel set up without terms still gets its actions; the workbook
        // then names no panel.
        let panel = super::context::panel_terms(&store, None)
            .map(|t| t.name)
            .unwrap_or_else(|_| "Permanence panel".to_owned());
        let request = Request {
            panel,
            owner: self.owner,
            status: self.status,
            format: self.format,
            out: self.out,
            as_at: self.as_at.unwrap_or_else(|| ctx.clock.today()),
            now: ctx.clock.now(),
        };
        run(&store, request, out)?;
        Ok(0)
    }
}
