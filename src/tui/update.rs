//! `update`: what a message does to the app. Pure: no store, no terminal,
//! no clock; writes come back as effects for `effects::apply`.

use chrono::NaiveDate;

use chrono::NaiveDateTime;

use super::app::{
    ActionField, App, Effect, MemberField, MemberForm, Msg, NoticeKind, Screen, Stored,
};
use super::editor::{EditOp, LineEditor};
use crate::model::{AttendanceState, Member, MemberKind};
use crate::rules::dates::dmy;
use crate::store::NewAction;

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let child_before = app.current;
    let effects = update_app(app, msg);
    // Another child's card starts at its top.
    if app.current != child_before {
        app.card_scroll = 0;
    }
    app.refresh_card();
    effects
}

fn update_app(app: &mut App, msg: Msg) -> Vec<Effect> {
    // A notice answers the key before; the next key clears it. (A write's
    // outcome is not a key: it says its own.)
    if !matches!(msg, Msg::Written { .. } | Msg::Resize(..)) {
        app.notice = None;
    }
    let msg = match super::overlay::handle(app, msg) {
        Ok(effects) => return effects,
        Err(msg) => msg,
    };
    match msg {
        // Opened and run by the palette overlay (`overlay::handle` above).
        Msg::Palette(_) => {}
        Msg::Select(row) => return super::mouse::select(app, row),
        Msg::OpenChild(index) => return super::mouse::open_child(app, index),
        Msg::Written {
            effect,
            at,
            outcome,
        } => written(app, *effect, at, outcome),
        Msg::Paste(text) => paste(app, &text),
        Msg::MoveDeadlineOffClosedDay => move_deadline_off_closed_day(app),
        Msg::Undo | Msg::Redo if app.read_only => {
            app.notify(
                NoticeKind::Warning,
                "This window is read-only: nothing to undo.",
            );
        }
        Msg::Undo => return vec![Effect::Undo],
        Msg::Redo => return vec![Effect::Redo],
        Msg::ToggleProjector => {
            app.projector = !app.projector;
            // The note must not stay on a screen the room now sees.
            if app.projector && app.screen == Screen::Note {
                app.go_back();
            }
            let text = if app.projector {
                "Projector mode: children by initials and id only. F5 turns it off."
            } else {
                "Projector mode off."
            };
            app.notify(NoticeKind::Info, text);
        }
        Msg::CycleTheme => {
            app.theme = app.theme.next();
            app.notify(NoticeKind::Info, format!("Theme: {}.", app.theme.id()));
        }
        Msg::Open(Screen::Note) if app.projector || app.presenter => {
            app.notify(
                NoticeKind::Warning,
                "Projector mode is on: private notes are not shown. F5 turns it off.",
            );
        }
        Msg::Open(Screen::Note) => {
            let Some(child) = current_child(app).filter(|_| app.screen == Screen::Card) else {
                return Vec::new();
            };
            let saved = app
                .data
                .admin_notes
                .get(&child)
                .cloned()
                .unwrap_or_default();
            app.note_drafts
                .entry(child)
                .or_insert_with(|| LineEditor::with_text(&saved));
            app.go(Screen::Note);
        }
        Msg::Open(screen) => return open(app, screen),
        Msg::Back => back(app),
        Msg::Quit => {
            if app.is_editing() {
                app.overlays.push(super::overlay::Overlay::Question(
                    super::overlay::Question::DiscardAndQuit,
                ));
            } else {
                app.quit = true;
            }
        }
        // Answers go to the question they answer (`overlay::answer`); with
        // no question on screen there is nothing to answer.
        Msg::ConfirmYes | Msg::ConfirmNo => {}
        Msg::ToggleHelp => app.overlays.toggle_help(),
        Msg::Up | Msg::Down => match app.screen {
            Screen::RollCall => {
                let last = app.data.members.len().saturating_sub(1);
                app.roll_cursor = if msg == Msg::Up {
                    app.roll_cursor.saturating_sub(1)
                } else {
                    (app.roll_cursor + 1).min(last)
                };
            }
            Screen::Actions => pick_owner(app, msg == Msg::Down),
            Screen::Members => {
                let last = app.data.all_members.len().saturating_sub(1);
                app.members_cursor = if msg == Msg::Up {
                    app.members_cursor.saturating_sub(1)
                } else {
                    (app.members_cursor + 1).min(last)
                };
            }
            Screen::MemberForm => choose(app, msg == Msg::Down),
            Screen::Card => scroll_card(app, msg == Msg::Down, 1),
            Screen::Matters => {
                let last = super::matters::matters_arising(app).len().saturating_sub(1);
                app.matters_cursor = if msg == Msg::Up {
                    app.matters_cursor.saturating_sub(1)
                } else {
                    (app.matters_cursor + 1).min(last)
                };
            }
            Screen::ActionList => {
                let last = app.visible_actions().len().saturating_sub(1);
                app.action_cursor = if msg == Msg::Up {
                    app.action_cursor.saturating_sub(1)
                } else {
                    (app.action_cursor + 1).min(last)
                };
            }
            _ => {}
        },
        Msg::Resize(columns, rows) => {
            app.size = (columns, rows);
            // A narrower card is longer, a wider one shorter: keep in range.
            app.card_scroll = app.card_scroll.min(super::view::card_room(app).0);
        }
        Msg::PageUp | Msg::PageDown if app.screen == Screen::Card => {
            let page = super::view::card_room(app).1.saturating_sub(1).max(1);
            scroll_card(app, msg == Msg::PageDown, page);
        }
        Msg::PageUp | Msg::PageDown => {}
        Msg::CarryOver => {
            if app.screen != Screen::Card {
                return Vec::new();
            }
            let (Some(meeting), Some(child)) = (
                app.meeting_id(),
                app.current_item().map(|i| i.child.clone()),
            ) else {
                return Vec::new();
            };
            if app.data.carried_over.contains(&child) {
                app.notify(
                    NoticeKind::Info,
                    format!("{child} is already carried over to the next meeting."),
                );
                return Vec::new();
            }
            return vec![Effect::CarryOver { meeting, child }];
        }
        Msg::CorrectAction => open_correction(app),
        Msg::NewMember => {
            app.member_drafts
                .entry(0)
                .or_insert_with(MemberForm::new_member);
            app.member_editing = Some(0);
            app.go(Screen::MemberForm);
        }
        Msg::Mark(state) => {
            if app.screen != Screen::RollCall {
                return Vec::new();
            }
            let (Some(meeting), Some(member)) =
                (app.meeting_id(), app.data.members.get(app.roll_cursor))
            else {
                return Vec::new();
            };
            let substitute_for = match state {
                AttendanceState::Substitute => match &member.substitute_for {
                    Some(role) => Some(role.clone()),
                    None => {
                        let text = format!(
                            "{} is not a named substitute; mark them present with p.",
                            member.job_title
                        );
                        app.notify(NoticeKind::Warning, text);
                        return Vec::new();
                    }
                },
                _ => None,
            };
            let effect = Effect::SetAttendance {
                meeting,
                member: member.id,
                state,
                substitute_for,
            };
            // Move on, so a roll call is a run of single keys.
            app.roll_cursor = (app.roll_cursor + 1).min(app.data.members.len().saturating_sub(1));
            return vec![effect];
        }
        Msg::NextChild | Msg::PreviousChild => return step(app, msg == Msg::NextChild),
        Msg::Save => match app.screen {
            Screen::Decision => return save_decision(app),
            Screen::Actions => return save_action(app),
            Screen::MemberForm => return save_member(app),
            Screen::DropAction => return save_drop(app),
            Screen::Jump => return jump(app),
            Screen::Note => {
                let (Some(meeting), Some(child)) = (app.meeting_id(), current_child(app)) else {
                    return Vec::new();
                };
                let text = app
                    .note_drafts
                    .get(&child)
                    .map(|d| d.text().trim().to_owned())
                    .unwrap_or_default();
                return vec![Effect::SaveNote {
                    meeting,
                    child,
                    text,
                }];
            }
            _ => {}
        },
        Msg::CycleActionStatus => {
            app.action_filter.status = crate::tui::app::next_status(app.action_filter.status);
            app.action_cursor = 0;
        }
        Msg::CycleActionOwner => {
            let owners = app.action_owners();
            let next = match app.action_owner() {
                None => owners.first().cloned(),
                Some(now) => owners
                    .iter()
                    .position(|o| o == now)
                    .and_then(|i| owners.get(i + 1).cloned()),
            };
            app.action_filter.owner = next.map(crate::usecase::actions::OwnerMatch::Exactly);
            app.action_cursor = 0;
        }
        Msg::ActionDone => {
            let Some(action) =
                open_highlighted_action(app, "Only an open action can be marked done.")
            else {
                return Vec::new();
            };
            return vec![Effect::SetActionStatus {
                action,
                status: crate::model::ActionStatus::Done,
                reason: None,
            }];
        }
        Msg::DropAction => {
            let Some(action) = open_highlighted_action(app, "Only an open action can be dropped.")
            else {
                return Vec::new();
            };
            if app.dropping != Some(action) {
                app.drop_reason = LineEditor::new();
            }
            app.dropping = Some(action);
            app.go(Screen::DropAction);
        }
        Msg::NextField | Msg::PreviousField if app.screen == Screen::MemberForm => {
            if let Some(form) = app.member_form_mut() {
                form.field = cycle(&MemberField::ALL, &form.field, msg == Msg::NextField);
            }
        }
        Msg::NextField | Msg::PreviousField => {
            if let Some(form) = app.action_form_mut() {
                form.field = cycle(&ActionField::ALL, &form.field, msg == Msg::NextField);
            }
        }
        Msg::Edit(op) if app.screen == Screen::MemberForm => {
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
        Msg::Edit(op) if app.screen == Screen::DropAction => app.drop_reason.apply(op),
        Msg::Edit(op) if app.screen == Screen::Jump => app.jump_text.apply(op),
        Msg::Edit(op) if app.screen == Screen::Note => {
            if let Some(draft) = current_child(app).and_then(|c| app.note_drafts.get_mut(&c)) {
                draft.apply(op);
            }
        }
        Msg::Edit(op) => {
            let Some(child) = current_child(app) else {
                return Vec::new();
            };
            match app.screen {
                Screen::Decision => {
                    if let Some(draft) = app.decision_drafts.get_mut(&child) {
                        draft.apply(op);
                    }
                }
                Screen::Actions => {
                    if let Some(form) = app.action_form_mut() {
                        edit_action_form(form, op);
                    }
                }
                _ => {}
            }
        }
    }
    Vec::new()
}

/// A bracketed paste: into the field being typed, as text (line breaks
/// kept where the field has lines); anywhere else it does nothing but say
/// so, so pasted text can never run commands.
fn paste(app: &mut App, text: &str) {
    use super::editor::Lines;
    let nowhere = "Pasted text goes only into a text field: nothing was done.";
    let child = current_child(app);
    let pasted = match app.screen {
        Screen::Decision => child
            .and_then(|c| app.decision_drafts.get_mut(&c))
            .map(|d| d.paste(text, Lines::Many))
            .is_some(),
        Screen::Note => child
            .and_then(|c| app.note_drafts.get_mut(&c))
            .map(|d| d.paste(text, Lines::Many))
            .is_some(),
        Screen::Actions => app
            .action_form_mut()
            .map(|f| {
                if f.field == ActionField::Owner && f.picked.take().is_some() {
                    f.owner.clear();
                }
                f.focused_mut().paste(text, Lines::One);
                if f.field == ActionField::Owner {
                    f.owner_typed = f.owner.text().to_owned();
                }
            })
            .is_some(),
        Screen::MemberForm => match app.member_form_mut() {
            Some(form) => match form.focused_mut() {
                Some(editor) => {
                    editor.paste(text, Lines::One);
                    form.dirty = true;
                    true
                }
                None => {
                    app.notify(
                        NoticeKind::Warning,
                        "Kind is chosen with ↑↓, not typed: nothing was pasted.",
                    );
                    return;
                }
            },
            None => false,
        },
        Screen::DropAction => {
            app.drop_reason.paste(text, Lines::One);
            true
        }
        Screen::Jump => {
            app.jump_text.paste(text, Lines::One);
            true
        }
        _ => false,
    };
    if !pasted {
        app.notify(NoticeKind::Warning, nowhere);
    }
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
            super::closed_day::advice(day, meeting_day, &super::closed_day::calendar())
                .map(|a| (day, a))
        });
    match advice {
        Some((day, advice)) => {
            form.deadline.set(&crate::rules::dates::dmy(advice.instead));
            let text = format!(
                "Deadline moved from {} ({}) to {}.",
                crate::rules::dates::dmy(day),
                advice.why,
                crate::rules::dates::dmy(advice.instead)
            );
            app.notify(NoticeKind::Info, text);
        }
        None => app.notify(
            NoticeKind::Info,
            "The deadline is not on a weekend or bank holiday: nothing to move.",
        ),
    }
}

