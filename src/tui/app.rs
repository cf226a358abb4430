//! The app's state and the messages and effects that change it.

use crate::usecase::actions::{OwnerMatch, StatusFilter};

use chrono::NaiveDate;

use super::data::MeetingData;
use super::editor::EditOp;
use crate::model::{AgendaItem, AttendanceState, ChildId, Id, Member};
use crate::rules::quorum::{self, QuorumResult};
use crate::store::NewAction;
use crate::terms::Terms;

pub use super::screens::Screen;

/// Everything that can happen to the app; key presses become these through
/// the keymap, a bracketed paste becomes `Paste`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    Open(Screen),
    Back,
    Quit,
    ConfirmYes,
    ConfirmNo,
    ToggleHelp,
    Up,
    Down,
    /// A page up or down (the child card).
    PageUp,
    PageDown,
    Mark(AttendanceState),
    NextChild,
    PreviousChild,
    Save,
    NextField,
    PreviousField,
    Edit(EditOp),
    /// Text pasted into the terminal (bracketed paste): typed into the
    /// field being edited as text, never read as keys.
    Paste(String),
    /// Actions: moves a deadline typed on a weekend or bank holiday to the
    /// working day the form offers (Alt+W).
    MoveDeadlineOffClosedDay,
    /// Action list, matters arising: opens the highlighted action to correct it.
    CorrectAction,
    /// Opens the member form on a new member.
    NewMember,
    /// Action list: the next status filter (open, overdue, done, dropped, all).
    CycleActionStatus,
    /// Action list: the next owner filter (everyone, then each owner).
    CycleActionOwner,
    /// The `:` command palette: open it, close it, run the chosen command.
    Palette(super::palette::PaletteMsg),
    /// Highlights row `n` of the list on screen (a mouse click).
    Select(usize),
    /// Opens the card of the agenda's child at this index (the palette's
    /// "Go to child").
    OpenChild(usize),
    /// Action list: mark the highlighted action done.
    ActionDone,
    /// Action list: start dropping the highlighted action (asks why).
    DropAction,
    /// Carries the current child over to the next meeting.
    CarryOver,
    /// On the card of a child not on this agenda, a key of the agenda's
    /// card (decision, actions, carry over): says why it does nothing.
    NotOnAgenda,
    /// The Preparation screens' own (meetings, referrals, the agenda builder).
    Prepare(super::preparation::PrepMsg),
    /// Takes back the newest change of this session (written to the store).
    Undo,
    /// Makes the newest undone change again.
    Redo,
    /// Projector mode on or off: initials and ids only, no private notes.
    ToggleProjector,
    /// The next colour theme.
    CycleTheme,
    /// Papers: records the highlighted paper as received, signed off or
    /// awaited again.
    SetPaper(crate::rules::papers::PaperStatus),
    /// Files: writes the highlighted file (or files) into the folder.
    WriteFile,
    /// Files: the next format the highlighted file can be written in.
    CycleFormat,
    /// Files: an earlier or later meeting; on a report, its period.
    EarlierPeriod,
    LaterPeriod,
    /// The return: shows or hides `check`'s list.
    ToggleCheck,
    /// The terminal's size (columns, rows): at start and on each resize.
    Resize(u16, u16),
    /// A write `update` asked for is done (with what the store says of
    /// it) or was refused (why): `effects::apply` hands the outcome back,
    /// so what follows a write (screen, cursor, status line) is decided
    /// in `update`, and one pure test of `update` sees a whole step.
    Written {
        effect: Box<Effect>,
        at: chrono::NaiveDateTime,
        outcome: Result<Stored, String>,
    },
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
        /// The time they arrived or left as typed (minuting on another
        /// day); `None`: the clock on the meeting's day, else its start or end.
        time: Option<chrono::NaiveTime>,
    },
    SetCurrentItem {
        meeting: Id,
        item: Id,
    },
    /// Records a decision with the quorum as the store's roll call
    /// stands (`usecase::decisions::record`); the outcome says which.
    RecordDecision {
        meeting: Id,
        child: ChildId,
        text: String,
        /// The outcome with it, checked by its item type where it is stored.
        outcome: crate::model::OutcomeRecord,
    },
    /// Records (or replaces) a member's dissent from a decision, with
    /// their view (`Store::record_dissent`, as the command line does).
    RecordDissent {
        decision: Id,
        member: Id,
        view: String,
    },
    /// Records the decision-maker's sign-off of a recommendation, dated
    /// the day it is recorded (`Store::sign_off_decision`).
    SignOff {
        decision: Id,
        by: String,
        outcome: crate::model::SignOffOutcome,
        note: Option<String>,
    },
    AddAction(NewAction),
    /// Corrects a saved action (until its meeting's minutes are approved).
    CorrectAction {
        id: Id,
        text: String,
        owner: String,
        deadline: NaiveDate,
    },
    /// Adds (id 0) or updates one member.
    SaveMember(Member),
    CarryOver {
        meeting: Id,
        child: ChildId,
    },
    SetActionStatus {
        action: Id,
        status: crate::model::ActionStatus,
        reason: Option<String>,
    },
    /// Saves (or, blank, removes) the administrator's private note.
    SaveNote {
        meeting: Id,
        child: ChildId,
        text: String,
    },
    /// A member declares an interest in the child's item and withdraws
    /// from its quorum (`usecase::interests::declare`).
    DeclareInterest {
        meeting: Id,
        child: ChildId,
        member: Id,
    },
    /// A Preparation write (meetings, referrals, an agenda's building):
    /// see `preparation`.
    Prepare(super::preparation::Prepare),
    /// Records where a paper stands (`usecase::papers::set_status`).
    SetPaper {
        meeting: Id,
        child: ChildId,
        paper: String,
        status: crate::rules::papers::PaperStatus,
    },
    /// Remembers the folder files are written to (a panel setting).
    SetFolder(String),
    /// Writes files through `usecase::files` (see `jobs`).
    WriteFiles(super::jobs::FileJob),
    /// Imports returns through `usecase::returns::import` (see `jobs`).
    ImportReturns(Vec<std::path::PathBuf>),
    /// Reads `check`'s list, with every warning, at the app's day.
    ReadCheck,
    /// Reads the returns held, for the Return screen.
    LoadReturnsHeld,
    /// Reads what the Preparation screens show (`preparation::Preparation`).
    LoadPreparation,
    /// Writes the inverse of the newest change (see `undo`).
    Undo,
    /// Writes the newest undone change again.
    Redo,
    /// Finds a child of the panel who is not on this agenda (by name or
    /// id, as typed after `/`) and reads their card: a read, no write.
    LookUpChild {
        typed: String,
    },
    /// Records changes from now on under these initials and keeps them in
    /// this person's settings on this computer.
    SaveInitials {
        initials: String,
    },
}

