//! The administrator's private notes: one per child per meeting, for their
//! own use while minuting. Never shown on a projector or the presenter
//! view; audited like any other change (so a subject access export, which
//! carries the child's audit entries, discloses them), and purged with the
//! child under the retention rule.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, params};

use super::panel::audit;
use super::text::*;
use super::{Result, Store};
use crate::model::{ChildId, Id};

impl Store {
    /// Sets the note on a child at a meeting; a blank note removes it.
    pub fn set_admin_note(
        &mut self,
        meeting: Id,
        child: &str,
        text_: &str,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        let old: Option<String> = tx
            .query_row(
                "SELECT text FROM admin_notes WHERE meeting_id = ?1 AND child_id = ?2",
                params![meeting, child],
                |r| r.get(0),
            )
            .optional()?;
        let text_ = text_.trim();
        if text_.is_empty() {
            tx.execute(
                "DELETE FROM admin_notes WHERE meeting_id = ?1 AND child_id = ?2",
                params![meeting, child],
            )?;
        } else {
            tx.execute(
                "INSERT INTO admin_notes(meeting_id, child_id, text, noted_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(meeting_id, child_id) DO UPDATE SET text = excluded.text,
                    noted_at = excluded.noted_at",
                params![meeting, child, text_, datetime(at)],
            )?;
        }
        let new = (!text_.is_empty()).then_some(text_);
        let change = serde_json::json!({ "old": old, "new": new }).to_string();
        audit(
            &tx,
            at,
            "admin-note",
            &meeting.to_string(),
            Some(child),
            &change,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The notes of a meeting, by child.
    pub fn admin_notes(&self, meeting: Id) -> Result<BTreeMap<ChildId, String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT child_id, text FROM admin_notes WHERE meeting_id = ?1")?;
        let rows = stmt
            .query_map([meeting], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<BTreeMap<_, _>>>()?;
        Ok(rows)
    }
}
