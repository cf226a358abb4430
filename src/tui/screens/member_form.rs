//! The member form: one member added or changed. Role, Kind and Deputy for
//! are chosen with ↑↓ (Role and Deputy for can be typed too).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::members::role_title;
use crate::tui::view::{Theme, draw_editor, fit, keys_reach_editor};
use crate::tui::mouse::HitMap;
use crate::model::{Id, Member, MemberKind};
use crate::tui::app::{App, Effect, Msg, NoticeKind, Screen};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use crate::tui::editor::LineEditor;

/// The fields of the member form, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MemberField {
    #[default]
    JobTitle,
    Role,
    Kind,
    DeputyFor,
    From,
    Until,
}

impl MemberField {
    pub const ALL: [MemberField; 6] = [
        MemberField::JobTitle,
        MemberField::Role,
        MemberField::Kind,
        MemberField::DeputyFor,
        MemberField::From,
        MemberField::Until,
    ];

    pub fn label(self) -> &'static str {
        match self {
            MemberField::JobTitle => "Job title",
            MemberField::Role => "Role",
            MemberField::Kind => "Kind",
            MemberField::DeputyFor => "Deputy for",
            MemberField::From => "From",
            MemberField::Until => "Until",
        }
    }
}

/// One member being added (`id` 0) or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberForm {
    pub id: Id,
    /// A name typed for the member elsewhere (the members file): the form
    /// has no field for it, and saving keeps it.
    pub name: Option<String>,
    pub job_title: LineEditor,
    pub role: LineEditor,
    pub kind: MemberKind,
    pub deputy_for: LineEditor,
    pub from: LineEditor,
    pub until: LineEditor,
    pub field: MemberField,
    /// Anything typed or chosen since the form opened.
    pub dirty: bool,
}

impl MemberForm {
    /// An empty form for a new standing member.
    pub fn new_member() -> MemberForm {
        MemberForm {
            id: 0,
            name: None,
            job_title: LineEditor::new(),
            role: LineEditor::new(),
            kind: MemberKind::Standing,
            deputy_for: LineEditor::new(),
            from: LineEditor::new(),
            until: LineEditor::new(),
            field: MemberField::JobTitle,
            dirty: false,
        }
    }

    /// The form filled with a member as stored.
    pub fn of(member: &Member) -> MemberForm {
        let date = |d: Option<NaiveDate>| d.map(crate::rules::dates::dmy).unwrap_or_default();
        MemberForm {
            id: member.id,
            name: member.name.clone(),
            job_title: LineEditor::with_text(&member.job_title),
            role: LineEditor::with_text(&member.role),
            kind: member.kind,
            deputy_for: LineEditor::with_text(member.substitute_for.as_deref().unwrap_or("")),
            from: LineEditor::with_text(&date(member.start)),
            until: LineEditor::with_text(&date(member.end)),
            field: MemberField::JobTitle,
            dirty: false,
        }
    }

    /// The text field's editor; `None` for Kind, which is only chosen.
    pub fn editor(&self, field: MemberField) -> Option<&LineEditor> {
        match field {
            MemberField::JobTitle => Some(&self.job_title),
            MemberField::Role => Some(&self.role),
            MemberField::Kind => None,
            MemberField::DeputyFor => Some(&self.deputy_for),
            MemberField::From => Some(&self.from),
            MemberField::Until => Some(&self.until),
        }
    }

    pub fn focused_mut(&mut self) -> Option<&mut LineEditor> {
        match self.field {
            MemberField::JobTitle => Some(&mut self.job_title),
            MemberField::Role => Some(&mut self.role),
            MemberField::Kind => None,
            MemberField::DeputyFor => Some(&mut self.deputy_for),
            MemberField::From => Some(&mut self.from),
            MemberField::Until => Some(&mut self.until),
        }
    }
}


