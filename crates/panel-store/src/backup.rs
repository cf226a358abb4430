//! Backups through SQLite's online backup API: safe while the app is open
//! and writing (the copy is of one consistent moment), and a restore that
//! checks the backup before it replaces anything.
//!
//! Every backup is its panel's: the panel id is inside it (a copy of the
//! database) and, for automatic backups, in its name
//! (`STEM-ID8-YYYYMMDD-HHMMSS-NNN-REASON.db`), so two panels sharing a
//! folder never rotate, encrypt or restore each other's backups.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension};
use sha2::Digest;

use super::{
    Key, Result, Store, StoreError, create_missing_parent_dir, create_private_dir, crypto,
    quick_check, restrict_to_owner,
};

/// How many automatic backups of a panel are kept beside its database.
pub const KEEP_AUTOMATIC: usize = 10;

/// The panel id stored in a database (none before the schema that added it).
pub(crate) fn panel_id_of(conn: &Connection) -> Result<Option<String>> {
    let has_table: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = 'panel_identity'",
        [],
        |r| r.get(0),
    )?;
    if !has_table {
        return Ok(None);
    }
    Ok(conn
        .query_row("SELECT id FROM panel_identity", [], |r| r.get(0))
        .optional()?)
}

/// The part of the panel id automatic backup names carry.
fn short_id(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

impl Store {
    /// Copies the whole database to `to` (a new file, owner-only). A
    /// damaged database is refused: its copy would be no backup, and would
    /// push a good automatic one out. Never writes over a file or through a
    /// symbolic link (dangling or not).
    pub fn backup_to(&self, to: &Path) -> Result<()> {
        self.check_integrity()?;
        create_missing_parent_dir(to)?;
        reserve(to)?;
        let result = open_copy_target(to, self.key.as_ref())
            .and_then(|mut target| copy(&self.conn, &mut target));
        if result.is_err() {
            let _ = std::fs::remove_file(to);
        }
        result
    }

    /// An automatic backup beside the database, named by the panel, the
    /// time and the reason (`before-import`, ...); only the newest
    /// `KEEP_AUTOMATIC` of this panel are kept. Two commands at once get
    /// two names: each name is claimed by creating the file exclusively.
    pub fn automatic_backup(&self, reason: &str, at: NaiveDateTime) -> Result<Option<PathBuf>> {
        let Some(plan) = self.automatic_backup_plan()? else {
            return Ok(None); // an in-memory store (tests)
        };
        self.check_integrity()?;
        plan.copy_from(&self.conn, reason, at).map(Some)
    }

    /// Where and how an automatic backup of this database is written; none
    /// for an in-memory store.
    fn automatic_backup_plan(&self) -> Result<Option<AutomaticBackup>> {
        let Some(path) = self.path() else {
            return Ok(None);
        };
        Ok(Some(AutomaticBackup {
            db: path.to_owned(),
            prefix: automatic_prefix(path, self.panel_id()?.as_deref()),
            key: self.key.clone(),
        }))
    }

    /// What a `SafetyCopy` of this database needs: a read-only connection
    /// of its own, opened before the write begins (a key's derivation is
    /// slow), and where its backup would go. None for an in-memory store.
    pub(crate) fn safety_copy_parts(&self) -> Result<Option<SafetyCopyParts>> {
        let (Some(path), Some(plan)) = (self.path(), self.automatic_backup_plan()?) else {
            return Ok(None);
        };
        let reading = crypto::open_connection(
            path,
            self.key.as_ref(),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        Ok(Some(SafetyCopyParts { reading, plan }))
    }
}

/// See `Store::safety_copy_parts`.
pub(crate) struct SafetyCopyParts {
    reading: Connection,
    plan: AutomaticBackup,
}

impl Store {
    /// Writes every committed change held in the write-ahead log into the
    /// database file and empties the log, so that, once a write lock is
    /// taken, the file alone is the database (`SafetyCopy`). False when
    /// a reader kept it from finishing (nothing is lost: the log is read).
    pub(crate) fn empty_the_log(&self) -> Result<bool> {
        if self.path().is_none() {
            return Ok(false);
        }
        // Without waiting: a reader in the middle of a read (the app's
        // presenter view) only means the backup is made page by page.
        self.conn.busy_timeout(Duration::ZERO)?;
        let emptied = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
            })
            .map(|(busy, frames)| busy == 0 && frames <= 0);
        self.conn.busy_timeout(super::BUSY_TIMEOUT)?;
        Ok(emptied?)
    }
}

