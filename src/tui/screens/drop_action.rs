//! Dropping an action: why it is dropped, typed on one line (required).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::tui::app::App;
use crate::tui::mouse::HitMap;
use crate::tui::view::{Theme, draw_editor, fit, keys_reach_editor};

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, _hits: &mut HitMap) {
    let Some(action) = app
        .dropping
        .and_then(|id| app.data.all_actions.iter().find(|a| a.id == id))
    else {
        return;
    };
    let [intro, field, _] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(
                fit(
                    &format!("Drop: {} ({})", action.text, app.child_label(&action.child)),
                    usize::from(area.width),
                ),
                theme.bold(),
            ),
            Line::raw("Type why it is dropped and press Enter; Esc keeps it open."),
        ]),
        intro,
    );
    let [label, input] =
        Layout::horizontal([Constraint::Length(9), Constraint::Fill(1)]).areas(field);
    frame.render_widget(Paragraph::new("Reason").style(theme.bold()), label);
    let focused = keys_reach_editor(app);
    draw_editor(frame, input, &app.drop_reason, focused, theme.highlight());
}
