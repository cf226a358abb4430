//! `view`: draws the app. Reads `App` only; never changes it.

mod help;
mod palette;

use crate::rules::dates::weekday_name;
use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::app::{App, NoticeKind};
use super::editor::{self, LineEditor};
use super::keymap;
use super::mouse::{HitMap, Target};
use super::overlay::Overlay;
use crate::model::Meeting;
use crate::rules::dates::dmy;

pub use help::help_lines;

/// The smallest window the screens are laid out for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn view(app: &App, frame: &mut Frame) {
    draw(app, frame, &mut HitMap::default());
}

/// Where a frame at the app's last known size (`Msg::Resize`) draws what a
/// mouse can click: the same drawing as `view`, on a buffer off screen, so
/// the hit-test and the frame can never disagree and the view keeps
/// nothing.
pub fn hit_map(app: &App) -> HitMap {
    let (width, height) = app.size;
    let mut hits = HitMap::default();
    // An off-screen terminal draws to memory: it cannot fail.
    let Ok(mut terminal) =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height));
    let Ok(_) = terminal.draw(|frame| draw(app, frame, &mut hits));
    hits
}

/// The five bands of every frame: title, body, notice, quorum, footer;
/// the body inside its margin. Shared by `draw` and the scroll limits
/// worked out in `update` (`card_room`).
struct Bands {
    title: Rect,
    body: Rect,
    notice: Rect,
    quorum: Rect,
    footer: Rect,
    notice_lines: Vec<Line<'static>>,
    quorum_lines: Vec<Line<'static>>,
}

fn bands(app: &App, area: Rect, theme: &Theme) -> Bands {
    let quorum_lines = quorum_lines(app, area.width, theme);
    let notice_lines = notice_lines(app, area.width, theme);
    let [title, body, notice, quorum, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(notice_lines.len() as u16),
        Constraint::Length(quorum_lines.len() as u16),
        Constraint::Length(1),
    ])
    .areas(area);
    Bands {
        title,
        body: body.inner(ratatui::layout::Margin::new(1, 1)),
        notice,
        quorum,
        footer,
        notice_lines,
        quorum_lines,
    }
}

/// How far the child card can scroll and its page height, at the app's
/// last known size: what ↓ and PgDn stop at.
pub fn card_room(app: &App) -> (u16, u16) {
    let (width, height) = app.size;
    let theme = Theme::named(app.theme, app.no_color);
    let body = bands(app, Rect::new(0, 0, width, height), &theme).body;
    super::screens::card::room(app, body, &theme)
}

/// The same for the card of a child not on this agenda (`/`).
pub fn visit_room(app: &App) -> (u16, u16) {
    let (width, height) = app.size;
    let theme = Theme::named(app.theme, app.no_color);
    let body = bands(app, Rect::new(0, 0, width, height), &theme).body;
    super::screens::visit::room(app, body, &theme)
}

fn draw(app: &App, frame: &mut Frame, hits: &mut HitMap) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area);
        return;
    }
    let theme = Theme::named(app.theme, app.no_color);
    frame.render_widget(ratatui::widgets::Block::new().style(theme.base()), area);
    let Bands {
        title,
        body,
        notice,
        quorum: quorum_area,
        footer,
        notice_lines,
        quorum_lines: quorum,
    } = bands(app, area, &theme);
    frame.render_widget(Paragraph::new(title_line(app, &theme)), title);
    app.screen.draw(app, frame, body, &theme, hits);
    frame.render_widget(Paragraph::new(notice_lines.clone()), notice);
    frame.render_widget(Paragraph::new(quorum), quorum_area);
    if app.presenter {
        let text = "Presenter view: follows the chair's current child · read-only · q quit";
        frame.render_widget(Paragraph::new(Line::from(text).style(theme.dim())), footer);
    } else {
        draw_footer(app, frame, footer, &theme, hits);
    }
    // The overlays, bottom first.
    for overlay in app.overlays.iter() {
        match overlay {
            Overlay::Help { .. } => {
                help::draw(app, frame, area, &theme);
                // The help covers all but the footer, which stays clickable.
                let covered = Rect {
                    height: area.height.saturating_sub(1),
                    ..area
                };
                hits.add(covered, Target::Overlay);
            }
            Overlay::Palette(_) => palette::draw(app, frame, area, &theme, hits),
            // A question is its notice line, drawn again over what lies
            // below it (the help), so it is never asked unseen.
            Overlay::Question(_) => {
                frame.render_widget(ratatui::widgets::Clear, notice);
                frame.render_widget(Paragraph::new(notice_lines.clone()), notice);
            }
        }
    }
}

