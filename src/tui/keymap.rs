//! Every key binding in one table. The same table dispatches key presses,
//! fills the `?` help overlay and writes the footer line.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::app::{App, Msg, Screen};
use super::editor::EditOp;
use super::palette::PaletteMsg;
use super::preparation::PrepMsg;
use crate::model::AttendanceState;
use crate::rules::papers::PaperStatus;

/// A key as the table names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Alt(char),
    F(u8),
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
}

impl Key {
    /// The key a terminal event stands for; releases and unnamed keys give none.
    pub fn from_event(event: KeyEvent) -> Option<Key> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let alt = event.modifiers.contains(KeyModifiers::ALT);
        Some(match event.code {
            KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
            KeyCode::Char(c) if alt => Key::Alt(c.to_ascii_lowercase()),
            KeyCode::Char(c) => Key::Char(c),
            KeyCode::F(n) => Key::F(n),
            KeyCode::Up => Key::Up,
            KeyCode::Down => Key::Down,
            KeyCode::Left => Key::Left,
            KeyCode::Right => Key::Right,
            KeyCode::Home => Key::Home,
            KeyCode::End => Key::End,
            KeyCode::PageUp => Key::PageUp,
            KeyCode::PageDown => Key::PageDown,
            KeyCode::Enter => Key::Enter,
            KeyCode::Esc => Key::Esc,
            KeyCode::Tab => Key::Tab,
            KeyCode::BackTab => Key::BackTab,
            KeyCode::Backspace => Key::Backspace,
            KeyCode::Delete => Key::Delete,
            _ => return None,
        })
    }

    pub fn label(self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl+{}", c.to_ascii_uppercase()),
            Key::Alt(c) => format!("Alt+{}", c.to_ascii_uppercase()),
            Key::F(n) => format!("F{n}"),
            Key::Up => "↑".into(),
            Key::Down => "↓".into(),
            Key::Left => "←".into(),
            Key::Right => "→".into(),
            Key::Home => "Home".into(),
            Key::End => "End".into(),
            Key::PageUp => "PgUp".into(),
            Key::PageDown => "PgDn".into(),
            Key::Enter => "Enter".into(),
            Key::Esc => "Esc".into(),
            Key::Tab => "Tab".into(),
            Key::BackTab => "Shift+Tab".into(),
            Key::Backspace => "Backspace".into(),
            Key::Delete => "Delete".into(),
        }
    }
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Every screen, even while typing.
    Anywhere,
    /// Every screen without a text field.
    Browsing,
    /// Screens with a text field.
    Typing,
    Screen(Screen),
    Help,
    /// The "Discard what you are typing? y/n" question.
    ConfirmQuit,
    /// The `:` command palette.
    Palette,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Anywhere => "Anywhere",
            Context::Browsing => "On screens without a text field",
            Context::Typing => "In a text field",
            Context::Screen(s) => s.title(),
            Context::Help => "Help",
            Context::ConfirmQuit => "Asked to discard",
            Context::Palette => "Command palette",
        }
    }
}

pub struct Binding {
    pub keys: &'static [Key],
    pub context: Context,
    /// The footer's word for it.
    pub short: &'static str,
    /// The help overlay's sentence.
    pub description: &'static str,
    pub msg: Msg,
    pub in_footer: bool,
    /// How the footer writes the keys, when not `keys_label()` (e.g. "↑↓").
    pub footer_keys: &'static str,
}

impl Binding {
    const fn footer_keys(mut self, keys: &'static str) -> Binding {
        self.footer_keys = keys;
        self
    }

    pub fn keys_label(&self) -> String {
        self.keys
            .iter()
            .map(|k| k.label())
            .collect::<Vec<_>>()
            .join("/")
    }
}

const fn bind(
    keys: &'static [Key],
    context: Context,
    short: &'static str,
    description: &'static str,
    msg: Msg,
    in_footer: bool,
) -> Binding {
    Binding {
        keys,
        context,
        short,
        description,
        msg,
        in_footer,
        footer_keys: "",
    }
}

