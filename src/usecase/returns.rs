//! Importing the SSDA903 returns and reading what the import and `check`
//! found: the `import 903` and `check` subcommands and the app's Return
//! screen both go through these.

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};

use crate::import::{ImportError, ImportOptions, ImportReport};
use crate::rules::dates::dmy;
use crate::rules::{care, check, returns};
use crate::store::Store;

/// Imports returns (each path a folder of one return, or files of one);
/// all or nothing. The database as it was is quick-checked and kept among
/// the automatic backups while the returns are read and merged (a panel
/// that held nothing is not kept). Gives the import's report, which names
/// the backup made.
pub fn import(
    store: &mut Store,
    paths: &[PathBuf],
    options: &ImportOptions,
    now: NaiveDateTime,
) -> Result<ImportReport, ImportError> {
    crate::import::import_returns(store, paths, options, now)
}

/// What an import found, gathered for a reader: the tables recognised and
/// left out, each child held back once with their first problem, and the
/// warnings counted by column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    /// Each table left out, with how many files held it.
    pub left_out: Vec<(&'static str, usize)>,
    /// Each child held back, with the first problem found.
    pub held_back: Vec<(String, String)>,
    /// Warnings by the schema's column name.
    pub warnings: std::collections::BTreeMap<&'static str, usize>,
}

impl Findings {
    pub fn of(report: &ImportReport) -> Findings {
        let mut found = Findings::default();
        for (_, table) in report.returns.iter().flat_map(|r| &r.left_out) {
            match found.left_out.iter_mut().find(|(t, _)| *t == table.name()) {
                Some((_, n)) => *n += 1,
                None => found.left_out.push((table.name(), 1)),
            }
        }
        for r in &report.returns {
            for l in &r.lenient {
                match (&l.child, l.held_back) {
                    (Some(child), true) => {
                        if !found.held_back.iter().any(|(c, _)| c == child) {
                            found.held_back.push((child.clone(), l.problem.to_string()));
                        }
                    }
                    _ => *found.warnings.entry(l.column).or_default() += 1,
                }
            }
        }
        found
    }

    pub fn warning_count(&self) -> usize {
        self.warnings.values().sum()
    }
}

/// A return's rows stored per table, as the summary says them ("Header
/// 178, Episodes 221"), tables with none left out; "no rows" for none.
pub fn rows_stored(read: &crate::import::ReturnRead) -> String {
    let rows: Vec<String> = read
        .rows
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(table, n)| format!("{table} {n}"))
        .collect();
    if rows.is_empty() {
        "no rows".to_owned()
    } else {
        rows.join(", ")
    }
}

/// What a return does to the one of its year held before, as the summary
/// says it after the year: "" for a year new to the panel, else " (replaces
/// the one imported 07/12/2026 10:00, to 27/11/2026)" (`dry_run`: "would
/// replace").
pub fn replaces_words(read: &crate::import::ReturnRead, dry_run: bool) -> String {
    let Some(held) = &read.replaces else {
        return String::new();
    };
    format!(
        " ({} the one imported {}{})",
        if dry_run { "would replace" } else { "replaces" },
        held.imported_at.format("%d/%m/%Y %H:%M"),
        held.ran_to
            .map(|d| format!(", to {}", dmy(d)))
            .unwrap_or_default()
    )
}

/// Said when a return runs to an earlier day than the one of its year it
/// replaces (last month's extract imported over this month's): the panel
/// goes back to that day, which is allowed but rarely meant.
pub fn earlier_day_line(read: &crate::import::ReturnRead, dry_run: bool) -> Option<String> {
    let (runs_to, ran_to) = read.runs_to_an_earlier_day()?;
    Some(format!(
        "Return {} runs to {}, an earlier day than the one it {} (to {}): if that was not meant, import the newer files again.",
        read.year,
        dmy(runs_to),
        if dry_run { "would replace" } else { "replaced" },
        dmy(ran_to),
    ))
}

/// What the merge gave, in a line: the children in the history, how many
/// of them this import changed, and the episodes the merge closed or cut
/// (`see` says where they are listed).
pub fn history_line(merge: &crate::store::MergeSummary, see: &str) -> String {
    format!(
        "History: {} children from the returns held ({} changed by this import){}",
        merge.children,
        merge.changed,
        if merge.warnings > 0 {
            format!(
                "; {} episodes closed or cut by the merge{see}",
                merge.warnings
            )
        } else {
            String::new()
        }
    )
}

/// One line of `check`: the child, what is wrong or uncertain, the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRow {
    pub child: String,
    pub what: String,
    pub rule: String,
}

/// `check`'s list at `as_at`: children held back first (they are on no
/// list at all, and the home screen sends the administrator here to see
/// why), then the data problems the rules meet, children in care from
/// before the earliest return held, and with `warnings` every warning the
/// imports let through and every episode the merge of returns closed or cut.
pub fn check_rows(
    store: &Store,
    as_at: NaiveDate,
    warnings: bool,
) -> crate::store::Result<Vec<CheckRow>> {
    let mut rows = Vec::new();
    let row = |child: String, what: String, rule: &str| CheckRow {
        child,
        what,
        rule: rule.to_owned(),
    };
    let mut import_warnings = Vec::new();
    for p in store.return_problems()? {
        match (p.held_back, p.child) {
            (true, Some(child)) => rows.push(row(
                child,
                format!("held back ({} return): {}", p.year, p.problem),
                "held-back",
            )),
            (_, child) if warnings => import_warnings.push(row(
                child.unwrap_or_default(),
                format!("{} return: {}", p.year, p.problem),
                "return-warning",
            )),
            _ => {}
        }
    }
    let coverage = store.coverage_start()?;
    let earliest = store.returns()?.first().map(|r| r.year);
    store.for_each_child_record(|record| {
        for w in check::data_warnings_held(&record, as_at, coverage) {
            rows.push(row(w.child, w.what, &w.rule));
        }
        if returns::begins_before_coverage(&record, coverage, as_at)
            && let (Some(start), Some(care)) = (coverage, care::care_at(&record, as_at))
        {
            let before = earliest.map_or(String::new(), |y| {
                format!("; import the returns before {y} to see all of it")
            });
            rows.push(row(
                record.child.id.clone(),
                format!(
                    "in care since at least {} (the earliest return held starts {}), so the period's start, runs and reviews are lower bounds and a cohort may miss the child{before}",
                    dmy(care.period_start),
                    dmy(start)
                ),
                "before-earliest-return",
            ));
        }
        Ok(())
    })?;
    rows.append(&mut import_warnings);
    if warnings {
        for w in store.merge_warnings()? {
            rows.push(row(w.child, w.what, w.rule));
        }
    }
    Ok(rows)
}