/// The footer line, each entry recorded where it is drawn so a click on it
/// runs its binding.
fn draw_footer(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, hits: &mut HitMap) {
    let mut x = area.x;
    let mut spans: Vec<Span> = Vec::new();
    for (i, (text, msg)) in keymap::footer_entries(app).into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(keymap::FOOTER_GAP));
            x = x.saturating_add(editor::width(keymap::FOOTER_GAP) as u16);
        }
        let width = editor::width(&text) as u16;
        let shown = Rect::new(x, area.y, width, 1).intersection(area);
        if !shown.is_empty() {
            hits.add(shown, Target::Footer(msg));
        }
        // "↑↓ move": the ↑ is the entry's own key; the ↓ cell does what ↓ does.
        if text.starts_with("↑↓") {
            let down = keymap::message_for(
                app,
                crossterm::event::KeyEvent::new(
                    crossterm::event::KeyCode::Down,
                    crossterm::event::KeyModifiers::NONE,
                ),
            );
            let cell = Rect::new(x.saturating_add(1), area.y, 1, 1).intersection(area);
            if let Some(down) = down
                && !cell.is_empty()
            {
                hits.add(cell, Target::Footer(down));
            }
        }
        x = x.saturating_add(width);
        spans.push(Span::raw(text));
    }
    frame.render_widget(Paragraph::new(Line::from(spans).style(theme.dim())), area);
}

/// Records row `row` of the palette's matches, one line, `line` lines
/// into `area`.
pub fn record_palette_row(hits: &mut HitMap, area: Rect, line: usize, row: usize) {
    let Ok(line) = u16::try_from(line) else {
        return;
    };
    let drawn = Rect::new(area.x, area.y.saturating_add(line), area.width, 1);
    let shown = drawn.intersection(area);
    if !shown.is_empty() {
        hits.add(shown, Target::PaletteRow(row));
    }
}

/// The line under a scrolled list saying what it does not show:
/// "  (3 more above, 12 below: ↑↓ scrolls)", naming only the sides that
/// hide rows; None when every row is shown. One wording for every list.
pub fn scroll_hint(above: usize, below: usize) -> Option<String> {
    let hidden = match (above, below) {
        (0, 0) => return None,
        (above, 0) => format!("{above} more above"),
        (0, below) => format!("{below} more below"),
        (above, below) => format!("{above} more above, {below} below"),
    };
    Some(format!("  ({hidden}: ↑↓ scrolls)"))
}

/// Records list row `row`, drawn `height` lines tall starting `line` lines
/// into `area`; the part outside `area` is not clickable.
pub fn record_row(hits: &mut HitMap, area: Rect, line: usize, height: u16, row: usize) {
    let Ok(line) = u16::try_from(line) else {
        return;
    };
    let drawn = Rect::new(area.x, area.y.saturating_add(line), area.width, height);
    let shown = drawn.intersection(area);
    if !shown.is_empty() {
        hits.add(shown, Target::Row(row));
    }
}

fn too_small(frame: &mut Frame, area: Rect) {
    let text = format!(
        "The window is {}x{}; permanence-panel needs at least {MIN_WIDTH}x{MIN_HEIGHT}. Make it larger, or press Ctrl+Q to quit.",
        area.width, area.height
    );
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

pub use super::theme::Theme;

fn title_line(app: &App, theme: &Theme) -> Line<'static> {
    let meeting = match &app.data.meeting {
        Some(m) => meeting_when(m),
        None => "no meeting".to_owned(),
    };
    let mut spans = vec![
        Span::styled(format!(" {} ", app.terms.short_name), theme.title()),
        Span::raw(format!("· {meeting} · {}", app.screen.title())),
    ];
    if app.projector {
        spans.push(Span::styled(" · PROJECTOR", theme.warn()));
    }
    if app.read_only {
        spans.push(Span::styled(
            " · READ-ONLY: another copy has this panel open",
            theme.warn(),
        ));
    }
    Line::from(spans)
}

