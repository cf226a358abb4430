//! `permanence-panel meetings`: the meeting year, planned from the terms'
//! cadence, listed, moved and cancelled.

use super::context::{Ctx, panel_terms};
use crate::rules::dates::dmy;
use std::io::Write;

use chrono::{NaiveDate, NaiveTime};
use clap::Subcommand;

use super::output::{TableFormat, write_rows};
use crate::clock::Clock;
use crate::store::Store;
use crate::terms::Terms;

#[derive(Debug, Subcommand)]
pub enum MeetingsCommand {
    /// Add the year's meetings from the terms' cadence (bank holidays moved as the terms say); existing meetings are kept.
    Plan {
        #[arg(long, value_name = "YYYY")]
        year: i32,
        /// A preset (telford, wiltshire, coventry, central-bedfordshire, knowsley, calderdale) or a path to a terms TOML file (default: the panel's own).
        #[arg(long, value_name = "PRESET|PATH")]
        terms: Option<String>,
    },
    /// List the meetings (of one year, or all).
    List {
        #[arg(long, value_name = "YYYY")]
        year: Option<i32>,
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
    },
    /// Add an extra sitting the cadence does not give, with the reason (at the cadence's hours unless --start/--end).
    Add {
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: NaiveDate,
        #[arg(long)]
        reason: String,
        #[arg(long, value_name = "HH:MM", value_parser = super::parse_hh_mm, requires = "end")]
        start: Option<NaiveTime>,
        #[arg(long, value_name = "HH:MM", value_parser = super::parse_hh_mm, requires = "start")]
        end: Option<NaiveTime>,
    },
    /// Cancel a meeting, with the reason (it stays in the list, marked cancelled).
    Cancel {
        #[arg(long, value_name = "YYYY-MM-DD")]
        meeting: NaiveDate,
        #[arg(long)]
        reason: String,
    },
    /// Move a meeting to another day (and times).
    Move {
        #[arg(long, value_name = "YYYY-MM-DD")]
        meeting: NaiveDate,
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: NaiveDate,
        #[arg(long, value_name = "HH:MM", value_parser = super::parse_hh_mm)]
        start: Option<NaiveTime>,
        #[arg(long, value_name = "HH:MM", value_parser = super::parse_hh_mm)]
        end: Option<NaiveTime>,
        /// Why it moves (kept with the meeting and shown in the app's list of meetings).
        #[arg(long)]
        reason: Option<String>,
    },
}

pub fn run(
    command: MeetingsCommand,
    store: &mut Store,
    terms: &Terms,
    clock: &dyn Clock,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match command {
        MeetingsCommand::Plan { year, .. } => {
            let planned = crate::usecase::meetings::plan_year(
                store,
                terms,
                year,
                crate::usecase::meetings::PastDays::Planned,
                clock.now(),
            )?;
            let assumed = if terms.cadence.assumed {
                " (the terms of reference give no day: the preset's assumed cadence)"
            } else {
                ""
            };
            writeln!(out, "{} meetings added for {year}{assumed}.", planned.added)?;
            list(store, Some(year), TableFormat::Table, out)
        }
        MeetingsCommand::Add {
            date,
            reason,
            start,
            end,
        } => {
            let hours = start.zip(end);
            crate::usecase::meetings::add_extra(store, terms, date, hours, &reason, clock.now())?;
            writeln!(
                out,
                "Added an extra meeting on {} ({}).",
                date.format("%A %d/%m/%Y"),
                reason.trim()
            )?;
            Ok(())
        }
        MeetingsCommand::List { year, format } => {
            list(store, year, TableFormat::or_default(format), out)
        }
        MeetingsCommand::Cancel { meeting, reason } => {
            let m = super::context::meeting_on(store, meeting)?;
            store.cancel_meeting(m.id, &reason, clock.now())?;
            writeln!(out, "Cancelled the meeting of {}.", dmy(meeting))?;
            Ok(())
        }
        MeetingsCommand::Move {
            meeting,
            to,
            start,
            end,
            reason,
        } => {
            let m = super::context::meeting_on(store, meeting)?;
            let (start, end) = (start.unwrap_or(m.start), end.unwrap_or(m.end));
            store.move_meeting(m.id, to, start, end, reason.as_deref(), clock.now())?;
            writeln!(
                out,
                "Moved the meeting of {} to {}, {}–{}.",
                dmy(meeting),
                to.format("%A %d/%m/%Y"),
                start.format("%H:%M"),
                end.format("%H:%M")
            )?;
            Ok(())
        }
    }
}

fn list(
    store: &Store,
    year: Option<i32>,
    format: TableFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    use chrono::Datelike;
    let rows: Vec<Vec<String>> = store
        .meetings()?
        .into_iter()
        .filter(|m| year.is_none_or(|y| m.date.year() == y))
        .map(|m| {
            vec![
                m.date.format("%Y-%m-%d").to_string(),
                m.date.format("%A").to_string(),
                m.start.format("%H:%M").to_string(),
                m.end.format("%H:%M").to_string(),
                m.status.id().to_owned(),
                m.cancel_reason.unwrap_or_default(),
            ]
        })
        .collect();
    write_rows(
        out,
        format,
        &["date", "day", "start", "end", "status", "cancel_reason"],
        &rows,
    )
}

impl MeetingsCommand {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let mut store = ctx.open_existing()?;
        let asked = match &self {
            MeetingsCommand::Plan { terms, .. } => terms.clone(),
            _ => None,
        };
        let terms = panel_terms(&store, asked.as_deref())?;
        run(self, &mut store, &terms, ctx.clock, out)?;
        Ok(0)
    }
}
