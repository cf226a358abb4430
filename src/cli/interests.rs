//! `permanence-panel interests`: a member's declaration of an interest in a
//! child's item at a meeting (they withdraw from it and do not count
//! towards its quorum), and the list of a meeting's declarations.

use std::io::Write;

use chrono::NaiveDate;
use clap::Subcommand;

use super::context::{Ctx, meeting_on};
use super::output::{TableFormat, write_rows};
use crate::usecase::interests::{declare, member_named};

#[derive(Debug, Subcommand)]
pub enum InterestsCommand {
    /// Record that a member declared an interest in a child's item (they withdraw from it and do not count towards its quorum).
    Declare {
        /// The meeting's date.
        #[arg(long, value_name = "YYYY-MM-DD")]
        meeting: NaiveDate,
        #[arg(long)]
        child: String,
        /// The member's role (e.g. head-of-service) or id.
        #[arg(long, value_name = "ROLE-or-id")]
        member: String,
        /// What the interest is, as the minutes may say it.
        #[arg(long)]
        note: Option<String>,
    },
    /// The declarations of interest at a meeting.
    List {
        /// The meeting's date.
        #[arg(long, value_name = "YYYY-MM-DD")]
        meeting: NaiveDate,
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
    },
}

impl InterestsCommand {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        match self {
            InterestsCommand::Declare {
                meeting,
                child,
                member,
                note,
            } => {
                let mut store = ctx.open_existing()?;
                let m = meeting_on(&store, meeting)?;
                let child = child.trim().to_owned();
                if child.is_empty() {
                    anyhow::bail!("--child: found '', expected a child id");
                }
                let members = store.members_of_meeting(&m)?;
                let who = member_named(&members, &member)
                    .map_err(|e| anyhow::anyhow!("--member: {e}"))?
                    .clone();
                declare(
                    &mut store,
                    &m,
                    &child,
                    who.id,
                    note.as_deref(),
                    ctx.clock.now(),
                )?;
                writeln!(
                    out,
                    "{} declared an interest in {child}'s item at the meeting of {}: they do not count towards its quorum.",
                    who.job_title,
                    crate::rules::dates::dmy(m.date)
                )?;
            }
            InterestsCommand::List { meeting, format } => {
                let store = ctx.open_read_only()?;
                let m = meeting_on(&store, meeting)?;
                let members = store.members()?;
                let rows: Vec<Vec<String>> = store
                    .interest_declarations(m.id)?
                    .into_iter()
                    .map(|d| {
                        let member = members.iter().find(|x| x.id == d.member);
                        vec![
                            d.child,
                            d.member.to_string(),
                            member.map(|x| x.role.clone()).unwrap_or_default(),
                            member.map(|x| x.job_title.clone()).unwrap_or_default(),
                            d.declared_at.format("%Y-%m-%d %H:%M").to_string(),
                            d.note.unwrap_or_default(),
                        ]
                    })
                    .collect();
                write_rows(
                    out,
                    TableFormat::or_default(format),
                    &[
                        "child_id",
                        "member_id",
                        "role",
                        "job_title",
                        "declared_at",
                        "note",
                    ],
                    &rows,
                )?;
            }
        }
        Ok(0)
    }
}
