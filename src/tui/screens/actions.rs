//! Actions: a form for a new action on the child being heard, and the
//! child's actions so far.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::tui::view::{Theme, draw_editor, fit, keys_reach_editor};
use crate::rules::dates::dmy;
use crate::tui::mouse::HitMap;
use crate::model::{ChildId, Id};
use crate::store::NewAction;
use crate::tui::app::{App, Effect, Msg, NoticeKind, Screen};
use crate::tui::editor::{EditOp, LineEditor, Lines};
use crate::tui::update::parse_deadline;
use std::collections::BTreeMap;

/// The fields of the action form, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ActionField {
    #[default]
    Text,
    Owner,
    Deadline,
}

impl ActionField {
    pub const ALL: [ActionField; 3] =
        [ActionField::Text, ActionField::Owner, ActionField::Deadline];

    pub fn label(self) -> &'static str {
        match self {
            ActionField::Text => "Action",
            ActionField::Owner => "Owner",
            ActionField::Deadline => "Deadline",
        }
    }
}

/// A new action being typed for one child.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionForm {
    pub text: LineEditor,
    pub owner: LineEditor,
    pub deadline: LineEditor,
    pub field: ActionField,
    /// Which of the owner choices for `owner_typed` is picked (↑↓), if
    /// any; typing replaces a pick rather than adding to it.
    pub picked: Option<usize>,
    /// What was typed in the owner field before any pick: the choices
    /// offered are those matching it.
    pub owner_typed: String,
}

impl ActionForm {
    pub fn editor(&self, field: ActionField) -> &LineEditor {
        match field {
            ActionField::Text => &self.text,
            ActionField::Owner => &self.owner,
            ActionField::Deadline => &self.deadline,
        }
    }

    pub fn focused_mut(&mut self) -> &mut LineEditor {
        match self.field {
            ActionField::Text => &mut self.text,
            ActionField::Owner => &mut self.owner,
            ActionField::Deadline => &mut self.deadline,
        }
    }

    pub fn is_dirty(&self) -> bool {
        !(self.text.is_empty() && self.owner.is_empty() && self.deadline.is_empty())
    }
}


pub fn draw(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    hits: &mut HitMap,
) {
    // A correction shows the corrected action's child; a new action, the
    // child being heard.
    let corrected = app
        .screens
        .actions
        .correcting
        .as_ref()
        .and_then(|(id, _)| app.data.all_actions.iter().find(|a| a.id == *id));
    let Some(child) = corrected
        .map(|a| a.child.clone())
        .or_else(|| app.current_item().map(|i| i.child.clone()))
    else {
        return;
    };
    let form = app.action_form();
    let [intro, fields, advice_row, list] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(3),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(
                match corrected {
                    Some(a) => format!("Correct action {} for {}", a.id, app.child_label(&child)),
                    None => format!("New action for {}", app.child_label(&child)),
                },
                theme.bold(),
            ),
            Line::raw(if corrected.is_some() {
                "Tab moves between fields; Enter saves the correction (the old wording is kept)."
            } else {
                "Tab moves between fields; Enter saves."
            }),
        ]),
        intro,
    );
    const LABEL: u16 = 11;
    const HINT: u16 = 24;
    for (row, field) in ActionField::ALL.iter().enumerate() {
        let y = fields.y + row as u16;
        crate::tui::view::record_row(hits, fields, row, 1, row);
        let line = Rect::new(fields.x, y, fields.width, 1);
        // The field keeps a readable width on a wide window; the hint follows it.
        let [label, input, hint] = Layout::horizontal([
            Constraint::Length(LABEL),
            Constraint::Max(64),
            Constraint::Min(HINT),
        ])
        .areas(line);
        let focused = form.is_some_and(|f| f.field == *field);
        let marker = if focused { "▶" } else { " " };
        frame.render_widget(
            Paragraph::new(format!("{marker} {}", field.label())).style(theme.bold()),
            label,
        );
        let style = if focused {
            theme.highlight()
        } else {
            Style::new().add_modifier(ratatui::style::Modifier::UNDERLINED)
        };
        let empty = crate::tui::editor::LineEditor::new();
        let editor = form.map_or(&empty, |f| f.editor(*field));
        let cursor_here = focused && keys_reach_editor(app);
        draw_editor(frame, input, editor, cursor_here, style);
        let hint_text = match field {
            ActionField::Text => String::new(),
            ActionField::Owner => {
                form.map_or_else(|| " ↑↓ picks a member".to_owned(), |f| owner_hint(app, f))
            }
            ActionField::Deadline => deadline_hint(app, editor.text()),
        };
        frame.render_widget(Paragraph::new(hint_text).style(theme.dim()), hint);
    }
    // A deadline on a closed day: said as it is typed, with the key that
    // moves it, so saving never has to stop and ask.
    if let Some(advice) = form.and_then(|f| closed_day_advice(app, f.deadline.text())) {
        let indented = format!("{:w$}{}", "", advice.text, w = usize::from(LABEL));
        frame.render_widget(
            Paragraph::new(fit(&indented, usize::from(advice_row.width))).style(theme.warn()),
            advice_row,
        );
    }
    let actions = app.data.actions_for(&child);
    let mut lines: Vec<Line> = vec![Line::styled(
        format!(
            "Actions for {} ({})",
            app.child_label(&child),
            actions.len()
        ),
        theme.bold(),
    )];
    if actions.is_empty() {
        lines.push(Line::raw("  none yet"));
    }
    // Two lines each, so a long job title as owner is never cut.
    let width = usize::from(area.width);
    for a in actions {
        lines.push(Line::raw(fit(
            &format!("  {}  {:<7} {}", dmy(a.deadline), a.status.id(), a.text),
            width,
        )));
        lines.push(Line::raw(fit(
            &format!("{:22}owner: {}", "", a.owner),
            width,
        )));
    }
    frame.render_widget(Paragraph::new(lines), list);
}

