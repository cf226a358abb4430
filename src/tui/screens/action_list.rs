//! The action list across children and meetings: filtered by status and
//! owner, soonest deadline first; done or dropped (with a reason) here.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::tui::view::{Theme, fit};
use crate::model::ActionStatus;
use crate::rules::dates::dmy;
use crate::tui::mouse::HitMap;
use crate::tui::app::App;

pub fn draw(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let shown = app.visible_actions();
    let owner = app.action_owner().unwrap_or("everyone");
    let width = usize::from(area.width);
    let mut lines = vec![
        Line::styled(
            fit(
                &format!(
                    "{} {} actions · owner: {owner} (f status, o owner)",
                    shown.len(),
                    crate::tui::app::status_label(app.action_filter.status)
                ),
                width,
            ),
            theme.bold(),
        ),
        Line::raw(""),
    ];
    if shown.is_empty() {
        lines.push(Line::raw("  None."));
    }
    // Two lines each, so a long owner is never cut; the list scrolls.
    let room = usize::from(area.height.saturating_sub(2) / 2).max(1);
    let skip = (app.action_cursor + 1).saturating_sub(room);
    for (i, a) in shown.iter().enumerate().skip(skip).take(room) {
        let overdue = a.status == ActionStatus::Open && a.deadline < app.membership_day();
        // The word, not only a colour: the screen may be projected.
        let state = if overdue { "OVERDUE" } else { a.status.id() };
        let marker = if i == app.action_cursor { "▶" } else { " " };
        let first = fit(
            &format!(
                "{marker} {}  {state:<8} {}  {}",
                dmy(a.deadline),
                a.child,
                a.text
            ),
            width,
        );
        let style = if i == app.action_cursor {
            theme.highlight()
        } else if overdue {
            theme.warn()
        } else {
            ratatui::style::Style::new()
        };
        crate::tui::view::record_row(hits, area, lines.len(), 2, i);
        lines.push(Line::styled(first, style));
        let mut second = format!("               owner: {}", a.owner);
        if let Some(reason) = &a.status_reason {
            second.push_str(&format!(" · {reason}"));
        }
        lines.push(Line::styled(fit(&second, width), theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