/// Scrolls the child card `lines` down or up, no further than the card
/// reaches at the terminal's size (laid out as the view lays it out).
fn scroll_card(app: &mut App, down: bool, lines: u16) {
    app.card_scroll = if down {
        let furthest = super::view::card_room(app).0;
        app.card_scroll.saturating_add(lines).min(furthest)
    } else {
        app.card_scroll.saturating_sub(lines)
    };
}

fn current_child(app: &App) -> Option<String> {
    app.current_item().map(|i| i.child.clone())
}

fn open(app: &mut App, screen: Screen) -> Vec<Effect> {
    // Membership is managed before any meeting is planned.
    let needs_meeting = !matches!(
        screen,
        Screen::Home | Screen::Members | Screen::MemberForm | Screen::ActionList | Screen::Matters
    );
    if screen == Screen::MemberForm {
        open_member_form(app);
        return Vec::new();
    }
    if screen == Screen::Jump {
        app.jump_text = LineEditor::new();
    }
    if needs_meeting && app.data.meeting.is_none() {
        app.notify(
            NoticeKind::Warning,
            "There is no meeting in the database yet.",
        );
        return Vec::new();
    }
    let child = current_child(app);
    if matches!(screen, Screen::Card | Screen::Decision | Screen::Actions) {
        let Some(child) = child else {
            app.notify(NoticeKind::Warning, "The agenda of this meeting is empty.");
            return Vec::new();
        };
        match screen {
            Screen::Decision => {
                let saved = app.saved_decision(&child).to_owned();
                // Amending starts from the saved text; a draft in progress is kept.
                app.decision_drafts
                    .entry(child)
                    .or_insert_with(|| LineEditor::with_text(&saved));
            }
            Screen::Actions => {
                app.action_forms.entry(child).or_default();
            }
            _ => {}
        }
    }
    app.go(screen);
    follow_current(app)
}

