//! Encryption at rest with SQLCipher: the key, telling an encrypted file
//! from a plain one, turning a plain file into an encrypted one, and
//! changing the key.
//!
//! A file with no key is a plain SQLite file (the demo, the tests, a council
//! that has not turned encryption on); a file opened with a key is encrypted
//! page by page, its write-ahead log and its backups too.

use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::{APPLICATION_ID, Result, Store, StoreError, restrict_to_owner};

/// The first 16 bytes of every plain SQLite file. An encrypted file starts
/// with a random salt instead.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// A database key: a passphrase that SQLCipher stretches (PBKDF2) into the
/// page key. Never printed: `Debug` shows no part of it.
#[derive(Clone, PartialEq, Eq)]
pub struct Key(String);

impl Key {
    /// A key from a passphrase; an empty one is refused (it would mean "no
    /// encryption" to SQLCipher, silently).
    pub fn new(passphrase: impl Into<String>) -> Result<Key> {
        let passphrase = passphrase.into();
        if passphrase.is_empty() {
            return Err(StoreError::Refused(
                "the key is empty; a key must have at least one character".to_owned(),
            ));
        }
        Ok(Key(passphrase))
    }

    /// Gives the key to a connection just opened: it must be the first thing
    /// said on it.
    pub(crate) fn apply(&self, conn: &Connection) -> rusqlite::Result<()> {
        quiet(conn)?;
        conn.pragma_update(None, "key", self.0.as_str())
    }
}

impl Key {
    /// The key the audit chain of a database under this key is signed with:
    /// SHA-256("permanence-panel audit v1" || the key), never stored.
    pub(crate) fn chain_key(&self) -> super::audit::ChainKey {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"permanence-panel audit v1");
        h.update(self.0.as_bytes());
        super::audit::ChainKey(h.finalize().into())
    }
}

/// Defines on `conn` the function that links an audit entry into the chain:
/// keyed (HMAC) under `key`'s chain key, plain SHA-256 without one.
pub(crate) fn register_chain_link(conn: &Connection, key: Option<&Key>) -> rusqlite::Result<()> {
    let chain_key = key.map(Key::chain_key);
    conn.create_scalar_function(
        "panel_chain_link",
        3,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8
            | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
        move |ctx| {
            let prev: String = ctx.get(0)?;
            let id: i64 = ctx.get(1)?;
            let content: String = ctx.get(2)?;
            Ok(super::audit::link_hash(
                chain_key.as_ref(),
                &prev,
                id,
                &content,
            ))
        },
    )
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(hidden)")
    }
}

/// SQLCipher writes its own log lines to standard error (a wrong key shows
/// as "hmac check failed"); the program says it once, in words, instead.
fn quiet(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "cipher_log_level", "NONE")
}

/// What a database file looks like from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// No file, or an empty one: a new database.
    New,
    /// A plain SQLite file.
    Plain,
    /// Not a plain SQLite file, and shaped like an encrypted one (whole
    /// pages): encrypted, or damaged (only a key can tell these apart).
    Encrypted,
    /// Neither: too short or not whole pages (a text file, a document).
    NotDatabase,
}

/// Looks at the first 16 bytes of `path`.
pub fn file_kind(path: &Path) -> std::io::Result<FileKind> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileKind::New),
        Err(e) => return Err(e),
    };
    let mut header = Vec::with_capacity(16);
    file.by_ref().take(16).read_to_end(&mut header)?;
    let size = file.metadata()?.len();
    Ok(if header.is_empty() {
        FileKind::New
    } else if header == PLAIN_HEADER {
        FileKind::Plain
    } else if size >= 512 && size % 512 == 0 {
        // SQLCipher writes whole pages (at least 512 bytes each).
        FileKind::Encrypted
    } else {
        FileKind::NotDatabase
    })
}

