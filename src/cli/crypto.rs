//! Where the database key comes from, and the `encrypt` and `rekey`
//! commands.
//!
//! Key sources, first found wins: `--key-file FILE`, the environment
//! variable `PERMANENCE_PANEL_KEY`, else (only when the file is encrypted and
//! standard input is a terminal) a prompt that does not echo (rpassword, which
//! reads the terminal itself, so piped input is never taken for a key).

use super::context::Ctx;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::store::{
    BackupOwner, FileKind, Key, Store, backup_owner, backups_dir, encrypt_file, file_kind,
};

/// The environment variable holding the database key.
pub const KEY_ENV: &str = "PERMANENCE_PANEL_KEY";
/// The environment variable holding the new key for `rekey`.
pub const NEW_KEY_ENV: &str = "PERMANENCE_PANEL_NEW_KEY";

/// The key sources the command line was given.
#[derive(Debug, Clone, Default)]
pub struct KeySource {
    pub key_file: Option<PathBuf>,
}

impl KeySource {
    /// The key for the database at `db`: `--key-file`, else
    /// `PERMANENCE_PANEL_KEY`, else asked at the terminal when the file is
    /// encrypted, else none (a plain file).
    pub fn for_db(&self, db: &Path) -> anyhow::Result<Option<Key>> {
        if let Some(key) = self.given(self.key_file.as_deref(), KEY_ENV)? {
            return Ok(Some(key));
        }
        if file_kind(db).ok() == Some(FileKind::Encrypted) && std::io::stdin().is_terminal() {
            return ask(&format!("Key for {}: ", db.display())).map(Some);
        }
        Ok(None)
    }

    /// A key from a file or an environment variable, if either was given.
    fn given(&self, file: Option<&Path>, env: &str) -> anyhow::Result<Option<Key>> {
        if let Some(file) = file {
            return read_key_file(file).map(Some);
        }
        match std::env::var(env) {
            Ok(text) if !text.is_empty() => Ok(Some(Key::new(text)?)),
            Err(std::env::VarError::NotUnicode(_)) => {
                anyhow::bail!("{env} is not valid UTF-8 text")
            }
            _ => Ok(None),
        }
    }

    /// A new key (for `encrypt`, or `rekey` with `NEW_KEY_ENV`): from the
    /// file or the variable, else asked twice at the terminal.
    fn new_key(&self, file: Option<&Path>, env: &str, db: &Path) -> anyhow::Result<Key> {
        if let Some(key) = self.given(file, env)? {
            return Ok(key);
        }
        if !std::io::stdin().is_terminal() {
            anyhow::bail!(
                "{}: no new key given: give it with {} or the {env} environment variable",
                db.display(),
                if env == KEY_ENV {
                    "--key-file FILE"
                } else {
                    "--new-key-file FILE"
                }
            );
        }
        let first = ask(&format!("New key for {}: ", db.display()))?;
        let again = ask("The same key again: ")?;
        if first != again {
            anyhow::bail!("the two keys differ; nothing was changed");
        }
        Ok(first)
    }
}

fn ask(prompt: &str) -> anyhow::Result<Key> {
    let text =
        rpassword::prompt_password(prompt).context("cannot read the key from the terminal")?;
    Ok(Key::new(text)?)
}

/// The key file's text, without the line end an editor adds.
fn read_key_file(path: &Path) -> anyhow::Result<Key> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read the key file", path.display()))?;
    warn_if_others_can_read(path);
    let key = text.strip_suffix('\n').unwrap_or(&text);
    let key = key.strip_suffix('\r').unwrap_or(key);
    Key::new(key).with_context(|| format!("{}: no key in the key file", path.display()))
}

#[cfg(unix)]
fn warn_if_others_can_read(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tell!(
            "permanence-panel: warning: {} can be read by other users; make it yours only (chmod 600)",
            path.display()
        );
    }
}

#[cfg(not(unix))]
fn warn_if_others_can_read(_path: &Path) {}

/// Holds the app's lock on `db` for the length of an `encrypt` or `rekey`:
/// the app writing to the file while it is replaced or rekeyed would lose
/// the meeting's changes.
fn app_closed(db: &Path) -> anyhow::Result<std::fs::File> {
    let lock_path = super::context::app_lock_path(db);
    let lock = super::context::open_app_lock(&lock_path)?;
    match lock.try_lock() {
        Ok(()) => Ok(lock),
        Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
            "{}: the app has this database open; close it first. Nothing was changed.",
            db.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            anyhow::bail!("cannot lock {}: {e}", lock_path.display())
        }
    }
}

