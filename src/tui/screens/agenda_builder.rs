//! The agenda builder: a meeting's agenda before it is held (the same
//! builder as `agenda --build`). Each child heard with their slot and route
//! in words (carried over, referral, action due, cohort) and why, the time
//! the meeting would end, and the children waiting with why they wait; pin,
//! add with a reason, remove with a reason, move up or down, publish. Once
//! published, each change asks first and is logged "(after publishing)".
//! The live meeting's own agenda screen is the chair's, and stays as is.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::model::cohort::listed_under_title;
use crate::model::{AgendaItem, Id, MeetingStatus};
use crate::rules::agenda::slot;
use crate::tui::app::{App, Effect, Msg, NoticeKind, Screen};
use crate::tui::mouse::HitMap;
use crate::tui::overlay::{Overlay, Question};
use crate::tui::preparation::{AgendaChange, PrepMsg, Prepare};
use crate::tui::view::{Theme, fit, meeting_when, wrap};

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, hits: &mut HitMap) {
    let width = usize::from(area.width);
    let state = &app.screens.agenda_builder;
    let Some(meeting) = state.meeting.and_then(|id| app.data.prep.meeting(id)) else {
        frame.render_widget(Paragraph::new("This meeting is no longer in the list."), area);
        return;
    };
    let built = app.data.prep.agenda(meeting.id).cloned().unwrap_or_default();
    let stands = match built.published_at {
        Some(at) => format!("published {}", at.format("%d/%m/%Y %H:%M")),
        None if built.is_built() => "built, not published".to_owned(),
        None => "not built yet".to_owned(),
    };
    let mut lines: Vec<Line> = vec![Line::styled(
        fit(
            &format!("Agenda for {} · {stands}", meeting_when(meeting)),
            width,
        ),
        theme.bold(),
    )];
    // The title line names the meeting the app is on; say when this is another.
    if app.meeting_id() != Some(meeting.id) {
        let other = app
            .data
            .meeting
            .as_ref()
            .map_or("no meeting".to_owned(), meeting_when);
        let text = format!("(Not the meeting the app is on: the other screens are about {other}.)");
        lines.extend(
            wrap(&text, width)
                .into_iter()
                .map(|l| Line::styled(l, theme.warn())),
        );
    }
    let help = if built.published_at.is_some() {
        "p pins, a adds, x removes, < > move the highlighted child; each change asks first."
    } else {
        "b builds; p pins, a adds, x removes, < > move the highlighted child; P publishes."
    };
    lines.extend(wrap(help, width).into_iter().map(Line::raw));
    if let Some(pending) = &state.pending {
        lines.push(Line::styled(
            fit(&format!("Asked: {}", describe(app, pending)), width),
            theme.warn(),
        ));
    }
    if !built.is_built() {
        lines.push(Line::raw(""));
        lines.push(Line::raw(
            "No child is listed yet: press b to build the agenda from the carried over, the referrals, the actions due and the cohorts.",
        ));
        let text: Vec<Line> = lines
            .into_iter()
            .flat_map(|l| {
                let style = l.style;
                wrap(&l.to_string(), width)
                    .into_iter()
                    .map(move |w| Line::styled(w, style))
            })
            .collect();
        frame.render_widget(Paragraph::new(text), area);
        return;
    }
    let slot_minutes = app.terms.agenda.slot_minutes;
    let places = crate::usecase::agenda::slots(&app.terms, meeting);
    let ends = slot(meeting.start, slot_minutes, built.heard.len().saturating_sub(1)).1;
    let over = if built.heard.is_empty() {
        String::new()
    } else if ends > meeting.end {
        format!(", after the planned end at {}", meeting.end.format("%H:%M"))
    } else {
        String::new()
    };
    lines.push(Line::styled(
        fit(
            &format!(
                "Heard: {} of {places} places; the meeting would end at {}{over}",
                built.heard.len(),
                if built.heard.is_empty() {
                    meeting.start
                } else {
                    ends
                }
                .format("%H:%M")
            ),
            width,
        ),
        theme.bold(),
    ));
    // Two lines a child (heard, then waiting); the highlighted one stays in view.
    let rows: Vec<(&AgendaItem, bool)> = built
        .heard
        .iter()
        .map(|i| (i, false))
        .chain(built.waiting.iter().map(|i| (i, true)))
        .collect();
    let room = (usize::from(area.height).saturating_sub(lines.len() + 2) / 2).max(1);
    let cursor = state.cursor.min(rows.len().saturating_sub(1));
    let skip = (cursor + 1).saturating_sub(room);
    let mut said_waiting = false;
    for (i, (item, waiting)) in rows.iter().enumerate().skip(skip).take(room) {
        if *waiting && !said_waiting {
            said_waiting = true;
            lines.push(Line::styled(
                format!("Waiting for a later meeting ({})", built.waiting_count),
                theme.bold(),
            ));
        }
        let marker = if i == cursor { "▶" } else { " " };
        let pinned = if built.pinned.contains(&item.child) {
            " · pinned"
        } else {
            ""
        };
        let first = if *waiting {
            format!(
                "{marker}     {} · {}{pinned}",
                app.child_label(&item.child),
                listed_under_title(&item.listed_under)
            )
        } else {
            let (from, to) = slot(meeting.start, slot_minutes, i);
            format!(
                "{marker} {:>2}. {}–{} {} · {}{pinned}",
                i + 1,
                from.format("%H:%M"),
                to.format("%H:%M"),
                app.child_label(&item.child),
                listed_under_title(&item.listed_under)
            )
        };
        let why = if *waiting {
            format!(
                "      Waits: no place left of {places}; first among the cohorts next time. {}",
                item.reasons.join(" ")
            )
        } else {
            format!("      {}", item.reasons.join(" "))
        };
        crate::tui::view::record_row(hits, area, lines.len(), 2, i);
        let style = if i == cursor {
            theme.highlight()
        } else {
            theme.bold()
        };
        lines.push(Line::styled(fit(&first, width), style));
        lines.push(Line::raw(fit(&why, width)));
    }
    let hidden = rows.len().saturating_sub(skip + room);
    // Waiting children past those loaded are counted, not listed.
    let unlisted = built.waiting_count.saturating_sub(built.waiting.len());
    let scrolled = crate::tui::view::scroll_hint(skip, hidden);
    let counted = (unlisted > 0).then(|| {
        format!(
            "  {unlisted} more wait beyond the first {} listed",
            built.waiting.len()
        )
    });
    let hint: String = scrolled.into_iter().chain(counted).collect();
    if !hint.is_empty() {
        lines.push(Line::styled(fit(&hint, width), theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// A change in words, for the question's line.
fn describe(app: &App, prepare: &Prepare) -> String {
    let Prepare::Agenda { change, .. } = prepare else {
        return String::new();
    };
    match change {
        AgendaChange::Pin(c) => format!("pin {}", app.child_label(c)),
        AgendaChange::Unpin(c) => format!("unpin {}", app.child_label(c)),
        AgendaChange::Add { child, reason } => {
            format!("add {} ({reason})", app.child_label(child))
        }
        AgendaChange::Remove { child, reason } => {
            format!("remove {} ({reason})", app.child_label(child))
        }
        AgendaChange::Move { child, to } => {
            format!("move {} to place {to}", app.child_label(child))
        }
        AgendaChange::Build => "build".to_owned(),
        AgendaChange::Publish => "publish".to_owned(),
    }
}

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The meeting whose agenda is being built.
    pub meeting: Option<Id>,
    /// The highlighted child: the heard first, then the waiting.
    pub cursor: usize,
    /// A change to a published agenda, waiting for its y/n.
    pub pending: Option<Prepare>,
}

impl super::ScreenState for State {}

/// Opens the builder on `meeting`.
pub fn open_for(app: &mut App, meeting: Id) {
    let state = &mut app.screens.agenda_builder;
    if state.meeting != Some(meeting) {
        state.cursor = 0;
    }
    state.meeting = Some(meeting);
    state.pending = None;
    app.go(Screen::AgendaBuilder);
}

/// `b` on Home: the builder on the meeting the app is on.
pub fn open_for_app_meeting(app: &mut App) {
    match app.meeting_id() {
        Some(id) => open_for(app, id),
        None => app.notify(
            NoticeKind::Warning,
            "There is no meeting yet: Y opens the meetings, where p plans a year.",
        ),
    }
}

/// After a write: the highlight stays on a child that is listed.
pub fn keep_cursor_in_range(app: &mut App) {
    let count = app
        .screens
        .agenda_builder
        .meeting
        .and_then(|id| app.data.prep.agenda(id))
        .map_or(0, |b| b.heard.len() + b.waiting.len());
    let state = &mut app.screens.agenda_builder;
    state.cursor = state.cursor.min(count.saturating_sub(1));
}

/// The highlighted child and whether they wait.
fn highlighted(app: &App) -> Option<(String, Option<usize>)> {
    let built = app.data.prep.agenda(app.screens.agenda_builder.meeting?)?;
    let cursor = app.screens.agenda_builder.cursor;
    match built.heard.get(cursor) {
        Some(item) => Some((item.child.clone(), Some(cursor))),
        None => built
            .waiting
            .get(cursor - built.heard.len())
            .map(|item| (item.child.clone(), None)),
    }
}

/// A change to the agenda: at once while it is unpublished; once it is
/// published, a change of the children asks first (y/n, answered only by
/// a key pressed after the question shows).
pub fn ask_or_change(app: &mut App, meeting: Id, change: AgendaChange) -> Vec<Effect> {
    let published = app
        .data
        .prep
        .agenda(meeting)
        .is_some_and(|b| b.published_at.is_some());
    let prepare = Prepare::Agenda { meeting, change };
    let asks = match &prepare {
        Prepare::Agenda { change, .. } => published && change.changes_children(),
        _ => false,
    };
    if asks {
        app.screens.agenda_builder.pending = Some(prepare);
        app.overlays
            .push(Overlay::Question(Question::ChangePublishedAgenda));
        Vec::new()
    } else {
        vec![Effect::Prepare(prepare)]
    }
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    use super::prep_form::{self, Purpose};
    let Some(meeting) = app.screens.agenda_builder.meeting else {
        return super::Outcome::Unhandled(msg);
    };
    let built = app.data.prep.agenda(meeting).cloned().unwrap_or_default();
    let last = (built.heard.len() + built.waiting.len()).saturating_sub(1);
    let held = app.data.prep.meeting(meeting).is_some_and(|m| {
        matches!(
            m.status,
            MeetingStatus::InProgress | MeetingStatus::Closed | MeetingStatus::Cancelled
        )
    });
    let cursor = &mut app.screens.agenda_builder.cursor;
    let effects = match msg {
        Msg::Up => {
            *cursor = cursor.saturating_sub(1);
            Vec::new()
        }
        Msg::Down => {
            *cursor = (*cursor + 1).min(last);
            Vec::new()
        }
        Msg::Select(row) => {
            *cursor = row.min(last);
            Vec::new()
        }
        Msg::Prepare(_) if held => {
            app.notify(
                NoticeKind::Warning,
                "This meeting is held or cancelled: its agenda is as it was heard.",
            );
            Vec::new()
        }
        Msg::Prepare(PrepMsg::Build) => match built.published_at {
            Some(_) => {
                app.notify(
                    NoticeKind::Warning,
                    "The agenda is published: change it child by child (p, a, x, < >).",
                );
                Vec::new()
            }
            None => vec![Effect::Prepare(Prepare::Agenda {
                meeting,
                change: AgendaChange::Build,
            })],
        },
        Msg::Prepare(PrepMsg::Publish) if !built.is_built() => {
            app.notify(NoticeKind::Warning, "Build the agenda (b) before publishing it.");
            Vec::new()
        }
        Msg::Prepare(PrepMsg::Publish) if built.published_at.is_some() => {
            app.notify(NoticeKind::Info, "The agenda is already published.");
            Vec::new()
        }
        Msg::Prepare(PrepMsg::Publish) => vec![Effect::Prepare(Prepare::Agenda {
            meeting,
            change: AgendaChange::Publish,
        })],
        Msg::Prepare(PrepMsg::AddChild) => {
            prep_form::open(app, Purpose::AddChild(meeting));
            Vec::new()
        }
        Msg::Prepare(wanted @ (PrepMsg::TogglePin | PrepMsg::RemoveChild | PrepMsg::MoveUp | PrepMsg::MoveDown)) => {
            let Some((child, heard_at)) = highlighted(app) else {
                app.notify(NoticeKind::Warning, "No child is listed: b builds the agenda.");
                return super::Outcome::done();
            };
            match (wanted, heard_at) {
                (PrepMsg::TogglePin, _) => {
                    let change = if built.pinned.contains(&child) {
                        AgendaChange::Unpin(child)
                    } else {
                        AgendaChange::Pin(child)
                    };
                    ask_or_change(app, meeting, change)
                }
                (PrepMsg::RemoveChild, _) => {
                    prep_form::open(app, Purpose::RemoveChild(meeting, child));
                    Vec::new()
                }
                (_, None) => {
                    app.notify(
                        NoticeKind::Warning,
                        "Only a child heard moves up or down; p pins a waiting child so they are heard.",
                    );
                    Vec::new()
                }
                (PrepMsg::MoveUp, Some(0)) => {
                    app.notify(NoticeKind::Info, "This child is already heard first.");
                    Vec::new()
                }
                (PrepMsg::MoveDown, Some(at)) if at + 1 >= built.heard.len() => {
                    app.notify(NoticeKind::Info, "This child is already heard last.");
                    Vec::new()
                }
                (_, Some(at)) => {
                    // Positions are 1-based: one up is `at`, one down `at + 2`.
                    let to = if wanted == PrepMsg::MoveUp { at } else { at + 2 };
                    ask_or_change(app, meeting, AgendaChange::Move { child, to })
                }
            }
        }
        other => return super::Outcome::Unhandled(other),
    };
    super::Outcome::Handled(effects)
}
