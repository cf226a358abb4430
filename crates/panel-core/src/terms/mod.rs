//! A panel's terms of reference as data: cadence, membership by role, the
//! quorum rule, cohorts in priority order, paper deadlines and reports.
//!
//! Both real terms of reference ship as presets in `assets/terms/`, embedded
//! in the binary; a council can load its own from a path.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use crate::model::{CohortId, MemberKind, Provider};
use crate::rules::blocks::{self, CohortRule};

const TELFORD: &str = include_str!("../../../../assets/terms/telford.toml");
const WILTSHIRE: &str = include_str!("../../../../assets/terms/wiltshire.toml");
const COVENTRY: &str = include_str!("../../../../assets/terms/coventry.toml");
const CENTRAL_BEDFORDSHIRE: &str =
    include_str!("../../../../assets/terms/central-bedfordshire.toml");
const KNOWSLEY: &str = include_str!("../../../../assets/terms/knowsley.toml");
const CALDERDALE: &str = include_str!("../../../../assets/terms/calderdale.toml");

/// The names of the built-in presets.
pub const PRESETS: &[&str] = &[
    "telford",
    "wiltshire",
    "coventry",
    "central-bedfordshire",
    "knowsley",
    "calderdale",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terms {
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub reports_to: String,
    pub cadence: Cadence,
    pub agenda: AgendaRules,
    /// Cohorts in priority order (the order of `[[cohort]]` when the
    /// preset gives no `cohorts` list).
    #[serde(default, deserialize_with = "listed_ids")]
    pub cohorts: Vec<CohortId>,
    /// Each cohort's definition: title, condition and since.
    #[serde(default, rename = "cohort")]
    pub cohort_rules: Vec<CohortRule>,
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
    /// The kinds of item the panel hears, each with its outcomes, papers
    /// and decision-maker (`[[item_type]]`; a tracking review alone when
    /// the preset names none).
    #[serde(default = "items::default_item_types", rename = "item_type")]
    pub item_types: Vec<ItemType>,
}

/// The owners every panel gives actions to who are not members of it:
/// offered by the action form's owner completion, with the terms' own.
pub const STANDING_OWNERS: [&str; 2] = ["Allocated social worker", "Team Manager"];

/// The ids of the `cohorts` list; each is checked against the `[[cohort]]`
/// definitions once the whole preset is read.
fn listed_ids<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<CohortId>, D::Error> {
    Ok(Vec::<String>::deserialize(d)?
        .iter()
        .map(|id| CohortId::define_id(id))
        .collect())
}

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

/// When the panel sits: each month on given weeks (the n-th or last
/// weekday, once or several times a month), every week, or every other week
/// from a day it sat; with its hours and what a bank holiday does.
///
/// ```toml
/// [cadence]
/// week = "last"                 # monthly (the default): first ... fourth, last,
/// weekday = "friday"            #   or a list: week = ["first", "third"]
/// # every = "week"              # weekly, on weekday (or a list of weekdays)
/// # every = "fortnight"         # every other week, counted from anchor
/// # anchor = "2027-01-07"
/// start = "09:30"
/// end = "13:00"
/// bank_holiday = "earlier"      # earlier, later or skip
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "CadenceFields", into = "CadenceFields")]
pub struct Cadence {
    pub every: Every,
    /// With `Every::Month`: the weeks of the month it sits in.
    pub weeks: Vec<WeekOfMonth>,
    /// The days of the week it sits on (one for most panels).
    pub weekdays: Vec<Weekday>,
    /// With `Every::Fortnight`: a day it sits on; the fortnights count from it.
    pub anchor: Option<NaiveDate>,
    pub start: NaiveTime,
    pub end: NaiveTime,
    /// Which way to move a sitting that falls on a bank holiday.
    pub bank_holiday: BankHolidayMove,
    /// True when the terms of reference do not say and the preset assumes.
    pub assumed: bool,
}

/// How often the panel sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Every {
    /// On the given weeks of each month.
    #[default]
    Month,
    /// Every week.
    Week,
    /// Every other week, counted from an anchor day.
    Fortnight,
}

/// One value or a list of them, as a preset may write either.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

/// By hand, not `untagged`, so that a wrong value is reported at the value
/// with its own message rather than "did not match any variant".
impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Visit<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a value or a list of values")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                T::deserialize(serde::de::value::StrDeserializer::<E>::new(v)).map(OneOrMany::One)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<Self::Value, A::Error> {
                Vec::<T>::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
                    .map(OneOrMany::Many)
            }
        }
        d.deserialize_any(Visit(std::marker::PhantomData))
    }
}

