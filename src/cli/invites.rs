//! `permanence-panel invites`: a calendar invitation for each presenter and
//! a mail-merge CSV, from the meeting's agenda.

use super::context::{Ctx, meeting_on, panel_terms};
use chrono::NaiveDate;
use std::io::Write;
use std::path::Path;
use std::path::PathBuf;

use crate::clock::Clock;
use crate::model::Meeting;
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
    let files = crate::usecase::files::write_invitations(store, terms, meeting, dir, clock.now())?;
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
