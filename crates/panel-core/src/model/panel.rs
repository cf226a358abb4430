//! The panel's own records: members, meetings, attendance, the agenda,
//! decisions and actions.

use crate::model::codes::coded_enum;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::extract::ChildId;

/// Database row id.
pub type Id = i64;

coded_enum!(
    /// How a person sits on the panel.
    MemberKind, "a member kind" {
        /// A standing member named in the terms of reference.
        Standing = "standing",
        /// Attends as needed, e.g. the legal adviser.
        Adviser = "adviser",
        /// A social worker or team manager presenting a child.
        Presenter = "presenter",
    }
);

/// A person who sits on, advises or presents to the panel. Presets and demo
/// data carry only roles and job titles; `name` is whatever the council
/// types (initials are enough).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: Id,
    /// The role id from the terms preset, e.g. `head-of-service`.
    pub role: String,
    pub job_title: String,
    pub name: Option<String>,
    pub kind: MemberKind,
    /// The role this person deputises for, if a named substitute.
    pub substitute_for: Option<String>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

impl Member {
    /// Whether the person sits on the panel on `day` (between their start
    /// and end dates, either of which may be open).
    pub fn serves_on(&self, day: chrono::NaiveDate) -> bool {
        self.start.is_none_or(|s| s <= day) && self.end.is_none_or(|e| day <= e)
    }

    /// How the member is shown: their name if typed, else the job title.
    pub fn display(&self) -> String {
        match &self.name {
            Some(n) if !n.trim().is_empty() => format!("{} ({})", n.trim(), self.job_title),
            _ => self.job_title.clone(),
        }
    }
}

coded_enum!(
    /// Attendance states as committee systems record them.
    AttendanceState, "an attendance state" {
        Expected = "expected",
        Present = "present",
        /// Present as the substitute for a role.
        Substitute = "substitute",
        /// A non-member in attendance (e.g. a presenter).
        InAttendance = "in-attendance",
        Apologies = "apologies",
        Absent = "absent",
    }
);

impl AttendanceState {
    pub fn label(self) -> &'static str {
        match self {
            AttendanceState::Expected => "expected",
            AttendanceState::Present => "present",
            AttendanceState::Substitute => "present as substitute",
            AttendanceState::InAttendance => "in attendance",
            AttendanceState::Apologies => "apologies",
            AttendanceState::Absent => "absent",
        }
    }
    /// Whether the person is in the room in this state.
    pub fn is_present(self) -> bool {
        matches!(
            self,
            AttendanceState::Present | AttendanceState::Substitute | AttendanceState::InAttendance
        )
    }
}

/// One member's attendance at one meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendance {
    pub meeting: Id,
    pub member: Id,
    pub state: AttendanceState,
    /// For `Substitute`: the role deputised for.
    pub substitute_for: Option<String>,
    pub arrived: Option<NaiveTime>,
    pub departed: Option<NaiveTime>,
    /// Every stretch the member was in the room, in order: arrived, left,
    /// came back, ... (the last open while they are there).
    pub intervals: Vec<Interval>,
}

/// One stretch of a member's attendance: arrived, and left (`None` while
/// still there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub arrived: NaiveTime,
    pub left: Option<NaiveTime>,
}

impl Interval {
    /// In the room at `t`: arrived by then and not yet left.
    pub fn covers(&self, t: NaiveTime) -> bool {
        self.arrived <= t && self.left.is_none_or(|left| t < left)
    }
}

coded_enum!(
    /// Where a meeting stands.
    MeetingStatus, "a meeting status" {
        Planned = "planned",
        Published = "published",
        InProgress = "in-progress",
        Closed = "closed",
        Cancelled = "cancelled",
    }
);

/// A panel meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: Id,
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub status: MeetingStatus,
    /// The agenda item the chair is on, if the meeting has started.
    pub current_item: Option<Id>,
    /// Why the meeting was cancelled, when it was.
    pub cancel_reason: Option<String>,
}

/// One child on a meeting's agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    pub id: Id,
    pub meeting: Id,
    pub child: ChildId,
    /// 1-based order on the agenda.
    pub position: i64,
    /// The cohort or route that put the child on the agenda (e.g.
    /// `foster-12m`, `referral`, `carried-over`).
    pub listed_under: String,
    /// Every reason the child is listed, one sentence each, as a chair reads it.
    pub reasons: Vec<String>,
    /// Did not fit the meeting's time: kept, in order, for the next meeting.
    pub waiting: bool,
}

/// The panel's decision on one child at one meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub id: Id,
    pub meeting: Id,
    pub child: ChildId,
    pub text: String,
    pub recorded_at: NaiveDateTime,
    /// Whether the meeting was quorate when the decision was recorded.
    pub quorate: bool,
    /// The quorum for the item in words as it stood then (who filled which
    /// place, who withdrew having declared an interest); none for decisions
    /// recorded before it was kept.
    pub quorum: Option<String>,
}

/// A member's declaration of an interest in a child's item at a meeting:
/// they withdraw from the item and do not count towards its quorum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterestDeclaration {
    pub meeting: Id,
    pub child: ChildId,
    pub member: Id,
    pub declared_at: NaiveDateTime,
    pub note: Option<String>,
}

coded_enum!(
    /// Where an action stands.
    ActionStatus, "an action status" {
        Open = "open",
        Done = "done",
        Dropped = "dropped",
    }
);

/// An action the panel set for a child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub id: Id,
    pub meeting: Id,
    pub child: ChildId,
    pub text: String,
    /// The lead owner: a member's display or a role, as typed.
    pub owner: String,
    pub deadline: NaiveDate,
    pub status: ActionStatus,
    pub status_reason: Option<String>,
    pub created_at: NaiveDateTime,
}

coded_enum!(
    /// Where a referral to the panel stands.
    ReferralStatus, "a referral status" {
        /// Awaiting the chair's decision to take it.
        Open = "open",
        Accepted = "accepted",
        Declined = "declined",
    }
);

/// A social worker's referral of a child to the panel, supported by their
/// team manager. People are recorded by role and initials only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    pub id: Id,
    pub child: ChildId,
    pub made_on: NaiveDate,
    pub referrer_role: String,
    pub referrer_initials: String,
    pub supporter_role: String,
    pub supporter_initials: String,
    pub reason: String,
    /// The meeting the referrer asked for, if any.
    pub meeting_asked: Option<NaiveDate>,
    pub status: ReferralStatus,
    /// Why it was declined (or any note on accepting it).
    pub status_reason: Option<String>,
    /// The kind of item it asks the panel to hear (an item type's id;
    /// `tracking` for a referral made before item types).
    pub item_type: String,
}
