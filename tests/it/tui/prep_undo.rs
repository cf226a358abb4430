//! Issue 22: every Preparation change undone with `u` and redone with
//! Ctrl+R through `update` and `apply`, each an audited write of its own,
//! read back from the store; and the undo refused, with nothing written,
//! where it would lose what the panel recorded.

use super::*;
use permanence_panel::rules::dates::dmy;

fn audit_changes(h: &Harness) -> Vec<String> {
    h.store
        .audit_entries()
        .unwrap()
        .into_iter()
        .map(|e| e.change)
        .collect()
}

fn heard(h: &Harness) -> Vec<String> {
    h.store
        .agenda(h.meeting)
        .unwrap()
        .into_iter()
        .map(|i| i.child)
        .collect()
}

/// The agenda children referred and accepted, so the builder lists them.
fn accepted_referrals(h: &mut Harness) {
    for (child, made_on) in CHILDREN
        .iter()
        .zip(["20/11/2026", "21/11/2026", "22/11/2026"])
    {
        super::preparation::refer(h, child, made_on);
    }
    for referral in h.store.referrals().unwrap() {
        h.store
            .decide_referral(referral.id, ReferralStatus::Accepted, None, now())
            .unwrap();
    }
}

/// Plans 2027 on the Meetings screen; gives the meetings it added.
fn plan_2027(h: &mut Harness) -> Vec<Meeting> {
    h.char('Y');
    h.char('p');
    h.key(KeyCode::Enter);
    h.store
        .meetings()
        .unwrap()
        .into_iter()
        .filter(|m| m.id != h.meeting)
        .collect()
}

#[test]
fn a_year_planned_is_taken_off_by_undo_and_put_back_under_its_ids_by_redo() {
    let mut h = Harness::new("wiltshire");
    let planned = plan_2027(&mut h);
    let n = planned.len();
    assert!(n >= 10, "{planned:?}");
    assert_eq!(
        h.notice(),
        format!("{n} meetings added for 2027 (u undoes).")
    );
    // The highlight on the last meeting, to be left past the list.
    for _ in 0..n {
        h.key(KeyCode::Down);
    }

    h.char('u');
    assert_eq!(
        h.notice(),
        format!("Undone: {n} meetings planned in error taken off")
    );
    let left: Vec<Id> = h.store.meetings().unwrap().iter().map(|m| m.id).collect();
    assert_eq!(left, vec![h.meeting]);
    let removed = audit_changes(&h)
        .iter()
        .filter(|c| c.starts_with("meeting planned in error removed"))
        .count();
    assert_eq!(removed, n, "one audit entry per meeting taken off");
    assert_eq!(h.app.data.prep.meetings.len(), 1, "the screen reloaded");
    assert_eq!(
        h.app.screens.meetings.cursor, 0,
        "the highlight on the list"
    );
    assert!(h.render(120, 40).contains("Meetings from 01/01/2026 (1)"));

    h.ctrl('r');
    assert_eq!(h.notice(), format!("Redone: {n} meetings planned again"));
    let back: Vec<Meeting> = h
        .store
        .meetings()
        .unwrap()
        .into_iter()
        .filter(|m| m.id != h.meeting)
        .collect();
    assert_eq!(back, planned, "the same meetings under the same ids");
    // And undone again: the redo is itself undone.
    h.char('u');
    assert_eq!(h.store.meetings().unwrap().len(), 1);
}

#[test]
fn an_extra_sitting_is_undone_and_a_meeting_with_a_decision_is_never_taken_off() {
    let mut h = Harness::new("wiltshire");
    h.char('Y');
    h.char('a');
    h.typ("10/02/2027");
    h.key(KeyCode::Tab);
    h.typ("Emergency admissions");
    h.key(KeyCode::Enter);
    assert_eq!(h.notice(), "Extra meeting added on 10/02/2027 (u undoes).");
    let sitting = h.store.meeting_on(day("10/02/2027")).unwrap().unwrap();
    h.char('u');
    assert_eq!(
        h.notice(),
        "Undone: meeting of 10/02/2027 planned in error taken off"
    );
    assert!(h.store.meeting_on(day("10/02/2027")).unwrap().is_none());
    h.ctrl('r');
    assert_eq!(
        h.store.meeting_on(day("10/02/2027")).unwrap(),
        Some(sitting.clone())
    );

    // Something recorded for it meanwhile (from the command line): the
    // undo is refused, nothing is written, and it stays to be undone.
    h.store
        .record_decision(sitting.id, CHILDREN[0], "Plan agreed", true, now())
        .unwrap();
    let writes = h.store.audit_entries().unwrap().len();
    h.char('u');
    assert_eq!(
        h.notice(),
        "Not saved: the meeting of 10/02/2027 cannot be taken off: it has decisions recorded"
    );
    assert_eq!(h.store.audit_entries().unwrap().len(), writes);
    assert!(h.store.meeting_on(day("10/02/2027")).unwrap().is_some());
    assert_eq!(h.app.undo.done.len(), 1, "still there to undo");
}

