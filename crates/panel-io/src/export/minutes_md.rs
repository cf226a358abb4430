//! The meeting's minutes in Markdown, laid out from the one gathered record
//! (`minutes::gather`) that the Word minutes lay out too.

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

/// Lays out gathered minutes as Markdown: the heading block, the register,
/// quorum once, matters arising, the children heard, carried over and not
/// reached, any other business, the next meeting and the approval block.
pub fn render_data(data: &MinutesData) -> String {
    let meeting = &data.meeting;
    let mut md = String::new();
    // The protective marking opens and closes the document, as the Word
    // minutes carry it in their header and footer (issue 17).
    let _ = writeln!(md, "**{}**", crate::export::print::MARKING);
    let _ = writeln!(md);
    let _ = writeln!(md, "# {}: minutes", escape(&data.panel_name));
    let _ = writeln!(md);
    for (label, value) in minutes::heading_block(data) {
        let _ = writeln!(md, "**{label}:** {}  ", escape(&value));
    }
    let _ = writeln!(md);

    for (heading, people) in minutes::register_sections(data) {
        let _ = writeln!(md, "## {heading}");
        let _ = writeln!(md);
        if people.is_empty() {
            let _ = writeln!(md, "None.");
        }
        for p in people {
            let _ = writeln!(md, "- {}", escape(&minutes::person(p)));
        }
        let _ = writeln!(md);
    }

    let _ = writeln!(md, "## Quorum");
    let _ = writeln!(md);
    let _ = writeln!(md, "{}", escape(&minutes::quorum_sentence(data)));
    let _ = writeln!(md);
    for place in minutes::quorum_places(data) {
        let _ = writeln!(md, "- {}", escape(&place));
    }
    let _ = writeln!(md);

    let _ = writeln!(md, "## Matters arising");
    let _ = writeln!(md);
    if data.matters_arising.is_empty() {
        let _ = writeln!(md, "No actions from earlier meetings were open.");
    } else {
        let _ = writeln!(md, "| Child | Action | Owner | Set on | This meeting |");
        let _ = writeln!(md, "|---|---|---|---|---|");
        for m in &data.matters_arising {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                escape(&m.child_label),
                escape(&m.action.text.replace('\n', " ")),
                escape(&m.action.owner),
                minutes::dmy(m.set_on),
                escape(&m.outcome_words(meeting.date)),
            );
        }
    }
    let _ = writeln!(md);

    let _ = writeln!(md, "## Children heard");
    let _ = writeln!(md);
    if data.children.is_empty() {
        let _ = writeln!(md, "No children were heard.");
        let _ = writeln!(md);
    }
    for item in &data.children {
        let _ = writeln!(md, "### {}. Child {}", item.position, escape(&item.label));
        let _ = writeln!(md);
        if let Some(kind) = &item.item {
            let _ = writeln!(md, "Item: {}", escape(kind));
            let _ = writeln!(md);
        }
        if !item.reasons.is_empty() {
            let _ = writeln!(md, "Listed because: {}", escape(&item.reasons.join(" ")));
            let _ = writeln!(md);
        }
        if let Some(p) = &item.presenter {
            let _ = writeln!(md, "Presented by: {}", escape(p));
            let _ = writeln!(md);
        }
        if let Some(line) = item.declarations_line() {
            let _ = writeln!(md, "{}", escape(&line));
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
                    crate::export::minutes::recorded_words(d.recorded_at, data.meeting.date)
                );
                let _ = writeln!(md);
                for line in d.text.lines() {
                    let _ = writeln!(md, "> {}", escape(line));
                }
                if let Some(line) = item.item_quorum_line() {
                    let _ = writeln!(md);
                    let _ = writeln!(md, "{}", escape(&line));
                }
                for (label, words) in &item.outcome {
                    let _ = writeln!(md);
                    let _ = writeln!(md, "{label}: {}", escape(&words.replace('\n', " ")));
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

    if !data.carried_over.is_empty() {
        let _ = writeln!(md, "## Children carried over");
        let _ = writeln!(md);
        for c in &data.carried_over {
            let _ = writeln!(
                md,
                "- {}. Child {}: {}; {}.",
                c.position,
                escape(&c.label),
                escape(c.reason.trim_end_matches('.')),
                minutes::carried_to(c)
            );
        }
        let _ = writeln!(md);
    }
    if !data.not_reached.is_empty() {
        let _ = writeln!(md, "## Children on the agenda not reached");
        let _ = writeln!(md);
        for n in &data.not_reached {
            let _ = writeln!(
                md,
                "- {}. Child {}: not reached at this meeting.",
                n.position,
                escape(&n.label)
            );
        }
        let _ = writeln!(md);
    }

    let _ = writeln!(md, "## Any other business");
    let _ = writeln!(md);
    if data.other_business.is_empty() {
        let _ = writeln!(md, "{}", minutes::NO_OTHER_BUSINESS);
    }
    for item in &data.other_business {
        let _ = writeln!(md, "- {}", escape(&item.replace('\n', " ")));
    }
    let _ = writeln!(md);
    let _ = writeln!(md, "## Next meeting");
    let _ = writeln!(md);
    let _ = writeln!(md, "{}", minutes::next_meeting_words(data));
    let _ = writeln!(md);
    let _ = writeln!(md, "## Approval");
    let _ = writeln!(md);
    let _ = writeln!(md, "{}", escape(&minutes::approval_words(data)));
    let _ = writeln!(md);
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
