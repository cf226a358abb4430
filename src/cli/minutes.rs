//! `permanence-panel minutes`: write a meeting's minutes (Markdown or
//! Word), approve them at a later meeting, or record a correction.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};

use super::context::{Ctx, meeting_on, panel_terms};
use crate::clock::Clock;
use crate::rules::dates::dmy;
use crate::store::Store;

/// `minutes --meeting D [--format md|docx] [--out FILE] [--full-names]`
/// writes the minutes; `minutes approve` and `minutes correct` change their
/// standing. The subcommands were added beside the original flags, which
/// keep working as they were.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct MinutesArgs {
    /// The meeting's date.
    #[arg(long, value_name = "YYYY-MM-DD", required = true)]
    pub meeting: Option<NaiveDate>,
    #[arg(long, value_enum, default_value = "md")]
    pub format: MinutesFormat,
    /// Write to this file instead of standard output (required for docx).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Name children in full where the panel holds their name (default: id and initials).
    #[arg(long)]
    pub full_names: bool,
    #[command(subcommand)]
    pub command: Option<MinutesCommand>,
}

#[derive(Debug, Subcommand)]
pub enum MinutesCommand {
    /// Record that the minutes of --meeting were approved at the later meeting --at-meeting; approved minutes are frozen.
    Approve {
        /// The meeting whose minutes are approved.
        #[arg(long, value_name = "YYYY-MM-DD")]
        meeting: NaiveDate,
        /// The later meeting that approved them.
        #[arg(long, value_name = "YYYY-MM-DD")]
        at_meeting: NaiveDate,
    },
    /// Minute an item of any other business at --meeting (before its minutes are approved).
    OtherBusiness {
        #[arg(long, value_name = "YYYY-MM-DD")]
        meeting: NaiveDate,
        /// The item, as the panel minutes it.
        #[arg(long)]
        text: String,
    },
    /// Record a correction to approved minutes; the minutes show it under "Corrections".
    Correct {
        #[arg(long, value_name = "YYYY-MM-DD")]
        meeting: NaiveDate,
        /// The correction, as the panel agreed it.
        #[arg(long)]
        text: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MinutesFormat {
    Md,
    /// A Word document; needs --out.
    Docx,
}

impl MinutesArgs {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let mut store = ctx.open_existing()?;
        minutes(&mut store, self, ctx.clock, out)?;
        Ok(0)
    }
}

/// `minutes`: writes them, or approves or corrects them.
fn minutes(
    store: &mut Store,
    args: MinutesArgs,
    clock: &dyn Clock,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match args.command {
        Some(MinutesCommand::Approve {
            meeting,
            at_meeting,
        }) => {
            let held = meeting_on(store, meeting)?;
            let approving = meeting_on(store, at_meeting)?;
            store.approve_minutes(held.id, approving.id, clock.now())?;
            writeln!(
                out,
                "The minutes of {} are approved at the meeting of {}; from now on they change only by a correction (permanence-panel minutes correct).",
                dmy(held.date),
                dmy(approving.date)
            )?;
            return Ok(());
        }
        Some(MinutesCommand::OtherBusiness { meeting, text }) => {
            let held = meeting_on(store, meeting)?;
            store.add_other_business(held.id, &text, clock.now())?;
            writeln!(
                out,
                "Minuted an item of other business at the meeting of {}",
                dmy(held.date)
            )?;
            return Ok(());
        }
        Some(MinutesCommand::Correct { meeting, text }) => {
            let held = meeting_on(store, meeting)?;
            store.record_minutes_correction(held.id, &text, clock.now())?;
            writeln!(
                out,
                "Recorded a correction to the minutes of {}",
                dmy(held.date)
            )?;
            return Ok(());
        }
        None => {}
    }
    // clap requires --meeting when there is no subcommand.
    let Some(meeting) = args.meeting else {
        anyhow::bail!("give the meeting: --meeting YYYY-MM-DD");
    };
    let terms = panel_terms(store, None)?;
    let m = meeting_on(store, meeting)?;
    match args.format {
        MinutesFormat::Docx => {
            // A Word document is binary: it never goes to the terminal.
            let Some(path) = args.out else {
                anyhow::bail!(
                    "--format docx writes a Word file: give it a name with --out FILE (e.g. --out minutes.docx)"
                );
            };
            crate::usecase::files::write_minutes(
                store,
                &terms,
                &m,
                crate::usecase::files::DocFormat::Word,
                args.full_names,
                &path,
                clock.now(),
            )?;
            writeln!(
                out,
                "Wrote the minutes of {} to {}",
                dmy(m.date),
                path.display()
            )?;
        }
        MinutesFormat::Md => match args.out {
            Some(path) => crate::usecase::files::write_minutes(
                store,
                &terms,
                &m,
                crate::usecase::files::DocFormat::Markdown,
                args.full_names,
                &path,
                clock.now(),
            )?,
            None => {
                let text =
                    crate::export::minutes_md::render_with(store, &terms, &m, args.full_names)?;
                out.write_all(text.as_bytes())?
            }
        },
    }
    Ok(())
}