/// Whether the database at `db` is its file alone: no write-ahead log, or
/// an empty one. Asked with the write lock held, a true answer stays true
/// until that write commits: its own pages go to the log, and nothing
/// else can commit.
fn file_is_whole(db: &Path) -> bool {
    let mut log = db.as_os_str().to_owned();
    log.push("-wal");
    match std::fs::metadata(PathBuf::from(log)) {
        Ok(m) => m.len() == 0,
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

/// The quick check of a database, and a backup of it, as it was when a
/// write began, run on another thread while the write goes on. The write
/// waits for it (`finish`) before it commits: a damaged database, or a
/// backup that failed, and the write is not committed.
pub struct SafetyCopy {
    done: Option<std::thread::JoinHandle<Result<Option<PathBuf>>>>,
}

impl SafetyCopy {
    /// Starts the quick check of the database, reading it as it is now,
    /// then (with `back_up`) a backup of that same reading. Called with the
    /// write transaction begun and nothing written yet, so what it reads is
    /// exactly what the write starts from, whatever it writes meanwhile.
    pub(crate) fn start(
        parts: SafetyCopyParts,
        back_up: bool,
        reason: &'static str,
        at: NaiveDateTime,
    ) -> Result<SafetyCopy> {
        let SafetyCopyParts { reading, plan } = parts;
        // The read transaction, begun here, holds the reading.
        reading.execute_batch("BEGIN")?;
        reading.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
            r.get::<_, i64>(0)
        })?;
        // With the log empty the file is what the reading sees, and a copy
        // of the file (done by the operating system, several times faster
        // than copying page by page) is the backup.
        // (Only in WAL mode: in the others a write changes the file itself.)
        let mode: String = reading.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        let whole_file = mode.eq_ignore_ascii_case("wal") && file_is_whole(&plan.db);
        let done = std::thread::Builder::new()
            .name("safety-copy".into())
            .spawn(move || {
                if back_up && whole_file {
                    return plan
                        .copy_file_while_checking(&reading, reason, at)
                        .map(Some);
                }
                quick_check(&reading, &plan.db)?;
                if back_up {
                    plan.copy_from(&reading, reason, at).map(Some)
                } else {
                    Ok(None)
                }
            })
            .map_err(|e| {
                StoreError::Refused(format!("cannot start the check of the database: {e}"))
            })?;
        Ok(SafetyCopy { done: Some(done) })
    }

    /// Waits for the check and the backup: the backup's path, or why the
    /// write must not be committed.
    pub(crate) fn finish(mut self) -> Result<Option<PathBuf>> {
        match self.done.take().map(std::thread::JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(StoreError::Refused(
                "the check of the database before writing stopped unexpectedly; nothing was changed".into(),
            )),
            None => Ok(None),
        }
    }
}

impl Drop for SafetyCopy {
    /// A write given up: the check and backup are let finish (they only
    /// read the database) so their connection is closed before the write's.
    fn drop(&mut self) {
        if let Some(done) = self.done.take() {
            let _ = done.join();
        }
    }
}

/// Where an automatic backup of a database goes and how it is named.
struct AutomaticBackup {
    db: PathBuf,
    prefix: String,
    key: Option<Key>,
}

impl AutomaticBackup {
    /// Copies the database `from` reads into a new automatic backup, then
    /// prunes the oldest beyond `KEEP_AUTOMATIC`. The database must have
    /// been checked.
    fn copy_from(&self, from: &Connection, reason: &str, at: NaiveDateTime) -> Result<PathBuf> {
        self.write_new(reason, at, |to| {
            open_copy_target(to, self.key.as_ref()).and_then(|mut target| copy(from, &mut target))
        })
    }

    /// Copies the database file, byte for byte, into a new automatic
    /// backup while `reading` (a read of that same file) has it
    /// quick-checked: the copy is done by the operating system, so the two
    /// run side by side. The copy is kept (and older ones pruned, as
    /// `copy_from`) only once the check has passed. Only for a file that
    /// is the whole database and does not change while it is copied: see
    /// `file_is_whole`. An encrypted panel's copy is encrypted with its key.
    fn copy_file_while_checking(
        &self,
        reading: &Connection,
        reason: &str,
        at: NaiveDateTime,
    ) -> Result<PathBuf> {
        let (checked, copied) = std::thread::scope(|scope| {
            let copying = scope.spawn(|| {
                self.write_unpruned(reason, at, |to| {
                    std::fs::copy(&self.db, to).map_err(|e| {
                        StoreError::Refused(format!(
                            "{}: cannot write the backup ({e}): choose a folder you can write to, with free space",
                            to.display()
                        ))
                    })?;
                    restrict_to_owner(to);
                    Ok(())
                })
            });
            let checked = quick_check(reading, &self.db);
            let copied = copying.join().unwrap_or_else(|_| {
                Err(StoreError::Refused(
                    "the backup before writing stopped unexpectedly; nothing was changed".into(),
                ))
            });
            (checked, copied)
        });
        match (checked, copied) {
            (Ok(()), Ok(to)) => {
                prune(&backups_dir(&self.db), &self.prefix)?;
                Ok(to)
            }
            (Ok(()), Err(e)) => Err(e),
            // A damaged database is not kept as a backup.
            (Err(e), copied) => {
                if let Ok(to) = copied {
                    let _ = std::fs::remove_file(to);
                }
                Err(e)
            }
        }
    }

