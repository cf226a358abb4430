//! The child card: who is being heard and why, their plan, reviews, the
//! timeline of their care and what the panel said before. The facts are
//! worked out once per child (`App::child_card`); this only words them.
//! The header stays put while ↑↓ PgUp PgDn scroll the rest.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::view::{Theme, labelled, wrap};
use chrono::NaiveDate;

use crate::model::{Action, ActionStatus, PlanFacts, PlanKind};
use crate::rules::dates::{dmy, span_between};
use crate::tui::mouse::HitMap;
use crate::tui::app::App;
use crate::tui::data::{CardFacts, ChildCard, EarlierMeeting, HistoryEntry};

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, _hits: &mut HitMap) {
    let (Some(item), Some(card)) = (app.current_item(), app.child_card()) else {
        frame.render_widget(
            Paragraph::new("No child is on this meeting's agenda."),
            area,
        );
        return;
    };
    let title = format!(
        "Child {}  (item {} of {})",
        app.child_label(&item.child),
        app.current + 1,
        app.data.agenda.len()
    );
    let scroll = app.screens.card.scroll;
    draw_card(app, frame, area, theme, (&card, Seen::OnAgenda), title, scroll);
}

/// Whether the card is of a child on this meeting's agenda (with this
/// meeting's decision, actions and timing) or of one looked up with `/`
/// who is not (what the panel holds on them, nothing of this meeting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    OnAgenda,
    NotOnAgenda,
}

/// Draws a card under its fixed `title`, scrolled by `scroll` (kept in range).
pub fn draw_card(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    (card, seen): (&ChildCard, Seen),
    title: String,
    scroll: u16,
) {
    let [header, body] = header_and_body(area);
    let lines = card_lines(app, card, seen, body.width, theme);
    let furthest = furthest(&lines, body);
    let scroll = scroll.min(furthest);
    // The footer has no room for the scroll keys; the header says where
    // the card stands and how to move it.
    let hint = match (scroll > 0, scroll < furthest) {
        // The presenter view takes no scroll keys.
        _ if app.presenter => String::new(),
        (false, false) => String::new(),
        (false, true) => "more below: ↓ PgDn".to_owned(),
        (true, true) => "more above and below: ↑↓ PgUp PgDn".to_owned(),
        (true, false) => "end of card: ↑ PgUp".to_owned(),
    };
    // A long name leaves room for the arrows only.
    let room = usize::from(header.width).saturating_sub(crate::tui::editor::width(&title) + 2);
    let hint = if crate::tui::editor::width(&hint) > room && !hint.is_empty() {
        "↑↓".to_owned()
    } else {
        hint
    };
    let gap = usize::from(header.width)
        .saturating_sub(crate::tui::editor::width(&title) + crate::tui::editor::width(&hint))
        .max(2);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(title, theme.bold()),
            Span::raw(" ".repeat(gap)),
            Span::styled(hint, theme.dim()),
        ])),
        header,
    );
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), body);
}

