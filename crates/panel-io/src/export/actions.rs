//! The panel's actions as a tracker: every action across meetings and
//! children, with a red/amber/green status by its deadline at a date, as a
//! table or CSV, an Excel workbook (one sheet of all actions, one per owner
//! for sending out) and an iCalendar to-do list.
//!
//! The writers are pure functions over [`ActionRow`]s; the command in
//! `cli::actions` reads the store, filters and picks the writer.

use panel_core::text::document_text;
use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use icalendar::{Calendar, Component, Todo, TodoStatus};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet};

use super::excel_date;
use crate::model::{Action, ActionStatus};
use crate::rules::dates::{dmy, iso};

/// An open action is amber when its deadline falls within this many days of
/// the as-at date (today and the 14th day after both count), so the owner
/// has a fortnight's warning: about the gap between the papers deadline and
/// a monthly panel, which is when a chair wants to chase.
pub const AMBER_WITHIN_DAYS: i64 = 14;

/// The RAG rule in words, for the people reading the output.
pub fn rag_rule() -> String {
    format!(
        "red = open and past its deadline; amber = open and due within {AMBER_WITHIN_DAYS} days \
         (today to {AMBER_WITHIN_DAYS} days ahead); green = open with more time, or done; \
         dropped actions carry no RAG"
    )
}

/// Where an action stands against its deadline at a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rag {
    Red,
    Amber,
    Green,
    /// Dropped actions are shown as dropped, not rated.
    Dropped,
}

impl Rag {
    /// The word shown in every output (colour is never the only signal).
    pub fn label(self) -> &'static str {
        match self {
            Rag::Red => "red",
            Rag::Amber => "amber",
            Rag::Green => "green",
            Rag::Dropped => "dropped",
        }
    }
}

/// The RAG status of an action at `as_at` (see [`AMBER_WITHIN_DAYS`]).
pub fn rag(action: &Action, as_at: NaiveDate) -> Rag {
    rag_of(action.status, action.deadline, as_at)
}

fn rag_of(status: ActionStatus, deadline: NaiveDate, as_at: NaiveDate) -> Rag {
    match status {
        ActionStatus::Dropped => Rag::Dropped,
        ActionStatus::Done => Rag::Green,
        ActionStatus::Open => {
            let days_left = (deadline - as_at).num_days();
            if days_left < 0 {
                Rag::Red
            } else if days_left <= AMBER_WITHIN_DAYS {
                Rag::Amber
            } else {
                Rag::Green
            }
        }
    }
}

/// Days an open action is past its deadline at `as_at` (0 when it is not
/// late, or is done or dropped: nothing is owed on those).
pub fn days_overdue(action: &Action, as_at: NaiveDate) -> i64 {
    match action.status {
        ActionStatus::Open => (as_at - action.deadline).num_days().max(0),
        ActionStatus::Done | ActionStatus::Dropped => 0,
    }
}

/// One line of the tracker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRow {
    pub action_id: i64,
    pub child_id: String,
    /// The date of the meeting that set the action (None if the meeting is gone).
    pub meeting_date: Option<NaiveDate>,
    pub action: String,
    pub owner: String,
    pub deadline: NaiveDate,
    pub status: ActionStatus,
    pub rag: Rag,
    pub days_overdue: i64,
}

impl ActionRow {
    pub fn new(action: &Action, meeting_date: Option<NaiveDate>, as_at: NaiveDate) -> ActionRow {
        ActionRow {
            action_id: action.id,
            child_id: action.child.clone(),
            meeting_date,
            action: action.text.clone(),
            owner: action.owner.clone(),
            deadline: action.deadline,
            status: action.status,
            rag: rag(action, as_at),
            days_overdue: days_overdue(action, as_at),
        }
    }

    /// The cells for CSV (dates yyyy-mm-dd, the contract).
    pub fn cells(&self) -> Vec<String> {
        self.cells_with(iso)
    }

