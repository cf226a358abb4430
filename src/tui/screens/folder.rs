//! Choosing the folder the Files screen writes into: one line, filled
//! with the folder used last; Enter keeps it (a panel setting, so the next
//! month starts there).

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::app::{App, Effect, Msg, NoticeKind, Screen};
use crate::tui::mouse::HitMap;
use crate::tui::prompt::{Asking, Prompt};
use crate::tui::view::Theme;

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, _hits: &mut HitMap) {
    Asking {
        title: "The folder to write files into",
        intro: "Type or paste the folder and press Enter; it is created if missing and remembered for next time. Esc keeps the folder as it was.",
        label: "Folder",
    }
    .draw(app, &app.screens.folder.typed, frame, area, theme);
}

#[derive(Debug, Clone, Default)]
pub struct State {
    pub typed: Prompt,
}

impl super::ScreenState for State {
    fn is_dirty(&self, app: &App) -> bool {
        let typed = self.typed.text().trim();
        app.screen == Screen::Folder && typed != app.data.files_folder.as_deref().unwrap_or("")
    }
}

/// Opens the prompt on the folder remembered (or blank).
pub fn open(app: &mut App) {
    let remembered = app.data.files_folder.clone().unwrap_or_default();
    app.screens.folder.typed = Prompt::one_line(&remembered);
    app.go(Screen::Folder);
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    if app.screens.folder.typed.handle(&msg) {
        return super::Outcome::done();
    }
    match msg {
        Msg::Save => {
            let typed = app.screens.folder.typed.text().trim().to_owned();
            if typed.is_empty() {
                app.notify(
                    NoticeKind::Error,
                    "Folder: type the folder to write files into, e.g. ~/Panel papers.",
                );
                return super::Outcome::done();
            }
            super::Outcome::Handled(vec![Effect::SetFolder(typed)])
        }
        other => super::Outcome::Unhandled(other),
    }
}
