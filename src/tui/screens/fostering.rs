//! Fostering Panel: its sittings (as `fostering-panel list`), each with
//! its slots, the children booked and the slots free; the sittings to come
//! first, the past ones greyed below a rule; and the demand the SMT report
//! counts, set against the free slots of the next six months. a records a
//! sitting (or its slots again), s changes the highlighted one's slots, b
//! books a child to it, x takes a booking off, d removes a sitting with no
//! one booked; u undoes each.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::rules::dates::{dmy, weekday_name};
use crate::store::FosteringPanel;
use crate::tui::app::{App, Msg, NoticeKind};
use crate::tui::mouse::HitMap;
use crate::tui::preparation::PrepMsg;
use crate::tui::view::{Theme, fit, wrap};

/// How many lines the children waiting and not booked take at most.
const NOT_BOOKED_LINES: usize = 3;

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The highlighted sitting, in the order listed (see [`listed`]).
    pub cursor: usize,
}

impl super::ScreenState for State {}

/// The sittings in the order the screen lists them: from today on, soonest
/// first; then the past ones, latest first. The count is of those to come.
pub fn listed(app: &App) -> (Vec<&FosteringPanel>, usize) {
    let panels = &app.data.fostering.panels;
    let mut rows: Vec<&FosteringPanel> = panels.iter().filter(|p| p.date >= app.today).collect();
    let to_come = rows.len();
    rows.extend(panels.iter().rev().filter(|p| p.date < app.today));
    (rows, to_come)
}

/// The highlighted sitting.
pub fn highlighted(app: &App) -> Option<&FosteringPanel> {
    listed(app).0.get(app.screens.fostering.cursor).copied()
}

/// Opens on the next sitting to come (the first listed).
pub fn open(app: &mut App) {
    app.screens.fostering.cursor = 0;
}

/// After a write: the highlight stays on a listed sitting.
pub fn keep_cursor_in_range(app: &mut App) {
    let last = listed(app).0.len().saturating_sub(1);
    let cursor = &mut app.screens.fostering.cursor;
    *cursor = (*cursor).min(last);
}

/// "7 children with a long-term fostering plan and no match agreed (2
/// booked); 3 free slots in the next six months (to 27/05/2027)."
pub fn demand_line(app: &App) -> String {
    let demand = &app.data.fostering.demand;
    let waiting = demand.waiting.len();
    let booked = waiting - demand.unbooked().count();
    format!(
        "{waiting} {} with a long-term fostering plan and no match agreed ({booked} booked); {} free {} in the next six months (to {}).",
        if waiting == 1 { "child" } else { "children" },
        demand.free,
        if demand.free == 1 { "slot" } else { "slots" },
        dmy(demand.horizon)
    )
}

/// The Home line when the matches waiting and not booked outnumber the free
/// slots of the next six months; only for panels whose terms oversee the
/// Fostering Panel's capacity.
pub fn home_due(app: &App) -> Option<String> {
    if !crate::report::fostering::oversees_capacity(&app.terms) {
        return None;
    }
    let demand = &app.data.fostering.demand;
    if demand.beyond_free_slots() == 0 {
        return None;
    }
    let unbooked = demand.unbooked().count();
    Some(format!(
        "  Fostering Panel: {unbooked} long-term {} waiting, {} free {} in six months (O)",
        if unbooked == 1 { "match" } else { "matches" },
        demand.free,
        if demand.free == 1 { "slot" } else { "slots" },
    ))
}

