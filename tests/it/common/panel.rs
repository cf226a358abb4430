//! The panel the terminal-app tests start from: every role of a preset as
//! a standing member, and one meeting on Friday 27/11/2026, 09:30–13:00.
//! Each test file adds its own children and agenda.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use permanence_panel::model::Id;
use permanence_panel::store::{NewMember, Store};
use permanence_panel::terms::Terms;

pub struct Panel {
    pub store: Store,
    pub terms: Terms,
    pub meeting: Id,
}

/// The meeting's day.
pub fn meeting_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("a date")
}

/// When the panel was set up: the meeting's morning, before it starts.
pub fn set_up_at() -> NaiveDateTime {
    meeting_day().and_time(NaiveTime::from_hms_opt(9, 0, 0).expect("a time"))
}

/// An in-memory panel of `preset`'s roles (job titles only, no names) and
/// its one meeting.
pub fn panel(preset: &str) -> Panel {
    let terms = Terms::load(preset).expect("a preset");
    let mut store = Store::open_in_memory().expect("an in-memory store");
    for role in &terms.roles {
        let member = NewMember {
            role: role.id.clone(),
            job_title: role.job_title.clone(),
            name: None,
            kind: role.kind,
            substitute_for: None,
        };
        store.add_member(&member, set_up_at()).expect("a member");
    }
    let time = |h, m| NaiveTime::from_hms_opt(h, m, 0).expect("a time");
    let meeting = store
        .add_meeting(meeting_day(), time(9, 30), time(13, 0), set_up_at())
        .expect("the meeting");
    Panel {
        store,
        terms,
        meeting,
    }
}