use Context::{Anywhere, Browsing, ConfirmQuit, Help, Typing};
const HOME: Context = Context::Screen(Screen::Home);
const ROLL: Context = Context::Screen(Screen::RollCall);
const AGENDA: Context = Context::Screen(Screen::Agenda);
const CARD: Context = Context::Screen(Screen::Card);
const DECISION: Context = Context::Screen(Screen::Decision);
const ACTIONS: Context = Context::Screen(Screen::Actions);
const MEMBERS: Context = Context::Screen(Screen::Members);
const MEMBER_FORM: Context = Context::Screen(Screen::MemberForm);
const ACTION_LIST: Context = Context::Screen(Screen::ActionList);
const DROP: Context = Context::Screen(Screen::DropAction);
const JUMP: Context = Context::Screen(Screen::Jump);
const MATTERS: Context = Context::Screen(Screen::Matters);
const VISIT: Context = Context::Screen(Screen::Visit);
const TIME: Context = Context::Screen(Screen::AttendanceTime);
const INITIALS: Context = Context::Screen(Screen::Initials);
const INTERESTS: Context = Context::Screen(Screen::Interests);
const PALETTE: Context = Context::Palette;
const MEETINGS: Context = Context::Screen(Screen::Meetings);
const REFERRALS: Context = Context::Screen(Screen::Referrals);
const BUILDER: Context = Context::Screen(Screen::AgendaBuilder);
const PREP_FORM: Context = Context::Screen(Screen::PrepForm);
const FOSTERING: Context = Context::Screen(Screen::Fostering);
const PAPERS: Context = Context::Screen(Screen::Papers);
const FILES: Context = Context::Screen(Screen::Files);
const FOLDER: Context = Context::Screen(Screen::Folder);
const RETURNS: Context = Context::Screen(Screen::Returns);
const IMPORT: Context = Context::Screen(Screen::ImportPrompt);
const DISSENT: Context = Context::Screen(Screen::Dissent);
const SIGN_OFFS: Context = Context::Screen(Screen::SignOffs);
const SIGN_OFF_FORM: Context = Context::Screen(Screen::SignOffForm);

