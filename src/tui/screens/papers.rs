//! Papers: the chase list for the meeting on screen (who owes which paper,
//! due when, how late, said in words as well as colour), and marking the
//! highlighted paper received, signed off or awaited again, through the
//! same use case as `papers --status`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::rules::papers::PaperStatus;
use crate::tui::app::{App, Effect, Msg, NoticeKind};
use crate::tui::mouse::HitMap;
use crate::tui::view::{Theme, fit, meeting_when, wrap};
use crate::usecase::papers::{PaperRow, Urgency, chase_rows, chase_words, home_line};

/// The chase list of the meeting on screen, as `papers --meeting` gives it,
/// from the data the app holds.
pub fn rows(app: &App) -> Vec<PaperRow> {
    let Some(meeting) = &app.data.meeting else {
        return Vec::new();
    };
    chase_rows(
        &app.terms,
        meeting,
        &app.data.agenda,
        &app.data.agenda_item_types,
        &app.data.paper_statuses,
        &app.data.referrals,
        app.today,
    )
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, hits: &mut HitMap) {
    let width = usize::from(area.width);
    let rows = rows(app);
    let mut lines: Vec<Line> = Vec::new();
    let Some(meeting) = &app.data.meeting else {
        return;
    };
    let title = format!("Papers for the meeting of {}", meeting_when(meeting));
    lines.push(Line::styled(fit(&title, width), theme.bold()));
    let summary = home_line(&rows, app.today).unwrap_or_else(|| {
        "No paper is asked for yet: the agenda is empty.".to_owned()
    });
    lines.push(Line::raw(fit(&summary, width)));
    lines.extend(
        wrap(
            "r marks the highlighted paper received, s signed off, a awaited again; u undoes.",
            width,
        )
        .into_iter()
        .map(|l| Line::styled(l, theme.dim())),
    );
    lines.push(Line::raw(""));
    if rows.is_empty() {
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    // Each child's name, then a line a paper: the paper, who owes it,
    // where it stands (in words, coloured as well).
    let status_w = 15;
    let rest = width.saturating_sub(status_w + 7);
    // Who owes it in full where it fits in half; the paper takes the rest.
    let longest_owed = rows.iter().map(|r| r.owed_by.chars().count()).max();
    let owed_w = longest_owed.unwrap_or(0).min(rest / 2);
    let paper_w = rest - owed_w;
    let mut body: Vec<(Option<usize>, Line)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if i == 0 || rows[i - 1].child != row.child {
            body.push((
                None,
                Line::styled(fit(&app.child_label(&row.child), width), theme.bold()),
            ));
        }
        let (words, urgency) = chase_words(row.due, row.status, app.today);
        let highlighted = i == app.screens.papers.cursor;
        let marker = if highlighted { "▶" } else { " " };
        let left = format!(
            " {marker} {:<paper_w$}  {:<owed_w$}  ",
            fit(&row.paper, paper_w),
            fit(&row.owed_by, owed_w),
        );
        let status_style = match urgency {
            Urgency::Late => theme.late(),
            Urgency::Soon => theme.warn(),
            Urgency::Calm => ratatui::style::Style::new(),
        };
        let line = if highlighted {
            Line::styled(fit(&format!("{left}{words}"), width), theme.highlight())
        } else {
            Line::from(vec![Span::raw(left), Span::styled(words, status_style)])
        };
        body.push((Some(i), line));
    }
    // Scrolled so the highlighted paper (and its child's name) shows.
    let room = usize::from(area.height).saturating_sub(lines.len() + 1).max(2);
    let at = body
        .iter()
        .position(|(row, _)| *row == Some(app.screens.papers.cursor))
        .unwrap_or(0);
    let skip = (at + 1).saturating_sub(room);
    let below = body.len().saturating_sub(skip + room);
    for (row, line) in body.into_iter().skip(skip).take(room) {
        if let Some(i) = row {
            crate::tui::view::record_row(hits, area, lines.len(), 1, i);
        }
        lines.push(line);
    }
    if skip + below > 0 {
        lines.push(Line::styled(
            format!("  ({skip} lines above, {below} below: ↑↓ scrolls)"),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The highlighted paper, a row of the chase list.
    pub cursor: usize,
}

impl super::ScreenState for State {}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    let count = rows(app).len();
    let last = count.saturating_sub(1);
    let cursor = &mut app.screens.papers.cursor;
    match msg {
        Msg::Up => *cursor = cursor.saturating_sub(1),
        Msg::Down => *cursor = (*cursor + 1).min(last),
        Msg::Select(row) => *cursor = row.min(last),
        Msg::SetPaper(status) => return super::Outcome::Handled(mark(app, status)),
        other => return super::Outcome::Unhandled(other),
    }
    super::Outcome::done()
}

/// Records the highlighted paper's new state, unless it already stands so.
fn mark(app: &mut App, status: PaperStatus) -> Vec<Effect> {
    if app.read_only {
        app.notify(NoticeKind::Warning, "This window is read-only: nothing was recorded.");
        return Vec::new();
    }
    let rows = rows(app);
    let (Some(meeting), Some(row)) = (app.meeting_id(), rows.get(app.screens.papers.cursor))
    else {
        app.notify(NoticeKind::Warning, "There is no paper to mark: the agenda is empty.");
        return Vec::new();
    };
    if row.status == status {
        app.notify(
            NoticeKind::Info,
            format!(
                "{} for {} is already {}.",
                row.paper,
                app.child_label(&row.child),
                status_words(status)
            ),
        );
        return Vec::new();
    }
    vec![Effect::SetPaper {
        meeting,
        child: row.child.clone(),
        paper: row.paper.clone(),
        status,
    }]
}

/// A status as the screen says it.
pub fn status_words(status: PaperStatus) -> &'static str {
    match status {
        PaperStatus::Awaited => "awaited",
        PaperStatus::Received => "received",
        PaperStatus::SignedOff => "signed off",
    }
}
