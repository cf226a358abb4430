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
        // The terms name each decision's item type; a panel set up without
        // terms (it has no decisions) is exported all the same.
        let terms = match store.setting(super::context::TERMS_SETTING)? {
            Some(_) => Some(super::context::panel_terms(&store, None)?),
            None => None,
        };
        let files =
            crate::export::subject_access::write(&store, terms.as_ref(), &self.child, &self.out)?;
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
    /// Also rewrite this panel's backups that still hold them, without them.
    #[arg(long)]
    pub backups: bool,
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
            let db = ctx.path()?;
            let key = ctx.keys.for_db(&db)?;
            let panel_id = store.panel_id()?.unwrap_or_default();
            drop(store);
            let children: Vec<_> = leavers.iter().map(|l| l.child.clone()).collect();
            let holding = if self.backups {
                Vec::new()
            } else {
                crate::store::backups_holding(&db, &panel_id, key.as_ref(), &children)
            };
            for file in &holding {
                writeln!(out, "The backup {} still holds them", file.display())?;
            }
            if self.backups {
                for file in crate::store::panel_backups(&db, &panel_id, key.as_ref()) {
                    let p = crate::store::Store::purge_backup(
                        &file,
                        key.as_ref(),
                        self.left_care_before,
                        ctx.clock.now(),
                    )?;
                    if p.children > 0 {
                        writeln!(
                            out,
                            "Rewrote the backup {} without {} children",
                            file.display(),
                            p.children
                        )?;
                    }
                }
            }
            if !holding.is_empty() && !self.backups {
                writeln!(
                    out,
                    "{} backup(s) still hold them until they age out; `purge --left-care-before {} --backups` rewrites them without them.",
                    holding.len(),
                    self.left_care_before
                )?;
            }
            writeln!(
                out,
                "Removed {} children: {} episodes, {} reviews, {} placed-for-adoption rows, {} plans, {} agenda entries, {} decisions, {} actions, {} referrals, {} carry-overs, {} paper records; {} audit entries about them redacted. The audit trail records the purge without naming them.",
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
                p.papers,
                p.audit_entries
            )?;
        }
        Ok(0)
    }
}