pub fn draw(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let Some(form) = app.member_form() else {
        return;
    };
    let [intro, fields, _gap, notes] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(MemberField::ALL.len() as u16),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    let heading = if form.id == 0 {
        "New member".to_owned()
    } else {
        format!("Member: {}", form.job_title.text())
    };
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(fit(&heading, usize::from(area.width)), theme.bold()),
            Line::raw("Tab moves between fields; ↑↓ chooses; Enter saves; Esc keeps the draft."),
        ]),
        intro,
    );
    const LABEL: u16 = 13;
    const HINT: u16 = 32;
    for (row, field) in MemberField::ALL.iter().enumerate() {
        let line = Rect::new(fields.x, fields.y + row as u16, fields.width, 1);
        crate::tui::view::record_row(hits, fields, row, 1, row);
        let [label, input, hint, _rest] = Layout::horizontal([
            Constraint::Length(LABEL),
            Constraint::Max(64),
            Constraint::Length(HINT),
            Constraint::Fill(1),
        ])
        .areas(line);
        let focused = form.field == *field;
        let marker = if focused { "▶" } else { " " };
        frame.render_widget(
            Paragraph::new(format!("{marker} {}", field.label())).style(theme.bold()),
            label,
        );
        let style = if focused {
            theme.highlight()
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED)
        };
        let cursor_here = focused && keys_reach_editor(app);
        // Kind is only chosen, so it is drawn as its word without a cursor.
        let kind = LineEditor::with_text(form.kind.id());
        let editor = form.editor(*field).unwrap_or(&kind);
        let typed_here = cursor_here && form.editor(*field).is_some();
        draw_editor(frame, input, editor, typed_here, style);
        let hint_text = match field {
            MemberField::JobTitle => "",
            MemberField::Role => " ↑↓ preset roles, or type an id",
            MemberField::Kind => " ↑↓ standing/adviser/presenter",
            MemberField::DeputyFor => " blank, or ↑↓ a role",
            MemberField::From | MemberField::Until => " dd/mm/yyyy or blank",
        };
        frame.render_widget(Paragraph::new(hint_text).style(theme.dim()), hint);
    }
    // What the role ids stand for, so a typed id can be checked at a glance.
    let width = usize::from(area.width);
    let mut lines: Vec<Line> = Vec::new();
    let role = form.role.text().trim();
    if !role.is_empty() {
        let known = app.terms.role(role).is_some();
        let text = if known {
            format!("Role {role}: {}", role_title(app, role))
        } else {
            format!("Role {role}: not a role of the {} preset", app.terms.id)
        };
        lines.push(Line::raw(fit(&text, width)));
    }
    let deputy = form.deputy_for.text().trim();
    if !deputy.is_empty() {
        lines.push(Line::raw(fit(
            &format!("Deputises for: {}", role_title(app, deputy)),
            width,
        )));
    }
    frame.render_widget(Paragraph::new(lines), notes);
}

#[derive(Debug, Clone, Default)]
pub struct State {
    /// Member forms being typed, by member id (0: the new member).
    pub drafts: BTreeMap<Id, MemberForm>,
    /// Which draft the form shows.
    pub editing: Option<Id>,
}

impl super::ScreenState for State {
    fn is_dirty(&self, _app: &App) -> bool {
        self.drafts.values().any(|f| f.dirty)
    }
}

/// Enter on the members screen: the form on the highlighted member,
/// resuming a draft of theirs.
pub fn open(app: &mut App) {
    let Some(member) = app.data.all_members.get(app.screens.members.cursor) else {
        app.notify(NoticeKind::Info, "No members yet: press n to add one.");
        return;
    };
    let id = member.id;
    let form = MemberForm::of(member);
    let state = &mut app.screens.member_form;
    state.drafts.entry(id).or_insert(form);
    state.editing = Some(id);
    app.go(Screen::MemberForm);
}

/// `n` on the members screen: the form on a new member (a draft of one
/// resumed).
pub fn open_new(app: &mut App) {
    let state = &mut app.screens.member_form;
    state.drafts.entry(0).or_insert_with(MemberForm::new_member);
    state.editing = Some(0);
    app.go(Screen::MemberForm);
}

