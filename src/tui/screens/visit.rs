//! The card of a child of the panel who is not on this meeting's agenda,
//! found with `/`: what the panel holds on them at the meeting's date,
//! read only. No decision, actions or carry-over here (they belong to a
//! meeting that lists the child); Esc goes back where the chair came from.

use std::rc::Rc;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::card::{Seen, draw_card, room_of};
use crate::tui::app::{App, Msg, NoticeKind};
use crate::tui::data::ChildCard;
use crate::tui::mouse::HitMap;
use crate::tui::view::Theme;

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The card looked up (worked out once, when found).
    pub card: Option<Rc<ChildCard>>,
    pub scroll: u16,
}

impl super::ScreenState for State {}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, _hits: &mut HitMap) {
    let Some(card) = app.screens.visit.card.as_ref() else {
        return;
    };
    let title = format!(
        "Child {}  (not on this meeting's agenda)",
        app.child_label(&card.child)
    );
    draw_card(
        app,
        frame,
        area,
        theme,
        (card, Seen::NotOnAgenda),
        title,
        app.screens.visit.scroll,
    );
}

/// How far the card drawn in `area` can scroll, and its page height.
pub fn room(app: &App, area: Rect, theme: &Theme) -> (u16, u16) {
    match app.screens.visit.card.as_ref() {
        Some(card) => room_of(app, (card, Seen::NotOnAgenda), area, theme),
        None => (0, area.height),
    }
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    match msg {
        Msg::Up | Msg::Down => scroll(app, msg == Msg::Down, 1),
        Msg::PageUp | Msg::PageDown => {
            let page = crate::tui::view::visit_room(app).1.saturating_sub(1).max(1);
            scroll(app, msg == Msg::PageDown, page);
        }
        Msg::NotOnAgenda => {
            let child = app
                .screens
                .visit
                .card
                .as_ref()
                .map(|c| app.child_label(&c.child))
                .unwrap_or_default();
            app.notify(
                NoticeKind::Warning,
                format!(
                    "{child} is not on this meeting's agenda: no decision, actions or carry-over here. Esc goes back."
                ),
            );
        }
        other => return super::Outcome::Unhandled(other),
    }
    super::Outcome::done()
}

fn scroll(app: &mut App, down: bool, lines: u16) {
    let furthest = crate::tui::view::visit_room(app).0;
    let state = &mut app.screens.visit;
    state.scroll = if down {
        state.scroll.saturating_add(lines).min(furthest)
    } else {
        state.scroll.saturating_sub(lines)
    };
}
