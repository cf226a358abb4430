//! The panel's periodic reports (issue #9): Telford's quarterly report for
//! Budget Scrutiny and its yearly targets and action plan, and Wiltshire's
//! six-monthly report to the Senior Management Team.
//!
//! A report is gathered once into plain data ([`Report`]: sections of
//! figures and tables), then written as Markdown, an Excel workbook with
//! native charts, or a Word document with the same charts as pictures.
//! Every figure carries its definition and the records it counts, so a
//! reader can check it; the workbook lists the children behind each one.

pub mod charts;
pub mod docx;
pub mod facts;
pub mod fostering;
pub mod md;
pub mod measures;
pub mod outcomes;
pub mod targets;
pub mod xlsx;

use chrono::NaiveDate;

use crate::store::Store;
use crate::terms::Terms;
pub use targets::Targets;

/// Said under the title of the Markdown and Word reports, which give each
/// figure's counting rule but not the children it counts.
pub const RECORDS_NOTE: &str = "Each figure gives its definition and the records it counts; the Records sheet of the Excel version of this report lists the children behind each one.";

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    /// Telford: quarterly, for Budget Scrutiny.
    BudgetScrutiny,
    /// Telford: yearly targets against actuals.
    AnnualPlan,
    /// Wiltshire: six-monthly, the chair's report to the Senior Management Team.
    Smt,
}

impl ReportKind {
    pub fn id(self) -> &'static str {
        match self {
            ReportKind::BudgetScrutiny => "budget-scrutiny",
            ReportKind::AnnualPlan => "annual-plan",
            ReportKind::Smt => "smt",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            ReportKind::BudgetScrutiny => "Quarterly report for Budget Scrutiny",
            ReportKind::AnnualPlan => "Targets and action plan: targets against actuals",
            ReportKind::Smt => "Six-monthly report to the Senior Management Team",
        }
    }
}

/// The report's title as its reader sees it: its period in words (a
/// twelve-month SMT report is not "Six-monthly") and the audience the
/// terms name (a panel reporting to a "Senior Leadership Team" is not
/// titled for a "Senior Management Team").
pub fn title(report: &Report) -> String {
    let period = period_word(report.from, report.to);
    match report.kind {
        ReportKind::BudgetScrutiny => format!("{period} report for Budget Scrutiny"),
        ReportKind::AnnualPlan => report.kind.title().to_owned(),
        ReportKind::Smt => format!("{period} report to the {}", report.reports_to),
    }
}

/// "Quarterly", "Six-monthly", "Annual", "Monthly", or "Nine-month" for the
/// whole months from `from` to `to` (a period ending the day before a
/// month's anniversary counts as whole).
pub fn period_word(from: NaiveDate, to: NaiveDate) -> String {
    use chrono::Datelike;
    let next = to.succ_opt().unwrap_or(to);
    let mut months = (next.year() - from.year()) * 12 + next.month() as i32 - from.month() as i32;
    if next.day() < from.day() {
        months -= 1;
    }
    match months {
        1 => "Monthly".to_owned(),
        3 => "Quarterly".to_owned(),
        6 => "Six-monthly".to_owned(),
        12 => "Annual".to_owned(),
        n @ 2..=11 => {
            let words = [
                "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven",
            ];
            format!("{}-month", words[(n - 2) as usize])
        }
        n if n > 0 => format!("{n}-month"),
        _ => "Period".to_owned(),
    }
}

#[cfg(test)]
mod title_tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn the_period_word_follows_the_months_covered() {
        assert_eq!(period_word(d(2026, 4, 1), d(2026, 9, 30)), "Six-monthly");
        assert_eq!(period_word(d(2025, 10, 1), d(2026, 9, 30)), "Annual");
        assert_eq!(period_word(d(2026, 7, 1), d(2026, 9, 30)), "Quarterly");
        assert_eq!(period_word(d(2026, 1, 1), d(2026, 9, 30)), "Nine-month");
        assert_eq!(period_word(d(2026, 1, 15), d(2026, 2, 14)), "Monthly");
    }

    #[test]
    fn an_smt_title_names_the_terms_audience_and_its_period() {
        let report = Report {
            kind: ReportKind::Smt,
            panel: "Panel".into(),
            reports_to: "Senior Leadership Team".into(),
            from: d(2025, 10, 1),
            to: d(2026, 9, 30),
            sections: Vec::new(),
        };
        assert_eq!(
            title(&report),
            "Annual report to the Senior Leadership Team"
        );
    }
}

/// A gathered report, ready to be written in any format.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub kind: ReportKind,
    pub panel: String,
    pub reports_to: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub sections: Vec<Section>,
}

/// A heading with its figures, tables and notes.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: String,
    pub figures: Vec<Figure>,
    pub tables: Vec<Table>,
    pub notes: Vec<String>,
}

