//! Overlays: what lies over the screen and takes keys before it: the help,
//! the `:` palette and questions ("Discard what you are typing? y/n"). They
//! sit on a stack; the top one is offered each message first and either
//! keeps it or hands it on to the one below, and in the end to the screen.

use super::app::{App, Effect, Msg, NoticeKind};
use super::palette::Palette;

/// A question the app asks, answered only by a key pressed while it is on
/// screen (y or n), never by keys typed before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    /// Quitting with something typed and not saved.
    DiscardAndQuit,
    /// A change to a published agenda (the builder keeps which).
    ChangePublishedAgenda,
}

impl Question {
    pub fn text(self) -> &'static str {
        match self {
            Question::DiscardAndQuit => "Discard what you are typing? y/n",
            Question::ChangePublishedAgenda => {
                "The agenda is published: make this change (logged as after publishing)? y/n"
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// The `?` help, scrolled this many lines.
    Help {
        scroll: u16,
    },
    /// The `:` command palette.
    Palette(Palette),
    Question(Question),
}

/// The overlays open, the top one last.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overlays(Vec<Overlay>);

impl Overlays {
    pub fn top(&self) -> Option<&Overlay> {
        self.0.last()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Bottom first, the order they are drawn in.
    pub fn iter(&self) -> impl Iterator<Item = &Overlay> {
        self.0.iter()
    }

    pub fn push(&mut self, overlay: Overlay) {
        self.0.push(overlay);
    }

    pub fn pop(&mut self) -> Option<Overlay> {
        self.0.pop()
    }

    /// Takes every overlay of this kind off the stack.
    fn remove(&mut self, keep: impl Fn(&Overlay) -> bool) {
        self.0.retain(keep);
    }

    pub fn help_scroll(&self) -> Option<u16> {
        self.0.iter().rev().find_map(|o| match o {
            Overlay::Help { scroll } => Some(*scroll),
            _ => None,
        })
    }

    pub fn palette(&self) -> Option<&Palette> {
        self.0.iter().rev().find_map(|o| match o {
            Overlay::Palette(p) => Some(p),
            _ => None,
        })
    }

    pub fn palette_mut(&mut self) -> Option<&mut Palette> {
        self.0.iter_mut().rev().find_map(|o| match o {
            Overlay::Palette(p) => Some(p),
            _ => None,
        })
    }

    pub fn question(&self) -> Option<Question> {
        match self.top() {
            Some(Overlay::Question(q)) => Some(*q),
            _ => None,
        }
    }

    /// Opens the palette afresh (nothing typed), over the screen.
    pub fn open_palette(&mut self) {
        self.remove(|o| !matches!(o, Overlay::Palette(_)));
        self.push(Overlay::Palette(Palette::default()));
    }

    pub fn close_palette(&mut self) {
        self.remove(|o| !matches!(o, Overlay::Palette(_)));
    }

    /// Opens the help, or closes it when open.
    pub fn toggle_help(&mut self) {
        if self.help_scroll().is_some() {
            self.remove(|o| !matches!(o, Overlay::Help { .. }));
        } else {
            self.push(Overlay::Help { scroll: 0 });
        }
    }
}

/// Offers `msg` to the overlays, top first: `Ok` when one kept it (with
/// any writes it asks for), `Err` giving the message back for the screen.
/// A write's outcome and the terminal's size belong to the app, whatever
/// lies over the screen.
pub fn handle(app: &mut App, msg: Msg) -> Result<Vec<Effect>, Msg> {
    if matches!(msg, Msg::Written { .. } | Msg::Resize(..)) {
        return Err(msg);
    }
    if msg == Msg::Palette(super::palette::PaletteMsg::Open) {
        app.overlays.open_palette();
        return Ok(Vec::new());
    }
    match app.overlays.top() {
        None => Err(msg),
        Some(Overlay::Palette(_)) => super::palette::handle(app, msg),
        Some(Overlay::Help { .. }) => help(app, msg),
        Some(Overlay::Question(question)) => {
            let question = *question;
            answer(app, question, msg)
        }
    }
}

/// The help keeps its own keys (close, scroll) and a paste; the rest
/// (F5, Ctrl+Q) do what they do with the help left open.
fn help(app: &mut App, msg: Msg) -> Result<Vec<Effect>, Msg> {
    let Some(Overlay::Help { scroll }) = app.overlays.0.last_mut() else {
        return Err(msg);
    };
    match msg {
        Msg::ToggleHelp => {
            app.overlays.pop();
        }
        Msg::Up => *scroll = scroll.saturating_sub(1),
        Msg::Down => {
            let rows = super::view::help_lines().len();
            *scroll = scroll
                .saturating_add(1)
                .min(u16::try_from(rows).unwrap_or(u16::MAX));
        }
        Msg::Paste(_) => paste_nowhere(app),
        other => return Err(other),
    }
    Ok(Vec::new())
}

/// A question takes only its answers; anything else sent while it is up
/// is kept from the screen below (a paste is said to go nowhere).
fn answer(app: &mut App, question: Question, msg: Msg) -> Result<Vec<Effect>, Msg> {
    match (question, msg) {
        (Question::DiscardAndQuit, Msg::ConfirmYes) => {
            app.overlays.pop();
            app.quit = true;
        }
        (Question::ChangePublishedAgenda, Msg::ConfirmYes) => {
            app.overlays.pop();
            let pending = app.screens.agenda_builder.pending.take();
            return Ok(pending.map(Effect::Prepare).into_iter().collect());
        }
        (Question::ChangePublishedAgenda, Msg::ConfirmNo) => {
            app.overlays.pop();
            app.screens.agenda_builder.pending = None;
            app.notify(
                NoticeKind::Info,
                "Nothing changed: the agenda is as published.",
            );
        }
        (_, Msg::ConfirmNo) => {
            app.overlays.pop();
        }
        (_, Msg::Paste(_)) => paste_nowhere(app),
        _ => {}
    }
    Ok(Vec::new())
}

fn paste_nowhere(app: &mut App) {
    app.notify(
        NoticeKind::Warning,
        "Pasted text goes only into a text field: nothing was done.",
    );
}
