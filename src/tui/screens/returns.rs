//! The return: importing a folder (or several) of SSDA903 returns from
//! the app, as `import 903 PATH...` does, and reading what the import
//! found (years, rows, children held back and why, warnings by column);
//! `check`'s list is one key away (c). A bad folder shows the import's
//! own message (file, line, column) and changes nothing.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::rules::dates::dmy;
use crate::tui::app::{App, Effect, Msg, NoticeKind, Screen};
use crate::tui::jobs::Imported;
use crate::tui::mouse::HitMap;
use crate::tui::view::{Theme, wrap};
use crate::usecase::returns::{CheckRow, Findings, rows_stored};

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The last import of this session, and when (HH:MM).
    pub imported: Option<(Box<Imported>, String)>,
    /// Why the last import was refused (the import's own message).
    pub refused: Option<String>,
    /// `check`'s list, once read; shown instead of the summary.
    pub check: Option<Vec<CheckRow>>,
    pub showing_check: bool,
    /// Lines scrolled past.
    pub scroll: usize,
}

impl super::ScreenState for State {}

/// The summary of an import, line by line, as a data manager reads it.
pub fn summary_lines(imported: &Imported, at: &str) -> Vec<String> {
    let report = &imported.report;
    let mut lines = vec![format!("Imported at {at}.")];
    for r in &report.returns {
        let replaced = match crate::usecase::returns::replaces_words(r, false) {
            words if words.is_empty() => " (new)".to_owned(),
            words => words,
        };
        lines.push(format!(
            "Return {}{replaced}, from {}: {}",
            r.year,
            r.source,
            rows_stored(r)
        ));
    }
    lines.extend(
        report
            .returns
            .iter()
            .filter_map(|r| crate::usecase::returns::earlier_day_line(r, false)),
    );
    let found = Findings::of(report);
    if !found.left_out.is_empty() {
        let named: Vec<&str> = found.left_out.iter().map(|(t, _)| *t).collect();
        lines.push(format!(
            "Recognised and left out (nothing a panel reads): {}",
            named.join(", ")
        ));
    }
    lines.push(crate::usecase::returns::history_line(&report.merge, ""));
    if found.held_back.is_empty() {
        lines.push("No child held back by data problems.".to_owned());
    } else {
        let n = found.held_back.len();
        lines.push(format!(
            "{n} {} held back by data problems (in no cohort and no timetable until a later import fixes them):",
            if n == 1 { "child" } else { "children" }
        ));
        for (child, problem) in &found.held_back {
            lines.push(format!("  {child}: {problem}"));
        }
    }
    if !found.warnings.is_empty() {
        let total = found.warning_count();
        let by_column: Vec<String> = found
            .warnings
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        lines.push(format!(
            "{total} {} by column (values kept as written): {}",
            if total == 1 { "warning" } else { "warnings" },
            by_column.join(", ")
        ));
    }
    lines
}

