//! Where the panel's database lives.

use std::path::PathBuf;

/// The environment variable that names the database when `--db` is not given.
pub const DB_ENV: &str = "PERMANENCE_PANEL_DB";

/// `--db PATH`, else `$PERMANENCE_PANEL_DB`, else `panel.db` in the
/// platform's data directory (e.g. `~/.local/share/permanence-panel/` on Linux).
pub fn database_path(flag: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(path) = flag {
        return Ok(path);
    }
    if let Some(path) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    default_database_path()
}

pub fn default_database_path() -> anyhow::Result<PathBuf> {
    let dirs =
        directories::ProjectDirs::from("uk.gov", "", "permanence-panel").ok_or_else(|| {
            anyhow::anyhow!(
                "cannot find a home directory for the data; give --db PATH or set {DB_ENV}"
            )
        })?;
    // The local, not the roaming, application data on Windows (%LOCALAPPDATA%):
    // councils sync roaming profiles to file servers. The same folder as
    // data_dir() on Linux and macOS.
    Ok(dirs.data_local_dir().join("panel.db"))
}