#[test]
fn a_cancellation_is_withdrawn_by_undo_and_made_again_by_redo() {
    let mut h = Harness::new("wiltshire");
    let planned = plan_2027(&mut h);
    let first = &planned[0];
    h.key(KeyCode::Down);
    h.char('x');
    h.typ("Room unavailable");
    h.key(KeyCode::Enter);
    assert_eq!(
        h.notice(),
        format!(
            "The meeting of {} is cancelled (u undoes).",
            dmy(first.date)
        )
    );
    h.char('u');
    assert_eq!(
        h.notice(),
        format!("Undone: meeting of {} no longer cancelled", dmy(first.date))
    );
    let now_held = h.store.meeting(first.id).unwrap().unwrap();
    assert_eq!(&now_held, first, "planned again, no reason kept");
    assert!(
        audit_changes(&h)
            .last()
            .is_some_and(|c| c == "cancellation withdrawn: planned again")
    );
    assert!(!h.render(120, 40).contains("cancelled: Room unavailable"));
    h.ctrl('r');
    let again = h.store.meeting(first.id).unwrap().unwrap();
    assert_eq!(again.status, MeetingStatus::Cancelled);
    assert_eq!(again.cancel_reason.as_deref(), Some("Room unavailable"));
}

#[test]
fn a_referral_recorded_accepted_and_the_recording_itself_are_undone() {
    let mut h = Harness::new("wiltshire");
    h.char('R');
    h.char('n');
    h.typ(CHILDREN[1]);
    for text in ["", "KL", "MN", "Placement at risk of breaking down"] {
        h.key(KeyCode::Tab);
        h.typ(text);
    }
    h.key(KeyCode::Enter);
    let held = h.store.referrals().unwrap();
    assert_eq!(held.len(), 1);
    assert!(h.notice().ends_with("accept or decline it (u undoes)."));

    // Accepted for the meeting offered, then undone: open again.
    h.char('a');
    h.key(KeyCode::Enter);
    assert_eq!(
        h.store.referrals().unwrap()[0].status,
        ReferralStatus::Accepted
    );
    assert!(h.store.referrals().unwrap()[0].meeting_asked.is_some());
    // Undone: open again and asking for no meeting, exactly as recorded.
    h.char('u');
    assert_eq!(h.store.referrals().unwrap(), held);

    // The recording undone: the referral is gone, the audit says so.
    h.char('u');
    assert_eq!(
        h.notice(),
        format!("Undone: referral of {} taken off", CHILDREN[1])
    );
    assert!(h.store.referrals().unwrap().is_empty());
    assert!(
        audit_changes(&h)
            .last()
            .is_some_and(|c| c == "referral recorded in error removed")
    );
    assert!(h.render(120, 40).contains("No referral is waiting"));
    // Redone: back as it was, under its id; then accepted again.
    h.ctrl('r');
    assert_eq!(h.store.referrals().unwrap(), held);
    h.ctrl('r');
    assert_eq!(
        h.store.referrals().unwrap()[0].status,
        ReferralStatus::Accepted
    );
}

