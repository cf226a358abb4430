//! Members: everyone who sits on, advises or presents to the panel, with
//! their role and dates. Members not serving on the meeting's date are
//! dimmed. A name shows only when the administrator typed one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::tui::view::{Theme, fit, wrap};
use crate::model::Member;
use crate::rules::dates::dmy;
use crate::tui::mouse::HitMap;
use crate::tui::app::App;

pub fn draw(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let width = usize::from(area.width);
    let members = &app.data.all_members;
    let day = app.membership_day();
    let mut lines: Vec<Line> = vec![Line::styled(
        format!("Members ({})", members.len()),
        theme.bold(),
    )];
    let intro = format!(
        "n adds a member; Enter changes the highlighted one (an Until date ends a membership). Dimmed: not serving on {}.",
        dmy(day)
    );
    lines.extend(wrap(&intro, width).into_iter().map(Line::raw));
    lines.push(Line::raw(""));
    if members.is_empty() {
        lines.push(Line::raw("No members yet: press n to add one."));
    }
    // Two lines a member; scroll so the highlighted one stays in view. A
    // list longer than the window keeps a line to say so.
    let mut room = usize::from(area.height).saturating_sub(lines.len()) / 2;
    if room < members.len() {
        room = (usize::from(area.height).saturating_sub(lines.len() + 1) / 2).max(1);
    }
    let skip = super::first_shown(app.screens.members.cursor, room);
    for (i, member) in members.iter().enumerate().skip(skip).take(room) {
        let serving = member.serves_on(day);
        let highlighted = i == app.screens.members.cursor;
        let marker = if highlighted { "▶" } else { " " };
        let first = fit(&format!("{marker} {}", member.display()), width);
        let mut second = format!("    {}", details(app, member));
        if !serving {
            second.push_str(&format!(" (not serving on {})", dmy(day)));
        }
        let second = fit(&second, width);
        let (first_style, second_style) = if highlighted {
            (theme.highlight(), theme.bold())
        } else if serving {
            (theme.bold(), ratatui::style::Style::new())
        } else {
            let faded = theme.dim().add_modifier(Modifier::DIM);
            (faded, faded)
        };
        crate::tui::view::record_row(hits, area, lines.len(), 2, i);
        lines.push(Line::styled(first, first_style));
        lines.push(Line::styled(second, second_style));
    }
    let hidden_above = skip;
    let hidden_below = members.len().saturating_sub(skip + room);
    if let Some(hint) = crate::tui::view::scroll_hint(hidden_above, hidden_below) {
        lines.push(Line::styled(hint, theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// "service-manager-cp · standing · deputy for <job title> · from dd/mm/yyyy"
fn details(app: &App, member: &Member) -> String {
    let mut parts = vec![member.role.clone(), member.kind.id().to_owned()];
    if let Some(role) = &member.substitute_for {
        parts.push(format!("deputy for {}", role_title(app, role)));
    }
    if let Some(start) = member.start {
        parts.push(format!("from {}", dmy(start)));
    }
    if let Some(end) = member.end {
        parts.push(format!("until {}", dmy(end)));
    }
    parts.join(" · ")
}

/// A role's job title: from the preset, else from a member holding the
/// role, else the id itself.
pub fn role_title<'a>(app: &'a App, role: &'a str) -> &'a str {
    app.terms
        .role(role)
        .map(|r| r.job_title.as_str())
        .or_else(|| {
            app.data
                .all_members
                .iter()
                .find(|m| m.role == role)
                .map(|m| m.job_title.as_str())
        })
        .unwrap_or(role)
}

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The highlighted member.
    pub cursor: usize,
}

impl super::ScreenState for State {}

pub fn handle(app: &mut App, msg: crate::tui::app::Msg) -> super::Outcome {
    use crate::tui::app::Msg;
    if super::move_cursor(&mut app.screens.members.cursor, app.data.all_members.len(), &msg) {
        return super::Outcome::done();
    }
    match msg {
        Msg::NewMember => super::member_form::open_new(app),
        other => return super::Outcome::Unhandled(other),
    }
    super::Outcome::done()
}
