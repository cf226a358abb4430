//! The files the panel sends out: the meeting's invitations, the tracker
//! workbook, the minutes and the periodic reports. The subcommands
//! (`invites`, `tracker export`, `minutes`, `report`) and the app's Files
//! screen both write them through these, so each is written one way.
//! Every file is created owner-only (`files::create_private`).

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::export::invites::{self, Invitation};
use crate::model::Meeting;
use crate::report::{self, ReportKind, Request};
use crate::rules::dates::dmy;
use crate::store::Store;
use crate::terms::Terms;

/// The panel setting holding the folder the app last wrote files to, so
/// the next month starts there. Kept with the panel (not in a file of the
/// app's own): it is the panel's folder whoever opens it, it is encrypted
/// and backed up with the panel, and the app keeps no other settings file.
pub const FOLDER_SETTING: &str = "files_folder";

/// The kind of document a file is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocFormat {
    Markdown,
    Word,
    Excel,
}

impl DocFormat {
    pub fn extension(self) -> &'static str {
        match self {
            DocFormat::Markdown => "md",
            DocFormat::Word => "docx",
            DocFormat::Excel => "xlsx",
        }
    }

    /// Its name for a council reader.
    pub fn label(self) -> &'static str {
        match self {
            DocFormat::Markdown => "plain text (Markdown)",
            DocFormat::Word => "Word",
            DocFormat::Excel => "Excel",
        }
    }
}

/// Writes a calendar invitation for each presenter and the mail-merge
/// list into `dir`; returns the files written (the list last).
pub fn write_invitations(
    store: &Store,
    terms: &Terms,
    meeting: &Meeting,
    dir: &Path,
    now: NaiveDateTime,
) -> anyhow::Result<Vec<PathBuf>> {
    let due = super::papers::due_day(terms, meeting);
    let referrals = store.referrals()?;
    let agenda = store.agenda(meeting.id)?;
    if agenda.is_empty() {
        anyhow::bail!(
            "the meeting of {} has no agenda yet: build it first (agenda --meeting {} --build)",
            dmy(meeting.date),
            meeting.date.format("%Y-%m-%d")
        );
    }
    let invitations: Vec<Invitation> = agenda
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let (start, end) = invites::slot(terms, meeting, i);
            let (role, initials) = super::papers::presenter(&referrals, &item.child);
            let extras = store.child_extras(&item.child)?;
            Ok(Invitation {
                child: item.child.clone(),
                presenter_role: role,
                presenter_initials: initials,
                start,
                end,
                papers_due: due,
                social_worker: invites::allocated_social_worker(&extras, meeting.date),
            })
        })
        .collect::<anyhow::Result<_>>()?;
    // Where and who organises: the panel's details; the presets hold
    // neither, so without them the invitations carry no such line.
    let setting = invites::InvitationSetting {
        location: store.setting(crate::store::PLACE_SETTING)?,
        organiser: store.setting(crate::store::ADMINISTRATOR_MAILBOX_SETTING)?,
    };
    invites::write(terms, meeting, &invitations, &setting, dir, now)
}

/// Writes the tracker workbook standing at `as_at` to `path`; returns how
/// many children it tracks.
pub fn write_tracker(
    store: &Store,
    terms: &Terms,
    as_at: NaiveDate,
    path: &Path,
    now: NaiveDateTime,
) -> anyhow::Result<usize> {
    let rows = crate::export::tracker_xlsx::rows(store, terms, as_at)?;
    crate::export::tracker_xlsx::write_xlsx(&rows, terms, as_at, path, now)?;
    Ok(rows.len())
}