/// The keymap. Earlier contexts of `contexts_for` win, so a screen can
/// give a key its own meaning.
#[rustfmt::skip]
pub static KEYMAP: &[Binding] = &[
    bind(&[Key::Char('y')], ConfirmQuit, "yes", "Discard what was typed and quit", Msg::ConfirmYes, true),
    bind(&[Key::Char('n'), Key::Esc], ConfirmQuit, "no", "Keep typing", Msg::ConfirmNo, true),
    bind(&[Key::Char('?'), Key::F(1), Key::Esc], Help, "close", "Close the help", Msg::ToggleHelp, true),
    bind(&[Key::Up, Key::Char('k')], Help, "scroll up", "Scroll the help up", Msg::Up, true),
    bind(&[Key::Down, Key::Char('j')], Help, "scroll down", "Scroll the help down", Msg::Down, true),
    bind(&[Key::Char('r')], HOME, "roll call", "Open the roll call", Msg::Open(Screen::RollCall), true),
    bind(&[Key::Char('g'), Key::Enter], HOME, "agenda", "Open the agenda", Msg::Open(Screen::Agenda), true).footer_keys("g"),
    bind(&[Key::Char('m')], HOME, "members", "Open the panel's members", Msg::Open(Screen::Members), true),
    bind(&[Key::Char('l')], HOME, "actions", "Open the action list across children", Msg::Open(Screen::ActionList), true),
    bind(&[Key::Char('M')], HOME, "matters", "Open the matters arising from earlier meetings", Msg::Open(Screen::Matters), true),
    bind(&[Key::Char('i')], HOME, "initials", "Settings: your initials, recorded with every change you make", Msg::Open(Screen::Initials), false),
    bind(&[Key::Char('Y')], HOME, "meetings", "Open the year's meetings: plan, move, cancel", Msg::Open(Screen::Meetings), false),
    bind(&[Key::Char('R')], HOME, "referrals", "Open the referrals waiting: add, accept, decline", Msg::Open(Screen::Referrals), false),
    bind(&[Key::Char('b')], HOME, "build agenda", "Build the agenda of the meeting the app is on", Msg::Open(Screen::AgendaBuilder), false),
    bind(&[Key::Up, Key::Char('k')], MEETINGS, "choose", "Highlight the meeting above", Msg::Up, false).footer_keys("↑↓"),
    bind(&[Key::Down, Key::Char('j')], MEETINGS, "", "Highlight the meeting below", Msg::Down, false),
    bind(&[Key::Enter], MEETINGS, "agenda", "Build the highlighted meeting's agenda", Msg::Prepare(PrepMsg::OpenBuilder), true),
    bind(&[Key::Char('p')], MEETINGS, "plan", "Plan a year's meetings from the terms' cadence", Msg::Prepare(PrepMsg::PlanYear), true),
    bind(&[Key::Char('a')], MEETINGS, "extra", "Add an extra sitting, with the reason", Msg::Prepare(PrepMsg::AddSitting), false),
    bind(&[Key::Char('v')], MEETINGS, "move", "Move the highlighted meeting to another day (asks why)", Msg::Prepare(PrepMsg::MoveMeeting), true),
    bind(&[Key::Char('x')], MEETINGS, "cancel", "Cancel the highlighted meeting (asks why)", Msg::Prepare(PrepMsg::CancelMeeting), true),
    bind(&[Key::Up, Key::Char('k')], REFERRALS, "choose", "Highlight the referral above", Msg::Up, true).footer_keys("↑↓"),
    bind(&[Key::Down, Key::Char('j')], REFERRALS, "", "Highlight the referral below", Msg::Down, false),
    bind(&[Key::Char('n')], REFERRALS, "new", "Record a new referral", Msg::Prepare(PrepMsg::NewReferral), true),
    bind(&[Key::Char('a')], REFERRALS, "accept", "Accept the highlighted referral for a meeting", Msg::Prepare(PrepMsg::AcceptReferral), true),
    bind(&[Key::Char('d')], REFERRALS, "decline", "Decline the highlighted referral (asks why)", Msg::Prepare(PrepMsg::DeclineReferral), true),
    bind(&[Key::Up, Key::Char('k')], BUILDER, "choose", "Highlight the child above", Msg::Up, false).footer_keys("↑↓"),
    bind(&[Key::Down, Key::Char('j')], BUILDER, "", "Highlight the child below", Msg::Down, false),
    bind(&[Key::Char('b')], BUILDER, "build", "Build (or rebuild) the agenda, until it is published", Msg::Prepare(PrepMsg::Build), false),
    bind(&[Key::Char('p')], BUILDER, "pin", "Pin or unpin the highlighted child (pinned: always heard)", Msg::Prepare(PrepMsg::TogglePin), true),
    bind(&[Key::Char('a')], BUILDER, "add", "Add a child by hand (asks who and why)", Msg::Prepare(PrepMsg::AddChild), true),
    bind(&[Key::Char('x')], BUILDER, "remove", "Take the highlighted child off (asks why)", Msg::Prepare(PrepMsg::RemoveChild), true),
    bind(&[Key::Char('<')], BUILDER, "order", "Hear the highlighted child one place earlier", Msg::Prepare(PrepMsg::MoveUp), true).footer_keys("<>"),
    bind(&[Key::Char('>')], BUILDER, "", "Hear the highlighted child one place later", Msg::Prepare(PrepMsg::MoveDown), false),
    bind(&[Key::Char('P')], BUILDER, "publish", "Publish the agenda: later changes ask first", Msg::Prepare(PrepMsg::Publish), true),
    bind(&[Key::Char('O')], HOME, "fostering", "Open the Fostering Panel: sittings, slots, children booked", Msg::Open(Screen::Fostering), false),
    bind(&[Key::Up, Key::Char('k')], FOSTERING, "choose", "Highlight the sitting above", Msg::Up, true).footer_keys("↑↓"),
    bind(&[Key::Down, Key::Char('j')], FOSTERING, "", "Highlight the sitting below", Msg::Down, false),
    bind(&[Key::Char('a')], FOSTERING, "add", "Record a sitting and its slots (or a day's slots again)", Msg::Prepare(PrepMsg::AddFosteringPanel), true),
    bind(&[Key::Char('s')], FOSTERING, "slots", "Change the highlighted sitting's slots", Msg::Prepare(PrepMsg::FosteringSlots), false),
    bind(&[Key::Char('b')], FOSTERING, "book", "Book a child's long-term match to the highlighted sitting", Msg::Prepare(PrepMsg::BookFostering), true),
    bind(&[Key::Char('x')], FOSTERING, "take off", "Take a child's booking off the highlighted sitting", Msg::Prepare(PrepMsg::UnbookFostering), true),
    bind(&[Key::Char('d')], FOSTERING, "remove", "Remove the highlighted sitting (none booked to it)", Msg::Prepare(PrepMsg::RemoveFosteringPanel), true),
    bind(&[Key::Enter], PREP_FORM, "save", "Save what the form asks for", Msg::Save, true),
    bind(&[Key::Tab], PREP_FORM, "next field", "Go to the next field", Msg::NextField, true),
    bind(&[Key::BackTab], PREP_FORM, "", "Go to the previous field", Msg::PreviousField, false),
    bind(&[Key::Up], PREP_FORM, "choose", "Pick the match or meeting above", Msg::Up, true).footer_keys("↑↓"),
    bind(&[Key::Down], PREP_FORM, "", "Pick the match or meeting below", Msg::Down, false),
    bind(&[Key::Char('P')], HOME, "papers", "Open the papers' chase list for the meeting", Msg::Open(Screen::Papers), false),
    bind(&[Key::Char('F')], HOME, "files", "Write the invitations, the tracker, the minutes or a report", Msg::Open(Screen::Files), false),
    bind(&[Key::Char('I')], HOME, "return", "Import a year's return and read what it found", Msg::Open(Screen::Returns), false),
    bind(&[Key::Up, Key::Char('k')], PAPERS, "move", "Highlight the paper above", Msg::Up, true).footer_keys("↑↓"),
    bind(&[Key::Down, Key::Char('j')], PAPERS, "", "Highlight the paper below", Msg::Down, false),
    bind(&[Key::Char('r')], PAPERS, "received", "Mark the highlighted paper received", Msg::SetPaper(PaperStatus::Received), true),
    bind(&[Key::Char('s')], PAPERS, "signed off", "Mark the highlighted paper signed off", Msg::SetPaper(PaperStatus::SignedOff), true),
    bind(&[Key::Char('a')], PAPERS, "awaited", "Mark the highlighted paper awaited again", Msg::SetPaper(PaperStatus::Awaited), true),
    bind(&[Key::Up, Key::Char('k')], FILES, "move", "Highlight the file above", Msg::Up, true).footer_keys("↑↓"),
    bind(&[Key::Down, Key::Char('j')], FILES, "", "Highlight the file below", Msg::Down, false),
    bind(&[Key::Enter], FILES, "write", "Write the highlighted file into the folder", Msg::WriteFile, true),
    bind(&[Key::Char('o')], FILES, "folder", "Choose the folder files are written to", Msg::Open(Screen::Folder), true),
    bind(&[Key::Char('f')], FILES, "format", "Write the highlighted file as Word, Excel or plain text", Msg::CycleFormat, true),
    bind(&[Key::Left], FILES, "earlier", "An earlier meeting (a report: its period)", Msg::EarlierPeriod, false),
    bind(&[Key::Right], FILES, "", "A later meeting (a report: its period)", Msg::LaterPeriod, false),
    bind(&[Key::Enter], FOLDER, "keep", "Keep the folder typed and write files there", Msg::Save, true),
    bind(&[Key::Char('i')], RETURNS, "import", "Import a folder of returns (or several)", Msg::Open(Screen::ImportPrompt), true),
    bind(&[Key::Char('c')], RETURNS, "check", "Show or hide check's list of every problem and warning", Msg::ToggleCheck, true),
    bind(&[Key::Up, Key::Char('k')], RETURNS, "scroll", "Scroll up a line", Msg::Up, true).footer_keys("↑↓"),
    bind(&[Key::Down, Key::Char('j')], RETURNS, "", "Scroll down a line", Msg::Down, false),
    bind(&[Key::Enter], IMPORT, "import", "Import the returns in the folders typed", Msg::Save, true),
    bind(&[Key::Enter], PALETTE, "run", "Run the highlighted command", Msg::Palette(PaletteMsg::Run), true),
    bind(&[Key::Esc], PALETTE, "close", "Close the palette", Msg::Palette(PaletteMsg::Close), true),
    bind(&[Key::Up], PALETTE, "choose", "Highlight the command above", Msg::Up, true).footer_keys("↑↓"),
    bind(&[Key::Down], PALETTE, "", "Highlight the command below", Msg::Down, false),
    bind(&[Key::Up, Key::Char('k')], MATTERS, "move", "Highlight the matter above", Msg::Up, true).footer_keys("↑↓"),
    bind(&[Key::Down, Key::Char('j')], MATTERS, "", "Highlight the matter below", Msg::Down, false),
    bind(&[Key::Char('x')], MATTERS, "done", "Mark the highlighted matter's action done", Msg::ActionDone, true),
    bind(&[Key::Char('z')], MATTERS, "drop", "Drop the highlighted matter's action (asks why)", Msg::DropAction, true),
    bind(&[Key::Char('e')], MATTERS, "correct", "Correct the highlighted action's wording, owner or deadline", Msg::CorrectAction, false),
    bind(&[Key::Up, Key::Char('k')], ACTION_LIST, "move", "Highlight the action above", Msg::Up, true).footer_keys("↑↓"),
    bind(&[Key::Down, Key::Char('j')], ACTION_LIST, "", "Highlight the action below", Msg::Down, false),
    bind(&[Key::Char('f')], ACTION_LIST, "status", "Show open, overdue, done, dropped or all actions", Msg::CycleActionStatus, true),
    bind(&[Key::Char('o')], ACTION_LIST, "owner", "Show one owner's actions, then the next, then all", Msg::CycleActionOwner, true),
    bind(&[Key::Char('x')], ACTION_LIST, "done", "Mark the highlighted action done", Msg::ActionDone, true),
    bind(&[Key::Char('z')], ACTION_LIST, "drop", "Drop the highlighted action (asks why)", Msg::DropAction, true),
    bind(&[Key::Char('e')], ACTION_LIST, "correct", "Correct the highlighted action's wording, owner or deadline", Msg::CorrectAction, false),
    bind(&[Key::Enter], DROP, "save", "Drop the action with this reason", Msg::Save, true),
    bind(&[Key::Enter], INITIALS, "save", "Record changes under these initials from now on", Msg::Save, true),
    bind(&[Key::Enter], TIME, "save", "Record the time typed (hh:mm)", Msg::Save, true),
    bind(&[Key::Enter], JUMP, "go", "Open the card of the child whose id or name matches", Msg::Save, true),
    bind(&[Key::Char('e')], CARD, "note", "Write your private note on the child (never projected)", Msg::Open(Screen::Note), false),
    bind(&[Key::Char('u')], Browsing, "undo", "Undo the last change of this session (saved at once)", Msg::Undo, true),
    bind(&[Key::Ctrl('r')], Browsing, "", "Redo the last change undone", Msg::Redo, false),
    bind(&[Key::F(5)], Anywhere, "", "Projector mode on or off: initials and ids only", Msg::ToggleProjector, false),
    bind(&[Key::Char('t')], Browsing, "", "Next colour theme (default, high contrast)", Msg::CycleTheme, false),
    bind(&[Key::Up, Key::Char('k')], ROLL, "move", "Highlight the member above", Msg::Up, true).footer_keys("↑↓"),
    bind(&[Key::Down, Key::Char('j')], ROLL, "", "Highlight the member below", Msg::Down, false),
    bind(&[Key::Char('p')], ROLL, "present", "Mark the member present", Msg::Mark(AttendanceState::Present), true),
    bind(&[Key::Char('a')], ROLL, "apologies", "Mark that the member sent apologies", Msg::Mark(AttendanceState::Apologies), true),
    bind(&[Key::Char('x')], ROLL, "absent/left", "Mark absent, or left now if present", Msg::Mark(AttendanceState::Absent), true),
    bind(&[Key::Char('i')], ROLL, "in attendance", "Mark in attendance (not for quorum)", Msg::Mark(AttendanceState::InAttendance), false),
    bind(&[Key::Char('s')], ROLL, "substitute", "Mark a named substitute present", Msg::Mark(AttendanceState::Substitute), false),
    bind(&[Key::Down, Key::Char('j'), Key::Char('n')], AGENDA, "next", "Next child (the presenter view follows)", Msg::NextChild, true),
    bind(&[Key::Up, Key::Char('k'), Key::Char('p')], AGENDA, "previous", "Previous child", Msg::PreviousChild, true),
    bind(&[Key::Enter, Key::Char('c')], AGENDA, "card", "Open the current child's card", Msg::Open(Screen::Card), true),
    bind(&[Key::Char('d')], CARD, "decision", "Record the panel's decision", Msg::Open(Screen::Decision), true),
    bind(&[Key::Char('a')], CARD, "actions", "Add and list this child's actions", Msg::Open(Screen::Actions), true),
    bind(&[Key::Right, Key::Char('n')], CARD, "next", "Next child's card", Msg::NextChild, true),
    bind(&[Key::Left, Key::Char('p')], CARD, "previous", "Previous child's card", Msg::PreviousChild, true),
    bind(&[Key::Up, Key::Char('k')], CARD, "scroll", "Scroll the card up a line", Msg::Up, false),
    bind(&[Key::Down, Key::Char('j')], CARD, "", "Scroll the card down a line", Msg::Down, false),
    bind(&[Key::PageUp], CARD, "", "Scroll the card up a page", Msg::PageUp, false),
    bind(&[Key::PageDown], CARD, "", "Scroll the card down a page", Msg::PageDown, false),
    bind(&[Key::Char('o')], CARD, "carry over", "Carry the child over to the next meeting", Msg::CarryOver, false),
    bind(&[Key::Char('d'), Key::Char('a'), Key::Char('o')], VISIT, "not on this meeting's agenda", "Not on this agenda: no decision, actions or carry-over", Msg::NotOnAgenda, true).footer_keys("d/a/o:"),
    bind(&[Key::Up, Key::Char('k')], VISIT, "scroll", "Scroll the card up a line", Msg::Up, false),
    bind(&[Key::Down, Key::Char('j')], VISIT, "", "Scroll the card down a line", Msg::Down, false),
    bind(&[Key::PageUp], VISIT, "", "Scroll the card up a page", Msg::PageUp, false),
    bind(&[Key::PageDown], VISIT, "", "Scroll the card down a page", Msg::PageDown, false),
    bind(&[Key::Char('I')], CARD, "interest", "A member declares an interest: not counted for its quorum", Msg::Open(Screen::Interests), false),
    bind(&[Key::Up, Key::Char('k')], INTERESTS, "move", "Highlight the member above", Msg::Up, true).footer_keys("↑↓"),
    bind(&[Key::Down, Key::Char('j')], INTERESTS, "", "Highlight the member below", Msg::Down, false),
    bind(&[Key::Enter], INTERESTS, "declare", "The highlighted member declares an interest in this item", Msg::Save, true),
    bind(&[Key::Enter], DECISION, "save", "Save the decision and its outcome with the quorum now", Msg::Save, true),
    bind(&[Key::Tab], DECISION, "next field", "Go to the next field of the decision", Msg::NextField, true),
    bind(&[Key::BackTab], DECISION, "", "Go to the previous field", Msg::PreviousField, false),
    bind(&[Key::Up], DECISION, "outcome", "Choose the outcome above, or the meeting or how often paid", Msg::Up, true).footer_keys("↑↓"),
    bind(&[Key::Down], DECISION, "", "Choose the outcome below, or the meeting or how often paid", Msg::Down, false),
    bind(&[Key::Alt('d')], DECISION, "", "Record a member's dissent from the saved decision", Msg::Open(Screen::Dissent), false),
    bind(&[Key::Char('D')], CARD, "dissent", "A member's dissent from the decision, with their view", Msg::Open(Screen::Dissent), false),
    bind(&[Key::Up], DISSENT, "member", "Highlight the member above", Msg::Up, true).footer_keys("↑↓"),
    bind(&[Key::Down], DISSENT, "", "Highlight the member below", Msg::Down, false),
    bind(&[Key::Enter], DISSENT, "save", "Record the highlighted member's dissent with the view typed", Msg::Save, true),
    bind(&[Key::Char('S')], HOME, "sign-off", "Open the recommendations awaiting sign-off", Msg::Open(Screen::SignOffs), false),
    bind(&[Key::Up, Key::Char('k')], SIGN_OFFS, "move", "Highlight the recommendation above", Msg::Up, true).footer_keys("↑↓"),
    bind(&[Key::Down, Key::Char('j')], SIGN_OFFS, "", "Highlight the recommendation below", Msg::Down, false),
    bind(&[Key::Enter], SIGN_OFFS, "sign off", "Record the decision-maker's sign-off of the highlighted one", Msg::Save, true),
    bind(&[Key::Up], SIGN_OFF_FORM, "agree/disagree", "Agree or disagree with the recommendation", Msg::Up, true).footer_keys("↑↓"),
    bind(&[Key::Down], SIGN_OFF_FORM, "", "Agree or disagree with the recommendation", Msg::Down, false),
    bind(&[Key::Enter], SIGN_OFF_FORM, "save", "Record the sign-off, dated today", Msg::Save, true),
    bind(&[Key::Enter], ACTIONS, "save", "Save the action", Msg::Save, true),
    bind(&[Key::Tab], ACTIONS, "next field", "Go to the next field", Msg::NextField, true),
    bind(&[Key::BackTab], ACTIONS, "", "Go to the previous field", Msg::PreviousField, false),
    bind(&[Key::Alt('w')], ACTIONS, "working day", "Move a closed-day deadline to the working day offered", Msg::MoveDeadlineOffClosedDay, false),
    bind(&[Key::Up], ACTIONS, "owner", "Pick the member above as the owner", Msg::Up, true).footer_keys("↑↓"),
    bind(&[Key::Down], ACTIONS, "", "Pick the member below as the owner", Msg::Down, false),
    bind(&[Key::Up, Key::Char('k')], MEMBERS, "move", "Highlight the member above", Msg::Up, true).footer_keys("↑↓"),
    bind(&[Key::Down, Key::Char('j')], MEMBERS, "", "Highlight the member below", Msg::Down, false),
    bind(&[Key::Char('n')], MEMBERS, "new", "Add a new member", Msg::NewMember, true),
    bind(&[Key::Enter], MEMBERS, "edit", "Change or end the highlighted member", Msg::Open(Screen::MemberForm), true),
    bind(&[Key::Enter], MEMBER_FORM, "save", "Save the member", Msg::Save, true),
    bind(&[Key::Tab], MEMBER_FORM, "next field", "Go to the next field of the member", Msg::NextField, true),
    bind(&[Key::BackTab], MEMBER_FORM, "", "Go to the previous field of the member", Msg::PreviousField, false),
    bind(&[Key::Up], MEMBER_FORM, "choose", "Choose the previous role, kind or deputy", Msg::Up, true).footer_keys("↑↓"),
    bind(&[Key::Down], MEMBER_FORM, "", "Choose the next role, kind or deputy", Msg::Down, false),
    bind(&[Key::Left], Typing, "", "Move the cursor left", Msg::Edit(EditOp::Left), false),
    bind(&[Key::Right], Typing, "", "Move the cursor right", Msg::Edit(EditOp::Right), false),
    bind(&[Key::Home], Typing, "", "Move to the start of the field", Msg::Edit(EditOp::Home), false),
    bind(&[Key::End], Typing, "", "Move to the end of the field", Msg::Edit(EditOp::End), false),
    bind(&[Key::Backspace], Typing, "", "Delete the character before the cursor", Msg::Edit(EditOp::Backspace), false),
    bind(&[Key::Delete], Typing, "", "Delete the character at the cursor", Msg::Edit(EditOp::Delete), false),
    bind(&[Key::Ctrl('u')], Typing, "", "Clear the field", Msg::Edit(EditOp::Clear), false),
    bind(&[Key::Ctrl('w')], Typing, "", "Delete the word before the cursor", Msg::Edit(EditOp::DeleteWord), false),
    bind(&[Key::Enter], Typing, "save", "Save what is typed (a blank private note removes it)", Msg::Save, true),
    bind(&[Key::Char('h')], Browsing, "", "Go to the home screen", Msg::Open(Screen::Home), false),
    bind(&[Key::Char('r')], Browsing, "", "Go to the roll call", Msg::Open(Screen::RollCall), false),
    bind(&[Key::Char('g')], Browsing, "", "Go to the agenda", Msg::Open(Screen::Agenda), false),
    bind(&[Key::Char('m')], Browsing, "", "Go to the members", Msg::Open(Screen::Members), false),
    bind(&[Key::Char('l')], Browsing, "", "Go to the action list", Msg::Open(Screen::ActionList), false),
    bind(&[Key::Char('/')], Browsing, "", "Jump to a child by id or name", Msg::Open(Screen::Jump), false),
    bind(&[Key::Char('M')], Browsing, "", "Go to the matters arising", Msg::Open(Screen::Matters), false),
    bind(&[Key::Char(':')], Browsing, "commands", "Open the command palette: type to find any command", Msg::Palette(PaletteMsg::Open), false),
    bind(&[Key::Char('?')], Browsing, "help", "Show this help", Msg::ToggleHelp, true),
    bind(&[Key::Char('q')], Browsing, "quit", "Quit (asks first if typing is unsaved)", Msg::Quit, true),
    bind(&[Key::Esc], Anywhere, "back", "Back out to the screen before", Msg::Back, true),
    bind(&[Key::F(1)], Anywhere, "help", "Show this help, even while typing", Msg::ToggleHelp, true),
    bind(&[Key::Ctrl('q'), Key::Ctrl('c')], Anywhere, "quit", "Quit, even while typing (asks first)", Msg::Quit, true).footer_keys("Ctrl+Q"),
];

