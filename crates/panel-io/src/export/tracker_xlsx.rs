//! The monitoring spreadsheet a careful panel administrator keeps: one row
//! per tracked child (in a cohort at the as-at date, or on an upcoming
//! meeting's agenda), with where the child's care, plan, reviews and the
//! panel's own work stand. Dates are real Excel dates so the administrator
//! can sort and filter them.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;
use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, Worksheet};

use super::excel_date;
use crate::model::cohort::listed_under_title;
use crate::model::{ActionStatus, ChildRecord, MeetingStatus};
use crate::rules::calendar::Calendar;
use crate::rules::care::{
    agreed_plan, care_at, legal_status_run_start, match_agreed_on, same_carers_run_start,
};
use crate::rules::cohorts::{self, PanelRoutes};
use crate::rules::dates::span_between;
use crate::rules::papers::PaperStatus;
use crate::rules::timetable::timetable;
use crate::store::Store;
use crate::terms::Terms;

/// One tracked child at the as-at date. Blank (`None`) where the fact is
/// unknown or does not apply (e.g. a child on an agenda who is no longer
/// looked after has no placement).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrackerRow {
    pub child: String,
    /// Whole years at the as-at date.
    pub age: Option<u32>,
    /// The cohort id first in the terms' priority order.
    pub cohort: Option<String>,
    /// The child's other cohorts, in priority order.
    pub other_cohorts: Vec<String>,
    /// Since when the child is in the first cohort.
    pub listed_since: Option<NaiveDate>,
    /// "C2 full care order".
    pub legal_status: Option<String>,
    /// Start of the run of the current legal status.
    pub legal_status_since: Option<NaiveDate>,
    /// "U6 foster placement with other foster carer; PR1 the council's own provision".
    pub placement: Option<String>,
    /// Start of the same-carers run.
    pub placement_since: Option<NaiveDate>,
    /// The permanence plan ("adoption"), or "adoption (not agreed)".
    pub plan: Option<String>,
    pub plan_agreed: Option<NaiveDate>,
    pub match_agreed: Option<NaiveDate>,
    pub last_review: Option<NaiveDate>,
    pub next_review_due: Option<NaiveDate>,
    /// `None` when the child is not looked after (no timetable).
    pub review_overdue: Option<bool>,
    /// The latest meeting on or before the as-at date with a decision on the child.
    pub last_heard: Option<NaiveDate>,
    pub open_actions: u32,
    pub next_action_due: Option<NaiveDate>,
    /// "1 of 3 received"; `None` when the child is not heard at the next meeting.
    pub papers: Option<String>,
    /// The Fostering Panel the child's long-term match is booked to.
    pub fostering_panel: Option<NaiveDate>,
    /// The outcome of the latest decision on or before the as-at date, in
    /// words ("recommended, awaiting sign-off by the Head of Service").
    pub last_outcome: Option<String>,
}

/// The columns of the Tracker sheet, with what each means (the About sheet
/// lists them, so the file explains itself).
pub const COLUMNS: &[(&str, &str)] = &[
    (
        "Child ID",
        "The child's identifier in the SSDA903 return. This file names no child: any names the panel holds stay in its database.",
    ),
    ("Age", "Age in whole years at the as-at date."),
    (
        "Cohort",
        "The child's first cohort at the as-at date, by its title, in the order of priority of the panel's terms of reference; blank for a child only on an agenda.",
    ),
    (
        "Other cohorts",
        "The child's other cohorts at the as-at date, in priority order.",
    ),
    (
        "Listed since",
        "The date the child entered the first cohort.",
    ),
    (
        "Legal status",
        "The current legal status: SSDA903 code and meaning.",
    ),
    (
        "Legal status since",
        "The start of the unbroken run of the current legal status within this period of care.",
    ),
    (
        "Placement",
        "The current placement: SSDA903 code and meaning, then the provider.",
    ),
    (
        "Placement since",
        "The start of the placement with the same carers (the last change of carers within this period of care).",
    ),
    (
        "Plan",
        "The permanence plan in the panel's plans, in words; '(not agreed)' when it had no agreed date on or before the as-at date.",
    ),
    ("Plan agreed", "The date the permanence plan was agreed."),
    (
        "Match agreed",
        "The date a match (e.g. long-term fostering) was agreed, on or before the as-at date.",
    ),
    (
        "Last review",
        "The latest statutory review within the current period of care, on or before the as-at date.",
    ),
    (
        "Next review due",
        "The deadline for the next statutory review (first within 20 working days, second within 3 months, then every 6 months).",
    ),
    (
        "Review overdue",
        "Yes when the as-at date is later than the next review's deadline.",
    ),
    (
        "Last heard",
        "The latest panel meeting, on or before the as-at date, that recorded a decision on the child.",
    ),
    (
        "Open actions",
        "How many of the panel's actions for the child are still open.",
    ),
    (
        "Next action due",
        "The earliest deadline among the child's open actions.",
    ),
    (
        "Papers for the next meeting",
        "Papers received (or signed off) of those the child's item needs (its item type's papers, else those the terms require), when the child is heard at the next meeting; blank otherwise.",
    ),
    (
        "Fostering Panel",
        "The sitting of the Fostering Panel the child's long-term match is booked to; blank when none is booked.",
    ),
    (
        "Last outcome",
        "The outcome of the panel's latest decision on the child, on or before the as-at date: endorsed, deferred (to which meeting, why), recommended and awaiting or given the decision-maker's sign-off, and so on; blank when the latest decision has no outcome recorded (recorded before outcomes were) or the child has none.",
    ),
];