#[test]
fn a_build_a_child_added_and_removed_and_the_publication_are_undone_and_redone() {
    let mut h = Harness::new("wiltshire");
    accepted_referrals(&mut h);
    // Emptied, as a meeting before its agenda is built.
    h.store.set_agenda(h.meeting, &[], now()).unwrap();
    h.reopen();
    h.char('b');
    h.char('b');
    let built = heard(&h);
    assert!(!built.is_empty());
    assert!(
        h.notice().ends_with("waiting (u undoes)."),
        "{}",
        h.notice()
    );
    let as_built = h.store.agenda_snapshot(h.meeting).unwrap();

    h.char('u');
    assert_eq!(
        h.notice(),
        "Undone: agenda for 27/11/2026 back to how it stood before the build"
    );
    assert!(heard(&h).is_empty());
    assert!(h.store.agenda_waiting(h.meeting).unwrap().is_empty());
    assert!(
        audit_changes(&h)
            .last()
            .is_some_and(|c| c == "agenda restored to how it stood before the build")
    );
    assert!(h.render(120, 40).contains("not built yet"));
    h.ctrl('r');
    assert_eq!(h.notice(), "Redone: agenda for 27/11/2026 built again");
    assert_eq!(h.store.agenda_snapshot(h.meeting).unwrap(), as_built);

    // A child added by hand, undone: the agenda and its choices as before.
    h.char('a');
    h.typ(NOT_ON_AGENDA);
    h.key(KeyCode::Tab);
    h.typ("Asked for by the Head of Service");
    h.key(KeyCode::Enter);
    let with_added = h.store.agenda_snapshot(h.meeting).unwrap();
    assert!(with_added.items.iter().any(|i| i.child == NOT_ON_AGENDA));
    h.char('u');
    assert_eq!(
        h.notice(),
        format!("Undone: {NOT_ON_AGENDA} no longer added to the agenda")
    );
    assert_eq!(h.store.agenda_snapshot(h.meeting).unwrap(), as_built);
    h.ctrl('r');
    assert_eq!(h.store.agenda_snapshot(h.meeting).unwrap(), with_added);
    h.char('u');

    // The first child taken off, undone: back in their place.
    while h.app.screens.agenda_builder.cursor > 0 {
        h.key(KeyCode::Up);
    }
    h.char('x');
    h.typ("Heard at the court's request next month");
    h.key(KeyCode::Enter);
    assert!(!heard(&h).contains(&built[0]));
    h.char('u');
    assert_eq!(
        h.notice(),
        format!("Undone: {} back on the agenda", built[0])
    );
    assert_eq!(h.store.agenda_snapshot(h.meeting).unwrap(), as_built);

    // Published, undone: no longer published, planned again.
    h.char('P');
    assert!(h.store.agenda_published_at(h.meeting).unwrap().is_some());
    h.char('u');
    assert_eq!(
        h.notice(),
        "Undone: agenda for 27/11/2026 no longer published"
    );
    assert_eq!(h.store.agenda_published_at(h.meeting).unwrap(), None);
    let status = h.store.meeting(h.meeting).unwrap().unwrap().status;
    assert_eq!(status, MeetingStatus::Planned);
    assert!(
        audit_changes(&h)
            .last()
            .is_some_and(|c| c == "publication withdrawn")
    );
    h.ctrl('r');
    assert_eq!(h.notice(), "Redone: agenda for 27/11/2026 published");
    assert_eq!(h.store.agenda_published_at(h.meeting).unwrap(), Some(now()));
}

#[test]
fn an_agenda_whose_minutes_are_approved_is_not_put_back_by_undo() {
    let mut h = Harness::new("wiltshire");
    accepted_referrals(&mut h);
    h.store.set_agenda(h.meeting, &[], now()).unwrap();
    h.reopen();
    h.char('b');
    h.char('b');
    let built = heard(&h);
    // The meeting held and its minutes approved at the next (from the
    // command line, between the build and the undo).
    let (start, end) = (hm(9, 30), hm(13, 0));
    let next = h
        .store
        .add_meeting(day("18/12/2026"), start, end, now())
        .unwrap();
    h.store
        .record_decision(h.meeting, &built[0], "Plan agreed", true, now())
        .unwrap();
    h.store.approve_minutes(h.meeting, next, now()).unwrap();
    let writes = h.store.audit_entries().unwrap().len();
    h.char('u');
    assert!(
        h.notice().starts_with("Not saved: ")
            && h.notice().contains("its agenda can no longer change"),
        "{}",
        h.notice()
    );
    assert_eq!(heard(&h), built);
    assert_eq!(h.store.audit_entries().unwrap().len(), writes);
}

#[test]
fn a_pin_a_move_up_and_a_meeting_moved_are_redone_after_their_undo() {
    let mut h = Harness::new("wiltshire");
    accepted_referrals(&mut h);
    h.store.set_agenda(h.meeting, &[], now()).unwrap();
    h.reopen();
    h.char('b');
    h.char('b');
    let built = heard(&h);
    let pinned = |h: &Harness| h.store.agenda_choices(h.meeting).unwrap().pinned;
    h.char('p');
    assert!(pinned(&h).contains(&built[0]));
    h.char('u');
    assert!(pinned(&h).is_empty());
    h.ctrl('r');
    assert_eq!(h.notice(), format!("Redone: {} pinned", built[0]));
    assert!(pinned(&h).contains(&built[0]));

    h.key(KeyCode::Down);
    h.char('<');
    let mut up = built.clone();
    up.swap(0, 1);
    assert_eq!(heard(&h), up);
    h.char('u');
    assert_eq!(heard(&h), built);
    h.ctrl('r');
    assert_eq!(heard(&h), up);

    h.char('h');
    let planned = plan_2027(&mut h);
    let first = &planned[0];
    let to = first.date.succ_opt().unwrap();
    h.key(KeyCode::Down);
    h.char('v');
    h.typ(&dmy(to));
    h.key(KeyCode::Tab);
    h.typ("Chair on leave");
    h.key(KeyCode::Enter);
    h.char('u');
    assert_eq!(h.store.meeting(first.id).unwrap().unwrap().date, first.date);
    h.ctrl('r');
    assert_eq!(h.notice(), format!("Redone: meeting moved to {}", dmy(to)));
    assert_eq!(h.store.meeting(first.id).unwrap().unwrap().date, to);
}