impl<T> OneOrMany<T> {
    fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(t) => vec![t],
            OneOrMany::Many(v) => v,
        }
    }
    fn from_vec(mut v: Vec<T>) -> Self {
        if v.len() == 1 {
            OneOrMany::One(v.remove(0))
        } else {
            OneOrMany::Many(v)
        }
    }
}

/// The cadence as the preset writes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CadenceFields {
    #[serde(default)]
    every: Every,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    week: Option<OneOrMany<WeekOfMonth>>,
    weekday: OneOrMany<DayName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    anchor: Option<IsoDate>,
    #[serde(with = "hh_mm")]
    start: NaiveTime,
    #[serde(with = "hh_mm")]
    end: NaiveTime,
    #[serde(default)]
    bank_holiday: BankHolidayMove,
    #[serde(default)]
    assumed: bool,
}

/// A day of the week as a preset writes it ("friday"); a wrong one is
/// reported at the value itself.
#[derive(Debug, Clone, Copy, PartialEq)]
struct DayName(Weekday);

impl Serialize for DayName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::rules::dates::weekday_name(self.0).to_lowercase())
    }
}

impl<'de> Deserialize<'de> for DayName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse::<Weekday>().map(DayName).map_err(|_| {
            <D::Error as serde::de::Error>::custom(format!("'{text}' is not a day of the week"))
        })
    }
}

/// A date as a preset writes it (YYYY-MM-DD).
#[derive(Debug, Clone, Copy, PartialEq)]
struct IsoDate(NaiveDate);

impl Serialize for IsoDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.format("%Y-%m-%d").to_string())
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map(IsoDate)
            .map_err(|_| {
                <D::Error as serde::de::Error>::custom(format!(
                    "'{text}' is not a date as YYYY-MM-DD"
                ))
            })
    }
}

impl TryFrom<CadenceFields> for Cadence {
    type Error = String;

    fn try_from(f: CadenceFields) -> Result<Cadence, String> {
        let weekdays: Vec<Weekday> = f.weekday.into_vec().into_iter().map(|d| d.0).collect();
        if weekdays.is_empty() {
            return Err("cadence: give the weekday the panel sits on".into());
        }
        let weeks = f.week.map(OneOrMany::into_vec).unwrap_or_default();
        let anchor = f.anchor.map(|d| d.0);
        match f.every {
            Every::Month if weeks.is_empty() => {
                return Err(
                    "cadence: a monthly panel needs its week (first, second, third, fourth or last)"
                        .into(),
                );
            }
            Every::Week | Every::Fortnight if !weeks.is_empty() => {
                return Err(format!(
                    "cadence: week goes with a monthly panel, not every = \"{}\"",
                    if f.every == Every::Week {
                        "week"
                    } else {
                        "fortnight"
                    }
                ));
            }
            Every::Fortnight if anchor.is_none() => {
                return Err(
                    "cadence: a fortnightly panel needs an anchor, a day it sits on (YYYY-MM-DD)"
                        .into(),
                );
            }
            _ => {}
        }
        if let Some(day) = anchor
            && !weekdays.contains(&day.weekday())
        {
            return Err(format!(
                "cadence: the anchor {} is a {}, not a day the panel sits on",
                day.format("%Y-%m-%d"),
                crate::rules::dates::weekday_name(day.weekday())
            ));
        }
        Ok(Cadence {
            every: f.every,
            weeks,
            weekdays,
            anchor,
            start: f.start,
            end: f.end,
            bank_holiday: f.bank_holiday,
            assumed: f.assumed,
        })
    }
}