    /// The cells with dates written by `date` (dd/mm/yyyy for a table
    /// people read).
    pub fn cells_with(&self, date: fn(NaiveDate) -> String) -> Vec<String> {
        vec![
            self.action_id.to_string(),
            self.child_id.clone(),
            self.meeting_date.map(date).unwrap_or_default(),
            self.action.clone(),
            self.owner.clone(),
            date(self.deadline),
            self.status.id().to_owned(),
            self.rag.label().to_owned(),
            self.days_overdue.to_string(),
        ]
    }
}

/// The columns of every tabular output, in order.
pub const HEADER: [&str; 9] = [
    "action_id",
    "child_id",
    "meeting_date",
    "action",
    "owner",
    "deadline",
    "status",
    "rag",
    "days_overdue",
];

/// The workbook's headings, in [`HEADER`]'s order: words a reader outside
/// the service knows (the CSV keeps its column names, a contract for scripts).
const HEADINGS: [&str; 9] = [
    "Action no.",
    "Child",
    "Set at the meeting of",
    "Action",
    "Owner",
    "Deadline",
    "Status",
    "RAG",
    "Days overdue",
];

/// Widths (in Excel's character units) of the columns in [`HEADER`]'s order:
/// the action text is the wide one, dates fit dd/mm/yyyy with the filter button.
const COLUMN_WIDTHS: [f64; 9] = [10.0, 12.0, 14.0, 60.0, 28.0, 12.0, 10.0, 9.0, 14.0];

/// The name of the sheet holding every action.
pub const ALL_ACTIONS_SHEET: &str = "Actions";

/// The longest sheet name Excel accepts, in UTF-16 code units.
const SHEET_NAME_MAX: usize = 31;

/// A workbook: the "Actions" sheet, then one sheet per owner (owners that
/// differ only in case or surrounding spaces share a sheet, named after the
/// first spelling met).
///
/// Every sheet prints on A4 landscape, one page wide, with its headings on
/// each page and the marking and `panel`'s name in the page header.
pub fn xlsx(
    rows: &[ActionRow],
    as_at: NaiveDate,
    panel: &str,
    written: NaiveDateTime,
) -> anyhow::Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    super::print::properties(
        &mut workbook,
        &format!("Actions at {}", dmy(as_at)),
        panel,
        written,
    )?;
    let styles = Styles::new();

    let mut all = Worksheet::new();
    all.set_name(ALL_ACTIONS_SHEET)?;
    fill_sheet(&mut all, rows, &styles)?;
    super::print::for_print(&mut all, panel, 1)?;
    all.insert_note(
        0,
        7,
        &Note::new(format!("RAG at {}: {}.", dmy(as_at), rag_rule()))
            .add_author_prefix(false)
            .set_width(400),
    )?;
    workbook.push_worksheet(all);

    let mut owners: Vec<(String, Vec<ActionRow>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let key = row.owner.trim().to_lowercase();
        let i = *index.entry(key).or_insert_with(|| {
            owners.push((row.owner.trim().to_owned(), Vec::new()));
            owners.len() - 1
        });
        if let Some((_, list)) = owners.get_mut(i) {
            list.push(row.clone());
        }
    }
    let mut taken = vec![ALL_ACTIONS_SHEET.to_lowercase()];
    for (owner, list) in &owners {
        let mut sheet = Worksheet::new();
        sheet.set_name(unique_sheet_name(owner, &mut taken))?;
        fill_sheet(&mut sheet, list, &styles)?;
        super::print::for_print(&mut sheet, panel, 1)?;
        workbook.push_worksheet(sheet);
    }
    Ok(workbook.save_to_buffer()?)
}

struct Styles {
    header: Format,
    date: Format,
    wrap: Format,
    red: Format,
    amber: Format,
    green: Format,
    dropped: Format,
}