    /// Claims a new name in the backups folder, writes the backup there
    /// with `write` (the file is removed if it fails) and prunes.
    fn write_new(
        &self,
        reason: &str,
        at: NaiveDateTime,
        write: impl FnOnce(&Path) -> Result<()>,
    ) -> Result<PathBuf> {
        let to = self.write_unpruned(reason, at, write)?;
        prune(&backups_dir(&self.db), &self.prefix)?;
        Ok(to)
    }

    /// `write_new` without the pruning.
    fn write_unpruned(
        &self,
        reason: &str,
        at: NaiveDateTime,
        write: impl FnOnce(&Path) -> Result<()>,
    ) -> Result<PathBuf> {
        let dir = backups_dir(&self.db);
        create_private_dir(&dir).map_err(|source| StoreError::CreateDir {
            path: dir.display().to_string(),
            source,
        })?;
        // Time, then a counter within the second: names sort by age.
        let stamped = format!("{}{}-", self.prefix, at.format("%Y%m%d-%H%M%S"));
        // Start after the highest counter used in this second (pruning may
        // have removed lower ones, so counting files would reuse a name).
        let taken = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        name.strip_prefix(&stamped)?.get(..3)?.parse::<u32>().ok()
                    })
                    .max()
                    .unwrap_or(0)
            })
            .unwrap_or(0);
        let mut counter = taken + 1;
        let to = loop {
            let to = dir.join(format!("{stamped}{counter:03}-{reason}.db"));
            match reserve(&to) {
                Ok(()) => break to,
                Err(StoreError::Refused(_)) if to.symlink_metadata().is_ok() && counter < 999 => {
                    counter += 1;
                }
                Err(e) => return Err(e),
            }
        };
        if let Err(e) = write(&to) {
            let _ = std::fs::remove_file(&to);
            return Err(e);
        }
        Ok(to)
    }
}

/// How this panel's automatic backups begin: `STEM-ID8-` (or `STEM-` for a
/// database from before panel ids).
fn automatic_prefix(db: &Path, panel_id: Option<&str>) -> String {
    let stem = db.file_stem().and_then(|s| s.to_str()).unwrap_or("panel");
    match panel_id {
        Some(id) => format!("{stem}-{}-", short_id(id)),
        None => format!("{stem}-"),
    }
}

/// Claims `to` by creating it empty and owner-only, exclusively: refused
/// when anything is there already, a symbolic link included.
fn reserve(to: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(to) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let link = to
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink());
            Err(StoreError::Refused(if link {
                format!(
                    "{}: is a symbolic link; a backup never writes through a link or over a file: remove it or choose another name",
                    to.display()
                )
            } else {
                format!(
                    "{}: already exists; a backup never overwrites a file: choose another name",
                    to.display()
                )
            }))
        }
        Err(e) => Err(StoreError::Refused(format!(
            "{}: cannot create the backup ({e}): choose a folder you can write to, with free space",
            to.display()
        ))),
    }
}

/// Where automatic backups go: `backups/` beside the database.
pub fn backups_dir(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("backups")
}

/// Whether the name after a prefix is an automatic backup's time stamp
/// (`YYYYMMDD-HHMMSS-`), so `panel-` does not claim `panel-a-...`.
fn stamped_after(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix).is_some_and(|rest| {
        let b = rest.as_bytes();
        b.len() > 16
            && b[..8].iter().all(u8::is_ascii_digit)
            && b[8] == b'-'
            && b[9..15].iter().all(u8::is_ascii_digit)
            && b[15] == b'-'
    }) && name.ends_with(".db")
}

