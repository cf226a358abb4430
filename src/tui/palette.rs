//! The `:` command palette: every command of the screen below, from the one
//! keymap table (plus a "Go to child" for each child on the agenda), found
//! by typing a few letters of it in order.

use super::app::{App, Effect, Msg};
use super::editor::LineEditor;
use super::keymap::{self, KEYMAP};

/// What the palette does with a message of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaletteMsg {
    Open,
    Close,
    /// Runs the highlighted command.
    Run,
}

/// The palette while open: what is typed and which match is highlighted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Palette {
    pub query: LineEditor,
    pub selected: usize,
}

/// One command the palette offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// What it does, as the help overlay says it.
    pub label: String,
    /// The keys that do the same, empty when none.
    pub keys: String,
    pub msg: Msg,
}

/// The commands of the screen under the palette: each binding that its key
/// would run there now (a key a more specific context claims is left out,
/// as in the footer), once per message; then a "Go to child" per child.
/// Editing keys are left out: they act on a text field, not the screen.
pub fn commands(app: &App) -> Vec<Command> {
    let mut out: Vec<Command> = Vec::new();
    let mut claimed: Vec<keymap::Key> = Vec::new();
    for context in keymap::screen_contexts(app) {
        let bindings: Vec<_> = KEYMAP.iter().filter(|b| b.context == context).collect();
        for b in &bindings {
            let shadowed = b.keys.iter().all(|k| claimed.contains(k));
            // Going where one already is, or back from home, does nothing.
            let pointless = b.msg == Msg::Open(app.screen)
                || (b.msg == Msg::Back && app.screen == super::app::Screen::Home);
            let offered = !pointless && !matches!(b.msg, Msg::Edit(_) | Msg::Palette(_));
            if shadowed || !offered || out.iter().any(|c| c.msg == b.msg) {
                continue;
            }
            out.push(Command {
                label: b.description.to_owned(),
                keys: b.keys_label(),
                msg: b.msg.clone(),
            });
        }
        claimed.extend(bindings.iter().flat_map(|b| b.keys.iter().copied()));
    }
    if app.data.meeting.is_some() {
        for (i, item) in app.data.agenda.iter().enumerate() {
            out.push(Command {
                label: format!("Go to child {} ({})", item.child, item.listed_under),
                keys: String::new(),
                msg: Msg::OpenChild(i),
            });
        }
    }
    out
}

/// The commands matching what is typed, best first (ties keep the table's
/// order).
pub fn matches(app: &App) -> Vec<Command> {
    let query = app
        .overlays
        .palette()
        .map(|p| p.query.text().to_owned())
        .unwrap_or_default();
    let mut scorer = Scorer::new(&query);
    let mut scored: Vec<(i32, Command)> = commands(app)
        .into_iter()
        .filter_map(|c| scorer.score(&c.label).map(|s| (s, c)))
        .collect();
    scored.sort_by_key(|(s, _)| std::cmp::Reverse(*s));
    scored.into_iter().map(|(_, c)| c).collect()
}

/// How well `query` matches `text` as a subsequence, ignoring case and
/// spaces typed in the query; `None` when its letters do not all appear
/// in order. Higher is better (nucleo's fuzzy score: letters at the start
/// of words and runs of adjacent letters count most, gaps against, and an
/// earlier match is preferred). An empty query matches everything equally.
pub fn score(query: &str, text: &str) -> Option<i32> {
    Scorer::new(query).score(text)
}

/// One query scored against many texts with one matcher (its buffers are
/// allocated once per keystroke, not once per command).
struct Scorer {
    matcher: nucleo_matcher::Matcher,
    atom: Option<nucleo_matcher::pattern::Atom>,
    buffer: Vec<char>,
}

