//! Finding a child by what is typed: part of the id, or the beginnings of
//! the words of the name the panel holds. The `/` jump and the child field
//! of the Preparation forms (a referral, a child added to an agenda) both
//! find children here.

use super::app::App;
use crate::model::ChildId;

/// Whether `child` matches `typed` (already lower case): part of the id,
/// or every word typed beginning a word of the child's name (any case).
pub fn matches(app: &App, child: &str, typed: &str) -> bool {
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

/// The panel's children matching `typed`, an exact id first, then by id;
/// at most `limit` (nothing typed offers none).
pub fn completions(app: &App, typed: &str, limit: usize) -> Vec<ChildId> {
    let typed = typed.trim().to_lowercase();
    if typed.is_empty() {
        return Vec::new();
    }
    let children = &app.data.prep.children;
    let mut found: Vec<ChildId> = children
        .iter()
        .filter(|c| c.to_lowercase() == typed)
        .cloned()
        .collect();
    for child in children {
        if found.len() >= limit {
            break;
        }
        if !found.contains(child) && matches(app, child, &typed) {
            found.push(child.clone());
        }
    }
    found
}

/// The one child `typed` stands for: an exact id, or the only match. The
/// error says what to do, for the field named `field`.
pub fn resolve(app: &App, typed: &str, field: &str) -> Result<ChildId, String> {
    let shown = typed.trim();
    if shown.is_empty() {
        return Err(format!("{field}: type the child's id or name."));
    }
    let found = completions(app, shown, 2);
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [first, ..] if first.eq_ignore_ascii_case(shown) => Ok(first.clone()),
        [] => Err(format!(
            "{field}: no child in the return matches '{shown}'; type an id from the return or a name the panel holds."
        )),
        _ => Err(format!(
            "{field}: more than one child matches '{shown}'; keep typing, or pick one with ↑↓."
        )),
    }
}
