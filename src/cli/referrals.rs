//! `permanence-panel referrals`: a social worker's referral of a child to the
//! panel, supported by their team manager (roles and initials only), and
//! the chair's acceptance or refusal with a reason.

use super::context::{Ctx, TERMS_SETTING, panel_terms};
use std::io::Write;

use chrono::NaiveDate;
use clap::Subcommand;

use super::output::{TableFormat, write_rows};
use crate::clock::Clock;
use crate::model::Id;
use crate::store::{NewReferral, Store};
use crate::terms::Terms;
use crate::terms::items::TRACKING;

#[derive(Debug, Subcommand)]
pub enum ReferralsCommand {
    /// Record a referral.
    Add {
        #[arg(long)]
        child: String,
        /// The date it was made (default today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        made_on: Option<NaiveDate>,
        /// The referring social worker's role, e.g. "social worker".
        #[arg(long, default_value = "social worker")]
        referrer_role: String,
        #[arg(long)]
        referrer_initials: String,
        /// The supporting team manager's role.
        #[arg(long, default_value = "team manager")]
        supporter_role: String,
        #[arg(long)]
        supporter_initials: String,
        #[arg(long)]
        reason: String,
        /// The meeting asked for.
        #[arg(long, value_name = "YYYY-MM-DD")]
        meeting: Option<NaiveDate>,
        /// The kind of item asked for (an item type of the terms, e.g. sgo-cao-support-plan).
        #[arg(long, value_name = "TYPE", default_value = "tracking")]
        item: String,
    },
    /// List the referrals.
    List {
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
    },
    /// Accept a referral: the child goes on the agenda of the meeting asked for (or the next).
    Accept {
        #[arg(long)]
        id: Id,
    },
    /// Decline a referral, with the reason.
    Decline {
        #[arg(long)]
        id: Id,
        #[arg(long)]
        reason: String,
    },
}

pub fn run(
    command: ReferralsCommand,
    store: &mut Store,
    terms: Option<&Terms>,
    clock: &dyn Clock,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match command {
        ReferralsCommand::Add {
            child,
            made_on,
            referrer_role,
            referrer_initials,
            supporter_role,
            supporter_initials,
            reason,
            meeting,
            item,
        } => {
            let item = item.trim();
            if let Some(terms) = terms
                && terms.item_type(item).is_none()
            {
                let known: Vec<&str> = terms.item_types.iter().map(|t| t.id.as_str()).collect();
                anyhow::bail!(
                    "--item: '{item}' is not a kind of item this panel hears; its terms name {}",
                    known.join(", ")
                );
            }
            if terms.is_none() && item != TRACKING {
                anyhow::bail!(
                    "--item: this panel has no terms of reference to name item types; set them up with `permanence-panel init --terms PRESET`"
                );
            }
            let id = crate::usecase::referrals::add_of_type(
                store,
                NewReferral {
                    child,
                    made_on: made_on.unwrap_or_else(|| clock.today()),
                    referrer_role,
                    referrer_initials,
                    supporter_role,
                    supporter_initials,
                    reason,
                    meeting_asked: meeting,
                },
                item,
                clock.now(),
            )?;
            writeln!(out, "Referral {id} recorded (open: accept or decline it).")?;
        }
        ReferralsCommand::List { format } => {
            let rows: Vec<Vec<String>> = store
                .referrals()?
                .into_iter()
                .map(|r| {
                    vec![
                        r.id.to_string(),
                        r.child,
                        r.made_on.format("%Y-%m-%d").to_string(),
                        format!("{} ({})", r.referrer_role, r.referrer_initials),
                        format!("{} ({})", r.supporter_role, r.supporter_initials),
                        r.reason,
                        r.meeting_asked
                            .map(|d| d.format("%Y-%m-%d").to_string())
                            .unwrap_or_default(),
                        r.status.id().to_owned(),
                        r.status_reason.unwrap_or_default(),
                        r.item_type,
                    ]
                })
                .collect();
            write_rows(
                out,
                TableFormat::or_default(format),
                &[
                    "id",
                    "child_id",
                    "made_on",
                    "referrer",
                    "supporter",
                    "reason",
                    "meeting",
                    "status",
                    "status_reason",
                    "item_type",
                ],
                &rows,
            )?;
        }
        ReferralsCommand::Accept { id } => {
            crate::usecase::referrals::accept(store, id, None, clock.now())?;
            writeln!(out, "Referral {id} accepted.")?;
        }
        ReferralsCommand::Decline { id, reason } => {
            crate::usecase::referrals::decline(store, id, &reason, clock.now())?;
            writeln!(out, "Referral {id} declined.")?;
        }
    }
    Ok(())
}

impl ReferralsCommand {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let mut store = ctx.open_existing()?;
        // A panel set up before terms were recorded still takes referrals
        // for tracking reviews.
        let terms = match store.setting(TERMS_SETTING)? {
            Some(_) => Some(panel_terms(&store, None)?),
            None => None,
        };
        run(self, &mut store, terms.as_ref(), ctx.clock, out)?;
        Ok(0)
    }
}