impl Scorer {
    fn new(query: &str) -> Scorer {
        use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
        let query: String = query.chars().filter(|c| !c.is_whitespace()).collect();
        let mut config = nucleo_matcher::Config::DEFAULT;
        config.prefer_prefix = true;
        Scorer {
            matcher: nucleo_matcher::Matcher::new(config),
            atom: (!query.is_empty()).then(|| {
                Atom::new(
                    &query,
                    CaseMatching::Ignore,
                    Normalization::Smart,
                    AtomKind::Fuzzy,
                    false,
                )
            }),
            buffer: Vec::new(),
        }
    }

    fn score(&mut self, text: &str) -> Option<i32> {
        let Some(atom) = &self.atom else {
            return Some(0);
        };
        let haystack = nucleo_matcher::Utf32Str::new(text, &mut self.buffer);
        atom.score(haystack, &mut self.matcher).map(i32::from)
    }
}

/// Handles a message while the palette is the top overlay; `Err` gives
/// the message back (the palette closed) for `update` to handle as usual.
pub fn handle(app: &mut App, msg: Msg) -> Result<Vec<Effect>, Msg> {
    let Some(palette) = app.overlays.palette_mut() else {
        return Err(msg);
    };
    match msg {
        Msg::Up => palette.selected = palette.selected.saturating_sub(1),
        Msg::Down => palette.selected += 1,
        Msg::Select(row) => palette.selected = row,
        Msg::Edit(op) => {
            palette.query.apply(op);
            palette.selected = 0;
        }
        Msg::Paste(text) => {
            palette.query.paste(&text, super::editor::Lines::One);
            palette.selected = 0;
        }
        Msg::Palette(PaletteMsg::Close) | Msg::Back => app.overlays.close_palette(),
        Msg::Palette(PaletteMsg::Run) => {
            let chosen = matches(app).get(palette_selected(app)).cloned();
            app.overlays.close_palette();
            return Ok(match chosen {
                Some(command) => super::update::update(app, command.msg),
                None => Vec::new(),
            });
        }
        // Anything else (Ctrl+Q, F1) closes the palette and does what it does.
        other => {
            app.overlays.close_palette();
            return Err(other);
        }
    }
    // Keep the highlight on a match as the list shrinks.
    let last = matches(app).len().saturating_sub(1);
    if let Some(p) = app.overlays.palette_mut() {
        p.selected = p.selected.min(last);
    }
    Ok(Vec::new())
}

fn palette_selected(app: &App) -> usize {
    app.overlays.palette().map_or(0, |p| p.selected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_out_of_order_do_not_match() {
        assert_eq!(score("xa", "Mark absent"), None);
        assert_eq!(score("zq", "Open the agenda"), None);
        assert_eq!(score("adnega", "Open the agenda"), None);
        assert!(score("", "anything").is_some());
    }

    #[test]
    fn a_word_typed_whole_beats_the_same_letters_scattered() {
        let whole = score("agenda", "Open the agenda").unwrap();
        let scattered = score("agenda", "Add a great new dance").unwrap();
        assert!(whole > scattered, "{whole} <= {scattered}");
    }

    #[test]
    fn word_starts_beat_letters_inside_words() {
        // "rc": Roll Call's initials against r…c inside other words.
        let initials = score("rc", "Open the roll call").unwrap();
        let inside = score("rc", "Mark the member present, or carry").unwrap();
        let buried = score("rc", "Scroll the help up to search").unwrap();
        assert!(initials > inside, "{initials} <= {inside}");
        assert!(initials > buried, "{initials} <= {buried}");
    }

    #[test]
    fn case_and_spaces_in_the_query_are_ignored() {
        assert_eq!(
            score("Roll Call", "Open the roll call"),
            score("rollcall", "open the ROLL CALL")
        );
    }

    #[test]
    fn an_earlier_match_beats_a_later_one_of_the_same_shape() {
        let early = score("dec", "Decision recorded").unwrap();
        let late = score("dec", "Record the panel's decision").unwrap();
        assert!(early > late, "{early} <= {late}");
    }
}
