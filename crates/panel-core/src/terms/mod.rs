//! A panel's terms of reference as data: cadence, membership by role, the
//! quorum rule, cohorts in priority order, paper deadlines and reports.
//!
//! Both real terms of reference ship as presets in `assets/terms/`, embedded
//! in the binary; a council can load its own from a path.

use std::path::{Path, PathBuf};

use chrono::{NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use crate::model::{CohortId, MemberKind, Provider};

const TELFORD: &str = include_str!("../../../../assets/terms/telford.toml");
const WILTSHIRE: &str = include_str!("../../../../assets/terms/wiltshire.toml");

/// The names of the built-in presets.
pub const PRESETS: &[&str] = &["telford", "wiltshire"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terms {
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub reports_to: String,
    pub cadence: Cadence,
    pub agenda: AgendaRules,
    /// Cohorts in priority order.
    pub cohorts: Vec<CohortId>,
    pub papers: Papers,
    pub roles: Vec<Role>,
    pub quorum: Quorum,
    #[serde(default)]
    pub reports: Vec<ReportDue>,
    /// Providers that count as external for `external-residential-12m`.
    #[serde(default = "default_external_providers", with = "provider_codes")]
    pub external_providers: Vec<Provider>,
    /// Owners of actions who are not panel members, offered as the owner
    /// is typed, after the standing ones (`STANDING_OWNERS`).
    #[serde(default)]
    pub action_owners: Vec<String>,
}

/// The owners every panel gives actions to who are not members of it:
/// offered by the action form's owner completion, with the terms' own.
pub const STANDING_OWNERS: [&str; 2] = ["Allocated social worker", "Team Manager"];

fn default_external_providers() -> Vec<Provider> {
    vec![Provider::PR2, Provider::PR3, Provider::PR4, Provider::PR5]
}

mod provider_codes {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use crate::model::Provider;

    pub fn serialize<S: Serializer>(v: &[Provider], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|p| p.code()))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Provider>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|c| {
                Provider::parse(c)
                    .ok_or_else(|| D::Error::custom(format!("'{c}' is not {}", Provider::EXPECTED)))
            })
            .collect()
    }
}

/// When the panel meets: the n-th (or last) weekday of each month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cadence {
    pub week: WeekOfMonth,
    #[serde(with = "weekday_name")]
    pub weekday: Weekday,
    #[serde(with = "hh_mm")]
    pub start: NaiveTime,
    #[serde(with = "hh_mm")]
    pub end: NaiveTime,
    /// Which way to move a meeting that falls on a bank holiday.
    #[serde(default)]
    pub bank_holiday: BankHolidayMove,
    /// True when the terms of reference do not say and the preset assumes.
    #[serde(default)]
    pub assumed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WeekOfMonth {
    First,
    Second,
    Third,
    Fourth,
    Last,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BankHolidayMove {
    /// The working day before.
    #[default]
    Earlier,
    /// The working day after.
    Later,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaRules {
    #[serde(deserialize_with = "within::<_, 1, 240>")]
    pub slot_minutes: u32,
    #[serde(deserialize_with = "within::<_, 1, 36>")]
    pub rotation_months: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Papers {
    #[serde(deserialize_with = "within::<_, 0, 60>")]
    pub days_before: u32,
    #[serde(default)]
    pub working_days: bool,
    pub required: Vec<String>,
}

/// A seat on the panel, by role and job title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub id: String,
    pub job_title: String,
    #[serde(with = "member_kind")]
    pub kind: MemberKind,
    #[serde(default)]
    pub chair: bool,
}

/// The quorum rule: each requirement is filled by a different person present;
/// optionally a minimum number of standing members must be present too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quorum {
    /// True when the terms of reference state no quorum and this rule is ours.
    pub assumed: bool,
    #[serde(default)]
    pub min_standing: u32,
    pub requirements: Vec<QuorumRequirement>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuorumRequirement {
    pub label: String,
    /// Role ids any one of which fills the requirement.
    pub roles: Vec<String>,
    /// Whether a declared substitute for one of the roles fills it too.
    #[serde(default)]
    pub substitute: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportDue {
    pub id: String,
    pub title: String,
    #[serde(deserialize_with = "within::<_, 1, 24>")]
    pub every_months: u32,
}

/// A whole number of the terms within `LOW..=HIGH` (a paper deadline, a slot,
/// a rotation or report period): a value past the bounds is told at its
/// file:line:column when the preset is read, so no date arithmetic later
/// meets an absurd span. The bounds are listed in README.
fn within<'de, D: serde::Deserializer<'de>, const LOW: u32, const HIGH: u32>(
    d: D,
) -> Result<u32, D::Error> {
    use serde::de::Error;
    let value = i64::deserialize(d)?;
    match u32::try_from(value) {
        Ok(v) if (LOW..=HIGH).contains(&v) => Ok(v),
        _ => Err(D::Error::custom(format!(
            "{value} is out of bounds: expected a whole number from {LOW} to {HIGH}"
        ))),
    }
}

mod weekday_name {
    use chrono::Weekday;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(w: &Weekday, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::rules::dates::weekday_name(*w).to_lowercase())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Weekday, D::Error> {
        let text = String::deserialize(d)?;
        text.parse::<Weekday>()
            .map_err(|_| D::Error::custom(format!("'{text}' is not a day of the week")))
    }
}

mod hh_mm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.format("%H:%M").to_string())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(d)?;
        NaiveTime::parse_from_str(&text, "%H:%M")
            .map_err(|_| D::Error::custom(format!("'{text}' is not a time as HH:MM")))
    }
}

