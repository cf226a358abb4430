//! What the minutes say, gathered once from the store so the Markdown and
//! the Word minutes cannot disagree: each writer only lays it out.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};

use crate::model::{
    Action, ActionStatus, AttendanceState, Decision, Meeting, MeetingStatus, MemberKind,
    ReferralStatus,
};
use crate::model::{Outcome, SignOffOutcome};
use crate::rules::quorum::{self, QuorumResult};
use crate::store::{ChildName, DecisionOutcome, MinutesApproval, MinutesCorrection, Result, Store};
use crate::terms::Terms;
use crate::terms::items::TRACKING;

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

/// One person under Present, In attendance, Apologies or Absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonLine {
    /// As the minutes name them: job title, or "name (job title)".
    pub who: String,
    /// What differs from the meeting's own times or seat, in words:
    /// "substitute for ...", "arrived 10:05", "left 11:40",
    /// "in the room 09:30–10:10, 10:40–13:00"; empty when nothing does.
    pub note: String,
}

/// The register of a meeting, as committee minutes set it out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Register {
    /// Members of the panel present (standing members and their substitutes).
    pub present: Vec<PersonLine>,
    /// Advisers, presenters and others in the room who are not members.
    pub in_attendance: Vec<PersonLine>,
    pub apologies: Vec<PersonLine>,
    /// Standing members neither present nor sending apologies.
    pub absent: Vec<PersonLine>,
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
    /// Who presented, by role and initials, when a referral records it.
    pub presenter: Option<String>,
    pub decision: Option<Decision>,
    /// The kind of item, in words, when it is not a tracking review.
    pub item: Option<String>,
    /// What goes with the decision, each a label and its words: the
    /// outcome, the money committed, each member's dissent.
    pub outcome: Vec<(&'static str, String)>,
    /// The actions set for the child at this meeting.
    pub actions: Vec<Action>,
    /// Members who declared an interest in the item and left for it, as
    /// the minutes name them ("the Head of Service"), each with what they
    /// said of it when recorded.
    pub declarations: Vec<(String, Option<String>)>,
}

impl ChildMinute {
    /// "Declarations of interest: the Head of Service declared an interest
    /// and left for this item." `None` when nobody declared one.
    pub fn declarations_line(&self) -> Option<String> {
        if self.declarations.is_empty() {
            return None;
        }
        let each: Vec<String> = self
            .declarations
            .iter()
            .map(|(who, note)| match note {
                Some(n) => format!("{who} declared an interest ({n})"),
                None => format!("{who} declared an interest"),
            })
            .collect();
        let joined = match each.as_slice() {
            [one] => one.clone(),
            [rest @ .., last] => format!("{}; and {last}", rest.join("; ")),
            [] => String::new(),
        };
        let verb = if self.declarations.len() == 1 {
            "and left for this item"
        } else {
            "and they left for this item"
        };
        Some(format!("Declarations of interest: {joined} {verb}."))
    }

    /// The quorum the decision was taken with, when someone withdrew from
    /// the item ("Quorate without the Head of Service, who declared an
    /// interest: ..."), as stored with the decision.
    pub fn item_quorum_line(&self) -> Option<String> {
        let quorum = self.decision.as_ref()?.quorum.as_deref()?;
        (!self.declarations.is_empty()).then(|| format!("Quorum for this item: {quorum}"))
    }
}

/// A child the panel carried over to a later meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarriedOver {
    pub position: i64,
    pub label: String,
    pub reason: String,
    /// The meeting the child goes to: the next one, when one is planned.
    pub to: Option<NaiveDate>,
}

/// A child on the agenda the meeting did not reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotReached {
    pub position: i64,
    pub label: String,
}

/// What this meeting did about an action carried from an earlier one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatterOutcome {
    Done,
    Dropped {
        reason: Option<String>,
    },
    /// Still open after the meeting, with its deadline (in the action).
    StillOpen,
}

/// An action set at an earlier meeting and open when this one began: the
/// minutes' "matters arising", with what this meeting did about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatterArising {
    /// The date of the meeting that set it.
    pub set_on: NaiveDate,
    pub action: Action,
    /// How the minutes name the child: see `child_label`.
    pub child_label: String,
    pub outcome: MatterOutcome,
}

