//! Files: a meeting's invitations, the tracker workbook, the minutes and
//! the periodic reports, written from a menu into the folder chosen (the
//! last one remembered); the meeting is the app's unless another is
//! chosen with ← → (over the meetings the Meetings screen lists), through the same use cases as `invites`,
//! `tracker export`, `minutes` and `report`. What was written is listed
//! with its path; a write that takes more than a second shows its
//! progress (see `jobs`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::report::ReportKind;
use crate::rules::dates::dmy;
use crate::tui::app::{App, Effect, Msg, NoticeKind, Screen};
use crate::tui::jobs::{FileJob, FileKind, Written};
use crate::tui::mouse::HitMap;
use crate::tui::view::{Theme, fit, wrap};
use crate::usecase::files::{DocFormat, report_period};

/// The menu's rows, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Invitations,
    Tracker,
    Minutes,
    Report(ReportKind),
    /// The invitations, the tracker and the minutes at once.
    MeetingSet,
}

/// The reports the menu offers: the annual plan also needs the year's
/// targets, a file of their own, so it stays with the command line.
const REPORTS: [ReportKind; 2] = [ReportKind::BudgetScrutiny, ReportKind::Smt];

pub const ROWS: [Row; 6] = [
    Row::Invitations,
    Row::Tracker,
    Row::Minutes,
    Row::Report(REPORTS[0]),
    Row::Report(REPORTS[1]),
    Row::MeetingSet,
];

#[derive(Debug, Clone)]
pub struct State {
    /// The highlighted row of the menu.
    pub cursor: usize,
    /// The meeting whose invitations and minutes are written, when one
    /// other than the app's is chosen.
    pub meeting: Option<crate::model::Id>,
    pub minutes_format: DocFormat,
    /// Each report's format and how many periods before the last whole one.
    pub reports: [(DocFormat, i32); 2],
    /// What the last write wrote, and when (HH:MM).
    pub written: Vec<Written>,
    pub written_at: Option<String>,
    /// Why the last write failed, in full (the notice line is short).
    pub failed: Option<String>,
}

impl Default for State {
    fn default() -> State {
        State {
            cursor: 0,
            meeting: None,
            minutes_format: DocFormat::Word,
            reports: [(DocFormat::Word, 0); 2],
            written: Vec::new(),
            written_at: None,
            failed: None,
        }
    }
}

impl super::ScreenState for State {}

fn report_index(kind: ReportKind) -> usize {
    REPORTS.iter().position(|k| *k == kind).unwrap_or(0)
}

/// A report's period as chosen on the screen.
pub fn period(app: &App, kind: ReportKind) -> (chrono::NaiveDate, chrono::NaiveDate) {
    let back = app.screens.files.reports[report_index(kind)].1;
    report_period(kind, app.today, back)
}

/// The meeting whose invitations and minutes the screen writes: the one
/// chosen, else the app's.
pub fn meeting(app: &App) -> Option<&crate::model::Meeting> {
    app.screens
        .files
        .meeting
        .and_then(|id| app.data.prep.meeting(id))
        .or(app.data.meeting.as_ref())
}

/// The meetings ← → choose among: those the Meetings screen lists, but
/// the cancelled (which have no invitations or minutes).
fn choosable(app: &App) -> Vec<&crate::model::Meeting> {
    app.data
        .prep
        .meetings
        .iter()
        .filter(|m| m.status != crate::model::MeetingStatus::Cancelled)
        .collect()
}

/// The meeting before (`earlier`) or after the one chosen, if any.
fn step_meeting(app: &App, earlier: bool) -> Option<crate::model::Id> {
    let day = meeting(app)?.date;
    let list = choosable(app);
    if earlier {
        list.iter().rev().find(|m| m.date < day).map(|m| m.id)
    } else {
        list.iter().find(|m| m.date > day).map(|m| m.id)
    }
}

