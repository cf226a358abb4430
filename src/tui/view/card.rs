//! The child card: who is being heard and why.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::{Theme, labelled};
use crate::rules::dates::dmy;
use crate::tui::app::App;
use crate::tui::data::card_facts;

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let Some(item) = app.current_item() else {
        frame.render_widget(
            Paragraph::new("No child is on this meeting's agenda."),
            area,
        );
        return;
    };
    let w = area.width;
    let mut lines: Vec<Line> = vec![Line::styled(
        format!(
            "Child {}  (item {} of {})",
            app.child_label(&item.child),
            app.current + 1,
            app.data.agenda.len()
        ),
        theme.bold(),
    )];
    lines.push(Line::raw(""));
    match app.data.records.get(&item.child) {
        None => lines.extend(labelled(
            "Record",
            "not in the latest SSDA903 import",
            w,
            theme,
        )),
        Some(record) => {
            let facts = card_facts(record, app.today);
            lines.extend(labelled(
                "Age",
                &format!("{} years", facts.age_years),
                w,
                theme,
            ));
            match &facts.current {
                Some(c) => {
                    lines.extend(labelled(
                        "Legal status",
                        &format!(
                            "{} {}, since {}",
                            c.legal_status.code(),
                            c.legal_status.meaning(),
                            dmy(c.legal_status_since)
                        ),
                        w,
                        theme,
                    ));
                    let provider = c
                        .provider
                        .map(|p| format!(" ({} {})", p.code(), p.meaning()))
                        .unwrap_or_default();
                    lines.extend(labelled(
                        "Placement",
                        &format!(
                            "{} {}{provider}, since {}",
                            c.placement.code(),
                            c.placement.meaning(),
                            dmy(c.placement_since)
                        ),
                        w,
                        theme,
                    ));
                }
                None => {
                    let ended = facts
                        .last_ceased
                        .map(|d| format!(" (last episode ended {})", dmy(d)))
                        .unwrap_or_default();
                    lines.extend(labelled(
                        "Legal status",
                        &format!("not looked after on {}{ended}", dmy(app.today)),
                        w,
                        theme,
                    ));
                }
            }
        }
    }
    if let Some(t) = app.timing() {
        lines.extend(labelled(
            "Timing",
            &format!(
                "slot {}–{}, {}; the meeting ends about {}",
                t.slot_start.format("%H:%M"),
                t.slot_end.format("%H:%M"),
                t.status(),
                t.projected_end.format("%H:%M")
            ),
            w,
            theme,
        ));
    }
    lines.extend(labelled("Listed under", &item.listed_under, w, theme));
    for (i, reason) in item.reasons.iter().enumerate() {
        let label = if i == 0 { "Why listed" } else { "" };
        lines.extend(labelled(label, &format!("• {reason}"), w, theme));
    }
    let decision = match app.data.decision_for(&item.child) {
        Some(d) if d.quorate => d.text.clone(),
        Some(d) => format!("{} [flagged: made while not quorate]", d.text),
        None if app.is_editing() && app.decision_drafts.contains_key(&item.child) => {
            "(a draft is not saved yet; press d)".to_owned()
        }
        None => "(none yet; press d)".to_owned(),
    };
    lines.extend(labelled("Decision", &decision, w, theme));
    // The administrator's own note: never on a projector or the presenter view.
    if !app.projector
        && !app.presenter
        && let Some(note) = app.data.admin_notes.get(&item.child)
    {
        lines.extend(labelled("Private note", note, w, theme));
    }
    if app.data.carried_over.contains(&item.child) {
        lines.extend(labelled(
            "Next meeting",
            "carried over (first on its agenda)",
            w,
            theme,
        ));
    }
    let actions = app.data.actions_for(&item.child);
    let open = actions
        .iter()
        .filter(|a| a.status == crate::model::ActionStatus::Open)
        .count();
    lines.extend(labelled(
        "Actions",
        &format!("{open} open of {} (press a)", actions.len()),
        w,
        theme,
    ));
    frame.render_widget(Paragraph::new(lines), area);
}
