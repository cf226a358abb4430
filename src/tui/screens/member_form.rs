//! The member form: one member added or changed. Role, Kind and Deputy for
//! are chosen with ↑↓ (Role and Deputy for can be typed too).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::members::role_title;
use crate::tui::view::{Theme, draw_editor, fit, keys_reach_editor};
use crate::tui::mouse::HitMap;
use crate::tui::app::{App, MemberField};
use crate::tui::editor::LineEditor;

pub fn draw(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let Some(form) = app.member_form() else {
        return;
    };
    let [intro, fields, _gap, notes] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(MemberField::ALL.len() as u16),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    let heading = if form.id == 0 {
        "New member".to_owned()
    } else {
        format!("Member: {}", form.job_title.text())
    };
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(fit(&heading, usize::from(area.width)), theme.bold()),
            Line::raw("Tab moves between fields; ↑↓ chooses; Enter saves; Esc keeps the draft."),
        ]),
        intro,
    );
    const LABEL: u16 = 13;
    const HINT: u16 = 32;
    for (row, field) in MemberField::ALL.iter().enumerate() {
        let line = Rect::new(fields.x, fields.y + row as u16, fields.width, 1);
        crate::tui::view::record_row(hits, fields, row, 1, row);
        let [label, input, hint, _rest] = Layout::horizontal([
            Constraint::Length(LABEL),
            Constraint::Max(64),
            Constraint::Length(HINT),
            Constraint::Fill(1),
        ])
        .areas(line);
        let focused = form.field == *field;
        let marker = if focused { "▶" } else { " " };
        frame.render_widget(
            Paragraph::new(format!("{marker} {}", field.label())).style(theme.bold()),
            label,
        );
        let style = if focused {
            theme.highlight()
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED)
        };
        let cursor_here = focused && keys_reach_editor(app);
        // Kind is only chosen, so it is drawn as its word without a cursor.
        let kind = LineEditor::with_text(form.kind.id());
        let editor = form.editor(*field).unwrap_or(&kind);
        let typed_here = cursor_here && form.editor(*field).is_some();
        draw_editor(frame, input, editor, typed_here, style);
        let hint_text = match field {
            MemberField::JobTitle => "",
            MemberField::Role => " ↑↓ preset roles, or type an id",
            MemberField::Kind => " ↑↓ standing/adviser/presenter",
            MemberField::DeputyFor => " blank, or ↑↓ a role",
            MemberField::From | MemberField::Until => " dd/mm/yyyy or blank",
        };
        frame.render_widget(Paragraph::new(hint_text).style(theme.dim()), hint);
    }
    // What the role ids stand for, so a typed id can be checked at a glance.
    let width = usize::from(area.width);
    let mut lines: Vec<Line> = Vec::new();
    let role = form.role.text().trim();
    if !role.is_empty() {
        let known = app.terms.role(role).is_some();
        let text = if known {
            format!("Role {role}: {}", role_title(app, role))
        } else {
            format!("Role {role}: not a role of the {} preset", app.terms.id)
        };
        lines.push(Line::raw(fit(&text, width)));
    }
    let deputy = form.deputy_for.text().trim();
    if !deputy.is_empty() {
        lines.push(Line::raw(fit(
            &format!("Deputises for: {}", role_title(app, deputy)),
            width,
        )));
    }
    frame.render_widget(Paragraph::new(lines), notes);
}
