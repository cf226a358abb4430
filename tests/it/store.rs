//! The store: migrations from empty, refusal of a newer schema, changes
//! committed at once and visible to a second connection, owner-only files.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use permanence_panel::model::{ActionStatus, AttendanceState, MemberKind};
use permanence_panel::store::{NewAction, NewMember, SCHEMA_VERSION, Store, StoreError};

fn at() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 27)
        .unwrap()
        .and_hms_opt(9, 45, 0)
        .unwrap()
}

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

#[test]
fn migrates_an_empty_file_to_the_latest_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("panel.db");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(store.is_empty().unwrap());
    drop(store);
    // Opening again is a no-op migration.
    let again = Store::open(&path).unwrap();
    assert_eq!(again.schema_version().unwrap(), SCHEMA_VERSION);
}

#[test]
fn refuses_a_database_from_a_newer_version_without_changing_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("panel.db");
    drop(Store::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = match Store::open(&path) {
        Err(e) => e,
        Ok(_) => panic!("a newer schema must be refused"),
    };
    assert!(matches!(err, StoreError::NewerSchema { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("newer version"), "{text}");
    assert!(text.contains("has not been changed"), "{text}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "file was altered");
}

#[test]
fn refuses_a_sqlite_file_that_is_not_ours() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE invoices(id INTEGER);")
            .unwrap();
    }
    let err = match Store::open(&path) {
        Err(e) => e,
        Ok(_) => panic!("a foreign database must be refused"),
    };
    assert!(matches!(err, StoreError::Foreign { .. }), "{err:?}");
}

#[test]
fn a_change_is_visible_at_once_to_a_second_connection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("panel.db");
    let mut writer = Store::open(&path).unwrap();
    let reader = Store::open_read_only(&path).unwrap();

    let meeting = writer
        .add_meeting(
            NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            time(9, 30),
            time(13, 0),
            at(),
        )
        .unwrap();
    let member = writer
        .add_member(
            &NewMember {
                role: "head-of-service".into(),
                job_title: "Head of Service".into(),
                name: None,
                kind: MemberKind::Standing,
                substitute_for: None,
            },
            at(),
        )
        .unwrap();
    writer
        .set_attendance(meeting, member, AttendanceState::Present, None, at())
        .unwrap();
    writer
        .record_decision(
            meeting,
            "C000001",
            "Long-term match to be presented.",
            true,
            at(),
        )
        .unwrap();
    let action = writer
        .add_action(
            &NewAction {
                meeting,
                child: "C000001".into(),
                text: "Book the matching panel".into(),
                owner: "Kinship and Fostering Team Manager".into(),
                deadline: NaiveDate::from_ymd_opt(2026, 12, 18).unwrap(),
            },
            at(),
        )
        .unwrap();

    // The reader sees every change without the writer closing or "saving".
    assert_eq!(reader.meetings().unwrap().len(), 1);
    let attendance = reader.attendance(meeting).unwrap();
    assert_eq!(attendance[0].state, AttendanceState::Present);
    assert_eq!(attendance[0].arrived, Some(time(9, 45)));
    let decisions = reader.decisions(meeting).unwrap();
    assert_eq!(decisions[0].text, "Long-term match to be presented.");
    let actions = reader.actions_for_meeting(meeting).unwrap();
    assert_eq!(actions[0].id, action);
    assert_eq!(actions[0].status, ActionStatus::Open);

    // And the audit log has one entry per change, in order.
    let entities: Vec<String> = reader
        .audit_entries()
        .unwrap()
        .into_iter()
        .map(|e| e.entity)
        .collect();
    assert_eq!(
        entities,
        ["meeting", "member", "attendance", "decision", "action"]
    );
}

#[test]
fn a_read_only_store_refuses_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("panel.db");
    drop(Store::open(&path).unwrap());
    let mut reader = Store::open_read_only(&path).unwrap();
    let err = reader
        .record_decision(1, "C000001", "x", true, at())
        .unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
}

