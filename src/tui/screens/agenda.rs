//! Agenda: the children in order, the one being heard highlighted, and why
//! it is listed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::tui::view::{Theme, label_width, listed_under, wrap};
use crate::tui::mouse::HitMap;
use crate::tui::app::App;

pub fn draw(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let mut lines: Vec<Line> = Vec::new();
    if app.data.agenda.is_empty() {
        lines.push(Line::raw("No child is on this meeting's agenda."));
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    // Keep the current child in view on a long agenda, leaving room below
    // for why it is listed.
    let room = usize::from(area.height / 2).max(1);
    let skip = super::first_shown(app.current, room);
    let width = label_width(app);
    for (i, item) in app.data.agenda.iter().enumerate().skip(skip).take(room) {
        let mut notes = Vec::new();
        if app.data.decision_for(&item.child).is_some() {
            notes.push("decided".to_owned());
        }
        if app.data.carried_over.contains(&item.child) {
            notes.push("carried over".to_owned());
        }
        let actions = app
            .data
            .actions_for(&item.child)
            .iter()
            .filter(|a| a.meeting == item.meeting)
            .count();
        if actions > 0 {
            notes.push(format!(
                "{actions} action{}",
                if actions == 1 { "" } else { "s" }
            ));
        }
        crate::tui::view::record_row(hits, area, lines.len(), 1, i);
        let marker = if i == app.current { "▶" } else { " " };
        let text = format!(
            "{marker} {:>2}. {:<width$} {:<28} {}",
            item.position,
            app.child_label(&item.child),
            listed_under(&item.listed_under),
            notes.join(", ")
        );
        lines.push(if i == app.current {
            Line::styled(text, theme.highlight())
        } else {
            Line::raw(text)
        });
    }
    if let Some(t) = app.timing() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(
                "Timing: this child's slot {}–{}, {}; the meeting ends about {} (planned {})",
                t.slot_start.format("%H:%M"),
                t.slot_end.format("%H:%M"),
                t.status(),
                t.projected_end.format("%H:%M"),
                app.data
                    .meeting
                    .as_ref()
                    .map(|m| m.end.format("%H:%M").to_string())
                    .unwrap_or_default()
            ),
            if t.behind_minutes > 0 {
                theme.warn()
            } else {
                theme.dim()
            },
        ));
    }
    if let Some(item) = app.current_item() {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("Why {} is listed", app.child_label(&item.child)),
            theme.bold(),
        ));
        for reason in &item.reasons {
            for (i, part) in wrap(reason, usize::from(area.width).saturating_sub(4))
                .into_iter()
                .enumerate()
            {
                let bullet = if i == 0 { "  • " } else { "    " };
                lines.push(Line::raw(format!("{bullet}{part}")));
            }
        }
    }
    if !app.data.waiting.is_empty() {
        // Nobody drops off: those who did not fit are named, in order.
        let names: Vec<&str> = app.data.waiting.iter().map(|i| i.child.as_str()).collect();
        lines.push(Line::raw(""));
        // Two lines at most: as many as fit, then how many more wait.
        let width = usize::from(area.width).saturating_sub(2);
        let said = |shown: usize| {
            let more = names.len() - shown;
            let rest = if more > 0 {
                format!("{}+{more} more", if shown > 0 { ", " } else { "" })
            } else {
                String::new()
            };
            format!(
                "Waiting for the next meeting ({}): {}{rest}",
                names.len(),
                names[..shown].join(", ")
            )
        };
        let text = (0..=names.len())
            .rev()
            .map(said)
            .find(|text| wrap(text, width).len() <= 2)
            .unwrap_or_else(|| said(0));
        for part in wrap(&text, width).into_iter().take(2) {
            lines.push(Line::styled(format!(" {part}"), theme.dim()));
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The agenda's highlight is the child being heard (`App::current`),
/// which every meeting screen shares: nothing of its own.
#[derive(Debug, Clone, Default)]
pub struct State;

impl super::ScreenState for State {}

/// A click on a row makes that child the one being heard (the presenter
/// view follows), as ↑↓ do; the steps themselves are the app's
/// (`Msg::NextChild`), shared with the card.
pub fn handle(app: &mut App, msg: crate::tui::app::Msg) -> super::Outcome {
    let crate::tui::app::Msg::Select(row) = msg else {
        return super::Outcome::Unhandled(msg);
    };
    let (Some(meeting), Some(item)) = (app.meeting_id(), app.data.agenda.get(row)) else {
        return super::Outcome::done();
    };
    let item = item.id;
    app.current = row;
    super::Outcome::Handled(crate::tui::mouse::follow(app, meeting, item))
}
