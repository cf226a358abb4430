//! `plans.csv`: the panel's plan facts, one row per child (rules.md,
//! Inputs). Each row replaces that child's facts; children the file does
//! not name keep theirs.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};

use crate::model::{PlanFacts, PlanKind};
use crate::rules::dates::dmy;
use crate::store::{ImportedFile, Store};

use super::ImportReport;
use super::csv903::{self, CsvCells, HEADER_ROW, RowSink, WHOLE_FILE};
use super::error::{ImportError, Problem, Problems};
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
/// Optional: a file without it reads as no contingency plans.
const CONTINGENCY: usize = 7;

/// What an import of `plans.csv` will do (or did): the plan computed
/// against the children held, before anything is written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlansPlan {
    /// Each row's facts, in file order: each replaces that child's facts.
    pub writes: Vec<PlanFacts>,
    /// Rows whose child is in the returns held.
    pub matched: usize,
    /// Children the returns do not hold, in file order: kept, and they
    /// apply when the child appears.
    pub unmatched: Vec<String>,
    /// Dates that look wrong but are kept: a plan agreed after it was
    /// achieved, a date in the future.
    pub warnings: Vec<Problem>,
}

/// One row of `plans.csv`, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRow {
    pub line: u64,
    pub facts: PlanFacts,
}

/// Children named in a summary before "and N more".
const SHOWN: usize = 20;

impl fmt::Display for PlansPlan {
    /// How many rows matched a child, and the first 20 that did not.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} of {} rows matched a child in the returns held",
            self.matched,
            self.writes.len()
        )?;
        if !self.unmatched.is_empty() {
            write!(
                f,
                "\n{} match no child (kept; they apply when the child appears): {}",
                self.unmatched.len(),
                self.unmatched
                    .iter()
                    .take(SHOWN)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ")
            )?;
            if self.unmatched.len() > SHOWN {
                write!(f, " and {} more", self.unmatched.len() - SHOWN)?;
            }
        }
        for w in &self.warnings {
            write!(f, "\nwarning: {w}")?;
        }
        Ok(())
    }
}

