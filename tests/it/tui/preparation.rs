//! Issue 22, the Preparation side: the administrator's month between
//! meetings done on screens, every step through the keys, `update` and
//! `apply` against the store, and read back from the store (the same
//! use cases as `meetings`, `referrals` and `agenda`).

use super::*;
use permanence_panel::rules::dates::dmy;
use permanence_panel::store::{ChildName, NewReferral};
use permanence_panel::tui::overlay::Question;

/// An open referral of `child` made on `made_on`, by role and initials.
pub(super) fn refer(h: &mut Harness, child: &str, made_on: &str) {
    h.store
        .add_referral(
            &NewReferral {
                child: child.to_owned(),
                made_on: day(made_on),
                referrer_role: "social worker".into(),
                referrer_initials: "JS".into(),
                supporter_role: "team manager".into(),
                supporter_initials: "AB".into(),
                reason: "Permanence plan needs agreeing".into(),
                meeting_asked: None,
            },
            now(),
        )
        .unwrap();
}

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

#[test]
fn a_year_is_planned_a_meeting_moved_and_one_cancelled_on_the_meetings_screen() {
    let mut h = Harness::new("wiltshire");
    h.char('Y');
    assert_eq!(h.app.screen, Screen::Meetings);
    let screen = h.render(120, 40);
    assert!(screen.contains("Meetings from 01/01/2026 (1)"), "{screen}");
    assert!(
        screen.contains("27/11/2026  09:30–13:00  agenda built (the app's meeting)"),
        "{screen}"
    );

    // p asks the year (the one after the last planned); Enter plans it.
    h.char('p');
    assert_eq!(h.app.screen, Screen::PrepForm);
    assert_eq!(h.app.screens.prep_form.fields[0].text.text(), "2027");
    h.key(KeyCode::Enter);
    let meetings = h.store.meetings().unwrap();
    let planned = meetings.len() - 1;
    assert!(planned >= 10, "{meetings:?}");
    assert_eq!(
        h.notice(),
        format!("{planned} meetings added for 2027 (u undoes).")
    );
    assert_eq!(h.app.screen, Screen::Meetings);

    // v moves the highlighted meeting (the first of 2027) with a reason.
    h.key(KeyCode::Down);
    let first = meetings[1].clone();
    let to = first.date.succ_opt().unwrap();
    h.char('v');
    h.typ(&dmy(to));
    h.key(KeyCode::Tab);
    h.typ("Chair on leave");
    h.key(KeyCode::Enter);
    assert_eq!(h.store.meeting(first.id).unwrap().unwrap().date, to);
    let screen = h.render(120, 40);
    assert!(
        screen.contains(&format!(
            "planned; moved from {}: Chair on leave",
            dmy(first.date)
        )),
        "{screen}"
    );
    // u takes it back: a new change, audited.
    h.char('u');
    assert_eq!(h.store.meeting(first.id).unwrap().unwrap().date, first.date);
    assert_eq!(
        h.notice(),
        format!("Undone: meeting back on {}", dmy(first.date))
    );

    // x cancels it; a reason is required and nothing is written without one.
    let writes = h.store.audit_entries().unwrap().len();
    h.char('x');
    h.key(KeyCode::Enter);
    assert_eq!(h.notice(), "Reason: say why.");
    assert_eq!(h.store.audit_entries().unwrap().len(), writes);
    h.typ("Room unavailable");
    h.key(KeyCode::Enter);
    let cancelled = h.store.meeting(first.id).unwrap().unwrap();
    assert_eq!(cancelled.status, MeetingStatus::Cancelled);
    assert!(h.render(120, 40).contains("cancelled: Room unavailable"));

    // a adds an extra sitting; a day that is not one is named as such.
    h.char('a');
    h.typ("31/02/2027");
    h.key(KeyCode::Tab);
    h.typ("Emergency admissions");
    h.key(KeyCode::Enter);
    assert_eq!(
        h.notice(),
        "Day: '31/02/2027' is not a date; type dd/mm/yyyy."
    );
    h.key(KeyCode::BackTab);
    h.ctrl('u');
    h.typ("10/02/2027");
    h.key(KeyCode::Enter);
    assert!(h.store.meeting_on(day("10/02/2027")).unwrap().is_some());
    assert!(
        audit_changes(&h)
            .iter()
            .any(|c| c == "an extra sitting: Emergency admissions")
    );
}

