//! A child's data: everything held on one child for a subject access
//! request (`export-child`), and the retention purge (`purge`).

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;

use super::context::Ctx;
use crate::rules::dates::dmy;

#[derive(Debug, clap::Args)]
pub struct ExportChildArgs {
    #[arg(value_name = "CHILD")]
    pub child: String,
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

impl ExportChildArgs {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let store = ctx.open_read_only()?;
        let files = crate::export::subject_access::write(&store, &self.child, &self.out)?;
        writeln!(
            out,
            "Wrote {} files on child {} to {}",
            files.len(),
            self.child,
            self.out.display()
        )?;
        Ok(0)
    }
}

#[derive(Debug, clap::Args)]
pub struct PurgeArgs {
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub left_care_before: NaiveDate,
    /// List who would be removed, and remove nothing.
    #[arg(long)]
    pub dry_run: bool,
}

impl PurgeArgs {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let mut store = ctx.open_existing()?;
        let leavers = store.leavers_before(self.left_care_before)?;
        for l in &leavers {
            writeln!(out, "{}  left care {}", l.child, dmy(l.left_care))?;
        }
        if self.dry_run {
            writeln!(
                out,
                "{} children left care before {}; nothing was removed (--dry-run).",
                leavers.len(),
                dmy(self.left_care_before)
            )?;
        } else {
            let p = store.purge(&leavers, ctx.clock.now())?;
            writeln!(
                out,
                "Removed {} children: {} episodes, {} reviews, {} placed-for-adoption rows, {} plans, {} agenda entries, {} decisions, {} actions, {} referrals, {} carry-overs, {} paper records. The audit trail records the purge. Backups taken before today still hold them.",
                p.children,
                p.episodes,
                p.reviews,
                p.placed_adoption,
                p.plans,
                p.agenda_items,
                p.decisions,
                p.actions,
                p.referrals,
                p.carry_overs,
                p.papers
            )?;
        }
        Ok(0)
    }
}