/// What ↑↓ offers in the owner field: how many owners match what is
/// typed, which one is picked, or that it is saved as typed.
fn owner_hint(app: &App, form: &crate::tui::app::ActionForm) -> String {
    if form.owner_typed.trim().is_empty() && form.picked.is_none() {
        return " ↑↓ picks a member".to_owned();
    }
    let n = app.owner_choices(&form.owner_typed).len();
    match (form.picked, n) {
        (Some(i), _) => format!(" ↑↓ {} of {n} owners", i + 1),
        (None, 0) => " no match: saved as typed".to_owned(),
        (None, 1) => " ↓ 1 owner matches".to_owned(),
        (None, n) => format!(" ↑↓ {n} owners match"),
    }
}

/// The deadline as it will be saved, shown while it is typed: the date it
/// resolves to, or the forms, or why it cannot be saved.
fn deadline_hint(app: &App, typed: &str) -> String {
    if typed.trim().is_empty() {
        return " 31/12, +2w, next fri ...".to_owned();
    }
    match crate::rules::deadline::parse(typed, app.action_form_day(), app.data.next_panel) {
        Ok(day) => format!(" = {}", day.format("%a %d/%m/%Y")),
        Err(_) => " ? not a date yet".to_owned(),
    }
}

/// What the form says when the deadline typed falls on a closed day.
fn closed_day_advice(app: &App, typed: &str) -> Option<crate::tui::closed_day::ClosedDay> {
    let meeting_day = app.action_form_day();
    let day = crate::rules::deadline::parse(typed, meeting_day, app.data.next_panel).ok()?;
    crate::tui::closed_day::advice(day, meeting_day, &crate::tui::closed_day::calendar())
}

#[derive(Debug, Clone, Default)]
pub struct State {
    /// Actions being typed, per child.
    pub forms: BTreeMap<ChildId, ActionForm>,
    /// A saved action being corrected (`e` on the action list or the
    /// matters arising): its id and the form, filled with it as saved.
    pub correcting: Option<(Id, ActionForm)>,
}

impl super::ScreenState for State {
    fn is_dirty(&self, _app: &App) -> bool {
        self.forms.values().any(ActionForm::is_dirty) || self.correcting.is_some()
    }
}

/// Opening the form on the child being heard keeps what was typed there.
pub fn open(app: &mut App, child: ChildId) {
    app.screens.actions.forms.entry(child).or_default();
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    match msg {
        Msg::Up | Msg::Down => pick_owner(app, msg == Msg::Down),
        Msg::NextField | Msg::PreviousField => {
            if let Some(form) = app.action_form_mut() {
                form.field = super::cycle(&ActionField::ALL, &form.field, msg == Msg::NextField);
            }
        }
        Msg::Select(row) => {
            if let (Some(form), Some(field)) = (app.action_form_mut(), ActionField::ALL.get(row)) {
                form.field = *field;
            }
        }
        Msg::Edit(op) => {
            if let Some(form) = app.action_form_mut() {
                edit(form, op);
            }
        }
        Msg::Paste(text) => {
            let Some(form) = app.action_form_mut() else {
                return super::Outcome::Unhandled(Msg::Paste(text));
            };
            if form.field == ActionField::Owner && form.picked.take().is_some() {
                form.owner.clear();
            }
            form.focused_mut().paste(&text, Lines::One);
            if form.field == ActionField::Owner {
                form.owner_typed = form.owner.text().to_owned();
            }
        }
        Msg::Save => return super::Outcome::Handled(save(app)),
        Msg::MoveDeadlineOffClosedDay => move_deadline_off_closed_day(app),
        other => return super::Outcome::Unhandled(other),
    }
    super::Outcome::done()
}