/// Stores the child being heard when the chair opens its card, so a
/// presenter view shows it from the first child on, not only after a step.
fn follow_current(app: &App) -> Vec<Effect> {
    if !matches!(
        app.screen,
        Screen::Card | Screen::Decision | Screen::Actions
    ) {
        return Vec::new();
    }
    let (Some(meeting), Some(item)) = (app.data.meeting.as_ref(), app.current_item()) else {
        return Vec::new();
    };
    if meeting.current_item == Some(item.id) {
        return Vec::new();
    }
    vec![Effect::SetCurrentItem {
        meeting: meeting.id,
        item: item.id,
    }]
}

fn back(app: &mut App) {
    if app.screen == Screen::Actions && app.correcting.take().is_some() {
        app.notify(
            NoticeKind::Info,
            "Correction not saved: the action is as it was.",
        );
        app.go_back();
        return;
    }
    let leaving_a_draft = match (app.screen, current_child(app)) {
        (Screen::Decision, Some(child)) => app
            .decision_drafts
            .get(&child)
            .is_some_and(|d| d.text().trim() != app.saved_decision(&child).trim()),
        (Screen::Actions, Some(child)) => {
            app.action_forms.get(&child).is_some_and(|f| f.is_dirty())
        }
        (Screen::MemberForm, _) => app.member_form().is_some_and(|f| f.dirty),
        (Screen::DropAction, _) => !app.drop_reason.text().trim().is_empty(),
        _ => false,
    };
    if leaving_a_draft {
        let key = match app.screen {
            Screen::Decision => "d",
            Screen::Actions => "a",
            Screen::DropAction => "z on the action",
            _ if app.member_editing == Some(0) => "n",
            _ => "Enter on the member",
        };
        app.notify(
            NoticeKind::Info,
            format!("What you typed is kept but not saved; press {key} to finish it."),
        );
    }
    app.go_back();
}

