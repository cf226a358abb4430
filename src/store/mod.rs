//! The only code that speaks SQL. Opens the panel's SQLite file, migrates it,
//! and exposes typed functions; every user change runs in its own immediate
//! transaction and is committed before the function returns.

mod audit;
mod backup;
mod extract;
mod meetings;
mod members;
mod migrations;
mod notes;
mod panel;
mod retention;
mod routes;
mod undo;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};

pub use audit::{AuditFinding, AuditVerification};
pub use backup::{KEEP_AUTOMATIC, backups_dir, check_backup, restore};
pub use extract::{ExtractImport, ImportRecord, ImportedFile, PlansImport};
pub use members::MembersSaved;
pub use migrations::LATEST as SCHEMA_VERSION;
pub use panel::*;
pub use retention::{Leaver, Purged};
pub use routes::{AgendaChoice, CarryOver, NewReferral};

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
    #[error("{path}: this is not a permanence-panel database")]
    Foreign { path: String },
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
}

impl Store {
    /// Opens (creating if need be) the database at `path` and brings its
    /// schema up to date. The directory is created owner-only (0700) and the
    /// file owner-only (0600) on Unix.
    pub fn open(path: &Path) -> Result<Store> {
        let shown = path.display().to_string();
        if let Some(dir) = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty() && !d.exists())
        {
            create_private_dir(dir).map_err(|source| StoreError::CreateDir {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let existed = path.exists();
        let conn = Connection::open(path)?;
        if !existed {
            restrict_to_owner(path);
        }
        let mut store = Store {
            conn,
            path: Some(path.to_owned()),
            read_only: false,
        };
        store.configure()?;
        let before = store.schema_version()?;
        store.migrate(&shown)?;
        if before < migrations::AUDIT_CHAIN_VERSION {
            store.chain_audit_backlog()?;
        }
        Ok(store)
    }

    /// Opens an existing database read-only (the presenter view, reports).
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let shown = path.display().to_string();
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let store = Store {
            conn,
            path: Some(path.to_owned()),
            read_only: true,
        };
        let version = store.schema_version()?;
        check_version(&shown, version)?;
        if version < migrations::LATEST {
            return Err(StoreError::Refused(format!(
                "{shown}: the database needs upgrading (schema {version}); open it once for writing first"
            )));
        }
        Ok(store)
    }

    /// A private in-memory database, for tests.
    pub fn open_in_memory() -> Result<Store> {
        let mut store = Store {
            conn: Connection::open_in_memory()?,
            path: None,
            read_only: false,
        };
        store.configure()?;
        store.migrate(":memory:")?;
        Ok(store)
    }

    fn configure(&self) -> Result<()> {
        self.conn.busy_timeout(Duration::from_secs(5))?;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        if self.path.is_some() {
            // WAL: readers (the presenter view) never block the writer.
            let mode: String =
                self.conn
                    .pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))?;
            debug_assert_eq!(mode, "wal");
            // In WAL mode NORMAL loses no committed transaction on an
            // application crash; FULL also survives power loss.
            self.conn.pragma_update(None, "synchronous", "FULL")?;
        }
        Ok(())
    }

    fn migrate(&mut self, shown: &str) -> Result<()> {
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
        for (index, sql) in migrations::MIGRATIONS
            .iter()
            .enumerate()
            .skip(version as usize)
        {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
            tx.pragma_update(None, "user_version", index as i64 + 1)?;
            tx.commit()?;
        }
        Ok(())
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
            "SELECT (SELECT count(*) FROM children) + (SELECT count(*) FROM members)
                  + (SELECT count(*) FROM meetings) + (SELECT count(*) FROM plans)
                  + (SELECT count(*) FROM settings)",
            [],
            |r| r.get(0),
        )?;
        Ok(count == 0)
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
        // Written out by hand: an import formats a million dates, and
        // chrono's strftime parser was a measurable share of it.
        if (0..=9999).contains(&d.year()) {
            format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
        } else {
            d.format("%Y-%m-%d").to_string()
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
    pub fn conversion(value: &str, e: impl std::fmt::Display) -> rusqlite::Error {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("'{value}': {e}").into(),
        )
    }
}