impl From<Cadence> for CadenceFields {
    fn from(c: Cadence) -> CadenceFields {
        CadenceFields {
            every: c.every,
            week: (!c.weeks.is_empty()).then(|| OneOrMany::from_vec(c.weeks)),
            weekday: OneOrMany::from_vec(c.weekdays.into_iter().map(DayName).collect()),
            anchor: c.anchor.map(IsoDate),
            start: c.start,
            end: c.end,
            bank_holiday: c.bank_holiday,
            assumed: c.assumed,
        }
    }
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
    /// No sitting that day (a panel that sits every week waits for the next).
    Skip,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaRules {
    #[serde(deserialize_with = "within::<_, 1, 240>")]
    pub slot_minutes: u32,
    #[serde(deserialize_with = "within::<_, 1, 36>")]
    pub rotation_months: u32,
    /// The most children heard at one sitting, where the terms cap it
    /// (Dorset: "5 or 6 cases a day"); otherwise the sitting's time decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_children: Option<u32>,
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
    /// Attends as required (Telford's legal adviser): minuted when present,
    /// never counted towards quorum.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub as_required: bool,
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
    /// The roles that attend as required and so never count (from the
    /// roles marked `as_required`, filled in when the preset is read).
    #[serde(skip)]
    pub as_required: Vec<String>,
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

pub mod items;
pub mod words;

pub use items::ItemType;

#[cfg(test)]
mod preset_cohorts;

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
    /// Loads a built-in preset by name (`telford`, `wiltshire`, `coventry`,
    /// `central-bedfordshire`, `knowsley`, `calderdale`) or a TOML file by
    /// path.
    pub fn load(name_or_path: &str) -> Result<Terms, TermsError> {
        match Terms::preset_text(name_or_path) {
            Some(text) => Terms::parse(text, &format!("assets/terms/{name_or_path}.toml")),
            None => Terms::load_file(Path::new(name_or_path)),
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
                message: in_our_words(e.message()),
            }
        })?;
        let mut terms = terms;
        terms.check_cohorts(text, origin)?;
        terms.quorum.as_required = terms
            .roles
            .iter()
            .filter(|r| r.as_required)
            .map(|r| r.id.clone())
            .collect();
        terms.validate().map_err(|message| TermsError::Invalid {
            path: origin.to_owned(),
            message,
        })?;
        Ok(terms)
    }

    /// The cohorts' cross-references, told at the place in the file: an id
    /// defined twice, listed but not defined, defined but not listed, or a
    /// since no block of the cohort gives. Records each cohort's titles.
    fn check_cohorts(&mut self, text: &str, origin: &str) -> Result<(), TermsError> {
        let spans: CohortSpans = toml::from_str(text).unwrap_or_default();
        let at = |span: Option<std::ops::Range<usize>>, message: String| {
            let (line, column) = span.map_or((1, 1), |s| line_and_column(text, s.start));
            TermsError::Malformed {
                path: origin.to_owned(),
                line,
                column,
                message,
            }
        };
        let id_span = |i: usize| spans.cohort.get(i).map(|c| c.id.span());
        for (i, rule) in self.cohort_rules.iter().enumerate() {
            if self.cohort_rules[..i].iter().any(|r| r.id == rule.id) {
                return Err(at(
                    id_span(i),
                    format!("the cohort id '{}' is defined twice", rule.id),
                ));
            }
            if !rule.when.iter().any(|b| blocks::offers(b, rule.since))
                && rule.since != blocks::Since::Period
            {
                return Err(at(
                    spans
                        .cohort
                        .get(i)
                        .and_then(|c| c.since.as_ref().map(|s| s.span())),
                    format!(
                        "cohort '{}': since = {} needs a block that gives {} whenever the cohort holds",
                        rule.id,
                        spans
                            .cohort
                            .get(i)
                            .and_then(|c| c.since.as_ref())
                            .map_or_else(String::new, |s| format!("\"{}\"", s.get_ref())),
                        rule.since.words()
                    ),
                ));
            }
        }
        if self.cohorts.is_empty() {
            self.cohorts = self.cohort_rules.iter().map(|r| r.id).collect();
        }
        for (i, id) in self.cohorts.iter().enumerate() {
            let span = || spans.cohorts.get(i).map(|s| s.span());
            if self.cohorts[..i].contains(id) {
                return Err(at(span(), format!("the cohort '{id}' is listed twice")));
            }
            if self.rule(*id).is_none() {
                return Err(at(
                    span(),
                    format!("the cohort '{id}' is listed but no [[cohort]] defines it"),
                ));
            }
        }
        for (i, rule) in self.cohort_rules.iter().enumerate() {
            if !self.cohorts.contains(&rule.id) {
                return Err(at(
                    id_span(i),
                    format!(
                        "the cohort '{}' is defined but not in the cohorts list, so it would never be listed",
                        rule.id
                    ),
                ));
            }
        }
        for rule in &self.cohort_rules {
            CohortId::define(rule.id.id(), &rule.title, &rule.short_title);
        }
        Ok(())
    }

    /// The definition of a cohort the terms list.
    pub fn rule(&self, id: CohortId) -> Option<&CohortRule> {
        self.cohort_rules.iter().find(|r| r.id.is(id))
    }

    /// Checks what serde cannot: references between parts of the preset.
    fn validate(&self) -> Result<(), String> {
        items::check(&self.item_types)?;
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

    /// An item type the terms name (`tracking` always).
    pub fn item_type(&self, id: &str) -> Option<&ItemType> {
        self.item_types.iter().find(|t| t.id == id)
    }

    /// The papers an item of this type needs: its own list, else the
    /// terms' `[papers]` list.
    pub fn papers_for<'a>(&'a self, item: &'a ItemType) -> &'a [String] {
        item.papers.as_deref().unwrap_or(&self.papers.required)
    }

    /// The papers an item of the type with this id needs (the `[papers]`
    /// list for a type the terms do not name).
    pub fn papers_for_type(&self, item_type: &str) -> &[String] {
        self.item_type(item_type)
            .map_or(&self.papers.required, |t| self.papers_for(t))
    }

    /// The built-in preset texts, for tests and `terms show`.
    pub fn preset_text(name: &str) -> Option<&'static str> {
        match name {
            "telford" => Some(TELFORD),
            "wiltshire" => Some(WILTSHIRE),
            "coventry" => Some(COVENTRY),
            "central-bedfordshire" => Some(CENTRAL_BEDFORDSHIRE),
            "knowsley" => Some(KNOWSLEY),
            "calderdale" => Some(CALDERDALE),
            _ => None,
        }
    }
}