fn row_text(app: &App, p: &FosteringPanel, marker: &str) -> String {
    let children: Vec<String> = p.booked.iter().map(|c| app.child_label(c)).collect();
    format!(
        "{marker} {:<9} {}  {:>5}  {:>6}  {:>4}  {}",
        weekday_name(p.date.weekday()),
        dmy(p.date),
        p.slots,
        p.booked.len(),
        p.free(),
        children.join(", ")
    )
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, hits: &mut HitMap) {
    let width = usize::from(area.width);
    let (rows, to_come) = listed(app);
    let mut lines: Vec<Line> = vec![Line::styled(
        fit(
            &format!("Fostering Panel: sittings and long-term matches ({})", rows.len()),
            width,
        ),
        theme.bold(),
    )];
    let intro = "a records a sitting (or its slots again), s changes the highlighted one's slots; b books a child to it, x takes a booking off, d removes a sitting with no one booked.";
    lines.extend(wrap(intro, width).into_iter().map(Line::raw));
    let demand = &app.data.fostering.demand;
    let style = if demand.beyond_free_slots() > 0 {
        theme.warn()
    } else {
        ratatui::style::Style::new()
    };
    lines.extend(
        wrap(&demand_line(app), width)
            .into_iter()
            .map(|l| Line::styled(l, style)),
    );
    lines.push(Line::raw(""));
    if rows.is_empty() {
        lines.push(Line::raw(
            "No sitting of the Fostering Panel is recorded yet: press a to record one.",
        ));
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    lines.push(Line::styled(
        fit(
            "  Day       Date        Slots  Booked  Free  Children booked",
            width,
        ),
        theme.bold(),
    ));
    let cursor = app.screens.fostering.cursor;
    // The highlighted sitting's children, in full, under the list.
    let details: Vec<String> = rows
        .get(cursor)
        .filter(|p| !p.booked.is_empty())
        .map(|p| {
            let children: Vec<String> = p.booked.iter().map(|c| app.child_label(c)).collect();
            wrap(
                &format!("Booked to {}: {}.", dmy(p.date), children.join("; ")),
                width,
            )
        })
        .unwrap_or_default();
    // Who is waiting and not booked, for booking: at most three lines.
    let unbooked: Vec<String> = demand
        .unbooked()
        .map(|w| format!("{} (plan agreed {})", app.child_label(&w.child), dmy(w.agreed)))
        .collect();
    let mut not_booked = if unbooked.is_empty() {
        Vec::new()
    } else {
        wrap(
            &format!("Not booked yet: {}.", unbooked.join("; ")),
            width,
        )
    };
    if not_booked.len() > NOT_BOOKED_LINES {
        not_booked.truncate(NOT_BOOKED_LINES);
        if let Some(last) = not_booked.last_mut() {
            *last = fit(&format!("{last} …"), width);
        }
    }
    let details: Vec<String> = not_booked.into_iter().chain(details).collect();
    // The list's lines: each sitting, and the rule before the past ones.
    let mut listed_lines: Vec<(Option<usize>, Line)> = Vec::new();
    for (i, p) in rows.iter().enumerate() {
        if i == to_come {
            let rule = format!(
                "── Past sittings {}",
                "─".repeat(width.saturating_sub(18))
            );
            listed_lines.push((None, Line::styled(fit(&rule, width), theme.dim())));
        }
        let marker = if i == cursor { "▶" } else { " " };
        let style = if i == cursor {
            theme.highlight()
        } else if i >= to_come {
            theme.dim()
        } else {
            ratatui::style::Style::new()
        };
        listed_lines.push((Some(i), Line::styled(fit(&row_text(app, p, marker), width), style)));
    }
    let room = usize::from(area.height)
        .saturating_sub(lines.len() + details.len() + 2)
        .max(1);
    let at = listed_lines
        .iter()
        .position(|(i, _)| *i == Some(cursor))
        .unwrap_or(0);
    let skip = super::first_shown(at, room);
    let hidden = listed_lines.len().saturating_sub(skip + room);
    for (i, line) in listed_lines.into_iter().skip(skip).take(room) {
        if let Some(i) = i {
            crate::tui::view::record_row(hits, area, lines.len(), 1, i);
        }
        lines.push(line);
    }
    if let Some(hint) = crate::tui::view::scroll_hint(skip, hidden) {
        lines.push(Line::styled(hint, theme.dim()));
    }
    if !details.is_empty() {
        lines.push(Line::raw(""));
        lines.extend(details.into_iter().map(Line::raw));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    use super::prep_form::{self, Purpose};
    let len = listed(app).0.len();
    if super::move_cursor(&mut app.screens.fostering.cursor, len, &msg) {
        return super::Outcome::done();
    }
    let Msg::Prepare(wanted) = msg else {
        return super::Outcome::Unhandled(msg);
    };
    if wanted == PrepMsg::AddFosteringPanel {
        prep_form::open(app, Purpose::AddFosteringPanel);
        return super::Outcome::done();
    }
    let Some(sitting) = highlighted(app).cloned() else {
        app.notify(
            NoticeKind::Warning,
            "No sitting of the Fostering Panel is recorded yet: press a to record one.",
        );
        return super::Outcome::done();
    };
    match wanted {
        PrepMsg::FosteringSlots => prep_form::open(app, Purpose::FosteringSlots(sitting.date)),
        PrepMsg::BookFostering => prep_form::open(app, Purpose::BookFostering(sitting.date)),
        PrepMsg::UnbookFostering if sitting.booked.is_empty() => app.notify(
            NoticeKind::Warning,
            format!(
                "No child is booked to the Fostering Panel of {}.",
                dmy(sitting.date)
            ),
        ),
        PrepMsg::UnbookFostering => prep_form::open(app, Purpose::UnbookFostering(sitting.date)),
        PrepMsg::RemoveFosteringPanel => {
            return super::Outcome::Handled(vec![crate::tui::app::Effect::Prepare(
                crate::tui::preparation::Prepare::RemoveFosteringPanel { day: sitting.date },
            )]);
        }
        other => return super::Outcome::Unhandled(Msg::Prepare(other)),
    }
    super::Outcome::done()
}
