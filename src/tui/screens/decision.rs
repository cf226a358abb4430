//! Decision: the panel's decision on the child being heard, with its
//! outcome from the item type's list (issue 23), saved on Enter. The item's
//! type (as the agenda lists it) is named at the top; a deferral asks for
//! the meeting it goes to and why, a referral elsewhere where and why, and
//! an item that commits money the amount, how often and what is paid. The
//! outcome is checked where it is stored (`ItemType::check_outcome`, the
//! one check), whose refusal is said on screen; nothing is saved then.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::model::{
    ChildId, Direction, FinancialCommitment, Outcome, OutcomeRecord, PaymentPeriod,
    Pence,
};
use crate::rules::dates::dmy;
use crate::store::DecisionOutcome;
use crate::terms::ItemType;
use crate::tui::app::App;
use crate::tui::app::{Effect, Msg, NoticeKind};
use crate::tui::drafts::ChildDrafts;
use crate::tui::editor::EditOp;
use crate::tui::mouse::HitMap;
use crate::tui::prompt::Prompt;
use crate::tui::view::{Theme, fit, keys_reach_editor, wrap};

/// A field of the decision form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Field {
    Outcome,
    /// The decision's text (where typing goes first, as before outcomes).
    #[default]
    Text,
    DeferredTo,
    Reason,
    ReferredTo,
    Amount,
    Period,
    Allowance,
}

impl Field {
    /// The field's words on screen (and in what is said of it).
    pub fn label(self) -> &'static str {
        match self {
            Field::Outcome => "Outcome",
            Field::Text => "Decision",
            Field::DeferredTo => "Deferred to",
            Field::Reason => "Reason",
            Field::ReferredTo => "Referred to",
            Field::Amount => "Amount",
            Field::Period => "Paid",
            Field::Allowance => "Allowance",
        }
    }
}

/// What goes with a decision's text, being chosen and typed for one child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeDraft {
    pub focus: Field,
    pub outcome: Outcome,
    /// The later meeting a deferral goes to, by its date.
    pub deferred_to: Option<NaiveDate>,
    pub reason: Prompt,
    pub referred_to: Prompt,
    pub amount: Prompt,
    pub period: PaymentPeriod,
    pub allowance: Prompt,
}

impl OutcomeDraft {
    /// The draft of what is saved (`saved`), or with nothing saved the
    /// type's first outcome, a deferral to the next meeting (`next`).
    pub fn from_saved(
        item: &ItemType,
        saved: Option<&DecisionOutcome>,
        next: Option<NaiveDate>,
    ) -> OutcomeDraft {
        let saved = saved.filter(|o| o.item_type == item.id);
        let outcome = saved
            .and_then(|o| o.outcome)
            .filter(|o| item.outcomes.contains(o))
            .or_else(|| item.outcomes.first().copied())
            .unwrap_or(Outcome::Noted);
        let text = |t: Option<&String>| Prompt::one_line(t.map_or("", String::as_str));
        let money = saved.and_then(|o| o.commitment.as_ref());
        OutcomeDraft {
            focus: Field::Text,
            outcome,
            deferred_to: saved.and_then(|o| o.deferred_to).or(next),
            reason: text(saved.and_then(|o| o.reason.as_ref())),
            referred_to: text(saved.and_then(|o| o.referred_to.as_ref())),
            amount: Prompt::one_line(
                &money
                    .map(|m| m.amount.to_string().replace('£', ""))
                    .unwrap_or_default(),
            ),
            period: money.map_or(PaymentPeriod::Weekly, |m| m.period),
            allowance: text(money.map(|m| &m.allowance)),
        }
    }

    /// The fields the form shows for this outcome on an item of `item`'s
    /// type, in order.
    pub fn fields(&self, item: &ItemType) -> Vec<Field> {
        let mut fields = vec![Field::Outcome, Field::Text];
        match self.outcome {
            Outcome::Deferred => fields.extend([Field::DeferredTo, Field::Reason]),
            Outcome::ReferredElsewhere => fields.extend([Field::ReferredTo, Field::Reason]),
            o if item.financial && o.direction() == Direction::Positive => {
                fields.extend([Field::Amount, Field::Period, Field::Allowance]);
            }
            _ => {}
        }
        fields
    }