/// Every tracked child at `as_at`: first those in a cohort (in the terms'
/// priority order, then since, then id), then children only on the agenda of
/// a meeting on or after `as_at` (by id).
pub fn rows(store: &Store, terms: &Terms, as_at: NaiveDate) -> anyhow::Result<Vec<TrackerRow>> {
    let calendar = Calendar::england_and_wales();
    let upcoming: Vec<_> = store
        .meetings()?
        .into_iter()
        .filter(|m| m.date >= as_at && m.status != MeetingStatus::Cancelled)
        .collect();
    let mut on_an_agenda = BTreeSet::new();
    for m in &upcoming {
        for item in store
            .agenda(m.id)?
            .into_iter()
            .chain(store.agenda_waiting(m.id)?)
        {
            on_an_agenda.insert(item.child);
        }
    }
    let context = PanelFacts::load(store, terms, as_at)?;

    let mut tracked: Vec<(usize, TrackerRow)> = Vec::new();
    let routes = PanelRoutes::default();
    store.for_each_child_record(|record| {
        let memberships = cohorts::memberships(&record, terms, as_at, &routes);
        let listed = on_an_agenda.remove(&record.child.id);
        if memberships.is_empty() && !listed {
            return Ok(());
        }
        let mut row = context.row_for(&record.child.id);
        fill_from_record(&mut row, &record, as_at, &calendar);
        let priority = memberships
            .first()
            .map_or(usize::MAX, |m| cohorts::priority(terms, m.cohort));
        let mut ids = memberships.iter().map(|m| m.cohort.id().to_owned());
        row.cohort = ids.next();
        row.other_cohorts = ids.collect();
        row.listed_since = memberships.first().map(|m| m.since);
        tracked.push((priority, row));
        Ok(())
    })?;
    // A child on an agenda whose record is not in the return (added by hand
    // under an id the return does not hold) is still tracked, with the
    // panel's own facts only.
    for child in on_an_agenda {
        tracked.push((usize::MAX, context.row_for(&child)));
    }
    tracked.sort_by(|(pa, a), (pb, b)| {
        (pa, a.listed_since.is_none(), a.listed_since, &a.child).cmp(&(
            pb,
            b.listed_since.is_none(),
            b.listed_since,
            &b.child,
        ))
    });
    Ok(tracked.into_iter().map(|(_, row)| row).collect())
}

/// The panel's own facts, read once for every child.
struct PanelFacts {
    last_heard: HashMap<String, NaiveDate>,
    open_actions: HashMap<String, (u32, NaiveDate)>,
    /// Per child heard at the next meeting: papers received of those required.
    papers: HashMap<String, String>,
    fostering: HashMap<String, NaiveDate>,
    last_outcome: HashMap<String, String>,
}