/// Refuses a key on a plain file and no key on an encrypted one, before
/// SQLite is asked anything, so each gets its own message.
pub(crate) fn check_key_fits(path: &Path, key: Option<&Key>) -> Result<()> {
    let shown = path.display().to_string();
    let kind = file_kind(path).map_err(|e| StoreError::Refused(format!("{shown}: {e}")))?;
    match (kind, key) {
        (FileKind::Plain, Some(_)) => Err(StoreError::NotEncrypted { path: shown }),
        (FileKind::Encrypted, None) => Err(StoreError::Encrypted { path: shown }),
        (FileKind::NotDatabase, _) => Err(StoreError::NotDatabase { path: shown }),
        _ => Ok(()),
    }
}

/// Opens `path` with `flags`, gives it the key, and reads the schema once so
/// that a wrong key (or a file that is no database) fails here, by name.
pub(crate) fn open_connection(
    path: &Path,
    key: Option<&Key>,
    flags: OpenFlags,
) -> Result<Connection> {
    check_key_fits(path, key)?;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| super::explain(e, path))?;
    allow_app_writes(&conn).map_err(|e| super::explain(e, path))?;
    register_chain_link(&conn, key).map_err(|e| super::explain(e, path))?;
    if let Some(key) = key {
        key.apply(&conn).map_err(|e| super::explain(e, path))?;
    }
    if let Err(e) = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    }) {
        let shown = path.display().to_string();
        return Err(match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) if key.is_some() => StoreError::WrongKey { path: shown },
            _ => super::explain(e, path),
        });
    }
    Ok(conn)
}

/// Opens `path` read-only as an immutable file: SQLite writes nothing
/// beside it (no -wal, no -shm, no lock), so a backup on read-only media or
/// in a read-only folder can be checked and restored.
pub(crate) fn open_immutable(path: &Path, key: Option<&Key>) -> Result<Connection> {
    check_key_fits(path, key)?;
    let absolute = std::path::absolute(path)
        .map_err(|e| StoreError::Refused(format!("{}: {e}", path.display())))?;
    let uri = format!("file:{}?immutable=1", uri_path(&absolute));
    let conn = Connection::open_with_flags(
        uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| super::explain(e, path))?;
    if let Some(key) = key {
        key.apply(&conn).map_err(|e| super::explain(e, path))?;
    }
    if let Err(e) = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    }) {
        let shown = path.display().to_string();
        return Err(match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) if key.is_some() => StoreError::WrongKey { path: shown },
            Some(ErrorCode::NotADatabase) => StoreError::NotDatabase { path: shown },
            _ => super::explain(e, path),
        });
    }
    Ok(conn)
}