/// Where the cohorts' ids and sinces are in the file, read a second time
/// for messages (every other field is ignored here).
#[derive(Debug, Default, Deserialize)]
struct CohortSpans {
    #[serde(default)]
    cohorts: Vec<toml::Spanned<String>>,
    #[serde(default)]
    cohort: Vec<CohortSpan>,
}

#[derive(Debug, Deserialize)]
struct CohortSpan {
    id: toml::Spanned<String>,
    #[serde(default)]
    since: Option<toml::Spanned<String>>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    short_title: String,
}

/// Every cohort the built-in presets define: id, title and short title
/// (read without the rest of the preset, for `CohortId::title`).
pub(crate) fn bundled_cohort_titles() -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = Vec::new();
    for name in PRESETS {
        let Some(text) = Terms::preset_text(name) else {
            continue;
        };
        let spans: CohortSpans = toml::from_str(text).unwrap_or_default();
        for c in spans.cohort {
            if !out.iter().any(|(id, _, _)| *id == *c.id.get_ref()) {
                out.push((c.id.into_inner(), c.title, c.short_title));
            }
        }
    }
    out
}

/// serde's words for a name it does not know, said as a preset's reader
/// would: a cohort's condition is made of blocks.
fn in_our_words(message: &str) -> String {
    if message.starts_with("unknown variant `") && message.contains("`all`, `any`, `not`") {
        message.replacen("unknown variant", "unknown block", 1)
    } else {
        message.to_owned()
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
        assert_eq!(w.cadence.weekdays, vec![Weekday::Fri]);
        assert_eq!(w.cadence.weeks, vec![WeekOfMonth::Last]);
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
    fn every_preset_loads_and_says_each_cohort_back_in_words() {
        for preset in PRESETS {
            let t = Terms::load(preset).unwrap_or_else(|e| panic!("{preset}: {e}"));
            assert!(!t.cohorts.is_empty(), "{preset}");
            let words = t.in_words().join("\n");
            for id in &t.cohorts {
                assert!(
                    words.contains(&format!("({id}): a child looked after, ")),
                    "{preset}: {words}"
                );
                assert_eq!(id.title(), t.rule(*id).unwrap().title, "{preset}: {id}");
            }
        }
        // The four written from public text label what they assume.
        for preset in ["coventry", "central-bedfordshire", "knowsley", "calderdale"] {
            let t = Terms::load(preset).unwrap();
            assert!(t.quorum.assumed, "{preset}: no public quorum");
            assert!(
                Terms::preset_text(preset).unwrap().contains("Assumed"),
                "{preset}"
            );
        }
        let coventry = Terms::load("coventry").unwrap();
        assert_eq!(coventry.cadence.every, Every::Week);
        assert_eq!(coventry.cadence.weekdays, vec![Weekday::Thu]);
        assert_eq!(
            coventry.quorum.as_required,
            vec!["legal-adviser".to_owned()]
        );
    }

    #[test]
    fn every_preset_saves_and_reads_back_the_same() {
        for preset in PRESETS {
            let t = Terms::load(preset).unwrap();
            let saved = toml::to_string(&t).expect("saves");
            let back =
                Terms::parse(&saved, "saved.toml").unwrap_or_else(|e| panic!("{e}\n{saved}"));
            assert_eq!(back, t, "{preset}");
        }
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

#[cfg(test)]
mod cohort_checks {
    use super::*;

    /// Wiltshire with its tracked cohort's condition replaced by `when`.
    fn with_when(when: &str) -> String {
        let text = Terms::preset_text("wiltshire").unwrap();
        let start = text.find("when = [\n  { not = { legal_status").unwrap();
        let end = start + text[start..].find("\n]\n").unwrap() + 3;
        format!("{}{when}\n{}", &text[..start], &text[end..])
    }

    /// The error's text, which must start FILE:LINE:COLUMN.
    fn error(text: &str) -> String {
        Terms::parse(text, "council.toml").unwrap_err().to_string()
    }

    fn line_of(text: &str, needle: &str) -> usize {
        text.lines().position(|l| l.contains(needle)).unwrap() + 1
    }

    #[test]
    fn a_block_problem_is_told_at_its_line_and_column() {
        for (when, column, says) in [
            (
                "when = [{ reviewz = { at_least = 3 } }]",
                11,
                "unknown block `reviewz`, expected one of `all`, `any`",
            ),
            (
                "when = [{ reviews = { at_leest = 3 } }]",
                23,
                "unknown field `at_leest`",
            ),
            (
                "when = [{ legal_status = [\"Z9\"] }, { reviews = { at_least = 3 } }]",
                26,
                "'Z9' is not a legal status of the SSDA903 lists",
            ),
            (
                "when = [{ placement = [\"U9\"] }, { reviews = { at_least = 3 } }]",
                23,
                "'U9' is not a placement code of the SSDA903 lists nor a setting class",
            ),
            (
                "when = [{ run = { period = true, longer_than = \"9 monts\" } }, { reviews = { at_least = 3 } }]",
                48,
                "'9 monts' is not a duration",
            ),
            (
                "when = [{ run = { period = true, same_carers = true } }, { reviews = { at_least = 3 } }]",
                9,
                "a run is of exactly one of",
            ),
        ] {
            let text = with_when(when);
            let line = line_of(&text, when);
            let err = error(&text);
            assert!(
                err.starts_with(&format!("council.toml:{line}:{column}: ")),
                "{when}: {err}"
            );
            assert!(err.contains(says), "{when}: {err}");
        }
    }

    #[test]
    fn a_since_no_block_gives_is_refused_at_the_since() {
        let text = with_when("when = [{ age = { below = 5 } }]");
        let line = line_of(&text, "since = \"review\"");
        let err = error(&text);
        assert!(
            err.starts_with(&format!("council.toml:{line}:9: ")),
            "{err}"
        );
        assert!(
            err.contains("needs a block that gives the review counted"),
            "{err}"
        );
    }

    #[test]
    fn a_cohort_id_used_twice_or_never_defined_is_refused_where_it_is_written() {
        let wiltshire = Terms::preset_text("wiltshire").unwrap();
        let twice = wiltshire.replace("id = \"referral\"", "id = \"carried-over\"");
        let line = twice
            .lines()
            .enumerate()
            .filter(|(_, l)| l.contains("id = \"carried-over\""))
            .nth(1)
            .unwrap()
            .0
            + 1;
        let err = error(&twice);
        assert!(
            err.starts_with(&format!("council.toml:{line}:6: ")),
            "{err}"
        );
        assert!(err.contains("'carried-over' is defined twice"), "{err}");

        let misspelt = wiltshire.replace("\"referral\", \"tracked", "\"referal\", \"tracked");
        let line = line_of(&misspelt, "\"referal\"");
        let err = error(&misspelt);
        assert!(
            err.starts_with(&format!("council.toml:{line}:28: ")),
            "{err}"
        );
        assert!(
            err.contains("'referal' is listed but no [[cohort]] defines it"),
            "{err}"
        );

        let unlisted = wiltshire.replace("\"referral\", \"tracked", "\"tracked");
        assert!(
            error(&unlisted).contains("'referral' is defined but not in the cohorts list"),
            "{}",
            error(&unlisted)
        );
    }
}