impl PanelFacts {
    fn load(store: &Store, terms: &Terms, as_at: NaiveDate) -> anyhow::Result<PanelFacts> {
        // Heard "on or before" the as-at date: before the day after it.
        let last_heard = store.last_heard_before(as_at.succ_opt().unwrap_or(as_at))?;
        let mut open_actions: HashMap<String, (u32, NaiveDate)> = HashMap::new();
        for a in store.all_actions()? {
            if a.status != ActionStatus::Open {
                continue;
            }
            open_actions
                .entry(a.child.clone())
                .and_modify(|(count, due)| {
                    *count += 1;
                    *due = (*due).min(a.deadline);
                })
                .or_insert((1, a.deadline));
        }
        let mut papers = HashMap::new();
        if let Some(next) = store.next_meeting(as_at)?
            && next.date >= as_at
        {
            let statuses = store.paper_statuses(next.id)?;
            let item_types = store.agenda_item_types(next.id)?;
            for item in store.agenda(next.id)? {
                // Each item's papers are its item type's (issue 23).
                let required = terms.papers_for_type(
                    item_types
                        .get(&item.child)
                        .map_or(crate::terms::items::TRACKING, String::as_str),
                );
                let received = required
                    .iter()
                    .filter(|paper| {
                        matches!(
                            statuses.get(&(item.child.clone(), (*paper).clone())),
                            Some(PaperStatus::Received | PaperStatus::SignedOff)
                        )
                    })
                    .count();
                papers.insert(
                    item.child.clone(),
                    format!("{received} of {} received", required.len()),
                );
            }
        }
        // Meeting by meeting, oldest first: the latest decision's outcome stays.
        let mut last_outcome = HashMap::new();
        let mut held: Vec<_> = store
            .meetings()?
            .into_iter()
            .filter(|m| m.date <= as_at)
            .collect();
        held.sort_by_key(|m| m.date);
        for m in held {
            let outcomes = store.decision_outcomes(m.id)?;
            for d in store.decisions(m.id)? {
                let held = outcomes.get(&d.id).filter(|o| o.outcome.is_some());
                match held {
                    Some(o) => {
                        // As it stood at the as-at date: a sign-off after it
                        // is not yet made.
                        let mut then = o.clone();
                        then.sign_off = then.sign_off.filter(|s| s.on <= as_at);
                        last_outcome.insert(
                            d.child.clone(),
                            crate::export::minutes::outcome_words(Some(&then), false),
                        )
                    }
                    None => last_outcome.remove(&d.child),
                };
            }
        }
        Ok(PanelFacts {
            last_outcome,
            last_heard,
            open_actions,
            papers,
            fostering: store.fostering_bookings()?,
        })
    }

    fn row_for(&self, child: &str) -> TrackerRow {
        let (open_actions, next_action_due) = self
            .open_actions
            .get(child)
            .map_or((0, None), |(n, due)| (*n, Some(*due)));
        TrackerRow {
            child: child.to_owned(),
            last_heard: self.last_heard.get(child).copied(),
            open_actions,
            next_action_due,
            papers: self.papers.get(child).cloned(),
            fostering_panel: self.fostering.get(child).copied(),
            last_outcome: self.last_outcome.get(child).cloned(),
            ..TrackerRow::default()
        }
    }
}

/// The facts the return and the plans hold about the child at `as_at`.
fn fill_from_record(
    row: &mut TrackerRow,
    record: &ChildRecord,
    as_at: NaiveDate,
    calendar: &Calendar,
) {
    if record.child.dob <= as_at {
        row.age = Some(span_between(record.child.dob, as_at).years);
    }
    if let Some(care) = care_at(record, as_at)
        && let Some(current) = record.episodes.get(care.current)
    {
        row.legal_status = Some(format!("{} {}", current.ls.code(), current.ls.meaning()));
        row.legal_status_since = Some(
            legal_status_run_start(record, &care, &[current.ls])
                .map_or(care.period_start, |r| r.start),
        );
        let provider = current
            .place_provider
            .map(|p| format!("; {} {}", p.code(), p.meaning()))
            .unwrap_or_default();
        row.placement = Some(format!(
            "{} {}{provider}",
            current.place.code(),
            current.place.meaning()
        ));
        row.placement_since = Some(same_carers_run_start(record, &care).start);
    }
    match agreed_plan(record, as_at) {
        Some((kind, agreed)) => {
            row.plan = Some(kind.label().to_owned());
            row.plan_agreed = Some(agreed);
        }
        None => {
            row.plan = record
                .plan
                .as_ref()
                .and_then(|p| p.plan)
                .map(|kind| format!("{} (not agreed)", kind.label()));
        }
    }
    row.match_agreed = match_agreed_on(record, as_at);
    if let Some(t) = timetable(record, as_at, calendar) {
        row.last_review = t.last_review;
        row.next_review_due = Some(t.next_due);
        row.review_overdue = Some(t.overdue);
    }
}