/// One child (or one record about a child) behind a figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub child: String,
    pub detail: String,
}

/// One number of a report, with what it means and what it counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub measure: String,
    /// `None` when there is nothing to show; `missing` says why.
    pub value: Option<f64>,
    /// "children", "days", "%", "child-months", "meetings", "decisions".
    pub unit: &'static str,
    pub missing: Option<String>,
    /// The yearly target (annual plan only).
    pub target: Option<f64>,
    /// What the figure measures (the adoption scorecard's wording where one exists).
    pub definition: String,
    /// Which records it counts, in words.
    pub counts: String,
    /// The records themselves.
    pub records: Vec<Counted>,
}

impl Figure {
    /// The value as a reader sees it: "12 children", "83.3%", "412.5 days",
    /// or "not recorded".
    pub fn shown(&self) -> String {
        match self.value {
            Some(v) => show_number(v, self.unit),
            None => match &self.missing {
                Some(why) => why.clone(),
                None => "none".to_owned(),
            },
        }
    }

    /// The target as a reader sees it.
    pub fn target_shown(&self) -> String {
        self.target
            .map_or_else(|| "not set".to_owned(), |t| show_number(t, self.unit))
    }
}

/// A whole number without decimals, anything else to one decimal place.
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn show_number(v: f64, unit: &str) -> String {
    if unit == "%" {
        format!("{}%", number(v))
    } else if v == 1.0 {
        format!("{} {}", number(v), panel_core::text::singular_unit(unit))
    } else {
        format!("{} {unit}", number(v))
    }
}

/// How a table is drawn as a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// One line per numeric column, the rows along the horizontal axis.
    Line,
    /// One bar per row for each numeric column.
    Bar,
}

/// A table of counts: a label column, then numeric columns. When it has a
/// chart, each numeric column is one series and the labels are the categories.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub title: String,
    pub label_header: String,
    pub columns: Vec<String>,
    pub rows: Vec<(String, Vec<f64>)>,
    pub chart: Option<ChartKind>,
    pub definition: String,
    /// What each short column heading stands for, said under the table
    /// (e.g. a cohort's full title and its id in rules.md); empty when the
    /// headings say it all.
    pub key: Vec<KeyEntry>,
}

/// One line of a table's key: a short heading and what it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEntry {
    pub heading: String,
    pub meaning: String,
}

impl KeyEntry {
    /// "Foster care over 12 months: With foster carers for longer than 12
    /// months (cohort foster-12m)".
    pub fn line(&self) -> String {
        format!("{}: {}", self.heading, self.meaning)
    }
}

/// Everything a report needs besides the store.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub kind: ReportKind,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub terms: &'a Terms,
    pub targets: Option<&'a Targets>,
}

/// Why a report could not be gathered.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("the period runs backwards: --from {from} is after --to {to}")]
    Backwards { from: String, to: String },
    #[error(
        "the annual plan compares actuals with targets: give --targets FILE (an example is assets/targets-example.toml)"
    )]
    NoTargets,
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// Gathers the report asked for from the store.
pub fn gather(store: &Store, request: &Request) -> Result<Report, ReportError> {
    if request.from > request.to {
        return Err(ReportError::Backwards {
            from: crate::rules::dates::dmy(request.from),
            to: crate::rules::dates::dmy(request.to),
        });
    }
    let facts = facts::Facts::load(store, request.from, request.to)?;
    let mut sections = match request.kind {
        ReportKind::BudgetScrutiny => measures::budget_scrutiny(&facts, request.terms),
        ReportKind::AnnualPlan => {
            let targets = request.targets.ok_or(ReportError::NoTargets)?;
            measures::annual_plan(&facts, targets)
        }
        ReportKind::Smt => measures::smt(&facts),
    };
    // What the panel decided: in the SMT report, and in Budget Scrutiny's
    // beside the money its decisions committed.
    if matches!(request.kind, ReportKind::BudgetScrutiny | ReportKind::Smt) {
        sections.push(outcomes::decisions_section(
            store,
            request.terms,
            request.from,
            request.to,
        )?);
    }
    if request.kind == ReportKind::BudgetScrutiny {
        sections.push(outcomes::money_section(
            store,
            request.terms,
            request.from,
            request.to,
        )?);
    }
    Ok(Report {
        kind: request.kind,
        panel: request.terms.name.clone(),
        // Budget Scrutiny is its own audience; the others go where the terms
        // say the panel reports.
        reports_to: match request.kind {
            ReportKind::BudgetScrutiny => "Budget Scrutiny".to_owned(),
            _ => request.terms.reports_to.clone(),
        },
        from: request.from,
        to: request.to,
        sections,
    })
}
