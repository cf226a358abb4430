//! The only code that speaks SQL. Opens the panel's SQLite file, migrates it,
//! and exposes typed functions; every user change runs in its own immediate
//! transaction and is committed before the function returns.

// The core's layers, reachable as `crate::model` and so on inside this crate.
use panel_core::{model, rules};

mod audit;
mod backup;
mod crypto;
mod decisions;
mod extract;
mod fostering;
mod history;
mod interests;
mod meetings;
mod members;
mod migrations;
mod minutes;
mod names;
mod notes;
mod panel;
mod prep_undo;
mod retention;
mod returns;
mod routes;
mod seals;
mod tracker;
mod undo;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior, params};

pub use audit::{AuditFinding, AuditVerification, ChainKind};
pub use backup::{
    BackupOwner, KEEP_AUTOMATIC, backup_owner, backups_dir, check_backup, check_backup_keyed,
    restore, restore_keyed,
};
pub use crypto::{FileKind, Key, encrypt_file, file_kind};
pub use decisions::{
    CommittedMoney, DecisionOutcome, Deferral, Dissent, NewDecision, PendingSignOff, SignOff,
};
pub use extract::{ExtractImport, ImportRecord, ImportedFile, PlansImport};
pub use fostering::{Booked, FosteringPanel};
pub use meetings::MeetingMove;
pub use members::MembersSaved;
pub use migrations::LATEST as SCHEMA_VERSION;
pub use minutes::{
    ADMINISTRATOR_MAILBOX_SETTING, ApprovedRecord, MinutesApproval, MinutesCorrection,
    PLACE_SETTING,
};
pub use names::{ChildName, initials_of};
pub use panel::*;
pub use prep_undo::{AgendaSnapshot, SnapshotChoice, SnapshotItem};
pub use retention::{Leaver, Purged, backups_holding, panel_backups};
pub use returns::{ExtraRow, HeldProblem, MergeSummary, ReturnRecord, ReturnsImport};
pub use routes::{AgendaChoice, CarryOver, NewReferral};
pub use tracker::{TrackerImport, TrackerNote};

/// Marks a database as ours (`PRAGMA application_id`): "PPNL".
const APPLICATION_ID: i32 = 0x50504e4c;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path}: this database was written by a newer version of permanence-panel (schema {found}; this program knows up to {known}). It has not been changed. Install the newer version to open it."
    )]
    NewerSchema {
        path: String,
        found: i64,
        known: i64,
    },
    #[error(
        "{path}: this is not a permanence-panel database. Check that --db (or PERMANENCE_PANEL_DB) names the panel's file."
    )]
    Foreign { path: String },
    #[error(
        "{path}: this SQLite file holds no permanence-panel data. Set a panel up in it with `permanence-panel --db {path} init --terms wiltshire` (or telford), or give the right --db."
    )]
    NoPanel { path: String },
    #[error(
        "{path}: not a database (neither a panel's SQLite file nor an encrypted one). Check that you named the right file."
    )]
    NotDatabase { path: String },
    #[error(
        "{path}: DB is encrypted; give the key with --key-file FILE or the PERMANENCE_PANEL_KEY environment variable. (A file that was never encrypted and reads so is not a SQLite database at all: check --db.)"
    )]
    Encrypted { path: String },
    #[error(
        "The key does not open {path} (or {path} is not a permanence-panel database). Check the key file or PERMANENCE_PANEL_KEY; nothing was changed."
    )]
    WrongKey { path: String },
    #[error(
        "{path}: this database is not encrypted, but a key was given. Encrypt it with `permanence-panel --db {path} encrypt`, or give no key (unset PERMANENCE_PANEL_KEY, drop --key-file)."
    )]
    NotEncrypted { path: String },
    #[error(
        "{path}: the database is damaged ({detail}). Nothing was changed. Restore the latest good backup with `permanence-panel --db {path} restore BACKUP` (automatic backups are in {backups})."
    )]
    Damaged {
        path: String,
        detail: String,
        backups: String,
    },
    #[error(
        "{path}: the disk is full; the change was not saved and the database is as it was before it. Free some space on that disk and try again."
    )]
    DiskFull { path: String },
    #[error(
        "{path}: the disk would not read or write it or the {path}-wal and {path}-shm files beside it ({detail}). The disk is most likely full: free some space on it (or check the disk) and try again; nothing was changed."
    )]
    DiskIo { path: String, detail: String },
    #[error(
        "{path}: cannot write ({detail}). The file or its folder is read-only: make both writable by you (the folder must allow creating {path}-wal and {path}-shm), or copy the file somewhere writable."
    )]
    ReadOnly { path: String, detail: String },
    #[error(
        "{path}: the database is locked by another program (another permanence-panel, a backup or sync tool) and stayed locked for 5 seconds. Nothing was changed. Close that program and try again."
    )]
    Locked { path: String },
    #[error(
        "{path}: cannot open the database ({detail}). Check that the file and its folder exist and are yours."
    )]
    CannotOpen { path: String, detail: String },
    #[error("{path}: cannot create the data directory: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Refused(String),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open panel database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    read_only: bool,
    /// Kept so that backups are encrypted under the same key.
    key: Option<Key>,
}