/// "Friday 27/11/2026, 09:30–13:00"
pub fn meeting_when(m: &Meeting) -> String {
    format!(
        "{} {}, {}–{}",
        weekday_name(m.date.weekday()),
        dmy(m.date),
        m.start.format("%H:%M"),
        m.end.format("%H:%M")
    )
}

/// The question or notice answering the last key: one line, two if long.
fn notice_lines(app: &App, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let progress;
    let (text, style) = if let Some((what, step)) = &app.progress {
        // A long job's progress line: what it does now, and how far.
        let count = if step.of > 0 {
            format!(" ({} of {})", step.done.min(step.of), step.of)
        } else {
            String::new()
        };
        progress = format!("{what}: {}{count}…", step.doing);
        (progress.as_str(), theme.ok())
    } else if let Some(question) = app.overlays.question() {
        (question.text(), theme.warn())
    } else {
        match &app.notice {
            Some(n) => {
                let style = match n.kind {
                    NoticeKind::Info => theme.ok(),
                    NoticeKind::Warning | NoticeKind::Error => theme.warn(),
                };
                (n.text.as_str(), style)
            }
            None => return vec![Line::raw("")],
        }
    };
    let mut lines = wrap(text, usize::from(width).saturating_sub(2));
    lines.truncate(2);
    lines
        .into_iter()
        .map(|l| Line::styled(format!(" {l}"), style))
        .collect()
}

/// The quorum line, shown on every screen once it means something (see
/// `App::quorum_matters`), wrapped to at most three lines.
fn quorum_lines(app: &App, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    if !app.quorum_matters() {
        return Vec::new();
    }
    let Some(q) = app.quorum() else {
        return Vec::new();
    };
    let style = if q.quorate { theme.ok() } else { theme.warn() };
    let width = usize::from(width).saturating_sub(2);
    let mut lines = wrap(&q.summary(), width);
    if lines.len() > 3 && q.quorate {
        // Who fills which place does not fit: say so briefly; the roll
        // call shows it in full.
        let rule = if q.assumed { " (assumed rule)" } else { "" };
        let short = format!(
            "Quorate{rule}: all {} places filled; the roll call shows who fills each",
            q.filled.len()
        );
        lines = wrap(&short, width);
    }
    if lines.len() > 3 {
        lines.truncate(3);
        if let Some(last) = lines.last_mut() {
            let keep = width.saturating_sub(1);
            *last = editor::take_width(last, keep).to_owned();
            last.push('…');
        }
    }
    lines
        .into_iter()
        .map(|l| Line::styled(format!(" {l}"), style))
        .collect()
}

/// Word wrap to `width` display columns; a word longer than the width is
/// cut where the line is full and goes on on the next. Line breaks in `text` count as spaces (see `editor::wrap_ranges`
/// for a field's text, which keeps them).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::tui::editor::wrap_ranges(&one_line, width)
        .into_iter()
        .map(|range| one_line[range].to_owned())
        .collect()
}

/// `text` cut to `width` display columns, with an ellipsis when cut.
pub fn fit(text: &str, width: usize) -> String {
    if editor::width(text) <= width {
        return text.to_owned();
    }
    let mut cut = editor::take_width(text, width.saturating_sub(1)).to_owned();
    cut.push('…');
    cut
}

/// A label column and wrapped text beside it, continuation lines indented.
pub fn labelled(label: &str, text: &str, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    const LABEL: usize = 14;
    let room = usize::from(width).saturating_sub(LABEL).max(10);
    wrap(text, room)
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let head = if i == 0 { label } else { "" };
            Line::from(vec![
                Span::styled(format!("{head:<LABEL$}"), theme.bold()),
                Span::raw(part),
            ])
        })
        .collect()
}