/// The card's fixed header, a blank line, and the part that scrolls.
fn header_and_body(area: Rect) -> [Rect; 2] {
    let [header, _, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    [header, body]
}

fn furthest(lines: &[Line], body: Rect) -> u16 {
    u16::try_from(lines.len().saturating_sub(usize::from(body.height))).unwrap_or(u16::MAX)
}

/// How far the card drawn in `area` can scroll, and its page height.
pub fn room(app: &App, area: Rect, theme: &Theme) -> (u16, u16) {
    match app.child_card() {
        Some(card) => room_of(app, (&card, Seen::OnAgenda), area, theme),
        None => (0, header_and_body(area)[1].height),
    }
}

/// How far `card` drawn in `area` can scroll, and its page height.
pub fn room_of(app: &App, (card, seen): (&ChildCard, Seen), area: Rect, theme: &Theme) -> (u16, u16) {
    let [_, body] = header_and_body(area);
    (
        furthest(&card_lines(app, card, seen, body.width, theme), body),
        body.height,
    )
}

/// Every line of the card below its header, section by section.
fn card_lines(app: &App, card: &ChildCard, seen: Seen, w: u16, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    heading(&mut lines, "Summary", theme, true);
    summary(app, card.facts.as_ref(), w, theme, &mut lines);
    if seen == Seen::OnAgenda {
        // How the meeting runs, then this meeting's decision and actions,
        // where the chair has always read them, in view without scrolling.
        timing(app, w, theme, &mut lines);
        this_meeting(app, w, theme, &mut lines);
        heading(&mut lines, "Why this child is listed", theme, false);
    } else {
        heading(&mut lines, "Cohorts met at the meeting's date", theme, false);
        if card.why_listed.is_empty() {
            lines.push(Line::raw("None of the panel's cohorts."));
        }
    }
    for reason in &card.why_listed {
        let mark = if reason.listed_under {
            ": the reason for this agenda"
        } else {
            ""
        };
        lines.push(Line::styled(
            format!("• {}{mark}", reason.title),
            theme.bold(),
        ));
        for sentence in &reason.sentences {
            indented(&mut lines, sentence, "  ", "  ", w);
        }
    }

    heading(&mut lines, "Plan", theme, false);
    match &card.plan {
        Some(plan) if plan_recorded(plan) => plan_lines(plan, w, theme, &mut lines),
        _ => lines.push(Line::raw("No plan recorded.")),
    }
    if let Some(booking) = fostering_panel(card.plan.as_ref(), card.fostering_panel) {
        // Longer than the label column: said as a sentence of its own.
        lines.push(Line::from(vec![
            Span::styled("Fostering Panel: ", theme.bold()),
            Span::raw(booking),
        ]));
    }

    if !card.from_return.is_empty() {
        heading(&mut lines, "From the return", theme, false);
        for fact in &card.from_return {
            indented(&mut lines, fact, "", "  ", w);
        }
    }

    heading(&mut lines, "Reviews", theme, false);
    match &card.reviews {
        Some(row) => {
            let held = match row.reviews_held {
                1 => "1 review".to_owned(),
                n => format!("{n} reviews"),
            };
            lines.extend(labelled(
                "Held",
                &format!(
                    "{held} in this period of care (since {})",
                    dmy(row.period_start)
                ),
                w,
                theme,
            ));
            let last = row.last_review.map_or("none yet".to_owned(), dmy);
            lines.extend(labelled("Last review", &last, w, theme));
            let next = if row.overdue {
                let late = span_between(row.next_due, app.membership_day());
                format!(
                    "OVERDUE: was due by {}, {late} before the meeting",
                    dmy(row.next_due)
                )
            } else {
                format!("by {}", dmy(row.next_due))
            };
            let style = if row.overdue {
                theme.warn()
            } else {
                theme.base()
            };
            lines.extend(
                labelled("Next due", &next, w, theme)
                    .into_iter()
                    .map(|l| l.patch_style(style)),
            );
        }
        None => lines.push(Line::raw(
            "No review timetable: not looked after at the meeting's date.",
        )),
    }

    heading(&mut lines, "History", theme, false);
    history_lines(&card.history, w, theme, &mut lines);

    heading(&mut lines, "At earlier meetings", theme, false);
    if card.earlier.is_empty() {
        lines.push(Line::raw(
            "No earlier meeting recorded a decision or an action on this child.",
        ));
    }
    for meeting in &card.earlier {
        earlier_meeting(app, meeting, w, theme, &mut lines);
    }
    lines
}

fn heading(lines: &mut Vec<Line<'static>>, title: &str, theme: &Theme, first: bool) {
    if !first {
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(
        title.to_uppercase(),
        theme
            .bold()
            .add_modifier(ratatui::style::Modifier::UNDERLINED),
    ));
}

/// `text` wrapped to `w`, the first line after `first`, the rest after `rest`.
fn indented(lines: &mut Vec<Line<'static>>, text: &str, first: &str, rest: &str, w: u16) {
    let room = usize::from(w)
        .saturating_sub(crate::tui::editor::width(first).max(crate::tui::editor::width(rest)))
        .max(10);
    for (i, part) in wrap(text, room).into_iter().enumerate() {
        let lead = if i == 0 { first } else { rest };
        lines.push(Line::raw(format!("{lead}{part}")));
    }
}

fn summary(
    app: &App,
    facts: Option<&CardFacts>,
    w: u16,
    theme: &Theme,
    lines: &mut Vec<Line<'static>>,
) {
    match facts {
        None => lines.extend(labelled(
            "Record",
            "not in the latest SSDA903 import",
            w,
            theme,
        )),
        Some(facts) => {
            lines.extend(labelled(
                "Age",
                &format!("{} years", facts.age_years),
                w,
                theme,
            ));
            match &facts.current {
                Some(c) => {
                    lines.extend(labelled(
                        "Legal status",
                        &format!(
                            "{} {}, since {}",
                            c.legal_status.code(),
                            c.legal_status.meaning(),
                            dmy(c.legal_status_since)
                        ),
                        w,
                        theme,
                    ));
                    let provider = c
                        .provider
                        .map(|p| format!(" ({} {})", p.code(), p.meaning()))
                        .unwrap_or_default();
                    lines.extend(labelled(
                        "Placement",
                        &format!(
                            "{} {}{provider}, this setting since {}",
                            c.placement.code(),
                            c.placement.meaning(),
                            dmy(c.placement_since)
                        ),
                        w,
                        theme,
                    ));
                    lines.extend(labelled(
                        "Same carers",
                        &format!(
                            "since {} ({})",
                            dmy(c.carers_since),
                            crate::rules::dates::span_between(c.carers_since, app.membership_day())
                        ),
                        w,
                        theme,
                    ));
                }
                None => {
                    let ended = facts
                        .last_ceased
                        .map(|d| format!(" (last episode ended {})", dmy(d)))
                        .unwrap_or_default();
                    lines.extend(labelled(
                        "Legal status",
                        &format!("not looked after on {}{ended}", dmy(app.membership_day())),
                        w,
                        theme,
                    ));
                }
            }
        }
    }
}

/// Where the meeting stands against its plan, on the meeting's day.
fn timing(app: &App, w: u16, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    if let Some(t) = app.timing() {
        lines.extend(labelled(
            "Timing",
            &format!(
                "slot {}–{}, {}; the meeting ends about {}",
                t.slot_start.format("%H:%M"),
                t.slot_end.format("%H:%M"),
                t.status(),
                t.projected_end.format("%H:%M")
            ),
            w,
            theme,
        ));
    }
}

/// The Fostering Panel line (issue 17): the sitting the child's long-term
/// match is booked to; "not booked" for a long-term fostering plan still
/// waiting for its match with no booking; nothing for anyone else.
fn fostering_panel(plan: Option<&PlanFacts>, booked: Option<NaiveDate>) -> Option<String> {
    match booked {
        Some(day) => Some(format!("booked for {}", dmy(day))),
        None => plan
            .filter(|p| p.plan == Some(PlanKind::LongTermFostering) && p.match_agreed.is_none())
            .map(|_| "not booked".to_owned()),
    }
}

/// Whether the plans file said anything about the child.
fn plan_recorded(plan: &PlanFacts) -> bool {
    plan.plan.is_some()
        || plan.plan_agreed.is_some()
        || plan.match_agreed.is_some()
        || plan.achieved.is_some()
        || plan.no_pr
        || plan.potential_sgo
}

fn plan_lines(plan: &PlanFacts, w: u16, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    let kind = plan.plan.map_or("no plan recorded", |p| p.label());
    let agreed = plan.plan_agreed.map_or_else(
        || ", date agreed not recorded".to_owned(),
        |d| format!(", agreed {}", dmy(d)),
    );
    let agreed = if plan.plan.is_some() {
        agreed
    } else {
        String::new()
    };
    lines.extend(labelled("Plan", &format!("{kind}{agreed}"), w, theme));
    let matched = plan
        .match_agreed
        .map_or("not agreed".to_owned(), |d| format!("agreed {}", dmy(d)));
    lines.extend(labelled("Match", &matched, w, theme));
    if plan.potential_sgo {
        lines.extend(labelled(
            "Potential SGO",
            "yes: carers are exploring a special guardianship or child arrangements order",
            w,
            theme,
        ));
    }
    if plan.no_pr {
        lines.extend(labelled(
            "Parental resp.",
            "no person holds parental responsibility",
            w,
            theme,
        ));
    }
    let achieved = plan
        .achieved
        .map_or("not yet".to_owned(), |d| format!("achieved {}", dmy(d)));
    lines.extend(labelled("Permanence", &achieved, w, theme));
}

/// The episodes, newest first, each period of care under its own line.
fn history_lines(history: &[HistoryEntry], w: u16, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    if history.is_empty() {
        lines.push(Line::raw("No episode of care in the latest return."));
        return;
    }
    // Newest first: a period runs from its newest episode down to the one
    // that starts it.
    let mut rest = history;
    while !rest.is_empty() {
        let end = rest
            .iter()
            .position(|e| e.starts_period)
            .map_or(rest.len(), |i| i + 1);
        let (period, later) = rest.split_at(end);
        rest = later;
        if let (Some(newest), Some(first)) = (period.first(), period.last()) {
            let until = newest
                .to
                .map_or("continuing".to_owned(), |d| format!("ended {}", dmy(d)));
            // The oldest episode held has no predecessor, so every group
            // ends at a period's first episode.
            let start = format!("Period of care began {}", dmy(first.from));
            lines.push(Line::styled(format!("{start} ({until})"), theme.bold()));
        }
        for e in period {
            let to = e.to.map_or("now".to_owned(), dmy);
            let provider = e
                .provider
                .map(|p| format!(" · {} {}", p.code(), p.meaning()))
                .unwrap_or_default();
            let ended = e
                .reason_ended
                .map(|r| format!(" · ended: {} {}", r.code(), r.meaning()))
                .unwrap_or_default();
            // Why it began, and why its placement ended, in words.
            let began = format!(
                " · began: {} {}",
                e.reason_started.code(),
                e.reason_started.meaning()
            );
            let moved = e
                .placement_ended_because
                .as_deref()
                .map(|code| {
                    let words = crate::model::place_change_reason(code).unwrap_or("");
                    format!(" · placement ended: {code} {words}")
                        .trim_end()
                        .to_owned()
                })
                .unwrap_or_default();
            let text = format!(
                "{}–{to}: {} {} · {} {}{provider}{began}{ended}{moved}",
                dmy(e.from),
                e.legal_status.code(),
                e.legal_status.meaning(),
                e.placement.code(),
                e.placement.meaning(),
            );
            indented(lines, &text, "  ", "      ", w);
        }
    }
}

/// This meeting's decision, the administrator's note and the actions, as
/// the card has always shown them.
fn this_meeting(app: &App, w: u16, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    let Some(item) = app.current_item() else {
        return;
    };
    let decision = match app.data.decision_for(&item.child) {
        Some(d) if d.quorate => d.text.clone(),
        Some(d) => format!("{} [flagged: made while not quorate]", d.text),
        None if app.is_editing() && app.screens.decision.drafts.contains_key(&item.child) => {
            "(a draft is not saved yet; press d)".to_owned()
        }
        None => "(none yet; press d)".to_owned(),
    };
    lines.extend(labelled("Decision", &decision, w, theme));
    if let Some(d) = app.data.decision_for(&item.child) {
        if let Some(outcome) = app.data.outcome_of(d, &app.terms) {
            lines.extend(labelled("Outcome", &outcome, w, theme));
        }
        for (label, text) in app.data.outcome_details(d) {
            lines.extend(labelled(label, &text, w, theme));
        }
    }
    // The administrator's own note: never on a projector or the presenter view.
    if !app.projector
        && !app.presenter
        && let Some(note) = app.data.admin_notes.get(&item.child)
    {
        lines.extend(labelled("Private note", note, w, theme));
    }
    if app.data.carried_over.contains(&item.child) {
        lines.extend(labelled(
            "Next meeting",
            "carried over (first on its agenda)",
            w,
            theme,
        ));
    }
    let actions = app.data.actions_for(&item.child);
    let open = actions
        .iter()
        .filter(|a| a.status == ActionStatus::Open)
        .count();
    lines.extend(labelled(
        "Actions",
        &format!("{open} open of {} (press a)", actions.len()),
        w,
        theme,
    ));
}

fn earlier_meeting(
    app: &App,
    meeting: &EarlierMeeting,
    w: u16,
    theme: &Theme,
    lines: &mut Vec<Line<'static>>,
) {
    lines.push(Line::from(vec![Span::styled(
        format!("Meeting of {}", dmy(meeting.date)),
        theme.bold(),
    )]));
    if meeting.decisions.is_empty() {
        lines.extend(labelled("Decision", "none recorded", w, theme));
    }
    for d in &meeting.decisions {
        let text = if d.quorate {
            d.text.clone()
        } else {
            format!("{} [flagged: made while not quorate]", d.text)
        };
        lines.extend(labelled("Decision", &text, w, theme));
        if let Some(outcome) = app.data.outcome_of(d, &app.terms) {
            lines.extend(labelled("Outcome", &outcome, w, theme));
        }
        for (label, text) in app.data.outcome_details(d) {
            lines.extend(labelled(label, &text, w, theme));
        }
    }
    for (i, a) in meeting.actions.iter().enumerate() {
        let label = if i == 0 { "Actions" } else { "" };
        lines.extend(labelled(label, &action_words(app, a), w, theme));
    }
}

/// "[open, overdue] Book the review, Social worker, due 04/11/2026".
fn action_words(app: &App, a: &Action) -> String {
    let overdue = a.status == ActionStatus::Open && a.deadline < app.membership_day();
    let status = if overdue {
        "open, overdue".to_owned()
    } else {
        a.status.id().to_owned()
    };
    let why = a
        .status_reason
        .as_deref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    format!(
        "[{status}] {}; {}, due {}{why}",
        a.text,
        a.owner,
        dmy(a.deadline)
    )
}

#[derive(Debug, Clone, Default)]
pub struct State {
    /// How many lines the card is scrolled down (its header stays); back
    /// to the top for another child.
    pub scroll: u16,
}

impl super::ScreenState for State {}

/// ↑↓ PgUp PgDn scroll, no further than the card reaches at the terminal's
/// size; `o` carries the child over.
pub fn handle(app: &mut App, msg: crate::tui::app::Msg) -> super::Outcome {
    use crate::tui::app::Msg;
    match msg {
        Msg::Up | Msg::Down => scroll(app, msg == Msg::Down, 1),
        Msg::PageUp | Msg::PageDown => {
            let page = crate::tui::view::card_room(app).1.saturating_sub(1).max(1);
            scroll(app, msg == Msg::PageDown, page);
        }
        Msg::CarryOver => return super::Outcome::Handled(carry_over(app)),
        other => return super::Outcome::Unhandled(other),
    }
    super::Outcome::done()
}

fn scroll(app: &mut App, down: bool, lines: u16) {
    let furthest = crate::tui::view::card_room(app).0;
    let state = &mut app.screens.card;
    state.scroll = if down {
        state.scroll.saturating_add(lines).min(furthest)
    } else {
        state.scroll.saturating_sub(lines)
    };
}

fn carry_over(app: &mut App) -> Vec<crate::tui::app::Effect> {
    use crate::tui::app::{Effect, NoticeKind};
    let (Some(meeting), Some(child)) = (
        app.meeting_id(),
        app.current_item().map(|i| i.child.clone()),
    ) else {
        return Vec::new();
    };
    if app.data.carried_over.contains(&child) {
        app.notify(
            NoticeKind::Info,
            format!("{child} is already carried over to the next meeting."),
        );
        return Vec::new();
    }
    vec![Effect::CarryOver { meeting, child }]
}
