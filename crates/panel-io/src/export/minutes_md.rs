//! The meeting's minutes in Markdown: attendance, quorum, and per child the
//! decision and the actions with owner and deadline.

use std::fmt::Write as _;

use super::minutes::{self, MinutesData, NOT_QUORATE_FLAG};
use crate::model::Meeting;
use crate::store::{Result, Store};
use crate::terms::Terms;

/// Markdown escapes for text typed by the administrator, so a stray `*` or
/// `#` in a decision cannot restructure the minutes; control characters
/// (ESC, BEL from a tracker or a return) are shown, never passed on.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in panel_core::text::visible(text).chars() {
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

/// Renders the minutes of `meeting`, children by initials and id.
pub fn render(store: &Store, terms: &Terms, meeting: &Meeting) -> Result<String> {
    render_with(store, terms, meeting, false)
}

/// Renders the minutes of `meeting`; with `full_names`, children are
/// named in full where the panel holds their name.
pub fn render_with(
    store: &Store,
    terms: &Terms,
    meeting: &Meeting,
    full_names: bool,
) -> Result<String> {
    Ok(render_data(&minutes::gather_with(
        store, terms, meeting, full_names,
    )?))
}

/// Lays out gathered minutes as Markdown.
pub fn render_data(data: &MinutesData) -> String {
    let meeting = &data.meeting;
    let mut md = String::new();
    // The protective marking opens and closes the document, as the Word
    // minutes carry it in their header and footer (issue 17).
    let _ = writeln!(md, "**{}**", crate::export::print::MARKING);
    let _ = writeln!(md);
    let _ = writeln!(md, "# {}: minutes", data.panel_name);
    let _ = writeln!(md);
    let _ = writeln!(md, "Meeting of {}.", minutes::when(meeting));
    let _ = writeln!(md);

    let _ = writeln!(md, "## Attendance");
    let _ = writeln!(md);
    let _ = writeln!(md, "| Member | Role | Attendance | Arrived | Left |");
    let _ = writeln!(md, "|---|---|---|---|---|");
    for line in &data.attendees {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} |",
            escape(&line.member),
            line.kind.id(),
            line.attendance,
            minutes::arrivals(line),
            minutes::departures(line),
        );
    }
    let _ = writeln!(md);

    let _ = writeln!(md, "## Quorum");
    let _ = writeln!(md);
    if data.quorum_assumed {
        let _ = writeln!(
            md,
            "The terms of reference state no quorum; this is the panel's assumed rule."
        );
        let _ = writeln!(md);
    }
    let _ = writeln!(
        md,
        "At the close of the meeting: {}.",
        escape(&data.quorum.summary())
    );
    let _ = writeln!(md);
    for f in &data.quorum.filled {
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
    if data.children.is_empty() {
        let _ = writeln!(md, "No children were on the agenda.");
        let _ = writeln!(md);
    }
    for item in &data.children {
        let _ = writeln!(md, "### {}. Child {}", item.position, escape(&item.label));
        let _ = writeln!(md);
        if !item.reasons.is_empty() {
            let _ = writeln!(md, "Listed because: {}", escape(&item.reasons.join(" ")));
            let _ = writeln!(md);
        }
        match &item.decision {
            Some(d) => {
                let flag = if d.quorate {
                    String::new()
                } else {
                    format!(" **({NOT_QUORATE_FLAG})**")
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
        if item.actions.is_empty() {
            let _ = writeln!(md, "No actions set.");
        } else {
            let _ = writeln!(md, "| Action | Owner | Deadline |");
            let _ = writeln!(md, "|---|---|---|");
            for a in &item.actions {
                let _ = writeln!(
                    md,
                    "| {} | {} | {} |",
                    escape(&a.text.replace('\n', " ")),
                    escape(&a.owner),
                    minutes::dmy(a.deadline)
                );
            }
        }
        let _ = writeln!(md);
    }
    if let Some(a) = &data.approval {
        let _ = writeln!(md, "## Approval");
        let _ = writeln!(md);
        let _ = writeln!(md, "{}", escape(&minutes::approval_line(a)));
        let _ = writeln!(md);
    }
    if !data.corrections.is_empty() {
        let _ = writeln!(md, "## Corrections");
        let _ = writeln!(md);
        for c in &data.corrections {
            let _ = writeln!(
                md,
                "- {}: {}",
                escape(&minutes::correction_by(c)),
                escape(&c.text.replace('\n', " "))
            );
        }
        let _ = writeln!(md);
    }
    let _ = writeln!(md, "**{}**", crate::export::print::MARKING);
    md
}