impl MatterArising {
    /// "Done", "Dropped: no longer needed", "Still open, due 18/12/2026"
    /// ("overdue since" when the deadline had passed by the meeting).
    pub fn outcome_words(&self, meeting: NaiveDate) -> String {
        match &self.outcome {
            MatterOutcome::Done => "Done".to_owned(),
            MatterOutcome::Dropped { reason: Some(r) } => format!("Dropped: {r}"),
            MatterOutcome::Dropped { reason: None } => "Dropped (no reason recorded)".to_owned(),
            MatterOutcome::StillOpen if self.action.deadline < meeting => {
                format!("Still open, overdue since {}", dmy(self.action.deadline))
            }
            MatterOutcome::StillOpen => format!("Still open, due {}", dmy(self.action.deadline)),
        }
    }
}

/// A stretch of the meeting when it was not quorate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotQuorate {
    pub from: NaiveTime,
    pub to: NaiveTime,
}

/// Everything the minutes of one meeting report.
#[derive(Debug, Clone)]
pub struct MinutesData {
    pub panel_name: String,
    pub meeting: Meeting,
    /// Where the panel met, from the panel's settings; `None` when not set.
    pub place: Option<String>,
    /// Who chaired: the member holding the role the terms mark chair, or
    /// who deputised for it on the day.
    pub chair: Option<String>,
    /// The chair's role as the terms name it (for "not present" wording).
    pub chair_role: Option<String>,
    /// Who took the minutes: the panel administrator present, if any.
    pub minute_taker: Option<String>,
    pub attendees: Vec<AttendeeLine>,
    pub register: Register,
    /// The terms state no quorum and the rule is the panel's own.
    pub quorum_assumed: bool,
    /// The rule in words, e.g. "a chair; a legal adviser; at least 3 standing members".
    pub quorum_rule: String,
    /// Quorum as the meeting stood when it was first quorate (at the
    /// close when it never was): who filled each place.
    pub quorum: QuorumResult,
    /// The stretches of the meeting's time when it was not quorate.
    pub not_quorate: Vec<NotQuorate>,
    pub matters_arising: Vec<MatterArising>,
    /// The children heard: a decision recorded or actions set.
    pub children: Vec<ChildMinute>,
    pub carried_over: Vec<CarriedOver>,
    pub not_reached: Vec<NotReached>,
    /// Any other business minuted, in the order recorded.
    pub other_business: Vec<String>,
    /// The next meeting's date and times, when one is planned.
    pub next_meeting: Option<Meeting>,
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

/// An item type as the minutes name it: its title in the terms (its id
/// only if the terms no longer name it).
pub fn item_title(terms: &Terms, item_type: &str) -> String {
    terms
        .item_type(item_type)
        .map_or_else(|| item_type.to_owned(), |t| t.title.clone())
}

/// The outcome in words: "recommended, awaiting sign-off by the Head of
/// Service", "recommended; signed off by the Head of Service on 18/11/2026:
/// agreed", "deferred to the meeting of 15/12/2026: REASON", "no outcome
/// recorded" (a decision recorded before outcomes).
pub fn outcome_words(outcome: Option<&DecisionOutcome>, approved: bool) -> String {
    let Some(o) = outcome else {
        return NO_OUTCOME.to_owned();
    };
    let Some(what) = o.outcome else {
        return NO_OUTCOME.to_owned();
    };
    let reason = o
        .reason
        .as_deref()
        .map(|r| format!(": {}", r.trim_end_matches('.')))
        .unwrap_or_default();
    match what {
        Outcome::Deferred => match o.deferred_to {
            Some(to) => format!("deferred to the meeting of {}{reason}", dmy(to)),
            None => format!("deferred{reason}"),
        },
        Outcome::ReferredElsewhere => match &o.referred_to {
            Some(to) => format!("referred to {}{reason}", to.trim_end_matches('.')),
            None => format!("referred elsewhere{reason}"),
        },
        _ => {
            // Approved minutes show what stood at approval: a sign-off
            // recorded after it is kept beside them, not in them.
            let signed = o
                .sign_off
                .as_ref()
                .filter(|s| !(approved && s.after_approval));
            match (&o.sign_off_by, signed) {
                (Some(_), Some(s)) => {
                    let note = s
                        .note
                        .as_deref()
                        .map(|n| format!(" ({})", n.trim_end_matches('.')))
                        .unwrap_or_default();
                    format!(
                        "{}; signed off by the {} on {}: {}{note}",
                        what.words(),
                        s.by,
                        dmy(s.on),
                        match s.outcome {
                            SignOffOutcome::Agree => "agreed",
                            SignOffOutcome::Disagree => "disagreed",
                        }
                    )
                }
                (Some(by), None) => format!("{}, awaiting sign-off by the {by}", what.words()),
                (None, _) => what.words().to_owned(),
            }
        }
    }
}

/// What the minutes say with a decision: its outcome, the money it
/// commits, and each member's dissent.
fn outcome_lines(outcome: Option<&DecisionOutcome>, approved: bool) -> Vec<(&'static str, String)> {
    let mut lines = vec![("Outcome", outcome_words(outcome, approved))];
    if let Some(o) = outcome {
        if let Some(money) = &o.commitment {
            lines.push(("Money committed", money.words()));
        }
        for d in &o.dissents {
            lines.push((
                "Dissent",
                format!("The {} dissented: {}", d.member_title, d.view),
            ));
        }
    }
    lines
}

/// When a decision was recorded, as the minutes say it: "recorded at
/// 10:05" on the meeting's day; a decision recorded on a later day (typed
/// up after the meeting) says the day too, so its time is not read as a
/// time in the meeting.
pub fn recorded_words(recorded_at: chrono::NaiveDateTime, meeting_date: NaiveDate) -> String {
    if recorded_at.date() == meeting_date {
        format!("recorded at {}", recorded_at.format("%H:%M"))
    } else {
        format!(
            "recorded on {} at {}",
            dmy(recorded_at.date()),
            recorded_at.format("%H:%M")
        )
    }
}

/// The outcome of a decision recorded before outcomes were.
pub const NO_OUTCOME: &str = "no outcome recorded";

/// Gathers the minutes of `meeting`, naming children by initials and id.
pub fn gather(store: &Store, terms: &Terms, meeting: &Meeting) -> Result<MinutesData> {
    gather_with(store, terms, meeting, false)
}

/// Gathers the minutes of `meeting`; with `full_names`, children are named
/// in full where the panel holds their name.
///
/// Approved minutes read only what is frozen with them: the attendance,
/// decisions, actions' wording and carry-overs (refused changes by the
/// database), the members as they stood (migration 12), the next meeting
/// and place as they stood (migration 15), and the audit log (append-only)
/// for what the meeting did about earlier actions.
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
    // Frozen with approved minutes (the database refuses changes), so
    // approved minutes read them as they stood.
    let declarations = store.interest_declarations(meeting.id)?;
    let outcomes = store.decision_outcomes(meeting.id)?;
    let actions = store.actions_for_meeting(meeting.id)?;
    let approval = store.minutes_approval(meeting.id)?;
    let frozen = store.approved_record(meeting.id)?;

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
    let register = register(terms, meeting, &members, &attendance);

