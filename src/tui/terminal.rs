//! The real terminal: set up, event loop, and restoring the terminal on
//! quit, on error and on panic.

use crossterm::event::{self, Event};
use ratatui::DefaultTerminal;

use super::app::App;
use super::effects::apply;
use super::keymap::message_for;
use super::update::update;
use super::view::view;
use crate::clock::Clock;
use crate::store::Store;

/// Restores the terminal when dropped: on quit, and on an error returned
/// through `?`. (`ratatui::try_init` also installs a panic hook that
/// restores before the panic message prints.)
pub(crate) struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

pub fn event_loop(app: &mut App, store: &mut Store, clock: &dyn Clock) -> anyhow::Result<()> {
    // The guard first: if setting up fails half way (raw mode on, alternate
    // screen refused), the terminal is still restored.
    let _restore = Restore;
    let mut terminal: DefaultTerminal = ratatui::try_init()?;
    while !app.quit {
        app.clock_time = Some(clock.now().time());
        terminal.draw(|frame| view(app, frame))?;
        // Redraw at least every second so the meeting's timing stays true;
        // a resize redraws at the top of the loop; other events are ignored.
        if !event::poll(std::time::Duration::from_secs(1))? {
            continue;
        }
        if let Event::Key(key) = event::read()?
            && let Some(msg) = message_for(app, key)
        {
            let effects = update(app, msg);
            apply(effects, store, app, clock.now());
        }
    }
    Ok(())
}
