//! A tracker map (`assets/tracker-maps/example.toml`): which column of a
//! council's spreadsheet holds which of the panel's fields, and what its
//! words mean. Read from TOML, every problem named.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::model::{LegalStatus, Place, PlanKind};

use super::csv903::WHOLE_FILE;
use super::error::{ImportError, Problems};

/// The panel's fields a tracker column can be mapped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    ChildId,
    Name,
    Initials,
    Plan,
    PlanAgreed,
    MatchAgreed,
    LastHeard,
    Notes,
    LegalStatus,
    Placement,
}

impl Field {
    pub const ALL: &'static [Field] = &[
        Field::ChildId,
        Field::Name,
        Field::Initials,
        Field::Plan,
        Field::PlanAgreed,
        Field::MatchAgreed,
        Field::LastHeard,
        Field::Notes,
        Field::LegalStatus,
        Field::Placement,
    ];

    /// The key in a map file's `[columns]`.
    pub fn key(self) -> &'static str {
        match self {
            Field::ChildId => "child_id",
            Field::Name => "name",
            Field::Initials => "initials",
            Field::Plan => "plan",
            Field::PlanAgreed => "plan_agreed",
            Field::MatchAgreed => "match_agreed",
            Field::LastHeard => "last_heard",
            Field::Notes => "notes",
            Field::LegalStatus => "legal_status",
            Field::Placement => "placement",
        }
    }

    pub(super) fn parse(key: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.key() == key)
    }

    pub(super) fn is_date(self) -> bool {
        matches!(
            self,
            Field::PlanAgreed | Field::MatchAgreed | Field::LastHeard
        )
    }
}

pub(super) const FIELDS_EXPECTED: &str = "a field (one of child_id name initials plan plan_agreed match_agreed last_heard notes legal_status placement)";

/// How to read one council's sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackerMap {
    /// The sheet to read; `None`: the first sheet.
    pub sheet: Option<String>,
    /// The sheet row (1-based) holding the headings; `None`: the first
    /// row with anything in it (a title above the table needs this).
    pub header_row: Option<u32>,
    /// The heading of each mapped field's column.
    pub columns: BTreeMap<Field, String>,
    /// chrono formats for dates written as text, tried in order; empty:
    /// dd/mm/yyyy or yyyy-mm-dd. Excel dates are always accepted.
    pub date_formats: Vec<String>,
    /// Per field, the sheet's words and what they mean (e.g. "SGO" -> "sgo"),
    /// keyed in lower case.
    pub values: BTreeMap<Field, HashMap<String, String>>,
}

/// A map file as written (see assets/tracker-maps/example.toml).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MapFile {
    sheet: Option<String>,
    header_row: Option<u32>,
    #[serde(default)]
    columns: BTreeMap<String, String>,
    dates: Option<DatesFile>,
    #[serde(default)]
    values: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DatesFile {
    #[serde(default)]
    formats: Vec<String>,
}

impl TrackerMap {
    /// The columns of our own export (src/export/tracker_xlsx.rs).
    pub fn ours() -> TrackerMap {
        let columns = [
            (Field::ChildId, "Child ID"),
            (Field::LegalStatus, "Legal status"),
            (Field::Placement, "Placement"),
            (Field::Plan, "Plan"),
            (Field::PlanAgreed, "Plan agreed"),
            (Field::MatchAgreed, "Match agreed"),
            (Field::LastHeard, "Last heard"),
        ]
        .into_iter()
        .map(|(f, h)| (f, h.to_owned()))
        .collect();
        TrackerMap {
            sheet: Some("Tracker".to_owned()),
            header_row: None,
            columns,
            date_formats: Vec::new(),
            values: BTreeMap::new(),
        }
    }

