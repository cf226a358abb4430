//! The yearly targets of the action plan, from a small TOML file the
//! council writes (`assets/targets-example.toml` shows every key).

use std::path::Path;

use serde::Deserialize;

/// The targets file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// E.g. "Action plan 2026/27".
    pub title: Option<String>,
    #[serde(default)]
    pub targets: TargetValues,
}

/// One target per measure; a measure without one shows "not set".
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TargetValues {
    /// Children adopted (REC E11, E12).
    pub adoption: Option<f64>,
    /// Children leaving care on a special guardianship order (E43-E48).
    pub sgo: Option<f64>,
    /// Children leaving care on a child arrangements order (E41).
    pub cao: Option<f64>,
    /// Children returning home as part of the care plan (E4A).
    pub return_home: Option<f64>,
    /// Long-term fostering matches agreed.
    pub long_term_fostering_ratified: Option<f64>,
    /// Distinct children heard by the panel.
    pub children_heard: Option<f64>,
    /// Percentage of actions done on or before their deadline.
    pub actions_on_time_percent: Option<f64>,
}

/// Why a targets file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TargetsError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: String, message: String },
}

impl Targets {
    pub fn parse(text: &str) -> Result<Targets, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    pub fn load(path: &Path) -> Result<Targets, TargetsError> {
        let text = std::fs::read_to_string(path).map_err(|source| TargetsError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Targets::parse(&text).map_err(|message| TargetsError::Parse {
            path: path.display().to_string(),
            message,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_file_reads_with_every_target() {
        let text = include_str!("../../../../assets/targets-example.toml");
        let t = Targets::parse(text).expect("the example parses");
        let v = &t.targets;
        for (name, value) in [
            ("adoption", v.adoption),
            ("sgo", v.sgo),
            ("cao", v.cao),
            ("return-home", v.return_home),
            (
                "long-term-fostering-ratified",
                v.long_term_fostering_ratified,
            ),
            ("children-heard", v.children_heard),
            ("actions-on-time-percent", v.actions_on_time_percent),
        ] {
            assert!(value.is_some(), "{name} is missing from the example");
        }
    }

    #[test]
    fn a_misspelt_target_is_refused_with_its_name() {
        let err = Targets::parse("[targets]\nadoptions = 3\n").expect_err("refused");
        assert!(err.contains("adoptions"), "{err}");
    }
}
