//! `plans.csv`: the panel's plan facts, one row per child (rules.md,
//! Inputs). Each row replaces that child's facts; children the file does
//! not name keep theirs.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDateTime;

use crate::model::{PlanFacts, PlanKind};
use crate::store::{ImportedFile, PlansImport, Store, StoreError};

use super::ImportReport;
use super::csv903::{self, CsvCells, HEADER_ROW, RowSink, WHOLE_FILE};
use super::error::{ImportError, Problems};
use super::source::{self, Kind};
use super::values::{Cells, RowReader};

use crate::model::schema903::PLAN_COLUMNS as COLUMNS;
const CHILD: usize = 0;
const PLAN: usize = 1;
const PLAN_AGREED: usize = 2;
const MATCH_AGREED: usize = 3;
const NO_PR: usize = 4;
const POTENTIAL_SGO: usize = 5;
const ACHIEVED: usize = 6;

/// Imports `plans.csv` in one transaction. A child need not be in the
/// extract: the panel may know a child before the return does.
pub fn import_plans(
    store: &mut Store,
    file: &Path,
    at: NaiveDateTime,
) -> Result<ImportReport, ImportError> {
    let shown = file.display().to_string();
    let mut problems = Problems::default();
    let opened = match source::open(file) {
        Ok(o) => o,
        Err(e) => {
            problems.push(&shown, 0, WHOLE_FILE, &e.to_string(), "a readable file");
            return Err(problems.into_error());
        }
    };
    if opened.kind == Kind::Xml {
        problems.push(&shown, 1, WHOLE_FILE, "<", "a CSV file (plans.csv)");
        return Err(problems.into_error());
    }
    let Some(csv) = csv903::open(opened.source, opened.len, &shown, &mut problems) else {
        return Err(problems.into_error());
    };
    if !csv
        .headers
        .iter()
        .any(|h| h.eq_ignore_ascii_case(COLUMNS[PLAN]) || h.eq_ignore_ascii_case(COLUMNS[NO_PR]))
    {
        problems.push(
            &shown,
            1,
            HEADER_ROW,
            &csv903::joined(&csv.headers),
            "the header row of plans.csv (CHILD,PLAN,PLAN_AGREED,MATCH_AGREED,NO_PR,POTENTIAL_SGO,ACHIEVED)",
        );
        return Err(problems.into_error());
    }
    let Some(map) = csv903::map_columns(&csv, COLUMNS, "plans.csv", &shown, &mut problems) else {
        return Err(problems.into_error());
    };

    let import = store.begin_plans_import()?;
    let mut sink = PlansSink {
        import,
        problems,
        store_error: None,
        children: HashMap::new(),
        rows: 0,
    };
    let sha = csv903::read_rows(csv, &map, &shown, &mut sink);
    let PlansSink {
        import,
        problems,
        store_error,
        rows,
        ..
    } = sink;
    match sha {
        Some(sha) if problems.is_empty() && store_error.is_none() => {
            let files = [ImportedFile {
                file_name: shown,
                sha256: sha,
                table: "Plans".to_owned(),
                rows,
            }];
            let import_id = import.finish(at, &files)?;
            Ok(ImportReport {
                import_id,
                files: files.to_vec(),
                returns: Vec::new(),
                merge: Default::default(),
            })
        }
        _ => {
            drop(import);
            let mut e = problems.into_error();
            e.store = store_error;
            Err(e)
        }
    }
}

struct PlansSink<'s> {
    import: PlansImport<'s>,
    problems: Problems,
    store_error: Option<StoreError>,
    /// Children named so far, with their line: a second row for a child is
    /// rejected (which of the two should win?).
    children: HashMap<String, u64>,
    rows: i64,
}

impl RowSink for PlansSink<'_> {
    fn problems(&mut self) -> &mut Problems {
        &mut self.problems
    }

    fn bad_row(&mut self, _child: &str, problems: Problems) {
        self.problems.append(problems);
    }

    fn stop(&self) -> bool {
        self.store_error.is_some()
    }

    fn row(&mut self, file: &str, cells: &CsvCells<'_>) {
        let mut r = RowReader::new(file, cells, &mut self.problems);
        let child = r.text(CHILD, "a child id");
        if !child.is_empty() {
            if let Some(first) = self.children.get(&child) {
                r.problem(
                    CHILD,
                    &format!("one row for each child (this child is also on line {first})"),
                );
            } else {
                self.children.insert(child.clone(), cells.line(CHILD));
            }
        }
        let facts = PlanFacts {
            plan: r.opt_code(PLAN, PlanKind::parse, PlanKind::EXPECTED),
            plan_agreed: r.opt_date(PLAN_AGREED),
            match_agreed: r.opt_date(MATCH_AGREED),
            no_pr: r.yes_no(NO_PR),
            potential_sgo: r.yes_no(POTENTIAL_SGO),
            achieved: r.opt_date(ACHIEVED),
            child,
        };
        if r.ok && self.problems.is_empty() && self.store_error.is_none() {
            match self.import.upsert(&facts) {
                Ok(()) => self.rows += 1,
                Err(e) => self.store_error = Some(e),
            }
        }
    }
}