/// The files a row writes, or why it cannot.
fn kinds(app: &App, row: Row) -> Result<Vec<FileKind>, String> {
    let state = &app.screens.files;
    let meeting = meeting(app);
    let needs_meeting = || {
        meeting.map(|m| m.id).ok_or_else(|| {
            "There is no meeting in the database yet: plan the year's meetings first.".to_owned()
        })
    };
    let needs_agenda = || {
        // The app's meeting as the app holds it; another as built.
        let empty = match meeting {
            Some(m) if Some(m.id) != app.meeting_id() => app
                .data
                .prep
                .agenda(m.id)
                .is_none_or(|a| a.heard.is_empty()),
            _ => app.data.agenda.is_empty(),
        };
        if empty {
            Err("The agenda of this meeting is empty: build it first, then write the invitations.".to_owned())
        } else {
            Ok(())
        }
    };
    Ok(match row {
        Row::Invitations => {
            needs_agenda()?;
            vec![FileKind::Invitations {
                meeting: needs_meeting()?,
            }]
        }
        Row::Tracker => vec![FileKind::Tracker { as_at: app.today }],
        Row::Minutes => vec![FileKind::Minutes {
            meeting: needs_meeting()?,
            format: state.minutes_format,
        }],
        Row::Report(kind) => {
            let (from, to) = period(app, kind);
            vec![FileKind::Report {
                kind,
                from,
                to,
                format: state.reports[report_index(kind)].0,
            }]
        }
        Row::MeetingSet => {
            let meeting = needs_meeting()?;
            needs_agenda()?;
            vec![
                FileKind::Invitations { meeting },
                FileKind::Tracker { as_at: app.today },
                FileKind::Minutes {
                    meeting,
                    format: state.minutes_format,
                },
            ]
        }
    })
}