#[test]
fn with_no_meeting_yet_the_year_is_planned_from_the_app_and_the_app_moves_onto_it() {
    let terms = Terms::load("wiltshire").unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let mut app = App::new(
        terms,
        MeetingData::load_next(&store, clock().today()).unwrap(),
        clock().today(),
    );
    let send = |app: &mut App, store: &mut Store, code: KeyCode| {
        if let Some(msg) = message_for(app, KeyEvent::new(code, KeyModifiers::NONE)) {
            let effects = update(app, msg);
            apply(effects, store, app, now());
        }
    };
    send(&mut app, &mut store, KeyCode::Char('Y'));
    assert_eq!(app.screen, Screen::Meetings);
    send(&mut app, &mut store, KeyCode::Char('p'));
    // Nothing planned: the year offered is this one.
    assert_eq!(app.screens.prep_form.fields[0].text.text(), "2026");
    send(&mut app, &mut store, KeyCode::Enter);
    let next = store.next_meeting(clock().today()).unwrap().unwrap();
    assert_eq!(app.meeting_id(), Some(next.id));
    let notice = app.notice.clone().unwrap().text;
    assert!(
        notice.contains(&format!(
            "The app is now on the meeting of Friday {}",
            dmy(next.date)
        )),
        "{notice}"
    );
    // Home leads to its agenda, not built yet.
    send(&mut app, &mut store, KeyCode::Char('h'));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|frame| view(&app, frame)).unwrap();
    let screen = format!("{:?}", terminal.backend().buffer());
    assert!(
        screen.contains(&format!("Agenda for {} not built yet (b)", dmy(next.date))),
        "{screen}"
    );
}

#[test]
fn two_referrals_are_taken_one_accepted_for_a_meeting_and_one_declined() {
    let mut h = Harness::new("wiltshire");
    h.store
        .set_child_names(
            &[(c(0), ChildName::from_full_name("Robin Example").unwrap())],
            "synthetic",
            now(),
        )
        .unwrap();
    h.reopen();
    // No referral is due, so Home says none waits (its line of
    // preparation keys names the screen all the same).
    assert!(!h.render(120, 40).contains("waiting (R)"));
    h.char('R');
    assert!(
        h.render(80, 24)
            .contains("No referral is waiting: press n to record one.")
    );

    // A child by name, completed over the panel's children.
    h.char('n');
    h.typ("rob");
    assert!(h.render(120, 40).contains("Robin Example C000101"));
    h.key(KeyCode::Down);
    h.key(KeyCode::Tab);
    assert_eq!(h.app.screens.prep_form.fields[0].text.text(), "C000101");
    h.key(KeyCode::Tab); // the referrer's role: social worker, as offered
    h.typ("JS");
    h.key(KeyCode::Tab);
    h.key(KeyCode::Tab); // the Team Manager's initials left blank
    h.typ("Plan for adoption needs agreeing");
    h.key(KeyCode::Enter);
    assert_eq!(
        h.notice(),
        "Team Manager's initials: found '', expected initials (1 to 4 capital letters, e.g. JS)"
    );
    assert!(h.store.referrals().unwrap().is_empty(), "nothing written");
    h.key(KeyCode::BackTab);
    h.typ("AB");
    h.key(KeyCode::Enter);
    let held = h.store.referrals().unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(
        (
            held[0].child.as_str(),
            held[0].referrer_role.as_str(),
            held[0].referrer_initials.as_str(),
            held[0].supporter_initials.as_str(),
            held[0].made_on
        ),
        ("C000101", "social worker", "JS", "AB", clock().today())
    );
    assert_eq!(h.app.screen, Screen::Referrals);

    // A second, by id.
    h.char('n');
    h.typ("C000102");
    for text in ["", "KL", "MN", "Placement at risk of breaking down"] {
        h.key(KeyCode::Tab);
        h.typ(text);
    }
    h.key(KeyCode::Enter);
    assert_eq!(h.store.referrals().unwrap().len(), 2);
    h.char('h');
    assert!(h.render(120, 40).contains("2 referrals waiting (R)"));

    // Accept the first for the meeting offered: the next planned one.
    h.char('R');
    h.char('a');
    assert_eq!(h.app.screens.prep_form.fields[0].text.text(), "27/11/2026");
    h.key(KeyCode::Enter);
    let held = h.store.referrals().unwrap();
    assert_eq!(held[0].status, ReferralStatus::Accepted);
    assert_eq!(held[0].meeting_asked, Some(day("27/11/2026")));

    // Decline the other: a reason is required.
    h.char('d');
    h.key(KeyCode::Enter);
    assert_eq!(h.notice(), "Reason: say why.");
    h.typ("Not a permanence matter");
    h.key(KeyCode::Enter);
    let held = h.store.referrals().unwrap();
    assert_eq!(held[1].status, ReferralStatus::Declined);
    assert_eq!(
        held[1].status_reason.as_deref(),
        Some("Not a permanence matter")
    );
    // Undone, it is open again; redone, declined again.
    h.char('u');
    assert_eq!(h.store.referrals().unwrap()[1].status, ReferralStatus::Open);
    h.ctrl('r');
    assert_eq!(
        h.store.referrals().unwrap()[1].status,
        ReferralStatus::Declined
    );
    h.char('h');
    assert!(!h.render(120, 40).contains("waiting (R)"));
}

