//! A council's monitoring spreadsheet (a "tracker"), brought in with a map
//! from its column headings to the panel's fields. The default map reads
//! the columns our own `tracker export` writes, so an export imports back.
//!
//! The sheet is the source only for what the panel itself owns: a child's
//! name, the permanence plan and when it was agreed (when the panel's plans
//! hold none), the meetings the child was heard at before this program,
//! and free-text comments. The SSDA903 facts come from the return: where the
//! sheet disagrees (legal status, placement) the import warns and keeps the
//! return. Every problem is `FILE:SHEET:ROW:COLUMN: found 'V', expected W`,
//! and a rejected import changes nothing.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, ExcelDateTime, ExcelDateTimeType, Range, Reader, Xlsx};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::model::{ChildRecord, LegalStatus, Place, PlanFacts, PlanKind};
use crate::rules::care::care_at;
use crate::rules::dates::dmy;
use crate::store::{ChildName, ImportedFile, Store};

use super::csv903::{HEADER_ROW, WHOLE_FILE};
use super::error::{ImportError, Problems};
use super::values::{DATE_EXPECTED, parse_date};

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

    fn parse(key: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.key() == key)
    }

    fn is_date(self) -> bool {
        matches!(
            self,
            Field::PlanAgreed | Field::MatchAgreed | Field::LastHeard
        )
    }
}

const FIELDS_EXPECTED: &str = "a field (one of child_id name initials plan plan_agreed match_agreed last_heard notes legal_status placement)";

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
    fn translate<'a>(&'a self, field: Field, word: &'a str) -> &'a str {
        self.values
            .get(&field)
            .and_then(|t| t.get(&word.trim().to_lowercase()))
            .map_or(word, String::as_str)
    }
}

/// What an accepted (or, with `dry_run`, checked) tracker import stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackerReport {
    /// `None` on a dry run.
    pub import_id: Option<i64>,
    pub children: usize,
    pub names: usize,
    pub plans: usize,
    pub heard: usize,
    pub notes: usize,
    /// Where the sheet disagrees with the return or the panel's plans
    /// (which are kept), one line each.
    pub warnings: Vec<String>,
}

impl fmt::Display for TrackerReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for w in &self.warnings {
            writeln!(f, "warning: {w}")?;
        }
        let verb = if self.import_id.is_some() {
            "Imported"
        } else {
            "Checked (--dry-run, nothing was changed)"
        };
        write!(
            f,
            "{verb}: {} children; {} names, {} plans, {} meetings heard, {} comments; {} warnings",
            self.children,
            self.names,
            self.plans,
            self.heard,
            self.notes,
            self.warnings.len()
        )
    }
}

/// Expected for a child id the panel does not know.
const KNOWN_CHILD: &str =
    "a child the panel knows (in the return, the plans, an agenda, a decision or a referral)";

/// What one row says, once read.
#[derive(Debug, Default)]
struct TrackerRow {
    row: u64,
    child: String,
    name: Option<ChildName>,
    plan: Option<PlanKind>,
    plan_agreed: Option<NaiveDate>,
    match_agreed: Option<NaiveDate>,
    last_heard: Option<NaiveDate>,
    notes: Option<String>,
    legal_status: Option<LegalStatus>,
    placement: Option<Place>,
}

/// What to import and how.
#[derive(Debug, Clone, Copy)]
pub struct TrackerRequest<'a> {
    pub file: &'a Path,
    pub map: &'a TrackerMap,
    /// Overrides the map's sheet.
    pub sheet: Option<&'a str>,
    /// The date the sheet's legal status and placement are compared with
    /// the return at; `None`: the "As at" of our own export's About sheet,
    /// else today.
    pub as_at: Option<NaiveDate>,
    /// Check everything and store nothing.
    pub dry_run: bool,
}