/// Opens the form on the highlighted member, resuming a draft of theirs.
fn open_member_form(app: &mut App) {
    let Some(member) = app.data.all_members.get(app.members_cursor) else {
        app.notify(NoticeKind::Info, "No members yet: press n to add one.");
        return;
    };
    let id = member.id;
    let form = MemberForm::of(member);
    app.member_drafts.entry(id).or_insert(form);
    app.member_editing = Some(id);
    app.go(Screen::MemberForm);
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
            let next = cycle(&role_ids, form.role.text().trim(), down);
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
            let next = cycle(&kinds, form.kind.id(), down);
            form.kind = MemberKind::parse(&next).unwrap_or(form.kind);
        }
        MemberField::DeputyFor => {
            // Blank (deputises for nobody) is one of the choices.
            let mut choices = vec![String::new()];
            choices.extend(role_ids);
            let next = cycle(&choices, form.deputy_for.text().trim(), down);
            form.deputy_for.set(&next);
        }
        MemberField::JobTitle | MemberField::From | MemberField::Until => return,
    }
    form.dirty = true;
}

/// The highlighted action's id when it is open, for `x` and `z`; the screen
/// is kept to come back to. A closed action is refused with `not_open`.
fn open_highlighted_action(app: &mut App, not_open: &str) -> Option<crate::model::Id> {
    let (id, status) = super::matters::highlighted_action(app).map(|a| (a.id, a.status))?;
    app.action_origin = app.screen;
    if status != crate::model::ActionStatus::Open {
        app.notify(NoticeKind::Info, not_open);
        return None;
    }
    Some(id)
}