/// What the store says of a write that was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    Done,
    /// A decision, with the quorum recorded with it.
    Decision {
        quorate: bool,
    },
    /// The card of the child looked up, or none when no child matched.
    Found(Option<Box<super::data::ChildCard>>),
    /// A Preparation write: how many meetings a plan added, and whether
    /// the app is now on another meeting than before.
    Prepared {
        performed: super::preparation::Performed,
        moved_app: bool,
    },
    /// Files written: what each is and where.
    Files(Vec<super::jobs::Written>),
    /// An import's report, and `check`'s list after it.
    Imported(Box<super::jobs::Imported>),
    /// `check`'s list, read.
    Check(Vec<crate::usecase::returns::CheckRow>),
}

pub use super::screens::actions::{ActionField, ActionForm};
pub use super::screens::member_form::{MemberField, MemberForm};

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
    /// The screens Esc goes back through, the most recent last (forms are
    /// never kept in it: leaving one forward returns to where it was opened
    /// from). See `go` and `go_back`.
    pub history: Vec<Screen>,
    /// Index into the agenda of the child being heard.
    pub current: usize,
    /// Each screen's own state (its cursor, what is typed on it), under
    /// the screen's module name: see `screens`.
    pub screens: super::screens::Screens,
    /// The help, the palette and questions over the screen, on a stack
    /// whose top takes keys first (see `overlay`).
    pub overlays: super::overlay::Overlays,
    /// The terminal's size as the last `Msg::Resize` gave it (the
    /// smallest laid out until one comes): scroll limits and the mouse's
    /// hit map are worked out at it, so the view writes nothing.
    pub size: (u16, u16),
    pub notice: Option<Notice>,
    pub quit: bool,
    /// The read-only presenter view: it follows the chair's current item.
    pub presenter: bool,
    /// Opened read-only because another copy of the app holds the panel.
    pub read_only: bool,
    /// The initials set in the app's settings, recorded in the audit.
    pub initials: Option<String>,
    /// This person's settings file on this computer (none: not kept).
    pub settings_path: Option<std::path::PathBuf>,
    /// The time on the wall, set by the event loop each second (none in
    /// tests, unless a test sets it): drives the meeting's timing line.
    pub clock_time: Option<chrono::NaiveTime>,
    /// The changes of this session, for undo and redo.
    pub undo: super::undo::Journal,
    /// Projector mode: the screen is shown to the room.
    pub projector: bool,
    /// The colour theme (`NO_COLOR` overrides its colours).
    pub theme: super::theme::ThemeName,
    /// Where a long job (an import, files written) stands while it runs:
    /// the notice line shows it.
    pub progress: Option<(String, crate::progress::Step)>,
}

