//! Issue 17, the Fostering Panel in the app: sittings recorded, their
//! slots changed, children booked, taken off and a sitting removed, all
//! through the keys, `update` and `apply` against the store (the functions
//! `fostering-panel` calls), each undone and redone; the demand line counted
//! as the SMT report counts it; Home's line when matches wait beyond the
//! free slots; the store's refusals in its own words.

use super::*;
use permanence_panel::report::fostering::demand;
use permanence_panel::store::ChildName;

/// The agenda's third child (in a children's home) and the second (placed
/// for adoption) have a long-term fostering plan and no match: two waiting.
/// The first is in a long-term foster placement (U4): matched, not waiting.
fn with_plans() -> Harness {
    let mut h = Harness::new("wiltshire");
    for child in [CHILDREN[0], CHILDREN[1], CHILDREN[2]] {
        h.store
            .set_plan_facts(
                &PlanFacts {
                    child: child.to_owned(),
                    plan: Some(PlanKind::LongTermFostering),
                    contingency: None,
                    plan_agreed: Some(day("01/03/2026")),
                    match_agreed: None,
                    no_pr: false,
                    potential_sgo: false,
                    achieved: None,
                },
                now(),
            )
            .unwrap();
    }
    h.store
        .set_child_names(
            &[(
                CHILDREN[2].to_owned(),
                ChildName::from_full_name("Robin Example").unwrap(),
            )],
            "synthetic",
            now(),
        )
        .unwrap();
    h.reopen();
    h
}

/// The sittings as `fostering-panel list` reads them: date, slots, children.
fn sittings(h: &Harness) -> Vec<(String, u32, Vec<String>)> {
    h.store
        .fostering_panels()
        .unwrap()
        .into_iter()
        .map(|p| (dmy(p.date), p.slots, p.booked))
        .collect()
}

use permanence_panel::rules::dates::dmy;

