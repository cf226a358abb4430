//! Matters arising: the open actions the panel carries forward from one
//! meeting to the next until each is done or dropped with a reason.

use crate::model::{Action, ActionStatus};

use super::app::{App, Screen};

/// The open actions that are matters arising at this meeting, grouped by
/// child (children in id order), soonest deadline first within a child.
///
/// An open action arises when its deadline is the meeting's day or earlier, or when it
/// was raised at a meeting held before this one. Without a meeting, the
/// day judged is today and only the deadline counts.
pub fn matters_arising(app: &App) -> Vec<&Action> {
    let this_meeting = app.data.meeting.as_ref();
    let day = this_meeting.map_or(app.today, |m| m.date);
    let raised_earlier = |a: &Action| {
        this_meeting.is_some_and(|m| a.meeting != m.id)
            && app
                .data
                .meeting_dates
                .get(&a.meeting)
                .is_some_and(|raised| *raised < day)
    };
    let mut shown: Vec<&Action> = app
        .data
        .all_actions
        .iter()
        .filter(|a| a.status == ActionStatus::Open)
        .filter(|a| a.deadline <= day || raised_earlier(a))
        .collect();
    shown.sort_by(|a, b| (&a.child, a.deadline, a.id).cmp(&(&b.child, b.deadline, b.id)));
    shown
}

/// The action `x` and `z` act on: the highlighted row of the action list or
/// of the matters arising.
pub fn highlighted_action(app: &App) -> Option<&Action> {
    match app.screen {
        Screen::Matters => matters_arising(app)
            .get(app.screens.matters.cursor)
            .copied(),
        _ => app
            .visible_actions()
            .get(app.screens.action_list.cursor)
            .copied(),
    }
}