#[test]
fn an_agenda_is_built_reordered_published_and_later_changes_ask_first() {
    let mut h = Harness::new("wiltshire");
    // Accepted referrals: the builder lists them first of the routes here,
    // oldest first.
    refer(&mut h, CHILDREN[2], "20/11/2026");
    refer(&mut h, CHILDREN[0], "21/11/2026");
    refer(&mut h, CHILDREN[1], "22/11/2026");
    for referral in h.store.referrals().unwrap() {
        h.store
            .decide_referral(referral.id, ReferralStatus::Accepted, None, now())
            .unwrap();
    }
    // Emptied, as a meeting before its agenda is built.
    h.store.set_agenda(h.meeting, &[], now()).unwrap();
    h.reopen();
    assert!(
        h.render(120, 40)
            .contains("Agenda for 27/11/2026 not built yet (b)")
    );

    h.char('b');
    assert_eq!(h.app.screen, Screen::AgendaBuilder);
    assert!(
        h.render(120, 40)
            .contains("Agenda for Friday 27/11/2026, 09:30–13:00 · not built yet")
    );
    h.char('b');
    // The same builder as `agenda --build`.
    let meeting = h.store.meeting(h.meeting).unwrap().unwrap();
    let plan = permanence_panel::usecase::agenda::build(&h.store, &h.app.terms, &meeting).unwrap();
    let expected: Vec<String> = plan.heard.iter().map(|i| i.child.clone()).collect();
    assert_eq!(heard(&h), expected);
    assert!(expected.len() >= 2, "{expected:?}");
    assert_eq!(expected[0], CHILDREN[2], "the referral first");
    let screen = h.render(120, 40);
    assert!(
        screen.contains("Referred on 20/11/2026 by the social worker (JS)"),
        "{screen}"
    );
    assert!(screen.contains("the meeting would end at"), "{screen}");
    assert!(!h.render(120, 40).contains("not built yet (b)"));

    // The second child one place up; undone; then down from the top.
    h.key(KeyCode::Down);
    h.char('<');
    let mut up = expected.clone();
    up.swap(0, 1);
    assert_eq!(heard(&h), up);
    assert_eq!(
        h.app.screens.agenda_builder.cursor, 0,
        "the highlight follows"
    );
    h.char('u');
    assert_eq!(heard(&h), expected);

    // Pinned, then published.
    h.char('p');
    assert!(h.render(120, 40).contains("· pinned"));
    h.char('P');
    assert!(h.store.agenda_published_at(h.meeting).unwrap().is_some());
    assert_eq!(
        h.store.meeting(h.meeting).unwrap().unwrap().status,
        MeetingStatus::Published
    );
    assert!(h.render(120, 40).contains("· published 27/11/2026 09:45"));

    // After publishing a move asks first; a y typed before the question
    // showed does not answer it, nor does any other key.
    h.key(KeyCode::Up);
    h.char('y');
    let writes = h.store.audit_entries().unwrap().len();
    h.char('>');
    assert_eq!(
        h.app.overlays.question(),
        Some(Question::ChangePublishedAgenda)
    );
    assert!(
        h.render(120, 40)
            .contains("The agenda is published: make this change")
    );
    h.char('p');
    assert_eq!(h.store.audit_entries().unwrap().len(), writes);
    h.char('n');
    assert_eq!(heard(&h), expected, "n changes nothing");
    h.char('>');
    h.char('y');
    assert_eq!(heard(&h), up);
    assert!(
        audit_changes(&h)
            .last()
            .unwrap()
            .ends_with("moved to position 2 (after publishing)"),
        "{:?}",
        audit_changes(&h).last()
    );

    // Removing asks why, then asks first; both kept in the audit log.
    h.char('x');
    h.typ("Heard at the court's request next month");
    h.key(KeyCode::Enter);
    assert_eq!(
        h.app.overlays.question(),
        Some(Question::ChangePublishedAgenda)
    );
    h.char('y');
    assert_eq!(heard(&h).len(), expected.len() - 1);
    assert_eq!(h.app.screen, Screen::AgendaBuilder);
    assert!(
        audit_changes(&h)
            .iter()
            .any(|c| c == "removed: Heard at the court's request next month (after publishing)")
    );
    // Building again is refused once published, and says how to change it.
    h.char('b');
    assert!(
        h.notice().starts_with("The agenda is published"),
        "{}",
        h.notice()
    );
}

