//! Typing the folders of returns to import: one line, several folders
//! separated by semicolons (or pasted one per line), as `import 903`
//! takes several paths.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::app::{App, Effect, Msg, NoticeKind};
use crate::tui::mouse::HitMap;
use crate::tui::prompt::{Asking, Prompt};
use crate::tui::view::Theme;

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, _hits: &mut HitMap) {
    Asking {
        title: "Import returns",
        intro: "Type or paste the folder holding a year's return and press Enter; several folders: separate them with ; (a semicolon), or paste them one per line. A copy of the panel as it was is kept among the backups; a file that cannot be read changes nothing, and a child with a bad value is held back and named.",
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
    // Folders pasted one per line (as a file manager copies several) are
    // several folders: each line break separates them, as `;` does.
    let msg = match msg {
        Msg::Paste(text) => Msg::Paste(one_folder_per_line(&text)),
        other => other,
    };
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

/// Pasted lines joined by `; `, the folders' separator; blank lines dropped.
/// A line may end in `\r\n`, `\n` or `\r` (what a terminal sends for a
/// pasted line break).
fn one_folder_per_line(pasted: &str) -> String {
    pasted
        .split(['\r', '\n'])
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::one_folder_per_line;

    #[test]
    fn folders_pasted_one_per_line_are_separated_as_typed_ones_are() {
        assert_eq!(
            one_folder_per_line("/r/2024-25\r\n\n  /r/2025 26 \n"),
            "/r/2024-25; /r/2025 26"
        );
        assert_eq!(one_folder_per_line("/r/a\r/r/b\r"), "/r/a; /r/b");
        assert_eq!(one_folder_per_line("/r/2025-26"), "/r/2025-26");
    }
}
