//! `permanence-panel init`: a new panel with its terms of reference and a
//! member per role of the terms (job titles only).

use std::io::Write;

use super::context::{Ctx, TERMS_SETTING, panel_terms};
use crate::clock::Clock;
use crate::store::{NewMember, Store};
use crate::terms::Terms;

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// A preset (telford, wiltshire, coventry, central-bedfordshire, knowsley, calderdale) or a path to a terms TOML file.
    #[arg(long, value_name = "PRESET|PATH")]
    pub terms: String,
}

impl InitArgs {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let path = ctx.path()?;
        // Bad terms are told before any file is created.
        Terms::load(&self.terms)?;
        let existed = path.exists();
        let mut store = ctx.open()?;
        if let Err(e) = init(&mut store, &self.terms, ctx.clock) {
            drop(store);
            if !existed {
                // A failed init leaves nothing behind to be mistaken for a panel.
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let mut file = path.clone().into_os_string();
                    file.push(suffix);
                    let _ = std::fs::remove_file(file);
                }
            }
            return Err(e);
        }
        writeln!(
            out,
            "Set up {} in {}",
            panel_terms(&store, None)?.name,
            path.display()
        )?;
        Ok(0)
    }
}

/// Records the panel's terms and adds one member per role of the preset,
/// by job title only (names are the council's to type).
pub fn init(store: &mut Store, terms_name: &str, clock: &dyn Clock) -> anyhow::Result<()> {
    let terms = Terms::load(terms_name)?;
    if let Some(existing) = store.setting(TERMS_SETTING)? {
        anyhow::bail!("this panel is already set up with the terms '{existing}'");
    }
    store.set_setting(TERMS_SETTING, terms_name)?;
    for role in &terms.roles {
        store.add_member(
            &NewMember {
                role: role.id.clone(),
                job_title: role.job_title.clone(),
                name: None,
                kind: role.kind,
                substitute_for: None,
            },
            clock.now(),
        )?;
    }
    Ok(())
}