impl Store {
    /// Opens (creating if need be) the plain database at `path` and brings
    /// its schema up to date. The directory is created owner-only (0700) and
    /// the file owner-only (0600) on Unix.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_keyed(path, None)
    }

    /// Opens (creating if need be) the database at `path`, encrypted with
    /// `key` when one is given (a new file is created encrypted), plain when
    /// not. A key on a plain file, no key on an encrypted one, and a wrong
    /// key are each refused with their own message, before anything is read
    /// or written.
    pub fn open_keyed(path: &Path, key: Option<&Key>) -> Result<Store> {
        Store::open_with(path, key, false)
    }

    /// Opens a database that must already hold a panel (every command but
    /// `init`, `import` and the app): an empty file or a SQLite file with no
    /// panel in it is refused untouched, not turned into an empty panel.
    pub fn open_existing_keyed(path: &Path, key: Option<&Key>) -> Result<Store> {
        Store::open_with(path, key, true)
    }

    fn open_with(path: &Path, key: Option<&Key>, must_hold_panel: bool) -> Result<Store> {
        let shown = path.display().to_string();
        if must_hold_panel
            && crypto::file_kind(path).map_err(|e| StoreError::Refused(format!("{shown}: {e}")))?
                == FileKind::New
        {
            return Err(StoreError::NoPanel { path: shown });
        }
        create_missing_parent_dir(path)?;
        let existed = path.exists();
        let conn = crypto::open_connection(path, key, crypto::read_write())?;
        if !existed {
            restrict_to_owner(path);
        }
        let mut store = Store {
            conn,
            path: Some(path.to_owned()),
            read_only: false,
            key: key.cloned(),
        };
        if must_hold_panel && store.schema_version().map_err(|e| e.at(path))? == 0 {
            return Err(store.no_panel(path));
        }
        store.check_ours(&shown).map_err(|e| e.at(path))?;
        store.configure().map_err(|e| e.at(path))?;
        let before = store.schema_version().map_err(|e| e.at(path))?;
        if before > 0 && before < migrations::LATEST {
            // A panel from an older version: keep it as it was before the
            // schema changes it, so an upgrade can always be undone.
            store
                .automatic_backup("before-migration", chrono::Local::now().naive_local())
                .map_err(|e| e.at(path))?;
        }
        // Rows changed behind the app's back before an upgrade are named
        // before the upgrade re-seals what it changed.
        let found_before = if (migrations::ROW_SEALS_VERSION..migrations::LATEST).contains(&before)
        {
            store.row_findings_now().map_err(|e| e.at(path))?
        } else {
            Vec::new()
        };
        store.migrate(&shown).map_err(|e| e.at(path))?;
        seals::track_writes(&store.conn).map_err(|e| explain(e, path))?;
        // An encrypted panel whose chain is not yet keyed (written by an
        // older version): carried on unkeyed until it is re-signed below.
        let unkeyed_chain = match key {
            Some(key) => audit::chain_is_unkeyed(&store.conn, key).map_err(|e| e.at(path))?,
            None => false,
        };
        if unkeyed_chain {
            crypto::register_chain_link(&store.conn, None).map_err(|e| explain(e, path))?;
        }
        if before < migrations::AUDIT_CHAIN_VERSION {
            store.chain_audit_backlog().map_err(|e| e.at(path))?;
        }
        store.restore_guards().map_err(|e| e.at(path))?;
        if unkeyed_chain {
            store
                .resign_chain(
                    None,
                    key,
                    "the database is encrypted and its chain is now keyed",
                )
                .map_err(|e| e.at(path))?;
        }
        if before > 0 && before < migrations::LATEST {
            let tx = store.write().map_err(|e| e.at(path))?;
            panel::audit(
                &tx,
                chrono::Local::now().naive_local(),
                "schema",
                "upgrade",
                None,
                &format!(
                    "upgraded the database from schema {before} to {} (a backup of it as it was is in {})",
                    migrations::LATEST,
                    backups_dir(path).display()
                ),
            )?;
            audit::seal_at_upgrade(&tx, before, &found_before)?;
            tx.commit()?;
        }
        Ok(store)
    }

    /// Opens an existing plain database read-only (the presenter view, reports).
    pub fn open_read_only(path: &Path) -> Result<Store> {
        Store::open_read_only_keyed(path, None)
    }

    /// Opens an existing database read-only, with its key when encrypted.
    pub fn open_read_only_keyed(path: &Path, key: Option<&Key>) -> Result<Store> {
        let shown = path.display().to_string();
        let conn = crypto::open_connection(
            path,
            key,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let store = Store {
            conn,
            path: Some(path.to_owned()),
            read_only: true,
            key: key.cloned(),
        };
        let version = store.schema_version().map_err(|e| e.at(path))?;
        check_version(&shown, version)?;
        if version == 0 {
            return Err(store.no_panel(path));
        }
        if version < migrations::LATEST {
            return Err(StoreError::Refused(format!(
                "{shown}: the database needs upgrading (schema {version}); open it once for writing first"
            )));
        }
        Ok(store)
    }

    /// Why a file at schema 0 is refused by a command that needs a panel:
    /// another program's tables, or no tables at all.
    fn no_panel(&self, path: &Path) -> StoreError {
        let shown = path.display().to_string();
        let tables = self.conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
            [],
            |r| r.get::<_, i64>(0),
        );
        match tables {
            Ok(0) => StoreError::NoPanel { path: shown },
            Ok(_) => StoreError::Foreign { path: shown },
            Err(e) => explain(e, path),
        }
    }

    /// SQLite's quick check of every page: run before the live meeting
    /// starts, so that a damaged file is named and the chair pointed at the
    /// backups instead of meeting errors (or wrong data) mid-meeting.
    pub fn check_integrity(&self) -> Result<()> {
        match self.path.as_deref() {
            Some(path) => quick_check(&self.conn, path),
            None => Ok(()),
        }
    }

    /// A private in-memory database, for tests.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        crypto::allow_app_writes(&conn)?;
        crypto::register_chain_link(&conn, None)?;
        let mut store = Store {
            conn,
            path: None,
            read_only: false,
            key: None,
        };
        store.configure()?;
        store.migrate(":memory:")?;
        seals::track_writes(&store.conn)?;
        Ok(store)
    }

    fn configure(&self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        // Sorts and temporary tables in memory. Set once, here: changing it
        // later drops every temporary trigger (`seals::track_writes`).
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        if self.path.is_some() {
            // WAL: readers (the presenter view) never block the writer.
            let mode: String =
                self.conn
                    .pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))?;
            debug_assert_eq!(mode, "wal");
            // In WAL mode NORMAL loses no committed transaction on an
            // application crash; FULL also survives power loss. (FULL with a
            // rollback journal, `use_rollback_journal`, survives both.)
            self.conn.pragma_update(None, "synchronous", "FULL")?;
        }
        Ok(())
    }

    /// Makes the journal a rollback journal, for a bulk load whose pages
    /// are nearly all new (`Store::import_returns`). False, and the
    /// write-ahead log kept, for a store in memory or when another
    /// connection has the file open (the app, its presenter view): leaving
    /// WAL mode needs the file to itself, and is not waited for.
    pub(crate) fn use_rollback_journal(&self) -> Result<bool> {
        if self.path.is_none() || self.read_only {
            return Ok(false);
        }
        self.conn.busy_timeout(Duration::ZERO)?;
        let mode = self
            .conn
            .pragma_update_and_check(None, "journal_mode", "delete", |r| r.get::<_, String>(0));
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        match mode {
            Ok(mode) => Ok(mode.eq_ignore_ascii_case("delete")),
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Back to the write-ahead log after `use_rollback_journal`. Should
    /// another program hold the file just then, the file stays in rollback
    /// mode until the next program opens it (every open sets WAL,
    /// `configure`): a journal mode changes how pages are written, never
    /// what is stored, so there is nothing to report.
    pub(crate) fn use_write_ahead_log(&self) {
        let _ = self.conn.pragma_update(None, "journal_mode", "wal");
    }

    /// Whether the journal is the write-ahead log now (not for a store in
    /// memory, nor during a panel's first import, `use_rollback_journal`).
    pub(crate) fn in_wal_mode(&self) -> Result<bool> {
        let mode: String = self
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))?;
        Ok(mode.eq_ignore_ascii_case("wal"))
    }

    /// Refuses a file from a newer version or another program before
    /// anything (even the journal mode) is written to it.
    fn check_ours(&self, shown: &str) -> Result<()> {
        let version = self.schema_version()?;
        check_version(shown, version)?;
        let app_id: i32 = self
            .conn
            .pragma_query_value(None, "application_id", |r| r.get(0))?;
        if version > 0 && app_id != APPLICATION_ID {
            return Err(StoreError::Foreign {
                path: shown.to_owned(),
            });
        }
        if version == 0 {
            let tables: i64 = self.conn.query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
                [],
                |r| r.get(0),
            )?;
            if tables > 0 {
                return Err(StoreError::Foreign {
                    path: shown.to_owned(),
                });
            }
        }
        Ok(())
    }

    fn migrate(&mut self, shown: &str) -> Result<()> {
        self.check_ours(shown)?;
        let version = self.schema_version()?;
        // A file being made runs every migration in one transaction: one
        // commit (one sync) rather than one each, and no file is left part
        // made. A file holding a panel commits each step, so that a long
        // upgrade interrupted keeps the steps done.
        let new_file = version == 0;
        let mut steps = migrations::MIGRATIONS
            .iter()
            .enumerate()
            .skip(version as usize)
            .peekable();
        if steps.peek().is_none() {
            return Ok(());
        }
        let mut tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        while let Some((index, sql)) = steps.next() {
            tx.execute_batch(sql)?;
            if index as i64 + 1 == migrations::PACKED_RETURNS_VERSION {
                returns::pack_returns_held(&tx)?;
            }
            if index as i64 + 1 == migrations::PACKED_HISTORY_VERSION {
                history::pack_history_tables(&tx)?;
            }
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
            tx.pragma_update(None, "user_version", index as i64 + 1)?;
            if !new_file && steps.peek().is_some() {
                tx.commit()?;
                tx = self
                    .conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)?;
            }
        }
        tx.commit()?;
        // A migration that moved rows from tables it then dropped (26 to 29)
        // leaves their pages free: the file would stay the size of both,
        // and so would every backup of it. Given back once, here, when a
        // quarter of the file is free; a new file starts with none.
        let (pages, free): (i64, i64) = self.conn.query_row(
            "SELECT page_count, freelist_count FROM pragma_page_count, pragma_freelist_count",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if version < migrations::LATEST && free > 0 && (version == 0 || free * 4 > pages) {
            self.conn.execute_batch("VACUUM")?;
        }
        Ok(())
    }

    /// Caps the database at `pages` pages on this connection (SQLite's
    /// `max_page_count`): past it SQLite fails as on a full disk. For the
    /// fault tests, which cannot fill a real disk.
    #[doc(hidden)]
    pub fn limit_pages_for_fault_tests(&self, pages: i64) -> Result<()> {
        self.conn.pragma_update(None, "max_page_count", pages)?;
        Ok(())
    }

    /// How many pages the database file holds.
    pub fn page_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "page_count", |r| r.get(0))?)
    }

    /// The schema version stored in the file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// This panel's id (32 hex digits, made when the database was set up or
    /// upgraded): its backups carry it.
    pub fn panel_id(&self) -> Result<Option<String>> {
        backup::panel_id_of(&self.conn)
    }

    /// A setting, if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO settings(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// True when nothing but the schema is in the database.
    pub fn is_empty(&self) -> Result<bool> {
        let count: i64 = self.conn.query_row(
            "SELECT (SELECT count(*) FROM histories) + (SELECT count(*) FROM members)
                  + (SELECT count(*) FROM meetings) + (SELECT count(*) FROM plans)
                  + (SELECT count(*) FROM settings)",
            [],
            |r| r.get(0),
        )?;
        Ok(count == 0)
    }
}

