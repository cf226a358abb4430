//! The app's own settings, kept per person on this computer (not in the
//! panel's database, which several people share): today, the initials the
//! audit records for every change made in the app. A small text file,
//! `initials = "JB"`, in the operating system's settings folder for the
//! user (or the file `PERMANENCE_PANEL_SETTINGS` names).

use std::path::{Path, PathBuf};

/// The environment variable naming another settings file (scripts, tests).
pub const SETTINGS_ENV: &str = "PERMANENCE_PANEL_SETTINGS";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Who sits at this computer, for the audit (1 to 5 letters).
    pub initials: Option<String>,
}

/// Where this user's settings live on this computer.
pub fn path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(SETTINGS_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    directories::ProjectDirs::from("", "", "permanence-panel")
        .map(|dirs| dirs.config_dir().join("settings.toml"))
}

/// The settings in `path`; none yet when the file does not exist. A line
/// that cannot be read is named with the file and what was expected.
pub fn load(path: &Path) -> Result<Settings, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
        Err(e) => return Err(format!("{}: cannot be read: {e}", path.display())),
    };
    let mut settings = Settings::default();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let value = line
            .strip_prefix("initials")
            .map(str::trim_start)
            .and_then(|rest| rest.strip_prefix('='))
            .map(|v| v.trim().trim_matches('"'));
        match value.map(crate::store::as_initials) {
            Some(Ok(initials)) => settings.initials = Some(initials),
            _ => {
                return Err(format!(
                    "{} line {}: expected initials = \"JB\" (1 to 5 letters)",
                    path.display(),
                    i + 1
                ));
            }
        }
    }
    Ok(settings)
}

/// Writes `settings` to `path` (its folder made if need be).
pub fn save(path: &Path, settings: &Settings) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut text = String::from("# permanence-panel: this person's settings on this computer\n");
    if let Some(initials) = &settings.initials {
        text.push_str(&format!("initials = \"{initials}\"\n"));
    }
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_are_saved_and_read_back_and_a_bad_line_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub").join("settings.toml");
        assert_eq!(load(&path), Ok(Settings::default()), "no file yet");
        let settings = Settings {
            initials: Some("JB".into()),
        };
        save(&path, &settings).expect("saved");
        assert_eq!(load(&path), Ok(settings));
        std::fs::write(&path, "initials = \"Jane Bloggs\"\n").expect("write");
        let err = load(&path).expect_err("a name is not initials");
        assert!(
            err.ends_with("line 1: expected initials = \"JB\" (1 to 5 letters)"),
            "{err}"
        );
    }
}
