//! Dropping an action: why it is dropped, typed on one line (required).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::tui::app::App;
use crate::tui::mouse::HitMap;
use crate::model::{ActionStatus, Id};
use crate::tui::app::{Effect, Msg, NoticeKind, Screen};
use crate::tui::prompt::Prompt;
use crate::tui::view::{Theme, fit, keys_reach_editor};

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, _hits: &mut HitMap) {
    let Some(action) = app
        .screens
        .drop_action
        .action
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
    let reason = &app.screens.drop_action.reason;
    reason.draw(frame, input, focused, theme.highlight());
}

#[derive(Debug, Clone)]
pub struct State {
    /// The action being dropped.
    pub action: Option<Id>,
    /// Why, as typed (required).
    pub reason: Prompt,
    /// The list it was picked on (the action list or the matters arising),
    /// where Esc returns with no trail.
    pub origin: Screen,
}

impl Default for State {
    fn default() -> State {
        State {
            action: None,
            reason: Prompt::default(),
            origin: Screen::ActionList,
        }
    }
}

impl super::ScreenState for State {
    fn is_dirty(&self, _app: &App) -> bool {
        self.action.is_some() && !self.reason.text().trim().is_empty()
    }
}

/// Starts dropping `action` (asking why); a reason half typed for the same
/// action is kept.
pub fn start(app: &mut App, action: Id) {
    let state = &mut app.screens.drop_action;
    if state.action != Some(action) {
        state.reason = Prompt::default();
    }
    state.action = Some(action);
    app.go(Screen::DropAction);
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    if app.screens.drop_action.reason.handle(&msg) {
        return super::Outcome::done();
    }
    match msg {
        Msg::Save => super::Outcome::Handled(save(app)),
        other => super::Outcome::Unhandled(other),
    }
}

/// Drops the action being dropped, with the reason typed (required).
fn save(app: &mut App) -> Vec<Effect> {
    let state = &app.screens.drop_action;
    let Some(action) = state.action else {
        return Vec::new();
    };
    let reason = state.reason.text().trim().to_owned();
    if reason.is_empty() {
        app.notify(NoticeKind::Error, "Reason: say why the action is dropped.");
        return Vec::new();
    }
    vec![Effect::SetActionStatus {
        action,
        status: ActionStatus::Dropped,
        reason: Some(reason),
    }]
}
