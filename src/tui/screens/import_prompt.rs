//! Typing the folders of returns to import: one line, several folders
//! separated by semicolons, as `import 903` takes several paths.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::app::{App, Effect, Msg, NoticeKind};
use crate::tui::mouse::HitMap;
use crate::tui::prompt::{Asking, Prompt};
use crate::tui::view::Theme;

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, _hits: &mut HitMap) {
    Asking {
        title: "Import returns",
        intro: "Type or paste the folder holding a year's return and press Enter; several folders: separate them with ; (a semicolon). A copy of the panel as it was is kept among the backups; a file that cannot be read changes nothing, and a child with a bad value is held back and named.",
        label: "Folders",
    }
    .draw(app, &app.screens.import_prompt.typed, frame, area, theme);
}

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The folders as typed (kept after a refused import, to correct).
    pub typed: Prompt,
}

impl super::ScreenState for State {
    /// Folders typed on the prompt and not yet imported.
    fn is_dirty(&self, app: &App) -> bool {
        app.screen == crate::tui::app::Screen::ImportPrompt && !self.typed.text().trim().is_empty()
    }
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    if app.screens.import_prompt.typed.handle(&msg) {
        return super::Outcome::done();
    }
    match msg {
        Msg::Save => {
            if app.read_only {
                app.notify(NoticeKind::Warning, "This window is read-only: nothing was imported.");
                return super::Outcome::done();
            }
            let paths = crate::tui::jobs::typed_paths(app.screens.import_prompt.typed.text());
            if paths.is_empty() {
                app.notify(
                    NoticeKind::Error,
                    "Folders: type the folder of a year's return, e.g. ~/Returns/2025-26.",
                );
                return super::Outcome::done();
            }
            super::Outcome::Handled(vec![Effect::ImportReturns(paths)])
        }
        other => super::Outcome::Unhandled(other),
    }
}
