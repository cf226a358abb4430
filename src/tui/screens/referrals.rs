//! Referrals: the open referrals, oldest first (who referred the child,
//! the Team Manager supporting it, why, the meeting asked for, how long it
//! has waited); n records one, a accepts the highlighted one for a
//! meeting, d declines it with a reason.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::model::Referral;
use crate::rules::dates::dmy;
use crate::tui::app::{App, Msg, NoticeKind};
use crate::tui::mouse::HitMap;
use crate::tui::preparation::PrepMsg;
use crate::tui::view::{Theme, fit, wrap};

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, hits: &mut HitMap) {
    let width = usize::from(area.width);
    let open = app.data.prep.open_referrals();
    let mut lines: Vec<Line> = vec![Line::styled(
        format!("Open referrals, oldest first ({})", open.len()),
        theme.bold(),
    )];
    let intro = "n records a referral; a accepts the highlighted one for a meeting; d declines it with a reason.";
    lines.extend(wrap(intro, width).into_iter().map(Line::raw));
    lines.push(Line::raw(""));
    if open.is_empty() {
        lines.push(Line::raw("No referral is waiting: press n to record one."));
    }
    // Two lines a referral; scroll so the highlighted one stays in view.
    let room = (usize::from(area.height).saturating_sub(lines.len() + 1) / 2).max(1);
    let cursor = app.screens.referrals.cursor;
    let skip = (cursor + 1).saturating_sub(room);
    for (i, r) in open.iter().enumerate().skip(skip).take(room) {
        let highlighted = i == cursor;
        let marker = if highlighted { "▶" } else { " " };
        let first = format!(
            "{marker} {} · referred {} · {}",
            app.child_label(&r.child),
            dmy(r.made_on),
            waited(app, r)
        );
        let second = format!("    {}", details(r));
        crate::tui::view::record_row(hits, area, lines.len(), 2, i);
        let style = if highlighted {
            theme.highlight()
        } else {
            theme.bold()
        };
        lines.push(Line::styled(fit(&first, width), style));
        lines.push(Line::raw(fit(&second, width)));
    }
    let hidden = open.len().saturating_sub(skip + room);
    if let Some(hint) = crate::tui::view::scroll_hint(skip, hidden) {
        lines.push(Line::styled(hint, theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// "waiting 12 days"
fn waited(app: &App, r: &Referral) -> String {
    match (app.today - r.made_on).num_days() {
        ..=0 => "made today".to_owned(),
        1 => "waiting 1 day".to_owned(),
        n => format!("waiting {n} days"),
    }
}

/// "social worker JS · team manager AB · for 29/01/2027 · reason"
fn details(r: &Referral) -> String {
    let asked = r
        .meeting_asked
        .map_or("no meeting asked for".to_owned(), |d| {
            format!("asks for {}", dmy(d))
        });
    format!(
        "{} {} · {} {} · {asked} · {}",
        r.referrer_role, r.referrer_initials, r.supporter_role, r.supporter_initials, r.reason
    )
}

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The highlighted open referral.
    pub cursor: usize,
}

impl super::ScreenState for State {}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    use super::prep_form::{self, Purpose};
    let open: Vec<crate::model::Id> = app
        .data
        .prep
        .open_referrals()
        .iter()
        .map(|r| r.id)
        .collect();
    let last = open.len().saturating_sub(1);
    let cursor = &mut app.screens.referrals.cursor;
    *cursor = (*cursor).min(last);
    match msg {
        Msg::Up => *cursor = cursor.saturating_sub(1),
        Msg::Down => *cursor = (*cursor + 1).min(last),
        Msg::Select(row) => *cursor = row.min(last),
        Msg::Prepare(PrepMsg::NewReferral) => prep_form::open(app, Purpose::NewReferral),
        Msg::Prepare(wanted @ (PrepMsg::AcceptReferral | PrepMsg::DeclineReferral)) => {
            let Some(&id) = open.get(*cursor) else {
                app.notify(NoticeKind::Warning, "No referral is waiting.");
                return super::Outcome::done();
            };
            let purpose = if wanted == PrepMsg::AcceptReferral {
                Purpose::AcceptReferral(id)
            } else {
                Purpose::DeclineReferral(id)
            };
            prep_form::open(app, purpose);
        }
        other => return super::Outcome::Unhandled(other),
    }
    super::Outcome::done()
}
