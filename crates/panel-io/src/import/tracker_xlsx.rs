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

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Range, Reader, Xlsx};
use chrono::{NaiveDate, NaiveDateTime};
use sha2::{Digest, Sha256};

use crate::model::{ChildRecord, LegalStatus, Place, PlanFacts, PlanKind};
use crate::rules::care::care_at;
use crate::rules::dates::dmy;
use crate::store::{ChildName, ImportedFile, Store};

use super::tracker_map::read_plan;
pub use super::tracker_map::{Field, TrackerMap};

use super::cell_text::cell_text;
use super::csv903::{HEADER_ROW, WHOLE_FILE};
use super::error::{ImportError, Problems};
use super::excel_date::{excel_date, read_date};
use super::values::DATE_EXPECTED;

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

/// A workbook read: its rows and where they came from. Reading writes
/// nothing.
#[derive(Debug)]
pub struct ParsedTracker {
    file: ImportedFile,
    /// `FILE:SHEET`, for messages.
    place: String,
    /// The date the sheet's 903 facts are compared with the return at.
    as_at: NaiveDate,
    rows: Vec<TrackerRow>,
}

/// What the panel holds that a tracker import is planned against.
#[derive(Debug, Default)]
pub struct TrackerHeld {
    pub plans: HashMap<String, PlanFacts>,
    /// The latest meeting each child was heard at.
    pub heard_since: HashMap<String, NaiveDate>,
    /// The return's record of each child whose row states a legal status
    /// or placement.
    pub records: HashMap<String, ChildRecord>,
}

/// What a tracker import writes, decided before any write.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TrackerPlan {
    pub names: Vec<(String, ChildName)>,
    pub plans: Vec<PlanFacts>,
    pub heard: Vec<(String, NaiveDate)>,
    pub notes: Vec<(String, String)>,
    /// Where the sheet disagrees with the return or the panel's plans
    /// (which are kept), one line each, in row order.
    pub warnings: Vec<String>,
}

/// Reads the workbook: the sheet, its header row and every row, each
/// problem reported. `known` are the child ids the panel knows.
pub fn parse_tracker(
    request: &TrackerRequest<'_>,
    known: &HashSet<String>,
    today: NaiveDate,
) -> Result<ParsedTracker, ImportError> {
    let TrackerRequest {
        file,
        map,
        sheet,
        as_at,
        ..
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
        // A damaged zip can name a part with nothing: the message still
        // says which part (found by the fuzzer).
        let part = if why.part.trim().is_empty() {
            "a part with no name"
        } else {
            &why.part
        };
        problems.push(&shown, 0, part, &why.found, &why.expected);
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
    let rows = read_rows(&range, &header, map, &place, known, &mut problems);
    if !problems.is_empty() {
        return Err(problems.into_error());
    }
    let file = ImportedFile {
        file_name: shown,
        sha256,
        table: "Tracker".to_owned(),
        rows: rows.len() as i64,
    };
    Ok(ParsedTracker {
        file,
        place,
        as_at,
        rows,
    })
}

/// What the panel holds that the rows are planned against, read before
/// any transaction.
pub fn tracker_held(store: &Store, parsed: &ParsedTracker) -> crate::store::Result<TrackerHeld> {
    // The end of the dates the store writes as four-digit years.
    let end_of_time = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
    let mut held = TrackerHeld {
        plans: store.all_plan_facts()?,
        heard_since: store.last_heard_before(end_of_time)?,
        records: HashMap::new(),
    };
    for row in &parsed.rows {
        if (row.legal_status.is_some() || row.placement.is_some())
            && let Some(record) = store.child_record(&row.child)?
        {
            held.records.insert(row.child.clone(), record);
        }
    }
    Ok(held)
}

/// The writes and warnings of an import: pure.
pub fn plan_tracker(parsed: &ParsedTracker, held: &TrackerHeld) -> TrackerPlan {
    let mut plan = TrackerPlan::default();
    for row in &parsed.rows {
        if let Some(record) = held.records.get(&row.child) {
            compare_with_return(row, record, parsed.as_at, &parsed.place, &mut plan.warnings);
        }
        if let Some(facts) = plan_to_store(
            row,
            held.plans.get(&row.child),
            &parsed.place,
            &mut plan.warnings,
        ) {
            plan.plans.push(facts);
        }
        if let Some(name) = &row.name {
            plan.names.push((row.child.clone(), name.clone()));
        }
        if let Some(day) = row.last_heard
            && held.heard_since.get(&row.child).is_none_or(|h| *h < day)
        {
            plan.heard.push((row.child.clone(), day));
        }
        if let Some(notes) = &row.notes {
            plan.notes.push((row.child.clone(), notes.clone()));
        }
    }
    plan
}

/// Applies a plan in one transaction; returns the import's id.
fn apply_tracker(
    store: &mut Store,
    plan: &TrackerPlan,
    file: ImportedFile,
    at: NaiveDateTime,
) -> crate::store::Result<i64> {
    let mut import = store.begin_tracker_import()?;
    for (child, name) in &plan.names {
        import.set_name(child, name)?;
    }
    for facts in &plan.plans {
        import.set_plan(facts)?;
    }
    for (child, day) in &plan.heard {
        import.add_heard(child, *day)?;
    }
    for (child, notes) in &plan.notes {
        import.set_note(child, notes, at)?;
    }
    import.finish(at, &[file])
}

/// Imports a tracker: parse, plan against what the panel holds, then one
/// transaction that applies the plan. A dry run returns the plan's report
/// without opening a write transaction.
pub fn import_tracker(
    store: &mut Store,
    request: &TrackerRequest<'_>,
    today: NaiveDate,
    at: NaiveDateTime,
) -> Result<TrackerReport, ImportError> {
    let known = store.known_child_ids()?;
    let parsed = parse_tracker(request, &known, today)?;
    let held = tracker_held(store, &parsed)?;
    let plan = plan_tracker(&parsed, &held);
    let mut report = TrackerReport {
        import_id: None,
        children: parsed.rows.len(),
        names: plan.names.len(),
        plans: plan.plans.len(),
        heard: plan.heard.len(),
        notes: plan.notes.len(),
        warnings: plan.warnings.clone(),
    };
    if !request.dry_run {
        report.import_id = Some(apply_tracker(store, &plan, parsed.file, at)?);
    }
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

    #[test]
    fn the_plan_writes_only_what_is_new_and_reads_nothing() {
        let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let parsed = ParsedTracker {
            file: ImportedFile {
                file_name: "t.xlsx".into(),
                sha256: String::new(),
                table: "Tracker".into(),
                rows: 2,
            },
            place: "t.xlsx:S".into(),
            as_at: d(11, 27),
            rows: vec![
                TrackerRow {
                    row: 2,
                    child: "C1".into(),
                    last_heard: Some(d(3, 1)),
                    notes: Some("settled".into()),
                    ..TrackerRow::default()
                },
                TrackerRow {
                    row: 3,
                    child: "C2".into(),
                    last_heard: Some(d(5, 1)),
                    ..TrackerRow::default()
                },
            ],
        };
        // C1 was heard later than the sheet says: nothing to add for C1.
        let held = TrackerHeld {
            heard_since: [("C1".to_owned(), d(6, 1))].into_iter().collect(),
            ..TrackerHeld::default()
        };
        let plan = plan_tracker(&parsed, &held);
        assert_eq!(plan.heard, [("C2".to_owned(), d(5, 1))]);
        assert_eq!(plan.notes, [("C1".to_owned(), "settled".to_owned())]);
        assert!(plan.names.is_empty() && plan.plans.is_empty() && plan.warnings.is_empty());
    }
}
