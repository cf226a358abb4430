//! Matters arising: the open actions carried forward from earlier meetings
//! (or past their deadline), grouped by child, until each is done or
//! dropped with a reason.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::tui::view::{Theme, fit};
use crate::rules::dates::dmy;
use crate::tui::mouse::HitMap;
use crate::tui::app::App;
use crate::tui::matters::matters_arising;

pub fn draw(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let width = usize::from(area.width);
    let matters = matters_arising(app);
    let mut lines = vec![
        Line::styled(
            fit(
                &format!(
                    "{} matters arising: open actions from earlier meetings or due by today",
                    matters.len()
                ),
                width,
            ),
            theme.bold(),
        ),
        Line::raw(fit(
            "Each stays here until done (x) or dropped with a reason (z).",
            width,
        )),
        Line::raw(""),
    ];
    let header = lines.len();
    if matters.is_empty() {
        lines.push(Line::raw(
            "  None: every earlier action is done or dropped.",
        ));
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    // Every line of the list, a child's heading before their first action;
    // each action's two lines carry its row for the highlight and the mouse.
    let mut body: Vec<(Option<usize>, Line)> = Vec::new();
    for (i, a) in matters.iter().enumerate() {
        if i == 0 || matters[i - 1].child != a.child {
            let on_agenda = app.data.agenda.iter().any(|item| item.child == a.child);
            let note = if on_agenda { " (on this agenda)" } else { "" };
            body.push((
                None,
                Line::styled(format!("{}{note}", app.child_label(&a.child)), theme.bold()),
            ));
        }
        let overdue = a.deadline < app.membership_day();
        // The word, not only a colour: the screen may be projected.
        let state = if overdue { "OVERDUE" } else { "due" };
        let raised = app
            .data
            .meeting_dates
            .get(&a.meeting)
            .map(|d| format!(" · raised {}", dmy(*d)))
            .unwrap_or_default();
        let marker = if i == app.screens.matters.cursor { "▶" } else { " " };
        let text = fit(
            &format!("{marker} {} {state:<7} {}", dmy(a.deadline), a.text),
            width,
        );
        let details = fit(&format!("    owner: {}{raised}", a.owner), width);
        let style = if i == app.screens.matters.cursor {
            theme.highlight()
        } else if overdue {
            theme.warn()
        } else {
            Style::new()
        };
        body.push((Some(i), Line::styled(text, style)));
        body.push((Some(i), Line::styled(details, theme.dim())));
    }
    // Scroll so the highlighted action's two lines stay in view.
    let room = usize::from(area.height).saturating_sub(header).max(1);
    let cursor_line = body
        .iter()
        .rposition(|(row, _)| *row == Some(app.screens.matters.cursor))
        .unwrap_or(0);
    let skip = super::first_shown(cursor_line, room);
    for (row, line) in body.into_iter().skip(skip).take(room) {
        if let Some(row) = row {
            crate::tui::view::record_row(hits, area, lines.len(), 1, row);
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), area);
}

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The highlighted matter.
    pub cursor: usize,
}

impl super::ScreenState for State {}

/// ↑↓ and clicks move the highlight; done, drop and correct act on the
/// highlighted matter's action as on the action list.
pub fn handle(app: &mut App, msg: crate::tui::app::Msg) -> super::Outcome {
    use crate::tui::app::Msg;
    let last = matters_arising(app).len().saturating_sub(1);
    let cursor = &mut app.screens.matters.cursor;
    match msg {
        Msg::Up => *cursor = cursor.saturating_sub(1),
        Msg::Down => *cursor = (*cursor + 1).min(last),
        Msg::Select(row) => *cursor = row.min(last),
        other => return super::action_list::act_on_highlighted(app, other),
    }
    super::Outcome::done()
}