mod member_kind {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use crate::model::MemberKind;

    pub fn serialize<S: Serializer>(k: &MemberKind, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(k.id())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<MemberKind, D::Error> {
        let text = String::deserialize(d)?;
        MemberKind::parse(&text).ok_or_else(|| {
            D::Error::custom(format!(
                "'{text}' is not a kind (standing, adviser or presenter)"
            ))
        })
    }
}

/// A preset that could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum TermsError {
    #[error("{path}: cannot read the terms of reference: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Malformed {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

impl Terms {
    /// Loads a built-in preset by name (`telford`, `wiltshire`) or a TOML
    /// file by path.
    pub fn load(name_or_path: &str) -> Result<Terms, TermsError> {
        match name_or_path {
            "telford" => Terms::parse(TELFORD, "assets/terms/telford.toml"),
            "wiltshire" => Terms::parse(WILTSHIRE, "assets/terms/wiltshire.toml"),
            path => Terms::load_file(Path::new(path)),
        }
    }

    pub fn load_file(path: &Path) -> Result<Terms, TermsError> {
        let text = std::fs::read_to_string(path).map_err(|source| TermsError::Read {
            path: path.to_owned(),
            source,
        })?;
        Terms::parse(&text, &path.display().to_string())
    }

    /// Parses a preset; `origin` names the file in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Terms, TermsError> {
        let terms: Terms = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|span| line_and_column(text, span.start))
                .unwrap_or((1, 1));
            TermsError::Malformed {
                path: origin.to_owned(),
                line,
                column,
                message: e.message().to_owned(),
            }
        })?;
        terms.validate().map_err(|message| TermsError::Invalid {
            path: origin.to_owned(),
            message,
        })?;
        Ok(terms)
    }

    /// Checks what serde cannot: references between parts of the preset.
    fn validate(&self) -> Result<(), String> {
        for requirement in &self.quorum.requirements {
            for role in &requirement.roles {
                if self.role(role).is_none() {
                    return Err(format!(
                        "quorum requirement '{}' names role '{role}', which is not among the roles",
                        requirement.label
                    ));
                }
            }
        }
        if self.cadence.end <= self.cadence.start {
            return Err("cadence: the meeting must end after it starts".into());
        }
        let standing = self
            .roles
            .iter()
            .filter(|r| r.kind == MemberKind::Standing)
            .count() as u32;
        if self.quorum.min_standing > standing {
            return Err(format!(
                "quorum: min_standing is {} but the preset has only {standing} standing roles",
                self.quorum.min_standing
            ));
        }
        Ok(())
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    /// The built-in preset texts, for tests and `terms show`.
    pub fn preset_text(name: &str) -> Option<&'static str> {
        match name {
            "telford" => Some(TELFORD),
            "wiltshire" => Some(WILTSHIRE),
            _ => None,
        }
    }
}

