//! The screens of the live meeting, one module each (its state, its keys,
//! its drawing), registered once in the table below: the table makes the
//! `Screen` enum, its titles, which screens take typing, where Esc leads
//! from each when there is no trail, the order the help lists them in,
//! and the dispatch to each module's `draw`.
//!
//! Adding a screen: its own file here, one row in `screens!`, and its keys
//! in `keymap::KEYMAP` (rows of data, checked by the keymap's tests).

use ratatui::Frame;
use ratatui::layout::Rect;

use super::app::App;
use super::mouse::HitMap;
use super::view::Theme;

macro_rules! screens {
    ($(
        $(#[$doc:meta])*
        $variant:ident => $module:ident, $title:literal, form: $form:literal, up: $up:ident;
    )*) => {
        $(pub mod $module;)*

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
}
