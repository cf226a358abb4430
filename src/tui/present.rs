//! `permanence-panel present`: a read-only view for a second screen (or a
//! presenter joining), opened on the same database, that follows the
//! chair's current child. It never writes: the store is opened read-only.

use std::time::Duration;

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};

use super::app::{App, Screen};
use super::data::MeetingData;
use super::terminal::Restore;
use super::view::view;
use crate::clock::Clock;
use crate::store::Store;
use crate::terms::Terms;

/// How often the view looks at the chair's progress.
pub const FOLLOW_EVERY: Duration = Duration::from_millis(400);

/// Reloads the meeting and moves to the chair's current child.
pub fn follow(store: &Store, app: &mut App) -> anyhow::Result<()> {
    let data = MeetingData::load_next(store, app.today)?;
    app.current = data
        .meeting
        .as_ref()
        .and_then(|m| m.current_item)
        .and_then(|item| data.agenda.iter().position(|a| a.id == item))
        .unwrap_or(0);
    app.data = data;
    app.screen = if app.data.agenda.is_empty() {
        Screen::Home
    } else {
        Screen::Card
    };
    app.refresh_card();
    Ok(())
}

/// Runs the presenter view until `q`, `Esc` or Ctrl+C.
pub fn run(store: Store, terms: Terms, clock: &dyn Clock) -> anyhow::Result<()> {
    let mut app = super::load(&store, terms, clock)?;
    app.presenter = true;
    follow(&store, &mut app)?;
    let _restore = Restore;
    let mut terminal = ratatui::try_init()?;
    loop {
        app.clock_time = Some(clock.now().time());
        terminal.draw(|frame| view(&app, frame))?;
        if event::poll(FOLLOW_EVERY)?
            && let Event::Key(key) = event::read()?
            && key.kind != KeyEventKind::Release
        {
            let ctrl_c =
                key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c');
            if ctrl_c || matches!(key.code, KeyCode::Char('q') | KeyCode::Esc) {
                return Ok(());
            }
        }
        follow(&store, &mut app)?;
    }
}