impl StoreError {
    /// Names the file and says what to do when the error is one SQLite
    /// reports about the file itself (full disk, read-only, locked, damaged);
    /// anything else is returned as it was.
    pub fn at(self, path: &Path) -> StoreError {
        match self {
            StoreError::Sqlite(e) => explain(e, path),
            other => other,
        }
    }
}

/// A SQLite error on the file at `path`, in words that say what to do.
pub(crate) fn explain(e: rusqlite::Error, path: &Path) -> StoreError {
    explain_sqlite_error(&e, path).unwrap_or(StoreError::Sqlite(e))
}

/// The error SQLite reports about the file itself (full disk, read-only,
/// locked, damaged, encrypted) as one that names `path` and says what to
/// do; `None` for any other error.
pub fn explain_sqlite_error(e: &rusqlite::Error, path: &Path) -> Option<StoreError> {
    let shown = path.display().to_string();
    let detail = e.to_string();
    Some(match e.sqlite_error_code()? {
        ErrorCode::DiskFull => StoreError::DiskFull { path: shown },
        // SQLite reports a full disk while it sizes the -shm file (code
        // 4874) or writes the -wal as a plain I/O error.
        ErrorCode::SystemIoFailure => StoreError::DiskIo {
            path: shown,
            detail,
        },
        ErrorCode::ReadOnly => StoreError::ReadOnly {
            path: shown,
            detail,
        },
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => StoreError::Locked { path: shown },
        ErrorCode::DatabaseCorrupt => damaged(path, detail),
        ErrorCode::NotADatabase => match crypto::file_kind(path) {
            // No key was given (a wrong one is caught on opening).
            Ok(FileKind::Encrypted) => StoreError::Encrypted { path: shown },
            Ok(FileKind::NotDatabase) => StoreError::NotDatabase { path: shown },
            _ => damaged(path, detail),
        },
        ErrorCode::CannotOpen => {
            // SQLite says "unable to open" both for a missing folder and for
            // a folder where it may not create the -wal file.
            let dir_read_only = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .metadata()
                .is_ok_and(|m| m.permissions().readonly());
            if dir_read_only || path.exists() {
                StoreError::ReadOnly {
                    path: shown,
                    detail,
                }
            } else {
                StoreError::CannotOpen {
                    path: shown,
                    detail,
                }
            }
        }
        _ => return None,
    })
}