#[test]
fn a_meeting_chosen_on_the_meetings_screen_says_it_is_not_the_one_the_app_is_on() {
    let mut h = Harness::new("wiltshire");
    h.char('Y');
    h.char('p');
    h.key(KeyCode::Enter);
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, Screen::AgendaBuilder);
    let screen = h.render(80, 24);
    assert!(
        screen.contains("(Not the meeting the app is on: the other screens are about Friday"),
        "{screen}"
    );
    // Esc goes back to the meetings.
    h.key(KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::Meetings);
    // A question left with Esc is not kept, and says so; nothing is written.
    let writes = h.store.audit_entries().unwrap().len();
    h.char('x');
    h.typ("Room unavailable");
    h.key(KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::Meetings);
    assert_eq!(h.notice(), "Not saved: nothing was changed.");
    assert_eq!(h.store.audit_entries().unwrap().len(), writes);
    h.char('x');
    assert_eq!(h.app.screens.prep_form.fields[0].text.text(), "");
}

#[test]
fn after_the_last_meeting_the_screens_still_show_the_one_the_app_opens_on() {
    let mut h = Harness::new("wiltshire");
    // In the new year, nothing planned yet: the app opens on the latest.
    let new_year = day("11/01/2027");
    h.app = App::new(
        Terms::load("wiltshire").unwrap(),
        MeetingData::load_next(&h.store, new_year).unwrap(),
        new_year,
    );
    assert_eq!(h.app.meeting_id(), Some(h.meeting));
    h.char('b');
    let screen = h.render(80, 24);
    assert!(
        screen.contains("Agenda for Friday 27/11/2026, 09:30–13:00 · built, not published"),
        "{screen}"
    );
    h.char('h');
    h.char('Y');
    assert!(h.render(80, 24).contains("Meetings from 27/11/2026 (1)"));
    // The year offered is the one after the last planned.
    h.char('p');
    assert_eq!(h.app.screens.prep_form.fields[0].text.text(), "2027");
}

