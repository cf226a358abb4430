//! The terminal app on the panel's database (no subcommand), and the
//! read-only presenter view (`present`).

use super::context::{Ctx, app_lock_path, open_app_lock, panel_terms};
use crate::store::Store;

/// Opens the app. The key and the file are checked before the terminal is
/// taken over: a missing or wrong key, or a damaged file, is a message,
/// never a garbled screen.
pub fn run(ctx: &Ctx) -> anyhow::Result<i32> {
    let path = ctx.path()?;
    let key = ctx.keys.for_db(&path)?;
    let store = Store::open_keyed(&path, key.as_ref())?;
    store.check_integrity()?;
    let terms = panel_terms(&store, None)?;
    // One writer at a time: a second copy of the app on the same panel
    // opens read-only and says so (the lock goes when the process does,
    // however it ends).
    let lock_path = app_lock_path(&path);
    let lock = open_app_lock(&lock_path)?;
    match lock.try_lock() {
        Ok(()) => crate::tui::run(store, terms, ctx.clock)?,
        Err(std::fs::TryLockError::WouldBlock) => {
            drop(store);
            let store = Store::open_read_only_keyed(&path, key.as_ref())?;
            crate::tui::run_read_only(store, terms, ctx.clock)?;
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(anyhow::anyhow!("cannot lock {}: {e}", lock_path.display()));
        }
    }
    Ok(0)
}

/// `present`: follows the chair's current child; never writes.
pub fn present(ctx: &Ctx) -> anyhow::Result<i32> {
    let store = ctx.open_read_only()?;
    let terms = panel_terms(&store, None)?;
    crate::tui::present::run(store, terms, ctx.clock)?;
    Ok(0)
}