/// A path as the path of a `file:` URI: every byte but unreserved ones and
/// `/` percent-encoded, so `?`, `#` and `%` in a name stay part of it. On
/// Windows the separators become `/` and a drive (`C:`) is led by one, as
/// SQLite's URIs want (`file:/C:/Users/...`).
fn uri_path(path: &Path) -> String {
    #[cfg(unix)]
    let bytes: Vec<u8> = {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes: Vec<u8> = {
        let text = path.to_string_lossy().replace('\\', "/");
        if text.as_bytes().get(1) == Some(&b':') {
            format!("/{text}").into_bytes()
        } else {
            text.into_bytes()
        }
    };
    let mut out = String::new();
    for &b in &bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Defines on `conn` the function the tables' guard triggers ask for: a
/// write through a connection without it (another tool) is refused.
pub(crate) fn allow_app_writes(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "panel_app_write",
        0,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8
            | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
        |_| Ok(true),
    )
}

/// The flags `Connection::open` uses: read-write, created if missing.
pub(crate) fn read_write() -> OpenFlags {
    OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
}

/// Turns the plain database at `path` into an encrypted one with `key`.
///
/// The encrypted copy is written beside it (`.NAME.encrypting`), checked
/// with the key, then renamed over the plain file in one step: at every
/// moment the file at `path` is either the whole plain database or the whole
/// encrypted one. No plain copy is kept (that would defeat the purpose); the
/// plain file's old disk blocks are freed, not overwritten (see the README).
pub fn encrypt_file(path: &Path, key: &Key) -> Result<()> {
    let shown = path.display().to_string();
    match file_kind(path).map_err(|e| StoreError::Refused(format!("{shown}: {e}")))? {
        FileKind::Plain => {}
        FileKind::New => return Err(StoreError::Refused(format!("{shown}: no such database"))),
        FileKind::Encrypted => {
            return Err(StoreError::Refused(format!(
                "{shown}: already encrypted; to change its key use `permanence-panel rekey`"
            )));
        }
        FileKind::NotDatabase => return Err(StoreError::NotDatabase { path: shown }),
    }
    let staging = staging_path(path);
    // A leftover from an encryption cut short: encrypted, never used.
    remove_if_present(&staging)?;
    let result = export_encrypted(path, &staging, key).and_then(|()| {
        check_encrypted_copy(&staging, key)?;
        replace(&staging, path)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&staging);
    }
    result
}

fn export_encrypted(path: &Path, staging: &Path, key: &Key) -> Result<()> {
    // With CREATE: the attached copy is opened with the same flags.
    let conn =
        Connection::open_with_flags(path, read_write()).map_err(|e| super::explain(e, path))?;
    allow_app_writes(&conn).map_err(|e| super::explain(e, path))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let at = |e| super::explain(e, path);
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(at)?;
    if app_id != APPLICATION_ID {
        return Err(StoreError::Foreign {
            path: path.display().to_string(),
        });
    }
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(at)?;
    quiet(&conn).map_err(at)?;
    // Everything committed into the main file first.
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .map_err(at)?;
    let staging_text = staging.to_str().ok_or_else(|| {
        StoreError::Refused(format!("{}: the path is not valid UTF-8", path.display()))
    })?;
    conn.execute(
        "ATTACH DATABASE ?1 AS encrypted KEY ?2",
        [staging_text, key.0.as_str()],
    )
    .map_err(at)?;
    restrict_to_owner(staging);
    conn.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))
        .map_err(at)?;
    // sqlcipher_export copies tables and rows, not the header's marks.
    conn.pragma_update(Some("encrypted"), "user_version", version)
        .map_err(at)?;
    conn.pragma_update(Some("encrypted"), "application_id", APPLICATION_ID)
        .map_err(at)?;
    conn.execute("DETACH DATABASE encrypted", []).map_err(at)?;
    conn.close().map_err(|(_, e)| super::explain(e, path))?;
    Ok(())
}

/// The encrypted copy opens with the key, is whole, and is ours.
fn check_encrypted_copy(staging: &Path, key: &Key) -> Result<()> {
    let conn = open_connection(staging, Some(key), read_write())?;
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(StoreError::Refused(format!(
            "{}: the encrypted copy failed its check ({check}); the plain database is unchanged",
            staging.display()
        )));
    }
    // The copy's audit chain is signed again under the new key, in one
    // transaction, before the copy replaces the plain file.
    let mut store = Store {
        conn,
        path: Some(staging.to_owned()),
        read_only: false,
        key: Some(key.clone()),
    };
    store.resign_chain(None, Some(key), "the database was encrypted")?;
    // The live database runs in WAL mode like every other.
    store.conn.pragma_update(None, "journal_mode", "wal")?;
    store.conn.close().map_err(|(_, e)| e)?;
    Ok(())
}

