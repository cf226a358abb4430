//! `permanence-panel terms check PRESET|FILE`: a terms of reference read,
//! checked and said back in words, so a council sees that what it wrote is
//! what it meant before `init` uses it.

use std::io::Write;

use clap::Subcommand;

use super::context::Ctx;
use crate::terms::Terms;

#[derive(Debug, Subcommand)]
pub enum TermsCommand {
    /// Read a preset (telford, wiltshire, coventry, central-bedfordshire, knowsley, calderdale) or a TOML file, report any problem as FILE:LINE:COLUMN, and say it back in words.
    Check {
        #[arg(value_name = "PRESET|FILE")]
        terms: String,
    },
}

impl TermsCommand {
    pub fn run(self, _ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        match self {
            TermsCommand::Check { terms } => match Terms::load(&terms) {
                Ok(t) => {
                    for paragraph in t.in_words() {
                        writeln!(out, "{paragraph}")?;
                        writeln!(out)?;
                    }
                    Ok(0)
                }
                Err(e) => {
                    eprintln!("{e}");
                    Ok(1)
                }
            },
        }
    }
}