impl Styles {
    fn new() -> Styles {
        // Excel's own Bad / Neutral / Good cell styles: pale fills with dark
        // text in the same hue, readable when printed in greyscale.
        let fill = |bg: u32, fg: u32| {
            Format::new()
                .set_background_color(Color::RGB(bg))
                .set_font_color(Color::RGB(fg))
                .set_bold()
        };
        Styles {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_border_bottom(FormatBorder::Thin),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            wrap: Format::new().set_text_wrap(),
            red: fill(0xFFC7CE, 0x9C0006),
            amber: fill(0xFFEB9C, 0x9C5700),
            green: fill(0xC6EFCE, 0x006100),
            dropped: Format::new().set_font_color(Color::RGB(0x595959)),
        }
    }

    fn rag(&self, rag: Rag) -> &Format {
        match rag {
            Rag::Red => &self.red,
            Rag::Amber => &self.amber,
            Rag::Green => &self.green,
            Rag::Dropped => &self.dropped,
        }
    }
}

fn fill_sheet(sheet: &mut Worksheet, rows: &[ActionRow], styles: &Styles) -> anyhow::Result<()> {
    for (col, (name, width)) in HEADINGS.iter().zip(COLUMN_WIDTHS).enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, *name, &styles.header)?;
        sheet.set_column_width(col, width)?;
    }
    // Room for a heading that wraps onto a second line.
    sheet.set_row_height(0, 30)?;
    for (i, row) in rows.iter().enumerate() {
        let r = u32::try_from(i + 1).map_err(|_| anyhow::anyhow!("too many actions for Excel"))?;
        sheet.write_number(r, 0, row.action_id as f64)?;
        sheet.write_string(r, 1, document_text(&row.child_id))?;
        if let Some(d) = row.meeting_date {
            sheet.write_datetime_with_format(r, 2, excel_date(d)?, &styles.date)?;
        }
        sheet.write_string_with_format(r, 3, document_text(&row.action), &styles.wrap)?;
        sheet.write_string(r, 4, document_text(&row.owner))?;
        sheet.write_datetime_with_format(r, 5, excel_date(row.deadline)?, &styles.date)?;
        sheet.write_string(r, 6, row.status.id())?;
        sheet.write_string_with_format(r, 7, row.rag.label(), styles.rag(row.rag))?;
        sheet.write_number(r, 8, row.days_overdue as f64)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    sheet.autofilter(0, 0, last_row, (HEADER.len() - 1) as u16)?;
    Ok(())
}

/// A sheet name Excel accepts for `wanted`, not yet in `taken` (compared
/// without case, as Excel does), which it joins. Excel's rules: 1 to 31
/// UTF-16 units, none of `[ ] : * ? / \`, no apostrophe first or last, and
/// not "History" (reserved).
pub fn unique_sheet_name(wanted: &str, taken: &mut Vec<String>) -> String {
    let cleaned: String = wanted
        .chars()
        .map(|c| match c {
            '[' => '(',
            ']' => ')',
            ':' | '*' | '?' | '/' | '\\' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let mut base = cleaned.trim().trim_matches('\'').trim().to_owned();
    if base.is_empty() {
        base = "No owner".to_owned();
    }
    if base.eq_ignore_ascii_case("history") {
        base = "History (owner)".to_owned();
    }
    let mut n = 1;
    loop {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!(" ({n})")
        };
        let room = SHEET_NAME_MAX - suffix.encode_utf16().count();
        let mut name = truncate_utf16(&base, room)
            .trim_end()
            .trim_end_matches('\'')
            .to_owned();
        name.push_str(&suffix);
        let key = name.to_lowercase();
        if !taken.contains(&key) {
            taken.push(key);
            return name;
        }
        n += 1;
    }
}

fn truncate_utf16(text: &str, max_units: usize) -> &str {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > max_units {
            return &text[..i];
        }
    }
    text
}

/// The stable UID of an action's to-do: a re-import replaces the entry.
pub fn uid(action_id: i64) -> String {
    format!("action-{action_id}@permanence-panel")
}