pub fn handle(app: &mut App, msg: Msg) -> super::Outcome {
    match msg {
        Msg::Up | Msg::Down => choose(app, msg == Msg::Down),
        Msg::NextField | Msg::PreviousField => {
            if let Some(form) = app.member_form_mut() {
                form.field = super::cycle(&MemberField::ALL, &form.field, msg == Msg::NextField);
            }
        }
        Msg::Select(row) => {
            if let (Some(form), Some(field)) = (app.member_form_mut(), MemberField::ALL.get(row)) {
                form.field = *field;
            }
        }
        Msg::Edit(op) => {
            if let Some(form) = app.member_form_mut()
                && let Some(editor) = form.focused_mut()
            {
                let before = editor.text().to_owned();
                editor.apply(op);
                if editor.text() != before {
                    form.dirty = true;
                }
            }
        }
        Msg::Paste(text) => {
            let Some(form) = app.member_form_mut() else {
                return super::Outcome::Unhandled(Msg::Paste(text));
            };
            match form.focused_mut() {
                Some(editor) => {
                    editor.paste(&text, crate::tui::editor::Lines::One);
                    form.dirty = true;
                }
                None => app.notify(
                    NoticeKind::Warning,
                    "Kind is chosen with ↑↓, not typed: nothing was pasted.",
                ),
            }
        }
        Msg::Save => return super::Outcome::Handled(save(app)),
        other => return super::Outcome::Unhandled(other),
    }
    super::Outcome::done()
}

/// ↑↓ on the member form: the next or previous choice for Role, Kind or
/// Deputy for, wrapping round.
fn choose(app: &mut App, down: bool) {
    let roles = app.terms.roles.clone();
    let role_ids: Vec<String> = roles.iter().map(|r| r.id.clone()).collect();
    let Some(form) = app.member_form_mut() else {
        return;
    };
    match form.field {
        MemberField::Role => {
            let next = super::cycle(&role_ids, form.role.text().trim(), down);
            let Some(role) = roles.iter().find(|r| r.id == next) else {
                return;
            };
            // A job title still blank or as the preset wrote it follows the
            // role (with its kind); one the administrator typed is kept.
            let title = form.job_title.text().trim();
            if title.is_empty() || roles.iter().any(|r| r.job_title == title) {
                form.job_title.set(&role.job_title);
                form.kind = role.kind;
            }
            form.role.set(&next);
        }
        MemberField::Kind => {
            let kinds: Vec<String> = MemberKind::ALL.iter().map(|k| k.id().to_owned()).collect();
            let next = super::cycle(&kinds, form.kind.id(), down);
            form.kind = MemberKind::parse(&next).unwrap_or(form.kind);
        }
        MemberField::DeputyFor => {
            // Blank (deputises for nobody) is one of the choices.
            let mut choices = vec![String::new()];
            choices.extend(role_ids);
            let next = super::cycle(&choices, form.deputy_for.text().trim(), down);
            form.deputy_for.set(&next);
        }
        MemberField::JobTitle | MemberField::From | MemberField::Until => return,
    }
    form.dirty = true;
}

fn save(app: &mut App) -> Vec<Effect> {
    let terms = app.terms.clone();
    let Some(form) = app.member_form_mut() else {
        return Vec::new();
    };
    match check_member(form, &terms) {
        // A member opened and saved untouched: no write, no audit line.
        Ok(member) if member.id != 0 && !form.dirty => {
            let state = &mut app.screens.member_form;
            state.drafts.remove(&member.id);
            state.editing = None;
            app.go_back();
            app.notify(NoticeKind::Info, "Nothing changed.");
            Vec::new()
        }
        Ok(member) => vec![Effect::SaveMember(member)],
        Err((field, message)) => {
            // Nothing is saved; the cursor goes to the field to correct.
            form.field = field;
            app.notify(NoticeKind::Error, message);
            Vec::new()
        }
    }
}