/// SQLite's quick check of every page of the database `conn` has open
/// (at `path`, for the message).
pub(crate) fn quick_check(conn: &Connection, path: &Path) -> Result<()> {
    let mut stmt = conn
        .prepare("PRAGMA quick_check(5)")
        .map_err(|e| explain(e, path))?;
    let findings: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect())
        .map_err(|e| explain(e, path))?;
    if findings.len() == 1 && findings[0] == "ok" {
        return Ok(());
    }
    Err(damaged(path, findings.join("; ")))
}

fn damaged(path: &Path, detail: String) -> StoreError {
    StoreError::Damaged {
        path: path.display().to_string(),
        detail,
        backups: backups_dir(path).display().to_string(),
    }
}

fn check_version(shown: &str, version: i64) -> Result<()> {
    if version > migrations::LATEST {
        return Err(StoreError::NewerSchema {
            path: shown.to_owned(),
            found: version,
            known: migrations::LATEST,
        });
    }
    Ok(())
}

/// Creates the folder a new file goes in (owner-only) when it is missing,
/// so that opening a database or taking a backup into a new folder works.
pub(crate) fn create_missing_parent_dir(path: &Path) -> Result<()> {
    if let Some(dir) = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && !d.exists())
    {
        create_private_dir(dir).map_err(|source| StoreError::CreateDir {
            path: dir.display().to_string(),
            source,
        })?;
    }
    Ok(())
}

#[cfg(unix)]
pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

/// How long a write waits for another connection's write to finish.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Makes a new database file readable by its owner only. SQLite creates the
/// -wal and -shm files with the main file's permissions.
#[cfg(unix)]
pub(crate) fn restrict_to_owner(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    // Best effort: a file system without Unix permissions is not an error.
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
}

#[cfg(not(unix))]
pub(crate) fn restrict_to_owner(_path: &Path) {}

/// Dates and times are stored as ISO text.
pub(crate) mod text {
    use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

    pub fn date(d: NaiveDate) -> String {
        iso(d).as_str().to_owned()
    }