/// The row's words on the menu.
fn label(app: &App, row: Row) -> String {
    let state = &app.screens.files;
    let when = meeting(app).map_or_else(|| "(no meeting yet)".to_owned(), |m| dmy(m.date));
    match row {
        Row::Invitations => format!(
            "Invitations for {when}: one for each presenter, and the mail-merge list"
        ),
        Row::Tracker => format!("The tracker workbook, as at {}", dmy(app.today)),
        Row::Minutes => format!(
            "The minutes of {when}, as {}",
            state.minutes_format.label()
        ),
        Row::Report(kind) => {
            let (from, to) = period(app, kind);
            format!(
                "{}: {} to {}, as {}",
                kind.title(),
                dmy(from),
                dmy(to),
                state.reports[report_index(kind)].0.label()
            )
        }
        Row::MeetingSet => format!("All three for {when}: invitations, tracker and minutes"),
    }
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, hits: &mut HitMap) {
    let width = usize::from(area.width);
    let state = &app.screens.files;
    let heading = match meeting(app) {
        Some(m) => {
            let whose = if Some(m.id) == app.meeting_id() {
                " (the app's meeting)"
            } else {
                ""
            };
            format!(
                "Files to send for the meeting of {} {}{whose}",
                crate::rules::dates::weekday_name(chrono::Datelike::weekday(&m.date)),
                dmy(m.date)
            )
        }
        None => "Files to send".to_owned(),
    };
    let mut lines: Vec<Line> = vec![Line::styled(fit(&heading, width), theme.bold())];
    let folder = app
        .data
        .files_folder
        .as_deref()
        .unwrap_or("not chosen yet: press o");
    lines.push(Line::raw(fit(&format!("Folder: {folder}"), width)));
    lines.extend(
        wrap(
            "Enter writes the highlighted file; o chooses the folder; f the format; ← → an earlier or later meeting, or a report's period.",
            width,
        )
        .into_iter()
        .map(|l| Line::styled(l, theme.dim())),
    );
    lines.push(Line::raw(""));
    for (i, row) in ROWS.iter().enumerate() {
        let highlighted = i == state.cursor;
        let marker = if highlighted { "▶" } else { " " };
        let text = fit(&format!("{marker} {}", label(app, *row)), width);
        crate::tui::view::record_row(hits, area, lines.len(), 1, i);
        lines.push(if highlighted {
            Line::styled(text, theme.highlight())
        } else {
            Line::raw(text)
        });
    }
    if let Some(failed) = &state.failed {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Not written:", theme.warn()));
        lines.extend(
            wrap(failed, width.saturating_sub(2))
                .into_iter()
                .map(|l| Line::raw(format!("  {l}"))),
        );
    }
    if !state.written.is_empty() {
        lines.push(Line::raw(""));
        let at = state.written_at.as_deref().unwrap_or("");
        lines.push(Line::styled(format!("Written at {at}:"), theme.bold()));
        for w in &state.written {
            lines.extend(
                wrap(&format!("{}: {}", w.what, w.path.display()), width.saturating_sub(2))
                    .into_iter()
                    .map(|l| Line::raw(format!("  {l}"))),
            );
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    let last = ROWS.len() - 1;
    let row = ROWS[app.screens.files.cursor.min(last)];
    let state = &mut app.screens.files;
    match msg {
        Msg::Up => state.cursor = state.cursor.saturating_sub(1),
        Msg::Down => state.cursor = (state.cursor + 1).min(last),
        Msg::Select(n) => state.cursor = n.min(last),
        Msg::CycleFormat => match row {
            Row::Minutes | Row::MeetingSet => {
                state.minutes_format = match state.minutes_format {
                    DocFormat::Word => DocFormat::Markdown,
                    _ => DocFormat::Word,
                };
            }
            Row::Report(kind) => {
                let format = &mut state.reports[report_index(kind)].0;
                *format = match format {
                    DocFormat::Word => DocFormat::Excel,
                    DocFormat::Excel => DocFormat::Markdown,
                    DocFormat::Markdown => DocFormat::Word,
                };
            }
            Row::Invitations | Row::Tracker => app.notify(
                NoticeKind::Info,
                "Invitations are calendar files and the tracker a workbook: one format each.",
            ),
        },
        Msg::EarlierPeriod | Msg::LaterPeriod => match row {
            Row::Report(kind) => {
                let back = &mut state.reports[report_index(kind)].1;
                if msg == Msg::EarlierPeriod {
                    *back += 1;
                } else if *back > 0 {
                    *back -= 1;
                } else {
                    app.notify(
                        NoticeKind::Info,
                        "This is the last whole period: a later one has not ended yet.",
                    );
                }
            }
            _ => {
                let earlier = msg == Msg::EarlierPeriod;
                match step_meeting(app, earlier) {
                    Some(id) => {
                        app.screens.files.meeting = Some(id);
                        // A list of files written for another meeting goes.
                        app.screens.files.written.clear();
                        app.screens.files.failed = None;
                    }
                    None => app.notify(
                        NoticeKind::Info,
                        if earlier {
                            "This is the first meeting the Meetings screen lists."
                        } else {
                            "This is the last meeting planned: plan the year on the Meetings screen (Y)."
                        },
                    ),
                }
            }
        },
        Msg::WriteFile => return super::Outcome::Handled(write(app, row)),
        other => return super::Outcome::Unhandled(other),
    }
    super::Outcome::done()
}

/// Asks for the row's files to be written into the remembered folder;
/// with none remembered, asks for the folder first.
fn write(app: &mut App, row: Row) -> Vec<Effect> {
    let files = match kinds(app, row) {
        Ok(files) => files,
        Err(why) => {
            app.notify(NoticeKind::Warning, why);
            return Vec::new();
        }
    };
    let Some(folder) = app.data.files_folder.clone() else {
        super::folder::open(app);
        app.notify(
            NoticeKind::Info,
            "Choose the folder first (Enter), then press Enter on the file again.",
        );
        return Vec::new();
    };
    vec![Effect::WriteFiles(FileJob {
        folder: crate::tui::jobs::expand_home(&folder),
        files,
    })]
}

/// After the files are written: they are listed with their paths.
pub fn written(app: &mut App, written: Vec<Written>, at: chrono::NaiveDateTime) {
    let count = written.len();
    let state = &mut app.screens.files;
    state.failed = None;
    state.written = written;
    state.written_at = Some(at.format("%H:%M").to_string());
    if app.screen != Screen::Files {
        app.go(Screen::Files);
    }
    app.notify(
        NoticeKind::Info,
        format!(
            "Written: {count} {}, listed below with where each is.",
            if count == 1 { "item" } else { "items" }
        ),
    );
}

/// After a write that failed: why, in full, on the screen.
pub fn failed(app: &mut App, why: String) {
    app.screens.files.failed = Some(why);
    app.notify(NoticeKind::Error, "Not written: why is said below the list of files.");
}