    let chair_roles: Vec<&crate::terms::Role> = terms.roles.iter().filter(|r| r.chair).collect();
    let chair_role = chair_roles.first().map(|r| r.job_title.clone());
    let in_room = |a: &crate::model::Attendance| {
        a.state.is_present() || a.departed.is_some() || !a.intervals.is_empty()
    };
    let chair = members
        .iter()
        .find(|m| {
            chair_roles.iter().any(|r| r.id == m.role)
                && attendance.iter().any(|a| a.member == m.id && in_room(a))
        })
        .map(|m| m.display())
        .or_else(|| {
            attendance.iter().filter(|a| in_room(a)).find_map(|a| {
                let role = a.substitute_for.as_deref()?;
                let r = chair_roles.iter().find(|r| r.id == role)?;
                let m = members.iter().find(|m| m.id == a.member)?;
                Some(format!(
                    "{}, deputising for the {}",
                    m.display(),
                    r.job_title
                ))
            })
        });
    let minute_taker = members
        .iter()
        .filter(|m| {
            m.role.contains("administrator") || m.job_title.to_lowercase().contains("administrator")
        })
        .find(|m| attendance.iter().any(|a| a.member == m.id && in_room(a)))
        .map(|m| m.display());

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
    let (quorum, not_quorate) = quorum_over_meeting(terms, meeting, &members, &attendance);