/// Every line the screen shows now (before scrolling), at `width`.
fn body(app: &App, width: usize) -> Vec<String> {
    let state = &app.screens.returns;
    let mut out = Vec::new();
    let mut add = |text: &str| out.extend(wrap(text, width));
    if state.showing_check {
        match &state.check {
            Some(rows) if rows.is_empty() => add("Check's list is empty: no problem or warning."),
            Some(rows) => {
                add(&format!(
                    "Check's list: {} {} (c goes back to the import)",
                    rows.len(),
                    if rows.len() == 1 { "line" } else { "lines" }
                ));
                for row in rows {
                    let child = if row.child.is_empty() {
                        "(no child)"
                    } else {
                        &row.child
                    };
                    add(&format!("  {child}: {}", row.what));
                }
            }
            None => add("Reading check's list…"),
        }
        return out;
    }
    if let Some(refused) = &state.refused {
        add("Nothing was imported; the panel is unchanged. The import said:");
        for line in refused.lines() {
            add(&format!("  {line}"));
        }
        add("");
    }
    match &state.imported {
        Some((imported, at)) => {
            if state.refused.is_some() {
                add("Earlier in this session:");
            }
            for line in summary_lines(imported, at) {
                add(&line);
            }
        }
        None if state.refused.is_none() => {
            add("No return has been imported in this session.");
        }
        None => {}
    }
    add("");
    let held = app.data.returns_held.as_deref().unwrap_or_default();
    if app.data.returns_held.is_none() {
        add("Reading the returns held ...");
    } else if held.is_empty() {
        add("No return is held yet: i imports the first.");
    } else {
        add("Returns held:");
        for r in held {
            let count = |n: i64, one: &str, many: &str| {
                format!("{n} {}", if n == 1 { one } else { many })
            };
            add(&format!(
                "  {}: {}, {}, {}; imported {} at {}",
                r.year,
                count(r.children, "child", "children"),
                count(r.episodes, "episode", "episodes"),
                count(r.reviews, "review", "reviews"),
                dmy(r.imported_at.date()),
                r.imported_at.format("%H:%M")
            ));
        }
    }
    out
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, _hits: &mut HitMap) {
    let width = usize::from(area.width);
    let mut lines = vec![Line::styled("The return (SSDA903)", theme.bold())];
    lines.extend(
        wrap(
            "i imports a folder of returns (or several); c shows check's list of every problem and warning; ↑↓ scroll.",
            width,
        )
        .into_iter()
        .map(|l| Line::styled(l, theme.dim())),
    );
    lines.push(Line::raw(""));
    let body = body(app, width);
    let room = usize::from(area.height).saturating_sub(lines.len() + 1);
    let scroll = app.screens.returns.scroll.min(body.len().saturating_sub(1));
    let shown = body.len().saturating_sub(scroll).min(room);
    for line in body.iter().skip(scroll).take(room) {
        lines.push(Line::raw(line.clone()));
    }
    let below = body.len().saturating_sub(scroll + shown);
    if scroll + below > 0 {
        lines.push(Line::styled(
            format!("  ({scroll} lines above, {below} below: ↑↓ scrolls)"),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    // The last line can be scrolled to the top, no further.
    let last = body(app, usize::from(app.size.0)).len().saturating_sub(1);
    let state = &mut app.screens.returns;
    match msg {
        Msg::Up => state.scroll = state.scroll.saturating_sub(1),
        Msg::Down => state.scroll = (state.scroll + 1).min(last),
        Msg::ToggleCheck => {
            state.showing_check = !state.showing_check;
            state.scroll = 0;
            // Read afresh each time it is shown: an import since changes it.
            if state.showing_check {
                state.check = None;
                return super::Outcome::Handled(vec![Effect::ReadCheck]);
            }
        }
        other => return super::Outcome::Unhandled(other),
    }
    super::Outcome::done()
}

/// After an import: its summary on this screen.
pub fn imported(app: &mut App, imported: Imported, at: chrono::NaiveDateTime) {
    let years = imported.report.returns.len();
    let kept = if imported.report.backup.is_some() {
        "; a copy of the panel as it was is kept among the backups"
    } else {
        ""
    };
    let state = &mut app.screens.returns;
    state.imported = Some((Box::new(imported), at.format("%H:%M").to_string()));
    state.refused = None;
    state.showing_check = false;
    state.check = None;
    state.scroll = 0;
    app.screens.import_prompt.typed = Default::default();
    app.go(Screen::Returns);
    app.notify(
        NoticeKind::Info,
        format!(
            "Imported {years} {}{kept}.",
            if years == 1 { "return" } else { "returns" }
        ),
    );
}

/// After a refused import: the import's message, and nothing changed.
pub fn refused(app: &mut App, why: String) {
    let state = &mut app.screens.returns;
    state.refused = Some(why);
    state.showing_check = false;
    state.scroll = 0;
    app.go(Screen::Returns);
    app.notify(
        NoticeKind::Error,
        "Nothing was imported: the return has problems, listed below. i tries again.",
    );
}
