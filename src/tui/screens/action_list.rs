//! The action list across children and meetings: filtered by status and
//! owner, soonest deadline first; done or dropped (with a reason) here.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::tui::view::{Theme, fit};
use crate::model::ActionStatus;
use crate::rules::dates::dmy;
use crate::tui::mouse::HitMap;
use crate::model::Id;
use crate::tui::app::{App, Effect, Msg, NoticeKind};
use crate::usecase::actions::{ActionFilter, OwnerMatch, StatusFilter};

pub fn draw(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let shown = app.visible_actions();
    let owner = app.action_owner().unwrap_or("everyone");
    let width = usize::from(area.width);
    let mut lines = vec![
        Line::styled(
            fit(
                &format!(
                    "{} {} actions · owner: {owner} (f status, o owner)",
                    shown.len(),
                    crate::tui::app::status_label(app.screens.action_list.filter.status)
                ),
                width,
            ),
            theme.bold(),
        ),
        Line::raw(""),
    ];
    if shown.is_empty() {
        lines.push(Line::raw("  None."));
    }
    // Two lines each, so a long owner is never cut; the list scrolls.
    let room = usize::from(area.height.saturating_sub(2) / 2).max(1);
    let skip = super::first_shown(app.screens.action_list.cursor, room);
    for (i, a) in shown.iter().enumerate().skip(skip).take(room) {
        let overdue = a.status == ActionStatus::Open && a.deadline < app.membership_day();
        // The word, not only a colour: the screen may be projected.
        let state = if overdue { "OVERDUE" } else { a.status.id() };
        let marker = if i == app.screens.action_list.cursor { "▶" } else { " " };
        let first = fit(
            &format!(
                "{marker} {}  {state:<8} {}  {}",
                dmy(a.deadline),
                a.child,
                a.text
            ),
            width,
        );
        let style = if i == app.screens.action_list.cursor {
            theme.highlight()
        } else if overdue {
            theme.warn()
        } else {
            ratatui::style::Style::new()
        };
        crate::tui::view::record_row(hits, area, lines.len(), 2, i);
        lines.push(Line::styled(first, style));
        let mut second = format!("               owner: {}", a.owner);
        if let Some(reason) = &a.status_reason {
            second.push_str(&format!(" · {reason}"));
        }
        lines.push(Line::styled(fit(&second, width), theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The list's highlight and its filters.
#[derive(Debug, Clone)]
pub struct State {
    pub cursor: usize,
    /// Which actions the list shows: a status (none: all) and an owner
    /// (exactly one of those held, or everyone). The command line's filter.
    pub filter: ActionFilter,
}

impl Default for State {
    fn default() -> State {
        State {
            cursor: 0,
            filter: ActionFilter {
                status: Some(StatusFilter::Open),
                owner: None,
            },
        }
    }
}

impl super::ScreenState for State {}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    let last = app.visible_actions().len().saturating_sub(1);
    let state = &mut app.screens.action_list;
    match msg {
        Msg::Up => state.cursor = state.cursor.saturating_sub(1),
        Msg::Down => state.cursor = (state.cursor + 1).min(last),
        Msg::Select(row) => state.cursor = row.min(last),
        Msg::CycleActionStatus => {
            state.filter.status = crate::tui::app::next_status(state.filter.status);
            state.cursor = 0;
        }
        Msg::CycleActionOwner => {
            let owners = app.action_owners();
            let next = match app.action_owner() {
                None => owners.first().cloned(),
                Some(now) => owners
                    .iter()
                    .position(|o| o == now)
                    .and_then(|i| owners.get(i + 1).cloned()),
            };
            let state = &mut app.screens.action_list;
            state.filter.owner = next.map(OwnerMatch::Exactly);
            state.cursor = 0;
        }
        other => return act_on_highlighted(app, other),
    }
    super::Outcome::done()
}

/// `x`, `z` and `e` on the highlighted action of the action list or the
/// matters arising: mark it done, drop it (asks why), correct it.
pub fn act_on_highlighted(app: &mut App, msg: Msg) -> super::Outcome {
    match msg {
        Msg::ActionDone => {
            let Some(action) =
                open_highlighted_action(app, "Only an open action can be marked done.")
            else {
                return super::Outcome::done();
            };
            super::Outcome::Handled(vec![Effect::SetActionStatus {
                action,
                status: ActionStatus::Done,
                reason: None,
            }])
        }
        Msg::DropAction => {
            if let Some(action) =
                open_highlighted_action(app, "Only an open action can be dropped.")
            {
                super::drop_action::start(app, action);
            }
            super::Outcome::done()
        }
        Msg::CorrectAction => {
            super::actions::open_correction(app);
            super::Outcome::done()
        }
        other => super::Outcome::Unhandled(other),
    }
}

/// The highlighted action's id when it is open, for `x` and `z`; the screen
/// is kept to come back to. A closed action is refused with `not_open`.
fn open_highlighted_action(app: &mut App, not_open: &str) -> Option<Id> {
    let (id, status) =
        crate::tui::matters::highlighted_action(app).map(|a| (a.id, a.status))?;
    app.screens.drop_action.origin = app.screen;
    if status != ActionStatus::Open {
        app.notify(NoticeKind::Info, not_open);
        return None;
    }
    Some(id)
}
