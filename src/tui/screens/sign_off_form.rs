//! The decision-maker's sign-off of one recommendation (issue 23): by the
//! decision-maker the item type names (the store accepts no other), agree
//! or disagree (↑↓), a note; Enter records it, dated the day it is
//! recorded (`Store::sign_off_decision`, as `decisions sign-off` does).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::model::SignOffOutcome;
use crate::rules::dates::dmy;
use crate::store::PendingSignOff;
use crate::tui::app::{App, Effect, Msg};
use crate::tui::mouse::HitMap;
use crate::tui::prompt::Prompt;
use crate::tui::view::{Theme, keys_reach_editor, wrap};

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The recommendation being signed off.
    pub pending: Option<PendingSignOff>,
    /// Agree unless the decision-maker disagrees.
    pub outcome: Option<SignOffOutcome>,
    pub note: Prompt,
}

impl State {
    /// The form on `pending`, agreeing, with no note.
    pub fn on(pending: PendingSignOff) -> State {
        State {
            pending: Some(pending),
            outcome: Some(SignOffOutcome::Agree),
            note: Prompt::one_line(""),
        }
    }

    fn outcome(&self) -> SignOffOutcome {
        self.outcome.unwrap_or(SignOffOutcome::Agree)
    }
}

impl super::ScreenState for State {
    fn is_dirty(&self, _app: &App) -> bool {
        self.pending.is_some()
            && (!self.note.text().trim().is_empty() || self.outcome() != SignOffOutcome::Agree)
    }
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, _hits: &mut HitMap) {
    let state = &app.screens.sign_off_form;
    let Some(p) = &state.pending else {
        frame.render_widget(Paragraph::new("Choose a recommendation first (S)."), area);
        return;
    };
    let width = usize::from(area.width);
    let mut lines = vec![Line::styled(
        format!("Sign-off of the decision on {}", app.child_label(&p.child)),
        theme.bold(),
    )];
    let about = format!(
        "{}: {} at the meeting of {}, waiting {} days. ↑↓ agree or disagree, type a note if any, Enter records it dated {}.",
        crate::export::minutes::item_title(&app.terms, &p.item_type),
        p.outcome.words(),
        dmy(p.meeting_date),
        super::sign_offs::days_waiting(app, p),
        dmy(app.today)
    );
    lines.extend(wrap(&about, width).into_iter().map(Line::raw));
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled(format!("{:<16}", "Signed off by"), theme.bold()),
        Span::raw(format!("the {}", p.decided_by)),
    ]));
    let mut word = vec![Span::styled(format!("{:<16}", "Their word"), theme.bold())];
    for o in SignOffOutcome::ALL {
        let text = match o {
            SignOffOutcome::Agree => "agree",
            SignOffOutcome::Disagree => "disagree",
        };
        if *o == state.outcome() {
            word.push(Span::styled(format!("[{text}]"), theme.highlight()));
        } else {
            word.push(Span::raw(format!(" {text} ")));
        }
        word.push(Span::raw(" "));
    }
    lines.push(Line::from(word));
    let used = lines.len() as u16;
    let [top, field, _] = Layout::vertical([
        Constraint::Length(used),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(lines), top);
    let [label, input] =
        Layout::horizontal([Constraint::Length(16), Constraint::Fill(1)]).areas(field);
    frame.render_widget(Paragraph::new("Note").style(theme.bold()), label);
    state
        .note
        .draw(frame, input, keys_reach_editor(app), theme.highlight());
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    let state = &mut app.screens.sign_off_form;
    if state.note.handle(&msg) {
        return super::Outcome::done();
    }
    match msg {
        Msg::Up | Msg::Down => {
            let now = state.outcome();
            state.outcome = Some(super::cycle(SignOffOutcome::ALL, &now, msg == Msg::Down));
            super::Outcome::done()
        }
        Msg::Save => {
            let Some(p) = &state.pending else {
                return super::Outcome::done();
            };
            let note = state.note.text().trim();
            super::Outcome::Handled(vec![Effect::SignOff {
                decision: p.decision,
                by: p.decided_by.clone(),
                outcome: state.outcome(),
                note: (!note.is_empty()).then(|| note.to_owned()),
            }])
        }
        other => super::Outcome::Unhandled(other),
    }
}