    let matters_arising = matters_arising(store, meeting, &label)?;

    let referrals = store.referrals()?;
    let frozen_presenters = store.approved_presenters(meeting.id)?;
    let carry_overs: Vec<crate::store::CarryOver> = store
        .carry_overs()?
        .into_iter()
        .filter(|c| c.meeting == meeting.id)
        .collect();
    let next_meeting = match &frozen {
        Some(record) => record
            .next_meeting
            .map(|d| store.meeting_on(d))
            .transpose()?
            .flatten(),
        None => store
            .meetings()?
            .into_iter()
            .filter(|m| m.date > meeting.date && m.status != MeetingStatus::Cancelled)
            .min_by_key(|m| m.date),
    };

    let mut children = Vec::new();
    let mut carried_over = Vec::new();
    let mut not_reached = Vec::new();
    for item in &agenda {
        let decision = decisions.iter().find(|d| d.child == item.child).cloned();
        let set: Vec<Action> = actions
            .iter()
            .filter(|a| a.child == item.child)
            .cloned()
            .collect();
        let carried = carry_overs.iter().find(|c| c.child == item.child);
        if let Some(c) = carried {
            carried_over.push(CarriedOver {
                position: item.position,
                label: label(&item.child),
                reason: c.reason.clone(),
                to: next_meeting.as_ref().map(|m| m.date),
            });
        }
        if decision.is_none() && set.is_empty() {
            if carried.is_none() {
                not_reached.push(NotReached {
                    position: item.position,
                    label: label(&item.child),
                });
            }
            continue;
        }
        // Approved minutes read who presented as it stood at approval.
        let presenter = if frozen.is_some() {
            frozen_presenters
                .iter()
                .find(|(child, _)| *child == item.child)
                .map(|(_, p)| p.clone())
        } else {
            referrals
                .iter()
                .rev()
                .find(|r| r.child == item.child && r.status == ReferralStatus::Accepted)
                .map(|r| {
                    if r.referrer_initials.trim().is_empty() {
                        r.referrer_role.clone()
                    } else {
                        format!("{} ({})", r.referrer_role, r.referrer_initials)
                    }
                })
        };
        let declared = declarations
            .iter()
            .filter(|d| d.child == item.child)
            .map(|d| {
                let who = members.iter().find(|m| m.id == d.member).map_or_else(
                    || format!("member {}", d.member),
                    // Job titles, as on screen; names only where the
                    // minutes are written with them.
                    |m| {
                        if full_names && m.display() != m.job_title {
                            m.display()
                        } else {
                            format!("the {}", m.job_title)
                        }
                    },
                );
                (who, d.note.clone())
            })
            .collect();
        let held = decision.as_ref().and_then(|d| outcomes.get(&d.id));
        children.push(ChildMinute {
            position: item.position,
            child: item.child.clone(),
            label: label(&item.child),
            reasons: item.reasons.clone(),
            presenter,
            item: held
                .filter(|o| o.item_type != TRACKING)
                .map(|o| item_title(terms, &o.item_type)),
            outcome: match &decision {
                Some(_) => outcome_lines(held, approval.is_some()),
                None => Vec::new(),
            },
            decision,
            actions: set,
            declarations: declared,
        });
    }

    let place = match &frozen {
        Some(record) => record.place.clone(),
        None => store.setting(crate::store::PLACE_SETTING)?,
    }
    .filter(|p| !p.trim().is_empty());

