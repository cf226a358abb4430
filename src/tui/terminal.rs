//! The real terminal: set up, event loop, and restoring the terminal on
//! quit, on error and on panic.

use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event,
};
use ratatui::DefaultTerminal;

use super::app::App;
use super::effects::apply_ticking;
use super::keymap::message_for;
use super::mouse::message_for_mouse;
use super::update::update;
use super::view::view;
use crate::clock::Clock;
use crate::store::Store;

/// Restores the terminal when dropped: on quit, and on an error returned
/// through `?`. (`ratatui::try_init` also installs a panic hook that
/// restores before the panic message prints; `capture_mouse` adds mouse
/// capture and bracketed paste to what that hook undoes.)
pub(crate) struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        release_mouse();
        ratatui::restore();
    }
}

/// Stops the terminal reporting the mouse and bracketing pastes. Harmless
/// when it was not: the shell gets its own mouse back (selecting text) and
/// plain pastes whatever happened.
fn release_mouse() {
    let _ = crossterm::execute!(
        std::io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste
    );
}

/// Asks the terminal to report clicks and the wheel and to bracket pasted
/// text (so a paste arrives as one text, never as keys), and makes a panic
/// release both before ratatui's hook restores the rest. Returns whether
/// pastes are bracketed: the old Windows console (conhost without virtual
/// terminal sequences) cannot, and the app then says so rather than stop.
fn capture_mouse() -> std::io::Result<bool> {
    let restore_the_rest = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        release_mouse();
        restore_the_rest(info);
    }));
    crossterm::execute!(std::io::stdout(), EnableMouseCapture)?;
    Ok(crossterm::execute!(std::io::stdout(), EnableBracketedPaste).is_ok())
}

/// What the status line says when the terminal cannot mark pastes.
pub const UNMARKED_PASTE_WARNING: &str = "This console cannot mark pastes: a paste may arrive as keys. Use Windows Terminal, or type rather than paste.";

pub fn event_loop(app: &mut App, store: &mut Store, clock: &dyn Clock) -> anyhow::Result<()> {
    // The guard first: if setting up fails half way (raw mode on, alternate
    // screen refused), the terminal is still restored.
    let _restore = Restore;
    let mut terminal: DefaultTerminal = ratatui::try_init()?;
    if !capture_mouse()? {
        app.notify(crate::tui::app::NoticeKind::Warning, UNMARKED_PASTE_WARNING);
    }
    let size = terminal.size()?;
    update(app, crate::tui::app::Msg::Resize(size.width, size.height));
    while !app.quit {
        app.clock_time = Some(clock.now().time());
        terminal.draw(|frame| view(app, frame))?;
        // Redraw at least every second so the meeting's timing stays true;
        // a resize is said to `update` (scroll limits, the mouse's map) and
        // redraws at the top of the loop; other events are ignored.
        if !event::poll(std::time::Duration::from_secs(1))? {
            continue;
        }
        let msg = match event::read()? {
            Event::Key(key) => message_for(app, key),
            Event::Mouse(mouse) => message_for_mouse(app, mouse),
            Event::Paste(text) => Some(crate::tui::app::Msg::Paste(text)),
            Event::Resize(columns, rows) => Some(crate::tui::app::Msg::Resize(columns, rows)),
            _ => None,
        };
        if let Some(msg) = msg {
            let effects = update(app, msg);
            let mut drawing = Drawing {
                terminal: &mut terminal,
            };
            apply_ticking(effects, store, app, clock.now(), &mut drawing);
        }
    }
    Ok(())
}

/// While a long job runs (see `jobs`): the screen is drawn with its
/// progress line, a resize is followed, and keys typed meanwhile are
/// dropped, so none answers what the screen shows after the job.
struct Drawing<'t> {
    terminal: &'t mut DefaultTerminal,
}

impl super::jobs::Ticker for Drawing<'_> {
    fn tick(&mut self, app: &mut App) {
        // A frame that cannot be drawn now is drawn on the next tick.
        let _ = self.terminal.draw(|frame| view(app, frame));
        while event::poll(std::time::Duration::ZERO).unwrap_or(false) {
            if let Ok(Event::Resize(columns, rows)) = event::read() {
                update(app, crate::tui::app::Msg::Resize(columns, rows));
            }
        }
    }
}