/// Column widths are fitted to the content, but never wider than this
/// (long placement meanings would otherwise push the table off screen).
/// Wider text wraps: the sheet prints one page wide on A4 landscape, so a
/// few long columns must not shrink the rest to an unreadable size.
const MAX_COLUMN_WIDTH: usize = 24;
/// A date in dd/mm/yyyy is 10 characters.
const DATE_WIDTH: usize = 10;

/// One cell of the Tracker sheet.
enum Cell<'a> {
    Text(&'a str),
    Date(Option<NaiveDate>),
    Number(Option<u32>),
    Overdue(Option<bool>),
}

/// Writes the workbook: the "Tracker" sheet and the "About" sheet.
pub fn write_xlsx(
    rows: &[TrackerRow],
    terms: &Terms,
    as_at: NaiveDate,
    path: &Path,
    written: chrono::NaiveDateTime,
) -> anyhow::Result<()> {
    let mut workbook = Workbook::new();
    super::print::properties(
        &mut workbook,
        &format!("Monitoring tracker at {}", crate::rules::dates::dmy(as_at)),
        &terms.name,
        written,
    )?;
    let tracker = workbook.add_worksheet();
    tracker.set_name("Tracker")?;
    write_tracker(tracker, rows)?;
    super::print::for_print(tracker, &terms.name, 1)?;
    let about = workbook.add_worksheet();
    about.set_name("About")?;
    write_about(about, terms, as_at)?;
    super::print::for_print(about, &terms.name, 0)?;
    let bytes = workbook
        .save_to_buffer()
        .with_context(|| format!("cannot write {}", path.display()))?;
    crate::files::write_private(path, bytes)?;
    Ok(())
}

fn write_tracker(sheet: &mut Worksheet, rows: &[TrackerRow]) -> anyhow::Result<()> {
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(Color::RGB(0xD9E1F2));
    let date_format = Format::new()
        .set_num_format("dd/mm/yyyy")
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::Top);
    let number = Format::new().set_align(FormatAlign::Top);
    let plain = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let overdue = Format::new()
        .set_align(FormatAlign::Top)
        .set_bold()
        .set_font_color(Color::RGB(0x9C0006))
        .set_background_color(Color::RGB(0xFFC7CE));

    let mut widths: Vec<usize> = COLUMNS
        .iter()
        .map(|(name, _)| name.chars().count())
        .collect();
    for (col, (name, _)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &header)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = u32::try_from(i + 1).context("too many rows for a worksheet")?;
        // Cohorts by their titles, as the council's own papers name them.
        let others = row
            .other_cohorts
            .iter()
            .map(|id| listed_under_title(id))
            .collect::<Vec<_>>()
            .join("; ");
        let line: Vec<Cell> = vec![
            Cell::Text(&row.child),
            Cell::Number(row.age),
            Cell::Text(row.cohort.as_deref().map_or("", listed_under_title)),
            Cell::Text(&others),
            Cell::Date(row.listed_since),
            Cell::Text(row.legal_status.as_deref().unwrap_or("")),
            Cell::Date(row.legal_status_since),
            Cell::Text(row.placement.as_deref().unwrap_or("")),
            Cell::Date(row.placement_since),
            Cell::Text(row.plan.as_deref().unwrap_or("")),
            Cell::Date(row.plan_agreed),
            Cell::Date(row.match_agreed),
            Cell::Date(row.last_review),
            Cell::Date(row.next_review_due),
            Cell::Overdue(row.review_overdue),
            Cell::Date(row.last_heard),
            Cell::Number(Some(row.open_actions)),
            Cell::Date(row.next_action_due),
            Cell::Text(row.papers.as_deref().unwrap_or("")),
            Cell::Date(row.fostering_panel),
            Cell::Text(row.last_outcome.as_deref().unwrap_or("")),
        ];
        // Excel and LibreOffice do not grow a row for wrapped text written
        // this way: give it the lines its longest text needs.
        let lines = line
            .iter()
            .map(|cell| match cell {
                Cell::Text(t) => t.chars().count().div_ceil(MAX_COLUMN_WIDTH).max(1),
                _ => 1,
            })
            .max()
            .unwrap_or(1);
        if lines > 1 {
            sheet.set_row_height(r, 15.0 * lines as f64)?;
        }
        for (c, cell) in line.into_iter().enumerate() {
            let col = c as u16;
            let width = match cell {
                Cell::Text(s) => {
                    if !s.is_empty() {
                        let shown = panel_core::text::document_text(s);
                        sheet.write_string_with_format(r, col, shown.as_ref(), &plain)?;
                    }
                    s.chars().count()
                }
                Cell::Date(Some(d)) => {
                    sheet.write_datetime_with_format(r, col, excel_date(d)?, &date_format)?;
                    DATE_WIDTH
                }
                Cell::Date(None) | Cell::Overdue(None) | Cell::Number(None) => 0,
                Cell::Number(Some(n)) => {
                    sheet.write_number_with_format(r, col, f64::from(n), &number)?;
                    n.to_string().len()
                }
                Cell::Overdue(Some(true)) => {
                    sheet.write_string_with_format(r, col, "Yes", &overdue)?;
                    3
                }
                Cell::Overdue(Some(false)) => {
                    sheet.write_string_with_format(r, col, "No", &plain)?;
                    2
                }
            };
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(width);
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        // A little room for the autofilter's drop-down arrow.
        let width = (*w).min(MAX_COLUMN_WIDTH) + 3;
        sheet.set_column_width(c as u16, width as f64)?;
    }
    let last_col = (COLUMNS.len() - 1) as u16;
    let last_row = u32::try_from(rows.len()).context("too many rows for a worksheet")?;
    sheet.autofilter(0, 0, last_row, last_col)?;
    // Below the header, right of Child ID: both stay on screen when scrolling.
    sheet.set_freeze_panes(1, 1)?;
    Ok(())
}