/// The contexts that apply now, most specific first.
pub fn contexts_for(app: &App) -> Vec<Context> {
    use super::overlay::Overlay;
    match app.overlays.top() {
        Some(Overlay::Question(_)) => vec![ConfirmQuit],
        Some(Overlay::Help { .. }) => vec![Help, Anywhere],
        Some(Overlay::Palette(_)) => vec![PALETTE, Typing, Anywhere],
        None => screen_contexts(app),
    }
}

/// The contexts of the screen itself (no overlay), most specific first.
pub fn screen_contexts(app: &App) -> Vec<Context> {
    let screen = Context::Screen(app.screen);
    if app.screen.is_form() {
        vec![screen, Typing, Anywhere]
    } else {
        vec![screen, Browsing, Anywhere]
    }
}

/// The message a key press stands for now, if any. On a form, a printable
/// key that no binding claims is typed into the field.
pub fn message_for(app: &App, event: KeyEvent) -> Option<Msg> {
    let key = Key::from_event(event)?;
    for context in contexts_for(app) {
        if let Some(binding) = KEYMAP
            .iter()
            .find(|b| b.context == context && b.keys.contains(&key))
        {
            return Some(binding.msg.clone());
        }
    }
    match key {
        // Typed into the top overlay's field, or with none, the form's.
        Key::Char(c) => {
            use super::overlay::Overlay;
            let typing = match app.overlays.top() {
                Some(Overlay::Palette(_)) => true,
                Some(_) => false,
                None => app.screen.is_form(),
            };
            typing.then_some(Msg::Edit(EditOp::Insert(c)))
        }
        _ => None,
    }
}