/// The screen's words with its line breaks and padding as single spaces
/// (a sentence wraps where the width says).
fn flat(screen: &str) -> String {
    screen.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Records a sitting through the screen's form: a, the day, Tab, the slots, Enter.
fn add_sitting(h: &mut Harness, on: &str, slots: &str) {
    h.char('a');
    assert_eq!(h.app.screen, Screen::PrepForm);
    h.typ(on);
    h.key(KeyCode::Tab);
    h.typ(slots);
    h.key(KeyCode::Enter);
}

#[test]
fn sittings_are_recorded_booked_taken_off_and_removed_from_the_screen_each_undone() {
    let mut h = with_plans();
    // Home: two waiting, no slot ahead: the due line, with its key.
    let home = h.render(120, 40);
    assert!(
        home.contains(
            "Fostering Panel: 2 long-term matches waiting, 0 free slots in six months (O)"
        ),
        "{home}"
    );
    assert!(home.contains("I return, O fostering"), "{home}");
    h.char('O');
    assert_eq!(h.app.screen, Screen::Fostering);
    let screen = flat(&h.render(120, 40));
    assert!(
        screen.contains("2 children with a long-term fostering plan and no match agreed (0 booked); 0 free slots in the next six months (to 27/05/2027)."),
        "{screen}"
    );
    assert!(
        screen
            .contains("No sitting of the Fostering Panel is recorded yet: press a to record one."),
        "{screen}"
    );

    // a: a sitting ahead with one slot, and one past.
    add_sitting(&mut h, "14/01/2027", "1");
    assert_eq!(h.app.screen, Screen::Fostering);
    assert_eq!(
        h.notice(),
        "The Fostering Panel of 14/01/2027 can hear 1 long-term match (u undoes)."
    );
    add_sitting(&mut h, "08/10/2026", "2");
    assert_eq!(
        sittings(&h),
        vec![
            ("08/10/2026".to_owned(), 2, vec![]),
            ("14/01/2027".to_owned(), 1, vec![]),
        ]
    );
    // Slots that are not a number are named by their field; nothing is written.
    let writes = h.store.audit_entries().unwrap().len();
    add_sitting(&mut h, "11/03/2027", "two");
    assert_eq!(
        h.notice(),
        "Slots: 'two' is not a whole number; type how many long-term matches it can hear, such as 2."
    );
    assert_eq!(h.store.audit_entries().unwrap().len(), writes);
    h.key(KeyCode::Esc);

    // The one to come is listed first; the past one greyed below a rule.
    let screen = h.render(120, 40);
    let upcoming = screen.find("▶ Thursday  14/01/2027").expect(&screen);
    let rule = screen.find("── Past sittings").expect(&screen);
    let past = screen.find("Thursday  08/10/2026").expect(&screen);
    assert!(upcoming < rule && rule < past, "{screen}");
    let buffer = h.buffer(120, 40);
    let past_row = screen
        .lines()
        .position(|l| l.contains("08/10/2026"))
        .unwrap() as u16;
    assert_ne!(
        buffer[(4, past_row)].fg,
        buffer[(4, past_row - 2)].fg,
        "greyed"
    );

    // b books Robin, found by name, to the highlighted sitting (January's).
    h.char('b');
    h.typ("robin");
    h.key(KeyCode::Enter);
    assert_eq!(
        h.notice(),
        "Booked Robin Example C000103 to the Fostering Panel of 14/01/2027 (u undoes)."
    );
    assert_eq!(
        h.store.fostering_booking(CHILDREN[2]).unwrap(),
        Some(day("14/01/2027"))
    );
    // The one still waiting is named under the list, for booking next.
    assert!(
        flat(&h.render(120, 40)).contains("Not booked yet: C000102 (plan agreed 01/03/2026)."),
        "{}",
        h.render(120, 40)
    );
    // Full now: the next child is refused in the store's words.
    h.char('b');
    h.typ(CHILDREN[1]);
    h.key(KeyCode::Enter);
    assert_eq!(
        h.notice(),
        "Not saved: the Fostering Panel of 14/01/2027 is full: its one slot is booked (C000103)"
    );
    // A child the return does not hold: the store's words too.
    h.ctrl('u');
    h.typ("Z999");
    h.key(KeyCode::Enter);
    assert_eq!(
        h.notice(),
        "Not saved: there is no child Z999 in the returns held"
    );
    h.key(KeyCode::Esc);
    // Fewer slots than children booked: refused by the store.
    h.char('s');
    h.ctrl('u');
    h.typ("0");
    h.key(KeyCode::Enter);
    assert_eq!(
        h.notice(),
        "Not saved: the Fostering Panel of 14/01/2027 already has 1 child booked: it cannot have fewer slots than that (asked for 0)"
    );
    h.ctrl('u');
    h.typ("3");
    h.key(KeyCode::Enter);
    assert_eq!(
        h.notice(),
        "The Fostering Panel of 14/01/2027 can hear 3 long-term matches (u undoes)."
    );
    // u takes the slots back to 1, Ctrl+R makes them 3 again.
    h.char('u');
    assert_eq!(
        h.notice(),
        "Undone: the Fostering Panel of 14/01/2027 back to 1 slot"
    );
    assert_eq!(sittings(&h)[1].1, 1);
    h.ctrl('r');
    assert_eq!(sittings(&h)[1].1, 3);

    // The demand line and Home agree with the report's count.
    let counted = demand(
        &h.store.child_records().unwrap(),
        &h.store.fostering_panels().unwrap(),
        clock().today(),
    );
    assert_eq!((counted.waiting.len(), counted.free), (2, 2));
    assert!(
        flat(&h.render(120, 40)).contains(
            "2 children with a long-term fostering plan and no match agreed (1 booked); 2 free slots in the next six months"
        )
    );

    // x takes Robin's booking off; u puts it back; Ctrl+R takes it off again.
    h.char('x');
    assert_eq!(h.app.screens.prep_form.fields[0].text.text(), CHILDREN[2]);
    h.key(KeyCode::Enter);
    assert_eq!(
        h.notice(),
        "Robin Example C000103 no longer booked to a Fostering Panel (u undoes)."
    );
    assert_eq!(h.store.fostering_booking(CHILDREN[2]).unwrap(), None);
    h.char('u');
    assert_eq!(
        h.notice(),
        "Undone: Robin Example C000103 booked to the Fostering Panel of 14/01/2027 again"
    );
    assert_eq!(
        h.store.fostering_booking(CHILDREN[2]).unwrap(),
        Some(day("14/01/2027"))
    );

    // d on a sitting with a child booked: refused, nothing removed.
    h.char('d');
    assert_eq!(
        h.notice(),
        "Not saved: the Fostering Panel of 14/01/2027 cannot be removed: 1 child is booked to it (C000103); take their bookings off first"
    );
    h.ctrl('r');
    assert_eq!(h.store.fostering_booking(CHILDREN[2]).unwrap(), None);
    h.char('d');
    assert_eq!(
        h.notice(),
        "The Fostering Panel of 14/01/2027 is removed (u undoes)."
    );
    assert_eq!(sittings(&h).len(), 1);
    h.char('u');
    assert_eq!(
        h.notice(),
        "Undone: the Fostering Panel of 14/01/2027 recorded again with 3 slots"
    );
    assert_eq!(
        sittings(&h),
        vec![
            ("08/10/2026".to_owned(), 2, vec![]),
            ("14/01/2027".to_owned(), 3, vec![]),
        ]
    );

    // Every one of these is in the audit trail, which still verifies.
    let entries = h.store.audit_entries().unwrap();
    let fostering = entries
        .iter()
        .filter(|e| e.entity.starts_with("fostering-"))
        .count();
    // Two sittings, a booking, slots changed, undone and redone, taken
    // off, undone and redone, removed and undone: eleven writes.
    assert_eq!(fostering, 11, "{entries:#?}");
    assert!(h.store.verify_audit().unwrap().findings.is_empty());
}

#[test]
fn booking_moves_a_child_and_undo_moves_it_back_and_a_projector_shows_initials() {
    let mut h = with_plans();
    h.char('O');
    add_sitting(&mut h, "14/01/2027", "2");
    add_sitting(&mut h, "11/02/2027", "2");
    // The same day again changes its slots, as `fostering-panel add` does;
    // u puts the slots back.
    add_sitting(&mut h, "14/01/2027", "4");
    assert_eq!(
        h.notice(),
        "The Fostering Panel of 14/01/2027 can hear 4 long-term matches (u undoes)."
    );
    assert_eq!(sittings(&h).len(), 2);
    assert_eq!(sittings(&h)[0].1, 4);
    h.char('u');
    assert_eq!(
        h.notice(),
        "Undone: the Fostering Panel of 14/01/2027 back to 2 slots"
    );
    assert_eq!(sittings(&h)[0].1, 2);
    h.char('b');
    h.typ(CHILDREN[2]);
    h.key(KeyCode::Enter);
    // The second sitting, and the same child again: moved.
    h.key(KeyCode::Down);
    h.char('b');
    h.typ(CHILDREN[2]);
    h.key(KeyCode::Enter);
    assert_eq!(
        h.notice(),
        "Moved Robin Example C000103 from the Fostering Panel of 14/01/2027 to that of 11/02/2027 (u undoes)."
    );
    // Booked there already: nothing changes, and nothing is journalled.
    let journal = h.app.undo.done.len();
    h.char('b');
    h.typ(CHILDREN[2]);
    h.key(KeyCode::Enter);
    assert_eq!(
        h.notice(),
        "Robin Example C000103 was already booked to the Fostering Panel of 11/02/2027: nothing changed."
    );
    assert_eq!(h.app.undo.done.len(), journal);
    h.char('u');
    assert_eq!(
        h.notice(),
        "Undone: Robin Example C000103 back to the Fostering Panel of 14/01/2027"
    );
    assert_eq!(
        h.store.fostering_booking(CHILDREN[2]).unwrap(),
        Some(day("14/01/2027"))
    );
    // The highlighted sitting's children in full under the list, by name on
    // the administrator's screen, by initials and id on a projector.
    h.key(KeyCode::Up);
    let screen = h.render(120, 40);
    assert!(
        screen.contains("Booked to 14/01/2027: Robin Example C000103."),
        "{screen}"
    );
    h.key(KeyCode::F(5));
    let projected = h.render(120, 40);
    assert!(!projected.contains("Robin"), "{projected}");
    assert!(
        projected.contains("Booked to 14/01/2027: RE C000103."),
        "{projected}"
    );
    // A booking taken off another sitting's form is refused by the field.
    h.key(KeyCode::Down);
    h.char('b');
    h.typ(CHILDREN[1]);
    h.key(KeyCode::Enter);
    h.key(KeyCode::Up);
    h.char('x');
    h.ctrl('u');
    h.typ(CHILDREN[1]);
    h.key(KeyCode::Enter);
    assert_eq!(
        h.notice(),
        "Child: C000102 is booked to the Fostering Panel of 11/02/2027, not this one."
    );
    assert_eq!(
        h.store.fostering_booking(CHILDREN[1]).unwrap(),
        Some(day("11/02/2027"))
    );
}

#[test]
fn home_says_nothing_when_the_slots_meet_the_demand_or_the_terms_do_not_ask() {
    let mut h = with_plans();
    h.char('O');
    add_sitting(&mut h, "14/01/2027", "2");
    h.char('h');
    assert_eq!(h.app.screen, Screen::Home);
    assert!(!h.render(120, 40).contains("Fostering Panel:"));
    // Three waiting beyond two slots once another child's plan is agreed;
    // Home says so for Wiltshire, never for a panel without the SMT report.
    h.store
        .set_plan_facts(
            &PlanFacts {
                child: NOT_ON_AGENDA.to_owned(),
                plan: Some(PlanKind::LongTermFostering),
                contingency: None,
                plan_agreed: Some(day("01/05/2026")),
                match_agreed: None,
                no_pr: false,
                potential_sgo: false,
                achieved: None,
            },
            now(),
        )
        .unwrap();
    // C000110 is in a long-term foster placement (U4): not waiting.
    h.reopen();
    assert!(!h.render(120, 40).contains("Fostering Panel:"));
    h.store
        .add_fostering_panel(day("14/01/2027"), 1, now())
        .unwrap();
    h.reopen();
    assert!(
        h.render(120, 40).contains(
            "Fostering Panel: 2 long-term matches waiting, 1 free slot in six months (O)"
        )
    );
    // At 80 columns the keys line keeps to one line; the due line, on one
    // line too, names O.
    let narrow = h.render(80, 24);
    assert!(
        narrow.contains(
            "  Fostering Panel: 2 long-term matches waiting, 1 free slot in six months (O)\n"
        ),
        "{narrow}"
    );
    assert!(
        narrow
            .contains("Prepare: Y meetings, R referrals, b agenda, P papers, F files, I return\n"),
        "{narrow}"
    );
    h.app = App::new(
        Terms::load("telford").unwrap(),
        MeetingData::load_next(&h.store, clock().today()).unwrap(),
        clock().today(),
    );
    assert!(!h.render(120, 40).contains("Fostering Panel:"));
}
