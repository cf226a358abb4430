//! Declarations of interest: a member declares an interest in a child's
//! item at a meeting and withdraws from it, so the quorum for a decision on
//! that child is counted without them (`rules::quorum::check_at`'s
//! `withdrawn`). Audited, sealed (seals::COVERED) and frozen with the
//! meeting's approved minutes.

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, Row, params};

use super::minutes::refuse_if_approved;
use super::panel::audit;
use super::text::*;
use super::{Result, Store, StoreError};
use crate::model::{Id, InterestDeclaration};

impl Store {
    /// Records that `member` declared an interest in `child`'s item at
    /// `meeting` (a second declaration replaces the note). Refused once the
    /// meeting's minutes are approved, and for a member the panel does not
    /// have.
    pub fn declare_interest(
        &mut self,
        meeting: Id,
        child: &str,
        member: Id,
        note: Option<&str>,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        refuse_if_approved(&tx, meeting)?;
        let known: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM members WHERE id = ?1)",
            [member],
            |r| r.get(0),
        )?;
        if !known {
            return Err(StoreError::Refused(format!(
                "there is no member {member} on the panel"
            )));
        }
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        let old: Option<Option<String>> = tx
            .query_row(
                "SELECT note FROM interest_declarations
                 WHERE meeting_id = ?1 AND child_id = ?2 AND member_id = ?3",
                params![meeting, child, member],
                |r| r.get(0),
            )
            .optional()?;
        tx.execute(
            "INSERT INTO interest_declarations(meeting_id, child_id, member_id, declared_at, note)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(meeting_id, child_id, member_id) DO UPDATE SET
                declared_at = excluded.declared_at, note = excluded.note",
            params![meeting, child, member, datetime(at), note],
        )?;
        let change = serde_json::json!({
            "declared": true,
            "member": member,
            "note": note,
            "replacing": old,
        })
        .to_string();
        audit(
            &tx,
            at,
            "interest",
            &meeting.to_string(),
            Some(child),
            &change,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Takes a declaration back (an undo in the session). Refused once the
    /// minutes are approved.
    pub fn withdraw_interest_declaration(
        &mut self,
        meeting: Id,
        child: &str,
        member: Id,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        refuse_if_approved(&tx, meeting)?;
        let gone = tx.execute(
            "DELETE FROM interest_declarations
             WHERE meeting_id = ?1 AND child_id = ?2 AND member_id = ?3",
            params![meeting, child, member],
        )?;
        if gone > 0 {
            let change = serde_json::json!({ "declared": false, "member": member }).to_string();
            audit(
                &tx,
                at,
                "interest",
                &meeting.to_string(),
                Some(child),
                &change,
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The declarations at a meeting, by child then time.
    pub fn interest_declarations(&self, meeting: Id) -> Result<Vec<InterestDeclaration>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT meeting_id, child_id, member_id, declared_at, note FROM interest_declarations
             WHERE meeting_id = ?1 ORDER BY child_id, declared_at, member_id",
        )?;
        let rows = stmt
            .query_map([meeting], declaration_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The members who declared an interest in `child`'s item at `meeting`:
    /// those withdrawn from its quorum.
    pub fn withdrawn_from_item(&self, meeting: Id, child: &str) -> Result<Vec<Id>> {
        Ok(self
            .interest_declarations(meeting)?
            .into_iter()
            .filter(|d| d.child == child)
            .map(|d| d.member)
            .collect())
    }
}

fn declaration_from_row(r: &Row<'_>) -> rusqlite::Result<InterestDeclaration> {
    Ok(InterestDeclaration {
        meeting: r.get(0)?,
        child: r.get(1)?,
        member: r.get(2)?,
        declared_at: parse_datetime(&r.get::<_, String>(3)?)?,
        note: r.get(4)?,
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::NewMember;
    use crate::model::MemberKind;

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2027, 1, day)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .expect("a time")
    }

    fn panel() -> (Store, Id, Id) {
        let mut store = Store::open_in_memory().expect("store");
        let member = store
            .add_member(
                &NewMember {
                    role: "head-of-service".into(),
                    job_title: "Head of Service".into(),
                    name: None,
                    kind: MemberKind::Standing,
                    substitute_for: None,
                },
                at(1, 8),
            )
            .expect("member");
        let meeting = store
            .add_meeting(
                at(29, 8).date(),
                chrono::NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
                chrono::NaiveTime::from_hms_opt(12, 0, 0).expect("time"),
                at(1, 8),
            )
            .expect("meeting");
        (store, meeting, member)
    }

    #[test]
    fn a_declaration_is_stored_audited_taken_back_and_refused_for_a_stranger() {
        let (mut store, meeting, member) = panel();
        store
            .declare_interest(
                meeting,
                "C1",
                member,
                Some(" knows the carers "),
                at(29, 10),
            )
            .expect("declared");
        let held = store.interest_declarations(meeting).expect("read");
        assert_eq!(
            held,
            [InterestDeclaration {
                meeting,
                child: "C1".into(),
                member,
                declared_at: at(29, 10),
                note: Some("knows the carers".into()),
            }]
        );
        assert_eq!(store.withdrawn_from_item(meeting, "C1").unwrap(), [member]);
        assert!(store.withdrawn_from_item(meeting, "C2").unwrap().is_empty());
        let entries = store.audit_entries().expect("audit");
        let last = entries.last().expect("an entry");
        assert_eq!(last.entity, "interest");
        assert_eq!(last.child.as_deref(), Some("C1"));
        assert!(last.change.contains("knows the carers"), "{}", last.change);

        store
            .withdraw_interest_declaration(meeting, "C1", member, at(29, 11))
            .expect("withdrawn");
        assert!(store.interest_declarations(meeting).unwrap().is_empty());

        let err = store
            .declare_interest(meeting, "C1", 999, None, at(29, 11))
            .expect_err("no such member");
        assert!(err.to_string().contains("no member 999"), "{err}");
        let verified = store.verify_audit().expect("verify");
        assert!(verified.findings.is_empty(), "{:?}", verified.findings);
    }
}
