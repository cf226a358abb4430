//! Backups through SQLite's online backup API: safe while the app is open
//! and writing (the copy is of one consistent moment), and a restore that
//! checks the backup before it replaces anything.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDateTime;
use rusqlite::{Connection, OpenFlags};

use super::{
    Key, Result, Store, StoreError, create_missing_parent_dir, create_private_dir, crypto,
    restrict_to_owner,
};

/// How many automatic backups are kept beside the database.
pub const KEEP_AUTOMATIC: usize = 10;

impl Store {
    /// Copies the whole database to `to` (a new file, owner-only). A
    /// damaged database is refused: its copy would be no backup, and would
    /// push a good automatic one out.
    pub fn backup_to(&self, to: &Path) -> Result<()> {
        self.check_integrity()?;
        if to.exists() {
            return Err(StoreError::Refused(format!(
                "{}: already exists; a backup never overwrites a file",
                to.display()
            )));
        }
        create_missing_parent_dir(to)?;
        let mut target = open_copy_target(to, self.key.as_ref())?;
        copy(&self.conn, &mut target)
    }

    /// An automatic backup beside the database, named by the time and the
    /// reason (`before-import`, ...); only the newest `KEEP_AUTOMATIC` are kept.
    pub fn automatic_backup(&self, reason: &str, at: NaiveDateTime) -> Result<Option<PathBuf>> {
        let Some(path) = self.path() else {
            return Ok(None); // an in-memory store (tests)
        };
        let dir = backups_dir(path);
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("panel");
        // Time, then a counter within the second: names sort by age.
        let stamp = at.format("%Y%m%d-%H%M%S").to_string();
        let prefix = format!("{stem}-{stamp}-");
        // The highest counter used in this second (pruning may have removed
        // lower ones, so counting files would reuse a name).
        let taken = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        name.strip_prefix(&prefix)?.get(..3)?.parse::<u32>().ok()
                    })
                    .max()
                    .unwrap_or(0)
            })
            .unwrap_or(0);
        let to = dir.join(format!("{prefix}{:03}-{reason}.db", taken + 1));
        self.backup_to(&to)?;
        prune(&dir, stem)?;
        Ok(Some(to))
    }
}

/// Where automatic backups go: `backups/` beside the database.
pub fn backups_dir(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("backups")
}

fn prune(dir: &Path, stem: &str) -> Result<()> {
    let mut ours: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| StoreError::Refused(format!("{}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{stem}-")) && n.ends_with(".db"))
        })
        .collect();
    // Names carry the time, so the order of names is the order of age.
    ours.sort();
    while ours.len() > KEEP_AUTOMATIC {
        let oldest = ours.remove(0);
        let _ = std::fs::remove_file(oldest);
    }
    Ok(())
}

/// Checks a backup before trusting it: SQLite's integrity check, and that it
/// is one of ours at a schema this program knows.
pub fn check_backup(path: &Path) -> Result<()> {
    check_backup_keyed(path, None)
}

/// `check_backup` of a backup encrypted with `key`.
pub fn check_backup_keyed(path: &Path, key: Option<&Key>) -> Result<()> {
    let shown = path.display().to_string();
    if !path.exists() {
        return Err(StoreError::Refused(format!("{shown}: no such file")));
    }
    let conn = crypto::open_connection(path, key, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| StoreError::Refused(format!("{shown}: not a readable database: {e}")))?;
    if id != super::APPLICATION_ID {
        return Err(StoreError::Foreign { path: shown });
    }
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| StoreError::Refused(format!("{shown}: not a readable database: {e}")))?;
    if check != "ok" {
        return Err(StoreError::Refused(format!(
            "{shown}: the backup is damaged ({check}); nothing was restored"
        )));
    }
    drop(conn);
    // Opening read-only checks it is ours and not from a newer version.
    Store::open_read_only_keyed(path, key)?;
    Ok(())
}

/// Replaces the database at `db` with the backup at `from`, after checking
/// the backup. The current database is itself backed up first.
pub fn restore(db: &Path, from: &Path, at: NaiveDateTime) -> Result<Option<PathBuf>> {
    restore_keyed(db, from, None, at)
}

/// `restore` with the key of an encrypted database: the backup and the
/// database must both open with it.
pub fn restore_keyed(
    db: &Path,
    from: &Path,
    key: Option<&Key>,
    at: NaiveDateTime,
) -> Result<Option<PathBuf>> {
    check_backup_keyed(from, key)?;
    let source = crypto::open_connection(from, key, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let safety = if db.exists() {
        // The damage may show when opening or only when checking.
        let current = Store::open_keyed(db, key)
            .and_then(|current| current.check_integrity().map(|()| current));
        match current {
            Ok(current) => current.automatic_backup("before-restore", at)?,
            // Restoring is the cure for a damaged database; its pages are
            // kept aside as they are, for whoever looks into the damage.
            Err(StoreError::Damaged { .. }) => Some(keep_damaged(db, at)?),
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    let mut target = open_copy_target(db, key)?;
    target.busy_timeout(Duration::from_secs(5))?;
    copy(&source, &mut target)?;
    Ok(safety)
}

/// Opens the file a whole database is copied into (owner-only), under
/// `key` when there is one: a copy of an encrypted database is encrypted
/// under its key.
fn open_copy_target(path: &Path, key: Option<&Key>) -> Result<Connection> {
    let target = Connection::open(path)?;
    restrict_to_owner(path);
    if let Some(key) = key {
        key.apply(&target)?;
    }
    Ok(target)
}

/// A byte-for-byte copy of a damaged database in the backups folder.
fn keep_damaged(db: &Path, at: NaiveDateTime) -> Result<PathBuf> {
    let dir = backups_dir(db);
    create_private_dir(&dir).map_err(|source| StoreError::CreateDir {
        path: dir.display().to_string(),
        source,
    })?;
    let stem = db.file_stem().and_then(|s| s.to_str()).unwrap_or("panel");
    let to = dir.join(format!(
        "{stem}-{}-damaged-before-restore.db",
        at.format("%Y%m%d-%H%M%S")
    ));
    std::fs::copy(db, &to)
        .map_err(|e| StoreError::Refused(format!("{}: cannot keep a copy: {e}", to.display())))?;
    restrict_to_owner(&to);
    Ok(to)
}

/// Copies every page of `from` into `to` through the online backup API, in
/// steps, letting a writer in between.
fn copy(from: &Connection, to: &mut Connection) -> Result<()> {
    let backup = rusqlite::backup::Backup::new(from, to)?;
    backup.run_to_completion(256, Duration::from_millis(5), None)?;
    Ok(())
}