fn prune(dir: &Path, prefix: &str) -> Result<()> {
    let mut ours: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| StoreError::Refused(format!("{}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| stamped_after(n, prefix))
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

/// Whose a backup file is, as far as can be told without a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackupOwner {
    /// This panel's: the same id inside, or an automatic name of this
    /// panel's from before panel ids.
    Ours,
    /// Another panel's (its id, or "unknown" for another's name).
    Other(String),
}

/// Whose the backup at `file` is, for the panel at `db` with id `panel_id`:
/// the id inside when it can be read (a plain backup, or one `key` opens),
/// else the id in its automatic name.
pub fn backup_owner(db: &Path, panel_id: &str, file: &Path, key: Option<&Key>) -> BackupOwner {
    let inside = crypto::open_immutable(file, key)
        .ok()
        .and_then(|conn| panel_id_of(&conn).ok());
    match inside {
        Some(Some(id)) if id == panel_id => BackupOwner::Ours,
        Some(Some(id)) => BackupOwner::Other(id),
        // Readable, from before panel ids: an automatic name of this stem.
        Some(None) => {
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if stamped_after(name, &automatic_prefix(db, None)) {
                BackupOwner::Ours
            } else {
                BackupOwner::Other("unknown".to_owned())
            }
        }
        None => {
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if stamped_after(name, &automatic_prefix(db, Some(panel_id))) {
                BackupOwner::Ours
            } else {
                BackupOwner::Other("unknown".to_owned())
            }
        }
    }
}

/// Checks a backup before trusting it: SQLite's integrity check, and that it
/// is one of ours at a schema this program knows.
pub fn check_backup(path: &Path) -> Result<()> {
    check_backup_keyed(path, None)
}

/// `check_backup` of a backup encrypted with `key`. Reads it as an
/// immutable file: nothing is written beside it.
pub fn check_backup_keyed(path: &Path, key: Option<&Key>) -> Result<()> {
    check_backup_conn(path, key).map(drop)
}

fn check_backup_conn(path: &Path, key: Option<&Key>) -> Result<Connection> {
    let shown = path.display().to_string();
    if !path.exists() {
        return Err(StoreError::Refused(format!("{shown}: no such file")));
    }
    let conn = crypto::open_immutable(path, key)?;
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
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    super::check_version(&shown, version)?;
    if version == 0 {
        return Err(StoreError::NoPanel { path: shown });
    }
    // An older schema is fine: the restored database is upgraded when next
    // opened, after a backup of it as it was.
    Ok(conn)
}

/// Replaces the database at `db` with the backup at `from`, after checking
/// the backup. The current database is itself backed up first.
pub fn restore(db: &Path, from: &Path, at: NaiveDateTime) -> Result<Option<PathBuf>> {
    restore_keyed(db, from, None, at)
}

/// `restore` with the key of an encrypted database: the backup and the
/// database must both open with it. A backup of another panel is refused.
pub fn restore_keyed(
    db: &Path,
    from: &Path,
    key: Option<&Key>,
    at: NaiveDateTime,
) -> Result<Option<PathBuf>> {
    let source = check_backup_conn(from, key)?;
    let safety = if db.exists() {
        // The damage may show when opening or only when checking.
        let current = Store::open_keyed(db, key)
            .and_then(|current| current.check_integrity().map(|()| current));
        match current {
            Ok(current) => {
                let ours = current.panel_id()?;
                let theirs = panel_id_of(&source)?;
                if let (Some(ours), Some(theirs)) = (&ours, &theirs)
                    && ours != theirs
                {
                    return Err(StoreError::Refused(format!(
                        "{}: a backup of another panel (id {theirs}), not of {} (id {ours}); nothing was restored. To set that panel up here, restore it into a new file with --db NEW.db",
                        from.display(),
                        db.display()
                    )));
                }
                current.automatic_backup("before-restore", at)?
            }
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
    drop(target);
    // The restored database records that it was restored, and from what.
    let sha256 = std::fs::read(from)
        .map(|bytes| panel_core::text::hex(&sha2::Sha256::digest(&bytes)))
        .unwrap_or_default();
    let kept = safety
        .as_ref()
        .map(|p| format!("; the database as it was is kept in {}", p.display()))
        .unwrap_or_default();
    let mut restored = Store::open_keyed(db, key)?;
    let tx = restored.write()?;
    super::panel::audit(
        &tx,
        at,
        "restore",
        "database",
        None,
        &format!(
            "restored from the backup {} (SHA-256 {sha256}), replacing every change made since it was taken{kept}",
            from.display()
        ),
    )?;
    tx.commit()?;
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

/// Copies every page in one step: the copy holds a read lock while it runs
/// and never sleeps. (Small steps with pauses between them let other
/// writers in, but a write restarts the copy, and the pauses alone cost
/// about a second per 200 MB.)
fn copy(from: &Connection, to: &mut Connection) -> Result<()> {
    let backup = rusqlite::backup::Backup::new(from, to)?;
    backup.run_to_completion(i32::MAX, Duration::ZERO, None)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_claims_only_its_own_stamped_names() {
        assert!(stamped_after(
            "panel-20261120-090000-001-manual.db",
            "panel-"
        ));
        assert!(!stamped_after(
            "panel-a-20261120-090000-001-manual.db",
            "panel-"
        ));
        assert!(stamped_after(
            "panel-1a2b3c4d-20261120-090000-001-manual.db",
            "panel-1a2b3c4d-"
        ));
        assert!(!stamped_after(
            "panel-1a2b3c4d-20261120-090000-001-manual.db",
            "panel-"
        ));
        assert!(!stamped_after(
            "panel-20261120-090000-001-manual.txt",
            "panel-"
        ));
    }
}
