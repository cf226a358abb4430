//! `permanence-panel agenda`: build a meeting's agenda from the panel's own
//! routes (carried over, referrals, actions due) and the cohorts at the
//! meeting's date, fitted to its time; print it with slots and reasons.

use super::context::{Ctx, meeting_on, panel_terms};
use chrono::NaiveDate;
use std::io::Write;

use chrono::NaiveTime;
use clap::ValueEnum;

use super::output::{TableFormat, write_rows};
use crate::model::{AgendaItem, Meeting};
use crate::rules::agenda;
use crate::store::Store;
use crate::terms::Terms;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AgendaFormat {
    Table,
    Csv,
    Md,
}

/// Prints the agenda: slots for the children heard, then those waiting.
pub fn write(
    store: &Store,
    terms: &Terms,
    meeting: &Meeting,
    format: AgendaFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let heard = store.agenda(meeting.id)?;
    let waiting = store.agenda_waiting(meeting.id)?;
    let slot_of = |i: usize| agenda::slot(meeting.start, terms.agenda.slot_minutes, i);
    let hm = |t: NaiveTime| t.format("%H:%M").to_string();
    let row = |i: usize, item: &AgendaItem| -> Vec<String> {
        let (from, to) = if item.waiting {
            (String::new(), String::new())
        } else {
            let (a, b) = slot_of(i);
            (hm(a), hm(b))
        };
        vec![
            item.position.to_string(),
            item.child.clone(),
            from,
            to,
            item.listed_under.clone(),
            item.reasons.join(" | "),
            item.waiting.to_string(),
        ]
    };
    match format {
        AgendaFormat::Table | AgendaFormat::Csv => {
            let rows: Vec<Vec<String>> = heard
                .iter()
                .enumerate()
                .map(|(i, it)| row(i, it))
                .chain(waiting.iter().map(|it| row(0, it)))
                .collect();
            let format = if format == AgendaFormat::Csv {
                TableFormat::Csv
            } else {
                TableFormat::Table
            };
            write_rows(
                out,
                format,
                &[
                    "position",
                    "child_id",
                    "slot_start",
                    "slot_end",
                    "listed_under",
                    "reasons",
                    "waiting",
                ],
                &rows,
            )
        }
        AgendaFormat::Md => {
            writeln!(out, "# {}: agenda", terms.name)?;
            writeln!(out)?;
            writeln!(
                out,
                "Meeting of {}, {} to {}.",
                meeting.date.format("%A %-d %B %Y"),
                hm(meeting.start),
                hm(meeting.end)
            )?;
            writeln!(out)?;
            writeln!(out, "| # | Time | Child | Listed under | Why |")?;
            writeln!(out, "|---|---|---|---|---|")?;
            for (i, item) in heard.iter().enumerate() {
                let (a, b) = slot_of(i);
                writeln!(
                    out,
                    "| {} | {}–{} | {} | {} | {} |",
                    item.position,
                    hm(a),
                    hm(b),
                    item.child,
                    // Words in the council's papers, never a cohort id.
                    crate::model::cohort::listed_under_title(&item.listed_under),
                    item.reasons.join("<br>").replace('|', "\\|")
                )?;
            }
            if !waiting.is_empty() {
                writeln!(out)?;
                writeln!(out, "## Waiting for the next meeting (did not fit)")?;
                writeln!(out)?;
                for item in &waiting {
                    writeln!(
                        out,
                        "- {} ({})",
                        item.child,
                        crate::model::cohort::listed_under_title(&item.listed_under)
                    )?;
                }
            }
            Ok(())
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct AgendaArgs {
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub meeting: NaiveDate,
    #[arg(long, value_enum, default_value = "table")]
    pub format: AgendaFormat,
    /// (Re)build the agenda: carried over, referrals, actions due, then the cohorts, fitted to the meeting's time (refused once published).
    #[arg(long)]
    pub build: bool,
    /// Pin a child: always heard at this meeting, whatever the time.
    #[arg(long, value_name = "CHILD")]
    pub pin: Option<String>,
    /// Unpin a child.
    #[arg(long, value_name = "CHILD")]
    pub unpin: Option<String>,
    /// Add a child by hand (needs --reason).
    #[arg(long, value_name = "CHILD")]
    pub add: Option<String>,
    /// Take a child off this meeting's agenda (needs --reason).
    #[arg(long, value_name = "CHILD")]
    pub remove: Option<String>,
    /// Why a child is added or removed.
    #[arg(long)]
    pub reason: Option<String>,
    /// Move a child to position --to among those heard.
    #[arg(long = "move", value_name = "CHILD", requires = "to")]
    pub move_child: Option<String>,
    #[arg(long, value_name = "N")]
    pub to: Option<usize>,
    /// Publish (freeze) the agenda; later changes are logged.
    #[arg(long)]
    pub publish: bool,
}

impl AgendaArgs {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let mut store = ctx.open_existing()?;
        let terms = panel_terms(&store, None)?;
        let m = meeting_on(&store, self.meeting)?;
        let changes = crate::usecase::agenda::Changes {
            pin: self.pin,
            unpin: self.unpin,
            add: self.add,
            remove: self.remove,
            reason: self.reason,
            move_to: self.move_child.zip(self.to),
            build: self.build,
            publish: self.publish,
        };
        crate::usecase::agenda::change(&mut store, &terms, &m, changes, ctx.clock.now())?;
        if self.build {
            // On standard error: the agenda's CSV stays the contract.
            let held = store.held_back_children()?;
            if !held.is_empty() {
                eprintln!(
                    "{} held back by data problems and on no list: {} (see check)",
                    if held.len() == 1 {
                        "1 child".to_owned()
                    } else {
                        format!("{} children", held.len())
                    },
                    held.join(" ")
                );
            }
        }
        write(&store, &terms, &m, self.format, out)?;
        Ok(0)
    }
}