    /// Reads a map file; every problem in it is listed.
    pub fn load(path: &Path) -> Result<TrackerMap, ImportError> {
        let shown = path.display().to_string();
        let mut problems = Problems::default();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(&shown, 0, WHOLE_FILE, &e.to_string(), "a readable map file");
                return Err(problems.into_error());
            }
        };
        let file: MapFile = match toml::from_str(&text) {
            Ok(f) => f,
            Err(e) => {
                let line = e.span().map_or(0, |s| {
                    text[..s.start.min(text.len())].lines().count() as u64
                });
                problems.push(
                    &shown,
                    line,
                    WHOLE_FILE,
                    e.message(),
                    "a map: sheet = \"...\", [columns] field = \"heading\", [dates] formats = [...], [values.plan] \"word\" = \"plan\"",
                );
                return Err(problems.into_error());
            }
        };
        let mut columns = BTreeMap::new();
        for (key, heading) in &file.columns {
            match Field::parse(key) {
                Some(field) => {
                    columns.insert(field, heading.trim().to_owned());
                }
                None => problems.push(&shown, 0, "columns", key, FIELDS_EXPECTED),
            }
        }
        if !columns.contains_key(&Field::ChildId) {
            problems.push(
                &shown,
                0,
                "columns",
                "",
                "child_id = \"the heading of the column of child ids\"",
            );
        }
        let date_formats = file.dates.map(|d| d.formats).unwrap_or_default();
        for format in &date_formats {
            // A format that cannot produce a date would reject every date.
            let probe = NaiveDate::from_ymd_opt(2026, 11, 27)
                .map(|d| d.format(format).to_string())
                .filter(|s| NaiveDate::parse_from_str(s, format).is_ok());
            if probe.is_none() {
                problems.push(
                    &shown,
                    0,
                    "dates.formats",
                    format,
                    "a date format such as \"%d/%m/%Y\" or \"%d.%m.%Y\"",
                );
            }
        }
        let mut values = BTreeMap::new();
        for (key, words) in &file.values {
            let Some(field) = Field::parse(key) else {
                problems.push(&shown, 0, "values", key, FIELDS_EXPECTED);
                continue;
            };
            let mut table = HashMap::new();
            for (word, meaning) in words {
                let known = match field {
                    Field::Plan => plan_from_word(meaning).is_some(),
                    Field::LegalStatus => LegalStatus::parse(meaning).is_some(),
                    Field::Placement => Place::parse(meaning).is_some(),
                    _ => false,
                };
                if !known {
                    let expected = match field {
                        Field::Plan => PlanKind::EXPECTED,
                        Field::LegalStatus => LegalStatus::EXPECTED,
                        Field::Placement => Place::EXPECTED,
                        _ => "translations only for plan, legal_status or placement",
                    };
                    problems.push(
                        &shown,
                        0,
                        &format!("values.{key}.{word}"),
                        meaning,
                        expected,
                    );
                    continue;
                }
                table.insert(word.trim().to_lowercase(), meaning.trim().to_owned());
            }
            values.insert(field, table);
        }
        if file.header_row == Some(0) {
            problems.push(&shown, 0, "header_row", "0", "a row number from 1");
        }
        if !problems.is_empty() {
            return Err(problems.into_error());
        }
        Ok(TrackerMap {
            sheet: file.sheet,
            header_row: file.header_row,
            columns,
            date_formats,
            values,
        })
    }

    /// The sheet's word translated by the map, else the word itself.
    pub(super) fn translate<'a>(&'a self, field: Field, word: &'a str) -> &'a str {
        self.values
            .get(&field)
            .and_then(|t| t.get(&word.trim().to_lowercase()))
            .map_or(word, String::as_str)
    }
}

/// A plan by its id ("long-term-fostering") or as a chair says it
/// ("long-term fostering").
pub(super) fn plan_from_word(word: &str) -> Option<PlanKind> {
    let word = word.trim();
    PlanKind::parse(word).or_else(|| {
        PlanKind::ALL
            .iter()
            .copied()
            .find(|p| p.label().eq_ignore_ascii_case(word))
    })
}

/// A plan word: the map's translation, else our id ("adoption"), with
/// our export's " (not agreed)" left off, else the plan as a chair says it.
pub(super) fn read_plan(map: &TrackerMap, text: &str) -> Option<PlanKind> {
    let word = map.translate(Field::Plan, text);
    let word = word.trim();
    plan_from_word(word.strip_suffix("(not agreed)").unwrap_or(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_map_loads() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/tracker-maps/example.toml");
        let map = TrackerMap::load(&path).expect("the example map is valid");
        assert_eq!(
            map.columns.get(&Field::LastHeard).map(String::as_str),
            Some("Date last to panel")
        );
        assert_eq!(map.header_row, Some(3));
        assert_eq!(read_plan(&map, "Twin track"), Some(PlanKind::Undecided));
    }

    #[test]
    fn a_bad_map_lists_every_problem() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("bad.toml");
        std::fs::write(
            &path,
            "[columns]\nchild = \"LAC ID\"\n[values.plan]\n\"SGO\" = \"special-guardianship\"\n",
        )
        .expect("written");
        let e = TrackerMap::load(&path).expect_err("rejected");
        let shown = path.display();
        assert_eq!(
            e.to_string(),
            format!(
                "{shown}:0:columns: found 'child', expected {FIELDS_EXPECTED}\n\
                 {shown}:0:columns: found '', expected child_id = \"the heading of the column of child ids\"\n\
                 {shown}:0:values.plan.SGO: found 'special-guardianship', expected {}",
                PlanKind::EXPECTED
            )
        );
    }
}