/// The member the form describes, or the first field that is wrong and why:
/// the one member check (`MemberDraft::check`, as `members import` uses)
/// against the panel's terms, its findings said as the form says them.
pub fn check_member(
    form: &MemberForm,
    terms: &crate::terms::Terms,
) -> Result<Member, (MemberField, String)> {
    use crate::rules::members::{MemberDraft, MemberField as Field};
    let draft = MemberDraft {
        id: form.id,
        role: form.role.text().to_owned(),
        job_title: form.job_title.text().to_owned(),
        name: form.name.clone().unwrap_or_default(),
        kind: form.kind.id().to_owned(),
        substitute_for: form.deputy_for.text().to_owned(),
        start: form.from.text().to_owned(),
        end: form.until.text().to_owned(),
    };
    let problems = match draft.check(terms) {
        Ok(member) => return Ok(member),
        Err(problems) => problems,
    };
    // The first wrong field in the form's order.
    let order = |f: Field| match f {
        Field::JobTitle => 0,
        Field::Role => 1,
        Field::Kind => 2,
        Field::SubstituteFor => 3,
        Field::Start => 4,
        Field::End => 5,
    };
    let Some(first) = problems.into_iter().min_by_key(|p| order(p.field)) else {
        return Err((MemberField::JobTitle, "Member: not saved".into()));
    };
    let found = first.found;
    Err(match first.field {
        Field::JobTitle => (
            MemberField::JobTitle,
            "Job title: type the member's job title".into(),
        ),
        Field::Role if found.is_empty() => (
            MemberField::Role,
            "Role: choose a role with ↑↓ or type its id".into(),
        ),
        Field::Role => (
            MemberField::Role,
            format!("Role: '{found}' is not a role id (lower-case letters, digits and hyphens)"),
        ),
        Field::Kind => (MemberField::Kind, format!("Kind: {}", first.expected)),
        Field::SubstituteFor => (
            MemberField::DeputyFor,
            format!(
                "Deputy for: '{found}' is not a role of these terms; expected {}",
                first.expected
            ),
        ),
        Field::Start => (
            MemberField::From,
            format!("From: {found} is not a date; type dd/mm/yyyy"),
        ),
        Field::End if crate::rules::dates::parse_dmy(&found).is_some() => {
            (MemberField::Until, "Until: must be on or after From".into())
        }
        Field::End => (
            MemberField::Until,
            format!("Until: {found} is not a date; type dd/mm/yyyy"),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }


    #[test]
    fn a_member_form_becomes_the_member_it_describes() {
        let mut form = MemberForm::new_member();
        form.job_title.set("  Legal Adviser ");
        form.role.set("legal-adviser");
        form.kind = MemberKind::Adviser;
        form.from.set("01/12/2026");
        form.until.set("01/12/2026");
        let terms = crate::terms::Terms::load("wiltshire").unwrap();
        let member = check_member(&form, &terms).unwrap();
        assert_eq!(member.job_title, "Legal Adviser");
        assert_eq!(member.substitute_for, None);
        // A membership of one day is allowed.
        assert_eq!(
            (member.start, member.end),
            (Some(day(2026, 12, 1)), Some(day(2026, 12, 1)))
        );
        form.deputy_for.set("Service Manager");
        let (field, message) = check_member(&form, &terms).unwrap_err();
        assert_eq!(field, MemberField::DeputyFor);
        assert!(message.starts_with("Deputy for: 'Service Manager' is not a role of these terms"));
        // Fixed divergence (issue 20): the form checked only a deputy's
        // shape; like the members CSV it now wants a role of the terms.
        form.deputy_for.set("made-up-role");
        let (field, _) = check_member(&form, &terms).unwrap_err();
        assert_eq!(field, MemberField::DeputyFor);
        form.deputy_for.set(&terms.roles[0].id);
        assert!(check_member(&form, &terms).is_ok());
    }


    /// Issue 20 found the member form refusing `1/12/2026` where the
    /// importer took it: both now read dates through `parse_dmy`.
    #[test]
    fn the_member_form_takes_one_digit_days_and_months() {
        let terms = crate::terms::Terms::load("wiltshire").unwrap();
        let mut form = MemberForm::new_member();
        form.job_title.set("Legal Adviser");
        form.role.set("legal-adviser");
        form.from.set("1/12/2026");
        let member = check_member(&form, &terms).unwrap();
        assert_eq!(member.start, Some(day(2026, 12, 1)));
        form.from.set("1/12/26");
        assert_eq!(
            check_member(&form, &terms),
            Err((
                MemberField::From,
                "From: 1/12/26 is not a date; type dd/mm/yyyy".into()
            ))
        );
    }
}