/// The footer: the keys of the contexts that apply now, shortest form. A
/// binding whose keys a more specific context already claimed is left out,
/// and so is a second binding with the same word.
pub fn footer(app: &App) -> String {
    footer_entries(app)
        .into_iter()
        .map(|(text, _)| text)
        .collect::<Vec<_>>()
        .join(FOOTER_GAP)
}

/// What separates the footer's entries.
pub const FOOTER_GAP: &str = "  ";

/// The footer's entries, each with the message its binding sends, so a
/// click on an entry can run it.
pub fn footer_entries(app: &App) -> Vec<(String, Msg)> {
    let mut parts: Vec<(String, Msg)> = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    let mut claimed: Vec<Key> = Vec::new();
    for context in contexts_for(app) {
        let bindings: Vec<&Binding> = KEYMAP.iter().filter(|b| b.context == context).collect();
        for b in &bindings {
            let shadowed = b.keys.iter().all(|k| claimed.contains(k));
            // Home is where Esc leads; there it does nothing, so it is not offered.
            let pointless = b.msg == Msg::Back && app.screen == Screen::Home;
            if b.in_footer && !shadowed && !pointless && !words.contains(&b.short) {
                words.push(b.short);
                let keys = if b.footer_keys.is_empty() {
                    b.keys_label()
                } else {
                    b.footer_keys.to_owned()
                };
                parts.push((format!("{keys} {}", b.short), b.msg.clone()));
            }
        }
        claimed.extend(bindings.iter().flat_map(|b| b.keys.iter().copied()));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every context: the general ones, each registered screen's, the
    /// overlays'.
    fn all_contexts() -> Vec<Context> {
        [Context::Anywhere, Context::Browsing, Context::Typing]
            .into_iter()
            .chain(Screen::ALL.iter().map(|s| Context::Screen(*s)))
            .chain([Context::Help, Context::ConfirmQuit, Context::Palette])
            .collect()
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for context in all_contexts() {
            let mut keys: Vec<Key> = Vec::new();
            for b in KEYMAP.iter().filter(|b| b.context == context) {
                for k in b.keys {
                    assert!(!keys.contains(k), "{k:?} bound twice in {context:?}");
                    keys.push(*k);
                }
            }
        }
    }

    #[test]
    fn every_binding_has_a_description_and_footer_entries_a_word() {
        for b in KEYMAP {
            assert!(!b.description.is_empty() && !b.keys.is_empty());
            assert!(!b.in_footer || !b.short.is_empty(), "{}", b.description);
        }
    }

    #[test]
    fn ctrl_letters_are_read_case_blind_and_releases_ignored() {
        use crossterm::event::KeyEventState;
        let ctrl_q = KeyEvent::new(KeyCode::Char('Q'), KeyModifiers::CONTROL);
        assert_eq!(Key::from_event(ctrl_q), Some(Key::Ctrl('q')));
        let release = KeyEvent {
            code: KeyCode::Char('q'),
            modifiers: KeyModifiers::NONE,
            kind: KeyEventKind::Release,
            state: KeyEventState::NONE,
        };
        assert_eq!(Key::from_event(release), None);
    }
}
