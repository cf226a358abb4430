//! What the minutes say, gathered once from the store so the Markdown and
//! the Word minutes cannot disagree: each writer only lays it out.

use chrono::{NaiveDate, NaiveTime};

use crate::model::{Action, ActionStatus, AttendanceState, Decision, Meeting, MemberKind};
use crate::rules::quorum::{self, QuorumResult};
use crate::store::{Result, Store};
use crate::terms::Terms;

/// One line of the attendance table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendeeLine {
    /// The member as minutes name them: job title, or "name (job title)".
    pub member: String,
    pub kind: MemberKind,
    /// "present", "apologies", "present, left early", "present as substitute for ...".
    pub attendance: String,
    pub arrived: Option<NaiveTime>,
    pub left: Option<NaiveTime>,
}

/// One child heard, in agenda order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildMinute {
    /// 1-based agenda position.
    pub position: i64,
    pub child: String,
    /// Why the child was listed, one sentence each.
    pub reasons: Vec<String>,
    pub decision: Option<Decision>,
    /// The actions set for the child at this meeting.
    pub actions: Vec<Action>,
}

/// An action set at an earlier meeting and still open: the minutes'
/// "matters arising".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatterArising {
    /// The date of the meeting that set it.
    pub set_on: NaiveDate,
    pub action: Action,
}

/// Everything the minutes of one meeting report.
#[derive(Debug, Clone)]
pub struct MinutesData {
    pub panel_name: String,
    pub meeting: Meeting,
    pub attendees: Vec<AttendeeLine>,
    /// The terms state no quorum and the rule is the panel's own.
    pub quorum_assumed: bool,
    /// The rule in words, e.g. "a chair; a legal adviser; at least 3 standing members".
    pub quorum_rule: String,
    /// Quorum at the close of the meeting.
    pub quorum: QuorumResult,
    pub matters_arising: Vec<MatterArising>,
    pub children: Vec<ChildMinute>,
}

/// Gathers the minutes of `meeting`.
pub fn gather(store: &Store, terms: &Terms, meeting: &Meeting) -> Result<MinutesData> {
    let members = store.members_of_meeting(meeting)?;
    let attendance = store.attendance(meeting.id)?;
    let agenda = store.agenda(meeting.id)?;
    let decisions = store.decisions(meeting.id)?;
    let actions = store.actions_for_meeting(meeting.id)?;

    let mut attendees = Vec::new();
    for member in &members {
        let record = attendance.iter().find(|a| a.member == member.id);
        let state = record.map_or(AttendanceState::Expected, |a| a.state);
        // Presenters and advisers who were not there are not listed.
        if member.kind != MemberKind::Standing && !state.is_present() && record.is_none() {
            continue;
        }
        // Marked away after being present: they attended and left.
        let left_early = !state.is_present() && record.is_some_and(|a| a.departed.is_some());
        let mut text = if left_early {
            "present, left early".to_owned()
        } else {
            state.label().to_owned()
        };
        if let Some(role) = record.and_then(|a| a.substitute_for.as_deref()) {
            let title = terms.role(role).map_or(role, |r| r.job_title.as_str());
            text.push_str(" for ");
            text.push_str(title);
        }
        attendees.push(AttendeeLine {
            member: member.display(),
            kind: member.kind,
            attendance: text,
            arrived: record.and_then(|a| a.arrived),
            left: record.and_then(|a| a.departed),
        });
    }

    let mut rule: Vec<String> = terms
        .quorum
        .requirements
        .iter()
        .map(|r| r.label.clone())
        .collect();
    if terms.quorum.min_standing > 0 {
        rule.push(format!(
            "at least {} standing members",
            terms.quorum.min_standing
        ));
    }

    // Open actions from meetings before this one: the panel checks them first.
    let meeting_dates: Vec<(crate::model::Id, NaiveDate)> =
        store.meetings()?.iter().map(|m| (m.id, m.date)).collect();
    let matters_arising = store
        .all_actions()?
        .into_iter()
        .filter(|a| a.status == ActionStatus::Open)
        .filter_map(|a| {
            let set_on = meeting_dates
                .iter()
                .find(|(id, _)| *id == a.meeting)
                .map(|(_, d)| *d)?;
            (set_on < meeting.date).then_some(MatterArising { set_on, action: a })
        })
        .collect();

    let children = agenda
        .iter()
        .map(|item| ChildMinute {
            position: item.position,
            child: item.child.clone(),
            reasons: item.reasons.clone(),
            decision: decisions.iter().find(|d| d.child == item.child).cloned(),
            actions: actions
                .iter()
                .filter(|a| a.child == item.child)
                .cloned()
                .collect(),
        })
        .collect();

    Ok(MinutesData {
        panel_name: terms.name.clone(),
        meeting: meeting.clone(),
        attendees,
        quorum_assumed: terms.quorum.assumed,
        quorum_rule: rule.join("; "),
        quorum: quorum::check_at(&terms.quorum, &members, &attendance, None),
        matters_arising,
        children,
    })
}

/// A date as the minutes write it: 29/01/2027.
pub use crate::rules::dates::dmy;

/// A clock time, or nothing when none was recorded.
pub fn hh_mm(t: Option<NaiveTime>) -> String {
    t.map(|t| t.format("%H:%M").to_string()).unwrap_or_default()
}

/// "Friday 27 November 2026, 09:30 to 13:00".
pub fn when(meeting: &Meeting) -> String {
    format!(
        "{}, {} to {}",
        meeting.date.format("%A %-d %B %Y"),
        meeting.start.format("%H:%M"),
        meeting.end.format("%H:%M")
    )
}

/// How a decision taken without a quorum is flagged, in every format.
pub const NOT_QUORATE_FLAG: &str = "recorded while the meeting was not quorate";
