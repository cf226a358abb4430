//! `permanence-panel members`: the membership as CSV, out and back in.

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;

use super::context::{Ctx, panel_terms};

#[derive(Debug, Subcommand)]
pub enum MembersCommand {
    /// Write the members as CSV (id,role,job_title,name,kind,substitute_for,start,end).
    Export {
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Add and update members from a CSV file (a blank id adds a member); a bad row changes nothing.
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

impl MembersCommand {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        match self {
            MembersCommand::Export { out: file } => {
                let store = ctx.open_existing()?;
                let members = store.members()?;
                match file {
                    Some(path) => {
                        let mut f = crate::files::create_private(&path)?;
                        crate::export::members_csv::write(&members, &mut f)?;
                    }
                    None => crate::export::members_csv::write(&members, out)?,
                }
            }
            MembersCommand::Import { file } => {
                let mut store = ctx.open_existing()?;
                let terms = panel_terms(&store, None)?;
                let known: Vec<i64> = store.members()?.iter().map(|m| m.id).collect();
                let members = match crate::import::members_csv::read_known(&file, &terms, &known) {
                    Ok(m) => m,
                    Err(e) => {
                        tell!("{e}");
                        tell!("Nothing was imported; the members are unchanged.");
                        return Ok(1);
                    }
                };
                let saved = store.save_members(&members, ctx.clock.now())?;
                writeln!(
                    out,
                    "Members: {} added, {} updated",
                    saved.added, saved.updated
                )?;
            }
        }
        Ok(0)
    }
}
