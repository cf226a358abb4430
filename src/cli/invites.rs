//! `permanence-panel invites`: a calendar invitation for each presenter and
//! a mail-merge CSV, from the meeting's agenda.

use super::context::{Ctx, meeting_on, panel_terms};
use crate::rules::dates::dmy;
use chrono::NaiveDate;
use std::io::Write;
use std::path::Path;
use std::path::PathBuf;

use crate::clock::Clock;
use crate::export::invites::{self, Invitation};
use crate::model::Meeting;
use crate::rules::calendar::Calendar;
use crate::rules::papers::paper_due;
use crate::store::Store;
use crate::terms::Terms;

pub fn run(
    store: &Store,
    terms: &Terms,
    meeting: &Meeting,
    dir: &Path,
    clock: &dyn Clock,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    let due = paper_due(meeting.date, &terms.papers, &Calendar::england_and_wales());
    let referrals = store.referrals()?;
    let agenda = store.agenda(meeting.id)?;
    if agenda.is_empty() {
        anyhow::bail!(
            "the meeting of {} has no agenda yet: build it first (agenda --meeting {} --build)",
            dmy(meeting.date),
            meeting.date.format("%Y-%m-%d")
        );
    }
    let invitations: Vec<Invitation> = agenda
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let (start, end) = invites::slot(terms, meeting, i);
            let (role, initials) = super::papers::presenter(&referrals, &item.child);
            let extras = store.child_extras(&item.child)?;
            Ok(Invitation {
                child: item.child.clone(),
                presenter_role: role,
                presenter_initials: initials,
                start,
                end,
                papers_due: due,
                social_worker: invites::allocated_social_worker(&extras, meeting.date),
            })
        })
        .collect::<anyhow::Result<_>>()?;
    // Where and who organises: the panel's details; the presets hold
    // neither, so without them the invitations carry no such line.
    let setting = invites::InvitationSetting {
        location: store.setting(crate::store::PLACE_SETTING)?,
        organiser: store.setting(crate::store::ADMINISTRATOR_MAILBOX_SETTING)?,
    };
    let files = invites::write(terms, meeting, &invitations, &setting, dir, clock.now())?;
    writeln!(
        out,
        "Wrote {} invitations and invitations.csv in {}",
        files.len().saturating_sub(1),
        dir.display()
    )?;
    Ok(())
}

#[derive(Debug, clap::Args)]
pub struct InvitesArgs {
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub meeting: NaiveDate,
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

impl InvitesArgs {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let store = ctx.open_existing()?;
        let terms = panel_terms(&store, None)?;
        let m = meeting_on(&store, self.meeting)?;
        run(&store, &terms, &m, &self.out, ctx.clock, out)?;
        Ok(0)
    }
}
