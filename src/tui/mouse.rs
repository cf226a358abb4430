//! The mouse: clicks and the scroll wheel become the same messages as keys.
//!
//! Drawing records where each clickable thing went in a `HitMap` (list
//! rows, footer entries, palette rows); a click is looked up in the map of
//! a frame drawn at the app's last known size (`view::hit_map`), so the
//! layout is worked out by the same code that draws it and the view itself
//! keeps nothing.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::app::{App, Effect, Msg, NoticeKind, Screen};
use super::keymap::message_for;
use super::palette::PaletteMsg;

/// What a place on the screen stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Row `n` of the list on screen (agenda, roll call, members, actions),
    /// or field `n` of a form.
    Row(usize),
    /// A footer entry: clicking it runs its binding.
    Footer(Msg),
    /// Row `n` of the palette's matches.
    PaletteRow(usize),
    /// An overlay (help, palette) covering what is under it.
    Overlay,
}

/// The clickable areas of the last frame, in drawing order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HitMap {
    areas: Vec<(Rect, Target)>,
}

impl HitMap {
    pub fn clear(&mut self) {
        self.areas.clear();
    }

    pub fn add(&mut self, area: Rect, target: Target) {
        self.areas.push((area, target));
    }

    /// What is at a cell: the last drawn wins, as an overlay covers a list.
    pub fn at(&self, column: u16, row: u16) -> Option<Target> {
        let cell = Position::new(column, row);
        self.areas
            .iter()
            .rev()
            .find(|(area, _)| area.contains(cell))
            .map(|(_, target)| target.clone())
    }

    /// Every area recorded for a target, for tests and the tmux test.
    pub fn areas_of(&self, target: Target) -> Vec<Rect> {
        self.areas
            .iter()
            .filter(|(_, t)| *t == target)
            .map(|(area, _)| *area)
            .collect()
    }
}

/// The message a mouse event stands for now, if any.
///
/// A left click on a list row highlights it; a click on the row already
/// highlighted (so the second click of a double click) does what Enter
/// does there. The wheel does what ↑ and ↓ do. A click on a footer entry
/// runs its binding. With the palette open, a click outside it closes it.
/// The right button opens (or closes) the palette.
pub fn message_for_mouse(app: &App, event: MouseEvent) -> Option<Msg> {
    let key = |code| message_for(app, KeyEvent::new(code, KeyModifiers::NONE));
    match event.kind {
        MouseEventKind::ScrollUp => key(KeyCode::Up),
        MouseEventKind::ScrollDown => key(KeyCode::Down),
        // The right button opens the palette: a menu of every command of
        // the screen, so a mouse alone reaches what has no footer entry.
        MouseEventKind::Down(MouseButton::Right) if app.palette().is_some() => {
            Some(Msg::Palette(PaletteMsg::Close))
        }
        MouseEventKind::Down(MouseButton::Right) if app.overlays.is_empty() => {
            Some(Msg::Palette(PaletteMsg::Open))
        }
        MouseEventKind::Down(MouseButton::Left) => {
            let target = super::view::hit_map(app).at(event.column, event.row);
            match target {
                Some(Target::Footer(msg)) => Some(msg),
                Some(Target::PaletteRow(row)) => {
                    let selected = app.palette().map(|p| p.selected);
                    Some(if selected == Some(row) {
                        Msg::Palette(PaletteMsg::Run)
                    } else {
                        Msg::Select(row)
                    })
                }
                Some(Target::Row(row)) if app.overlays.is_empty() => {
                    // A form's row is a field: a click only moves to it.
                    if app.screen.is_form() {
                        Some(Msg::Select(row))
                    } else if selected_row(app) == Some(row) {
                        key(KeyCode::Enter)
                    } else {
                        Some(Msg::Select(row))
                    }
                }
                Some(Target::Overlay) => None,
                _ if app.palette().is_some() => Some(Msg::Palette(PaletteMsg::Close)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The highlighted row of the list on screen.
pub fn selected_row(app: &App) -> Option<usize> {
    match app.screen {
        Screen::RollCall => Some(app.screens.roll_call.cursor),
        Screen::Agenda => Some(app.current),
        Screen::Members => Some(app.screens.members.cursor),
        Screen::ActionList => Some(app.screens.action_list.cursor),
        Screen::Matters => Some(app.screens.matters.cursor),
        Screen::Meetings => Some(app.screens.meetings.cursor),
        Screen::Referrals => Some(app.screens.referrals.cursor),
        Screen::AgendaBuilder => Some(app.screens.agenda_builder.cursor),
        Screen::Files => Some(app.screens.files.cursor),
        Screen::SignOffs => Some(app.screens.sign_offs.cursor),
        _ => None,
    }
}

/// Opens the card of the agenda's child at `index`; the presenter view
/// follows.
pub fn open_child(app: &mut App, index: usize) -> Vec<Effect> {
    let (Some(meeting), Some(item)) = (app.meeting_id(), app.data.agenda.get(index)) else {
        app.notify(NoticeKind::Warning, "That child is not on this agenda.");
        return Vec::new();
    };
    let item = item.id;
    app.current = index;
    app.go(Screen::Card);
    follow(app, meeting, item)
}

/// Stores the child being heard, unless it is already the one stored.
pub(crate) fn follow(app: &App, meeting: crate::model::Id, item: crate::model::Id) -> Vec<Effect> {
    let stored = app.data.meeting.as_ref().and_then(|m| m.current_item);
    if stored == Some(item) {
        return Vec::new();
    }
    vec![Effect::SetCurrentItem { meeting, item }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_area_drawn_at_a_cell_wins_and_edges_are_exact() {
        let mut hits = HitMap::default();
        hits.add(Rect::new(0, 2, 80, 1), Target::Row(0));
        hits.add(Rect::new(0, 3, 80, 2), Target::Row(1));
        // An overlay drawn later covers the rows under it.
        hits.add(Rect::new(10, 3, 20, 5), Target::Overlay);
        assert_eq!(hits.at(0, 2), Some(Target::Row(0)));
        assert_eq!(hits.at(79, 4), Some(Target::Row(1)));
        assert_eq!(hits.at(10, 3), Some(Target::Overlay));
        assert_eq!(hits.at(80, 2), None);
        assert_eq!(hits.at(0, 5), None);
        hits.clear();
        assert_eq!(hits.at(0, 2), None);
    }
}
