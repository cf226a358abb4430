//! Awaiting sign-off (Home `S`, issue 23): the panel's recommendations
//! waiting for the decision-maker their item type names, as `decisions
//! pending` lists them (child, item, recommended on, by whom, days
//! waiting); Enter opens the sign-off of the highlighted one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::model::SignOffOutcome;
use crate::rules::dates::dmy;
use crate::store::PendingSignOff;
use crate::tui::app::{App, Msg, NoticeKind, Screen};
use crate::tui::mouse::HitMap;
use crate::tui::view::{Theme, fit, wrap};

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The highlighted recommendation.
    pub cursor: usize,
}

impl super::ScreenState for State {}

/// Opening the list: the highlight stays within it.
pub fn open(app: &mut App) {
    let last = app.data.pending_sign_offs.len().saturating_sub(1);
    app.screens.sign_offs.cursor = app.screens.sign_offs.cursor.min(last);
}

/// Home's line when any wait: "2 recommendations await sign-off (S)".
pub fn home_line(app: &App) -> Option<String> {
    match app.data.pending_sign_offs.len() {
        0 => None,
        1 => Some("  1 recommendation awaits sign-off (S)".to_owned()),
        n => Some(format!("  {n} recommendations await sign-off (S)")),
    }
}

/// Days since the meeting that recommended it, as `decisions pending` counts.
pub fn days_waiting(app: &App, pending: &PendingSignOff) -> i64 {
    (app.today - pending.meeting_date).num_days().max(0)
}

/// A row's two lines: "C000101  recommended on 27/11/2026, for the Head
/// of Service, 3 days waiting", then the item ("Special Guardianship ...").
pub fn row_words(app: &App, p: &PendingSignOff) -> (String, String) {
    let item = crate::export::minutes::item_title(&app.terms, &p.item_type);
    let days = days_waiting(app, p);
    (
        format!(
            "{}  {} on {}, for the {}, {days} {} waiting",
            app.child_label(&p.child),
            p.outcome.words(),
            dmy(p.meeting_date),
            p.decided_by,
            if days == 1 { "day" } else { "days" }
        ),
        item,
    )
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, hits: &mut HitMap) {
    let width = usize::from(area.width);
    let pending = &app.data.pending_sign_offs;
    let mut lines: Vec<Line> = Vec::new();
    lines.push(Line::styled("Awaiting sign-off", theme.bold()));
    let intro = if pending.is_empty() {
        "Nothing waits for sign-off: every recommendation the panel made has been signed off."
    } else {
        "The panel's recommendations waiting for the decision-maker their item names, oldest first. Enter records the sign-off of the highlighted one."
    };
    for l in wrap(intro, width) {
        lines.push(Line::raw(l));
    }
    lines.push(Line::raw(""));
    // Two lines a recommendation: who and when, then the item.
    let room = (usize::from(area.height).saturating_sub(lines.len()) / 2).max(1);
    let cursor = app.screens.sign_offs.cursor;
    let skip = super::first_shown(cursor, room);
    for (i, p) in pending.iter().enumerate().skip(skip).take(room) {
        let marker = if i == cursor { "▶" } else { " " };
        let (first, item) = row_words(app, p);
        let first = fit(&format!("{marker} {first}"), width);
        let item = fit(&format!("    {item}"), width);
        crate::tui::view::record_row(hits, area, lines.len(), 2, i);
        if i == cursor {
            lines.push(Line::styled(first, theme.highlight()));
            lines.push(Line::styled(item, theme.highlight()));
        } else {
            lines.push(Line::raw(first));
            lines.push(Line::styled(item, theme.dim()));
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    let len = app.data.pending_sign_offs.len();
    if super::move_cursor(&mut app.screens.sign_offs.cursor, len, &msg) {
        return super::Outcome::done();
    }
    match msg {
        Msg::Save => {
            let Some(pending) = app
                .data
                .pending_sign_offs
                .get(app.screens.sign_offs.cursor)
                .cloned()
            else {
                app.notify(NoticeKind::Info, "Nothing waits for sign-off.");
                return super::Outcome::done();
            };
            app.screens.sign_off_form = super::sign_off_form::State::on(pending);
            app.go(Screen::SignOffForm);
            super::Outcome::done()
        }
        other => super::Outcome::Unhandled(other),
    }
}

/// After a sign-off is recorded: back to the list, the highlight within
/// it, saying what was recorded.
pub fn signed(app: &mut App, by: &str, outcome: SignOffOutcome) {
    let child = app
        .screens
        .sign_off_form
        .pending
        .as_ref()
        .map(|p| app.child_label(&p.child))
        .unwrap_or_default();
    app.screens.sign_off_form = Default::default();
    if app.screen == Screen::SignOffForm {
        app.go_back();
    }
    open(app);
    let word = match outcome {
        SignOffOutcome::Agree => "agreed",
        SignOffOutcome::Disagree => "disagreed",
    };
    app.notify(
        NoticeKind::Info,
        format!("Signed off by the {by}: {word} ({child})."),
    );
}