/// Imports a tracker in one transaction.
pub fn import_tracker(
    store: &mut Store,
    request: &TrackerRequest<'_>,
    today: NaiveDate,
    at: NaiveDateTime,
) -> Result<TrackerReport, ImportError> {
    let TrackerRequest {
        file,
        map,
        sheet,
        as_at,
        dry_run,
    } = *request;
    let shown = file.display().to_string();
    let mut problems = Problems::default();
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            problems.push(&shown, 0, WHOLE_FILE, &e.to_string(), "a readable file");
            return Err(problems.into_error());
        }
    };
    let sha256 = panel_core::text::hex(&Sha256::digest(&bytes));
    if let Some(why) = super::xlsx_limits::breach(&bytes, super::xlsx_limits::Limits::PROGRAM) {
        problems.push(&shown, 0, &why.part, &why.found, &why.expected);
        return Err(problems.into_error());
    }
    let mut book = match Xlsx::new(Cursor::new(bytes)) {
        Ok(b) => b,
        Err(e) => {
            problems.push(
                &shown,
                0,
                WHOLE_FILE,
                &e.to_string(),
                "an Excel workbook (.xlsx)",
            );
            return Err(problems.into_error());
        }
    };
    let names = book.sheet_names();
    let wanted = sheet.map(str::to_owned).or_else(|| map.sheet.clone());
    let sheet_name = match &wanted {
        Some(w) => names
            .iter()
            .find(|n| n.trim().eq_ignore_ascii_case(w.trim())),
        None => names.first(),
    }
    .cloned();
    let Some(sheet_name) = sheet_name else {
        problems.push(
            &shown,
            0,
            WHOLE_FILE,
            &names.join(", "),
            &format!("a sheet named '{}'", wanted.as_deref().unwrap_or("(any)")),
        );
        return Err(problems.into_error());
    };
    let place = format!("{shown}:{sheet_name}");
    let range = match book.worksheet_range(&sheet_name) {
        Ok(r) => r,
        Err(e) => {
            problems.push(&place, 0, WHOLE_FILE, &e.to_string(), "a readable sheet");
            return Err(problems.into_error());
        }
    };
    let as_at = as_at.or_else(|| about_as_at(&mut book)).unwrap_or(today);

    let Some(header) = Header::read(&range, map, &place, &mut problems) else {
        return Err(problems.into_error());
    };
    let known = store.known_child_ids()?;
    let rows = read_rows(&range, &header, map, &place, &known, &mut problems);
    if !problems.is_empty() {
        return Err(problems.into_error());
    }

    // What the panel already holds, read before the import's transaction.
    let plans = store.all_plan_facts()?;
    // The end of the dates the store writes as four-digit years.
    let end_of_time = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
    let heard_since = store.last_heard_before(end_of_time)?;
    let mut records: HashMap<String, ChildRecord> = HashMap::new();
    for row in &rows {
        if (row.legal_status.is_some() || row.placement.is_some())
            && let Some(record) = store.child_record(&row.child)?
        {
            records.insert(row.child.clone(), record);
        }
    }
    // Each row's warnings together, in row order.
    let mut warnings = Vec::new();
    let mut new_plans: HashMap<&str, PlanFacts> = HashMap::new();
    for row in &rows {
        if let Some(record) = records.get(&row.child) {
            compare_with_return(row, record, as_at, &place, &mut warnings);
        }
        if let Some(facts) = plan_to_store(row, plans.get(&row.child), &place, &mut warnings) {
            new_plans.insert(&row.child, facts);
        }
    }

    let mut import = store.begin_tracker_import()?;
    let mut report = TrackerReport {
        import_id: None,
        children: rows.len(),
        names: 0,
        plans: 0,
        heard: 0,
        notes: 0,
        warnings: Vec::new(),
    };
    for row in &rows {
        if let Some(name) = &row.name {
            import.set_name(&row.child, name)?;
            report.names += 1;
        }
        if let Some(facts) = new_plans.get(row.child.as_str()) {
            import.set_plan(facts)?;
            report.plans += 1;
        }
        if let Some(day) = row.last_heard
            && heard_since.get(&row.child).is_none_or(|held| *held < day)
        {
            import.add_heard(&row.child, day)?;
            report.heard += 1;
        }
        if let Some(notes) = &row.notes {
            import.set_note(&row.child, notes, at)?;
            report.notes += 1;
        }
    }
    report.warnings = warnings;
    if dry_run {
        // Dropping the import rolls it back.
        drop(import);
        return Ok(report);
    }
    let files = [ImportedFile {
        file_name: shown,
        sha256,
        table: "Tracker".to_owned(),
        rows: rows.len() as i64,
    }];
    report.import_id = Some(import.finish(at, &files)?);
    Ok(report)
}

