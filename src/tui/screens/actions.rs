//! Actions: a form for a new action on the child being heard, and the
//! child's actions so far.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::tui::view::{Theme, draw_editor, fit, keys_reach_editor};
use crate::rules::dates::dmy;
use crate::tui::mouse::HitMap;
use crate::tui::app::{ActionField, App};

pub fn draw(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    hits: &mut HitMap,
) {
    // A correction shows the corrected action's child; a new action, the
    // child being heard.
    let corrected = app
        .correcting
        .as_ref()
        .and_then(|(id, _)| app.data.all_actions.iter().find(|a| a.id == *id));
    let Some(child) = corrected
        .map(|a| a.child.clone())
        .or_else(|| app.current_item().map(|i| i.child.clone()))
    else {
        return;
    };
    let form = app.action_form();
    let [intro, fields, advice_row, list] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(3),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(
                match corrected {
                    Some(a) => format!("Correct action {} for {}", a.id, app.child_label(&child)),
                    None => format!("New action for {}", app.child_label(&child)),
                },
                theme.bold(),
            ),
            Line::raw(if corrected.is_some() {
                "Tab moves between fields; Enter saves the correction (the old wording is kept)."
            } else {
                "Tab moves between fields; Enter saves."
            }),
        ]),
        intro,
    );
    const LABEL: u16 = 11;
    const HINT: u16 = 24;
    for (row, field) in ActionField::ALL.iter().enumerate() {
        let y = fields.y + row as u16;
        crate::tui::view::record_row(hits, fields, row, 1, row);
        let line = Rect::new(fields.x, y, fields.width, 1);
        // The field keeps a readable width on a wide window; the hint follows it.
        let [label, input, hint] = Layout::horizontal([
            Constraint::Length(LABEL),
            Constraint::Max(64),
            Constraint::Min(HINT),
        ])
        .areas(line);
        let focused = form.is_some_and(|f| f.field == *field);
        let marker = if focused { "▶" } else { " " };
        frame.render_widget(
            Paragraph::new(format!("{marker} {}", field.label())).style(theme.bold()),
            label,
        );
        let style = if focused {
            theme.highlight()
        } else {
            Style::new().add_modifier(ratatui::style::Modifier::UNDERLINED)
        };
        let empty = crate::tui::editor::LineEditor::new();
        let editor = form.map_or(&empty, |f| f.editor(*field));
        let cursor_here = focused && keys_reach_editor(app);
        draw_editor(frame, input, editor, cursor_here, style);
        let hint_text = match field {
            ActionField::Text => String::new(),
            ActionField::Owner => {
                form.map_or_else(|| " ↑↓ picks a member".to_owned(), |f| owner_hint(app, f))
            }
            ActionField::Deadline => deadline_hint(app, editor.text()),
        };
        frame.render_widget(Paragraph::new(hint_text).style(theme.dim()), hint);
    }
    // A deadline on a closed day: said as it is typed, with the key that
    // moves it, so saving never has to stop and ask.
    if let Some(advice) = form.and_then(|f| closed_day_advice(app, f.deadline.text())) {
        let indented = format!("{:w$}{}", "", advice.text, w = usize::from(LABEL));
        frame.render_widget(
            Paragraph::new(fit(&indented, usize::from(advice_row.width))).style(theme.warn()),
            advice_row,
        );
    }
    let actions = app.data.actions_for(&child);
    let mut lines: Vec<Line> = vec![Line::styled(
        format!(
            "Actions for {} ({})",
            app.child_label(&child),
            actions.len()
        ),
        theme.bold(),
    )];
    if actions.is_empty() {
        lines.push(Line::raw("  none yet"));
    }
    // Two lines each, so a long job title as owner is never cut.
    let width = usize::from(area.width);
    for a in actions {
        lines.push(Line::raw(fit(
            &format!("  {}  {:<7} {}", dmy(a.deadline), a.status.id(), a.text),
            width,
        )));
        lines.push(Line::raw(fit(
            &format!("{:22}owner: {}", "", a.owner),
            width,
        )));
    }
    frame.render_widget(Paragraph::new(lines), list);
}

/// What ↑↓ offers in the owner field: how many owners match what is
/// typed, which one is picked, or that it is saved as typed.
fn owner_hint(app: &App, form: &crate::tui::app::ActionForm) -> String {
    if form.owner_typed.trim().is_empty() && form.picked.is_none() {
        return " ↑↓ picks a member".to_owned();
    }
    let n = app.owner_choices(&form.owner_typed).len();
    match (form.picked, n) {
        (Some(i), _) => format!(" ↑↓ {} of {n} owners", i + 1),
        (None, 0) => " no match: saved as typed".to_owned(),
        (None, 1) => " ↓ 1 owner matches".to_owned(),
        (None, n) => format!(" ↑↓ {n} owners match"),
    }
}

/// The deadline as it will be saved, shown while it is typed: the date it
/// resolves to, or the forms, or why it cannot be saved.
fn deadline_hint(app: &App, typed: &str) -> String {
    if typed.trim().is_empty() {
        return " 31/12, +2w, next fri ...".to_owned();
    }
    match crate::rules::deadline::parse(typed, app.action_form_day(), app.data.next_panel) {
        Ok(day) => format!(" = {}", day.format("%a %d/%m/%Y")),
        Err(_) => " ? not a date yet".to_owned(),
    }
}

/// What the form says when the deadline typed falls on a closed day.
fn closed_day_advice(app: &App, typed: &str) -> Option<crate::tui::closed_day::ClosedDay> {
    let meeting_day = app.action_form_day();
    let day = crate::rules::deadline::parse(typed, meeting_day, app.data.next_panel).ok()?;
    crate::tui::closed_day::advice(day, meeting_day, &crate::tui::closed_day::calendar())
}