/// Alt+W on the action form: the deadline typed on a closed day becomes
/// the working day the form offers.
fn move_deadline_off_closed_day(app: &mut App) {
    let meeting_day = app.action_form_day();
    let next_panel = app.data.next_panel;
    let Some(form) = app.action_form_mut() else {
        return;
    };
    let advice = parse_deadline(form.deadline.text(), meeting_day, next_panel)
        .ok()
        .and_then(|day| {
            crate::tui::closed_day::advice(day, meeting_day, &crate::tui::closed_day::calendar())
                .map(|a| (day, a))
        });
    match advice {
        Some((day, advice)) => {
            form.deadline.set(&dmy(advice.instead));
            let text = format!(
                "Deadline moved from {} ({}) to {}.",
                dmy(day),
                advice.why,
                dmy(advice.instead)
            );
            app.notify(NoticeKind::Info, text);
        }
        None => app.notify(
            NoticeKind::Info,
            "The deadline is not on a weekend or bank holiday: nothing to move.",
        ),
    }
}

/// ↑↓ in the action form: the next (or previous) owner among those
/// matching what was typed in the owner field (see `App::owner_choices`).
fn pick_owner(app: &mut App, down: bool) {
    let typed = match app.action_form() {
        Some(form) => form.owner_typed.clone(),
        None => return,
    };
    let choices = app.owner_choices(&typed);
    if choices.is_empty() {
        app.notify(
            NoticeKind::Info,
            format!("Owner: no member or standing owner matches '{typed}'; it is saved as typed."),
        );
        return;
    }
    let Some(form) = app.action_form_mut() else {
        return;
    };
    let last = choices.len() - 1;
    let index = match (form.picked, down) {
        (None, true) => 0,
        (None, false) => last,
        (Some(i), true) => (i + 1).min(last),
        (Some(i), false) => i.saturating_sub(1),
    };
    form.picked = Some(index);
    form.owner.set(&choices[index]);
    form.field = ActionField::Owner;
}

/// Typing in the action form. In the owner field a picked owner is
/// replaced by what is typed next, not added to, and what is typed is
/// kept to choose the owners offered.
fn edit(form: &mut ActionForm, op: EditOp) {
    if form.field == ActionField::Owner {
        if form.picked.take().is_some() && matches!(op, EditOp::Insert(_)) {
            form.owner.clear();
        }
        form.owner.apply(op);
        form.owner_typed = form.owner.text().to_owned();
    } else {
        form.focused_mut().apply(op);
    }
}

/// `e` on the action list or the matters arising: the highlighted action
/// in the action form, to correct it.
pub fn open_correction(app: &mut App) {
    let Some(action) = crate::tui::matters::highlighted_action(app).cloned() else {
        app.notify(NoticeKind::Info, "No action highlighted to correct.");
        return;
    };
    let form = ActionForm {
        text: LineEditor::with_text(&action.text),
        owner: LineEditor::with_text(&action.owner),
        deadline: LineEditor::with_text(&dmy(action.deadline)),
        ..Default::default()
    };
    app.screens.actions.correcting = Some((action.id, form));
    app.go(Screen::Actions);
}

/// The action as typed, checked: its text, its owner and a deadline after
/// the meeting it is set at; or the field to correct and why.
fn check(
    form: &ActionForm,
    meeting_day: chrono::NaiveDate,
    next_panel: Option<chrono::NaiveDate>,
    no_owner: &str,
) -> Result<(String, String, chrono::NaiveDate), (ActionField, String)> {
    let text = form.text.text().trim().to_owned();
    let owner = form.owner.text().trim().to_owned();
    if text.is_empty() {
        return Err((
            ActionField::Text,
            "Action: type what is to be done.".to_owned(),
        ));
    }
    if owner.is_empty() {
        return Err((ActionField::Owner, no_owner.to_owned()));
    }
    let deadline = parse_deadline(form.deadline.text(), meeting_day, next_panel)
        .map_err(|e| (ActionField::Deadline, e))?;
    Ok((text, owner, deadline))
}

/// Enter: the new action, or the correction, if it checks; if not, nothing
/// is saved and the cursor goes to the field to correct.
fn save(app: &mut App) -> Vec<Effect> {
    let next_panel = app.data.next_panel;
    // Deadlines count from the meeting, not from the day they are typed
    // (a correction's from the meeting it was set at).
    let meeting_day = app.action_form_day();
    if let Some((id, form)) = app.screens.actions.correcting.as_mut() {
        let id = *id;
        return match check(form, meeting_day, next_panel, "Owner: type or pick (↑↓) an owner.") {
            Ok((text, owner, deadline)) => vec![Effect::CorrectAction {
                id,
                text,
                owner,
                deadline,
            }],
            Err((field, message)) => {
                form.field = field;
                app.notify(NoticeKind::Error, message);
                Vec::new()
            }
        };
    }
    let (Some(meeting), Some(child)) = (
        app.meeting_id(),
        app.current_item().map(|i| i.child.clone()),
    ) else {
        return Vec::new();
    };
    let Some(form) = app.screens.actions.forms.get_mut(&child) else {
        return Vec::new();
    };
    let no_owner = "Owner: pick a member with ↑↓ or type a role.";
    match check(form, meeting_day, next_panel, no_owner) {
        Ok((text, owner, deadline)) => vec![Effect::AddAction(NewAction {
            meeting,
            child,
            text,
            owner,
            deadline,
        })],
        Err((field, message)) => {
            form.field = field;
            app.notify(NoticeKind::Error, message);
            Vec::new()
        }
    }
}