/// The choice after (or before) `current`, round the end of the list; from
/// outside the list, the first (or the last).
fn cycle<T, C>(choices: &[T], current: &C, down: bool) -> T
where
    T: Clone + PartialEq<C>,
    C: ToOwned<Owned = T> + ?Sized,
{
    let n = choices.len();
    if n == 0 {
        return current.to_owned();
    }
    let next = match (choices.iter().position(|c| c == current), down) {
        (Some(i), true) => (i + 1) % n,
        (Some(i), false) => (i + n - 1) % n,
        (None, true) => 0,
        (None, false) => n - 1,
    };
    choices[next].clone()
}

fn save_member(app: &mut App) -> Vec<Effect> {
    let terms = app.terms.clone();
    let Some(form) = app.member_form_mut() else {
        return Vec::new();
    };
    match check_member(form, &terms) {
        // A member opened and saved untouched: no write, no audit line.
        Ok(member) if member.id != 0 && !form.dirty => {
            let id = member.id;
            app.member_drafts.remove(&id);
            app.member_editing = None;
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

/// Steps the agenda forward or back and stores where the chair is, so a
/// presenter view can follow.
fn step(app: &mut App, forward: bool) -> Vec<Effect> {
    let count = app.data.agenda.len();
    let Some(meeting) = app.meeting_id().filter(|_| count > 0) else {
        return Vec::new();
    };
    let target = if forward {
        app.current + 1
    } else {
        match app.current.checked_sub(1) {
            Some(i) => i,
            None => {
                app.notify(NoticeKind::Info, "This is the first child on the agenda.");
                return Vec::new();
            }
        }
    };
    if target >= count {
        app.notify(NoticeKind::Info, "This is the last child on the agenda.");
        return Vec::new();
    }
    app.current = target;
    vec![Effect::SetCurrentItem {
        meeting,
        item: app.data.agenda[target].id,
    }]
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
fn edit_action_form(form: &mut super::app::ActionForm, op: EditOp) {
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

fn save_decision(app: &mut App) -> Vec<Effect> {
    let (Some(meeting), Some(child)) = (app.meeting_id(), current_child(app)) else {
        return Vec::new();
    };
    let text = app
        .decision_drafts
        .get(&child)
        .map(|d| d.text().trim().to_owned())
        .unwrap_or_default();
    if text.is_empty() {
        app.notify(
            NoticeKind::Error,
            "Decision: type the panel's decision, then press Enter.",
        );
        return Vec::new();
    }
    // The quorum at the moment of the decision is worked out where it is
    // stored, and comes back with the write's outcome (`Stored::Decision`).
    vec![Effect::RecordDecision {
        meeting,
        child,
        text,
    }]
}

/// Enter on a correction: the action as corrected, checked as a new one
/// is (its deadline after the meeting it was set at).
fn save_correction(app: &mut App) -> Vec<Effect> {
    let next_panel = app.data.next_panel;
    let meeting_day = app.action_form_day();
    let Some((id, form)) = app.correcting.as_mut() else {
        return Vec::new();
    };
    let id = *id;
    let text = form.text.text().trim().to_owned();
    let owner = form.owner.text().trim().to_owned();
    let checked = if text.is_empty() {
        Err((
            ActionField::Text,
            "Action: type what is to be done.".to_owned(),
        ))
    } else if owner.is_empty() {
        Err((
            ActionField::Owner,
            "Owner: type or pick (↑↓) an owner.".to_owned(),
        ))
    } else {
        parse_deadline(form.deadline.text(), meeting_day, next_panel)
            .map_err(|e| (ActionField::Deadline, e))
    };
    match checked {
        Ok(deadline) => vec![Effect::CorrectAction {
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
    }
}

/// `e` on the action list or the matters arising: the highlighted action
/// in the action form, to correct it.
fn open_correction(app: &mut App) {
    let Some(action) = super::matters::highlighted_action(app).cloned() else {
        app.notify(NoticeKind::Info, "No action highlighted to correct.");
        return;
    };
    let mut form = super::app::ActionForm {
        text: LineEditor::with_text(&action.text),
        owner: LineEditor::with_text(&action.owner),
        deadline: LineEditor::with_text(&crate::rules::dates::dmy(action.deadline)),
        ..Default::default()
    };
    form.owner_typed = String::new();
    app.correcting = Some((action.id, form));
    app.go(Screen::Actions);
}

fn save_action(app: &mut App) -> Vec<Effect> {
    if app.correcting.is_some() {
        return save_correction(app);
    }
    let (Some(meeting), Some(child)) = (app.meeting_id(), current_child(app)) else {
        return Vec::new();
    };
    // Deadlines count from the meeting, not from the day they are typed.
    let meeting_day = app.membership_day();
    let Some(form) = app.action_forms.get_mut(&child) else {
        return Vec::new();
    };
    let text = form.text.text().trim().to_owned();
    let owner = form.owner.text().trim().to_owned();
    let checked = if text.is_empty() {
        Err((
            ActionField::Text,
            "Action: type what is to be done.".to_owned(),
        ))
    } else if owner.is_empty() {
        Err((
            ActionField::Owner,
            "Owner: pick a member with ↑↓ or type a role.".to_owned(),
        ))
    } else {
        parse_deadline(form.deadline.text(), meeting_day, app.data.next_panel)
            .map_err(|e| (ActionField::Deadline, e))
    };
    match checked {
        Ok(deadline) => {
            let action = NewAction {
                meeting,
                child,
                text,
                owner,
                deadline,
            };
            // A deadline nobody can meet on the day asks first.
            vec![Effect::AddAction(action)]
        }
        Err((field, message)) => {
            // Nothing is saved; the cursor goes to the field to correct.
            form.field = field;
            app.notify(NoticeKind::Error, message);
            Vec::new()
        }
    }
}

/// A deadline as people say it (`31/12`, `3 weeks`, `next fri`, `next
/// meeting`, ...: see `rules::deadline`), after the meeting's date. The
/// error names the field and what was typed.
pub fn parse_deadline(
    typed: &str,
    meeting_day: NaiveDate,
    next_meeting: Option<NaiveDate>,
) -> Result<NaiveDate, String> {
    crate::rules::deadline::parse(typed, meeting_day, next_meeting)
}

/// Drops the action being dropped, with the reason typed (required).
fn save_drop(app: &mut App) -> Vec<Effect> {
    let Some(action) = app.dropping else {
        return Vec::new();
    };
    let reason = app.drop_reason.text().trim().to_owned();
    if reason.is_empty() {
        app.notify(NoticeKind::Error, "Reason: say why the action is dropped.");
        return Vec::new();
    }
    vec![Effect::SetActionStatus {
        action,
        status: crate::model::ActionStatus::Dropped,
        reason: Some(reason),
    }]
}

/// Whether a child matches what was typed after `/`: part of the id, or
/// every word typed beginning a word of the name the panel holds (any case).
fn child_matches(app: &App, child: &str, typed: &str) -> bool {
    if child.to_lowercase().contains(typed) {
        return true;
    }
    let Some(name) = app
        .data
        .child_names
        .get(child)
        .and_then(|n| n.full_name.as_deref())
    else {
        return false;
    };
    let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    typed
        .split_whitespace()
        .all(|t| words.iter().any(|w| w.starts_with(t)))
}

/// Opens the card of the first child on the agenda whose id or name
/// matches what was typed (ignoring case); the presenter view follows. A
/// child of the panel who is not on this agenda is named as such.
fn jump(app: &mut App) -> Vec<Effect> {
    let typed = app.jump_text.text().trim().to_lowercase();
    if typed.is_empty() {
        app.notify(
            NoticeKind::Error,
            "Child: type an id or a name (or part of one).",
        );
        return Vec::new();
    }
    let found = app
        .data
        .agenda
        .iter()
        .position(|i| child_matches(app, &i.child, &typed));
    match found {
        Some(index) => {
            app.current = index;
            app.go(Screen::Card);
            follow_current(app)
        }
        None => {
            let elsewhere = app
                .data
                .child_names
                .keys()
                .filter(|id| child_matches(app, id, &typed))
                .min()
                .cloned();
            let text = match elsewhere {
                Some(id) => format!(
                    "Child: {} is not on this agenda; the card opens at a meeting that lists them.",
                    app.child_label(&id)
                ),
                None => format!(
                    "Child: no child on this agenda matches '{}'.",
                    app.jump_text.text().trim()
                ),
            };
            app.notify(NoticeKind::Error, text);
            Vec::new()
        }
    }
}

/// `Msg::Written`: what the screen does once a write is done (the data
/// already reloaded), or, refused, says why and keeps what was typed.
fn written(app: &mut App, effect: Effect, at: NaiveDateTime, outcome: Result<Stored, String>) {
    let stored = match outcome {
        Ok(stored) => stored,
        Err(e) => {
            app.notify(NoticeKind::Error, format!("Not saved: {e}"));
            return;
        }
    };
    match effect {
        Effect::SetAttendance { .. } | Effect::SetCurrentItem { .. } => {}
        Effect::Undo | Effect::Redo => {}
        Effect::RecordDecision { child, .. } => {
            // The quorum the store recorded with the decision: worked out
            // once, there, from the roll call as stored.
            let quorate = matches!(stored, Stored::Decision { quorate: true });
            app.decision_drafts.remove(&child);
            app.go_back();
            let at = at.format("%H:%M");
            if quorate {
                app.notify(NoticeKind::Info, format!("Decision recorded at {at}."));
            } else {
                app.notify(
                    NoticeKind::Warning,
                    format!("Decision recorded at {at}, flagged: the meeting was not quorate."),
                );
            }
        }
        Effect::SetActionStatus { status, .. } => {
            app.dropping = None;
            app.drop_reason = super::editor::LineEditor::new();
            // A drop returns from its reason to the list; `x` stays on it.
            if app.screen == Screen::DropAction {
                app.go_back();
            }
            let last = app.visible_actions().len().saturating_sub(1);
            app.action_cursor = app.action_cursor.min(last);
            let last = super::matters::matters_arising(app).len().saturating_sub(1);
            app.matters_cursor = app.matters_cursor.min(last);
            app.notify(NoticeKind::Info, format!("Action marked {}.", status.id()));
        }
        Effect::CarryOver { child, .. } => {
            app.notify(
                NoticeKind::Info,
                format!("{child} carried over: first on the next meeting's agenda."),
            );
        }
        Effect::AddAction(action) => {
            app.action_forms
                .insert(action.child.clone(), Default::default());
            // Kept as typed on a closed day (the form offered Alt+W): say so.
            let closed = super::closed_day::advice(
                action.deadline,
                app.membership_day(),
                &super::closed_day::calendar(),
            )
            .map(|a| format!(" ({})", a.why))
            .unwrap_or_default();
            app.notify(
                NoticeKind::Info,
                format!(
                    "Action saved: {}, due {}{closed}.",
                    action.owner,
                    dmy(action.deadline)
                ),
            );
        }
        Effect::CorrectAction {
            id,
            owner,
            deadline,
            ..
        } => {
            app.correcting = None;
            app.go_back();
            app.notify(
                NoticeKind::Info,
                format!(
                    "Action {id} corrected: {owner}, due {}; the old wording is kept in the audit log (u undoes).",
                    dmy(deadline)
                ),
            );
        }
        Effect::SaveNote { child, text, .. } => {
            app.note_drafts.remove(&child);
            app.go_back();
            let said = if text.is_empty() {
                "Private note removed."
            } else {
                "Private note saved (not shown on a projector)."
            };
            app.notify(NoticeKind::Info, said);
        }
        Effect::SaveMember(member) => {
            app.member_drafts.remove(&member.id);
            app.member_editing = None;
            app.go_back();
            // Members are listed by id, so a new one is the last row.
            app.members_cursor = if member.id == 0 {
                app.data.all_members.len().saturating_sub(1)
            } else {
                app.data
                    .all_members
                    .iter()
                    .position(|m| m.id == member.id)
                    .unwrap_or(0)
            };
            app.roll_cursor = app
                .roll_cursor
                .min(app.data.members.len().saturating_sub(1));
            let verb = if member.id == 0 { "added" } else { "updated" };
            let day = app.membership_day();
            let serving = if member.serves_on(day) {
                String::new()
            } else {
                format!("; not serving on {}", dmy(day))
            };
            app.notify(
                NoticeKind::Info,
                format!("Member {verb}: {}{serving}.", member.job_title),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn choices(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn choices_cycle_round_and_start_at_either_end() {
        let list = choices(&["", "a", "b"]);
        assert_eq!(cycle(&list, "b", true), "");
        assert_eq!(cycle(&list, "", false), "b");
        assert_eq!(cycle(&list, "a", true), "b");
        // A typed id that is not a choice: ↓ starts at the top, ↑ at the bottom.
        assert_eq!(cycle(&list, "typed", true), "");
        assert_eq!(cycle(&list, "typed", false), "b");
        assert_eq!(cycle(&[], "typed", true), "typed");
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

    #[test]
    fn deadlines_are_real_dates_after_the_meeting_in_any_accepted_form() {
        let meeting = day(2026, 11, 27);
        let next = Some(day(2026, 12, 18));
        assert_eq!(
            parse_deadline("18/12/2026", meeting, next),
            Ok(day(2026, 12, 18))
        );
        assert_eq!(
            parse_deadline(" 29/02/2028 ", meeting, next),
            Ok(day(2028, 2, 29))
        );
        assert_eq!(
            parse_deadline("3/2/2027", meeting, next),
            Ok(day(2027, 2, 3))
        );
        assert_eq!(
            parse_deadline("2027-02-03", meeting, next),
            Ok(day(2027, 2, 3))
        );
        assert_eq!(
            parse_deadline("03/02/27", meeting, next),
            Ok(day(2027, 2, 3))
        );
        assert_eq!(
            parse_deadline("at next panel", meeting, next),
            Ok(day(2026, 12, 18))
        );
        assert_eq!(
            parse_deadline("31/02/2027", meeting, next),
            Err("Deadline: 31/02/2027 is not a date; type dd/mm/yyyy, d/m/yy or dd/mm".into())
        );
        for wrong in ["03/02/2027/1", "aa/bb/cccc", "2027-2-3"] {
            let err = parse_deadline(wrong, meeting, next).unwrap_err();
            assert!(err.starts_with("Deadline: "), "{err}");
            assert!(err.contains(wrong), "{err}");
        }
        assert!(
            parse_deadline("27/11/2026", meeting, next)
                .unwrap_err()
                .starts_with("Deadline: 27/11/2026 is not after the meeting (27/11/2026)")
        );
        assert_eq!(
            parse_deadline("28/11/2026", meeting, next),
            Ok(day(2026, 11, 28))
        );
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