    /// A date as the store writes it, held without allocating: the rows
    /// packed by an import bind a million of them.
    pub enum IsoDate {
        /// Years 0 to 9999: `YYYY-MM-DD`.
        Short([u8; 10]),
        /// Any other year, as chrono writes it.
        Long(String),
    }

    impl IsoDate {
        pub fn as_str(&self) -> &str {
            match self {
                // Only ASCII digits and '-' are ever put in.
                IsoDate::Short(bytes) => std::str::from_utf8(bytes).unwrap_or_default(),
                IsoDate::Long(text) => text,
            }
        }
    }

    impl rusqlite::ToSql for IsoDate {
        fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
            Ok(rusqlite::types::ToSqlOutput::Borrowed(
                rusqlite::types::ValueRef::Text(self.as_str().as_bytes()),
            ))
        }
    }

    pub fn iso(d: NaiveDate) -> IsoDate {
        // Written out by hand: chrono's strftime parser, and `format!`,
        // were a measurable share of an import.
        if (0..=9999).contains(&d.year()) {
            let (y, m, day) = (d.year() as u32, d.month(), d.day());
            let digit = |n: u32| b'0' + (n % 10) as u8;
            IsoDate::Short([
                digit(y / 1000),
                digit(y / 100),
                digit(y / 10),
                digit(y),
                b'-',
                digit(m / 10),
                digit(m),
                b'-',
                digit(day / 10),
                digit(day),
            ])
        } else {
            IsoDate::Long(d.format("%Y-%m-%d").to_string())
        }
    }
    pub fn opt_date(d: Option<NaiveDate>) -> Option<String> {
        d.map(date)
    }
    pub fn parse_date(s: &str) -> rusqlite::Result<NaiveDate> {
        // The store writes dates as YYYY-MM-DD; reading 1.1 million of them
        // for the cohorts is worth a direct parse (chrono's strftime
        // parser is several times slower).
        if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *s.as_bytes() {
            let digit = |b: u8| (b as char).to_digit(10);
            let num = |bytes: &[u8]| {
                bytes
                    .iter()
                    .try_fold(0u32, |acc, &b| digit(b).map(|d| acc * 10 + d))
            };
            if let (Some(y), Some(m), Some(d)) =
                (num(&[y0, y1, y2, y3]), num(&[m0, m1]), num(&[d0, d1]))
                && let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d)
            {
                return Ok(date);
            }
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| conversion(s, e))
    }
    pub fn parse_opt_date(s: Option<String>) -> rusqlite::Result<Option<NaiveDate>> {
        s.as_deref().map(parse_date).transpose()
    }
    pub fn time(t: NaiveTime) -> String {
        t.format("%H:%M").to_string()
    }
    pub fn parse_time(s: &str) -> rusqlite::Result<NaiveTime> {
        NaiveTime::parse_from_str(s, "%H:%M").map_err(|e| conversion(s, e))
    }
    pub fn parse_opt_time(s: Option<String>) -> rusqlite::Result<Option<NaiveTime>> {
        s.as_deref().map(parse_time).transpose()
    }
    pub fn datetime(t: NaiveDateTime) -> String {
        t.format("%Y-%m-%dT%H:%M:%S").to_string()
    }
    pub fn parse_datetime(s: &str) -> rusqlite::Result<NaiveDateTime> {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").map_err(|e| conversion(s, e))
    }
    /// Reads back a code or id this program wrote (a DfE code, a status, a
    /// plan ...): the one conversion for every such column; a text we did
    /// not write is a conversion error saying what was expected.
    pub fn code<T: crate::model::Code>(value: &str) -> rusqlite::Result<T> {
        T::from_code_text(value).ok_or_else(|| conversion(value, format!("not {}", T::WHAT)))
    }
    pub fn opt_code<T: crate::model::Code>(value: Option<&str>) -> rusqlite::Result<Option<T>> {
        value.map(code).transpose()
    }
    pub fn conversion(value: &str, e: impl std::fmt::Display) -> rusqlite::Error {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("'{value}': {e}").into(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A panel file as the previous version of the program left it: every
    /// migration but the last, and a member in it.
    fn file_one_version_behind(path: &Path) {
        let conn = Connection::open(path).expect("open");
        let behind = migrations::MIGRATIONS.len() - 1;
        for sql in &migrations::MIGRATIONS[..behind] {
            conn.execute_batch(sql).expect("migration");
        }
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .expect("application id");
        conn.pragma_update(None, "user_version", behind as i64)
            .expect("version");
        conn.execute(
            "INSERT INTO settings(key, value) VALUES ('dataset', 'older')",
            [],
        )
        .expect("setting");
    }

    #[test]
    fn an_older_panel_is_backed_up_as_it_was_before_it_is_migrated() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("panel.db");
        file_one_version_behind(&path);

        let store = Store::open(&path).expect("migrates");
        assert_eq!(store.schema_version().expect("version"), migrations::LATEST);

        let backups: Vec<PathBuf> = std::fs::read_dir(dir.path().join("backups"))
            .expect("a backups directory")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.to_string_lossy().contains("before-migration"))
            .collect();
        assert_eq!(backups.len(), 1, "{backups:?}");
        let copy = Connection::open(&backups[0]).expect("open the backup");
        let version: i64 = copy
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("version");
        assert_eq!(
            version,
            migrations::LATEST - 1,
            "the copy is the old schema"
        );
        let dataset: String = copy
            .query_row(
                "SELECT value FROM settings WHERE key = 'dataset'",
                [],
                |r| r.get(0),
            )
            .expect("the data came along");
        assert_eq!(dataset, "older");
    }

    /// A panel file as a version of the program with schema `version`
    /// made it, open as the program opens it (its functions registered),
    /// for rows to be put in as that version kept them.
    fn file_at_version(path: &Path, version: i64) -> Connection {
        let conn = Connection::open(path).expect("open");
        crypto::allow_app_writes(&conn).expect("functions");
        for sql in &migrations::MIGRATIONS[..version as usize] {
            conn.execute_batch(sql).expect("migration");
        }
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .expect("application id");
        conn.pragma_update(None, "user_version", version)
            .expect("version");
        conn
    }

    #[test]
    fn rows_held_before_the_seals_are_sealed_at_the_upgrade_and_then_checked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("panel.db");
        let conn = file_at_version(&path, migrations::ROW_SEALS_VERSION - 1);
        conn.execute_batch(
            "INSERT INTO members(id, role, job_title, kind) VALUES (1, 'chair', 'Chair', 'standing');
             INSERT INTO plans(child_id, plan) VALUES ('C1', 'adoption');",
        )
        .expect("rows");
        drop(conn);

        let store = Store::open(&path).expect("upgrades");
        let check = store.verify_audit().expect("verify");
        assert!(check.findings.is_empty(), "{:?}", check.findings);
        let entries = store.audit_entries().expect("audit");
        assert!(
            entries.iter().any(|e| e
                .change
                .starts_with("sealed 2 row(s) as they stood at the upgrade")),
            "{entries:?}"
        );
        drop(store);
        // From then on a change behind the app's back is named.
        let conn = Connection::open(&path).expect("open");
        crypto::allow_app_writes(&conn).expect("functions");
        conn.execute("UPDATE plans SET plan = 'sgo'", [])
            .expect("tamper");
        drop(conn);
        let store = Store::open_read_only(&path).expect("open");
        let found = store.verify_audit().expect("verify").findings;
        assert!(
            found
                .iter()
                .any(|f| f.what.starts_with("plans row C1: differs")
                    && f.what.contains("plan was \"adoption\", now \"sgo\"")),
            "{found:?}"
        );
    }

    #[test]
    fn an_older_file_encrypted_by_this_version_opens_with_its_keyed_chain_intact() {
        // A backup taken before an upgrade, encrypted with the panel: its
        // chain is re-signed at its own schema, and opened later it is
        // upgraded without being re-signed again.
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("panel.db");
        let mut store = Store::open(&path).expect("new");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 6, 5).expect("date");
        let at = day.and_hms_opt(10, 0, 0).expect("time");
        store
            .add_meeting(
                day,
                chrono::NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
                chrono::NaiveTime::from_hms_opt(12, 0, 0).expect("time"),
                at,
            )
            .expect("meeting");
        drop(store);
        let conn = Connection::open(&path).expect("open");
        migrations::undo_since_row_seals(&conn).expect("as schema 14 was");
        conn.pragma_update(None, "user_version", migrations::ROW_SEALS_VERSION - 1)
            .expect("version");
        drop(conn);
        let key = Key::new("a passphrase").expect("key");
        encrypt_file(&path, &key).expect("encrypts");

        let store = Store::open_keyed(&path, Some(&key)).expect("upgrades");
        let check = store.verify_audit().expect("verify");
        assert_eq!(check.chain, audit::ChainKind::HmacSha256);
        assert!(check.findings.is_empty(), "{:?}", check.findings);
        let resigned = store
            .audit_entries()
            .expect("audit")
            .into_iter()
            .filter(|e| e.change.starts_with("re-signed the audit chain"))
            .count();
        assert_eq!(resigned, 1, "re-signed once, when encrypted");
    }

    #[test]
    fn returns_held_in_the_tables_before_packing_are_packed_at_the_upgrade_and_merge_as_before() {
        // A panel as version 25 kept returns: a row per table row, digests
        // apart (2025-26's only: 2024-25 was imported before they were).
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("panel.db");
        let conn = file_at_version(&path, migrations::PACKED_RETURNS_VERSION - 1);
        conn.execute_batch(
            "INSERT INTO returns(id, year, year_source, imported_at) VALUES
                (1, 2024, 'name', '2025-05-01T09:00:00'),
                (2, 2025, 'name', '2026-05-01T09:00:00'),
                (3, 2023, 'name', '2024-05-01T09:00:00');
             INSERT INTO return_children(return_id, child_id, sex, dob, ethnic, upn, mother, mc_dob) VALUES
                (1, 'C1', '1', '2020-07-13', 'MOTH', 'A123', NULL, NULL),
                (2, 'C1', '1', '2020-07-13', 'WBRI', 'A123', 1, '2025-01-02'),
                (3, 'C2', '2', '2019-03-04', 'WBRI', NULL, NULL, NULL);
             INSERT INTO return_episodes(return_id, child_id, decom, rne, ls, cin, place,
                place_provider, dec, rec, reason_place_change, home_post, pl_post, urn) VALUES
                (1, 'C1', '2024-06-01', 'S', 'C1', 'N1', 'U6', 'PR4', NULL, NULL, NULL, 'SP4 1RP', 'BA14 1TZ', 'SC838301'),
                (2, 'C1', '2024-06-01', 'S', 'C1', 'N1', 'U6', 'PR4', '2025-08-01', 'X1', 'CARPL', 'SP4 1RP', 'BA14 1TZ', 'SC838301'),
                (2, 'C1', '2025-08-01', 'P', 'C2', 'N1', 'U4', 'PR4', NULL, NULL, NULL, 'SP4 1RP', 'BA14 1TZ', NULL),
                (3, 'C2', '2023-05-01', 'S', 'V2', 'N2', 'U1', 'PR1', '2023-09-01', 'E11', NULL, NULL, NULL, NULL);
             INSERT INTO return_reviews(return_id, child_id, review, review_code) VALUES
                (1, 'C1', '2024-12-01', 'PN1'), (2, 'C1', '2025-06-01', 'PN0');
             INSERT INTO return_placed_adoption(return_id, child_id, date_placed, date_placed_ceased, reason_placed_ceased) VALUES
                (2, 'C1', '2025-09-01', NULL, NULL);
             INSERT INTO return_extras(return_id, table_name, child_id, fields) VALUES
                (2, 'PrevPerm', 'C1', 'C1' || char(31) || '13/07/2020' || char(31) || 'Z1' || char(31) || char(31));
             INSERT INTO return_problems(return_id, child_id, held_back, column, problem) VALUES
                (2, 'C1', 0, 'ETHNIC', 'header.csv:2:ETHNIC: found ''X'', expected a code');
             INSERT INTO return_child_digests(return_id, child_id, digest) VALUES (2, 'C1', x'0102');",
        )
        .expect("returns as version 25 kept them");
        drop(conn);

        let mut store = Store::open(&path).expect("upgrades");
        let held = store.returns().expect("returns");
        let summary: Vec<_> = held
            .iter()
            .map(|r| {
                (
                    r.year.start_year(),
                    r.children,
                    r.episodes,
                    r.reviews,
                    r.first_date.map(|d| d.to_string()),
                    r.last_date.map(|d| d.to_string()),
                    r.other_rows.clone(),
                )
            })
            .collect();
        let day = |s: &str| Some(s.to_owned());
        assert_eq!(
            summary,
            vec![
                (2023, 1, 1, 0, day("2023-05-01"), day("2023-09-01"), vec![]),
                (2024, 1, 1, 1, day("2024-06-01"), day("2024-12-01"), vec![]),
                (
                    2025,
                    1,
                    2,
                    1,
                    day("2024-06-01"),
                    day("2025-08-01"),
                    vec![("PrevPerm".to_owned(), 1)]
                ),
            ]
        );
        let packed: Vec<(i64, String, bool, bool)> = store
            .conn
            .prepare(
                "SELECT return_id, child_id, digest IS NOT NULL, open_episode
                 FROM return_child_rows ORDER BY return_id",
            )
            .expect("prepare")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        assert_eq!(
            packed,
            vec![
                (1, "C1".to_owned(), false, true),
                (2, "C1".to_owned(), true, true),
                (3, "C2".to_owned(), false, false),
            ]
        );
        let old_tables = tables_among(
            &store,
            &[
                "return_children",
                "return_episodes",
                "return_reviews",
                "return_placed_adoption",
                "return_extras",
                "return_child_digests",
            ],
        );
        assert!(old_tables.is_empty(), "{old_tables:?}");

        // Removing a year merges everyone again, from the rows packed.
        let at = chrono::NaiveDate::from_ymd_opt(2026, 6, 5)
            .expect("date")
            .and_hms_opt(10, 0, 0)
            .expect("time");
        store
            .remove_return(crate::rules::returns::CollectionYear::starting(2023), at)
            .expect("removes")
            .expect("a return of 2023-24 was held");
        assert!(store.child_record("C2").expect("read").is_none());
        let c1 = store.child_record("C1").expect("read").expect("C1 merged");
        assert_eq!(c1.child.ethnic.code(), "WBRI", "the latest Header");
        assert_eq!(c1.child.mc_dob.map(|d| d.to_string()), day("2025-01-02"));
        let episodes: Vec<(String, Option<String>)> = c1
            .episodes
            .iter()
            .map(|e| (e.decom.to_string(), e.dec.map(|d| d.to_string())))
            .collect();
        assert_eq!(
            episodes,
            vec![
                ("2024-06-01".to_owned(), day("2025-08-01")),
                ("2025-08-01".to_owned(), None)
            ]
        );
        let reviews: Vec<String> = c1.reviews.iter().map(|r| r.review.to_string()).collect();
        assert_eq!(reviews, vec!["2024-12-01", "2025-06-01"]);
        assert_eq!(c1.placed_adoption.len(), 1);
        let extras = store.child_extras("C1").expect("extras");
        assert_eq!(extras.len(), 1);
        assert_eq!(extras[0].table, "PrevPerm");
        assert_eq!(extras[0].fields[2], "Z1");
        assert_eq!(store.return_problems().expect("problems").len(), 1);
    }

    #[test]
    fn a_date_is_written_as_chrono_writes_it_in_any_year_and_read_back() {
        for (y, m, d) in [
            (2026, 12, 6),
            (2024, 2, 29),
            (1, 1, 1),
            (999, 10, 31),
            (9999, 12, 31),
            (10_000, 1, 1),
            (-5, 7, 4),
        ] {
            let day = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("a day");
            assert_eq!(text::date(day), day.format("%Y-%m-%d").to_string());
            if (0..=9999).contains(&y) {
                assert_eq!(text::parse_date(&text::date(day)).expect("reads"), day);
            }
        }
    }

    #[test]
    fn a_history_held_in_tables_is_packed_at_the_upgrade_and_reads_back_as_before() {
        // A panel as version 27 kept the history: a row per episode, review
        // and placement, the merge's warnings and kept rows apart.
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("panel.db");
        let conn = file_at_version(&path, migrations::PACKED_HISTORY_VERSION - 1);
        conn.execute_batch(
            "INSERT INTO children(child_id, sex, dob, ethnic, upn, mother, mc_dob) VALUES
                ('C1', '1', '2015-01-01', 'WBRI', 'A123', NULL, NULL),
                ('C2', '2', '2016-02-02', 'MOTH', NULL, 1, '2025-01-02');
             INSERT INTO episodes(child_id, decom, rne, ls, cin, place, place_provider, dec, rec,
                reason_place_change, home_post, pl_post, urn) VALUES
                ('C1', '2024-06-01', 'P', 'C2', 'N1', 'U4', 'PR1', NULL, NULL, 'CARPL', NULL, NULL, NULL),
                ('C1', '2024-01-01', 'S', 'C2', 'N1', 'U3', 'PR1', '2024-06-01', 'X1', NULL, 'SP4 1RP', NULL, NULL),
                ('C2', '2023-05-01', 'S', 'V2', 'N2', 'U1', 'PR1', '2023-09-01', 'E11', NULL, NULL, NULL, 'SC1');
             INSERT INTO reviews(child_id, review, review_code) VALUES
                ('C1', '2024-07-01', 'PN1'), ('C1', '2024-03-01', 'PN0');
             INSERT INTO placed_adoption(child_id, date_placed, date_placed_ceased, reason_placed_ceased) VALUES
                ('C2', '2023-06-01', NULL, NULL);
             INSERT INTO child_extras(child_id, table_name, year, fields) VALUES
                ('C2', 'UASC', 2023, 'C2' || char(31) || '1'),
                ('C2', 'AD1', 2022, 'C2' || char(31) || '2');
             INSERT INTO merge_warnings(child_id, what, rule) VALUES
                ('C1', 'the episode from 01/01/2024 was left open', 'closed-open-episode');",
        )
        .expect("a history as version 27 kept it");
        drop(conn);

        let store = Store::open(&path).expect("upgrades");
        let c1 = store.child_record("C1").expect("read").expect("C1 held");
        let decoms: Vec<String> = c1.episodes.iter().map(|e| e.decom.to_string()).collect();
        assert_eq!(decoms, vec!["2024-01-01", "2024-06-01"], "by DECOM");
        assert_eq!(c1.episodes[0].home_post.as_deref(), Some("SP4 1RP"));
        assert_eq!(c1.episodes[1].reason_place_change.as_deref(), Some("CARPL"));
        let reviews: Vec<String> = c1.reviews.iter().map(|r| r.review.to_string()).collect();
        assert_eq!(reviews, vec!["2024-03-01", "2024-07-01"]);
        let c2 = store.child_record("C2").expect("read").expect("C2 held");
        assert_eq!(
            c2.child.mc_dob.map(|d| d.to_string()).as_deref(),
            Some("2025-01-02")
        );
        assert_eq!(c2.placed_adoption.len(), 1);
        assert_eq!(c2.episodes[0].urn.as_deref(), Some("SC1"));
        let extras: Vec<(String, i32)> = store
            .child_extras("C2")
            .expect("extras")
            .into_iter()
            .map(|x| (x.table, x.year.start_year()))
            .collect();
        assert_eq!(
            extras,
            vec![("AD1".to_owned(), 2022), ("UASC".to_owned(), 2023)]
        );
        let warnings = store.merge_warnings().expect("warnings");
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            (warnings[0].child.as_str(), warnings[0].rule),
            ("C1", "closed-open-episode")
        );
        assert_eq!(store.child_ids().expect("ids"), vec!["C1", "C2"]);
        let leavers = store
            .leavers_before(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("date"))
            .expect("leavers");
        assert_eq!(leavers.len(), 1, "C2 left care in 2023, C1 is in care");
        assert_eq!(leavers[0].child, "C2");
        let old_tables = tables_among(
            &store,
            &[
                "children",
                "episodes",
                "reviews",
                "placed_adoption",
                "child_extras",
                "merge_warnings",
                "merged_digests",
            ],
        );
        assert!(old_tables.is_empty(), "{old_tables:?}");
    }

    /// Which of these tables the panel has.
    fn tables_among(store: &Store, names: &[&str]) -> Vec<String> {
        let mut stmt = store
            .conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name = ?1")
            .expect("prepare");
        names
            .iter()
            .filter_map(|name| {
                stmt.query_row([name], |r| r.get(0))
                    .optional()
                    .expect("read")
            })
            .collect()
    }

    #[test]
    fn a_new_file_starts_without_the_pages_of_tables_later_migrations_dropped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("panel.db");
        let store = Store::open(&path).expect("new");
        let free: i64 = store
            .conn
            .query_row("PRAGMA freelist_count", [], |r| r.get(0))
            .expect("freelist");
        assert_eq!(free, 0);
    }

    #[test]
    fn a_new_or_current_file_takes_no_migration_backup() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("panel.db");
        drop(Store::open(&path).expect("new"));
        drop(Store::open(&path).expect("current"));
        assert!(!dir.path().join("backups").exists());
    }
}
