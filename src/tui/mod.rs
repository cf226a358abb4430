//! The terminal app's live meeting: an Elm-like loop.
//!
//! `App` holds what the screens share (the meeting's data and date, the
//! child being heard, the navigation trail, undo, the notice), each
//! screen's own state (`screens`: one module per screen, registered once)
//! and the overlays over them (`overlay`: help, palette, questions, on a
//! stack that takes keys first). `update(&mut App, Msg) -> Vec<Effect>` is
//! pure; `apply` performs the store writes at once (each its own
//! transaction), reloads what changed and hands the outcome back to
//! `update` as `Msg::Written`; `view(&App, &mut Frame)` only draws. Key
//! bindings live in one table (`keymap::KEYMAP`) that drives dispatch, the
//! help overlay, the footer, the palette and the mouse.

pub mod app;
pub mod children;
pub mod closed_day;
pub mod data;
pub mod drafts;
pub mod editor;
pub mod effects;
pub mod jobs;
pub mod keymap;
pub mod matters;
pub mod mouse;
pub mod overlay;
pub mod palette;
pub mod preparation;
pub mod present;
pub mod projector;
pub mod prompt;
pub mod screens;
pub mod settings;
pub mod terminal;
pub mod theme;
pub mod undo;
pub mod update;
pub mod view;

pub use app::{
    ActionField, ActionForm, App, Effect, MemberField, MemberForm, Msg, Notice, NoticeKind, Screen,
    Stored,
};
pub use data::{CardFacts, CurrentEpisode, MeetingData, card_facts};
pub use effects::apply;
pub use keymap::{KEYMAP, message_for};
pub use update::update;
pub use view::view;

use crate::clock::Clock;
use crate::store::Store;
use crate::terms::Terms;

/// Builds the app on the next meeting (or the latest) as of the clock's day.
pub fn load(store: &Store, terms: Terms, clock: &dyn Clock) -> anyhow::Result<App> {
    let today = clock.today();
    let data = MeetingData::load_next(store, today)?;
    let mut app = App::new(terms, data, today);
    app.no_color = no_color_requested();
    app.theme = theme::chosen_at_start();
    app.refresh_card();
    Ok(app)
}

/// Runs the live meeting in the terminal until the chair quits.
pub fn run(mut store: Store, terms: Terms, clock: &dyn Clock) -> anyhow::Result<()> {
    let mut app = load(&store, terms, clock)?;
    use_settings(&mut store, &mut app, settings::path());
    let changes_before = store.last_change()?;
    terminal::event_loop(&mut app, &mut store, clock)?;
    backup_after_meeting(&store, changes_before, clock)
}

/// Reads this person's settings (`settings_path`) and records changes
/// under their initials, unless `--as` gave others for this run; a file
/// that cannot be read is said on screen and nothing is guessed.
pub fn use_settings(store: &mut Store, app: &mut App, settings_path: Option<std::path::PathBuf>) {
    let Some(path) = settings_path else {
        return;
    };
    match settings::load(&path) {
        Ok(found) => {
            if let Some(initials) = found.initials
                && !crate::store::actor_given()
                && let Ok(initials) = store.set_actor(&initials)
            {
                app.initials = Some(initials);
            }
        }
        Err(why) => app.notify(app::NoticeKind::Warning, format!("Settings: {why}")),
    }
    app.settings_path = Some(path);
}

/// A copy of the panel as the meeting left it, among the automatic backups,
/// when this session changed anything (looking only makes no backup, so it
/// never pushes an older one out of those kept).
fn backup_after_meeting(
    store: &Store,
    changes_before: i64,
    clock: &dyn Clock,
) -> anyhow::Result<()> {
    if store.last_change()? > changes_before {
        store.automatic_backup("after-meeting", clock.now())?;
    }
    Ok(())
}

/// Runs the app on a store opened read-only because another copy of the
/// app has the panel open: everything shows, nothing can be changed.
pub fn run_read_only(mut store: Store, terms: Terms, clock: &dyn Clock) -> anyhow::Result<()> {
    let mut app = load(&store, terms, clock)?;
    app.read_only = true;
    app.notify(
        app::NoticeKind::Warning,
        "Another copy of the app has this panel open: this window is read-only.",
    );
    terminal::event_loop(&mut app, &mut store, clock)
}

/// <https://no-color.org>: set and not empty.
fn no_color_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;

    fn backups(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir.join("backups"))
            .map(|entries| entries.count())
            .unwrap_or(0)
    }

    #[test]
    fn a_meeting_that_changed_something_leaves_a_backup_and_looking_does_not() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(&dir.path().join("panel.db")).expect("store");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
        let time = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0).expect("time");
        let clock = FixedClock(day.and_time(time(12, 55)));

        let before = store.last_change().expect("last change");
        backup_after_meeting(&store, before, &clock).expect("nothing to back up");
        assert_eq!(backups(dir.path()), 0, "looking only makes no backup");

        store
            .add_meeting(day, time(9, 30), time(13, 0), clock.now())
            .expect("a change, as any made in the meeting");
        backup_after_meeting(&store, before, &clock).expect("backup");
        assert_eq!(backups(dir.path()), 1);
    }
}
