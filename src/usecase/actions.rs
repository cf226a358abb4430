//! Which actions to show: one filter for `actions` on the command line and
//! the app's action list.

use std::collections::HashMap;

use chrono::NaiveDate;
use clap::ValueEnum;

use crate::export::actions::ActionRow;
use crate::model::{Action, ActionStatus};
use crate::store::Store;

/// An action's status as a filter asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFilter {
    Open,
    Done,
    Dropped,
    /// Open and past its deadline at the as-at date.
    Overdue,
}

impl StatusFilter {
    pub fn keeps(self, action: &Action, as_at: NaiveDate) -> bool {
        match self {
            StatusFilter::Open => action.status == ActionStatus::Open,
            StatusFilter::Done => action.status == ActionStatus::Done,
            StatusFilter::Dropped => action.status == ActionStatus::Dropped,
            StatusFilter::Overdue => action.status == ActionStatus::Open && action.deadline < as_at,
        }
    }

    /// The word for it on screen and in messages.
    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::Open => "open",
            StatusFilter::Done => "done",
            StatusFilter::Dropped => "dropped",
            StatusFilter::Overdue => "overdue",
        }
    }
}

/// Which actions: by status (none: every status) and owner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionFilter {
    pub status: Option<StatusFilter>,
    pub owner: Option<OwnerMatch>,
}

/// How an owner is matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnerMatch {
    /// Part of the owner, any case: owners are job titles or roles as typed,
    /// so "social worker" finds "Social Worker (North)" (the command line).
    Contains(String),
    /// Exactly this owner (the app, which offers the owners held).
    Exactly(String),
}

impl ActionFilter {
    pub fn keeps(&self, action: &Action, as_at: NaiveDate) -> bool {
        let owner_ok = match &self.owner {
            None => true,
            Some(OwnerMatch::Exactly(o)) => &action.owner == o,
            Some(OwnerMatch::Contains(part)) => action
                .owner
                .to_lowercase()
                .contains(&part.trim().to_lowercase()),
        };
        owner_ok && self.status.is_none_or(|s| s.keeps(action, as_at))
    }
}

/// The tracker's rows: every action the filter keeps, in the store's order
/// (by deadline), with its RAG status at `as_at`.
pub fn rows(
    store: &Store,
    filter: &ActionFilter,
    as_at: NaiveDate,
) -> anyhow::Result<Vec<ActionRow>> {
    let meeting_dates: HashMap<i64, NaiveDate> = store
        .meetings()?
        .into_iter()
        .map(|m| (m.id, m.date))
        .collect();
    Ok(store
        .all_actions()?
        .iter()
        .filter(|a| filter.keeps(a, as_at))
        .map(|a| ActionRow::new(a, meeting_dates.get(&a.meeting).copied(), as_at))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewAction;
    use chrono::NaiveDateTime;

    fn day(text: &str) -> NaiveDate {
        crate::rules::dates::parse_dmy(text).expect("a date")
    }

    fn at(text: &str) -> NaiveDateTime {
        day(text).and_hms_opt(10, 0, 0).expect("a time")
    }

    /// A store with three actions of one meeting: one open and overdue at
    /// 01/03/2027, one open and not yet due, one done.
    fn store_with_actions() -> Store {
        let mut store = Store::open_in_memory().expect("store");
        let start = chrono::NaiveTime::from_hms_opt(9, 30, 0).expect("time");
        let end = chrono::NaiveTime::from_hms_opt(12, 30, 0).expect("time");
        let meeting = store
            .add_meeting(day("29/01/2027"), start, end, at("01/12/2026"))
            .expect("meeting");
        for (text, owner, deadline) in [
            ("Send the SGO report", "Social Worker (North)", "26/02/2027"),
            ("Book the matching panel", "Team Manager", "26/03/2027"),
            ("Write to the carers", "social worker (south)", "12/02/2027"),
        ] {
            store
                .add_action(
                    &NewAction {
                        meeting,
                        child: "C1".into(),
                        text: text.into(),
                        owner: owner.into(),
                        deadline: day(deadline),
                    },
                    at("29/01/2027"),
                )
                .expect("action");
        }
        let done = store
            .all_actions()
            .expect("actions")
            .iter()
            .find(|a| a.text == "Write to the carers")
            .expect("the action")
            .id;
        store
            .set_action_status(done, ActionStatus::Done, None, at("10/02/2027"))
            .expect("done");
        store
    }

    fn texts(rows: &[ActionRow]) -> Vec<&str> {
        rows.iter().map(|r| r.action.as_str()).collect()
    }

    #[test]
    fn status_filters_at_the_as_at_date() {
        let store = store_with_actions();
        let as_at = day("01/03/2027");
        let with = |status| ActionFilter {
            status,
            owner: None,
        };
        assert_eq!(
            texts(&rows(&store, &with(Some(StatusFilter::Overdue)), as_at).expect("rows")),
            vec!["Send the SGO report"]
        );
        assert_eq!(
            rows(&store, &with(Some(StatusFilter::Open)), as_at)
                .expect("rows")
                .len(),
            2
        );
        assert_eq!(
            texts(&rows(&store, &with(Some(StatusFilter::Done)), as_at).expect("rows")),
            vec!["Write to the carers"]
        );
        assert!(
            rows(&store, &with(Some(StatusFilter::Dropped)), as_at)
                .expect("rows")
                .is_empty()
        );
        assert_eq!(rows(&store, &with(None), as_at).expect("rows").len(), 3);
    }

    #[test]
    fn owner_contains_ignores_case_and_exactly_does_not() {
        let store = store_with_actions();
        let as_at = day("01/03/2027");
        let contains = ActionFilter {
            status: None,
            owner: Some(OwnerMatch::Contains(" SOCIAL worker ".into())),
        };
        assert_eq!(rows(&store, &contains, as_at).expect("rows").len(), 2);
        let exactly = ActionFilter {
            status: None,
            owner: Some(OwnerMatch::Exactly("Social Worker (North)".into())),
        };
        assert_eq!(
            texts(&rows(&store, &exactly, as_at).expect("rows")),
            vec!["Send the SGO report"]
        );
    }
}
