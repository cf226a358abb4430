//! The app's state and the messages and effects that change it.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::data::MeetingData;
use super::editor::{EditOp, LineEditor};
use crate::model::{AgendaItem, AttendanceState, ChildId, Id};
use crate::rules::quorum::{self, QuorumResult};
use crate::store::NewAction;
use crate::terms::Terms;

/// The screens of the live meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Home,
    RollCall,
    Agenda,
    Card,
    Decision,
    Actions,
}

impl Screen {
    pub fn title(self) -> &'static str {
        match self {
            Screen::Home => "Home",
            Screen::RollCall => "Roll call",
            Screen::Agenda => "Agenda",
            Screen::Card => "Child card",
            Screen::Decision => "Decision",
            Screen::Actions => "Actions",
        }
    }

    /// Screens whose keys go into a text field.
    pub fn is_form(self) -> bool {
        matches!(self, Screen::Decision | Screen::Actions)
    }
}

/// Everything that can happen to the app; key presses become these through
/// the keymap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    Open(Screen),
    Back,
    Quit,
    ConfirmYes,
    ConfirmNo,
    ToggleHelp,
    Up,
    Down,
    Mark(AttendanceState),
    NextChild,
    PreviousChild,
    Save,
    NextField,
    PreviousField,
    Edit(EditOp),
}

/// A write to the store that `update` asks for; `effects::apply` performs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    SetAttendance {
        meeting: Id,
        member: Id,
        state: AttendanceState,
        /// For `Substitute`: the role deputised for.
        substitute_for: Option<String>,
    },
    SetCurrentItem {
        meeting: Id,
        item: Id,
    },
    RecordDecision {
        meeting: Id,
        child: ChildId,
        text: String,
        quorate: bool,
    },
    AddAction(NewAction),
}

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
    /// Which member the owner was last picked from (Up/Down), if any.
    pub picked: Option<usize>,
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

/// How a notice reads on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

pub struct App {
    pub terms: Terms,
    pub today: NaiveDate,
    /// `NO_COLOR` is set: highlight with bold and reverse only.
    pub no_color: bool,
    pub data: MeetingData,
    pub screen: Screen,
    /// Highlighted row of the roll call.
    pub roll_cursor: usize,
    /// Index into the agenda of the child being heard.
    pub current: usize,
    /// Decisions being typed, per child (kept when the chair steps away).
    pub decision_drafts: BTreeMap<ChildId, LineEditor>,
    /// Actions being typed, per child.
    pub action_forms: BTreeMap<ChildId, ActionForm>,
    pub help_open: bool,
    pub help_scroll: u16,
    /// Asking "Discard what you are typing? y/n".
    pub confirm_quit: bool,
    pub notice: Option<Notice>,
    pub quit: bool,
}

impl App {
    pub fn new(terms: Terms, data: MeetingData, today: NaiveDate) -> App {
        // Start where the meeting left off, if a current item was stored.
        let current = data
            .meeting
            .as_ref()
            .and_then(|m| m.current_item)
            .and_then(|item| data.agenda.iter().position(|a| a.id == item))
            .unwrap_or(0);
        App {
            terms,
            today,
            no_color: false,
            data,
            screen: Screen::Home,
            roll_cursor: 0,
            current,
            decision_drafts: BTreeMap::new(),
            action_forms: BTreeMap::new(),
            help_open: false,
            help_scroll: 0,
            confirm_quit: false,
            notice: None,
            quit: false,
        }
    }

    pub fn meeting_id(&self) -> Option<Id> {
        self.data.meeting.as_ref().map(|m| m.id)
    }

    /// The agenda item being heard.
    pub fn current_item(&self) -> Option<&AgendaItem> {
        self.data.agenda.get(self.current)
    }

    /// Quorum now, from the roll call; `None` without a meeting.
    pub fn quorum(&self) -> Option<QuorumResult> {
        self.data.meeting.as_ref()?;
        // The screen may be shared with the room: people are shown by job
        // title only, so names typed for members stay out of the quorum line.
        let by_title: Vec<_> = self
            .data
            .members
            .iter()
            .map(|m| crate::model::Member {
                name: None,
                ..m.clone()
            })
            .collect();
        Some(quorum::check_at(
            &self.terms.quorum,
            &by_title,
            &self.data.attendance,
            None,
        ))
    }

    /// The decision text as saved, or empty.
    pub fn saved_decision(&self, child: &str) -> &str {
        self.data
            .decision_for(child)
            .map_or("", |d| d.text.as_str())
    }

    /// Whether anything typed has not been saved.
    pub fn is_editing(&self) -> bool {
        self.decision_drafts
            .iter()
            .any(|(child, e)| e.text().trim() != self.saved_decision(child).trim())
            || self.action_forms.values().any(ActionForm::is_dirty)
    }

    pub fn attendance_state(&self, member: Id) -> AttendanceState {
        self.attendance_of(member)
            .map_or(AttendanceState::Expected, |a| a.state)
    }

    pub fn attendance_of(&self, member: Id) -> Option<&crate::model::Attendance> {
        self.data.attendance.iter().find(|a| a.member == member)
    }

    pub fn notify(&mut self, kind: NoticeKind, text: impl Into<String>) {
        self.notice = Some(Notice {
            kind,
            text: text.into(),
        });
    }
}
