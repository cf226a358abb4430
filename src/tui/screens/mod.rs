//! The screens of the live meeting, one module each (its state, its keys,
//! its drawing), registered once in the table below: the table makes the
//! `Screen` enum, its titles, which screens take typing, where Esc leads
//! from each when there is no trail, the order the help lists them in,
//! and the dispatch to each module's `draw`.
//!
//! Each module has a `State` (kept in `App::screens` under the module's
//! name, so a screen's state is its own and lives while the app does: a
//! draft typed for one child waits while the chair looks elsewhere), a
//! `handle` for the messages that are the screen's own (a message it does
//! not use comes back as `Outcome::Unhandled`), and a `draw`.
//!
//! Adding a screen: its own file here, one row in `screens!`, and its keys
//! in `keymap::KEYMAP` (rows of data, checked by the keymap's tests).

use ratatui::Frame;
use ratatui::layout::Rect;

use super::app::{App, Effect, Msg};
use super::mouse::HitMap;
use super::view::Theme;

/// What a screen did with a message.
#[derive(Debug)]
pub enum Outcome {
    /// Used, asking for these writes (none, often).
    Handled(Vec<Effect>),
    /// Not the screen's: `update` says so where that matters (a paste).
    Unhandled(Msg),
}

impl Outcome {
    /// Used, with nothing to write.
    pub fn done() -> Outcome {
        Outcome::Handled(Vec::new())
    }
}

/// What every screen's state can say of itself.
pub trait ScreenState: Default {
    /// Something typed here is not saved (quitting asks first).
    fn is_dirty(&self, _app: &App) -> bool {
        false
    }
}

