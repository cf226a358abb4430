//! What the minutes say, gathered once from the store so the Markdown and
//! the Word minutes cannot disagree: each writer only lays it out.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};

use crate::model::{Action, ActionStatus, AttendanceState, Decision, Meeting, MemberKind};
use crate::rules::quorum::{self, QuorumResult};
use crate::store::{ChildName, MinutesApproval, MinutesCorrection, Result, Store};
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
    /// Every stretch in the room (arrived, left, came back, ...).
    pub intervals: Vec<crate::model::Interval>,
}

/// One child heard, in agenda order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildMinute {
    /// 1-based agenda position.
    pub position: i64,
    pub child: String,
    /// How the minutes name the child: see `child_label`.
    pub label: String,
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
    /// How the minutes name the child: see `child_label`.
    pub child_label: String,
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
    /// Set once the minutes are approved at a later meeting.
    pub approval: Option<MinutesApproval>,
    /// Corrections recorded after approval, oldest first.
    pub corrections: Vec<MinutesCorrection>,
}

/// How the minutes name a child: by id and initials ("C0001 (AB)"), or
/// with `full_names` by id and full name when the panel holds it; by id
/// alone when no name is held. The id always comes first, so minutes are
/// found by id as they always were.
pub fn child_label(child: &str, name: Option<&ChildName>, full_names: bool) -> String {
    match name {
        Some(ChildName {
            full_name: Some(full),
            ..
        }) if full_names => format!("{child} ({full})"),
        Some(name) => format!("{child} ({})", name.initials),
        None => child.to_owned(),
    }
}

/// Gathers the minutes of `meeting`, naming children by initials and id.
pub fn gather(store: &Store, terms: &Terms, meeting: &Meeting) -> Result<MinutesData> {
    gather_with(store, terms, meeting, false)
}

/// Gathers the minutes of `meeting`; with `full_names`, children are named
/// in full where the panel holds their name.
pub fn gather_with(
    store: &Store,
    terms: &Terms,
    meeting: &Meeting,
    full_names: bool,
) -> Result<MinutesData> {
    let names: HashMap<String, ChildName> = store.child_names()?;
    let label = |child: &str| child_label(child, names.get(child), full_names);
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
            intervals: record.map(|a| a.intervals.clone()).unwrap_or_default(),
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
            (set_on < meeting.date).then(|| MatterArising {
                set_on,
                child_label: label(&a.child),
                action: a,
            })
        })
        .collect();

    let children = agenda
        .iter()
        .map(|item| ChildMinute {
            position: item.position,
            child: item.child.clone(),
            label: label(&item.child),
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
        approval: store.minutes_approval(meeting.id)?,
        corrections: store.minutes_corrections(meeting.id)?,
    })
}

/// A date as the minutes write it: 29/01/2027.
pub use crate::rules::dates::dmy;

/// A clock time, or nothing when none was recorded.
/// The minutes' Arrived column: every arrival, in order ("09:30, 10:40"
/// for a member who left and came back).
pub fn arrivals(line: &AttendeeLine) -> String {
    if line.intervals.is_empty() {
        return hh_mm(line.arrived);
    }
    let times: Vec<String> = line
        .intervals
        .iter()
        .map(|i| i.arrived.format("%H:%M").to_string())
        .collect();
    times.join(", ")
}

/// The minutes' Left column: every departure, in order.
pub fn departures(line: &AttendeeLine) -> String {
    if line.intervals.is_empty() {
        return hh_mm(line.left);
    }
    let times: Vec<String> = line
        .intervals
        .iter()
        .filter_map(|i| i.left)
        .map(|t| t.format("%H:%M").to_string())
        .collect();
    times.join(", ")
}

/// The stretches in the room as the roll call shows them:
/// "09:30–10:10, 10:40–" (an open one has no end yet).
pub fn stretches(intervals: &[crate::model::Interval]) -> String {
    let parts: Vec<String> = intervals
        .iter()
        .map(|i| {
            let left = i
                .left
                .map(|t| t.format("%H:%M").to_string())
                .unwrap_or_default();
            format!("{}–{left}", i.arrived.format("%H:%M"))
        })
        .collect();
    parts.join(", ")
}

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

/// "Approved at the meeting of 18/12/2026 (recorded by jo on 18/12/2026 at 11:02)."
pub fn approval_line(a: &MinutesApproval) -> String {
    format!(
        "Approved at the meeting of {} (recorded by {} on {} at {}).",
        dmy(a.approved_on),
        a.approved_by,
        dmy(a.recorded_at.date()),
        a.recorded_at.format("%H:%M")
    )
}

/// "05/01/2027, recorded by jo": when and by whom a correction was made.
pub fn correction_by(c: &MinutesCorrection) -> String {
    format!(
        "{}, recorded by {}",
        dmy(c.recorded_at.date()),
        c.recorded_by
    )
}

/// How a decision taken without a quorum is flagged, in every format.
pub const NOT_QUORATE_FLAG: &str = "recorded while the meeting was not quorate";