    Ok(MinutesData {
        panel_name: terms.name.clone(),
        meeting: meeting.clone(),
        place,
        chair,
        chair_role,
        minute_taker,
        attendees,
        register,
        quorum_assumed: terms.quorum.assumed,
        quorum_rule: rule.join("; "),
        quorum,
        not_quorate,
        matters_arising,
        children,
        carried_over,
        not_reached,
        other_business: store.other_business(meeting.id)?,
        next_meeting,
        approval,
        corrections: store.minutes_corrections(meeting.id)?,
    })
}

/// The register: each member under Present, In attendance, Apologies or
/// Absent, with arrival and departure where they differ from the meeting's
/// own times (every stretch in the room when they left and came back).
fn register(
    terms: &Terms,
    meeting: &Meeting,
    members: &[crate::model::Member],
    attendance: &[crate::model::Attendance],
) -> Register {
    let mut out = Register::default();
    for member in members {
        let record = attendance.iter().find(|a| a.member == member.id);
        let state = record.map_or(AttendanceState::Expected, |a| a.state);
        let attended = record.is_some_and(|a| {
            a.state.is_present() || a.departed.is_some() || !a.intervals.is_empty()
        });
        let mut notes = Vec::new();
        if let Some(role) = record.and_then(|a| a.substitute_for.as_deref()) {
            let title = terms.role(role).map_or(role, |r| r.job_title.as_str());
            notes.push(format!("substitute for the {title}"));
        }
        if let Some(a) = record.filter(|_| attended) {
            notes.extend(times_note(meeting, a));
        }
        let line = PersonLine {
            who: member.display(),
            note: notes.join("; "),
        };
        if attended {
            if state == AttendanceState::InAttendance || member.kind != MemberKind::Standing {
                out.in_attendance.push(line);
            } else {
                out.present.push(line);
            }
        } else if state == AttendanceState::Apologies {
            out.apologies.push(line);
        } else if member.kind == MemberKind::Standing {
            out.absent.push(line);
        }
    }
    out
}

