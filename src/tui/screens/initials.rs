//! The app's settings: the initials recorded in the audit with every change
//! made here from now on, kept for this person on this computer
//! (`tui::settings`), typed on one line.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::tui::app::{App, Effect, Msg, NoticeKind};
use crate::tui::mouse::HitMap;
use crate::tui::prompt::Prompt;
use crate::tui::view::{Theme, keys_reach_editor, wrap};

#[derive(Debug, Clone, Default)]
pub struct State {
    pub text: Prompt,
}

impl super::ScreenState for State {}

/// Opens the field holding the initials in use (if set in the app).
pub fn open(app: &mut App) {
    let held = app.initials.clone().unwrap_or_default();
    app.screens.initials.text = Prompt::one_line(&held);
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, _hits: &mut HitMap) {
    let [intro, field, _] = Layout::vertical([
        Constraint::Length(4),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    let text = "Your initials (1 to 5 letters) are recorded in the audit with every change you make here from now on. They are kept for you on this computer. Enter saves; Esc goes back.";
    let lines: Vec<Line> = wrap(text, usize::from(area.width))
        .into_iter()
        .map(Line::raw)
        .collect();
    frame.render_widget(Paragraph::new(lines), intro);
    let [label, input] =
        Layout::horizontal([Constraint::Length(10), Constraint::Fill(1)]).areas(field);
    frame.render_widget(Paragraph::new("Initials").style(theme.bold()), label);
    app.screens
        .initials
        .text
        .draw(frame, input, keys_reach_editor(app), theme.highlight());
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    if app.screens.initials.text.handle(&msg) {
        return super::Outcome::done();
    }
    match msg {
        Msg::Save => super::Outcome::Handled(save(app)),
        other => super::Outcome::Unhandled(other),
    }
}

fn save(app: &mut App) -> Vec<Effect> {
    match crate::store::as_initials(app.screens.initials.text.text()) {
        Ok(initials) => vec![Effect::SaveInitials { initials }],
        Err(typed) => {
            app.notify(
                NoticeKind::Error,
                format!("Initials: '{typed}' is not initials; type 1 to 5 letters, e.g. JB."),
            );
            Vec::new()
        }
    }
}