/// Renames `from` over `to` after making `from` durable, when nothing else
/// has `to` open.
fn replace(from: &Path, to: &Path) -> Result<()> {
    let io = |e: std::io::Error| StoreError::Refused(format!("{}: {e}", to.display()));
    // Opened for writing: Windows flushes a file only through a handle that
    // may write to it (FlushFileBuffers; read-only gives "Access denied").
    std::fs::OpenOptions::new()
        .write(true)
        .open(from)
        .and_then(|f| f.sync_all())
        .map_err(io)?;
    // SQLite removes the log and the shared-memory index when the last
    // connection closes: if they are still there after ours closed, another
    // program (a presenter view, a second app) has the file open, and would
    // go on using the plain file after the rename.
    let in_use = [sidecar(to, "-wal"), sidecar(to, "-shm")]
        .iter()
        .any(|p| p.exists());
    if in_use {
        return Err(StoreError::Refused(format!(
            "{}: another program has this database open (a presenter view, another copy of the app); close it and try again. Nothing was changed.",
            to.display()
        )));
    }
    std::fs::rename(from, to).map_err(io)?;
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        // Best effort: the rename is durable once the directory is.
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

fn staging_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "panel.db".to_owned());
    path.with_file_name(format!(".{name}.encrypting"))
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(StoreError::Refused(format!(
            "{}: cannot remove: {e}",
            path.display()
        ))),
        _ => Ok(()),
    }
}

impl Store {
    /// Changes the key of an encrypted database (`PRAGMA rekey`). Backups
    /// taken before keep the old key.
    pub fn rekey(&mut self, new_key: &Key) -> Result<()> {
        let shown = self
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| ":memory:".to_owned());
        if self.key.is_none() {
            return Err(StoreError::Refused(format!(
                "{shown}: not encrypted; use `permanence-panel encrypt` to encrypt it"
            )));
        }
        if self.read_only {
            return Err(StoreError::Refused(format!("{shown}: opened read-only")));
        }
        // SQLCipher rewrites every page in one transaction; in WAL mode the
        // log would hold pages under both keys, so the file leaves WAL mode
        // for the rekey and goes back after.
        self.conn
            .pragma_update_and_check(None, "journal_mode", "delete", |_| Ok(()))?;
        let rekeyed = self.conn.pragma_update(None, "rekey", new_key.0.as_str());
        self.conn
            .pragma_update_and_check(None, "journal_mode", "wal", |_| Ok(()))?;
        rekeyed?;
        let old_chain_key = self.key.as_ref().map(Key::chain_key);
        self.key = Some(new_key.clone());
        self.resign_chain(
            old_chain_key.as_ref(),
            Some(new_key),
            "the database key was changed",
        )
    }

    /// True when the store was opened with a key (its backups are encrypted too).
    pub fn is_encrypted(&self) -> bool {
        self.key.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_encrypted_panel_with_an_unkeyed_chain_is_re_signed_when_opened() {
        // As an older version left an encrypted panel: the file encrypted,
        // its chain plain SHA-256, its schema one before the keyed chain.
        let dir = tempfile::tempdir().expect("tempdir");
        let plain = dir.path().join("plain.db");
        let path = dir.path().join("panel.db");
        let mut store = Store::open(&plain).expect("new");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 6, 5).expect("date");
        store
            .add_meeting(
                day,
                chrono::NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
                chrono::NaiveTime::from_hms_opt(12, 0, 0).expect("time"),
                day.and_hms_opt(10, 0, 0).expect("time"),
            )
            .expect("meeting");
        drop(store);
        let conn = Connection::open(&plain).expect("open");
        super::super::migrations::undo_since_row_seals(&conn).expect("as schema 14 was");
        conn.pragma_update(
            None,
            "user_version",
            super::super::migrations::ROW_SEALS_VERSION - 1,
        )
        .expect("version");
        drop(conn);
        let key = Key::new("a passphrase").expect("key");
        export_encrypted(&plain, &path, &key).expect("encrypted, chain untouched");

        let store = Store::open_keyed(&path, Some(&key)).expect("upgrades");
        let check = store.verify_audit().expect("verify");
        assert_eq!(check.chain, super::super::audit::ChainKind::HmacSha256);
        assert!(check.findings.is_empty(), "{:?}", check.findings);
        assert!(
            store.audit_entries().expect("audit").iter().any(|e| e
                .change
                .contains("because the database is encrypted and its chain is now keyed")),
            "the re-signing is an audit entry"
        );
    }
}