/// Reads `plans.csv` into rows: every problem of shape or value is
/// reported (nothing is written by reading).
pub fn parse_plans(file: &Path) -> Result<(Vec<PlanRow>, ImportedFile), ImportError> {
    let shown = file.display().to_string();
    let mut problems = Problems::default();
    let opened = match source::open(file) {
        Ok(o) => o,
        Err(e) => {
            problems.push(&shown, 0, WHOLE_FILE, &e.to_string(), "a readable file");
            return Err(problems.into_error());
        }
    };
    if opened.kind != Kind::Csv {
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
    // A file written before the contingency plan was a column has none.
    let Some(map) = csv903::map_columns_needing(
        &csv.headers,
        COLUMNS,
        |column| column != COLUMNS[CONTINGENCY],
        "plans.csv",
        &shown,
        &mut problems,
        &mut Problems::default(),
    ) else {
        return Err(problems.into_error());
    };
    let mut sink = PlansSink {
        problems,
        children: HashMap::new(),
        rows: Vec::new(),
    };
    let sha = csv903::read_rows(csv, &map, &shown, &mut sink);
    match sha {
        Some(sha) if sink.problems.is_empty() => {
            let file = ImportedFile {
                file_name: shown,
                sha256: sha,
                table: "Plans".to_owned(),
                rows: sink.rows.len() as i64,
            };
            Ok((sink.rows, file))
        }
        _ => Err(sink.problems.into_error()),
    }
}

/// The plan of an import against the children held: pure.
pub fn plan_plans(
    rows: Vec<PlanRow>,
    file: &str,
    is_known: impl Fn(&str) -> bool,
    today: NaiveDate,
) -> PlansPlan {
    let mut plan = PlansPlan::default();
    for row in rows {
        let f = &row.facts;
        if is_known(&f.child) {
            plan.matched += 1;
        } else {
            plan.unmatched.push(f.child.clone());
        }
        let mut warn = |column: usize, value: NaiveDate, expected: String| {
            plan.warnings.push(Problem {
                file: file.to_owned(),
                line: row.line,
                column: COLUMNS[column].to_owned(),
                found: dmy(value),
                expected,
            });
        };
        if let (Some(agreed), Some(achieved)) = (f.plan_agreed, f.achieved)
            && agreed > achieved
        {
            warn(
                PLAN_AGREED,
                agreed,
                format!(
                    "a plan agreed on or before it was achieved ({})",
                    dmy(achieved)
                ),
            );
        }
        for (column, date) in [
            (PLAN_AGREED, f.plan_agreed),
            (MATCH_AGREED, f.match_agreed),
            (ACHIEVED, f.achieved),
        ] {
            if let Some(d) = date.filter(|d| *d > today) {
                warn(
                    column,
                    d,
                    format!("a date not after today ({})", dmy(today)),
                );
            }
        }
        plan.writes.push(row.facts);
    }
    plan
}

/// Imports `plans.csv` in one transaction: parse, plan against the
/// children held, apply. A child need not be in the returns: the panel may
/// know a child before the return does. With `dry_run` the plan is
/// returned and nothing is written (no write transaction is opened).
pub fn import_plans_planned(
    store: &mut Store,
    file: &Path,
    at: NaiveDateTime,
    dry_run: bool,
) -> Result<(ImportReport, PlansPlan), ImportError> {
    let (rows, record) = parse_plans(file)?;
    let known: HashSet<String> = store
        .child_ids()?
        .into_iter()
        .chain(store.held_back_children()?)
        .collect();
    let plan = plan_plans(rows, &record.file_name, |c| known.contains(c), at.date());
    if dry_run {
        let report = ImportReport {
            import_id: 0,
            files: vec![record],
            returns: Vec::new(),
            merge: Default::default(),
            backup: None,
        };
        return Ok((report, plan));
    }
    let mut import = store.begin_plans_import()?;
    for facts in &plan.writes {
        import.upsert(facts)?;
    }
    let files = [record];
    let import_id = import.finish(at, &files)?;
    let report = ImportReport {
        import_id,
        files: files.to_vec(),
        returns: Vec::new(),
        merge: Default::default(),
        backup: None,
    };
    Ok((report, plan))
}

/// Imports `plans.csv` in one transaction (see `import_plans_planned`).
pub fn import_plans(
    store: &mut Store,
    file: &Path,
    at: NaiveDateTime,
) -> Result<ImportReport, ImportError> {
    import_plans_planned(store, file, at, false).map(|(report, _)| report)
}

struct PlansSink {
    problems: Problems,
    /// Children named so far, with their line: a second row for a child is
    /// rejected (which of the two should win?).
    children: HashMap<String, u64>,
    rows: Vec<PlanRow>,
}

impl RowSink for PlansSink {
    fn problems(&mut self) -> &mut Problems {
        &mut self.problems
    }

    fn bad_row(&mut self, _child: &str, problems: Problems) {
        self.problems.append(problems);
    }

    fn stop(&self) -> bool {
        false
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
        let plan = r.opt_code(PLAN, PlanKind::parse, PlanKind::EXPECTED);
        let contingency = r.opt_code(CONTINGENCY, PlanKind::parse, PlanKind::EXPECTED);
        if contingency.is_some() && cells.value(PLAN).is_empty() {
            r.problem(
                CONTINGENCY,
                "a blank when PLAN is blank (a contingency plan is agreed with a plan)",
            );
        }
        let facts = PlanFacts {
            plan,
            contingency,
            plan_agreed: r.opt_date(PLAN_AGREED),
            match_agreed: r.opt_date(MATCH_AGREED),
            no_pr: r.yes_no(NO_PR),
            potential_sgo: r.yes_no(POTENTIAL_SGO),
            achieved: r.opt_date(ACHIEVED),
            child,
        };
        if r.ok {
            self.rows.push(PlanRow {
                line: cells.line(CHILD),
                facts,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn row(
        line: u64,
        child: &str,
        agreed: Option<NaiveDate>,
        achieved: Option<NaiveDate>,
    ) -> PlanRow {
        PlanRow {
            line,
            facts: PlanFacts {
                child: child.to_owned(),
                plan_agreed: agreed,
                achieved,
                ..PlanFacts::default()
            },
        }
    }

    #[test]
    fn the_plan_counts_matches_names_the_rest_and_warns_of_odd_dates() {
        let today = d(2026, 11, 27);
        let mut rows = vec![
            row(2, "C1", Some(d(2025, 1, 1)), None),
            // Agreed after it was achieved.
            row(3, "C2", Some(d(2025, 6, 1)), Some(d(2025, 5, 1))),
            // A date in the future.
            row(4, "X9", None, Some(d(2027, 1, 1))),
        ];
        rows.extend((0..25).map(|i| row(5 + i, &format!("Z{i:02}"), None, None)));
        let plan = plan_plans(rows, "plans.csv", |c| c == "C1" || c == "C2", today);
        assert_eq!(plan.matched, 2);
        assert_eq!(plan.writes.len(), 28);
        assert_eq!(plan.unmatched.len(), 26);
        let shown: Vec<String> = plan.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "plans.csv:3:PLAN_AGREED: found '01/06/2025', expected a plan agreed on or before it was achieved (01/05/2025)",
                "plans.csv:4:ACHIEVED: found '01/01/2027', expected a date not after today (27/11/2026)",
            ]
        );
        let text = plan.to_string();
        assert!(text.starts_with("2 of 28 rows matched a child in the returns held\n26 match no child (kept; they apply when the child appears): X9 Z00 "), "{text}");
        assert!(text.contains(" Z18 and 6 more\n"), "{text}");
    }
}