    /// What the form holds that a save would record: compared with the
    /// draft of what is saved to tell whether anything is unsaved.
    fn values(&self, item: &ItemType) -> Vec<String> {
        let fields = self.fields(item);
        fields
            .iter()
            .filter(|f| **f != Field::Text)
            .map(|f| match f {
                Field::Outcome => self.outcome.id().to_owned(),
                Field::DeferredTo => self.deferred_to.map(dmy).unwrap_or_default(),
                Field::Period => self.period.id().to_owned(),
                other => self
                    .prompt(*other)
                    .map(|p| p.text().trim().to_owned())
                    .unwrap_or_default(),
            })
            .collect()
    }

    fn prompt(&self, field: Field) -> Option<&Prompt> {
        match field {
            Field::Reason => Some(&self.reason),
            Field::ReferredTo => Some(&self.referred_to),
            Field::Amount => Some(&self.amount),
            Field::Allowance => Some(&self.allowance),
            _ => None,
        }
    }

    fn prompt_mut(&mut self, field: Field) -> Option<&mut Prompt> {
        match field {
            Field::Reason => Some(&mut self.reason),
            Field::ReferredTo => Some(&mut self.referred_to),
            Field::Amount => Some(&mut self.amount),
            Field::Allowance => Some(&mut self.allowance),
            _ => None,
        }
    }

