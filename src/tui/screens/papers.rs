//! Papers: the chase list for the meeting on screen (who owes which paper,
//! due when, how late, said in words as well as colour), and marking the
//! highlighted paper received, signed off or awaited again, through the
//! same use case as `papers --status`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::rules::dates::dmy;
use crate::rules::papers::PaperStatus;
use crate::tui::app::{App, Effect, Msg, NoticeKind};
use crate::tui::mouse::HitMap;
use crate::tui::view::{Theme, fit, wrap};
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
    let title = match rows.first() {
        Some(first) => format!(
            "Papers for the meeting of {}: due {}",
            dmy(meeting.date),
            dmy(first.due)
        ),
        None => format!("Papers for the meeting of {}", dmy(meeting.date)),
    };
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
    // Columns: the child, the paper, who owes it, where it stands.
    let child_w = rows
        .iter()
        .map(|r| app.child_label(&r.child).chars().count())
        .max()
        .unwrap_or(0)
        .min(width / 4);
    let status_w = 14;
    let rest = width.saturating_sub(child_w + status_w + 8);
    let paper_w = rest / 2;
    let owed_w = rest - paper_w;
    lines.push(Line::styled(
        fit(
            &format!(
                "  {:<child_w$}  {:<paper_w$}  {:<owed_w$}  {}",
                "Child", "Paper", "Owed by", "Where it stands"
            ),
            width,
        ),
        theme.bold(),
    ));
    let header = lines.len();
    let cursor = app.screens.papers.cursor.min(rows.len() - 1);
    let room = usize::from(area.height).saturating_sub(header + 1).max(1);
    let skip = (cursor + 1).saturating_sub(room);
    for (i, row) in rows.iter().enumerate().skip(skip).take(room) {
        let (words, urgency) = chase_words(row.due, row.status, app.today);
        let marker = if i == cursor { "▶" } else { " " };
        let left = format!(
            "{marker} {:<child_w$}  {:<paper_w$}  {:<owed_w$}  ",
            fit(&app.child_label(&row.child), child_w),
            fit(&row.paper, paper_w),
            fit(&row.owed_by, owed_w),
        );
        let status_style = match urgency {
            Urgency::Late => theme.late(),
            Urgency::Soon => theme.warn(),
            Urgency::Calm => ratatui::style::Style::new(),
        };
        crate::tui::view::record_row(hits, area, lines.len(), 1, i);
        if i == cursor {
            lines.push(Line::styled(
                fit(&format!("{left}{words}"), width),
                theme.highlight(),
            ));
        } else {
            lines.push(Line::from(vec![
                Span::raw(left),
                Span::styled(words, status_style),
            ]));
        }
    }
    let below = rows.len().saturating_sub(skip + room);
    if skip + below > 0 {
        lines.push(Line::styled(
            format!("  ({skip} more above, {below} below: ↑↓ scrolls)"),
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
