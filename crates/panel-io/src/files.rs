//! Creating the files and folders we export, the way the database is kept:
//! readable by the owner only (files 0600, folders 0700), never written
//! through a symbolic link, and named from data only inside the folder the
//! user chose. Every export creates its files here.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// Creates (or empties) `path` for writing, owner-only. Refuses a symbolic
/// link at `path`, dangling or not, instead of writing where it points.
pub fn create_private(path: &Path) -> anyhow::Result<File> {
    refuse_link(path)?;
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NOFOLLOW closes the gap between the check above and the open.
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let file = options.open(path).map_err(|e| io_error(e, path))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // A file that existed keeps its mode on open: narrow it.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| io_error(e, path))?;
    }
    Ok(file)
}

/// Writes `bytes` to `path` as [`create_private`] does.
pub fn write_private(path: &Path, bytes: impl AsRef<[u8]>) -> anyhow::Result<()> {
    let mut file = create_private(path)?;
    file.write_all(bytes.as_ref())
        .and_then(|()| file.sync_all())
        .map_err(|e| io_error(e, path))
}

/// Creates `dir` and any missing parents, owner-only (0700); refuses a
/// symbolic link where the folder should be.
pub fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    refuse_link(dir)?;
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| io_error(e, dir))
}

/// `dir/name` for a file name built from data (a child id, a date), after
/// checking it is one plain name that stays inside `dir`: no separator, no
/// `..`, no control character, not empty.
pub fn inside(dir: &Path, name: &str) -> anyhow::Result<PathBuf> {
    let mut parts = Path::new(name).components();
    let plain = matches!(parts.next(), Some(Component::Normal(_)))
        && parts.next().is_none()
        && !name.contains(['/', '\\'])
        && !name.chars().any(char::is_control)
        && !name.starts_with('.');
    if !plain {
        anyhow::bail!(
            "{:?} is not a plain file name, so it is not written (it would land outside {})",
            name,
            dir.display()
        );
    }
    Ok(dir.join(name))
}

fn refuse_link(path: &Path) -> anyhow::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            let target = std::fs::read_link(path)
                .map(|t| format!(" (to {})", t.display()))
                .unwrap_or_default();
            let dangling = if path.exists() { "" } else { ", dangling" };
            anyhow::bail!(
                "{} is a symbolic link{target}{dangling}; exports never write through a link: remove it or choose another name",
                path.display()
            )
        }
        _ => Ok(()),
    }
}

/// An I/O error on `path` told in words that say what to do, never a bare
/// "os error".
pub fn io_error(e: std::io::Error, path: &Path) -> anyhow::Error {
    let what = explain_io(&e);
    anyhow::Error::new(e).context(format!("{}: {what}", path.display()))
}

/// What an I/O error means for the person at the keyboard.
pub fn explain_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::PermissionDenied | K::ReadOnlyFilesystem => {
            "cannot be written here (permission denied or read-only): choose a folder you can write to".to_owned()
        }
        K::StorageFull => "the disk is full: free some space and try again".to_owned(),
        K::AlreadyExists => "already exists: remove it or choose another name".to_owned(),
        K::NotFound => "its folder does not exist: create it or choose another".to_owned(),
        K::NotADirectory => "part of the path is a file, not a folder".to_owned(),
        K::IsADirectory => "is a folder, not a file: give a file name".to_owned(),
        _ if e.raw_os_error() == Some(libc::ELOOP) => {
            "is a symbolic link; exports never write through a link: remove it or choose another name".to_owned()
        }
        _ => format!("cannot be written ({e})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_refuses_names_that_escape_the_folder() {
        let dir = Path::new("/out");
        assert_eq!(
            inside(dir, "2026-01-05-C1.ics").unwrap(),
            dir.join("2026-01-05-C1.ics")
        );
        for bad in [
            "../escaped-C1.ics",
            "a/b.ics",
            "..",
            ".",
            "",
            "/etc/x",
            "a\u{1b}b",
            ".hidden",
            "a\\b",
        ] {
            assert!(inside(dir, bad).is_err(), "{bad:?}");
        }
    }
}
