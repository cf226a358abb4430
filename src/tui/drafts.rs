//! Text being typed for each child, kept while the chair looks elsewhere:
//! the decision and the private note each hold one `ChildDrafts`. A draft
//! starts from the saved text, is saved trimmed, and is unsaved while its
//! trimmed text differs from the saved one.

use std::collections::BTreeMap;

use super::app::Msg;
use super::prompt::Prompt;
use crate::model::ChildId;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChildDrafts(BTreeMap<ChildId, Prompt>);

impl std::ops::Deref for ChildDrafts {
    type Target = BTreeMap<ChildId, Prompt>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for ChildDrafts {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl ChildDrafts {
    /// Opens `child`'s draft: one in progress is kept, else it starts from
    /// the `saved` text.
    pub fn open(&mut self, child: ChildId, saved: &str) {
        self.0
            .entry(child)
            .or_insert_with(|| Prompt::many_lines(saved));
    }

    /// Gives `child`'s draft an editing key or a paste; `false` when there
    /// is no draft or the message is not one.
    pub fn handle(&mut self, child: &str, msg: &Msg) -> bool {
        self.0.get_mut(child).is_some_and(|d| d.handle(msg))
    }

    /// The text to save for `child`: the draft trimmed ("" with none).
    pub fn to_save(&self, child: &str) -> String {
        self.0
            .get(child)
            .map(|d| d.text().trim().to_owned())
            .unwrap_or_default()
    }

    /// Whether any draft differs from what is saved (`saved` of a child).
    pub fn any_unsaved<'a>(&self, saved: impl Fn(&str) -> &'a str) -> bool {
        self.0
            .iter()
            .any(|(child, d)| d.text().trim() != saved(child).trim())
    }

    /// Drops `child`'s draft when it only holds `saved` (after an undo
    /// changed what is saved, it would save the old text again); a draft
    /// with typing of its own is kept.
    pub fn forget_if_only(&mut self, child: &str, saved: &str) {
        if self
            .0
            .get(child)
            .is_some_and(|d| d.text().trim() == saved.trim())
        {
            self.0.remove(child);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::editor::EditOp;

    #[test]
    fn a_draft_starts_from_the_saved_text_is_kept_and_saved_trimmed() {
        let mut drafts = ChildDrafts::default();
        drafts.open("C1".into(), "Endorsed.");
        assert!(!drafts.any_unsaved(|_| "Endorsed."));
        assert!(drafts.handle("C1", &Msg::Edit(EditOp::Insert(' '))));
        assert!(
            !drafts.handle("C2", &Msg::Edit(EditOp::Insert('x'))),
            "no draft"
        );
        assert_eq!(drafts.to_save("C1"), "Endorsed.", "saved trimmed");
        assert!(drafts.handle("C1", &Msg::Edit(EditOp::Insert('x'))));
        assert!(drafts.any_unsaved(|_| "Endorsed."));
        // Opening again keeps the typing.
        drafts.open("C1".into(), "Endorsed.");
        assert_eq!(drafts.to_save("C1"), "Endorsed. x");
        drafts.forget_if_only("C1", "Endorsed.");
        assert!(drafts.contains_key("C1"), "typing of its own is kept");
        drafts.forget_if_only("C1", "Endorsed. x");
        assert!(drafts.is_empty());
    }
}