/// The action list's status filter after `f`: open, overdue, done,
/// dropped, all, and round again.
pub fn next_status(status: Option<StatusFilter>) -> Option<StatusFilter> {
    match status {
        Some(StatusFilter::Open) => Some(StatusFilter::Overdue),
        Some(StatusFilter::Overdue) => Some(StatusFilter::Done),
        Some(StatusFilter::Done) => Some(StatusFilter::Dropped),
        Some(StatusFilter::Dropped) => None,
        None => Some(StatusFilter::Open),
    }
}

/// The status filter's word on screen.
pub fn status_label(status: Option<StatusFilter>) -> &'static str {
    status.map_or("all", StatusFilter::label)
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
            history: Vec::new(),
            current,
            screens: Default::default(),
            overlays: Default::default(),
            size: (super::view::MIN_WIDTH, super::view::MIN_HEIGHT),
            notice: None,
            quit: false,
            presenter: false,
            read_only: false,
            initials: None,
            settings_path: None,
            clock_time: None,
            undo: Default::default(),
            projector: false,
            theme: Default::default(),
            progress: None,
        }
    }

    /// Whether the help is open (under a question, maybe).
    pub fn help_open(&self) -> bool {
        self.overlays.help_scroll().is_some()
    }

    /// How far the help is scrolled (0 when closed).
    pub fn help_scroll(&self) -> u16 {
        self.overlays.help_scroll().unwrap_or(0)
    }

    /// The `:` palette, while open.
    pub fn palette(&self) -> Option<&super::palette::Palette> {
        self.overlays.palette()
    }

    /// Whether "Discard what you are typing? y/n" is asked.
    pub fn confirm_quit(&self) -> bool {
        self.overlays.question() == Some(super::overlay::Question::DiscardAndQuit)
    }

    pub fn meeting_id(&self) -> Option<Id> {
        self.data.meeting.as_ref().map(|m| m.id)
    }

    /// The agenda item being heard.
    pub fn current_item(&self) -> Option<&AgendaItem> {
        self.data.agenda.get(self.current)
    }

    /// Quorum now, from the roll call, for the item being heard (without
    /// the members who declared an interest in it); `None` without a
    /// meeting.
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
            &self
                .current_item()
                .map(|item| self.data.withdrawn_from(&item.child))
                .unwrap_or_default(),
        ))
    }

    /// Whether the quorum line says anything yet: on the meeting's day, or
    /// once anyone is in its roll call. Weeks before, while the
    /// administrator prepares, an empty roll call would read "NOT QUORATE"
    /// on every screen, an alarm about nothing.
    pub fn quorum_matters(&self) -> bool {
        self.data
            .meeting
            .as_ref()
            .is_some_and(|m| m.date == self.today || !self.data.attendance.is_empty())
    }

    /// The decision text as saved, or empty.
    pub fn saved_decision(&self, child: &str) -> &str {
        self.data
            .decision_for(child)
            .map_or("", |d| d.text.as_str())
    }

    /// The kind of item `child` is heard as, from the agenda (a tracking
    /// review when it names none), or why the terms do not know it.
    pub fn item_type_of(&self, child: &str) -> Result<&crate::terms::ItemType, String> {
        crate::usecase::decisions::item_type_named(
            &self.terms,
            self.data.agenda_item_types.get(child).map(String::as_str),
        )
        .map_err(|e| e.to_string())
    }

    /// The outcome saved with `child`'s decision at this meeting, if any.
    pub fn saved_outcome(&self, child: &str) -> Option<&crate::store::DecisionOutcome> {
        let decision = self.data.decision_for(child)?;
        self.data.decision_outcomes.get(&decision.id)
    }

    /// Whether anything typed has not been saved.
    pub fn is_editing(&self) -> bool {
        self.screens.is_dirty(self)
    }

    /// The full card of the child being heard, as `refresh_card` kept it;
    /// worked out here (and not kept: the view writes nothing) only when no
    /// step has run since the data was loaded.
    pub fn child_card(&self) -> Option<std::rc::Rc<super::data::ChildCard>> {
        let item = self.current_item()?;
        match &self.data.card_cache {
            Some(card) if card.child == item.child => Some(card.clone()),
            _ => Some(std::rc::Rc::new(self.work_out_card(item))),
        }
    }

    /// Works out the card of the child being heard when the child changed
    /// or the data was reloaded, after each step (`update`, `apply`), so a
    /// frame only draws it.
    pub fn refresh_card(&mut self) {
        let Some(item) = self.current_item() else {
            self.data.card_cache = None;
            return;
        };
        if self
            .data
            .card_cache
            .as_ref()
            .is_some_and(|card| card.child == item.child)
        {
            return;
        }
        let card = std::rc::Rc::new(self.work_out_card(item));
        self.data.card_cache = Some(card);
    }

    fn work_out_card(&self, item: &AgendaItem) -> super::data::ChildCard {
        super::data::child_card(
            &self.data,
            item,
            &self.terms,
            self.membership_day(),
            &super::closed_day::calendar(),
        )
    }

    /// How the meeting runs against its plan, on the meeting's day.
    pub fn timing(&self) -> Option<super::data::Timing> {
        let now = self.clock_time?;
        let meeting = self.data.meeting.as_ref()?;
        if meeting.date != self.today || self.data.agenda.is_empty() {
            return None;
        }
        Some(super::data::timing(
            meeting,
            self.terms.agenda.slot_minutes,
            self.current,
            self.data.agenda.len(),
            now,
        ))
    }

    /// The action list as filtered, soonest deadline first.
    pub fn visible_actions(&self) -> Vec<&crate::model::Action> {
        let mut shown: Vec<&crate::model::Action> = self
            .data
            .all_actions
            .iter()
            .filter(|a| {
                self.screens
                    .action_list
                    .filter
                    .keeps(a, self.membership_day())
            })
            .collect();
        shown.sort_by_key(|a| (a.deadline, a.id));
        shown
    }

    /// Every owner named on an action, for the owner filter.
    pub fn action_owners(&self) -> Vec<String> {
        let mut owners: Vec<String> = self
            .data
            .all_actions
            .iter()
            .map(|a| a.owner.clone())
            .collect();
        owners.sort();
        owners.dedup();
        owners
    }

    /// The member form on screen, if any.
    pub fn member_form(&self) -> Option<&MemberForm> {
        let state = &self.screens.member_form;
        state.drafts.get(&state.editing?)
    }

    pub fn member_form_mut(&mut self) -> Option<&mut MemberForm> {
        let state = &mut self.screens.member_form;
        state.drafts.get_mut(&state.editing?)
    }

    /// The day membership is judged on: the meeting's date, else today.
    pub fn membership_day(&self) -> NaiveDate {
        self.data.meeting.as_ref().map_or(self.today, |m| m.date)
    }

    pub fn attendance_state(&self, member: Id) -> AttendanceState {
        self.attendance_of(member)
            .map_or(AttendanceState::Expected, |a| a.state)
    }

    pub fn attendance_of(&self, member: Id) -> Option<&crate::model::Attendance> {
        self.data.attendance.iter().find(|a| a.member == member)
    }

    /// The day the action form's deadline counts from: the meeting a
    /// corrected action was set at, else this meeting's.
    pub fn action_form_day(&self) -> NaiveDate {
        self.screens
            .actions
            .correcting
            .as_ref()
            .and_then(|(id, _)| self.data.all_actions.iter().find(|a| a.id == *id))
            .and_then(|a| self.data.meeting_dates.get(&a.meeting).copied())
            .unwrap_or_else(|| self.membership_day())
    }

    /// The action form on screen: the correction being typed, else the
    /// new action of the child being heard.
    pub fn action_form(&self) -> Option<&ActionForm> {
        match &self.screens.actions.correcting {
            Some((_, form)) => Some(form),
            None => self.screens.actions.forms.get(&self.current_item()?.child),
        }
    }

    pub fn action_form_mut(&mut self) -> Option<&mut ActionForm> {
        if self.screens.actions.correcting.is_some() {
            return self
                .screens
                .actions
                .correcting
                .as_mut()
                .map(|(_, form)| form);
        }
        let child = self.current_item()?.child.clone();
        self.screens.actions.forms.get_mut(&child)
    }

    /// The owners offered for an action as `typed` is typed: those named
    /// on this meeting's actions, the last used first, then the standing
    /// owners ("Allocated social worker", "Team Manager") and the terms'
    /// own, then the members' job titles and the terms' roles. Each word
    /// typed must begin a word of the owner (any case); nothing typed
    /// offers them all.
    pub fn owner_choices(&self, typed: &str) -> Vec<String> {
        let meeting = self.meeting_id();
        let mut used: Vec<&crate::model::Action> = self
            .data
            .all_actions
            .iter()
            .filter(|a| Some(a.meeting) == meeting)
            .collect();
        used.sort_by_key(|a| std::cmp::Reverse(a.id));
        let candidates = used
            .into_iter()
            .map(|a| a.owner.as_str())
            .chain(crate::terms::STANDING_OWNERS)
            .chain(self.terms.action_owners.iter().map(String::as_str))
            .chain(self.data.members.iter().map(|m| m.job_title.as_str()))
            .chain(self.terms.roles.iter().map(|r| r.job_title.as_str()));
        let wanted: Vec<String> = typed.split_whitespace().map(str::to_lowercase).collect();
        let mut out: Vec<String> = Vec::new();
        for owner in candidates {
            let lower = owner.to_lowercase();
            let words: Vec<&str> = lower
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            let matches = wanted
                .iter()
                .all(|w| words.iter().any(|word| word.starts_with(w.as_str())));
            if matches && !out.iter().any(|o| o.to_lowercase() == lower) {
                out.push(owner.to_owned());
            }
        }
        out
    }

    /// Goes to `screen`, so that Esc comes back here. Home starts the
    /// trail again; a form is left, not kept; a screen is on the trail at
    /// most once, so going round h, g, r, g never grows it. Going to a
    /// screen already on the trail is going back up to it when it is the
    /// screen above the one that followed it there (the agenda from a
    /// card's side trip: the trail is cut back to it); otherwise it is a
    /// side trip of its own (the roll call from a card, though the roll
    /// call came before the card): it moves to the end, and Esc from it
    /// comes back here.
    pub fn go(&mut self, screen: Screen) {
        if screen == self.screen {
            return;
        }
        if screen == Screen::Home {
            self.history.clear();
        } else if let Some(at) = self.history.iter().position(|s| *s == screen) {
            let followed_by = self.history.get(at + 1).copied().unwrap_or(self.screen);
            if followed_by.above() == screen {
                self.history.truncate(at);
            } else {
                self.history.remove(at);
                self.push_trail();
            }
        } else {
            self.push_trail();
        }
        self.screen = screen;
    }

    /// Puts the screen being left on the trail, unless it is a form.
    fn push_trail(&mut self) {
        if !self.screen.is_form() {
            let here = self.screen;
            self.history.retain(|s| *s != here);
            self.history.push(here);
        }
    }

    /// Esc: back to the screen this one was reached from; with no trail
    /// (a screen set directly), to the screen above it.
    pub fn go_back(&mut self) {
        self.screen = self.history.pop().unwrap_or(match self.screen {
            // Back to the list the action was picked on.
            Screen::DropAction => self.screens.drop_action.origin,
            Screen::PrepForm => self.screens.prep_form.origin,
            screen => screen.above(),
        });
    }

    pub fn notify(&mut self, kind: NoticeKind, text: impl Into<String>) {
        self.notice = Some(Notice {
            kind,
            text: text.into(),
        });
    }
}

impl App {
    /// The owner the action list is filtered to, if one.
    pub fn action_owner(&self) -> Option<&str> {
        match &self.screens.action_list.filter.owner {
            Some(OwnerMatch::Exactly(o)) | Some(OwnerMatch::Contains(o)) => Some(o),
            None => None,
        }
    }
}
