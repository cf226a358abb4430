//! `permanence-panel panel-details`: where the panel meets and the panel
//! administrator's mailbox, which the minutes (place) and the invitations
//! (location, organiser) show. The presets hold neither: a council sets them.

use std::io::Write;

use clap::Subcommand;

use super::context::Ctx;
use crate::store::{ADMINISTRATOR_MAILBOX_SETTING, PLACE_SETTING};

#[derive(Debug, Subcommand)]
pub enum PanelDetailsCommand {
    /// Say where the panel meets and the administrator's mailbox, as set.
    Show,
    /// Set where the panel meets and/or the panel administrator's mailbox (an empty value clears it).
    Set {
        /// Where the panel meets, e.g. "Committee Room 2, County Hall".
        #[arg(long)]
        place: Option<String>,
        /// The panel administrator's mailbox: the organiser of the invitations.
        #[arg(long, value_name = "ADDRESS")]
        administrator_mailbox: Option<String>,
    },
}

/// A mailbox as a calendar can use it: one address, no spaces or controls.
fn check_mailbox(text: &str) -> anyhow::Result<()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(());
    }
    let parts: Vec<&str> = text.split('@').collect();
    let ok = parts.len() == 2
        && !parts[0].is_empty()
        && parts[1].contains('.')
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == ',' || c == ';');
    if !ok {
        anyhow::bail!(
            "--administrator-mailbox: found '{text}', expected one email address, e.g. permanence.panel@council.gov.uk"
        );
    }
    Ok(())
}

impl PanelDetailsCommand {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let mut store = ctx.open_existing()?;
        match self {
            PanelDetailsCommand::Show => {
                for (label, key) in [
                    ("Place", PLACE_SETTING),
                    ("Administrator mailbox", ADMINISTRATOR_MAILBOX_SETTING),
                ] {
                    let value = store.setting(key)?.unwrap_or_else(|| "not set".to_owned());
                    writeln!(out, "{label}: {value}")?;
                }
            }
            PanelDetailsCommand::Set {
                place,
                administrator_mailbox,
            } => {
                if place.is_none() && administrator_mailbox.is_none() {
                    anyhow::bail!("give --place, --administrator-mailbox or both");
                }
                if let Some(mailbox) = &administrator_mailbox {
                    check_mailbox(mailbox)?;
                }
                let now = ctx.clock.now();
                if let Some(place) = &place {
                    store.set_panel_detail(PLACE_SETTING, place, now)?;
                }
                if let Some(mailbox) = &administrator_mailbox {
                    store.set_panel_detail(ADMINISTRATOR_MAILBOX_SETTING, mailbox, now)?;
                }
                writeln!(out, "Saved the panel's details.")?;
            }
        }
        Ok(0)
    }
}