#[test]
fn the_audit_log_cannot_be_altered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("panel.db");
    let mut store = Store::open(&path).unwrap();
    store
        .add_meeting(
            NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            time(9, 30),
            time(13, 0),
            at(),
        )
        .unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let update = conn.execute("UPDATE audit_log SET actor = 'someone else'", []);
    assert!(update.is_err(), "an update of the audit log must fail");
    let delete = conn.execute("DELETE FROM audit_log", []);
    assert!(delete.is_err(), "a delete from the audit log must fail");
}

#[cfg(unix)]
#[test]
fn files_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("new-dir");
    let path = data.join("panel.db");
    drop(Store::open(&path).unwrap());
    let file_mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    let dir_mode = std::fs::metadata(&data).unwrap().permissions().mode() & 0o777;
    assert_eq!(file_mode, 0o600, "file mode {file_mode:o}");
    assert_eq!(dir_mode, 0o700, "directory mode {dir_mode:o}");
}

#[test]
fn saving_a_membership_adds_updates_and_refuses_an_unknown_id_whole() {
    use permanence_panel::model::Member;
    let mut store = Store::open_in_memory().unwrap();
    let chair = store
        .add_member(
            &NewMember {
                role: "head-of-service".into(),
                job_title: "Head of Service".into(),
                name: None,
                kind: MemberKind::Standing,
                substitute_for: None,
            },
            at(),
        )
        .unwrap();
    let mut members = store.members().unwrap();
    members[0].end = NaiveDate::from_ymd_opt(2027, 3, 31);
    members.push(Member {
        id: 0,
        role: "crs-deputy".into(),
        job_title: "Independent Reviewing Officer".into(),
        name: None,
        kind: MemberKind::Standing,
        substitute_for: Some("service-manager-crs".into()),
        start: NaiveDate::from_ymd_opt(2026, 12, 1),
        end: None,
    });
    let saved = store.save_members(&members, at()).unwrap();
    assert_eq!((saved.added, saved.updated), (1, 1));
    let now = store.members().unwrap();
    assert_eq!(now.len(), 2);
    assert_eq!(now[0].id, chair);
    assert_eq!(now[0].end, NaiveDate::from_ymd_opt(2027, 3, 31));
    assert_eq!(
        now[1].substitute_for.as_deref(),
        Some("service-manager-crs")
    );

    // One unknown id refuses the lot: the new member before it is not added.
    let mut bad = now.clone();
    bad[0].job_title = "Changed".into();
    bad.push(Member {
        id: 99,
        ..now[1].clone()
    });
    let err = store.save_members(&bad, at()).unwrap_err();
    assert!(err.to_string().contains("no member with id 99"), "{err}");
    assert_eq!(store.members().unwrap(), now);
}

#[test]
fn a_meeting_lists_the_members_serving_on_its_date_and_anyone_who_attended() {
    use permanence_panel::model::Member;
    let mut store = Store::open_in_memory().unwrap();
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
    let member = |title: &str, start, end| Member {
        id: 0,
        role: "service-manager-cp".into(),
        job_title: title.into(),
        name: None,
        kind: MemberKind::Standing,
        substitute_for: None,
        start,
        end,
    };
    store
        .save_members(
            &[
                member("Serving", None, None),
                member("Left in October", None, d(2026, 10, 31)),
                member("Starts in December", d(2026, 12, 1), None),
                member("Last day is the meeting", None, d(2026, 11, 27)),
            ],
            at(),
        )
        .unwrap();
    let meeting_id = store
        .add_meeting(d(2026, 11, 27).unwrap(), time(9, 30), time(13, 0), at())
        .unwrap();
    let meeting = store.meeting(meeting_id).unwrap().unwrap();
    let titles = |store: &Store| -> Vec<String> {
        store
            .members_of_meeting(&meeting)
            .unwrap()
            .into_iter()
            .map(|m| m.job_title)
            .collect()
    };
    assert_eq!(titles(&store), ["Serving", "Last day is the meeting"]);
    // Recorded attendance keeps a row in the roll call, whatever the dates.
    let early = store.members().unwrap()[2].id;
    store
        .set_attendance(meeting_id, early, AttendanceState::Present, None, at())
        .unwrap();
    assert_eq!(
        titles(&store),
        ["Serving", "Starts in December", "Last day is the meeting"]
    );
}