/// Weeks before the meeting, with nobody in its roll call, the quorum line
/// is left out (it would read "NOT QUORATE" on every screen while the
/// administrator prepares); on the meeting's day, or once anyone is in the
/// roll call, it is shown.
#[test]
fn the_quorum_line_waits_for_the_meeting_day_or_the_roll_call() {
    let mut h = Harness::new("wiltshire");
    let weeks_before = clock().today() - chrono::Days::new(21);
    let open_on = |h: &mut Harness, today| {
        h.app = App::new(
            Terms::load("wiltshire").unwrap(),
            MeetingData::load_next(&h.store, today).unwrap(),
            today,
        );
    };
    open_on(&mut h, weeks_before);
    h.char('Y');
    let screen = h.render(120, 40);
    assert!(screen.contains("27/11/2026"), "{screen}");
    assert!(!screen.contains("QUORATE"), "{screen}");

    // Someone arrives early for a rehearsal: the roll call has begun.
    let member = h.store.members().unwrap()[0].id;
    h.store
        .set_attendance(h.meeting, member, AttendanceState::Present, None, now())
        .unwrap();
    open_on(&mut h, weeks_before);
    h.char('Y');
    assert!(h.render(120, 40).contains("NOT QUORATE"));

    // On the day, with nobody in the roll call yet.
    let mut on_the_day = Harness::new("wiltshire");
    assert!(
        on_the_day
            .store
            .attendance(on_the_day.meeting)
            .unwrap()
            .is_empty()
    );
    on_the_day.char('Y');
    assert!(on_the_day.render(120, 40).contains("NOT QUORATE"));
}

/// A meeting whose day is past with nobody marked there and no decision
/// reads "not held", as `meetings list` says it; one with a decision
/// recorded reads "held".
#[test]
fn a_past_meeting_never_held_reads_not_held_on_the_meetings_screen() {
    let mut h = Harness::new("wiltshire");
    let (start, end) = (hm(9, 30), hm(13, 0));
    h.store
        .add_meeting(day("25/09/2026"), start, end, now())
        .unwrap();
    let october = h
        .store
        .add_meeting(day("30/10/2026"), start, end, now())
        .unwrap();
    h.store
        .record_decision(october, CHILDREN[0], "Plan agreed", true, now())
        .unwrap();
    h.reopen();
    h.char('Y');
    let screen = h.render(120, 40);
    assert!(
        screen.contains("25/09/2026  09:30–13:00  not held"),
        "{screen}"
    );
    assert!(screen.contains("30/10/2026  09:30–13:00  held"), "{screen}");
    assert!(
        screen.contains("27/11/2026  09:30–13:00  agenda built (the app's meeting)"),
        "{screen}"
    );
}

/// The Preparation screens' data (every child's id, each meeting's agenda)
/// is read when one opens, not for the first frame; Home's due lines come
/// from what the app holds of its meeting and the referrals.
#[test]
fn the_preparation_data_is_read_when_a_screen_needs_it_and_home_keeps_its_due_lines() {
    let mut h = Harness::new("wiltshire");
    refer(&mut h, CHILDREN[0], "20/11/2026");
    h.store
        .add_meeting(day("30/10/2026"), hm(9, 30), hm(13, 0), now())
        .unwrap();
    h.store.set_agenda(h.meeting, &[], now()).unwrap();
    h.reopen();
    assert!(!h.app.data.prep.loaded, "not read at start");
    let home = h.render(120, 40);
    assert!(
        home.contains("Agenda for 27/11/2026 not built yet (b)"),
        "{home}"
    );
    assert!(home.contains("1 referral waiting (R)"), "{home}");

    // Opened: read, and the highlight on the app's meeting (the second).
    h.char('Y');
    assert!(h.app.data.prep.loaded);
    assert_eq!(h.app.screens.meetings.cursor, 1);
    assert!(
        h.render(120, 40)
            .contains("▶ Friday    27/11/2026  09:30–13:00  planned (the app's meeting)")
    );
}