/// `encrypt`: the plain database, then its automatic backups, encrypted
/// under one key. Nothing plain is kept.
pub fn encrypt(db: &Path, keys: &KeySource, out: &mut dyn Write) -> anyhow::Result<()> {
    let _lock = app_closed(db)?;
    if file_kind(db)? == FileKind::Encrypted {
        anyhow::bail!(
            "{}: already encrypted; to change its key use `permanence-panel rekey`",
            db.display()
        );
    }
    let key = keys.new_key(keys.key_file.as_deref(), KEY_ENV, db)?;
    // Opening brings the schema up to date and proves the file is ours and
    // whole before it is copied.
    let store = Store::open(db)?;
    store.check_integrity()?;
    let panel_id = store.panel_id()?.unwrap_or_default();
    drop(store);
    encrypt_file(db, &key)?;
    writeln!(out, "Encrypted {}", db.display())?;
    let Backups {
        done,
        failed,
        skipped,
    } = encrypt_backups(db, &panel_id, &key);
    if done > 0 {
        writeln!(
            out,
            "Encrypted {done} backup(s) in {} with the same key",
            backups_dir(db).display()
        )?;
    }
    if !skipped.is_empty() {
        writeln!(
            out,
            "Left {} backup(s) of other panels in {} as they are: {}",
            skipped.len(),
            backups_dir(db).display(),
            skipped
                .iter()
                .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect::<Vec<_>>()
                .join(", ")
        )?;
    }
    for (file, e) in &failed {
        writeln!(
            out,
            "Could not encrypt the backup {}: {e}. It is still plain: delete it, or encrypt it with `permanence-panel --db {} encrypt`.",
            file.display(),
            file.display()
        )?;
    }
    writeln!(
        out,
        "Keep the key away from the database (not in the same folder, not on the same disk). Copies you made elsewhere before now (backup --out) are still plain: delete them. Minutes, trackers, reports and exports are always written as plain files: store them accordingly."
    )?;
    if !failed.is_empty() {
        anyhow::bail!("{} backup(s) are still plain", failed.len());
    }
    Ok(())
}

/// Encrypts the plain automatic backups beside `db`: a plain copy of an
/// encrypted database is the leak encryption is meant to stop.
/// What `encrypt` did to the plain backups in the backups folder.
#[derive(Default)]
struct Backups {
    done: usize,
    failed: Vec<(PathBuf, anyhow::Error)>,
    /// Another panel's (sharing the folder): never touched.
    skipped: Vec<PathBuf>,
}

fn encrypt_backups(db: &Path, panel_id: &str, key: &Key) -> Backups {
    let mut result = Backups::default();
    let Ok(entries) = std::fs::read_dir(backups_dir(db)) else {
        return result;
    };
    let mut plain: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "db"))
        .filter(|p| file_kind(p).ok() == Some(FileKind::Plain))
        .collect();
    plain.sort();
    for file in plain {
        if backup_owner(db, panel_id, &file, None) != BackupOwner::Ours {
            result.skipped.push(file);
            continue;
        }
        match encrypt_file(&file, key) {
            Ok(()) => result.done += 1,
            Err(e) => result.failed.push((file, e.into())),
        }
    }
    result
}

/// `rekey`: the key of an encrypted database changed in place.
pub fn rekey(
    db: &Path,
    keys: &KeySource,
    new_key_file: Option<&Path>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let _lock = app_closed(db)?;
    if file_kind(db)? != FileKind::Encrypted {
        anyhow::bail!(
            "{}: not encrypted; encrypt it with `permanence-panel --db {} encrypt`",
            db.display(),
            db.display()
        );
    }
    let Some(old) = keys.for_db(db)? else {
        anyhow::bail!(crate::store::StoreError::Encrypted {
            path: db.display().to_string()
        });
    };
    let mut store = Store::open_keyed(db, Some(&old))?;
    let new = keys.new_key(new_key_file, NEW_KEY_ENV, db)?;
    store.rekey(&new)?;
    writeln!(
        out,
        "Changed the key of {}. Backups taken before keep the old key: keep it while you keep them.",
        db.display()
    )?;
    Ok(())
}

#[derive(Debug, clap::Args)]
pub struct RekeyArgs {
    #[arg(long, value_name = "FILE")]
    pub new_key_file: Option<PathBuf>,
}

impl RekeyArgs {
    pub fn run(self, ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
        let path = ctx.existing_path()?;
        rekey(&path, &ctx.keys, self.new_key_file.as_deref(), out)?;
        Ok(0)
    }
}

/// `encrypt`, on the database the context names.
pub fn run_encrypt(ctx: &Ctx, out: &mut dyn Write) -> anyhow::Result<i32> {
    let path = ctx.existing_path()?;
    encrypt(&path, &ctx.keys, out)?;
    Ok(0)
}
