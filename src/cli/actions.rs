//! `permanence-panel actions`: every action the panel has set, across
//! meetings and children, with its red/amber/green status at a date, as a
//! table, CSV, an Excel workbook or an iCalendar to-do list.

use crate::rules::dates::dmy;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{Local, NaiveDate, NaiveDateTime, TimeZone};
use clap::ValueEnum;

use super::output::{TableFormat, write_rows};
use crate::export::actions::{self, ActionRow, HEADER, rag_rule};
use crate::model::{Action, ActionStatus};
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ActionsFormat {
    Table,
    Csv,
    Xlsx,
    Ics,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFilter {
    Open,
    Done,
    Dropped,
    /// Open and past its deadline at the as-at date.
    Overdue,
}

impl StatusFilter {
    fn keeps(self, action: &Action, as_at: NaiveDate) -> bool {
        match self {
            StatusFilter::Open => action.status == ActionStatus::Open,
            StatusFilter::Done => action.status == ActionStatus::Done,
            StatusFilter::Dropped => action.status == ActionStatus::Dropped,
            StatusFilter::Overdue => action.status == ActionStatus::Open && action.deadline < as_at,
        }
    }
}

/// What was asked for on the command line.
pub struct Request {
    pub owner: Option<String>,
    pub status: Option<StatusFilter>,
    pub format: Option<ActionsFormat>,
    pub out: Option<PathBuf>,
    pub as_at: NaiveDate,
    /// When the file is written (the to-dos' DTSTAMP), in local time.
    pub now: NaiveDateTime,
}

/// The tracker's rows: every action kept by the filters, by deadline.
pub fn rows(
    store: &Store,
    owner: Option<&str>,
    status: Option<StatusFilter>,
    as_at: NaiveDate,
) -> anyhow::Result<Vec<ActionRow>> {
    let meeting_dates: std::collections::HashMap<i64, NaiveDate> = store
        .meetings()?
        .into_iter()
        .map(|m| (m.id, m.date))
        .collect();
    // Owners are job titles or roles as typed, so a loose match finds
    // "Social Worker (North)" from "social worker".
    let owner = owner.map(|o| o.trim().to_lowercase());
    Ok(store
        .all_actions()?
        .iter()
        .filter(|a| {
            owner
                .as_deref()
                .is_none_or(|o| a.owner.to_lowercase().contains(o))
        })
        .filter(|a| status.is_none_or(|s| s.keeps(a, as_at)))
        .map(|a| ActionRow::new(a, meeting_dates.get(&a.meeting).copied(), as_at))
        .collect())
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
            let bytes = actions::xlsx(&rows, request.as_at)?;
            std::fs::write(path, bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
            writeln!(out, "Wrote {} actions to {}", rows.len(), path.display())?;
        }
        (ActionsFormat::Ics, Some(path)) => {
            let text = actions::ics(&rows, utc(request.now));
            std::fs::write(path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
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
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
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
