//! `permanence-panel fostering-panel`: the Fostering Panel's sittings and
//! how many long-term matches each can hear, and booking a child's match to
//! one (issue 17: Wiltshire's panel oversees that capacity).

use std::io::Write;

use chrono::NaiveDate;
use clap::Subcommand;

use super::context::Ctx;
use super::output::{TableFormat, write_rows};
use crate::rules::dates::dmy;
use crate::usecase::fostering;

#[derive(Debug, Subcommand)]
pub enum FosteringPanelCommand {
    /// Record a sitting of the Fostering Panel and how many long-term matches it can hear (again to change the slots).
    Add {
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: NaiveDate,
        /// How many long-term matches the sitting can hear.
        #[arg(long, value_name = "N")]
        slots: u32,
    },
    /// List the sittings with their slots and the children booked (date,slots,booked,free,children).
    List {
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
    },
    /// Book a child's long-term match to the sitting on a date (moving it from another sitting).
    Book {
        #[arg(long, value_name = "ID")]
        child: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: NaiveDate,
    },
    /// Take a child's long-term match off the sitting it is booked to.
    Unbook {
        #[arg(long, value_name = "ID")]
        child: String,
    },
    /// Remove a sitting that has no children booked.
    Remove {
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: NaiveDate,
    },
}

impl FosteringPanelCommand {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let mut store = ctx.open_existing()?;
        let now = ctx.clock.now();
        match self {
            FosteringPanelCommand::Add { date, slots } => {
                store.add_fostering_panel(date, slots, now)?;
                writeln!(out, "{}.", fostering::slots_sentence(date, slots))?;
            }
            FosteringPanelCommand::List { format } => {
                let rows: Vec<Vec<String>> = store
                    .fostering_panels()?
                    .into_iter()
                    .map(|p| {
                        vec![
                            p.date.format("%Y-%m-%d").to_string(),
                            p.slots.to_string(),
                            p.booked.len().to_string(),
                            p.free().to_string(),
                            p.booked.join(" "),
                        ]
                    })
                    .collect();
                write_rows(
                    out,
                    TableFormat::or_default(format),
                    &["date", "slots", "booked", "free", "children"],
                    &rows,
                )?;
            }
            FosteringPanelCommand::Book { child, date } => {
                let child = child.trim().to_owned();
                let booked = store.book_fostering_panel(&child, date, now)?;
                let said = fostering::booked_sentence(&child, date, &booked);
                writeln!(out, "{said}.")?;
            }
            FosteringPanelCommand::Unbook { child } => {
                let child = child.trim().to_owned();
                let from = store.unbook_fostering_panel(&child, now)?;
                writeln!(
                    out,
                    "Took {child} off the Fostering Panel of {}.",
                    dmy(from)
                )?;
            }
            FosteringPanelCommand::Remove { date } => {
                store.remove_fostering_panel(date, now)?;
                writeln!(out, "Removed the Fostering Panel of {}.", dmy(date))?;
            }
        }
        Ok(0)
    }
}
