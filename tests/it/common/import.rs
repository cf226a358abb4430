//! What the import tests through the library start from: the files in
//! `tests/fixtures/import`, files written to a test's own folder, and the
//! one moment every import is made at.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use sha2::{Digest, Sha256};
use tempfile::TempDir;

/// When the imports are made: 27/11/2026, 09:45.
pub fn at() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 27)
        .unwrap()
        .and_hms_opt(9, 45, 0)
        .unwrap()
}

/// A date written day, month, year, as the fixtures read.
pub fn date(d: u32, m: u32, y: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A file of `tests/fixtures/import`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// `content` written to `name` in `dir`.
pub fn write(dir: &TempDir, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// The SHA-256 of the file's bytes, in lower-case hex as the import record
/// keeps it.
pub fn sha256_hex(path: &Path) -> String {
    let digest = Sha256::digest(std::fs::read(path).unwrap());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