/// Draws an editor's text in `area` (one line). Focused, it is scrolled so
/// the cursor shows; otherwise it shows from the start, with an ellipsis
/// when cut, so a long owner reads "Independent Reviewing Offic…".
pub fn draw_editor(
    frame: &mut Frame,
    area: Rect,
    editor: &LineEditor,
    focused: bool,
    style: ratatui::style::Style,
) {
    let width = usize::from(area.width.max(1));
    let text = editor.text();
    if !focused {
        frame.render_widget(Paragraph::new(fit(text, width)).style(style), area);
        return;
    }
    let cursor = editor.cursor_byte();
    let from = editor::visible_from(text, cursor, width);
    let shown = editor::take_width(&text[from..], width);
    frame.render_widget(Paragraph::new(shown.to_owned()).style(style), area);
    let x = area.x + editor::width(&text[from..cursor]) as u16;
    frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
}

/// Whether the keys reach the screen's editor, so its cursor shows: not
/// while the help or the quit question lies over it.
pub(crate) fn keys_reach_editor(app: &App) -> bool {
    !app.help_open() && app.overlays.question().is_none()
}

/// Draws an editor's text over several lines of `area`, wrapped between
/// words by display width with its line breaks kept, scrolled so the
/// cursor's line shows.
pub fn draw_editor_wrapped(frame: &mut Frame, area: Rect, editor: &LineEditor, focused: bool) {
    let width = usize::from(area.width.max(1));
    let height = usize::from(area.height.max(1));
    let text = editor.text();
    let ranges = editor::wrap_ranges(text, width);
    let (row, column) = editor::cursor_place(text, &ranges, editor.cursor_byte());
    let first = (row + 1).saturating_sub(height);
    let lines: Vec<Line> = ranges[first..]
        .iter()
        .take(height)
        .map(|range| Line::raw(text[range.clone()].to_owned()))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
    if focused {
        let x = area.x + column.min(width.saturating_sub(1)) as u16;
        let y = area.y + (row - first) as u16;
        frame.set_cursor_position(Position::new(x, y));
    }
}

/// Why a child is listed, as the agenda line says it: the cohort's short
/// title, or the stored words when they are not a cohort id.
pub(crate) fn listed_under(text: &str) -> &str {
    crate::model::cohort::listed_under_short(text)
}

/// The width of the longest child label on the agenda (at least 10, an id's
/// width), so agenda columns line up when some children have names.
pub(crate) fn label_width(app: &App) -> usize {
    app.data
        .agenda
        .iter()
        .map(|item| editor::width(&app.child_label(&item.child)))
        .max()
        .unwrap_or(0)
        .max(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list scrolled to its top does not say "0 more above"; the
    /// agenda builder read "(0 more above, 209 below…)".
    #[test]
    fn the_scroll_hint_names_only_the_sides_that_hide_rows() {
        assert_eq!(scroll_hint(0, 0), None);
        assert_eq!(
            scroll_hint(0, 209).as_deref(),
            Some("  (209 more below: ↑↓ scrolls)")
        );
        assert_eq!(
            scroll_hint(3, 0).as_deref(),
            Some("  (3 more above: ↑↓ scrolls)")
        );
        assert_eq!(
            scroll_hint(3, 12).as_deref(),
            Some("  (3 more above, 12 below: ↑↓ scrolls)")
        );
    }

    #[test]
    fn wrap_breaks_at_words_and_carries_a_word_longer_than_the_line_on() {
        assert_eq!(
            wrap("no social work manager", 10),
            ["no social", "work", "manager"]
        );
        // Nothing is lost: the rest of a long word goes on the next line.
        assert_eq!(wrap("abcdefghijkl xy", 5), ["abcde", "fghij", "kl xy"]);
        assert_eq!(wrap("", 5), [""]);
    }

    #[test]
    fn fit_marks_a_cut_with_an_ellipsis() {
        assert_eq!(fit("Head of Service", 20), "Head of Service");
        assert_eq!(fit("Head of Service", 8), "Head of…");
        assert_eq!(fit("Head – Service", 6).chars().count(), 6);
        // Wide characters count two columns each.
        assert_eq!(fit("日本語です", 5), "日本…");
        assert_eq!(wrap("日本語 日本語", 6), ["日本語", "日本語"]);
    }
}