/// The "As at" date of our own export's About sheet, if this is one.
fn about_as_at(book: &mut Xlsx<Cursor<Vec<u8>>>) -> Option<NaiveDate> {
    let about = book.worksheet_range("About").ok()?;
    let label = about.get_value((1, 0))?;
    if cell_text(label) != "As at" {
        return None;
    }
    match about.get_value((1, 1))? {
        Data::DateTime(d) => excel_date(d),
        _ => None,
    }
}

/// Where each mapped field is, by column index in the range.
struct Header {
    /// The first row of the range in the sheet (0-based).
    first_row: u32,
    columns: Vec<(Field, usize, String)>,
}

impl Header {
    fn read(
        range: &Range<Data>,
        map: &TrackerMap,
        place: &str,
        problems: &mut Problems,
    ) -> Option<Header> {
        let start = range.start().map_or(0, |(r, _)| r);
        // The heading row, 0-based in the sheet.
        let first_row = map.header_row.map_or(start, |r| r.saturating_sub(1));
        let headings: Vec<String> = first_row
            .checked_sub(start)
            .and_then(|skip| range.rows().nth(skip as usize))
            .map(|cells| cells.iter().map(cell_text).collect())
            .unwrap_or_default();
        let normal = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        let row = u64::from(first_row) + 1;
        let mut columns = Vec::new();
        for (field, heading) in &map.columns {
            let found: Vec<usize> = headings
                .iter()
                .enumerate()
                .filter(|(_, h)| normal(h) == normal(heading))
                .map(|(i, _)| i)
                .collect();
            match found.as_slice() {
                [i] => columns.push((*field, *i, headings[*i].clone())),
                [] => problems.push(
                    place,
                    row,
                    heading,
                    "",
                    &format!(
                        "a column headed '{heading}' (the map's {}); the headings are: {}",
                        field.key(),
                        headings
                            .iter()
                            .filter(|h| !h.is_empty())
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
                _ => problems.push(
                    place,
                    row,
                    HEADER_ROW,
                    heading,
                    &format!("one column headed '{heading}'"),
                ),
            }
        }
        problems.is_empty().then_some(Header { first_row, columns })
    }
}

fn read_rows(
    range: &Range<Data>,
    header: &Header,
    map: &TrackerMap,
    place: &str,
    known: &HashSet<String>,
    problems: &mut Problems,
) -> Vec<TrackerRow> {
    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let start = range.start().map_or(0, |(r, _)| r);
    let skip = (header.first_row - start.min(header.first_row)) as usize + 1;
    for (i, cells) in range.rows().enumerate().skip(skip) {
        let row_number = u64::from(start) + i as u64 + 1;
        let mapped: Vec<(Field, &Data, &str)> = header
            .columns
            .iter()
            .map(|(f, c, h)| (*f, cells.get(*c).unwrap_or(&Data::Empty), h.as_str()))
            .collect();
        // A row with nothing in any mapped column is spacing, not a child.
        if mapped.iter().all(|(_, d, _)| cell_text(d).is_empty()) {
            continue;
        }
        let mut row = TrackerRow {
            row: row_number,
            ..TrackerRow::default()
        };
        let mut initials = None;
        for (field, data, heading) in mapped {
            let text = cell_text(data);
            let mut problem = |expected: &str| {
                problems.push(place, row_number, heading, &text, expected);
            };
            if field.is_date() {
                if text.is_empty() {
                    continue;
                }
                let Some(day) = read_date(data, &map.date_formats) else {
                    problem(&date_expected(&map.date_formats));
                    continue;
                };
                match field {
                    Field::PlanAgreed => row.plan_agreed = Some(day),
                    Field::MatchAgreed => row.match_agreed = Some(day),
                    _ => row.last_heard = Some(day),
                }
                continue;
            }
            match field {
                Field::ChildId => {
                    if text.is_empty() {
                        problem("a child id");
                    } else if !known.contains(&text) {
                        problem(KNOWN_CHILD);
                    } else if let Some(first) = seen.get(&text) {
                        problem(&format!(
                            "one row for each child (this child is also on row {first})"
                        ));
                    } else {
                        seen.insert(text.clone(), row_number);
                        row.child = text;
                    }
                }
                Field::Name if !text.is_empty() => match ChildName::from_full_name(&text) {
                    Some(name) => row.name = Some(name),
                    None => problem("a name with letters"),
                },
                Field::Initials if !text.is_empty() => {
                    let letters: String = text.chars().filter(|c| c.is_alphabetic()).collect();
                    if letters.is_empty() || letters.chars().count() > 5 {
                        problem("initials (1 to 5 letters)");
                    } else {
                        initials = Some(letters.to_uppercase());
                    }
                }
                Field::Plan if !text.is_empty() => match read_plan(map, &text) {
                    Some(plan) => row.plan = Some(plan),
                    None => problem(&format!(
                        "{} or a word the map translates in [values.plan]",
                        PlanKind::EXPECTED
                    )),
                },
                Field::Notes if !text.is_empty() => row.notes = Some(text),
                Field::LegalStatus if !text.is_empty() => {
                    match first_code(map.translate(field, &text), LegalStatus::parse) {
                        Some(ls) => row.legal_status = Some(ls),
                        None => problem(&format!(
                            "{} or a word the map translates in [values.legal_status]",
                            LegalStatus::EXPECTED
                        )),
                    }
                }
                Field::Placement if !text.is_empty() => {
                    match first_code(map.translate(field, &text), Place::parse) {
                        Some(p) => row.placement = Some(p),
                        None => problem(&format!(
                            "{} or a word the map translates in [values.placement]",
                            Place::EXPECTED
                        )),
                    }
                }
                _ => {}
            }
        }
        // Initials typed in the sheet win over those worked out from the name.
        if let Some(initials) = initials {
            row.name = Some(ChildName {
                full_name: row.name.and_then(|n| n.full_name),
                initials,
            });
        }
        if !row.child.is_empty() {
            rows.push(row);
        }
    }
    rows
}

/// A plan word: the map's translation, else our id ("adoption"), with
/// our export's " (not agreed)" left off, else the plan as a chair says it.
fn read_plan(map: &TrackerMap, text: &str) -> Option<PlanKind> {
    let word = map.translate(Field::Plan, text);
    let word = word.trim();
    plan_from_word(word.strip_suffix("(not agreed)").unwrap_or(word))
}

/// A plan by its id ("long-term-fostering") or as a chair says it
/// ("long-term fostering").
fn plan_from_word(word: &str) -> Option<PlanKind> {
    let word = word.trim();
    PlanKind::parse(word).or_else(|| {
        PlanKind::ALL
            .iter()
            .copied()
            .find(|p| p.label().eq_ignore_ascii_case(word))
    })
}

/// The code at the start of "C2 full care order" (or the whole value).
fn first_code<T>(text: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
    let first = text.split([' ', ';', ':']).next().unwrap_or(text);
    parse(first).or_else(|| parse(text))
}

fn date_expected(formats: &[String]) -> String {
    if formats.is_empty() {
        format!("an Excel date or {DATE_EXPECTED}")
    } else {
        format!("an Excel date or a date written {}", formats.join(" or "))
    }
}

/// A cell as a date: an Excel date, an Excel serial number, or text in
/// the map's formats (by default dd/mm/yyyy or yyyy-mm-dd).
fn read_date(data: &Data, formats: &[String]) -> Option<NaiveDate> {
    match data {
        Data::DateTime(d) => excel_date(d),
        Data::Float(f) => serial_date(*f),
        Data::Int(i) => serial_date(*i as f64),
        Data::DateTimeIso(s) => s.get(..10).and_then(parse_date),
        Data::String(s) => {
            let s = s.trim();
            if formats.is_empty() {
                parse_date(s)
            } else {
                formats
                    .iter()
                    .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
            }
        }
        _ => None,
    }
}

/// Whole-day Excel serial numbers from 1 March 1900 (61) to 31/12/9999;
/// earlier serials carry Excel's 1900 leap-year bug and are never a
/// child's date.
fn serial_date(value: f64) -> Option<NaiveDate> {
    if !(61.0..2_958_466.0).contains(&value) || value.fract() != 0.0 {
        return None;
    }
    excel_date(&ExcelDateTime::new(
        value,
        ExcelDateTimeType::DateTime,
        false,
    ))
}

fn excel_date(d: &ExcelDateTime) -> Option<NaiveDate> {
    if !d.is_datetime() {
        return None;
    }
    let (y, m, day, ..) = d.to_ymd_hms_milli();
    NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day))
}

