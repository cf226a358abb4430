//! What a council's tracker spreadsheet is the source for: children's
//! names, plans not already held, meetings heard before this program, and
//! free-text comments. Written in one transaction like the other imports.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, params};

use super::extract::{ImportedFile, record_import, upsert_plan};
use super::names::{ChildName, upsert_name};
use super::panel::audit;
use super::text::*;
use super::{Result, Store};
use crate::model::PlanFacts;

/// Where the rows this import writes say they came from.
const SOURCE: &str = "tracker";

/// A tracker import under way. Nothing is visible to anyone else until
/// `finish`; dropping it without finishing changes nothing.
pub struct TrackerImport<'a> {
    tx: super::panel::WriteTx<'a>,
    names: usize,
    plans: usize,
    heard: usize,
    notes: usize,
}

/// A child's free-text comments from the tracker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackerNote {
    pub text: String,
    pub recorded_at: NaiveDateTime,
}

impl Store {
    /// Starts a tracker import.
    pub fn begin_tracker_import(&mut self) -> Result<TrackerImport<'_>> {
        Ok(TrackerImport {
            tx: self.write()?,
            names: 0,
            plans: 0,
            heard: 0,
            notes: 0,
        })
    }

    /// Every child id the panel knows: in the extract, the plans, an
    /// agenda, a decision or a referral.
    pub fn known_child_ids(&self) -> Result<HashSet<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT child_id FROM histories UNION SELECT child_id FROM plans
             UNION SELECT child_id FROM agenda_items UNION SELECT child_id FROM decisions
             UNION SELECT child_id FROM referrals",
        )?;
        let ids = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<HashSet<_>>>()?;
        Ok(ids)
    }

    /// The meetings before this program at which a tracker says the child
    /// was heard, oldest first.
    pub fn heard_history(&self, child: &str) -> Result<Vec<NaiveDate>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT heard_on FROM heard_history WHERE child_id = ?1 ORDER BY heard_on",
        )?;
        let days = stmt
            .query_map([child], |r| parse_date(&r.get::<_, String>(0)?))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(days)
    }

    /// The child's comments from the latest tracker import, if any.
    pub fn child_note(&self, child: &str) -> Result<Option<TrackerNote>> {
        Ok(self
            .conn
            .query_row(
                "SELECT text, recorded_at FROM child_notes WHERE child_id = ?1",
                [child],
                |r| {
                    Ok(TrackerNote {
                        text: r.get(0)?,
                        recorded_at: parse_datetime(&r.get::<_, String>(1)?)?,
                    })
                },
            )
            .optional()?)
    }

    /// Every child's plan facts, by child id (an import compares against them).
    pub fn all_plan_facts(&self) -> Result<HashMap<String, PlanFacts>> {
        let mut all = HashMap::new();
        let ids: Vec<String> = self
            .conn
            .prepare_cached("SELECT child_id FROM plans")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
            if let Some(facts) = self.plan_facts(&id)? {
                all.insert(id, facts);
            }
        }
        Ok(all)
    }
}

impl TrackerImport<'_> {
    pub fn set_name(&mut self, child: &str, name: &ChildName) -> Result<()> {
        upsert_name(&self.tx, child, name, SOURCE)?;
        self.names += 1;
        Ok(())
    }

    /// Stores plan facts for a child the panel held none for (the caller
    /// decides; an existing plan is the panel's own and wins).
    pub fn set_plan(&mut self, facts: &PlanFacts) -> Result<()> {
        upsert_plan(&self.tx, facts)?;
        self.plans += 1;
        Ok(())
    }

    /// Notes that the child was heard at a meeting on `day` (a repeat is kept once).
    pub fn add_heard(&mut self, child: &str, day: NaiveDate) -> Result<()> {
        self.heard += self.tx.prepare_cached(
            "INSERT OR IGNORE INTO heard_history(child_id, heard_on, source) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![child, date(day), SOURCE])?;
        Ok(())
    }

    /// Replaces the child's comments.
    pub fn set_note(&mut self, child: &str, text_: &str, at: NaiveDateTime) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO child_notes(child_id, text, source, recorded_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(child_id) DO UPDATE SET text = excluded.text,
                    source = excluded.source, recorded_at = excluded.recorded_at",
            )?
            .execute(params![child, text_, SOURCE, datetime(at)])?;
        self.notes += 1;
        Ok(())
    }

    /// Records the import (and an audit entry) and commits it. Returns the import's id.
    pub fn finish(self, at: NaiveDateTime, files: &[ImportedFile]) -> Result<i64> {
        let id = record_import(
            &self.tx,
            at,
            SOURCE,
            files,
            "updating the names, plans and comments its rows give (next entry)",
        )?;
        audit(
            &self.tx,
            at,
            "import",
            &id.to_string(),
            None,
            &format!(
                "tracker imported: {} names, {} plans, {} meetings heard, {} comments",
                self.names, self.plans, self.heard, self.notes
            ),
        )?;
        self.tx.commit()?;
        Ok(id)
    }
}