fn write_about(sheet: &mut Worksheet, terms: &Terms, as_at: NaiveDate) -> anyhow::Result<()> {
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let date_format = Format::new()
        .set_num_format("dd/mm/yyyy")
        .set_align(FormatAlign::Left);
    let warning = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_font_color(Color::RGB(0x9C0006));
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 100)?;

    sheet.write_string_with_format(0, 0, "Panel", &bold)?;
    sheet.write_string(0, 1, &terms.name)?;
    sheet.write_string_with_format(1, 0, "As at", &bold)?;
    sheet.write_datetime_with_format(1, 1, excel_date(as_at)?, &date_format)?;
    sheet.write_string_with_format(2, 0, "Generated by", &bold)?;
    sheet.write_string(2, 1, "permanence-panel")?;
    sheet.write_string_with_format(3, 0, "Personal data", &bold)?;
    sheet.write_string_with_format(
        3,
        1,
        "This file holds personal data about children in care, to be handled as special category data: store it only where your council's data protection policy allows such data, share it only with those who need it, and delete it when it is no longer needed.",
        &warning,
    )?;

    sheet.write_string_with_format(5, 0, "Column", &bold)?;
    sheet.write_string_with_format(5, 1, "Meaning", &bold)?;
    for (i, (name, meaning)) in COLUMNS.iter().enumerate() {
        let r = 6 + i as u32;
        sheet.write_string(r, 0, *name)?;
        sheet.write_string_with_format(r, 1, *meaning, &wrap)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{child_with_id, date};
    use calamine::{Data, Reader, Xlsx, open_workbook};

    fn at() -> chrono::NaiveDateTime {
        date("01/11/2026").and_hms_opt(9, 0, 0).expect("a time")
    }

    /// A Telford panel holding these records, with a past and a future meeting.
    fn store_with(records: &[ChildRecord]) -> Store {
        let mut store = Store::open_in_memory().expect("store");
        let mut import = store.begin_extract_import().expect("import");
        for r in records {
            import.insert_child(&r.child).expect("child");
            for e in &r.episodes {
                import.insert_episode(e).expect("episode");
            }
            for review in &r.reviews {
                import.insert_review(review).expect("review");
            }
        }
        import.finish(at(), &[]).expect("finish");
        let mut plans = store.begin_plans_import().expect("plans");
        for facts in records.iter().filter_map(|r| r.plan.as_ref()) {
            plans.upsert(facts).expect("plan");
        }
        plans.finish(at(), &[]).expect("finish");
        store
    }

    fn telford() -> Terms {
        Terms::load("telford").expect("preset")
    }

    fn hm(h: u32) -> chrono::NaiveTime {
        chrono::NaiveTime::from_hms_opt(h, 0, 0).expect("a time")
    }

    #[test]
    fn rows_take_cohorts_in_priority_order_then_upcoming_agendas_only() {
        let records = [
            // In care a month: in no cohort, and only on a past agenda.
            child_with_id("C1", "01/03/2012")
                .ep("01/11/2026  S  C2  U6  PR1  open")
                .build(),
            // Fostered since 2020 and no one holds parental responsibility:
            // no-parental-responsibility first (Telford's priority), then foster-12m.
            child_with_id("C2", "01/03/2012")
                .ep("01/01/2020  S  C2  U6  PR1  open")
                .no_pr()
                .build(),
            // Fostered since 2020: foster-12m only.
            child_with_id("C3", "01/03/2014")
                .ep("01/01/2020  S  C2  U6  PR1  open")
                .build(),
        ];
        let mut store = store_with(&records);
        let past = store
            .add_meeting(date("10/11/2026"), hm(10), hm(12), at())
            .expect("meeting");
        let next = store
            .add_meeting(date("08/12/2026"), hm(10), hm(12), at())
            .expect("meeting");
        store
            .set_agenda(past, &[("C1".into(), "referral".into(), vec![])], at())
            .expect("agenda");
        // C9 is not in the return (added by hand): still tracked, panel facts only.
        store
            .set_agenda(next, &[("C9".into(), "referral".into(), vec![])], at())
            .expect("agenda");

        let rows = rows(&store, &telford(), date("27/11/2026")).expect("rows");
        let ids: Vec<&str> = rows.iter().map(|r| r.child.as_str()).collect();
        assert_eq!(ids, ["C2", "C3", "C9"]);
        assert_eq!(
            rows[0].cohort.as_deref(),
            Some("no-parental-responsibility")
        );
        assert_eq!(rows[0].other_cohorts, ["foster-12m"]);
        assert_eq!(rows[0].listed_since, Some(date("01/01/2020")));
        assert_eq!(rows[1].age, Some(12));
        assert_eq!(rows[1].placement_since, Some(date("01/01/2020")));
        assert_eq!(rows[2].cohort, None);
        assert_eq!(rows[2].age, None);
        // C9 is heard at the next meeting, so its papers are counted; C2 is not.
        let required = telford().papers.required.len();
        assert_eq!(rows[2].papers, Some(format!("0 of {required} received")));
        assert_eq!(rows[0].papers, None);
    }

    #[test]
    fn the_workbook_has_real_dates_blanks_and_a_highlighted_overdue() {
        let overdue = TrackerRow {
            child: "C1".into(),
            age: Some(9),
            cohort: Some("foster-12m".into()),
            listed_since: Some(date("01/01/2021")),
            next_review_due: Some(date("01/10/2026")),
            review_overdue: Some(true),
            ..TrackerRow::default()
        };
        let on_time = TrackerRow {
            child: "C2".into(),
            review_overdue: Some(false),
            ..TrackerRow::default()
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.xlsx");
        let written = date("27/11/2026").and_hms_opt(10, 0, 0).expect("a time");
        write_xlsx(
            &[overdue, on_time],
            &telford(),
            date("27/11/2026"),
            &path,
            written,
        )
        .expect("written");

        let mut book: Xlsx<_> = open_workbook(&path).expect("xlsx");
        let sheet = book.worksheet_range("Tracker").expect("Tracker");
        let styles = book.worksheet_style("Tracker").expect("styles");
        let col = |name: &str| {
            COLUMNS
                .iter()
                .position(|(n, _)| *n == name)
                .expect("a column") as u32
        };
        assert!(matches!(
            sheet.get_value((1, col("Listed since"))),
            Some(Data::DateTime(_))
        ));
        assert!(matches!(
            sheet.get_value((2, col("Listed since"))),
            Some(Data::Empty) | None
        ));
        assert_eq!(
            sheet.get_value((1, col("Review overdue"))),
            Some(&Data::String("Yes".into()))
        );
        assert_eq!(
            sheet.get_value((2, col("Review overdue"))),
            Some(&Data::String("No".into()))
        );
        let filled = |row: u32| {
            styles
                .get((row, col("Review overdue")))
                .and_then(|s| s.fill.as_ref())
                .is_some_and(|f| f.is_visible())
        };
        assert!(filled(1), "Yes is highlighted");
        assert!(!filled(2), "No is not");
        let header_bold = styles
            .get((0, 0))
            .and_then(|s| s.font.as_ref())
            .is_some_and(|f| f.is_bold());
        assert!(header_bold);
        let date_format = styles
            .get((1, col("Listed since")))
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.clone());
        assert_eq!(date_format.as_deref(), Some("dd/mm/yyyy"));
    }
}