macro_rules! screens {
    ($(
        $(#[$doc:meta])*
        $variant:ident => $module:ident, $title:literal, form: $form:literal, up: $up:ident;
    )*) => {
        $(pub mod $module;)*

        /// The state of every screen, each under its module's name.
        #[derive(Debug, Clone, Default)]
        pub struct Screens {
            $(pub $module: $module::State,)*
        }

        impl Screens {
            /// Whether anything typed on any screen is not saved.
            pub fn is_dirty(&self, app: &App) -> bool {
                false $(|| self.$module.is_dirty(app))*
            }
        }

        /// The screens of the live meeting.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Screen {
            $($(#[$doc])* $variant,)*
        }

        impl Screen {
            /// Every screen, in the order of the table (the help's order).
            pub const ALL: &'static [Screen] = &[$(Screen::$variant),*];

            pub fn title(self) -> &'static str {
                match self {
                    $(Screen::$variant => $title,)*
                }
            }

            /// Screens whose keys go into a text field.
            pub fn is_form(self) -> bool {
                match self {
                    $(Screen::$variant => $form,)*
                }
            }

            /// Where Esc leads with no trail to go back along (a screen set
            /// directly): the screen above this one.
            pub fn above(self) -> Screen {
                match self {
                    $(Screen::$variant => Screen::$up,)*
                }
            }

            /// Offers the screen a message that is its own.
            pub fn handle(self, app: &mut App, msg: Msg) -> Outcome {
                match self {
                    $(Screen::$variant => $module::handle(app, msg),)*
                }
            }

            /// Draws the screen's body.
            pub fn draw(self, app: &App, frame: &mut Frame, area: Rect, theme: &Theme, hits: &mut HitMap) {
                match self {
                    $(Screen::$variant => $module::draw(app, frame, area, theme, hits),)*
                }
            }
        }
    };
}

screens! {
    Home => home, "Home", form: false, up: Home;
    RollCall => roll_call, "Roll call", form: false, up: Home;
    Agenda => agenda, "Agenda", form: false, up: Home;
    Card => card, "Child card", form: false, up: Agenda;
    Decision => decision, "Decision", form: true, up: Card;
    Actions => actions, "Actions", form: true, up: Card;
    /// Every member of the panel, past, present and future.
    Members => members, "Members", form: false, up: Home;
    /// Adding or changing one member.
    MemberForm => member_form, "Member", form: true, up: Members;
    /// Every action across children and meetings, filtered.
    ActionList => action_list, "Action list", form: false, up: Home;
    /// Open actions from earlier meetings or due by today, by child.
    Matters => matters, "Matters arising", form: false, up: Home;
    /// Typing why an action is dropped.
    DropAction => drop_action, "Drop an action", form: true, up: ActionList;
    /// Typing a child's id to jump to their card.
    Jump => jump, "Jump to a child", form: true, up: Agenda;
    /// The administrator's private note on the child being heard.
    Note => note, "Private note", form: true, up: Card;
    /// The chase list of the meeting's papers.
    Papers => papers, "Papers", form: false, up: Home;
    /// Writing the invitations, the tracker, the minutes and the reports.
    Files => files, "Files", form: false, up: Home;
    /// Choosing the folder files are written to.
    Folder => folder, "Folder for files", form: true, up: Files;
    /// The last import's summary, and check's list.
    Returns => returns, "The return", form: false, up: Home;
    /// Typing the folders of returns to import.
    ImportPrompt => import_prompt, "Import returns", form: true, up: Returns;
    /// Preparation: the year's meetings; plan, add, move, cancel.
    Meetings => meetings, "Meetings", form: false, up: Home;
    /// Preparation: the open referrals; add, accept, decline.
    Referrals => referrals, "Referrals", form: false, up: Home;
    /// Preparation: building a meeting's agenda before it is held.
    AgendaBuilder => agenda_builder, "Agenda builder", form: false, up: Meetings;
    /// Preparation: the Fostering Panel's sittings, slots and bookings.
    Fostering => fostering, "Fostering Panel", form: false, up: Home;
    /// Preparation: what a write needs typed (a year, a day, a reason, a referral).
    PrepForm => prep_form, "Preparation", form: true, up: Home;
    /// Choosing the member who declares an interest in the child's item.
    Interests => interests, "Declare an interest", form: false, up: Card;
    /// The time a member left or came back, typed when minuting on
    /// another day than the meeting's.
    AttendanceTime => attendance_time, "Time left or came back", form: true, up: RollCall;
    /// The app's settings: the initials the audit records for your changes.
    Initials => initials, "Your initials", form: true, up: Home;
    /// The card of a child not on this agenda, found with `/`: read only.
    Visit => visit, "Child not on the agenda", form: false, up: Agenda;
    /// A member's dissent from the decision on the child being heard.
    Dissent => dissent, "Record a dissent", form: true, up: Card;
    /// The recommendations waiting for their decision-maker's sign-off.
    SignOffs => sign_offs, "Awaiting sign-off", form: false, up: Home;
    /// The sign-off of one recommendation: agree or disagree, a note.
    SignOffForm => sign_off_form, "Sign-off", form: true, up: SignOffs;
}

/// Moves a list's highlight for ↑, ↓ or a click on a row, kept within
/// the list's `len` rows; `false` for any other message.
pub fn move_cursor(cursor: &mut usize, len: usize, msg: &Msg) -> bool {
    let last = len.saturating_sub(1);
    match msg {
        Msg::Up => *cursor = cursor.saturating_sub(1),
        Msg::Down => *cursor = (*cursor + 1).min(last),
        Msg::Select(row) => *cursor = (*row).min(last),
        _ => return false,
    }
    true
}

/// The first row a list of `room` rows shows, so the highlighted row
/// (`cursor`) stays in view.
pub fn first_shown(cursor: usize, room: usize) -> usize {
    (cursor + 1).saturating_sub(room)
}

/// The choice after (or before) `current`, round the end of the list; from
/// outside the list, the first (or the last).
pub fn cycle<T, C>(choices: &[T], current: &C, down: bool) -> T
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

#[cfg(test)]
mod tests {
    use super::*;

    fn choices(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_list_highlight_moves_within_its_rows_and_stays_in_view() {
        let mut cursor = 0;
        assert!(move_cursor(&mut cursor, 3, &Msg::Up));
        assert_eq!(cursor, 0);
        for _ in 0..5 {
            move_cursor(&mut cursor, 3, &Msg::Down);
        }
        assert_eq!(cursor, 2);
        assert!(move_cursor(&mut cursor, 3, &Msg::Select(9)));
        assert_eq!(cursor, 2);
        assert!(move_cursor(&mut cursor, 3, &Msg::Select(1)));
        assert_eq!(cursor, 1);
        assert!(!move_cursor(&mut cursor, 3, &Msg::Save));
        move_cursor(&mut cursor, 0, &Msg::Down);
        assert_eq!(cursor, 0, "an empty list");
        assert_eq!(first_shown(2, 3), 0);
        assert_eq!(first_shown(7, 3), 5);
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
    fn every_screen_is_registered_once_and_leads_somewhere_registered() {
        for (i, screen) in Screen::ALL.iter().enumerate() {
            assert!(!Screen::ALL[..i].contains(screen), "{screen:?} twice");
            assert!(Screen::ALL.contains(&screen.above()), "{screen:?}");
            assert!(!screen.title().is_empty());
        }
    }
}