/// A cell as the administrator sees it, trimmed; whole numbers without ".0"
/// (a numeric child id is 1234, not 1234.0).
fn cell_text(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_date(d).map_or_else(|| d.as_f64().to_string(), dmy),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// The plan facts to store for a row, if any: the sheet fills what the
/// panel's plans leave blank; where both hold a value and they differ,
/// the plans are kept and a warning says so.
fn plan_to_store(
    row: &TrackerRow,
    held: Option<&PlanFacts>,
    place: &str,
    warnings: &mut Vec<String>,
) -> Option<PlanFacts> {
    if row.plan.is_none() && row.plan_agreed.is_none() && row.match_agreed.is_none() {
        return None;
    }
    let mut facts = held.cloned().unwrap_or_else(|| PlanFacts {
        child: row.child.clone(),
        ..PlanFacts::default()
    });
    let before = facts.clone();
    let mut differs = |what: &str, sheet: String, plans: String| {
        warnings.push(format!(
            "{place}:{}: {what} {sheet} in the sheet, the panel's plans say {plans} (the plans are kept)",
            row.row
        ));
    };
    let same_plan = match (row.plan, facts.plan) {
        (Some(sheet), None) => {
            facts.plan = Some(sheet);
            true
        }
        (Some(sheet), Some(plans)) if sheet != plans => {
            differs("plan", sheet.id().to_owned(), plans.id().to_owned());
            false
        }
        _ => true,
    };
    // An agreed date belongs to its plan: never set beside a different one.
    if same_plan {
        match (row.plan_agreed, facts.plan_agreed) {
            (Some(sheet), None) => facts.plan_agreed = Some(sheet),
            (Some(sheet), Some(plans)) if sheet != plans => {
                differs("plan agreed", dmy(sheet), dmy(plans));
            }
            _ => {}
        }
    }
    match (row.match_agreed, facts.match_agreed) {
        (Some(sheet), None) => facts.match_agreed = Some(sheet),
        (Some(sheet), Some(plans)) if sheet != plans => {
            differs("match agreed", dmy(sheet), dmy(plans));
        }
        _ => {}
    }
    (facts != before || held.is_none()).then_some(facts)
}

/// Warnings where the sheet's 903 facts differ from the return at `as_at`.
fn compare_with_return(
    row: &TrackerRow,
    record: &ChildRecord,
    as_at: NaiveDate,
    place: &str,
    warnings: &mut Vec<String>,
) {
    let current = care_at(record, as_at).and_then(|care| record.episodes.get(care.current));
    let on = dmy(as_at);
    if let Some(sheet) = row.legal_status {
        match current {
            Some(e) if e.ls != sheet => warnings.push(format!(
                "{place}:{}: legal status {} in the sheet, the return says {} on {on} (the return is kept)",
                row.row,
                sheet.code(),
                e.ls.code()
            )),
            None => warnings.push(format!(
                "{place}:{}: legal status {} in the sheet, the return says the child is not looked after on {on} (the return is kept)",
                row.row,
                sheet.code()
            )),
            _ => {}
        }
    }
    if let Some(sheet) = row.placement {
        match current {
            Some(e) if e.place != sheet => warnings.push(format!(
                "{place}:{}: placement {} in the sheet, the return says {} on {on} (the return is kept)",
                row.row,
                sheet.code(),
                e.place.code()
            )),
            None if row.legal_status.is_none() => warnings.push(format!(
                "{place}:{}: placement {} in the sheet, the return says the child is not looked after on {on} (the return is kept)",
                row.row,
                sheet.code()
            )),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_and_text_dates_and_the_1900_bug() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 27);
        // 46353 is 27/11/2026 in Excel's 1900 system.
        assert_eq!(serial_date(46353.0), d);
        assert_eq!(read_date(&Data::Float(46353.0), &[]), d);
        assert_eq!(read_date(&Data::String("27/11/2026".into()), &[]), d);
        assert_eq!(
            read_date(&Data::String("27.11.2026".into()), &["%d.%m.%Y".into()]),
            d
        );
        assert_eq!(read_date(&Data::String("27.11.2026".into()), &[]), None);
        assert_eq!(serial_date(60.0), None, "29/02/1900 never existed");
        assert_eq!(serial_date(46353.5), None, "a time is not a date");
    }

    #[test]
    fn plan_words_translate_then_fall_back_to_ids_and_labels() {
        let mut map = TrackerMap::ours();
        map.values.insert(
            Field::Plan,
            HashMap::from([("ltf".to_owned(), "long-term-fostering".to_owned())]),
        );
        assert_eq!(read_plan(&map, "LTF"), Some(PlanKind::LongTermFostering));
        assert_eq!(
            read_plan(&map, "adoption (not agreed)"),
            Some(PlanKind::Adoption)
        );
        assert_eq!(
            read_plan(&map, "Special guardianship order"),
            Some(PlanKind::Sgo)
        );
        assert_eq!(read_plan(&map, "Kinship"), None);
    }

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

    #[test]
    fn numeric_child_ids_read_without_a_decimal_point() {
        assert_eq!(cell_text(&Data::Float(1234.0)), "1234");
        assert_eq!(cell_text(&Data::String(" C1 ".into())), "C1");
    }

    #[test]
    fn the_sheet_fills_blank_plan_facts_and_warns_where_plans_differ() {
        let row = TrackerRow {
            row: 4,
            child: "C1".into(),
            plan: Some(PlanKind::Adoption),
            plan_agreed: NaiveDate::from_ymd_opt(2026, 1, 5),
            ..TrackerRow::default()
        };
        let mut warnings = Vec::new();
        let new = plan_to_store(&row, None, "t.xlsx:S", &mut warnings).expect("stored");
        assert_eq!(new.plan, Some(PlanKind::Adoption));
        assert_eq!(new.plan_agreed, row.plan_agreed);
        assert!(warnings.is_empty());

        let held = PlanFacts {
            child: "C1".into(),
            plan: Some(PlanKind::Sgo),
            no_pr: true,
            ..PlanFacts::default()
        };
        assert_eq!(
            plan_to_store(&row, Some(&held), "t.xlsx:S", &mut warnings),
            None
        );
        assert_eq!(
            warnings,
            [
                "t.xlsx:S:4: plan adoption in the sheet, the panel's plans say sgo (the plans are kept)"
            ]
        );
    }
}