/// Writes the meeting's minutes to `path`, as Markdown or Word.
pub fn write_minutes(
    store: &Store,
    terms: &Terms,
    meeting: &Meeting,
    format: DocFormat,
    full_names: bool,
    path: &Path,
    now: NaiveDateTime,
) -> anyhow::Result<()> {
    match format {
        DocFormat::Word => {
            let f = crate::files::create_private(path)?;
            crate::export::minutes_docx::write_with(store, terms, meeting, full_names, now, f)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        DocFormat::Markdown => {
            let text = crate::export::minutes_md::render_with(store, terms, meeting, full_names)?;
            crate::files::write_private(path, text)?;
        }
        DocFormat::Excel => anyhow::bail!("the minutes are written as Word or Markdown"),
    }
    Ok(())
}

/// Writes a gathered report to `path` in `format`.
pub fn write_report(
    gathered: &report::Report,
    format: DocFormat,
    path: &Path,
    now: NaiveDateTime,
) -> anyhow::Result<()> {
    match format {
        DocFormat::Markdown => crate::files::write_private(path, report::md::render(gathered))?,
        DocFormat::Excel => report::xlsx::write(gathered, path, now)?,
        DocFormat::Word => {
            let f = crate::files::create_private(path)?;
            report::docx::write(gathered, now, f)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    Ok(())
}

/// Gathers a report and writes it to `path`; returns what was gathered.
pub fn gather_and_write_report(
    store: &Store,
    request: &Request,
    format: DocFormat,
    path: &Path,
    now: NaiveDateTime,
) -> anyhow::Result<report::Report> {
    let gathered = report::gather(store, request)?;
    write_report(&gathered, format, path, now)?;
    Ok(gathered)
}

/// How many months a report of this kind covers: a quarter for Budget
/// Scrutiny, half a year for the Senior Management Team, a year for the
/// annual plan.
pub fn period_months(kind: ReportKind) -> u32 {
    match kind {
        ReportKind::BudgetScrutiny => 3,
        ReportKind::Smt => 6,
        ReportKind::AnnualPlan => 12,
    }
}

/// The last whole period of `kind` ended before `today`, in the council's
/// financial year (quarters from April, halves April to September and
/// October to March, years April to March); `back` periods earlier still
/// (negative: later).
pub fn report_period(kind: ReportKind, today: NaiveDate, back: i32) -> (NaiveDate, NaiveDate) {
    let months = period_months(kind) as i32;
    // Months since April of year 0, so periods line up with April.
    let index = today.year() * 12 + today.month0() as i32 - 3;
    let current_start = index - index.rem_euclid(months);
    let start = current_start - months * (1 + back);
    let month_start = |i: i32| {
        let month = i + 3;
        NaiveDate::from_ymd_opt(month.div_euclid(12), month.rem_euclid(12) as u32 + 1, 1)
    };
    match (month_start(start), month_start(start + months)) {
        (Some(from), Some(after)) => (from, after.pred_opt().unwrap_or(after)),
        // Beyond chrono's calendar: the day itself, never a panic.
        _ => (today, today),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        crate::rules::dates::parse_dmy(text).expect("test date")
    }

    #[test]
    fn the_default_period_is_the_last_whole_quarter_or_half_of_the_financial_year() {
        let today = d("05/12/2026");
        assert_eq!(
            report_period(ReportKind::BudgetScrutiny, today, 0),
            (d("01/07/2026"), d("30/09/2026"))
        );
        assert_eq!(
            report_period(ReportKind::BudgetScrutiny, today, 1),
            (d("01/04/2026"), d("30/06/2026"))
        );
        assert_eq!(
            report_period(ReportKind::BudgetScrutiny, today, -1),
            (d("01/10/2026"), d("31/12/2026"))
        );
        assert_eq!(
            report_period(ReportKind::Smt, today, 0),
            (d("01/04/2026"), d("30/09/2026"))
        );
        // In February the last whole half is April to September before.
        assert_eq!(
            report_period(ReportKind::Smt, d("10/02/2027"), 0),
            (d("01/04/2026"), d("30/09/2026"))
        );
        assert_eq!(
            report_period(ReportKind::BudgetScrutiny, d("01/04/2027"), 0),
            (d("01/01/2027"), d("31/03/2027"))
        );
        assert_eq!(
            report_period(ReportKind::AnnualPlan, d("01/04/2027"), 0),
            (d("01/04/2026"), d("31/03/2027"))
        );
    }
}
