//! The panel's own records. Every function that changes something runs one
//! immediate transaction, appends to the audit log in it, and commits before
//! returning: there is no "save".

use crate::rules::dates::dmy;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rusqlite::{OptionalExtension, Row, Transaction, TransactionBehavior, params};

use super::minutes::refuse_if_approved;
use super::text::*;
use super::{Result, Store, StoreError};
use crate::model::*;

/// The initials given with `--as`, for this run (see `set_actor`).
static ACTOR_GIVEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Records changes of this run as made by these initials (`--as JB`),
/// upper-cased; refused unless 1 to 5 letters, so a name (personal data) is
/// not written into every audit entry by mistake. Only the first call counts.
pub fn set_actor(initials: &str) -> std::result::Result<(), String> {
    let initials = as_initials(initials).map_err(|typed| {
        format!("--as: '{typed}' is not initials; give 1 to 5 letters, e.g. --as JB")
    })?;
    let _ = ACTOR_GIVEN.set(initials);
    Ok(())
}

/// Initials (1 to 5 letters) upper-cased, or what was typed when they are
/// not: a name (personal data) must not reach every audit entry by mistake.
pub fn as_initials(typed: &str) -> std::result::Result<String, String> {
    let initials = typed.trim();
    if !(1..=5).contains(&initials.chars().count()) || !initials.chars().all(|c| c.is_alphabetic())
    {
        return Err(initials.to_owned());
    }
    Ok(initials.to_uppercase())
}

/// Whether initials were given for this run with `--as`.
pub fn actor_given() -> bool {
    ACTOR_GIVEN.get().is_some()
}

impl Store {
    /// Records every change made through this store from now on as made by
    /// `initials` (the app's settings: who sits at this machine), whatever
    /// the operating-system user. Refused unless 1 to 5 letters.
    pub fn set_actor(&mut self, initials: &str) -> std::result::Result<String, String> {
        let initials = as_initials(initials)?;
        let held = initials.clone();
        self.conn
            .create_scalar_function(
                "panel_actor",
                0,
                rusqlite::functions::FunctionFlags::SQLITE_UTF8,
                move |_| Ok(held.clone()),
            )
            .map_err(|e| e.to_string())?;
        Ok(initials)
    }
}

/// Who is recorded as making changes: the initials given with `--as`, else
/// `PERMANENCE_PANEL_USER`, else the operating-system user (from the
/// environment, else `id -un`, asked once), else "unknown".
pub fn current_actor() -> String {
    static OS_USER: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    if let Some(given) = ACTOR_GIVEN.get() {
        return given.clone();
    }
    let from_env = ["PERMANENCE_PANEL_USER", "USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()));
    from_env
        .or_else(|| {
            OS_USER
                .get_or_init(|| {
                    let out = std::process::Command::new("id").arg("-un").output().ok()?;
                    let name = String::from_utf8(out.stdout).ok()?.trim().to_owned();
                    (out.status.success() && !name.is_empty()).then_some(name)
                })
                .clone()
        })
        .unwrap_or_else(|| "unknown".into())
}

/// Who is recorded as making a change through `conn`: the initials set on
/// this connection (`Store::set_actor`) first, else `current_actor`.
pub(crate) fn actor_on(conn: &rusqlite::Connection) -> String {
    conn.query_row("SELECT panel_actor()", [], |r| r.get::<_, String>(0))
        .unwrap_or_else(|_| current_actor())
}

/// Appends one entry to the audit log inside the caller's transaction.
pub(crate) fn audit(
    tx: &Transaction<'_>,
    at: NaiveDateTime,
    entity: &str,
    entity_id: &str,
    child: Option<&str>,
    change: &str,
) -> Result<()> {
    let actor = actor_on(tx);
    tx.prepare_cached(
        "INSERT INTO audit_log(at, actor, entity, entity_id, child_id, change) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        datetime(at),
        actor,
        entity,
        entity_id,
        child,
        change
    ])?;
    super::audit::chain_entry(tx, tx.last_insert_rowid())?;
    Ok(())
}