    /// The outcome to record, from what is chosen and typed: the fields
    /// the outcome does not show are left out. An amount that is not money,
    /// or money with nothing said of what is paid, is named by its field.
    pub fn record(&self, item: &ItemType) -> Result<OutcomeRecord, String> {
        let fields = self.fields(item);
        let typed = |field: Field| {
            fields
                .contains(&field)
                .then(|| self.prompt(field).map(|p| p.text().trim().to_owned()))
                .flatten()
                .filter(|t| !t.is_empty())
        };
        let commitment = match typed(Field::Amount) {
            None => None,
            Some(amount) => {
                let amount =
                    Pence::parse(&amount).map_err(|e| format!("{}: {e}", Field::Amount.label()))?;
                let Some(allowance) = typed(Field::Allowance) else {
                    return Err(format!(
                        "{}: say what is paid, e.g. \"Special Guardianship allowance\"",
                        Field::Allowance.label()
                    ));
                };
                Some(FinancialCommitment {
                    allowance,
                    amount,
                    period: self.period,
                })
            }
        };
        if commitment.is_none() && typed(Field::Allowance).is_some() {
            return Err(format!(
                "{}: give the amount paid, or clear the allowance",
                Field::Amount.label()
            ));
        }
        Ok(OutcomeRecord {
            item_type: item.id.clone(),
            outcome: self.outcome,
            deferred_to: fields
                .contains(&Field::DeferredTo)
                .then_some(self.deferred_to)
                .flatten(),
            referred_to: typed(Field::ReferredTo),
            reason: typed(Field::Reason),
            commitment,
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct State {
    /// Decisions being typed, per child (kept when the chair steps away).
    pub drafts: ChildDrafts,
    /// The outcome chosen and what goes with it, per child.
    pub outcomes: BTreeMap<ChildId, OutcomeDraft>,
}

impl super::ScreenState for State {
    fn is_dirty(&self, app: &App) -> bool {
        self.drafts.any_unsaved(|child| app.saved_decision(child))
            || self
                .outcomes
                .iter()
                .any(|(child, draft)| outcome_unsaved(app, child, draft))
    }
}

/// Whether `draft` holds an outcome other than the one saved for `child`
/// (nothing saved: other than the form first offers).
fn outcome_unsaved(app: &App, child: &str, draft: &OutcomeDraft) -> bool {
    let Ok(item) = app.item_type_of(child) else {
        return false;
    };
    let saved = OutcomeDraft::from_saved(item, app.saved_outcome(child), next_meeting(app));
    draft.values(item) != saved.values(item)
}

/// Whether `child`'s decision form holds text or an outcome not saved.
pub fn unsaved(app: &App, child: &str) -> bool {
    let state = &app.screens.decision;
    state
        .drafts
        .get(child)
        .is_some_and(|d| d.text().trim() != app.saved_decision(child).trim())
        || state
            .outcomes
            .get(child)
            .is_some_and(|d| outcome_unsaved(app, child, d))
}

/// Forgets `child`'s outcome draft when it holds only what is saved (an
/// undo changed what is saved: it would save the old outcome again).
pub fn forget_outcome_if_saved(app: &mut App, child: &str) {
    if let Some(draft) = app.screens.decision.outcomes.get(child)
        && !outcome_unsaved(app, child, draft)
    {
        app.screens.decision.outcomes.remove(child);
    }
}

/// The meetings a deferral can go to: those planned after this one.
pub fn later_meetings(app: &App) -> Vec<NaiveDate> {
    app.data.later_meetings.clone()
}

fn next_meeting(app: &App) -> Option<NaiveDate> {
    later_meetings(app).first().copied().or(app.data.next_panel)
}

/// Opening the decision: amending starts from the saved text and outcome;
/// a draft in progress is kept.
pub fn open(app: &mut App, child: ChildId) {
    let saved = app.saved_decision(&child).to_owned();
    app.screens.decision.drafts.open(child.clone(), &saved);
    if !app.screens.decision.outcomes.contains_key(&child)
        && let Ok(item) = app.item_type_of(&child)
    {
        let draft = OutcomeDraft::from_saved(item, app.saved_outcome(&child), next_meeting(app));
        app.screens.decision.outcomes.insert(child, draft);
    }
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    let Some(child) = app.current_item().map(|i| i.child.clone()) else {
        return super::Outcome::Unhandled(msg);
    };
    let item = match app.item_type_of(&child) {
        Ok(item) => item.clone(),
        Err(why) => {
            // The terms no longer name the agenda's type: say so, keep typing.
            if matches!(msg, Msg::Save) {
                app.notify(NoticeKind::Error, format!("Not saved: {why}"));
                return super::Outcome::done();
            }
            return text_only(app, &child, msg);
        }
    };
    let later = later_meetings(app);
    let state = &mut app.screens.decision;
    let Some(draft) = state.outcomes.get_mut(&child) else {
        return text_only(app, &child, msg);
    };
    let fields = draft.fields(&item);
    if !fields.contains(&draft.focus) {
        draft.focus = Field::Text;
    }
    let at = fields.iter().position(|f| *f == draft.focus).unwrap_or(1);
    match msg {
        Msg::NextField => draft.focus = fields[(at + 1) % fields.len()],
        Msg::PreviousField => draft.focus = fields[(at + fields.len() - 1) % fields.len()],
        Msg::Up | Msg::Down => {
            let down = msg == Msg::Down;
            match draft.focus {
                Field::DeferredTo => {
                    if let Some(day) = draft.deferred_to {
                        draft.deferred_to = Some(super::cycle(&later, &day, down));
                    } else {
                        draft.deferred_to = later.first().copied();
                    }
                }
                Field::Period => {
                    draft.period = super::cycle(PaymentPeriod::ALL, &draft.period, down);
                }
                // Elsewhere ↑↓ choose the outcome, wherever the typing is.
                _ => draft.outcome = super::cycle(&item.outcomes, &draft.outcome, down),
            }
        }
        Msg::Edit(EditOp::Insert(c)) if draft.focus == Field::Outcome => {
            choose_by_letter(draft, &item, c);
        }
        Msg::Save => return super::Outcome::Handled(save(app, child, &item)),
        other => {
            let focus = draft.focus;
            let taken = match draft.prompt_mut(focus) {
                Some(prompt) => prompt.handle(&other),
                None if focus == Field::Text => state.drafts.handle(&child, &other),
                // A chooser takes no typing or paste.
                None => false,
            };
            if !taken {
                return super::Outcome::Unhandled(other);
            }
        }
    }
    super::Outcome::done()
}

/// The outcome after `current` whose words start with `letter` (round the
/// list), so `n` goes from "not endorsed" to "noted" and back.
fn choose_by_letter(draft: &mut OutcomeDraft, item: &ItemType, letter: char) {
    let letter = letter.to_ascii_lowercase();
    let matching: Vec<Outcome> = item
        .outcomes
        .iter()
        .copied()
        .filter(|o| o.words().starts_with(letter))
        .collect();
    if !matching.is_empty() {
        draft.outcome = super::cycle(&matching, &draft.outcome, true);
    }
}

/// The text alone (no outcome draft): typing and Enter as before.
fn text_only(app: &mut App, child: &str, msg: Msg) -> super::Outcome {
    if app.screens.decision.drafts.handle(child, &msg) {
        return super::Outcome::done();
    }
    super::Outcome::Unhandled(msg)
}

fn save(app: &mut App, child: ChildId, item: &ItemType) -> Vec<Effect> {
    let Some(meeting) = app.meeting_id() else {
        return Vec::new();
    };
    let text = app.screens.decision.drafts.to_save(&child);
    if text.is_empty() {
        app.notify(
            NoticeKind::Error,
            "Decision: type the panel's decision, then press Enter.",
        );
        return Vec::new();
    }
    let Some(draft) = app.screens.decision.outcomes.get(&child) else {
        return Vec::new();
    };
    if draft.outcome == Outcome::Deferred && draft.deferred_to.is_none() {
        app.notify(
            NoticeKind::Error,
            "Deferred to: no later meeting is planned; plan it first (Y), then choose it.",
        );
        return Vec::new();
    }
    let outcome = match draft.record(item) {
        Ok(outcome) => outcome,
        Err(why) => {
            app.notify(NoticeKind::Error, format!("Not saved. {why}"));
            return Vec::new();
        }
    };
    // The quorum at the moment of the decision is worked out where it is
    // stored, and comes back with the write's outcome (`Stored::Decision`);
    // the outcome is checked there too, against its item type.
    vec![Effect::RecordDecision {
        meeting,
        child,
        text,
        outcome,
    }]
}

/// "Endorsed", "Not recommended": an outcome at the start of a sentence.
pub fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect, theme: &Theme, _hits: &mut HitMap) {
    let Some(item) = app.current_item() else {
        return;
    };
    let child = &item.child;
    let width = usize::from(area.width);
    let item_type = app.item_type_of(child);
    let draft = app.screens.decision.outcomes.get(child);
    let fields = match (&item_type, draft) {
        (Ok(t), Some(d)) => d.fields(t),
        _ => vec![Field::Text],
    };
    let extra = fields.iter().filter(|f| **f != Field::Text).count() as u16;
    let [intro, field, rest, below] = Layout::vertical([
        Constraint::Length(2),
        // Four lines of text: a decision is often a few sentences.
        Constraint::Length(6),
        Constraint::Length(extra.saturating_sub(1)),
        Constraint::Min(0),
    ])
    .areas(area);
    // The kind of item in full where it fits, before the words around it.
    let title = match &item_type {
        Ok(t) => {
            let full = format!("Decision on {}: {}", app.child_label(child), t.title);
            if full.chars().count() <= width {
                full
            } else {
                format!("{}: {}", app.child_label(child), t.title)
            }
        }
        Err(_) => format!("Decision on {}", app.child_label(child)),
    };
    let mut top = vec![Line::styled(fit(&title, width), theme.bold())];
    match (&item_type, draft) {
        (Ok(t), Some(d)) => top.push(outcome_line(app, d, t, theme, width)),
        (Err(why), _) => top.push(Line::styled(fit(why, width), theme.warn())),
        _ => {}
    }
    frame.render_widget(Paragraph::new(top), intro);
    let focused = keys_reach_editor(app);
    let text_focus = draft.is_none_or(|d| d.focus == Field::Text);
    let block = Block::bordered().title(if text_focus {
        " Type the panel's decision here (Tab: next field) "
    } else {
        " Decision "
    });
    let inner = block.inner(field);
    frame.render_widget(block, field);
    if let Some(text) = app.screens.decision.drafts.get(child) {
        text.draw(
            frame,
            inner,
            focused && text_focus,
            ratatui::style::Style::new(),
        );
    }
    if let Some(d) = draft {
        let rows: Vec<Field> = fields
            .iter()
            .copied()
            .filter(|f| !matches!(f, Field::Outcome | Field::Text))
            .collect();
        let areas = Layout::vertical(vec![Constraint::Length(1); rows.len()]).split(rest);
        for (f, row) in rows.iter().zip(areas.iter()) {
            draw_field(app, frame, *row, d, *f, theme);
        }
    }
    let mut lines: Vec<Line> = Vec::new();
    if let Some(q) = app.quorum().filter(|q| !q.quorate) {
        // Set apart from the fields above it.
        if extra > 1 {
            lines.push(Line::raw(""));
        }
        let text = format!(
            "Warning: the meeting is not quorate ({}). A decision saved now is flagged as made while not quorate.",
            q.missing().join("; ")
        );
        for l in wrap(&text, width) {
            lines.push(Line::styled(l, theme.warn()));
        }
    }
    if let Some(saved) = app.data.decision_for(child) {
        lines.push(Line::raw(""));
        for l in saved_lines(app, saved) {
            for w in wrap(&l, width) {
                lines.push(Line::raw(w));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), below);
}

/// The saved decision as the form says it: "Endorsed at 10:42: TEXT", then
/// what goes with the outcome ("Recommended, awaiting sign-off by the
/// Agency Decision Maker"), the money and any dissent.
pub fn saved_lines(app: &App, saved: &crate::model::Decision) -> Vec<String> {
    let flag = if saved.quorate {
        ""
    } else {
        ", flagged: not quorate"
    };
    let at = saved.recorded_at.format("%H:%M");
    let held = app
        .data
        .decision_outcomes
        .get(&saved.id)
        .filter(|o| o.outcome.is_some());
    let Some(held) = held else {
        return vec![format!("Saved at {at}{flag}: {}", saved.text)];
    };
    let outcome = held.outcome.map_or("", |o| o.words());
    let mut lines = vec![format!(
        "{} at {at}{flag}: {}",
        capitalised(outcome),
        saved.text
    )];
    let words = crate::export::minutes::outcome_words(Some(held), false);
    if words != outcome {
        lines.push(capitalised(&words));
    }
    if let Some(money) = &held.commitment {
        lines.push(format!("Money committed: {}", money.words()));
    }
    for d in &held.dissents {
        lines.push(format!("Dissent, {}: {}", d.member_title, d.view));
    }
    lines
}

/// The outcome's line: its label, then the type's outcomes with the
/// chosen one highlighted (the longest list fits at 80 columns).
fn outcome_line(
    app: &App,
    draft: &OutcomeDraft,
    item: &ItemType,
    theme: &Theme,
    width: usize,
) -> Line<'static> {
    let field = Field::Outcome;
    let focused = draft.focus == field && keys_reach_editor(app);
    let label_style = if focused {
        theme.highlight()
    } else {
        theme.bold()
    };
    let mut spans = vec![Span::styled(format!("{:<12}", field.label()), label_style)];
    let mut used = 12;
    for o in &item.outcomes {
        let words = o.words();
        let shown = if *o == draft.outcome {
            format!("[{words}]")
        } else {
            format!(" {words} ")
        };
        used += shown.chars().count() + 1;
        if used > width && *o != draft.outcome {
            continue;
        }
        let style = if *o == draft.outcome {
            theme.highlight()
        } else {
            ratatui::style::Style::new()
        };
        spans.push(Span::styled(shown, style));
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}

/// A field below the decision's text: a chooser (the meeting, how often)
/// or a line typed.
fn draw_field(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    draft: &OutcomeDraft,
    field: Field,
    theme: &Theme,
) {
    let focused = draft.focus == field && keys_reach_editor(app);
    let [label, input] =
        Layout::horizontal([Constraint::Length(12), Constraint::Fill(1)]).areas(area);
    let label_style = if focused {
        theme.highlight()
    } else {
        theme.bold()
    };
    frame.render_widget(
        Paragraph::new(field.label()).style(label_style),
        label,
    );
    let chosen = |text: String| {
        let shown = if focused {
            format!("◀ {text} ▶  (↑↓ to change)")
        } else {
            text
        };
        Paragraph::new(fit(&shown, usize::from(input.width)))
    };
    match field {
        Field::DeferredTo => {
            let text = match draft.deferred_to {
                Some(day) => format!("the meeting of {}", dmy(day)),
                None => "no later meeting is planned (Y plans one)".to_owned(),
            };
            frame.render_widget(chosen(text), input);
        }
        Field::Period => {
            frame.render_widget(chosen(draft.period.words().to_owned()), input);
        }
        other => {
            if let Some(prompt) = draft.prompt(other) {
                let hint = match other {
                    Field::Amount if prompt.text().is_empty() && !focused => {
                        Some("£ (none: no money committed)")
                    }
                    _ => None,
                };
                match hint {
                    Some(hint) => frame.render_widget(
                        Paragraph::new(hint).style(theme.dim()),
                        input,
                    ),
                    None => prompt.draw(frame, input, focused, theme.highlight()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Knowsley's SGO or CAO support plan: recommended, decided by the
    /// Head of Service, with money.
    fn sgo() -> ItemType {
        crate::terms::Terms::load("knowsley")
            .expect("preset")
            .item_type("sgo-cao-support-plan")
            .expect("the type")
            .clone()
    }

    #[test]
    fn the_form_asks_only_for_what_the_outcome_needs() {
        let item = sgo();
        let mut draft = OutcomeDraft::from_saved(&item, None, None);
        assert_eq!(draft.outcome, Outcome::Recommended, "the type's first");
        assert_eq!(
            draft.fields(&item),
            [
                Field::Outcome,
                Field::Text,
                Field::Amount,
                Field::Period,
                Field::Allowance
            ]
        );
        draft.outcome = Outcome::NotRecommended;
        assert_eq!(draft.fields(&item), [Field::Outcome, Field::Text]);
        draft.outcome = Outcome::Deferred;
        assert_eq!(
            draft.fields(&item),
            [Field::Outcome, Field::Text, Field::DeferredTo, Field::Reason]
        );
        let tracking = ItemType::default_tracking();
        let mut draft = OutcomeDraft::from_saved(&tracking, None, None);
        assert_eq!(draft.fields(&tracking), [Field::Outcome, Field::Text]);
        choose_by_letter(&mut draft, &tracking, 'n');
        assert_eq!(draft.outcome, Outcome::NotEndorsed);
        choose_by_letter(&mut draft, &tracking, 'N');
        assert_eq!(draft.outcome, Outcome::Noted);
        choose_by_letter(&mut draft, &tracking, 'z');
        assert_eq!(draft.outcome, Outcome::Noted, "no outcome starts with z");
    }

    #[test]
    fn money_is_read_by_the_one_parser_and_named_by_its_field() {
        let item = sgo();
        let mut draft = OutcomeDraft::from_saved(&item, None, None);
        draft.amount = Prompt::one_line("twelve");
        let err = draft.record(&item).unwrap_err();
        assert!(
            err.starts_with("Amount: 'twelve' is not an amount of money"),
            "{err}"
        );
        draft.amount = Prompt::one_line("£245.50");
        let err = draft.record(&item).unwrap_err();
        assert!(err.starts_with("Allowance: say what is paid"), "{err}");
        draft.allowance = Prompt::one_line(" Special Guardianship allowance ");
        let record = draft.record(&item).expect("a record");
        let money = record.commitment.expect("money");
        assert_eq!(money.amount, Pence(24_550));
        assert_eq!(money.allowance, "Special Guardianship allowance");
        // Not recommended: the money typed is not part of what is recorded.
        draft.outcome = Outcome::NotRecommended;
        assert_eq!(draft.record(&item).expect("a record").commitment, None);
        // A deferral's reason and meeting, and nothing else.
        draft.outcome = Outcome::Deferred;
        draft.deferred_to = NaiveDate::from_ymd_opt(2027, 2, 26);
        draft.reason = Prompt::one_line("  ");
        let record = draft.record(&item).expect("a record");
        assert_eq!(record.reason, None, "a blank reason is none: the check says so");
        assert_eq!(record.deferred_to, NaiveDate::from_ymd_opt(2027, 2, 26));
        assert_eq!(record.commitment, None);
    }
}
