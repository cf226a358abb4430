//! Jumping to a child: an id or a name typed after `/`, on one line.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Paragraph;

use crate::tui::app::App;
use crate::tui::mouse::HitMap;
use crate::tui::app::{Effect, Msg, NoticeKind, Screen};
use crate::tui::prompt::Prompt;
use crate::tui::view::{Theme, keys_reach_editor};

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, _hits: &mut HitMap) {
    let [intro, field, _] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new("Type a child's id or name (or part of one) and press Enter; Esc goes back."),
        intro,
    );
    let focused = keys_reach_editor(app);
    let prompt = &app.screens.jump.text;
    prompt.draw(frame, field, focused, theme.highlight());
}

#[derive(Debug, Clone, Default)]
pub struct State {
    /// What is typed after `/` (empty each time `/` is pressed).
    pub text: Prompt,
}

impl super::ScreenState for State {}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    if app.screens.jump.text.handle(&msg) {
        return super::Outcome::done();
    }
    match msg {
        Msg::Save => super::Outcome::Handled(jump(app)),
        other => super::Outcome::Unhandled(other),
    }
}

/// Whether a child matches what was typed after `/` (see `children`).
fn child_matches(app: &App, child: &str, typed: &str) -> bool {
    crate::tui::children::matches(app, child, typed)
}

/// The child of the panel (by id, the smallest) whose name matches what was
/// typed, among the names the panel holds.
pub fn named_child(app: &App, typed: &str) -> Option<String> {
    let typed = typed.trim().to_lowercase();
    app.data
        .child_names
        .keys()
        .filter(|id| child_matches(app, id, &typed))
        .min()
        .cloned()
}

/// Opens the card of the first child on the agenda whose id or name
/// matches what was typed (ignoring case); the presenter view follows. Any
/// other child of the panel is looked up in the store and their card opens
/// read-only (`visit`).
fn jump(app: &mut App) -> Vec<Effect> {
    let typed = app.screens.jump.text.text().trim().to_lowercase();
    if typed.is_empty() {
        app.notify(
            NoticeKind::Error,
            "Child: type an id or a name (or part of one).",
        );
        return Vec::new();
    }
    let found = app
        .data
        .agenda
        .iter()
        .position(|i| child_matches(app, &i.child, &typed));
    match found {
        Some(index) => {
            app.current = index;
            app.go(Screen::Card);
            crate::tui::update::follow_current(app)
        }
        None => vec![Effect::LookUpChild {
            typed: app.screens.jump.text.text().trim().to_owned(),
        }],
    }
}