/// "arrived 10:05", "left 11:40", or every stretch when there were several.
fn times_note(meeting: &Meeting, a: &crate::model::Attendance) -> Option<String> {
    let stretches_held: Vec<crate::model::Interval> = if a.intervals.is_empty() {
        a.arrived
            .map(|arrived| crate::model::Interval {
                arrived,
                left: a.departed,
            })
            .into_iter()
            .collect()
    } else {
        a.intervals.clone()
    };
    match stretches_held.as_slice() {
        [] => a.departed.map(|t| format!("left {}", t.format("%H:%M"))),
        [one] => {
            let mut parts = Vec::new();
            if one.arrived > meeting.start {
                parts.push(format!("arrived {}", one.arrived.format("%H:%M")));
            }
            if let Some(left) = one.left.filter(|l| *l < meeting.end) {
                parts.push(format!("left {}", left.format("%H:%M")));
            }
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        many => {
            let parts: Vec<String> = many
                .iter()
                .map(|i| match i.left {
                    Some(left) => format!("{}–{}", i.arrived.format("%H:%M"), left.format("%H:%M")),
                    None => format!("from {}", i.arrived.format("%H:%M")),
                })
                .collect();
            Some(format!("in the room {}", parts.join(", ")))
        }
    }
}

/// Quorum over the meeting's time: who filled each place when it was first
/// quorate (at the close if it never was), and every stretch when it was
/// not, checked at each arrival and departure.
fn quorum_over_meeting(
    terms: &Terms,
    meeting: &Meeting,
    members: &[crate::model::Member],
    attendance: &[crate::model::Attendance],
) -> (QuorumResult, Vec<NotQuorate>) {
    let mut moments: Vec<NaiveTime> = vec![meeting.start];
    for a in attendance {
        moments.extend(a.arrived);
        moments.extend(a.departed);
        for i in &a.intervals {
            moments.push(i.arrived);
            moments.extend(i.left);
        }
    }
    moments.retain(|t| *t >= meeting.start && *t < meeting.end);
    moments.sort_unstable();
    moments.dedup();
    // Nobody recorded with a time: the roll call as it stands.
    let timed = attendance
        .iter()
        .any(|a| a.arrived.is_some() || !a.intervals.is_empty());
    if !timed {
        let result = quorum::check_at(&terms.quorum, members, attendance, None, &[]);
        let gaps = if result.quorate {
            Vec::new()
        } else {
            vec![NotQuorate {
                from: meeting.start,
                to: meeting.end,
            }]
        };
        return (result, gaps);
    }
    let mut first_quorate = None;
    let mut gaps: Vec<NotQuorate> = Vec::new();
    for (i, t) in moments.iter().enumerate() {
        let result = quorum::check_at(&terms.quorum, members, attendance, Some(*t), &[]);
        let until = moments.get(i + 1).copied().unwrap_or(meeting.end);
        if result.quorate {
            first_quorate.get_or_insert(result);
        } else {
            match gaps.last_mut() {
                Some(g) if g.to == *t => g.to = until,
                _ => gaps.push(NotQuorate {
                    from: *t,
                    to: until,
                }),
            }
        }
    }
    let shown = first_quorate
        .unwrap_or_else(|| quorum::check_at(&terms.quorum, members, attendance, None, &[]));
    (shown, gaps)
}

/// The actions set at earlier meetings that were open when this one began,
/// with what this meeting did about each: the status changes the audit log
/// recorded on the meeting's day (the log is append-only, so approved
/// minutes read the same here for ever).
fn matters_arising(
    store: &Store,
    meeting: &Meeting,
    label: &dyn Fn(&str) -> String,
) -> Result<Vec<MatterArising>> {
    let meeting_dates: HashMap<crate::model::Id, NaiveDate> =
        store.meetings()?.iter().map(|m| (m.id, m.date)).collect();
    // Each action's status changes, oldest first: (day, status, reason).
    let mut changes: HashMap<String, Vec<(NaiveDate, ActionStatus, Option<String>)>> =
        HashMap::new();
    for entry in store.audit_entries()? {
        if entry.entity != "action" {
            continue;
        }
        let Ok(change) = serde_json::from_str::<serde_json::Value>(&entry.change) else {
            continue;
        };
        let Some(status) = change
            .get("new")
            .and_then(|v| v.as_str())
            .and_then(ActionStatus::parse)
        else {
            continue;
        };
        let reason = change
            .get("reason")
            .and_then(|v| v.as_str())
            .map(str::to_owned);
        changes
            .entry(entry.entity_id.clone())
            .or_default()
            .push((entry.at.date(), status, reason));
    }
    let status_by = |id: &str, day: NaiveDate, through: bool| {
        changes
            .get(id)
            .and_then(|list| {
                list.iter()
                    .rev()
                    .find(|(d, _, _)| if through { *d <= day } else { *d < day })
                    .map(|(_, s, r)| (*s, r.clone()))
            })
            .unwrap_or((ActionStatus::Open, None))
    };
    let mut out: Vec<MatterArising> = store
        .all_actions()?
        .into_iter()
        .filter_map(|a| {
            let set_on = *meeting_dates.get(&a.meeting)?;
            if set_on >= meeting.date {
                return None;
            }
            let id = a.id.to_string();
            // Actions recorded before the audit held their status: as now.
            let (before, _) = if changes.contains_key(&id) {
                status_by(&id, meeting.date, false)
            } else {
                (a.status, None)
            };
            if before != ActionStatus::Open {
                return None;
            }
            let (after, reason) = status_by(&id, meeting.date, true);
            let outcome = match after {
                ActionStatus::Done => MatterOutcome::Done,
                ActionStatus::Dropped => MatterOutcome::Dropped { reason },
                ActionStatus::Open => MatterOutcome::StillOpen,
            };
            Some(MatterArising {
                set_on,
                child_label: label(&a.child),
                action: a,
                outcome,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (a.set_on, &a.child_label, a.action.id).cmp(&(b.set_on, &b.child_label, b.action.id))
    });
    Ok(out)
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

/// The heading block of the minutes, label and value, as both writers set it.
pub fn heading_block(data: &MinutesData) -> Vec<(&'static str, String)> {
    vec![
        ("Panel", data.panel_name.clone()),
        ("Date and time", when(&data.meeting)),
        (
            "Place",
            data.place
                .clone()
                .unwrap_or_else(|| "not recorded in the panel's settings".to_owned()),
        ),
        (
            "Chair",
            match (&data.chair, &data.chair_role) {
                (Some(who), _) => who.clone(),
                (None, Some(role)) => format!("none recorded: the {role} was not present"),
                (None, None) => {
                    "none recorded: the terms of reference mark no role as chair".to_owned()
                }
            },
        ),
        (
            "Minutes taken by",
            data.minute_taker
                .clone()
                .unwrap_or_else(|| "not recorded".to_owned()),
        ),
    ]
}

/// A person in the register: "Service Manager, arrived 10:05".
pub fn person(line: &PersonLine) -> String {
    if line.note.is_empty() {
        line.who.clone()
    } else {
        format!("{}, {}", line.who, line.note)
    }
}

/// The register's four headings with their people, in order.
pub fn register_sections(data: &MinutesData) -> [(&'static str, &Vec<PersonLine>); 4] {
    [
        ("Present", &data.register.present),
        ("In attendance", &data.register.in_attendance),
        ("Apologies", &data.register.apologies),
        ("Absent", &data.register.absent),
    ]
}

/// The quorum said once: the rule, whether it held, and when it did not.
pub fn quorum_sentence(data: &MinutesData) -> String {
    let assumed = if data.quorum_assumed {
        " The terms of reference state no quorum; this is the panel's assumed rule."
    } else {
        ""
    };
    let rule = if data.quorum_rule.is_empty() {
        String::new()
    } else {
        format!("The quorum is {}.", data.quorum_rule)
    };
    let held = match data.not_quorate.as_slice() {
        [] => "The meeting was quorate throughout.".to_owned(),
        [one] if one.from == data.meeting.start && one.to == data.meeting.end => {
            "The meeting was not quorate at any time.".to_owned()
        }
        gaps => {
            let times: Vec<String> = gaps
                .iter()
                .map(|g| {
                    format!(
                        "from {} to {}",
                        g.from.format("%H:%M"),
                        g.to.format("%H:%M")
                    )
                })
                .collect();
            format!("The meeting was not quorate {}.", times.join(" and "))
        }
    };
    format!("{rule}{assumed} {held}").trim().to_owned()
}

/// Who filled each place, under the quorum sentence.
pub fn quorum_places(data: &MinutesData) -> Vec<String> {
    data.quorum
        .filled
        .iter()
        .map(|f| {
            format!(
                "{}: {}",
                f.requirement,
                f.by.as_deref().unwrap_or("nobody present")
            )
        })
        .collect()
}

/// "Carried over to the meeting of 24/12/2026" (or "to the next meeting").
pub fn carried_to(c: &CarriedOver) -> String {
    match c.to {
        Some(d) => format!("carried over to the meeting of {}", dmy(d)),
        None => "carried over to the next meeting (none is planned yet)".to_owned(),
    }
}

/// The next meeting in words, or that none is planned.
pub fn next_meeting_words(data: &MinutesData) -> String {
    match &data.next_meeting {
        Some(m) => format!("{}.", when(m)),
        None => "No further meeting is planned yet.".to_owned(),
    }
}

/// The approval block's sentence: approved, or still a draft.
pub fn approval_words(data: &MinutesData) -> String {
    match &data.approval {
        Some(a) => approval_line(a),
        None => "Not yet approved: these minutes are a draft until the panel approves them at a later meeting.".to_owned(),
    }
}

/// Any other business when none was minuted.
pub const NO_OTHER_BUSINESS: &str = "None recorded.";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FinancialCommitment, PaymentPeriod, Pence};
    use crate::store::{Dissent, SignOff};

    fn day(d: u32, m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("a date")
    }

    fn held(outcome: Option<Outcome>) -> DecisionOutcome {
        DecisionOutcome {
            decision: 1,
            item_type: "sgo-cao-support-plan".into(),
            outcome,
            deferred_to: None,
            referred_to: None,
            reason: None,
            sign_off_by: None,
            sign_off: None,
            commitment: None,
            dissents: Vec::new(),
        }
    }

    #[test]
    fn a_decision_typed_up_after_the_meeting_says_the_day_it_was_recorded() {
        let meeting = NaiveDate::from_ymd_opt(2026, 11, 17).expect("a date");
        let on_the_day = meeting.and_hms_opt(10, 5, 0).expect("a time");
        assert_eq!(recorded_words(on_the_day, meeting), "recorded at 10:05");
        let later = NaiveDate::from_ymd_opt(2026, 12, 5)
            .and_then(|d| d.and_hms_opt(8, 50, 0))
            .expect("a time");
        assert_eq!(
            recorded_words(later, meeting),
            "recorded on 05/12/2026 at 08:50"
        );
    }

    #[test]
    fn a_decision_before_outcomes_says_none_was_recorded() {
        assert_eq!(outcome_words(None, false), "no outcome recorded");
        assert_eq!(
            outcome_words(Some(&held(None)), false),
            "no outcome recorded"
        );
        assert_eq!(
            outcome_words(Some(&held(Some(Outcome::Endorsed))), false),
            "endorsed"
        );
    }

    #[test]
    fn a_recommendation_says_who_it_waits_for_then_who_signed_it_off() {
        let mut o = held(Some(Outcome::Recommended));
        o.sign_off_by = Some("Head of Service".into());
        assert_eq!(
            outcome_words(Some(&o), false),
            "recommended, awaiting sign-off by the Head of Service"
        );
        o.sign_off = Some(SignOff {
            by: "Head of Service".into(),
            on: day(18, 11),
            outcome: SignOffOutcome::Agree,
            note: None,
            after_approval: false,
        });
        assert_eq!(
            outcome_words(Some(&o), true),
            "recommended; signed off by the Head of Service on 18/11/2026: agreed"
        );
        // Signed off after the minutes were approved: the approved
        // minutes say what stood when they were approved.
        if let Some(s) = o.sign_off.as_mut() {
            s.after_approval = true;
            s.outcome = SignOffOutcome::Disagree;
            s.note = Some("The allowance needs a means test.".into());
        }
        assert_eq!(
            outcome_words(Some(&o), true),
            "recommended, awaiting sign-off by the Head of Service"
        );
        assert_eq!(
            outcome_words(Some(&o), false),
            "recommended; signed off by the Head of Service on 18/11/2026: disagreed (The allowance needs a means test)"
        );
    }

    #[test]
    fn a_deferral_and_a_referral_say_where_and_why_and_money_and_dissent_are_minuted() {
        let mut o = held(Some(Outcome::Deferred));
        o.deferred_to = Some(day(15, 12));
        o.reason = Some("The assessment is not finished.".into());
        assert_eq!(
            outcome_words(Some(&o), false),
            "deferred to the meeting of 15/12/2026: The assessment is not finished"
        );
        let mut r = held(Some(Outcome::ReferredElsewhere));
        r.referred_to = Some("the Fostering Panel".into());
        r.reason = Some("A long-term match is proposed".into());
        assert_eq!(
            outcome_words(Some(&r), false),
            "referred to the Fostering Panel: A long-term match is proposed"
        );
        let mut money = held(Some(Outcome::Approved));
        money.commitment = Some(FinancialCommitment {
            allowance: "Adaptations grant".into(),
            amount: Pence(500_000),
            period: PaymentPeriod::OneOff,
        });
        money.dissents.push(Dissent {
            member: 2,
            member_title: "Service Manager – Fostering".into(),
            view: "The quote is too high.".into(),
        });
        assert_eq!(
            outcome_lines(Some(&money), false),
            vec![
                ("Outcome", "approved".to_owned()),
                (
                    "Money committed",
                    "Adaptations grant: £5,000.00 once".to_owned()
                ),
                (
                    "Dissent",
                    "The Service Manager – Fostering dissented: The quote is too high.".to_owned()
                ),
            ]
        );
    }
}
