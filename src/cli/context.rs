//! What every subcommand is given: the database it works on (found once,
//! opened by the one function that fits the job), the key source, the clock.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use chrono::NaiveDate;

use super::crypto::KeySource;
use super::paths::database_path;
use crate::clock::Clock;
use crate::model::Meeting;
use crate::rules::dates::dmy;
use crate::store::Store;
use crate::terms::Terms;

/// The setting that records the panel's terms of reference.
pub const TERMS_SETTING: &str = "terms";

pub struct Ctx<'a> {
    /// `--db` as given (the demo reads it as its own file).
    pub db_flag: Option<PathBuf>,
    pub keys: KeySource,
    pub clock: &'a dyn Clock,
}

impl Ctx<'_> {
    /// The database's path: `--db`, else `$PERMANENCE_PANEL_DB`, else the
    /// data directory's `panel.db`.
    pub fn path(&self) -> anyhow::Result<PathBuf> {
        database_path(self.db_flag.clone())
    }

    /// Opens the database, creating it if need be (init, import), with its
    /// key when it has one.
    pub fn open(&self) -> anyhow::Result<Store> {
        let path = self.path()?;
        let key = self.keys.for_db(&path)?;
        Ok(Store::open_keyed(&path, key.as_ref())?)
    }

    /// Opens a database that must already exist (reports never create one).
    pub fn open_existing(&self) -> anyhow::Result<Store> {
        let path = self.existing_path()?;
        let key = self.keys.for_db(&path)?;
        Ok(Store::open_existing_keyed(&path, key.as_ref())?)
    }

    /// Opens an existing database read-only (audit, subject access, the
    /// presenter view).
    pub fn open_read_only(&self) -> anyhow::Result<Store> {
        let path = self.existing_path()?;
        let key = self.keys.for_db(&path)?;
        Ok(Store::open_read_only_keyed(&path, key.as_ref())?)
    }

    /// The path, when the database exists.
    pub fn existing_path(&self) -> anyhow::Result<PathBuf> {
        existing(&self.path()?)
    }
}

/// The path, when the database exists (reports never create one).
pub fn existing(path: &Path) -> anyhow::Result<PathBuf> {
    if !path.exists() {
        anyhow::bail!(
            "{}: no such database. Import a return first (permanence-panel --db {} import 903 FILES) or give --db.",
            path.display(),
            path.display()
        );
    }
    Ok(path.to_owned())
}

/// The terms asked for, else the panel's own (set by `init` or the demo).
pub fn panel_terms(store: &Store, asked: Option<&str>) -> anyhow::Result<Terms> {
    if let Some(name) = asked {
        return Ok(Terms::load(name)?);
    }
    match store.setting(TERMS_SETTING)? {
        Some(name) => Ok(Terms::load(&name)?),
        None => anyhow::bail!(
            "this panel has no terms of reference yet: run `permanence-panel init --terms wiltshire` (or another preset: telford, coventry, central-bedfordshire, knowsley, calderdale; or a path), or give --terms"
        ),
    }
}

/// The meeting held (or planned) on `day`, or a message naming the days
/// the panel has meetings on.
pub fn meeting_on(store: &Store, day: NaiveDate) -> anyhow::Result<Meeting> {
    if let Some(m) = store.meeting_on(day)? {
        return Ok(m);
    }
    let known: Vec<String> = store
        .meetings()?
        .iter()
        .map(|m| m.date.format("%Y-%m-%d").to_string())
        .collect();
    let known = if known.is_empty() {
        "the panel has no meetings yet".to_owned()
    } else {
        format!("meetings: {}", known.join(", "))
    };
    anyhow::bail!("there is no meeting on {} ({known})", dmy(day))
}

/// The file the app locks while it has `db` open for writing.
pub fn app_lock_path(db: &Path) -> PathBuf {
    db.with_extension("app-lock")
}

/// Opens (creating it if need be) the app's lock file; the caller tries
/// the lock.
pub fn open_app_lock(lock_path: &Path) -> anyhow::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path)
        .with_context(|| format!("cannot create {}", lock_path.display()))
}