/// 1-based line and column of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_presets_load() {
        let w = Terms::load("wiltshire").unwrap();
        assert_eq!(w.cadence.weekday, Weekday::Fri);
        assert_eq!(w.cadence.week, WeekOfMonth::Last);
        assert_eq!(w.cadence.start, NaiveTime::from_hms_opt(9, 30, 0).unwrap());
        assert_eq!(w.cadence.end, NaiveTime::from_hms_opt(13, 0, 0).unwrap());
        assert!(!w.quorum.assumed);
        assert_eq!(w.quorum.requirements.len(), 3);
        assert_eq!(w.cohorts.last(), Some(&CohortId::TrackedFromThirdReview));
        assert_eq!(w.papers.days_before, 7);

        let t = Terms::load("telford").unwrap();
        assert!(t.quorum.assumed, "Telford's terms state no quorum");
        assert!(t.cadence.assumed);
        assert_eq!(
            t.cohorts,
            vec![
                CohortId::NoParentalResponsibility,
                CohortId::PlacementOrder9m,
                CohortId::CareOrderLtfUnmatched,
                CohortId::Foster12m,
                CohortId::Home12m,
                CohortId::ExternalResidential12m,
            ]
        );
        assert_eq!(t.external_providers.len(), 4);
    }

    #[test]
    fn presets_carry_no_personal_names_or_emails() {
        // Names that appear in the real terms of reference must never be in a preset.
        let names = [
            "Britton",
            "White",
            "Yapp",
            "Partridge",
            "Smith",
            "Netty",
            "Llewellyn",
            "Sara James",
            "Pritchard",
            "Jay Williams",
            "Wheeler",
            "Payne",
        ];
        for preset in PRESETS {
            let text = Terms::preset_text(preset).unwrap();
            assert!(!text.contains('@'), "{preset} has an email address");
            for name in names {
                assert!(!text.contains(name), "{preset} names {name}");
            }
        }
    }

    #[test]
    fn malformed_preset_names_file_line_and_column() {
        let text = Terms::preset_text("wiltshire")
            .unwrap()
            .replace("weekday = \"friday\"", "weekday = \"fryday\"");
        let err = Terms::parse(&text, "council.toml").unwrap_err();
        let line = text.lines().position(|l| l.contains("fryday")).unwrap() + 1;
        match &err {
            TermsError::Malformed {
                path,
                line: l,
                column,
                message,
            } => {
                assert_eq!(path, "council.toml");
                assert_eq!(*l, line);
                assert_eq!(*column, 11, "the value starts after 'weekday = '");
                assert!(message.contains("fryday"), "{message}");
            }
            other => panic!("expected Malformed, got {other:?}"),
        }
        assert!(
            err.to_string()
                .starts_with(&format!("council.toml:{line}:11: "))
        );
    }

    #[test]
    fn values_out_of_bounds_name_file_line_and_column() {
        let wiltshire = Terms::preset_text("wiltshire").unwrap();
        for (line_of, from, to, bounds) in [
            (
                "days_before",
                "days_before = 7",
                "days_before = 100000000",
                "0 to 60",
            ),
            (
                "days_before",
                "days_before = 7",
                "days_before = 61",
                "0 to 60",
            ),
            (
                "slot_minutes",
                "slot_minutes = 15",
                "slot_minutes = 0",
                "1 to 240",
            ),
            (
                "slot_minutes",
                "slot_minutes = 15",
                "slot_minutes = -5",
                "1 to 240",
            ),
            (
                "rotation_months",
                "rotation_months = 3",
                "rotation_months = 4294967296",
                "1 to 36",
            ),
            (
                "every_months",
                "every_months = 6",
                "every_months = 0",
                "1 to 24",
            ),
        ] {
            let text = wiltshire.replace(from, to);
            let line = text.lines().position(|l| l.starts_with(line_of)).unwrap() + 1;
            let column = line_of.len() + 4;
            let err = Terms::parse(&text, "council.toml").unwrap_err().to_string();
            assert!(
                err.starts_with(&format!("council.toml:{line}:{column}: ")),
                "{to}: {err}"
            );
            assert!(err.contains(bounds), "{to}: {err}");
        }
        let edge = wiltshire
            .replace("days_before = 7", "days_before = 60")
            .replace("slot_minutes = 15", "slot_minutes = 240");
        assert!(Terms::parse(&edge, "council.toml").is_ok());
    }

    #[test]
    fn unknown_role_in_quorum_is_refused() {
        let text = Terms::preset_text("wiltshire").unwrap().replace(
            "roles = [\"service-manager-crs\", \"iro\"]",
            "roles = [\"nobody\"]",
        );
        let err = Terms::parse(&text, "x.toml").unwrap_err();
        assert!(err.to_string().contains("'nobody'"), "{err}");
    }

    #[test]
    fn missing_file_is_a_clear_error() {
        let err = Terms::load("/nonexistent/terms.toml").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("/nonexistent/terms.toml: cannot read"),
            "{err}"
        );
    }
}
