//! The meeting's minutes in Markdown: attendance, quorum, and per child the
//! decision and the actions with owner and deadline.

use std::fmt::Write as _;

use crate::model::{AttendanceState, Meeting, MemberKind};
use crate::rules::quorum;
use crate::store::{Result, Store};
use crate::terms::Terms;

fn dmy(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Markdown escapes for text typed by the administrator, so a stray `*` or
/// `#` in a decision cannot restructure the minutes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '#' | '[' | ']' | '<' | '>' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Renders the minutes of `meeting`.
pub fn render(store: &Store, terms: &Terms, meeting: &Meeting) -> Result<String> {
    let members = store.members_of_meeting(meeting)?;
    let attendance = store.attendance(meeting.id)?;
    let agenda = store.agenda(meeting.id)?;
    let decisions = store.decisions(meeting.id)?;
    let actions = store.actions_for_meeting(meeting.id)?;

    let mut md = String::new();
    let _ = writeln!(md, "# {}: minutes", terms.name);
    let _ = writeln!(md);
    let _ = writeln!(
        md,
        "Meeting of {}, {} to {}.",
        meeting.date.format("%A %-d %B %Y"),
        meeting.start.format("%H:%M"),
        meeting.end.format("%H:%M")
    );
    let _ = writeln!(md);

    let _ = writeln!(md, "## Attendance");
    let _ = writeln!(md);
    let _ = writeln!(md, "| Member | Role | Attendance | Arrived | Left |");
    let _ = writeln!(md, "|---|---|---|---|---|");
    for member in &members {
        let record = attendance.iter().find(|a| a.member == member.id);
        let state = record.map_or(AttendanceState::Expected, |a| a.state);
        // Presenters and advisers who were not there are not listed.
        if member.kind != MemberKind::Standing && !state.is_present() && record.is_none() {
            continue;
        }
        // Marked away after being present: they attended and left.
        let left_early = !state.is_present() && record.is_some_and(|a| a.departed.is_some());
        let mut state_text = if left_early {
            "present, left early".to_owned()
        } else {
            state.label().to_owned()
        };
        if let Some(role) = record.and_then(|a| a.substitute_for.as_deref()) {
            let title = terms.role(role).map_or(role, |r| r.job_title.as_str());
            let _ = write!(state_text, " for {title}");
        }
        let time = |t: Option<chrono::NaiveTime>| {
            t.map(|t| t.format("%H:%M").to_string()).unwrap_or_default()
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} |",
            escape(&member.display()),
            member.kind.id(),
            state_text,
            time(record.and_then(|a| a.arrived)),
            time(record.and_then(|a| a.departed)),
        );
    }
    let _ = writeln!(md);

    let result = quorum::check_at(&terms.quorum, &members, &attendance, None);
    let _ = writeln!(md, "## Quorum");
    let _ = writeln!(md);
    if terms.quorum.assumed {
        let _ = writeln!(
            md,
            "The terms of reference state no quorum; this is the panel's assumed rule."
        );
        let _ = writeln!(md);
    }
    let _ = writeln!(
        md,
        "At the close of the meeting: {}.",
        escape(&result.summary())
    );
    let _ = writeln!(md);
    for f in &result.filled {
        let _ = writeln!(
            md,
            "- {}: {}",
            escape(&f.requirement),
            f.by.as_deref().map_or("nobody present".to_owned(), escape)
        );
    }
    let _ = writeln!(md);

    let _ = writeln!(md, "## Children discussed");
    let _ = writeln!(md);
    if agenda.is_empty() {
        let _ = writeln!(md, "No children were on the agenda.");
        let _ = writeln!(md);
    }
    for item in &agenda {
        let _ = writeln!(md, "### {}. Child {}", item.position, escape(&item.child));
        let _ = writeln!(md);
        if !item.reasons.is_empty() {
            let _ = writeln!(md, "Listed because: {}", escape(&item.reasons.join(" ")));
            let _ = writeln!(md);
        }
        match decisions.iter().find(|d| d.child == item.child) {
            Some(d) => {
                let flag = if d.quorate {
                    String::new()
                } else {
                    " **(recorded while the meeting was not quorate)**".to_owned()
                };
                let _ = writeln!(
                    md,
                    "**Decision** ({}){flag}:",
                    d.recorded_at.format("%H:%M")
                );
                let _ = writeln!(md);
                for line in d.text.lines() {
                    let _ = writeln!(md, "> {}", escape(line));
                }
            }
            None => {
                let _ = writeln!(md, "No decision recorded.");
            }
        }
        let _ = writeln!(md);
        let child_actions: Vec<_> = actions.iter().filter(|a| a.child == item.child).collect();
        if child_actions.is_empty() {
            let _ = writeln!(md, "No actions set.");
        } else {
            let _ = writeln!(md, "| Action | Owner | Deadline |");
            let _ = writeln!(md, "|---|---|---|");
            for a in child_actions {
                let _ = writeln!(
                    md,
                    "| {} | {} | {} |",
                    escape(&a.text.replace('\n', " ")),
                    escape(&a.owner),
                    dmy(a.deadline)
                );
            }
        }
        let _ = writeln!(md);
    }
    Ok(md)
}
