//! The membership as a whole: loaded from and saved to a members file in one
//! transaction, so a bad file changes nothing.

use chrono::NaiveDateTime;
use rusqlite::params;

use super::panel::audit;
use super::text::*;
use super::{Result, Store, StoreError};
use crate::model::{Meeting, Member};

/// What saving a membership did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MembersSaved {
    pub added: usize,
    pub updated: usize,
}

impl Store {
    /// The members who sit on the panel on the meeting's date, and anyone
    /// whose attendance at it is recorded (the roll call never loses a row);
    /// for approved minutes, the members as they stood at approval.
    pub fn members_of_meeting(&self, meeting: &Meeting) -> Result<Vec<Member>> {
        // Approved minutes keep the members as they stood at approval.
        let mut frozen = self.conn.prepare_cached(
            "SELECT member_id, role, job_title, name, kind, substitute_for, start_date, end_date
             FROM approved_members WHERE meeting_id = ?1 ORDER BY member_id",
        )?;
        let approved = frozen
            .query_map([meeting.id], super::panel::member_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if !approved.is_empty() {
            return Ok(approved);
        }
        let attendance = self.attendance(meeting.id)?;
        Ok(self
            .members()?
            .into_iter()
            .filter(|m| m.serves_on(meeting.date) || attendance.iter().any(|a| a.member == m.id))
            .collect())
    }

    /// Saves every member in one transaction: a member with an id that is
    /// already known is updated, one with id 0 is added. An unknown id
    /// refuses the whole save (members are never deleted: attendance of
    /// past meetings refers to them; an end date retires a member).
    pub fn save_members(&mut self, members: &[Member], at: NaiveDateTime) -> Result<MembersSaved> {
        let tx = self.write()?;
        let mut saved = MembersSaved::default();
        for m in members {
            let values = params![
                m.role,
                m.job_title,
                m.name,
                m.kind.id(),
                m.substitute_for,
                m.start.map(date),
                m.end.map(date)
            ];
            if m.id == 0 {
                tx.execute(
                    "INSERT INTO members(role, job_title, name, kind, substitute_for, start_date, end_date)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    values,
                )?;
                let id = tx.last_insert_rowid();
                audit(
                    &tx,
                    at,
                    "member",
                    &id.to_string(),
                    None,
                    &format!("added {} ({})", m.job_title, m.role),
                )?;
                saved.added += 1;
            } else {
                let changed = tx.execute(
                    "UPDATE members SET role = ?1, job_title = ?2, name = ?3, kind = ?4, substitute_for = ?5,
                        start_date = ?6, end_date = ?7 WHERE id = ?8",
                    params![
                        m.role,
                        m.job_title,
                        m.name,
                        m.kind.id(),
                        m.substitute_for,
                        m.start.map(date),
                        m.end.map(date),
                        m.id
                    ],
                )?;
                if changed == 0 {
                    return Err(StoreError::Refused(format!(
                        "there is no member with id {}; leave the id blank to add a member",
                        m.id
                    )));
                }
                audit(
                    &tx,
                    at,
                    "member",
                    &m.id.to_string(),
                    None,
                    &format!("updated {} ({})", m.job_title, m.role),
                )?;
                saved.updated += 1;
            }
        }
        tx.commit()?;
        Ok(saved)
    }
}
