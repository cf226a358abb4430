//! `backup` and `restore`: copies of the database through SQLite's online
//! backup, and putting one back after checking it.

use std::io::Write;
use std::path::PathBuf;

use super::context::Ctx;

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

impl BackupArgs {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let path = ctx.path()?;
        let store = ctx.open_existing()?;
        let written = match self.out {
            Some(file) => {
                store.backup_to(&file)?;
                file
            }
            None => store
                .automatic_backup("manual", ctx.clock.now())?
                .ok_or_else(|| anyhow::anyhow!("this database has no file to back up"))?,
        };
        writeln!(out, "Backed up {} to {}", path.display(), written.display())?;
        Ok(0)
    }
}

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

impl RestoreArgs {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let path = ctx.path()?;
        let key = ctx.keys.for_db(&path)?;
        let safety = crate::store::restore_keyed(&path, &self.file, key.as_ref(), ctx.clock.now())?;
        if let Some(safety) = safety {
            writeln!(
                out,
                "The database as it was is kept in {}",
                safety.display()
            )?;
        }
        writeln!(
            out,
            "Restored {} from {}",
            path.display(),
            self.file.display()
        )?;
        Ok(0)
    }
}