/// An immediate transaction of the program's: committing it first writes
/// the audit's seal of every row it wrote in a table a user changes, so no
/// write path can forget to.
pub(crate) struct WriteTx<'c>(Transaction<'c>);

impl<'c> std::ops::Deref for WriteTx<'c> {
    type Target = Transaction<'c>;
    fn deref(&self) -> &Transaction<'c> {
        &self.0
    }
}

impl std::ops::DerefMut for WriteTx<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl WriteTx<'_> {
    pub(crate) fn commit(self) -> Result<()> {
        super::seals::seal_touched(&self.0)?;
        self.0.commit()?;
        Ok(())
    }
}

/// A new member, before it has an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMember {
    pub role: String,
    pub job_title: String,
    pub name: Option<String>,
    pub kind: MemberKind,
    pub substitute_for: Option<String>,
}

/// A new action, before it has an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAction {
    pub meeting: Id,
    pub child: ChildId,
    pub text: String,
    pub owner: String,
    pub deadline: NaiveDate,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: Id,
    pub at: NaiveDateTime,
    pub actor: String,
    pub entity: String,
    pub entity_id: String,
    pub child: Option<ChildId>,
    pub change: String,
}

impl Store {
    /// Starts the one kind of transaction that changes the panel: its
    /// `commit` seals the rows it wrote in the audit (see `seals`).
    pub(crate) fn write(&mut self) -> Result<WriteTx<'_>> {
        if self.read_only {
            return Err(StoreError::Refused(
                "this database is open read-only; nothing was changed".into(),
            ));
        }
        Ok(WriteTx(self.conn.transaction_with_behavior(
            TransactionBehavior::Immediate,
        )?))
    }

    // ---- members ----

    pub fn add_member(&mut self, m: &NewMember, at: NaiveDateTime) -> Result<Id> {
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO members(role, job_title, name, kind, substitute_for) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![m.role, m.job_title, m.name, m.kind.id(), m.substitute_for],
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
        tx.commit()?;
        Ok(id)
    }

    pub fn members(&self) -> Result<Vec<Member>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, role, job_title, name, kind, substitute_for, start_date, end_date FROM members ORDER BY id",
        )?;
        let rows = stmt
            .query_map([], member_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    // ---- meetings ----

    pub fn add_meeting(
        &mut self,
        date_: NaiveDate,
        start: NaiveTime,
        end: NaiveTime,
        at: NaiveDateTime,
    ) -> Result<Id> {
        let tx = self.write()?;
        // Past every id a meeting ever had: one taken off by an undo keeps
        // its id to itself (the audit names meetings by id).
        let id = fresh_id(&tx, IdKind::Meeting)?;
        tx.execute(
            "INSERT INTO meetings(id, date, start_time, end_time, status) VALUES (?5, ?1, ?2, ?3, ?4)",
            params![
                date(date_),
                time(start),
                time(end),
                MeetingStatus::Planned.id(),
                id
            ],
        )
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _)
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                StoreError::Refused(format!("there is already a meeting on {}", dmy(date_)))
            }
            e => e.into(),
        })?;
        audit(
            &tx,
            at,
            "meeting",
            &id.to_string(),
            None,
            &format!("planned for {}", date(date_)),
        )?;
        tx.commit()?;
        Ok(id)
    }

    pub fn meetings(&self) -> Result<Vec<Meeting>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {MEETING_COLUMNS} FROM meetings ORDER BY date"
        ))?;
        let rows = stmt
            .query_map([], meeting_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn meeting(&self, id: Id) -> Result<Option<Meeting>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE id = ?1"),
                [id],
                meeting_from_row,
            )
            .optional()?)
    }

    pub fn meeting_on(&self, day: NaiveDate) -> Result<Option<Meeting>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE date = ?1"),
                [date(day)],
                meeting_from_row,
            )
            .optional()?)
    }

    /// The first meeting on or after `day` that is not cancelled or closed;
    /// failing that, the latest meeting.
    pub fn next_meeting(&self, day: NaiveDate) -> Result<Option<Meeting>> {
        let next = self
            .conn
            .query_row(
                &format!(
                    "SELECT {MEETING_COLUMNS} FROM meetings
                     WHERE (date >= ?1 AND status NOT IN ('cancelled', 'closed')) OR status = 'in-progress'
                     ORDER BY status = 'in-progress' DESC, date LIMIT 1"
                ),
                [date(day)],
                meeting_from_row,
            )
            .optional()?;
        if next.is_some() {
            return Ok(next);
        }
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {MEETING_COLUMNS} FROM meetings ORDER BY date DESC LIMIT 1"),
                [],
                meeting_from_row,
            )
            .optional()?)
    }

    pub fn set_meeting_status(
        &mut self,
        meeting: Id,
        status: MeetingStatus,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        let old: String = tx.query_row(
            "SELECT status FROM meetings WHERE id = ?1",
            [meeting],
            |r| r.get(0),
        )?;
        tx.execute(
            "UPDATE meetings SET status = ?2 WHERE id = ?1",
            params![meeting, status.id()],
        )?;
        audit(
            &tx,
            at,
            "meeting",
            &meeting.to_string(),
            None,
            &format!("status {old} -> {}", status.id()),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Records which agenda item the chair is on (the presenter view follows it).
    pub fn set_current_item(&mut self, meeting: Id, item: Option<Id>) -> Result<()> {
        let tx = self.write()?;
        tx.execute(
            "UPDATE meetings SET current_item = ?2 WHERE id = ?1",
            params![meeting, item],
        )?;
        tx.commit()?;
        Ok(())
    }

    // ---- attendance ----

    /// Sets a member's attendance at a meeting, with the time of arrival
    /// (when they become present) or departure (when they leave).
    pub fn set_attendance(
        &mut self,
        meeting: Id,
        member: Id,
        state: AttendanceState,
        substitute_for: Option<&str>,
        at: NaiveDateTime,
    ) -> Result<()> {
        self.set_attendance_at(meeting, member, state, substitute_for, None, at)
    }

    /// `set_attendance` with the time a member arrived or left as typed
    /// (`typed`, e.g. minuting the day after): used instead of the clock or
    /// the meeting's start or end. Refused when it would put a departure
    /// before the arrival it ends, or a return before the last departure.
    pub fn set_attendance_at(
        &mut self,
        meeting: Id,
        member: Id,
        state: AttendanceState,
        substitute_for: Option<&str>,
        typed: Option<NaiveTime>,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        refuse_if_approved(&tx, meeting)?;
        let old: Option<(String, Option<String>)> = tx
            .query_row(
                "SELECT state, arrived FROM attendance WHERE meeting_id = ?1 AND member_id = ?2",
                params![meeting, member],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let was_present = old
            .as_ref()
            .and_then(|(s, _)| AttendanceState::parse(s))
            .is_some_and(|s| s.is_present());
        // The clock is the meeting's only on the meeting's day: a roll call
        // typed up on another day records arrivals at the meeting's start
        // and departures at its end, never another day's clock.
        let this = tx.query_row(
            &format!("SELECT {MEETING_COLUMNS} FROM meetings WHERE id = ?1"),
            [meeting],
            meeting_from_row,
        )?;
        let on_the_day = at.date() == this.date;
        let arrival = time(typed.unwrap_or(if on_the_day { at.time() } else { this.start }));
        let departure = time(typed.unwrap_or(if on_the_day { at.time() } else { this.end }));
        if let Some(typed) = typed.filter(|_| was_present != state.is_present()) {
            refuse_out_of_order(&tx, meeting, member, was_present, typed)?;
        }
        match (was_present, state.is_present()) {
            // Arriving (or coming back): a new stretch in the room.
            (false, true) => {
                tx.execute(
                    "INSERT INTO attendance_intervals(meeting_id, member_id, arrived, departed)
                     VALUES (?1, ?2, ?3, NULL)
                     ON CONFLICT(meeting_id, member_id, arrived) DO UPDATE SET departed = NULL",
                    params![meeting, member, arrival],
                )?;
            }
            // Leaving: the open stretch ends.
            (true, false) => {
                tx.execute(
                    "UPDATE attendance_intervals SET departed = ?3
                     WHERE meeting_id = ?1 AND member_id = ?2 AND departed IS NULL",
                    params![meeting, member, departure],
                )?;
            }
            _ => {}
        }
        let (arrived, departed) = match (was_present, state.is_present()) {
            // Arriving: note the time; a later return clears the departure.
            (false, true) => (Some(arrival), None),
            // Staying: keep the arrival time.
            (true, true) => (old.as_ref().and_then(|(_, a)| a.clone()), None),
            // Leaving after being present.
            (true, false) => (old.as_ref().and_then(|(_, a)| a.clone()), Some(departure)),
            (false, false) => (None, None),
        };
        tx.execute(
            "INSERT INTO attendance(meeting_id, member_id, state, substitute_for, arrived, departed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(meeting_id, member_id) DO UPDATE SET state = excluded.state,
                substitute_for = excluded.substitute_for, arrived = excluded.arrived, departed = excluded.departed",
            params![meeting, member, state.id(), substitute_for, arrived, departed],
        )?;
        let old_state = old.map(|(s, _)| s).unwrap_or_else(|| "none".into());
        audit(
            &tx,
            at,
            "attendance",
            &format!("{meeting}/{member}"),
            None,
            &format!("{old_state} -> {}", state.id()),
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn attendance(&self, meeting: Id) -> Result<Vec<Attendance>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT meeting_id, member_id, state, substitute_for, arrived, departed
             FROM attendance WHERE meeting_id = ?1 ORDER BY member_id",
        )?;
        let rows = stmt
            .query_map([meeting], |r| {
                let state: String = r.get(2)?;
                Ok(Attendance {
                    meeting: r.get(0)?,
                    member: r.get(1)?,
                    state: code(&state)?,
                    substitute_for: r.get(3)?,
                    arrived: parse_opt_time(r.get(4)?)?,
                    departed: parse_opt_time(r.get(5)?)?,
                    intervals: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<Vec<Attendance>>>()?;
        let mut rows = rows;
        let mut stmt = self.conn.prepare_cached(
            "SELECT member_id, arrived, departed FROM attendance_intervals
             WHERE meeting_id = ?1 ORDER BY member_id, arrived",
        )?;
        let intervals = stmt
            .query_map([meeting], |r| {
                Ok((
                    r.get::<_, Id>(0)?,
                    Interval {
                        arrived: parse_time(&r.get::<_, String>(1)?)?,
                        left: parse_opt_time(r.get(2)?)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (member, interval) in intervals {
            if let Some(row) = rows.iter_mut().find(|a| a.member == member) {
                row.intervals.push(interval);
            }
        }
        Ok(rows)
    }

    // ---- agenda ----

    /// Replaces a meeting's agenda with these items, in order.
    pub fn set_agenda(
        &mut self,
        meeting: Id,
        items: &[(ChildId, String, Vec<String>)],
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        super::minutes::refuse_agenda_change_if_approved(&tx, meeting)?;
        tx.execute("DELETE FROM agenda_items WHERE meeting_id = ?1", [meeting])?;
        for (index, (child, listed_under, reasons)) in items.iter().enumerate() {
            tx.execute(
                "INSERT INTO agenda_items(meeting_id, child_id, position, listed_under, reasons)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    meeting,
                    child,
                    index as i64 + 1,
                    listed_under,
                    serde_json::to_string(reasons).unwrap_or_default()
                ],
            )?;
        }
        audit(
            &tx,
            at,
            "agenda",
            &meeting.to_string(),
            None,
            &format!("agenda set with {} children", items.len()),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The children the meeting takes, in order.
    pub fn agenda(&self, meeting: Id) -> Result<Vec<AgendaItem>> {
        self.agenda_items(meeting, false)
    }

    /// The children who did not fit the meeting's time, in order: they
    /// come first among the cohorts next time (nobody drops off for good).
    pub fn agenda_waiting(&self, meeting: Id) -> Result<Vec<AgendaItem>> {
        self.agenda_items(meeting, true)
    }

    /// The first `limit` children waiting after a meeting, in order, and
    /// how many wait in all: a screen lists the first, a big return can
    /// leave tens of thousands waiting.
    pub fn agenda_waiting_first(
        &self,
        meeting: Id,
        limit: usize,
    ) -> Result<(Vec<AgendaItem>, usize)> {
        let count: i64 = self.conn.query_row(
            "SELECT count(*) FROM agenda_items WHERE meeting_id = ?1 AND waiting = 1",
            [meeting],
            |r| r.get(0),
        )?;
        let first = self.agenda_items_limited(meeting, true, limit)?;
        Ok((first, usize::try_from(count).unwrap_or(0)))
    }

    fn agenda_items(&self, meeting: Id, waiting: bool) -> Result<Vec<AgendaItem>> {
        self.agenda_items_limited(meeting, waiting, usize::MAX)
    }

    fn agenda_items_limited(
        &self,
        meeting: Id,
        waiting: bool,
        limit: usize,
    ) -> Result<Vec<AgendaItem>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, meeting_id, child_id, position, listed_under, reasons, waiting
             FROM agenda_items WHERE meeting_id = ?1 AND waiting = ?2 ORDER BY position LIMIT ?3",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(params![meeting, waiting, limit], |r| {
                let reasons: String = r.get(5)?;
                Ok(AgendaItem {
                    id: r.get(0)?,
                    meeting: r.get(1)?,
                    child: r.get(2)?,
                    position: r.get(3)?,
                    listed_under: r.get(4)?,
                    reasons: serde_json::from_str(&reasons).map_err(|e| conversion(&reasons, e))?,
                    waiting: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    // ---- decisions ----

    /// Records (or replaces) the panel's decision on a child at a meeting.
    pub fn record_decision(
        &mut self,
        meeting: Id,
        child: &str,
        text_: &str,
        quorate: bool,
        at: NaiveDateTime,
    ) -> Result<Id> {
        self.record_decision_with_quorum(meeting, child, text_, quorate, None, at)
    }

    /// Records (or replaces) a decision with the item's quorum in words as
    /// it stood (`QuorumResult::summary`, naming any who withdrew).
    pub fn record_decision_with_quorum(
        &mut self,
        meeting: Id,
        child: &str,
        text_: &str,
        quorate: bool,
        quorum: Option<&str>,
        at: NaiveDateTime,
    ) -> Result<Id> {
        let tx = self.write()?;
        refuse_if_approved(&tx, meeting)?;
        let (id, old) = write_decision(&tx, meeting, child, text_, quorate, quorum, at)?;
        let change =
            serde_json::json!({ "old": old, "new": text_, "quorate": quorate, "quorum": quorum })
                .to_string();
        audit(&tx, at, "decision", &id.to_string(), Some(child), &change)?;
        tx.commit()?;
        Ok(id)
    }

    pub fn decisions(&self, meeting: Id) -> Result<Vec<Decision>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, meeting_id, child_id, text, recorded_at, quorate, quorum FROM decisions WHERE meeting_id = ?1 ORDER BY id",
        )?;
        let rows = stmt
            .query_map([meeting], decision_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Every decision the panel has made on a child, oldest first.
    pub fn decisions_for_child(&self, child: &str) -> Result<Vec<Decision>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.meeting_id, d.child_id, d.text, d.recorded_at, d.quorate, d.quorum
             FROM decisions d JOIN meetings m ON m.id = d.meeting_id
             WHERE d.child_id = ?1 ORDER BY m.date, d.id",
        )?;
        let rows = stmt
            .query_map([child], decision_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    // ---- actions ----

    pub fn add_action(&mut self, a: &NewAction, at: NaiveDateTime) -> Result<Id> {
        let tx = self.write()?;
        refuse_if_approved(&tx, a.meeting)?;
        let id = fresh_id(&tx, IdKind::Action)?;
        tx.execute(
            "INSERT INTO actions(id, meeting_id, child_id, text, owner, deadline, status, created_at)
             VALUES (?7, ?1, ?2, ?3, ?4, ?5, 'open', ?6)",
            params![
                a.meeting,
                a.child,
                a.text,
                a.owner,
                date(a.deadline),
                datetime(at),
                id
            ],
        )?;
        let change = serde_json::json!({ "new": { "text": a.text, "owner": a.owner, "deadline": date(a.deadline) } }).to_string();
        audit(&tx, at, "action", &id.to_string(), Some(&a.child), &change)?;
        tx.commit()?;
        Ok(id)
    }

    /// Corrects a saved action's wording, owner and deadline, until the
    /// minutes of its meeting are approved (after that, a correction to the
    /// minutes is recorded instead). Audited as a correction, the old text
    /// kept in the entry.
    pub fn correct_action(
        &mut self,
        action: Id,
        text_: &str,
        owner: &str,
        deadline: NaiveDate,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        let (child, meeting, old_text, old_owner, old_deadline): (
            String,
            Id,
            String,
            String,
            String,
        ) = tx.query_row(
            "SELECT child_id, meeting_id, text, owner, deadline FROM actions WHERE id = ?1",
            [action],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
        refuse_if_approved(&tx, meeting)?;
        tx.execute(
            "UPDATE actions SET text = ?2, owner = ?3, deadline = ?4 WHERE id = ?1",
            params![action, text_, owner, date(deadline)],
        )?;
        let change = serde_json::json!({
            "correction": {
                "old": { "text": old_text, "owner": old_owner, "deadline": old_deadline },
                "new": { "text": text_, "owner": owner, "deadline": date(deadline) },
            }
        })
        .to_string();
        audit(
            &tx,
            at,
            "action",
            &action.to_string(),
            Some(&child),
            &change,
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn set_action_status(
        &mut self,
        action: Id,
        status: ActionStatus,
        reason: Option<&str>,
        at: NaiveDateTime,
    ) -> Result<()> {
        let tx = self.write()?;
        let (child, old): (String, String) = tx.query_row(
            "SELECT child_id, status FROM actions WHERE id = ?1",
            [action],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        tx.execute(
            "UPDATE actions SET status = ?2, status_reason = ?3 WHERE id = ?1",
            params![action, status.id(), reason],
        )?;
        let change =
            serde_json::json!({ "old": old, "new": status.id(), "reason": reason }).to_string();
        audit(
            &tx,
            at,
            "action",
            &action.to_string(),
            Some(&child),
            &change,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Deletes an action (undoing its creation in the meeting).
    pub fn delete_action(&mut self, action: Id, at: NaiveDateTime) -> Result<()> {
        let tx = self.write()?;
        let (child, meeting): (String, Id) = tx.query_row(
            "SELECT child_id, meeting_id FROM actions WHERE id = ?1",
            [action],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        refuse_if_approved(&tx, meeting)?;
        tx.execute("DELETE FROM actions WHERE id = ?1", [action])?;
        audit(
            &tx,
            at,
            "action",
            &action.to_string(),
            Some(&child),
            "deleted",
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn actions_for_meeting(&self, meeting: Id) -> Result<Vec<Action>> {
        self.query_actions("WHERE meeting_id = ?1 ORDER BY id", params![meeting])
    }

    pub fn actions_for_child(&self, child: &str) -> Result<Vec<Action>> {
        self.query_actions("WHERE child_id = ?1 ORDER BY deadline, id", params![child])
    }

    /// One action, as stored now.
    pub fn action(&self, id: Id) -> Result<Option<Action>> {
        Ok(self
            .query_actions("WHERE id = ?1", params![id])?
            .into_iter()
            .next())
    }

    pub fn all_actions(&self) -> Result<Vec<Action>> {
        self.query_actions("ORDER BY deadline, id", params![])
    }

    fn query_actions(&self, tail: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<Action>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id, meeting_id, child_id, text, owner, deadline, status, status_reason, created_at FROM actions {tail}"
        ))?;
        let rows = stmt
            .query_map(args, action_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    // ---- audit ----

    /// The id of the latest audited change (0 when none): a change was made
    /// between two readings when the id moved.
    pub fn last_change(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COALESCE(MAX(id), 0) FROM audit_log", [], |r| {
                r.get(0)
            })?)
    }

    /// The audit trail of changes, oldest first. The row seals that follow
    /// each change (`seals`: what `audit verify` checks the tables against)
    /// are left out: they repeat the change as the rows it left.
    pub fn audit_entries(&self) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, actor, entity, entity_id, child_id, change FROM audit_log
             WHERE entity <> ?1 ORDER BY id",
        )?;
        let rows = stmt
            .query_map([super::seals::ROWS_ENTITY], |r| {
                Ok(AuditEntry {
                    id: r.get(0)?,
                    at: parse_datetime(&r.get::<_, String>(1)?)?,
                    actor: r.get(2)?,
                    entity: r.get(3)?,
                    entity_id: r.get(4)?,
                    child: r.get(5)?,
                    change: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

pub(super) const MEETING_COLUMNS: &str =
    "id, date, start_time, end_time, status, current_item, cancel_reason";

pub(super) fn meeting_from_row(r: &Row<'_>) -> rusqlite::Result<Meeting> {
    let status: String = r.get(4)?;
    Ok(Meeting {
        id: r.get(0)?,
        date: parse_date(&r.get::<_, String>(1)?)?,
        start: parse_time(&r.get::<_, String>(2)?)?,
        end: parse_time(&r.get::<_, String>(3)?)?,
        status: code(&status)?,
        current_item: r.get(5)?,
        cancel_reason: r.get(6)?,
    })
}

pub(super) fn member_from_row(r: &Row<'_>) -> rusqlite::Result<Member> {
    let kind: String = r.get(4)?;
    Ok(Member {
        id: r.get(0)?,
        role: r.get(1)?,
        job_title: r.get(2)?,
        name: r.get(3)?,
        kind: code(&kind)?,
        substitute_for: r.get(5)?,
        start: parse_opt_date(r.get(6)?)?,
        end: parse_opt_date(r.get(7)?)?,
    })
}

/// Writes (or replaces) the text of the decision on `child` at `meeting`
/// inside the caller's transaction, which has checked the minutes are not
/// approved; gives its id and the text it replaced. The one write of a
/// decision's text, with or without an outcome.
pub(crate) fn write_decision(
    tx: &Transaction<'_>,
    meeting: Id,
    child: &str,
    text_: &str,
    quorate: bool,
    quorum: Option<&str>,
    at: NaiveDateTime,
) -> Result<(Id, Option<String>)> {
    let old: Option<String> = tx
        .query_row(
            "SELECT text FROM decisions WHERE meeting_id = ?1 AND child_id = ?2",
            params![meeting, child],
            |r| r.get(0),
        )
        .optional()?;
    // A decision replaced keeps its id; a new one takes a fresh id, never
    // one an undone decision had.
    let fresh = match old {
        Some(_) => None,
        None => Some(fresh_id(tx, IdKind::Decision)?),
    };
    tx.execute(
        "INSERT INTO decisions(id, meeting_id, child_id, text, recorded_at, quorate, quorum) VALUES (?6, ?1, ?2, ?3, ?4, ?5, ?7)
         ON CONFLICT(meeting_id, child_id) DO UPDATE SET text = excluded.text,
            recorded_at = excluded.recorded_at, quorate = excluded.quorate, quorum = excluded.quorum",
        params![meeting, child, text_, datetime(at), quorate, fresh, quorum],
    )?;
    let id: Id = tx.query_row(
        "SELECT id FROM decisions WHERE meeting_id = ?1 AND child_id = ?2",
        params![meeting, child],
        |r| r.get(0),
    )?;
    Ok((id, old))
}

fn decision_from_row(r: &Row<'_>) -> rusqlite::Result<Decision> {
    Ok(Decision {
        id: r.get(0)?,
        meeting: r.get(1)?,
        child: r.get(2)?,
        text: r.get(3)?,
        recorded_at: parse_datetime(&r.get::<_, String>(4)?)?,
        quorate: r.get(5)?,
        quorum: r.get(6)?,
    })
}

fn action_from_row(r: &Row<'_>) -> rusqlite::Result<Action> {
    let status: String = r.get(6)?;
    Ok(Action {
        id: r.get(0)?,
        meeting: r.get(1)?,
        child: r.get(2)?,
        text: r.get(3)?,
        owner: r.get(4)?,
        deadline: parse_date(&r.get::<_, String>(5)?)?,
        status: code(&status)?,
        status_reason: r.get(7)?,
        created_at: parse_datetime(&r.get::<_, String>(8)?)?,
    })
}

/// The kinds of record an undo can delete, whose ids are never given again.
#[derive(Debug, Clone, Copy)]
pub(super) enum IdKind {
    Decision,
    Action,
    Meeting,
    Referral,
}

impl IdKind {
    fn entity(self) -> &'static str {
        match self {
            IdKind::Decision => "decision",
            IdKind::Action => "action",
            IdKind::Meeting => "meeting",
            IdKind::Referral => "referral",
        }
    }

    fn table(self) -> &'static str {
        match self {
            IdKind::Decision => "decisions",
            IdKind::Action => "actions",
            IdKind::Meeting => "meetings",
            IdKind::Referral => "referrals",
        }
    }
}

/// A new record's id: past every id a record of its kind ever had, an
/// undone (deleted) one included, so an id in the minutes, an export or
/// the audit never comes to mean another record. The high-water mark moves
/// in the same transaction as the insert.
pub(super) fn fresh_id(tx: &rusqlite::Connection, kind: IdKind) -> Result<Id> {
    let id: Id = tx.query_row(
        &format!(
            "SELECT MAX(COALESCE((SELECT MAX(id) FROM {}), 0),
                        COALESCE((SELECT last_id FROM id_high_water WHERE entity = ?1), 0)) + 1",
            kind.table()
        ),
        [kind.entity()],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO id_high_water(entity, last_id) VALUES (?1, ?2)
         ON CONFLICT(entity) DO UPDATE SET last_id = excluded.last_id",
        params![kind.entity(), id],
    )?;
    Ok(id)
}

/// A time typed for a coming or going must follow the member's last one:
/// a departure after the arrival it ends, a return after the last departure.
fn refuse_out_of_order(
    tx: &rusqlite::Connection,
    meeting: Id,
    member: Id,
    leaving: bool,
    typed: NaiveTime,
) -> Result<()> {
    let (column, what) = if leaving {
        ("arrived", "they arrived")
    } else {
        ("departed", "they last left")
    };
    let last: Option<String> = tx.query_row(
        &format!(
            "SELECT max({column}) FROM attendance_intervals WHERE meeting_id = ?1 AND member_id = ?2"
        ),
        params![meeting, member],
        |r| r.get(0),
    )?;
    match last.map(|t| parse_time(&t)).transpose()? {
        Some(last) if typed < last => Err(StoreError::Refused(format!(
            "{} is before {what} ({}); type a later time",
            typed.format("%H:%M"),
            last.format("%H:%M")
        ))),
        _ => Ok(()),
    }
}
