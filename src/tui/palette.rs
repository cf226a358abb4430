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
                msg: b.msg,
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
        .palette
        .as_ref()
        .map(|p| p.query.text().to_owned())
        .unwrap_or_default();
    let mut scored: Vec<(i32, Command)> = commands(app)
        .into_iter()
        .filter_map(|c| score(&query, &c.label).map(|s| (s, c)))
        .collect();
    scored.sort_by_key(|(s, _)| std::cmp::Reverse(*s));
    scored.into_iter().map(|(_, c)| c).collect()
}

/// How well `query` matches `text` as a subsequence, ignoring case and
/// spaces typed in the query; `None` when its letters do not all appear
/// in order. Higher is better: letters at the start of words and runs of
/// adjacent letters count most, gaps and a late first letter count
/// against. An empty query matches everything equally.
pub fn score(query: &str, text: &str) -> Option<i32> {
    let query: Vec<char> = query
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if query.is_empty() {
        return Some(0);
    }
    let text: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    let word_start = |i: usize| i == 0 || !text[i - 1].is_alphanumeric();
    // Try each place the first letter occurs and keep the best greedy match
    // from there: a greedy match from the first occurrence alone would miss
    // "agenda" in "the agenda" for a query that also fits "the ag…e".
    let mut best: Option<i32> = None;
    for start in (0..text.len()).filter(|&i| text[i] == query[0]) {
        let mut total = 0i32;
        let mut previous: Option<usize> = None;
        let mut at = start;
        let mut matched = 0;
        while matched < query.len() && at < text.len() {
            if text[at] == query[matched] {
                total += 16;
                if word_start(at) {
                    total += 32;
                }
                match previous {
                    Some(p) if p + 1 == at => total += 24,
                    Some(p) => total -= i32::try_from(at - p - 1).unwrap_or(i32::MAX).min(20),
                    None => total -= i32::try_from(at).unwrap_or(i32::MAX).min(16),
                }
                previous = Some(at);
                matched += 1;
            }
            at += 1;
        }
        if matched == query.len() && best.is_none_or(|b| total > b) {
            best = Some(total);
        }
    }
    best
}

/// Handles a message while the palette is open (or one that opens it);
/// `None` lets `update` handle the message as usual.
pub fn intercept(app: &mut App, msg: Msg) -> Option<Vec<Effect>> {
    if msg == Msg::Palette(PaletteMsg::Open) {
        app.palette = Some(Palette::default());
        return Some(Vec::new());
    }
    let palette = app.palette.as_mut()?;
    match msg {
        Msg::Up => palette.selected = palette.selected.saturating_sub(1),
        Msg::Down => palette.selected += 1,
        Msg::Select(row) => palette.selected = row,
        Msg::Edit(op) => {
            palette.query.apply(op);
            palette.selected = 0;
        }
        Msg::Palette(PaletteMsg::Close) | Msg::Back => app.palette = None,
        Msg::Palette(PaletteMsg::Run) => {
            let chosen = matches(app).get(app.palette.as_ref()?.selected).cloned();
            app.palette = None;
            return Some(match chosen {
                Some(command) => super::update::update(app, command.msg),
                None => Vec::new(),
            });
        }
        // Anything else (Ctrl+Q, F1) closes the palette and does what it does.
        _ => {
            app.palette = None;
            return None;
        }
    }
    // Keep the highlight on a match as the list shrinks.
    let last = matches(app).len().saturating_sub(1);
    if let Some(p) = app.palette.as_mut() {
        p.selected = p.selected.min(last);
    }
    Some(Vec::new())
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