/// An iCalendar file with one VTODO per action: all-day DUE at the deadline,
/// STATUS NEEDS-ACTION / COMPLETED / CANCELLED; `stamp` is the DTSTAMP (UTC).
pub fn ics(rows: &[ActionRow], stamp: NaiveDateTime) -> String {
    let mut calendar = Calendar::new();
    calendar.name("Permanence panel actions");
    for row in rows {
        let status = match row.status {
            ActionStatus::Open => TodoStatus::NeedsAction,
            ActionStatus::Done => TodoStatus::Completed,
            ActionStatus::Dropped => TodoStatus::Cancelled,
        };
        let set_at = row
            .meeting_date
            .map(|d| format!(" Set by the panel on {}.", dmy(d)))
            .unwrap_or_default();
        let todo = Todo::new()
            .uid(&uid(row.action_id))
            .timestamp(stamp.and_utc())
            .summary(&format!(
                "Action for child {}: {}",
                row.child_id, row.action
            ))
            .description(&format!(
                "Owner: {}. Deadline: {}.{set_at}",
                row.owner,
                dmy(row.deadline)
            ))
            .due(row.deadline)
            .status(status)
            .done();
        calendar.push(todo);
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("a date")
    }

    fn action(status: ActionStatus, deadline: &str) -> Action {
        Action {
            id: 1,
            meeting: 1,
            child: "C0001".to_owned(),
            text: "Book the sibling assessment".to_owned(),
            owner: "Team manager".to_owned(),
            deadline: day(deadline),
            status,
            status_reason: None,
            created_at: day("2026-10-01").and_time(chrono::NaiveTime::MIN),
        }
    }

    #[test]
    fn rag_boundaries_of_an_open_action() {
        let as_at = day("2026-11-20");
        let open = |d| rag(&action(ActionStatus::Open, d), as_at);
        assert_eq!(open("2026-11-19"), Rag::Red, "due yesterday");
        assert_eq!(open("2026-11-20"), Rag::Amber, "due today");
        assert_eq!(open("2026-12-04"), Rag::Amber, "due in 14 days");
        assert_eq!(open("2026-12-05"), Rag::Green, "due in 15 days");
    }

    #[test]
    fn done_is_green_and_dropped_is_not_rated_whatever_the_deadline() {
        let as_at = day("2026-11-20");
        assert_eq!(
            rag(&action(ActionStatus::Done, "2026-01-01"), as_at),
            Rag::Green
        );
        assert_eq!(
            rag(&action(ActionStatus::Dropped, "2026-01-01"), as_at),
            Rag::Dropped
        );
        assert_eq!(
            days_overdue(&action(ActionStatus::Done, "2026-11-10"), as_at),
            0
        );
    }

    #[test]
    fn days_overdue_counts_only_open_late_actions() {
        let as_at = day("2026-11-20");
        assert_eq!(
            days_overdue(&action(ActionStatus::Open, "2026-11-10"), as_at),
            10
        );
        assert_eq!(
            days_overdue(&action(ActionStatus::Open, "2026-11-25"), as_at),
            0
        );
    }

    #[test]
    fn sheet_names_follow_excels_rules_and_are_unique_without_case() {
        let mut taken = vec![ALL_ACTIONS_SHEET.to_lowercase()];
        let long = "Head of Service: Children in Care [North/South] and Care Leavers";
        let a = unique_sheet_name(long, &mut taken);
        let b = unique_sheet_name(long, &mut taken);
        for name in [&a, &b] {
            assert!(name.encode_utf16().count() <= SHEET_NAME_MAX, "{name}");
            assert!(
                rust_xlsxwriter::utility::check_sheet_name(name).is_ok(),
                "{name}"
            );
        }
        assert_ne!(a.to_lowercase(), b.to_lowercase());
        assert!(b.ends_with(" (2)"), "{b}");
        let actions = unique_sheet_name("actions", &mut taken);
        assert_ne!(actions.to_lowercase(), "actions");
        assert_eq!(unique_sheet_name("'  '", &mut taken), "No owner");
        assert_eq!(unique_sheet_name("History", &mut taken), "History (owner)");
    }
}
