//! Home: the next meeting and its agenda.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::tui::view::{Theme, fit, label_width, listed_under, meeting_when};
use crate::tui::mouse::HitMap;
use crate::tui::app::App;

/// Where the administrator's month starts, always on Home (the footer has
/// no room for these keys).
const PREPARATION_KEYS: &str = "  Prepare: Y meetings, R referrals, b agenda, P papers, F files, I return";

/// The Fostering Panel's key, added where the line has room for it (from
/// 86 columns; narrower, the help and the palette name it, and so does the
/// Home line saying matches wait beyond the free slots).
const FOSTERING_KEY: &str = ", O fostering";

/// The preparation keys as wide as `width` allows.
fn preparation_keys(width: u16) -> String {
    let all = format!("{PREPARATION_KEYS}{FOSTERING_KEY}");
    if all.chars().count() <= usize::from(width) {
        all
    } else {
        PREPARATION_KEYS.to_owned()
    }
}

/// How many children the returns hold back, when any are.
fn held_back_line(app: &App) -> Option<String> {
    let held = app.data.held_back;
    (held > 0).then(|| {
        format!(
            "  {held} {} held back by data problems: check's list shows why (I, then c)",
            if held == 1 { "child" } else { "children" }
        )
    })
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, _hits: &mut HitMap) {
    let mut lines: Vec<Line> = Vec::new();
    let Some(meeting) = &app.data.meeting else {
        lines.push(Line::styled("No meeting yet", theme.bold()));
        lines.push(Line::raw(
            "There is no meeting in the database yet. Y opens the meetings, where p plans a year's meetings from the terms' cadence; then b builds the first agenda. m manages the panel's members.",
        ));
        lines.extend(preparation_due(app).into_iter().map(Line::raw));
        // Before the first meeting too: that is when a first return is
        // imported, and when its problems are to be put right.
        lines.extend(held_back_line(app).map(Line::raw));
        lines.push(Line::raw(""));
        lines.push(Line::raw(preparation_keys(area.width)));
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
        return;
    };
    lines.push(Line::styled("Next meeting", theme.bold()));
    lines.push(Line::raw(format!("  {}", meeting_when(meeting))));
    lines.push(Line::raw(format!("  {}", app.terms.name)));
    lines.push(Line::raw(format!("  Status: {}", meeting.status.id())));
    let matters = crate::tui::matters::matters_arising(app).len();
    if matters > 0 {
        lines.push(Line::raw(format!(
            "  Matters arising: {matters} open action{} carried forward (M)",
            if matters == 1 { "" } else { "s" }
        )));
    }
    lines.extend(preparation_due(app).into_iter().map(Line::raw));
    lines.extend(held_back_line(app).map(Line::raw));
    if let Some(papers) =
        crate::usecase::papers::home_line(&super::papers::rows(app), app.today)
    {
        lines.push(Line::raw(format!("  {papers} (P)")));
    }
    lines.push(Line::raw(preparation_keys(area.width)));
    lines.push(Line::raw(""));
    let count = app.data.agenda.len();
    lines.push(Line::styled(
        format!(
            "Agenda: {count} {}",
            if count == 1 { "child" } else { "children" }
        ),
        theme.bold(),
    ));
    if count == 0 {
        lines.push(Line::raw("  No child is listed yet: b builds the agenda."));
    }
    // Names make labels of different lengths: pad to the longest.
    let width = label_width(app);
    // One line a child; when they do not all fit, the last line says how
    // many more the agenda holds.
    let room = usize::from(area.height).saturating_sub(lines.len());
    let shown = if count > room {
        room.saturating_sub(1)
    } else {
        count
    };
    for item in app.data.agenda.iter().take(shown) {
        let decided = if app.data.decision_for(&item.child).is_some() {
            "  decided"
        } else {
            ""
        };
        lines.push(Line::raw(fit(
            &format!(
                "  {:>2}. {:<width$} {}{decided}",
                item.position,
                app.child_label(&item.child),
                listed_under(&item.listed_under)
            ),
            usize::from(area.width),
        )));
    }
    if shown < count {
        lines.push(Line::styled(
            format!("  +{} more: g opens the agenda", count - shown),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// What the Preparation side has due, each line with its key; none when
/// nothing is due.
pub fn preparation_due(app: &App) -> Vec<String> {
    let mut due = Vec::new();
    // From what the app holds of its meeting and the referrals: the
    // Preparation screens' data is not read until one opens.
    if let Some(meeting) = &app.data.meeting {
        let built = !app.data.agenda.is_empty() || !app.data.waiting.is_empty();
        if meeting.status == crate::model::MeetingStatus::Planned && !built {
            due.push(format!(
                "  Agenda for {} not built yet (b)",
                crate::rules::dates::dmy(meeting.date)
            ));
        }
    }
    due.extend(super::sign_offs::home_line(app));
    let open = app
        .data
        .referrals
        .iter()
        .filter(|r| r.status == crate::model::ReferralStatus::Open)
        .count();
    match open {
        0 => {}
        1 => due.push("  1 referral waiting (R)".to_owned()),
        n => due.push(format!("  {n} referrals waiting (R)")),
    }
    due.extend(super::fostering::home_due(app));
    due
}

/// Home keeps nothing of its own: it shows the meeting.
#[derive(Debug, Clone, Default)]
pub struct State;

impl super::ScreenState for State {}

/// Home's keys only go places (`Msg::Open`), which `update` does.
pub fn handle(_app: &mut App, msg: crate::tui::app::Msg) -> super::Outcome {
    super::Outcome::Unhandled(msg)
}
